//! Letters to people who made rights requests, from the templates in
//! `assets/templates/letters/` (HTML and plain text), filled from the profile (controller,
//! ICO) and the request: acknowledgement, ID request, clarification request, fee request,
//! extension notice, refusal, completion and restriction lifted.
//!
//! A letter goes to the person acting for the data subject when there is one, otherwise to
//! the data subject. Write the completion letter of an erasure before erasing: afterwards the
//! address is gone too. Writing a letter is audited.

use super::long_date;
use super::pack::make_dir;
use crate::domain::rights::{Outcome, RequestKind};
use crate::store::exports::ExportEntry;
use crate::store::requests::INTAKE_ROLES;
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The letters dutydesk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Acknowledgement,
    IdRequest,
    ClarificationRequest,
    FeeRequest,
    ExtensionNotice,
    Refusal,
    Completion,
    PartialCompliance,
    ObjectionDecision,
    RestrictionLifted,
}

impl LetterKind {
    pub const ALL: &'static [LetterKind] = &[
        LetterKind::Acknowledgement,
        LetterKind::IdRequest,
        LetterKind::ClarificationRequest,
        LetterKind::FeeRequest,
        LetterKind::ExtensionNotice,
        LetterKind::Refusal,
        LetterKind::Completion,
        LetterKind::PartialCompliance,
        LetterKind::ObjectionDecision,
        LetterKind::RestrictionLifted,
    ];

    /// The template and file name stem.
    pub fn key(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::IdRequest => "id_request",
            LetterKind::ClarificationRequest => "clarification_request",
            LetterKind::FeeRequest => "fee_request",
            LetterKind::ExtensionNotice => "extension_notice",
            LetterKind::Refusal => "refusal",
            LetterKind::Completion => "completion",
            LetterKind::PartialCompliance => "partial_compliance",
            LetterKind::ObjectionDecision => "objection_decision",
            LetterKind::RestrictionLifted => "restriction_lifted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "Acknowledgement",
            LetterKind::IdRequest => "Request for proof of identity",
            LetterKind::ClarificationRequest => "Request for clarification",
            LetterKind::FeeRequest => "Request for a fee",
            LetterKind::ExtensionNotice => "Extension notice",
            LetterKind::Refusal => "Refusal",
            LetterKind::Completion => "Completion",
            LetterKind::PartialCompliance => "Partly complied (what, and why not the rest)",
            LetterKind::ObjectionDecision => "Objection decision (stopped, or why we continue)",
            LetterKind::RestrictionLifted => "Restriction lifted",
        }
    }

    /// The letter named by its key ("refusal", "id-request" reads as "id_request").
    pub fn parse(s: &str) -> Option<LetterKind> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        LetterKind::ALL.iter().copied().find(|k| k.key() == norm)
    }

    /// Whether a duty officer may write it (the clerical letters); the others are decisions.
    fn clerical(self) -> bool {
        matches!(
            self,
            LetterKind::Acknowledgement | LetterKind::IdRequest | LetterKind::ClarificationRequest
        )
    }
}

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../assets/templates/letters/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "_header.html.j2",
    "_footer.html.j2",
    "_header.txt.j2",
    "_footer.txt.j2",
    "_refusal_ground.html.j2",
    "_refusal_ground.txt.j2",
    "acknowledgement.html.j2",
    "acknowledgement.txt.j2",
    "id_request.html.j2",
    "id_request.txt.j2",
    "clarification_request.html.j2",
    "clarification_request.txt.j2",
    "fee_request.html.j2",
    "fee_request.txt.j2",
    "extension_notice.html.j2",
    "extension_notice.txt.j2",
    "refusal.html.j2",
    "refusal.txt.j2",
    "completion.html.j2",
    "completion.txt.j2",
    "restriction_lifted.html.j2",
    "restriction_lifted.txt.j2",
    "partial_compliance.html.j2",
    "partial_compliance.txt.j2",
    "objection_decision.html.j2",
    "objection_decision.txt.j2",
);

#[derive(Serialize)]
struct Context {
    today: String,
    organisation: String,
    controller: crate::profile::Controller,
    ico: crate::profile::SupervisoryAuthority,
    words: super::LetterWords,
    recipient_name: String,
    recipient_address: Vec<String>,
    on_behalf_of: Option<String>,
    request: RequestContext,
}

