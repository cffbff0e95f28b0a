//! The organisation profile: the charity's privacy notice in machine form.
//!
//! A profile is a TOML file (the shipped ones live in `assets/profiles/`) naming the data
//! controller, the categories of people the charity holds, the field groups it collects for
//! each, which roles receive them, the purposes and lawful bases, the conditions for health and
//! criminal offence data, the consent purposes with their exact wording, and retention. The
//! store enforces it through the [`AccessMatrix`]; notices, Article 14 letters and
//! subject-access packs are generated from it. One source of truth, so what the charity tells
//! people and what the software does cannot drift apart.
//!
//! [`parse`] is the only way in: it checks the vocabulary and the rules that keep the notice
//! honest (every category has recipients, legitimate interests are stated, consent wording is
//! versioned, health and DBS data have a condition and named roles, ...) and reports the line
//! of the first problem.

mod access;
mod placeholders;
mod raw;
mod words;

pub use access::AccessMatrix;
pub use placeholders::{example, fill, placeholders_in, Organisation, PLACEHOLDERS};
pub use words::{LetterRule, ReferralRule};

use crate::domain::{Category, FieldGroup, Region, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The profile used when the user has not chosen one.
pub const DEFAULT_PROFILE: &str = "good-neighbours";

const GOOD_NEIGHBOURS: &str = include_str!("../../assets/profiles/good-neighbours.toml");
const PERINATAL_PEER_SUPPORT: &str = include_str!("../../assets/profiles/perinatal-peer-support.toml");

const BUILTIN_IDS: &[&str] = &["good-neighbours", "perinatal-peer-support"];

/// The text of a profile shipped with dutydesk, by id.
pub fn builtin(id: &str) -> Option<&'static str> {
    match id {
        "good-neighbours" => Some(GOOD_NEIGHBOURS),
        "perinatal-peer-support" => Some(PERINATAL_PEER_SUPPORT),
        _ => None,
    }
}

/// A built-in profile filled with the details of the charity it was written from
/// ([`example`]): ready to use for a demo or a test.
pub fn builtin_example(id: &str) -> Option<String> {
    Some(fill(builtin(id)?, &example(id)?))
}

/// The ids of the profiles shipped with dutydesk, default first.
pub fn builtin_ids() -> &'static [&'static str] {
    BUILTIN_IDS
}

/// What a built-in profile is for, in words for the first-run form.
pub fn builtin_description(id: &str) -> &'static str {
    match id {
        "good-neighbours" => "A Good Neighbours scheme",
        "perinatal-peer-support" => "A perinatal peer-support charity",
        _ => "",
    }
}

/// Reads and validates a profile from TOML text.
///
/// The error names the line of the first problem, e.g.
/// `profile line 12: unknown role "admin": expected one of duty_officer, ...`.
pub fn parse(text: &str) -> Result<Profile, ProfileError> {
    let raw: raw::RawProfile = toml::from_str(text).map_err(|e| ProfileError {
        line: e.span().map(|span| line_at(text, span.start)),
        message: raw::friendly_message(e.message()),
    })?;
    raw.validate(Some(text))
}

/// The 1-based line holding byte `offset` of `text`.
/// The 1-based line of a byte offset in a TOML text (profiles and the keymap report errors by line).
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Why a profile was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProfileError {
    /// The 1-based line of the problem, when it is known.
    pub line: Option<usize>,
    /// What is wrong, in words the person editing the file can act on.
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "profile line {line}: {}", self.message),
            None => write!(f, "profile: {}", self.message),
        }
    }
}

