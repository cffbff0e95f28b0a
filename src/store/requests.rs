//! Rights requests: intake, identity, fee and clarification (the clock), the queue, extension,
//! refusal and closing. Fulfilment per kind lives in [`super::fulfil`],
//! [`super::subject_access`] and [`super::erase`].
//!
//! Who may act:
//! - **Intake** (recording that a request arrived) and the clerical steps of the clock (asking
//!   for and receiving proof of identity, asking for and receiving clarification, a fee
//!   arriving) may be done by the data protection lead or a duty officer: requests arrive at
//!   the duty phone, and the clock starts when they arrive, not when the lead next looks.
//! - **Decisions** (asking for a fee, extending, refusing, fulfilling, closing) are the data
//!   protection lead's alone.
//!
//! Reads are role-aware: a request appears only to users who may see its subject's name, so a
//! restricted person's requests appear only to the data protection lead. Every change is one
//! transaction with an audit entry holding ids and field names only.

use super::error::{Result, StoreError};
use super::{audit, Store};
use crate::domain::deadline::{self, Deadline, Pause};
use crate::domain::rights::{Channel, ExtensionReason, Outcome, RequestKind, RequestStatus};
use crate::domain::validate;
use crate::domain::Role;
use crate::profile::AccessMatrix;
use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};

/// Roles that may record that a request arrived and the clerical steps of its clock.
pub(crate) const INTAKE_ROLES: &[Role] = &[Role::DataProtectionLead, Role::DutyOfficer];
/// Roles that may decide on a request.
pub(crate) const DECISION_ROLES: &[Role] = &[Role::DataProtectionLead];

/// A request as it arrives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestIntake {
    /// The data subject, when known (None when only the agent is on file so far).
    pub person_id: Option<i64>,
    /// Someone acting for the data subject, if any.
    pub agent_id: Option<i64>,
    /// The authority the agent holds (e.g. "lasting power of attorney, seen"); required with
    /// an agent.
    pub agent_authority: Option<String>,
    /// At least one kind.
    pub kinds: Vec<RequestKind>,
    pub channel: Option<Channel>,
    /// The day it arrived (not in the future).
    pub received_on: Option<NaiveDate>,
    /// What was asked, in the person's words.
    pub words: String,
}

/// Which requests the queue shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestFilter {
    pub kind: Option<RequestKind>,
    pub status: Option<RequestStatus>,
    /// Only requests due within this many days (overdue ones included).
    pub due_within_days: Option<i64>,
    /// Closed requests too (after the open ones).
    pub include_closed: bool,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub person_id: Option<i64>,
    /// The data subject's name, "Erased person" or "Not yet identified".
    pub subject: String,
    pub agent: Option<String>,
    pub kinds: Vec<RequestKind>,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub status: RequestStatus,
    /// The deadline; `None` while the clock is stopped and once closed.
    pub due: Option<NaiveDate>,
    /// Calendar days to `due`: 0 on the day, negative when overdue.
    pub days_left: Option<i64>,
    pub extended: bool,
    pub outcome: Option<Outcome>,
    pub closed_on: Option<NaiveDate>,
}

impl RequestRow {
    /// The kinds as "access, erasure".
    pub fn kinds_text(&self) -> String {
        self.kinds.iter().map(|k| k.short()).collect::<Vec<_>>().join(", ")
    }
    /// Whether the deadline has passed.
    pub fn overdue(&self) -> bool {
        self.days_left.is_some_and(|d| d < 0)
    }
}

/// Everything about one request, for the request screen and the letters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RequestDetail {
    pub row: RequestRow,
    pub words: Option<String>,
    pub agent_id: Option<i64>,
    pub agent_authority: Option<String>,
    /// "not_needed", "requested" or "received".
    pub id_status: String,
    pub id_requested_on: Option<NaiveDate>,
    pub id_received_on: Option<NaiveDate>,
    pub id_seen: Option<String>,
    pub fee_requested_on: Option<NaiveDate>,
    pub fee_received_on: Option<NaiveDate>,
    pub fee_reason: Option<String>,
    pub pauses: Vec<Pause>,
    pub extension_reason: Option<ExtensionReason>,
    pub extension_told_on: Option<NaiveDate>,
    pub refusal_reason: Option<String>,
    /// Before and after values of a rectification (JSON), kept in the request, not the log.
    pub change_record: Option<serde_json::Value>,
    pub restriction_lifted_on: Option<NaiveDate>,
    pub restriction_lift_note: Option<String>,
    /// The worked-out deadline while the request is open.
    pub deadline: Option<Deadline>,
}

