//! Work that can take more than a quarter of a second (erasing someone from a large case file):
//! it runs on a worker thread with the store while the screen stays alive, the last frame
//! still drawn, with a progress line saying what is being done and for how long. Keys typed
//! meanwhile are dropped, not kept to act later on a screen the user can no longer predict.
//!
//! Screens ask for it with [`crate::tui::screen::Cmd::Slow`]. The work returns a [`Then`],
//! run back on the interface's thread to say how it went (screens and popups are not `Send`).

use super::screen::Cmd;
use super::terminal::Theme;
use crate::store::Store;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Terminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the work leaves to do on the interface's thread: the commands that report it.
pub type Then = Box<dyn FnOnce() -> Cmd + Send>;

/// The work itself, given the store on a worker thread.
pub type Work = Box<dyn FnOnce(&mut Store) -> Then + Send>;

/// A piece of slow work and the words for it ("Erasing J. Smith's records").
pub struct SlowWork {
    pub doing: String,
    /// How far it has got, for work that counts its steps (an import's rows); the progress
    /// line then shows a bar.
    pub progress: Option<Arc<Progress>>,
    pub work: Work,
}

/// Steps done out of steps to do, set by the work on its thread and read by the progress line.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    pub fn set(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// (done, total), once the work has said how many steps there are.
    pub fn get(&self) -> Option<(usize, usize)> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed).min(total), total))
    }
}

impl std::fmt::Debug for SlowWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlowWork")
            .field("doing", &self.doing)
            .finish_non_exhaustive()
    }
}

/// How often the progress line is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// The progress line: for how long (first, so a narrow screen still shows it moving), what is
/// being done, and that keys are ignored meanwhile.
pub fn progress_line(doing: &str, elapsed: Duration, progress: Option<(usize, usize)>) -> String {
    const SPIN: [char; 4] = ['|', '/', '-', '\\'];
    const BAR: usize = 20;
    let turn = (elapsed.as_millis() / TICK.as_millis()) as usize % SPIN.len();
    let bar = match progress {
        Some((done, total)) => {
            let filled = done * BAR / total.max(1);
            format!(" [{}{}] {done}/{total}", "#".repeat(filled), "-".repeat(BAR - filled))
        }
        None => String::new(),
    };
    format!(
        "{} {:.1} s{bar}  {doing}. Keys are ignored until it is done; keep the laptop on.",
        SPIN[turn],
        elapsed.as_secs_f64()
    )
}

/// Runs `job` with `store` on a worker thread; meanwhile redraws `last_frame` with the progress
/// line on its status row (the row above the footer) every tick, and between ticks calls
/// `wait`, which drops the keys typed meanwhile (on the real terminal: reads and discards them
/// for up to the tick it is given).
/// Returns the work's report. If the terminal stops working, the work still finishes (its
/// transaction commits or rolls back whole) before the error is returned.
pub fn run_alive<B: Backend>(
    terminal: &mut Terminal<B>,
    last_frame: &Buffer,
    theme: &Theme,
    store: &mut Store,
    job: SlowWork,
    mut wait: impl FnMut(Duration) -> std::io::Result<()>,
) -> std::io::Result<Cmd>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let started = Instant::now();
    let SlowWork { doing, progress, work } = job;
    let mut trouble = None;
    let then = std::thread::scope(|scope| {
        let worker = scope.spawn(move || work(store));
        // Drawn at least once, so even quick work says what it did.
        loop {
            if trouble.is_none() {
                let line = progress_line(&doing, started.elapsed(), progress.as_ref().and_then(|p| p.get()));
                let drawn = terminal.draw(|f| {
                    let area = f.area();
                    let buf = f.buffer_mut();
                    buf.merge(last_frame);
                    if area.height >= 2 {
                        let row = Rect {
                            y: area.y + area.height - 2,
                            height: 1,
                            ..area
                        };
                        let text = super::screens::fit(&line, row.width as usize);
                        buf.set_line(row.x, row.y, &Line::styled(text, theme.due_soon), row.width);
                    }
                });
                if let Err(e) = drawn {
                    trouble = Some(std::io::Error::other(e));
                }
            }
            if worker.is_finished() {
                break;
            }
            if trouble.is_none() {
                // A resize is picked up by the next full frame.
                if let Err(e) = wait(TICK) {
                    trouble = Some(e);
                }
            } else {
                std::thread::sleep(TICK);
            }
        }
        worker.join()
    });
    let cmd = match then {
        Ok(then) => then(),
        // The work panicked: a transaction it had open was rolled back as it unwound. Say so
        // rather than take the interface down.
        Err(_) => Cmd::Error(format!(
            "{doing} stopped unexpectedly. Reload the screen and check what was done before trying again."
        )),
    };
    match trouble {
        Some(e) => Err(e),
        None => Ok(cmd),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_says_what_and_how_long() {
        let line = progress_line("Erasing the record", Duration::from_millis(1250), None);
        assert!(line.contains("1.2 s  Erasing the record."), "{line}");
        assert!(line.contains("Keys are ignored"), "{line}");
    }

    #[test]
    fn the_spinner_turns_each_tick() {
        let a = progress_line("x", Duration::from_millis(0), None);
        let b = progress_line("x", Duration::from_millis(100), None);
        assert_ne!(a.chars().next(), b.chars().next());
    }

    #[test]
    fn counted_work_shows_a_bar_of_how_far_it_has_got() {
        let p = Progress::default();
        assert_eq!(p.get(), None, "no bar before the work says how much there is");
        p.set(2500, 10_000);
        let line = progress_line("Importing", Duration::from_millis(500), p.get());
        assert!(line.contains("[#####---------------] 2500/10000  Importing."), "{line}");
    }
}
