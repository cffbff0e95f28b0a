//! The screen contract: what every screen and popup of the terminal interface is.
//!
//! In the spirit of gitui's `Component`: a screen
//! - lists the [`Command`]s it handles *now*, given its state ([`Screen::commands`]); the footer
//!   and the `?` help are generated from that list with the keys `keys.toml` gives them, so a
//!   screen can never advertise a key it ignores, and no key hint is typed by hand;
//! - handles a key and says whether it consumed it ([`Screen::handle`]), returning a [`Cmd`] for
//!   the application to carry out (navigation, a popup, a status line);
//! - draws itself from a read-only [`DrawContext`] (today's date, the calendar, the theme, the
//!   keymap), never from the store ([`Screen::draw`]).
//!
//! What a screen asks the application to do is a [`Cmd`], defined here with the contract, so
//! screens depend on this module and never on the application.
//!
//! Top-level screens, views pushed over them and popups are all `Box<dyn Screen>`; popups live
//! on a stack and get keys first. Screens never construct the application's other screens'
//! state directly: they return commands, and hear about the rest of the application through
//! [`Note`]s (a person opened, a person picked in a search, a person erased...).

use super::keymap::{Action, Context, Keymap};
use super::terminal::Theme;
use crate::domain::calendar::HolidayCalendar;
use crate::store::Store;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

/// What a confirmation does when the user says yes: the one path from a decision to the
/// store.
pub type Decision = Box<dyn FnOnce(&mut Store) -> Cmd>;

/// What a screen asks the application to do after a key.
pub enum Cmd {
    None,
    Info(String),
    Error(String),
    /// Open a person's screen (every way of opening someone goes through here, so Recent
    /// hears of them all).
    OpenPerson(i64),
    /// Leave the current popup, or else the current view.
    Back,
    /// Show a view over the top-level screens.
    Push(Box<dyn Screen>),
    /// Show a popup over everything.
    Popup(Box<dyn Screen>),
    ClosePopup,
    /// Ask first; `on_yes` runs only if the answer is yes.
    Confirm {
        title: &'static str,
        message: String,
        on_yes: Decision,
    },
    /// Tell the screens something happened.
    Notify(Note),
    /// Open the rectification form for a request.
    RectifyFor {
        request: i64,
        person: i64,
    },
    /// Reload the screens' data from the store.
    Refresh,
    /// Remember a saved edit, so it can be undone.
    Remember(Box<crate::tui::screens::undo::Edit>),
    /// The last remembered edit was undone (or can no longer be): forget it.
    Undone,
    /// Work that may take more than a quarter of a second: the interface runs it while
    /// showing a progress line (see [`crate::tui::slow`]).
    Slow(crate::tui::slow::SlowWork),
    Quit,
    Many(Vec<Cmd>),
}

impl Cmd {
    /// Opens a popup.
    pub fn popup(p: impl Screen + 'static) -> Cmd {
        Cmd::Popup(Box::new(p))
    }

    /// Shows a view.
    pub fn push(v: impl Screen + 'static) -> Cmd {
        Cmd::Push(Box::new(v))
    }

    /// Asks `message` under `title`; runs `on_yes` with the store if the answer is yes.
    pub fn confirm(
        title: &'static str,
        message: impl Into<String>,
        on_yes: impl FnOnce(&mut Store) -> Cmd + 'static,
    ) -> Cmd {
        Cmd::Confirm {
            title,
            message: message.into(),
            on_yes: Box::new(on_yes),
        }
    }
}

/// A command a screen offers: an action, and whether it can be done right now (a command that
/// needs a selected row is disabled on an empty list, and left out of the footer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub action: Action,
    pub enabled: bool,
    /// Shown in the footer when enabled (help lists every command).
    pub in_footer: bool,
}

impl Command {
    /// A command that can always be done.
    pub fn on(action: Action) -> Command {
        Command {
            action,
            enabled: true,
            in_footer: true,
        }
    }

    /// A command that can be done when `enabled`.
    pub fn when(action: Action, enabled: bool) -> Command {
        Command {
            action,
            enabled,
            in_footer: true,
        }
    }

    /// A command that works but is not worth room in the footer (another key does the same,
    /// as n does what esc does in a popup); help lists it.
    pub fn quiet(action: Action) -> Command {
        Command {
            action,
            enabled: true,
            in_footer: false,
        }
    }
}

/// The movement commands every list offers (never in the footer: see [`Command::is_movement`]).
/// Where a list's selection goes for a movement action, among `rows` rows (a page is 10);
/// `None` for any other action. Every list screen moves its selection through this.
pub fn moved(selected: usize, rows: usize, action: Action) -> Option<usize> {
    let last = rows.saturating_sub(1);
    Some(match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => (selected + 10).min(last),
        Action::PageUp => selected.saturating_sub(10),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

pub fn movement(rows: usize) -> Vec<Command> {
    [
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
    ]
    .into_iter()
    .map(|a| Command::when(a, rows > 0))
    .collect()
}

impl Command {
    /// Movement is listed in help but left out of the footer, where room is short.
    pub fn is_movement(&self) -> bool {
        matches!(
            self.action,
            Action::Down
                | Action::Up
                | Action::PageDown
                | Action::PageUp
                | Action::Top
                | Action::Bottom
                | Action::Left
                | Action::Right
        )
    }
}

/// A key as a screen receives it: the action it is bound to in the screen's context (if any)
/// and the raw key, for text entry.
pub struct Input<'a> {
    pub key: &'a KeyEvent,
    pub action: Option<Action>,
    pub keymap: &'a Keymap,
}

/// What a screen did with a key.
pub enum Handled {
    /// The key was the screen's: carry out the command (which may be [`Cmd::None`]).
    Consumed(Cmd),
    /// Not the screen's: the application may use it (or nobody does).
    Ignored,
}

impl Handled {
    /// Consumed, with nothing more to do.
    pub fn done() -> Handled {
        Handled::Consumed(Cmd::None)
    }
}

/// What drawing may read: nothing from the store.
pub struct DrawContext<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub today: NaiveDate,
    /// The time now, for what is due at a time of day (callbacks).
    pub now: chrono::NaiveDateTime,
    pub calendar: &'a HolidayCalendar,
}

