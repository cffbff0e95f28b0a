//! The command line: argument parsing (clap) and the non-interactive subcommands.
//!
//! Each subcommand lives in its own function here and talks to the store; nothing in here
//! speaks SQL. Errors are one sentence on stderr and exit code 1; usage errors exit with 2.
//! Output goes through [`output`], so a closed pipe ends a command quietly with exit code 0
//! and a full disk with one sentence and exit code 1; no panic reaches the user.

mod args;
mod auth;
mod backup;
mod commands;
pub mod output;

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
    output::install_panic_hook();
    let result = commands::dispatch(cli).and_then(|()| output::finish());
    match result {
        _ if output::pipe_closed() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            output::to_stderr(format_args!("dutydesk: {}\n", output::clean(&msg)));
            ExitCode::from(1)
        }
    }
}
