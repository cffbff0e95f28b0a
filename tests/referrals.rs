//! Referrals: taking one during a call, its lifecycle, and who may see it. Every person here
//! is invented.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use dutydesk::domain::article14::Trigger;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::person::{Obtained, PersonRecord};
use dutydesk::domain::referral::{ReferralStatus, ReferrerKind, Urgency};
use dutydesk::domain::{Category, RelationKind, Role};
use dutydesk::store::handover::Queue;
use dutydesk::store::referrals::{IntakeContact, PartyRef, ReferralFilter, ReferralIntake};
use dutydesk::store::{Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn social_worker() -> PersonRecord {
    let mut w = full_record(
        "Ravi",
        "Sandhu",
        "0161 496 0001",
        "r.sandhu@example.net",
        "",
        &[Category::Professional],
    );
    w.title = Some("Mr".into());
    w
}

fn older_man() -> PersonRecord {
    let mut m = full_record(
        "Albert",
        "Whitfield",
        "01295 710001",
        "",
        "OX17 2RF",
        &[Category::Client],
    );
    m.title = Some("Mr".into());
    m
}

fn daughter() -> PersonRecord {
    let mut r = full_record(
        "Joan",
        "Whitfield",
        "07700 900301",
        "joan@example.org",
        "",
        &[Category::Relative],
    );
    r.title = Some("Ms".into());
    r
}

/// The issue's call: a social worker refers an older man, giving his daughter as next of kin.
fn the_call() -> ReferralIntake {
    ReferralIntake {
        received_on: today(),
        caller_kind: ReferrerKind::Professional,
        caller: Some(PartyRef::New(social_worker())),
        caller_organisation: Some("Adult Social Care".into()),
        caller_is_next_of_kin: false,
        caller_is_emergency_contact: false,
        caller_relation: None,
        referred: PartyRef::New(older_man()),
        contacts: vec![IntakeContact {
            person: PartyRef::New(daughter()),
            kinds: vec![RelationKind::NextOfKin],
            relation: Some("daughter".into()),
        }],
        services: vec!["Driving".into(), "befriending".into()],
        health_notes: "Uses a walking frame; cannot manage steps".into(),
        person_knows: true,
        person_agrees: true,
        urgency: Urgency::Soon,
        notes: "Lives alone since his wife died".into(),
    }
}

/// A case file with one user per role, reopened as the duty officer.
fn duty_case_file() -> (tempfile::TempDir, dutydesk::store::DataDir, Store) {
    let (tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    drop(lead);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    (tmp, dir, duty)
}

#[test]
fn done_when_a_social_worker_refers_an_older_man_with_his_daughter_as_next_of_kin() {
    let (tmp, _dir, mut duty) = duty_case_file();
    let out = duty.take_referral(&the_call()).unwrap();
    assert_eq!(out.created.len(), 3, "worker, man and daughter are filed");
    let worker = out.caller_id.unwrap();
    let man = out.person_id;
    let daughter_id = out.contact_ids[0];

    // Both the man and his daughter have a notice due one month after the referral.
    assert_eq!(out.notices.len(), 2);
    let pending = duty.pending_notices().unwrap();
    let people: Vec<i64> = pending.iter().map(|n| n.person_id).collect();
    assert!(people.contains(&man) && people.contains(&daughter_id), "{pending:#?}");
    assert!(!people.contains(&worker), "the caller spoke to us: no notice is owed");
    for n in &pending {
        assert_eq!(n.due_on, d(2026, 12, 25));
        assert_eq!(n.due_reason, Some(Trigger::OneMonth));
        assert_eq!(n.days_left, 30);
        assert_eq!(n.referral.as_ref().unwrap().id, out.referral_id);
        assert_eq!(n.source_person_id, Some(worker));
    }

    // The people, their links and the health note.
    let m = duty.person(man).unwrap();
    assert!(m.obtained_indirectly);
    assert_eq!(m.obtained_referral, Some(out.referral_id));
    assert_eq!(m.obtained_from.as_ref().map(|(id, _)| *id), Some(worker));
    let links: Vec<(RelationKind, i64)> = m.relationships.iter().map(|r| (r.kind, r.other_id)).collect();
    assert!(links.contains(&(RelationKind::Professional, worker)), "{links:?}");
    assert!(links.contains(&(RelationKind::NextOfKin, daughter_id)), "{links:?}");
    assert_eq!(m.health_notes, Some(1));
    let w = duty.person(worker).unwrap();
    assert!(!w.obtained_indirectly);
    assert_eq!(w.record.organisation.as_deref(), Some("Adult Social Care"));
    let dv = duty.person(daughter_id).unwrap();
    assert!(dv.record.categories.contains(&Category::Relative));
    assert_eq!(dv.obtained_referral, Some(out.referral_id));

    // The referral itself.
    let rows = duty.referrals(ReferralFilter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.status, ReferralStatus::New);
    assert_eq!(r.urgency, Urgency::Soon);
    assert_eq!(r.days_waiting, 0);
    assert_eq!(r.person_name, "Mr Albert Whitfield");
    assert_eq!(r.referrer_name.as_deref(), Some("Mr Ravi Sandhu"));
    assert_eq!(r.referrer_org.as_deref(), Some("Adult Social Care"));
    assert_eq!(r.services, vec!["driving".to_string(), "befriending".to_string()]);
    let detail = duty.referral(out.referral_id).unwrap();
    assert!(detail.person_knows && detail.person_agrees);
    assert_eq!(detail.events.len(), 1);
    assert_eq!(detail.events[0].status, ReferralStatus::New);
    assert_eq!(detail.events[0].by.as_deref(), Some("duty-officer"));

    // The daughter's notice names the social worker's referral as the source and lists her
    // categories of data (and not her father's).
    let notice = dutydesk::export::notice::render_notice(&duty, daughter_id).unwrap();
    let t = &notice.text;
    assert!(t.contains("Ms Joan Whitfield"), "{t}");
    assert!(
        t.contains("Mr Ravi Sandhu, a social or healthcare worker at Adult Social Care"),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "referral to our services received on 25 November 2026 (our reference R-{})",
            out.referral_id
        )),
        "{t}"
    );
    assert!(t.contains("did not come from a publicly accessible source"), "{t}");
    let held = section(t, "THE INFORMATION WE HOLD ABOUT YOU");
    // What we hold of her, and nothing else (no correspondence with her yet).
    assert_eq!(held, "- Name\n- Phone numbers\n- Email address", "{t}");
    assert!(
        !t.contains("Mobility and health"),
        "a relative's notice claims no health data"
    );

    // The man gives, then withdraws, consent to his photo on the website.
    duty.give_consent(man, "photo_web", ConsentMethod::VerbalPhone, today(), "call 25/11")
        .unwrap();
    duty.withdraw_consent(man, "photo_web", ConsentMethod::VerbalPhone, today())
        .unwrap();
    let history = duty.consent_history(man).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|e| (e.purpose.as_str(), e.given, e.wording_version))
            .collect::<Vec<_>>(),
        vec![("photo_web", true, 2), ("photo_web", false, 2)]
    );
    let task = duty
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| i.queue() == Queue::Task)
        .expect("the withdrawal leaves a follow-up on the handover");
    assert_eq!(task.person_id, man);
    assert!(
        task.what.contains("Photo on our website or social media"),
        "{}",
        task.what
    );

    // The audit log holds ids and field names, never the values typed on the call.
    let fields: String = duty
        .raw_connection_for_tests()
        .query_row("SELECT group_concat(fields, ' ') FROM audit_log", [], |r| r.get(0))
        .unwrap();
    for value in ["Whitfield", "Sandhu", "walking", "Adult Social", "wife", "25/11"] {
        assert!(!fields.contains(value), "audit log holds {value}");
    }
    drop(tmp);
}

