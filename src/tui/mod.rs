//! The terminal user interface: the interactive front end a duty officer uses on the phone.
//!
//! - [`keymap`]: the one place keys are bound;
//! - [`screen`]: the contract every screen and popup implements: the commands it handles now
//!   (the footer and the `?` help are generated from them, with the keys the keymap gives),
//!   handling a key, drawing from a read-only context;
//! - [`terminal`]: entering and leaving the terminal safely (guard, panic hook, signals),
//!   `NO_COLOR` and the [`terminal::Theme`], and the atuin-style event drain;
//! - [`widgets`]: text input, forms, confirmation and help popups, the footer line;
//! - [`app`]: the application state and the routing of keys; [`screens`]: one file per screen;
//! - [`ui`]: drawing a frame from the state; [`run`]: the event loop on the real terminal;
//!   [`slow`]: long work on a worker thread while the screen shows its progress.
//!
//! Rendering reads state and never touches the database or prints: anything written to stdout
//! or stderr while the TUI runs would corrupt the screen.

pub mod app;
pub mod keymap;
pub mod run;
pub mod screen;
pub mod screens;
pub mod slow;
pub mod terminal;
pub mod ui;
pub mod widgets;