/// An organisation profile that has passed validation.
///
/// It serialises back to the same TOML shape ([`Profile::to_toml`]), and deserialising it
/// runs the same validation as [`parse`] (without line numbers), so a `Profile` value is
/// always a valid one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "raw::RawProfile")]
pub struct Profile {
    /// The calendar whose bank holidays are not working days.
    pub bank_holiday_region: Region,
    /// The services the charity provides, in the notice's words.
    pub services: Vec<String>,
    /// How a relative or contact is related to the person (daughter, neighbour, ...), offered
    /// when they are given on a call; the profile may name its own.
    pub relationship_types: Vec<String>,
    /// What the notice says about transfers abroad ("None.").
    pub transfers_abroad: String,
    /// What the notice says about automated decision-making ("None.").
    pub automated_decisions: String,
    /// Processors acting on the charity's behalf (Article 28), as the notice names them.
    pub processors: Vec<String>,
    /// The `[profile]` table: id, version and name of this profile.
    #[serde(rename = "profile")]
    pub meta: ProfileMeta,
    pub controller: Controller,
    pub supervisory_authority: SupervisoryAuthority,
    /// How each role is named in notices; roles not listed use their label.
    pub role_names: BTreeMap<Role, String>,
    /// The `[[category]]` blocks, in file order; each category at most once.
    #[serde(rename = "category")]
    pub categories: Vec<CategoryRule>,
    /// The `[[purpose]]` blocks, in file order.
    #[serde(rename = "purpose")]
    pub purposes: Vec<Purpose>,
    /// Health data (Article 9).
    pub special_category: SensitiveRule,
    /// DBS checks (Article 10).
    pub criminal_offence: SensitiveRule,
    /// The `[[consent_purpose]]` blocks, in file order.
    #[serde(rename = "consent_purpose")]
    pub consent_purposes: Vec<ConsentPurpose>,
    pub retention: Retention,
    /// When the handover says the last backup is getting old (amber) or too old (red).
    pub backup: BackupRule,
    /// Who may pass a person's details on, and the usual recipients to choose from.
    pub disclosures: DisclosureRule,
    /// How each role is called on screens (`[role_labels]`); roles not listed use their
    /// built-in label.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub role_labels: BTreeMap<Role, String>,
    /// How each field group is called on screens and in notices (`[field_labels]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub field_labels: BTreeMap<FieldGroup, String>,
    /// What the notice says about direct marketing ("We will not share your information with
    /// anyone for direct marketing.").
    pub direct_marketing: String,
    /// How quickly a referral is answered (`[referrals]`).
    pub referrals: ReferralRule,
    /// How letters are signed (`[letters]`).
    pub letters: LetterRule,
    /// The giving platforms donations come through (JustGiving, PayPal), offered when one is
    /// recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub donation_platforms: Vec<String>,
}

/// The optional `[disclosures]` table: the roles that may record passing a person's details
/// to someone outside (default: the data protection lead, duty officers and section
/// leaders), and the recipients offered (anyone else is typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureRule {
    pub roles: Vec<Role>,
    pub recipients: Vec<String>,
}

/// The optional `[backup]` table (defaults: amber after 7 days, red after 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BackupRule {
    pub warn_after_days: u32,
    pub overdue_after_days: u32,
}

/// The `[profile]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileMeta {
    /// Stable id, lowercase letters, digits, `-` and `_` (e.g. "good-neighbours").
    pub id: String,
    /// Bumped whenever the wording changes; notices and packs record which version they used.
    pub version: u32,
    /// A human name for the profile.
    pub name: String,
}

/// The data controller: the charity, and how to reach it about data protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Controller {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// How to contact the charity about data protection, as a sentence for notices.
    pub data_protection_contact: String,
    /// How to reach the data protection officer, when the charity has appointed one; without
    /// it, notices say there is none and whom to contact instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
}

/// The supervisory authority people may complain to (the ICO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisoryAuthority {
    pub name: String,
    pub website: String,
    pub helpline: String,
}

/// One `[[category]]` block: a category of person, what is collected and who receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRule {
    pub key: Category,
    /// How the charity comes to hold this person's data, addressed to them.
    pub description: String,
    /// The field groups collected for this category; always includes `name`.
    pub fields: Vec<FieldGroup>,
    /// Roles that receive every field group of this category (subject to the health and
    /// criminal-offence role lists).
    pub recipients: Vec<Role>,
    /// Roles that receive only some of the field groups.
    #[serde(rename = "limited_recipient", skip_serializing_if = "Vec::is_empty")]
    pub limited_recipients: Vec<LimitedRecipient>,
    /// Recipients outside dutydesk's roles, in words for notices.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_recipients: Vec<String>,
    /// Whether the data may come from someone other than the person (Article 14 applies).
    pub obtained_indirectly: bool,
    /// Where indirectly obtained data comes from; required when `obtained_indirectly`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sources: String,
    /// Whether some of it may come from a publicly accessible source (Article 14(2)(f)).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub publicly_accessible: bool,
    /// How people of this category are called on screens ("Mum", "Donor"); without it, the
    /// category's built-in label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether people of this category have to give us their data (a statutory or contractual
    /// requirement, or needed for the service), in the notice's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub must_provide: Option<String>,
    /// What happens if they do not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_not_provided: Option<String>,
    /// How long this category's data is kept, where it differs from `[retention]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionPeriod>,
}

