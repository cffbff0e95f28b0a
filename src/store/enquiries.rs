//! Enquiries: someone asks about the charity's work or its support (by phone, email, social
//! media, letter or in person), and is answered, now or later. The enquirer is a person on
//! file, filed in the same transaction when they are new (their details came from them, so no
//! Article 14 notice is owed); an enquiry is their correspondence, so only the roles that
//! receive it see it. Unanswered ones wait on the handover. Receiving one is contact for
//! retention (the trigger of schema version 7).

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::insert_person;
use super::referrals::PartyRef;
use super::{audit, Store};
use crate::domain::person::Obtained;
use crate::domain::EnquiryChannel;
use crate::domain::{validate, FieldGroup};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// An enquiry as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnquiryInput {
    /// Who asked: someone on file, or a new person (filed with the enquiry).
    pub enquirer: PartyRef,
    pub channel: EnquiryChannel,
    pub received_on: NaiveDate,
    /// What they asked about, in a few words.
    pub about: String,
    /// The answer, when it was given at once (on the day received).
    pub answer: Option<String>,
}

/// One enquiry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Enquiry {
    pub id: i64,
    pub person_id: i64,
    pub received_on: NaiveDate,
    pub channel: EnquiryChannel,
    pub about: String,
    pub answered_on: Option<NaiveDate>,
    pub answer: Option<String>,
}

impl Enquiry {
    /// One line for a screen: "12/11/2026 by email: groups near Banbury (answered 13/11/2026)".
    pub fn summary(&self) -> String {
        format!(
            "{} by {}: {}{}",
            self.received_on.format("%d/%m/%Y"),
            self.channel.label().to_lowercase(),
            self.about,
            match self.answered_on {
                Some(d) => format!(" (answered {})", d.format("%d/%m/%Y")),
                None => " (not answered yet)".into(),
            }
        )
    }
}

const COLUMNS: &str = "id, person_id, received_on, channel, about, answered_on, answer";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Enquiry> {
    let channel: String = r.get(3)?;
    Ok(Enquiry {
        id: r.get(0)?,
        person_id: r.get(1)?,
        received_on: r.get(2)?,
        channel: EnquiryChannel::parse(&channel).unwrap_or(EnquiryChannel::Phone),
        about: r.get(4)?,
        answered_on: r.get(5)?,
        answer: r.get(6)?,
    })
}

impl Store {
    /// Records an enquiry, filing a new enquirer in the same transaction. Returns the
    /// enquiry's id and the enquirer's.
    pub fn record_enquiry(&mut self, input: &EnquiryInput) -> Result<(i64, i64)> {
        let about =
            validate::text("about", &input.about, validate::MAX_LINE).map_err(|e| StoreError::invalid(e.message))?;
        let answer = match &input.answer {
            Some(a) => {
                Some(validate::note("answer", a, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.message))?)
                    .filter(|a| !a.is_empty())
            }
            None => None,
        };
        self.refuse_health_words(&about)?;
        if let Some(a) = &answer {
            self.refuse_health_words(a)?;
        }
        let today = self.clock().today();
        if input.received_on > today {
            return Err(StoreError::invalid(
                "An enquiry cannot be received in the future: check the date.",
            ));
        }
        match &input.enquirer {
            PartyRef::Existing(id) => {
                self.correspondence_writable(*id, "record enquiries")?;
            }
            PartyRef::New(rec) => {
                self.check_categories(&rec.categories)?;
                self.check_collected(rec)?;
                if !self.may_write(&rec.categories) || !self.takes_enquiries_from(&rec.categories) {
                    return Err(StoreError::NotAllowed(
                        self.profile().role_label(self.actor().role).to_string(),
                        "record enquiries from people in these categories".into(),
                    ));
                }
            }
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let person = match &input.enquirer {
                PartyRef::Existing(id) => *id,
                PartyRef::New(rec) => {
                    // They gave us their own details: no Article 14 notice is owed.
                    let id = insert_person(tx, rec, &Obtained::Directly, input.received_on, now)?;
                    audit::append(tx, now, Some(user), audit::Action::Create, "person", Some(id), &[])?;
                    id
                }
            };
            tx.execute(
                concat!("INSERT INTO enquiries (id, person_id, received_on, channel, about, recorded_by, answered_on, answer, answered_by)
                 VALUES (", new_id!("enquiries"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                params![
                    person,
                    input.received_on,
                    input.channel.key(),
                    about,
                    user,
                    answer.as_ref().map(|_| input.received_on),
                    answer,
                    answer.as_ref().map(|_| user)
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "enquiry",
                Some(id),
                &["person_id", "received_on", "channel", "about", "answer"],
            )?;
            Ok((id, person))
        })
    }

