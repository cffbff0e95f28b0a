//! Special category and criminal offence data: health notes (every view asks for a reason and
//! is audited) and DBS checks (the fact of a check, never the certificate's content), only for
//! the roles the profile gives them.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::HealthNote;
use super::{audit, Store};
use crate::domain::{dbs, DbsLevel, DbsOutcome, FieldGroup};
use chrono::NaiveDate;
use rusqlite::params;

impl Store {
    /// The health notes, for a role that may see them: asks for a reason and writes an audit
    /// entry, because every view of special category data is recorded.
    pub fn reveal_health(&self, id: i64, reason: &str) -> Result<Vec<HealthNote>> {
        let p = self.person(id)?;
        if !p.sees(FieldGroup::Health) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
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
        let note = self.checked_health_note(id, note)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| insert_health_note(tx, id, &note, now, user))
    }

    /// Logs a contact whose note held health details: the contact goes in the log without
    /// its note (so last contact and the Article 14 rule see it), the note becomes a health
    /// note, in one transaction. Returns whether a pending notice was brought forward.
    pub fn log_contact_as_health_note(
        &mut self,
        id: i64,
        kind: crate::domain::ContactKind,
        note: &str,
    ) -> Result<bool> {
        self.correspondence_writable(id, "log contacts with this person")?;
        let note = self.checked_health_note(id, note)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let brought_forward = super::contact_log::insert_contact(tx, id, kind, None, now, user)?;
            insert_health_note(tx, id, &note, now, user)?;
            Ok(brought_forward)
        })
    }

    /// A health note's text, checked, if the acting user may record health notes for `id`.
    fn checked_health_note(&self, id: i64, note: &str) -> Result<String> {
        self.writable_seeing(id, FieldGroup::Health, "record health notes")?;
        let note = crate::domain::validate::note("health note", note, crate::domain::validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if note.trim().is_empty() {
            return Err(StoreError::invalid("Write the health note first."));
        }
        Ok(note)
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
                concat!(
                    "INSERT INTO health_note_removals (id, person_id, removed_on, by_user, reason) VALUES (",
                    new_id!("health_note_removals"),
                    ", ?1, ?2, ?3, ?4)"
                ),
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
        self.writable_seeing(person, FieldGroup::Health, what)?;
        Ok(person)
    }

    /// Records a DBS check (criminal offence data) with the defaults of an older form: an
    /// enhanced check, clear, no update service.
    pub fn add_dbs_check(
        &mut self,
        id: i64,
        service_role: &str,
        certificate_number: &str,
        issue_date: NaiveDate,
        renewal_due: NaiveDate,
    ) -> Result<i64> {
        self.record_dbs_check(
            id,
            &DbsCheckInput {
                level: DbsLevel::Enhanced,
                roles: vec![service_role.to_string()],
                certificate_number: certificate_number.to_string(),
                issue_date,
                outcome: DbsOutcome::Clear,
                decision: String::new(),
                update_service: false,
                renewal_due: Some(renewal_due),
            },
        )
    }

    /// Records a DBS check (criminal offence data): the fact of it, its level, the roles it
    /// covers, what it showed as the DBS officer records it, never the certificate's content.
    /// Only roles the profile gives criminal offence data may do it. The renewal date defaults
    /// to the profile's `renewal_years` after issue.
    pub fn record_dbs_check(&mut self, id: i64, input: &DbsCheckInput) -> Result<i64> {
        self.writable_seeing(id, FieldGroup::CriminalOffence, "record DBS checks")?;
        let cert: String = input
            .certificate_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if cert.len() != 12 || !cert.chars().all(|c| c.is_ascii_digit()) {
            return Err(StoreError::invalid(
                "A DBS certificate number has 12 digits: check the certificate and type it again.",
            ));
        }
        let roles = self.checked_dbs_roles(&input.roles)?;
        let rule = &self.profile().criminal_offence;
        let decision = input.decision.trim();
        if input.outcome != DbsOutcome::Clear && decision.is_empty() {
            return Err(StoreError::invalid(
                "Information was disclosed: record the decision made on it (and nothing of the certificate's content).",
            ));
        }
        let decision = crate::domain::validate::optional_text("decision", decision, crate::domain::validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let today = self.clock().today();
        if input.issue_date > today {
            return Err(StoreError::invalid("The issue date cannot be in the future."));
        }
        let renewal_due = match input.renewal_due {
            Some(d) => d,
            None => input
                .issue_date
                .checked_add_months(chrono::Months::new(12 * rule.renewal_years))
                .unwrap_or(input.issue_date),
        };
        if renewal_due <= input.issue_date {
            return Err(StoreError::invalid("The renewal date must come after the issue date."));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO dbs_checks (id, person_id, service_role, certificate_number, issue_date, seen_by, renewal_due,
                                         recorded_on, level, outcome, decision, decided_by, update_service)
                 VALUES (", new_id!("dbs_checks"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
                params![
                    id,
                    roles,
                    cert,
                    input.issue_date,
                    user,
                    renewal_due,
                    now.date(),
                    input.level.key(),
                    input.outcome.key(),
                    decision,
                    decision.as_ref().map(|_| user),
                    input.update_service
                ],
            )?;
            let did = tx.last_insert_rowid();
            // The certificate came: any application for this volunteer is done.
            let closed = tx.execute(
                "UPDATE dbs_applications SET closed_on = ?1 WHERE person_id = ?2 AND closed_on IS NULL",
                params![now.date(), id],
            )?;
            if closed > 0 {
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Change,
                    "dbs_application",
                    None,
                    &["closed_on"],
                )?;
            }
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
                    "level",
                    "outcome",
                ],
            )?;
            Ok(did)
        })
    }

    /// Records a DBS application sent for a volunteer (the roles given criminal offence
    /// data): the level, the roles it is for, the day it went. It waits on the DBS officer's
    /// handover once it is 30 days old, until a check is recorded.
    pub fn apply_for_dbs(&mut self, id: i64, level: DbsLevel, roles: &[String], applied_on: NaiveDate) -> Result<i64> {
        self.writable_seeing(id, FieldGroup::CriminalOffence, "record DBS applications")?;
        let roles = self.checked_dbs_roles(roles)?;
        if applied_on > self.clock().today() {
            return Err(StoreError::invalid("The application date cannot be in the future."));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!(
                    "INSERT INTO dbs_applications (id, person_id, level, roles, applied_on, by_user) VALUES (",
                    new_id!("dbs_applications"),
                    ", ?1, ?2, ?3, ?4, ?5)"
                ),
                params![id, level.key(), roles, applied_on, user],
            )?;
            let aid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "dbs_application",
                Some(aid),
                &["person_id", "level", "roles", "applied_on"],
            )?;
            Ok(aid)
        })
    }

    /// The roles a check or application covers, checked against the profile's `check_roles`
    /// (matched ignoring case, written as the profile writes them), joined by ", ".
    fn checked_dbs_roles(&self, roles: &[String]) -> Result<String> {
        let rule = &self.profile().criminal_offence;
        let mut out = Vec::new();
        for r in roles {
            let r = crate::domain::validate::text("role", r, crate::domain::validate::MAX_LINE)
                .map_err(|e| StoreError::invalid(e.to_string()))?;
            let known = rule.check_roles.iter().find(|k| k.eq_ignore_ascii_case(&r));
            match (rule.check_roles.is_empty(), known) {
                (true, _) => out.push(r),
                (false, Some(k)) => out.push(k.clone()),
                (false, None) => {
                    return Err(StoreError::invalid(format!(
                        "\"{r}\" is not a role the notice names a DBS check for: choose from {}.",
                        rule.check_roles.join(", ")
                    )))
                }
            }
        }
        if out.is_empty() {
            return Err(StoreError::invalid("Say which roles the check covers."));
        }
        Ok(out.join(", "))
    }

    /// The first of `services` that needs a DBS check role (the profile's `service_checks`)
    /// for which `volunteer` has no valid check (renewal still ahead; clear, or information
    /// disclosed and judged suitable): `(service, role)`. Read for the rule, whoever acts; it says only
    /// that a check is missing, never anything a check holds.
    pub(crate) fn dbs_gap(&self, volunteer: i64, services: &[String]) -> Result<Option<(String, String)>> {
        let needs = &self.profile().criminal_offence.service_checks;
        let today = self.clock().today();
        for service in services {
            let Some(role) = needs.get(&service.trim().to_lowercase()) else {
                continue;
            };
            let covered: Vec<String> = self
                .conn
                .prepare_cached(
                    "SELECT service_role FROM dbs_checks WHERE person_id = ?1 AND renewal_due > ?2
                       AND (outcome IS NULL OR outcome IN ('clear', 'disclosed_suitable'))",
                )?
                .query_map(params![volunteer, today], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let ok = covered
                .iter()
                .any(|c| c.split(',').any(|r| r.trim().eq_ignore_ascii_case(role)));
            if !ok {
                return Ok(Some((service.clone(), role.clone())));
            }
        }
        Ok(None)
    }

    /// The roles a DBS item on the handover is for, to start the new check's form with: a
    /// renewal's roles its check still answers, a chased application's roles; none for any
    /// other item. Only for the roles the profile gives criminal offence data.
    pub fn dbs_item_roles(&self, item: &super::handover::DueKind) -> Result<Vec<String>> {
        use super::handover::DueKind;
        if !self.profile().criminal_offence.roles.contains(&self.actor().role) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                "see DBS checks".into(),
            ));
        }
        match *item {
            DueKind::DbsRenewal(check) => {
                let person: i64 =
                    self.conn
                        .query_row("SELECT person_id FROM dbs_checks WHERE id = ?1", [check], |r| r.get(0))?;
                let mut st = self
                    .conn
                    .prepare_cached("SELECT id, service_role, renewal_due FROM dbs_checks WHERE person_id = ?1")?;
                let covers: Vec<dbs::CheckCover> = st
                    .query_map([person], |r| {
                        Ok(dbs::CheckCover {
                            id: r.get(0)?,
                            roles: dbs::split_roles(&r.get::<_, String>(1)?),
                            renewal_due: r.get(2)?,
                        })
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                Ok(dbs::current_roles(&covers)
                    .into_iter()
                    .find(|(id, _)| *id == check)
                    .map(|(_, r)| r)
                    .unwrap_or_default())
            }
            DueKind::DbsApplication(application) => {
                let roles: String =
                    self.conn
                        .query_row("SELECT roles FROM dbs_applications WHERE id = ?1", [application], |r| {
                            r.get(0)
                        })?;
                Ok(dbs::split_roles(&roles))
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The DBS register for the roles the profile gives criminal offence data: each check
    /// still current for some role (the latest covering it, `domain::dbs`), of each person the
    /// acting user may see, with those roles, soonest renewal first (`due_within`:
    /// only those due within that many days, and overdue ones). The view is audited.
    pub fn dbs_register(&self, due_within: Option<i64>) -> Result<Vec<DbsRegisterRow>> {
        let role = self.actor().role;
        if !self.profile().criminal_offence.is_processed() {
            return Err(StoreError::invalid(
                "This charity's privacy notice keeps no criminal offence data: there is no DBS register.",
            ));
        }
        if !self.profile().criminal_offence.roles.contains(&role) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(role).to_string(),
                "see DBS checks".into(),
            ));
        }
        let today = self.clock().today();
        let limit = due_within.map(|d| today + chrono::Duration::days(d));
        let raw = self.current_dbs_checks(limit)?;
        let mut out = Vec::new();
        for CurrentCheck {
            id,
            person_id,
            roles,
            level,
            issued,
            renewal_due,
            outcome,
            update_service,
        } in raw
        {
            let cats = super::people::categories_of(&self.conn, person_id)?;
            if !self.access().can_see(role, &cats, FieldGroup::CriminalOffence) {
                continue;
            }
            let Some(name) = self.name_if_visible(person_id)? else {
                continue;
            };
            out.push(DbsRegisterRow {
                check_id: id,
                person_id,
                person_name: name,
                roles,
                level: level.as_deref().and_then(|l| DbsLevel::parse(l).ok()),
                issue_date: issued,
                renewal_due,
                outcome: outcome.as_deref().and_then(|o| DbsOutcome::parse(o).ok()),
                update_service,
            });
        }
        audit::append(
            &self.conn,
            self.clock().now(),
            Some(self.actor().user_id),
            audit::Action::ViewSensitive,
            "dbs_checks",
            None,
            &["register"],
        )?;
        Ok(out)
    }
}

