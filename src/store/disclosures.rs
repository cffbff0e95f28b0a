//! Disclosures: a person's details passed to someone outside the charity. Each says who
//! received what, when, on what lawful basis, and why it was allowed: the person's permission
//! (how and when given) or one of the exceptional circumstances the notices name, with who
//! decided and whether the person was supported to share it themselves, told, or (only where
//! telling them would put someone at risk) not told, and why. Only the roles the profile's
//! `[disclosures]` names may record or list them. A disclosure before the Article 14 notice is
//! given brings the notice forward to its date.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::bring_notice_forward;
use super::{audit, Store};
use crate::domain::article14::Trigger;
use crate::domain::consent::ConsentMethod;
use crate::domain::{validate, DisclosureGround, PersonInformed};
use crate::profile::LawfulBasis;
use chrono::NaiveDate;
use rusqlite::params;

/// A disclosure as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureInput {
    /// One of the profile's recipients, or typed.
    pub recipient: String,
    /// What was passed on ("phone number and address").
    pub what: String,
    pub lawful_basis: LawfulBasis,
    pub on: NaiveDate,
    pub ground: DisclosureGround,
    /// With permission: how and when it was given.
    pub permission: Option<(ConsentMethod, NaiveDate)>,
    /// Without permission: who made the decision (a role or name, e.g. "safeguarding lead").
    pub decision_maker: String,
    /// Without permission: whether the person was supported to share it, told, or not told.
    pub informed: Option<PersonInformed>,
    /// Why they were not told (needed for `NotTold`).
    pub informed_note: String,
}

impl DisclosureInput {
    /// A disclosure with the person's permission, given `how` on `given_on`.
    pub fn with_permission(
        recipient: &str,
        what: &str,
        basis: LawfulBasis,
        on: NaiveDate,
        how: ConsentMethod,
        given_on: NaiveDate,
    ) -> DisclosureInput {
        DisclosureInput {
            recipient: recipient.into(),
            what: what.into(),
            lawful_basis: basis,
            on,
            ground: DisclosureGround::Permission,
            permission: Some((how, given_on)),
            decision_maker: String::new(),
            informed: None,
            informed_note: String::new(),
        }
    }
}

/// What recording a disclosure returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DisclosureRecorded {
    pub id: i64,
    /// True when an Article 14 notice is still pending for the person: it is now due no later
    /// than the disclosure, and the screen should warn.
    pub notice_pending: bool,
}

/// One disclosure on the register.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Disclosure {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub recipient: String,
    pub what: String,
    pub disclosed_on: NaiveDate,
    pub lawful_basis: String,
    /// `None` for a disclosure recorded before grounds were asked.
    pub ground: Option<DisclosureGround>,
    pub permission_how: Option<String>,
    pub permission_on: Option<NaiveDate>,
    pub decision_maker: Option<String>,
    pub informed: Option<PersonInformed>,
    pub informed_note: Option<String>,
    /// The user who recorded it.
    pub by: Option<String>,
}

impl Disclosure {
    /// One line of a disclosure, for the register and the CLI: [`Disclosure::headline`] then
    /// [`Disclosure::why`].
    pub fn summary(&self, with_name: bool) -> String {
        format!("{}: {}", self.headline(with_name), self.why())
    }

    /// When, (whose,) what, to whom, on what basis.
    pub fn headline(&self, with_name: bool) -> String {
        let d = self;
        format!(
            "{}  {}{} -> {} ({})",
            d.disclosed_on.format("%d/%m/%Y"),
            if with_name {
                format!("{}  ", d.person_name)
            } else {
                String::new()
            },
            d.what,
            d.recipient,
            d.lawful_basis.replace('_', " ")
        )
    }

    /// Why it was allowed, and (without permission) who decided and whether they were told.
    pub fn why(&self) -> String {
        let d = self;
        match (d.ground, d.informed) {
            (Some(DisclosureGround::Permission), _) => format!(
                "with permission{}",
                d.permission_on
                    .map(|p| format!(" ({})", p.format("%d/%m/%Y")))
                    .unwrap_or_default()
            ),
            (Some(g), i) => format!(
                "{}; decided by {}{}",
                g.label().to_lowercase(),
                d.decision_maker.as_deref().unwrap_or("?"),
                i.map(|i| format!("; {}", i.label().to_lowercase())).unwrap_or_default()
            ),
            (None, _) => "recorded before grounds were asked".into(),
        }
    }
}

impl Store {
    /// Whether the acting role may record and list disclosures (the profile's
    /// `[disclosures] roles`).
    pub fn may_disclose(&self) -> bool {
        self.profile().disclosures.roles.contains(&self.actor().role)
    }

    fn require_discloser(&self, what: &str) -> Result<()> {
        if self.may_disclose() {
            return Ok(());
        }
        Err(StoreError::NotAllowed(
            self.profile().role_label(self.actor().role).to_string(),
            what.into(),
        ))
    }

