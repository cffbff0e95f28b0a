//! The screens and popups of the terminal interface, one file each: state, key handling and
//! drawing. Screens read the store through the session; drawing only reads state.

pub mod backup;
pub mod breaches;
pub mod complaints;
pub mod confirm;
pub mod dbs;
pub mod decisions;
pub mod disclosures;
pub mod donations;
pub mod due_item;
pub mod duplicates;
pub mod enquiries;
pub mod form_popup;
pub mod groups;
pub mod health;
pub mod holds;
pub mod home;
pub mod import;
pub mod import_check;
pub mod laptops;
pub mod link;
pub mod lists;
pub mod menu;
pub mod notices;
pub mod person;
pub mod person_form;
pub mod prompts;
pub mod recent;
pub mod referral;
pub mod referral_intake;
pub mod referrals;
pub mod requests;
pub mod retention;
pub mod search;
pub mod services;
pub mod setup;
pub mod undo;
pub mod unlock;

use crate::store::Store;
use crate::tui::screen::{DrawContext, Screen};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// The top-level screens, in number-key order (1, 2, 3...). Adding a top-level screen is one
/// new file implementing [`Screen`] and one line here.
pub fn top_level(store: &Store) -> Vec<Box<dyn Screen>> {
    vec![
        Box::new(home::HomeScreen::load(store)),
        Box::new(recent::RecentScreen::default()),
        Box::new(referrals::ReferralsScreen::load(store, Default::default())),
        Box::new(notices::NoticesScreen::load(store)),
        Box::new(requests::RequestsScreen::load(store, None)),
    ]
}

/// Truncates to `width` display columns, with an ellipsis when cut.
/// The date `months` after today, as a form's date field shows it (a review date to start
/// from).
/// An objection decision, as the request and the person screens show it.
pub fn objection_line(o: &crate::store::fulfil::ObjectionRow) -> String {
    format!(
        "Objection to {}: {} ({}){}",
        o.purpose.replace('_', " "),
        o.decision.label().to_lowercase(),
        o.decided_on.format("%d/%m/%Y"),
        o.reasons.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
    )
}

/// `s` with its first letter in capitals ("driving" -> "Driving").
pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn months_ahead(store: &Store, months: u32) -> String {
    let today = store.clock().today();
    today
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(today)
        .format("%d/%m/%Y")
        .to_string()
}

pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// A label and value line: "Label: value".
pub fn field_line(label: &str, value: &str, label_style: Style, value_style: Style) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), label_style),
        Span::styled(value.to_string(), value_style),
    ])
}

/// Rows that fit in `area` around `selected`: the first visible row index.
pub fn scroll_for(selected: usize, visible_rows: usize, current: usize) -> usize {
    if visible_rows == 0 {
        return 0;
    }
    if selected < current {
        selected
    } else if selected >= current + visible_rows {
        selected + 1 - visible_rows
    } else {
        current
    }
}

/// Draws one row of a list at `y`, highlighted when selected.
pub fn draw_row(
    buf: &mut ratatui::buffer::Buffer,
    x: u16,
    y: u16,
    width: u16,
    line: &Line<'_>,
    selected: bool,
    theme: &crate::tui::terminal::Theme,
) {
    let style = if selected { theme.selected } else { Style::default() };
    buf.set_style(Rect { x, y, width, height: 1 }, style);
    buf.set_line(x, y, line, width);
}

/// The inner height of a bordered block.
pub fn inner_height(area: Rect) -> usize {
    area.height.saturating_sub(2) as usize
}

/// What a list shows: its title, its lines, and what to say when there are none.
pub struct Listing<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    pub empty: &'a str,
}

/// Draws a listing as a selectable list in a bordered box, keeping `selected` in view.
pub fn draw_list(
    area: Rect,
    buf: &mut Buffer,
    ctx: &DrawContext<'_>,
    list: &Listing<'_>,
    selected: usize,
    scroll: &mut usize,
) {
    let Listing { title, lines, empty } = *list;
    let theme = ctx.theme;
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    if lines.is_empty() {
        Line::styled(empty.to_string(), theme.dim).render(inner, buf);
        return;
    }
    let rows = inner.height as usize;
    *scroll = scroll_for(selected, rows, *scroll);
    for (i, text) in lines.iter().enumerate().skip(*scroll).take(rows) {
        let y = inner.y + (i - *scroll) as u16;
        let line = Line::raw(fit(text, inner.width as usize));
        draw_row(buf, inner.x, y, inner.width, &line, i == selected, theme);
    }
}
