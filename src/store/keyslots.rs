//! Key slots: how each user's own passphrase unlocks the one database key.
//!
//! The case file is encrypted by SQLCipher with a random 256-bit key. That key is never stored
//! in the clear and never derived from a shared password. Instead every user has a slot in
//! `keyslots.json`:
//!
//! 1. an X25519 key pair is made for the user; the private half is encrypted with
//!    XChaCha20-Poly1305 under a key derived from the user's passphrase with Argon2id (the
//!    salt and the Argon2id parameters are recorded in the slot, so they can be raised later);
//! 2. the database key is sealed to the user's public key (an ephemeral X25519 exchange, then
//!    XChaCha20-Poly1305).
//!
//! Unlocking derives the passphrase key, opens the private key (a wrong passphrase fails the
//! authentication tag here, before the database is touched) and unseals the database key.
//! Adding a user needs the database key, so only someone who has unlocked can do it. Removing a
//! user re-keys the database with a fresh key and seals the new key to every remaining user's
//! public key (no other passphrase is needed): an old copy of the removed user's slot then opens
//! nothing.

use super::error::{Result, StoreError};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// The raw 256-bit key SQLCipher encrypts the case file with.
pub type DbKey = Zeroizing<[u8; 32]>;

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Argon2id cost parameters, recorded with each slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// 128 MiB, 3 passes, one lane: about a quarter of a second on this project's 2-core
    /// build machine (BENCHMARKS.md), so roughly half a second on a modest laptop.
    pub const INTERACTIVE: KdfParams = KdfParams {
        m_kib: 128 * 1024,
        t: 3,
        p: 1,
    };
    /// Cheap parameters for tests and throwaway demo files only; never for real data.
    pub const FAST_INSECURE: KdfParams = KdfParams {
        m_kib: 1024,
        t: 1,
        p: 1,
    };

    /// The parameters new slots get: [`KdfParams::INTERACTIVE`], unless the environment
    /// variable `DUTYDESK_INSECURE_FAST_KDF=1` asks for cheap ones and the case file is a demo
    /// (`is_demo`). On a real case file the switch is ignored, and the second value is a
    /// sentence saying so, for the command to print.
    pub fn for_new_slots(is_demo: bool) -> (Self, Option<&'static str>) {
        let asked = matches!(std::env::var("DUTYDESK_INSECURE_FAST_KDF"), Ok(v) if v == "1");
        match (asked, is_demo) {
            (true, true) => (Self::FAST_INSECURE, None),
            (true, false) => (
                Self::INTERACTIVE,
                Some("DUTYDESK_INSECURE_FAST_KDF is ignored: cheap key slots are made only for a demo case file, never for real data."),
            ),
            (false, _) => (Self::INTERACTIVE, None),
        }
    }

    /// Whether these parameters are within the bounds a key file may ask for: at least
    /// [`KdfParams::FAST_INSECURE`], at most 2 GiB of memory, 64 passes and 16 lanes. A key
    /// file asking for more is damaged (or hostile): deriving from it would exhaust memory or
    /// run for hours.
    pub fn is_sane(&self) -> bool {
        (Self::FAST_INSECURE.m_kib..=2 * 1024 * 1024).contains(&self.m_kib)
            && (1..=64).contains(&self.t)
            && (1..=16).contains(&self.p)
            && self.m_kib >= 8 * self.p
    }

    /// Argon2id alone, for `benches/kdf.rs`; not part of the API.
    #[doc(hidden)]
    pub fn derive_for_bench(&self, passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        self.derive(passphrase, salt)
    }

    fn derive(&self, passphrase: &str, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| StoreError::Crypto(format!("bad Argon2id parameters: {e}")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
            .map_err(|e| StoreError::Crypto(format!("key derivation failed: {e}")))?;
        Ok(out)
    }
}

/// One user's slot.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    pub user: String,
    pub kdf: KdfParams,
    salt: String,
    secret_nonce: String,
    secret_ct: String,
    public: String,
    sealed_epk: String,
    sealed_nonce: String,
    sealed_ct: String,
}

/// The contents of `keyslots.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    /// Bumped every time the database is re-keyed.
    pub generation: u32,
    pub slots: Vec<Slot>,
    /// The case file's SQLCipher salt (its first 16 bytes, which are not secret), recorded at
    /// `init`: when the key fits none of the file's pages, it tells a key file from another
    /// case file (a different salt, and the key still fits nothing with this one) from a case
    /// file whose first bytes are damaged. Absent in key files made before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_file_salt: Option<String>,
}

