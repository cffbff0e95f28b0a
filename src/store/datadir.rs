//! The data folder: where the case file, its WAL, the key slots and the lock live.
//!
//! The default is the platform data directory from `directories` (for example
//! `~/.local/share/dutydesk` on Linux); `--data-dir` chooses another. Only one dutydesk may use
//! a data folder at a time: an advisory lock on `dutydesk.lock` says so, and the file holds the
//! process id of the holder so the refusal can name it.
//!
//! Everything dutydesk writes here is private: the folder is made (or tightened to) mode 700 and
//! every file is 600. No file is opened through a symbolic link: the lock and temporary files
//! are opened with `O_NOFOLLOW` or `O_EXCL`, and a link planted in place of the case file, its
//! WAL or its shared-memory file is refused before SQLite can follow it. Files are replaced
//! atomically by [`write_atomic`]: a new temporary file, synced, renamed over, and the folder
//! synced, so an interruption leaves either the old file or the new one.

use super::error::{Result, StoreError};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The case file's name inside the data folder.
pub const CASE_FILE: &str = "casefile.db";
/// The key slots' name inside the data folder.
pub const KEY_FILE: &str = "keyslots.json";
/// The erasure register's name inside the data folder (see [`super::register`]).
pub const REGISTER_FILE: &str = "erasures.sealed";
const LOCK_FILE: &str = "dutydesk.lock";
/// Written when `dutydesk check` finds the case file damaged; while it is there, only `check`
/// may open the file. Holds what check found, with no personal data.
pub const DAMAGED_MARKER: &str = "casefile.damaged";

