//! The confirmation popup: the "are you sure?" dialog together with the decision it confirms.
//! Saying yes runs the decision against the store; no, or esc, closes it and nothing happens.

use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::{Cmd, Decision};
use crate::tui::screen::{Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::confirm::{ConfirmDialog, ConfirmOutcome};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

pub struct ConfirmPopup {
    pub dialog: ConfirmDialog,
    on_yes: Option<Decision>,
}

impl ConfirmPopup {
    pub fn new(title: &str, message: &str, keymap: &Keymap, on_yes: Decision) -> ConfirmPopup {
        ConfirmPopup {
            dialog: ConfirmDialog::new(title, message, keymap),
            on_yes: Some(on_yes),
        }
    }
}

impl Screen for ConfirmPopup {
    fn context(&self) -> Context {
        Context::Popup
    }

    fn commands(&self) -> Vec<Command> {
        let mut out: Vec<Command> = [Action::Confirm, Action::Cancel, Action::Back]
            .into_iter()
            .map(Command::on)
            .collect();
        out.extend(
            [
                Action::Open,
                Action::Left,
                Action::Right,
                Action::NextField,
                Action::PrevField,
            ]
            .map(Command::quiet),
        );
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        let Some(action) = input.action.filter(|a| self.commands().iter().any(|c| c.action == *a)) else {
            return Handled::Ignored;
        };
        Handled::Consumed(match self.dialog.handle_action(action) {
            ConfirmOutcome::Pending => Cmd::None,
            ConfirmOutcome::No => Cmd::ClosePopup,
            ConfirmOutcome::Yes => match self.on_yes.take() {
                Some(decision) => Cmd::Many(vec![Cmd::ClosePopup, decision(store)]),
                None => Cmd::ClosePopup,
            },
        })
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.dialog.render(area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        "Are you sure?".into()
    }
}
