//! Erasing one person from the 100,000-person case file, end to end: the deletion, their
//! search-index terms (FTS5 `delete` with `secure-delete`) and the audit entry in one
//! transaction, then the WAL checkpointed and truncated; `secure_delete` zeroes freed content
//! as it goes. Target: under 1 second.
//!
//! In the same run, on a fresh copy each time, the straightforward approach a peer would take
//! for "gone from the file": the same erasure followed by `VACUUM` (rewriting the whole file,
//! what dutydesk did first); and the same erasure followed by merging the whole search index
//! (FTS5 `optimize`, what dutydesk did until schema version 4). The ratios are printed.
//!
//! Each iteration starts from a fresh copy of the cached file (copying is not timed).
//! Run with `cargo bench --bench erase`.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::{DataDir, Store};
use std::time::{Duration, Instant};

/// A fresh copy of the cached file, opened as the lead, with an erasure request for one person.
fn fresh_copy(file: &common::BenchFile, n: usize) -> (tempfile::TempDir, Store, i64) {
    let tmp = tempfile::tempdir_in(common::bench_data_root()).expect("temporary folder");
    let dir = DataDir::new(tmp.path().join("data"));
    std::fs::create_dir_all(dir.root()).expect("folder");
    std::fs::copy(file.dir.case_file(), dir.case_file()).expect("copy the case file");
    let copy = common::BenchFile {
        dir,
        key: file.key.clone(),
    };
    let mut store = copy.open_as(common::LEAD);
    // A different person each time, spread over the file.
    let person = 1 + (n as i64 * 7919) % common::PEOPLE as i64;
    let request = store
        .record_request(&RequestIntake {
            person_id: Some(person),
            kinds: vec![RequestKind::Erasure],
            channel: Some(Channel::Email),
            received_on: Some(common::today()),
            words: "Please delete everything you hold about me.".into(),
            ..RequestIntake::default()
        })
        .expect("record the erasure request");
    (tmp, store, request)
}

fn erase(c: &mut Criterion) {
    common::note_load("erase");
    let file = common::people_100k();
    let mut group = c.benchmark_group("erase_100k");
    let mut round = 0;
    // Each approach: the erasure, then `after` (SQL run on the same connection), timed
    // together on a fresh copy each iteration.
    let mut run = |name: &str, after: Option<&str>| {
        let mut samples = Vec::new();
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    round += 1;
                    fresh_copy(&file, round)
                },
                |(tmp, mut store, request)| {
                    let t = Instant::now();
                    store.erase(request).expect("erase");
                    if let Some(sql) = after {
                        store.raw_connection_for_tests().execute_batch(sql).expect(name);
                    }
                    samples.push(t.elapsed());
                    (tmp, store)
                },
                BatchSize::PerIteration,
            )
        });
        samples
    };
    let mut ours = run("dutydesk", None);
    let mut peer = run("erase_then_vacuum", Some("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);"));
    let mut merged = run(
        "erase_then_merge_index",
        Some("INSERT INTO people_search(people_search) VALUES ('optimize'); PRAGMA wal_checkpoint(TRUNCATE);"),
    );
    group.finish();
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        common::percentile(v, 50.0)
    };
    let (a, b, m) = (median(&mut ours), median(&mut peer), median(&mut merged));
    let ratio = |x: Duration| a.as_secs_f64() / x.as_secs_f64().max(1e-9);
    eprintln!(
        "erase one person of 100,000: dutydesk p50 {} ({} samples); erase + VACUUM p50 {} ({} samples), dutydesk / that {:.2}; \
         erase + index merge p50 {} ({} samples), dutydesk / that {:.2} (target < 1 s)",
        common::ms(a),
        ours.len(),
        common::ms(b),
        peer.len(),
        ratio(b),
        common::ms(m),
        merged.len(),
        ratio(m)
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(1));
    targets = erase
}
criterion_main!(benches);
