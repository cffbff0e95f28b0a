//! Rights requests at store level: intake, the clock shown through the queue (ID, fee,
//! clarification, extension), who may act, every kind fulfilled, Article 19 tasks, and a
//! restricted person appearing nowhere for any role but the data protection lead.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::rights::{
    Article19Outcome, Channel, ExtensionReason, ObjectionDecision, Outcome, RequestKind, RequestStatus,
};
use dutydesk::domain::{Category, ContactKind, RelationKind, Role};
use dutydesk::store::handover::Queue;
use dutydesk::store::requests::{RequestFilter, RequestIntake};
use dutydesk::store::{Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn intake(person: i64, kinds: &[RequestKind], received: NaiveDate) -> RequestIntake {
    RequestIntake {
        person_id: Some(person),
        kinds: kinds.to_vec(),
        channel: Some(Channel::Letter),
        received_on: Some(received),
        words: "Please send me everything you hold about me.".into(),
        ..RequestIntake::default()
    }
}

fn client(store: &mut Store, given: &str, family: &str) -> i64 {
    add(
        store,
        &full_record(given, family, "07700 900555", "", "OX17 2RF", &[Category::Client]),
    )
}

fn disclose(store: &Store, person: i64, recipient: &str) {
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO disclosures (person_id, recipient, what, disclosed_on, lawful_basis) VALUES (?1, ?2, 'name and address', '2026-10-01', 'legitimate_interests')",
            rusqlite::params![person, recipient],
        )
        .unwrap();
}

#[test]
fn intake_is_checked_and_open_to_duty_officers_but_not_trustees() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let p = client(&mut store, "Ada", "Quill");
    let future = intake(p, &[RequestKind::Access], d(2026, 12, 1));
    let e = store.record_request(&future).unwrap_err().to_string();
    assert!(e.contains("future"), "{e}");
    let none = intake(p, &[], d(2026, 11, 2));
    assert!(store
        .record_request(&none)
        .unwrap_err()
        .to_string()
        .contains("at least one kind"));
    let mut agent = intake(p, &[RequestKind::Access], d(2026, 11, 2));
    let a = add(&mut store, &record("Bea", "Quill", &[Category::Relative]));
    agent.agent_id = Some(a);
    assert!(store
        .record_request(&agent)
        .unwrap_err()
        .to_string()
        .contains("authority"));
    agent.agent_authority = Some("Lasting power of attorney, seen".into());
    store.record_request(&agent).unwrap();
    drop(store);

    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let id = duty
        .record_request(&intake(p, &[RequestKind::Erasure], d(2026, 11, 20)))
        .unwrap();
    duty.request_id(id, d(2026, 11, 21)).unwrap();
    // Decisions are the lead's.
    assert!(matches!(
        duty.refuse(id, dutydesk::domain::rights::RefusalGround::Excessive, "excessive"),
        Err(StoreError::NotAllowed(..))
    ));
    assert_eq!(duty.requests_in_last_12_months(p).unwrap().len(), 2);
    drop(duty);

    let mut trustee = unlock_as(&dir, Role::Trustee);
    assert!(matches!(
        trustee.record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 2))),
        Err(StoreError::NotAllowed(..))
    ));
}

