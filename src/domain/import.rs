//! The rules for bringing a charity's spreadsheet in, before anything touches the case file:
//! which field a column is (guessed from its header, for the user to confirm), how a "Name"
//! column splits into title, given and family name, and how a spreadsheet's date cell reads
//! (UK day-first text, ISO text, or Excel's serial numbers), with a sentence for each cell
//! that cannot be read. Nothing here reads the clock or a file.

use chrono::{Duration, NaiveDate};

/// The field a spreadsheet column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Title,
    GivenName,
    FamilyName,
    /// A whole name in one column ("Mrs Ada Quill"), split on import.
    FullName,
    Aliases,
    Address,
    Postcode,
    Phone,
    Email,
    DateOfBirth,
    Organisation,
    Notes,
    /// The person's category in the charity's words ("Client", "Volunteer"), several
    /// separated by commas; rows without one take the category chosen for the import.
    Category,
    /// Who gave the charity the person's details ("Age UK", "Daughter"); empty, "self" or
    /// "direct" when the person gave them themselves.
    Source,
}

impl Target {
    pub const ALL: [Target; 14] = [
        Target::Title,
        Target::GivenName,
        Target::FamilyName,
        Target::FullName,
        Target::Aliases,
        Target::Address,
        Target::Postcode,
        Target::Phone,
        Target::Email,
        Target::DateOfBirth,
        Target::Organisation,
        Target::Notes,
        Target::Category,
        Target::Source,
    ];

    /// How the field is called when the mapping is shown.
    pub fn label(self) -> &'static str {
        match self {
            Target::Title => "Title",
            Target::GivenName => "Given name",
            Target::FamilyName => "Family name",
            Target::FullName => "Whole name",
            Target::Aliases => "Also known as",
            Target::Address => "Address",
            Target::Postcode => "Postcode",
            Target::Phone => "Phone",
            Target::Email => "Email",
            Target::DateOfBirth => "Date of birth",
            Target::Organisation => "Organisation",
            Target::Notes => "Notes",
            Target::Category => "Category",
            Target::Source => "Details came from",
        }
    }

    /// The name a saved mapping and `--map` use ("given_name").
    pub fn key(self) -> &'static str {
        match self {
            Target::Title => "title",
            Target::GivenName => "given_name",
            Target::FamilyName => "family_name",
            Target::FullName => "full_name",
            Target::Aliases => "aliases",
            Target::Address => "address",
            Target::Postcode => "postcode",
            Target::Phone => "phone",
            Target::Email => "email",
            Target::DateOfBirth => "date_of_birth",
            Target::Organisation => "organisation",
            Target::Notes => "notes",
            Target::Category => "category",
            Target::Source => "source",
        }
    }

    /// The field a key or label names, in any case ("given_name", "Given name").
    pub fn parse(s: &str) -> Option<Target> {
        let s = s.trim();
        Target::ALL
            .into_iter()
            .find(|t| t.key().eq_ignore_ascii_case(s) || t.label().eq_ignore_ascii_case(s))
    }

    /// Whether several columns may fill it (address lines, phone numbers, notes), joined.
    pub fn joins(self) -> bool {
        matches!(self, Target::Address | Target::Phone | Target::Notes | Target::Aliases)
    }
}

