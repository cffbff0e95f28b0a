//! Taking a referral during a live call, top to bottom in the order the call goes: who is
//! calling (pick them if on file, else their details; a relative says how they are related and
//! whether they are also next of kin or emergency contact), who is being referred (search first
//! to avoid duplicates; someone with an open referral already is pointed to it), a relative or
//! contact they give (relative, next of kin, emergency contact: any of them), the services
//! asked for, mobility and health notes (only for roles the profile allows), whether the person
//! knows and agrees (asked, never assumed), urgency and notes. Saving creates or links
//! everyone, the referral, the requested services, the relationships and the Article 14
//! obligations in one transaction.

use super::search::{PickSlot, Purpose, SearchPopup};
use crate::domain::person::PersonForm;
use crate::domain::referral::{ReferrerKind, Urgency};
use crate::domain::{validate, Category, FieldGroup, RelationKind};
use crate::store::referrals::{IntakeContact, PartyRef, ReferralIntake};
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

const YES: &str = "yes";
/// The starting answer of "knows" and "agrees": not asked yet, so the form cannot be saved.
const UNANSWERED: &str = "not asked yet";
/// The starting answer of a relationship type: not said.
const NOT_SAID: &str = "not said";
const ALSO_NOK: &str = "next of kin";
const ALSO_EMERGENCY: &str = "emergency contact";

fn v_phone(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Ok(())
    } else {
        validate::phone(s).map(|_| ()).map_err(|e| e.message)
    }
}
fn v_postcode(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Ok(())
    } else {
        validate::postcode(s).map(|_| ()).map_err(|e| e.message)
    }
}

pub struct ReferralIntakeScreen {
    pub form: Form,
    caller: Option<(i64, String)>,
    referred: Option<(i64, String)>,
    contact: Option<(i64, String)>,
    services_hint: String,
    /// Set once the user was shown that someone like the person referred already has an
    /// open referral: saving again takes this one as well.
    warned_open_referral: bool,
}

impl ReferralIntakeScreen {
    pub fn new(store: &Store) -> ReferralIntakeScreen {
        let kind_labels: Vec<String> = ReferrerKind::ALL
            .iter()
            .map(|k| store.profile().referrer_label(*k))
            .collect();
        let kinds: Vec<&str> = kind_labels.iter().map(String::as_str).collect();
        let urgencies: Vec<&str> = Urgency::ALL.iter().map(|u| u.label()).collect();
        let profile_services = store.profile().services.clone();
        let service_labels: Vec<&str> = profile_services.iter().map(String::as_str).collect();
        let contact_kinds = [
            RelationKind::Relative.label(),
            RelationKind::NextOfKin.label(),
            RelationKind::EmergencyContact.label(),
        ];
        let relations: Vec<&str> = std::iter::once(NOT_SAID)
            .chain(store.profile().relationship_types.iter().map(String::as_str))
            .collect();
        let services = store.profile().services.join(", ");
        let mut form = Form::new("Take a referral")
            .with(Field::choice("caller_kind", "Who is calling", &kinds, kinds[0]))
            .with(Field::text("caller_find", "Caller on file", "").max_chars(80))
            .with(Field::text("caller_given", "Caller given name", "").max_chars(validate::MAX_NAME))
            .with(Field::text("caller_family", "Caller family name", "").max_chars(validate::MAX_NAME))
            .with(
                Field::text("caller_phone", "Caller phone", "")
                    .validator(v_phone)
                    .max_chars(40),
            )
            .with(Field::text("caller_org", "Organisation", "").max_chars(validate::MAX_LINE))
            .with(Field::choice(
                "caller_relation",
                "Caller is their",
                &relations,
                NOT_SAID,
            ))
            .with(Field::pick(
                "caller_also",
                "Caller is also",
                &[ALSO_NOK, ALSO_EMERGENCY],
                &[],
            ))
            .with(Field::text("referred_find", "Person on file", "").max_chars(80))
            .with(Field::text("given", "Given name", "").max_chars(validate::MAX_NAME))
            .with(Field::text("family", "Family name", "").max_chars(validate::MAX_NAME))
            .with(Field::text("address", "Address", "").max_chars(validate::MAX_ADDRESS))
            .with(
                Field::text("postcode", "Postcode", "")
                    .validator(v_postcode)
                    .max_chars(10),
            )
            .with(Field::text("phone", "Phone", "").validator(v_phone).max_chars(40));
        // A date of birth only where the profile collects one for clients (a perinatal charity
        // does not).
        let collects_dob = store
            .profile()
            .category(Category::Client)
            .is_some_and(|c| c.collects(FieldGroup::DateOfBirth));
        if collects_dob {
            form.push(Field::text("dob", "Date of birth", "").max_chars(10));
        }
        let mut form = form
            .with(Field::text("contact_find", "Contact on file", "").max_chars(80))
            .with(Field::text("contact_given", "Contact given name", "").max_chars(validate::MAX_NAME))
            .with(Field::text("contact_family", "Contact family name", "").max_chars(validate::MAX_NAME))
            .with(
                Field::text("contact_phone", "Contact phone", "")
                    .validator(v_phone)
                    .max_chars(40),
            )
            .with(Field::pick("contact_is", "Contact is", &contact_kinds, &[]))
            .with(Field::choice(
                "contact_relation",
                "Contact is their",
                &relations,
                NOT_SAID,
            ))
            .with(Field::pick("services", "Services asked for", &service_labels, &[]));
        let role = store.actor().role;
        if store.access().can_see(role, &[Category::Client], FieldGroup::Health) {
            form.push(Field::text("health", "Health", "").max_chars(validate::MAX_NOTE));
        }
        let answers = [UNANSWERED, YES, "no"];
        form.push(Field::choice("knows", "They know of it", &answers, UNANSWERED));
        form.push(Field::choice("agrees", "They agree to it", &answers, UNANSWERED));
        form.push(Field::choice("urgency", "Urgency", &urgencies, urgencies[0]));
        form.push(Field::text("notes", "Notes", "").max_chars(validate::MAX_NOTE));
        ReferralIntakeScreen {
            form,
            caller: None,
            referred: None,
            contact: None,
            services_hint: format!("Services: {services}."),
            warned_open_referral: false,
        }
    }

