//! First run: there is no case file in the data folder. Says how to create one, and offers to
//! run the same steps as `dutydesk init` here.

use crate::domain::clock::Clock;
use crate::store::{users, DataDir, InitOptions, KdfParams, Store};
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form, FormOutcome};
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::sync::Arc;

pub struct SetupScreen {
    folder: String,
    dir: DataDir,
    form: Option<Form>,
}

pub enum SetupResult {
    Stay(Cmd),
    Ready(Box<Store>),
}

fn check_login(s: &str) -> Result<(), String> {
    users::check_login(s).map_err(|e| e.to_string())
}

fn check_organisation(s: &str) -> Result<(), String> {
    crate::domain::validate::text("organisation", s, 120)
        .map(|_| ())
        .map_err(|e| e.message)
}

fn check_address(s: &str) -> Result<(), String> {
    crate::domain::validate::text("address", s, crate::domain::validate::MAX_LINE)
        .map(|_| ())
        .map_err(|e| e.message)
}

fn check_phone(s: &str) -> Result<(), String> {
    crate::domain::validate::phone(s).map(|_| ()).map_err(|e| e.message)
}

fn check_email(s: &str) -> Result<(), String> {
    crate::domain::validate::email(s).map(|_| ()).map_err(|e| e.message)
}

fn check_passphrase(s: &str) -> Result<(), String> {
    crate::store::keyslots::check_new_passphrase(s).map_err(|e| e.to_string())
}

impl SetupScreen {
    pub fn new(dir: &DataDir) -> SetupScreen {
        SetupScreen {
            folder: dir.root().display().to_string(),
            dir: dir.clone(),
            form: None,
        }
    }

    /// Names the folder on screen differently (tests use a fixed label).
    pub fn set_folder_label(&mut self, label: &str) {
        self.folder = label.to_string();
    }

    fn init_form() -> Form {
        let described: Vec<&str> = crate::profile::builtin_ids()
            .iter()
            .map(|id| crate::profile::builtin_description(id))
            .collect();
        Form::new("Create a case file")
            .with(
                Field::text("organisation", "Organisation", "")
                    .validator(check_organisation)
                    .max_chars(120),
            )
            .with(
                Field::text("address", "Its postal address", "")
                    .validator(check_address)
                    .max_chars(crate::domain::validate::MAX_LINE),
            )
            .with(
                Field::text("phone", "Its phone", "")
                    .validator(check_phone)
                    .max_chars(40),
            )
            .with(
                Field::text("email", "Its email", "")
                    .validator(check_email)
                    .max_chars(120),
            )
            .with(Field::choice(
                "profile",
                "Privacy notice",
                &described,
                crate::profile::builtin_description(crate::profile::DEFAULT_PROFILE),
            ))
            .with(
                Field::text("login", "Your user name", "")
                    .validator(check_login)
                    .max_chars(32),
            )
            .with(
                Field::text("passphrase", "Passphrase", "")
                    .masked()
                    .validator(check_passphrase),
            )
            .with(Field::text("again", "Passphrase again", "").masked())
    }

    pub fn handle_key(
        &mut self,
        keymap: &Keymap,
        key: &KeyEvent,
        clock: Arc<dyn Clock>,
        kdf: KdfParams,
    ) -> SetupResult {
        let Some(form) = &mut self.form else {
            return match (key.code, keymap.lookup(Context::Popup, key)) {
                (KeyCode::Char('i'), _) => {
                    self.form = Some(Self::init_form());
                    SetupResult::Stay(Cmd::None)
                }
                (_, Some(Action::Back)) | (KeyCode::Char('q'), _) => SetupResult::Stay(Cmd::Quit),
                _ => SetupResult::Stay(Cmd::None),
            };
        };
        match form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => {}
            FormOutcome::Action(Action::Back) => {
                self.form = None;
                return SetupResult::Stay(Cmd::None);
            }
            _ => return SetupResult::Stay(Cmd::None),
        }
        if !form.validate_all() {
            return SetupResult::Stay(Cmd::Error(
                "Some fields need attention: see the messages in red.".into(),
            ));
        }
        let v = |id: &str| form.value(id).unwrap_or_default();
        if v("passphrase") != v("again") {
            form.set_error("again", "The two passphrases differ: type it again.");
            return SetupResult::Stay(Cmd::Error("The two passphrases differ.".into()));
        }
        let chosen = v("profile");
        let profile_id = crate::profile::builtin_ids()
            .iter()
            .find(|id| crate::profile::builtin_description(id) == chosen)
            .copied()
            .unwrap_or(crate::profile::DEFAULT_PROFILE);
        let Some(template) = crate::profile::builtin(profile_id) else {
            return SetupResult::Stay(Cmd::Error("Choose one of the built-in privacy notices.".into()));
        };
        let org = match crate::profile::Organisation::new(&v("organisation"), &v("address"), &v("phone"), &v("email")) {
            Ok(org) => org,
            Err(e) => {
                form.set_error(e.field, &e.message);
                return SetupResult::Stay(Cmd::Error(e.message));
            }
        };
        // Every notice and letter carries the organisation's own details.
        let profile = crate::profile::fill(template, &org);
        let opts = InitOptions {
            profile_toml: &profile,
            organisation: &org.name,
            first_user: &v("login"),
            passphrase: &v("passphrase"),
            kdf,
        };
        match Store::init(&self.dir, &opts, clock) {
            Ok(store) => SetupResult::Ready(Box::new(store)),
            Err(e) => SetupResult::Stay(Cmd::Error(e.to_string())),
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let rect = centered_rect(area, 76.min(area.width), area.height);
        match &mut self.form {
            None => {
                let lines = vec![
                    Line::styled("Welcome to dutydesk", theme.title),
                    Line::raw(""),
                    Line::raw(format!("There is no case file in {} yet.", self.folder)),
                    Line::raw(""),
                    Line::raw("Press i to create one here: you choose the privacy notice, and become its data protection lead with your own passphrase (the same steps as `dutydesk init`)."),
                    Line::raw(""),
                    Line::raw("To look around first, quit and run `dutydesk demo` for a case file of made-up people."),
                    Line::raw(""),
                    Line::styled("i create a case file    q quit", theme.key),
                ];
                Paragraph::new(lines).wrap(Wrap { trim: true }).render(rect, buf);
                None
            }
            Some(form) => form.render(rect, buf, theme),
        }
    }
}
