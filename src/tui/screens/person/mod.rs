//! A person: identity and contact details, categories, relationships (Enter jumps to the
//! related person), how and when the data was obtained, last contact and retention review,
//! open requests, the Article 14 notice, consents, callbacks, health (masked until revealed
//! with a reason), DBS checks (only for roles given criminal offence data), contact log and
//! services. Sections the role may not see are absent, not blank. A restricted person shows a
//! banner and is read-only.
//!
//! This file holds the state and the keys; [`sections`] draws it, one function per section;
//! [`popups`] holds the forms that record consent, publications and disclosures.

use crate::domain::FieldGroup;
use crate::store::people::{ConsentEvent, HealthNote, PersonView};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, Command, DrawContext, Handled, Input, Note, Notified, Screen};
use crate::tui::screens::link::LinkKindPopup;
use crate::tui::screens::person_form::PersonFormScreen;
use crate::tui::screens::prompts::{CallbackPopup, LogContactPopup, RevealPopup};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;

mod popups;
mod sections;

use popups::{give_consent_popup, publication_popup, withdraw_consent_menu};

/// Something on the screen that can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Relation {
        id: i64,
        other: i64,
    },
    Callback(i64),
    /// A standing legal hold (the data protection lead's).
    Hold(i64),
    /// A health note, while the notes are revealed.
    Health(i64),
    /// A service received or given.
    Service(i64),
    /// An enquiry they made.
    Enquiry(i64),
    /// One of their support groups.
    Membership(i64),
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
    /// Their objections and the decisions on them.
    objections: Vec<crate::store::fulfil::ObjectionRow>,
    /// Photos and stories published about them, live or taken down.
    publications: Vec<crate::store::consents::Publication>,
    requests: Vec<RequestLine>,
    health: Option<Vec<HealthNote>>,
    /// The person's legal holds, for the data protection lead (`None` for other roles).
    holds: Option<Vec<crate::store::holds::Hold>>,
    /// What was passed on about the person, for the roles the profile lets disclose.
    disclosures: Option<Vec<crate::store::disclosures::Disclosure>>,
    /// Their enquiries and donations (for roles receiving their correspondence) and support
    /// groups (for roles receiving their services).
    enquiries: Option<Vec<crate::store::enquiries::Enquiry>>,
    memberships: Option<Vec<crate::store::groups::Membership>>,
    donations: Option<Vec<crate::store::donations::Donation>>,
    /// Whether the charity has any open support group.
    any_groups: bool,
    pub targets: Vec<Target>,
    pub selected: usize,
    scroll: usize,
    /// Whether drawing scrolls to keep the selected row in view: true after moving the
    /// selection, false after paging, so every line can be paged to.
    follow: bool,
    today: chrono::NaiveDate,
    /// The person's categories in the profile's words ("Mum", "Donor").
    category_labels: Vec<String>,
    /// The headings of the health, DBS and services sections, in the profile's words.
    health_label: String,
    dbs_label: String,
    services_label: String,
    /// A linked worker, as the profile calls them ("Health professional").
    professional_label: String,
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
        let mut consents = store.consent_history(id)?;
        let objections = store.objections_of(id)?;
        let mut publications = store.publications(id)?;
        for p in &mut publications {
            if let Some(c) = store.profile().consent_purpose(&p.purpose) {
                p.purpose = c.label.clone();
            }
        }
        // Screens show a purpose by its label from the profile, never its stored key.
        for c in &mut consents {
            if let Some(p) = store.profile().consent_purposes.iter().find(|p| p.key == c.purpose) {
                c.purpose = p.label.clone();
            }
        }
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
        let holds = crate::profile::AccessMatrix::answers_rights(store.actor().role)
            .then(|| store.holds_of(id))
            .transpose()?;
        let disclosures = store.may_disclose().then(|| store.disclosures(Some(id))).transpose()?;
        let enquiries = store.enquiries_of(id)?;
        let memberships = store.memberships_of(id)?;
        let donations = store.donations_of(id)?;
        let targets = view
            .relationships
            .iter()
            .map(|r| Target::Relation {
                id: r.id,
                other: r.other_id,
            })
            .chain(view.callbacks.iter().map(|c| Target::Callback(c.id)))
            .chain(
                holds
                    .iter()
                    .flatten()
                    .filter(|h| h.lifted_on.is_none())
                    .map(|h| Target::Hold(h.id)),
            )
            .chain(view.services.iter().flatten().map(|s| Target::Service(s.id)))
            .chain(enquiries.iter().flatten().map(|e| Target::Enquiry(e.id)))
            .chain(memberships.iter().flatten().map(|m| Target::Membership(m.id)))
            .collect();
        Ok(PersonScreen {
            consents,
            publications,
            objections,
            requests,
            health: None,
            holds,
            disclosures,
            enquiries,
            memberships,
            donations,
            any_groups: store.groups()?.iter().any(|g| g.closed_on.is_none()),
            targets,
            selected: 0,
            scroll: 0,
            follow: true,
            today: store.clock().today(),
            category_labels: view
                .record
                .categories
                .iter()
                .map(|c| store.profile().category_label(*c).to_string())
                .collect(),
            health_label: store.profile().field_label(FieldGroup::Health).to_string(),
            dbs_label: store.profile().field_label(FieldGroup::CriminalOffence).to_string(),
            services_label: store.profile().field_label(FieldGroup::Services).to_string(),
            professional_label: store
                .profile()
                .referrer_label(crate::domain::referral::ReferrerKind::Professional),
            view,
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
            let health = self.health.take();
            *self = fresh;
            if let Some(notes) = health {
                self.show_health(notes);
            }
        }
    }

    pub fn show_health(&mut self, notes: Vec<HealthNote>) {
        self.targets.retain(|t| !matches!(t, Target::Health(_)));
        // In screen order: the notes come before the services.
        let at = self
            .targets
            .iter()
            .position(|t| matches!(t, Target::Service(_)))
            .unwrap_or(self.targets.len());
        self.targets.splice(at..at, notes.iter().map(|n| Target::Health(n.id)));
        self.health = Some(notes);
    }

    /// Hides the revealed health notes (after a change, the copy on screen is out of date).
    fn hide_health(&mut self) {
        self.health = None;
        self.targets.retain(|t| !matches!(t, Target::Health(_)));
        self.selected = self.selected.min(self.targets.len().saturating_sub(1));
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
            Some(Action::Down) if n > 0 => {
                self.selected = (self.selected + 1).min(n - 1);
                self.follow = true;
            }
            // With nothing to select, up and down scroll a line.
            Some(Action::Down) => self.scroll += 1,
            Some(Action::Up) if n > 0 => {
                self.selected = self.selected.saturating_sub(1);
                self.follow = true;
            }
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::PageDown) => {
                self.scroll += 10;
                self.follow = false;
            }
            Some(Action::PageUp) => {
                self.scroll = self.scroll.saturating_sub(10);
                self.follow = false;
            }
            Some(Action::Top) => {
                self.selected = 0;
                self.scroll = 0;
                self.follow = false;
            }
            // The end of the screen, whatever is there, with the last selectable row selected.
            Some(Action::Bottom) => {
                self.selected = n.saturating_sub(1);
                self.scroll = usize::MAX;
                self.follow = false;
            }
            Some(Action::Open) => match self.targets.get(self.selected) {
                Some(Target::Relation { other, .. }) => return Cmd::OpenPerson(*other),
                Some(Target::Hold(id)) => return crate::tui::screens::holds::review_popup(store, *id),
                Some(Target::Health(id)) => {
                    if let Some(n) = self.health.iter().flatten().find(|n| n.id == *id) {
                        return crate::tui::screens::health::edit_popup(self.id(), &self.name(), n);
                    }
                }
                Some(Target::Service(id)) => {
                    if let Some(c) = self.read_only() {
                        return c;
                    }
                    if let Some(s) = self.view.services.iter().flatten().find(|s| s.id == *id) {
                        return crate::tui::screens::services::change_popup(store, &self.view, s);
                    }
                }
                Some(Target::Enquiry(id)) => {
                    if let Some(c) = self.read_only() {
                        return c;
                    }
                    return match self.enquiries.iter().flatten().find(|e| e.id == *id) {
                        Some(e) if e.answered_on.is_none() => crate::tui::screens::enquiries::answer_popup(store, *id),
                        Some(e) => Cmd::Info(format!("Answered: {}", e.answer.clone().unwrap_or_default())),
                        None => Cmd::None,
                    };
                }
                Some(Target::Membership(id)) => {
                    if let Some(c) = self.read_only() {
                        return c;
                    }
                    return match self.memberships.iter().flatten().find(|m| m.id == *id) {
                        Some(m) if m.left_on.is_none() => crate::tui::screens::groups::leave_popup(store, m),
                        Some(_) => Cmd::Info("They have left this group.".into()),
                        None => Cmd::None,
                    };
                }
                _ => {}
            },
            Some(Action::AddHealthNote) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::health::add_popup(self.id(), &self.name());
            }
            Some(Action::RecordDbs) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::dbs::record_popup(store, self.id(), &self.name(), &[]);
            }
            Some(Action::ApplyDbs) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::dbs::apply_popup(store, self.id(), &self.name());
            }
            Some(Action::RecordService) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::services::record_popup(store, &self.view);
            }
            Some(Action::RecordEnquiry) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::enquiries::record_for_popup(store, self.id(), &self.name());
            }
            Some(Action::JoinGroup) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::groups::join_popup(store, self.id(), &self.name());
            }
            Some(Action::RecordDonation) => {
                if let Some(c) = self.read_only() {
                    return c;
                }
                return crate::tui::screens::donations::record_popup(store, self.id(), &self.name());
            }
            Some(Action::PlaceHold) => {
                return crate::tui::screens::holds::place_popup(store, self.id(), &self.name());
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
                    Some(Target::Callback(id)) => crate::tui::screens::decisions::complete_callback(
                        *id,
                        format!("Mark this callback to {} as done?", self.name()),
                        Cmd::None,
                    ),
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
                        crate::tui::screens::decisions::unlink(*id, &self.name(), &name)
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
                return crate::tui::screens::disclosures::record_popup(store, self.id());
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
        let on_hold = matches!(selected, Some(Target::Hold(_)));
        let on_health = matches!(selected, Some(Target::Health(_)));
        let on_service = matches!(
            selected,
            Some(Target::Service(_) | Target::Enquiry(_) | Target::Membership(_))
        );
        let mut out = vec![
            Command::when(Action::Edit, writable),
            Command::when(Action::LogContact, writable),
            Command::when(Action::AddCallback, writable),
            Command::when(Action::GiveConsent, writable),
            Command::on(Action::NewRequest),
            Command::when(Action::Open, on_relation || on_hold || on_health || on_service),
            Command::when(Action::CallbackDone, on_callback),
            Command::when(Action::Link, writable),
            Command::when(Action::Unlink, on_relation),
            Command::on(Action::WithdrawConsent),
            Command::when(Action::RecordPublication, writable),
            Command::on(Action::Down),
            Command::on(Action::Up),
            Command::on(Action::PageDown),
            Command::on(Action::PageUp),
            Command::on(Action::Top),
            Command::on(Action::Bottom),
        ];
        // Commands a role never has are not listed at all (not even in help as unavailable).
        if self.view.health_notes.is_some() {
            out.push(Command::on(Action::RevealHealth));
            out.push(Command::when(Action::AddHealthNote, writable));
        }
        if self.disclosures.is_some() {
            out.push(Command::when(Action::RecordDisclosure, writable));
        }
        if self.view.services.is_some() {
            out.push(Command::when(Action::RecordService, writable));
        }
        if self.enquiries.is_some() {
            out.push(Command::when(Action::RecordEnquiry, writable));
        }
        if self.memberships.is_some() {
            out.push(Command::when(Action::JoinGroup, writable));
        }
        if self.donations.is_some() {
            out.push(Command::when(Action::RecordDonation, writable));
        }
        if self.holds.is_some() {
            out.push(Command::on(Action::PlaceHold));
        }
        if self.view.dbs_checks.is_some() {
            out.push(Command::when(Action::RecordDbs, writable));
            out.push(Command::when(Action::ApplyDbs, writable));
        }
        out
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
            Note::HealthChanged(id) if *id == self.id() => {
                self.hide_health();
                Notified::Ignored
            }
            _ => Notified::Ignored,
        }
    }
}
