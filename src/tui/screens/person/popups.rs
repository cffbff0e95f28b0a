//! The popups the person screen opens to record something about the person: consent given
//! or withdrawn, a publication, a disclosure.

use crate::domain::consent::ConsentMethod;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screens::form_popup::{field_error, value, FormPopup};
use crate::tui::screens::menu::{MakeCmd, MenuPopup};
use crate::tui::widgets::form::{Field, Form};

const CHOOSE: &str = "(choose)";

/// `c`: record consent given. Nothing is pre-chosen: the purpose and how it was given must be
/// picked, and the exact wording is shown to read out.
pub(super) fn give_consent_popup(store: &Store, person: i64) -> Cmd {
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
                .ok_or_else(|| {
                    field_error(
                        "purpose",
                        "Choose the purpose the person agreed to (move left or right in the field).",
                    )
                })?;
            let how = ConsentMethod::ALL
                .iter()
                .copied()
                .find(|m| m.label() == value(form, "how"))
                .ok_or_else(|| {
                    field_error(
                        "how",
                        "Choose how the person gave their consent (move left or right in the field).",
                    )
                })?;
            let on = crate::domain::validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .give_consent(person, &key, how, on, &value(form, "evidence"))
                .map_err(|e| field_error("purpose", e))?;
            Ok(Cmd::Info(format!("Consent recorded: {label}.")))
        }),
    ))
}

/// `w`: withdraw a consent; as easy as giving: pick it, say how, confirm.
pub(super) fn withdraw_consent_menu(store: &Store, person: i64) -> Cmd {
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
            let make: MakeCmd = Box::new(move |_: &mut Store| {
                let methods: Vec<&str> = ConsentMethod::ALL.iter().map(|m| m.label()).collect();
                let form =
                    Form::new("Consent withdrawn").with(Field::choice("how", "How withdrawn", &methods, methods[0]));
                let key = key.clone();
                let title = title.clone();
                Cmd::popup(FormPopup::new(
                    form,
                    vec![format!("Withdrawing: {title}. A follow-up task will be created.")],
                    Box::new(move |store: &mut Store, form: &Form| {
                        let who = crate::tui::screens::decisions::identify(store, person);
                        let how = ConsentMethod::ALL
                            .iter()
                            .copied()
                            .find(|m| m.label() == value(form, "how"))
                            .unwrap_or(ConsentMethod::VerbalPhone);
                        Ok(crate::tui::screens::decisions::withdraw_consent(
                            person,
                            key.clone(),
                            how,
                            format!("Record that {who} withdrew consent for: {title}?"),
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
pub(super) fn publication_popup(store: &Store, person: i64) -> Cmd {
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
