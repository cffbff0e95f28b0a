//! The breach log: a lost laptop recorded by the duty officer who noticed, on the lead's
//! handover with its 72-hour clock, decided with reasons, reported with the ICO's reference,
//! and (for a high risk) a task to tell the people affected.

mod common;

use chrono::Duration;
use common::*;
use dutydesk::domain::breach::BreachRisk;
use dutydesk::domain::{FieldGroup, Role};
use dutydesk::store::breaches::BreachInput;
use dutydesk::store::handover::DueKind;
use ratatui::crossterm::event::KeyCode;

fn lost_laptop() -> BreachInput {
    let now = clock().now();
    BreachInput {
        what: "The rota laptop was left on a bus".into(),
        happened_at: Some(now - Duration::hours(20)),
        aware_at: now - Duration::hours(2),
        everyone: true,
        people: vec![],
        data_groups: vec![FieldGroup::Name, FieldGroup::Address, FieldGroup::Health],
        consequences: "None expected: the case file is encrypted and the laptop was locked".into(),
        measures: "Reported to the bus company; passphrases changed; restored from backup".into(),
    }
}

#[test]
fn a_lost_laptop_is_logged_decided_and_kept_with_its_reasons() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    // Checked as a record is: not in the future, not before it happened, someone affected.
    let mut bad = lost_laptop();
    bad.aware_at = clock().now() + Duration::hours(1);
    assert!(duty.record_breach(&bad).is_err());
    let mut bad = lost_laptop();
    bad.everyone = false;
    let e = duty.record_breach(&bad).unwrap_err().to_string();
    assert!(e.contains("Say who is affected"), "{e}");
    let id = duty.record_breach(&lost_laptop()).unwrap();
    // The duty officer may not read the log or decide.
    assert!(duty.breaches().is_err());
    assert!(duty
        .decide_breach(id, BreachRisk::Unlikely, "Encrypted, so unlikely")
        .is_err());
    drop(duty);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let item = lead
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.kind == DueKind::Breach(id))
        .expect("on the lead's handover");
    assert_eq!(
        item.due_at,
        Some(clock().now() - Duration::hours(2) + Duration::hours(72))
    );
    assert!(item.what.starts_with("Decide whether to report"), "{}", item.what);
    // Reasons are required either way.
    assert!(lead.decide_breach(id, BreachRisk::Unlikely, "no").is_err());
    lead.decide_breach(
        id,
        BreachRisk::Unlikely,
        "The case file is encrypted with SQLCipher and the key needs a passphrase the finder does not have",
    )
    .unwrap();
    assert!(
        lead.handover().unwrap().iter().all(|i| i.kind != DueKind::Breach(id)),
        "decided: off the handover"
    );
    let b = lead.breach(id).unwrap();
    assert_eq!(b.risk, Some(BreachRisk::Unlikely));
    assert!(
        lead.breach_reported(id, clock().now(), "x").is_err(),
        "nothing to report"
    );
    // Everyone on file when it happened sees it in their access pack (the fixture's people
    // were filed this morning: say Margaret was filed in the spring).
    lead.raw_connection_for_tests()
        .execute(
            "UPDATE people SET created_at = '2026-04-01 10:00:00' WHERE id = ?1",
            [f.client],
        )
        .unwrap();
    let r = lead
        .record_request(&dutydesk::store::requests::RequestIntake {
            person_id: Some(f.client),
            kinds: vec![dutydesk::domain::rights::RequestKind::Access],
            channel: Some(dutydesk::domain::rights::Channel::Letter),
            received_on: Some(today()),
            words: "Everything".into(),
            ..Default::default()
        })
        .unwrap();
    let pack = lead.full_record_for_request(f.client, r).unwrap();
    assert_eq!(pack.breaches[0].breach_id, id);
}

#[test]
fn a_high_risk_is_reported_and_the_people_affected_are_told() {
    let (_tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let mut letter = lost_laptop();
    letter.what = "A letter about Margaret's health went to the wrong address".into();
    letter.everyone = false;
    letter.people = vec![f.client];
    let id = lead.record_breach(&letter).unwrap();
    lead.decide_breach(id, BreachRisk::High, "Health details seen by a neighbour who knows her")
        .unwrap();
    let items = lead.handover().unwrap();
    let report = items
        .iter()
        .find(|i| i.kind == DueKind::Breach(id))
        .expect("still to report");
    assert!(
        report.what.starts_with("Report this breach to the ICO"),
        "{}",
        report.what
    );
    assert!(
        items.iter().any(
            |i| i.person_id == f.client && i.what.starts_with(&format!("Tell the people affected by breach #{id}"))
        ),
        "a task to tell her"
    );
    // The letter to her (Article 34): what happened, what it may mean, what was done, whom to ask.
    let out = tempfile::tempdir().unwrap();
    let n = dutydesk::export::breach_letters::write_breach_letters(&lead, id, out.path()).unwrap();
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(out.path().join(format!("breach-{id}-person-{}.txt", f.client))).unwrap();
    for want in [
        "Dear Margaret Oakhill",
        "A letter about Margaret's health went to the wrong address",
        "The information involved: name, address, mobility and health (special category).",
        "None expected",
        "Reported to the bus company",
        "complain to the Information Commissioner",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    lead.breach_reported(id, clock().now(), "ICO/2026/12345").unwrap();
    assert!(lead.handover().unwrap().iter().all(|i| i.kind != DueKind::Breach(id)));
    assert_eq!(
        lead.breach(id).unwrap().ico_reference.as_deref(),
        Some("ICO/2026/12345")
    );
}

#[test]
fn a_breach_from_the_keyboard_and_the_command_line() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "!");
    assert!(screen(&mut a, 80, 24).contains("72 hours"));
    type_text(&mut a, "Rota laptop lost on the 500 bus");
    for _ in 0..5 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, " "); // names
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Unlikely: encrypted");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Passphrases changed");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap().text;
    assert!(
        status.contains("Breach #1 recorded") && status.contains("28/11/2026 09:00"),
        "{status}"
    );
    drop(a);
    // The lead decides from the handover.
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    let items = home_items(&mut a);
    let pos = items
        .iter()
        .position(|i| i.kind == DueKind::Breach(1))
        .expect("on the handover");
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    assert!(screen(&mut a, 120, 40).contains("Decide on the breach"));
    key(&mut a, KeyCode::Left); // Unlikely
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Encrypted case file, locked laptop, strong passphrases");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("no report"), "{:?}", a.status);
    drop(a);
    let out = cli_as(&dir, Role::DataProtectionLead, &["breaches"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Rota laptop lost") && text.contains("decided: unlikely"),
        "{text}"
    );
}
