//! Bringing a charity's spreadsheet in: every validation failure reported by row, dates in
//! UK order and as Excel serials, duplicates in the sheet and on file under each policy, a
//! dry run that changes nothing, a re-run after fixing, one audit entry with the counts,
//! notices due for details from someone else, and saved mappings. The fixtures (CSV, and
//! XLSX written with rust_xlsxwriter) are made by the tests; every person is invented.

mod common;

use common::*;
use dutydesk::domain::import::Target;
use dutydesk::domain::import_plan::{DuplicatePolicy, Mapping, Sheet};
use dutydesk::domain::{Category, Role};
use dutydesk::store::import::{ImportSettings, RowStatus};
use dutydesk::store::Store;
use std::path::{Path, PathBuf};

fn write_csv(dir: &Path, name: &str, rows: &[&[&str]]) -> PathBuf {
    let path = dir.join(name);
    let mut w = csv::Writer::from_path(&path).unwrap();
    for r in rows {
        w.write_record(*r).unwrap();
    }
    w.flush().unwrap();
    path
}

fn settings(
    store: &Store,
    sheet: &Sheet,
    category: Category,
    from: Option<&str>,
    policy: DuplicatePolicy,
) -> ImportSettings {
    ImportSettings {
        mapping: store.mapping_for(&sheet.headers).unwrap().0,
        category: Some(category),
        obtained_from: from.map(String::from),
        policy,
    }
}

fn statuses(check: &dutydesk::store::import::ImportCheck) -> Vec<(usize, RowStatus)> {
    check.rows.iter().map(|r| (r.row, r.status)).collect()
}

/// Asserts that row `i` of the report says `words`.
fn says(check: &dutydesk::store::import::ImportCheck, i: usize, words: &str) {
    let message = &check.rows[i].message;
    assert!(
        message.contains(words),
        "row {}: {message:?} should say {words:?}",
        check.rows[i].row
    );
}

fn audit_count(store: &Store) -> i64 {
    store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

const HEADERS: &[&str] = &[
    "Name",
    "Tel",
    "Email",
    "Address 1",
    "Town",
    "Post code",
    "DOB",
    "Organisation",
];

#[test]
fn every_row_that_cannot_come_in_says_why_by_its_row_number() {
    let (tmp, _dir, store) = new_case_file();
    #[rustfmt::skip]
    let table: &[(&[&str], &str)] = &[
        (&["Mrs Edna Testperson", "01295 111222", "", "1 High St", "Banbury", "OX17 2AB", "25/12/1940", ""], ""),
        (&["", "01295 111223", "", "", "", "", "", ""], "Given name"),
        (&["Frank Synthetic", "12", "", "", "", "", "", ""], "Phone"),
        (&["Gina Sample", "", "gina-at-example", "", "", "", "", ""], "Email"),
        (&["Harry Fixture", "", "", "", "", "XX1", "", ""], "Postcode"),
        (&["Ivy Madeup", "", "", "", "", "", "12/25/1960", ""], "month first"),
        (&["Jack Invented", "", "", "", "", "", "31/02/1960", ""], "Date of birth"),
        (&["Kate Notreal", "", "", "", "", "", "01/01/2030", ""], "Date of birth"),
        (&["Liam Pretend", "", "", "", "", "", "", "Acme Ltd"], "does not collect an organisation"),
    ];
    let mut rows: Vec<&[&str]> = vec![HEADERS];
    rows.extend(table.iter().map(|(r, _)| *r));
    let path = write_csv(tmp.path(), "clients.csv", &rows);
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let check = store
        .check_import(
            &sheet,
            &settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Skip),
        )
        .unwrap();
    for ((cells, want), report) in table.iter().zip(&check.rows) {
        if want.is_empty() {
            assert_eq!(report.status, RowStatus::New, "{cells:?}: {}", report.message);
        } else {
            assert_eq!(report.status, RowStatus::Problem, "{cells:?}");
            assert!(
                report.message.contains(want),
                "{cells:?}: {} should say {want}",
                report.message
            );
        }
    }
    assert_eq!(
        check.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        (2..=10).collect::<Vec<_>>()
    );
    assert_eq!(check.counts.problem, table.len() - 1);
}

