//! `dutydesk import FILE`: a charity's spreadsheet into the case file. The sheet is read,
//! its columns mapped (a saved mapping made for the same headers, else guessed, then
//! `--map` overrides), every row checked; `--dry-run` stops there. The report (row, status,
//! message) goes to stdout for the rows that need attention and, in full, to `--report`.
//! After an import the user is told to delete or lock away the source file.

use super::commands::unlock;
use super::output::{self, say};
use super::CliError;
use crate::domain::import_plan::{DuplicatePolicy, Sheet};
use crate::store::import::{ImportCheck, ImportSettings, RowStatus};
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
    if a.dry_run {
        let check = store.check_import(&sheet, &settings)?;
        if let Some(name) = &a.save_mapping {
            store.save_mapping(name, &settings.mapping)?;
        }
        report(&check, &settings, &a, true)?;
        if check.counts.problem > 0 {
            return Err(CliError::negative(format!(
                "{} rows have problems: put them right in the spreadsheet and check again (nothing was changed).",
                check.counts.problem
            )));
        }
        return Ok(());
    }
    let bar = std::io::stderr().is_terminal() && !a.json;
    let result = store.import(&sheet, &settings, &mut |n, total| {
        if bar {
            progress(n, total)
        }
    });
    if bar {
        output::to_stderr(format_args!("\n"));
    }
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            // Nothing was written: the report says why, row by row.
            if let Ok(check) = store.check_import(&sheet, &settings) {
                report(&check, &settings, &a, true)?;
            }
            return Err(e.into());
        }
    };
    if let Some(name) = &a.save_mapping {
        store.save_mapping(name, &settings.mapping)?;
    }
    report(&done, &settings, &a, false)?;
    output::to_stderr(format_args!(
        "dutydesk: {} still holds these people's details, unencrypted: delete it now, or lock it away if the charity must keep it.\n",
        a.file.display()
    ));
    Ok(())
}

/// The report: in full to `--report` if asked, and the rows needing attention to stdout.
fn report(check: &ImportCheck, settings: &ImportSettings, a: &ImportArgs, dry: bool) -> Res {
    if let Some(path) = &a.report {
        write_report(path, check)?;
    }
    print_check(check, settings, a.json, a.report.as_deref(), dry)
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

fn print_check(check: &ImportCheck, settings: &ImportSettings, json: bool, report: Option<&Path>, dry: bool) -> Res {
    if json {
        let value = serde_json::json!({
            "sheet": check.sheet,
            "dry_run": dry,
            "counts": check.counts,
            "rows": check.rows,
        });
        return output::json(&value);
    }
    let columns: Vec<String> = settings
        .mapping
        .columns
        .iter()
        .map(|(h, t)| format!("{h} -> {}", t.map(|t| t.label()).unwrap_or("(left out)")))
        .collect();
    say!("Columns: {}", columns.join("; "));
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
        match report {
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
