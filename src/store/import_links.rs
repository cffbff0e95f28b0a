//! Links from a spreadsheet: who is whose next of kin, relative or emergency contact, which
//! volunteer is assigned to which client (the rota). Each row names two people already on
//! file, in two columns of the same sheet as the people or of another one, by id, email,
//! phone or name ([`PersonKey`]); the link is checked as the terminal checks it (both people
//! writable, a volunteer to assign, the DBS checks the services need). [`Store::check_links`]
//! changes nothing; [`Store::import_links`] writes every link in one transaction with one
//! audit entry. People are found only among those the acting role may see.

use super::error::{Result, StoreError};
use super::import::{ImportCheck, Planned, RowStatus};
use super::Store;
use crate::domain::import::Target;
use crate::domain::import_plan::{is_blank, name_key, PersonKey, Sheet};
use crate::domain::person::Obtained;
use crate::domain::RelationKind;
use std::collections::{HashMap, HashSet};

/// What the user chose for a links import.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSettings {
    /// The column naming the first person (the client, the person whose next of kin...).
    pub from: String,
    /// The column naming the second (their next of kin, their volunteer...).
    pub to: String,
    pub kind: RelationKind,
    /// What an assigned volunteer is assigned for, for rows without a services column.
    pub services: Vec<String>,
    /// A column giving each assignment's services (several separated by commas).
    pub services_column: Option<String>,
    /// A column saying how the two are related ("daughter", "husband"), in the words of the
    /// profile's `relationship_types`.
    pub relation_column: Option<String>,
    /// Who told the charity of these links, when not the people themselves: the second
    /// person of each is owed a privacy notice (Article 14).
    pub obtained_from: Option<String>,
}

/// The people the acting role may see, found by each kind of key.
struct KeyIndex {
    ids: HashSet<i64>,
    keys: HashMap<String, Vec<i64>>,
}

fn key_text(k: &PersonKey) -> String {
    match k {
        PersonKey::Id(id) => format!("i{id}"),
        PersonKey::Email(e) => format!("e{e}"),
        PersonKey::Phone(p) => format!("p{p}"),
        PersonKey::Name { given, family } => format!("n{given}\u{1f}{family}"),
    }
}

impl Store {
    /// The people a key cell may name: those the role may see, by their name, and by the
    /// email and phone numbers it may see.
    fn key_index(&self) -> Result<KeyIndex> {
        let mut index = KeyIndex {
            ids: HashSet::new(),
            keys: HashMap::new(),
        };
        for person in self.people_on_file()?.into_iter().filter(|p| !p.hidden_restricted) {
            let rec = &person.record;
            let [_, phone, email] = person.sees;
            index.ids.insert(person.id);
            let mut keys = vec![PersonKey::Name {
                given: name_key(&rec.given_name),
                family: name_key(&rec.family_name),
            }];
            keys.extend(
                rec.email
                    .iter()
                    .filter(|_| email)
                    .map(|e| PersonKey::Email(e.to_lowercase())),
            );
            keys.extend(rec.phones.iter().filter(|_| phone).map(|p| PersonKey::Phone(p.clone())));
            for k in keys {
                index.keys.entry(key_text(&k)).or_default().push(person.id);
            }
        }
        Ok(index)
    }

