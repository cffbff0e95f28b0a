//! The duty handover: everything due, from every queue, for the acting user.
//!
//! Rights requests (with their deadline worked out by the ICO method), Article 14 notices (and
//! exemptions due for review), callbacks, referrals awaiting action, follow-up tasks (such as
//! taking a photo down after consent is withdrawn), retention reviews and DBS renewals. Each queue is
//! filtered by what the role may see; restricted people appear only for the data protection
//! lead.

use super::error::Result;
use super::Store;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, Pause, RequestClock};
use crate::domain::{retention, Category, FieldGroup};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::params;

/// Which queue an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Queue {
    Request,
    Notice,
    Callback,
    Referral,
    /// Follow-up tasks, such as the work a consent withdrawal leaves.
    Task,
    Retention,
    DbsRenewal,
    /// Telling recipients about a rectification, erasure or restriction (Article 19).
    Article19,
    /// A personal data breach to decide on or report (72 hours).
    Breach,
    /// A complaint to acknowledge (30 days) or answer.
    Complaint,
    /// An enquiry not yet answered.
    Enquiry,
    /// A field two laptops changed differently, waiting for a person (see `store::sync`).
    Merge,
}

impl Queue {
    pub const ALL: [Queue; 12] = [
        Queue::Request,
        Queue::Notice,
        Queue::Callback,
        Queue::Referral,
        Queue::Task,
        Queue::Retention,
        Queue::DbsRenewal,
        Queue::Article19,
        Queue::Breach,
        Queue::Complaint,
        Queue::Enquiry,
        Queue::Merge,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Queue::Request => "Rights requests",
            Queue::Notice => "Article 14 notices",
            Queue::Callback => "Callbacks",
            Queue::Referral => "Referrals",
            Queue::Task => "Follow-up tasks",
            Queue::Retention => "Retention reviews",
            Queue::DbsRenewal => "DBS renewals and applications",
            Queue::Article19 => "Article 19 notifications",
            Queue::Breach => "Data breaches",
            Queue::Complaint => "Complaints",
            Queue::Enquiry => "Enquiries to answer",
            Queue::Merge => "Merge conflicts",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Queue::Request => "Requests",
            Queue::Notice => "Notices",
            Queue::Callback => "Callbacks",
            Queue::Referral => "Referrals",
            Queue::Task => "Tasks",
            Queue::Retention => "Retention",
            Queue::DbsRenewal => "DBS",
            Queue::Article19 => "Art.19",
            Queue::Breach => "Breach",
            Queue::Complaint => "Complaint",
            Queue::Enquiry => "Enquiries",
            Queue::Merge => "Merge",
        }
    }

    /// The shortest label (at most six characters), for a queue bar or a column at 80
    /// columns.
    pub fn tiny(self) -> &'static str {
        match self {
            Queue::Request => "Rights",
            Queue::Notice => "Notice",
            Queue::Callback => "Call",
            Queue::Referral => "Refer",
            Queue::Task => "Task",
            Queue::Retention => "Review",
            Queue::DbsRenewal => "DBS",
            Queue::Article19 => "Art.19",
            Queue::Breach => "Breach",
            Queue::Complaint => "Compl.",
            Queue::Enquiry => "Enq.",
            Queue::Merge => "Merge",
        }
    }
}

