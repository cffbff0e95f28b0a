//! The profile file as written, with the source positions of the values that are checked, and
//! the checks that turn it into a [`Profile`].
//!
//! Serde catches the vocabulary (unknown roles, categories, field groups, lawful bases) and
//! unknown keys, with the position of the offending value; [`RawProfile::validate`] checks
//! the rules that span several values and reports the line of the value at fault.

use super::words::{LetterRule, ReferralRule};
use super::{
    line_at, CategoryRule, ConsentPurpose, Controller, LawfulBasis, LimitedRecipient, Profile, ProfileError,
    ProfileMeta, Purpose, Retention, RetentionPeriod, SensitiveRule, SupervisoryAuthority,
};
use crate::domain::{Category, FieldGroup, Region, Role, UnknownName};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

/// Longest retention period accepted, in years.
const MAX_RETENTION_YEARS: u32 = 100;
/// Longest interval between retention reviews for a "reasonable and necessary" statement.
const MAX_REVIEW_MONTHS: u32 = 120;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    bank_holiday_region: Region,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default = "super::default_relationship_types")]
    relationship_types: Vec<String>,
    transfers_abroad: Spanned<String>,
    automated_decisions: Spanned<String>,
    #[serde(default)]
    processors: Vec<String>,
    profile: RawMeta,
    controller: RawController,
    supervisory_authority: SupervisoryAuthority,
    #[serde(default)]
    role_names: BTreeMap<Role, String>,
    #[serde(default, rename = "category")]
    categories: Vec<RawCategory>,
    #[serde(default, rename = "purpose")]
    purposes: Vec<RawPurpose>,
    special_category: RawSensitive,
    criminal_offence: RawSensitive,
    #[serde(default, rename = "consent_purpose")]
    consent_purposes: Vec<RawConsent>,
    retention: RawRetention,
    #[serde(default)]
    backup: RawBackup,
    #[serde(default)]
    disclosures: RawDisclosures,
    #[serde(default)]
    role_labels: BTreeMap<Role, String>,
    #[serde(default)]
    field_labels: BTreeMap<FieldGroup, String>,
    #[serde(default = "default_direct_marketing")]
    direct_marketing: String,
    #[serde(default)]
    referrals: ReferralRule,
    #[serde(default)]
    letters: LetterRule,
    #[serde(default)]
    donation_platforms: Vec<String>,
}

fn default_direct_marketing() -> String {
    "We will not share your information with anyone for direct marketing.".into()
}

/// `[disclosures]`: who may pass details on, and the recipients offered.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDisclosures {
    roles: Vec<Role>,
    recipients: Vec<String>,
}

impl Default for RawDisclosures {
    fn default() -> Self {
        RawDisclosures {
            roles: vec![Role::DataProtectionLead, Role::DutyOfficer, Role::SectionLeader],
            recipients: Vec::new(),
        }
    }
}

/// `[backup]`: when the handover warns that the last backup is getting old.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawBackup {
    warn_after_days: u32,
    overdue_after_days: u32,
}

