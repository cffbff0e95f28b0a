//! Asking who the user is and for their passphrase: from `DUTYDESK_USER` and
//! `DUTYDESK_PASSPHRASE` for scripts and tests, otherwise at the terminal without echo.

use super::CliError;
use std::io::{BufRead, IsTerminal, Write};
use zeroize::Zeroizing;

/// The login to act as: `--user`, `DUTYDESK_USER`, or asked for.
pub fn login(given: Option<&str>) -> Result<String, CliError> {
    if let Some(u) = given {
        return Ok(u.trim().to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            "Say who you are with --user LOGIN or DUTYDESK_USER.".into(),
        ));
    }
    super::output::to_stderr(format_args!("User: "));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// A passphrase: `DUTYDESK_PASSPHRASE` if set (`var` picks another variable), else asked for
/// without echo.
pub fn passphrase(prompt: &str, var: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::new(format!(
            "No passphrase: type it at a terminal, or set {var} for scripts."
        )));
    }
    Ok(Zeroizing::new(rpassword::prompt_password(prompt)?))
}

/// A new passphrase, typed twice (or from the environment variable).
pub fn new_passphrase(who: &str, var: &str) -> Result<Zeroizing<String>, CliError> {
    if let Ok(p) = std::env::var(var) {
        return Ok(Zeroizing::new(p));
    }
    let first = passphrase(&format!("New passphrase for {who}: "), var)?;
    let again = passphrase("Type it again: ", var)?;
    if *first != *again {
        return Err(CliError::new(
            "The two passphrases differ: nothing was changed, try again.".into(),
        ));
    }
    Ok(first)
}
