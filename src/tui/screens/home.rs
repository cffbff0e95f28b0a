//! The duty handover (home): everything due, soonest first, with days left and a count per
//! queue at the top. Overdue is red; due within three working days is amber. Enter opens the
//! person the item is about.

use super::{fit, scroll_for};
use crate::store::handover::{DueItem, DueKind, Queue};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::screens::person_form::PersonFormScreen;
use crate::tui::screens::search::{Purpose, SearchPopup};
use crate::tui::terminal::Theme;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

#[derive(Debug, Clone, Default)]
pub struct HomeScreen {
    pub items: Vec<DueItem>,
    pub selected: usize,
    scroll: usize,
    pub error: Option<String>,
}

/// How an item's due date reads and looks.
pub fn days_left_label(
    due: Option<NaiveDate>,
    today: NaiveDate,
    working_days: Option<i64>,
    theme: &Theme,
) -> (String, Style) {
    let Some(due) = due else {
        return ("waiting".into(), theme.dim);
    };
    let days = (due - today).num_days();
    let text = match days {
        d if d < -1 => format!("{} days overdue", -d),
        -1 => "1 day overdue".into(),
        0 => "due today".into(),
        1 => "1 day".into(),
        d => format!("{d} days"),
    };
    let style = if days < 0 {
        theme.overdue
    } else if working_days.is_some_and(|w| w <= 3) {
        theme.due_soon
    } else {
        theme.normal
    };
    (text, style)
}

/// `x` on an Article 19 task: the recipient was told, or telling them is impossible or would
/// take disproportionate effort (a reason is then required).
fn article19_popup(task: i64, what: &str) -> Cmd {
    use crate::domain::rights::Article19Outcome;
    use crate::tui::screens::form_popup::{field_error, value, FormPopup};
    use crate::tui::widgets::form::{Field, Form};
    let outcomes: Vec<&str> = Article19Outcome::ALL.iter().map(|o| o.label()).collect();
    let form = Form::new("Article 19 task")
        .with(Field::choice("outcome", "Outcome", &outcomes, outcomes[0]))
        .with(Field::text("reason", "Reason / note", "").max_chars(crate::domain::validate::MAX_NOTE));
    Cmd::popup(FormPopup::new(
        form,
        vec![what.to_string()],
        Box::new(move |store: &mut Store, form: &Form| {
            let outcome = Article19Outcome::ALL
                .iter()
                .copied()
                .find(|o| o.label() == value(form, "outcome"))
                .unwrap_or(Article19Outcome::Done);
            store
                .close_article19_task(task, outcome, &value(form, "reason"))
                .map_err(|e| field_error("reason", e))?;
            Ok(Cmd::Info("Article 19 task closed.".into()))
        }),
    ))
}

/// `x` on an exemption due for review: upheld (reviewed again in a year) or lifted (the notice
/// is owed again), with a note.
fn exemption_review_popup(store: &Store, notice: i64) -> Cmd {
    use crate::store::notices::ReviewOutcome;
    use crate::tui::screens::form_popup::{field_error, value, FormPopup};
    use crate::tui::widgets::form::{Field, Form};
    const UPHELD: &str = "still applies (upheld)";
    const LIFTED: &str = "no longer applies (lifted)";
    let form = Form::new("Review the exemption")
        .with(Field::choice("outcome", "Outcome", &[UPHELD, LIFTED], UPHELD))
        .with(Field::text("note", "Note", "").max_chars(crate::domain::validate::MAX_NOTE))
        .with(Field::text("on", "Date", &store.clock().today().format("%d/%m/%Y").to_string()).max_chars(10));
    Cmd::popup(FormPopup::new(
        form,
        vec!["Does the Article 14 exemption still apply? If not, the notice is owed again.".into()],
        Box::new(move |store: &mut Store, form: &Form| {
            let outcome = if value(form, "outcome") == LIFTED {
                ReviewOutcome::Lifted
            } else {
                ReviewOutcome::Upheld
            };
            let on = crate::domain::validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .review_exemption(notice, outcome, &value(form, "note"), on)
                .map_err(|e| field_error("note", e))?;
            Ok(Cmd::Info("Exemption reviewed.".into()))
        }),
    ))
}

impl HomeScreen {
    pub fn load(store: &Store) -> HomeScreen {
        match store.handover() {
            Ok(items) => HomeScreen {
                items,
                ..HomeScreen::default()
            },
            Err(e) => HomeScreen {
                error: Some(e.to_string()),
                ..HomeScreen::default()
            },
        }
    }

    /// Reloads, keeping the selection where it was.
    pub fn load_keeping(store: &Store, old: &HomeScreen) -> HomeScreen {
        let mut new = Self::load(store);
        new.selected = old.selected.min(new.items.len().saturating_sub(1));
        new.scroll = old.scroll;
        new
    }

