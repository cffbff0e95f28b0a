//! The subject access pack (Article 15): a folder holding `index.html` (readable), `data.json`
//! (every piece of data the case file holds about the person, plus the Article 15 information
//! from the profile) and `redaction_review.txt` (other people's data inside the record, to
//! review before release).
//!
//! The pack is compiled by the data protection lead under an open access request, from
//! [`Store::full_record_for_request`]; producing it writes an audit entry. It is written only
//! to the folder asked for, and never over an earlier pack.

use super::long_date;
use crate::domain::FieldGroup;
use crate::profile::Profile;
use crate::store::exports::ExportEntry;
use crate::store::subject_access::FullRecord;
use crate::store::{Result, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const INDEX_TEMPLATE: &str = include_str!("../../assets/templates/pack/index.html.j2");

/// What a pack holds beyond the record: the Article 15 information, from the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article15Info {
    pub controller: String,
    pub controller_contact: String,
    pub purposes: Vec<PurposeInfo>,
    pub categories_of_data: Vec<String>,
    pub recipients: Vec<String>,
    pub retention: String,
    pub rights: Vec<String>,
    pub complaint: String,
    pub source: String,
    pub automated_decisions: String,
    pub transfers_abroad: String,
    pub processors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurposeInfo {
    pub description: String,
    pub lawful_basis: String,
    pub legitimate_interest: Option<String>,
}

/// Someone else's data inside the record, for review before release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThirdPartyMention {
    /// The other person, as named in the case file.
    pub who: String,
    /// How they relate ("Next of kin", "referrer", "named in a note").
    pub relation: String,
    /// Where in the pack ("contact log entry 12", "relationships").
    pub place: String,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSummary {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub third_party_mentions: usize,
}

#[derive(Serialize)]
struct PackData<'a> {
    generated_on: String,
    organisation: String,
    profile: String,
    profile_version: u32,
    article15: &'a Article15Info,
    third_party_mentions: &'a [ThirdPartyMention],
    record: &'a FullRecord,
}

/// The headings of the health and criminal-offence sections, in the profile's words (for the
/// index page; not part of the data).
#[derive(Serialize)]
struct Headings {
    health: String,
    criminal_offence: String,
}

/// The rights every person holds, in plain words (Articles 15 to 22 and 77 to 79); the right
/// to object names the profile's direct marketing, if it does any.
pub fn rights(profile: &Profile) -> Vec<String> {
    let object = match profile.direct_marketing_summary() {
        None => "The right to object: to object to our use of your data for our legitimate interests (Article 21).".to_string(),
        Some(marketing) => format!(
            "The right to object: to object to our use of your data for our legitimate interests, and at any time to its use for direct marketing ({marketing}) (Article 21)."
        ),
    };
    RIGHTS
        .iter()
        .map(|r| {
            if r.starts_with("The right to object") {
                object.clone()
            } else {
                r.to_string()
            }
        })
        .collect()
}

const RIGHTS: &[&str] = &[
    "The right of access: to ask for a copy of the personal data we hold about you (Article 15).",
    "The right to rectification: to ask us to correct inaccurate data or complete incomplete data (Article 16).",
    "The right to erasure: to ask us to erase your data in certain circumstances (Article 17).",
    "The right to restriction: to ask us to limit how we use your data in certain circumstances (Article 18).",
    "The right to data portability: to receive the data you gave us in a portable form, where it applies (Article 20).",
    "The right to object (Article 21).",
    "Rights about automated decision-making: not to be subject to a decision based solely on automated processing (Article 22).",
    "The right to withdraw consent at any time, where we rely on your consent.",
    "The right to complain to the Information Commissioner's Office, and to seek a judicial remedy through the courts.",
];

