//! Two laptops, one case file: a laptop made from the hub, both edited offline, bundles carried
//! both ways, and the case files checked afterwards (merge rules, conflicts, erasure,
//! restriction, ids, refusals).

mod common;

use common::sync::*;
use common::*;
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::{Category, ContactKind, Role};
use dutydesk::store::datadir::DataDir;
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::sync::conflicts::Resolution;
use dutydesk::store::Store;

fn email(store: &Store, id: i64) -> Option<String> {
    store.person(id).unwrap().record.email
}

fn postcode(store: &Store, id: i64) -> Option<String> {
    store.person(id).unwrap().record.postcode
}

fn people_named(store: &Store, name: &str) -> Vec<i64> {
    store.search(name, 10).unwrap().into_iter().map(|h| h.id).collect()
}

#[test]
fn edits_to_different_fields_and_new_people_on_both_laptops_all_arrive() {
    let mut p = pair();
    let c = p.client;
    set(&mut p.laptop, c, |r| r.email = Some("ada.quill@example.org".into()));
    set(&mut p.hub, c, |r| r.postcode = Some("NN2 2BB".into()));
    let on_laptop = add(&mut p.laptop, &record("Bram", "Laptopson", &[Category::Client]));
    let on_hub = add(&mut p.hub, &record("Cleo", "Hubworth", &[Category::Client]));
    // New people on both laptops keep distinct ids, each in its laptop's range.
    assert_eq!(on_laptop, 1_000_000_001);
    assert_eq!(on_hub, c + 1);
    p.laptop
        .log_contact(c, ContactKind::Call, "Asked about Tuesday's lift")
        .unwrap();

    round_trip(&mut p);

    for store in [&p.hub, &p.laptop] {
        assert_eq!(email(store, c).as_deref(), Some("ada.quill@example.org"));
        assert_eq!(postcode(store, c).as_deref(), Some("NN2 2BB"));
        assert_eq!(people_named(store, "Laptopson"), vec![on_laptop]);
        assert_eq!(people_named(store, "Hubworth"), vec![on_hub]);
        // The search index follows the merged fields.
        assert_eq!(people_named(store, "NN2 2BB"), vec![c]);
        assert_eq!(store.person(c).unwrap().contacts.unwrap().len(), 1);
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
        assert!(store.conflicts().unwrap().is_empty());
    }
    // The merge is in each audit chain.
    let hub_audit = p.hub.raw_connection_for_tests();
    let merged: i64 = hub_audit
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'laptop' AND entity_id = 1 AND fields = 'bundle'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(merged, 2, "one export and one import on the hub");
}

#[test]
fn the_same_field_changed_differently_waits_for_a_person_and_is_resolved() {
    let mut p = pair();
    let c = p.client;
    // The same value on both: no conflict.
    set(&mut p.laptop, c, |r| r.postcode = Some("NN3 3CC".into()));
    set(&mut p.hub, c, |r| r.postcode = Some("NN3 3CC".into()));
    // Different values: a conflict.
    set(&mut p.laptop, c, |r| r.email = Some("laptop@example.org".into()));
    set(&mut p.hub, c, |r| r.email = Some("hub@example.org".into()));

    let out = p.laptop.sync_export(&p.stick).unwrap();
    let imported = p.hub.sync_import(&out[0].path, &lead_pass()).unwrap();
    assert_eq!(imported.report.conflicts, 1);
    let conflicts = p.hub.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let k = &conflicts[0];
    assert_eq!(k.what, "Email address");
    assert_eq!(
        (k.base.as_str(), k.mine.as_str(), k.theirs.as_str()),
        ("ada@example.org", "hub@example.org", "laptop@example.org")
    );
    assert_eq!(k.person_id, Some(c));
    // Until resolved, this laptop's value stands.
    assert_eq!(email(&p.hub, c).as_deref(), Some("hub@example.org"));

    // A duty officer (who sees clients' email) sees it too; resolving takes the laptop's.
    drop(p.hub);
    let mut duty = unlock_as(&p.hub_dir, Role::DutyOfficer);
    let seen = duty.conflicts().unwrap();
    assert_eq!(seen.len(), 1);
    duty.resolve_conflict(seen[0].id, Resolution::Theirs).unwrap();
    assert!(duty.conflicts().unwrap().is_empty());
    assert_eq!(email(&duty, c).as_deref(), Some("laptop@example.org"));
    assert_eq!(people_named(&duty, "laptop@example.org"), vec![c]);
    assert!(duty.check().unwrap().is_empty());
    // The values are not kept once it is resolved.
    let left: Option<String> = duty
        .raw_connection_for_tests()
        .query_row("SELECT theirs FROM sync_conflicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, None);

    let back = duty.sync_export(&p.stick).unwrap();
    p.laptop.sync_import(&back[0].path, &lead_pass()).unwrap();
    assert_eq!(email(&p.laptop, c).as_deref(), Some("laptop@example.org"));
    assert_eq!(postcode(&p.laptop, c).as_deref(), Some("NN3 3CC"));
}

#[test]
fn a_typed_resolution_is_checked_like_the_form() {
    let mut p = pair();
    let c = p.client;
    set(&mut p.laptop, c, |r| r.email = Some("laptop@example.org".into()));
    set(&mut p.hub, c, |r| r.email = Some("hub@example.org".into()));
    let out = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&out[0].path, &lead_pass()).unwrap();
    let id = p.hub.conflicts().unwrap()[0].id;
    let e = p
        .hub
        .resolve_conflict(id, Resolution::Edited("not an address".into()))
        .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("email"), "{e}");
    p.hub
        .resolve_conflict(id, Resolution::Edited("ada.q@example.org".into()))
        .unwrap();
    assert_eq!(email(&p.hub, c).as_deref(), Some("ada.q@example.org"));
}

