//!
//! Nothing in here does I/O, speaks SQL or touches the terminal, and nothing reads the clock:
//! every rule that depends on the date takes `today` (or the relevant dates) as a parameter.

pub mod kinds;

pub use kinds::{Category, FieldGroup, Region, Role, UnknownName};
pub mod calendar;
