//! The one place keys are bound.
//!
//! Every key the TUI reacts to is an [`Action`] bound in a [`Context`]. Screens ask
//! [`Keymap::lookup`] what a key means and never match on raw keys themselves (text editing
//! inside an input box is the one exception: in text-entry contexts printable characters and the
//! editing keys are never bound, so they reach the input). The footer ([`Keymap::footer`]) and
//! the `?` help ([`Keymap::help`]) are generated from the same bindings, so what the screen says
//! and what the keys do cannot drift apart (the gitui model).
//!
//! Users may override bindings in a small TOML file (conventionally `keys.toml`):
//!
//! ```toml
//! [person]
//! edit = "E"
//! [global]
//! quit = ["q", "ctrl-q"]
//! ```
//!
//! A binding in a file replaces the default keys of that action in that context. Screens that
//! inherit the global bindings (every context but the popups) also answer to the global keys of
//! an action. Problems are reported with the line to fix ([`KeymapError`]).
//!
//! Safety rules, checked for defaults and overrides alike: a key may mean one thing per context
//! (counting the global keys it inherits); `d` is never bound to a destructive action; a plain
//! single key may be bound to a destructive action only when that action asks for confirmation.

mod actions;
mod context;
mod defaults;
mod file;
mod keys;

pub use actions::Action;
pub use context::Context;
pub use keys::Key;

use defaults::footer_actions;
#[cfg(test)]
use ratatui::crossterm::event::KeyModifiers;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::fmt;

/// A problem in a key bindings file, with the line to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KeymapError {
    /// The file's name as shown to the user (`keys.toml` unless loaded from another name).
    pub file: String,
    /// The 1-based line of the problem; 0 when it is about the whole file.
    pub line: usize,
    /// What is wrong, in words the user can act on.
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        }
    }
}

/// An action's keys in one context, and the file line that set them (0: the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Binding {
    action: Action,
    keys: Vec<Key>,
    line: usize,
}

/// Every binding, by context. Build with [`Keymap::default`], [`Keymap::from_toml`] or
/// [`Keymap::load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    contexts: Vec<Vec<Binding>>,
}

/// Why a key may not be bound to an action in a context, if it may not.
fn binding_rule(context: Context, action: Action, key: Key) -> Result<(), String> {
    destructive_rule(action.destructive(), action.confirms(), key)
        .map_err(|why| format!("key \"{key}\" cannot do {action}: {why}"))?;
    if context.is_text_entry() && key.is_reserved_for_text() {
        let what = if key.is_printable() {
            "it is typed as text there"
        } else {
            "it edits text there"
        };
        return Err(format!(
            "key \"{key}\" cannot be bound in [{context}]: {what}; use ctrl-, alt-, a function \
             key, enter, esc or tab"
        ));
    }
    Ok(())
}

/// The rule for destructive actions: never `d`, and a plain key only with a confirmation.
fn destructive_rule(destructive: bool, confirms: bool, key: Key) -> Result<(), String> {
    if !destructive {
        return Ok(());
    }
    if matches!(key.code, KeyCode::Char('d' | 'D')) {
        return Err("\"d\" is too easy to press by mistake for something destructive".into());
    }
    if key.is_printable() && !confirms {
        return Err("a destructive action without a confirmation needs ctrl- or alt- with its key".into());
    }
    Ok(())
}

impl Keymap {
    /// What a key press means in a context: the context's own bindings first, then (for contexts
    /// that inherit them) the global ones. In text-entry contexts printable characters and the
    /// editing keys are never actions: `None` tells the caller to give the key to the input.
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Action> {
        self.lookup_key(context, Key::from_event(event))
    }

