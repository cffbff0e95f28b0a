//! The contact log and callbacks: logging a call, email, letter or visit (it becomes the
//! person's last contact and, before their Article 14 notice is given, brings the notice
//! forward), and the "call X back about Y by <time>" promises on the handover.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::{bring_notice_forward, categories_of, Callback, ContactEntry};
use super::{audit, Store};
use crate::domain::{article14, ContactKind, FieldGroup};
use crate::profile::AccessMatrix;
use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension};

/// Inserts a contact and its audit entry in the caller's transaction; last contact moves by
/// the schema's trigger (see `ContactSource`). If an Article 14 notice is still pending, this
/// first communication brings it forward to today; the returned flag says so.
pub(crate) fn insert_contact(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    kind: ContactKind,
    note: Option<&str>,
    now: NaiveDateTime,
    user: i64,
) -> Result<bool> {
    tx.execute(
        concat!(
            "INSERT INTO contacts (id, person_id, kind, at, note, by_user) VALUES (",
            new_id!("contacts"),
            ", ?1, ?2, ?3, ?4, ?5)"
        ),
        params![id, kind.key(), now, note, user],
    )?;
    let cid = tx.last_insert_rowid();
    let brought_forward = bring_notice_forward(tx, id, now.date(), article14::Trigger::FirstCommunication)?;
    audit::append(
        tx,
        now,
        Some(user),
        audit::Action::Create,
        "contact",
        Some(cid),
        &["person_id"],
    )?;
    Ok(brought_forward)
}

impl Store {
    pub(crate) fn contacts_of(&self, id: i64, limit: i64) -> Result<Vec<ContactEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.kind, c.at, c.note, u.login FROM contacts c LEFT JOIN users u ON u.id = c.by_user
             WHERE c.person_id = ?1 ORDER BY c.at DESC, c.id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![id, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, NaiveDateTime>(2)?,
                r.get(3)?,
                r.get(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (cid, kind, at, note, by) = row?;
            let kind = ContactKind::parse(&kind).unwrap_or(ContactKind::Call);
            out.push(ContactEntry {
                id: cid,
                kind,
                at,
                note,
                by,
            });
        }
        Ok(out)
    }

    /// Open callbacks, soonest first: for one person, or (None) every person the user may see.
    pub fn open_callbacks(&self, person: Option<i64>) -> Result<Vec<Callback>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, about, due_at FROM callbacks
             WHERE done_at IS NULL AND (?1 IS NULL OR person_id = ?1) ORDER BY due_at, id",
        )?;
        let rows: Vec<(i64, i64, String, NaiveDateTime)> = st
            .query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (id, pid, about, due_at) in rows {
            // What a callback is about is correspondence: only roles that receive it see it.
            let cats = categories_of(&self.conn, pid)?;
            let role = self.actor().role;
            if !AccessMatrix::answers_rights(role) && !self.access().can_see(role, &cats, FieldGroup::Correspondence) {
                continue;
            }
            if let Some(person_name) = self.name_if_visible(pid)? {
                out.push(Callback {
                    id,
                    person_id: pid,
                    person_name,
                    about,
                    due_at,
                });
            }
        }
        Ok(out)
    }

    /// Logs a call, email, letter or visit; it becomes the person's last contact. If an
    /// Article 14 notice is still pending, this first communication brings its due date
    /// forward to today; the returned flag says so, so the screen can warn.
    pub fn log_contact(&mut self, id: i64, kind: ContactKind, note: &str) -> Result<bool> {
        self.correspondence_writable(id, "log contacts with this person")?;
        let note = crate::domain::validate::note("note", note, crate::domain::validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let note = (!note.is_empty()).then_some(note);
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| insert_contact(tx, id, kind, note.as_deref(), now, user))
    }

    /// Adds a callback: "call X back about Y by <time>".
    pub fn add_callback(&mut self, id: i64, about: &str, due_at: NaiveDateTime) -> Result<i64> {
        self.correspondence_writable(id, "add callbacks for this person")?;
        let about =
            crate::domain::validate::text("what the callback is about", about, crate::domain::validate::MAX_LINE)
                .map_err(|e| StoreError::invalid(e.to_string()))?;
        if about.is_empty() {
            return Err(StoreError::invalid(
                "Say what the callback is about, for example \"lift to surgery on Friday\".",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!(
                    "INSERT INTO callbacks (id, person_id, about, due_at, created_by, created_at) VALUES (",
                    new_id!("callbacks"),
                    ", ?1, ?2, ?3, ?4, ?5)"
                ),
                params![id, about, due_at, user, now],
            )?;
            let cid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "callback",
                Some(cid),
                &["person_id", "about", "due_at"],
            )?;
            Ok(cid)
        })
    }

    /// Marks a callback done.
    pub fn complete_callback(&mut self, callback_id: i64) -> Result<()> {
        let pid: i64 = self
            .conn
            .query_row(
                "SELECT person_id FROM callbacks WHERE id = ?1 AND done_at IS NULL",
                [callback_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("open callback", callback_id))?;
        self.person(pid)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE callbacks SET done_at = ?1, done_by = ?2 WHERE id = ?3",
                params![now, user, callback_id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "callback",
                Some(callback_id),
                &["done_at"],
            )?;
            Ok(())
        })
    }
}
