//! The screen contract, checked in both directions on every screen and popup, in every state
//! the snapshots use:
//! - every command a screen lists as enabled is handled: the screen consumes its key, and
//!   (movement aside, which may have nowhere to go) pressing it changes something: the screen,
//!   the status line, or the case file;
//! - every key a screen consumes belongs to a command it lists: no screen handles a key that
//!   its footer and help do not know about.
//!
//! Each check starts from a fresh copy of the same case file, reached by the same keys.

mod common;

use common::*;
use dutydesk::domain::Role;
use dutydesk::store::DataDir;
use dutydesk::tui::app::{App, Phase, Session};
use dutydesk::tui::keymap::{Action, Keymap};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

type Steps = fn(&mut App);

fn open_margaret(a: &mut App) {
    type_text(a, "/");
    type_text(a, "margaret");
    key(a, KeyCode::Enter);
}

/// The shared fixture plus an open referral, so the handover has a referral row to open.
fn contract_fixture() -> (tempfile::TempDir, DataDir) {
    use dutydesk::domain::referral::Urgency;
    use dutydesk::store::referrals::PartyRef;
    let (tmp, dir, f) = tui_fixture();
    worker_refers(
        &dir,
        &f,
        PartyRef::Existing(f.client),
        Urgency::Routine,
        "Synthetic note",
    );
    (tmp, dir)
}

/// Filters the handover until it shows one queue alone (`label`, as the title names it).
fn filter_to(a: &mut App, label: &str) {
    for _ in 0..10 {
        if screen(a, 80, 24).contains(&format!("{label} only")) {
            return;
        }
        type_text(a, "f");
    }
    panic!("no {label} on the handover");
}

fn filter_to_referrals(a: &mut App) {
    filter_to(a, "Referrals");
}

/// `T` on the handover with a small spreadsheet (one row with a problem), in a folder of
/// this test process's own.
fn open_import(a: &mut App) {
    let folder = std::env::temp_dir().join(format!("dutydesk-contract-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let sheet = folder.join("clients.csv");
    std::fs::write(&sheet, "Name,Tel\nEdna Testperson,01295 111222\nFrank Synthetic,12\n").unwrap();
    type_text(a, "T");
    type_text(a, &sheet.display().to_string());
    key(a, KeyCode::Enter);
}

/// `L` on the handover, with another laptop known and one merge conflict (on Margaret's
/// email) planted as a merge would have left it.
fn open_laptops(a: &mut App) {
    let conn = session(a).store.raw_connection_for_tests();
    conn.execute_batch(
        "INSERT INTO sync_peers (device, name, added_on) VALUES (1, 'Rota laptop', '2026-11-01');
         INSERT INTO sync_conflicts (peer, seq, tbl, row_id, col, person_id, base, mine, theirs, found_at)
         SELECT 1, 1, 'people', id, 'email', id, NULL, email, 'other@example.org', '2026-11-30T10:00:00'
         FROM people WHERE given_name = 'Margaret' LIMIT 1;",
    )
    .unwrap();
    type_text(a, "L");
}

/// Every state the snapshots show, with who is signed in and the keys from the handover.
fn states() -> Vec<(&'static str, Role, Steps)> {
    vec![
        ("handover", Role::DutyOfficer, |_| {}),
        ("handover, referrals only", Role::DutyOfficer, filter_to_referrals),
        ("referral", Role::DutyOfficer, |a| {
            filter_to_referrals(a);
            key(a, KeyCode::Enter);
        }),
        ("callback item", Role::DutyOfficer, |a| {
            filter_to(a, "Callbacks");
            key(a, KeyCode::Enter);
        }),
        ("recent", Role::DutyOfficer, |a| {
            open_margaret(a);
            key(a, KeyCode::Esc);
            type_text(a, "2");
        }),
        ("referrals", Role::DutyOfficer, |a| type_text(a, "3")),
        ("notices", Role::DutyOfficer, |a| type_text(a, "4")),
        ("notice text", Role::DutyOfficer, |a| {
            type_text(a, "4");
            key(a, KeyCode::Enter);
        }),
        ("notice exemption", Role::DutyOfficer, |a| {
            type_text(a, "4");
            type_text(a, "E");
        }),
        ("requests", Role::DataProtectionLead, |a| type_text(a, "5")),
        ("request", Role::DataProtectionLead, |a| {
            type_text(a, "5");
            key(a, KeyCode::Enter);
        }),
        ("request actions", Role::DataProtectionLead, |a| {
            type_text(a, "5");
            key(a, KeyCode::Enter);
            type_text(a, "a");
        }),
        ("search, empty", Role::DutyOfficer, |a| type_text(a, "/")),
        ("search, results", Role::DutyOfficer, |a| {
            type_text(a, "/");
            type_text(a, "oak");
        }),
        ("person", Role::DutyOfficer, open_margaret),
        ("person, DBS officer", Role::DbsOfficer, |a| {
            type_text(a, "/");
            type_text(a, "brackley");
            key(a, KeyCode::Enter);
        }),
        ("health reason", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "H");
        }),
        ("log contact, kind", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "l");
        }),
        ("log contact, note", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "lc");
        }),
        ("callback", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "b");
        }),
        ("link kind", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "r");
        }),
        ("unlink confirm", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "U");
        }),
        ("help", Role::DutyOfficer, |a| type_text(a, "?")),
        ("consent", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "c");
        }),
        ("request intake", Role::DataProtectionLead, |a| {
            open_margaret(a);
            type_text(a, "p");
        }),
        ("new person", Role::DutyOfficer, |a| type_text(a, "n")),
        ("edit person", Role::DutyOfficer, |a| {
            open_margaret(a);
            type_text(a, "e");
        }),
        ("referral intake", Role::DutyOfficer, |a| type_text(a, "i")),
        ("laptops", Role::DataProtectionLead, open_laptops),
        ("import", Role::DutyOfficer, open_import),
        ("import check", Role::DutyOfficer, |a| {
            open_import(a);
            type_text(a, "c");
        }),
        ("duplicates", Role::DutyOfficer, |a| {
            type_text(a, "n");
            key(a, KeyCode::Tab);
            type_text(a, "Margaret");
            key(a, KeyCode::Tab);
            type_text(a, "Oakhill");
            say_details_came_directly(a);
            ctrl(a, 's');
        }),
    ]
}

