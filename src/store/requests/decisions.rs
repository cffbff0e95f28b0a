//! The data protection lead's decisions: extending, refusing, closing.

use crate::domain::rights::{ExtensionReason, Outcome, RefusalGround, RequestStatus};
use crate::store::error::Result;
use crate::store::{audit, Store};
use chrono::NaiveDate;
use rusqlite::params;

use super::*;

impl Store {
    /// Extends the deadline by two months (three from day one), data protection lead only.
    /// Refused once the first month has passed, or when the person was told after it. Returns
    /// the new due date.
    pub fn extend(&mut self, id: i64, reason: ExtensionReason, told_on: NaiveDate) -> Result<NaiveDate> {
        self.require_lead("extend a request's deadline")?;
        let core = self.open_request(id)?;
        let extended: bool = self
            .conn
            .query_row("SELECT extended FROM rights_requests WHERE id = ?1", [id], |r| r.get(0))?;
        if extended {
            return Err(invalid(format!(
                "Request {id} is already extended: a deadline can be extended only once."
            )));
        }
        if core.status != RequestStatus::Open {
            return Err(invalid(format!(
                "The clock of request {id} is stopped ({}): record what arrived before extending it.",
                core.status.label().to_lowercase()
            )));
        }
        let first = self.request_deadline(id)?;
        let Some(first_month) = first.due else {
            return Err(invalid(format!(
                "Request {id} has no running deadline: record what arrived before extending it."
            )));
        };
        let today = self.clock().today();
        if today > first_month {
            return Err(invalid(format!(
                "The first month ended on {first_month}: a deadline can be extended only within the first month, so respond to request {id} now."
            )));
        }
        if told_on > first_month {
            return Err(invalid(format!(
                "The person must be told of an extension within the first month, by {first_month}: they cannot be told on {told_on}."
            )));
        }
        self.step_date(&core, told_on, "the person was told")?;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET extended = 1, extension_reason = ?1, extension_told_on = ?2 WHERE id = ?3",
                params![reason.key(), told_on, id],
            )?;
            audit_request(
                tx,
                who,
                id,
                audit::Action::Change,
                &["extended", "extension_reason", "extension_told_on"],
            )?;
            // The person must be told within the first month.
            letter_due(tx, id, letter::EXTENSION, first_month)
        })?;
        self.request_deadline(id)?
            .due
            .ok_or_else(|| invalid(format!("Request {id} has no running deadline.")))
    }

    /// The ground checked against the rights the request exercises, and the reasons (which
    /// the letter states), long enough to say what the ground asks for.
    fn checked_ground(&self, id: i64, ground: RefusalGround, reason: &str) -> Result<String> {
        let core = self.open_request(id)?;
        if !core.kinds.iter().any(|k| ground.applies_to(*k)) {
            let allowed: Vec<&str> = RefusalGround::for_kinds(&core.kinds)
                .iter()
                .map(|g| g.label())
                .collect();
            return Err(invalid(format!(
                "\"{}\" is not a ground for this request: choose one of {}.",
                ground.label(),
                allowed.join("; ")
            )));
        }
        let reason = note("refusal_reason", reason)?;
        if reason.chars().count() < 10 {
            return Err(invalid(format!(
                "Give the reasons: {}. The letter tells the person.",
                ground.asks_for()
            )));
        }
        Ok(reason)
    }

    /// Refuses a request on `ground` (data protection lead), with the reasons the letter
    /// states. Closes the request as refused.
    pub fn refuse(&mut self, id: i64, ground: RefusalGround, reason: &str) -> Result<()> {
        self.require_lead("refuse a request")?;
        let reason = self.checked_ground(id, ground, reason)?;
        let today = self.clock().today();
        let user = self.actor().user_id;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET refusal_reason = ?1, refusal_ground = ?2, status = 'closed', outcome = 'refused',
                        closed_on = ?3, closed_by = ?4 WHERE id = ?5",
                params![reason, ground.key(), today, user, id],
            )?;
            audit_request(
                tx,
                who,
                id,
                audit::Action::Change,
                &["refusal_reason", "refusal_ground", "status", "outcome", "closed_on"],
            )?;
            letter_due(tx, id, letter::REFUSAL, today)?;
            Ok(())
        })
    }

    /// Closes a request as partly complied (data protection lead): what was provided, what
    /// was withheld, on which ground and why (the partial-compliance letter says all of it).
    pub fn close_partly(
        &mut self,
        id: i64,
        provided: &str,
        withheld: &str,
        ground: RefusalGround,
        reason: &str,
        on: NaiveDate,
    ) -> Result<()> {
        self.require_lead("close a request")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "the request was closed")?;
        let reason = self.checked_ground(id, ground, reason)?;
        let provided = note("what was provided", provided)?;
        let withheld = note("what was withheld", withheld)?;
        if provided.is_empty() || withheld.is_empty() {
            return Err(invalid(
                "Say what was provided and what was withheld: the letter tells the person both.",
            ));
        }
        let user = self.actor().user_id;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET status = 'closed', outcome = 'partly', closed_on = ?1, closed_by = ?2,
                        partly_provided = ?3, partly_withheld = ?4, refusal_ground = ?5, refusal_reason = ?6 WHERE id = ?7",
                params![on, user, provided, withheld, ground.key(), reason, id],
            )?;
            audit_request(
                tx,
                who,
                id,
                audit::Action::Change,
                &["status", "outcome", "closed_on", "partly_provided", "partly_withheld", "refusal_ground", "refusal_reason"],
            )?;
            letter_due(tx, id, letter::PARTIAL, on)?;
            Ok(())
        })
    }

    /// Closes a request with its outcome on `on` (data protection lead). Closed requests stay
    /// for the record. A refusal needs a reason: use [`Store::refuse`].
    pub fn close_request(&mut self, id: i64, outcome: Outcome, on: NaiveDate) -> Result<()> {
        self.require_lead("close a request")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "the request was closed")?;
        if outcome == Outcome::Refused {
            return Err(invalid(
                "A refusal needs its ground and reasons for the letter: use refuse instead.",
            ));
        }
        if outcome == Outcome::Partly {
            return Err(invalid(
                "Partly complied needs what was provided, what was withheld and why: use close_partly instead.",
            ));
        }
        let user = self.actor().user_id;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET status = 'closed', outcome = ?1, closed_on = ?2, closed_by = ?3 WHERE id = ?4",
                params![outcome.key(), on, user, id],
            )?;
            audit_request(tx, who, id, audit::Action::Change, &["status", "outcome", "closed_on"])?;
            if outcome == Outcome::Complied {
                letter_due(tx, id, letter::COMPLETION, on)?;
            }
            Ok(())
        })
    }
}
