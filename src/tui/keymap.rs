//! The one place keys are bound.
//!
//! Every key the TUI reacts to is an [`Action`] bound in a [`Context`]. Screens ask
//! [`Keymap::lookup`] what a key means and never match on raw keys themselves (text editing
//! inside an input box is the one exception: in text-entry contexts printable characters and the
//! editing keys are never bound, so they reach the input). The footer ([`Keymap::footer`]) and
//! the `?` help ([`Keymap::help`]) are generated from the same bindings, so what the screen says
//! and what the keys do cannot drift apart (the gitui model).
//!
//! Users may override bindings in a small TOML file (conventionally `keys.toml`):
//!
//! ```toml
//! [person]
//! edit = "E"
//! [global]
//! quit = ["q", "ctrl-q"]
//! ```
//!
//! A binding in a file replaces the default keys of that action in that context. Screens that
//! inherit the global bindings (every context but the popups) also answer to the global keys of
//! an action. Problems are reported with the line to fix ([`KeymapError`]).
//!
//! Safety rules, checked for defaults and overrides alike: a key may mean one thing per context
//! (counting the global keys it inherits); `d` is never bound to a destructive action; a plain
//! single key may be bound to a destructive action only when that action asks for confirmation.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;
use std::path::Path;

macro_rules! actions {
    ($($(#[$vmeta:meta])* $variant:ident => $name:literal, $short:literal, $description:literal;)+) => {
        /// Something the user asks the program to do. Keys map to actions; screens handle
        /// actions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$vmeta])* $variant,)+
        }

        impl Action {
            /// Every action, in the order help lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            /// The stable snake_case name used in `keys.toml`.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)+ }
            }

            /// A word or two for the footer.
            pub fn short(self) -> &'static str {
                match self { $(Action::$variant => $short,)+ }
            }

            /// A sentence for the help popup.
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $description,)+ }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit", "Quit dutydesk (asks first if anything is unsaved)";
    Back => "back", "back", "Go back / close / cancel";
    Help => "help", "help", "Show the keys for this screen";
    OpenSearch => "open_search", "search", "Search for a person";
    Up => "up", "up", "Move up";
    Down => "down", "down", "Move down";
    Left => "left", "left", "Move left / previous button";
    Right => "right", "right", "Move right / next button";
    PageUp => "page_up", "page up", "Move up a page";
    PageDown => "page_down", "page down", "Move down a page";
    Top => "top", "top", "Go to the first item";
    Bottom => "bottom", "bottom", "Go to the last item";
    Open => "open", "open", "Open the selected item / press the selected button";
    NextField => "next_field", "next field", "Move to the next field";
    PrevField => "prev_field", "prev field", "Move to the previous field";
    Save => "save", "save", "Save the form";
    Lock => "lock", "lock", "Lock dutydesk now (the passphrase is needed to unlock)";
    Refresh => "refresh", "refresh", "Reload what is on the screen";
    NextScreen => "next_screen", "next screen", "Go to the next screen";
    PrevScreen => "prev_screen", "prev screen", "Go to the previous screen";
    Screen1 => "screen_1", "screen 1", "Go to screen 1";
    Screen2 => "screen_2", "screen 2", "Go to screen 2";
    Screen3 => "screen_3", "screen 3", "Go to screen 3";
    Screen4 => "screen_4", "screen 4", "Go to screen 4";
    Screen5 => "screen_5", "screen 5", "Go to screen 5";
    NewPerson => "new_person", "new person", "Add a new person";
    Edit => "edit", "edit", "Edit this person's details";
    /// The first of two keys: the next key picks the kind of contact (see
    /// [`Context::LogContact`]).
    LogContact => "log_contact", "log contact", "Log a contact: then c call, e email, l letter, v visit";
    LogCall => "log_call", "call", "Log a phone call";
    LogEmail => "log_email", "email", "Log an email";
    LogLetter => "log_letter", "letter", "Log a letter";
    LogVisit => "log_visit", "visit", "Log a visit";
    AddCallback => "add_callback", "callback", "Add a callback (a promise to ring back)";
    CallbackDone => "callback_done", "done", "Mark the selected callback done (asks first)";
    Link => "link", "link", "Link to another person (a relationship)";
    Unlink => "unlink", "unlink", "Remove the selected relationship (asks first)";
    RevealHealth => "reveal_health", "health", "Show mobility and health details (the view is recorded)";
    TakeReferral => "take_referral", "referral", "Take a referral, in the order a call goes";
    AdvanceReferral => "advance_referral", "next step", "Move the referral on: contacted, accepted, declined, withdrawn";
    Filter => "filter", "filter", "Show another group (by status or kind)";
    FilterStatus => "filter_status", "status", "Show requests in another status (open, awaiting ID, ..., closed)";
    GiveConsent => "give_consent", "consent", "Record consent given (shows the exact wording to read out)";
    WithdrawConsent => "withdraw_consent", "withdraw", "Record a consent withdrawn (asks first)";
    NewRequest => "new_request", "rights request", "Record a rights request (access, erasure, ...)";
    RecordPublication => "record_publication", "published", "Record that a photo or story was published (needs consent in force)";
    RecordDisclosure => "record_disclosure", "disclosure", "Record what went to whom (a disclosure), when and on what basis";
    MarkGiven => "mark_given", "given", "Mark the notice given (letter, email, phone, in person)";
    Exemption => "exemption", "exemption", "Record why the notice need not be given";
    WriteFiles => "write_files", "write", "Write the document to a folder (HTML and plain text)";
    Actions => "actions", "actions", "Choose the next step for this request";
    Confirm => "confirm", "yes", "Yes: go ahead";
    CreateAnyway => "create_anyway", "create anyway", "Save the new person anyway: they are none of the people listed";
    Cancel => "cancel", "no", "No: leave things as they are";
}

