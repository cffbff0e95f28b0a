//! The breach log from the keyboard. `!` on the handover records a breach the moment someone
//! knows of it: what happened, when, when we became aware (the 72 hours start then), who is
//! affected and what kinds of data, the likely consequences and what was done. On the data
//! protection lead's handover the breach waits, red once the 72 hours run out; `x` (or Enter)
//! takes its next step: judge the risk with reasons, then record the report to the ICO.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::breach::BreachRisk;
use crate::domain::{validate, FieldGroup};
use crate::store::breaches::BreachInput;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::{Field, Form};
use chrono::{NaiveDateTime, NaiveTime};

const EVERYONE: &str = "everyone on the case file";
const NAMED: &str = "the people numbered below";

/// "25/11/2026 14:30" (or a date alone, read as midnight).
fn when(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    let (date, time) = s.split_once(' ').unwrap_or((s, ""));
    let date = validate::date(date).map_err(|e| e.message)?;
    let time = match time.trim() {
        "" => NaiveTime::MIN,
        t => NaiveTime::parse_from_str(t, "%H:%M")
            .map_err(|_| format!("\"{t}\" is not a time: type it as HH:MM, for example 14:30."))?,
    };
    Ok(date.and_time(time))
}

/// `!` on the handover: record a breach.
pub fn record_popup(store: &Store) -> Cmd {
    let now = store.clock().now().format("%d/%m/%Y %H:%M").to_string();
    // Only the kinds of data the charity holds at all.
    let groups: Vec<&str> = FieldGroup::ALL
        .iter()
        .filter(|g| store.profile().categories.iter().any(|c| c.collects(**g)))
        .map(|g| store.profile().field_label(*g))
        .collect();
    let form = Form::new("Data breach")
        .with(Field::text("what", "What happened", "").max_chars(validate::MAX_NOTE))
        .with(Field::text("happened", "When it happened", "").max_chars(16))
        .with(Field::text("aware", "When we knew", &now).max_chars(16))
        .with(Field::choice("who", "Who is affected", &[EVERYONE, NAMED], EVERYONE))
        .with(Field::text("ids", "Person numbers", "").max_chars(validate::MAX_LINE))
        .with(Field::pick("groups", "Kinds of data", &groups, &[]))
        .with(Field::text("consequences", "Likely consequences", "").max_chars(validate::MAX_NOTE))
        .with(Field::text("measures", "What we have done", "").max_chars(validate::MAX_NOTE));
    Cmd::popup(FormPopup::new(
        form,
        vec!["Record it now: the ICO must hear within 72 hours of our becoming aware, unless the risk is unlikely. Times as DD/MM/YYYY HH:MM. Person numbers are on each person's record (#12).".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let happened = match value(form, "happened").trim() {
                "" => None,
                t => Some(when(t).map_err(|e| field_error("happened", e))?),
            };
            let aware = when(&value(form, "aware")).map_err(|e| field_error("aware", e))?;
            let everyone = value(form, "who") == EVERYONE;
            let mut people = Vec::new();
            for part in value(form, "ids").split([',', ' ']).filter(|p| !p.trim().is_empty()) {
                let n = part.trim().trim_start_matches('#');
                people.push(n.parse::<i64>().map_err(|_| {
                    field_error("ids", format!("\"{n}\" is not a person's number: type numbers like 12, 40."))
                })?);
            }
            let picked = form.picked("groups");
            let data_groups: Vec<FieldGroup> =
                FieldGroup::ALL
                    .iter()
                    .copied()
                    .filter(|g| picked.iter().any(|p| p == store.profile().field_label(*g)))
                    .collect();
            let input = BreachInput {
                what: value(form, "what"),
                happened_at: happened,
                aware_at: aware,
                everyone,
                people,
                data_groups,
                consequences: value(form, "consequences"),
                measures: value(form, "measures"),
            };
            let id = store.record_breach(&input).map_err(|e| {
                let m = e.to_string();
                let field = if m.contains("kinds of data") {
                    "groups"
                } else if m.contains("who is affected") || m.contains("person") {
                    "ids"
                } else if m.contains("times") || m.contains("happened after") {
                    "aware"
                } else if m.contains("consequences") {
                    "consequences"
                } else if m.contains("measures") {
                    "measures"
                } else {
                    "what"
                };
                field_error(field, e)
            })?;
            Ok(Cmd::Info(format!(
                "Breach #{id} recorded. The data protection lead decides on reporting it by {}.",
                crate::domain::breach::report_due(aware).format("%d/%m/%Y %H:%M")
            )))
        }),
    ))
}