/// The Article 15 information for a person holding `record`'s categories.
pub fn article15_info(profile: &Profile, record: &FullRecord) -> Article15Info {
    let cats = &record.record.categories;
    let purposes = profile
        .purposes_for(cats)
        .into_iter()
        .map(|p| PurposeInfo {
            description: p.description.clone(),
            lawful_basis: format!("{} ({})", p.lawful_basis.label(), p.lawful_basis.article()),
            legitimate_interest: p.legitimate_interest.clone(),
        })
        .collect();
    let mut groups = BTreeSet::new();
    let mut recipients: Vec<String> = Vec::new();
    let push = |v: &mut Vec<String>, s: String| {
        if !v.contains(&s) {
            v.push(s);
        }
    };
    let mut sources = Vec::new();
    for c in cats {
        if let Some(rule) = profile.category(*c) {
            groups.extend(rule.fields.iter().copied());
            for r in &rule.recipients {
                push(&mut recipients, profile.role_name(*r).to_string());
            }
            for l in &rule.limited_recipients {
                push(&mut recipients, format!("{} (some of it)", profile.role_name(l.role)));
            }
            for o in &rule.other_recipients {
                push(&mut recipients, o.clone());
            }
            if rule.obtained_indirectly && !rule.sources.is_empty() {
                sources.push(rule.sources.clone());
            }
        }
    }
    for d in &record.disclosures {
        push(
            &mut recipients,
            format!("{} (disclosed on {})", d.recipient, d.disclosed_on),
        );
    }
    let source = if record.obtained.how == "direct" {
        "You gave us your information yourself.".to_string()
    } else {
        let mut s = String::from("We received your information from someone else");
        if let Some(n) = &record.obtained.from_person_name {
            s.push_str(&format!(": {n}"));
        } else if let Some(t) = &record.obtained.from_text {
            s.push_str(&format!(": {t}"));
        }
        s.push('.');
        if !sources.is_empty() {
            s.push(' ');
            s.push_str(&sources.join(" "));
        }
        s
    };
    let r = &profile.retention;
    let a = &profile.supervisory_authority;
    Article15Info {
        controller: profile.controller.name.clone(),
        controller_contact: profile.controller.data_protection_contact.clone(),
        purposes,
        categories_of_data: groups.iter().map(|g| profile.field_label(*g).to_string()).collect(),
        recipients,
        retention: format!(
            "{} {} {}",
            profile.retention_for(cats).promise(),
            r.reason,
            r.legal_hold
        )
        .trim()
        .to_string(),
        rights: rights(profile),
        complaint: format!(
            "You can complain to us first ({}). You can also complain to the {} at {} or on {}.",
            profile.controller.data_protection_contact.trim(),
            a.name,
            a.website,
            a.helpline
        ),
        source,
        automated_decisions: profile.automated_decisions.clone(),
        transfers_abroad: profile.transfers_abroad.clone(),
        processors: profile.processors.clone(),
    }
}

