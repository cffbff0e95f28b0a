//! Backups: one file holding a consistent, encrypted copy of the case file, written while it is
//! open, that any user on the case file opens with their passphrase; and the restore that never
//! brings an erased person back.
//!
//! The file (`dutydesk-backup-YYYYMMDD-HHMMSS.ddbak`):
//!
//! 1. `DUTYDESK-BACKUP` and a newline: what it is;
//! 2. one line of JSON, the [`Header`]: when it was made, from which case file (the case file's
//!    SQLCipher salt, not secret), the schema version, the users' key slots sealing the
//!    backup's own key, and the erasure register sealed under that key; no personal value;
//! 3. one line: an XChaCha20-Poly1305 tag over the header under the backup key, so an altered
//!    header is refused once the key is open;
//! 4. the database: SQLite's online backup of the live file into a new SQLCipher file under a
//!    fresh random key (never the live key: removing a user re-keys the case file, and an old
//!    backup must not share its key), with its length and SHA-256 in the header.
//!
//! It is written to a temporary name beside its final one (created exclusively, 0600), synced,
//! renamed, and the folder synced. Restoring re-applies every erasure in the registers it can
//! open (the backup's own, this laptop's, and those of newer backups beside it), before the
//! restored file is used.

use super::datadir::{self, DataDir};
use super::error::{Result, StoreError};
use super::ids::new_id;
use super::keyslots::{new_db_key, DbKey, KeyFile};
use super::register::{merged, open_bytes, seal_bytes, Erased, SealedRegister};
use super::{audit, Store};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "DUTYDESK-BACKUP";
const FORMAT: u32 = 1;
const HEADER_AAD: &str = "dutydesk-backup-header-v1";
const REGISTER_AAD: &str = "dutydesk-backup-register-v1";
/// A header longer than this is not a dutydesk backup's.
const MAX_HEADER: u64 = 4 << 20;
/// The file name ending of a backup.
pub const EXTENSION: &str = "ddbak";
/// Pages copied per step of the online backup (about 4 MB), between progress reports.
const PAGES_PER_STEP: i32 = 1024;

/// What a backup says about itself before it is opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    pub made_at: NaiveDateTime,
    pub organisation: String,
    /// The case file it was taken from: its own random id (see [`Store::case_file_id`]).
    pub case_file_id: String,
    pub schema_version: i64,
    /// Who made it (a login).
    pub made_by: String,
    key_file: KeyFile,
    register_nonce: String,
    register_ct: String,
    pub db_bytes: u64,
    db_sha256: String,
}

/// A backup written.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub made_at: NaiveDateTime,
    /// Older backups removed from the folder to keep the newest `--keep`.
    pub retired: Vec<PathBuf>,
}

/// What `backup verify` found in a backup.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    pub header: Header,
    pub people: i64,
    pub users: Vec<String>,
    pub erased: usize,
    /// What the integrity and audit-chain checks found (empty when all is well).
    pub problems: Vec<String>,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub made_at: NaiveDateTime,
    pub people: i64,
    /// People erased after the backup was taken, erased again.
    pub reerased: usize,
    /// Where the case file it replaced was kept, if there was one.
    pub replaced_kept_in: Option<PathBuf>,
    /// Newer backups and register copies beside the backup that this passphrase could not
    /// open (their erasures may not have been re-applied).
    pub unreadable_registers: usize,
}

/// The key the header's tag and the register are sealed under: derived from the backup key,
/// so no key serves both SQLCipher and XChaCha20-Poly1305.
pub(crate) fn aead_key(key: &DbKey) -> DbKey {
    let mut h = Sha256::new();
    h.update(b"dutydesk-backup-aead-v1");
    h.update(key.as_ref());
    zeroize::Zeroizing::new(h.finalize().into())
}

/// A backup's path for a moment: the folder, then a name from the time.
fn backup_name(folder: &Path, at: NaiveDateTime) -> PathBuf {
    folder.join(format!("dutydesk-backup-{}.{EXTENSION}", at.format("%Y%m%d-%H%M%S")))
}

