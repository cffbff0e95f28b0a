//! Every word that describes the charity comes from its profile. Under the perinatal
//! peer-support profile and a deliberately different test charity (a Scottish community
//! pantry), every document dutydesk writes (the Article 14 notice for each category, the
//! rights-request, complaint and breach letters, the access pack) and the screens each role
//! sees (the handover, each person, the forms that file people) are rendered and searched for
//! Good Neighbours wording; the charity's own words must be there instead. Everyone is
//! invented.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::complaint::ComplaintChannel;
use dutydesk::domain::person::{Obtained, PersonForm, PersonRecord};
use dutydesk::domain::rights::{Channel, RequestKind};
use dutydesk::domain::{Category, FieldGroup, Role};
use dutydesk::export::complaint_letters::{render_complaint_letter, ComplaintLetter};
use dutydesk::export::letters::{render_letter, LetterKind};
use dutydesk::profile::Profile;
use dutydesk::store::breaches::BreachInput;
use dutydesk::store::complaints::ComplaintInput;
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::DataDir;
use ratatui::crossterm::event::KeyCode;

/// Words that belong to the Good Neighbours notice (its name, its roles, its categories, its
/// services and its six-year promise) and to no other charity.
const GOOD_NEIGHBOURS_WORDS: &[&str] = &[
    "Good Neighbours",
    "Middleton",
    "mcgns",
    "Stanwell",
    "Duty officer",
    "duty officer",
    "Section leader",
    "section leader",
    "Membership secretary",
    "membership secretary",
    "Data protection lead",
    "Mobility",
    "Friend",
    "befriend",
    "Befriend",
    "driving",
    "shopping",
    "newsletter",
    "6 years",
    "six years",
    "Social or healthcare worker",
    "social or healthcare worker",
    "Scheme",
    "DBS",
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Fails, naming the document, if `text` holds any Good Neighbours word.
fn no_good_neighbours_words(profile_id: &str, what: &str, text: &str) {
    // Proof of identity may be "a driving licence" under any charity.
    let text = &text.replace("driving licence", "");
    for w in GOOD_NEIGHBOURS_WORDS {
        if let Some(at) = text.find(w) {
            let from = text[..at].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
            let to = (at + w.len() + 60).min(text.len());
            let to = (to..=text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            panic!(
                "{profile_id}: Good Neighbours wording {w:?} in {what}: ...{}...",
                &text[from..to]
            );
        }
    }
}

/// A record filling every field group `profile` collects for `cat`.
fn record_for(profile: &Profile, cat: Category, given: &str) -> PersonRecord {
    let rule = profile.category(cat).unwrap();
    let pick = |g, v: &str| if rule.collects(g) { v.to_string() } else { String::new() };
    PersonForm {
        given_name: given.into(),
        family_name: "Wordsworth".into(),
        address: pick(FieldGroup::Address, "3 Sample Row, Exampleton"),
        postcode: pick(FieldGroup::Address, "PH1 5AB"),
        phones: pick(FieldGroup::Phone, "07700 900401"),
        email: pick(FieldGroup::Email, "sample@example.org"),
        date_of_birth: pick(FieldGroup::DateOfBirth, "01/02/1984"),
        organisation: pick(FieldGroup::Organisation, "Sample Services"),
        categories: vec![cat],
        ..PersonForm::default()
    }
    .validate(today())
    .unwrap()
}

/// Given names, one per category, so each person can be found on screen.
const NAMES: [&str; 10] = [
    "Alba", "Briony", "Cora", "Dana", "Elspeth", "Fenella", "Greer", "Hallie", "Iona", "Jessa",
];

/// A case file under `text` with a person of every category the profile defines (each
/// named by someone, where the category's data may come from someone else), a rights
/// request, a complaint and a breach. Returns the people's ids with their categories.
fn populated(text: &str) -> (tempfile::TempDir, DataDir, Vec<(Category, i64)>, i64) {
    let (tmp, dir, mut store) = new_case_file_with(text);
    add_role_users(&mut store);
    let profile = store.profile().clone();
    let source = store
        .create_person(
            &record_for(&profile, profile.categories[0].key, "Source"),
            &Obtained::Directly,
            today(),
        )
        .unwrap();
    let mut people = Vec::new();
    for (i, rule) in profile.categories.iter().enumerate() {
        let obtained = if rule.obtained_indirectly {
            Obtained::Indirectly {
                from_person: Some(source),
                from_text: None,
                referral: None,
            }
        } else {
            Obtained::Directly
        };
        let id = store
            .create_person(&record_for(&profile, rule.key, NAMES[i]), &obtained, today())
            .unwrap();
        people.push((rule.key, id));
    }
    let first = people[0].1;
    // Linked to a worker, where the charity files them, so the link shows in its words.
    if let Some((_, worker)) = people.iter().find(|(c, _)| *c == Category::Professional) {
        store
            .link(first, dutydesk::domain::RelationKind::Professional, *worker)
            .unwrap();
    }
    let request = store
        .record_request(&RequestIntake {
            person_id: Some(first),
            kinds: vec![RequestKind::Access, RequestKind::Objection],
            channel: Some(Channel::Letter),
            received_on: Some(d(2026, 11, 20)),
            words: "What do you hold about me?".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    store
        .record_complaint(&ComplaintInput {
            person: Some(first),
            complainant: String::new(),
            request: None,
            channel: ComplaintChannel::Email,
            received_on: d(2026, 11, 21),
            about: "A message went to the wrong address".into(),
        })
        .unwrap();
    store
        .record_breach(&BreachInput {
            what: "A list was emailed to the wrong person".into(),
            happened_at: None,
            aware_at: today().and_hms_opt(8, 0, 0).unwrap(),
            everyone: false,
            people: vec![first],
            data_groups: vec![FieldGroup::Name, FieldGroup::Health],
            consequences: "Distress".into(),
            measures: "Asked for it to be deleted".into(),
        })
        .unwrap();
    drop(store);
    let mut duty = unlock_as(&dir, Role::DutyOfficer);
    duty.add_health_note(first, "Feels low in the mornings").unwrap();
    drop(duty);
    (tmp, dir, people, request)
}

/// The two other profiles' documents: each person's notice, each clerical letter and the
/// complaint and breach letters, and the access pack, with no Good Neighbours words, and
/// the charity's own name, signature and retention promise in them.
#[test]
fn no_good_neighbours_wording_in_any_document_of_another_charity() {
    for (id, text) in every_profile().into_iter().filter(|(id, _)| id != "good-neighbours") {
        let (tmp, dir, people, request) = populated(&text);
        let store = unlock_as(&dir, Role::DataProtectionLead);
        let profile = store.profile().clone();
        for (cat, person) in &people {
            let n = dutydesk::export::notice::render_notice(&store, *person).unwrap();
            for (what, doc) in [("text", &n.text), ("html", &n.html)] {
                let ctx = format!("the {what} notice of a {}", cat.key());
                no_good_neighbours_words(&id, &ctx, doc);
                assert!(doc.contains(&profile.controller.name), "{id}: {ctx} names the charity");
                let promise = profile.retention_for(&[*cat]).promise();
                let first_words: String = promise.chars().take(40).collect();
                assert!(doc.contains(&first_words), "{id}: {ctx} keeps its own promise");
                assert!(doc.contains(&profile.direct_marketing), "{id}: {ctx} direct marketing");
            }
        }
        for kind in [
            LetterKind::Acknowledgement,
            LetterKind::IdRequest,
            LetterKind::ClarificationRequest,
        ] {
            let l = render_letter(&store, request, kind).unwrap();
            no_good_neighbours_words(&id, kind.key(), &l.text);
            no_good_neighbours_words(&id, kind.key(), &l.html);
            assert!(l.text.contains(profile.signature()), "{id}: {} signed", kind.key());
            assert!(l.text.contains(&profile.controller.name), "{id}: {}", kind.key());
        }
        let id_letter = render_letter(&store, request, LetterKind::IdRequest).unwrap();
        assert!(
            id_letter.text.contains(profile.role_name(Role::DutyOfficer)),
            "{id}: the ID letter names who answers people"
        );
        let complaint = store.complaints().unwrap()[0].id;
        for kind in [ComplaintLetter::Acknowledgement] {
            let (first, second) = render_complaint_letter(&store, complaint, kind).unwrap();
            for doc in [&first, &second] {
                no_good_neighbours_words(&id, "the complaint letter", doc);
                assert!(
                    doc.contains(profile.signature()),
                    "{id}: the complaint letter is signed"
                );
            }
        }
        let breach = store.breaches().unwrap()[0].id;
        drop(store);
        let mut store = unlock_as(&dir, Role::DataProtectionLead);
        store
            .decide_breach(
                breach,
                dutydesk::domain::breach::BreachRisk::High,
                "Health data of a mum",
            )
            .unwrap();
        let out = tmp.path().join("breach");
        dutydesk::export::breach_letters::write_breach_letters(&store, breach, &out).unwrap();
        let pack = tmp.path().join("pack");
        dutydesk::export::pack::subject_access_pack(&store, request, &pack).unwrap();
        for folder in [&out, &pack] {
            for f in std::fs::read_dir(folder).unwrap() {
                let path = f.unwrap().path();
                if path.is_file() {
                    let doc = std::fs::read_to_string(&path).unwrap();
                    no_good_neighbours_words(&id, &path.display().to_string(), &doc);
                }
            }
        }
    }
}

/// Every role's handover, each person's screen, the new-person form and the help, in the
/// charity's own words: its role label in the header, its category labels on people.
#[test]
fn no_good_neighbours_wording_on_any_screen_of_another_charity() {
    for (id, text) in every_profile().into_iter().filter(|(id, _)| id != "good-neighbours") {
        let (_tmp, dir, people, _request) = populated(&text);
        let profile = dutydesk::profile::parse(&text).unwrap();
        for role in Role::ALL {
            let mut a = unlocked_app(&dir, *role);
            let home = screen(&mut a, 120, 40);
            no_good_neighbours_words(&id, &format!("the handover of a {}", role.key()), &home);
            assert!(
                home.contains(profile.role_label(*role)),
                "{id}: the header names the role in the charity's words\n{home}"
            );
            for (i, (cat, _)) in people.iter().enumerate() {
                type_text(&mut a, "/");
                type_text(&mut a, NAMES[i]);
                let found = screen(&mut a, 120, 40);
                no_good_neighbours_words(
                    &id,
                    &format!("searching for a {} as a {}", cat.key(), role.key()),
                    &found,
                );
                if found.contains(&format!("{} Wordsworth", NAMES[i])) {
                    let label: String = profile.category_label(*cat).to_lowercase().chars().take(20).collect();
                    assert!(
                        found.contains(&label),
                        "{id}: a {} is listed as a {label}\n{found}",
                        cat.key()
                    );
                }
                key(&mut a, KeyCode::Enter);
                let shown = screen(&mut a, 120, 40);
                no_good_neighbours_words(&id, &format!("a {} seen by a {}", cat.key(), role.key()), &shown);
                if shown.contains(&format!("{} Wordsworth", NAMES[i])) && !shown.contains("No one") {
                    assert!(
                        shown.contains(profile.category_label(*cat)),
                        "{id}: a {} is shown as a {}\n{shown}",
                        cat.key(),
                        profile.category_label(*cat)
                    );
                }
                key(&mut a, KeyCode::Esc);
                key(&mut a, KeyCode::Esc);
            }
            type_text(&mut a, "?");
            no_good_neighbours_words(&id, &format!("the help of a {}", role.key()), &screen(&mut a, 120, 40));
            key(&mut a, KeyCode::Esc);
        }
        let mut a = unlocked_app(&dir, Role::DataProtectionLead);
        type_text(&mut a, "n");
        for _ in 0..4 {
            key(&mut a, KeyCode::Tab);
        }
        let form = screen(&mut a, 120, 40);
        no_good_neighbours_words(&id, "the new-person form", &form);
        for rule in &profile.categories {
            assert!(
                form.contains(profile.category_label(rule.key)),
                "{id}: the form offers {}\n{form}",
                rule.key.key()
            );
        }
    }
}

/// The Good Neighbours profile keeps its own words: the same screens and documents name its
/// roles and categories as its notice does.
#[test]
fn the_good_neighbours_profile_keeps_its_own_words() {
    let (_tmp, dir, people, request) = populated(profile());
    let store = unlock_as(&dir, Role::DataProtectionLead);
    let l = render_letter(&store, request, LetterKind::IdRequest).unwrap();
    assert!(l.text.contains("show one of our duty officers"), "{}", l.text);
    assert!(l.text.contains("Data protection lead"));
    let friend = people.iter().find(|(c, _)| *c == Category::Friend).unwrap().1;
    let n = dutydesk::export::notice::render_notice(&store, friend).unwrap();
    assert!(n
        .text
        .contains("We keep your information for 6 years after you last make contact with us."));
    drop(store);
    let mut a = unlocked_app(&dir, Role::DutyOfficer);
    assert!(screen(&mut a, 120, 40).contains("duty-officer · Duty officer"));
}
