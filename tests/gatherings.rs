//! Enquiries, support groups and donations: who may record and see them (the enquirer's
//! correspondence, the member's services, the donor's correspondence), the checks on what is
//! typed, the handover's unanswered enquiries, and the access pack carrying them. Run under
//! the perinatal peer-support profile, whose notice they come from, and the Good Neighbours
//! one. Everyone is invented.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::person::PersonForm;
use dutydesk::domain::{Category, Role};
use dutydesk::domain::{EnquiryChannel, GroupFormat};
use dutydesk::store::donations::DonationInput;
use dutydesk::store::enquiries::EnquiryInput;
use dutydesk::store::handover::{DueKind, Queue};
use dutydesk::store::referrals::PartyRef;
use dutydesk::store::StoreError;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn perinatal() -> String {
    dutydesk::profile::builtin_example("perinatal-peer-support").unwrap()
}

fn new_enquirer(given: &str) -> PartyRef {
    PartyRef::New(
        PersonForm {
            given_name: given.into(),
            family_name: "Askwith".into(),
            phones: "07700 900701".into(),
            categories: vec![Category::Enquirer],
            ..PersonForm::default()
        }
        .validate(today())
        .unwrap(),
    )
}

fn enquiry(enquirer: PartyRef, answer: Option<&str>) -> EnquiryInput {
    EnquiryInput {
        enquirer,
        channel: EnquiryChannel::SocialMedia,
        received_on: d(2026, 11, 24),
        about: "Is there a group near Banbury?".into(),
        answer: answer.map(String::from),
    }
}

#[test]
fn an_enquiry_files_the_enquirer_waits_on_the_handover_and_is_answered() {
    let (_tmp, dir, mut lead) = new_case_file_with(&perinatal());
    add_role_users(&mut lead);
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let (id, person) = duty.record_enquiry(&enquiry(new_enquirer("Esme"), None)).unwrap();
    let p = duty.person(person).unwrap();
    assert_eq!(p.record.categories, vec![Category::Enquirer]);
    // They gave their own details: no notice owed. Asking is contact.
    assert!(duty.notice_for_person(person).unwrap().is_none());
    assert_eq!(p.last_contact, Some(d(2026, 11, 24)));
    // On the handover, due within the profile's first-contact working days (Tuesday + 2).
    let item = duty
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.kind == DueKind::Enquiry(id))
        .expect("the enquiry waits on the handover");
    assert_eq!(item.queue(), Queue::Enquiry);
    assert_eq!(item.due, Some(d(2026, 11, 26)));
    assert_eq!(item.person_name, "Esme Askwith");
    assert!(item.what.contains("social media"), "{}", item.what);
    // Answers are checked, then recorded once.
    assert!(duty.answer_enquiry(id, "  ", today()).is_err());
    assert!(duty.answer_enquiry(id, "Sent the details", d(2026, 11, 1)).is_err());
    duty.answer_enquiry(id, "Sent the details of the Tuesday group", today())
        .unwrap();
    assert!(duty.answer_enquiry(id, "Again", today()).is_err());
    assert!(duty.handover().unwrap().iter().all(|i| i.kind != DueKind::Enquiry(id)));
    let listed = duty.enquiries_of(person).unwrap().unwrap();
    assert_eq!(listed[0].answered_on, Some(today()));
    // Answered at once: never on the handover.
    let (quick, _) = duty
        .record_enquiry(&enquiry(new_enquirer("Faye"), Some("Told her the times")))
        .unwrap();
    assert!(duty
        .handover()
        .unwrap()
        .iter()
        .all(|i| i.kind != DueKind::Enquiry(quick)));
    // Nothing blank, nothing in the future.
    let mut blank = enquiry(PartyRef::Existing(person), None);
    blank.about = " ".into();
    assert!(duty.record_enquiry(&blank).is_err());
    let mut future = enquiry(PartyRef::Existing(person), None);
    future.received_on = d(2026, 12, 25);
    assert!(duty.record_enquiry(&future).is_err());
    drop(duty);
    // The lead, who sees every record, takes one too.
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    assert!(lead.record_enquiry(&enquiry(new_enquirer("Hester"), None)).is_ok());
    drop(lead);
    // A trustee does not receive an enquirer's correspondence: not on their handover, not theirs
    // to record.
    let mut trustee = unlock_as(&dir, Role::Trustee);
    assert!(trustee.handover().unwrap().iter().all(|i| i.queue() != Queue::Enquiry));
    assert!(trustee.enquiry(id).is_err());
    assert!(trustee.record_enquiry(&enquiry(new_enquirer("Gail"), None)).is_err());
}

