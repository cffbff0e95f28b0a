//! Shared helpers for the integration tests: temporary case files, synthetic people and a
//! fixed clock. Every person here is invented.
#![allow(dead_code)]

use chrono::NaiveDate;
use dutydesk::domain::clock::{Clock, FixedClock};
use dutydesk::domain::person::{Obtained, PersonForm, PersonRecord};
use dutydesk::domain::{Category, FieldGroup, Role};
use dutydesk::store::{DataDir, InitOptions, KdfParams, Store};
use std::sync::Arc;

pub mod sync;

pub const LEAD: &str = "lead";
pub const LEAD_PASS: &str = "lead test passphrase";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::at_nine(today()))
}

pub fn profile() -> &'static str {
    static FILLED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FILLED.get_or_init(|| dutydesk::profile::builtin_example("good-neighbours").expect("built-in profile"))
}

/// The built-in test profile's `[profile]` version.
pub fn profile_version() -> u32 {
    let head = "[profile]\nid = \"good-neighbours\"\nversion = ";
    let at = profile().find(head).expect("the profile header") + head.len();
    profile()[at..]
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a version number")
}

/// The test profile with its `[profile]` version set to `n` (consent wording versions are
/// left alone).
pub fn profile_at_version(n: u32) -> String {
    let head = "[profile]\nid = \"good-neighbours\"\nversion = ";
    profile().replacen(&format!("{head}{}", profile_version()), &format!("{head}{n}"), 1)
}

/// The organisation's details `init` asks for (the built-in profiles are written for any).
pub const ORGANISATION: [&str; 8] = [
    "--organisation",
    "Test Neighbours",
    "--address",
    "1 High Street, Kings Sutton, OX17 3RQ",
    "--phone",
    "01295 000000",
    "--email",
    "help@example.org",
];

/// A deliberately different charity (a Scottish community pantry) in its own words, filled
/// with its own details: tests run profile-dependent behaviour under it too.
pub fn riverside_profile() -> String {
    let org = dutydesk::profile::Organisation::new(
        "Riverside Community Pantry",
        "2 Quay Lane, Riverside, Perth, PH1 5AA",
        "01632 960555",
        "privacy@riverside.example.org",
    )
    .unwrap();
    dutydesk::profile::fill(include_str!("riverside-pantry.toml"), &org)
}

/// The text of each profile a profile-dependent test runs under: the two built-in ones
/// (filled with the details of the charity each was written from) and the test pantry.
pub fn every_profile() -> Vec<(String, String)> {
    dutydesk::profile::builtin_ids()
        .iter()
        .map(|id| (id.to_string(), dutydesk::profile::builtin_example(id).unwrap()))
        .chain(std::iter::once(("riverside-pantry".to_string(), riverside_profile())))
        .collect()
}

/// A new encrypted case file in a temporary folder, unlocked as the data protection lead.
pub fn new_case_file() -> (tempfile::TempDir, DataDir, Store) {
    new_case_file_with(profile())
}

/// A new encrypted case file under the profile `text`, unlocked as the data protection lead.
pub fn new_case_file_with(text: &str) -> (tempfile::TempDir, DataDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path().join("data"));
    let organisation = dutydesk::profile::parse(text).unwrap().controller.name;
    let store = Store::init(
        &dir,
        &InitOptions {
            profile_toml: text,
            organisation: &organisation,
            first_user: LEAD,
            passphrase: LEAD_PASS,
            kdf: KdfParams::FAST_INSECURE,
        },
        clock(),
    )
    .unwrap();
    (tmp, dir, store)
}

/// Adds one user per role (besides the lead) with passphrase "<login> test passphrase".
pub fn add_role_users(store: &mut Store) {
    for role in Role::ALL {
        if *role == Role::DataProtectionLead {
            continue;
        }
        let login = role.key().replace('_', "-");
        store
            .add_user(
                &login,
                *role,
                &format!("{login} test passphrase"),
                KdfParams::FAST_INSECURE,
            )
            .unwrap();
    }
}

pub fn login_for(role: Role) -> String {
    if role == Role::DataProtectionLead {
        LEAD.to_string()
    } else {
        role.key().replace('_', "-")
    }
}

pub fn pass_for(role: Role) -> String {
    if role == Role::DataProtectionLead {
        LEAD_PASS.to_string()
    } else {
        format!("{} test passphrase", login_for(role))
    }
}

/// Reopens the case file as the user holding `role` (drop the other store first).
pub fn unlock_as(dir: &DataDir, role: Role) -> Store {
    Store::unlock(dir, &login_for(role), &pass_for(role), clock()).unwrap()
}

