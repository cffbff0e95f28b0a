//! Erasure: every row about the person goes, their name leaves other people's relationship
//! lists, and none of their values is left in any byte of the case file, its WAL or its
//! shared-memory file (checked on an unencrypted test file, where the bytes are readable).

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::clock::Clock;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::rights::{Channel, Outcome, RequestKind};
use dutydesk::domain::{Category, ContactKind, RelationKind};
use dutydesk::store::handover::Queue;
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::Store;
use std::sync::Arc;

fn intake(person: i64, kinds: &[RequestKind]) -> RequestIntake {
    RequestIntake {
        person_id: Some(person),
        kinds: kinds.to_vec(),
        channel: Some(Channel::Email),
        received_on: Some(today()),
        words: "Please delete everything about me, Quenby Xylograph, 07700 900987.".into(),
        ..RequestIntake::default()
    }
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[test]
fn an_erased_person_is_gone_from_every_byte_of_the_case_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("casefile.db");
    let clock: Arc<dyn Clock> = clock();
    let mut store = Store::create_unencrypted_for_tests(&db, profile(), LEAD, clock).unwrap();

    let mut rec = full_record(
        "Quenby",
        "Xylograph",
        "07700 900987",
        "quenby.xylograph@example.org",
        "ZE2 9QX",
        &[Category::Client],
    );
    rec.aliases = vec!["Quennie".into()];
    rec.notes = Some("Quenby likes a window seat".into());
    let p = add(&mut store, &rec);
    // An earlier phone number and alias, corrected since: they must not outlive the erasure in
    // the search index either.
    let mut earlier = rec.clone();
    earlier.phones = vec!["07700 900456".into()];
    earlier.aliases = vec!["Quibbly".into()];
    store.update_person(p, &earlier).unwrap();
    store.update_person(p, &rec).unwrap();
    assert!(store.search("900456", 5).unwrap().iter().all(|h| h.id != p));
    let daughter = add(
        &mut store,
        &full_record("Maud", "Fenwick", "07700 900111", "", "", &[Category::Relative]),
    );
    let helper = add(
        &mut store,
        &full_record(
            "Olive",
            "Brackett",
            "07700 900222",
            "",
            "OX17 1AA",
            &[Category::Volunteer],
        ),
    );
    store.link(p, RelationKind::NextOfKin, daughter).unwrap();
    store.link(p, RelationKind::AssignedVolunteer, helper).unwrap();
    // Someone whose details came from the person.
    let referred = store
        .create_person(
            &full_record("Ivy", "Fenwick", "07700 900333", "", "", &[Category::Relative]),
            &Obtained::Indirectly {
                from_person: Some(p),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    for i in 0..20 {
        store
            .log_contact(
                p,
                ContactKind::Call,
                &format!("Quenby Xylograph called ({i}) from 07700 900987"),
            )
            .unwrap();
    }
    let cb = today().succ_opt().unwrap().and_hms_opt(10, 0, 0).unwrap();
    store.add_callback(p, "Call Quenby back", cb).unwrap();
    // An enquiry (its words name them), a group they belong to, a donation.
    store
        .record_enquiry(&dutydesk::store::enquiries::EnquiryInput {
            enquirer: dutydesk::store::referrals::PartyRef::Existing(p),
            channel: dutydesk::domain::EnquiryChannel::Email,
            received_on: today(),
            about: "Quenby Xylograph asked about a lift to ZE2 9QX".into(),
            answer: Some("Quenby Xylograph was sent the timetable".into()),
        })
        .unwrap();
    let group = store
        .create_group("Tuesday lifts", dutydesk::domain::GroupFormat::FaceToFace, "")
        .unwrap();
    store.join_group(p, group, today()).unwrap();
    store
        .record_donation(
            p,
            &dutydesk::store::donations::DonationInput {
                amount_pence: 1500,
                received_on: today(),
                platform: Some("JustGiving".into()),
                shared_with_consent_on: Some(today()),
                gift_aid: true,
            },
        )
        .unwrap();
    // The lead may not write health notes; a duty officer would. Straight in, for the test.
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO health_notes (person_id, note, recorded_on) VALUES (?1, 'Quenby uses a frame', '2026-11-01')",
            [p],
        )
        .unwrap();
    store
        .add_service(
            p,
            "practical help",
            today(),
            Some(helper),
            "Drove Quenby Xylograph to ZE2 9QX",
        )
        .unwrap();
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO disclosures (person_id, recipient, what, disclosed_on, lawful_basis) VALUES (?1, 'Surgery', 'Quenby Xylograph, ZE2 9QX', '2026-10-01', 'vital_interests')",
            [p],
        )
        .unwrap();
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO consents (person_id, purpose, action, wording_version, wording, how, on_date, evidence) VALUES (?1, 'photo_web', 'given', 1, 'wording', 'phone', '2026-10-01', 'Quenby said yes')",
            [p],
        )
        .unwrap();
    for q in [
        "quenby",
        "xylograph",
        "07700 900987",
        "900987",
        "ZE2 9QX",
        "quenby.xylograph",
    ] {
        assert!(store.search(q, 5).unwrap().iter().any(|h| h.id == p), "found by {q}");
    }
    let id = store.record_request(&intake(p, &[RequestKind::Erasure])).unwrap();
    store.request_id(id, today()).unwrap();
    store.id_received(id, today(), "passport").unwrap();

    // A legal hold refuses the erasure, with the reason.
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO legal_holds (person_id, reason, placed_on) VALUES (?1, 'Insurance claim 42 is open', '2026-11-01')",
            [p],
        )
        .unwrap();
    let e = store.erase(id).unwrap_err().to_string();
    assert!(e.contains("legal hold") && e.contains("Insurance claim 42"), "{e}");
    store
        .raw_connection_for_tests()
        .execute(
            "UPDATE legal_holds SET lifted_on = '2026-11-20' WHERE person_id = ?1",
            [p],
        )
        .unwrap();

    let report = store.erase(id).unwrap();
    assert_eq!(report.article19_tasks, 1);
    assert!(report.rows_removed.get("contacts") == Some(&20));
    for table in ["enquiries", "group_members", "donations"] {
        assert_eq!(report.rows_removed.get(table), Some(&1), "{table}");
    }
    // The group itself is the charity's, not the person's: it stays, without them.
    assert_eq!(store.group(group).unwrap().members, 0);

    // Gone for everyone, search included.
    assert!(store.person(p).is_err());
    for q in ["quenby", "xylograph", "900987", "ZE2"] {
        assert!(store.search(q, 5).unwrap().iter().all(|h| h.id != p), "{q}");
    }
    // Off other people's relationship lists, and their links to the person cut.
    for other in [daughter, helper] {
        let v = store.person(other).unwrap();
        assert!(v.relationships.iter().all(|r| r.other_id != p));
        assert!(v.relationships.iter().all(|r| !r.other_name.contains("Quenby")));
    }
    assert_eq!(store.person(referred).unwrap().obtained_from, None);
    // The tombstone, the ledger and the request remain, without values.
    assert_eq!(store.tombstone(p).unwrap(), Some((today(), Some(id))));
    let row = store.request_row(id).unwrap().unwrap();
    assert_eq!(row.subject, "Erased person");
    assert_eq!(row.person_id, None);
    assert_eq!(store.request(id).unwrap().words, None);
    let tasks = store.article19_tasks(false).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].recipient, "Surgery");
    assert_eq!(tasks[0].person_id, None);
    assert!(store
        .handover()
        .unwrap()
        .iter()
        .any(|i| i.queue() == Queue::Article19 && i.person_name == "Erased person"));
    store.close_request(id, Outcome::Complied, today()).unwrap();
    assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());

    // Not one byte left: the database, its WAL and its shared-memory file.
    let files = [
        db.clone(),
        tmp.path().join("casefile.db-wal"),
        tmp.path().join("casefile.db-shm"),
    ];
    let needles = [
        "Quibbly",
        "900456",
        "Quenby",
        "Xylograph",
        "Quennie",
        "07700 900987",
        "07700900987",
        "7700900987",
        "900987",
        "quenby.xylograph@example.org",
        "ZE2 9QX",
        "ZE29QX",
        "window seat",
    ];
    let mut bytes_checked = 0;
    for f in &files {
        let b = file_bytes(f);
        bytes_checked += b.len();
        for n in needles {
            assert!(!find_bytes(&b, n.as_bytes()), "{n:?} found in {}", f.display());
        }
    }
    assert!(bytes_checked > 0);
    // Other people are untouched.
    let b = file_bytes(&db);
    assert!(find_bytes(&b, b"Fenwick"));
    drop(store);
    // And still none after reopening (which replays nothing).
    let store = Store::open_keyed(&db, None, LEAD, common::clock()).unwrap();
    drop(store);
    for f in &files {
        let b = file_bytes(f);
        for n in needles {
            assert!(
                !find_bytes(&b, n.as_bytes()),
                "{n:?} found in {} after reopening",
                f.display()
            );
        }
    }
}

#[test]
fn erasure_needs_an_open_erasure_request_and_the_lead() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let p = add(&mut store, &record("Ada", "Quill", &[Category::Client]));
    let access = store.record_request(&intake(p, &[RequestKind::Access])).unwrap();
    assert!(store
        .erase(access)
        .unwrap_err()
        .to_string()
        .contains("does not ask for erasure"));
    let id = store.record_request(&intake(p, &[RequestKind::Erasure])).unwrap();
    drop(store);
    let mut duty = unlock_as(&dir, dutydesk::domain::Role::DutyOfficer);
    assert!(duty.erase(id).is_err());
    drop(duty);
    let mut lead = unlock_as(&dir, dutydesk::domain::Role::DataProtectionLead);
    lead.close_request(id, Outcome::Complied, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        .unwrap();
    assert!(lead.erase(id).unwrap_err().to_string().contains("closed"));
}
