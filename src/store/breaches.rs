//! The breach log (Articles 33 and 34). Anyone on the rota records a breach the moment they
//! know of it (a lost laptop, a letter to the wrong address): what happened, when, when the
//! charity became aware, who is affected and what kinds of data. The data protection lead
//! then judges the risk, with reasons, within the 72 hours the law allows for a report to the
//! ICO, records the report and its reference, and, where the risk is high, has a task to tell
//! the people affected. Open breaches are on the lead's handover, red once the 72 hours run
//! out.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::breach::{report_due, BreachRisk};
use crate::domain::{validate, FieldGroup};
use crate::profile::AccessMatrix;
use chrono::{Duration, NaiveDateTime};
use rusqlite::params;

/// The task kind of "tell the people affected" (Article 34).
pub const BREACH_TELL: &str = "breach_tell";

/// A breach as it is first recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreachInput {
    pub what: String,
    pub happened_at: Option<NaiveDateTime>,
    pub aware_at: NaiveDateTime,
    /// Everyone on the case file (a lost laptop), rather than the people named.
    pub everyone: bool,
    pub people: Vec<i64>,
    pub data_groups: Vec<FieldGroup>,
    pub consequences: String,
    pub measures: String,
}

/// One breach on the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Breach {
    pub id: i64,
    pub what: String,
    pub happened_at: Option<NaiveDateTime>,
    pub aware_at: NaiveDateTime,
    /// When the report to the ICO is due (72 hours after becoming aware).
    pub report_due: NaiveDateTime,
    pub everyone: bool,
    /// How many people are named as affected.
    pub people: usize,
    pub data_groups: String,
    pub consequences: String,
    pub measures: String,
    pub risk: Option<BreachRisk>,
    pub decision_reasons: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reported_at: Option<NaiveDateTime>,
    pub ico_reference: Option<String>,
}

impl Breach {
    /// What is still to do, if anything: decide, or (for a risk) report to the ICO.
    pub fn next_step(&self) -> Option<&'static str> {
        match self.risk {
            None => Some("Decide whether to report this breach to the ICO"),
            Some(r) if r.must_report() && self.reported_at.is_none() => Some("Report this breach to the ICO"),
            _ => None,
        }
    }
}

impl Store {
    fn require_breach_lead(&self, what: &str) -> Result<()> {
        if AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        Err(StoreError::NotAllowed(
            self.profile().role_label(self.actor().role).to_string(),
            what.into(),
        ))
    }

