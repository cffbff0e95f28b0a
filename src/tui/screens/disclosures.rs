//! Disclosures from the keyboard, for the roles the profile lets disclose. `S` on a person
//! records one: to whom (the profile's usual recipients, or typed), what, when, the lawful
//! basis, and why it was allowed: their permission (how and when given) or an exceptional
//! circumstance, with who decided and whether they were supported to share it themselves,
//! told, or not told (and why). The register (`S` on the handover) lists every disclosure,
//! newest first; Enter opens the person.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::consent::ConsentMethod;
use crate::domain::{validate, DisclosureGround, PersonInformed};
use crate::profile::LawfulBasis;
use crate::store::disclosures::{Disclosure, DisclosureInput};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

const SOMEONE_ELSE: &str = "someone else (type below)";
const NOT_APPLICABLE: &str = "not needed (with permission)";

fn find<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, chosen: &str) -> Option<T> {
    all.iter().copied().find(|x| label(*x) == chosen)
}

/// `S` on a person: the disclosure form.
pub fn record_popup(store: &Store, person: i64) -> Cmd {
    if !store.may_disclose() {
        return Cmd::Error(format!(
            "Your role ({}) may not record disclosures: ask the data protection lead.",
            store.profile().role_label(store.actor().role)
        ));
    }
    let today = store.clock().today().format("%d/%m/%Y").to_string();
    let recipients: Vec<&str> = store
        .profile()
        .disclosures
        .recipients
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(SOMEONE_ELSE))
        .collect();
    let grounds: Vec<&str> = DisclosureGround::ALL.iter().map(|g| g.label()).collect();
    let methods: Vec<&str> = ConsentMethod::ALL.iter().map(|m| m.label()).collect();
    let informed: Vec<&str> = std::iter::once(NOT_APPLICABLE)
        .chain(PersonInformed::ALL.iter().map(|i| i.label()))
        .collect();
    let bases: Vec<&str> = LawfulBasis::ALL.iter().map(|b| b.label()).collect();
    let form = Form::new("Disclosure")
        .with(Field::choice("recipient", "To whom", &recipients, recipients[0]))
        .with(Field::text("other", "Someone else", "").max_chars(validate::MAX_LINE))
        .with(Field::text("what", "What was shared", "").max_chars(validate::MAX_LINE))
        .with(Field::text("on", "Date shared", &today).max_chars(10))
        .with(Field::choice(
            "ground",
            "Allowed because",
            &grounds,
            DisclosureGround::Permission.label(),
        ))
        .with(Field::choice("how", "Permission given", &methods, methods[0]))
        .with(Field::text("given_on", "Permission on", &today).max_chars(10))
        .with(Field::text("maker", "Without it: who decided", "").max_chars(validate::MAX_LINE))
        .with(Field::choice(
            "informed",
            "Without it: were they",
            &informed,
            NOT_APPLICABLE,
        ))
        .with(Field::text("note", "Why not told", "").max_chars(validate::MAX_LINE))
        .with(Field::choice(
            "basis",
            "Lawful basis",
            &bases,
            LawfulBasis::Consent.label(),
        ));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "Only with their permission, or in exceptional circumstances (a risk to a child or an adult, serious self-harm, a threat to others, the law or a court). Wherever possible, support them to share it themselves.".into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let date = |id: &str| validate::date(&value(form, id)).map_err(|e| field_error(id, e.message));
            let recipient = match value(form, "recipient") {
                r if r == SOMEONE_ELSE => value(form, "other"),
                r => r,
            };
            let ground = find(DisclosureGround::ALL, |g| g.label(), &value(form, "ground"))
                .unwrap_or(DisclosureGround::Permission);
            let permission = if ground == DisclosureGround::Permission {
                let how = find(&ConsentMethod::ALL, |m| m.label(), &value(form, "how")).unwrap_or(ConsentMethod::VerbalPhone);
                Some((how, date("given_on")?))
            } else {
                None
            };
            let input = DisclosureInput {
                recipient,
                what: value(form, "what"),
                lawful_basis: find(LawfulBasis::ALL, |b| b.label(), &value(form, "basis")).unwrap_or(LawfulBasis::Consent),
                on: date("on")?,
                ground,
                permission,
                decision_maker: value(form, "maker"),
                informed: find(PersonInformed::ALL, |i| i.label(), &value(form, "informed")),
                informed_note: value(form, "note"),
            };
            let field = |e: &crate::store::StoreError| {
                let m = e.to_string();
                if m.contains("who made the decision") {
                    "maker"
                } else if m.contains("supported to share") {
                    "informed"
                } else if m.contains("not told") {
                    "note"
                } else if m.contains("permission") {
                    "given_on"
                } else {
                    "recipient"
                }
            };
            let done = store.record_disclosure(person, &input).map_err(|e| field_error(field(&e), e))?;
            Ok(if done.notice_pending {
                Cmd::Error("Disclosure recorded. This person has not been told we hold their data: the Article 14 notice is now due at once.".into())
            } else {
                Cmd::Info("Disclosure recorded.".into())
            })
        }),
    ))
}

/// The whole case file's disclosures, newest first.
pub struct RegisterScreen {
    rows: Vec<Disclosure>,
    selected: usize,
    scroll: usize,
}

impl RegisterScreen {
    pub fn load(store: &Store) -> Cmd {
        match store.disclosures(None) {
            Ok(rows) => Cmd::push(RegisterScreen {
                rows,
                selected: 0,
                scroll: 0,
            }),
            Err(e) => Cmd::Error(e.to_string()),
        }
    }
}

impl Screen for RegisterScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::when(Action::Open, !self.rows.is_empty()),
            Command::on(Action::Back),
            Command::on(Action::Down),
            Command::on(Action::Up),
            Command::on(Action::Top),
            Command::on(Action::Bottom),
        ]
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        let n = self.rows.len();
        let cmd = match listed_action(input, &self.commands()) {
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
                Cmd::None
            }
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Cmd::None
            }
            Some(Action::Top) => {
                self.selected = 0;
                Cmd::None
            }
            Some(Action::Bottom) => {
                self.selected = n.saturating_sub(1);
                Cmd::None
            }
            Some(Action::Open) => match self.rows.get(self.selected) {
                Some(d) => Cmd::OpenPerson(d.person_id),
                None => Cmd::None,
            },
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let block = Block::bordered().title(Span::styled(
            format!(" Disclosures: {} in all, newest first ", self.rows.len()),
            theme.title,
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        if self.rows.is_empty() {
            Line::styled("No disclosure has been recorded.", theme.dim).render(inner, buf);
            return None;
        }
        // Two lines each, so nothing is cut at 80 columns: what went where, then why.
        let per_page = (inner.height as usize / 2).max(1);
        self.scroll = super::scroll_for(self.selected, per_page, self.scroll);
        let width = inner.width as usize;
        for (i, d) in self.rows.iter().enumerate().skip(self.scroll).take(per_page) {
            let y = inner.y + 2 * (i - self.scroll) as u16;
            let head = Line::raw(super::fit(&d.headline(true), width));
            super::draw_row(buf, inner.x, y, inner.width, &head, i == self.selected, theme);
            if y + 1 < inner.y + inner.height {
                let why = Line::styled(super::fit(&format!("    {}", d.why()), width), theme.dim);
                super::draw_row(buf, inner.x, y + 1, inner.width, &why, i == self.selected, theme);
            }
        }
        None
    }

    fn title(&self) -> String {
        "Disclosures".into()
    }
}
