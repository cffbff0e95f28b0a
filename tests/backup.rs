//! Backups and restores: a backup opens for every user and restores every table; no personal
//! value is readable in it; a person erased after the backup is erased again on restore (from
//! this laptop's register, or a newer backup's); a live case file is never replaced silently;
//! damaged, cut, altered and foreign files are refused with their own sentence.

mod common;

use common::*;
use dutydesk::domain::clock::{Clock, ManualClock};
use dutydesk::store::backup::{self, backups_in};
use dutydesk::store::{DataDir, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A clock that moves on a minute per backup, so two backups never share a name.
fn clock_at(minute: u32) -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(today().and_hms_opt(9, minute, 0).unwrap()))
}

fn lead(dir: &DataDir, minute: u32) -> Store {
    Store::unlock(dir, LEAD, LEAD_PASS, clock_at(minute)).unwrap()
}

fn back_up(dir: &DataDir, to: &Path, minute: u32) -> PathBuf {
    let mut store = lead(dir, minute);
    let mut calls = 0;
    let report = store.backup(to, None, &mut |_, _| calls += 1).unwrap();
    assert!(calls > 0, "progress is reported");
    report.path
}

fn erase(dir: &DataDir, person: i64, minute: u32) {
    let mut store = lead(dir, minute);
    let id = ready_erasure_request(&mut store, person);
    let report = store.erase(id).unwrap();
    assert!(report.registered, "the register beside the case file was written");
}

/// Rows per table (the search index's shadow tables left out: they are checked by searching).
fn table_counts(store: &Store) -> Vec<(String, i64)> {
    let c = store.raw_connection_for_tests();
    let names: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'people_search%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    names
        .into_iter()
        .map(|n| {
            let k: i64 = c
                .query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))
                .unwrap();
            (n, k)
        })
        .collect()
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

#[test]
fn a_backup_opens_for_every_user_and_restores_every_table_on_a_new_laptop() {
    let (tmp, dir, f) = tui_fixture();
    let before = table_counts(&lead(&dir, 0));
    let bk = tmp.path().join("usb");
    let file = back_up(&dir, &bk, 1);
    assert_eq!(backups_in(&bk), vec![file.clone()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Any user listed opens it with their own passphrase; it says what it holds.
    let s = backup::verify(&file, "duty-officer", "duty-officer test passphrase", clock()).unwrap();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(s.people, 4);
    assert_eq!(s.erased, 0);
    assert!(s.users.iter().any(|u| u == LEAD) && s.users.len() == 6, "{:?}", s.users);
    assert_eq!(s.header.schema_version, dutydesk::store::schema::latest());

    // A new laptop: an empty folder.
    let laptop = DataDir::new(tmp.path().join("new-laptop"));
    let r = backup::restore(
        &file,
        &laptop,
        "trustee",
        "trustee test passphrase",
        None,
        false,
        clock(),
    )
    .unwrap();
    assert_eq!((r.people, r.reerased, r.replaced_kept_in), (4, 0, None));
    let restored = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    let mut after = table_counts(&restored);
    // The restore adds its own audit entry (and the backup's is in the copy), nothing else.
    let audit = |v: &mut Vec<(String, i64)>| {
        let i = v.iter().position(|(n, _)| n == "audit_log").unwrap();
        v.remove(i).1
    };
    let mut before = before;
    assert!(audit(&mut after) > audit(&mut before));
    after.retain(|(n, _)| n != "meta");
    before.retain(|(n, _)| n != "meta");
    assert_eq!(before, after);
    assert_eq!(restored.person(f.client).unwrap().record.family_name, "Oakhill");
    assert!(restored.search("oakhill", 5).unwrap().iter().any(|h| h.id == f.client));
    assert!(restored.check().unwrap().is_empty(), "{:?}", restored.check().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(laptop.root()).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}

#[test]
fn no_personal_value_is_readable_in_any_byte_of_a_backup() {
    let (tmp, dir, _f) = tui_fixture();
    let file = back_up(&dir, &tmp.path().join("usb"), 1);
    let bytes = std::fs::read(&file).unwrap();
    for needle in [
        "Oakhill",
        "Margaret",
        "07700 900123",
        "07700900123",
        "Stanwell",
        "walking frame",
        "m.oakhill",
        "Sandhu",
        "001234567890",
    ] {
        assert!(
            !find_bytes(&bytes, needle.as_bytes()),
            "{needle} is readable in the backup"
        );
    }
}

#[test]
fn a_person_erased_after_the_backup_is_erased_again_when_it_is_restored_here() {
    let (tmp, dir, f) = tui_fixture();
    let usb = tmp.path().join("usb");
    let file = back_up(&dir, &usb, 1);
    erase(&dir, f.worker, 2);
    // Restoring over the live file needs saying so.
    let e = backup::restore(&file, &dir, LEAD, LEAD_PASS, None, false, clock())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("already holds a case file") && e.contains("--replace"),
        "{e}"
    );
    assert!(lead(&dir, 3).person(f.worker).is_err(), "nothing was replaced");

    let r = backup::restore(&file, &dir, LEAD, LEAD_PASS, None, true, clock_at(4)).unwrap();
    assert_eq!(r.reerased, 1, "the erasure made after the backup is applied again");
    let kept = r.replaced_kept_in.expect("the replaced case file is kept");
    assert!(kept.join("casefile.db").is_file() && kept.join("keyslots.json").is_file());
    let store = lead(&dir, 5);
    assert!(store.person(f.worker).is_err());
    assert!(store.search("sandhu", 5).unwrap().is_empty());
    assert!(store.person(f.client).is_ok(), "everyone else is back");
    assert!(store.tombstone(f.worker).unwrap().is_some());
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
}

#[test]
fn a_new_laptop_restoring_an_old_backup_learns_later_erasures_from_a_newer_one_beside_it() {
    let (tmp, dir, f) = tui_fixture();
    let usb = tmp.path().join("usb");
    let old = back_up(&dir, &usb, 1);
    erase(&dir, f.worker, 2);
    let _newer = back_up(&dir, &usb, 3);
    let laptop = DataDir::new(tmp.path().join("new-laptop"));
    let r = backup::restore(&old, &laptop, LEAD, LEAD_PASS, None, false, clock_at(4)).unwrap();
    assert_eq!(r.reerased, 1);
    assert_eq!(r.unreadable_registers, 0);
    let store = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(store.person(f.worker).is_err());
    assert!(store.search("sandhu", 5).unwrap().is_empty());
    // Not one byte of the erased person's values in the new laptop's case file: its whole
    // content (every table, the search index's own pages included) exported unencrypted with
    // SQLCipher's `sqlcipher_export`, then read byte by byte.
    let plain = tmp.path().join("plain.db");
    // The case file's connection may not create files: an empty file is an empty database.
    std::fs::File::create(&plain).unwrap();
    let c = store.raw_connection_for_tests();
    c.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain'); DETACH DATABASE plain;",
        plain.display()
    ))
    .unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    assert!(find_bytes(&bytes, b"Oakhill"), "the export holds the others' values");
    for needle in ["Sandhu", "0161 496 0001", "01614960001", "4960001", "r.sandhu"] {
        assert!(!find_bytes(&bytes, needle.as_bytes()), "{needle} survived the restore");
    }
}

