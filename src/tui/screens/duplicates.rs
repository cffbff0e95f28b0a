//! The duplicate warning shown before a new person is saved: people with the same name and
//! postcode, the same phone or the same email. Open one of them, create anyway, or go back to
//! the form (nothing typed is lost).

use super::fit;
use crate::store::search::SearchHit;
use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, Command, DrawContext, Handled, Input, Note, Screen};
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

pub struct DuplicatesPopup {
    pub hits: Vec<SearchHit>,
    pub selected: usize,
}

impl DuplicatesPopup {
    pub fn new(hits: Vec<SearchHit>) -> DuplicatesPopup {
        DuplicatesPopup { hits, selected: 0 }
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, _store: &mut Store) -> Cmd {
        match keymap.lookup(Context::Popup, key) {
            Some(Action::CreateAnyway) => return Cmd::Many(vec![Cmd::ClosePopup, Cmd::Notify(Note::CreateAnyway)]),
            Some(Action::Down) => self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1)),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Open) => {
                if let Some(h) = self.hits.get(self.selected) {
                    return Cmd::OpenPerson(h.id);
                }
            }
            Some(Action::Back | Action::Cancel) => return Cmd::ClosePopup,
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let hint = [Action::Open, Action::CreateAnyway, Action::Back]
            .iter()
            .map(|a| format!("{} {}", ctx.key(Context::Popup, *a), a.short()))
            .collect::<Vec<_>>()
            .join("   ");
        let h = (self.hits.len() as u16 + 6).min(area.height);
        let rect = centered_rect(area, 72.min(area.width), h);
        Clear.render(rect, buf);
        let block = Block::bordered().title(Span::styled(" This may be someone already on file ", theme.title));
        let inner = block.inner(rect);
        block.render(rect, buf);
        let w = inner.width as usize;
        for (y, (i, hit)) in (inner.y..).zip(self.hits.iter().enumerate()) {
            if y >= inner.y + inner.height.saturating_sub(2) {
                break;
            }
            let text = format!(
                "{}  {}  {}",
                hit.name,
                hit.postcode.clone().unwrap_or_default(),
                hit.phone_tail.as_ref().map(|t| format!("…{t}")).unwrap_or_default()
            );
            super::draw_row(
                buf,
                inner.x,
                y,
                inner.width,
                &Line::raw(fit(&text, w)),
                i == self.selected,
                theme,
            );
        }
        let help_y = inner.y + inner.height.saturating_sub(1);
        if inner.height > 0 {
            buf.set_line(inner.x, help_y, &Line::styled(fit(&hint, w), theme.key), inner.width);
        }
    }
}

impl Screen for DuplicatesPopup {
    fn context(&self) -> Context {
        Context::Popup
    }

    fn commands(&self) -> Vec<Command> {
        let mut out: Vec<Command> = [
            Action::Open,
            Action::CreateAnyway,
            Action::Back,
            Action::Down,
            Action::Up,
        ]
        .into_iter()
        .map(Command::on)
        .collect();
        out.push(Command::quiet(Action::Cancel));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(_) => Handled::Consumed(self.handle_key(input.keymap, input.key, store)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx);
        None
    }

    fn title(&self) -> String {
        "Someone already on file?".into()
    }
}
