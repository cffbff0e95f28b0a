//! Disclosures governed: each says why it was allowed (permission, how and when; or an
//! exceptional circumstance, who decided, and whether the person was supported to share it,
//! told, or not told and why); only the roles the profile names may record or list them.

mod common;

use chrono::Duration;
use common::*;
use dutydesk::domain::consent::ConsentMethod;
use dutydesk::domain::{DisclosureGround, PersonInformed, Role};
use dutydesk::profile::LawfulBasis;
use dutydesk::store::disclosures::DisclosureInput;
use dutydesk::store::StoreError;
use ratatui::crossterm::event::KeyCode;

fn exceptional(ground: DisclosureGround, maker: &str, informed: Option<PersonInformed>, note: &str) -> DisclosureInput {
    DisclosureInput {
        recipient: "Children's social care".into(),
        what: "name, address and what she told us".into(),
        lawful_basis: LawfulBasis::LegalObligation,
        on: today(),
        ground,
        permission: None,
        decision_maker: maker.into(),
        informed,
        informed_note: note.into(),
    }
}

#[test]
fn each_ground_asks_for_what_makes_it_lawful() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    // With permission: how and when, and not after the details went.
    let mut no_how = disclosure("GP surgery", "phone number", LawfulBasis::Consent, today());
    no_how.permission = None;
    let e = duty.record_disclosure(f.client, &no_how).unwrap_err().to_string();
    assert!(e.contains("how and when they gave their permission"), "{e}");
    let late = DisclosureInput::with_permission(
        "GP surgery",
        "phone number",
        LawfulBasis::Consent,
        today() - Duration::days(2),
        ConsentMethod::VerbalPhone,
        today(),
    );
    let e = duty.record_disclosure(f.client, &late).unwrap_err().to_string();
    assert!(e.contains("must come before"), "{e}");
    duty.record_disclosure(
        f.client,
        &disclosure("GP surgery", "phone number", LawfulBasis::Consent, today()),
    )
    .unwrap();
    // Without it: who decided, and whether she was supported, told or not told (and why).
    for g in DisclosureGround::ALL
        .iter()
        .copied()
        .filter(|g| *g != DisclosureGround::Permission)
    {
        let e = duty
            .record_disclosure(f.client, &exceptional(g, " ", Some(PersonInformed::ToldAfter), ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("who made the decision"), "{g:?}: {e}");
        let e = duty
            .record_disclosure(f.client, &exceptional(g, "safeguarding lead", None, ""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("supported to share it themselves, told, or not told"),
            "{g:?}: {e}"
        );
        let e = duty
            .record_disclosure(
                f.client,
                &exceptional(g, "safeguarding lead", Some(PersonInformed::NotTold), ""),
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("why they were not told"), "{g:?}: {e}");
    }
    duty.record_disclosure(
        f.client,
        &exceptional(
            DisclosureGround::SafeguardingChild,
            "safeguarding lead",
            Some(PersonInformed::NotTold),
            "telling her first would put the child at risk",
        ),
    )
    .unwrap();
    let list = duty.disclosures(Some(f.client)).unwrap();
    assert_eq!(list.len(), 2);
    let newest = &list[0];
    assert_eq!(
        (newest.ground, newest.decision_maker.as_deref(), newest.informed),
        (
            Some(DisclosureGround::SafeguardingChild),
            Some("safeguarding lead"),
            Some(PersonInformed::NotTold)
        )
    );
    assert!(newest
        .summary(true)
        .contains("safeguarding a child; decided by safeguarding lead"));
    // The audit log names the fields, never what was said.
    let audit: String = duty
        .raw_connection_for_tests()
        .query_row(
            "SELECT group_concat(fields) FROM audit_log WHERE entity = 'disclosure'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !audit.contains("child at risk") && !audit.contains("safeguarding lead"),
        "{audit}"
    );
}

#[test]
fn only_the_roles_the_profile_names_record_or_list_disclosures() {
    let (_tmp, dir, f) = tui_fixture();
    for &role in Role::ALL {
        let mut store = unlock_as(&dir, role);
        let allowed = matches!(role, Role::DataProtectionLead | Role::DutyOfficer | Role::SectionLeader);
        assert_eq!(store.may_disclose(), allowed, "{role:?}");
        let listed = store.disclosures(None);
        assert_eq!(listed.is_ok(), allowed, "{role:?}: the register");
        if !allowed {
            assert!(matches!(listed, Err(StoreError::NotAllowed(..))));
            // Whoever they may see, they may not record one.
            for person in [f.client, f.volunteer] {
                let r = store.record_disclosure(person, &disclosure("GP", "name", LawfulBasis::Consent, today()));
                assert!(r.is_err(), "{role:?} recorded a disclosure");
            }
        }
    }
}

#[test]
fn a_duty_officer_records_a_safeguarding_disclosure_and_finds_it_on_the_register() {
    let (_tmp, dir, f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "margaret");
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "S");
    // To the police (the profile's last recipient), what, then the ground.
    for _ in 0..2 {
        key(&mut a, KeyCode::Left);
    }
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "name and address");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "a"); // "A threat to others"
                            // Saving without who decided is refused, under that field.
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("who made the decision"),
        "{:?}",
        a.status
    );
    // The cursor is on the field to put right.
    type_text(&mut a, "duty officer with the chair");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "t"); // "Told before it was passed on"
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "v"); // vital interests
    ctrl(&mut a, 's');
    assert!(
        a.status.as_ref().unwrap().text.contains("Disclosure recorded"),
        "{:?}",
        a.status
    );
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("name and address -> police (vital interests)")
            && text
                .contains("a threat to others; decided by duty officer with the chair; told before it was passed on"),
        "{text}"
    );
    // The register, from the handover.
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "1");
    type_text(&mut a, "S");
    let text = screen(&mut a, 120, 40);
    assert!(
        text.contains("Disclosures: 1 in all") && text.contains("Margaret Oakhill"),
        "{text}"
    );
    key(&mut a, KeyCode::Enter);
    assert!(screen(&mut a, 120, 40).contains("Margaret Oakhill   Client"));
    drop(a);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let d = &duty.disclosures(Some(f.client)).unwrap()[0];
    assert_eq!(
        (d.ground, d.informed, d.lawful_basis.as_str()),
        (
            Some(DisclosureGround::ThreatToOthers),
            Some(PersonInformed::ToldBefore),
            "vital_interests"
        )
    );
}

#[test]
fn the_register_from_the_command_line_for_the_roles_allowed() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.record_disclosure(
            f.client,
            &disclosure("GP surgery", "phone number", LawfulBasis::Consent, today()),
        )
        .unwrap();
    }
    let run = |role: Role, args: &[&str]| cli_as(&dir, role, args);
    let out = run(Role::DataProtectionLead, &["disclosures", "--json"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["recipient"], "GP surgery");
    assert_eq!(rows[0]["ground"], "permission");
    let out = run(Role::DutyOfficer, &["disclosures"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 disclosure(s)") && text.contains("phone number -> GP surgery"),
        "{text}"
    );
    let out = run(Role::MembershipSecretary, &["disclosures"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn without_permission_the_basis_cannot_be_consent() {
    let (_tmp, dir, f) = tui_fixture();
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    let mut d = exceptional(
        DisclosureGround::SafeguardingAdult,
        "safeguarding lead",
        Some(PersonInformed::ToldAfter),
        "",
    );
    d.lawful_basis = LawfulBasis::Consent;
    let e = duty.record_disclosure(f.client, &d).unwrap_err().to_string();
    assert!(e.contains("cannot be consent"), "{e}");
}
