//! The check of a spreadsheet, shown before anything is written: how many rows can come
//! in, and every row that cannot as it is (a problem to put right in the spreadsheet, a repeat
//! of an earlier row, someone already on file), by its row number, with the selected row's
//! whole sentence below the list. `w` writes every row's status beside the spreadsheet; `W`
//! imports, after asking, as one change behind a progress bar, saves the mapping under the
//! file's name and says what to do with the source file.

use super::import::Plan;
use crate::domain::import_plan::Sheet;
use crate::store::import::{ImportCheck, RowStatus};
use crate::store::Store;
use crate::tui::keymap::{Action, Context};
use crate::tui::screen::{listed_action, moved, movement, Cmd, Command, DrawContext, Handled, Input, Screen};
use crate::tui::slow::{Progress, SlowWork};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The check's result: the counts, and every row that will not come in as it is, by row
/// number.
pub(super) struct ReportScreen {
    path: PathBuf,
    sheet: Sheet,
    plan: Plan,
    check: ImportCheck,
    /// Every row that will not come in as it is, as the list shows it.
    attention: Vec<String>,
    selected: usize,
    scroll: usize,
}

impl ReportScreen {
    pub(super) fn new(path: PathBuf, sheet: Sheet, plan: Plan, check: ImportCheck) -> ReportScreen {
        let attention = check
            .rows
            .iter()
            .filter(|r| !matches!(r.status, RowStatus::New | RowStatus::Fill | RowStatus::Update))
            .map(|r| format!("Row {}: {}: {}", r.row, r.status.key(), r.message))
            .collect();
        ReportScreen {
            path,
            sheet,
            plan,
            check,
            attention,
            selected: 0,
            scroll: 0,
        }
    }

    fn to_bring_in(&self) -> usize {
        let c = &self.check.counts;
        c.new + c.fill + c.update
    }

    fn report_path(&self) -> PathBuf {
        report_path(&self.path)
    }

    fn import(&self) -> Cmd {
        let n = self.to_bring_in();
        let sheet = self.sheet.clone();
        let plan = self.plan.clone();
        let path = self.path.clone();
        let left_out = match self.check.counts.problem {
            0 => String::new(),
            p => format!(" The {p} row(s) with problems stay out until put right."),
        };
        let saved = match &self.plan {
            Plan::People(_) => format!(" The mapping is saved as \"{}\" for next time.", mapping_name(&path)),
            Plan::Links(_) => String::new(),
        };
        let message = format!(
            "Bring {n} rows into the case file ({})? They go in together, in one change, or not at all.{left_out}{saved}",
            self.check.counts.summary(),
        );
        Cmd::confirm("Import the spreadsheet?", message, move |_: &mut Store| {
            let progress = Arc::new(Progress::default());
            let shown = progress.clone();
            Cmd::Slow(SlowWork {
                doing: "Importing the spreadsheet".into(),
                progress: Some(shown),
                work: Box::new(move |store: &mut Store| {
                    let result = plan.import(store, &sheet, &mut |done, total| progress.set(done, total));
                    let saved = match (&plan, &result) {
                        (Plan::People(s), Ok(_)) => Some(store.save_mapping(&mapping_name(&path), &s.mapping)),
                        _ => None,
                    };
                    Box::new(move || match result {
                        Ok(done) => {
                            let mut said = if done.counts.problem > 0 {
                                format!(
                                    "Imported: {}. Put the rows with problems right in {} and import it again; then delete it or lock it away: it holds these people's details unencrypted.",
                                    done.counts.summary(),
                                    path.display()
                                )
                            } else {
                                format!(
                                    "Imported: {}. Now delete {} or lock it away: it holds these people's details unencrypted.",
                                    done.counts.summary(),
                                    path.display()
                                )
                            };
                            if let Some(Err(e)) = saved {
                                said.push_str(&format!(" (The mapping was not saved: {e})"));
                            }
                            Cmd::Many(vec![Cmd::Back, Cmd::Back, Cmd::Info(said)])
                        }
                        Err(e) => Cmd::Error(format!("Nothing was imported: {e}")),
                    })
                }),
            })
        })
    }

    fn write_report(&self) -> Cmd {
        let path = self.report_path();
        match crate::export::import_report::write(&self.check, &path) {
            Ok(()) => Cmd::Info(format!("Report written to {} (every row's status).", path.display())),
            Err(e) => Cmd::Error(format!("The report was not written: {e}")),
        }
    }
}

/// The report's file: beside the spreadsheet, "clients-report.csv".
pub fn report_path(sheet: &Path) -> PathBuf {
    let stem = sheet
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    sheet.with_file_name(format!("{stem}-report.csv"))
}

