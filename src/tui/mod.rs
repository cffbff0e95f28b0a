//! The terminal user interface: the interactive front end a duty officer uses on the phone.
//!
//! This module holds the foundations every screen builds on, none of which needs the database:
//! - [`keymap`]: the one place keys are bound; the footer and the `?` help are generated from
//!   it, so they cannot drift from what the keys really do;
//! - [`terminal`]: entering and leaving the terminal safely (guard, panic hook, SIGTERM/SIGHUP),
//!   `NO_COLOR` and the [`terminal::Theme`], and the atuin-style event drain;
//! - [`widgets`]: text input, forms, confirmation and help popups, the footer line.
//!
//! Rendering reads state and never touches the database or prints: anything written to stdout
//! or stderr while the TUI runs would corrupt the screen.

pub mod keymap;
pub mod terminal;
pub mod widgets;
