//! The letters a complaint needs (DPA 2018 s.164A): the acknowledgement, and the outcome with
//! the right to complain to the ICO. Written (HTML to print, text to email) where the data
//! protection lead says, audited as every export is.

use super::long_date;
use crate::store::exports::ExportEntry;
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Which complaint letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintLetter {
    Acknowledgement,
    Outcome,
}

impl ComplaintLetter {
    fn key(self) -> &'static str {
        match self {
            ComplaintLetter::Acknowledgement => "complaint_acknowledgement",
            ComplaintLetter::Outcome => "complaint_outcome",
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    (
        "complaint_acknowledgement.txt.j2",
        include_str!("../../assets/templates/letters/complaint_acknowledgement.txt.j2"),
    ),
    (
        "complaint_acknowledgement.html.j2",
        include_str!("../../assets/templates/letters/complaint_acknowledgement.html.j2"),
    ),
    (
        "complaint_outcome.txt.j2",
        include_str!("../../assets/templates/letters/complaint_outcome.txt.j2"),
    ),
    (
        "complaint_outcome.html.j2",
        include_str!("../../assets/templates/letters/complaint_outcome.html.j2"),
    ),
];

#[derive(Serialize)]
struct ComplaintContext {
    id: i64,
    received_on: String,
    about: String,
    investigation: String,
    outcome: String,
}

/// Renders a complaint letter: (HTML, text). The outcome letter needs the outcome recorded.
pub fn render_complaint_letter(store: &Store, id: i64, kind: ComplaintLetter) -> Result<(String, String)> {
    let c = store.complaint(id)?;
    if kind == ComplaintLetter::Outcome && c.outcome.is_none() {
        return Err(StoreError::invalid(
            "Record what the investigation found before writing the outcome letter.",
        ));
    }
    let (recipient_name, recipient_address) = match c.person_id.and_then(|p| store.person(p).ok()) {
        Some(p) => (
            p.name(),
            super::envelope_lines(p.record.address.as_deref(), p.record.postcode.as_deref()),
        ),
        None => (c.who.clone(), Vec::new()),
    };
    let mut env = super::environment()?;
    for (name, src) in TEMPLATES {
        env.add_template(name, src).map_err(super::template_error)?;
    }
    let ctx = minijinja::context! {
        today => long_date(store.clock().today()),
        controller => store.profile().controller.clone(),
        words => super::letter_words(store.profile()),
        ico => store.profile().supervisory_authority.clone(),
        recipient_name => recipient_name,
        recipient_address => recipient_address,
        complaint => ComplaintContext {
            id,
            received_on: long_date(c.received_on),
            about: c.about.clone(),
            investigation: c.investigation.clone().unwrap_or_default(),
            outcome: c.outcome.clone().unwrap_or_default(),
        },
    };
    let render = |ext: &str| {
        env.get_template(&format!("{}.{ext}.j2", kind.key()))
            .and_then(|t| t.render(&ctx))
            .map_err(super::template_error)
    };
    Ok((render("html")?, render("txt")?))
}

/// Writes a complaint letter into `dir` (made if missing, private): `complaint-ID-KIND.html`
/// and `.txt`. Audited.
pub fn write_complaint_letter(store: &Store, id: i64, kind: ComplaintLetter, dir: &Path) -> Result<PathBuf> {
    let (html, text) = render_complaint_letter(store, id, kind)?;
    super::pack::make_dir(dir)?;
    let stem = format!("complaint-{id}-{}", kind.key().trim_start_matches("complaint_"));
    let html_path = dir.join(format!("{stem}.html"));
    let mut export = store.begin_export(&[ExportEntry {
        entity: "complaint",
        id: Some(id),
        fields: &[kind.key()],
    }])?;
    export.file(&html_path, html.as_bytes())?;
    export.file(&dir.join(format!("{stem}.txt")), text.as_bytes())?;
    export.finish()?;
    Ok(html_path)
}