/// Header words, as a header reads once lowercased with punctuation turned to spaces, and
/// the field each names. Longer phrases are tried first, so "post code" is not "code".
const HEADERS: &[(&str, Target)] = &[
    ("title", Target::Title),
    ("salutation", Target::Title),
    ("first name", Target::GivenName),
    ("forename", Target::GivenName),
    ("forenames", Target::GivenName),
    ("given name", Target::GivenName),
    ("given names", Target::GivenName),
    ("christian name", Target::GivenName),
    ("first", Target::GivenName),
    ("surname", Target::FamilyName),
    ("last name", Target::FamilyName),
    ("family name", Target::FamilyName),
    ("last", Target::FamilyName),
    ("name", Target::FullName),
    ("full name", Target::FullName),
    ("client name", Target::FullName),
    ("volunteer name", Target::FullName),
    ("contact name", Target::FullName),
    ("contact number", Target::Phone),
    ("contact no", Target::Phone),
    ("known as", Target::Aliases),
    ("preferred name", Target::Aliases),
    ("nickname", Target::Aliases),
    ("alias", Target::Aliases),
    ("address", Target::Address),
    ("address 1", Target::Address),
    ("address 2", Target::Address),
    ("address line 1", Target::Address),
    ("address line 2", Target::Address),
    ("street", Target::Address),
    ("town", Target::Address),
    ("village", Target::Address),
    ("city", Target::Address),
    ("postcode", Target::Postcode),
    ("post code", Target::Postcode),
    ("postal code", Target::Postcode),
    ("phone", Target::Phone),
    ("telephone", Target::Phone),
    ("tel", Target::Phone),
    ("tel no", Target::Phone),
    ("phone number", Target::Phone),
    ("mobile", Target::Phone),
    ("mobile number", Target::Phone),
    ("home phone", Target::Phone),
    ("landline", Target::Phone),
    ("email", Target::Email),
    ("e mail", Target::Email),
    ("email address", Target::Email),
    ("dob", Target::DateOfBirth),
    ("d o b", Target::DateOfBirth),
    ("date of birth", Target::DateOfBirth),
    ("birth date", Target::DateOfBirth),
    ("birthday", Target::DateOfBirth),
    ("organisation", Target::Organisation),
    ("organization", Target::Organisation),
    ("company", Target::Organisation),
    ("agency", Target::Organisation),
    ("employer", Target::Organisation),
    ("notes", Target::Notes),
    ("note", Target::Notes),
    ("comments", Target::Notes),
    ("comment", Target::Notes),
    ("category", Target::Category),
    ("categories", Target::Category),
    ("type", Target::Category),
    ("role", Target::Category),
    ("client or volunteer", Target::Category),
    ("source", Target::Source),
    ("referred by", Target::Source),
    ("referrer", Target::Source),
    ("referral source", Target::Source),
    ("referral from", Target::Source),
    ("how obtained", Target::Source),
    ("details from", Target::Source),
];

/// A header as compared: lowercase, punctuation as spaces, runs of spaces as one.
fn normalise(header: &str) -> String {
    header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a column's header names, if it is one dutydesk knows ("Surname" -> family
/// name, "Tel. No." -> phone); `None` for a column the user maps by hand or leaves out.
pub fn guess(header: &str) -> Option<Target> {
    let h = normalise(header);
    HEADERS
        .iter()
        .find(|(words, _)| *words == h)
        .map(|(_, t)| *t)
        .or_else(|| guess_by_word(&h))
}

/// Words that name a field wherever they stand in a header ("Home tel", "Phone no.",
/// "Client type", "County"), tried when the whole header is not one dutydesk knows. The
/// first that matches wins, so "email" is found before "mail".
const WORDS: &[(&str, Target)] = &[
    ("email", Target::Email),
    ("postcode", Target::Postcode),
    ("phone", Target::Phone),
    ("telephone", Target::Phone),
    ("tel", Target::Phone),
    ("mobile", Target::Phone),
    ("landline", Target::Phone),
    ("mob", Target::Phone),
    ("dob", Target::DateOfBirth),
    ("birth", Target::DateOfBirth),
    ("surname", Target::FamilyName),
    ("forename", Target::GivenName),
    ("forenames", Target::GivenName),
    ("address", Target::Address),
    ("street", Target::Address),
    ("town", Target::Address),
    ("village", Target::Address),
    ("county", Target::Address),
    ("referred", Target::Source),
    ("referrer", Target::Source),
    ("type", Target::Category),
    ("category", Target::Category),
    ("notes", Target::Notes),
    ("comments", Target::Notes),
];

fn guess_by_word(normalised: &str) -> Option<Target> {
    let words: Vec<&str> = normalised.split(' ').collect();
    for (phrase, target) in [("e mail", Target::Email), ("post code", Target::Postcode)] {
        if normalised.contains(phrase) {
            return Some(target);
        }
    }
    WORDS.iter().find(|(w, _)| words.contains(w)).map(|(_, t)| *t)
}

/// Which of a sheet's first rows holds the headers: the first (of the first ten) with a
/// cell dutydesk knows as a header, so title rows above ("Client list, March") are passed
/// over; else the first row with anything in it. Rows are as a reader gives them.
pub fn header_row(rows: &[Vec<Cell>]) -> usize {
    fn known(cells: &[Cell]) -> usize {
        cells
            .iter()
            .filter(|c| matches!(c, Cell::Text(t) if guess(t).is_some()))
            .count()
    }
    let first_ten = || rows.iter().take(10).enumerate();
    first_ten()
        .find(|(_, cells)| known(cells) >= 2)
        .or_else(|| first_ten().find(|(_, cells)| known(cells) == 1))
        .or_else(|| first_ten().find(|(_, cells)| cells.iter().any(|c| !matches!(c, Cell::Empty))))
        .map(|(i, _)| i)
        .unwrap_or(0)
}

/// A whole name split into (title, given name, family name): a leading title from the
/// usual list, the last word as the family name, the rest as the given name. "Quill, Ada"
/// reads family name first.
pub fn split_name(whole: &str) -> (Option<String>, String, String) {
    const TITLES: [&str; 12] = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "prof", "sir", "dame", "lady",
    ];
    let (text, comma_family) = match whole.split_once(',') {
        Some((family, given)) => (given.trim().to_string(), Some(family.trim().to_string())),
        None => (whole.trim().to_string(), None),
    };
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let title = words
        .first()
        .filter(|w| TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .map(|w| w.to_string());
    if title.is_some() {
        words.remove(0);
    }
    match comma_family {
        Some(family) => (title, words.join(" "), family),
        None => {
            let family = words.pop().unwrap_or_default().to_string();
            (title, words.join(" "), family)
        }
    }
}

/// A spreadsheet cell, as a reader gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell the spreadsheet itself stores as a date.
    Date(NaiveDate),
}

