//! Validation and normalisation of what a duty officer types: phone numbers, email addresses,
//! postcodes, dates, names and free text.
//!
//! Every validator is a pure function from the typed text to either the normalised value (the
//! form that is stored and shown) or an [`InvalidInput`] naming the field and saying, in one
//! sentence fit to put on screen, what is wrong and what to do about it. Validating a value that
//! is already normalised gives the same value back, so forms can re-validate freely.
//!
//! Messages may quote what was typed, but only a short, cleaned copy (at most 30 characters,
//! with control and invisible direction-changing characters removed), so a pasted wall of text
//! or a hostile string cannot mess up the screen.
//!
//! The search keys ([`phone_digits`], [`postcode_key`]) never fail: they are used on fragments
//! typed into a search box as well as on stored values.
//!
//! Deliberate limits, so the rules stay simple and predictable:
//! - Phone numbers are UK numbers with 11 digits (starting 0, or +44 / 0044). International
//!   numbers other than UK ones, and the few UK numbers with 10 digits, are refused with a
//!   message saying to put them in the notes.
//! - Postcodes are checked for shape only (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA,
//!   AA9A 9AA, and GIR 0AA), not against the Royal Mail address file.
//! - Email addresses get a pragmatic check, not RFC 5322: quoted local parts are refused.

use chrono::{Datelike, Months, NaiveDate};

/// Longest name, in characters.
pub const MAX_NAME: usize = 80;
/// Longest single line of free text (a reference, a relationship, a short description).
pub const MAX_LINE: usize = 200;
/// Longest multi-line note.
pub const MAX_NOTE: usize = 4000;
/// Longest postal address (all lines together).
pub const MAX_ADDRESS: usize = 300;
/// Longest title (Mr, Mrs, Ms, Miss, Mx, Dr, Rev, The Rt Hon ...).
pub const MAX_TITLE: usize = 20;

/// How many characters of the typed text an error message may quote.
const ECHO_CHARS: usize = 30;

/// Typed input that cannot be accepted.
///
/// `field` is the stable snake_case name of the field (`"phone"`, `"postcode"`, ...), for the
/// form to put the cursor back in the right place; `message` is one sentence for the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    /// The snake_case name of the field that was wrong.
    pub field: &'static str,
    /// One sentence saying what is wrong and what to do, ready to show.
    pub message: String,
}

impl InvalidInput {
    /// An error for `field` with a sentence saying what is wrong and what to do.
    pub fn new(field: &'static str, message: String) -> Self {
        InvalidInput { field, message }
    }

    /// The same error, reported against another field: for a form with several fields of the
    /// same kind (two phone numbers, several dates) that share one validator.
    pub fn in_field(mut self, field: &'static str) -> Self {
        self.field = field;
        self
    }
}

/// Treats blank input (only spaces or invisible characters) as "not given", and validates
/// anything else with `validate`.
///
/// ```
/// use dutydesk::domain::validate::{optional, phone};
/// assert_eq!(optional("  ", phone), Ok(None));
/// assert_eq!(optional("07700900123", phone), Ok(Some("07700 900123".to_string())));
/// ```
pub fn optional<T>(s: &str, validate: impl FnOnce(&str) -> Result<T, InvalidInput>) -> Result<Option<T>, InvalidInput> {
    if is_blank(s) {
        Ok(None)
    } else {
        validate(s).map(Some)
    }
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// Validates a UK phone number and returns it in national form with spaces, the way it is
/// written in the UK: `07700 900123`, `01632 960001`, `020 7946 0000`, `0161 496 0000`,
/// `0300 123 4567`.
///
/// Accepts spaces, hyphens, dots, slashes and brackets anywhere, a leading `+44` or `0044`,
/// and the `(0)` often written after `+44`. Refuses letters, numbers that are not 11 digits
/// long once written nationally, and international numbers other than UK ones.
///
/// The grouping follows Ofcom's conventions rather than a single 5+6 split, because that is
/// how people read them out: London and other 02 numbers are 3+4+4, the big-city codes
/// (011x and 01x1, such as 0161 and 0113) and 03, 08 and 09 numbers are 4+3+4, and other
/// 01 numbers and 07 mobiles are 5+6.
pub fn phone(s: &str) -> Result<String, InvalidInput> {
    const FIELD: &str = "phone";
    let t = s.trim();
    if is_blank(t) {
        return Err(InvalidInput::new(
            FIELD,
            "The phone number is empty: type it with its area code, like 01632 960001.".into(),
        ));
    }
    let mut digits = String::with_capacity(t.len());
    let mut plus = false;
    for (i, c) in t.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            '+' => {
                return Err(InvalidInput::new(
                    FIELD,
                    format!(
                        "The phone number \"{}\" has a + in the middle: type one number, \
                         with + only at the start.",
                        echo(t)
                    ),
                ))
            }
            '-' | '.' | '/' | '(' | ')' => {}
            c if c.is_whitespace() || is_junk(c) => {}
            c if c.is_alphabetic() => {
                return Err(InvalidInput::new(
                    FIELD,
                    format!(
                        "The phone number \"{}\" contains letters: type digits only, and put \
                         an extension or a note about the number in the notes.",
                        echo(t)
                    ),
                ))
            }
            _ => {
                return Err(InvalidInput::new(
                    FIELD,
                    format!(
                        "The phone number \"{}\" contains characters other than digits: type \
                         digits only, like 07700 900123.",
                        echo(t)
                    ),
                ))
            }
        }
    }
    let international = || {
        InvalidInput::new(
            FIELD,
            format!(
                "The phone number \"{}\" is not a UK number: only UK numbers are supported, \
                 so put this one in the notes.",
                echo(t)
            ),
        )
    };
    let national = if plus {
        match digits.strip_prefix("44") {
            Some(rest) => national_from_44(rest),
            None => return Err(international()),
        }
    } else if let Some(rest) = digits.strip_prefix("0044") {
        national_from_44(rest)
    } else if digits.starts_with("00") {
        return Err(international());
    } else if digits.starts_with('0') {
        digits
    } else {
        return Err(InvalidInput::new(
            FIELD,
            format!(
                "The phone number \"{}\" does not start with 0 or +44: type the full number \
                 with its area code, like 01632 960001.",
                echo(t)
            ),
        ));
    };
    let n = national.len(); // ASCII digits only, so bytes are characters
    if n != 11 {
        return Err(InvalidInput::new(
            FIELD,
            format!(
                "The phone number \"{}\" has {n} digits, but UK numbers have 11 starting \
                 with 0: check it and type it in full, or put it in the notes.",
                echo(t)
            ),
        ));
    }
    match national.as_bytes() {
        [b'0', b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9', ..] => {}
        _ => {
            return Err(InvalidInput::new(
                FIELD,
                format!(
                    "The phone number \"{}\" is not a UK number in use: check it and type it \
                     again, like 07700 900123.",
                    echo(t)
                ),
            ))
        }
    }
    Ok(format_national(&national))
}

