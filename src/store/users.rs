//! Users of the case file: their login names and roles (in the encrypted file) and their key
//! slots (in `keyslots.json`). Adding and removing users is for the data protection lead.
//!
//! Every change to the key slots is made by an unlocked [`Store`], which holds the data
//! folder's lock for as long as it is open: two commands that touch `keyslots.json` therefore
//! run one after the other, each reading the slots the other left, and none is lost.

use super::error::{Result, StoreError};
use super::keyslots::{self, KdfParams, KeyFile};
use super::{audit, Actor, Store};
use crate::domain::Role;
use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};

/// A user as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserInfo {
    pub login: String,
    pub role: Role,
    pub created_at: String,
}

/// Login names are short handles (for example `jsmith`), visible before unlocking, so they
/// should not be full names. Lower-case letters, digits, `.`, `_` and `-`, 2 to 32 characters.
pub fn check_login(login: &str) -> Result<()> {
    let ok = (2..=32).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "A user name must be 2 to 32 lower-case letters, digits, dots, dashes or underscores, for example \"jsmith\".",
        ))
    }
}

pub(crate) fn insert(conn: &Connection, login: &str, role: Role, now: NaiveDateTime) -> Result<i64> {
    conn.execute(
        "INSERT INTO users (login, role, created_at) VALUES (?1, ?2, ?3)",
        params![login, role.key(), now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn find_active(conn: &Connection, login: &str) -> Result<Option<Actor>> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, role FROM users WHERE login = ?1 AND removed_at IS NULL",
            [login],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((user_id, role)) => Ok(Some(Actor {
            user_id,
            login: login.to_string(),
            role: Role::parse(&role).map_err(|e| StoreError::invalid(e.to_string()))?,
        })),
    }
}

impl Store {
    /// Users who can unlock the case file.
    pub fn users(&self) -> Result<Vec<UserInfo>> {
        let mut st = self
            .conn
            .prepare("SELECT login, role, created_at FROM users WHERE removed_at IS NULL ORDER BY login")?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (login, role, created_at) = row?;
            out.push(UserInfo {
                login,
                role: Role::parse(&role).map_err(|e| StoreError::invalid(e.to_string()))?,
                created_at,
            });
        }
        Ok(out)
    }

    fn key_file_path(&self) -> Result<std::path::PathBuf> {
        self.data_dir()
            .map(|d| d.key_file())
            .ok_or_else(|| StoreError::invalid("This case file has no key slots (it is a test file)."))
    }

    /// Adds a user with their own passphrase (data protection lead only).
    pub fn add_user(&mut self, login: &str, role: Role, passphrase: &str, kdf: KdfParams) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "add users")?;
        self.require_hub("add users")?;
        check_login(login)?;
        keyslots::check_new_passphrase(passphrase)?;
        let path = self.key_file_path()?;
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| StoreError::invalid("This case file is not encrypted (it is a test file)."))?;
        let mut keyfile = KeyFile::load(&path)?;
        let exists: bool = self
            .conn
            .query_row("SELECT count(*) FROM users WHERE login = ?1", [login], |r| {
                r.get::<_, i64>(0)
            })?
            > 0;
        if exists {
            return Err(StoreError::invalid(format!(
                "There is already a user called \"{login}\" (or there was one): choose another name."
            )));
        }
        // A slot left by an add that was interrupted before its record was committed: the
        // case file is the authority on who is a user, so it is replaced.
        keyfile.slots.retain(|s| s.user != login);
        keyfile.add(login, passphrase, kdf, key)?;
        let now = self.clock().now();
        let me = self.actor().user_id;
        self.commit_with_slots(&keyfile, |tx| {
            let id = insert(tx, login, role, now)?;
            audit::append(tx, now, Some(me), audit::Action::Admin, "user", Some(id), &["add"])
        })
    }

    /// Removes a user (data protection lead only) and re-keys the case file so that an old copy
    /// of their key slot opens nothing.
    pub fn remove_user(&mut self, login: &str) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "remove users")?;
        self.require_hub("remove users")?;
        if login == self.actor().login {
            return Err(StoreError::invalid(
                "You cannot remove yourself: ask another data protection lead.",
            ));
        }
        let path = self.key_file_path()?;
        let mut keyfile = KeyFile::load(&path)?;
        let has_slot = keyfile.users().any(|u| u == login);
        // The removal is recorded first, so from that moment the user can no longer unlock
        // through dutydesk and no list shows them; the re-key then retires their slot. A
        // removal interrupted before the re-key finished is finished by running it again.
        match find_active(&self.conn, login)? {
            Some(target) => {
                let now = self.clock().now();
                let me = self.actor().user_id;
                self.write(|tx| {
                    tx.execute(
                        "UPDATE users SET removed_at = ?1 WHERE id = ?2",
                        params![now, target.user_id],
                    )?;
                    audit::append(
                        tx,
                        now,
                        Some(me),
                        audit::Action::Admin,
                        "user",
                        Some(target.user_id),
                        &["remove"],
                    )
                })?;
            }
            None if has_slot => {}
            None => return Err(StoreError::UnknownUser(login.chars().take(40).collect())),
        }
        if has_slot {
            self.rekey_without(&mut keyfile, login, &path)?;
        }
        Ok(())
    }

    /// Re-keys the case file with a fresh key sealed to every user but `login`.
    fn rekey_without(&mut self, keyfile: &mut KeyFile, login: &str, path: &std::path::Path) -> Result<()> {
        let new_key = keyslots::new_db_key()?;
        // Only users the case file still lists keep a slot: `login` (already recorded as
        // removed), an earlier removal that stopped before its re-key, or a slot left by an
        // interrupted add all get nothing of the new key.
        let active: Vec<String> = {
            let mut st = self.conn.prepare("SELECT login FROM users WHERE removed_at IS NULL")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        keyfile.rekey_for(|u| u != login && active.iter().any(|a| a == u), &new_key)?;
        self.rekey_to(keyfile, path, new_key)
    }

    /// Re-keys the case file to `new_key`, with `keyfile` (slots sealing that key) becoming
    /// the key file at `path`: the slots go to a pending file first, which unlocking tries if
    /// anything stops half-way, so the case file is never left with a key nobody holds.
    pub(crate) fn rekey_to(
        &mut self,
        keyfile: &KeyFile,
        path: &std::path::Path,
        new_key: keyslots::DbKey,
    ) -> Result<()> {
        // The new slots go to a pending file first: if anything stops half-way, unlocking
        // tries it, so the case file is never left with a key nobody holds.
        let pending = path.with_extension("json.pending");
        keyfile.save(&pending)?;
        super::faults::step("pending key slots saved")?;
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let _: String = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        super::faults::step("before the re-key")?;
        self.conn.execute_batch(&zeroize::Zeroizing::new(format!(
            "PRAGMA rekey = \"x'{}'\";",
            hex::encode(new_key.as_ref())
        )))?;
        let old_key = self.key.replace(new_key.clone());
        super::faults::step("after the re-key")?;
        // The copies kept for merging with other laptops hold the case file too.
        if let Some(old_key) = old_key {
            self.rekey_sync_copies(&old_key, &new_key)?;
        }
        let _: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        std::fs::rename(&pending, path)?;
        super::datadir::sync_dir(path)?;
        Ok(())
    }

    /// Sets a new passphrase for another user who has forgotten theirs (data protection lead).
    pub fn reset_passphrase(&mut self, login: &str, passphrase: &str, kdf: KdfParams) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "reset another user's passphrase")?;
        self.require_hub("reset another user's passphrase")?;
        let target = find_active(&self.conn, login)?.ok_or_else(|| StoreError::UnknownUser(login.to_string()))?;
        keyslots::check_new_passphrase(passphrase)?;
        let path = self.key_file_path()?;
        let key = self
            .key
            .as_ref()
            .ok_or_else(|| StoreError::invalid("This case file is not encrypted (it is a test file)."))?;
        let mut keyfile = KeyFile::load(&path)?;
        keyfile.slots.retain(|s| s.user != login);
        keyfile.add(login, passphrase, kdf, key)?;
        self.save_slots_with_audit(&keyfile, target.user_id, "passphrase")
    }

    /// Changes the acting user's own passphrase, after checking the current one. The folder's
    /// lock is held throughout (the store holds it), so no other command's change to the key
    /// slots can be lost.
    pub fn change_own_passphrase(&mut self, old: &str, new: &str, kdf: KdfParams) -> Result<()> {
        self.require_hub("change passphrases")?;
        let path = self.key_file_path()?;
        let mut keyfile = KeyFile::load(&path)?;
        let login = self.actor().login.clone();
        keyfile.change_passphrase(&login, old, new, kdf, &path)?;
        let me = self.actor().user_id;
        self.save_slots_with_audit(&keyfile, me, "own_passphrase")
    }

    /// Saves changed key slots with an audit entry (see [`Store::commit_with_slots`]).
    fn save_slots_with_audit(&mut self, keyfile: &KeyFile, user_id: i64, what: &str) -> Result<()> {
        let now = self.clock().now();
        let me = self.actor().user_id;
        self.commit_with_slots(keyfile, |tx| {
            audit::append(tx, now, Some(me), audit::Action::Admin, "user", Some(user_id), &[what])
        })
    }

    /// Saves changed key slots (under the same database key) together with a change to the
    /// case file, so that neither is ever kept without the other: a two-phase commit.
    ///
    /// 1. The new slots are written beside the key file as `keyslots.json.next` (atomically).
    /// 2. The change, its audit entry and the digest of the new slots commit in one
    ///    transaction: this is the moment of decision.
    /// 3. The new slots are renamed into place.
    ///
    /// Interrupted before 2, the case file never saw the change and the next open deletes the
    /// stray file; interrupted after 2, the next open finds the digest committed and finishes
    /// step 3 (see [`resolve_next_slots`]). Once step 2 has happened this returns `Ok`.
    fn commit_with_slots(
        &mut self,
        keyfile: &KeyFile,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let path = self.key_file_path()?;
        let next = next_slots_path(&path);
        let bytes = keyfile.to_bytes()?;
        super::datadir::write_atomic(&next, &bytes)?;
        let decided = self.write(|tx| {
            change(tx)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('keyslots_next', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [slots_digest(&bytes)],
            )?;
            Ok(())
        });
        if let Err(e) = decided {
            let _ = std::fs::remove_file(&next);
            return Err(e);
        }
        // Decided: from here on the change stands, and the next open finishes it if this
        // process does not.
        if super::faults::step("key slots committed, not yet in place").is_ok() && std::fs::rename(&next, &path).is_ok()
        {
            let _ = super::datadir::sync_dir(&path);
        }
        Ok(())
    }
}

/// Where the next key slots wait while their change is being committed.
pub(crate) fn next_slots_path(key_file: &std::path::Path) -> std::path::PathBuf {
    key_file.with_extension("json.next")
}

fn slots_digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Finishes or abandons key slots left waiting by an interrupted [`Store::commit_with_slots`]:
/// `conn` is the case file opened with a key either file yields. If the case file committed
/// their digest, they are put in place; otherwise they are deleted.
pub(crate) fn resolve_next_slots(conn: &Connection, key_file: &std::path::Path) -> Result<()> {
    let next = next_slots_path(key_file);
    let Ok(bytes) = std::fs::read(&next) else {
        return Ok(());
    };
    let committed: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'keyslots_next'", [], |r| r.get(0))
        .optional()?;
    if committed.as_deref() == Some(slots_digest(&bytes).as_str()) {
        std::fs::rename(&next, key_file)?;
        super::datadir::sync_dir(key_file)?;
    } else {
        std::fs::remove_file(&next)?;
    }
    Ok(())
}
