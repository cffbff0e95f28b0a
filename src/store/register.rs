//! The erasure register: the ids and dates of everyone erased (no personal values), kept
//! outside the case file so that restoring a backup taken before an erasure can erase that
//! person again. It is rewritten from the case file's tombstones after every erasure, backup
//! and restore, beside the case file (`erasures.sealed`) and inside every backup.
//!
//! Sealed and authenticated: the entries are encrypted with XChaCha20-Poly1305 under a fresh
//! random key, and that key is sealed to every user's public key exactly as the database key is
//! (a copy of the key slots, re-sealed; see [`super::keyslots`]). Any user on the case file when
//! it was written opens it with their passphrase; an altered or truncated register fails its
//! authentication tag and is refused, never half-read.

use super::error::{Result, StoreError};
use super::keyslots::{new_db_key, DbKey, KeyFile};
use super::{datadir, Store};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One erased person: the id they had and the day they were erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Erased {
    pub person_id: i64,
    pub erased_on: NaiveDate,
    /// The erasure request, when there was one (a restore recreates its Article 19 tasks).
    #[serde(default)]
    pub request_id: Option<i64>,
}

/// The register as stored: the entries sealed under a key only the users' slots open.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SealedRegister {
    format: u32,
    /// The case file it belongs to (see [`Store::case_file_id`]).
    pub case_file_id: String,
    key_file: KeyFile,
    nonce: String,
    ct: String,
}

const FORMAT: u32 = 1;
const AAD: &str = "dutydesk-erasure-register-v1";

/// Encrypts `msg` under `key` with `aad` bound to it: (nonce, ciphertext), in hex.
pub(crate) fn seal_bytes(key: &[u8; 32], aad: &str, msg: &[u8]) -> Result<(String, String)> {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).map_err(|e| StoreError::Crypto(format!("no randomness: {e}")))?;
    let ct = XChaCha20Poly1305::new(key.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::Crypto("sealing failed".into()))?;
    Ok((hex::encode(nonce), hex::encode(ct)))
}

/// Opens what [`seal_bytes`] sealed; `None` if it was altered, cut short or sealed under
/// another key.
pub(crate) fn open_bytes(key: &[u8; 32], aad: &str, nonce: &str, ct: &str) -> Option<Vec<u8>> {
    let nonce: [u8; 24] = hex::decode(nonce).ok()?.try_into().ok()?;
    let ct = hex::decode(ct).ok()?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ct,
                aad: aad.as_bytes(),
            },
        )
        .ok()
}

impl SealedRegister {
    /// Seals `entries` for every user with a slot in `slots` (their passphrases are not
    /// needed: the register key is sealed to their public keys).
    pub fn seal(case_file_id: &str, entries: &[Erased], slots: &KeyFile) -> Result<SealedRegister> {
        let key = new_db_key()?;
        let mut key_file = slots.clone();
        key_file.rekey_for(|_| true, &key)?;
        let json = serde_json::to_vec(entries).map_err(|e| StoreError::invalid(e.to_string()))?;
        let (nonce, ct) = seal_bytes(&key, AAD, &json)?;
        Ok(SealedRegister {
            format: FORMAT,
            case_file_id: case_file_id.to_string(),
            key_file,
            nonce,
            ct,
        })
    }

    /// Opens the register with a user's passphrase. `path` names it in messages.
    pub fn open(&self, login: &str, passphrase: &str, path: &Path) -> Result<Vec<Erased>> {
        let key: DbKey = self.key_file.unlock(login, passphrase, path)?;
        let plain = open_bytes(&key, AAD, &self.nonce, &self.ct).ok_or_else(|| damaged(path))?;
        serde_json::from_slice(&plain).map_err(|_| damaged(path))
    }

    /// Reads a register file.
    pub fn load(path: &Path) -> Result<SealedRegister> {
        let bytes = std::fs::read(path)?;
        let reg: SealedRegister = serde_json::from_slice(&bytes).map_err(|_| damaged(path))?;
        if reg.format != FORMAT || !reg.key_file.is_sane() {
            return Err(damaged(path));
        }
        Ok(reg)
    }
}

