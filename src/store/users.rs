//! Users of the case file: their login names and roles (in the encrypted file) and their key
//! slots (in `keyslots.json`). Adding and removing users is for the data protection lead.

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
        keyfile.add(login, passphrase, kdf, key)?;
        let now = self.clock().now();
        let me = self.actor().user_id;
        let tx = self.conn.transaction()?;
        let id = insert(&tx, login, role, now)?;
        audit::append(&tx, now, Some(me), audit::Action::Admin, "user", Some(id), &["add"])?;
        // Save the slot before committing: if saving fails, the transaction rolls back.
        keyfile.save(&path)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a user (data protection lead only) and re-keys the case file so that an old copy
    /// of their key slot opens nothing.
    pub fn remove_user(&mut self, login: &str) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "remove users")?;
        if login == self.actor().login {
            return Err(StoreError::invalid(
                "You cannot remove yourself: ask another data protection lead.",
            ));
        }
        let target = find_active(&self.conn, login)?.ok_or_else(|| StoreError::UnknownUser(login.to_string()))?;
        let path = self.key_file_path()?;
        let mut keyfile = KeyFile::load(&path)?;
        let new_key = keyslots::new_db_key()?;
        keyfile.remove_and_rekey(login, &new_key)?;
        // The new slots go to a pending file first: if anything stops half-way, unlocking
        // tries it, so the case file is never left with a key nobody holds.
        let pending = path.with_extension("json.pending");
        keyfile.save(&pending)?;
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let _: String = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        self.conn
            .execute_batch(&format!("PRAGMA rekey = \"x'{}'\";", hex::encode(new_key.as_ref())))?;
        let _: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        std::fs::rename(&pending, &path)?;
        self.key = Some(new_key);
        let now = self.clock().now();
        let me = self.actor().user_id;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE users SET removed_at = ?1 WHERE id = ?2",
            params![now, target.user_id],
        )?;
        audit::append(
            &tx,
            now,
            Some(me),
            audit::Action::Admin,
            "user",
            Some(target.user_id),
            &["remove"],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new passphrase for another user who has forgotten theirs (data protection lead).
    pub fn reset_passphrase(&mut self, login: &str, passphrase: &str, kdf: KdfParams) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "reset another user's passphrase")?;
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
        keyfile.save(&path)?;
        let now = self.clock().now();
        audit::append(
            &self.conn,
            now,
            Some(self.actor().user_id),
            audit::Action::Admin,
            "user",
            Some(target.user_id),
            &["passphrase"],
        )?;
        Ok(())
    }
}