#[test]
fn a_dry_run_changes_nothing_and_a_fixed_rerun_imports_in_one_change() {
    let (tmp, dir, store) = new_case_file();
    let rows: &[&[&str]] = &[
        HEADERS,
        &[
            "Mrs Edna Testperson",
            "01295 111222",
            "",
            "1 High St",
            "Banbury",
            "OX17 2AB",
            "25/12/1940",
            "",
        ],
        &["Frank Synthetic", "12", "", "", "", "", "", ""],
        &["Gina Sample", "01295 333444", "gina@example.org", "", "", "", "", ""],
    ];
    let path = write_csv(tmp.path(), "clients.csv", rows);
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let s = settings(
        &store,
        &sheet,
        Category::Client,
        Some("Banbury social services list"),
        DuplicatePolicy::Skip,
    );
    let people = store.count_people().unwrap();
    let entries = audit_count(&store);
    let check = store.check_import(&sheet, &s).unwrap();
    assert_eq!(check.counts.problem, 1);
    assert_eq!(check.counts.notices_due, 2);
    assert_eq!(store.count_people().unwrap(), people, "a check writes no one");
    assert_eq!(audit_count(&store), entries, "a check writes no audit entry");
    drop(store);

    // The user puts row 3 right and runs again.
    let mut fixed: Vec<&[&str]> = rows.to_vec();
    fixed[2] = &["Frank Synthetic", "01295 555666", "", "", "", "", "", ""];
    let path = write_csv(tmp.path(), "clients.csv", &fixed);
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let mut store = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
    let entries = audit_count(&store);
    let mut seen = Vec::new();
    let done = store.import(&sheet, &s, &mut |n, total| seen.push((n, total))).unwrap();
    assert_eq!(done.counts.new, 3);
    assert_eq!(done.counts.notices_due, 3);
    assert_eq!(seen.last(), Some(&(3, 3)), "the progress reaches the end");
    assert_eq!(store.count_people().unwrap(), people + 3);
    let due: Vec<i64> = store.pending_notices().unwrap().iter().map(|n| n.person_id).collect();
    for r in &done.rows {
        let id = r.person_id.expect("each new person's id is reported");
        assert!(
            due.contains(&id),
            "a notice is due for #{id}: their details came from someone else"
        );
    }
    assert_eq!(audit_count(&store), entries + 1, "one audit entry for the whole import");
    drop(store);

    // The same sheet again finds everyone on file: nothing to do, and nothing written.
    let mut store = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
    let again = store.import(&sheet, &s, &mut |_, _| {});
    assert!(again.unwrap_err().to_string().contains("No row"));
    let check = store.check_import(&sheet, &s).unwrap();
    assert!(
        check.rows.iter().all(|r| r.status == RowStatus::Skip),
        "{:?}",
        statuses(&check)
    );
}

