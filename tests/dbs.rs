//! The DBS register: DBS officers record checks (level, roles covered from the profile, what
//! the certificate showed as they record it, the update service, the renewal date) and clear
//! renewals from the handover; no other role sees any of it, anywhere.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::{DbsLevel, DbsOutcome, Role};
use dutydesk::store::handover::DueKind;
use dutydesk::store::sensitive::DbsCheckInput;
use ratatui::crossterm::event::KeyCode;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn check(roles: &[&str], outcome: DbsOutcome, decision: &str) -> DbsCheckInput {
    DbsCheckInput {
        level: DbsLevel::EnhancedBarred,
        roles: roles.iter().map(|r| r.to_string()).collect(),
        certificate_number: "0012 3456 7890".into(),
        issue_date: d(2026, 11, 1),
        outcome,
        decision: decision.into(),
        update_service: true,
        renewal_due: None,
    }
}

#[test]
fn a_dbs_officer_records_a_check_and_no_other_role_sees_it() {
    let (_tmp, dir, f) = tui_fixture();
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    // Roles come from the profile; information disclosed needs the decision made on it.
    let e = dbs
        .record_dbs_check(f.volunteer, &check(&["Gardener"], DbsOutcome::Clear, ""))
        .unwrap_err()
        .to_string();
    assert!(e.contains("Befriender, Shopper, Driver"), "{e}");
    let e = dbs
        .record_dbs_check(f.volunteer, &check(&["driver"], DbsOutcome::DisclosedSuitable, " "))
        .unwrap_err()
        .to_string();
    assert!(e.contains("decision"), "{e}");
    let id = dbs
        .record_dbs_check(
            f.volunteer,
            &check(
                &["driver", "Shopper"],
                DbsOutcome::DisclosedSuitable,
                "Suitable for driving; reviewed with the chair",
            ),
        )
        .unwrap();
    let view = dbs.person(f.volunteer).unwrap();
    let c = view.dbs_checks.unwrap().into_iter().find(|c| c.id == id).unwrap();
    assert_eq!(c.service_role, "Driver, Shopper");
    assert_eq!(c.renewal_due, d(2029, 11, 1), "the profile's three years after issue");
    assert_eq!(
        (c.level, c.outcome, c.update_service),
        (
            Some(DbsLevel::EnhancedBarred),
            Some(DbsOutcome::DisclosedSuitable),
            true
        )
    );
    // The register, for the roles given criminal offence data; the view is audited.
    let rows = dbs.dbs_register(None).unwrap();
    assert!(rows.iter().any(|r| r.check_id == id && r.person_id == f.volunteer));
    drop(dbs);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty.dbs_register(None).is_err());
    // A duty officer does not even receive volunteers' records here; where a role does, the
    // DBS section is absent.
    assert!(duty.person(f.volunteer).map(|p| p.dbs_checks.is_none()).unwrap_or(true));
    assert!(duty
        .record_dbs_check(f.volunteer, &check(&["Driver"], DbsOutcome::Clear, ""))
        .is_err());
    assert!(duty
        .handover()
        .unwrap()
        .iter()
        .all(|i| !matches!(i.kind, DueKind::DbsRenewal(_))));
    drop(duty);
    let lead = unlock_as(&dir, Role::DataProtectionLead);
    let views: i64 = lead
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'view_sensitive' AND entity = 'dbs_checks'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(views >= 1);
}

#[test]
fn a_dbs_officer_clears_a_renewal_from_the_handover() {
    let (_tmp, dir, f) = tui_fixture();
    {
        // The volunteer's check is about to run out.
        let dbs = unlock_as(&dir, Role::DbsOfficer);
        dbs.raw_connection_for_tests()
            .execute(
                "UPDATE dbs_checks SET renewal_due = '2026-12-10' WHERE person_id = ?1",
                [f.volunteer],
            )
            .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DbsOfficer);
    let items = home_items(&mut a);
    let pos = items
        .iter()
        .position(|i| matches!(i.kind, DueKind::DbsRenewal(_)))
        .expect("the renewal is on the DBS officer's handover");
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("A DBS check for Peter Brackley") && text.contains("Roles covered:   Driver"),
        "{text}"
    );
    // Level, roles (kept), then the certificate number.
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "001234567892");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("DBS check recorded"),
        "{:?}",
        a.status
    );
    assert!(
        home_items(&mut a)
            .iter()
            .all(|i| !matches!(i.kind, DueKind::DbsRenewal(_))),
        "cleared"
    );
}

#[test]
fn an_application_waiting_over_30_days_comes_back_until_the_certificate_is_recorded() {
    let (_tmp, dir, f) = tui_fixture();
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    let waiting = |s: &dutydesk::store::Store| {
        s.handover()
            .unwrap()
            .iter()
            .filter(|i| matches!(i.kind, DueKind::DbsApplication(_)))
            .count()
    };
    dbs.apply_for_dbs(
        f.volunteer,
        DbsLevel::Enhanced,
        &["shopper".into()],
        today() - chrono::Duration::days(10),
    )
    .unwrap();
    assert_eq!(waiting(&dbs), 0, "ten days is not yet too long");
    assert!(dbs
        .apply_for_dbs(f.volunteer, DbsLevel::Enhanced, &["Gardener".into()], today())
        .is_err());
    let mut dbs2 = dbs;
    dbs2.raw_connection_for_tests()
        .execute(
            "UPDATE dbs_applications SET applied_on = ?1",
            [today() - chrono::Duration::days(40)],
        )
        .unwrap();
    assert_eq!(waiting(&dbs2), 1, "forty days: chase it");
    dbs2.record_dbs_check(f.volunteer, &check(&["Shopper"], DbsOutcome::Clear, ""))
        .unwrap();
    assert_eq!(waiting(&dbs2), 0, "the certificate came");
    drop(dbs2);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert_eq!(waiting(&duty), 0);
}

#[test]
fn a_newer_check_for_one_role_leaves_the_older_one_due_for_the_other() {
    let (_tmp, dir, f) = tui_fixture();
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    // Start from a clean register for this volunteer: a check for befriending and driving
    // that runs out this month, then a new one for driving only.
    dbs.raw_connection_for_tests()
        .execute("DELETE FROM dbs_checks WHERE person_id = ?1", [f.volunteer])
        .unwrap();
    let old = dbs
        .record_dbs_check(
            f.volunteer,
            &DbsCheckInput {
                renewal_due: Some(d(2026, 12, 20)),
                issue_date: d(2023, 12, 20),
                ..check(&["Befriender", "Driver"], DbsOutcome::Clear, "")
            },
        )
        .unwrap();
    let new = dbs
        .record_dbs_check(f.volunteer, &check(&["Driver"], DbsOutcome::Clear, ""))
        .unwrap();
    let rows: Vec<(i64, String)> = dbs
        .dbs_register(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.person_id == f.volunteer)
        .map(|r| (r.check_id, r.roles))
        .collect();
    assert_eq!(rows, vec![(old, "Befriender".to_string()), (new, "Driver".to_string())]);
    let renewal = dbs
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.person_id == f.volunteer && matches!(i.kind, DueKind::DbsRenewal(_)))
        .expect("befriending still needs renewing");
    assert_eq!(renewal.kind, DueKind::DbsRenewal(old));
    assert!(renewal.what.contains("(Befriender)"), "{}", renewal.what);
    assert_eq!(
        dbs.dbs_item_roles(&renewal.kind).unwrap(),
        vec!["Befriender".to_string()]
    );
}
