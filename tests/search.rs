//! Search: phone numbers in any form, postcodes with or without the space, email, prefixes,
//! exact names first, restricted records only for the data protection lead.

mod common;

use common::*;
use dutydesk::domain::{Category, Role};

fn ids(store: &dutydesk::store::Store, q: &str) -> Vec<i64> {
    store.search(q, 20).unwrap().into_iter().map(|h| h.id).collect()
}

#[test]
fn phone_numbers_match_in_every_written_form_and_by_fragment() {
    let (_tmp, _dir, mut store) = new_case_file();
    let id = add(
        &mut store,
        &full_record("Phone", "Person", "07700 900123", "", "OX17 2AA", &[Category::Client]),
    );
    add(
        &mut store,
        &full_record("Other", "Person", "07700 900999", "", "OX17 2AA", &[Category::Client]),
    );
    for q in [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "900123",
        "900 123",
        "0123",
    ] {
        assert_eq!(ids(&store, q), vec![id], "query {q}");
    }
    assert_eq!(ids(&store, "07700").len(), 2);
}

#[test]
fn postcodes_match_with_or_without_the_space_and_by_district() {
    let (_tmp, _dir, mut store) = new_case_file();
    let id = add(
        &mut store,
        &full_record("Post", "Code", "", "", "OX17 2RF", &[Category::Client]),
    );
    for q in ["OX17 2RF", "ox172rf", "OX17", "ox17 2"] {
        assert_eq!(ids(&store, q), vec![id], "query {q}");
    }
    assert!(ids(&store, "OX18").is_empty());
}

#[test]
fn names_aliases_and_email_match_by_prefix_with_exact_names_first() {
    let (_tmp, _dir, mut store) = new_case_file();
    let smithers = add(&mut store, &record("Ann", "Smithers", &[Category::Client]));
    let smith = add(&mut store, &record("Ann", "Smith", &[Category::Client]));
    let anna = add(&mut store, &record("Anna", "Jones", &[Category::Client]));
    let mut aliased = record("Margaret", "Brown", &[Category::Client]);
    aliased.aliases = vec!["Peggy".into()];
    let peggy = add(&mut store, &aliased);
    let mut with_email = record("Email", "Holder", &[Category::Client]);
    with_email.email = Some("e.holder@example.org".into());
    let holder = add(&mut store, &with_email);

    assert_eq!(ids(&store, "smith")[0], smith, "exact family name first");
    assert_eq!(
        ids(&store, "smi"),
        vec![smith, smithers],
        "prefix, alphabetical within a rank"
    );
    assert_eq!(
        ids(&store, "ann")[..2],
        [smith, smithers],
        "exact given name before Anna"
    );
    assert!(ids(&store, "ann").contains(&anna));
    assert_eq!(ids(&store, "Ann Smith")[0], smith);
    assert_eq!(ids(&store, "peg"), vec![peggy]);
    assert_eq!(ids(&store, "e.holder@ex"), vec![holder]);
}

#[test]
fn diacritics_and_odd_input_do_not_trouble_search() {
    let (_tmp, _dir, mut store) = new_case_file();
    let zoe = add(&mut store, &record("Zoë", "Ó Súilleabháin", &[Category::Client]));
    assert_eq!(ids(&store, "zoe"), vec![zoe]);
    assert_eq!(ids(&store, "Zoë"), vec![zoe]);
    assert_eq!(ids(&store, "suil"), vec![zoe]);
    for q in [
        "\"",
        "*",
        "AND",
        "OR NOT",
        "NEAR(",
        "'; DROP TABLE people; --",
        "\u{0}",
        "🙂",
        "   ",
        "a\"b*c",
        "^",
    ] {
        let _ = store.search(q, 20).unwrap();
    }
}

#[test]
fn a_role_never_finds_a_person_through_a_field_it_may_not_see() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    // A relative who is also a Friend: duty officers get the relative's phone, but the address
    // is collected only for Friends, who are the trustees' business.
    let rel = add(
        &mut store,
        &full_record(
            "Hidden",
            "Address",
            "07700 900321",
            "",
            "NN13 6AB",
            &[Category::Relative, Category::Friend],
        ),
    );
    drop(store);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert_eq!(ids(&duty, "900321"), vec![rel]);
    assert!(ids(&duty, "NN13 6AB").is_empty());
    let hit = &duty.search("hidden", 5).unwrap()[0];
    assert_eq!(hit.postcode, None);
    assert_eq!(hit.phone_tail.as_deref(), Some("0321"));
}

#[test]
fn restricted_people_are_found_only_by_the_data_protection_lead() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let id = add(&mut store, &record("Restricted", "Person", &[Category::Client]));
    store
        .raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [id])
        .unwrap();
    let hits = store.search("restricted", 5).unwrap();
    assert!(hits[0].restricted);
    drop(store);
    for role in Role::ALL {
        let s = unlock_as(&dir, *role);
        let found = ids(&s, "restricted").contains(&id);
        assert_eq!(found, *role == Role::DataProtectionLead, "{role:?}");
    }
}

#[test]
fn likely_duplicates_are_the_same_name_and_postcode_the_same_phone_or_the_same_email() {
    let (_tmp, _dir, mut store) = new_case_file();
    let a = add(
        &mut store,
        &full_record(
            "Dup",
            "Licate",
            "07700 900701",
            "dup@example.org",
            "OX17 2DD",
            &[Category::Client],
        ),
    );
    let _other = add(
        &mut store,
        &full_record("Not", "Related", "07700 900702", "", "OX17 2DE", &[Category::Client]),
    );
    let same_name_postcode = full_record("dup", "LICATE", "07700 900703", "", "OX17 2DD", &[Category::Client]);
    let same_phone = full_record("Someone", "Else", "07700900701", "", "OX17 2DF", &[Category::Client]);
    let same_email = full_record(
        "Someone",
        "Else",
        "07700 900704",
        "DUP@example.org",
        "OX17 2DF",
        &[Category::Client],
    );
    let nothing = full_record("Dup", "Licate", "07700 900705", "", "OX17 2DG", &[Category::Client]);
    for rec in [&same_name_postcode, &same_phone, &same_email] {
        let hits: Vec<i64> = store
            .likely_duplicates(rec, None)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(hits, vec![a], "{rec:?}");
    }
    assert!(store.likely_duplicates(&nothing, None).unwrap().is_empty());
    assert!(
        store.likely_duplicates(&same_phone, Some(a)).unwrap().is_empty(),
        "a record is not its own duplicate"
    );
}

#[test]
fn a_name_that_starts_with_every_word_comes_before_an_address_that_does() {
    let (_tmp, _dir, mut store) = new_case_file();
    let mut anderson = full_record("Aisha", "Anderson", "07700 900301", "", "OX17 1AB", &[Category::Client]);
    anderson.address = Some("3 Chapel Lane, Banbury".into());
    let anderson = add(&mut store, &anderson);
    let chapman = add(
        &mut store,
        &full_record("Aisha", "Chapman", "07700 900302", "", "OX17 1AC", &[Category::Client]),
    );
    assert_eq!(ids(&store, "aisha chap"), vec![chapman, anderson]);
}
