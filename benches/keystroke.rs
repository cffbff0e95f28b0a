//! One keystroke in the search box during a call, on 100,000 people: the key, the query (only
//! because the input changed) and the redraw of the whole screen into a 120x40 `TestBackend`.
//! Target: within one frame (16 ms).
//!
//! Run with `cargo bench --bench keystroke`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use dutydesk::tui::app::App;
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::terminal::Theme;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use std::time::Instant;

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn keystroke(c: &mut Criterion) {
    common::note_load("keystroke");
    let file = common::people_100k();
    let mut app = App::new(
        file.dir.clone(),
        common::clock(),
        Keymap::default(),
        Theme::plain(),
        Some(common::DUTY.into()),
    );
    for ch in common::DUTY_PASS.chars() {
        press(&mut app, KeyCode::Char(ch));
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        !matches!(app.phase, dutydesk::tui::app::Phase::Unlock(_)),
        "unlocked: {:?}",
        app.status
    );
    press(&mut app, KeyCode::Char('/'));
    for ch in "sm".chars() {
        press(&mut app, KeyCode::Char(ch));
    }
    app.after_batch();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    // Each iteration types "i" or deletes it, so the input always changes and always queries.
    let mut typed = false;
    let mut step = |app: &mut App, terminal: &mut Terminal<TestBackend>| {
        if typed {
            press(app, KeyCode::Backspace);
        } else {
            press(app, KeyCode::Char('i'));
        }
        typed = !typed;
        app.after_batch();
        terminal.draw(|f| dutydesk::tui::ui::draw(app, f)).expect("draw");
    };
    c.bench_function("keystroke_search_and_redraw_120x40", |b| {
        b.iter(|| step(&mut app, &mut terminal))
    });
    let mut times: Vec<_> = (0..500)
        .map(|_| {
            let t = Instant::now();
            step(&mut app, &mut terminal);
            t.elapsed()
        })
        .collect();
    times.sort();
    eprintln!(
        "keystroke \"sm\"/\"smi\" + redraw 120x40: 500 calls: p50 {} p99 {} (target < 16 ms)",
        common::ms(common::percentile(&times, 50.0)),
        common::ms(common::percentile(&times, 99.0))
    );
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
