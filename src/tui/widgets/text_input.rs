//! A single-line text input with a cursor.
//!
//! Editing: typing inserts at the cursor; backspace/delete; left/right; home/end (also ctrl-a,
//! ctrl-e); ctrl-u clears to the start, ctrl-k to the end, ctrl-w (or alt-backspace) deletes the
//! word before the cursor. Text is edited by `char` (a Unicode scalar value) and measured in
//! terminal cells, so accented names and wide characters stay intact and line up. A maximum
//! length counts chars. A masked input (passphrases) shows `•` per character and wipes its text
//! from memory when dropped. When the text is wider than the box it scrolls sideways to keep the
//! cursor in view.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use unicode_width::UnicodeWidthChar;
use zeroize::Zeroize;

/// The character shown for each character of a masked input.
pub const MASK: char = '•';

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputResult {
    /// The text changed (run validation).
    Changed,
    /// Only the cursor moved.
    Moved,
    /// The key was not for the input, or did nothing (e.g. the input is full).
    Ignored,
}

/// A single-line input box's state. Its `Debug` output never shows the text (it may be a
/// passphrase or a person's details, and debug output can end up in a log).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// The cursor, in chars from the start (0..=char count).
    cursor: usize,
    max_chars: Option<usize>,
    masked: bool,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextInput")
            .field("chars", &self.len_chars())
            .field("cursor", &self.cursor)
            .field("max_chars", &self.max_chars)
            .field("masked", &self.masked)
            .finish_non_exhaustive()
    }
}

impl Drop for TextInput {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

fn width_of(c: char) -> usize {
    c.width().unwrap_or(0)
}

impl TextInput {
    /// An empty input.
    pub fn new() -> TextInput {
        TextInput::default()
    }

    /// An input holding `value`, with the cursor at the end.
    pub fn with_value(value: &str) -> TextInput {
        let mut input = TextInput::new();
        input.set_value(value);
        input
    }

    /// Limits the text to `max` chars (cutting the current text if longer).
    pub fn max_chars(mut self, max: usize) -> TextInput {
        self.max_chars = Some(max);
        let current = self.value.clone();
        self.set_value(&current);
        self
    }

    /// Shows `•` instead of the characters (for passphrases).
    pub fn masked(mut self) -> TextInput {
        self.masked = true;
        // Room up front, so typing does not reallocate and leave copies of the text behind.
        self.value.reserve(self.max_chars.unwrap_or(256) * 4);
        self
    }

    /// The text.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the input shows `•` for its characters.
    pub fn is_masked(&self) -> bool {
        self.masked
    }

    /// The cursor position in chars.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The length in chars.
    pub fn len_chars(&self) -> usize {
        self.value.chars().count()
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Replaces the text (cut to the maximum length, control characters dropped) and puts the
    /// cursor at the end.
    pub fn set_value(&mut self, value: &str) {
        let mut v = std::mem::take(&mut self.value);
        v.zeroize();
        v.clear();
        let limit = self.max_chars.unwrap_or(usize::MAX);
        v.extend(value.chars().filter(|c| !c.is_control()).take(limit));
        self.value = v;
        self.cursor = self.len_chars();
    }

    /// Empties the input.
    pub fn clear(&mut self) {
        self.value.zeroize();
        self.value.clear();
        self.cursor = 0;
    }

    fn byte_index(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map(|(b, _)| b)
            .unwrap_or(self.value.len())
    }

    /// Inserts a character at the cursor. False when it is a control character or the input is
    /// full.
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() || self.max_chars.is_some_and(|m| self.len_chars() >= m) {
            return false;
        }
        let at = self.byte_index(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        true
    }

    /// Inserts text at the cursor (as much as fits). True when anything was inserted.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let mut any = false;
        for c in text.chars() {
            any |= self.insert(c);
        }
        any
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        let at = self.byte_index(self.cursor);
        self.value.remove(at);
        true
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.len_chars() {
            return false;
        }
        let at = self.byte_index(self.cursor);
        self.value.remove(at);
        true
    }

