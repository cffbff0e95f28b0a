//! Small popups that ask for a line or two: logging a contact (l, then c / e / l / v, then an
//! optional note and Enter), a callback ("call X back about Y by <time>"), and the reason for
//! revealing health notes.

use crate::domain::when::parse_when;
use crate::domain::ContactKind;
use crate::store::people::HealthNote;
use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{form_commands, typed_or_listed, Command, DrawContext, Handled, Input, Note, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form, FormOutcome};
use crate::tui::widgets::popup::centered_rect;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

/// The kinds of contact with their keys, as the keymap binds them: "c call   e email ...".
fn kind_keys(keymap: &Keymap) -> String {
    [
        Action::LogCall,
        Action::LogEmail,
        Action::LogLetter,
        Action::LogVisit,
        Action::Back,
    ]
    .iter()
    .filter_map(|a| {
        keymap
            .keys_for(Context::LogContact, *a)
            .first()
            .map(|k| format!("{k} {}", a.short()))
    })
    .collect::<Vec<_>>()
    .join("   ")
}

/// The popup's box: `height` lines for the form, and three below it for the hint (two lines
/// of text and the border that closes the box).
fn popup_area(area: Rect, height: u16) -> Rect {
    centered_rect(area, 70.min(area.width), (height + 1).min(area.height))
}

fn render_form(
    form: &mut Form,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    hint: &str,
    height: u16,
) -> Option<Position> {
    let rect = popup_area(area, height);
    Clear.render(rect, buf);
    let hint_h = 3.min(rect.height);
    let form_area = Rect {
        height: rect.height.saturating_sub(hint_h),
        ..rect
    };
    // The hint sits in the same box, under the form: nothing of the screen behind shows
    // through beside it.
    let hint_box = Rect {
        y: rect.y + form_area.height,
        height: hint_h,
        ..rect
    };
    let block = Block::default().borders(Borders::LEFT | Borders::RIGHT | Borders::BOTTOM);
    let hint_area = block.inner(hint_box);
    block.render(hint_box, buf);
    Paragraph::new(Line::styled(hint.to_string(), theme.dim))
        .wrap(Wrap { trim: true })
        .render(hint_area, buf);
    form.render(form_area, buf, theme)
}

pub struct LogContactPopup {
    pub person_id: i64,
    name: String,
    kind: Option<ContactKind>,
    form: Form,
}

impl LogContactPopup {
    pub fn new(person_id: i64, name: String) -> LogContactPopup {
        LogContactPopup {
            person_id,
            name,
            kind: None,
            form: Form::new("Log a contact"),
        }
    }

    /// Whether the kind of contact is still to be chosen (the second keystroke).
    pub fn choosing(&self) -> bool {
        self.kind.is_none()
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        let Some(kind) = self.kind else {
            let kind = match keymap.lookup(Context::LogContact, key) {
                Some(Action::LogCall) => ContactKind::Call,
                Some(Action::LogEmail) => ContactKind::Email,
                Some(Action::LogLetter) => ContactKind::Letter,
                Some(Action::LogVisit) => ContactKind::Visit,
                Some(Action::Back) => return Cmd::ClosePopup,
                _ => return Cmd::Error(format!("Choose the kind of contact: {}.", kind_keys(keymap))),
            };
            self.kind = Some(kind);
            self.form = Form::new(&format!("Log a {} with {}", kind.label().to_lowercase(), self.name))
                .with(Field::text("note", "Note (optional)", "").max_chars(crate::domain::validate::MAX_LINE));
            return Cmd::None;
        };
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => {
                let note = self.form.value("note").unwrap_or_default();
                // Health details belong in the health notes, not the log every role reads.
                let extra = &store.profile().special_category.words;
                if let Some(word) = crate::domain::health_words::health_word(&note, extra) {
                    let may_file = store
                        .person(self.person_id)
                        .is_ok_and(|p| p.sees(crate::domain::FieldGroup::Health));
                    return super::health::health_or_contact(self.person_id, kind, note.clone(), word, may_file);
                }
                match store.log_contact(self.person_id, kind, &note) {
                    Ok(notice_pending) => Cmd::Many(vec![
                        Cmd::ClosePopup,
                        Cmd::Refresh,
                        Cmd::Info(super::health::logged_message(kind, notice_pending, "")),
                    ]),
                    Err(e) => {
                        self.form.set_error("note", &e.to_string());
                        Cmd::Error(e.to_string())
                    }
                }
            }
            FormOutcome::Action(Action::Back) => Cmd::ClosePopup,
            _ => Cmd::None,
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        if self.kind.is_none() {
            let rect = popup_area(area, 5);
            Clear.render(rect, buf);
            let block = Block::bordered().title(Span::styled(" Log a contact ", theme.title));
            let inner = block.inner(rect);
            block.render(rect, buf);
            Paragraph::new(vec![
                Line::raw(format!("With {}:", self.name)),
                Line::styled(kind_keys(ctx.keymap), theme.key),
            ])
            .render(inner, buf);
            return None;
        }
        render_form(
            &mut self.form,
            area,
            buf,
            theme,
            &format!("{} saves; the note is optional.", ctx.key(Context::Form, Action::Open)),
            7,
        )
    }
}

