//! Installing a new version of the organisation profile, and the rules a new version must
//! keep: versions only go up, a version number always means the same text, consent wording
//! changes with its version, and no category or field group still holding someone's data is
//! dropped (that data would fall outside every rule: no one could see it, no notice would
//! mention it).

use super::error::{Result, StoreError};
use super::{audit, parse_profile, Store};
use crate::domain::{Category, FieldGroup, Role};
use crate::profile::{AccessMatrix, Profile};

/// The SQL condition, on a person `p`, that they have something in `group`: their record's
/// fields, or rows about them (the contact log, callbacks, enquiries and donations are
/// correspondence; services given or received and support groups are services). One
/// definition for changing the profile and for saying in a notice what is held.
pub(crate) fn holds_sql(group: FieldGroup) -> &'static str {
    match group {
        FieldGroup::Name => "1",
        FieldGroup::Address => "p.address IS NOT NULL OR p.postcode IS NOT NULL",
        FieldGroup::Phone => "EXISTS (SELECT 1 FROM person_phones x WHERE x.person_id = p.id)",
        FieldGroup::Email => "p.email IS NOT NULL",
        FieldGroup::DateOfBirth => "p.date_of_birth IS NOT NULL",
        FieldGroup::Organisation => "p.organisation IS NOT NULL",
        FieldGroup::Correspondence => {
            "p.notes IS NOT NULL
             OR EXISTS (SELECT 1 FROM contacts x WHERE x.person_id = p.id)
             OR EXISTS (SELECT 1 FROM callbacks x WHERE x.person_id = p.id)
             OR EXISTS (SELECT 1 FROM enquiries x WHERE x.person_id = p.id)
             OR EXISTS (SELECT 1 FROM donations x WHERE x.person_id = p.id)"
        }
        FieldGroup::Services => {
            "EXISTS (SELECT 1 FROM services x WHERE x.person_id = p.id OR x.volunteer_id = p.id)
             OR EXISTS (SELECT 1 FROM group_members x WHERE x.person_id = p.id)"
        }
        FieldGroup::References => {
            "EXISTS (SELECT 1 FROM relationships x WHERE x.kind = 'referee' AND (x.person_id = p.id OR x.other_id = p.id))"
        }
        FieldGroup::Health => "EXISTS (SELECT 1 FROM health_notes x WHERE x.person_id = p.id)",
        FieldGroup::CriminalOffence => "EXISTS (SELECT 1 FROM dbs_checks x WHERE x.person_id = p.id)",
    }
}

impl Store {
    /// Whether anything in `group` is held about `person`: a yes or no, for a notice that must
    /// say what is held (never what it says). Callers ask it only of groups the acting role
    /// receives for the person, or as the data protection lead.
    pub(crate) fn holds_any(&self, person: i64, group: FieldGroup) -> Result<bool> {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM people p WHERE p.id = ?1 AND ({}))",
            holds_sql(group)
        );
        Ok(self.conn.query_row(&sql, [person], |r| r.get(0))?)
    }

    /// Installs a new version of the profile (data protection lead only). Older versions stay,
    /// so notices and consents keep the wording they were given under.
    pub fn set_profile(&mut self, toml: &str) -> Result<()> {
        self.require_role(&[Role::DataProtectionLead], "change the organisation profile")?;
        self.require_hub("change the organisation profile")?;
        // A profile written for any charity (a newer built-in one) is filled with the details
        // of the controller in force, so the notices keep the charity's own name.
        let filled;
        let toml = match crate::profile::placeholders_in(toml).as_slice() {
            [] => toml,
            left => {
                let c = &self.profile.controller;
                let org = crate::profile::Organisation::new(
                    &c.name,
                    c.address.as_deref().unwrap_or(""),
                    c.phone.as_deref().unwrap_or(""),
                    &c.email,
                )
                .map_err(|e| {
                    StoreError::invalid(format!(
                        "The new profile leaves the organisation's details as placeholders ({}), and the profile in force has no usable {} to fill them with ({}): write them into the file first.",
                        left.join(", "),
                        e.field,
                        e.message
                    ))
                })?;
                filled = crate::profile::fill(toml, &org);
                &filled
            }
        };
        let profile = parse_profile(toml)?;
        self.check_profile_change(&profile, toml)?;
        // A consent records the wording's version: changed words under an old version number
        // would make two different sentences indistinguishable in the history.
        for new in &profile.consent_purposes {
            if let Some(old) = self.profile.consent_purpose(&new.key) {
                if old.wording != new.wording && new.version <= old.version {
                    return Err(StoreError::invalid(format!(
                        "The wording of consent purpose \"{}\" changed but its version did not: raise its version above {} so earlier consents keep their own words.",
                        new.key, old.version
                    )));
                }
            }
        }
        let now = self.clock.now();
        let user = self.actor.user_id;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO profiles (profile_id, profile_version, toml, installed_at, installed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![profile.id(), profile.version(), toml, now, user],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(tx, now, Some(user), audit::Action::Admin, "profile", Some(id), &[])
        })?;
        self.access = AccessMatrix::new(&profile);
        self.calendar = crate::domain::calendar::HolidayCalendar::new(profile.bank_holiday_region);
        self.profile = profile;
        Ok(())
    }

    /// The rules a new profile version must keep against the one in force.
    fn check_profile_change(&self, new: &Profile, toml: &str) -> Result<()> {
        let old = &self.profile;
        if new.version() < old.version() {
            return Err(StoreError::invalid(format!(
                "This profile is version {}, older than version {} in force: a profile's version only goes up, so raise it above {}.",
                new.version(),
                old.version(),
                old.version()
            )));
        }
        if new.version() == old.version() && toml != self.profile_toml()? {
            return Err(StoreError::invalid(format!(
                "This profile's text differs from version {} in force but keeps its number: raise the version to {} so notices record which words they used.",
                old.version(),
                old.version() + 1
            )));
        }
        for rule in &old.categories {
            let in_use = self.category_in_use(rule.key)?;
            if in_use == 0 {
                continue;
            }
            let Some(new_rule) = new.category(rule.key) else {
                return Err(StoreError::invalid(format!(
                    "This profile drops the category \"{}\", which {in_use} people still have: keep it, or move those people to another category first.",
                    rule.key.key()
                )));
            };
            for &group in &rule.fields {
                if !new_rule.collects(group) && self.field_group_in_use(rule.key, group)? {
                    return Err(StoreError::invalid(format!(
                        "This profile stops collecting \"{}\" for \"{}\", but some of those people have it recorded: keep the field group, or remove that data first.",
                        group.key(),
                        rule.key.key()
                    )));
                }
            }
        }
        Ok(())
    }

    /// How many people (erased or not yet) are in `category`.
    fn category_in_use(&self, category: Category) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM person_categories WHERE category = ?1",
            [category.key()],
            |r| r.get(0),
        )?)
    }

    /// Whether anyone in `category` has data in `group` recorded.
    fn field_group_in_use(&self, category: Category, group: FieldGroup) -> Result<bool> {
        let holds = holds_sql(group);
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM people p JOIN person_categories c ON c.person_id = p.id
             WHERE c.category = ?1 AND ({holds}))"
        );
        Ok(self.conn.query_row(&sql, [category.key()], |r| r.get(0))?)
    }
}