/// The paths that make up one data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    /// The platform's data directory for dutydesk, if the platform has one.
    pub fn platform_default() -> Option<Self> {
        directories::ProjectDirs::from("uk.org", "dutydesk", "dutydesk").map(|d| DataDir::new(d.data_dir()))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn case_file(&self) -> PathBuf {
        self.root.join(CASE_FILE)
    }
    pub fn key_file(&self) -> PathBuf {
        self.root.join(KEY_FILE)
    }
    pub fn register_file(&self) -> PathBuf {
        self.root.join(REGISTER_FILE)
    }
    /// Where backups go unless told otherwise: a `backups` folder in the data folder (point
    /// `--to` at a USB stick to keep a copy off the laptop).
    pub fn default_backups(&self) -> PathBuf {
        self.root.join("backups")
    }

    /// Whether a case file exists here.
    pub fn exists(&self) -> bool {
        self.case_file().is_file() || self.key_file().is_file()
    }

    /// Whether the disk holding this folder has almost no space left (under 1 MiB free).
    /// SQLite reports some out-of-space failures (growing the shared-memory file, say) as a
    /// plain I/O error; this tells them apart.
    pub fn low_on_space(&self) -> bool {
        free_bytes(&self.root).is_some_and(|free| free < 1024 * 1024)
    }

    /// Replaces an error that a full disk may have caused with [`StoreError::DiskFull`] when
    /// the disk is indeed (almost) full; any other error is returned as it is.
    pub fn explain(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Sql(_) | StoreError::Io(_) | StoreError::Damaged(_) | StoreError::NotWritable(_)
                if self.low_on_space() =>
            {
                StoreError::DiskFull
            }
            other => other,
        }
    }

    /// Where `init` builds a new case file before renaming it into place.
    pub(crate) fn creating_file(&self) -> PathBuf {
        self.root.join(".casefile.db.creating")
    }

    /// Removes a half-built case file left by an interrupted `init`.
    pub(crate) fn remove_creating_files(&self) -> Result<()> {
        let creating = self.creating_file().display().to_string();
        for path in [creating.clone(), format!("{creating}-wal"), format!("{creating}-shm")] {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Finishes an `init` interrupted after its key slots were saved but before the new case
    /// file was renamed into place (both were complete by then). Anything else is left alone.
    pub(crate) fn finish_interrupted_init(&self) -> Result<()> {
        if !self.case_file().exists() && self.key_file().is_file() && self.creating_file().is_file() {
            std::fs::rename(self.creating_file(), self.case_file())?;
            sync_dir(&self.case_file())?;
            self.remove_creating_files()?;
        }
        Ok(())
    }

    /// The marker left when the case file was found damaged.
    pub fn damaged_marker(&self) -> PathBuf {
        self.root.join(DAMAGED_MARKER)
    }

    /// The case file's companions SQLite makes beside it.
    fn sqlite_companions(&self) -> [PathBuf; 4] {
        let case = self.case_file().display().to_string();
        [
            self.case_file(),
            format!("{case}-wal").into(),
            format!("{case}-shm").into(),
            format!("{case}-journal").into(),
        ]
    }

    /// Checks the folder before an existing case file is opened, so each problem gets its own
    /// message: no case file at all, a missing key file, a symbolic link where a case file
    /// part should be, or a case file, WAL or shared-memory file that may not be written
    /// (which would make SQLite open read-only and leave a read-only shared-memory file behind
    /// for everyone after).
    pub fn check_before_open(&self) -> Result<()> {
        for path in self
            .sqlite_companions()
            .iter()
            .chain([self.key_file(), self.root.join(LOCK_FILE)].iter())
        {
            if let Ok(meta) = std::fs::symlink_metadata(path) {
                if meta.file_type().is_symlink() {
                    return Err(StoreError::Symlink(path.clone()));
                }
            }
        }
        let case = self.case_file().is_file();
        let keys = self.key_file().is_file();
        match (case, keys) {
            (false, false) => return Err(StoreError::NoCaseFile(self.root.clone())),
            (true, false) => return Err(StoreError::KeyFileMissing(self.root.clone())),
            (false, true) => {
                return Err(StoreError::Damaged(
                    "casefile.db is missing but its key file is there".into(),
                ))
            }
            (true, true) => {}
        }
        for path in self.sqlite_companions() {
            if let Ok(meta) = std::fs::metadata(&path) {
                if meta.permissions().readonly() {
                    return Err(StoreError::NotWritable(format!(
                        "{} is read-only",
                        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Creates the folder if needed and makes it private (700).
    pub fn ensure_private_root(&self) -> Result<()> {
        std::fs::create_dir_all(&self.root)?;
        make_private_dir(&self.root)?;
        Ok(())
    }

    /// Takes the folder's lock, failing with [`StoreError::InUse`] if another process holds it.
    pub fn lock(&self) -> Result<DirLock> {
        self.ensure_private_root()?;
        let path = self.root.join(LOCK_FILE);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        no_follow(&mut options);
        let mut file = options.open(&path).map_err(|e| link_error(e, &path))?;
        make_private(&path)?;
        // A holder that is just closing (or a child process that has not yet finished
        // starting and still shares the descriptor) lets go within moments: try for a second.
        let mut tries = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if tries < 20 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let pid = holder.trim();
                    let who = if pid.chars().all(|c| c.is_ascii_digit()) && !pid.is_empty() {
                        format!(" (process {pid})")
                    } else {
                        String::new()
                    };
                    return Err(StoreError::InUse(who));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::Io(e)),
            }
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        write!(file, "{}", std::process::id())?;
        file.flush()?;
        Ok(DirLock { _file: file })
    }
}

/// Free bytes for an unprivileged user on the file system holding `path`.
fn free_bytes(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out-parameter;
        // statvfs only writes into `st`.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
            return None;
        }
        // The field types differ between platforms (u32 on some 32-bit ones).
        #[allow(clippy::useless_conversion)]
        let (blocks, size) = (u64::from(st.f_bavail), u64::from(st.f_frsize));
        Some(blocks.saturating_mul(size))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Opening never follows a symbolic link in the last part of the path (Unix).
fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Creates a file that must not exist yet (never through a link), readable and writable by
/// its owner only: every file dutydesk writes outside SQLite (key slots, backups, bundles)
/// starts here.
pub(crate) fn create_private_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    no_follow(&mut options);
    options.open(path)
}

/// `O_NOFOLLOW` on a link fails with ELOOP: say what it is.
fn link_error(e: std::io::Error, path: &Path) -> StoreError {
    let is_link = std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if is_link {
        StoreError::Symlink(path.to_path_buf())
    } else {
        e.into()
    }
}

/// Replaces `path` with `bytes` atomically and privately: a new temporary file beside it
/// (created exclusively, so never through a link), written, synced, renamed over `path`, and
/// the folder synced so the rename itself survives a power cut. An interruption at any step
/// leaves the old file or the new one, never a mixture.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    // A stale temporary file (or a link planted in its place) from an earlier interruption:
    // removing a link removes the link, never its target.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let result = (|| -> Result<()> {
        let mut f = create_private_new(&tmp).map_err(|e| link_error(e, &tmp))?;
        make_private(&tmp)?;
        super::faults::step("temporary file created")?;
        f.write_all(bytes)?;
        super::faults::step("temporary file written")?;
        f.sync_all()?;
        super::faults::step("temporary file synced")?;
        std::fs::rename(&tmp, path)?;
        super::faults::step("renamed over")?;
        sync_dir(path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Syncs the folder holding `path`, so a rename or a new file in it survives a power cut.
pub fn sync_dir(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes a folder usable by its owner only (700 on Unix).
pub(crate) fn make_private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes a file readable and writable by its owner only (on Unix; elsewhere the folder's
/// permissions apply).
pub(crate) fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Held while a data folder is open; the lock is released when this is dropped.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}
