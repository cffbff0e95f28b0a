//! The terminal interface driven by keys, as a duty officer uses it, with the case file checked
//! afterwards.

mod common;

use common::*;
use dutydesk::domain::{ContactKind, Role};
use dutydesk::tui::app::{App, Phase};
use dutydesk::tui::screens::confirm::ConfirmPopup;
use dutydesk::tui::screens::due_item::DueItemScreen;
use dutydesk::tui::screens::duplicates::DuplicatesPopup;
use dutydesk::tui::screens::home::HomeScreen;
use dutydesk::tui::screens::person::PersonScreen;
use dutydesk::tui::screens::person_form::PersonFormScreen;
use dutydesk::tui::screens::search::SearchPopup;
use ratatui::crossterm::event::KeyCode;

fn session(app: &mut dutydesk::tui::app::App) -> &mut dutydesk::tui::app::Session {
    match &mut app.phase {
        Phase::Ready(s) => s,
        _ => panic!("not unlocked"),
    }
}

#[test]
fn a_wrong_passphrase_says_so_and_the_next_try_unlocks() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = app(&dir, "duty-officer");
    type_text(&mut a, "not my passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.phase, Phase::Unlock(_)));
    assert!(a.status.as_ref().unwrap().text.contains("passphrase is wrong"));
    assert!(screen(&mut a, 80, 24).contains("passphrase is wrong"));
    type_text(&mut a, &pass_for(Role::DutyOfficer));
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.phase, Phase::Ready(_)));
}

#[test]
fn find_by_a_few_letters_or_a_phone_fragment_open_log_a_call_and_edit_the_address() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    // Find by name.
    type_text(&mut a, "/");
    type_text(&mut a, "oak");
    let hits: Vec<i64> = match session(&mut a).popup::<SearchPopup>() {
        Some(p) => p.hits.iter().map(|h| h.id).collect(),
        _ => panic!("search is open"),
    };
    assert!(hits.contains(&f.client) && hits.contains(&f.daughter), "{hits:?}");
    key(&mut a, KeyCode::Esc);
    // Find by a phone fragment, typed fast: one query for the whole batch.
    type_text(&mut a, "/");
    type_text(&mut a, "900 123");
    match session(&mut a).popup::<SearchPopup>() {
        Some(p) => {
            assert_eq!(p.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![f.client]);
            assert_eq!(p.queries, 1, "typing fast queries once per batch");
        }
        _ => panic!("search is open"),
    }
    key(&mut a, KeyCode::Enter);
    assert!(session(&mut a)
        .view::<PersonScreen>()
        .is_some_and(|p| p.id() == f.client));
    assert!(screen(&mut a, 80, 24).contains("Margaret Oakhill"));

    // Log a call: l, c, a note, Enter.
    type_text(&mut a, "lc");
    type_text(&mut a, "Wants a lift on Friday");
    key(&mut a, KeyCode::Enter);
    assert!(
        a.status.as_ref().unwrap().text.contains("Call logged"),
        "{:?}",
        a.status
    );

    // Edit the address: e, move to Address, replace it, Ctrl-S.
    type_text(&mut a, "e");
    for _ in 0..5 {
        key(&mut a, KeyCode::Tab);
    }
    ctrl(&mut a, 'u');
    type_text(&mut a, "9 New Road, Middleton Cheney");
    ctrl(&mut a, 's');
    // A last look at what changes, naming whose record it is.
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Save these changes to Margaret Oakhill"), "{text}");
    assert!(
        text.contains("Address: 4 Stanwell Lea, Middleton Cheney -> 9 New Road,"),
        "{text}"
    );
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.starts_with("Saved."), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("9 New Road, Middleton Cheney"), "{text}");
    assert!(text.contains("ctrl-z undo"), "the footer names the undo key: {text}");

    // The case file has the call and the address.
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let p = store.person(f.client).unwrap();
    assert_eq!(p.record.address.as_deref(), Some("9 New Road, Middleton Cheney"));
    let c = p.contacts.unwrap();
    assert_eq!(c[0].kind, ContactKind::Call);
    assert_eq!(c[0].note.as_deref(), Some("Wants a lift on Friday"));
    assert_eq!(p.last_contact, Some(today()));
}

