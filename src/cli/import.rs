//! `dutydesk import FILE`: a charity's spreadsheet into the case file. The sheet is read,
//! its columns mapped (a saved mapping made for the same headers, else guessed, then
//! `--map` overrides), every row checked; `--dry-run` stops there. The report (row, status,
//! message) goes to stdout for the rows that need attention and, in full, to `--report`.
//! After an import the user is told to delete or lock away the source file.

use super::commands::unlock;
use super::output::{self, say};
use super::CliError;
use crate::domain::import_plan::{DuplicatePolicy, Sheet};
use crate::domain::RelationKind;
use crate::store::import::{ImportCheck, ImportSettings, RowStatus};
use crate::store::import_links::LinkSettings;
use crate::store::{DataDir, Store};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

type Res = Result<(), CliError>;

/// What the user asked for on the command line.
pub(super) struct ImportArgs {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub category: Option<String>,
    pub from: Option<String>,
    pub duplicates: String,
    pub map: Vec<String>,
    pub mapping: Option<String>,
    pub save_mapping: Option<String>,
    pub dry_run: bool,
    pub report: Option<PathBuf>,
    pub json: bool,
}

/// How many rows needing attention are printed before pointing to the report.
const SHOWN: usize = 20;

pub(super) fn import(dir: &DataDir, user: Option<&str>, a: ImportArgs) -> Res {
    let policy = DuplicatePolicy::parse(&a.duplicates).ok_or_else(|| {
        CliError::new(format!(
            "--duplicates {} is not a choice: use skip, fill, update or create.",
            a.duplicates
        ))
    })?;
    let sheet = crate::spreadsheet::read(&a.file, a.sheet.as_deref()).map_err(CliError::new)?;
    let mut store = unlock(dir, user)?;
    let settings = settings(&store, &sheet, &a, policy)?;
    let columns: Vec<String> = settings
        .mapping
        .columns
        .iter()
        .map(|(h, t)| format!("{h} -> {}", t.map(|t| t.label()).unwrap_or("(left out)")))
        .collect();
    let how = Reporting {
        dry_run: a.dry_run,
        json: a.json,
        report: a.report.as_deref(),
        columns: format!("Columns: {}", columns.join("; ")),
    };
    // A check saves the mapping whatever it finds (the rows are put right, not the columns);
    // an import only once it has succeeded.
    if let Some(name) = a.save_mapping.as_deref().filter(|_| a.dry_run) {
        store.save_mapping(name, &settings.mapping)?;
    }
    let done = run(
        &mut store,
        &how,
        &|s: &Store| s.check_import(&sheet, &settings),
        &mut |s: &mut Store, p: &mut dyn FnMut(usize, usize)| s.import(&sheet, &settings, p),
    )?;
    if let Some(name) = a.save_mapping.as_deref().filter(|_| done) {
        store.save_mapping(name, &settings.mapping)?;
    }
    if done {
        output::to_stderr(format_args!(
            "dutydesk: {} still holds these people's details, unencrypted: delete it now, or lock it away if the charity must keep it.\n",
            a.file.display()
        ));
    }
    Ok(())
}

