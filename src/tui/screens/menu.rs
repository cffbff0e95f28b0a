//! A short list of choices in a popup (j / k, Enter, Esc). Each choice carries the command to
//! run when picked, so a menu can open a form, a confirmation or another screen.

use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// What a choice does, given the store (most open a form or a confirmation; a few save).
pub type MakeCmd = Box<dyn FnMut(&mut Store) -> Cmd>;

pub struct MenuPopup {
    title: String,
    items: Vec<(String, MakeCmd)>,
    pub selected: usize,
}

impl MenuPopup {
    pub fn new(title: &str, items: Vec<(String, MakeCmd)>) -> MenuPopup {
        MenuPopup {
            title: title.to_string(),
            items,
            selected: 0,
        }
    }

    pub fn labels(&self) -> Vec<&str> {
        self.items.iter().map(|(l, _)| l.as_str()).collect()
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        let n = self.items.len();
        match keymap.lookup(Context::Popup, key) {
            Some(Action::Down) if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Top) => self.selected = 0,
            Some(Action::Bottom) => self.selected = n.saturating_sub(1),
            Some(Action::Back | Action::Cancel) => return Cmd::ClosePopup,
            Some(Action::Open) => {
                if let Some((_, make)) = self.items.get_mut(self.selected) {
                    return Cmd::Many(vec![Cmd::ClosePopup, make(store)]);
                }
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let w = self
            .items
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(10)
            .max(self.title.chars().count()) as u16
            + 6;
        let rect = centered_rect(area, w.min(area.width), (self.items.len() as u16 + 2).min(area.height));
        Clear.render(rect, buf);
        let block = Block::bordered().title(Span::styled(format!(" {} ", self.title), theme.title));
        let inner = block.inner(rect);
        block.render(rect, buf);
        for (i, (label, _)) in self.items.iter().enumerate().take(inner.height as usize) {
            let y = inner.y + i as u16;
            super::draw_row(
                buf,
                inner.x,
                y,
                inner.width,
                &Line::raw(label.as_str()),
                i == self.selected,
                theme,
            );
        }
    }
}

impl Screen for MenuPopup {
    fn context(&self) -> Context {
        Context::Popup
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, !self.items.is_empty()),
            Command::on(Action::Back),
            Command::quiet(Action::Cancel),
        ];
        out.extend(
            movement(self.items.len())
                .into_iter()
                .filter(|c| !matches!(c.action, Action::PageDown | Action::PageUp)),
        );
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(_) => Handled::Consumed(self.handle_key(input.keymap, input.key, store)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        self.title.clone()
    }
}
