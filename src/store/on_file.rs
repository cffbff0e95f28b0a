//! Everyone on file as a spreadsheet import compares rows with them: each person's name,
//! postcode, email and phone numbers, read in two passes over the tables, with what the
//! acting role may see of them. People whose name the role may not see are left out, except
//! restricted records it may not see, which a row may match without learning who (as the
//! new-person form's own check does).

use super::error::Result;
use super::Store;
use crate::domain::person::PersonRecord;
use crate::domain::{Category, FieldGroup};
use std::collections::HashMap;

/// One person on file, for matching.
pub(super) struct OnFilePerson {
    pub id: i64,
    /// Only the name, postcode, email and phone numbers are filled in.
    pub record: PersonRecord,
    /// A restricted record the role may not see: matched only to say that one matches.
    pub hidden_restricted: bool,
    /// Whether the role sees their address, phone numbers and email.
    pub sees: [bool; 3],
}

impl Store {
    pub(super) fn people_on_file(&self) -> Result<Vec<OnFilePerson>> {
        let role = self.actor().role;
        let lead = self.access().sees_restricted(role);
        let mut people: Vec<OnFilePerson> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT p.id, p.given_name, p.family_name, p.postcode, p.email, p.restricted,
                    (SELECT json_group_array(category) FROM person_categories c WHERE c.person_id = p.id)
             FROM people p",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let restricted: bool = r.get(5)?;
            let cats: Vec<String> = serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default();
            let cats: Vec<Category> = cats.iter().filter_map(|k| Category::parse(k).ok()).collect();
            let sees = |g| lead || self.access().can_see(role, &cats, g);
            let hidden_restricted = restricted && !lead;
            if !hidden_restricted && !sees(FieldGroup::Name) {
                continue;
            }
            at.insert(id, people.len());
            people.push(OnFilePerson {
                id,
                record: PersonRecord {
                    given_name: r.get(1)?,
                    family_name: r.get(2)?,
                    postcode: r.get(3)?,
                    email: r.get(4)?,
                    ..PersonRecord::default()
                },
                hidden_restricted,
                sees: [
                    sees(FieldGroup::Address),
                    sees(FieldGroup::Phone),
                    sees(FieldGroup::Email),
                ],
            });
        }
        let mut st = self.conn.prepare("SELECT person_id, phone FROM person_phones")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = at.get(&r.get::<_, i64>(0)?) {
                people[*i].record.phones.push(r.get(1)?);
            }
        }
        Ok(people)
    }
}
