//! A vertical form: labelled fields, one under the other.
//!
//! A field is either a single line of text ([`TextInput`]) or a choice from a short list (a
//! contact kind, yes/no) changed with left/right or space, or by typing an option's first
//! letter. A field may have a validator, run on every keystroke: its message shows under the
//! field in the error style while the value is wrong, so the user sees the problem as they type
//! rather than after pressing save.
//!
//! Keys come through the [`Keymap`] in [`Context::Form`]: next/previous field (tab, shift-tab,
//! down, up, enter) are handled here; every other action (save, back, quit, help...) is handed
//! back to the caller as [`FormOutcome::Action`]; keys the keymap leaves alone go to the focused
//! field. The form knows whether anything changed since it was loaded ([`Form::dirty`]), so the
//! caller can ask before throwing typing away. When the fields are taller than the area, the
//! form scrolls to keep the focused field in view.

use super::pick::{Pick, PickResult};
use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::terminal::Theme;
use crate::tui::widgets::text_input::{InputResult, TextInput};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};
use unicode_width::UnicodeWidthStr;

/// Checks a field's value: `Err` holds the message shown under the field.
pub type Validator = fn(&str) -> Result<(), String>;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldInput {
    /// A line of text.
    Text(TextInput),
    /// One of a few options.
    Choice {
        /// The options, in the order left/right cycles through them.
        options: Vec<String>,
        /// The index of the chosen option.
        selected: usize,
    },
    /// Any number of options from a closed set.
    Pick(Pick),
}

/// One labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    id: String,
    label: String,
    input: FieldInput,
    validator: Option<Validator>,
    error: Option<String>,
    initial: String,
}

impl Field {
    /// A text field named `id` (for [`Form::values`]) shown as `label`, holding `initial`.
    pub fn text(id: &str, label: &str, initial: &str) -> Field {
        Field {
            id: id.to_string(),
            label: label.to_string(),
            input: FieldInput::Text(TextInput::with_value(initial)),
            validator: None,
            error: None,
            initial: initial.to_string(),
        }
    }

    /// A choice field. `initial` picks the starting option (the first if it is not one).
    pub fn choice(id: &str, label: &str, options: &[&str], initial: &str) -> Field {
        let options: Vec<String> = options.iter().map(|s| s.to_string()).collect();
        let selected = options.iter().position(|o| o == initial).unwrap_or(0);
        let initial = options.get(selected).cloned().unwrap_or_default();
        Field {
            id: id.to_string(),
            label: label.to_string(),
            input: FieldInput::Choice { options, selected },
            validator: None,
            error: None,
            initial,
        }
    }

    /// A picker: any number of `options`, with those in `chosen` ticked. The value is the
    /// ticked labels joined by ", " (see [`Field::picked`]).
    pub fn pick(id: &str, label: &str, options: &[&str], chosen: &[&str]) -> Field {
        let pick = Pick::new(options, chosen);
        let initial = pick.value();
        Field {
            id: id.to_string(),
            label: label.to_string(),
            input: FieldInput::Pick(pick),
            validator: None,
            error: None,
            initial,
        }
    }

    /// A picker's ticked labels, in option order (empty for other fields).
    pub fn picked(&self) -> Vec<String> {
        match &self.input {
            FieldInput::Pick(p) => p.chosen_labels().into_iter().map(String::from).collect(),
            _ => Vec::new(),
        }
    }

    /// A yes/no choice.
    pub fn yes_no(id: &str, label: &str, yes: bool) -> Field {
        Field::choice(id, label, &["No", "Yes"], if yes { "Yes" } else { "No" })
    }

    /// Adds a validator, run on every change.
    pub fn validator(mut self, validator: Validator) -> Field {
        self.validator = Some(validator);
        self
    }

    /// Limits a text field to `max` chars.
    pub fn max_chars(mut self, max: usize) -> Field {
        if let FieldInput::Text(t) = &mut self.input {
            let input = std::mem::take(t).max_chars(max);
            *t = input;
        }
        self
    }

    /// Shows a text field's characters as `•`.
    pub fn masked(mut self) -> Field {
        if let FieldInput::Text(t) = &mut self.input {
            let input = std::mem::take(t).masked();
            *t = input;
        }
        self
    }

