//! Data portability (Article 20): the data the person gave us (their record's fields, phone
//! numbers, email, address and the consents they gave) as `data.json` and as CSV files
//! (`person.csv`, `phones.csv`, `consents.csv`) in a folder, for them or another organisation.
//!
//! Data protection lead only, under an open portability request; audited. Restricted records
//! are refused like every other export.

use super::pack::make_dir;
use crate::domain::rights::RequestKind;
use crate::store::exports::{AuditedExport, ExportEntry};
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct Portable<'a> {
    request_id: i64,
    controller: &'a str,
    person: PortablePerson,
    consents: Vec<PortableConsent>,
}

#[derive(Serialize)]
struct PortablePerson {
    title: Option<String>,
    given_name: String,
    family_name: String,
    aliases: Vec<String>,
    address: Option<String>,
    postcode: Option<String>,
    phones: Vec<String>,
    email: Option<String>,
    date_of_birth: Option<chrono::NaiveDate>,
    organisation: Option<String>,
}

#[derive(Serialize)]
struct PortableConsent {
    purpose: String,
    given: bool,
    wording_version: u32,
    how: String,
    on: chrono::NaiveDate,
}

fn csv_err(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::invalid(format!(
        "Could not write {} ({e}): check the folder exists and you may write to it.",
        path.display()
    ))
}

fn write_csv(export: &mut AuditedExport<'_>, path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| csv_err(path, e))?;
    for r in rows {
        w.write_record(r).map_err(|e| csv_err(path, e))?;
    }
    let bytes = w.into_inner().map_err(|e| csv_err(path, e))?;
    export.file(path, &bytes)
}

/// Writes the portability files for request `request_id` into `out_dir` (created if needed).
/// Returns the files written.
pub fn portability_export(store: &Store, request_id: i64, out_dir: &Path) -> Result<Vec<PathBuf>> {
    store.require_lead("export portable data")?;
    let detail = store.request(request_id)?;
    if !detail.row.kinds.contains(&RequestKind::Portability) {
        return Err(StoreError::invalid(format!(
            "Request {request_id} does not ask for portability: record a portability request first."
        )));
    }
    if detail.row.status == crate::domain::rights::RequestStatus::Closed {
        return Err(StoreError::invalid(format!(
            "Request {request_id} is closed: record a new request if the person asks again."
        )));
    }
    let person = detail
        .row
        .person_id
        .ok_or_else(|| StoreError::invalid(format!("Request {request_id} is not linked to a person on file.")))?;
    let view = store.person(person)?;
    if view.restricted {
        return Err(StoreError::Restricted);
    }
    let rec = view.record;
    let consents: Vec<PortableConsent> = store
        .consent_history(person)?
        .into_iter()
        .map(|c| PortableConsent {
            purpose: c.purpose,
            given: c.given,
            wording_version: c.wording_version,
            how: c.how,
            on: c.on,
        })
        .collect();
    let data = Portable {
        request_id,
        controller: &store.profile().controller.name,
        person: PortablePerson {
            title: rec.title.clone(),
            given_name: rec.given_name.clone(),
            family_name: rec.family_name.clone(),
            aliases: rec.aliases.clone(),
            address: rec.address.clone(),
            postcode: rec.postcode.clone(),
            phones: rec.phones.clone(),
            email: rec.email.clone(),
            date_of_birth: rec.date_of_birth,
            organisation: rec.organisation.clone(),
        },
        consents,
    };
    make_dir(out_dir)?;
    let json_path = out_dir.join("data.json");
    let json = serde_json::to_vec_pretty(&data).map_err(|e| StoreError::invalid(e.to_string()))?;
    let mut export = store.begin_export(&[
        ExportEntry {
            entity: "person",
            id: Some(person),
            fields: &["portability"],
        },
        ExportEntry {
            entity: "rights_request",
            id: Some(request_id),
            fields: &["portability"],
        },
    ])?;
    export.file(&json_path, &json)?;
    let p = &data.person;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let person_csv = out_dir.join("person.csv");
    write_csv(
        &mut export,
        &person_csv,
        &[
            "title",
            "given_name",
            "family_name",
            "aliases",
            "address",
            "postcode",
            "email",
            "date_of_birth",
            "organisation",
        ],
        &[vec![
            opt(&p.title),
            p.given_name.clone(),
            p.family_name.clone(),
            p.aliases.join("; "),
            opt(&p.address),
            opt(&p.postcode),
            opt(&p.email),
            p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
            opt(&p.organisation),
        ]],
    )?;
    let phones_csv = out_dir.join("phones.csv");
    let phone_rows: Vec<Vec<String>> = p.phones.iter().map(|ph| vec![ph.clone()]).collect();
    write_csv(&mut export, &phones_csv, &["phone"], &phone_rows)?;
    let consents_csv = out_dir.join("consents.csv");
    let consent_rows: Vec<Vec<String>> = data
        .consents
        .iter()
        .map(|c| {
            vec![
                c.purpose.clone(),
                if c.given { "given" } else { "withdrawn" }.to_string(),
                c.wording_version.to_string(),
                c.how.clone(),
                c.on.to_string(),
            ]
        })
        .collect();
    write_csv(
        &mut export,
        &consents_csv,
        &["purpose", "action", "wording_version", "how", "on"],
        &consent_rows,
    )?;
    export.finish()?;
    Ok(vec![json_path, person_csv, phones_csv, consents_csv])
}
