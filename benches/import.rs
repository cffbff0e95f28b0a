//! Importing a scheme's spreadsheet of 10,000 clients and volunteers (XLSX, written here with
//! rust_xlsxwriter from the demo generator's invented people: name, phone, email, address,
//! postcode, a date-of-birth cell stored as a date, the category, and who referred each
//! client), end to end: reading the file, checking every row (the form's validators,
//! duplicates in the sheet and on file) and writing it in one transaction. Target: under 5
//! seconds.
//!
//! Measured into a new case file of 10 people (a scheme starting out) and into the cached
//! 100,000-person file (duplicates checked against everyone). The generator's phone numbers
//! come from the few thousand Ofcom keeps for drama, so many people share one; as a shared
//! landline, that makes no one the same person unless the names agree too.. In the same run, the
//! straightforward approach a peer would take: the same rows read and validated, then filed
//! one by one through `create_person` (one transaction and audit entry each, as the
//! new-person form files them). The ratio is printed.
//!
//! Each iteration starts from a fresh copy of its case file (copying is not timed).
//! Run with `cargo bench --bench import`.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dutydesk::domain::import_plan::{read_row, CategoryWords, DuplicatePolicy, Mapping};
use dutydesk::domain::person::Obtained;
use dutydesk::domain::Category;
use dutydesk::store::import::ImportSettings;
use dutydesk::store::{DataDir, Store};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROWS: usize = 10_000;

/// Writes the spreadsheet: clients (referred by someone else) and volunteers, as a scheme
/// keeps them, none of them in the cached 100,000-person file.
fn write_sheet(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    // People after the cached file's 100,000, so that they are new to it too.
    let seed = dutydesk::demo::generate(common::PEOPLE + ROWS * 3, common::today());
    let people: Vec<_> = seed.people[common::PEOPLE..]
        .iter()
        .filter(|p| {
            p.record
                .categories
                .iter()
                .any(|c| matches!(c, Category::Client | Category::Volunteer))
        })
        .take(ROWS)
        .collect();
    assert_eq!(people.len(), ROWS, "the generator gives enough clients and volunteers");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let headers = [
        "Name",
        "Tel",
        "Email",
        "Address",
        "Post code",
        "DOB",
        "Type",
        "Referred by",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, p) in people.iter().enumerate() {
        let r = &p.record;
        let row = i as u32 + 1;
        let client = r.categories.contains(&Category::Client);
        sheet.write_string(row, 0, r.display_name()).expect("cell");
        sheet.write_string(row, 1, r.phones.join(", ")).expect("cell");
        sheet
            .write_string(row, 2, r.email.clone().unwrap_or_default())
            .expect("cell");
        sheet
            .write_string(row, 3, r.address.clone().unwrap_or_default())
            .expect("cell");
        sheet
            .write_string(row, 4, r.postcode.clone().unwrap_or_default())
            .expect("cell");
        if let Some(d) = r.date_of_birth.filter(|_| client) {
            let d = ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string()).expect("date");
            sheet.write_datetime_with_format(row, 5, &d, &date).expect("cell");
        }
        sheet
            .write_string(row, 6, if client { "Client" } else { "Volunteer" })
            .expect("cell");
        if client {
            sheet.write_string(row, 7, "Social services").expect("cell");
        }
    }
    book.save(path).expect("save the spreadsheet");
}

/// A copy of `from` (a closed data folder) to import into, opened as the lead.
fn fresh_copy(from: &DataDir, key: &dutydesk::store::keyslots::DbKey) -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir_in(common::bench_data_root()).expect("temporary folder");
    let dir = DataDir::new(tmp.path().join("data"));
    std::fs::create_dir_all(dir.root()).expect("folder");
    std::fs::copy(from.case_file(), dir.case_file()).expect("copy the case file");
    let file = common::BenchFile { dir, key: key.clone() };
    let store = file.open_as(common::LEAD);
    (tmp, store)
}

/// The mapping guessed from the headers, as a user would take it.
fn mapping(headers: &[String]) -> Mapping {
    Mapping::guessed(headers)
}

