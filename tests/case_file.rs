//! The encrypted case file: creating, unlocking, refusing bad files, keeping no plaintext,
//! users and key slots, migrations and the audit chain.

mod common;

use common::*;
use dutydesk::domain::{Category, Role};
use dutydesk::store::{schema, DataDir, Store, StoreError};

#[test]
fn the_first_user_unlocks_with_their_own_passphrase() {
    let (_tmp, dir, store) = new_case_file();
    drop(store);
    let store = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
    assert_eq!(store.actor().role, Role::DataProtectionLead);
    assert_eq!(store.organisation().unwrap(), store.profile().controller.name);
}

#[test]
fn a_wrong_passphrase_says_so_and_the_next_try_works() {
    let (_tmp, dir, store) = new_case_file();
    drop(store);
    let err = Store::unlock(&dir, LEAD, "not the passphrase", clock()).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase(_)), "{err}");
    assert!(err.to_string().contains("passphrase is wrong"));
    Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
}

#[test]
fn an_unknown_user_is_named_as_unknown() {
    let (_tmp, dir, store) = new_case_file();
    drop(store);
    let err = Store::unlock(&dir, "nobody", LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::UnknownUser(_)), "{err}");
}

#[test]
fn a_missing_folder_says_how_to_create_one() {
    let tmp = tempfile::tempdir().unwrap();
    let err = Store::unlock(&DataDir::new(tmp.path().join("none")), LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(err.to_string().contains("dutydesk init"), "{err}");
}

#[test]
fn init_refuses_to_overwrite_a_case_file() {
    let (_tmp, dir, store) = new_case_file();
    drop(store);
    let err = Store::init(
        &dir,
        &dutydesk::store::InitOptions {
            profile_toml: profile(),
            organisation: "Other",
            first_user: "other",
            passphrase: "another passphrase",
            kdf: dutydesk::store::KdfParams::FAST_INSECURE,
        },
        clock(),
    )
    .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists(_)), "{err}");
    Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
}

#[test]
fn a_case_file_in_use_is_refused_with_the_process() {
    let (_tmp, dir, store) = new_case_file();
    let err = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err}");
    assert!(
        err.to_string().contains(&format!("process {}", std::process::id())),
        "{err}"
    );
    drop(store);
    Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap();
}

fn replace_case_file(dir: &DataDir, bytes: &[u8]) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dir.case_file().display()));
    }
    std::fs::write(dir.case_file(), bytes).unwrap();
}

#[test]
fn foreign_and_corrupt_files_are_refused_and_left_alone() {
    let (_tmp, dir, store) = new_case_file();
    drop(store);
    let original = std::fs::read(dir.case_file()).unwrap();

    // A text file.
    replace_case_file(&dir, b"shopping list: milk, bread\n");
    let err = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NotACaseFile(_)), "{err}");
    assert_eq!(std::fs::read(dir.case_file()).unwrap(), b"shopping list: milk, bread\n");

    // A plain SQLite file.
    std::fs::remove_file(dir.case_file()).unwrap();
    {
        let c = rusqlite::Connection::open(dir.case_file()).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let err = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NotACaseFile(_)), "{err}");

    // The real file with its middle scrambled.
    let mut bad = original.clone();
    let mid = bad.len() / 2;
    for b in &mut bad[mid..mid + 64] {
        *b ^= 0x5a;
    }
    replace_case_file(&dir, &bad);
    let result = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).and_then(|s| s.check());
    match result {
        Err(_) => {}
        Ok(problems) => assert!(!problems.is_empty(), "a scrambled page must be noticed"),
    }

    // A damaged key file.
    replace_case_file(&dir, &original);
    std::fs::write(dir.key_file(), "{not json").unwrap();
    let err = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::BadKeyFile(_)), "{err}");
}