pub struct CallbackPopup {
    pub person_id: i64,
    form: Form,
}

impl CallbackPopup {
    pub fn new(person_id: i64, name: String) -> CallbackPopup {
        let form = Form::new(&format!("Call {name} back"))
            .with(Field::text("about", "About", "").max_chars(crate::domain::validate::MAX_LINE))
            .with(Field::text("when", "By when", "today 16:00").max_chars(40));
        CallbackPopup { person_id, form }
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => {
                let about = self.form.value("about").unwrap_or_default();
                let when = self.form.value("when").unwrap_or_default();
                let due = match parse_when(&when, store.clock().now()) {
                    Ok(d) => d,
                    Err(e) => {
                        self.form.set_error("when", &e.message);
                        return Cmd::Error(e.message);
                    }
                };
                match store.add_callback(self.person_id, &about, due) {
                    Ok(_) => Cmd::Many(vec![
                        Cmd::ClosePopup,
                        Cmd::Refresh,
                        Cmd::Info(format!(
                            "Callback added for {}; it is on the handover list until done.",
                            due.format("%a %d %b %H:%M")
                        )),
                    ]),
                    Err(e) => {
                        self.form.set_error("about", &e.to_string());
                        Cmd::Error(e.to_string())
                    }
                }
            }
            FormOutcome::Action(Action::Back) => Cmd::ClosePopup,
            _ => Cmd::None,
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        render_form(
            &mut self.form,
            area,
            buf,
            ctx.theme,
            &format!(
                "When: \"today 15:00\", \"tomorrow\", \"fri 10:30\" or \"25/12/2026 09:00\". {} saves.",
                ctx.key(Context::Form, Action::Save)
            ),
            10,
        )
    }
}

pub struct RevealPopup {
    pub person_id: i64,
    form: Form,
}

impl RevealPopup {
    pub fn new(person_id: i64) -> RevealPopup {
        RevealPopup {
            person_id,
            form: Form::new("Show health notes")
                .with(Field::text("reason", "Reason", "").max_chars(crate::domain::validate::MAX_LINE)),
        }
    }

    fn reveal(&mut self, keymap: &Keymap, key: &KeyEvent, store: &Store) -> Result<Option<Vec<HealthNote>>, Cmd> {
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => {
                let reason = self.form.value("reason").unwrap_or_default();
                match store.reveal_health(self.person_id, &reason) {
                    Ok(notes) => Ok(Some(notes)),
                    Err(e) => {
                        self.form.set_error("reason", &e.to_string());
                        Err(Cmd::Error(e.to_string()))
                    }
                }
            }
            FormOutcome::Action(Action::Back) => Err(Cmd::ClosePopup),
            _ => Ok(None),
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        render_form(
            &mut self.form,
            area,
            buf,
            theme,
            "Health notes are special category data: every view is recorded with its reason.",
            6,
        )
    }
}

impl Screen for LogContactPopup {
    fn context(&self) -> Context {
        if self.choosing() {
            Context::LogContact
        } else {
            Context::Form
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.choosing() {
            [
                Action::LogCall,
                Action::LogEmail,
                Action::LogLetter,
                Action::LogVisit,
                Action::Back,
            ]
            .into_iter()
            .map(Command::on)
            .collect()
        } else {
            form_commands(&self.form)
        }
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        // Choosing the kind, any other key is answered with the choices; typing the note,
        // keys are typed.
        if !self.choosing() && !typed_or_listed(input, &self.commands()) {
            return Handled::Ignored;
        }
        Handled::Consumed(self.handle_key(input.keymap, input.key, store))
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx)
    }

    fn title(&self) -> String {
        "Log a contact".into()
    }
}

impl Screen for CallbackPopup {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self) -> Vec<Command> {
        form_commands(&self.form)
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        if !typed_or_listed(input, &self.commands()) {
            return Handled::Ignored;
        }
        Handled::Consumed(self.handle_key(input.keymap, input.key, store))
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx)
    }

    fn title(&self) -> String {
        "Callback".into()
    }
}

impl Screen for RevealPopup {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self) -> Vec<Command> {
        form_commands(&self.form)
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        if !typed_or_listed(input, &self.commands()) {
            return Handled::Ignored;
        }
        Handled::Consumed(match self.reveal(input.keymap, input.key, store) {
            Ok(Some(notes)) => Cmd::Many(vec![
                Cmd::ClosePopup,
                Cmd::Notify(Note::HealthShown {
                    person: self.person_id,
                    notes,
                }),
                Cmd::Info("Health notes shown; the view was recorded in the audit log.".into()),
            ]),
            Ok(None) => Cmd::None,
            Err(cmd) => cmd,
        })
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme)
    }

    fn title(&self) -> String {
        "Show health notes".into()
    }
}
