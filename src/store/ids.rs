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
//! the rowid, not a scan).

/// How many ids each device's range holds.
pub const RANGE: i64 = 1_000_000_000;

/// SQL for the next id in this device's range of `$table` (a string literal, to be spliced
/// into an `INSERT` with `concat!`). With a second table and column, ids that were once in
/// that column are never given again either (an erased person's id stays theirs).
macro_rules! new_id {
    ($table:literal) => {
        concat!(
            "(SELECT coalesce((SELECT id FROM ",
            $table,
            " WHERE id BETWEEN d.lo AND d.hi ORDER BY id DESC LIMIT 1), d.lo) + 1 FROM this_device d)"
        )
    };
    ($table:literal, $also:literal, $column:literal) => {
        concat!(
            "(SELECT 1 + max(coalesce((SELECT id FROM ",
            $table,
            " WHERE id BETWEEN d.lo AND d.hi ORDER BY id DESC LIMIT 1), d.lo), coalesce((SELECT ",
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