#[test]
fn an_erasure_on_either_laptop_wins_against_an_edit_on_the_other() {
    for erased_on_hub in [true, false] {
        let mut p = pair();
        let c = p.client;
        let (eraser, editor) = if erased_on_hub {
            (&mut p.hub, &mut p.laptop)
        } else {
            (&mut p.laptop, &mut p.hub)
        };
        editor
            .log_contact(c, ContactKind::Call, "Rang about the shopping")
            .unwrap();
        set(editor, c, |r| r.email = Some("changed@example.org".into()));
        let request = ready_erasure_request(eraser, c);
        eraser.erase(request).unwrap();

        round_trip(&mut p);
        round_trip(&mut p);

        for (store, dir) in [(&p.hub, &p.hub_dir), (&p.laptop, &p.laptop_dir)] {
            assert!(
                store.person(c).is_err(),
                "erased on both (erased on hub: {erased_on_hub})"
            );
            assert!(store.tombstone(c).unwrap().is_some());
            assert!(people_named(store, "Quill").is_empty());
            assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
            // Gone from every copy kept for merging too.
            for entry in std::fs::read_dir(dir.root().join("sync")).unwrap() {
                let path = entry.unwrap().path();
                let copy = rusqlite::Connection::open(&path).unwrap();
                copy.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(store_key(dir))))
                    .unwrap();
                let n: i64 = copy
                    .query_row("SELECT count(*) FROM people WHERE id = ?1", [c], |r| r.get(0))
                    .unwrap();
                assert_eq!(n, 0, "{}", path.display());
            }
        }
    }
}

/// The case file's key, for opening the sync copies in a test.
fn store_key(dir: &DataDir) -> [u8; 32] {
    let slots = dutydesk::store::keyslots::KeyFile::load(&dir.key_file()).unwrap();
    let key = slots
        .unlock(&login_for(Role::DataProtectionLead), &lead_pass(), &dir.key_file())
        .unwrap();
    *key
}

#[test]
fn a_restriction_made_on_one_laptop_holds_on_both() {
    let mut p = pair();
    let c = p.client;
    p.laptop
        .raw_connection_for_tests()
        .execute(
            "UPDATE people SET restricted = 1, restricted_on = '2026-11-30' WHERE id = ?1",
            [c],
        )
        .unwrap();
    set(&mut p.hub, c, |r| r.email = Some("hub@example.org".into()));
    round_trip(&mut p);
    for store in [&p.hub, &p.laptop] {
        let restricted: bool = store
            .raw_connection_for_tests()
            .query_row("SELECT restricted FROM people WHERE id = ?1", [c], |r| r.get(0))
            .unwrap();
        assert!(restricted);
    }
}

#[test]
fn a_bundle_taken_twice_for_another_laptop_altered_or_from_another_case_file_is_refused() {
    let mut p = pair();
    let out = p.laptop.sync_export(&p.stick).unwrap();
    let bundle = out[0].path.clone();
    // Altered: one character of the sealed body changed.
    let altered = p.stick.join("altered.ddsync");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let n = bytes.len();
    bytes[n - 10] = if bytes[n - 10] == b'0' { b'1' } else { b'0' };
    std::fs::write(&altered, &bytes).unwrap();
    let e = p.hub.sync_import(&altered, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("altered"), "{e}");
    // A wrong passphrase.
    let e = p
        .hub
        .sync_import(&bundle, "not the passphrase at all")
        .unwrap_err()
        .to_string();
    assert!(e.contains("passphrase"), "{e}");
    // Made here.
    let e = p.laptop.sync_import(&bundle, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("made on this laptop"), "{e}");

    let kept = p.stick.join("kept-copy.ddsync");
    std::fs::copy(&bundle, &kept).unwrap();
    let taken = p.hub.sync_import(&bundle, &lead_pass()).unwrap();
    // Taken in, the bundle is deleted; a copy kept and taken in again is refused.
    assert!(taken.bundle_removed && !bundle.exists());
    let e = p.hub.sync_import(&kept, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("already taken in"), "{e}");

    // Another case file entirely.
    let (_tmp2, _dir2, mut other) = new_case_file();
    let e = other.sync_import(&kept, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("another case file"), "{e}");
    // Not a bundle.
    let junk = p.stick.join("junk.ddsync");
    std::fs::write(&junk, b"hello").unwrap();
    let e = p.hub.sync_import(&junk, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("not a dutydesk bundle"), "{e}");
    // The stick's folder instead of the bundle in it.
    let e = p.hub.sync_import(&p.stick, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("is a folder: give the bundle file in it"), "{e}");
    // Bundles written where a file stands.
    let e = p.laptop.sync_export(&junk).unwrap_err().to_string();
    assert!(e.contains("it is a file, not a folder"), "{e}");
    // Nothing on the stick is readable: no name or email in the clear.
    let raw = std::fs::read(&kept).unwrap();
    assert!(!raw.windows(5).any(|w| w == b"Quill"));
}