#[test]
fn a_newer_schema_is_refused() {
    let (_tmp, dir, store) = new_case_file();
    store
        .raw_connection_for_tests()
        .pragma_update(None, "user_version", schema::latest() + 1)
        .unwrap();
    drop(store);
    let err = Store::unlock(&dir, LEAD, LEAD_PASS, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
    assert!(err.to_string().contains("newer dutydesk"));
}

#[test]
fn migrations_run_from_an_empty_file_and_from_every_earlier_version() {
    for start in 0..=schema::latest() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        schema::prepare_new(&conn).unwrap();
        schema::migrate_to(&mut conn, start).unwrap();
        let found = schema::migrate(&mut conn).unwrap();
        assert_eq!(found, start);
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, schema::latest());
        // Every table the mission needs exists.
        for table in [
            "people",
            "person_categories",
            "relationships",
            "contacts",
            "callbacks",
            "services",
            "health_notes",
            "dbs_checks",
            "referrals",
            "article14_notices",
            "consents",
            "rights_requests",
            "request_pauses",
            "disclosures",
            "legal_holds",
            "audit_log",
            "erasure_ledger",
            "tombstones",
            "people_search",
        ] {
            let n: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master WHERE name = ?1", [table], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(n, 1, "table {table} after migrating from {start}");
        }
        // Running again changes nothing.
        assert_eq!(schema::migrate(&mut conn).unwrap(), schema::latest());
    }
}

