//! Services: what a client asked for or received (a lift, a shop, a befriending visit) and
//! what a volunteer gave, with where each stands (requested, arranged, done, cancelled). A
//! service is contact for retention (the triggers of schema version 6). The volunteer's name
//! shows only to roles that may see the volunteer, and the client's only to roles that may
//! see the client.

use super::error::{Result, StoreError};
use super::ids::new_id;
use super::people::categories_of;
use super::{audit, Store};
use crate::domain::{validate, Category, FieldGroup, ServiceStatus};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// A service as the form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    /// One of the profile's services.
    pub service: String,
    pub status: ServiceStatus,
    /// The day it is for (requested, arranged) or was given (done).
    pub on: NaiveDate,
    pub volunteer: Option<i64>,
    pub note: String,
}

/// A service on a person's screen: one they received, or (for a volunteer) one they gave.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceEntry {
    pub id: i64,
    pub service: String,
    pub status: ServiceStatus,
    pub delivered_on: NaiveDate,
    pub client_id: i64,
    pub volunteer_id: Option<i64>,
    /// The volunteer's name, where the acting user may see the volunteer (on the client's
    /// screen).
    pub volunteer: Option<String>,
    /// The client's name, on the volunteer's screen (where the acting user may see them).
    pub client: Option<String>,
    pub note: Option<String>,
    /// True when this person gave the service (a volunteer's screen).
    pub given: bool,
}

impl Store {
    /// Records a service done for a client (the older form: done, on `delivered_on`).
    pub fn add_service(
        &mut self,
        id: i64,
        service: &str,
        delivered_on: NaiveDate,
        volunteer: Option<i64>,
        note: &str,
    ) -> Result<i64> {
        self.record_service(
            id,
            &ServiceInput {
                service: service.into(),
                status: ServiceStatus::Done,
                on: delivered_on,
                volunteer,
                note: note.into(),
            },
        )
    }

    /// Records a service for a client: asked for, arranged, done or cancelled.
    pub fn record_service(&mut self, client: i64, input: &ServiceInput) -> Result<i64> {
        let (service, note) = self.checked_service(client, input)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                concat!("INSERT INTO services (id, person_id, volunteer_id, service, delivered_on, note, by_user, status, recorded_on)
                 VALUES (", new_id!("services"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                params![client, input.volunteer, service, input.on, note, user, input.status.key(), now.date()],
            )?;
            let sid = tx.last_insert_rowid();
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Create,
                "service",
                Some(sid),
                &["person_id", "service", "status", "delivered_on", "volunteer_id"],
            )?;
            Ok(sid)
        })
    }

    /// Changes a service: its status, date, volunteer or note (not which client or which
    /// service: record another for that).
    pub fn change_service(&mut self, service_id: i64, input: &ServiceInput) -> Result<()> {
        let (client, kind): (i64, String) = self
            .conn
            .query_row(
                "SELECT person_id, service FROM services WHERE id = ?1",
                [service_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound("service", service_id))?;
        if !kind.eq_ignore_ascii_case(input.service.trim()) {
            return Err(StoreError::invalid(
                "A service keeps its kind: cancel this one and record the other.",
            ));
        }
        let (_, note) = self.checked_service(client, input)?;
        let now = self.clock().now();
        let user = self.actor().user_id;
        self.write(|tx| {
            tx.execute(
                "UPDATE services SET status = ?1, delivered_on = ?2, volunteer_id = ?3, note = ?4 WHERE id = ?5",
                params![input.status.key(), input.on, input.volunteer, note, service_id],
            )?;
            audit::append(
                tx,
                now,
                Some(user),
                audit::Action::Change,
                "service",
                Some(service_id),
                &["status", "delivered_on", "volunteer_id", "note"],
            )
        })
    }

    /// The checks both forms share: the client is writable and their services visible, the
    /// service is the profile's, a done service is not in the future, the volunteer is a
    /// volunteer with the DBS check the service needs. Returns the service as the profile
    /// writes it and the note (`None` when blank).
    fn checked_service(&self, client: i64, input: &ServiceInput) -> Result<(String, Option<String>)> {
        let p = self.writable(client)?;
        if !p.sees(FieldGroup::Services) {
            return Err(StoreError::NotAllowed(
                self.profile().role_label(self.actor().role).to_string(),
                "record services".into(),
            ));
        }
        let service = self
            .checked_services(std::slice::from_ref(&input.service))?
            .pop()
            .ok_or_else(|| StoreError::invalid("Say which service it is."))?;
        if input.status == ServiceStatus::Done && input.on > self.clock().today() {
            return Err(StoreError::invalid(
                "A service is done on or before today: change the date, or mark it arranged.",
            ));
        }
        if let Some(v) = input.volunteer {
            if v == client {
                return Err(StoreError::invalid(
                    "A client cannot be their own volunteer: choose someone else.",
                ));
            }
            if self.name_if_visible(v)?.is_none() || !categories_of(&self.conn, v)?.contains(&Category::Volunteer) {
                return Err(StoreError::invalid(
                    "Only a volunteer can give a service: choose one of the client's volunteers.",
                ));
            }
            if input.status != ServiceStatus::Cancelled {
                if let Some((service, role)) = self.dbs_gap(v, std::slice::from_ref(&service))? {
                    return Err(StoreError::invalid(format!(
                        "This volunteer cannot give {service}: no valid DBS check as a {role} is on file. Ask a DBS officer to record one, or choose another volunteer."
                    )));
                }
            }
        }
        let note =
            validate::note("note", &input.note, validate::MAX_NOTE).map_err(|e| StoreError::invalid(e.to_string()))?;
        Ok((service, (!note.is_empty()).then_some(note)))
    }

    /// The services a person received and (for a volunteer) gave, newest first. Names of the
    /// other party show only where the acting user may see them.
    pub(crate) fn services_of(&self, id: i64) -> Result<Vec<ServiceEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, service, status, delivered_on, person_id, volunteer_id, note FROM services
             WHERE person_id = ?1 OR volunteer_id = ?1 ORDER BY delivered_on DESC, id DESC",
        )?;
        let mut out: Vec<ServiceEntry> = st
            .query_map([id], |r| {
                let client_id: i64 = r.get(4)?;
                Ok(ServiceEntry {
                    id: r.get(0)?,
                    service: r.get(1)?,
                    status: ServiceStatus::parse(&r.get::<_, String>(2)?).unwrap_or(ServiceStatus::Done),
                    delivered_on: r.get(3)?,
                    client_id,
                    volunteer_id: r.get(5)?,
                    volunteer: None,
                    client: None,
                    note: r.get(6)?,
                    given: client_id != id,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        // The other party's name, only where the acting user may see them.
        for s in &mut out {
            match (s.given, s.volunteer_id) {
                (true, _) => s.client = self.name_if_visible(s.client_id)?,
                (false, Some(v)) => s.volunteer = self.name_if_visible(v)?,
                (false, None) => {}
            }
        }
        Ok(out)
    }
}
