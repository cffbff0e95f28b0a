//! The handover (everything due, every queue read whole, filtered by role) on 100,000 people,
//! for the duty officer and for the data protection lead (who also gets the retention
//! reviews). Target: under 50 ms. Also reports how many items each role sees, so a count that
//! stops at a round number shows.
//!
//! Run with `cargo bench --bench handover`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Instant;

fn handover(c: &mut Criterion) {
    common::note_load("handover");
    let file = common::people_100k();
    let mut group = c.benchmark_group("handover_100k");
    for login in [common::DUTY, common::LEAD] {
        let store = file.open_as(login);
        let n = store.handover().expect("handover").len();
        group.bench_function(login, |b| b.iter(|| store.handover().expect("handover")));
        let mut samples = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            store.handover().expect("handover");
            samples.push(t.elapsed());
        }
        samples.sort();
        eprintln!(
            "handover as {login}: {n} items; 50 calls: p50 {} p99 {} (target < 50 ms)",
            common::ms(common::percentile(&samples, 50.0)),
            common::ms(common::percentile(&samples, 99.0))
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = handover
}
criterion_main!(benches);
