//! No DBS or health value reaches a role that may not see it, anywhere: the person record
//! and its counts, search, the handover and its counts, the registers, every tab and the
//! person screen in the terminal, and every listing command of the CLI. Each check runs for
//! every role and is two-sided: the roles the profile gives the data do see it, so a sweep
//! that found nothing because nothing was there would fail.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::{Category, DbsLevel, DbsOutcome, FieldGroup, Role};
use dutydesk::store::handover::DueKind;
use dutydesk::store::sensitive::DbsCheckInput;
use ratatui::crossterm::event::KeyCode;

/// Values that are health or criminal offence data in the fixture.
const HEALTH: &str = "walking frame";
const CERTIFICATE: &str = "001234567890";
const DECISION: &str = "reviewed with the chair";

/// The fixture, with a second check whose disclosure was decided on, renewing within the
/// DBS officer's look-ahead so it is on the handover of those who may see it.
fn fixture() -> (tempfile::TempDir, dutydesk::store::DataDir, Fixture) {
    let (tmp, dir, f) = tui_fixture();
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    dbs.record_dbs_check(
        f.volunteer,
        &DbsCheckInput {
            level: DbsLevel::Enhanced,
            roles: vec!["Befriender".into()],
            certificate_number: "009876543210".into(),
            issue_date: NaiveDate::from_ymd_opt(2023, 12, 10).unwrap(),
            outcome: DbsOutcome::DisclosedSuitable,
            decision: DECISION.into(),
            update_service: false,
            renewal_due: Some(NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()),
        },
    )
    .unwrap();
    drop(dbs);
    (tmp, dir, f)
}

/// Who may see what, as the Good Neighbours notice says it (written out here, not read from
/// the access rules under test): a client's health to the roles that give services and
/// oversee them ("essential that we are aware of our clients' ... health needs"); criminal
/// offence data "only given to our DBS officers and, if relevant, the board of trustees".
/// `(health of a client, DBS checks of a volunteer)`.
fn expected(role: Role) -> (bool, bool) {
    match role {
        Role::DutyOfficer | Role::SectionLeader => (true, false),
        Role::Trustee => (true, true),
        Role::DbsOfficer => (false, true),
        Role::MembershipSecretary | Role::DataProtectionLead => (false, false),
    }
}

fn assert_clean(role: Role, what: &str, text: &str, health: bool, dbs: bool) {
    if !health {
        assert!(!text.contains(HEALTH), "{role:?}: {what} shows a health note\n{text}");
    }
    if !dbs {
        for marker in [CERTIFICATE, DECISION] {
            assert!(!text.contains(marker), "{role:?}: {what} shows DBS data\n{text}");
        }
    }
}

