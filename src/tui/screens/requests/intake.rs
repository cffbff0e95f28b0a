//! Recording a rights request (from a person, or by searching from the queue), and the
//! rectification form a rectification request opens.

use super::{date_field, date_of, open_request};
use crate::domain::rights::{Channel, RequestKind};
use crate::domain::validate;
use crate::store::requests::RequestIntake;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screens::form_popup::{field_error, value, FormPopup};
use crate::tui::screens::person_form::PersonFormScreen;
use crate::tui::widgets::form::{Field, Form};

const THEMSELVES: &str = "the person themselves";
const FOR_THEM: &str = "someone acting for them";
/// The authorities a person acting for someone may hold.
const AUTHORITIES: &[&str] = &[
    "lasting power of attorney",
    "deputyship (Court of Protection)",
    "their written consent",
    "parent of a child",
    "other (say in the evidence)",
];

/// Someone acting for the person: on file by number, or by name; their authority and the
/// evidence seen (required). `None` when the person made the request themselves.
type Agent = Option<(Option<i64>, Option<String>, String)>;

fn agent_of(form: &Form) -> Result<Agent, (String, String)> {
    if value(form, "by") != FOR_THEM {
        return Ok(None);
    }
    let number = match value(form, "agent_no").trim().trim_start_matches('#') {
        "" => None,
        n => Some(
            n.parse::<i64>()
                .map_err(|_| field_error("agent_no", format!("\"{n}\" is not a person's number.")))?,
        ),
    };
    let name = Some(value(form, "agent_name")).filter(|n| !n.trim().is_empty());
    if number.is_none() && name.is_none() {
        return Err(field_error(
            "agent_no",
            "Say who is acting for them: their number on file, or their name.",
        ));
    }
    let evidence = value(form, "evidence");
    if evidence.trim().is_empty() {
        return Err(field_error(
            "evidence",
            "Say what evidence of their authority was seen (for example \"LPA registered 2024, copy seen\").",
        ));
    }
    Ok(Some((
        number,
        name,
        format!("{}; evidence seen: {}", value(form, "authority"), evidence.trim()),
    )))
}

/// The intake form for a request by (or for) `person`.
pub fn intake_popup(store: &Store, person: i64) -> Cmd {
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
    let kinds: Vec<&str> = RequestKind::ALL.iter().map(|k| k.label()).collect();
    let form = Form::new("Rights request")
        .with(Field::pick("kinds", "Kinds", &kinds, &[]))
        .with(Field::choice("channel", "How it came", &channels, channels[0]))
        .with(date_field("received", "Received on", store))
        .with(Field::text("words", "In their words", "").max_chars(validate::MAX_NOTE))
        .with(Field::choice("by", "Made by", &[THEMSELVES, FOR_THEM], THEMSELVES))
        .with(Field::text("agent_no", "Agent's number", "").max_chars(12))
        .with(Field::text("agent_name", "Or the agent's name", "").max_chars(validate::MAX_NAME))
        .with(Field::choice(
            "authority",
            "Their authority",
            AUTHORITIES,
            AUTHORITIES[0],
        ))
        .with(Field::text("evidence", "Evidence seen", "").max_chars(validate::MAX_LINE));
    let mut intro = vec!["Tick every right the request exercises.".to_string()];
    match store.requests_in_last_12_months(person) {
        Ok(earlier) if !earlier.is_empty() => {
            intro.push(format!(
                "This person made {} other request(s) in the last 12 months (a hint only; repetition is never an automatic refusal):",
                earlier.len()
            ));
            for e in earlier.iter().take(3) {
                let k = e.kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ");
                intro.push(format!("  #{} {k} received {}", e.id, e.received_on.format("%d/%m/%Y")));
            }
        }
        _ => {}
    }
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let kinds: Vec<RequestKind> = form
                .picked("kinds")
                .iter()
                .filter_map(|label| RequestKind::ALL.iter().copied().find(|k| k.label() == label))
                .collect();
            if kinds.is_empty() {
                return Err(field_error("kinds", "Tick at least one kind of request (space ticks)."));
            }
            let channel = Channel::ALL
                .iter()
                .copied()
                .find(|c| c.label() == value(form, "channel"));
            let agent = agent_of(form)?;
            let intake = RequestIntake {
                person_id: Some(person),
                agent_id: agent.as_ref().and_then(|a| a.0),
                agent_name: agent.as_ref().and_then(|a| a.1.clone()),
                agent_authority: agent.as_ref().map(|a| a.2.clone()),
                kinds,
                channel,
                received_on: Some(date_of(form, "received")?),
                words: value(form, "words"),
            };
            let id = store.record_request(&intake).map_err(|e| field_error("kinds", e))?;
            Ok(Cmd::Many(vec![
                Cmd::Info(format!(
                    "Request #{id} recorded; its deadline is on the Requests screen."
                )),
                open_request(store, id),
            ]))
        }),
    ))
}

/// The rectification form: the person's record, saved through the request so before and after
/// are kept with it.
pub fn rectify_view(store: &Store, request: i64, person: i64) -> Cmd {
    match PersonFormScreen::rectify(store, request, person) {
        Ok(f) => Cmd::push(f),
        Err(e) => Cmd::Error(e),
    }
}
