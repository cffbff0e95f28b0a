//! Erasure (Article 17): every row about the person, in every table and in the search index,
//! goes; what stays is a tombstone (id, date, request) and an erasure-ledger entry (how many
//! rows per table, no values), and the request itself, scrubbed of its free text.
//!
//! Refusal: a standing legal hold (an on-going legal claim, or a legal obligation to keep the
//! data, recorded as a hold by the data protection lead) refuses the erasure with the reason.
//! Kept simple on purpose: the store cannot judge other legal obligations (e.g. whether a DBS
//! check must still be kept), so the lead records them as a legal hold.
//!
//! The person's search-index row is taken out with FTS5's `delete` command and the values it
//! was written with, inside the transaction; after it the WAL is checkpointed and truncated.
//! With `secure_delete` on (freed cells and pages are zeroed as they are freed), FTS5's
//! `secure-delete` and `auto_vacuum = FULL`, none of the person's values remain in any byte of
//! the case file, its WAL or its shared-memory file, without merging the whole search index
//! or rewriting the whole file with a `VACUUM` (each a second or more on a large file; see
//! BENCHMARKS.md).

use super::error::{Result, StoreError};
use super::fulfil::create_article19_tasks;
use super::ids::new_id;
use super::{audit, people, Store};
use crate::domain::rights::RequestKind;
use rusqlite::params;
use std::collections::BTreeMap;

/// What an erasure removed: rows per table (no values).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErasureReport {
    pub person_id: i64,
    /// The erasure request, or `None` for a retention decision.
    pub request_id: Option<i64>,
    pub rows_removed: BTreeMap<String, usize>,
    /// Article 19 tasks created for the recipients the data had been disclosed to.
    pub article19_tasks: usize,
    /// Whether the erasure register beside the case file was rewritten (it is again at the
    /// next backup or erasure; until then a restore of an older backup would miss this one),
    /// and the person erased from the copies kept for merging with other laptops.
    pub registered: bool,
    /// Whether the file was compacted at once (freed pages rewritten, WAL truncated). If not
    /// (a full disk, say), the erasure still stands and every open tries again until it is.
    pub compacted: bool,
}

/// Rows deleted outright, by table and the column naming the person. Order matters only for
/// readability: foreign keys cascade or set NULL as declared in the schema.
const DELETES: &[(&str, &str)] = &[
    ("relationships", "person_id = ?1 OR other_id = ?1"),
    ("contacts", "person_id = ?1"),
    ("callbacks", "person_id = ?1"),
    ("services", "person_id = ?1"),
    ("health_notes", "person_id = ?1"),
    ("health_note_removals", "person_id = ?1"),
    ("dbs_checks", "person_id = ?1"),
    ("dbs_applications", "person_id = ?1"),
    (
        "notice_exemption_reviews",
        "notice_id IN (SELECT id FROM article14_notices WHERE person_id = ?1)",
    ),
    ("article14_notices", "person_id = ?1"),
    ("publications", "person_id = ?1"),
    ("consents", "person_id = ?1"),
    // Open Article 19 tasks are kept (unlinked below): the recipients must still be told.
    (
        "tasks",
        "person_id = ?1 AND NOT (kind = 'article19' AND done_on IS NULL)",
    ),
    ("disclosures", "person_id = ?1"),
    ("enquiries", "person_id = ?1"),
    ("group_members", "person_id = ?1"),
    ("donations", "person_id = ?1"),
    ("sync_conflicts", "person_id = ?1"),
    ("objections", "person_id = ?1"),
    ("legal_holds", "person_id = ?1"),
    ("retention_keeps", "person_id = ?1"),
    (
        "referral_events",
        "referral_id IN (SELECT id FROM referrals WHERE person_id = ?1)",
    ),
    ("referrals", "person_id = ?1"),
    ("person_aliases", "person_id = ?1"),
    ("person_phones", "person_id = ?1"),
    ("person_categories", "person_id = ?1"),
];

/// Links from other people's rows to the person, cut (set NULL) rather than deleted, because
/// the rows are about someone else.
const UNLINKS: &[(&str, &str, &str)] = &[
    ("referrals", "referrer_id", "referrer_id = ?1"),
    ("services", "volunteer_id", "volunteer_id = ?1"),
    ("people", "obtained_from_person", "obtained_from_person = ?1"),
    ("article14_notices", "source_person_id", "source_person_id = ?1"),
    ("tasks", "person_id", "person_id = ?1 AND kind = 'article19'"),
];

/// Removes every row about `person` (the search index's first, while the rows its values are
/// computed from are still there), cuts the links from other people's rows, and scrubs the
/// requests they made of their free text. Returns the rows removed per table (no values).
/// Runs inside the caller's transaction, which also writes the tombstone and audit entries.
pub(crate) fn remove_person(tx: &rusqlite::Connection, person: i64) -> Result<BTreeMap<String, usize>> {
    super::search::unindex_person(tx, person)?;
    let mut removed = remove_person_rows(tx, person)?;
    removed.insert("people_search".into(), 1);
    Ok(removed)
}

