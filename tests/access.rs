//! The access matrix, enforced by the store: for every role and every category of person,
//! what a read returns. Expectations are written out from the Good Neighbours notice.

mod common;

use common::*;
use dutydesk::domain::{Category, FieldGroup, Role};
use dutydesk::store::StoreError;

/// Whether `role` finds a person of `cat` at all (sees their name), per the notice.
fn expected_visible(role: Role, cat: Category) -> bool {
    use Category::*;
    use Role::*;
    if role == DataProtectionLead {
        return true;
    }
    match cat {
        Client => matches!(role, DutyOfficer | SectionLeader | Trustee),
        // Duty officers and section leaders are "other volunteers": name, phone, services.
        Volunteer => matches!(
            role,
            MembershipSecretary | Trustee | DbsOfficer | DutyOfficer | SectionLeader
        ),
        Relative => matches!(role, DutyOfficer | SectionLeader),
        Professional => matches!(role, DutyOfficer | SectionLeader),
        Friend => matches!(role, Trustee),
        ThirdParty => matches!(role, DutyOfficer | Trustee),
        Referee => matches!(role, MembershipSecretary | SectionLeader),
        EmergencyContact => matches!(role, DutyOfficer | SectionLeader | MembershipSecretary),
        // Not in the Good Neighbours notice: nobody is filed under them.
        Enquirer | GroupLeader => false,
    }
}

#[test]
fn every_role_sees_exactly_the_categories_the_notice_gives_it() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let mut ids = Vec::new();
    let defined = store.profile().category_keys();
    for (i, cat) in defined.iter().enumerate() {
        let rec = full_record(
            "Matrix",
            &format!("Person{}", "q".repeat(i + 1)),
            "07700 900100",
            "",
            "OX17 2AA",
            &[*cat],
        );
        ids.push((*cat, add(&mut store, &rec)));
    }
    drop(store);
    for role in Role::ALL {
        let store = unlock_as(&dir, *role);
        for (cat, id) in &ids {
            let got = store.person(*id);
            let want = expected_visible(*role, *cat);
            assert_eq!(got.is_ok(), want, "{role:?} reading a {cat:?}: {got:?}");
            if let Err(e) = got {
                assert!(matches!(e, StoreError::NotFound(..)));
            }
            let found = store.search("matrix", 50).unwrap().iter().any(|h| h.id == *id);
            assert_eq!(found, want, "{role:?} searching for a {cat:?}");
        }
    }
}

#[test]
fn criminal_offence_data_is_only_for_dbs_officers_and_trustees() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let vol = add(
        &mut store,
        &full_record(
            "Dbs",
            "Volunteer",
            "07700 900200",
            "",
            "OX17 2AB",
            &[Category::Volunteer],
        ),
    );
    drop(store);
    {
        let mut dbs = unlock_as(&dir, Role::DbsOfficer);
        let issue = chrono::NaiveDate::from_ymd_opt(2025, 1, 10).unwrap();
        let renew = chrono::NaiveDate::from_ymd_opt(2028, 1, 10).unwrap();
        dbs.add_dbs_check(vol, "Driver", "0012 3456 7890", issue, renew)
            .unwrap();
        let v = dbs.person(vol).unwrap();
        assert_eq!(v.dbs_checks.as_ref().map(Vec::len), Some(1));
        // A DBS officer does not receive the volunteer's health.
        assert!(!v.sees(FieldGroup::Health));
    }
    for role in Role::ALL {
        let store = unlock_as(&dir, *role);
        // Opening the record (the view the user asked for) is what is audited.
        let sees = match store.view_person(vol) {
            Ok(v) => v.dbs_checks.is_some(),
            Err(_) => false,
        };
        let want = matches!(role, Role::DbsOfficer | Role::Trustee);
        assert_eq!(sees, want, "{role:?} and criminal offence data");
    }
    // Every view of criminal offence data is audited.
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let views: i64 = store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'view_sensitive' AND entity = 'dbs_checks'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(views >= 2, "{views}");
    // A plain read (a reload after a change, a check before a write) records nothing.
    drop(store);
    let dbs = unlock_as(&dir, Role::DbsOfficer);
    let count = |s: &dutydesk::store::Store| -> i64 {
        s.raw_connection_for_tests()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&dbs);
    for _ in 0..3 {
        dbs.person(vol).unwrap();
    }
    assert_eq!(count(&dbs), before);
}

