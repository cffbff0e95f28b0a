//! Shared by the benchmarks: the 100,000-person encrypted case file, built once and cached under
//! `target/bench-data/`, and a few small helpers. Every person in it is synthetic
//! (`dutydesk::demo::generate`).
#![allow(dead_code)]

use chrono::NaiveDate;
use dutydesk::domain::clock::{Clock, FixedClock};
use dutydesk::domain::Role;
use dutydesk::store::keyslots::DbKey;
use dutydesk::store::{DataDir, InitOptions, KdfParams, KeyFile, Store};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many people the benchmark case file holds.
pub const PEOPLE: usize = 100_000;
/// The data protection lead who builds the file.
pub const LEAD: &str = "dpl";
pub const LEAD_PASS: &str = "bench lead passphrase";
/// The duty officer the searches run as: the person answering the phone.
pub const DUTY: &str = "duty";
pub const DUTY_PASS: &str = "bench duty passphrase";

/// The fixed "today" of every benchmark, so the generated data is the same on every run.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date")
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::at_nine(today()))
}

pub fn profile() -> &'static str {
    static FILLED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FILLED.get_or_init(|| dutydesk::profile::builtin_example("good-neighbours").expect("built-in profile"))
}

/// `target/bench-data/` (or `$CARGO_TARGET_DIR/bench-data/`).
pub fn bench_data_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// Creates a new encrypted case file in `dir` (which must not exist yet) holding `n` generated
/// people, with a data protection lead and a duty officer (cheap KDF: the KDF is benchmarked on
/// its own). The store is dropped (closed and checkpointed) before returning.
pub fn build_case_file(dir: &DataDir, n: usize) {
    let mut store = Store::init(
        dir,
        &InitOptions {
            profile_toml: profile(),
            organisation: "Benchmark Good Neighbours",
            first_user: LEAD,
            passphrase: LEAD_PASS,
            kdf: KdfParams::FAST_INSECURE,
        },
        clock(),
    )
    .expect("create the case file");
    store
        .add_user(DUTY, Role::DutyOfficer, DUTY_PASS, KdfParams::FAST_INSECURE)
        .expect("add the duty officer");
    let seed = dutydesk::demo::generate(n, today());
    store
        .import_seed(&seed, |_, _| {})
        .expect("import the generated people");
    store.checkpoint().expect("checkpoint");
}

/// A fingerprint of what the cached file was built from: the crate version, the number of
/// people, the schema version and a sample of the generator's output. If the generator changes, the cache is rebuilt.
fn fingerprint() -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    PEOPLE.hash(&mut h);
    dutydesk::store::schema::latest().hash(&mut h);
    format!("{:?}", dutydesk::demo::generate(500, today()).people).hash(&mut h);
    format!("{}-{:016x}", PEOPLE, h.finish())
}

/// The cached 100,000-person case file and its raw database key.
pub struct BenchFile {
    pub dir: DataDir,
    pub key: DbKey,
}

impl BenchFile {
    /// Opens the file as `login` with the raw key (no KDF, no directory lock).
    pub fn open_as(&self, login: &str) -> Store {
        Store::open_keyed(&self.dir.case_file(), Some(&self.key), login, clock()).expect("open the case file")
    }
}

const READY: &str = "bench-ready";

/// Checks a cached folder: marker matches, key file unlocks, the file opens and holds `PEOPLE`.
fn validate(dir: &DataDir, fp: &str) -> Option<DbKey> {
    let marker = std::fs::read_to_string(dir.root().join(READY)).ok()?;
    if marker.trim() != fp {
        return None;
    }
    let key = KeyFile::load(&dir.key_file())
        .ok()?
        .unlock(DUTY, DUTY_PASS, &dir.key_file())
        .ok()?;
    let store = Store::open_keyed(&dir.case_file(), Some(&key), DUTY, clock()).ok()?;
    (store.count_people().ok()? == PEOPLE as i64).then_some(key)
}

/// The 100,000-person case file under `target/bench-data/people-100k`, built if it is missing,
/// stale or does not open. Built in a temporary sibling folder and renamed into place, so an
/// interrupted build never leaves a half-made file behind.
pub fn people_100k() -> BenchFile {
    let root = bench_data_root();
    let dir = DataDir::new(root.join("people-100k"));
    let fp = fingerprint();
    if let Some(key) = validate(&dir, &fp) {
        return BenchFile { dir, key };
    }
    eprintln!(
        "bench-data: building a {PEOPLE}-person case file in {} (once; cached for later runs)",
        dir.root().display()
    );
    let _ = std::fs::remove_dir_all(dir.root());
    let tmp = DataDir::new(root.join(format!("people-100k.building-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(tmp.root());
    std::fs::create_dir_all(&root).expect("create target/bench-data");
    let started = Instant::now();
    build_case_file(&tmp, PEOPLE);
    std::fs::write(tmp.root().join(READY), &fp).expect("write the marker");
    std::fs::rename(tmp.root(), dir.root()).expect("move the case file into place");
    eprintln!("bench-data: built in {:.1} s", started.elapsed().as_secs_f64());
    let key = validate(&dir, &fp).expect("the freshly built case file opens");
    BenchFile { dir, key }
}

/// The p-th percentile (0..=100) of sorted samples, nearest-rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Prints the load average to stderr: figures taken on a busy machine are not comparable.
pub fn note_load(bench: &str) {
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        eprintln!("{bench}: load average {} on {cpus} CPUs", load.trim());
    }
}