#[test]
fn xlsx_dates_serials_and_numbers_read_as_a_spreadsheet_holds_them() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("members.xlsx");
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Read me first").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Members").unwrap();
    for (c, h) in ["First name", "Surname", "Mobile", "Date of birth", "Type"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    // A cell the spreadsheet stores as a date.
    sheet.write_string(1, 0, "Ada").unwrap();
    sheet.write_string(1, 1, "Testwoman").unwrap();
    sheet.write_number(1, 2, 7700900123.0).unwrap(); // the leading 0 lost as a number
    sheet
        .write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(1950, 3, 14).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 4, "Client").unwrap();
    // A bare serial number, and a UK text date.
    sheet.write_string(2, 0, "Bob").unwrap();
    sheet.write_string(2, 1, "Testman").unwrap();
    sheet.write_number(2, 3, 14970.0).unwrap();
    sheet.write_string(3, 0, "Cy").unwrap();
    sheet.write_string(3, 1, "Testperson").unwrap();
    sheet.write_string(3, 3, "05/06/1970").unwrap();
    sheet.write_string(3, 4, "Client, volunteer").unwrap();
    book.save(&path).unwrap();

    assert_eq!(
        dutydesk::spreadsheet::sheet_names(&path).unwrap(),
        vec!["Notes", "Members"]
    );
    let sheet = dutydesk::spreadsheet::read(&path, Some("members")).unwrap();
    let (_tmp2, _dir, mut store) = new_case_file();
    let s = settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Skip);
    let done = store.import(&sheet, &s, &mut |_, _| {}).unwrap();
    assert_eq!(done.counts.new, 3, "{:?}", done.rows);
    assert_eq!(done.counts.notices_due, 0, "they gave their own details");
    let person = |r: usize| store.person(done.rows[r].person_id.unwrap()).unwrap();
    let ada = person(0);
    assert_eq!(ada.record.date_of_birth, chrono::NaiveDate::from_ymd_opt(1950, 3, 14));
    assert_eq!(ada.record.phones, vec!["07700 900123".to_string()]);
    assert_eq!(
        person(1).record.date_of_birth,
        chrono::NaiveDate::from_ymd_opt(1940, 12, 25)
    );
    let cy = person(2);
    assert_eq!(
        cy.record.date_of_birth,
        chrono::NaiveDate::from_ymd_opt(1970, 6, 5),
        "day first"
    );
    assert_eq!(cy.record.categories, vec![Category::Client, Category::Volunteer]);
    assert!(dutydesk::spreadsheet::read(&path, Some("Rota"))
        .unwrap_err()
        .contains("\"Notes\", \"Members\""));
}

#[test]
fn duplicates_in_the_sheet_and_on_file_follow_the_chosen_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let rows: &[&[&str]] = &[
        &["Name", "Phone", "Email", "Postcode"],
        // On file already with this phone; the row adds an email.
        &["Edna Testperson", "01295 111222", "edna@example.org", ""],
        // Repeats the row above: the same name and email.
        &["Edna Testperson", "", "EDNA@example.org", ""],
        // Someone new.
        &["Frank Synthetic", "01295 999888", "", "OX16 1AA"],
    ];
    let path = write_csv(tmp.path(), "list.csv", rows);
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    for (policy, first, people_after) in [
        (DuplicatePolicy::Skip, RowStatus::Skip, 2),
        (DuplicatePolicy::Fill, RowStatus::Fill, 2),
        (DuplicatePolicy::Update, RowStatus::Update, 2),
        (DuplicatePolicy::Create, RowStatus::New, 4),
    ] {
        let (_t, _dir, mut store) = new_case_file();
        let mut on_file = record("Edna", "Testperson", &[Category::Client]);
        on_file.phones = vec!["01295 111222".into()];
        let edna = add(&mut store, &on_file);
        let s = settings(&store, &sheet, Category::Client, None, policy);
        let check = store.check_import(&sheet, &s).unwrap();
        let want_second = if policy == DuplicatePolicy::Create {
            RowStatus::New
        } else {
            RowStatus::Repeat
        };
        assert_eq!(
            statuses(&check),
            vec![(2, first), (3, want_second), (4, RowStatus::New)],
            "{policy:?}"
        );
        if first != RowStatus::New {
            assert_eq!(check.rows[0].person_id, Some(edna));
            assert!(check.rows[0].message.contains(&format!("#{edna}")));
        }
        store.import(&sheet, &s, &mut |_, _| {}).unwrap();
        assert_eq!(store.count_people().unwrap(), people_after, "{policy:?}");
        let email = store.person(edna).unwrap().record.email;
        let want =
            matches!(policy, DuplicatePolicy::Fill | DuplicatePolicy::Update).then(|| "edna@example.org".to_string());
        assert_eq!(email, want, "{policy:?}");
    }
}