    /// The field's name.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The label shown.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What the field holds.
    pub fn input(&self) -> &FieldInput {
        &self.input
    }

    /// The current value: the text, or the chosen option.
    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text(t) => t.value().to_string(),
            FieldInput::Choice { options, selected } => options.get(*selected).cloned().unwrap_or_default(),
            FieldInput::Pick(p) => p.value(),
        }
    }

    /// The value the field was loaded with (or last saved).
    pub fn initial(&self) -> &str {
        &self.initial
    }

    /// The validation message showing, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the value differs from the one loaded (or last saved).
    pub fn dirty(&self) -> bool {
        self.value() != self.initial
    }

    /// Runs the validator; true when the value is acceptable.
    pub fn validate(&mut self) -> bool {
        self.error = match self.validator {
            Some(v) => v(&self.value()).err(),
            None => None,
        };
        self.error.is_none()
    }

    /// Gives a key the keymap did not bind to the field. True when it was used.
    fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let changed = match &mut self.input {
            FieldInput::Pick(p) => match p.handle_key(key) {
                PickResult::Changed => true,
                PickResult::Moved => return true,
                PickResult::Ignored => return false,
            },
            FieldInput::Text(t) => match t.handle_key(key) {
                InputResult::Changed => true,
                InputResult::Moved => return true,
                InputResult::Ignored => return false,
            },
            FieldInput::Choice { options, selected } => {
                let n = options.len();
                if n == 0 {
                    return false;
                }
                let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                let before = *selected;
                match key.code {
                    KeyCode::Left | KeyCode::Backspace => *selected = (*selected + n - 1) % n,
                    KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                    KeyCode::Home => *selected = 0,
                    KeyCode::End => *selected = n - 1,
                    KeyCode::Char(c) if plain => {
                        let wanted: Vec<char> = c.to_lowercase().collect();
                        let starts = |o: &String| {
                            o.chars().next().map(|f| f.to_lowercase().collect::<Vec<_>>()) == Some(wanted.clone())
                        };
                        match (1..=n)
                            .map(|step| (*selected + step) % n)
                            .find(|&i| starts(&options[i]))
                        {
                            Some(i) => *selected = i,
                            None => return false,
                        }
                    }
                    _ => return false,
                }
                *selected != before
            }
        };
        if changed {
            self.validate();
        }
        true
    }
}

/// A focused choice field's lines: every option, the chosen one marked `(*)` and highlighted,
/// wrapped to `width` (left/right or an option's first letter changes it).
fn choice_lines(field: &Field, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    match &field.input {
        FieldInput::Choice { options, selected } => super::pick::wrap_options(
            options.iter().enumerate().map(|(i, o)| {
                let mark = if i == *selected { "(*)" } else { "( )" };
                (format!("{mark} {o}"), i == *selected)
            }),
            width,
            theme,
        ),
        _ => Vec::new(),
    }
}

/// What the form did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// The form used the key (typing, moving between fields).
    Consumed,
    /// An action for the caller: save, back, quit, help, lock... `Open` (enter) comes back only
    /// from the last field, where the caller may take it as "save".
    Action(Action),
    /// Nothing used the key.
    Ignored,
}

/// A vertical form.
#[derive(Debug, Clone)]
pub struct Form {
    title: String,
    fields: Vec<Field>,
    focus: usize,
    scroll: usize,
}

/// A field's error as the lines under it: wrapped to the input's width, at most three (the
/// last cut with "…" if the sentence is longer still).
fn error_lines(message: &str, width: usize) -> Vec<String> {
    const MAX: usize = 3;
    let mut lines = super::popup::wrap(message, width.max(1));
    if lines.len() > MAX {
        let rest = lines[MAX - 1..].join(" ");
        lines.truncate(MAX - 1);
        lines.push(crate::tui::screens::fit(&rest, width));
    }
    lines
}

impl Form {
    /// An empty form with a title.
    pub fn new(title: &str) -> Form {
        Form {
            title: title.to_string(),
            fields: Vec::new(),
            focus: 0,
            scroll: 0,
        }
    }

    /// Adds a field (builder style).
    pub fn with(mut self, field: Field) -> Form {
        self.fields.push(field);
        self
    }

