//! The next steps of a rights request, in one menu, and the forms and folders they open.

use super::{date_field, date_of};
use crate::domain::rights::{Channel, ExtensionReason, ObjectionDecision, Outcome, RefusalGround, RequestKind};
use crate::domain::validate;
use crate::export::letters::LetterKind;
use crate::store::requests::RequestDetail;
use crate::store::Store;
use crate::tui::screen::Cmd;
use crate::tui::screens::form_popup::{field_error, value, FormPopup};
use crate::tui::screens::menu::{MakeCmd, MenuPopup};
use crate::tui::widgets::form::{Field, Form};
use std::path::Path;

/// A folder to write into (`~` is the home folder), suggested inside the private data folder.
fn folder_popup(
    title: &str,
    intro: &str,
    suggested: String,
    run: impl Fn(&mut Store, &Path) -> Result<String, String> + 'static,
) -> Cmd {
    let form = Form::new(title).with(Field::text("dir", "Folder", &suggested).max_chars(400));
    Cmd::popup(FormPopup::new(
        form,
        vec![intro.to_string()],
        Box::new(move |store: &mut Store, form: &Form| {
            let dir = value(form, "dir");
            if dir.is_empty() {
                return Err(field_error(
                    "dir",
                    "Type the folder to write to, for example /media/usb/requests.",
                ));
            }
            let dir = crate::export::folder::expand(&dir).map_err(|e| field_error("dir", e))?;
            run(store, &dir).map(Cmd::Info).map_err(|e| field_error("dir", e))
        }),
    ))
}

/// The decision on an objection to `purpose`: for direct marketing only "stop" (Article
/// 21(3)), with an optional note; otherwise stop, or continue on compelling legitimate grounds
/// written down.
fn objection_form(id: i64, purpose: &str, direct_marketing: bool) -> Cmd {
    let purpose = purpose.to_string();
    if direct_marketing {
        let fields = vec![Field::text("reasons", "Note (optional)", "").max_chars(validate::MAX_NOTE)];
        return simple_form(
            "Objection to direct marketing",
            "An objection to direct marketing is absolute (Article 21(3)): it stops, with nothing to weigh. Saving records \"stop\"; their name leaves the list at once.",
            fields,
            move |s, form| {
                s.record_objection(id, &purpose, ObjectionDecision::Stop, &value(form, "reasons"))
                    .map_err(|e| field_error("reasons", e))?;
                Ok("Objection recorded: stopped.".into())
            },
        );
    }
    let decisions: Vec<&str> = ObjectionDecision::ALL.iter().map(|d| d.label()).collect();
    let fields = vec![
        Field::choice("decision", "Decision", &decisions, decisions[0]),
        Field::text("reasons", "Reasons", "").max_chars(validate::MAX_NOTE),
    ];
    simple_form(
        "Objection",
        "Continuing needs compelling legitimate grounds that override their interests, written down.",
        fields,
        move |s, form| {
            let decision = ObjectionDecision::ALL
                .iter()
                .copied()
                .find(|d| d.label() == value(form, "decision"))
                .unwrap_or(ObjectionDecision::Stop);
            s.record_objection(id, &purpose, decision, &value(form, "reasons"))
                .map_err(|e| field_error("reasons", e))?;
            Ok("Objection decision recorded.".into())
        },
    )
}

fn simple_form(
    title: &str,
    intro: &str,
    fields: Vec<Field>,
    run: impl Fn(&mut Store, &Form) -> Result<String, (String, String)> + 'static,
) -> Cmd {
    let mut form = Form::new(title);
    for f in fields {
        form.push(f);
    }
    Cmd::popup(FormPopup::new(
        form,
        vec![intro.to_string()],
        Box::new(move |store: &mut Store, form: &Form| run(store, form).map(Cmd::Info)),
    ))
}