/// An earlier request by the same person (the "repetitive" hint).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EarlierRequest {
    pub id: i64,
    pub kinds: Vec<RequestKind>,
    pub received_on: NaiveDate,
    pub status: RequestStatus,
    pub outcome: Option<Outcome>,
}

/// The stored essentials of a request.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    pub id: i64,
    pub person_id: Option<i64>,
    pub kinds: Vec<RequestKind>,
    pub status: RequestStatus,
    pub received_on: NaiveDate,
}

impl Core {
    pub(crate) fn has(&self, kind: RequestKind) -> bool {
        self.kinds.contains(&kind)
    }
}

pub(crate) fn load_core(conn: &Connection, id: i64) -> Result<Core> {
    conn.query_row(
        "SELECT id, person_id, kinds, status, received_on FROM rights_requests WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, NaiveDate>(4)?,
            ))
        },
    )
    .optional()?
    .map(|(id, person_id, kinds, status, received_on)| Core {
        id,
        person_id,
        kinds: RequestKind::split(&kinds),
        status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Open),
        received_on,
    })
    .ok_or(StoreError::NotFound("rights request", id))
}

/// Recomputes the status of an open request from its dates: awaiting ID, then the fee, then
/// clarification; otherwise open. A closed request stays closed.
pub(crate) fn refresh_status(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE rights_requests SET status = CASE
            WHEN id_status = 'requested' THEN 'awaiting_id'
            WHEN fee_requested_on IS NOT NULL AND fee_received_on IS NULL THEN 'awaiting_fee'
            WHEN EXISTS (SELECT 1 FROM request_pauses p WHERE p.request_id = rights_requests.id
                         AND p.received_on IS NULL) THEN 'awaiting_clarification'
            ELSE 'open' END
         WHERE id = ?1 AND status <> 'closed'",
        [id],
    )?;
    Ok(())
}

fn audit_request(
    conn: &Connection,
    (at, user): (chrono::NaiveDateTime, i64),
    id: i64,
    action: audit::Action,
    fields: &[&str],
) -> Result<()> {
    audit::append(conn, at, Some(user), action, "rights_request", Some(id), fields)
}

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::invalid(msg)
}

fn note(field: &'static str, s: &str) -> Result<String> {
    validate::note(field, s, validate::MAX_NOTE).map_err(|e| invalid(e.to_string()))
}

impl Store {
    pub(crate) fn require_lead(&self, what: &str) -> Result<()> {
        self.require_role(DECISION_ROLES, what)
    }

    /// A date for a step of request `core`: not before it arrived, not in the future.
    fn step_date(&self, core: &Core, on: NaiveDate, what: &str) -> Result<()> {
        let today = self.clock().today();
        if on > today {
            return Err(invalid(format!(
                "The date {what} ({on}) is in the future: give the day it happened."
            )));
        }
        if on < core.received_on {
            return Err(invalid(format!(
                "The date {what} ({on}) is before the request arrived on {}: check the date.",
                core.received_on
            )));
        }
        Ok(())
    }

    /// The request, if it is still open; checks the acting user may see its subject.
    pub(crate) fn open_request(&self, id: i64) -> Result<Core> {
        let core = load_core(&self.conn, id)?;
        if let Some(pid) = core.person_id {
            self.person_name_checked(pid)
                .map_err(|_| StoreError::NotFound("rights request", id))?;
        }
        if core.status == RequestStatus::Closed {
            return Err(invalid(format!(
                "Request {id} is closed: record a new request if the person asks again."
            )));
        }
        Ok(core)
    }

    /// The time and acting user for an audit entry, taken before a transaction borrows the
    /// connection.
    fn who(&self) -> (chrono::NaiveDateTime, i64) {
        (self.clock().now(), self.actor().user_id)
    }

