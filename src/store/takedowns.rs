//! Taking publications down. A photo or story published under a consent purpose stays "live"
//! until it is taken down. Restricting a person (Article 18: "temporarily removing it from our
//! website, if it has been published") and erasing them each leave one takedown task per live
//! publication on the handover; after an erasure the task keeps only ids (the publication's
//! number, its purpose and date), never what it showed. Completing the task, or the follow-up
//! of a consent withdrawal, marks the publications taken down.

use super::audit;
use super::error::Result;
use super::ids::new_id;
use crate::profile::Profile;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection};

/// The task kind stored in `tasks.kind`.
pub const TAKEDOWN: &str = "takedown";

/// One takedown task per live publication of `person`, due on `due_on`. With `keep_person`
/// (a restriction) the task names the person and what was published; without (an erasure,
/// about to remove both) it keeps only the publication's id, purpose and date.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_takedown_tasks(
    conn: &Connection,
    profile: &Profile,
    person: i64,
    request_id: Option<i64>,
    keep_person: bool,
    due_on: NaiveDate,
    now: NaiveDateTime,
    user: i64,
) -> Result<usize> {
    let mut st = conn.prepare_cached(
        "SELECT id, purpose, what, published_on FROM publications
         WHERE person_id = ?1 AND taken_down_on IS NULL ORDER BY id",
    )?;
    let live: Vec<(i64, String, String, NaiveDate)> = st
        .query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, purpose, what, on) in &live {
        let label = profile
            .consent_purpose(purpose)
            .map_or_else(|| purpose.clone(), |p| p.label.clone());
        let about = if keep_person {
            format!(
                "Take down \"{what}\" ({label}, published {}): the record is restricted",
                on.format("%d/%m/%Y")
            )
        } else {
            format!(
                "Take down publication #{id} ({label}, published {}): the person was erased",
                on.format("%d/%m/%Y")
            )
        };
        conn.execute(
            concat!(
                "INSERT INTO tasks (id, kind, person_id, request_id, about, created_at, due_on, publication_id)
             VALUES (",
                new_id!("tasks"),
                ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ),
            params![
                TAKEDOWN,
                keep_person.then_some(person),
                request_id,
                about,
                now,
                due_on,
                id
            ],
        )?;
        audit::append(
            conn,
            now,
            Some(user),
            audit::Action::Create,
            "task",
            Some(conn.last_insert_rowid()),
            &["kind", "request_id", "publication_id"],
        )?;
    }
    Ok(live.len())
}

/// When a task is done: the publication it was for (a takedown), or every live publication of
/// the withdrawn consent's purpose (a withdrawal's follow-up), is taken down today.
pub(crate) fn mark_taken_down(conn: &Connection, task_id: i64, today: NaiveDate) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE publications SET taken_down_on = ?1
         WHERE taken_down_on IS NULL AND id IN (
             SELECT p.id FROM publications p JOIN tasks t ON t.id = ?2
             WHERE p.id = t.publication_id
                OR (t.publication_id IS NULL AND t.purpose IS NOT NULL AND p.person_id = t.person_id AND p.purpose = t.purpose))",
        params![today, task_id],
    )?)
}
