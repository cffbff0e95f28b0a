//! How a spreadsheet's rows become people, before anything touches the case file: the sheet
//! as read, the column mapping (guessed, overridden, saved by name), the duplicate policy,
//! each row turned into a person through the same validators as the new-person form, and
//! the rows that repeat an earlier row of the same file. Pure: no clock, no file, no SQL.

use super::import::{date_cell, guess, split_name, text_cell, Cell, Target};
use super::person::{PersonForm, PersonRecord};
use super::Category;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One sheet as a reader gives it: the header row and the rows under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    /// Each row with its number as the spreadsheet shows it (the header is row 1).
    pub rows: Vec<(usize, Vec<Cell>)>,
}

impl Sheet {
    /// Up to `n` values of column `col` that are not empty, for showing next to its header.
    pub fn samples(&self, col: usize, n: usize) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|(_, cells)| cells.get(col))
            .filter(|c| !matches!(c, Cell::Empty))
            .take(n)
            .map(|c| text_cell(c, Target::Notes))
            .collect()
    }
}

/// What happens to a row that matches someone already on file (or an earlier row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Leave the person on file as they are (the safe default).
    #[default]
    Skip,
    /// Fill only the fields the person on file has empty.
    Fill,
    /// Replace the person's fields with the spreadsheet's non-empty ones.
    Update,
    /// Create a new person anyway, without checking.
    Create,
}

impl DuplicatePolicy {
    pub const ALL: [DuplicatePolicy; 4] = [
        DuplicatePolicy::Skip,
        DuplicatePolicy::Fill,
        DuplicatePolicy::Update,
        DuplicatePolicy::Create,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::Fill => "fill",
            DuplicatePolicy::Update => "update",
            DuplicatePolicy::Create => "create",
        }
    }

    /// How the choice reads on the import screen.
    pub fn label(self) -> &'static str {
        match self {
            DuplicatePolicy::Skip => "Skip them",
            DuplicatePolicy::Fill => "Fill their empty fields only",
            DuplicatePolicy::Update => "Update their fields",
            DuplicatePolicy::Create => "Create new people anyway",
        }
    }

    pub fn parse(s: &str) -> Option<DuplicatePolicy> {
        DuplicatePolicy::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(s.trim()))
    }
}

/// Which field each column fills, by position, with the header each was made for (so a
/// saved mapping is only offered for a sheet with the same headers).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub columns: Vec<(String, Option<Target>)>,
}

impl Mapping {
    /// Each column's field guessed from its header.
    pub fn guessed(headers: &[String]) -> Mapping {
        Mapping {
            columns: headers.iter().map(|h| (h.clone(), guess(h))).collect(),
        }
    }

    /// Whether the mapping was made for these headers.
    pub fn fits(&self, headers: &[String]) -> bool {
        self.columns.len() == headers.len() && self.columns.iter().zip(headers).all(|((h, _), g)| h == g)
    }

    /// Sets a column's field from "Header=field" ("Tel. No.=phone", "Shoe size=none").
    pub fn set(&mut self, assignment: &str) -> Result<(), String> {
        let Some((header, field)) = assignment.rsplit_once('=') else {
            return Err(format!(
                "\"{assignment}\" is not a column mapping: write it as HEADER=FIELD, like \"Tel. No.=phone\"."
            ));
        };
        let target = match field.trim() {
            f if f.eq_ignore_ascii_case("none") || f.is_empty() => None,
            f => Some(Target::parse(f).ok_or_else(|| {
                format!(
                    "\"{f}\" is not a field: use one of {}, or none.",
                    Target::ALL.iter().map(|t| t.key()).collect::<Vec<_>>().join(", ")
                )
            })?),
        };
        let col = self
            .columns
            .iter_mut()
            .find(|(h, _)| h.trim().eq_ignore_ascii_case(header.trim()))
            .ok_or_else(|| {
                format!(
                    "The sheet has no column headed \"{}\": check the spelling.",
                    header.trim()
                )
            })?;
        col.1 = target;
        Ok(())
    }

    fn has(&self, t: Target) -> bool {
        self.columns.iter().any(|(_, c)| *c == Some(t))
    }