impl CategoryRule {
    /// Whether this category collects `group`.
    pub fn collects(&self, group: FieldGroup) -> bool {
        self.fields.contains(&group)
    }

    /// The field groups of this category `role` receives, before the health and
    /// criminal-offence role lists are applied.
    pub fn fields_for(&self, role: Role) -> Vec<FieldGroup> {
        if self.recipients.contains(&role) {
            return self.fields.clone();
        }
        self.limited_recipients
            .iter()
            .filter(|l| l.role == role)
            .flat_map(|l| l.fields.iter().copied())
            .collect()
    }
}

/// A role that receives only some of a category's field groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitedRecipient {
    pub role: Role,
    /// A subset of the category's fields; always includes `name`.
    pub fields: Vec<FieldGroup>,
}

/// A lawful basis for processing (Article 6(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterests,
}

impl LawfulBasis {
    /// Every basis, in the order of Article 6(1).
    pub const ALL: &'static [LawfulBasis] = &[
        LawfulBasis::Consent,
        LawfulBasis::Contract,
        LawfulBasis::LegalObligation,
        LawfulBasis::VitalInterests,
        LawfulBasis::PublicTask,
        LawfulBasis::LegitimateInterests,
    ];

    /// The snake_case name used in profiles.
    pub fn key(self) -> &'static str {
        match self {
            LawfulBasis::Consent => "consent",
            LawfulBasis::Contract => "contract",
            LawfulBasis::LegalObligation => "legal_obligation",
            LawfulBasis::VitalInterests => "vital_interests",
            LawfulBasis::PublicTask => "public_task",
            LawfulBasis::LegitimateInterests => "legitimate_interests",
        }
    }

    /// A label for notices.
    pub fn label(self) -> &'static str {
        match self {
            LawfulBasis::Consent => "Consent",
            LawfulBasis::Contract => "Contract",
            LawfulBasis::LegalObligation => "Legal obligation",
            LawfulBasis::VitalInterests => "Vital interests",
            LawfulBasis::PublicTask => "Public task",
            LawfulBasis::LegitimateInterests => "Legitimate interests",
        }
    }

    /// The provision of UK GDPR it rests on.
    pub fn article(self) -> &'static str {
        match self {
            LawfulBasis::Consent => "Article 6(1)(a)",
            LawfulBasis::Contract => "Article 6(1)(b)",
            LawfulBasis::LegalObligation => "Article 6(1)(c)",
            LawfulBasis::VitalInterests => "Article 6(1)(d)",
            LawfulBasis::PublicTask => "Article 6(1)(e)",
            LawfulBasis::LegitimateInterests => "Article 6(1)(f)",
        }
    }
}

impl fmt::Display for LawfulBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One `[[purpose]]` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purpose {
    /// Stable snake_case key (e.g. "newsletters").
    pub key: String,
    pub description: String,
    pub lawful_basis: LawfulBasis,
    /// The legitimate interest pursued; present exactly when the basis is legitimate interests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<String>,
    /// Whether a person can simply opt out of this purpose (e.g. newsletters, events) while
    /// still using the charity's services.
    pub objectable: bool,
    /// Direct marketing (newsletters and the like, promoting the charity's aims): an objection
    /// to it is absolute (Article 21(3)), never weighed against compelling grounds.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub direct_marketing: bool,
    /// Whether a mailing list is made for it (newsletters, events): `dutydesk list` and the
    /// terminal's lists offer these purposes.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mailing_list: bool,
    /// The categories this purpose applies to; empty means every category.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
}

impl Purpose {
    /// Whether a person may object to it (Article 21): processing on legitimate interests or a
    /// public task, and any direct marketing.
    pub fn open_to_objection(&self) -> bool {
        self.direct_marketing
            || matches!(
                self.lawful_basis,
                LawfulBasis::LegitimateInterests | LawfulBasis::PublicTask
            )
    }

    /// Whether this purpose applies to a person holding `categories`.
    pub fn applies_to(&self, categories: &[Category]) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| categories.contains(c))
    }
}

/// The condition and roles for health (Article 9) or criminal offence (Article 10) data.
///
/// An empty `roles` list means the charity processes no such data, and no category may
/// collect it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitiveRule {
    /// The Article 9 condition or the Article 10 / DPA 2018 authority relied on.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Why the charity needs it, in the notice's words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The only roles that may see it (and only for people they already receive).
    pub roles: Vec<Role>,
    /// Words that mark a free-text note as carrying this kind of data, beyond the built-in
    /// ones (see [`crate::domain::health_words`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// For criminal offence data: the volunteer roles a DBS check covers (befriender,
    /// shopper, driver), offered as a list when a check is recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub check_roles: Vec<String>,
    /// For criminal offence data: years from issue to renewal (1 to 10; default 3).
    pub renewal_years: u32,
    /// For criminal offence data: the check role each service needs (service, lowercase, to
    /// role): a volunteer is assigned for a service only with a valid check for its role.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub service_checks: std::collections::BTreeMap<String, String>,
}

