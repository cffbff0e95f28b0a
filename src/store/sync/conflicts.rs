//! Conflicts a merge found (the same field changed differently on two laptops), as the
//! handover lists them and a person resolves them: keep this laptop's value, take the other
//! laptop's, or type the right one. Each is shown only to roles that may see that field of
//! that person (a restricted person's, or one about no person, to the data protection lead);
//! each resolution is audited, and the three values are cleared once it is resolved.

use super::super::error::{Result, StoreError};
use super::super::person_rows::categories_of;
use super::super::{audit, search, Store};
use crate::domain::{validate, FieldGroup, Role};
use chrono::NaiveDateTime;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};

/// A conflict waiting for a person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conflict {
    pub id: i64,
    /// The laptop whose bundle it came with.
    pub from_device: i64,
    pub table: String,
    pub row_id: i64,
    /// `None`: the other laptop removed the record, and this laptop changed it.
    pub column: Option<String>,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// What changed, in words ("Email address", "Contact log entry: note").
    pub what: String,
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub found_at: NaiveDateTime,
}

/// How a person resolved a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// This laptop's value stands.
    Mine,
    /// The other laptop's value is taken (for a removed record: it is removed here too).
    Theirs,
    /// The value typed instead.
    Edited(String),
}

impl Resolution {
    fn key(&self) -> &'static str {
        match self {
            Resolution::Mine => "mine",
            Resolution::Theirs => "theirs",
            Resolution::Edited(_) => "edited",
        }
    }
}

/// The field group a table's fields belong to, for who may see a conflict; `None` for
/// records only the data protection lead keeps (rights requests, holds, notices, …).
fn group_of(table: &str, column: Option<&str>) -> Option<FieldGroup> {
    Some(match (table, column.unwrap_or("")) {
        ("people", "address" | "postcode") => FieldGroup::Address,
        ("people", "email") => FieldGroup::Email,
        ("people", "date_of_birth") => FieldGroup::DateOfBirth,
        ("people", "organisation") => FieldGroup::Organisation,
        ("people", "notes") => FieldGroup::Correspondence,
        ("people" | "person_aliases" | "relationships", _) => FieldGroup::Name,
        ("person_phones", _) => FieldGroup::Phone,
        ("contacts" | "callbacks" | "enquiries", _) => FieldGroup::Correspondence,
        ("services" | "group_members" | "donations" | "referrals" | "referral_events", _) => FieldGroup::Services,
        ("health_notes" | "health_note_removals", _) => FieldGroup::Health,
        ("dbs_checks" | "dbs_applications", _) => FieldGroup::CriminalOffence,
        _ => return None,
    })
}

/// What a table's row is, in words.
fn noun(table: &str) -> Option<&'static str> {
    Some(match table {
        "people" => return None,
        "person_aliases" => "Other name",
        "person_phones" => "Phone number",
        "relationships" => "Link",
        "contacts" => "Contact log entry",
        "callbacks" => "Callback",
        "services" => "Service",
        "health_notes" => "Health note",
        "dbs_checks" => "DBS check",
        "dbs_applications" => "DBS application",
        "consents" => "Consent",
        "referrals" => "Referral",
        "rights_requests" => "Rights request",
        "enquiries" => "Enquiry",
        "legal_holds" => "Legal hold",
        "support_groups" => "Support group",
        "group_members" => "Group membership",
        "donations" => "Donation",
        "article14_notices" => "Privacy notice",
        "tasks" => "Task",
        "complaints" => "Complaint",
        "breaches" => "Breach",
        _ => "Record",
    })
}

/// "Email address", "Contact log entry: note", "Callback (removed on the other laptop)".
pub fn describe(table: &str, column: Option<&str>) -> String {
    let field = column.map(|c| match c {
        "email" => "Email address".to_string(),
        "date_of_birth" => "Date of birth".to_string(),
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
                None => String::new(),
            }
        }
    });
    match (noun(table), field) {
        (None, Some(f)) => f,
        (None, None) => "Record (removed on the other laptop)".into(),
        (Some(n), Some(f)) => format!("{n}: {}", f.to_lowercase()),
        (Some(n), None) => format!("{n} (removed on the other laptop)"),
    }
}