/// Makes sure files can be written into `folder` (`what` names it: "backup folder"): made
/// (private) if it does not exist yet, and written to once, so a missing stick, a file in its
/// place or a read-only folder gets a sentence naming the folder before anything else happens.
pub(crate) fn writable_folder(folder: &Path, what: &str) -> Result<()> {
    let say = |why: String| {
        StoreError::invalid(format!(
            "The {what} {} cannot be used ({why}): check the stick is in and the folder exists, or choose another folder. Nothing was written.",
            folder.display()
        ))
    };
    if folder.exists() && !folder.is_dir() {
        return Err(say("it is a file, not a folder".into()));
    }
    if !folder.exists() {
        std::fs::create_dir_all(folder).map_err(|e| say(e.to_string()))?;
        datadir::make_private_dir(folder).map_err(|e| say(e.to_string()))?;
    }
    let probe = folder.join(format!(".dutydesk-probe-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    options.open(&probe).map_err(|e| say(e.to_string()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Opens a new SQLCipher file at `path` under `key`.
pub(crate) fn open_keyed_new(path: &Path, key: &DbKey) -> Result<Connection> {
    super::initialise_sqlite();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    let conn = Connection::open_with_flags(path, flags)?;
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    conn.execute_batch(&super::key_pragma(key))?;
    Ok(conn)
}

/// SQLite's online backup of `src` into a new SQLCipher file at `path` under `key` (0600),
/// consistent even while another connection writes, with everything in the main file and no
/// WAL beside it. `progress` is told pages done and pages in all.
pub(crate) fn copy_live(src: &Connection, path: &Path, key: &DbKey, progress: &mut dyn FnMut(u64, u64)) -> Result<()> {
    let mut dst = open_keyed_new(path, key)?;
    datadir::make_private(path)?;
    let copy = rusqlite::backup::Backup::new(src, &mut dst)?;
    loop {
        let step = copy.step(PAGES_PER_STEP)?;
        let p = copy.progress();
        let total = p.pagecount.max(0) as u64;
        progress(total.saturating_sub(p.remaining.max(0) as u64), total);
        match step {
            rusqlite::backup::StepResult::Done => break,
            rusqlite::backup::StepResult::More => {}
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    drop(copy);
    dst.execute_batch("PRAGMA journal_mode = DELETE;")?;
    dst.close().map_err(|(_, e)| e)?;
    Ok(())
}

fn sha256_of(path: &Path) -> Result<(u64, String)> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}

/// The backups in `folder`, oldest first (their names sort by time).
pub fn backups_in(folder: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|e| e == EXTENSION)
                        && p.file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with("dutydesk-backup-"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

impl Store {
    /// Writes a backup into `folder` (made private if dutydesk creates it), keeping the newest
    /// `keep` backups there if given. `progress` hears (pages copied, pages in all) as the copy
    /// goes. Audited, and the date is kept for the handover.
    pub fn backup(
        &mut self,
        folder: &Path,
        keep: Option<usize>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BackupReport> {
        let dir = self.dir.clone().ok_or_else(|| {
            StoreError::invalid("This case file was opened without its folder: it cannot be backed up.")
        })?;
        writable_folder(folder, "backup folder")?;
        let now = self.clock().now();
        let path = backup_name(folder, now);
        if path.exists() {
            return Err(StoreError::invalid(
                "A backup made this very second is already there: wait a second and try again.",
            ));
        }
        let key = new_db_key()?;
        let slots = KeyFile::load(&dir.key_file())?;
        let mut key_file = slots.clone();
        key_file.rekey_for(|_| true, &key)?;

        // 1. The online backup, into a temporary SQLCipher file under the backup key.
        let tmp_db = folder.join(format!(".{}.db.tmp", now.format("%Y%m%d-%H%M%S")));
        let _ = std::fs::remove_file(&tmp_db);
        let tmp = path.with_extension(format!("{EXTENSION}.tmp"));
        let result = (|| -> Result<PathBuf> {
            copy_live(&self.conn, &tmp_db, &key, progress)?;
            let (db_bytes, db_sha256) = sha256_of(&tmp_db)?;
            let register = serde_json::to_vec(&self.erased()?).map_err(|e| StoreError::invalid(e.to_string()))?;
            let (register_nonce, register_ct) = seal_bytes(&aead_key(&key), REGISTER_AAD, &register)?;
            let header = Header {
                format: FORMAT,
                made_at: now,
                organisation: self.organisation()?,
                case_file_id: self.case_file_id()?,
                schema_version: super::schema::latest(),
                made_by: self.actor().login.clone(),
                key_file,
                register_nonce,
                register_ct,
                db_bytes,
                db_sha256,
            };
            let header_json = serde_json::to_string(&header).map_err(|e| StoreError::invalid(e.to_string()))?;
            let (tag_nonce, tag) = seal_bytes(&aead_key(&key), HEADER_AAD, header_json.as_bytes())?;
            // 2. The file: header, tag, database; to a temporary name, synced, renamed.
            let _ = std::fs::remove_file(&tmp);
            {
                let mut out = datadir::create_private_new(&tmp)?;
                datadir::make_private(&tmp)?;
                writeln!(out, "{MAGIC}")?;
                writeln!(out, "{header_json}")?;
                writeln!(out, "{tag_nonce}:{tag}")?;
                std::io::copy(&mut File::open(&tmp_db)?, &mut out)?;
                out.sync_all()?;
            }
            std::fs::rename(&tmp, &path)?;
            datadir::sync_dir(&path)?;
            Ok(path.clone())
        })();
        // Whatever the outcome, no temporary file stays (all encrypted, but partial).
        for leftover in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{leftover}", tmp_db.display()));
        }
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        let path = result?;
        let bytes = std::fs::metadata(&path)?.len();
        let user = self.actor().user_id;
        self.write(|tx| {
            for (key, value) in [
                ("last_backup", now.format("%Y-%m-%dT%H:%M:%S").to_string()),
                // Absolute, so the next backup from another working folder goes to the same place.
                (
                    "backup_folder",
                    std::fs::canonicalize(folder)
                        .unwrap_or_else(|_| folder.to_path_buf())
                        .display()
                        .to_string(),
                ),
            ] {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [key, &value],
                )?;
            }
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Admin,
                "case_file",
                None,
                &["backup"],
            )
        })?;
        // The register beside the case file is brought up to date with every backup too.
        let _ = self.write_register();
        let mut retired = Vec::new();
        if let Some(keep) = keep {
            // Only this case file's backups, and never the one just written.
            let lineage = self.case_file_id()?;
            let all: Vec<PathBuf> = backups_in(folder)
                .into_iter()
                .filter(|p| *p != path && header_of(p).is_ok_and(|h| h.case_file_id == lineage))
                .collect();
            let excess = all.len().saturating_sub(keep.max(1) - 1);
            for old in all.into_iter().take(excess) {
                if std::fs::remove_file(&old).is_ok() {
                    retired.push(old);
                }
            }
            if !retired.is_empty() {
                datadir::sync_dir(&path)?;
            }
        }
        Ok(BackupReport {
            path,
            bytes,
            made_at: now,
            retired,
        })
    }

    /// Where the next backup goes unless the user says otherwise: the folder the last one went
    /// to, else `backups` in the data folder.
    pub fn backup_folder(&self) -> Option<PathBuf> {
        use rusqlite::OptionalExtension;
        let last: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'backup_folder'", [], |r| r.get(0))
            .optional()
            .ok()
            .flatten();
        last.map(PathBuf::from)
            .or_else(|| self.dir.as_ref().map(DataDir::default_backups))
    }

    /// When the last backup was made from this case file, if ever.
    pub fn last_backup(&self) -> Result<Option<NaiveDateTime>> {
        use rusqlite::OptionalExtension;
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'last_backup'", [], |r| r.get(0))
            .optional()?;
        Ok(v.and_then(|s| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S").ok()))
    }

    /// Erases again everyone in `register` who is in this (restored) case file, as the
    /// original erasure did: Article 19 tasks for the recipients of their data (if the request
    /// is in the file), takedown tasks for their live publications, every row, the ledger entry, the tombstone and the audit entry, all in
    /// one transaction. Those not in the file get a tombstone too, so the register rewritten
    /// from the tombstones never forgets them. Returns how many were erased again.
    pub(crate) fn reapply_erasures(&mut self, register: &[Erased]) -> Result<usize> {
        let profile = self.profile().clone();
        let mut present = Vec::new();
        for e in register {
            let here: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)",
                [e.person_id],
                |r| r.get(0),
            )?;
            if here {
                present.push(*e);
            }
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            for e in register {
                tx.execute(
                    "INSERT OR IGNORE INTO tombstones (person_id, erased_on, request_id) VALUES (?1, ?2, ?3)",
                    rusqlite::params![e.person_id, e.erased_on, e.request_id],
                )?;
            }
            for e in &present {
                let request = match e.request_id {
                    Some(r) => tx
                        .query_row("SELECT id FROM rights_requests WHERE id = ?1", [r], |row| row.get::<_, i64>(0))
                        .ok(),
                    None => None,
                };
                if let Some(r) = request {
                    super::fulfil::create_article19_tasks(tx, e.person_id, Some(r), false, now.date(), now, user)?;
                }
                super::takedowns::create_takedown_tasks(tx, &profile, e.person_id, request, false, now.date(), now, user)?;
                let removed = super::erase::remove_person(tx, e.person_id)?;
                let ledger = serde_json::to_string(&removed).map_err(|err| StoreError::invalid(err.to_string()))?;
                tx.execute(
                    concat!("INSERT INTO erasure_ledger (id, person_id, request_id, erased_on, by_user, rows_removed) VALUES (", new_id!("erasure_ledger"), ", ?1, ?2, ?3, ?4, ?5)"),
                    rusqlite::params![e.person_id, request, now.date(), user, ledger],
                )?;
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Erase,
                    "person",
                    Some(e.person_id),
                    &["reapplied after restore"],
                )?;
            }
            // The restore's own entry (written even when nothing was erased again).
            audit::append(tx, now, Some(user), audit::Action::Admin, "case_file", None, &["restore"])
        })?;
        self.checkpoint()?;
        Ok(present.len())
    }
}

/// A backup file opened far enough to read its header, not yet its key.
struct Opened {
    header: Header,
    header_json: String,
    tag: String,
    /// Where the database starts in the file.
    db_offset: u64,
}

fn not_a_backup(path: &Path) -> StoreError {
    StoreError::invalid(format!(
        "{} is not a dutydesk backup (or its first lines are damaged): nothing was written.",
        path.display()
    ))
}

fn read_backup(path: &Path) -> Result<Opened> {
    let f = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::invalid(format!("There is no file {}.", path.display())),
        _ => e.into(),
    })?;
    let mut r = BufReader::new(f).take(MAX_HEADER);
    let line = |r: &mut dyn BufRead| -> Result<String> {
        let mut s = String::new();
        r.read_line(&mut s).map_err(|_| not_a_backup(path))?;
        if !s.ends_with('\n') {
            return Err(not_a_backup(path));
        }
        s.pop();
        Ok(s)
    };
    let magic = line(&mut r)?;
    if magic != MAGIC {
        return Err(not_a_backup(path));
    }
    let header_json = line(&mut r)?;
    let tag = line(&mut r)?;
    let header: Header = serde_json::from_str(&header_json).map_err(|_| not_a_backup(path))?;
    if !header.key_file.is_sane() {
        return Err(not_a_backup(path));
    }
    if header.format > FORMAT || header.schema_version > super::schema::latest() {
        return Err(StoreError::invalid(format!(
            "{} was made by a newer dutydesk (backup format {}, schema version {}): install that version to open it. Nothing was written.",
            path.display(),
            header.format,
            header.schema_version
        )));
    }
    let db_offset = (MAGIC.len() + header_json.len() + tag.len() + 3) as u64;
    Ok(Opened {
        header,
        header_json,
        tag,
        db_offset,
    })
}

