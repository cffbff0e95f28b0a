//! Two or three laptops, one case file: bundles of changes carried between them, merged field
//! by field, with every true conflict kept for a person to decide.
//!
//! **Hub and spoke.** The first laptop (the coordinator's, device 0) is the hub. Each other
//! laptop is made from it (`sync add-laptop`), gets its own device number (and with it its own
//! range of row ids, [`super::ids`]), and exchanges bundles with the hub only; the hub passes
//! each laptop's work on to the others.
//!
//! **The shared base copy.** For each pair (hub and one laptop) both keep the same copy of the
//! case file as it was when they last agreed (`sync/base-<peer>-g<generation>.db`, under the
//! case file's key). A bundle holds the changes from that copy to the laptop's file now: a
//! changeset from SQLite's session extension ([`session::diff`]), sealed to the users' key
//! slots ([`bundle`]). The receiver first applies the changes to its own base copy, which must
//! take them without a single conflict (so a bundle that does not start where the two last
//! agreed is refused before anything is merged), then merges them into its file ([`merge`]).
//!
//! **When the base moves.** A laptop that takes a bundle while it has sent nothing unanswered
//! moves its base to the sender's file as it was (base + changes). The sender learns of it
//! from the next bundle back, which names the last bundle taken (`acks`), and then moves its
//! own base to the copy it kept when it sent that bundle (`sync/pending-<peer>-<seq>.db`). When
//! both sent at once (bundles crossed), the hub's bundle decides: the laptop moves its base
//! by it, the hub keeps its own until that laptop's answer. Either way the two bases stay the
//! same, and a bundle taken twice, out of order, for another laptop or another case file is
//! refused with a sentence.
//!
//! **Users and keys follow the hub.** Users, passphrases and the profile change only on the
//! hub; its bundles carry the case file's key and the key slots, so a user removed there can
//! no longer open the other laptops once they take the next bundle, and a bundle made by a
//! removed user, or by a retired laptop, is refused.

pub mod bundle;
pub mod conflicts;
mod copies;
pub mod merge;
pub mod session;

use super::datadir::{self, DataDir};
use super::error::{Result, StoreError};
use super::ids::RANGE;
use super::keyslots::{DbKey, KeyFile};
use super::{audit, backup, Store};
use crate::domain::Role;
use chrono::{NaiveDate, NaiveDateTime};
use copies::{
    apply_to_file, base_path, copy_file, diff_copies, erase_in_copy, open_copy, pending_path, private_folder,
    strip_copy, sync_folder,
};
pub use merge::MergeReport;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// Tables that are this file's own and never travel: its identity and state, the audit chain
/// (each file keeps its own, recording each merge), and the search index (made again here).
const LOCAL_TABLES: &[&str] = &[
    "meta",
    "this_device",
    "sync_peers",
    "sync_pending",
    "sync_conflicts",
    "audit_log",
    "id_marks",
];

/// The most laptops one hub serves at once.
pub const MAX_LAPTOPS: i64 = 20;
/// The highest device number (the schema's limit; retired laptops' numbers are never reused).
const MAX_DEVICE: i64 = 9000;

/// A laptop this one exchanges bundles with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Peer {
    pub device: i64,
    pub name: String,
    /// How many exchanges both have taken in (the shared base copy's generation).
    pub generation: i64,
    pub sent_seq: i64,
    pub taken_seq: i64,
    pub added_on: NaiveDate,
    pub last_met: Option<NaiveDateTime>,
    pub retired_on: Option<NaiveDate>,
    /// Bundles sent and not yet answered.
    pub unanswered: i64,
    /// The generation of the base kept from before the last bundle taken from them.
    pub prev_generation: Option<i64>,
}

/// A laptop made from the hub.
#[derive(Debug, Clone)]
pub struct LaptopMade {
    pub device: i64,
    pub name: String,
    /// The data folder to copy onto the new laptop.
    pub folder: PathBuf,
}

