//! Edits that can be taken back: each saved edit to a person's record is remembered for the
//! session (the record before and after, and what changed, field by field), and the undo key
//! restores the record as it was, after a last look, as an audited change like any other. An
//! edit is only undone while the record is still as that edit left it.

use crate::domain::person::PersonRecord;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::widgets::form::Form;

/// How many edits a session remembers.
pub const KEPT: usize = 20;

/// One field's change: its label, the value before and the value after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// Every field of `form` whose value differs from the one it was loaded with.
pub fn changes(form: &Form) -> Vec<Change> {
    form.fields()
        .iter()
        .filter(|f| f.dirty())
        .map(|f| Change {
            label: f.label().to_string(),
            before: f.initial().to_string(),
            after: f.value(),
        })
        .collect()
}

/// `changes` as lines for a confirmation, "Label: before -> after", each value cut short.
pub fn describe(changes: &[Change], reversed: bool) -> String {
    let show = |v: &str| {
        if v.trim().is_empty() {
            "(empty)".to_string()
        } else {
            super::fit(v, 40)
        }
    };
    changes
        .iter()
        .map(|c| {
            let (from, to) = if reversed {
                (&c.after, &c.before)
            } else {
                (&c.before, &c.after)
            };
            format!("{}: {} -> {}", c.label, show(from), show(to))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A saved edit to a person's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub person: i64,
    /// Who it is, as confirmations name people.
    pub who: String,
    pub before: PersonRecord,
    pub after: PersonRecord,
    pub changes: Vec<Change>,
}

/// The confirmation that undoes `edit`; on yes the record goes back to how it was and the
/// session forgets the edit.
pub fn undo_confirmation(edit: Edit) -> Cmd {
    let message = format!(
        "Undo your last edit to {}?\n{}",
        edit.who,
        describe(&edit.changes, true)
    );
    Cmd::confirm("Undo the last edit?", message, move |store: &mut Store| {
        let current = match store.person(edit.person) {
            Ok(p) => p.record,
            Err(e) => return Cmd::Many(vec![Cmd::Undone, Cmd::Error(e.to_string())]),
        };
        if current != edit.after {
            return Cmd::Many(vec![
                Cmd::Undone,
                Cmd::Error("The record has changed since that edit, so it was not undone: edit it instead.".into()),
            ]);
        }
        match store.update_person(edit.person, &edit.before) {
            Ok(()) => Cmd::Many(vec![
                Cmd::Undone,
                Cmd::Refresh,
                Cmd::Info(format!("Undone: {} is as before the edit.", edit.who)),
            ]),
            Err(e) => Cmd::Error(e.to_string()),
        }
    })
}
