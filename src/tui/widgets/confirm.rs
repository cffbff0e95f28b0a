//! The "are you sure?" popup shown before anything destructive.
//!
//! A centred box with the question, two buttons and a line saying which keys answer. `y`
//! confirms; `n` or esc cancels; enter presses the highlighted button, which starts on **No**,
//! so an unthinking enter changes nothing. Keys come through the [`Keymap`] in
//! [`Context::Popup`], and the hint line is written from the same bindings.

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::terminal::Theme;
use crate::tui::widgets::popup::{centered_rect, wrap};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

/// The answer so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// Still waiting for an answer.
    Pending,
    /// Go ahead.
    Yes,
    /// Do nothing.
    No,
}

/// A yes/no question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDialog {
    title: String,
    message: String,
    yes_selected: bool,
    yes_keys: String,
    no_keys: String,
}

const WIDEST: u16 = 60;
const NARROWEST: u16 = 34;

impl ConfirmDialog {
    /// A question with a title; the hint shows the keys `keymap` binds in popups.
    pub fn new(title: &str, message: &str, keymap: &Keymap) -> ConfirmDialog {
        let mut no = keymap.keys_for(Context::Popup, Action::Cancel);
        for k in keymap.keys_for(Context::Popup, Action::Back) {
            if !no.contains(&k) {
                no.push(k);
            }
        }
        ConfirmDialog {
            title: title.to_string(),
            message: message.to_string(),
            yes_selected: false,
            yes_keys: keymap.describe_keys(Context::Popup, Action::Confirm),
            no_keys: no.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
        }
    }

    /// Whether the Yes button is highlighted (enter would confirm).
    pub fn yes_selected(&self) -> bool {
        self.yes_selected
    }

    /// Handles a key through the keymap's popup bindings.
    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent) -> ConfirmOutcome {
        match keymap.lookup(Context::Popup, key) {
            Some(action) => self.handle_action(action),
            None => ConfirmOutcome::Pending,
        }
    }

    /// Handles an action: confirm, cancel or back answer; enter presses the highlighted button;
    /// left/right/tab move between the buttons.
    pub fn handle_action(&mut self, action: Action) -> ConfirmOutcome {
        match action {
            Action::Confirm => ConfirmOutcome::Yes,
            Action::Cancel | Action::Back => ConfirmOutcome::No,
            Action::Open if self.yes_selected => ConfirmOutcome::Yes,
            Action::Open => ConfirmOutcome::No,
            Action::Left => {
                self.yes_selected = true;
                ConfirmOutcome::Pending
            }
            Action::Right => {
                self.yes_selected = false;
                ConfirmOutcome::Pending
            }
            Action::NextField | Action::PrevField => {
                self.yes_selected = !self.yes_selected;
                ConfirmOutcome::Pending
            }
            _ => ConfirmOutcome::Pending,
        }
    }

    fn hint(&self) -> String {
        format!("{} = yes    {} = no", self.yes_keys, self.no_keys)
    }

    /// Draws the popup centred in `area`, over whatever is there.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let hint = self.hint();
        let wanted = (self.message.width().max(hint.width()) as u16 + 4).clamp(NARROWEST, WIDEST);
        let width = wanted.min(area.width);
        let lines = wrap(&self.message, usize::from(width.saturating_sub(4)));
        // Borders, the message, a blank line, the buttons, the hint.
        let height = (lines.len() as u16).saturating_add(5);
        let rect = centered_rect(area, width, height);
        Clear.render(rect, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.normal)
            .title(Span::styled(format!(" {} ", self.title), theme.title));
        let inner = block.inner(rect);
        block.render(rect, buf);
        if inner.is_empty() {
            return;
        }
        let text_area = Rect {
            x: inner.x + 1.min(inner.width),
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let mut rows: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.normal)))
            .collect();
        rows.push(Line::default());
        let button = |label: &str, selected: bool| {
            let style = if selected { theme.selected } else { theme.normal };
            Span::styled(format!("[ {label} ]"), style)
        };
        rows.push(
            Line::from(vec![
                button("Yes", self.yes_selected),
                Span::raw("   "),
                button("No", !self.yes_selected),
            ])
            .alignment(Alignment::Center),
        );
        rows.push(Line::from(Span::styled(hint, theme.dim)).alignment(Alignment::Center));
        for (i, line) in rows.into_iter().enumerate() {
            let y = text_area.y + i as u16;
            if y >= text_area.bottom() {
                break;
            }
            line.render(
                Rect {
                    y,
                    height: 1,
                    ..text_area
                },
                buf,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::test_util::{every_small_size, render};
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn dialog() -> ConfirmDialog {
        ConfirmDialog::new(
            "Callback done?",
            "Mark the callback to Mrs Ann Smith (due today 14:00) as done?",
            &Keymap::default(),
        )
    }

    #[test]
    fn y_confirms_n_and_esc_cancel() {
        let km = Keymap::default();
        assert_eq!(dialog().handle_key(&km, &key(KeyCode::Char('y'))), ConfirmOutcome::Yes);
        assert_eq!(dialog().handle_key(&km, &key(KeyCode::Char('n'))), ConfirmOutcome::No);
        assert_eq!(dialog().handle_key(&km, &key(KeyCode::Esc)), ConfirmOutcome::No);
        assert_eq!(
            dialog().handle_key(&km, &key(KeyCode::Char('x'))),
            ConfirmOutcome::Pending
        );
        assert_eq!(
            dialog().handle_key(&km, &key(KeyCode::Char('d'))),
            ConfirmOutcome::Pending
        );
    }

    #[test]
    fn enter_defaults_to_no() {
        let km = Keymap::default();
        let mut d = dialog();
        assert!(!d.yes_selected());
        assert_eq!(d.handle_key(&km, &key(KeyCode::Enter)), ConfirmOutcome::No);
        let mut d = dialog();
        assert_eq!(d.handle_key(&km, &key(KeyCode::Left)), ConfirmOutcome::Pending);
        assert!(d.yes_selected());
        assert_eq!(d.handle_key(&km, &key(KeyCode::Enter)), ConfirmOutcome::Yes);
        let mut d = dialog();
        d.handle_key(&km, &key(KeyCode::Tab));
        assert!(d.yes_selected());
        d.handle_key(&km, &key(KeyCode::Right));
        assert!(!d.yes_selected());
    }

    #[test]
    fn hint_follows_the_keymap() {
        let km = Keymap::from_toml("[popup]\nconfirm = \"Y\"\n").unwrap();
        let mut d = ConfirmDialog::new("Sure?", "Really?", &km);
        assert!(d.hint().starts_with("Y = yes"), "{}", d.hint());
        assert_eq!(d.handle_key(&km, &key(KeyCode::Char('y'))), ConfirmOutcome::Pending);
        assert_eq!(d.clone().handle_key(&km, &key(KeyCode::Char('Y'))), ConfirmOutcome::Yes);
    }

    #[test]
    fn snapshot_80x24() {
        let d = dialog();
        let screen = render(80, 24, |area, buf| d.render(area, buf, &Theme::plain()));
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn renders_at_every_small_size() {
        let mut d = dialog();
        every_small_size(|area, buf| d.render(area, buf, &Theme::colored()));
        d.handle_action(Action::Left);
        every_small_size(|area, buf| d.render(area, buf, &Theme::plain()));
        let empty = ConfirmDialog::new("", "", &Keymap::default());
        every_small_size(|area, buf| empty.render(area, buf, &Theme::plain()));
    }
}
