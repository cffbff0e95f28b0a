//! One key press ([`Key`]): normalising what a terminal sends, and reading and writing the way
//! `keys.toml` spells keys (`j`, `ctrl-s`, `shift-tab`, `f5`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// One key press as bound: a key code and the ctrl/alt/shift modifiers, normalised so that what
/// a terminal sends and what a user writes in `keys.toml` compare equal (`G` is `Char('G')`
/// without shift; `shift-tab` is `BackTab`; `ctrl-S` is `ctrl-s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub(super) code: KeyCode,
    pub(super) modifiers: KeyModifiers,
}

impl Key {
    /// The key as a terminal event (tests press keys this way).
    pub fn event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.modifiers)
    }

    /// A key with modifiers, normalised.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers = modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = code;
        match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            _ => {}
        }
        Key { code, modifiers }
    }

    /// A character typed on its own: `Key::char('j')`, `Key::char('G')`, `Key::char('?')`.
    pub fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Ctrl with a character: `Key::ctrl('s')`.
    pub fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// A key without modifiers: `Key::code(KeyCode::Enter)`.
    pub fn code(code: KeyCode) -> Key {
        Key::new(code, KeyModifiers::NONE)
    }

    /// The key of a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// The key code.
    pub fn key_code(self) -> KeyCode {
        self.code
    }

    /// The modifiers (only ctrl, alt and shift are kept).
    pub fn modifiers(self) -> KeyModifiers {
        self.modifiers
    }

    /// A character typed without ctrl or alt: in a text box it is text, not a command.
    pub fn is_printable(self) -> bool {
        matches!(self.code, KeyCode::Char(c) if !c.is_control())
            && !self.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    /// A key a text box uses to edit its text: it is never bound in text-entry contexts.
    pub fn is_text_editing(self) -> bool {
        let plain = self.modifiers.is_empty();
        match self.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End | KeyCode::Backspace | KeyCode::Delete => {
                plain
            }
            KeyCode::Char(c) if self.modifiers == KeyModifiers::CONTROL => {
                matches!(c, 'a' | 'e' | 'u' | 'w' | 'k')
            }
            _ => false,
        }
    }

    /// Whether a text box takes this key for itself (typing or editing).
    pub fn is_reserved_for_text(self) -> bool {
        self.is_printable() || self.is_text_editing()
    }

    /// Parses the `keys.toml` spelling: `j`, `G`, `?`, `ctrl-s`, `alt-x`, `shift-tab`, `enter`,
    /// `esc`, `space`, `up`, `pageup`, `f1`. Modifiers may also be joined with `+`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key::char(c));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty key".to_string());
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let found = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("ctrl+", KeyModifiers::CONTROL),
                ("control-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("alt+", KeyModifiers::ALT),
                ("meta-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
                ("shift+", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find(|(prefix, _)| lower.starts_with(prefix) && lower.len() > prefix.len());
            match found {
                Some((prefix, m)) => {
                    modifiers |= m;
                    rest = &rest[prefix.len()..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if modifiers.contains(KeyModifiers::SHIFT) {
                if !c.is_alphabetic() {
                    return Err(format!(
                        "\"{text}\": shift only goes with letters; write the character itself"
                    ));
                }
                modifiers.remove(KeyModifiers::SHIFT);
                let upper: Vec<char> = c.to_uppercase().collect();
                let c = if upper.len() == 1 { upper[0] } else { c };
                return Ok(Key::new(KeyCode::Char(c), modifiers));
            }
            return Ok(Key::new(KeyCode::Char(c), modifiers));
        }
        let name = rest.to_ascii_lowercase();
        let code = match name.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" | "page_up" => KeyCode::PageUp,
            "pagedown" | "pgdn" | "page_down" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "space" => KeyCode::Char(' '),
            "minus" => KeyCode::Char('-'),
            _ => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                _ => {
                    return Err(format!(
                        "\"{text}\" is not a key: write a character (\"j\", \"?\"), a name \
                         (\"enter\", \"esc\", \"tab\", \"up\", \"pageup\", \"f1\") or ctrl-/alt-/shift- \
                         with one of them"
                    ))
                }
            },
        };
        Ok(Key::new(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{}", format!("{other:?}").to_ascii_lowercase()),
        }
    }
}
