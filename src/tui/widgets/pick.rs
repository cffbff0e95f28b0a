//! A picker for a closed set where several values may be chosen (services, categories, request
//! kinds): every option is shown by its human label with a tick box, typing filters the list,
//! left/right move between the options shown, space ticks or unticks. The form shows the whole
//! list, wrapped, while the field has focus, so the valid values are always in view.

use crate::tui::terminal::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// What separates the chosen labels in [`Pick::value`].
pub const SEPARATOR: &str = ", ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    options: Vec<String>,
    chosen: Vec<bool>,
    /// The option the cursor is on (an index into `options`).
    cursor: usize,
    /// What has been typed to narrow the list.
    filter: String,
}

/// What a key did to a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickResult {
    /// The ticks changed.
    Changed,
    /// The cursor or the filter moved; the value is the same.
    Moved,
    Ignored,
}

impl Pick {
    /// A picker over `options` with those in `chosen` ticked (matched ignoring case).
    pub fn new(options: &[&str], chosen: &[&str]) -> Pick {
        let ticked = options
            .iter()
            .map(|o| chosen.iter().any(|c| c.trim().eq_ignore_ascii_case(o)))
            .collect();
        Pick {
            options: options.iter().map(|o| o.to_string()).collect(),
            chosen: ticked,
            cursor: 0,
            filter: String::new(),
        }
    }

    /// The ticked labels, in option order, joined by [`SEPARATOR`].
    pub fn value(&self) -> String {
        self.chosen_labels().join(SEPARATOR)
    }

    pub fn chosen_labels(&self) -> Vec<&str> {
        self.options
            .iter()
            .zip(&self.chosen)
            .filter(|(_, c)| **c)
            .map(|(o, _)| o.as_str())
            .collect()
    }

    /// The indexes of the options the filter lets through.
    fn shown(&self) -> Vec<usize> {
        let f = self.filter.to_lowercase();
        (0..self.options.len())
            .filter(|&i| self.options[i].to_lowercase().contains(&f))
            .collect()
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> PickResult {
        let shown = self.shown();
        let pos = shown.iter().position(|&i| i == self.cursor);
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(' ') => match pos {
                Some(_) => {
                    self.chosen[self.cursor] = !self.chosen[self.cursor];
                    PickResult::Changed
                }
                None => PickResult::Ignored,
            },
            KeyCode::Right if !shown.is_empty() => {
                self.cursor = shown[pos.map_or(0, |p| (p + 1) % shown.len())];
                PickResult::Moved
            }
            KeyCode::Left if !shown.is_empty() => {
                self.cursor = shown[pos.map_or(0, |p| (p + shown.len() - 1) % shown.len())];
                PickResult::Moved
            }
            KeyCode::Backspace if !self.filter.is_empty() => {
                self.filter.pop();
                self.follow_filter();
                PickResult::Moved
            }
            KeyCode::Char(c) if plain => {
                self.filter.push(c);
                if self.shown().is_empty() {
                    // Nothing matches: the letter is not taken, so the list never empties.
                    self.filter.pop();
                    return PickResult::Ignored;
                }
                self.follow_filter();
                PickResult::Moved
            }
            _ => PickResult::Ignored,
        }
    }

    /// Keeps the cursor on an option the filter shows.
    fn follow_filter(&mut self) {
        let shown = self.shown();
        if !shown.contains(&self.cursor) {
            if let Some(&first) = shown.first() {
                self.cursor = first;
            }
        }
    }

    /// The picker's lines while it has focus, `width` cells wide: a line saying how to use it
    /// (with the filter typed so far), then the options shown, wrapped.
    pub fn lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let head = if self.filter.is_empty() {
            Line::styled("type to filter, left/right to move, space to tick", theme.dim)
        } else {
            Line::from(vec![
                Span::styled("showing ", theme.dim),
                Span::styled(format!("\"{}\"", self.filter), theme.normal),
                Span::styled(" (backspace widens)", theme.dim),
            ])
        };
        let mut out = vec![head];
        let options = self.shown().into_iter().map(|i| {
            let text = format!("[{}] {}", if self.chosen[i] { "x" } else { " " }, self.options[i]);
            (text, i == self.cursor)
        });
        out.extend(wrap_options(options, width, theme));
        out
    }

    /// How many lines [`Pick::lines`] takes at `width`.
    pub fn height(&self, width: usize) -> usize {
        self.lines(width, &Theme::plain()).len()
    }
}

/// Options laid out in lines `width` cells wide, two spaces apart, the one under the cursor
/// (`true`) highlighted: how pickers and choice fields show every valid value at once.
pub fn wrap_options(
    options: impl IntoIterator<Item = (String, bool)>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (text, under_cursor) in options {
        let w = text.width() + 2;
        if used > 0 && used + w > width {
            out.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        let style = if under_cursor { theme.selected } else { theme.normal };
        line.push(Span::styled(text, style));
        line.push(Span::raw("  "));
        used += w;
    }
    if !line.is_empty() {
        out.push(Line::from(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(p: &mut Pick, code: KeyCode) -> PickResult {
        p.handle_key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(p: &mut Pick, text: &str) {
        for c in text.chars() {
            press(p, KeyCode::Char(c));
        }
    }

    const SERVICES: [&str; 5] = ["Driving", "Befriending", "Shopping", "Gardening", "Prescriptions"];

    #[test]
    fn typing_filters_and_space_ticks_the_option_under_the_cursor() {
        let mut p = Pick::new(&SERVICES, &[]);
        typed(&mut p, "sh");
        assert_eq!(press(&mut p, KeyCode::Char(' ')), PickResult::Changed);
        assert_eq!(p.value(), "Shopping");
        // Widen the filter again and tick another.
        press(&mut p, KeyCode::Backspace);
        press(&mut p, KeyCode::Backspace);
        typed(&mut p, "dr");
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(p.value(), "Driving, Shopping", "in option order");
        // Space again unticks.
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(p.value(), "Shopping");
    }

    #[test]
    fn a_letter_that_matches_nothing_is_not_taken() {
        let mut p = Pick::new(&SERVICES, &[]);
        assert_eq!(press(&mut p, KeyCode::Char('z')), PickResult::Ignored);
        assert_eq!(p.shown().len(), SERVICES.len());
    }

    #[test]
    fn left_and_right_move_among_the_shown_options_only() {
        let mut p = Pick::new(&SERVICES, &["driving"]);
        assert_eq!(p.value(), "Driving", "chosen is matched ignoring case");
        typed(&mut p, "ing");
        let shown = p.shown();
        for _ in 0..7 {
            press(&mut p, KeyCode::Right);
            assert!(shown.contains(&p.cursor));
        }
        press(&mut p, KeyCode::Left);
        assert!(shown.contains(&p.cursor));
    }

    #[test]
    fn every_option_is_shown_at_80_columns() {
        let p = Pick::new(&SERVICES, &[]);
        let text: String = p
            .lines(50, &Theme::plain())
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        for s in SERVICES {
            assert!(text.contains(s), "{text}");
        }
        assert!(p.height(50) >= 3, "wrapped onto more than one line");
    }
}