#[test]
fn keep_retires_the_oldest_backups_and_the_handover_date_is_kept() {
    let (tmp, dir, _f) = tui_fixture();
    let usb = tmp.path().join("usb");
    for minute in 1..=3 {
        back_up(&dir, &usb, minute);
    }
    let mut store = lead(&dir, 4);
    let report = store.backup(&usb, Some(2), &mut |_, _| {}).unwrap();
    assert_eq!(report.retired.len(), 2);
    let left = backups_in(&usb);
    assert_eq!(left.len(), 2);
    assert_eq!(left.last(), Some(&report.path));
    assert_eq!(
        store.last_backup().unwrap(),
        Some(today().and_hms_opt(9, 4, 0).unwrap())
    );
}

#[test]
fn damaged_cut_altered_foreign_and_newer_files_are_refused_and_nothing_is_written() {
    let (tmp, dir, _f) = tui_fixture();
    let file = back_up(&dir, &tmp.path().join("usb"), 1);
    let bytes = std::fs::read(&file).unwrap();
    let target = DataDir::new(tmp.path().join("never"));
    let try_file = |name: &str, content: &[u8]| -> String {
        let p = tmp.path().join(name);
        std::fs::write(&p, content).unwrap();
        let v = backup::verify(&p, LEAD, LEAD_PASS, clock()).unwrap_err().to_string();
        let r = backup::restore(&p, &target, LEAD, LEAD_PASS, None, false, clock())
            .unwrap_err()
            .to_string();
        assert_eq!(v, r, "verify and restore say the same");
        assert!(!target.root().exists(), "{name}: nothing was written");
        v
    };
    // Cut short.
    let e = try_file("cut.ddbak", &bytes[..bytes.len() - 4096]);
    assert!(e.contains("cut short"), "{e}");
    // A byte of the database altered.
    let mut altered = bytes.clone();
    let at = bytes.len() - 5000;
    altered[at] ^= 0x20;
    let e = try_file("altered.ddbak", &altered);
    assert!(e.contains("altered or damaged"), "{e}");
    // The header altered (the organisation's name).
    let text = String::from_utf8_lossy(&bytes[..400]).to_string();
    let org_at = text.find("Middleton Cheney Good Neighbours Scheme").unwrap();
    let mut header = bytes.clone();
    header[org_at] = b'B';
    let e = try_file("header.ddbak", &header);
    assert!(e.contains("header") && e.contains("altered"), "{e}");
    // Not a backup at all.
    let e = try_file("foreign.ddbak", b"SQLite format 3\0 and some more bytes\n");
    assert!(e.contains("not a dutydesk backup"), "{e}");
    let case_file = std::fs::read(dir.case_file()).unwrap();
    let e = try_file("casefile.ddbak", &case_file);
    assert!(e.contains("not a dutydesk backup"), "{e}");
    // From a newer dutydesk.
    let newer = String::from_utf8_lossy(&bytes[..2000]).to_string().replacen(
        &format!("\"schema_version\":{}", dutydesk::store::schema::latest()),
        "\"schema_version\":99",
        1,
    );
    let mut newer_bytes = newer.into_bytes();
    newer_bytes.extend_from_slice(&bytes[2000..]);
    let e = try_file("newer.ddbak", &newer_bytes);
    assert!(e.contains("newer dutydesk"), "{e}");
    // A wrong passphrase, and someone who was not a user.
    let e = backup::verify(&file, LEAD, "not the passphrase", clock())
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not open this backup"), "{e}");
    let e = backup::verify(&file, "stranger", "whatever passphrase", clock())
        .unwrap_err()
        .to_string();
    assert!(e.contains("was not a user"), "{e}");
}

