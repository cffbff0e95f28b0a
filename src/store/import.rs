//! Bringing a spreadsheet's people into the case file. [`Store::check_import`] changes
//! nothing: it gives every row a status and a sentence (new, fill, update, skip, repeat of an
//! earlier row, or the problem to put right), checking each row as the new-person form would,
//! against the profile and the acting role, and against everyone on file. [`Store::import`]
//! checks again and writes the result in one transaction with one audit entry holding the
//! counts (ids and numbers, never values). Column mappings are saved by name in `meta`
//! (headers and field names only).

use super::audit;
use super::error::{Result, StoreError};
use super::people::{create_notice_obligation, insert_person, write_update};
use super::Store;
use crate::domain::import_plan::{
    duplicate_keys, fill_empty, overlay, read_row, repeats, CategoryWords, DuplicatePolicy, Mapping, RowPerson, Sheet,
};
use crate::domain::person::{Obtained, PersonRecord};
use crate::domain::{Category, FieldGroup};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// What the user chose for an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSettings {
    pub mapping: Mapping,
    /// The category of rows that do not name one.
    pub category: Option<Category>,
    /// Who the details came from, for rows that do not say (`None`: from the people
    /// themselves). Anything else makes an Article 14 notice due for each person created.
    pub obtained_from: Option<String>,
    pub policy: DuplicatePolicy,
}

/// A row's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// A new person will be created.
    New,
    /// A person on file gains the row's values for their empty fields.
    Fill,
    /// A person on file has their fields replaced by the row's.
    Update,
    /// Left out: it matches someone on file (the message says why nothing is done).
    Skip,
    /// Left out: it repeats an earlier row of the same sheet.
    Repeat,
    /// Left out: something in the row must be put right first.
    Problem,
}

impl RowStatus {
    pub fn key(self) -> &'static str {
        match self {
            RowStatus::New => "new",
            RowStatus::Fill => "fill",
            RowStatus::Update => "update",
            RowStatus::Skip => "skip",
            RowStatus::Repeat => "repeat",
            RowStatus::Problem => "problem",
        }
    }
}

/// One row of the report: its number in the spreadsheet, status and sentence. Messages name
/// people on file by id only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowReport {
    pub row: usize,
    pub status: RowStatus,
    pub message: String,
    /// The person on file it matches, or the person created by the import.
    pub person_id: Option<i64>,
}

/// How many rows came to each status, and how many notices the import makes due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub new: usize,
    pub fill: usize,
    pub update: usize,
    pub skip: usize,
    pub repeat: usize,
    pub problem: usize,
    pub notices_due: usize,
}

impl ImportCounts {
    pub fn rows(&self) -> usize {
        self.new + self.fill + self.update + self.skip + self.repeat + self.problem
    }

    /// "9,980 new, 12 to fill, ...": the counts as a line.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} new", self.new)];
        for (n, what) in [
            (self.fill, "filled"),
            (self.update, "updated"),
            (self.skip, "skipped"),
            (self.repeat, "repeated in the sheet"),
            (self.problem, "with problems"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        match self.notices_due {
            0 => {}
            1 => parts.push("1 privacy notice due".into()),
            n => parts.push(format!("{n} privacy notices due")),
        }
        parts.join(", ")
    }
}

/// The result of a check (or of an import: what it did).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportCheck {
    pub sheet: String,
    pub rows: Vec<RowReport>,
    pub counts: ImportCounts,
    planned: Vec<Planned>,
}

/// What the import will write for a row.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Planned {
    Create(Box<PersonRecord>, Obtained),
    Change(i64, Box<PersonRecord>),
    /// A link between two people on file; a notice is owed to the second when the link
    /// came from someone else.
    Link(super::relationships::CheckedLink, Option<Obtained>),
    Nothing,
}

impl ImportCheck {
    pub(super) fn new(sheet: &str, rows: usize) -> ImportCheck {
        ImportCheck {
            sheet: sheet.to_string(),
            rows: Vec::with_capacity(rows),
            counts: ImportCounts::default(),
            planned: Vec::with_capacity(rows),
        }
    }

    /// Adds a row's status and sentence, with what it will write, to the report and counts.
    pub(super) fn push(
        &mut self,
        row: usize,
        status: RowStatus,
        message: String,
        person_id: Option<i64>,
        planned: Planned,
    ) {
        match status {
            RowStatus::New => self.counts.new += 1,
            RowStatus::Fill => self.counts.fill += 1,
            RowStatus::Update => self.counts.update += 1,
            RowStatus::Skip => self.counts.skip += 1,
            RowStatus::Repeat => self.counts.repeat += 1,
            RowStatus::Problem => self.counts.problem += 1,
        }
        if matches!(&planned, Planned::Create(_, o) | Planned::Link(_, Some(o)) if o.is_indirect()) {
            self.counts.notices_due += 1;
        }
        self.rows.push(RowReport {
            row,
            status,
            message,
            person_id,
        });
        self.planned.push(planned);
    }
}

