//! The store: the only module that speaks SQL.
//!
//! A [`Store`] is an open, unlocked case file together with the acting user. Every read takes
//! that user's role into account (through the profile's access matrix), every change writes an
//! audit entry in the same transaction, and the clock is injected.
//!
//! One file per aggregate: [`people`] (records and the person view, over the row helpers in
//! [`person_rows`], which [`search`] uses too), [`relationships`],
//! [`contact_log`] (contacts and callbacks), [`sensitive`] (health notes and DBS checks),
//! [`referrals`], [`notices`] (Article 14), [`consents`],
//! [`requests`] (rights requests; fulfilled through [`fulfil`], [`subject_access`] and
//! [`erase`]), [`search`], [`audit`], [`users`], [`handover`] (everything due); [`keyslots`] and
//! [`datadir`] deal with unlocking and the folder on disk, [`schema`] with migrations,
//! [`backup`] with backups and restores, and [`register`] with the erasure register that
//! outlives them.

pub mod audit;
pub mod backup;
pub mod breaches;
pub mod complaints;
pub mod consents;
pub mod contact_log;
pub mod datadir;
pub mod disclosures;
pub mod donations;
pub mod enquiries;
pub mod erase;
pub mod error;
pub mod exports;
pub mod faults;
pub mod fulfil;
pub mod groups;
pub mod handover;
pub mod holds;
pub mod ids;
pub mod import;
pub mod import_links;
pub mod keyslots;
pub mod notices;
mod on_file;
pub mod people;
pub mod person_rows;
pub mod profiles;
pub mod referrals;
pub mod register;
pub mod relationships;
pub mod requests;
pub mod retention;
pub mod schema;
pub mod search;
pub mod seed;
pub mod sensitive;
pub mod services;
pub mod subject_access;
pub mod sync;
pub mod takedowns;
pub mod users;
pub mod write;

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

/// Initialises SQLite, and with it SQLCipher, once per process before any connection is
/// opened. `sqlite3_initialize` marks SQLite initialised before it runs SQLCipher's own
/// initialisation, so a second thread opening a connection at that moment finds SQLCipher
/// not yet ready ("sqlcipher not initialized"); doing it once, behind a `Once`, closes that
/// window.
fn initialise_sqlite() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        // SAFETY: sqlite3_initialize takes no arguments, may be called from any thread and
        // is idempotent; a failure shows again, as an error, at the first open.
        let _ = unsafe { rusqlite::ffi::sqlite3_initialize() };
    });
}

/// Opens the SQLite connection, keys it (if a key is given) and checks it really is a dutydesk
/// case file before anything else reads it. A file that cannot be read is classified (see
/// [`classify_unreadable`]) so the message names the real cause.
fn open_connection(path: &Path, key: Option<&[u8; 32]>, create: bool) -> Result<Connection> {
    initialise_sqlite();
    let mut flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        // Before keying, or SQLCipher writes its log to stderr behind the TUI.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        conn.execute_batch(&key_pragma(key))?;
    }
    // Every commit is a step the fault-injection tests can interrupt (a no-op otherwise).
    conn.commit_hook(Some(faults::should_fail))?;
    if create {
        // Must precede the first write (even the WAL switch) to take effect.
        schema::prepare_new(&conn)?;
    }
    // A wrong key, a foreign file or a damaged first page shows only at the first read.
    let first_read = conn
        .query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0))
        .and_then(|app| {
            Ok((
                app,
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?,
            ))
        });
    let (app, tables) = match first_read {
        Ok(v) => v,
        Err(e) => return Err(classify_unreadable(&conn, path, key.is_some(), e)),
    };
    if !create && tables == 0 {
        // Nothing at all: a case file emptied or cut to nothing beside its key file.
        return Err(StoreError::Damaged("it is empty".into()));
    }
    if !create && app != APPLICATION_ID {
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
        return Err(StoreError::NotWritable(format!(
            "the case file could not switch to write-ahead logging (journal mode {mode})"
        )));
    }
    Ok(conn)
}

