//! The referrals screen: every referral by status and days waiting (open ones first), with a
//! filter, and the step that moves one on (contacted, accepted, declined, withdrawn), each with
//! its date, reason and who.

use super::form_popup::{field_error, value, FormPopup};
use super::referral_intake::ReferralIntakeScreen;
use super::{fit, scroll_for};
use crate::domain::referral::ReferralStatus;
use crate::domain::validate;
use crate::store::referrals::{ReferralFilter, ReferralRow};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::Cmd;
use crate::tui::screen::{listed_action, movement, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

/// Which referrals are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shown {
    #[default]
    Open,
    All,
    Only(ReferralStatus),
}

impl Shown {
    fn next(self) -> Shown {
        match self {
            Shown::Open => Shown::All,
            Shown::All => Shown::Only(ReferralStatus::ALL[0]),
            Shown::Only(s) => match ReferralStatus::ALL.iter().position(|x| *x == s) {
                Some(i) if i + 1 < ReferralStatus::ALL.len() => Shown::Only(ReferralStatus::ALL[i + 1]),
                _ => Shown::Open,
            },
        }
    }

    fn label(self) -> String {
        match self {
            Shown::Open => "open (new and contacted)".into(),
            Shown::All => "all".into(),
            Shown::Only(s) => s.label().to_lowercase(),
        }
    }

    fn filter(self) -> ReferralFilter {
        match self {
            Shown::Open => ReferralFilter {
                open_only: true,
                ..ReferralFilter::default()
            },
            Shown::All => ReferralFilter::default(),
            Shown::Only(s) => ReferralFilter {
                status: Some(s),
                ..ReferralFilter::default()
            },
        }
    }
}

#[derive(Debug, Default)]
pub struct ReferralsScreen {
    pub rows: Vec<ReferralRow>,
    pub selected: usize,
    pub shown: Shown,
    scroll: usize,
    error: Option<String>,
}

/// The form that moves a referral on to `to`.
pub(super) fn advance_popup(id: i64, from: ReferralStatus, today: chrono::NaiveDate) -> Cmd {
    let options: Vec<&str> = from.next().iter().map(|s| s.label()).collect();
    if options.is_empty() {
        return Cmd::Error(format!(
            "A {} referral is closed: there is no next step.",
            from.label().to_lowercase()
        ));
    }
    let form = Form::new("Move the referral on")
        .with(Field::choice("to", "New status", &options, options[0]))
        .with(Field::text("reason", "Reason / note", "").max_chars(validate::MAX_LINE))
        .with(Field::text("on", "Date", &today.format("%d/%m/%Y").to_string()).max_chars(10));
    let intro = vec![format!(
        "Now {}. Declining or withdrawing needs a reason.",
        from.label().to_lowercase()
    )];
    Cmd::popup(FormPopup::new(
        form,
        intro,
        Box::new(move |store: &mut Store, form: &Form| {
            let to = ReferralStatus::ALL
                .iter()
                .copied()
                .find(|s| s.label() == value(form, "to"))
                .ok_or_else(|| field_error("to", "Choose the new status."))?;
            let on = validate::date(&value(form, "on")).map_err(|e| field_error("on", e.message))?;
            store
                .advance_referral(id, to, &value(form, "reason"), on)
                .map_err(|e| field_error("reason", e))?;
            Ok(Cmd::Info(format!("Referral marked {}.", to.label().to_lowercase())))
        }),
    ))
}

impl ReferralsScreen {
    pub fn load(store: &Store, shown: Shown) -> ReferralsScreen {
        match store.referrals(shown.filter()) {
            Ok(rows) => ReferralsScreen {
                rows,
                shown,
                ..ReferralsScreen::default()
            },
            Err(e) => ReferralsScreen {
                shown,
                error: Some(e.to_string()),
                ..ReferralsScreen::default()
            },
        }
    }

    pub fn reload(&mut self, store: &Store) {
        let keep = self.selected;
        *self = Self::load(store, self.shown);
        self.selected = keep.min(self.rows.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Option<Action>, store: &mut Store) -> Cmd {
        let n = self.rows.len();
        if let Some(to) = action.and_then(|a| crate::tui::screen::moved(self.selected, n, a)) {
            self.selected = to;
            return Cmd::None;
        }
        match action {
            Some(Action::Filter) => {
                let shown = self.shown.next();
                *self = Self::load(store, shown);
            }
            // Enter opens the referral itself (as from the handover); Enter there opens the person.
            Some(Action::Open) => {
                if let Some(r) = self.rows.get(self.selected) {
                    return Cmd::push(super::referral::ReferralScreen::load(store, r.id));
                }
            }
            Some(Action::AdvanceReferral) => match self.rows.get(self.selected) {
                Some(r) => return advance_popup(r.id, r.status, store.clock().today()),
                None => return Cmd::Error("Select a referral first.".into()),
            },
            Some(Action::TakeReferral) => return Cmd::push(ReferralIntakeScreen::new(store)),
            _ => {}
        }
        Cmd::None
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let title = format!(" Referrals: {} ", self.shown.label());
        let block = Block::bordered().title(Span::styled(title, theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if let Some(e) = &self.error {
            Paragraph::new(Line::styled(e.clone(), theme.error)).render(inner, buf);
            return;
        }
        if self.rows.is_empty() {
            Paragraph::new(Line::styled("No referrals here.", theme.dim)).render(inner, buf);
            return;
        }
        let rows = inner.height as usize;
        self.scroll = scroll_for(self.selected, rows, self.scroll);
        let w = inner.width as usize;
        let name_w = (w.saturating_sub(40) / 2).clamp(10, 30);
        for (i, r) in self.rows.iter().enumerate().skip(self.scroll).take(rows) {
            let y = inner.y + (i - self.scroll) as u16;
            let waiting = format!("{} day{}", r.days_waiting, if r.days_waiting == 1 { "" } else { "s" });
            let wait_style = if r.status.is_open() && r.days_waiting > 5 {
                theme.overdue
            } else {
                theme.normal
            };
            let by = match (&r.referrer_name, &r.referrer_org) {
                (Some(n), Some(o)) => format!("{n}, {o}"),
                (Some(n), None) => n.clone(),
                (None, Some(o)) => o.clone(),
                (None, None) => r.referrer_kind.label().to_string(),
            };
            let line = Line::from(vec![
                Span::raw(format!("{:<11}", r.status.label())),
                Span::styled(format!("{:<10}", waiting), wait_style),
                Span::raw(format!("{:<8}", r.urgency.label())),
                Span::raw(format!("{:<width$}  ", fit(&r.person_name, name_w), width = name_w)),
                Span::styled(fit(&format!("from {by}"), w.saturating_sub(31 + name_w)), theme.dim),
            ]);
            super::draw_row(buf, inner.x, y, inner.width, &line, i == self.selected, theme);
        }
    }
}

impl Screen for ReferralsScreen {
    fn context(&self) -> Context {
        Context::Referrals
    }

    fn commands(&self) -> Vec<Command> {
        let any = !self.rows.is_empty();
        let mut out = vec![
            Command::when(Action::Open, any),
            Command::on(Action::TakeReferral),
            Command::when(Action::AdvanceReferral, any),
            Command::on(Action::Filter),
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
        self.render(area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        "Referrals".into()
    }

    fn reload(&mut self, store: &Store) {
        ReferralsScreen::reload(self, store);
    }
}
