//! The duty handover (home): everything due, most urgent first, with days left and a bar of
//! exact counts per queue at the top that fits at 80 columns. The filter key narrows the list
//! to one queue at a time (cycling through those with items), and the show-all key widens it
//! again. Overdue is red; due within three working days is amber. Enter opens the item itself
//! where it has a screen (a request, a notice, a referral), otherwise the person it is about;
//! each row's next action (close, review, move a referral on) is a key on the row.

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
    /// The one queue shown, or every queue.
    pub filter: Option<Queue>,
    /// When the case file was last backed up, and when that gets too long ago.
    last_backup: Option<chrono::NaiveDateTime>,
    backup_rule: Option<crate::profile::BackupRule>,
    /// Whether the acting role may see the disclosure register.
    may_disclose: bool,
    /// Whether the acting role runs support groups.
    runs_groups: bool,
    /// Whether the acting role may file people, and so import them.
    may_import: bool,
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
                last_backup: store.last_backup().ok().flatten(),
                backup_rule: Some(store.profile().backup),
                may_disclose: store.may_disclose(),
                runs_groups: store.runs_groups(),
                may_import: store.may_import(),
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
        new.filter = old.filter;
        new.selected = old.selected.min(new.shown_len().saturating_sub(1));
        new.scroll = old.scroll;
        new
    }

    pub fn count(&self, q: Queue) -> usize {
        self.items.iter().filter(|i| i.queue() == q).count()
    }

    /// The items the filter lets through, in handover order.
    pub fn shown(&self) -> impl Iterator<Item = &DueItem> {
        let filter = self.filter;
        self.items.iter().filter(move |i| filter.is_none_or(|q| i.queue() == q))
    }

    pub fn shown_len(&self) -> usize {
        match self.filter {
            Some(q) => self.count(q),
            None => self.items.len(),
        }
    }

    pub fn selected_item(&self) -> Option<&DueItem> {
        self.shown().nth(self.selected)
    }

    /// The queues that have items, in bar order.
    fn queues_with_items(&self) -> Vec<Queue> {
        Queue::ALL.into_iter().filter(|q| self.count(*q) > 0).collect()
    }

    /// The next queue with items after the current filter; after the last, every queue again.
    fn next_filter(&self) -> Option<Queue> {
        let queues = self.queues_with_items();
        match self.filter {
            None => queues.first().copied(),
            Some(current) => queues.into_iter().find(|q| *q > current),
        }
    }

    fn set_filter(&mut self, filter: Option<Queue>) {
        self.filter = filter;
        self.selected = 0;
        self.scroll = 0;
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.shown_len();
        if let Some(to) = action.and_then(|a| crate::tui::screen::moved(self.selected, n, a)) {
            self.selected = to;
            return Cmd::None;
        }
        match action {
            Some(Action::Filter) => self.set_filter(self.next_filter()),
            Some(Action::ShowAll) => self.set_filter(None),
            // Enter opens the item itself (a request, a notice, a referral, a callback or a
            // task); a retention review or a DBS renewal is about the person's record, so
            // Enter opens the person.
            Some(Action::Open) => {
                if let Some(item) = self.selected_item() {
                    return match item.kind {
                        DueKind::Request(id) => crate::tui::screens::requests::open_request(store, id),
                        DueKind::Notice(_) | DueKind::ExemptionReview(_) => {
                            match crate::tui::screens::notices::NoticeTextScreen::load(store, item.person_id) {
                                Ok(s) => Cmd::push(s),
                                Err(e) => Cmd::Error(e),
                            }
                        }
                        DueKind::Referral(id) => {
                            Cmd::push(crate::tui::screens::referral::ReferralScreen::load(store, id))
                        }
                        DueKind::Breach(id) => super::breaches::step_popup(store, id),
                        DueKind::Complaint(id) => super::complaints::step_popup(store, id),
                        DueKind::Letter(id) => super::requests::letter_sent_popup(store, id),
                        DueKind::Conflict(id) => super::laptops::LaptopsScreen::load(store, Some(id)),
                        DueKind::Callback(_) | DueKind::Task(_) => {
                            match super::due_item::DueItemScreen::for_item(item) {
                                Some(s) => Cmd::push(s),
                                None => Cmd::OpenPerson(item.person_id),
                            }
                        }
                        _ => Cmd::OpenPerson(item.person_id),
                    };
                }
            }
            Some(Action::NewPerson) => {
                return Cmd::push(PersonFormScreen::create(store));
            }
            Some(Action::AdvanceReferral) => {
                if let Some(DueKind::Referral(id)) = self.selected_item().map(|i| i.kind) {
                    return match store.referral(id) {
                        Ok(r) => super::referrals::advance_popup(id, r.row.status, store.clock().today()),
                        Err(e) => Cmd::Error(e.to_string()),
                    };
                }
            }
            Some(Action::AddCallback) => {
                return Cmd::popup(SearchPopup::new(Purpose::Callback));
            }
            Some(Action::Backup) => return super::backup::backup_popup(store),
            Some(Action::Laptops) => return super::laptops::LaptopsScreen::load(store, None),
            Some(Action::Disclosures) => return super::disclosures::RegisterScreen::load(store),
            Some(Action::MailingList) => return super::lists::list_popup(store),
            Some(Action::RecordBreach) => return super::breaches::record_popup(store),
            Some(Action::RecordComplaint) => return super::complaints::record_popup(store),
            Some(Action::RecordEnquiry) => return super::enquiries::record_popup(store),
            Some(Action::Groups) => return super::groups::GroupsScreen::load(store),
            Some(Action::ImportSheet) => return super::import::open_popup(store),
            Some(Action::TakeReferral) => {
                return Cmd::push(crate::tui::screens::referral_intake::ReferralIntakeScreen::new(store));
            }
            Some(Action::CallbackDone) => {
                return match self.selected_item() {
                    Some(item) => match item.kind {
                        DueKind::Article19(task) => article19_popup(task, &item.what),
                        DueKind::ExemptionReview(notice) => exemption_review_popup(store, notice),
                        DueKind::HoldReview(hold) => super::holds::review_popup(store, hold),
                        DueKind::Breach(breach) => super::breaches::step_popup(store, breach),
                        DueKind::Complaint(complaint) => super::complaints::step_popup(store, complaint),
                        DueKind::Letter(letter) => super::requests::letter_sent_popup(store, letter),
                        DueKind::Enquiry(enquiry) => super::enquiries::answer_popup(store, enquiry),
                        DueKind::Retention(person) => super::retention::review_popup(store, person),
                        DueKind::DbsRenewal(_) | DueKind::DbsApplication(_) => {
                            // The renewal is a new check covering the roles the old one still answers.
                            let roles = match store.dbs_item_roles(&item.kind) {
                                Ok(r) => r,
                                Err(e) => return Cmd::Error(e.to_string()),
                            };
                            let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
                            super::dbs::record_popup(store, item.person_id, &item.person_name, &roles)
                        }
                        DueKind::Task(task) => {
                            super::decisions::complete_task(task, &item.what, &item.person_name, Cmd::None)
                        }
                        DueKind::Callback(callback) => super::decisions::complete_callback(
                            callback,
                            format!("Mark the callback to {} as done?", item.person_name),
                            Cmd::None,
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
        let title = match self.filter {
            Some(q) => format!(" Duty handover: {} only ", q.label()),
            None => " Duty handover: what is due ".to_string(),
        };
        let mut block = Block::bordered().title(Span::styled(title, theme.title));
        if let Some(rule) = self.backup_rule {
            let (text, style) = super::backup::last_backup_label(self.last_backup, ctx.now, rule, theme);
            block = block.title_top(Line::styled(format!(" {text} "), style).right_aligned());
        }
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 {
            return;
        }
        let counts: Vec<(Queue, usize)> = Queue::ALL.iter().map(|q| (*q, self.count(*q))).collect();
        let bar = queue_bar(&counts, self.filter, inner.width as usize);
        let spans: Vec<Span> = bar
            .into_iter()
            .map(|(text, current)| Span::styled(text, if current { theme.selected } else { theme.normal }))
            .collect();
        Paragraph::new(Line::from(spans)).render(Rect { height: 1, ..inner }, buf);
        // The day's callbacks, always on the first screen, however much is due before them.
        let today_line = matches!(self.filter, None | Some(Queue::Callback)) && !self.items.is_empty();
        if today_line {
            let line = callbacks_today(&self.items, ctx.now, inner.width as usize, theme);
            Paragraph::new(line).render(
                Rect {
                    y: inner.y + 1,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
        let top = 1 + u16::from(today_line);
        let list = Rect {
            y: inner.y + top,
            height: inner.height.saturating_sub(top),
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
        if self.shown_len() == 0 {
            Paragraph::new(Line::styled(
                format!(
                    "Nothing is left in this queue. Press {} to see every queue.",
                    ctx.key(Context::Home, Action::ShowAll)
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
        let shown: Vec<&DueItem> = self.shown().skip(self.scroll).take(rows).collect();
        for (row, item) in shown.into_iter().enumerate().map(|(i, item)| (i + self.scroll, item)) {
            let y = list.y + (row - self.scroll) as u16;
            let working = item.due.map(|d| cal.working_days_until(today, d));
            let (left, left_style) = match (item.kind, item.due_at) {
                // A breach's clock runs in hours (72 from becoming aware), in red throughout.
                (DueKind::Breach(_), Some(at)) => {
                    let hours = (at - ctx.now).num_minutes().div_euclid(60);
                    let text = if hours < 0 {
                        format!("{} hours late", -hours)
                    } else {
                        format!("{hours} hours left")
                    };
                    (text, theme.overdue)
                }
                // A callback whose time has passed today is late, not "due today".
                (_, Some(at)) if at < ctx.now && at.date() == today => ("late today".to_string(), theme.overdue),
                _ => days_left_label(item.due, today, working, theme),
            };
            let due_text = item
                .due_at
                .map(|t| t.format("%d %b %H:%M").to_string())
                .or(item.due.map(|d| d.format("%d %b %Y").to_string()))
                .unwrap_or_default();
            // Narrow windows take the short queue names, leaving room for what is due.
            let (queue, queue_w) = if w < 100 {
                (item.queue().tiny(), 7)
            } else {
                (item.queue().short(), 10)
            };
            let rest = w.saturating_sub(17 + 14 + queue_w + name_w + 2);
            let line = Line::from(vec![
                Span::styled(format!("{:<17}", fit(&left, 16)), left_style),
                Span::styled(format!("{:<14}", fit(&due_text, 13)), theme.dim),
                Span::raw(format!("{queue:<queue_w$}")),
                Span::raw(format!("{:<width$}  ", fit(&item.person_name, name_w), width = name_w)),
                Span::raw(fit(&item.what, rest)),
            ]);
            super::draw_row(buf, list.x, y, list.width, &line, row == self.selected, theme);
        }
    }
}

/// The day's callbacks in one line: how many, and the next few by time and name; those whose
/// time has passed are marked late. Fits `width`, saying how many more there are.
pub fn callbacks_today(items: &[DueItem], now: chrono::NaiveDateTime, width: usize, theme: &Theme) -> Line<'static> {
    let mut today: Vec<&DueItem> = items
        .iter()
        .filter(|i| matches!(i.kind, DueKind::Callback(_)) && i.due == Some(now.date()))
        .collect();
    today.sort_by_key(|i| i.due_at);
    if today.is_empty() {
        return Line::styled("Callbacks today: none", theme.dim);
    }
    let head = format!("Callbacks today {}: ", today.len());
    let mut spans = vec![Span::styled(head.clone(), theme.title)];
    let mut used = head.chars().count();
    for (n, item) in today.iter().enumerate() {
        let time = item.due_at.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
        let late = item.due_at.is_some_and(|t| t < now);
        let text = format!("{time} {}{}", item.person_name, if late { " (late)" } else { "" });
        let sep = if n == 0 { "" } else { ", " };
        let more = format!(", +{} more", today.len() - n);
        // Room for this one and, if any follow, the "+k more" after it.
        let after = if n + 1 < today.len() { more.chars().count() } else { 0 };
        if used + sep.len() + text.chars().count() + after > width {
            spans.push(Span::styled(format!("{}+{} more", sep, today.len() - n), theme.dim));
            break;
        }
        spans.push(Span::raw(sep.to_string()));
        spans.push(Span::styled(
            text.clone(),
            if late { theme.overdue } else { theme.normal },
        ));
        used += sep.len() + text.chars().count();
    }
    Line::from(spans)
}

/// The queue bar: "All n" then each queue that has items, with its exact count; `current`
/// marks the one the filter shows (or All). Labels shorten, then queues with the fewest items
/// fold into "+k more", until the bar fits `width`; counts are never cut.
pub fn queue_bar(counts: &[(Queue, usize)], filter: Option<Queue>, width: usize) -> Vec<(String, bool)> {
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let with_items: Vec<(Queue, usize)> = counts.iter().copied().filter(|(_, n)| *n > 0).collect();
    let tiers: [fn(Queue) -> &'static str; 2] = [Queue::short, Queue::tiny];
    let render = |shown: &[(Queue, usize)], label: fn(Queue) -> &'static str, hidden: usize| {
        let mut out = vec![(format!("All {total}"), filter.is_none())];
        for (q, n) in shown {
            out.push((format!("{} {n}", label(*q)), filter == Some(*q)));
        }
        if hidden > 0 {
            out.push((format!("+{hidden} more"), false));
        }
        out
    };
    let fits = |parts: &[(String, bool)]| {
        parts.iter().map(|(t, _)| t.chars().count()).sum::<usize>() + 2 * parts.len().saturating_sub(1) <= width
    };
    let spaced = |parts: Vec<(String, bool)>| {
        let mut out = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out.push(("  ".to_string(), false));
            }
            out.push(part);
        }
        out
    };
    for label in tiers {
        let parts = render(&with_items, label, 0);
        if fits(&parts) {
            return spaced(parts);
        }
    }
    // Still too wide: keep the filtered queue and the most urgent queues (bar order), fold the
    // rest into "+k more" queues.
    let mut kept = with_items.clone();
    while kept.len() > 1 {
        let drop = kept
            .iter()
            .rposition(|(q, _)| filter != Some(*q))
            .unwrap_or(kept.len() - 1);
        kept.remove(drop);
        let parts = render(&kept, Queue::tiny, with_items.len() - kept.len());
        if fits(&parts) {
            return spaced(parts);
        }
    }
    spaced(render(&kept, Queue::tiny, with_items.len() - kept.len()))
}

impl HomeScreen {
    /// Whether x can close the selected item here.
    fn selected_closable(&self) -> bool {
        self.selected_item().is_some_and(|item| {
            matches!(
                item.kind,
                DueKind::Article19(_)
                    | DueKind::Task(_)
                    | DueKind::Callback(_)
                    | DueKind::ExemptionReview(_)
                    | DueKind::HoldReview(_)
                    | DueKind::Retention(_)
                    | DueKind::DbsRenewal(_)
                    | DueKind::DbsApplication(_)
                    | DueKind::Breach(_)
                    | DueKind::Complaint(_)
                    | DueKind::Letter(_)
                    | DueKind::Enquiry(_)
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
            Command::when(Action::Open, self.shown_len() > 0),
            Command::when(Action::Filter, !self.items.is_empty()),
            Command::when(Action::ShowAll, self.filter.is_some()),
            Command::on(Action::NewPerson),
            Command::on(Action::TakeReferral),
            Command::on(Action::Backup),
            Command::on(Action::Laptops),
            Command::on(Action::MailingList),
            Command::on(Action::RecordBreach),
            Command::on(Action::RecordComplaint),
            Command::on(Action::RecordEnquiry),
            Command::on(Action::AddCallback),
            Command::when(Action::CallbackDone, self.selected_closable()),
            Command::when(
                Action::AdvanceReferral,
                self.selected_item()
                    .is_some_and(|i| matches!(i.kind, DueKind::Referral(_))),
            ),
        ];
        // A role that may not see disclosures is never offered the register.
        if self.may_disclose {
            out.push(Command::on(Action::Disclosures));
        }
        if self.runs_groups {
            out.push(Command::on(Action::Groups));
        }
        if self.may_import {
            out.push(Command::on(Action::ImportSheet));
        }
        out.extend(movement(self.shown_len()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bar: &[(String, bool)]) -> String {
        bar.iter().map(|(t, _)| t.as_str()).collect()
    }

    fn callback(id: i64, name: &str, at: &str) -> DueItem {
        let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap_or_default();
        DueItem {
            kind: DueKind::Callback(id),
            person_id: id,
            person_name: name.into(),
            what: "Call back".into(),
            due: Some(at.date()),
            due_at: Some(at),
        }
    }

    fn line_text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn the_days_callbacks_are_listed_by_time_with_the_late_ones_marked_and_the_rest_counted() {
        let now = chrono::NaiveDateTime::parse_from_str("2026-12-01 16:26", "%Y-%m-%d %H:%M").unwrap();
        let items = vec![
            callback(1, "Joan Cook", "2026-12-01 17:00"),
            callback(2, "Ann Lee", "2026-12-01 14:00"),
            callback(3, "Bob Hale", "2026-12-02 09:00"),
            callback(4, "Cy Dee", "2026-12-01 18:30"),
        ];
        let t = Theme::plain();
        assert_eq!(
            line_text(&callbacks_today(&items, now, 80, &t)),
            "Callbacks today 3: 14:00 Ann Lee (late), 17:00 Joan Cook, 18:30 Cy Dee"
        );
        assert_eq!(
            line_text(&callbacks_today(&items, now, 50, &t)),
            "Callbacks today 3: 14:00 Ann Lee (late), +2 more"
        );
        assert_eq!(
            line_text(&callbacks_today(&items[2..3], now, 80, &t)),
            "Callbacks today: none"
        );
    }

    fn counts(n: &[usize; 8]) -> Vec<(Queue, usize)> {
        Queue::ALL.iter().copied().zip(n.iter().copied()).collect()
    }

    #[test]
    fn the_queue_bar_fits_and_never_cuts_a_count() {
        let cases: &[(&[usize; 8], usize, Option<Queue>, &str)] = &[
            (
                &[12, 2, 11, 5, 0, 0, 0, 0],
                78,
                None,
                "All 30  Requests 12  Notices 2  Callbacks 11  Referrals 5",
            ),
            (&[0; 8], 78, None, "All 0"),
            (
                &[12, 2, 11, 5, 3, 124, 7, 1],
                78,
                None,
                "All 165  Rights 12  Notice 2  Call 11  Refer 5  Task 3  Review 124  +2 more",
            ),
            (
                &[12000, 2000, 11000, 5000, 3000, 124000, 7000, 1000],
                78,
                None,
                "All 165000  Rights 12000  Notice 2000  Call 11000  Refer 5000  +4 more",
            ),
            (
                &[12000, 2000, 11000, 5000, 3000, 124000, 7000, 1000],
                40,
                Some(Queue::DbsRenewal),
                "All 165000  DBS 7000  +7 more",
            ),
        ];
        for (n, width, filter, want) in cases {
            let bar = queue_bar(&counts(n), *filter, *width);
            assert_eq!(text(&bar), *want);
            assert!(text(&bar).chars().count() <= *width, "{want}");
            let current: Vec<&str> = bar.iter().filter(|(_, c)| *c).map(|(t, _)| t.as_str()).collect();
            assert_eq!(current.len(), 1, "exactly one part is marked current: {want}");
        }
    }
}
