//! Relationships between people: linking a client or volunteer to a relative, next of kin,
//! emergency contact, referee, assigned volunteer or social/healthcare worker, and unlinking.
//! A related person the acting user may not see is left out of lists, not shown blank.

use super::error::{Result, StoreError};
use super::people::{categories_of, insert_relationship, Relation};
use super::{audit, Store};
use crate::domain::{Category, RelationKind};
use rusqlite::OptionalExtension;

impl Store {
    pub(crate) fn relations_of(&self, id: i64) -> Result<Vec<Relation>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, kind, person_id, other_id FROM relationships WHERE person_id = ?1 OR other_id = ?1 ORDER BY id",
        )?;
        let rows: Vec<(i64, String, i64, i64)> = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (rid, kind, a, b) in rows {
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
                });
            }
        }
        Ok(out)
    }

    /// Links two people: `person` is the client or volunteer, `other` their relative, contact,
    /// referee, volunteer or worker, who gains the matching category.
    pub fn link(&mut self, person: i64, kind: RelationKind, other: i64) -> Result<i64> {
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
            let services: Vec<String> = self
                .conn
                .prepare_cached("SELECT services FROM referrals WHERE person_id = ?1 AND status = 'accepted'")?
                .query_map([person], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?
                .iter()
                .flat_map(|s| s.split(',').map(|x| x.trim().to_string()).collect::<Vec<_>>())
                .filter(|s| !s.is_empty())
                .collect();
            if let Some((service, role)) = self.dbs_gap(other, &services)? {
                return Err(StoreError::invalid(format!(
                    "This volunteer cannot be assigned for {service}: no valid DBS check as a {role} is on file. Ask a DBS officer to record one, or choose another volunteer."
                )));
            }
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        let cat = kind.other_category();
        let profile_has_category = self.profile().category(cat).is_some();
        self.write(|tx| {
            let rid = insert_relationship(tx, kind, person, other, profile_has_category.then_some(cat), now)?
                .ok_or_else(|| StoreError::invalid("These two people are already linked that way."))?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "relationship",
                Some(rid),
                &["kind", "person_id", "other_id"],
            )?;
            Ok(rid)
        })
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