/// What kind of thing is due, with the id of the record to act on: screens decide what a key
/// does from this, never from the words in [`DueItem::what`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum DueKind {
    /// A rights request to answer (the request).
    Request(i64),
    /// An Article 14 notice to give (the notice).
    Notice(i64),
    /// An Article 14 exemption due for review (the notice).
    ExemptionReview(i64),
    /// A callback promised (the callback).
    Callback(i64),
    /// A referral waiting for its next step (the referral).
    Referral(i64),
    /// A follow-up task (the task).
    Task(i64),
    /// Six years since last contact (the person).
    Retention(i64),
    /// A legal hold due for review (the hold).
    HoldReview(i64),
    /// A DBS check to renew (the check).
    DbsRenewal(i64),
    /// A DBS application waiting over 30 days for its certificate (the application).
    DbsApplication(i64),
    /// A recipient to tell under Article 19 (the task).
    Article19(i64),
    /// A data breach to decide on or report to the ICO (the breach).
    Breach(i64),
    /// A complaint to acknowledge or answer (the complaint).
    Complaint(i64),
    /// A letter a decision owes, not yet sent (the letter).
    Letter(i64),
    /// An enquiry to answer (the enquiry).
    Enquiry(i64),
    /// A merge conflict to resolve (the conflict).
    Conflict(i64),
}

impl DueKind {
    /// The queue it is counted and listed in.
    pub fn queue(self) -> Queue {
        match self {
            DueKind::Request(_) => Queue::Request,
            DueKind::Notice(_) | DueKind::ExemptionReview(_) => Queue::Notice,
            DueKind::Callback(_) => Queue::Callback,
            DueKind::Referral(_) => Queue::Referral,
            DueKind::Task(_) => Queue::Task,
            DueKind::Retention(_) | DueKind::HoldReview(_) => Queue::Retention,
            DueKind::DbsRenewal(_) | DueKind::DbsApplication(_) => Queue::DbsRenewal,
            DueKind::Article19(_) => Queue::Article19,
            DueKind::Breach(_) => Queue::Breach,
            DueKind::Complaint(_) => Queue::Complaint,
            DueKind::Letter(_) => Queue::Request,
            DueKind::Enquiry(_) => Queue::Enquiry,
            DueKind::Conflict(_) => Queue::Merge,
        }
    }

    /// Where it comes in the to-do list (lower first): legal deadlines, then callbacks,
    /// referrals, tasks, then reviews.
    pub fn priority(self) -> u8 {
        match self {
            DueKind::Request(_)
            | DueKind::Notice(_)
            | DueKind::ExemptionReview(_)
            | DueKind::Article19(_)
            | DueKind::Breach(_)
            | DueKind::Complaint(_)
            | DueKind::Letter(_) => 0,
            DueKind::Callback(_) | DueKind::Enquiry(_) | DueKind::Conflict(_) => 1,
            DueKind::Referral(_) => 2,
            DueKind::Task(_) => 3,
            DueKind::Retention(_) | DueKind::HoldReview(_) | DueKind::DbsRenewal(_) | DueKind::DbsApplication(_) => 4,
        }
    }

    /// The id of the record it is about (see each kind).
    pub fn id(self) -> i64 {
        match self {
            DueKind::Request(id)
            | DueKind::Notice(id)
            | DueKind::ExemptionReview(id)
            | DueKind::Callback(id)
            | DueKind::Referral(id)
            | DueKind::Task(id)
            | DueKind::Retention(id)
            | DueKind::HoldReview(id)
            | DueKind::DbsRenewal(id)
            | DueKind::DbsApplication(id)
            | DueKind::Article19(id)
            | DueKind::Breach(id)
            | DueKind::Complaint(id)
            | DueKind::Letter(id)
            | DueKind::Enquiry(id)
            | DueKind::Conflict(id) => id,
        }
    }
}

/// One thing that is due.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DueItem {
    pub kind: DueKind,
    pub person_id: i64,
    pub person_name: String,
    /// What is due, in a few words (no personal values beyond the person's name).
    pub what: String,
    /// When it is due; `None` while a request's clock is stopped (awaiting ID or
    /// clarification).
    pub due: Option<NaiveDate>,
    /// For callbacks, the time as well.
    pub due_at: Option<NaiveDateTime>,
}

impl DueItem {
    /// The queue it is counted and listed in.
    pub fn queue(&self) -> Queue {
        self.kind.queue()
    }

    /// The id of the record it is about.
    pub fn item_id(&self) -> i64 {
        self.kind.id()
    }

