//! The access pack tells the whole truth: every table that holds anything about a person is
//! carried by it. The structural test follows the schema's foreign keys, so a new table that
//! reaches `people` fails here until the pack reads it.

mod common;

use common::*;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::{DbsLevel, Role};
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::subject_access::PACK_TABLES;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn every_table_that_reaches_people_is_in_the_pack() {
    let (_tmp, _dir, store) = new_case_file();
    let conn = store.raw_connection_for_tests();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'people_search%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // table -> the tables its foreign keys point at
    let mut refs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &tables {
        let targets: BTreeSet<String> = conn
            .prepare(&format!("PRAGMA foreign_key_list({t})"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(2))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        refs.insert(t.clone(), targets);
    }
    // Every table that reaches `people` through its foreign keys, other than through `users`
    // (a user is not the person the pack is about).
    let mut reaching: BTreeSet<String> = BTreeSet::from(["people".to_string()]);
    loop {
        let before = reaching.len();
        for (t, targets) in &refs {
            if targets.iter().any(|x| reaching.contains(x)) {
                reaching.insert(t.clone());
            }
        }
        if reaching.len() == before {
            break;
        }
    }
    let listed: BTreeSet<String> = PACK_TABLES.iter().map(|s| s.to_string()).collect();
    let missing: Vec<&String> = reaching.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "tables about people the access pack does not carry: {missing:?}"
    );
    let stale: Vec<&String> = listed.iter().filter(|t| !tables.contains(t)).collect();
    assert!(
        stale.is_empty(),
        "PACK_TABLES names tables that do not exist: {stale:?}"
    );
}

#[test]
fn the_pack_holds_publications_tasks_referral_steps_dbs_applications_and_pauses() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.give_consent(f.client, "photo_web", ConsentMethod::WrittenForm, today(), "form 9")
            .unwrap();
        duty.record_publication(f.client, "photo_web", "At the coffee morning", today())
            .unwrap();
        duty.withdraw_consent(f.client, "photo_web", ConsentMethod::VerbalPhone, today())
            .unwrap();
        let mut dbs = {
            drop(duty);
            unlock_as(&dir, Role::DbsOfficer)
        };
        dbs.apply_for_dbs(f.volunteer, DbsLevel::Enhanced, &["Driver".into()], today())
            .unwrap();
    }
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let request = |lead: &mut dutydesk::store::Store, person: i64| {
        lead.record_request(&RequestIntake {
            person_id: Some(person),
            kinds: vec![RequestKind::Access],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Everything you hold, please".into(),
            ..RequestIntake::default()
        })
        .unwrap()
    };
    let r = request(&mut lead, f.client);
    lead.ask_clarification(r, today()).unwrap();
    let pack = lead.full_record_for_request(f.client, r).unwrap();
    assert_eq!(pack.publications[0].what, "At the coffee morning");
    assert!(
        pack.tasks.iter().any(|t| t.kind == "consent_followup"),
        "{:?}",
        pack.tasks
    );
    assert_eq!(pack.request_pauses.len(), 1);
    let json = serde_json::to_string(&pack).unwrap();
    for key in [
        "\"publications\"",
        "\"tasks\"",
        "\"referral_events\"",
        "\"exemption_reviews\"",
        "\"dbs_applications\"",
    ] {
        assert!(json.contains(key), "{key}");
    }
    let r = request(&mut lead, f.volunteer);
    let pack = lead.full_record_for_request(f.volunteer, r).unwrap();
    assert_eq!(pack.dbs_applications[0].roles, "Driver");
}
