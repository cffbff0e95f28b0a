//! Enquiries from the terminal. `I` on the handover takes an enquiry from someone new (their
//! name and how to reach them, how they asked, what about, the answer if given there and
//! then), filing them in the profile's enquirer category where it has one; `I` on a person
//! records one from them. An unanswered enquiry waits on the handover, where `x` (or Enter on
//! it on their screen) records the answer.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::person::PersonForm;
use crate::domain::EnquiryChannel;
use crate::domain::{validate, Category};
use crate::store::enquiries::EnquiryInput;
use crate::store::referrals::PartyRef;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

fn channels() -> Vec<&'static str> {
    EnquiryChannel::ALL.iter().map(|c| c.label()).collect()
}

fn channel_of(form: &Form) -> EnquiryChannel {
    let v = value(form, "channel");
    EnquiryChannel::ALL
        .iter()
        .copied()
        .find(|c| c.label() == v)
        .unwrap_or(EnquiryChannel::Phone)
}

fn today(store: &Store) -> String {
    store.clock().today().format("%d/%m/%Y").to_string()
}

/// The enquiry's own fields, after who made it: how they asked, when, what about, and the
/// answer if it was given there and then.
fn with_enquiry_fields(form: Form, store: &Store) -> Form {
    form.with(Field::choice(
        "channel",
        "How they asked",
        &channels(),
        EnquiryChannel::Phone.label(),
    ))
    .with(Field::text("on", "Received", &today(store)).max_chars(10))
    .with(Field::text("about", "About", "").max_chars(validate::MAX_LINE))
    .with(Field::text("answer", "Answered with", "").max_chars(validate::MAX_NOTE))
}

/// The categories a new enquirer may be filed in: the profile's enquirer category first when
/// it has one, then the others whose correspondence the acting user receives.
fn enquirer_categories(store: &Store) -> Vec<Category> {
    let mut cats: Vec<Category> = store
        .profile()
        .category_keys()
        .into_iter()
        .filter(|c| store.takes_enquiries_from(&[*c]))
        .collect();
    cats.sort_by_key(|c| *c != Category::Enquirer);
    cats
}

/// `I` on the handover: an enquiry from someone not yet on file.
pub fn record_popup(store: &Store) -> Cmd {
    let cats = enquirer_categories(store);
    if cats.is_empty() {
        return Cmd::Error(format!(
            "Your role does not take enquiries: ask one of {}.",
            store.profile().role_name(crate::domain::Role::DutyOfficer)
        ));
    }
    let labels: Vec<&str> = cats.iter().map(|c| store.profile().category_label(*c)).collect();
    let form = Form::new("Enquiry")
        .with(Field::text("given", "Given name", "").max_chars(validate::MAX_NAME))
        .with(Field::text("family", "Family name", "").max_chars(validate::MAX_NAME))
        .with(Field::text("phone", "Phone", "").max_chars(40))
        .with(Field::text("email", "Email", "").max_chars(254))
        .with(Field::choice("as", "Filed as", &labels, labels[0]));
    let form = with_enquiry_fields(form, store);
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "Someone new asks about our work or our support (if they may be on file, find them first and record it from their screen). Leave \"Answered with\" empty if it waits for an answer (it goes on the handover).".into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let category = cats
                .iter()
                .copied()
                .find(|c| store.profile().category_label(*c) == value(form, "as"))
                .unwrap_or(Category::Enquirer);
            let record = PersonForm {
                given_name: value(form, "given"),
                family_name: value(form, "family"),
                phones: value(form, "phone"),
                email: value(form, "email"),
                categories: vec![category],
                ..PersonForm::default()
            }
            .validate(store.clock().today())
            .map_err(|errors| match errors.first() {
                Some(e) => {
                    let field = match e.field {
                        "given_name" => "given",
                        "family_name" => "family",
                        "phones" => "phone",
                        other => other,
                    };
                    field_error(field, &e.message)
                }
                None => field_error("given", "Check the name and contact details."),
            })?;
            let received_on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let answer = value(form, "answer");
            let input = EnquiryInput {
                enquirer: PartyRef::New(record),
                channel: channel_of(form),
                received_on,
                about: value(form, "about"),
                answer: (!answer.trim().is_empty()).then_some(answer),
            };
            let (_, person) = store.record_enquiry(&input).map_err(|e| field_error("about", e))?;
            Ok(Cmd::Many(vec![
                Cmd::Info(if input.answer.is_some() {
                    "Enquiry recorded, with its answer.".into()
                } else {
                    "Enquiry recorded: it waits on the handover for an answer.".into()
                }),
                Cmd::OpenPerson(person),
            ]))
        }),
    ))
}

/// `I` on a person: an enquiry from them.
pub fn record_for_popup(store: &Store, person: i64, who: &str) -> Cmd {
    let form = with_enquiry_fields(Form::new("Enquiry"), store);
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "An enquiry from {who}. Leave \"Answered with\" empty if it waits for an answer (it goes on the handover)."
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let received_on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let answer = value(form, "answer");
            store
                .record_enquiry(&EnquiryInput {
                    enquirer: PartyRef::Existing(person),
                    channel: channel_of(form),
                    received_on,
                    about: value(form, "about"),
                    answer: (!answer.trim().is_empty()).then_some(answer),
                })
                .map_err(|e| field_error("about", e))?;
            Ok(Cmd::Info("Enquiry recorded.".into()))
        }),
    ))
}

/// `x` on an unanswered enquiry: how it was answered, and when.
pub fn answer_popup(store: &Store, id: i64) -> Cmd {
    let e = match store.enquiry(id) {
        Ok(e) => e,
        Err(e) => return Cmd::Error(e.to_string()),
    };
    let form = Form::new("Answer the enquiry")
        .with(Field::text("answer", "Answered with", "").max_chars(validate::MAX_NOTE))
        .with(Field::text("on", "Answered on", &today(store)).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!("The enquiry of {}.", e.summary())],
        Box::new(move |store: &mut Store, form: &Form| {
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .answer_enquiry(id, &value(form, "answer"), on)
                .map_err(|e| field_error("answer", e))?;
            Ok(Cmd::Info("Answer recorded.".into()))
        }),
    ))
}