    /// [`Keymap::lookup`] for an already-normalised key.
    pub fn lookup_key(&self, context: Context, key: Key) -> Option<Action> {
        if context.is_text_entry() && key.is_reserved_for_text() {
            return None;
        }
        let find = |ctx: Context| {
            self.contexts[ctx.index()]
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| b.action)
        };
        find(context).or_else(|| {
            if context.inherits_global() {
                find(Context::Global)
            } else {
                None
            }
        })
    }

    /// Every key that does `action` in `context`, own keys first, then inherited global keys
    /// that work there.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<Key> {
        self.effective(context)
            .into_iter()
            .find(|(a, _)| *a == action)
            .map(|(_, keys)| keys)
            .unwrap_or_default()
    }

    /// The keys of `action` in `context` as the user reads them: `"k, up"`; empty when unbound.
    pub fn describe_keys(&self, context: Context, action: Action) -> String {
        join_keys(&self.keys_for(context, action))
    }

    /// The help for a context: every action that works there with all its keys, the context's
    /// own actions first. Generated from the bindings, so it never drifts from them.
    pub fn help(&self, context: Context) -> Vec<(String, &'static str)> {
        self.effective(context)
            .into_iter()
            .map(|(action, keys)| (join_keys(&keys), action.description()))
            .collect()
    }

    /// The footer for a context: the few most useful actions, each with its first key.
    pub fn footer(&self, context: Context) -> Vec<(String, &'static str)> {
        let effective = self.effective(context);
        footer_actions(context)
            .iter()
            .filter_map(|action| {
                effective
                    .iter()
                    .find(|(a, _)| a == action)
                    .and_then(|(_, keys)| keys.first())
                    .map(|key| (key.to_string(), action.short()))
            })
            .collect()
    }

    /// The actions that work in a context with their keys, in help order.
    fn effective(&self, context: Context) -> Vec<(Action, Vec<Key>)> {
        let mut out: Vec<(Action, Vec<Key>)> = self.contexts[context.index()]
            .iter()
            .map(|b| (b.action, b.keys.clone()))
            .collect();
        if context.inherits_global() {
            for b in &self.contexts[Context::Global.index()] {
                let keys: Vec<Key> = b
                    .keys
                    .iter()
                    .copied()
                    .filter(|&k| self.lookup_key(context, k) == Some(b.action))
                    .collect();
                match out.iter_mut().find(|(a, _)| *a == b.action) {
                    Some((_, existing)) => {
                        for k in keys {
                            if !existing.contains(&k) {
                                existing.push(k);
                            }
                        }
                    }
                    None => out.push((b.action, keys)),
                }
            }
        }
        out.retain(|(_, keys)| !keys.is_empty());
        out
    }

    /// Replaces the keys of an action in a context.
    fn set(&mut self, context: Context, action: Action, keys: Vec<Key>, line: usize) {
        let bindings = &mut self.contexts[context.index()];
        match bindings.iter_mut().find(|b| b.action == action) {
            Some(b) => {
                b.keys = keys;
                b.line = line;
            }
            None => bindings.push(Binding { action, keys, line }),
        }
    }

    /// Every broken rule in the whole keymap, as errors at the line that caused them.
    fn problems(&self, file: &str) -> Vec<KeymapError> {
        let mut errors = Vec::new();
        let err = |line: usize, message: String| KeymapError {
            file: file.to_string(),
            line,
            message,
        };
        for &context in Context::ALL {
            // (key, action, context it came from, line)
            let mut seen: Vec<(Key, Action, Context, usize)> = Vec::new();
            let mut sources = vec![context];
            if context.inherits_global() {
                sources.push(Context::Global);
            }
            for &source in &sources {
                for b in &self.contexts[source.index()] {
                    for &key in &b.keys {
                        if source == context {
                            if let Err(message) = binding_rule(context, b.action, key) {
                                errors.push(err(b.line, message));
                            }
                        } else if context.is_text_entry() && key.is_reserved_for_text() {
                            // A global key the text box takes: not active here, so no clash.
                            continue;
                        }
                        if let Some(&(_, other, other_ctx, other_line)) = seen.iter().find(|(k, ..)| *k == key) {
                            let line = b.line.max(other_line);
                            let message = if other == b.action && other_ctx == source {
                                format!("key \"{key}\" is listed twice for {other} in [{source}]")
                            } else if other_ctx == source {
                                format!(
                                    "key \"{key}\" is bound twice in [{source}]: to {other} and \
                                     to {}",
                                    b.action
                                )
                            } else {
                                format!(
                                    "key \"{key}\" in [{other_ctx}] ({other}) clashes with the \
                                     same key in [{source}] ({})",
                                    b.action
                                )
                            };
                            errors.push(err(line, message));
                        } else {
                            seen.push((key, b.action, source, b.line));
                        }
                    }
                }
            }
        }
        // There must always be a way out: quitting, and going back wherever the defaults go back.
        let defaults = Keymap::default();
        for &context in Context::ALL {
            for must in [Action::Quit, Action::Back] {
                if defaults.keys_for(context, must).is_empty() || !self.keys_for(context, must).is_empty() {
                    continue;
                }
                let line = [context, Context::Global]
                    .iter()
                    .filter_map(|c| self.contexts[c.index()].iter().find(|b| b.action == must))
                    .map(|b| b.line)
                    .max()
                    .unwrap_or(0);
                errors.push(err(
                    line,
                    format!(
                        "{must} has no key left in [{context}], so there would be no way out: give it at least one key"
                    ),
                ));
            }
        }
        errors.sort_by_key(|e| e.line);
        errors.dedup();
        errors
    }
}

