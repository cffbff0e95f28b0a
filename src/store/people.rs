//! People: create, change and read person records, and the person view the screens show.
//! Every read is filtered through the profile's access matrix for the acting user; every
//! change writes an audit entry (field names only) in the same transaction. Relationships,
//! the contact log and sensitive data live in their own modules.

pub use super::consents::ConsentEvent;
use super::error::{Result, StoreError};
use super::ids::new_id;
use super::person_rows::write_record;
pub(crate) use super::person_rows::{categories_of, load_record};
use super::{audit, search, Store};
use crate::domain::article14;
use crate::domain::person::{display_name, Obtained, PersonRecord};
use crate::domain::{retention, Category, ContactKind, FieldGroup, RelationKind};
use crate::profile::AccessMatrix;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeSet;

/// A person as the acting user may see them. Fields of groups not in `visible` are empty, and
/// sections the role may not see are `None`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonView {
    pub id: i64,
    pub visible: BTreeSet<FieldGroup>,
    pub record: PersonRecord,
    pub restricted: bool,
    pub obtained_indirectly: bool,
    pub obtained_on: NaiveDate,
    pub obtained_from: Option<(i64, String)>,
    pub obtained_from_text: Option<String>,
    pub obtained_referral: Option<i64>,
    pub last_contact: Option<NaiveDate>,
    pub retention_review: Option<NaiveDate>,
    pub legal_hold: bool,
    /// The referral still waiting when the person is in the client category only because
    /// they were referred (a client once it is accepted).
    pub pending_referral: Option<i64>,
    /// Where that referral stands (new, contacted, declined, withdrawn).
    pub pending_status: Option<crate::domain::referral::ReferralStatus>,
    pub relationships: Vec<Relation>,
    pub contacts: Option<Vec<ContactEntry>>,
    pub callbacks: Vec<Callback>,
    pub services: Option<Vec<super::services::ServiceEntry>>,
    /// How many health notes there are, when the role may see them (the notes themselves
    /// come from [`Store::reveal_health`], which asks for a reason and is audited).
    pub health_notes: Option<usize>,
    pub dbs_checks: Option<Vec<DbsCheck>>,
    pub notice: Option<NoticeSummary>,
    pub open_requests: Vec<RequestSummary>,
}