#[test]
fn bundles_that_cross_leave_both_bases_in_step() {
    let mut p = pair();
    let c = p.client;
    set(&mut p.laptop, c, |r| r.email = Some("laptop@example.org".into()));
    set(&mut p.hub, c, |r| r.postcode = Some("NN9 9ZZ".into()));
    // Both export before taking anything in. The hub refuses the laptop's bundle (taking it
    // would leave its base short of the laptop's changes), saying what to do.
    let from_laptop = p.laptop.sync_export(&p.stick).unwrap();
    let from_hub = p.hub.sync_export(&p.stick).unwrap();
    let e = p
        .hub
        .sync_import(&from_laptop[0].path, &lead_pass())
        .unwrap_err()
        .to_string();
    assert!(e.contains("crossed") && e.contains("nothing is lost"), "{e}");
    assert_eq!(postcode(&p.hub, c).as_deref(), Some("NN9 9ZZ"));
    assert_eq!(email(&p.hub, c).as_deref(), Some("ada@example.org"));
    // The laptop takes the hub's bundle (the hub's decides), and exports again.
    p.laptop.sync_import(&from_hub[0].path, &lead_pass()).unwrap();
    assert_eq!(postcode(&p.laptop, c).as_deref(), Some("NN9 9ZZ"));
    let again = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&again[0].path, &lead_pass()).unwrap();
    assert_eq!(email(&p.hub, c).as_deref(), Some("laptop@example.org"));
    answer(&mut p);
    // Further edits, and two more exchanges, each starting where the last left off.
    set(&mut p.laptop, c, |r| r.email = Some("laptop2@example.org".into()));
    round_trip(&mut p);
    set(&mut p.hub, c, |r| r.postcode = Some("NN8 8YY".into()));
    round_trip(&mut p);
    for store in [&p.hub, &p.laptop] {
        assert_eq!(email(store, c).as_deref(), Some("laptop2@example.org"));
        assert_eq!(postcode(store, c).as_deref(), Some("NN8 8YY"));
        assert!(
            store.conflicts().unwrap().is_empty(),
            "{:?}",
            store.conflicts().unwrap()
        );
    }
}

#[test]
fn users_follow_the_hub_and_a_removed_users_bundle_is_refused() {
    let mut p = pair();
    // Users change only on the hub.
    let e = p
        .laptop
        .add_user(
            "newbie",
            Role::DutyOfficer,
            "newbie test passphrase",
            dutydesk::store::keyslots::KdfParams::FAST_INSECURE,
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("on the hub"), "{e}");
    // A duty officer on the laptop makes a bundle; then the hub removes that user.
    drop(p.laptop);
    let mut duty = unlock_as(&p.laptop_dir, Role::DutyOfficer);
    let out = duty.sync_export(&p.stick).unwrap();
    drop(duty);
    p.hub.remove_user(&login_for(Role::DutyOfficer)).unwrap();
    let e = p.hub.sync_import(&out[0].path, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("removed"), "{e}");

    // The hub's next bundle takes the removal (and the new key) to the laptop.
    let back = p.hub.sync_export(&p.stick).unwrap();
    let mut laptop = Store::unlock(
        &p.laptop_dir,
        &login_for(Role::DataProtectionLead),
        &lead_pass(),
        clock(),
    )
    .unwrap();
    let taken = laptop.sync_import(&back[0].path, &lead_pass()).unwrap();
    assert!(taken.users_updated);
    drop(laptop);
    assert!(Store::unlock(
        &p.laptop_dir,
        &login_for(Role::DutyOfficer),
        &pass_for(Role::DutyOfficer),
        clock()
    )
    .is_err());
    let laptop = Store::unlock(
        &p.laptop_dir,
        &login_for(Role::DataProtectionLead),
        &lead_pass(),
        clock(),
    )
    .unwrap();
    assert!(laptop.check().unwrap().is_empty());
}