pub fn record(given: &str, family: &str, cats: &[Category]) -> PersonRecord {
    PersonForm {
        given_name: given.into(),
        family_name: family.into(),
        categories: cats.to_vec(),
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap()
}

/// A record with every field the Good Neighbours notice collects for `cats` filled in (the
/// store refuses fields no category of the person collects).
pub fn full_record(
    given: &str,
    family: &str,
    phone: &str,
    email: &str,
    postcode: &str,
    cats: &[Category],
) -> PersonRecord {
    let p = dutydesk::profile::parse(profile()).unwrap();
    let collects = |g: FieldGroup| cats.iter().any(|c| p.category(*c).is_some_and(|r| r.collects(g)));
    let mut rec = PersonForm {
        title: String::new(),
        given_name: given.into(),
        family_name: family.into(),
        address: "12 Test Lane, Exampleton".into(),
        postcode: postcode.into(),
        phones: phone.into(),
        email: email.into(),
        date_of_birth: "01/02/1940".into(),
        categories: cats.to_vec(),
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap();
    if !collects(FieldGroup::Address) {
        rec.address = None;
        rec.postcode = None;
    }
    if !collects(FieldGroup::Phone) {
        rec.phones.clear();
    }
    if !collects(FieldGroup::Email) {
        rec.email = None;
    }
    if !collects(FieldGroup::DateOfBirth) {
        rec.date_of_birth = None;
    }
    rec
}

pub fn add(store: &mut Store, rec: &PersonRecord) -> i64 {
    store.create_person(rec, &Obtained::Directly, today()).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The terminal interface, driven by keys and drawn into a TestBackend.

use dutydesk::tui::app::App;
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::terminal::Theme;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// The fixture's social worker refers `referred` for driving, today, in a call a duty officer
/// takes: the referral many tests start from. Returns the referral's id.
pub fn worker_refers(
    dir: &DataDir,
    f: &Fixture,
    referred: dutydesk::store::referrals::PartyRef,
    urgency: dutydesk::domain::referral::Urgency,
    notes: &str,
) -> i64 {
    use dutydesk::domain::referral::ReferrerKind;
    use dutydesk::store::referrals::{PartyRef, ReferralIntake};
    let mut store = unlock_as(dir, Role::DutyOfficer);
    store
        .take_referral(&ReferralIntake {
            received_on: today(),
            caller_kind: ReferrerKind::Professional,
            caller: Some(PartyRef::Existing(f.worker)),
            caller_organisation: Some("Adult Social Care".into()),
            caller_is_next_of_kin: false,
            caller_is_emergency_contact: false,
            caller_relation: None,
            referred,
            contacts: vec![],
            services: vec!["Driving".into()],
            health_notes: String::new(),
            person_knows: true,
            person_agrees: true,
            urgency,
            notes: notes.into(),
        })
        .unwrap()
        .referral_id
}

/// Ids of the fixture's people.
pub struct Fixture {
    pub client: i64,
    pub daughter: i64,
    pub volunteer: i64,
    pub worker: i64,
}

/// A case file with one user per role and a small, fixed cast of synthetic people.
pub fn tui_fixture() -> (tempfile::TempDir, DataDir, Fixture) {
    let (tmp, dir, mut store) = new_case_file();
    add_role_users(&mut store);
    let mut margaret = full_record(
        "Margaret",
        "Oakhill",
        "07700 900123",
        "m.oakhill@example.org",
        "OX17 2RF",
        &[Category::Client],
    );
    margaret.address = Some("4 Stanwell Lea, Middleton Cheney".into());
    let client = add(&mut store, &margaret);
    let daughter = store
        .create_person(
            &full_record("Susan", "Oakhill", "07700 900124", "", "", &[Category::Relative]),
            &Obtained::Indirectly {
                from_person: Some(client),
                from_text: None,
                referral: None,
            },
            today(),
        )
        .unwrap();
    store
        .link(client, dutydesk::domain::RelationKind::NextOfKin, daughter)
        .unwrap();
    let volunteer = add(
        &mut store,
        &full_record(
            "Peter",
            "Brackley",
            "07700 900125",
            "",
            "OX17 2AB",
            &[Category::Volunteer],
        ),
    );
    store
        .link(client, dutydesk::domain::RelationKind::AssignedVolunteer, volunteer)
        .unwrap();
    let mut w = full_record(
        "Ravi",
        "Sandhu",
        "0161 496 0001",
        "r.sandhu@example.net",
        "",
        &[Category::Professional],
    );
    w.organisation = Some("Adult Social Care".into());
    let worker = add(&mut store, &w);
    store
        .link(client, dutydesk::domain::RelationKind::Professional, worker)
        .unwrap();
    let tomorrow = today().succ_opt().unwrap().and_hms_opt(10, 0, 0).unwrap();
    store
        .add_callback(client, "lift to the surgery on Friday", tomorrow)
        .unwrap();
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO rights_requests (person_id, kinds, channel, received_on, created_at) VALUES (?1, 'access', 'letter', '2026-11-20', '2026-11-20')",
            [client],
        )
        .unwrap();
    drop(store);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.add_health_note(client, "Uses a walking frame; needs help into the car")
        .unwrap();
    duty.log_contact(client, dutydesk::domain::ContactKind::Call, "Asked about Friday")
        .unwrap();
    drop(duty);
    let mut dbs = unlock_as(&dir, Role::DbsOfficer);
    let issued = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
    dbs.add_dbs_check(
        volunteer,
        "Driver",
        "001234567890",
        issued,
        NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
    )
    .unwrap();
    drop(dbs);
    (
        tmp,
        dir,
        Fixture {
            client,
            daughter,
            volunteer,
            worker,
        },
    )
}

/// The app on `dir` with a fixed clock, the default keys and no colours.
pub fn app(dir: &DataDir, login: &str) -> App {
    let mut a = App::new(
        dir.clone(),
        clock(),
        Keymap::default(),
        Theme::plain(),
        Some(login.to_string()),
    );
    a.kdf = KdfParams::FAST_INSECURE;
    a.folder_label = "[DATA DIR]".into();
    if let dutydesk::tui::app::Phase::Setup(s) = &mut a.phase {
        s.set_folder_label("[DATA DIR]");
    }
    a
}

/// The app, unlocked as the user holding `role`.
pub fn unlocked_app(dir: &DataDir, role: Role) -> App {
    let mut a = app(dir, &login_for(role));
    type_text(&mut a, &pass_for(role));
    key(&mut a, KeyCode::Enter);
    assert!(
        matches!(a.phase, dutydesk::tui::app::Phase::Ready(_)),
        "unlocked as {role:?}: {:?}",
        a.status
    );
    a
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    app.after_batch();
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    app.after_batch();
}

/// Types text one key at a time, as fast typing arrives: one batch, one refresh.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.handle_key(KeyEvent::new(KeyCode::Char(c), mods));
    }
    app.after_batch();
}