    /// Records a rights request as it arrived. Returns its id.
    pub fn record_request(&mut self, intake: &RequestIntake) -> Result<i64> {
        self.require_role(INTAKE_ROLES, "record rights requests")?;
        if intake.person_id.is_none() && intake.agent_id.is_none() {
            return Err(invalid(
                "Choose the person the request is about, or the person acting for them.",
            ));
        }
        if let Some(pid) = intake.person_id {
            self.person_name_checked(pid)?;
        }
        let authority = match intake.agent_id {
            Some(aid) => {
                if Some(aid) == intake.person_id {
                    return Err(invalid(
                        "The person acting for them cannot be the person themselves: leave the agent empty.",
                    ));
                }
                self.person_name_checked(aid)?;
                let a = validate::text(
                    "agent_authority",
                    intake.agent_authority.as_deref().unwrap_or(""),
                    validate::MAX_LINE,
                )
                .map_err(|_| {
                    invalid(
                        "Say what authority the person acting for them holds, for example \"lasting power of attorney, seen\".",
                    )
                })?;
                Some(a)
            }
            None => None,
        };
        let mut kinds = intake.kinds.clone();
        kinds.sort();
        kinds.dedup();
        if kinds.is_empty() {
            return Err(invalid(
                "Choose at least one kind of request: access, rectification, erasure, restriction, objection or portability.",
            ));
        }
        let channel = intake
            .channel
            .ok_or_else(|| invalid("Say how the request came: phone, email, letter or in person."))?;
        let received = intake
            .received_on
            .ok_or_else(|| invalid("Give the date the request arrived."))?;
        let today = self.clock().today();
        if received > today {
            return Err(invalid(format!(
                "The request cannot have arrived on {received}, in the future: give the day it came."
            )));
        }
        let words = note("words", &intake.words)?;
        if words.is_empty() {
            return Err(invalid(
                "Write down what was asked, in the person's own words as far as you can.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO rights_requests (person_id, agent_id, agent_authority, kinds, channel, received_on, words,
                                              created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    intake.person_id,
                    intake.agent_id,
                    authority,
                    RequestKind::join(&kinds),
                    channel.key(),
                    received,
                    words,
                    user,
                    now
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "rights_request",
                Some(id),
                &[
                    "person_id",
                    "agent_id",
                    "agent_authority",
                    "kinds",
                    "channel",
                    "received_on",
                    "words",
                ],
            )?;
            Ok(id)
        })
    }

