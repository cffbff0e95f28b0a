//! Volunteers within a duty officer's reach, assignments with what they are for, and
//! services (requested, arranged, done, cancelled) on both people's records, counting as
//! contact for retention.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use dutydesk::domain::{FieldGroup, RelationKind, Role, ServiceStatus};
use dutydesk::store::services::ServiceInput;
use dutydesk::store::Store;
use ratatui::crossterm::event::KeyCode;

fn service(kind: &str, status: ServiceStatus, on: NaiveDate, volunteer: Option<i64>) -> ServiceInput {
    ServiceInput {
        service: kind.into(),
        status,
        on,
        volunteer,
        note: String::new(),
    }
}

fn last_contact(store: &Store, id: i64) -> Option<NaiveDate> {
    store
        .raw_connection_for_tests()
        .query_row("SELECT last_contact FROM people WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_duty_officer_finds_a_volunteer_and_sees_their_phone_but_nothing_sensitive() {
    let (_tmp, dir, f) = tui_fixture();
    let duty = unlock_as(&dir, Role::DutyOfficer);
    // By name and by phone.
    assert!(duty.search("Brackley", 10).unwrap().iter().any(|h| h.id == f.volunteer));
    assert!(duty
        .search("07700 900125", 10)
        .unwrap()
        .iter()
        .any(|h| h.id == f.volunteer));
    let v = duty.person(f.volunteer).unwrap();
    assert_eq!(v.record.phones, vec!["07700 900125".to_string()]);
    for g in [
        FieldGroup::Health,
        FieldGroup::References,
        FieldGroup::CriminalOffence,
        FieldGroup::Address,
        FieldGroup::Correspondence,
    ] {
        assert!(!v.sees(g), "{g:?}");
    }
    assert!(v.health_notes.is_none() && v.dbs_checks.is_none() && v.contacts.is_none());
    // The client's screen names the volunteer with their phone; the volunteer's names the client.
    let c = duty.person(f.client).unwrap();
    let line = c
        .relationships
        .iter()
        .find(|r| r.kind == RelationKind::AssignedVolunteer)
        .expect("the assigned volunteer is shown");
    assert_eq!(
        (line.other_id, line.other_phone.as_deref()),
        (f.volunteer, Some("07700 900125"))
    );
    assert!(v.relationships.iter().any(|r| r.inverse && r.other_id == f.client));
}

#[test]
fn an_assignment_says_what_for_and_needs_the_dbs_check_those_services_need() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let other = add(
        &mut duty,
        &full_record(
            "Nora",
            "Quillfeather",
            "07700 900140",
            "",
            "",
            &[dutydesk::domain::Category::Client],
        ),
    );
    let e = duty
        .assign_volunteer_for(other, f.volunteer, &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("Say what the volunteer is assigned for"), "{e}");
    let e = duty
        .assign_volunteer_for(other, f.volunteer, &["gardening".into()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("driving, befriending, shopping, practical help"), "{e}");
    // The fixture's volunteer holds a Driver check, not a Befriender one.
    let e = duty
        .assign_volunteer_for(other, f.volunteer, &["Driving".into(), "befriending".into()])
        .unwrap_err()
        .to_string();
    assert!(e.contains("no valid DBS check as a Befriender"), "{e}");
    let link = duty
        .assign_volunteer_for(other, f.volunteer, &["Driving".into(), "practical help".into()])
        .unwrap();
    let rel = duty
        .person(other)
        .unwrap()
        .relationships
        .into_iter()
        .find(|r| r.id == link)
        .unwrap();
    assert_eq!(rel.services.as_deref(), Some("driving, practical help"));
    // And from the volunteer's side.
    let rel = duty
        .person(f.volunteer)
        .unwrap()
        .relationships
        .into_iter()
        .find(|r| r.id == link)
        .unwrap();
    assert!(rel.inverse && rel.services.as_deref() == Some("driving, practical help"));
}

#[test]
fn services_have_a_status_show_on_both_records_and_count_as_contact() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let before_volunteer = last_contact(&duty, f.volunteer);
    let next_week = today() + Duration::days(7);
    // Done cannot be in the future; arranged can.
    let e = duty
        .record_service(
            f.client,
            &service("driving", ServiceStatus::Done, next_week, Some(f.volunteer)),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("mark it arranged"), "{e}");
    let lift = duty
        .record_service(
            f.client,
            &service("Driving", ServiceStatus::Arranged, next_week, Some(f.volunteer)),
        )
        .unwrap();
    // Booking it is contact with the client today; the volunteer has given nothing yet.
    assert_eq!(last_contact(&duty, f.client), Some(today()));
    assert_eq!(last_contact(&duty, f.volunteer), before_volunteer);
    // Only a volunteer gives services, and only with the check the service needs.
    let e = duty
        .record_service(
            f.client,
            &service("driving", ServiceStatus::Arranged, next_week, Some(f.worker)),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("Only a volunteer"), "{e}");
    let e = duty
        .record_service(
            f.client,
            &service("shopping", ServiceStatus::Arranged, next_week, Some(f.volunteer)),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("no valid DBS check as a Shopper"), "{e}");
    // Called off: no check needed for a service that will not happen.
    duty.record_service(
        f.client,
        &service("shopping", ServiceStatus::Cancelled, next_week, Some(f.volunteer)),
    )
    .unwrap();
    // Both records list it.
    let on_client = duty.person(f.client).unwrap().services.unwrap();
    let entry = on_client.iter().find(|s| s.id == lift).unwrap();
    assert_eq!(
        (entry.status, entry.volunteer.as_deref(), entry.given),
        (ServiceStatus::Arranged, Some("Peter Brackley"), false)
    );
    let on_volunteer = duty.person(f.volunteer).unwrap().services.unwrap();
    let entry = on_volunteer.iter().find(|s| s.id == lift).unwrap();
    assert_eq!((entry.client.as_deref(), entry.given), (Some("Margaret Oakhill"), true));
    // Done, a day early: the volunteer's last contact moves too.
    let done_on = today() - Duration::days(1);
    duty.raw_connection_for_tests()
        .execute("UPDATE people SET last_contact = NULL WHERE id = ?1", [f.volunteer])
        .unwrap();
    duty.change_service(
        lift,
        &service("driving", ServiceStatus::Done, done_on, Some(f.volunteer)),
    )
    .unwrap();
    assert_eq!(last_contact(&duty, f.volunteer), Some(done_on));
    let e = duty
        .change_service(lift, &service("befriending", ServiceStatus::Done, done_on, None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("keeps its kind"), "{e}");
    drop(duty);
    // A role that may not see the client (the membership secretary) sees the service on the
    // volunteer's record without the client's name.
    let membership = unlock_as(&dir, Role::MembershipSecretary);
    let on_volunteer = membership.person(f.volunteer).unwrap().services.unwrap();
    let entry = on_volunteer.iter().find(|s| s.id == lift).unwrap();
    assert_eq!(entry.client, None);
}

#[test]
fn a_duty_officer_assigns_a_volunteer_and_arranges_then_completes_a_lift_from_the_keyboard() {
    let (_tmp, dir, f) = tui_fixture();
    {
        // Start without the fixture's assignment.
        let duty = unlock_as(&dir, Role::DutyOfficer);
        duty.raw_connection_for_tests()
            .execute("DELETE FROM relationships WHERE kind = 'assigned_volunteer'", [])
            .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    // r, "Assign a volunteer" (the fifth choice), find him, then what for.
    type_text(&mut a, "r");
    for _ in 0..4 {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "brackley");
    key(&mut a, KeyCode::Enter);
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("What is Peter Brackley assigned for?"), "{text}");
    type_text(&mut a, " "); // tick driving
    ctrl(&mut a, 's');
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Volunteer assigned for driving"),
        "{:?}",
        a.status
    );
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Assigned volunteer          Peter Brackley  07700 900125  (driving)"),
        "{text}"
    );
    // v: a lift on Friday, arranged with him.
    type_text(&mut a, "v");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Left); // Done -> Arranged
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "27/11/2026");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Surgery 10:30");
    ctrl(&mut a, 's');
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Service recorded: driving arranged"),
        "{:?}",
        a.status
    );
    // Enter on it: done.
    type_text(&mut a, "G");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("27/11/2026  Arranged  driving with Peter Brackley: Surgery 10:30"),
        "{text}"
    );
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Right); // Arranged -> Done
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("Driving for Margaret Oakhill, 27/11/2026"), "{text}");
    ctrl(&mut a, 's');
    // Friday has not come yet (the test's today is Wednesday 25th): done on the day it was.
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("change the date, or mark it arranged"),
        "{:?}",
        a.status
    );
    key(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    type_text(&mut a, "25/11/2026");
    ctrl(&mut a, 's');
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Service changed: driving done"),
        "{:?}",
        a.status
    );
    drop(a);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let services = duty.person(f.client).unwrap().services.unwrap();
    assert!(services.iter().any(|s| s.status == ServiceStatus::Done
        && s.delivered_on == today()
        && s.volunteer_id == Some(f.volunteer)
        && s.note.as_deref() == Some("Surgery 10:30")));
}

