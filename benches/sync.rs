//! Merging a laptop's week into the hub: 1,000 people's records changed on a laptop made from
//! the 100,000-person case file (each one's family name, so the search index must follow),
//! sealed into a bundle, and taken in on the hub: the bundle opened, every change applied field
//! by field against the shared base copy, the base copy moved on, the search rows rewritten,
//! the audit entries written. Target: under 1 second.
//!
//! In the same run, the straightforward approach a peer would take with the same engine:
//! SQLite's `sqlite3changeset_apply` of the same (unsealed) changeset straight into the hub's
//! file in one transaction, any conflict settled by the incoming row (last write wins, as
//! Primero and cr-sqlite do): no base copy, no field-level check, no search index, no audit.
//! The ratio is printed.
//!
//! A second case, the commonest week: a call logged with each of 1,000 people on another
//! laptop (a contact each and their last-contact date; nothing the search index holds).
//!
//! Each iteration starts from a fresh copy of the hub's folder (copying is not timed).
//! Run with `cargo bench --bench sync`.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dutydesk::store::{DataDir, Store};
use std::ffi::{c_int, c_void};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CHANGED: usize = 1_000;

/// Copies a closed data folder (case file, key slots, sync copies) into `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("sync")).expect("folder");
    for name in ["casefile.db", "keyslots.json"] {
        std::fs::copy(from.join(name), to.join(name)).expect("copy");
    }
    for e in std::fs::read_dir(from.join("sync")).expect("sync folder") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join("sync").join(e.file_name())).expect("copy");
    }
}

/// The hub (a copy of the 100,000-person file with one laptop made from it), the laptop's
/// bundle of 1,000 changed records, and the same changes unsealed for the peer.
struct Setup {
    _tmp: tempfile::TempDir,
    hub: PathBuf,
    bundle: PathBuf,
    changeset: Vec<u8>,
    /// From a second laptop: a call logged with each of 1,000 people (the search index
    /// untouched), the commonest week.
    calls: PathBuf,
}

fn setup() -> Setup {
    let big = common::people_100k();
    let tmp = tempfile::tempdir_in(common::bench_data_root()).expect("temporary folder");
    let hub = tmp.path().join("hub");
    std::fs::create_dir_all(hub.join("sync")).expect("folder");
    for name in ["casefile.db", "keyslots.json"] {
        std::fs::copy(big.dir.root().join(name), hub.join(name)).expect("copy");
    }
    let stick = tmp.path().join("stick");
    std::fs::create_dir_all(&stick).expect("folder");
    let (made, second) = {
        let mut h = Store::unlock(&DataDir::new(&hub), common::LEAD, common::LEAD_PASS, common::clock()).expect("hub");
        (
            h.add_laptop("Bench laptop", &stick).expect("laptop"),
            h.add_laptop("Second laptop", &stick).expect("laptop"),
        )
    };
    let calls = {
        let dir = DataDir::new(&second.folder);
        let mut l = Store::unlock(&dir, common::LEAD, common::LEAD_PASS, common::clock()).expect("second laptop");
        let mut logged = 0;
        for id in (1..=common::PEOPLE as i64).step_by(37) {
            if logged == CHANGED {
                break;
            }
            if l.log_contact(id, dutydesk::domain::ContactKind::Call, "Rang about Tuesday")
                .is_ok()
            {
                logged += 1;
            }
        }
        assert_eq!(logged, CHANGED, "enough people to ring");
        l.sync_export(&stick).expect("export")[0].path.clone()
    };
    let laptop_dir = DataDir::new(&made.folder);
    let mut laptop = Store::unlock(&laptop_dir, common::LEAD, common::LEAD_PASS, common::clock()).expect("laptop");
    // People spread through the file (every 37th), those the form lets the lead change.
    let mut changed = 0;
    let mut refused = None;
    for id in (1..=common::PEOPLE as i64).step_by(37) {
        if changed == CHANGED {
            break;
        }
        let Ok(p) = laptop.person(id) else { continue };
        let mut rec = p.record;
        rec.family_name = format!("{}-Merged", rec.family_name);
        match laptop.update_person(id, &rec) {
            Ok(()) => changed += 1,
            Err(e) => refused = Some(e.to_string()),
        }
    }
    assert_eq!(changed, CHANGED, "enough people to change (last refusal: {refused:?})");
    let out = laptop.sync_export(&stick).expect("export");
    // The same changes, unsealed, for the peer: the laptop's file against its base copy.
    let changeset = {
        let conn = laptop.raw_connection_for_tests();
        let key = dutydesk::store::keyslots::KeyFile::load(&laptop_dir.key_file())
            .expect("slots")
            .unlock(common::LEAD, common::LEAD_PASS, &laptop_dir.key_file())
            .expect("key");
        let base = laptop_dir.root().join("sync").join("base-0-g0.db");
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS base KEY \"x'{}'\"", hex::encode(key.as_ref())),
            [base.display().to_string()],
        )
        .expect("attach");
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT LIKE 'people_search%'
                 AND name NOT IN ('meta', 'this_device', 'sync_peers', 'sync_pending', 'sync_conflicts', 'audit_log', 'id_marks')
                 ORDER BY rowid",
            )
            .expect("tables")
            .query_map([], |r| r.get(0))
            .expect("tables")
            .map(|r| r.expect("name"))
            .collect();
        let refs: Vec<&str> = tables.iter().map(String::as_str).collect();
        let cs = dutydesk::store::sync::session::diff(conn, "base", &refs).expect("diff");
        conn.execute_batch("DETACH DATABASE base;").expect("detach");
        cs
    };
    drop(laptop);
    Setup {
        _tmp: tmp,
        hub,
        bundle: out[0].path.clone(),
        changeset,
        calls,
    }
}

