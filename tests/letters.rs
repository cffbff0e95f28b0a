//! Letters about rights requests: each filled from the profile and the request, in HTML and
//! plain text, and refused until the decision they report has been recorded.

mod common;

use chrono::NaiveDate;
use common::*;
use dutydesk::domain::rights::{Channel, ExtensionReason, RequestKind};
use dutydesk::domain::{Category, Role};
use dutydesk::export::letters::{render_letter, write_letter, LetterKind};
use dutydesk::store::requests::RequestIntake;
use dutydesk::store::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn setup(kinds: &[RequestKind]) -> (tempfile::TempDir, dutydesk::store::DataDir, Store, i64, i64) {
    let (tmp, dir, mut store) = new_case_file();
    let mut rec = full_record("Ada", "Quill", "07700 900555", "", "OX17 2RF", &[Category::Client]);
    rec.address = Some("4 Stanwell Lea, Middleton Cheney".into());
    let p = add(&mut store, &rec);
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(p),
            kinds: kinds.to_vec(),
            channel: Some(Channel::Letter),
            received_on: Some(d(2026, 11, 2)),
            words: "Send me my file".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    (tmp, dir, store, p, id)
}

#[test]
fn refusal_letter_states_the_reason_and_the_three_rights() {
    let (_tmp, _dir, mut store, _p, id) = setup(&[RequestKind::Access]);
    assert!(
        render_letter(&store, id, LetterKind::Refusal).is_err(),
        "no refusal yet"
    );
    store
        .refuse(
            id,
            dutydesk::domain::rights::RefusalGround::Excessive,
            "This is the ninth identical request since October.",
        )
        .unwrap();
    let l = render_letter(&store, id, LetterKind::Refusal).unwrap();
    for text in [&l.text, &l.html] {
        assert!(text.contains("ninth identical request"), "the reason");
        assert!(text.contains("dpo@mcgns.org.uk"), "complain to the charity");
        assert!(
            text.contains("Information Commissioner") && text.contains("0303 123 1113"),
            "the ICO"
        );
        assert!(text.contains("judicial remedy"), "the courts");
        assert!(text.contains("Ada Quill"));
        assert!(text.contains("rights request"));
    }
    assert!(l.text.contains("OX17 2RF"), "addressed to the person");
}

#[test]
fn extension_notice_has_the_new_date_and_the_reason() {
    let (_tmp, _dir, mut store, _p, id) = setup(&[RequestKind::Access]);
    assert!(render_letter(&store, id, LetterKind::ExtensionNotice).is_err());
    store.extend(id, ExtensionReason::Complexity, d(2026, 11, 25)).unwrap();
    let l = render_letter(&store, id, LetterKind::ExtensionNotice).unwrap();
    assert!(l.text.contains("2 February 2027"), "{}", l.text);
    assert!(l.text.contains("the request is complex"));
    assert!(l.html.contains("2 February 2027"));
    assert!(l.text.contains("2 November 2026"), "when it arrived");
}

#[test]
fn acknowledgement_and_id_letters_may_be_written_by_a_duty_officer() {
    let (tmp, dir, mut store, _p, id) = setup(&[RequestKind::Access]);
    add_role_users(&mut store);
    drop(store);
    let duty = unlock_as(&dir, Role::DutyOfficer);
    let l = render_letter(&duty, id, LetterKind::Acknowledgement).unwrap();
    assert!(l.text.contains("2 December 2026"), "the due date: {}", l.text);
    assert!(l.text.contains("Access (Article 15)"));
    let l = render_letter(&duty, id, LetterKind::IdRequest).unwrap();
    assert!(l.text.contains("identity"));
    let l = render_letter(&duty, id, LetterKind::ClarificationRequest).unwrap();
    assert!(l.text.contains("paused"));
    assert!(
        render_letter(&duty, id, LetterKind::Completion).is_err(),
        "decisions are the lead's"
    );
    let (html, txt) = write_letter(&duty, id, LetterKind::Acknowledgement, &tmp.path().join("letters")).unwrap();
    assert!(html.is_file() && txt.is_file());
    assert!(std::fs::read_to_string(html).unwrap().starts_with("<!DOCTYPE html>"));
}

