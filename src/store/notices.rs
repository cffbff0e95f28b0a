//! Article 14 notices: the privacy information owed to people whose data came from someone
//! else, and the disclosures that can bring it forward.
//!
//! An obligation is created with the person (see `create_notice_obligation` in
//! [`super::people`] and [`Store::take_referral`]); it is due at the earliest of one month
//! after obtaining, the first communication and the first disclosure. Logging a contact
//! ([`Store::log_contact`]) or recording a disclosure ([`Store::record_disclosure`]) brings it
//! forward through `bring_notice_forward`, the one place that rule meets the case file.
//!
//! A notice is closed by giving it ([`Store::mark_notice_given`]) or by recording an Article
//! 14(5) exemption ([`Store::record_notice_exemption`]) with its reason, who decided and when,
//! and a review date; [`Store::review_exemption`] upholds it (next review in a year) or lifts
//! it (the notice is owed again, due at once). Reads are filtered by the acting user's role;
//! restricted people are seen only by the data protection lead.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::article14::{exemption_review_due, Exemption, NoticeMethod, Trigger};
use crate::domain::{validate, Category, FieldGroup};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};

/// Where a notice obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    Pending,
    Given,
    Exempt,
}

impl NoticeStatus {
    pub fn key(self) -> &'static str {
        match self {
            NoticeStatus::Pending => "pending",
            NoticeStatus::Given => "given",
            NoticeStatus::Exempt => "exempt",
        }
    }

    fn parse(s: &str) -> NoticeStatus {
        match s {
            "given" => NoticeStatus::Given,
            "exempt" => NoticeStatus::Exempt,
            _ => NoticeStatus::Pending,
        }
    }
}

/// One notice obligation, as the acting user may see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub status: NoticeStatus,
    pub obtained_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Which Article 14(3) limb set the due date.
    pub due_reason: Option<Trigger>,
    /// Days from today to the due date (negative when overdue).
    pub days_left: i64,
    /// Who gave us the data: their id, and their name if the acting user may see it.
    pub source_person_id: Option<i64>,
    pub source_name: Option<String>,
    /// The source person's categories (a social or healthcare worker, a relative, ...), so a
    /// notice can describe them even when their name is not visible.
    pub source_categories: Vec<Category>,
    /// A description of the source typed when the person was filed.
    pub source_text: Option<String>,
    pub referral: Option<NoticeReferral>,
    pub given_on: Option<NaiveDate>,
    pub given_how: Option<NoticeMethod>,
    pub exemption: Option<Exemption>,
    pub exemption_reason: Option<String>,
    /// The login of who gave the notice or decided the exemption.
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub reviews: Vec<ExemptionReview>,
}

/// The referral through which the data came.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeReferral {
    pub id: i64,
    pub received_on: NaiveDate,
    /// A [`crate::domain::referral::ReferrerKind`] key.
    pub referrer_kind: Option<String>,
    pub referrer_org: Option<String>,
}

/// A later review of an exemption.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExemptionReview {
    pub id: i64,
    pub exemption: String,
    pub upheld: bool,
    pub note: Option<String>,
    pub reviewed_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
    pub by: Option<String>,
}

/// What recording an exemption returns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExemptionRecorded {
    /// When the exemption must be reviewed.
    pub review_on: NaiveDate,
    /// What the user must be told now (for disproportionate effort: publish the information
    /// and consider a DPIA).
    pub reminder: Option<&'static str>,
}

/// The outcome of reviewing an exemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ReviewOutcome {
    /// The exemption still applies; the next review is a year on.
    Upheld,
    /// It no longer applies: the notice is owed again, due on the review date.
    Lifted,
}

/// A disclosure of a person's data to another recipient.
const NOTICE_COLUMNS: &str = "n.id, n.person_id, n.status, n.obtained_on, n.due_on, n.due_reason, n.source_person_id,
     n.source_text, n.referral_id, n.given_on, n.given_how, n.exemption, n.exemption_reason, u.login, n.decided_on,
     n.review_on";