#[test]
fn add_a_callback_from_the_person_screen_and_mark_it_done_from_home() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "Sandhu");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "b");
    type_text(&mut a, "referral paperwork");
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "today 15:30");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Callback added"),
        "{:?}",
        a.status
    );
    key(&mut a, KeyCode::Esc);
    // Home: the new callback is the first callback (due today 15:30), after what the law
    // sets a deadline for.
    let items = session(&mut a).tab::<HomeScreen>().unwrap().items.clone();
    let pos = items
        .iter()
        .position(|i| i.queue() == dutydesk::store::handover::Queue::Callback)
        .unwrap();
    assert_eq!(items[pos].person_id, f.worker);
    assert!(items[..pos].iter().all(|i| i.kind.priority() == 0), "{items:#?}");
    assert!(screen(&mut a, 120, 40).contains("referral paperwork"));
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.contains("done"));
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    assert!(store.open_callbacks(Some(f.worker)).unwrap().is_empty());
}

#[test]
fn enter_on_a_callback_in_the_handover_opens_it_whole_and_x_there_marks_it_done() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    let long =
        "ring about the hospital transport on Thursday, and whether her daughter can come too as she did last time";
    {
        let store = &mut session(&mut a).store;
        let at = store.clock().today().and_hms_opt(15, 30, 0).unwrap();
        store.add_callback(f.worker, long, at).unwrap();
    }
    key(&mut a, KeyCode::F(5));
    let items = session(&mut a).tab::<HomeScreen>().unwrap().items.clone();
    let pos = items
        .iter()
        .position(|i| i.queue() == dutydesk::store::handover::Queue::Callback)
        .unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    // The callback itself, whole: the row on the handover cuts the text off at 80 columns.
    assert!(session(&mut a).view::<DueItemScreen>().is_some());
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Callback: Ravi Sandhu"), "{text}");
    assert!(text.contains("as she did last time"), "{text}");
    assert!(text.contains("15:30"), "{text}");
    // x asks first, naming whose callback it is; yes marks it done and goes back.
    type_text(&mut a, "x");
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Mark the callback to Ravi Sandhu as done?"), "{text}");
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.contains("done"), "{:?}", a.status);
    assert!(
        session(&mut a).view::<DueItemScreen>().is_none(),
        "back on the handover"
    );
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    assert!(store
        .open_callbacks(Some(f.worker))
        .unwrap()
        .iter()
        .all(|c| c.about != long));
}

#[test]
fn a_new_person_warns_about_duplicates_and_records_how_the_data_came() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab); // title
    type_text(&mut a, "Joan");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Oakhill");
    key(&mut a, KeyCode::Tab); // aliases
    key(&mut a, KeyCode::Tab); // categories: a picker, with Client ticked
    type_text(&mut a, " "); // untick Client (the cursor starts on it)
    type_text(&mut a, "rel "); // narrow to "Relative / next of kin" and tick it
    key(&mut a, KeyCode::Tab); // address
    key(&mut a, KeyCode::Tab); // postcode
    key(&mut a, KeyCode::Tab); // phones
    type_text(&mut a, "07700 900123"); // Margaret's number: a likely duplicate
    for _ in 0..5 {
        key(&mut a, KeyCode::Tab); // email, dob, organisation, notes, obtained
    }
    // How the details came has no default: saving without it is refused.
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Say how we got these details"),
        "{:?}",
        a.status
    );
    type_text(&mut a, "f"); // "from someone else"
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Oakhill");
    key(&mut a, KeyCode::Enter); // pick the source person
    assert!(session(&mut a).popup::<SearchPopup>().is_some());
    key(&mut a, KeyCode::Enter);
    ctrl(&mut a, 's');
    assert!(session(&mut a).popup::<DuplicatesPopup>().is_some(), "{:?}", a.status);
    assert!(screen(&mut a, 80, 24).contains("Margaret Oakhill"));
    type_text(&mut a, "c"); // create anyway
    assert!(a.status.as_ref().unwrap().text.contains("Article 14"), "{:?}", a.status);
    let new_id = match session(&mut a).view::<PersonScreen>() {
        Some(p) => p.id(),
        _ => panic!("the new person is shown"),
    };
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let p = store.person(new_id).unwrap();
    assert!(p.obtained_indirectly);
    assert!(p.obtained_from.is_some());
    assert_eq!(p.notice.map(|n| n.status), Some("pending".to_string()));
    assert_eq!(
        p.record.categories,
        vec![dutydesk::domain::Category::Relative],
        "picked, not typed"
    );
    let _ = f;
}