    /// Records a disclosure of a person's data (refused for restricted people, and for roles
    /// the profile does not let disclose).
    pub fn record_disclosure(&mut self, person: i64, input: &DisclosureInput) -> Result<DisclosureRecorded> {
        self.require_discloser("record disclosures")?;
        self.writable(person)?;
        let text = |field: &'static str, v: &str| -> Result<String> {
            validate::text(field, v, validate::MAX_LINE).map_err(|e| StoreError::invalid(e.to_string()))
        };
        let recipient = text("recipient", &input.recipient)?;
        let what = text("what was disclosed", &input.what)?;
        if recipient.is_empty() || what.is_empty() {
            return Err(StoreError::invalid(
                "Say who received the data and what was disclosed, for example \"GP surgery\" and \"phone number\".",
            ));
        }
        let today = self.clock().today();
        if input.on > today {
            return Err(StoreError::invalid(
                "That date is in the future: record a disclosure once it has happened.",
            ));
        }
        let (permission, decision_maker, informed, note) = match input.ground {
            DisclosureGround::Permission => {
                let Some((how, given_on)) = input.permission else {
                    return Err(StoreError::invalid(
                        "Say how and when they gave their permission, or choose the exceptional circumstance.",
                    ));
                };
                if given_on > input.on {
                    return Err(StoreError::invalid(
                        "Their permission must come before the details were passed on: check the dates.",
                    ));
                }
                (Some((how, given_on)), None, None, None)
            }
            _ => {
                let maker = validate::optional_text("who decided", &input.decision_maker, validate::MAX_LINE)
                    .map_err(|e| StoreError::invalid(e.to_string()))?
                    .ok_or_else(|| {
                        StoreError::invalid(
                            "Without their permission, say who made the decision (for example \"safeguarding lead\").",
                        )
                    })?;
                let Some(informed) = input.informed else {
                    return Err(StoreError::invalid(
                        "Say whether they were supported to share it themselves, told, or not told.",
                    ));
                };
                let note = validate::optional_text("why not told", &input.informed_note, validate::MAX_LINE)
                    .map_err(|e| StoreError::invalid(e.to_string()))?;
                if informed == PersonInformed::NotTold && note.is_none() {
                    return Err(StoreError::invalid(
                        "Say why they were not told (telling them would put whom at risk, and how).",
                    ));
                }
                if input.lawful_basis == LawfulBasis::Consent {
                    return Err(StoreError::invalid(
                        "Without their permission the lawful basis cannot be consent: choose the basis the circumstance rests on (vital interests, legal obligation...).",
                    ));
                }
                (None, Some(maker), Some(informed), note)
            }
        };
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO disclosures (id, person_id, recipient, what, disclosed_on, lawful_basis, decided_by, ground,
                                          permission_how, permission_on, decision_maker, person_informed, informed_note)
                 VALUES (", new_id!("disclosures"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
                params![
                    person,
                    recipient,
                    what,
                    input.on,
                    input.lawful_basis.key(),
                    user,
                    input.ground.key(),
                    permission.map(|(h, _)| h.key()),
                    permission.map(|(_, d)| d),
                    decision_maker,
                    informed.map(|i| i.key()),
                    note
                ],
            )?;
            let id = tx.last_insert_rowid();
            let notice_pending = bring_notice_forward(tx, person, input.on, Trigger::FirstDisclosure)?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "disclosure",
                Some(id),
                &[
                    "person_id",
                    "recipient",
                    "what",
                    "disclosed_on",
                    "lawful_basis",
                    "ground",
                ],
            )?;
            Ok(DisclosureRecorded { id, notice_pending })
        })
    }

    /// The disclosures of one person's data (`Some`) or of everyone the acting user may see
    /// (`None`), newest first; for the roles the profile lets disclose.
    pub fn disclosures(&self, person: Option<i64>) -> Result<Vec<Disclosure>> {
        self.require_discloser("see disclosures")?;
        if let Some(p) = person {
            self.person_name_checked(p)?;
        }
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.person_id, d.recipient, d.what, d.disclosed_on, d.lawful_basis, d.ground, d.permission_how,
                    d.permission_on, d.decision_maker, d.person_informed, d.informed_note, u.login
             FROM disclosures d LEFT JOIN users u ON u.id = d.decided_by
             WHERE ?1 IS NULL OR d.person_id = ?1 ORDER BY d.disclosed_on DESC, d.id DESC",
        )?;
        let rows: Vec<Disclosure> = st
            .query_map([person], |r| {
                Ok(Disclosure {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    person_name: String::new(),
                    recipient: r.get(2)?,
                    what: r.get(3)?,
                    disclosed_on: r.get(4)?,
                    lawful_basis: r.get(5)?,
                    ground: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|g| DisclosureGround::parse(&g).ok()),
                    permission_how: r.get(7)?,
                    permission_on: r.get(8)?,
                    decision_maker: r.get(9)?,
                    informed: r
                        .get::<_, Option<String>>(10)?
                        .and_then(|i| PersonInformed::parse(&i).ok()),
                    informed_note: r.get(11)?,
                    by: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Only people the acting user may see, named as they may see them.
        let mut out = Vec::with_capacity(rows.len());
        for mut d in rows {
            if let Some(name) = self.name_if_visible(d.person_id)? {
                d.person_name = name;
                out.push(d);
            }
        }
        Ok(out)
    }
}