/// Opens a backup's key with a user's passphrase, checks the header's tag and the database's
/// length and digest. A wrong passphrase, an altered header and a truncated or altered database
/// each get their own sentence.
fn unlock_backup(path: &Path, login: &str, passphrase: &str) -> Result<(Opened, DbKey)> {
    let opened = read_backup(path)?;
    let key = opened
        .header
        .key_file
        .unlock(login, passphrase, path)
        .map_err(|e| match e {
            StoreError::UnknownUser(u) => StoreError::invalid(format!(
                "{u} was not a user of the case file when this backup was made: sign in as one who was ({}).",
                opened.header.key_file.users().collect::<Vec<_>>().join(", ")
            )),
            StoreError::WrongPassphrase(u) => StoreError::invalid(format!(
                "That passphrase does not open this backup for {u}: use the passphrase {u} had on {}.",
                opened.header.made_at.format("%d/%m/%Y")
            )),
            other => other,
        })?;
    let (nonce, tag) = opened.tag.split_once(':').ok_or_else(|| not_a_backup(path))?;
    // The tag seals the header itself (an empty message would do; sealing the header
    // gives the same guarantee and reuses one helper).
    let sealed = open_bytes(&aead_key(&key), HEADER_AAD, nonce, tag);
    if sealed.as_deref() != Some(opened.header_json.as_bytes()) {
        return Err(StoreError::invalid(format!(
            "The header of {} was altered after the backup was made: it cannot be trusted, and nothing was written.",
            path.display()
        )));
    }
    let len = std::fs::metadata(path)?.len();
    let expected = opened
        .db_offset
        .checked_add(opened.header.db_bytes)
        .ok_or_else(|| not_a_backup(path))?;
    if len != expected {
        return Err(StoreError::invalid(format!(
            "{} is cut short or has bytes added ({} bytes where {} were written): copy it again from where it was made. Nothing was written.",
            path.display(),
            len,
            expected
        )));
    }
    Ok((opened, key))
}

