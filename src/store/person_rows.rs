//! Row-level reading and writing of a person's record (the people row, aliases, phone numbers,
//! categories), with no access rules and no audit: the helpers the store's modules share. It
//! depends on nothing else in the store, so `people` and `search` both build on it without
//! depending on each other.

use super::error::{Result, StoreError};
use super::ids::new_id;
use crate::domain::person::PersonRecord;
use crate::domain::Category;
use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};

/// A person's categories, in a stable order.
pub(crate) fn categories_of(conn: &Connection, id: i64) -> Result<Vec<Category>> {
    let mut st =
        conn.prepare_cached("SELECT category FROM person_categories WHERE person_id = ?1 ORDER BY category")?;
    let rows = st.query_map([id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for r in rows {
        if let Ok(c) = Category::parse(&r?) {
            out.push(c);
        }
    }
    out.sort();
    Ok(out)
}

/// A person's stored record, whole (callers blank what the acting user may not see).
pub(crate) fn load_record(conn: &Connection, id: i64) -> Result<PersonRecord> {
    let mut rec = conn
        .query_row(
            "SELECT title, given_name, family_name, address, postcode, email, date_of_birth, organisation, notes
             FROM people WHERE id = ?1",
            [id],
            |r| {
                Ok(PersonRecord {
                    title: r.get(0)?,
                    given_name: r.get(1)?,
                    family_name: r.get(2)?,
                    address: r.get(3)?,
                    postcode: r.get(4)?,
                    email: r.get(5)?,
                    date_of_birth: r.get(6)?,
                    organisation: r.get(7)?,
                    notes: r.get(8)?,
                    ..PersonRecord::default()
                })
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound("person", id))?;
    let mut st = conn.prepare_cached("SELECT alias FROM person_aliases WHERE person_id = ?1 ORDER BY id")?;
    rec.aliases = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached("SELECT phone FROM person_phones WHERE person_id = ?1 ORDER BY id")?;
    rec.phones = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    rec.categories = categories_of(conn, id)?;
    Ok(rec)
}

/// A person's list kept in rows of its own, in order (the first phone is the main one).
#[derive(Clone, Copy)]
enum ListTable {
    Aliases,
    Phones,
}

/// Writes a person's aliases or phones, leaving rows that stay as they are: a merge with
/// another laptop then sees only what really changed (an edit to the address on one laptop
/// does not re-create the phone rows that the other laptop changed).
fn write_list(conn: &Connection, id: i64, table: ListTable, values: &[String]) -> Result<()> {
    let (select, delete_one, delete_all, insert) = match table {
        ListTable::Aliases => (
            "SELECT id, alias FROM person_aliases WHERE person_id = ?1 ORDER BY id",
            "DELETE FROM person_aliases WHERE id = ?1",
            "DELETE FROM person_aliases WHERE person_id = ?1",
            concat!(
                "INSERT INTO person_aliases (id, person_id, alias) VALUES (",
                new_id!("person_aliases"),
                ", ?1, ?2)"
            ),
        ),
        ListTable::Phones => (
            "SELECT id, phone FROM person_phones WHERE person_id = ?1 ORDER BY id",
            "DELETE FROM person_phones WHERE id = ?1",
            "DELETE FROM person_phones WHERE person_id = ?1",
            concat!(
                "INSERT INTO person_phones (id, person_id, phone) VALUES (",
                new_id!("person_phones"),
                ", ?1, ?2)"
            ),
        ),
    };
    let stored: Vec<(i64, String)> = conn
        .prepare_cached(select)?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let kept: Vec<&(i64, String)> = stored.iter().filter(|(_, v)| values.contains(v)).collect();
    let kept_values: Vec<&String> = kept.iter().map(|(_, v)| v).collect();
    // The rows that stay are the new list's first entries, in order: remove the others and
    // add what is new after them. Otherwise (a new order) the list is written again.
    let in_order = values.len() >= kept.len() && values.iter().take(kept.len()).eq(kept_values.iter().copied());
    let to_add: &[String] = if in_order {
        for (row, v) in &stored {
            if !values.contains(v) {
                conn.prepare_cached(delete_one)?.execute([row])?;
            }
        }
        &values[kept.len()..]
    } else {
        conn.prepare_cached(delete_all)?.execute([id])?;
        values
    };
    for v in to_add {
        conn.prepare_cached(insert)?.execute(params![id, v])?;
    }
    Ok(())
}

/// Writes a person's record over the stored one (the caller re-indexes it for search).
pub(crate) fn write_record(conn: &Connection, id: i64, rec: &PersonRecord, now: NaiveDateTime) -> Result<()> {
    conn.prepare_cached(
        "UPDATE people SET title = ?1, given_name = ?2, family_name = ?3, address = ?4, postcode = ?5, email = ?6,
                date_of_birth = ?7, organisation = ?8, notes = ?9, updated_at = ?10 WHERE id = ?11",
    )?
    .execute(params![
        rec.title,
        rec.given_name,
        rec.family_name,
        rec.address,
        rec.postcode,
        rec.email,
        rec.date_of_birth,
        rec.organisation,
        rec.notes,
        now,
        id
    ])?;
    write_list(conn, id, ListTable::Aliases, &rec.aliases)?;
    write_list(conn, id, ListTable::Phones, &rec.phones)?;
    let existing = categories_of(conn, id)?;
    for c in &existing {
        if !rec.categories.contains(c) {
            conn.prepare_cached("DELETE FROM person_categories WHERE person_id = ?1 AND category = ?2")?
                .execute(params![id, c.key()])?;
        }
    }
    for c in &rec.categories {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO person_categories (person_id, category, since) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, c.key(), now.date()])?;
    }
    Ok(())
}