#[test]
fn deadlines_show_through_the_queue() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    // Plain: received 2 November, due 2 December.
    let plain = store
        .record_request(&intake(p, &[RequestKind::Rectification], d(2026, 11, 2)))
        .unwrap();
    // ID asked for, later received: the clock starts on the day it arrives.
    let with_id = store
        .record_request(&intake(p, &[RequestKind::Erasure], d(2026, 11, 2)))
        .unwrap();
    store.request_id(with_id, d(2026, 11, 3)).unwrap();
    // Clarification of an access request: 5 to 9 November (both included) do not count.
    let clarified = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 2)))
        .unwrap();
    store.ask_clarification(clarified, d(2026, 11, 5)).unwrap();
    // Overdue: received 1 September, due 1 October.
    let overdue = store
        .record_request(&intake(p, &[RequestKind::Objection], d(2026, 9, 1)))
        .unwrap();

    let rows = store.requests(&RequestFilter::default()).unwrap();
    let row = |id| rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(rows[0].id, overdue, "overdue first");
    assert!(rows[0].overdue());
    assert_eq!(row(overdue).days_left, Some(-55));
    assert_eq!(row(plain).due, Some(d(2026, 12, 2)));
    assert_eq!(row(plain).days_left, Some(7));
    assert_eq!(row(with_id).status, RequestStatus::AwaitingId);
    assert_eq!(row(with_id).due, None);
    assert_eq!(row(clarified).status, RequestStatus::AwaitingClarification);
    assert_eq!(row(clarified).due, None);
    assert_eq!(rows.last().unwrap().due, None, "stopped clocks last");

    store.id_received(with_id, d(2026, 11, 10), "passport").unwrap();
    store.clarification_received(clarified, d(2026, 11, 9)).unwrap();
    let rows = store.requests(&RequestFilter::default()).unwrap();
    let row = |id| rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(row(with_id).due, Some(d(2026, 12, 10)));
    assert_eq!(row(with_id).status, RequestStatus::Open);
    assert_eq!(row(clarified).due, Some(d(2026, 12, 7)));
    let order: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![overdue, plain, clarified, with_id]);

    // Filters.
    let access = store
        .requests(&RequestFilter {
            kind: Some(RequestKind::Access),
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(access.iter().map(|r| r.id).collect::<Vec<_>>(), vec![clarified]);
    let soon = store
        .requests(&RequestFilter {
            due_within_days: Some(7),
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(soon.iter().map(|r| r.id).collect::<Vec<_>>(), vec![overdue, plain]);

    // A fee stops the clock until it arrives.
    store
        .request_fee(plain, d(2026, 11, 4), "A third copy of the same data")
        .unwrap();
    assert_eq!(
        store.request_row(plain).unwrap().unwrap().status,
        RequestStatus::AwaitingFee
    );
    store.fee_received(plain, d(2026, 11, 6)).unwrap();
    assert_eq!(store.request_row(plain).unwrap().unwrap().due, Some(d(2026, 12, 7)));

    // The handover shows the same due dates.
    let items = store.handover().unwrap();
    let h = items
        .iter()
        .find(|i| i.queue() == Queue::Request && i.item_id() == with_id)
        .unwrap();
    assert_eq!(h.due, Some(d(2026, 12, 10)));
}

#[test]
fn clarification_pauses_only_access_requests() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    let id = store
        .record_request(&intake(p, &[RequestKind::Erasure], d(2026, 11, 2)))
        .unwrap();
    let e = store.ask_clarification(id, d(2026, 11, 3)).unwrap_err().to_string();
    assert!(e.contains("Only an access request"), "{e}");
    let acc = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 2)))
        .unwrap();
    assert!(store.clarification_received(acc, d(2026, 11, 3)).is_err());
    store.ask_clarification(acc, d(2026, 11, 3)).unwrap();
    assert!(store.ask_clarification(acc, d(2026, 11, 4)).is_err());
    assert!(store.clarification_received(acc, d(2026, 12, 30)).is_err(), "future");
}

#[test]
fn extension_is_allowed_in_the_first_month_and_refused_after_it() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    let id = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 2)))
        .unwrap();
    let e = store
        .extend(id, ExtensionReason::Complexity, d(2026, 12, 3))
        .unwrap_err()
        .to_string();
    assert!(e.contains("within the first month"), "{e}");
    let due = store.extend(id, ExtensionReason::Complexity, d(2026, 11, 25)).unwrap();
    assert_eq!(due, d(2027, 2, 2), "three months from day one");
    let row = store.request_row(id).unwrap().unwrap();
    assert_eq!(row.due, Some(d(2027, 2, 2)));
    assert!(row.extended);
    assert!(store.extend(id, ExtensionReason::Complexity, d(2026, 11, 25)).is_err());

    let late = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 9, 1)))
        .unwrap();
    let e = store
        .extend(late, ExtensionReason::NumberOfRequests, d(2026, 9, 20))
        .unwrap_err()
        .to_string();
    assert!(e.contains("The first month ended on 2026-10-01"), "{e}");
}

