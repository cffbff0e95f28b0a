//! `x` on a retention review in the handover (the data protection lead's): keep the record
//! (why, and when to look again) or erase it (typing the family name to confirm, as every
//! erasure asks). The handover keeps its place, so the lead works down the reviews: decide,
//! next.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::validate;
use crate::store::Store;
use crate::tui::screen::{Cmd, Note};
use crate::tui::slow::SlowWork;
use crate::tui::widgets::form::{Field, Form};

const KEEP: &str = "Keep it";
const ERASE: &str = "Erase it";

/// The decision form for `person`'s review.
pub fn review_popup(store: &Store, person: i64) -> Cmd {
    let view = match store.person(person) {
        Ok(v) => v,
        Err(e) => return Cmd::Error(e.to_string()),
    };
    let who = view.name();
    let family = view.record.family_name.clone();
    let last = view
        .last_contact
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|| format!("none logged (details came {})", view.obtained_on.format("%d/%m/%Y")));
    let promise = store.profile().retention_for(&view.record.categories).promise();
    let next = super::months_ahead(store, 12);
    let form = Form::new("Retention review")
        .with(Field::choice("decision", "Decision", &[KEEP, ERASE], KEEP))
        .with(Field::text("reason", "Why kept", "").max_chars(validate::MAX_LINE))
        .with(Field::text("next", "Review again", &next).max_chars(10))
        .with(Field::text("family", "To erase, their family name", "").max_chars(80));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            format!("{who}: last contact {last}. The notice says: {promise}"),
            "Keep it with a reason (an open claim, a returning client) and a date to look again, or erase every record of them (Article 19 tasks for anyone their data went to; cannot be undone).".into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            if value(form, "decision") == KEEP {
                let next = validate::date(&value(form, "next")).map_err(|e| field_error("next", e.message))?;
                store
                    .keep_record(person, &value(form, "reason"), next)
                    .map_err(|e| field_error("reason", e))?;
                return Ok(Cmd::Info(format!(
                    "Kept; the review comes back on {}.",
                    next.format("%d/%m/%Y")
                )));
            }
            if !value(form, "family").trim().eq_ignore_ascii_case(family.trim()) {
                return Err(field_error("family", "That is not their family name: nothing was erased."));
            }
            Ok(Cmd::Slow(SlowWork {
                doing: format!("Erasing every record of {who}"),
                progress: None,
                work: Box::new(move |store: &mut Store| {
                    let result = store.erase_for_retention(person);
                    Box::new(move || match result {
                        Ok(report) => Cmd::Many(vec![
                            Cmd::Notify(Note::PersonErased(report.person_id)),
                            Cmd::Info(format!(
                                "Erased at review. {} recipient(s) to tell (Article 19) are on the handover.",
                                report.article19_tasks
                            )),
                        ]),
                        Err(e) => Cmd::Error(e.to_string()),
                    })
                }),
            }))
        }),
    ))
}
