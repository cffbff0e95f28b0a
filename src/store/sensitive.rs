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