#[test]
fn a_restricted_person_stays_restricted_after_a_restore() {
    let (tmp, dir, f) = tui_fixture();
    lead(&dir, 0)
        .raw_connection_for_tests()
        .execute(
            "UPDATE people SET restricted = 1, restricted_on = '2026-11-20' WHERE id = ?1",
            [f.daughter],
        )
        .unwrap();
    let file = back_up(&dir, &tmp.path().join("usb"), 1);
    let laptop = DataDir::new(tmp.path().join("new-laptop"));
    backup::restore(&file, &laptop, LEAD, LEAD_PASS, None, false, clock()).unwrap();
    let duty = Store::unlock(&laptop, "duty-officer", "duty-officer test passphrase", clock()).unwrap();
    assert!(duty.search("susan", 5).unwrap().iter().all(|h| h.id != f.daughter));
    drop(duty);
    let restored = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(restored.person(f.daughter).unwrap().restricted);
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent_and_holds_what_was_committed() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let (tmp, dir, _f) = tui_fixture();
    let key = dutydesk::store::KeyFile::load(&dir.key_file())
        .unwrap()
        .unlock(LEAD, LEAD_PASS, &dir.key_file())
        .unwrap();
    let open_raw = || {
        let c = rusqlite::Connection::open(dir.case_file()).unwrap();
        c.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(*key)))
            .unwrap();
        c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        c
    };
    let mut store = lead(&dir, 1);
    // Committed before the backup starts: in the WAL, not yet in the main file.
    open_raw()
        .execute("INSERT INTO meta (key, value) VALUES ('committed-before', 'x')", [])
        .unwrap();
    // Meanwhile another connection writes pairs of rows, each pair in one transaction.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        let mut c = open_raw();
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < 2000 {
                let tx = c.transaction().unwrap();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                    [format!("pair-a-{i}")],
                )
                .unwrap();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                    [format!("pair-b-{i}")],
                )
                .unwrap();
                tx.commit().unwrap();
                i += 1;
                // A busy volunteer's pace, not a tight loop that starves every other writer.
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            i
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = store.backup(&tmp.path().join("usb"), None, &mut |_, _| {}).unwrap();
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().unwrap();
    assert!(written > 0);
    drop(store);
    let s = backup::verify(&report.path, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    let laptop = DataDir::new(tmp.path().join("laptop"));
    backup::restore(&report.path, &laptop, LEAD, LEAD_PASS, None, false, clock()).unwrap();
    let restored = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    let c = restored.raw_connection_for_tests();
    let count = |like: &str| -> i64 {
        c.query_row("SELECT count(*) FROM meta WHERE key LIKE ?1", [like], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        count("committed-before"),
        1,
        "what was committed before the backup is in it"
    );
    assert_eq!(
        count("pair-a-%"),
        count("pair-b-%"),
        "every pair whole or absent: one moment's state"
    );
}

#[test]
fn an_erased_id_is_never_given_to_someone_new_so_a_restore_cannot_erase_the_wrong_person() {
    let (tmp, dir, f) = tui_fixture();
    // The worker has the highest id; erasing them must not free it.
    erase(&dir, f.worker, 1);
    let newcomer = {
        let mut store = lead(&dir, 2);
        add(
            &mut store,
            &record("Nadia", "Newcombe", &[dutydesk::domain::Category::Client]),
        )
    };
    assert!(
        newcomer > f.worker,
        "ids are never reused: {newcomer} after {}",
        f.worker
    );
    let file = back_up(&dir, &tmp.path().join("usb"), 3);
    let laptop = DataDir::new(tmp.path().join("laptop"));
    let r = backup::restore(&file, &laptop, LEAD, LEAD_PASS, None, false, clock()).unwrap();
    assert_eq!(r.reerased, 0);
    let store = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(store.person(newcomer).is_ok(), "the newcomer is untouched");
}

#[test]
fn the_register_remembers_erasures_of_people_an_older_restore_did_not_contain() {
    let (tmp, dir, _f) = tui_fixture();
    let usb = tmp.path().join("usb");
    let older = back_up(&dir, &usb, 1);
    let x = {
        let mut store = lead(&dir, 2);
        add(
            &mut store,
            &record("Xanthe", "Quillfeather", &[dutydesk::domain::Category::Client]),
        )
    };
    let with_x = back_up(&dir, &usb, 3);
    erase(&dir, x, 4);
    // Back to the older backup (without Xanthe), then, on second thoughts, to the one with her:
    // she is erased again, because the register kept her.
    let r = backup::restore(&older, &dir, LEAD, LEAD_PASS, None, true, clock_at(5)).unwrap();
    assert_eq!(r.reerased, 0);
    std::fs::remove_file(&older).unwrap();
    let r = backup::restore(&with_x, &dir, LEAD, LEAD_PASS, None, true, clock_at(6)).unwrap();
    assert_eq!(r.reerased, 1);
    assert!(lead(&dir, 7).person(x).is_err());
}

#[test]
fn a_folder_with_backups_but_no_case_file_is_restored_into_and_its_backups_stay() {
    let (tmp, dir, _f) = tui_fixture();
    let file = back_up(&dir, &tmp.path().join("usb"), 1);
    // The laptop's case file was lost; its folder still holds its own backups and the marker
    // `check` left when it found the old file damaged.
    let laptop = DataDir::new(tmp.path().join("laptop"));
    std::fs::create_dir_all(laptop.default_backups()).unwrap();
    std::fs::copy(
        &file,
        laptop.default_backups().join("dutydesk-backup-20261124-090000.ddbak"),
    )
    .unwrap();
    std::fs::write(laptop.damaged_marker(), "integrity: page 3").unwrap();
    let r = backup::restore(&file, &laptop, LEAD, LEAD_PASS, None, false, clock()).unwrap();
    assert_eq!(r.people, 4);
    assert!(laptop
        .default_backups()
        .join("dutydesk-backup-20261124-090000.ddbak")
        .is_file());
    assert!(Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).is_ok());
}

