//! Consent: giving and withdrawing it with the exact wording, the history, the follow-up a
//! withdrawal leaves on the handover, and what is refused without active consent. Every
//! person here is invented.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::{Category, Role};
use dutydesk::store::consents::CONSENT_FOLLOWUP;
use dutydesk::store::handover::Queue;
use dutydesk::store::{DataDir, Store, StoreError};

const PHOTO: &str = "photo_web";

/// A case file with one client, reopened as the duty officer.
fn with_client() -> (tempfile::TempDir, DataDir, Store, i64) {
    let (tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let client = add(
        &mut lead,
        &full_record("Albert", "Consent", "01295 710003", "", "OX17 2RH", &[Category::Client]),
    );
    drop(lead);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    (tmp, dir, duty, client)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn consent_records_the_exact_wording_how_who_when_and_evidence() {
    let (_tmp, _dir, mut duty, client) = with_client();
    assert!(!duty.consent_active(client, PHOTO).unwrap(), "nothing is pre-ticked");
    duty.give_consent(
        client,
        PHOTO,
        ConsentMethod::WrittenForm,
        d(2026, 11, 20),
        "form 2026-031",
    )
    .unwrap();
    assert!(duty.consent_active(client, PHOTO).unwrap());
    let h = duty.consent_history(client).unwrap();
    assert_eq!(h.len(), 1);
    let e = &h[0];
    let wording = &duty.profile().consent_purpose(PHOTO).unwrap().wording;
    assert_eq!((e.given, e.wording_version, &e.wording), (true, 2, wording));
    assert_eq!(e.how, "written_form");
    assert_eq!(e.on, d(2026, 11, 20));
    assert_eq!(e.by.as_deref(), Some("duty-officer"));
    assert_eq!(e.evidence.as_deref(), Some("form 2026-031"));
    // The audit log names fields, never the wording or the evidence.
    let fields: String = duty
        .raw_connection_for_tests()
        .query_row("SELECT group_concat(fields, ' ') FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(!fields.contains("2026-031") && !fields.contains("Do you agree"));
}

#[test]
fn consent_is_refused_for_unknown_purposes_twice_or_in_the_future() {
    let (_tmp, _dir, mut duty, client) = with_client();
    let e = duty
        .give_consent(client, "marketing", ConsentMethod::Email, today(), "")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("\"marketing\" is not a consent purpose in the organisation profile: choose one of photo_web."),
        "{e}"
    );
    let e = duty
        .give_consent(client, PHOTO, ConsentMethod::Email, today() + Duration::days(1), "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("in the future"), "{e}");
    duty.give_consent(client, PHOTO, ConsentMethod::Email, today(), "")
        .unwrap();
    let e = duty
        .give_consent(client, PHOTO, ConsentMethod::Email, today(), "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("already active"), "{e}");
    assert_eq!(duty.consent_history(client).unwrap().len(), 1);
}

#[test]
fn withdrawal_is_recorded_and_leaves_a_follow_up_on_the_handover_until_done() {
    let (_tmp, _dir, mut duty, client) = with_client();
    let e = duty
        .withdraw_consent(client, PHOTO, ConsentMethod::VerbalPhone, today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no active consent"), "{e}");

    duty.give_consent(client, PHOTO, ConsentMethod::InPerson, d(2026, 11, 1), "")
        .unwrap();
    duty.record_publication(client, PHOTO, "photo on the website news page", d(2026, 11, 2))
        .unwrap();
    let w = duty
        .withdraw_consent(client, PHOTO, ConsentMethod::VerbalPhone, today())
        .unwrap();
    assert!(!duty.consent_active(client, PHOTO).unwrap());
    let h = duty.consent_history(client).unwrap();
    assert_eq!(
        h.iter()
            .map(|e| (e.given, e.how.as_str(), e.wording_version))
            .collect::<Vec<_>>(),
        vec![(true, "in_person", 2), (false, "verbal_phone", 2)]
    );
    assert_eq!(h[1].id, w.consent_id);

    // The follow-up names the purpose and what was published, and stays until done.
    let tasks = duty.open_tasks(Some(client)).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].id, w.task_id);
    assert_eq!(tasks[0].kind, CONSENT_FOLLOWUP);
    assert!(
        tasks[0].about.contains("Photo on our website or social media"),
        "{}",
        tasks[0].about
    );
    assert!(
        tasks[0].about.contains("photo on the website news page (02/11/2026)"),
        "{}",
        tasks[0].about
    );
    let on_handover = |s: &Store| {
        s.handover()
            .unwrap()
            .into_iter()
            .filter(|i| i.queue() == Queue::Task)
            .map(|i| (i.item_id(), i.person_id, i.due))
            .collect::<Vec<_>>()
    };
    assert_eq!(on_handover(&duty), vec![(w.task_id, client, Some(today()))]);
    // Withdrawing twice is refused; publishing after withdrawal is refused.
    assert!(duty
        .withdraw_consent(client, PHOTO, ConsentMethod::Email, today())
        .is_err());
    assert!(duty
        .record_publication(client, PHOTO, "photo in the newsletter", today())
        .is_err());

    let e = duty.complete_task(w.task_id, "").unwrap_err().to_string();
    assert!(e.contains("outcome"), "{e}");
    assert_eq!(on_handover(&duty).len(), 1, "still there after a refused completion");
    duty.complete_task(w.task_id, "Photo removed from the website and Facebook")
        .unwrap();
    assert!(on_handover(&duty).is_empty());
    assert!(matches!(
        duty.complete_task(w.task_id, "again"),
        Err(StoreError::NotFound(..))
    ));
}

#[test]
fn given_again_under_new_wording_shows_every_version() {
    let (_tmp, dir, mut duty, client) = with_client();
    duty.give_consent(client, PHOTO, ConsentMethod::VerbalPhone, d(2026, 10, 1), "")
        .unwrap();
    duty.withdraw_consent(client, PHOTO, ConsentMethod::Email, d(2026, 10, 15))
        .unwrap();
    drop(duty);
    // The charity rewords the consent: its next version.
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let was = lead.profile().consent_purpose(PHOTO).unwrap().version;
    let (old, new) = (
        format!("version = {was}\n\n[retention]"),
        format!("version = {}\n\n[retention]", was + 1),
    );
    let text = profile_at_version(profile_version() + 1)
        .replace(
            "may put your photo on our website",
            "may put a photo of you on our website",
        )
        .replace(&old, &new);
    assert!(text.contains(&new), "the consent's version line");
    let unversioned = text.replace(&new, &old);
    let e = lead.set_profile(&unversioned).unwrap_err().to_string();
    assert!(e.contains("changed but its version did not"), "{e}");
    lead.set_profile(&text).unwrap();
    assert_eq!(lead.profile().consent_purpose(PHOTO).unwrap().version, was + 1);
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.give_consent(client, PHOTO, ConsentMethod::WrittenForm, today(), "form 77")
        .unwrap();
    let h = duty.consent_history(client).unwrap();
    assert_eq!(
        h.iter().map(|e| (e.given, e.wording_version)).collect::<Vec<_>>(),
        vec![(true, was), (false, was), (true, was + 1)]
    );
    assert!(h[0]
        .wording
        .contains("Middleton Cheney Good Neighbours Scheme may put your photo"));
    assert!(h[2].wording.contains("may put a photo of you on our website"));
}

#[test]
fn publication_is_refused_without_active_consent() {
    let (_tmp, _dir, mut duty, client) = with_client();
    let e = duty
        .record_publication(client, PHOTO, "photo on the website", today())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "has not given active consent for \"Photo on our website or social media\": record their consent first"
        ),
        "{e}"
    );
    assert!(duty.publications(client).unwrap().is_empty());
    duty.give_consent(client, PHOTO, ConsentMethod::Email, today(), "")
        .unwrap();
    assert!(duty.record_publication(client, PHOTO, "", today()).is_err());
    let id = duty
        .record_publication(client, PHOTO, "photo on the website", today())
        .unwrap();
    let p = duty.publications(client).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].id, p[0].what.as_str()), (id, "photo on the website"));
}

