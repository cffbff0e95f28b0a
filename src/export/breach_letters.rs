//! The letter telling people affected by a high-risk breach what happened (Article 34): the
//! nature of the breach, the data involved, the likely consequences, what was done, and whom
//! to contact. One letter for each person named; for a breach of everyone on the case file,
//! one letter to "Dear client" to print or email to all. Audited as every export is.

use super::long_date;
use crate::domain::breach::BreachRisk;
use crate::domain::FieldGroup;
use crate::store::exports::ExportEntry;
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::path::Path;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "breach_notice.txt.j2",
        include_str!("../../assets/templates/letters/breach_notice.txt.j2"),
    ),
    (
        "breach_notice.html.j2",
        include_str!("../../assets/templates/letters/breach_notice.html.j2"),
    ),
];

#[derive(Serialize)]
struct BreachContext {
    id: i64,
    what: String,
    data: String,
    consequences: String,
    measures: String,
}

/// Writes the Article 34 letters for a breach decided "high risk" into `dir` (made if missing,
/// private): `breach-ID-person-N.html`/`.txt` for each person named, or `breach-ID-everyone`
/// for a breach of everyone. Returns how many letters.
pub fn write_breach_letters(store: &Store, id: i64, dir: &Path) -> Result<usize> {
    let b = store.breach(id)?;
    if b.risk != Some(BreachRisk::High) {
        return Err(StoreError::invalid(
            "The people affected are written to when the risk is judged high (Article 34): decide that first.",
        ));
    }
    let data: Vec<String> = b
        .data_groups
        .split(',')
        .filter_map(|k| FieldGroup::parse(k).ok())
        .map(|g| super::in_sentence(store.profile().field_label(g)))
        .collect();
    let breach = BreachContext {
        id,
        what: b.what.clone(),
        data: data.join(", "),
        consequences: b.consequences.clone(),
        measures: b.measures.clone(),
    };
    let mut env = super::environment()?;
    for (name, src) in TEMPLATES {
        env.add_template(name, src).map_err(super::template_error)?;
    }
    let people = store.breach_people(id)?;
    // (file stem, name, address lines) for each letter.
    let mut letters: Vec<(String, String, Vec<String>)> = Vec::new();
    if b.everyone || people.is_empty() {
        letters.push((format!("breach-{id}-everyone"), "client".into(), Vec::new()));
    }
    for p in &people {
        let v = store.person(*p)?;
        let lines = super::envelope_lines(v.record.address.as_deref(), v.record.postcode.as_deref());
        letters.push((format!("breach-{id}-person-{p}"), v.name(), lines));
    }
    super::pack::make_dir(dir)?;
    let entries: Vec<ExportEntry<'_>> = std::iter::once(ExportEntry {
        entity: "breach",
        id: Some(id),
        fields: &["breach_notice"],
    })
    .chain(people.iter().map(|p| ExportEntry {
        entity: "person",
        id: Some(*p),
        fields: &["breach_notice"],
    }))
    .collect();
    let mut export = store.begin_export(&entries)?;
    for (stem, name, address) in &letters {
        let ctx = minijinja::context! {
            today => long_date(store.clock().today()),
            controller => store.profile().controller.clone(),
            words => super::letter_words(store.profile()),
            ico => store.profile().supervisory_authority.clone(),
            recipient_name => name,
            recipient_address => address,
            breach => &breach,
        };
        for ext in ["html", "txt"] {
            let text = env
                .get_template(&format!("breach_notice.{ext}.j2"))
                .and_then(|t| t.render(&ctx))
                .map_err(super::template_error)?;
            export.file(&dir.join(format!("{stem}.{ext}")), text.as_bytes())?;
        }
    }
    export.finish()?;
    Ok(letters.len())
}
