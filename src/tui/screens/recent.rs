//! Recent people: everyone opened in this session, newest first, to get back to a caller
//! quickly. Kept in memory only, and forgotten when dutydesk closes.

use super::{fit, scroll_for};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Note, Notified, Screen};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

#[derive(Debug, Clone, Default)]
pub struct RecentScreen {
    pub people: Vec<(i64, String)>,
    pub selected: usize,
    scroll: usize,
}

const KEEP: usize = 50;

impl RecentScreen {
    /// Notes that a person was opened.
    pub fn visited(&mut self, id: i64, name: String) {
        self.people.retain(|(p, _)| *p != id);
        self.people.insert(0, (id, name));
        self.people.truncate(KEEP);
    }

    pub fn handle(&mut self, action: Option<Action>) -> Cmd {
        let n = self.people.len();
        if let Some(to) = action.and_then(|a| crate::tui::screen::moved(self.selected, n, a)) {
            self.selected = to;
            return Cmd::None;
        }
        match (action, self.people.get(self.selected)) {
            (Some(Action::Open), Some((id, _))) => Cmd::OpenPerson(*id),
            _ => Cmd::None,
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let block = Block::bordered().title(Span::styled(" Recent people (this session) ", theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if self.people.is_empty() {
            let hint = format!(
                "Nobody opened yet. Press {} to find someone.",
                ctx.key(Context::Home, Action::OpenSearch)
            );
            Paragraph::new(Line::styled(hint, theme.dim)).render(inner, buf);
            return;
        }
        let rows = inner.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        for (i, (_, name)) in self.people.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            super::draw_row(
                buf,
                inner.x,
                y,
                inner.width,
                &Line::raw(fit(name, inner.width as usize)),
                i == self.selected,
                theme,
            );
        }
    }
}

impl Screen for RecentScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![Command::when(Action::Open, !self.people.is_empty())];
        out.extend(movement(self.people.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(action) => Handled::Consumed(self.handle(Some(action))),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx);
        None
    }

    fn title(&self) -> String {
        "Recent".into()
    }

    /// Everyone opened, from anywhere, is remembered here.
    fn notify(&mut self, note: &Note, _store: &mut Store) -> Notified {
        match note {
            Note::PersonOpened { id, name } => self.visited(*id, name.clone()),
            Note::PersonErased(id) => {
                self.people.retain(|(p, _)| p != id);
                self.selected = self.selected.min(self.people.len().saturating_sub(1));
            }
            _ => {}
        }
        Notified::Ignored
    }
}