    pub fn count(&self, q: Queue) -> usize {
        self.items.iter().filter(|i| i.queue() == q).count()
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.items.len();
        match action {
            Some(Action::Down) if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::PageDown) if n > 0 => self.selected = (self.selected + 10).min(n - 1),
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(10),
            Some(Action::Top) => self.selected = 0,
            Some(Action::Bottom) => self.selected = n.saturating_sub(1),
            // Enter opens the item itself where it has a screen of its own (a request, a
            // notice); otherwise the person it is about.
            Some(Action::Open) => {
                if let Some(item) = self.items.get(self.selected) {
                    return match item.kind {
                        DueKind::Request(id) => crate::tui::screens::requests::open_request(store, id),
                        DueKind::Notice(_) | DueKind::ExemptionReview(_) => {
                            match crate::tui::screens::notices::NoticeTextScreen::load(store, item.person_id) {
                                Ok(s) => Cmd::push(s),
                                Err(e) => Cmd::Error(e),
                            }
                        }
                        _ => Cmd::OpenPerson(item.person_id),
                    };
                }
            }
            Some(Action::NewPerson) => {
                return Cmd::push(PersonFormScreen::create(store));
            }
            Some(Action::AddCallback) => {
                return Cmd::popup(SearchPopup::new(Purpose::Callback));
            }
            Some(Action::TakeReferral) => {
                return Cmd::push(crate::tui::screens::referral_intake::ReferralIntakeScreen::new(store));
            }
            Some(Action::CallbackDone) => {
                return match self.items.get(self.selected) {
                    Some(item) => match item.kind {
                        DueKind::Article19(task) => article19_popup(task, &item.what),
                        DueKind::ExemptionReview(notice) => exemption_review_popup(store, notice),
                        DueKind::Task(task) => super::decisions::complete_task(task, &item.what),
                        DueKind::Callback(callback) => super::decisions::complete_callback(
                            callback,
                            format!("Mark the callback to {} as done?", item.person_name),
                        ),
                        _ => Cmd::Error("This item is not closed from here: open the person to act on it.".into()),
                    },
                    None => Cmd::Error("Nothing is selected.".into()),
                };
            }
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) {
        let (theme, today, cal) = (ctx.theme, ctx.today, ctx.calendar);
        let block = Block::bordered().title(Span::styled(" Duty handover: what is due ", theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let counts: Vec<Span> = Queue::ALL
            .iter()
            .flat_map(|q| {
                let n = self.count(*q);
                let style = if n > 0 { theme.normal } else { theme.dim };
                [Span::styled(format!("{} {n}", q.short()), style), Span::raw("  ")]
            })
            .collect();
        Paragraph::new(Line::from(counts)).render(Rect { height: 1, ..inner }, buf);
        let list = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        };
        if let Some(e) = &self.error {
            Paragraph::new(Line::styled(e.clone(), theme.error)).render(list, buf);
            return;
        }
        if self.items.is_empty() {
            Paragraph::new(Line::styled(
                format!(
                    "Nothing is due. Press {} to find someone, {} to add a person.",
                    ctx.key(Context::Home, Action::OpenSearch),
                    ctx.key(Context::Home, Action::NewPerson)
                ),
                theme.dim,
            ))
            .render(list, buf);
            return;
        }
        let rows = list.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        let w = list.width as usize;
        let name_w = (w.saturating_sub(43) / 2).clamp(8, 28);
        for (row, item) in self.items.iter().enumerate().skip(self.scroll).take(rows) {
            let y = list.y + (row - self.scroll) as u16;
            let working = item.due.map(|d| cal.working_days_until(today, d));
            let (left, left_style) = days_left_label(item.due, today, working, theme);
            let due_text = item
                .due_at
                .map(|t| t.format("%d %b %H:%M").to_string())
                .or(item.due.map(|d| d.format("%d %b %Y").to_string()))
                .unwrap_or_default();
            let rest = w.saturating_sub(17 + 14 + 10 + name_w + 2);
            let line = Line::from(vec![
                Span::styled(format!("{:<17}", fit(&left, 16)), left_style),
                Span::styled(format!("{:<14}", fit(&due_text, 13)), theme.dim),
                Span::raw(format!("{:<10}", item.queue().short())),
                Span::raw(format!("{:<width$}  ", fit(&item.person_name, name_w), width = name_w)),
                Span::raw(fit(&item.what, rest)),
            ]);
            super::draw_row(buf, list.x, y, list.width, &line, row == self.selected, theme);
        }
    }
}

impl HomeScreen {
    /// Whether x can close the selected item here.
    fn selected_closable(&self) -> bool {
        self.items.get(self.selected).is_some_and(|item| {
            matches!(
                item.kind,
                DueKind::Article19(_) | DueKind::Task(_) | DueKind::Callback(_) | DueKind::ExemptionReview(_)
            )
        })
    }
}

impl Screen for HomeScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, !self.items.is_empty()),
            Command::on(Action::NewPerson),
            Command::on(Action::TakeReferral),
            Command::on(Action::AddCallback),
            Command::when(Action::CallbackDone, self.selected_closable()),
        ];
        out.extend(movement(self.items.len()));
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
        "Handover".into()
    }

    fn reload(&mut self, store: &Store) {
        *self = HomeScreen::load_keeping(store, self);
    }
}