#[derive(Serialize)]
struct RequestContext {
    id: i64,
    received_on: String,
    kinds: Vec<String>,
    kind_keys: Vec<String>,
    due: Option<String>,
    first_month_due: Option<String>,
    extended: bool,
    extension_reason: Option<String>,
    refusal_reason: Option<String>,
    /// The refusal's ground: its key (for the wording) and label.
    refusal_ground: Option<String>,
    refusal_ground_label: Option<String>,
    partly_provided: Option<String>,
    partly_withheld: Option<String>,
    /// The objection decisions on the request: what for, stop or continue, and why.
    objections: Vec<ObjectionContext>,
    fee_reason: Option<String>,
    outcome: Option<String>,
    refused: bool,
    id_seen: Option<String>,
    changed_fields: Vec<String>,
    recipients: Vec<String>,
    restriction_lifted_on: Option<String>,
    restriction_lift_note: Option<String>,
}

#[derive(Serialize)]
struct ObjectionContext {
    purpose: String,
    stopped: bool,
    reasons: Option<String>,
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub html: String,
    pub text: String,
}

fn env() -> Result<minijinja::Environment<'static>> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.contains(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_trim_blocks(true);
    for (name, src) in TEMPLATES {
        env.add_template(name, src).map_err(|e| {
            StoreError::invalid(format!(
                "The letter template {name} is broken ({e}): reinstall dutydesk."
            ))
        })?;
    }
    Ok(env)
}

fn context(store: &Store, request_id: i64) -> Result<Context> {
    let d = store.request(request_id)?;
    let subject = match d.row.person_id {
        Some(pid) => Some(store.person(pid)?),
        None => None,
    };
    let agent = match d.agent_id {
        Some(aid) => store.person(aid).ok(),
        None => None,
    };
    let addressee = agent.as_ref().or(subject.as_ref());
    let (recipient_name, recipient_address) = match addressee {
        Some(p) => (
            p.name(),
            super::envelope_lines(p.record.address.as_deref(), p.record.postcode.as_deref()),
        ),
        None => ("Sir or Madam".to_string(), Vec::new()),
    };
    // Someone acting for them who is not on file: the letter goes to them, by name (the
    // address is written in by hand, or the letter emailed).
    let (recipient_name, recipient_address) = match (&agent, &d.agent_name) {
        (None, Some(name)) => (name.clone(), Vec::new()),
        _ => (recipient_name, recipient_address),
    };
    let on_behalf_of = if agent.is_some() || d.agent_name.is_some() {
        subject.as_ref().map(|s| s.name())
    } else {
        None
    };
    let changed_fields = d
        .change_record
        .as_ref()
        .and_then(|v| v.as_array())
        .map(|entries| {
            let mut fields: Vec<String> = entries
                .iter()
                .filter_map(|e| e.get("changes").and_then(|c| c.as_array()))
                .flatten()
                .filter_map(|c| c.get("field").and_then(|f| f.as_str()))
                .map(|f| f.replace('_', " "))
                .collect();
            fields.dedup();
            fields
        })
        .unwrap_or_default();
    let recipients = store
        .recipients_for_request(request_id)?
        .into_iter()
        .map(|t| t.recipient)
        .collect();
    let deadline = d.deadline.as_ref();
    Ok(Context {
        today: long_date(store.clock().today()),
        organisation: store.organisation()?,
        controller: store.profile().controller.clone(),
        ico: store.profile().supervisory_authority.clone(),
        words: super::letter_words(store.profile()),
        recipient_name,
        recipient_address,
        on_behalf_of,
        request: RequestContext {
            id: request_id,
            received_on: long_date(d.row.received_on),
            kinds: d.row.kinds.iter().map(|k| k.label().to_string()).collect(),
            kind_keys: d.row.kinds.iter().map(|k| k.key().to_string()).collect(),
            due: deadline.and_then(|x| x.due).map(long_date),
            first_month_due: deadline.and_then(|x| x.extension_notice_by).map(long_date),
            extended: d.row.extended,
            extension_reason: d.extension_reason.map(|r| r.label().to_string()),
            refusal_reason: d.refusal_reason.clone(),
            refusal_ground: d.refusal_ground.map(|g| g.key().to_string()),
            refusal_ground_label: d.refusal_ground.map(|g| g.label().to_string()),
            partly_provided: d.partly_provided.clone(),
            partly_withheld: d.partly_withheld.clone(),
            objections: d
                .objections
                .iter()
                .map(|o| ObjectionContext {
                    purpose: store.profile().purpose(&o.purpose).map_or_else(
                        || o.purpose.clone(),
                        |p| p.description.trim_end_matches('.').to_string(),
                    ),
                    stopped: o.decision == crate::domain::rights::ObjectionDecision::Stop,
                    reasons: o.reasons.clone(),
                })
                .collect(),
            fee_reason: d.fee_reason.clone(),
            outcome: d.row.outcome.map(|o| o.label().to_string()),
            refused: d.row.outcome == Some(Outcome::Refused),
            id_seen: d.id_seen.clone(),
            changed_fields,
            recipients,
            // The letter goes before the lift: it names the day planned (or, for one written
            // afterwards, the day it was lifted).
            restriction_lifted_on: d.restriction_lift_planned.or(d.restriction_lifted_on).map(long_date),
            restriction_lift_note: d.restriction_lift_note.clone(),
        },
    })
}