struct RawNotice {
    id: i64,
    person_id: i64,
    status: String,
    obtained_on: NaiveDate,
    due_on: NaiveDate,
    due_reason: String,
    source_person_id: Option<i64>,
    source_text: Option<String>,
    referral_id: Option<i64>,
    given_on: Option<NaiveDate>,
    given_how: Option<String>,
    exemption: Option<String>,
    exemption_reason: Option<String>,
    decided_by: Option<String>,
    decided_on: Option<NaiveDate>,
    review_on: Option<NaiveDate>,
}

fn raw_notice(r: &Row<'_>) -> rusqlite::Result<RawNotice> {
    Ok(RawNotice {
        id: r.get(0)?,
        person_id: r.get(1)?,
        status: r.get(2)?,
        obtained_on: r.get(3)?,
        due_on: r.get(4)?,
        due_reason: r.get(5)?,
        source_person_id: r.get(6)?,
        source_text: r.get(7)?,
        referral_id: r.get(8)?,
        given_on: r.get(9)?,
        given_how: r.get(10)?,
        exemption: r.get(11)?,
        exemption_reason: r.get(12)?,
        decided_by: r.get(13)?,
        decided_on: r.get(14)?,
        review_on: r.get(15)?,
    })
}

impl Store {
    /// Pending notices for people the acting user may see, soonest first.
    pub fn pending_notices(&self) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM article14_notices n LEFT JOIN users u ON u.id = n.decided_by
             WHERE n.status = 'pending' ORDER BY n.due_on, n.id"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows: Vec<RawNotice> = st.query_map([], raw_notice)?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for raw in rows {
            if let Some(n) = self.finish_notice(raw, false)? {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// Exempt notices whose review is due on or before `by`, soonest first.
    pub fn exemptions_due_for_review(&self, by: NaiveDate) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM article14_notices n LEFT JOIN users u ON u.id = n.decided_by
             WHERE n.status = 'exempt' AND n.review_on <= ?1 ORDER BY n.review_on, n.id"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows: Vec<RawNotice> = st.query_map([by], raw_notice)?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for raw in rows {
            if let Some(n) = self.finish_notice(raw, false)? {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// One notice obligation, with its exemption reviews.
    pub fn notice(&self, id: i64) -> Result<Notice> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM article14_notices n LEFT JOIN users u ON u.id = n.decided_by WHERE n.id = ?1"
        );
        let raw = self
            .conn
            .query_row(&sql, [id], raw_notice)
            .optional()?
            .ok_or(StoreError::NotFound("notice", id))?;
        self.finish_notice(raw, true)?.ok_or(StoreError::NotFound("notice", id))
    }

    /// The notice obligation of a person, if there is one.
    pub fn notice_for_person(&self, person_id: i64) -> Result<Option<Notice>> {
        self.person_name_checked(person_id)?;
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM article14_notices WHERE person_id = ?1",
                [person_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.notice(id)).transpose()
    }

    /// Fills in names (only those the acting user may see); `None` when the person is not
    /// visible to them.
    fn finish_notice(&self, raw: RawNotice, with_reviews: bool) -> Result<Option<Notice>> {
        let Some(person_name) = self.name_if_visible(raw.person_id)? else {
            return Ok(None);
        };
        let today = self.clock().today();
        let (source_name, source_categories) = match raw.source_person_id {
            Some(sid) => (
                self.name_if_visible(sid)?,
                super::people::categories_of(&self.conn, sid)?,
            ),
            None => (None, Vec::new()),
        };
        let referral = match raw.referral_id {
            Some(rid) => self
                .conn
                .query_row(
                    "SELECT id, received_on, referrer_kind, referrer_org FROM referrals WHERE id = ?1",
                    [rid],
                    |r| {
                        Ok(NoticeReferral {
                            id: r.get(0)?,
                            received_on: r.get(1)?,
                            referrer_kind: r.get(2)?,
                            referrer_org: r.get(3)?,
                        })
                    },
                )
                .optional()?,
            None => None,
        };
        let reviews = if with_reviews {
            self.exemption_reviews(raw.id)?
        } else {
            Vec::new()
        };
        Ok(Some(Notice {
            id: raw.id,
            person_id: raw.person_id,
            person_name,
            status: NoticeStatus::parse(&raw.status),
            obtained_on: raw.obtained_on,
            due_on: raw.due_on,
            due_reason: Trigger::parse(&raw.due_reason),
            days_left: (raw.due_on - today).num_days(),
            source_person_id: raw.source_person_id,
            source_name,
            source_categories,
            source_text: raw.source_text,
            referral,
            given_on: raw.given_on,
            given_how: raw.given_how.as_deref().and_then(NoticeMethod::parse),
            exemption: raw.exemption.as_deref().and_then(Exemption::parse),
            exemption_reason: raw.exemption_reason,
            decided_by: raw.decided_by,
            decided_on: raw.decided_on,
            review_on: raw.review_on,
            reviews,
        }))
    }

