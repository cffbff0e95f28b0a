//! "Last contact" is the latest of any contact (`domain::retention::ContactSource`): each
//! kind of event, on its date, moves it forward, and never back; so the retention review
//! is counted from the right day.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::article14::NoticeMethod;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::referral::{ReferralStatus, ReferrerKind, Urgency};
use dutydesk::domain::retention::ContactSource;
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::{Category, ContactKind, Role};
use dutydesk::store::referrals::{PartyRef, ReferralIntake};
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn referral(store: &mut Store, person: i64, on: NaiveDate) -> i64 {
    store
        .take_referral(&ReferralIntake {
            received_on: on,
            caller_kind: ReferrerKind::SelfReferral,
            caller: None,
            caller_organisation: None,
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred: PartyRef::Existing(person),
            contacts: vec![],
            services: vec!["Driving".into()],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: true,
            urgency: Urgency::Routine,
            notes: String::new(),
        })
        .unwrap()
        .referral_id
}

/// Makes an event of `source` about `person` on `on` (the contact log can only log today).
fn event(store: &mut Store, source: ContactSource, person: i64, on: NaiveDate) {
    match source {
        ContactSource::ContactLog => {
            store.log_contact(person, ContactKind::Call, "").unwrap();
        }
        ContactSource::Service => {
            store.add_service(person, "Driving", on, None, "").unwrap();
        }
        ContactSource::Referral => {
            referral(store, person, on);
        }
        ContactSource::ReferralStep => {
            let r = referral(store, person, d(2019, 1, 1));
            store
                .advance_referral(r, ReferralStatus::Contacted, "rang", on)
                .unwrap();
        }
        ContactSource::RightsRequest => {
            store
                .record_request(&RequestIntake {
                    person_id: Some(person),
                    kinds: vec![RequestKind::Access],
                    channel: Some(Channel::Letter),
                    received_on: Some(on),
                    words: "Copy of my records".into(),
                    ..RequestIntake::default()
                })
                .unwrap();
        }
        ContactSource::Consent => {
            store
                .give_consent(person, "photo_web", ConsentMethod::WrittenForm, on, "")
                .unwrap();
        }
        ContactSource::NoticeGiven => {
            let n = store.notice_for_person(person).unwrap().unwrap().id;
            store.mark_notice_given(n, NoticeMethod::InPerson, on).unwrap();
        }
        ContactSource::Enquiry => {
            store
                .record_enquiry(&dutydesk::store::enquiries::EnquiryInput {
                    enquirer: dutydesk::store::referrals::PartyRef::Existing(person),
                    channel: dutydesk::domain::EnquiryChannel::Phone,
                    received_on: on,
                    about: "Groups near us".into(),
                    answer: None,
                })
                .unwrap();
        }
        ContactSource::GroupMembership => {
            let name = format!("Group {on}");
            let g = store
                .create_group(&name, dutydesk::domain::GroupFormat::Online, "")
                .unwrap();
            store.join_group(person, g, on).unwrap();
        }
        ContactSource::Donation => {
            store
                .record_donation(
                    person,
                    &dutydesk::store::donations::DonationInput {
                        amount_pence: 1000,
                        received_on: on,
                        platform: None,
                        shared_with_consent_on: None,
                        gift_aid: false,
                    },
                )
                .unwrap();
        }
    }
}

#[test]
fn every_kind_of_contact_moves_last_contact_forward_and_none_moves_it_back() {
    let (_tmp, dir, _f) = tui_fixture();
    for source in ContactSource::ALL {
        let mut lead = unlock_as(&dir, Role::DataProtectionLead);
        // Someone whose details came from someone else in 2019 (so a notice is owed).
        let p = lead
            .create_person(
                &record("Ottoline", &format!("{source:?}"), &[Category::Client]),
                &Obtained::Indirectly {
                    from_person: None,
                    from_text: Some("a neighbour".into()),
                    referral: None,
                },
                d(2019, 6, 1),
            )
            .unwrap();
        assert_eq!(lead.person(p).unwrap().last_contact, None, "{source:?}");
        let on = match source {
            ContactSource::ContactLog => today(),
            _ => d(2026, 10, 2),
        };
        drop(lead);
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        event(&mut duty, source, p, on);
        assert_eq!(duty.person(p).unwrap().last_contact, Some(on), "{source:?}");
        // An older event of the same kind leaves it where it is.
        if !matches!(
            source,
            ContactSource::ContactLog | ContactSource::NoticeGiven | ContactSource::Consent
        ) {
            event(&mut duty, source, p, d(2020, 1, 1));
            assert_eq!(duty.person(p).unwrap().last_contact, Some(on), "{source:?} moved back");
        }
    }
}