#[test]
fn the_store_gives_dbs_and_health_data_only_to_the_roles_the_profile_names() {
    let (_tmp, dir, f) = fixture();
    let mut some_saw = (false, false);
    for &role in Role::ALL {
        let store = unlock_as(&dir, role);
        let (health, dbs) = expected(role);
        assert_eq!(
            store.access().can_see(role, &[Category::Client], FieldGroup::Health),
            health,
            "{role:?}"
        );
        assert_eq!(
            store
                .access()
                .can_see(role, &[Category::Volunteer], FieldGroup::CriminalOffence),
            dbs,
            "{role:?}"
        );
        // The records, with their counts.
        if let Ok(view) = store.person(f.client) {
            assert_eq!(view.health_notes.is_some(), health, "{role:?}: the health-note count");
            assert_clean(role, "the client's record", &format!("{view:?}"), health, dbs);
        }
        if let Ok(view) = store.person(f.volunteer) {
            assert_eq!(view.dbs_checks.is_some(), dbs, "{role:?}: the DBS section");
            assert_clean(role, "the volunteer's record", &format!("{view:?}"), health, dbs);
            some_saw.1 |= format!("{view:?}").contains(CERTIFICATE);
        }
        // Reveal and the register are refused outright.
        match store.reveal_health(f.client, "role sweep") {
            Ok(notes) => {
                assert!(health, "{role:?} revealed health notes");
                some_saw.0 |= notes.iter().any(|n| n.note.contains(HEALTH));
            }
            Err(_) => assert!(
                !health || store.person(f.client).is_err(),
                "{role:?} refused its own data"
            ),
        }
        assert_eq!(store.dbs_register(None).is_ok(), dbs, "{role:?}: the DBS register");
        // Search: by certificate number, by the note's words, by name.
        for q in [CERTIFICATE, "009876543210", HEALTH, "walking", "Brackley", "Oakhill"] {
            let hits = store.search(q, 50).unwrap();
            assert_clean(role, &format!("search {q:?}"), &format!("{hits:?}"), health, dbs);
            if q.starts_with("00") || q.starts_with("walk") {
                assert!(hits.is_empty(), "{role:?}: {q:?} is not searchable");
            }
        }
        // The handover: no renewal, no application, no value, and so no count.
        let items = store.handover().unwrap();
        assert_clean(role, "the handover", &format!("{items:?}"), health, dbs);
        let renewals = items
            .iter()
            .filter(|i| matches!(i.kind, DueKind::DbsRenewal(_) | DueKind::DbsApplication(_)))
            .count();
        assert_eq!(renewals > 0, dbs, "{role:?}: DBS renewals on the handover");
    }
    assert_eq!(some_saw, (true, true), "the roles given the data saw it");
}

#[test]
fn no_screen_shows_dbs_or_health_data_to_a_role_that_may_not_see_it() {
    let (_tmp, dir, _f) = fixture();
    let mut some_saw = (false, false);
    for &role in Role::ALL {
        let (health, dbs) = expected(role);
        let mut a = unlocked_app(&dir, role);
        for tab in ["1", "2", "3", "4", "5"] {
            type_text(&mut a, tab);
            let text = screen(&mut a, 120, 40);
            assert_clean(role, &format!("tab {tab}"), &text, health, dbs);
        }
        type_text(&mut a, "1");
        for (name, group_seen) in [("Oakhill", health), ("Brackley", dbs)] {
            type_text(&mut a, "/");
            type_text(&mut a, name);
            key(&mut a, KeyCode::Enter);
            let text = screen(&mut a, 120, 40);
            assert_clean(role, &format!("{name}'s screen"), &text, health, dbs);
            if name == "Oakhill" && !group_seen {
                assert!(
                    !text.contains("note(s) hidden") && !text.contains("Health"),
                    "{role:?}\n{text}"
                );
            }
            if name == "Brackley" {
                if group_seen {
                    some_saw.1 |= text.contains("DBS");
                } else {
                    assert!(!text.contains("DBS"), "{role:?}: a DBS section\n{text}");
                }
            }
            if name == "Oakhill" && group_seen {
                some_saw.0 |= text.contains("note(s) hidden");
            }
            key(&mut a, KeyCode::Esc);
            key(&mut a, KeyCode::Esc);
        }
    }
    assert_eq!(some_saw, (true, true), "the roles given the data saw it");
}

#[test]
fn no_command_prints_dbs_or_health_data_for_a_role_that_may_not_see_it() {
    let (_tmp, dir, _f) = fixture();
    let mut dbs_listed = false;
    for &role in Role::ALL {
        let (health, dbs) = expected(role);
        for args in [
            vec!["search", "Brackley", "--json"],
            vec!["search", "Oakhill", "--json"],
            vec!["due"],
            vec!["dbs", "--json"],
            vec!["holds", "--json"],
            vec!["requests"],
            vec!["notices"],
        ] {
            let out = cli_as(&dir, role, &args);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_clean(role, &args.join(" "), &text, health, dbs);
            if args[0] == "dbs" {
                assert_eq!(out.status.success(), dbs, "{role:?}: dbs\n{text}");
                dbs_listed |= dbs && text.contains("Befriender");
            }
        }
    }
    assert!(dbs_listed, "the roles given DBS data got the register");
}
