//! Rights requests: the queue (overdue first, then soonest due; days left coloured; filters by
//! kind and by status), one request with its clock explained and every next step in a menu (`a`), and the
//! intake form (from a person with `p`, or `n` on the queue).
//!
//! Steps that decide (extend, refuse, fulfil, close) are for the data protection lead; the
//! store refuses them for other roles with a sentence that says so.

use super::form_popup::{field_error, value, FormPopup};
use super::menu::{MakeCmd, MenuPopup};
use super::person_form::PersonFormScreen;
use super::{fit, scroll_for};
use crate::domain::rights::{Channel, ExtensionReason, ObjectionDecision, Outcome, RequestKind, RequestStatus};
use crate::domain::validate;
use crate::export::letters::LetterKind;
use crate::store::requests::{RequestDetail, RequestFilter, RequestIntake, RequestRow};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::form::{Field, Form};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};
use std::path::Path;

fn date_field(id: &str, label: &str, store: &Store) -> Field {
    Field::text(id, label, &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10)
}

fn date_of(form: &Form, id: &str) -> Result<NaiveDate, (String, String)> {
    validate::date(&value(form, id)).map_err(|e| field_error(id, e.message))
}

/// The intake form for a request by (or for) `person`.
pub fn intake_popup(store: &Store, person: i64) -> Cmd {
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
    let kinds = RequestKind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ");
    let form = Form::new("Rights request")
        .with(Field::text("kinds", "Kinds", "").max_chars(120))
        .with(Field::choice("channel", "How it came", &channels, channels[0]))
        .with(date_field("received", "Received on", store))
        .with(Field::text("words", "In their words", "").max_chars(validate::MAX_NOTE));
    let mut intro = vec![format!("Kinds, separated by commas: {kinds}.")];
    match store.requests_in_last_12_months(person) {
        Ok(earlier) if !earlier.is_empty() => {
            intro.push(format!(
                "This person made {} other request(s) in the last 12 months (a hint only; repetition is never an automatic refusal):",
                earlier.len()
            ));
            for e in earlier.iter().take(3) {
                let k = e.kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ");
                intro.push(format!("  #{} {k} received {}", e.id, e.received_on.format("%d/%m/%Y")));
            }
        }
        _ => {}
    }
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let kinds: Result<Vec<RequestKind>, _> = value(form, "kinds")
                .split([',', ';', ' '])
                .filter(|s| !s.trim().is_empty())
                .map(|s| RequestKind::parse(s).map_err(|e| field_error("kinds", format!("{e}."))))
                .collect();
            let kinds = kinds?;
            let channel = Channel::ALL
                .iter()
                .copied()
                .find(|c| c.label() == value(form, "channel"));
            let intake = RequestIntake {
                person_id: Some(person),
                agent_id: None,
                agent_authority: None,
                kinds,
                channel,
                received_on: Some(date_of(form, "received")?),
                words: value(form, "words"),
            };
            let id = store.record_request(&intake).map_err(|e| field_error("kinds", e))?;
            Ok(Cmd::Many(vec![
                Cmd::Info(format!("Request #{id} recorded; its deadline is on the queue (5).")),
                open_request(store, id),
            ]))
        }),
    ))
}

/// Opens one request.
pub fn open_request(store: &Store, id: i64) -> Cmd {
    match RequestScreen::load(store, id) {
        Ok(s) => Cmd::push(s),
        Err(e) => Cmd::Error(e),
    }
}

#[derive(Debug, Default)]
pub struct RequestsScreen {
    pub rows: Vec<RequestRow>,
    pub selected: usize,
    pub kind: Option<RequestKind>,
    pub status: Option<RequestStatus>,
    scroll: usize,
    error: Option<String>,
}

impl RequestsScreen {
    pub fn load(store: &Store, kind: Option<RequestKind>) -> RequestsScreen {
        Self::load_filtered(store, kind, None)
    }

    /// The queue for one kind and/or one status (`None`: all open requests).
    pub fn load_filtered(store: &Store, kind: Option<RequestKind>, status: Option<RequestStatus>) -> RequestsScreen {
        match store.requests(&RequestFilter {
            kind,
            status,
            ..RequestFilter::default()
        }) {
            Ok(rows) => RequestsScreen {
                rows,
                kind,
                status,
                ..RequestsScreen::default()
            },
            Err(e) => RequestsScreen {
                kind,
                status,
                error: Some(e.to_string()),
                ..RequestsScreen::default()
            },
        }
    }