#[test]
fn refusal_needs_a_reason_and_closes_the_request() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    let id = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 2)))
        .unwrap();
    assert!(store
        .refuse(id, dutydesk::domain::rights::RefusalGround::Excessive, "  ")
        .unwrap_err()
        .to_string()
        .contains("reason"));
    assert!(store.close_request(id, Outcome::Refused, d(2026, 11, 25)).is_err());
    store
        .refuse(
            id,
            dutydesk::domain::rights::RefusalGround::Excessive,
            "The fifth identical request this month.",
        )
        .unwrap();
    let row = store.request_row(id).unwrap().unwrap();
    assert_eq!(row.status, RequestStatus::Closed);
    assert_eq!(row.outcome, Some(Outcome::Refused));
    assert!(store.requests(&RequestFilter::default()).unwrap().is_empty());
    let all = store
        .requests(&RequestFilter {
            include_closed: true,
            ..RequestFilter::default()
        })
        .unwrap();
    assert_eq!(all.len(), 1);
    assert!(store
        .refuse(id, dutydesk::domain::rights::RefusalGround::Excessive, "again")
        .unwrap_err()
        .to_string()
        .contains("closed"));
}

#[test]
fn access_pack_holds_everything_and_lists_third_parties() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let p = client(&mut store, "Ada", "Quill");
    let daughter = add(&mut store, &record("Beatrix", "Hollow", &[Category::Relative]));
    store.link(p, RelationKind::NextOfKin, daughter).unwrap();
    disclose(&store, p, "County Council Adult Social Care");
    drop(store);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.add_health_note(p, "Walks with a frame").unwrap();
    duty.log_contact(p, ContactKind::Call, "Beatrix rang about the lift")
        .unwrap();
    for i in 0..30 {
        duty.log_contact(p, ContactKind::Call, &format!("Call number {i}"))
            .unwrap();
    }
    let id = duty
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 20)))
        .unwrap();
    // Only the lead compiles packs.
    assert!(duty.full_record_for_request(p, id).is_err());
    drop(duty);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let out = tmp.path().join("pack");
    let summary = dutydesk::export::pack::subject_access_pack(&store, id, &out).unwrap();
    assert!(summary.third_party_mentions >= 2);
    let json = std::fs::read_to_string(out.join("data.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rec = &v["record"];
    assert_eq!(rec["contacts"].as_array().unwrap().len(), 31);
    assert_eq!(rec["health_notes"][0]["note"], "Walks with a frame");
    assert_eq!(rec["relationships"][0]["other_name"], "Beatrix Hollow");
    assert_eq!(rec["disclosures"][0]["recipient"], "County Council Adult Social Care");
    assert!(!rec["audit"].as_array().unwrap().is_empty());
    let a15 = &v["article15"];
    for key in [
        "purposes",
        "categories_of_data",
        "recipients",
        "retention",
        "rights",
        "complaint",
        "source",
        "automated_decisions",
        "transfers_abroad",
    ] {
        assert!(!a15[key].is_null(), "{key}");
    }
    assert!(a15["complaint"].as_str().unwrap().contains("ico.org.uk"));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("Walks with a frame"));
    assert!(html.contains("Information Commissioner"));
    let review = std::fs::read_to_string(out.join("redaction_review.txt")).unwrap();
    assert!(review.contains("Beatrix Hollow"));
    assert!(review.contains("contact log entry"));
    // Never over an earlier pack.
    assert!(dutydesk::export::pack::subject_access_pack(&store, id, &out).is_err());
    let exports: i64 = store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'person' AND entity_id = ?1",
            [p],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(exports, 1);
}

#[test]
fn a_pack_of_5000_contacts_is_complete() {
    let (tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    {
        let conn = store.raw_connection_for_tests();
        conn.execute_batch("BEGIN").unwrap();
        for i in 0..5000 {
            conn.execute(
                "INSERT INTO contacts (person_id, kind, at, note, by_user) VALUES (?1, 'call', '2026-01-01T10:00:00', ?2, 1)",
                rusqlite::params![p, format!("Routine call {i} about shopping on Tuesday")],
            )
            .unwrap();
        }
        conn.execute_batch("COMMIT").unwrap();
    }
    let id = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 20)))
        .unwrap();
    // Its speed is measured by `cargo bench --bench pack`, never by a timed test.
    let summary = dutydesk::export::pack::subject_access_pack(&store, id, &tmp.path().join("pack")).unwrap();
    let json = std::fs::read_to_string(summary.dir.join("data.json")).unwrap();
    assert!(json.contains("Routine call 0 about") && json.contains("Routine call 4999 about"));
}