    /// Adds a field.
    pub fn push(&mut self, field: Field) {
        self.fields.push(field);
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The fields.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The index of the focused field.
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Focuses a field (clamped to the last).
    pub fn set_focus(&mut self, index: usize) {
        self.focus = index.min(self.fields.len().saturating_sub(1));
    }

    /// Moves to the next field, wrapping round to the first.
    pub fn next_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    /// Moves to the previous field, wrapping round to the last.
    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// Handles a key: through the keymap first (field movement here, other actions to the
    /// caller), then to the focused field.
    pub fn handle_key(&mut self, keymap: &Keymap, key: &KeyEvent) -> FormOutcome {
        match keymap.lookup(Context::Form, key) {
            Some(action) => self.handle_action(action),
            None => match self.fields.get_mut(self.focus) {
                Some(field) => {
                    if field.handle_key(key) {
                        FormOutcome::Consumed
                    } else {
                        FormOutcome::Ignored
                    }
                }
                None => FormOutcome::Ignored,
            },
        }
    }

    /// Handles an action: next/previous field here, the rest back to the caller.
    pub fn handle_action(&mut self, action: Action) -> FormOutcome {
        match action {
            Action::NextField | Action::Down => self.next_field(),
            Action::PrevField | Action::Up => self.prev_field(),
            Action::Open if self.focus + 1 < self.fields.len() => self.next_field(),
            other => return FormOutcome::Action(other),
        }
        FormOutcome::Consumed
    }

    /// Whether anything changed since the form was loaded or last marked saved.
    pub fn dirty(&self) -> bool {
        self.fields.iter().any(Field::dirty)
    }

    /// Every field's id and value, in order.
    pub fn values(&self) -> Vec<(&str, String)> {
        self.fields.iter().map(|f| (f.id(), f.value())).collect()
    }

    /// The value of the field with this id.
    pub fn value(&self, id: &str) -> Option<String> {
        self.fields.iter().find(|f| f.id == id).map(Field::value)
    }

    /// The ticked labels of the picker with this id (empty if there is none).
    pub fn picked(&self, id: &str) -> Vec<String> {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(Field::picked)
            .unwrap_or_default()
    }

    /// Runs every validator (before saving) and focuses the first field in error. True when all
    /// values are acceptable.
    pub fn validate_all(&mut self) -> bool {
        let mut first_bad = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if !f.validate() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.focus = i;
        }
        first_bad.is_none()
    }

