//! Backing up the 100,000-person case file and restoring it. Target: a backup in under
//! 3 seconds.
//!
//! In the same run, the straightforward approach a peer would take for each: for the backup,
//! `VACUUM INTO` a new file (consistent and encrypted, but under the live key, with no key
//! slots, header or erasure register); for the restore, copying the backup's bytes into place.
//! The ratios are printed.
//!
//! The cached file is copied into a temporary folder first (not timed), so the benchmark never
//! changes it. Run with `cargo bench --bench backup`.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dutydesk::domain::clock::{Clock, ManualClock};
use dutydesk::store::{DataDir, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    common::percentile(v, 50.0)
}

fn backup(c: &mut Criterion) {
    common::note_load("backup");
    let file = common::people_100k();
    let work = tempfile::tempdir_in(common::bench_data_root()).expect("temporary folder");
    let dir = DataDir::new(work.path().join("data"));
    std::fs::create_dir_all(dir.root()).expect("folder");
    std::fs::copy(file.dir.case_file(), dir.case_file()).expect("copy the case file");
    std::fs::copy(file.dir.key_file(), dir.key_file()).expect("copy the key slots");
    // A second per backup, so no two share a name.
    let clock = Arc::new(ManualClock::new(common::today().and_hms_opt(9, 0, 0).expect("time")));
    let as_clock: Arc<dyn Clock> = clock.clone();
    let mut store = Store::unlock(&dir, common::LEAD, common::LEAD_PASS, as_clock).expect("unlock");
    let out = work.path().join("backups");
    let mut group = c.benchmark_group("backup_100k");
    let mut ours = Vec::new();
    let mut last = None;
    group.bench_function("dutydesk_backup", |b| {
        b.iter(|| {
            clock.advance(chrono::Duration::seconds(1));
            let t = Instant::now();
            let r = store.backup(&out, Some(1), &mut |_, _| {}).expect("backup");
            ours.push(t.elapsed());
            last = Some(r.path);
        })
    });
    let mut peer = Vec::new();
    group.bench_function("peer_vacuum_into", |b| {
        b.iter_batched(
            || {
                let p = work.path().join("vacuum-into.db");
                let _ = std::fs::remove_file(&p);
                p
            },
            |p| {
                let t = Instant::now();
                store
                    .raw_connection_for_tests()
                    .execute("VACUUM INTO ?1", [p.display().to_string()])
                    .expect("vacuum into");
                peer.push(t.elapsed());
            },
            BatchSize::PerIteration,
        )
    });
    drop(store);
    let backup_file = last.expect("a backup was made");
    let bytes = std::fs::metadata(&backup_file).map(|m| m.len()).unwrap_or(0);
    let mut restores = Vec::new();
    let mut n = 0;
    group.bench_function("dutydesk_restore", |b| {
        b.iter_batched(
            || {
                n += 1;
                DataDir::new(work.path().join(format!("laptop-{n}")))
            },
            |laptop| {
                let t = Instant::now();
                dutydesk::store::backup::restore(
                    &backup_file,
                    &laptop,
                    common::LEAD,
                    common::LEAD_PASS,
                    None,
                    false,
                    common::clock(),
                )
                .expect("restore");
                restores.push(t.elapsed());
                let _ = std::fs::remove_dir_all(laptop.root());
            },
            BatchSize::PerIteration,
        )
    });
    let mut copies = Vec::new();
    group.bench_function("peer_copy_file", |b| {
        b.iter_batched(
            || work.path().join("copied.db"),
            |to| {
                let t = Instant::now();
                std::fs::copy(&backup_file, &to).expect("copy");
                copies.push(t.elapsed());
                let _ = std::fs::remove_file(&to);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    let (a, b, r, k) = (
        median(&mut ours),
        median(&mut peer),
        median(&mut restores),
        median(&mut copies),
    );
    eprintln!(
        "backup of 100,000 people ({:.1} MB): dutydesk p50 {} ({} samples; target < 3 s), VACUUM INTO p50 {}, dutydesk / peer {:.2}; \
         restore p50 {} ({} samples), file copy p50 {}, dutydesk / peer {:.2}",
        bytes as f64 / 1e6,
        common::ms(a),
        ours.len(),
        common::ms(b),
        a.as_secs_f64() / b.as_secs_f64().max(1e-9),
        common::ms(r),
        restores.len(),
        common::ms(k),
        r.as_secs_f64() / k.as_secs_f64().max(1e-9),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(1));
    targets = backup
}
criterion_main!(benches);
