//! Reads a charity's spreadsheet file into a [`Sheet`] of cells: CSV through the `csv` crate
//! (UTF-8, or Windows' Latin-1 as older Excel saves it), and XLSX, XLSM, XLSB, XLS and ODS
//! through `calamine`, with cells the spreadsheet stores as dates kept as dates. Nothing
//! here writes anywhere; every failure is a sentence saying what to do.

use crate::domain::import::{excel_serial, Cell};
use crate::domain::import_plan::Sheet;
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

/// The kinds of file the import reads, by extension, as the README and `--help` list them.
pub const EXTENSIONS: [&str; 7] = ["csv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods"];

fn is_text(path: &Path) -> bool {
    matches!(extension(path).as_str(), "csv" | "txt")
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> String {
    format!(
        "dutydesk cannot read {} as a spreadsheet ({why}): save it from your spreadsheet program as .xlsx, .ods or .csv and try again.",
        path.display()
    )
}

fn check_kind(path: &Path) -> Result<(), String> {
    if !path.is_file() {
        return Err(format!(
            "There is no file at {}: check the path (drag the file onto the terminal to type it).",
            path.display()
        ));
    }
    if !EXTENSIONS.contains(&extension(path).as_str()) {
        return Err(format!(
            "{} is not a kind of file dutydesk reads: save it as one of .{}.",
            path.display(),
            EXTENSIONS.join(", .")
        ));
    }
    Ok(())
}

/// The names of the file's sheets, in order (a CSV file has one, named after the file).
pub fn sheet_names(path: &Path) -> Result<Vec<String>, String> {
    check_kind(path)?;
    if is_text(path) {
        return Ok(vec![csv_sheet_name(path)]);
    }
    let book = open_workbook_auto(path).map_err(|e| unreadable(path, e))?;
    Ok(book.sheet_names())
}

fn csv_sheet_name(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Sheet1")
        .to_string()
}

/// Reads one sheet (the first when `sheet` is `None`): its first row as headers, every
/// other row numbered as the spreadsheet numbers it.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, String> {
    check_kind(path)?;
    if is_text(path) {
        return read_csv(path);
    }
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(path, e))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "{} has no sheet called \"{s}\": choose one of \"{}\".",
                    path.display(),
                    names.join("\", \"")
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| unreadable(path, "it has no sheets"))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| unreadable(path, e))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows = range.rows().enumerate();
    let headers = match rows.next() {
        Some((_, cells)) => cells.iter().map(|c| header_text(&cell(c))).collect(),
        None => Vec::new(),
    };
    let rows = rows
        .map(|(i, cells)| (first_row + i + 1, cells.iter().map(cell).collect()))
        .collect();
    Ok(Sheet { name, headers, rows })
}

fn header_text(c: &Cell) -> String {
    crate::domain::import::text_cell(c, crate::domain::import::Target::Notes)
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(dt) if dt.is_datetime() => match excel_serial(dt.as_f64()) {
            Some(date) => Cell::Date(date),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        // ODS stores dates as ISO text ("1940-12-25" or "1940-12-25T00:00:00").
        Data::DateTimeIso(s) => Cell::Text(s.split('T').next().unwrap_or(s).to_string()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e}")),
    }
}

fn read_csv(path: &Path) -> Result<Sheet, String> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        // Older Excel saves CSV in Windows' Latin-1: each byte is the character.
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(r) => r
            .map_err(|e| unreadable(path, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for (i, r) in records.enumerate() {
        let r = r.map_err(|e| unreadable(path, e))?;
        let cells = r
            .iter()
            .map(|c| {
                if c.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect();
        rows.push((i + 2, cells));
    }
    Ok(Sheet {
        name: csv_sheet_name(path),
        headers,
        rows,
    })
}
