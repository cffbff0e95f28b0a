//! Resident memory after opening the 100,000-person case file and running 100 searches.
//!
//! Building the file would inflate the high-water mark, so this runs in two steps: the first
//! invocation makes sure the cached file exists (building it if needed), then re-runs this
//! program with `--measure` in a fresh process, which opens the file, searches, and reads
//! `VmRSS` and `VmHWM` from `/proc/self/status`. Target: RSS < 60 MB.
//!
//! A second measuring process sets `PRAGMA cache_size = -16384` (16 MiB) on the connection
//! before searching: the cache size the search benchmark suggests, to show what it costs in RSS.
//! (`--measure --cache-size N` runs one measurement by hand.)

mod common;

use std::process::Command;

const TARGET_MB: f64 = 60.0;

/// Queries a duty officer might type, including every prefix of a few.
const QUERIES: &[&str] = &[
    "s",
    "sm",
    "smi",
    "smith",
    "Margaret Smith",
    "m",
    "ma",
    "mar",
    "marg",
    "margaret",
    "j",
    "jo",
    "jon",
    "jones",
    "900 12",
    "07700 900",
    "0161 496",
    "OX17 2",
    "OX17",
    "banbury",
    "b",
    "br",
    "bro",
    "brown",
    "a",
    "e",
    "t",
    "w",
    "wil",
    "williams",
];

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn mb(kb: Option<u64>) -> String {
    kb.map(|k| format!("{:.1} MB", k as f64 / 1024.0))
        .unwrap_or_else(|| "n/a".into())
}

fn measure(cache_size: Option<i64>) {
    let label = cache_size
        .map(|c| format!("cache_size = {c}"))
        .unwrap_or_else(|| "default cache_size".into());
    let start_rss = status_kb("VmRSS:");
    let file = common::people_100k();
    let store = file.open_as(common::DUTY);
    let conn = store.raw_connection_for_tests();
    if let Some(c) = cache_size {
        conn.pragma_update(None, "cache_size", c).expect("set cache_size");
    }
    let pragma = |p: &str| -> String {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap_or_else(|_| "?".into())
    };
    let open_rss = status_kb("VmRSS:");
    let mut hits = 0;
    for q in QUERIES.iter().cycle().take(100) {
        hits += store.search(q, 50).expect("search").len();
    }
    let rss = status_kb("VmRSS:");
    let hwm = status_kb("VmHWM:");
    let db_bytes = std::fs::metadata(file.dir.case_file()).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "memory ({label}): page_size {}, cache_size {}, mmap_size {}, cipher_page_size {}, case file {:.1} MB",
        pragma("page_size"),
        pragma("cache_size"),
        pragma("mmap_size"),
        pragma("cipher_page_size"),
        db_bytes as f64 / 1e6
    );
    eprintln!(
        "memory ({label}): RSS at start {}, after open {}, after 100 searches ({hits} hits) VmRSS {} VmHWM {}",
        mb(start_rss),
        mb(open_rss),
        mb(rss),
        mb(hwm)
    );
    let pass = rss.is_some_and(|k| (k as f64 / 1024.0) < TARGET_MB);
    // One line in a fixed format, for the parent (and people) to read.
    println!(
        "RESULT\t{label}\tVmRSS\t{}\tVmHWM\t{}\t{}",
        mb(rss),
        mb(hwm),
        if pass { "pass" } else { "FAIL" }
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--measure") {
        let cache = args
            .iter()
            .position(|a| a == "--cache-size")
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse::<i64>().expect("--cache-size N"));
        measure(cache);
        return;
    }
    common::note_load("memory");
    // Step one: make sure the file exists, in this process.
    let _ = common::people_100k();
    // Step two: measure in fresh processes.
    let exe = std::env::current_exe().expect("current_exe");
    let runs: &[Option<i64>] = &[None, Some(-16384)];
    for cache in runs {
        let mut cmd = Command::new(&exe);
        cmd.arg("--measure");
        if let Some(c) = cache {
            cmd.arg("--cache-size").arg(c.to_string());
        }
        let status = cmd.status().expect("run the measuring process");
        assert!(status.success(), "the measuring process failed: {status}");
    }
    eprintln!("memory: target VmRSS < {TARGET_MB} MB after opening and 100 searches");
}
