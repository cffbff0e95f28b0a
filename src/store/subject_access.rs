//! The full record of a person for a subject access request (Article 15).
//!
//! [`Store::full_record_for_request`] is the one read that bypasses the access matrix: every
//! piece of data the case file holds about the person, health notes and DBS checks included.
//! It is allowed only to the data protection lead, only for an open access request about that
//! very person, and it is audited (a view of special category and criminal offence data).
//! The subject access pack (`export::pack`) is compiled from it.

use super::error::{Result, StoreError};
use super::people::{self, DbsCheck, HealthNote};
use super::{audit, Store};
use crate::domain::person::{display_name, PersonRecord};
use crate::domain::rights::RequestKind;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection};
use serde::Serialize;

/// Every piece of data held about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FullRecord {
    pub person_id: i64,
    pub request_id: i64,
    pub record: PersonRecord,
    pub categories: Vec<CategorySince>,
    pub restricted: bool,
    pub restricted_on: Option<NaiveDate>,
    pub obtained: ObtainedInfo,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_contact: Option<NaiveDate>,
    pub relationships: Vec<RelationshipEntry>,
    pub contacts: Vec<ContactLogEntry>,
    pub callbacks: Vec<CallbackEntry>,
    pub services: Vec<ServiceRow>,
    pub health_notes: Vec<HealthNote>,
    pub dbs_checks: Vec<DbsCheck>,
    pub referrals: Vec<ReferralEntry>,
    pub consents: Vec<ConsentEntry>,
    pub notices: Vec<NoticeEntry>,
    pub disclosures: Vec<DisclosureEntry>,
    pub requests: Vec<RequestEntry>,
    pub objections: Vec<ObjectionEntry>,
    pub legal_holds: Vec<LegalHoldEntry>,
    pub retention_keeps: Vec<RetentionKeepEntry>,
    pub health_note_removals: Vec<HealthNoteRemovalEntry>,
    pub publications: Vec<PublicationEntry>,
    /// Follow-up tasks about them (a consent withdrawal's, a takedown, Article 19).
    pub tasks: Vec<TaskEntry>,
    /// Every step of their referrals.
    pub referral_events: Vec<ReferralEventEntry>,
    /// Reviews of an Article 14 exemption on their notice.
    pub exemption_reviews: Vec<ExemptionReviewEntry>,
    pub dbs_applications: Vec<DbsApplicationEntry>,
    /// Clarification pauses on their requests.
    pub request_pauses: Vec<PauseEntry>,
    /// Data breaches that affected them.
    pub breaches: Vec<BreachEntry>,
    /// Their complaints, or complaints about them.
    pub complaints: Vec<ComplaintEntry>,
    /// The letters their requests' decisions owed: when due, when and how sent.
    pub request_letters: Vec<LetterEntry>,
    /// Their enquiries and the answers.
    pub enquiries: Vec<super::enquiries::Enquiry>,
    /// The support groups they belong or belonged to.
    pub group_memberships: Vec<super::groups::Membership>,
    /// Their donations, with the platform each came through.
    pub donations: Vec<super::donations::Donation>,
    /// Values two of the charity's laptops disagreed on, waiting for a person to decide:
    /// what, the value both started from and the other laptop's (the record above holds
    /// the value on file).
    pub merge_conflicts: Vec<MergeConflictEntry>,
    /// The audit entries about the person and every row about them (ids and field names).
    pub audit: Vec<audit::Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeConflictEntry {
    pub id: i64,
    pub what: String,
    pub was: String,
    pub other_laptop: String,
    pub found_on: NaiveDate,
}

