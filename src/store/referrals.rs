//! Referrals: taking one during a live call, moving it through its lifecycle, and listing them.
//!
//! [`Store::take_referral`] saves everything the call gave us in one transaction: the caller
//! (found or new), the person referred (found or new), their relatives, next of kin or
//! emergency contacts given on the call, the relationships between them, the referral and its
//! first event, any health notes (only for roles the profile allows), and an Article 14 notice
//! obligation for every person whose data came from someone else on this call.
//!
//! Who is filed how:
//! * the caller speaks to us, so a new caller is obtained *directly*, and gains the category
//!   their kind implies (a social or healthcare worker: professional; a relative: relative; a
//!   friend or neighbour: third party, the profile's "you have made an enquiry to us");
//! * a new person referred is obtained *indirectly* from the caller through this referral
//!   (unless they refer themselves) and, when the record names no category, is filed as a
//!   client, the category whose notice covers referrals; accepting the referral makes sure an
//!   existing person referred is a client too;
//! * new contacts given on the call are obtained indirectly from the caller (or, on a
//!   self-referral, from the person) through this referral.
//!
//! Every change writes an audit entry with ids and field names only.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::{categories_of, create_notice_obligation, insert_person, insert_relationship, load_record};
use super::{audit, Store};
use crate::domain::person::{Obtained, PersonRecord};
use crate::domain::referral::{ReferralStatus, ReferrerKind, Urgency};
use crate::domain::{validate, Category, FieldGroup, RelationKind};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

/// Someone found by searching, or a new record typed during the call.
#[derive(Debug, Clone, PartialEq, Eq)]
// Built a handful of times per call, never stored in bulk: boxing would only cost clarity.
#[allow(clippy::large_enum_variant)]
pub enum PartyRef {
    Existing(i64),
    New(PersonRecord),
}

/// A relative, next of kin or emergency contact of the person referred, given on the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeContact {
    pub person: PartyRef,
    /// One or more of `Relative`, `NextOfKin` and `EmergencyContact`: a daughter may be all
    /// three.
    pub kinds: Vec<RelationKind>,
    /// How they are related to the person referred ("daughter"), from the profile's
    /// `relationship_types`.
    pub relation: Option<String>,
}

/// Everything a referral call gives us, in the order the call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralIntake {
    /// The day the referral came in (usually today).
    pub received_on: NaiveDate,
    /// Who is calling, in relation to the person referred.
    pub caller_kind: ReferrerKind,
    /// The caller; must be `None` exactly when the person refers themselves.
    pub caller: Option<PartyRef>,
    /// The caller's organisation (a social or healthcare worker's employer).
    pub caller_organisation: Option<String>,
    /// For a relative calling: whether they are the person's next of kin.
    pub caller_is_next_of_kin: bool,
    /// For a relative or friend calling: whether they are the person's emergency contact.
    pub caller_is_emergency_contact: bool,
    /// For a relative or friend calling: how they are related ("daughter"), from the
    /// profile's `relationship_types`.
    pub caller_relation: Option<String>,
    /// The person referred.
    pub referred: PartyRef,
    /// Relatives, next of kin and emergency contacts the caller gave us.
    pub contacts: Vec<IntakeContact>,
    /// The services needed, from the profile's list (matched ignoring case).
    pub services: Vec<String>,
    /// Relevant mobility and health notes (special category data): refused unless the acting
    /// role may see health data of the person referred. Empty for none.
    pub health_notes: String,
    pub person_knows: bool,
    pub person_agrees: bool,
    pub urgency: Urgency,
    pub notes: String,
}

/// What taking a referral created.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ReferralOutcome {
    pub referral_id: i64,
    /// The person referred.
    pub person_id: i64,
    /// The caller (`None` on a self-referral).
    pub caller_id: Option<i64>,
    /// The contacts, in the order given.
    pub contact_ids: Vec<i64>,
    /// Every person created by this call.
    pub created: Vec<i64>,
    /// The Article 14 notice obligations created (one per person obtained indirectly).
    pub notices: Vec<i64>,
    /// The relationships created.
    pub relationships: Vec<i64>,
    pub health_note_id: Option<i64>,
}