/// Whether `hay` (lowercase) contains `word` (lowercase) as a whole word.
fn contains_word(hay: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(word) {
        let start = from + pos;
        let end = start + word.len();
        let before_ok = start == 0 || !hay[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = end >= bytes.len() || !hay[end..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

/// Other people's data in the record: the related people themselves, the referrer and the
/// source, volunteers and clients named on services, and any of their names found in the
/// free text (notes, contact log, callbacks, health notes, referral notes, requests).
pub fn third_party_mentions(record: &FullRecord) -> Vec<ThirdPartyMention> {
    let mut out = Vec::new();
    // (name, relation)
    let mut people: Vec<(String, String)> = Vec::new();
    for r in &record.relationships {
        out.push(ThirdPartyMention {
            who: r.other_name.clone(),
            relation: r.label.clone(),
            place: format!("relationships (link {})", r.id),
        });
        people.push((r.other_name.clone(), r.label.clone()));
    }
    if let Some(n) = &record.obtained.from_person_name {
        out.push(ThirdPartyMention {
            who: n.clone(),
            relation: "gave us your details".into(),
            place: "where your data came from".into(),
        });
        people.push((n.clone(), "gave us your details".into()));
    }
    for f in &record.referrals {
        let (other, rel) = if f.role == "subject" {
            (f.referrer_name.clone(), "referrer")
        } else {
            (f.person_name.clone(), "person you referred")
        };
        if let Some(n) = other {
            out.push(ThirdPartyMention {
                who: n.clone(),
                relation: rel.into(),
                place: format!("referral {}", f.id),
            });
            people.push((n, rel.into()));
        }
        if f.role == "subject" && f.referrer_org.is_some() {
            out.push(ThirdPartyMention {
                who: f.referrer_org.clone().unwrap_or_default(),
                relation: "referrer's organisation".into(),
                place: format!("referral {}", f.id),
            });
        }
    }
    for s in &record.services {
        if let Some(n) = s.volunteer.as_ref().or(s.client.as_ref()) {
            let rel = if s.volunteer.is_some() { "volunteer" } else { "client" };
            if !people.iter().any(|(p, _)| p == n) {
                people.push((n.clone(), rel.into()));
            }
            out.push(ThirdPartyMention {
                who: n.clone(),
                relation: rel.into(),
                place: format!("service {}", s.id),
            });
        }
    }
    // Name words to look for: each other person's given and family names, longer than two
    // letters, that are not also the subject's own.
    let own: BTreeSet<String> = [&record.record.given_name, &record.record.family_name]
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, (name, _)) in people.iter().enumerate() {
        for w in name.split_whitespace().skip_while(|w| is_title(w)) {
            let w = w.to_lowercase();
            if w.chars().count() > 2 && !own.contains(&w) && seen.insert(w.clone()) {
                words.push((w, i));
            }
        }
    }
    if words.is_empty() {
        return out;
    }
    let mut scan = |text: &Option<String>, place: String| {
        let Some(t) = text else { return };
        let lower = t.to_lowercase();
        let mut found = BTreeSet::new();
        for (w, i) in &words {
            if !found.contains(i) && contains_word(&lower, w) {
                found.insert(*i);
                out.push(ThirdPartyMention {
                    who: people[*i].0.clone(),
                    relation: format!("named in the text ({})", people[*i].1),
                    place: place.clone(),
                });
            }
        }
    };
    scan(&record.record.notes, "notes on the record".into());
    scan(&record.obtained.from_text, "where your data came from".into());
    for c in &record.contacts {
        scan(&c.note, format!("contact log entry {} ({})", c.id, c.at.date()));
    }
    for c in &record.callbacks {
        scan(&Some(c.about.clone()), format!("callback {}", c.id));
    }
    for h in &record.health_notes {
        scan(&Some(h.note.clone()), format!("health note {}", h.id));
    }
    for f in &record.referrals {
        scan(&f.notes, format!("referral {} notes", f.id));
    }
    for s in &record.services {
        scan(&s.note, format!("service {} note", s.id));
    }
    for p in &record.publications {
        scan(&Some(p.what.clone()), format!("publication {}", p.id));
    }
    for t in &record.tasks {
        scan(&Some(t.about.clone()), format!("task {}", t.id));
    }
    for r in &record.requests {
        scan(&r.words, format!("request {}", r.id));
    }
    out
}

fn is_title(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.').to_lowercase().as_str(),
        "mr" | "mrs" | "ms" | "miss" | "mx" | "dr" | "rev" | "prof"
    )
}

/// Creates an export folder (and any missing parents) private to its owner (700). A folder
/// that already exists keeps its permissions: it may be the user's own, such as a USB stick.
pub(crate) fn make_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(StoreError::invalid(format!(
            "{} is a file, not a folder: give a folder to write into.",
            dir.display()
        )));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| {
        StoreError::invalid(format!(
            "Could not create the folder {} ({e}): choose a folder you may write to.",
            dir.display()
        ))
    })
}

