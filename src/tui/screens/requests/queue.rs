//! The queue of rights requests: overdue first, then soonest due, with filters by kind and by
//! status.

use super::open_request;
use crate::domain::rights::{RequestKind, RequestStatus};
use crate::store::requests::{RequestFilter, RequestRow};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::screens::{fit, scroll_for};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

#[derive(Debug, Default)]
pub struct RequestsScreen {
    pub rows: Vec<RequestRow>,
    pub selected: usize,
    pub kind: Option<RequestKind>,
    pub status: Option<RequestStatus>,
    scroll: usize,
    error: Option<String>,
}

impl RequestsScreen {
    pub fn load(store: &Store, kind: Option<RequestKind>) -> RequestsScreen {
        Self::load_filtered(store, kind, None)
    }

    /// The queue for one kind and/or one status (`None`: all open requests).
    pub fn load_filtered(store: &Store, kind: Option<RequestKind>, status: Option<RequestStatus>) -> RequestsScreen {
        match store.requests(&RequestFilter {
            kind,
            status,
            ..RequestFilter::default()
        }) {
            Ok(rows) => RequestsScreen {
                rows,
                kind,
                status,
                ..RequestsScreen::default()
            },
            Err(e) => RequestsScreen {
                kind,
                status,
                error: Some(e.to_string()),
                ..RequestsScreen::default()
            },
        }
    }

    pub fn reload(&mut self, store: &Store) {
        let keep = self.selected;
        *self = Self::load_filtered(store, self.kind, self.status);
        self.selected = keep.min(self.rows.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.rows.len();
        if let Some(to) = action.and_then(|a| crate::tui::screen::moved(self.selected, n, a)) {
            self.selected = to;
            return Cmd::None;
        }
        match action {
            Some(Action::Filter) => {
                let next = match self.kind {
                    None => Some(RequestKind::ALL[0]),
                    Some(k) => RequestKind::ALL
                        .iter()
                        .position(|x| *x == k)
                        .and_then(|i| RequestKind::ALL.get(i + 1).copied()),
                };
                *self = Self::load_filtered(store, next, self.status);
            }
            Some(Action::FilterStatus) => {
                let next = match self.status {
                    None => Some(RequestStatus::ALL[0]),
                    Some(st) => RequestStatus::ALL
                        .iter()
                        .position(|x| *x == st)
                        .and_then(|i| RequestStatus::ALL.get(i + 1).copied()),
                };
                *self = Self::load_filtered(store, self.kind, next);
            }
            Some(Action::Open) => {
                if let Some(r) = self.rows.get(self.selected) {
                    return open_request(store, r.id);
                }
            }
            Some(Action::NewRequest) => {
                return Cmd::popup(crate::tui::screens::search::SearchPopup::new(
                    crate::tui::screens::search::Purpose::NewRequest,
                ));
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let shown = self
            .kind
            .map(|k| k.key().to_string())
            .unwrap_or_else(|| "all kinds".into());
        let status = self
            .status
            .map(|s| s.label().to_lowercase())
            .unwrap_or_else(|| "all open".into());
        let block = Block::bordered().title(Span::styled(
            format!(" Rights requests: {shown}, {status} "),
            theme.title,
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(e) = &self.error {
            Paragraph::new(Line::styled(e.clone(), theme.error)).render(inner, buf);
            return;
        }
        if self.rows.is_empty() {
            Paragraph::new(Line::styled("No open rights requests.", theme.dim)).render(inner, buf);
            return;
        }
        let today = ctx.today;
        let cal = ctx.calendar;
        let rows = inner.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        let w = inner.width as usize;
        let name_w = (w.saturating_sub(60) / 2 + 8).clamp(10, 30);
        for (i, r) in self.rows.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            let (left, style) = crate::tui::screens::home::days_left_label(
                r.due,
                today,
                r.due.map(|d| cal.working_days_until(today, d)),
                theme,
            );
            let line = Line::from(vec![
                Span::styled(format!("{:<17}", fit(&left, 16)), style),
                Span::raw(format!(
                    "{:<12}",
                    r.due
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_else(|| "stopped".into())
                )),
                Span::raw(format!("{:<width$}  ", fit(&r.subject, name_w), width = name_w)),
                Span::raw(format!("{:<22}", fit(&r.kinds_text(), 21))),
                Span::styled(fit(r.status.label(), w.saturating_sub(53 + name_w)), theme.dim),
            ]);
            crate::tui::screens::draw_row(buf, inner.x, y, inner.width, &line, i == self.selected, theme);
        }
    }
}

impl Screen for RequestsScreen {
    fn context(&self) -> Context {
        Context::Requests
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, !self.rows.is_empty()),
            Command::on(Action::NewRequest),
            Command::on(Action::Filter),
            Command::on(Action::FilterStatus),
        ];
        out.extend(movement(self.rows.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(action) => Handled::Consumed(self.handle(Some(action), store)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx);
        None
    }

    fn title(&self) -> String {
        "Requests".into()
    }

    fn reload(&mut self, store: &Store) {
        RequestsScreen::reload(self, store);
    }
}
