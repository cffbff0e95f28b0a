//! Bringing a spreadsheet in at the keyboard, with the case file checked afterwards: the file
//! asked for, the columns shown with samples and changed with Left/Right, who gave the details
//! typed in, a check that lists the row to put right, the fixed sheet checked again, the
//! report written beside it, and the import as one change with notices due and the mapping
//! saved for next time. Snapshots of both screens at 80x24. Everyone is invented.

mod common;

use common::*;
use dutydesk::domain::Role;
use dutydesk::store::Store;
use ratatui::crossterm::event::KeyCode;

const SHEET: &str = "Name,Tel,DOB,Shoe size\n\
Mrs Edna Testperson,01295 111222,25/12/1940,7\n\
Frank Synthetic,12,12/25/1960,9\n\
Gina Sample,01295 333444,,8\n";

/// `T` on the handover, and the spreadsheet's path.
fn open_import(a: &mut dutydesk::tui::app::App, sheet: &std::path::Path) {
    type_text(a, "T");
    type_text(a, &sheet.display().to_string());
    key(a, KeyCode::Enter);
}

/// On the import screen: who gave the people's details (the fourth line, Enter, typed).
fn details_came_from(a: &mut dutydesk::tui::app::App, who: &str) {
    key(a, KeyCode::Home);
    for _ in 0..3 {
        key(a, KeyCode::Down);
    }
    key(a, KeyCode::Enter);
    type_text(a, who);
    ctrl(a, 's');
}

fn status(app: &dutydesk::tui::app::App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn a_spreadsheet_is_checked_put_right_and_imported_from_the_handover() {
    let (tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    drop(lead);
    let sheet = tmp.path().join("clients.csv");
    std::fs::write(&sheet, SHEET).unwrap();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    open_import(&mut a, &sheet);
    let shown = screen(&mut a, 80, 24);
    assert!(shown.contains("Import clients.csv: columns guessed"), "{shown}");
    assert!(shown.contains("Shoe size -> (left out)        e.g. 7 | 9"), "{shown}");
    insta::assert_snapshot!("import_screen_80x24", shown);

    // Shoe size is not kept: Right on its line would map it; Left twice comes back round.
    key(&mut a, KeyCode::End);
    key(&mut a, KeyCode::Right);
    assert!(screen(&mut a, 80, 24).contains("Shoe size -> Title"));
    key(&mut a, KeyCode::Left);
    assert!(screen(&mut a, 80, 24).contains("Shoe size -> (left out)"));

    // The details came from social services: a notice will be due for each.
    details_came_from(&mut a, "Banbury social services list");
    assert!(screen(&mut a, 80, 24).contains("Details came from  Banbury social services list"));

    // The check lists the row to put right and changes nothing.
    type_text(&mut a, "c");
    let shown = screen(&mut a, 80, 24);
    assert!(shown.contains("Row 3: problem: Date of birth"), "{shown}");
    insta::assert_snapshot!("import_check_80x24", shown);
    type_text(&mut a, "w");
    let report = tmp.path().join("clients-report.csv");
    assert!(std::fs::read_to_string(&report).unwrap().contains("3,problem,,"));
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    assert!(
        store.search_all("Testperson").unwrap().is_empty(),
        "the check filed no one"
    );
    drop(store);

    // Put right in the spreadsheet, checked again from the same screen, then imported.
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    open_import(&mut a, &sheet);
    details_came_from(&mut a, "Banbury social services list");
    std::fs::write(
        &sheet,
        SHEET.replace(
            "Frank Synthetic,12,12/25/1960",
            "Frank Synthetic,01295 555666,25/12/1960",
        ),
    )
    .unwrap();
    type_text(&mut a, "c");
    assert!(screen(&mut a, 80, 24).contains("3 can come in: 3 new, 3 privacy notices due"));
    type_text(&mut a, "W");
    type_text(&mut a, "y");
    let said = status(&a);
    assert!(said.contains("Imported: 3 new"), "{said}");
    assert!(said.contains(&format!("Now delete {}", sheet.display())), "{said}");
    drop(a);

    let store: Store = unlock_as(&dir, Role::DataProtectionLead);
    let found = store.search_all("Synthetic").unwrap();
    assert_eq!(found.len(), 1);
    let frank = store.person(found[0].id).unwrap();
    assert_eq!(frank.record.phones, vec!["01295 555666".to_string()]);
    assert_eq!(store.pending_notices().unwrap().len(), 3, "a notice due for each");
    let (mapping, saved) = store
        .mapping_for(&["Name", "Tel", "DOB", "Shoe size"].map(String::from))
        .unwrap();
    assert_eq!(saved.as_deref(), Some("clients"), "saved under the file's name");
    assert_eq!(mapping.columns[3].1, None);
}

#[test]
fn the_import_is_offered_to_exactly_the_roles_that_may_file_someone() {
    for (name, text) in every_profile() {
        let (_tmp, dir, mut lead) = new_case_file_with(&text);
        add_role_users(&mut lead);
        drop(lead);
        for role in Role::ALL {
            let may = unlock_as(&dir, *role).may_import();
            let mut a = unlocked_app(&dir, *role);
            type_text(&mut a, "?");
            let help = screen(&mut a, 120, 40);
            assert_eq!(
                help.contains("Bring people in from a spreadsheet"),
                may,
                "{name}, {role:?}: {help}"
            );
            assert!(may || *role != Role::DataProtectionLead, "{name}: the lead always may");
        }
    }
}

#[test]
fn next_of_kin_come_in_from_the_import_screen_as_links() {
    let (tmp, dir, mut lead) = new_case_file();
    let mut edna = dutydesk::domain::person::PersonForm {
        given_name: "Edna".into(),
        family_name: "Testperson".into(),
        categories: vec![dutydesk::domain::Category::Client],
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    edna.phones = vec!["01295 111222".into()];
    let edna = add(&mut lead, &edna);
    let mary = add(
        &mut lead,
        &record("Mary", "Testdaughter", &[dutydesk::domain::Category::Relative]),
    );
    drop(lead);
    let sheet = tmp.path().join("kin.csv");
    std::fs::write(
        &sheet,
        "Client,Next of kin\nEdna Testperson,Mary Testdaughter\nNobody Known,Mary Testdaughter\n",
    )
    .unwrap();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    open_import(&mut a, &sheet);
    // No column names people, and one names a kind of link: the sheet opens as links.
    let shown = screen(&mut a, 80, 24);
    assert!(
        shown.contains("Sheet holds        Links between people already on file"),
        "{shown}"
    );
    assert!(shown.contains("Second person      column \"Next of kin\""), "{shown}");
    insta::assert_snapshot!("import_links_80x24", shown);
    type_text(&mut a, "c");
    let shown = screen(&mut a, 80, 24);
    assert!(shown.contains("1 can come in: 1 new"), "{shown}");
    assert!(
        shown.contains("Row 3: problem: No one you may see on file has the name"),
        "{shown}"
    );
    type_text(&mut a, "W");
    type_text(&mut a, "y");
    assert!(status(&a).contains("Imported: 1 new"), "{}", status(&a));
    drop(a);
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let rels = store.person(edna).unwrap().relationships;
    assert!(rels.iter().any(|r| r.other_id == mary), "{rels:?}");
}
