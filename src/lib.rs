//! dutydesk: a keyboard-driven terminal case manager for small UK volunteer charities.
//!
//! Layers (dependencies point one way, downwards):
//! - [`cli`] and `tui` drive the program;
//! - [`export`] writes notices, letters and packs from templates;
//! - [`store`] is the only module that speaks SQL, and checks access on every read;
//! - [`profile`] loads the organisation profile (the privacy notice in machine form);
//! - [`domain`] holds the pure rules and types.

pub mod domain;
pub mod tui;
