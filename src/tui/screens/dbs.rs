//! The DBS register from the keyboard, for the roles the profile gives criminal offence data:
//! `D` on a volunteer records a check (level, the roles it covers, the certificate number and
//! issue date, what it showed as the officer records it, the update service, the renewal
//! date); `x` on a DBS renewal in the handover opens the same form for the renewed check,
//! and on an application waiting for its certificate, the form for the check it became. `A`
//! records an application sent (it comes back on the handover after 30 days).

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::{validate, DbsLevel, DbsOutcome};
use crate::store::sensitive::DbsCheckInput;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

/// The roles a check covers: a picker over the profile's `check_roles` (with `roles` ticked),
/// or a line of text if the profile names none.
fn roles_field(store: &Store, roles: &[&str]) -> Field {
    let check_roles: Vec<&str> = store
        .profile()
        .criminal_offence
        .check_roles
        .iter()
        .map(String::as_str)
        .collect();
    if check_roles.is_empty() {
        Field::text("roles", "Roles covered", &roles.join(", ")).max_chars(validate::MAX_LINE)
    } else {
        Field::pick("roles", "Roles covered", &check_roles, roles)
    }
}

/// The level chosen in the form.
fn level_of(form: &Form) -> DbsLevel {
    DbsLevel::ALL
        .iter()
        .copied()
        .find(|l| l.label() == value(form, "level"))
        .unwrap_or(DbsLevel::Enhanced)
}

/// The roles ticked (or typed, comma-separated) in the form.
fn roles_of(form: &Form) -> Vec<String> {
    match form.picked("roles") {
        picked if !picked.is_empty() => picked,
        _ => value(form, "roles")
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
    }
}

/// The form for a new check on `person` (`who`), with `roles` ticked to start with (the
/// roles of the check being renewed).
pub fn record_popup(store: &Store, person: i64, who: &str, roles: &[&str]) -> Cmd {
    let rule = &store.profile().criminal_offence;
    let levels: Vec<&str> = DbsLevel::ALL.iter().map(|l| l.label()).collect();
    let outcomes: Vec<&str> = DbsOutcome::ALL.iter().map(|o| o.label()).collect();
    let roles_field = roles_field(store, roles);
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let form = Form::new("DBS check")
        .with(Field::choice("level", "Level", &levels, DbsLevel::Enhanced.label()))
        .with(roles_field)
        .with(Field::text("certificate", "Certificate no.", "").max_chars(20))
        .with(Field::text("issued", "Issued on", &today).max_chars(10))
        .with(Field::choice("outcome", "Outcome", &outcomes, outcomes[0]))
        .with(Field::text("decision", "Decision", "").max_chars(validate::MAX_LINE))
        .with(Field::yes_no("update", "Update service", false))
        .with(Field::text("renewal", "Renewal due", "").max_chars(10));
    let years = rule.renewal_years;
    Cmd::popup(FormPopup::new(
        form,
        vec![
            format!("A DBS check for {who}: its fact, level and outcome, never the certificate's content."),
            format!("If information was disclosed, record the decision made on it. Leave the renewal date empty for {years} years after issue."),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let level = level_of(form);
            let outcome = DbsOutcome::ALL
                .iter()
                .copied()
                .find(|o| o.label() == value(form, "outcome"))
                .unwrap_or(DbsOutcome::Clear);
            let roles = roles_of(form);
            let issue_date = validate::date(&value(form, "issued")).map_err(|e| field_error("issued", e.message))?;
            let renewal_due = match value(form, "renewal").trim() {
                "" => None,
                d => Some(validate::date(d).map_err(|e| field_error("renewal", e.message))?),
            };
            let input = DbsCheckInput {
                level,
                roles,
                certificate_number: value(form, "certificate"),
                issue_date,
                outcome,
                decision: value(form, "decision"),
                update_service: value(form, "update") == "Yes",
                renewal_due,
            };
            let field = |m: &str| {
                if m.contains("certificate") {
                    "certificate"
                } else if m.contains("role") {
                    "roles"
                } else if m.contains("decision") || m.contains("disclosed") {
                    "decision"
                } else {
                    "renewal"
                }
            };
            store.record_dbs_check(person, &input).map_err(|e| {
                let m = e.to_string();
                field_error(field(&m), m)
            })?;
            Ok(Cmd::Info("DBS check recorded.".into()))
        }),
    ))
}

/// `A`: a DBS application sent for `person` (`who`).
pub fn apply_popup(store: &Store, person: i64, who: &str) -> Cmd {
    let levels: Vec<&str> = DbsLevel::ALL.iter().map(|l| l.label()).collect();
    let roles_field = roles_field(store, &[]);
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let form = Form::new("DBS application")
        .with(Field::choice("level", "Level", &levels, DbsLevel::Enhanced.label()))
        .with(roles_field)
        .with(Field::text("applied", "Sent on", &today).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "A DBS application sent for {who}. It comes back on the handover if no certificate is recorded within 30 days."
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let level = level_of(form);
            let roles = roles_of(form);
            let applied = validate::date(&value(form, "applied")).map_err(|e| field_error("applied", e.message))?;
            store
                .apply_for_dbs(person, level, &roles, applied)
                .map_err(|e| field_error("roles", e))?;
            Ok(Cmd::Info("DBS application recorded.".into()))
        }),
    ))
}
