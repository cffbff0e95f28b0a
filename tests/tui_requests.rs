//! Rights requests from the keyboard: intake from a person, the queue with its deadline, the
//! next-step menu (identity, extension, access pack, letters, erasure), with the case file
//! checked after.

mod common;

use common::*;
use dutydesk::domain::Role;
use dutydesk::tui::app::{App, Phase};
use dutydesk::tui::screens::home::HomeScreen;
use dutydesk::tui::screens::menu::MenuPopup;
use dutydesk::tui::screens::requests::RequestScreen;
use dutydesk::tui::screens::requests::RequestsScreen;
use ratatui::crossterm::event::KeyCode;

fn session(app: &mut App) -> &mut dutydesk::tui::app::Session {
    match &mut app.phase {
        Phase::Ready(s) => s,
        _ => panic!("not unlocked"),
    }
}

/// Picks the menu entry whose label starts with `label`.
fn choose(a: &mut App, label: &str) {
    let labels: Vec<String> = match session(a).popup::<MenuPopup>() {
        Some(m) => m.labels().iter().map(|s| s.to_string()).collect(),
        _ => panic!("a menu is open"),
    };
    let i = labels
        .iter()
        .position(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("{label} in {labels:?}"));
    for _ in 0..i {
        type_text(a, "j");
    }
    key(a, KeyCode::Enter);
}

fn record_request(a: &mut App, who: &str, kinds: &str) {
    type_text(a, "/");
    type_text(a, who);
    key(a, KeyCode::Enter);
    type_text(a, "p");
    // The kinds are picked: type to narrow the list, space ticks, backspace widens again.
    for kind in kinds.split(',') {
        type_text(a, kind);
        type_text(a, " ");
        for _ in kind.chars() {
            key(a, KeyCode::Backspace);
        }
    }
    key(a, KeyCode::Tab);
    key(a, KeyCode::Tab);
    key(a, KeyCode::Tab);
    type_text(a, "Please send me everything you hold about me");
    ctrl(a, 's');
}

#[test]
fn an_access_request_is_received_timed_extended_and_fulfilled_from_the_keyboard() {
    let (tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    record_request(&mut a, "margaret", "access");
    assert!(a.status.as_ref().unwrap().text.contains("recorded"), "{:?}", a.status);
    let id = match session(&mut a).view::<RequestScreen>() {
        Some(_) => {
            let s = screen(&mut a, 120, 40);
            assert!(s.contains("Due 29/12/2026"), "{s}");
            s
        }
        _ => panic!("the new request is shown"),
    };
    let _ = id;
    // The queue lists it with its due date.
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "5");
    let q = screen(&mut a, 120, 40);
    assert!(q.contains("29/12/2026") && q.contains("Margaret Oakhill"), "{q}");
    // Open the newest (the fixture's own request was received earlier, so it is due first).
    type_text(&mut a, "j");
    key(&mut a, KeyCode::Enter);
    // Extend it.
    type_text(&mut a, "a");
    choose(&mut a, "Extend");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Extended: now due"),
        "{:?}",
        a.status
    );
    // Make the pack.
    type_text(&mut a, "a");
    choose(&mut a, "Make the subject access pack");
    let out = tmp.path().join("packs");
    // A private folder inside the data folder is suggested; type another over it.
    assert!(screen(&mut a, 120, 40).contains("exports/access-pack-request-"));
    ctrl(&mut a, 'u');
    type_text(&mut a, out.to_str().unwrap());
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Pack written"),
        "{:?}",
        a.status
    );
    // Recorded on the request, with the copy still to delete once sent.
    assert!(
        screen(&mut a, 120, 40).contains("local copy still to delete once sent"),
        "the request records the pack"
    );
    // A letter.
    type_text(&mut a, "W");
    choose(&mut a, "Completion");
    ctrl(&mut a, 'u');
    type_text(&mut a, tmp.path().join("letters").to_str().unwrap());
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Letter written"),
        "{:?}",
        a.status
    );
    // Close it.
    type_text(&mut a, "a");
    choose(&mut a, "Close");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("closed"), "{:?}", a.status);
    drop(a);
    // The reminder to delete the local copy waits on the handover.
    let duty_view = unlock_as(&dir, Role::DataProtectionLead);
    assert!(duty_view
        .handover()
        .unwrap()
        .iter()
        .any(|i| i.what.starts_with("Delete the local copy of request #")));
    drop(duty_view);
    let found: Vec<_> = walk(&out);
    assert!(found.iter().any(|p| p.ends_with("data.json")), "{found:?}");
    assert!(found.iter().any(|p| p.ends_with("index.html")), "{found:?}");
    let _ = f;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn an_erasure_request_erases_the_person_from_the_keyboard() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    record_request(&mut a, "sandhu", "erasure");
    assert!(session(&mut a).view::<RequestScreen>().is_some());
    type_text(&mut a, "a");
    choose(&mut a, "Erase the person");
    // The confirmation names whose record goes, and asks for their family name to be typed.
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Erase every record of") && text.contains("Sandhu"),
        "{text}"
    );
    type_text(&mut a, "Smith");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().error, "{:?}", a.status);
    assert!(
        session(&mut a).store.person(f.worker).is_ok(),
        "the wrong name erased nobody"
    );
    for _ in 0..5 {
        key(&mut a, KeyCode::Backspace);
    }
    type_text(&mut a, "sandhu");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("Erased"), "{:?}", a.status);
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    assert!(store.search("sandhu", 5).unwrap().is_empty());
    assert!(store.person(f.worker).is_err());
    let margaret = store.person(f.client).unwrap();
    assert!(margaret.relationships.iter().all(|r| r.other_id != f.worker));
}