fn session(a: &mut App) -> &mut Session {
    match &mut a.phase {
        Phase::Ready(s) => s,
        _ => panic!("unlocked"),
    }
}

/// A copy of the fixture's data folder, so every check starts from the same case file.
fn fresh(base: &DataDir) -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path().join("data"));
    std::fs::create_dir_all(dir.root()).unwrap();
    for name in ["casefile.db", "keyslots.json"] {
        std::fs::copy(base.root().join(name), dir.root().join(name)).unwrap();
    }
    (tmp, dir)
}

fn reach(base: &DataDir, role: Role, steps: Steps) -> (tempfile::TempDir, App) {
    let (tmp, dir) = fresh(base);
    let mut a = unlocked_app(&dir, role);
    steps(&mut a);
    a.after_batch();
    (tmp, a)
}

fn key_event(k: dutydesk::tui::keymap::Key) -> KeyEvent {
    k.event()
}

/// What the user can see or find afterwards: the screen (every cell, with its style, so a
/// highlighted button counts), the status line, and the number of audit entries (every change
/// writes one).
fn observe(a: &mut App) -> (ratatui::buffer::Buffer, Option<String>, i64, bool) {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| dutydesk::tui::ui::draw(a, f)).unwrap();
    let text = terminal.backend().buffer().clone();
    let status = a.status.as_ref().map(|s| s.text.clone());
    let audit = session(a)
        .store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    (text, status, audit, a.quit)
}

/// Whether pressing `k` in the state changes anything the user can see or find.
fn something_happens(base: &DataDir, role: Role, steps: Steps, k: dutydesk::tui::keymap::Key) -> bool {
    let (_t, mut a) = reach(base, role, steps);
    let before = observe(&mut a);
    a.handle_key(k.event());
    a.after_batch();
    before != observe(&mut a)
}