/// A stored value as shown: dates day first, nothing as "(empty)".
pub fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(empty)".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => d.format("%d/%m/%Y").to_string(),
            Err(_) => s.clone(),
        },
        Value::Blob(_) => "(data)".into(),
    }
}

/// Checks a typed value for the fields whose form has a rule; others are trimmed text.
fn checked(table: &str, column: &str, typed: &str) -> Result<Value> {
    let typed = typed.trim();
    let invalid = |e: validate::InvalidInput| StoreError::invalid(e.message);
    // Empty: the field is cleared (a person who no longer has an email), except a name.
    if typed.is_empty() {
        if matches!((table, column), ("people", "given_name" | "family_name")) {
            return Err(StoreError::invalid("A name cannot be empty: type it in full."));
        }
        return Ok(Value::Null);
    }
    Ok(match (table, column) {
        ("people", "email") => Value::Text(validate::email(typed).map_err(invalid)?),
        ("people", "postcode") => Value::Text(validate::postcode(typed).map_err(invalid)?),
        ("people", "given_name" | "family_name") => Value::Text(validate::name(typed).map_err(invalid)?),
        ("person_phones", "phone") => Value::Text(validate::phone(typed).map_err(invalid)?),
        (_, _) if column.ends_with("_on") || column == "date_of_birth" => {
            Value::Text(validate::date(typed).map_err(invalid)?.format("%Y-%m-%d").to_string())
        }
        _ => Value::Text(typed.to_string()),
    })
}

/// A conflict as stored.
struct Stored {
    id: i64,
    peer: i64,
    table: String,
    row_id: i64,
    column: Option<String>,
    person: Option<i64>,
    base: Value,
    mine: Value,
    theirs: Value,
    found_at: NaiveDateTime,
}

const STORED_COLUMNS: &str = "id, peer, tbl, row_id, col, person_id, base, mine, theirs, found_at";

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        peer: r.get(1)?,
        table: r.get(2)?,
        row_id: r.get(3)?,
        column: r.get(4)?,
        person: r.get(5)?,
        base: r.get(6)?,
        mine: r.get(7)?,
        theirs: r.get(8)?,
        found_at: r.get(9)?,
    })
}

impl Store {
    /// Whether the acting role may see (and so resolve) a conflict on `table`.`column` of
    /// `person`.
    fn sees_conflict(&self, table: &str, column: Option<&str>, person: Option<i64>) -> Result<bool> {
        let role = self.actor().role;
        if role == Role::DataProtectionLead {
            return Ok(true);
        }
        let (Some(person), Some(group)) = (person, group_of(table, column)) else {
            return Ok(false);
        };
        let restricted: Option<bool> = self
            .conn
            .query_row("SELECT restricted FROM people WHERE id = ?1", [person], |r| r.get(0))
            .optional()?;
        match restricted {
            None => Ok(false),
            Some(true) if !self.access().sees_restricted(role) => Ok(false),
            Some(_) => {
                let cats = categories_of(&self.conn, person)?;
                Ok(self.access().can_see_in_record(role, &cats, group))
            }
        }
    }