    /// Where it comes in the to-do list (lower first): its kind's priority, except that a legal
    /// item whose clock is stopped (awaiting ID, a fee or clarification: nothing to do until
    /// the requester answers) waits after the tasks, before the reviews.
    pub fn rank(&self) -> u8 {
        match (self.kind.priority(), self.due) {
            (0, None) => 7,
            (p, _) => p * 2,
        }
    }
}

/// Where the handover reads its people's names and restrictions from.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// The narrow `people_names` index (schema version 4): a few hundred dense pages.
    Index,
    /// The people rows themselves, scattered through the file: what a peer would write.
    PeopleRows,
}

/// Each item's person, named from the `people_names` index. Thousands of items name thousands
/// of people scattered through an encrypted file; reading their wide rows decrypts most of the
/// people table, the index only its own few pages.
const NAMES_FROM_INDEX: &str = "SELECT p.id, p.title, p.given_name, p.family_name, p.restricted,
        (SELECT group_concat(category) FROM person_categories c WHERE c.person_id = p.id)
 FROM json_each(?1) j JOIN people p INDEXED BY people_names ON p.id = j.value";

/// The same, from the people rows.
const NAMES_FROM_ROWS: &str = "SELECT p.id, p.title, p.given_name, p.family_name, p.restricted,
        (SELECT group_concat(category) FROM person_categories c WHERE c.person_id = p.id)
 FROM json_each(?1) j JOIN people p ON p.id = j.value";

/// How far ahead the slower queues look.
const RETENTION_LOOKAHEAD_DAYS: i64 = 30;
const DBS_LOOKAHEAD_DAYS: i64 = 60;
/// How long a DBS application may wait for its certificate before the handover says so.
const DBS_APPLICATION_DAYS: i64 = 30;
const EXEMPTION_LOOKAHEAD_DAYS: i64 = 30;

impl Store {
    /// The bank-holiday calendar of the profile's region (built once per profile).
    pub fn calendar(&self) -> &HolidayCalendar {
        &self.calendar
    }

    /// Everything due, as a to-do list: what the law sets a deadline for first (rights
    /// requests, Article 14 notices, Article 19 notifications, by deadline), then callbacks,
    /// referrals, follow-up tasks, then the registers' reviews (retention, DBS renewals) for the
    /// roles that act on them; soonest first within each (items without a date last). Every
    /// queue is read whole: no cap drops rows, so counts are exact at any size.
    pub fn handover(&self) -> Result<Vec<DueItem>> {
        self.handover_naming_from(Names::Index)
    }

    /// The handover with the names read from where `names` says: the benchmark runs it with
    /// [`Names::PeopleRows`], the straightforward way, to report how much the index saves.
    #[doc(hidden)]
    pub fn handover_naming_from(&self, names: Names) -> Result<Vec<DueItem>> {
        let today = self.clock().today();
        let mut items = Vec::new();
        self.due_requests(&mut items)?;
        self.due_notices(&mut items, today)?;
        self.due_callbacks(&mut items)?;
        self.due_referrals(&mut items)?;
        self.due_tasks(&mut items)?;
        self.due_retention(&mut items, today)?;
        self.due_hold_reviews(&mut items, today)?;
        self.due_dbs(&mut items, today)?;
        self.due_article19(&mut items)?;
        self.due_unattached_tasks(&mut items)?;
        self.due_breaches(&mut items)?;
        self.due_complaints(&mut items)?;
        self.due_letters(&mut items)?;
        self.due_enquiries(&mut items)?;
        self.due_conflicts(&mut items)?;
        self.name_items(&mut items, names)?;
        items.sort_by(|a, b| {
            let key = |i: &DueItem| (i.rank(), i.due.is_none(), i.due, i.due_at, i.kind.queue(), i.kind.id());
            key(a).cmp(&key(b))
        });
        Ok(items)
    }

