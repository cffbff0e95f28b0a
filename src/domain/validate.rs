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
    fn new(field: &'static str, message: String) -> Self {
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
pub fn optional<T>(
    s: &str,
    validate: impl FnOnce(&str) -> Result<T, InvalidInput>,
) -> Result<Option<T>, InvalidInput> {
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
    let err =
        |what: &str| InvalidInput::new(FIELD, format!("The email address \"{}\" {what}.", echo(t)));
    if is_blank(t) {
        return Err(InvalidInput::new(
            FIELD,
            "The email address is empty: type it in full, like jo@example.org.uk.".into(),
        ));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(err(
            "contains a space: remove it, and type just one address",
        ));
    }
    if t.chars().any(|c| is_forbidden(c) || is_junk(c)) {
        return Err(err(
            "contains a hidden character: delete it and type the address again",
        ));
    }
    let (local, domain) = match t.split_once('@') {
        None => {
            return Err(err(
                "has no @: type the full address, like jo@example.org.uk",
            ))
        }
        Some((_, d)) if d.contains('@') => {
            return Err(err("has more than one @: type just one address"))
        }
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
        return Err(err(
            "has no dot after the @: check the end of it, like @example.org.uk",
        ));
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
        return Err(err(
            "is longer than 254 characters: check it and type it again",
        ));
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
    if is_postcode_key(&key) {
        // `is_postcode_key` accepts ASCII only, so every byte is a character.
        let cut = key.len() - 3;
        return Ok(format!("{} {}", &key[..cut], &key[cut..]));
    }
    // A common slip: the letter O where the zero of the last part should be (SW1A OAA).
    let zero_fix = key.len() >= 5
        && key.is_ascii()
        && key.as_bytes().get(key.len() - 3) == Some(&b'O')
        && is_postcode_key(&format!(
            "{}0{}",
            &key[..key.len() - 3],
            &key[key.len() - 2..]
        ));
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
    let all_digits =
        |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
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
pub fn optional_text(
    field: &'static str,
    s: &str,
    max_chars: usize,
) -> Result<Option<String>, InvalidInput> {
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

fn required_line(
    field: &'static str,
    label: &str,
    s: &str,
    max_chars: usize,
) -> Result<String, InvalidInput> {
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
        return Err(InvalidInput::new(
            field,
            format!("The {label} is empty: fill it in."),
        ));
    }
    check_length(field, label, &out, max_chars)?;
    Ok(out)
}

fn check_length(
    field: &'static str,
    label: &str,
    v: &str,
    max_chars: usize,
) -> Result<(), InvalidInput> {
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
fn echo(s: &str) -> String {
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
