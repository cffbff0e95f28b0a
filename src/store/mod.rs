//! The store: the only module that speaks SQL.
//!
//! A [`Store`] is an open, unlocked case file together with the acting user. Every read takes
//! that user's role into account (through the profile's access matrix), every change writes an
//! audit entry in the same transaction, and the clock is injected.
//!
//! One file per aggregate: [`people`] (records and the person view), [`relationships`],
//! [`contact_log`] (contacts and callbacks), [`sensitive`] (health notes and DBS checks),
//! [`referrals`], [`notices`] (Article 14), [`consents`],
//! [`requests`] (rights requests; fulfilled through [`fulfil`], [`subject_access`] and
//! [`erase`]), [`search`], [`audit`], [`users`], [`handover`] (everything due); [`keyslots`] and
//! [`datadir`] deal with unlocking and the folder on disk, [`schema`] with migrations.

pub mod audit;
pub mod consents;
pub mod contact_log;
pub mod datadir;
pub mod erase;
pub mod error;
pub mod fulfil;
pub mod handover;
pub mod keyslots;
pub mod notices;
pub mod people;
pub mod referrals;
pub mod relationships;
pub mod requests;
pub mod schema;
pub mod search;
pub mod seed;
pub mod sensitive;
pub mod subject_access;
pub mod users;

pub use datadir::DataDir;
pub use error::{Result, StoreError};
pub use keyslots::{KdfParams, KeyFile};

use crate::domain::clock::Clock;
use crate::domain::Role;
use crate::profile::{AccessMatrix, Profile};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::sync::Arc;

/// `PRAGMA application_id` of a dutydesk case file ("DUTY").
const APPLICATION_ID: i64 = 0x4455_5459;

/// The user the store acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub login: String,
    pub role: Role,
}

/// What `dutydesk init` needs.
pub struct InitOptions<'a> {
    pub profile_toml: &'a str,
    pub organisation: &'a str,
    pub first_user: &'a str,
    pub passphrase: &'a str,
    pub kdf: KdfParams,
}

/// An open, unlocked case file and the user acting on it.
pub struct Store {
    pub(crate) conn: Connection,
    actor: Actor,
    profile: Profile,
    access: AccessMatrix,
    clock: Arc<dyn Clock>,
    dir: Option<DataDir>,
    key: Option<keyslots::DbKey>,
    calendar: crate::domain::calendar::HolidayCalendar,
    _lock: Option<datadir::DirLock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

fn key_pragma(key: &[u8; 32]) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex::encode(key)))
}

/// Opens the SQLite connection, keys it (if a key is given) and checks it really is a dutydesk
/// case file before anything else reads it.
fn open_connection(path: &Path, key: Option<&[u8; 32]>, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        // Before keying, or SQLCipher writes its log to stderr behind the TUI.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        conn.execute_batch(&key_pragma(key))?;
    }
    if create {
        // Must precede the first write (even the WAL switch) to take effect.
        schema::prepare_new(&conn)?;
    }
    let not_ours = |_| StoreError::NotACaseFile(path.to_path_buf());
    // A wrong key or a foreign file shows only at the first read.
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_ours)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_ours)?;
    if !create && (app != APPLICATION_ID || tables == 0) {
        return Err(StoreError::NotACaseFile(path.to_path_buf()));
    }
    // A 16 MiB page cache keeps the search's per-candidate lookups from re-reading and
    // re-decrypting pages (see BENCHMARKS.md); resident memory stays far under 60 MB.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 2000;
         PRAGMA cache_size = -16384;",
    )?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::NotACaseFile(path.to_path_buf()));
    }
    Ok(conn)
}