#[test]
fn groups_have_members_by_the_day_and_only_those_a_role_may_see_are_named() {
    let (_tmp, dir, mut lead) = new_case_file_with(&perinatal());
    add_role_users(&mut lead);
    let mum = add(&mut lead, &record("Hattie", "Cradle", &[Category::Client]));
    let donor = add(&mut lead, &record("Ingrid", "Giver", &[Category::Friend]));
    drop(lead);
    let mut leader = unlock_as(&dir, Role::SectionLeader);
    assert!(leader.runs_groups());
    let g = leader
        .create_group(
            "Tuesday mornings",
            GroupFormat::FaceToFace,
            "Tuesdays 10am, the library",
        )
        .unwrap();
    let e = leader
        .create_group("tuesday MORNINGS", GroupFormat::Online, "")
        .unwrap_err();
    assert!(e.to_string().contains("already a group"), "{e}");
    leader.join_group(mum, g, d(2026, 11, 3)).unwrap();
    assert!(leader.join_group(mum, g, today()).is_err(), "already in it");
    assert!(
        leader.join_group(mum, g, d(2026, 12, 25)).is_err(),
        "not before the day"
    );
    // A donor's services are not the leader's to see or change.
    assert!(leader.join_group(donor, g, today()).is_err());
    let members = leader.group_members(g).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].person, "Hattie Cradle");
    assert_eq!(leader.group(g).unwrap().members, 1);
    assert_eq!(leader.person(mum).unwrap().last_contact, Some(d(2026, 11, 3)));
    let m = leader.memberships_of(mum).unwrap().unwrap()[0].clone();
    assert!(
        m.summary()
            .contains("Tuesday mornings (face to face), since 03/11/2026"),
        "{}",
        m.summary()
    );
    assert!(leader.leave_group(m.id, d(2026, 11, 1)).is_err(), "before joining");
    leader.leave_group(m.id, today()).unwrap();
    assert!(leader.leave_group(m.id, today()).is_err(), "left already");
    assert_eq!(leader.group(g).unwrap().members, 0);
    leader.join_group(mum, g, today()).unwrap();
    leader.close_group(g).unwrap();
    assert!(leader.group_members(g).unwrap().is_empty());
    assert!(leader.join_group(mum, g, today()).is_err(), "closed");
    let history = leader.memberships_of(mum).unwrap().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|m| m.left_on.is_some()));
}

#[test]
fn a_donation_through_a_platform_records_the_donors_agreement_to_share() {
    let (_tmp, dir, mut lead) = new_case_file_with(&perinatal());
    add_role_users(&mut lead);
    let donor = add(&mut lead, &record("Juno", "Giver", &[Category::Friend]));
    drop(lead);
    let mut trustee = unlock_as(&dir, Role::Trustee);
    let through = |platform: Option<&str>, agreed: Option<NaiveDate>| DonationInput {
        amount_pence: 2500,
        received_on: d(2026, 11, 20),
        platform: platform.map(String::from),
        shared_with_consent_on: agreed,
        gift_aid: true,
    };
    let e = trustee
        .record_donation(donor, &through(Some("JustGiving"), None))
        .unwrap_err();
    assert!(e.to_string().contains("agreed there to share"), "{e}");
    assert!(trustee
        .record_donation(donor, &through(Some("JustGiving"), Some(d(2026, 12, 24))))
        .is_err());
    let mut nothing = through(None, None);
    nothing.amount_pence = 0;
    assert!(trustee.record_donation(donor, &nothing).is_err());
    trustee
        .record_donation(donor, &through(Some("JustGiving"), Some(d(2026, 11, 20))))
        .unwrap();
    trustee.record_donation(donor, &through(None, None)).unwrap();
    let given = trustee.donations_of(donor).unwrap().unwrap();
    assert_eq!(given.len(), 2);
    assert_eq!(
        given
            .iter()
            .filter(|d| d.summary().contains("through JustGiving (agreed to share 20/11/2026)"))
            .count(),
        1
    );
    assert!(given
        .iter()
        .any(|d| d.summary() == "£25.00 on 20/11/2026, given directly, Gift Aid"));
    drop(trustee);
    // The enquiries volunteer does not receive donors at all.
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(matches!(duty.donations_of(donor), Err(StoreError::NotFound(..))));
    assert!(duty.record_donation(donor, &through(None, None)).is_err());
}

