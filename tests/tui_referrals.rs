//! The referral call, notices and consent from the keyboard, with the case file checked after:
//! the "done when" scenario end to end.

mod common;

use common::*;
use dutydesk::domain::Role;
use dutydesk::tui::app::Phase;
use dutydesk::tui::screens::confirm::ConfirmPopup;
use dutydesk::tui::screens::home::HomeScreen;
use dutydesk::tui::screens::person::PersonScreen;
use dutydesk::tui::screens::referral_intake::ReferralIntakeScreen;
use ratatui::crossterm::event::KeyCode;

fn session(app: &mut dutydesk::tui::app::App) -> &mut dutydesk::tui::app::Session {
    match &mut app.phase {
        Phase::Ready(s) => s,
        _ => panic!("not unlocked"),
    }
}

/// "They know of it" and "They agree to it": yes and yes (neither has a default).
fn answer_knows_and_agrees(a: &mut dutydesk::tui::app::App) {
    tab_to(a, "knows");
    type_text(a, "y");
    key(a, KeyCode::Tab);
    type_text(a, "y");
}

#[test]
fn a_social_worker_refers_an_older_man_with_his_daughter_as_next_of_kin() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    // i: take a referral, in the order the call goes.
    type_text(&mut a, "i");
    assert!(session(&mut a).view::<ReferralIntakeScreen>().is_some());
    // Who is calling: a social or healthcare worker (the first choice), new to us.
    tab_to(&mut a, "caller_given");
    type_text(&mut a, "Priya");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Callwood");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "01632 960555");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Adult Social Care");
    // Who is referred.
    tab_to(&mut a, "given");
    type_text(&mut a, "Albert");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Fenwick");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "2 Mill Lane, Chacombe");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "OX17 2JR");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "01632 960556");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "03/04/1938");
    // His daughter: a relative and his next of kin.
    tab_to(&mut a, "contact_given");
    type_text(&mut a, "Helen");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Fenwick");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "07700 900556");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, " "); // relative
    key(&mut a, KeyCode::Right);
    type_text(&mut a, " "); // next of kin
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "d"); // daughter
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, " "); // driving
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    type_text(&mut a, " "); // shopping
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Uses a stick; cannot manage stairs");
    // Whether he knows and agrees is asked, never assumed: saving without it is refused.
    ctrl(&mut a, 's');
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Ask whether they know of the referral"),
        "{:?}",
        a.status
    );
    tab_to(&mut a, "knows");
    type_text(&mut a, "y");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "y");
    assert!(screen(&mut a, 120, 40).contains("Take a referral"));
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Referral saved"),
        "{:?}",
        a.status
    );
    let albert = match session(&mut a).view::<PersonScreen>() {
        Some(p) => p.id(),
        _ => panic!("the referred person is shown"),
    };
    // Referred, not yet a client; his daughter named as such, with her phone.
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Referred (a client once the referral is accepted)"),
        "{text}"
    );
    assert!(
        text.contains("Next of kin                 Helen Fenwick (daughter)  07700 900556"),
        "{text}"
    );

    // Photo consent given, then withdrawn, from the person screen.
    type_text(&mut a, "c");
    key(&mut a, KeyCode::Right); // the first purpose
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Right); // verbally on the phone
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "call 25/11");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Consent recorded"),
        "{:?}",
        a.status
    );
    type_text(&mut a, "w");
    key(&mut a, KeyCode::Enter); // the consent in force
    ctrl(&mut a, 's'); // how: on the phone
    assert!(session(&mut a).popup::<ConfirmPopup>().is_some());
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.contains("withdrawn"), "{:?}", a.status);
    let person_screen = screen(&mut a, 120, 40);
    assert!(
        person_screen.contains("given") && person_screen.contains("withdrawn"),
        "{person_screen}"
    );

    // The handover shows the follow-up task; the notices screen lists both notices.
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "1");
    let home = screen(&mut a, 120, 40);
    assert!(home.contains("Tasks 1"), "{home}");
    type_text(&mut a, "4");
    let notices = screen(&mut a, 120, 40);
    assert!(
        notices.contains("Albert Fenwick") && notices.contains("Helen Fenwick"),
        "{notices}"
    );
    drop(a);

    // The case file afterwards.
    let store = unlock_as(&dir, Role::DutyOfficer);
    let hits = store.search("helen fenwick", 5).unwrap();
    let helen = hits[0].id;
    let pending = store.pending_notices().unwrap();
    assert!(pending.iter().any(|n| n.person_id == albert));
    let helen_notice = pending
        .iter()
        .find(|n| n.person_id == helen)
        .expect("the daughter has a notice due");
    assert_eq!(
        helen_notice.due_on,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
    );
    let text = dutydesk::export::notice::render_notice(&store, helen).unwrap().text;
    assert!(text.contains("referral"), "{text}");
    // Why we hold her details, from her place in the record, not the category's wording;
    // and only the data we hold (no email address was given).
    assert!(
        text.contains("You were named as Albert Fenwick's daughter and next of kin in a referral to our services."),
        "{text}"
    );
    assert!(
        !text.contains("You would like your relative to become a user"),
        "{text}"
    );
    assert!(
        text.contains("- Phone numbers") && !text.contains("- Email address"),
        "{text}"
    );
    assert!(
        text.contains("at Adult Social Care"),
        "the referrer's organisation: {text}"
    );
    assert!(
        text.contains("Priya Callwood") || text.contains("social or healthcare worker"),
        "{text}"
    );
    // Relative and next of kin at once, each link saying she is his daughter; the services
    // he asked for are on his record as requested.
    let v = store.person(albert).unwrap();
    let links: Vec<(dutydesk::domain::RelationKind, Option<&str>)> = v
        .relationships
        .iter()
        .filter(|r| r.other_id == helen)
        .map(|r| (r.kind, r.relation.as_deref()))
        .collect();
    assert_eq!(
        links,
        vec![
            (dutydesk::domain::RelationKind::Relative, Some("daughter")),
            (dutydesk::domain::RelationKind::NextOfKin, Some("daughter")),
        ]
    );
    let mut asked: Vec<(String, dutydesk::domain::ServiceStatus)> =
        v.services.unwrap().into_iter().map(|s| (s.service, s.status)).collect();
    asked.sort();
    assert_eq!(
        asked,
        vec![
            ("driving".into(), dutydesk::domain::ServiceStatus::Requested),
            ("shopping".into(), dutydesk::domain::ServiceStatus::Requested),
        ]
    );
    let r = store.referral(v.pending_referral.expect("a pending referral")).unwrap();
    assert!(r.person_knows && r.person_agrees);
    let history = store.consent_history(albert).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0].given && !history[1].given);
    assert!(store.open_tasks(Some(albert)).unwrap().len() == 1);
}