    /// Open callbacks; who may see them (correspondence) is decided with the names, in one pass.
    fn due_callbacks(&self, items: &mut Vec<DueItem>) -> Result<()> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, person_id, about, due_at FROM callbacks WHERE done_at IS NULL")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, NaiveDateTime>(3)?,
            ))
        })?;
        for row in rows {
            let (id, pid, about, due_at) = row?;
            items.push(DueItem {
                kind: DueKind::Callback(id),
                person_id: pid,
                person_name: String::new(),
                what: format!("Call back: {about}"),
                due: Some(due_at.date()),
                due_at: Some(due_at),
            });
        }
        Ok(())
    }

    /// Enquiries not yet answered, due as quickly as a referral's first contact; who may see
    /// them (correspondence) is decided with the names, as for callbacks.
    fn due_enquiries(&self, items: &mut Vec<DueItem>) -> Result<()> {
        let days = self.profile().referrals.first_contact_working_days;
        for (id, pid, received, channel) in self.unanswered_enquiries()? {
            items.push(DueItem {
                kind: DueKind::Enquiry(id),
                person_id: pid,
                person_name: String::new(),
                what: format!("Answer their enquiry (by {})", channel.label().to_lowercase()),
                due: Some(self.calendar().add_working_days(received, days)),
                due_at: None,
            });
        }
        Ok(())
    }

    /// Merge conflicts the acting role may see (the store decides), each already named: a
    /// conflict about no one person (a support group's name) says what it is about.
    fn due_conflicts(&self, items: &mut Vec<DueItem>) -> Result<()> {
        for c in self.conflicts()? {
            items.push(DueItem {
                kind: DueKind::Conflict(c.id),
                person_id: c.person_id.unwrap_or(0),
                person_name: c.person_name.clone().unwrap_or_else(|| "(no one person)".into()),
                what: format!("Merge conflict: {} (laptop {})", c.what, c.from_device),
                due: Some(c.found_at.date()),
                due_at: None,
            });
        }
        Ok(())
    }

    /// Names every item's person in one query, and drops the items about people the acting
    /// user may not see (restricted, or of no category whose names they receive). Items that
    /// already carry a name (callbacks, and Article 19 tasks of erased people) keep it.
    fn name_items(&self, items: &mut Vec<DueItem>, names: Names) -> Result<()> {
        let mut ids: Vec<i64> = items
            .iter()
            .filter(|i| i.person_name.is_empty())
            .map(|i| i.person_id)
            .collect();
        // Each person once, in id order, so the lookups walk the index forwards.
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let role = self.actor().role;
        let mut st = self.conn.prepare_cached(match names {
            Names::Index => NAMES_FROM_INDEX,
            Names::PeopleRows => NAMES_FROM_ROWS,
        })?;
        let json = serde_json::to_string(&ids).map_err(|e| super::StoreError::invalid(e.to_string()))?;
        // id -> (name, whether their correspondence is visible)
        let mut seen = std::collections::HashMap::new();
        let rows = st.query_map([json], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, title, given, family, restricted, cats) = row?;
            let cats: Vec<crate::domain::Category> = cats
                .unwrap_or_default()
                .split(',')
                .filter_map(|c| crate::domain::Category::parse(c).ok())
                .collect();
            let visible = (!restricted || self.access().sees_restricted(role))
                && self.access().can_see(role, &cats, FieldGroup::Name);
            if visible {
                // What a callback is about is correspondence: only roles that receive it see it.
                let correspondence = crate::profile::AccessMatrix::answers_rights(role)
                    || self.access().can_see(role, &cats, FieldGroup::Correspondence);
                let name = crate::domain::person::display_name(title.as_deref(), &given, &family);
                seen.insert(id, (name, correspondence));
            }
        }
        items.retain_mut(|i| {
            if !i.person_name.is_empty() {
                return true;
            }
            match seen.get(&i.person_id) {
                Some((_, false)) if matches!(i.kind, DueKind::Callback(_) | DueKind::Enquiry(_)) => false,
                Some((name, _)) => {
                    i.person_name = name.clone();
                    true
                }
                None => false,
            }
        });
        Ok(())
    }

    /// The deadline of one rights request, from its stored dates.
    pub fn request_deadline(&self, request_id: i64) -> Result<deadline::Deadline> {
        let (received, id_status, id_received, fee_requested, fee_received, extended): (
            NaiveDate,
            String,
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<NaiveDate>,
            bool,
        ) = self.conn.query_row(
            "SELECT received_on, id_status, id_received_on, fee_requested_on, fee_received_on, extended
             FROM rights_requests WHERE id = ?1",
            [request_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT asked_on, received_on FROM request_pauses WHERE request_id = ?1 ORDER BY asked_on",
        )?;
        let pauses = st
            .query_map([request_id], |r| {
                Ok(Pause {
                    asked: r.get(0)?,
                    received: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let clock = RequestClock {
            received,
            id_received: if id_status == "received" { id_received } else { None },
            fee_received: if fee_requested.is_some() { fee_received } else { None },
            pauses,
        };
        let mut d = deadline::compute(&clock, self.calendar(), extended)
            .map_err(|e| super::StoreError::invalid(e.to_string()))?;
        // Awaiting the ID or fee asked for: the clock has not started, so there is no due date
        // yet (day one will be the day it arrives).
        if id_status == "requested" || fee_requested.is_some() && fee_received.is_none() {
            d.due = None;
            d.unrolled_due = None;
            d.extension_notice_by = None;
        }
        Ok(d)
    }

    fn due_requests(&self, items: &mut Vec<DueItem>) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, kinds, id_status, fee_requested_on, fee_received_on FROM rights_requests
             WHERE status <> 'closed' AND person_id IS NOT NULL ORDER BY received_on",
        )?;
        type Row = (i64, i64, String, String, Option<NaiveDate>, Option<NaiveDate>);
        let rows: Vec<Row> = st
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, pid, kinds, id_status, fee_req, fee_rec) in rows {
            let name = String::new(); // filled in, or the item dropped, by `name_items`
            let kinds = kinds.replace(',', ", ");
            let (due, what) = if id_status == "requested" {
                (None, format!("Request ({kinds}): awaiting proof of identity"))
            } else if fee_req.is_some() && fee_rec.is_none() {
                (None, format!("Request ({kinds}): awaiting the fee"))
            } else {
                let d = self.request_deadline(id)?;
                match d.due {
                    Some(due) => (Some(due), format!("Respond to request ({kinds})")),
                    None => (None, format!("Request ({kinds}): {}", d.status())),
                }
            };
            items.push(DueItem {
                kind: DueKind::Request(id),
                person_id: pid,
                person_name: name,
                what,
                due,
                due_at: None,
            });
        }
        Ok(())
    }

    fn due_tasks(&self, items: &mut Vec<DueItem>) -> Result<()> {
        for t in self.open_tasks(None)? {
            items.push(DueItem {
                kind: DueKind::Task(t.id),
                person_id: t.person_id,
                person_name: t.person_name,
                what: t.about,
                due: Some(t.due_on.unwrap_or(t.created_on)),
                due_at: None,
            });
        }
        Ok(())
    }

    fn due_notices(&self, items: &mut Vec<DueItem>, today: NaiveDate) -> Result<()> {
        for n in self.exemptions_due_for_review(today + Duration::days(EXEMPTION_LOOKAHEAD_DAYS))? {
            items.push(DueItem {
                kind: DueKind::ExemptionReview(n.id),
                person_id: n.person_id,
                person_name: n.person_name,
                what: "Review the Article 14 exemption".into(),
                due: n.review_on,
                due_at: None,
            });
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, due_on, due_reason FROM article14_notices WHERE status = 'pending'
             ORDER BY due_on",
        )?;
        let rows: Vec<(i64, i64, NaiveDate, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, pid, due, reason) in rows {
            let name = String::new(); // filled in, or the item dropped, by `name_items`
            let why = crate::domain::article14::Trigger::parse(&reason)
                .map(|t| t.describe())
                .unwrap_or("");
            items.push(DueItem {
                kind: DueKind::Notice(id),
                person_id: pid,
                person_name: name,
                what: format!("Tell them we hold their data (due {why})"),
                due: Some(due),
                due_at: None,
            });
        }
        Ok(())
    }

    fn due_referrals(&self, items: &mut Vec<DueItem>) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, status, received_on, urgency FROM referrals WHERE status IN ('new', 'contacted')
             ORDER BY received_on",
        )?;
        let rows: Vec<(i64, i64, String, NaiveDate, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, pid, status, received, urgency) in rows {
            let name = String::new(); // filled in, or the item dropped, by `name_items`
                                      // First contact and the decision within the profile's working days.
            let days = self.profile().referrals.working_days(&status, urgency == "urgent");
            let due = self.calendar().add_working_days(received, days);
            let step = if status == "new" {
                "make first contact"
            } else {
                "accept or decline"
            };
            let what = if urgency == "urgent" {
                format!("URGENT referral: {step}")
            } else {
                format!("Referral: {step}")
            };
            items.push(DueItem {
                kind: DueKind::Referral(id),
                person_id: pid,
                person_name: name,
                what,
                due: Some(due),
                due_at: None,
            });
        }
        Ok(())
    }

    fn due_retention(&self, items: &mut Vec<DueItem>, today: NaiveDate) -> Result<()> {
        // Deciding what to keep is the data protection lead's; it is not a duty officer's to-do.
        if !crate::profile::AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        // Anyone whose last contact is older than the shortest review interval (less the
        // lookahead) may be due; each is then checked against their own categories' period.
        let shortest = self.profile().shortest_retention_months();
        let horizon = today + Duration::days(RETENTION_LOOKAHEAD_DAYS);
        let cutoff = horizon
            .checked_sub_months(chrono::Months::new(shortest))
            .unwrap_or(NaiveDate::MIN);
        // Each candidate's categories are read only where some category keeps its data for a
        // period of its own; otherwise one period applies to everyone.
        let per_category = self.profile().categories.iter().any(|c| c.retention.is_some());
        // A decision to keep the record moves its review to the date the lead set.
        let mut st = self.conn.prepare_cached(
            "SELECT id, coalesce(last_contact, obtained_on),
                    (SELECT max(next_review) FROM retention_keeps k WHERE k.person_id = people.id),
                    CASE WHEN ?3 THEN (SELECT group_concat(category) FROM person_categories c WHERE c.person_id = people.id) END
             FROM people
             WHERE coalesce(last_contact, obtained_on) <= ?1
               AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.person_id = people.id AND h.lifted_on IS NULL)
               AND NOT EXISTS (SELECT 1 FROM retention_keeps k WHERE k.person_id = people.id AND k.next_review > ?2)
             ORDER BY coalesce(last_contact, obtained_on)",
        )?;
        let rows: Vec<(i64, NaiveDate, Option<NaiveDate>, Option<String>)> = st
            .query_map(params![cutoff, horizon, per_category], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (pid, last, kept_until, categories) in rows {
            let categories: Vec<Category> = categories
                .unwrap_or_default()
                .split(',')
                .filter_map(|c| Category::parse(c).ok())
                .collect();
            let period = self.profile().retention_for(&categories);
            let Some(due) = retention::review_due(last, period.review_after_months(), false) else {
                continue;
            };
            if due > horizon {
                continue; // a longer period for one of their categories
            }
            let reason = period.review_reason();
            let (due, what) = match kept_until {
                Some(k) if k > due => (k, format!("Review again: kept past {reason}")),
                _ => (due, format!("Review: {reason}")),
            };
            let name = String::new(); // filled in, or the item dropped, by `name_items`
            items.push(DueItem {
                kind: DueKind::Retention(pid),
                person_id: pid,
                person_name: name,
                what,
                due: Some(due),
                due_at: None,
            });
        }
        Ok(())
    }

    /// Standing legal holds whose review date is near (the data protection lead's).
    fn due_hold_reviews(&self, items: &mut Vec<DueItem>, today: NaiveDate) -> Result<()> {
        if !crate::profile::AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, review_on, reason FROM legal_holds
             WHERE lifted_on IS NULL AND review_on IS NOT NULL AND review_on <= ?1 ORDER BY review_on",
        )?;
        let rows: Vec<(i64, i64, NaiveDate, String)> = st
            .query_map(params![today + Duration::days(RETENTION_LOOKAHEAD_DAYS)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, pid, due, _reason) in rows {
            items.push(DueItem {
                kind: DueKind::HoldReview(id),
                person_id: pid,
                person_name: String::new(), // filled in by `name_items`
                what: "Review the legal hold: keep or lift".into(),
                due: Some(due),
                due_at: None,
            });
        }
        Ok(())
    }

    fn due_dbs(&self, items: &mut Vec<DueItem>, today: NaiveDate) -> Result<()> {
        let role = self.actor().role;
        if !self.profile().criminal_offence.roles.contains(&role) {
            return Ok(());
        }
        // Applications waiting over 30 days for their certificate: time to chase them.
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, applied_on, roles FROM dbs_applications
             WHERE closed_on IS NULL AND applied_on <= ?1 ORDER BY applied_on",
        )?;
        let waiting: Vec<(i64, i64, NaiveDate, String)> = st
            .query_map(params![today - Duration::days(DBS_APPLICATION_DAYS)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, pid, applied, roles) in waiting {
            let cats = super::people::categories_of(&self.conn, pid)?;
            if !self.access().can_see(role, &cats, FieldGroup::CriminalOffence) {
                continue;
            }
            items.push(DueItem {
                kind: DueKind::DbsApplication(id),
                person_id: pid,
                person_name: String::new(), // filled in, or the item dropped, by `name_items`
                what: format!(
                    "DBS application ({roles}) waiting since {}: chase it",
                    applied.format("%d/%m/%Y")
                ),
                due: Some(applied + Duration::days(DBS_APPLICATION_DAYS)),
                due_at: None,
            });
        }
        let rows: Vec<(i64, i64, NaiveDate, String)> = self
            .current_dbs_checks(Some(today + Duration::days(DBS_LOOKAHEAD_DAYS)))?
            .into_iter()
            .map(|c| (c.id, c.person_id, c.renewal_due, c.roles))
            .collect();
        for (id, pid, due, service_role) in rows {
            let cats = super::people::categories_of(&self.conn, pid)?;
            if !self.access().can_see(role, &cats, FieldGroup::CriminalOffence) {
                continue;
            }
            let person_name = String::new(); // filled in, or the item dropped, by `name_items`
            items.push(DueItem {
                kind: DueKind::DbsRenewal(id),
                person_id: pid,
                person_name,
                what: format!("Renew DBS check ({service_role})"),
                due: Some(due),
                due_at: None,
            });
        }
        Ok(())
    }
}

