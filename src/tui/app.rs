//! The application: its phases (first run, unlock, unlocked session), the top-level screens,
//! the stack of views and popups, and the routing of keys to whichever has focus. Every screen
//! and popup is a [`Screen`](super::screen::Screen): this file only routes keys, applies the
//! navigation the screens ask for, and passes [`Note`]s between them. It makes no change to the
//! store: a confirmation carries the decision it confirms and runs it itself. (Opening a
//! person records a view of DBS checks in the audit log, as every view of criminal offence
//! data is; that entry is the person screen's, written when it opens.)

use super::keymap::{Action, Context, Keymap};
pub use super::screen::{Cmd, Decision};
use super::screen::{Command, DrawContext, Handled, Input, Note, Notified, Screen};
use super::screens::search::SearchPopup;
use super::screens::setup::SetupScreen;
use super::screens::unlock::UnlockScreen;
use super::terminal::Theme;
use super::widgets::help::HelpPopup;
use crate::domain::clock::Clock;
use crate::store::{DataDir, Store};
use chrono::NaiveDateTime;
use ratatui::crossterm::event::{Event, KeyEvent};
use std::sync::Arc;

/// How long without a key before the screen locks, unless configured.
pub const DEFAULT_IDLE_MINUTES: i64 = 10;

/// An unlocked case file and everything on screen for it.
pub struct Session {
    pub store: Store,
    /// The top-level screens, in number-key order (see [`super::screens::top_level`]).
    pub tabs: Vec<Box<dyn Screen>>,
    /// Which top-level screen is shown.
    pub tab: usize,
    /// Views pushed over the top-level screen (a person, a form...), newest last.
    pub views: Vec<Box<dyn Screen>>,
    /// Popups over everything, newest last; the newest gets the keys.
    pub popups: Vec<Box<dyn Screen>>,
    /// Set while the screen is locked: the same user must type their passphrase.
    pub locked: Option<UnlockScreen>,
    /// The edits this session saved, newest last (see [`crate::tui::screens::undo`]).
    pub edits: Vec<crate::tui::screens::undo::Edit>,
}

pub enum Phase {
    Setup(Box<SetupScreen>),
    Unlock(Box<UnlockScreen>),
    Ready(Box<Session>),
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub dir: DataDir,
    pub clock: Arc<dyn Clock>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub phase: Phase,
    pub status: Option<Status>,
    pub quit: bool,
    pub idle_limit: chrono::Duration,
    /// Argon2id parameters for key slots made here (first-run setup).
    pub kdf: crate::store::KdfParams,
    /// How the data folder is named on screen (tests use a fixed label).
    pub folder_label: String,
    /// Set when the last frame was too small to show the screen: keys do nothing then, since
    /// the user cannot see what they would act on.
    pub too_small: bool,
    /// Whether slow work waits for the event loop to run it with a progress line
    /// ([`App::take_slow`]); otherwise (tests) it runs at once.
    pub defer_slow: bool,
    slow: Option<crate::tui::slow::SlowWork>,
    last_activity: NaiveDateTime,
}

impl App {
    /// The app for a data folder: first-run setup if there is no case file, else unlock.
    pub fn new(dir: DataDir, clock: Arc<dyn Clock>, keymap: Keymap, theme: Theme, user: Option<String>) -> App {
        let phase = if dir.exists() {
            Phase::Unlock(Box::new(UnlockScreen::for_folder(&dir, user.as_deref())))
        } else {
            Phase::Setup(Box::new(SetupScreen::new(&dir)))
        };
        let now = clock.now();
        let folder_label = dir.root().display().to_string();
        // New key slots are made here only by first-run setup, which never makes a demo.
        let (kdf, kdf_warning) = crate::store::KdfParams::for_new_slots(false);
        App {
            kdf,
            folder_label,
            too_small: false,
            defer_slow: false,
            slow: None,
            dir,
            clock,
            keymap,
            theme,
            phase,
            status: kdf_warning.map(|w| Status {
                text: w.to_string(),
                error: true,
            }),
            quit: false,
            idle_limit: chrono::Duration::minutes(DEFAULT_IDLE_MINUTES),
            last_activity: now,
        }
    }

