//! Creating and editing a person: a form with inline validation as you type, Tab / Shift-Tab
//! between fields, Ctrl-S (or Enter on the last field) to save and Esc to cancel, with a
//! confirmation when something was typed. Before creating, likely duplicates are shown. How the
//! data was obtained is recorded; "from someone else" creates the Article 14 obligation.

use super::duplicates::DuplicatesPopup;
use super::search::{PickSlot, Purpose, SearchPopup};
use crate::domain::person::{Obtained, PersonForm};
use crate::domain::{validate, Category, FieldGroup};
use crate::store::Store;
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::screen::Cmd;
use crate::tui::screen::{
    form_commands, typed_or_listed, Command, DrawContext, Handled, Input, Note, Notified, Screen,
};
use crate::tui::widgets::form::{Field, Form, FormOutcome};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// How the details came: no default, so nobody files someone as "told us themselves" by
/// leaving the field alone (an Article 14 obligation would be missed).
const NOT_SAID: &str = "not said yet";
const DIRECT: &str = "directly from the person";
const INDIRECT: &str = "from someone else";

fn blank_or<T, E: std::fmt::Display>(s: &str, f: impl Fn(&str) -> Result<T, E>) -> Result<(), String> {
    if s.trim().is_empty() {
        Ok(())
    } else {
        f(s).map(|_| ()).map_err(|e| e.to_string())
    }
}

fn v_name(s: &str) -> Result<(), String> {
    validate::name(s).map(|_| ()).map_err(|e| e.message)
}
fn v_title(s: &str) -> Result<(), String> {
    validate::title(s).map(|_| ()).map_err(|e| e.message)
}
fn v_postcode(s: &str) -> Result<(), String> {
    blank_or(s, validate::postcode)
}
fn v_email(s: &str) -> Result<(), String> {
    blank_or(s, validate::email)
}
fn v_date(s: &str) -> Result<(), String> {
    blank_or(s, validate::date)
}
fn v_phones(s: &str) -> Result<(), String> {
    for p in s.split([',', ';']).filter(|p| !p.trim().is_empty()) {
        validate::phone(p).map_err(|e| e.message)?;
    }
    Ok(())
}
fn v_aliases(s: &str) -> Result<(), String> {
    for a in s.split([',', ';']).filter(|p| !p.trim().is_empty()) {
        validate::name(a).map_err(|e| e.message)?;
    }
    Ok(())
}
const TICK_ONE: &str = "Tick at least one category (space ticks the one under the cursor).";