    /// What stops the mapping from being used, in a sentence: no name, or a field that
    /// takes one column given two.
    pub fn problem(&self) -> Option<String> {
        let named = self.has(Target::FullName) || (self.has(Target::GivenName) && self.has(Target::FamilyName));
        if !named {
            return Some(
                "No column gives the name: map one to full_name, or one to given_name and one to family_name.".into(),
            );
        }
        for t in Target::ALL.into_iter().filter(|t| !t.joins()) {
            let headers: Vec<&str> = self
                .columns
                .iter()
                .filter(|(_, c)| *c == Some(t))
                .map(|(h, _)| h.as_str())
                .collect();
            if headers.len() > 1 {
                return Some(format!(
                    "Columns \"{}\" all fill {}: keep one and map the others to none.",
                    headers.join("\", \""),
                    t.key()
                ));
            }
        }
        None
    }

    /// The mapping as saved in the case file: [header, field key or null] pairs.
    pub fn to_json(&self) -> String {
        let pairs: Vec<(&str, Option<&str>)> = self
            .columns
            .iter()
            .map(|(h, t)| (h.as_str(), t.map(Target::key)))
            .collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }

    /// A saved mapping read back; fields this version does not know are left unmapped.
    pub fn from_json(json: &str) -> Option<Mapping> {
        let pairs: Vec<(String, Option<String>)> = serde_json::from_str(json).ok()?;
        Some(Mapping {
            columns: pairs
                .into_iter()
                .map(|(h, t)| (h, t.as_deref().and_then(Target::parse)))
                .collect(),
        })
    }
}

/// The categories a row may name, in the charity's own words and by key.
#[derive(Debug, Clone, Default)]
pub struct CategoryWords {
    words: Vec<(String, Category)>,
    listed: Vec<String>,
}

impl CategoryWords {
    /// From (label, category) pairs, as the profile names them.
    pub fn new(labels: impl IntoIterator<Item = (String, Category)>) -> CategoryWords {
        let mut words = Vec::new();
        let mut listed = Vec::new();
        for (label, cat) in labels {
            listed.push(label.clone());
            words.push((label.to_lowercase(), cat));
            words.push((cat.key().replace('_', " "), cat));
        }
        CategoryWords { words, listed }
    }

    /// The category one word or label names ("Clients", "relative / next of kin").
    fn one(&self, word: &str) -> Option<Category> {
        let w = word.trim().to_lowercase().replace('_', " ");
        self.words
            .iter()
            .find(|(k, _)| *k == w || k.trim_end_matches('s') == w.trim_end_matches('s'))
            .map(|(_, c)| *c)
    }

