//! The cost of unlocking: Argon2id with the parameters new key slots get
//! (`KdfParams::INTERACTIVE`: 64 MiB, 3 passes, 1 lane), alone and as a whole key-slot unlock
//! (Argon2id, then opening the X25519 key and unsealing the database key).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use dutydesk::store::{KdfParams, KeyFile};
use std::hint::black_box;
use std::time::Duration;

const PASSPHRASE: &str = "correct horse battery staple";

fn kdf(c: &mut Criterion) {
    common::note_load("kdf");
    let mut group = c.benchmark_group("kdf");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));

    let salt = [7u8; 16];
    group.bench_function("argon2id_interactive", |b| {
        b.iter(|| {
            black_box(
                KdfParams::INTERACTIVE
                    .derive_for_bench(black_box(PASSPHRASE), &salt)
                    .expect("derive"),
            )
        })
    });

    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("keyslots.json");
    let (keyfile, _key) = KeyFile::create("bench", PASSPHRASE, KdfParams::INTERACTIVE).expect("key file");
    keyfile.save(&path).expect("save");
    group.bench_function("keyslot_unlock_interactive", |b| {
        b.iter(|| {
            let kf = KeyFile::load(&path).expect("load");
            black_box(kf.unlock("bench", black_box(PASSPHRASE), &path).expect("unlock"))
        })
    });
    group.finish();
}

criterion_group!(benches, kdf);
criterion_main!(benches);
