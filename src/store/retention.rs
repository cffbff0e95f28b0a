//! Retention decisions, the data protection lead's: when a record comes up for review (the
//! profile's period after last contact, unless a legal hold stands), keep it (a reason and
//! the date to look again) or erase it (the same erasure as for a rights request, with its
//! Article 19 tasks, tombstone and ledger entry, but no request). Both are audited.

use super::erase::ErasureReport;
use super::error::{Result, StoreError};
use super::ids::new_id;
use super::{audit, Store};
use crate::domain::{validate, Role};
use chrono::{Duration, NaiveDate};
use rusqlite::params;

const LEAD_ONLY: &[Role] = &[Role::DataProtectionLead];

/// How long the recipients of an erased person's data have to be told (Article 19: without
/// undue delay; a month, as for a request).
const ARTICLE19_DAYS: i64 = 30;

impl Store {
    /// Keeps a record past its review: why (an open claim, a returning client...) and when to
    /// review it again.
    pub fn keep_record(&mut self, person: i64, reason: &str, next_review: NaiveDate) -> Result<()> {
        self.require_role(LEAD_ONLY, "decide what is kept")?;
        let reason =
            validate::text("reason", reason, validate::MAX_LINE).map_err(|e| StoreError::invalid(e.to_string()))?;
        let today = self.clock().today();
        if next_review <= today {
            return Err(StoreError::invalid("The next review must be after today."));
        }
        self.person_name_checked(person)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!(
                    "INSERT INTO retention_keeps (id, person_id, decided_on, reason, next_review, by_user) VALUES (",
                    new_id!("retention_keeps"),
                    ", ?1, ?2, ?3, ?4, ?5)"
                ),
                params![person, today, reason, next_review, user],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "retention_keep",
                Some(id),
                &["person_id", "reason", "next_review"],
            )
        })
    }

    /// Erases a record whose retention review is due (refused before then, and while a legal
    /// hold stands).
    pub fn erase_for_retention(&mut self, person: i64) -> Result<ErasureReport> {
        self.require_role(LEAD_ONLY, "erase records at their retention review")?;
        let view = self.person(person)?;
        let today = self.clock().today();
        match view.retention_review {
            Some(due) if due <= today => {}
            Some(due) => {
                return Err(StoreError::invalid(format!(
                    "This record is not due for review until {}: it is kept until then.",
                    due.format("%d/%m/%Y")
                )))
            }
            None => {
                return Err(StoreError::invalid(
                    "This record has no retention review due (a legal hold stands): it is kept.",
                ))
            }
        }
        let now = self.clock().now();
        self.erase_person(person, None, today + Duration::days(ARTICLE19_DAYS), |tx, user| {
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Admin,
                "person",
                Some(person),
                &["retention_erasure"],
            )
        })
    }
}
