//! A person: identity and contact details, categories, relationships (Enter jumps to the
//! related person), how and when the data was obtained, last contact and retention review,
//! open requests, the Article 14 notice, consents, callbacks, health (masked until revealed
//! with a reason), DBS checks (only for roles given criminal offence data), contact log and
//! services. Sections the role may not see are absent, not blank. A restricted person shows a
//! banner and is read-only.

use super::fit;
use super::form_popup::{field_error, value, FormPopup};
use super::link::LinkKindPopup;
use super::menu::{MakeCmd, MenuPopup};
use super::person_form::PersonFormScreen;
use super::prompts::{CallbackPopup, LogContactPopup, RevealPopup};
use crate::domain::consent::ConsentMethod;
use crate::domain::deadline::days_left;
use crate::domain::FieldGroup;
use crate::store::people::{ConsentEvent, HealthNote, PersonView};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, Command, DrawContext, Handled, Input, Note, Notified, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

const CHOOSE: &str = "(choose)";

/// `c`: record consent given. Nothing is pre-chosen: the purpose and how it was given must be
/// picked, and the exact wording is shown to read out.
fn give_consent_popup(store: &Store, person: i64) -> Cmd {
    let purposes = &store.profile().consent_purposes;
    if purposes.is_empty() {
        return Cmd::Error("The organisation profile lists no consent purposes.".into());
    }
    let mut purpose_labels = vec![CHOOSE];
    purpose_labels.extend(purposes.iter().map(|p| p.label.as_str()));
    let mut methods = vec![CHOOSE];
    methods.extend(ConsentMethod::ALL.iter().map(|m| m.label()));
    let mut intro = vec!["Read out the exact wording, then record how the person agreed:".to_string()];
    for p in purposes {
        intro.push(format!("{} (wording v{}): \"{}\"", p.label, p.version, p.wording));
    }
    let keys: Vec<(String, String)> = purposes.iter().map(|p| (p.label.clone(), p.key.clone())).collect();
    let form = Form::new("Consent given")
        .with(Field::choice("purpose", "Purpose", &purpose_labels, CHOOSE))
        .with(Field::choice("how", "How given", &methods, CHOOSE))
        .with(Field::text("evidence", "Evidence ref.", "").max_chars(crate::domain::validate::MAX_LINE))
        .with(Field::text("on", "Date", &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let label = value(form, "purpose");
            let key = keys
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, k)| k.clone())
                .ok_or_else(|| field_error("purpose", "Choose the purpose the person agreed to (left/right)."))?;
            let how = ConsentMethod::ALL
                .iter()
                .copied()
                .find(|m| m.label() == value(form, "how"))
                .ok_or_else(|| field_error("how", "Choose how the person gave their consent (left/right)."))?;
            let on = crate::domain::validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .give_consent(person, &key, how, on, &value(form, "evidence"))
                .map_err(|e| field_error("purpose", e))?;
            Ok(Cmd::Info(format!("Consent recorded: {label}.")))
        }),
    ))
}

/// `w`: withdraw a consent; as easy as giving: pick it, say how, confirm.
fn withdraw_consent_menu(store: &Store, person: i64) -> Cmd {
    let active: Vec<(String, String)> = store
        .profile()
        .consent_purposes
        .iter()
        .filter(|p| store.consent_active(person, &p.key).unwrap_or(false))
        .map(|p| (p.label.clone(), p.key.clone()))
        .collect();
    if active.is_empty() {
        return Cmd::Error("This person has no consent in force to withdraw.".into());
    }
    let items: Vec<(String, MakeCmd)> = active
        .into_iter()
        .map(|(label, key)| {
            let title = label.clone();
            let make: MakeCmd = Box::new(move || {
                let methods: Vec<&str> = ConsentMethod::ALL.iter().map(|m| m.label()).collect();
                let form =
                    Form::new("Consent withdrawn").with(Field::choice("how", "How withdrawn", &methods, methods[0]));
                let key = key.clone();
                let title = title.clone();
                Cmd::popup(FormPopup::new(
                    form,
                    vec![format!("Withdrawing: {title}. A follow-up task will be created.")],
                    Box::new(move |_store: &mut Store, form: &Form| {
                        let how = ConsentMethod::ALL
                            .iter()
                            .copied()
                            .find(|m| m.label() == value(form, "how"))
                            .unwrap_or(ConsentMethod::VerbalPhone);
                        Ok(super::decisions::withdraw_consent(
                            person,
                            key.clone(),
                            how,
                            format!("Record that the person withdrew consent for: {title}?"),
                        ))
                    }),
                ))
            });
            (label, make)
        })
        .collect();
    Cmd::popup(MenuPopup::new("Which consent is withdrawn?", items))
}