/// On the new-person form: says how the details came ("d": directly from the person), as
/// the form asks before saving.
pub fn say_details_came_directly(app: &mut App) {
    let (focus, at) = match &mut app.phase {
        dutydesk::tui::app::Phase::Ready(s) => {
            let f = &s
                .view::<dutydesk::tui::screens::person_form::PersonFormScreen>()
                .expect("the new-person form")
                .form;
            let at = f
                .fields()
                .iter()
                .position(|x| x.id() == "obtained")
                .expect("the obtained field");
            (f.focus(), at)
        }
        _ => panic!("not unlocked"),
    };
    for _ in focus..at {
        key(app, KeyCode::Tab);
    }
    type_text(app, "d");
}

/// Runs the dutydesk binary on the fixture's case file as the user holding `role`.
pub fn cli_as<S: AsRef<std::ffi::OsStr>>(dir: &DataDir, role: Role, args: &[S]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"));
    c.arg("--data-dir")
        .arg(dir.root())
        .args(args)
        .env("DUTYDESK_USER", login_for(role))
        .env("DUTYDESK_PASSPHRASE", pass_for(role))
        .env_remove("DUTYDESK_DATA_DIR");
    c.output().expect("run the dutydesk binary")
}

/// A disclosure made with the person's permission, given on the phone that day.
pub fn disclosure(
    recipient: &str,
    what: &str,
    basis: dutydesk::profile::LawfulBasis,
    on: NaiveDate,
) -> dutydesk::store::disclosures::DisclosureInput {
    dutydesk::store::disclosures::DisclosureInput::with_permission(
        recipient,
        what,
        basis,
        on,
        dutydesk::domain::consent::ConsentMethod::VerbalPhone,
        on,
    )
}

/// The items on the handover tab, as loaded now.
pub fn home_items(app: &mut App) -> Vec<dutydesk::store::handover::DueItem> {
    match &mut app.phase {
        dutydesk::tui::app::Phase::Ready(s) => s
            .tab::<dutydesk::tui::screens::home::HomeScreen>()
            .expect("the handover tab")
            .items
            .clone(),
        _ => panic!("not unlocked"),
    }
}

/// On the referral intake form: Tab until the field `field` has the cursor.
pub fn tab_to(a: &mut App, field: &str) {
    use dutydesk::tui::screens::referral_intake::ReferralIntakeScreen;
    for _ in 0..40 {
        let at = match &mut a.phase {
            dutydesk::tui::app::Phase::Ready(s) => match s.view::<ReferralIntakeScreen>() {
                Some(f) => f.form.fields()[f.form.focus()].id().to_string(),
                None => panic!("the intake form is open"),
            },
            _ => panic!("not unlocked"),
        };
        if at == field {
            return;
        }
        key(a, KeyCode::Tab);
    }
    panic!("no field {field}");
}

/// Draws the app into a `width` x `height` test terminal and returns the screen as text.
pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| dutydesk::tui::ui::draw(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// An erasure request from `person`, by email today, with their ID asked for and seen: ready
/// for the lead to carry out. Returns its id.
pub fn ready_erasure_request(store: &mut Store, person: i64) -> i64 {
    use dutydesk::domain::rights::{Channel, RequestKind};
    use dutydesk::store::requests::RequestIntake;
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(person),
            kinds: vec![RequestKind::Erasure],
            channel: Some(Channel::Email),
            received_on: Some(today()),
            words: "Please delete everything about me.".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    store.request_id(id, today()).unwrap();
    store.id_received(id, today(), "passport").unwrap();
    id
}
