//! Bringing a spreadsheet in from the terminal. `T` on the handover asks for the file; the
//! import screen then shows the sheet, what it holds, the category of its people, who gave
//! the details, what to do with people already on file, and each column with the field it
//! fills (guessed from its header, or the mapping saved for the same headers) beside sample
//! values; or, for a sheet of links between people on file (next of kin, the rota), the link,
//! the two columns naming the people and what a volunteer is for. Left and Right change the
//! selected line. `c` reads the file again and checks every row, changing nothing: the
//! result is the check screen ([`super::import_check`]), from which the rows are imported.

use super::form_popup::{field_error, value, FormPopup};
use crate::domain::import::Target;
use crate::domain::import_plan::{DuplicatePolicy, Sheet};
use crate::domain::Category;
use crate::domain::RelationKind;
use crate::store::import::{ImportCheck, ImportSettings};
use crate::store::import_links::LinkSettings;
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, moved, movement, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::widgets::form::{Field, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use std::path::PathBuf;

/// `T`: which file to bring in.
pub fn open_popup(store: &Store) -> Cmd {
    if !store.may_import() {
        return Cmd::Error(
            "Your role may not file people, so it cannot import them: ask the data protection lead.".into(),
        );
    }
    let form = Form::new("Import a spreadsheet").with(Field::text("file", "File", "").max_chars(1000));
    Cmd::popup(FormPopup::new(
        form,
        vec![format!(
            "The spreadsheet's path (.{}); drag the file onto the terminal to type it. Nothing is changed until you import.",
            crate::spreadsheet::EXTENSIONS.join(", .")
        )],
        Box::new(|store: &mut Store, form: &Form| {
            let typed = value(form, "file");
            let typed = typed.trim().trim_matches(['\'', '"']);
            if typed.is_empty() {
                return Err(field_error("file", "Type the path of the spreadsheet file."));
            }
            let path = crate::export::folder::expand(typed).map_err(|e| field_error("file", e))?;
            ImportScreen::open(store, path).map_err(|e| field_error("file", e))
        }),
    ))
}

/// The lines above the columns: sheet, what it holds, category, source, duplicates.
const SETTINGS: usize = 5;

/// The lines of a links sheet: sheet, what it holds, the link, the two columns, what an
/// assigned volunteer is for, how the two are related, and who told us of the links.
const LINK_LINES: usize = 8;

/// How a sheet of links is read: which link, the columns naming the two people, and what an
/// assigned volunteer is assigned for (a column, by index among the headers, or else one of
/// the profile's services after them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkChoice {
    kind: RelationKind,
    person: usize,
    other: usize,
    assigned_for: usize,
    /// The column saying how they are related, by index among the headers; past them, none.
    related: usize,
}

/// What the check and the import are run with.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Plan {
    People(ImportSettings),
    Links(LinkSettings),
}

impl Plan {
    fn check(&self, store: &Store, sheet: &Sheet) -> crate::store::Result<ImportCheck> {
        match self {
            Plan::People(s) => store.check_import(sheet, s),
            Plan::Links(s) => store.check_links(sheet, s),
        }
    }

    pub(super) fn import(
        &self,
        store: &mut Store,
        sheet: &Sheet,
        progress: &mut dyn FnMut(usize, usize),
    ) -> crate::store::Result<ImportCheck> {
        match self {
            Plan::People(s) => store.import(sheet, s, progress),
            Plan::Links(s) => store.import_links(sheet, s, progress),
        }
    }
}

pub struct ImportScreen {
    path: PathBuf,
    sheets: Vec<String>,
    sheet: Sheet,
    saved_as: Option<String>,
    settings: ImportSettings,
    /// The categories to choose from, in the profile's words; `None` reads each row's
    /// category column only.
    categories: Vec<(String, Option<Category>)>,
    /// `Some` when the sheet holds links between people on file rather than people.
    links: Option<LinkChoice>,
    /// The profile's services, for what an assigned volunteer is for.
    services: Vec<String>,
    /// Each kind of link in the profile's words (its own name for health or care workers).
    link_labels: Vec<(RelationKind, String)>,
    selected: usize,
    scroll: usize,
}