const FORMAT: u32 = 1;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| StoreError::Crypto(format!("no randomness: {e}")))?;
    Ok(b)
}

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let v = hex::decode(s).ok()?;
    v.try_into().ok()
}

/// Makes a fresh random database key.
pub fn new_db_key() -> Result<DbKey> {
    Ok(Zeroizing::new(random::<32>()?))
}

/// Checks a new passphrase is long enough, in one sentence.
pub fn check_new_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::invalid(format!(
            "The passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters, for example three unrelated words."
        )));
    }
    Ok(())
}

fn seal_key(public: &PublicKey, key: &DbKey, generation: u32) -> Result<(String, String, String)> {
    let eph = StaticSecret::from(random::<32>()?);
    let epk = PublicKey::from(&eph);
    let shared = eph.diffie_hellman(public);
    let wrap = seal_wrap_key(shared.as_bytes(), &epk, public);
    let nonce = random::<24>()?;
    let aad = format!("dutydesk-dbkey-v1|{generation}");
    let ct = XChaCha20Poly1305::new(wrap.as_ref().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.as_ref(),
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| StoreError::Crypto("sealing the key failed".into()))?;
    Ok((hex::encode(epk.as_bytes()), hex::encode(nonce), hex::encode(ct)))
}

fn seal_wrap_key(shared: &[u8; 32], epk: &PublicKey, public: &PublicKey) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"dutydesk-seal-v1");
    h.update(shared);
    h.update(epk.as_bytes());
    h.update(public.as_bytes());
    Zeroizing::new(h.finalize().into())
}

impl Slot {
    fn new(user: &str, passphrase: &str, kdf: KdfParams, key: &DbKey, generation: u32) -> Result<Self> {
        let secret = StaticSecret::from(random::<32>()?);
        let public = PublicKey::from(&secret);
        let salt = random::<16>()?;
        let kek = kdf.derive(passphrase, &salt)?;
        let nonce = random::<24>()?;
        let aad = format!("dutydesk-slot-v1|{user}");
        let ct = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto("wrapping the user key failed".into()))?;
        let (sealed_epk, sealed_nonce, sealed_ct) = seal_key(&public, key, generation)?;
        Ok(Slot {
            user: user.to_string(),
            kdf,
            salt: hex::encode(salt),
            secret_nonce: hex::encode(nonce),
            secret_ct: hex::encode(ct),
            public: hex::encode(public.as_bytes()),
            sealed_epk,
            sealed_nonce,
            sealed_ct,
        })
    }

    fn public_key(&self) -> Option<PublicKey> {
        unhex::<32>(&self.public).map(PublicKey::from)
    }

    /// Opens this slot's private key with a passphrase.
    fn open_secret(&self, passphrase: &str) -> Result<StaticSecret, SlotFailure> {
        let salt = hex::decode(&self.salt).map_err(|_| SlotFailure::Damaged)?;
        let nonce = unhex::<24>(&self.secret_nonce).ok_or(SlotFailure::Damaged)?;
        let ct = hex::decode(&self.secret_ct).map_err(|_| SlotFailure::Damaged)?;
        let kek = self.kdf.derive(passphrase, &salt).map_err(|_| SlotFailure::Damaged)?;
        let aad = format!("dutydesk-slot-v1|{}", self.user);
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new(kek.as_ref().into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ct,
                        aad: aad.as_bytes(),
                    },
                )
                .map_err(|_| SlotFailure::WrongPassphrase)?,
        );
        let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| SlotFailure::Damaged)?;
        Ok(StaticSecret::from(bytes))
    }

    fn unseal(&self, secret: &StaticSecret, generation: u32) -> Result<DbKey, SlotFailure> {
        let epk = PublicKey::from(unhex::<32>(&self.sealed_epk).ok_or(SlotFailure::Damaged)?);
        let public = self.public_key().ok_or(SlotFailure::Damaged)?;
        let nonce = unhex::<24>(&self.sealed_nonce).ok_or(SlotFailure::Damaged)?;
        let ct = hex::decode(&self.sealed_ct).map_err(|_| SlotFailure::Damaged)?;
        let shared = secret.diffie_hellman(&epk);
        let wrap = seal_wrap_key(shared.as_bytes(), &epk, &public);
        let aad = format!("dutydesk-dbkey-v1|{generation}");
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new(wrap.as_ref().into())
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ct,
                        aad: aad.as_bytes(),
                    },
                )
                .map_err(|_| SlotFailure::Damaged)?,
        );
        let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| SlotFailure::Damaged)?;
        Ok(Zeroizing::new(bytes))
    }
}