#[test]
fn esc_on_a_changed_form_asks_before_throwing_anything_away() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Half typed");
    key(&mut a, KeyCode::Esc);
    assert!(session(&mut a).popup::<ConfirmPopup>().is_some());
    type_text(&mut a, "n"); // no: keep the form
    assert!(session(&mut a)
        .view::<PersonFormScreen>()
        .is_some_and(|f| f.form.value("given_name").as_deref() == Some("Half typed")));
}

#[test]
fn ctrl_l_locks_shows_nothing_personal_keeps_the_form_and_unlocks_for_the_same_user() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "oakhill");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "e");
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "Maggie");
    ctrl(&mut a, 'l');
    assert!(a.is_locked());
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&mut a, w, h);
        for secret in ["Oakhill", "Maggie", "Margaret", "07700", "OX17"] {
            assert!(!s.contains(secret), "{secret} visible while locked:\n{s}");
        }
    }
    type_text(&mut a, "wrong passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(a.is_locked());
    type_text(&mut a, &pass_for(Role::DutyOfficer));
    key(&mut a, KeyCode::Enter);
    assert!(!a.is_locked());
    assert!(session(&mut a)
        .view::<PersonFormScreen>()
        .is_some_and(|f| f.form.value("given_name").as_deref() == Some("Maggie")));
}

#[test]
fn the_screen_locks_itself_after_the_idle_time() {
    let (_tmp, dir, _f) = tui_fixture();
    let c = std::sync::Arc::new(dutydesk::domain::clock::ManualClock::new(
        today().and_hms_opt(9, 0, 0).unwrap(),
    ));
    let mut a = dutydesk::tui::app::App::new(
        dir.clone(),
        c.clone(),
        dutydesk::tui::keymap::Keymap::default(),
        dutydesk::tui::terminal::Theme::plain(),
        Some(login_for(Role::DutyOfficer)),
    );
    type_text(&mut a, &pass_for(Role::DutyOfficer));
    key(&mut a, KeyCode::Enter);
    c.advance(chrono::Duration::minutes(9));
    a.tick();
    assert!(!a.is_locked());
    c.advance(chrono::Duration::minutes(1));
    a.tick();
    assert!(a.is_locked());
}

#[test]
fn health_notes_stay_masked_until_revealed_with_a_reason() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("1 note(s) hidden") && !s.contains("walking frame"), "{s}");
    type_text(&mut a, "H");
    key(&mut a, KeyCode::Enter); // no reason: refused
    assert!(a.status.as_ref().unwrap().error);
    type_text(&mut a, "arranging a lift");
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 120, 40).contains("walking frame"));
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let views: i64 = store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'view_sensitive' AND entity = 'health_notes' AND entity_id = ?1",
            [f.client],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(views, 1);
}