/// The lines of a plain-text notice section, up to the next blank line.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(heading).unwrap() + heading.len() + 1;
    let rest = &text[start..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_relative_calling_is_linked_as_next_of_kin_or_relative_and_self_referrals_owe_no_notice() {
    let (_tmp, _dir, mut duty) = duty_case_file();
    let son = full_record("Derek", "Whitfield", "07700 900302", "", "", &[Category::Relative]);
    let mut call = the_call();
    call.caller_kind = ReferrerKind::Relative;
    call.caller = Some(PartyRef::New(son));
    call.caller_organisation = None;
    call.caller_is_next_of_kin = true;
    call.contacts.clear();
    let out = duty.take_referral(&call).unwrap();
    let m = duty.person(out.person_id).unwrap();
    assert!(m
        .relationships
        .iter()
        .any(|r| r.kind == RelationKind::NextOfKin && r.other_id == out.caller_id.unwrap()));
    assert_eq!(out.notices.len(), 1, "only the man: his son spoke to us");

    // Someone referring themselves gave us their own data.
    let mut call = the_call();
    call.caller_kind = ReferrerKind::SelfReferral;
    call.caller = None;
    call.caller_organisation = None;
    call.referred = PartyRef::New(full_record(
        "Edna",
        "Marsh",
        "01295 710002",
        "",
        "OX17 2RG",
        &[Category::Client],
    ));
    call.contacts = vec![IntakeContact {
        person: PartyRef::New(full_record(
            "Ken",
            "Marsh",
            "07700 900303",
            "",
            "",
            &[Category::Relative],
        )),
        kinds: vec![RelationKind::Relative],
        relation: None,
    }];
    let out = duty.take_referral(&call).unwrap();
    assert_eq!(out.caller_id, None);
    assert!(!duty.person(out.person_id).unwrap().obtained_indirectly);
    // ...but her relative's details came from her.
    assert_eq!(out.notices.len(), 1);
    let n = duty.notice(out.notices[0]).unwrap();
    assert_eq!(n.person_id, out.contact_ids[0]);
    assert_eq!(n.source_person_id, Some(out.person_id));
    let row = &duty
        .referrals(ReferralFilter {
            person_id: Some(out.person_id),
            ..ReferralFilter::default()
        })
        .unwrap()[0];
    assert_eq!(row.referrer_kind, ReferrerKind::SelfReferral);
    assert_eq!(row.referrer_name, None);
}

#[test]
fn an_existing_person_can_be_the_caller_or_the_person_referred() {
    let (_tmp, _dir, mut duty) = duty_case_file();
    let mut w = social_worker();
    w.organisation = Some("Community Health".into());
    let worker = add(&mut duty, &w);
    let man = add(&mut duty, &older_man());
    let mut call = the_call();
    call.caller = Some(PartyRef::Existing(worker));
    call.caller_organisation = None;
    call.referred = PartyRef::Existing(man);
    call.contacts.clear();
    let out = duty.take_referral(&call).unwrap();
    assert!(out.created.is_empty());
    assert!(out.notices.is_empty(), "nobody new was obtained indirectly");
    let row = &duty.referrals(ReferralFilter::default()).unwrap()[0];
    assert_eq!(row.referrer_org.as_deref(), Some("Community Health"));
    // The same person twice is refused.
    let mut call = the_call();
    call.caller = Some(PartyRef::Existing(man));
    call.referred = PartyRef::Existing(man);
    let e = duty.take_referral(&call).unwrap_err().to_string();
    assert!(e.contains("same person appears twice"), "{e}");
}

#[test]
fn refusals_save_nothing() {
    let (_tmp, _dir, mut duty) = duty_case_file();
    let before = duty.count_people().unwrap();

    let mut call = the_call();
    call.services = vec!["gardening".into()];
    let e = duty.take_referral(&call).unwrap_err().to_string();
    assert!(e.contains("\"gardening\" is not one of the services"), "{e}");
    assert!(e.contains("driving, befriending, shopping, practical help"), "{e}");

    let mut call = the_call();
    call.caller = None;
    let e = duty.take_referral(&call).unwrap_err().to_string();
    assert!(e.contains("Say who is calling"), "{e}");

    let mut call = the_call();
    call.received_on = today() + Duration::days(1);
    assert!(duty.take_referral(&call).is_err());

    let mut call = the_call();
    call.contacts[0].kinds = vec![RelationKind::AssignedVolunteer];
    assert!(duty.take_referral(&call).is_err());

    assert_eq!(duty.count_people().unwrap(), before);
    assert!(duty.referrals(ReferralFilter::default()).unwrap().is_empty());
}

#[test]
fn health_notes_only_from_roles_that_may_see_health_data() {
    let (_tmp, dir, duty) = duty_case_file();
    drop(duty);
    // The data protection lead may file people but is not given health data by the profile.
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let before = lead.count_people().unwrap();
    let e = lead.take_referral(&the_call()).unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
    let msg = e.to_string();
    assert!(
        msg.contains("Your role (Data protection lead) may not record health notes for this person"),
        "{msg}"
    );
    assert_eq!(lead.count_people().unwrap(), before, "nothing saved");
    // Without the health notes, the same call is taken.
    let mut call = the_call();
    call.health_notes.clear();
    let out = lead.take_referral(&call).unwrap();
    assert_eq!(out.health_note_id, None);
    drop(lead);
    // A membership secretary receives nothing about clients, so cannot file one.
    let mut sec = unlock_as(&dir, Role::MembershipSecretary);
    assert!(matches!(
        sec.take_referral(&the_call()),
        Err(StoreError::NotAllowed(..))
    ));
}

#[test]
fn the_lifecycle_allows_only_its_steps_each_with_date_reason_and_who() {
    let (_tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let vol = add(&mut lead, &record("Peter", "Brackley", &[Category::Volunteer]));
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    // An existing relative (of someone else) is referred: accepting makes her a client.
    let mut rel = full_record("Mavis", "Hartley", "07700 900304", "", "", &[Category::Relative]);
    rel.title = None;
    let mavis = add(&mut duty, &rel);
    let mut call = the_call();
    call.referred = PartyRef::Existing(mavis);
    call.contacts.clear();
    call.health_notes.clear();
    let r = duty.take_referral(&call).unwrap().referral_id;

    let refuse = |s: &mut Store, to, reason: &str, on| s.advance_referral(r, to, reason, on).unwrap_err().to_string();
    let e = refuse(&mut duty, ReferralStatus::Accepted, "", today());
    assert!(
        e.contains("A new referral cannot become accepted: it can become contacted, declined, withdrawn."),
        "{e}"
    );
    let e = refuse(&mut duty, ReferralStatus::New, "", today());
    assert!(e.contains("cannot become new"), "{e}");
    let e = refuse(&mut duty, ReferralStatus::Contacted, "", today() + Duration::days(1));
    assert!(e.contains("in the future"), "{e}");
    let e = refuse(&mut duty, ReferralStatus::Contacted, "", today() - Duration::days(1));
    assert!(e.contains("before the referral's last step"), "{e}");

    duty.advance_referral(
        r,
        ReferralStatus::Contacted,
        "Rang her; she would like a driver",
        today(),
    )
    .unwrap();
    // A volunteer can be assigned only once the referral is accepted.
    let e = duty.assign_volunteer(r, vol).unwrap_err().to_string();
    assert!(e.contains("accept it first"), "{e}");
    let e = refuse(&mut duty, ReferralStatus::Declined, "  ", today());
    assert!(e.contains("Give the reason the referral is declined"), "{e}");
    // Referred, not yet a client: in the client category (what the notice covers) with the
    // referral pending, until it is accepted.
    assert_eq!(duty.person(mavis).unwrap().pending_referral, Some(r));
    duty.advance_referral(r, ReferralStatus::Accepted, "", today()).unwrap();
    let v = duty.person(mavis).unwrap();
    assert!(v.record.categories.contains(&Category::Client) && v.pending_referral.is_none());
    // Driving needs a valid DBS check as a driver (the profile's service_checks), whoever
    // assigns: a duty officer (who sees a volunteer's name and phone) or a trustee.
    let e = duty.assign_volunteer(r, vol).unwrap_err().to_string();
    assert!(e.contains("no valid DBS check as a Driver"), "{e}");
    drop(duty);
    let mut trustee = unlock_as(&dir, Role::Trustee);
    let e = trustee.assign_volunteer(r, vol).unwrap_err().to_string();
    assert!(e.contains("no valid DBS check as a Driver"), "{e}");
    drop(trustee);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    // An expired check does not do.
    dbs.add_dbs_check(
        vol,
        "Driver",
        "001234567890",
        today() - Duration::days(4 * 365),
        today() - Duration::days(365),
    )
    .unwrap();
    drop(dbs);
    let mut trustee = unlock_as(&dir, Role::Trustee);
    assert!(trustee.assign_volunteer(r, vol).is_err());
    drop(trustee);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    dbs.record_dbs_check(
        vol,
        &dutydesk::store::sensitive::DbsCheckInput {
            level: dutydesk::domain::DbsLevel::Enhanced,
            roles: vec!["Driver".into(), "Befriender".into()],
            certificate_number: "001234567891".into(),
            issue_date: today() - Duration::days(30),
            outcome: dutydesk::domain::DbsOutcome::Clear,
            decision: String::new(),
            update_service: false,
            renewal_due: None,
        },
    )
    .unwrap();
    drop(dbs);
    let mut trustee = unlock_as(&dir, Role::Trustee);
    let link = trustee.assign_volunteer(r, vol).unwrap();
    assert!(trustee
        .person(mavis)
        .unwrap()
        .relationships
        .iter()
        .any(|x| x.id == link && x.kind == RelationKind::AssignedVolunteer));
    drop(trustee);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);

    let e = refuse(&mut duty, ReferralStatus::Declined, "changed our minds", today());
    assert!(e.contains("already accepted: take a new referral"), "{e}");

    let detail = duty.referral(r).unwrap();
    let steps: Vec<(ReferralStatus, Option<&str>, Option<&str>)> = detail
        .events
        .iter()
        .map(|e| (e.status, e.reason.as_deref(), e.by.as_deref()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (ReferralStatus::New, None, Some("duty-officer")),
            (
                ReferralStatus::Contacted,
                Some("Rang her; she would like a driver"),
                Some("duty-officer")
            ),
            (ReferralStatus::Accepted, None, Some("duty-officer")),
        ]
    );
    assert!(detail.events.iter().all(|e| e.on == today()));

    // New -> withdrawn and new -> declined are allowed; filters pick them out.
    let mut call = the_call();
    call.contacts.clear();
    let w = duty.take_referral(&call).unwrap().referral_id;
    duty.advance_referral(w, ReferralStatus::Withdrawn, "The family found other help", today())
        .unwrap();
    let open = duty
        .referrals(ReferralFilter {
            open_only: true,
            ..ReferralFilter::default()
        })
        .unwrap();
    assert!(open.is_empty(), "{open:#?}");
    let withdrawn = duty
        .referrals(ReferralFilter {
            status: Some(ReferralStatus::Withdrawn),
            ..ReferralFilter::default()
        })
        .unwrap();
    assert_eq!(withdrawn.iter().map(|x| x.id).collect::<Vec<_>>(), vec![w]);
}

#[test]
fn days_waiting_count_to_today_while_open() {
    let (_tmp, _dir, mut duty) = duty_case_file();
    let mut call = the_call();
    call.received_on = today() - Duration::days(9);
    call.contacts.clear();
    let out = duty.take_referral(&call).unwrap();
    let row = &duty.referrals(ReferralFilter::default()).unwrap()[0];
    assert_eq!(row.days_waiting, 9);
    // The notice is due a month after the referral came in, not after it was typed.
    let n = duty.notice(out.notices[0]).unwrap();
    assert_eq!(n.obtained_on, today() - Duration::days(9));
    assert_eq!(n.due_on, d(2026, 12, 16));
    // Open referrals are on the handover.
    assert!(duty
        .handover()
        .unwrap()
        .iter()
        .any(|i| i.queue() == Queue::Referral && i.item_id() == out.referral_id));
}

#[test]
fn restricted_people_are_refused_and_their_referrals_hidden_except_from_the_lead() {
    let (_tmp, dir, mut duty) = duty_case_file();
    let mut call = the_call();
    call.contacts.clear();
    let out = duty.take_referral(&call).unwrap();
    duty.raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [out.person_id])
        .unwrap();
    assert!(duty.referrals(ReferralFilter::default()).unwrap().is_empty());
    assert!(duty
        .advance_referral(out.referral_id, ReferralStatus::Contacted, "", today())
        .is_err());
    let mut again = the_call();
    again.referred = PartyRef::Existing(out.person_id);
    again.contacts.clear();
    again.caller = Some(PartyRef::Existing(out.caller_id.unwrap()));
    assert!(duty.take_referral(&again).is_err());
    drop(duty);
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    assert_eq!(lead.referrals(ReferralFilter::default()).unwrap().len(), 1);
    again.health_notes.clear();
    assert!(matches!(lead.take_referral(&again), Err(StoreError::Restricted)));
    assert!(matches!(
        lead.advance_referral(out.referral_id, ReferralStatus::Contacted, "", today()),
        Err(StoreError::Restricted)
    ));
}

