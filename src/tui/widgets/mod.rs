//! Reusable widgets: a text input, forms, the confirmation and help popups, the footer line.
//!
//! Each widget is plain state plus a render function that takes a [`Theme`] value, so tests
//! render them on a `TestBackend` with a chosen theme. Every widget renders without panicking at
//! any size down to 1x1; the tests check that on every small size.
//!
//! [`Theme`]: crate::tui::terminal::Theme

pub mod confirm;
pub mod footer;
pub mod form;
pub mod help;
pub mod pick;
pub mod popup;
pub mod reader;
pub mod text_input;

#[cfg(test)]
pub(crate) mod test_util {
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::Terminal;

    /// Renders with `draw` on a `width` x `height` test terminal and returns the screen text.
    pub fn render(width: u16, height: u16, mut draw: impl FnMut(Rect, &mut Buffer)) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                draw(area, frame.buffer_mut())
            })
            .unwrap();
        terminal.backend().to_string()
    }

    /// Calls `draw` at every size from 1x1 to 12x8, and at a few awkward ones, to show it never
    /// panics.
    pub fn every_small_size(mut draw: impl FnMut(Rect, &mut Buffer)) {
        let mut sizes: Vec<(u16, u16)> = Vec::new();
        for w in 1..=12 {
            for h in 1..=8 {
                sizes.push((w, h));
            }
        }
        sizes.extend([(80, 1), (1, 24), (2, 40), (40, 2), (80, 24), (200, 3)]);
        for (w, h) in sizes {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|frame| {
                    let area = frame.area();
                    draw(area, frame.buffer_mut())
                })
                .unwrap();
        }
    }
}
