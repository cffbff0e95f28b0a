//! The decisions that need a yes first, each as the confirmation that carries it: what is
//! asked, and what the store is told to do if the answer is yes. Screens return these; only a
//! confirmation popup ever runs them.

use crate::domain::consent::ConsentMethod;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screen::Note;

/// After a change: reload the screens and say what happened; or say why it did not.
fn outcome<T>(result: crate::store::Result<T>, done: impl FnOnce(T) -> Cmd) -> Cmd {
    match result {
        Ok(v) => Cmd::Many(vec![Cmd::Refresh, done(v)]),
        Err(e) => Cmd::Error(e.to_string()),
    }
}

pub fn complete_callback(id: i64, message: String) -> Cmd {
    Cmd::confirm("Callback done?", message, move |store: &mut Store| {
        outcome(store.complete_callback(id), |()| {
            Cmd::Info("Callback marked done.".into())
        })
    })
}

pub fn complete_task(id: i64, what: &str) -> Cmd {
    Cmd::confirm(
        "Task done?",
        format!("Mark \"{what}\" done?"),
        move |store: &mut Store| {
            outcome(store.complete_task(id, "done"), |()| {
                Cmd::Info("Task marked done.".into())
            })
        },
    )
}

pub fn unlink(id: i64, name: &str) -> Cmd {
    Cmd::confirm(
        "Remove link?",
        format!("Remove the link with {name}? Neither person is deleted."),
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

pub fn erase(request: i64, message: String) -> Cmd {
    Cmd::confirm("Erase for good?", message, move |store: &mut Store| {
        match store.erase(request) {
            Ok(report) => Cmd::Many(vec![
                Cmd::Notify(Note::PersonErased(report.person_id)),
                Cmd::Refresh,
                Cmd::Info(format!(
                    "Erased. {} recipient(s) to tell (Article 19) are on the handover.{}",
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
    })
}

/// Leaving a form with typed input: asks, then closes the form (nothing is saved).
pub fn discard_form(title: &'static str, message: &str) -> Cmd {
    Cmd::confirm(title, message, |_: &mut Store| {
        Cmd::Many(vec![Cmd::Back, Cmd::Info("Changes discarded.".into())])
    })
}
