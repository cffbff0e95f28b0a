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
    duplicate_keys, duplicate_keys_seen, fill_empty, lookup_keys, name_only_key, overlay, read_row, repeats,
    CategoryWords, DuplicatePolicy, Mapping, RowPerson, Sheet,
};
use crate::domain::person::{Obtained, PersonRecord};
use crate::domain::{Category, FieldGroup};
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};

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
    /// How many audit entries the case file had when it was checked: a write refuses a
    /// check the file has changed since.
    as_of: i64,
    /// What the audit entry calls the import ("import", "import_links").
    entity: &'static str,
}

/// What the import will write for a row.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Planned {
    Create(Box<PersonRecord>, Obtained),
    /// The person's record as it will be written, and the fields that change.
    Change(i64, Box<PersonRecord>, Vec<&'static str>),
    /// A link between two people on file; a notice is owed to the second when the link
    /// came from someone else.
    Link(super::relationships::CheckedLink, Option<Obtained>),
    Nothing,
}

impl ImportCheck {
    /// Whether writing it would add or change anything.
    pub fn writes_anything(&self) -> bool {
        self.planned.iter().any(|p| !matches!(p, Planned::Nothing))
    }

    pub(super) fn new(sheet: &str, rows: usize, entity: &'static str) -> ImportCheck {
        ImportCheck {
            sheet: sheet.to_string(),
            rows: Vec::with_capacity(rows),
            counts: ImportCounts::default(),
            planned: Vec::with_capacity(rows),
            as_of: 0,
            entity,
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

/// The people on file a row may match, found by [`lookup_keys`]: those the acting role may
/// see, by the fields it may see (so a match never tells it more than a search would), and,
/// apart, restricted records it may not see, of which a match says only that there is one.
#[derive(Default)]
struct OnFileIndex {
    keys: HashMap<String, Vec<i64>>,
    restricted: HashSet<String>,
    /// By name alone: each person's id and whether the role sees their address, phones
    /// and email (what a row would be told apart by).
    names: HashMap<String, Vec<(i64, [bool; 3])>>,
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

    /// Notes how far the case file's audit log had got when `check` was made.
    pub(super) fn stamp(&self, check: &mut ImportCheck) -> Result<()> {
        check.as_of = audit::entries_written(&self.conn)?;
        Ok(())
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
    /// its name), or each column guessed from its header, leaving out fields the profile
    /// collects for no one (a perinatal charity's "Date of birth" column).
    pub fn mapping_for(&self, headers: &[String]) -> Result<(Mapping, Option<String>)> {
        if let Some((name, m)) = self.mappings()?.into_iter().find(|(_, m)| m.fits(headers)) {
            return Ok((m, Some(name)));
        }
        let mut m = Mapping::guessed(headers);
        let p = self.profile();
        let collected = |g| {
            p.category_keys()
                .into_iter()
                .any(|c| p.category(c).is_some_and(|r| r.collects(g)))
        };
        for (_, target) in m.columns.iter_mut() {
            if target.and_then(field_group).is_some_and(|g| !collected(g)) {
                *target = None;
            }
        }
        Ok((m, None))
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
        // Built whatever the policy: "create anyway" still never files a restricted
        // record's person afresh.
        let on_file = self.duplicate_index()?;
        let mut check = ImportCheck::new(&sheet.name, read.len(), "import");
        self.stamp(&mut check)?;
        // The row that plans to change each person on file, so two rows never both do.
        let mut changing: HashMap<i64, usize> = HashMap::new();
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
                (Ok(p), None) => match self.plan_row(p, settings, &on_file) {
                    (_, _, Some(id), Planned::Change(..)) if changing.contains_key(&id) => (
                        RowStatus::Repeat,
                        format!(
                            "Matches the same person on file (#{id}) as row {}: left out; put the two rows together.",
                            changing[&id]
                        ),
                        Some(id),
                        Planned::Nothing,
                    ),
                    planned => planned,
                },
            };
            if let (Some(id), Planned::Change(..)) = (person_id, &planned) {
                changing.insert(id, row);
            }
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
            let labels: Vec<&str> = p
                .record
                .categories
                .iter()
                .map(|c| self.profile().category_label(*c))
                .collect();
            return problem(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                format!("file a {}", labels.join(" / ").to_lowercase()),
            ));
        }
        let keys = lookup_keys(&p.record);
        if keys.iter().any(|k| on_file.restricted.contains(k)) {
            return (
                RowStatus::Skip,
                "Matches a restricted record: left out; ask the data protection lead.".into(),
                None,
                Planned::Nothing,
            );
        }
        let mut matches: Vec<i64> = Vec::new();
        if settings.policy != DuplicatePolicy::Create {
            for id in keys.iter().flat_map(|k| on_file.keys.get(k).into_iter().flatten()) {
                if !matches.contains(id) {
                    matches.push(*id);
                }
            }
            // Nothing matches, but the name does, of someone whose details the role may not
            // compare with the row's (it may not see their postcode, phone or email): it
            // may be them, so the row waits for a person to decide, in the same words
            // whatever else the row holds, so a role learns nothing it may not see.
            let gives = [
                p.record.postcode.is_some(),
                !p.record.phones.is_empty(),
                p.record.email.is_some(),
            ];
            // A row with none of them (only an address or a date of birth besides the name)
            // cannot be told from a namesake either.
            let comparable = gives.iter().any(|g| *g);
            let blind = |seen: &[bool; 3]| !comparable || gives.iter().zip(seen).any(|(g, s)| *g && !*s);
            let namesakes: Vec<String> = on_file
                .names
                .get(&name_only_key(&p.record))
                .into_iter()
                .flatten()
                .filter(|(_, seen)| blind(seen))
                .map(|(id, _)| format!("#{id}"))
                .collect();
            if matches.is_empty() && !namesakes.is_empty() {
                let ids = namesakes;
                return (
                    RowStatus::Skip,
                    format!(
                        "Someone on file has this name ({}), and may be the same person: left out; look them up, then bring the row in by hand, or choose \"create\" if no one is.",
                        ids.join(", ")
                    ),
                    None,
                    Planned::Nothing,
                );
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
        if matches.len() > 1 {
            let ids: Vec<String> = matches.iter().map(|m| format!("#{m}")).collect();
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
        let id = matches[0];
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
                format!("Already on file as #{id}: nothing in this row would change their record that your role may change."),
                Some(id),
                Planned::Nothing,
            ),
            Ok((before, merged, changed)) => {
                // A new category changes who may see them: say so.
                let added: Vec<String> = merged
                    .categories
                    .iter()
                    .filter(|c| !before.categories.contains(c))
                    .map(|c| self.profile().category_label(*c).to_lowercase())
                    .collect();
                let fields: Vec<&str> = changed.iter().copied().filter(|f| *f != "categories").collect();
                let mut message = format!("Already on file as #{id}:");
                if !fields.is_empty() {
                    let verb = if status == RowStatus::Fill { "will fill" } else { "will update" };
                    message.push_str(&format!(" {verb} {}", fields.join(", ").replace('_', " ")));
                }
                if !added.is_empty() {
                    if !fields.is_empty() {
                        message.push(';');
                    }
                    message.push_str(&format!(" will be filed as a {} as well", added.join(" and a ")));
                }
                message.push('.');
                (status, message, Some(id), Planned::Change(id, Box::new(merged), changed))
            }
            Err(e) => (
                RowStatus::Problem,
                format!("Matches #{id} on file: {e}"),
                Some(id),
                Planned::Nothing,
            ),
        }
    }

    /// The people a row may match (see [`OnFileIndex`]), read in two passes over the tables.
    fn duplicate_index(&self) -> Result<OnFileIndex> {
        let mut index = OnFileIndex::default();
        for person in self.people_on_file()? {
            let (id, rec, [address, phone, email]) = (person.id, &person.record, person.sees);
            if person.hidden_restricted {
                // As the new-person form's check: any of the fields, saying only that one matches.
                index.restricted.extend(duplicate_keys(rec));
                index.restricted.insert(name_only_key(rec));
                continue;
            }
            let mut keys = duplicate_keys_seen(rec, address, phone, email);
            keys.push(name_only_key(rec));
            for k in keys {
                index.keys.entry(k).or_default().push(id);
            }
            index
                .names
                .entry(name_only_key(rec))
                .or_default()
                .push((id, [address, phone, email]));
        }
        Ok(index)
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
        self.write_import(check, progress)
    }

    /// Writes what a check just made plans (refused if the case file has changed since), in
    /// one transaction with one audit entry holding the counts (and, for each person it
    /// changes, an entry naming the fields), telling `progress` as it goes; the rows that
    /// create someone are given their ids.
    pub fn write_import(
        &mut self,
        mut check: ImportCheck,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportCheck> {
        let entity = check.entity;
        if audit::entries_written(&self.conn)? != check.as_of {
            return Err(StoreError::invalid(
                "The case file has changed since the sheet was checked: check it again, then import.",
            ));
        }
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
                    Planned::Change(id, rec, changed) => {
                        write_update(tx, *id, rec, now)?;
                        // The person's own trail shows what the import changed (names of
                        // fields, never values), as an edit's would.
                        audit::append(tx, now, Some(user), audit::Action::Change, "person", Some(*id), changed)?;
                    }
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

/// The field group a column fills, for the fields the profile may not collect.
fn field_group(t: crate::domain::import::Target) -> Option<FieldGroup> {
    use crate::domain::import::Target;
    match t {
        Target::Address | Target::Postcode => Some(FieldGroup::Address),
        Target::Phone => Some(FieldGroup::Phone),
        Target::Email => Some(FieldGroup::Email),
        Target::DateOfBirth => Some(FieldGroup::DateOfBirth),
        Target::Organisation => Some(FieldGroup::Organisation),
        Target::Notes => Some(FieldGroup::Correspondence),
        _ => None,
    }
}
