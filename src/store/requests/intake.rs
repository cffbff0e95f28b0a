//! Recording a rights request as it arrived, and the requests a person made in the last year.

use crate::domain::rights::{Outcome, RequestKind, RequestStatus};
use crate::domain::validate;
use crate::store::error::Result;
use crate::store::ids::new_id;
use crate::store::{audit, Store};
use chrono::{Months, NaiveDate};
use rusqlite::params;

use super::*;

impl Store {
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
        let agent_name =
            validate::optional_text("agent", intake.agent_name.as_deref().unwrap_or(""), validate::MAX_NAME)
                .map_err(|e| invalid(e.to_string()))?
                .filter(|_| intake.agent_id.is_none());
        let authority = match (intake.agent_id, &agent_name) {
            (None, None) => None,
            (aid, _) => {
                if let Some(aid) = aid {
                    if Some(aid) == intake.person_id {
                        return Err(invalid(
                            "The person acting for them cannot be the person themselves: leave the agent empty.",
                        ));
                    }
                    self.person_name_checked(aid)?;
                }
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
                concat!("INSERT INTO rights_requests (id, person_id, agent_id, agent_authority, kinds, channel, received_on, words,
                                              created_by, created_at, agent_name)
                 VALUES (", new_id!("rights_requests"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                params![
                    intake.person_id,
                    intake.agent_id,
                    authority,
                    RequestKind::join(&kinds),
                    channel.key(),
                    received,
                    words,
                    user,
                    now,
                    agent_name
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
                    "agent_name",
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
}
