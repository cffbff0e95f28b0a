//! Merging another laptop's changes into this case file, field by field.
//!
//! The session extension says which rows changed and, for each changed field, the value both
//! laptops started from (the shared base copy) and the other laptop's new one. Against this
//! file's current value, each field is one of:
//!
//! * unchanged here: the other laptop's value is taken;
//! * changed here to the same value: nothing to do;
//! * changed here differently: a **conflict**, kept with all three values, this file's value
//!   standing until a person decides (see [`super::conflicts`]). Two fields are not left to
//!   a person: the last contact and the last-changed time take the later of the two.
//!
//! So a restriction made on either laptop holds on both: the other laptop did not change the
//! flag, so the restriction is taken (and a flag changed on both was changed alike).
//!
//! Erasure comes first and always wins: a person the other laptop erased is erased here (with
//! the other laptop's tombstone and ledger entry), and no change about anyone erased on either
//! laptop is applied. Rows created on both laptops have distinct ids ([`super::super::ids`]),
//! so both survive. Triggers are off while changes are applied: the changes already hold what
//! the other laptop's triggers did.

use super::super::error::{Result, StoreError};
use super::super::{erase, search};
use super::session::{Change, Op};
use chrono::NaiveDateTime;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Tables that only the hub changes (users and the profile): taken from the hub as they come,
/// and never from another laptop.
pub const HUB_ONLY: &[&str] = &["users", "profiles"];

/// Tables whose values are in the search index.
const INDEXED: &[&str] = &["people", "person_aliases", "person_phones"];

/// What a merge did, in counts and ids (no values).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeReport {
    /// Rows created, changed or removed here.
    pub rows: usize,
    /// Fields that both laptops changed differently, waiting for a person.
    pub conflicts: usize,
    /// People the other laptop erased, erased here.
    pub erased: Vec<i64>,
    /// Changes about people erased on either laptop, left out.
    pub about_erased: usize,
    /// Changes to records this laptop no longer has (removed here), left out.
    pub removed_here: usize,
    /// Everyone whose record was touched (their search rows were made again).
    pub people: BTreeSet<i64>,
}

impl MergeReport {
    /// The merge in sentences, counts only.
    pub fn sentences(&self) -> Vec<String> {
        let r = self;
        let mut out = vec![format!(
            "{} {} changed here, for {} {}.",
            r.rows,
            if r.rows == 1 { "record" } else { "records" },
            r.people.len(),
            if r.people.len() == 1 { "person" } else { "people" }
        )];
        if !r.erased.is_empty() {
            out.push(format!(
                "{} erased on the other laptop, and erased here too.",
                if r.erased.len() == 1 {
                    "1 person was".to_string()
                } else {
                    format!("{} people were", r.erased.len())
                }
            ));
        }
        if r.about_erased > 0 {
            out.push(format!(
                "{} changes about people erased on either laptop were left out.",
                r.about_erased
            ));
        }
        if r.removed_here > 0 {
            out.push(format!(
                "{} changes to records removed on this laptop were left out.",
                r.removed_here
            ));
        }
        if r.conflicts > 0 {
            out.push(format!(
                "{} {} changed differently on both laptops: this laptop's value stands until a person decides.",
                r.conflicts,
                if r.conflicts == 1 { "field was" } else { "fields were" }
            ));
        }
        out
    }
}

/// A table's columns and which of them point at a person.
struct TableInfo {
    columns: Vec<String>,
    /// Positions of columns that hold a person's id (the table's own id for `people`).
    person_columns: Vec<usize>,
}

fn table_info(conn: &Connection, table: &str) -> Result<TableInfo> {
    let columns: Vec<String> = conn
        .prepare(&format!("PRAGMA table_info({table})"))?
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<_>>()?;
    let mut person_columns = Vec::new();
    if table == "people" {
        person_columns.push(0);
    }
    let fks: Vec<(String, String)> = conn
        .prepare(&format!("PRAGMA foreign_key_list({table})"))?
        .query_map([], |r| Ok((r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (target, from) in fks {
        if target == "people" {
            if let Some(i) = columns.iter().position(|c| *c == from) {
                person_columns.push(i);
            }
        }
    }
    Ok(TableInfo {
        columns,
        person_columns,
    })
}

fn is_erased(conn: &Connection, person: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM tombstones WHERE person_id = ?1")?
        .query_row([person], |_| Ok(()))
        .optional()?
        .is_some())
}

fn as_id(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Integer(i)) => Some(*i),
        _ => None,
    }
}

