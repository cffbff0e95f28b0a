//! Unlocking: choose the user, type the passphrase (masked). Also the lock screen of the rota
//! laptop, which shows no personal data: the user who locked it can sign in again and find
//! everything as they left it, or anyone else on the case file can sign in (what the first
//! user left unsaved is then discarded, and the screen says so before). Quitting from either
//! screen takes the quit key twice, so a stray key never closes dutydesk.

use crate::domain::clock::Clock;
use crate::store::{DataDir, KeyFile, Store, StoreError};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form, FormOutcome};
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::sync::Arc;

pub struct UnlockScreen {
    form: Form,
    /// Set for the lock screen: the user who was signed in when it locked.
    relock_user: Option<String>,
    /// On the lock screen: whether that user left something unsaved (a form or popup open).
    unsaved: bool,
    /// The quit (or back) key was pressed once: the next press quits.
    quit_armed: bool,
    /// A problem with the key file itself, shown instead of the form.
    problem: Option<String>,
    pub attempts: u32,
    /// A line shown under the form (the demo lists its passphrases here).
    pub hint: Option<String>,
}

impl UnlockScreen {
    /// The unlock screen for a data folder, with its users to choose from.
    pub fn for_folder(dir: &DataDir, preferred: Option<&str>) -> UnlockScreen {
        match KeyFile::load(&dir.key_file()) {
            Ok(kf) => {
                let users: Vec<&str> = kf.users().collect();
                let initial = preferred
                    .filter(|p| users.contains(p))
                    .or(users.first().copied())
                    .unwrap_or("");
                let form = Form::new("Unlock the case file")
                    .with(Field::choice("user", "User", &users, initial))
                    .with(Field::text("passphrase", "Passphrase", "").masked());
                let mut s = UnlockScreen {
                    form,
                    relock_user: None,
                    unsaved: false,
                    quit_armed: false,
                    problem: None,
                    attempts: 0,
                    hint: None,
                };
                s.form.set_focus(1);
                s
            }
            Err(e) => UnlockScreen {
                form: Form::new("Unlock the case file"),
                relock_user: None,
                unsaved: false,
                quit_armed: false,
                problem: Some(e.to_string()),
                attempts: 0,
                hint: None,
            },
        }
    }

    /// Locks the open case file: the signed-in user is signed out (audited) and the lock screen
    /// offers every user on the case file. `unsaved` says whether they left input unsaved.
    pub fn lock(store: &Store, unsaved: bool) -> UnlockScreen {
        let login = store.actor().login.clone();
        // The lock must happen even if its audit entry cannot be written (a full disk): a
        // laptop left unlocked is the worse failure.
        let _ = store.record_lock();
        let users: Vec<String> = store
            .users()
            .map(|u| u.into_iter().map(|u| u.login).collect())
            .unwrap_or_else(|_| vec![login.clone()]);
        Self::relock(login, &users, unsaved)
    }

    /// The lock screen: `login` was signed in (and is chosen), `users` may sign in, and
    /// `unsaved` says whether `login` left something unsaved.
    fn relock(login: String, users: &[String], unsaved: bool) -> UnlockScreen {
        let names: Vec<&str> = users.iter().map(String::as_str).collect();
        let form = Form::new("Locked")
            .with(Field::choice("user", "User", &names, &login))
            .with(Field::text("passphrase", "Passphrase", "").masked());
        let mut s = UnlockScreen {
            form,
            relock_user: Some(login),
            unsaved,
            quit_armed: false,
            problem: None,
            attempts: 0,
            hint: None,
        };
        s.form.set_focus(1);
        s
    }

    pub fn is_lock_screen(&self) -> bool {
        self.relock_user.is_some()
    }