    /// The person's requests received in the 12 months up to today, newest first: a hint for
    /// "repetitive", never a reason to refuse on its own.
    pub fn requests_in_last_12_months(&self, person: i64) -> Result<Vec<EarlierRequest>> {
        self.person_name_checked(person)?;
        let today = self.clock().today();
        let since = today.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
        let mut st = self.conn.prepare_cached(
            "SELECT id, kinds, received_on, status, outcome FROM rights_requests
             WHERE person_id = ?1 AND received_on >= ?2 ORDER BY received_on DESC, id DESC",
        )?;
        let rows = st.query_map(params![person, since], |r| {
            Ok(EarlierRequest {
                id: r.get(0)?,
                kinds: RequestKind::split(&r.get::<_, String>(1)?),
                received_on: r.get(2)?,
                status: RequestStatus::parse(&r.get::<_, String>(3)?).unwrap_or(RequestStatus::Open),
                outcome: r.get::<_, Option<String>>(4)?.and_then(|o| Outcome::parse(&o).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

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
                "INSERT INTO request_pauses (request_id, asked_on) VALUES (?1, ?2)",
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

    /// The queue: open requests first, overdue then soonest due, then those whose clock is
    /// stopped; closed ones (when asked for) last, most recently closed first. Only requests
    /// whose subject the acting user may see.
    pub fn requests(&self, filter: &RequestFilter) -> Result<Vec<RequestRow>> {
        // The queue is for the roles that receive and handle requests.
        if !INTAKE_ROLES.contains(&self.actor().role) {
            return Ok(Vec::new());
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM rights_requests WHERE (?1 OR status <> 'closed') ORDER BY received_on, id",
        )?;
        let include_closed = filter.include_closed || filter.status == Some(RequestStatus::Closed);
        let ids: Vec<i64> = st
            .query_map([include_closed], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let today = self.clock().today();
        let mut rows = Vec::new();
        for id in ids {
            let Some(row) = self.request_row(id)? else { continue };
            if filter.kind.is_some_and(|k| !row.kinds.contains(&k)) {
                continue;
            }
            if filter.status.is_some_and(|s| s != row.status) {
                continue;
            }
            if let Some(days) = filter.due_within_days {
                match row.due {
                    Some(due) if deadline::days_left(due, today) <= days => {}
                    _ => continue,
                }
            }
            rows.push(row);
        }
        rows.sort_by(|a, b| {
            let key = |r: &RequestRow| {
                (
                    r.status == RequestStatus::Closed,
                    r.due.is_none(),
                    r.due,
                    std::cmp::Reverse(r.closed_on),
                    r.received_on,
                    r.id,
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(rows)
    }

    /// One line of the queue, or `None` if the acting user may not see the request's subject.
    pub fn request_row(&self, id: i64) -> Result<Option<RequestRow>> {
        /// The columns the queue line is made from.
        struct Raw {
            person_id: Option<i64>,
            agent_id: Option<i64>,
            kinds: String,
            channel: String,
            received_on: NaiveDate,
            status: String,
            extended: bool,
            outcome: Option<String>,
            closed_on: Option<NaiveDate>,
        }
        let Raw {
            person_id,
            agent_id,
            kinds,
            channel,
            received_on,
            status,
            extended,
            outcome,
            closed_on,
        } = self
            .conn
            .query_row(
                "SELECT person_id, agent_id, kinds, channel, received_on, status, extended, outcome, closed_on
                 FROM rights_requests WHERE id = ?1",
                [id],
                |r| {
                    Ok(Raw {
                        person_id: r.get("person_id")?,
                        agent_id: r.get("agent_id")?,
                        kinds: r.get("kinds")?,
                        channel: r.get("channel")?,
                        received_on: r.get("received_on")?,
                        status: r.get("status")?,
                        extended: r.get("extended")?,
                        outcome: r.get("outcome")?,
                        closed_on: r.get("closed_on")?,
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("rights request", id))?;
        let subject = match person_id {
            Some(pid) => match self.name_if_visible(pid)? {
                Some(n) => n,
                None => return Ok(None),
            },
            None => {
                let erased: i64 =
                    self.conn
                        .query_row("SELECT count(*) FROM tombstones WHERE request_id = ?1", [id], |r| {
                            r.get(0)
                        })?;
                if erased > 0 {
                    "Erased person".to_string()
                } else {
                    "Not yet identified".to_string()
                }
            }
        };
        let agent = match agent_id {
            Some(aid) => self.name_if_visible(aid)?,
            None => None,
        };
        let status = RequestStatus::parse(&status).unwrap_or(RequestStatus::Open);
        let due = if status == RequestStatus::Open {
            self.request_deadline(id)?.due
        } else {
            None
        };
        let today = self.clock().today();
        Ok(Some(RequestRow {
            id,
            person_id,
            subject,
            agent,
            kinds: RequestKind::split(&kinds),
            channel: Channel::parse(&channel).unwrap_or(Channel::Letter),
            received_on,
            status,
            due,
            days_left: due.map(|d| deadline::days_left(d, today)),
            extended,
            outcome: outcome.and_then(|o| Outcome::parse(&o).ok()),
            closed_on,
        }))
    }

    /// Everything about one request, for users who may see its subject.
    pub fn request(&self, id: i64) -> Result<RequestDetail> {
        self.require_role(INTAKE_ROLES, "see rights requests")?;
        let row = self
            .request_row(id)?
            .ok_or(StoreError::NotFound("rights request", id))?;
        // The request's own columns, read by name straight into the detail (its pauses,
        // deadline and queue row are filled in below).
        let mut detail = self.conn.query_row(
            "SELECT words, agent_id, agent_authority, id_status, id_requested_on, id_received_on, id_seen,
                    fee_requested_on, fee_received_on, fee_reason, extension_reason, extension_told_on,
                    refusal_reason, change_record, restriction_lifted_on, restriction_lift_note
             FROM rights_requests WHERE id = ?1",
            [id],
            |r| {
                Ok(RequestDetail {
                    words: r.get("words")?,
                    agent_id: r.get("agent_id")?,
                    agent_authority: r.get("agent_authority")?,
                    id_status: r.get("id_status")?,
                    id_requested_on: r.get("id_requested_on")?,
                    id_received_on: r.get("id_received_on")?,
                    id_seen: r.get("id_seen")?,
                    fee_requested_on: r.get("fee_requested_on")?,
                    fee_received_on: r.get("fee_received_on")?,
                    fee_reason: r.get("fee_reason")?,
                    extension_reason: r
                        .get::<_, Option<String>>("extension_reason")?
                        .and_then(|x| ExtensionReason::parse(&x).ok()),
                    extension_told_on: r.get("extension_told_on")?,
                    refusal_reason: r.get("refusal_reason")?,
                    change_record: r
                        .get::<_, Option<String>>("change_record")?
                        .and_then(|c| serde_json::from_str(&c).ok()),
                    restriction_lifted_on: r.get("restriction_lifted_on")?,
                    restriction_lift_note: r.get("restriction_lift_note")?,
                    pauses: Vec::new(),
                    deadline: None,
                    row: row.clone(),
                })
            },
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT asked_on, received_on FROM request_pauses WHERE request_id = ?1 ORDER BY asked_on",
        )?;
        let pauses = st
            .query_map([id], |r| {
                Ok(Pause {
                    asked: r.get(0)?,
                    received: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let deadline = if row.status == RequestStatus::Closed {
            None
        } else {
            Some(self.request_deadline(id)?)
        };
        // Before and after values are for the lead, who decided the rectification.
        if !AccessMatrix::answers_rights(self.actor().role) {
            detail.change_record = None;
        }
        detail.pauses = pauses;
        detail.deadline = deadline;
        Ok(detail)
    }
}
