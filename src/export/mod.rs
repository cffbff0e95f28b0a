//! Documents made from the case file and the organisation profile: subject access packs,
//! portability files, letters to people who made rights requests, and mailing lists that
//! honour objections. Templates live in `assets/templates/` and are compiled in.
//!
//! Nothing here speaks SQL: every read goes through the store (and its role checks), and every
//! export writes an audit entry. Files are written only where the caller asks.

pub mod letters;
pub mod mailing;
pub mod pack;
pub mod portability;
