//! The Article 14 notice: the privacy information owed to someone whose data came from
//! someone else, filled from the organisation profile and the person's own record.
//!
//! It states every item Article 14 requires: who the controller is and how to contact them;
//! the purposes and lawful basis (only the purposes that apply to the person's categories);
//! the categories of data held about this person; the recipients; transfers abroad; how long
//! the data is kept; the legitimate interests; each right (access, rectification, erasure,
//! restriction, objection, portability); withdrawing consent; complaining to the supervisory
//! authority (the ICO); the source of the data (who gave it to us, and that it is not from a
//! publicly accessible source); automated decision-making.
//!
//! [`render_notice`] gives the text (for a screen); [`write_notice`] writes a printable HTML
//! file and a plain-text file ready to email into a folder the user chose, and audits the
//! export.

use super::long_date;
use super::{environment, template_error};
use crate::domain::referral::ReferrerKind;
use crate::domain::{Category, FieldGroup, RelationKind, Role};
use crate::profile::LawfulBasis;
use crate::store::exports::ExportEntry;
use crate::store::notices::Notice;
use crate::store::people::PersonView;
use crate::store::{Result, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub(crate) const HTML_TEMPLATE: &str = "article14_notice.html.j2";
pub(crate) const TEXT_TEMPLATE: &str = "article14_notice.txt.j2";

/// The shipped notice templates, by name.
pub(crate) const TEMPLATES: [(&str, &str); 2] = [
    (
        HTML_TEMPLATE,
        include_str!("../../assets/templates/article14_notice.html.j2"),
    ),
    (
        TEXT_TEMPLATE,
        include_str!("../../assets/templates/article14_notice.txt.j2"),
    ),
];

/// The notice, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedNotice {
    pub html: String,
    pub text: String,
    /// The field groups of the person's own record the notice shows (for the audit entry).
    pub fields_shown: Vec<&'static str>,
}

