//! Health notes from the person screen, for the roles the profile gives health data: `h` adds
//! one; Enter on a revealed note corrects it or removes it with a reason (kept: when, by whom,
//! why, never what it said). After a change the revealed notes are hidden again, since the copy
//! on screen is out of date; revealing them again asks for a reason, as every view does.
//!
//! Also the contact log's check: a note that reads like health details is offered to the
//! health notes instead (see [`crate::domain::health_words`]).

use super::form_popup::{field_error, value, FormPopup};
use super::menu::MenuPopup;
use crate::domain::{validate, ContactKind};
use crate::store::people::HealthNote;
use crate::store::Store;
use crate::tui::screen::{Cmd, Note};
use crate::tui::widgets::form::{Field, Form};

const CORRECT: &str = "Correct it";
const REMOVE: &str = "Remove it";

/// `h`: a new health note about `person` (`who`).
pub fn add_popup(person: i64, who: &str) -> Cmd {
    let form = Form::new("Health note").with(Field::text("note", "Note", "").max_chars(validate::MAX_NOTE));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "Health details for {who}: only the roles given health data see them, and every view asks for a reason and is recorded."
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            store
                .add_health_note(person, &value(form, "note"))
                .map_err(|e| field_error("note", e))?;
            Ok(Cmd::Many(vec![
                Cmd::Notify(Note::HealthChanged(person)),
                Cmd::Info("Health note recorded.".into()),
            ]))
        }),
    ))
}

/// Enter on a revealed note: correct it, or remove it with a reason.
pub fn edit_popup(person: i64, who: &str, note: &HealthNote) -> Cmd {
    let id = note.id;
    let form = Form::new("Health note")
        .with(Field::choice("what", "Do", &[CORRECT, REMOVE], CORRECT))
        .with(Field::text("note", "Note", &note.note).max_chars(validate::MAX_NOTE))
        .with(Field::text("reason", "Why removed", "").max_chars(validate::MAX_LINE));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "A health note about {who}, recorded {}. A removal keeps when, by whom and why (no health details in the reason).",
            note.recorded_on.format("%d/%m/%Y")
        )],
        Box::new(move |store: &mut Store, form: &Form| {
            let message = if value(form, "what") == REMOVE {
                store
                    .remove_health_note(id, &value(form, "reason"))
                    .map_err(|e| field_error("reason", e))?;
                "Health note removed."
            } else {
                store
                    .correct_health_note(id, &value(form, "note"))
                    .map_err(|e| field_error("note", e))?;
                "Health note corrected."
            };
            Ok(Cmd::Many(vec![
                Cmd::Notify(Note::HealthChanged(person)),
                Cmd::Info(format!("{message} Reveal the notes again to see them.")),
            ]))
        }),
    ))
}

/// When a contact-log note reads like health details (`word`): a choice between filing it as
/// a health note (if the role may), logging it as a contact anyway, and going back to edit it
/// (as Esc does). Filing or logging closes the log popup below on success.
pub fn health_or_contact(person: i64, kind: ContactKind, note: String, word: &str, may_file_health: bool) -> Cmd {
    let mut items: Vec<(String, super::menu::MakeCmd)> = Vec::new();
    if may_file_health {
        let note = note.clone();
        items.push((
            "File it as a health note (only the roles given health data see it)".into(),
            Box::new(
                move |store: &mut Store| match store.log_contact_as_health_note(person, kind, &note) {
                    Ok(notice) => Cmd::Many(vec![
                        Cmd::ClosePopup,
                        Cmd::Refresh,
                        Cmd::Notify(Note::HealthChanged(person)),
                        Cmd::Info(logged_message(
                            kind,
                            notice,
                            " (its note filed as a health note, not in the contact log)",
                        )),
                    ]),
                    Err(e) => Cmd::Error(e.to_string()),
                },
            ),
        ));
    }
    items.push((
        format!(
            "Log it as a {} anyway (every role reads the contact log)",
            kind.label().to_lowercase()
        ),
        Box::new(move |store: &mut Store| match store.log_contact(person, kind, &note) {
            Ok(notice) => Cmd::Many(vec![
                Cmd::ClosePopup,
                Cmd::Refresh,
                Cmd::Info(logged_message(kind, notice, "")),
            ]),
            Err(e) => Cmd::Error(e.to_string()),
        }),
    ));
    // Back to the note, to take the health details out (the only way to keep them out of the
    // log for a role that may not file health notes).
    items.push(("Go back and edit the note".into(), Box::new(|_: &mut Store| Cmd::None)));
    Cmd::popup(MenuPopup::new(&format!("\"{word}\": health details?"), items))
}

/// What the status line says when a contact is logged (`extra` after "Call logged"), with the
/// Article 14 warning when the contact brought a pending notice forward.
pub fn logged_message(kind: ContactKind, notice_pending: bool, extra: &str) -> String {
    let mut msg = format!("{} logged{extra}; last contact is today.", kind.label());
    if notice_pending {
        msg.push_str(
            " This person has not yet been told we hold their data (Article 14): the notice is now due today.",
        );
    }
    msg
}