#[test]
fn a_duty_officer_records_a_request_but_cannot_decide_it() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    record_request(&mut a, "margaret", "erasure");
    assert!(a.status.as_ref().unwrap().text.contains("recorded"), "{:?}", a.status);
    type_text(&mut a, "a");
    choose(&mut a, "Refuse");
    // The grounds for an erasure request; the first (manifestly unfounded).
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("On what ground?") && text.contains("We must keep it by law"),
        "{text}"
    );
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "Repeated request, the fourth this month");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().error, "{:?}", a.status);
}

#[test]
fn an_article19_task_is_closed_from_the_handover() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut store = unlock_as(&dir, Role::DataProtectionLead);
        store
            .record_disclosure(
                f.client,
                &disclosure(
                    "Banbury Cross Surgery",
                    "address, for a home visit",
                    dutydesk::profile::LawfulBasis::LegitimateInterests,
                    today(),
                ),
            )
            .unwrap();
        let id = store
            .record_request(&dutydesk::store::requests::RequestIntake {
                person_id: Some(f.client),
                agent_id: None,
                agent_name: None,
                agent_authority: None,
                kinds: vec![dutydesk::domain::rights::RequestKind::Rectification],
                channel: Some(dutydesk::domain::rights::Channel::Letter),
                received_on: Some(today()),
                words: "My address is wrong".into(),
            })
            .unwrap();
        let mut rec = store.person(f.client).unwrap().record;
        rec.address = Some("5 Corrected Road, Middleton Cheney".into());
        store.rectify(id, &rec).unwrap();
        assert_eq!(store.article19_tasks(false).unwrap().len(), 1);
    }
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    let idx = session(&mut a)
        .tab::<HomeScreen>()
        .unwrap()
        .items
        .iter()
        .position(|i| i.queue() == dutydesk::store::handover::Queue::Article19)
        .expect("the task is on the handover");
    for _ in 0..idx {
        type_text(&mut a, "j");
    }
    type_text(&mut a, "x");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Article 19 task closed"),
        "{:?}",
        a.status
    );
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    assert!(store.article19_tasks(false).unwrap().is_empty());
}

