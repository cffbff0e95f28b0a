//! Exports (notices, letters, access packs, portability files, mailing lists) and their audit
//! entries as one: the entries are written in a transaction, the files are written, and only
//! then does the transaction commit. If a file cannot be written, no entry is kept and the
//! files already written are deleted; if the commit fails, the files are deleted. So personal
//! data never leaves the case file without its audit entry, and no entry records an export
//! that did not happen.

use super::audit;
use super::error::{Result, StoreError};
use super::ids::new_id;
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
    now: chrono::NaiveDateTime,
    user: i64,
}

/// The task kind of a reminder to delete a local copy of an export once it has been sent.
pub const DELETE_COPY: &str = "delete_copy";

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
            now,
            user: self.actor().user_id,
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

    /// Leaves a reminder on the handover, in the export's transaction: delete the local copy
    /// written to `folder` once it has been sent (due `due_on`). The folder's path is the only
    /// thing it holds besides the ids.
    pub fn remind_to_delete(
        &mut self,
        person: i64,
        request: i64,
        folder: &Path,
        due_on: chrono::NaiveDate,
    ) -> Result<()> {
        let Some(tx) = self.tx.as_ref() else {
            return Ok(());
        };
        tx.execute(
            concat!(
                "INSERT INTO tasks (id, kind, person_id, request_id, about, created_at, due_on) VALUES (",
                new_id!("tasks"),
                ", ?1, ?2, ?3, ?4, ?5, ?6)"
            ),
            rusqlite::params![
                DELETE_COPY,
                person,
                request,
                format!(
                    "Delete the local copy of request #{request}'s access pack in {} once it has been sent",
                    folder.display()
                ),
                self.now,
                due_on
            ],
        )?;
        audit::append(
            tx,
            self.now,
            Some(self.user),
            audit::Action::Create,
            "task",
            Some(tx.last_insert_rowid()),
            &["kind", "request_id", "about"],
        )
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
