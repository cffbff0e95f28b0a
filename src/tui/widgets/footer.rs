//! The footer: one line of "key what-it-does" pairs at the bottom of the screen.
//!
//! The pairs come from [`Keymap::footer`](crate::tui::keymap::Keymap::footer), so the footer
//! always shows the keys that really work. Pairs that do not fit the width are left out whole
//! rather than cut in half; `?` help lists everything.

use crate::tui::terminal::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

const GAP: &str = "   ";

/// The footer line for `entries` in `width` cells: as many whole pairs as fit, in order. If
/// not even the first fits, it is shown cut to the width.
pub fn footer_line(entries: &[(String, &str)], width: u16, theme: &Theme) -> Line<'static> {
    let width = usize::from(width);
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, (key, description)) in entries.iter().enumerate() {
        let gap = if i == 0 { 0 } else { GAP.len() };
        let pair_w = key.width() + 1 + description.width();
        if used + gap + pair_w > width {
            if i == 0 {
                let mut line = Line::from(vec![
                    Span::styled(key.clone(), theme.key),
                    Span::styled(format!(" {description}"), theme.normal),
                ]);
                line.spans.truncate(2);
                return line;
            }
            break;
        }
        if gap > 0 {
            spans.push(Span::styled(GAP, theme.normal));
        }
        spans.push(Span::styled(key.clone(), theme.key));
        spans.push(Span::styled(format!(" {description}"), theme.normal));
        used += gap + pair_w;
    }
    Line::from(spans)
}

/// Draws the footer on the first line of `area`.
pub fn render_footer(entries: &[(String, &str)], area: Rect, buf: &mut Buffer, theme: &Theme) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    footer_line(entries, area.width, theme).render(Rect { height: 1, ..area }, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Context, Keymap};
    use crate::tui::widgets::test_util::{every_small_size, render};

    /// The text of a one-line screen without its quotes and trailing blanks.
    fn shown(screen: &str) -> &str {
        screen.trim_end().trim_matches('"').trim_end()
    }

    #[test]
    fn shows_whole_pairs_that_fit() {
        let km = Keymap::default();
        let entries = km.footer(Context::Home);
        let screen = render(80, 1, |area, buf| render_footer(&entries, area, buf, &Theme::plain()));
        assert_eq!(shown(&screen), "/ search   n new person   enter open   ? help   q quit");
        let screen = render(30, 1, |area, buf| render_footer(&entries, area, buf, &Theme::plain()));
        assert_eq!(shown(&screen), "/ search   n new person");
        let screen = render(5, 1, |area, buf| render_footer(&entries, area, buf, &Theme::plain()));
        assert_eq!(shown(&screen), "/ sea");
    }

    #[test]
    fn styles_keys() {
        let theme = Theme::colored();
        let line = footer_line(&[("q".to_string(), "quit")], 20, &theme);
        assert_eq!(line.spans[0].style, theme.key);
        assert_eq!(line.spans[0].content, "q");
        assert!(footer_line(&[], 20, &theme).spans.is_empty());
    }

    #[test]
    fn renders_at_every_small_size() {
        let km = Keymap::default();
        for &ctx in Context::ALL {
            let entries = km.footer(ctx);
            every_small_size(|area, buf| render_footer(&entries, area, buf, &Theme::colored()));
        }
    }
}