/// SQLCipher's page size for dutydesk case files.
const PAGE_SIZE: u64 = 4096;

/// Says why a case file could not be read at all: another kind of file, a file cut short, a
/// key that fits none of its pages (the key file belongs to another case file), or some pages
/// that fail their authentication code (real damage).
fn classify_unreadable(conn: &Connection, path: &Path, keyed: bool, e: rusqlite::Error) -> StoreError {
    let cause = StoreError::from(e);
    if matches!(
        cause,
        StoreError::DiskFull | StoreError::NotWritable(_) | StoreError::InUse(_)
    ) {
        return cause;
    }
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return StoreError::Damaged("it is empty".into());
    }
    let mut start = vec![0u8; len.min(PAGE_SIZE) as usize];
    let read = std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut start)
    });
    if read.is_err() || start.starts_with(b"SQLite format 3\0") {
        return StoreError::NotACaseFile(path.to_path_buf());
    }
    if len < PAGE_SIZE {
        // Text in place of the case file was put there by someone; a few random bytes are
        // what is left of a file cut short.
        return if std::str::from_utf8(&start).is_ok() {
            StoreError::NotACaseFile(path.to_path_buf())
        } else {
            StoreError::Damaged(format!("it is only {len} bytes long, less than one page"))
        };
    }
    if !len.is_multiple_of(PAGE_SIZE) {
        return StoreError::Damaged(format!(
            "its size is not a whole number of {PAGE_SIZE}-byte pages, so it has been cut short or added to"
        ));
    }
    if !keyed {
        return StoreError::NotACaseFile(path.to_path_buf());
    }
    let pages = len / PAGE_SIZE;
    let failing = failing_pages(conn).len() as u64;
    if failing >= pages {
        StoreError::ForeignKeyFile(path.parent().unwrap_or(path).to_path_buf())
    } else {
        StoreError::Damaged(format!(
            "{failing} of its {pages} pages fail their authentication check"
        ))
    }
}

/// The pages whose SQLCipher authentication code does not verify with the connection's key,
/// as SQLCipher describes them (empty for a sound file, or for an unencrypted one).
fn failing_pages(conn: &Connection) -> Vec<String> {
    let Ok(mut st) = conn.prepare("PRAGMA cipher_integrity_check") else {
        return Vec::new();
    };
    let Ok(rows) = st.query_map([], |r| r.get::<_, String>(0)) else {
        return Vec::new();
    };
    rows.filter_map(|r| r.ok()).collect()
}