/// What to do with one field both laptops may have changed.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldMerge {
    /// Nothing to change here.
    Keep,
    /// Take this value.
    Take(Value),
    /// Both changed it differently: keep this file's value and ask a person.
    Conflict,
}

/// The rule for one field: `base` is what both laptops started from, `mine` this file's
/// value, `theirs` the other laptop's (see the module's description).
pub fn merge_field(table: &str, column: &str, base: &Value, mine: &Value, theirs: &Value) -> FieldMerge {
    if mine == theirs || theirs == base {
        return FieldMerge::Keep;
    }
    if mine == base {
        return FieldMerge::Take(theirs.clone());
    }
    match (table, column) {
        ("people", "last_contact") | ("people", "updated_at") => {
            // The later of the two (ISO dates and times compare as text).
            if later(theirs, mine) {
                FieldMerge::Take(theirs.clone())
            } else {
                FieldMerge::Keep
            }
        }
        _ => FieldMerge::Conflict,
    }
}

fn later(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(a), Value::Text(b)) => a > b,
        (Value::Text(_), Value::Null) => true,
        _ => false,
    }
}

/// A conflict to keep.
struct Found<'a> {
    table: &'a str,
    row_id: i64,
    column: Option<&'a str>,
    person: Option<i64>,
    base: Value,
    mine: Value,
    theirs: Value,
}

