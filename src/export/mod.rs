//! Documents generated from the case file and the organisation profile: Article 14 notices,
//! subject access packs, portability files, letters to people who made rights requests, and
//! mailing lists that honour objections.
//!
//! Templates live in `assets/templates/` and are compiled into the binary. HTML templates
//! (`*.html.j2`) are auto-escaped, so nothing typed into the case file can inject markup;
//! plain-text templates (`*.txt.j2`) are not. Nothing here speaks SQL: every read goes through
//! the store (and its role checks). Files are written only where the user asks, and every
//! export writes an audit entry naming the person's id and the field groups included.

pub mod breach_letters;
pub mod complaint_letters;
pub mod folder;
pub mod import_report;
pub mod letters;
pub mod mailing;
pub mod notice;
pub mod pack;
pub mod portability;

use crate::store::StoreError;
use minijinja::{AutoEscape, Environment};

/// A template environment with the shipped templates, HTML escaping for `.html.j2`, and
/// block trimming so the plain-text output has no stray blank lines.
pub(crate) fn environment() -> Result<Environment<'static>, StoreError> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") || name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for (name, text) in notice::TEMPLATES {
        env.add_template(name, text).map_err(template_error)?;
    }
    Ok(env)
}

/// The charity's own words that letters use, from the profile: who signs them, and who
/// answers people in person ("our duty officers", "the volunteers who answer enquiries").
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct LetterWords {
    pub signature: String,
    pub staff: String,
}

pub(crate) fn letter_words(profile: &crate::profile::Profile) -> LetterWords {
    LetterWords {
        signature: profile.signature().to_string(),
        // "Show one of our duty officers": the notice's own name for them, where it gives one.
        staff: profile
            .role_names
            .get(&crate::domain::Role::DutyOfficer)
            .cloned()
            .unwrap_or_else(|| "our volunteers".to_string()),
    }
}

/// An address as the lines of an envelope: split at its commas and line breaks, then the
/// postcode.
pub(crate) fn envelope_lines(address: Option<&str>, postcode: Option<&str>) -> Vec<String> {
    address
        .unwrap_or("")
        .split([',', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .chain(postcode)
        .map(str::to_string)
        .collect()
}

/// A label as it reads inside a sentence: its first letter in lower case, unless it starts
/// an abbreviation ("Phone numbers" -> "phone numbers", "DBS checks" stays).
pub(crate) fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// A list as a sentence says it: "a", "a and b", "a, b and c".
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A date as letters and notices write it: "25 November 2026".
pub(crate) fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub(crate) fn template_error(e: minijinja::Error) -> StoreError {
    StoreError::invalid(format!(
        "The document template could not be filled ({e}): report this to whoever looks after dutydesk."
    ))
}
