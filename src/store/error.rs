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
    #[error("{0} is not a dutydesk case file (it may be corrupt, a plain SQLite file or another kind of file): restore it from a backup or choose another folder.")]
    NotACaseFile(PathBuf),
    #[error("The key file {0} is damaged or not a dutydesk key file: restore it from a backup.")]
    BadKeyFile(PathBuf),
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
    Io(#[from] std::io::Error),
    #[error("The case file reported an error ({0}): run `dutydesk check`.")]
    Sql(#[from] rusqlite::Error),
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
