//! Complaints (DPA 2018 s.164A): recorded by whoever takes them, acknowledged within 30 days
//! (the day received counts as the first) and answered, on the data protection lead's
//! handover until then.

mod common;

use chrono::Duration;
use common::*;
use dutydesk::domain::complaint::ComplaintChannel;
use dutydesk::domain::Role;
use dutydesk::store::complaints::ComplaintInput;
use dutydesk::store::handover::DueKind;
use ratatui::crossterm::event::KeyCode;

fn complaint(person: Option<i64>, name: &str) -> ComplaintInput {
    ComplaintInput {
        person,
        complainant: name.into(),
        request: None,
        channel: ComplaintChannel::Phone,
        received_on: today() - Duration::days(3),
        about: "My details were read out in the waiting room".into(),
    }
}

#[test]
fn a_complaint_is_acknowledged_on_its_clock_and_answered() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let e = duty.record_complaint(&complaint(None, " ")).unwrap_err().to_string();
    assert!(e.contains("Say who is complaining"), "{e}");
    let id = duty.record_complaint(&complaint(Some(f.client), "")).unwrap();
    assert!(
        duty.acknowledge_complaint(id, today(), ComplaintChannel::Letter)
            .is_err(),
        "the lead's"
    );
    assert!(duty.complaints().is_err());
    drop(duty);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let item = lead
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.kind == DueKind::Complaint(id))
        .expect("on the lead's handover");
    // Received three days ago: the 30th day counting that one is 26 days from today.
    assert_eq!(item.due, Some(today() - Duration::days(3) + Duration::days(29)));
    assert_eq!(item.person_name, "Margaret Oakhill");
    let e = lead
        .close_complaint(
            id,
            "Spoke to the volunteer",
            "Apologised",
            today(),
            ComplaintChannel::Letter,
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("Acknowledge the complaint first"), "{e}");
    assert!(
        lead.acknowledge_complaint(id, today() - Duration::days(4), ComplaintChannel::Letter)
            .is_err(),
        "not before it came"
    );
    lead.acknowledge_complaint(id, today(), ComplaintChannel::Letter)
        .unwrap();
    let item = lead
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.kind == DueKind::Complaint(id))
        .unwrap();
    assert!(item.what.starts_with("Investigate the complaint"), "{}", item.what);
    assert!(lead
        .close_complaint(id, "", "Apologised", today(), ComplaintChannel::Letter)
        .is_err());
    lead.close_complaint(
        id,
        "Spoke to the volunteer and the duty officer on the day",
        "Apologised; names are no longer read out; the ICO's details given",
        today(),
        ComplaintChannel::Letter,
    )
    .unwrap();
    assert!(lead
        .handover()
        .unwrap()
        .iter()
        .all(|i| i.kind != DueKind::Complaint(id)));
    let c = lead.complaint(id).unwrap();
    assert_eq!((c.acknowledged_on, c.outcome_on), (Some(today()), Some(today())));
}

#[test]
fn a_complaint_from_the_keyboard_and_the_command_line() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "C");
    assert!(screen(&mut a, 80, 24).contains("within 30 days"));
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Mrs Quennell");
    for _ in 0..4 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "Letter sent to the wrong address");
    ctrl(&mut a, 's');
    let status = a.status.clone().unwrap().text;
    assert!(
        status.contains("Complaint #1 recorded: acknowledge it by 24/12/2026"),
        "{status}"
    );
    drop(a);
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    let items = home_items(&mut a);
    let pos = items.iter().position(|i| i.kind == DueKind::Complaint(1)).unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    assert!(screen(&mut a, 120, 40).contains("Acknowledge it by 24/12/2026"));
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("acknowledged"),
        "{:?}",
        a.status
    );
    drop(a);
    let out = cli_as(&dir, Role::DataProtectionLead, &["complaints"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Mrs Quennell") && text.contains("answer still to send"),
        "{text}"
    );
}

#[test]
fn the_acknowledgement_and_the_outcome_letters_say_what_the_law_asks() {
    use dutydesk::export::complaint_letters::{render_complaint_letter, write_complaint_letter, ComplaintLetter};
    let (_tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let id = lead.record_complaint(&complaint(Some(f.client), "")).unwrap();
    let (_, text) = render_complaint_letter(&lead, id, ComplaintLetter::Acknowledgement).unwrap();
    for want in [
        "Dear Margaret Oakhill",
        "Our reference: complaint",
        "My details were read out in the waiting room",
        "complain to the Information Commissioner",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(
        render_complaint_letter(&lead, id, ComplaintLetter::Outcome).is_err(),
        "not before the outcome"
    );
    lead.acknowledge_complaint(id, today(), ComplaintChannel::Letter)
        .unwrap();
    lead.close_complaint(
        id,
        "The waiting-room rota",
        "Names are no longer read out",
        today(),
        ComplaintChannel::Letter,
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let html = write_complaint_letter(&lead, id, ComplaintLetter::Outcome, &out.path().join("letters")).unwrap();
    let text = std::fs::read_to_string(html.with_extension("txt")).unwrap();
    for want in ["The waiting-room rota", "Names are no longer read out", "ask a court"] {
        assert!(text.contains(want), "{want}: {text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&html).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
