//! Snapshots of every screen at 80x24 and 120x40, with a fixed clock, fixed synthetic data and
//! no colours. A change to any screen shows up here as a diff to review.

mod common;

use common::*;
use dutydesk::domain::person::Obtained;
use dutydesk::domain::{Category, Role};
use dutydesk::tui::app::App;
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &mut App, dir: &dutydesk::store::DataDir) {
    for (w, h) in SIZES {
        // The temporary data folder differs from run to run: name it the same way each time.
        let text = screen(app, w, h).replace(&dir.root().display().to_string(), "<data>");
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn open_margaret(a: &mut App) {
    type_text(a, "/");
    type_text(a, "margaret");
    key(a, KeyCode::Enter);
}

#[test]
fn first_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = dutydesk::store::DataDir::new(tmp.path().join("fresh"));
    let mut a = app(&dir, "x");
    snap("first_run", &mut a, &dir);
    type_text(&mut a, "i");
    snap("first_run_form", &mut a, &dir);
}

#[test]
fn unlock_and_wrong_passphrase() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = app(&dir, "duty-officer");
    snap("unlock", &mut a, &dir);
    type_text(&mut a, "wrong passphrase");
    key(&mut a, KeyCode::Enter);
    snap("unlock_wrong_passphrase", &mut a, &dir);
}

#[test]
fn home_handover() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    snap("home", &mut a, &dir);
    type_text(&mut a, "?");
    snap("home_help", &mut a, &dir);
}

/// The handover each role acts on: the lead also sees retention reviews, the DBS officer DBS
/// renewals; filtered to one queue, the title says which.
#[test]
fn home_handover_for_each_role_and_filtered() {
    for (role, name) in [
        (Role::DataProtectionLead, "home_lead"),
        (Role::DbsOfficer, "home_dbs_officer"),
    ] {
        let (_tmp, dir, _f) = tui_fixture();
        {
            // A new volunteer whose DBS check is due for renewal, and someone last in touch
            // seven years ago.
            let mut store = unlock_as(&dir, Role::DataProtectionLead);
            let driver = add(
                &mut store,
                &full_record("Nina", "Ashby", "07700 900178", "", "OX17 2AD", &[Category::Volunteer]),
            );
            store
                .create_person(
                    &full_record(
                        "Harold",
                        "Whitmore",
                        "07700 900177",
                        "",
                        "OX17 2XY",
                        &[Category::Client],
                    ),
                    &Obtained::Directly,
                    today() - chrono::Days::new(7 * 365),
                )
                .unwrap();
            drop(store);
            let mut store = unlock_as(&dir, Role::DbsOfficer);
            let issued = today() - chrono::Days::new(3 * 365);
            let due = today() + chrono::Days::new(20);
            store
                .add_dbs_check(driver, "driver", "001234567890", issued, due)
                .unwrap();
        }
        let mut a = unlocked_app(&dir, role);
        snap(name, &mut a, &dir);
    }
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "f");
    snap("home_filtered", &mut a, &dir);
}

#[test]
fn search_results() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "/");
    snap("search_empty", &mut a, &dir);
    type_text(&mut a, "oak");
    snap("search_oak", &mut a, &dir);
    type_text(&mut a, "zzz");
    snap("search_nobody", &mut a, &dir);
}

#[test]
fn person_for_each_kind_of_reader() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    snap("person_duty_officer", &mut a, &dir);
    type_text(&mut a, "H");
    type_text(&mut a, "arranging a lift");
    snap("person_reveal_reason", &mut a, &dir);
    key(&mut a, KeyCode::Enter);
    snap("person_health_revealed", &mut a, &dir);
    drop(a);
    let mut a = unlocked_app(&dir, Role::DbsOfficer);
    type_text(&mut a, "/");
    type_text(&mut a, "brackley");
    key(&mut a, KeyCode::Enter);
    snap("person_dbs_officer", &mut a, &dir);
}

#[test]
fn person_popups() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    type_text(&mut a, "l");
    snap("log_contact_choose", &mut a, &dir);
    type_text(&mut a, "c");
    snap("log_contact_note", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "b");
    snap("callback", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "r");
    snap("link_kind", &mut a, &dir);
    // An emergency contact: after the search, how we learnt of it.
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "sandhu");
    key(&mut a, KeyCode::Enter);
    snap("link_source", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "U");
    snap("unlink_confirm", &mut a, &dir);
    type_text(&mut a, "n");
    type_text(&mut a, "?");
    snap("person_help", &mut a, &dir);
}

#[test]
fn services_and_volunteers() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.add_service(f.client, "driving", today(), Some(f.volunteer), "Surgery and back")
            .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    type_text(&mut a, "v");
    snap("service_record", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "G");
    key(&mut a, KeyCode::Enter);
    snap("service_change", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    // The volunteer's own screen, as a duty officer sees it: phone, clients, services.
    type_text(&mut a, "/");
    type_text(&mut a, "brackley");
    key(&mut a, KeyCode::Enter);
    snap("volunteer_for_duty_officer", &mut a, &dir);
    // Assigning: what for.
    type_text(&mut a, "r");
    for _ in 0..10 {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    type_text(&mut a, "oakhill");
    key(&mut a, KeyCode::Enter);
    snap("assign_for", &mut a, &dir);
}

#[test]
fn disclosure_form_and_register() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut duty = unlock_as(&dir, Role::DutyOfficer);
        duty.record_disclosure(
            f.client,
            &disclosure(
                "GP surgery",
                "phone number",
                dutydesk::profile::LawfulBasis::Consent,
                today(),
            ),
        )
        .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    type_text(&mut a, "S");
    snap("disclosure_form", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "1");
    type_text(&mut a, "S");
    snap("disclosure_register", &mut a, &dir);
}