    pub fn reload(&mut self, store: &Store) {
        let keep = self.selected;
        *self = Self::load_filtered(store, self.kind, self.status);
        self.selected = keep.min(self.rows.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.rows.len();
        match action {
            Some(Action::Down) if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::PageDown) if n > 0 => self.selected = (self.selected + 10).min(n - 1),
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(10),
            Some(Action::Top) => self.selected = 0,
            Some(Action::Bottom) => self.selected = n.saturating_sub(1),
            Some(Action::Filter) => {
                let next = match self.kind {
                    None => Some(RequestKind::ALL[0]),
                    Some(k) => RequestKind::ALL
                        .iter()
                        .position(|x| *x == k)
                        .and_then(|i| RequestKind::ALL.get(i + 1).copied()),
                };
                *self = Self::load_filtered(store, next, self.status);
            }
            Some(Action::FilterStatus) => {
                let next = match self.status {
                    None => Some(RequestStatus::ALL[0]),
                    Some(st) => RequestStatus::ALL
                        .iter()
                        .position(|x| *x == st)
                        .and_then(|i| RequestStatus::ALL.get(i + 1).copied()),
                };
                *self = Self::load_filtered(store, self.kind, next);
            }
            Some(Action::Open) => {
                if let Some(r) = self.rows.get(self.selected) {
                    return open_request(store, r.id);
                }
            }
            Some(Action::NewRequest) => {
                return Cmd::popup(super::search::SearchPopup::new(super::search::Purpose::NewRequest));
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let shown = self
            .kind
            .map(|k| k.key().to_string())
            .unwrap_or_else(|| "all kinds".into());
        let status = self
            .status
            .map(|s| s.label().to_lowercase())
            .unwrap_or_else(|| "all open".into());
        let block = Block::bordered().title(Span::styled(
            format!(" Rights requests: {shown}, {status} "),
            theme.title,
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(e) = &self.error {
            Paragraph::new(Line::styled(e.clone(), theme.error)).render(inner, buf);
            return;
        }
        if self.rows.is_empty() {
            Paragraph::new(Line::styled(
                "No open rights requests. p on a person records one.",
                theme.dim,
            ))
            .render(inner, buf);
            return;
        }
        let today = ctx.today;
        let cal = ctx.calendar;
        let rows = inner.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        let w = inner.width as usize;
        let name_w = (w.saturating_sub(60) / 2 + 8).clamp(10, 30);
        for (i, r) in self.rows.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            let (left, style) =
                super::home::days_left_label(r.due, today, r.due.map(|d| cal.working_days_until(today, d)), theme);
            let line = Line::from(vec![
                Span::styled(format!("{:<17}", fit(&left, 16)), style),
                Span::raw(format!(
                    "{:<12}",
                    r.due
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_else(|| "stopped".into())
                )),
                Span::raw(format!("{:<width$}  ", fit(&r.subject, name_w), width = name_w)),
                Span::raw(format!("{:<22}", fit(&r.kinds_text(), 21))),
                Span::styled(fit(r.status.label(), w.saturating_sub(53 + name_w)), theme.dim),
            ]);
            super::draw_row(buf, inner.x, y, inner.width, &line, i == self.selected, theme);
        }
    }
}

/// One rights request.
pub struct RequestScreen {
    pub id: i64,
    detail: RequestDetail,
    scroll: u16,
}

fn folder_popup(title: &str, intro: &str, run: impl Fn(&mut Store, &Path) -> Result<String, String> + 'static) -> Cmd {
    let form = Form::new(title).with(Field::text("dir", "Folder", "").max_chars(400));
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
            run(store, Path::new(&dir))
                .map(Cmd::Info)
                .map_err(|e| field_error("dir", e))
        }),
    ))
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