/// `x` or Enter on a breach in the lead's handover: its next step.
pub fn step_popup(store: &Store, id: i64) -> Cmd {
    let b = match store.breach(id) {
        Ok(b) => b,
        Err(e) => return Cmd::Error(e.to_string()),
    };
    let summary = format!(
        "Breach #{id}: {}. Became aware {}; report due {}. Consequences: {} Done: {}",
        b.what.trim_end_matches('.'),
        b.aware_at.format("%d/%m/%Y %H:%M"),
        b.report_due.format("%d/%m/%Y %H:%M"),
        b.consequences,
        b.measures
    );
    if b.risk.is_none() {
        let risks: Vec<&str> = BreachRisk::ALL.iter().map(|r| r.label()).collect();
        let folder = crate::export::folder::suggested(store, &format!("breach-{id}"));
        let form = Form::new("Decide on the breach")
            .with(Field::choice("risk", "Risk", &risks, BreachRisk::Risk.label()))
            .with(Field::text("reasons", "Reasons", "").max_chars(validate::MAX_NOTE))
            .with(Field::text("folder", "If high: letters into", &folder).max_chars(400));
        return Cmd::popup(FormPopup::new(
            form,
            vec![
                summary,
                "Judge the likelihood and severity of the risk to the people affected: who they are, what the data is, whether it was encrypted, what has been done since.".into(),
            ],
            Box::new(move |store: &mut Store, form: &Form| {
                let risk = BreachRisk::ALL
                    .iter()
                    .copied()
                    .find(|r| r.label() == value(form, "risk"))
                    .unwrap_or(BreachRisk::Risk);
                let dir = crate::export::folder::expand(&value(form, "folder")).map_err(|e| field_error("folder", e))?;
                if risk == BreachRisk::High {
                    // Make sure the letters can be written before the decision is recorded.
                    crate::export::pack::make_dir(&dir).map_err(|e| field_error("folder", e))?;
                }
                store
                    .decide_breach(id, risk, &value(form, "reasons"))
                    .map_err(|e| field_error("reasons", e))?;
                if risk == BreachRisk::High {
                    // The letters to the people affected (Article 34), written at once.
                    let n = crate::export::breach_letters::write_breach_letters(store, id, &dir)
                        .map_err(|e| field_error("folder", e))?;
                    return Ok(Cmd::Info(format!(
                        "Breach #{id}: report it to the ICO; {n} letter(s) to the people affected are in {} (a task to send them is on the handover).",
                        dir.display()
                    )));
                }
                Ok(Cmd::Info(match risk {
                    BreachRisk::Unlikely => format!("Breach #{id} decided: no report; the log keeps why."),
                    BreachRisk::Risk => format!("Breach #{id}: report it to the ICO (ico.org.uk, 0303 123 1113), then record the reference here."),
                    BreachRisk::High => format!("Breach #{id}: report it to the ICO, and tell the people affected (a task is on the handover)."),
                }))
            }),
        ));
    }
    let now = store.clock().now().format("%d/%m/%Y %H:%M").to_string();
    let form = Form::new("Reported to the ICO")
        .with(Field::text("at", "Reported at", &now).max_chars(16))
        .with(Field::text("reference", "ICO reference", "").max_chars(validate::MAX_LINE));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            summary,
            "Report on the ICO's website or by phone (0303 123 1113), then record when and their reference.".into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let at = when(&value(form, "at")).map_err(|e| field_error("at", e))?;
            store
                .breach_reported(id, at, &value(form, "reference"))
                .map_err(|e| field_error("reference", e))?;
            Ok(Cmd::Info(format!("Breach #{id}: the report to the ICO is recorded.")))
        }),
    ))
}