/// What `import-links` was asked.
pub(super) struct LinkArgs {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub person_column: String,
    pub other_column: String,
    pub kind: String,
    pub services: Option<String>,
    pub services_column: Option<String>,
    pub from: Option<String>,
    pub dry_run: bool,
    pub report: Option<PathBuf>,
    pub json: bool,
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
    let sheet = crate::spreadsheet::read(&a.file, a.sheet.as_deref()).map_err(CliError::new)?;
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
        obtained_from: a.from.clone(),
    };
    let how = Reporting {
        dry_run: a.dry_run,
        json: a.json,
        report: a.report.as_deref(),
        columns: format!(
            "Links: \"{}\" -> {} -> \"{}\"",
            a.person_column,
            kind.label().to_lowercase(),
            a.other_column
        ),
    };
    let done = run(
        &mut store,
        &how,
        &|s: &Store| s.check_links(&sheet, &settings),
        &mut |s: &mut Store, p: &mut dyn FnMut(usize, usize)| s.import_links(&sheet, &settings, p),
    )?;
    if done {
        output::to_stderr(format_args!(
            "dutydesk: {} still holds these people's details, unencrypted: delete it now, or lock it away if the charity must keep it.\n",
            a.file.display()
        ));
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
type Write<'a> =
    dyn FnMut(&mut Store, &mut dyn FnMut(usize, usize)) -> Result<ImportCheck, crate::store::StoreError> + 'a;

/// Checks (`--dry-run`: and stops, exit 1 on problems) or writes, with a progress bar on a
/// terminal, then reports; returns whether anything was written.
fn run(store: &mut Store, how: &Reporting<'_>, check: &Check<'_>, write: &mut Write<'_>) -> Result<bool, CliError> {
    if how.dry_run {
        let checked = check(store)?;
        report(&checked, how, true)?;
        if checked.counts.problem > 0 {
            let rows = match checked.counts.problem {
                1 => "1 row has a problem".to_string(),
                n => format!("{n} rows have problems"),
            };
            return Err(CliError::negative(format!(
                "{rows}: put them right in the spreadsheet and check again (nothing was changed)."
            )));
        }
        return Ok(false);
    }
    let bar = std::io::stderr().is_terminal() && !how.json;
    let result = write(store, &mut |n, total| {
        if bar {
            progress(n, total)
        }
    });
    if bar {
        output::to_stderr(format_args!("\n"));
    }
    match result {
        Ok(done) => {
            report(&done, how, false)?;
            Ok(true)
        }
        Err(e) => {
            // Nothing was written: the report says why, row by row.
            if let Ok(checked) = check(store) {
                report(&checked, how, true)?;
            }
            Err(e.into())
        }
    }
}

/// The report: in full to `--report` if asked, and the rows needing attention to stdout.
fn report(check: &ImportCheck, how: &Reporting<'_>, dry: bool) -> Res {
    if let Some(path) = how.report {
        write_report(path, check)?;
    }
    print_check(check, how, dry)
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

fn print_check(check: &ImportCheck, how: &Reporting<'_>, dry: bool) -> Res {
    if how.json {
        let value = serde_json::json!({
            "sheet": check.sheet,
            "dry_run": dry,
            "counts": check.counts,
            "rows": check.rows,
        });
        return output::json(&value);
    }
    say!("{}", how.columns);
    let verb = if dry { "would be" } else { "were" };
    say!(
        "Sheet \"{}\": {} rows; {} {verb} brought in ({}).",
        check.sheet,
        check.counts.rows(),
        check.counts.new + check.counts.fill + check.counts.update,
        check.counts.summary()
    );
    let attention: Vec<_> = check
        .rows
        .iter()
        .filter(|r| matches!(r.status, RowStatus::Problem | RowStatus::Repeat | RowStatus::Skip))
        .collect();
    for r in attention.iter().take(SHOWN) {
        say!("Row {}: {}: {}", r.row, r.status.key(), r.message);
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
    if dry {
        say!("Dry run: nothing was changed. Put the rows right and check again, or run without --dry-run to import.");
    }
    Ok(())
}

/// The report as CSV (row, status, person_id, message), written privately: it says which
/// rows of the user's own file were wrong, and names people on file by id only.
fn write_report(path: &Path, check: &ImportCheck) -> Res {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["row", "status", "person_id", "message"])?;
    for r in &check.rows {
        w.write_record([
            r.row.to_string(),
            r.status.key().to_string(),
            r.person_id.map(|i| i.to_string()).unwrap_or_default(),
            r.message.clone(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| CliError::new(e.to_string()))?;
    crate::store::datadir::write_atomic(path, &bytes)?;
    Ok(())
}