/// Whether the database in the backup is the one its header describes (SHA-256), read through
/// once, before anything is written.
fn check_digest(path: &Path, opened: &Opened) -> Result<()> {
    let mut f = File::open(path)?;
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(opened.db_offset))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut HashWriter(&mut h))?;
    if hex::encode(h.finalize()) != opened.header.db_sha256 {
        return Err(altered_db(path));
    }
    Ok(())
}

/// Feeds what is written to it into a hash.
struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn altered_db(path: &Path) -> StoreError {
    StoreError::invalid(format!(
        "The case file inside {} was altered or damaged after the backup was made: nothing was written.",
        path.display()
    ))
}

/// Copies a backup's database out to `to` and checks its digest on the way.
fn extract_db(path: &Path, opened: &Opened, to: &Path) -> Result<()> {
    let mut f = File::open(path)?;
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(opened.db_offset))?;
    let mut out = datadir::create_private_new(to)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        out.write_all(&buf[..k])?;
    }
    out.sync_all()?;
    if hex::encode(h.finalize()) != opened.header.db_sha256 {
        let _ = std::fs::remove_file(to);
        return Err(altered_db(path));
    }
    Ok(())
}

fn backup_register(path: &Path, opened: &Opened, key: &DbKey) -> Result<Vec<Erased>> {
    let plain = open_bytes(
        &aead_key(key),
        REGISTER_AAD,
        &opened.header.register_nonce,
        &opened.header.register_ct,
    )
    .ok_or_else(|| not_a_backup(path))?;
    serde_json::from_slice(&plain).map_err(|_| not_a_backup(path))
}