/// Everything the templates are filled from.
#[derive(Debug, Clone, Serialize)]
pub struct NoticeContext {
    pub date: String,
    pub controller: ControllerCtx,
    pub person: PersonCtx,
    /// Why the person is in our records: the profile's description of each category.
    pub categories: Vec<CategoryCtx>,
    /// Why this person is in our records, from their place in the record (named as someone's
    /// next of kin in a referral, referred to us): said instead of the category descriptions
    /// when there is something to say.
    pub why: Vec<String>,
    /// The categories of data held about this person: those with something in them (for
    /// groups the acting user may not see, those the profile collects for their categories).
    pub data_held: Vec<String>,
    pub purposes: Vec<PurposeCtx>,
    pub legitimate_interests: Vec<String>,
    pub special_category: Option<SensitiveCtx>,
    pub criminal_offence: Option<SensitiveCtx>,
    pub recipients: Vec<String>,
    pub processors: Vec<String>,
    pub transfers_abroad: String,
    pub retention: RetentionCtx,
    /// Whether the person has to give us their data, and what happens if not, per category.
    pub must_provide: Vec<String>,
    /// The profile's statement about direct marketing.
    pub direct_marketing: String,
    pub rights: Vec<RightCtx>,
    pub consent: ConsentCtx,
    pub authority: AuthorityCtx,
    pub source: SourceCtx,
    pub automated_decisions: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControllerCtx {
    pub name: String,
    pub address: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub contact: String,
    /// How to reach the data protection officer, or that there is none.
    pub dpo: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonCtx {
    pub name: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryCtx {
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PurposeCtx {
    pub description: String,
    pub basis: String,
    pub article: String,
    pub legitimate_interest: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SensitiveCtx {
    /// The field group's label in the profile's words ("Mobility and health (special category)").
    pub label: String,
    pub condition: String,
    pub reason: String,
    pub recipients: Vec<String>,
    /// The recipients as a phrase: "a, b and c".
    pub seen_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionCtx {
    /// What the profile promises for this person's categories ("We keep your information for
    /// 6 years after you last make contact with us.", or its own statement).
    pub promise: String,
    pub reason: String,
    pub legal_hold: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RightCtx {
    pub name: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsentCtx {
    /// Purposes for which we would ask consent, with their labels.
    pub purposes: Vec<String>,
    pub contact: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorityCtx {
    pub name: String,
    pub website: String,
    pub helpline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceCtx {
    /// False when the person gave us the data themselves.
    pub indirect: bool,
    /// One or more sentences naming who gave us the data and when.
    pub sentences: Vec<String>,
    /// The profile's description of where such data comes from.
    pub general: Vec<String>,
    pub public: bool,
}

/// Each right, as the notice states it; the right to object names the profile's direct
/// marketing, if it does any.
fn rights(profile: &crate::profile::Profile) -> Vec<RightCtx> {
    let object = match profile.direct_marketing_summary() {
        None => "You have the right to object to us processing your information because of your particular situation, where we rely on our legitimate interests.".to_string(),
        Some(marketing) => format!(
            "You have the right to object to us processing your information because of your particular situation, where we rely on our legitimate interests, and to object at any time to its use for direct marketing ({marketing}): we will then stop."
        ),
    };
    let right = |name: &'static str, text: &str| RightCtx {
        name,
        text: text.to_string(),
    };
    vec![
        right("Your right of access", "You have the right to ask us for copies of your personal information, and to be told what we use it for, who we share it with, how long we keep it and where it came from."),
        right("Your right to rectification", "You have the right to ask us to correct information you think is inaccurate, and to complete information you think is incomplete."),
        right("Your right to erasure", "You have the right to ask us to erase your personal information in certain circumstances."),
        right("Your right to restriction of processing", "You have the right to ask us to restrict (limit) the processing of your information in certain circumstances, for example while we check its accuracy."),
        RightCtx {
            name: "Your right to object to processing",
            text: object,
        },
        right("Your right to data portability", "Where we process information you gave us on the basis of your consent or a contract, you have the right to ask us to transfer it to another organisation, or to give it to you."),
    ]
}

/// How to reach the data protection officer, or that the charity has none and whom to ask.
pub(crate) fn dpo_sentence(controller: &crate::profile::Controller) -> String {
    match &controller.dpo {
        Some(dpo) => format!("Our data protection officer: {dpo}"),
        None => "We have not appointed a data protection officer: for anything about your information, contact us as shown here.".to_string(),
    }
}

/// Whether someone of these categories has to give us their data, and what happens if not.
fn must_provide(rules: &[&crate::profile::CategoryRule]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rules {
        for s in [&r.must_provide, &r.if_not_provided].into_iter().flatten() {
            push_unique(&mut out, s.clone());
        }
    }
    out
}

fn push_unique(list: &mut Vec<String>, s: String) {
    if !list.contains(&s) {
        list.push(s);
    }
}

/// Builds the template context for a person.
pub fn notice_context(store: &Store, person: &PersonView, notice: Option<&Notice>, today: NaiveDate) -> NoticeContext {
    let profile = store.profile();
    let cats: Vec<Category> = person.record.categories.clone();
    let rules: Vec<_> = cats.iter().filter_map(|c| profile.category(*c)).collect();
    let collects = |g: FieldGroup| rules.iter().any(|r| r.collects(g));
    // What is held, where the writer receives that group of the person's data (or answers
    // rights requests): a yes or no from the case file, never what it says. A group the writer
    // does not receive is listed as the profile collects it, so a notice never tells its
    // writer more than their role may know; references are listed as collected (nothing on
    // file says whether they are held).
    let knows =
        |g: FieldGroup| person.visible.contains(&g) || crate::profile::AccessMatrix::answers_rights(store.actor().role);
    let held = |g: FieldGroup| {
        collects(g) && (g == FieldGroup::References || !knows(g) || store.holds_any(person.id, g).unwrap_or(true))
    };
    let data_held = FieldGroup::ALL
        .iter()
        .filter(|g| held(**g))
        .map(|g| profile.field_label(*g).to_string())
        .collect();
    let purposes: Vec<_> = profile.purposes_for(&cats);
    let mut legitimate_interests = Vec::new();
    for p in &purposes {
        if let Some(li) = &p.legitimate_interest {
            push_unique(&mut legitimate_interests, li.clone());
        }
    }
    let mut recipients = Vec::new();
    for r in &rules {
        for role in &r.recipients {
            push_unique(&mut recipients, profile.role_name(*role).to_string());
        }
        for l in &r.limited_recipients {
            let fields: Vec<String> = l
                .fields
                .iter()
                .map(|f| super::in_sentence(profile.field_label(*f)))
                .collect();
            push_unique(
                &mut recipients,
                format!("{} (only: {})", profile.role_name(l.role), fields.join(", ")),
            );
        }
        for o in &r.other_recipients {
            push_unique(&mut recipients, o.clone());
        }
    }
    // Said only where some is held: the notice tells them what we hold.
    let sensitive = |group: FieldGroup, rule: &crate::profile::SensitiveRule| {
        (held(group) && rule.is_processed()).then(|| {
            let recipients: Vec<String> = store
                .access()
                .roles_seeing(&cats, group)
                .into_iter()
                .filter(|r| *r != Role::DataProtectionLead || rule.roles.contains(r))
                .map(|r| profile.role_name(r).to_string())
                .collect();
            SensitiveCtx {
                label: profile.field_label(group).to_string(),
                condition: rule.condition.clone(),
                reason: rule.reason.clone(),
                seen_by: super::join_and(&recipients),
                recipients,
            }
        })
    };
    let c = &profile.controller;
    let mut consent_purposes: Vec<String> = profile.consent_purposes.iter().map(|p| p.label.clone()).collect();
    for p in &purposes {
        if p.lawful_basis == LawfulBasis::Consent {
            push_unique(&mut consent_purposes, p.description.clone());
        }
    }
    NoticeContext {
        date: long_date(today),
        controller: ControllerCtx {
            name: c.name.clone(),
            address: c.address.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            website: c.website.clone(),
            contact: c.data_protection_contact.clone(),
            dpo: dpo_sentence(c),
        },
        person: PersonCtx {
            name: person.name(),
            address: person.record.address.clone(),
            postcode: person.record.postcode.clone(),
        },
        categories: rules
            .iter()
            .map(|r| CategoryCtx {
                label: profile.category_label(r.key).to_string(),
                description: r.description.clone(),
            })
            .collect(),
        why: why(store, person),
        data_held,
        purposes: purposes
            .iter()
            .map(|p| PurposeCtx {
                description: p.description.clone(),
                basis: p.lawful_basis.label().to_string(),
                article: p.lawful_basis.article().to_string(),
                legitimate_interest: p.legitimate_interest.clone(),
            })
            .collect(),
        legitimate_interests,
        special_category: sensitive(FieldGroup::Health, &profile.special_category),
        criminal_offence: sensitive(FieldGroup::CriminalOffence, &profile.criminal_offence),
        recipients,
        processors: profile.processors.clone(),
        transfers_abroad: profile.transfers_abroad.trim().to_string(),
        retention: RetentionCtx {
            promise: profile.retention_for(&cats).promise(),
            reason: profile.retention.reason.clone(),
            legal_hold: profile.retention.legal_hold.clone(),
        },
        must_provide: must_provide(&rules),
        direct_marketing: profile.direct_marketing.clone(),
        rights: rights(profile),
        consent: ConsentCtx {
            purposes: consent_purposes,
            contact: c.email.clone(),
        },
        authority: AuthorityCtx {
            name: profile.supervisory_authority.name.clone(),
            website: profile.supervisory_authority.website.clone(),
            helpline: profile.supervisory_authority.helpline.clone(),
        },
        source: source(profile, person, notice, &rules),
        automated_decisions: profile.automated_decisions.trim().to_string(),
    }
}

/// Why the person is in our records, from their place in it: named by someone (as a relative,
/// next of kin, emergency contact, referee or worker of a person the viewer may see), or referred to
/// us. Empty when they are here on their own account (the category descriptions say why).
fn why(store: &Store, person: &PersonView) -> Vec<String> {
    let mut out = Vec::new();
    let in_referral = person.obtained_referral.is_some();
    // Each person who named them, with every way they were named.
    let mut named: Vec<(i64, String, Vec<RelationKind>, Option<String>)> = Vec::new();
    for r in person.relationships.iter().filter(|r| r.inverse) {
        if !matches!(
            r.kind,
            RelationKind::Relative
                | RelationKind::NextOfKin
                | RelationKind::EmergencyContact
                | RelationKind::Referee
                | RelationKind::Professional
        ) {
            continue;
        }
        match named.iter_mut().find(|(id, ..)| *id == r.other_id) {
            Some((_, _, kinds, relation)) => {
                kinds.push(r.kind);
                if relation.is_none() {
                    relation.clone_from(&r.relation);
                }
            }
            None => named.push((r.other_id, r.other_name.clone(), vec![r.kind], r.relation.clone())),
        }
    }
    for (_, name, kinds, relation) in named {
        let professional = store.profile().category_label(Category::Professional).to_lowercase();
        // A relative is named by how they are related, where that was said ("partner").
        let relative = relation.clone().unwrap_or_else(|| "relative".into());
        let mut what: Vec<String> = Vec::new();
        for k in &kinds {
            let word = match k {
                RelationKind::NextOfKin => "next of kin".to_string(),
                RelationKind::EmergencyContact => "emergency contact".to_string(),
                RelationKind::Referee => "referee".to_string(),
                RelationKind::Professional => professional.clone(),
                _ => relative.clone(),
            };
            if !what.contains(&word) {
                what.push(word);
            }
        }
        if what.is_empty() {
            continue;
        }
        let said_how = what.contains(&relative);
        let what = super::join_and(&what);
        out.push(format!(
            "You were named as {name}'s {what}{}{}.",
            relation
                .filter(|_| !said_how)
                .map(|r| format!(" (their {r})"))
                .unwrap_or_default(),
            if in_referral {
                " in a referral to our services"
            } else {
                ""
            }
        ));
    }
    let referred = person.pending_referral.or(person.obtained_referral.filter(|_| {
        person.record.categories.contains(&Category::Client)
            && !person
                .relationships
                .iter()
                .any(|r| r.inverse && r.kind != RelationKind::AssignedVolunteer)
    }));
    if let Some(rid) = referred {
        let services = store.referral(rid).map(|d| d.row.services).unwrap_or_default();
        out.push(if services.is_empty() {
            "You were referred to us, to become a user of our services.".to_string()
        } else {
            format!(
                "You were referred to us, to become a user of our services: {}.",
                services.join(", ")
            )
        });
    }
    out
}

/// Who gave us the data: the source person by name when the user may see it, otherwise by
/// what they are (a social or healthcare worker, a relative); the referral it came with.
fn source(
    profile: &crate::profile::Profile,
    person: &PersonView,
    notice: Option<&Notice>,
    rules: &[&crate::profile::CategoryRule],
) -> SourceCtx {
    let public = rules.iter().any(|r| r.obtained_indirectly && r.publicly_accessible);
    let general: Vec<String> = rules
        .iter()
        .filter(|r| r.obtained_indirectly && !r.sources.is_empty())
        .map(|r| r.sources.clone())
        .collect();
    if !person.obtained_indirectly {
        return SourceCtx {
            indirect: false,
            sentences: vec!["You gave us this information yourself.".into()],
            general: Vec::new(),
            public: false,
        };
    }
    let mut sentences = Vec::new();
    let on = long_date(notice.map_or(person.obtained_on, |n| n.obtained_on));
    let kind = notice
        .and_then(|n| n.referral.as_ref())
        .and_then(|r| r.referrer_kind.as_deref())
        .and_then(ReferrerKind::parse);
    let what = match (notice.and_then(|n| n.source_categories.first()), kind) {
        (_, Some(k)) if k != ReferrerKind::SelfReferral => Some(profile.referrer_phrase(k)),
        (Some(c), _) => Some(format!("a {}", profile.category_label(*c).to_lowercase())),
        _ => None,
    };
    let org = notice
        .and_then(|n| n.referral.as_ref())
        .and_then(|r| r.referrer_org.clone());
    let who = match (notice.and_then(|n| n.source_name.clone()), what) {
        (Some(name), Some(what)) => Some(format!("{name}, {what}")),
        (Some(name), None) => Some(name),
        (None, Some(what)) => Some(what),
        (None, None) => None,
    };
    let who = match (who, org) {
        (Some(w), Some(o)) => Some(format!("{w} at {o}")),
        (w, _) => w,
    };
    let referral = notice.and_then(|n| n.referral.as_ref());
    let sentence = match (who, referral) {
        (Some(who), Some(r)) => format!(
            "Your details were given to us by {who}, as part of a referral to our services received on {} (our reference R-{}).",
            long_date(r.received_on),
            r.id
        ),
        (None, Some(r)) => format!(
            "Your details were given to us as part of a referral to our services received on {} (our reference R-{}).",
            long_date(r.received_on),
            r.id
        ),
        (Some(who), None) => format!("Your details were given to us by {who}, on {on}."),
        (None, None) => match notice.and_then(|n| n.source_text.clone()) {
            Some(t) => format!("Your details were given to us on {on} ({t})."),
            None => format!("Your details were given to us by someone else on {on}."),
        },
    };
    sentences.push(sentence);
    SourceCtx {
        indirect: true,
        sentences,
        general,
        public,
    }
}

/// The field groups of the person's own record a notice shows.
fn fields_shown(ctx: &NoticeContext) -> Vec<&'static str> {
    let mut f = vec!["name"];
    if ctx.person.address.is_some() || ctx.person.postcode.is_some() {
        f.push("address");
    }
    f.push("categories");
    f
}

/// Renders the notice for a person the acting user may see (refused for restricted people).
pub fn render_notice(store: &Store, person_id: i64) -> Result<RenderedNotice> {
    let person = store.person(person_id)?;
    if person.restricted {
        return Err(StoreError::Restricted);
    }
    let notice = store.notice_for_person(person_id)?;
    let ctx = notice_context(store, &person, notice.as_ref(), store.clock().today());
    let env = environment()?;
    let html = env
        .get_template(HTML_TEMPLATE)
        .and_then(|t| t.render(&ctx))
        .map_err(template_error)?;
    let text = env
        .get_template(TEXT_TEMPLATE)
        .and_then(|t| t.render(&ctx))
        .map_err(template_error)?;
    Ok(RenderedNotice {
        html,
        text,
        fields_shown: fields_shown(&ctx),
    })
}

/// Writes the notice for a person as `article14-notice-<id>.html` (printable) and
/// `article14-notice-<id>.txt` (ready to email) into `out_dir` (created if missing), and
/// audits the export. File names carry the id only, never the name.
pub fn write_notice(store: &Store, person_id: i64, out_dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let rendered = render_notice(store, person_id)?;
    super::pack::make_dir(out_dir)?;
    let html_path = out_dir.join(format!("article14-notice-{person_id}.html"));
    let text_path = out_dir.join(format!("article14-notice-{person_id}.txt"));
    let mut export = store.begin_export(&[ExportEntry {
        entity: "article14_notice",
        id: Some(person_id),
        fields: &rendered.fields_shown,
    }])?;
    export.file(&html_path, rendered.html.as_bytes())?;
    export.file(&text_path, rendered.text.as_bytes())?;
    export.finish()?;
    Ok((html_path, text_path))
}
