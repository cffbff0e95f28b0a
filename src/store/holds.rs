//! Legal holds: the data protection lead keeps a person's data past its retention period, and
//! refuses its erasure, while a legal claim, an insurance claim, a legal obligation or a
//! regulator's inquiry needs it (UK GDPR Article 17(3)(b) and (e)). A hold has a reason, a
//! reference and a review date; it comes back on the lead's handover at that date, to be kept
//! (with a new date) or lifted (with a note). Placing, reviewing and lifting are the lead's
//! alone, and audited; the reason text appears in the refusal of an erasure.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::{validate, HoldKind, Role};
use chrono::NaiveDate;
use rusqlite::params;

/// One hold, as the lead's screens and the holds list show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hold {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    /// `None` for a hold from before reasons were chosen from a list (its text is in `reason`).
    pub kind: Option<HoldKind>,
    pub reference: String,
    /// The reason as one line: "Insurance claim: ref. 42".
    pub reason: String,
    pub placed_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    pub lifted_on: Option<NaiveDate>,
    pub lift_note: Option<String>,
}

/// What the lead decides when a hold comes up for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldDecision {
    /// The reason still stands: review again on this date.
    Keep { next_review: NaiveDate },
    /// The reason has gone: the retention period applies again, and erasure is possible.
    Lift { note: String },
}

const LEAD_ONLY: &[Role] = &[Role::DataProtectionLead];

fn reason_text(kind: HoldKind, reference: &str) -> String {
    if reference.trim().is_empty() {
        kind.label().to_string()
    } else {
        format!("{}: {}", kind.label(), reference.trim())
    }
}

impl Store {
    /// Places a hold on a person (data protection lead).
    pub fn place_hold(&mut self, person: i64, kind: HoldKind, reference: &str, review_on: NaiveDate) -> Result<i64> {
        self.require_role(LEAD_ONLY, "place a legal hold")?;
        let reference = validate::optional_text("reference", reference, validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.to_string()))?
            .unwrap_or_default();
        let today = self.clock().today();
        if review_on <= today {
            return Err(StoreError::invalid(
                "The review date must be after today: when should the hold be looked at again?",
            ));
        }
        self.person_name_checked(person)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write_as(LEAD_ONLY, "place a legal hold", |tx| {
            tx.execute(
                concat!(
                    "INSERT INTO legal_holds (id, person_id, reason, placed_on, placed_by, kind, reference, review_on)
                 VALUES (",
                    new_id!("legal_holds"),
                    ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    person,
                    reason_text(kind, &reference),
                    today,
                    user,
                    kind.key(),
                    reference,
                    review_on
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "legal_hold",
                Some(id),
                &["person"],
            )?;
            Ok(id)
        })
    }

    /// Keeps (with the next review date) or lifts (with a note) a standing hold (data
    /// protection lead).
    pub fn review_hold(&mut self, hold: i64, decision: &HoldDecision) -> Result<()> {
        let h = self.hold(hold)?;
        if h.lifted_on.is_some() {
            return Err(StoreError::invalid("That hold was lifted already."));
        }
        let today = self.clock().today();
        let now = self.clock().now();
        let user = self.actor().user_id;
        match decision {
            HoldDecision::Keep { next_review } => {
                if *next_review <= today {
                    return Err(StoreError::invalid("The next review must be after today."));
                }
                self.write_as(LEAD_ONLY, "review a legal hold", |tx| {
                    tx.execute(
                        "UPDATE legal_holds SET review_on = ?1 WHERE id = ?2",
                        params![next_review, hold],
                    )?;
                    audit::append(
                        tx,
                        now,
                        Some(user),
                        audit::Action::Change,
                        "legal_hold",
                        Some(hold),
                        &["review_on"],
                    )
                })
            }
            HoldDecision::Lift { note } => {
                let note = validate::optional_text("note", note, validate::MAX_LINE)
                    .map_err(|e| StoreError::invalid(e.to_string()))?
                    .unwrap_or_default();
                if note.is_empty() {
                    return Err(StoreError::invalid(
                        "Say why the hold is lifted (the claim settled, the obligation ended...).",
                    ));
                }
                self.write_as(LEAD_ONLY, "lift a legal hold", |tx| {
                    tx.execute(
                        "UPDATE legal_holds SET lifted_on = ?1, lifted_by = ?2, lift_note = ?3 WHERE id = ?4 AND lifted_on IS NULL",
                        params![today, user, note, hold],
                    )?;
                    audit::append(
                        tx,
                        now,
                        Some(user),
                        audit::Action::Change,
                        "legal_hold",
                        Some(hold),
                        &["lifted"],
                    )
                })
            }
        }
    }

    /// One hold (data protection lead).
    pub fn hold(&self, id: i64) -> Result<Hold> {
        self.require_role(LEAD_ONLY, "see legal holds")?;
        self.holds_where("h.id = ?1", id)?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound("legal hold", id))
    }

    /// A person's holds, standing ones first (data protection lead).
    pub fn holds_of(&self, person: i64) -> Result<Vec<Hold>> {
        self.require_role(LEAD_ONLY, "see legal holds")?;
        self.holds_where("h.person_id = ?1", person)
    }

    /// Every hold, standing ones first, soonest review first (data protection lead); lifted
    /// ones too if `lifted`.
    pub fn holds(&self, lifted: bool) -> Result<Vec<Hold>> {
        self.require_role(LEAD_ONLY, "see legal holds")?;
        let mut all = self.holds_where("?1 = 1 OR h.lifted_on IS NULL", i64::from(lifted))?;
        all.retain(|h| lifted || h.lifted_on.is_none());
        Ok(all)
    }

    fn holds_where(&self, cond: &str, arg: i64) -> Result<Vec<Hold>> {
        let sql = format!(
            "SELECT h.id, h.person_id, p.title, p.given_name, p.family_name, h.kind, h.reference, h.reason,
                    h.placed_on, h.review_on, h.lifted_on, h.lift_note
             FROM legal_holds h JOIN people p ON p.id = h.person_id
             WHERE {cond}
             ORDER BY h.lifted_on IS NOT NULL, h.review_on IS NULL, h.review_on, h.id"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map([arg], |r| {
            let title: Option<String> = r.get(2)?;
            let given: String = r.get(3)?;
            let family: String = r.get(4)?;
            let kind: Option<String> = r.get(5)?;
            Ok(Hold {
                id: r.get(0)?,
                person_id: r.get(1)?,
                person_name: crate::domain::person::display_name(title.as_deref(), &given, &family),
                kind: kind.as_deref().and_then(|k| HoldKind::parse(k).ok()),
                reference: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                reason: r.get(7)?,
                placed_on: r.get(8)?,
                review_on: r.get(9)?,
                lifted_on: r.get(10)?,
                lift_note: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