    /// The keymap context of whatever has focus.
    pub fn context(&self) -> Context {
        match &self.phase {
            Phase::Setup(_) | Phase::Unlock(_) => Context::Form,
            Phase::Ready(s) => {
                if s.locked.is_some() {
                    return Context::Form;
                }
                s.focused().context()
            }
        }
    }

    /// Handles a batch of events (everything that was waiting), then refreshes the search
    /// once if its input changed: typing fast never queues queries.
    pub fn handle_events(&mut self, events: Vec<Event>) {
        for ev in events {
            if let Event::Key(key) = ev {
                self.handle_key(key);
            }
            if self.quit {
                return;
            }
        }
        self.after_batch();
    }

    /// Handles one key (tests use this, then [`App::after_batch`]).
    pub fn handle_key(&mut self, key: KeyEvent) {
        self.last_activity = self.clock.now();
        if self.too_small {
            self.status = Some(Status {
                text: "The window is too small to show the screen: make it bigger first.".into(),
                error: true,
            });
            return;
        }
        let ctx = self.context();
        let action = self.keymap.lookup(ctx, &key);
        if action == Some(Action::Lock) {
            if let Phase::Ready(s) = &mut self.phase {
                if s.locked.is_none() {
                    s.lock();
                    self.status = None;
                    return;
                }
            }
        }
        let cmd = match &mut self.phase {
            Phase::Setup(screen) => match screen.handle_key(&self.keymap, &key, self.clock.clone(), self.kdf) {
                super::screens::setup::SetupResult::Stay(cmd) => cmd,
                super::screens::setup::SetupResult::Ready(store) => {
                    self.phase = Phase::Ready(Box::new(Session::new(*store)));
                    let backup = self.keymap.describe_keys(Context::Home, Action::Backup);
                    Cmd::Info(format!(
                        "Case file created. Add the other users with `dutydesk users add`, and back it up ({backup} on the handover)."
                    ))
                }
            },
            Phase::Unlock(screen) => match screen.handle_key(&self.keymap, &key, &self.dir, self.clock.clone()) {
                Ok(Some(store)) => {
                    let name = store.actor().login.clone();
                    self.phase = Phase::Ready(Box::new(Session::new(store)));
                    let key = |a: Action| self.keymap.describe_keys(Context::Home, a);
                    let search = key(Action::OpenSearch);
                    let help = key(Action::Help);
                    let first = |k: &str| k.split(", ").next().unwrap_or_default().to_string();
                    Cmd::Info(format!(
                        "Unlocked as {name}. Press {} to find someone, {} for help.",
                        first(&search),
                        first(&help)
                    ))
                }
                Ok(None) => Cmd::None,
                Err(cmd) => cmd,
            },
            Phase::Ready(session) => session.handle_key(&self.keymap, &key, action),
        };
        self.apply(cmd);
    }

    /// Work left after a batch of keys: refresh the search results once.
    pub fn after_batch(&mut self) {
        if let Phase::Ready(s) = &mut self.phase {
            if let Some(p) = s.popups.last_mut() {
                if let Err(e) = p.after_batch(&s.store) {
                    self.status = Some(Status { text: e, error: true });
                }
            }
        }
    }

    /// Locks the screen if no key has come for the idle limit. Call on every tick.
    pub fn tick(&mut self) {
        if let Phase::Ready(s) = &mut self.phase {
            if s.locked.is_none() && self.clock.now() - self.last_activity >= self.idle_limit {
                s.lock();
                self.status = None;
            }
        }
    }

    /// Whether the screen is locked.
    pub fn is_locked(&self) -> bool {
        matches!(&self.phase, Phase::Ready(s) if s.locked.is_some())
    }

    /// Whether slow work is waiting for the event loop.
    pub fn has_slow(&self) -> bool {
        self.slow.is_some()
    }

