//! Row ids that stay unique when two laptops' case files are merged (see [`super::sync`]).
//!
//! Each case file knows which device it is (`this_device`: 0 for the first laptop, the hub;
//! 1, 2, … for the laptops made from it) and takes new ids only from that device's range,
//! `device × 1,000,000,000 + 1` upwards. Ids stay integers, so the search index still maps
//! rows to people, and they stay readable (laptop 2's 42nd person is 2000000042). Rows made
//! before this existed are already in device 0's range, so no id was rewritten and every audit
//! entry that names one still verifies.
//!
//! SQLite would give a new row the largest id in the table plus one, which after a merge may
//! be another laptop's; so every insert into a table that is merged names its id with
//! [`new_id!`], a subquery that finds the largest id in this device's range (a backwards seek on
//! the rowid, not a scan). Nor is an id ever given twice: a row removed (a phone number
//! replaced) would otherwise lend its id to the next row, and a merge would take the new row
//! for the old one changed. `id_marks` keeps, per table, the highest id of a row removed on
//! this laptop, kept by a trigger on every delete ([`install_marks`]).

/// How many ids each device's range holds.
pub const RANGE: i64 = 1_000_000_000;

/// SQL for the next id in this device's range of `$table` (a string literal, to be spliced
/// into an `INSERT` with `concat!`). With a second table and column, ids that were once in
/// that column are never given again either (an erased person's id stays theirs).
macro_rules! new_id {
    ($table:literal) => {
        concat!(
            "(SELECT 1 + max(coalesce((SELECT id FROM ",
            $table,
            " WHERE id BETWEEN d.lo AND d.hi ORDER BY id DESC LIMIT 1), d.lo), coalesce((SELECT last FROM id_marks WHERE tbl = '",
            $table,
            "' AND last BETWEEN d.lo AND d.hi), d.lo)) FROM this_device d)"
        )
    };
    ($table:literal, $also:literal, $column:literal) => {
        concat!(
            "(SELECT 1 + max(coalesce((SELECT id FROM ",
            $table,
            " WHERE id BETWEEN d.lo AND d.hi ORDER BY id DESC LIMIT 1), d.lo), coalesce((SELECT last FROM id_marks WHERE tbl = '",
            $table,
            "' AND last BETWEEN d.lo AND d.hi), d.lo), coalesce((SELECT ",
            $column,
            " FROM ",
            $also,
            " WHERE ",
            $column,
            " BETWEEN d.lo AND d.hi ORDER BY ",
            $column,
            " DESC LIMIT 1), d.lo)) FROM this_device d)"
        )
    };
}
pub(crate) use new_id;

/// Every table whose new rows take ids from this laptop's range.
pub const TABLES: &[&str] = &[
    "people",
    "referrals",
    "referral_events",
    "person_aliases",
    "person_phones",
    "relationships",
    "contacts",
    "callbacks",
    "services",
    "health_notes",
    "dbs_checks",
    "article14_notices",
    "consents",
    "tasks",
    "rights_requests",
    "request_pauses",
    "disclosures",
    "objections",
    "legal_holds",
    "erasure_ledger",
    "publications",
    "notice_exemption_reviews",
    "health_note_removals",
    "dbs_applications",
    "retention_keeps",
    "breaches",
    "complaints",
    "request_letters",
    "enquiries",
    "support_groups",
    "group_members",
    "donations",
];

/// The marks table and a trigger on each table of [`TABLES`] that records the ids of rows
/// removed in this laptop's range (the schema's version 8), with each table's highest id so
/// far. A new id is one past the highest of the rows there and the mark, so an id whose row
/// was removed is never given again; inserts, by far the commoner, pay nothing for it.
pub(crate) fn install_marks(tx: &rusqlite::Connection) -> super::error::Result<()> {
    tx.execute_batch("CREATE TABLE id_marks (tbl TEXT PRIMARY KEY, last INTEGER NOT NULL);")?;
    for t in TABLES {
        tx.execute_batch(&format!(
            "INSERT INTO id_marks (tbl, last) SELECT '{t}', max(id) FROM {t} WHERE id BETWEEN 0 AND {hi} HAVING max(id) IS NOT NULL;
             CREATE TRIGGER id_mark_{t} AFTER DELETE ON {t}
             WHEN OLD.id BETWEEN (SELECT lo FROM this_device) AND (SELECT hi FROM this_device)
             BEGIN
                 INSERT INTO id_marks (tbl, last) VALUES ('{t}', OLD.id)
                 ON CONFLICT (tbl) DO UPDATE SET last = max(last, excluded.last);
             END;",
            hi = RANGE - 1
        ))?;
    }
    Ok(())
}