impl Action {
    /// Whether the action removes or closes something the user may want back.
    pub fn destructive(self) -> bool {
        matches!(self, Action::CallbackDone | Action::Unlink | Action::WithdrawConsent)
    }

    /// Whether the program asks "are you sure?" before doing the action.
    pub fn confirms(self) -> bool {
        matches!(self, Action::CallbackDone | Action::Unlink | Action::WithdrawConsent)
    }

    /// Parses a snake_case name (case-insensitive, `-` reads as `_`).
    pub fn parse(name: &str) -> Option<Action> {
        let norm = name.trim().to_ascii_lowercase().replace('-', "_");
        Action::ALL.iter().copied().find(|a| a.name() == norm)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where the user is, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Bindings that work everywhere except in popups (and, for printable keys, except where
    /// text is typed).
    Global,
    /// The home screen: today's callbacks and recent people.
    Home,
    /// The search box with its results (text entry).
    Search,
    /// One person's record.
    Person,
    /// A form being filled in (text entry).
    Form,
    /// A popup on top of the screen: confirmation, help. Popups do not inherit global keys.
    Popup,
    /// The second key after `log_contact`: which kind of contact to log.
    LogContact,
    /// The referrals list.
    Referrals,
    /// The Article 14 notices list and a notice's text.
    Notices,
    /// The rights request queue.
    Requests,
    /// One rights request.
    Request,
}

impl Context {
    /// Every context, in the order they appear in `keys.toml` documentation.
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Home,
        Context::Search,
        Context::Person,
        Context::Form,
        Context::Popup,
        Context::LogContact,
        Context::Referrals,
        Context::Notices,
        Context::Requests,
        Context::Request,
    ];

    /// The section name in `keys.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Home => "home",
            Context::Search => "search",
            Context::Person => "person",
            Context::Form => "form",
            Context::Popup => "popup",
            Context::LogContact => "log_contact",
            Context::Referrals => "referrals",
            Context::Notices => "notices",
            Context::Requests => "requests",
            Context::Request => "request",
        }
    }

    /// A human label for the help title.
    pub fn label(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Home => "Home",
            Context::Search => "Search",
            Context::Person => "Person",
            Context::Form => "Form",
            Context::Popup => "Popup",
            Context::LogContact => "Log a contact",
            Context::Referrals => "Referrals",
            Context::Notices => "Article 14 notices",
            Context::Requests => "Rights requests",
            Context::Request => "Rights request",
        }
    }

    /// Parses a section name (case-insensitive, `-` reads as `_`).
    pub fn parse(name: &str) -> Option<Context> {
        let norm = name.trim().to_ascii_lowercase().replace('-', "_");
        Context::ALL.iter().copied().find(|c| c.name() == norm)
    }

    /// Whether the user types text here, so printable characters and editing keys must reach
    /// the input instead of being bound.
    pub fn is_text_entry(self) -> bool {
        matches!(self, Context::Search | Context::Form)
    }

    /// Whether the global bindings also apply here.
    pub fn inherits_global(self) -> bool {
        matches!(
            self,
            Context::Home
                | Context::Search
                | Context::Person
                | Context::Form
                | Context::Referrals
                | Context::Notices
                | Context::Requests
                | Context::Request
        )
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One key press as bound: a key code and the ctrl/alt/shift modifiers, normalised so that what
/// a terminal sends and what a user writes in `keys.toml` compare equal (`G` is `Char('G')`
/// without shift; `shift-tab` is `BackTab`; `ctrl-S` is `ctrl-s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl Key {
    /// The key as a terminal event (tests press keys this way).
    pub fn event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.modifiers)
    }

    /// A key with modifiers, normalised.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers = modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            _ => {}
        }
        Key { code, modifiers }
    }

    /// A character typed on its own: `Key::char('j')`, `Key::char('G')`, `Key::char('?')`.
    pub fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Ctrl with a character: `Key::ctrl('s')`.
    pub fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// A key without modifiers: `Key::code(KeyCode::Enter)`.
    pub fn code(code: KeyCode) -> Key {
        Key::new(code, KeyModifiers::NONE)
    }

    /// The key of a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// The key code.
    pub fn key_code(self) -> KeyCode {
        self.code
    }

    /// The modifiers (only ctrl, alt and shift are kept).
    pub fn modifiers(self) -> KeyModifiers {
        self.modifiers
    }

    /// A character typed without ctrl or alt: in a text box it is text, not a command.
    pub fn is_printable(self) -> bool {
        matches!(self.code, KeyCode::Char(c) if !c.is_control())
            && !self.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// A key a text box uses to edit its text: it is never bound in text-entry contexts.
    pub fn is_text_editing(self) -> bool {
        let plain = self.modifiers.is_empty();
        match self.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End | KeyCode::Backspace | KeyCode::Delete => {
                plain
            }
            KeyCode::Char(c) if self.modifiers == KeyModifiers::CONTROL => {
                matches!(c, 'a' | 'e' | 'u' | 'w' | 'k')
            }
            _ => false,
        }
    }

    /// Whether a text box takes this key for itself (typing or editing).
    pub fn is_reserved_for_text(self) -> bool {
        self.is_printable() || self.is_text_editing()
    }

    /// Parses the `keys.toml` spelling: `j`, `G`, `?`, `ctrl-s`, `alt-x`, `shift-tab`, `enter`,
    /// `esc`, `space`, `up`, `pageup`, `f1`. Modifiers may also be joined with `+`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::char(c));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty key".to_string());
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let found = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("ctrl+", KeyModifiers::CONTROL),
                ("control-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("alt+", KeyModifiers::ALT),
                ("meta-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
                ("shift+", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find(|(prefix, _)| lower.starts_with(prefix) && lower.len() > prefix.len());
            match found {
                Some((prefix, m)) => {
                    modifiers |= m;
                    rest = &rest[prefix.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if modifiers.contains(KeyModifiers::SHIFT) {
                if !c.is_alphabetic() {
                    return Err(format!(
                        "\"{text}\": shift only goes with letters; write the character itself"
                    ));
                }
                modifiers.remove(KeyModifiers::SHIFT);
                let upper: Vec<char> = c.to_uppercase().collect();
                let c = if upper.len() == 1 { upper[0] } else { c };
                return Ok(Key::new(KeyCode::Char(c), modifiers));
            }
            return Ok(Key::new(KeyCode::Char(c), modifiers));
        }
        let name = rest.to_ascii_lowercase();
        let code = match name.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" | "page_up" => KeyCode::PageUp,
            "pagedown" | "pgdn" | "page_down" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "space" => KeyCode::Char(' '),
            "minus" => KeyCode::Char('-'),
            _ => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                _ => {
                    return Err(format!(
                        "\"{text}\" is not a key: write a character (\"j\", \"?\"), a name \
                         (\"enter\", \"esc\", \"tab\", \"up\", \"pageup\", \"f1\") or ctrl-/alt-/shift- \
                         with one of them"
                    ))
                }
            },
        };
        Ok(Key::new(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{}", format!("{other:?}").to_ascii_lowercase()),
        }
    }
}

/// A problem in a key bindings file, with the line to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KeymapError {
    /// The file's name as shown to the user (`keys.toml` unless loaded from another name).
    pub file: String,
    /// The 1-based line of the problem; 0 when it is about the whole file.
    pub line: usize,
    /// What is wrong, in words the user can act on.
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        }
    }
}

