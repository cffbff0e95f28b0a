//! The audit log: who did what to which record, and when, as a hash chain.
//!
//! Entries hold ids and field names, never personal values, so erasing a person never has to
//! touch the log. Each entry's hash covers its content and the previous entry's hash, and the
//! head of the chain (count and last hash) is kept in `meta`, so `dutydesk check` can tell an
//! edited, inserted or deleted entry.

use super::error::Result;
use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Change,
    Delete,
    Erase,
    Export,
    /// A view of special category or criminal offence data.
    ViewSensitive,
    Unlock,
    /// The screen locked (by the user or after the idle time): the user is signed out.
    Lock,
    Admin,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Change => "change",
            Action::Delete => "delete",
            Action::Erase => "erase",
            Action::Export => "export",
            Action::ViewSensitive => "view_sensitive",
            Action::Unlock => "unlock",
            Action::Lock => "lock",
            Action::Admin => "admin",
        }
    }
}

/// One entry as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub fields: String,
}

fn hash(prev: &str, e: &Entry) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.id.to_string(),
        &e.at,
        &e.user_id.map(|u| u.to_string()).unwrap_or_default(),
        &e.action,
        &e.entity,
        &e.entity_id.map(|u| u.to_string()).unwrap_or_default(),
        &e.fields,
    ] {
        h.update(part.len().to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

fn head(conn: &Connection) -> Result<(i64, String)> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'audit_head'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(
        match v.and_then(|s| {
            let (n, h) = s.split_once(':')?;
            Some((n.parse().ok()?, h.to_string()))
        }) {
            Some(x) => x,
            None => (0, GENESIS.to_string()),
        },
    )
}

/// Appends an entry. Inside a transaction (the one that makes the change) the entry and the
/// chain head commit or roll back with it; called on its own (an entry that records a view or
/// an unlock, with no change to go with it) it opens a transaction of its own, so the entry and
/// the head are still written together or not at all. `fields` are field names (never values).
pub fn append(
    conn: &Connection,
    at: NaiveDateTime,
    user_id: Option<i64>,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    fields: &[&str],
) -> Result<()> {
    let entry = |conn: &Connection| write_entry(conn, at, user_id, action, entity, entity_id, fields);
    if conn.is_autocommit() {
        let tx = conn.unchecked_transaction()?;
        entry(&tx)?;
        tx.commit()?;
        Ok(())
    } else {
        entry(conn)
    }
}

fn write_entry(
    conn: &Connection,
    at: NaiveDateTime,
    user_id: Option<i64>,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    fields: &[&str],
) -> Result<()> {
    super::faults::step("before an audit entry")?;
    let (count, prev) = head(conn)?;
    // Normally the next id is the head's count plus one. If rows beyond the head do not follow
    // the chain (an edited or planted row that `repair_head` would not take in), the new entry
    // goes after them, so no one is locked out, and `check` names the break.
    let last: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?;
    let id = count.max(last) + 1;
    let e = Entry {
        id,
        at: at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        user_id,
        action: action.key().to_string(),
        entity: entity.to_string(),
        entity_id,
        fields: fields.join(","),
    };
    let h = hash(&prev, &e);
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, fields, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.id,
        e.at,
        e.user_id,
        e.action,
        e.entity,
        e.entity_id,
        e.fields,
        prev,
        h
    ])?;
    super::faults::step("between an audit entry and the chain head")?;
    set_head(conn, id, &h)
}

fn set_head(conn: &Connection, count: i64, hash: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([format!("{count}:{hash}")])?;
    Ok(())
}

/// Where [`repair_head`] moved the chain head from and to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadRepair {
    pub from: i64,
    pub to: i64,
}