impl Store {
    /// Creates a new encrypted case file in `dir` with its first user, a data protection lead.
    pub fn init(dir: &DataDir, opts: &InitOptions<'_>, clock: Arc<dyn Clock>) -> Result<Store> {
        if dir.exists() {
            return Err(StoreError::AlreadyExists(dir.root().to_path_buf()));
        }
        let profile = parse_profile(opts.profile_toml)?;
        users::check_login(opts.first_user)?;
        keyslots::check_new_passphrase(opts.passphrase)?;
        let organisation = crate::domain::validate::text("organisation_name", opts.organisation, 120)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let lock = dir.lock()?;
        let (keyfile, key) = KeyFile::create(opts.first_user, opts.passphrase, opts.kdf)?;
        let result = Self::create_file(
            &dir.case_file(),
            Some(&key),
            &profile,
            opts.profile_toml,
            &organisation,
            opts.first_user,
            clock,
        );
        match result {
            Ok(mut store) => {
                datadir::make_private(&dir.case_file())?;
                keyfile.save(&dir.key_file())?;
                store.dir = Some(dir.clone());
                store._lock = Some(lock);
                Ok(store)
            }
            Err(e) => {
                // Leave nothing half-made behind.
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", dir.case_file().display()));
                }
                Err(e)
            }
        }
    }

    /// Creates an unencrypted case file at `path`. Only for tests that must read the raw bytes
    /// (the erasure test); a real case file is always made by [`Store::init`].
    #[doc(hidden)]
    pub fn create_unencrypted_for_tests(
        path: &Path,
        profile_toml: &str,
        first_user: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        let profile = parse_profile(profile_toml)?;
        Self::create_file(
            path,
            None,
            &profile,
            profile_toml,
            "Test organisation",
            first_user,
            clock,
        )
    }

    fn create_file(
        path: &Path,
        key: Option<&[u8; 32]>,
        profile: &Profile,
        profile_toml: &str,
        organisation: &str,
        first_user: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        let mut conn = open_connection(path, key, true)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        schema::migrate(&mut conn)?;
        let now = clock.now();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('organisation', ?1)",
            [organisation],
        )?;
        let user_id = users::insert(&tx, first_user, Role::DataProtectionLead, now)?;
        tx.execute(
            "INSERT INTO profiles (profile_id, profile_version, toml, installed_at, installed_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![profile.id(), profile.version(), profile_toml, now, user_id],
        )?;
        audit::append(
            &tx,
            now,
            Some(user_id),
            audit::Action::Admin,
            "case_file",
            None,
            &["init"],
        )?;
        tx.commit()?;
        let actor = Actor {
            user_id,
            login: first_user.to_string(),
            role: Role::DataProtectionLead,
        };
        Ok(Store {
            conn,
            access: AccessMatrix::new(profile),
            profile: profile.clone(),
            actor,
            clock,
            dir: None,
            key: key.map(|k| zeroize::Zeroizing::new(*k)),
            calendar: crate::domain::calendar::HolidayCalendar::new(profile.bank_holiday_region),
            _lock: None,
        })
    }

    /// Unlocks the case file in `dir` with a user's own passphrase.
    pub fn unlock(dir: &DataDir, login: &str, passphrase: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        if !dir.case_file().is_file() || !dir.key_file().is_file() {
            return Err(StoreError::NoCaseFile(dir.root().to_path_buf()));
        }
        let keyfile = KeyFile::load(&dir.key_file())?;
        let key = keyfile.unlock(login, passphrase, &dir.key_file())?;
        let lock = dir.lock()?;
        let mut store = match Self::open_keyed(&dir.case_file(), Some(&key), login, clock.clone()) {
            Err(StoreError::NotACaseFile(path)) => {
                // A user removal stopped between re-keying and replacing the key file: the
                // pending key file holds the new key.
                let pending = dir.key_file().with_extension("json.pending");
                if !pending.is_file() {
                    return Err(StoreError::NotACaseFile(path));
                }
                let key = KeyFile::load(&pending)?.unlock(login, passphrase, &pending)?;
                let store = Self::open_keyed(&dir.case_file(), Some(&key), login, clock)?;
                std::fs::rename(&pending, dir.key_file())?;
                store
            }
            other => other?,
        };
        store.dir = Some(dir.clone());
        store._lock = Some(lock);
        let now = store.clock.now();
        audit::append(
            &store.conn,
            now,
            Some(store.actor.user_id),
            audit::Action::Unlock,
            "user",
            Some(store.actor.user_id),
            &[],
        )?;
        Ok(store)
    }

    /// Opens a case file with its raw key (or none, for the unencrypted test files).
    #[doc(hidden)]
    pub fn open_keyed(path: &Path, key: Option<&[u8; 32]>, login: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut conn = open_connection(path, key, false)?;
        schema::migrate(&mut conn)?;
        let actor = users::find_active(&conn, login)?
            .ok_or_else(|| StoreError::UnknownUser(login.chars().take(40).collect()))?;
        let toml: String = conn.query_row("SELECT toml FROM profiles ORDER BY id DESC LIMIT 1", [], |r| r.get(0))?;
        let profile = parse_profile(&toml)?;
        Ok(Store {
            conn,
            access: AccessMatrix::new(&profile),
            calendar: crate::domain::calendar::HolidayCalendar::new(profile.bank_holiday_region),
            profile,
            actor,
            clock,
            dir: None,
            key: key.map(|k| zeroize::Zeroizing::new(*k)),
            _lock: None,
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    pub fn access(&self) -> &AccessMatrix {
        &self.access
    }
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
    /// Replaces the clock (tests and demos).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }
    pub fn data_dir(&self) -> Option<&DataDir> {
        self.dir.as_ref()
    }

    /// The organisation's name as given at `init`.
    pub fn organisation(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'organisation'", [], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    pub(crate) fn require_role(&self, allowed: &[Role], what: &str) -> Result<()> {
        if allowed.contains(&self.actor.role) {
            Ok(())
        } else {
            Err(StoreError::NotAllowed(
                self.actor.role.label().to_string(),
                what.to_string(),
            ))
        }
    }

    /// Installs a new version of the profile (data protection lead only). Older versions stay,
    /// so notices and consents keep the wording they were given under.
    pub fn set_profile(&mut self, toml: &str) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "change the organisation profile")?;
        let profile = parse_profile(toml)?;
        // A consent records the wording's version: changed words under an old version number
        // would make two different sentences indistinguishable in the history.
        for new in &profile.consent_purposes {
            if let Some(old) = self.profile.consent_purpose(&new.key) {
                if old.wording != new.wording && new.version <= old.version {
                    return Err(StoreError::invalid(format!(
                        "The wording of consent purpose \"{}\" changed but its version did not: raise its version above {} so earlier consents keep their own words.",
                        new.key, old.version
                    )));
                }
            }
        }
        let now = self.clock.now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO profiles (profile_id, profile_version, toml, installed_at, installed_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![profile.id(), profile.version(), toml, now, self.actor.user_id],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(
            &tx,
            now,
            Some(self.actor.user_id),
            audit::Action::Admin,
            "profile",
            Some(id),
            &[],
        )?;
        tx.commit()?;
        self.access = AccessMatrix::new(&profile);
        self.calendar = crate::domain::calendar::HolidayCalendar::new(profile.bank_holiday_region);
        self.profile = profile;
        Ok(())
    }

    /// The profile text in force.
    pub fn profile_toml(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT toml FROM profiles ORDER BY id DESC LIMIT 1", [], |r| r.get(0))?)
    }

    /// SQLite's integrity check, the foreign keys and the audit chain. Returns the problems.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        for row in st.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))? {
            let (table, rowid) = row?;
            problems.push(format!("foreign key: {table} row {}", rowid.unwrap_or_default()));
        }
        if let Some(p) = audit::verify(&self.conn)? {
            problems.push(p);
        }
        Ok(problems)
    }

    /// Moves the WAL into the main file and truncates it, so nothing deleted lingers there.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Direct SQL access for tests that tamper with the file on purpose.
    #[doc(hidden)]
    pub fn raw_connection_for_tests(&self) -> &Connection {
        &self.conn
    }
}

fn parse_profile(toml: &str) -> Result<Profile> {
    crate::profile::parse(toml).map_err(|e| StoreError::invalid(format!("The organisation profile is invalid: {e}")))
}
