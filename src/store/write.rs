//! The one write path. Every change to the case file goes through [`Store::write`]: one
//! transaction, the change, and its audit entry, committed together or not at all. A change
//! that writes no audit entry is refused (and rolled back): every change is accounted for.
//!
//! An audit entry that records a view rather than a change (a look at health notes or DBS
//! checks, an unlock, the full record read for an access pack) is written on its own by
//! [`super::audit::append`], one transaction per entry, from read paths that change nothing.
//!
//! Who may make a change is checked by the caller first (with [`Store::require_role`], or by
//! reading the person through the access matrix), so that a refusal comes before any other
//! message; [`Store::write_as`] does both for the writes gated by role alone.

use super::audit;
use super::error::{Result, StoreError};
use super::Store;
use crate::domain::Role;
use rusqlite::Transaction;

impl Store {
    /// Runs `change` in one transaction and commits it only if it succeeded and wrote at least
    /// one audit entry.
    pub(crate) fn write<T>(&mut self, change: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        // IMMEDIATE: the write lock is taken at the start (waiting up to the busy timeout for
        // another writer), so a change never reads a snapshot that another connection's commit
        // makes stale before it writes (which SQLite refuses at once, without waiting).
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before = audit::entries_written(&tx)?;
        let out = change(&tx)?;
        if audit::entries_written(&tx)? == before {
            // A programming error, refused rather than committed unaccounted.
            return Err(StoreError::invalid(
                "dutydesk refused a change that had no audit entry; nothing was changed. Please report this.",
            ));
        }
        tx.commit()?;
        Ok(out)
    }

    /// [`Store::write`] for a change only some roles may make (`what` names it for the
    /// refusal).
    pub(crate) fn write_as<T>(
        &mut self,
        roles: &[Role],
        what: &str,
        change: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.require_role(roles, what)?;
        self.write(change)
    }

    /// [`Store::write`] for a change to one row: `change` writes it and returns its id, and
    /// the audit entry (`action` on `entity`, naming the `fields` written, never their values)
    /// is appended by the acting user at the store's time.
    pub(crate) fn write_row(
        &mut self,
        action: audit::Action,
        entity: &str,
        fields: &[&str],
        change: impl FnOnce(&Transaction<'_>) -> Result<i64>,
    ) -> Result<i64> {
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let id = change(tx)?;
            audit::append(tx, now, Some(user), action, entity, Some(id), fields)?;
            Ok(id)
        })
    }
}