#[test]
fn breach_record_and_decision() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "!");
    snap("breach_record", &mut a, &dir);
    type_text(&mut a, "Rota laptop lost on the 500 bus");
    for _ in 0..5 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, " ");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Unlikely: the case file is encrypted");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Passphrases changed");
    ctrl(&mut a, 's');
    snap("breach_on_handover", &mut a, &dir);
    let items = home_items(&mut a);
    let pos = items
        .iter()
        .position(|i| matches!(i.kind, dutydesk::store::handover::DueKind::Breach(_)))
        .unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    snap("breach_decide", &mut a, &dir);
}

#[test]
fn complaint_record_and_acknowledge() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "C");
    snap("complaint_record", &mut a, &dir);
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Mrs Quennell");
    for _ in 0..4 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "Letter sent to the wrong address");
    ctrl(&mut a, 's');
    let items = home_items(&mut a);
    let pos = items
        .iter()
        .position(|i| matches!(i.kind, dutydesk::store::handover::DueKind::Complaint(_)))
        .unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    type_text(&mut a, "x");
    snap("complaint_acknowledge", &mut a, &dir);
}

#[test]
fn person_forms() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "n");
    snap("new_person", &mut a, &dir);
    for _ in 0..6 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "OX17 2R");
    snap("new_person_invalid_postcode", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "y");
    open_margaret(&mut a);
    type_text(&mut a, "e");
    snap("edit_person", &mut a, &dir);
}

#[test]
fn duplicates_warning() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "n");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Margaret");
    key(&mut a, KeyCode::Tab);
    type_text(&mut a, "Oakhill");
    for _ in 0..4 {
        key(&mut a, KeyCode::Tab);
    }
    type_text(&mut a, "OX17 2RF");
    say_details_came_directly(&mut a);
    ctrl(&mut a, 's');
    snap("duplicates", &mut a, &dir);
}

#[test]
fn locked_and_recent_and_too_small() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    open_margaret(&mut a);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "2");
    snap("recent", &mut a, &dir);
    ctrl(&mut a, 'l');
    snap("locked", &mut a, &dir);
    insta::assert_snapshot!("too_small_50x12", screen(&mut a, 50, 12));
}

#[test]
fn referrals_notices_and_consent_screens() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    type_text(&mut a, "i");
    snap("referral_intake", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "3");
    snap("referrals_empty", &mut a, &dir);
    type_text(&mut a, "4");
    snap("notices", &mut a, &dir);
    type_text(&mut a, "E");
    snap("notice_exemption", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Enter);
    snap("notice_text", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "1");
    open_margaret(&mut a);
    type_text(&mut a, "c");
    snap("consent_give", &mut a, &dir);
}

#[test]
fn rights_request_screens() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "5");
    snap("requests_queue", &mut a, &dir);
    key(&mut a, KeyCode::Enter);
    snap("request", &mut a, &dir);
    type_text(&mut a, "a");
    snap("request_actions", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Esc);
    open_margaret(&mut a);
    type_text(&mut a, "p");
    snap("request_intake", &mut a, &dir);
}

/// An urgent referral opened from the handover, with notes long enough to wrap.
#[test]
fn referral_opened_from_the_handover() {
    use dutydesk::domain::referral::Urgency;
    use dutydesk::store::referrals::PartyRef;
    let (_tmp, dir, f) = tui_fixture();
    worker_refers(
        &dir,
        &f,
        PartyRef::New(full_record(
            "Walter",
            "Penrose",
            "07700 900179",
            "",
            "OX17 2PE",
            &[Category::Client],
        )),
        Urgency::Urgent,
        "Discharged from hospital on Monday; needs lifts to the surgery twice a week and a call \
         before each visit, as he does not always hear the door.",
    );
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    while !screen(&mut a, 80, 24).contains("Referrals only") {
        type_text(&mut a, "f");
    }
    key(&mut a, KeyCode::Enter);
    snap("referral", &mut a, &dir);
}

/// A callback opened from the handover: the whole text, for whom, when, and how late.
#[test]
fn callback_opened_from_the_handover() {
    let (_tmp, dir, _f) = tui_fixture();
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    while !screen(&mut a, 80, 24).contains("Callbacks only") {
        type_text(&mut a, "f");
    }
    key(&mut a, KeyCode::Enter);
    snap("callback_item", &mut a, &dir);
}

/// The lead's person screen with a standing legal hold, the form that places one, and the
/// review of a hold.
#[test]
fn legal_holds() {
    let (_tmp, dir, f) = tui_fixture();
    {
        let mut lead = unlock_as(&dir, Role::DataProtectionLead);
        lead.place_hold(
            f.worker,
            dutydesk::domain::HoldKind::LegalClaim,
            "County court claim CC-118",
            chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
        )
        .unwrap();
    }
    let mut a = unlocked_app(&dir, Role::DataProtectionLead);
    type_text(&mut a, "/");
    type_text(&mut a, "Sandhu");
    key(&mut a, KeyCode::End);
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::End);
    snap("person_with_a_legal_hold", &mut a, &dir);
    key(&mut a, KeyCode::Enter);
    snap("legal_hold_review", &mut a, &dir);
    key(&mut a, KeyCode::Esc);
    type_text(&mut a, "L");
    snap("legal_hold_place", &mut a, &dir);
}