fn render_index(data: &PackData<'_>, headings: &Headings) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("index.html", INDEX_TEMPLATE)
        .map_err(|e| StoreError::invalid(format!("The pack template is broken ({e}): reinstall dutydesk.")))?;
    let tmpl = env
        .get_template("index.html")
        .map_err(|e| StoreError::invalid(format!("The pack template is missing ({e}): reinstall dutydesk.")))?;
    tmpl.render(minijinja::context! { headings => headings, ..minijinja::Value::from_serialize(data) })
        .map_err(|e| StoreError::invalid(format!("The pack could not be written ({e}): report this as a bug.")))
}

fn review_text(record: &FullRecord, mentions: &[ThirdPartyMention]) -> String {
    let mut s = format!(
        "Redaction review for the subject access pack of request {} (person {}).\n\
         Other people's data found in the record: decide for each whether it can be released \
         (they agreed, or it is reasonable without their consent) or must be redacted before the \
         pack is sent.\n\n",
        record.request_id, record.person_id
    );
    if mentions.is_empty() {
        s.push_str("Nothing found. Still read the pack before releasing it.\n");
    }
    for m in mentions {
        s.push_str(&format!("- {} ({}): {}\n", m.who, m.relation, m.place));
    }
    s
}

/// Writes the subject access pack for access request `request_id` into `out_dir` (created if
/// needed; refused if it already holds a pack). Data protection lead only; audited.
pub fn subject_access_pack(store: &Store, request_id: i64, out_dir: &Path) -> Result<PackSummary> {
    let person = store
        .request(request_id)?
        .row
        .person_id
        .ok_or_else(|| StoreError::invalid(format!("Request {request_id} is not linked to a person on file.")))?;
    if out_dir.join("index.html").exists() || out_dir.join("data.json").exists() {
        return Err(StoreError::invalid(format!(
            "{} already holds a subject access pack: choose an empty folder.",
            out_dir.display()
        )));
    }
    let record = store.full_record_for_request(person, request_id)?;
    let info = article15_info(store.profile(), &record);
    let mentions = third_party_mentions(&record);
    let data = PackData {
        generated_on: long_date(store.clock().today()),
        organisation: store.organisation()?,
        profile: store.profile().id().to_string(),
        profile_version: store.profile().version(),
        article15: &info,
        third_party_mentions: &mentions,
        record: &record,
    };
    let headings = Headings {
        health: store.profile().field_label(FieldGroup::Health).to_string(),
        criminal_offence: store.profile().field_label(FieldGroup::CriminalOffence).to_string(),
    };
    let json = serde_json::to_vec_pretty(&data).map_err(|e| StoreError::invalid(e.to_string()))?;
    let html = render_index(&data, &headings)?;
    make_dir(out_dir)?;
    let files = vec![
        out_dir.join("index.html"),
        out_dir.join("data.json"),
        out_dir.join("redaction_review.txt"),
    ];
    let mut export = store.begin_export(&[
        ExportEntry {
            entity: "person",
            id: Some(person),
            fields: &["subject_access_pack"],
        },
        ExportEntry {
            entity: "rights_request",
            id: Some(request_id),
            fields: &["subject_access_pack"],
        },
    ])?;
    export.file(&files[0], html.as_bytes())?;
    export.file(&files[1], &json)?;
    export.file(&files[2], review_text(&record, &mentions).as_bytes())?;
    // On the request (the task names it) and the handover: delete this copy once sent.
    export.remind_to_delete(
        person,
        request_id,
        out_dir,
        store.clock().today() + chrono::Duration::days(7),
    )?;
    export.finish()?;
    Ok(PackSummary {
        dir: out_dir.to_path_buf(),
        files,
        third_party_mentions: mentions.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert!(contains_word("spoke to susan today", "susan"));
        assert!(contains_word("susan.", "susan"));
        assert!(!contains_word("susannah rang", "susan"));
        assert!(!contains_word("", "susan"));
    }
}