#[test]
fn restriction_blocks_giving_and_publishing_but_never_withdrawing() {
    let (_tmp, dir, mut duty, client) = with_client();
    duty.give_consent(client, PHOTO, ConsentMethod::Email, today(), "")
        .unwrap();
    duty.raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [client])
        .unwrap();
    assert!(duty.consent_history(client).is_err(), "hidden from the duty officer");
    drop(duty);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    assert!(matches!(
        lead.record_publication(client, PHOTO, "photo on the website", today()),
        Err(StoreError::Restricted)
    ));
    lead.withdraw_consent(client, PHOTO, ConsentMethod::Email, today())
        .unwrap();
    assert!(matches!(
        lead.give_consent(client, PHOTO, ConsentMethod::Email, today(), ""),
        Err(StoreError::Restricted)
    ));
    // The follow-up shows to the lead only.
    assert_eq!(lead.open_tasks(None).unwrap().len(), 1);
    drop(lead);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty.open_tasks(None).unwrap().is_empty());
}

#[test]
fn roles_that_do_not_receive_the_person_cannot_see_or_record_consent() {
    let (_tmp, dir, duty, client) = with_client();
    drop(duty);
    let mut sec = unlock_as(&dir, Role::MembershipSecretary);
    assert!(sec.consent_history(client).is_err());
    assert!(sec
        .give_consent(client, PHOTO, ConsentMethod::Email, today(), "")
        .is_err());
    assert!(sec.consent_active(client, PHOTO).is_err());
}