#[test]
fn the_queue_filters_by_status() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut store = unlock_as(&dir, Role::DataProtectionLead);
        let id = store
            .record_request(&dutydesk::store::requests::RequestIntake {
                person_id: Some(f.daughter),
                agent_id: None,
                agent_name: None,
                agent_authority: None,
                kinds: vec![dutydesk::domain::rights::RequestKind::Access],
                channel: Some(dutydesk::domain::rights::Channel::Email),
                received_on: Some(today()),
                words: "Send me a copy of my records".into(),
            })
            .unwrap();
        store.request_id(id, today()).unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "5");
    assert_eq!(session(&mut a).tab::<RequestsScreen>().unwrap().rows.len(), 2);
    type_text(&mut a, "S"); // open
    let open: Vec<i64> = session(&mut a)
        .tab::<RequestsScreen>()
        .unwrap()
        .rows
        .iter()
        .filter_map(|r| r.person_id)
        .collect();
    assert_eq!(open, vec![f.client]);
    type_text(&mut a, "S"); // awaiting proof of identity
    let waiting: Vec<i64> = session(&mut a)
        .tab::<RequestsScreen>()
        .unwrap()
        .rows
        .iter()
        .filter_map(|r| r.person_id)
        .collect();
    assert_eq!(waiting, vec![f.daughter]);
    assert!(screen(&mut a, 120, 40).contains("awaiting proof of identity"));
}

#[test]
fn request_kinds_are_picked_by_their_labels_not_typed_as_codes() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "p");
    // Every kind is in view at 80x24, by its label.
    let text = screen(&mut a, 80, 24);
    for label in [
        "Access (Article 15)",
        "Erasure (Article 17)",
        "Portability (Article 20)",
    ] {
        assert!(text.contains(label), "{label}: {text}");
    }
    // Saving with nothing ticked says what to do.
    ctrl(&mut a, 's');
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Tick at least one kind"), "{text}");
    // Narrow to "era", tick erasure; widen, narrow to "obj", tick objection.
    type_text(&mut a, "era ");
    for _ in 0..3 {
        key(&mut a, KeyCode::Backspace);
    }
    type_text(&mut a, "obj ");
    for _ in 0..3 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "Stop using my details and delete them");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("recorded"), "{:?}", a.status);
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let kinds: String = store
        .raw_connection_for_tests()
        .query_row("SELECT kinds FROM rights_requests ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kinds, "erasure,objection");
}

#[test]
fn a_slow_erasure_keeps_the_screen_alive_with_a_progress_line_then_reports() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    // As on the real terminal: slow work waits for the event loop.
    a.defer_slow = true;
    record_request(&mut a, "sandhu", "erasure");
    type_text(&mut a, "a");
    choose(&mut a, "Erase the person");
    type_text(&mut a, "sandhu");
    ctrl(&mut a, 's');
    assert!(a.has_slow(), "the erasure waits for the loop to run it");
    assert!(session(&mut a).store.person(f.worker).is_ok(), "nothing erased yet");

    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let last = terminal
        .draw(|fr| dutydesk::tui::ui::draw(&mut a, fr))
        .unwrap()
        .buffer
        .clone();
    let (job, store, theme) = a.take_slow().expect("the erasure is waiting");
    let report = dutydesk::tui::slow::run_alive(&mut terminal, &last, &theme, store, job, |t| {
        std::thread::sleep(t);
        Ok(())
    })
    .unwrap();
    // The screen was drawn while the work ran, with the progress line on the status row and
    // the request still behind it.
    let buf = terminal.backend().buffer().clone();
    let row = |y: u16| (0..120).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>();
    assert!(
        row(38).contains("Erasing every record of") && row(38).contains("Sandhu"),
        "{}",
        row(38)
    );
    assert!(row(38).contains(" s  "), "the elapsed time shows: {}", row(38));
    assert!(
        (0..38).any(|y| row(y).contains("Rights request #")),
        "the screen stays behind it"
    );

    a.finish_slow(report);
    assert!(a.status.as_ref().unwrap().text.contains("Erased"), "{:?}", a.status);
    assert!(session(&mut a).store.person(f.worker).is_err(), "erased");
    let text = screen(&mut a, 120, 40);
    assert!(
        !text.contains("Sandhu"),
        "no screen still shows the erased person:\n{text}"
    );
}