    pub fn set_pick(&mut self, slot: PickSlot, id: i64, name: String) {
        match slot {
            PickSlot::Caller => self.caller = Some((id, name)),
            PickSlot::Referred => self.referred = Some((id, name)),
            PickSlot::Contact => self.contact = Some((id, name)),
            PickSlot::Source => {}
        }
    }

    fn focused_id(&self) -> String {
        self.form
            .fields()
            .get(self.form.focus())
            .map(|f| f.id().to_string())
            .unwrap_or_default()
    }

    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent, store: &mut Store) -> Cmd {
        let focus = self.focused_id();
        let slot = match focus.as_str() {
            "caller_find" => Some(PickSlot::Caller),
            "referred_find" => Some(PickSlot::Referred),
            "contact_find" => Some(PickSlot::Contact),
            _ => None,
        };
        if let (Some(slot), Some(Action::Open)) = (slot, keymap.lookup(Context::Form, key)) {
            let typed = self.form.value(&focus).unwrap_or_default();
            if !typed.trim().is_empty() {
                let mut popup = SearchPopup::new(Purpose::Pick(slot));
                popup.input.set_value(&typed);
                return Cmd::popup(popup);
            }
        }
        match self.form.handle_key(keymap, key) {
            FormOutcome::Action(Action::Save) => self.save(store),
            FormOutcome::Action(Action::Open) => self.save(store),
            FormOutcome::Action(Action::Back) => {
                if self.form.dirty() || self.caller.is_some() || self.referred.is_some() {
                    super::decisions::discard_form(
                        "Discard the referral?",
                        "Nothing has been saved yet. Throw away what was typed?",
                    )
                } else {
                    Cmd::Back
                }
            }
            _ => Cmd::None,
        }
    }

    /// A relationship type chosen in `id`, if one was.
    fn relation(&self, id: &str) -> Option<String> {
        Some(self.v(id)).filter(|r| !r.is_empty() && r != NOT_SAID)
    }

    /// Once per form: when the person referred (on file, or someone very like the person
    /// typed) already has an open referral, a choice between opening it and going back to
    /// the form (where saving again takes this one as well).
    fn open_referral_warning(&mut self, store: &Store, referred: &PartyRef) -> Option<Cmd> {
        if self.warned_open_referral {
            return None;
        }
        let people: Vec<i64> = match referred {
            PartyRef::Existing(id) => vec![*id],
            PartyRef::New(rec) => store
                .likely_duplicates(rec, None)
                .ok()?
                .into_iter()
                .map(|h| h.id)
                .collect(),
        };
        let open = people.into_iter().find_map(|p| {
            store
                .referrals(crate::store::referrals::ReferralFilter {
                    person_id: Some(p),
                    open_only: true,
                    ..Default::default()
                })
                .ok()
                .and_then(|rows| rows.into_iter().next())
        })?;
        self.warned_open_referral = true;
        let id = open.id;
        let items: Vec<(String, super::menu::MakeCmd)> = vec![
            (
                format!("Open that referral (#{id}) instead: nothing typed here is saved"),
                Box::new(move |store: &mut Store| {
                    Cmd::Many(vec![
                        Cmd::Back,
                        Cmd::push(super::referral::ReferralScreen::load(store, id)),
                    ])
                }),
            ),
            (
                "Go back to the form (saving again takes this referral as well)".into(),
                Box::new(|_: &mut Store| Cmd::None),
            ),
        ];
        Some(Cmd::popup(super::menu::MenuPopup::new(
            &format!(
                "{} already has an open referral: #{id}, {} since {}",
                open.person_name,
                open.status.label().to_lowercase(),
                open.received_on.format("%d/%m/%Y")
            ),
            items,
        )))
    }

    fn v(&self, id: &str) -> String {
        self.form.value(id).unwrap_or_default().trim().to_string()
    }

    /// A new person's record from some fields, validated.
    fn new_record(
        &mut self,
        fields: [&str; 6],
        cats: Vec<Category>,
        today: chrono::NaiveDate,
    ) -> Result<PartyRef, String> {
        let [given, family, address, postcode, phone, dob] = fields;
        let form = PersonForm {
            given_name: self.v(given),
            family_name: self.v(family),
            address: if address.is_empty() {
                String::new()
            } else {
                self.v(address)
            },
            postcode: if postcode.is_empty() {
                String::new()
            } else {
                self.v(postcode)
            },
            phones: self.v(phone),
            date_of_birth: if dob.is_empty() { String::new() } else { self.v(dob) },
            categories: cats,
            ..PersonForm::default()
        };
        match form.validate(today) {
            Ok(rec) => Ok(PartyRef::New(rec)),
            Err(errors) => {
                let map = |f: &str| match f {
                    "given_name" => given,
                    "family_name" => family,
                    "address" => address,
                    "postcode" => postcode,
                    "phones" => phone,
                    "date_of_birth" => dob,
                    _ => given,
                };
                let first = errors.first().map(|e| e.message.clone()).unwrap_or_default();
                for e in errors {
                    let id = map(e.field);
                    if !id.is_empty() {
                        self.form.set_error(id, &e.message);
                    }
                }
                Err(first)
            }
        }
    }

    fn save(&mut self, store: &mut Store) -> Cmd {
        if !self.form.validate_all() {
            return Cmd::Error("Some fields need attention: see the messages in red.".into());
        }
        let today = store.clock().today();
        let caller_kind = ReferrerKind::ALL
            .iter()
            .copied()
            .find(|k| store.profile().referrer_label(*k) == self.v("caller_kind"))
            .unwrap_or(ReferrerKind::Professional);
        let caller_cat = match caller_kind {
            ReferrerKind::Professional => Category::Professional,
            ReferrerKind::Relative => Category::Relative,
            _ => Category::ThirdParty,
        };
        let caller = if caller_kind == ReferrerKind::SelfReferral {
            None
        } else if let Some((id, _)) = &self.caller {
            Some(PartyRef::Existing(*id))
        } else if self.v("caller_family").is_empty() {
            self.form.set_error(
                "caller_family",
                "Say who is calling: pick them in \"Caller on file\" or type their name.",
            );
            return Cmd::Error("Say who is calling.".into());
        } else {
            match self.new_record(
                ["caller_given", "caller_family", "", "", "caller_phone", ""],
                vec![caller_cat],
                today,
            ) {
                Ok(p) => Some(p),
                Err(e) => return Cmd::Error(e),
            }
        };
        let referred = if let Some((id, _)) = &self.referred {
            PartyRef::Existing(*id)
        } else {
            match self.new_record(
                ["given", "family", "address", "postcode", "phone", "dob"],
                vec![Category::Client],
                today,
            ) {
                Ok(p) => p,
                Err(e) => return Cmd::Error(e),
            }
        };
        let mut contacts = Vec::new();
        let kinds: Vec<RelationKind> = self
            .form
            .picked("contact_is")
            .iter()
            .filter_map(|l| {
                [
                    RelationKind::Relative,
                    RelationKind::NextOfKin,
                    RelationKind::EmergencyContact,
                ]
                .into_iter()
                .find(|k| k.label() == l)
            })
            .collect();
        let contact_named = self.contact.is_some() || !self.v("contact_family").is_empty();
        match (contact_named, kinds.is_empty()) {
            (true, true) => {
                let msg = "Say what the contact is: relative, next of kin, emergency contact (any of them).";
                self.form.set_error("contact_is", msg);
                return Cmd::Error(msg.into());
            }
            (false, false) => {
                let msg = "Say who the contact is: pick them in \"Contact on file\" or type their name.";
                self.form.set_error("contact_family", msg);
                return Cmd::Error(msg.into());
            }
            _ => {}
        }
        if contact_named {
            let person = if let Some((id, _)) = &self.contact {
                PartyRef::Existing(*id)
            } else {
                match self.new_record(
                    ["contact_given", "contact_family", "", "", "contact_phone", ""],
                    kinds.iter().map(|k| k.other_category()).collect(),
                    today,
                ) {
                    Ok(p) => p,
                    Err(e) => return Cmd::Error(e),
                }
            };
            contacts.push(IntakeContact {
                person,
                kinds,
                relation: self.relation("contact_relation"),
            });
        }
        let mut answers = [false; 2];
        for (i, (id, what)) in [("knows", "know of"), ("agrees", "agree to")].into_iter().enumerate() {
            match self.v(id).as_str() {
                UNANSWERED => {
                    let msg = format!("Ask whether they {what} the referral, and choose yes or no.");
                    self.form.set_error(id, &msg);
                    return Cmd::Error(msg);
                }
                v => answers[i] = v == YES,
            }
        }
        if let Some(cmd) = self.open_referral_warning(store, &referred) {
            return cmd;
        }
        let services: Vec<String> = self.form.picked("services");
        let intake = ReferralIntake {
            received_on: today,
            caller_kind,
            caller,
            caller_organisation: Some(self.v("caller_org")).filter(|s| !s.is_empty()),
            caller_is_next_of_kin: self.form.picked("caller_also").iter().any(|a| a == ALSO_NOK),
            caller_is_emergency_contact: self.form.picked("caller_also").iter().any(|a| a == ALSO_EMERGENCY),
            caller_relation: if caller_kind == ReferrerKind::Professional {
                None
            } else {
                self.relation("caller_relation")
            },
            referred,
            contacts,
            services,
            health_notes: self.v("health"),
            person_knows: answers[0],
            person_agrees: answers[1],
            urgency: Urgency::ALL
                .iter()
                .copied()
                .find(|u| u.label() == self.v("urgency"))
                .unwrap_or(Urgency::Routine),
            notes: self.v("notes"),
        };
        match store.take_referral(&intake) {
            Ok(out) => {
                self.form.mark_saved();
                // A notice to a contact tells them of the referral: where that could harm the
                // person referred, the law lets the notice be withheld, with the reason recorded.
                let msg = match out.notices.len() {
                    0 => "Referral saved.".to_string(),
                    n => format!(
                        "Referral saved. {n} notice(s) now due to people whose details came from the caller. Where telling a contact could put the person referred at risk, record an exemption on the Notices screen instead."
                    ),
                };
                Cmd::Many(vec![Cmd::Back, Cmd::OpenPerson(out.person_id), Cmd::Info(msg)])
            }
            Err(e) => Cmd::Error(e.to_string()),
        }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let save = format!("{} saves.", ctx.key(Context::Form, Action::Save));
        let picked = |p: &Option<(i64, String)>, what: &str| {
            p.as_ref()
                .map(|(_, n)| format!("{what}: {n} (on file)"))
                .unwrap_or_default()
        };
        let mut hint = [
            format!(
                "In the \"on file\" fields, type a name and press {} to search. {save}",
                ctx.key(Context::Form, Action::Open)
            ),
            self.services_hint.clone(),
        ]
        .into_iter()
        .chain([
            picked(&self.caller, "caller"),
            picked(&self.referred, "referred"),
            picked(&self.contact, "contact"),
        ])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("  ");
        if hint.is_empty() {
            hint = save;
        }
        Paragraph::new(Line::styled(super::fit(&hint, area.width as usize), theme.dim))
            .render(Rect { height: 1, ..area }, buf);
        self.form.render(
            Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(1),
                ..area
            },
            buf,
            theme,
        )
    }
}

impl Screen for ReferralIntakeScreen {
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
        "Referral".into()
    }

    fn notify(&mut self, note: &Note, store: &mut Store) -> Notified {
        if let Note::Picked { slot, id, name } = note {
            self.set_pick(*slot, *id, name.clone());
            // Someone with an open referral: say so now, while the caller is still talking.
            if *slot == PickSlot::Referred {
                if let Some(cmd) = self.open_referral_warning(store, &PartyRef::Existing(*id)) {
                    return Notified::Apply(cmd);
                }
            }
        }
        Notified::Ignored
    }
}
