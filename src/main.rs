//! The `dutydesk` binary: parse the command line and dispatch. Nothing else lives here.

use clap::Parser;

fn main() -> std::process::ExitCode {
    dutydesk::cli::run(dutydesk::cli::Cli::parse())
}
