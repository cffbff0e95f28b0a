//! Article 14 notices: the pending ones soonest first with days left; Enter reads the generated
//! notice; `m` marks it given (how and when), `E` records an exemption (with the reason the law
//! asks for, and the reminder to publish and consider a DPIA for disproportionate effort), `W`
//! writes the printable HTML and the plain text to a folder.

use super::form_popup::{field_error, value, FormPopup};
use super::{fit, scroll_for};
use crate::domain::article14::{Exemption, NoticeMethod};
use crate::domain::validate;
use crate::store::notices::Notice;
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form};
use crate::tui::widgets::reader::{Reader, READER_MOVES};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

#[derive(Debug, Default)]
pub struct NoticesScreen {
    pub notices: Vec<Notice>,
    pub selected: usize,
    scroll: usize,
    error: Option<String>,
}

fn today_text(store: &Store) -> String {
    store.clock().today().format("%d/%m/%Y").to_string()
}

/// `m`: mark a notice given.
pub fn mark_given_popup(store: &Store, id: i64) -> Cmd {
    let methods: Vec<&str> = NoticeMethod::ALL.iter().map(|m| m.label()).collect();
    // Start on the first way the record gives us the means for, and say which are missing.
    let available = store.notice_methods_available(id).unwrap_or_default();
    let first = available.first().map_or(methods[0], |m| m.label());
    let missing: Vec<&str> = NoticeMethod::ALL
        .iter()
        .filter(|m| !available.contains(m))
        .map(|m| m.label())
        .collect();
    let form = Form::new("Notice given")
        .with(Field::choice("how", "How", &methods, first))
        .with(Field::text("on", "Date", &today_text(store)).max_chars(10));
    let mut intro = vec!["Record how and when the person was told we hold their data.".to_string()];
    if !missing.is_empty() {
        intro.push(format!(
            "Not possible with what we hold for them: {}.",
            missing.join(", ").to_lowercase()
        ));
    }
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let how = NoticeMethod::ALL
                .iter()
                .copied()
                .find(|m| m.label() == value(form, "how"))
                .unwrap_or(NoticeMethod::Letter);
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store.mark_notice_given(id, how, on).map_err(|e| {
                let field = if e.to_string().starts_with("We hold no") {
                    "how"
                } else {
                    "on"
                };
                field_error(field, e)
            })?;
            Ok(Cmd::Info("Notice marked given.".into()))
        }),
    ))
}

/// `E`: record an exemption.
pub fn exemption_popup(store: &Store, id: i64) -> Cmd {
    let kinds: Vec<&str> = Exemption::ALL.iter().map(|e| e.label()).collect();
    let form = Form::new("Exemption from giving the notice")
        .with(Field::choice("kind", "Exemption", &kinds, kinds[0]))
        .with(Field::text("reason", "Reason / assessment", "").max_chars(validate::MAX_NOTE))
        .with(Field::text("on", "Decided on", &today_text(store)).max_chars(10));
    let mut intro = vec!["Choose the exemption and give the reason the law asks for:".to_string()];
    for e in Exemption::ALL {
        intro.push(format!("  {}: {}", e.label(), e.asks_for()));
    }
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let kind = Exemption::ALL
                .iter()
                .copied()
                .find(|e| e.label() == value(form, "kind"))
                .unwrap_or(Exemption::AlreadyHas);
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            let done = store
                .record_notice_exemption(id, kind, &value(form, "reason"), on)
                .map_err(|e| field_error("reason", e))?;
            let mut msg = format!(
                "Exemption recorded; review it by {}.",
                done.review_on.format("%d/%m/%Y")
            );
            if let Some(r) = done.reminder {
                msg.push(' ');
                msg.push_str(r);
            }
            Ok(Cmd::Info(msg))
        }),
    ))
}

/// `W`: write the notice to a folder.
pub fn write_popup(store: &Store, person_id: i64) -> Cmd {
    let suggested = crate::export::folder::suggested(store, "notices");
    let form = Form::new("Write the notice").with(Field::text("dir", "Folder", &suggested).max_chars(400));
    Cmd::popup(FormPopup::new(
        form,
        vec!["Writes a printable HTML file and a plain-text file ready to email into the folder (created if missing). Nothing is written anywhere else.".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let dir = crate::export::folder::expand(&value(form, "dir")).map_err(|e| field_error("dir", e))?;
            let (html, _txt) = crate::export::notice::write_notice(store, person_id, &dir).map_err(|e| field_error("dir", e))?;
            let folder = html.parent().unwrap_or(&dir).display().to_string();
            Ok(Cmd::Info(format!("Notice written to {folder} (HTML and text).")))
        }),
    ))
}

impl NoticesScreen {
    pub fn load(store: &Store) -> NoticesScreen {
        match store.pending_notices() {
            Ok(notices) => NoticesScreen {
                notices,
                ..NoticesScreen::default()
            },
            Err(e) => NoticesScreen {
                error: Some(e.to_string()),
                ..NoticesScreen::default()
            },
        }
    }