impl SensitiveRule {
    /// Whether the charity processes this kind of data at all.
    pub fn is_processed(&self) -> bool {
        !self.roles.is_empty()
    }
}

/// One `[[consent_purpose]]` block: something done only with the person's consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentPurpose {
    /// Stable snake_case key (e.g. "photo_web"), recorded with each consent.
    pub key: String,
    /// A short label for screens.
    pub label: String,
    /// The exact sentence read or shown to the person.
    pub wording: String,
    /// Bumped whenever `wording` changes; recorded with each consent (from 1).
    pub version: u32,
}

/// How long data is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// The period, or the statement and its review interval.
    #[serde(flatten)]
    pub period: RetentionPeriod,
    /// Why that long, for notices.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// When data is kept longer ("if there is an on-going legal claim or the law requires it").
    pub legal_hold: String,
}

/// How long data is kept: a fixed period after the last contact ("6 years"), or a statement
/// ("as long as is reasonable and necessary") with the interval after which the record is
/// reviewed. Either way the handover brings each record up for review when its time comes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RetentionPeriod {
    /// Whole years after the last contact (1 to 100).
    Years { years_after_last_contact: u32 },
    /// The notice's own words, and months after the last contact until a review (1 to 120).
    Statement {
        statement: String,
        review_after_months: u32,
    },
}

impl RetentionPeriod {
    /// Months after the last contact until the record is reviewed.
    pub fn review_after_months(&self) -> u32 {
        match self {
            RetentionPeriod::Years {
                years_after_last_contact,
            } => years_after_last_contact * 12,
            RetentionPeriod::Statement {
                review_after_months, ..
            } => *review_after_months,
        }
    }

    /// What the notice promises ("We keep your information for 6 years after you last make
    /// contact with us.").
    pub fn promise(&self) -> String {
        match self {
            RetentionPeriod::Years {
                years_after_last_contact,
            } => format!(
                "We keep your information for {years_after_last_contact} years after you last make contact with us."
            ),
            RetentionPeriod::Statement { statement, .. } => statement.trim().to_string(),
        }
    }

    /// What a review is for, on the handover ("6 years since last contact", "12 months since
    /// last contact: is it still needed?").
    pub fn review_reason(&self) -> String {
        match self {
            RetentionPeriod::Years {
                years_after_last_contact,
            } => format!("{years_after_last_contact} years since last contact"),
            RetentionPeriod::Statement {
                review_after_months, ..
            } => format!("{review_after_months} months since last contact: is it still needed?"),
        }
    }
}

impl Profile {
    /// The profile's id (`[profile].id`).
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The profile's version (`[profile].version`).
    pub fn version(&self) -> u32 {
        self.meta.version
    }

    /// The rule for a category, or `None` when the profile does not define it (the store
    /// refuses to file anyone under it).
    pub fn category(&self, category: Category) -> Option<&CategoryRule> {
        self.categories.iter().find(|c| c.key == category)
    }

    /// The categories this profile defines, in file order.
    pub fn category_keys(&self) -> Vec<Category> {
        self.categories.iter().map(|c| c.key).collect()
    }

