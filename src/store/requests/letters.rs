//! The letters a decision owes: each decision (a refusal, a partial compliance, completion, an
//! extension, an objection decision, a restriction lifted) leaves its letter due in the same
//! transaction; the data protection lead's handover shows it until it is recorded as sent,
//! with when and how.

use super::*;
use crate::domain::rights::Channel;
use crate::profile::AccessMatrix;

/// A letter owed for a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LetterDue {
    pub id: i64,
    pub request_id: i64,
    /// The letter's key (as `export::letters::LetterKind::key`).
    pub kind: String,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub sent_how: Option<Channel>,
}

impl LetterDue {
    /// The letter as people call it ("refusal letter").
    pub fn name(&self) -> String {
        format!("{} letter", self.kind.replace('_', " "))
    }
}

impl Store {
    /// The letters owed for one request, or (None) every letter not yet sent; for the data
    /// protection lead.
    pub fn request_letters(&self, request: Option<i64>) -> Result<Vec<LetterDue>> {
        if !AccessMatrix::answers_rights(self.actor().role) {
            return Ok(Vec::new());
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, request_id, kind, due_on, sent_on, sent_how FROM request_letters
             WHERE (?1 IS NULL AND sent_on IS NULL) OR request_id = ?1 ORDER BY due_on, id",
        )?;
        let rows = st
            .query_map([request], |r| {
                Ok(LetterDue {
                    id: r.get(0)?,
                    request_id: r.get(1)?,
                    kind: r.get(2)?,
                    due_on: r.get(3)?,
                    sent_on: r.get(4)?,
                    sent_how: r.get::<_, Option<String>>(5)?.and_then(|h| Channel::parse(&h).ok()),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records that a letter owed was sent, when and how (data protection lead).
    pub fn letter_sent(&mut self, letter: i64, on: NaiveDate, how: Channel) -> Result<()> {
        self.require_lead("record letters sent")?;
        let sent: Option<Option<NaiveDate>> = self
            .conn
            .query_row("SELECT sent_on FROM request_letters WHERE id = ?1", [letter], |r| {
                r.get(0)
            })
            .optional()?;
        match sent {
            None => return Err(StoreError::NotFound("letter", letter)),
            Some(Some(_)) => return Err(invalid("This letter is recorded as sent already.")),
            Some(None) => {}
        }
        if on > self.clock().today() {
            return Err(invalid(
                "A letter is recorded once sent: the date cannot be in the future.",
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE request_letters SET sent_on = ?1, sent_how = ?2, sent_by = ?3 WHERE id = ?4",
                rusqlite::params![on, how.key(), user, letter],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "request_letter",
                Some(letter),
                &["sent_on", "sent_how"],
            )
        })
    }
}