    fn exemption_reviews(&self, notice_id: i64) -> Result<Vec<ExemptionReview>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.id, r.exemption, r.outcome, r.note, r.reviewed_on, r.next_review_on, u.login
             FROM notice_exemption_reviews r LEFT JOIN users u ON u.id = r.by_user
             WHERE r.notice_id = ?1 ORDER BY r.reviewed_on, r.id",
        )?;
        let rows = st.query_map([notice_id], |r| {
            Ok(ExemptionReview {
                id: r.get(0)?,
                exemption: r.get(1)?,
                upheld: r.get::<_, String>(2)? == "upheld",
                note: r.get(3)?,
                reviewed_on: r.get(4)?,
                next_review_on: r.get(5)?,
                by: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The notice, for a change: it must be visible, its person not restricted, and its status
    /// the one expected.
    fn notice_for_change(&self, id: i64, expected: NoticeStatus) -> Result<Notice> {
        let n = self.notice(id)?;
        self.writable(n.person_id)?;
        if n.status != expected {
            return Err(StoreError::invalid(match n.status {
                NoticeStatus::Given => "This notice has already been given: there is nothing more to record.",
                NoticeStatus::Exempt => "This notice is covered by an exemption: review the exemption instead.",
                NoticeStatus::Pending => "This notice is still pending: record it given or exempt first.",
            }));
        }
        Ok(n)
    }

    fn check_decision_date(&self, n: &Notice, on: NaiveDate) -> Result<()> {
        if on > self.clock().today() {
            return Err(StoreError::invalid(
                "That date is in the future: give today's date or an earlier one.",
            ));
        }
        if on < n.obtained_on {
            return Err(StoreError::invalid(
                "That date is before we obtained the person's data: check the date.",
            ));
        }
        Ok(())
    }

    /// Records that the notice was given (by letter, email, phone or in person) on `on`, by
    /// the acting user.
    pub fn mark_notice_given(&mut self, id: i64, how: NoticeMethod, on: NaiveDate) -> Result<()> {
        let n = self.notice_for_change(id, NoticeStatus::Pending)?;
        self.check_decision_date(&n, on)?;
        self.check_reachable(n.person_id, how)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE article14_notices SET status = 'given', given_on = ?1, given_how = ?2, decided_by = ?3,
                        decided_on = ?4 WHERE id = ?5",
                params![on, how.key(), user, now.date(), id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "article14_notice",
                Some(id),
                &["status", "given_on", "given_how", "decided_by", "decided_on"],
            )?;
            Ok(())
        })
    }

    /// The ways the notice `id` can be given with what the record holds (in person always).
    pub fn notice_methods_available(&self, id: i64) -> Result<Vec<NoticeMethod>> {
        let n = self.notice_for_change(id, NoticeStatus::Pending)?;
        Ok(NoticeMethod::ALL
            .into_iter()
            .filter(|m| self.check_reachable(n.person_id, *m).is_ok())
            .collect())
    }

    /// Refuses a way of giving the notice the record has no means for: a letter with no
    /// postal address held, an email with no email address, a call with no phone number
    /// (where the profile does not collect one for the person's categories, it says so).
    fn check_reachable(&self, person: i64, how: NoticeMethod) -> Result<()> {
        let (group, what, column) = match how {
            NoticeMethod::Letter => (FieldGroup::Address, "postal address", "coalesce(address, postcode)"),
            NoticeMethod::Email => (FieldGroup::Email, "email address", "email"),
            NoticeMethod::Phone => (
                FieldGroup::Phone,
                "phone number",
                "(SELECT phone FROM person_phones WHERE person_id = people.id LIMIT 1)",
            ),
            NoticeMethod::InPerson => return Ok(()),
        };
        let held: Option<String> =
            self.conn
                .query_row(&format!("SELECT {column} FROM people WHERE id = ?1"), [person], |r| {
                    r.get(0)
                })?;
        if held.is_some_and(|h| !h.trim().is_empty()) {
            return Ok(());
        }
        let cats = super::people::categories_of(&self.conn, person)?;
        let collected = cats
            .iter()
            .filter_map(|c| self.profile().category(*c))
            .any(|r| r.collects(group));
        Err(StoreError::invalid(if collected {
            format!("We hold no {what} for this person: add one to their record first, or give the notice another way.")
        } else {
            format!(
                "We hold no {what} for this person, and the profile does not collect one for them: give the notice another way (in person, or by a means we hold)."
            )
        }))
    }

    /// Records an Article 14(5) exemption: the reason (for disproportionate effort, a written
    /// assessment of at least 20 characters), who decided and when, and a review date a year
    /// on. Returns the review date and any reminder to show.
    pub fn record_notice_exemption(
        &mut self,
        id: i64,
        exemption: Exemption,
        reason: &str,
        on: NaiveDate,
    ) -> Result<ExemptionRecorded> {
        let n = self.notice_for_change(id, NoticeStatus::Pending)?;
        self.check_decision_date(&n, on)?;
        let reason = exemption.check_reason(reason).map_err(StoreError::invalid)?;
        let reason =
            validate::note("reason", &reason, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        let review_on = exemption_review_due(on);
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE article14_notices SET status = 'exempt', exemption = ?1, exemption_reason = ?2, decided_by = ?3,
                        decided_on = ?4, review_on = ?5 WHERE id = ?6",
                params![exemption.key(), reason, user, on, review_on, id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "article14_notice",
                Some(id),
                &[
                    "status",
                    "exemption",
                    "exemption_reason",
                    "decided_by",
                    "decided_on",
                    "review_on",
                ],
            )?;
            Ok(ExemptionRecorded {
                review_on,
                reminder: exemption.reminder(),
            })
        })
    }

    /// Reviews an exemption: upheld (next review a year after `on`) or lifted (the notice is
    /// pending again, due on `on`). The note says why.
    pub fn review_exemption(&mut self, id: i64, outcome: ReviewOutcome, note: &str, on: NaiveDate) -> Result<()> {
        let n = self.notice_for_change(id, NoticeStatus::Exempt)?;
        self.check_decision_date(&n, on)?;
        let note = validate::note("note", note, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if note.chars().count() < 3 {
            return Err(StoreError::invalid(
                "Say why the exemption still applies or no longer does.",
            ));
        }
        let exemption = n.exemption.map(Exemption::key).unwrap_or("unknown");
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let next = match outcome {
                ReviewOutcome::Upheld => {
                    let next = exemption_review_due(on);
                    tx.execute(
                        "UPDATE article14_notices SET review_on = ?1 WHERE id = ?2",
                        params![next, id],
                    )?;
                    Some(next)
                }
                ReviewOutcome::Lifted => {
                    tx.execute(
                        "UPDATE article14_notices SET status = 'pending', due_on = ?1, exemption = NULL,
                                exemption_reason = NULL, review_on = NULL, decided_by = NULL, decided_on = NULL
                         WHERE id = ?2",
                        params![on, id],
                    )?;
                    None
                }
            };
            tx.execute(
                concat!("INSERT INTO notice_exemption_reviews (id, notice_id, exemption, outcome, note, reviewed_on, next_review_on, by_user)
                 VALUES (", new_id!("notice_exemption_reviews"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![
                    id,
                    exemption,
                    if outcome == ReviewOutcome::Upheld { "upheld" } else { "lifted" },
                    note,
                    on,
                    next,
                    user
                ],
            )?;
            let rid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "article14_notice",
                Some(id),
                if outcome == ReviewOutcome::Upheld {
                    &["review_on"]
                } else {
                    &["status", "due_on", "exemption", "exemption_reason", "review_on"]
                },
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "notice_exemption_review",
                Some(rid),
                &["notice_id", "outcome", "note", "reviewed_on", "next_review_on"],
            )?;
            Ok(())
        })
    }
}
