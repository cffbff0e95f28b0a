//! Article 14 notices: their content for every category of person, their due dates for each
//! trigger, giving them, exemptions, disclosures and the command line. Every person here is
//! invented.

mod common;

use assert_cmd::Command;
use chrono::{Duration, NaiveDate};
use common::*;
use dutydesk::domain::article14::{Exemption, NoticeMethod, Trigger};
use dutydesk::domain::clock::FixedClock;
use dutydesk::domain::person::{Obtained, PersonForm, PersonRecord};
use dutydesk::domain::referral::{ReferrerKind, Urgency};
use dutydesk::domain::{Category, ContactKind, FieldGroup, Role};
use dutydesk::export::notice::{render_notice, write_notice};
use dutydesk::profile::{LawfulBasis, Profile};
use dutydesk::store::handover::Queue;
use dutydesk::store::notices::{NoticeStatus, ReviewOutcome};
use dutydesk::store::referrals::{PartyRef, ReferralIntake};
use dutydesk::store::{Store, StoreError};
use predicates::prelude::*;
use std::sync::Arc;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A record filling every field group `profile` collects for `cat`.
fn record_for(profile: &Profile, cat: Category, given: &str, family: &str) -> PersonRecord {
    let rule = profile.category(cat).unwrap();
    let has = |g| rule.collects(g);
    let pick = |g, v: &str| if has(g) { v.to_string() } else { String::new() };
    PersonForm {
        title: "Mx".into(),
        given_name: given.into(),
        family_name: family.into(),
        address: pick(FieldGroup::Address, "3 Sample Row, Exampleton"),
        postcode: pick(FieldGroup::Address, "OX17 2RF"),
        phones: pick(FieldGroup::Phone, "07700 900401"),
        email: pick(FieldGroup::Email, "sample@example.org"),
        date_of_birth: pick(FieldGroup::DateOfBirth, "01/02/1944"),
        organisation: pick(FieldGroup::Organisation, "Sample Services"),
        categories: vec![cat],
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap()
}

/// The HTML with minijinja's escapes undone, to compare with the profile's own text.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Checks that a rendered notice for a person of `cat` holds every Article 14 item.
fn assert_every_article14_item(profile: &Profile, cat: Category, source_name: &str, doc: &str, what: &str) {
    let ctx = format!("{what} for a {}", cat.key());
    let has = |s: &str, item: &str| assert!(doc.contains(s.trim()), "{ctx}: {item} missing: {s:?}\n{doc}");
    let c = &profile.controller;
    // (a) the controller and how to contact them.
    has(&c.name, "controller");
    has(&c.email, "controller email");
    has(&c.data_protection_contact, "controller contact");
    // (c) purposes and lawful basis: those that apply to the person, and only those.
    let purposes = profile.purposes_for(&[cat]);
    assert!(!purposes.is_empty());
    for p in &purposes {
        has(&p.description, "purpose");
        has(
            &format!(
                "Lawful basis: {} ({})",
                p.lawful_basis.label(),
                p.lawful_basis.article()
            ),
            "lawful basis",
        );
    }
    for p in profile.purposes.iter().filter(|p| !p.applies_to(&[cat])) {
        assert!(!doc.contains(&p.description), "{ctx}: purpose {} does not apply", p.key);
    }
    // (d) the categories of data held about this person, and no others: what the record has
    // something in (this person has contact details but no correspondence, services, health
    // notes or DBS checks yet); for other groups the reader (the lead) may not see, and
    // references, what the category collects.
    let rule = profile.category(cat).unwrap();
    let held = |g: FieldGroup| {
        !matches!(
            g,
            FieldGroup::Correspondence | FieldGroup::Services | FieldGroup::CriminalOffence
        )
    };
    for g in FieldGroup::ALL {
        let line = format!(
            "{}{}",
            if what == "text" { "- " } else { "<li>" },
            profile.field_label(*g)
        );
        assert_eq!(
            doc.contains(&line),
            rule.collects(*g) && held(*g),
            "{ctx}: data category {}",
            g.key()
        );
    }
    // (e) recipients.
    for r in &rule.recipients {
        has(profile.role_name(*r), "recipient");
    }
    for r in &rule.limited_recipients {
        has(profile.role_name(r.role), "limited recipient");
    }
    for r in &rule.other_recipients {
        has(r, "other recipient");
    }
    // (f) transfers abroad.
    has(&profile.transfers_abroad, "transfers abroad");
    // (a) of 14(2): how long it is kept.
    has(&profile.retention_for(&[cat]).promise(), "retention");
    has(&profile.retention.legal_hold, "retention legal hold");
    // (b) of 14(2): the legitimate interests.
    has("legitimate interests", "legitimate interests heading");
    for p in &purposes {
        if let Some(li) = &p.legitimate_interest {
            has(li, "legitimate interest");
        }
    }
    // (c) each right.
    for right in [
        "right of access",
        "right to rectification",
        "right to erasure",
        "right to restriction of processing",
        "right to object",
        "right to data portability",
    ] {
        has(right, right);
    }
    // (d) withdrawing consent.
    has("right to withdraw consent", "withdrawing consent");
    for cp in &profile.consent_purposes {
        has(&cp.label, "consent purpose");
    }
    // (e) complaining to the supervisory authority.
    let sa = &profile.supervisory_authority;
    has(&format!("complain to the {}", sa.name), "complaint");
    has(&sa.website, "ICO website");
    has(&sa.helpline, "ICO helpline");
    // (f) the source, and whether it is public.
    has(source_name, "source");
    has("did not come from a publicly accessible source", "public source");
    // (g) automated decision-making.
    assert!(
        doc.to_lowercase().contains("automated decision-making"),
        "{ctx}: automated decision-making heading"
    );
    has(&profile.automated_decisions, "automated decision-making");
    // Health data, with its condition, where the category holds it (each person here has a
    // note where their category's data may hold one).
    if rule.collects(FieldGroup::Health) {
        has(&profile.special_category.condition, "health condition");
    } else {
        assert!(!doc.contains(&profile.special_category.condition), "{ctx}: no health");
    }
    // No DBS check is held about anyone here: the notice says nothing of criminal offence data.
    if !profile.criminal_offence.condition.is_empty() {
        assert!(
            !doc.contains(&profile.criminal_offence.condition),
            "{ctx}: no DBS checks held"
        );
    }
}

#[test]
fn every_article14_item_is_in_the_notice_for_every_category_of_person() {
    for (_profile_id, text) in every_profile() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store =
            Store::create_unencrypted_for_tests(&tmp.path().join("case.db"), &text, "lead", clock()).unwrap();
        let profile = store.profile().clone();
        let first = profile.categories[0].key;
        let source = store
            .create_person(
                &record_for(&profile, first, "Sourcey", "Giver"),
                &Obtained::Directly,
                today(),
            )
            .unwrap();
        for rule in &profile.categories {
            let id = store
                .create_person(
                    &record_for(&profile, rule.key, "Notified", rule.key.key()),
                    &Obtained::Indirectly {
                        from_person: Some(source),
                        from_text: None,
                        referral: None,
                    },
                    today(),
                )
                .unwrap();
            // A health note, where the category's data may hold one: the notice then says so.
            if rule.collects(FieldGroup::Health) {
                store
                    .raw_connection_for_tests()
                    .execute(
                        "INSERT INTO health_notes (person_id, note, recorded_on) VALUES (?1, 'A sample note', '2026-11-01')",
                        [id],
                    )
                    .unwrap();
            }
            let n = render_notice(&store, id).unwrap();
            assert_every_article14_item(&profile, rule.key, "Mx Sourcey Giver", &n.text, "text");
            assert_every_article14_item(&profile, rule.key, "Mx Sourcey Giver", &unescape(&n.html), "html");
            assert!(n.html.contains("@media print"), "a printable CSS block");
            assert!(n.text.contains(&format!("Dear Mx Notified {}", rule.key.key())));
        }
    }
}