/// Which referrals to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReferralFilter {
    /// Only this status.
    pub status: Option<ReferralStatus>,
    /// Only new and contacted referrals.
    pub open_only: bool,
    pub urgency: Option<Urgency>,
    /// Only referrals of this person.
    pub person_id: Option<i64>,
}

/// One referral in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReferralRow {
    pub id: i64,
    pub status: ReferralStatus,
    pub urgency: Urgency,
    pub received_on: NaiveDate,
    /// Days from receipt to today while open, or to the decision once decided.
    pub days_waiting: i64,
    pub person_id: i64,
    pub person_name: String,
    pub referrer_kind: ReferrerKind,
    pub referrer_id: Option<i64>,
    /// The referrer's name, if the acting user may see it.
    pub referrer_name: Option<String>,
    pub referrer_org: Option<String>,
    pub services: Vec<String>,
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReferralEvent {
    pub id: i64,
    pub status: ReferralStatus,
    pub on: NaiveDate,
    pub reason: Option<String>,
    /// The login of who recorded it.
    pub by: Option<String>,
}

/// A referral with everything the call recorded and its history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReferralDetail {
    pub row: ReferralRow,
    pub person_knows: bool,
    pub person_agrees: bool,
    pub notes: Option<String>,
    pub events: Vec<ReferralEvent>,
}

/// The category a new caller gains from their kind.
fn caller_category(kind: ReferrerKind) -> Option<Category> {
    match kind {
        ReferrerKind::Professional => Some(Category::Professional),
        ReferrerKind::Relative => Some(Category::Relative),
        ReferrerKind::Friend => Some(Category::ThirdParty),
        ReferrerKind::SelfReferral => None,
    }
}

fn with_category(mut rec: PersonRecord, cat: Option<Category>) -> PersonRecord {
    if let Some(c) = cat {
        if !rec.categories.contains(&c) {
            rec.categories.push(c);
            rec.categories.sort();
        }
    }
    rec
}