impl PersonView {
    pub fn name(&self) -> String {
        self.record.display_name()
    }
    pub fn sees(&self, g: FieldGroup) -> bool {
        self.visible.contains(&g)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Relation {
    pub id: i64,
    pub kind: RelationKind,
    /// True when this person is the second party (the relative, the volunteer, ...).
    pub inverse: bool,
    pub other_id: i64,
    pub other_name: String,
    /// The other person's first phone number, where the acting user may see it.
    pub other_phone: Option<String>,
    /// For an assigned volunteer: the services they are assigned for ("driving, shopping").
    pub services: Option<String>,
    /// How the other person is related ("daughter"), when that was said.
    pub relation: Option<String>,
}

impl Relation {
    pub fn label(&self) -> &'static str {
        if self.inverse {
            self.kind.inverse_label()
        } else {
            self.kind.label()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContactEntry {
    pub id: i64,
    pub kind: ContactKind,
    pub at: NaiveDateTime,
    pub note: Option<String>,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Callback {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub about: String,
    pub due_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HealthNote {
    pub id: i64,
    pub note: String,
    pub recorded_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DbsCheck {
    pub id: i64,
    /// The roles it covers ("Driver, Shopper").
    pub service_role: String,
    pub certificate_number: String,
    pub issue_date: NaiveDate,
    pub renewal_due: NaiveDate,
    /// `None` for checks recorded before levels and outcomes were.
    pub level: Option<crate::domain::DbsLevel>,
    pub outcome: Option<crate::domain::DbsOutcome>,
    pub decision: Option<String>,
    pub update_service: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeSummary {
    pub status: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestSummary {
    pub id: i64,
    pub kinds: String,
    pub received_on: NaiveDate,
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref()
}

impl Store {
    pub(crate) fn check_categories(&self, cats: &[Category]) -> Result<()> {
        for c in cats {
            if self.profile().category(*c).is_none() {
                return Err(StoreError::invalid(format!(
                    "The organisation profile does not use the category \"{}\": choose one it lists.",
                    c.key()
                )));
            }
        }
        Ok(())
    }

    /// Refuses fields that none of the person's categories collects (data minimisation: the
    /// profile says what is collected about whom).
    pub(crate) fn check_collected(&self, rec: &PersonRecord) -> Result<()> {
        let present = [
            (
                FieldGroup::Address,
                rec.address.is_some() || rec.postcode.is_some(),
                "an address",
            ),
            (FieldGroup::Phone, !rec.phones.is_empty(), "a phone number"),
            (FieldGroup::Email, rec.email.is_some(), "an email address"),
            (FieldGroup::DateOfBirth, rec.date_of_birth.is_some(), "a date of birth"),
            (FieldGroup::Organisation, rec.organisation.is_some(), "an organisation"),
            (FieldGroup::Correspondence, rec.notes.is_some(), "notes"),
        ];
        for (group, given, what) in present {
            let collected = rec
                .categories
                .iter()
                .any(|c| self.profile().category(*c).is_some_and(|r| r.collects(group)));
            if given && !collected {
                let cats: Vec<&str> = rec
                    .categories
                    .iter()
                    .map(|c| self.profile().category_label(*c))
                    .collect();
                let cats = cats.join(" / ").to_lowercase();
                let article = if cats.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                return Err(StoreError::invalid(format!(
                    "The privacy notice does not collect {what} for {article} {cats}: leave it empty, or add a category that does."
                )));
            }
        }
        Ok(())
    }

    /// Whether the acting user may file or change people of these categories: they must
    /// receive the person's name under at least one of them (the data protection lead always).
    pub(crate) fn may_write(&self, cats: &[Category]) -> bool {
        AccessMatrix::answers_rights(self.actor().role)
            || self.access().can_see(self.actor().role, cats, FieldGroup::Name)
    }

    /// Files a new person. Indirect collection creates the Article 14 notice obligation.
    pub fn create_person(&mut self, rec: &PersonRecord, obtained: &Obtained, obtained_on: NaiveDate) -> Result<i64> {
        self.check_categories(&rec.categories)?;
        self.check_collected(rec)?;
        if !self.may_write(&rec.categories) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                "file people in these categories".into(),
            ));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let id = insert_person(tx, rec, obtained, obtained_on, now)?;
            if obtained.is_indirect() {
                create_notice_obligation(tx, id, obtained, obtained_on, now)?;
            }
            audit::append(tx, now, Some(user), audit::Action::Create, "person", Some(id), &[])?;
            Ok(id)
        })
    }

    /// Replaces a person's record. The audit entry names the fields that changed.
    pub fn update_person(&mut self, id: i64, rec: &PersonRecord) -> Result<()> {
        let (_, merged, changed) = self.prepare_update(id, rec)?;
        if changed.is_empty() {
            return Ok(());
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            write_update(tx, id, &merged, now)?;
            audit::append(tx, now, Some(user), audit::Action::Change, "person", Some(id), &changed)?;
            Ok(())
        })
    }

    /// Checks an edit as [`Store::update_person`] does and returns the stored record, the
    /// record as it would be written and the names of the fields that change; writes nothing.
    /// (Rectification uses it to change the record and the request in one transaction.)
    pub(crate) fn prepare_update(
        &self,
        id: i64,
        rec: &PersonRecord,
    ) -> Result<(PersonRecord, PersonRecord, Vec<&'static str>)> {
        let current = self.person(id)?;
        if current.restricted {
            return Err(StoreError::Restricted);
        }
        self.check_categories(&rec.categories)?;
        if !self.may_write(&rec.categories)
            || current.visible.len() < 2 && !AccessMatrix::answers_rights(self.actor().role)
        {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                "change this person".into(),
            ));
        }
        // Fields the role cannot see are kept as they are, never blanked by an edit.
        let stored = load_record(&self.conn, id)?;
        let merged = merge_visible(&stored, rec, &current.visible);
        self.check_collected(&merged)?;
        let changed = changed_fields(&stored, &merged);
        Ok((stored, merged, changed))
    }

    /// A person, shown to the acting user because they asked to see them (opened their
    /// record): [`Store::person`], and if the view includes DBS checks (criminal offence data),
    /// one audit entry recording that view. Reloading the screen after a change reads with
    /// [`Store::person`] and records nothing more.
    pub fn view_person(&self, id: i64) -> Result<PersonView> {
        let view = self.person(id)?;
        if view.dbs_checks.as_ref().is_some_and(|c| !c.is_empty()) {
            audit::append(
                &self.conn,
                self.clock().now(),
                Some(self.actor().user_id),
                audit::Action::ViewSensitive,
                "dbs_checks",
                Some(id),
                &["criminal_offence"],
            )?;
        }
        Ok(view)
    }

    /// A person as the acting user may see them. Restricted people are visible only to the
    /// data protection lead; people the role receives nothing about are "not found". Reads
    /// only: it writes nothing, not even an audit entry (see [`Store::view_person`]).
    pub fn person(&self, id: i64) -> Result<PersonView> {
        let role = self.actor().role;
        let row = self
            .conn
            .query_row(
                "SELECT restricted, obtained_how, obtained_on, obtained_from_person, obtained_from_text,
                        obtained_referral, last_contact
                 FROM people WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, bool>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, NaiveDate>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, Option<NaiveDate>>(6)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("person", id))?;
        let (restricted, how, obtained_on, from_person, from_text, referral, last_contact) = row;
        if restricted && !self.access().sees_restricted(role) {
            return Err(StoreError::NotFound("person", id));
        }
        let cats = categories_of(&self.conn, id)?;
        let visible: BTreeSet<FieldGroup> = self.access().record_groups(role, &cats).into_iter().collect();
        if !visible.contains(&FieldGroup::Name) {
            return Err(StoreError::NotFound("person", id));
        }
        let full = load_record(&self.conn, id)?;
        let record = blank_invisible(&full, &visible);
        let legal_hold = has_legal_hold(&self.conn, id)?;
        let (pending_referral, pending_status): (Option<i64>, Option<String>) = self
            .conn
            .query_row(
                "SELECT c.pending_referral, r.status FROM person_categories c LEFT JOIN referrals r ON r.id = c.pending_referral
                 WHERE c.person_id = ?1 AND c.category = 'client'",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or_default();
        let pending_status = pending_status.and_then(|s| crate::domain::referral::ReferralStatus::parse(&s));
        let months = self.profile().retention_for(&full.categories).review_after_months();
        let kept_until: Option<NaiveDate> = self.conn.query_row(
            "SELECT max(next_review) FROM retention_keeps WHERE person_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let retention_review = last_contact
            .or(Some(obtained_on))
            .and_then(|d| retention::review_due(d, months, legal_hold))
            .map(|due| kept_until.map_or(due, |k| k.max(due)));
        let obtained_from = match from_person {
            Some(pid) => self.name_if_visible(pid)?.map(|n| (pid, n)),
            None => None,
        };
        let relationships = self.relations_of(id)?;
        let contacts = if visible.contains(&FieldGroup::Correspondence) {
            Some(self.contacts_of(id, 50)?)
        } else {
            None
        };
        let callbacks = if visible.contains(&FieldGroup::Correspondence) {
            self.open_callbacks(Some(id))?
        } else {
            Vec::new()
        };
        let services = if visible.contains(&FieldGroup::Services) {
            Some(self.services_of(id)?)
        } else {
            None
        };
        let health_notes = if visible.contains(&FieldGroup::Health) {
            Some(
                self.conn
                    .query_row("SELECT count(*) FROM health_notes WHERE person_id = ?1", [id], |r| {
                        r.get::<_, i64>(0)
                    })? as usize,
            )
        } else {
            None
        };
        let dbs_checks = if visible.contains(&FieldGroup::CriminalOffence) {
            Some(dbs_of(&self.conn, id)?)
        } else {
            None
        };
        let notice = self
            .conn
            .query_row(
                "SELECT status, due_on FROM article14_notices WHERE person_id = ?1",
                [id],
                |r| {
                    Ok(NoticeSummary {
                        status: r.get(0)?,
                        due_on: r.get(1)?,
                    })
                },
            )
            .optional()?;
        let open_requests = open_requests_of(&self.conn, id)?;
        Ok(PersonView {
            id,
            visible,
            record,
            restricted,
            obtained_indirectly: how == "indirect",
            obtained_on,
            obtained_from,
            obtained_from_text: from_text,
            obtained_referral: referral,
            last_contact,
            retention_review,
            legal_hold,
            pending_referral,
            pending_status,
            relationships,
            contacts,
            callbacks,
            services,
            health_notes,
            dbs_checks,
            notice,
            open_requests,
        })
    }

    /// A person's display name, if the acting user may see it.
    pub fn name_if_visible(&self, id: i64) -> Result<Option<String>> {
        match self.person_name_checked(id) {
            Ok(n) => Ok(Some(n)),
            Err(StoreError::NotFound(..)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn person_name_checked(&self, id: i64) -> Result<String> {
        let role = self.actor().role;
        let (title, given, family, restricted): (Option<String>, String, String, bool) = self
            .conn
            .query_row(
                "SELECT title, given_name, family_name, restricted FROM people WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("person", id))?;
        let cats = categories_of(&self.conn, id)?;
        if restricted && !self.access().sees_restricted(role) || !self.access().can_see(role, &cats, FieldGroup::Name) {
            return Err(StoreError::NotFound("person", id));
        }
        Ok(display_name(opt(&title), &given, &family))
    }

    /// The person, if not restricted and the role receives their correspondence.
    pub(crate) fn correspondence_writable(&self, id: i64, what: &str) -> Result<PersonView> {
        self.writable_seeing(id, FieldGroup::Correspondence, what)
    }

    /// The person, if not restricted and the role receives `group` of their record;
    /// otherwise "your role may not `what`".
    pub(crate) fn writable_seeing(&self, id: i64, group: FieldGroup, what: &str) -> Result<PersonView> {
        let p = self.writable(id)?;
        if !p.sees(group) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                what.to_string(),
            ));
        }
        Ok(p)
    }

    /// The person, if the acting user may see them and they are not restricted (Article 18).
    pub(crate) fn writable(&self, id: i64) -> Result<PersonView> {
        let p = self.person(id)?;
        if p.restricted {
            return Err(StoreError::Restricted);
        }
        Ok(p)
    }

    /// How many people the case file holds (all of them, whatever the role).
    pub fn count_people(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?)
    }
}

pub(crate) fn has_legal_hold(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM legal_holds WHERE person_id = ?1 AND lifted_on IS NULL",
        [id],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

pub(crate) fn dbs_of(conn: &Connection, id: i64) -> Result<Vec<DbsCheck>> {
    let mut st = conn.prepare_cached(
        "SELECT id, service_role, certificate_number, issue_date, renewal_due, level, outcome, decision, update_service
         FROM dbs_checks WHERE person_id = ?1 ORDER BY issue_date DESC",
    )?;
    let rows = st.query_map([id], |r| {
        let level: Option<String> = r.get(5)?;
        let outcome: Option<String> = r.get(6)?;
        Ok(DbsCheck {
            id: r.get(0)?,
            service_role: r.get(1)?,
            certificate_number: r.get(2)?,
            issue_date: r.get(3)?,
            renewal_due: r.get(4)?,
            level: level.as_deref().and_then(|l| crate::domain::DbsLevel::parse(l).ok()),
            outcome: outcome
                .as_deref()
                .and_then(|o| crate::domain::DbsOutcome::parse(o).ok()),
            decision: r.get(7)?,
            update_service: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn open_requests_of(conn: &Connection, id: i64) -> Result<Vec<RequestSummary>> {
    let mut st = conn.prepare_cached(
        "SELECT id, kinds, received_on FROM rights_requests WHERE person_id = ?1 AND status <> 'closed' ORDER BY received_on",
    )?;
    let rows = st.query_map([id], |r| {
        Ok(RequestSummary {
            id: r.get(0)?,
            kinds: r.get(1)?,
            received_on: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn insert_person(
    conn: &Connection,
    rec: &PersonRecord,
    obtained: &Obtained,
    obtained_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    let (how, from_person, from_text, referral) = match obtained {
        Obtained::Directly => ("direct", None, None, None),
        Obtained::Indirectly {
            from_person,
            from_text,
            referral,
        } => ("indirect", *from_person, from_text.clone(), *referral),
    };
    conn.prepare_cached(
        // Ids are never reused, not even an erased person's: the erasure register names people
        // by id, and a restore erases again whoever holds an erased id.
        concat!(
            "INSERT INTO people (id, given_name, family_name, obtained_how, obtained_on, obtained_from_person,
                                 obtained_from_text, obtained_referral, created_at, updated_at)
             VALUES (",
            new_id!("people", "tombstones", "person_id"),
            ", '', '', ?1, ?2, ?3, ?4, ?5, ?6, ?6)"
        ),
    )?
    .execute(params![how, obtained_on, from_person, from_text, referral, now])?;
    let id = conn.last_insert_rowid();
    write_record(conn, id, rec, now)?;
    for c in &rec.categories {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO person_categories (person_id, category, since) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, c.key(), obtained_on])?;
    }
    // Indexed from the record as stored, so that taking it out later gives FTS5 the very
    // same values.
    search::index_person(conn, id)?;
    Ok(id)
}

/// Inserts a relationship (no audit entry: the caller writes it) and gives `other` the
/// category the link implies, when the profile uses it. Returns `None` when the two are
/// already linked that way.
pub(crate) fn insert_relationship(
    conn: &Connection,
    kind: RelationKind,
    person: i64,
    other: i64,
    category: Option<Category>,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let n = conn.execute(
        concat!(
            "INSERT OR IGNORE INTO relationships (id, kind, person_id, other_id, created_at) VALUES (",
            new_id!("relationships"),
            ", ?1, ?2, ?3, ?4)"
        ),
        params![kind.key(), person, other, now],
    )?;
    if n == 0 {
        return Ok(None);
    }
    let rid = conn.last_insert_rowid();
    if let Some(cat) = category {
        conn.execute(
            "INSERT OR IGNORE INTO person_categories (person_id, category, since) VALUES (?1, ?2, ?3)",
            params![other, cat.key(), now.date()],
        )?;
    }
    Ok(Some(rid))
}

/// Creates the Article 14 notice obligation for a person whose data was obtained indirectly
/// (nothing for data obtained directly, or when one already exists). Returns the notice id
/// when one was created.
pub(crate) fn create_notice_obligation(
    conn: &Connection,
    id: i64,
    obtained: &Obtained,
    obtained_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<Option<i64>> {
    let Obtained::Indirectly {
        from_person,
        from_text,
        referral,
    } = obtained
    else {
        return Ok(None);
    };
    let due = article14::notice_due(obtained_on, None, None);
    conn.execute(
        concat!("INSERT OR IGNORE INTO article14_notices (id, person_id, obtained_on, source_person_id, source_text, referral_id,
                                                  due_on, due_reason, created_at)
         VALUES (", new_id!("article14_notices"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            id,
            obtained_on,
            from_person,
            from_text,
            referral,
            due.due,
            due.reason.key(),
            now
        ],
    )?;
    Ok((conn.changes() > 0).then(|| conn.last_insert_rowid()))
}

/// The one place the Article 14(3) rule meets the case file: a communication with the person
/// or a disclosure of their data on `on` brings a pending notice forward to `on` if that is
/// earlier than its due date (the due date is the earliest of the triggers, see
/// [`article14::notice_due`]). Returns whether a notice is still pending, so the caller can
/// warn that it should be given now.
pub(crate) fn bring_notice_forward(
    conn: &Connection,
    id: i64,
    on: NaiveDate,
    trigger: article14::Trigger,
) -> Result<bool> {
    let Some((obtained, due)): Option<(NaiveDate, NaiveDate)> = conn
        .query_row(
            "SELECT obtained_on, due_on FROM article14_notices WHERE person_id = ?1 AND status = 'pending'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    else {
        return Ok(false);
    };
    let (contact, disclosure) = match trigger {
        article14::Trigger::FirstCommunication => (Some(on), None),
        article14::Trigger::FirstDisclosure => (None, Some(on)),
        article14::Trigger::OneMonth => (None, None),
    };
    let earliest = article14::notice_due(obtained, contact, disclosure);
    if earliest.due < due {
        conn.execute(
            "UPDATE article14_notices SET due_on = ?1, due_reason = ?2 WHERE person_id = ?3 AND status = 'pending'",
            params![earliest.due, earliest.reason.key(), id],
        )?;
    }
    Ok(true)
}

/// Writes a checked record (from [`Store::prepare_update`]) and re-indexes it for search.
pub(crate) fn write_update(conn: &Connection, id: i64, rec: &PersonRecord, now: NaiveDateTime) -> Result<()> {
    search::unindex_person(conn, id)?;
    write_record(conn, id, rec, now)?;
    search::index_person(conn, id)
}

fn blank_invisible(full: &PersonRecord, visible: &BTreeSet<FieldGroup>) -> PersonRecord {
    let v = |g| visible.contains(&g);
    PersonRecord {
        title: full.title.clone(),
        given_name: full.given_name.clone(),
        family_name: full.family_name.clone(),
        aliases: full.aliases.clone(),
        address: full.address.clone().filter(|_| v(FieldGroup::Address)),
        postcode: full.postcode.clone().filter(|_| v(FieldGroup::Address)),
        phones: if v(FieldGroup::Phone) {
            full.phones.clone()
        } else {
            Vec::new()
        },
        email: full.email.clone().filter(|_| v(FieldGroup::Email)),
        date_of_birth: full.date_of_birth.filter(|_| v(FieldGroup::DateOfBirth)),
        organisation: full.organisation.clone().filter(|_| v(FieldGroup::Organisation)),
        notes: full.notes.clone().filter(|_| v(FieldGroup::Correspondence)),
        categories: full.categories.clone(),
    }
}

/// Takes the visible fields from `edit` and keeps the rest from `stored`.
fn merge_visible(stored: &PersonRecord, edit: &PersonRecord, visible: &BTreeSet<FieldGroup>) -> PersonRecord {
    let v = |g| visible.contains(&g);
    PersonRecord {
        title: edit.title.clone(),
        given_name: edit.given_name.clone(),
        family_name: edit.family_name.clone(),
        aliases: edit.aliases.clone(),
        address: if v(FieldGroup::Address) {
            edit.address.clone()
        } else {
            stored.address.clone()
        },
        postcode: if v(FieldGroup::Address) {
            edit.postcode.clone()
        } else {
            stored.postcode.clone()
        },
        phones: if v(FieldGroup::Phone) {
            edit.phones.clone()
        } else {
            stored.phones.clone()
        },
        email: if v(FieldGroup::Email) {
            edit.email.clone()
        } else {
            stored.email.clone()
        },
        date_of_birth: if v(FieldGroup::DateOfBirth) {
            edit.date_of_birth
        } else {
            stored.date_of_birth
        },
        organisation: if v(FieldGroup::Organisation) {
            edit.organisation.clone()
        } else {
            stored.organisation.clone()
        },
        notes: if v(FieldGroup::Correspondence) {
            edit.notes.clone()
        } else {
            stored.notes.clone()
        },
        categories: edit.categories.clone(),
    }
}

fn changed_fields(a: &PersonRecord, b: &PersonRecord) -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! cmp {
        ($($f:ident),*) => { $( if a.$f != b.$f { out.push(stringify!($f)); } )* };
    }
    cmp!(
        title,
        given_name,
        family_name,
        aliases,
        address,
        postcode,
        phones,
        email,
        date_of_birth,
        organisation,
        notes,
        categories
    );
    out
}
