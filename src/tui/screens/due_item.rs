//! One callback or follow-up task from the handover, read in full: what it is, for whom, when
//! it is due and how late, and the whole text (the handover's row cuts it off). `x` marks it
//! done (asking first, naming the person) and comes back to the handover; Enter opens the
//! person it is about.

use super::home::days_left_label;
use crate::store::handover::{DueItem, DueKind};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::reader::{Reader, READER_MOVES};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

pub struct DueItemScreen {
    item: DueItem,
    /// Whether it is still open (another screen, or another laptop, may have closed it).
    open: bool,
    reader: Reader,
}

impl DueItemScreen {
    /// The screen for a callback or task item; `None` for any other kind (they have screens
    /// of their own).
    pub fn for_item(item: &DueItem) -> Option<DueItemScreen> {
        matches!(item.kind, DueKind::Callback(_) | DueKind::Task(_)).then(|| DueItemScreen {
            item: item.clone(),
            open: true,
            reader: Reader::default(),
        })
    }

    fn noun(&self) -> &'static str {
        match self.item.kind {
            DueKind::Callback(_) => "Callback",
            _ => "Task",
        }
    }

    fn still_open(&self, store: &Store) -> bool {
        let person = Some(self.item.person_id);
        match self.item.kind {
            DueKind::Callback(id) => store
                .open_callbacks(person)
                .is_ok_and(|cs| cs.iter().any(|c| c.id == id)),
            DueKind::Task(id) => store.open_tasks(person).is_ok_and(|ts| ts.iter().any(|t| t.id == id)),
            _ => false,
        }
    }

    /// Marks it done, asking first; on success the screen closes.
    fn done(&self) -> Cmd {
        let name = &self.item.person_name;
        match self.item.kind {
            DueKind::Callback(id) => {
                super::decisions::complete_callback(id, format!("Mark the callback to {name} as done?"), Cmd::Back)
            }
            DueKind::Task(id) => super::decisions::complete_task(id, &self.item.what, name, Cmd::Back),
            _ => Cmd::None,
        }
    }

    fn paragraphs(&self, ctx: &DrawContext<'_>) -> Vec<(String, Style)> {
        let theme = ctx.theme;
        let (left, style) = days_left_label(self.item.due, ctx.today, None, theme);
        let when = match (self.item.due_at, self.item.due) {
            (Some(at), _) => at.format("%a %d %b %Y at %H:%M").to_string(),
            (None, Some(d)) => d.format("%a %d %b %Y").to_string(),
            (None, None) => "no date".into(),
        };
        let mut out = vec![
            (format!("For: {}", self.item.person_name), theme.normal),
            (format!("Due: {when} ({left})"), style),
        ];
        if !self.open {
            out.push(("Done: it is no longer on the handover.".into(), theme.ok));
        }
        out.push((String::new(), theme.normal));
        out.push((self.item.what.clone(), theme.normal));
        out
    }
}

impl Screen for DueItemScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::on(Action::Open),
            Command::when(Action::CallbackDone, self.open),
        ];
        out.extend(READER_MOVES.into_iter().map(Command::quiet));
        out
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        let Some(action) = listed_action(input, &self.commands()) else {
            return Handled::Ignored;
        };
        let cmd = match action {
            Action::Open => Cmd::OpenPerson(self.item.person_id),
            Action::CallbackDone => self.done(),
            a => {
                self.reader.handle(a);
                Cmd::None
            }
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let title = format!("{}: {}", self.noun(), self.item.person_name);
        let paragraphs = self.paragraphs(ctx);
        self.reader.render(&title, &paragraphs, area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        self.noun().into()
    }

    fn reload(&mut self, store: &Store) {
        self.open = self.still_open(store);
    }
}