/// Someone on file, as the duplicate check needs them.
struct OnFile {
    id: i64,
    restricted: bool,
    categories: Vec<Category>,
}

/// Everyone on file, found by [`duplicate_keys`].
#[derive(Default)]
struct OnFileIndex {
    people: Vec<OnFile>,
    keys: HashMap<String, Vec<usize>>,
}

const MAPPING_KEY: &str = "import_mapping:";

impl Store {
    fn category_words(&self) -> CategoryWords {
        let p = self.profile();
        CategoryWords::new(
            p.category_keys()
                .into_iter()
                .map(|c| (p.category_label(c).to_string(), c)),
        )
    }

    /// Whether the acting user may file people of some category, and so import them.
    pub fn may_import(&self) -> bool {
        self.profile().category_keys().into_iter().any(|c| self.may_write(&[c]))
    }

    /// The category `name` names, in the profile's words or by key ("Client", "client").
    pub fn import_category(&self, name: &str) -> Result<Category> {
        match self.category_words().read(name).map_err(StoreError::invalid)?.as_slice() {
            [one] => Ok(*one),
            _ => Err(StoreError::invalid(format!(
                "\"{name}\" should name one category: choose the one most people in the sheet are, and map a column to category for the rest."
            ))),
        }
    }

    /// The mapping for a sheet with these headers: the saved one made for them, if any (with
    /// its name), or each column guessed from its header.
    pub fn mapping_for(&self, headers: &[String]) -> Result<(Mapping, Option<String>)> {
        Ok(self
            .mappings()?
            .into_iter()
            .find(|(_, m)| m.fits(headers))
            .map(|(name, m)| (m, Some(name)))
            .unwrap_or_else(|| (Mapping::guessed(headers), None)))
    }

