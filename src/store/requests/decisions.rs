//! The data protection lead's decisions: extending, refusing, closing.

use crate::domain::rights::{ExtensionReason, Outcome, RequestStatus};
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
            )
        })?;
        self.request_deadline(id)?
            .due
            .ok_or_else(|| invalid(format!("Request {id} has no running deadline.")))
    }

    /// Refuses a manifestly unfounded or excessive request (data protection lead); the reason
    /// is mandatory and goes into the refusal letter. Closes the request as refused.
    pub fn refuse(&mut self, id: i64, reason: &str) -> Result<()> {
        self.require_lead("refuse a request")?;
        self.open_request(id)?;
        let reason = note("refusal_reason", reason)?;
        if reason.is_empty() {
            return Err(invalid(
                "Give the reason for refusing: why the request is manifestly unfounded or excessive; the letter tells the person.",
            ));
        }
        let today = self.clock().today();
        let user = self.actor().user_id;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET refusal_reason = ?1, status = 'closed', outcome = 'refused', closed_on = ?2,
                        closed_by = ?3 WHERE id = ?4",
                params![reason, today, user, id],
            )?;
            audit_request(
                tx,
                who,
                id,
                audit::Action::Change,
                &["refusal_reason", "status", "outcome", "closed_on"],
            )?;
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
                "A refusal needs its reason for the letter: use refuse with the reason instead.",
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
            Ok(())
        })
    }
}