    /// The categories a cell names ("Client, Volunteer"; "Relative / next of kin"; and,
    /// where no label is the whole of it, "client/volunteer" or "client & volunteer").
    pub fn read(&self, text: &str) -> Result<Vec<Category>, String> {
        let mut out = Vec::new();
        for part in text.split([',', ';']).map(str::trim).filter(|w| !w.is_empty()) {
            if let Some(c) = self.one(part) {
                out.push(c);
                continue;
            }
            for word in part.split(['/', '&']).map(str::trim).filter(|w| !w.is_empty()) {
                match self.one(word) {
                    Some(c) => out.push(c),
                    None => {
                        return Err(format!(
                            "\"{}\" is not a category this charity uses: write one of {}.",
                            super::validate::echo(word),
                            self.listed.join(", ")
                        ))
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A row read into a person, or every sentence saying why it cannot be.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPerson {
    pub record: PersonRecord,
    /// Who gave the details, when the row says someone other than the person did.
    pub source: Option<String>,
}

/// Words in a "details came from" column meaning the person gave them themselves.
const SELF_WORDS: [&str; 14] = [
    "self",
    "themselves",
    "themself",
    "herself",
    "himself",
    "direct",
    "directly",
    "self referral",
    "self-referral",
    "self referred",
    "self-referred",
    "the person",
    "client",
    "none",
];

/// Reads one row through `mapping` into a person, checked by the new-person form's own
/// validators (`today` for dates of birth). Rows without a category cell take `default`.
pub fn read_row(
    cells: &[Cell],
    mapping: &Mapping,
    categories: &CategoryWords,
    default: &[Category],
    today: NaiveDate,
) -> Result<RowPerson, Vec<String>> {
    let mut form = PersonForm::default();
    let mut problems = Vec::new();
    if cells
        .iter()
        .skip(mapping.columns.len())
        .any(|c| !matches!(c, Cell::Empty))
    {
        problems.push(format!(
            "The row has more cells than the sheet has headers ({}): a comma inside a value moves everything after it; put quotes round that value, or save the file from the spreadsheet again.",
            mapping.columns.len()
        ));
    }
    let mut joined: HashMap<Target, Vec<String>> = HashMap::new();
    let mut cats: Vec<Category> = Vec::new();
    let mut source = None;
    let mut category_problem = false;
    for ((_, target), cell) in mapping
        .columns
        .iter()
        .zip(cells.iter().chain(std::iter::repeat(&Cell::Empty)))
    {
        let Some(target) = *target else { continue };
        if target == Target::DateOfBirth {
            match date_cell(cell) {
                Ok(d) => form.date_of_birth = d.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                Err(e) => problems.push(format!("Date of birth: {e}")),
            }
            continue;
        }
        let text = text_cell(cell, target);
        if text.is_empty() {
            continue;
        }
        match target {
            Target::Category => match categories.read(&text) {
                Ok(c) => cats.extend(c),
                Err(e) => {
                    category_problem = true;
                    problems.push(e)
                }
            },
            Target::Source => {
                let lower = text.to_lowercase();
                if !SELF_WORDS.contains(&lower.as_str()) {
                    source = Some(text);
                }
            }
            Target::FullName => {
                let (title, given, family) = split_name(&text);
                if form.title.is_empty() {
                    form.title = title.unwrap_or_default();
                }
                form.given_name = given;
                form.family_name = family;
            }
            Target::Title => form.title = text,
            Target::GivenName => form.given_name = text,
            Target::FamilyName => form.family_name = text,
            Target::Postcode => form.postcode = text,
            Target::Email => form.email = text,
            Target::Organisation => form.organisation = text,
            _ => joined.entry(target).or_default().push(text),
        }
    }
    for (target, parts) in joined {
        match target {
            Target::Address => form.address = parts.join(", "),
            Target::Phone => form.phones = parts.join(", "),
            Target::Aliases => form.aliases = parts.join(", "),
            _ => form.notes = parts.join("\n"),
        }
    }
    form.categories = if cats.is_empty() { default.to_vec() } else { cats };
    match form.validate(today) {
        Ok(record) if problems.is_empty() => Ok(RowPerson { record, source }),
        Ok(_) => Err(problems),
        Err(errors) => {
            problems.extend(
                errors
                    .into_iter()
                    // A category cell that could not be read has said so already.
                    .filter(|e| !(category_problem && e.field == "categories"))
                    .map(|e| format!("{}: {}", field_label(e.field), e.message)),
            );
            Err(problems)
        }
    }
}

/// The column kind a form field's problem is reported under ("Phone: ...").
fn field_label(field: &str) -> &'static str {
    match field {
        "title" => Target::Title.label(),
        "given_name" => Target::GivenName.label(),
        "family_name" => Target::FamilyName.label(),
        "aliases" => Target::Aliases.label(),
        "address" => Target::Address.label(),
        "postcode" => Target::Postcode.label(),
        "phones" => Target::Phone.label(),
        "email" => Target::Email.label(),
        "date_of_birth" => Target::DateOfBirth.label(),
        "organisation" => Target::Organisation.label(),
        "categories" => Target::Category.label(),
        _ => Target::Notes.label(),
    }
}

/// Whether a row has nothing in it (left out of the import and its report).
pub fn is_blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| match c {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

/// The keys that make two records the same person for an import: the same name with the
/// same postcode, phone number or email. A shared landline or family email with a different
/// name is someone else (a couple, a carer), never merged into them. A record with nothing
/// but a name is keyed by the name alone ([`name_only_key`]).
pub fn duplicate_keys(rec: &PersonRecord) -> Vec<String> {
    duplicate_keys_seen(rec, true, true, true)
}

/// [`duplicate_keys`] from only the fields a reader may see (address, phones, email).
pub fn duplicate_keys_seen(rec: &PersonRecord, address: bool, phone: bool, email: bool) -> Vec<String> {
    let name = format!("{}\u{1f}{}", name_key(&rec.given_name), name_key(&rec.family_name));
    let mut keys = Vec::new();
    if let Some(pc) = rec.postcode.as_ref().filter(|_| address) {
        keys.push(format!("n\u{1f}{name}\u{1f}{pc}"));
    }
    if phone {
        keys.extend(rec.phones.iter().map(|p| format!("p\u{1f}{name}\u{1f}{p}")));
    }
    if let Some(e) = rec.email.as_ref().filter(|_| email) {
        keys.push(format!("e\u{1f}{name}\u{1f}{}", e.to_lowercase()));
    }
    keys
}

/// The key of a record by its name alone: how a row that gives nothing but a name is
/// found again (every record on file carries it).
pub fn name_only_key(rec: &PersonRecord) -> String {
    format!(
        "o\u{1f}{}\u{1f}{}",
        name_key(&rec.given_name),
        name_key(&rec.family_name)
    )
}

/// A name as names are compared: lowercase, with curly apostrophes and hyphens as typed on a
/// keyboard (Word and Excel turn O'Brien into O\u{2019}Brien).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2013}' => '-',
            c => c,
        })
        .collect()
}

/// Whether a record gives nothing that tells namesakes apart: no address, postcode, phone,
/// email or date of birth.
pub fn only_a_name(rec: &PersonRecord) -> bool {
    rec.address.is_none()
        && rec.postcode.is_none()
        && rec.phones.is_empty()
        && rec.email.is_none()
        && rec.date_of_birth.is_none()
}

/// The keys a row is looked up by: its [`duplicate_keys`], or its name alone when it gives
/// nothing else ([`only_a_name`]).
pub fn lookup_keys(rec: &PersonRecord) -> Vec<String> {
    let keys = duplicate_keys(rec);
    if keys.is_empty() && only_a_name(rec) {
        vec![name_only_key(rec)]
    } else {
        keys
    }
}

/// For each record, the index of the first earlier record it repeats (by [`lookup_keys`]),
/// or `None`; `None` entries in the input (rows that could not be read) repeat nothing.
pub fn repeats<'a>(records: impl IntoIterator<Item = Option<&'a PersonRecord>>) -> Vec<Option<usize>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, rec) in records.into_iter().enumerate() {
        let Some(rec) = rec else {
            out.push(None);
            continue;
        };
        let keys = lookup_keys(rec);
        let first = keys.iter().find_map(|k| seen.get(k).copied());
        if first.is_none() {
            for k in keys {
                seen.entry(k).or_insert(i);
            }
        }
        out.push(first);
    }
    out
}