fn join_keys(keys: &[Key]) -> String {
    keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn ch(c: char) -> KeyEvent {
        ev(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn a_keymap_without_a_way_out_is_refused() {
        let e = Keymap::from_toml("[global]\nquit = []\n").expect_err("no quit");
        assert!(e.message.contains("no way out"), "{}", e.message);
        assert_eq!(e.line, 2);
        let e = Keymap::from_toml("[global]\nback = []\n").expect_err("no back");
        assert!(e.message.contains("no way out"), "{}", e.message);
        // An empty binding in one screen still leaves the global key.
        assert!(Keymap::from_toml("[person]\nback = []\n").is_ok());
        assert!(Keymap::from_toml("[global]\nquit = [\"ctrl-q\"]\n").is_ok());
    }

    #[test]
    fn defaults_obey_every_rule() {
        let km = Keymap::default();
        assert_eq!(km.problems("keys.toml"), vec![]);
    }

    #[test]
    fn every_action_is_bound_somewhere_by_default() {
        let km = Keymap::default();
        for &action in Action::ALL {
            let bound = Context::ALL.iter().any(|&c| !km.keys_for(c, action).is_empty());
            assert!(bound, "{action} has no default key");
        }
    }

    #[test]
    fn action_and_context_names_round_trip() {
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.name()), Some(a));
            assert!(a
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()));
        }
        for &c in Context::ALL {
            assert_eq!(Context::parse(c.name()), Some(c));
        }
        assert_eq!(Action::parse("Open-Search"), Some(Action::OpenSearch));
        assert_eq!(Action::parse("frobnicate"), None);
    }

    #[test]
    fn global_keys_work_in_screens() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Home, &ch('q')), Some(Action::Quit));
        assert_eq!(km.lookup(Context::Person, &ch('j')), Some(Action::Down));
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(km.lookup(Context::Person, &ch('g')), Some(Action::Top));
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Home, KeyModifiers::NONE)),
            Some(Action::Top)
        );
        assert_eq!(km.lookup(Context::Person, &ch('G')), Some(Action::Bottom));
        assert_eq!(km.lookup(Context::Home, &ch('3')), Some(Action::Screen3));
        assert_eq!(km.lookup(Context::Home, &ch(']')), Some(Action::NextScreen));
        assert_eq!(km.lookup(Context::Home, &ch('?')), Some(Action::Help));
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::F(1), KeyModifiers::NONE)),
            Some(Action::Help)
        );
    }

    #[test]
    fn shifted_capitals_match_whatever_the_terminal_sends() {
        let km = Keymap::default();
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('U'), KeyModifiers::SHIFT)),
            Some(Action::Unlink)
        );
        assert_eq!(km.lookup(Context::Person, &ch('H')), Some(Action::RevealHealth));
        assert_eq!(km.lookup(Context::Person, &ch('u')), None);
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.lookup(
                Context::Form,
                &ev(KeyCode::Char('S'), KeyModifiers::CONTROL | KeyModifiers::SHIFT)
            ),
            Some(Action::Save)
        );
    }

    #[test]
    fn person_screen_keys() {
        let km = Keymap::default();
        let person = |c| km.lookup(Context::Person, &ch(c));
        assert_eq!(person('e'), Some(Action::Edit));
        assert_eq!(person('l'), Some(Action::LogContact));
        assert_eq!(person('b'), Some(Action::AddCallback));
        assert_eq!(person('x'), Some(Action::CallbackDone));
        assert_eq!(person('r'), Some(Action::Link));
        assert_eq!(person('R'), Some(Action::Refresh));
        assert_eq!(person('d'), None);
        assert_eq!(
            km.lookup(Context::Person, &ev(KeyCode::Char('l'), KeyModifiers::CONTROL)),
            Some(Action::Lock)
        );
    }

    #[test]
    fn logging_a_contact_takes_two_keys() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Person, &ch('l')), Some(Action::LogContact));
        let second = |c| km.lookup(Context::LogContact, &ch(c));
        assert_eq!(second('c'), Some(Action::LogCall));
        assert_eq!(second('e'), Some(Action::LogEmail));
        assert_eq!(second('l'), Some(Action::LogLetter));
        assert_eq!(second('v'), Some(Action::LogVisit));
        assert_eq!(
            km.lookup(Context::LogContact, &ev(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
        // Global keys do not leak into the second key.
        assert_eq!(second('q'), None);
        assert_eq!(second('j'), None);
    }

    #[test]
    fn text_entry_lets_printable_and_editing_keys_through() {
        let km = Keymap::default();
        for ctx in [Context::Form, Context::Search] {
            for c in ['q', 'j', 'k', 'g', 'G', '?', '/', '1', ']', ' ', 'é', 'R'] {
                assert_eq!(km.lookup(ctx, &ch(c)), None, "{c} in {ctx}");
            }
            for code in [
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Backspace,
                KeyCode::Delete,
            ] {
                assert_eq!(km.lookup(ctx, &ev(code, KeyModifiers::NONE)), None, "{code:?} in {ctx}");
            }
            for c in ['u', 'w', 'a', 'e', 'k'] {
                assert_eq!(km.lookup(ctx, &ev(KeyCode::Char(c), KeyModifiers::CONTROL)), None);
            }
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Esc, KeyModifiers::NONE)),
                Some(Action::Back)
            );
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Enter, KeyModifiers::NONE)),
                Some(Action::Open)
            );
            assert_eq!(km.lookup(ctx, &ev(KeyCode::Up, KeyModifiers::NONE)), Some(Action::Up));
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::F(1), KeyModifiers::NONE)),
                Some(Action::Help)
            );
            assert_eq!(
                km.lookup(ctx, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
                Some(Action::Quit)
            );
        }
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(Action::Save)
        );
        assert_eq!(
            km.lookup(Context::Form, &ev(KeyCode::Tab, KeyModifiers::NONE)),
            Some(Action::NextField)
        );
        assert_eq!(
            km.lookup(Context::Search, &ev(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Action::Down)
        );
    }

    #[test]
    fn popups_do_not_inherit_global_keys() {
        let km = Keymap::default();
        assert_eq!(km.lookup(Context::Popup, &ch('y')), Some(Action::Confirm));
        assert_eq!(km.lookup(Context::Popup, &ch('n')), Some(Action::Cancel));
        assert_eq!(
            km.lookup(Context::Popup, &ev(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Back)
        );
        assert_eq!(km.lookup(Context::Popup, &ch('1')), None);
        assert_eq!(km.lookup(Context::Popup, &ch('/')), None);
        assert_eq!(
            km.lookup(Context::Popup, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn keys_parse_and_format() {
        let cases = [
            ("j", Key::char('j'), "j"),
            ("G", Key::char('G'), "G"),
            ("shift-g", Key::char('G'), "G"),
            ("?", Key::char('?'), "?"),
            ("-", Key::char('-'), "-"),
            ("ctrl-s", Key::ctrl('s'), "ctrl-s"),
            ("Ctrl+S", Key::ctrl('s'), "ctrl-s"),
            ("ctrl--", Key::ctrl('-'), "ctrl--"),
            ("alt-x", Key::new(KeyCode::Char('x'), KeyModifiers::ALT), "alt-x"),
            ("shift-tab", Key::code(KeyCode::BackTab), "shift-tab"),
            ("backtab", Key::code(KeyCode::BackTab), "shift-tab"),
            ("enter", Key::code(KeyCode::Enter), "enter"),
            ("Return", Key::code(KeyCode::Enter), "enter"),
            ("esc", Key::code(KeyCode::Esc), "esc"),
            ("escape", Key::code(KeyCode::Esc), "esc"),
            ("up", Key::code(KeyCode::Up), "up"),
            ("pgdn", Key::code(KeyCode::PageDown), "pagedown"),
            ("f1", Key::code(KeyCode::F(1)), "f1"),
            ("F12", Key::code(KeyCode::F(12)), "f12"),
            ("space", Key::char(' '), "space"),
            (" ", Key::char(' '), "space"),
            (
                "ctrl-shift-up",
                Key::new(KeyCode::Up, KeyModifiers::CONTROL | KeyModifiers::SHIFT),
                "ctrl-shift-up",
            ),
        ];
        for (text, key, shown) in cases {
            assert_eq!(Key::parse(text), Ok(key), "{text:?}");
            assert_eq!(key.to_string(), shown, "{text:?}");
            if text != " " {
                assert_eq!(Key::parse(&key.to_string()), Ok(key), "round trip of {text:?}");
            }
        }
        for bad in ["", "jj", "ctrl-", "f0", "f99", "hyper-x", "shift-1", "enterr"] {
            assert!(Key::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn every_default_key_round_trips_through_its_spelling() {
        let km = Keymap::default();
        for &ctx in Context::ALL {
            for b in &km.contexts[ctx.index()] {
                for k in &b.keys {
                    assert_eq!(Key::parse(&k.to_string()), Ok(*k));
                }
            }
        }
    }

    #[test]
    fn to_toml_reads_back_as_the_same_keymap() {
        let km = Keymap::default();
        let again = Keymap::from_toml(&km.to_toml()).unwrap();
        for &ctx in Context::ALL {
            for &a in Action::ALL {
                assert_eq!(km.keys_for(ctx, a), again.keys_for(ctx, a));
            }
        }
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let km = Keymap::from_toml("[person]\nedit = \"E\"\n[global]\nquit = [\"q\", \"ctrl-q\"]\n").unwrap();
        assert_eq!(km.lookup(Context::Person, &ch('E')), Some(Action::Edit));
        assert_eq!(km.lookup(Context::Person, &ch('e')), None);
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(km.lookup(Context::Home, &ch('q')), Some(Action::Quit));
        assert_eq!(
            km.lookup(Context::Home, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.help(Context::Person)[0],
            ("E".to_string(), Action::Edit.description())
        );
    }

    #[test]
    fn an_empty_list_unbinds() {
        let km = Keymap::from_toml("[global]\nrefresh = []\n").unwrap();
        assert_eq!(km.lookup(Context::Home, &ch('R')), None);
        assert!(km
            .help(Context::Home)
            .iter()
            .all(|(_, d)| *d != Action::Refresh.description()));
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(Keymap::from_toml("").unwrap(), Keymap::default());
        assert_eq!(Keymap::from_toml("# my keys\n\n").unwrap(), Keymap::default());
    }

    fn error(text: &str) -> KeymapError {
        Keymap::from_toml(text).unwrap_err()
    }

    #[test]
    fn unknown_action_names_its_line() {
        let e = error("[person]\nedit = \"E\"\nfrobnicate = \"z\"\n");
        assert_eq!(e.line, 3);
        assert!(
            e.to_string()
                .starts_with("keys.toml line 3: unknown action \"frobnicate\""),
            "{e}"
        );
    }

    #[test]
    fn unknown_context_names_its_line() {
        let e = error("\n[persons]\nedit = \"E\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown context \"persons\""), "{e}");
        assert!(e.message.contains("person"), "lists the valid names: {e}");
    }

    #[test]
    fn unparsable_key_names_its_line() {
        let e = error("[global]\n\nquit = [\"q\", \"ctrl-qq\"]\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("ctrl-qq"), "{e}");
        let e = error("[global]\nquit = 7\n");
        assert_eq!(e.line, 2);
        let e = error("[global]\nquit = [\"q\", 7]\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn toml_syntax_errors_name_their_line() {
        let e = error("[global]\nquit = \"q\"\nhelp = \n");
        assert_eq!(e.line, 3, "{e}");
        let e = error("quit = \"q\"\n");
        assert_eq!(e.line, 1, "{e}");
        let e = error("[global]\nquit = \"q\"\nquit = \"x\"\n");
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn a_key_bound_twice_in_a_context_is_refused() {
        let e = error("[person]\nedit = \"l\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"l\""), "{e}");
        assert!(e.message.contains("bound twice in [person]"), "{e}");
        let e = error("[person]\nedit = [\"E\", \"E\"]\n");
        assert!(e.message.contains("listed twice"), "{e}");
    }

    #[test]
    fn a_clash_with_a_global_key_is_refused() {
        // In [person], "j" is already the global down.
        let e = error("[person]\nedit = \"j\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("[global]"), "{e}");
        // And a global rebinding that clashes with a screen key points at the global line.
        let e = error("# mine\n[global]\nquit = \"x\"\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("callback_done"), "{e}");
        // Popups do not inherit, so "y" globally is fine.
        assert!(Keymap::from_toml("[global]\nrefresh = \"y\"\n").is_ok());
    }

    #[test]
    fn a_printable_key_cannot_be_bound_where_text_is_typed() {
        let e = error("[form]\nsave = \"s\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("typed as text"), "{e}");
        let e = error("[search]\ndown = \"ctrl-w\"\n");
        assert!(e.message.contains("edits text"), "{e}");
        // A printable global key is simply inactive in text entry, not a clash.
        assert!(Keymap::from_toml("[global]\nrefresh = \"s\"\n").is_ok());
    }

    #[test]
    fn d_is_never_destructive() {
        let e = error("[person]\nunlink = \"d\"\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"d\""), "{e}");
        assert!(error("[person]\nunlink = \"ctrl-d\"\n").message.contains("too easy"));
        assert!(error("[person]\nunlink = \"D\"\n").message.contains("too easy"));
        // A confirming destructive action may have a plain key.
        assert!(Keymap::from_toml("[person]\nunlink = \"u\"\n").is_ok());
        // d for something harmless is fine.
        assert!(Keymap::from_toml("[person]\nedit = \"d\"\n").is_ok());
    }

    #[test]
    fn destructive_without_confirmation_needs_a_modifier() {
        assert!(destructive_rule(true, false, Key::char('z')).is_err());
        assert!(destructive_rule(true, false, Key::char('Z')).is_err());
        assert!(destructive_rule(true, false, Key::ctrl('z')).is_ok());
        assert!(destructive_rule(true, false, Key::code(KeyCode::Delete)).is_ok());
        assert!(destructive_rule(true, true, Key::char('z')).is_ok());
        assert!(destructive_rule(true, true, Key::char('d')).is_err());
        assert!(destructive_rule(false, false, Key::char('d')).is_ok());
        for &a in Action::ALL {
            if a.destructive() {
                assert!(a.confirms(), "{a} is destructive: give it a confirmation");
            }
        }
    }

    #[test]
    fn the_first_problem_by_line_is_reported() {
        let e = error("[global]\nquit = \"zz\"\n[persons]\n");
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn help_is_generated_from_the_bindings() {
        let km = Keymap::default();
        let help = km.help(Context::Person);
        assert_eq!(help[0], ("e".to_string(), Action::Edit.description()));
        assert!(help.contains(&("up, k".to_string(), Action::Up.description())));
        assert!(help.contains(&("q, ctrl-c".to_string(), Action::Quit.description())));
        // Search: printable global keys do not work there, so help does not offer them.
        let search = km.help(Context::Search);
        assert!(search.contains(&("ctrl-n, down".to_string(), Action::Down.description())));
        assert!(search.contains(&("f1".to_string(), Action::Help.description())));
        assert!(search.contains(&("ctrl-c".to_string(), Action::Quit.description())));
        assert!(!search.iter().any(|(_, d)| *d == Action::Screen1.description()));
        // Every key in help really does that action.
        for &ctx in Context::ALL {
            for (action, keys) in km.effective(ctx) {
                for k in keys {
                    assert_eq!(km.lookup_key(ctx, k), Some(action), "{k} in {ctx}");
                }
            }
        }
    }

    #[test]
    fn footer_shows_the_main_keys() {
        let km = Keymap::default();
        let footer = km.footer(Context::Home);
        assert_eq!(
            footer,
            vec![
                ("/".to_string(), "search"),
                ("n".to_string(), "new person"),
                ("enter".to_string(), "open"),
                ("?".to_string(), "help"),
                ("q".to_string(), "quit"),
            ]
        );
        assert_eq!(km.footer(Context::Form)[0], ("ctrl-s".to_string(), "save"));
        assert!(km.footer(Context::Form).contains(&("f1".to_string(), "help")));
        let edited = Keymap::from_toml("[person]\nedit = \"E\"\n").unwrap();
        assert_eq!(edited.footer(Context::Person)[0], ("E".to_string(), "edit"));
        let unbound = Keymap::from_toml("[person]\nedit = []\n").unwrap();
        assert_eq!(unbound.footer(Context::Person)[0].1, "log contact");
    }

    #[test]
    fn describe_keys_for_dialogs() {
        let km = Keymap::default();
        assert_eq!(km.describe_keys(Context::Popup, Action::Confirm), "y");
        assert_eq!(km.describe_keys(Context::Popup, Action::Back), "esc, q");
    }

    #[test]
    fn load_missing_file_gives_defaults_and_reads_a_real_one() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("keys.toml");
        assert_eq!(Keymap::load(&missing).unwrap(), Keymap::default());
        std::fs::write(&missing, "[person]\nedit = \"E\"\n").unwrap();
        let km = Keymap::load(&missing).unwrap();
        assert_eq!(km.lookup(Context::Person, &ch('E')), Some(Action::Edit));
        std::fs::write(&missing, "[person]\n\nbogus = \"E\"\n").unwrap();
        let e = Keymap::load(&missing).unwrap_err();
        assert!(
            e.to_string().starts_with("keys.toml line 3: unknown action \"bogus\""),
            "{e}"
        );
        // A directory is not readable as a file: an error, not the defaults.
        assert!(Keymap::load(dir.path()).is_err());
    }
}