/// An action's keys in one context, and the file line that set them (0: the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Binding {
    action: Action,
    keys: Vec<Key>,
    line: usize,
}

/// Every binding, by context. Build with [`Keymap::default`], [`Keymap::from_toml`] or
/// [`Keymap::load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    contexts: Vec<Vec<Binding>>,
}

/// The actions the footer shows per context, most useful first.
fn footer_actions(context: Context) -> &'static [Action] {
    use Action::*;
    match context {
        Context::Global => &[Help, Quit],
        Context::Home => &[OpenSearch, NewPerson, Open, Help, Quit],
        Context::Search => &[Open, Down, Up, Back, Help],
        Context::Person => &[Edit, LogContact, AddCallback, GiveConsent, NewRequest, Back, Help],
        Context::Form => &[Save, NextField, PrevField, Back, Help],
        Context::Popup => &[Confirm, Cancel, Back],
        Context::LogContact => &[LogCall, LogEmail, LogLetter, LogVisit, Back],
        Context::Referrals => &[Open, TakeReferral, AdvanceReferral, Filter, Help],
        Context::Notices => &[Open, MarkGiven, Exemption, WriteFiles, Help],
        Context::Requests => &[Open, NewRequest, Filter, FilterStatus, Help],
        Context::Request => &[Actions, WriteFiles, Back, Help],
    }
}

fn default_bindings(context: Context) -> Vec<(Action, Vec<Key>)> {
    use Action::*;
    use KeyCode as K;
    let c = Key::char;
    let k = Key::code;
    let ctrl = Key::ctrl;
    match context {
        Context::Global => vec![
            (Quit, vec![c('q'), ctrl('c')]),
            (Back, vec![k(K::Esc)]),
            (Help, vec![c('?'), k(K::F(1))]),
            (OpenSearch, vec![c('/'), ctrl('f')]),
            (Up, vec![k(K::Up), c('k')]),
            (Down, vec![k(K::Down), c('j')]),
            (Left, vec![k(K::Left)]),
            (Right, vec![k(K::Right)]),
            (PageUp, vec![k(K::PageUp)]),
            (PageDown, vec![k(K::PageDown)]),
            (Top, vec![k(K::Home), c('g')]),
            (Bottom, vec![k(K::End), c('G')]),
            (Open, vec![k(K::Enter)]),
            (Lock, vec![ctrl('l')]),
            (Refresh, vec![c('R'), k(K::F(5))]),
            (NextScreen, vec![c(']')]),
            (PrevScreen, vec![c('[')]),
            (Screen1, vec![c('1')]),
            (Screen2, vec![c('2')]),
            (Screen3, vec![c('3')]),
            (Screen4, vec![c('4')]),
            (Screen5, vec![c('5')]),
        ],
        Context::Home => vec![
            (NewPerson, vec![c('n')]),
            (AddCallback, vec![c('b')]),
            (CallbackDone, vec![c('x')]),
            (TakeReferral, vec![c('i')]),
        ],
        Context::Search => vec![(Down, vec![ctrl('n')]), (Up, vec![ctrl('p')])],
        Context::Person => vec![
            (Edit, vec![c('e')]),
            (LogContact, vec![c('l')]),
            (AddCallback, vec![c('b')]),
            (CallbackDone, vec![c('x')]),
            (Link, vec![c('r')]),
            (Unlink, vec![c('U')]),
            (RevealHealth, vec![c('H')]),
            (GiveConsent, vec![c('c')]),
            (WithdrawConsent, vec![c('w')]),
            (NewRequest, vec![c('p')]),
            (RecordDisclosure, vec![c('S')]),
            (RecordPublication, vec![c('P')]),
        ],
        Context::Form => vec![
            (Save, vec![ctrl('s')]),
            (NextField, vec![k(K::Tab)]),
            (PrevField, vec![k(K::BackTab)]),
        ],
        Context::Popup => vec![
            (Confirm, vec![c('y')]),
            (Cancel, vec![c('n')]),
            (CreateAnyway, vec![c('c')]),
            (Back, vec![k(K::Esc), c('q')]),
            (Help, vec![c('?'), k(K::F(1))]),
            (Open, vec![k(K::Enter)]),
            (Up, vec![k(K::Up), c('k')]),
            (Down, vec![k(K::Down), c('j')]),
            (Left, vec![k(K::Left), c('h')]),
            (Right, vec![k(K::Right), c('l')]),
            (NextField, vec![k(K::Tab)]),
            (PrevField, vec![k(K::BackTab)]),
            (PageUp, vec![k(K::PageUp)]),
            (PageDown, vec![k(K::PageDown), c(' ')]),
            (Top, vec![k(K::Home), c('g')]),
            (Bottom, vec![k(K::End), c('G')]),
        ],
        Context::Referrals => vec![
            (TakeReferral, vec![c('i')]),
            (AdvanceReferral, vec![c('a')]),
            (Filter, vec![c('f')]),
        ],
        Context::Notices => vec![
            (MarkGiven, vec![c('m')]),
            (Exemption, vec![c('E')]),
            (WriteFiles, vec![c('W')]),
            (Filter, vec![c('f')]),
        ],
        Context::Requests => vec![
            (NewRequest, vec![c('n')]),
            (Filter, vec![c('f')]),
            (FilterStatus, vec![c('S')]),
        ],
        Context::Request => vec![(Actions, vec![c('a')]), (WriteFiles, vec![c('W')])],
        Context::LogContact => vec![
            (LogCall, vec![c('c')]),
            (LogEmail, vec![c('e')]),
            (LogLetter, vec![c('l')]),
            (LogVisit, vec![c('v')]),
            (Back, vec![k(K::Esc)]),
        ],
    }
}