impl Store {
    /// Open Article 19 tasks (data protection lead only: telling recipients is the lead's
    /// job). An erased person's tasks carry person id 0 and the name "Erased person".
    fn due_article19(&self, items: &mut Vec<DueItem>) -> Result<()> {
        for t in self.article19_tasks(false)? {
            items.push(DueItem {
                kind: DueKind::Article19(t.id),
                person_id: t.person_id.unwrap_or(0),
                person_name: t.person_name,
                what: format!("Tell {} (Article 19)", t.recipient),
                due: t.due_on,
                due_at: None,
            });
        }
        Ok(())
    }

    /// Letters decisions owe, not yet sent (data protection lead only). The person is named
    /// (or the item dropped) by `name_items`, like every other.
    fn due_letters(&self, items: &mut Vec<DueItem>) -> Result<()> {
        for l in self.request_letters(None)? {
            let person: Option<i64> = self.conn.query_row(
                "SELECT person_id FROM rights_requests WHERE id = ?1",
                [l.request_id],
                |r| r.get(0),
            )?;
            let Some(person) = person else { continue };
            items.push(DueItem {
                kind: DueKind::Letter(l.id),
                person_id: person,
                person_name: String::new(),
                what: format!("Send the {} (request #{})", l.name(), l.request_id),
                due: Some(l.due_on),
                due_at: None,
            });
        }
        Ok(())
    }

