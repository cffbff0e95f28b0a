//! The casework commands for scripts (`handover`, `person`, `referrals`, `log`, `callback`):
//! each shows only what the acting role may see, in a table or as JSON, and writes through
//! the same store rules as the terminal. The binary runs on the real clock, so nothing here
//! depends on today's date. Everyone is invented.

mod common;

use common::*;
use dutydesk::domain::Role;

fn json(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_handover_and_a_person_as_each_role_may_see_them() {
    let (_tmp, dir, f) = tui_fixture();
    // The duty officer's handover: every item with its fields.
    let items = json(&cli_as(&dir, Role::DutyOfficer, &["handover", "--json"]));
    let items = items.as_array().unwrap();
    assert!(!items.is_empty());
    for i in items {
        for key in ["queue", "kind", "id", "person_id", "person", "what", "due", "days_left"] {
            assert!(i.get(key).is_some(), "{key} in {i}");
        }
    }
    let table = cli_as(&dir, Role::DutyOfficer, &["handover"]);
    assert!(String::from_utf8_lossy(&table.stdout).starts_with("due "));
    // A client, as the duty officer sees her: contact details, no DBS section.
    let client = f.client.to_string();
    let p = json(&cli_as(&dir, Role::DutyOfficer, &["person", &client, "--json"]));
    assert_eq!(p["name"], "Margaret Oakhill");
    assert!(p["record"]["phones"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(p["dbs_checks"].is_null());
    let text = String::from_utf8_lossy(&cli_as(&dir, Role::DutyOfficer, &["person", &client]).stdout).to_string();
    assert!(text.starts_with("Margaret Oakhill (#"), "{text}");
    // A DBS officer may not see a client at all: an error, nothing on stdout.
    let out = cli_as(&dir, Role::DbsOfficer, &["person", &client, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    // A volunteer, as a duty officer sees them: name, phone and services only.
    let v = json(&cli_as(
        &dir,
        Role::DutyOfficer,
        &["person", &f.volunteer.to_string(), "--json"],
    ));
    assert!(v["record"]["address"].is_null(), "{v}");
    assert!(v["record"]["email"].is_null(), "{v}");
    assert!(v["health_notes"].is_null(), "{v}");
}

#[test]
fn a_call_and_a_callback_are_logged_from_the_command_line() {
    let (_tmp, dir, f) = tui_fixture();
    let client = f.client.to_string();
    let out = cli_as(
        &dir,
        Role::DutyOfficer,
        &["log", &client, "--kind", "call", "--note", "Confirmed Tuesday"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // A note that reads like health details is refused, to be recorded where only the roles
    // given health data see it.
    let out = cli_as(
        &dir,
        Role::DutyOfficer,
        &["log", &client, "--kind", "call", "--note", "Has dementia now"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("health"));
    let out = cli_as(&dir, Role::DutyOfficer, &["log", &client, "--kind", "telegram"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cli_as(
        &dir,
        Role::DutyOfficer,
        &[
            "callback",
            &client,
            "--by",
            "tomorrow 10:00",
            "--about",
            "lift to the surgery",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = cli_as(
        &dir,
        Role::DutyOfficer,
        &["callback", &client, "--by", "whenever", "--about", "x"],
    );
    assert_eq!(out.status.code(), Some(2));
    // Both are in the case file, as the terminal would have written them.
    let store = unlock_as(&dir, Role::DutyOfficer);
    let p = store.person(f.client).unwrap();
    let contacts = p.contacts.unwrap();
    assert_eq!(
        contacts
            .iter()
            .filter(|c| c.note.as_deref() == Some("Confirmed Tuesday"))
            .count(),
        1
    );
    assert!(contacts.iter().all(|c| c.note.as_deref() != Some("Has dementia now")));
    assert!(p.callbacks.iter().any(|c| c.about == "lift to the surgery"));
    drop(store);
    // A DBS officer does not receive a client's correspondence: refused.
    let out = cli_as(&dir, Role::DbsOfficer, &["log", &client, "--kind", "call"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn referrals_are_listed_for_scripts() {
    use dutydesk::domain::referral::Urgency;
    use dutydesk::store::referrals::PartyRef;
    let (_tmp, dir, f) = tui_fixture();
    worker_refers(&dir, &f, PartyRef::Existing(f.client), Urgency::Urgent, "");
    let all = json(&cli_as(&dir, Role::DutyOfficer, &["referrals", "--all", "--json"]));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["urgency"], "urgent");
    assert_eq!(all[0]["person"], "Margaret Oakhill");
    for r in all {
        for key in [
            "id",
            "status",
            "urgency",
            "received_on",
            "person_id",
            "person",
            "referrer_kind",
            "services",
        ] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
    }
    let out = cli_as(&dir, Role::DutyOfficer, &["referrals"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_requests_documents_are_written_from_the_command_line_by_the_roles_allowed() {
    use dutydesk::domain::rights::{Channel, RequestKind};
    use dutydesk::store::requests::RequestIntake;
    let (tmp, dir, f) = tui_fixture();
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    let request = lead
        .record_request(&RequestIntake {
            person_id: Some(f.client),
            kinds: vec![RequestKind::Access, RequestKind::Portability],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Everything you hold, please".into(),
            ..RequestIntake::default()
        })
        .unwrap()
        .to_string();
    drop(lead);
    let out = |name: &str| tmp.path().join(name);
    let run = |role, args: &[&std::ffi::OsStr]| cli_as(&dir, role, args);
    let os = |s: &str| std::ffi::OsString::from(s);
    // The pack: the lead's, into a new folder; never over an earlier one; not a duty officer's.
    let sar = |role, to: &str| run(role, &[&os("sar"), &os(&request), &os("--out"), out(to).as_os_str()]);
    let first = sar(Role::DataProtectionLead, "pack");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out("pack").join("index.html").is_file());
    assert_eq!(sar(Role::DataProtectionLead, "pack").status.code(), Some(2));
    assert_eq!(sar(Role::DutyOfficer, "duty-pack").status.code(), Some(2));
    assert!(!out("duty-pack").exists());
    // The portability files.
    let p = run(
        Role::DataProtectionLead,
        &[&os("portability"), &os(&request), &os("--out"), out("port").as_os_str()],
    );
    assert_eq!(p.status.code(), Some(0), "{}", String::from_utf8_lossy(&p.stderr));
    assert!(std::fs::read_dir(out("port")).unwrap().count() >= 2);
    // Letters: a clerical one a duty officer may write; a decision's letter waits for the
    // decision; an unknown kind lists the kinds.
    let letter = |role, kind: &str, to: &str| {
        run(
            role,
            &[
                &os("letter"),
                &os(&request),
                &os(kind),
                &os("--out"),
                out(to).as_os_str(),
            ],
        )
    };
    let ack = letter(Role::DutyOfficer, "acknowledgement", "letters");
    assert_eq!(ack.status.code(), Some(0), "{}", String::from_utf8_lossy(&ack.stderr));
    assert!(String::from_utf8_lossy(&ack.stdout).contains("acknowledgement"));
    assert_eq!(
        letter(Role::DataProtectionLead, "extension-notice", "letters")
            .status
            .code(),
        Some(2)
    );
    let unknown = letter(Role::DataProtectionLead, "postcard", "letters");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("restriction_lifted"));
}

#[test]
fn colour_can_be_chosen_or_refused() {
    let (_tmp, dir, _f) = tui_fixture();
    for choice in ["auto", "always", "never"] {
        assert_eq!(
            cli_as(&dir, Role::DutyOfficer, &["--color", choice, "handover"])
                .status
                .code(),
            Some(0)
        );
    }
    assert_eq!(
        cli_as(&dir, Role::DutyOfficer, &["--color", "purple", "handover"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn enquiries_and_groups_are_listed_for_scripts_under_the_perinatal_profile() {
    use dutydesk::domain::{EnquiryChannel, GroupFormat};
    use dutydesk::store::enquiries::EnquiryInput;
    use dutydesk::store::referrals::PartyRef;
    let text = dutydesk::profile::builtin_example("perinatal-peer-support").unwrap();
    let (_tmp, dir, mut lead) = new_case_file_with(&text);
    add_role_users(&mut lead);
    let asker = add(
        &mut lead,
        &record("Ottilie", "Asker", &[dutydesk::domain::Category::Enquirer]),
    );
    lead.record_enquiry(&EnquiryInput {
        enquirer: PartyRef::Existing(asker),
        channel: EnquiryChannel::SocialMedia,
        received_on: today(),
        about: "Is there a group near Banbury?".into(),
        answer: None,
    })
    .unwrap();
    lead.create_group("Tuesday mornings", GroupFormat::FaceToFace, "Tuesdays 10am")
        .unwrap();
    drop(lead);
    let open = json(&cli_as(&dir, Role::DutyOfficer, &["enquiries", "--open", "--json"]));
    let open = open.as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["person"], "Ottilie Asker");
    assert_eq!(open[0]["channel"], "social_media");
    assert!(open[0]["answer"].is_null());
    // A trustee does not receive an enquirer's correspondence: nobody listed.
    let theirs = json(&cli_as(&dir, Role::Trustee, &["enquiries", "--json"]));
    assert!(theirs.as_array().unwrap().is_empty());
    let groups = json(&cli_as(&dir, Role::SectionLeader, &["groups", "--json"]));
    assert_eq!(groups[0]["name"], "Tuesday mornings");
    assert_eq!(groups[0]["members"], 0);
    // A role that receives nobody's services runs no groups.
    assert_eq!(cli_as(&dir, Role::DbsOfficer, &["groups"]).status.code(), Some(2));
}

#[test]
fn donations_are_listed_with_their_totals_for_the_roles_that_receive_donors_letters() {
    use dutydesk::domain::{Category, FieldGroup};
    use dutydesk::profile::AccessMatrix;
    use dutydesk::store::donations::DonationInput;
    let text = dutydesk::profile::builtin_example("perinatal-peer-support").unwrap();
    let (_tmp, dir, mut lead) = new_case_file_with(&text);
    add_role_users(&mut lead);
    let donor = add(&mut lead, &record("Dora", "Giver", &[Category::Friend]));
    for (pence, gift_aid) in [(2500, true), (1000, false)] {
        lead.record_donation(
            donor,
            &DonationInput {
                amount_pence: pence,
                received_on: today(),
                platform: None,
                shared_with_consent_on: None,
                gift_aid,
            },
        )
        .unwrap();
    }
    drop(lead);
    let out = cli_as(&dir, Role::DataProtectionLead, &["donations"]);
    let text_out = String::from_utf8_lossy(&out.stdout);
    assert!(
        text_out.contains("2 donations, £35.00 in all; Gift Aid on £25.00."),
        "{text_out}"
    );
    let matrix = AccessMatrix::new(&dutydesk::profile::parse(&text).unwrap());
    for role in Role::ALL {
        let rows = json(&cli_as(&dir, *role, &["donations", "--json"]));
        let may = AccessMatrix::answers_rights(*role)
            || matrix.can_see(*role, &[Category::Friend], FieldGroup::Correspondence);
        assert_eq!(rows.as_array().unwrap().len(), if may { 2 } else { 0 }, "{role:?}");
        if may {
            assert_eq!(rows[0]["person"], "Dora Giver");
            assert_eq!(rows[0]["amount_pence"], 1000);
        }
    }
}

#[test]
fn complaint_and_breach_letters_are_written_from_the_command_line_by_the_lead() {
    use chrono::Duration;
    use dutydesk::domain::breach::BreachRisk;
    use dutydesk::domain::complaint::ComplaintChannel;
    use dutydesk::domain::FieldGroup;
    use dutydesk::store::breaches::BreachInput;
    use dutydesk::store::complaints::ComplaintInput;
    let (tmp, dir, mut lead) = new_case_file();
    add_role_users(&mut lead);
    let complaint = lead
        .record_complaint(&ComplaintInput {
            person: None,
            complainant: "Zed Grumble".into(),
            request: None,
            channel: ComplaintChannel::Letter,
            received_on: today(),
            about: "My letter went to the wrong address".into(),
        })
        .unwrap();
    let now = clock().now();
    let breach = lead
        .record_breach(&BreachInput {
            what: "A list was emailed to the wrong group".into(),
            happened_at: Some(now - Duration::hours(3)),
            aware_at: now - Duration::hours(1),
            everyone: true,
            people: vec![],
            data_groups: vec![FieldGroup::Name, FieldGroup::Address],
            consequences: "Addresses seen by others".into(),
            measures: "Recipients asked to delete it".into(),
        })
        .unwrap();
    drop(lead);
    let out = tmp.path().join("letters");
    let out_s = out.to_str().unwrap();
    // Before the decisions that make them, each is refused with a sentence.
    let c = cli_as(
        &dir,
        Role::DataProtectionLead,
        &["complaint-letter", &complaint.to_string(), "outcome", "--out", out_s],
    );
    assert_eq!(c.status.code(), Some(2), "{}", String::from_utf8_lossy(&c.stdout));
    let b = cli_as(
        &dir,
        Role::DataProtectionLead,
        &["breach-letters", &breach.to_string(), "--out", out_s],
    );
    assert_eq!(b.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&b.stderr).contains("judged high"));
    let mut lead = unlock_as(&dir, Role::DataProtectionLead);
    lead.acknowledge_complaint(complaint, today(), ComplaintChannel::Letter)
        .unwrap();
    lead.decide_breach(breach, BreachRisk::High, "Home addresses of vulnerable people")
        .unwrap();
    drop(lead);
    let c = cli_as(
        &dir,
        Role::DataProtectionLead,
        &[
            "complaint-letter",
            &complaint.to_string(),
            "acknowledgement",
            "--out",
            out_s,
        ],
    );
    assert_eq!(c.status.code(), Some(0), "{}", String::from_utf8_lossy(&c.stderr));
    assert!(out.join(format!("complaint-{complaint}-acknowledgement.txt")).exists());
    let b = cli_as(
        &dir,
        Role::DataProtectionLead,
        &["breach-letters", &breach.to_string(), "--out", out_s],
    );
    assert_eq!(b.status.code(), Some(0), "{}", String::from_utf8_lossy(&b.stderr));
    assert!(String::from_utf8_lossy(&b.stdout).starts_with("1 letter(s)"));
    // A duty officer may record them, not write their letters.
    let c = cli_as(
        &dir,
        Role::DutyOfficer,
        &[
            "complaint-letter",
            &complaint.to_string(),
            "acknowledgement",
            "--out",
            out_s,
        ],
    );
    assert_eq!(c.status.code(), Some(2));
    let c = cli_as(
        &dir,
        Role::DataProtectionLead,
        &["complaint-letter", "1", "sorry", "--out", out_s],
    );
    assert!(String::from_utf8_lossy(&c.stderr).contains("acknowledgement or outcome"));
}
