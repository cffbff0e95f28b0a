//! Consent (UK GDPR Article 7): giving, withdrawing, the history, and what may only be done
//! while consent is active.
//!
//! The purposes and their exact wording come from the profile's `[[consent_purpose]]` blocks;
//! each consent row keeps the wording text and version the person agreed to, so a later change
//! of wording never rewrites what was agreed. Nothing is pre-ticked: a consent exists only
//! because [`Store::give_consent`] was called for it.
//!
//! Withdrawing is as easy as giving (the same ways are accepted, and a restriction never blocks
//! it, since it only reduces processing). A withdrawal also creates a follow-up task
//! ("remove the photo from the website ...") that stays on the handover list until
//! [`Store::complete_task`] records its outcome.
//!
//! Publications (a photo or story put on the website) are rows of their own in
//! `publications` (schema version 2), like a contact log: each names the consent purpose and
//! the consent it relied on, and recording one is refused unless that consent is active. The
//! withdrawal's follow-up task lists them, so whoever takes them down knows where to look.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::consent::{withdrawal_followup, ConsentMethod};
use crate::domain::validate;
use crate::profile::ConsentPurpose;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// One consent event: given or withdrawn, under which wording.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsentEvent {
    pub id: i64,
    pub purpose: String,
    pub given: bool,
    pub wording_version: u32,
    /// The exact words agreed to (for a withdrawal, those of the consent withdrawn).
    pub wording: String,
    /// How it was given or withdrawn (a [`ConsentMethod`] key).
    pub how: String,
    pub on: NaiveDate,
    /// The login of the user who recorded it.
    pub by: Option<String>,
    /// The evidence reference (form number, email date, ...), if any.
    pub evidence: Option<String>,
}

/// What a withdrawal created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Withdrawal {
    /// The consent row recording the withdrawal.
    pub consent_id: i64,
    /// The follow-up task on the handover list.
    pub task_id: i64,
}

/// Something published under a consent purpose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Publication {
    pub id: i64,
    pub purpose: String,
    pub what: String,
    pub published_on: NaiveDate,
    /// When it was taken down; `None` while it is live.
    pub taken_down_on: Option<NaiveDate>,
}

/// An open or done follow-up task.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    pub id: i64,
    /// "consent_followup", ...
    pub kind: String,
    pub person_id: i64,
    pub person_name: String,
    pub about: String,
    pub created_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

/// The kind of task a consent withdrawal creates.
pub const CONSENT_FOLLOWUP: &str = "consent_followup";

impl Store {
    fn consent_purpose_checked(&self, key: &str) -> Result<ConsentPurpose> {
        self.profile().consent_purpose(key).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.profile().consent_purposes.iter().map(|c| c.key.as_str()).collect();
            StoreError::invalid(format!(
                "\"{}\" is not a consent purpose in the organisation profile: choose one of {}.",
                key.chars().take(40).collect::<String>(),
                if known.is_empty() {
                    "(none)".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    fn check_not_future(&self, on: NaiveDate, what: &str) -> Result<()> {
        if on > self.clock().today() {
            return Err(StoreError::invalid(format!(
                "The date {what} is in the future: give today's date or an earlier one."
            )));
        }
        Ok(())
    }

    /// The latest consent row for a purpose: (id, given, version, wording).
    fn latest_consent(&self, person: i64, purpose: &str) -> Result<Option<(i64, bool, u32, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, action, wording_version, wording FROM consents WHERE person_id = ?1 AND purpose = ?2
                 ORDER BY on_date DESC, id DESC LIMIT 1",
                params![person, purpose],
                |r| Ok((r.get(0)?, r.get::<_, String>(1)? == "given", r.get(2)?, r.get(3)?)),
            )
            .optional()?)
    }

    /// Records that a person gave consent for a purpose, with the purpose's current wording
    /// and version from the profile. Refused for an unknown purpose, when consent is already
    /// active, or for a restricted person.
    pub fn give_consent(
        &mut self,
        person: i64,
        purpose_key: &str,
        how: ConsentMethod,
        on: NaiveDate,
        evidence: &str,
    ) -> Result<i64> {
        self.writable(person)?;
        let purpose = self.consent_purpose_checked(purpose_key)?;
        self.check_not_future(on, "the consent was given")?;
        if self.consent_active(person, purpose_key)? {
            return Err(StoreError::invalid(format!(
                "Consent for \"{}\" is already active for this person: there is nothing to record.",
                purpose.label
            )));
        }
        let evidence = validate::optional_text("evidence", evidence, validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO consents (id, person_id, purpose, action, wording_version, wording, how, on_date, recorded_by, evidence)
                 VALUES (", new_id!("consents"), ", ?1, ?2, 'given', ?3, ?4, ?5, ?6, ?7, ?8)"),
                params![person, purpose.key, purpose.version, purpose.wording, how.key(), on, user, evidence],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "consent",
                Some(id),
                &[
                    "person_id",
                    "purpose",
                    "action",
                    "wording_version",
                    "how",
                    "on_date",
                    "evidence",
                ],
            )?;
            Ok(id)
        })
    }