#[test]
fn html_is_escaped_and_text_is_not() {
    let (_tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let out = duty
        .take_referral(&ReferralIntake {
            received_on: today(),
            caller_kind: ReferrerKind::Professional,
            caller: Some(PartyRef::New(record("Ada", "Worker", &[Category::Professional]))),
            caller_organisation: Some("Smith & <b>Partners</b>".into()),
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred: PartyRef::New(record("Bob", "O'Client", &[Category::Client])),
            contacts: vec![],
            services: vec![],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: false,
            urgency: Urgency::Routine,
            notes: String::new(),
        })
        .unwrap();
    let n = render_notice(&duty, out.person_id).unwrap();
    assert!(
        n.html.contains("Smith &amp; &lt;b&gt;Partners&lt;&#x2f;b&gt;"),
        "{}",
        n.html
    );
    assert!(!n.html.contains("<b>Partners"));
    assert!(n.html.contains("Bob O&#x27;Client"));
    assert!(n
        .text
        .contains("Ada Worker, a social or healthcare worker at Smith & <b>Partners</b>"));
}

#[test]
fn write_notice_writes_both_files_where_asked_and_audits_the_export() {
    let (tmp, _dir, mut lead) = new_case_file();
    let client = add(&mut lead, &record("Cora", "Client", &[Category::Client]));
    let rel = lead
        .create_person(
            &record("Rita", "Relative", &[Category::Relative]),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    let out = tmp.path().join("letters");
    let (html, text) = write_notice(&lead, rel, &out).unwrap();
    assert_eq!(html, out.join(format!("article14-notice-{rel}.html")));
    assert_eq!(text, out.join(format!("article14-notice-{rel}.txt")));
    let t = std::fs::read_to_string(&text).unwrap();
    assert!(
        t.contains("Your details were given to us by Cora Client, a client, on 25 November 2026."),
        "{t}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2, "nothing else is written");
    let (entity, fields): (String, String) = lead
        .raw_connection_for_tests()
        .query_row(
            "SELECT entity, fields FROM audit_log WHERE action = 'export' AND entity_id = ?1",
            [rel],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(entity, "article14_notice");
    assert!(!fields.contains("Rita"));
    // A file where the folder should be is refused.
    let e = write_notice(&lead, rel, &html).unwrap_err().to_string();
    assert!(e.contains("is a file, not a folder"), "{e}");
    // Restricted people's notices are not exported.
    lead.raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [rel])
        .unwrap();
    let other = tmp.path().join("other");
    assert!(matches!(write_notice(&lead, rel, &other), Err(StoreError::Restricted)));
    assert!(!other.exists());
}

fn relative_of(store: &mut Store, client: i64, obtained: NaiveDate, given: &str) -> i64 {
    store
        .create_person(
            &full_record(given, "Kin", "07700 900402", "", "", &[Category::Relative]),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            obtained,
        )
        .unwrap()
}

fn due_of(store: &Store, person: i64) -> (NaiveDate, Option<Trigger>) {
    let n = store.notice_for_person(person).unwrap().unwrap();
    (n.due_on, n.due_reason)
}

#[test]
fn due_one_month_after_obtaining() {
    let (_tmp, _dir, mut lead) = new_case_file();
    let client = add(&mut lead, &record("Month", "Client", &[Category::Client]));
    let a = relative_of(&mut lead, client, d(2026, 1, 31), "January");
    let b = relative_of(&mut lead, client, d(2026, 11, 5), "November");
    assert_eq!(due_of(&lead, a), (d(2026, 2, 28), Some(Trigger::OneMonth)));
    assert_eq!(due_of(&lead, b), (d(2026, 12, 5), Some(Trigger::OneMonth)));
    let pending = lead.pending_notices().unwrap();
    assert_eq!(
        pending.iter().map(|n| n.person_id).collect::<Vec<_>>(),
        vec![a, b],
        "soonest first"
    );
    assert_eq!(pending[0].days_left, -270, "overdue shows as negative days left");
    assert_eq!(pending[1].days_left, 10);
    // Nobody obtained directly is owed a notice.
    assert!(lead.notice_for_person(client).unwrap().is_none());
}

#[test]
fn due_at_the_first_communication_logged_as_a_contact() {
    let (_tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let client = add(&mut lead, &record("Contact", "Client", &[Category::Client]));
    let rel = relative_of(&mut lead, client, d(2026, 11, 20), "Called");
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert_eq!(due_of(&duty, rel), (d(2026, 12, 20), Some(Trigger::OneMonth)));
    assert!(duty.log_contact(rel, ContactKind::Call, "").unwrap(), "warned");
    assert_eq!(due_of(&duty, rel), (today(), Some(Trigger::FirstCommunication)));
    assert!(
        !duty.log_contact(client, ContactKind::Call, "").unwrap(),
        "no notice, no warning"
    );
}

#[test]
fn due_before_the_first_disclosure() {
    let (_tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let client = add(&mut lead, &record("Disclosed", "Client", &[Category::Client]));
    let rel = relative_of(&mut lead, client, d(2026, 11, 10), "Shared");
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let r = duty
        .record_disclosure(
            rel,
            &disclosure(
                "GP surgery",
                "phone number",
                LawfulBasis::VitalInterests,
                d(2026, 11, 20),
            ),
        )
        .unwrap();
    assert!(r.notice_pending, "the user is warned");
    assert_eq!(due_of(&duty, rel), (d(2026, 11, 20), Some(Trigger::FirstDisclosure)));
    // A later disclosure never pushes it back.
    duty.record_disclosure(
        rel,
        &disclosure("Pharmacy", "name", LawfulBasis::VitalInterests, today()),
    )
    .unwrap();
    assert_eq!(due_of(&duty, rel), (d(2026, 11, 20), Some(Trigger::FirstDisclosure)));
    // A disclosure dated before the data was obtained counts from the day it was obtained.
    let early = relative_of(&mut duty_as_lead(&dir, duty), client, d(2026, 11, 15), "Early");
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.record_disclosure(
        early,
        &disclosure("GP surgery", "name", LawfulBasis::VitalInterests, d(2026, 11, 1)),
    )
    .unwrap();
    assert_eq!(due_of(&duty, early), (d(2026, 11, 15), Some(Trigger::FirstDisclosure)));
    // Once the notice is given, disclosures no longer warn.
    let id = duty.notice_for_person(rel).unwrap().unwrap().id;
    duty.mark_notice_given(id, NoticeMethod::InPerson, today()).unwrap();
    let r = duty
        .record_disclosure(
            rel,
            &disclosure("Hospital", "name", LawfulBasis::VitalInterests, today()),
        )
        .unwrap();
    assert!(!r.notice_pending);
    assert_eq!(duty.disclosures(Some(rel)).unwrap().len(), 3);
    // Bad input and future dates are refused.
    assert!(duty
        .record_disclosure(rel, &disclosure("", "name", LawfulBasis::VitalInterests, today()))
        .is_err());
    let e = duty
        .record_disclosure(
            rel,
            &disclosure("GP", "name", LawfulBasis::VitalInterests, today() + Duration::days(1)),
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("in the future"), "{e}");
}

/// Drops the duty officer's store and reopens the file as the lead.
fn duty_as_lead(dir: &dutydesk::store::DataDir, duty: Store) -> Store {
    drop(duty);
    unlock_as(dir, Role::DataProtectionLead)
}

#[test]
fn giving_a_notice_closes_it_once() {
    let (_tmp, _dir, mut lead) = new_case_file();
    let client = add(&mut lead, &record("Given", "Client", &[Category::Client]));
    let rel = relative_of(&mut lead, client, d(2026, 11, 20), "Told");
    let id = lead.notice_for_person(rel).unwrap().unwrap().id;
    let e = lead
        .mark_notice_given(id, NoticeMethod::Email, today() + Duration::days(1))
        .unwrap_err()
        .to_string();
    assert!(e.contains("in the future"), "{e}");
    let e = lead
        .mark_notice_given(id, NoticeMethod::Email, d(2026, 11, 19))
        .unwrap_err()
        .to_string();
    assert!(e.contains("before we obtained"), "{e}");
    lead.mark_notice_given(id, NoticeMethod::InPerson, today()).unwrap();
    let n = lead.notice(id).unwrap();
    assert_eq!(n.status, NoticeStatus::Given);
    assert_eq!(n.given_how, Some(NoticeMethod::InPerson));
    assert_eq!(n.given_on, Some(today()));
    assert_eq!(n.decided_by.as_deref(), Some(LEAD));
    assert!(lead.pending_notices().unwrap().is_empty());
    assert!(lead.handover().unwrap().iter().all(|i| i.queue() != Queue::Notice));
    let e = lead
        .mark_notice_given(id, NoticeMethod::Letter, today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("already been given"), "{e}");
    assert!(lead
        .record_notice_exemption(id, Exemption::AlreadyHas, "She has our leaflet", today())
        .is_err());
}

#[test]
fn exemptions_need_their_reason_record_who_and_when_and_come_up_for_review() {
    let (_tmp, _dir, mut lead) = new_case_file();
    let client = add(&mut lead, &record("Exempt", "Client", &[Category::Client]));
    let rel = relative_of(&mut lead, client, d(2026, 11, 20), "Unreachable");
    let id = lead.notice_for_person(rel).unwrap().unwrap().id;

    let e = lead
        .record_notice_exemption(id, Exemption::DisproportionateEffort, "too hard", today())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("needs a written assessment of at least 20 characters"),
        "{e}"
    );
    let e = lead
        .record_notice_exemption(id, Exemption::AlreadyHas, " ", today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("how do we know they already have the information?"), "{e}");
    assert_eq!(
        lead.notice(id).unwrap().status,
        NoticeStatus::Pending,
        "nothing recorded"
    );

    let rec = lead
        .record_notice_exemption(
            id,
            Exemption::DisproportionateEffort,
            "We hold only a first name and no way of contacting her at all.",
            today(),
        )
        .unwrap();
    assert_eq!(rec.review_on, d(2027, 11, 25));
    let reminder = rec.reminder.unwrap();
    assert!(
        reminder.contains("publicly available (for example on the website)"),
        "{reminder}"
    );
    assert!(reminder.contains("DPIA"), "{reminder}");
    let n = lead.notice(id).unwrap();
    assert_eq!(n.status, NoticeStatus::Exempt);
    assert_eq!(n.exemption, Some(Exemption::DisproportionateEffort));
    assert_eq!(n.decided_by.as_deref(), Some(LEAD));
    assert_eq!(n.decided_on, Some(today()));
    assert_eq!(n.review_on, Some(d(2027, 11, 25)));
    assert!(lead.pending_notices().unwrap().is_empty());
    // Other exemptions give no reminder.
    let rel2 = relative_of(&mut lead, client, today(), "Informed");
    let id2 = lead.notice_for_person(rel2).unwrap().unwrap().id;
    let rec2 = lead
        .record_notice_exemption(id2, Exemption::AlreadyHas, "Her father gave her our leaflet", today())
        .unwrap();
    assert_eq!(rec2.reminder, None);

    // A year on, the review shows on the handover; it is upheld, then lifted.
    lead.set_clock(Arc::new(FixedClock::at_nine(d(2027, 11, 1))));
    let reviews: Vec<i64> = lead
        .handover()
        .unwrap()
        .into_iter()
        .filter(|i| i.queue() == Queue::Notice && i.what.contains("Review the Article 14 exemption"))
        .map(|i| i.item_id())
        .collect();
    assert_eq!(reviews, vec![id, id2]);
    assert!(lead
        .review_exemption(id, ReviewOutcome::Upheld, "", d(2027, 11, 1))
        .is_err());
    lead.review_exemption(id, ReviewOutcome::Upheld, "Still no contact details", d(2027, 11, 1))
        .unwrap();
    assert_eq!(lead.notice(id).unwrap().review_on, Some(d(2028, 11, 1)));
    lead.review_exemption(
        id,
        ReviewOutcome::Lifted,
        "Her phone number is now known",
        d(2027, 11, 1),
    )
    .unwrap();
    let n = lead.notice(id).unwrap();
    assert_eq!(n.status, NoticeStatus::Pending);
    assert_eq!(n.due_on, d(2027, 11, 1));
    assert_eq!(n.days_left, 0);
    assert_eq!(n.exemption, None);
    assert_eq!(
        n.reviews
            .iter()
            .map(|r| (r.upheld, r.by.as_deref()))
            .collect::<Vec<_>>(),
        vec![(true, Some(LEAD)), (false, Some(LEAD))]
    );
    // A pending notice has no exemption to review.
    assert!(lead
        .review_exemption(id, ReviewOutcome::Upheld, "whatever it is", d(2027, 11, 1))
        .is_err());
}

#[test]
fn restricted_people_are_refused_and_hidden() {
    let (_tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let client = add(&mut lead, &record("Restricted", "Client", &[Category::Client]));
    let rel = relative_of(&mut lead, client, today(), "Restricted");
    let id = lead.notice_for_person(rel).unwrap().unwrap().id;
    lead.raw_connection_for_tests()
        .execute("UPDATE people SET restricted = 1 WHERE id = ?1", [rel])
        .unwrap();
    assert!(matches!(
        lead.mark_notice_given(id, NoticeMethod::Letter, today()),
        Err(StoreError::Restricted)
    ));
    assert!(matches!(
        lead.record_notice_exemption(id, Exemption::AlreadyHas, "She has the leaflet", today()),
        Err(StoreError::Restricted)
    ));
    assert!(matches!(
        lead.record_disclosure(rel, &disclosure("GP", "name", LawfulBasis::VitalInterests, today())),
        Err(StoreError::Restricted)
    ));
    assert_eq!(lead.pending_notices().unwrap().len(), 1, "the lead still sees it");
    drop(lead);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    assert!(duty.pending_notices().unwrap().is_empty());
    assert!(matches!(duty.notice(id), Err(StoreError::NotFound(..))));
    assert!(duty
        .record_disclosure(rel, &disclosure("GP", "name", LawfulBasis::VitalInterests, today()))
        .is_err());
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn dutydesk(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.arg("--data-dir").arg(dir);
    c.env("DUTYDESK_USER", LEAD);
    c.env("DUTYDESK_PASSPHRASE", LEAD_PASS);
    c.env_remove("DUTYDESK_DATA_DIR");
    c
}

#[test]
fn the_notices_and_notice_commands() {
    let (tmp, dir, mut lead) = new_case_file();
    // The command line runs on the real clock: date the data relative to it.
    let real_today = chrono::Local::now().date_naive();
    let client = add(&mut lead, &record("Command", "Client", &[Category::Client]));
    let overdue = relative_of(&mut lead, client, real_today - Duration::days(40), "Overdue");
    let soon = relative_of(&mut lead, client, real_today - Duration::days(27), "Soon");
    let later = relative_of(&mut lead, client, real_today, "Later");
    drop(lead);

    let out = dutydesk(dir.root()).args(["notices"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[1].contains("Overdue Kin") && lines[1].contains("overdue"),
        "{stdout}"
    );
    assert!(lines[2].contains("Soon Kin"), "{stdout}");
    assert!(lines[3].contains("Later Kin"), "{stdout}");

    let out = dutydesk(dir.root())
        .args(["notices", "--due", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let ids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["person_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![overdue, soon], "--due: overdue or due within 7 days");
    assert!(!ids.contains(&later));
    assert_eq!(v[0]["due_reason"], "one_month");

    let folder = tmp.path().join("out");
    dutydesk(dir.root())
        .args(["notice", &soon.to_string(), "--out"])
        .arg(&folder)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("article14-notice-{soon}.html")));
    assert!(folder.join(format!("article14-notice-{soon}.txt")).is_file());

    dutydesk(dir.root())
        .args(["notice", "99999", "--out"])
        .arg(&folder)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("There is no person with id 99999."));
    dutydesk(dir.root()).args(["notice", "1"]).assert().code(2);
    for sub in [["notices", "--help"], ["notice", "--help"]] {
        dutydesk(dir.root())
            .args(sub)
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    dutydesk(dir.root())
        .args(["notices", "--help"])
        .assert()
        .stdout(predicate::str::contains("due within the next 7 days"));
}

#[test]
fn every_way_a_person_is_linked_owes_a_notice_when_it_came_from_someone_else() {
    use dutydesk::domain::RelationKind;
    let (_tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let kinds = [
        (RelationKind::Relative, Category::Relative),
        (RelationKind::NextOfKin, Category::Relative),
        (RelationKind::EmergencyContact, Category::EmergencyContact),
        (RelationKind::Referee, Category::Referee),
        (RelationKind::Professional, Category::Professional),
    ];
    for (i, (kind, cat)) in kinds.into_iter().enumerate() {
        // Someone who told us their details themselves: no notice owed yet.
        let other = lead
            .create_person(
                &full_record(
                    "Linked",
                    &format!("Person{}", "x".repeat(i + 1)),
                    "07700 900600",
                    "",
                    "",
                    &[cat],
                ),
                &Obtained::Directly,
                today(),
            )
            .unwrap();
        assert!(lead.notice_for_person(other).unwrap().is_none());
        // Linked, as the client told us: a notice is owed, naming the client as the source.
        let anchor = if kind == RelationKind::Referee {
            f.volunteer
        } else {
            f.client
        };
        let from_client = Obtained::Indirectly {
            from_person: Some(anchor),
            from_text: Some(format!("named as {}", kind.label().to_lowercase())),
            referral: None,
        };
        let (_, notice) = lead.link_obtained(anchor, kind, other, &from_client).unwrap();
        let n = lead.notice_for_person(other).unwrap().expect("a notice is owed");
        assert_eq!((Some(n.id), n.source_person_id), (notice, Some(anchor)), "{kind:?}");
        // The notice says why, from the link.
        let text = render_notice(&lead, other).unwrap().text;
        let named = lead.person(anchor).unwrap().name();
        assert!(
            text.contains(&format!("You were named as {named}'s")),
            "{kind:?}: {text}"
        );
    }
    // Told by the person themselves: nothing owed.
    let direct = lead
        .create_person(
            &full_record(
                "Told",
                "Ussherself",
                "07700 900601",
                "",
                "",
                &[Category::EmergencyContact],
            ),
            &Obtained::Directly,
            today(),
        )
        .unwrap();
    let (_, notice) = lead
        .link_obtained(f.client, RelationKind::EmergencyContact, direct, &Obtained::Directly)
        .unwrap();
    assert_eq!(notice, None);
    assert!(lead.notice_for_person(direct).unwrap().is_none());
}

#[test]
fn a_notice_cannot_be_marked_given_by_a_means_the_record_does_not_hold() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    // Susan, the daughter: a phone number, no address (the profile does not collect one for
    // relatives) and no email.
    let id = duty.notice_for_person(f.daughter).unwrap().unwrap().id;
    assert_eq!(
        duty.notice_methods_available(id).unwrap(),
        vec![NoticeMethod::Phone, NoticeMethod::InPerson]
    );
    let e = duty
        .mark_notice_given(id, NoticeMethod::Letter, today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("profile does not collect one"), "{e}");
    let e = duty
        .mark_notice_given(id, NoticeMethod::Email, today())
        .unwrap_err()
        .to_string();
    assert!(e.contains("We hold no email address"), "{e}");
    duty.mark_notice_given(id, NoticeMethod::Phone, today()).unwrap();
}
