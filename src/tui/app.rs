//! The application: its phases (first run, unlock, unlocked session), the stack of views and
//! popups, and the routing of keys to whichever has focus. Screens do the work; this file
//! only routes and applies the commands they return.

use super::keymap::{Action, Context, Keymap};
use super::screens::duplicates::DuplicatesPopup;
use super::screens::home::HomeScreen;
use super::screens::link::LinkKindPopup;
use super::screens::person::PersonScreen;
use super::screens::person_form::PersonFormScreen;
use super::screens::prompts::{CallbackPopup, LogContactPopup, RevealPopup};
use super::screens::recent::RecentScreen;
use super::screens::search::SearchPopup;
use super::screens::setup::SetupScreen;
use super::screens::unlock::UnlockScreen;
use super::terminal::Theme;
use super::widgets::confirm::{ConfirmDialog, ConfirmOutcome};
use super::widgets::help::HelpPopup;
use crate::domain::clock::Clock;
use crate::store::{DataDir, Store};
use chrono::NaiveDateTime;
use ratatui::crossterm::event::{Event, KeyEvent};
use std::sync::Arc;

/// How long without a key before the screen locks, unless configured.
pub const DEFAULT_IDLE_MINUTES: i64 = 10;

/// The top-level screens, in number-key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Home,
    Recent,
    Referrals,
    Notices,
    Requests,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Home, Tab::Recent, Tab::Referrals, Tab::Notices, Tab::Requests];
    pub fn label(self) -> &'static str {
        match self {
            Tab::Home => "Handover",
            Tab::Recent => "Recent",
            Tab::Referrals => "Referrals",
            Tab::Notices => "Notices",
            Tab::Requests => "Requests",
        }
    }

    /// The keymap context of the tab's screen.
    pub fn context(self) -> Context {
        match self {
            Tab::Home | Tab::Recent => Context::Home,
            Tab::Referrals => Context::Referrals,
            Tab::Notices => Context::Notices,
            Tab::Requests => Context::Requests,
        }
    }
}

/// A full-screen view pushed over the tabs.
pub enum View {
    Person(Box<PersonScreen>),
    PersonForm(Box<PersonFormScreen>),
    ReferralIntake(Box<super::screens::referral_intake::ReferralIntakeScreen>),
    NoticeText(Box<super::screens::notices::NoticeTextScreen>),
    Request(Box<super::screens::requests::RequestScreen>),
}

impl View {
    pub fn context(&self) -> Context {
        match self {
            View::Person(_) => Context::Person,
            View::PersonForm(_) | View::ReferralIntake(_) => Context::Form,
            View::NoticeText(_) => Context::Notices,
            View::Request(_) => Context::Request,
        }
    }

    /// Whether the view is a form, where printable keys are typed, not commands.
    pub fn is_form(&self) -> bool {
        matches!(self, View::PersonForm(_) | View::ReferralIntake(_))
    }
}

/// What needs a yes before it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    DiscardForm,
    CompleteCallback(i64),
    CompleteTask(i64),
    IdNotNeeded(i64),
    Restrict(i64),
    Erase(i64),
    WithdrawConsent {
        person: i64,
        purpose: String,
        how: crate::domain::consent::ConsentMethod,
    },
    Unlink(i64),
    Quit,
}

/// A popup over everything else; it gets keys first.
pub enum Popup {
    Search(Box<SearchPopup>),
    Help(HelpPopup),
    Confirm(ConfirmDialog, Pending),
    LogContact(LogContactPopup),
    Callback(CallbackPopup),
    LinkKind(LinkKindPopup),
    Reveal(RevealPopup),
    Duplicates(DuplicatesPopup),
    Form(Box<super::screens::form_popup::FormPopup>),
    Menu(super::screens::menu::MenuPopup),
}

impl Popup {
    pub fn context(&self) -> Context {
        match self {
            Popup::Search(_) => Context::Search,
            Popup::LogContact(p) if p.choosing() => Context::LogContact,
            Popup::LogContact(_) | Popup::Callback(_) | Popup::Reveal(_) | Popup::Form(_) => Context::Form,
            _ => Context::Popup,
        }
    }
}