    /// Moves the cursor one character left.
    pub fn left(&mut self) -> bool {
        let moved = self.cursor > 0;
        self.cursor = self.cursor.saturating_sub(1);
        moved
    }

    /// Moves the cursor one character right.
    pub fn right(&mut self) -> bool {
        let moved = self.cursor < self.len_chars();
        if moved {
            self.cursor += 1;
        }
        moved
    }

    /// Moves the cursor to the start.
    pub fn home(&mut self) -> bool {
        let moved = self.cursor != 0;
        self.cursor = 0;
        moved
    }

    /// Moves the cursor to the end.
    pub fn end(&mut self) -> bool {
        let len = self.len_chars();
        let moved = self.cursor != len;
        self.cursor = len;
        moved
    }

    /// Deletes everything before the cursor.
    pub fn delete_to_start(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        let at = self.byte_index(self.cursor);
        self.value.replace_range(..at, "");
        self.cursor = 0;
        true
    }

    /// Deletes everything from the cursor to the end.
    pub fn delete_to_end(&mut self) -> bool {
        let at = self.byte_index(self.cursor);
        if at == self.value.len() {
            return false;
        }
        self.value.truncate(at);
        true
    }

    /// Deletes the word before the cursor (and the spaces between it and the cursor).
    pub fn delete_word_before(&mut self) -> bool {
        let chars: Vec<char> = self.value.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        if start == self.cursor {
            return false;
        }
        let from = self.byte_index(start);
        let to = self.byte_index(self.cursor);
        self.value.replace_range(from..to, "");
        self.cursor = start;
        true
    }