fn letters_menu(id: i64) -> Cmd {
    let items: Vec<(String, MakeCmd)> = LetterKind::ALL
        .iter()
        .map(|k| {
            let kind = *k;
            let make: MakeCmd = Box::new(move || {
                folder_popup(
                    "Write a letter",
                    "Writes the letter as printable HTML and plain text into the folder.",
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

impl RequestScreen {
    pub fn load(store: &Store, id: i64) -> Result<RequestScreen, String> {
        let detail = store.request(id).map_err(|e| e.to_string())?;
        Ok(RequestScreen { id, detail, scroll: 0 })
    }

    pub fn reload(&mut self, store: &Store) {
        if let Ok(d) = store.request(self.id) {
            self.detail = d;
        }
    }

    fn actions(&self, store: &Store) -> Cmd {
        let id = self.id;
        let d = &self.detail;
        let person = d.row.person_id;
        let has = |k: RequestKind| d.row.kinds.contains(&k);
        let mut items: Vec<(String, MakeCmd)> = Vec::new();
        let today_field = |id: &str, label: &str| date_field(id, label, store);
        let f_on = today_field("on", "Date");
        items.push((
            "Proof of identity asked for".into(),
            Box::new(move || {
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
            Box::new(move || {
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
        items.push((
            "No proof of identity needed".into(),
            Box::new(move || super::decisions::id_not_needed(id, "Record that no proof of identity is needed?".into())),
        ));
        if has(RequestKind::Access) {
            let f_on = today_field("on", "Date");
            items.push((
                "Clarification asked for (access)".into(),
                Box::new(move || {
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
                Box::new(move || {
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
            Box::new(move || {
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
            Box::new(move || {
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
            Box::new(move || {
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
        items.push(("Refuse (manifestly unfounded or excessive)".into(), Box::new(move || {
            let fields = vec![Field::text("reason", "Reason", "").max_chars(validate::MAX_NOTE)];
            simple_form("Refuse the request", "The reason is required; the refusal letter states it and the rights to complain and to a judicial remedy.", fields, move |s, form| {
                s.refuse(id, &value(form, "reason")).map_err(|e| field_error("reason", e))?;
                Ok("Refused and closed. Write the refusal letter (W).".into())
            })
        })));
        if has(RequestKind::Access) {
            items.push(("Make the subject access pack".into(), Box::new(move || {
                folder_popup("Subject access pack", "Writes index.html, data.json and redaction_review.txt into a new folder inside this one. Review the third-party data before release.", move |s, dir| {
                    crate::export::pack::subject_access_pack(s, id, dir)
                        .map(|p| format!("Pack written to {} ({} mention(s) of other people to review).", p.dir.display(), p.third_party_mentions))
                        .map_err(|e| e.to_string())
                })
            })));
        }
        if has(RequestKind::Portability) {
            items.push((
                "Write the portability files".into(),
                Box::new(move || {
                    folder_popup(
                        "Portability",
                        "Writes the data the person gave us as JSON and CSV.",
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
                Box::new(move || Cmd::RectifyFor {
                    request: id,
                    person: pid,
                }),
            ));
        }
        if has(RequestKind::Restriction) {
            items.push((
                "Restrict processing".into(),
                Box::new(move || {
                    super::decisions::restrict(
                        id,
                        "Hide this record from everyone but the data protection lead and stop all changes?".into(),
                    )
                }),
            ));
        }
        if let Some(pid) = person {
            items.push((
                "Lift a restriction".into(),
                Box::new(move || {
                    let fields = vec![Field::text("note", "Note", "").max_chars(validate::MAX_NOTE)];
                    simple_form(
                        "Lift the restriction",
                        "A note is required; write the \"restriction lifted\" letter afterwards.",
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
            let purposes: Vec<String> = store
                .profile()
                .purposes
                .iter()
                .filter(|p| p.objectable)
                .map(|p| p.key.clone())
                .collect();
            items.push((
                "Record the objection decision".into(),
                Box::new(move || {
                    let p: Vec<&str> = purposes.iter().map(String::as_str).collect();
                    let decisions: Vec<&str> = ObjectionDecision::ALL.iter().map(|d| d.label()).collect();
                    if p.is_empty() {
                        return Cmd::Error("The profile lists no purposes a person can object to.".into());
                    }
                    let fields = vec![
                        Field::choice("purpose", "Purpose", &p, p[0]),
                        Field::choice("decision", "Decision", &decisions, decisions[0]),
                        Field::text("reasons", "Reasons", "").max_chars(validate::MAX_NOTE),
                    ];
                    simple_form(
                        "Objection",
                        "Continuing needs compelling legitimate grounds, written down.",
                        fields,
                        move |s, form| {
                            let decision = ObjectionDecision::ALL
                                .iter()
                                .copied()
                                .find(|d| d.label() == value(form, "decision"))
                                .unwrap_or(ObjectionDecision::Stop);
                            s.record_objection(id, &value(form, "purpose"), decision, &value(form, "reasons"))
                                .map_err(|e| field_error("reasons", e))?;
                            Ok("Objection decision recorded.".into())
                        },
                    )
                }),
            ));
        }
        if has(RequestKind::Erasure) {
            items.push(("Erase the person (cannot be undone)".into(), Box::new(move || super::decisions::erase(id, "Erase every record of this person from the case file? Write the completion letter first: their address goes too.".into()))));
        }
        items.push(("Write a letter".into(), Box::new(move || letters_menu(id))));
        let f_on = today_field("on", "Date");
        items.push((
            "Close the request".into(),
            Box::new(move || {
                let outcomes: Vec<&str> = [Outcome::Complied, Outcome::Partly].iter().map(|o| o.label()).collect();
                let fields = vec![
                    Field::choice("outcome", "Outcome", &outcomes, outcomes[0]),
                    f_on.clone(),
                ];
                simple_form(
                    "Close the request",
                    "To refuse, use \"Refuse\" instead: it records the reason.",
                    fields,
                    move |s, form| {
                        let outcome = [Outcome::Complied, Outcome::Partly]
                            .into_iter()
                            .find(|o| o.label() == value(form, "outcome"))
                            .unwrap_or(Outcome::Complied);
                        s.close_request(id, outcome, date_of(form, "on")?)
                            .map_err(|e| field_error("on", e))?;
                        Ok("Request closed.".into())
                    },
                )
            }),
        ));
        Cmd::popup(MenuPopup::new(&format!("Request #{id}: next step"), items))
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        match action {
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Back) => return Cmd::Back,
            Some(Action::Actions) => return self.actions(store),
            Some(Action::WriteFiles) => return letters_menu(self.id),
            Some(Action::Open) => {
                if let Some(pid) = self.detail.row.person_id {
                    return Cmd::OpenPerson(pid);
                }
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let d = &self.detail;
        let r = &d.row;
        let today = ctx.today;
        let block = Block::bordered().title(Span::styled(format!(" Rights request #{} ", r.id), theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let date = |x: Option<NaiveDate>| {
            x.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "—".into())
        };
        let mut lines: Vec<Line> = vec![
            Line::from(vec![
                Span::styled(r.subject.clone(), theme.title),
                Span::styled(format!("   {}", r.kinds_text()), theme.dim),
            ]),
            Line::raw(format!(
                "Received {} by {}; status: {}",
                r.received_on.format("%d/%m/%Y"),
                r.channel.label().to_lowercase(),
                r.status.label().to_lowercase()
            )),
        ];
        match r.due {
            Some(due) => {
                let (left, style) = super::home::days_left_label(
                    Some(due),
                    today,
                    Some(ctx.calendar.working_days_until(today, due)),
                    theme,
                );
                lines.push(Line::from(vec![
                    Span::raw(format!("Due {}  ", due.format("%d/%m/%Y"))),
                    Span::styled(left, style),
                    Span::raw(if r.extended { "  (extended)" } else { "" }),
                ]));
            }
            None if r.closed_on.is_some() => lines.push(Line::raw(format!(
                "Closed {} ({})",
                date(r.closed_on),
                r.outcome.map(|o| o.label().to_lowercase()).unwrap_or_default()
            ))),
            None => lines.push(Line::styled(
                "The clock is stopped (waiting for ID, a fee or clarification).",
                theme.due_soon,
            )),
        }
        if let Some(dl) = &d.deadline {
            for l in dl.explain() {
                lines.push(Line::styled(format!("  {l}"), theme.dim));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "Identity: {} (asked {}, received {}{})",
            d.id_status.replace('_', " "),
            date(d.id_requested_on),
            date(d.id_received_on),
            d.id_seen.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
        )));
        if d.fee_requested_on.is_some() {
            lines.push(Line::raw(format!(
                "Fee: asked {}, received {}; reason: {}",
                date(d.fee_requested_on),
                date(d.fee_received_on),
                d.fee_reason.clone().unwrap_or_default()
            )));
        }
        for p in &d.pauses {
            lines.push(Line::raw(format!(
                "Clarification: asked {}, received {}",
                p.asked.format("%d/%m/%Y"),
                date(p.received)
            )));
        }
        if let Some(reason) = d.extension_reason {
            lines.push(Line::raw(format!(
                "Extended for {}; told on {}",
                reason.label().to_lowercase(),
                date(d.extension_told_on)
            )));
        }
        if let Some(reason) = &d.refusal_reason {
            lines.push(Line::raw(format!("Refused: {reason}")));
        }
        if let Some(a) = &r.agent {
            lines.push(Line::raw(format!(
                "Made by {a} for them ({})",
                d.agent_authority.clone().unwrap_or_default()
            )));
        }
        if let Some(w) = &d.words {
            lines.push(Line::raw(""));
            lines.push(Line::styled("In their words:", theme.title));
            lines.push(Line::raw(w.clone()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}

/// The rectification form: the person's record, saved through the request so before and after
/// are kept with it.
pub fn rectify_view(store: &Store, request: i64, person: i64) -> Cmd {
    match PersonFormScreen::rectify(store, request, person) {
        Ok(f) => Cmd::push(f),
        Err(e) => Cmd::Error(e),
    }
}

impl Screen for RequestsScreen {
    fn context(&self) -> Context {
        Context::Requests
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, !self.rows.is_empty()),
            Command::on(Action::NewRequest),
            Command::on(Action::Filter),
            Command::on(Action::FilterStatus),
        ];
        out.extend(movement(self.rows.len()));
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
        "Requests".into()
    }

    fn reload(&mut self, store: &Store) {
        RequestsScreen::reload(self, store);
    }
}

impl Screen for RequestScreen {
    fn context(&self) -> Context {
        Context::Request
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::on(Action::Actions),
            Command::on(Action::WriteFiles),
            Command::when(Action::Open, self.detail.row.person_id.is_some()),
            Command::on(Action::Down),
            Command::on(Action::Up),
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
        "Rights request".into()
    }

    fn reload(&mut self, store: &Store) {
        RequestScreen::reload(self, store);
    }
}