    /// Records a breach (any role: whoever finds it records it at once). The people named must
    /// be on file and visible to the recorder.
    pub fn record_breach(&mut self, input: &BreachInput) -> Result<i64> {
        let text = |field: &'static str, v: &str, max| {
            validate::text(field, v, max).map_err(|e| StoreError::invalid(e.to_string()))
        };
        let what = text("what happened", &input.what, validate::MAX_NOTE)?;
        let consequences = text("likely consequences", &input.consequences, validate::MAX_NOTE)?;
        let measures = text("measures taken", &input.measures, validate::MAX_NOTE)?;
        let now = self.clock().now();
        if input.aware_at > now || input.happened_at.is_some_and(|h| h > now) {
            return Err(StoreError::invalid(
                "A breach is recorded once it has happened: the times cannot be in the future.",
            ));
        }
        if input.happened_at.is_some_and(|h| h > input.aware_at) {
            return Err(StoreError::invalid(
                "It cannot have happened after we became aware of it: check the times.",
            ));
        }
        if input.data_groups.is_empty() {
            return Err(StoreError::invalid(
                "Say what kinds of data were involved (names, addresses, health...).",
            ));
        }
        if !input.everyone && input.people.is_empty() {
            return Err(StoreError::invalid(
                "Say who is affected: the people on file, or everyone (a lost laptop holds everyone's records).",
            ));
        }
        for p in &input.people {
            self.person_name_checked(*p)?;
        }
        let groups = input.data_groups.iter().map(|g| g.key()).collect::<Vec<_>>().join(",");
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO breaches (id, what, happened_at, aware_at, everyone, data_groups, consequences, measures, recorded_by, recorded_at)
                 VALUES (", new_id!("breaches"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![what, input.happened_at, input.aware_at, input.everyone, groups, consequences, measures, user, now],
            )?;
            let id = tx.last_insert_rowid();
            for p in &input.people {
                tx.execute("INSERT OR IGNORE INTO breach_people (breach_id, person_id) VALUES (?1, ?2)", params![id, p])?;
            }
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "breach",
                Some(id),
                &["what", "happened_at", "aware_at", "people", "data_groups", "consequences", "measures"],
            )?;
            Ok(id)
        })
    }

    /// The lead's judgement of the risk, with the reasons (needed either way: Article 33(5)).
    /// A high risk leaves a task to tell the people affected (Article 34), due at once.
    pub fn decide_breach(&mut self, id: i64, risk: BreachRisk, reasons: &str) -> Result<()> {
        self.require_breach_lead("decide on breaches")?;
        let b = self.breach(id)?;
        if b.risk.is_some() {
            return Err(StoreError::invalid("This breach has been decided already."));
        }
        let reasons =
            validate::text("reasons", reasons, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if reasons.chars().count() < 10 {
            return Err(StoreError::invalid(
                "Give the reasons for the decision (what makes the risk what it is), as the law asks the log to show.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE breaches SET risk = ?1, decision_reasons = ?2, decided_by = ?3, decided_at = ?4 WHERE id = ?5",
                params![risk.key(), reasons, user, now, id],
            )?;
            audit::append(tx, now, Some(user), audit::Action::Change, "breach", Some(id), &["risk", "decision_reasons"])?;
            if risk.must_tell_people() {
                let about = format!("Tell the people affected by breach #{id} (Article 34): what happened, the likely consequences, what we have done, and who to contact");
                let people: Vec<i64> = tx
                    .prepare_cached("SELECT person_id FROM breach_people WHERE breach_id = ?1")?
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                // One task each for the people named; one for "everyone" otherwise.
                let targets: Vec<Option<i64>> = if b.everyone || people.is_empty() {
                    vec![None]
                } else {
                    people.into_iter().map(Some).collect()
                };
                for person in targets {
                    tx.execute(
                        concat!("INSERT INTO tasks (id, kind, person_id, about, created_at, due_on) VALUES (", new_id!("tasks"), ", ?1, ?2, ?3, ?4, ?5)"),
                        params![BREACH_TELL, person, about, now, now.date()],
                    )?;
                    audit::append(tx, now, Some(user), audit::Action::Create, "task", Some(tx.last_insert_rowid()), &["kind", "about"])?;
                }
            }
            Ok(())
        })
    }

    /// Records that the breach was reported to the ICO, when, and their reference.
    pub fn breach_reported(&mut self, id: i64, at: NaiveDateTime, reference: &str) -> Result<()> {
        self.require_breach_lead("record breach reports")?;
        let b = self.breach(id)?;
        if !b.risk.is_some_and(BreachRisk::must_report) {
            return Err(StoreError::invalid(
                "Decide first that the breach must be reported (a risk to people's rights and freedoms).",
            ));
        }
        if at > self.clock().now() || at < b.aware_at - Duration::days(1) {
            return Err(StoreError::invalid(
                "Give the time the report was made: not in the future, not before the breach.",
            ));
        }
        let reference = validate::text("ICO reference", reference, validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE breaches SET reported_at = ?1, ico_reference = ?2 WHERE id = ?3",
                params![at, reference, id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "breach",
                Some(id),
                &["reported_at", "ico_reference"],
            )
        })
    }

    /// The people named as affected by a breach (the data protection lead's).
    pub fn breach_people(&self, id: i64) -> Result<Vec<i64>> {
        self.require_breach_lead("see the breach log")?;
        let rows = self
            .conn
            .prepare_cached("SELECT person_id FROM breach_people WHERE breach_id = ?1 ORDER BY person_id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One breach (the data protection lead's log).
    pub fn breach(&self, id: i64) -> Result<Breach> {
        self.breach_rows(Some(id))?
            .pop()
            .ok_or(StoreError::NotFound("breach", id))
    }

    /// The breach log, newest first (the data protection lead's).
    pub fn breaches(&self) -> Result<Vec<Breach>> {
        self.breach_rows(None)
    }

    fn breach_rows(&self, id: Option<i64>) -> Result<Vec<Breach>> {
        self.require_breach_lead("see the breach log")?;
        let mut st = self.conn.prepare_cached(
            "SELECT b.id, b.what, b.happened_at, b.aware_at, b.everyone,
                    (SELECT count(*) FROM breach_people p WHERE p.breach_id = b.id),
                    b.data_groups, b.consequences, b.measures, b.risk, b.decision_reasons, b.decided_at, b.reported_at,
                    b.ico_reference
             FROM breaches b WHERE ?1 IS NULL OR b.id = ?1 ORDER BY b.aware_at DESC, b.id DESC",
        )?;
        let rows = st
            .query_map([id], |r| {
                let aware_at: NaiveDateTime = r.get(3)?;
                Ok(Breach {
                    id: r.get(0)?,
                    what: r.get(1)?,
                    happened_at: r.get(2)?,
                    aware_at,
                    report_due: report_due(aware_at),
                    everyone: r.get(4)?,
                    people: r.get::<_, i64>(5)? as usize,
                    data_groups: r.get(6)?,
                    consequences: r.get(7)?,
                    measures: r.get(8)?,
                    risk: r.get::<_, Option<String>>(9)?.and_then(|k| BreachRisk::parse(&k).ok()),
                    decision_reasons: r.get(10)?,
                    decided_at: r.get(11)?,
                    reported_at: r.get(12)?,
                    ico_reference: r.get(13)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
