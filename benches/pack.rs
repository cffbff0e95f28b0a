//! The subject access pack for a person with 5,000 contact-log entries: the issue asks for
//! under a second. Run with `cargo bench --bench pack`.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use dutydesk::domain::clock::FixedClock;
use dutydesk::domain::person::{Obtained, PersonForm};
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::Category;
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::{DataDir, InitOptions, KdfParams, Store};
use std::sync::Arc;

fn pack(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = DataDir::new(tmp.path().join("data"));
    let mut store = Store::init(
        &dir,
        &InitOptions {
            profile_toml: &dutydesk::profile::builtin_example("good-neighbours").unwrap_or_default(),
            organisation: "Bench",
            first_user: "lead",
            passphrase: "lead bench passphrase",
            kdf: KdfParams::FAST_INSECURE,
        },
        Arc::new(FixedClock::at_nine(today)),
    )
    .expect("case file");
    let rec = PersonForm {
        given_name: "Ada".into(),
        family_name: "Quill".into(),
        phones: "07700 900555".into(),
        categories: vec![Category::Client],
        ..PersonForm::default()
    }
    .validate(today)
    .expect("record");
    let p = store.create_person(&rec, &Obtained::Directly, today).expect("person");
    {
        let conn = store.raw_connection_for_tests();
        conn.execute_batch("BEGIN").expect("begin");
        for i in 0..5000 {
            conn.execute(
                "INSERT INTO contacts (person_id, kind, at, note, by_user) VALUES (?1, 'call', '2026-01-01T10:00:00', ?2, 1)",
                rusqlite::params![p, format!("Routine call {i} about shopping on Tuesday")],
            )
            .expect("contact");
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(p),
            kinds: vec![RequestKind::Access],
            channel: Some(Channel::Letter),
            received_on: Some(today),
            words: "Everything please".into(),
            ..RequestIntake::default()
        })
        .expect("request");
    let mut n = 0;
    c.bench_function("subject_access_pack_5000_contacts", |b| {
        b.iter(|| {
            n += 1;
            dutydesk::export::pack::subject_access_pack(&store, id, &tmp.path().join(format!("pack{n}"))).expect("pack")
        })
    });
}

criterion_group!(benches, pack);
criterion_main!(benches);
