//! Services from the person screen. `v` records one: on a client's screen, which service,
//! where it stands (requested, arranged, done, cancelled), the day, which of their volunteers
//! and a short note; on a volunteer's screen, the same for one of the clients they are
//! assigned to. Enter on a service changes its status, day, volunteer or note. Assigning a
//! volunteer (`r`, "Assign a volunteer") asks what for, from the profile's services.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::{validate, Category, RelationKind, ServiceStatus};
use crate::store::people::PersonView;
use crate::store::services::{ServiceEntry, ServiceInput};
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

const NOBODY: &str = "Nobody yet";

/// People to choose from (id, label): labels are unique, so a choice maps back to one id.
fn labelled(people: Vec<(i64, String)>) -> Vec<(i64, String)> {
    let names: Vec<String> = people.iter().map(|(_, n)| n.clone()).collect();
    people
        .into_iter()
        .map(|(id, n)| {
            let twice = names.iter().filter(|m| **m == n).count() > 1;
            (id, if twice { format!("{n} (#{id})") } else { n })
        })
        .collect()
}

/// The other side of `view`'s assignments: the client's volunteers (`as_client`), or the
/// volunteer's clients.
fn assigned(view: &PersonView, as_client: bool) -> Vec<(i64, String)> {
    labelled(
        view.relationships
            .iter()
            .filter(|r| r.kind == RelationKind::AssignedVolunteer && r.inverse != as_client)
            .map(|r| (r.other_id, r.other_name.clone()))
            .collect(),
    )
}

fn status_labels() -> Vec<&'static str> {
    ServiceStatus::ALL.iter().map(|s| s.label()).collect()
}

fn status_of(form: &Form) -> ServiceStatus {
    let v = value(form, "status");
    ServiceStatus::ALL
        .iter()
        .copied()
        .find(|s| s.label() == v)
        .unwrap_or(ServiceStatus::Done)
}

fn id_of(options: &[(i64, String)], label: &str) -> Option<i64> {
    options.iter().find(|(_, l)| l == label).map(|(id, _)| *id)
}

/// `v` on a person: a new service for this client, or given by this volunteer.
pub fn record_popup(store: &Store, view: &PersonView) -> Cmd {
    let services: Vec<&str> = store.profile().services.iter().map(String::as_str).collect();
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let who = view.name();
    let is_client = view.record.categories.contains(&Category::Client);
    let (other_label, others, intro) = if is_client {
        (
            "Volunteer",
            assigned(view, true),
            format!("A service for {who}: asked for, arranged with one of their volunteers, done, or called off."),
        )
    } else {
        let clients = assigned(view, false);
        if clients.is_empty() {
            return Cmd::Error(format!(
                "{who} is not a client, and gives no client a service yet: assign them to a client first (r)."
            ));
        }
        (
            "Client",
            clients,
            format!("A service {who} gives one of their clients."),
        )
    };
    let mut labels: Vec<&str> = others.iter().map(|(_, l)| l.as_str()).collect();
    if is_client {
        labels.insert(0, NOBODY);
    }
    let first = labels
        .get(usize::from(is_client && labels.len() > 1))
        .copied()
        .unwrap_or(NOBODY);
    let form = Form::new("Service")
        .with(Field::choice(
            "service",
            "Service",
            &services,
            services.first().copied().unwrap_or(""),
        ))
        .with(Field::choice(
            "status",
            "Where it stands",
            &status_labels(),
            ServiceStatus::Done.label(),
        ))
        .with(Field::text("on", "Day (for, or given)", &today).max_chars(10))
        .with(Field::choice("other", other_label, &labels, first))
        .with(Field::text("note", "Note", "").max_chars(validate::MAX_LINE));
    let me = view.id;
    Cmd::popup(FormPopup::new(
        form,
        vec![intro],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let other = id_of(&others, &value(form, "other"));
            let (client, volunteer) = if is_client {
                (me, other)
            } else {
                (
                    other.ok_or_else(|| field_error("other", "Choose the client."))?,
                    Some(me),
                )
            };
            let input = ServiceInput {
                service: value(form, "service"),
                status: status_of(form),
                on,
                volunteer,
                note: value(form, "note"),
            };
            store
                .record_service(client, &input)
                .map_err(|e| field_error(if volunteer.is_some() { "other" } else { "service" }, e))?;
            Ok(Cmd::Info(format!(
                "Service recorded: {} {}.",
                input.service,
                input.status.label().to_lowercase()
            )))
        }),
    ))
}