    /// Complaints to acknowledge (by the 30th day) or answer (data protection lead only).
    fn due_complaints(&self, items: &mut Vec<DueItem>) -> Result<()> {
        if !crate::profile::AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        for c in self.complaints()? {
            let Some(step) = c.next_step() else { continue };
            items.push(DueItem {
                kind: DueKind::Complaint(c.id),
                person_id: c.person_id.unwrap_or(0),
                person_name: c.who.clone(),
                what: step.to_string(),
                due: c.acknowledged_on.is_none().then_some(c.acknowledge_by),
                due_at: None,
            });
        }
        Ok(())
    }

    /// Breaches still to decide on or report (data protection lead only), due 72 hours after
    /// the charity became aware.
    fn due_breaches(&self, items: &mut Vec<DueItem>) -> Result<()> {
        if !crate::profile::AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        for b in self.breaches()? {
            if let Some(step) = b.next_step() {
                items.push(DueItem {
                    kind: DueKind::Breach(b.id),
                    person_id: 0,
                    person_name: format!("Breach #{}", b.id),
                    what: format!("{step} (72 hours from {})", b.aware_at.format("%d/%m %H:%M")),
                    due: Some(b.report_due.date()),
                    due_at: Some(b.report_due),
                });
            }
        }
        Ok(())
    }

