//! The handover (everything due, every queue read whole, filtered by role) on 100,000 people,
//! for the duty officer and for the data protection lead (who also gets the retention
//! reviews). Target: under 50 ms. Also reports how many items each role sees, so a count that
//! stops at a round number shows. In the same run, the straightforward version a peer would
//! write (names read from the people rows rather than the narrow `people_names` index), and
//! the ratio of the two.
//!
//! Run with `cargo bench --bench handover`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use dutydesk::store::handover::Names;
use dutydesk::store::Store;
use std::time::{Duration, Instant};

/// p50 and p99 of 50 calls.
fn percentiles(store: &Store, names: Names) -> (Duration, Duration) {
    let mut samples = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        store.handover_naming_from(names).expect("handover");
        samples.push(t.elapsed());
    }
    samples.sort();
    (common::percentile(&samples, 50.0), common::percentile(&samples, 99.0))
}

fn handover(c: &mut Criterion) {
    common::note_load("handover");
    let file = common::people_100k();
    let mut group = c.benchmark_group("handover_100k");
    for login in [common::DUTY, common::LEAD] {
        let store = file.open_as(login);
        let n = store.handover().expect("handover").len();
        group.bench_function(login, |b| b.iter(|| store.handover().expect("handover")));
        let peer_name = format!("{login}_peer_names_from_rows");
        group.bench_function(peer_name.as_str(), |b| {
            b.iter(|| store.handover_naming_from(Names::PeopleRows).expect("handover"))
        });
        // Alternate the two so a noisy neighbour hits both alike.
        let (ours, peer) = (
            percentiles(&store, Names::Index),
            percentiles(&store, Names::PeopleRows),
        );
        eprintln!(
            "handover as {login}: {n} items; 50 calls: p50 {} p99 {} (target < 50 ms); \
             names from the people rows (peer): p50 {} p99 {}; ratio of p50s {:.2}",
            common::ms(ours.0),
            common::ms(ours.1),
            common::ms(peer.0),
            common::ms(peer.1),
            ours.0.as_secs_f64() / peer.0.as_secs_f64()
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