/// The date an Excel serial number stands for (the 1900 date system, days since
/// 30/12/1899, with Excel's phantom 29/02/1900 at serial 60 refused); `None` outside 1900 to
/// 2200 or for a fraction of a day only.
pub fn excel_serial(serial: f64) -> Option<NaiveDate> {
    // 73,415 is 01/01/2101; anything larger is no one's date of birth (and far larger
    // numbers, a phone number in the wrong column, would overflow the arithmetic).
    if !serial.is_finite() || !(1.0..110_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let date = match days {
        // 1 is 01/01/1900; Excel counts a 29/02/1900 that never was as 60.
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)? + Duration::days(days),
        60 => return None,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)? + Duration::days(days),
    };
    (1900..=2200).contains(&chrono::Datelike::year(&date)).then_some(date)
}

/// Reads a date cell: a date the spreadsheet stores, an Excel serial number, or text typed
/// day first (25/12/1960, 25-12-1960, 1960-12-25). Text that only reads month first
/// (12/25/1960) is refused with a sentence saying so, never swapped silently.
pub fn date_cell(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::Number(n) => excel_serial(*n).map(Some).ok_or_else(|| {
            if n.abs() < 1e6 {
                format!("{n} is not a date: type it as DD/MM/YYYY, or format the column as dates.")
            } else {
                "The number in this cell is not a date (a phone number in the wrong column?): type the date as DD/MM/YYYY.".into()
            }
        }),
        Cell::Text(t) if t.trim().is_empty() => Ok(None),
        Cell::Text(t) => match crate::domain::validate::date(t) {
            Ok(d) => Ok(Some(d)),
            Err(e) => {
                // 12/25/1960: the second number cannot be a month, the first can.
                let parts: Vec<&str> = t.trim().split(['/', '-', '.']).collect();
                let month_first = parts.len() == 3
                    && parts[0].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
                    && parts[1].parse::<u32>().is_ok_and(|d| (13..=31).contains(&d));
                if month_first {
                    Err(format!(
                        "\"{}\" reads month first (American style): type it day first, like {}/{}/{}.",
                        crate::domain::validate::echo(t),
                        parts[1],
                        parts[0],
                        crate::domain::validate::echo(parts[2])
                    ))
                } else {
                    Err(e.message)
                }
            }
        },
    }
}

