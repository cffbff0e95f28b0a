//! A form in a popup that runs one store action when saved: the shape of most small steps
//! (mark a notice given, record an exemption, give consent, move a referral on). The action
//! gets the store and the form; an error goes back under the form, nothing is lost, and Esc
//! after typing asks before throwing the typing away.

use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{form_commands, typed_or_listed, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Form, FormOutcome};
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// What saving does: `Ok(cmd)` closes the popup and applies `cmd`; `Err((field, message))`
/// shows the message under that field.
pub type OnSave = Box<dyn FnMut(&mut Store, &Form) -> Result<Cmd, (String, String)>>;

pub struct FormPopup {
    pub form: Form,
    /// Lines shown above the form (the wording to read out, a reminder...).
    pub intro: Vec<String>,
    on_save: OnSave,
}

impl FormPopup {
    pub fn new(form: Form, intro: Vec<String>, on_save: OnSave) -> FormPopup {
        FormPopup { form, intro, on_save }
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => {
                if !self.form.validate_all() {
                    return Cmd::Error("Some fields need attention: see the messages in red.".into());
                }
                match (self.on_save)(store, &self.form) {
                    Ok(cmd) => Cmd::Many(vec![Cmd::ClosePopup, Cmd::Refresh, cmd]),
                    Err((field, message)) => {
                        self.form.set_error(&field, &message);
                        Cmd::Error(message)
                    }
                }
            }
            // Typing is never thrown away on one key: with anything typed, Esc asks first.
            FormOutcome::Action(Action::Back) if self.form.dirty() => Cmd::confirm(
                "Discard what was typed?",
                "Nothing here has been saved. Throw away what was typed?",
                |_: &mut Store| Cmd::Many(vec![Cmd::ClosePopup, Cmd::Info("Nothing was saved.".into())]),
            ),
            FormOutcome::Action(Action::Back) => Cmd::ClosePopup,
            _ => Cmd::None,
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let width = 76.min(area.width);
        let intro_lines: usize = self
            .intro
            .iter()
            .map(|l| {
                crate::tui::widgets::popup::wrap(l, width.saturating_sub(2) as usize)
                    .len()
                    .max(1)
            })
            .sum();
        let intro_h = if self.intro.is_empty() {
            0
        } else {
            intro_lines as u16 + 2
        };
        let height = (intro_h + self.form.fields().len() as u16 * 2 + 3).min(area.height);
        let rect = centered_rect(area, width, height);
        Clear.render(rect, buf);
        let intro_h = intro_h.min(rect.height / 2);
        if intro_h > 0 {
            let intro: Vec<Line> = self
                .intro
                .iter()
                .map(|l| Line::styled(l.clone(), theme.normal))
                .collect();
            Paragraph::new(intro)
                .wrap(Wrap { trim: true })
                .block(Block::bordered())
                .render(
                    Rect {
                        height: intro_h,
                        ..rect
                    },
                    buf,
                );
        }
        self.form.render(
            Rect {
                y: rect.y + intro_h,
                height: rect.height.saturating_sub(intro_h),
                ..rect
            },
            buf,
            theme,
        )
    }
}

/// A field's value, trimmed.
pub fn value(form: &Form, id: &str) -> String {
    form.value(id).unwrap_or_default().trim().to_string()
}

/// An error for a field, in the shape `OnSave` returns.
pub fn field_error(field: &str, message: impl std::fmt::Display) -> (String, String) {
    (field.to_string(), message.to_string())
}

impl Screen for FormPopup {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self) -> Vec<Command> {
        form_commands(&self.form)
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        if !typed_or_listed(input, &self.commands()) {
            return Handled::Ignored;
        }
        Handled::Consumed(self.handle_key(input.keymap, input.key, store))
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme)
    }

    fn title(&self) -> String {
        self.form.title().to_string()
    }
}