fn settings(headers: &[String]) -> ImportSettings {
    ImportSettings {
        mapping: mapping(headers),
        category: Some(Category::Client),
        obtained_from: None,
        policy: DuplicatePolicy::Skip,
    }
}

/// dutydesk's import: read, check, write in one transaction.
fn ours(store: &mut Store, path: &Path) -> usize {
    let sheet = dutydesk::spreadsheet::read(path, None).expect("read");
    let s = settings(&sheet.headers);
    let done = store.import(&sheet, &s, &mut |_, _| {}).expect("import");
    done.counts.new
}

/// A peer's import: read and validate each row the same way, then file each person through
/// the new-person path, one transaction and audit entry each.
fn peer(store: &mut Store, path: &Path) -> usize {
    let sheet = dutydesk::spreadsheet::read(path, None).expect("read");
    let p = store.profile();
    let words = CategoryWords::new(
        p.category_keys()
            .into_iter()
            .map(|c| (p.category_label(c).to_string(), c)),
    );
    let mapping = mapping(&sheet.headers);
    let mut n = 0;
    for (_, cells) in &sheet.rows {
        let Ok(row) = read_row(cells, &mapping, &words, &[Category::Client], common::today()) else {
            continue;
        };
        let obtained = match row.source {
            Some(from) => Obtained::Indirectly {
                from_person: None,
                from_text: Some(from),
                referral: None,
            },
            None => Obtained::Directly,
        };
        if store.create_person(&row.record, &obtained, common::today()).is_ok() {
            n += 1;
        }
    }
    n
}

fn import(c: &mut Criterion) {
    common::note_load("import");
    let root = common::bench_data_root();
    std::fs::create_dir_all(&root).expect("bench-data");
    let path: PathBuf = root.join("import-10k.xlsx");
    write_sheet(&path);
    // A new scheme's case file, with the few people typed in so far.
    let empty_tmp = tempfile::tempdir_in(&root).expect("temporary folder");
    let empty = DataDir::new(empty_tmp.path().join("data"));
    common::build_case_file(&empty, 10);
    let empty_key = dutydesk::store::keyslots::KeyFile::load(&empty.key_file())
        .expect("key slots")
        .unlock(common::LEAD, common::LEAD_PASS, &empty.key_file())
        .expect("unlock");
    let big = common::people_100k();

    let mut group = c.benchmark_group("import_10k_rows");
    let mut run =
        |name: &str, from: &DataDir, key: &dutydesk::store::keyslots::DbKey, f: fn(&mut Store, &Path) -> usize| {
            let mut samples = Vec::new();
            let mut created = 0;
            group.bench_function(name, |b| {
                b.iter_batched(
                    || fresh_copy(from, key),
                    |(tmp, mut store)| {
                        let t = Instant::now();
                        created = f(&mut store, &path);
                        samples.push(t.elapsed());
                        (tmp, store)
                    },
                    BatchSize::PerIteration,
                )
            });
            samples.sort();
            (common::percentile(&samples, 50.0), samples.len(), created)
        };
    let (ours_new, n1, made) = run("dutydesk_into_new_file", &empty, &empty_key, ours);
    let (peer_new, n2, peer_made) = run("per_row_create_person_into_new_file", &empty, &empty_key, peer);
    let (ours_big, n3, made_big) = run("dutydesk_into_100k_file", &big.dir, &big.key, ours);
    group.finish();
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    eprintln!(
        "import {ROWS} rows (XLSX): into a new file dutydesk p50 {} ({n1} samples, {made} people); \
         per-row create_person p50 {} ({n2} samples, {peer_made} people), dutydesk / that {:.2}; \
         into the 100,000-person file dutydesk p50 {} ({n3} samples, {made_big} people) (target < 5 s)",
        common::ms(ours_new),
        common::ms(peer_new),
        ratio(ours_new, peer_new),
        common::ms(ours_big),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(1));
    targets = import
}
criterion_main!(benches);