/// dutydesk: the bundle of 1,000 renamed people taken in on the hub.
fn ours(dir: &Path, s: &Setup) -> usize {
    take_in(dir, &s.bundle)
}

/// dutydesk: the bundle of 1,000 calls taken in on the hub.
fn ours_calls(dir: &Path, s: &Setup) -> usize {
    take_in(dir, &s.calls)
}

fn take_in(dir: &Path, from: &Path) -> usize {
    let mut hub = Store::unlock(&DataDir::new(dir), common::LEAD, common::LEAD_PASS, common::clock()).expect("hub");
    // Taking a bundle in deletes it: each iteration takes its own copy.
    let bundle = dir.join("bundle.ddsync");
    std::fs::copy(from, &bundle).expect("copy the bundle");
    let t = Instant::now();
    let done = hub.sync_import(&bundle, common::LEAD_PASS).expect("merge");
    let took = t.elapsed();
    assert_eq!(done.report.people.len(), CHANGED, "every changed person merged");
    TIMED.with(|c| c.set(took));
    done.report.people.len()
}

thread_local! {
    static TIMED: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

/// The peer's conflict handler: the incoming row wins.
unsafe extern "C" fn replace(_ctx: *mut c_void, kind: c_int, _it: *mut rusqlite::ffi::sqlite3_changeset_iter) -> c_int {
    if kind == rusqlite::ffi::SQLITE_CHANGESET_DATA || kind == rusqlite::ffi::SQLITE_CHANGESET_CONFLICT {
        rusqlite::ffi::SQLITE_CHANGESET_REPLACE
    } else {
        rusqlite::ffi::SQLITE_CHANGESET_OMIT
    }
}

/// The peer: `sqlite3changeset_apply` straight into the hub's file.
fn peer(dir: &Path, s: &Setup) -> usize {
    let d = DataDir::new(dir);
    let key = dutydesk::store::keyslots::KeyFile::load(&d.key_file())
        .expect("slots")
        .unlock(common::LEAD, common::LEAD_PASS, &d.key_file())
        .expect("key");
    let conn = rusqlite::Connection::open(d.case_file()).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(key.as_ref())))
        .expect("key");
    conn.query_row("SELECT count(*) FROM people", [], |_| Ok(()))
        .expect("read");
    let t = Instant::now();
    // SAFETY: the connection is open for the call; SQLite only reads the changeset.
    let rc = unsafe {
        rusqlite::ffi::sqlite3changeset_apply(
            conn.handle(),
            s.changeset.len() as c_int,
            s.changeset.as_ptr() as *mut c_void,
            None,
            Some(replace),
            std::ptr::null_mut(),
        )
    };
    TIMED.with(|c| c.set(t.elapsed()));
    assert_eq!(rc, rusqlite::ffi::SQLITE_OK, "the changeset applies");
    CHANGED
}

fn merge(c: &mut Criterion) {
    common::note_load("sync");
    let s = setup();
    let mut group = c.benchmark_group("merge_1000_changed_records_into_100k");
    let mut run = |name: &str, f: fn(&Path, &Setup) -> usize| {
        let mut samples = Vec::new();
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let tmp = tempfile::tempdir_in(common::bench_data_root()).expect("temporary folder");
                    copy_folder(&s.hub, tmp.path());
                    tmp
                },
                |tmp| {
                    f(tmp.path(), &s);
                    samples.push(TIMED.with(|c| c.get()));
                    tmp
                },
                BatchSize::PerIteration,
            )
        });
        samples.sort();
        (common::percentile(&samples, 50.0), samples.len())
    };
    let (ours_p50, n1) = run("dutydesk_sync_import", ours);
    let (peer_p50, n2) = run("changeset_apply_last_write_wins", peer);
    let (calls_p50, n3) = run("dutydesk_sync_import_1000_calls", ours_calls);
    group.finish();
    eprintln!(
        "merge {CHANGED} changed records into the 100,000-person file: dutydesk p50 {} ({n1} samples); \
         sqlite3changeset_apply, last write wins, p50 {} ({n2} samples); dutydesk / that {:.2} (target < 1 s); \
         {CHANGED} calls logged on another laptop: dutydesk p50 {} ({n3} samples)",
        common::ms(ours_p50),
        common::ms(peer_p50),
        ours_p50.as_secs_f64() / peer_p50.as_secs_f64().max(1e-9),
        common::ms(calls_p50),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(1));
    targets = merge
}
criterion_main!(benches);