    /// Checks every row of a links sheet as [`Store::import_links`] would bring it in;
    /// changes nothing.
    pub fn check_links(&self, sheet: &Sheet, settings: &LinkSettings) -> Result<ImportCheck> {
        let column = |header: &str| {
            sheet
                .headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(header.trim()))
                .ok_or_else(|| {
                    StoreError::invalid(format!(
                        "The sheet has no column headed \"{}\": choose one of \"{}\".",
                        header.trim(),
                        sheet.headers.join("\", \"")
                    ))
                })
        };
        let (from, to) = (column(&settings.from)?, column(&settings.to)?);
        let services_col = settings.services_column.as_deref().map(column).transpose()?;
        let relation_col = settings.relation_column.as_deref().map(column).transpose()?;
        if settings.kind == RelationKind::AssignedVolunteer
            && services_col.is_none()
            && settings.services.iter().all(|s| s.trim().is_empty())
        {
            return Err(StoreError::invalid(format!(
                "Say what the volunteers are assigned for (--services, one or more of {}), or name a column that says.",
                self.profile().services.join(", ")
            )));
        }
        let index = self.key_index()?;
        let obtained = settings.obtained_from.as_ref().map(|from| Obtained::Indirectly {
            from_person: None,
            from_text: Some(from.clone()),
            referral: None,
        });
        let mut check = ImportCheck::new(&sheet.name, sheet.rows.len(), "import_links");
        self.stamp(&mut check)?;
        let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
        // Whoever is owed a notice already (on file, or by an earlier row) is not owed another.
        let mut owed: HashSet<i64> = HashSet::new();
        for (row, cells) in sheet.rows.iter().filter(|(_, c)| !is_blank(c)) {
            let cell = |i: usize| cells.get(i).cloned().unwrap_or(crate::domain::import::Cell::Empty);
            let found = |i: usize| self.resolve(&index, &cell(i), &sheet.headers[i]);
            let (a, b) = match (found(from), found(to)) {
                (Ok(Some(a)), Ok(Some(b))) => (a, b),
                (Ok(_), Ok(None)) => {
                    check.push(
                        *row,
                        RowStatus::Skip,
                        format!("No one in column \"{}\": nothing to link.", sheet.headers[to]),
                        None,
                        Planned::Nothing,
                    );
                    continue;
                }
                (Ok(None), _) => {
                    check.push(
                        *row,
                        RowStatus::Problem,
                        format!("No one in column \"{}\": say who the link is for.", sheet.headers[from]),
                        None,
                        Planned::Nothing,
                    );
                    continue;
                }
                (Err(e), _) | (_, Err(e)) => {
                    check.push(*row, RowStatus::Problem, e, None, Planned::Nothing);
                    continue;
                }
            };
            if let Some(first) = seen.get(&(a, b)) {
                let message = format!(
                    "Repeats row {first} of this sheet (the same two people): left out; for a volunteer with several services, put them in one cell, separated by commas."
                );
                check.push(*row, RowStatus::Repeat, message, Some(a), Planned::Nothing);
                continue;
            }
            seen.insert((a, b), *row);
            let services: Vec<String> = match services_col {
                Some(c) => crate::domain::import::text_cell(&cell(c), Target::Notes)
                    .split([',', ';'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                None => settings.services.clone(),
            };
            if settings.kind == RelationKind::AssignedVolunteer && services.is_empty() {
                let message = format!(
                    "Say what the volunteer is assigned for in column \"{}\": one or more of {}.",
                    settings.services_column.as_deref().unwrap_or(""),
                    self.profile().services.join(", ")
                );
                check.push(*row, RowStatus::Problem, message, Some(a), Planned::Nothing);
                continue;
            }
            let relation = relation_col
                .map(|c| crate::domain::import::text_cell(&cell(c), Target::Notes))
                .filter(|r| !r.is_empty());
            let planned = match self.linked(a, settings.kind, b) {
                Ok(true) => Err(None),
                Ok(false) => self
                    .checked_relation(relation.as_deref())
                    .and_then(|()| self.check_link(a, settings.kind, b, &services))
                    .map(|mut link| {
                        // As the profile writes it ("Daughter" for "daughter").
                        link.relation = relation.as_deref().and_then(|r| {
                            self.profile()
                                .relationship_types
                                .iter()
                                .find(|k| k.eq_ignore_ascii_case(r.trim()))
                                .cloned()
                        });
                        link
                    })
                    .map_err(Some),
                Err(e) => Err(Some(e)),
            };
            match planned {
                Ok(link) => {
                    // The category the link gives the second person changes who may see
                    // them: say so.
                    let gains = match link.category {
                        Some(c) if !super::person_rows::categories_of(&self.conn, b)?.contains(&c) => format!(
                            "; #{b} will be filed as a {} as well",
                            self.profile().category_label(c).to_lowercase()
                        ),
                        _ => String::new(),
                    };
                    let notice = match &obtained {
                        Some(o) if !owed.contains(&b) && !self.has_notice(b)? => {
                            owed.insert(b);
                            Some(o.clone())
                        }
                        _ => None,
                    };
                    check.push(
                        *row,
                        RowStatus::New,
                        format!("#{a} and #{b}: {}{gains}.", settings.kind.label().to_lowercase()),
                        Some(a),
                        Planned::Link(link, notice),
                    )
                }
                Err(None) => check.push(
                    *row,
                    RowStatus::Skip,
                    format!("#{a} and #{b} are already linked that way (change a link on the person's screen)."),
                    Some(a),
                    Planned::Nothing,
                ),
                Err(Some(e)) => check.push(
                    *row,
                    RowStatus::Problem,
                    format!("#{a} and #{b}: {e}"),
                    Some(a),
                    Planned::Nothing,
                ),
            }
        }
        Ok(check)
    }

    /// Whether `person` has an Article 14 notice on record (given, owed or exempt).
    fn has_notice(&self, person: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM article14_notices WHERE person_id = ?1)")?
            .query_row([person], |r| r.get(0))?)
    }

    /// The one person a key cell names, `None` for an empty cell, or a sentence saying why
    /// no one or several match (naming them by id only).
    fn resolve(
        &self,
        index: &KeyIndex,
        cell: &crate::domain::import::Cell,
        header: &str,
    ) -> std::result::Result<Option<i64>, String> {
        let Some(key) = PersonKey::read(cell) else {
            return Ok(None);
        };
        let ids: Vec<i64> = match &key {
            PersonKey::Id(id) => index.ids.get(id).copied().into_iter().collect(),
            other => index.keys.get(&key_text(other)).cloned().unwrap_or_default(),
        };
        match ids.as_slice() {
            [one] => Ok(Some(*one)),
            [] => Err(format!(
                "No one you may see on file has the {} in column \"{header}\": import them first, or write their id or phone number.",
                key.what()
            )),
            several => Err(format!(
                "{} people on file have the {} in column \"{header}\" ({}): write the id of the one meant instead.",
                several.len(),
                key.what(),
                several.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// Checks the links sheet again and writes every link it can, in one transaction with
    /// one audit entry holding the counts.
    pub fn import_links(
        &mut self,
        sheet: &Sheet,
        settings: &LinkSettings,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportCheck> {
        let check = self.check_links(sheet, settings)?;
        self.write_import(check, progress)
    }
}
