//! The Laptops screen, driven by keys: a merge conflict reaches the handover of a role that may
//! see it and is resolved there; bundles are written and taken in; a laptop is made on the hub.
//! The case files are checked afterwards.

mod common;

use common::sync::*;
use common::*;
use dutydesk::domain::Role;
use dutydesk::store::datadir::DataDir;
use dutydesk::store::Store;
use dutydesk::tui::app::App;
use ratatui::crossterm::event::KeyCode;

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn email(store: &Store, id: i64) -> Option<String> {
    store.person(id).unwrap().record.email
}

/// Filters the handover until it shows the merge conflicts alone.
fn filter_to_merge(a: &mut App) {
    for _ in 0..15 {
        if screen(a, 80, 24).contains("Merge conflicts only") {
            return;
        }
        type_text(a, "f");
    }
    panic!("no merge conflict on the handover:\n{}", screen(a, 80, 24));
}

#[test]
fn a_conflict_reaches_the_handover_and_is_resolved_from_the_laptops_screen() {
    let mut p = pair();
    email_conflict(&mut p);
    let c = p.client;
    let hub_dir = p.hub_dir.clone();
    drop(p.hub);

    // A DBS officer does not receive clients' email addresses: nothing on their handover.
    let mut dbs = unlocked_app(&hub_dir, Role::DbsOfficer);
    assert!(!screen(&mut dbs, 80, 24).contains("Merge"));
    drop(dbs);

    let mut a = unlocked_app(&hub_dir, Role::DutyOfficer);
    filter_to_merge(&mut a);
    let handover = screen(&mut a, 80, 24);
    assert!(
        handover.contains("Ada Quill") && handover.contains("Merge conflict"),
        "{handover}"
    );
    key(&mut a, KeyCode::Enter);
    let shown = screen(&mut a, 80, 24).replace(&hub_dir.root().display().to_string(), "<data>");
    insta::assert_snapshot!("laptops_conflict_80x24", shown);
    insta::assert_snapshot!("laptops_conflict_120x40", screen(&mut a, 120, 40));

    // t: the laptop's value is taken.
    type_text(&mut a, "t");
    assert_eq!(status(&a), "Email address of Ada Quill: laptop 1's value taken.");
    assert!(screen(&mut a, 80, 24).contains("Merge conflicts waiting: 0"));
    drop(a);
    let store = Store::unlock(
        &hub_dir,
        &login_for(Role::DutyOfficer),
        &pass_for(Role::DutyOfficer),
        clock(),
    )
    .unwrap();
    assert_eq!(email(&store, c).as_deref(), Some("laptop@example.org"));
    assert!(store.conflicts().unwrap().is_empty());
    let audited: i64 = store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'sync_conflict' AND fields = 'resolution'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_typed_value_resolves_a_conflict_and_a_bad_one_is_refused_on_the_field() {
    let mut p = pair();
    email_conflict(&mut p);
    let c = p.client;
    let hub_dir = p.hub_dir.clone();
    drop(p.hub);
    let mut a = unlocked_app(&hub_dir, Role::DataProtectionLead);
    type_text(&mut a, "L");
    type_text(&mut a, "e");
    // The form starts from this laptop's value.
    for _ in 0.."hub@example.org".len() {
        key(&mut a, KeyCode::Backspace);
    }
    type_text(&mut a, "no at sign");
    ctrl(&mut a, 's');
    assert!(screen(&mut a, 80, 24).to_lowercase().contains("email"));
    for _ in 0.."no at sign".len() {
        key(&mut a, KeyCode::Backspace);
    }
    type_text(&mut a, "ada.right@example.org");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("resolved"), "{}", status(&a));
    drop(a);
    let store = Store::unlock(&hub_dir, &login_for(Role::DataProtectionLead), &lead_pass(), clock()).unwrap();
    assert_eq!(email(&store, c).as_deref(), Some("ada.right@example.org"));
    // The search index follows.
    let hits: Vec<i64> = store
        .search("ada.right", 5)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, vec![c]);
}

#[test]
fn bundles_are_written_and_taken_in_from_the_laptops_screen() {
    let mut p = pair();
    let c = p.client;
    set(&mut p.hub, c, |r| r.postcode = Some("NN5 5EE".into()));
    let (hub_dir, laptop_dir, stick) = (p.hub_dir.clone(), p.laptop_dir.clone(), p.stick.clone());
    drop(p.hub);
    drop(p.laptop);

    // On the hub: E, the stick's folder, save.
    let mut hub = unlocked_app(&hub_dir, Role::DutyOfficer);
    type_text(&mut hub, "L");
    type_text(&mut hub, "E");
    for _ in 0..200 {
        key(&mut hub, KeyCode::Backspace);
    }
    type_text(&mut hub, &stick.display().to_string());
    ctrl(&mut hub, 's');
    assert!(status(&hub).contains("Written"), "{}", status(&hub));
    drop(hub);
    let bundle = std::fs::read_dir(&stick)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "ddsync"))
        .unwrap();

    // On the laptop: U, the bundle, a wrong passphrase (refused), then the right one.
    let mut laptop = unlocked_app(&laptop_dir, Role::DutyOfficer);
    type_text(&mut laptop, "L");
    type_text(&mut laptop, "U");
    type_text(&mut laptop, &bundle.display().to_string());
    key(&mut laptop, KeyCode::Tab);
    type_text(&mut laptop, "not my passphrase");
    ctrl(&mut laptop, 's');
    assert!(status(&laptop).contains("passphrase"), "{}", status(&laptop));
    type_text(&mut laptop, "U");
    type_text(&mut laptop, &bundle.display().to_string());
    key(&mut laptop, KeyCode::Tab);
    type_text(&mut laptop, &pass_for(Role::DutyOfficer));
    ctrl(&mut laptop, 's');
    assert!(
        status(&laptop).contains("Merged bundle 1 from the hub"),
        "{}",
        status(&laptop)
    );
    drop(laptop);
    let store = Store::unlock(
        &laptop_dir,
        &login_for(Role::DutyOfficer),
        &pass_for(Role::DutyOfficer),
        clock(),
    )
    .unwrap();
    assert_eq!(store.person(c).unwrap().record.postcode.as_deref(), Some("NN5 5EE"));
}

#[test]
fn the_lead_makes_a_laptop_on_the_hub_and_nowhere_else() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    drop(store);
    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "L");
    assert!(screen(&mut a, 80, 24).contains("No other laptop yet"));
    type_text(&mut a, "A");
    type_text(&mut a, "Rota laptop");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, &stick.display().to_string());
    ctrl(&mut a, 's');
    assert!(status(&a).contains("Laptop 1 made"), "{}", status(&a));
    assert!(screen(&mut a, 80, 24).contains("Laptop 1 (Rota laptop)"));
    drop(a);
    let laptop_dir = DataDir::new(stick.join("dutydesk-laptop1"));
    let mut laptop = unlocked_app(&laptop_dir, Role::DataProtectionLead);
    type_text(&mut laptop, "L");
    let shown = screen(&mut laptop, 80, 24);
    assert!(shown.contains("This is laptop 1"), "{shown}");
    // No "add laptop" off the hub.
    type_text(&mut laptop, "A");
    assert!(!screen(&mut laptop, 80, 24).contains("Add a laptop"));
    // A duty officer is not offered it on the hub either.
    let mut duty = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut duty, "L");
    type_text(&mut duty, "A");
    assert!(!screen(&mut duty, 80, 24).contains("Add a laptop"));
}