    /// Checks every row of `sheet` as the import would bring it in; changes nothing.
    pub fn check_import(&self, sheet: &Sheet, settings: &ImportSettings) -> Result<ImportCheck> {
        if let Some(problem) = settings.mapping.problem() {
            return Err(StoreError::invalid(problem));
        }
        let category_column = settings
            .mapping
            .columns
            .iter()
            .any(|(_, t)| *t == Some(crate::domain::import::Target::Category));
        if settings.category.is_none() && !category_column {
            return Err(StoreError::invalid(
                "Choose the category of the people in the sheet (client, volunteer, ...), or map a column to category.",
            ));
        }
        if let Some(c) = settings.category {
            self.check_categories(&[c])?;
        }
        if settings.obtained_from.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(StoreError::invalid(
                "Say who the details came from (\"Age UK referrals list\"), or that people gave them themselves.",
            ));
        }
        let today = self.clock().today();
        let words = self.category_words();
        let default: Vec<Category> = settings.category.into_iter().collect();
        let read: Vec<(usize, std::result::Result<RowPerson, Vec<String>>)> = sheet
            .rows
            .iter()
            .filter(|(_, cells)| !crate::domain::import_plan::is_blank(cells))
            .map(|(n, cells)| (*n, read_row(cells, &settings.mapping, &words, &default, today)))
            .collect();
        let check_duplicates = settings.policy != DuplicatePolicy::Create;
        let earlier = if check_duplicates {
            repeats(read.iter().map(|(_, r)| r.as_ref().ok().map(|p| &p.record)))
        } else {
            vec![None; read.len()]
        };
        let on_file = if check_duplicates {
            self.duplicate_index()?
        } else {
            OnFileIndex::default()
        };
        let mut check = ImportCheck::new(&sheet.name, read.len());
        for ((row, person), repeat) in read.into_iter().zip(earlier) {
            let (status, message, person_id, planned) = match (person, repeat) {
                (Err(problems), _) => (RowStatus::Problem, problems.join(" "), None, Planned::Nothing),
                (Ok(_), Some(first)) => (
                    RowStatus::Repeat,
                    format!(
                        "Repeats row {} of this sheet (same name and postcode, phone or email): left out.",
                        check.rows[first].row
                    ),
                    None,
                    Planned::Nothing,
                ),
                (Ok(p), None) => self.plan_row(p, settings, &on_file),
            };
            check.push(row, status, message, person_id, planned);
        }
        Ok(check)
    }

    fn plan_row(
        &self,
        p: RowPerson,
        settings: &ImportSettings,
        on_file: &OnFileIndex,
    ) -> (RowStatus, String, Option<i64>, Planned) {
        let problem = |e: StoreError| (RowStatus::Problem, e.to_string(), None, Planned::Nothing);
        if let Err(e) = self
            .check_categories(&p.record.categories)
            .and(self.check_collected(&p.record))
        {
            return problem(e);
        }
        if !self.may_write(&p.record.categories) {
            return problem(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                "file people in these categories".into(),
            ));
        }
        let mut matches: Vec<&OnFile> = Vec::new();
        for k in duplicate_keys(&p.record) {
            for i in on_file.keys.get(&k).into_iter().flatten() {
                let who = &on_file.people[*i];
                if !matches.iter().any(|m| m.id == who.id) {
                    matches.push(who);
                }
            }
        }
        if matches.is_empty() {
            let obtained = match p.source.or_else(|| settings.obtained_from.clone()) {
                Some(from) => Obtained::Indirectly {
                    from_person: None,
                    from_text: Some(from),
                    referral: None,
                },
                None => Obtained::Directly,
            };
            let message = if obtained.is_indirect() {
                "New person; a privacy notice will be due, as their details came from someone else."
            } else {
                "New person."
            };
            return (
                RowStatus::New,
                message.into(),
                None,
                Planned::Create(Box::new(p.record), obtained),
            );
        }
        let role = self.actor().role;
        let lead = self.access().sees_restricted(role);
        let hidden =
            |m: &&OnFile| !lead && (m.restricted || !self.access().can_see(role, &m.categories, FieldGroup::Name));
        if matches.iter().any(hidden) {
            return (
                RowStatus::Skip,
                "Matches someone on file your role may not see (or whose record is restricted): left out; ask the data protection lead."
                    .into(),
                None,
                Planned::Nothing,
            );
        }
        if matches.len() > 1 {
            let ids: Vec<String> = matches.iter().map(|m| format!("#{}", m.id)).collect();
            return (
                RowStatus::Skip,
                format!(
                    "Matches {} people on file ({}): left out; bring it in by hand, or choose \"create\".",
                    ids.len(),
                    ids.join(", ")
                ),
                None,
                Planned::Nothing,
            );
        }
        let id = matches[0].id;
        let (status, merge): (RowStatus, fn(&PersonRecord, &PersonRecord) -> PersonRecord) = match settings.policy {
            DuplicatePolicy::Fill => (RowStatus::Fill, fill_empty),
            DuplicatePolicy::Update => (RowStatus::Update, overlay),
            _ => {
                return (
                    RowStatus::Skip,
                    format!(
                        "Already on file as #{id}: left out (choose fill or update to bring in what the row adds)."
                    ),
                    Some(id),
                    Planned::Nothing,
                )
            }
        };
        let stored = match super::person_rows::load_record(&self.conn, id) {
            Ok(r) => r,
            Err(e) => return problem(e),
        };
        match self.prepare_update(id, &merge(&stored, &p.record)) {
            Ok((_, _, changed)) if changed.is_empty() => (
                RowStatus::Skip,
                format!("Already on file as #{id}, with everything this row gives: nothing to change."),
                Some(id),
                Planned::Nothing,
            ),
            Ok((_, merged, changed)) => (
                status,
                format!(
                    "Already on file as #{id}: {} {}.",
                    if status == RowStatus::Fill {
                        "will fill"
                    } else {
                        "will update"
                    },
                    changed.join(", ").replace('_', " ")
                ),
                Some(id),
                Planned::Change(id, Box::new(merged)),
            ),
            Err(e) => (
                RowStatus::Problem,
                format!("Matches #{id} on file: {e}"),
                Some(id),
                Planned::Nothing,
            ),
        }
    }

    /// Everyone on file by [`duplicate_keys`], read in two passes over the tables.
    fn duplicate_index(&self) -> Result<OnFileIndex> {
        let mut people: Vec<OnFile> = Vec::new();
        let mut records: Vec<PersonRecord> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT p.id, p.given_name, p.family_name, p.postcode, p.email, p.restricted,
                    (SELECT json_group_array(category) FROM person_categories c WHERE c.person_id = p.id)
             FROM people p",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let cats: String = r.get(6)?;
            let keys: Vec<String> = serde_json::from_str(&cats).unwrap_or_default();
            at.insert(id, people.len());
            people.push(OnFile {
                id,
                restricted: r.get(5)?,
                categories: keys.iter().filter_map(|k| Category::parse(k).ok()).collect(),
            });
            records.push(PersonRecord {
                given_name: r.get(1)?,
                family_name: r.get(2)?,
                postcode: r.get(3)?,
                email: r.get(4)?,
                ..PersonRecord::default()
            });
        }
        let mut st = self.conn.prepare("SELECT person_id, phone FROM person_phones")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = at.get(&r.get::<_, i64>(0)?) {
                records[*i].phones.push(r.get(1)?);
            }
        }
        let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, rec) in records.iter().enumerate() {
            for k in duplicate_keys(rec) {
                keys.entry(k).or_default().push(i);
            }
        }
        Ok(OnFileIndex { people, keys })
    }

    /// Checks `sheet` again and brings it in: one transaction, one audit entry with the
    /// counts. `progress` is told (rows done, rows to write) as it goes.
    pub fn import(
        &mut self,
        sheet: &Sheet,
        settings: &ImportSettings,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportCheck> {
        let check = self.check_import(sheet, settings)?;
        self.write_check(check, "import", progress)
    }

    /// Writes what `check` plans, in one transaction with one audit entry (`entity`, with the
    /// counts), telling `progress` as it goes; the rows created are given their ids.
    pub(super) fn write_check(
        &mut self,
        mut check: ImportCheck,
        entity: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportCheck> {
        let total = check.planned.iter().filter(|p| !matches!(p, Planned::Nothing)).count();
        if total == 0 {
            return Err(StoreError::invalid(
                "No row of the sheet would add or change anything: read the report, put the rows right and try again.",
            ));
        }
        let now = self.clock().now();
        let today = now.date();
        let user = self.actor().user_id;
        let counts = check.counts;
        let created = self.write(|tx| {
            let mut created = Vec::new();
            let mut done = 0;
            for (i, planned) in check.planned.iter().enumerate() {
                match planned {
                    Planned::Create(rec, obtained) => {
                        let id = insert_person(tx, rec, obtained, today, now)?;
                        if obtained.is_indirect() {
                            create_notice_obligation(tx, id, obtained, today, now)?;
                        }
                        created.push((i, id));
                    }
                    Planned::Change(id, rec) => write_update(tx, *id, rec, now)?,
                    Planned::Link(link, obtained) => {
                        super::relationships::insert_link(tx, link, now)?.ok_or_else(|| {
                            StoreError::invalid(
                                "Two rows link the same two people the same way: nothing was imported; remove one.",
                            )
                        })?;
                        if let Some(o) = obtained {
                            create_notice_obligation(tx, link.other, o, today, now)?;
                        }
                    }
                    Planned::Nothing => continue,
                }
                done += 1;
                if done % 250 == 0 || done == total {
                    progress(done, total);
                }
            }
            let fields = [
                format!("new {}", counts.new),
                format!("filled {}", counts.fill),
                format!("updated {}", counts.update),
                format!("skipped {}", counts.skip + counts.repeat + counts.problem),
                format!("notices {}", counts.notices_due),
            ];
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            audit::append(tx, now, Some(user), audit::Action::Create, entity, None, &fields)?;
            Ok(created)
        })?;
        for (i, id) in created {
            check.rows[i].person_id = Some(id);
        }
        Ok(check)
    }

    /// Saves a column mapping under `name` for the next import of a sheet like it.
    pub fn save_mapping(&mut self, name: &str, mapping: &Mapping) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::invalid("Give the mapping a name (\"clients\") to save it."));
        }
        let key = format!("{MAPPING_KEY}{name}");
        let json = mapping.to_json();
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, json],
            )?;
            audit::append(tx, now, Some(user), audit::Action::Admin, "import_mapping", None, &[])?;
            Ok(())
        })
    }

    /// A mapping saved under `name`.
    pub fn mapping(&self, name: &str) -> Result<Option<Mapping>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [format!("{MAPPING_KEY}{}", name.trim())],
                |r| r.get(0),
            )
            .optional()?;
        Ok(json.and_then(|j| Mapping::from_json(&j)))
    }

    /// Every saved mapping, by name.
    pub fn mappings(&self) -> Result<Vec<(String, Mapping)>> {
        let mut st = self
            .conn
            .prepare("SELECT substr(key, ?2), value FROM meta WHERE key LIKE ?1 ORDER BY key")?;
        let rows = st.query_map(params![format!("{MAPPING_KEY}%"), MAPPING_KEY.len() as i64 + 1], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for r in rows {
            let (name, json) = r?;
            if let Some(m) = Mapping::from_json(&json) {
                out.push((name, m));
            }
        }
        Ok(out)
    }
}
