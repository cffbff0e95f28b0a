//! A perinatal peer-support charity at the keyboard, with the case file checked after each:
//! an enquiry call taken and answered from the handover, a mum referring herself, and a mum's
//! explicit consent to her story on the blog, before it is published. Everyone is invented.

mod common;

use common::*;
use dutydesk::domain::referral::ReferrerKind;
use dutydesk::domain::{Category, Role};
use dutydesk::store::handover::{DueKind, Queue};
use dutydesk::store::DataDir;
use dutydesk::tui::app::{App, Phase, Session};
use dutydesk::tui::screens::person::PersonScreen;
use dutydesk::tui::screens::referral_intake::ReferralIntakeScreen;
use ratatui::crossterm::event::KeyCode;

fn session(app: &mut App) -> &mut Session {
    match &mut app.phase {
        Phase::Ready(s) => s,
        _ => panic!("not unlocked"),
    }
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

/// A perinatal charity's case file with a user per role.
fn perinatal_file() -> (tempfile::TempDir, DataDir) {
    let text = dutydesk::profile::builtin_example("perinatal-peer-support").unwrap();
    let (tmp, dir, mut lead) = new_case_file_with(&text);
    add_role_users(&mut lead);
    drop(lead);
    (tmp, dir)
}

#[test]
fn an_enquiry_call_is_taken_then_answered_from_the_handover() {
    let (_tmp, dir) = perinatal_file();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    assert!(
        screen(&mut a, 120, 40).contains("duty-officer · Enquiries volunteer"),
        "the role in the charity's words"
    );
    // I: someone new asks on Facebook whether there is a group near them.
    type_text(&mut a, "I");
    type_text(&mut a, "Lottie");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Asker");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "07700 900611");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab); // no email
    assert!(
        screen(&mut a, 120, 40).contains("Filed as:"),
        "{}",
        screen(&mut a, 120, 40)
    );
    key(&mut a, KeyCode::Tab); // filed as an enquirer, the first choice
    type_text(&mut a, "s"); // social media
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab); // received today
    type_text(&mut a, "Is there a group near Banbury?");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("waits on the handover"), "{:?}", a.status);
    let lottie = session(&mut a).view::<PersonScreen>().expect("her screen opens").id();
    let shown = screen(&mut a, 120, 40);
    assert!(shown.contains("Enquirer"), "{shown}");
    assert!(
        shown.contains("by social media: Is there a group near Banbury? (not answered yet)"),
        "{shown}"
    );
    {
        let s = session(&mut a);
        let p = s.store.person(lottie).unwrap();
        assert_eq!(p.record.categories, vec![Category::Enquirer]);
        assert_eq!(p.record.phones, vec!["07700 900611".to_string()]);
        assert!(
            s.store.notice_for_person(lottie).unwrap().is_none(),
            "she gave her own details"
        );
    }
    // Back on the handover, it waits under Enquiries; x records the answer.
    key(&mut a, KeyCode::Esc);
    let items = home_items(&mut a);
    let at = items
        .iter()
        .position(|i| i.queue() == Queue::Enquiry && i.person_id == lottie)
        .expect("on the handover");
    for _ in 0..at {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    type_text(&mut a, "Sent her the Tuesday group's details");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("Answer recorded"), "{:?}", a.status);
    let s = session(&mut a);
    let e = s.store.enquiries_of(lottie).unwrap().unwrap();
    assert_eq!(e[0].answer.as_deref(), Some("Sent her the Tuesday group's details"));
    assert!(s
        .store
        .handover()
        .unwrap()
        .iter()
        .all(|i| !matches!(i.kind, DueKind::Enquiry(_))));
}

#[test]
fn a_mum_refers_herself_and_is_filed_as_a_mum_with_no_notice_owed() {
    let (_tmp, dir) = perinatal_file();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "i");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Health professional"),
        "callers in the charity's words: {text}"
    );
    type_text(&mut a, "t"); // the person themselves
    tab_to(&mut a, "given");
    type_text(&mut a, "Mira");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Selfe");
    tab_to(&mut a, "phone");
    type_text(&mut a, "07700 900612");
    assert!(
        session(&mut a)
            .view::<ReferralIntakeScreen>()
            .unwrap()
            .form
            .fields()
            .iter()
            .all(|f| f.id() != "dob"),
        "the perinatal notice collects no date of birth"
    );
    tab_to(&mut a, "services");
    type_text(&mut a, " "); // face-to-face peer support groups
    tab_to(&mut a, "knows");
    type_text(&mut a, "y");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "y");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("Referral saved"), "{:?}", a.status);
    let mira = session(&mut a).view::<PersonScreen>().expect("her screen").id();
    let s = session(&mut a);
    let p = s.store.person(mira).unwrap();
    assert_eq!(p.record.categories, vec![Category::Client]);
    assert_eq!(s.store.profile().category_label(Category::Client), "Mum");
    let r = s
        .store
        .referral(p.pending_referral.expect("referred until accepted"))
        .unwrap();
    assert_eq!(r.row.referrer_kind, ReferrerKind::SelfReferral);
    assert_eq!(r.row.services, vec!["face-to-face peer support groups".to_string()]);
    assert!(
        s.store.notice_for_person(mira).unwrap().is_none(),
        "her own referral: no notice owed"
    );
}

#[test]
fn a_mums_story_goes_on_the_blog_only_with_her_explicit_consent() {
    let (_tmp, dir) = perinatal_file();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        add(&mut duty, &record("Nell", "Storey", &[Category::Client]));
    }
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "nell");
    key(&mut a, KeyCode::Enter);
    let nell = session(&mut a).view::<PersonScreen>().expect("her screen").id();
    assert!(screen(&mut a, 120, 40).contains("Mum"));
    // Without consent, her story is not published.
    type_text(&mut a, "P");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Nell's story for the blog");
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().error,
        "refused without consent: {:?}",
        a.status
    );
    // Esc asks before throwing the typing away; yes closes the form.
    key(&mut a, KeyCode::Esc);
    assert!(screen(&mut a, 120, 40).contains("Discard what was typed?"));
    type_text(&mut a, "y");
    // c: her explicit consent, with the wording read out.
    type_text(&mut a, "c");
    let text = screen(&mut a, 120, 40);
    assert!(text.contains("explicit consent"), "{text}");
    assert!(
        text.contains("Juno Perinatal Mental Health Support"),
        "the charity's own name: {text}"
    );
    key(&mut a, KeyCode::Right); // the story on the blog
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "w"); // written form
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "signed form 3");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("Consent recorded"), "{:?}", a.status);
    type_text(&mut a, "P");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Nell's story for the blog");
    ctrl(&mut a, 's');
    assert!(status(&a).contains("Publication recorded"), "{:?}", a.status);
    let s = session(&mut a);
    let h = s.store.consent_history(nell).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].purpose, "story_media");
    assert!(h[0].wording.contains("explicit consent"));
    assert_eq!(s.store.publications(nell).unwrap().len(), 1);
}