#[test]
fn link_and_unlink_a_relationship_from_the_keyboard() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "Sandhu");
    key(&mut a, KeyCode::Enter);
    // This worker is also an emergency contact for Margaret: r, choose, search, Enter.
    type_text(&mut a, "r");
    for _ in 0..8 {
        type_text(&mut a, "j");
    }
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    // How we learnt of it: no default.
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Say how we learnt of it"),
        "{:?}",
        a.status
    );
    type_text(&mut a, "f"); // from Margaret Oakhill
    ctrl(&mut a, 's');
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Linked: Emergency contact. A notice to Ravi Sandhu is now due"),
        "{:?}",
        a.status
    );
    let rels = match session(&mut a).view::<PersonScreen>() {
        Some(p) => p.view.relationships.clone(),
        _ => panic!(),
    };
    assert!(rels
        .iter()
        .any(|r| r.other_id == f.client && r.kind == dutydesk::domain::RelationKind::EmergencyContact));
    // Select the new link and remove it: U asks first.
    let idx = rels
        .iter()
        .position(|r| r.kind == dutydesk::domain::RelationKind::EmergencyContact)
        .unwrap();
    for _ in 0..idx {
        type_text(&mut a, "j");
    }
    type_text(&mut a, "U");
    assert!(session(&mut a).popup::<ConfirmPopup>().is_some());
    type_text(&mut a, "y");
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    // The notice stays owed after the link is removed: we held the details meanwhile.
    let notice = store
        .pending_notices()
        .unwrap()
        .into_iter()
        .find(|n| n.person_id == f.worker)
        .expect("a notice owed to the worker");
    assert_eq!(notice.source_person_id, Some(f.client));
    let p = store.person(f.worker).unwrap();
    assert!(p
        .relationships
        .iter()
        .all(|r| r.kind != dutydesk::domain::RelationKind::EmergencyContact));
}

#[test]
fn enter_on_a_relationship_opens_the_related_person_and_esc_comes_back() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter); // first relationship: the daughter (next of kin)
    assert!(session(&mut a)
        .view::<PersonScreen>()
        .is_some_and(|p| p.id() == f.daughter));
    key(&mut a, KeyCode::Esc);
    assert!(session(&mut a)
        .view::<PersonScreen>()
        .is_some_and(|p| p.id() == f.client));
}

#[test]
fn every_role_sees_only_its_sections_on_the_person_screen() {
    let (_tmp, dir, f) = tui_fixture();
    for role in Role::ALL {
        let mut a = unlocked_app(&dir, *role);
        let opened = match &mut a.phase {
            Phase::Ready(s) => {
                let id = match role {
                    Role::DbsOfficer | Role::MembershipSecretary => f.volunteer,
                    _ => f.client,
                };
                s.store.person(id).ok().map(|_| id)
            }
            _ => None,
        };
        let Some(id) = opened else { continue };
        type_text(&mut a, "/");
        type_text(&mut a, if id == f.client { "margaret" } else { "brackley" });
        key(&mut a, KeyCode::Enter);
        let s = screen(&mut a, 120, 40);
        let has = |t: &str| s.contains(t);
        match role {
            Role::DutyOfficer | Role::SectionLeader => {
                assert!(has("Mobility and health") && !has("DBS checks"), "{role:?}\n{s}");
                assert!(has("Contact log") && has("07700 900123"), "{role:?}\n{s}");
            }
            Role::Trustee => assert!(has("Mobility and health") && has("Contact log"), "{role:?}\n{s}"),
            Role::DataProtectionLead => {
                assert!(!has("Mobility and health") && !has("DBS checks"), "{role:?}\n{s}");
                assert!(has("Contact log"), "{role:?}\n{s}");
            }
            Role::DbsOfficer => {
                assert!(has("DBS checks") && has("001234567890"), "{role:?}\n{s}");
                assert!(
                    !has("Mobility and health") && !has("Contact log") && !has("Services"),
                    "{role:?}\n{s}"
                );
            }
            Role::MembershipSecretary => {
                assert!(!has("DBS checks") && has("Contact log"), "{role:?}\n{s}");
            }
        }
    }
}

#[test]
fn a_restricted_person_shows_a_banner_and_is_read_only() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let store = unlock_as(&dir, Role::DataProtectionLead);
        store
            .raw_connection_for_tests()
            .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [f.client])
            .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 80, 24).contains("RESTRICTED RECORD"));
    type_text(&mut a, "e");
    assert!(a.status.as_ref().unwrap().error);
    type_text(&mut a, "lc");
    assert!(a.status.as_ref().unwrap().error);
    drop(a);
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    match session(&mut a).popup::<SearchPopup>() {
        Some(p) => assert!(p.hits.iter().all(|h| h.id != f.client)),
        _ => panic!(),
    }
    // Not silence, though: the search says a restricted record matches, and no more.
    assert!(session(&mut a).popup::<SearchPopup>().unwrap().restricted_match);
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("A restricted record also matches"), "{text}");
    assert!(!text.contains("Oakhill"), "{text}");
    key(&mut a, KeyCode::Esc);
    // And filing her again is refused, since it would process her data outside the restriction.
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Margaret");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Oakhill");
    for _ in 0..4 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "OX17 2RF");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap();
    assert!(status.error && status.text.contains("restricted record"), "{status:?}");
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    assert_eq!(
        store
            .search("oakhill", 10)
            .unwrap()
            .iter()
            .filter(|h| h.name == "Margaret Oakhill")
            .count(),
        1,
        "nobody was filed twice"
    );
}

