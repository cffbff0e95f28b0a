//! Legal holds: placed, reviewed and lifted by the data protection lead alone, audited; while
//! one stands, erasure is refused with its reason and retention is suspended; it comes back on
//! the lead's handover at its review date; from the keyboard too.

mod common;

use chrono::Duration;
use common::*;
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::{HoldKind, Role};
use dutydesk::store::handover::DueKind;
use dutydesk::store::holds::HoldDecision;
use dutydesk::store::requests::RequestIntake;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_hold_refuses_erasure_with_its_reason_until_it_is_lifted() {
    let (_tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let review = today() + Duration::days(90);
    let hold = lead
        .place_hold(f.worker, HoldKind::InsuranceClaim, "Claim IC-2026-042", review)
        .unwrap();
    let h = lead.hold(hold).unwrap();
    assert_eq!(h.reason, "Insurance claim: Claim IC-2026-042");
    assert_eq!((h.review_on, h.lifted_on), (Some(review), None));
    assert!(lead.person(f.worker).unwrap().legal_hold);
    let request = lead
        .record_request(&RequestIntake {
            person_id: Some(f.worker),
            kinds: vec![RequestKind::Erasure],
            channel: Some(Channel::Email),
            received_on: Some(today()),
            words: "Please delete me.".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    let e = lead.erase(request).unwrap_err().to_string();
    assert!(e.contains("legal hold") && e.contains("IC-2026-042"), "{e}");
    // A review keeps it; lifting needs a note.
    lead.review_hold(
        hold,
        &HoldDecision::Keep {
            next_review: today() + Duration::days(180),
        },
    )
    .unwrap();
    assert!(lead
        .review_hold(hold, &HoldDecision::Lift { note: " ".into() })
        .unwrap_err()
        .to_string()
        .contains("Say why"));
    lead.review_hold(
        hold,
        &HoldDecision::Lift {
            note: "Claim settled".into(),
        },
    )
    .unwrap();
    assert!(!lead.person(f.worker).unwrap().legal_hold);
    assert!(lead.erase(request).is_ok());
    // Every step is in the audit log, by id only.
    let n: i64 = lead
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'legal_hold' AND entity_id = ?1",
            [hold],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn only_the_lead_places_or_sees_holds_and_reviews_come_back_on_the_leads_handover() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let review = today() + Duration::days(10);
    let e = duty
        .place_hold(f.client, HoldKind::LegalClaim, "", review)
        .unwrap_err()
        .to_string();
    assert!(e.contains("may not") && e.contains("place a legal hold"), "{e}");
    assert!(duty.holds(false).is_err());
    drop(duty);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let hold = lead.place_hold(f.client, HoldKind::LegalClaim, "", review).unwrap();
    // Not in the past.
    assert!(lead.place_hold(f.client, HoldKind::LegalClaim, "", today()).is_err());
    assert!(lead
        .handover()
        .unwrap()
        .iter()
        .any(|i| i.kind == DueKind::HoldReview(hold) && i.person_id == f.client));
    assert_eq!(lead.holds(false).unwrap().len(), 1);
    drop(lead);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty
        .handover()
        .unwrap()
        .iter()
        .all(|i| !matches!(i.kind, DueKind::HoldReview(_))));
}

#[test]
fn the_lead_places_a_hold_from_the_keyboard_and_lifts_it_from_the_handover() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "/");
    type_text(&mut a, "Sandhu");
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 120, 40).contains("Legal holds"));
    type_text(&mut a, "L");
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Keep every record of Ravi Sandhu"), "{text}");
    // Why: the second reason in the list; a reference; a review date soon.
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "IC-7");
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "05/12/2026");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap();
    assert!(!status.error, "{status:?}");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Insurance claim: IC-7") && text.contains("review 05/12/2026"),
        "{text}"
    );
    // The handover's retention queue has the review; x there lifts it with a note.
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "1");
    let items = home_items(&mut a);
    let pos = items
        .iter()
        .position(|i| matches!(i.kind, DueKind::HoldReview(_)))
        .expect("the hold review is on the lead's handover");
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Legal hold on Ravi Sandhu: Insurance claim: IC-7"),
        "{text}"
    );
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Claim withdrawn");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap();
    assert!(status.text.contains("Hold lifted"), "{status:?}");
    drop(a);
    let lead = unlock_as(&dir, Role::DataProtectionLead);
    let holds = lead.holds_of(f.worker).unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(holds[0].lift_note.as_deref(), Some("Claim withdrawn"));
}
