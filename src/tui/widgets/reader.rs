//! A read-only page of text in a bordered box: each paragraph wraps to the width, the page
//! scrolls no further than its last line, and the bottom border says where the reader is
//! ("lines 12-31 of 58") whenever the text is longer than the box. Used for anything long
//! enough to be cut off: notices, a referral's notes and history.

use super::popup::wrap;
use crate::tui::keymap::Action;
use crate::tui::terminal::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// How far a page has scrolled. The page's length is only known when drawn, so scrolling is
/// clamped then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reader {
    pub scroll: usize,
    /// The furthest the last drawing could scroll (lines beyond the box).
    max_scroll: usize,
}

/// The movement keys a reader answers to.
pub const READER_MOVES: [Action; 6] = [
    Action::Down,
    Action::Up,
    Action::PageDown,
    Action::PageUp,
    Action::Top,
    Action::Bottom,
];

impl Reader {
    /// Moves for a movement action; false for any other action.
    pub fn handle(&mut self, action: Action) -> bool {
        let page = 10;
        self.scroll = match action {
            Action::Down => self.scroll.saturating_add(1),
            Action::Up => self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll.saturating_add(page),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => usize::MAX,
            _ => return false,
        };
        // Never past the end as last drawn (before the first drawing, nothing is shown).
        self.scroll = self.scroll.min(self.max_scroll);
        true
    }

    /// Draws `paragraphs` (text and its style; an empty text is a blank line) in a bordered
    /// box titled `title`.
    pub fn render(&mut self, title: &str, paragraphs: &[(String, Style)], area: Rect, buf: &mut Buffer, theme: &Theme) {
        let inner_width = area.width.saturating_sub(2) as usize;
        let lines: Vec<Line> = paragraphs
            .iter()
            .flat_map(|(text, style)| {
                // A paragraph's indent is kept on every line it wraps to.
                let body = text.trim_start_matches(' ');
                let indent = " ".repeat((text.len() - body.len()).min(inner_width / 2));
                let wrapped = wrap(body, inner_width.saturating_sub(indent.len()).max(1));
                let wrapped = if wrapped.is_empty() {
                    vec![String::new()]
                } else {
                    wrapped
                };
                wrapped
                    .into_iter()
                    .map(move |l| Line::styled(format!("{indent}{l}"), *style))
            })
            .collect();
        let rows = area.height.saturating_sub(2) as usize;
        self.max_scroll = lines.len().saturating_sub(rows);
        self.scroll = self.scroll.min(self.max_scroll);
        let mut block = Block::bordered().title(Span::styled(format!(" {title} "), theme.title));
        if self.max_scroll > 0 {
            let last = (self.scroll + rows).min(lines.len());
            block = block.title_bottom(
                Line::styled(
                    format!(" lines {}-{last} of {} ", self.scroll + 1, lines.len()),
                    theme.dim,
                )
                .right_aligned(),
            );
        }
        let inner = block.inner(area);
        block.render(area, buf);
        for (i, line) in lines.iter().skip(self.scroll).take(rows).enumerate() {
            buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::test_util::{every_small_size, render};

    fn page(n: usize) -> Vec<(String, Style)> {
        (1..=n).map(|i| (format!("line {i}"), Style::default())).collect()
    }

    #[test]
    fn scrolls_to_the_last_line_and_no_further_and_says_where_it_is() {
        let theme = Theme::plain();
        let mut reader = Reader::default();
        let text = page(30);
        render(30, 12, |area, buf| reader.render("Notes", &text, area, buf, &theme));
        assert!(reader.handle(Action::Bottom));
        let shown = render(30, 12, |area, buf| reader.render("Notes", &text, area, buf, &theme));
        assert!(shown.contains("line 30"), "{shown}");
        assert!(shown.contains("lines 21-30 of 30"), "{shown}");
        // Further down does nothing; one up shows the line before.
        reader.handle(Action::Down);
        reader.handle(Action::Up);
        let shown = render(30, 12, |area, buf| reader.render("Notes", &text, area, buf, &theme));
        assert!(shown.contains("lines 20-29 of 30"), "{shown}");
    }

    #[test]
    fn short_text_has_no_position_and_long_lines_wrap() {
        let theme = Theme::plain();
        let mut reader = Reader::default();
        let text = vec![(
            "a long note that has to wrap onto the next line".to_string(),
            Style::default(),
        )];
        let shown = render(24, 8, |area, buf| reader.render("Notes", &text, area, buf, &theme));
        assert!(!shown.contains("lines "), "{shown}");
        assert!(
            shown.contains("to wrap onto the next") && shown.contains("│line"),
            "{shown}"
        );
    }

    #[test]
    fn draws_at_every_small_size() {
        let theme = Theme::plain();
        let mut reader = Reader::default();
        let text = page(5);
        every_small_size(|area, buf| reader.render("Notes", &text, area, buf, &theme));
    }
}
