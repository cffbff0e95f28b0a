//! Where the user is ([`Context`]), which decides what a key means: each screen and popup looks
//! its keys up in one context, and most contexts inherit the global bindings.

use std::fmt;

/// Where the user is, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Bindings that work everywhere except in popups (and, for printable keys, except where
    /// text is typed).
    Global,
    /// The home screen: today's callbacks and recent people.
    Home,
    /// The search box with its results (text entry).
    Search,
    /// One person's record.
    Person,
    /// A form being filled in (text entry).
    Form,
    /// A popup on top of the screen: confirmation, help. Popups do not inherit global keys.
    Popup,
    /// The second key after `log_contact`: which kind of contact to log.
    LogContact,
    /// The referrals list.
    Referrals,
    /// The Article 14 notices list and a notice's text.
    Notices,
    /// The rights request queue.
    Requests,
    /// One rights request.
    Request,
}

impl Context {
    /// Every context, in the order they appear in `keys.toml` documentation.
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Home,
        Context::Search,
        Context::Person,
        Context::Form,
        Context::Popup,
        Context::LogContact,
        Context::Referrals,
        Context::Notices,
        Context::Requests,
        Context::Request,
    ];

    /// The section name in `keys.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Home => "home",
            Context::Search => "search",
            Context::Person => "person",
            Context::Form => "form",
            Context::Popup => "popup",
            Context::LogContact => "log_contact",
            Context::Referrals => "referrals",
            Context::Notices => "notices",
            Context::Requests => "requests",
            Context::Request => "request",
        }
    }

    /// A human label for the help title.
    pub fn label(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Home => "Home",
            Context::Search => "Search",
            Context::Person => "Person",
            Context::Form => "Form",
            Context::Popup => "Popup",
            Context::LogContact => "Log a contact",
            Context::Referrals => "Referrals",
            Context::Notices => "Article 14 notices",
            Context::Requests => "Rights requests",
            Context::Request => "Rights request",
        }
    }

    /// Parses a section name (case-insensitive, `-` reads as `_`).
    pub fn parse(name: &str) -> Option<Context> {
        let norm = name.trim().to_ascii_lowercase().replace('-', "_");
        Context::ALL.iter().copied().find(|c| c.name() == norm)
    }

    /// Whether the user types text here, so printable characters and editing keys must reach
    /// the input instead of being bound.
    pub fn is_text_entry(self) -> bool {
        matches!(self, Context::Search | Context::Form)
    }

    /// Whether the global bindings also apply here.
    pub fn inherits_global(self) -> bool {
        matches!(
            self,
            Context::Home
                | Context::Search
                | Context::Person
                | Context::Form
                | Context::Referrals
                | Context::Notices
                | Context::Requests
                | Context::Request
        )
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