/// Applies `changes` (from laptop `peer`'s bundle `seq`) to this file inside the caller's
/// transaction. `from_hub`: whether the changes come from the hub (only then are users and
/// the profile taken).
pub(crate) fn merge(
    tx: &Connection,
    changes: &[Change],
    peer: i64,
    seq: i64,
    from_hub: bool,
    now: NaiveDateTime,
) -> Result<MergeReport> {
    let mut report = MergeReport::default();
    let mut infos: HashMap<String, TableInfo> = HashMap::new();
    for c in changes {
        if !infos.contains_key(&c.table) {
            infos.insert(c.table.clone(), table_info(tx, &c.table)?);
        }
    }
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;

    // 1. Erasures, before anything else.
    for c in changes.iter().filter(|c| c.table == "tombstones" && c.op == Op::Insert) {
        let Some(person) = as_id(c.new.first().and_then(Option::as_ref)) else {
            continue;
        };
        if is_erased(tx, person)? {
            continue;
        }
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [person], |r| {
            r.get(0)
        })?;
        if here {
            erase::remove_person(tx, person)?;
        }
        insert_row(tx, &infos["tombstones"], "tombstones", &c.new)?;
        report.erased.push(person);
    }

    // The search rows of people whose indexed fields may change come out now, while their
    // stored values are still the ones the rows were written from; they go back in at the end.
    let mut reindex: BTreeSet<i64> = BTreeSet::new();
    for c in changes.iter().filter(|c| INDEXED.contains(&c.table.as_str())) {
        let info = &infos[&c.table];
        for &i in &info.person_columns {
            for side in [&c.old, &c.new] {
                if let Some(p) = as_id(side.get(i).and_then(Option::as_ref)) {
                    reindex.insert(p);
                }
            }
        }
    }
    let mut unindexed = Vec::new();
    for &p in &reindex {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if here {
            search::unindex_person(tx, p)?;
            unindexed.push(p);
        }
    }

    // 2. Everything else, field by field.
    let mut found: Vec<Found<'_>> = Vec::new();
    for c in changes {
        if c.table == "tombstones" && c.op == Op::Insert {
            continue;
        }
        if HUB_ONLY.contains(&c.table.as_str()) && !from_hub {
            continue;
        }
        let info = &infos[&c.table];
        let mut about_erased = false;
        for &i in &info.person_columns {
            for side in [&c.old, &c.new] {
                if let Some(p) = as_id(side.get(i).and_then(Option::as_ref)) {
                    if is_erased(tx, p)? {
                        about_erased = true;
                    }
                }
            }
        }
        if about_erased {
            report.about_erased += 1;
            continue;
        }
        let person = info.person_columns.first().and_then(|&i| {
            as_id(c.new.get(i).and_then(Option::as_ref)).or_else(|| as_id(c.old.get(i).and_then(Option::as_ref)))
        });
        let (where_sql, key) = key_clause(info, c);
        let current = current_row(tx, &c.table, info, &where_sql, &key)?;
        let hub_wins = HUB_ONLY.contains(&c.table.as_str());
        let row_id = as_id(c.key()).unwrap_or(0);
        match c.op {
            Op::Insert => match current {
                None => {
                    if insert_row(tx, info, &c.table, &c.new)? {
                        report.rows += 1;
                    } else if c.table == "support_groups" {
                        // A group of the same name made on both laptops: both kept, this one
                        // named for where it came from.
                        let mut new = c.new.clone();
                        if let Some(i) = info.columns.iter().position(|n| n == "name") {
                            if let Some(Some(Value::Text(name))) = new.get(i) {
                                new[i] = Some(Value::Text(format!("{name} (laptop {peer})")));
                            }
                        }
                        if insert_row(tx, info, &c.table, &new)? {
                            report.rows += 1;
                        }
                    }
                    if person.is_some() {
                        report.people.extend(person);
                    }
                }
                Some(mine) => {
                    // The same row made on both laptops (a natural key, such as a category).
                    let mut sets = Vec::new();
                    for (i, name) in info.columns.iter().enumerate() {
                        let theirs = c.new.get(i).cloned().flatten().unwrap_or(Value::Null);
                        if mine[i] == theirs || c.pk.get(i) == Some(&true) {
                            continue;
                        }
                        if mine[i] == Value::Null || hub_wins {
                            sets.push((name.clone(), theirs));
                        } else if info.columns.len() > 1 && single_key(c) {
                            found.push(Found {
                                table: &c.table,
                                row_id,
                                column: Some(&info.columns[i]),
                                person,
                                base: Value::Null,
                                mine: mine[i].clone(),
                                theirs,
                            });
                        }
                    }
                    report.rows += update_row(tx, &c.table, &sets, &where_sql, &key)?;
                    report.people.extend(person);
                }
            },
            Op::Update => {
                let Some(mine) = current else {
                    report.removed_here += 1;
                    continue;
                };
                let mut sets = Vec::new();
                for (i, name) in info.columns.iter().enumerate() {
                    let Some(theirs) = c.new.get(i).cloned().flatten() else {
                        continue;
                    };
                    let base = c.old.get(i).cloned().flatten().unwrap_or(Value::Null);
                    let decision = if hub_wins {
                        FieldMerge::Take(theirs.clone())
                    } else {
                        merge_field(&c.table, name, &base, &mine[i], &theirs)
                    };
                    match decision {
                        FieldMerge::Keep => {}
                        FieldMerge::Take(v) => sets.push((name.clone(), v)),
                        FieldMerge::Conflict if single_key(c) => found.push(Found {
                            table: &c.table,
                            row_id,
                            column: Some(&info.columns[i]),
                            person,
                            base,
                            mine: mine[i].clone(),
                            theirs,
                        }),
                        // A field of a row keyed by two columns (a category's date): this
                        // file's value stands.
                        FieldMerge::Conflict => {}
                    }
                }
                report.rows += update_row(tx, &c.table, &sets, &where_sql, &key)?;
                report.people.extend(person);
            }
            Op::Delete => {
                let Some(mine) = current else {
                    continue;
                };
                let unchanged = info
                    .columns
                    .iter()
                    .enumerate()
                    .all(|(i, _)| c.old.get(i).cloned().flatten().unwrap_or(Value::Null) == mine[i]);
                if unchanged || hub_wins {
                    report.rows += tx.execute(
                        &format!("DELETE FROM {} WHERE {where_sql}", c.table),
                        rusqlite::params_from_iter(key.iter()),
                    )?;
                } else if single_key(c) {
                    // Removed there, changed here: kept until a person decides.
                    found.push(Found {
                        table: &c.table,
                        row_id,
                        column: None,
                        person,
                        base: Value::Null,
                        mine: Value::Null,
                        theirs: Value::Null,
                    });
                }
                report.people.extend(person);
            }
        }
    }

    // 3. Rows that point at something erased or gone (a step of a referral about someone
    // erased here): left out.
    report.about_erased += delete_orphans(tx, &infos)?;

    for f in &found {
        // A field already waiting for a person from an earlier bundle: the newer values stand.
        tx.prepare_cached(
            "DELETE FROM sync_conflicts WHERE tbl = ?1 AND row_id = ?2 AND col IS ?3 AND resolved_at IS NULL",
        )?
        .execute(params![f.table, f.row_id, f.column])?;
        tx.prepare_cached(
            "INSERT INTO sync_conflicts (peer, seq, tbl, row_id, col, person_id, base, mine, theirs, found_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            peer, seq, f.table, f.row_id, f.column, f.person, f.base, f.mine, f.theirs, now
        ])?;
    }
    report.conflicts = found.len();

    // 4. The search index: back in for everyone taken out or new, who is still here.
    for p in reindex
        .iter()
        .copied()
        .chain(unindexed.iter().copied())
        .collect::<BTreeSet<i64>>()
    {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if here {
            search::index_person(tx, p)?;
        }
    }
    let touched: Vec<i64> = report.people.iter().copied().collect();
    for p in touched {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if !here {
            report.people.remove(&p);
        }
    }
    Ok(report)
}