#[test]
fn a_duty_officer_never_gets_criminal_offence_data_for_any_category() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let cats: Vec<Category> = store.profile().category_keys();
    let id = add(
        &mut store,
        &full_record("Every", "Category", "07700 900300", "", "OX17 2AC", &cats),
    );
    drop(store);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let v = duty.person(id).unwrap();
    assert!(v.dbs_checks.is_none());
    assert!(!v.sees(FieldGroup::CriminalOffence));
}

#[test]
fn health_notes_are_revealed_only_with_a_reason_and_an_audit_entry() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let client = add(
        &mut store,
        &full_record("Health", "Client", "07700 900400", "", "OX17 2AD", &[Category::Client]),
    );
    drop(store);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.add_health_note(client, "Uses a walking frame").unwrap();
    let v = duty.person(client).unwrap();
    assert_eq!(v.health_notes, Some(1));
    assert!(duty.reveal_health(client, "").is_err());
    let notes = duty.reveal_health(client, "arranging a lift").unwrap();
    assert_eq!(notes[0].note, "Uses a walking frame");
    drop(duty);
    let dbs = unlock_as(&dir, Role::DbsOfficer);
    assert!(
        dbs.person(client).is_err(),
        "a DBS officer does not receive client records"
    );
}

#[test]
fn fields_a_role_may_not_see_are_empty_and_survive_its_edits() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    // A volunteer: the DBS officer receives name, address, phone and email, not correspondence.
    let mut rec = full_record(
        "Vol",
        "Unteer",
        "07700 900500",
        "vol@example.com",
        "OX17 2AE",
        &[Category::Volunteer],
    );
    rec.date_of_birth = None;
    rec.notes = Some("Prefers mornings".into());
    let id = add(&mut store, &rec);
    drop(store);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    let v = dbs.person(id).unwrap();
    assert!(
        v.record.notes.is_none(),
        "notes are correspondence, not for the DBS officer"
    );
    assert!(v.contacts.is_none(), "the contact log is absent, not empty");
    assert_eq!(v.record.phones, vec!["07700 900500".to_string()]);
    let mut edit = v.record.clone();
    edit.phones = vec!["07700 900501".into()];
    dbs.update_person(id, &edit).unwrap();
    drop(dbs);
    let lead = unlock_as(&dir, Role::DataProtectionLead);
    let v = lead.person(id).unwrap();
    assert_eq!(
        v.record.notes.as_deref(),
        Some("Prefers mornings"),
        "the unseen notes were kept"
    );
    assert_eq!(v.record.phones, vec!["07700 900501".to_string()]);
}

#[test]
fn fields_the_notice_does_not_collect_for_a_category_are_refused() {
    let (_tmp, _dir, mut store) = new_case_file();
    // Relatives: name, phone, email and correspondence only.
    let mut rec = record("Rel", "Ative", &[Category::Relative]);
    rec.postcode = Some("OX17 2AF".into());
    let err = store
        .create_person(&rec, &dutydesk::domain::person::Obtained::Directly, today())
        .unwrap_err();
    assert!(err.to_string().contains("does not collect an address"), "{err}");
    assert_eq!(store.count_people().unwrap(), 0);
}

#[test]
fn only_roles_given_correspondence_log_contacts_or_add_callbacks() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let vol = add(
        &mut store,
        &full_record(
            "Corr",
            "Volunteer",
            "07700 900800",
            "",
            "OX17 2AG",
            &[Category::Volunteer],
        ),
    );
    drop(store);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    let when = today().succ_opt().unwrap().and_hms_opt(10, 0, 0).unwrap();
    assert!(matches!(
        dbs.log_contact(vol, dutydesk::domain::ContactKind::Call, "")
            .unwrap_err(),
        StoreError::NotAllowed(..)
    ));
    assert!(matches!(
        dbs.add_callback(vol, "x", when).unwrap_err(),
        StoreError::NotAllowed(..)
    ));
    drop(dbs);
    let mut ms = unlock_as(&dir, Role::MembershipSecretary);
    ms.log_contact(vol, dutydesk::domain::ContactKind::Call, "").unwrap();
}
