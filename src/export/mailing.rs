//! Mailing lists for the purposes the profile makes lists for (newsletters, events...), as CSV
//! or as printable address labels (HTML, 21 to an A4 sheet). The list comes from
//! [`Store::mailing_list`], which leaves out restricted people, everyone whose objection to the
//! purpose was decided "stop" (and, for direct marketing, anyone whose objection is still
//! open), people referred but not yet clients, and, where the purpose rests on consent, anyone
//! without it in force: objections are enforced where the list is made. Every list written is
//! audited, and the file is private to its owner (0600).

use crate::store::exports::ExportEntry;
use crate::store::fulfil::MailingEntry;
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::path::Path;

const LABELS_TEMPLATE: &str = "address_labels.html.j2";

/// Writes the mailing list for `purpose` (a purpose key of the profile, e.g. "newsletters") to
/// `path` as CSV (name, email, address, postcode). Returns how many people it holds. Audited.
pub fn write_mailing_list(store: &Store, purpose: &str, path: &Path) -> Result<usize> {
    let list = store.mailing_list(purpose)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| StoreError::invalid(format!("The mailing list could not be written ({e})."));
    w.write_record(["name", "email", "address", "postcode"]).map_err(err)?;
    for e in &list {
        w.write_record([
            e.name.as_str(),
            e.email.as_deref().unwrap_or(""),
            e.address.as_deref().unwrap_or(""),
            e.postcode.as_deref().unwrap_or(""),
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| StoreError::invalid(format!("The mailing list could not be written ({e}).")))?;
    write_audited(store, purpose, path, &bytes)?;
    Ok(list.len())
}

/// One address label: the name, then the address's lines, then the postcode.
#[derive(Debug, Clone, Serialize)]
struct Label {
    name: String,
    lines: Vec<String>,
}

fn label(e: &MailingEntry) -> Option<Label> {
    e.address.as_ref()?;
    Some(Label {
        name: e.name.clone(),
        lines: super::envelope_lines(e.address.as_deref(), e.postcode.as_deref()),
    })
}

/// Writes printable address labels for `purpose` to `path` (HTML): everyone on the list with
/// a postal address. Returns how many labels. Audited.
pub fn write_address_labels(store: &Store, purpose: &str, path: &Path) -> Result<usize> {
    let labels: Vec<Label> = store.mailing_list(purpose)?.iter().filter_map(label).collect();
    let mut env = super::environment()?;
    env.add_template(
        LABELS_TEMPLATE,
        include_str!("../../assets/templates/address_labels.html.j2"),
    )
    .map_err(super::template_error)?;
    let title = store.profile().purpose(purpose).map_or_else(
        || purpose.to_string(),
        |p| p.description.trim_end_matches('.').to_string(),
    );
    let html = env
        .get_template(LABELS_TEMPLATE)
        .and_then(|t| {
            t.render(minijinja::context! {
                title => title,
                labels => labels,
                date => super::long_date(store.clock().today()),
            })
        })
        .map_err(super::template_error)?;
    write_audited(store, purpose, path, html.as_bytes())?;
    Ok(labels.len())
}

fn write_audited(store: &Store, purpose: &str, path: &Path, bytes: &[u8]) -> Result<()> {
    let mut export = store.begin_export(&[ExportEntry {
        entity: "mailing_list",
        id: None,
        fields: &[purpose],
    }])?;
    export.file(path, bytes)?;
    export.finish()
}