/// Applies `changes` exactly to a copy that must be where they start (the shared base copy,
/// or a copy of it kept at export): every row changed or removed must hold the changes' old
/// values, and every new row must be new. Rows about people erased on either laptop (`erased`,
/// with the changes' own tombstones) are left out, as the case files leave them out, so both
/// laptops' copies stay the same. Anything else out of step refuses the whole bundle.
pub(crate) fn apply_to_copy(tx: &Connection, changes: &[Change], erased: &BTreeSet<i64>) -> Result<()> {
    let out_of_step = || {
        StoreError::invalid(
            "The copy both laptops share is out of step with this bundle, so nothing was merged. Make the other laptop again from the hub (`dutydesk sync add-laptop`).",
        )
    };
    let mut erased = erased.clone();
    erased.extend(
        changes
            .iter()
            .filter(|c| c.table == "tombstones" && c.op == Op::Insert)
            .filter_map(|c| as_id(c.new.first().and_then(Option::as_ref))),
    );
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    let reaching = tables_reaching_people(tx)?;
    let mut infos: HashMap<String, TableInfo> = HashMap::new();
    for c in changes {
        if !infos.contains_key(&c.table) {
            infos.insert(c.table.clone(), table_info(tx, &c.table)?);
        }
        let info = &infos[&c.table];
        let about_erased = c.table != "tombstones"
            && info.person_columns.iter().any(|&i| {
                [&c.old, &c.new]
                    .iter()
                    .any(|side| as_id(side.get(i).and_then(Option::as_ref)).is_some_and(|p| erased.contains(&p)))
            });
        if about_erased {
            continue;
        }
        let (where_sql, key) = key_clause(info, c);
        let current = current_row(tx, &c.table, info, &where_sql, &key)?;
        let matches_old = |row: &[Value]| {
            info.columns
                .iter()
                .enumerate()
                .all(|(i, _)| match c.old.get(i).cloned().flatten() {
                    Some(v) => row[i] == v,
                    None => true,
                })
        };
        match (c.op, current) {
            (Op::Insert, None) => {
                if !insert_row(tx, info, &c.table, &c.new)? {
                    return Err(out_of_step());
                }
            }
            // A row the copy no longer has because the person it was about (or whose record
            // it hangs from) was erased here: an update names only the fields it changes, so
            // the person is not in it.
            (Op::Update | Op::Delete, None) if !erased.is_empty() && reaching.contains(&c.table) => {}
            (Op::Update, Some(row)) if matches_old(&row) => {
                let sets: Vec<(String, Value)> = info
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| c.pk.get(*i) != Some(&true))
                    .filter_map(|(i, name)| c.new.get(i).cloned().flatten().map(|v| (name.clone(), v)))
                    .collect();
                update_row(tx, &c.table, &sets, &where_sql, &key)?;
            }
            (Op::Delete, Some(row)) if matches_old(&row) => {
                tx.execute(
                    &format!("DELETE FROM {} WHERE {where_sql}", c.table),
                    rusqlite::params_from_iter(key.iter()),
                )?;
            }
            _ => return Err(out_of_step()),
        }
    }
    // Rows left pointing at an erased person's removed rows go, as in the case file.
    delete_orphans(tx, &infos)?;
    Ok(())
}