    /// Open tasks about no one person (data protection lead only): takedowns left by
    /// erasures (the person is gone: "Erased person", the publication by number) and telling
    /// everyone affected by a breach ("Everyone affected").
    fn due_unattached_tasks(&self, items: &mut Vec<DueItem>) -> Result<()> {
        if !crate::profile::AccessMatrix::answers_rights(self.actor().role) {
            return Ok(());
        }
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, about, due_on FROM tasks
             WHERE kind IN (?1, ?2) AND person_id IS NULL AND done_on IS NULL ORDER BY due_on, id",
        )?;
        let rows = st.query_map([super::takedowns::TAKEDOWN, super::breaches::BREACH_TELL], |r| {
            let kind: String = r.get(1)?;
            Ok(DueItem {
                kind: DueKind::Task(r.get(0)?),
                person_id: 0,
                person_name: if kind == super::takedowns::TAKEDOWN {
                    "Erased person"
                } else {
                    "Everyone affected"
                }
                .into(),
                what: r.get(2)?,
                due: r.get(3)?,
                due_at: None,
            })
        })?;
        for item in rows {
            items.push(item?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod rank_tests {
    use super::{DueItem, DueKind};
    use chrono::NaiveDate;

    fn item(kind: DueKind, due: Option<NaiveDate>) -> DueItem {
        DueItem {
            kind,
            person_id: 1,
            person_name: String::new(),
            what: String::new(),
            due,
            due_at: None,
        }
    }

    #[test]
    fn a_legal_item_with_its_clock_stopped_waits_after_the_tasks_before_the_reviews() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1);
        let order = [
            item(DueKind::Request(1), d),
            item(DueKind::Callback(1), d),
            item(DueKind::Referral(1), d),
            item(DueKind::Task(1), d),
            item(DueKind::Request(2), None),
            item(DueKind::Retention(1), d),
        ];
        let ranks: Vec<u8> = order.iter().map(DueItem::rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
    }
}