impl ImportScreen {
    fn open(store: &Store, path: PathBuf) -> Result<Cmd, String> {
        let sheets = crate::spreadsheet::sheet_names(&path)?;
        let sheet = crate::spreadsheet::read(&path, None)?;
        let (mapping, saved_as) = store.mapping_for(&sheet.headers).map_err(|e| e.to_string())?;
        let p = store.profile();
        let mut categories: Vec<(String, Option<Category>)> = p
            .category_keys()
            .into_iter()
            .map(|c| (p.category_label(c).to_string(), Some(c)))
            .collect();
        categories.push(("Only from the category column".into(), None));
        let category = categories.first().and_then(|c| c.1);
        // A sheet with no column naming people, but one naming a kind of link (a rota:
        // "Client", "Volunteer", "Service"), is most likely links.
        let links = (mapping.problem().is_some() && sheet.headers.len() >= 2)
            .then(|| guess_links(&sheet.headers))
            .filter(|l| l.person != l.other);
        Ok(Cmd::push(ImportScreen {
            path,
            sheets,
            sheet,
            saved_as,
            settings: ImportSettings {
                mapping,
                category,
                obtained_from: None,
                policy: DuplicatePolicy::Skip,
            },
            categories,
            selected: if links.is_some() { 1 } else { SETTINGS },
            links,
            services: p.services.clone(),
            link_labels: RelationKind::ALL
                .iter()
                .map(|k| {
                    let label = match k {
                        RelationKind::Professional => p.category_label(Category::Professional).to_string(),
                        _ => k.label().to_string(),
                    };
                    (*k, label)
                })
                .collect(),
            scroll: 0,
        }))
    }

    fn rows(&self) -> usize {
        match self.links {
            Some(_) => LINK_LINES,
            None => SETTINGS + self.settings.mapping.columns.len(),
        }
    }

    /// What the check runs with, as the screen now stands.
    fn plan(&self) -> Plan {
        let Some(l) = &self.links else {
            return Plan::People(self.settings.clone());
        };
        let header = |i: usize| self.sheet.headers.get(i).cloned().unwrap_or_default();
        let (services, services_column) = match l.assigned_for.checked_sub(self.sheet.headers.len()) {
            Some(s) => (self.services.get(s).cloned().into_iter().collect(), None),
            None => (Vec::new(), Some(header(l.assigned_for))),
        };
        Plan::Links(LinkSettings {
            from: header(l.person),
            to: header(l.other),
            kind: l.kind,
            services,
            services_column,
            relation_column: (l.related < self.sheet.headers.len()).then(|| header(l.related)),
            obtained_from: self.settings.obtained_from.clone(),
        })
    }

    /// Reads the chosen sheet again (the user may have put rows right since). A sheet whose
    /// headers changed gets its mapping afresh.
    /// Returns whether the columns changed (and with them the mapping).
    fn reread(&mut self, store: &Store, name: &str) -> Result<bool, String> {
        let sheet = crate::spreadsheet::read(&self.path, Some(name))?;
        let changed = !self.settings.mapping.fits(&sheet.headers);
        if changed {
            let (mapping, saved_as) = store.mapping_for(&sheet.headers).map_err(|e| e.to_string())?;
            self.settings.mapping = mapping;
            self.saved_as = saved_as;
            self.selected = self.selected.min((SETTINGS + sheet.headers.len()).saturating_sub(1));
            self.links = None;
        }
        self.sheet = sheet;
        Ok(changed)
    }