    /// Whether no field shows an error.
    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }

    /// Shows a message under a field (for problems found on saving) and moves the cursor to
    /// it. False if no such field.
    pub fn set_error(&mut self, id: &str, message: &str) -> bool {
        match self.fields.iter().position(|f| f.id == id) {
            Some(i) => {
                self.fields[i].error = Some(message.to_string());
                // The cursor goes to the field to put right.
                self.focus = i;
                true
            }
            None => false,
        }
    }

    /// Takes the current values as the saved ones: the form is no longer dirty.
    pub fn mark_saved(&mut self) {
        for f in &mut self.fields {
            f.initial = f.value();
        }
    }

    /// The rows each field takes: its line (a focused picker's list, `input_w` wide), and the
    /// lines of its error.
    fn field_rows(&self, input_w: usize) -> Vec<(usize, usize)> {
        let mut row = 0;
        self.fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let lines = match &f.input {
                    FieldInput::Pick(p) if i == self.focus => p.height(input_w).max(1),
                    FieldInput::Choice { .. } if i == self.focus => {
                        choice_lines(f, input_w, &Theme::plain()).len().max(1)
                    }
                    _ => 1,
                };
                let height = lines + f.error.as_deref().map_or(0, |e| error_lines(e, input_w).len());
                let start = row;
                row += height;
                (start, height)
            })
            .collect()
    }

    /// Draws the form in a bordered box filling `area` and returns where the terminal cursor
    /// belongs (in the focused text field). Adjusts the scroll to keep the focused field in
    /// view.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return None;
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.normal)
            .title(Span::styled(format!(" {} ", self.title), theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return None;
        }

        let gutter: u16 = 2;
        let widest = self.fields.iter().map(|f| f.label.width() + 1).max().unwrap_or(0);
        let label_w = (widest as u16).min(inner.width.saturating_sub(gutter) / 2);
        let input_x = inner.x + gutter + label_w + 1;
        let input_w = inner.right().saturating_sub(input_x);

        let rows = self.field_rows(usize::from(input_w));
        let total: usize = rows.iter().map(|(_, h)| h).sum();
        let height = usize::from(inner.height);
        if let Some(&(start, h)) = rows.get(self.focus) {
            if start < self.scroll {
                self.scroll = start;
            } else if start + h > self.scroll + height {
                self.scroll = (start + h).saturating_sub(height);
            }
        }
        self.scroll = self.scroll.min(total.saturating_sub(height));

        let mut cursor = None;
        for (i, (field, &(start, h))) in self.fields.iter().zip(&rows).enumerate() {
            let focused = i == self.focus;
            let pick_lines = match &field.input {
                FieldInput::Pick(p) if focused => p.lines(usize::from(input_w), theme),
                FieldInput::Choice { .. } if focused => choice_lines(field, usize::from(input_w), theme),
                _ => Vec::new(),
            };
            for line in 0..h {
                let row = start + line;
                if row < self.scroll || row >= self.scroll + height {
                    continue;
                }
                let y = inner.y + (row - self.scroll) as u16;
                let line_rect = |x: u16, w: u16| Rect::new(x, y, w, 1).intersection(inner);
                if line > 0 && line < pick_lines.len() {
                    pick_lines[line].clone().render(line_rect(input_x, input_w), buf);
                    continue;
                }
                if line == 0 {
                    let marker = if focused { "> " } else { "  " };
                    let label_style = if focused { theme.title } else { theme.normal };
                    Line::from(vec![
                        Span::styled(marker, theme.title),
                        Span::styled(format!("{}:", field.label), label_style),
                    ])
                    .render(line_rect(inner.x, gutter + label_w), buf);
                    let input_rect = line_rect(input_x, input_w);
                    match &field.input {
                        FieldInput::Text(t) => {
                            let style = if focused { theme.selected } else { theme.normal };
                            let pos = t.render(input_rect, buf, style, focused);
                            if focused {
                                cursor = pos;
                            }
                        }
                        FieldInput::Pick(_) if focused => {
                            if let Some(head) = pick_lines.first() {
                                head.clone().render(input_rect, buf);
                            }
                        }
                        FieldInput::Pick(_) => {
                            let value = field.value();
                            let line = if value.is_empty() {
                                Line::styled("(none chosen)", theme.dim)
                            } else {
                                Line::styled(value, theme.normal)
                            };
                            line.render(input_rect, buf);
                        }
                        FieldInput::Choice { .. } if focused => {
                            if let Some(first) = pick_lines.first() {
                                first.clone().render(input_rect, buf);
                            }
                        }
                        FieldInput::Choice { .. } => {
                            Line::styled(format!("< {} >", field.value()), theme.normal).render(input_rect, buf);
                        }
                    }
                } else if let Some(message) = &field.error {
                    let own = pick_lines.len().max(1);
                    if let Some(text) = error_lines(message, usize::from(input_w)).get(line.saturating_sub(own)) {
                        Line::from(Span::styled(text.clone(), theme.error)).render(line_rect(input_x, input_w), buf);
                    }
                }
            }
        }

        // Say when there is more above or below, on the border.
        let more = |text: &str, y: u16, buf: &mut Buffer| {
            let w = text.width() as u16;
            if area.width >= w + 4 {
                Line::from(Span::styled(text.to_string(), theme.dim))
                    .render(Rect::new(area.right() - w - 2, y, w, 1), buf);
            }
        };
        if self.scroll > 0 {
            more("more above", area.y, buf);
        }
        if self.scroll + height < total {
            more("more below", area.bottom() - 1, buf);
        }
        cursor.filter(|p| inner.contains(*p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::test_util::{every_small_size, render};

    fn required(v: &str) -> Result<(), String> {
        if v.trim().is_empty() {
            Err("Please fill this in".into())
        } else {
            Ok(())
        }
    }

    fn postcode(v: &str) -> Result<(), String> {
        let v = v.trim();
        if v.is_empty() || (v.len() >= 5 && v.contains(' ')) {
            Ok(())
        } else {
            Err("A postcode looks like SW1A 1AA".into())
        }
    }

    fn sample() -> Form {
        Form::new("New person")
            .with(Field::text("first", "First name", "").validator(required))
            .with(Field::text("last", "Last name", "").validator(required))
            .with(Field::text("postcode", "Postcode", "").validator(postcode))
            .with(Field::choice(
                "kind",
                "Contact",
                &["Call", "Email", "Letter", "Visit"],
                "Call",
            ))
            .with(Field::yes_no("consent", "Consent given", false))
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(form: &mut Form, text: &str) {
        let km = Keymap::default();
        for c in text.chars() {
            assert_eq!(form.handle_key(&km, &key(KeyCode::Char(c))), FormOutcome::Consumed);
        }
    }

    #[test]
    fn typing_tabbing_and_backspacing() {
        let km = Keymap::default();
        let mut form = sample();
        assert!(!form.dirty());
        type_text(&mut form, "Margaret");
        form.handle_key(&km, &key(KeyCode::Tab));
        assert_eq!(form.focus(), 1);
        type_text(&mut form, "Jones");
        form.handle_key(&km, &KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(form.focus(), 0);
        form.handle_key(&km, &key(KeyCode::Backspace));
        form.handle_key(&km, &key(KeyCode::Backspace));
        assert_eq!(
            form.values(),
            vec![
                ("first", "Margar".to_string()),
                ("last", "Jones".to_string()),
                ("postcode", String::new()),
                ("kind", "Call".to_string()),
                ("consent", "No".to_string()),
            ]
        );
        assert!(form.dirty());
        assert_eq!(form.value("last").as_deref(), Some("Jones"));
        assert_eq!(form.value("nope"), None);
    }

    #[test]
    fn keys_that_would_be_commands_elsewhere_are_typed() {
        let mut form = sample();
        type_text(&mut form, "q?/jk1 G");
        assert_eq!(form.value("first").as_deref(), Some("q?/jk1 G"));
        assert_eq!(form.focus(), 0);
    }

    #[test]
    fn other_actions_go_back_to_the_caller() {
        let km = Keymap::default();
        let mut form = sample();
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.handle_key(&km, &ctrl_s), FormOutcome::Action(Action::Save));
        assert_eq!(
            form.handle_key(&km, &key(KeyCode::Esc)),
            FormOutcome::Action(Action::Back)
        );
        // Enter moves on, and on the last field hands back Open.
        form.handle_key(&km, &key(KeyCode::Enter));
        assert_eq!(form.focus(), 1);
        form.set_focus(99);
        assert_eq!(form.focus(), 4);
        assert_eq!(
            form.handle_key(&km, &key(KeyCode::Enter)),
            FormOutcome::Action(Action::Open)
        );
        // Tab wraps round; up and down move too.
        form.handle_key(&km, &key(KeyCode::Tab));
        assert_eq!(form.focus(), 0);
        form.handle_key(&km, &key(KeyCode::Up));
        assert_eq!(form.focus(), 4);
        form.handle_key(&km, &key(KeyCode::Down));
        assert_eq!(form.focus(), 0);
    }

    #[test]
    fn validation_runs_on_every_keystroke() {
        let km = Keymap::default();
        let mut form = sample();
        form.set_focus(2);
        type_text(&mut form, "SW1");
        assert_eq!(form.fields()[2].error(), Some("A postcode looks like SW1A 1AA"));
        assert!(!form.is_valid());
        type_text(&mut form, "A 1AA");
        assert_eq!(form.fields()[2].error(), None);
        // Typing then deleting everything in a required field shows its message.
        form.set_focus(0);
        type_text(&mut form, "A");
        assert_eq!(form.fields()[0].error(), None);
        form.handle_key(&km, &key(KeyCode::Backspace));
        assert_eq!(form.fields()[0].error(), Some("Please fill this in"));
    }

    #[test]
    fn validate_all_focuses_the_first_problem() {
        let mut form = sample();
        form.set_focus(4);
        assert!(!form.validate_all());
        assert_eq!(form.focus(), 0);
        assert!(form.set_error("last", "Already on file"));
        assert!(!form.set_error("nope", "x"));
        assert_eq!(form.fields()[1].error(), Some("Already on file"));
    }

    #[test]
    fn choices_cycle_and_jump_by_letter() {
        let km = Keymap::default();
        let mut form = sample();
        form.set_focus(3);
        form.handle_key(&km, &key(KeyCode::Right));
        assert_eq!(form.value("kind").as_deref(), Some("Email"));
        form.handle_key(&km, &key(KeyCode::Char(' ')));
        assert_eq!(form.value("kind").as_deref(), Some("Letter"));
        form.handle_key(&km, &key(KeyCode::Left));
        form.handle_key(&km, &key(KeyCode::Left));
        form.handle_key(&km, &key(KeyCode::Left));
        assert_eq!(form.value("kind").as_deref(), Some("Visit"));
        form.handle_key(&km, &key(KeyCode::Char('c')));
        assert_eq!(form.value("kind").as_deref(), Some("Call"));
        assert_eq!(form.handle_key(&km, &key(KeyCode::Char('z'))), FormOutcome::Ignored);
        form.set_focus(4);
        form.handle_key(&km, &key(KeyCode::Char('y')));
        assert_eq!(form.value("consent").as_deref(), Some("Yes"));
    }

    #[test]
    fn dirty_tracks_changes_since_load_or_save() {
        let km = Keymap::default();
        let mut form = Form::new("Edit").with(Field::text("name", "Name", "Ann"));
        assert!(!form.dirty());
        type_text(&mut form, "e");
        assert!(form.dirty());
        form.handle_key(&km, &key(KeyCode::Backspace));
        assert!(!form.dirty(), "back to what was loaded");
        type_text(&mut form, "ie");
        form.mark_saved();
        assert!(!form.dirty());
        assert_eq!(form.value("name").as_deref(), Some("Annie"));
    }

    #[test]
    fn masked_and_limited_fields() {
        let km = Keymap::default();
        let mut form = Form::new("Unlock").with(Field::text("pass", "Passphrase", "").masked().max_chars(4));
        type_text(&mut form, "abcd");
        assert_eq!(form.handle_key(&km, &key(KeyCode::Char('e'))), FormOutcome::Ignored);
        assert_eq!(form.value("pass").as_deref(), Some("abcd"));
        let screen = render(40, 3, |area, buf| {
            form.render(area, buf, &Theme::plain());
        });
        assert!(screen.contains("••••"), "{screen}");
        assert!(!screen.contains("abcd"), "{screen}");
    }

    #[test]
    fn scrolls_to_the_focused_field() {
        let km = Keymap::default();
        let mut form = Form::new("Long");
        for i in 0..20 {
            form.push(Field::text(
                &format!("f{i}"),
                &format!("Field {i}"),
                &format!("value {i}"),
            ));
        }
        for _ in 0..15 {
            form.handle_key(&km, &key(KeyCode::Tab));
        }
        let mut cursor = None;
        let screen = render(40, 7, |area, buf| {
            cursor = form.render(area, buf, &Theme::plain());
        });
        assert!(screen.contains("> Field 15:"), "{screen}");
        assert!(screen.contains("more above"), "{screen}");
        assert!(screen.contains("more below"), "{screen}");
        assert!(!screen.contains("Field 2:"), "{screen}");
        assert!(cursor.is_some());
    }

    #[test]
    fn snapshot_with_an_error_showing() {
        let km = Keymap::default();
        let mut form = sample();
        type_text(&mut form, "Margaret");
        form.handle_key(&km, &key(KeyCode::Tab));
        type_text(&mut form, "Jones");
        form.handle_key(&km, &key(KeyCode::Tab));
        type_text(&mut form, "SW1");
        let mut cursor = None;
        let screen = render(80, 24, |area, buf| {
            cursor = form.render(area, buf, &Theme::plain());
        });
        insta::assert_snapshot!(screen);
        assert!(cursor.is_some());
    }

    #[test]
    fn renders_at_every_small_size() {
        let mut form = sample();
        form.set_focus(2);
        type_text(&mut form, "SW1");
        every_small_size(|area, buf| {
            if let Some(pos) = form.render(area, buf, &Theme::colored()) {
                assert!(area.contains(pos));
            }
        });
        let mut empty = Form::new("");
        every_small_size(|area, buf| {
            empty.render(area, buf, &Theme::plain());
        });
    }
}