/// The name a mapping is saved under: the spreadsheet's file name without its extension.
fn mapping_name(sheet: &Path) -> String {
    sheet
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spreadsheet".into())
}

impl Screen for ReportScreen {
    fn context(&self) -> Context {
        Context::Home
    }

    fn commands(&self) -> Vec<Command> {
        let mut out = vec![
            Command::when(Action::RunImport, self.to_bring_in() > 0),
            Command::on(Action::WriteReport),
            Command::on(Action::Back),
        ];
        out.extend(movement(self.attention.len()));
        out
    }

    fn handle(&mut self, input: &Input<'_>, _store: &mut Store) -> Handled {
        let action = listed_action(input, &self.commands());
        let rows = self.attention.len();
        if let Some(to) = action.and_then(|a| moved(self.selected, rows, a)) {
            self.selected = to;
            return Handled::done();
        }
        let cmd = match action {
            Some(Action::RunImport) if self.to_bring_in() > 0 => self.import(),
            Some(Action::WriteReport) => self.write_report(),
            Some(Action::Back) => Cmd::Back,
            Some(_) => Cmd::None,
            None => return Handled::Ignored,
        };
        Handled::Consumed(cmd)
    }

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &DrawContext<'_>) -> Option<Position> {
        let theme = ctx.theme;
        let c = &self.check.counts;
        let block = Block::bordered().title(Span::styled(
            format!(" Check of \"{}\": {} rows ", self.check.sheet, c.rows()),
            theme.title,
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 {
            return None;
        }
        let head = format!("{} can come in: {}.", self.to_bring_in(), c.summary());
        let next = if self.to_bring_in() == 0 {
            format!(
                "Nothing here would add anyone or change anyone on file: {} to go back and change the settings.",
                ctx.key(Context::Home, Action::Back)
            )
        } else if c.problem > 0 {
            format!(
                "Put the rows below right in the spreadsheet, then {} and {} to check again; or {} to import the rest.",
                ctx.key(Context::Home, Action::Back),
                ctx.key(Context::Home, Action::CheckImport),
                ctx.key(Context::Home, Action::RunImport)
            )
        } else {
            format!(
                "{} imports them, as one change.",
                ctx.key(Context::Home, Action::RunImport)
            )
        };
        let width = inner.width as usize;
        let wrap = crate::tui::widgets::popup::wrap;
        let mut top: Vec<Line> = wrap(&head, width).into_iter().map(Line::raw).collect();
        top.extend(wrap(&next, width).into_iter().map(|l| Line::styled(l, theme.dim)));
        top.truncate((inner.height as usize).saturating_sub(1));
        let used = top.len() as u16;
        for (i, line) in top.into_iter().enumerate() {
            line.render(
                Rect {
                    y: inner.y + i as u16,
                    height: 1,
                    ..inner
                },
                buf,
            );
        }
        let list = Rect {
            y: inner.y + used,
            height: inner.height - used,
            ..inner
        };
        let lines = &self.attention;
        if lines.is_empty() {
            Line::styled("Every row can come in as it is.", theme.dim).render(list, buf);
            return None;
        }
        // The selected row's whole sentence, wrapped, under the list.
        let tall = lines
            .get(self.selected)
            .map(|t| crate::tui::widgets::popup::wrap(t, width).len())
            .unwrap_or(0)
            .clamp(1, 6) as u16;
        let list = if list.height > tall + 3 {
            let detail = Rect {
                y: list.y + list.height - tall,
                height: tall,
                ..list
            };
            if let Some(text) = lines.get(self.selected) {
                ratatui::widgets::Paragraph::new(text.clone())
                    .style(theme.dim)
                    .wrap(ratatui::widgets::Wrap { trim: true })
                    .render(detail, buf);
            }
            Rect {
                height: list.height - tall - 1,
                ..list
            }
        } else {
            list
        };
        let rows = list.height as usize;
        self.scroll = super::scroll_for(self.selected, rows, self.scroll);
        for (i, text) in lines.iter().enumerate().skip(self.scroll).take(rows) {
            let y = list.y + (i - self.scroll) as u16;
            let line = Line::raw(super::fit(text, width));
            super::draw_row(buf, list.x, y, list.width, &line, i == self.selected, theme);
        }
        None
    }

    fn title(&self) -> String {
        "Import check".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_and_the_mapping_are_named_after_the_spreadsheet() {
        assert_eq!(
            report_path(Path::new("/home/vol/clients.xlsx")),
            PathBuf::from("/home/vol/clients-report.csv")
        );
        assert_eq!(mapping_name(Path::new("/home/vol/clients.xlsx")), "clients");
    }
}