    /// Left (-1) or Right (+1) on the selected line.
    fn change(&mut self, store: &Store, step: isize) -> Cmd {
        fn cycle(at: usize, len: usize, step: isize) -> usize {
            (at as isize + step).rem_euclid(len.max(1) as isize) as usize
        }
        let headers = self.sheet.headers.len();
        if let Some(l) = self.links.as_mut() {
            match self.selected {
                2 => {
                    let all = RelationKind::ALL;
                    let at = all.iter().position(|k| *k == l.kind).unwrap_or(0);
                    l.kind = all[cycle(at, all.len(), step)];
                }
                3 => l.person = cycle(l.person, headers, step),
                4 => l.other = cycle(l.other, headers, step),
                5 => l.assigned_for = cycle(l.assigned_for, headers + self.services.len(), step),
                6 => l.related = cycle(l.related, headers + 1, step),
                7 => return self.source_popup(),
                _ => {}
            }
            if (2..=7).contains(&self.selected) {
                return Cmd::None;
            }
        }
        match self.selected {
            1 => {
                self.links = match self.links {
                    Some(_) => None,
                    None => Some(guess_links(&self.sheet.headers)),
                };
            }
            0 => {
                if self.sheets.len() < 2 {
                    return Cmd::Info("The file has one sheet.".into());
                }
                let at = self.sheets.iter().position(|s| *s == self.sheet.name).unwrap_or(0);
                let name = self.sheets[cycle(at, self.sheets.len(), step)].clone();
                match self.reread(store, &name) {
                    Err(e) => return Cmd::Error(e),
                    Ok(true) => self.selected = 0,
                    Ok(false) => {}
                }
            }
            2 => {
                let at = self
                    .categories
                    .iter()
                    .position(|c| c.1 == self.settings.category)
                    .unwrap_or(0);
                self.settings.category = self.categories[cycle(at, self.categories.len(), step)].1;
            }
            3 => return self.source_popup(),
            4 => {
                let all = DuplicatePolicy::ALL;
                let at = all.iter().position(|p| *p == self.settings.policy).unwrap_or(0);
                self.settings.policy = all[cycle(at, all.len(), step)];
            }
            n => {
                let choices: Vec<Option<Target>> = std::iter::once(None).chain(Target::ALL.map(Some)).collect();
                if let Some((_, target)) = self.settings.mapping.columns.get_mut(n - SETTINGS) {
                    let at = choices.iter().position(|c| c == target).unwrap_or(0);
                    *target = choices[cycle(at, choices.len(), step)];
                }
            }
        }
        Cmd::None
    }

    fn source_popup(&self) -> Cmd {
        let current = self.settings.obtained_from.clone().unwrap_or_default();
        let form = Form::new("Who gave the details").with(Field::text("from", "From", &current).max_chars(200));
        Cmd::popup(FormPopup::new(
            form,
            vec![
                "Who gave us their details (\"Banbury social services\")? Empty: the people themselves. Anyone else: a privacy notice is due for each."
                    .into(),
            ],
            Box::new(|_: &mut Store, form: &Form| {
                let from = value(form, "from").trim().to_string();
                Ok(Cmd::Notify(crate::tui::screen::Note::ImportSource(
                    (!from.is_empty()).then_some(from),
                )))
            }),
        ))
    }

    fn check(&mut self, store: &Store) -> Cmd {
        // Read again: the user may have put rows right since.
        let name = self.sheet.name.clone();
        match self.reread(store, &name) {
            Err(e) => return Cmd::Error(e),
            Ok(true) => {
                return Cmd::Error(
                    "The sheet's columns have changed since it was opened: look at the fields each column fills again, then check."
                        .into(),
                )
            }
            Ok(false) => {}
        }
        let plan = self.plan();
        match plan.check(store, &self.sheet) {
            Ok(check) => Cmd::push(super::import_check::ReportScreen::new(
                self.path.clone(),
                self.sheet.clone(),
                plan,
                check,
            )),
            Err(e) => Cmd::Error(e.to_string()),
        }
    }

