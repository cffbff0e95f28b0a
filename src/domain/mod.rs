//! Pure types and rules: roles, categories of people, field groups, UK deadlines and bank
//! holidays, Article 14 due dates and exemptions, referrals, consent, retention and input validation.
//!
//! Nothing in here does I/O, speaks SQL or touches the terminal, and nothing reads the clock:
//! every rule that depends on the date takes `today` (or the relevant dates) as a parameter.

pub mod clock;
pub mod complaint;
pub mod kinds;
pub mod person;
pub mod validate;
pub mod when;

pub mod article14;
pub mod breach;
pub mod calendar;
pub mod consent;
pub mod dbs;
pub mod deadline;
pub mod health_words;
pub mod import;
pub mod import_plan;
pub mod money;
pub mod referral;
pub mod retention;
pub mod rights;

pub use kinds::{
    Category, ContactKind, DbsLevel, DbsOutcome, DisclosureGround, EnquiryChannel, FieldGroup, GroupFormat, HoldKind,
    PersonInformed, Region, RelationKind, Role, ServiceStatus, UnknownName,
};