/// Everything SQLite and SQLCipher can say is wrong with an open connection's file, without
/// relying on the schema being readable: page authentication codes, the integrity check and the
/// foreign keys. Errors while checking become problems themselves; this never fails.
fn integrity_problems(conn: &Connection) -> Vec<String> {
    let mut problems: Vec<String> = Vec::new();
    let run = |problems: &mut Vec<String>, sql: &str, what: &str, ok_row: Option<&str>| {
        let result = conn.prepare(sql).and_then(|mut st| {
            let rows = st.query_map([], |r| {
                let first: rusqlite::types::Value = r.get(0)?;
                let second: Option<i64> = r.get(1).unwrap_or(None);
                Ok((first, second))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        });
        match result {
            Ok(rows) => {
                for (first, second) in rows {
                    let text = match first {
                        rusqlite::types::Value::Text(t) => t,
                        other => format!("{other:?}"),
                    };
                    if ok_row == Some(text.as_str()) {
                        continue;
                    }
                    problems.push(match second {
                        Some(rowid) => format!("{what}: {text} row {rowid}"),
                        None => format!("{what}: {text}"),
                    });
                }
            }
            Err(e) => problems.push(format!("{what}: the check could not run ({e})")),
        }
    };
    // SQLite's integrity check first: once SQLCipher has met a page that fails its check, the
    // connection refuses further statements ("SQL logic error").
    run(&mut problems, "PRAGMA integrity_check", "integrity", Some("ok"));
    // On a damaged file the foreign-key check only repeats the damage (or fails oddly).
    if problems.is_empty() {
        run(&mut problems, "PRAGMA foreign_key_check", "foreign key", None);
    }
    let pages: Vec<String> = failing_pages(conn)
        .into_iter()
        .map(|p| format!("encryption: {p}"))
        .collect();
    if !pages.is_empty() {
        // A check stopped by an unreadable page says nothing the page failure does not.
        problems.retain(|p| !p.contains("the check could not run"));
    }
    problems.splice(0..0, pages);
    // SQLite reports a damaged tree as one row of many lines: one problem per line, and only
    // the first few, so the report stays readable.
    let mut lines: Vec<String> = problems
        .iter()
        .flat_map(|p| {
            let (what, rest) = p.split_once(": ").unwrap_or(("integrity", p.as_str()));
            rest.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with("*** in database"))
                .map(|l| format!("{what}: {}", l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    const SHOWN: usize = 12;
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("... and {more} more of the same kind"));
    }
    lines
}

/// The database key from a user's slot, and the case file's salt as the key file records it.
struct Unsealed {
    key: keyslots::DbKey,
    salt: Option<[u8; 16]>,
}

/// The case file's first 16 bytes: SQLCipher's salt, stored in the clear.
fn file_salt(path: &Path) -> Result<[u8; 16]> {
    use std::io::Read;
    let mut salt = [0u8; 16];
    std::fs::File::open(path)?.read_exact(&mut salt)?;
    Ok(salt)
}

/// When the key fits none of the case file's pages: if the key file recorded a different salt
/// and the key, given that salt, fits the file's other pages, the file's first bytes are
/// damaged (and this is the right key file). `None` when it cannot be told.
fn damaged_salt_or_foreign(dir: &DataDir, unsealed: &Unsealed) -> Option<StoreError> {
    let recorded = unsealed.salt?;
    let found = file_salt(&dir.case_file()).ok()?;
    if recorded == found {
        return None;
    }
    initialise_sqlite();
    let conn = Connection::open_with_flags(
        dir.case_file(),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_NOFOLLOW,
    )
    .ok()?;
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    let pragma = zeroize::Zeroizing::new(format!(
        "PRAGMA key = \"x'{}{}'\";",
        hex::encode(unsealed.key.as_ref()),
        hex::encode(recorded)
    ));
    conn.execute_batch(&pragma).ok()?;
    let pages = std::fs::metadata(dir.case_file()).ok()?.len() / PAGE_SIZE;
    let failing = failing_pages(&conn).len() as u64;
    (failing < pages).then(|| StoreError::Damaged("the first 16 bytes of the file (its salt) have been changed".into()))
}

/// What `dutydesk check` found: problems and notes (repairs made on open). `damaged` is set
/// when a problem is damage to the file itself (pages, integrity, foreign keys), as opposed to
/// a break in the audit chain (evidence of tampering, which must be looked into but does not
/// make the file unsafe to use).
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<String>,
    pub notes: Vec<String>,
    pub damaged: bool,
}

impl Store {
    /// Creates a new encrypted case file in `dir` with its first user, a data protection lead.
    ///
    /// The file is built under a temporary name, then the key slots are saved, then the file is
    /// renamed into place: an interruption before the rename leaves a folder `init` may simply
    /// run in again, and one after the key slots are saved is finished by the next open.
    pub fn init(dir: &DataDir, opts: &InitOptions<'_>, clock: Arc<dyn Clock>) -> Result<Store> {
        Self::init_inner(dir, opts, clock).map_err(|e| dir.explain(e))
    }

    fn init_inner(dir: &DataDir, opts: &InitOptions<'_>, clock: Arc<dyn Clock>) -> Result<Store> {
        if dir.exists() {
            return Err(StoreError::AlreadyExists(dir.root().to_path_buf()));
        }
        let profile = parse_profile(opts.profile_toml)?;
        let left = crate::profile::placeholders_in(opts.profile_toml);
        if !left.is_empty() {
            return Err(StoreError::invalid(format!(
                "The profile still has placeholders for the organisation's own details ({}): give them at setup (dutydesk init --organisation NAME --address ADDRESS --phone PHONE --email EMAIL).",
                left.join(", ")
            )));
        }
        users::check_login(opts.first_user)?;
        keyslots::check_new_passphrase(opts.passphrase)?;
        let organisation = crate::domain::validate::text("organisation_name", opts.organisation, 120)
            .map_err(|e| StoreError::invalid(e.to_string()))?;
        let lock = dir.lock()?;
        dir.finish_interrupted_init()?;
        if dir.exists() {
            return Err(StoreError::AlreadyExists(dir.root().to_path_buf()));
        }
        let (mut keyfile, key) = KeyFile::create(opts.first_user, opts.passphrase, opts.kdf)?;
        let creating = dir.creating_file();
        dir.remove_creating_files()?;
        let made = Self::create_file(
            &creating,
            Some(&key),
            &profile,
            opts.profile_toml,
            &organisation,
            opts.first_user,
            clock.clone(),
        )
        .and_then(|store| {
            datadir::make_private(&creating)?;
            // Everything into the main file, so the rename moves the whole case file.
            store.checkpoint()?;
            drop(store);
            keyfile.set_case_file_salt(file_salt(&creating)?);
            faults::step("case file built")?;
            keyfile.save(&dir.key_file())?;
            std::fs::rename(&creating, dir.case_file())?;
            faults::step("case file renamed into place")?;
            datadir::sync_dir(&dir.case_file())
        });
        if let Err(e) = made {
            // Leave nothing half-made behind that a second `init` would trip over.
            if !dir.case_file().exists() {
                let _ = dir.remove_creating_files();
                let _ = std::fs::remove_file(dir.key_file());
            }
            return Err(e);
        }
        let mut store = Self::open_keyed(&dir.case_file(), Some(&key), opts.first_user, clock)?;
        store.dir = Some(dir.clone());
        store._lock = Some(lock);
        Ok(store)
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
    ///
    /// Refused while `dutydesk check` has found the file damaged. The key slots are read under
    /// the folder's lock, so a re-key or a passphrase change by another command is either wholly
    /// before or wholly after. The unlock's audit entry is one transaction: nothing about
    /// opening a file for reading can leave it unopenable.
    pub fn unlock(dir: &DataDir, login: &str, passphrase: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        Self::unlock_inner(dir, login, passphrase, clock).map_err(|e| dir.explain(e))
    }

    fn unlock_inner(dir: &DataDir, login: &str, passphrase: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        Self::unlock_holding(dir, None, login, passphrase, clock)
    }

    /// [`Store::unlock`] by a caller that already holds the folder's lock (a restore, which
    /// keeps it from before it moves any file until the restored file is open).
    pub(crate) fn unlock_holding(
        dir: &DataDir,
        held: Option<datadir::DirLock>,
        login: &str,
        passphrase: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        if dir.damaged_marker().exists() {
            return Err(StoreError::KnownDamaged);
        }
        let (lock, unsealed) = Self::lock_and_unseal(dir, login, passphrase, true, held)?;
        let mut store = Self::open_with_pending(dir, &unsealed, login, passphrase, clock)?;
        store.dir = Some(dir.clone());
        store._lock = Some(lock);
        // An erasure that could not compact the file (a full disk) is finished now if it can
        // be; if not, the next open tries again.
        let _ = store.finish_compaction();
        // The erasure register beside the file is rewritten from the tombstones, in case an
        // erasure could not write it (a full disk); a failure here is tried again next time.
        if store.erased().is_ok_and(|e| !e.is_empty()) {
            let _ = store.write_register();
        }
        let now = store.clock.now();
        audit::append(
            &store.conn,
            now,
            Some(store.actor.user_id),
            audit::Action::Unlock,
            "user",
            Some(store.actor.user_id),
            &[],
        )
        .map_err(|e| store.damage_or(e))?;
        Ok(store)
    }

    /// Checks the folder, takes its lock and unseals the database key with the passphrase.
    /// `refuse_damaged`: look for the damage mark again once the lock is held, since a
    /// `check` may have set it while this command waited for the lock.
    fn lock_and_unseal(
        dir: &DataDir,
        login: &str,
        passphrase: &str,
        refuse_damaged: bool,
        held: Option<datadir::DirLock>,
    ) -> Result<(datadir::DirLock, Unsealed)> {
        if !dir.root().is_dir() {
            return Err(StoreError::NoCaseFile(dir.root().to_path_buf()));
        }
        let lock = match held {
            Some(lock) => lock,
            None => dir.lock()?,
        };
        if refuse_damaged && dir.damaged_marker().exists() {
            return Err(StoreError::KnownDamaged);
        }
        dir.finish_interrupted_init()?;
        dir.check_before_open()?;
        Self::resolve_waiting_slots(dir, login, passphrase);
        let keyfile = KeyFile::load(&dir.key_file())?;
        let key = keyfile.unlock(login, passphrase, &dir.key_file())?;
        if keyfile.case_file_salt().is_none() {
            // Key files made before the salt was recorded get it now (see KeyFile), so a
            // damaged salt can later be told from a foreign key file.
            Self::record_salt(dir, &keyfile, &key);
        }
        Ok((
            lock,
            Unsealed {
                key,
                salt: keyfile.case_file_salt(),
            },
        ))
    }

    /// Key slots left waiting by an interrupted change (see `users::commit_with_slots`) are
    /// put in place or deleted, as the case file decided, before anyone's passphrase is
    /// tried. Needs a key from either file; if this user's passphrase opens neither, nothing
    /// is decided now (the next user will), and the usual unlock reports the passphrase.
    fn resolve_waiting_slots(dir: &DataDir, login: &str, passphrase: &str) {
        let next = users::next_slots_path(&dir.key_file());
        if !next.is_file() {
            return;
        }
        let key = [dir.key_file(), next]
            .iter()
            .filter_map(|p| KeyFile::load(p).ok()?.unlock(login, passphrase, p).ok())
            .next();
        if let Some(key) = key {
            if let Ok(conn) = open_connection(&dir.case_file(), Some(&key), false) {
                let _ = users::resolve_next_slots(&conn, &dir.key_file());
            }
        }
    }

    /// Records the case file's salt in a key file that lacks it, if the key fits the file.
    fn record_salt(dir: &DataDir, keyfile: &KeyFile, key: &keyslots::DbKey) {
        let Ok(salt) = file_salt(&dir.case_file()) else {
            return;
        };
        if open_connection(&dir.case_file(), Some(key), false).is_ok() {
            let mut updated = keyfile.clone();
            updated.set_case_file_salt(salt);
            let _ = updated.save(&dir.key_file());
        }
    }

    /// Opens the case file with `key`; if that key no longer fits because a user removal
    /// stopped between re-keying and replacing the key file, the pending key file holds the
    /// new key: it is used and put in place.
    fn open_with_pending(
        dir: &DataDir,
        unsealed: &Unsealed,
        login: &str,
        passphrase: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        match Self::open_keyed(&dir.case_file(), Some(&unsealed.key), login, clock.clone()) {
            Err(StoreError::ForeignKeyFile(path)) => {
                let pending = dir.key_file().with_extension("json.pending");
                if !pending.is_file() {
                    return Err(damaged_salt_or_foreign(dir, unsealed).unwrap_or(StoreError::ForeignKeyFile(path)));
                }
                let key = KeyFile::load(&pending)?.unlock(login, passphrase, &pending)?;
                let store = Self::open_keyed(&dir.case_file(), Some(&key), login, clock)?;
                std::fs::rename(&pending, dir.key_file())?;
                datadir::sync_dir(&dir.key_file())?;
                Ok(store)
            }
            other => other,
        }
    }

    /// `dutydesk check`: unlocks as [`Store::unlock`] does but looks at the file before
    /// trusting any of it: page authentication codes, SQLite's integrity check and the foreign
    /// keys first (on a file too damaged to open, these are what is reported), then the audit
    /// chain. A damaged file is marked so that no other command writes to it; a sound one
    /// clears the mark. Returns the report; an `Err` is only for a folder that could not be
    /// checked at all (no case file, wrong passphrase, in use).
    pub fn check_folder(dir: &DataDir, login: &str, passphrase: &str, clock: Arc<dyn Clock>) -> Result<CheckReport> {
        if dir.low_on_space() {
            // Checking needs a little room (the shared-memory file, the unlock's audit entry),
            // and damage reported from a full disk would be a false alarm.
            return Err(StoreError::DiskFull);
        }
        Self::check_inner(dir, login, passphrase, clock).map_err(|e| dir.explain(e))
    }

    fn check_inner(dir: &DataDir, login: &str, passphrase: &str, clock: Arc<dyn Clock>) -> Result<CheckReport> {
        let (lock, unsealed) = Self::lock_and_unseal(dir, login, passphrase, false, None)?;
        let mut report = CheckReport::default();
        let pending = dir.key_file().with_extension("json.pending").is_file();
        let raw = match open_connection(&dir.case_file(), Some(&unsealed.key), false) {
            Ok(conn) => Some(conn),
            Err(StoreError::Damaged(what)) => {
                report.problems.push(format!("the case file cannot be opened: {what}"));
                None
            }
            Err(StoreError::ForeignKeyFile(path)) if !pending => match damaged_salt_or_foreign(dir, &unsealed) {
                Some(StoreError::Damaged(what)) => {
                    report.problems.push(format!("the case file cannot be opened: {what}"));
                    None
                }
                _ => return Err(StoreError::ForeignKeyFile(path)),
            },
            // A removal stopped half-way: opening with the pending key file finishes it.
            Err(StoreError::ForeignKeyFile(_)) => None,
            Err(e) => return Err(e),
        };
        let checked_raw = raw.is_some();
        if let Some(conn) = &raw {
            report.problems.extend(integrity_problems(conn));
        }
        drop(raw);
        report.damaged = !report.problems.is_empty();
        if report.problems.is_empty() {
            let mut store = Self::open_with_pending(dir, &unsealed, login, passphrase, clock)?;
            if !checked_raw {
                report.problems.extend(integrity_problems(&store.conn));
                report.damaged = !report.problems.is_empty();
            }
            store.dir = Some(dir.clone());
            store._lock = Some(lock);
            // The chain as found, before this check's own entry is added to it.
            report.problems.extend(audit::verify(&store.conn)?);
            report.notes = store.check_notes()?;
            audit::append(
                &store.conn,
                store.clock.now(),
                Some(store.actor.user_id),
                audit::Action::Unlock,
                "user",
                Some(store.actor.user_id),
                &[],
            )?;
        }
        if report.damaged {
            let text = format!("{}\n", report.problems.join("\n"));
            datadir::write_atomic(&dir.damaged_marker(), text.as_bytes())?;
        } else {
            match std::fs::remove_file(dir.damaged_marker()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(report)
    }

    /// Records that the screen locked: the acting user is signed out until someone signs in
    /// with [`Store::sign_in`].
    pub fn record_lock(&self) -> Result<()> {
        audit::append(
            &self.conn,
            self.clock.now(),
            Some(self.actor.user_id),
            audit::Action::Lock,
            "user",
            Some(self.actor.user_id),
            &[],
        )
    }

    /// Signs a user in on the open case file (the rota laptop's lock screen): checks their
    /// passphrase against their own key slot, which must unseal this case file's key, and makes
    /// them the acting user. The same user signing in again resumes; anyone else on the case
    /// file may take over. Audited as an unlock.
    pub fn sign_in(&mut self, login: &str, passphrase: &str) -> Result<()> {
        let dir = self
            .dir
            .clone()
            .ok_or_else(|| StoreError::invalid("This case file has no key slots (it is a test file)."))?;
        let keyfile = KeyFile::load(&dir.key_file())?;
        let key = keyfile.unlock(login, passphrase, &dir.key_file())?;
        if self.key.as_ref().is_some_and(|k| **k != *key) {
            return Err(StoreError::ForeignKeyFile(dir.root().to_path_buf()));
        }
        let actor = users::find_active(&self.conn, login)?
            .ok_or_else(|| StoreError::UnknownUser(login.chars().take(40).collect()))?;
        audit::append(
            &self.conn,
            self.clock.now(),
            Some(actor.user_id),
            audit::Action::Unlock,
            "user",
            Some(actor.user_id),
            &[],
        )?;
        self.actor = actor;
        Ok(())
    }

    /// Repairs made to this file that `check` reports (none is a problem).
    pub fn check_notes(&self) -> Result<Vec<String>> {
        Ok(audit::repairs(&self.conn)?
            .into_iter()
            .map(|r| {
                format!(
                    "the audit chain's head had fallen behind its entries (an earlier version was interrupted between writing an entry and its head) and was moved from entry {} to entry {}, the last intact one",
                    r.from, r.to
                )
            })
            .collect())
    }

    /// The case file's own random id (schema version 5), carried by its backups and erasure
    /// register.
    pub fn case_file_id(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'case_file_id'", [], |r| r.get(0))?)
    }

    /// `e`, unless the file has pages that fail their authentication check: once SQLCipher has
    /// met one, later statements fail with odd errors ("out of memory"), so the damage is what
    /// to report.
    fn damage_or(&self, e: StoreError) -> StoreError {
        match failing_pages(&self.conn).len() {
            0 => e,
            n => StoreError::Damaged(format!("{n} of its pages fail their authentication check")),
        }
    }

    /// Opens a case file with its raw key (or none, for the unencrypted test files).
    #[doc(hidden)]
    pub fn open_keyed(path: &Path, key: Option<&[u8; 32]>, login: &str, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut conn = open_connection(path, key, false)?;
        schema::migrate(&mut conn)?;
        audit::repair_head(&conn)?;
        let actor = users::find_active(&conn, login)?
            .ok_or_else(|| StoreError::UnknownUser(login.chars().take(40).collect()))?;
        let toml: String = conn.query_row("SELECT toml FROM profiles ORDER BY id DESC LIMIT 1", [], |r| r.get(0))?;
        // SQLCipher hands back a page that fails its authentication check as zeros (and fails
        // only later statements), so a garbled profile may be the first sign of damage.
        let profile = parse_profile(&toml).map_err(|e| match failing_pages(&conn).len() {
            0 => e,
            n => StoreError::Damaged(format!("{n} of its pages fail their authentication check")),
        })?;
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

    /// Whether this is a demo case file of synthetic people (`dutydesk demo`), as recorded
    /// inside the encrypted file itself, so no file dropped into the folder can claim it.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'demo')", [], |r| {
                r.get(0)
            })?)
    }

    /// Marks a newly made case file as a demo (see [`Store::is_demo`]); data protection lead.
    pub fn mark_demo(&mut self) -> Result<()> {
        let now = self.clock.now();
        let user = self.actor.user_id;
        self.write_as(&[Role::DataProtectionLead], "mark a case file as a demo", |tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('demo', '1') ON CONFLICT(key) DO NOTHING",
                [],
            )?;
            audit::append(tx, now, Some(user), audit::Action::Admin, "case_file", None, &["demo"])
        })
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
                self.profile.role_label(self.actor.role).to_string(),
                what.to_string(),
            ))
        }
    }

    /// The profile text in force.
    pub fn profile_toml(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT toml FROM profiles ORDER BY id DESC LIMIT 1", [], |r| r.get(0))?)
    }

    /// SQLCipher's page check, SQLite's integrity check, the foreign keys and the audit chain.
    /// Returns the problems.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = integrity_problems(&self.conn);
        problems.extend(audit::verify(&self.conn)?);
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