    /// Slow work waiting to be run, with the store to run it on and the theme to draw its
    /// progress in.
    pub fn take_slow(&mut self) -> Option<(crate::tui::slow::SlowWork, &mut crate::store::Store, Theme)> {
        let job = self.slow.take()?;
        match &mut self.phase {
            Phase::Ready(s) => Some((job, &mut s.store, self.theme)),
            // Slow work comes only from screens of a signed-in session.
            _ => None,
        }
    }

    /// Carries out what slow work reported when it finished, then reloads the screens (the
    /// work changed the case file after the screen that asked for it had closed).
    pub fn finish_slow(&mut self, report: Cmd) {
        self.last_activity = self.clock.now();
        self.apply(Cmd::Many(vec![report, Cmd::Refresh]));
    }

    fn apply(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::None => {}
            Cmd::Slow(job) if self.defer_slow => self.slow = Some(job),
            Cmd::Slow(job) => {
                if let Phase::Ready(s) = &mut self.phase {
                    let then = (job.work)(&mut s.store);
                    self.finish_slow(then());
                }
            }
            Cmd::Info(text) => self.status = Some(Status { text, error: false }),
            Cmd::Error(text) => self.status = Some(Status { text, error: true }),
            Cmd::Quit => self.quit = true,
            Cmd::Many(cmds) => {
                for c in cmds {
                    self.apply(c);
                }
            }
            other => {
                if let Phase::Ready(s) = &mut self.phase {
                    if let Some(follow) = s.apply(other, &self.keymap) {
                        self.apply(follow);
                    }
                }
            }
        }
    }
}

impl Session {
    pub fn new(store: Store) -> Session {
        let tabs = super::screens::top_level(&store);
        Session {
            store,
            tabs,
            tab: 0,
            views: Vec::new(),
            popups: Vec::new(),
            locked: None,
            edits: Vec::new(),
        }
    }

    /// Locks the screen: the acting user is signed out (audited) and anyone on the rota may
    /// sign in. What they left open stays, for them only.
    pub fn lock(&mut self) {
        let unsaved = !self.popups.is_empty() || self.views.iter().any(|v| v.takes_text());
        self.locked = Some(UnlockScreen::lock(&self.store, unsaved));
    }

    /// Whatever has the keys: the newest popup, else the newest view, else the top-level
    /// screen.
    pub fn focused(&self) -> &dyn Screen {
        if let Some(p) = self.popups.last() {
            return p.as_ref();
        }
        match self.views.last() {
            Some(v) => v.as_ref(),
            None => self.tabs[self.tab].as_ref(),
        }
    }

    /// The newest popup, if it is a `T` (tests look at what is on screen).
    pub fn popup<T: Screen>(&self) -> Option<&T> {
        let any: &dyn std::any::Any = self.popups.last()?.as_ref();
        any.downcast_ref()
    }

    /// The newest view, if it is a `T`.
    pub fn view<T: Screen>(&self) -> Option<&T> {
        let any: &dyn std::any::Any = self.views.last()?.as_ref();
        any.downcast_ref()
    }

    /// The top-level screen `T`, wherever it is.
    pub fn tab<T: Screen>(&self) -> Option<&T> {
        self.tabs.iter().find_map(|t| {
            let any: &dyn std::any::Any = t.as_ref();
            any.downcast_ref()
        })
    }

    /// Offers `key` to the focused screen alone, as the first step of routing a key does;
    /// true if the screen consumed it (the command it returned is dropped). The screen contract
    /// test uses this to check that a screen handles exactly the commands it lists.
    pub fn offer(&mut self, keymap: &Keymap, key: &KeyEvent) -> bool {
        let ctx = self.focused().context();
        let input = Input {
            key,
            action: keymap.lookup(ctx, key),
            keymap,
        };
        let store = &mut self.store;
        let focused: &mut dyn Screen = if let Some(p) = self.popups.last_mut() {
            p.as_mut()
        } else if let Some(v) = self.views.last_mut() {
            v.as_mut()
        } else {
            self.tabs[self.tab].as_mut()
        };
        matches!(focused.handle(&input, store), Handled::Consumed(_))
    }

