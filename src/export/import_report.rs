//! The report of a spreadsheet check or import, as CSV: one line per row of the sheet with
//! its number, status, the person on file it concerns (by id) and the sentence saying what
//! becomes of it. Written privately (0600), beside the user's own file or where they ask:
//! it quotes that file's cells in its messages, and no more.

use crate::store::import::ImportCheck;
use crate::store::{Result, StoreError};
use std::path::Path;

/// Writes the report to `path`, replacing any earlier one atomically.
pub fn write(check: &ImportCheck, path: &Path) -> Result<()> {
    let fail = |e: csv::Error| StoreError::invalid(format!("The report could not be made: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["row", "status", "person_id", "message"])
        .map_err(fail)?;
    for r in &check.rows {
        w.write_record([
            r.row.to_string(),
            r.status.key().to_string(),
            r.person_id.map(|i| i.to_string()).unwrap_or_default(),
            r.message.clone(),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| StoreError::invalid(format!("The report could not be made: {e}")))?;
    crate::store::datadir::write_atomic(path, &bytes)
}
