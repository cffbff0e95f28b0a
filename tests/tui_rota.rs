//! The rota laptop: the screen locks, and the next volunteer signs in as themselves; the one
//! who locked it finds everything as they left it; quitting takes the quit key twice; keys do
//! nothing while the window is too small to show what they would act on.

mod common;

use common::*;
use dutydesk::domain::Role;
use dutydesk::tui::app::{App, Phase, Session};
use dutydesk::tui::screens::person_form::PersonFormScreen;
use ratatui::crossterm::event::KeyCode;

fn session(a: &mut App) -> &mut Session {
    match &mut a.phase {
        Phase::Ready(s) => s,
        _ => panic!("unlocked"),
    }
}

/// On the lock screen, moves to the user field and chooses `login`.
fn choose_user(a: &mut App, login: &str) {
    key(a, KeyCode::BackTab);
    for _ in 0..10 {
        if screen(a, 80, 24).contains(&format!("(*) {login}")) {
            key(a, KeyCode::Tab);
            return;
        }
        key(a, KeyCode::Right);
    }
    panic!("{login} is not offered on the lock screen");
}

fn audit_actions(a: &mut App) -> Vec<(String, Option<i64>)> {
    let conn = session(a).store.raw_connection_for_tests();
    let mut st = conn
        .prepare("SELECT action, user_id FROM audit_log ORDER BY id DESC LIMIT 3")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn the_next_volunteer_signs_in_on_a_locked_laptop() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    // The duty officer leaves a half-typed new person and locks the screen.
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Half");
    ctrl(&mut a, 'l');
    assert!(a.is_locked());
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("Anyone on the rota can sign in"), "{text}");
    assert!(!text.contains("Half"), "nothing personal while locked: {text}");
    // The trustee chooses themselves; the screen warns what will be discarded.
    choose_user(&mut a, "trustee");
    let text = screen(&mut a, 80, 24);
    assert!(text.contains("what duty-officer left unsaved is discarded"), "{text}");
    type_text(&mut a, "trustee test passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(!a.is_locked(), "{:?}", a.status);
    assert_eq!(session(&mut a).store.actor().login, "trustee");
    assert!(
        session(&mut a).views.is_empty(),
        "the duty officer's form is not the trustee's"
    );
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("trustee · Trustee"), "{text}");
    // Signing out and in are both in the audit log, each under its user.
    let acts = audit_actions(&mut a);
    assert_eq!(acts[0].0, "unlock");
    assert_eq!(acts[1].0, "lock");
    assert_ne!(acts[0].1, acts[1].1);
}

#[test]
fn up_and_down_choose_the_user_without_leaving_the_passphrase() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    ctrl(&mut a, 'l');
    let before = screen(&mut a, 80, 24);
    key(&mut a, KeyCode::Down);
    let after = screen(&mut a, 80, 24);
    assert!(before.contains("< duty-officer >"), "{before}");
    assert!(!after.contains("< duty-officer >"), "{after}");
    // The passphrase is still where the typing goes.
    key(&mut a, KeyCode::Up);
    type_text(&mut a, "duty-officer test passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(!a.is_locked(), "{:?}", a.status);
}

#[test]
fn the_user_who_locked_finds_everything_as_they_left_it() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Half");
    ctrl(&mut a, 'l');
    // A wrong passphrase keeps it locked.
    type_text(&mut a, "not my passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(a.is_locked());
    type_text(&mut a, "duty-officer test passphrase");
    key(&mut a, KeyCode::Enter);
    assert!(!a.is_locked(), "{:?}", a.status);
    assert!(session(&mut a)
        .view::<PersonFormScreen>()
        .is_some_and(|f| f.form.value("given_name").as_deref() == Some("Half")));
}

#[test]
fn quitting_from_the_lock_and_unlock_screens_takes_the_key_twice() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    ctrl(&mut a, 'l');
    key(&mut a, KeyCode::Esc);
    assert!(!a.quit, "one stray esc must not close dutydesk");
    assert!(
        a.status.as_ref().unwrap().text.contains("again to quit"),
        "{:?}",
        a.status
    );
    key(&mut a, KeyCode::Esc);
    assert!(a.quit);

    let mut a = app(&dir, "duty-officer");
    key(&mut a, KeyCode::Esc);
    assert!(!a.quit);
    // Typing in between disarms it.
    type_text(&mut a, "x");
    key(&mut a, KeyCode::Esc);
    assert!(!a.quit);
    key(&mut a, KeyCode::Esc);
    assert!(a.quit);
}

#[test]
fn no_key_acts_while_the_window_is_too_small() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    let text = screen(&mut a, 50, 12);
    assert!(text.contains("too small"), "{text}");
    type_text(&mut a, "n");
    assert!(session(&mut a).views.is_empty(), "n opened a form nobody could see");
    assert!(a.status.as_ref().unwrap().text.contains("too small"));
    // Big enough again: keys work.
    screen(&mut a, 80, 24);
    type_text(&mut a, "n");
    assert_eq!(session(&mut a).views.len(), 1);
}