#[test]
fn html_letters_escape_what_people_typed() {
    let (_tmp, _dir, mut store, _p, id) = setup(&[RequestKind::Access]);
    store
        .refuse(
            id,
            dutydesk::domain::rights::RefusalGround::Excessive,
            "Asked <b>again</b> & again",
        )
        .unwrap();
    let l = render_letter(&store, id, LetterKind::Refusal).unwrap();
    assert!(l.html.contains("&lt;b&gt;again&lt;&#x2f;b&gt;") || l.html.contains("&lt;b&gt;again&lt;/b&gt;"));
    assert!(l.text.contains("Asked <b>again</b> & again"));
}

#[test]
fn restriction_lifted_and_completion_letters() {
    let (_tmp, _dir, mut store, p, id) = setup(&[RequestKind::Restriction, RequestKind::Rectification]);
    store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO disclosures (person_id, recipient, what, disclosed_on, lawful_basis) VALUES (?1, 'Horton Surgery', 'address', '2026-10-01', 'vital_interests')",
            [p],
        )
        .unwrap();
    let mut rec = store.person(p).unwrap().record;
    rec.postcode = Some("OX17 2RG".into());
    store.rectify(id, &rec).unwrap();
    store.restrict(id).unwrap();
    assert!(render_letter(&store, id, LetterKind::RestrictionLifted).is_err());
    // The letter goes first, naming the day (Article 18(3)); the lift waits for that day.
    store
        .plan_restriction_lift(
            p,
            "We have checked and corrected your address.",
            today() + chrono::Duration::days(7),
        )
        .unwrap();
    let l = render_letter(&store, id, LetterKind::RestrictionLifted).unwrap();
    assert!(
        l.text
            .contains("before we do it, that we will lift that restriction on 2 December 2026"),
        "{}",
        l.text
    );
    assert!(l.text.contains("We have checked and corrected your address."));
    assert!(store
        .lift_restriction(p, "We have checked and corrected your address.")
        .is_err());
    let l = render_letter(&store, id, LetterKind::Completion).unwrap();
    assert!(l.text.contains("postcode"), "{}", l.text);
    assert!(l.text.contains("Horton Surgery"), "recipients told");
    assert!(l.text.contains("restricted"));
}

#[test]
fn every_refusal_ground_writes_its_own_letter_and_partial_compliance_says_what_and_why() {
    use dutydesk::domain::rights::RefusalGround as G;
    let cases: &[(RequestKind, G, &str)] = &[
        (RequestKind::Access, G::ManifestlyUnfounded, "manifestly unfounded"),
        (RequestKind::Access, G::Excessive, "excessive (for example"),
        (
            RequestKind::Erasure,
            G::LegalObligation,
            "the law obliges us to keep it",
        ),
        (
            RequestKind::Erasure,
            G::LegalClaims,
            "establish, exercise or defend legal claims",
        ),
        (
            RequestKind::Erasure,
            G::FreedomOfExpression,
            "freedom of expression and information",
        ),
        (RequestKind::Erasure, G::PublicInterest, "in the public interest"),
        (
            RequestKind::Rectification,
            G::DataAccurate,
            "we believe the data we hold is accurate",
        ),
        (
            RequestKind::Objection,
            G::CompellingGrounds,
            "compelling legitimate grounds",
        ),
        (
            RequestKind::Access,
            G::ThirdPartyData,
            "would reveal information about another person",
        ),
        (
            RequestKind::Access,
            G::Exemption,
            "an exemption in the Data Protection Act 2018",
        ),
    ];
    for (kind, ground, phrase) in cases {
        let (_tmp, _dir, mut store) = new_case_file();
        let p = add(
            &mut store,
            &full_record("Rita", "Refusee", "07700 900990", "", "OX17 2RF", &[Category::Client]),
        );
        let id = store
            .record_request(&RequestIntake {
                person_id: Some(p),
                kinds: vec![*kind],
                channel: Some(Channel::Letter),
                received_on: Some(today()),
                words: "Please".into(),
                ..RequestIntake::default()
            })
            .unwrap();
        // A ground that does not fit the right is refused, naming those that do.
        let wrong = if *ground == G::DataAccurate {
            G::ThirdPartyData
        } else {
            G::DataAccurate
        };
        if !wrong.applies_to(*kind) {
            let e = store.refuse(id, wrong, "Reasons long enough").unwrap_err().to_string();
            assert!(e.contains("is not a ground for this request"), "{e}");
        }
        store
            .refuse(id, *ground, "The reasons, as the ground asks for them.")
            .unwrap();
        let letter = render_letter(&store, id, LetterKind::Refusal).unwrap();
        assert!(letter.text.contains(phrase), "{ground:?}: {}", letter.text);
        assert!(letter.text.contains("The reasons, as the ground asks for them."));
        assert!(letter.text.contains("to seek a judicial remedy"), "{ground:?}");
    }
    // Partly complied: what was provided, what was withheld, the ground and the reasons.
    let (_tmp, _dir, mut store) = new_case_file();
    let p = add(
        &mut store,
        &full_record("Pat", "Partial", "07700 900991", "", "OX17 2RF", &[Category::Client]),
    );
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(p),
            kinds: vec![RequestKind::Access],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Everything".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    assert!(store
        .close_request(id, dutydesk::domain::rights::Outcome::Partly, today())
        .is_err());
    assert!(
        render_letter(&store, id, LetterKind::PartialCompliance).is_err(),
        "not before it is decided"
    );
    store
        .close_partly(
            id,
            "A copy of your record and contact log",
            "A note that names your neighbour",
            G::ThirdPartyData,
            "Your neighbour has not agreed to her details being shared.",
            today(),
        )
        .unwrap();
    let letter = render_letter(&store, id, LetterKind::PartialCompliance).unwrap();
    for want in [
        "A copy of your record and contact log",
        "A note that names your neighbour",
        "would reveal information about another person",
        "Your neighbour has not agreed",
        "complain to the Information Commissioner",
    ] {
        assert!(letter.text.contains(want), "{want}: {}", letter.text);
    }
}