fn split_services(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn audit_create(
    conn: &Connection,
    now: NaiveDateTime,
    user: i64,
    entity: &str,
    id: i64,
    fields: &[&str],
) -> Result<()> {
    audit::append(conn, now, Some(user), audit::Action::Create, entity, Some(id), fields)
}

/// A referral checked and ready to file (see [`Store::take_referral`]).
struct PreparedReferral {
    caller: Option<PartyRef>,
    referred: PartyRef,
    contacts: Vec<PartyRef>,
    services: Vec<String>,
    health: String,
    notes: String,
    caller_org: Option<String>,
}

impl Store {
    /// Checks a party of the call: an existing person must be visible and not restricted; a
    /// new record must fit the profile and be one the acting user may file.
    /// The category someone given on a call is filed in: `cat` where the profile defines it,
    /// else the nearest it does (a worker as a third party, an emergency contact as a
    /// relative), else none (the form then asks for one). A perinatal charity, for one, has no
    /// "social or healthcare worker" category: a health visitor calling is a third party.
    fn filed_as(&self, cat: Category) -> Option<Category> {
        let fallbacks: &[Category] = match cat {
            Category::Professional | Category::Referee => &[Category::ThirdParty],
            Category::EmergencyContact => &[Category::Relative, Category::ThirdParty],
            Category::Relative => &[Category::ThirdParty],
            _ => &[],
        };
        std::iter::once(cat)
            .chain(fallbacks.iter().copied())
            .find(|c| self.profile().category(*c).is_some())
    }

    /// A new record's categories, each as the profile files it ([`Store::filed_as`]).
    fn filed_in_profile(&self, mut rec: PersonRecord) -> PersonRecord {
        let mut cats: Vec<Category> = rec.categories.iter().filter_map(|c| self.filed_as(*c)).collect();
        cats.sort();
        cats.dedup();
        rec.categories = cats;
        rec
    }

    fn check_party(&self, party: &PartyRef) -> Result<()> {
        match party {
            PartyRef::Existing(id) => {
                self.writable(*id)?;
            }
            PartyRef::New(rec) => {
                self.check_categories(&rec.categories)?;
                self.check_collected(rec)?;
                if !self.may_write(&rec.categories) {
                    return Err(StoreError::NotAllowed(
                        self.profile().role_label(self.actor().role).to_string(),
                        "file people in these categories".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The first step of taking a referral: every check, and the records as they will be
    /// filed (nothing is written).
    fn prepare_referral(&self, intake: &ReferralIntake) -> Result<PreparedReferral> {
        let today = self.clock().today();
        if intake.received_on > today {
            return Err(StoreError::invalid(
                "The referral date is in the future: give today's date or an earlier one.",
            ));
        }
        let self_referral = intake.caller_kind == ReferrerKind::SelfReferral;
        match (&intake.caller, self_referral) {
            (Some(_), true) => {
                return Err(StoreError::invalid(
                    "On a self-referral the caller is the person referred: leave the caller empty.",
                ))
            }
            (None, false) => {
                return Err(StoreError::invalid(
                    "Say who is calling: find them in the case file or add them as a new person.",
                ))
            }
            _ => {}
        }
        // The records as they will be filed.
        let org = validate::optional_text(
            "organisation",
            intake.caller_organisation.as_deref().unwrap_or(""),
            validate::MAX_LINE,
        )
        .map_err(|e| StoreError::invalid(e.to_string()))?;
        let caller = intake.caller.clone().map(|c| match c {
            PartyRef::New(rec) => {
                let mut rec = with_category(
                    self.filed_in_profile(rec),
                    caller_category(intake.caller_kind).and_then(|c| self.filed_as(c)),
                );
                if rec.organisation.is_none() && intake.caller_kind == ReferrerKind::Professional {
                    rec.organisation = org.clone();
                }
                PartyRef::New(rec)
            }
            existing => existing,
        });
        let referred = match intake.referred.clone() {
            PartyRef::New(mut rec) => {
                if rec.categories.is_empty() {
                    rec.categories = vec![Category::Client];
                }
                PartyRef::New(rec)
            }
            existing => existing,
        };
        let mut contacts = Vec::new();
        for c in &intake.contacts {
            let allowed = |k: &RelationKind| {
                matches!(
                    k,
                    RelationKind::Relative | RelationKind::NextOfKin | RelationKind::EmergencyContact
                )
            };
            if c.kinds.is_empty() || !c.kinds.iter().all(allowed) {
                return Err(StoreError::invalid(
                    "A contact given on a referral is a relative, next of kin or emergency contact (or more than one): choose from those.",
                ));
            }
            self.checked_relation(c.relation.as_deref())?;
            contacts.push(match c.person.clone() {
                PartyRef::New(rec) => {
                    let mut rec = self.filed_in_profile(rec);
                    for k in &c.kinds {
                        rec = with_category(rec, self.filed_as(k.other_category()));
                    }
                    PartyRef::New(rec)
                }
                existing => existing,
            });
        }
        self.checked_relation(intake.caller_relation.as_deref())?;
        if let Some(c) = &caller {
            self.check_party(c)?;
        }
        self.check_party(&referred)?;
        for c in &contacts {
            self.check_party(c)?;
        }
        let mut existing: Vec<i64> = caller
            .iter()
            .chain(std::iter::once(&referred))
            .chain(contacts.iter())
            .filter_map(|p| match p {
                PartyRef::Existing(id) => Some(*id),
                PartyRef::New(_) => None,
            })
            .collect();
        let n = existing.len();
        existing.sort_unstable();
        existing.dedup();
        if existing.len() != n {
            return Err(StoreError::invalid(
                "The same person appears twice on this referral: choose different people for the caller, the person referred and the contacts.",
            ));
        }
        // Services, in the profile's words.
        let mut services = Vec::new();
        for s in &intake.services {
            let Some(known) = self
                .profile()
                .services
                .iter()
                .find(|k| k.eq_ignore_ascii_case(s.trim()))
            else {
                return Err(StoreError::invalid(format!(
                    "\"{}\" is not one of the services in the organisation profile: choose one of {}.",
                    s.chars().take(30).collect::<String>(),
                    self.profile().services.join(", ")
                )));
            };
            if !services.contains(known) {
                services.push(known.clone());
            }
        }
        // Health notes: special category data, only for roles the profile gives it to.
        let health = validate::note("health notes", &intake.health_notes, validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        if !health.is_empty() {
            let cats = match &referred {
                PartyRef::Existing(id) => categories_of(&self.conn, *id)?,
                PartyRef::New(rec) => rec.categories.clone(),
            };
            if !self.access().can_see(self.actor().role, &cats, FieldGroup::Health) {
                return Err(StoreError::invalid(format!(
                    "Your role ({}) may not record health notes for this person: leave the health notes empty and ask someone whose role may to add them.",
                    self.profile().role_label(self.actor().role)
                )));
            }
        }
        let notes = validate::note("notes", &intake.notes, validate::MAX_NOTE)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let caller_org = match (&org, &caller) {
            (Some(o), _) => Some(o.clone()),
            (None, Some(PartyRef::New(rec))) => rec.organisation.clone(),
            (None, Some(PartyRef::Existing(id))) => load_record(&self.conn, *id)?.organisation,
            (None, None) => None,
        };
        Ok(PreparedReferral {
            caller,
            referred,
            contacts,
            services,
            health,
            notes,
            caller_org,
        })
    }

    /// Takes a referral, in one transaction: see the module documentation for who is filed
    /// how. Nothing is saved if anything is refused.
    pub fn take_referral(&mut self, intake: &ReferralIntake) -> Result<ReferralOutcome> {
        let PreparedReferral {
            caller,
            referred,
            contacts,
            services,
            health,
            notes,
            caller_org,
        } = self.prepare_referral(intake)?;
        let self_referral = intake.caller_kind == ReferrerKind::SelfReferral;
        let now = self.clock().now();
        let user = self.actor().user_id;
        let on = intake.received_on;
        let category_if_used = |c: Category| self.profile().category(c).is_some().then_some(c);
        let link_cats: Vec<(RelationKind, Option<Category>)> = RelationKind::ALL
            .iter()
            .map(|k| (*k, category_if_used(k.other_category())))
            .collect();
        let link_cat = |k: RelationKind| link_cats.iter().find(|(x, _)| *x == k).and_then(|(_, c)| *c);
        let source_phrase = format!("a referral by {}", intake.caller_kind.phrase());
        // Someone already a client (an accepted referral, or filed as one) stays one.
        let already_client = match &referred {
            PartyRef::Existing(id) => self
                .conn
                .query_row(
                    "SELECT count(*) FROM person_categories WHERE person_id = ?1 AND category = 'client' AND pending_referral IS NULL",
                    [id],
                    |r| r.get::<_, i64>(0),
                )?
                > 0,
            PartyRef::New(_) => false,
        };
        self.write(|tx| {
            let mut out = ReferralOutcome::default();

            // The caller: they are speaking to us, so obtained directly.
            let caller_id = match &caller {
                None => None,
                Some(PartyRef::Existing(id)) => Some(*id),
                Some(PartyRef::New(rec)) => {
                    let id = insert_person(tx, rec, &Obtained::Directly, on, now)?;
                    audit_create(tx, now, user, "person", id, &[])?;
                    out.created.push(id);
                    Some(id)
                }
            };
            // The person referred: from the caller, unless they called themselves.
            let mut indirect: Vec<i64> = Vec::new();
            let person_id = match &referred {
                PartyRef::Existing(id) => *id,
                PartyRef::New(rec) => {
                    let obtained = if self_referral {
                        Obtained::Directly
                    } else {
                        Obtained::Indirectly {
                            from_person: caller_id,
                            from_text: Some(source_phrase.clone()),
                            referral: None,
                        }
                    };
                    let id = insert_person(tx, rec, &obtained, on, now)?;
                    audit_create(tx, now, user, "person", id, &[])?;
                    out.created.push(id);
                    if !self_referral {
                        indirect.push(id);
                    }
                    id
                }
            };
            tx.execute(
                concat!("INSERT INTO referrals (id, person_id, referrer_id, referrer_kind, referrer_org, services, person_knows,
                                        person_agrees, urgency, notes, status, received_on, created_by, created_at)
                 VALUES (", new_id!("referrals"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'new', ?10, ?11, ?12)"),
                params![
                    person_id,
                    caller_id,
                    intake.caller_kind.key(),
                    caller_org,
                    services.join(","),
                    intake.person_knows,
                    intake.person_agrees,
                    intake.urgency.key(),
                    (!notes.is_empty()).then_some(&notes),
                    on,
                    user,
                    now
                ],
            )?;
            let rid = tx.last_insert_rowid();
            audit_create(
                tx,
                now,
                user,
                "referral",
                rid,
                &[
                    "person_id",
                    "referrer_id",
                    "referrer_kind",
                    "referrer_org",
                    "services",
                    "person_knows",
                    "person_agrees",
                    "urgency",
                    "notes",
                    "received_on",
                ],
            )?;
            tx.execute(
                concat!("INSERT INTO referral_events (id, referral_id, status, on_date, reason, by_user) VALUES (", new_id!("referral_events"), ", ?1, 'new', ?2, NULL, ?3)"),
                params![rid, on, user],
            )?;
            audit_create(
                tx,
                now,
                user,
                "referral_event",
                tx.last_insert_rowid(),
                &["referral_id", "status", "on_date"],
            )?;
            out.referral_id = rid;
            out.person_id = person_id;
            out.caller_id = caller_id;

            // Not a client until the referral is accepted (they are in the client category,
            // which is what the notice covers, with the referral pending).
            if !already_client {
                tx.execute(
                    "INSERT INTO person_categories (person_id, category, since, pending_referral) VALUES (?1, 'client', ?2, ?3)
                     ON CONFLICT (person_id, category) DO UPDATE SET pending_referral = ?3",
                    params![person_id, on, rid],
                )?;
                if matches!(referred, PartyRef::Existing(_)) {
                    audit::append(tx, now, Some(user), audit::Action::Change, "person", Some(person_id), &["categories"])?;
                }
            }
            // The services asked for, as requested services.
            for s in &services {
                tx.execute(
                    concat!("INSERT INTO services (id, person_id, service, delivered_on, by_user, status, recorded_on) VALUES (", new_id!("services"), ", ?1, ?2, ?3, ?4, 'requested', ?3)"),
                    params![person_id, s.to_lowercase(), on, user],
                )?;
                audit_create(tx, now, user, "service", tx.last_insert_rowid(), &["person_id", "service", "status"])?;
            }
            // The caller's links to the person referred.
            let caller_links: Vec<RelationKind> = match intake.caller_kind {
                ReferrerKind::Professional => vec![RelationKind::Professional],
                ReferrerKind::Relative => std::iter::once(RelationKind::Relative)
                    .chain(intake.caller_is_next_of_kin.then_some(RelationKind::NextOfKin))
                    .chain(intake.caller_is_emergency_contact.then_some(RelationKind::EmergencyContact))
                    .collect(),
                ReferrerKind::Friend => intake
                    .caller_is_emergency_contact
                    .then_some(RelationKind::EmergencyContact)
                    .into_iter()
                    .collect(),
                ReferrerKind::SelfReferral => Vec::new(),
            };
            if let Some(cid) = caller_id {
                for kind in caller_links {
                    if let Some(rel) = insert_relationship(tx, kind, person_id, cid, link_cat(kind), now)? {
                        if kind != RelationKind::Professional {
                            set_relation(tx, rel, intake.caller_relation.as_deref())?;
                        }
                        audit_create(tx, now, user, "relationship", rel, &["kind", "person_id", "other_id", "relation"])?;
                        out.relationships.push(rel);
                    }
                }
            }
            // Contacts given on the call: obtained from the caller (or the person) through it.
            for (c, given) in contacts.iter().zip(&intake.contacts) {
                let cid = match c {
                    PartyRef::Existing(id) => *id,
                    PartyRef::New(rec) => {
                        let obtained = Obtained::Indirectly {
                            from_person: caller_id.or(Some(person_id)),
                            from_text: Some(format!(
                                "{} given in {source_phrase}",
                                given.kinds.iter().map(|k| k.label().to_lowercase()).collect::<Vec<_>>().join(" and ")
                            )),
                            referral: None,
                        };
                        let id = insert_person(tx, rec, &obtained, on, now)?;
                        audit_create(tx, now, user, "person", id, &[])?;
                        out.created.push(id);
                        indirect.push(id);
                        id
                    }
                };
                out.contact_ids.push(cid);
                for kind in &given.kinds {
                    if let Some(rel) = insert_relationship(tx, *kind, person_id, cid, link_cat(*kind), now)? {
                        set_relation(tx, rel, given.relation.as_deref())?;
                        audit_create(tx, now, user, "relationship", rel, &["kind", "person_id", "other_id", "relation"])?;
                        out.relationships.push(rel);
                    }
                }
            }
            // Article 14: everyone obtained indirectly on this call is owed a notice.
            for pid in &indirect {
                tx.execute(
                    "UPDATE people SET obtained_referral = ?1 WHERE id = ?2",
                    params![rid, pid],
                )?;
                let (from_person, from_text): (Option<i64>, Option<String>) = tx.query_row(
                    "SELECT obtained_from_person, obtained_from_text FROM people WHERE id = ?1",
                    [pid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let obtained = Obtained::Indirectly {
                    from_person,
                    from_text,
                    referral: Some(rid),
                };
                if let Some(nid) = create_notice_obligation(tx, *pid, &obtained, on, now)? {
                    audit_create(
                        tx,
                        now,
                        user,
                        "article14_notice",
                        nid,
                        &[
                            "person_id",
                            "obtained_on",
                            "source_person_id",
                            "referral_id",
                            "due_on",
                            "due_reason",
                        ],
                    )?;
                    out.notices.push(nid);
                }
            }
            if !health.is_empty() {
                let hid = super::sensitive::insert_health_note(tx, person_id, &health, now, user)?;
                out.health_note_id = Some(hid);
            }
            Ok(out)
        })
    }

    /// Moves a referral on: New -> Contacted -> Accepted / Declined / Withdrawn (a new
    /// referral may also be declined or withdrawn). Each step records the date, the reason
    /// (required to decline or withdraw) and who. Accepting makes the person a client.
    pub fn advance_referral(&mut self, id: i64, to: ReferralStatus, reason: &str, on: NaiveDate) -> Result<()> {
        let (person_id, status, received_on, last_on): (i64, String, NaiveDate, Option<NaiveDate>) = self
            .conn
            .query_row(
                "SELECT person_id, status, received_on, (SELECT max(on_date) FROM referral_events WHERE referral_id = r.id)
                 FROM referrals r WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("referral", id))?;
        if self.name_if_visible(person_id)?.is_none() {
            return Err(StoreError::NotFound("referral", id));
        }
        self.correspondence_writable(person_id, "move referrals on")?;
        let from = ReferralStatus::parse(&status).unwrap_or(ReferralStatus::New);
        if !from.can_move_to(to) {
            let next: Vec<String> = from.next().iter().map(|s| s.label().to_lowercase()).collect();
            return Err(StoreError::invalid(if next.is_empty() {
                format!(
                    "This referral is already {}: take a new referral if the person needs us again.",
                    from.label().to_lowercase()
                )
            } else {
                format!(
                    "A {} referral cannot become {}: it can become {}.",
                    from.label().to_lowercase(),
                    to.label().to_lowercase(),
                    next.join(", ")
                )
            }));
        }
        let reason =
            validate::note("reason", reason, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        if to.needs_reason() && reason.chars().count() < 3 {
            return Err(StoreError::invalid(format!(
                "Give the reason the referral is {}, for example \"no longer needs help\".",
                to.label().to_lowercase()
            )));
        }
        if on > self.clock().today() {
            return Err(StoreError::invalid(
                "That date is in the future: give today's date or an earlier one.",
            ));
        }
        if on < last_on.unwrap_or(received_on).max(received_on) {
            return Err(StoreError::invalid(
                "That date is before the referral's last step: give a date on or after it.",
            ));
        }
        let client = (to == ReferralStatus::Accepted && self.profile().category(Category::Client).is_some())
            .then_some(Category::Client);
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute("UPDATE referrals SET status = ?1 WHERE id = ?2", params![to.key(), id])?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "referral",
                Some(id),
                &["status"],
            )?;
            tx.execute(
                concat!(
                    "INSERT INTO referral_events (id, referral_id, status, on_date, reason, by_user) VALUES (",
                    new_id!("referral_events"),
                    ", ?1, ?2, ?3, ?4, ?5)"
                ),
                params![id, to.key(), on, (!reason.is_empty()).then_some(&reason), user],
            )?;
            audit_create(
                tx,
                now,
                user,
                "referral_event",
                tx.last_insert_rowid(),
                &["referral_id", "status", "on_date", "reason"],
            )?;
            if let Some(c) = client {
                // Accepted: a client now (no longer waiting on a referral).
                let n = tx.execute(
                    "INSERT INTO person_categories (person_id, category, since) VALUES (?1, ?2, ?3)
                     ON CONFLICT (person_id, category) DO UPDATE SET pending_referral = NULL
                     WHERE pending_referral IS NOT NULL",
                    params![person_id, c.key(), on],
                )?;
                if n > 0 {
                    audit::append(
                        tx,
                        now,
                        Some(user),
                        audit::Action::Change,
                        "person",
                        Some(person_id),
                        &["categories"],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Assigns a volunteer to the person of an accepted referral (the same link as
    /// [`Store::link`] with [`RelationKind::AssignedVolunteer`]).
    pub fn assign_volunteer(&mut self, referral_id: i64, volunteer_id: i64) -> Result<i64> {
        let d = self.referral(referral_id)?;
        if d.row.status != ReferralStatus::Accepted {
            return Err(StoreError::invalid(
                "Only an accepted referral can have a volunteer assigned: accept it first.",
            ));
        }
        // The DBS rule is applied by `link`, once the volunteer is known to be visible.
        self.link(d.row.person_id, RelationKind::AssignedVolunteer, volunteer_id)
    }

    /// Referrals the acting user may see (their person's name must be visible to them, so
    /// restricted people's referrals show only to the data protection lead): open ones first,
    /// then by urgency and days waiting, longest first.
    pub fn referrals(&self, filter: ReferralFilter) -> Result<Vec<ReferralRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM referrals
             WHERE (?1 IS NULL OR status = ?1) AND (?2 = 0 OR status IN ('new', 'contacted'))
               AND (?3 IS NULL OR urgency = ?3) AND (?4 IS NULL OR person_id = ?4)
             ORDER BY received_on, id",
        )?;
        let ids: Vec<i64> = st
            .query_map(
                params![
                    filter.status.map(|s| s.key()),
                    filter.open_only,
                    filter.urgency.map(|u| u.key()),
                    filter.person_id
                ],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let mut rows = Vec::new();
        for id in ids {
            if let Some(row) = self.referral_row(id)? {
                rows.push(row);
            }
        }
        rows.sort_by(|a, b| {
            let key = |r: &ReferralRow| {
                (
                    !r.status.is_open(),
                    r.status,
                    std::cmp::Reverse(r.urgency),
                    std::cmp::Reverse(r.days_waiting),
                    r.id,
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(rows)
    }

    /// One referral with its history.
    pub fn referral(&self, id: i64) -> Result<ReferralDetail> {
        let row = self.referral_row(id)?.ok_or(StoreError::NotFound("referral", id))?;
        let (person_knows, person_agrees, notes): (bool, bool, Option<String>) = self.conn.query_row(
            "SELECT person_knows, person_agrees, notes FROM referrals WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut st = self.conn.prepare_cached(
            "SELECT e.id, e.status, e.on_date, e.reason, u.login FROM referral_events e
             LEFT JOIN users u ON u.id = e.by_user WHERE e.referral_id = ?1 ORDER BY e.on_date, e.id",
        )?;
        let events = st
            .query_map([id], |r| {
                Ok(ReferralEvent {
                    id: r.get(0)?,
                    status: ReferralStatus::parse(&r.get::<_, String>(1)?).unwrap_or(ReferralStatus::New),
                    on: r.get(2)?,
                    reason: r.get(3)?,
                    by: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ReferralDetail {
            row,
            person_knows,
            person_agrees,
            notes,
            events,
        })
    }

    fn referral_row(&self, id: i64) -> Result<Option<ReferralRow>> {
        /// The columns a referral's line is made from.
        struct Raw {
            person_id: i64,
            referrer_id: Option<i64>,
            kind: Option<String>,
            org: Option<String>,
            services: String,
            urgency: String,
            status: String,
            received_on: NaiveDate,
            last_on: Option<NaiveDate>,
        }
        let Some(Raw {
            person_id,
            referrer_id,
            kind,
            org,
            services,
            urgency,
            status,
            received_on,
            last_on,
        }) = self
            .conn
            .prepare_cached(
                "SELECT person_id, referrer_id, referrer_kind, referrer_org, services, urgency, status, received_on,
                        (SELECT max(on_date) FROM referral_events WHERE referral_id = r.id) AS last_on
                 FROM referrals r WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Raw {
                    person_id: r.get("person_id")?,
                    referrer_id: r.get("referrer_id")?,
                    kind: r.get("referrer_kind")?,
                    org: r.get("referrer_org")?,
                    services: r.get("services")?,
                    urgency: r.get("urgency")?,
                    status: r.get("status")?,
                    received_on: r.get("received_on")?,
                    last_on: r.get("last_on")?,
                })
            })
            .optional()?
        else {
            return Ok(None);
        };
        let Some(person_name) = self.name_if_visible(person_id)? else {
            return Ok(None);
        };
        let status = ReferralStatus::parse(&status).unwrap_or(ReferralStatus::New);
        let end = if status.is_open() {
            self.clock().today()
        } else {
            last_on.unwrap_or(received_on)
        };
        let referrer_name = match referrer_id {
            Some(r) => self.name_if_visible(r)?,
            None => None,
        };
        // The organisation belongs to the referrer: shown with their name, or when there is
        // no referrer on file.
        let referrer_org = org.filter(|_| referrer_name.is_some() || referrer_id.is_none());
        Ok(Some(ReferralRow {
            id,
            status,
            urgency: Urgency::parse(&urgency).unwrap_or(Urgency::Routine),
            received_on,
            days_waiting: (end - received_on).num_days().max(0),
            person_id,
            person_name,
            referrer_kind: kind
                .as_deref()
                .and_then(ReferrerKind::parse)
                .unwrap_or(ReferrerKind::SelfReferral),
            referrer_id,
            referrer_name,
            referrer_org,
            services: split_services(&services),
        }))
    }
}

/// Records how a linked person is related ("daughter") on a new link.
fn set_relation(tx: &rusqlite::Connection, relationship: i64, relation: Option<&str>) -> Result<()> {
    if let Some(r) = relation.map(str::trim).filter(|r| !r.is_empty()) {
        tx.execute(
            "UPDATE relationships SET relation = ?1 WHERE id = ?2",
            params![r, relationship],
        )?;
    }
    Ok(())
}
