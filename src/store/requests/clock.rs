//! The clerical steps of a request's clock: proof of identity, a fee, clarification.

use crate::domain::rights::RequestKind;
use crate::domain::validate;
use crate::store::error::Result;
use crate::store::ids::new_id;
use crate::store::{audit, Store};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::*;

impl Store {
    /// Records that proof of identity was asked for on `on`: the clock stops until it arrives.
    pub fn request_id(&mut self, id: i64, on: NaiveDate) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record identity checks")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "ID was asked for")?;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET id_status = 'requested', id_requested_on = ?1, id_received_on = NULL,
                        id_seen = NULL WHERE id = ?2",
                params![on, id],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["id_status", "id_requested_on"])?;
            Ok(())
        })
    }

    /// Records that proof of identity arrived on `on` and what was seen (the kind of document,
    /// e.g. "passport"; never its number). Day one becomes this date if it is the latest.
    pub fn id_received(&mut self, id: i64, on: NaiveDate, what_seen: &str) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record identity checks")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "ID arrived")?;
        let seen = validate::text("what_seen", what_seen, validate::MAX_LINE)
            .map_err(|_| invalid("Say what proof of identity was seen, for example \"passport\" (not its number)."))?;
        let requested: Option<NaiveDate> =
            self.conn
                .query_row("SELECT id_requested_on FROM rights_requests WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        if let Some(asked) = requested {
            if on < asked {
                return Err(invalid(format!(
                    "ID cannot have arrived on {on}, before it was asked for on {asked}: check the date."
                )));
            }
        }
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET id_status = 'received', id_received_on = ?1, id_seen = ?2,
                        id_requested_on = coalesce(id_requested_on, ?1) WHERE id = ?3",
                params![on, seen, id],
            )?;
            refresh_status(tx, id)?;
            audit_request(
                tx,
                who,
                id,
                audit::Action::Change,
                &["id_status", "id_received_on", "id_seen"],
            )?;
            Ok(())
        })
    }

    /// Records that no proof of identity is needed (the person is known to us): the clock
    /// runs from the day the request arrived.
    pub fn id_not_needed(&mut self, id: i64) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record identity checks")?;
        self.open_request(id)?;
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET id_status = 'not_needed', id_requested_on = NULL, id_received_on = NULL,
                        id_seen = NULL WHERE id = ?1",
                [id],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["id_status"])?;
            Ok(())
        })
    }

    /// Asks for a reasonable fee (data protection lead): only for a manifestly unfounded or
    /// excessive request, or further copies; the reason is mandatory and goes in the letter.
    /// The clock stops until the fee arrives.
    pub fn request_fee(&mut self, id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        self.require_lead("ask for a fee")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "the fee was asked for")?;
        let reason = note("fee_reason", reason)?;
        if reason.is_empty() {
            return Err(invalid(
                "Give the reason for the fee: why the request is manifestly unfounded or excessive, or that it asks for further copies.",
            ));
        }
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET fee_requested_on = ?1, fee_received_on = NULL, fee_reason = ?2 WHERE id = ?3",
                params![on, reason, id],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["fee_requested_on", "fee_reason"])?;
            Ok(())
        })
    }

    /// Records that the fee arrived on `on`; day one becomes this date if it is the latest.
    pub fn fee_received(&mut self, id: i64, on: NaiveDate) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record a fee")?;
        let core = self.open_request(id)?;
        self.step_date(&core, on, "the fee arrived")?;
        let asked: Option<NaiveDate> = self.conn.query_row(
            "SELECT fee_requested_on FROM rights_requests WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let Some(asked) = asked else {
            return Err(invalid(format!(
                "No fee was asked for on request {id}: nothing to record."
            )));
        };
        if on < asked {
            return Err(invalid(format!(
                "The fee cannot have arrived on {on}, before it was asked for on {asked}: check the date."
            )));
        }
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE rights_requests SET fee_received_on = ?1 WHERE id = ?2",
                params![on, id],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["fee_received_on"])?;
            Ok(())
        })
    }

    /// Asks the person to clarify an access request on `on`: the clock stops (that day
    /// included) until the clarification arrives. Only access requests can be paused.
    pub fn ask_clarification(&mut self, id: i64, on: NaiveDate) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record clarification")?;
        let core = self.open_request(id)?;
        if !core.has(RequestKind::Access) {
            return Err(invalid(
                "Only an access request can be paused for clarification: the clock of this request keeps running.",
            ));
        }
        self.step_date(&core, on, "clarification was asked for")?;
        let waiting: i64 = self.conn.query_row(
            "SELECT count(*) FROM request_pauses WHERE request_id = ?1 AND received_on IS NULL",
            [id],
            |r| r.get(0),
        )?;
        if waiting > 0 {
            return Err(invalid(
                "Clarification is already awaited on this request: record its arrival first.",
            ));
        }
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                concat!(
                    "INSERT INTO request_pauses (id, request_id, asked_on) VALUES (",
                    new_id!("request_pauses"),
                    ", ?1, ?2)"
                ),
                params![id, on],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["pause_asked_on"])?;
            Ok(())
        })
    }

    /// Records that the clarification arrived on `on` (that day does not count either).
    pub fn clarification_received(&mut self, id: i64, on: NaiveDate) -> Result<()> {
        self.require_role(INTAKE_ROLES, "record clarification")?;
        let core = self.open_request(id)?;
        if !core.has(RequestKind::Access) {
            return Err(invalid(
                "Only an access request can be paused for clarification: there is nothing to record.",
            ));
        }
        self.step_date(&core, on, "clarification arrived")?;
        let pause: Option<(i64, NaiveDate)> = self
            .conn
            .query_row(
                "SELECT id, asked_on FROM request_pauses WHERE request_id = ?1 AND received_on IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((pause_id, asked)) = pause else {
            return Err(invalid(
                "No clarification is awaited on this request: ask for it first.",
            ));
        };
        if on < asked {
            return Err(invalid(format!(
                "The clarification cannot have arrived on {on}, before it was asked for on {asked}: check the date."
            )));
        }
        let who = self.who();
        self.write(|tx| {
            tx.execute(
                "UPDATE request_pauses SET received_on = ?1 WHERE id = ?2",
                params![on, pause_id],
            )?;
            refresh_status(tx, id)?;
            audit_request(tx, who, id, audit::Action::Change, &["pause_received_on"])?;
            Ok(())
        })
    }
}