/// Something that happened elsewhere in the application that a screen may care about.
pub enum Note {
    /// A person was opened (from anywhere: search, a list, just created, just referred).
    PersonOpened { id: i64, name: String },
    /// A person was picked in the search box for a slot of the form below.
    Picked {
        slot: super::screens::search::PickSlot,
        id: i64,
        name: String,
    },
    /// Save the new person in the form below despite the duplicate warning.
    CreateAnyway,
    /// Save the edit in the form below: its before and after were looked at.
    SaveConfirmed,
    /// The health notes a reveal (with its reason, audited) returned.
    HealthShown {
        person: i64,
        notes: Vec<crate::store::people::HealthNote>,
    },
    /// A person was erased: views of them must close.
    PersonErased(i64),
    /// A person's health notes changed: a revealed copy is out of date and is hidden again.
    HealthChanged(i64),
    /// Who gave the details of the spreadsheet being imported (`None`: the people themselves).
    ImportSource(Option<String>),
}

/// What a screen did with a [`Note`].
pub enum Notified {
    Ignored,
    /// Carry out this command.
    Apply(Cmd),
    /// Close this screen (a view of a person who was erased).
    Close,
}

/// A screen or popup of the terminal interface. See the module documentation.
pub trait Screen: std::any::Any {
    /// The keymap context its keys are looked up in.
    fn context(&self) -> Context;

    /// The commands it handles now, most useful first (the footer's order).
    fn commands(&self) -> Vec<Command>;

    /// Handles a key.
    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled;

    /// Draws the screen into `area`; returns where the text cursor goes, if anywhere.
    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position>;

    /// The name in the tab bar (top-level screens) or the help title.
    fn title(&self) -> String {
        self.context().label().to_string()
    }

    /// Reloads its data after a change.
    fn reload(&mut self, _store: &Store) {}

    /// Hears about something that happened elsewhere.
    fn notify(&mut self, _note: &Note, _store: &mut Store) -> Notified {
        Notified::Ignored
    }

    /// Whether printable keys are typed into it (forms, the search box), so single-letter
    /// application commands (search, screen numbers, quit) are off.
    fn takes_text(&self) -> bool {
        self.context().is_text_entry()
    }

    /// Work after a batch of keys (the search box queries once per batch).
    fn after_batch(&mut self, _store: &Store) -> Result<(), String> {
        Ok(())
    }
}

/// The action of a key if `commands` lists it (enabled or not): a screen consumes exactly the
/// keys of the commands it lists.
pub fn listed_action(input: &Input<'_>, commands: &[Command]) -> Option<Action> {
    input.action.filter(|a| commands.iter().any(|c| c.action == *a))
}

impl DrawContext<'_> {
    /// The first key `keys.toml` gives `action` in `context`, for a hint in a screen's text
    /// (never typed by hand, so a rebinding shows); the action's name if it has no key.
    pub fn key(&self, context: Context, action: Action) -> String {
        self.keymap
            .keys_for(context, action)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_else(|| action.name().to_string())
    }
}

/// The commands of a form: saving, moving between fields, and going back (which asks first
/// when something was typed). Enter moves to the next field (and saves on the last): help
/// lists it, the footer has no room for it.
pub fn form_commands(form: &crate::tui::widgets::form::Form) -> Vec<Command> {
    let several = form.fields().len() > 1;
    vec![
        Command::on(Action::Save),
        Command::when(Action::NextField, several),
        Command::when(Action::PrevField, several),
        Command::on(Action::Back),
        Command::when(Action::Down, several),
        Command::when(Action::Up, several),
        Command::quiet(Action::Open),
    ]
}

/// For screens where text is typed: a key bound to an action the screen does not list is not
/// its (the application may use it); every other key is (typed, or a listed command).
pub fn typed_or_listed(input: &Input<'_>, commands: &[Command]) -> bool {
    input.action.is_none() || listed_action(input, commands).is_some()
}

#[cfg(test)]
mod moved_tests {
    use super::moved;
    use crate::tui::keymap::Action;

    #[test]
    fn the_selection_stays_inside_the_list() {
        // (selected, rows, action, expected)
        let table = [
            (0, 5, Action::Down, Some(1)),
            (4, 5, Action::Down, Some(4)),
            (0, 5, Action::Up, Some(0)),
            (3, 25, Action::PageDown, Some(13)),
            (20, 25, Action::PageDown, Some(24)),
            (5, 25, Action::PageUp, Some(0)),
            (7, 25, Action::Top, Some(0)),
            (7, 25, Action::Bottom, Some(24)),
            (0, 0, Action::Down, Some(0)),
            (0, 0, Action::Bottom, Some(0)),
            (2, 5, Action::Open, None),
        ];
        for (selected, rows, action, want) in table {
            assert_eq!(moved(selected, rows, action), want, "{selected} of {rows}, {action:?}");
        }
    }
}