/// The record on file with the spreadsheet's values put in only where it has none
/// (categories are added to). Names are kept.
pub fn fill_empty(stored: &PersonRecord, new: &PersonRecord) -> PersonRecord {
    let pick = |s: &Option<String>, n: &Option<String>| s.clone().or_else(|| n.clone());
    PersonRecord {
        title: pick(&stored.title, &new.title),
        given_name: stored.given_name.clone(),
        family_name: stored.family_name.clone(),
        aliases: if stored.aliases.is_empty() {
            new.aliases.clone()
        } else {
            stored.aliases.clone()
        },
        address: pick(&stored.address, &new.address),
        postcode: pick(&stored.postcode, &new.postcode),
        phones: if stored.phones.is_empty() {
            new.phones.clone()
        } else {
            stored.phones.clone()
        },
        email: pick(&stored.email, &new.email),
        date_of_birth: stored.date_of_birth.or(new.date_of_birth),
        organisation: pick(&stored.organisation, &new.organisation),
        notes: pick(&stored.notes, &new.notes),
        categories: union(&stored.categories, &new.categories),
    }
}

/// The record on file with every field the spreadsheet fills replaced by its value; fields
/// the spreadsheet leaves empty are kept, and so are the name and phone numbers on file
/// (new numbers and categories are added).
pub fn overlay(stored: &PersonRecord, new: &PersonRecord) -> PersonRecord {
    let pick = |s: &Option<String>, n: &Option<String>| n.clone().or_else(|| s.clone());
    PersonRecord {
        title: pick(&stored.title, &new.title),
        // The row matched by name: the name on file stands, however the sheet cases it.
        given_name: stored.given_name.clone(),
        family_name: stored.family_name.clone(),
        aliases: if new.aliases.is_empty() {
            stored.aliases.clone()
        } else {
            new.aliases.clone()
        },
        address: pick(&stored.address, &new.address),
        postcode: pick(&stored.postcode, &new.postcode),
        // A number the sheet gives is added; a number it does not is kept, never lost.
        phones: {
            let mut phones = stored.phones.clone();
            phones.extend(new.phones.iter().filter(|p| !stored.phones.contains(p)).cloned());
            phones
        },
        email: pick(&stored.email, &new.email),
        date_of_birth: new.date_of_birth.or(stored.date_of_birth),
        organisation: pick(&stored.organisation, &new.organisation),
        notes: pick(&stored.notes, &new.notes),
        categories: union(&stored.categories, &new.categories),
    }
}

