//! Tests of profile parsing and validation: the shipped profiles, and one test per rule, each
//! checking the line reported and the reason.

use super::*;

/// A small valid profile; tests break one thing in it at a time.
const BASE: &str = r#"bank_holiday_region = "england_and_wales"
services = ["driving"]
transfers_abroad = "None."
automated_decisions = "None."

[profile]
id = "test"
version = 1
name = "Test profile"

[controller]
name = "Test Scheme"
email = "dpo@example.org"
data_protection_contact = "Email dpo@example.org."

[supervisory_authority]
name = "Information Commissioner's Office"
website = "https://ico.org.uk"
helpline = "0303 123 1113"

[[category]]
key = "client"
description = "You ask for help."
fields = ["name", "phone", "health"]
recipients = ["duty_officer"]
obtained_indirectly = false

[[category]]
key = "volunteer"
description = "You volunteer."
fields = ["name", "phone", "criminal_offence"]
recipients = ["membership_secretary"]
obtained_indirectly = false

[[purpose]]
key = "services"
description = "To provide our services."
lawful_basis = "legitimate_interests"
legitimate_interest = "We cannot help you otherwise."
objectable = false

[[purpose]]
key = "newsletters"
description = "To send our newsletter."
lawful_basis = "consent"
objectable = true

[special_category]
condition = "Article 9(2)(c) vital interests"
roles = ["duty_officer"]

[criminal_offence]
condition = "DPA 2018"
roles = ["dbs_officer"]

[[consent_purpose]]
key = "photo_web"
label = "Photo on the website"
wording = "May we put your photo on our website?"
version = 1

[retention]
years_after_last_contact = 6
legal_hold = "Longer if there is a legal claim."
"#;

/// `BASE` with the first `old` replaced by `new` (which must be present).
fn with(old: &str, new: &str) -> String {
    assert!(BASE.contains(old), "test setup: {old:?} not in BASE");
    BASE.replacen(old, new, 1)
}

/// The 1-based line of the `nth` (0-based) occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    let (offset, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    text[..offset].matches('\n').count() + 1
}

/// Parses `text`, expecting an error at `line` whose message contains `reason`.
fn refused(text: &str, line: usize, reason: &str) -> ProfileError {
    let err = parse(text).expect_err("profile should be refused");
    assert_eq!(err.line, Some(line), "wrong line for: {err}");
    assert!(err.message.contains(reason), "reason {reason:?} not in: {err}");
    err
}

#[test]
fn base_profile_is_valid() {
    let p = parse(BASE).unwrap();
    assert_eq!(p.id(), "test");
    assert_eq!(p.category_keys(), vec![Category::Client, Category::Volunteer]);
}

#[test]
fn shipped_profiles_parse() {
    assert_eq!(builtin_ids()[0], DEFAULT_PROFILE);
    for id in builtin_ids() {
        let text = builtin(id).unwrap();
        let p = parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(p.id(), *id);
        assert!(p.version() >= 1);
        assert_eq!(p.supervisory_authority.helpline, "0303 123 1113");
        assert!(p.retention.period.review_after_months() >= 12);
        assert_eq!(p.bank_holiday_region, Region::EnglandAndWales);
    }
    assert!(builtin("no-such-profile").is_none());
    // Each is offered at first run by what it is for, and the words lead back to one id.
    let words: Vec<&str> = builtin_ids().iter().map(|id| builtin_description(id)).collect();
    assert!(words.iter().all(|w| !w.is_empty()));
    assert!(words.iter().enumerate().all(|(i, w)| !words[..i].contains(w)));
}

