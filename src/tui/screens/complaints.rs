//! Complaints from the keyboard. `C` on the handover records one as it arrives (who: a
//! person's number or a name; the request it concerns; how it came; when; what about). On the
//! data protection lead's handover it waits: `x` (or Enter) acknowledges it (the 30-day
//! clock), then records the investigation and the outcome sent.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::complaint::ComplaintChannel;
use crate::domain::validate;
use crate::store::complaints::ComplaintInput;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

fn channels() -> Vec<&'static str> {
    ComplaintChannel::ALL.iter().map(|c| c.label()).collect()
}

fn channel(form: &Form, id: &str) -> ComplaintChannel {
    let v = value(form, id);
    ComplaintChannel::ALL
        .iter()
        .copied()
        .find(|c| c.label() == v)
        .unwrap_or(ComplaintChannel::Letter)
}

fn number(form: &Form, id: &str) -> Result<Option<i64>, (String, String)> {
    match value(form, id).trim().trim_start_matches('#') {
        "" => Ok(None),
        n => n.parse().map(Some).map_err(|_| {
            field_error(
                id,
                format!("\"{n}\" is not a number: type it as on the record, for example 12."),
            )
        }),
    }
}

/// `C` on the handover: record a complaint.
pub fn record_popup(store: &Store) -> Cmd {
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let channels = channels();
    let form = Form::new("Complaint")
        .with(Field::text("person", "Person's number", "").max_chars(12))
        .with(Field::text("name", "Or their name", "").max_chars(validate::MAX_NAME))
        .with(Field::text("request", "Request number", "").max_chars(12))
        .with(Field::choice("channel", "How it came", &channels, channels[0]))
        .with(Field::text("received", "Received on", &today).max_chars(10))
        .with(Field::text("about", "What about", "").max_chars(validate::MAX_NOTE));
    Cmd::popup(FormPopup::new(
        form,
        vec!["A complaint about how we use someone's data: it must be acknowledged within 30 days (counting the day it came) and answered without undue delay.".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let input = ComplaintInput {
                person: number(form, "person")?,
                complainant: value(form, "name"),
                request: number(form, "request")?,
                channel: channel(form, "channel"),
                received_on: validate::date(&value(form, "received")).map_err(|e| field_error("received", e.message))?,
                about: value(form, "about"),
            };
            let id = store.record_complaint(&input).map_err(|e| {
                let m = e.to_string();
                let field = if m.contains("who is complaining") || m.contains("person") {
                    "person"
                } else if m.contains("request") {
                    "request"
                } else if m.contains("received") {
                    "received"
                } else {
                    "about"
                };
                field_error(field, e)
            })?;
            Ok(Cmd::Info(format!(
                "Complaint #{id} recorded: acknowledge it by {}.",
                crate::domain::complaint::acknowledge_by(input.received_on).format("%d/%m/%Y")
            )))
        }),
    ))
}

/// `x` or Enter on a complaint in the lead's handover: acknowledge it, or close it.
pub fn step_popup(store: &Store, id: i64) -> Cmd {
    let c = match store.complaint(id) {
        Ok(c) => c,
        Err(e) => return Cmd::Error(e.to_string()),
    };
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let channels = channels();
    let summary = format!(
        "Complaint #{id} from {}, received {}: {}",
        c.who,
        c.received_on.format("%d/%m/%Y"),
        c.about
    );
    let folder = crate::export::folder::suggested(store, &format!("complaint-{id}"));
    if c.acknowledged_on.is_none() {
        let form = Form::new("Acknowledge the complaint")
            .with(Field::choice("how", "Sent", &channels, channels[0]))
            .with(Field::text("on", "On", &today).max_chars(10))
            .with(Field::text("folder", "Letter into", &folder).max_chars(400));
        return Cmd::popup(FormPopup::new(
            form,
            vec![
                summary,
                format!(
                    "Acknowledge it by {}: say it has arrived, who is looking into it, and when to expect an answer.",
                    c.acknowledge_by.format("%d/%m/%Y")
                ),
            ],
            Box::new(move |store: &mut Store, form: &Form| {
                let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
                let dir =
                    crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
                store
                    .acknowledge_complaint(id, on, channel(form, "how"))
                    .map_err(|e| field_error("on", e))?;
                let letter = crate::export::complaint_letters::write_complaint_letter(
                    store,
                    id,
                    crate::export::complaint_letters::ComplaintLetter::Acknowledgement,
                    &dir,
                )
                .map_err(|e| field_error("folder", e))?;
                Ok(Cmd::Info(format!(
                    "Complaint #{id} acknowledged; the letter is {}.",
                    letter.display()
                )))
            }),
        ));
    }
    let form = Form::new("Answer the complaint")
        .with(Field::text("investigation", "What we looked at", "").max_chars(validate::MAX_NOTE))
        .with(Field::text("outcome", "Outcome", "").max_chars(validate::MAX_NOTE))
        .with(Field::choice("how", "Sent", &channels, channels[0]))
        .with(Field::text("on", "On", &today).max_chars(10))
        .with(Field::text("folder", "Letter into", &folder).max_chars(400));
    let authority = store.profile().supervisory_authority.name.clone();
    Cmd::popup(FormPopup::new(
        form,
        vec![summary, format!("Tell them what was found and done, and that they may complain to the {authority} if they are not satisfied.")],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let dir = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
            store
                .close_complaint(id, &value(form, "investigation"), &value(form, "outcome"), on, channel(form, "how"))
                .map_err(|e| {
                    let field = if e.to_string().contains("investigation") { "investigation" } else { "outcome" };
                    field_error(field, e)
                })?;
            let letter = crate::export::complaint_letters::write_complaint_letter(
                store,
                id,
                crate::export::complaint_letters::ComplaintLetter::Outcome,
                &dir,
            )
            .map_err(|e| field_error("folder", e))?;
            Ok(Cmd::Info(format!("Complaint #{id} answered and closed; the letter is {}.", letter.display())))
        }),
    ))
}
