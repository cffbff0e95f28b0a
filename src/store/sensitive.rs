//! Special category and criminal offence data: health notes (every view asks for a reason and
//! is audited) and DBS checks (the fact of a check, never the certificate's content), only for
//! the roles the profile gives them.

use super::error::{Result, StoreError};
use super::people::HealthNote;
use super::{audit, Store};
use crate::domain::FieldGroup;
use chrono::NaiveDate;
use rusqlite::params;

impl Store {
    /// The health notes, for a role that may see them: asks for a reason and writes an audit
    /// entry, because every view of special category data is recorded.
    pub fn reveal_health(&self, id: i64, reason: &str) -> Result<Vec<HealthNote>> {
        let p = self.person(id)?;
        if !p.sees(FieldGroup::Health) {
            return Err(StoreError::NotAllowed(
                self.actor().role.label().to_string(),
                "see health notes".into(),
            ));
        }
        if reason.trim().chars().count() < 3 {
            return Err(StoreError::invalid(
                "Give a reason for viewing the health notes, for example \"arranging a lift\".",
            ));
        }
        audit::append(
            &self.conn,
            self.clock().now(),
            Some(self.actor().user_id),
            audit::Action::ViewSensitive,
            "health_notes",
            Some(id),
            &["health"],
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, note, recorded_on FROM health_notes WHERE person_id = ?1 ORDER BY recorded_on DESC, id DESC",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(HealthNote {
                id: r.get(0)?,
                note: r.get(1)?,
                recorded_on: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a health note (special category data) for a role that may see health data.
    pub fn add_health_note(&mut self, id: i64, note: &str) -> Result<i64> {
        let p = self.writable(id)?;
        if !p.sees(FieldGroup::Health) {
            return Err(StoreError::NotAllowed(
                self.actor().role.label().to_string(),
                "record health notes".into(),
            ));
        }
        let note = crate::domain::validate::note("health note", note, crate::domain::validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO health_notes (person_id, note, recorded_on, by_user) VALUES (?1, ?2, ?3, ?4)",
                params![id, note, now.date(), user],
            )?;
            let nid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "health_note",
                Some(nid),
                &["person_id", "note"],
            )?;
            Ok(nid)
        })
    }

    /// Corrects a health note's text (a role that may see health data for the person).
    pub fn correct_health_note(&mut self, note_id: i64, text: &str) -> Result<()> {
        self.health_note_person(note_id, "correct health notes")?;
        let text = crate::domain::validate::note("health note", text, crate::domain::validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if text.trim().is_empty() {
            return Err(StoreError::invalid(
                "A health note cannot be empty: to take it away, remove it with a reason.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE health_notes SET note = ?1 WHERE id = ?2",
                params![text, note_id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "health_note",
                Some(note_id),
                &["note"],
            )
        })
    }

    /// Removes a health note (entered on the wrong person, no longer true...), keeping when,
    /// by whom and why, never what it said.
    pub fn remove_health_note(&mut self, note_id: i64, reason: &str) -> Result<()> {
        let person = self.health_note_person(note_id, "remove health notes")?;
        let reason = crate::domain::validate::text("reason", reason, crate::domain::validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute("DELETE FROM health_notes WHERE id = ?1", [note_id])?;
            tx.execute(
                "INSERT INTO health_note_removals (person_id, removed_on, by_user, reason) VALUES (?1, ?2, ?3, ?4)",
                params![person, now.date(), user, reason],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Delete,
                "health_note",
                Some(note_id),
                &["reason"],
            )
        })
    }

    /// The person a health note is about, if the acting user may change their health notes.
    fn health_note_person(&self, note_id: i64, what: &str) -> Result<i64> {
        use rusqlite::OptionalExtension;
        let person: i64 = self
            .conn
            .query_row("SELECT person_id FROM health_notes WHERE id = ?1", [note_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::NotFound("health note", note_id))?;
        let p = self.writable(person)?;
        if !p.sees(FieldGroup::Health) {
            return Err(StoreError::NotAllowed(
                self.actor().role.label().to_string(),
                what.into(),
            ));
        }
        Ok(person)
    }

    /// Records a DBS check (criminal offence data): the fact of it, never the certificate's
    /// content. Only roles the profile gives criminal offence data may do it.
    pub fn add_dbs_check(
        &mut self,
        id: i64,
        service_role: &str,
        certificate_number: &str,
        issue_date: NaiveDate,
        renewal_due: NaiveDate,
    ) -> Result<i64> {
        let p = self.writable(id)?;
        if !p.sees(FieldGroup::CriminalOffence) {
            return Err(StoreError::NotAllowed(
                self.actor().role.label().to_string(),
                "record DBS checks".into(),
            ));
        }
        let cert: String = certificate_number.chars().filter(|c| !c.is_whitespace()).collect();
        if cert.len() != 12 || !cert.chars().all(|c| c.is_ascii_digit()) {
            return Err(StoreError::invalid(
                "A DBS certificate number has 12 digits: check the certificate and type it again.",
            ));
        }
        let role = crate::domain::validate::text("service role", service_role, crate::domain::validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if renewal_due <= issue_date {
            return Err(StoreError::invalid("The renewal date must come after the issue date."));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO dbs_checks (person_id, service_role, certificate_number, issue_date, seen_by, renewal_due, recorded_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, role, cert, issue_date, user, renewal_due, now.date()],
            )?;
            let did = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "dbs_check",
                Some(did),
                &[
                    "person_id",
                    "service_role",
                    "certificate_number",
                    "issue_date",
                    "renewal_due",
                ],
            )?;
            Ok(did)
        })
    }
}
