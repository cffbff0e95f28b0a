//! The data folder: where the case file, its WAL, the key slots and the lock live.
//!
//! The default is the platform data directory from `directories` (for example
//! `~/.local/share/dutydesk` on Linux); `--data-dir` chooses another. Only one dutydesk may use
//! a data folder at a time: an advisory lock on `dutydesk.lock` says so, and the file holds the
//! process id of the holder so the refusal can name it.

use super::error::{Result, StoreError};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The case file's name inside the data folder.
pub const CASE_FILE: &str = "casefile.db";
/// The key slots' name inside the data folder.
pub const KEY_FILE: &str = "keyslots.json";
const LOCK_FILE: &str = "dutydesk.lock";

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

    /// Whether a case file exists here.
    pub fn exists(&self) -> bool {
        self.case_file().is_file() || self.key_file().is_file()
    }

    /// Takes the folder's lock, failing with [`StoreError::InUse`] if another process holds it.
    pub fn lock(&self) -> Result<DirLock> {
        std::fs::create_dir_all(&self.root)?;
        let path = self.root.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
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