    pub fn reload(&mut self, store: &Store) {
        let keep = self.selected;
        *self = Self::load(store);
        self.selected = keep.min(self.notices.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.notices.len();
        if let Some(to) = action.and_then(|a| crate::tui::screen::moved(self.selected, n, a)) {
            self.selected = to;
            return Cmd::None;
        }
        let current = self.notices.get(self.selected).map(|x| (x.id, x.person_id));
        match action {
            Some(Action::Open) => {
                if let Some((_, pid)) = current {
                    return match NoticeTextScreen::load(store, pid) {
                        Ok(s) => Cmd::push(s),
                        Err(e) => Cmd::Error(e),
                    };
                }
            }
            Some(Action::MarkGiven) => return current.map(|(id, _)| mark_given_popup(store, id)).unwrap_or(Cmd::None),
            Some(Action::Exemption) => return current.map(|(id, _)| exemption_popup(store, id)).unwrap_or(Cmd::None),
            Some(Action::WriteFiles) => return current.map(|(_, pid)| write_popup(store, pid)).unwrap_or(Cmd::None),
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let theme = ctx.theme;
        let block = Block::bordered().title(Span::styled(" Article 14 notices to give ", theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(e) = &self.error {
            Paragraph::new(Line::styled(e.clone(), theme.error)).render(inner, buf);
            return;
        }
        if self.notices.is_empty() {
            Paragraph::new(Line::styled("No notices are pending.", theme.dim)).render(inner, buf);
            return;
        }
        let today = ctx.today;
        let cal = ctx.calendar;
        let rows = inner.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        let w = inner.width as usize;
        let name_w = (w.saturating_sub(34) / 2).clamp(10, 30);
        for (i, n) in self.notices.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            let (left, style) = super::home::days_left_label(
                Some(n.due_on),
                today,
                Some(cal.working_days_until(today, n.due_on)),
                theme,
            );
            let source = n
                .source_name
                .clone()
                .or(n.source_text.clone())
                .map(|s| format!("from {s}"))
                .unwrap_or_default();
            let line = Line::from(vec![
                Span::styled(format!("{:<17}", fit(&left, 16)), style),
                Span::raw(format!("{:<12}", n.due_on.format("%d/%m/%Y"))),
                Span::raw(format!("{:<width$}  ", fit(&n.person_name, name_w), width = name_w)),
                Span::styled(fit(&source, w.saturating_sub(31 + name_w)), theme.dim),
            ]);
            super::draw_row(buf, inner.x, y, inner.width, &line, i == self.selected, theme);
        }
    }
}

/// The generated notice for one person, to read before sending.
pub struct NoticeTextScreen {
    pub person_id: i64,
    notice_id: Option<i64>,
    text: String,
    reader: Reader,
}

impl NoticeTextScreen {
    pub fn load(store: &Store, person_id: i64) -> Result<NoticeTextScreen, String> {
        let rendered = crate::export::notice::render_notice(store, person_id).map_err(|e| e.to_string())?;
        let notice_id = store.notice_for_person(person_id).ok().flatten().map(|n| n.id);
        Ok(NoticeTextScreen {
            person_id,
            notice_id,
            text: rendered.text,
            reader: Reader::default(),
        })
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        match action {
            Some(a) if self.reader.handle(a) => {}
            Some(Action::Back) => return Cmd::Back,
            Some(Action::MarkGiven) => {
                return self
                    .notice_id
                    .map(|id| mark_given_popup(store, id))
                    .unwrap_or(Cmd::None)
            }
            Some(Action::Exemption) => return self.notice_id.map(|id| exemption_popup(store, id)).unwrap_or(Cmd::None),
            Some(Action::WriteFiles) => return write_popup(store, self.person_id),
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let paragraphs: Vec<(String, ratatui::style::Style)> =
            self.text.lines().map(|l| (l.to_string(), theme.normal)).collect();
        self.reader.render("The notice", &paragraphs, area, buf, theme);
    }
}

impl Screen for NoticesScreen {
    fn context(&self) -> Context {
        Context::Notices
    }

    fn commands(&self) -> Vec<Command> {
        let any = !self.notices.is_empty();
        let mut out = vec![
            Command::when(Action::Open, any),
            Command::when(Action::MarkGiven, any),
            Command::when(Action::Exemption, any),
            Command::when(Action::WriteFiles, any),
        ];
        out.extend(movement(self.notices.len()));
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
        "Notices".into()
    }

    fn reload(&mut self, store: &Store) {
        NoticesScreen::reload(self, store);
    }
}

impl Screen for NoticeTextScreen {
    fn context(&self) -> Context {
        Context::Notices
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::MarkGiven, self.notice_id.is_some()),
            Command::when(Action::Exemption, self.notice_id.is_some()),
            Command::on(Action::WriteFiles),
        ];
        out.extend(READER_MOVES.into_iter().map(Command::on));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        match listed_action(input, &self.commands()) {
            Some(action) => Handled::Consumed(self.handle(Some(action), store)),
            None => Handled::Ignored,
        }
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        self.render(area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        "Article 14 notice".into()
    }
}