#[test]
fn bundles_made_one_after_another_before_an_answer_are_all_taken() {
    // The laptop exports on Monday and again on Tuesday; the hub takes both, in order.
    let mut p = pair();
    let c = p.client;
    set(&mut p.laptop, c, |r| r.email = Some("monday@example.org".into()));
    let monday = p.laptop.sync_export(&p.stick).unwrap();
    set(&mut p.laptop, c, |r| r.postcode = Some("NN4 4DD".into()));
    set(&mut p.laptop, c, |r| r.email = Some("tuesday@example.org".into()));
    let tuesday = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&monday[0].path, &lead_pass()).unwrap();
    p.hub.sync_import(&tuesday[0].path, &lead_pass()).unwrap();
    assert_eq!(postcode(&p.hub, c).as_deref(), Some("NN4 4DD"));
    assert_eq!(email(&p.hub, c).as_deref(), Some("tuesday@example.org"));
    assert!(
        p.hub.conflicts().unwrap().is_empty(),
        "{:?}",
        p.hub.conflicts().unwrap()
    );
    // After a round trip, the hub writes a bundle each day and the laptop takes each.
    round_trip(&mut p);
    set(&mut p.hub, c, |r| r.address = Some("1 Day One Road".into()));
    let day1 = p.hub.sync_export(&p.stick).unwrap();
    set(&mut p.hub, c, |r| r.address = Some("2 Day Two Road".into()));
    set(&mut p.hub, c, |r| r.postcode = Some("NN6 6FF".into()));
    let day2 = p.hub.sync_export(&p.stick).unwrap();
    p.laptop.sync_import(&day1[0].path, &lead_pass()).unwrap();
    p.laptop.sync_import(&day2[0].path, &lead_pass()).unwrap();
    let rec = p.laptop.person(c).unwrap().record;
    assert_eq!(rec.address.as_deref(), Some("2 Day Two Road"));
    assert_eq!(rec.postcode.as_deref(), Some("NN6 6FF"));
    assert!(
        p.laptop.conflicts().unwrap().is_empty(),
        "{:?}",
        p.laptop.conflicts().unwrap()
    );
    // And the two go on exchanging, their copies in step.
    set(&mut p.laptop, c, |r| r.email = Some("later@example.org".into()));
    round_trip(&mut p);
    assert_eq!(email(&p.hub, c).as_deref(), Some("later@example.org"));
    assert_eq!(merged_rows(&p.hub), merged_rows(&p.laptop));
    // A bundle older than both is still refused, and says nothing is lost.
    let stale = p.laptop.sync_export(&p.stick).unwrap();
    set(&mut p.laptop, c, |r| r.email = Some("newest@example.org".into()));
    let newest = p.laptop.sync_export(&p.stick).unwrap();
    p.hub.sync_import(&newest[0].path, &lead_pass()).unwrap();
    let e = p.hub.sync_import(&stale[0].path, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("already taken in"), "{e}");
}

/// Reopens one laptop's case file as `role`, runs `f`, and reopens it as the lead.
fn as_role(p: &mut Pair, on_hub: bool, role: Role, f: impl FnOnce(&mut Store)) {
    let dir = if on_hub {
        p.hub_dir.clone()
    } else {
        p.laptop_dir.clone()
    };
    let slot = if on_hub { &mut p.hub } else { &mut p.laptop };
    // The folder's lock is held by the open store: close it first.
    let placeholder = new_case_file();
    drop(std::mem::replace(slot, placeholder.2));
    let mut s = unlock_as(&dir, role);
    f(&mut s);
    drop(s);
    drop(std::mem::replace(slot, unlock_as(&dir, Role::DataProtectionLead)));
}