    /// Applies an editing key. Keys that are not editing keys are [`InputResult::Ignored`], so
    /// the caller can pass them on.
    pub fn handle_key(&mut self, key: &KeyEvent) -> InputResult {
        if key.kind == KeyEventKind::Release {
            return InputResult::Ignored;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let (changed, moved) = match key.code {
            KeyCode::Char(c) if !ctrl && !alt => (self.insert(c), false),
            KeyCode::Char('h') if ctrl => (self.backspace(), false),
            KeyCode::Char('u') if ctrl => (self.delete_to_start(), false),
            KeyCode::Char('k') if ctrl => (self.delete_to_end(), false),
            KeyCode::Char('w') if ctrl => (self.delete_word_before(), false),
            KeyCode::Char('a') if ctrl => (false, self.home()),
            KeyCode::Char('e') if ctrl => (false, self.end()),
            KeyCode::Backspace if ctrl || alt => (self.delete_word_before(), false),
            KeyCode::Backspace => (self.backspace(), false),
            KeyCode::Delete => (self.delete(), false),
            KeyCode::Left => (false, self.left()),
            KeyCode::Right => (false, self.right()),
            KeyCode::Home => (false, self.home()),
            KeyCode::End => (false, self.end()),
            _ => (false, false),
        };
        if changed {
            InputResult::Changed
        } else if moved {
            InputResult::Moved
        } else {
            InputResult::Ignored
        }
    }

    /// The characters as shown.
    fn shown(&self) -> Vec<char> {
        if self.masked {
            vec![MASK; self.len_chars()]
        } else {
            self.value.chars().collect()
        }
    }

    /// The first shown char when drawing in `width` cells: 0 when unfocused, else as little
    /// scrolling as keeps the cursor (and a cell for it) in view.
    fn first_visible(&self, shown: &[char], width: usize, focused: bool) -> usize {
        if !focused || width == 0 {
            return 0;
        }
        let cursor = self.cursor.min(shown.len());
        let mut first = cursor;
        let mut used = 1; // the cursor's own cell
        while first > 0 {
            let w = width_of(shown[first - 1]);
            if used + w > width {
                break;
            }
            used += w;
            first -= 1;
        }
        first
    }

    /// Draws the text in the first line of `area` with `style`, and returns where the terminal
    /// cursor belongs when `focused` (None when unfocused or the area is empty).
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style, focused: bool) -> Option<Position> {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return None;
        }
        let width = usize::from(area.width);
        buf.set_style(Rect { height: 1, ..area }, style);
        let shown = self.shown();
        let first = self.first_visible(&shown, width, focused);
        let mut x = 0usize;
        let mut cursor_x = None;
        for (i, &c) in shown.iter().enumerate().skip(first) {
            if i == self.cursor {
                cursor_x = Some(x);
            }
            let w = width_of(c);
            if x + w > width {
                break;
            }
            if w > 0 {
                let mut tmp = [0u8; 4];
                buf.set_stringn(area.x + x as u16, area.y, &*c.encode_utf8(&mut tmp), w, style);
            }
            x += w;
        }
        if self.cursor >= shown.len() {
            cursor_x = Some(x);
        }
        if !focused {
            return None;
        }
        let cx = cursor_x.unwrap_or(0).min(width - 1);
        Some(Position::new(area.x + cx as u16, area.y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::test_util::{every_small_size, render};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }
    fn type_text(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            input.handle_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn typing_and_moving() {
        let mut t = TextInput::new();
        type_text(&mut t, "Smth");
        assert_eq!(t.value(), "Smth");
        t.handle_key(&key(KeyCode::Left));
        t.handle_key(&key(KeyCode::Left));
        assert_eq!(t.handle_key(&key(KeyCode::Char('i'))), InputResult::Changed);
        assert_eq!(t.value(), "Smith");
        assert_eq!(t.cursor(), 3);
        assert_eq!(t.handle_key(&key(KeyCode::Home)), InputResult::Moved);
        assert_eq!(t.handle_key(&key(KeyCode::Home)), InputResult::Ignored);
        t.handle_key(&key(KeyCode::Delete));
        assert_eq!(t.value(), "mith");
        t.handle_key(&key(KeyCode::End));
        t.handle_key(&key(KeyCode::Backspace));
        assert_eq!(t.value(), "mit");
        assert_eq!(t.handle_key(&key(KeyCode::Right)), InputResult::Ignored);
        assert_eq!(t.handle_key(&key(KeyCode::Enter)), InputResult::Ignored);
        assert_eq!(t.handle_key(&key(KeyCode::Tab)), InputResult::Ignored);
    }

    #[test]
    fn shifted_capitals_are_typed() {
        let mut t = TextInput::new();
        t.handle_key(&KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT));
        assert_eq!(t.value(), "A");
        assert_eq!(t.handle_key(&ctrl('s')), InputResult::Ignored);
        assert_eq!(t.value(), "A");
    }

    #[test]
    fn unicode_is_edited_by_character() {
        let mut t = TextInput::with_value("Zoë Ó Briain 李");
        assert_eq!(t.len_chars(), 14);
        t.handle_key(&key(KeyCode::Backspace));
        assert_eq!(t.value(), "Zoë Ó Briain ");
        t.handle_key(&key(KeyCode::Home));
        t.handle_key(&key(KeyCode::Right));
        t.handle_key(&key(KeyCode::Right));
        t.handle_key(&key(KeyCode::Delete));
        assert_eq!(t.value(), "Zo Ó Briain ");
        t.insert('é');
        assert_eq!(t.value(), "Zoé Ó Briain ");
    }

    #[test]
    fn ctrl_keys_edit() {
        let mut t = TextInput::with_value("Mrs  Jane Smith");
        t.handle_key(&ctrl('w'));
        assert_eq!(t.value(), "Mrs  Jane ");
        t.handle_key(&ctrl('w'));
        assert_eq!(t.value(), "Mrs  ");
        t.handle_key(&ctrl('a'));
        t.handle_key(&key(KeyCode::Right));
        t.handle_key(&ctrl('k'));
        assert_eq!(t.value(), "M");
        t.handle_key(&ctrl('e'));
        type_text(&mut t, "r Smith");
        t.handle_key(&key(KeyCode::Left));
        t.handle_key(&ctrl('u'));
        assert_eq!(t.value(), "h");
        assert_eq!(t.cursor(), 0);
        assert_eq!(t.handle_key(&ctrl('u')), InputResult::Ignored);
        assert_eq!(t.handle_key(&ctrl('w')), InputResult::Ignored);
        t.handle_key(&ctrl('e'));
        t.handle_key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT));
        assert_eq!(t.value(), "");
    }

