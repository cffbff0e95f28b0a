//! Support groups, face to face or online, and who belongs to each when. A group's name and
//! where it meets are the charity's own; who belongs is part of each member's record (their
//! services), so a member shows only to the roles that receive it. Joining and leaving are
//! contact for retention (the triggers of schema version 7).

use super::audit::Action;
use super::error::{Result, StoreError};
use super::ids::new_id;
use super::Store;
use crate::domain::GroupFormat;
use crate::domain::{validate, FieldGroup};
use crate::profile::AccessMatrix;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// A support group, with how many belong to it now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SupportGroup {
    pub id: i64,
    pub name: String,
    pub format: GroupFormat,
    /// When and where it meets, in the charity's words ("Tuesdays 10am, the library").
    pub meets: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub members: usize,
}

/// One person's membership of one group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Membership {
    pub id: i64,
    pub group_id: i64,
    pub group: String,
    pub format: GroupFormat,
    pub person_id: i64,
    /// The member's name (on a group's list).
    pub person: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl Membership {
    /// One line for a person's screen: "Tuesday group (face to face), since 03/11/2026".
    pub fn summary(&self) -> String {
        let when = match self.left_on {
            Some(l) => format!("{} to {}", self.joined_on.format("%d/%m/%Y"), l.format("%d/%m/%Y")),
            None => format!("since {}", self.joined_on.format("%d/%m/%Y")),
        };
        format!("{} ({}), {when}", self.group, self.format.label().to_lowercase())
    }
}

const MEMBERSHIP: &str = "SELECT m.id, m.group_id, g.name, g.format, m.person_id, m.joined_on,
            coalesce(m.left_on, g.closed_on)
     FROM group_members m JOIN support_groups g ON g.id = m.group_id";

fn membership(r: &rusqlite::Row<'_>) -> rusqlite::Result<Membership> {
    let format: String = r.get(3)?;
    Ok(Membership {
        id: r.get(0)?,
        group_id: r.get(1)?,
        group: r.get(2)?,
        format: GroupFormat::parse(&format).unwrap_or(GroupFormat::FaceToFace),
        person_id: r.get(4)?,
        person: String::new(),
        joined_on: r.get(5)?,
        left_on: r.get(6)?,
    })
}

impl Store {
    /// Whether the acting user runs groups: the data protection lead, and any role that
    /// receives the services of some category of person.
    pub fn runs_groups(&self) -> bool {
        let role = self.actor().role;
        AccessMatrix::answers_rights(role)
            || self
                .profile()
                .category_keys()
                .iter()
                .any(|c| self.access().can_see(role, &[*c], FieldGroup::Services))
    }

