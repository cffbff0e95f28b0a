//! One referral, read in full: who it is for and from, how urgent, what was asked for, whether
//! the person knows and agrees, the notes as taken on the call, and every step since, with who
//! recorded it. The next step is taken from here; Enter opens the person it is for. Long notes
//! wrap and scroll, with the position shown.

use super::referrals::advance_popup;
use crate::store::referrals::ReferralDetail;
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::terminal::Theme;
use crate::tui::widgets::reader::{Reader, READER_MOVES};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

pub struct ReferralScreen {
    id: i64,
    detail: Result<ReferralDetail, String>,
    /// Who referred, in the profile's words ("Health professional").
    referrer: String,
    reader: Reader,
}

impl ReferralScreen {
    pub fn load(store: &Store, id: i64) -> ReferralScreen {
        let detail = store.referral(id).map_err(|e| e.to_string());
        let referrer = detail
            .as_ref()
            .map(|d| store.profile().referrer_label(d.row.referrer_kind))
            .unwrap_or_default();
        ReferralScreen {
            id,
            detail,
            referrer,
            reader: Reader::default(),
        }
    }

    /// What the screen shows, a paragraph each.
    fn paragraphs(&self, theme: &Theme) -> Vec<(String, Style)> {
        let d = match &self.detail {
            Ok(d) => d,
            Err(e) => return vec![(e.clone(), theme.error)],
        };
        let r = &d.row;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let from = match (&r.referrer_name, &r.referrer_org) {
            (Some(n), Some(o)) => format!("{n}, {o}"),
            (Some(n), None) => n.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => String::new(),
        };
        let from = if from.is_empty() {
            self.referrer.clone()
        } else {
            format!("{from} ({})", self.referrer.to_lowercase())
        };
        let urgency_style = if r.urgency == crate::domain::referral::Urgency::Urgent {
            theme.overdue
        } else {
            theme.normal
        };
        let mut out = vec![
            (
                format!(
                    "{} referral, {}",
                    super::capitalised(r.urgency.label()),
                    r.status.label().to_lowercase()
                ),
                urgency_style,
            ),
            (
                format!(
                    "Received {} ({} days {})",
                    r.received_on.format("%d %b %Y"),
                    r.days_waiting,
                    if r.status.is_open() {
                        "waiting"
                    } else {
                        "to the decision"
                    }
                ),
                theme.normal,
            ),
            (format!("For: {}", r.person_name), theme.normal),
            (format!("From: {from}"), theme.normal),
            (format!("Services: {}", r.services.join(", ")), theme.normal),
            (
                format!(
                    "They know of the referral: {}; they agree to it: {}",
                    yes_no(d.person_knows),
                    yes_no(d.person_agrees)
                ),
                theme.normal,
            ),
            (String::new(), theme.normal),
            ("Notes".into(), theme.title),
            (d.notes.clone().unwrap_or_else(|| "(none)".into()), theme.normal),
            (String::new(), theme.normal),
            ("History".into(), theme.title),
        ];
        if d.events.is_empty() {
            out.push(("(no step recorded yet)".into(), theme.dim));
        }
        for e in &d.events {
            let mut line = format!("{}  {}", e.on.format("%d %b %Y"), e.status.label());
            if let Some(reason) = e.reason.as_deref().filter(|r| !r.is_empty()) {
                line.push_str(&format!(": {reason}"));
            }
            if let Some(by) = &e.by {
                line.push_str(&format!(" (by {by})"));
            }
            out.push((line, theme.normal));
        }
        out
    }

    fn is_open(&self) -> bool {
        self.detail.as_ref().is_ok_and(|d| d.row.status.is_open())
    }
}

impl Screen for ReferralScreen {
    fn context(&self) -> Context {
        Context::Referrals
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::Open, self.detail.is_ok()),
            Command::when(Action::AdvanceReferral, self.is_open()),
        ];
        out.extend(READER_MOVES.into_iter().map(Command::quiet));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        let Some(action) = listed_action(input, &self.commands()) else {
            return Handled::Ignored;
        };
        let cmd = match (action, &self.detail) {
            (Action::Open, Ok(d)) => Cmd::OpenPerson(d.row.person_id),
            (Action::AdvanceReferral, Ok(d)) => advance_popup(self.id, d.row.status, store.clock().today()),
            (a, _) => {
                self.reader.handle(a);
                Cmd::None
            }
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let title = match &self.detail {
            Ok(d) => format!("Referral: {}", d.row.person_name),
            Err(_) => "Referral".into(),
        };
        let paragraphs = self.paragraphs(ctx.theme);
        self.reader.render(&title, &paragraphs, area, buf, ctx.theme);
        None
    }

    fn title(&self) -> String {
        "Referral".into()
    }

    fn reload(&mut self, store: &Store) {
        self.detail = store.referral(self.id).map_err(|e| e.to_string());
    }
}