#[test]
fn roles_that_do_not_receive_clients_see_no_referrals() {
    let (_tmp, dir, mut duty) = duty_case_file();
    duty.take_referral(&the_call()).unwrap();
    drop(duty);
    for role in [Role::MembershipSecretary, Role::DbsOfficer] {
        let s = unlock_as(&dir, role);
        assert!(s.referrals(ReferralFilter::default()).unwrap().is_empty(), "{role:?}");
        assert!(s.pending_notices().unwrap().is_empty(), "{role:?}");
    }
    let trustee = unlock_as(&dir, Role::Trustee);
    let rows = trustee.referrals(ReferralFilter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    // Trustees do not receive social workers' details: the referrer's name and
    // organisation stay hidden.
    assert_eq!(rows[0].referrer_name, None);
    assert_eq!(rows[0].referrer_org, None);
}

#[test]
fn an_indirect_person_filed_outside_a_referral_keeps_its_own_source() {
    let (_tmp, _dir, mut duty) = duty_case_file();
    let client = add(&mut duty, &older_man());
    let id = duty
        .create_person(
            &daughter(),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    let n = duty.notice_for_person(id).unwrap().unwrap();
    assert!(n.referral.is_none());
    assert_eq!(n.source_name.as_deref(), Some("Mr Albert Whitfield"));
}

#[test]
fn a_perinatal_charity_takes_a_referral_from_a_health_visitor_with_an_emergency_contact() {
    // The perinatal profile files a health visitor as a health professional, and has no
    // "emergency contact" category: the contact is filed as a partner or relative.
    let tmp = tempfile::tempdir().unwrap();
    let text = dutydesk::profile::builtin_example("perinatal-peer-support").unwrap();
    let mut store = Store::create_unencrypted_for_tests(&tmp.path().join("case.db"), &text, "lead", clock()).unwrap();
    let mut mum = full_record("Maya", "Newmum", "07700 900801", "", "OX17 2RF", &[Category::Client]);
    mum.date_of_birth = None;
    let out = store
        .take_referral(&ReferralIntake {
            received_on: today(),
            caller_kind: ReferrerKind::Professional,
            // As the form files her: a social or healthcare worker.
            caller: Some(PartyRef::New(full_record(
                "Hana",
                "Visitor",
                "0161 496 0110",
                "",
                "",
                &[Category::Professional],
            ))),
            caller_organisation: Some("Health visiting team".into()),
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred: PartyRef::New(mum),
            contacts: vec![IntakeContact {
                person: PartyRef::New(full_record(
                    "Sam",
                    "Newmum",
                    "07700 900802",
                    "",
                    "",
                    &[Category::EmergencyContact],
                )),
                kinds: vec![RelationKind::EmergencyContact],
                relation: Some("partner".into()),
            }],
            services: vec![],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: true,
            urgency: Urgency::Routine,
            notes: String::new(),
        })
        .unwrap();
    let caller = store.person(out.caller_id.unwrap()).unwrap();
    assert_eq!(caller.record.categories, vec![Category::Professional]);
    assert_eq!(
        store.profile().category_label(Category::Professional),
        "Health professional"
    );
    let contact = store.person(out.contact_ids[0]).unwrap();
    assert_eq!(contact.record.categories, vec![Category::Relative]);
    assert_eq!(out.notices.len(), 2, "the mum and her partner are owed notices");
}

/// A referral's first contact, and its decision once contacted, fall due as the charity's
/// profile says (`[referrals]`), for each profile: the Good Neighbours and perinatal ones and a
/// charity with its own times.
#[test]
fn referral_deadlines_follow_each_profile() {
    use dutydesk::store::handover::DueKind;
    for (id, text) in every_profile() {
        let (_tmp, _dir, mut store) = new_case_file_with(&text);
        let rule = store.profile().referrals;
        let cat = store.profile().categories[0].key;
        let mut routine = None;
        for urgency in [Urgency::Routine, Urgency::Urgent] {
            let mut person = record("Rhoda", &format!("{urgency:?}"), &[cat]);
            person.phones = vec!["07700 900801".into()];
            let out = store
                .take_referral(&ReferralIntake {
                    received_on: today(),
                    caller_kind: ReferrerKind::SelfReferral,
                    caller: None,
                    caller_organisation: None,
                    caller_is_next_of_kin: false,
                    caller_is_emergency_contact: false,
                    caller_relation: None,
                    referred: PartyRef::New(person),
                    contacts: vec![],
                    services: vec![],
                    health_notes: String::new(),
                    person_knows: true,
                    person_agrees: true,
                    urgency,
                    notes: String::new(),
                })
                .unwrap();
            let due = |store: &dutydesk::store::Store| {
                store
                    .handover()
                    .unwrap()
                    .into_iter()
                    .find(|i| i.kind == DueKind::Referral(out.referral_id))
                    .and_then(|i| i.due)
            };
            let days = if urgency == Urgency::Urgent {
                rule.urgent_first_contact_working_days
            } else {
                rule.first_contact_working_days
            };
            assert_eq!(
                due(&store),
                Some(store.calendar().add_working_days(today(), days)),
                "{id}: first contact of a {urgency:?} referral"
            );
            if urgency == Urgency::Routine {
                routine = Some(out.referral_id);
            }
        }
        let r = routine.unwrap();
        store
            .advance_referral(r, ReferralStatus::Contacted, "rang her back", today())
            .unwrap();
        let decided_by = store
            .handover()
            .unwrap()
            .into_iter()
            .find(|i| i.kind == DueKind::Referral(r))
            .and_then(|i| i.due);
        assert_eq!(
            decided_by,
            Some(store.calendar().add_working_days(today(), rule.decide_working_days)),
            "{id}: the decision"
        );
    }
}
