//! Retention decisions, the data protection lead's: keep a record past its review (with a
//! reason and a new date) or erase it (the same erasure as for a request: Article 19 tasks,
//! tombstone, ledger, no request); from the handover, one review after another.

mod common;

use chrono::Days;
use common::*;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::{Category, HoldKind, Role};
use dutydesk::store::handover::{DueKind, Queue};
use dutydesk::store::Store;
use ratatui::crossterm::event::KeyCode;

/// Someone whose details came seven years ago and who has not been in touch since.
fn long_gone(store: &mut Store, given: &str, family: &str) -> i64 {
    store
        .create_person(
            &full_record(given, family, "07700 900555", "", "OX17 2XY", &[Category::Client]),
            &Obtained::Directly,
            today() - Days::new(7 * 365),
        )
        .unwrap()
}

fn reviews(store: &Store) -> Vec<i64> {
    store
        .handover()
        .unwrap()
        .iter()
        .filter_map(|i| match i.kind {
            DueKind::Retention(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn keeping_moves_the_review_and_erasing_at_review_leaves_only_a_tombstone() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let kept = long_gone(&mut lead, "Kenneth", "Keeper");
    let gone = long_gone(&mut lead, "Edna", "Eraseme");
    lead.record_disclosure(
        gone,
        &disclosure(
            "Surgery",
            "name and address",
            dutydesk::profile::LawfulBasis::VitalInterests,
            today() - Days::new(7 * 365 - 10),
        ),
    )
    .unwrap();
    assert!(reviews(&lead).contains(&kept) && reviews(&lead).contains(&gone));
    // Keep: a reason and a date after today are needed; then the review waits until then.
    let next = today() + Days::new(365);
    assert!(lead.keep_record(kept, " ", next).is_err());
    assert!(lead.keep_record(kept, "Insurance claim may follow", today()).is_err());
    lead.keep_record(kept, "Insurance claim may follow", next).unwrap();
    assert!(!reviews(&lead).contains(&kept));
    assert_eq!(lead.person(kept).unwrap().retention_review, Some(next));
    // Erase: refused before the review is due (the kept one) and under a hold.
    assert!(lead
        .erase_for_retention(kept)
        .unwrap_err()
        .to_string()
        .contains("not due"));
    let held = long_gone(&mut lead, "Harriet", "Heldfast");
    lead.place_hold(held, HoldKind::LegalClaim, "CC-9", today() + Days::new(30))
        .unwrap();
    assert!(lead.erase_for_retention(held).is_err());
    let report = lead.erase_for_retention(gone).unwrap();
    assert_eq!((report.request_id, report.article19_tasks), (None, 1));
    assert!(lead.person(gone).is_err());
    assert!(lead.search("eraseme", 5).unwrap().is_empty());
    assert_eq!(lead.tombstone(gone).unwrap(), Some((today(), None)));
    assert!(lead
        .handover()
        .unwrap()
        .iter()
        .any(|i| i.queue() == Queue::Article19 && i.what.contains("Surgery")));
    assert!(lead.check().unwrap().is_empty(), "{:?}", lead.check().unwrap());
    // Only the lead decides.
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty.keep_record(kept, "x", next).is_err());
    assert!(duty.erase_for_retention(held).is_err());
}

#[test]
fn the_lead_works_down_the_reviews_from_the_handover_keep_then_erase() {
    let (_tmp, dir, _f) = tui_fixture();
    let (first, second) = {
        let mut lead = unlock_as(&dir, Role::DataProtectionLead);
        (
            long_gone(&mut lead, "Alma", "Aldous"),
            long_gone(&mut lead, "Bertie", "Bramble"),
        )
    };
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    for _ in 0..12 {
        if screen(&mut a, 80, 24).contains("Retention reviews only") {
            break;
        }
        type_text(&mut a, "f");
    }
    assert!(screen(&mut a, 80, 24).contains("Retention reviews only"));
    // The first review: keep, with a reason.
    type_text(&mut a, "x");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Retention review") && text.contains("last contact"),
        "{text}"
    );
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Returning client each winter");
    ctrl(&mut a, 's');
    assert!(a.status.as_ref().unwrap().text.contains("Kept"), "{:?}", a.status);
    // Still on the retention queue, on the next review: erase it, typing the family name.
    assert!(screen(&mut a, 80, 24).contains("Retention reviews only"));
    let next = home_items(&mut a)
        .iter()
        .filter(|i| i.queue() == Queue::Retention)
        .map(|i| i.person_id)
        .next()
        .unwrap();
    type_text(&mut a, "x");
    key(&mut a, KeyCode::Right);
    for _ in 0..3 {
        key(&mut a, KeyCode::Tab);
    }
    let family = if next == first { "Aldous" } else { "Bramble" };
    type_text(&mut a, family);
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Erased at review"),
        "{:?}",
        a.status
    );
    drop(a);
    let lead = unlock_as(&dir, Role::DataProtectionLead);
    let kept = if next == first { second } else { first };
    assert!(lead.person(next).is_err());
    assert!(lead.person(kept).is_ok());
}
