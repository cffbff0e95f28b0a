//! Entering and leaving the terminal safely, colours, and reading events.
//!
//! - [`TerminalGuard`]: raw mode and the alternate screen (and, optionally, mouse capture) for
//!   as long as it lives; dropping it restores the terminal, whatever the way out.
//! - [`install_panic_hook`]: a panic restores the terminal before the panic message is printed,
//!   so the message is readable and the shell usable. [`TerminalGuard::enter`] installs it.
//! - [`ShutdownSignals`]: SIGTERM, SIGINT, SIGQUIT and SIGHUP (the terminal window closed) set a flag the event
//!   loop polls, so the loop ends normally: forms get the chance to keep what was typed,
//!   and the guard restores the terminal.
//! - [`colors_enabled`] and [`Theme`]: honour `NO_COLOR`; the theme is a value passed to
//!   rendering, so tests choose it.
//! - [`next_events`]: wait for the first event, then drain every pending one without blocking
//!   (atuin's loop), keeping key presses and resizes only.

use ratatui::crossterm::{
    cursor::Show,
    event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind},
    execute,
    terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::style::{Color, Modifier, Style};
use ratatui::{backend::CrosstermBackend, DefaultTerminal, Terminal};
use std::ffi::OsString;
use std::io::{self, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;

/// Whether the terminal is currently in the TUI's state (so restoring has work to do).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was turned on, so restoring turns it off.
static MOUSE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// How to set the terminal up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TerminalOptions {
    /// Capture the mouse (clicks and scrolling). Off by default: it stops the user selecting
    /// text with the mouse, which people copying a phone number expect to work.
    pub mouse: bool,
}

/// The terminal in TUI mode. Restores the terminal when dropped.
pub struct TerminalGuard {
    terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Installs the panic hook, then enters raw mode and the alternate screen. If a step fails,
    /// what was already done is undone before the error is returned.
    pub fn enter(options: TerminalOptions) -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let setup = || -> io::Result<DefaultTerminal> {
            execute!(stdout(), EnterAlternateScreen)?;
            if options.mouse {
                execute!(stdout(), EnableMouseCapture)?;
                MOUSE.store(true, Ordering::SeqCst);
            }
            Terminal::new(CrosstermBackend::new(stdout()))
        };
        match setup() {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                let _ = restore_terminal();
                Err(e)
            }
        }
    }

    /// The terminal to draw on.
    pub fn terminal(&mut self) -> &mut DefaultTerminal {
        &mut self.terminal
    }

    /// Restores the terminal now, reporting any failure (dropping the guard ignores them).
    pub fn restore(self) -> io::Result<()> {
        restore_terminal()
        // Drop runs next and finds nothing left to do.
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = restore_terminal();
    }
}

/// Leaves raw mode, the alternate screen and mouse capture, and shows the cursor. Does nothing
/// when the terminal is not in TUI mode, so calling it twice is harmless. Every step is tried
/// even if an earlier one fails; the first error is returned.
pub fn restore_terminal() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let mut first_error = None;
    let mut note = |r: io::Result<()>| {
        if let Err(e) = r {
            first_error.get_or_insert(e);
        }
    };
    // Raw mode first: it has the most side effects on the user's shell.
    note(disable_raw_mode());
    if MOUSE.swap(false, Ordering::SeqCst) {
        note(execute!(stdout(), DisableMouseCapture));
    }
    note(execute!(stdout(), LeaveAlternateScreen, Show));
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Wraps the current panic hook so the terminal is restored before the panic message is
/// printed. Installed once however often it is called; install other hooks before it.
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = restore_terminal();
            previous(info);
        }));
    });
}

