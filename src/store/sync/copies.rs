//! The copies of the case file kept for merging (`sync/` in the data folder): where each
//! lives, how one is opened, copied, stripped of what never travels, compared with another,
//! changed exactly by a bundle, and cleared of someone erased. All under the case file's key.

use super::super::backup;
use super::super::datadir::{self, DataDir};
use super::super::error::{Result, StoreError};
use super::super::keyslots::DbKey;
use super::{merge, session, synced_tables};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub(super) fn sync_folder(dir: &DataDir) -> PathBuf {
    dir.root().join("sync")
}

pub(super) fn base_path(dir: &DataDir, peer: i64, generation: i64) -> PathBuf {
    sync_folder(dir).join(format!("base-{peer}-g{generation}.db"))
}

pub(super) fn pending_path(dir: &DataDir, peer: i64, seq: i64) -> PathBuf {
    sync_folder(dir).join(format!("pending-{peer}-{seq}.db"))
}

/// Makes a folder (and its parents) usable by its owner only.
pub(super) fn private_folder(path: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)?;
    datadir::make_private_dir(path)?;
    Ok(())
}

/// Opens a sync copy (base or pending) under the case file's key.
pub(super) fn open_copy(path: &Path, key: &DbKey) -> Result<Connection> {
    if !path.exists() {
        return Err(StoreError::invalid(format!(
            "The shared copy {} is missing, so this laptop cannot tell what changed. Make the other laptop again from the hub (`dutydesk sync add-laptop`).",
            path.display()
        )));
    }
    let conn = backup::open_keyed_new(path, key)?;
    // What a copy deletes (an erased person) is overwritten, as in the case file.
    let _ = conn.execute_batch("PRAGMA secure_delete = ON;");
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|_| {
            StoreError::invalid(format!(
                "The shared copy {} cannot be opened with this case file's key. Make the other laptop again from the hub (`dutydesk sync add-laptop`).",
                path.display()
            ))
        })?;
    Ok(conn)
}

/// Copies a sync file to a new name through a temporary one (0600), synced.
pub(super) fn copy_file(from: &Path, to: &Path) -> Result<()> {
    let tmp = to.with_extension("db.tmp");
    let _ = std::fs::remove_file(&tmp);
    std::fs::copy(from, &tmp)?;
    super::super::faults::step("a sync copy copied")?;
    datadir::make_private(&tmp)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, to)?;
    datadir::sync_dir(to)?;
    Ok(())
}

/// Erases people from a sync copy, as they were erased from the case file (those the copy
/// holds; the others were never in it or are gone already), and compacts it if any went.
pub(super) fn erase_in_copy(path: &Path, key: &DbKey, people: &[i64]) -> Result<()> {
    let conn = open_copy(path, key)?;
    let tx = conn.unchecked_transaction()?;
    let mut any = false;
    for &p in people {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if here {
            super::super::erase::remove_person_rows(&tx, p)?;
            any = true;
        }
    }
    tx.commit()?;
    if any {
        conn.execute_batch("VACUUM;")?;
    }
    Ok(())
}

/// Makes a new base copy hold only what travels: no search index, no audit entries, no
/// conflicts, no settings (the case file keeps its own), compacted.
pub(super) fn strip_copy(path: &Path, key: &DbKey) -> Result<()> {
    let conn = open_copy(path, key)?;
    conn.execute_batch(
        "BEGIN;
         INSERT INTO people_search (people_search) VALUES ('delete-all');
         DELETE FROM sync_conflicts; DELETE FROM sync_pending; DELETE FROM sync_peers;
         DELETE FROM audit_log; DELETE FROM meta; DELETE FROM id_marks;
         COMMIT;
         VACUUM;",
    )?;
    Ok(())
}

/// The changes that turn the copy at `from` into the copy at `to` (both sync copies).
pub(super) fn diff_copies(to: &Path, from: &Path, key: &DbKey) -> Result<Vec<u8>> {
    let conn = open_copy(to, key)?;
    conn.execute(
        &zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE ?1 AS base KEY \"x'{}'\"",
            hex::encode(key.as_ref())
        )),
        [from.display().to_string()],
    )?;
    let tables = synced_tables(&conn)?;
    let refs: Vec<&str> = tables.iter().map(String::as_str).collect();
    let d = session::diff(&conn, "base", &refs);
    conn.execute_batch("DETACH DATABASE base;")?;
    d
}

/// Applies changes exactly to a sync copy, after erasing `erase_first` from it, in one
/// transaction, then compacts it (an erased person's pages do not linger).
pub(super) fn apply_to_file(
    path: &Path,
    key: &DbKey,
    changes: &[session::Change],
    erase_first: &[i64],
    erased: &std::collections::BTreeSet<i64>,
) -> Result<()> {
    let c = open_copy(path, key)?;
    // The changes already hold what the sender's triggers did.
    c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    let tx = c.unchecked_transaction()?;
    for &p in erase_first {
        let here: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)", [p], |r| r.get(0))?;
        if here {
            super::super::erase::remove_person_rows(&tx, p)?;
        }
    }
    merge::apply_to_copy(&tx, changes, erased)?;
    super::super::faults::step("a sync copy updated")?;
    tx.commit()?;
    if !erase_first.is_empty() {
        c.execute_batch("VACUUM;")?;
    }
    Ok(())
}
