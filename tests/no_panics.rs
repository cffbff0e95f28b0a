//! Property tests: arbitrary text fed to every parser and validator, and to search, never
//! panics and always answers with a value or a sentence.

mod common;

use common::*;
use dutydesk::domain::person::PersonForm;
use dutydesk::domain::{Category, ContactKind, FieldGroup, Region, RelationKind, Role};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vocabularies_parse_or_explain(s in ".*") {
        for r in [
            Role::parse(&s).err().map(|e| e.to_string()),
            Category::parse(&s).err().map(|e| e.to_string()),
            FieldGroup::parse(&s).err().map(|e| e.to_string()),
            Region::parse(&s).err().map(|e| e.to_string()),
            RelationKind::parse(&s).err().map(|e| e.to_string()),
            ContactKind::parse(&s).err().map(|e| e.to_string()),
        ].into_iter().flatten() {
            prop_assert!(r.starts_with("unknown "));
        }
    }

    #[test]
    fn profiles_parse_or_explain(s in "\\PC*") {
        if let Err(e) = dutydesk::profile::parse(&s) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn person_forms_validate_or_explain(a in ".*", b in ".*", c in ".*", d in ".*", e in ".*", f in ".*") {
        let form = PersonForm {
            title: a.clone(),
            given_name: b,
            family_name: c,
            aliases: a,
            address: d.clone(),
            postcode: d,
            phones: e.clone(),
            email: e,
            date_of_birth: f.clone(),
            organisation: f.clone(),
            notes: f,
            categories: vec![Category::Client],
        };
        if let Err(errors) = form.validate(today()) {
            for err in errors {
                prop_assert!(err.message.ends_with('.'), "{}", err.message);
            }
        }
    }
}

#[test]
fn search_takes_any_text() {
    let (_tmp, _dir, mut store) = new_case_file();
    add(&mut store, &record("Any", "Body", &[Category::Client]));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
    runner
        .run(&".*", |s| {
            store.search(&s, 20).map_err(|e| TestCaseError::fail(e.to_string()))?;
            Ok(())
        })
        .unwrap();
}
