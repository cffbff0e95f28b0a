//! One rights request: its clock explained, and the way to its next steps.

use super::steps::{letters_menu, next_steps};
use crate::store::requests::RequestDetail;
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, Command, DrawContext, Handled, Input, Screen};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

/// One rights request.
pub struct RequestScreen {
    pub id: i64,
    detail: RequestDetail,
    scroll: u16,
}

impl RequestScreen {
    pub fn load(store: &Store, id: i64) -> Result<RequestScreen, String> {
        let detail = store.request(id).map_err(|e| e.to_string())?;
        Ok(RequestScreen { id, detail, scroll: 0 })
    }

    pub fn reload(&mut self, store: &Store) {
        if let Ok(d) = store.request(self.id) {
            self.detail = d;
        }
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        match action {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Back) => return Cmd::Back,
            Some(Action::Actions) => return next_steps(self.id, &self.detail, store),
            Some(Action::WriteFiles) => return letters_menu(store, self.id),
            Some(Action::Open) => {
                if let Some(pid) = self.detail.row.person_id {
                    return Cmd::OpenPerson(pid);
                }
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let d = &self.detail;
        let r = &d.row;
        let today = ctx.today;
        let block = Block::bordered().title(Span::styled(format!(" Rights request #{} ", r.id), theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let date = |x: Option<NaiveDate>| {
            x.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "—".into())
        };
        let mut lines: Vec<Line> = vec![
            Line::from(vec![
                Span::styled(r.subject.clone(), theme.title),
                Span::styled(format!("   {}", r.kinds_text()), theme.dim),
            ]),
            Line::raw(format!(
                "Received {} by {}; status: {}",
                r.received_on.format("%d/%m/%Y"),
                r.channel.label().to_lowercase(),
                r.status.label().to_lowercase()
            )),
        ];
        match r.due {
            Some(due) => {
                let (left, style) = crate::tui::screens::home::days_left_label(
                    Some(due),
                    today,
                    Some(ctx.calendar.working_days_until(today, due)),
                    theme,
                );
                lines.push(Line::from(vec![
                    Span::raw(format!("Due {}  ", due.format("%d/%m/%Y"))),
                    Span::styled(left, style),
                    Span::raw(if r.extended { "  (extended)" } else { "" }),
                ]));
            }
            None if r.closed_on.is_some() => lines.push(Line::raw(format!(
                "Closed {} ({})",
                date(r.closed_on),
                r.outcome.map(|o| o.label().to_lowercase()).unwrap_or_default()
            ))),
            None => lines.push(Line::styled(
                "The clock is stopped (waiting for ID, a fee or clarification).",
                theme.due_soon,
            )),
        }
        if let Some(dl) = &d.deadline {
            for l in dl.explain() {
                lines.push(Line::styled(format!("  {l}"), theme.dim));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "Identity: {} (asked {}, received {}{})",
            d.id_status.replace('_', " "),
            date(d.id_requested_on),
            date(d.id_received_on),
            d.id_seen.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
        )));
        if d.fee_requested_on.is_some() {
            lines.push(Line::raw(format!(
                "Fee: asked {}, received {}; reason: {}",
                date(d.fee_requested_on),
                date(d.fee_received_on),
                d.fee_reason.clone().unwrap_or_default()
            )));
        }
        for p in &d.pauses {
            lines.push(Line::raw(format!(
                "Clarification: asked {}, received {}",
                p.asked.format("%d/%m/%Y"),
                date(p.received)
            )));
        }
        if let Some(reason) = d.extension_reason {
            lines.push(Line::raw(format!(
                "Extended for {}; told on {}",
                reason.label().to_lowercase(),
                date(d.extension_told_on)
            )));
        }
        if let (Some(provided), Some(withheld)) = (&d.partly_provided, &d.partly_withheld) {
            lines.push(Line::raw(format!("Partly complied. Provided: {provided}")));
            lines.push(Line::raw(format!("Withheld: {withheld}")));
        }
        if let Some(reason) = &d.refusal_reason {
            let ground = d
                .refusal_ground
                .map(|g| format!(" ({})", g.label()))
                .unwrap_or_default();
            let what = if d.partly_withheld.is_some() {
                "Why withheld"
            } else {
                "Refused"
            };
            lines.push(Line::raw(format!("{what}{ground}: {reason}")));
        }
        for l in &d.letters {
            lines.push(Line::raw(match (l.sent_on, l.sent_how) {
                (Some(on), how) => format!(
                    "The {}: sent {}{}",
                    l.name(),
                    on.format("%d/%m/%Y"),
                    how.map(|h| format!(" ({})", h.label().to_lowercase()))
                        .unwrap_or_default()
                ),
                (None, _) => format!(
                    "The {}: owed by {}, not yet sent",
                    l.name(),
                    l.due_on.format("%d/%m/%Y")
                ),
            }));
        }
        for p in &d.packs {
            lines.push(Line::raw(format!(
                "Access pack written {}; {}",
                p.written_at.format("%d/%m/%Y %H:%M"),
                match p.copy_deleted_on {
                    Some(on) => format!("local copy deleted {}", on.format("%d/%m/%Y")),
                    None => "local copy still to delete once sent".into(),
                }
            )));
        }
        for o in &d.objections {
            lines.push(Line::raw(crate::tui::screens::objection_line(o)));
        }
        if let Some(a) = r.agent.as_ref().or(d.agent_name.as_ref()) {
            lines.push(Line::raw(format!(
                "Made by {a} for them ({})",
                d.agent_authority.clone().unwrap_or_default()
            )));
        }
        if let Some(w) = &d.words {
            lines.push(Line::raw(""));
            lines.push(Line::styled("In their words:", theme.title));
            lines.push(Line::raw(w.clone()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}

impl Screen for RequestScreen {
    fn context(&self) -> Context {
        Context::Request
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::on(Action::Actions),
            Command::on(Action::WriteFiles),
            Command::when(Action::Open, self.detail.row.person_id.is_some()),
            Command::on(Action::Down),
            Command::on(Action::Up),
        ]
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
        "Rights request".into()
    }

    fn reload(&mut self, store: &Store) {
        RequestScreen::reload(self, store);
    }
}