/// `P`: record that something needing consent (a photo, a story) was published. Refused
/// unless the person's consent for that purpose is in force.
fn publication_popup(store: &Store, person: i64) -> Cmd {
    let purposes: Vec<(String, String)> = store
        .profile()
        .consent_purposes
        .iter()
        .map(|p| (p.label.clone(), p.key.clone()))
        .collect();
    if purposes.is_empty() {
        return Cmd::Error("The organisation profile lists no consent purposes.".into());
    }
    let labels: Vec<&str> = purposes.iter().map(|(l, _)| l.as_str()).collect();
    let form = Form::new("Published")
        .with(Field::choice("purpose", "Purpose", &labels, labels[0]))
        .with(Field::text("what", "What was published", "").max_chars(crate::domain::validate::MAX_LINE))
        .with(Field::text("on", "Date", &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec![
            "Only with consent in force. If consent is withdrawn later, the follow-up task lists what to take down."
                .into(),
        ],
        Box::new(move |store: &mut Store, form: &Form| {
            let label = value(form, "purpose");
            let key = purposes
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, k)| k.clone())
                .unwrap_or_default();
            let on = crate::domain::validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .record_publication(person, &key, &value(form, "what"), on)
                .map_err(|e| field_error("what", e))?;
            Ok(Cmd::Info("Publication recorded.".into()))
        }),
    ))
}

/// `S`: record a disclosure (what went to whom, when, on what lawful basis). Before the
/// person's Article 14 notice is given, this brings the notice forward and says so.
fn disclosure_popup(store: &Store, person: i64) -> Cmd {
    let bases: Vec<&str> = crate::profile::LawfulBasis::ALL.iter().map(|b| b.label()).collect();
    let default = crate::profile::LawfulBasis::LegitimateInterests.label();
    let form = Form::new("Disclosure")
        .with(Field::text("recipient", "To whom", "").max_chars(crate::domain::validate::MAX_LINE))
        .with(Field::text("what", "What was shared", "").max_chars(crate::domain::validate::MAX_LINE))
        .with(Field::choice("basis", "Lawful basis", &bases, default))
        .with(Field::text("on", "Date", &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec!["The disclosure register: who received what, when, and why it was lawful. Article 19 uses it to tell recipients of later corrections.".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let basis = crate::profile::LawfulBasis::ALL
                .iter()
                .copied()
                .find(|b| b.label() == value(form, "basis"))
                .unwrap_or(crate::profile::LawfulBasis::LegitimateInterests);
            let on = crate::domain::validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let done = store
                .record_disclosure(person, &value(form, "recipient"), &value(form, "what"), basis, on)
                .map_err(|e| field_error("recipient", e))?;
            Ok(if done.notice_pending {
                Cmd::Error("Disclosure recorded. This person has not been told we hold their data: the Article 14 notice is now due at once.".into())
            } else {
                Cmd::Info("Disclosure recorded.".into())
            })
        }),
    ))
}

/// Something on the screen that can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Relation { id: i64, other: i64 },
    Callback(i64),
}

/// An open request with its deadline, for display.
#[derive(Debug, Clone)]
struct RequestLine {
    id: i64,
    kinds: String,
    received: chrono::NaiveDate,
    due: Option<chrono::NaiveDate>,
    status: String,
}

pub struct PersonScreen {
    pub view: PersonView,
    consents: Vec<ConsentEvent>,
    requests: Vec<RequestLine>,
    health: Option<Vec<HealthNote>>,
    pub targets: Vec<Target>,
    pub selected: usize,
    scroll: usize,
    today: chrono::NaiveDate,
}

