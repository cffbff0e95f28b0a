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
            "{} {} applied here; {} {} touched.",
            r.rows,
            if r.rows == 1 { "change" } else { "changes" },
            r.people.len(),
            if r.people.len() == 1 {
                "person's record"
            } else {
                "people's records"
            }
        )];
        if !r.erased.is_empty() {
            out.push(format!(
                "{} erased on another laptop, and erased here too.",
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
                "{} {} changed differently on two laptops: this laptop's value stands until a person who may see it decides (the Merge queue on the handover).",
                r.conflicts,
                if r.conflicts == 1 { "field was" } else { "fields were" }
            ));
        }
        out
    }
}

/// A table's columns and how its rows point at people.
struct TableInfo {
    columns: Vec<String>,
    /// The column naming the person the row is about: the table's own id for `people`,
    /// `person_id` elsewhere.
    subject: Option<usize>,
    /// Columns whose person's erasure takes the row with it (`ON DELETE CASCADE`).
    cascading: Vec<usize>,
    /// Columns that only link to someone else (who referred, who gave the details, the
    /// volunteer): their erasure cuts the link (`ON DELETE SET NULL`) and keeps the row.
    links: Vec<usize>,
}

fn table_info(conn: &Connection, table: &str) -> Result<TableInfo> {
    let columns: Vec<String> = conn
        .prepare(&format!("PRAGMA table_info({table})"))?
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cascading = Vec::new();
    let mut links = Vec::new();
    let fks: Vec<(String, String, String)> = conn
        .prepare(&format!("PRAGMA foreign_key_list({table})"))?
        .query_map([], |r| Ok((r.get(2)?, r.get(3)?, r.get(6)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (target, from, on_delete) in fks {
        if target != "people" {
            continue;
        }
        if let Some(i) = columns.iter().position(|c| *c == from) {
            if on_delete.eq_ignore_ascii_case("SET NULL") {
                links.push(i);
            } else {
                cascading.push(i);
            }
        }
    }
    let subject = if table == "people" {
        Some(0)
    } else {
        columns
            .iter()
            .position(|c| c == "person_id")
            .filter(|i| cascading.contains(i))
    };
    if table == "people" {
        cascading.push(0);
    }
    Ok(TableInfo {
        columns,
        subject,
        cascading,
        links,
    })
}

/// The tables a bundle may change, each with its columns, checked against this file: a
/// change to any other table, or with another number of columns, refuses the bundle.
fn checked_infos(conn: &Connection, changes: &[Change]) -> Result<HashMap<String, TableInfo>> {
    let allowed = super::synced_tables(conn)?;
    let mut infos: HashMap<String, TableInfo> = HashMap::new();
    for c in changes {
        if !infos.contains_key(&c.table) {
            if !allowed.contains(&c.table) {
                return Err(StoreError::invalid(
                    "The bundle holds changes to a part of the case file that never travels between laptops: it is refused, and nothing was merged.",
                ));
            }
            infos.insert(c.table.clone(), table_info(conn, &c.table)?);
        }
        let n = infos[&c.table].columns.len();
        if c.old.len() != n || c.new.len() != n || c.pk.len() != n {
            return Err(StoreError::invalid(
                "The bundle was made from a case file of another shape (another version of dutydesk?): it is refused, and nothing was merged.",
            ));
        }
    }
    Ok(infos)
}

/// Whether a change is about someone erased (a column whose person's erasure takes the row
/// with it names them).
fn about_erased(info: &TableInfo, c: &Change, erased: &dyn Fn(i64) -> Result<bool>) -> Result<bool> {
    for &i in &info.cascading {
        for side in [&c.old, &c.new] {
            if let Some(p) = as_id(side.get(i).and_then(Option::as_ref)) {
                if erased(p)? {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// The change's new values with every link to someone erased cut, as their erasure cut it
/// here (a person whose details came from someone erased keeps their record).
fn links_cut(info: &TableInfo, c: &Change, erased: &dyn Fn(i64) -> Result<bool>) -> Result<Vec<Option<Value>>> {
    let mut new = c.new.clone();
    for &i in &info.links {
        if let Some(p) = as_id(new.get(i).and_then(Option::as_ref)) {
            if erased(p)? {
                new[i] = Some(Value::Null);
            }
        }
    }
    Ok(new)
}

/// The changes in the order that keeps unique values apart: removals, then changes, then
/// new rows (a row removed and made again with the same unique values goes first).
fn in_order(changes: &[Change]) -> impl Iterator<Item = &Change> {
    [Op::Delete, Op::Update, Op::Insert]
        .into_iter()
        .flat_map(move |op| changes.iter().filter(move |c| c.op == op))
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
struct Found {
    table: String,
    row_id: i64,
    column: Option<String>,
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
    let infos = checked_infos(tx, changes)?;
    let erased = |p: i64| is_erased(tx, p);
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
        let (where_sql, key) = key_clause(info, c);
        let live = current_row(tx, &c.table, info, &where_sql, &key)?;
        reindex.extend(subject_of(info, c, live.as_deref()));
    }
    // Each one's indexed values now, to write again only the rows whose values change (a
    // week's calls change last-contact dates, not names or numbers).
    let mut unindexed: Vec<(i64, [String; 5])> = Vec::new();
    for &p in &reindex {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if here {
            unindexed.push((p, search::indexed_values(tx, p)?));
        }
    }

    // 2. Everything else, field by field.
    let mut found: Vec<Found> = Vec::new();
    for c in in_order(changes) {
        if c.table == "tombstones" && c.op == Op::Insert {
            continue;
        }
        if HUB_ONLY.contains(&c.table.as_str()) && !from_hub {
            continue;
        }
        let info = &infos[&c.table];
        if about_erased(info, c, &erased)? {
            report.about_erased += 1;
            continue;
        }
        let (where_sql, key) = key_clause(info, c);
        let current = current_row(tx, &c.table, info, &where_sql, &key)?;
        // Whom the row is about: from the row here when there is one (an update names only
        // the fields it changes).
        let person = subject_of(info, c, current.as_deref());
        let owned = Change {
            new: links_cut(info, c, &erased)?,
            ..c.clone()
        };
        let c = &owned;
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
                                table: c.table.clone(),
                                row_id,
                                column: Some(info.columns[i].clone()),
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
                            table: c.table.clone(),
                            row_id,
                            column: Some(info.columns[i].clone()),
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
                        table: c.table.clone(),
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

    // 4. The search index: the rows of people whose indexed values changed are written again
    // (taken out with the values they were written from), new people's are written, and the
    // rows of people no longer here go with them.
    let before: HashMap<i64, [String; 5]> = unindexed.into_iter().collect();
    for p in reindex {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        match (before.get(&p), here) {
            (Some(old), true) => {
                let now = search::indexed_values(tx, p)?;
                if now != *old {
                    search::unindex_values(tx, p, old)?;
                    search::index_person(tx, p)?;
                }
            }
            (Some(old), false) => search::unindex_values(tx, p, old)?,
            (None, true) => search::index_person(tx, p)?,
            (None, false) => {}
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
            "This bundle does not start from the copy of the case file that the two laptops last agreed on, so nothing was merged. Export again on the laptop that made it and take that bundle in; if this happens again, tell the data protection lead (the two laptops' shared copies differ).",
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
    let infos = checked_infos(tx, changes)?;
    let is_erased = |p: i64| Ok(erased.contains(&p));
    for c in in_order(changes) {
        let info = &infos[&c.table];
        if c.table != "tombstones" && about_erased(info, c, &is_erased)? {
            continue;
        }
        let owned = Change {
            new: links_cut(info, c, &is_erased)?,
            ..c.clone()
        };
        let c = &owned;
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

/// The person a change's row is about: from the row as it is here if there is one, else from
/// the change's own values.
fn subject_of(info: &TableInfo, c: &Change, live: Option<&[Value]>) -> Option<i64> {
    let i = info.subject?;
    live.and_then(|row| as_id(row.get(i)))
        .or_else(|| as_id(c.new.get(i).and_then(Option::as_ref)))
        .or_else(|| as_id(c.old.get(i).and_then(Option::as_ref)))
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