/// The categories ticked in the picker (their labels in the profile's words, joined by the
/// picker's separator).
fn parse_categories(profile: &crate::profile::Profile, s: &str) -> Result<Vec<Category>, String> {
    let cats: Vec<Category> = s
        .split(crate::tui::widgets::pick::SEPARATOR)
        .filter_map(|label| {
            Category::ALL
                .iter()
                .copied()
                .find(|c| profile.category_label(*c) == label)
        })
        .collect();
    if cats.is_empty() {
        return Err(TICK_ONE.into());
    }
    Ok(cats)
}
fn v_categories(s: &str) -> Result<(), String> {
    if s.split(crate::tui::widgets::pick::SEPARATOR)
        .any(|l| !l.trim().is_empty())
    {
        Ok(())
    } else {
        Err(TICK_ONE.into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Edit(i64),
    /// Editing a person from a rectification request: saved through the request, which keeps
    /// the before and after values.
    Rectify {
        request: i64,
        person: i64,
    },
}

pub struct PersonFormScreen {
    pub mode: Mode,
    pub form: Form,
    /// The person picked as the source of the data (indirect collection).
    source: Option<(i64, String)>,
    restricted: bool,
}

impl PersonFormScreen {
    /// The form's fields. `offered` are the categories the profile names (the person's own
    /// are offered too, so none is lost on saving).
    fn fields(
        form: PersonForm,
        create: bool,
        visible: Option<&std::collections::BTreeSet<FieldGroup>>,
        profile: &crate::profile::Profile,
    ) -> Form {
        // A field shows when some category of the profile collects it (no date of birth where
        // the notice never asks for one) and, editing, when the role sees it.
        let shows =
            |g: FieldGroup| visible.is_none_or(|v| v.contains(&g)) && profile.categories.iter().any(|c| c.collects(g));
        let defined = profile.category_keys();
        let offered: Vec<&str> = Category::ALL
            .iter()
            .filter(|c| defined.contains(c) || form.categories.contains(c))
            .map(|c| profile.category_label(*c))
            .collect();
        let chosen: Vec<&str> = form.categories.iter().map(|c| profile.category_label(*c)).collect();
        let mut f = Form::new(if create { "New person" } else { "Edit person" })
            .with(
                Field::text("title", "Title", &form.title)
                    .validator(v_title)
                    .max_chars(validate::MAX_TITLE),
            )
            .with(
                Field::text("given_name", "Given name", &form.given_name)
                    .validator(v_name)
                    .max_chars(validate::MAX_NAME),
            )
            .with(
                Field::text("family_name", "Family name", &form.family_name)
                    .validator(v_name)
                    .max_chars(validate::MAX_NAME),
            )
            .with(
                Field::text("aliases", "Also known as", &form.aliases)
                    .validator(v_aliases)
                    .max_chars(validate::MAX_LINE),
            )
            .with(Field::pick("categories", "Categories", &offered, &chosen).validator(v_categories));
        // Editing shows only the groups the role sees; the store keeps the rest as they are.
        if shows(FieldGroup::Address) {
            f.push(Field::text("address", "Address", &form.address).max_chars(validate::MAX_ADDRESS));
            f.push(
                Field::text("postcode", "Postcode", &form.postcode)
                    .validator(v_postcode)
                    .max_chars(10),
            );
        }
        if shows(FieldGroup::Phone) {
            f.push(
                Field::text("phones", "Phones", &form.phones)
                    .validator(v_phones)
                    .max_chars(120),
            );
        }
        if shows(FieldGroup::Email) {
            f.push(
                Field::text("email", "Email", &form.email)
                    .validator(v_email)
                    .max_chars(254),
            );
        }
        if shows(FieldGroup::DateOfBirth) {
            f.push(
                Field::text("date_of_birth", "Date of birth", &form.date_of_birth)
                    .validator(v_date)
                    .max_chars(10),
            );
        }
        if shows(FieldGroup::Organisation) {
            f.push(Field::text("organisation", "Organisation", &form.organisation).max_chars(validate::MAX_LINE));
        }
        if shows(FieldGroup::Correspondence) {
            f.push(Field::text("notes", "Notes", &form.notes).max_chars(validate::MAX_NOTE));
        }
        if create {
            f = f
                .with(Field::choice(
                    "obtained",
                    "Details came",
                    &[NOT_SAID, DIRECT, INDIRECT],
                    NOT_SAID,
                ))
                .with(Field::text("source", "From whom", "").max_chars(validate::MAX_LINE))
                .with(
                    Field::text("obtained_on", "Obtained on", "")
                        .validator(v_date)
                        .max_chars(10),
                );
        }
        f
    }

    /// An empty form for a new client.
    pub fn create(store: &Store) -> PersonFormScreen {
        let form = PersonForm {
            categories: vec![Category::Client],
            ..PersonForm::default()
        };
        PersonFormScreen {
            mode: Mode::Create,
            form: Self::fields(form, true, None, store.profile()),
            source: None,
            restricted: false,
        }
    }

    /// The form for editing a person as the acting user sees them.
    pub fn edit(store: &Store, id: i64) -> Result<PersonFormScreen, String> {
        let p = store.person(id).map_err(|e| e.to_string())?;
        Ok(PersonFormScreen {
            mode: Mode::Edit(id),
            form: Self::fields(p.record.to_form(), false, Some(&p.visible), store.profile()),
            source: None,
            restricted: p.restricted,
        })
    }

    /// The form for rectifying a person's record from a rights request.
    pub fn rectify(store: &Store, request: i64, person: i64) -> Result<PersonFormScreen, String> {
        let mut f = Self::edit(store, person)?;
        f.mode = Mode::Rectify { request, person };
        Ok(f)
    }

    pub fn set_source(&mut self, id: i64, name: String) {
        self.source = Some((id, name));
    }

    fn focused_id(&self) -> &str {
        self.form.fields().get(self.form.focus()).map(|f| f.id()).unwrap_or("")
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        if self.focused_id() == "source" && keymap.lookup(Context::Form, key) == Some(Action::Open) {
            let mut popup = SearchPopup::new(Purpose::Pick(PickSlot::Source));
            popup.input.set_value(&self.form.value("source").unwrap_or_default());
            return Cmd::popup(popup);
        }
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save | Action::Open) => self.save(store, false),
            FormOutcome::Action(Action::Back) => {
                if self.form.dirty() || self.source.is_some() {
                    super::decisions::discard_form(
                        "Discard changes?",
                        "You have typed things that are not saved. Throw them away?",
                    )
                } else {
                    Cmd::Back
                }
            }
            _ => Cmd::None,
        }
    }

    fn values(&self, profile: &crate::profile::Profile) -> Result<PersonForm, String> {
        let v = |id: &str| self.form.value(id).unwrap_or_default();
        Ok(PersonForm {
            title: v("title"),
            given_name: v("given_name"),
            family_name: v("family_name"),
            aliases: v("aliases"),
            address: v("address"),
            postcode: v("postcode"),
            phones: v("phones"),
            email: v("email"),
            date_of_birth: v("date_of_birth"),
            organisation: v("organisation"),
            notes: v("notes"),
            categories: parse_categories(profile, &v("categories"))?,
        })
    }

    /// Saves an edit: first a last look at what changes (before -> after), then the save,
    /// remembered so it can be undone. `confirmed` once the user has looked.
    fn save_edit(
        &mut self,
        store: &mut Store,
        id: i64,
        rec: &crate::domain::person::PersonRecord,
        confirmed: bool,
    ) -> Cmd {
        let changes = crate::tui::screens::undo::changes(&self.form);
        if changes.is_empty() {
            return Cmd::Many(vec![
                Cmd::Back,
                Cmd::Info("Nothing changed, so nothing was saved.".into()),
            ]);
        }
        let who = super::decisions::identify(store, id);
        if !confirmed {
            let message = format!(
                "Save these changes to {who}?\n{}",
                crate::tui::screens::undo::describe(&changes, false)
            );
            return Cmd::confirm("Save these changes?", message, |_store: &mut Store| {
                Cmd::Notify(Note::SaveConfirmed)
            });
        }
        let before = match store.person(id) {
            Ok(p) => p.record,
            Err(e) => return Cmd::Error(e.to_string()),
        };
        if let Err(e) = store.update_person(id, rec) {
            return Cmd::Error(e.to_string());
        }
        self.form.mark_saved();
        let mut out = vec![Cmd::Back];
        match store.person(id) {
            Ok(p) => {
                out.push(Cmd::Remember(Box::new(crate::tui::screens::undo::Edit {
                    person: id,
                    who,
                    before,
                    after: p.record,
                    changes,
                })));
                out.push(Cmd::Info("Saved. The undo key puts it back as it was.".into()));
            }
            Err(_) => out.push(Cmd::Info("Saved.".into())),
        }
        Cmd::Many(out)
    }

    /// Saves; `force` skips the duplicate warning (a new person) or the last look at the
    /// changes (an edit).
    pub fn save(&mut self, store: &mut Store, force: bool) -> Cmd {
        if self.restricted {
            return Cmd::Error("This record is restricted (Article 18) and cannot be changed.".into());
        }
        if !self.form.validate_all() {
            return Cmd::Error("Some fields need attention: see the messages in red.".into());
        }
        let input = match self.values(store.profile()) {
            Ok(i) => i,
            Err(e) => {
                self.form.set_error("categories", &e);
                return Cmd::Error(e);
            }
        };
        let today = store.clock().today();
        let rec = match input.validate(today) {
            Ok(r) => r,
            Err(errors) => {
                let first = errors.first().map(|e| e.message.clone()).unwrap_or_default();
                for e in errors {
                    self.form.set_error(e.field, &e.message);
                }
                return Cmd::Error(first);
            }
        };
        match self.mode {
            Mode::Rectify { request, .. } => match store.rectify(request, &rec) {
                Ok(changed) => {
                    self.form.mark_saved();
                    Cmd::Many(vec![
                        Cmd::Back,
                        Cmd::Info(format!(
                            "Rectified: {}. Before and after are kept with the request.",
                            changed.join(", ")
                        )),
                    ])
                }
                Err(e) => Cmd::Error(e.to_string()),
            },
            Mode::Edit(id) => self.save_edit(store, id, &rec, force),
            Mode::Create => {
                match store.restricted_duplicate(&rec) {
                    Ok(true) => {
                        return Cmd::Error(
                            "A restricted record (Article 18) matches these details: ask the data protection lead before adding this person; nothing was saved."
                                .into(),
                        )
                    }
                    Ok(false) => {}
                    Err(e) => return Cmd::Error(e.to_string()),
                }
                if self.form.value("obtained").as_deref() == Some(NOT_SAID) {
                    let msg = "Say how we got these details: directly from the person, or from someone else (then they are owed a notice).";
                    self.form.set_error("obtained", msg);
                    return Cmd::Error(msg.into());
                }
                if !force {
                    match store.likely_duplicates(&rec, None) {
                        Ok(hits) if !hits.is_empty() => return Cmd::popup(DuplicatesPopup::new(hits)),
                        Ok(_) => {}
                        Err(e) => return Cmd::Error(e.to_string()),
                    }
                }
                let obtained_on = match self.form.value("obtained_on").filter(|s| !s.trim().is_empty()) {
                    Some(s) => match validate::date(&s) {
                        Ok(d) if d <= today => d,
                        Ok(_) => {
                            self.form.set_error(
                                "obtained_on",
                                "The date we obtained the details cannot be in the future.",
                            );
                            return Cmd::Error("The date we obtained the details cannot be in the future.".into());
                        }
                        Err(e) => return Cmd::Error(e.message),
                    },
                    None => today,
                };
                let obtained = if self.form.value("obtained").as_deref() == Some(INDIRECT) {
                    let text = self.form.value("source").unwrap_or_default();
                    let from_person = self.source.as_ref().map(|(id, _)| *id);
                    if from_person.is_none() && text.trim().is_empty() {
                        let msg = "Say who gave us these details: type a description in \"From whom\", or pick a person there.";
                        self.form.set_error("source", msg);
                        return Cmd::Error(msg.into());
                    }
                    let from_text = if from_person.is_some() {
                        None
                    } else {
                        Some(text.trim().to_string())
                    };
                    Obtained::Indirectly {
                        from_person,
                        from_text,
                        referral: None,
                    }
                } else {
                    Obtained::Directly
                };
                match store.create_person(&rec, &obtained, obtained_on) {
                    Ok(id) => {
                        self.form.mark_saved();
                        let mut msg = "Saved.".to_string();
                        if obtained.is_indirect() {
                            msg.push_str(" Their details came from someone else, so an Article 14 notice is now due.");
                        }
                        // Leave the form, then open the new person the one way people are
                        // opened, so Recent has them too.
                        Cmd::Many(vec![Cmd::Back, Cmd::OpenPerson(id), Cmd::Info(msg)])
                    }
                    Err(e) => Cmd::Error(e.to_string()),
                }
            }
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let hint_h = 1.min(area.height);
        let keys = format!(
            "{} saves, {} cancels.",
            ctx.key(Context::Form, Action::Save),
            ctx.key(Context::Form, Action::Back)
        );
        let hint = match (&self.source, self.mode) {
            (Some((_, name)), _) => format!("Details came from {name} (picked). {keys}"),
            (None, Mode::Create) => format!(
                "Lists take commas. In \"From whom\", {} picks a person. {keys}",
                ctx.key(Context::Form, Action::Open)
            ),
            (None, Mode::Edit(_)) => format!("Lists take commas. {keys}"),
            (None, Mode::Rectify { request, .. }) => format!("Rectifying for request #{request}. {keys}"),
        };
        Paragraph::new(Line::styled(super::fit(&hint, area.width as usize), theme.dim))
            .render(Rect { height: hint_h, ..area }, buf);
        self.form.render(
            Rect {
                y: area.y + hint_h,
                height: area.height.saturating_sub(hint_h),
                ..area
            },
            buf,
            theme,
        )
    }
}

impl Screen for PersonFormScreen {
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
        "Person's details".into()
    }

    fn notify(&mut self, note: &Note, store: &mut Store) -> Notified {
        match note {
            Note::Picked {
                slot: PickSlot::Source,
                id,
                name,
            } => {
                self.set_source(*id, name.clone());
                Notified::Ignored
            }
            Note::CreateAnyway | Note::SaveConfirmed => Notified::Apply(self.save(store, true)),
            _ => Notified::Ignored,
        }
    }
}