impl PersonScreen {
    /// The person's screen, opened because the user asked to see them: a view of DBS checks is
    /// recorded in the audit log, once.
    pub fn open(store: &Store, id: i64) -> crate::store::Result<PersonScreen> {
        let view = store.view_person(id)?;
        Self::from_view(store, view)
    }

    fn from_view(store: &Store, view: crate::store::people::PersonView) -> crate::store::Result<PersonScreen> {
        let id = view.id;
        let consents = store.consent_history(id)?;
        let mut requests = Vec::new();
        for r in &view.open_requests {
            let (due, status) = match store.request_deadline(r.id) {
                Ok(d) => (d.due, d.status()),
                Err(e) => (None, e.to_string()),
            };
            requests.push(RequestLine {
                id: r.id,
                kinds: r.kinds.replace(',', ", "),
                received: r.received_on,
                due,
                status,
            });
        }
        let targets = view
            .relationships
            .iter()
            .map(|r| Target::Relation {
                id: r.id,
                other: r.other_id,
            })
            .chain(view.callbacks.iter().map(|c| Target::Callback(c.id)))
            .collect();
        Ok(PersonScreen {
            view,
            consents,
            requests,
            health: None,
            targets,
            selected: 0,
            scroll: 0,
            today: store.clock().today(),
        })
    }

    pub fn id(&self) -> i64 {
        self.view.id
    }

    pub fn name(&self) -> String {
        self.view.name()
    }

    /// Reloads after a change, keeping the selection and any revealed health notes.
    pub fn reload(&mut self, store: &Store) {
        if let Ok(mut fresh) = store
            .person(self.id())
            .and_then(|view| PersonScreen::from_view(store, view))
        {
            fresh.selected = self.selected.min(fresh.targets.len().saturating_sub(1));
            fresh.scroll = self.scroll;
            fresh.health = self.health.take();
            *self = fresh;
        }
    }

    pub fn show_health(&mut self, notes: Vec<HealthNote>) {
        self.health = Some(notes);
    }

