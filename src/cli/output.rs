//! Writing the commands' output, so that output which cannot be written ends quietly.
//!
//! `println!` panics when stdout is a closed pipe (`dutydesk search a | head -1`) or a full
//! disk. Every line a command prints goes through [`line`] instead: a closed pipe is remembered
//! and ends the command with exit code 0 and no message (as ripgrep and other Unix tools do,
//! since whoever closed the pipe has all they wanted); any other failure is a one-sentence error
//! and exit code 1. Messages are cleaned of control characters before they reach a terminal.

use super::CliError;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static PIPE_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether stdout turned out to be a closed pipe.
pub fn pipe_closed() -> bool {
    PIPE_CLOSED.load(Ordering::SeqCst)
}

/// What a failed write of the output means for the user.
fn output_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        PIPE_CLOSED.store(true, Ordering::SeqCst);
        return CliError::new(String::new());
    }
    match crate::store::StoreError::from(e) {
        crate::store::StoreError::DiskFull => CliError::new(
            "The output could not be written: the disk is full. Free some space and run the command again.".into(),
        ),
        other => CliError::new(format!("The output could not be written ({other}).")),
    }
}

/// Prints one line of output.
pub fn line(args: std::fmt::Arguments<'_>) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(output_error)
}

/// Prints text as it is (it carries its own line ends).
pub fn text(s: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes()).map_err(output_error)
}

/// Flushes stdout at the end of a command: a full disk may show only here.
pub fn finish() -> Result<(), CliError> {
    std::io::stdout().flush().map_err(output_error)
}

/// Writes a message to stderr, ignoring failure (there is nowhere left to report it).
pub fn to_stderr(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// A message made safe for a terminal: control characters (ESC, BEL, CR...) become `?`, so
/// typed input quoted in a message can never move the cursor, ring the bell or rewrite the
/// screen.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { '?' } else { c })
        .collect()
}

/// Prints a line of output, or returns from the command if it cannot be written.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))?
    };
}
pub(crate) use say;

/// Prints `value` as pretty JSON: the `--json` output of every listing.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::new(e.to_string()))?;
    line(format_args!("{text}"))
}

/// Prints each row as `to_json` shapes it, as one pretty JSON array.
pub fn json_rows<T>(rows: &[T], to_json: impl Fn(&T) -> serde_json::Value) -> Result<(), CliError> {
    json(&rows.iter().map(to_json).collect::<Vec<_>>())
}

/// Installs a panic hook that prints one sentence instead of a backtrace (unless
/// `RUST_BACKTRACE` is set, for whoever is debugging). The terminal interface wraps it with its
/// own hook, which restores the screen first.
pub fn install_panic_hook() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        to_stderr(format_args!(
            "dutydesk: something went wrong inside dutydesk{place} and it stopped; nothing already saved is lost. Please tell your data protection lead what you were doing (but no one's personal details) so they can report it; RUST_BACKTRACE=1 shows the details.\n"
        ));
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("ab\u{1b}[2Jc\u{7}d\re"), "ab?[2Jc?d?e");
        assert_eq!(clean("two\nlines"), "two\nlines");
        assert_eq!(clean("Zoë"), "Zoë");
    }
}
