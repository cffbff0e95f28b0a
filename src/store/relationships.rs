//! Relationships between people: linking a client or volunteer to a relative, next of kin,
//! emergency contact, referee, assigned volunteer or social/healthcare worker, and unlinking.
//! A related person the acting user may not see is left out of lists, not shown blank.

use super::error::{Result, StoreError};
use super::people::{categories_of, insert_relationship, Relation};
use super::{audit, Store};
use crate::domain::{Category, FieldGroup, RelationKind};
use rusqlite::OptionalExtension;

impl Store {
    pub(crate) fn relations_of(&self, id: i64) -> Result<Vec<Relation>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, person_id, other_id, services, relation FROM relationships WHERE person_id = ?1 OR other_id = ?1 ORDER BY id",
        )?;
        type Row = (i64, String, i64, i64, Option<String>, Option<String>);
        let rows: Vec<Row> = st
            .query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (rid, kind, a, b, services, relation) in rows {
            let Ok(kind) = RelationKind::parse(&kind) else { continue };
            let (inverse, other) = if a == id { (false, b) } else { (true, a) };
            // A related person the role may not see is left out, not shown blank.
            if let Some(other_name) = self.name_if_visible(other)? {
                out.push(Relation {
                    id: rid,
                    kind,
                    inverse,
                    other_id: other,
                    other_name,
                    other_phone: self.phone_if_visible(other)?,
                    services: services.filter(|s| !s.is_empty()),
                    relation,
                });
            }
        }
        Ok(out)
    }

    /// A person's first phone number, if the acting user may see both them and their phone.
    pub(crate) fn phone_if_visible(&self, id: i64) -> Result<Option<String>> {
        if self.name_if_visible(id)?.is_none() {
            return Ok(None);
        }
        let cats = categories_of(&self.conn, id)?;
        if !self.access().can_see(self.actor().role, &cats, FieldGroup::Phone) {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT phone FROM person_phones WHERE person_id = ?1 ORDER BY id LIMIT 1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Links two people: `person` is the client or volunteer, `other` their relative, contact,
    /// referee, volunteer or worker, who gains the matching category.
    /// Records no source for the link: the terminal always asks ([`Store::link_obtained`]).
    pub fn link(&mut self, person: i64, kind: RelationKind, other: i64) -> Result<i64> {
        Ok(self.link_for(person, kind, other, &[], None)?.0)
    }

    /// Links two people, saying how we learnt of it. When what the link says about `other`
    /// (that they are someone's emergency contact, next of kin, referee...) came from someone
    /// else, `other` is owed an Article 14 notice: one is created, in the same transaction,
    /// unless they already have one. Returns the link and the notice created, if any.
    pub fn link_obtained(
        &mut self,
        person: i64,
        kind: RelationKind,
        other: i64,
        obtained: &crate::domain::person::Obtained,
    ) -> Result<(i64, Option<i64>)> {
        self.link_for(person, kind, other, &[], Some(obtained))
    }

    /// Assigns `volunteer` to `client` for `services` (from the profile's list; at least one):
    /// refused, saying why, when the volunteer has no valid DBS check for a role those
    /// services need.
    pub fn assign_volunteer_for(&mut self, client: i64, volunteer: i64, services: &[String]) -> Result<i64> {
        if services.iter().all(|s| s.trim().is_empty()) {
            return Err(StoreError::invalid(format!(
                "Say what the volunteer is assigned for: one or more of {}.",
                self.profile().services.join(", ")
            )));
        }
        Ok(self
            .link_for(client, RelationKind::AssignedVolunteer, volunteer, services, None)?
            .0)
    }

    /// As [`Store::link`]; an assigned volunteer's `services` are recorded on the link.
    fn link_for(
        &mut self,
        person: i64,
        kind: RelationKind,
        other: i64,
        services: &[String],
        obtained: Option<&crate::domain::person::Obtained>,
    ) -> Result<(i64, Option<i64>)> {
        let link = self.check_link(person, kind, other, services)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let rid = insert_link(tx, &link, now)?
                .ok_or_else(|| StoreError::invalid("These two people are already linked that way."))?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "relationship",
                Some(rid),
                &["kind", "person_id", "other_id", "services"],
            )?;
            let notice = match obtained {
                Some(o) => super::people::create_notice_obligation(tx, other, o, now.date(), now)?,
                None => None,
            };
            if let Some(nid) = notice {
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Create,
                    "article14_notice",
                    Some(nid),
                    &["person_id", "obtained_on", "source_person_id", "due_on", "due_reason"],
                )?;
            }
            Ok((rid, notice))
        })
    }

    /// Checks a link as [`Store::link`] makes it (both people writable, a volunteer to
    /// assign, the DBS checks the services need) and returns it ready to write; writes nothing.
    pub(crate) fn check_link(
        &self,
        person: i64,
        kind: RelationKind,
        other: i64,
        services: &[String],
    ) -> Result<CheckedLink> {
        if person == other {
            return Err(StoreError::invalid(
                "A person cannot be linked to themselves: choose someone else.",
            ));
        }
        self.writable(person)?;
        self.writable(other)?;
        if kind == RelationKind::AssignedVolunteer {
            let cats = categories_of(&self.conn, other)?;
            if !cats.contains(&Category::Volunteer) {
                return Err(StoreError::invalid(
                    "Only a volunteer can be assigned: file the person as a volunteer first.",
                ));
            }
            // The services the client's accepted referrals ask for need the checks the
            // profile names.
            let named = self.checked_services(services)?;
            let mut services: Vec<String> = self
                .conn
                .prepare_cached("SELECT services FROM referrals WHERE person_id = ?1 AND status = 'accepted'")?
                .query_map([person], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?
                .iter()
                .flat_map(|s| s.split(',').map(|x| x.trim().to_string()).collect::<Vec<_>>())
                .filter(|s| !s.is_empty())
                .collect();
            services.extend(named.iter().cloned());
            if let Some((service, role)) = self.dbs_gap(other, &services)? {
                return Err(StoreError::invalid(format!(
                    "This volunteer cannot be assigned for {service}: no valid DBS check as a {role} is on file. Ask a DBS officer to record one, or choose another volunteer."
                )));
            }
        }
        let cat = kind.other_category();
        let services = if kind == RelationKind::AssignedVolunteer {
            self.checked_services(services)?.join(", ")
        } else {
            String::new()
        };
        Ok(CheckedLink {
            person,
            kind,
            other,
            services,
            category: self.profile().category(cat).is_some().then_some(cat),
            relation: None,
        })
    }

    /// Whether the two are already linked that way.
    pub(crate) fn linked(&self, person: i64, kind: RelationKind, other: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM relationships WHERE kind = ?1 AND person_id = ?2 AND other_id = ?3)",
            )?
            .query_row(rusqlite::params![kind.key(), person, other], |r| r.get(0))?)
    }

    /// `services` checked against the profile's list (matched ignoring case, written as the
    /// profile writes them); blanks dropped.
    pub(crate) fn checked_services(&self, services: &[String]) -> Result<Vec<String>> {
        let known = &self.profile().services;
        let mut out: Vec<String> = Vec::new();
        for s in services.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(s)) else {
                return Err(StoreError::invalid(format!(
                    "\"{}\" is not one of the services in the organisation profile: choose one of {}.",
                    s.chars().take(30).collect::<String>(),
                    known.join(", ")
                )));
            };
            if !out.contains(k) {
                out.push(k.clone());
            }
        }
        Ok(out)
    }

    /// `relation` ("daughter") checked against the profile's `relationship_types` (ignoring
    /// case); blank is none.
    pub(crate) fn checked_relation(&self, relation: Option<&str>) -> Result<()> {
        let Some(r) = relation.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(());
        };
        let known = &self.profile().relationship_types;
        if known.iter().any(|k| k.eq_ignore_ascii_case(r)) {
            return Ok(());
        }
        Err(StoreError::invalid(format!(
            "\"{}\" is not a relationship the organisation profile lists: choose one of {}.",
            r.chars().take(30).collect::<String>(),
            known.join(", ")
        )))
    }

    /// Removes a link between two people.
    pub fn unlink(&mut self, relationship_id: i64) -> Result<()> {
        let (a, b): (i64, i64) = self
            .conn
            .query_row(
                "SELECT person_id, other_id FROM relationships WHERE id = ?1",
                [relationship_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("relationship", relationship_id))?;
        self.writable(a)?;
        self.writable(b)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute("DELETE FROM relationships WHERE id = ?1", [relationship_id])?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Delete,
                "relationship",
                Some(relationship_id),
                &[],
            )?;
            Ok(())
        })
    }
}

/// A link checked by [`Store::check_link`], ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedLink {
    pub person: i64,
    pub kind: RelationKind,
    pub other: i64,
    /// An assigned volunteer's services, as the profile writes them.
    pub services: String,
    /// The category `other` gains, when the profile uses it.
    pub category: Option<Category>,
    /// How they are related ("daughter"), from the profile's `relationship_types`.
    pub relation: Option<String>,
}

/// Writes a checked link (no audit entry: the caller writes it); `None` when the two are
/// already linked that way.
pub(crate) fn insert_link(
    tx: &rusqlite::Connection,
    link: &CheckedLink,
    now: chrono::NaiveDateTime,
) -> Result<Option<i64>> {
    let Some(rid) = insert_relationship(tx, link.kind, link.person, link.other, link.category, now)? else {
        return Ok(None);
    };
    if !link.services.is_empty() {
        tx.execute(
            "UPDATE relationships SET services = ?1 WHERE id = ?2",
            rusqlite::params![link.services, rid],
        )?;
    }
    if let Some(relation) = &link.relation {
        tx.execute(
            "UPDATE relationships SET relation = ?1 WHERE id = ?2",
            rusqlite::params![relation, rid],
        )?;
    }
    Ok(Some(rid))
}