#[test]
fn a_backup_folder_that_cannot_be_used_is_named_and_nothing_is_written() {
    let (tmp, dir, _f) = tui_fixture();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let mut store = lead(&dir, 1);
    let e = store.backup(&file, None, &mut |_, _| {}).unwrap_err().to_string();
    assert!(
        e.contains("The backup folder") && e.contains("it is a file, not a folder"),
        "{e}"
    );
    assert_eq!(store.last_backup().unwrap(), None, "no backup was recorded");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn an_erasure_leaves_a_register_copy_beside_the_backups_so_a_new_laptop_learns_of_it() {
    let (tmp, dir, f) = tui_fixture();
    let usb = tmp.path().join("usb");
    let old = back_up(&dir, &usb, 1);
    // Erased after the backup, with the stick still plugged in; no newer backup is made.
    erase(&dir, f.worker, 2);
    assert_eq!(backups_in(&usb), vec![old.clone()]);
    let laptop = DataDir::new(tmp.path().join("new-laptop"));
    let r = backup::restore(&old, &laptop, LEAD, LEAD_PASS, None, false, clock_at(3)).unwrap();
    assert_eq!((r.reerased, r.unreadable_registers), (1, 0));
    let store = Store::unlock(&laptop, LEAD, LEAD_PASS, clock()).unwrap();
    assert!(store.search("sandhu", 5).unwrap().is_empty());
}