pub(super) fn letters_menu(store: &Store, id: i64) -> Cmd {
    let suggested = crate::export::folder::suggested(store, &format!("request-{id}-letters"));
    let items: Vec<(String, MakeCmd)> = LetterKind::ALL
        .iter()
        .map(|k| {
            let kind = *k;
            let suggested = suggested.clone();
            let make: MakeCmd = Box::new(move |_: &mut Store| {
                folder_popup(
                    "Write a letter",
                    "Writes the letter as printable HTML and plain text into the folder.",
                    suggested.clone(),
                    move |store, dir| {
                        crate::export::letters::write_letter(store, id, kind, dir)
                            .map(|(html, _)| format!("Letter written: {}.", html.display()))
                            .map_err(|e| e.to_string())
                    },
                )
            });
            (kind.label().to_string(), make)
        })
        .collect();
    Cmd::popup(MenuPopup::new("Which letter?", items))
}

/// The next-step menu: every step the request's kinds and state allow, each opening the
/// form or confirmation that records it.
pub(super) fn next_steps(id: i64, d: &RequestDetail, store: &Store) -> Cmd {
    let person = d.row.person_id;
    // Whose record each decision acts on, named in its confirmation.
    let who = match person {
        Some(p) => crate::tui::screens::decisions::identify(store, p),
        None => d.row.subject.clone(),
    };
    let family = person
        .and_then(|p| store.person(p).ok())
        .map(|p| p.record.family_name)
        .unwrap_or_default();
    let has = |k: RequestKind| d.row.kinds.contains(&k);
    let mut items: Vec<(String, MakeCmd)> = Vec::new();
    let today_field = |id: &str, label: &str| date_field(id, label, store);
    let f_on = today_field("on", "Date");
    items.push((
        "Proof of identity asked for".into(),
        Box::new(move |_: &mut Store| {
            let f = f_on.clone();
            simple_form(
                "Proof of identity asked for",
                "The clock starts when it arrives.",
                vec![f],
                move |s, form| {
                    s.request_id(id, date_of(form, "on")?)
                        .map_err(|e| field_error("on", e))?;
                    Ok("Proof of identity asked for: the clock waits for it.".into())
                },
            )
        }),
    ));
    let f_on = today_field("on", "Date");
    items.push((
        "Proof of identity received".into(),
        Box::new(move |_: &mut Store| {
            let fields = vec![
                f_on.clone(),
                Field::text("seen", "What was seen", "").max_chars(validate::MAX_LINE),
            ];
            simple_form(
                "Proof of identity received",
                "Record what was seen, not a copy of it.",
                fields,
                move |s, form| {
                    s.id_received(id, date_of(form, "on")?, &value(form, "seen"))
                        .map_err(|e| field_error("seen", e))?;
                    Ok("Proof of identity received: the clock runs from that day.".into())
                },
            )
        }),
    ));
    let who_id = who.clone();
    items.push((
        "No proof of identity needed".into(),
        Box::new(move |_: &mut Store| {
            crate::tui::screens::decisions::id_not_needed(
                id,
                format!("Record that no proof of identity is needed from {who_id}?"),
            )
        }),
    ));
    if has(RequestKind::Access) {
        let f_on = today_field("on", "Date");
        items.push((
            "Clarification asked for (access)".into(),
            Box::new(move |_: &mut Store| {
                let f = f_on.clone();
                simple_form(
                    "Clarification asked for",
                    "The clock pauses until the answer arrives (both days excluded).",
                    vec![f],
                    move |s, form| {
                        s.ask_clarification(id, date_of(form, "on")?)
                            .map_err(|e| field_error("on", e))?;
                        Ok("Clarification asked for: the clock is paused.".into())
                    },
                )
            }),
        ));
        let f_on = today_field("on", "Date");
        items.push((
            "Clarification received".into(),
            Box::new(move |_: &mut Store| {
                let f = f_on.clone();
                simple_form(
                    "Clarification received",
                    "The clock runs again.",
                    vec![f],
                    move |s, form| {
                        s.clarification_received(id, date_of(form, "on")?)
                            .map_err(|e| field_error("on", e))?;
                        Ok("Clarification received: the clock runs again.".into())
                    },
                )
            }),
        ));
    }
    let f_on = today_field("on", "Date");
    items.push((
        "Ask for a fee (manifestly unfounded or excessive)".into(),
        Box::new(move |_: &mut Store| {
            let fields = vec![
                f_on.clone(),
                Field::text("reason", "Reason", "").max_chars(validate::MAX_NOTE),
            ];
            simple_form(
                "Ask for a fee",
                "The reason is required and goes in the letter.",
                fields,
                move |s, form| {
                    s.request_fee(id, date_of(form, "on")?, &value(form, "reason"))
                        .map_err(|e| field_error("reason", e))?;
                    Ok("Fee asked for: the clock waits for it.".into())
                },
            )
        }),
    ));
    let f_on = today_field("on", "Date");
    items.push((
        "Fee received".into(),
        Box::new(move |_: &mut Store| {
            let f = f_on.clone();
            simple_form(
                "Fee received",
                "The clock runs from that day.",
                vec![f],
                move |s, form| {
                    s.fee_received(id, date_of(form, "on")?)
                        .map_err(|e| field_error("on", e))?;
                    Ok("Fee received.".into())
                },
            )
        }),
    ));
    let f_on = today_field("told", "Person told on");
    items.push((
        "Extend by two months".into(),
        Box::new(move |_: &mut Store| {
            let reasons: Vec<&str> = ExtensionReason::ALL.iter().map(|r| r.label()).collect();
            let fields = vec![Field::choice("reason", "Reason", &reasons, reasons[0]), f_on.clone()];
            simple_form(
                "Extend the deadline",
                "Only within the first month, and the person must be told why.",
                fields,
                move |s, form| {
                    let reason = ExtensionReason::ALL
                        .iter()
                        .copied()
                        .find(|r| r.label() == value(form, "reason"))
                        .unwrap_or(ExtensionReason::Complexity);
                    let due = s
                        .extend(id, reason, date_of(form, "told")?)
                        .map_err(|e| field_error("told", e))?;
                    Ok(format!("Extended: now due {}.", due.format("%d/%m/%Y")))
                },
            )
        }),
    ));
    // The grounds the law allows for the rights this request exercises.
    let grounds = RefusalGround::for_kinds(&d.row.kinds);
    let refuse_grounds = grounds.clone();
    items.push(("Refuse, on a ground".into(), Box::new(move |_: &mut Store| {
        let choices: Vec<(String, MakeCmd)> = refuse_grounds
            .iter()
            .map(|g| {
                let g = *g;
                let make: MakeCmd = Box::new(move |_: &mut Store| {
                    let fields = vec![Field::text("reason", "Reasons", "").max_chars(validate::MAX_NOTE)];
                    simple_form(
                        &format!("Refuse: {}", g.label()),
                        &format!("Say {}. The refusal letter states the ground and the reasons, and the rights to complain and to a judicial remedy.", g.asks_for()),
                        fields,
                        move |s, form| {
                            s.refuse(id, g, &value(form, "reason")).map_err(|e| field_error("reason", e))?;
                            Ok("Refused and closed. Write the refusal letter next (a letter from the request).".into())
                        },
                    )
                });
                (g.label().to_string(), make)
            })
            .collect();
        Cmd::popup(MenuPopup::new("On what ground?", choices))
    })));
    if has(RequestKind::Access) {
        items.push(("Make the subject access pack".into(), Box::new(move |s: &mut Store| {
            let suggested = crate::export::folder::suggested(s, &format!("access-pack-request-{id}"));
            folder_popup("Subject access pack", "Writes index.html, data.json and redaction_review.txt into the folder (made if missing, private; refused if it already holds a pack). Review the third-party data before release; a reminder to delete this copy once sent goes on the handover.", suggested, move |s, dir| {
                crate::export::pack::subject_access_pack(s, id, dir)
                    .map(|p| format!("Pack written to {} ({} mention(s) of other people to review).", p.dir.display(), p.third_party_mentions))
                    .map_err(|e| e.to_string())
            })
        })));
    }
    if has(RequestKind::Portability) {
        items.push((
            "Write the portability files".into(),
            Box::new(move |s: &mut Store| {
                let suggested_port = crate::export::folder::suggested(s, &format!("portability-request-{id}"));
                folder_popup(
                    "Portability",
                    "Writes the data the person gave us as JSON and CSV.",
                    suggested_port.clone(),
                    move |s, dir| {
                        crate::export::portability::portability_export(s, id, dir)
                            .map(|f| format!("{} file(s) written.", f.len()))
                            .map_err(|e| e.to_string())
                    },
                )
            }),
        ));
    }
    if let (true, Some(pid)) = (has(RequestKind::Rectification), person) {
        items.push((
            "Rectify the record".into(),
            Box::new(move |_: &mut Store| Cmd::RectifyFor {
                request: id,
                person: pid,
            }),
        ));
    }
    if has(RequestKind::Restriction) || has(RequestKind::Rectification) {
        let who_r = who.clone();
        items.push((
            if has(RequestKind::Restriction) {
                "Restrict processing".into()
            } else {
                "Restrict the record while we check its accuracy (Article 18(1)(a))".into()
            },
            Box::new(move |_: &mut Store| {
                crate::tui::screens::decisions::restrict(
                    id,
                    format!(
                        "Hide the record of {who_r} from everyone but the data protection lead and stop all changes?"
                    ),
                )
            }),
        ));
    }
    if let Some(pid) = person {
        let f_plan = today_field("on", "Lift it on");
        items.push((
            "Plan lifting the restriction (tell them first)".into(),
            Box::new(move |_: &mut Store| {
                let fields = vec![
                    Field::text("note", "Why", "").max_chars(validate::MAX_NOTE),
                    f_plan.clone(),
                ];
                simple_form(
                    "Plan lifting the restriction",
                    "They are told before it is lifted (Article 18(3)): say why and when, send the \"restriction lifted\" letter (owed on the handover), then lift it on that day.",
                    fields,
                    move |s, form| {
                        s.plan_restriction_lift(pid, &value(form, "note"), date_of(form, "on")?)
                            .map_err(|e| field_error("note", e))?;
                        Ok("Planned. Write and send the \"restriction lifted\" letter now (W), then lift it on the day.".into())
                    },
                )
            }),
        ));
        items.push((
            "Lift a restriction".into(),
            Box::new(move |_: &mut Store| {
                let fields = vec![Field::text("note", "Note", "").max_chars(validate::MAX_NOTE)];
                simple_form(
                    "Lift the restriction",
                    "On or after the day the letter named; a note is required.",
                    fields,
                    move |s, form| {
                        s.lift_restriction(pid, &value(form, "note"))
                            .map_err(|e| field_error("note", e))?;
                        Ok("Restriction lifted.".into())
                    },
                )
            }),
        ));
    }
    if has(RequestKind::Objection) {
        // Every purpose a person may object to: those on legitimate interests or a public task,
        // and direct marketing (where the objection is absolute, so there is nothing to weigh).
        let purposes: Vec<(String, String, bool)> = store
            .profile()
            .purposes
            .iter()
            .filter(|p| p.open_to_objection())
            .map(|p| (p.key.clone(), p.description.clone(), p.direct_marketing))
            .collect();
        items.push((
            "Record the objection decision".into(),
            Box::new(move |_: &mut Store| {
                if purposes.is_empty() {
                    return Cmd::Error("The profile lists no purposes a person can object to.".into());
                }
                let choices: Vec<(String, MakeCmd)> = purposes
                    .iter()
                    .map(|(key, description, marketing)| {
                        let (key, marketing) = (key.clone(), *marketing);
                        let label = format!(
                            "{}{}",
                            description.trim_end_matches('.'),
                            if marketing {
                                " (direct marketing: stops at once)"
                            } else {
                                ""
                            }
                        );
                        let make: MakeCmd = Box::new(move |_: &mut Store| objection_form(id, &key, marketing));
                        (label, make)
                    })
                    .collect();
                Cmd::popup(MenuPopup::new("Which purpose do they object to?", choices))
            }),
        ));
    }
    if has(RequestKind::Erasure) {
        let who_e = who.clone();
        items.push((
            "Erase the person (cannot be undone)".into(),
            Box::new(move |_: &mut Store| crate::tui::screens::decisions::erase(id, who_e.clone(), family.clone())),
        ));
    }
    items.push((
        "Write a letter".into(),
        Box::new(move |s: &mut Store| letters_menu(s, id)),
    ));
    let f_on = today_field("on", "Date");
    let f_partly_on = f_on.clone();
    items.push((
        "Close the request: complied".into(),
        Box::new(move |_: &mut Store| {
            simple_form(
                "Close the request",
                "Everything asked for was done. To refuse, or to do only part of it, choose those steps instead: they record the ground and reasons.",
                vec![f_on.clone()],
                move |s, form| {
                    s.close_request(id, Outcome::Complied, date_of(form, "on")?)
                        .map_err(|e| field_error("on", e))?;
                    Ok("Request closed.".into())
                },
            )
        }),
    ));
    items.push((
        "Close the request: partly complied".into(),
        Box::new(move |_: &mut Store| {
            let labels: Vec<&str> = grounds.iter().map(|g| g.label()).collect();
            let fields = vec![
                Field::text("provided", "What we provided", "").max_chars(validate::MAX_NOTE),
                Field::text("withheld", "What we withheld", "").max_chars(validate::MAX_NOTE),
                Field::choice("ground", "Ground", &labels, labels[0]),
                Field::text("reason", "Reasons", "").max_chars(validate::MAX_NOTE),
                f_partly_on.clone(),
            ];
            let grounds = grounds.clone();
            simple_form(
                "Partly complied",
                "Say what was provided, what was withheld, on which ground and why: the letter tells the person all of it.",
                fields,
                move |s, form| {
                    let ground = grounds
                        .iter()
                        .copied()
                        .find(|g| g.label() == value(form, "ground"))
                        .unwrap_or(RefusalGround::Exemption);
                    s.close_partly(
                        id,
                        &value(form, "provided"),
                        &value(form, "withheld"),
                        ground,
                        &value(form, "reason"),
                        date_of(form, "on")?,
                    )
                    .map_err(|e| {
                        let m = e.to_string();
                        let field = if m.contains("provided") { "provided" } else { "reason" };
                        field_error(field, e)
                    })?;
                    Ok("Closed as partly complied. Write the partial-compliance letter next.".into())
                },
            )
        }),
    ));
    Cmd::popup(MenuPopup::new(&format!("Request #{id}: next step"), items))
}

/// `x` on a letter owed in the handover: record that it was sent, when and how.
pub fn letter_sent_popup(store: &Store, letter: i64) -> Cmd {
    let Some(l) = store
        .request_letters(None)
        .ok()
        .and_then(|ls| ls.into_iter().find(|l| l.id == letter))
    else {
        return Cmd::Error("That letter is not waiting to be sent.".into());
    };
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
    let fields = vec![
        Field::choice("how", "Sent by", &channels, Channel::Letter.label()),
        date_field("on", "On", store),
    ];
    let (id, request) = (l.id, l.request_id);
    simple_form(
        &format!("The {} was sent", l.name()),
        &format!(
            "Request #{request} owes its {} (due {}). Write it from the request (W) if not yet written, then record here when and how it went.",
            l.name(),
            l.due_on.format("%d/%m/%Y")
        ),
        fields,
        move |s, form| {
            let how = Channel::ALL
                .iter()
                .copied()
                .find(|c| c.label() == value(form, "how"))
                .unwrap_or(Channel::Letter);
            s.letter_sent(id, date_of(form, "on")?, how).map_err(|e| field_error("on", e))?;
            Ok("Recorded as sent.".into())
        },
    )
}