/// How a cell of a links sheet names someone on file: by their dutydesk id ("#42" or "42"),
/// email, phone number, or name ("Mrs Ada Quill", "Quill, Ada").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonKey {
    Id(i64),
    Email(String),
    Phone(String),
    Name { given: String, family: String },
}

impl PersonKey {
    /// Reads a key cell; `None` for an empty one.
    pub fn read(cell: &Cell) -> Option<PersonKey> {
        if let Cell::Number(n) = cell {
            if n.fract() == 0.0 && *n >= 1.0 && *n < 1e9 {
                return Some(PersonKey::Id(*n as i64));
            }
        }
        let text = text_cell(cell, Target::Phone);
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let bare = t.strip_prefix('#').unwrap_or(t);
        if bare.len() < 10 && !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit()) {
            return bare.parse().ok().map(PersonKey::Id);
        }
        if t.contains('@') {
            return Some(PersonKey::Email(t.to_lowercase()));
        }
        if let Ok(p) = super::validate::phone(t) {
            return Some(PersonKey::Phone(p));
        }
        let (_, given, family) = split_name(t);
        Some(PersonKey::Name {
            given: name_key(&given),
            family: name_key(&family),
        })
    }

    /// The key as the report names it, without the value: "the id", "the name"...
    pub fn what(&self) -> &'static str {
        match self {
            PersonKey::Id(_) => "id",
            PersonKey::Email(_) => "email address",
            PersonKey::Phone(_) => "phone number",
            PersonKey::Name { .. } => "name",
        }
    }
}