#[test]
fn good_neighbours_is_the_notice() {
    let p = parse(&builtin_example("good-neighbours").unwrap()).unwrap();
    assert_eq!(p.controller.name, "Middleton Cheney Good Neighbours Scheme");
    assert_eq!(p.controller.email, "dpo@mcgns.org.uk");
    assert_eq!(p.controller.phone.as_deref(), Some("07818 475982"));
    assert_eq!(
        p.retention.period,
        RetentionPeriod::Years {
            years_after_last_contact: 6
        }
    );
    // Every category but the perinatal charity's own (enquirers, group facilitators).
    assert_eq!(p.categories.len(), Category::ALL.len() - 2);
    let client = p.category(Category::Client).unwrap();
    assert_eq!(
        client.recipients,
        vec![Role::DutyOfficer, Role::SectionLeader, Role::Trustee]
    );
    assert_eq!(
        client.other_recipients,
        vec!["the volunteer assigned to work with you".to_string()]
    );
    assert!(client.obtained_indirectly);
    let referee = p.category(Category::Referee).unwrap();
    assert!(referee.sources.contains("prospective volunteer"));
    assert_eq!(p.criminal_offence.roles, vec![Role::DbsOfficer, Role::Trustee]);
    let dbs = p.purpose("dbs_checks").unwrap();
    assert_eq!(dbs.lawful_basis, LawfulBasis::LegitimateInterests);
    assert!(dbs.applies_to(&[Category::Volunteer]));
    assert!(!dbs.applies_to(&[Category::Client]));
    assert!(p.purpose("newsletters").unwrap().objectable);
    assert_eq!(p.purposes_for(&[Category::Client]).len(), p.purposes.len() - 2);
    let photo = p.consent_purpose("photo_web").unwrap();
    assert_eq!(photo.version, 2);
    assert!(photo.wording.contains("photo"));
    assert_eq!(p.role_name(Role::Trustee), "the board of trustees");
    assert!(p.services.contains(&"befriending".to_string()));
}

#[test]
fn juno_is_the_notice() {
    let p = parse(&builtin_example("perinatal-peer-support").unwrap()).unwrap();
    assert_eq!(p.controller.email, "juno.enquiries@gmail.com");
    assert_eq!(p.category_label(Category::Client), "Mum");
    assert_eq!(p.category_label(Category::Friend), "Donor");
    assert!(p.retention.period.promise().contains("reasonable and necessary"));
    assert_eq!(p.retention_for(&[Category::Friend]).review_after_months(), 12);
    assert_eq!(p.retention_for(&[Category::Client]).review_after_months(), 12);
    assert!(!p.criminal_offence.is_processed());
    assert!(p.special_category.condition.contains("Data Protection Act 2018"));
    assert!(p.category(Category::Referee).is_none());
    let story = p.consent_purpose("story_media").unwrap();
    assert!(story.wording.contains("explicit consent"));
    assert!(story.wording.contains("blog"));
    for c in &p.categories {
        assert!(!c.fields.contains(&FieldGroup::CriminalOffence));
    }
    // A role without a [role_names] entry is named by its label.
    assert_eq!(p.role_name(Role::DbsOfficer), p.role_label(Role::DbsOfficer));
}

#[test]
fn profiles_round_trip_through_toml() {
    for id in builtin_ids() {
        let p = parse(builtin(id).unwrap()).unwrap();
        let text = p.to_toml().unwrap();
        let again = parse(&text).unwrap_or_else(|e| panic!("{id}: {e}\n{text}"));
        assert_eq!(again, p, "{id}");
    }
}

#[test]
fn deserialising_a_profile_validates_it() {
    let p: Profile = toml::from_str(BASE).unwrap();
    assert_eq!(p, parse(BASE).unwrap());
    let bad = with("years_after_last_contact = 6", "years_after_last_contact = 0");
    let err = toml::from_str::<Profile>(&bad).unwrap_err();
    assert!(err.message().contains("between 1 and 100"), "{err}");
}

#[test]
fn error_display_names_the_line() {
    let err = ProfileError {
        line: Some(12),
        message: "unknown role \"admin\"".into(),
    };
    assert_eq!(err.to_string(), "profile line 12: unknown role \"admin\"");
    let err = ProfileError {
        line: None,
        message: "oops".into(),
    };
    assert_eq!(err.to_string(), "profile: oops");
}

