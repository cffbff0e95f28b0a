//! The documents of a rights request from the command line: the subject access pack, the
//! portability files and any letter. Each writes into the folder given (made private if new),
//! refuses to write over an earlier pack, and is audited as in the terminal; the same roles
//! may write each.

use super::commands::unlock;
use super::output::say;
use super::CliError;
use crate::export::letters::{write_letter, LetterKind};
use crate::store::DataDir;
use std::path::Path;

type Res = Result<(), CliError>;

/// `dutydesk sar REQUEST --out DIR`: the subject access pack (data protection lead).
pub(super) fn sar(dir: &DataDir, user: Option<&str>, request: i64, out: &Path) -> Res {
    let store = unlock(dir, user)?;
    let pack = crate::export::pack::subject_access_pack(&store, request, out)?;
    for f in &pack.files {
        say!("{}", f.display());
    }
    if pack.third_party_mentions > 0 {
        say!(
            "{} mention(s) of other people to review before it is sent: see redaction_review.txt.",
            pack.third_party_mentions
        );
    }
    Ok(())
}

/// `dutydesk portability REQUEST --out DIR`: what the person gave, as JSON and CSV (data
/// protection lead).
pub(super) fn portability(dir: &DataDir, user: Option<&str>, request: i64, out: &Path) -> Res {
    let store = unlock(dir, user)?;
    for f in crate::export::portability::portability_export(&store, request, out)? {
        say!("{}", f.display());
    }
    Ok(())
}

/// `dutydesk letter REQUEST KIND --out DIR`: one letter, HTML and plain text.
/// `dutydesk complaint-letter ID acknowledgement|outcome --out DIR`.
pub(super) fn complaint_letter(dir: &DataDir, user: Option<&str>, complaint: i64, kind: &str, out: &Path) -> Res {
    use crate::export::complaint_letters::{write_complaint_letter, ComplaintLetter};
    let kind = match kind.trim().to_ascii_lowercase().as_str() {
        "acknowledgement" | "acknowledgment" => ComplaintLetter::Acknowledgement,
        "outcome" => ComplaintLetter::Outcome,
        other => {
            return Err(CliError::new(format!(
                "There is no complaint letter \"{}\": choose acknowledgement or outcome.",
                other.chars().take(30).collect::<String>()
            )))
        }
    };
    let store = unlock(dir, user)?;
    let html = write_complaint_letter(&store, complaint, kind, out)?;
    say!("{}", html.display());
    say!("{}", html.with_extension("txt").display());
    Ok(())
}

/// `dutydesk breach-letters ID --out DIR`.
pub(super) fn breach_letters(dir: &DataDir, user: Option<&str>, breach: i64, out: &Path) -> Res {
    let store = unlock(dir, user)?;
    let n = crate::export::breach_letters::write_breach_letters(&store, breach, out)?;
    say!("{n} letter(s) written to {}.", out.display());
    Ok(())
}

pub(super) fn letter(dir: &DataDir, user: Option<&str>, request: i64, kind: &str, out: &Path) -> Res {
    let Some(kind) = LetterKind::parse(kind) else {
        let keys: Vec<&str> = LetterKind::ALL.iter().map(|k| k.key()).collect();
        return Err(CliError::new(format!(
            "There is no letter \"{}\": choose one of {}.",
            kind.chars().take(30).collect::<String>(),
            keys.join(", ")
        )));
    };
    let store = unlock(dir, user)?;
    let (html, text) = write_letter(&store, request, kind, out)?;
    say!("{}", html.display());
    say!("{}", text.display());
    Ok(())
}