#[test]
fn small_windows_say_so_and_nothing_panics_at_any_size() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    assert!(screen(&mut a, 40, 10).contains("Window too small"));
    type_text(&mut a, "/");
    type_text(&mut a, "o");
    for w in [1, 10, 59, 60, 61, 80, 200] {
        for h in [1, 5, 15, 16, 17, 24, 60] {
            screen(&mut a, w, h);
        }
    }
    key(&mut a, KeyCode::Enter);
    for w in [60, 80, 200] {
        for h in [16, 24, 60] {
            screen(&mut a, w, h);
        }
    }
}

#[test]
fn a_first_run_creates_the_case_file_from_the_interface() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = dutydesk::store::DataDir::new(tmp.path().join("fresh"));
    let mut a = app(&dir, "x");
    assert!(screen(&mut a, 80, 24).contains("There is no case file"));
    a.kdf = dutydesk::store::KdfParams::FAST_INSECURE;
    type_text(&mut a, "i");
    type_text(&mut a, "Test Neighbours");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "1 High Street, Kings Sutton, OX17 3RQ");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "01295 000000");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "help@example.org");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "firstlead");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "first lead passphrase");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "first lead passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.phase, Phase::Ready(_)), "{:?}", a.status);
    drop(a);
    let store = dutydesk::store::Store::unlock(&dir, "firstlead", "first lead passphrase", clock()).unwrap();
    assert_eq!(store.organisation().unwrap(), "Test Neighbours");
    // The notice and letters go out under the organisation's own name and details.
    assert_eq!(store.profile().controller.name, "Test Neighbours");
    assert_eq!(store.profile().controller.phone.as_deref(), Some("01295 000000"));
    assert!(store
        .profile()
        .controller
        .data_protection_contact
        .contains("1 High Street"));
}

#[test]
fn filter_the_handover_to_one_queue_and_act_on_an_item_without_leaving_it() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "Sandhu");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "b");
    type_text(&mut a, "bring the forms");
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "today 15:30");
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Esc);
    // `f` cycles through the queues that have items until the callbacks are shown alone.
    for _ in 0..10 {
        if screen(&mut a, 80, 24).contains("Callbacks only") {
            break;
        }
        type_text(&mut a, "f");
    }
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Callbacks only"), "{text}");
    let home = session(&mut a).tab::<HomeScreen>().unwrap();
    let shown: Vec<_> = home.shown().cloned().collect();
    assert!(!shown.is_empty());
    assert!(shown
        .iter()
        .all(|i| i.queue() == dutydesk::store::handover::Queue::Callback));
    assert_eq!(shown[0].person_id, f.worker);
    // The first row is the callback: close it from the filtered list.
    type_text(&mut a, "x");
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.contains("done"), "{:?}", a.status);
    // The filter holds after the reload; `F` shows every queue again.
    assert!(screen(&mut a, 80, 24).contains("Callbacks only"));
    type_text(&mut a, "F");
    assert!(screen(&mut a, 80, 24).contains("what is due"));
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    assert!(store.open_callbacks(Some(f.worker)).unwrap().is_empty());
}

/// Opens Margaret, changes her address to 9 New Road and saves it (yes to the last look).
fn move_margaret_to_new_road(a: &mut App) {
    type_text(a, "/");
    type_text(a, "margaret");
    key(a, KeyCode::Enter);
    type_text(a, "e");
    for _ in 0..5 {
        key(a, KeyCode::Tab);
    }
    ctrl(a, 'u');
    type_text(a, "9 New Road, Middleton Cheney");
    ctrl(a, 's');
    type_text(a, "y");
}