    /// A purpose by key.
    pub fn purpose(&self, key: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.key == key)
    }

    /// The purposes that apply to a person holding `categories`.
    pub fn purposes_for(&self, categories: &[Category]) -> Vec<&Purpose> {
        self.purposes.iter().filter(|p| p.applies_to(categories)).collect()
    }

    /// A consent purpose by key.
    pub fn consent_purpose(&self, key: &str) -> Option<&ConsentPurpose> {
        self.consent_purposes.iter().find(|c| c.key == key)
    }

    /// How a role is named in notices: the `[role_names]` entry, or the role's label.
    pub fn role_name(&self, role: Role) -> &str {
        self.role_names
            .get(&role)
            .map(String::as_str)
            .unwrap_or_else(|| self.role_label(role))
    }

    /// How a role is called on screens: the `[role_labels]` entry, or its built-in label.
    pub fn role_label(&self, role: Role) -> &str {
        self.role_labels
            .get(&role)
            .map(String::as_str)
            .unwrap_or_else(|| role.label())
    }

    /// How a category is called on screens: its `label`, or its built-in label.
    pub fn category_label(&self, category: Category) -> &str {
        self.category(category)
            .and_then(|c| c.label.as_deref())
            .unwrap_or_else(|| category.label())
    }

    /// How a field group is called on screens and in notices: the `[field_labels]` entry, or
    /// its built-in label.
    pub fn field_label(&self, group: FieldGroup) -> &str {
        self.field_labels
            .get(&group)
            .map(String::as_str)
            .unwrap_or_else(|| group.label())
    }

    /// Who made a referral, in the profile's words: a worker and a relative are named as the
    /// profile names those categories ("Health professional", "Partner or relative").
    pub fn referrer_label(&self, kind: crate::domain::referral::ReferrerKind) -> String {
        use crate::domain::referral::ReferrerKind as K;
        match kind {
            K::Professional if self.category(Category::Professional).is_some() => {
                self.category_label(Category::Professional).to_string()
            }
            K::Professional => "Professional".to_string(),
            K::Relative if self.category(Category::Relative).is_some() => {
                self.category_label(Category::Relative).to_string()
            }
            k => k.label().to_string(),
        }
    }

    /// The same for a sentence of a notice ("a health professional", "a relative of yours").
    pub fn referrer_phrase(&self, kind: crate::domain::referral::ReferrerKind) -> String {
        use crate::domain::referral::ReferrerKind as K;
        match kind {
            K::Professional if self.category(Category::Professional).is_some() => {
                format!("a {}", self.category_label(Category::Professional).to_lowercase())
            }
            k => k.phrase().to_string(),
        }
    }

    /// The category a label names (as [`Profile::category_label`] gives it), among the
    /// categories this profile defines.
    pub fn category_by_label(&self, label: &str) -> Option<Category> {
        self.category_keys()
            .into_iter()
            .find(|c| self.category_label(*c) == label)
    }

    /// How long the data of someone holding `categories` is kept: the longest of their
    /// categories' periods (the `[retention]` period for a category without its own).
    pub fn retention_for(&self, categories: &[Category]) -> &RetentionPeriod {
        categories
            .iter()
            .filter_map(|c| self.category(*c))
            .map(|c| c.retention.as_ref().unwrap_or(&self.retention.period))
            .max_by_key(|p| p.review_after_months())
            .unwrap_or(&self.retention.period)
    }

    /// The shortest review interval of any category, in months (a lower bound for finding
    /// the records due for review).
    pub fn shortest_retention_months(&self) -> u32 {
        self.categories
            .iter()
            .map(|c| {
                c.retention
                    .as_ref()
                    .unwrap_or(&self.retention.period)
                    .review_after_months()
            })
            .chain(std::iter::once(self.retention.period.review_after_months()))
            .min()
            .unwrap_or(12)
    }

    /// The purposes that are direct marketing, in the notice's words for a sentence
    /// ("to distribute our newsletters"), joined by semicolons; `None` when there are none.
    pub fn direct_marketing_summary(&self) -> Option<String> {
        let list: Vec<String> = self
            .purposes
            .iter()
            .filter(|p| p.direct_marketing)
            .map(|p| p.description.trim_end_matches('.').to_lowercase())
            .collect();
        (!list.is_empty()).then(|| list.join("; "))
    }

    /// Who signs letters: the `[letters]` signature, or the data protection lead's label.
    pub fn signature(&self) -> &str {
        self.letters
            .signature
            .as_deref()
            .unwrap_or_else(|| self.role_label(Role::DataProtectionLead))
    }

    /// The access matrix this profile defines.
    pub fn access_matrix(&self) -> AccessMatrix {
        AccessMatrix::new(self)
    }

    /// The profile as TOML text that [`parse`] reads back to an equal profile (comments and
    /// layout of the original file are not kept).
    pub fn to_toml(&self) -> Result<String, ProfileError> {
        toml::to_string_pretty(self).map_err(|e| ProfileError {
            line: None,
            message: format!("could not write the profile as TOML: {e}"),
        })
    }
}

#[cfg(test)]
mod tests;

/// The relationship types offered when a profile names none.
pub fn default_relationship_types() -> Vec<String> {
    [
        "daughter",
        "son",
        "wife",
        "husband",
        "partner",
        "mother",
        "father",
        "sister",
        "brother",
        "granddaughter",
        "grandson",
        "niece",
        "nephew",
        "other relative",
        "friend",
        "neighbour",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}