// ----- syntax and vocabulary (caught while reading, with the value's position) -----

#[test]
fn syntax_error_reports_its_line() {
    let text = with("version = 1\nname", "version = = 1\nname");
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line, Some(8), "{err}");
}

#[test]
fn unknown_role_is_refused_with_its_line() {
    let text = with(r#"recipients = ["duty_officer"]"#, r#"recipients = ["admin"]"#);
    let err = refused(&text, 25, "unknown role \"admin\": expected one of duty_officer");
    assert!(err.to_string().starts_with("profile line 25: unknown role \"admin\""));
    assert!(err.message.contains("data_protection_lead"));
}

#[test]
fn unknown_role_spelled_loosely_gets_a_hint() {
    let text = with(r#"roles = ["dbs_officer"]"#, r#"roles = ["DBS-Officer"]"#);
    let line = line_of(&text, "DBS-Officer", 0);
    refused(&text, line, "(write it as \"dbs_officer\")");
}

#[test]
fn unknown_category_is_refused_with_its_line() {
    let text = with(r#"key = "volunteer""#, r#"key = "donor""#);
    refused(&text, line_of(&text, "donor", 0), "unknown category \"donor\"");
}

#[test]
fn unknown_field_group_is_refused_with_its_line() {
    let text = with(
        r#"fields = ["name", "phone", "health"]"#,
        r#"fields = ["name", "phone", "shoe_size"]"#,
    );
    refused(&text, 24, "unknown field group \"shoe_size\"");
}

#[test]
fn unknown_lawful_basis_is_refused_with_its_line() {
    let text = with(r#"lawful_basis = "consent""#, r#"lawful_basis = "because""#);
    refused(&text, line_of(&text, "because", 0), "unknown lawful basis \"because\"");
}

#[test]
fn misspelt_key_is_refused_not_ignored() {
    let text = with(
        r#"recipients = ["membership_secretary"]"#,
        r#"recipients = ["membership_secretary"]
other_recipents = ["your client"]"#,
    );
    refused(
        &text,
        line_of(&text, "other_recipents", 0),
        "unknown field `other_recipents`",
    );
}

// ----- the rules checked after reading -----

#[test]
fn category_without_recipients_is_refused() {
    let text = with(r#"recipients = ["duty_officer"]"#, "recipients = []");
    refused(&text, 25, "category \"client\" has no recipients");
}

#[test]
fn category_listed_twice_is_refused() {
    let text = with(r#"key = "volunteer""#, r#"key = "client""#);
    refused(&text, 29, "category \"client\" is listed twice");
}

#[test]
fn legitimate_interests_without_the_interest_is_refused() {
    let text = with("legitimate_interest = \"We cannot help you otherwise.\"\n", "");
    let line = line_of(&text, "lawful_basis = \"legitimate_interests\"", 0);
    assert_eq!(line, 38);
    refused(
        &text,
        38,
        "purpose \"services\" relies on legitimate_interests but gives no legitimate_interest",
    );
    let blank = with(
        "legitimate_interest = \"We cannot help you otherwise.\"",
        "legitimate_interest = \"  \"",
    );
    refused(&blank, 38, "gives no legitimate_interest");
}

#[test]
fn legitimate_interest_with_another_basis_is_refused() {
    let text = with(
        "lawful_basis = \"consent\"\n",
        "lawful_basis = \"consent\"\nlegitimate_interest = \"Ours.\"\n",
    );
    refused(&text, line_of(&text, "Ours.", 0), "its basis is consent");
}

#[test]
fn duplicate_purpose_key_is_refused() {
    let text = with(r#"key = "newsletters""#, r#"key = "services""#);
    refused(&text, 43, "purpose \"services\" is listed twice");
}

#[test]
fn purpose_naming_an_undefined_category_is_refused() {
    let text = with("objectable = true\n", "objectable = true\ncategories = [\"referee\"]\n");
    refused(
        &text,
        line_of(&text, "categories = [\"referee\"]", 0),
        "names category \"referee\", which this profile does not define",
    );
}

#[test]
fn consent_purpose_with_empty_wording_is_refused() {
    let text = with(
        r#"wording = "May we put your photo on our website?""#,
        r#"wording = """#,
    );
    refused(&text, 59, "consent purpose \"photo_web\" wording");
    assert!(parse(&text).unwrap_err().message.contains("must not be empty"));
}

#[test]
fn consent_purpose_with_version_zero_is_refused() {
    let text = with(
        "wording = \"May we put your photo on our website?\"\nversion = 1",
        "wording = \"May we put your photo on our website?\"\nversion = 0",
    );
    refused(&text, 60, "consent purpose \"photo_web\" version must be 1 or more");
}

#[test]
fn duplicate_consent_purpose_is_refused() {
    let text = format!(
        "{BASE}\n[[consent_purpose]]\nkey = \"photo_web\"\nlabel = \"Again\"\nwording = \"Again?\"\nversion = 2\n"
    );
    refused(
        &text,
        line_of(&text, "key = \"photo_web\"", 1),
        "consent purpose \"photo_web\" is listed twice",
    );
}

#[test]
fn criminal_offence_data_without_roles_is_refused() {
    let text = with(r#"roles = ["dbs_officer"]"#, "roles = []");
    refused(
        &text,
        31,
        "category \"volunteer\" collects \"criminal_offence\" but [criminal_offence] roles is empty",
    );
    // With no category collecting it, an empty list just means none is processed.
    let none = text.replace(
        r#"fields = ["name", "phone", "criminal_offence"]"#,
        r#"fields = ["name", "phone"]"#,
    );
    let p = parse(&none).unwrap();
    assert!(!p.criminal_offence.is_processed());
}

#[test]
fn health_data_without_roles_is_refused() {
    let text = with(r#"roles = ["duty_officer"]"#, "roles = []");
    refused(
        &text,
        24,
        "category \"client\" collects \"health\" but [special_category] roles is empty",
    );
}

#[test]
fn sensitive_roles_without_a_condition_are_refused() {
    let text = with("condition = \"Article 9(2)(c) vital interests\"\n", "");
    refused(
        &text,
        line_of(&text, r#"roles = ["duty_officer"]"#, 0),
        "[special_category] names roles but no condition",
    );
}

#[test]
fn retention_can_be_a_statement_with_a_review_interval() {
    let statement = "statement = \"As long as is reasonable and necessary.\"\nreview_after_months = 18";
    let p = parse(&with("years_after_last_contact = 6", statement)).unwrap();
    assert_eq!(p.retention.period.review_after_months(), 18);
    assert_eq!(p.retention.period.promise(), "As long as is reasonable and necessary.");
    assert!(p.retention.period.review_reason().contains("18 months"));
    // A statement without its review, both at once, neither, or an interval out of range.
    let text = with("years_after_last_contact = 6", "statement = \"As long as needed.\"");
    refused(&text, line_of(&text, "legal_hold", 0), "no review_after_months");
    let text = with(
        "years_after_last_contact = 6",
        &format!("years_after_last_contact = 6\n{statement}"),
    );
    refused(
        &text,
        line_of(&text, "legal_hold", 0),
        "either years_after_last_contact, or a statement",
    );
    let text = with("years_after_last_contact = 6\n", "");
    refused(
        &text,
        line_of(&text, "legal_hold", 0),
        "either years_after_last_contact, or a statement",
    );
    for months in ["0", "121"] {
        let text = with(
            "years_after_last_contact = 6",
            &format!("statement = \"As long as needed.\"\nreview_after_months = {months}"),
        );
        refused(
            &text,
            line_of(&text, "review_after_months", 0),
            &format!("not {months}"),
        );
    }
}

#[test]
fn a_category_may_keep_its_data_longer_and_the_longest_applies() {
    let text = with(
        "recipients = [\"membership_secretary\"]\nobtained_indirectly = false",
        "recipients = [\"membership_secretary\"]\nobtained_indirectly = false\nretention = { years_after_last_contact = 8 }",
    );
    let p = parse(&text).unwrap();
    assert_eq!(p.retention_for(&[Category::Client]).review_after_months(), 72);
    assert_eq!(p.retention_for(&[Category::Volunteer]).review_after_months(), 96);
    assert_eq!(
        p.retention_for(&[Category::Client, Category::Volunteer])
            .review_after_months(),
        96
    );
    assert_eq!(p.retention_for(&[]).review_after_months(), 72);
    assert_eq!(p.shortest_retention_months(), 72);
    let bad = text.replace("years_after_last_contact = 8", "years_after_last_contact = 0");
    refused(
        &bad,
        line_of(&bad, "years_after_last_contact = 0", 0),
        "category \"volunteer\" retention",
    );
}

#[test]
fn labels_signature_and_referral_times_come_from_the_profile_with_defaults() {
    let p = parse(BASE).unwrap();
    assert_eq!(p.role_label(Role::DutyOfficer), "Duty officer");
    assert_eq!(p.category_label(Category::Friend), "Supporter");
    assert_eq!(p.field_label(FieldGroup::Health), "Health (special category)");
    assert_eq!(p.signature(), "Data protection lead");
    assert_eq!(p.referrals.working_days("new", true), 1);
    assert_eq!(p.referrals.working_days("new", false), 2);
    assert_eq!(p.referrals.working_days("contacted", false), 10);
    assert!(p.direct_marketing.contains("direct marketing"));
    assert_eq!(p.controller.dpo, None);
    let text = format!(
        "{BASE}\n[role_labels]\nduty_officer = \"Helpline volunteer\"\ndata_protection_lead = \"Privacy lead\"\n\n[field_labels]\nhealth = \"Wellbeing\"\n\n[referrals]\nfirst_contact_working_days = 3\nurgent_first_contact_working_days = 1\ndecide_working_days = 7\n"
    )
    .replace("objectable = false\n", "objectable = false\n")
    .replacen(
        "obtained_indirectly = false\n",
        "obtained_indirectly = false\nlabel = \"Caller\"\n",
        1,
    );
    let p = parse(&text).unwrap();
    assert_eq!(p.role_label(Role::DutyOfficer), "Helpline volunteer");
    assert_eq!(p.role_name(Role::DutyOfficer), "Helpline volunteer");
    assert_eq!(p.signature(), "Privacy lead");
    assert_eq!(p.category_label(Category::Client), "Caller");
    assert_eq!(p.category_by_label("Caller"), Some(Category::Client));
    assert_eq!(p.field_label(FieldGroup::Health), "Wellbeing");
    assert_eq!(p.referrals.working_days("new", false), 3);
    assert_eq!(p.referrals.working_days("contacted", true), 7);
    let bad = format!("{BASE}\n[referrals]\nfirst_contact_working_days = 1\nurgent_first_contact_working_days = 2\n");
    assert!(parse(&bad)
        .unwrap_err()
        .message
        .contains("urgent_first_contact_working_days (2)"));
    let bad = format!("{BASE}\n[role_labels]\ntrustee = \"  \"\n");
    assert!(parse(&bad).unwrap_err().message.contains("\"trustee\" is blank"));
}

#[test]
fn retention_out_of_range_is_refused() {
    for years in ["0", "101"] {
        let text = with(
            "years_after_last_contact = 6",
            &format!("years_after_last_contact = {years}"),
        );
        refused(&text, 63, &format!("between 1 and 100, not {years}"));
    }
    let text = with("years_after_last_contact = 6", "years_after_last_contact = 100");
    assert!(parse(&text).is_ok());
}

#[test]
fn empty_controller_name_or_email_is_refused() {
    let text = with(r#"name = "Test Scheme""#, r#"name = """#);
    refused(&text, 12, "controller name must not be empty");
    let text = with(r#"email = "dpo@example.org""#, r#"email = " ""#);
    refused(&text, 13, "controller email must not be empty");
    let text = with(r#"email = "dpo@example.org""#, r#"email = "dpo""#);
    refused(&text, 13, "is not an email address");
}

#[test]
fn indirectly_obtained_without_sources_is_refused() {
    let text = with("obtained_indirectly = false", "obtained_indirectly = true");
    refused(
        &text,
        26,
        "category \"client\" is obtained indirectly but has no sources",
    );
}

#[test]
fn category_must_collect_name_once() {
    let text = with(
        r#"fields = ["name", "phone", "health"]"#,
        r#"fields = ["phone", "health"]"#,
    );
    refused(&text, 24, "category \"client\" must collect \"name\"");
    let text = with(
        r#"fields = ["name", "phone", "health"]"#,
        r#"fields = ["name", "phone", "phone"]"#,
    );
    refused(&text, 24, "lists \"phone\" twice");
}

#[test]
fn limited_recipients_are_checked() {
    let add = |block: &str| {
        with(
            "recipients = [\"membership_secretary\"]\nobtained_indirectly = false\n",
            &format!("recipients = [\"membership_secretary\"]\nobtained_indirectly = false\n\n{block}\n"),
        )
    };
    let ok = add("[[category.limited_recipient]]\nrole = \"dbs_officer\"\nfields = [\"name\", \"criminal_offence\"]");
    let p = parse(&ok).unwrap();
    let m = p.access_matrix();
    assert_eq!(
        m.visible_groups(Role::DbsOfficer, &[Category::Volunteer]),
        vec![FieldGroup::Name, FieldGroup::CriminalOffence]
    );

    let text = add("[[category.limited_recipient]]\nrole = \"dbs_officer\"\nfields = [\"name\", \"health\"]");
    refused(
        &text,
        line_of(&text, "fields = [\"name\", \"health\"]", 0),
        "\"health\", which category \"volunteer\" does not collect",
    );

    let text = add("[[category.limited_recipient]]\nrole = \"membership_secretary\"\nfields = [\"name\"]");
    refused(
        &text,
        line_of(&text, "role = \"membership_secretary\"", 0),
        "already receives all of category \"volunteer\"",
    );

    let text = add("[[category.limited_recipient]]\nrole = \"dbs_officer\"\nfields = [\"criminal_offence\"]");
    refused(
        &text,
        line_of(&text, "fields = [\"criminal_offence\"]", 0),
        "must receive \"name\"",
    );
}

#[test]
fn keys_must_be_snake_case() {
    let text = with(r#"key = "photo_web""#, r#"key = "Photo Web""#);
    refused(&text, 57, "consent purpose key \"Photo Web\" must be lowercase");
    let text = with(r#"id = "test""#, r#"id = "Test Profile""#);
    refused(&text, 7, "profile id \"Test Profile\"");
}

#[test]
fn missing_required_table_is_refused() {
    let text = BASE.replace(
        "[criminal_offence]\ncondition = \"DPA 2018\"\nroles = [\"dbs_officer\"]\n",
        "",
    );
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("missing field `criminal_offence`"), "{err}");
}

#[test]
fn unknown_role_in_role_names_is_refused_with_its_line() {
    let text = with(
        "[supervisory_authority]",
        "[role_names]\nadmin = \"the administrator\"\n\n[supervisory_authority]",
    );
    refused(&text, line_of(&text, "admin =", 0), "unknown role \"admin\"");
}

#[test]
fn written_toml_is_readable() {
    let p = parse(builtin(DEFAULT_PROFILE).unwrap()).unwrap();
    let text = p.to_toml().unwrap();
    assert!(text.contains("[[category.limited_recipient]]"), "{text}");
    assert!(text.contains("bank_holiday_region = \"england_and_wales\""), "{text}");
}
