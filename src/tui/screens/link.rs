//! Linking two people (r on a person): choose the kind of link from this person's side, then
//! pick the other person with the search box.

use super::search::{Purpose, SearchPopup};
use crate::domain::RelationKind;
use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// The choices, from the anchor person's side: (label, kind, anchor is the first person).
pub const CHOICES: [(&str, RelationKind, bool); 12] = [
    ("Add a relative", RelationKind::Relative, true),
    ("Add next of kin", RelationKind::NextOfKin, true),
    ("Add an emergency contact", RelationKind::EmergencyContact, true),
    ("Add a referee (for a volunteer)", RelationKind::Referee, true),
    ("Assign a volunteer", RelationKind::AssignedVolunteer, true),
    ("Add a social or healthcare worker", RelationKind::Professional, true),
    ("This person is a relative of…", RelationKind::Relative, false),
    ("This person is next of kin of…", RelationKind::NextOfKin, false),
    (
        "This person is an emergency contact for…",
        RelationKind::EmergencyContact,
        false,
    ),
    ("This person is a referee for…", RelationKind::Referee, false),
    (
        "This person is the volunteer for…",
        RelationKind::AssignedVolunteer,
        false,
    ),
    ("This person is the worker for…", RelationKind::Professional, false),
];

pub struct LinkKindPopup {
    pub anchor: i64,
    pub selected: usize,
}

impl LinkKindPopup {
    pub fn new(anchor: i64) -> LinkKindPopup {
        LinkKindPopup { anchor, selected: 0 }
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent) -> Cmd {
        match keymap.lookup(Context::Popup, key) {
            Some(Action::Down) => self.selected = (self.selected + 1).min(CHOICES.len() - 1),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Top) => self.selected = 0,
            Some(Action::Bottom) => self.selected = CHOICES.len() - 1,
            Some(Action::Back | Action::Cancel) => return Cmd::ClosePopup,
            Some(Action::Open) => {
                let (_, kind, anchor_first) = CHOICES[self.selected];
                return Cmd::Many(vec![
                    Cmd::ClosePopup,
                    Cmd::popup(SearchPopup::new(Purpose::Link {
                        anchor: self.anchor,
                        kind,
                        anchor_first,
                    })),
                ]);
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let rect = centered_rect(area, 50.min(area.width), (CHOICES.len() as u16 + 2).min(area.height));
        Clear.render(rect, buf);
        let block = Block::bordered().title(Span::styled(" Link to another person ", theme.title));
        let inner = block.inner(rect);
        block.render(rect, buf);
        for (i, (label, _, _)) in CHOICES.iter().enumerate().take(inner.height as usize) {
            let y = inner.y + i as u16;
            super::draw_row(
                buf,
                inner.x,
                y,
                inner.width,
                &Line::raw(*label),
                i == self.selected,
                theme,
            );
        }
    }
}

impl Screen for LinkKindPopup {
    fn context(&self) -> Context {
        Context::Popup
    }

    fn commands(&self) -> Vec<Command> {
        let mut out: Vec<Command> = [
            Action::Open,
            Action::Back,
            Action::Down,
            Action::Up,
            Action::Top,
            Action::Bottom,
        ]
        .into_iter()
        .map(Command::on)
        .collect();
        out.push(Command::quiet(Action::Cancel));
        out
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(_) => Handled::Consumed(self.handle_key(input.keymap, input.key)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        "Link to someone".into()
    }
}
