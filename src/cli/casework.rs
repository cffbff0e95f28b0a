//! The everyday casework from the command line, for scripts: the handover, one person, the
//! referrals, and logging a contact or a callback. Each shows only what the acting role may
//! see (the store decides), with `--json` for scripts whose field names the README lists.

use super::commands::{truncate, unlock};
use super::output::{self, say};
use super::CliError;
use crate::domain::ContactKind;
use crate::store::handover::DueItem;
use crate::store::referrals::ReferralFilter;
use crate::store::DataDir;

type Res = Result<(), CliError>;

/// The kind of a handover item as scripts see it ("request", "notice", "callback"...).
fn kind_name(item: &DueItem) -> String {
    serde_json::to_value(item.kind)
        .ok()
        .and_then(|v| v.as_object().and_then(|o| o.keys().next().cloned()))
        .map(|k| {
            // "ExemptionReview" -> "exemption_review"
            let mut out = String::new();
            for (i, c) in k.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            out
        })
        .unwrap_or_default()
}

/// `dutydesk handover [--json]`: everything due, most urgent first, as the acting role's
/// handover screen lists it.
pub(super) fn handover(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let items = store.handover()?;
    let today = store.clock().today();
    if json {
        output::json_rows(&items, |i| {
            serde_json::json!({
                "queue": i.queue().short().to_lowercase(),
                "kind": kind_name(i),
                "id": i.item_id(),
                "person_id": i.person_id,
                "person": i.person_name,
                "what": i.what,
                "due": i.due,
                "due_at": i.due_at,
                "days_left": i.due.map(|d| (d - today).num_days()),
            })
        })?;
        return Ok(());
    }
    if items.is_empty() {
        say!("Nothing is due.");
        return Ok(());
    }
    say!(
        "{:<10} {:>9}  {:<10} {:<26} what",
        "due",
        "days left",
        "queue",
        "person"
    );
    for i in &items {
        let days = match i.due.map(|d| (d - today).num_days()) {
            Some(d) if d < 0 => format!("{} over", -d),
            Some(d) => d.to_string(),
            None => "paused".into(),
        };
        say!(
            "{:<10} {:>9}  {:<10} {:<26} {}",
            i.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            days,
            i.queue().short(),
            truncate(&i.person_name, 26),
            i.what
        );
    }
    Ok(())
}