fn union(a: &[Category], b: &[Category]) -> Vec<Category> {
    let mut out: Vec<Category> = a.iter().chain(b).copied().collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn words() -> CategoryWords {
        CategoryWords::new([
            ("Client".to_string(), Category::Client),
            ("Volunteer".to_string(), Category::Volunteer),
        ])
    }

    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    fn mapping(headers: &[&str]) -> Mapping {
        Mapping::guessed(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    fn row(m: &Mapping, cells: &[&str]) -> Result<RowPerson, Vec<String>> {
        let cells: Vec<Cell> = cells.iter().map(|c| text(c)).collect();
        read_row(&cells, m, &words(), &[Category::Client], today())
    }

    #[test]
    fn rows_read_through_the_forms_validators() {
        let m = mapping(&[
            "Name",
            "Tel",
            "Mobile",
            "Email",
            "Post code",
            "DOB",
            "Type",
            "Referred by",
        ]);
        #[rustfmt::skip]
        let table: &[(&[&str], Result<&str, &str>)] = &[
            (&["Mrs Ada Quill", "01295 111222", "", "", "OX17 2AB", "25/12/1940", "", ""], Ok("Mrs Ada Quill")),
            (&["Ada Quill", "", "", "", "", "", "Volunteer", "self"], Ok("Ada Quill")),
            (&["", "", "", "", "", "", "", ""], Err("given name")),
            (&["Ada Quill", "12", "", "", "", "", "", ""], Err("phone")),
            (&["Ada Quill", "", "", "not-an-email", "", "", "", ""], Err("email")),
            (&["Ada Quill", "", "", "", "XX", "", "", ""], Err("postcode")),
            (&["Ada Quill", "", "", "", "", "12/25/1960", "", ""], Err("month first")),
            (&["Ada Quill", "", "", "", "", "01/01/2030", "", ""], Err("future")),
            (&["Ada Quill", "", "", "", "", "", "Helper", ""], Err("not a category")),
        ];
        for (cells, want) in table {
            let got = row(&m, cells);
            match (want, &got) {
                (Ok(name), Ok(p)) => assert_eq!(p.record.display_name(), *name),
                (Err(word), Err(problems)) => assert!(
                    problems.iter().any(|p| p.to_lowercase().contains(word)),
                    "{cells:?}: {problems:?} should mention {word}"
                ),
                _ => panic!("{cells:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn a_row_longer_than_the_headers_is_a_problem_not_a_shift() {
        let m = mapping(&["Name", "Tel"]);
        let problems = row(&m, &["Quill", " Bertram", "01295 111222"]).unwrap_err();
        assert!(
            problems[0].contains("more cells than the sheet has headers"),
            "{problems:?}"
        );
    }

    #[test]
    fn categories_sources_and_joined_columns() {
        let m = mapping(&[
            "First name",
            "Surname",
            "Home phone",
            "Mobile",
            "Address 1",
            "Town",
            "Type",
            "Referred by",
        ]);
        let p = row(
            &m,
            &[
                "Ada",
                "Quill",
                "01295 111222",
                "07700 900123",
                "1 High St",
                "Banbury",
                "Client, volunteer",
                "Age UK",
            ],
        )
        .unwrap();
        assert_eq!(p.record.phones.len(), 2);
        assert_eq!(p.record.address.as_deref(), Some("1 High St, Banbury"));
        assert_eq!(p.record.categories, vec![Category::Client, Category::Volunteer]);
        assert_eq!(p.source.as_deref(), Some("Age UK"));
        let p = row(&m, &["Ada", "Quill", "", "", "", "", "", "Self-referral"]).unwrap();
        assert_eq!(p.source, None);
        assert_eq!(
            p.record.categories,
            vec![Category::Client],
            "the import's category by default"
        );
    }

    #[test]
    fn serial_and_stored_dates_read_as_dates_of_birth() {
        let m = mapping(&["Name", "DOB"]);
        for cell in [
            Cell::Number(14970.0),
            Cell::Date(NaiveDate::from_ymd_opt(1940, 12, 25).unwrap()),
        ] {
            let p = read_row(&[text("Ada Quill"), cell], &m, &words(), &[Category::Client], today()).unwrap();
            assert_eq!(p.record.date_of_birth, NaiveDate::from_ymd_opt(1940, 12, 25));
        }
    }

    #[test]
    fn a_mapping_needs_a_name_and_one_column_per_single_field() {
        assert!(mapping(&["Phone"]).problem().unwrap().contains("name"));
        assert!(mapping(&["First name", "Phone"]).problem().is_some());
        assert!(mapping(&["First name", "Surname"]).problem().is_none());
        assert!(mapping(&["Name", "Email", "E-mail"])
            .problem()
            .unwrap()
            .contains("email"));
        let mut m = mapping(&["Name", "Email", "E-mail"]);
        m.set("E-mail=none").unwrap();
        assert!(m.problem().is_none());
        assert!(m.set("Shoe=phone").unwrap_err().contains("no column"));
        assert!(m.set("Email=shoe").unwrap_err().contains("not a field"));
        assert!(m.set("Email").unwrap_err().contains("HEADER=FIELD"));
    }

    #[test]
    fn saved_mappings_read_back_and_fit_only_their_headers() {
        let mut m = mapping(&["Name", "Tel. No.", "Shoe size"]);
        m.set("Shoe size=notes").unwrap();
        let back = Mapping::from_json(&m.to_json()).unwrap();
        assert_eq!(back, m);
        assert!(back.fits(&["Name".into(), "Tel. No.".into(), "Shoe size".into()]));
        assert!(!back.fits(&["Name".into(), "Tel. No.".into()]));
        for t in Target::ALL {
            assert_eq!(Target::parse(t.key()), Some(t));
            assert_eq!(Target::parse(t.label()), Some(t));
        }
    }

    #[test]
    fn later_rows_that_repeat_an_earlier_one_are_found() {
        let m = mapping(&["Name", "Phone", "Email", "Postcode"]);
        let recs: Vec<Option<PersonRecord>> = [
            &["Ada Quill", "01295 111222", "", "OX17 2AB"][..],
            &["Ravi Sandhu", "", "ravi@example.org", ""],
            &["ADA QUILL", "", "", "OX17 2AB"],
            &["Ravi Sandhu", "", "RAVI@example.org", ""],
            // Sharing Ada's landline, but someone else (her husband).
            &["Bert Quill", "01295 111222", "", ""],
            &["New Person", "", "", ""],
            &["new person", "", "", ""],
            // Word's apostrophe is the keyboard's.
            &["Keith O\u{2019}Brien", "", "k@example.org", ""],
            &["Keith O'Brien", "", "k@example.org", ""],
        ]
        .iter()
        .map(|cells| row(&m, cells).ok().map(|p| p.record))
        .chain([None])
        .collect();
        assert_eq!(
            repeats(recs.iter().map(Option::as_ref)),
            vec![None, None, Some(0), Some(1), None, None, Some(5), None, Some(7), None]
        );
    }

    #[test]
    fn link_keys_read_as_ids_emails_phones_or_names() {
        #[rustfmt::skip]
        let table: &[(Cell, Option<PersonKey>)] = &[
            (text("#42"), Some(PersonKey::Id(42))),
            (text("42"), Some(PersonKey::Id(42))),
            (Cell::Number(42.0), Some(PersonKey::Id(42))),
            (text("Ada@Example.org"), Some(PersonKey::Email("ada@example.org".into()))),
            (text("01295 111222"), Some(PersonKey::Phone("01295 111222".into()))),
            (Cell::Number(1295111222.0), Some(PersonKey::Phone("01295 111222".into()))),
            (text("Mrs Ada Quill"), Some(PersonKey::Name { given: "ada".into(), family: "quill".into() })),
            (text("Quill, Ada"), Some(PersonKey::Name { given: "ada".into(), family: "quill".into() })),
            (text("  "), None),
            (Cell::Empty, None),
        ];
        for (cell, want) in table {
            assert_eq!(PersonKey::read(cell), *want, "{cell:?}");
        }
    }

    #[test]
    fn a_label_with_a_slash_is_one_category() {
        let words = CategoryWords::new([
            ("Client".to_string(), Category::Client),
            ("Relative / next of kin".to_string(), Category::Relative),
        ]);
        assert_eq!(words.read("Relative / next of kin"), Ok(vec![Category::Relative]));
        assert_eq!(
            words.read("client/relative"),
            Ok(vec![Category::Client, Category::Relative])
        );
        assert!(words.read("Helper\u{1b}[2J").unwrap_err().contains("\"Helper[2J\""));
    }

    #[test]
    fn fill_keeps_what_is_on_file_and_update_replaces_it() {
        let m = mapping(&["Name", "Phone", "Email", "Postcode", "Type"]);
        let stored = row(&m, &["Ada Quill", "01295 111222", "", "OX17 2AB", ""])
            .unwrap()
            .record;
        let new = row(&m, &["Ada Quill", "07700 900123", "ada@example.org", "", "Volunteer"])
            .unwrap()
            .record;
        let filled = fill_empty(&stored, &new);
        assert_eq!(filled.phones, stored.phones);
        assert_eq!(filled.email, new.email);
        assert_eq!(filled.postcode, stored.postcode);
        assert_eq!(filled.categories, vec![Category::Client, Category::Volunteer]);
        let updated = overlay(&stored, &new);
        assert_eq!(
            updated.phones,
            vec!["01295 111222".to_string(), "07700 900123".to_string()]
        );
        assert_eq!(updated.postcode, stored.postcode, "an empty cell never blanks a field");
        for p in DuplicatePolicy::ALL {
            assert_eq!(DuplicatePolicy::parse(p.key()), Some(p));
        }
    }
}