#[test]
fn the_upgrade_to_version_4_rebuilds_the_search_index_with_everyone_in_it() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    schema::prepare_new(&conn).unwrap();
    schema::migrate_to(&mut conn, 3).unwrap();
    conn.execute_batch(
        "INSERT INTO people (id, given_name, family_name, postcode, obtained_how, obtained_on, created_at, updated_at)
         VALUES (7, 'Zebedee', 'Quartermain', 'ZE2 9QX', 'direct', '2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:00:00');
         INSERT INTO person_phones (person_id, phone) VALUES (7, '07700 900765');
         INSERT INTO people_search (rowid, name, phone, email, postcode, address)
         VALUES (7, 'Zebedee Quartermain', '07700900765', '', 'ZE2 9QX ZE29QX', '');",
    )
    .unwrap();
    schema::migrate(&mut conn).unwrap();
    let found = |q: &str| -> Vec<i64> {
        conn.prepare("SELECT rowid FROM people_search WHERE people_search MATCH ?1")
            .unwrap()
            .query_map([q], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(found("quartermain"), vec![7]);
    assert_eq!(
        found("\"900765\""),
        vec![7],
        "every tail of the phone number is indexed"
    );
    assert_eq!(found("ze29qx"), vec![7]);
}

#[test]
fn the_upgrade_to_version_5_works_out_last_contact_and_brings_old_holds_up_for_review() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    schema::prepare_new(&conn).unwrap();
    schema::migrate_to(&mut conn, 4).unwrap();
    conn.execute_batch(
        "INSERT INTO people (id, given_name, family_name, obtained_how, obtained_on, last_contact, created_at, updated_at)
         VALUES (3, 'Ursula', 'Upgrade', 'direct', '2019-01-01', '2020-01-01', '2019-01-01T00:00:00', '2019-01-01T00:00:00');
         INSERT INTO contacts (person_id, kind, at, note) VALUES (3, 'call', '2024-05-06 10:30:00', NULL);
         INSERT INTO services (person_id, service, delivered_on) VALUES (3, 'driving', '2025-02-03');
         INSERT INTO legal_holds (person_id, reason, placed_on) VALUES (3, 'Insurance claim 7', '2023-01-01');",
    )
    .unwrap();
    schema::migrate(&mut conn).unwrap();
    let last: String = conn
        .query_row("SELECT last_contact FROM people WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last, "2025-02-03", "the latest of any contact on file");
    let review: Option<String> = conn
        .query_row("SELECT review_on FROM legal_holds WHERE person_id = 3", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(review.is_some(), "an old hold comes up for review");
    let id: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'case_file_id'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id.len(), 32);
    // From now on, the triggers keep it: a later contact moves it, an earlier one does not.
    conn.execute_batch(
        "INSERT INTO contacts (person_id, kind, at) VALUES (3, 'visit', '2026-01-02 09:00:00');
         INSERT INTO services (person_id, service, delivered_on) VALUES (3, 'driving', '2021-01-01');",
    )
    .unwrap();
    let last: String = conn
        .query_row("SELECT last_contact FROM people WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last, "2026-01-02");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    !n.is_empty() && haystack.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[test]
fn without_a_passphrase_the_data_folder_reveals_no_personal_data() {
    let (_tmp, dir, mut store) = new_case_file();
    let rec = full_record(
        "Philippa",
        "Quennell",
        "07700 900461",
        "philippa.quennell@example.org",
        "OX17 2QZ",
        &[Category::Client],
    );
    let id = add(&mut store, &rec);
    store
        .log_contact(
            id,
            dutydesk::domain::ContactKind::Call,
            "Zebediah called about Quennell",
        )
        .unwrap();
    // Scan while the file is open (WAL present), and again after closing.
    scan_for_plaintext(&dir, "open");
    drop(store);
    scan_for_plaintext(&dir, "closed");
}

fn scan_for_plaintext(dir: &DataDir, phase: &str) {
    for entry in std::fs::read_dir(dir.root()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in [
            "Philippa",
            "Quennell",
            "07700 900461",
            "07700900461",
            "7700900461",
            "philippa.quennell",
            "example.org",
            "OX17 2QZ",
            "OX172QZ",
            "Zebediah",
        ] {
            assert!(
                !contains(&bytes, needle),
                "{needle} found in {} ({phase})",
                path.display()
            );
        }
    }
}

#[test]
fn adding_and_removing_users_needs_the_lead_and_rekeys() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let users: Vec<String> = store.users().unwrap().into_iter().map(|u| u.login).collect();
    assert_eq!(users.len(), Role::ALL.len());
    let key_file_before = std::fs::read(dir.key_file()).unwrap();
    let id = add(&mut store, &record("Test", "Person", &[Category::Client]));
    store.remove_user("trustee").unwrap();
    drop(store);

    // The removed user cannot unlock...
    let err = Store::unlock(&dir, "trustee", "trustee test passphrase", clock()).unwrap_err();
    assert!(matches!(err, StoreError::UnknownUser(_)), "{err}");
    // ...not even with an old copy of the key file: the database has a new key.
    let current = std::fs::read(dir.key_file()).unwrap();
    std::fs::write(dir.key_file(), &key_file_before).unwrap();
    let err = Store::unlock(&dir, "trustee", "trustee test passphrase", clock()).unwrap_err();
    assert!(matches!(err, StoreError::ForeignKeyFile(_)), "{err}");
    std::fs::write(dir.key_file(), &current).unwrap();

    // Everyone else still can, and the data is intact.
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert_eq!(duty.person(id).unwrap().name(), "Test Person");
    let err = {
        let mut duty = duty;
        duty.add_user(
            "newbie",
            Role::DutyOfficer,
            "a good passphrase",
            dutydesk::store::KdfParams::FAST_INSECURE,
        )
        .unwrap_err()
    };
    assert!(matches!(err, StoreError::NotAllowed(..)), "{err}");
}

#[test]
fn the_audit_chain_detects_edits_insertions_and_deletions() {
    let (_tmp, _dir, mut store) = new_case_file();
    for i in 0..5 {
        add(
            &mut store,
            &record("Audit", &format!("Person{}", "x".repeat(i + 1)), &[Category::Client]),
        );
    }
    assert!(store.check().unwrap().is_empty());
    let conn = store.raw_connection_for_tests();

    conn.execute("UPDATE audit_log SET action = 'view_sensitive' WHERE id = 3", [])
        .unwrap();
    assert!(store
        .check()
        .unwrap()
        .iter()
        .any(|p| p.contains("entry 3 has been changed")));
    conn.execute("UPDATE audit_log SET action = 'create' WHERE id = 3", [])
        .unwrap();
    assert!(store.check().unwrap().is_empty());

    conn.execute("DELETE FROM audit_log WHERE id = 4", []).unwrap();
    assert!(store.check().unwrap().iter().any(|p| p.contains("entry 4 is missing")));
}

#[test]
fn the_audit_chain_detects_an_inserted_entry_and_a_removed_last_entry() {
    let (_tmp, _dir, mut store) = new_case_file();
    for i in 0..3 {
        add(
            &mut store,
            &record("Audit", &format!("Person{}", "y".repeat(i + 1)), &[Category::Client]),
        );
    }
    let conn = store.raw_connection_for_tests();
    let last: i64 = conn
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, fields, prev_hash, hash)
         SELECT id + 1, at, user_id, action, entity, entity_id, fields, hash, hash FROM audit_log WHERE id = ?1",
        [last],
    )
    .unwrap();
    assert!(!store.check().unwrap().is_empty());
    conn.execute("DELETE FROM audit_log WHERE id >= ?1", [last]).unwrap();
    assert!(store.check().unwrap().iter().any(|p| p.contains("written")));
}

