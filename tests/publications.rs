//! Publications (photos, stories) are listed per person, live until taken down; restriction
//! and erasure each leave a takedown task for every live one (after an erasure, by id only),
//! and completing a takedown or a withdrawal's follow-up marks them taken down.

mod common;

use common::*;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::Role;
use dutydesk::store::handover::DueKind;
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::Store;

const PHOTO: &str = "photo_web";

/// Margaret, with photo consent and a photo on the website.
fn published(dir: &dutydesk::store::DataDir, client: i64) -> i64 {
    let mut duty = unlock_as(dir, Role::DutyOfficer);
    duty.give_consent(client, PHOTO, ConsentMethod::WrittenForm, today(), "form 12")
        .unwrap();
    duty.record_publication(client, PHOTO, "Margaret Oakhill at the summer tea", today())
        .unwrap()
}

fn request(lead: &mut Store, person: i64, kind: RequestKind) -> i64 {
    lead.record_request(&RequestIntake {
        person_id: Some(person),
        kinds: vec![kind],
        channel: Some(Channel::Letter),
        received_on: Some(today()),
        words: "As discussed on the phone".into(),
        ..RequestIntake::default()
    })
    .unwrap()
}

fn takedowns(store: &Store) -> Vec<(Option<i64>, String, Option<i64>)> {
    let mut st = store
        .raw_connection_for_tests()
        .prepare("SELECT person_id, about, publication_id FROM tasks WHERE kind = 'takedown' AND done_on IS NULL")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_restriction_takes_the_photo_down_and_completing_it_says_so() {
    let (_tmp, dir, f) = tui_fixture();
    let photo = published(&dir, f.client);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let live = lead.publications(f.client).unwrap();
    assert_eq!((live[0].id, live[0].taken_down_on), (photo, None));
    let r = request(&mut lead, f.client, RequestKind::Restriction);
    lead.restrict(r).unwrap();
    let tasks = takedowns(&lead);
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0].0, tasks[0].2), (Some(f.client), Some(photo)));
    assert!(tasks[0].1.contains("Margaret Oakhill at the summer tea") && tasks[0].1.contains("restricted"));
    // On the lead's handover (the person is restricted: only the lead sees it); done from there.
    let item = lead
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.what.starts_with("Take down"))
        .expect("the takedown is on the handover");
    let DueKind::Task(task) = item.kind else {
        panic!("a task")
    };
    lead.complete_task(task, "removed from the website news page").unwrap();
    assert_eq!(lead.publications(f.client).unwrap()[0].taken_down_on, Some(today()));
}

#[test]
fn an_erasure_leaves_a_takedown_with_ids_only_on_the_leads_handover() {
    let (_tmp, dir, f) = tui_fixture();
    let photo = published(&dir, f.client);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let r = request(&mut lead, f.client, RequestKind::Erasure);
    lead.erase(r).unwrap();
    let tasks = takedowns(&lead);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let (person, about, publication) = &tasks[0];
    assert_eq!((*person, *publication), (None, Some(photo)));
    assert!(about.contains(&format!("publication #{photo}")), "{about}");
    assert!(
        !about.contains("Margaret") && !about.contains("summer tea"),
        "ids only: {about}"
    );
    let item = lead
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.what.starts_with("Take down"))
        .expect("on the lead's handover");
    assert_eq!(item.person_name, "Erased person");
    let DueKind::Task(task) = item.kind else {
        panic!("a task")
    };
    lead.complete_task(task, "photo removed from the website").unwrap();
    assert!(takedowns(&lead).is_empty());
    drop(lead);
    // Nobody else sees it.
    let duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty
        .handover()
        .unwrap()
        .iter()
        .all(|i| !i.what.starts_with("Take down")));
}

#[test]
fn completing_a_withdrawals_follow_up_takes_that_purposes_publications_down() {
    let (_tmp, dir, f) = tui_fixture();
    published(&dir, f.client);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let w = duty
        .withdraw_consent(f.client, PHOTO, ConsentMethod::VerbalPhone, today())
        .unwrap();
    assert!(
        duty.publications(f.client).unwrap()[0].taken_down_on.is_none(),
        "still live until done"
    );
    duty.complete_task(w.task_id, "photo removed from the website").unwrap();
    assert_eq!(duty.publications(f.client).unwrap()[0].taken_down_on, Some(today()));
}