/// Opens a backup with a user's passphrase and checks it without restoring it: its header,
/// its database's digest, SQLite's integrity check and the audit chain. Nothing is written
/// but a private temporary copy, removed afterwards.
pub fn verify(
    path: &Path,
    login: &str,
    passphrase: &str,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) -> Result<BackupSummary> {
    let (opened, key) = unlock_backup(path, login, passphrase)?;
    check_digest(path, &opened)?;
    let erased = backup_register(path, &opened, &key)?.len();
    let tmp = tempfile::Builder::new().prefix("dutydesk-verify-").tempdir()?;
    datadir::make_private_dir(tmp.path())?;
    let db = tmp.path().join(datadir::CASE_FILE);
    extract_db(path, &opened, &db)?;
    let store = Store::open_keyed(&db, Some(&key), login, clock)?;
    let problems = store.check()?;
    let people: i64 = store.conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
    let users = opened.header.key_file.users().map(String::from).collect();
    drop(store);
    Ok(BackupSummary {
        header: opened.header,
        people,
        users,
        erased,
        problems,
    })
}

/// Reads the header of a backup without its key (for listing what a folder holds).
pub fn header_of(path: &Path) -> Result<Header> {
    Ok(read_backup(path)?.header)
}

/// The files that make up a case file in a data folder (whatever of them exists): what a
/// restore moves aside, and puts back if it fails.
fn case_file_parts() -> Vec<String> {
    let db = datadir::CASE_FILE;
    let key = datadir::KEY_FILE;
    vec![
        db.to_string(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        format!("{db}-journal"),
        key.to_string(),
        format!("{key}.pending"),
        format!("{key}.next"),
        datadir::REGISTER_FILE.to_string(),
        datadir::DAMAGED_MARKER.to_string(),
    ]
}

/// Restores a backup into `into`, holding the folder's lock from before anything moves until
/// the restored file is open. If `into` holds a case file, `replace` must be true (the caller
/// has asked): the live case file, its key slots, register and any damage marker are then
/// moved into a `replaced-YYYYMMDD-HHMMSS` folder beside them first, and moved back if the
/// restore fails. Before the restored file is used, every erasure of this case file in the
/// registers the passphrases open (the backup's, the replaced case file's, those of newer
/// backups in the backup's folder, and the register copy an erasure left there) is applied
/// again. `live_passphrase` opens the replaced
/// case file's register if the user's passphrase has changed since the backup.
pub fn restore(
    path: &Path,
    into: &DataDir,
    login: &str,
    passphrase: &str,
    live_passphrase: Option<&str>,
    replace: bool,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) -> Result<RestoreReport> {
    let (opened, key) = unlock_backup(path, login, passphrase)?;
    check_digest(path, &opened)?;
    let lineage = opened.header.case_file_id.clone();
    let mut registers = vec![backup_register(path, &opened, &key)?];
    let mut unreadable = 0;
    // Newer backups of the same case file beside this one know of later erasures.
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    for other in backups_in(&folder) {
        if other.file_name() == path.file_name() {
            continue;
        }
        let Ok(h) = read_backup(&other).map(|o| o.header) else {
            unreadable += 1;
            continue;
        };
        if h.case_file_id != lineage || h.made_at <= opened.header.made_at {
            continue;
        }
        match unlock_backup(&other, login, passphrase).and_then(|(o, k)| backup_register(&other, &o, &k)) {
            Ok(r) => registers.push(r),
            Err(_) => unreadable += 1,
        }
    }
    // The register copy an erasure left beside the backups, if any.
    let beside = folder.join(super::register::beside_backups(&lineage));
    if beside.is_file() {
        match SealedRegister::load(&beside).and_then(|r| r.open(login, passphrase, &beside)) {
            Ok(r) => registers.push(r),
            Err(_) => unreadable += 1,
        }
    }
    let now = clock.now();
    let made_folder = !into.root().is_dir();
    if made_folder {
        std::fs::create_dir_all(into.root())?;
    }
    let lock = into.lock()?;
    let live = into.exists();
    if live && !replace {
        return Err(StoreError::invalid(format!(
            "{} already holds a case file: restoring would replace it. Say so explicitly (--replace), or restore into an empty folder.",
            into.root().display()
        )));
    }
    let mut keep = None;
    if !live {
        // A damage marker left by a case file that is no longer here says nothing about the
        // one being restored.
        let _ = std::fs::remove_file(into.damaged_marker());
    }
    if live {
        let live_register = into.register_file();
        if live_register.exists() {
            let reg = SealedRegister::load(&live_register)?;
            if reg.case_file_id == lineage {
                let pass = live_passphrase.unwrap_or(passphrase);
                registers.push(reg.open(login, pass, &live_register).map_err(|_| {
                    StoreError::invalid(format!(
                        "Your passphrase does not open this laptop's erasure register ({}), so erasures made here since the backup could not be re-applied: nothing was changed. Give your passphrase on this laptop as it is now.",
                        live_register.display()
                    ))
                })?);
            }
        }
        let dir = into.root().join(format!("replaced-{}", now.format("%Y%m%d-%H%M%S")));
        std::fs::create_dir(&dir)?;
        datadir::make_private_dir(&dir)?;
        move_case_file(into.root(), &dir)?;
        keep = Some(dir);
    }
    match restore_into(path, &opened, into, lock, login, passphrase, registers, clock) {
        Ok((people, reerased)) => Ok(RestoreReport {
            made_at: opened.header.made_at,
            people,
            reerased,
            replaced_kept_in: keep,
            unreadable_registers: unreadable,
        }),
        Err(e) => {
            // Nothing half-restored stays: what this restore wrote goes, and the case file
            // that was there comes back as it was.
            for name in case_file_parts() {
                let _ = std::fs::remove_file(into.root().join(name));
            }
            let _ = std::fs::remove_file(into.root().join(format!(".{}.restoring", datadir::CASE_FILE)));
            if let Some(dir) = &keep {
                let _ = move_case_file(dir, into.root());
                let _ = std::fs::remove_dir(dir);
            }
            if made_folder {
                let _ = std::fs::remove_file(into.root().join("dutydesk.lock"));
                let _ = std::fs::remove_dir(into.root());
            }
            Err(e)
        }
    }
}

/// Moves a case file's parts (see [`case_file_parts`]) from one folder to another, and syncs
/// both folders.
fn move_case_file(from: &Path, to: &Path) -> Result<()> {
    for name in case_file_parts() {
        let src = from.join(&name);
        if src.exists() {
            std::fs::rename(&src, to.join(&name))?;
        }
    }
    datadir::sync_dir(&from.join("x"))?;
    datadir::sync_dir(&to.join("x"))?;
    Ok(())
}

/// Writes the backup's case file and key slots into `into` (empty of a case file by now),
/// re-applies the erasures in `registers`, records the restore: (people, people erased again).
#[allow(clippy::too_many_arguments)]
fn restore_into(
    path: &Path,
    opened: &Opened,
    into: &DataDir,
    lock: datadir::DirLock,
    login: &str,
    passphrase: &str,
    registers: Vec<Vec<Erased>>,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
) -> Result<(i64, usize)> {
    into.ensure_private_root()?;
    // The database, then its key slots (the backup's own: the same users, the backup key).
    let tmp = into.root().join(format!(".{}.restoring", datadir::CASE_FILE));
    let _ = std::fs::remove_file(&tmp);
    extract_db(path, opened, &tmp)?;
    std::fs::rename(&tmp, into.case_file())?;
    datadir::sync_dir(&into.case_file())?;
    let mut slots = opened.header.key_file.clone();
    let mut salt = [0u8; 16];
    File::open(into.case_file())?.read_exact(&mut salt)?;
    slots.set_case_file_salt(salt);
    slots.save(&into.key_file())?;
    // Re-apply the erasures, then record the restore; the register is rewritten from the
    // tombstones, which now include every one.
    let register = merged(registers);
    let mut store = Store::unlock_holding(into, Some(lock), login, passphrase, clock)?;
    let reerased = store.reapply_erasures(&register)?;
    store.write_register()?;
    let people: i64 = store.conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?;
    Ok((people, reerased))
}
