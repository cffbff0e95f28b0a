//! The command line: argument parsing (clap) and the non-interactive subcommands.
//!
//! Each subcommand lives in its own function here and talks to the store; nothing in here
//! speaks SQL. Errors are one sentence on stderr and exit code 1; usage errors exit with 2.

mod args;
mod auth;
mod commands;

pub use args::{Cli, Command};

use std::process::ExitCode;

/// An error for the user: one sentence, exit code 1.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            eprintln!("dutydesk: {msg}");
            ExitCode::from(1)
        }
    }
}
