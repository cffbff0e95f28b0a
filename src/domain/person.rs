//! A person's record as typed into a form or the command line ([`PersonForm`]: raw text) and as
//! checked and normalised for storing ([`PersonRecord`]), plus how their data was obtained.

use super::validate::{self, InvalidInput};
use super::Category;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Raw text as typed. Lists (aliases, phones) are separated by commas or semicolons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonForm {
    pub title: String,
    pub given_name: String,
    pub family_name: String,
    pub aliases: String,
    pub address: String,
    pub postcode: String,
    pub phones: String,
    pub email: String,
    pub date_of_birth: String,
    pub organisation: String,
    pub notes: String,
    pub categories: Vec<Category>,
}

/// A checked, normalised person record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub title: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub aliases: Vec<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub organisation: Option<String>,
    pub notes: Option<String>,
    pub categories: Vec<Category>,
}

impl PersonRecord {
    /// "Title Given Family".
    pub fn display_name(&self) -> String {
        display_name(self.title.as_deref(), &self.given_name, &self.family_name)
    }

    /// The record as a form, for editing.
    pub fn to_form(&self) -> PersonForm {
        PersonForm {
            title: self.title.clone().unwrap_or_default(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            aliases: self.aliases.join(", "),
            address: self.address.clone().unwrap_or_default(),
            postcode: self.postcode.clone().unwrap_or_default(),
            phones: self.phones.join(", "),
            email: self.email.clone().unwrap_or_default(),
            date_of_birth: self
                .date_of_birth
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            organisation: self.organisation.clone().unwrap_or_default(),
            notes: self.notes.clone().unwrap_or_default(),
            categories: self.categories.clone(),
        }
    }
}

/// "Title Given Family", skipping empty parts.
pub fn display_name(title: Option<&str>, given: &str, family: &str) -> String {
    [title.unwrap_or(""), given, family]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty())
}

fn take<T>(errors: &mut Vec<InvalidInput>, r: Result<T, InvalidInput>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

impl PersonForm {
    /// Checks every field; returns every problem at once so a form can show them all.
    pub fn validate(&self, today: NaiveDate) -> Result<PersonRecord, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let title = take(e, validate::title(&self.title)).flatten();
        let given_name = take(
            e,
            validate::name(&self.given_name).map_err(|x| x.in_field("given_name")),
        );
        let family_name = take(
            e,
            validate::name(&self.family_name).map_err(|x| x.in_field("family_name")),
        );
        let aliases: Vec<String> = split_list(&self.aliases)
            .filter_map(|a| take(e, validate::name(a).map_err(|x| x.in_field("aliases"))))
            .collect();
        let address =
            take(e, validate::note("address", &self.address, validate::MAX_ADDRESS)).filter(|s| !s.is_empty());
        let postcode = take(e, validate::optional(&self.postcode, validate::postcode)).flatten();
        let phones: Vec<String> = split_list(&self.phones)
            .filter_map(|p| take(e, validate::phone(p).map_err(|x| x.in_field("phones"))))
            .collect();
        let email = take(e, validate::optional(&self.email, validate::email)).flatten();
        let date_of_birth = take(
            e,
            validate::optional(&self.date_of_birth, |s| validate::date_of_birth(s, today)),
        )
        .flatten();
        let organisation = take(
            e,
            validate::optional_text("organisation", &self.organisation, validate::MAX_LINE),
        )
        .flatten();
        let notes = take(e, validate::note("notes", &self.notes, validate::MAX_NOTE)).filter(|s| !s.is_empty());
        if self.categories.is_empty() {
            errors.push(InvalidInput::new(
                "categories",
                "Choose at least one category (client, volunteer, relative, ...) for the person.".to_string(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut categories = self.categories.clone();
        categories.sort();
        categories.dedup();
        Ok(PersonRecord {
            title,
            given_name: given_name.unwrap_or_default(),
            family_name: family_name.unwrap_or_default(),
            aliases,
            address,
            postcode,
            phones,
            email,
            date_of_birth,
            organisation,
            notes,
            categories,
        })
    }
}

/// How a person's data came to us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Obtained {
    /// From the person themselves.
    Directly,
    /// From someone else: a person in the case file, a description, and/or a referral.
    Indirectly {
        from_person: Option<i64>,
        from_text: Option<String>,
        referral: Option<i64>,
    },
}

impl Obtained {
    pub fn is_indirect(&self) -> bool {
        matches!(self, Obtained::Indirectly { .. })
    }
}