/// A cell as text for a text field: numbers without a trailing ".0" (a phone number a
/// spreadsheet stored as a number loses its leading 0, which is put back for an 11-digit
/// UK number of 10 digits).
pub fn text_cell(cell: &Cell, target: Target) -> String {
    match cell {
        Cell::Empty => String::new(),
        // A CSV saved from a sheet where the phone column held numbers: "1632960001".
        Cell::Text(t)
            if target == Target::Phone
                && t.trim().len() == 10
                && t.trim().chars().all(|c| c.is_ascii_digit())
                && !t.trim().starts_with('0') =>
        {
            format!("0{}", t.trim())
        }
        Cell::Text(t) => t.trim().to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::Number(n) => {
            let s = if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            };
            if target == Target::Phone && s.len() == 10 && !s.starts_with('0') {
                format!("0{s}")
            } else {
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_header_row_is_found_below_title_rows() {
        let t = |s: &str| Cell::Text(s.into());
        let rows = vec![
            vec![t("Good Neighbours client list, March"), Cell::Empty],
            vec![Cell::Empty, Cell::Empty],
            vec![t("Surname"), t("First name"), t("Tel")],
            vec![t("Quill"), t("Ada"), Cell::Number(1295111222.0)],
        ];
        assert_eq!(header_row(&rows), 2);
        assert_eq!(header_row(&rows[2..]), 0);
        assert_eq!(
            header_row(&[vec![t("Shoe"), t("Hat")]]),
            0,
            "no header known: the first row"
        );
        assert_eq!(header_row(&[]), 0);
    }

    #[test]
    fn phone_numbers_that_lost_their_zero_get_it_back() {
        assert_eq!(
            text_cell(&Cell::Text("1632960001".into()), Target::Phone),
            "01632960001"
        );
        assert_eq!(text_cell(&Cell::Number(1632960001.0), Target::Phone), "01632960001");
        assert_eq!(text_cell(&Cell::Text("1632960001".into()), Target::Notes), "1632960001");
    }

    #[test]
    fn numbers_no_one_was_born_on_are_not_dates_and_never_panic() {
        for n in [
            110_000.0,
            1e8,
            7_700_900_123.0,
            f64::MAX,
            -1.0,
            0.5,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(excel_serial(n), None, "{n}");
            assert!(date_cell(&Cell::Number(n)).is_err(), "{n}");
        }
    }

    #[test]
    fn headers_are_guessed_the_way_charities_write_them() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<Target>)] = &[
            ("First Name", Some(Target::GivenName)),
            ("FORENAME", Some(Target::GivenName)),
            ("Surname", Some(Target::FamilyName)),
            ("Last name", Some(Target::FamilyName)),
            ("Name", Some(Target::FullName)),
            ("Client name", Some(Target::FullName)),
            ("Tel. No.", Some(Target::Phone)),
            ("Mobile", Some(Target::Phone)),
            ("E-mail", Some(Target::Email)),
            ("Post Code", Some(Target::Postcode)),
            ("Address line 2", Some(Target::Address)),
            ("D.O.B.", Some(Target::DateOfBirth)),
            ("Date of birth", Some(Target::DateOfBirth)),
            ("Organization", Some(Target::Organisation)),
            ("Comments", Some(Target::Notes)),
            ("Known as", Some(Target::Aliases)),
            ("Client or volunteer?", Some(Target::Category)),
            ("Home tel", Some(Target::Phone)),
            ("Mob.", Some(Target::Phone)),
            ("Mob no.", Some(Target::Phone)),
            ("Contact number", Some(Target::Phone)),
            ("Phone no.", Some(Target::Phone)),
            ("Client type", Some(Target::Category)),
            ("County", Some(Target::Address)),
            ("E-mail address (home)", Some(Target::Email)),
            ("Date of Birth", Some(Target::DateOfBirth)),
            ("Referred by (agency)", Some(Target::Source)),
            ("Referred by", Some(Target::Source)),
            ("Shoe size", None),
            ("", None),
        ];
        for (header, want) in rows {
            assert_eq!(guess(header), *want, "{header:?}");
        }
        assert!(Target::Address.joins() && Target::Phone.joins());
        assert!(!Target::Email.joins() && !Target::FamilyName.joins());
    }

    #[test]
    fn whole_names_split_into_title_given_and_family() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<&str>, &str, &str)] = &[
            ("Mrs Ada Quill", Some("Mrs"), "Ada", "Quill"),
            ("Dr. Ravi Sandhu", Some("Dr."), "Ravi", "Sandhu"),
            ("Mary Anne Oakhill", None, "Mary Anne", "Oakhill"),
            ("Quill, Ada", None, "Ada", "Quill"),
            ("Oakhill, Mrs Margaret", Some("Mrs"), "Margaret", "Oakhill"),
            ("Prince", None, "", "Prince"),
            ("  ", None, "", ""),
        ];
        for (whole, title, given, family) in rows {
            let (t, g, f) = split_name(whole);
            assert_eq!(
                (t.as_deref(), g.as_str(), f.as_str()),
                (*title, *given, *family),
                "{whole:?}"
            );
        }
    }

    #[test]
    fn excel_serial_numbers_are_the_dates_excel_shows() {
        #[rustfmt::skip]
        let rows: &[(f64, Option<&str>)] = &[
            (1.0, Some("1900-01-01")),
            (59.0, Some("1900-02-28")),
            (60.0, None), // Excel's 29/02/1900, which never was
            (61.0, Some("1900-03-01")),
            (14_000.0, Some("1938-04-30")),
            (46_351.0, Some("2026-11-25")),
            (46_351.75, Some("2026-11-25")), // a time of day is dropped
            (0.5, None),
            (-3.0, None),
            (f64::NAN, None),
            (200_000.0, None), // past 2200
        ];
        for (serial, want) in rows {
            assert_eq!(excel_serial(*serial), want.map(d), "{serial}");
        }
    }

    #[test]
    fn date_cells_read_day_first_and_say_what_is_wrong() {
        assert_eq!(date_cell(&Cell::Text("03/04/1938".into())), Ok(Some(d("1938-04-03"))));
        assert_eq!(date_cell(&Cell::Text("1938-04-03".into())), Ok(Some(d("1938-04-03"))));
        assert_eq!(date_cell(&Cell::Number(14_000.0)), Ok(Some(d("1938-04-30"))));
        assert_eq!(date_cell(&Cell::Date(d("1938-04-03"))), Ok(Some(d("1938-04-03"))));
        assert_eq!(date_cell(&Cell::Empty), Ok(None));
        assert_eq!(date_cell(&Cell::Text("  ".into())), Ok(None));
        let us = date_cell(&Cell::Text("12/25/1960".into())).unwrap_err();
        assert!(us.contains("month first") && us.contains("25/12/1960"), "{us}");
        let bad = date_cell(&Cell::Text("31/02/1960".into())).unwrap_err();
        assert!(bad.contains("does not exist"), "{bad}");
        assert!(date_cell(&Cell::Number(60.0)).unwrap_err().contains("not a date"));
    }

    #[test]
    fn numbers_read_as_text_keep_a_phone_numbers_leading_zero() {
        assert_eq!(text_cell(&Cell::Number(7_700_900_123.0), Target::Phone), "07700900123");
        assert_eq!(text_cell(&Cell::Number(12.0), Target::Address), "12");
        assert_eq!(text_cell(&Cell::Number(1.5), Target::Notes), "1.5");
        assert_eq!(text_cell(&Cell::Text(" Ada ".into()), Target::GivenName), "Ada");
        assert_eq!(text_cell(&Cell::Date(d("2026-11-25")), Target::Notes), "25/11/2026");
    }

    proptest::proptest! {
        /// From 01/03/1900 on, a serial is the count of days since 30/12/1899, as Excel and
        /// every spreadsheet that copies it write dates.
        #[test]
        fn serials_from_march_1900_count_days(days in 61i64..=109_573) {
            let date = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + Duration::days(days);
            proptest::prop_assert_eq!(excel_serial(days as f64), Some(date));
            proptest::prop_assert_eq!(date_cell(&Cell::Number(days as f64 + 0.25)), Ok(Some(date)));
        }
    }
}