#[test]
fn the_last_edit_is_undone_after_a_look_and_audited_like_any_change() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    move_margaret_to_new_road(&mut a);
    let audit_before: i64 = session(&mut a)
        .store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    // ctrl-z shows what goes back, and undoes it on yes.
    ctrl(&mut a, 'z');
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Undo your last edit to Margaret Oakhill"), "{text}");
    assert!(
        text.contains("Address: 9 New Road, Middleton Cheney -> 4 Stanwell Lea,"),
        "{text}"
    );
    type_text(&mut a, "y");
    assert!(a.status.as_ref().unwrap().text.starts_with("Undone"), "{:?}", a.status);
    assert!(screen(&mut a, 120, 40).contains("4 Stanwell Lea"));
    // Nothing more to undo: the key is no longer offered.
    assert!(!screen(&mut a, 120, 40).contains("ctrl-z undo"));
    let audit_after: i64 = session(&mut a)
        .store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audit_after, audit_before + 1, "the undo is one audited change");
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let p = store.person(f.client).unwrap();
    assert_eq!(p.record.address.as_deref(), Some("4 Stanwell Lea, Middleton Cheney"));
}

#[test]
fn an_edit_is_not_undone_once_the_record_has_changed_again() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    move_margaret_to_new_road(&mut a);
    // Someone changes the record another way (here, the store directly).
    {
        let store = &mut session(&mut a).store;
        let mut rec = store.person(f.client).unwrap().record;
        rec.address = Some("1 Other Street, Middleton Cheney".into());
        store.update_person(f.client, &rec).unwrap();
    }
    ctrl(&mut a, 'z');
    type_text(&mut a, "y");
    let status = a.status.clone().unwrap();
    assert!(status.error && status.text.contains("has changed since"), "{status:?}");
    drop(a);
    let store = unlock_as(&dir, Role::DutyOfficer);
    let p = store.person(f.client).unwrap();
    assert_eq!(p.record.address.as_deref(), Some("1 Other Street, Middleton Cheney"));
}

/// The last line of the boxed screen text: the row just above the bottom border.
fn last_content_line(text: &str) -> String {
    let rows: Vec<&str> = text.lines().collect();
    let bottom = rows.iter().rposition(|r| r.starts_with('└')).unwrap();
    rows[..bottom]
        .iter()
        .rev()
        .find(|r| !r.trim_matches(|c| c == '│' || c == ' ').is_empty())
        .unwrap()
        .to_string()
}

#[test]
fn every_line_of_a_person_is_reachable_at_80x24_with_the_position_shown() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    // The whole record, on a screen tall enough, at the same width.
    let whole = screen(&mut a, 80, 80);
    let last = last_content_line(&whole);
    let text = screen(&mut a, 80, 24);
    assert!(!text.contains(&last), "the record is longer than 80x24: {text}");
    assert!(text.contains("lines 1-"), "the position shows: {text}");
    // End shows the very last line.
    key(&mut a, KeyCode::End);
    let text = screen(&mut a, 80, 24);
    assert!(text.contains(&last), "{last} in {text}");
    // So does paging down from the top.
    key(&mut a, KeyCode::Home);
    for _ in 0..10 {
        key(&mut a, KeyCode::PageDown);
    }
    let text = screen(&mut a, 80, 24);
    assert!(text.contains(&last), "{last} in {text}");
}

#[test]
fn a_stray_letter_does_nothing_but_says_how_to_search() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    let before = screen(&mut a, 80, 24);
    // "T" is no command on the person screen: nothing opens, and the status line says what to do.
    type_text(&mut a, "T");
    let status = a.status.clone().unwrap();
    assert!(!status.error);
    assert!(
        status.text.contains("\"T\" does nothing here") && status.text.contains("press /"),
        "{status:?}"
    );
    assert!(session(&mut a).popups.is_empty());
    assert_eq!(session(&mut a).views.len(), 1, "still only the person screen");
    let after = screen(&mut a, 80, 24);
    let body = |t: &str| t.lines().take(22).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&before), body(&after), "the screen itself is unchanged");
}

