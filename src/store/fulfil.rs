//! Fulfilling rights requests that change what the charity holds or does: rectification,
//! restriction (and lifting it), objection, the mailing lists that enforce a stopped purpose,
//! and the Article 19 tasks of telling each recipient the data went to.
//!
//! All decisions are the data protection lead's. Each change is one transaction with its
//! audit entries (ids and field names only); a rectification's before and after values are
//! kept in the request's `change_record`, never in the audit log.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::requests::Core;
use super::{audit, people, Store};
use crate::domain::person::PersonRecord;
use crate::domain::rights::{Article19Outcome, ObjectionDecision, RequestKind};
use crate::domain::validate;
use crate::domain::{Category, FieldGroup};
use crate::profile::AccessMatrix;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

/// One Article 19 task: tell a recipient about a rectification, erasure or restriction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Article19Task {
    pub id: i64,
    pub request_id: Option<i64>,
    /// `None` once the person has been erased (the task holds only the recipient).
    pub person_id: Option<i64>,
    /// The person's name, or "Erased person".
    pub person_name: String,
    /// The organisation the data was disclosed to.
    pub recipient: String,
    pub created_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub outcome: Option<Article19Outcome>,
    pub reason: Option<String>,
}

/// An objection decision on one purpose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectionRow {
    pub id: i64,
    pub request_id: Option<i64>,
    pub purpose: String,
    pub decision: ObjectionDecision,
    pub reasons: Option<String>,
    pub decided_on: NaiveDate,
}

/// One line of a mailing list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MailingEntry {
    pub person_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// Creates one open Article 19 task per distinct recipient of `person`'s data, for