#[test]
fn a_daughter_with_power_of_attorney_makes_a_request_for_her_father_and_the_letters_go_to_her() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "p");
    type_text(&mut a, "access");
    type_text(&mut a, " ");
    for _ in 0..3 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "My mother would like a copy of her records");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "s"); // someone acting for them
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, &f.daughter.to_string());
    // Without the evidence seen it is refused.
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("evidence"), "{:?}", a.status);
    // The cursor is on the evidence field.
    type_text(
        &mut a,
        "LPA (property and financial affairs) registered 2025, copy seen",
    );
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("recorded"), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Made by Susan Oakhill for them (lasting power of attorney; evidence seen: LPA"),
        "{text}"
    );
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let id = store
        .requests(&Default::default())
        .unwrap()
        .into_iter()
        .find(|r| r.kinds.contains(&dutydesk::domain::rights::RequestKind::Access) && r.agent.is_some())
        .unwrap()
        .id;
    let letter =
        dutydesk::export::letters::render_letter(&store, id, dutydesk::export::letters::LetterKind::Acknowledgement)
            .unwrap()
            .text;
    assert!(
        letter.contains("Susan Oakhill") && letter.contains("On behalf of: Margaret Oakhill"),
        "{letter}"
    );
}

#[test]
fn an_access_request_is_closed_as_partly_complied_with_what_was_withheld_and_why() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    record_request(&mut a, "margaret", "access");
    type_text(&mut a, "a");
    choose(&mut a, "Close the request: partly complied");
    type_text(&mut a, "A copy of her record and contact log");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "A note naming her neighbour");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "i"); // "It would reveal another person"
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "The neighbour has not agreed to her name being shared");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Closed as partly complied"),
        "{:?}",
        a.status
    );
    let text = screen(&mut a, 120, 40);
    for want in [
        "Partly complied. Provided: A copy of her record and contact log",
        "Withheld: A note naming her neighbour",
        "Why withheld (It would reveal another person",
        "The partial compliance letter: owed by 25/11/2026, not yet sent",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    // The letter, from W on the request.
    let out = tempfile::tempdir().unwrap();
    type_text(&mut a, "W");
    choose(&mut a, "Partly complied");
    ctrl(&mut a, 'u');
    type_text(&mut a, out.path().to_str().unwrap());
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Letter written"),
        "{:?}",
        a.status
    );
}

#[test]
fn a_restriction_is_lifted_only_after_the_person_was_told_when() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    record_request(&mut a, "margaret", "restriction");
    type_text(&mut a, "a");
    choose(&mut a, "Restrict processing");
    type_text(&mut a, "y");
    // Lifting straight away is refused: they are told first.
    type_text(&mut a, "a");
    choose(&mut a, "Lift a restriction");
    type_text(&mut a, "Checked: nothing to correct");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Tell them first"),
        "{:?}",
        a.status
    );
    // Leaving the form asks first: something was typed.
    key(&mut a, KeyCode::Esc);
    assert!(screen(&mut a, 120, 40).contains("Discard what was typed?"));
    type_text(&mut a, "y");
    type_text(&mut a, "a");
    choose(&mut a, "Plan lifting the restriction");
    type_text(&mut a, "Checked: nothing to correct");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("Planned"), "{:?}", a.status);
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("The restriction lifted letter: owed by 25/11/2026, not yet sent"),
        "{text}"
    );
    // The day has come (planned for today): now it lifts.
    type_text(&mut a, "a");
    choose(&mut a, "Lift a restriction");
    type_text(&mut a, "Checked: nothing to correct");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Restriction lifted"),
        "{:?}",
        a.status
    );
}

#[test]
fn an_erasure_is_refused_on_a_ground_from_the_keyboard_and_its_letter_is_owed() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    record_request(&mut a, "margaret", "erasure");
    type_text(&mut a, "a");
    choose(&mut a, "Refuse, on a ground");
    choose(&mut a, "Needed for legal claims");
    assert!(screen(&mut a, 120, 40).contains("Say the claim, and why the data is needed for it"));
    type_text(&mut a, "Her insurer's claim about the fall in March is open.");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Refused and closed"),
        "{:?}",
        a.status
    );
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Refused (Needed for legal claims")
            && text.contains("The refusal letter: owed by 25/11/2026, not yet sent"),
        "{text}"
    );
}
