//! The command line: argument parsing (clap) and the non-interactive subcommands.
//!
//! Each subcommand lives in its own function here and talks to the store; nothing in here
//! speaks SQL. Exit codes follow grep and diff: 0 for success, 1 for a negative answer (a
//! search that finds nobody, a check or verification that finds a problem), 2 for an error
//! (one sentence on stderr) or a usage error.
//! Output goes through [`output`], so a closed pipe ends a command quietly with exit code 0
//! and a full disk with one sentence and exit code 2; no panic reaches the user.

mod args;
mod auth;
mod backup;
mod casework;
mod commands;
mod documents;
mod import;
pub mod output;
mod sync;

pub use args::{Cli, Command};

use std::process::ExitCode;

/// What ends a command other than success: one sentence for the user, and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: u8,
}

impl CliError {
    /// An error: the command could not do what was asked (exit code 2).
    pub fn new(message: String) -> CliError {
        CliError { message, code: 2 }
    }

    /// A negative answer: nothing found, or a problem found (exit code 1).
    pub fn negative(message: String) -> CliError {
        CliError { message, code: 1 }
    }
}

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError::new(e.to_string())
    }
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    output::install_panic_hook();
    let result = commands::dispatch(cli).and_then(|()| output::finish());
    match result {
        _ if output::pipe_closed() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError { message, code }) => {
            if !message.is_empty() {
                output::to_stderr(format_args!("dutydesk: {}\n", output::clean(&message)));
            }
            ExitCode::from(code)
        }
    }
}