#[test]
fn a_notice_is_read_then_marked_given_from_the_notices_screen() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "4");
    assert!(screen(&mut a, 80, 24).contains("Susan Oakhill"));
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Good Neighbours") && text.contains("Susan Oakhill"),
        "{text}"
    );
    for _ in 0..10 {
        key(&mut a, KeyCode::PageDown);
    }
    let further = screen(&mut a, 120, 40);
    assert_ne!(text, further, "the notice scrolls");
    type_text(&mut a, "m");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("given"), "{:?}", a.status);
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    assert!(store
        .pending_notices()
        .unwrap()
        .iter()
        .all(|n| n.person_id != f.daughter));
}

#[test]
fn a_referral_moves_on_from_the_referrals_screen() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "i");
    tab_to(&mut a, "caller_given");
    type_text(&mut a, "Sam");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Worker");
    tab_to(&mut a, "given");
    type_text(&mut a, "Ivy");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Quill");
    answer_knows_and_agrees(&mut a);
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Referral saved"),
        "{:?}",
        a.status
    );
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "3");
    assert!(screen(&mut a, 80, 24).contains("Ivy Quill"));
    // Enter opens the referral itself; Esc comes back to the list.
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 80, 24).contains("Referral: Ivy Quill"));
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "a");
    type_text(&mut a, "Rang Ivy back");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("contacted"), "{:?}", a.status);
}

#[test]
fn a_disclosure_before_the_notice_brings_it_forward_and_warns() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "susan");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "S");
    // To the GP surgery (the first of the profile's recipients), with her permission on the
    // phone today (the form's starting answers).
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "phone number, for a home visit");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap();
    assert!(status.text.contains("Article 14 notice is now due"), "{status:?}");
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let n = store.notice_for_person(f.daughter).unwrap().unwrap();
    assert_eq!(n.due_on, today());
    assert_eq!(store.disclosures(Some(f.daughter)).unwrap().len(), 1);
}