impl Default for Keymap {
    fn default() -> Self {
        let contexts = Context::ALL
            .iter()
            .map(|&ctx| {
                default_bindings(ctx)
                    .into_iter()
                    .map(|(action, keys)| Binding { action, keys, line: 0 })
                    .collect()
            })
            .collect();
        Keymap { contexts }
    }
}

/// Why a key may not be bound to an action in a context, if it may not.
fn binding_rule(context: Context, action: Action, key: Key) -> Result<(), String> {
    destructive_rule(action.destructive(), action.confirms(), key)
        .map_err(|why| format!("key \"{key}\" cannot do {action}: {why}"))?;
    if context.is_text_entry() && key.is_reserved_for_text() {
        let what = if key.is_printable() {
            "it is typed as text there"
        } else {
            "it edits text there"
        };
        return Err(format!(
            "key \"{key}\" cannot be bound in [{context}]: {what}; use ctrl-, alt-, a function \
             key, enter, esc or tab"
        ));
    }
    Ok(())
}

/// The rule for destructive actions: never `d`, and a plain key only with a confirmation.
fn destructive_rule(destructive: bool, confirms: bool, key: Key) -> Result<(), String> {
    if !destructive {
        return Ok(());
    }
    if matches!(key.code, KeyCode::Char('d' | 'D')) {
        return Err("\"d\" is too easy to press by mistake for something destructive".into());
    }
    if key.is_printable() && !confirms {
        return Err("a destructive action without a confirmation needs ctrl- or alt- with its key".into());
    }
    Ok(())
}

type Spanned<T> = toml::Spanned<T>;
type RawSection = std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>;
type RawFile = std::collections::BTreeMap<Spanned<String>, Spanned<RawSection>>;