    fn require_runs_groups(&self, what: &str) -> Result<()> {
        if self.runs_groups() {
            Ok(())
        } else {
            Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                what.to_string(),
            ))
        }
    }

    /// Starts a group (its name unique among the charity's groups).
    pub fn create_group(&mut self, name: &str, format: GroupFormat, meets: &str) -> Result<i64> {
        self.require_runs_groups("start groups")?;
        let name = validate::text("name", name, validate::MAX_NAME).map_err(|e| StoreError::invalid(e.message))?;
        let meets = validate::optional_text("meets", meets, validate::MAX_LINE)
            .map_err(|e| StoreError::invalid(e.message))?
            .unwrap_or_default();
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM support_groups WHERE name = ?1 COLLATE NOCASE)",
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::invalid(format!(
                "There is already a group called \"{name}\": give this one another name."
            )));
        }
        let today = self.clock().today();
        self.write_row(Action::Create, "support_group", &["name", "format", "meets"], |tx| {
            tx.execute(
                concat!(
                    "INSERT INTO support_groups (id, name, format, meets, started_on) VALUES (",
                    new_id!("support_groups"),
                    ", ?1, ?2, ?3, ?4)"
                ),
                params![name, format.key(), meets, today],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Closes a group. Its members' rows are not written (some may be restricted, or beyond
    /// the closer's role, and a closure is no contact with them): a membership of a closed
    /// group reads as ended on the day it closed.
    pub fn close_group(&mut self, id: i64) -> Result<()> {
        self.require_runs_groups("close groups")?;
        let g = self.group(id)?;
        if g.closed_on.is_some() {
            return Err(StoreError::invalid(format!(
                "The group \"{}\" is already closed.",
                g.name
            )));
        }
        let today = self.clock().today();
        self.write_row(Action::Change, "support_group", &["closed_on"], |tx| {
            tx.execute(
                "UPDATE support_groups SET closed_on = ?1 WHERE id = ?2",
                params![today, id],
            )?;
            Ok(id)
        })?;
        Ok(())
    }

    /// One group.
    pub fn group(&self, id: i64) -> Result<SupportGroup> {
        self.groups()?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or(StoreError::NotFound("group", id))
    }

    /// Every group, open ones first, by name, with how many belong to each now.
    pub fn groups(&self) -> Result<Vec<SupportGroup>> {
        let mut st = self.conn.prepare_cached(
            "SELECT g.id, g.name, g.format, g.meets, g.started_on, g.closed_on,
                    (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.left_on IS NULL AND g.closed_on IS NULL)
             FROM support_groups g ORDER BY g.closed_on IS NOT NULL, g.name COLLATE NOCASE",
        )?;
        let rows = st.query_map([], |r| {
            let format: String = r.get(2)?;
            Ok(SupportGroup {
                id: r.get(0)?,
                name: r.get(1)?,
                format: GroupFormat::parse(&format).unwrap_or(GroupFormat::FaceToFace),
                meets: r.get(3)?,
                started_on: r.get(4)?,
                closed_on: r.get(5)?,
                members: r.get::<_, i64>(6)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a person to an open group from `on` (not while they already belong to it).
    pub fn join_group(&mut self, person: i64, group: i64, on: NaiveDate) -> Result<i64> {
        self.writable_seeing(person, FieldGroup::Services, "add people to groups")?;
        let g = self.group(group)?;
        if g.closed_on.is_some() {
            return Err(StoreError::invalid(format!("The group \"{}\" is closed.", g.name)));
        }
        if on > self.clock().today() {
            return Err(StoreError::invalid("Record joining on the day they join, not before."));
        }
        let already: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = ?1 AND person_id = ?2 AND left_on IS NULL)",
            params![group, person],
            |r| r.get(0),
        )?;
        if already {
            return Err(StoreError::invalid(format!("They already belong to \"{}\".", g.name)));
        }
        self.write_row(
            Action::Create,
            "group_member",
            &["group_id", "person_id", "joined_on"],
            |tx| {
                tx.execute(
                    concat!(
                        "INSERT INTO group_members (id, group_id, person_id, joined_on) VALUES (",
                        new_id!("group_members"),
                        ", ?1, ?2, ?3)"
                    ),
                    params![group, person, on],
                )?;
                Ok(tx.last_insert_rowid())
            },
        )
    }

    /// Records that a member left their group on `on`.
    pub fn leave_group(&mut self, membership_id: i64, on: NaiveDate) -> Result<()> {
        let m = self
            .conn
            .query_row(&format!("{MEMBERSHIP} WHERE m.id = ?1"), [membership_id], membership)
            .optional()?
            .ok_or(StoreError::NotFound("group membership", membership_id))?;
        self.writable_seeing(m.person_id, FieldGroup::Services, "change group membership")?;
        if m.left_on.is_some() {
            return Err(StoreError::invalid(format!("They have already left \"{}\".", m.group)));
        }
        if on < m.joined_on || on > self.clock().today() {
            return Err(StoreError::invalid(
                "The day they left must be between the day they joined and today.",
            ));
        }
        self.write_row(Action::Change, "group_member", &["left_on"], |tx| {
            tx.execute(
                "UPDATE group_members SET left_on = ?1 WHERE id = ?2",
                params![on, membership_id],
            )?;
            Ok(membership_id)
        })?;
        Ok(())
    }

    /// A person's groups, current first; `None` when the acting user does not receive their
    /// services.
    pub fn memberships_of(&self, person: i64) -> Result<Option<Vec<Membership>>> {
        if !self.person(person)?.sees(FieldGroup::Services) {
            return Ok(None);
        }
        membership_rows(&self.conn, person).map(Some)
    }

    /// A group's current members the acting user may see (their services), by name.
    pub fn group_members(&self, group: i64) -> Result<Vec<Membership>> {
        self.require_runs_groups("see who belongs to groups")?;
        let mut st = self.conn.prepare_cached(&format!(
            "{MEMBERSHIP} WHERE m.group_id = ?1 AND m.left_on IS NULL AND g.closed_on IS NULL ORDER BY m.joined_on"
        ))?;
        let all: Vec<Membership> = st.query_map([group], membership)?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(all.len());
        for mut m in all {
            if let Ok(p) = self.person(m.person_id) {
                if p.sees(FieldGroup::Services) && !p.restricted {
                    m.person = p.name();
                    out.push(m);
                }
            }
        }
        out.sort_by_key(|m| m.person.to_lowercase());
        Ok(out)
    }
}

/// A person's groups, current first, whoever may see them (the access pack's, and
/// [`Store::memberships_of`]'s after its check).
pub(crate) fn membership_rows(conn: &rusqlite::Connection, person: i64) -> Result<Vec<Membership>> {
    let mut st = conn.prepare_cached(&format!(
        "{MEMBERSHIP} WHERE m.person_id = ?1 ORDER BY coalesce(m.left_on, g.closed_on) IS NOT NULL, m.joined_on DESC"
    ))?;
    let rows = st.query_map([person], membership)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
