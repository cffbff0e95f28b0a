//! Drawing the whole frame from the application's state: header, the focused screen, popups,
//! the status line and the footer generated from the focused screen's commands. Pure: it reads state and never
//! touches the database.

use super::app::{App, Phase, Session};
use super::keymap::Action;
use super::screen::DrawContext;
use super::widgets::footer::render_footer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::Frame;

/// The smallest window dutydesk draws into.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(app: &mut App, frame: &mut Frame<'_>) {
    draw_screen(app, frame);
    scrub_control_characters(frame.buffer_mut());
}

/// Replaces any control character (ESC, BEL, CR...) that reached a cell, from typed input or
/// from a record, with `?`: nothing drawn can move the cursor, ring the bell or rewrite the
/// screen.
pub fn scrub_control_characters(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if cell.symbol().chars().any(char::is_control) {
            let clean: String = cell
                .symbol()
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            cell.set_symbol(&clean);
        }
    }
}

/// The footer of the unlock and lock screens, which are not screens of the contract: the keys
/// they really answer to.
fn sign_in_footer(keymap: &super::keymap::Keymap) -> Vec<(String, &'static str)> {
    let key = |a: Action| {
        keymap
            .keys_for(super::keymap::Context::Form, a)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    vec![
        (key(Action::Open), "sign in"),
        (key(Action::NextField), "next field"),
        (key(Action::Back), "twice to quit"),
    ]
}

/// A role in a few letters, for the header where the full label leaves no room for the
/// screens' names.
/// The role in a word, for a narrow header: the first word of the profile's own label for it,
/// or a short form of the built-in one.
fn short_role(profile: &crate::profile::Profile, role: crate::domain::Role) -> &str {
    use crate::domain::Role::*;
    let label = profile.role_label(role);
    if label != role.label() {
        return label.split_whitespace().next().unwrap_or(label);
    }
    match role {
        DutyOfficer => "Duty",
        SectionLeader => "Leader",
        Trustee => "Trustee",
        MembershipSecretary => "Membership",
        DbsOfficer => "DBS",
        DataProtectionLead => "DP lead",
    }
}

/// The header: the screens by number, and who is signed in with their role, always (the rota
/// laptop changes hands). Where the width is short, the name "dutydesk" goes first, then the
/// padding between titles, then the titles of the screens not shown shrink to their numbers.
fn header_line(
    titles: &[String],
    shown: Option<usize>,
    (who, who_short, own_words): (&str, &str, bool),
    width: usize,
    theme: &super::terminal::Theme,
) -> Line<'static> {
    // (the name dutydesk, padding around each title, titles of screens not shown, the role
    // in full): the screens' names go last, after the role has shortened; a role the profile
    // names in its own words keeps them, and the screens' names go first (its first word alone
    // may say nothing: "Group" for "Group facilitator").
    let tiers: &[(bool, bool, bool, bool)] = if own_words {
        &[
            (true, true, true, true),
            (false, true, true, true),
            (false, false, true, true),
            (false, false, false, true),
            (false, false, false, false),
        ]
    } else {
        &[
            (true, true, true, true),
            (false, true, true, true),
            (false, false, true, true),
            (false, false, true, false),
            (false, false, false, false),
        ]
    };
    for (n, &(brand, padded, all_titles, full)) in tiers.iter().enumerate() {
        let who = if full { who } else { who_short };
        let who_w = who.chars().count();
        let mut spans = Vec::new();
        if brand {
            spans.push(Span::styled(" dutydesk ", theme.title));
        } else {
            spans.push(Span::raw(" "));
        }
        for (i, title) in titles.iter().enumerate() {
            let style = if Some(i) == shown { theme.selected } else { theme.dim };
            let label = if all_titles || Some(i) == shown {
                format!("{} {}", i + 1, title)
            } else {
                format!("{}", i + 1)
            };
            spans.push(Span::styled(if padded { format!(" {label} ") } else { label }, style));
            if !padded && i + 1 < titles.len() {
                spans.push(Span::raw(" "));
            }
        }
        let used: usize = spans.iter().map(|s| s.width()).sum();
        // At least two spaces between the screens and the user.
        if used + 2 + who_w <= width || n == tiers.len() - 1 {
            let room = width.saturating_sub(used);
            if room > who_w {
                spans.push(Span::raw(" ".repeat(room - who_w)));
                spans.push(Span::styled(who.to_string(), theme.title));
            }
            return Line::from(spans);
        }
    }
    Line::default()
}

/// The most lines a status message takes above the footer.
const MAX_STATUS_LINES: usize = 3;

