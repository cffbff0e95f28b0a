//! The errors the store can report. Every message is one sentence a duty officer can act on,
//! and none contains personal data.

use std::path::PathBuf;

/// Anything that can go wrong opening, unlocking or using a case file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "There is no case file in {0}: run `dutydesk init` to create one, or pass --data-dir to choose another folder."
    )]
    NoCaseFile(PathBuf),
    #[error("There is already a case file in {0}: choose another folder with --data-dir.")]
    AlreadyExists(PathBuf),
    #[error("The passphrase is wrong for user \"{0}\": check Caps Lock and try again.")]
    WrongPassphrase(String),
    #[error("There is no user \"{0}\" in this case file: run `dutydesk users list` to see who can unlock it.")]
    UnknownUser(String),
    #[error("{0} is not a dutydesk case file (it is a plain SQLite file or another kind of file): choose the folder that holds your case file with --data-dir.")]
    NotACaseFile(PathBuf),
    #[error(
        "The key file {0} is damaged or not a dutydesk key file: put back keyslots.json from a backup of this folder."
    )]
    BadKeyFile(PathBuf),
    #[error("The key file keyslots.json is missing from {0}, and the case file cannot be opened without it: put it back from a backup of this folder (do not run `dutydesk init`, which would start an empty case file).")]
    KeyFileMissing(PathBuf),
    #[error("The key file in {0} does not open this case file (it belongs to another case file, or is an old copy from before a user was removed): put back this case file's own keyslots.json.")]
    ForeignKeyFile(PathBuf),
    #[error("The case file is damaged ({0}): run `dutydesk check` to see what is wrong; if it confirms the damage, restore the case file from a backup.")]
    Damaged(String),
    #[error("The case file was found damaged by `dutydesk check` and nothing may change it: run `dutydesk check` again to see what is wrong, then restore it from a backup.")]
    KnownDamaged,
    #[error("The disk holding the case file is full: free some space, then try again (nothing was changed).")]
    DiskFull,
    #[error("dutydesk may not write in the data folder ({0}): check that the folder and its files belong to you and are writable by you (folder mode 700, files 600).")]
    NotWritable(String),
    #[error("{0} is a symbolic link, which dutydesk never follows: remove the link (it is not part of a case file) and try again.")]
    Symlink(PathBuf),
    #[error("The case file is in use by another dutydesk{0}: close it there first.")]
    InUse(String),
    #[error("This case file was written by a newer dutydesk (schema {found}, this program knows up to {known}): install the newer version.")]
    NewerSchema { found: i64, known: i64 },
    #[error("{0}")]
    Invalid(String),
    #[error("Your role ({0}) may not do this: {1}.")]
    NotAllowed(String, String),
    #[error("There is no {0} with id {1}.")]
    NotFound(&'static str, i64),
    #[error("The record is restricted (Article 18) and cannot be changed, exported, disclosed or assigned until the restriction is lifted.")]
    Restricted,
    #[error("The data folder could not be used ({0}): check it exists and you may write to it.")]
    Io(std::io::Error),
    #[error("The case file reported an error ({0}): run `dutydesk check`.")]
    Sql(rusqlite::Error),
    #[error("Encryption failed: {0}.")]
    Crypto(String),
}

impl StoreError {
    /// An input error with a sentence that says what is wrong and what to do.
    pub fn invalid(msg: impl Into<String>) -> Self {
        StoreError::Invalid(msg.into())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// File-system errors by their cause: a full disk and a folder dutydesk may not write in each
/// have their own message; anything else is reported as it is.
impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => StoreError::DiskFull,
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => StoreError::NotWritable(e.to_string()),
            _ => StoreError::Io(e),
        }
    }
}

/// SQLite's errors by their cause: a full disk, a file or folder that may not be written, and a
/// damaged file each have their own message; anything else is reported as it is.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                StoreError::NotWritable(e.to_string())
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged(e.to_string()),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::InUse(String::new()),
            _ => StoreError::Sql(e),
        }
    }
}