    /// The commands the application itself handles where the focus is: help, search, going
    /// back or quitting, switching top-level screens, locking and reloading. Popups have none:
    /// each handles its own keys.
    pub fn app_commands(&self) -> Vec<Command> {
        if !self.popups.is_empty() {
            return Vec::new();
        }
        let mut out = vec![Command::on(Action::Help)];
        let typing = self.focused().takes_text();
        if !typing {
            out.push(Command::on(Action::OpenSearch));
        }
        if self.views.is_empty() {
            out.push(Command::on(Action::Quit));
        } else {
            out.push(Command::on(Action::Back));
        }
        if !typing {
            out.extend(
                [
                    Action::Screen1,
                    Action::Screen2,
                    Action::Screen3,
                    Action::Screen4,
                    Action::Screen5,
                ]
                .iter()
                .take(self.tabs.len())
                .map(|a| Command::on(*a)),
            );
            out.push(Command::on(Action::NextScreen));
            out.push(Command::on(Action::PrevScreen));
            out.push(Command::on(Action::Refresh));
        }
        if !typing && !self.edits.is_empty() {
            out.push(Command::on(Action::Undo));
        }
        out.push(Command::on(Action::Lock));
        out
    }

    /// Every command that works where the focus is, in help order: the screen's own first,
    /// then the application's.
    pub fn all_commands(&self) -> Vec<Command> {
        let mut out = self.focused().commands();
        for c in self.app_commands() {
            if !out.iter().any(|o| o.action == c.action) {
                out.push(c);
            }
        }
        out
    }

