//! `dutydesk import FILE`: a charity's spreadsheet into the case file. The sheet is read,
//! its columns mapped (a saved mapping made for the same headers, else guessed, then
//! `--map` overrides), every row checked; `--dry-run` stops there. The report (row, status,
//! message) goes to stdout for the rows that need attention and, in full, to `--report`.
//! After an import the user is told to delete or lock away the source file.

use super::args::{ImportArgs, LinkArgs};
use super::commands::unlock;
use super::output::{self, say};
use super::CliError;
use crate::domain::import_plan::{DuplicatePolicy, Sheet};
use crate::domain::RelationKind;
use crate::store::import::{ImportCheck, ImportSettings, RowStatus};
use crate::store::import_links::LinkSettings;
use crate::store::{DataDir, Store};
use std::io::IsTerminal;
use std::path::Path;

type Res = Result<(), CliError>;

/// How many rows needing attention are printed before pointing to the report.
const SHOWN: usize = 20;

pub(super) fn import(dir: &DataDir, user: Option<&str>, a: ImportArgs) -> Res {
    let policy = DuplicatePolicy::parse(&a.duplicates).ok_or_else(|| {
        CliError::new(format!(
            "--duplicates {} is not a choice: use skip, fill, update or create.",
            a.duplicates
        ))
    })?;
    let sheet = crate::spreadsheet::read(&a.run.file, a.run.sheet.as_deref()).map_err(CliError::new)?;
    let mut store = unlock(dir, user)?;
    let settings = settings(&store, &sheet, &a, policy)?;
    let columns: Vec<String> = settings
        .mapping
        .columns
        .iter()
        .map(|(h, t)| format!("{h} -> {}", t.map(|t| t.label()).unwrap_or("(left out)")))
        .collect();
    let how = Reporting {
        dry_run: a.run.dry_run,
        json: a.run.json,
        report: a.run.report.as_deref(),
        columns: format!("Columns: {}", columns.join("; ")),
    };
    // A check saves a usable mapping whatever it finds in the rows (they are put right, not
    // the columns); an import only once it has succeeded.
    if let Some(name) = a
        .save_mapping
        .as_deref()
        .filter(|_| a.run.dry_run && settings.mapping.problem().is_none())
    {
        store.save_mapping(name, &settings.mapping)?;
    }
    let left_out: Vec<&str> = settings
        .mapping
        .columns
        .iter()
        .filter(|(_, t)| t.is_none())
        .map(|(h, _)| h.as_str())
        .collect();
    if !left_out.is_empty() && !a.run.json {
        output::to_stderr(format_args!(
            "dutydesk: columns left out: {}. If one holds something to keep, map it with --map \"HEADER=FIELD\" (see --help for the fields).\n",
            output::clean(&left_out.join(", "))
        ));
    }
    let done = run(&mut store, &how, &|s: &Store| s.check_import(&sheet, &settings))?;
    if let Some(done) = done {
        source_reminder(&a.run.file, &done);
        if let Some(name) = &a.save_mapping {
            if let Err(e) = store.save_mapping(name, &settings.mapping) {
                output::to_stderr(format_args!("dutydesk: the mapping was not saved: {e}\n"));
            }
        }
    }
    Ok(())
}

