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
//!
//! [`intake`] records a request, [`clock`] the clerical steps that stop and start its clock,
//! [`decisions`] the lead's decisions, [`reads`] the queue and one request.

use super::error::{Result, StoreError};
use super::{audit, Store};
use crate::store::ids::new_id;
mod clock;
mod decisions;
mod letters;
pub use letters::LetterDue;
mod intake;
mod reads;

use crate::domain::deadline::{Deadline, Pause};
use crate::domain::rights::{Channel, ExtensionReason, Outcome, RequestKind, RequestStatus};
use crate::domain::validate;
use crate::domain::Role;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

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
    /// Or, when they are not on file, their name.
    pub agent_name: Option<String>,
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
    /// Someone acting for them who is not on file.
    pub agent_name: Option<String>,
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
    /// The ground of a refusal, whole or partial.
    pub refusal_ground: Option<crate::domain::rights::RefusalGround>,
    /// For a partial compliance: what was provided, and what was withheld.
    pub partly_provided: Option<String>,
    pub partly_withheld: Option<String>,
    /// Before and after values of a rectification (JSON), kept in the request, not the log.
    pub change_record: Option<serde_json::Value>,
    pub restriction_lifted_on: Option<NaiveDate>,
    pub restriction_lift_note: Option<String>,
    /// The day the lifting of its restriction is planned for (the person is told first).
    pub restriction_lift_planned: Option<NaiveDate>,
    /// The objection decisions recorded on this request, in order.
    pub objections: Vec<crate::store::fulfil::ObjectionRow>,
    /// Access packs written for it: when, the reminder (which names the folder), and when
    /// the local copy was deleted.
    pub packs: Vec<PackWritten>,
    /// The letters its decisions owe, sent or not (for the data protection lead).
    pub letters: Vec<LetterDue>,
    /// The worked-out deadline while the request is open.
    pub deadline: Option<Deadline>,
}

/// An access pack written for a request, as its reminder to delete the copy records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackWritten {
    pub written_at: chrono::NaiveDateTime,
    pub reminder: String,
    pub copy_deleted_on: Option<NaiveDate>,
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
}

/// The letter keys a decision owes (the names of `export::letters::LetterKind`).
pub mod letter {
    pub const REFUSAL: &str = "refusal";
    pub const PARTIAL: &str = "partial_compliance";
    pub const COMPLETION: &str = "completion";
    pub const EXTENSION: &str = "extension_notice";
    pub const OBJECTION: &str = "objection_decision";
    pub const RESTRICTION_LIFTED: &str = "restriction_lifted";
}

/// Records, in the decision's transaction, that `kind`'s letter is owed for the request by
/// `due_on` (once per kind: a second decision of the same kind keeps the first due date).
pub(crate) fn letter_due(conn: &Connection, request_id: i64, kind: &str, due_on: NaiveDate) -> Result<()> {
    conn.execute(
        concat!(
            "INSERT OR IGNORE INTO request_letters (id, request_id, kind, due_on) VALUES (",
            new_id!("request_letters"),
            ", ?1, ?2, ?3)"
        ),
        rusqlite::params![request_id, kind, due_on],
    )?;
    Ok(())
}
