//! The duty handover: every queue, legal deadlines first then soonest first, filtered by role,
//! with exact counts however many items are due.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::{Category, ContactKind, Role};
use dutydesk::store::handover::Queue;

#[test]
fn the_handover_lists_legal_deadlines_first_then_soonest_first() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let client = add(
        &mut store,
        &full_record(
            "Handover",
            "Client",
            "07700 900111",
            "",
            "OX17 2BB",
            &[Category::Client],
        ),
    );
    // A callback due tomorrow afternoon.
    let tomorrow = today().succ_opt().unwrap().and_hms_opt(14, 0, 0).unwrap();
    store.add_callback(client, "lift to surgery", tomorrow).unwrap();
    // A relative given by the client: an Article 14 notice is due in a month.
    let rel = store
        .create_person(
            &record("Handover", "Daughter", &[Category::Relative]),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    // An access request received today (raw: the intake screen comes with the rights queue).
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO rights_requests (person_id, kinds, channel, received_on, created_at) VALUES (?1, 'access', 'phone', ?2, ?2)",
            rusqlite::params![client, today()],
        )
        .unwrap();
    let items = store.handover().unwrap();
    let queues: Vec<Queue> = items.iter().map(|i| i.queue()).collect();
    // A to-do list: what the law sets a deadline for first (by deadline), then callbacks.
    assert_eq!(
        queues,
        vec![Queue::Notice, Queue::Request, Queue::Callback],
        "{items:#?}"
    );
    assert_eq!(items[0].person_id, rel);
    assert_eq!(items[0].due, Some(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()));
    // The request: 25/11 -> 25/12 (Christmas Day) -> 26/12 (Saturday) -> 27/12 (Sunday)
    // -> 28/12 (Boxing Day, substitute) -> 29/12.
    assert_eq!(items[1].due, Some(NaiveDate::from_ymd_opt(2026, 12, 29).unwrap()));

    // Logging a call with the relative brings their notice forward to today.
    let warned = store.log_contact(rel, ContactKind::Call, "").unwrap();
    assert!(warned, "the caller is warned a notice is pending");
    let items = store.handover().unwrap();
    let notice = items.iter().find(|i| i.queue() == Queue::Notice).unwrap();
    assert_eq!(notice.due, Some(today()));
    drop(store);

    // A trustee receives neither relatives' data nor any DBS renewals.
    let trustee = unlock_as(&dir, Role::Trustee);
    let items = trustee.handover().unwrap();
    assert!(items.iter().all(|i| i.person_id != rel));
    assert!(items.iter().any(|i| i.queue() == Queue::Callback));
}

#[test]
fn dbs_renewals_show_only_for_roles_given_criminal_offence_data() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let vol = add(
        &mut store,
        &full_record(
            "Renewal",
            "Volunteer",
            "07700 900112",
            "",
            "OX17 2BC",
            &[Category::Volunteer],
        ),
    );
    drop(store);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    dbs.add_dbs_check(
        vol,
        "Driver",
        "001234567890",
        today() - Duration::days(1000),
        today() + Duration::days(20),
    )
    .unwrap();
    assert!(dbs.handover().unwrap().iter().any(|i| i.queue() == Queue::DbsRenewal));
    drop(dbs);
    for role in Role::ALL {
        let s = unlock_as(&dir, *role);
        let has = s.handover().unwrap().iter().any(|i| i.queue() == Queue::DbsRenewal);
        assert_eq!(has, matches!(role, Role::DbsOfficer | Role::Trustee), "{role:?}");
    }
}

#[test]
fn retention_reviews_come_due_six_years_after_last_contact_unless_held() {
    let (_tmp, _dir, mut store) = new_case_file();
    let old = store
        .create_person(
            &record("Long", "Ago", &[Category::Client]),
            &Obtained::Directly,
            NaiveDate::from_ymd_opt(2020, 11, 1).unwrap(),
        )
        .unwrap();
    let recent = add(&mut store, &record("Just", "Now", &[Category::Client]));
    let items = store.handover().unwrap();
    let reviews: Vec<i64> = items
        .iter()
        .filter(|i| i.queue() == Queue::Retention)
        .map(|i| i.person_id)
        .collect();
    assert_eq!(reviews, vec![old]);
    assert!(!reviews.contains(&recent));
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO legal_holds (person_id, reason, placed_on) VALUES (?1, 'insurance claim', ?2)",
            rusqlite::params![old, today()],
        )
        .unwrap();
    assert!(store.handover().unwrap().iter().all(|i| i.queue() != Queue::Retention));
}

/// More than the 500 rows per queue an earlier version read: the count is exact and the last
/// item is there. A duty officer sees no retention reviews (the lead decides those).
#[test]
fn counts_are_exact_past_500_items_and_reviews_go_to_the_lead() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let client = add(&mut store, &record("Many", "Callbacks", &[Category::Client]));
    let at = today().and_hms_opt(9, 0, 0).unwrap();
    {
        let c = store.raw_connection_for_tests();
        for i in 0..620 {
            c.execute(
                "INSERT INTO callbacks (person_id, about, due_at, created_at) VALUES (?1, ?2, ?3, ?3)",
                rusqlite::params![client, format!("call {i}"), at + Duration::minutes(i)],
            )
            .unwrap();
        }
    }
    let old = store
        .create_person(
            &record("Long", "Ago", &[Category::Client]),
            &Obtained::Directly,
            NaiveDate::from_ymd_opt(2020, 11, 1).unwrap(),
        )
        .unwrap();
    let items = store.handover().unwrap();
    let callbacks: Vec<_> = items.iter().filter(|i| i.queue() == Queue::Callback).collect();
    assert_eq!(callbacks.len(), 620);
    assert!(callbacks.last().unwrap().what.ends_with("call 619"));
    assert!(items
        .iter()
        .any(|i| i.queue() == Queue::Retention && i.person_id == old));
    drop(store);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let items = duty.handover().unwrap();
    assert_eq!(items.iter().filter(|i| i.queue() == Queue::Callback).count(), 620);
    assert!(items.iter().all(|i| i.queue() != Queue::Retention));
}
