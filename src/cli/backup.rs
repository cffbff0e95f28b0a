//! `dutydesk backup`, `dutydesk backup verify FILE` and `dutydesk restore FILE`.

use super::commands::{clock, unlock};
use super::output::{self, say};
use super::{auth, CliError};
use crate::store::backup;
use crate::store::DataDir;
use std::io::IsTerminal;
use std::path::Path;

type Res = Result<(), CliError>;

/// Backs the case file up into `to` (default: the data folder's `backups`), keeping the
/// newest `keep` there, with a progress line on stderr.
pub(super) fn backup(dir: &DataDir, user: Option<&str>, to: Option<&Path>, keep: Option<usize>) -> Res {
    let mut store = unlock(dir, user)?;
    let folder = to.map(Path::to_path_buf).unwrap_or_else(|| dir.default_backups());
    let mut shown = None;
    let report = store.backup(&folder, keep, &mut |done, total| {
        let pct = (done * 100).checked_div(total).unwrap_or(100);
        if shown != Some(pct) {
            shown = Some(pct);
            output::to_stderr(format_args!("\rBacking up: {pct}%"));
        }
    })?;
    output::to_stderr(format_args!("\n"));
    say!(
        "Backed up to {} ({:.1} MB), encrypted: any user on the case file opens it with their passphrase.",
        report.path.display(),
        report.bytes as f64 / 1e6
    );
    for old in &report.retired {
        say!("Removed the older backup {} (--keep).", old.display());
    }
    Ok(())
}

/// Opens a backup and checks it, without restoring anything.
pub(super) fn verify(file: &Path, user: Option<&str>) -> Res {
    let login = auth::login(user)?;
    let pass = auth::passphrase(
        &format!("Passphrase {login} had when the backup was made: "),
        "DUTYDESK_PASSPHRASE",
    )?;
    let s = backup::verify(file, &login, &pass, clock())?;
    say!(
        "Backup of {} made {} by {}",
        s.header.organisation,
        s.header.made_at.format("%d/%m/%Y %H:%M"),
        s.header.made_by
    );
    say!(
        "schema version {}, {} people, {} erased before it",
        s.header.schema_version,
        s.people,
        s.erased
    );
    say!("opens for: {}", s.users.join(", "));
    if s.problems.is_empty() {
        say!("Sound: the digest matches, integrity ok, foreign keys ok, audit chain intact.");
        Ok(())
    } else {
        for p in &s.problems {
            say!("problem: {p}");
        }
        Err(CliError::negative(format!(
            "{} problem(s) found in the backup: do not rely on it; make a new backup from the case file.",
            s.problems.len()
        )))
    }
}

/// Restores a backup into the data folder; a live case file there is replaced only with
/// `--replace`, after a confirmation that names both (or `--yes` in scripts).
pub(super) fn restore(dir: &DataDir, user: Option<&str>, file: &Path, replace: bool, yes: bool) -> Res {
    let header = backup::header_of(file)?;
    let made = header.made_at.format("%d/%m/%Y %H:%M").to_string();
    if dir.exists() {
        if !replace {
            return Err(CliError::new(format!(
                "{} already holds a case file: restoring the backup made {made} would replace it. Add --replace to do that (the one there now is kept), or restore into an empty folder with --data-dir.",
                dir.root().display()
            )));
        }
        if !yes {
            if !std::io::stdin().is_terminal() {
                return Err(CliError::new(
                    "Replacing a case file needs a yes: run this at a terminal, or add --yes in a script.".into(),
                ));
            }
            output::to_stderr(format_args!(
                "Replace the case file in {} with the backup {} made {made}? The case file there now is kept in a replaced-... folder beside it. Type yes to go on: ",
                dir.root().display(),
                file.display()
            ));
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer)?;
            if answer.trim() != "yes" {
                return Err(CliError::new("Nothing was restored.".into()));
            }
        }
    }
    let login = auth::login(user)?;
    let pass = auth::passphrase(&format!("Passphrase {login} had on {made}: "), "DUTYDESK_PASSPHRASE")?;
    // Replacing a case file also reads its erasure register, with the passphrase as it is now
    // (DUTYDESK_CURRENT_PASSPHRASE in scripts; asked at a terminal, Enter if unchanged).
    let current = if dir.exists() {
        match std::env::var("DUTYDESK_CURRENT_PASSPHRASE") {
            Ok(p) => Some(zeroize::Zeroizing::new(p)),
            Err(_) if std::io::stdin().is_terminal() && std::env::var_os("DUTYDESK_PASSPHRASE").is_none() => {
                let p = auth::passphrase(
                    &format!("Passphrase {login} has on this laptop now (Enter if the same): "),
                    "DUTYDESK_CURRENT_PASSPHRASE",
                )?;
                (!p.is_empty()).then_some(p)
            }
            Err(_) => None,
        }
    } else {
        None
    };
    let r = backup::restore(
        file,
        dir,
        &login,
        &pass,
        current.as_deref().map(|s| s.as_str()),
        replace,
        clock(),
    )?;
    say!(
        "Restored the backup made {} into {}: {} people.",
        r.made_at.format("%d/%m/%Y %H:%M"),
        dir.root().display(),
        r.people
    );
    say!(
        "{} person(s) erased after the backup was made were erased again.",
        r.reerased
    );
    if let Some(kept) = &r.replaced_kept_in {
        say!("The case file it replaced is kept in {}.", kept.display());
    }
    if r.unreadable_registers > 0 {
        say!(
            "{} newer backup(s) or erasure register(s) beside it did not open with this passphrase: erasures only they record were not re-applied. Restore as a user whose passphrase opens them, or check with the data protection lead.",
            r.unreadable_registers
        );
    }
    Ok(())
}
