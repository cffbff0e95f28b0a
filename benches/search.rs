//! Search-as-you-type on a 100,000-person encrypted case file, and opening it.
//!
//! The file is built once (cached under `target/bench-data/`). Searches run as the duty
//! officer, with the limit the search screen uses (50). After criterion's run for each query,
//! 1,000 timed calls give p50 and p99, printed to stderr (criterion reports mean and median).
//!
//! In the same run and on the same file, each query also runs as the straightforward ranked
//! FTS5 query a peer would write (every word a quoted prefix, `MATCH ... ORDER BY rank LIMIT
//! 50`, joined to the people for their names, no role filtering or ranking of our own), and the
//! ratio of the two p50s is printed: a ratio holds on a noisy machine where a time does not.
//!
//! `DUTYDESK_BENCH_CACHE_SIZE=N` sets `PRAGMA cache_size = N` on the searching connection (an
//! experiment: dutydesk itself leaves SQLite's default, -2000, i.e. about 2 MB).

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// (benchmark name, query)
const QUERIES: &[(&str, &str)] = &[
    ("prefix_1_letter", "s"),
    ("prefix_2_letters", "sm"),
    ("prefix_3_letters", "smi"),
    ("full_name", "Margaret Smith"),
    ("phone_fragment", "900 12"),
    ("postcode", "OX17 2"),
];

const LIMIT: usize = 50;

/// The peer's query: FTS5's own ranking, names joined, nothing else.
const PEER_SQL: &str = "SELECT p.id, p.given_name, p.family_name FROM people_search
     JOIN people p ON p.id = people_search.rowid
     WHERE people_search MATCH ?1 ORDER BY rank LIMIT 50";

/// Every word of `q` as a quoted prefix term (quotes doubled), as a careful peer would.
fn peer_match(q: &str) -> String {
    q.split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn peer_search(conn: &rusqlite::Connection, m: &str) -> usize {
    let mut st = conn.prepare_cached(PEER_SQL).expect("prepare the peer query");
    let rows = st
        .query_map([m], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .expect("run the peer query");
    rows.collect::<rusqlite::Result<Vec<_>>>().expect("rows").len()
}

fn p50_of(mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..TAIL_CALLS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    common::percentile(&samples, 50.0)
}
const TAIL_CALLS: usize = 1_000;

fn search(c: &mut Criterion) {
    common::note_load("search");
    let file = common::people_100k();
    let store = file.open_as(common::DUTY);
    if let Some(n) = std::env::var("DUTYDESK_BENCH_CACHE_SIZE")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        eprintln!("search_100k: PRAGMA cache_size = {n} (experiment)");
        store
            .raw_connection_for_tests()
            .pragma_update(None, "cache_size", n)
            .expect("set cache_size");
    }
    let mut tails = Vec::new();
    let mut ratios = Vec::new();
    let mut group = c.benchmark_group("search_100k");
    for &(name, q) in QUERIES {
        let hits = store.search(q, LIMIT).expect("search").len();
        group.bench_function(name, |b| {
            b.iter(|| black_box(store.search(black_box(q), LIMIT).expect("search")))
        });
        // Our own tail latency: 1,000 calls, each timed.
        let mut samples: Vec<Duration> = (0..TAIL_CALLS)
            .map(|_| {
                let t = Instant::now();
                black_box(store.search(black_box(q), LIMIT).expect("search"));
                t.elapsed()
            })
            .collect();
        samples.sort();
        let (p50, p99, max) = (
            common::percentile(&samples, 50.0),
            common::percentile(&samples, 99.0),
            samples[samples.len() - 1],
        );
        eprintln!(
            "search_100k/{name} {q:?}: {hits} hits; {TAIL_CALLS} calls: p50 {} p99 {} max {}",
            common::ms(p50),
            common::ms(p99),
            common::ms(max)
        );
        // The peer's ranked FTS5 query, on the same connection and file.
        let m = peer_match(q);
        let conn = store.raw_connection_for_tests();
        let peer_hits = peer_search(conn, &m);
        group.bench_function(format!("{name}_peer_fts5_rank"), |b| {
            b.iter(|| black_box(peer_search(conn, black_box(&m))))
        });
        let peer_p50 = p50_of(|| {
            black_box(peer_search(conn, &m));
        });
        eprintln!(
            "search_100k/{name} {q:?}: peer ranked FTS5 ({peer_hits} hits) p50 {}; dutydesk / peer = {:.2}",
            common::ms(peer_p50),
            p50.as_secs_f64() / peer_p50.as_secs_f64().max(1e-9)
        );
        ratios.push((name, q, p50, peer_p50));
        tails.push((name, q, hits, p50, p99, max));
    }
    group.finish();
    eprintln!("\nsearch_100k against the peer's ranked FTS5 query (p50 of {TAIL_CALLS} calls each):");
    eprintln!("| query | dutydesk | peer | dutydesk / peer |");
    for (name, q, ours, peer) in ratios {
        eprintln!(
            "| {name} `{q}` | {} | {} | {:.2} |",
            common::ms(ours),
            common::ms(peer),
            ours.as_secs_f64() / peer.as_secs_f64().max(1e-9)
        );
    }
    eprintln!("\nsearch_100k tail latency ({TAIL_CALLS} calls each, target p50 and p99 < 2 ms):");
    eprintln!("| query | hits | p50 | p99 | max | pass |");
    for (name, q, hits, p50, p99, max) in tails {
        let pass = p50 < Duration::from_millis(2) && p99 < Duration::from_millis(2);
        eprintln!(
            "| {name} `{q}` | {hits} | {} | {} | {} | {} |",
            common::ms(p50),
            common::ms(p99),
            common::ms(max),
            if pass { "pass" } else { "FAIL" }
        );
    }
    eprintln!();
    drop(store);

    let mut group = c.benchmark_group("open_100k");
    group.bench_function("open_keyed_and_count", |b| {
        b.iter(|| {
            let store = file.open_as(common::DUTY);
            let n = store.count_people().expect("count");
            drop(store);
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