    /// Records that a person withdrew consent, and creates the follow-up task that stays on
    /// the handover list until done. Refused when consent is not active. A restriction does
    /// not block a withdrawal.
    pub fn withdraw_consent(
        &mut self,
        person: i64,
        purpose_key: &str,
        how: ConsentMethod,
        on: NaiveDate,
    ) -> Result<Withdrawal> {
        // Visible is enough: withdrawing only ever reduces processing.
        self.person_name_checked(person)?;
        let purpose = self.consent_purpose_checked(purpose_key)?;
        self.check_not_future(on, "the consent was withdrawn")?;
        let Some((_, true, version, wording)) = self.latest_consent(person, purpose_key)? else {
            return Err(StoreError::invalid(format!(
                "There is no active consent for \"{}\" from this person to withdraw: check their consent history.",
                purpose.label
            )));
        };
        let published: Vec<String> = self
            .publications(person)?
            .into_iter()
            .filter(|p| p.purpose == purpose.key && p.taken_down_on.is_none())
            .map(|p| format!("{} ({})", p.what, p.published_on.format("%d/%m/%Y")))
            .collect();
        let about = withdrawal_followup(&purpose.label, &published);
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO consents (id, person_id, purpose, action, wording_version, wording, how, on_date, recorded_by)
                 VALUES (", new_id!("consents"), ", ?1, ?2, 'withdrawn', ?3, ?4, ?5, ?6, ?7)"),
                params![person, purpose.key, version, wording, how.key(), on, user],
            )?;
            let consent_id = tx.last_insert_rowid();
            tx.execute(
                concat!("INSERT INTO tasks (id, kind, person_id, about, created_at, due_on, purpose) VALUES (", new_id!("tasks"), ", ?1, ?2, ?3, ?4, ?5, ?6)"),
                params![CONSENT_FOLLOWUP, person, about, now, on.max(now.date()), purpose.key],
            )?;
            let task_id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "consent",
                Some(consent_id),
                &["person_id", "purpose", "action", "wording_version", "how", "on_date"],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "task",
                Some(task_id),
                &["kind", "person_id", "about", "due_on", "purpose"],
            )?;
            Ok(Withdrawal { consent_id, task_id })
        })
    }

    /// Whether the person's consent for a purpose is active (given and not withdrawn since).
    pub fn consent_active(&self, person: i64, purpose_key: &str) -> Result<bool> {
        self.person_name_checked(person)?;
        Ok(matches!(
            self.latest_consent(person, purpose_key)?,
            Some((_, true, _, _))
        ))
    }

    /// A person's consent history, oldest first (every given and withdrawn, with the wording
    /// version), for roles that may see the person.
    pub fn consent_history(&self, id: i64) -> Result<Vec<ConsentEvent>> {
        self.person_name_checked(id)?;
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.purpose, c.action, c.wording_version, c.wording, c.how, c.on_date, u.login, c.evidence
             FROM consents c LEFT JOIN users u ON u.id = c.recorded_by
             WHERE c.person_id = ?1 ORDER BY c.on_date, c.id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(ConsentEvent {
                id: r.get(0)?,
                purpose: r.get(1)?,
                given: r.get::<_, String>(2)? == "given",
                wording_version: r.get(3)?,
                wording: r.get(4)?,
                how: r.get(5)?,
                on: r.get(6)?,
                by: r.get(7)?,
                evidence: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that something was published under a consent purpose (for example "photo on
    /// the website"). Refused unless the person's consent for that purpose is active.
    pub fn record_publication(&mut self, person: i64, purpose_key: &str, what: &str, on: NaiveDate) -> Result<i64> {
        self.writable(person)?;
        let purpose = self.consent_purpose_checked(purpose_key)?;
        self.check_not_future(on, "of publication")?;
        let what = validate::text("what was published", what, validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if what.is_empty() {
            return Err(StoreError::invalid(
                "Say what was published and where, for example \"photo on the website\".",
            ));
        }
        let Some((consent_id, true, _, _)) = self.latest_consent(person, purpose_key)? else {
            return Err(StoreError::invalid(format!(
                "This person has not given active consent for \"{}\": record their consent first, and do not publish until then.",
                purpose.label
            )));
        };
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO publications (id, person_id, purpose, consent_id, what, published_on, by_user, created_at)
                 VALUES (", new_id!("publications"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![person, purpose.key, consent_id, what, on, user, now],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "publication",
                Some(id),
                &["person_id", "purpose", "consent_id", "what", "published_on"],
            )?;
            Ok(id)
        })
    }

    /// What has been published about a person under consent purposes, newest first.
    pub fn publications(&self, person: i64) -> Result<Vec<Publication>> {
        self.person_name_checked(person)?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, purpose, what, published_on, taken_down_on FROM publications WHERE person_id = ?1
             ORDER BY published_on DESC, id DESC",
        )?;
        let rows = st.query_map([person], |r| {
            Ok(Publication {
                id: r.get(0)?,
                purpose: r.get(1)?,
                what: r.get(2)?,
                published_on: r.get(3)?,
                taken_down_on: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open follow-up tasks for people the acting user may see, soonest first: for one person,
    /// or (None) everyone.
    pub fn open_tasks(&self, person: Option<i64>) -> Result<Vec<Task>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, person_id, about, created_at, due_on FROM tasks
             WHERE done_on IS NULL AND person_id IS NOT NULL AND (?1 IS NULL OR person_id = ?1)
             ORDER BY coalesce(due_on, created_at), id",
        )?;
        type Row = (i64, String, i64, String, chrono::NaiveDateTime, Option<NaiveDate>);
        let rows: Vec<Row> = st
            .query_map([person], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (id, kind, pid, about, created, due_on) in rows {
            if let Some(person_name) = self.name_if_visible(pid)? {
                out.push(Task {
                    id,
                    kind,
                    person_id: pid,
                    person_name,
                    about,
                    created_on: created.date(),
                    due_on,
                    done_on: None,
                    outcome: None,
                });
            }
        }
        Ok(out)
    }

    /// Marks a follow-up task done, with what was done ("photo removed from the website and
    /// Facebook"). The task then leaves the handover list.
    pub fn complete_task(&mut self, task_id: i64, outcome: &str) -> Result<()> {
        let pid: Option<i64> = self
            .conn
            .query_row(
                "SELECT person_id FROM tasks WHERE id = ?1 AND done_on IS NULL",
                [task_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound("open task", task_id))?;
        if let Some(pid) = pid {
            self.person_name_checked(pid)?;
        }
        let outcome =
            validate::text("outcome", outcome, validate::MAX_LINE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if outcome.chars().count() < 3 {
            return Err(StoreError::invalid(
                "Say what was done to complete the task, for example \"photo removed from the website\".",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE tasks SET done_on = ?1, done_by = ?2, outcome = ?3 WHERE id = ?4",
                params![now.date(), user, outcome, task_id],
            )?;
            if super::takedowns::mark_taken_down(tx, task_id, now.date())? > 0 {
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Change,
                    "publication",
                    None,
                    &["taken_down_on"],
                )?;
            }
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "task",
                Some(task_id),
                &["done_on", "done_by", "outcome"],
            )?;
            Ok(())
        })
    }
}
