//! Reads a charity's spreadsheet file into a [`Sheet`] of cells: CSV through the `csv` crate
//! (UTF-8, or Windows' Latin-1 as older Excel saves it), and XLSX, XLSM, XLSB, XLS and ODS
//! through `calamine`, with cells the spreadsheet stores as dates kept as dates. Nothing
//! here writes anywhere; every failure is a sentence saying what to do.

use crate::domain::import::Cell;
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
    // Numbered as the spreadsheet numbers them (from 1).
    let rows: Vec<(usize, Vec<Cell>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i + 1, cells.iter().map(cell).collect()))
        .collect();
    sheet_from(path, name, rows)
}

/// The sheet from its numbered rows: the header row found (title rows above it passed
/// over), the rows under it kept with their numbers.
fn sheet_from(path: &Path, name: String, mut rows: Vec<(usize, Vec<Cell>)>) -> Result<Sheet, String> {
    let cells: Vec<Vec<Cell>> = rows.iter().take(10).map(|(_, c)| c.clone()).collect();
    let at = crate::domain::import::header_row(&cells);
    let mut rest = rows.split_off(at.min(rows.len()));
    if rest.is_empty() {
        return Err(format!(
            "The sheet \"{name}\" of {} is empty: choose the sheet with the people on it.",
            path.display()
        ));
    }
    let (_, header_cells) = rest.remove(0);
    let mut headers: Vec<String> = header_cells.iter().map(header_text).collect();
    // A header left empty still names its column, so it can be mapped.
    for (i, h) in headers.iter_mut().enumerate() {
        if h.trim().is_empty() {
            *h = format!("Column {}", column_letters(i));
        }
    }
    Ok(Sheet {
        name,
        headers,
        rows: rest,
    })
}

/// A column's letters as a spreadsheet shows them (0 is A, 26 is AA).
fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
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
        // As the workbook counts days (1900 or, from old Macs, 1904).
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
                Some(date) if (1900..=2200).contains(&y) => Cell::Date(date),
                _ => Cell::Number(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        // ODS stores dates as ISO text ("1940-12-25" or "1940-12-25T00:00:00").
        Data::DateTimeIso(s) => Cell::Text(s.split('T').next().unwrap_or(s).to_string()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e}")),
    }
}

/// The text of a CSV file: UTF-8 (with or without its byte-order mark), UTF-16 with its
/// mark (Excel's "Unicode text"), or else Windows-1252, as older Excel saves CSV.
fn decode(bytes: Vec<u8>) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |le: bool, rest: &[u8]| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| {
                if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, rest);
    }
    match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => e.into_bytes().iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// A Windows-1252 byte as its character: Latin-1, except 0x80 to 0x9F, where Windows keeps
/// curly quotes, dashes, the euro sign and a few letters.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The separator a text file uses: a comma, or a tab or semicolon when its first line has
/// more of those (Excel's "Text (Tab delimited)", and CSV where the comma is a decimal point).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [b'\t', b';']
        .into_iter()
        .filter(|d| count(char::from(*d)) > count(','))
        .max_by_key(|d| count(char::from(*d)))
        .unwrap_or(b',')
}

fn read_csv(path: &Path) -> Result<Sheet, String> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line each record starts on, counted from its byte offset: blank lines, which the
    // reader passes over, still count, as they do in the spreadsheet the file came from.
    let (mut line, mut counted) = (1, 0);
    for r in reader.records() {
        let r = r.map_err(|e| unreadable(path, e))?;
        let mut at = r
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(counted)
            .min(text.len());
        // The reader places a record after blank lines at the first of them.
        while at < text.len() && matches!(text.as_bytes()[at], b'\n' | b'\r') {
            at += 1;
        }
        line += text.as_bytes()[counted..at].iter().filter(|b| **b == b'\n').count();
        counted = at;
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
        rows.push((line, cells));
    }
    sheet_from(path, csv_sheet_name(path), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_sheet(bytes: &[u8]) -> Sheet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, bytes).unwrap();
        read(&path, None).unwrap()
    }

    #[test]
    fn windows_text_reads_with_its_curly_quotes() {
        let sheet = csv_sheet(b"Name\nMary O\x92Brien\nCaf\xe9 Owner\n");
        assert_eq!(sheet.rows[0].1, vec![Cell::Text("Mary O\u{2019}Brien".into())]);
        assert_eq!(sheet.rows[1].1, vec![Cell::Text("Caf\u{e9} Owner".into())]);
    }

    #[test]
    fn byte_order_marks_tabs_and_semicolons_are_understood() {
        let sheet = csv_sheet(b"\xEF\xBB\xBFName,Tel\nAda Quill,01295 111222\n");
        assert_eq!(sheet.headers, vec!["Name", "Tel"]);
        let sheet = csv_sheet(b"Name\tTel\nAda Quill\t01295 111222\n");
        assert_eq!(sheet.headers, vec!["Name", "Tel"]);
        let sheet = csv_sheet(b"Name;Tel\nAda Quill;01295 111222\n");
        assert_eq!(sheet.headers, vec!["Name", "Tel"]);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Name,Tel\nAda,1\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(csv_sheet(&utf16).headers, vec!["Name", "Tel"]);
    }

    #[test]
    fn rows_keep_their_line_numbers_past_blank_lines_and_title_rows() {
        let sheet = csv_sheet(b"Client list\n\nName,Tel\nAda Quill,1\n\nBob Test,2\n");
        assert_eq!(sheet.headers, vec!["Name", "Tel"]);
        let numbers: Vec<usize> = sheet.rows.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, vec![4, 6]);
    }

    #[test]
    fn an_empty_file_is_refused_and_empty_headers_are_named_by_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.csv");
        std::fs::write(&path, b"").unwrap();
        assert!(read(&path, None).unwrap_err().contains("is empty"));
        let sheet = csv_sheet(b"Name,,Tel\nAda,x,1\n");
        assert_eq!(sheet.headers, vec!["Name", "Column B", "Tel"]);
        assert_eq!(column_letters(26), "AA");
    }
}