#[test]
fn portability_writes_json_and_csv() {
    let (tmp, _dir, mut store) = new_case_file();
    let mut rec = full_record(
        "Ada",
        "Quill",
        "07700 900555",
        "ada@example.org",
        "OX17 2RF",
        &[Category::Client],
    );
    rec.notes = Some("Internal note".into());
    let p = add(&mut store, &rec);
    let id = store
        .record_request(&intake(p, &[RequestKind::Portability], d(2026, 11, 20)))
        .unwrap();
    let files = dutydesk::export::portability::portability_export(&store, id, &tmp.path().join("port")).unwrap();
    assert_eq!(files.len(), 4);
    let csv = std::fs::read_to_string(tmp.path().join("port/person.csv")).unwrap();
    assert!(csv.contains("ada@example.org"));
    assert!(csv.contains("OX17 2RF"));
    let json = std::fs::read_to_string(tmp.path().join("port/data.json")).unwrap();
    assert!(json.contains("07700 900555"));
    assert!(!json.contains("Internal note"), "only what the person gave us");
    // Not for a request of another kind.
    let other = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 20)))
        .unwrap();
    assert!(dutydesk::export::portability::portability_export(&store, other, &tmp.path().join("x")).is_err());
}

#[test]
fn rectification_keeps_values_in_the_request_and_names_in_the_log() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Ada", "Quill");
    disclose(&store, p, "Surgery");
    disclose(&store, p, "Surgery");
    disclose(&store, p, "Council");
    let id = store
        .record_request(&intake(p, &[RequestKind::Rectification], d(2026, 11, 20)))
        .unwrap();
    let mut rec = store.person(p).unwrap().record;
    rec.postcode = Some("OX17 9ZZ".into());
    let changed = store.rectify(id, &rec).unwrap();
    assert_eq!(changed, vec!["postcode"]);
    let detail = store.request(id).unwrap();
    let cr = detail.change_record.unwrap().to_string();
    assert!(cr.contains("OX17 2RF") && cr.contains("OX17 9ZZ"), "{cr}");
    assert_eq!(store.person(p).unwrap().record.postcode.as_deref(), Some("OX17 9ZZ"));
    let in_log: i64 = store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log WHERE fields LIKE '%OX17%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(in_log, 0);
    // One Article 19 task per distinct recipient.
    let tasks = store.article19_tasks(false).unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(store.recipients_of(p).unwrap(), vec!["Council", "Surgery"]);
    let e = store
        .close_article19_task(tasks[0].id, Article19Outcome::Impossible, "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("impossible"), "{e}");
    store
        .close_article19_task(
            tasks[0].id,
            Article19Outcome::Impossible,
            "The council office has closed",
        )
        .unwrap();
    let items = store.handover().unwrap();
    assert_eq!(items.iter().filter(|i| i.queue() == Queue::Article19).count(), 1);
    store
        .close_article19_task(tasks[1].id, Article19Outcome::Done, "")
        .unwrap();
    assert!(store.article19_tasks(false).unwrap().is_empty());
    store.close_request(id, Outcome::Complied, d(2026, 11, 25)).unwrap();
}

#[test]
fn objection_stop_is_enforced_on_the_newsletter_list() {
    let (tmp, _dir, mut store) = new_case_file();
    let a = add(
        &mut store,
        &full_record("Ada", "Quill", "", "ada@example.org", "OX17 2RF", &[Category::Client]),
    );
    let b = add(
        &mut store,
        &full_record("Bob", "Quill", "", "bob@example.org", "OX17 2RG", &[Category::Client]),
    );
    let id = store
        .record_request(&intake(a, &[RequestKind::Objection], d(2026, 11, 20)))
        .unwrap();
    // Newsletters are direct marketing: the objection is absolute, whatever the grounds.
    assert!(store
        .record_objection(id, "newsletters", ObjectionDecision::Continue, "Members asked for it")
        .unwrap_err()
        .to_string()
        .contains("absolute"));
    assert!(store
        .record_objection(id, "events", ObjectionDecision::Continue, "")
        .unwrap_err()
        .to_string()
        .contains("compelling"));
    assert!(store
        .record_objection(id, "nonsense", ObjectionDecision::Stop, "")
        .is_err());
    store
        .record_objection(id, "newsletters", ObjectionDecision::Stop, "")
        .unwrap();
    let list: Vec<i64> = store
        .mailing_list("newsletters")
        .unwrap()
        .iter()
        .map(|e| e.person_id)
        .collect();
    assert_eq!(list, vec![b]);
    let events: Vec<i64> = store
        .mailing_list("events")
        .unwrap()
        .iter()
        .map(|e| e.person_id)
        .collect();
    assert!(events.contains(&a), "only the purpose objected to stops");
    let path = tmp.path().join("newsletter.csv");
    let n = dutydesk::export::mailing::write_mailing_list(&store, "newsletters", &path).unwrap();
    assert_eq!(n, 1);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.contains("bob@example.org") && !csv.contains("ada@example.org"));
    assert_eq!(store.objections_of(a).unwrap().len(), 1);
}