fn damaged(path: &Path) -> StoreError {
    StoreError::invalid(format!(
        "The erasure register {} is damaged or was altered: it was not used. Keep it for the data protection lead.",
        path.display()
    ))
}

/// The name of a case file's register copy in a backup folder (one per case file, so one
/// stick can serve two schemes).
pub fn beside_backups(case_file_id: &str) -> String {
    format!("dutydesk-erasures-{case_file_id}.sealed")
}

/// Every id in any of `registers`, each once, with the earliest date it was erased (and that
/// erasure's request).
pub fn merged(registers: impl IntoIterator<Item = Vec<Erased>>) -> Vec<Erased> {
    let mut by_id: std::collections::BTreeMap<i64, Erased> = std::collections::BTreeMap::new();
    for e in registers.into_iter().flatten() {
        by_id
            .entry(e.person_id)
            .and_modify(|kept| {
                if e.erased_on < kept.erased_on {
                    *kept = e;
                }
            })
            .or_insert(e);
    }
    by_id.into_values().collect()
}

impl Store {
    /// Everyone this case file has erased (from its tombstones).
    pub fn erased(&self) -> Result<Vec<Erased>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT person_id, erased_on, request_id FROM tombstones ORDER BY person_id")?;
        let rows = st.query_map([], |r| {
            Ok(Erased {
                person_id: r.get(0)?,
                erased_on: r.get(1)?,
                request_id: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Rewrites the register beside the case file from its tombstones (nothing for a file
    /// opened without its folder, as tests do).
    pub(crate) fn write_register(&self) -> Result<()> {
        let Some(dir) = self.dir.as_ref() else {
            return Ok(());
        };
        let slots = KeyFile::load(&dir.key_file())?;
        let lineage = self.case_file_id()?;
        let sealed = SealedRegister::seal(&lineage, &self.erased()?, &slots)?;
        let json = serde_json::to_vec(&sealed).map_err(|e| StoreError::invalid(e.to_string()))?;
        datadir::write_atomic(&dir.register_file(), &json)?;
        // A copy beside the backups too, when their folder is at hand (the stick plugged in):
        // a new laptop restoring an older backup from there then learns of later erasures.
        if let Some(folder) = self.backup_folder().filter(|f| f.is_dir()) {
            let _ = datadir::write_atomic(&folder.join(beside_backups(&lineage)), &json);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::KdfParams;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn every_user_opens_it_and_a_wrong_passphrase_or_an_altered_byte_does_not() {
        let (mut slots, db_key) = KeyFile::create("ada", "ada passphrase here", KdfParams::FAST_INSECURE).unwrap();
        slots
            .add("bob", "bob passphrase here", KdfParams::FAST_INSECURE, &db_key)
            .unwrap();
        let entries = vec![
            Erased {
                person_id: 7,
                erased_on: day(3),
                request_id: Some(1),
            },
            Erased {
                person_id: 9,
                erased_on: day(5),
                request_id: None,
            },
        ];
        let reg = SealedRegister::seal("abc", &entries, &slots).unwrap();
        let p = Path::new("erasures.sealed");
        assert_eq!(reg.open("ada", "ada passphrase here", p).unwrap(), entries);
        assert_eq!(reg.open("bob", "bob passphrase here", p).unwrap(), entries);
        assert!(reg.open("ada", "not the passphrase", p).is_err());
        let mut altered = reg.clone();
        let mut ct = hex::decode(&altered.ct).unwrap();
        ct[0] ^= 1;
        altered.ct = hex::encode(ct);
        assert!(altered.open("ada", "ada passphrase here", p).is_err());
        // The register key is not the database key.
        assert_ne!(reg.key_file.unlock("ada", "ada passphrase here", p).unwrap(), db_key);
    }

    #[test]
    fn merging_keeps_each_id_once_with_its_earliest_date() {
        let e = |id, d| Erased {
            person_id: id,
            erased_on: day(d),
            request_id: None,
        };
        assert_eq!(
            merged([vec![e(2, 5), e(1, 4)], vec![e(2, 3)], vec![]]),
            vec![e(1, 4), e(2, 3)]
        );
    }
}