/// The search key for a phone number: its digits only, with a leading `+44` or `0044` (and a
/// following `(0)`) turned into the national `0`. Works on fragments (`"900 123"` gives
/// `"900123"`) and never fails; `phone_digits(&phone(s)?) == phone_digits(s)`.
pub fn phone_digits(s: &str) -> String {
    let plus = s.trim_start().starts_with('+');
    let mut d: String = s.chars().filter(char::is_ascii_digit).collect();
    if plus {
        if let Some(rest) = d.strip_prefix("44") {
            d = national_from_44(rest);
        }
    }
    // A loop rather than an `if`, so the key of a key is the key itself.
    while let Some(rest) = d.strip_prefix("0044") {
        d = national_from_44(rest);
    }
    d
}

/// The national digits for what follows a `44` country code, dropping the `(0)` if present.
fn national_from_44(rest: &str) -> String {
    let rest = rest.strip_prefix('0').unwrap_or(rest);
    format!("0{rest}")
}

/// Groups 11 national digits the way UK numbers are conventionally written.
fn format_national(n: &str) -> String {
    let sizes: &[usize] = match n.as_bytes() {
        [b'0', b'2', ..] => &[3, 4, 4],
        [b'0', b'1', b'1', ..] | [b'0', b'1', _, b'1', ..] => &[4, 3, 4],
        [b'0', b'3' | b'8' | b'9', ..] => &[4, 3, 4],
        _ => &[5, 6],
    };
    let mut out = String::with_capacity(n.len() + sizes.len());
    let mut chars = n.chars();
    for (i, size) in sizes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(chars.by_ref().take(*size));
    }
    out.extend(chars);
    out
}

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

/// Characters that cannot appear unquoted in an email address (and quoting is not supported).
const EMAIL_FORBIDDEN: &[char] = &['"', '(', ')', ',', ':', ';', '<', '>', '[', ']', '\\'];