/// [`remove_person`] without the search index: for the copies kept for merging with other
/// laptops, which hold no index.
pub(crate) fn remove_person_rows(tx: &rusqlite::Connection, person: i64) -> Result<BTreeMap<String, usize>> {
    let mut removed = BTreeMap::new();
    for (table, column, cond) in UNLINKS {
        let n = tx.execute(&format!("UPDATE {table} SET {column} = NULL WHERE {cond}"), [person])?;
        if n > 0 {
            removed.insert(format!("{table}.{column} (link cut)"), n);
        }
    }
    for (table, cond) in DELETES {
        let n = tx.execute(&format!("DELETE FROM {table} WHERE {cond}"), [person])?;
        if n > 0 {
            removed.insert((*table).to_string(), n);
        }
    }
    // Requests they made or were an agent in: kept for the record, without the free text
    // that may hold their values, and without the link to them.
    let n = tx.execute(
        "UPDATE rights_requests SET words = NULL, change_record = NULL, id_seen = NULL, agent_authority = NULL,
                refusal_reason = NULL, fee_reason = NULL, restriction_lift_note = NULL, partly_provided = NULL,
                partly_withheld = NULL, agent_name = NULL, person_id = NULL
         WHERE person_id = ?1",
        [person],
    )?;
    removed.insert("rights_requests (scrubbed, kept)".into(), n);
    let n = tx.execute(
        "UPDATE rights_requests SET agent_id = NULL, agent_authority = NULL WHERE agent_id = ?1",
        [person],
    )?;
    if n > 0 {
        removed.insert("rights_requests.agent_id (link cut)".into(), n);
    }
    let n = tx.execute("DELETE FROM people WHERE id = ?1", [person])?;
    removed.insert("people".into(), n);
    Ok(removed)
}

impl Store {
    /// Erases the person an erasure request is about (data protection lead). Refused while a
    /// legal hold stands.
    pub fn erase(&mut self, request_id: i64) -> Result<ErasureReport> {
        let (_, person) = self.request_for(request_id, RequestKind::Erasure, "erase records")?;
        let now = self.clock().now();
        let due = self
            .request_deadline(request_id)
            .ok()
            .and_then(|d| d.due)
            .unwrap_or(now.date());
        self.erase_person(person, Some(request_id), due, |tx, user| {
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "rights_request",
                Some(request_id),
                &["erasure"],
            )
        })
    }

    /// The one way a person is erased, for a request or a retention decision: refused while a
    /// legal hold stands; otherwise, in one transaction, Article 19 tasks for the recipients
    /// of their data (due `due`), every row, the tombstone, the ledger, the audit entries
    /// (`also` adds the caller's), then the WAL truncated and the erasure register rewritten.
    pub(crate) fn erase_person(
        &mut self,
        person: i64,
        request_id: Option<i64>,
        due: chrono::NaiveDate,
        also: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<()>,
    ) -> Result<ErasureReport> {
        if people::has_legal_hold(&self.conn, person)? {
            let reason: String = self.conn.query_row(
                "SELECT reason FROM legal_holds WHERE person_id = ?1 AND lifted_on IS NULL ORDER BY id DESC LIMIT 1",
                [person],
                |r| r.get(0),
            )?;
            return Err(StoreError::invalid(format!(
                "The record cannot be erased while a legal hold stands (\"{}\"): refuse the erasure with this reason, or lift the hold first.",
                reason.chars().take(120).collect::<String>()
            )));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        let profile = self.profile().clone();
        let (article19_tasks, removed) = self.write(|tx| {
            // Before the disclosures go: the tasks hold only the recipient (an organisation).
            let article19_tasks = create_article19_tasks(tx, person, request_id, false, due, now, user)?;
            // Likewise every live publication, by id only.
            super::takedowns::create_takedown_tasks(tx, &profile, person, request_id, false, due, now, user)?;
            let removed = remove_person(tx, person)?;
            tx.execute(
                "INSERT OR REPLACE INTO tombstones (person_id, erased_on, request_id) VALUES (?1, ?2, ?3)",
                params![person, now.date(), request_id],
            )?;
            let ledger = serde_json::to_string(&removed).map_err(|e| StoreError::invalid(e.to_string()))?;
            tx.execute(
                concat!(
                    "INSERT INTO erasure_ledger (id, person_id, request_id, erased_on, by_user, rows_removed) VALUES (",
                    new_id!("erasure_ledger"),
                    ", ?1, ?2, ?3, ?4, ?5)"
                ),
                params![person, request_id, now.date(), user, ledger],
            )?;
            audit::append(tx, now, Some(user), audit::Action::Erase, "person", Some(person), &[])?;
            also(tx, user)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('compact_pending', '1')
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [],
            )?;
            Ok((article19_tasks, removed))
        })?;
        let compacted = self.finish_compaction().is_ok();
        // The register outside the file, so a restore of an older backup erases them again.
        let registered = self.write_register().is_ok();
        // The copies kept for merging with other laptops must not bring them back either.
        let registered = self.erase_in_sync_copies(&[person]) && registered;
        Ok(ErasureReport {
            registered,
            person_id: person,
            request_id,
            rows_removed: removed,
            article19_tasks,
            compacted,
        })
    }

    /// Compacts the file if an erasure could not (see [`ErasureReport::compacted`]); called
    /// on every open. Does nothing when no compaction is pending.
    pub(crate) fn finish_compaction(&self) -> Result<()> {
        let pending: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'compact_pending')",
            [],
            |r| r.get(0),
        )?;
        if pending {
            self.hard_erase()?;
            self.conn
                .execute("DELETE FROM meta WHERE key = 'compact_pending'", [])?;
            // The flag's own deletion must not linger in the WAL either.
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Makes the deletion real on disk: checkpoints and truncates the WAL, which held page
    /// images from before the deletion. (The search index needs nothing more: its terms were
    /// taken out with the row, see [`super::search::unindex_person`].)
    fn hard_erase(&self) -> Result<()> {
        self.checkpoint()?;
        Ok(())
    }

    /// Whether a person id was erased, and when and under which request.
    pub fn tombstone(&self, person: i64) -> Result<Option<(chrono::NaiveDate, Option<i64>)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT erased_on, request_id FROM tombstones WHERE person_id = ?1",
                [person],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