#[test]
fn a_match_the_role_may_not_see_is_left_out_without_naming_anyone() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let mut hidden = record("Edna", "Testperson", &[Category::Client]);
    hidden.phones = vec!["01295 111222".into()];
    let id = add(&mut store, &hidden);
    // Restricted as a decided restriction request leaves it (tests/requests.rs covers how).
    store
        .raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [id])
        .unwrap();
    drop(store);
    let path = write_csv(
        tmp.path(),
        "list.csv",
        &[&["Name", "Phone"], &["Edna Testperson", "01295 111222"]],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let store = unlock_as(&dir, Role::DutyOfficer);
    for policy in DuplicatePolicy::ALL {
        let s = settings(&store, &sheet, Category::Client, None, policy);
        let check = store.check_import(&sheet, &s).unwrap();
        assert_eq!(check.rows[0].status, RowStatus::Skip, "{policy:?}");
        assert_eq!(check.rows[0].person_id, None);
        assert!(check.rows[0].message.contains("data protection lead"));
        assert!(!check.rows[0].message.contains(&format!("#{id}")));
    }
}

#[test]
fn a_shared_landline_is_not_the_same_person_and_two_rows_never_change_one_person() {
    let (tmp, _dir, mut store) = new_case_file();
    let mut fred = record("Fred", "Stone", &[Category::Client]);
    fred.phones = vec!["01632 960777".into()];
    fred.email = Some("fred@example.org".into());
    let fred = add(&mut store, &fred);
    let path = write_csv(
        tmp.path(),
        "stones.csv",
        &[
            &["Name", "Tel", "Email", "DOB", "Address"],
            // His wife, on the same landline: someone else.
            &["Mrs Edna Stone", "01632 960777", "", "", ""],
            // Fred twice, by phone and by email, each adding something.
            &["Fred Stone", "01632 960777", "", "01/02/1940", ""],
            &["Fred Stone", "", "fred@example.org", "", "1 Mill Lane"],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let s = settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Fill);
    let check = store.check_import(&sheet, &s).unwrap();
    assert_eq!(
        statuses(&check),
        vec![(2, RowStatus::New), (3, RowStatus::Fill), (4, RowStatus::Repeat)],
        "{:?}",
        check.rows
    );
    says(&check, 2, "as row 3");
    store.import(&sheet, &s, &mut |_, _| {}).unwrap();
    let on_file = store.person(fred).unwrap().record;
    assert_eq!(on_file.given_name, "Fred", "never renamed after his wife");
    assert_eq!(on_file.date_of_birth, chrono::NaiveDate::from_ymd_opt(1940, 2, 1));
    assert_eq!(store.search_all("Edna Stone").unwrap().len(), 1);
}

#[test]
fn a_role_is_matched_only_on_what_it_may_see() {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let mut ann = record("Ann", "Bell", &[Category::Client]);
    ann.postcode = Some("OX17 6DL".into());
    let ann = add(&mut store, &ann);
    drop(store);
    let path = write_csv(
        tmp.path(),
        "list.csv",
        &[
            &["Name", "Postcode"],
            &["Ann Bell", "OX17 6DL"],
            &["Ann Bell", "OX17 6DM"],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let matrix = dutydesk::profile::AccessMatrix::new(&dutydesk::profile::parse(profile()).unwrap());
    for role in Role::ALL {
        let store = unlock_as(&dir, *role);
        let may =
            |g| dutydesk::profile::AccessMatrix::answers_rights(*role) || matrix.can_see(*role, &[Category::Client], g);
        if !store.may_import() || !may(dutydesk::domain::FieldGroup::Name) {
            continue;
        }
        let s = settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Skip);
        let check = store.check_import(&sheet, &s).unwrap();
        assert_eq!(check.rows[0].status, RowStatus::Skip, "{role:?}");
        if may(dutydesk::domain::FieldGroup::Address) {
            // It can compare postcodes: one row is Ann, the other a namesake elsewhere.
            assert!(check.rows[0].message.contains(&format!("Already on file as #{ann}")));
            assert_eq!(check.rows[1].status, RowStatus::New, "{role:?}");
        } else {
            // It may not see her postcode, so it learns nothing from it: both rows wait for
            // a person, in the same words.
            assert_eq!(check.rows[1].status, RowStatus::Skip, "{role:?}");
            assert!(check.rows[1].message.contains("may be the same person"));
            assert_eq!(check.rows[0].message, check.rows[1].message, "{role:?}");
        }
    }
}

#[test]
fn a_mapping_is_saved_by_name_and_offered_for_the_same_headers() {
    let (_tmp, _dir, mut store) = new_case_file();
    let headers: Vec<String> = ["Client", "Tel. No.", "Shoe size"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (mut m, saved) = store.mapping_for(&headers).unwrap();
    assert_eq!(saved, None);
    assert_eq!(m.columns[0].1, None, "\"Client\" is not a header dutydesk knows");
    assert!(m.problem().is_some());
    m.set("Client=full_name").unwrap();
    store.save_mapping("referrals list", &m).unwrap();
    let (again, saved) = store.mapping_for(&headers).unwrap();
    assert_eq!(saved.as_deref(), Some("referrals list"));
    assert_eq!(again.columns[0].1, Some(Target::FullName));
    let other: Vec<String> = vec!["Client".into()];
    assert_eq!(store.mapping_for(&other).unwrap().1, None);
    assert_eq!(store.mappings().unwrap().len(), 1);
    assert_eq!(Mapping::guessed(&other).columns.len(), 1);
}

#[test]
fn the_perinatal_charity_imports_mums_in_its_own_words() {
    let perinatal = dutydesk::profile::builtin_example("perinatal-peer-support").unwrap();
    let (tmp, _dir, mut store) = new_case_file_with(&perinatal);
    let path = write_csv(
        tmp.path(),
        "mums.csv",
        &[
            &["Name", "Mobile", "Type", "Referred by"],
            &["Ana Testmum", "07700 900111", "Mum", "Health visitor"],
            &["Bea Testdonor", "", "Donor", ""],
            &["Cat Testperson", "07700 900333", "Helper", ""],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let s = ImportSettings {
        mapping: store.mapping_for(&sheet.headers).unwrap().0,
        category: None,
        obtained_from: None,
        policy: DuplicatePolicy::Skip,
    };
    let check = store.check_import(&sheet, &s).unwrap();
    assert_eq!(
        statuses(&check),
        vec![(2, RowStatus::New), (3, RowStatus::New), (4, RowStatus::Problem)],
        "{:?}",
        check.rows
    );
    assert!(
        check.rows[2].message.contains("Mum"),
        "the refusal lists the charity's words"
    );
    assert!(!check.rows[2].message.contains("Volunteer's referee"));
    let done = store.import(&sheet, &s, &mut |_, _| {}).unwrap();
    assert_eq!(
        done.counts.notices_due, 1,
        "only the mum referred by her health visitor"
    );
}

#[test]
fn next_of_kin_and_the_rota_come_in_as_links_between_people_on_file() {
    use dutydesk::domain::RelationKind;
    use dutydesk::store::import_links::LinkSettings;
    let (tmp, _dir, mut store) = new_case_file();
    let people = write_csv(
        tmp.path(),
        "people.csv",
        &[
            &["Name", "Tel", "Type", "Next of kin", "Relationship"],
            &[
                "Edna Testperson",
                "01295 111222",
                "Client",
                "Mary Testdaughter",
                "Daughter",
            ],
            &[
                "Gina Sample",
                "01295 333444",
                "Client",
                "Frank Synthetic",
                "Second cousin",
            ],
            &["Mary Testdaughter", "07700 900555", "Relative", "", ""],
            &["Frank Synthetic", "07700 900123", "Volunteer", "", ""],
            &["Ann Twin", "07700 900201", "Volunteer", "", ""],
            &["Ann Twin", "07700 900202", "Volunteer", "", ""],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&people, None).unwrap();
    let mut s = settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Skip);
    s.mapping.set("Next of kin=none").unwrap();
    s.mapping.set("Relationship=none").unwrap();
    let done = store.import(&sheet, &s, &mut |_, _| {}).unwrap();
    assert_eq!(done.counts.new, 6);
    let id = |r: usize| done.rows[r].person_id.unwrap();
    let (edna, gina, mary, frank) = (id(0), id(1), id(2), id(3));

    // The next of kin, from a column of the same sheet; the clients told us of them.
    let nok = LinkSettings {
        from: "Name".into(),
        to: "Next of kin".into(),
        kind: RelationKind::NextOfKin,
        services: vec![],
        services_column: None,
        relation_column: Some("Relationship".into()),
        obtained_from: Some("the clients themselves".into()),
    };
    let before = store.pending_notices().unwrap().len();
    let check = store.check_links(&sheet, &nok).unwrap();
    says(&check, 1, "\"Second cousin\" is not a relationship");
    let linked = store.import_links(&sheet, &nok, &mut |_, _| {}).unwrap();
    assert_eq!(linked.counts.new, 1);
    assert_eq!(linked.counts.notices_due, 1);
    assert_eq!(
        store.pending_notices().unwrap().len(),
        before + 1,
        "Mary is owed a notice"
    );
    let rels = store.person(edna).unwrap().relationships;
    let to_mary = rels.iter().find(|r| r.other_id == mary).expect("Edna's next of kin");
    assert_eq!(to_mary.relation.as_deref(), Some("daughter"), "as the profile words it");
    let again = store.check_links(&sheet, &nok).unwrap();
    assert_eq!(again.rows[0].status, RowStatus::Skip, "already linked");

    // The rota, from another sheet: by name, phone and id; a shared name is refused with ids.
    let rota = write_csv(
        tmp.path(),
        "rota.csv",
        &[
            &["Client", "Volunteer", "Service"],
            &["Edna Testperson", "Frank Synthetic", "Practical help"],
            &[&format!("#{gina}"), "07700 900123", "practical help"],
            &["Gina Sample", "Ann Twin", "Practical help"],
            &["Nobody Known", "Frank Synthetic", "Practical help"],
            &["Edna Testperson", "07700 900123", "Practical help"],
            &["Gina Sample", "", ""],
            &["Edna Testperson", "Mary Testdaughter", "Practical help"],
            &["Gina Sample", "Frank Synthetic", "Knitting"],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&rota, None).unwrap();
    let assign = LinkSettings {
        from: "Client".into(),
        to: "Volunteer".into(),
        kind: RelationKind::AssignedVolunteer,
        services: vec![],
        services_column: Some("Service".into()),
        relation_column: None,
        obtained_from: None,
    };
    let check = store.check_links(&sheet, &assign).unwrap();
    assert_eq!(
        statuses(&check),
        vec![
            (2, RowStatus::New),
            (3, RowStatus::New),
            (4, RowStatus::Problem),
            (5, RowStatus::Problem),
            (6, RowStatus::Repeat),
            (7, RowStatus::Skip),
            (8, RowStatus::Problem),
            (9, RowStatus::Repeat),
        ],
        "{:?}",
        check.rows
    );
    says(&check, 2, "2 people on file have the name");
    assert!(check.rows[2].message.contains(&format!("#{}", id(4))));
    assert!(check.rows[3].message.contains("No one you may see"));
    says(&check, 6, "Only a volunteer");
    let done = store.import_links(&sheet, &assign, &mut |_, _| {}).unwrap();
    assert_eq!(done.counts.new, 2);
    let rels = store.person(frank).unwrap().relationships;
    assert_eq!(rels.len(), 2, "Frank is Edna's and Gina's volunteer: {rels:?}");
}

#[test]
fn an_update_adds_numbers_and_categories_says_so_and_never_renames() {
    let (tmp, _dir, mut store) = new_case_file();
    let mut edna = record("Edna", "Testperson", &[Category::Volunteer]);
    edna.phones = vec!["01295 111222".into()];
    edna.email = Some("edna@example.org".into());
    let edna = add(&mut store, &edna);
    let keith = add(&mut store, &record("Keith", "Adams", &[Category::Client]));
    let path = write_csv(
        tmp.path(),
        "clients.csv",
        &[
            &["Name", "Tel", "Email", "Address", "DOB"],
            &["EDNA TESTPERSON", "07700 900123", "edna@example.org", "", ""],
            // Another Keith Adams, perhaps: only an address and a birthday to go by.
            &["Keith Adams", "", "", "9 Nowhere Lane", "01/02/1990"],
            // Only a name: the one on file.
            &["keith adams", "", "", "", ""],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let s = settings(&store, &sheet, Category::Client, None, DuplicatePolicy::Update);
    let check = store.check_import(&sheet, &s).unwrap();
    assert_eq!(
        statuses(&check),
        vec![(2, RowStatus::Update), (3, RowStatus::Skip), (4, RowStatus::Skip)],
        "{:?}",
        check.rows
    );
    says(&check, 0, "will update phones; will be filed as a client as well");
    says(&check, 1, "may be the same person");
    assert!(
        check.rows[2].message.contains(&format!("Already on file as #{keith}")),
        "{}",
        check.rows[2].message
    );
    store.import(&sheet, &s, &mut |_, _| {}).unwrap();
    let after = store.person(edna).unwrap().record;
    assert_eq!(after.given_name, "Edna", "the name on file stands");
    assert_eq!(
        after.phones,
        vec!["01295 111222".to_string(), "07700 900123".to_string()],
        "no number lost"
    );
    assert_eq!(after.categories, vec![Category::Client, Category::Volunteer]);
}

#[test]
fn a_links_sheet_finds_people_only_by_what_the_role_may_see() {
    use dutydesk::domain::{FieldGroup, RelationKind};
    use dutydesk::profile::AccessMatrix;
    use dutydesk::store::import_links::LinkSettings;
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let mut mary = record("Mary", "O'Brien", &[Category::Relative]);
    mary.phones = vec!["07700 900555".into()];
    add(&mut store, &mary);
    add(&mut store, &record("Edna", "Testperson", &[Category::Client]));
    drop(store);
    let path = write_csv(
        tmp.path(),
        "kin.csv",
        &[
            &["Client", "Next of kin"],
            &["Edna Testperson", "07700 900555"],
            &["Edna Testperson", "Mary O\u{2019}Brien"],
        ],
    );
    let sheet = dutydesk::spreadsheet::read(&path, None).unwrap();
    let kin = LinkSettings {
        from: "Client".into(),
        to: "Next of kin".into(),
        kind: RelationKind::NextOfKin,
        services: vec![],
        services_column: None,
        relation_column: None,
        obtained_from: None,
    };
    let matrix = AccessMatrix::new(&dutydesk::profile::parse(profile()).unwrap());
    let mut checked = 0;
    for role in Role::ALL {
        let may = |c: Category, g| AccessMatrix::answers_rights(*role) || matrix.can_see(*role, &[c], g);
        if !may(Category::Client, FieldGroup::Name) || !may(Category::Relative, FieldGroup::Name) {
            continue;
        }
        let store = unlock_as(&dir, *role);
        let check = store.check_links(&sheet, &kin).unwrap();
        // By phone only where the role may see her phone; by name (curly apostrophe and all)
        // wherever it may see her name.
        let by_phone = if may(Category::Relative, FieldGroup::Phone) {
            RowStatus::New
        } else {
            RowStatus::Problem
        };
        assert_eq!(statuses(&check)[0], (2, by_phone), "{role:?}: {:?}", check.rows[0]);
        assert_ne!(
            check.rows[1].status,
            RowStatus::Problem,
            "{role:?}: {:?}",
            check.rows[1]
        );
        checked += 1;
    }
    assert!(checked > 1);
}
