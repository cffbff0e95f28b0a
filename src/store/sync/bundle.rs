//! The bundle file one laptop writes for another (`*.ddsync`): the changes since the two last
//! met, sealed so that nothing on the way can be read without a user's passphrase.
//!
//! The file:
//!
//! 1. `DUTYDESK-SYNC` and a newline;
//! 2. one line of JSON, the [`Header`]: which case file, from which laptop to which, its
//!    number in the exchange, when and by whom it was made, and the users' key slots sealing
//!    the bundle's own random key. No personal value.
//! 3. one line, `nonce:ciphertext` (hex): the body (the changeset, and from the hub the case
//!    file's key and key slots) sealed with XChaCha20-Poly1305 under the bundle key, with the
//!    header as associated data, so an altered header or body is refused as a whole.
//!
//! Written to a temporary name beside its final one (0600), synced and renamed.

use super::super::backup::aead_key;
use super::super::datadir;
use super::super::error::{Result, StoreError};
use super::super::keyslots::{DbKey, KeyFile};
use super::super::register::{open_bytes, seal_bytes};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "DUTYDESK-SYNC";
const FORMAT: u32 = 1;
const BODY_AAD: &str = "dutydesk-sync-body-v1:";
/// A header longer than this is not a bundle's.
const MAX_HEADER: u64 = 4 << 20;
/// The file name ending of a bundle.
pub const EXTENSION: &str = "ddsync";

/// Which exchange a bundle belongs to: the case file, the two laptops, its number and base.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exchange {
    /// The case file both laptops hold (see [`super::super::Store::case_file_id`]).
    pub case_file_id: String,
    pub from_device: i64,
    pub from_name: String,
    pub to_device: i64,
    /// This bundle's number among those `from_device` made for `to_device`.
    pub seq: i64,
    /// The shared base copy the changes start from (how many exchanges both have taken in).
    pub generation: i64,
    /// The last bundle from `to_device` that `from_device` had taken in when this was made.
    pub acks: i64,
    pub made_at: NaiveDateTime,
    /// Who made it (a login).
    pub made_by: String,
}

/// What a bundle says about itself before it is opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: u32,
    #[serde(flatten)]
    pub exchange: Exchange,
    pub schema_version: i64,
    key_file: KeyFile,
}

/// What only the hub sends: the case file's key and the users' key slots, so users added or
/// removed on the hub reach the other laptops.
#[derive(Serialize, Deserialize)]
pub(crate) struct HubKeys {
    db_key: String,
    key_file: KeyFile,
}

impl HubKeys {
    pub(crate) fn new(db_key: &DbKey, key_file: KeyFile) -> Self {
        HubKeys {
            db_key: hex::encode(db_key.as_ref()),
            key_file,
        }
    }

    pub(crate) fn db_key(&self) -> Option<DbKey> {
        let bytes: [u8; 32] = hex::decode(&self.db_key).ok()?.try_into().ok()?;
        Some(zeroize::Zeroizing::new(bytes))
    }

    pub(crate) fn key_file(&self) -> &KeyFile {
        &self.key_file
    }
}

#[derive(Serialize, Deserialize)]
struct Body {
    changeset: String,
    hub: Option<HubKeys>,
}

/// A bundle opened with a user's passphrase.
pub(crate) struct Opened {
    pub header: Header,
    pub changeset: Vec<u8>,
    pub hub: Option<HubKeys>,
}

/// The bundle's file name: from which laptop to which, when, and its number.
pub fn file_name(from: i64, to: i64, at: NaiveDateTime, seq: i64) -> String {
    format!(
        "dutydesk-laptop{from}-to-laptop{to}-{}-{seq}.{EXTENSION}",
        at.format("%Y%m%d-%H%M")
    )
}

