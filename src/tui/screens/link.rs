//! Linking two people (r on a person): choose the kind of link from this person's side, pick
//! the other person with the search box, then say how we learnt of it (no default): when it
//! came from someone other than the person linked, they are owed an Article 14 notice.

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
    (
        "Add a professional (health or social care)",
        RelationKind::Professional,
        true,
    ),
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

const NOT_SAID: &str = "not said yet";
const FROM_THEM: &str = "from them, directly";
const FROM_ELSE: &str = "from someone else";

/// After the other person is picked: how we learnt that `other` is `person`'s `kind`.
pub fn source_popup(store: &Store, person: i64, kind: RelationKind, other: i64) -> Cmd {
    let name = |id| {
        store
            .name_if_visible(id)
            .ok()
            .flatten()
            .unwrap_or_else(|| "them".into())
    };
    let (person_name, other_name) = (name(person), name(other));
    let from_person = format!("from {person_name}");
    let options = [NOT_SAID, from_person.as_str(), FROM_THEM, FROM_ELSE];
    let form = crate::tui::widgets::form::Form::new("How did we learn of it?")
        .with(crate::tui::widgets::form::Field::choice(
            "how", "It came", &options, NOT_SAID,
        ))
        .with(
            crate::tui::widgets::form::Field::text("who", "If someone else, who", "")
                .max_chars(crate::domain::validate::MAX_LINE),
        );
    let what = kind.label().to_lowercase();
    Cmd::popup(super::form_popup::FormPopup::new(
        form,
        vec![format!(
            "{other_name} as {person_name}'s {what}: who told us? Unless it was {other_name}, they are owed a notice saying we hold their details (Article 14), if they have not had one."
        )],
        Box::new(move |store: &mut Store, form: &crate::tui::widgets::form::Form| {
            use super::form_popup::{field_error, value};
            use crate::domain::person::Obtained;
            let how = value(form, "how");
            let obtained = match how.as_str() {
                NOT_SAID => return Err(field_error("how", "Say how we learnt of it.")),
                FROM_THEM => Obtained::Directly,
                FROM_ELSE => {
                    let who = value(form, "who");
                    if who.trim().is_empty() {
                        return Err(field_error("who", "Say who told us (for example \"her GP\")."));
                    }
                    Obtained::Indirectly {
                        from_person: None,
                        // No names of others here: an erasure of them must not leave one behind.
                        from_text: Some(format!("named as {what} by {}", who.trim())),
                        referral: None,
                    }
                }
                _ => Obtained::Indirectly {
                    from_person: Some(person),
                    from_text: Some(format!("named as {what}")),
                    referral: None,
                },
            };
            let indirect = obtained.is_indirect();
            let (_, notice) = store
                .link_obtained(person, kind, other, &obtained)
                .map_err(|e| field_error("how", e))?;
            // One notice per person: if theirs was given already, this link is news to tell them.
            let given = match (notice, indirect) {
                (None, true) => store.notice_for_person(other).ok().flatten().and_then(|n| n.given_on),
                _ => None,
            };
            Ok(Cmd::Info(match (notice, given) {
                (Some(_), _) => format!("Linked: {}. A notice to {other_name} is now due (Article 14).", kind.label()),
                (None, Some(on)) => format!(
                    "Linked: {}. {other_name} was given a notice on {}: if this link is news to them, tell them.",
                    kind.label(),
                    on.format("%d/%m/%Y")
                ),
                (None, None) => format!("Linked: {}.", kind.label()),
            }))
        }),
    ))
}
