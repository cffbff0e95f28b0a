//! Running the interface on the real terminal: load the keymap (refusing a bad one before the
//! screen changes), enter the alternate screen with the panic hook and signal handling,
//! loop drawing and draining keys, and always restore the terminal.

use super::app::App;
use super::keymap::Keymap;
use super::terminal::{install_panic_hook, next_events, ShutdownSignals, TerminalGuard, TerminalOptions, Theme};
use crate::domain::clock::SystemClock;
use crate::store::DataDir;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Makes sure a signal ends the program even when the terminal has gone away and reading it
/// never returns (crossterm can spin on a closed terminal). After SIGHUP (the terminal closed)
/// the process exits at once: there is no screen to restore and no one to wait for. After
/// SIGTERM, SIGINT or SIGQUIT the event loop has a moment (a little over one wait) to finish
/// and restore the terminal itself; if it has not, the watchdog restores it and exits.
/// Nothing is lost: every change is committed the moment it is saved, and an interrupted one
/// is rolled back whole by SQLite on the next open.
fn watchdog(signal: Arc<AtomicBool>, hangup: Arc<AtomicBool>, finished: Arc<AtomicBool>) {
    const TICK: Duration = Duration::from_millis(20);
    const GRACE: Duration = Duration::from_millis(400);
    std::thread::spawn(move || loop {
        std::thread::sleep(TICK);
        if finished.load(Ordering::SeqCst) {
            return;
        }
        if hangup.load(Ordering::SeqCst) {
            std::process::exit(0);
        }
        if signal.load(Ordering::SeqCst) {
            let started = std::time::Instant::now();
            while started.elapsed() < GRACE {
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                if hangup.load(Ordering::SeqCst) {
                    std::process::exit(0);
                }
                std::thread::sleep(TICK);
            }
            let _ = super::terminal::restore_terminal();
            std::process::exit(0);
        }
    });
}

/// Runs slow work a key asked for, if any, keeping the screen alive with a progress line over
/// the frame the user last saw.
fn run_slow(app: &mut App, guard: &mut TerminalGuard) -> std::io::Result<Option<super::screen::Cmd>> {
    if !app.has_slow() {
        return Ok(None);
    }
    let last_frame = guard.terminal().draw(|f| super::ui::draw(app, f))?.buffer.clone();
    let Some((job, store, theme)) = app.take_slow() else {
        return Ok(None);
    };
    // Keys typed meanwhile are read and dropped.
    let drop_keys = |tick| next_events(tick).map(drop);
    super::slow::run_alive(guard.terminal(), &last_frame, &theme, store, job, drop_keys).map(Some)
}

/// Where the user's key bindings live: `keys.toml` in the platform config folder.
pub fn keymap_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("uk.org", "dutydesk", "dutydesk").map(|d| d.config_dir().join("keys.toml"))
}

/// Runs the interface on `dir` until the user quits. Errors are sentences for the user.
pub fn run(
    dir: DataDir,
    user: Option<String>,
    idle_minutes: Option<u32>,
    hint: Option<String>,
    theme: Theme,
) -> Result<(), String> {
    let keymap = match keymap_path() {
        Some(path) => Keymap::load(&path).map_err(|e| e.to_string())?,
        None => Keymap::default(),
    };
    let mut app = App::new(dir, Arc::new(SystemClock), keymap, theme, user);
    app.defer_slow = true;
    if let super::app::Phase::Unlock(u) = &mut app.phase {
        u.hint = hint;
    }
    if let Some(m) = idle_minutes {
        app.idle_limit = chrono::Duration::minutes(i64::from(m.max(1)));
    }
    install_panic_hook();
    let signals = ShutdownSignals::register().map_err(|e| format!("Could not watch for signals: {e}."))?;
    let finished = Arc::new(AtomicBool::new(false));
    watchdog(signals.flag(), signals.hangup_flag(), Arc::clone(&finished));
    let mut guard = TerminalGuard::enter(TerminalOptions::default())
        .map_err(|e| format!("Could not take over the terminal ({e}): run dutydesk in a terminal window."))?;
    let result = (|| -> std::io::Result<()> {
        loop {
            guard.terminal().draw(|f| super::ui::draw(&mut app, f))?;
            let events = next_events(Duration::from_millis(250))?;
            app.handle_events(events);
            if let Some(report) = run_slow(&mut app, &mut guard)? {
                app.finish_slow(report);
            }
            app.tick();
            if app.quit || signals.requested() {
                return Ok(());
            }
        }
    })();
    guard
        .restore()
        .inspect(|()| finished.store(true, Ordering::SeqCst))
        .map_err(|e| format!("Could not restore the terminal: {e}."))?;
    result.map_err(|e| format!("The terminal stopped working ({e})."))
}
