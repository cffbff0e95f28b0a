//! Shared helpers for the integration tests: temporary case files, synthetic people and a
//! fixed clock. Every person here is invented.
#![allow(dead_code)]

use chrono::NaiveDate;
use dutydesk::domain::clock::{Clock, FixedClock};
use dutydesk::domain::person::{Obtained, PersonForm, PersonRecord};
use dutydesk::domain::{Category, FieldGroup, Role};
use dutydesk::store::{DataDir, InitOptions, KdfParams, Store};
use std::sync::Arc;

pub const LEAD: &str = "lead";
pub const LEAD_PASS: &str = "lead test passphrase";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::at_nine(today()))
}

pub fn profile() -> &'static str {
    dutydesk::profile::builtin("good-neighbours").unwrap()
}

/// A new encrypted case file in a temporary folder, unlocked as the data protection lead.
pub fn new_case_file() -> (tempfile::TempDir, DataDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path().join("data"));
    let store = Store::init(
        &dir,
        &InitOptions {
            profile_toml: profile(),
            organisation: "Test Good Neighbours",
            first_user: LEAD,
            passphrase: LEAD_PASS,
            kdf: KdfParams::FAST_INSECURE,
        },
        clock(),
    )
    .unwrap();
    (tmp, dir, store)
}

/// Adds one user per role (besides the lead) with passphrase "<login> test passphrase".
pub fn add_role_users(store: &mut Store) {
    for role in Role::ALL {
        if *role == Role::DataProtectionLead {
            continue;
        }
        let login = role.key().replace('_', "-");
        store
            .add_user(
                &login,
                *role,
                &format!("{login} test passphrase"),
                KdfParams::FAST_INSECURE,
            )
            .unwrap();
    }
}

pub fn login_for(role: Role) -> String {
    if role == Role::DataProtectionLead {
        LEAD.to_string()
    } else {
        role.key().replace('_', "-")
    }
}

pub fn pass_for(role: Role) -> String {
    if role == Role::DataProtectionLead {
        LEAD_PASS.to_string()
    } else {
        format!("{} test passphrase", login_for(role))
    }
}

/// Reopens the case file as the user holding `role` (drop the other store first).
pub fn unlock_as(dir: &DataDir, role: Role) -> Store {
    Store::unlock(dir, &login_for(role), &pass_for(role), clock()).unwrap()
}

pub fn record(given: &str, family: &str, cats: &[Category]) -> PersonRecord {
    PersonForm {
        given_name: given.into(),
        family_name: family.into(),
        categories: cats.to_vec(),
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap()
}

/// A record with every field the Good Neighbours notice collects for `cats` filled in (the
/// store refuses fields no category of the person collects).
pub fn full_record(
    given: &str,
    family: &str,
    phone: &str,
    email: &str,
    postcode: &str,
    cats: &[Category],
) -> PersonRecord {
    let p = dutydesk::profile::parse(profile()).unwrap();
    let collects = |g: FieldGroup| cats.iter().any(|c| p.category(*c).is_some_and(|r| r.collects(g)));
    let mut rec = PersonForm {
        title: "Mrs".into(),
        given_name: given.into(),
        family_name: family.into(),
        address: "12 Test Lane, Exampleton".into(),
        postcode: postcode.into(),
        phones: phone.into(),
        email: email.into(),
        date_of_birth: "01/02/1940".into(),
        categories: cats.to_vec(),
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap();
    if !collects(FieldGroup::Address) {
        rec.address = None;
        rec.postcode = None;
    }
    if !collects(FieldGroup::Phone) {
        rec.phones.clear();
    }
    if !collects(FieldGroup::Email) {
        rec.email = None;
    }
    if !collects(FieldGroup::DateOfBirth) {
        rec.date_of_birth = None;
    }
    rec
}

pub fn add(store: &mut Store, rec: &PersonRecord) -> i64 {
    store.create_person(rec, &Obtained::Directly, today()).unwrap()
}