    fn read_only(&self) -> Option<Cmd> {
        self.view.restricted.then(|| {
            Cmd::Error(
                "This record is restricted (Article 18): it cannot be changed until the restriction is lifted.".into(),
            )
        })
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.targets.len();
        match action {
            Some(Action::Down) if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::PageDown) => self.scroll += 10,
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(10),
            Some(Action::Top) => {
                self.selected = 0;
                self.scroll = 0;
            }
            Some(Action::Bottom) => self.selected = n.saturating_sub(1),
            Some(Action::Open) => {
                if let Some(Target::Relation { other, .. }) = self.targets.get(self.selected) {
                    return Cmd::OpenPerson(*other);
                }
            }
            Some(Action::Edit) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return match PersonFormScreen::edit(store, self.id()) {
                    Ok(f) => Cmd::push(f),
                    Err(e) => Cmd::Error(e),
                };
            }
            Some(Action::LogContact) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return Cmd::popup(LogContactPopup::new(self.id(), self.name()));
            }
            Some(Action::AddCallback) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return Cmd::popup(CallbackPopup::new(self.id(), self.name()));
            }
            Some(Action::CallbackDone) => {
                return match self.targets.get(self.selected) {
                    Some(Target::Callback(id)) => {
                        super::decisions::complete_callback(*id, "Mark this callback as done?".into())
                    }
                    _ => Cmd::Error("Select a callback first (move up or down to it).".into()),
                };
            }
            Some(Action::Link) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return Cmd::popup(LinkKindPopup::new(self.id()));
            }
            Some(Action::Unlink) => {
                return match self.targets.get(self.selected) {
                    Some(Target::Relation { id, .. }) => {
                        let name = self
                            .view
                            .relationships
                            .iter()
                            .find(|r| r.id == *id)
                            .map(|r| r.other_name.clone())
                            .unwrap_or_default();
                        super::decisions::unlink(*id, &name)
                    }
                    _ => Cmd::Error("Select a relationship first (move up or down to it).".into()),
                };
            }
            Some(Action::GiveConsent) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return give_consent_popup(store, self.id());
            }
            Some(Action::WithdrawConsent) => return withdraw_consent_menu(store, self.id()),
            Some(Action::NewRequest) => return super::requests::intake_popup(store, self.id()),
            Some(Action::RecordPublication) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return publication_popup(store, self.id());
            }
            Some(Action::RecordDisclosure) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return disclosure_popup(store, self.id());
            }
            Some(Action::RevealHealth) => {
                if self.view.health_notes.is_none() {
                    return Cmd::Error("Your role does not receive health information for this person.".into());
                }
                return Cmd::popup(RevealPopup::new(self.id()));
            }
            _ => {}
        }
        Cmd::None
    }

    /// The screen's lines, each with the target it selects (if any).
    fn lines(&self, theme: &Theme, width: usize, reveal_key: &str) -> Vec<(Line<'static>, Option<Target>)> {
        let v = &self.view;
        let r = &v.record;
        let mut out: Vec<(Line<'static>, Option<Target>)> = Vec::new();
        let heading = |t: &str| (Line::styled(t.to_string(), theme.title), None);
        let field = |label: &str, value: String| {
            (
                Line::from(vec![
                    Span::styled(format!("  {label:<18}"), theme.dim),
                    Span::raw(fit(&value, width.saturating_sub(20))),
                ]),
                None,
            )
        };
        if v.restricted {
            out.push((
                Line::styled(
                    " RESTRICTED RECORD (Article 18): read-only; hidden from everyone but the data protection lead ",
                    theme.banner,
                ),
                None,
            ));
        }
        let cats = r.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ");
        out.push((
            Line::from(vec![
                Span::styled(v.name(), theme.title),
                Span::styled(format!("   {cats}"), theme.dim),
            ]),
            None,
        ));
        if !r.aliases.is_empty() {
            out.push(field("Also known as", r.aliases.join(", ")));
        }
        out.push((Line::raw(""), None));
        out.push(heading("Contact"));
        if v.sees(FieldGroup::Address) {
            out.push(field(
                "Address",
                r.address.clone().unwrap_or_else(|| "—".into()).replace('\n', ", "),
            ));
            out.push(field("Postcode", r.postcode.clone().unwrap_or_else(|| "—".into())));
        }
        if v.sees(FieldGroup::Phone) {
            out.push(field(
                "Phone",
                if r.phones.is_empty() {
                    "—".into()
                } else {
                    r.phones.join(", ")
                },
            ));
        }
        if v.sees(FieldGroup::Email) {
            out.push(field("Email", r.email.clone().unwrap_or_else(|| "—".into())));
        }
        if v.sees(FieldGroup::DateOfBirth) {
            out.push(field(
                "Date of birth",
                r.date_of_birth
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|| "—".into()),
            ));
        }
        if v.sees(FieldGroup::Organisation) {
            out.push(field(
                "Organisation",
                r.organisation.clone().unwrap_or_else(|| "—".into()),
            ));
        }
        if v.sees(FieldGroup::Correspondence) {
            if let Some(n) = &r.notes {
                out.push(field("Notes", n.replace('\n', " / ")));
            }
        }
        let source = if v.obtained_indirectly {
            let from = v
                .obtained_from
                .as_ref()
                .map(|(_, n)| n.clone())
                .or(v.obtained_from_text.clone())
                .unwrap_or_else(|| "someone else".into());
            let referral = v
                .obtained_referral
                .map(|r| format!(" (referral {r})"))
                .unwrap_or_default();
            format!("from {from}{referral}, on {}", v.obtained_on.format("%d/%m/%Y"))
        } else {
            format!("directly from them, on {}", v.obtained_on.format("%d/%m/%Y"))
        };
        out.push(field("Details came", source));
        out.push(field(
            "Last contact",
            v.last_contact
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "none logged".into()),
        ));
        out.push(field(
            "Retention review",
            match (v.legal_hold, v.retention_review) {
                (true, _) => "suspended: a legal hold stands".into(),
                (false, Some(d)) => d.format("%d/%m/%Y").to_string(),
                (false, None) => "—".into(),
            },
        ));
        out.push((Line::raw(""), None));
        out.push(heading("Relationships"));
        if v.relationships.is_empty() {
            out.push((Line::styled("  none (r links someone)", theme.dim), None));
        }
        for rel in &v.relationships {
            let t = Target::Relation {
                id: rel.id,
                other: rel.other_id,
            };
            out.push((
                Line::raw(fit(&format!("  {:<24}{}", rel.label(), rel.other_name), width)),
                Some(t),
            ));
        }
        if !self.requests.is_empty() {
            out.push((Line::raw(""), None));
            out.push(heading("Open rights requests"));
            for q in &self.requests {
                let (left, style) = match q.due {
                    Some(d) => {
                        let n = days_left(d, self.today);
                        (
                            format!("due {} ({n} days)", d.format("%d/%m/%Y")),
                            if n < 0 {
                                theme.overdue
                            } else if n <= 5 {
                                theme.due_soon
                            } else {
                                theme.normal
                            },
                        )
                    }
                    None => (q.status.clone(), theme.dim),
                };
                out.push((
                    Line::from(vec![
                        Span::raw(format!(
                            "  #{} {} received {}  ",
                            q.id,
                            q.kinds,
                            q.received.format("%d/%m/%Y")
                        )),
                        Span::styled(left, style),
                    ]),
                    None,
                ));
            }
        }
        if let Some(n) = &v.notice {
            out.push((Line::raw(""), None));
            out.push(heading("Article 14 notice"));
            let text = match n.status.as_str() {
                "pending" => format!(
                    "  pending: tell them we hold their data by {}",
                    n.due_on.format("%d/%m/%Y")
                ),
                other => format!("  {other}"),
            };
            let style = if n.status == "pending" && n.due_on <= self.today {
                theme.overdue
            } else {
                theme.normal
            };
            out.push((Line::styled(text, style), None));
        }
        if !self.consents.is_empty() {
            out.push((Line::raw(""), None));
            out.push(heading("Consents"));
            for c in &self.consents {
                out.push((
                    Line::raw(format!(
                        "  {} {} on {} ({}, wording v{})",
                        c.purpose,
                        if c.given { "given" } else { "withdrawn" },
                        c.on.format("%d/%m/%Y"),
                        c.how,
                        c.wording_version
                    )),
                    None,
                ));
            }
        }
        if v.sees(FieldGroup::Correspondence) {
            out.push((Line::raw(""), None));
            out.push(heading("Callbacks"));
            if v.callbacks.is_empty() {
                out.push((Line::styled("  none open (b adds one)", theme.dim), None));
            }
            for c in &v.callbacks {
                let style = if c.due_at.date() < self.today {
                    theme.overdue
                } else {
                    theme.normal
                };
                out.push((
                    Line::styled(
                        fit(
                            &format!("  by {}  {}", c.due_at.format("%a %d %b %H:%M"), c.about),
                            width,
                        ),
                        style,
                    ),
                    Some(Target::Callback(c.id)),
                ));
            }
        }
        if let Some(count) = v.health_notes {
            out.push((Line::raw(""), None));
            out.push(heading("Mobility and health (special category)"));
            match &self.health {
                None => out.push((
                    Line::styled(
                        format!("  {count} note(s) hidden: {reveal_key} shows them (asks for a reason; the view is recorded)"),
                        theme.masked,
                    ),
                    None,
                )),
                Some(notes) if notes.is_empty() => out.push((Line::styled("  none recorded", theme.dim), None)),
                Some(notes) => {
                    for n in notes {
                        out.push((
                            Line::raw(fit(
                                &format!("  {}  {}", n.recorded_on.format("%d/%m/%Y"), n.note),
                                width,
                            )),
                            None,
                        ));
                    }
                }
            }
        }
        if let Some(checks) = &v.dbs_checks {
            out.push((Line::raw(""), None));
            out.push(heading("DBS checks (criminal offence data)"));
            if checks.is_empty() {
                out.push((Line::styled("  none recorded", theme.dim), None));
            }
            for c in checks {
                out.push((
                    Line::raw(format!(
                        "  {}  certificate {}  issued {}  renewal due {}",
                        c.service_role,
                        c.certificate_number,
                        c.issue_date.format("%d/%m/%Y"),
                        c.renewal_due.format("%d/%m/%Y")
                    )),
                    None,
                ));
            }
        }
        if let Some(contacts) = &v.contacts {
            out.push((Line::raw(""), None));
            out.push(heading("Contact log"));
            if contacts.is_empty() {
                out.push((
                    Line::styled("  nothing logged (l logs a call, email, letter or visit)", theme.dim),
                    None,
                ));
            }
            for c in contacts {
                let text = format!(
                    "  {}  {:<6} {}{}",
                    c.at.format("%d/%m/%Y %H:%M"),
                    c.kind.label(),
                    c.note.clone().unwrap_or_default(),
                    c.by.as_ref().map(|b| format!("  ({b})")).unwrap_or_default()
                );
                out.push((Line::raw(fit(&text, width)), None));
            }
        }
        if let Some(services) = &v.services {
            out.push((Line::raw(""), None));
            out.push(heading("Services"));
            if services.is_empty() {
                out.push((Line::styled("  none recorded", theme.dim), None));
            }
            for s in services {
                let text = format!(
                    "  {}  {}{}",
                    s.delivered_on.format("%d/%m/%Y"),
                    s.service,
                    s.volunteer.as_ref().map(|v| format!(" with {v}")).unwrap_or_default()
                );
                out.push((Line::raw(fit(&text, width)), None));
            }
        }
        out
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let reveal_key = &ctx.key(Context::Person, Action::RevealHealth);
        let block = Block::bordered().title(Span::styled(" Person ", theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let lines = self.lines(theme, inner.width as usize, reveal_key);
        let rows = inner.height as usize;
        let selected_target = self.targets.get(self.selected).copied();
        if let Some(t) = selected_target {
            if let Some(row) = lines.iter().position(|(_, tt)| *tt == Some(t)) {
                self.scroll = super::scroll_for(row, rows, self.scroll);
            }
        }
        self.scroll = self.scroll.min(lines.len().saturating_sub(rows));
        for (i, (line, target)) in lines.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            if target.is_some() && *target == selected_target {
                buf.set_style(
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                    theme.selected,
                );
            } else {
                buf.set_style(
                    Rect {
                        x: inner.x,
                        y,
                        width: inner.width,
                        height: 1,
                    },
                    Style::default(),
                );
            }
            buf.set_line(inner.x, y, line, inner.width);
        }
    }
}