    #[test]
    fn max_length_counts_chars() {
        let mut t = TextInput::new().max_chars(3);
        type_text(&mut t, "ééé");
        assert_eq!(t.handle_key(&key(KeyCode::Char('x'))), InputResult::Ignored);
        assert_eq!(t.value(), "ééé");
        let t = TextInput::with_value("abcdef").max_chars(4);
        assert_eq!(t.value(), "abcd");
        assert_eq!(t.cursor(), 4);
    }

    #[test]
    fn control_characters_are_not_text() {
        let mut t = TextInput::new();
        assert!(!t.insert('\n'));
        assert!(!t.insert('\u{1b}'));
        t.set_value("a\tb\nc");
        assert_eq!(t.value(), "abc");
    }

    #[test]
    fn debug_output_hides_the_text() {
        let t = TextInput::with_value("Margaret Jones");
        let shown = format!("{t:?}");
        assert!(!shown.contains("Margaret"), "{shown}");
        assert!(shown.contains("chars: 14"), "{shown}");
    }

    #[test]
    fn masked_shows_dots() {
        let mut t = TextInput::new().masked();
        type_text(&mut t, "sécret");
        assert_eq!(t.value(), "sécret");
        let screen = render(10, 1, |area, buf| {
            t.render(area, buf, Style::new(), true);
        });
        assert_eq!(screen, "\"••••••    \"\n");
        assert!(!screen.contains('s'));
    }

    #[test]
    fn scrolls_to_keep_the_cursor_in_view() {
        let t = TextInput::with_value("0123456789abcdef");
        let mut cursor = None;
        let screen = render(6, 1, |area, buf| {
            cursor = t.render(area, buf, Style::new(), true);
        });
        // The cursor is at the end: the last five chars and a cell for the cursor.
        assert_eq!(screen, "\"bcdef \"\n");
        assert_eq!(cursor, Some(Position::new(5, 0)));
        // Unfocused, the start shows.
        let screen = render(6, 1, |area, buf| {
            assert_eq!(t.render(area, buf, Style::new(), false), None);
        });
        assert_eq!(screen, "\"012345\"\n");
        // At the start, the start shows with the cursor on it.
        let mut t = t;
        t.home();
        let screen = render(6, 1, |area, buf| {
            cursor = t.render(area, buf, Style::new(), true);
        });
        assert_eq!(screen, "\"012345\"\n");
        assert_eq!(cursor, Some(Position::new(0, 0)));
    }

    #[test]
    fn wide_characters_never_split() {
        let t = TextInput::with_value("李李李");
        let screen = render(5, 1, |area, buf| {
            t.render(area, buf, Style::new(), true);
        });
        // Two wide chars (4 cells) plus the cursor cell.
        assert!(screen.starts_with("\"李李"), "{screen}");
        let screen = render(3, 1, |area, buf| {
            t.render(area, buf, Style::new(), false);
        });
        assert!(screen.starts_with("\"李"), "{screen}");
    }

    #[test]
    fn renders_at_every_small_size() {
        let mut t = TextInput::with_value("Hello wide 李 world");
        for cursor in [0, 5, 12, 18] {
            t.home();
            for _ in 0..cursor {
                t.right();
            }
            every_small_size(|area, buf| {
                if let Some(pos) = t.render(area, buf, Style::new(), true) {
                    assert!(area.contains(pos), "{pos:?} outside {area:?}");
                }
            });
        }
    }
}