    /// The conflicts waiting for a person that the acting role may see, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let rows: Vec<Stored> = self
            .conn
            .prepare(&format!(
                "SELECT {STORED_COLUMNS} FROM sync_conflicts WHERE resolved_at IS NULL ORDER BY id"
            ))?
            .query_map([], stored)?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for Stored {
            id,
            peer,
            table,
            row_id,
            column,
            person,
            base,
            mine,
            theirs,
            found_at,
        } in rows
        {
            if !self.sees_conflict(&table, column.as_deref(), person)? {
                continue;
            }
            let person_name = match person {
                Some(p) => self.name_if_visible(p)?,
                None => None,
            };
            out.push(Conflict {
                id,
                from_device: peer,
                what: describe(&table, column.as_deref()),
                table,
                row_id,
                column,
                person_id: person,
                person_name,
                base: shown(&base),
                mine: shown(&mine),
                theirs: shown(&theirs),
                found_at,
            });
        }
        Ok(out)
    }

    /// Resolves a conflict the acting role may see: this laptop's value, the other laptop's,
    /// or a typed one (checked as the form checks that field). One transaction with its audit
    /// entries; the search index follows a changed name, phone, email, postcode or address.
    pub fn resolve_conflict(&mut self, id: i64, how: Resolution) -> Result<()> {
        let row: Option<Stored> = self
            .conn
            .query_row(
                &format!("SELECT {STORED_COLUMNS} FROM sync_conflicts WHERE id = ?1 AND resolved_at IS NULL"),
                [id],
                stored,
            )
            .optional()?;
        let Some(Stored {
            table,
            row_id,
            column,
            person,
            theirs,
            ..
        }) = row
        else {
            return Err(StoreError::invalid(format!(
                "There is no open conflict {id}: it may have been resolved already."
            )));
        };
        if !self.sees_conflict(&table, column.as_deref(), person)? {
            return Err(StoreError::NotFound("conflict", id));
        }
        if !super::synced_tables(&self.conn)?.contains(&table) {
            return Err(StoreError::invalid(
                "This conflict names a table dutydesk does not merge. Please report this.",
            ));
        }
        let value = match (&how, column.as_deref()) {
            (Resolution::Mine, _) => None,
            (Resolution::Theirs, _) => Some(theirs),
            (Resolution::Edited(_), None) => {
                return Err(StoreError::invalid(
                    "The other laptop removed this record: keep it (mine) or remove it here too (theirs).",
                ))
            }
            (Resolution::Edited(typed), Some(c)) => Some(checked(&table, c, typed)?),
        };
        let indexed = matches!(table.as_str(), "people" | "person_phones" | "person_aliases");
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            let reindex = match (indexed, person) {
                (true, Some(p)) if value.is_some() => {
                    search::unindex_person(tx, p)?;
                    Some(p)
                }
                _ => None,
            };
            match (&value, column.as_deref()) {
                (None, _) => {}
                (Some(_), None) => {
                    tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [row_id])?;
                    audit::append(tx, now, Some(user), audit::Action::Delete, &table, Some(row_id), &[])?;
                }
                (Some(v), Some(c)) => {
                    tx.execute(
                        &format!("UPDATE {table} SET {c} = ?2 WHERE id = ?1"),
                        params![row_id, v],
                    )?;
                    audit::append(tx, now, Some(user), audit::Action::Change, &table, Some(row_id), &[c])?;
                }
            }
            if let Some(p) = reindex {
                let here: bool =
                    tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
                if here {
                    search::index_person(tx, p)?;
                }
            }
            tx.execute(
                "UPDATE sync_conflicts SET resolved_at = ?2, resolved_by = ?3, resolution = ?4,
                        base = NULL, mine = NULL, theirs = NULL
                 WHERE id = ?1",
                params![id, now, user, how.key()],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "sync_conflict",
                Some(id),
                &["resolution"],
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_in_words() {
        for (table, column, want) in [
            ("people", Some("email"), "Email address"),
            ("people", Some("given_name"), "Given name"),
            ("contacts", Some("note"), "Contact log entry: note"),
            ("callbacks", None, "Callback (removed on the other laptop)"),
        ] {
            assert_eq!(describe(table, column), want);
        }
    }

    #[test]
    fn values_are_shown_as_the_screens_show_them() {
        assert_eq!(shown(&Value::Null), "(empty)");
        assert_eq!(shown(&Value::Text("2026-12-01".into())), "01/12/2026");
        assert_eq!(shown(&Value::Text("Quill".into())), "Quill");
    }

    #[test]
    fn typed_values_are_checked_like_the_form() {
        assert!(checked("people", "email", "not an email").is_err());
        assert_eq!(
            checked("people", "postcode", "nn1 1aa").unwrap(),
            Value::Text("NN1 1AA".into())
        );
        assert_eq!(checked("contacts", "note", "  ").unwrap(), Value::Null);
    }
}