#[test]
fn a_restricted_person_appears_nowhere_but_for_the_data_protection_lead() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    // A volunteer and a client, so every role receives at least one of them.
    let mut rec = full_record(
        "Zephyrine",
        "Restrictova",
        "07700 900777",
        "z@example.org",
        "OX17 3RR",
        &[Category::Client, Category::Volunteer],
    );
    rec.notes = None;
    let p = add(&mut store, &rec);
    let other = client(&mut store, "Ada", "Quill");
    let tomorrow = today().succ_opt().unwrap().and_hms_opt(10, 0, 0).unwrap();
    store.add_callback(p, "ring back", tomorrow).unwrap();
    disclose(&store, p, "Surgery");
    let id = store
        .record_request(&intake(
            p,
            &[RequestKind::Restriction, RequestKind::Access],
            d(2026, 11, 20),
        ))
        .unwrap();
    store.restrict(id).unwrap();
    assert!(store.restrict(id).is_err(), "already restricted");
    drop(store);

    for role in Role::ALL {
        let mut s = unlock_as(&dir, *role);
        let lead = *role == Role::DataProtectionLead;
        let found = s.search("zephyrine", 10).unwrap().iter().any(|h| h.id == p);
        assert_eq!(found, lead, "search as {role:?}");
        let found = s.search("07700 900777", 10).unwrap().iter().any(|h| h.id == p);
        assert_eq!(found, lead, "phone search as {role:?}");
        assert_eq!(s.person(p).is_ok(), lead, "person as {role:?}");
        let in_handover = s.handover().unwrap().iter().any(|i| i.person_id == p);
        assert_eq!(in_handover, lead, "handover as {role:?}");
        let in_queue = s
            .requests(&RequestFilter::default())
            .unwrap()
            .iter()
            .any(|r| r.person_id == Some(p));
        assert_eq!(in_queue, lead, "queue as {role:?}");
        assert!(s.open_callbacks(None).unwrap().iter().all(|c| c.person_id != p) || lead);
        for purpose in ["newsletters", "events"] {
            assert!(
                s.mailing_list(purpose).unwrap().iter().all(|e| e.person_id != p),
                "mailing list as {role:?}"
            );
        }
        // Cannot be edited, linked (assigned) or have contacts logged, whoever asks.
        let edit = s.update_person(p, &rec);
        assert!(edit.is_err(), "edit as {role:?}");
        if lead {
            assert!(matches!(edit, Err(StoreError::Restricted)));
            assert!(matches!(
                s.link(other, RelationKind::AssignedVolunteer, p),
                Err(StoreError::Restricted)
            ));
            assert!(matches!(
                s.log_contact(p, ContactKind::Call, "x"),
                Err(StoreError::Restricted)
            ));
        }
    }

    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let hit = lead.search("zephyrine", 10).unwrap();
    assert!(hit[0].restricted, "the lead sees it marked restricted");
    // Exports: the person's own access pack is allowed to the lead; portability and mailing
    // lists are not.
    assert!(dutydesk::export::pack::subject_access_pack(&lead, id, &tmp.path().join("pack")).is_ok());
    let port = lead
        .record_request(&intake(p, &[RequestKind::Portability], d(2026, 11, 21)))
        .unwrap();
    assert!(matches!(
        dutydesk::export::portability::portability_export(&lead, port, &tmp.path().join("port")),
        Err(StoreError::Restricted)
    ));
    assert_eq!(lead.article19_tasks(false).unwrap().len(), 1);

    // They are told first (Article 18(3)): lifting waits for a plan, and for its day.
    let e = lead
        .lift_restriction(p, "Accuracy check finished")
        .unwrap_err()
        .to_string();
    assert!(e.contains("Tell them first"), "{e}");
    assert!(
        lead.plan_restriction_lift(p, " ", today()).is_err(),
        "why, for the letter"
    );
    assert_eq!(
        lead.plan_restriction_lift(p, "Accuracy check finished", today() + chrono::Duration::days(7))
            .unwrap(),
        id
    );
    let e = lead
        .lift_restriction(p, "Accuracy check finished")
        .unwrap_err()
        .to_string();
    assert!(e.contains("lift it then"), "{e}");
    lead.raw_connection_for_tests()
        .execute(
            "UPDATE rights_requests SET restriction_lift_planned = ?1 WHERE id = ?2",
            (today(), id),
        )
        .unwrap();
    // Lifting needs a note, and is recorded on the request for the letter.
    assert!(lead.lift_restriction(p, " ").is_err());
    assert_eq!(lead.lift_restriction(p, "Accuracy check finished").unwrap(), Some(id));
    assert!(!lead.person(p).unwrap().restricted);
    assert!(lead.lift_restriction(p, "again").is_err());
    drop(lead);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty.search("zephyrine", 10).unwrap().iter().any(|h| h.id == p));
}