/// What a screen asks the application to do after a key.
pub enum Cmd {
    None,
    Info(String),
    Error(String),
    OpenPerson(i64),
    /// Leave the current view (or popup).
    Back,
    Push(View),
    /// Replace the current view.
    Replace(View),
    Popup(Box<Popup>),
    ClosePopup,
    Confirm(Pending, &'static str, String),
    /// Link two people (from the search box in link mode).
    LinkTo {
        anchor: i64,
        kind: crate::domain::RelationKind,
        anchor_first: bool,
        other: i64,
    },
    /// A person picked for a slot of the form below.
    Picked(super::screens::search::PickSlot, i64, String),
    /// Save the new person in the form below despite the duplicate warning.
    CreateAnyway,
    /// Open the rights-request intake for this person.
    NewRequestFor(i64),
    /// Open the rectification form for a request.
    RectifyFor {
        request: i64,
        person: i64,
    },
    /// Reload the views' data from the store.
    Refresh,
    Quit,
    Many(Vec<Cmd>),
}

impl Cmd {
    /// Opens a popup.
    pub fn popup(p: Popup) -> Cmd {
        Cmd::Popup(Box::new(p))
    }
}

/// An unlocked case file and everything on screen for it.
pub struct Session {
    pub store: Store,
    pub tab: Tab,
    pub home: HomeScreen,
    pub recent: RecentScreen,
    pub referrals: super::screens::referrals::ReferralsScreen,
    pub notices: super::screens::notices::NoticesScreen,
    pub requests: super::screens::requests::RequestsScreen,
    pub views: Vec<View>,
    pub popups: Vec<Popup>,
    /// Set while the screen is locked: the same user must type their passphrase.
    pub locked: Option<UnlockScreen>,
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
                if let Some(p) = s.popups.last() {
                    return p.context();
                }
                match s.views.last() {
                    Some(v) => v.context(),
                    None => s.tab.context(),
                }
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
        let ctx = self.context();
        let action = self.keymap.lookup(ctx, &key);
        if action == Some(Action::Lock) {
            if let Phase::Ready(s) = &mut self.phase {
                if s.locked.is_none() {
                    s.locked = Some(UnlockScreen::relock(s.store.actor().login.clone()));
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
                    Cmd::Info("Case file created. Add the other users with `dutydesk users add`.".into())
                }
            },
            Phase::Unlock(screen) => match screen.handle_key(&self.keymap, &key, &self.dir, self.clock.clone()) {
                Ok(Some(store)) => {
                    let name = store.actor().login.clone();
                    self.phase = Phase::Ready(Box::new(Session::new(store)));
                    Cmd::Info(format!("Unlocked as {name}. Press / to find someone, ? for help."))
                }
                Ok(None) => Cmd::None,
                Err(cmd) => cmd,
            },
            Phase::Ready(session) => session.handle_key(&self.keymap, &key, action, &self.dir),
        };
        self.apply(cmd);
    }

    /// Work left after a batch of keys: refresh the search results once.
    pub fn after_batch(&mut self) {
        if let Phase::Ready(s) = &mut self.phase {
            if let Some(Popup::Search(p)) = s.popups.last_mut() {
                if let Err(e) = p.refresh(&s.store) {
                    self.status = Some(Status {
                        text: e.to_string(),
                        error: true,
                    });
                }
            }
        }
    }

    /// Locks the screen if no key has come for the idle limit. Call on every tick.
    pub fn tick(&mut self) {
        if let Phase::Ready(s) = &mut self.phase {
            if s.locked.is_none() && self.clock.now() - self.last_activity >= self.idle_limit {
                s.locked = Some(UnlockScreen::relock(s.store.actor().login.clone()));
                self.status = None;
            }
        }
    }

    /// Whether the screen is locked.
    pub fn is_locked(&self) -> bool {
        matches!(&self.phase, Phase::Ready(s) if s.locked.is_some())
    }

    fn apply(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::None => {}
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
        let home = HomeScreen::load(&store);
        Session {
            referrals: super::screens::referrals::ReferralsScreen::load(&store, Default::default()),
            notices: super::screens::notices::NoticesScreen::load(&store),
            requests: super::screens::requests::RequestsScreen::load(&store, None),
            store,
            tab: Tab::Home,
            home,
            recent: RecentScreen::default(),
            views: Vec::new(),
            popups: Vec::new(),
            locked: None,
        }
    }

    fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, action: Option<Action>, dir: &DataDir) -> Cmd {
        if let Some(lock) = &mut self.locked {
            return match lock.check_relock(keymap, key, dir) {
                Ok(true) => {
                    self.locked = None;
                    Cmd::Info("Unlocked.".into())
                }
                Ok(false) => Cmd::None,
                Err(cmd) => cmd,
            };
        }
        if let Some(popup) = self.popups.last_mut() {
            return match popup {
                Popup::Search(p) => p.handle_key(keymap, key),
                Popup::Help(h) => {
                    if h.handle_key(keymap, key) {
                        Cmd::ClosePopup
                    } else {
                        Cmd::None
                    }
                }
                Popup::Confirm(dialog, pending) => match dialog.handle_key(keymap, key) {
                    ConfirmOutcome::Pending => Cmd::None,
                    ConfirmOutcome::No => Cmd::ClosePopup,
                    ConfirmOutcome::Yes => {
                        let pending = pending.clone();
                        Cmd::Many(vec![Cmd::ClosePopup, self.confirmed(pending)])
                    }
                },
                Popup::LogContact(p) => p.handle_key(keymap, key, &mut self.store),
                Popup::Callback(p) => p.handle_key(keymap, key, &mut self.store),
                Popup::LinkKind(p) => p.handle_key(keymap, key),
                Popup::Reveal(p) => match p.handle_key(keymap, key, &self.store) {
                    Ok(Some(notes)) => {
                        let pid = p.person_id;
                        if let Some(View::Person(ps)) = self.views.last_mut() {
                            if ps.id() == pid {
                                ps.show_health(notes);
                            }
                        }
                        Cmd::Many(vec![
                            Cmd::ClosePopup,
                            Cmd::Info("Health notes shown; the view was recorded in the audit log.".into()),
                        ])
                    }
                    Ok(None) => Cmd::None,
                    Err(cmd) => cmd,
                },
                Popup::Duplicates(p) => p.handle_key(keymap, key, &mut self.store),
                Popup::Form(p) => p.handle_key(keymap, key, &mut self.store),
                Popup::Menu(m) => m.handle_key(keymap, key),
            };
        }
        // Keys every non-popup screen shares.
        let in_form = self.views.last().is_some_and(View::is_form);
        match action {
            Some(Action::Help) => {
                let ctx = match self.views.last() {
                    Some(v) => v.context(),
                    None => self.tab.context(),
                };
                return Cmd::popup(Popup::Help(HelpPopup::new(keymap, ctx)));
            }
            Some(Action::OpenSearch) if !in_form => {
                return Cmd::popup(Popup::Search(Box::new(SearchPopup::new(
                    super::screens::search::Purpose::Open,
                ))))
            }
            // q goes back from a person; on the top-level screens it quits.
            Some(Action::Quit) if !in_form && !self.views.is_empty() => return Cmd::Back,
            Some(Action::Quit) if !in_form => return Cmd::Quit,
            Some(
                a @ (Action::Screen1
                | Action::Screen2
                | Action::Screen3
                | Action::Screen4
                | Action::Screen5
                | Action::NextScreen
                | Action::PrevScreen),
            ) if !in_form => {
                let i = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let n = Tab::ALL.len();
                let next = match a {
                    Action::Screen1 => 0,
                    Action::Screen2 => 1,
                    Action::Screen3 => 2,
                    Action::Screen4 => 3,
                    Action::Screen5 => 4,
                    Action::NextScreen => (i + 1) % n,
                    _ => (i + n - 1) % n,
                };
                if next >= n {
                    return Cmd::None;
                }
                self.tab = Tab::ALL[next];
                self.views.clear();
                return Cmd::Refresh;
            }
            _ => {}
        }
        match self.views.last_mut() {
            Some(View::Person(p)) => p.handle(keymap, action, &mut self.store),
            Some(View::PersonForm(f)) => f.handle_key(keymap, key, &mut self.store),
            Some(View::ReferralIntake(f)) => f.handle_key(keymap, key, &mut self.store),
            Some(View::NoticeText(t)) => t.handle(action, &mut self.store),
            Some(View::Request(r)) => r.handle(action, &mut self.store),
            None => match self.tab {
                Tab::Home => self.home.handle(action, &mut self.store),
                Tab::Recent => self.recent.handle(action),
                Tab::Referrals => self.referrals.handle(action, &mut self.store),
                Tab::Notices => self.notices.handle(action, &mut self.store),
                Tab::Requests => self.requests.handle(action, &mut self.store),
            },
        }
    }

    fn confirmed(&mut self, pending: Pending) -> Cmd {
        match pending {
            Pending::Quit => Cmd::Quit,
            Pending::DiscardForm => {
                self.views.pop();
                Cmd::Info("Changes discarded.".into())
            }
            Pending::IdNotNeeded(id) => match self.store.id_not_needed(id) {
                Ok(()) => Cmd::Many(vec![
                    Cmd::Refresh,
                    Cmd::Info("No proof of identity needed: the clock runs from receipt.".into()),
                ]),
                Err(e) => Cmd::Error(e.to_string()),
            },
            Pending::Restrict(id) => match self.store.restrict(id) {
                Ok(()) => Cmd::Many(vec![
                    Cmd::Refresh,
                    Cmd::Info("Restricted: the record is hidden from everyone but the data protection lead.".into()),
                ]),
                Err(e) => Cmd::Error(e.to_string()),
            },
            Pending::Erase(id) => match self.store.erase(id) {
                Ok(report) => {
                    self.views
                        .retain(|v| !matches!(v, View::Person(p) if p.id() == report.person_id));
                    Cmd::Many(vec![
                        Cmd::Refresh,
                        Cmd::Info(format!(
                            "Erased. {} recipient(s) to tell (Article 19) are on the handover.{}",
                            report.article19_tasks,
                            if report.compacted {
                                ""
                            } else {
                                " The file could not be compacted yet (is the disk full?): dutydesk retries at every open."
                            }
                        )),
                    ])
                }
                Err(e) => Cmd::Error(e.to_string()),
            },
            Pending::CompleteTask(id) => match self.store.complete_task(id, "done") {
                Ok(()) => Cmd::Many(vec![Cmd::Refresh, Cmd::Info("Task marked done.".into())]),
                Err(e) => Cmd::Error(e.to_string()),
            },
            Pending::WithdrawConsent { person, purpose, how } => {
                match self
                    .store
                    .withdraw_consent(person, &purpose, how, self.store.clock().today())
                {
                    Ok(_) => Cmd::Many(vec![
                        Cmd::Refresh,
                        Cmd::Info("Consent withdrawn. A follow-up task is on the handover until it is done.".into()),
                    ]),
                    Err(e) => Cmd::Error(e.to_string()),
                }
            }
            Pending::CompleteCallback(id) => match self.store.complete_callback(id) {
                Ok(()) => Cmd::Many(vec![Cmd::Refresh, Cmd::Info("Callback marked done.".into())]),
                Err(e) => Cmd::Error(e.to_string()),
            },
            Pending::Unlink(id) => match self.store.unlink(id) {
                Ok(()) => Cmd::Many(vec![Cmd::Refresh, Cmd::Info("Link removed.".into())]),
                Err(e) => Cmd::Error(e.to_string()),
            },
        }
    }

    /// Applies a navigation command; returns a status command to apply after.
    fn apply(&mut self, cmd: Cmd, keymap: &Keymap) -> Option<Cmd> {
        match cmd {
            Cmd::OpenPerson(id) => match PersonScreen::load(&self.store, id) {
                Ok(screen) => {
                    self.recent.visited(id, screen.name());
                    // Opening a person from a person's relationship replaces nothing: it stacks,
                    // so Esc goes back to the one before.
                    self.popups.clear();
                    self.views.push(View::Person(Box::new(screen)));
                    None
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
            Cmd::Replace(v) => {
                self.views.pop();
                self.views.push(v);
                self.refresh();
                None
            }
            Cmd::Popup(p) => {
                self.popups.push(*p);
                None
            }
            Cmd::ClosePopup => {
                self.popups.pop();
                None
            }
            Cmd::Confirm(pending, title, message) => {
                self.popups
                    .push(Popup::Confirm(ConfirmDialog::new(title, &message, keymap), pending));
                None
            }
            Cmd::Refresh => {
                self.refresh();
                None
            }
            Cmd::LinkTo {
                anchor,
                kind,
                anchor_first,
                other,
            } => {
                let (a, b) = if anchor_first { (anchor, other) } else { (other, anchor) };
                let result = self.store.link(a, kind, b);
                self.refresh();
                Some(match result {
                    Ok(_) => Cmd::Info(format!("Linked: {}.", kind.label())),
                    Err(e) => Cmd::Error(e.to_string()),
                })
            }
            Cmd::NewRequestFor(person) => {
                let cmd = super::screens::requests::intake_popup(&self.store, person);
                self.apply(cmd, keymap)
            }
            Cmd::RectifyFor { request, person } => {
                let cmd = super::screens::requests::rectify_view(&self.store, request, person);
                self.apply(cmd, keymap)
            }
            Cmd::CreateAnyway => match self.views.last_mut() {
                Some(View::PersonForm(f)) => {
                    let cmd = f.save(&mut self.store, true);
                    self.apply(cmd, keymap)
                }
                _ => None,
            },
            Cmd::Picked(slot, id, name) => {
                match self.views.last_mut() {
                    Some(View::PersonForm(f)) => f.set_source(id, name),
                    Some(View::ReferralIntake(f)) => f.set_pick(slot, id, name),
                    _ => {}
                }
                None
            }
            other => Some(other),
        }
    }

    /// Reloads what is on screen from the store (after a change).
    pub fn refresh(&mut self) {
        self.home = HomeScreen::load_keeping(&self.store, &self.home);
        self.referrals.reload(&self.store);
        self.notices.reload(&self.store);
        self.requests.reload(&self.store);
        for v in self.views.iter_mut() {
            match v {
                View::Person(p) => p.reload(&self.store),
                View::Request(r) => r.reload(&self.store),
                _ => {}
            }
        }
    }
}