#[test]
fn b_on_the_handover_backs_up_to_a_chosen_folder_and_the_title_says_when() {
    let (tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    assert!(screen(&mut a, 80, 24).contains("never backed up"));
    type_text(&mut a, "B");
    // The folder starts as the data folder's "backups"; a USB stick's folder is typed over it.
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Back up now") && text.contains("USB stick"), "{text}");
    ctrl(&mut a, 'u');
    let usb = tmp.path().join("usb");
    type_text(&mut a, &usb.display().to_string());
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "2");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap();
    assert!(!status.error && status.text.contains("Backed up to"), "{status:?}");
    let files = dutydesk::store::backup::backups_in(&usb);
    assert_eq!(files.len(), 1);
    assert!(screen(&mut a, 80, 24).contains("backed up today"));
    drop(a);
    // The duty officer's backup opens for the lead too, and the handover remembers the folder.
    let s = dutydesk::store::backup::verify(&files[0], LEAD, LEAD_PASS, clock()).unwrap();
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    assert_eq!(store.backup_folder(), Some(usb));
}

#[test]
fn a_duty_officer_adds_corrects_and_removes_health_notes_that_other_roles_never_see() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "h");
    assert!(screen(&mut a, 120, 40).contains("Health details for Margaret"));
    type_text(&mut a, "Diabetic: bring a snack on long drives");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("recorded"), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("2 note(s) hidden") && !text.contains("Diabetic"),
        "{text}"
    );
    // Reveal (with a reason), go to the newest note, correct it.
    type_text(&mut a, "H");
    type_text(&mut a, "planning Friday's lift");
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 120, 40).contains("Diabetic"));
    let person = session(&mut a).view::<PersonScreen>().unwrap();
    let first_note = person
        .targets
        .iter()
        .position(|t| matches!(t, dutydesk::tui::screens::person::Target::Health(_)))
        .unwrap();
    for _ in 0..first_note {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "Type 2 diabetes: bring a snack");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("corrected"), "{:?}", a.status);
    // The copy on screen was out of date: hidden again until revealed again.
    assert!(!screen(&mut a, 120, 40).contains("Type 2"));
    drop(a);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let notes = duty.reveal_health(f.client, "checking the correction").unwrap();
    assert!(notes.iter().any(|n| n.note == "Type 2 diabetes: bring a snack"));
    let newest = notes.iter().find(|n| n.note.starts_with("Type 2")).unwrap().id;
    drop(duty);
    // A role without health data: no note, no count, no key.
    let mut dbs = unlocked_app(&dir, Role::DbsOfficer);
    type_text(&mut dbs, "/");
    type_text(&mut dbs, "brackley");
    key(&mut dbs, KeyCode::Enter);
    let text = screen(&mut dbs, 120, 40);
    assert!(!text.contains("health") && !text.contains("Health"), "{text}");
    drop(dbs);
    // Removal keeps why, never what.
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.remove_health_note(newest, "entered twice").unwrap();
    let left = duty.reveal_health(f.client, "checking the removal").unwrap();
    assert!(left.iter().all(|n| n.id != newest));
    let reason: String = duty
        .raw_connection_for_tests()
        .query_row(
            "SELECT reason FROM health_note_removals WHERE person_id = ?1",
            [f.client],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "entered twice");
}

#[test]
fn a_contact_note_that_reads_like_health_details_is_offered_to_the_health_notes() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "lc");
    type_text(&mut a, "Now needs a wheelchair for the surgery visits");
    ctrl(&mut a, 's');
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("\"wheelchair\": health details?") && text.contains("File it as a health note"),
        "{text}"
    );
    key(&mut a, KeyCode::Enter);
    assert!(
        a.status.as_ref().unwrap().text.contains("filed as a health note"),
        "{:?}",
        a.status
    );
    drop(a);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let notes = duty.reveal_health(f.client, "checking").unwrap();
    assert!(notes.iter().any(|n| n.note.contains("wheelchair")));
    let logged: i64 = duty
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM contacts WHERE person_id = ?1 AND note LIKE '%wheelchair%'",
            [f.client],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 0, "not in the contact log every role reads");
    // The call itself is logged (without its note): last contact and Article 14 see it.
    let calls: i64 = duty
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM contacts WHERE person_id = ?1 AND note IS NULL",
            [f.client],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(calls, 1);
}