/// Every table that holds anything about a person (it reaches `people` through its
/// foreign keys), each carried by the access pack: a test fails when a table is added that
/// reaches `people` without being listed here (and read into [`FullRecord`]).
pub const PACK_TABLES: &[&str] = &[
    "people",
    "person_aliases",
    "person_phones",
    "person_categories",
    "relationships",
    "contacts",
    "callbacks",
    "services",
    "health_notes",
    "health_note_removals",
    "dbs_checks",
    "dbs_applications",
    "referrals",
    "referral_events",
    "consents",
    "publications",
    "article14_notices",
    "notice_exemption_reviews",
    "disclosures",
    "rights_requests",
    "request_pauses",
    "objections",
    "legal_holds",
    "retention_keeps",
    "tasks",
    "breach_people",
    "complaints",
    "request_letters",
    "enquiries",
    "group_members",
    "donations",
    "sync_conflicts",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicationEntry {
    pub id: i64,
    pub purpose: String,
    pub what: String,
    pub published_on: NaiveDate,
    pub taken_down_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskEntry {
    pub id: i64,
    pub kind: String,
    pub about: String,
    pub created_at: NaiveDateTime,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralEventEntry {
    pub referral_id: i64,
    pub status: String,
    pub on_date: NaiveDate,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExemptionReviewEntry {
    pub notice_id: i64,
    pub exemption: String,
    pub outcome: String,
    pub note: Option<String>,
    pub reviewed_on: NaiveDate,
    pub next_review_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DbsApplicationEntry {
    pub id: i64,
    pub level: String,
    pub roles: String,
    pub applied_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterEntry {
    pub request_id: i64,
    pub kind: String,
    pub due_on: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    pub sent_how: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintEntry {
    pub id: i64,
    pub received_on: NaiveDate,
    pub about: String,
    pub acknowledged_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachEntry {
    pub breach_id: i64,
    pub what: String,
    pub aware_at: NaiveDateTime,
    pub risk: Option<String>,
    pub reported_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PauseEntry {
    pub request_id: i64,
    pub asked_on: NaiveDate,
    pub received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategorySince {
    pub category: String,
    pub label: String,
    pub since: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObtainedInfo {
    /// "direct" or "indirect".
    pub how: String,
    pub on: NaiveDate,
    pub from_person_id: Option<i64>,
    pub from_person_name: Option<String>,
    pub from_text: Option<String>,
    pub referral_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationshipEntry {
    pub id: i64,
    pub kind: String,
    /// How the other person relates, e.g. "Next of kin" or "Next of kin of".
    pub label: String,
    pub other_id: i64,
    pub other_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactLogEntry {
    pub id: i64,
    pub kind: String,
    pub at: NaiveDateTime,
    pub note: Option<String>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallbackEntry {
    pub id: i64,
    pub about: String,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRow {
    pub id: i64,
    pub service: String,
    pub delivered_on: NaiveDate,
    /// Requested, arranged, done or cancelled.
    pub status: String,
    /// Set when the person received the service; the volunteer who gave it.
    pub volunteer: Option<String>,
    /// Set when the person gave the service as a volunteer; the client.
    pub client: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralEntry {
    pub id: i64,
    /// "subject" (the person was referred) or "referrer" (they referred someone).
    pub role: String,
    pub person_name: Option<String>,
    pub referrer_name: Option<String>,
    pub referrer_kind: Option<String>,
    pub referrer_org: Option<String>,
    pub services: String,
    pub urgency: String,
    pub notes: Option<String>,
    pub status: String,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEntry {
    pub id: i64,
    pub purpose: String,
    pub action: String,
    pub wording_version: i64,
    pub wording: String,
    pub how: String,
    pub on: NaiveDate,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeEntry {
    pub id: i64,
    pub obtained_on: NaiveDate,
    pub source_text: Option<String>,
    pub due_on: NaiveDate,
    pub status: String,
    pub given_on: Option<NaiveDate>,
    pub given_how: Option<String>,
    pub exemption: Option<String>,
    pub exemption_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureEntry {
    pub id: i64,
    pub recipient: String,
    pub what: String,
    pub disclosed_on: NaiveDate,
    pub lawful_basis: String,
    /// Why it was allowed: permission, or the exceptional circumstance.
    pub ground: Option<String>,
    pub permission_how: Option<String>,
    pub permission_on: Option<NaiveDate>,
    pub decision_maker: Option<String>,
    pub person_informed: Option<String>,
    // Not the note on why they were not told: it may itself be exempt from access (telling
    // them would put someone at risk).
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestEntry {
    pub id: i64,
    /// "subject" or "agent".
    pub role: String,
    pub kinds: String,
    pub channel: String,
    pub received_on: NaiveDate,
    pub words: Option<String>,
    pub status: String,
    pub outcome: Option<String>,
    pub closed_on: Option<NaiveDate>,
    /// Why it was refused, in whole or part: the ground and the reasons; what was provided and
    /// withheld when partly complied.
    pub refusal_ground: Option<String>,
    pub refusal_reason: Option<String>,
    pub partly_provided: Option<String>,
    pub partly_withheld: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectionEntry {
    pub id: i64,
    pub purpose: String,
    pub decision: String,
    pub reasons: Option<String>,
    pub decided_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalHoldEntry {
    pub id: i64,
    pub reason: String,
    pub placed_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    pub lifted_on: Option<NaiveDate>,
    pub lift_note: Option<String>,
}

/// A decision to keep the record past its retention review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionKeepEntry {
    pub decided_on: NaiveDate,
    pub reason: String,
    pub next_review: NaiveDate,
}

/// A health note removed: when and why (never what it said).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthNoteRemovalEntry {
    pub removed_on: NaiveDate,
    pub reason: String,
}

fn collect<T>(
    conn: &Connection,
    sql: &str,
    person: i64,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([person], f)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The person's categories, for the access pack.
fn categories_of(conn: &Connection, profile: &crate::profile::Profile, person: i64) -> Result<Vec<CategorySince>> {
    collect(
        conn,
        "SELECT category, since FROM person_categories WHERE person_id = ?1 ORDER BY category",
        person,
        |r| {
            let key: String = r.get(0)?;
            let label = crate::domain::Category::parse(&key)
                .map(|c| profile.category_label(c).to_string())
                .unwrap_or_else(|_| key.clone());
            Ok(CategorySince {
                category: key,
                label,
                since: r.get(1)?,
            })
        },
    )
}

/// The person's relationships, for the access pack.
fn relationships_of(conn: &Connection, person: i64) -> Result<Vec<RelationshipEntry>> {
    collect(
        conn,
        "SELECT r.id, r.kind, r.person_id, r.other_id, o.title, o.given_name, o.family_name
         FROM relationships r JOIN people o ON o.id = CASE WHEN r.person_id = ?1 THEN r.other_id ELSE r.person_id END
         WHERE r.person_id = ?1 OR r.other_id = ?1 ORDER BY r.id",
        person,
        |r| {
            let kind: String = r.get(1)?;
            let a: i64 = r.get(2)?;
            let b: i64 = r.get(3)?;
            let inverse = a != person;
            let label = crate::domain::RelationKind::parse(&kind)
                .map(|k| if inverse { k.inverse_label() } else { k.label() }.to_string())
                .unwrap_or_else(|_| kind.clone());
            Ok(RelationshipEntry {
                id: r.get(0)?,
                kind,
                label,
                other_id: if inverse { a } else { b },
                other_name: display_name(
                    r.get::<_, Option<String>>(4)?.as_deref(),
                    &r.get::<_, String>(5)?,
                    &r.get::<_, String>(6)?,
                ),
            })
        },
    )
}

/// The person's contacts, for the access pack.
fn contacts_of(conn: &Connection, person: i64) -> Result<Vec<ContactLogEntry>> {
    collect(
        conn,
        "SELECT c.id, c.kind, c.at, c.note, u.login FROM contacts c LEFT JOIN users u ON u.id = c.by_user
         WHERE c.person_id = ?1 ORDER BY c.at, c.id",
        person,
        |r| {
            Ok(ContactLogEntry {
                id: r.get(0)?,
                kind: r.get(1)?,
                at: r.get(2)?,
                note: r.get(3)?,
                by: r.get(4)?,
            })
        },
    )
}

/// The person's callbacks, for the access pack.
fn callbacks_of(conn: &Connection, person: i64) -> Result<Vec<CallbackEntry>> {
    collect(
        conn,
        "SELECT id, about, due_at, created_at, done_at FROM callbacks WHERE person_id = ?1 ORDER BY due_at, id",
        person,
        |r| {
            Ok(CallbackEntry {
                id: r.get(0)?,
                about: r.get(1)?,
                due_at: r.get(2)?,
                created_at: r.get(3)?,
                done_at: r.get(4)?,
            })
        },
    )
}

/// The person's services, for the access pack.
fn services_of(conn: &Connection, person: i64) -> Result<Vec<ServiceRow>> {
    collect(
        conn,
        "SELECT s.id, s.service, s.delivered_on, s.person_id, s.volunteer_id, s.note,
                v.title, v.given_name, v.family_name, c.title, c.given_name, c.family_name, s.status
         FROM services s LEFT JOIN people v ON v.id = s.volunteer_id LEFT JOIN people c ON c.id = s.person_id
         WHERE s.person_id = ?1 OR s.volunteer_id = ?1 ORDER BY s.delivered_on, s.id",
        person,
        |r| {
            let client_id: i64 = r.get(3)?;
            let name = |t: usize| -> rusqlite::Result<Option<String>> {
                let g: Option<String> = r.get(t + 1)?;
                Ok(match g {
                    Some(g) => Some(display_name(
                        r.get::<_, Option<String>>(t)?.as_deref(),
                        &g,
                        &r.get::<_, Option<String>>(t + 2)?.unwrap_or_default(),
                    )),
                    None => None,
                })
            };
            let (volunteer, client) = if client_id == person {
                (name(6)?, None)
            } else {
                (None, name(9)?)
            };
            Ok(ServiceRow {
                id: r.get(0)?,
                service: r.get(1)?,
                delivered_on: r.get(2)?,
                status: r.get(12)?,
                volunteer,
                client,
                note: r.get(5)?,
            })
        },
    )
}

/// The person's health notes, for the access pack.
fn health_notes_of(conn: &Connection, person: i64) -> Result<Vec<HealthNote>> {
    collect(
        conn,
        "SELECT id, note, recorded_on FROM health_notes WHERE person_id = ?1 ORDER BY recorded_on, id",
        person,
        |r| {
            Ok(HealthNote {
                id: r.get(0)?,
                note: r.get(1)?,
                recorded_on: r.get(2)?,
            })
        },
    )
}

/// The person's consents, for the access pack.
fn consents_of(conn: &Connection, person: i64) -> Result<Vec<ConsentEntry>> {
    collect(
        conn,
        "SELECT id, purpose, action, wording_version, wording, how, on_date, evidence FROM consents
         WHERE person_id = ?1 ORDER BY on_date, id",
        person,
        |r| {
            Ok(ConsentEntry {
                id: r.get(0)?,
                purpose: r.get(1)?,
                action: r.get(2)?,
                wording_version: r.get(3)?,
                wording: r.get(4)?,
                how: r.get(5)?,
                on: r.get(6)?,
                evidence: r.get(7)?,
            })
        },
    )
}

/// The person's notices, for the access pack.
fn notices_of(conn: &Connection, person: i64) -> Result<Vec<NoticeEntry>> {
    collect(
        conn,
        "SELECT id, obtained_on, source_text, due_on, status, given_on, given_how, exemption, exemption_reason
         FROM article14_notices WHERE person_id = ?1 ORDER BY id",
        person,
        |r| {
            Ok(NoticeEntry {
                id: r.get(0)?,
                obtained_on: r.get(1)?,
                source_text: r.get(2)?,
                due_on: r.get(3)?,
                status: r.get(4)?,
                given_on: r.get(5)?,
                given_how: r.get(6)?,
                exemption: r.get(7)?,
                exemption_reason: r.get(8)?,
            })
        },
    )
}

/// The person's disclosures, for the access pack.
fn disclosures_of(conn: &Connection, person: i64) -> Result<Vec<DisclosureEntry>> {
    collect(
        conn,
        "SELECT id, recipient, what, disclosed_on, lawful_basis, ground, permission_how, permission_on, decision_maker,
                person_informed
         FROM disclosures WHERE person_id = ?1 ORDER BY disclosed_on, id",
        person,
        |r| {
            Ok(DisclosureEntry {
                id: r.get(0)?,
                recipient: r.get(1)?,
                what: r.get(2)?,
                disclosed_on: r.get(3)?,
                lawful_basis: r.get(4)?,
                ground: r.get(5)?,
                permission_how: r.get(6)?,
                permission_on: r.get(7)?,
                decision_maker: r.get(8)?,
                person_informed: r.get(9)?,
            })
        },
    )
}

/// The person's requests, for the access pack.
fn requests_of(conn: &Connection, person: i64) -> Result<Vec<RequestEntry>> {
    collect(
        conn,
        "SELECT id, CASE WHEN person_id = ?1 THEN 'subject' ELSE 'agent' END, kinds, channel, received_on, words,
                status, outcome, closed_on, refusal_ground, refusal_reason, partly_provided, partly_withheld
         FROM rights_requests WHERE person_id = ?1 OR agent_id = ?1 ORDER BY received_on, id",
        person,
        |r| {
            Ok(RequestEntry {
                id: r.get(0)?,
                role: r.get(1)?,
                kinds: r.get(2)?,
                channel: r.get(3)?,
                received_on: r.get(4)?,
                words: r.get(5)?,
                status: r.get(6)?,
                outcome: r.get(7)?,
                closed_on: r.get(8)?,
                refusal_ground: r.get(9)?,
                refusal_reason: r.get(10)?,
                partly_provided: r.get(11)?,
                partly_withheld: r.get(12)?,
            })
        },
    )
}

/// The person's objections, for the access pack.
fn objections_of(conn: &Connection, person: i64) -> Result<Vec<ObjectionEntry>> {
    collect(
        conn,
        "SELECT id, purpose, decision, reasons, decided_on FROM objections WHERE person_id = ?1 ORDER BY id",
        person,
        |r| {
            Ok(ObjectionEntry {
                id: r.get(0)?,
                purpose: r.get(1)?,
                decision: r.get(2)?,
                reasons: r.get(3)?,
                decided_on: r.get(4)?,
            })
        },
    )
}

/// The person's legal holds, for the access pack.
fn legal_holds_of(conn: &Connection, person: i64) -> Result<Vec<LegalHoldEntry>> {
    collect(
        conn,
        "SELECT id, reason, placed_on, lifted_on, review_on, lift_note FROM legal_holds WHERE person_id = ?1 ORDER BY id",
        person,
        |r| {
            Ok(LegalHoldEntry {
                id: r.get(0)?,
                reason: r.get(1)?,
                placed_on: r.get(2)?,
                review_on: r.get(4)?,
                lift_note: r.get(5)?,
                lifted_on: r.get(3)?,
            })
        },
    )
}

fn full_name(conn: &Connection, id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT title, given_name, family_name FROM people WHERE id = ?1",
            [id],
            |r| {
                Ok(display_name(
                    r.get::<_, Option<String>>(0)?.as_deref(),
                    &r.get::<_, String>(1)?,
                    &r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?)
}

impl Store {
    /// Every piece of data held about `person`, for the data protection lead answering the
    /// open access request `request` about them. Audited as a view of special category and
    /// criminal offence data.
    pub fn full_record_for_request(&self, person: i64, request: i64) -> Result<FullRecord> {
        let (core, subject) = self.request_for(request, RequestKind::Access, "compile subject access packs")?;
        if subject != person {
            return Err(StoreError::invalid(format!(
                "Request {} is about someone else: open the request made by this person.",
                core.id
            )));
        }
        let conn = &self.conn;
        let record = people::load_record(conn, person)?;
        /// The person's own row: restriction, how and when the data was obtained, timestamps.
        struct Head {
            restricted: bool,
            restricted_on: Option<NaiveDate>,
            how: String,
            on: NaiveDate,
            from_person: Option<i64>,
            from_text: Option<String>,
            referral: Option<i64>,
            created_at: NaiveDateTime,
            updated_at: NaiveDateTime,
            last_contact: Option<NaiveDate>,
        }
        let h = conn.query_row(
            "SELECT restricted, restricted_on, obtained_how, obtained_on, obtained_from_person, obtained_from_text,
                    obtained_referral, created_at, updated_at, last_contact FROM people WHERE id = ?1",
            [person],
            |r| {
                Ok(Head {
                    restricted: r.get("restricted")?,
                    restricted_on: r.get("restricted_on")?,
                    how: r.get("obtained_how")?,
                    on: r.get("obtained_on")?,
                    from_person: r.get("obtained_from_person")?,
                    from_text: r.get("obtained_from_text")?,
                    referral: r.get("obtained_referral")?,
                    created_at: r.get("created_at")?,
                    updated_at: r.get("updated_at")?,
                    last_contact: r.get("last_contact")?,
                })
            },
        )?;
        let from_person_name = match h.from_person {
            Some(id) => full_name(conn, id)?,
            None => None,
        };
        let categories = categories_of(conn, self.profile(), person)?;
        let relationships = relationships_of(conn, person)?;
        let contacts = contacts_of(conn, person)?;
        let callbacks = callbacks_of(conn, person)?;
        let services = services_of(conn, person)?;
        let health_notes = health_notes_of(conn, person)?;
        let dbs_checks = people::dbs_of(conn, person)?;
        let referrals = collect(
            conn,
            "SELECT f.id, CASE WHEN f.person_id = ?1 THEN 'subject' ELSE 'referrer' END, f.person_id, f.referrer_id,
                    f.referrer_kind, f.referrer_org, f.services, f.urgency, f.notes, f.status, f.received_on
             FROM referrals f WHERE f.person_id = ?1 OR f.referrer_id = ?1 ORDER BY f.received_on, f.id",
            person,
            |r| {
                Ok((
                    ReferralEntry {
                        id: r.get(0)?,
                        role: r.get(1)?,
                        person_name: None,
                        referrer_name: None,
                        referrer_kind: r.get(4)?,
                        referrer_org: r.get(5)?,
                        services: r.get(6)?,
                        urgency: r.get(7)?,
                        notes: r.get(8)?,
                        status: r.get(9)?,
                        received_on: r.get(10)?,
                    },
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            },
        )?;
        let mut referral_entries = Vec::with_capacity(referrals.len());
        for (mut e, pid, rid) in referrals {
            e.person_name = full_name(conn, pid)?;
            if let Some(rid) = rid {
                e.referrer_name = full_name(conn, rid)?;
            }
            referral_entries.push(e);
        }
        let consents = consents_of(conn, person)?;
        let notices = notices_of(conn, person)?;
        let disclosures = disclosures_of(conn, person)?;
        let requests = requests_of(conn, person)?;
        let objections = objections_of(conn, person)?;
        let legal_holds = legal_holds_of(conn, person)?;
        let retention_keeps = collect(
            conn,
            "SELECT decided_on, reason, next_review FROM retention_keeps WHERE person_id = ?1 ORDER BY id",
            person,
            |r| {
                Ok(RetentionKeepEntry {
                    decided_on: r.get(0)?,
                    reason: r.get(1)?,
                    next_review: r.get(2)?,
                })
            },
        )?;
        let health_note_removals = collect(
            conn,
            "SELECT removed_on, reason FROM health_note_removals WHERE person_id = ?1 ORDER BY id",
            person,
            |r| {
                Ok(HealthNoteRemovalEntry {
                    removed_on: r.get(0)?,
                    reason: r.get(1)?,
                })
            },
        )?;
        let audit_entries = audit_about(conn, person)?;
        let now = self.clock().now();
        let mut fields = vec!["full_record"];
        if !health_notes.is_empty() {
            fields.push("health");
        }
        if !dbs_checks.is_empty() {
            fields.push("criminal_offence");
        }
        audit::append(
            conn,
            now,
            Some(self.actor().user_id),
            audit::Action::ViewSensitive,
            "person",
            Some(person),
            &fields,
        )?;
        Ok(FullRecord {
            person_id: person,
            request_id: request,
            record,
            categories,
            restricted: h.restricted,
            restricted_on: h.restricted_on,
            obtained: ObtainedInfo {
                how: h.how,
                on: h.on,
                from_person_id: h.from_person,
                from_person_name,
                from_text: h.from_text,
                referral_id: h.referral,
            },
            created_at: h.created_at,
            updated_at: h.updated_at,
            last_contact: h.last_contact,
            relationships,
            contacts,
            callbacks,
            services,
            health_notes,
            dbs_checks,
            referrals: referral_entries,
            consents,
            notices,
            disclosures,
            requests,
            objections,
            legal_holds,
            retention_keeps,
            health_note_removals,
            publications: collect(
                conn,
                "SELECT id, purpose, what, published_on, taken_down_on FROM publications WHERE person_id = ?1 ORDER BY id",
                person,
                |r| {
                    Ok(PublicationEntry {
                        id: r.get(0)?,
                        purpose: r.get(1)?,
                        what: r.get(2)?,
                        published_on: r.get(3)?,
                        taken_down_on: r.get(4)?,
                    })
                },
            )?,
            tasks: collect(
                conn,
                "SELECT id, kind, about, created_at, due_on, done_on, outcome FROM tasks WHERE person_id = ?1 ORDER BY id",
                person,
                |r| {
                    Ok(TaskEntry {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        about: r.get(2)?,
                        created_at: r.get(3)?,
                        due_on: r.get(4)?,
                        done_on: r.get(5)?,
                        outcome: r.get(6)?,
                    })
                },
            )?,
            referral_events: collect(
                conn,
                "SELECT e.referral_id, e.status, e.on_date, e.reason FROM referral_events e
                 JOIN referrals f ON f.id = e.referral_id WHERE f.person_id = ?1 ORDER BY e.id",
                person,
                |r| {
                    Ok(ReferralEventEntry {
                        referral_id: r.get(0)?,
                        status: r.get(1)?,
                        on_date: r.get(2)?,
                        reason: r.get(3)?,
                    })
                },
            )?,
            exemption_reviews: collect(
                conn,
                "SELECT v.notice_id, v.exemption, v.outcome, v.note, v.reviewed_on, v.next_review_on
                 FROM notice_exemption_reviews v JOIN article14_notices n ON n.id = v.notice_id
                 WHERE n.person_id = ?1 ORDER BY v.id",
                person,
                |r| {
                    Ok(ExemptionReviewEntry {
                        notice_id: r.get(0)?,
                        exemption: r.get(1)?,
                        outcome: r.get(2)?,
                        note: r.get(3)?,
                        reviewed_on: r.get(4)?,
                        next_review_on: r.get(5)?,
                    })
                },
            )?,
            dbs_applications: collect(
                conn,
                "SELECT id, level, roles, applied_on, closed_on FROM dbs_applications WHERE person_id = ?1 ORDER BY id",
                person,
                |r| {
                    Ok(DbsApplicationEntry {
                        id: r.get(0)?,
                        level: r.get(1)?,
                        roles: r.get(2)?,
                        applied_on: r.get(3)?,
                        closed_on: r.get(4)?,
                    })
                },
            )?,
            request_pauses: collect(
                conn,
                "SELECT p.request_id, p.asked_on, p.received_on FROM request_pauses p
                 JOIN rights_requests q ON q.id = p.request_id WHERE q.person_id = ?1 ORDER BY p.id",
                person,
                |r| {
                    Ok(PauseEntry {
                        request_id: r.get(0)?,
                        asked_on: r.get(1)?,
                        received_on: r.get(2)?,
                    })
                },
            )?,
            breaches: collect(
                conn,
                "SELECT b.id, b.what, b.aware_at, b.risk, b.reported_at FROM breaches b
                 WHERE (b.everyone = 1 AND (SELECT created_at FROM people WHERE id = ?1) <= coalesce(b.happened_at, b.aware_at))
                    OR b.id IN (SELECT breach_id FROM breach_people WHERE person_id = ?1) ORDER BY b.id",
                person,
                |r| {
                    Ok(BreachEntry {
                        breach_id: r.get(0)?,
                        what: r.get(1)?,
                        aware_at: r.get(2)?,
                        risk: r.get(3)?,
                        reported_at: r.get(4)?,
                    })
                },
            )?,
            complaints: collect(
                conn,
                "SELECT id, received_on, about, acknowledged_on, outcome, outcome_on FROM complaints WHERE person_id = ?1 ORDER BY id",
                person,
                |r| {
                    Ok(ComplaintEntry {
                        id: r.get(0)?,
                        received_on: r.get(1)?,
                        about: r.get(2)?,
                        acknowledged_on: r.get(3)?,
                        outcome: r.get(4)?,
                        outcome_on: r.get(5)?,
                    })
                },
            )?,
            request_letters: collect(
                conn,
                "SELECT l.request_id, l.kind, l.due_on, l.sent_on, l.sent_how FROM request_letters l
                 JOIN rights_requests q ON q.id = l.request_id WHERE q.person_id = ?1 ORDER BY l.id",
                person,
                |r| {
                    Ok(LetterEntry {
                        request_id: r.get(0)?,
                        kind: r.get(1)?,
                        due_on: r.get(2)?,
                        sent_on: r.get(3)?,
                        sent_how: r.get(4)?,
                    })
                },
            )?,
            enquiries: super::enquiries::enquiry_rows(conn, person)?,
            group_memberships: super::groups::membership_rows(conn, person)?,
            donations: super::donations::donation_rows(conn, person)?,
            merge_conflicts: collect(
                conn,
                "SELECT id, tbl, col, base, theirs, found_at FROM sync_conflicts
                 WHERE person_id = ?1 AND resolved_at IS NULL ORDER BY id",
                person,
                |r| {
                    let column: Option<String> = r.get(2)?;
                    let found: chrono::NaiveDateTime = r.get(5)?;
                    Ok(MergeConflictEntry {
                        id: r.get(0)?,
                        what: super::sync::conflicts::describe(&r.get::<_, String>(1)?, column.as_deref()),
                        was: super::sync::conflicts::shown(&r.get(3)?),
                        other_laptop: super::sync::conflicts::shown(&r.get(4)?),
                        found_on: found.date(),
                    })
                },
            )?,
            audit: audit_entries,
        })
    }
}

/// The audit entries about a person and every row about them, oldest first. One query joined
/// on the audit index, so thousands of contact-log entries cost milliseconds.
fn audit_about(conn: &Connection, person: i64) -> Result<Vec<audit::Entry>> {
    let mut st = conn.prepare_cached(
        "WITH subj(entity, eid) AS (
            SELECT 'person', ?1 UNION ALL SELECT 'health_notes', ?1 UNION ALL SELECT 'dbs_checks', ?1
            UNION ALL SELECT 'contact', id FROM contacts WHERE person_id = ?1
            UNION ALL SELECT 'callback', id FROM callbacks WHERE person_id = ?1
            UNION ALL SELECT 'relationship', id FROM relationships WHERE person_id = ?1 OR other_id = ?1
            UNION ALL SELECT 'health_note', id FROM health_notes WHERE person_id = ?1
            UNION ALL SELECT 'dbs_check', id FROM dbs_checks WHERE person_id = ?1
            UNION ALL SELECT 'service', id FROM services WHERE person_id = ?1
            UNION ALL SELECT 'rights_request', id FROM rights_requests WHERE person_id = ?1
            UNION ALL SELECT 'objection', id FROM objections WHERE person_id = ?1
            UNION ALL SELECT 'consent', id FROM consents WHERE person_id = ?1
            UNION ALL SELECT 'disclosure', id FROM disclosures WHERE person_id = ?1
            UNION ALL SELECT 'referral', id FROM referrals WHERE person_id = ?1
            UNION ALL SELECT 'legal_hold', id FROM legal_holds WHERE person_id = ?1
            UNION ALL SELECT 'retention_keep', id FROM retention_keeps WHERE person_id = ?1
            UNION ALL SELECT 'notice', id FROM article14_notices WHERE person_id = ?1
            UNION ALL SELECT 'article14_notice', id FROM article14_notices WHERE person_id = ?1
            UNION ALL SELECT 'task', id FROM tasks WHERE person_id = ?1
            UNION ALL SELECT 'publication', id FROM publications WHERE person_id = ?1
            UNION ALL SELECT 'dbs_application', id FROM dbs_applications WHERE person_id = ?1
            UNION ALL SELECT 'enquiry', id FROM enquiries WHERE person_id = ?1
            UNION ALL SELECT 'group_member', id FROM group_members WHERE person_id = ?1
            UNION ALL SELECT 'donation', id FROM donations WHERE person_id = ?1
            UNION ALL SELECT 'sync_conflict', id FROM sync_conflicts WHERE person_id = ?1)
         SELECT DISTINCT a.id, a.at, a.user_id, a.action, a.entity, a.entity_id, a.fields
         FROM subj s JOIN audit_log a ON a.entity = s.entity AND a.entity_id = s.eid
         ORDER BY a.id",
    )?;
    let rows = st.query_map(params![person], |r| {
        Ok(audit::Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            user_id: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            fields: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
