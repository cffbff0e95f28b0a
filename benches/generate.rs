//! Generating 100,000 synthetic people and importing them into a fresh encrypted case file
//! (what `dutydesk demo --people 100000` does, minus the KDF: the slots use cheap parameters).
//!
//! Each iteration makes a new case file in a temporary folder; only generating, importing and
//! closing (which checkpoints the WAL) are timed, not creating the empty file or deleting it.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use dutydesk::store::{DataDir, InitOptions, KdfParams, Store};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn generate(c: &mut Criterion) {
    common::note_load("generate");
    let mut group = c.benchmark_group("generate_100k");
    // One iteration per sample: ten samples of about ten seconds stay under three minutes.
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));

    group.bench_function("generate_only", |b| {
        b.iter(|| black_box(dutydesk::demo::generate(common::PEOPLE, common::today())))
    });

    group.bench_function("generate_and_import", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let tmp = tempfile::tempdir().expect("tempdir");
                let dir = DataDir::new(tmp.path().join("data"));
                let mut store = Store::init(
                    &dir,
                    &InitOptions {
                        profile_toml: common::profile(),
                        organisation: "Benchmark Good Neighbours",
                        first_user: common::LEAD,
                        passphrase: common::LEAD_PASS,
                        kdf: KdfParams::FAST_INSECURE,
                    },
                    common::clock(),
                )
                .expect("create the case file");
                let started = Instant::now();
                let seed = dutydesk::demo::generate(common::PEOPLE, common::today());
                store.import_seed(&seed, |_, _| {}).expect("import");
                drop(store);
                total += started.elapsed();
                drop(tmp);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
