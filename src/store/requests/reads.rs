//! The queue, one request's line, and one request in full.

use super::super::Store;
use crate::domain::deadline::{self, Pause};
use crate::domain::rights::{Channel, ExtensionReason, Outcome, RequestKind, RequestStatus};
use crate::profile::AccessMatrix;
use crate::store::error::{Result, StoreError};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::*;

impl Store {
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
                    refusal_reason, change_record, restriction_lifted_on, restriction_lift_note, refusal_ground,
                    partly_provided, partly_withheld, agent_name, restriction_lift_planned
             FROM rights_requests WHERE id = ?1",
            [id],
            |r| {
                Ok(RequestDetail {
                    words: r.get("words")?,
                    agent_id: r.get("agent_id")?,
                    agent_name: r.get("agent_name")?,
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
                    refusal_ground: r
                        .get::<_, Option<String>>("refusal_ground")?
                        .and_then(|g| crate::domain::rights::RefusalGround::parse(&g).ok()),
                    partly_provided: r.get("partly_provided")?,
                    partly_withheld: r.get("partly_withheld")?,
                    change_record: r
                        .get::<_, Option<String>>("change_record")?
                        .and_then(|c| serde_json::from_str(&c).ok()),
                    restriction_lifted_on: r.get("restriction_lifted_on")?,
                    restriction_lift_note: r.get("restriction_lift_note")?,
                    restriction_lift_planned: r.get("restriction_lift_planned")?,
                    pauses: Vec::new(),
                    objections: Vec::new(),
                    packs: Vec::new(),
                    letters: Vec::new(),
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
        detail.objections = self.objections_on_request(id)?;
        detail.letters = self.request_letters(Some(id))?;
        detail.packs = self
            .conn
            .prepare_cached(
                "SELECT created_at, about, done_on FROM tasks WHERE request_id = ?1 AND kind = ?2 ORDER BY id",
            )?
            .query_map(rusqlite::params![id, crate::store::exports::DELETE_COPY], |r| {
                Ok(super::PackWritten {
                    written_at: r.get(0)?,
                    reminder: r.get(1)?,
                    copy_deleted_on: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
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