/// `request_id`. With `keep_person` false (erasure) the task holds no person id, only the
/// recipient, an organisation. Returns how many tasks were created.
pub(crate) fn create_article19_tasks(
    conn: &Connection,
    person: i64,
    request_id: Option<i64>,
    keep_person: bool,
    due_on: NaiveDate,
    now: NaiveDateTime,
    user: i64,
) -> Result<usize> {
    let mut st =
        conn.prepare_cached("SELECT DISTINCT recipient FROM disclosures WHERE person_id = ?1 ORDER BY recipient")?;
    let recipients: Vec<String> = st.query_map([person], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut made = 0;
    for recipient in recipients {
        let n = conn.execute(
            concat!(
                "INSERT INTO tasks (id, kind, person_id, request_id, about, created_at, due_on)
                 SELECT ",
                new_id!("tasks"),
                ", 'article19', ?1, ?2, ?3, ?4, ?5
                 WHERE ?2 IS NULL OR NOT EXISTS (SELECT 1 FROM tasks WHERE kind = 'article19' AND request_id = ?2 AND about = ?3)"
            ),
            params![keep_person.then_some(person), request_id, recipient, now, due_on],
        )?;
        if n > 0 {
            made += 1;
            audit::append(
                conn,
                now,
                Some(user),
                audit::Action::Create,
                "task",
                Some(conn.last_insert_rowid()),
                &["kind", "request_id", "about"],
            )?;
        }
    }
    Ok(made)
}

impl Store {
    /// The request, open, of `kind`, about a person on file; for the data protection lead.
    pub(crate) fn request_for(&self, request_id: i64, kind: RequestKind, what: &str) -> Result<(Core, i64)> {
        self.require_lead(what)?;
        let core = self.open_request(request_id)?;
        if !core.has(kind) {
            return Err(StoreError::invalid(format!(
                "Request {request_id} does not ask for {}: record a new request, or add to it the right it exercises.",
                kind.short()
            )));
        }
        let person = core.person_id.ok_or_else(|| {
            StoreError::invalid(format!(
                "Request {request_id} is not linked to a person on file: find or file the person first."
            ))
        })?;
        Ok((core, person))
    }

    /// When Article 19 tasks for this request fall due: its own deadline, or a month on.
    fn article19_due(&self, request_id: i64) -> NaiveDate {
        let today = self.clock().today();
        self.request_deadline(request_id)
            .ok()
            .and_then(|d| d.due)
            .filter(|d| *d >= today)
            .unwrap_or(today + Duration::days(30))
    }

    /// Rectifies the person's record from a rectification request (data protection lead).
    /// The before and after values go into the request's change record; the audit log gets the
    /// field names. One Article 19 task is created per recipient. Returns the changed fields
    /// (empty when nothing changed: then nothing is written).
    pub fn rectify(&mut self, request_id: i64, rec: &PersonRecord) -> Result<Vec<&'static str>> {
        let (_, person) = self.request_for(request_id, RequestKind::Rectification, "rectify records")?;
        let (stored, merged, changed) = self.prepare_update(person, rec)?;
        if changed.is_empty() {
            return Ok(changed);
        }
        let before = serde_json::to_value(&stored).map_err(|e| StoreError::invalid(e.to_string()))?;
        let after = serde_json::to_value(&merged).map_err(|e| StoreError::invalid(e.to_string()))?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        let changes: Vec<serde_json::Value> = changed
            .iter()
            .map(|f| serde_json::json!({"field": f, "before": before.get(*f), "after": after.get(*f)}))
            .collect();
        let existing: Option<String> = self.conn.query_row(
            "SELECT change_record FROM rights_requests WHERE id = ?1",
            [request_id],
            |r| r.get(0),
        )?;
        let mut log: Vec<serde_json::Value> = existing.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
        log.push(serde_json::json!({"on": now.date(), "by_user": user, "changes": changes}));
        let record = serde_json::to_string(&log).map_err(|e| StoreError::invalid(e.to_string()))?;
        let due = self.article19_due(request_id);
        self.write(|tx| {
            people::write_update(tx, person, &merged, now)?;
            tx.execute(
                "UPDATE rights_requests SET change_record = ?1 WHERE id = ?2",
                params![record, request_id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "person",
                Some(person),
                &changed,
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "rights_request",
                Some(request_id),
                &["change_record"],
            )?;
            create_article19_tasks(tx, person, Some(request_id), true, due, now, user)?;
            Ok(changed)
        })
    }

    /// Restricts processing of the person from a restriction request (data protection lead):
    /// hidden from lists, search and handover for everyone else, and not editable, exportable,
    /// disclosable or assignable until lifted. One Article 19 task per recipient.
    ///
    /// A rectification request may restrict the record too, while its accuracy is checked
    /// (Article 18(1)(a): the person contests the accuracy of their data).
    pub fn restrict(&mut self, request_id: i64) -> Result<()> {
        let kind = match self.open_request(request_id) {
            Ok(core) if !core.has(RequestKind::Restriction) && core.has(RequestKind::Rectification) => {
                RequestKind::Rectification
            }
            _ => RequestKind::Restriction,
        };
        let (_, person) = self.request_for(request_id, kind, "restrict records")?;
        let restricted: bool = self
            .conn
            .query_row("SELECT restricted FROM people WHERE id = ?1", [person], |r| r.get(0))?;
        if restricted {
            return Err(StoreError::invalid(
                "This record is already restricted: close the request, or lift the restriction first.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        let due = self.article19_due(request_id);
        let profile = self.profile().clone();
        self.write(|tx| {
            tx.execute(
                "UPDATE people SET restricted = 1, restricted_on = ?1 WHERE id = ?2",
                params![now.date(), person],
            )?;
            tx.execute(
                "UPDATE rights_requests SET restricted_on = ?1 WHERE id = ?2",
                params![now.date(), request_id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "person",
                Some(person),
                &["restricted", "restricted_on"],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "rights_request",
                Some(request_id),
                &["restriction"],
            )?;
            create_article19_tasks(tx, person, Some(request_id), true, due, now, user)?;
            super::takedowns::create_takedown_tasks(tx, &profile, person, Some(request_id), true, due, now, user)?;
            Ok(())
        })
    }

    /// The request a standing restriction came from, if any (the latest).
    fn restriction_request(&self, person: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM rights_requests WHERE person_id = ?1 AND restriction_lifted_on IS NULL
                   AND (restricted_on IS NOT NULL OR (',' || kinds || ',') LIKE '%,restriction,%')
                 ORDER BY coalesce(restricted_on, received_on) DESC, id DESC LIMIT 1",
                [person],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The checks planning a lift and lifting share: the data protection lead's (`what`
    /// names the step for the refusal), a restricted record, and a note saying why (the
    /// "restriction lifted" letter tells the person). Returns the note, tidied.
    fn checked_lift(&self, person: i64, note: &str, what: &str) -> Result<String> {
        self.require_lead(what)?;
        let restricted: bool = self
            .conn
            .query_row("SELECT restricted FROM people WHERE id = ?1", [person], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound("person", person))?;
        if !restricted {
            return Err(StoreError::invalid(
                "This record is not restricted: there is nothing to lift.",
            ));
        }
        let note = validate::note("note", note, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if note.is_empty() {
            return Err(StoreError::invalid(
                "Write a note saying why the restriction is lifted: the person is told before it is.",
            ));
        }
        Ok(note)
    }

    /// Plans the lifting of a restriction (data protection lead): the day and why, so the
    /// "restriction lifted" letter tells the person before it happens (Article 18(3)); the
    /// letter is then owed on the handover. Returns the request it came from.
    pub fn plan_restriction_lift(&mut self, person: i64, note: &str, on: NaiveDate) -> Result<i64> {
        let note = self.checked_lift(person, note, "plan the lifting of a restriction")?;
        let Some(rid) = self.restriction_request(person)? else {
            return Err(StoreError::invalid(
                "This restriction came from no request: lift it directly (there is no one to write to).",
            ));
        };
        let today = self.clock().today();
        if on < today {
            return Err(StoreError::invalid("The day it will be lifted cannot be in the past."));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET restriction_lift_planned = ?1, restriction_lift_note = ?2 WHERE id = ?3",
                params![on, note, rid],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "rights_request",
                Some(rid),
                &["restriction_lift_planned", "restriction_lift_note"],
            )?;
            super::requests::letter_due(tx, rid, super::requests::letter::RESTRICTION_LIFTED, today)?;
            Ok(rid)
        })
    }

    /// Lifts a restriction (data protection lead). The note is mandatory: it says why, and the
    /// "restriction lifted" letter (Article 18(3)) tells the person. The lifting is recorded on
    /// the latest restriction request, whose id is returned (`None` if the restriction came
    /// from no request).
    pub fn lift_restriction(&mut self, person: i64, note: &str) -> Result<Option<i64>> {
        let note = self.checked_lift(person, note, "lift a restriction")?;
        let request = self.restriction_request(person)?;
        // The person is told before the restriction is lifted (Article 18(3)): a restriction
        // from a request is lifted only on or after the day the letter said.
        if let Some(rid) = request {
            let planned: Option<NaiveDate> = self.conn.query_row(
                "SELECT restriction_lift_planned FROM rights_requests WHERE id = ?1",
                [rid],
                |r| r.get(0),
            )?;
            match planned {
                None => {
                    return Err(StoreError::invalid(
                        "Tell them first: plan the lift (when, and why), send the \"restriction lifted\" letter, then lift it on that day.",
                    ))
                }
                Some(day) if day > self.clock().today() => {
                    return Err(StoreError::invalid(format!(
                        "The letter told them it would be lifted on {}: lift it then.",
                        day.format("%d/%m/%Y")
                    )))
                }
                Some(_) => {}
            }
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE people SET restricted = 0, restricted_on = NULL WHERE id = ?1",
                [person],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "person",
                Some(person),
                &["restricted", "restricted_on"],
            )?;
            if let Some(rid) = request {
                tx.execute(
                    "UPDATE rights_requests SET restriction_lifted_on = ?1, restriction_lift_note = ?2 WHERE id = ?3",
                    params![now.date(), note, rid],
                )?;
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Change,
                    "rights_request",
                    Some(rid),
                    &["restriction_lifted_on", "restriction_lift_note"],
                )?;
                super::requests::letter_due(tx, rid, super::requests::letter::RESTRICTION_LIFTED, now.date())?;
            }
            Ok(request)
        })
    }

    /// Records the decision on an objection to one purpose (data protection lead): stop, or
    /// continue on compelling legitimate grounds, whose reasons are then mandatory. A stopped
    /// purpose is enforced: see [`Store::mailing_list`].
    pub fn record_objection(
        &mut self,
        request_id: i64,
        purpose_key: &str,
        decision: ObjectionDecision,
        reasons: &str,
    ) -> Result<i64> {
        let (_, person) = self.request_for(request_id, RequestKind::Objection, "decide objections")?;
        let Some(purpose) = self.profile().purpose(purpose_key) else {
            let keys: Vec<&str> = self.profile().purposes.iter().map(|p| p.key.as_str()).collect();
            return Err(StoreError::invalid(format!(
                "The profile has no purpose \"{}\": choose one of {}.",
                purpose_key.chars().take(40).collect::<String>(),
                keys.join(", ")
            )));
        };
        if !purpose.open_to_objection() {
            return Err(StoreError::invalid(format!(
                "\"{}\" rests on {}, not legitimate interests or a public task: the right to object (Article 21) does not apply to it. Explain this to the person in the decision letter.",
                purpose.key,
                purpose.lawful_basis.label().to_lowercase()
            )));
        }
        if purpose.direct_marketing && decision == ObjectionDecision::Continue {
            return Err(StoreError::invalid(format!(
                "\"{}\" is direct marketing: an objection to it is absolute (Article 21(3)) and cannot be outweighed. Record \"stop\".",
                purpose.key
            )));
        }
        let purpose = purpose.key.clone();
        let reasons =
            validate::note("reasons", reasons, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if decision == ObjectionDecision::Continue && reasons.is_empty() {
            return Err(StoreError::invalid(
                "To continue despite an objection, give the compelling legitimate grounds that override the person's interests.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO objections (id, person_id, request_id, purpose, decision, reasons, decided_by, decided_on)
                 VALUES (", new_id!("objections"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![
                    person,
                    request_id,
                    purpose,
                    decision.key(),
                    (!reasons.is_empty()).then_some(reasons),
                    user,
                    now.date()
                ],
            )?;
            let oid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "objection",
                Some(oid),
                &["person_id", "request_id", "purpose", "decision", "reasons"],
            )?;
            super::requests::letter_due(tx, request_id, super::requests::letter::OBJECTION, now.date())?;
            Ok(oid)
        })
    }

    /// The objection decisions about a person, oldest first.
    pub fn objections_of(&self, person: i64) -> Result<Vec<ObjectionRow>> {
        self.person_name_checked(person)?;
        self.objections_where("person_id = ?1", person)
    }

    /// The objection decisions recorded on a request, in order.
    pub(crate) fn objections_on_request(&self, request: i64) -> Result<Vec<ObjectionRow>> {
        self.objections_where("request_id = ?1", request)
    }

    fn objections_where(&self, condition: &str, id: i64) -> Result<Vec<ObjectionRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT id, request_id, purpose, decision, reasons, decided_on FROM objections WHERE {condition} ORDER BY id"
        ))?;
        let rows = st.query_map([id], |r| {
            Ok(ObjectionRow {
                id: r.get(0)?,
                request_id: r.get(1)?,
                purpose: r.get(2)?,
                decision: ObjectionDecision::parse(&r.get::<_, String>(3)?).unwrap_or(ObjectionDecision::Stop),
                reasons: r.get(4)?,
                decided_on: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everyone a purpose (e.g. "newsletters") applies to and whom the acting user may contact:
    /// leaves out restricted people and anyone whose latest objection to the purpose was
    /// decided "stop". Each entry has the email and postal address the role may see; people
    /// with neither are left out.
    pub fn mailing_list(&self, purpose_key: &str) -> Result<Vec<MailingEntry>> {
        let lists = || {
            let keys: Vec<&str> = self
                .profile()
                .purposes
                .iter()
                .filter(|p| p.mailing_list)
                .map(|p| p.key.as_str())
                .collect();
            if keys.is_empty() {
                "(none: no purpose has mailing_list = true)".to_string()
            } else {
                keys.join(", ")
            }
        };
        let Some(purpose) = self.profile().purpose(purpose_key).cloned() else {
            return Err(StoreError::invalid(format!(
                "The profile has no purpose \"{}\": choose one of {}.",
                purpose_key.chars().take(40).collect::<String>(),
                lists()
            )));
        };
        if !purpose.mailing_list {
            return Err(StoreError::invalid(format!(
                "The profile makes no mailing list for \"{}\": choose one of {}.",
                purpose.key,
                lists()
            )));
        }
        let role = self.actor().role;
        let is_lead = self.access().sees_restricted(role);
        // Left out: restricted records; anyone whose latest objection to the purpose was
        // decided "stop"; for direct marketing, anyone with an objection not yet decided for
        // any purpose (it is absolute, so the decision is only a formality); where the purpose rests on
        // consent, anyone without that consent in force.
        let mut st = self.conn.prepare(
            "SELECT p.id FROM people p
             WHERE p.restricted = 0
               AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.person_id = p.id AND o.purpose = ?1
                               AND o.decision = 'stop'
                               AND o.id = (SELECT max(id) FROM objections o2 WHERE o2.person_id = p.id AND o2.purpose = ?1))
               AND NOT (?2 AND EXISTS (SELECT 1 FROM rights_requests r WHERE r.person_id = p.id AND r.status <> 'closed'
                                        AND (',' || r.kinds || ',') LIKE '%,objection,%'
                                        AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.request_id = r.id)))
               AND NOT (?3 AND coalesce((SELECT c.action FROM consents c WHERE c.person_id = p.id AND c.purpose = ?1
                                         ORDER BY c.on_date DESC, c.id DESC LIMIT 1), 'none') <> 'given')
             ORDER BY p.family_name, p.given_name, p.id",
        )?;
        let ids: Vec<i64> = st
            .query_map(
                params![
                    &purpose.key,
                    purpose.direct_marketing,
                    purpose.lawful_basis == crate::profile::LawfulBasis::Consent
                ],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            // Someone referred but not yet accepted is not a client for a client's list.
            let pending: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM person_categories WHERE person_id = ?1 AND category = 'client' AND pending_referral IS NOT NULL)",
                [id],
                |r| r.get(0),
            )?;
            let cats: Vec<Category> = people::categories_of(&self.conn, id)?
                .into_iter()
                .filter(|c| !(pending && *c == Category::Client))
                .collect();
            if cats.is_empty() || !purpose.applies_to(&cats) {
                continue;
            }
            let sees = |g| is_lead || self.access().can_see(role, &cats, g);
            if !sees(FieldGroup::Name) {
                continue;
            }
            let rec = people::load_record(&self.conn, id)?;
            let email = rec.email.clone().filter(|_| sees(FieldGroup::Email));
            let (address, postcode) = if sees(FieldGroup::Address) {
                (rec.address.clone(), rec.postcode.clone())
            } else {
                (None, None)
            };
            if email.is_none() && address.is_none() {
                continue;
            }
            out.push(MailingEntry {
                person_id: id,
                name: rec.display_name(),
                email,
                address,
                postcode,
            });
        }
        Ok(out)
    }

    /// The distinct recipients the person's data was disclosed to, so they can be told who
    /// they were (Article 19).
    pub fn recipients_of(&self, person: i64) -> Result<Vec<String>> {
        self.person_name_checked(person)?;
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT recipient FROM disclosures WHERE person_id = ?1 ORDER BY recipient")?;
        let rows = st.query_map([person], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The recipients told (or to be told) about a request's outcome: its Article 19 tasks.
    /// Works after erasure, when the person's disclosures are gone.
    pub fn recipients_for_request(&self, request_id: i64) -> Result<Vec<Article19Task>> {
        Ok(self
            .article19_tasks(true)?
            .into_iter()
            .filter(|t| t.request_id == Some(request_id))
            .collect())
    }

    /// Article 19 tasks (data protection lead; empty for other roles): open ones, soonest due
    /// first, and with `include_done` the finished ones after them.
    pub fn article19_tasks(&self, include_done: bool) -> Result<Vec<Article19Task>> {
        if !AccessMatrix::answers_rights(self.actor().role) {
            return Ok(Vec::new());
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, request_id, person_id, about, created_at, due_on, done_on, outcome, reason FROM tasks
             WHERE kind = 'article19' AND (?1 OR done_on IS NULL)
             ORDER BY done_on IS NOT NULL, due_on, id",
        )?;
        /// The columns of an Article 19 task.
        struct Raw {
            id: i64,
            request_id: Option<i64>,
            person_id: Option<i64>,
            recipient: String,
            created: NaiveDateTime,
            due_on: Option<NaiveDate>,
            done_on: Option<NaiveDate>,
            outcome: Option<String>,
            reason: Option<String>,
        }
        let rows: Vec<Raw> = st
            .query_map([include_done], |r| {
                Ok(Raw {
                    id: r.get("id")?,
                    request_id: r.get("request_id")?,
                    person_id: r.get("person_id")?,
                    recipient: r.get("about")?,
                    created: r.get("created_at")?,
                    due_on: r.get("due_on")?,
                    done_on: r.get("done_on")?,
                    outcome: r.get("outcome")?,
                    reason: r.get("reason")?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for Raw {
            id,
            request_id,
            person_id,
            recipient,
            created,
            due_on,
            done_on,
            outcome,
            reason,
        } in rows
        {
            let person_name = match person_id {
                Some(pid) => self.name_if_visible(pid)?.unwrap_or_else(|| format!("person {pid}")),
                None => "Erased person".to_string(),
            };
            out.push(Article19Task {
                id,
                request_id,
                person_id,
                person_name,
                recipient,
                created_on: created.date(),
                due_on,
                done_on,
                outcome: outcome.and_then(|o| Article19Outcome::parse(&o).ok()),
                reason,
            });
        }
        Ok(out)
    }

    /// Closes an Article 19 task (data protection lead): the recipient was told, or telling
    /// them is impossible or would take disproportionate effort, which needs a reason.
    pub fn close_article19_task(&mut self, task_id: i64, outcome: Article19Outcome, reason: &str) -> Result<()> {
        self.require_lead("close Article 19 tasks")?;
        let open: Option<Option<NaiveDate>> = self
            .conn
            .query_row(
                "SELECT done_on FROM tasks WHERE id = ?1 AND kind = 'article19'",
                [task_id],
                |r| r.get(0),
            )
            .optional()?;
        match open {
            None => return Err(StoreError::NotFound("Article 19 task", task_id)),
            Some(Some(_)) => {
                return Err(StoreError::invalid(format!(
                    "Article 19 task {task_id} is already closed: nothing to do."
                )))
            }
            Some(None) => {}
        }
        let reason =
            validate::note("reason", reason, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if outcome != Article19Outcome::Done && reason.is_empty() {
            return Err(StoreError::invalid(
                "Say why telling the recipient is impossible or would take disproportionate effort: the assessment must be recorded.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE tasks SET done_on = ?1, done_by = ?2, outcome = ?3, reason = ?4 WHERE id = ?5",
                params![
                    now.date(),
                    user,
                    outcome.key(),
                    (!reason.is_empty()).then_some(reason),
                    task_id
                ],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "task",
                Some(task_id),
                &["done_on", "outcome", "reason"],
            )?;
            Ok(())
        })
    }
}