impl Keymap {
    /// What a key press means in a context: the context's own bindings first, then (for contexts
    /// that inherit them) the global ones. In text-entry contexts printable characters and the
    /// editing keys are never actions: `None` tells the caller to give the key to the input.
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        self.lookup_key(context, Key::from_event(event))
    }

    /// [`Keymap::lookup`] for an already-normalised key.
    pub fn lookup_key(&self, context: Context, key: Key) -> Option<Action> {
        if context.is_text_entry() && key.is_reserved_for_text() {
            return None;
        }
        let find = |ctx: Context| {
            self.contexts[ctx.index()]
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| b.action)
        };
        find(context).or_else(|| {
            if context.inherits_global() {
                find(Context::Global)
            } else {
                None
            }
        })
    }

    /// Every key that does `action` in `context`, own keys first, then inherited global keys
    /// that work there.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<Key> {
        self.effective(context)
            .into_iter()
            .find(|(a, _)| *a == action)
            .map(|(_, keys)| keys)
            .unwrap_or_default()
    }

    /// The keys of `action` in `context` as the user reads them: `"k, up"`; empty when unbound.
    pub fn describe_keys(&self, context: Context, action: Action) -> String {
        join_keys(&self.keys_for(context, action))
    }

    /// The help for a context: every action that works there with all its keys, the context's
    /// own actions first. Generated from the bindings, so it never drifts from them.
    pub fn help(&self, context: Context) -> Vec<(String, &'static str)> {
        self.effective(context)
            .into_iter()
            .map(|(action, keys)| (join_keys(&keys), action.description()))
            .collect()
    }

    /// The footer for a context: the few most useful actions, each with its first key.
    pub fn footer(&self, context: Context) -> Vec<(String, &'static str)> {
        let effective = self.effective(context);
        footer_actions(context)
            .iter()
            .filter_map(|action| {
                effective
                    .iter()
                    .find(|(a, _)| a == action)
                    .and_then(|(_, keys)| keys.first())
                    .map(|key| (key.to_string(), action.short()))
            })
            .collect()
    }

    /// The actions that work in a context with their keys, in help order.
    fn effective(&self, context: Context) -> Vec<(Action, Vec<Key>)> {
        let mut out: Vec<(Action, Vec<Key>)> = self.contexts[context.index()]
            .iter()
            .map(|b| (b.action, b.keys.clone()))
            .collect();
        if context.inherits_global() {
            for b in &self.contexts[Context::Global.index()] {
                let keys: Vec<Key> = b
                    .keys
                    .iter()
                    .copied()
                    .filter(|&k| self.lookup_key(context, k) == Some(b.action))
                    .collect();
                match out.iter_mut().find(|(a, _)| *a == b.action) {
                    Some((_, existing)) => {
                        for k in keys {
                            if !existing.contains(&k) {
                                existing.push(k);
                            }
                        }
                    }
                    None => out.push((b.action, keys)),
                }
            }
        }
        out.retain(|(_, keys)| !keys.is_empty());
        out
    }

    /// Replaces the keys of an action in a context.
    fn set(&mut self, context: Context, action: Action, keys: Vec<Key>, line: usize) {
        let bindings = &mut self.contexts[context.index()];
        match bindings.iter_mut().find(|b| b.action == action) {
            Some(b) => {
                b.keys = keys;
                b.line = line;
            }
            None => bindings.push(Binding { action, keys, line }),
        }
    }

    /// Every broken rule in the whole keymap, as errors at the line that caused them.
    fn problems(&self, file: &str) -> Vec<KeymapError> {
        let mut errors = Vec::new();
        let err = |line: usize, message: String| KeymapError {
            file: file.to_string(),
            line,
            message,
        };
        for &context in Context::ALL {
            // (key, action, context it came from, line)
            let mut seen: Vec<(Key, Action, Context, usize)> = Vec::new();
            let mut sources = vec![context];
            if context.inherits_global() {
                sources.push(Context::Global);
            }
            for &source in &sources {
                for b in &self.contexts[source.index()] {
                    for &key in &b.keys {
                        if source == context {
                            if let Err(message) = binding_rule(context, b.action, key) {
                                errors.push(err(b.line, message));
                            }
                        } else if context.is_text_entry() && key.is_reserved_for_text() {
                            // A global key the text box takes: not active here, so no clash.
                            continue;
                        }
                        if let Some(&(_, other, other_ctx, other_line)) = seen.iter().find(|(k, ..)| *k == key) {
                            let line = b.line.max(other_line);
                            let message = if other == b.action && other_ctx == source {
                                format!("key \"{key}\" is listed twice for {other} in [{source}]")
                            } else if other_ctx == source {
                                format!(
                                    "key \"{key}\" is bound twice in [{source}]: to {other} and \
                                     to {}",
                                    b.action
                                )
                            } else {
                                format!(
                                    "key \"{key}\" in [{other_ctx}] ({other}) clashes with the \
                                     same key in [{source}] ({})",
                                    b.action
                                )
                            };
                            errors.push(err(line, message));
                        } else {
                            seen.push((key, b.action, source, b.line));
                        }
                    }
                }
            }
        }
        // There must always be a way out: quitting, and going back wherever the defaults go back.
        let defaults = Keymap::default();
        for &context in Context::ALL {
            for must in [Action::Quit, Action::Back] {
                if defaults.keys_for(context, must).is_empty() || !self.keys_for(context, must).is_empty() {
                    continue;
                }
                let line = [context, Context::Global]
                    .iter()
                    .filter_map(|c| self.contexts[c.index()].iter().find(|b| b.action == must))
                    .map(|b| b.line)
                    .max()
                    .unwrap_or(0);
                errors.push(err(
                    line,
                    format!(
                        "{must} has no key left in [{context}], so there would be no way out: give it at least one key"
                    ),
                ));
            }
        }
        errors.sort_by_key(|e| e.line);
        errors.dedup();
        errors
    }

    /// The default keymap with the overrides in a `keys.toml` text applied. The first problem
    /// (by line) is returned as an error naming its line.
    pub fn from_toml(text: &str) -> Result<Keymap, KeymapError> {
        Keymap::from_toml_named(text, "keys.toml")
    }

    fn from_toml_named(text: &str, file: &str) -> Result<Keymap, KeymapError> {
        let err = |line: usize, message: String| KeymapError {
            file: file.to_string(),
            line,
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::profile::line_at(text, s.start)).unwrap_or(0);
            err(line, e.message().trim().to_string())
        })?;
        let mut keymap = Keymap::default();
        let mut errors = Vec::new();
        for (section, table) in &raw {
            let section_line = crate::profile::line_at(text, section.span().start);
            let Some(context) = Context::parse(section.get_ref()) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                errors.push(err(
                    section_line,
                    format!(
                        "unknown context \"{}\": expected one of {}",
                        section.get_ref(),
                        names.join(", ")
                    ),
                ));
                continue;
            };
            for (name, value) in table.get_ref() {
                let line = crate::profile::line_at(text, name.span().start);
                let Some(action) = Action::parse(name.get_ref()) else {
                    errors.push(err(
                        line,
                        format!(
                            "unknown action \"{}\" (the help popup, ?, lists them; names look \
                             like open_search)",
                            name.get_ref()
                        ),
                    ));
                    continue;
                };
                let texts: Vec<&str> = match value.get_ref() {
                    toml::Value::String(s) => vec![s.as_str()],
                    toml::Value::Array(items) => {
                        let strings: Option<Vec<&str>> = items.iter().map(|v| v.as_str()).collect();
                        match strings {
                            Some(s) => s,
                            None => {
                                errors.push(err(
                                    line,
                                    format!("{action}: write keys as text, like [\"q\", \"ctrl-q\"]"),
                                ));
                                continue;
                            }
                        }
                    }
                    _ => {
                        errors.push(err(
                            line,
                            format!("{action}: write a key like \"ctrl-s\" or a list of keys"),
                        ));
                        continue;
                    }
                };
                let mut keys = Vec::new();
                for t in texts {
                    match Key::parse(t) {
                        Ok(key) => keys.push(key),
                        Err(why) => errors.push(err(line, format!("cannot read key: {why}"))),
                    }
                }
                keymap.set(context, action, keys, line);
            }
        }
        errors.extend(keymap.problems(file));
        errors.sort_by_key(|e| e.line);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(keymap),
        }
    }

    /// Reads a key bindings file; a file that does not exist means the defaults.
    pub fn load(path: &Path) -> Result<Keymap, KeymapError> {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "keys.toml".to_string());
        match std::fs::read_to_string(path) {
            Ok(text) => Keymap::from_toml_named(&text, &file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default()),
            Err(e) => Err(KeymapError {
                file: path.display().to_string(),
                line: 0,
                message: format!("cannot read the key bindings file ({e}); fix or remove it"),
            }),
        }
    }

    /// The whole keymap as a `keys.toml` text, for users to copy and edit.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for &context in Context::ALL {
            out.push_str(&format!("[{context}]\n"));
            for b in &self.contexts[context.index()] {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .map(|k| format!("\"{}\"", k.to_string().replace('\\', "\\\\").replace('"', "\\\"")))
                    .collect();
                out.push_str(&format!("{} = [{}]\n", b.action, keys.join(", ")));
            }
            out.push('\n');
        }
        out
    }
}