fn draw_screen(app: &mut App, frame: &mut Frame<'_>) {
    let area = frame.area();
    let theme = app.theme;
    app.too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    if app.too_small {
        let msg = format!("Window too small: make it at least {MIN_WIDTH} columns by {MIN_HEIGHT} lines.");
        Paragraph::new(Line::styled(msg, theme.error))
            .wrap(Wrap { trim: true })
            .render(area, frame.buffer_mut());
        return;
    }
    let header = Rect { height: 1, ..area };
    let footer = Rect {
        y: area.y + area.height - 1,
        height: 1,
        ..area
    };
    // A long message takes up to three lines, so the part saying what to do is never cut.
    let status_lines: Vec<String> = match &app.status {
        Some(s) => {
            let mut lines = super::widgets::popup::wrap(&s.text, usize::from(area.width));
            if lines.len() > MAX_STATUS_LINES {
                let last = lines[MAX_STATUS_LINES - 1].clone() + " " + &lines[MAX_STATUS_LINES..].join(" ");
                lines.truncate(MAX_STATUS_LINES - 1);
                lines.push(super::screens::fit(&last, usize::from(area.width)));
            }
            lines
        }
        None => Vec::new(),
    };
    let status_height = status_lines.len().clamp(1, MAX_STATUS_LINES) as u16;
    let status = Rect {
        y: area.y + area.height - 1 - status_height,
        height: status_height,
        ..area
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2 - status_height,
        ..area
    };
    let ctx = app.context();
    let folder = app.folder_label.clone();
    let buf = frame.buffer_mut();
    let cursor: Option<Position>;

    match &mut app.phase {
        Phase::Setup(s) => {
            buf.set_line(
                header.x,
                header.y,
                &Line::styled(" dutydesk · first run", theme.title),
                header.width,
            );
            cursor = s.render(body, buf, &theme);
        }
        Phase::Unlock(s) => {
            buf.set_line(
                header.x,
                header.y,
                &Line::styled(" dutydesk · unlock", theme.title),
                header.width,
            );
            cursor = s.render(body, buf, &theme, &folder, &app.keymap);
        }
        Phase::Ready(session) => {
            if let Some(lock) = &mut session.locked {
                // Nothing personal is drawn while locked: only the lock screen.
                buf.set_line(
                    header.x,
                    header.y,
                    &Line::styled(" dutydesk · locked", theme.title),
                    header.width,
                );
                cursor = lock.render(body, buf, &theme, &folder, &app.keymap);
            } else {
                let actor = session.store.actor();
                let titles: Vec<String> = session.tabs.iter().map(|t| t.title()).collect();
                let shown = (session.views.is_empty()).then_some(session.tab);
                let profile = session.store.profile();
                let who = format!("{} · {}", actor.login, profile.role_label(actor.role));
                let who_short = format!("{} · {}", actor.login, short_role(profile, actor.role));
                let own_words = profile.role_label(actor.role) != actor.role.label();
                let line = header_line(
                    &titles,
                    shown,
                    (&who, &who_short, own_words),
                    header.width as usize,
                    &theme,
                );
                buf.set_line(header.x, header.y, &line, header.width);
                let Session {
                    store,
                    tabs,
                    tab,
                    views,
                    popups,
                    ..
                } = &mut **session;
                let ctx = DrawContext {
                    theme: &theme,
                    keymap: &app.keymap,
                    today: store.clock().today(),
                    now: store.clock().now(),
                    calendar: store.calendar(),
                };
                let below = match views.last_mut() {
                    Some(v) => v.draw(body, buf, &ctx),
                    None => tabs[*tab].draw(body, buf, &ctx),
                };
                cursor = match popups.last_mut() {
                    Some(popup) => popup.draw(body, buf, &ctx),
                    None => below,
                };
            }
        }
    }
    if let Some(s) = &app.status {
        let style = if s.error { theme.error } else { theme.ok };
        for (i, text) in status_lines.iter().enumerate() {
            buf.set_line(
                status.x,
                status.y + i as u16,
                &Line::styled(text.clone(), style),
                status.width,
            );
        }
    }
    let entries = match &app.phase {
        Phase::Ready(session) if session.locked.is_none() => session.footer(&app.keymap, footer.width as usize),
        Phase::Ready(_) | Phase::Unlock(_) => sign_in_footer(&app.keymap),
        Phase::Setup(_) => app
            .keymap
            .footer(ctx)
            .into_iter()
            .filter(|(_, label)| *label != Action::Help.short())
            .collect(),
    };
    render_footer(&entries, footer, buf, &theme);
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    #[test]
    fn no_control_character_reaches_the_screen() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        // ratatui copies a symbol into a cell as it is: ESC, BEL and CR would reach the terminal.
        buf.set_string(0, 0, "ab", ratatui::style::Style::default());
        buf[(2, 0)].set_symbol("\u{1b}");
        buf[(3, 0)].set_symbol("\u{7}");
        buf[(4, 0)].set_symbol("\r");
        scrub_control_characters(&mut buf);
        let row: String = (0..6).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(row, "ab??? ");
    }
}