/// Writes a bundle into `folder`, its key sealed to the users' key slots `slots` (this
/// laptop's); its path.
pub(crate) fn write(
    folder: &Path,
    exchange: Exchange,
    slots: &KeyFile,
    changeset: &[u8],
    hub: Option<HubKeys>,
) -> Result<PathBuf> {
    let key = super::super::keyslots::new_db_key()?;
    let mut key_file = slots.clone();
    key_file.rekey_for(|_| true, &key)?;
    let header = Header {
        format: FORMAT,
        exchange,
        schema_version: super::super::schema::latest(),
        key_file,
    };
    let header_json = serde_json::to_string(&header).map_err(|e| StoreError::invalid(e.to_string()))?;
    let body = serde_json::to_vec(&Body {
        changeset: hex::encode(changeset),
        hub,
    })
    .map_err(|e| StoreError::invalid(e.to_string()))?;
    let (nonce, ct) = seal_bytes(&aead_key(&key), &format!("{BODY_AAD}{header_json}"), &body)?;
    let path = folder.join(file_name(
        header.exchange.from_device,
        header.exchange.to_device,
        header.exchange.made_at,
        header.exchange.seq,
    ));
    let tmp = path.with_extension(format!("{EXTENSION}.tmp"));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> Result<()> {
        let mut out = datadir::create_private_new(&tmp)?;
        datadir::make_private(&tmp)?;
        writeln!(out, "{MAGIC}")?;
        writeln!(out, "{header_json}")?;
        writeln!(out, "{nonce}:{ct}")?;
        super::super::faults::step("a bundle written, before it is synced")?;
        out.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        datadir::sync_dir(&path)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    Ok(path)
}

fn not_a_bundle(path: &Path) -> StoreError {
    StoreError::invalid(format!(
        "{} is not a dutydesk bundle (or its first lines are damaged): nothing was merged.",
        path.display()
    ))
}

/// The header and the sealed line, read without any key.
fn read(path: &Path) -> Result<(Header, String, String)> {
    if path.is_dir() {
        return Err(StoreError::invalid(format!(
            "{} is a folder: give the bundle file in it (dutydesk-laptopN-to-laptopM-....{EXTENSION}). Nothing was merged.",
            path.display()
        )));
    }
    let f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StoreError::invalid(format!("There is no file {}.", path.display())),
        _ => e.into(),
    })?;
    let mut r = BufReader::new(f);
    let mut line = |limit: u64| -> Result<String> {
        let mut s = String::new();
        (&mut r).take(limit).read_line(&mut s).map_err(|_| not_a_bundle(path))?;
        if !s.ends_with('\n') {
            return Err(not_a_bundle(path));
        }
        s.pop();
        Ok(s)
    };
    if line(64)? != MAGIC {
        return Err(not_a_bundle(path));
    }
    let header_json = line(MAX_HEADER)?;
    let sealed = line(u64::MAX)?;
    let header: Header = serde_json::from_str(&header_json).map_err(|_| not_a_bundle(path))?;
    if !header.key_file.is_sane() {
        return Err(not_a_bundle(path));
    }
    if header.format > FORMAT {
        return Err(StoreError::invalid(format!(
            "{} was made by a newer dutydesk: install that version on this laptop too. Nothing was merged.",
            path.display()
        )));
    }
    Ok((header, header_json, sealed))
}

/// What a bundle says about itself, without opening it.
pub fn header_of(path: &Path) -> Result<Header> {
    Ok(read(path)?.0)
}

/// Opens a bundle with a user's passphrase. A wrong passphrase, a user the bundle was not
/// sealed to, and an altered bundle each get their own sentence.
pub(crate) fn open(path: &Path, login: &str, passphrase: &str) -> Result<Opened> {
    let (header, header_json, sealed) = read(path)?;
    let key = header.key_file.unlock(login, passphrase, path).map_err(|e| match e {
        StoreError::UnknownUser(u) => StoreError::invalid(format!(
            "{u} was not a user on laptop {} when this bundle was made: sign in as one who was ({}).",
            header.exchange.from_device,
            header.key_file.users().collect::<Vec<_>>().join(", ")
        )),
        StoreError::WrongPassphrase(u) => StoreError::invalid(format!(
            "That passphrase does not open this bundle for {u}: use the passphrase {u} had on laptop {} on {}.",
            header.exchange.from_device,
            header.exchange.made_at.format("%d/%m/%Y")
        )),
        other => other,
    })?;
    let (nonce, ct) = sealed.split_once(':').ok_or_else(|| not_a_bundle(path))?;
    let body = open_bytes(&aead_key(&key), &format!("{BODY_AAD}{header_json}"), nonce, ct).ok_or_else(|| {
        StoreError::invalid(format!(
            "{} was altered or cut short after it was made: it cannot be trusted, and nothing was merged. Export it again on laptop {}.",
            path.display(),
            header.exchange.from_device
        ))
    })?;
    let body: Body = serde_json::from_slice(&body).map_err(|_| not_a_bundle(path))?;
    let changeset = hex::decode(&body.changeset).map_err(|_| not_a_bundle(path))?;
    Ok(Opened {
        header,
        changeset,
        hub: body.hub,
    })
}