    fn lines(&self) -> Vec<String> {
        let category = self
            .categories
            .iter()
            .find(|c| c.1 == self.settings.category)
            .map(|c| c.0.as_str())
            .unwrap_or("");
        let rows = self
            .sheet
            .rows
            .iter()
            .filter(|(_, c)| !crate::domain::import_plan::is_blank(c))
            .count();
        let source_column = self
            .settings
            .mapping
            .columns
            .iter()
            .find(|(_, t)| *t == Some(Target::Source))
            .map(|(h, _)| h.as_str());
        let from = self
            .settings
            .obtained_from
            .as_deref()
            .unwrap_or("the people themselves");
        let sheet_line = format!("Sheet              {} ({rows} rows)", self.sheet.name);
        if let Some(l) = &self.links {
            let column = |i: usize| {
                let samples = self.sheet.samples(i, 2).join(" | ");
                let h = self.sheet.headers.get(i).map(String::as_str).unwrap_or("");
                format!("column \"{h}\"  e.g. {samples}")
            };
            let assigned = match l.assigned_for.checked_sub(self.sheet.headers.len()) {
                _ if l.kind != RelationKind::AssignedVolunteer => "(for assigned volunteers only)".to_string(),
                Some(s) => self.services.get(s).cloned().unwrap_or_default(),
                None => column(l.assigned_for),
            };
            return vec![
                sheet_line,
                "Sheet holds        Links between people already on file".into(),
                format!(
                    "Link               {}",
                    self.link_labels
                        .iter()
                        .find(|(k, _)| *k == l.kind)
                        .map(|(_, s)| s.as_str())
                        .unwrap_or("")
                ),
                format!("First person       {}", column(l.person)),
                format!("Second person      {}", column(l.other)),
                format!("Assigned for       {assigned}"),
                format!(
                    "How related        {}",
                    if l.related < self.sheet.headers.len() {
                        column(l.related)
                    } else {
                        "(not given)".into()
                    }
                ),
                format!("Told us of them    {from}"),
            ];
        }
        let mut out = vec![
            sheet_line,
            "Sheet holds        People".into(),
            format!("Category           {category}"),
            match source_column {
                Some(h) => format!("Details came from  column \"{h}\"; where empty, {from}"),
                None => format!("Details came from  {from}"),
            },
            format!("If already on file {}", self.settings.policy.label()),
        ];
        let width = self
            .settings
            .mapping
            .columns
            .iter()
            .map(|(h, _)| h.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(6, 20);
        for (i, (header, target)) in self.settings.mapping.columns.iter().enumerate() {
            let field = target.map(|t| t.label()).unwrap_or("(left out)");
            let samples = self.sheet.samples(i, 2).join(" | ");
            out.push(format!(
                "{:width$} -> {:17} {}",
                super::fit(header, width),
                field,
                if samples.is_empty() {
                    String::new()
                } else {
                    format!("e.g. {samples}")
                }
            ));
        }
        out
    }
}

impl Screen for ImportScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::on(Action::CheckImport),
            Command::on(Action::Open),
            Command::on(Action::Left),
            Command::on(Action::Right),
            Command::on(Action::Back),
        ];
        out.extend(movement(self.rows()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, store: &mut Store) -> Handled {
        let action = listed_action(input, &self.commands());
        if let Some(to) = action.and_then(|a| moved(self.selected, self.rows(), a)) {
            self.selected = to;
            return Handled::done();
        }
        let cmd = match action {
            Some(Action::Left) => self.change(store, -1),
            Some(Action::Right | Action::Open) => self.change(store, 1),
            Some(Action::CheckImport) => self.check(store),
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn notify(&mut self, note: &crate::tui::screen::Note, _store: &mut Store) -> crate::tui::screen::Notified {
        if let crate::tui::screen::Note::ImportSource(from) = note {
            self.settings.obtained_from = from.clone();
        }
        crate::tui::screen::Notified::Ignored
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let file = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mapping = match (&self.links, &self.saved_as) {
            (Some(_), _) => "links between people on file".into(),
            (None, Some(name)) => format!("mapping saved as \"{name}\""),
            (None, None) => "columns guessed from the headers".into(),
        };
        let block = Block::bordered().title(Span::styled(format!(" Import {file}: {mapping} "), theme.title));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut hint = format!(
            "{}/{} change the line; {} checks every row (nothing is changed).",
            ctx.key(Context::Home, Action::Left),
            ctx.key(Context::Home, Action::Right),
            ctx.key(Context::Home, Action::CheckImport)
        );
        let problem = self.settings.mapping.problem().filter(|_| self.links.is_none());
        if let Some(p) = &problem {
            hint = p.clone();
        }
        let style = if problem.is_some() { theme.error } else { theme.dim };
        if inner.height == 0 {
            return None;
        }
        Line::styled(super::fit(&hint, inner.width as usize), style).render(Rect { height: 1, ..inner }, buf);
        let list = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        };
        let lines = self.lines();
        let rows = list.height as usize;
        self.scroll = super::scroll_for(self.selected, rows, self.scroll);
        for (i, text) in lines.iter().enumerate().skip(self.scroll).take(rows) {
            let y = list.y + (i - self.scroll) as u16;
            let line = Line::raw(super::fit(text, list.width as usize));
            super::draw_row(buf, list.x, y, list.width, &line, i == self.selected, theme);
        }
        None
    }

    fn title(&self) -> String {
        "Import".into()
    }
}

/// How a sheet of links is most likely read, from its headers: the second person's column
/// is the first that names a kind of link ("Volunteer", "Next of kin", "Emergency
/// contact"...), which gives the kind; the first person's is the first other column; an
/// assigned volunteer's services come from a column headed "Service(s)" if there is one.
fn guess_links(headers: &[String]) -> LinkChoice {
    const WORDS: [(&str, RelationKind); 7] = [
        ("volunteer", RelationKind::AssignedVolunteer),
        ("driver", RelationKind::AssignedVolunteer),
        ("kin", RelationKind::NextOfKin),
        ("emergency", RelationKind::EmergencyContact),
        ("referee", RelationKind::Referee),
        ("relative", RelationKind::Relative),
        ("worker", RelationKind::Professional),
    ];
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    let named = lower
        .iter()
        .enumerate()
        .find_map(|(i, h)| WORDS.iter().find(|(w, _)| h.contains(w)).map(|(_, k)| (i, *k)));
    let (other, kind) = named.unwrap_or((1.min(headers.len().saturating_sub(1)), RelationKind::NextOfKin));
    let person = (0..headers.len()).find(|i| *i != other).unwrap_or(0);
    let assigned_for = lower
        .iter()
        .position(|h| h.contains("service"))
        .unwrap_or(headers.len());
    let related = (0..headers.len())
        .find(|i| *i != other && *i != person && lower[*i].contains("relation"))
        .unwrap_or(headers.len());
    LinkChoice {
        kind,
        person,
        other,
        assigned_for,
        related,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_links_sheet_is_read_from_its_headers() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rota = guess_links(&h(&["Client", "Volunteer", "Services"]));
        assert_eq!(
            rota,
            LinkChoice {
                kind: RelationKind::AssignedVolunteer,
                person: 0,
                other: 1,
                assigned_for: 2,
                related: 3
            }
        );
        let kin = guess_links(&h(&["Name", "Phone", "Next of kin", "Relationship"]));
        assert_eq!(
            (kin.kind, kin.person, kin.other, kin.assigned_for, kin.related),
            (RelationKind::NextOfKin, 0, 2, 4, 3)
        );
        let plain = guess_links(&h(&["A", "B"]));
        assert_eq!((plain.kind, plain.person, plain.other), (RelationKind::NextOfKin, 0, 1));
    }
}
