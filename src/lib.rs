//! dutydesk: a keyboard-driven terminal case manager for small UK volunteer charities.
//!
//! Layers (dependencies point one way, downwards):
//! - [`cli`] (and the terminal interface) drive the program;
//! - [`demo`] generates synthetic case files;
//! - [`export`] writes notices, packs, letters and lists from templates and what the store returns;
//! - [`store`] is the only module that speaks SQL, and checks access on every read;
//! - [`profile`] loads the organisation profile (the privacy notice in machine form);
//! - [`spreadsheet`] reads a charity's CSV, Excel or OpenDocument file into cells for the import;
//! - [`domain`] holds the pure rules and types.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod export;
pub mod profile;
pub mod spreadsheet;
pub mod store;
pub mod tui;
