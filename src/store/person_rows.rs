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
    conn.prepare_cached("DELETE FROM person_aliases WHERE person_id = ?1")?
        .execute([id])?;
    for a in &rec.aliases {
        conn.prepare_cached(concat!(
            "INSERT INTO person_aliases (id, person_id, alias) VALUES (",
            new_id!("person_aliases"),
            ", ?1, ?2)"
        ))?
        .execute(params![id, a])?;
    }
    conn.prepare_cached("DELETE FROM person_phones WHERE person_id = ?1")?
        .execute([id])?;
    for p in &rec.phones {
        conn.prepare_cached(concat!(
            "INSERT INTO person_phones (id, person_id, phone) VALUES (",
            new_id!("person_phones"),
            ", ?1, ?2)"
        ))?
        .execute(params![id, p])?;
    }
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