    fn passphrase_entered(&mut self, keymap: &Keymap, key: &KeyEvent) -> Result<Option<String>, Cmd> {
        // Up and down choose the user from wherever the cursor is, so nobody has to tab back
        // to the user line.
        let step = match key.code {
            KeyCode::Up => Some(KeyCode::Left),
            KeyCode::Down => Some(KeyCode::Right),
            _ => None,
        };
        if let Some(code) = step {
            let focus = self.form.focus();
            self.form.set_focus(0);
            self.form.handle_key(keymap, &KeyEvent::new(code, KeyModifiers::NONE));
            self.form.set_focus(focus);
            self.quit_armed = false;
            return Ok(None);
        }
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Open | Action::Save) => {
                let pass = self.form.value("passphrase").unwrap_or_default();
                if pass.is_empty() {
                    self.form
                        .set_error("passphrase", "Type your passphrase, then press Enter.");
                    return Ok(None);
                }
                Ok(Some(pass))
            }
            FormOutcome::Action(action @ (Action::Quit | Action::Back)) => {
                if self.quit_armed {
                    return Err(Cmd::Quit);
                }
                self.quit_armed = true;
                let key = keymap
                    .keys_for(crate::tui::keymap::Context::Form, action)
                    .first()
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                Err(Cmd::Info(format!(
                    "Press {key} again to quit dutydesk{}.",
                    if self.unsaved {
                        " (anything left unsaved is lost)"
                    } else {
                        ""
                    }
                )))
            }
            _ => {
                self.quit_armed = false;
                Ok(None)
            }
        }
    }

    fn wrong(&mut self, e: &StoreError) -> Cmd {
        self.attempts += 1;
        self.clear_passphrase();
        self.form.set_focus(self.form.fields().len().saturating_sub(1));
        self.form.set_error("passphrase", &e.to_string());
        Cmd::Error(e.to_string())
    }

    fn clear_passphrase(&mut self) {
        let mut fresh = Form::new(self.form.title());
        for f in self.form.fields() {
            if f.id() == "passphrase" {
                fresh.push(Field::text("passphrase", "Passphrase", "").masked());
            } else {
                fresh.push(f.clone());
            }
        }
        self.form = fresh;
    }

    /// Handles a key on the unlock screen; `Ok(Some(store))` once unlocked.
    pub fn handle_key(
        &mut self,
        keymap: &Keymap,
        key: &KeyEvent,
        dir: &DataDir,
        clock: Arc<dyn Clock>,
    ) -> Result<Option<Store>, Cmd> {
        if self.problem.is_some() {
            return match keymap.lookup(crate::tui::keymap::Context::Popup, key) {
                Some(Action::Back | Action::Open) => Err(Cmd::Quit),
                _ => Ok(None),
            };
        }
        let Some(pass) = self.passphrase_entered(keymap, key)? else {
            return Ok(None);
        };
        let login = self.form.value("user").unwrap_or_default();
        match Store::unlock(dir, &login, &pass, clock) {
            Ok(store) => Ok(Some(store)),
            Err(e @ (StoreError::WrongPassphrase(_) | StoreError::UnknownUser(_))) => Err(self.wrong(&e)),
            Err(e) => {
                self.clear_passphrase();
                Err(Cmd::Error(e.to_string()))
            }
        }
    }

    /// Handles a key on the lock screen; once a passphrase is typed, signs that user in on
    /// `store` and returns who signed in.
    pub fn check_relock(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Result<Option<String>, Cmd> {
        let Some(pass) = self.passphrase_entered(keymap, key)? else {
            return Ok(None);
        };
        let login = self.form.value("user").unwrap_or_default();
        match store.sign_in(&login, &pass) {
            Ok(()) => Ok(Some(login)),
            Err(e @ (StoreError::WrongPassphrase(_) | StoreError::UnknownUser(_))) => Err(self.wrong(&e)),
            Err(e) => {
                self.clear_passphrase();
                Err(Cmd::Error(e.to_string()))
            }
        }
    }

    /// The user who was signed in when the screen locked.
    pub fn locked_by(&self) -> Option<&str> {
        self.relock_user.as_deref()
    }

    pub fn render(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        folder: &str,
        keymap: &Keymap,
    ) -> Option<Position> {
        // The keys named in the hints are the keymap's, as the footer's are.
        let key = |a: Action| {
            keymap
                .keys_for(crate::tui::keymap::Context::Form, a)
                .first()
                .map(|k| k.to_string())
                .unwrap_or_else(|| a.name().to_string())
        };
        let (open, back) = (key(Action::Open), key(Action::Back));
        let lines: Vec<Line> = match (&self.problem, &self.relock_user) {
            (Some(p), _) => vec![
                Line::styled(p.clone(), theme.error),
                Line::raw(""),
                Line::styled(format!("Press {open} or {back} to leave."), theme.dim),
            ],
            (None, Some(user)) => {
                let chosen = self.form.value("user").unwrap_or_default();
                let mut lines = vec![
                    Line::styled("dutydesk is locked", theme.title),
                    Line::raw(format!(
                        "{user} locked it. Anyone on the rota can sign in: choose your user, type your passphrase."
                    )),
                ];
                lines.push(match (self.unsaved, chosen == *user) {
                    (false, _) => Line::styled("Nothing was left unsaved.", theme.dim),
                    (true, true) => Line::styled(format!("What {user} was typing is kept for them."), theme.dim),
                    (true, false) => Line::styled(
                        format!("If {chosen} signs in, what {user} left unsaved is discarded."),
                        theme.error,
                    ),
                });
                lines
            }
            (None, None) => vec![
                Line::styled("dutydesk", theme.title),
                Line::raw(format!("Case file: {folder}")),
                Line::styled(
                    format!("Choose your user (up/down), type your passphrase, press {open}."),
                    theme.dim,
                ),
            ],
        };
        let height = lines.len() as u16 + 1 + (self.form.fields().len() as u16) * 2 + 3;
        let rect = centered_rect(area, 72.min(area.width), height.min(area.height));
        let header = Rect {
            height: (lines.len() as u16 + 1).min(rect.height),
            ..rect
        };
        Paragraph::new(lines).wrap(Wrap { trim: true }).render(header, buf);
        if self.problem.is_some() {
            return None;
        }
        let form_area = Rect {
            y: rect.y + header.height,
            height: rect.height.saturating_sub(header.height),
            ..rect
        };
        if let Some(hint) = &self.hint {
            let y = form_area.y + form_area.height;
            let hint_area = Rect {
                x: area.x,
                y,
                width: area.width,
                height: (area.y + area.height).saturating_sub(y).min(3),
            };
            Paragraph::new(Line::styled(hint.clone(), theme.dim))
                .wrap(Wrap { trim: true })
                .render(hint_area, buf);
        }
        self.form.render(form_area, buf, theme)
    }
}