#[test]
fn no_role_learns_a_name_through_a_relationship_or_a_service_it_may_not_see() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.add_service(f.client, "practical help", today(), Some(f.volunteer), "")
            .unwrap();
    }
    let everyone = [f.client, f.daughter, f.volunteer, f.worker];
    for &role in Role::ALL {
        let store = unlock_as(&dir, role);
        // The names this role may see, by id.
        let visible: Vec<(i64, String)> = everyone
            .iter()
            .filter_map(|id| store.person(*id).ok().map(|v| (*id, v.name())))
            .collect();
        let may_see = |id: i64, name: &str| visible.iter().any(|(v, n)| *v == id && n == name);
        for (id, _) in &visible {
            let v = store.person(*id).unwrap();
            for r in &v.relationships {
                assert!(
                    may_see(r.other_id, &r.other_name),
                    "{role:?}: {} through a relationship",
                    r.other_id
                );
            }
            for s in v.services.iter().flatten() {
                if let (Some(vid), Some(name)) = (s.volunteer_id, &s.volunteer) {
                    assert!(may_see(vid, name), "{role:?}: volunteer {vid} through a service");
                }
                if let Some(name) = &s.client {
                    assert!(
                        may_see(s.client_id, name),
                        "{role:?}: client {} through a service",
                        s.client_id
                    );
                }
            }
        }
        // And the handover names only people the role may see (or "Erased person").
        for item in store.handover().unwrap() {
            assert!(
                item.person_id == 0
                    || may_see(item.person_id, &item.person_name)
                    || !everyone.contains(&item.person_id),
                "{role:?}: {} on the handover",
                item.person_id
            );
        }
    }
}