enum SlotFailure {
    WrongPassphrase,
    Damaged,
}

impl KeyFile {
    /// A key file with one slot for the first user, and the new database key.
    pub fn create(user: &str, passphrase: &str, kdf: KdfParams) -> Result<(KeyFile, DbKey)> {
        let key = new_db_key()?;
        let slot = Slot::new(user, passphrase, kdf, &key, 1)?;
        Ok((
            KeyFile {
                format: FORMAT,
                generation: 1,
                slots: vec![slot],
                case_file_salt: None,
            },
            key,
        ))
    }

    /// Reads `keyslots.json`.
    pub fn load(path: &Path) -> Result<KeyFile> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::KeyFileMissing(path.parent().unwrap_or(path).to_path_buf()),
            std::io::ErrorKind::InvalidData => StoreError::BadKeyFile(path.to_path_buf()),
            _ => e.into(),
        })?;
        let kf: KeyFile = serde_json::from_str(&text).map_err(|_| StoreError::BadKeyFile(path.to_path_buf()))?;
        if !kf.is_sane() {
            return Err(StoreError::BadKeyFile(path.to_path_buf()));
        }
        Ok(kf)
    }

    /// Whether a key file read from anywhere (a backup's header, an erasure register) is one
    /// this version writes, with key-derivation costs in the sane range: checked before any
    /// passphrase is tried, so a planted file cannot make unlocking allocate without bound.
    pub fn is_sane(&self) -> bool {
        self.format == FORMAT && self.slots.iter().all(|s| s.kdf.is_sane())
    }

    /// Writes `keyslots.json` atomically and privately (see [`super::datadir::write_atomic`]).
    /// Call it only while holding the data folder's lock, so two commands never interleave.
    pub fn save(&self, path: &Path) -> Result<()> {
        super::datadir::write_atomic(path, &self.to_bytes()?)
    }

    /// The file's contents as written.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| StoreError::Crypto(e.to_string()))
    }

    /// Records the case file's salt (see [`KeyFile`]).
    pub fn set_case_file_salt(&mut self, salt: [u8; 16]) {
        self.case_file_salt = Some(hex::encode(salt));
    }

    /// The case file's salt, if recorded.
    pub fn case_file_salt(&self) -> Option<[u8; 16]> {
        self.case_file_salt.as_deref().and_then(unhex::<16>)
    }

    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().map(|s| s.user.as_str())
    }

    fn slot(&self, user: &str) -> Result<&Slot> {
        self.slots
            .iter()
            .find(|s| s.user == user)
            .ok_or_else(|| StoreError::UnknownUser(user.chars().take(40).collect()))
    }

    /// Unlocks the database key with a user's passphrase.
    pub fn unlock(&self, user: &str, passphrase: &str, path: &Path) -> Result<DbKey> {
        let slot = self.slot(user)?;
        let secret = slot.open_secret(passphrase).map_err(|f| match f {
            SlotFailure::WrongPassphrase => StoreError::WrongPassphrase(user.to_string()),
            SlotFailure::Damaged => StoreError::BadKeyFile(path.to_path_buf()),
        })?;
        slot.unseal(&secret, self.generation)
            .map_err(|_| StoreError::BadKeyFile(path.to_path_buf()))
    }

    /// Adds a slot for a new user; needs the database key, so only an unlocked user can do it.
    pub fn add(&mut self, user: &str, passphrase: &str, kdf: KdfParams, key: &DbKey) -> Result<()> {
        if self.slots.iter().any(|s| s.user == user) {
            return Err(StoreError::invalid(format!(
                "There is already a user called \"{user}\": choose another name."
            )));
        }
        check_new_passphrase(passphrase)?;
        self.slots.push(Slot::new(user, passphrase, kdf, key, self.generation)?);
        Ok(())
    }

    /// Replaces a user's passphrase (after checking the old one).
    pub fn change_passphrase(&mut self, user: &str, old: &str, new: &str, kdf: KdfParams, path: &Path) -> Result<()> {
        check_new_passphrase(new)?;
        let key = self.unlock(user, old, path)?;
        let generation = self.generation;
        let fresh = Slot::new(user, new, kdf, &key, generation)?;
        for s in self.slots.iter_mut() {
            if s.user == user {
                *s = fresh;
                break;
            }
        }
        Ok(())
    }

    /// Keeps only the slots of the users `keep` names and seals `new_key` (the case file's
    /// fresh key) to each of them: a removed user, or a slot left by an interrupted add, gets
    /// nothing.
    pub fn rekey_for(&mut self, keep: impl Fn(&str) -> bool, new_key: &DbKey) -> Result<()> {
        self.slots.retain(|s| keep(&s.user));
        self.generation += 1;
        let generation = self.generation;
        for s in self.slots.iter_mut() {
            let public = s
                .public_key()
                .ok_or_else(|| StoreError::Crypto("a slot's public key is damaged".into()))?;
            let (e, n, c) = seal_key(&public, new_key, generation)?;
            s.sealed_epk = e;
            s.sealed_nonce = n;
            s.sealed_ct = c;
        }
        Ok(())
    }

    /// Removes a user's slot and seals `new_key` to every user left.
    pub fn remove_and_rekey(&mut self, user: &str, new_key: &DbKey) -> Result<()> {
        self.slot(user)?;
        self.rekey_for(|u| u != user, new_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "correct horse battery";

    #[test]
    fn the_right_passphrase_unlocks_and_a_wrong_one_says_so() {
        let path = Path::new("keyslots.json");
        let (kf, key) = KeyFile::create("ada", P, KdfParams::FAST_INSECURE).unwrap();
        assert_eq!(*kf.unlock("ada", P, path).unwrap(), *key);
        assert!(matches!(
            kf.unlock("ada", "wrong one here", path),
            Err(StoreError::WrongPassphrase(_))
        ));
        assert!(matches!(kf.unlock("bob", P, path), Err(StoreError::UnknownUser(_))));
    }

    #[test]
    fn each_user_has_their_own_passphrase() {
        let path = Path::new("k");
        let (mut kf, key) = KeyFile::create("ada", P, KdfParams::FAST_INSECURE).unwrap();
        kf.add("bob", "bobs own passphrase", KdfParams::FAST_INSECURE, &key)
            .unwrap();
        assert_eq!(*kf.unlock("bob", "bobs own passphrase", path).unwrap(), *key);
        assert!(kf.unlock("bob", P, path).is_err());
    }

    #[test]
    fn removing_a_user_makes_an_old_copy_of_their_slot_useless() {
        let path = Path::new("k");
        let (mut kf, key) = KeyFile::create("ada", P, KdfParams::FAST_INSECURE).unwrap();
        kf.add("bob", "bobs own passphrase", KdfParams::FAST_INSECURE, &key)
            .unwrap();
        let old_copy = kf.clone();
        let new_key = new_db_key().unwrap();
        kf.remove_and_rekey("bob", &new_key).unwrap();
        assert!(matches!(
            kf.unlock("bob", "bobs own passphrase", path),
            Err(StoreError::UnknownUser(_))
        ));
        assert_eq!(*kf.unlock("ada", P, path).unwrap(), *new_key);
        // Bob kept a copy of the old key file: it yields only the retired key.
        let retired = old_copy.unlock("bob", "bobs own passphrase", path).unwrap();
        assert_ne!(*retired, *new_key);
    }

    #[test]
    fn passphrase_change_needs_the_old_one() {
        let path = Path::new("k");
        let (mut kf, key) = KeyFile::create("ada", P, KdfParams::FAST_INSECURE).unwrap();
        assert!(kf
            .change_passphrase(
                "ada",
                "not the passphrase",
                "a brand new phrase",
                KdfParams::FAST_INSECURE,
                path
            )
            .is_err());
        kf.change_passphrase("ada", P, "a brand new phrase", KdfParams::FAST_INSECURE, path)
            .unwrap();
        assert_eq!(*kf.unlock("ada", "a brand new phrase", path).unwrap(), *key);
        assert!(kf.unlock("ada", P, path).is_err());
    }

    #[test]
    fn short_passphrases_are_refused() {
        assert!(check_new_passphrase("short").is_err());
        assert!(check_new_passphrase("long enough now").is_ok());
    }
}