fn join_keys(keys: &[Key]) -> String {
    keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn ch(c: char) -> KeyEvent {
        ev(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn a_keymap_without_a_way_out_is_refused() {
        let e = Keymap::from_toml("[global]\nquit = []\n").expect_err("no quit");
        assert!(e.message.contains("no way out"), "{}", e.message);
        assert_eq!(e.line, 2);
        let e = Keymap::from_toml("[global]\nback = []\n").expect_err("no back");
        assert!(e.message.contains("no way out"), "{}", e.message);
        // An empty binding in one screen still leaves the global key.
        assert!(Keymap::from_toml("[person]\nback = []\n").is_ok());
        assert!(Keymap::from_toml("[global]\nquit = [\"ctrl-q\"]\n").is_ok());
    }

    #[test]
    fn defaults_obey_every_rule() {
        let km = Keymap::default();
        assert_eq!(km.problems("keys.toml"), vec![]);
    }

    #[test]
    fn every_action_is_bound_somewhere_by_default() {
        let km = Keymap::default();
        for &action in Action::ALL {
            let bound = Context::ALL.iter().any(|&c| !km.keys_for(c, action).is_empty());
            assert!(bound, "{action} has no default key");
        }
    }

    #[test]
    fn action_and_context_names_round_trip() {
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.name()), Some(a));
            assert!(a
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()));
        }
        for &c in Context::ALL {
            assert_eq!(Context::parse(c.name()), Some(c));
        }
        assert_eq!(Action::parse("Open-Search"), Some(Action::OpenSearch));
        assert_eq!(Action::parse("frobnicate"), None);
    }

    #[test]
    fn global_keys_work_in_screens() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Home, &ch('q')), Some(Action::Quit));
        assert_eq!(km.lookup(Context::Person, &ch('j')), Some(Action::Down));
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(km.lookup(Context::Person, &ch('g')), Some(Action::Top));
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Home, KeyModifiers::NONE)),
            Some(Action::Top)
        );
        assert_eq!(km.lookup(Context::Person, &ch('G')), Some(Action::Bottom));
        assert_eq!(km.lookup(Context::Home, &ch('3')), Some(Action::Screen3));
        assert_eq!(km.lookup(Context::Home, &ch(']')), Some(Action::NextScreen));
        assert_eq!(km.lookup(Context::Home, &ch('?')), Some(Action::Help));
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::F(1), KeyModifiers::NONE)),
            Some(Action::Help)
        );
    }

    #[test]
    fn shifted_capitals_match_whatever_the_terminal_sends() {
        let km = Keymap::default();
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('U'), KeyModifiers::SHIFT)),
            Some(Action::Unlink)
        );
        assert_eq!(km.lookup(Context::Person, &ch('H')), Some(Action::RevealHealth));
        assert_eq!(km.lookup(Context::Person, &ch('u')), None);
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.lookup(
                Context::Form,
                &ev(KeyCode::Char('S'), KeyModifiers::CONTROL | KeyModifiers::SHIFT)
            ),
            Some(Action::Save)
        );
    }

    #[test]
    fn person_screen_keys() {
        let km = Keymap::default();
        let person = |c| km.lookup(Context::Person, &ch(c));
        assert_eq!(person('e'), Some(Action::Edit));
        assert_eq!(person('l'), Some(Action::LogContact));
        assert_eq!(person('b'), Some(Action::AddCallback));
        assert_eq!(person('x'), Some(Action::CallbackDone));
        assert_eq!(person('r'), Some(Action::Link));
        assert_eq!(person('R'), Some(Action::Refresh));
        assert_eq!(person('d'), None);
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('l'), KeyModifiers::CONTROL)),
            Some(Action::Lock)
        );
    }

    #[test]
    fn logging_a_contact_takes_two_keys() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Person, &ch('l')), Some(Action::LogContact));
        let second = |c| km.lookup(Context::LogContact, &ch(c));
        assert_eq!(second('c'), Some(Action::LogCall));
        assert_eq!(second('e'), Some(Action::LogEmail));
        assert_eq!(second('l'), Some(Action::LogLetter));
        assert_eq!(second('v'), Some(Action::LogVisit));
        assert_eq!(
            km.lookup(Context::LogContact, &ev(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
        // Global keys do not leak into the second key.
        assert_eq!(second('q'), None);
        assert_eq!(second('j'), None);
    }

    #[test]
    fn text_entry_lets_printable_and_editing_keys_through() {
        let km = Keymap::default();
        for ctx in [Context::Form, Context::Search] {
            for c in ['q', 'j', 'k', 'g', 'G', '?', '/', '1', ']', ' ', 'é', 'R'] {
                assert_eq!(km.lookup(ctx, &ch(c)), None, "{c} in {ctx}");
            }
            for code in [
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Backspace,
                KeyCode::Delete,
            ] {
                assert_eq!(km.lookup(ctx, &ev(code, KeyModifiers::NONE)), None, "{code:?} in {ctx}");
            }
            for c in ['u', 'w', 'a', 'e', 'k'] {
                assert_eq!(km.lookup(ctx, &ev(KeyCode::Char(c), KeyModifiers::CONTROL)), None);
            }
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Esc, KeyModifiers::NONE)),
                Some(Action::Back)
            );
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Enter, KeyModifiers::NONE)),
                Some(Action::Open)
            );
            assert_eq!(km.lookup(ctx, &ev(KeyCode::Up, KeyModifiers::NONE)), Some(Action::Up));
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::F(1), KeyModifiers::NONE)),
                Some(Action::Help)
            );
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
                Some(Action::Quit)
            );
        }
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Tab, KeyModifiers::NONE)),
            Some(Action::NextField)
        );
        assert_eq!(
            km.lookup(Context::Search, &ev(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
    }

    #[test]
    fn popups_do_not_inherit_global_keys() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Popup, &ch('y')), Some(Action::Confirm));
        assert_eq!(km.lookup(Context::Popup, &ch('n')), Some(Action::Cancel));
        assert_eq!(
            km.lookup(Context::Popup, &ev(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
        assert_eq!(km.lookup(Context::Popup, &ch('1')), None);
        assert_eq!(km.lookup(Context::Popup, &ch('/')), None);
        assert_eq!(
            km.lookup(Context::Popup, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn keys_parse_and_format() {
        let cases = [
            ("j", Key::char('j'), "j"),
            ("G", Key::char('G'), "G"),
            ("shift-g", Key::char('G'), "G"),
            ("?", Key::char('?'), "?"),
            ("-", Key::char('-'), "-"),
            ("ctrl-s", Key::ctrl('s'), "ctrl-s"),
            ("Ctrl+S", Key::ctrl('s'), "ctrl-s"),
            ("ctrl--", Key::ctrl('-'), "ctrl--"),
            ("alt-x", Key::new(KeyCode::Char('x'), KeyModifiers::ALT), "alt-x"),
            ("shift-tab", Key::code(KeyCode::BackTab), "shift-tab"),
            ("backtab", Key::code(KeyCode::BackTab), "shift-tab"),
            ("enter", Key::code(KeyCode::Enter), "enter"),
            ("Return", Key::code(KeyCode::Enter), "enter"),
            ("esc", Key::code(KeyCode::Esc), "esc"),
            ("escape", Key::code(KeyCode::Esc), "esc"),
            ("up", Key::code(KeyCode::Up), "up"),
            ("pgdn", Key::code(KeyCode::PageDown), "pagedown"),
            ("f1", Key::code(KeyCode::F(1)), "f1"),
            ("F12", Key::code(KeyCode::F(12)), "f12"),
            ("space", Key::char(' '), "space"),
            (" ", Key::char(' '), "space"),
            (
                "ctrl-shift-up",
                Key::new(KeyCode::Up, KeyModifiers::CONTROL | KeyModifiers::SHIFT),
                "ctrl-shift-up",
            ),
        ];
        for (text, key, shown) in cases {
            assert_eq!(Key::parse(text), Ok(key), "{text:?}");
            assert_eq!(key.to_string(), shown, "{text:?}");
            if text != " " {
                assert_eq!(Key::parse(&key.to_string()), Ok(key), "round trip of {text:?}");
            }
        }
        for bad in ["", "jj", "ctrl-", "f0", "f99", "hyper-x", "shift-1", "enterr"] {
            assert!(Key::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn every_default_key_round_trips_through_its_spelling() {
        let km = Keymap::default();
        for &ctx in Context::ALL {
            for b in &km.contexts[ctx.index()] {
                for k in &b.keys {
                    assert_eq!(Key::parse(&k.to_string()), Ok(*k));
                }
            }
        }
    }

    #[test]
    fn to_toml_reads_back_as_the_same_keymap() {
        let km = Keymap::default();
        let again = Keymap::from_toml(&km.to_toml()).unwrap();
        for &ctx in Context::ALL {
            for &a in Action::ALL {
                assert_eq!(km.keys_for(ctx, a), again.keys_for(ctx, a));
            }
        }
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let km = Keymap::from_toml("[person]\nedit = \"E\"\n[global]\nquit = [\"q\", \"ctrl-q\"]\n").unwrap();
        assert_eq!(km.lookup(Context::Person, &ch('E')), Some(Action::Edit));
        assert_eq!(km.lookup(Context::Person, &ch('e')), None);
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(km.lookup(Context::Home, &ch('q')), Some(Action::Quit));
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.help(Context::Person)[0],
            ("E".to_string(), Action::Edit.description())
        );
    }

    #[test]
    fn an_empty_list_unbinds() {
        let km = Keymap::from_toml("[global]\nrefresh = []\n").unwrap();
        assert_eq!(km.lookup(Context::Home, &ch('R')), None);
        assert!(km
            .help(Context::Home)
            .iter()
            .all(|(_, d)| *d != Action::Refresh.description()));
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(Keymap::from_toml("").unwrap(), Keymap::default());
        assert_eq!(Keymap::from_toml("# my keys\n\n").unwrap(), Keymap::default());
    }

    fn error(text: &str) -> KeymapError {
        Keymap::from_toml(text).unwrap_err()
    }

    #[test]
    fn unknown_action_names_its_line() {
        let e = error("[person]\nedit = \"E\"\nfrobnicate = \"z\"\n");
        assert_eq!(e.line, 3);
        assert!(
            e.to_string()
                .starts_with("keys.toml line 3: unknown action \"frobnicate\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_context_names_its_line() {
        let e = error("\n[persons]\nedit = \"E\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown context \"persons\""), "{e}");
        assert!(e.message.contains("person"), "lists the valid names: {e}");
    }

    #[test]
    fn unparsable_key_names_its_line() {
        let e = error("[global]\n\nquit = [\"q\", \"ctrl-qq\"]\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("ctrl-qq"), "{e}");
        let e = error("[global]\nquit = 7\n");
        assert_eq!(e.line, 2);
        let e = error("[global]\nquit = [\"q\", 7]\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn toml_syntax_errors_name_their_line() {
        let e = error("[global]\nquit = \"q\"\nhelp = \n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("quit = \"q\"\n");
        assert_eq!(e.line, 1, "{e}");
        let e = error("[global]\nquit = \"q\"\nquit = \"x\"\n");
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn a_key_bound_twice_in_a_context_is_refused() {
        let e = error("[person]\nedit = \"l\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"l\""), "{e}");
        assert!(e.message.contains("bound twice in [person]"), "{e}");
        let e = error("[person]\nedit = [\"E\", \"E\"]\n");
        assert!(e.message.contains("listed twice"), "{e}");
    }

    #[test]
    fn a_clash_with_a_global_key_is_refused() {
        // In [person], "j" is already the global down.
        let e = error("[person]\nedit = \"j\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("[global]"), "{e}");
        // And a global rebinding that clashes with a screen key points at the global line.
        let e = error("# mine\n[global]\nquit = \"x\"\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("callback_done"), "{e}");
        // Popups do not inherit, so "y" globally is fine.
        assert!(Keymap::from_toml("[global]\nrefresh = \"y\"\n").is_ok());
    }

    #[test]
    fn a_printable_key_cannot_be_bound_where_text_is_typed() {
        let e = error("[form]\nsave = \"s\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("typed as text"), "{e}");
        let e = error("[search]\ndown = \"ctrl-w\"\n");
        assert!(e.message.contains("edits text"), "{e}");
        // A printable global key is simply inactive in text entry, not a clash.
        assert!(Keymap::from_toml("[global]\nrefresh = \"s\"\n").is_ok());
    }

    #[test]
    fn d_is_never_destructive() {
        let e = error("[person]\nunlink = \"d\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"d\""), "{e}");
        assert!(error("[person]\nunlink = \"ctrl-d\"\n").message.contains("too easy"));
        assert!(error("[person]\nunlink = \"D\"\n").message.contains("too easy"));
        // A confirming destructive action may have a plain key.
        assert!(Keymap::from_toml("[person]\nunlink = \"u\"\n").is_ok());
        // d for something harmless is fine.
        assert!(Keymap::from_toml("[person]\nedit = \"d\"\n").is_ok());
    }

    #[test]
    fn destructive_without_confirmation_needs_a_modifier() {
        assert!(destructive_rule(true, false, Key::char('z')).is_err());
        assert!(destructive_rule(true, false, Key::char('Z')).is_err());
        assert!(destructive_rule(true, false, Key::ctrl('z')).is_ok());
        assert!(destructive_rule(true, false, Key::code(KeyCode::Delete)).is_ok());
        assert!(destructive_rule(true, true, Key::char('z')).is_ok());
        assert!(destructive_rule(true, true, Key::char('d')).is_err());
        assert!(destructive_rule(false, false, Key::char('d')).is_ok());
        for &a in Action::ALL {
            if a.destructive() {
                assert!(a.confirms(), "{a} is destructive: give it a confirmation");
            }
        }
    }

    #[test]
    fn the_first_problem_by_line_is_reported() {
        let e = error("[global]\nquit = \"zz\"\n[persons]\n");
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn help_is_generated_from_the_bindings() {
        let km = Keymap::default();
        let help = km.help(Context::Person);
        assert_eq!(help[0], ("e".to_string(), Action::Edit.description()));
        assert!(help.contains(&("up, k".to_string(), Action::Up.description())));
        assert!(help.contains(&("q, ctrl-c".to_string(), Action::Quit.description())));
        // Search: printable global keys do not work there, so help does not offer them.
        let search = km.help(Context::Search);
        assert!(search.contains(&("ctrl-n, down".to_string(), Action::Down.description())));
        assert!(search.contains(&("f1".to_string(), Action::Help.description())));
        assert!(search.contains(&("ctrl-c".to_string(), Action::Quit.description())));
        assert!(!search.iter().any(|(_, d)| *d == Action::Screen1.description()));
        // Every key in help really does that action.
        for &ctx in Context::ALL {
            for (action, keys) in km.effective(ctx) {
                for k in keys {
                    assert_eq!(km.lookup_key(ctx, k), Some(action), "{k} in {ctx}");
                }
            }
        }
    }

    #[test]
    fn footer_shows_the_main_keys() {
        let km = Keymap::default();
        let footer = km.footer(Context::Home);
        assert_eq!(
            footer,
            vec![
                ("/".to_string(), "search"),
                ("n".to_string(), "new person"),
                ("enter".to_string(), "open"),
                ("?".to_string(), "help"),
                ("q".to_string(), "quit"),
            ]
        );
        assert_eq!(km.footer(Context::Form)[0], ("ctrl-s".to_string(), "save"));
        assert!(km.footer(Context::Form).contains(&("f1".to_string(), "help")));
        let edited = Keymap::from_toml("[person]\nedit = \"E\"\n").unwrap();
        assert_eq!(edited.footer(Context::Person)[0], ("E".to_string(), "edit"));
        let unbound = Keymap::from_toml("[person]\nedit = []\n").unwrap();
        assert_eq!(unbound.footer(Context::Person)[0].1, "log contact");
    }

    #[test]
    fn describe_keys_for_dialogs() {
        let km = Keymap::default();
        assert_eq!(km.describe_keys(Context::Popup, Action::Confirm), "y");
        assert_eq!(km.describe_keys(Context::Popup, Action::Back), "esc, q");
    }

    #[test]
    fn load_missing_file_gives_defaults_and_reads_a_real_one() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("keys.toml");
        assert_eq!(Keymap::load(&missing).unwrap(), Keymap::default());
        std::fs::write(&missing, "[person]\nedit = \"E\"\n").unwrap();
        let km = Keymap::load(&missing).unwrap();
        assert_eq!(km.lookup(Context::Person, &ch('E')), Some(Action::Edit));
        std::fs::write(&missing, "[person]\n\nbogus = \"E\"\n").unwrap();
        let e = Keymap::load(&missing).unwrap_err();
        assert!(
            e.to_string().starts_with("keys.toml line 3: unknown action \"bogus\""),
            "{e}"
        );
        // A directory is not readable as a file: an error, not the defaults.
        assert!(Keymap::load(dir.path()).is_err());
    }
}
