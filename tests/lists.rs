//! Lists that keep the notice's promises: newsletters, events and the like leave out restricted
//! records, everyone who objected (an objection to direct marketing at once, and absolutely),
//! people referred but not yet clients, and, where the purpose rests on consent, anyone
//! without it in force. Objections can be made to every legitimate-interests purpose.

mod common;

use common::*;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::rights::{Channel, ObjectionDecision, RequestKind};
use dutydesk::domain::{Category, Role};
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::Store;
use ratatui::crossterm::event::KeyCode;

fn objection(lead: &mut Store, person: i64) -> i64 {
    lead.record_request(&RequestIntake {
        person_id: Some(person),
        kinds: vec![RequestKind::Objection],
        channel: Some(Channel::Letter),
        received_on: Some(today()),
        words: "Please stop sending me things".into(),
        ..RequestIntake::default()
    })
    .unwrap()
}

fn names(store: &Store, purpose: &str) -> Vec<String> {
    store
        .mailing_list(purpose)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

/// A client with an address, filed directly (so on the lists).
fn client(lead: &mut Store, given: &str) -> i64 {
    lead.create_person(
        &full_record(given, "Listwell", "07700 900700", "", "OX17 2RF", &[Category::Client]),
        &Obtained::Directly,
        today(),
    )
    .unwrap()
}

#[test]
fn the_newsletter_list_leaves_out_everyone_who_objected_or_may_not_be_written_to() {
    let (_tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let objector = client(&mut lead, "Olive");
    let undecided = client(&mut lead, "Una");
    let kept = client(&mut lead, "Kit");
    let before = names(&lead, "newsletters");
    for n in ["Olive Listwell", "Una Listwell", "Kit Listwell", "Margaret Oakhill"] {
        assert!(before.iter().any(|x| x == n), "{n} starts on the list: {before:?}");
    }
    // An objection to the newsletter (direct marketing): absolute, so "continue" is refused.
    let r = objection(&mut lead, objector);
    let e = lead
        .record_objection(
            r,
            "newsletters",
            ObjectionDecision::Continue,
            "we think they would like it",
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("absolute (Article 21(3))"), "{e}");
    lead.record_objection(r, "newsletters", ObjectionDecision::Stop, "")
        .unwrap();
    // An objection received but not yet decided already takes them off a direct-marketing list.
    objection(&mut lead, undecided);
    // An objection to events (legitimate interests) may be weighed: continue, with grounds.
    let r = objection(&mut lead, kept);
    let e = lead
        .record_objection(r, "events", ObjectionDecision::Continue, "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("compelling legitimate grounds"), "{e}");
    lead.record_objection(
        r,
        "events",
        ObjectionDecision::Continue,
        "The AGM notice is required by our constitution",
    )
    .unwrap();
    // A restricted record, and someone referred but not yet a client.
    let restricted = client(&mut lead, "Rhoda");
    let rr = lead
        .record_request(&RequestIntake {
            person_id: Some(restricted),
            kinds: vec![RequestKind::Restriction],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Please restrict".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    lead.restrict(rr).unwrap();
    // Reggie refers himself: a client only once the referral is accepted.
    lead.take_referral(&dutydesk::store::referrals::ReferralIntake {
        received_on: today(),
        caller_kind: dutydesk::domain::referral::ReferrerKind::SelfReferral,
        caller: None,
        caller_organisation: None,
        caller_is_next_of_kin: false,
        caller_is_emergency_contact: false,
        caller_relation: None,
        referred: dutydesk::store::referrals::PartyRef::New(full_record(
            "Reggie",
            "Listwell",
            "07700 900701",
            "",
            "OX17 2RF",
            &[Category::Client],
        )),
        contacts: vec![],
        services: vec!["shopping".into()],
        health_notes: String::new(),
        person_knows: true,
        person_agrees: true,
        urgency: dutydesk::domain::referral::Urgency::Routine,
        notes: String::new(),
    })
    .unwrap();
    let list = names(&lead, "newsletters");
    for gone in ["Olive Listwell", "Una Listwell", "Rhoda Listwell", "Reggie Listwell"] {
        assert!(!list.iter().any(|x| x == gone), "{gone} is left out: {list:?}");
    }
    assert!(list.iter().any(|x| x == "Kit Listwell") && list.iter().any(|x| x == "Margaret Oakhill"));
    // Events: Kit stays (continue), Olive too (her objection was to the newsletter only).
    let events = names(&lead, "events");
    assert!(events.iter().any(|x| x == "Kit Listwell") && events.iter().any(|x| x == "Olive Listwell"));
    // A purpose with no list, and one no one may object to.
    let e = lead.mailing_list("records_and_accounts").unwrap_err().to_string();
    assert!(e.contains("choose one of events, newsletters, service_updates"), "{e}");
    let _ = f;
}

#[test]
fn a_list_resting_on_consent_holds_only_those_whose_consent_is_in_force() {
    // A charity whose newsletter rests on consent (a deliberately different profile).
    let text = profile()
        .replace(
            "lawful_basis = \"legitimate_interests\"\nlegitimate_interest = \"Keeping our clients, volunteers and Friends informed about the Scheme.\"",
            "lawful_basis = \"consent\"",
        )
        .replace(
            "[[consent_purpose]]",
            "[[consent_purpose]]\nkey = \"newsletters\"\nlabel = \"Our newsletter\"\nwording = \"Would you like our newsletter? You can stop it at any time.\"\nversion = 1\n\n[[consent_purpose]]",
        );
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::create_unencrypted_for_tests(&tmp.path().join("case.db"), &text, "lead", clock()).unwrap();
    let yes = client(&mut store, "Yasmin");
    let no = client(&mut store, "Noel");
    let withdrawn = client(&mut store, "Wanda");
    use dutydesk::domain::consent::ConsentMethod;
    store
        .give_consent(yes, "newsletters", ConsentMethod::Email, today(), "email of 20/11")
        .unwrap();
    store
        .give_consent(withdrawn, "newsletters", ConsentMethod::Email, today(), "email")
        .unwrap();
    store
        .withdraw_consent(withdrawn, "newsletters", ConsentMethod::Email, today())
        .unwrap();
    let list = names(&store, "newsletters");
    assert_eq!(list, vec!["Yasmin Listwell".to_string()], "only consent in force");
    let _ = no;
    // Without a consent purpose to make it from, such a profile is refused.
    let broken = text.replace(
        "key = \"newsletters\"\nlabel = \"Our newsletter\"",
        "key = \"news\"\nlabel = \"Our newsletter\"",
    );
    let e = dutydesk::profile::parse(&broken).unwrap_err().to_string();
    assert!(e.contains("rests on consent and has a mailing list"), "{e}");
}

#[test]
fn lists_and_labels_from_the_command_line_and_the_terminal() {
    let (_tmp, dir, f) = tui_fixture();
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("news.csv");
    let html = out.path().join("labels.html");
    let run = |args: &[&std::ffi::OsStr]| cli_as(&dir, Role::DataProtectionLead, args);
    let o = run(&[
        "list".as_ref(),
        "newsletters".as_ref(),
        "--out".as_ref(),
        csv.as_os_str(),
        "--labels".as_ref(),
        html.as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("delete them once used"), "{text}");
    let body = std::fs::read_to_string(&csv).unwrap();
    assert!(
        body.starts_with("name,email,address,postcode") && body.contains("Margaret Oakhill"),
        "{body}"
    );
    let labels = std::fs::read_to_string(&html).unwrap();
    assert!(
        labels.contains("<p>4 Stanwell Lea</p>") && labels.contains("<p>OX17 2RF</p>"),
        "{labels}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [&csv, &html] {
            assert_eq!(std::fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    let o = run(&["list".as_ref(), "newsletters".as_ref()]);
    assert_eq!(o.status.code(), Some(2), "where to write is asked for");
    // From the terminal: M, then save (newsletters would be second; events is first).
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "M");
    key(&mut a, KeyCode::Right); // newsletters
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, &out.path().join("tui").display().to_string());
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap().text;
    assert!(
        status.contains("newsletters-2026-11-25.csv") && status.contains("delete it once used"),
        "{status}"
    );
    assert!(out.path().join("tui/newsletters-2026-11-25.csv").exists());
    let _ = f;
}

#[test]
fn an_objection_decision_from_the_keyboard_shows_on_the_request_and_the_person() {
    let (_tmp, dir, f) = tui_fixture();
    let r = {
        let mut lead = unlock_as(&dir, Role::DataProtectionLead);
        objection(&mut lead, f.client)
    };
    let purpose = unlock_as(&dir, Role::DutyOfficer)
        .profile()
        .purposes
        .iter()
        .filter(|p| p.open_to_objection())
        .position(|p| p.key == "newsletters")
        .unwrap();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "5");
    let rows = screen(&mut a, 120, 40);
    assert!(rows.contains("objection"), "{rows}");
    // Open the objection (the newest request), then its next step.
    let pos = rows
        .lines()
        .filter(|l| l.contains("Margaret Oakhill"))
        .position(|l| l.contains("objection"))
        .unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "a");
    // The step, by its place in the menu on screen.
    let text = screen(&mut a, 120, 40);
    let menu: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("next step"))
        .skip(1)
        .take_while(|l| !l.contains("└"))
        .collect();
    let step = menu
        .iter()
        .position(|l| l.contains("Record the objection decision"))
        .expect("the objection step is offered");
    for _ in 0..step {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    // Every purpose open to objection; newsletters marked as direct marketing.
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Which purpose do they object to?"), "{text}");
    assert!(
        text.contains("To distribute our newsletters (direct marketing: stops at once)"),
        "{text}"
    );
    assert!(
        text.contains("To enable us to arrange our AGM and other events"),
        "{text}"
    );
    for _ in 0..purpose {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("absolute (Article 21(3))") && !text.contains("Decision:"),
        "{text}"
    );
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("stopped"), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Objection to newsletters: stop processing for this purpose"),
        "{text}"
    );
    drop(a);
    let lead = unlock_as(&dir, Role::DataProtectionLead);
    assert!(!names(&lead, "newsletters").iter().any(|n| n == "Margaret Oakhill"));
    let o = lead.objections_of(f.client).unwrap();
    assert_eq!((o[0].request_id, o[0].decision), (Some(r), ObjectionDecision::Stop));
}
