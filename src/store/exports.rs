//! Exports (notices, letters, access packs, portability files, mailing lists) and their audit
//! entries as one: the entries are written in a transaction, the files are written, and only
//! then does the transaction commit. If a file cannot be written, no entry is kept and the
//! files already written are deleted; if the commit fails, the files are deleted. So personal
//! data never leaves the case file without its audit entry, and no entry records an export
//! that did not happen.

use super::audit;
use super::error::{Result, StoreError};
use super::Store;
use std::path::{Path, PathBuf};

/// One audit entry for an export: the record exported and the field names (never values).
pub struct ExportEntry<'a> {
    pub entity: &'a str,
    pub id: Option<i64>,
    pub fields: &'a [&'a str],
}

/// An export in progress: its audit entries are written but not committed.
pub struct AuditedExport<'s> {
    tx: Option<rusqlite::Transaction<'s>>,
    written: Vec<PathBuf>,
}

impl Store {
    /// Starts an export: writes its audit entries in a transaction that [`AuditedExport::finish`]
    /// commits once every file is written.
    pub fn begin_export(&self, entries: &[ExportEntry<'_>]) -> Result<AuditedExport<'_>> {
        let tx = self.conn.unchecked_transaction()?;
        let now = self.clock().now();
        for e in entries {
            audit::append(
                &tx,
                now,
                Some(self.actor().user_id),
                audit::Action::Export,
                e.entity,
                e.id,
                e.fields,
            )?;
        }
        Ok(AuditedExport {
            tx: Some(tx),
            written: Vec::new(),
        })
    }
}

impl AuditedExport<'_> {
    /// Writes one file of the export: private (600), atomically, never through a link.
    pub fn file(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        // Counted as written from the start (a failure after the rename still leaves the file),
        // unless it replaces an earlier export's file, which is left alone.
        if !path.exists() {
            self.written.push(path.to_path_buf());
        }
        super::datadir::write_atomic(path, bytes).map_err(|e| match e {
            StoreError::DiskFull | StoreError::Symlink(_) => e,
            other => StoreError::invalid(format!(
                "Could not write {} ({other}): check the folder exists and you may write to it.",
                path.display()
            )),
        })?;
        Ok(())
    }

    /// Commits the audit entries: the export is done.
    pub fn finish(mut self) -> Result<()> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        match tx.commit() {
            Ok(()) => {
                self.written.clear();
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl Drop for AuditedExport<'_> {
    /// An export not finished (a file failed, the commit failed, or an error in between):
    /// the transaction rolls back and the files written so far are deleted.
    fn drop(&mut self) {
        for path in &self.written {
            let _ = std::fs::remove_file(path);
        }
    }
}