/// `dutydesk person ID [--json]`: one person as the acting role may see them (their
/// enquiries, groups and donations too, where the role receives them). Opening a record
/// with DBS checks is audited, as on screen.
pub(super) fn person(dir: &DataDir, user: Option<&str>, id: i64, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let view = store.view_person(id)?;
    let enquiries = store.enquiries_of(id)?;
    let groups = store.memberships_of(id)?;
    let donations = store.donations_of(id)?;
    if json {
        let mut v = serde_json::to_value(&view)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("name".into(), view.name().into());
            o.insert("enquiries".into(), serde_json::to_value(&enquiries)?);
            o.insert("groups".into(), serde_json::to_value(&groups)?);
            o.insert("donations".into(), serde_json::to_value(&donations)?);
        }
        output::json(&v)?;
        return Ok(());
    }
    let r = &view.record;
    let cats: Vec<String> = r
        .categories
        .iter()
        .map(|c| store.profile().category_label(*c).to_string())
        .collect();
    say!("{} (#{}): {}", view.name(), view.id, cats.join(", "));
    if view.restricted {
        say!("RESTRICTED (Article 18): read-only");
    }
    let field = |label: &str, value: Option<String>| -> Res {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            say!("  {label:<17} {v}");
        }
        Ok(())
    };
    field("Address", r.address.clone())?;
    field("Postcode", r.postcode.clone())?;
    field("Phone", Some(r.phones.join(", ")))?;
    field("Email", r.email.clone())?;
    field(
        "Date of birth",
        r.date_of_birth.map(|d| d.format("%d/%m/%Y").to_string()),
    )?;
    field("Organisation", r.organisation.clone())?;
    field(
        "Last contact",
        view.last_contact.map(|d| d.format("%d/%m/%Y").to_string()),
    )?;
    field(
        "Retention review",
        view.retention_review.map(|d| d.format("%d/%m/%Y").to_string()),
    )?;
    for rel in &view.relationships {
        let label = match rel.kind {
            crate::domain::RelationKind::Professional if !rel.inverse => store
                .profile()
                .referrer_label(crate::domain::referral::ReferrerKind::Professional),
            _ => rel.label().to_string(),
        };
        say!("  {label:<28} {} (#{})", rel.other_name, rel.other_id);
    }
    for c in &view.callbacks {
        say!(
            "  Callback          by {}: {}",
            c.due_at.format("%d/%m/%Y %H:%M"),
            c.about
        );
    }
    if let Some(n) = view.health_notes.filter(|n| *n > 0) {
        say!(
            "  {:<17} {n} note(s), shown only in the terminal, with a reason",
            store.profile().field_label(crate::domain::FieldGroup::Health)
        );
    }
    for e in enquiries.iter().flatten() {
        say!("  Enquiry           {}", e.summary());
    }
    for m in groups.iter().flatten() {
        say!("  Group             {}", m.summary());
    }
    for d in donations.iter().flatten() {
        say!("  Donation          {}", d.summary());
    }
    for q in &view.open_requests {
        say!(
            "  Rights request    #{} ({}), received {}",
            q.id,
            q.kinds,
            q.received_on.format("%d/%m/%Y")
        );
    }
    Ok(())
}

/// `dutydesk referrals [--all] [--json]`: open referrals (all with `--all`), oldest first.
pub(super) fn referrals(dir: &DataDir, user: Option<&str>, all: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.referrals(ReferralFilter {
        open_only: !all,
        ..ReferralFilter::default()
    })?;
    if json {
        output::json_rows(&rows, |r| {
            serde_json::json!({
                "id": r.id,
                "status": r.status.key(),
                "urgency": r.urgency.key(),
                "received_on": r.received_on,
                "days_waiting": r.days_waiting,
                "person_id": r.person_id,
                "person": r.person_name,
                "referrer_kind": r.referrer_kind.key(),
                "referrer_id": r.referrer_id,
                "referrer": r.referrer_name,
                "referrer_organisation": r.referrer_org,
                "services": r.services,
            })
        })?;
        return Ok(());
    }
    if rows.is_empty() {
        say!("No {}referrals.", if all { "" } else { "open " });
        return Ok(());
    }
    say!(
        "{:>5}  {:<10} {:<10} {:<8} {:>7}  {:<26} from",
        "id",
        "received",
        "status",
        "urgency",
        "waiting",
        "for"
    );
    for r in &rows {
        let from = r
            .referrer_name
            .clone()
            .or(r.referrer_org.clone())
            .unwrap_or_else(|| store.profile().referrer_label(r.referrer_kind));
        say!(
            "{:>5}  {:<10} {:<10} {:<8} {:>7}  {:<26} {}",
            r.id,
            r.received_on,
            r.status.key(),
            r.urgency.key(),
            format!("{}d", r.days_waiting),
            truncate(&r.person_name, 26),
            from
        );
    }
    Ok(())
}

/// `dutydesk enquiries [--open] [--json]`: enquiries newest first, as the acting role
/// receives them.
pub(super) fn enquiries(dir: &DataDir, user: Option<&str>, open: bool, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.enquiries(open)?;
    if json {
        return output::json_rows(&rows, |(e, name)| {
            serde_json::json!({
                "id": e.id,
                "person_id": e.person_id,
                "person": name,
                "received_on": e.received_on,
                "channel": e.channel.key(),
                "about": e.about,
                "answered_on": e.answered_on,
                "answer": e.answer,
            })
        });
    }
    if rows.is_empty() {
        say!("No {}enquiries.", if open { "unanswered " } else { "" });
    }
    for (e, name) in &rows {
        say!("{:>5}  {:<26} {}", e.id, truncate(name, 26), e.summary());
    }
    Ok(())
}

