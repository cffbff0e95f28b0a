//! The decisions that need a yes first, each as the confirmation that carries it: what is
//! asked, and what the store is told to do if the answer is yes. Screens return these; only a
//! confirmation popup ever runs them.

use crate::domain::consent::ConsentMethod;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screen::Note;

/// Who a person is, as a confirmation names them: their name and what the acting user may see
/// that tells them apart from someone of the same name (date of birth, postcode, the end of a
/// phone number). "this person" if they cannot be read.
pub fn identify(store: &Store, person: i64) -> String {
    let Ok(p) = store.person(person) else {
        return "this person".into();
    };
    let r = &p.record;
    let mut marks = Vec::new();
    if let Some(d) = r
        .date_of_birth
        .filter(|_| p.sees(crate::domain::FieldGroup::DateOfBirth))
    {
        marks.push(format!("born {}", d.format("%d/%m/%Y")));
    }
    if let Some(pc) = r
        .postcode
        .as_ref()
        .filter(|_| p.sees(crate::domain::FieldGroup::Address))
    {
        marks.push(pc.clone());
    }
    if let Some(ph) = r.phones.first().filter(|_| p.sees(crate::domain::FieldGroup::Phone)) {
        let digits: String = ph.chars().filter(char::is_ascii_digit).collect();
        marks.push(format!("phone …{}", &digits[digits.len().saturating_sub(4)..]));
    }
    if marks.is_empty() {
        p.name()
    } else {
        format!("{} ({})", p.name(), marks.join(", "))
    }
}

/// After a change: reload the screens and say what happened; or say why it did not.
fn outcome<T>(result: crate::store::Result<T>, done: impl FnOnce(T) -> Cmd) -> Cmd {
    match result {
        Ok(v) => Cmd::Many(vec![Cmd::Refresh, done(v)]),
        Err(e) => Cmd::Error(e.to_string()),
    }
}

/// Marks a callback done, asking first with `message` (which names the person); `after` is
/// carried out only if it was marked done.
pub fn complete_callback(id: i64, message: String, after: Cmd) -> Cmd {
    Cmd::confirm("Callback done?", message, move |store: &mut Store| {
        outcome(store.complete_callback(id), |()| {
            Cmd::Many(vec![Cmd::Info("Callback marked done.".into()), after])
        })
    })
}

/// Marks a follow-up task (`what`, about `person`) done, asking first; `after` is carried out
/// only if it was marked done.
pub fn complete_task(id: i64, what: &str, person: &str, after: Cmd) -> Cmd {
    Cmd::confirm(
        "Task done?",
        format!("Mark \"{what}\" for {person} done?"),
        move |store: &mut Store| {
            outcome(store.complete_task(id, "done"), |()| {
                Cmd::Many(vec![Cmd::Info("Task marked done.".into()), after])
            })
        },
    )
}

pub fn unlink(id: i64, this: &str, name: &str) -> Cmd {
    Cmd::confirm(
        "Remove link?",
        format!("Remove the link between {this} and {name}? Neither person is deleted."),
        move |store: &mut Store| outcome(store.unlink(id), |()| Cmd::Info("Link removed.".into())),
    )
}

pub fn withdraw_consent(person: i64, purpose: String, how: ConsentMethod, message: String) -> Cmd {
    Cmd::confirm("Withdraw consent?", message, move |store: &mut Store| {
        let today = store.clock().today();
        outcome(store.withdraw_consent(person, &purpose, how, today), |_| {
            Cmd::Info("Consent withdrawn. A follow-up task is on the handover until it is done.".into())
        })
    })
}

pub fn id_not_needed(id: i64, message: String) -> Cmd {
    Cmd::confirm("No ID needed?", message, move |store: &mut Store| {
        outcome(store.id_not_needed(id), |()| {
            Cmd::Info("No proof of identity needed: the clock runs from receipt.".into())
        })
    })
}

pub fn restrict(id: i64, message: String) -> Cmd {
    Cmd::confirm("Restrict?", message, move |store: &mut Store| {
        outcome(store.restrict(id), |()| {
            Cmd::Info("Restricted: the record is hidden from everyone but the data protection lead.".into())
        })
    })
}

/// Erasing a person for good: the user types the person's family name to confirm, under a
/// line that names them (`who`) and says what goes.
pub fn erase(request: i64, who: String, family_name: String) -> Cmd {
    use crate::tui::screens::form_popup::{value, FormPopup};
    use crate::tui::widgets::form::{Field, Form};
    let form = Form::new("Erase for good?").with(Field::text("family", "Their family name", "").max_chars(80));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            format!("Erase every record of {who} from the case file?"),
            "Everything held about them goes, and cannot be brought back. Write the completion letter first: their address goes too.".into(),
            "To confirm, type their family name and save.".into(),
        ],
        Box::new(move |_: &mut Store, form: &crate::tui::widgets::form::Form| {
            let typed = value(form, "family");
            if !typed.trim().eq_ignore_ascii_case(family_name.trim()) {
                return Err((
                    "family".into(),
                    "That is not their family name: nothing was erased.".into(),
                ));
            }
            Ok(Cmd::Slow(crate::tui::slow::SlowWork {
                doing: format!("Erasing every record of {who}"),
                progress: None,
                work: Box::new(move |store: &mut Store| {
                    let result = store.erase(request);
                    Box::new(move || erased(result))
                }),
            }))
        }),
    ))
}

/// What the screens hear and the user is told when an erasure has run.
fn erased(result: crate::store::Result<crate::store::erase::ErasureReport>) -> Cmd {
    match result {
        Ok(report) => Cmd::Many(vec![
            Cmd::Notify(Note::PersonErased(report.person_id)),
            Cmd::Info(format!(
                "Erased. {} recipient(s) to tell (Article 19) are on the handover; close the request from its next steps once the completion letter has gone.{}",
                report.article19_tasks,
                if report.compacted {
                    ""
                } else {
                    " The file could not be compacted yet (is the disk full?): dutydesk retries at every open."
                }
            )),
        ]),
        Err(e) => Cmd::Error(e.to_string()),
    }
}

/// Leaving a form with typed input: asks, then closes the form (nothing is saved).
pub fn discard_form(title: &'static str, message: &str) -> Cmd {
    Cmd::confirm(title, message, |_: &mut Store| {
        Cmd::Many(vec![Cmd::Back, Cmd::Info("Changes discarded.".into())])
    })
}