/// `dutydesk import-links FILE`: next of kin, relatives, emergency contacts and the rota.
pub(super) fn import_links(dir: &DataDir, user: Option<&str>, a: LinkArgs) -> Res {
    let kind = RelationKind::parse(&a.kind).map_err(|_| {
        CliError::new(format!(
            "--kind {} is not a link: use one of {}.",
            a.kind,
            RelationKind::ALL.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let sheet = crate::spreadsheet::read(&a.run.file, a.run.sheet.as_deref()).map_err(CliError::new)?;
    let mut store = unlock(dir, user)?;
    let settings = LinkSettings {
        from: a.person_column.clone(),
        to: a.other_column.clone(),
        kind,
        services: a
            .services
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        services_column: a.services_column.clone(),
        relation_column: a.relation_column.clone(),
        obtained_from: a.from.clone(),
    };
    let how = Reporting {
        dry_run: a.run.dry_run,
        json: a.run.json,
        report: a.run.report.as_deref(),
        columns: format!(
            "Links: \"{}\" -> {} -> \"{}\"",
            a.person_column,
            kind.label().to_lowercase(),
            a.other_column
        ),
    };
    if let Some(done) = run(&mut store, &how, &|s: &Store| s.check_links(&sheet, &settings))? {
        source_reminder(&a.run.file, &done);
    }
    Ok(())
}

/// How a check or an import is reported.
struct Reporting<'a> {
    dry_run: bool,
    json: bool,
    report: Option<&'a Path>,
    /// The line saying which columns are read as what.
    columns: String,
}

type Check<'a> = dyn Fn(&Store) -> Result<ImportCheck, crate::store::StoreError> + 'a;

/// What became of the rows, for the report's last words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// `--dry-run`: checked only.
    Checked,
    Imported,
    /// Nothing would add or change anything, so nothing was written.
    NothingToDo,
}

/// "1 row has a problem", "3 rows have problems".
fn problem_rows(n: usize) -> String {
    match n {
        1 => "1 row has a problem".into(),
        n => format!("{n} rows have problems"),
    }
}

/// Checks; with `--dry-run` stops there (exit 1 on problems); otherwise writes what the
/// check found, with a progress bar on a terminal, and reports. Exit 1 when no row would
/// add or change anything. Returns the check as written.
fn run(store: &mut Store, how: &Reporting<'_>, check: &Check<'_>) -> Result<Option<ImportCheck>, CliError> {
    let checked = check(store)?;
    if how.dry_run {
        report(&checked, how, Outcome::Checked)?;
        if checked.counts.problem > 0 {
            return Err(CliError::negative(format!(
                "{}: put them right in the spreadsheet and check again (nothing was changed).",
                problem_rows(checked.counts.problem)
            )));
        }
        if !checked.writes_anything() {
            return Err(CliError::negative(
                "No row of the sheet would add or change anything (nothing was changed).".into(),
            ));
        }
        return Ok(None);
    }
    if !checked.writes_anything() {
        report(&checked, how, Outcome::NothingToDo)?;
        return Err(CliError::negative(
            "No row of the sheet would add or change anything: nothing was imported. Read the rows above.".into(),
        ));
    }
    let bar = std::io::stderr().is_terminal() && !how.json;
    let result = store.write_import(checked, &mut |n, total| {
        if bar {
            progress(n, total)
        }
    });
    if bar {
        output::to_stderr(format_args!("\n"));
    }
    let done = result?;
    report(&done, how, Outcome::Imported)?;
    Ok(Some(done))
}

/// After an import: what to do with the source file. Rows left out with problems still
/// need it; otherwise it should go.
fn source_reminder(file: &Path, done: &ImportCheck) {
    let what = "it holds these people's details, unencrypted";
    if done.counts.problem > 0 {
        let left = match done.counts.problem {
            1 => "1 row with a problem was".to_string(),
            n => format!("{n} rows with problems were"),
        };
        output::to_stderr(format_args!(
            "dutydesk: {left} left out: put them right in {} and import it again (whoever is already in is found and left alone); then delete it, or lock it away: {what}.\n",
            file.display()
        ));
    } else {
        output::to_stderr(format_args!(
            "dutydesk: now delete {}, or lock it away if the charity must keep it: {what}.\n",
            file.display()
        ));
    }
}

/// The report: in full to `--report` if asked, and the rows needing attention to stdout.
fn report(check: &ImportCheck, how: &Reporting<'_>, outcome: Outcome) -> Res {
    if let Some(path) = how.report {
        crate::export::import_report::write(check, path)?;
    }
    print_check(check, how, outcome)
}

/// The import's settings from the arguments, the saved mappings and the sheet's headers.
fn settings(store: &Store, sheet: &Sheet, a: &ImportArgs, policy: DuplicatePolicy) -> Result<ImportSettings, CliError> {
    let (mut mapping, saved) = match &a.mapping {
        Some(name) => {
            let m = store.mapping(name)?.ok_or_else(|| {
                CliError::new(format!(
                    "There is no saved mapping called \"{name}\": leave out --mapping to have the columns guessed."
                ))
            })?;
            if !m.fits(&sheet.headers) {
                return Err(CliError::new(format!(
                    "The mapping \"{name}\" was saved for other columns: leave out --mapping, and fix any column with --map HEADER=FIELD."
                )));
            }
            (m, Some(name.clone()))
        }
        None => store.mapping_for(&sheet.headers)?,
    };
    if let Some(name) = saved {
        output::to_stderr(format_args!("dutydesk: using the saved mapping \"{name}\".\n"));
    }
    for m in &a.map {
        mapping.set(m).map_err(CliError::new)?;
    }
    let category = a.category.as_deref().map(|c| store.import_category(c)).transpose()?;
    Ok(ImportSettings {
        mapping,
        category,
        obtained_from: a.from.clone(),
        policy,
    })
}

fn progress(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = done * WIDTH / total.max(1);
    output::to_stderr(format_args!(
        "\rImporting [{}{}] {done}/{total}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    ));
}

fn print_check(check: &ImportCheck, how: &Reporting<'_>, outcome: Outcome) -> Res {
    if how.json {
        let value = serde_json::json!({
            "sheet": check.sheet,
            "dry_run": outcome == Outcome::Checked,
            "imported": outcome == Outcome::Imported,
            "counts": check.counts,
            "rows": check.rows,
        });
        return output::json(&value);
    }
    // Headers and quoted cells come from the user's file: never raw to the terminal.
    say!("{}", output::clean(&how.columns));
    let brought = check.counts.new + check.counts.fill + check.counts.update;
    let verb = match (outcome == Outcome::Imported, brought) {
        (true, 1) => "was",
        (true, _) => "were",
        (false, _) => "would be",
    };
    let rows = match check.counts.rows() {
        1 => "1 row".to_string(),
        n => format!("{n} rows"),
    };
    say!(
        "Sheet \"{}\": {rows}; {brought} {verb} brought in ({}).",
        check.sheet,
        check.counts.summary()
    );
    let attention: Vec<_> = check
        .rows
        .iter()
        .filter(|r| matches!(r.status, RowStatus::Problem | RowStatus::Repeat | RowStatus::Skip))
        .collect();
    for r in attention.iter().take(SHOWN) {
        say!("Row {}: {}: {}", r.row, r.status.key(), output::clean(&r.message));
    }
    if attention.len() > SHOWN {
        match how.report {
            Some(p) => say!(
                "{} more rows need attention: see {}.",
                attention.len() - SHOWN,
                p.display()
            ),
            None => say!(
                "{} more rows need attention: add --report FILE to have every row's status written.",
                attention.len() - SHOWN
            ),
        }
    }
    if outcome == Outcome::Checked {
        say!("Dry run: nothing was changed. Put the rows right and check again, or run without --dry-run to import.");
    }
    Ok(())
}
