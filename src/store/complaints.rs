//! Complaints (DPA 2018 s.164A). Anyone on the rota records a complaint as it arrives: who
//! (on file, or a name), how, what about, and the request it concerns where there is one. The
//! data protection lead acknowledges it within 30 days (the clock in `domain::complaint`),
//! notes the investigation, and records the outcome and how it was sent. Open complaints wait
//! on the lead's handover.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::complaint::{acknowledge_by, ComplaintChannel};
use crate::domain::validate;
use crate::profile::AccessMatrix;
use chrono::NaiveDate;
use rusqlite::params;

/// A complaint as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintInput {
    /// The person on file it comes from or concerns, if any.
    pub person: Option<i64>,
    /// The complainant's name, when they are not on file.
    pub complainant: String,
    pub request: Option<i64>,
    pub channel: ComplaintChannel,
    pub received_on: NaiveDate,
    pub about: String,
}

/// One complaint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Complaint {
    pub id: i64,
    pub person_id: Option<i64>,
    /// The person's name (where the acting user may see them) or the complainant's.
    pub who: String,
    pub request_id: Option<i64>,
    pub channel: ComplaintChannel,
    pub received_on: NaiveDate,
    pub acknowledge_by: NaiveDate,
    pub about: String,
    pub acknowledged_on: Option<NaiveDate>,
    pub investigation: Option<String>,
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
}

impl Complaint {
    /// What is still to do: acknowledge it, or investigate and report the outcome.
    pub fn next_step(&self) -> Option<&'static str> {
        match (self.acknowledged_on, self.outcome_on) {
            (None, _) => Some("Acknowledge the complaint (within 30 days)"),
            (Some(_), None) => Some("Investigate the complaint and tell them the outcome"),
            _ => None,
        }
    }
}

impl Store {
    fn require_complaints_lead(&self, what: &str) -> Result<()> {
        if AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        Err(StoreError::NotAllowed(
            self.profile().role_label(self.actor().role).to_string(),
            what.into(),
        ))
    }

    /// Records a complaint as it arrives (any role).
    pub fn record_complaint(&mut self, input: &ComplaintInput) -> Result<i64> {
        let about = validate::text("what the complaint is about", &input.about, validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let complainant = validate::optional_text("complainant", &input.complainant, validate::MAX_NAME)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if input.person.is_none() && complainant.is_none() {
            return Err(StoreError::invalid(
                "Say who is complaining: the person on file, or their name.",
            ));
        }
        if let Some(p) = input.person {
            self.person_name_checked(p)?;
        }
        if let Some(r) = input.request {
            let exists: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM rights_requests WHERE id = ?1)",
                [r],
                |x| x.get(0),
            )?;
            if !exists {
                return Err(StoreError::invalid(format!(
                    "There is no request #{r}: check the number."
                )));
            }
        }
        if input.received_on > self.clock().today() {
            return Err(StoreError::invalid("The day it was received cannot be in the future."));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO complaints (id, person_id, request_id, complainant, channel, received_on, about, recorded_by)
                 VALUES (", new_id!("complaints"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![
                    input.person,
                    input.request,
                    complainant,
                    input.channel.key(),
                    input.received_on,
                    about,
                    user
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "complaint",
                Some(id),
                &[
                    "person_id",
                    "request_id",
                    "complainant",
                    "channel",
                    "received_on",
                    "about",
                ],
            )?;
            Ok(id)
        })
    }

    /// The acknowledgement: when and how it went.
    pub fn acknowledge_complaint(&mut self, id: i64, on: NaiveDate, how: ComplaintChannel) -> Result<()> {
        self.require_complaints_lead("acknowledge complaints")?;
        let c = self.complaint(id)?;
        if c.acknowledged_on.is_some() {
            return Err(StoreError::invalid("This complaint has been acknowledged already."));
        }
        if on < c.received_on || on > self.clock().today() {
            return Err(StoreError::invalid(
                "The acknowledgement goes on or after the day the complaint came, and not in the future.",
            ));
        }
        self.complaint_update(
            id,
            "UPDATE complaints SET acknowledged_on = ?1, acknowledged_how = ?2 WHERE id = ?3",
            params![on, how.key(), id],
            &["acknowledged_on", "acknowledged_how"],
        )
    }

    /// The outcome of the investigation (what was found and done, what the investigation
    /// looked at), and when and how it was sent; closes the complaint.
    pub fn close_complaint(
        &mut self,
        id: i64,
        investigation: &str,
        outcome: &str,
        on: NaiveDate,
        how: ComplaintChannel,
    ) -> Result<()> {
        self.require_complaints_lead("close complaints")?;
        let c = self.complaint(id)?;
        let Some(acknowledged) = c.acknowledged_on else {
            return Err(StoreError::invalid("Acknowledge the complaint first."));
        };
        if c.outcome_on.is_some() {
            return Err(StoreError::invalid("This complaint is closed already."));
        }
        let text = |field: &'static str, v: &str| {
            validate::text(field, v, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))
        };
        let investigation = text("what the investigation looked at", investigation)?;
        let outcome = text("the outcome", outcome)?;
        if on < acknowledged || on > self.clock().today() {
            return Err(StoreError::invalid(
                "The outcome goes after the acknowledgement, and not in the future.",
            ));
        }
        let user = self.actor().user_id;
        self.complaint_update(
            id,
            "UPDATE complaints SET investigation = ?1, outcome = ?2, outcome_on = ?3, outcome_how = ?4, closed_by = ?5 WHERE id = ?6",
            params![investigation, outcome, on, how.key(), user, id],
            &["investigation", "outcome", "outcome_on", "outcome_how"],
        )
    }

    fn complaint_update(&mut self, id: i64, sql: &str, args: &[&dyn rusqlite::ToSql], fields: &[&str]) -> Result<()> {
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(sql, args)?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "complaint",
                Some(id),
                fields,
            )
        })
    }

    /// One complaint (the data protection lead's).
    pub fn complaint(&self, id: i64) -> Result<Complaint> {
        self.complaint_rows(Some(id))?
            .pop()
            .ok_or(StoreError::NotFound("complaint", id))
    }

    /// Every complaint, open ones first, oldest first (the data protection lead's).
    pub fn complaints(&self) -> Result<Vec<Complaint>> {
        self.complaint_rows(None)
    }

    fn complaint_rows(&self, id: Option<i64>) -> Result<Vec<Complaint>> {
        self.require_complaints_lead("see complaints")?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, complainant, request_id, channel, received_on, about, acknowledged_on, investigation,
                    outcome, outcome_on
             FROM complaints WHERE ?1 IS NULL OR id = ?1 ORDER BY outcome_on IS NOT NULL, received_on, id",
        )?;
        let mut out: Vec<Complaint> = st
            .query_map([id], |r| {
                let received_on: NaiveDate = r.get(5)?;
                Ok(Complaint {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    // The complainant's name when not on file; a person's is read below.
                    who: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    request_id: r.get(3)?,
                    channel: ComplaintChannel::parse(&r.get::<_, String>(4)?).unwrap_or(ComplaintChannel::Letter),
                    received_on,
                    acknowledge_by: acknowledge_by(received_on),
                    about: r.get(6)?,
                    acknowledged_on: r.get(7)?,
                    investigation: r.get(8)?,
                    outcome: r.get(9)?,
                    outcome_on: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for c in &mut out {
            if let Some(p) = c.person_id {
                // As the acting user may see them.
                c.who = self.name_if_visible(p)?.unwrap_or_else(|| format!("person #{p}"));
            }
        }
        Ok(out)
    }
}