/// A bundle written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub to_device: i64,
    pub to_name: String,
    pub seq: i64,
    /// Rows changed since the two laptops last agreed.
    pub changes: usize,
}

/// A bundle taken in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    pub from_device: i64,
    pub from_name: String,
    pub seq: i64,
    pub made_at: NaiveDateTime,
    pub report: MergeReport,
    /// Whether the hub's users and key slots were taken (this laptop only).
    pub users_updated: bool,
    /// Why they could not be, if so (they come again with the hub's next bundle).
    pub users_problem: Option<String>,
    /// Whether the bundle file was deleted once taken in (it may be on read-only media).
    pub bundle_removed: bool,
}

/// A laptop as sentences name it: "the hub", or "laptop 2".
pub fn laptop_words(device: i64) -> String {
    if device == 0 {
        "the hub".to_string()
    } else {
        format!("laptop {device}")
    }
}

/// The tables that travel in bundles, in the file's own order.
pub(crate) fn synced_tables(conn: &Connection) -> Result<Vec<String>> {
    let all: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'people_search%' ORDER BY rowid",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|t| !LOCAL_TABLES.contains(&t.as_str()))
        .collect())
}

impl Store {
    /// Everyone erased from this case file (their tombstones' ids).
    fn erased_ids(&self) -> Result<std::collections::BTreeSet<i64>> {
        Ok(self
            .conn
            .prepare("SELECT person_id FROM tombstones")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// This laptop's device number: 0 for the hub.
    pub fn this_device(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT device FROM this_device", [], |r| r.get(0))?)
    }

    /// Whether this laptop is the hub (the first, the coordinator's).
    pub fn is_hub(&self) -> Result<bool> {
        Ok(self.this_device()? == 0)
    }

    /// The newest bundle meant for this laptop in `folder` (by its name: laptop, date, number),
    /// to offer when taking one in.
    pub fn newest_bundle_in(&self, folder: &Path) -> Option<PathBuf> {
        let me = self.this_device().ok()?;
        let wanted = format!("-to-laptop{me}-");
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == bundle::EXTENSION)
                    && p.file_name().is_some_and(|n| n.to_string_lossy().contains(&wanted))
            })
            .collect();
        found.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        found.pop()
    }

    /// The folder the last bundles were written into, if any.
    pub fn last_sync_folder(&self) -> Option<PathBuf> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'sync_folder'", [], |r| {
                r.get::<_, String>(0)
            })
            .ok()
            .map(PathBuf::from)
    }

    /// Refuses `what` on a laptop that is not the hub: users, passphrases and the profile
    /// change on the hub and reach the others with its bundles.
    pub(crate) fn require_hub(&self, what: &str) -> Result<()> {
        if self.is_hub()? {
            return Ok(());
        }
        Err(StoreError::invalid(format!(
            "This is laptop {}: {what} on the hub (the coordinator's laptop). The change reaches this laptop with the hub's next bundle.",
            self.this_device()?
        )))
    }

    /// The laptops this one exchanges bundles with (the hub lists every laptop made from it;
    /// another laptop lists the hub).
    pub fn peers(&self) -> Result<Vec<Peer>> {
        let mut st = self.conn.prepare(
            "SELECT device, name, generation, sent_seq, taken_seq, added_on, last_met, retired_on,
                    (SELECT count(*) FROM sync_pending x WHERE x.peer = p.device), prev_generation
             FROM sync_peers p ORDER BY device",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Peer {
                device: r.get(0)?,
                name: r.get(1)?,
                generation: r.get(2)?,
                sent_seq: r.get(3)?,
                taken_seq: r.get(4)?,
                added_on: r.get(5)?,
                last_met: r.get(6)?,
                retired_on: r.get(7)?,
                unanswered: r.get(8)?,
                prev_generation: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn folder_and_key(&self, what: &str) -> Result<(DataDir, DbKey)> {
        let dir = self.dir.clone().ok_or_else(|| {
            StoreError::invalid(format!(
                "This case file was opened without its folder: it cannot {what}."
            ))
        })?;
        let key = self
            .key
            .clone()
            .ok_or_else(|| StoreError::invalid(format!("This case file is not encrypted: it cannot {what}.")))?;
        Ok((dir, key))
    }

    /// Makes another laptop from this one (the hub; data protection lead): a data folder in
    /// `to` holding a copy of the case file as laptop N, with the key slots and the erasure
    /// register, to be copied onto the new laptop. Both keep the same base copy.
    pub fn add_laptop(&mut self, name: &str, to: &Path) -> Result<LaptopMade> {
        self.require_role(&[Role::DataProtectionLead], "add laptops")?;
        self.require_hub("add laptops")?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(StoreError::invalid(
                "Give the laptop a short name (up to 40 characters), such as \"Rota laptop\".",
            ));
        }
        let (dir, key) = self.folder_and_key("make another laptop")?;
        backup::writable_folder(to, "folder for the new laptop")?;
        let device: i64 = self
            .conn
            .query_row("SELECT coalesce(max(device), 0) + 1 FROM sync_peers", [], |r| r.get(0))?;
        let active: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sync_peers WHERE retired_on IS NULL", [], |r| {
                r.get(0)
            })?;
        if active >= MAX_LAPTOPS || device > MAX_DEVICE {
            return Err(StoreError::invalid(format!(
                "This hub already serves {MAX_LAPTOPS} laptops: retire one first."
            )));
        }
        let folder = to.join(format!("dutydesk-laptop{device}"));
        if folder.exists() {
            return Err(StoreError::invalid(format!(
                "{} is already there: move it away first (it may be another laptop's case file).",
                folder.display()
            )));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        let made = (|| -> Result<()> {
            let new_dir = DataDir::new(&folder);
            private_folder(&sync_folder(&new_dir))?;
            datadir::make_private_dir(&folder)?;
            private_folder(&sync_folder(&dir))?;
            backup::copy_live(&self.conn, &new_dir.case_file(), &key, &mut |_, _| {})?;
            // Both bases: the copy as it was made, before it knows which laptop it is (the
            // tables that say so never travel).
            copy_file(&new_dir.case_file(), &base_path(&new_dir, 0, 0))?;
            strip_copy(&base_path(&new_dir, 0, 0), &key)?;
            copy_file(&base_path(&new_dir, 0, 0), &base_path(&dir, device, 0))?;
            let mut slots = KeyFile::load(&dir.key_file())?;
            let mut salt = [0u8; 16];
            std::io::Read::read_exact(&mut std::fs::File::open(new_dir.case_file())?, &mut salt)?;
            slots.set_case_file_salt(salt);
            slots.save(&new_dir.key_file())?;
            if dir.register_file().exists() {
                copy_file(&dir.register_file(), &new_dir.register_file())?;
            }
            let copy = backup::open_keyed_new(&new_dir.case_file(), &key)?;
            let tx = copy.unchecked_transaction()?;
            tx.execute(
                "UPDATE this_device SET device = ?1, lo = ?2, hi = ?3",
                params![device, device * RANGE, device * RANGE + RANGE - 1],
            )?;
            tx.execute_batch(
                "DELETE FROM sync_pending; DELETE FROM sync_peers; DELETE FROM sync_conflicts;
                 DELETE FROM meta WHERE key IN ('backup_folder', 'last_backup');",
            )?;
            tx.execute(
                "INSERT INTO sync_peers (device, name, added_on) VALUES (0, 'Hub', ?1)",
                [now.date()],
            )?;
            audit::append(
                &tx,
                now,
                Some(user),
                audit::Action::Admin,
                "this_device",
                Some(device),
                &["device"],
            )?;
            tx.commit()?;
            copy.execute_batch("PRAGMA journal_mode = DELETE;")?;
            Ok(())
        })();
        if let Err(e) = made {
            let _ = std::fs::remove_dir_all(&folder);
            let _ = std::fs::remove_file(base_path(&dir, device, 0));
            return Err(e);
        }
        let written = self.write(|tx| {
            tx.execute(
                "INSERT INTO sync_peers (device, name, added_on) VALUES (?1, ?2, ?3)",
                params![device, name, now.date()],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Admin,
                "laptop",
                Some(device),
                &["name"],
            )
        });
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&folder);
            let _ = std::fs::remove_file(base_path(&dir, device, 0));
            return Err(e);
        }
        Ok(LaptopMade {
            device,
            name: name.to_string(),
            folder,
        })
    }

    /// Retires a laptop (the hub; data protection lead): its bundles are refused from now on
    /// and its base copy is deleted. Its case file must be wiped on the laptop itself.
    pub fn retire_laptop(&mut self, device: i64) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "retire laptops")?;
        self.require_hub("retire laptops")?;
        let (dir, _) = self.folder_and_key("retire a laptop")?;
        let peer = self.peer(device)?;
        if peer.retired_on.is_some() {
            return Err(StoreError::invalid(format!("Laptop {device} is already retired.")));
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_peers SET retired_on = ?2 WHERE device = ?1",
                params![device, now.date()],
            )?;
            tx.execute("DELETE FROM sync_pending WHERE peer = ?1", [device])?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Admin,
                "laptop",
                Some(device),
                &["retired_on"],
            )
        })?;
        self.remove_sync_files(&dir, device, &[]);
        Ok(())
    }

    fn peer(&self, device: i64) -> Result<Peer> {
        self.peers()?
            .into_iter()
            .find(|p| p.device == device)
            .ok_or_else(|| {
                StoreError::invalid(format!(
                    "Laptop {device} is not one this laptop exchanges bundles with (each laptop exchanges with the hub only)."
                ))
            })
    }

    /// Deletes a peer's sync files: its base copies other than `keep`'s generation, and its
    /// pending copies.
    fn remove_sync_files(&self, dir: &DataDir, peer: i64, keep: &[i64]) {
        let Ok(entries) = std::fs::read_dir(sync_folder(dir)) else {
            return;
        };
        let base_prefix = format!("base-{peer}-g");
        let pending_prefix = format!("pending-{peer}-");
        let kept: Vec<String> = keep.iter().map(|g| format!("base-{peer}-g{g}.db")).collect();
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = name.starts_with(&base_prefix) || name.starts_with(&pending_prefix);
            if ours && !kept.contains(&name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }

    /// Puts in place a base copy that a merge replaced but an interruption left beside the old
    /// one (the merge committed; the rename had not happened).
    fn finish_swaps(&self, dir: &DataDir) -> Result<()> {
        let swaps: Vec<(i64, i64)> = self
            .conn
            .prepare("SELECT device, generation FROM sync_peers WHERE swap_pending = 1")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (peer, generation) in swaps {
            let base = base_path(dir, peer, generation);
            let next = base.with_extension("db.next");
            if next.exists() {
                std::fs::rename(&next, &base)?;
                datadir::sync_dir(&base)?;
            }
            self.conn
                .execute("UPDATE sync_peers SET swap_pending = 0 WHERE device = ?1", [peer])?;
        }
        Ok(())
    }

    /// Every sync copy in the data folder (bases and pending), for erasure.
    fn sync_copies(&self, dir: &DataDir) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(sync_folder(dir)) else {
            return Vec::new();
        };
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "db"))
            .collect()
    }

    /// Erases people from every sync copy too (called after an erasure commits), so a base
    /// copy never brings them back. Whether every copy was done.
    pub(crate) fn erase_in_sync_copies(&self, people: &[i64]) -> bool {
        let (Some(dir), Some(key)) = (self.dir.as_ref(), self.key.as_ref()) else {
            return true;
        };
        let mut all = true;
        for copy in self.sync_copies(dir) {
            all &= erase_in_copy(&copy, key, people).is_ok();
        }
        all
    }

    /// Re-keys every sync copy from `old` to `new` (after the case file was re-keyed).
    pub(crate) fn rekey_sync_copies(&self, old: &DbKey, new: &DbKey) -> Result<()> {
        let Some(dir) = self.dir.as_ref() else {
            return Ok(());
        };
        for copy in self.sync_copies(dir) {
            let c = open_copy(&copy, old)?;
            c.execute_batch(&zeroize::Zeroizing::new(format!(
                "PRAGMA rekey = \"x'{}'\";",
                hex::encode(new.as_ref())
            )))?;
        }
        Ok(())
    }

    /// Writes a bundle for each laptop this one exchanges with (the hub: every laptop not
    /// retired; another laptop: the hub) into `to`: the changes since they last agreed.
    pub fn sync_export(&mut self, to: &Path) -> Result<Vec<Exported>> {
        let (dir, key) = self.folder_and_key("write bundles")?;
        backup::writable_folder(to, "bundle folder")?;
        // Anyone erased whom a copy still holds (an erasure that could not reach every copy)
        // goes from it before it is compared with anything.
        self.finish_swaps(&dir)?;
        let erased: Vec<i64> = self.erased_ids()?.into_iter().collect();
        self.erase_in_sync_copies(&erased);
        let peers: Vec<Peer> = self.peers()?.into_iter().filter(|p| p.retired_on.is_none()).collect();
        if peers.is_empty() {
            return Err(StoreError::invalid(
                "This case file has no other laptops yet: make one with `dutydesk sync add-laptop NAME --to FOLDER` (data protection lead, on the hub).",
            ));
        }
        let me = self.this_device()?;
        let tables = synced_tables(&self.conn)?;
        let table_refs: Vec<&str> = tables.iter().map(String::as_str).collect();
        let slots = KeyFile::load(&dir.key_file())?;
        let mut out = Vec::new();
        for peer in peers {
            let now = self.clock().now();
            let base = base_path(&dir, peer.device, peer.generation);
            open_copy(&base, &key)?;
            self.conn.execute(
                &zeroize::Zeroizing::new(format!(
                    "ATTACH DATABASE ?1 AS base KEY \"x'{}'\"",
                    hex::encode(key.as_ref())
                )),
                [base.display().to_string()],
            )?;
            let changeset = session::diff(&self.conn, "base", &table_refs);
            self.conn.execute_batch("DETACH DATABASE base;")?;
            let changeset = changeset?;
            let changes = session::changes(&changeset)?.len();
            let seq = peer.sent_seq + 1;
            // The copy the base becomes when the peer's answer says it took this bundle.
            let pending = pending_path(&dir, peer.device, seq);
            copy_file(&base, &pending)?;
            let erased = self.erased_ids()?;
            let applied =
                session::changes(&changeset).and_then(|changes| apply_to_file(&pending, &key, &changes, &[], &erased));
            if let Err(e) = applied {
                let _ = std::fs::remove_file(&pending);
                return Err(e);
            }
            let user = self.actor().user_id;
            let recorded = self.write(|tx| {
                tx.execute(
                    "UPDATE sync_peers SET sent_seq = ?2 WHERE device = ?1",
                    params![peer.device, seq],
                )?;
                tx.execute(
                    "INSERT INTO sync_pending (peer, seq, generation, made_at) VALUES (?1, ?2, ?3, ?4)",
                    params![peer.device, seq, peer.generation, now],
                )?;
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('sync_folder', ?1)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [std::fs::canonicalize(to)
                        .unwrap_or_else(|_| to.to_path_buf())
                        .display()
                        .to_string()],
                )?;
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Export,
                    "laptop",
                    Some(peer.device),
                    &["bundle"],
                )
            });
            if let Err(e) = recorded {
                let _ = std::fs::remove_file(&pending);
                return Err(e);
            }
            super::faults::step("recorded, before the bundle is written")?;
            let hub = if me == 0 {
                Some(bundle::HubKeys::new(&key, slots.clone()))
            } else {
                None
            };
            let path = bundle::write(
                to,
                bundle::Exchange {
                    case_file_id: self.case_file_id()?,
                    from_device: me,
                    from_name: if me == 0 { "Hub".into() } else { format!("Laptop {me}") },
                    to_device: peer.device,
                    seq,
                    generation: peer.generation,
                    acks: peer.taken_seq,
                    made_at: now,
                    made_by: self.actor().login.clone(),
                },
                &slots,
                &changeset,
                hub,
            )?;
            out.push(Exported {
                path,
                to_device: peer.device,
                to_name: peer.name.clone(),
                seq,
                changes,
            });
        }
        Ok(out)
    }

    /// Takes in a bundle another laptop wrote for this one, opened with the acting user's
    /// passphrase: checked (this case file, this laptop, in order, not tampered with, from a
    /// laptop and user still on the case file), then merged in one transaction with its audit
    /// entries. See the module's description for the rules.
    pub fn sync_import(&mut self, file: &Path, passphrase: &str) -> Result<Imported> {
        let (dir, key) = self.folder_and_key("take in bundles")?;
        self.finish_swaps(&dir)?;
        let header = bundle::header_of(file)?;
        let me = self.this_device()?;
        if header.exchange.case_file_id != self.case_file_id()? {
            return Err(StoreError::invalid(format!(
                "{} belongs to another case file, not this one: nothing was merged.",
                file.display()
            )));
        }
        if header.exchange.from_device == me {
            return Err(StoreError::invalid(format!(
                "{} was made on this laptop: take it in on laptop {}.",
                file.display(),
                header.exchange.to_device
            )));
        }
        if header.exchange.to_device != me {
            return Err(StoreError::invalid(format!(
                "{} is meant for laptop {}, and this is laptop {me}: take it there.",
                file.display(),
                header.exchange.to_device
            )));
        }
        let peer = self.peer(header.exchange.from_device)?;
        if let Some(on) = peer.retired_on {
            return Err(StoreError::invalid(format!(
                "Laptop {} ({}) was retired on {}: its bundles are refused. If it holds work not yet merged, the data protection lead must add it again as a new laptop.",
                peer.device,
                peer.name,
                on.format("%d/%m/%Y")
            )));
        }
        if header.schema_version != super::schema::latest() {
            return Err(StoreError::invalid(format!(
                "{} was made by a different version of dutydesk (case file version {}, this laptop has {}): put the same version on both laptops, then export again.",
                file.display(),
                header.schema_version,
                super::schema::latest()
            )));
        }
        if header.exchange.seq <= peer.taken_seq {
            let from = laptop_words(peer.device);
            return Err(StoreError::invalid(format!(
                "This laptop has already taken in bundle {} from {from} (or a later one): nothing was merged again. Delete it.",
                header.exchange.seq
            )));
        }
        let acked: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT seq, generation FROM sync_pending WHERE peer = ?1 AND seq = ?2",
                params![peer.device, header.exchange.acks],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        // Where the shared base stands once what this bundle says the peer took is counted.
        let (generation, base_from) = match acked {
            Some((seq, g)) if g == peer.generation && header.exchange.generation == g + 1 => {
                (g + 1, pending_path(&dir, peer.device, seq))
            }
            _ => (peer.generation, base_path(&dir, peer.device, peer.generation)),
        };
        // A later bundle of theirs made on the base this laptop moved from when it took their
        // last one (the hub's bundles of two days, taken one after the other): taken as what
        // changed between the two.
        let via_prev = generation == peer.generation
            && peer.unanswered == 0
            && peer.prev_generation == Some(header.exchange.generation)
            && header.exchange.generation + 1 == peer.generation;
        if header.exchange.generation != generation && !via_prev {
            let from = laptop_words(peer.device);
            return Err(StoreError::invalid(if header.exchange.generation < generation {
                format!(
                    "Bundle {} was made before {from} took in this laptop's last bundle. Nothing was merged, and nothing is lost: its changes come with the next bundle {from} makes (export again there, and take that one in here). Delete this one.",
                    header.exchange.seq
                )
            } else {
                format!(
                    "Bundle {} from {from} does not follow on from the last exchange: a bundle from this laptop to {from} is missing there. Export here, take that bundle in on {from}, then export there again. Nothing was merged.",
                    header.exchange.seq
                )
            }));
        }
        let opened = bundle::open(file, &self.actor().login, passphrase)?;
        let erased_before: Vec<i64> = self.erased_ids()?.into_iter().collect();
        self.erase_in_sync_copies(&erased_before);
        if me == 0 {
            let removed: Option<Option<String>> = self
                .conn
                .query_row(
                    "SELECT removed_at FROM users WHERE login = ?1",
                    [&opened.header.exchange.made_by],
                    |r| r.get(0),
                )
                .optional()?;
            match removed {
                Some(None) => {}
                Some(Some(on)) => {
                    return Err(StoreError::invalid(format!(
                        "This bundle was made by {}, who was removed as a user on {}: it is refused. A current user on laptop {} must export again.",
                        opened.header.exchange.made_by,
                        on.get(..10).unwrap_or(&on),
                        peer.device
                    )))
                }
                None => {
                    return Err(StoreError::invalid(format!(
                        "This bundle was made by {}, who is not a user of this case file: it is refused.",
                        opened.header.exchange.made_by
                    )))
                }
            }
        }
        let changes = session::changes(&opened.changeset)?;
        let erased_here: Vec<i64> = changes
            .iter()
            .filter(|c| c.table == "tombstones" && c.op == session::Op::Insert)
            .filter_map(|c| match c.new.first() {
                Some(Some(rusqlite::types::Value::Integer(p))) => Some(*p),
                _ => None,
            })
            .collect();
        let advanced = generation == peer.generation + 1;
        // Both sent at once: the hub's bundle decides where the base moves.
        let crossed = !advanced && peer.unanswered > 0;
        if crossed && me == 0 {
            // Merging it now would leave the hub's base short of this laptop's changes, and
            // they would come back later as conflicts with themselves.
            return Err(StoreError::invalid(format!(
                "This bundle crossed with the hub's bundle {} for laptop {}: take the hub's newest bundle in on laptop {} first (if it is lost, export again here), then export again there. Nothing was merged, and nothing is lost.",
                peer.sent_seq, peer.device, peer.device
            )));
        }
        let erased = self.erased_ids()?;
        // The shared base copy as it will be: the sender's file as it was when it made this
        // bundle. Made first, from a copy: a bundle that does not start exactly where the two
        // laptops last agreed is refused before the case file is touched.
        let (to_merge, next_base, new_generation, new_prev) = if via_prev {
            let next = base_path(&dir, peer.device, peer.generation).with_extension("db.next");
            copy_file(&base_path(&dir, peer.device, header.exchange.generation), &next)?;
            let made = apply_to_file(&next, &key, &changes, &erased_here, &erased)
                .and_then(|()| diff_copies(&next, &base_path(&dir, peer.device, peer.generation), &key))
                .and_then(|d| session::changes(&d));
            match made {
                Ok(since_last) => (since_last, next, peer.generation, peer.prev_generation),
                Err(e) => {
                    let _ = std::fs::remove_file(&next);
                    return Err(e);
                }
            }
        } else {
            // The base this bundle starts from is kept, under its generation, while a later
            // bundle of theirs may be made on it (the copy kept when this laptop sent what
            // they answered, if that is where it starts).
            let from_base = base_path(&dir, peer.device, generation);
            if advanced {
                copy_file(&base_from, &from_base)?;
            }
            let next = base_path(&dir, peer.device, generation + 1);
            copy_file(&from_base, &next)?;
            if let Err(e) = apply_to_file(&next, &key, &changes, &erased_here, &erased) {
                let _ = std::fs::remove_file(&next);
                return Err(e);
            }
            (changes, next, generation + 1, Some(generation))
        };
        let now = self.clock().now();
        let user = self.actor().user_id;
        let from_hub = header.exchange.from_device == 0;
        let seq = header.exchange.seq;
        let from = peer.device;
        let merged = {
            let conn = &self.conn;
            conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
            let result = self.write(|tx| {
                let report = merge::merge(tx, &to_merge, from, seq, from_hub, now)?;
                tx.execute(
                    "UPDATE sync_peers SET generation = ?2, taken_seq = ?3, last_met = ?4, prev_generation = ?5,
                            swap_pending = ?6
                     WHERE device = ?1",
                    params![from, new_generation, seq, now, new_prev, via_prev],
                )?;
                tx.execute("DELETE FROM sync_pending WHERE peer = ?1", [from])?;
                if !report.erased.is_empty() {
                    tx.execute(
                        "INSERT INTO meta (key, value) VALUES ('compact_pending', '1')
                         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [],
                    )?;
                }
                for &p in &report.erased {
                    audit::append(
                        tx,
                        now,
                        Some(user),
                        audit::Action::Erase,
                        "person",
                        Some(p),
                        &["merged"],
                    )?;
                }
                for &p in &report.people {
                    audit::append(
                        tx,
                        now,
                        Some(user),
                        audit::Action::Change,
                        "person",
                        Some(p),
                        &["merged"],
                    )?;
                }
                audit::append(
                    tx,
                    now,
                    Some(user),
                    audit::Action::Change,
                    "laptop",
                    Some(from),
                    &["bundle"],
                )?;
                Ok(report)
            });
            let _ = self
                .conn
                .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true);
            result
        };
        let report = match merged {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&next_base);
                return Err(e);
            }
        };
        super::faults::step("merged, before the old sync copies go")?;
        self.finish_swaps(&dir)?;
        let keep: Vec<i64> = std::iter::once(new_generation).chain(new_prev).collect();
        self.remove_sync_files(&dir, from, &keep);
        if !report.erased.is_empty() {
            self.erase_in_sync_copies(&report.erased);
            let _ = self.finish_compaction();
            let _ = self.write_register();
        }
        // The merge is in; users and keys that could not be taken now come with the hub's
        // next bundle (every one carries them).
        let (users_updated, users_problem) = match opened.hub {
            Some(hub) if me != 0 => match self.adopt_hub_keys(&dir, &key, &hub) {
                Ok(updated) => (updated, None),
                Err(e) => (false, Some(e.to_string())),
            },
            _ => (false, None),
        };
        // Taken in: the bundle has done its work, and it holds personal data.
        let bundle_removed = std::fs::remove_file(file).is_ok();
        Ok(Imported {
            from_device: from,
            from_name: peer.name,
            seq,
            made_at: header.exchange.made_at,
            report,
            users_updated,
            users_problem,
            bundle_removed,
        })
    }

    /// Takes the hub's key slots (and its key, when the hub re-keyed after removing a user):
    /// the case file and every sync copy are re-keyed first, the slots written last, so an
    /// interruption leaves slots that open the file as it is (see [`Store::remove_user`]).
    fn adopt_hub_keys(&mut self, dir: &DataDir, key: &DbKey, hub: &bundle::HubKeys) -> Result<bool> {
        let new_key = hub
            .db_key()
            .ok_or_else(|| StoreError::invalid("The hub's bundle holds a damaged key: export it again on the hub."))?;
        let mut slots = hub.key_file().clone();
        let mut salt = [0u8; 16];
        std::io::Read::read_exact(&mut std::fs::File::open(dir.case_file())?, &mut salt)?;
        slots.set_case_file_salt(salt);
        let current = KeyFile::load(&dir.key_file())?;
        if new_key.as_ref() == key.as_ref() && current.to_bytes()? == slots.to_bytes()? {
            return Ok(false);
        }
        if new_key.as_ref() != key.as_ref() {
            self.rekey_to(&slots, &dir.key_file(), new_key)?;
        } else {
            slots.save(&dir.key_file())?;
        }
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Admin,
                "keyslots",
                None,
                &["from_hub"],
            )
        })?;
        Ok(true)
    }
}