#[test]
fn every_listed_command_is_handled_and_every_handled_key_is_listed() {
    let (_tmp, base) = contract_fixture();
    let keymap = Keymap::default();
    let mut checked = 0;
    for (name, role, steps) in states() {
        let (_t, mut a) = reach(&base, role, steps);
        let ctx = session(&mut a).focused().context();
        let listed = session(&mut a).focused().commands();
        let app_level: Vec<Action> = session(&mut a).app_commands().iter().map(|c| c.action).collect();

        // Listed and enabled: every key of it consumed, and (movement aside) pressing it
        // changes something.
        for command in listed.iter().filter(|c| c.enabled) {
            let keys = keymap.keys_for(ctx, command.action);
            let Some(first) = keys.first() else {
                panic!("{name}: {} is listed but has no key", command.action);
            };
            for k in &keys {
                let (_t, mut a) = reach(&base, role, steps);
                assert!(
                    session(&mut a).offer(&keymap, &key_event(*k)),
                    "{name}: lists {} ({k}) but does not handle it",
                    command.action
                );
            }
            if !command.is_movement() {
                assert!(
                    something_happens(&base, role, steps, *first),
                    "{name}: {} ({first}) is listed but pressing it changes nothing",
                    command.action
                );
            }
            checked += 1;
        }

        // The application's own commands where the screen is (help, search, back or quit,
        // other screens, lock, reload): each changes something.
        let on_top = session(&mut a).views.is_empty() && session(&mut a).popups.is_empty();
        let tab = session(&mut a).tab;
        for command in session(&mut a).app_commands().iter().filter(|c| c.enabled) {
            let here = [
                Action::Screen1,
                Action::Screen2,
                Action::Screen3,
                Action::Screen4,
                Action::Screen5,
            ]
            .iter()
            .position(|s| *s == command.action);
            if on_top && here == Some(tab) {
                continue; // the screen the user is on already
            }
            let keys = keymap.keys_for(ctx, command.action);
            let Some(k) = keys.first() else { continue };
            assert!(
                something_happens(&base, role, steps, *k),
                "{name}: the application offers {} ({k}) here but pressing it changes nothing",
                command.action
            );
            checked += 1;
        }

        // Consumed only if listed: every action bound where the screen is, tried in turn.
        for action in Action::ALL {
            let keys = keymap.keys_for(ctx, *action);
            let Some(k) = keys.first() else { continue };
            if listed.iter().any(|c| c.action == *action) {
                continue;
            }
            let (_t, mut a) = reach(&base, role, steps);
            assert!(
                !session(&mut a).offer(&keymap, &key_event(*k)),
                "{name}: handles {action} ({k}) without listing it{}",
                if app_level.contains(action) {
                    " (the application handles it already)"
                } else {
                    ""
                }
            );
        }
    }
    assert!(checked > 100, "only {checked} commands checked");
}

/// Every key the footer shows, pressed as a user would: something must happen. This would
/// have caught the footer that offered "n new person" on Recent, which Recent ignored.
#[test]
fn every_key_the_footer_offers_does_something() {
    let (_tmp, base) = contract_fixture();
    let keymap = Keymap::default();
    for (name, role, steps) in states() {
        let (_t, mut a) = reach(&base, role, steps);
        let s = session(&mut a);
        let ctx = s.focused().context();
        for (k, label) in s.footer(&keymap, 200) {
            let action = Action::ALL
                .iter()
                .find(|a| a.short() == label && keymap.describe_keys(ctx, **a).split(", ").any(|x| x == k))
                .unwrap_or_else(|| panic!("{name}: footer entry {k} {label} is no action"));
            let key = keymap.keys_for(ctx, *action)[0];
            assert!(
                something_happens(&base, role, steps, key),
                "{name}: the footer offers {k} {label}, and pressing it changes nothing"
            );
        }
    }
}

#[test]
fn recent_hears_of_everyone_opened_created_or_referred() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    // Opened from the search.
    open_margaret(&mut a);
    key(&mut a, KeyCode::Esc);
    // Created.
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Newly");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Created");
    say_details_came_directly(&mut a);
    ctrl(&mut a, 's');
    a.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    type_text(&mut a, "2");
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Margaret Oakhill"), "{text}");
    assert!(text.contains("Newly Created"), "{text}");
}

/// q on a view goes back, as esc does; on a top-level screen it quits.
#[test]
fn q_goes_back_from_a_view_and_quits_from_the_top() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    assert_eq!(session(&mut a).views.len(), 1);
    type_text(&mut a, "q");
    assert!(session(&mut a).views.is_empty());
    assert!(!a.quit);
    type_text(&mut a, "q");
    assert!(a.quit);
}