/// Enter on a service: change where it stands, its day, volunteer or note.
pub fn change_popup(store: &Store, view: &PersonView, entry: &ServiceEntry) -> Cmd {
    let client_view = if entry.given {
        match store.person(entry.client_id) {
            Ok(v) => v,
            Err(e) => return Cmd::Error(e.to_string()),
        }
    } else {
        view.clone()
    };
    let volunteers = assigned(&client_view, true);
    let mut labels: Vec<&str> = volunteers.iter().map(|(_, l)| l.as_str()).collect();
    labels.insert(0, NOBODY);
    let current = entry
        .volunteer_id
        .and_then(|v| volunteers.iter().find(|(id, _)| *id == v))
        .map(|(_, l)| l.as_str())
        .unwrap_or(NOBODY);
    let form = Form::new("Service")
        .with(Field::choice(
            "status",
            "Where it stands",
            &status_labels(),
            entry.status.label(),
        ))
        .with(
            Field::text(
                "on",
                "Day (for, or given)",
                &entry.delivered_on.format("%d/%m/%Y").to_string(),
            )
            .max_chars(10),
        )
        .with(Field::choice("other", "Volunteer", &labels, current))
        .with(Field::text("note", "Note", entry.note.as_deref().unwrap_or("")).max_chars(validate::MAX_LINE));
    let (id, service) = (entry.id, entry.service.clone());
    // A volunteer no longer assigned (or not visible) stays on the service unless changed.
    let kept = entry.volunteer_id.filter(|v| !volunteers.iter().any(|(id, _)| id == v));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "{} for {}, {}: where it stands now, the day, who gives it.",
            crate::tui::screens::capitalised(&service),
            client_view.name(),
            entry.delivered_on.format("%d/%m/%Y")
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let chosen = value(form, "other");
            let volunteer = id_of(&volunteers, &chosen).or(if chosen == NOBODY { kept } else { None });
            let input = ServiceInput {
                service: service.clone(),
                status: status_of(form),
                on,
                volunteer,
                note: value(form, "note"),
            };
            store.change_service(id, &input).map_err(|e| field_error("status", e))?;
            Ok(Cmd::Info(format!(
                "Service changed: {} {}.",
                input.service,
                input.status.label().to_lowercase()
            )))
        }),
    ))
}

/// After picking the volunteer for "Assign a volunteer": what they are assigned for.
pub fn assign_popup(store: &Store, client: i64, volunteer: i64, volunteer_name: &str) -> Cmd {
    let services: Vec<&str> = store.profile().services.iter().map(String::as_str).collect();
    let form = Form::new("Assign a volunteer").with(Field::pick("services", "Assigned for", &services, &[]));
    Cmd::popup(FormPopup::new(
        form,
        vec![if store.profile().criminal_offence.service_checks.is_empty() {
            format!("What is {volunteer_name} assigned for?")
        } else {
            format!("What is {volunteer_name} assigned for? A service that needs a DBS check needs one on file for that role.")
        }],
        Box::new(move |store: &mut Store, form: &Form| {
            let chosen = form.picked("services");
            store
                .assign_volunteer_for(client, volunteer, &chosen)
                .map_err(|e| field_error("services", e))?;
            Ok(Cmd::Info(format!("Volunteer assigned for {}.", chosen.join(", "))))
        }),
    ))
}
