//! Donations: how much, when, and where it came through. A donation through a giving
//! platform (JustGiving, PayPal) is recorded with the day the donor agreed, on the platform,
//! to share their details with the charity: the platform is the source of those details. A
//! donation is part of the donor's correspondence with the charity, so only the roles that
//! receive it see it. Receiving one is contact for retention (schema version 7).

use super::audit::Action;
use super::error::{Result, StoreError};
use super::ids::new_id;
use super::Store;
use crate::domain::money::pounds;
use crate::domain::{validate, FieldGroup};
use chrono::NaiveDate;
use rusqlite::params;

/// A donation as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationInput {
    pub amount_pence: i64,
    pub received_on: NaiveDate,
    /// The giving platform it came through; `None` when given to the charity directly.
    pub platform: Option<String>,
    /// The day the donor agreed on the platform to share their details with the charity
    /// (required with a platform).
    pub shared_with_consent_on: Option<NaiveDate>,
    pub gift_aid: bool,
}

/// One donation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Donation {
    pub id: i64,
    pub person_id: i64,
    pub received_on: NaiveDate,
    pub amount_pence: i64,
    pub platform: Option<String>,
    pub shared_with_consent_on: Option<NaiveDate>,
    pub gift_aid: bool,
}

impl Donation {
    /// One line for a screen: "£25.00 on 12/11/2026 through JustGiving (agreed to share
    /// 12/11/2026), Gift Aid".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} on {}",
            pounds(self.amount_pence),
            self.received_on.format("%d/%m/%Y")
        );
        match (&self.platform, self.shared_with_consent_on) {
            (Some(p), Some(c)) => s.push_str(&format!(" through {p} (agreed to share {})", c.format("%d/%m/%Y"))),
            (Some(p), None) => s.push_str(&format!(" through {p}")),
            (None, _) => s.push_str(", given directly"),
        }
        if self.gift_aid {
            s.push_str(", Gift Aid");
        }
        s
    }
}

impl Store {
    /// Records a donation from `person`.
    pub fn record_donation(&mut self, person: i64, input: &DonationInput) -> Result<i64> {
        self.writable_seeing(person, FieldGroup::Correspondence, "record donations")?;
        let today = self.clock().today();
        if input.amount_pence <= 0 {
            return Err(StoreError::invalid(
                "A donation of nothing is not recorded: type the amount given.",
            ));
        }
        if input.received_on > today {
            return Err(StoreError::invalid(
                "A donation cannot be received in the future: check the date.",
            ));
        }
        let platform = match &input.platform {
            Some(p) => validate::optional_text("platform", p, validate::MAX_NAME)
                .map_err(|e| StoreError::invalid(e.message))?,
            None => None,
        };
        let consent = match (&platform, input.shared_with_consent_on) {
            (Some(p), None) => {
                return Err(StoreError::invalid(format!(
                    "A donation through {p} brings the donor's details from {p}: record the day they agreed there to share them with us."
                )))
            }
            (Some(_), Some(c)) if c > today => {
                return Err(StoreError::invalid("The day they agreed to share their details cannot be in the future."))
            }
            (Some(_), c) => c,
            (None, _) => None,
        };
        let user = self.actor().user_id;
        let fields = [
            "person_id",
            "received_on",
            "amount_pence",
            "platform",
            "shared_with_consent_on",
            "gift_aid",
        ];
        self.write_row(Action::Create, "donation", &fields, |tx| {
            tx.execute(
                concat!("INSERT INTO donations (id, person_id, received_on, amount_pence, platform, shared_with_consent_on, gift_aid, recorded_by)
                 VALUES (", new_id!("donations"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                params![person, input.received_on, input.amount_pence, platform, consent, input.gift_aid, user],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// A person's donations, newest first; `None` when the acting user does not receive their
    /// correspondence.
    pub fn donations_of(&self, person: i64) -> Result<Option<Vec<Donation>>> {
        if !self.person(person)?.sees(FieldGroup::Correspondence) {
            return Ok(None);
        }
        donation_rows(&self.conn, person).map(Some)
    }

    /// Every donation from someone whose correspondence the acting user receives, newest
    /// first, with the donor's name.
    pub fn donations(&self) -> Result<Vec<(Donation, String)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, person_id, received_on, amount_pence, platform, shared_with_consent_on, gift_aid
             FROM donations ORDER BY received_on DESC, id DESC",
        )?;
        let all: Vec<Donation> = st.query_map([], donation)?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(all.len());
        let mut seen: std::collections::HashMap<i64, Option<String>> = std::collections::HashMap::new();
        for d in all {
            let name = match seen.get(&d.person_id) {
                Some(n) => n.clone(),
                None => {
                    let n = self
                        .person(d.person_id)
                        .ok()
                        .filter(|p| p.sees(FieldGroup::Correspondence))
                        .map(|p| p.name());
                    seen.insert(d.person_id, n.clone());
                    n
                }
            };
            if let Some(name) = name {
                out.push((d, name));
            }
        }
        Ok(out)
    }
}

fn donation(r: &rusqlite::Row<'_>) -> rusqlite::Result<Donation> {
    Ok(Donation {
        id: r.get(0)?,
        person_id: r.get(1)?,
        received_on: r.get(2)?,
        amount_pence: r.get(3)?,
        platform: r.get(4)?,
        shared_with_consent_on: r.get(5)?,
        gift_aid: r.get(6)?,
    })
}

/// A person's donations, newest first, whoever may see them (the access pack's, and
/// [`Store::donations_of`]'s after its check).
pub(crate) fn donation_rows(conn: &rusqlite::Connection, person: i64) -> Result<Vec<Donation>> {
    let mut st = conn.prepare_cached(
        "SELECT id, person_id, received_on, amount_pence, platform, shared_with_consent_on, gift_aid
         FROM donations WHERE person_id = ?1 ORDER BY received_on DESC, id DESC",
    )?;
    let rows = st.query_map([person], donation)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
