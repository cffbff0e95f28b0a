//! The `?` help popup: every key that works where the user is, with what it does.
//!
//! The list comes from [`Keymap::help`], the same bindings that decide what keys do, so help
//! never describes a key that does something else. Two columns (keys, description), scrolled
//! with the usual movement keys when taller than the screen; esc or `?` closes it.

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::terminal::Theme;
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

const WIDEST: u16 = 78;

/// The help popup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpPopup {
    context: Context,
    entries: Vec<(String, &'static str)>,
    close_keys: String,
    scroll: usize,
    /// Rows shown at the last render, for page up/down.
    page: usize,
}

impl HelpPopup {
    /// The help for `context`.
    pub fn new(keymap: &Keymap, context: Context) -> HelpPopup {
        HelpPopup {
            context,
            entries: keymap.help(context),
            close_keys: keymap
                .keys_for(Context::Popup, Action::Back)
                .first()
                .map(|k| k.to_string())
                .unwrap_or_default(),
            scroll: 0,
            page: 1,
        }
    }

    /// The context the help describes.
    pub fn context(&self) -> Context {
        self.context
    }

    /// The (keys, description) rows.
    pub fn entries(&self) -> &[(String, &'static str)] {
        &self.entries
    }

    /// The first row shown.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Handles a key through the popup bindings; true when the popup should close.
    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent) -> bool {
        keymap
            .lookup(Context::Popup, key)
            .is_some_and(|a| self.handle_action(a))
    }

    /// Scrolls on movement actions; true (close) on back, help, cancel or confirm.
    pub fn handle_action(&mut self, action: Action) -> bool {
        let last = self.entries.len().saturating_sub(self.page);
        match action {
            Action::Back | Action::Help | Action::Cancel | Action::Confirm | Action::Open => return true,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(last),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.page),
            Action::PageDown => self.scroll = (self.scroll + self.page).min(last),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = last,
            _ => {}
        }
        false
    }

    /// Draws the popup centred in `area`.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let height = (self.entries.len() as u16).saturating_add(2);
        let rect = centered_rect(area, WIDEST, height);
        Clear.render(rect, buf);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.normal)
            .title(Span::styled(format!(" Keys: {} ", self.context.label()), theme.title));
        if !self.close_keys.is_empty() {
            block = block.title_bottom(Span::styled(format!(" {} to close ", self.close_keys), theme.dim));
        }
        let inner = block.inner(rect);
        block.render(rect, buf);
        if inner.is_empty() {
            return;
        }
        let rows = usize::from(inner.height);
        self.page = rows.max(1);
        self.scroll = self.scroll.min(self.entries.len().saturating_sub(rows));
        let keys_w = self.entries.iter().map(|(k, _)| k.width()).max().unwrap_or(0) as u16;
        let keys_w = keys_w.min(inner.width.saturating_sub(1) / 2);
        let text = Rect {
            x: inner.x + 1.min(inner.width),
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let desc_x = text.x + keys_w + 2;
        for (row, (keys, description)) in self.entries.iter().skip(self.scroll).take(rows).enumerate() {
            let y = text.y + row as u16;
            let cell = |x: u16, w: u16| Rect::new(x, y, w, 1).intersection(text);
            Line::from(Span::styled(keys.as_str(), theme.key)).render(cell(text.x, keys_w), buf);
            Line::from(Span::styled(*description, theme.normal))
                .render(cell(desc_x, text.right().saturating_sub(desc_x)), buf);
        }
        if self.scroll + rows < self.entries.len() && rect.width > 16 {
            Line::from(Span::styled(" more below ", theme.dim))
                .render(Rect::new(rect.right() - 14, rect.bottom() - 1, 12, 1), buf);
        }
        if self.scroll > 0 && rect.width > 30 {
            Line::from(Span::styled(" more above ", theme.dim))
                .render(Rect::new(rect.right() - 14, rect.y, 12, 1), buf);
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

    #[test]
    fn lists_the_keymaps_help() {
        let km = Keymap::default();
        let help = HelpPopup::new(&km, Context::Person);
        assert_eq!(help.entries(), km.help(Context::Person).as_slice());
        assert_eq!(help.context(), Context::Person);
    }

    #[test]
    fn closes_on_esc_and_question_mark() {
        let km = Keymap::default();
        assert!(HelpPopup::new(&km, Context::Home).handle_key(&km, &key(KeyCode::Esc)));
        assert!(HelpPopup::new(&km, Context::Home).handle_key(&km, &key(KeyCode::Char('?'))));
        assert!(!HelpPopup::new(&km, Context::Home).handle_key(&km, &key(KeyCode::Char('j'))));
    }

    #[test]
    fn scrolls_within_bounds() {
        let km = Keymap::default();
        let mut help = HelpPopup::new(&km, Context::Person);
        let _ = render(80, 10, |area, buf| help.render(area, buf, &Theme::plain()));
        let n = help.entries().len();
        help.handle_action(Action::Up);
        assert_eq!(help.scroll(), 0);
        help.handle_action(Action::Down);
        assert_eq!(help.scroll(), 1);
        help.handle_action(Action::Bottom);
        assert_eq!(help.scroll(), n - 8);
        help.handle_action(Action::PageDown);
        assert_eq!(help.scroll(), n - 8);
        help.handle_action(Action::PageUp);
        assert_eq!(help.scroll(), n - 16);
        help.handle_action(Action::Top);
        assert_eq!(help.scroll(), 0);
        help.handle_action(Action::Bottom);
        let screen = render(80, 10, |area, buf| help.render(area, buf, &Theme::plain()));
        assert!(screen.contains("more above"), "{screen}");
        assert!(screen.contains(Action::Screen5.description()), "{screen}");
    }

    #[test]
    fn snapshot_80x24() {
        let km = Keymap::default();
        let mut help = HelpPopup::new(&km, Context::Person);
        let screen = render(80, 24, |area, buf| help.render(area, buf, &Theme::plain()));
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn renders_at_every_small_size() {
        let km = Keymap::default();
        for &ctx in Context::ALL {
            let mut help = HelpPopup::new(&km, ctx);
            help.handle_action(Action::Bottom);
            every_small_size(|area, buf| help.render(area, buf, &Theme::colored()));
        }
    }
}