/// Validates an email address with a pragmatic check (one `@`, something before it of at most
/// 64 characters, a domain with a dot after it, no spaces, at most 254 characters in all) and
/// returns it trimmed, with the domain in lower case. The part before the `@` keeps its case.
pub fn email(s: &str) -> Result<String, InvalidInput> {
    const FIELD: &str = "email";
    let t = s.trim();
    let err = |what: &str| InvalidInput::new(FIELD, format!("The email address \"{}\" {what}.", echo(t)));
    if is_blank(t) {
        return Err(InvalidInput::new(
            FIELD,
            "The email address is empty: type it in full, like jo@example.org.uk.".into(),
        ));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(err("contains a space: remove it, and type just one address"));
    }
    if t.chars().any(|c| is_forbidden(c) || is_junk(c)) {
        return Err(err("contains a hidden character: delete it and type the address again"));
    }
    let (local, domain) = match t.split_once('@') {
        None => return Err(err("has no @: type the full address, like jo@example.org.uk")),
        Some((_, d)) if d.contains('@') => return Err(err("has more than one @: type just one address")),
        Some(parts) => parts,
    };
    if local.is_empty() {
        return Err(err(
            "has nothing before the @: type the full address, like jo@example.org.uk",
        ));
    }
    if local.chars().count() > 64 {
        return Err(err(
            "has more than 64 characters before the @: check it and type it again",
        ));
    }
    if let Some(c) = local.chars().find(|c| EMAIL_FORBIDDEN.contains(c)) {
        return Err(err(&format!(
            "contains {c}, which cannot be in an email address: check it and type it again"
        )));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(err(
            "has a dot in the wrong place before the @: check it and type it again",
        ));
    }
    let domain = domain.to_lowercase();
    if domain.is_empty() {
        return Err(err(
            "has nothing after the @: type the full address, like jo@example.org.uk",
        ));
    }
    if !domain.contains('.') {
        return Err(err("has no dot after the @: check the end of it, like @example.org.uk"));
    }
    if let Some(c) = domain
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(err(&format!(
            "contains {c} after the @, which cannot be in an email address: check it and \
             type it again"
        )));
    }
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if !labels_ok {
        return Err(err(
            "has a dot or hyphen in the wrong place after the @: check it and type it again",
        ));
    }
    let top = domain.rsplit('.').next().unwrap_or("");
    if top.chars().count() < 2 || top.chars().all(|c| c.is_ascii_digit()) {
        return Err(err(
            "does not end with a proper domain: check the end of it, like @example.org.uk",
        ));
    }
    let out = format!("{local}@{domain}");
    if out.chars().count() > 254 {
        return Err(err("is longer than 254 characters: check it and type it again"));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------------------------

/// Validates a UK postcode, ignoring case and spaces, and returns it in upper case with one
/// space before the last three characters: `"ox172rf"` gives `"OX17 2RF"`.
pub fn postcode(s: &str) -> Result<String, InvalidInput> {
    const FIELD: &str = "postcode";
    if is_blank(s) {
        return Err(InvalidInput::new(
            FIELD,
            "The postcode is empty: type it like OX17 2RF.".into(),
        ));
    }
    let key: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !is_junk(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // The outward part and the last three characters (the inward part); `None` when the key is
    // too short or the cut would fall inside a character.
    let parts = key.split_at_checked(key.len().saturating_sub(3));
    if is_postcode_key(&key) {
        if let Some((outward, inward)) = parts {
            return Ok(format!("{outward} {inward}"));
        }
    }
    // A common slip: the letter O where the zero of the last part should be (SW1A OAA).
    let zero_fix = matches!(parts, Some((outward, inward))
        if inward.starts_with('O')
            && is_postcode_key(&format!("{outward}0{}", inward.get(1..).unwrap_or(""))));
    let message = if zero_fix {
        format!(
            "The postcode \"{}\" is not a UK postcode: the last part starts with a number, so \
             type 0 (zero) rather than the letter O.",
            echo(s)
        )
    } else {
        format!(
            "The postcode \"{}\" is not a UK postcode: use the form OX17 2RF, with a number \
             and two letters at the end.",
            echo(s)
        )
    };
    Err(InvalidInput::new(FIELD, message))
}

/// The search key for a postcode or a fragment of one: upper case, without spaces. Never fails.
pub fn postcode_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// True for an upper-case postcode without spaces in one of the UK shapes.
fn is_postcode_key(k: &str) -> bool {
    if k == "GIR0AA" {
        return true;
    }
    let b = k.as_bytes();
    if b.len() < 5 || b.len() > 7 {
        return false;
    }
    let (outward, inward) = b.split_at(b.len() - 3);
    let a = |c: &u8| c.is_ascii_uppercase();
    let d = |c: &u8| c.is_ascii_digit();
    let inward_ok = matches!(inward, [x, y, z] if d(x) && a(y) && a(z));
    let outward_ok = match outward {
        [w, x] => a(w) && d(x),
        [w, x, y] => a(w) && (d(x) || a(x)) && d(y) || a(w) && d(x) && a(y),
        [w, x, y, z] => a(w) && a(x) && d(y) && (d(z) || a(z)),
        _ => false,
    };
    inward_ok && outward_ok
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/// Reads a date typed as `YYYY-MM-DD`, `DD/MM/YYYY`, `D/M/YYYY` or `DD-MM-YYYY`, refusing dates
/// that do not exist (31/02/2026) and two-digit years.
pub fn date(s: &str) -> Result<NaiveDate, InvalidInput> {
    parse_date("date", "date", s)
}

/// Reads a date of birth (in any form [`date`] accepts) that is not after `today` and not more
/// than 120 years before it.
pub fn date_of_birth(s: &str, today: NaiveDate) -> Result<NaiveDate, InvalidInput> {
    const FIELD: &str = "date_of_birth";
    let d = parse_date(FIELD, "date of birth", s)?;
    if d > today {
        return Err(InvalidInput::new(
            FIELD,
            format!(
                "The date of birth {} is in the future: check the year, and type it as \
                 DD/MM/YYYY.",
                uk_date(d)
            ),
        ));
    }
    if let Some(oldest) = today.checked_sub_months(Months::new(120 * 12)) {
        if d < oldest {
            return Err(InvalidInput::new(
                FIELD,
                format!(
                    "The date of birth {} is more than 120 years ago: check the year, and type \
                     it as DD/MM/YYYY.",
                    uk_date(d)
                ),
            ));
        }
    }
    Ok(d)
}

/// The years a typed date may have: anything else is a typing mistake (and years past 9999
/// would print with a sign, `+10000-01-31`).
pub const YEARS: std::ops::RangeInclusive<u32> = 1900..=2200;

fn parse_date(field: &'static str, label: &str, s: &str) -> Result<NaiveDate, InvalidInput> {
    let t = s.trim();
    if is_blank(t) {
        return Err(InvalidInput::new(
            field,
            format!("The {label} is empty: type it as DD/MM/YYYY, like 25/12/2026."),
        ));
    }
    let unreadable = || {
        InvalidInput::new(
            field,
            format!(
                "The {label} \"{}\" is not a date in a form dutydesk reads: type it as \
                 DD/MM/YYYY, like 25/12/2026.",
                echo(t)
            ),
        )
    };
    let sep = if t.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = t.split(sep).collect();
    let [first, second, third] = parts.as_slice() else {
        return Err(unreadable());
    };
    let all_digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if ![first, second, third].iter().all(|p| all_digits(p)) {
        return Err(unreadable());
    }
    let (y, m, d) = if first.len() == 4 {
        (*first, *second, *third)
    } else {
        (*third, *second, *first)
    };
    if m.len() > 2 || d.len() > 2 {
        return Err(unreadable());
    }
    if y.len() != 4 {
        return Err(InvalidInput::new(
            field,
            format!(
                "The {label} \"{}\" does not have a four-digit year: type it as DD/MM/YYYY, \
                 like 25/12/2026.",
                echo(t)
            ),
        ));
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
        return Err(unreadable());
    };
    if !YEARS.contains(&y) {
        return Err(InvalidInput::new(
            field,
            format!(
                "The {label} \"{}\" has the year {y}, which dutydesk does not take: use a year \
                 from {} to {}, typed as DD/MM/YYYY.",
                echo(t),
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| {
            InvalidInput::new(
                field,
                format!(
                    "The {label} \"{}\" does not exist: check the day and month, and type it as \
                     DD/MM/YYYY, like 25/12/2026.",
                    echo(t)
                ),
            )
        })
}

/// A date as UK readers expect it on screen: DD/MM/YYYY.
fn uk_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

// ---------------------------------------------------------------------------------------------
// Names and free text
// ---------------------------------------------------------------------------------------------

/// Validates a person's name: trimmed, runs of spaces (and tabs or line breaks, as pasted)
/// collapsed to one space, at most [`MAX_NAME`] characters, and at least one letter.
pub fn name(s: &str) -> Result<String, InvalidInput> {
    let v = required_line("name", "name", s, MAX_NAME)?;
    if !v.chars().any(char::is_alphabetic) {
        return Err(InvalidInput::new(
            "name",
            format!(
                "The name \"{}\" has no letters in it: type the person's name.",
                echo(&v)
            ),
        ));
    }
    Ok(v)
}

/// Validates an optional title (Mr, Mrs, Ms, Miss, Mx, Dr, Rev ...): free text of at most
/// [`MAX_TITLE`] characters; blank gives `None`.
pub fn title(s: &str) -> Result<Option<String>, InvalidInput> {
    optional(s, |s| required_line("title", "title", s, MAX_TITLE))
}

/// Validates a required single line of free text of at most `max_chars` characters (use
/// [`MAX_LINE`] unless the field has its own limit): trimmed, with runs of whitespace collapsed
/// to one space. `field` is the snake_case field name; messages show it with spaces.
pub fn text(field: &'static str, s: &str, max_chars: usize) -> Result<String, InvalidInput> {
    required_line(field, &field.replace('_', " "), s, max_chars)
}

/// Like [`text`], but blank input gives `None`.
pub fn optional_text(field: &'static str, s: &str, max_chars: usize) -> Result<Option<String>, InvalidInput> {
    optional(s, |s| text(field, s, max_chars))
}

/// Validates multi-line free text (notes, addresses) of at most `max_chars` characters
/// ([`MAX_NOTE`], [`MAX_ADDRESS`]). Line breaks of any kind become `\n`, tabs are kept, spaces
/// at the ends of lines and blank lines at the start and end are removed; other control
/// characters are refused. Blank input gives an empty string: check it yourself if the field is
/// required.
pub fn note(field: &'static str, s: &str, max_chars: usize) -> Result<String, InvalidInput> {
    let label = field.replace('_', " ");
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                buf.push('\n');
            }
            '\n' | '\u{0085}' | '\u{2028}' | '\u{2029}' => buf.push('\n'),
            '\t' => buf.push('\t'),
            c if is_junk(c) => {}
            c if is_forbidden(c) => return Err(hidden_character(field, &label, c)),
            c => buf.push(c),
        }
    }
    let lines: Vec<&str> = buf.split('\n').map(str::trim_end).collect();
    let out = lines.join("\n").trim().to_string();
    check_length(field, &label, &out, max_chars)?;
    Ok(out)
}

fn required_line(field: &'static str, label: &str, s: &str, max_chars: usize) -> Result<String, InvalidInput> {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else if is_junk(c) {
        } else if is_forbidden(c) {
            return Err(hidden_character(field, label, c));
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if out.is_empty() {
        return Err(InvalidInput::new(field, format!("The {label} is empty: fill it in.")));
    }
    check_length(field, label, &out, max_chars)?;
    Ok(out)
}

fn check_length(field: &'static str, label: &str, v: &str, max_chars: usize) -> Result<(), InvalidInput> {
    let n = v.chars().count();
    if n > max_chars {
        return Err(InvalidInput::new(
            field,
            format!(
                "The {label} is too long ({n} characters): shorten it to {max_chars} characters \
                 or fewer."
            ),
        ));
    }
    Ok(())
}

fn hidden_character(field: &'static str, label: &str, c: char) -> InvalidInput {
    InvalidInput::new(
        field,
        format!(
            "The {label} contains a hidden control character (U+{:04X}): delete it, or type the \
             text again rather than pasting it.",
            u32::from(c)
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Characters
// ---------------------------------------------------------------------------------------------

/// Invisible characters that pasted text often carries and that mean nothing: removed silently.
fn is_junk(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Characters refused in text: control characters, and the invisible bidirectional controls
/// that can make text display as something other than what it is.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// True if `s` holds nothing but whitespace and junk.
fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_junk(c))
}

/// A short, safe copy of typed text to quote in a message: trimmed, control and direction
/// characters dropped, whitespace shown as spaces, at most [`ECHO_CHARS`] characters.
pub(crate) fn echo(s: &str) -> String {
    let mut out = String::new();
    let mut kept = 0;
    for c in s.trim().chars() {
        if is_forbidden(c) && !c.is_whitespace() || is_junk(c) {
            continue;
        }
        if kept == ECHO_CHARS {
            out.push('…');
            break;
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
        kept += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that a message is fit for the screen: one sentence, starting "The", naming the
    /// field, with a colon before the fix, a verb telling the user what to do, and a full stop.
    fn assert_good_message(e: &InvalidInput, field: &str, label: &str, input: &str) {
        let m = &e.message;
        assert_eq!(e.field, field, "field for {input:?}: {m}");
        assert!(m.starts_with(&format!("The {label}")), "label for {input:?}: {m}");
        assert!(m.ends_with('.'), "full stop for {input:?}: {m}");
        // One sentence: no full stop followed by a space outside the quoted input.
        let unquoted: String = m.split('"').step_by(2).collect();
        assert!(!unquoted.contains(". "), "one sentence for {input:?}: {m}");
        let fix = unquoted.split_once(": ").map(|(_, f)| f).unwrap_or("");
        let verbs = ["type", "use", "check", "delete", "remove", "shorten", "fill", "put"];
        assert!(verbs.iter().any(|v| fix.contains(v)), "fix for {input:?}: {m}");
        assert!(!m.chars().any(char::is_control), "control char in {m:?}");
        assert_eq!(e.to_string(), *m);
    }

    #[test]
    fn phone_valid() {
        let rows = [
            ("07700 900123", "07700 900123"),
            ("07700900123", "07700 900123"),
            ("+44 7700 900123", "07700 900123"),
            ("+44 (0)7700 900123", "07700 900123"),
            ("+447700900123", "07700 900123"),
            ("0044 7700 900123", "07700 900123"),
            ("07700-900-123", "07700 900123"),
            ("07700.900.123", "07700 900123"),
            ("  07700 900 123  ", "07700 900123"),
            ("01632 960 001", "01632 960001"),
            ("(01632) 960001", "01632 960001"),
            ("+44 (0) 1632 960001", "01632 960001"),
            ("0161 496 0000", "0161 496 0000"),
            ("01614960000", "0161 496 0000"),
            ("0113 496 0000", "0113 496 0000"),
            ("020 7946 0000", "020 7946 0000"),
            ("02079460000", "020 7946 0000"),
            ("+44 20 7946 0000", "020 7946 0000"),
            ("(020) 7946-0000", "020 7946 0000"),
            ("0300 123 4567", "0300 123 4567"),
            ("0808 157 0000", "0808 157 0000"),
            ("07700\u{00A0}900123", "07700 900123"),
        ];
        for (input, want) in rows {
            assert_eq!(phone(input).as_deref(), Ok(want), "input {input:?}");
            assert_eq!(phone(want).as_deref(), Ok(want), "idempotent {want:?}");
            assert_eq!(phone_digits(input), phone_digits(want), "key {input:?}");
        }
    }

    #[test]
    fn phone_invalid() {
        let rows = [
            ("", "empty"),
            ("   ", "empty"),
            ("0770 090012", "10 digits"),
            ("077009001234", "12 digits"),
            ("+44 7700 90012", "10 digits"),
            ("07700 9OO123", "letters"),
            ("call 07700 900123", "letters"),
            ("07700 900123 ext 4", "extension"),
            ("+33 1 23 45 67 89", "notes"),
            ("0033 1 23 45 67 89", "notes"),
            ("+1 202 555 0100", "notes"),
            ("7700 900123", "start with 0"),
            ("447700900123", "start with 0"),
            ("07700#900123", "digits only"),
            ("0770+0900123", "+ in the middle"),
            ("04700 900123", "not a UK number in use"),
            ("+44 0044 7700 900", "not a UK number in use"),
            ("07700\u{202E}900123", "digits only"),
            ("０７７００ ９００１２３", "digits only"),
        ];
        for (input, needle) in rows {
            let e = phone(input).expect_err(input);
            assert_good_message(&e, "phone", "phone number", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
    }

    #[test]
    fn phone_digits_is_a_search_key() {
        let rows = [
            ("900 123", "900123"),
            ("07700 900123", "07700900123"),
            ("+44 7700 900123", "07700900123"),
            ("+44 (0)7700 900123", "07700900123"),
            ("0044 7700", "07700"),
            ("+44", "0"),
            ("44 12", "4412"),
            ("+33 1 23", "33123"),
            ("", ""),
            ("abc", ""),
            ("(0161) 496-0000", "01614960000"),
        ];
        for (input, want) in rows {
            assert_eq!(phone_digits(input), want, "input {input:?}");
        }
    }

    #[test]
    fn email_valid() {
        let rows = [
            ("jo@example.org.uk", "jo@example.org.uk"),
            ("Jo.Bloggs@Example.ORG.uk", "Jo.Bloggs@example.org.uk"),
            ("  a@b.co  ", "a@b.co"),
            ("first+tag@gmail.com", "first+tag@gmail.com"),
            ("o'brien@example.co.uk", "o'brien@example.co.uk"),
            ("x@sub.domain.example.com", "x@sub.domain.example.com"),
            ("a_b@c-d.org", "a_b@c-d.org"),
            ("zoë@bücher.de", "zoë@bücher.de"),
            ("JO@EXAMPLE.COM", "JO@example.com"),
            ("123@456.xn--p1ai", "123@456.xn--p1ai"),
        ];
        for (input, want) in rows {
            assert_eq!(email(input).as_deref(), Ok(want), "input {input:?}");
            assert_eq!(email(want).as_deref(), Ok(want), "idempotent {want:?}");
        }
        let longest_local = format!("{}@example.org", "a".repeat(64));
        assert!(email(&longest_local).is_ok());
    }

    #[test]
    fn email_invalid() {
        let long_local = format!("{}@example.org", "a".repeat(65));
        let long_total = format!("jo@{}.org", "a".repeat(250));
        let rows: Vec<(&str, &str)> = vec![
            ("", "empty"),
            ("jo", "no @"),
            ("jo@", "nothing after"),
            ("@example.org", "nothing before"),
            ("jo@example", "no dot"),
            ("jo bloggs@example.org", "space"),
            ("jo@example.org, sam@example.org", "space"),
            ("jo@@example.org", "more than one @"),
            ("jo@ex@ample.org", "more than one @"),
            ("jo@example..org", "wrong place"),
            (".jo@example.org", "wrong place"),
            ("jo.@example.org", "wrong place"),
            ("jo@-example.org", "wrong place"),
            ("jo@example.org.", "wrong place"),
            ("jo@example,org", ","),
            ("<jo@example.org>", "<"),
            ("jo@example.c", "proper domain"),
            ("jo@10.0.0.1", "proper domain"),
            ("jo\u{0}@example.org", "hidden"),
            (long_local.as_str(), "64"),
            (long_total.as_str(), "254"),
        ];
        for (input, needle) in rows {
            let e = email(input).expect_err(input);
            assert_good_message(&e, "email", "email address", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
    }

    #[test]
    fn postcode_valid() {
        let rows = [
            ("OX17 2RF", "OX17 2RF"),
            ("ox17 2rf", "OX17 2RF"),
            ("OX172RF", "OX17 2RF"),
            ("  ox17   2rf ", "OX17 2RF"),
            ("s w 1 a 1 a a", "SW1A 1AA"),
            ("M1 1AE", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("EC1A 1BB", "EC1A 1BB"),
            ("L1 8JQ", "L1 8JQ"),
            ("gir 0aa", "GIR 0AA"),
            ("SW1A\t1AA", "SW1A 1AA"),
        ];
        for (input, want) in rows {
            assert_eq!(postcode(input).as_deref(), Ok(want), "input {input:?}");
            assert_eq!(postcode(want).as_deref(), Ok(want), "idempotent {want:?}");
            assert_eq!(postcode_key(input), want.replace(' ', ""), "key {input:?}");
        }
    }

    #[test]
    fn postcode_invalid() {
        let rows = [
            ("", "empty"),
            ("   ", "empty"),
            ("OX17 2R", "OX17 2RF"),
            ("OX17", "OX17 2RF"),
            ("12345", "OX17 2RF"),
            ("OX17 RF2", "OX17 2RF"),
            ("ZZZZ 1AA", "OX17 2RF"),
            ("A1 AAA", "OX17 2RF"),
            ("1A 1AA", "OX17 2RF"),
            ("AB123 1AA", "OX17 2RF"),
            ("M1 1ÄE", "OX17 2RF"),
            ("OX17-2RF", "OX17 2RF"),
            ("EC1A 1BBX", "OX17 2RF"),
            ("BFPO 123", "OX17 2RF"),
            ("SW1A OAA", "zero"),
            ("💥💥💥💥💥💥", "OX17 2RF"),
        ];
        for (input, needle) in rows {
            let e = postcode(input).expect_err(input);
            assert_good_message(&e, "postcode", "postcode", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
        let e = postcode("OX17 2R").expect_err("short");
        assert_eq!(
            e.message,
            "The postcode \"OX17 2R\" is not a UK postcode: use the form OX17 2RF, with a \
             number and two letters at the end."
        );
    }

    #[test]
    fn postcode_key_for_fragments() {
        assert_eq!(postcode_key("ox17"), "OX17");
        assert_eq!(postcode_key(" ox1 7 "), "OX17");
        assert_eq!(postcode_key(""), "");
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    #[test]
    fn date_valid() {
        let rows = [
            ("2026-03-01", ymd(2026, 3, 1)),
            ("01/03/2026", ymd(2026, 3, 1)),
            ("1/3/2026", ymd(2026, 3, 1)),
            ("01-03-2026", ymd(2026, 3, 1)),
            ("1-3-2026", ymd(2026, 3, 1)),
            ("29/02/2024", ymd(2024, 2, 29)),
            (" 31/12/2026 ", ymd(2026, 12, 31)),
            ("2024-2-29", ymd(2024, 2, 29)),
            ("01/01/1900", ymd(1900, 1, 1)),
            ("31/12/2200", ymd(2200, 12, 31)),
        ];
        for (input, want) in rows {
            assert_eq!(date(input), Ok(want), "input {input:?}");
            let iso = format!("{:04}-{:02}-{:02}", want.year(), want.month(), want.day());
            assert_eq!(date(&iso), Ok(want), "iso {iso:?}");
            assert_eq!(date(&uk_date(want)), Ok(want), "uk {want}");
        }
    }

    #[test]
    fn date_invalid() {
        let rows = [
            ("", "empty"),
            ("31/02/2026", "does not exist"),
            ("29/02/2026", "does not exist"),
            ("2026-13-01", "does not exist"),
            ("32/01/2026", "does not exist"),
            ("12/31/2026", "does not exist"),
            ("0/1/2026", "does not exist"),
            ("01/03/26", "four-digit year"),
            ("1st March 2026", "DD/MM/YYYY"),
            ("01.03.2026", "DD/MM/YYYY"),
            ("2026/03", "DD/MM/YYYY"),
            ("01/03/2026/5", "DD/MM/YYYY"),
            ("01/03-2026", "DD/MM/YYYY"),
            ("001/03/2026", "DD/MM/YYYY"),
            ("۱/۳/۲۰۲۶", "DD/MM/YYYY"),
            ("99999-01-01", "DD/MM/YYYY"),
            ("9999-12-31", "from 1900 to 2200"),
            ("31/12/1899", "from 1900 to 2200"),
            ("01/01/2201", "from 1900 to 2200"),
            ("0999-01-01", "from 1900 to 2200"),
        ];
        for (input, needle) in rows {
            let e = date(input).expect_err(input);
            assert_good_message(&e, "date", "date", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
        assert_eq!(
            date("31/02/2026").expect_err("impossible").message,
            "The date \"31/02/2026\" does not exist: check the day and month, and type it as \
             DD/MM/YYYY, like 25/12/2026."
        );
    }

    #[test]
    fn date_of_birth_rows() {
        let today = ymd(2026, 11, 15);
        let ok = [
            ("01/01/1990", ymd(1990, 1, 1)),
            ("15/11/2026", today),
            ("15/11/1906", ymd(1906, 11, 15)),
            ("1926-05-04", ymd(1926, 5, 4)),
        ];
        for (input, want) in ok {
            assert_eq!(date_of_birth(input, today), Ok(want), "input {input:?}");
        }
        let bad = [
            ("16/11/2026", "in the future"),
            ("01/01/2090", "in the future"),
            ("14/11/1906", "more than 120 years ago"),
            ("31/02/1990", "does not exist"),
            ("", "empty"),
            ("1/1/90", "four-digit year"),
        ];
        for (input, needle) in bad {
            let e = date_of_birth(input, today).expect_err(input);
            assert_good_message(&e, "date_of_birth", "date of birth", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
        // Near the start of the calendar there is no lower bound, and no panic.
        assert!(date_of_birth("0000-01-01", NaiveDate::MIN).is_err());
    }

    #[test]
    fn name_rows() {
        let ok = [
            ("Jo Bloggs", "Jo Bloggs"),
            ("  Jo   Bloggs ", "Jo Bloggs"),
            ("Zoë O'Brien", "Zoë O'Brien"),
            ("李小龙", "李小龙"),
            ("Anne-Marie\tSmith", "Anne-Marie Smith"),
            ("Jo\r\nBloggs", "Jo Bloggs"),
            ("Jo\u{200B}Bloggs", "JoBloggs"),
            ("\u{FEFF}Jo", "Jo"),
            ("Siân ap Rhys", "Siân ap Rhys"),
            ("Jo Bloggs 2nd", "Jo Bloggs 2nd"),
        ];
        for (input, want) in ok {
            assert_eq!(name(input).as_deref(), Ok(want), "input {input:?}");
            assert_eq!(name(want).as_deref(), Ok(want), "idempotent {want:?}");
        }
        let eighty = "é".repeat(MAX_NAME);
        assert_eq!(name(&eighty).as_deref(), Ok(eighty.as_str()), "counts characters");
        let too_long = "é".repeat(MAX_NAME + 1);
        let bad = [
            ("", "empty"),
            ("   ", "empty"),
            ("\u{200B}", "empty"),
            ("1234", "no letters"),
            ("--", "no letters"),
            (too_long.as_str(), "shorten it to 80"),
            ("Jo\u{0007}Bloggs", "U+0007"),
            ("Jo\u{202E}Bloggs", "U+202E"),
            ("Jo\u{1B}[31mBloggs", "U+001B"),
            ("Jo\u{7F}", "U+007F"),
        ];
        for (input, needle) in bad {
            let e = name(input).expect_err(input);
            assert_good_message(&e, "name", "name", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
    }

    #[test]
    fn title_rows() {
        let rows = [
            ("", None),
            ("   ", None),
            ("Mr", Some("Mr")),
            (" Dr ", Some("Dr")),
            ("Mx", Some("Mx")),
            ("The  Rt Hon", Some("The Rt Hon")),
            ("Rev.", Some("Rev.")),
        ];
        for (input, want) in rows {
            assert_eq!(title(input), Ok(want.map(String::from)), "input {input:?}");
        }
        let e = title(&"x".repeat(MAX_TITLE + 1)).expect_err("long");
        assert_good_message(&e, "title", "title", "long");
        let e = title("Mr\u{0}").expect_err("nul");
        assert_good_message(&e, "title", "title", "nul");
    }

    #[test]
    fn text_rows() {
        assert_eq!(
            text("relationship", "  Daughter   of  Jo ", MAX_LINE).as_deref(),
            Ok("Daughter of Jo")
        );
        assert_eq!(text("x", &"a".repeat(MAX_LINE), MAX_LINE).map(|s| s.len()), Ok(200));
        let e = text("how_heard", " ", MAX_LINE).expect_err("empty");
        assert_good_message(&e, "how_heard", "how heard", " ");
        assert_eq!(e.message, "The how heard is empty: fill it in.");
        let e = text("reference", &"ab".repeat(101), MAX_LINE).expect_err("long");
        assert_good_message(&e, "reference", "reference", "long");
        assert_eq!(
            e.message,
            "The reference is too long (202 characters): shorten it to 200 characters or fewer."
        );
        assert_eq!(optional_text("reference", " \t ", MAX_LINE), Ok(None));
        assert_eq!(optional_text("reference", " R1 ", MAX_LINE), Ok(Some("R1".into())));
    }

    #[test]
    fn note_rows() {
        let ok = [
            ("", ""),
            ("  \n\n ", ""),
            ("line one\r\nline two  \r\n\r\n", "line one\nline two"),
            ("a\rb", "a\nb"),
            ("\n\n  indented\n\tand tabbed\n", "indented\n\tand tabbed"),
            ("para\n\n\npara", "para\n\n\npara"),
            ("x\u{2028}y\u{0085}z", "x\ny\nz"),
            ("zero\u{200B}width", "zerowidth"),
            ("Flat 2,\n1 High Street,\nBanbury", "Flat 2,\n1 High Street,\nBanbury"),
        ];
        for (input, want) in ok {
            assert_eq!(note("note", input, MAX_NOTE).as_deref(), Ok(want), "{input:?}");
            assert_eq!(note("note", want, MAX_NOTE).as_deref(), Ok(want), "{want:?}");
        }
        let full = "é".repeat(MAX_NOTE);
        assert!(note("note", &full, MAX_NOTE).is_ok(), "counts characters");
        let bad = [
            ("bell\u{7}", "U+0007"),
            ("vt\u{B}", "U+000B"),
            ("rlo\u{202E}", "U+202E"),
            ("nul\u{0}", "U+0000"),
        ];
        for (input, needle) in bad {
            let e = note("note", input, MAX_NOTE).expect_err(input);
            assert_good_message(&e, "note", "note", input);
            assert!(e.message.contains(needle), "{input:?}: {}", e.message);
        }
        let e = note("address", &"a".repeat(MAX_ADDRESS + 1), MAX_ADDRESS).expect_err("long");
        assert_good_message(&e, "address", "address", "long");
        assert!(e.message.contains("300"));
    }

    #[test]
    fn echo_is_short_and_clean() {
        let e = postcode(&format!("\u{1B}[2J{}", "Z".repeat(100))).expect_err("junk");
        assert!(!e.message.contains('\u{1B}'));
        assert!(e.message.contains(&format!("{}…", "Z".repeat(27))));
        assert!(e.message.chars().count() < 160, "{}", e.message);
        let e = phone("0770\u{202E}0900123").expect_err("rlo");
        assert!(!e.message.contains('\u{202E}'));
    }

    #[test]
    fn optional_and_in_field() {
        assert_eq!(optional("", postcode), Ok(None));
        assert_eq!(optional("ox17 2rf", postcode), Ok(Some("OX17 2RF".into())));
        assert!(optional("x", postcode).is_err());
        let e = phone("x").expect_err("letters").in_field("phone_2");
        assert_eq!(e.field, "phone_2");
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;
        use proptest::test_runner::TestCaseError;

        fn today() -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or(NaiveDate::MIN)
        }

        fn message_ok(r: &Result<impl Sized, InvalidInput>) -> Result<(), TestCaseError> {
            if let Err(e) = r {
                prop_assert!(!e.message.chars().any(char::is_control), "{:?}", e.message);
                prop_assert!(e.message.chars().count() < 300, "{:?}", e.message);
                prop_assert!(e.message.ends_with('.'));
                prop_assert!(!e.field.is_empty());
            }
            Ok(())
        }

        /// Runs every function on `s`: none may panic, every normalised value must validate
        /// to itself, and every error message must be safe to show.
        fn check_all(s: &str) -> Result<(), TestCaseError> {
            let r = phone(s);
            message_ok(&r)?;
            if let Ok(v) = r {
                prop_assert_eq!(phone(&v), Ok(v.clone()));
                prop_assert_eq!(phone_digits(&v), phone_digits(s));
            }
            let k = phone_digits(s);
            prop_assert!(k.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(phone_digits(&k), k.clone());

            let r = email(s);
            message_ok(&r)?;
            if let Ok(v) = r {
                prop_assert_eq!(email(&v), Ok(v.clone()));
            }

            let r = postcode(s);
            message_ok(&r)?;
            if let Ok(v) = r {
                prop_assert_eq!(postcode(&v), Ok(v.clone()));
                prop_assert_eq!(postcode_key(&v), postcode_key(s));
            }
            let k = postcode_key(s);
            prop_assert_eq!(postcode_key(&k), k.clone());

            for r in [date(s), date_of_birth(s, today()), date_of_birth(s, NaiveDate::MIN)] {
                message_ok(&r)?;
                if let Ok(d) = r {
                    let iso = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
                    prop_assert_eq!(date(&iso), Ok(d));
                    prop_assert_eq!(date(&uk_date(d)), Ok(d));
                }
            }

            let r = name(s);
            message_ok(&r)?;
            if let Ok(v) = r {
                prop_assert_eq!(name(&v), Ok(v.clone()));
            }

            let r = title(s);
            message_ok(&r)?;
            if let Ok(Some(v)) = r {
                prop_assert_eq!(title(&v), Ok(Some(v.clone())));
            }

            for max in [0, 5, MAX_LINE] {
                let r = text("field", s, max);
                message_ok(&r)?;
                if let Ok(v) = r {
                    prop_assert!(v.chars().count() <= max);
                    prop_assert_eq!(text("field", &v, max), Ok(v.clone()));
                }
                let r = optional_text("field", s, max);
                message_ok(&r)?;
                if let Ok(Some(v)) = r {
                    prop_assert_eq!(optional_text("field", &v, max), Ok(Some(v.clone())));
                }
                let r = note("field", s, max);
                message_ok(&r)?;
                if let Ok(v) = r {
                    prop_assert!(v.chars().count() <= max);
                    prop_assert_eq!(note("field", &v, max), Ok(v.clone()));
                }
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_string(s in any::<String>()) {
                check_all(&s)?;
            }

            #[test]
            fn printable_unicode(s in "\\PC*") {
                check_all(&s)?;
            }

            #[test]
            fn arbitrary_unicode(s in ".*") {
                check_all(&s)?;
            }

            #[test]
            fn multi_line_text(s in "(.|\n|\r|\t){0,60}") {
                check_all(&s)?;
            }

            #[test]
            fn phone_shaped(s in "[ +0-9()\\-.]{0,20}") {
                check_all(&s)?;
            }

            #[test]
            fn uk_numbers(prefix in "(0|\\+44 ?|\\+44 ?\\(0\\) ?|0044 ?)", second in "[1-35789]", rest in "[0-9]{9}") {
                let s = format!("{prefix}{second}{rest}");
                let v = phone(&s);
                prop_assert!(v.is_ok(), "{s:?}: {v:?}");
                check_all(&s)?;
            }

            #[test]
            fn postcode_shaped(s in "[A-Za-z0-9 ]{0,10}") {
                check_all(&s)?;
            }

            #[test]
            fn real_postcode_shapes(
                out in "([A-Z][0-9]|[A-Z][0-9][0-9]|[A-Z][A-Z][0-9]|[A-Z][A-Z][0-9][0-9]|[A-Z][0-9][A-Z]|[A-Z][A-Z][0-9][A-Z])",
                inw in "[0-9][A-Z][A-Z]",
            ) {
                let want = format!("{out} {inw}");
                prop_assert_eq!(postcode(&format!("{}{}", out.to_lowercase(), inw)), Ok(want.clone()));
                check_all(&want)?;
            }

            #[test]
            fn date_shaped(s in "[0-9]{1,5}[/\\-][0-9]{1,3}[/\\-][0-9]{1,5}") {
                check_all(&s)?;
            }

            #[test]
            fn email_shaped(s in "[A-Za-z0-9.+_'@\\- ]{0,30}") {
                check_all(&s)?;
            }
        }
    }
}