/// Set when the program is asked to stop: SIGTERM, SIGINT and SIGQUIT from outside (in raw
/// mode ctrl-c arrives as a key, not a signal) and SIGHUP (the terminal window closed). The
/// event loop checks [`ShutdownSignals::requested`] after every wait, then leaves normally and
/// restores the terminal. The handlers are removed when this is dropped; the interface is the
/// last thing the program does, so no later code depends on the default handlers.
#[derive(Debug)]
pub struct ShutdownSignals {
    flag: Arc<AtomicBool>,
    hangup: Arc<AtomicBool>,
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl ShutdownSignals {
    /// Registers the handlers.
    pub fn register() -> io::Result<ShutdownSignals> {
        let flag = Arc::new(AtomicBool::new(false));
        let hangup = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
            let mut ids = Vec::new();
            let wanted = [
                (SIGTERM, &flag),
                (SIGINT, &flag),
                (SIGQUIT, &flag),
                (SIGHUP, &flag),
                (SIGHUP, &hangup),
            ];
            for (signal, target) in wanted {
                match signal_hook::flag::register(signal, Arc::clone(target)) {
                    Ok(id) => ids.push(id),
                    Err(e) => {
                        for id in ids {
                            signal_hook::low_level::unregister(id);
                        }
                        return Err(e);
                    }
                }
            }
            Ok(ShutdownSignals { flag, hangup, ids })
        }
        #[cfg(not(unix))]
        {
            Ok(ShutdownSignals { flag, hangup })
        }
    }

    /// Whether the terminal has gone (SIGHUP): there is no screen left to restore or wait for.
    pub fn hangup_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.hangup)
    }

    /// Whether a stop was asked for.
    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// The shared flag, for loops that want to hold it themselves.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }
}

impl Drop for ShutdownSignals {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Whether colours may be used: not when `NO_COLOR` is set to anything but the empty string
/// (<https://no-color.org>).
pub fn colors_enabled() -> bool {
    colors_enabled_given(std::env::var_os("NO_COLOR"))
}

/// [`colors_enabled`] for a given value of `NO_COLOR`.
pub fn colors_enabled_given(no_color: Option<OsString>) -> bool {
    no_color.is_none_or(|v| v.is_empty())
}

/// The styles the TUI draws with. Pass it to rendering; tests use [`Theme::plain`] or
/// [`Theme::colored`] explicitly. Without colour, meaning is carried by bold, reverse and
/// underline, and always by words too (never by colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Ordinary text.
    pub normal: Style,
    /// Less important text: hints, labels of empty values.
    pub dim: Style,
    /// Screen and popup titles.
    pub title: Style,
    /// The selected row, button or focused field.
    pub selected: Style,
    /// Past its deadline.
    pub overdue: Style,
    /// Due within the warning window.
    pub due_soon: Style,
    /// Done, in time, valid.
    pub ok: Style,
    /// Validation and other errors.
    pub error: Style,
    /// The banner over a restricted record.
    pub banner: Style,
    /// A hidden value (health details until revealed, passphrases).
    pub masked: Style,
    /// A key name in the footer and help.
    pub key: Style,
}

