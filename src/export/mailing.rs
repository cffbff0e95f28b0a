//! Mailing lists for a purpose such as newsletters or events, as CSV. The list comes from
//! [`Store::mailing_list`], which leaves out restricted people and everyone whose objection to
//! the purpose was decided "stop": an objection is enforced where the list is made.

use crate::store::exports::ExportEntry;
use crate::store::{Result, Store, StoreError};
use std::path::Path;

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
    let mut export = store.begin_export(&[ExportEntry {
        entity: "mailing_list",
        id: None,
        fields: &[purpose],
    }])?;
    export.file(path, &bytes)?;
    export.finish()?;
    Ok(list.len())
}