/// `dutydesk donations [--json]`: every donation the acting role may see, newest first, with
/// the totals (and how much of it carries Gift Aid).
pub(super) fn donations(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    let rows = store.donations()?;
    if json {
        return output::json_rows(&rows, |(d, name)| {
            serde_json::json!({
                "id": d.id,
                "person_id": d.person_id,
                "person": name,
                "received_on": d.received_on,
                "amount_pence": d.amount_pence,
                "platform": d.platform,
                "shared_with_consent_on": d.shared_with_consent_on,
                "gift_aid": d.gift_aid,
            })
        });
    }
    if rows.is_empty() {
        say!("No donations you may see.");
        return Ok(());
    }
    for (d, name) in &rows {
        say!("{:>5}  {:<26} {}", d.id, truncate(name, 26), d.summary());
    }
    let total: i64 = rows.iter().map(|(d, _)| d.amount_pence).sum();
    let aided: i64 = rows
        .iter()
        .filter(|(d, _)| d.gift_aid)
        .map(|(d, _)| d.amount_pence)
        .sum();
    say!(
        "{} donations, {} in all; Gift Aid on {}.",
        rows.len(),
        crate::domain::money::pounds(total),
        crate::domain::money::pounds(aided)
    );
    Ok(())
}

/// `dutydesk groups [--json]`: the support groups, for the roles that run them.
pub(super) fn groups(dir: &DataDir, user: Option<&str>, json: bool) -> Res {
    let store = unlock(dir, user)?;
    if !store.runs_groups() {
        return Err(CliError::new(
            "Your role does not run support groups: the roles that receive people's services do, and the data protection lead.".into(),
        ));
    }
    let groups = store.groups()?;
    if json {
        return output::json(&groups);
    }
    if groups.is_empty() {
        say!("No support groups yet.");
    }
    for g in &groups {
        let state = match g.closed_on {
            Some(c) => format!("closed {}", c.format("%d/%m/%Y")),
            None => format!("{} now", g.members),
        };
        say!(
            "{:>4}  {:<30} {:<13} {:<40} {state}",
            g.id,
            truncate(&g.name, 30),
            g.format.label(),
            truncate(&g.meets, 40)
        );
    }
    Ok(())
}

/// `dutydesk log PERSON --kind KIND [--note TEXT]`: a call, email, letter or visit, as the
/// terminal logs one (a note that reads like health details is refused here: the terminal
/// offers it to the health notes, with the roles that may see them).
pub(super) fn log(dir: &DataDir, user: Option<&str>, person: i64, kind: &str, note: &str) -> Res {
    let kind = ContactKind::parse(kind)?;
    let mut store = unlock(dir, user)?;
    if crate::domain::health_words::health_word(note, &store.profile().special_category.words).is_some() {
        return Err(CliError::new(
            "The note reads like health details: record it as a health note in the terminal, where only the roles given health data see it, or leave the health out.".into(),
        ));
    }
    let brought_forward = store.log_contact(person, kind, note)?;
    say!("Logged: {} with #{person}.", kind.label().to_lowercase());
    if brought_forward {
        say!("Their Article 14 notice is now due today: this was the first communication with them.");
    }
    Ok(())
}

/// `dutydesk callback PERSON --by WHEN --about TEXT`: a promise to call back, on the
/// handover until done.
pub(super) fn callback(dir: &DataDir, user: Option<&str>, person: i64, by: &str, about: &str) -> Res {
    let mut store = unlock(dir, user)?;
    let at = crate::domain::when::parse_when(by, store.clock().now())?;
    let id = store.add_callback(person, about, at)?;
    say!("Callback {id}: by {}.", at.format("%d/%m/%Y %H:%M"));
    Ok(())
}