fn check(store: &Store, request_id: i64, kind: LetterKind) -> Result<()> {
    if kind.clerical() {
        if !INTAKE_ROLES.contains(&store.actor().role) {
            return Err(StoreError::NotAllowed(
                store.profile().role_label(store.actor().role).to_string(),
                "write letters about rights requests".into(),
            ));
        }
    } else {
        store.require_lead("write decision letters about rights requests")?;
    }
    let d = store.request(request_id)?;
    let fail = |what: &str| Err(StoreError::invalid(format!("{what} for request {request_id}.")));
    match kind {
        LetterKind::ClarificationRequest if !d.row.kinds.contains(&RequestKind::Access) => {
            fail("Only an access request can be clarified: there is no clarification letter")
        }
        LetterKind::FeeRequest if d.fee_reason.is_none() => {
            fail("Ask for the fee (with its reason) before writing its letter")
        }
        LetterKind::ExtensionNotice if !d.row.extended => {
            fail("Extend the deadline (with its reason) before writing the extension notice")
        }
        LetterKind::Refusal if d.row.outcome != Some(Outcome::Refused) => {
            fail("Refuse the request (with its ground and reasons) before writing the refusal letter")
        }
        LetterKind::ObjectionDecision if d.objections.is_empty() => {
            fail("Record the objection decision before writing its letter")
        }
        LetterKind::PartialCompliance if d.row.outcome != Some(Outcome::Partly) => {
            fail("Close the request as partly complied (what was provided, what was withheld and why) before writing this letter")
        }
        LetterKind::RestrictionLifted if d.restriction_lifted_on.is_none() && d.restriction_lift_planned.is_none() => {
            fail("Plan the lifting of the restriction (when, and why) before writing this letter")
        }
        _ => Ok(()),
    }
}

/// Renders a letter about request `request_id` without writing anything.
pub fn render_letter(store: &Store, request_id: i64, kind: LetterKind) -> Result<Letter> {
    check(store, request_id, kind)?;
    let ctx = context(store, request_id)?;
    let env = env()?;
    let render = |ext: &str| -> Result<String> {
        let name = format!("{}.{ext}.j2", kind.key());
        env.get_template(&name).and_then(|t| t.render(&ctx)).map_err(|e| {
            StoreError::invalid(format!(
                "The letter {name} could not be written ({e}): report this as a bug."
            ))
        })
    };
    Ok(Letter {
        html: render("html")?,
        text: render("txt")?,
    })
}

/// Writes a letter about request `request_id` into `out_dir` as
/// `request-<id>-<kind>.html` and `.txt`. Returns both paths. Audited.
pub fn write_letter(store: &Store, request_id: i64, kind: LetterKind, out_dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let letter = render_letter(store, request_id, kind)?;
    make_dir(out_dir)?;
    let stem = format!("request-{request_id}-{}", kind.key().replace('_', "-"));
    let html = out_dir.join(format!("{stem}.html"));
    let text = out_dir.join(format!("{stem}.txt"));
    let mut export = store.begin_export(&[ExportEntry {
        entity: "rights_request",
        id: Some(request_id),
        fields: &[kind.key()],
    }])?;
    export.file(&html, letter.html.as_bytes())?;
    export.file(&text, letter.text.as_bytes())?;
    export.finish()?;
    Ok((html, text))
}