impl Screen for PersonScreen {
    fn context(&self) -> Context {
        Context::Person
    }

    fn commands(&self) -> Vec<Command> {
        let writable = !self.view.restricted;
        let selected = self.targets.get(self.selected);
        let on_relation = matches!(selected, Some(Target::Relation { .. }));
        let on_callback = matches!(selected, Some(Target::Callback(_)));
        let rows = self.targets.len();
        vec![
            Command::when(Action::Edit, writable),
            Command::when(Action::LogContact, writable),
            Command::when(Action::AddCallback, writable),
            Command::when(Action::GiveConsent, writable),
            Command::on(Action::NewRequest),
            Command::when(Action::Open, on_relation),
            Command::when(Action::CallbackDone, on_callback),
            Command::when(Action::Link, writable),
            Command::when(Action::Unlink, on_relation),
            Command::when(Action::RevealHealth, self.view.health_notes.is_some()),
            Command::on(Action::WithdrawConsent),
            Command::when(Action::RecordDisclosure, writable),
            Command::when(Action::RecordPublication, writable),
            Command::when(Action::Down, rows > 0),
            Command::when(Action::Up, rows > 0),
            Command::on(Action::PageDown),
            Command::on(Action::PageUp),
            Command::on(Action::Top),
            Command::when(Action::Bottom, rows > 0),
        ]
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(action) => Handled::Consumed(self.handle(Some(action), store)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx);
        None
    }

    fn title(&self) -> String {
        "Person".into()
    }

    fn reload(&mut self, store: &Store) {
        PersonScreen::reload(self, store);
    }

    fn notify(&mut self, note: &Note, _store: &mut Store) -> Notified {
        match note {
            Note::HealthShown { person, notes } if *person == self.id() => {
                self.show_health(notes.clone());
                Notified::Ignored
            }
            Note::PersonErased(id) if *id == self.id() => Notified::Close,
            _ => Notified::Ignored,
        }
    }
}