#[test]
fn an_objection_decision_letter_says_stopped_or_why_we_continue() {
    let (_tmp, _dir, mut store) = new_case_file();
    let p = add(
        &mut store,
        &full_record("Otto", "Objector", "07700 900992", "", "OX17 2RF", &[Category::Client]),
    );
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(p),
            kinds: vec![RequestKind::Objection],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Stop the newsletter and the AGM letters".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    assert!(
        render_letter(&store, id, LetterKind::ObjectionDecision).is_err(),
        "not before a decision"
    );
    use dutydesk::domain::rights::ObjectionDecision;
    store
        .record_objection(id, "newsletters", ObjectionDecision::Stop, "")
        .unwrap();
    store
        .record_objection(
            id,
            "events",
            ObjectionDecision::Continue,
            "Members must be told of the AGM by our constitution",
        )
        .unwrap();
    let text = render_letter(&store, id, LetterKind::ObjectionDecision).unwrap().text;
    for want in [
        "To distribute our newsletters:\nWe have stopped using your data for this.",
        "To enable us to arrange our AGM and other events:\nWe will continue, because we have compelling legitimate grounds",
        "Members must be told of the AGM by our constitution",
        "to seek a judicial remedy",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn a_decision_owes_its_letter_on_the_handover_until_it_is_sent() {
    use dutydesk::domain::rights::RefusalGround;
    use dutydesk::store::handover::DueKind;
    let (_tmp, _dir, mut store) = new_case_file();
    let p = add(
        &mut store,
        &full_record("Lettie", "Owed", "07700 900993", "", "OX17 2RF", &[Category::Client]),
    );
    let id = store
        .record_request(&RequestIntake {
            person_id: Some(p),
            kinds: vec![RequestKind::Erasure],
            channel: Some(Channel::Letter),
            received_on: Some(today()),
            words: "Erase me".into(),
            ..RequestIntake::default()
        })
        .unwrap();
    store
        .refuse(
            id,
            RefusalGround::LegalClaims,
            "Your claim against us for the fall in March is open.",
        )
        .unwrap();
    let item = store
        .handover()
        .unwrap()
        .into_iter()
        .find(|i| matches!(i.kind, DueKind::Letter(_)))
        .expect("the refusal letter is owed");
    assert_eq!(item.what, format!("Send the refusal letter (request #{id})"));
    assert_eq!((item.person_id, item.due), (p, Some(today())));
    let DueKind::Letter(letter) = item.kind else {
        unreachable!()
    };
    assert!(store
        .letter_sent(letter, today() + chrono::Duration::days(1), Channel::Letter)
        .is_err());
    store.letter_sent(letter, today(), Channel::Email).unwrap();
    assert!(store
        .handover()
        .unwrap()
        .iter()
        .all(|i| !matches!(i.kind, DueKind::Letter(_))));
    let d = store.request(id).unwrap();
    assert_eq!(
        (d.letters[0].sent_on, d.letters[0].sent_how),
        (Some(today()), Some(Channel::Email))
    );
    assert!(store.letter_sent(letter, today(), Channel::Email).is_err(), "once");
}