#[test]
fn audit_entries_hold_ids_and_field_names_never_values() {
    let (_tmp, _dir, mut store) = new_case_file();
    let id = add(
        &mut store,
        &full_record(
            "Leopoldina",
            "Strawbridge",
            "07700 900777",
            "leo@example.net",
            "OX17 2AB",
            &[Category::Client],
        ),
    );
    let mut rec = full_record(
        "Leopoldina",
        "Strawbridge",
        "07700 900778",
        "leo@example.net",
        "OX17 2AB",
        &[Category::Client],
    );
    rec.address = Some("3 New Road, Exampleton".into());
    store.update_person(id, &rec).unwrap();
    let conn = store.raw_connection_for_tests();
    let mut st = conn
        .prepare("SELECT action || ' ' || entity || ' ' || coalesce(fields, '') FROM audit_log")
        .unwrap();
    let rows: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let all = rows.join("\n");
    for v in ["Leopoldina", "Strawbridge", "900777", "900778", "leo@", "New Road"] {
        assert!(!all.contains(v), "{v} in the audit log");
    }
    assert!(all.contains("change person address,phones"), "{all}");
}

/// A scheme on the Good Neighbours profile moves to a newer built-in version written for any
/// scheme: its placeholders are filled with the scheme's own details from the profile in
/// force, so its notices keep its name.
#[test]
fn a_newer_template_profile_keeps_the_charitys_own_details() {
    let (_tmp, _dir, mut store) = new_case_file();
    let template = dutydesk::profile::builtin("good-neighbours").unwrap();
    let next = template.replacen(
        &format!("id = \"good-neighbours\"\nversion = {}", profile_version()),
        &format!("id = \"good-neighbours\"\nversion = {}", profile_version() + 1),
        1,
    );
    assert!(!dutydesk::profile::placeholders_in(&next).is_empty());
    store.set_profile(&next).unwrap();
    let c = &store.profile().controller;
    assert_eq!(c.name, "Middleton Cheney Good Neighbours Scheme");
    assert_eq!(c.phone.as_deref(), Some("07818 475982"));
    assert!(c.data_protection_contact.contains("41 Stanwell Lea"));
    let stored: String = store
        .raw_connection_for_tests()
        .query_row("SELECT toml FROM profiles ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(dutydesk::profile::placeholders_in(&stored).is_empty(), "stored filled");
}

#[test]
fn profile_versions_are_kept_and_only_the_lead_may_change_it() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let text = profile_at_version(profile_version() + 1);
    store.set_profile(&text).unwrap();
    assert_eq!(store.profile().version(), profile_version() + 1);
    let n: i64 = store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let err = store.set_profile("not = [valid").unwrap_err();
    assert!(err.to_string().contains("line"), "{err}");
    drop(store);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(matches!(
        duty.set_profile(&text).unwrap_err(),
        StoreError::NotAllowed(..)
    ));
}

#[test]
fn a_user_removal_interrupted_before_the_key_file_was_replaced_still_unlocks() {
    let (_tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let old = std::fs::read(dir.key_file()).unwrap();
    store.remove_user("trustee").unwrap();
    drop(store);
    // As if the process stopped after re-keying: the new slots are only in the pending file.
    let new = std::fs::read(dir.key_file()).unwrap();
    std::fs::write(dir.key_file().with_extension("json.pending"), &new).unwrap();
    std::fs::write(dir.key_file(), &old).unwrap();
    let store = unlock_as(&dir, Role::DutyOfficer);
    drop(store);
    assert!(!dir.key_file().with_extension("json.pending").exists());
    assert_eq!(std::fs::read(dir.key_file()).unwrap(), new);
}

#[test]
fn the_case_file_runs_with_wal_foreign_keys_secure_delete_and_auto_vacuum() {
    let (_tmp, _dir, store) = new_case_file();
    let c = store.raw_connection_for_tests();
    let get = |p: &str| -> String {
        c.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert_eq!(get("journal_mode"), "Text(\"wal\")");
    assert_eq!(get("foreign_keys"), "Integer(1)");
    assert_eq!(get("secure_delete"), "Integer(1)");
    assert_eq!(get("auto_vacuum"), "Integer(1)");
    let fts: String = c
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'people_search'", [], |r| {
            r.get(0)
        })
        .unwrap();
    // Contentless, and without `contentless_delete`: rows are taken out with the `delete`
    // command and their values, which removes their terms at once.
    assert!(
        fts.contains("content = ''") && !fts.contains("contentless_delete"),
        "{fts}"
    );
    let secure: i64 = c
        .query_row(
            "SELECT v FROM people_search_config WHERE k = 'secure-delete'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(secure, 1);
}