/// Brings a chain head that lags behind its entries up to the last intact entry.
///
/// Versions before 0.1.1 wrote an entry and the head as two separate commits, so an
/// interruption between them left intact entries beyond the head, and every later append (every
/// unlock) then failed. Entries beyond the head that follow it correctly (consecutive ids, each
/// naming the one before, each hash right) are taken into the chain, the head is moved to the
/// last of them, and the repair is noted in `meta` for `dutydesk check` to report. Anything
/// else (a gap, an entry that does not follow) is left for `check` to report as a break; rows
/// that cannot be part of the chain are never deleted.
pub fn repair_head(conn: &Connection) -> Result<Option<HeadRepair>> {
    let (count, mut prev) = head(conn)?;
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))?;
    if last.unwrap_or(0) <= count {
        return Ok(None);
    }
    let mut st = conn.prepare(
        "SELECT id, at, user_id, action, entity, entity_id, fields, prev_hash, hash
         FROM audit_log WHERE id > ?1 ORDER BY id",
    )?;
    let mut rows = st.query([count])?;
    let mut to = count;
    while let Some(r) = rows.next()? {
        let e = row_to_entry(r)?;
        let stored_prev: String = r.get(7)?;
        let stored_hash: String = r.get(8)?;
        if e.id != to + 1 || stored_prev != prev || hash(&prev, &e) != stored_hash {
            break;
        }
        to = e.id;
        prev = stored_hash;
    }
    drop(rows);
    if to == count {
        return Ok(None);
    }
    let tx = conn.unchecked_transaction()?;
    set_head(&tx, to, &prev)?;
    let note: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'audit_repairs'", [], |r| r.get(0))
        .optional()?;
    let line = format!("{count}>{to}");
    let notes = match note {
        Some(n) if !n.is_empty() => format!("{n};{line}"),
        _ => line,
    };
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_repairs', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [notes],
    )?;
    tx.commit()?;
    Ok(Some(HeadRepair { from: count, to }))
}

/// Every repair [`repair_head`] has made to this file, oldest first.
pub fn repairs(conn: &Connection) -> Result<Vec<HeadRepair>> {
    let note: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'audit_repairs'", [], |r| r.get(0))
        .optional()?;
    Ok(note
        .unwrap_or_default()
        .split(';')
        .filter_map(|part| {
            let (from, to) = part.split_once('>')?;
            Some(HeadRepair {
                from: from.parse().ok()?,
                to: to.parse().ok()?,
            })
        })
        .collect())
}

/// How many entries the chain has (its head's count): [`super::Store::write`] checks that a
/// change added at least one.
pub fn entries_written(conn: &Connection) -> Result<i64> {
    Ok(head(conn)?.0)
}

/// Entries about one record, oldest first.
pub fn entries_for(conn: &Connection, entity: &str, entity_id: i64) -> Result<Vec<Entry>> {
    let mut st = conn.prepare_cached(
        "SELECT id, at, user_id, action, entity, entity_id, fields FROM audit_log
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
    )?;
    let rows = st.query_map(params![entity, entity_id], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        user_id: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        fields: r.get(6)?,
    })
}

/// Walks the chain; returns a description of the first break, or `None` if it is intact.
pub fn verify(conn: &Connection) -> Result<Option<String>> {
    let mut st = conn.prepare(
        "SELECT id, at, user_id, action, entity, entity_id, fields, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    while let Some(r) = rows.next()? {
        let e = row_to_entry(r)?;
        let stored_prev: String = r.get(7)?;
        let stored_hash: String = r.get(8)?;
        if e.id != expected_id {
            return Ok(Some(format!(
                "audit entry {expected_id} is missing (the next entry is {})",
                e.id
            )));
        }
        if stored_prev != prev {
            return Ok(Some(format!("audit entry {} does not follow the one before it", e.id)));
        }
        if hash(&prev, &e) != stored_hash {
            return Ok(Some(format!("audit entry {} has been changed", e.id)));
        }
        prev = stored_hash;
        expected_id += 1;
    }
    let (count, head_hash) = head(conn)?;
    if count != expected_id - 1 || head_hash != prev {
        return Ok(Some(format!(
            "the audit log ends at entry {} but {} were written",
            expected_id - 1,
            count
        )));
    }
    Ok(None)
}
