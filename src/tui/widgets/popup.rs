//! Helpers for popups: a rectangle of a wanted size, centred in an area and never larger than
//! it; and word wrapping by display width, so a popup can size itself to its text.

use ratatui::layout::Rect;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A `width` x `height` rectangle centred in `area`, shrunk to fit inside it.
pub fn centered_rect(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A rectangle `percent_x` by `percent_y` of `area` (each capped at 100), centred in it.
pub fn centered_percent(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let scale = |len: u16, pct: u16| (u32::from(len) * u32::from(pct.min(100)) / 100) as u16;
    centered_rect(area, scale(area.width, percent_x), scale(area.height, percent_y))
}

/// Splits `text` into lines at most `width` cells wide, breaking at spaces where it can and
/// inside words only when a word is wider than a line. Newlines in `text` start new lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if width == 0 {
        return lines;
    }
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_w = word.width();
            let gap = usize::from(!line.is_empty());
            if line_w + gap + word_w <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += gap + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            for c in word.chars() {
                let w = c.width().unwrap_or(0);
                if line_w + w > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0;
                }
                line.push(c);
                line_w += w;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centres_a_smaller_rect() {
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(centered_rect(area, 40, 10), Rect::new(20, 7, 40, 10));
        let offset = Rect::new(10, 5, 20, 10);
        assert_eq!(centered_rect(offset, 10, 4), Rect::new(15, 8, 10, 4));
    }

    #[test]
    fn clamps_to_the_area() {
        let area = Rect::new(3, 2, 10, 5);
        assert_eq!(centered_rect(area, 100, 100), area);
        assert_eq!(centered_rect(area, 4, 100), Rect::new(6, 2, 4, 5));
        let empty = Rect::new(5, 5, 0, 0);
        assert_eq!(centered_rect(empty, 10, 10), Rect::new(5, 5, 0, 0));
        for w in 1..20 {
            for h in 1..20 {
                let r = centered_rect(area, w, h);
                assert_eq!(r.intersection(area), r);
            }
        }
    }

    #[test]
    fn wraps_at_spaces_and_breaks_long_words() {
        assert_eq!(
            wrap("Mark this callback done?", 10),
            vec!["Mark this", "callback", "done?"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one\ntwo", 10), vec!["one", "two"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert!(wrap("anything", 0).is_empty());
        assert_eq!(wrap("李李李", 4), vec!["李李", "李"]);
        for line in wrap("Remove the relationship between Ann Smith and John Smith?", 12) {
            assert!(line.width() <= 12, "{line}");
        }
    }

    #[test]
    fn percentages() {
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(centered_percent(area, 50, 50), Rect::new(20, 6, 40, 12));
        assert_eq!(centered_percent(area, 150, 100), area);
    }
}