/// The tables whose rows are about a person: `people`, and every table whose foreign keys
/// lead there (a referral's steps through the referral).
fn tables_reaching_people(conn: &Connection) -> Result<BTreeSet<String>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut targets: HashMap<String, BTreeSet<String>> = HashMap::new();
    for t in &tables {
        let to: BTreeSet<String> = conn
            .prepare(&format!("PRAGMA foreign_key_list({t})"))?
            .query_map([], |r| r.get::<_, String>(2))?
            .collect::<rusqlite::Result<_>>()?;
        targets.insert(t.clone(), to);
    }
    let mut reaching = BTreeSet::from(["people".to_string()]);
    loop {
        let before = reaching.len();
        for (t, to) in &targets {
            if to.iter().any(|x| reaching.contains(x)) {
                reaching.insert(t.clone());
            }
        }
        if reaching.len() == before {
            return Ok(reaching);
        }
    }
}

/// Deletes the rows that point at nothing once changes are applied (a row about someone
/// erased, whose parent row went with them), in the tables the changes touched; a row of any
/// other table pointing at nothing refuses the merge. How many went.
fn delete_orphans(tx: &Connection, touched: &HashMap<String, TableInfo>) -> Result<usize> {
    if !super::session::unresolved_foreign_keys(tx)? {
        return Ok(0);
    }
    let found: Vec<(String, Option<i64>)> = tx
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut gone = 0;
    let mut without_rowid = BTreeSet::new();
    for (table, rowid) in found {
        if !touched.contains_key(&table) {
            return Err(StoreError::invalid(format!(
                "The merge would leave a row of {table} pointing at nothing, so nothing was merged. Please report this."
            )));
        }
        match rowid {
            Some(rowid) => gone += tx.execute(&format!("DELETE FROM {table} WHERE rowid = ?1"), [rowid])?,
            None => {
                without_rowid.insert(table);
            }
        }
    }
    // A table without rowids (a breach's people) names no row: each of its foreign keys
    // decides which rows point at nothing.
    for table in without_rowid {
        let fks: Vec<(String, String, String)> = tx
            .prepare(&format!("PRAGMA foreign_key_list({table})"))?
            .query_map([], |r| Ok((r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (parent, from, to) in fks {
            gone += tx.execute(
                &format!(
                    "DELETE FROM {table} WHERE {from} IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{to} = {table}.{from})"
                ),
                [],
            )?;
        }
    }
    Ok(gone)
}

fn single_key(c: &Change) -> bool {
    c.pk.iter().filter(|&&k| k).count() == 1
}

/// The `WHERE` clause naming a change's row by its primary key, and the key's values.
fn key_clause(info: &TableInfo, c: &Change) -> (String, Vec<Value>) {
    let mut parts = Vec::new();
    let mut values = Vec::new();
    for (i, is_key) in c.pk.iter().enumerate() {
        if *is_key {
            parts.push(format!("{} = ?{}", info.columns[i], values.len() + 1));
            let v = c
                .old
                .get(i)
                .cloned()
                .flatten()
                .or_else(|| c.new.get(i).cloned().flatten());
            values.push(v.unwrap_or(Value::Null));
        }
    }
    (parts.join(" AND "), values)
}

fn current_row(
    tx: &Connection,
    table: &str,
    info: &TableInfo,
    where_sql: &str,
    key: &[Value],
) -> Result<Option<Vec<Value>>> {
    let sql = format!("SELECT {} FROM {table} WHERE {where_sql}", info.columns.join(", "));
    let n = info.columns.len();
    Ok(tx
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(key.iter()), |r| {
            (0..n)
                .map(|i| r.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()?)
}

/// Inserts a whole row unless one with its key (or another unique value) is already there;
/// whether it was inserted.
fn insert_row(tx: &Connection, info: &TableInfo, table: &str, values: &[Option<Value>]) -> Result<bool> {
    let marks: Vec<String> = (1..=info.columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT OR IGNORE INTO {table} ({}) VALUES ({})",
        info.columns.join(", "),
        marks.join(", ")
    );
    let vals: Vec<Value> = (0..info.columns.len())
        .map(|i| values.get(i).cloned().flatten().unwrap_or(Value::Null))
        .collect();
    Ok(tx
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(vals.iter()))?
        > 0)
}

fn update_row(tx: &Connection, table: &str, sets: &[(String, Value)], where_sql: &str, key: &[Value]) -> Result<usize> {
    if sets.is_empty() {
        return Ok(0);
    }
    let offset = key.len();
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", offset + i + 1))
        .collect();
    let sql = format!("UPDATE {table} SET {} WHERE {where_sql}", assignments.join(", "));
    let mut vals: Vec<Value> = key.to_vec();
    vals.extend(sets.iter().map(|(_, v)| v.clone()));
    Ok(tx
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(vals.iter()))?)
}

/// Counts of changes per table, for the audit entry's field list and the report.
pub fn tables_touched(changes: &[Change]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for c in changes {
        *out.entry(c.table.clone()).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn each_field_is_merged_by_the_rule_for_it() {
        use FieldMerge::*;
        let rows: &[(&str, &str, Value, Value, Value, FieldMerge)] = &[
            // unchanged here: theirs is taken
            ("people", "email", t("a"), t("a"), t("b"), Take(t("b"))),
            // changed here only: kept
            ("people", "email", t("a"), t("c"), t("a"), Keep),
            // both to the same value: nothing
            ("people", "email", t("a"), t("b"), t("b"), Keep),
            // both differently: a person decides
            ("people", "email", t("a"), t("b"), t("c"), Conflict),
            ("contacts", "note", Value::Null, t("x"), t("y"), Conflict),
            // a restriction made on either side holds (both changing the flag change it alike)
            (
                "people",
                "restricted",
                Value::Integer(0),
                Value::Integer(1),
                Value::Integer(0),
                Keep,
            ),
            (
                "people",
                "restricted",
                Value::Integer(0),
                Value::Integer(0),
                Value::Integer(1),
                Take(Value::Integer(1)),
            ),
            // the later contact wins, without asking
            (
                "people",
                "last_contact",
                t("2026-01-01"),
                t("2026-02-01"),
                t("2026-03-01"),
                Take(t("2026-03-01")),
            ),
            (
                "people",
                "last_contact",
                t("2026-01-01"),
                t("2026-03-01"),
                t("2026-02-01"),
                Keep,
            ),
            (
                "people",
                "updated_at",
                t("2026-01-01T09:00:00"),
                t("2026-01-02T09:00:00"),
                t("2026-01-03T09:00:00"),
                Take(t("2026-01-03T09:00:00")),
            ),
        ];
        for (table, column, base, mine, theirs, want) in rows {
            assert_eq!(
                &merge_field(table, column, base, mine, theirs),
                want,
                "{table}.{column} base {base:?} mine {mine:?} theirs {theirs:?}"
            );
        }
    }
}