/// A week of shifts on one laptop, in every way the terminal allows: new people (one whose
/// details came from someone else, so a notice is due), links, calls, a callback, a rights
/// request, a consent, an enquiry, a support group, a donation, a service, a health note, a
/// DBS check, a notice given and a restriction; and an edit to the shared client's `field`.
fn a_week_of_shifts(p: &mut Pair, on_hub: bool, tag: &str) {
    use dutydesk::domain::article14::NoticeMethod;
    use dutydesk::domain::consent::ConsentMethod;
    use dutydesk::domain::person::Obtained;
    use dutydesk::domain::{DbsLevel, DbsOutcome};
    use dutydesk::domain::{EnquiryChannel, GroupFormat, RelationKind};
    use dutydesk::store::donations::DonationInput;
    use dutydesk::store::enquiries::EnquiryInput;
    use dutydesk::store::referrals::PartyRef;
    use dutydesk::store::sensitive::DbsCheckInput;
    let c = p.client;
    let store = if on_hub { &mut p.hub } else { &mut p.laptop };
    let client = add(
        store,
        &full_record(
            &format!("Newclient{tag}"),
            "Weekly",
            "07700 900101",
            "",
            "NN1 2AB",
            &[Category::Client],
        ),
    );
    let relative = store
        .create_person(
            &full_record(
                &format!("Relative{tag}"),
                "Weekly",
                "07700 900102",
                "",
                "",
                &[Category::Relative],
            ),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    store.link(client, RelationKind::NextOfKin, relative).unwrap();
    let volunteer = add(
        store,
        &full_record(
            &format!("Volunteer{tag}"),
            "Weekly",
            "07700 900103",
            "",
            "NN1 3AB",
            &[Category::Volunteer],
        ),
    );
    for i in 0..3 {
        store
            .log_contact(c, ContactKind::Call, &format!("Call {i} on laptop {tag}"))
            .unwrap();
    }
    let cb = today().succ_opt().unwrap().and_hms_opt(10, 0, 0).unwrap();
    store.add_callback(client, &format!("Ring back ({tag})"), cb).unwrap();
    store
        .record_request(&RequestIntake {
            person_id: Some(client),
            kinds: vec![RequestKind::Access],
            channel: Some(Channel::Phone),
            received_on: Some(today()),
            words: format!("A copy of my records, please ({tag})"),
            ..RequestIntake::default()
        })
        .unwrap();
    store
        .give_consent(client, "photo_web", ConsentMethod::WrittenForm, today(), "form")
        .unwrap();
    store
        .record_enquiry(&EnquiryInput {
            enquirer: PartyRef::Existing(relative),
            channel: EnquiryChannel::Phone,
            received_on: today(),
            about: format!("Times of the lunch club ({tag})"),
            answer: None,
        })
        .unwrap();
    let group = store
        .create_group(&format!("Lunch club {tag}"), GroupFormat::FaceToFace, "Fridays")
        .unwrap();
    store.join_group(client, group, today()).unwrap();
    store
        .record_donation(
            relative,
            &DonationInput {
                amount_pence: 2000,
                received_on: today(),
                platform: None,
                shared_with_consent_on: None,
                gift_aid: false,
            },
        )
        .unwrap();
    let notice = store.notice_for_person(relative).unwrap().unwrap().id;
    store.mark_notice_given(notice, NoticeMethod::Phone, today()).unwrap();
    if on_hub {
        set(store, c, |r| r.address = Some("3 Hub Road, Exampleton".into()));
    } else {
        set(store, c, |r| r.phones = vec!["07700 900999".into()]);
    }
    as_role(p, on_hub, Role::DutyOfficer, |s| {
        s.add_health_note(client, &format!("Uses a frame ({tag})")).unwrap();
    });
    as_role(p, on_hub, Role::DbsOfficer, |s| {
        s.record_dbs_check(
            volunteer,
            &DbsCheckInput {
                level: DbsLevel::EnhancedBarred,
                roles: vec!["Driver".into(), "Shopper".into()],
                certificate_number: "0012 3456 7890".into(),
                issue_date: today(),
                outcome: DbsOutcome::Clear,
                decision: String::new(),
                update_service: true,
                renewal_due: None,
            },
        )
        .unwrap();
    });
    let store = if on_hub { &mut p.hub } else { &mut p.laptop };
    store
        .add_service(
            c,
            "shopping",
            today(),
            Some(volunteer),
            &format!("Shopping run ({tag})"),
        )
        .unwrap();
    let restriction = store
        .record_request(&RequestIntake {
            person_id: Some(volunteer),
            kinds: vec![RequestKind::Restriction],
            channel: Some(Channel::Email),
            received_on: Some(today()),
            words: "Please stop using my details while this is looked at.".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    store.request_id(restriction, today()).unwrap();
    store.id_received(restriction, today(), "passport").unwrap();
    store.restrict(restriction).unwrap();
}

/// Every merged table, row by row (all columns), for comparing two laptops' files.
fn merged_rows(store: &Store) -> Vec<(String, Vec<Vec<rusqlite::types::Value>>)> {
    let conn = store.raw_connection_for_tests();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'people_search%'
             AND name NOT IN ('meta', 'this_device', 'sync_peers', 'sync_pending', 'sync_conflicts', 'audit_log', 'id_marks')
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let mut st = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
            let n = st.column_count();
            let mut rows: Vec<Vec<rusqlite::types::Value>> = st
                .query_map([], |r| (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect())
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort_by_key(|r| format!("{r:?}"));
            (t, rows)
        })
        .collect()
}

#[test]
fn a_week_of_shifts_on_both_laptops_merges_into_the_same_case_file_both_ways() {
    let mut p = pair();
    a_week_of_shifts(&mut p, true, "H");
    a_week_of_shifts(&mut p, false, "L");
    round_trip(&mut p);
    let hub = merged_rows(&p.hub);
    let laptop = merged_rows(&p.laptop);
    for ((table, h), (_, l)) in hub.iter().zip(laptop.iter()) {
        assert_eq!(h, l, "{table} differs between the laptops");
    }
    // Nothing was lost: each laptop's work is on both, found by search, and nothing conflicts.
    for store in [&p.hub, &p.laptop] {
        for who in [
            "NewclientH",
            "NewclientL",
            "RelativeH",
            "RelativeL",
            "VolunteerH",
            "VolunteerL",
        ] {
            assert_eq!(people_named(store, who).len(), 1, "{who}");
        }
        assert!(
            store.conflicts().unwrap().is_empty(),
            "{:?}",
            store.conflicts().unwrap()
        );
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
        let c = store.person(p.client).unwrap();
        assert_eq!(c.record.address.as_deref(), Some("3 Hub Road, Exampleton"));
        assert_eq!(c.record.phones, vec!["07700 900999".to_string()]);
        assert_eq!(c.contacts.unwrap().len(), 6);
    }
    // Ids made on each laptop stay in its own range.
    let ids: Vec<i64> = hub
        .iter()
        .find(|(t, _)| t == "people")
        .unwrap()
        .1
        .iter()
        .map(|r| match r[0] {
            rusqlite::types::Value::Integer(i) => i,
            _ => 0,
        })
        .collect();
    // (three new people on each, and the client both started with)
    assert_eq!(ids.iter().filter(|&&i| i > 1_000_000_000).count(), 3, "{ids:?}");
    assert_eq!(ids.iter().filter(|&&i| i < 1_000_000_000).count(), 4, "{ids:?}");
    // Another week, and the files still come together.
    set(&mut p.laptop, p.client, |r| r.email = Some("week2@example.org".into()));
    round_trip(&mut p);
    assert_eq!(email(&p.hub, p.client).as_deref(), Some("week2@example.org"));
    let (hub, laptop) = (merged_rows(&p.hub), merged_rows(&p.laptop));
    assert_eq!(hub, laptop);
}

#[test]
fn a_hub_passes_each_laptops_work_on_to_the_other() {
    let mut p = pair();
    let c = p.client;
    let made = p.hub.add_laptop("Coordinator's spare", &p.stick).unwrap();
    assert_eq!(made.device, 2);
    let second_dir = DataDir::new(&made.folder);
    let mut second = Store::unlock(&second_dir, &login_for(Role::DataProtectionLead), &lead_pass(), clock()).unwrap();
    set(&mut p.laptop, c, |r| r.phones = vec!["07700 900555".into()]);
    set(&mut second, c, |r| r.email = Some("second@example.org".into()));
    let on_first = add(&mut p.laptop, &record("Fenna", "Firstlaptop", &[Category::Client]));
    let on_second = add(&mut second, &record("Sid", "Secondlaptop", &[Category::Client]));
    assert_eq!((on_first, on_second), (1_000_000_001, 2_000_000_001));

    // Both laptops' bundles to the hub, then the hub's answers (one per laptop).
    for store in [&mut p.laptop, &mut second] {
        let out = store.sync_export(&p.stick).unwrap();
        p.hub.sync_import(&out[0].path, &lead_pass()).unwrap();
    }
    let answers = p.hub.sync_export(&p.stick).unwrap();
    assert_eq!(answers.len(), 2);
    for a in &answers {
        let store = if a.to_device == 1 { &mut p.laptop } else { &mut second };
        store.sync_import(&a.path, &lead_pass()).unwrap();
    }
    for store in [&p.hub, &p.laptop, &second] {
        let rec = store.person(c).unwrap().record;
        assert_eq!(rec.phones, vec!["07700 900555".to_string()]);
        assert_eq!(rec.email.as_deref(), Some("second@example.org"));
        assert_eq!(people_named(store, "Firstlaptop"), vec![on_first]);
        assert_eq!(people_named(store, "Secondlaptop"), vec![on_second]);
        assert!(store.conflicts().unwrap().is_empty());
    }
    // A laptop's bundle is for the hub only: the other laptop refuses it.
    let out = p.laptop.sync_export(&p.stick).unwrap();
    let e = second.sync_import(&out[0].path, &lead_pass()).unwrap_err().to_string();
    assert!(e.contains("meant for laptop 0"), "{e}");

    // A retired laptop's bundles are refused.
    let from_second = second.sync_export(&p.stick).unwrap();
    p.hub.retire_laptop(2).unwrap();
    let e = p
        .hub
        .sync_import(&from_second[0].path, &lead_pass())
        .unwrap_err()
        .to_string();
    assert!(e.contains("retired"), "{e}");
}

#[test]
fn an_existing_case_file_upgrades_with_every_id_kept_and_then_merges() {
    // A demo case file, written the way version 7 left it: the same rows, without the tables
    // version 8 adds.
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path().join("data"));
    let users = dutydesk::demo::create(&dir, "good-neighbours", 40, clock(), |_, _| {}).unwrap();
    let (login, pass) = (users[0].login.clone(), users[0].passphrase.clone());
    let store = Store::unlock(&dir, &login, &pass, clock()).unwrap();
    // One row in each table the demo leaves empty, so every table is populated.
    store
        .raw_connection_for_tests()
        .execute_batch(
            "INSERT INTO breaches (what, aware_at, data_groups, consequences, measures, recorded_at)
                 VALUES ('A letter went astray', '2026-11-20T10:00:00', 'address', 'None likely', 'Retrieved', '2026-11-20T11:00:00');
             INSERT INTO breach_people (breach_id, person_id) SELECT max(id), 1 FROM breaches;
             INSERT INTO complaints (channel, received_on, about) VALUES ('letter', '2026-11-21', 'How my data was used');
             INSERT INTO dbs_applications (person_id, level, roles, applied_on) VALUES (2, 'enhanced', 'Driver', '2026-11-02');
             INSERT INTO disclosures (person_id, recipient, what, disclosed_on, lawful_basis)
                 VALUES (1, 'Surgery', 'Address', '2026-11-03', 'vital_interests');
             INSERT INTO donations (person_id, received_on, amount_pence) VALUES (1, '2026-11-04', 500);
             INSERT INTO enquiries (person_id, received_on, channel, about) VALUES (2, '2026-11-05', 'phone', 'Lunch club');
             INSERT INTO support_groups (name, format, started_on) VALUES ('Lunch club', 'face_to_face', '2026-01-01');
             INSERT INTO group_members (group_id, person_id, joined_on) SELECT max(id), 1, '2026-11-06' FROM support_groups;
             INSERT INTO health_note_removals (person_id, removed_on, reason) VALUES (1, '2026-11-07', 'Recorded in error');
             INSERT INTO legal_holds (person_id, reason, placed_on) VALUES (3, 'Insurance claim', '2026-11-08');
             INSERT INTO notice_exemption_reviews (notice_id, exemption, outcome, reviewed_on)
                 SELECT min(id), 'disproportionate', 'upheld', '2026-11-09' FROM article14_notices;
             INSERT INTO objections (person_id, purpose, decision, decided_on) VALUES (1, 'marketing', 'stop', '2026-11-10');
             INSERT INTO publications (person_id, purpose, what, published_on, created_at)
                 VALUES (1, 'photo_web', 'Newsletter photo', '2026-11-11', '2026-11-11T09:00:00');
             INSERT INTO referral_events (referral_id, status, on_date) SELECT min(id), 'contacted', '2026-11-12' FROM referrals;
             INSERT INTO request_letters (request_id, kind, due_on) SELECT min(id), 'acknowledgement', '2026-11-13' FROM rights_requests;
             INSERT INTO request_pauses (request_id, asked_on) SELECT min(id), '2026-11-14' FROM rights_requests;
             INSERT INTO retention_keeps (person_id, decided_on, reason, next_review) VALUES (4, '2026-11-15', 'Ongoing support', '2027-11-15');
             INSERT INTO tasks (kind, about, created_at) VALUES ('follow_up', 'Ring the surgery', '2026-11-16T09:00:00');
             INSERT INTO tombstones (person_id, erased_on) VALUES (999, '2026-10-01');
             INSERT INTO erasure_ledger (person_id, erased_on, rows_removed) VALUES (999, '2026-10-01', '{}');",
        )
        .unwrap();
    let before = merged_rows(&store);
    let populated = before.iter().filter(|(_, rows)| !rows.is_empty()).count();
    let empty: Vec<&String> = before.iter().filter(|(_, r)| r.is_empty()).map(|(t, _)| t).collect();
    assert!(
        empty.is_empty(),
        "every table holds rows ({populated}; empty: {empty:?})"
    );
    let conn = store.raw_connection_for_tests();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'id_mark_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t};")).unwrap();
    }
    conn.execute_batch(
        "DROP TABLE id_marks; DROP TABLE sync_conflicts; DROP TABLE sync_pending; DROP TABLE sync_peers;
         DROP TABLE this_device; PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(store);

    let mut hub = Store::unlock(&dir, &login, &pass, clock()).unwrap();
    assert_eq!(hub.this_device().unwrap(), 0);
    assert_eq!(merged_rows(&hub), before, "no row and no id changed");
    assert!(hub.check().unwrap().is_empty(), "{:?}", hub.check().unwrap());
    let next = add(&mut hub, &record("Upgrade", "Newperson", &[Category::Client]));
    let largest = before
        .iter()
        .find(|(t, _)| t == "people")
        .unwrap()
        .1
        .iter()
        .filter_map(|r| match r[0] {
            rusqlite::types::Value::Integer(i) => Some(i),
            _ => None,
        })
        .max()
        .unwrap();
    // The next id after everyone on file and everyone erased (never an erased person's id).
    assert_eq!(next, largest.max(999) + 1);

    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    let made = hub.add_laptop("Rota laptop", &stick).unwrap();
    let mut laptop = Store::unlock(&DataDir::new(&made.folder), &login, &pass, clock()).unwrap();
    let there = add(&mut laptop, &record("Upgrade", "Laptopperson", &[Category::Client]));
    assert_eq!(there, 1_000_000_001);
    let out = laptop.sync_export(&stick).unwrap();
    hub.sync_import(&out[0].path, &pass).unwrap();
    assert_eq!(people_named(&hub, "Laptopperson"), vec![there]);
    assert!(hub.check().unwrap().is_empty());
}

/// After an interruption: the hub opens, `check` passes, and a bundle taken in or refused as
/// already taken leaves the two laptops able to go on exchanging.
fn still_in_step(p: &mut Pair, context: &str) {
    let dir = p.hub_dir.clone();
    let placeholder = new_case_file();
    drop(std::mem::replace(&mut p.hub, placeholder.2));
    p.hub = Store::unlock(&dir, &login_for(Role::DataProtectionLead), &lead_pass(), clock())
        .unwrap_or_else(|e| panic!("{context}: the hub no longer opens: {e}"));
    assert!(
        p.hub.check().unwrap().is_empty(),
        "{context}: {:?}",
        p.hub.check().unwrap()
    );
    set(&mut p.hub, p.client, |r| r.postcode = Some("NN7 7GG".into()));
    answer(p);
    round_trip(p);
    assert_eq!(postcode(&p.laptop, p.client).as_deref(), Some("NN7 7GG"), "{context}");
    assert_eq!(
        email(&p.hub, p.client).as_deref(),
        Some("faults@example.org"),
        "{context}"
    );
}

#[test]
fn a_merge_or_an_export_interrupted_at_any_step_can_be_done_again() {
    use dutydesk::store::faults;
    // Taking a bundle in, interrupted at each step.
    for n in 1..200 {
        let mut p = pair();
        set(&mut p.laptop, p.client, |r| r.email = Some("faults@example.org".into()));
        let out = p.laptop.sync_export(&p.stick).unwrap();
        faults::fail_at_step(n);
        let result = p.hub.sync_import(&out[0].path, &lead_pass());
        let taken = faults::disarm();
        let context = format!("import, fault at step {n}");
        if result.is_err() {
            // Taken again: merged now, or already merged before the fault.
            let dir = p.hub_dir.clone();
            let placeholder = new_case_file();
            drop(std::mem::replace(&mut p.hub, placeholder.2));
            p.hub = Store::unlock(&dir, &login_for(Role::DataProtectionLead), &lead_pass(), clock()).unwrap();
            if let Err(e) = p.hub.sync_import(&out[0].path, &lead_pass()) {
                assert!(e.to_string().contains("already taken in"), "{context}: {e}");
            }
        }
        still_in_step(&mut p, &context);
        if taken < n {
            assert!(n > 5, "the merge has its steps ({n})");
            break;
        }
    }
    // Writing a bundle, interrupted at each step.
    for n in 1..200 {
        let mut p = pair();
        set(&mut p.laptop, p.client, |r| r.email = Some("faults@example.org".into()));
        faults::fail_at_step(n);
        let result = p.laptop.sync_export(&p.stick);
        let taken = faults::disarm();
        let context = format!("export, fault at step {n}");
        let out = match result {
            Ok(out) => out,
            Err(_) => p.laptop.sync_export(&p.stick).unwrap(),
        };
        p.hub
            .sync_import(&out[0].path, &lead_pass())
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        still_in_step(&mut p, &context);
        if taken < n {
            assert!(n > 3, "writing a bundle has its steps ({n})");
            break;
        }
    }
}

#[test]
fn a_step_of_a_referral_about_someone_erased_on_the_other_laptop_is_left_out() {
    use dutydesk::domain::referral::{ReferralStatus, ReferrerKind, Urgency};
    use dutydesk::store::referrals::{PartyRef, ReferralIntake};
    let mut p = pair();
    let c = p.client;
    let worker = add(&mut p.hub, &record("Wendy", "Worker", &[Category::Professional]));
    let referral = p
        .hub
        .take_referral(&ReferralIntake {
            received_on: today(),
            caller_kind: ReferrerKind::Professional,
            caller: Some(PartyRef::Existing(worker)),
            caller_organisation: Some("Adult Social Care".into()),
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred: PartyRef::Existing(c),
            contacts: vec![],
            services: vec!["Driving".into()],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: true,
            urgency: Urgency::Routine,
            notes: "Synthetic note".into(),
        })
        .unwrap()
        .referral_id;
    answer(&mut p);
    // The laptop moves the referral on; the hub erases the person it is about.
    p.laptop
        .advance_referral(referral, ReferralStatus::Contacted, "", today())
        .unwrap();
    let request = ready_erasure_request(&mut p.hub, c);
    p.hub.erase(request).unwrap();
    round_trip(&mut p);
    for store in [&p.hub, &p.laptop] {
        assert!(store.person(c).is_err());
        let left: i64 = store
            .raw_connection_for_tests()
            .query_row(
                "SELECT count(*) FROM referral_events WHERE referral_id = ?1",
                [referral],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "no step of the erased person's referral stays");
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check().unwrap());
    }
}

#[test]
fn an_id_is_never_given_twice_so_a_replaced_row_is_not_taken_for_the_old_one() {
    let mut p = pair();
    let c = p.client;
    let phone_ids = |s: &Store| -> Vec<i64> {
        s.raw_connection_for_tests()
            .prepare("SELECT id FROM person_phones ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = phone_ids(&p.hub);
    // The client's only number replaced: the old row goes, a new one is made.
    set(&mut p.hub, c, |r| r.phones = vec!["07700 900777".into()]);
    let after = phone_ids(&p.hub);
    assert_eq!(after.len(), 1);
    assert!(after[0] > *before.iter().max().unwrap(), "{before:?} then {after:?}");
    // On the laptop the new number finds them, and the old one no longer does.
    answer(&mut p);
    assert_eq!(people_named(&p.laptop, "900777"), vec![c]);
    assert!(people_named(&p.laptop, "900001").is_empty());
    // Every table that takes ids from a laptop's range keeps its mark.
    let marked: i64 = p
        .hub
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'id_mark_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(marked as usize, dutydesk::store::ids::TABLES.len());
}
