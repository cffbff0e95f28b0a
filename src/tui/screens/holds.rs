//! Legal holds from the keyboard (the data protection lead's): `L` on a person places one (why,
//! a reference, when to review it); Enter on a standing hold on the person screen, or `x` on a
//! hold review in the handover, keeps it with a new review date or lifts it with a note.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::{validate, HoldKind};
use crate::store::holds::HoldDecision;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};

const KEEP: &str = "Keep it: review again on the date below";
const LIFT: &str = "Lift it: the reason has gone";

/// Holds are looked at again every six months unless the lead says otherwise.
fn in_six_months(store: &Store) -> String {
    super::months_ahead(store, 6)
}

/// `L`: place a hold on `person` (`who` names them, with what tells them apart).
pub fn place_popup(store: &Store, person: i64, who: &str) -> Cmd {
    let kinds: Vec<&str> = HoldKind::ALL.iter().map(|k| k.label()).collect();
    let form = Form::new("Legal hold")
        .with(Field::choice("kind", "Why", &kinds, kinds[0]))
        .with(Field::text("reference", "Reference", "").max_chars(validate::MAX_LINE))
        .with(Field::text("review", "Review on", &in_six_months(store)).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            format!("Keep every record of {who} past the retention period, and refuse their erasure, while this stands."),
            "The reference is the claim's or the case's (no personal details). The hold comes back on your handover on the review date.".into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let kind = HoldKind::ALL
                .iter()
                .copied()
                .find(|k| k.label() == value(form, "kind"))
                .ok_or_else(|| field_error("kind", "Choose why the data must be kept."))?;
            let review = validate::date(&value(form, "review")).map_err(|e| field_error("review", e.message))?;
            store
                .place_hold(person, kind, &value(form, "reference"), review)
                .map_err(|e| field_error("review", e))?;
            Ok(Cmd::Info(
                "Legal hold placed: retention is suspended and an erasure would be refused.".into(),
            ))
        }),
    ))
}

/// Keep or lift a standing hold.
pub fn review_popup(store: &Store, hold: i64) -> Cmd {
    let h = match store.hold(hold) {
        Ok(h) => h,
        Err(e) => return Cmd::Error(e.to_string()),
    };
    let form = Form::new("Review the legal hold")
        .with(Field::choice("decision", "Decision", &[KEEP, LIFT], KEEP))
        .with(Field::text("review", "Next review", &in_six_months(store)).max_chars(10))
        .with(Field::text("note", "Why lifted", "").max_chars(validate::MAX_LINE));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            format!("Legal hold on {}: {}.", h.person_name, h.reason),
            format!(
                "Placed {}{}.",
                h.placed_on.format("%d/%m/%Y"),
                h.review_on
                    .map(|d| format!(", review due {}", d.format("%d/%m/%Y")))
                    .unwrap_or_default()
            ),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let decision = if value(form, "decision") == LIFT {
                HoldDecision::Lift {
                    note: value(form, "note"),
                }
            } else {
                HoldDecision::Keep {
                    next_review: validate::date(&value(form, "review"))
                        .map_err(|e| field_error("review", e.message))?,
                }
            };
            let field = if matches!(decision, HoldDecision::Lift { .. }) {
                "note"
            } else {
                "review"
            };
            store.review_hold(hold, &decision).map_err(|e| field_error(field, e))?;
            Ok(Cmd::Info(match decision {
                HoldDecision::Keep { .. } => "The hold stands; it comes back on the new review date.".into(),
                HoldDecision::Lift { .. } => {
                    "Hold lifted: the retention period applies again, and an erasure is possible.".into()
                }
            }))
        }),
    ))
}