#[test]
fn the_access_pack_carries_enquiries_groups_and_donations() {
    for (id, text) in every_profile() {
        let (tmp, _dir, mut lead) = new_case_file_with(&text);
        let cat = lead.profile().categories[0].key;
        let p = add(&mut lead, &record("Kit", "Packer", &[cat]));
        lead.record_enquiry(&enquiry(PartyRef::Existing(p), Some("Answered by phone")))
            .unwrap();
        let g = lead.create_group("Evening online", GroupFormat::Online, "").unwrap();
        lead.join_group(p, g, today()).unwrap();
        lead.record_donation(
            p,
            &DonationInput {
                amount_pence: 1000,
                received_on: today(),
                platform: None,
                shared_with_consent_on: None,
                gift_aid: false,
            },
        )
        .unwrap();
        let request = lead
            .record_request(&dutydesk::store::requests::RequestIntake {
                person_id: Some(p),
                kinds: vec![dutydesk::domain::rights::RequestKind::Access],
                channel: Some(dutydesk::domain::rights::Channel::Email),
                received_on: Some(today()),
                words: "Everything please".into(),
                ..Default::default()
            })
            .unwrap();
        let out = tmp.path().join("pack");
        dutydesk::export::pack::subject_access_pack(&lead, request, &out).unwrap();
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        for want in [
            "Your enquiries",
            "Is there a group near Banbury?",
            "Your support groups",
            "Evening online",
            "Your donations",
        ] {
            assert!(index.contains(want), "{id}: {want} missing from the pack");
        }
    }
}

#[test]
fn a_donors_notice_says_we_hold_their_correspondence_once_they_have_given() {
    use dutydesk::domain::person::Obtained;
    let (_tmp, _dir, mut lead) = new_case_file_with(&perinatal());
    let donor = lead
        .create_person(
            &record("Petra", "Platform", &[Category::Friend]),
            &Obtained::Indirectly {
                from_person: None,
                from_text: Some("JustGiving".into()),
                referral: None,
            },
            today(),
        )
        .unwrap();
    let correspondence = "- Correspondence";
    let before = dutydesk::export::notice::render_notice(&lead, donor).unwrap().text;
    assert!(!before.contains(correspondence), "nothing yet:\n{before}");
    lead.record_donation(
        donor,
        &DonationInput {
            amount_pence: 2000,
            received_on: today(),
            platform: Some("JustGiving".into()),
            shared_with_consent_on: Some(today()),
            gift_aid: false,
        },
    )
    .unwrap();
    let after = dutydesk::export::notice::render_notice(&lead, donor).unwrap().text;
    assert!(after.contains(correspondence), "{after}");
    // An enquiry that reads like health details is refused: it would reach roles that may
    // not see health data.
    let e = lead
        .record_enquiry(&EnquiryInput {
            enquirer: PartyRef::Existing(donor),
            channel: EnquiryChannel::Email,
            received_on: today(),
            about: "Asked about support for her panic attacks".into(),
            answer: None,
        })
        .unwrap_err();
    assert!(e.to_string().contains("health note"), "{e}");
}