    /// What drawing may read.
    pub fn draw_context<'a>(&'a self, keymap: &'a Keymap, theme: &'a Theme) -> DrawContext<'a> {
        DrawContext {
            theme,
            keymap,
            today: self.store.clock().today(),
            now: self.store.clock().now(),
            calendar: self.store.calendar(),
        }
    }

    fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, action: Option<Action>) -> Cmd {
        if let Some(lock) = &mut self.locked {
            let locked_by = lock.locked_by().unwrap_or_default().to_string();
            return match lock.check_relock(keymap, key, &mut self.store) {
                Ok(Some(login)) if login == locked_by => {
                    self.locked = None;
                    Cmd::Info(format!("Signed in again as {login}: everything is as you left it."))
                }
                Ok(Some(login)) => {
                    // Someone else on the rota: a fresh session, nothing of the last user's.
                    self.locked = None;
                    self.views.clear();
                    self.popups.clear();
                    // The last user's edits are theirs to undo, not the next volunteer's.
                    self.edits.clear();
                    self.tabs = super::screens::top_level(&self.store);
                    self.tab = 0;
                    Cmd::Info(format!(
                        "Signed in as {login} ({}).",
                        self.store.profile().role_label(self.store.actor().role)
                    ))
                }
                Ok(None) => Cmd::None,
                Err(cmd) => cmd,
            };
        }
        let input = Input { key, action, keymap };
        let in_popup = !self.popups.is_empty();
        // The screen with the focus first; then, outside popups, the application's commands.
        let store = &mut self.store;
        let focused: &mut dyn Screen = if let Some(p) = self.popups.last_mut() {
            p.as_mut()
        } else if let Some(v) = self.views.last_mut() {
            v.as_mut()
        } else {
            self.tabs[self.tab].as_mut()
        };
        if let Handled::Consumed(cmd) = focused.handle(&input, store) {
            return cmd;
        }
        if in_popup {
            return Cmd::None;
        }
        let Some(action) = action else {
            return self.stray(keymap, key);
        };
        // q (the quit key) on a view goes back, as esc does: quitting is from the top.
        if action == Action::Quit && !self.views.is_empty() && !self.focused().takes_text() {
            return Cmd::Back;
        }
        if !self.app_commands().iter().any(|c| c.action == action) {
            return self.stray(keymap, key);
        }
        match action {
            Action::Help => {
                let entries = help_entries(keymap, self.focused().context(), &self.all_commands());
                Cmd::popup(HelpPopup::new(keymap, &self.focused().title(), entries))
            }
            Action::OpenSearch => Cmd::popup(SearchPopup::new(super::screens::search::Purpose::Open)),
            Action::Back => Cmd::Back,
            Action::Quit => Cmd::Quit,
            Action::Refresh => Cmd::Many(vec![Cmd::Refresh, Cmd::Info("Reloaded.".into())]),
            Action::Undo => match self.edits.last() {
                Some(edit) => crate::tui::screens::undo::undo_confirmation(edit.clone()),
                None => Cmd::Info("Nothing to undo.".into()),
            },
            Action::Screen1
            | Action::Screen2
            | Action::Screen3
            | Action::Screen4
            | Action::Screen5
            | Action::NextScreen
            | Action::PrevScreen => {
                let n = self.tabs.len();
                let next = match action {
                    Action::Screen1 => 0,
                    Action::Screen2 => 1,
                    Action::Screen3 => 2,
                    Action::Screen4 => 3,
                    Action::Screen5 => 4,
                    Action::NextScreen => (self.tab + 1) % n,
                    _ => (self.tab + n - 1) % n,
                };
                if next < n {
                    self.tab = next;
                    self.views.clear();
                }
                Cmd::Refresh
            }
            _ => Cmd::None,
        }
    }

    /// A letter that nothing here answers to does nothing, but says so, with the way to
    /// search: typing a name on a screen that is not the search box is the usual slip.
    fn stray(&self, keymap: &Keymap, key: &KeyEvent) -> Cmd {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        match key.code {
            KeyCode::Char(c)
                if c.is_alphanumeric() && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                let ctx = self.focused().context();
                let first = |a: Action| {
                    keymap
                        .keys_for(ctx, a)
                        .first()
                        .map(|k| k.to_string())
                        .unwrap_or_default()
                };
                Cmd::Info(format!(
                    "\"{c}\" does nothing here. To find someone press {} first; {} lists the keys.",
                    first(Action::OpenSearch),
                    first(Action::Help)
                ))
            }
            _ => Cmd::None,
        }
    }

    /// Applies a navigation command; returns a status command to apply after.
    fn apply(&mut self, cmd: Cmd, keymap: &Keymap) -> Option<Cmd> {
        match cmd {
            Cmd::OpenPerson(id) => match super::screens::person::PersonScreen::open(&self.store, id) {
                Ok(screen) => {
                    let note = Note::PersonOpened {
                        id,
                        name: screen.name(),
                    };
                    // Opening a person from a person's relationship replaces nothing: it stacks,
                    // so Esc goes back to the one before.
                    self.popups.clear();
                    self.views.push(Box::new(screen));
                    self.notify(note)
                }
                Err(e) => Some(Cmd::Error(e.to_string())),
            },
            Cmd::Back => {
                if self.popups.pop().is_none() {
                    self.views.pop();
                }
                self.refresh();
                None
            }
            Cmd::Push(v) => {
                self.views.push(v);
                None
            }
            Cmd::Popup(p) => {
                self.popups.push(p);
                None
            }
            Cmd::ClosePopup => {
                self.popups.pop();
                None
            }
            Cmd::Confirm { title, message, on_yes } => {
                self.popups.push(Box::new(super::screens::confirm::ConfirmPopup::new(
                    title, &message, keymap, on_yes,
                )));
                None
            }
            Cmd::Refresh => {
                self.refresh();
                None
            }
            Cmd::Notify(note) => self.notify(note),
            Cmd::Remember(edit) => {
                self.edits.push(*edit);
                if self.edits.len() > crate::tui::screens::undo::KEPT {
                    self.edits.remove(0);
                }
                None
            }
            Cmd::Undone => {
                self.edits.pop();
                None
            }
            Cmd::RectifyFor { request, person } => {
                let cmd = super::screens::requests::rectify_view(&self.store, request, person);
                self.apply(cmd, keymap)
            }
            other => Some(other),
        }
    }

    /// Tells every screen about `note`; closes the views that ask to be closed. Returns the
    /// commands screens want carried out.
    fn notify(&mut self, note: Note) -> Option<Cmd> {
        let mut cmds = Vec::new();
        let store = &mut self.store;
        let mut keep = Vec::with_capacity(self.views.len());
        for mut v in self.views.drain(..) {
            match v.notify(&note, store) {
                Notified::Close => {}
                Notified::Apply(c) => {
                    cmds.push(c);
                    keep.push(v);
                }
                Notified::Ignored => keep.push(v),
            }
        }
        self.views = keep;
        for t in self.tabs.iter_mut() {
            if let Notified::Apply(c) = t.notify(&note, store) {
                cmds.push(c);
            }
        }
        (!cmds.is_empty()).then_some(Cmd::Many(cmds))
    }

    /// Reloads what is on screen from the store (after a change).
    pub fn refresh(&mut self) {
        for t in self.tabs.iter_mut() {
            t.reload(&self.store);
        }
        for v in self.views.iter_mut() {
            v.reload(&self.store);
        }
    }

    /// The footer for a line `width` columns wide: search (where it works), the focused
    /// screen's first few enabled commands (movement left out: help lists it) with their first
    /// key, then undo (while there is an edit to undo), help and the way back or out, which always
    /// show; screen commands are dropped from the end until the line fits.
    pub fn footer(&self, keymap: &Keymap, width: usize) -> Vec<(String, &'static str)> {
        const MOST: usize = 5;
        let ctx = self.focused().context();
        let app = self.app_commands();
        let has = |a: Action| app.iter().any(|c| c.action == a);
        let entry = |a: Action| keymap.keys_for(ctx, a).first().map(|k| (k.to_string(), a.short()));
        let lead: Vec<_> = [Action::OpenSearch]
            .into_iter()
            .filter(|a| has(*a) && self.views.is_empty())
            .filter_map(entry)
            .collect();
        let own: Vec<_> = self
            .focused()
            .commands()
            .into_iter()
            .filter(|c| c.enabled && c.in_footer && !c.is_movement() && c.action != Action::OpenSearch)
            .filter_map(|c| entry(c.action))
            .take(MOST)
            .collect();
        let in_footer = |a: Action| app.iter().any(|c| c.action == a && c.in_footer);
        let tail: Vec<_> = [Action::Undo, Action::Help, Action::Back, Action::Quit]
            .into_iter()
            .filter(|a| in_footer(*a) && !own.iter().any(|(_, s)| *s == a.short()))
            .filter_map(entry)
            .collect();
        let mut own = own;
        loop {
            let all: Vec<_> = lead.iter().chain(own.iter()).chain(tail.iter()).cloned().collect();
            let used: usize = all
                .iter()
                .map(|(k, s)| k.chars().count() + 1 + s.chars().count())
                .sum::<usize>()
                + 3 * all.len().saturating_sub(1);
            if used <= width || own.is_empty() {
                return all;
            }
            own.pop();
        }
    }
}

/// The `?` help's rows: every command with all its keys where the focus is (including those
/// that cannot be done at this moment, so the keys can be learnt).
pub fn help_entries(keymap: &Keymap, ctx: Context, commands: &[Command]) -> Vec<(String, &'static str)> {
    let entry = |c: &Command| {
        let keys = keymap.describe_keys(ctx, c.action);
        (!keys.is_empty()).then_some((keys, c.action.description()))
    };
    let mut out: Vec<(String, &'static str)> = commands.iter().filter(|c| c.enabled).filter_map(entry).collect();
    // What the screen handles, but not on what is selected now (or not on an empty list):
    // listed after the rest, under a line that says so.
    let later: Vec<(String, &'static str)> = commands.iter().filter(|c| !c.enabled).filter_map(entry).collect();
    if !later.is_empty() {
        out.push((String::new(), NOT_NOW));
        out.extend(later);
    }
    out
}

/// The line in help above the commands that do not apply to what is selected now.
pub const NOT_NOW: &str = "Not on what is selected now:";