#[test]
fn requests_command_lists_the_queue_as_json() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let dir = dutydesk::store::DataDir::new(&data);
    let mut store = Store::init(
        &dir,
        &dutydesk::store::InitOptions {
            profile_toml: profile(),
            organisation: "Test",
            first_user: LEAD,
            passphrase: LEAD_PASS,
            kdf: dutydesk::store::KdfParams::FAST_INSECURE,
        },
        clock(),
    )
    .unwrap();
    let p = client(&mut store, "Ada", "Quill");
    let today = chrono::Local::now().date_naive();
    store.set_clock(std::sync::Arc::new(dutydesk::domain::clock::FixedClock::at_nine(today)));
    let id = store
        .record_request(&intake(p, &[RequestKind::Access, RequestKind::Erasure], today))
        .unwrap();
    drop(store);
    let out = assert_cmd::Command::cargo_bin("dutydesk")
        .unwrap()
        .arg("--data-dir")
        .arg(&data)
        .args(["requests", "--json"])
        .env("DUTYDESK_USER", LEAD)
        .env("DUTYDESK_PASSPHRASE", LEAD_PASS)
        .env_remove("DUTYDESK_DATA_DIR")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let row = &v[0];
    assert_eq!(row["id"], id);
    assert_eq!(row["kinds"], serde_json::json!(["access", "erasure"]));
    assert_eq!(row["status"], "open");
    assert_eq!(row["subject"], "Ada Quill");
    assert!(row["due"].is_string());
    assert!(row["days_left"].as_i64().unwrap() >= 28);
    assert_eq!(row["received_on"], today.to_string());
    assert_cmd::Command::cargo_bin("dutydesk")
        .unwrap()
        .arg("--data-dir")
        .arg(&data)
        .args(["requests", "--due"])
        .env("DUTYDESK_USER", LEAD)
        .env("DUTYDESK_PASSPHRASE", LEAD_PASS)
        .assert()
        .success()
        .stdout(predicates::str::contains("No open rights requests due"));
}

#[test]
fn a_rectification_may_restrict_the_record_while_its_accuracy_is_checked() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = client(&mut store, "Vera", "Accurate");
    let access = store
        .record_request(&intake(p, &[RequestKind::Access], d(2026, 11, 20)))
        .unwrap();
    assert!(store.restrict(access).is_err(), "an access request does not restrict");
    let id = store
        .record_request(&intake(p, &[RequestKind::Rectification], d(2026, 11, 20)))
        .unwrap();
    store.restrict(id).unwrap();
    assert!(store.person(p).unwrap().restricted);
    // Checked and found accurate: the restriction is lifted with a note, and the refusal says why.
    store
        .plan_restriction_lift(
            p,
            "Checked against the referral form: the date of birth is right",
            today(),
        )
        .unwrap();
    store
        .lift_restriction(p, "Checked against the referral form: the date of birth is right")
        .unwrap();
    store
        .refuse(
            id,
            dutydesk::domain::rights::RefusalGround::DataAccurate,
            "The referral form from the GP gives the same date of birth.",
        )
        .unwrap();
    assert!(!store.person(p).unwrap().restricted);
}