impl Default for RawBackup {
    fn default() -> Self {
        RawBackup {
            warn_after_days: 7,
            overdue_after_days: 30,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: Spanned<String>,
    version: Spanned<u32>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawController {
    name: Spanned<String>,
    address: Option<String>,
    email: Spanned<String>,
    phone: Option<String>,
    website: Option<String>,
    data_protection_contact: Spanned<String>,
    dpo: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    key: Spanned<Category>,
    description: Spanned<String>,
    fields: Spanned<Vec<FieldGroup>>,
    recipients: Spanned<Vec<Role>>,
    #[serde(default, rename = "limited_recipient")]
    limited_recipients: Vec<RawLimited>,
    #[serde(default)]
    other_recipients: Vec<String>,
    obtained_indirectly: Spanned<bool>,
    #[serde(default)]
    sources: String,
    #[serde(default)]
    publicly_accessible: bool,
    label: Option<String>,
    must_provide: Option<String>,
    if_not_provided: Option<String>,
    retention: Option<Spanned<RawPeriod>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimited {
    role: Spanned<Role>,
    fields: Spanned<Vec<FieldGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPurpose {
    key: Spanned<String>,
    description: Spanned<String>,
    lawful_basis: Spanned<LawfulBasis>,
    legitimate_interest: Option<Spanned<String>>,
    objectable: bool,
    #[serde(default)]
    direct_marketing: bool,
    #[serde(default)]
    mailing_list: bool,
    categories: Option<Spanned<Vec<Category>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitive {
    #[serde(default)]
    condition: String,
    #[serde(default)]
    reason: String,
    roles: Spanned<Vec<Role>>,
    /// Words that mark a note as carrying this kind of data, added to the built-in ones.
    #[serde(default)]
    words: Vec<String>,
    /// For criminal offence data: the volunteer roles a DBS check is needed for.
    #[serde(default)]
    check_roles: Vec<String>,
    /// For criminal offence data: how many years until a check is renewed (default 3).
    #[serde(default)]
    renewal_years: Option<u32>,
    /// For criminal offence data: the service each check role is needed for
    /// (`driving = "Driver"`).
    #[serde(default)]
    service_checks: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsent {
    key: Spanned<String>,
    label: Spanned<String>,
    wording: Spanned<String>,
    version: Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    years_after_last_contact: Option<Spanned<u32>>,
    statement: Option<String>,
    review_after_months: Option<Spanned<u32>>,
    #[serde(default)]
    reason: String,
    legal_hold: Spanned<String>,
}

/// A retention period as written: `years_after_last_contact`, or a `statement` with
/// `review_after_months`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    years_after_last_contact: Option<Spanned<u32>>,
    statement: Option<String>,
    review_after_months: Option<Spanned<u32>>,
}

/// Builds errors that carry the line of a span, when the text is at hand.
struct Reporter<'a> {
    text: Option<&'a str>,
}

impl Reporter<'_> {
    fn at(&self, span: Range<usize>, message: impl Into<String>) -> ProfileError {
        ProfileError {
            line: self.text.map(|t| line_at(t, span.start)),
            message: message.into(),
        }
    }

    fn nowhere(&self, message: impl Into<String>) -> ProfileError {
        ProfileError {
            line: None,
            message: message.into(),
        }
    }

    /// Refuses an empty (or blank) text value.
    fn not_blank(&self, value: &Spanned<String>, what: &str) -> Result<(), ProfileError> {
        if value.get_ref().trim().is_empty() {
            return Err(self.at(value.span(), format!("{what} must not be empty")));
        }
        Ok(())
    }

    /// Refuses a list naming the same value twice.
    fn no_repeats<T: Ord + Copy>(
        &self,
        list: &Spanned<Vec<T>>,
        what: &str,
        key: impl Fn(T) -> &'static str,
    ) -> Result<(), ProfileError> {
        let mut seen = BTreeSet::new();
        for item in list.get_ref() {
            if !seen.insert(*item) {
                return Err(self.at(list.span(), format!("{what} lists \"{}\" twice", key(*item))));
            }
        }
        Ok(())
    }

    /// Refuses a key that is not lowercase snake_case (keys are stored with each record).
    fn snake_key(&self, key: &Spanned<String>, what: &str) -> Result<(), ProfileError> {
        let k = key.get_ref();
        let ok = k.starts_with(|c: char| c.is_ascii_lowercase())
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(self.at(
                key.span(),
                format!(
                    "{what} key \"{k}\" must be lowercase letters, digits and _ \
                     (e.g. \"photo_web\")"
                ),
            ));
        }
        Ok(())
    }
}

impl TryFrom<RawProfile> for Profile {
    type Error = ProfileError;

    fn try_from(raw: RawProfile) -> Result<Self, Self::Error> {
        raw.validate(None)
    }
}

impl RawProfile {
    /// Checks the rules that keep the notice honest and builds the [`Profile`]. `text` is the
    /// source, used only to turn positions into line numbers.
    pub(super) fn validate(self, text: Option<&str>) -> Result<Profile, ProfileError> {
        let r = Reporter { text };

        let meta = self.check_meta(&r)?;
        let controller = self.check_controller(&r)?;
        r.not_blank(&self.transfers_abroad, "transfers_abroad")?;
        r.not_blank(&self.automated_decisions, "automated_decisions")?;
        let special_category = check_sensitive(&r, &self.special_category, "special_category")?;
        let criminal_offence = check_sensitive(&r, &self.criminal_offence, "criminal_offence")?;
        let categories = self.check_categories(&r)?;
        let defined: Vec<Category> = categories.iter().map(|c| c.key).collect();
        let purposes = self.check_purposes(&r, &defined)?;
        let consent_purposes = self.check_consents(&r)?;
        // A list for a purpose resting on consent is made from that consent: it must exist.
        if let Some(p) = purposes.iter().find(|p| {
            p.mailing_list && p.lawful_basis == LawfulBasis::Consent && !consent_purposes.iter().any(|c| c.key == p.key)
        }) {
            return Err(ProfileError {
                line: None,
                message: format!(
                    "purpose \"{}\" rests on consent and has a mailing list: add a [[consent_purpose]] with key \"{}\" (the wording people agree to)",
                    p.key, p.key
                ),
            });
        }
        let retention = check_retention(&r, &self.retention)?;
        let b = &self.backup;
        if b.warn_after_days == 0 || b.warn_after_days >= b.overdue_after_days || b.overdue_after_days > 366 {
            return Err(ProfileError {
                line: None,
                message: format!(
                    "backup: warn_after_days ({}) must be at least 1 and less than overdue_after_days ({}), which is at most 366",
                    b.warn_after_days, b.overdue_after_days
                ),
            });
        }
        let backup = super::BackupRule {
            warn_after_days: b.warn_after_days,
            overdue_after_days: b.overdue_after_days,
        };
        if self.disclosures.roles.is_empty() {
            return Err(ProfileError {
                line: None,
                message: "disclosures: roles is empty: name at least one role that may record passing details on (the data protection lead, for example)".into(),
            });
        }
        let disclosures = super::DisclosureRule {
            roles: self.disclosures.roles,
            recipients: self.disclosures.recipients,
        };
        if let Some(problem) = self.referrals.problem() {
            return Err(r.nowhere(problem));
        }
        let blank_label = self
            .role_labels
            .iter()
            .map(|(k, v)| (k.key(), v))
            .chain(self.field_labels.iter().map(|(k, v)| (k.key(), v)))
            .find(|(_, v)| v.trim().is_empty());
        if let Some((key, _)) = blank_label {
            return Err(r.nowhere(format!(
                "the label for \"{key}\" is blank: give it words, or remove the line"
            )));
        }

        Ok(Profile {
            bank_holiday_region: self.bank_holiday_region,
            services: self.services,
            relationship_types: self.relationship_types,
            transfers_abroad: self.transfers_abroad.into_inner(),
            automated_decisions: self.automated_decisions.into_inner(),
            processors: self.processors,
            meta,
            controller,
            supervisory_authority: self.supervisory_authority,
            role_names: self.role_names,
            categories,
            purposes,
            special_category,
            criminal_offence,
            consent_purposes,
            retention,
            backup,
            disclosures,
            role_labels: trim_values(self.role_labels),
            field_labels: trim_values(self.field_labels),
            direct_marketing: self.direct_marketing.trim().to_string(),
            referrals: self.referrals,
            letters: LetterRule {
                signature: self
                    .letters
                    .signature
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            },
            donation_platforms: trimmed(&self.donation_platforms),
        })
    }

    fn check_meta(&self, r: &Reporter<'_>) -> Result<ProfileMeta, ProfileError> {
        let id = &self.profile.id;
        let ok = !id.get_ref().is_empty()
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(r.at(
                id.span(),
                format!(
                    "profile id \"{}\" must be lowercase letters, digits, - and _ \
                     (e.g. \"good-neighbours\")",
                    id.get_ref()
                ),
            ));
        }
        if *self.profile.version.get_ref() == 0 {
            return Err(r.at(
                self.profile.version.span(),
                "profile version must be 1 or more; bump it whenever the wording changes",
            ));
        }
        Ok(ProfileMeta {
            id: id.get_ref().clone(),
            version: *self.profile.version.get_ref(),
            name: self.profile.name.clone(),
        })
    }

    fn check_controller(&self, r: &Reporter<'_>) -> Result<Controller, ProfileError> {
        let c = &self.controller;
        r.not_blank(&c.name, "controller name")?;
        r.not_blank(&c.email, "controller email")?;
        // "{email}" is a template's placeholder, filled in at `init`.
        if !c.email.get_ref().contains('@') && c.email.get_ref() != "{email}" {
            return Err(r.at(
                c.email.span(),
                format!("controller email \"{}\" is not an email address", c.email.get_ref()),
            ));
        }
        r.not_blank(&c.data_protection_contact, "controller data_protection_contact")?;
        Ok(Controller {
            name: c.name.get_ref().clone(),
            address: c.address.clone(),
            email: c.email.get_ref().clone(),
            phone: c.phone.clone(),
            website: c.website.clone(),
            data_protection_contact: c.data_protection_contact.get_ref().clone(),
            dpo: c.dpo.as_ref().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
        })
    }

    fn check_categories(&self, r: &Reporter<'_>) -> Result<Vec<CategoryRule>, ProfileError> {
        if self.categories.is_empty() {
            return Err(r.nowhere("the profile defines no [[category]]: add one per category of person"));
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(self.categories.len());
        for c in &self.categories {
            let key = *c.key.get_ref();
            if !seen.insert(key) {
                return Err(r.at(c.key.span(), format!("category \"{}\" is listed twice", key.key())));
            }
            out.push(self.check_category(r, c)?);
        }
        Ok(out)
    }

    fn check_category(&self, r: &Reporter<'_>, c: &RawCategory) -> Result<CategoryRule, ProfileError> {
        let key = c.key.get_ref().key();
        r.not_blank(&c.description, &format!("category \"{key}\" description"))?;

        let fields = c.fields.get_ref();
        if !fields.contains(&FieldGroup::Name) {
            return Err(r.at(c.fields.span(), format!("category \"{key}\" must collect \"name\"")));
        }
        r.no_repeats(&c.fields, &format!("category \"{key}\" fields"), FieldGroup::key)?;
        for (group, rule, table) in [
            (FieldGroup::Health, &self.special_category, "special_category"),
            (FieldGroup::CriminalOffence, &self.criminal_offence, "criminal_offence"),
        ] {
            if fields.contains(&group) && rule.roles.get_ref().is_empty() {
                return Err(r.at(
                    c.fields.span(),
                    format!(
                        "category \"{key}\" collects \"{}\" but [{table}] roles is empty: \
                         name the roles that may see it, or remove \"{}\" from the fields",
                        group.key(),
                        group.key()
                    ),
                ));
            }
        }

        if c.recipients.get_ref().is_empty() {
            return Err(r.at(
                c.recipients.span(),
                format!("category \"{key}\" has no recipients: name the roles that receive it"),
            ));
        }
        r.no_repeats(&c.recipients, &format!("category \"{key}\" recipients"), Role::key)?;

        let mut limited = Vec::with_capacity(c.limited_recipients.len());
        let mut limited_roles = BTreeSet::new();
        for l in &c.limited_recipients {
            let role = *l.role.get_ref();
            if c.recipients.get_ref().contains(&role) {
                return Err(r.at(
                    l.role.span(),
                    format!(
                        "role \"{}\" already receives all of category \"{key}\"; \
                         remove it from recipients or from limited_recipient",
                        role.key()
                    ),
                ));
            }
            if !limited_roles.insert(role) {
                return Err(r.at(
                    l.role.span(),
                    format!(
                        "role \"{}\" is a limited recipient of category \"{key}\" twice",
                        role.key()
                    ),
                ));
            }
            if !l.fields.get_ref().contains(&FieldGroup::Name) {
                return Err(r.at(
                    l.fields.span(),
                    format!(
                        "limited recipient \"{}\" of category \"{key}\" must receive \"name\"",
                        role.key()
                    ),
                ));
            }
            if let Some(extra) = l.fields.get_ref().iter().find(|g| !fields.contains(g)) {
                return Err(r.at(
                    l.fields.span(),
                    format!(
                        "limited recipient \"{}\" is given \"{}\", which category \"{key}\" \
                         does not collect",
                        role.key(),
                        extra.key()
                    ),
                ));
            }
            r.no_repeats(
                &l.fields,
                &format!("limited recipient \"{}\" fields", role.key()),
                FieldGroup::key,
            )?;
            limited.push(LimitedRecipient {
                role,
                fields: l.fields.get_ref().clone(),
            });
        }

        if *c.obtained_indirectly.get_ref() && c.sources.trim().is_empty() {
            return Err(r.at(
                c.obtained_indirectly.span(),
                format!(
                    "category \"{key}\" is obtained indirectly but has no sources: \
                     say where the data comes from (Article 14 requires it)"
                ),
            ));
        }

        Ok(CategoryRule {
            key: *c.key.get_ref(),
            description: c.description.get_ref().clone(),
            fields: fields.clone(),
            recipients: c.recipients.get_ref().clone(),
            limited_recipients: limited,
            other_recipients: c.other_recipients.clone(),
            obtained_indirectly: *c.obtained_indirectly.get_ref(),
            sources: c.sources.clone(),
            publicly_accessible: c.publicly_accessible,
            label: non_blank(&c.label),
            must_provide: non_blank(&c.must_provide),
            if_not_provided: non_blank(&c.if_not_provided),
            retention: match &c.retention {
                Some(p) => Some(check_period(
                    r,
                    p.get_ref(),
                    p.span(),
                    &format!("category \"{key}\" retention"),
                )?),
                None => None,
            },
        })
    }

    fn check_purposes(&self, r: &Reporter<'_>, defined: &[Category]) -> Result<Vec<Purpose>, ProfileError> {
        if self.purposes.is_empty() {
            return Err(r.nowhere("the profile defines no [[purpose]]: the notice must state why data is used"));
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(self.purposes.len());
        for p in &self.purposes {
            r.snake_key(&p.key, "purpose")?;
            let key = p.key.get_ref();
            if !seen.insert(key.as_str()) {
                return Err(r.at(p.key.span(), format!("purpose \"{key}\" is listed twice")));
            }
            r.not_blank(&p.description, &format!("purpose \"{key}\" description"))?;
            let basis = *p.lawful_basis.get_ref();
            let interest = p
                .legitimate_interest
                .as_ref()
                .filter(|li| !li.get_ref().trim().is_empty());
            match (basis, interest) {
                (LawfulBasis::LegitimateInterests, None) => {
                    return Err(r.at(
                        p.lawful_basis.span(),
                        format!(
                            "purpose \"{key}\" relies on legitimate_interests but gives no \
                             legitimate_interest: say what the interest is"
                        ),
                    ))
                }
                (b, Some(li)) if b != LawfulBasis::LegitimateInterests => {
                    return Err(r.at(
                        li.span(),
                        format!(
                            "purpose \"{key}\" gives a legitimate_interest but its basis is \
                             {}; remove it or change the basis",
                            b.key()
                        ),
                    ))
                }
                _ => {}
            }
            let categories = match &p.categories {
                None => Vec::new(),
                Some(list) => {
                    if let Some(c) = list.get_ref().iter().find(|c| !defined.contains(c)) {
                        return Err(r.at(
                            list.span(),
                            format!(
                                "purpose \"{key}\" names category \"{}\", which this profile \
                                 does not define",
                                c.key()
                            ),
                        ));
                    }
                    r.no_repeats(list, &format!("purpose \"{key}\" categories"), Category::key)?;
                    list.get_ref().clone()
                }
            };
            out.push(Purpose {
                key: key.clone(),
                description: p.description.get_ref().clone(),
                lawful_basis: basis,
                legitimate_interest: interest.map(|li| li.get_ref().clone()),
                objectable: p.objectable,
                direct_marketing: p.direct_marketing,
                mailing_list: p.mailing_list,
                categories,
            });
        }
        Ok(out)
    }

    fn check_consents(&self, r: &Reporter<'_>) -> Result<Vec<ConsentPurpose>, ProfileError> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::with_capacity(self.consent_purposes.len());
        for c in &self.consent_purposes {
            r.snake_key(&c.key, "consent purpose")?;
            let key = c.key.get_ref();
            if !seen.insert(key.as_str()) {
                return Err(r.at(c.key.span(), format!("consent purpose \"{key}\" is listed twice")));
            }
            r.not_blank(&c.label, &format!("consent purpose \"{key}\" label"))?;
            r.not_blank(
                &c.wording,
                &format!("consent purpose \"{key}\" wording (the exact words read to the person)"),
            )?;
            if *c.version.get_ref() == 0 {
                return Err(r.at(
                    c.version.span(),
                    format!(
                        "consent purpose \"{key}\" version must be 1 or more; \
                         bump it whenever the wording changes"
                    ),
                ));
            }
            out.push(ConsentPurpose {
                key: key.clone(),
                label: c.label.get_ref().clone(),
                wording: c.wording.get_ref().clone(),
                version: *c.version.get_ref(),
            });
        }
        Ok(out)
    }
}

fn check_sensitive(r: &Reporter<'_>, s: &RawSensitive, table: &str) -> Result<SensitiveRule, ProfileError> {
    if !s.roles.get_ref().is_empty() && s.condition.trim().is_empty() {
        return Err(r.at(
            s.roles.span(),
            format!(
                "[{table}] names roles but no condition: state the condition relied on \
                 (e.g. \"Article 9(2)(c) vital interests\")"
            ),
        ));
    }
    r.no_repeats(&s.roles, &format!("[{table}] roles"), Role::key)?;
    Ok(SensitiveRule {
        condition: s.condition.clone(),
        reason: s.reason.clone(),
        roles: s.roles.get_ref().clone(),
        words: trimmed(&s.words),
        check_roles: trimmed(&s.check_roles),
        renewal_years: s.renewal_years.unwrap_or(3).clamp(1, 10),
        service_checks: s
            .service_checks
            .iter()
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            .collect(),
    })
}

/// The non-blank entries of a list, trimmed.
fn trimmed(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn check_retention(r: &Reporter<'_>, ret: &RawRetention) -> Result<Retention, ProfileError> {
    let span = ret.legal_hold.span();
    let written = RawPeriod {
        years_after_last_contact: ret.years_after_last_contact.clone(),
        statement: ret.statement.clone(),
        review_after_months: ret.review_after_months.clone(),
    };
    let period = check_period(r, &written, span, "retention")?;
    r.not_blank(&ret.legal_hold, "retention legal_hold")?;
    Ok(Retention {
        period,
        reason: ret.reason.clone(),
        legal_hold: ret.legal_hold.get_ref().clone(),
    })
}

/// A retention period: years after last contact (1 to 100), or a statement with the months
/// until review (1 to 120); exactly one of the two. `span` locates the table when no value
/// in it does.
fn check_period(
    r: &Reporter<'_>,
    p: &RawPeriod,
    span: Range<usize>,
    what: &str,
) -> Result<RetentionPeriod, ProfileError> {
    let statement = p.statement.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (&p.years_after_last_contact, statement, &p.review_after_months) {
        (Some(years), None, None) => {
            let y = *years.get_ref();
            if y == 0 || y > MAX_RETENTION_YEARS {
                return Err(r.at(
                    years.span(),
                    format!("{what} years_after_last_contact must be between 1 and {MAX_RETENTION_YEARS}, not {y}"),
                ));
            }
            Ok(RetentionPeriod::Years {
                years_after_last_contact: y,
            })
        }
        (None, Some(statement), Some(months)) => {
            let m = *months.get_ref();
            if m == 0 || m > MAX_REVIEW_MONTHS {
                return Err(r.at(
                    months.span(),
                    format!("{what} review_after_months must be between 1 and {MAX_REVIEW_MONTHS}, not {m}"),
                ));
            }
            Ok(RetentionPeriod::Statement {
                statement: statement.to_string(),
                review_after_months: m,
            })
        }
        (None, Some(_), None) => Err(r.at(
            span,
            format!("{what} has a statement but no review_after_months: say how many months after the last contact a record is reviewed"),
        )),
        _ => Err(r.at(
            span,
            format!("{what}: give either years_after_last_contact, or a statement (\"as long as is reasonable and necessary\") with review_after_months"),
        )),
    }
}

/// An optional text, trimmed, with blank read as absent.
fn non_blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// A label table with each label trimmed.
fn trim_values<K: Ord>(map: BTreeMap<K, String>) -> BTreeMap<K, String> {
    map.into_iter().map(|(k, v)| (k, v.trim().to_string())).collect()
}

/// Rewrites serde's "unknown variant `x`, expected one of ..." into the vocabulary's own
/// words ("unknown role \"x\": expected one of ..."); other messages pass through.
pub(super) fn friendly_message(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown variant `") else {
        return message.to_string();
    };
    let Some((given, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let named: BTreeSet<&str> = expected.split('`').skip(1).step_by(2).collect();
    let vocabularies: [(&'static str, Vec<&'static str>); 5] = [
        ("role", Role::ALL.iter().map(|v| v.key()).collect()),
        ("category", Category::ALL.iter().map(|v| v.key()).collect()),
        ("field group", FieldGroup::ALL.iter().map(|v| v.key()).collect()),
        ("bank-holiday region", Region::ALL.iter().map(|v| v.key()).collect()),
        ("lawful basis", LawfulBasis::ALL.iter().map(|v| v.key()).collect()),
    ];
    let Some((what, keys)) = vocabularies
        .into_iter()
        .find(|(_, keys)| keys.iter().copied().collect::<BTreeSet<_>>() == named)
    else {
        return message.to_string();
    };
    let mut text = UnknownName {
        what,
        given: given.chars().take(40).collect(),
        expected: keys.join(", "),
    }
    .to_string();
    let spelled = snake(given);
    if keys.contains(&spelled.as_str()) {
        text.push_str(&format!(" (write it as \"{spelled}\")"));
    }
    text
}

/// `given` in the vocabularies' spelling: lowercase, `-` and spaces as `_`.
fn snake(given: &str) -> String {
    given
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}