impl Theme {
    /// The colour theme.
    pub fn colored() -> Theme {
        Theme {
            normal: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            overdue: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            due_soon: Style::new().fg(Color::Yellow),
            ok: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            banner: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            masked: Style::new().fg(Color::DarkGray),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }

    /// The theme without colour, for `NO_COLOR`.
    pub fn plain() -> Theme {
        Theme {
            normal: Style::new(),
            dim: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            overdue: Style::new().add_modifier(Modifier::BOLD),
            due_soon: Style::new().add_modifier(Modifier::UNDERLINED),
            ok: Style::new(),
            error: Style::new().add_modifier(Modifier::BOLD),
            banner: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            masked: Style::new(),
            key: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// The colour theme, or the plain one when `NO_COLOR` is set.
    pub fn from_env() -> Theme {
        Theme::for_colors(colors_enabled())
    }

    /// The colour theme when `colors` is true, else the plain one.
    pub fn for_colors(colors: bool) -> Theme {
        if colors {
            Theme::colored()
        } else {
            Theme::plain()
        }
    }

    #[cfg(test)]
    fn styles(&self) -> [Style; 11] {
        [
            self.normal,
            self.dim,
            self.title,
            self.selected,
            self.overdue,
            self.due_soon,
            self.ok,
            self.error,
            self.banner,
            self.masked,
            self.key,
        ]
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_env()
    }
}

/// The most events handled in one drain, so a flood of input cannot starve drawing.
const MAX_DRAIN: usize = 1024;

/// Waits up to `timeout` for an event, then takes every event already waiting without
/// blocking. Only key presses (not repeats or releases) and resizes are kept. An empty result
/// means the timeout passed: check [`ShutdownSignals::requested`] and wait again.
pub fn next_events(timeout: Duration) -> io::Result<Vec<Event>> {
    let mut events = Vec::new();
    if !event::poll(timeout)? {
        return Ok(events);
    }
    let mut read = 0;
    loop {
        let ev = event::read()?;
        read += 1;
        if let Some(ev) = keep_event(ev) {
            events.push(ev);
        }
        if read >= MAX_DRAIN || !event::poll(Duration::ZERO)? {
            break;
        }
    }
    Ok(events)
}

/// The event if the TUI cares about it: key presses and resizes.
pub fn keep_event(event: Event) -> Option<Event> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Event::Key(key)),
        Event::Resize(..) => Some(event),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn no_color_follows_the_convention() {
        assert!(colors_enabled_given(None));
        assert!(colors_enabled_given(Some(OsString::new())));
        assert!(!colors_enabled_given(Some(OsString::from("1"))));
        assert!(!colors_enabled_given(Some(OsString::from("0"))));
    }

    #[test]
    fn plain_theme_has_no_colour_at_all() {
        for style in Theme::plain().styles() {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
            assert_eq!(style.underline_color, None);
        }
        assert_eq!(Theme::for_colors(false), Theme::plain());
        assert_eq!(Theme::for_colors(true), Theme::colored());
    }

    #[test]
    fn plain_theme_still_marks_what_matters() {
        let t = Theme::plain();
        for style in [t.selected, t.overdue, t.error, t.banner, t.title] {
            assert_ne!(style.add_modifier, Modifier::empty());
        }
        assert_ne!(t.selected, t.normal);
    }

    #[test]
    fn colour_theme_uses_the_agreed_colours() {
        let t = Theme::colored();
        assert_eq!(t.overdue.fg, Some(Color::Red));
        assert_eq!(t.due_soon.fg, Some(Color::Yellow));
        assert_eq!(t.ok.fg, Some(Color::Green));
    }

    #[test]
    fn only_presses_and_resizes_are_kept() {
        let press = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        let release = KeyEvent::new_with_kind(KeyCode::Char('a'), KeyModifiers::NONE, KeyEventKind::Release);
        let repeat = KeyEvent::new_with_kind(KeyCode::Char('a'), KeyModifiers::NONE, KeyEventKind::Repeat);
        assert_eq!(keep_event(Event::Key(press)), Some(Event::Key(press)));
        assert_eq!(keep_event(Event::Key(release)), None);
        assert_eq!(keep_event(Event::Key(repeat)), None);
        assert_eq!(keep_event(Event::Resize(80, 24)), Some(Event::Resize(80, 24)));
        assert_eq!(keep_event(Event::FocusGained), None);
        assert_eq!(keep_event(Event::Paste("x".into())), None);
    }

    #[test]
    fn restoring_when_not_entered_does_nothing() {
        assert!(restore_terminal().is_ok());
        assert!(restore_terminal().is_ok());
    }

    #[test]
    fn panic_hook_installs_once() {
        install_panic_hook();
        install_panic_hook();
        // A caught panic still reaches the previous hook and does not touch the terminal.
        let r = std::panic::catch_unwind(|| panic!("boom"));
        assert!(r.is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_signal_sets_the_shutdown_flag() {
        let signals = ShutdownSignals::register().unwrap();
        assert!(!signals.requested());
        signal_hook::low_level::raise(signal_hook::consts::SIGHUP).unwrap();
        assert!(signals.requested());
        assert!(signals.flag().load(Ordering::SeqCst));
    }
}