    /// Whether the acting user may file a new enquirer under `categories`: the roles that
    /// receive their correspondence (an enquiry is correspondence), and the data protection
    /// lead, who sees every record.
    pub fn takes_enquiries_from(&self, categories: &[crate::domain::Category]) -> bool {
        let role = self.actor().role;
        crate::profile::AccessMatrix::answers_rights(role)
            || self.access().can_see(role, categories, FieldGroup::Correspondence)
    }

    /// Records the answer to an enquiry, given on `on`.
    pub fn answer_enquiry(&mut self, id: i64, answer: &str, on: NaiveDate) -> Result<()> {
        let e = self.enquiry(id)?;
        self.correspondence_writable(e.person_id, "answer enquiries")?;
        if e.answered_on.is_some() {
            return Err(StoreError::invalid(format!("Enquiry {id} is already answered.")));
        }
        let answer =
            validate::note("answer", answer, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.message))?;
        if answer.is_empty() {
            return Err(StoreError::invalid("Say in a few words how it was answered."));
        }
        self.refuse_health_words(&answer)?;
        if on < e.received_on || on > self.clock().today() {
            return Err(StoreError::invalid(
                "The answer's date must be between the day the enquiry came and today.",
            ));
        }
        let user = self.actor().user_id;
        self.write_row(audit::Action::Change, "enquiry", &["answered_on", "answer"], |tx| {
            tx.execute(
                "UPDATE enquiries SET answered_on = ?1, answer = ?2, answered_by = ?3 WHERE id = ?4",
                params![on, answer, user, id],
            )?;
            Ok(id)
        })?;
        Ok(())
    }

    /// An enquiry is correspondence, seen by roles that may not receive health data: words
    /// that read like health details are refused, to be recorded as a health note instead.
    fn refuse_health_words(&self, text: &str) -> Result<()> {
        match crate::domain::health_words::health_word(text, &self.profile().special_category.words) {
            Some(word) => Err(StoreError::invalid(format!(
                "\"{word}\" reads like health details: leave it out of the enquiry, and record it as a health note on their screen, where only the roles given health data see it."
            ))),
            None => Ok(()),
        }
    }

    /// One enquiry, if the acting user may see its enquirer's correspondence.
    pub fn enquiry(&self, id: i64) -> Result<Enquiry> {
        let e = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM enquiries WHERE id = ?1"), [id], row)
            .optional()?
            .ok_or(StoreError::NotFound("enquiry", id))?;
        match self.person(e.person_id) {
            Ok(p) if p.sees(FieldGroup::Correspondence) => Ok(e),
            _ => Err(StoreError::NotFound("enquiry", id)),
        }
    }

    /// A person's enquiries, newest first; `None` when the acting user does not receive their
    /// correspondence.
    pub fn enquiries_of(&self, person: i64) -> Result<Option<Vec<Enquiry>>> {
        if !self.person(person)?.sees(FieldGroup::Correspondence) {
            return Ok(None);
        }
        enquiry_rows(&self.conn, person).map(Some)
    }

    /// Every enquiry whose enquirer's correspondence the acting user receives, newest first,
    /// with the enquirer's name (`open_only`: the unanswered ones).
    pub fn enquiries(&self, open_only: bool) -> Result<Vec<(Enquiry, String)>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM enquiries WHERE (?1 = 0 OR answered_on IS NULL) ORDER BY received_on DESC, id DESC"
        ))?;
        let all: Vec<Enquiry> = st.query_map([open_only], row)?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(all.len());
        for e in all {
            if let Ok(p) = self.person(e.person_id) {
                if p.sees(FieldGroup::Correspondence) {
                    out.push((e, p.name()));
                }
            }
        }
        Ok(out)
    }

    /// The enquiries not yet answered, oldest first, as (id, person, received, channel): the
    /// handover names and filters them by who may see the enquirer's correspondence.
    pub(crate) fn unanswered_enquiries(&self) -> Result<Vec<(i64, i64, NaiveDate, EnquiryChannel)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, received_on, channel FROM enquiries WHERE answered_on IS NULL ORDER BY received_on, id",
        )?;
        let rows = st.query_map([], |r| {
            let channel: String = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                EnquiryChannel::parse(&channel).unwrap_or(EnquiryChannel::Phone),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// A person's enquiries, newest first, whoever may see them (the access pack's, and
/// [`Store::enquiries_of`]'s after its check).
pub(crate) fn enquiry_rows(conn: &rusqlite::Connection, person: i64) -> Result<Vec<Enquiry>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM enquiries WHERE person_id = ?1 ORDER BY received_on DESC, id DESC"
    ))?;
    let rows = st.query_map([person], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