#[test]
fn a_publication_needs_consent_in_force() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "P");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "photo at the summer fair");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().error,
        "refused without consent: {:?}",
        a.status
    );
    // Esc asks before throwing the typing away; no keeps the form, yes closes it.
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "n");
    assert!(
        screen(&mut a, 120, 40).contains("photo at the summer fair"),
        "the typing is kept"
    );
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "y");
    assert!(!screen(&mut a, 120, 40).contains("photo at the summer fair"));
    {
        // Consent given, then the same publication goes through.
        let s = session(&mut a);
        s.store
            .give_consent(
                f.client,
                "photo_web",
                dutydesk::domain::consent::ConsentMethod::WrittenForm,
                today(),
                "form 12",
            )
            .unwrap();
    }
    type_text(&mut a, "P");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "photo at the summer fair");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Publication recorded"),
        "{:?}",
        a.status
    );
}

#[test]
fn an_exemption_due_for_review_is_reviewed_from_the_handover() {
    let (_tmp, dir, f) = tui_fixture();
    let notice = {
        let mut store = unlock_as(&dir, Role::DutyOfficer);
        let rel = store
            .create_person(
                &record("Old", "Referee", &[dutydesk::domain::Category::Relative]),
                &dutydesk::domain::person::Obtained::Indirectly {
                    from_person: Some(f.client),
                    from_text: None,
                    referral: None,
                },
                chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            )
            .unwrap();
        let n = store.notice_for_person(rel).unwrap().unwrap();
        store
            .record_notice_exemption(
                n.id,
                dutydesk::domain::article14::Exemption::AlreadyHas,
                "She was sent our privacy notice with the volunteer pack in 2025",
                chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
            )
            .unwrap();
        n.id
    };
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    let idx = session(&mut a)
        .tab::<HomeScreen>()
        .unwrap()
        .items
        .iter()
        .position(|i| i.queue() == dutydesk::store::handover::Queue::Notice && i.item_id() == notice)
        .expect("the review is on the handover");
    for _ in 0..idx {
        type_text(&mut a, "j");
    }
    type_text(&mut a, "x");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Checked: still holds");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Exemption reviewed"),
        "{:?}",
        a.status
    );
}

#[test]
fn a_referral_is_read_and_moved_on_from_the_handover() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "i");
    tab_to(&mut a, "caller_given");
    type_text(&mut a, "Sam");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Worker");
    tab_to(&mut a, "given");
    type_text(&mut a, "Ivy");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Quill");
    // Services are picked from the profile's list: every one is in view, by its label.
    tab_to(&mut a, "services");
    let text = screen(&mut a, 80, 24);
    for service in ["driving", "befriending", "shopping", "practical help"] {
        assert!(text.contains(&format!("[ ] {service}")), "{service}: {text}");
    }
    type_text(&mut a, "dri ");
    answer_knows_and_agrees(&mut a);
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Esc);
    // Filter the handover to referrals: the new one is the only row.
    for _ in 0..10 {
        if screen(&mut a, 80, 24).contains("Referrals only") {
            break;
        }
        type_text(&mut a, "f");
    }
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Referrals only") && text.contains("Ivy Quill"), "{text}");
    // Enter opens the referral itself, not the person.
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Referral: Ivy Quill"), "{text}");
    assert!(text.contains("From:") && text.contains("Sam Worker"), "{text}");
    assert!(text.contains("History"), "{text}");
    assert!(text.contains("Services: driving"), "{text}");
    key(&mut a, KeyCode::Esc);
    // `a` on the row moves it on without leaving the handover.
    type_text(&mut a, "a");
    type_text(&mut a, "Rang Ivy back");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("contacted"), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Referral: accept or decline"), "{text}");
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let rows = store
        .referrals(dutydesk::store::referrals::ReferralFilter::default())
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, dutydesk::domain::referral::ReferralStatus::Contacted);
}

#[test]
fn a_second_referral_for_someone_with_one_open_points_to_the_first() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.take_referral(&dutydesk::store::referrals::ReferralIntake {
            received_on: today(),
            caller_kind: dutydesk::domain::referral::ReferrerKind::Professional,
            caller: Some(dutydesk::store::referrals::PartyRef::Existing(f.worker)),
            caller_organisation: None,
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred: dutydesk::store::referrals::PartyRef::Existing(f.client),
            contacts: vec![],
            services: vec!["shopping".into()],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: true,
            urgency: dutydesk::domain::referral::Urgency::Routine,
            notes: String::new(),
        })
        .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "i");
    for _ in 0..8 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "oakhill margaret");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Margaret Oakhill already has an open referral"), "{text}");
    // Open the first one instead.
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Referral: Margaret Oakhill") && text.contains("Services: shopping"),
        "{text}"
    );
}