impl Store {
    /// Every check still current for some role (`domain::dbs::current_roles`), its `roles`
    /// narrowed to those, renewing by `due_by` (every check when `None`), soonest first. No
    /// access check: callers decide who may see what.
    pub(crate) fn current_dbs_checks(&self, due_by: Option<NaiveDate>) -> Result<Vec<CurrentCheck>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, service_role, level, issue_date, renewal_due, outcome, update_service
             FROM dbs_checks
             WHERE ?1 IS NULL OR person_id IN (SELECT person_id FROM dbs_checks WHERE renewal_due <= ?1)
             ORDER BY person_id, id",
        )?;
        let all: Vec<CurrentCheck> = st
            .query_map(params![due_by], |r| {
                Ok(CurrentCheck {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    roles: r.get(2)?,
                    level: r.get(3)?,
                    issued: r.get(4)?,
                    renewal_due: r.get(5)?,
                    outcome: r.get(6)?,
                    update_service: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for person in all.chunk_by(|a, b| a.person_id == b.person_id) {
            let covers: Vec<dbs::CheckCover> = person
                .iter()
                .map(|c| dbs::CheckCover {
                    id: c.id,
                    roles: dbs::split_roles(&c.roles),
                    renewal_due: c.renewal_due,
                })
                .collect();
            for (id, roles) in dbs::current_roles(&covers) {
                let Some(check) = person.iter().find(|c| c.id == id) else {
                    continue;
                };
                if due_by.is_some_and(|d| check.renewal_due > d) {
                    continue;
                }
                out.push(CurrentCheck {
                    roles: roles.join(", "),
                    ..check.clone()
                });
            }
        }
        out.sort_by_key(|c| (c.renewal_due, c.id));
        Ok(out)
    }
}

/// A check as `current_dbs_checks` reads it.
#[derive(Debug, Clone)]
pub(crate) struct CurrentCheck {
    pub id: i64,
    pub person_id: i64,
    pub roles: String,
    pub level: Option<String>,
    pub issued: NaiveDate,
    pub renewal_due: NaiveDate,
    pub outcome: Option<String>,
    pub update_service: bool,
}

/// Inserts a health note and its audit entry inside the caller's transaction. Ids are never
/// reused: a removed note's audit entries name its id.
pub(crate) fn insert_health_note(
    tx: &rusqlite::Connection,
    person: i64,
    note: &str,
    now: chrono::NaiveDateTime,
    user: i64,
) -> Result<i64> {
    tx.execute(
        // Never an id a removed note had: the audit log still names it.
        "INSERT INTO health_notes (id, person_id, note, recorded_on, by_user)
         SELECT 1 + max(coalesce((SELECT max(id) FROM health_notes WHERE id BETWEEN d.lo AND d.hi), d.lo),
                        coalesce((SELECT last FROM id_marks WHERE tbl = 'health_notes' AND last BETWEEN d.lo AND d.hi), d.lo),
                        coalesce((SELECT max(entity_id) FROM audit_log
                                  WHERE entity = 'health_note' AND entity_id BETWEEN d.lo AND d.hi), d.lo)),
                ?1, ?2, ?3, ?4
         FROM this_device d",
        params![person, note, now.date(), user],
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
}

/// A DBS check as the DBS officer records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbsCheckInput {
    pub level: DbsLevel,
    /// The volunteer roles it covers (from the profile's `check_roles`).
    pub roles: Vec<String>,
    pub certificate_number: String,
    pub issue_date: NaiveDate,
    pub outcome: DbsOutcome,
    /// For information disclosed: the decision made on it (never the certificate's content).
    pub decision: String,
    pub update_service: bool,
    /// `None`: the profile's `renewal_years` after issue.
    pub renewal_due: Option<NaiveDate>,
}

/// One line of the DBS register: a person's latest check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DbsRegisterRow {
    pub check_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub roles: String,
    pub level: Option<DbsLevel>,
    pub issue_date: NaiveDate,
    pub renewal_due: NaiveDate,
    pub outcome: Option<DbsOutcome>,
    pub update_service: bool,
}
