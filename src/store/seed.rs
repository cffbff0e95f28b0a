//! Bulk loading of generated data (the demo and the benchmarks) in one transaction, through
//! the same insert paths as the screens, so a seeded file obeys every rule a typed one does.

use super::error::Result;
use super::ids::new_id;
use super::{audit, people, Store};
use crate::domain::person::{Obtained, PersonRecord};
use crate::domain::{article14, ContactKind, RelationKind};
use chrono::{Duration, NaiveDate, NaiveTime};
use rusqlite::params;

/// One generated person.
#[derive(Debug, Clone)]
pub struct SeedPerson {
    pub record: PersonRecord,
    pub indirect: bool,
    pub obtained_on: NaiveDate,
    pub last_contact_days_ago: Option<i64>,
    /// Index of the person their data came from, when indirect.
    pub source: Option<usize>,
}

/// Generated data; every `usize` is an index into `people`, every `i64` a number of days
/// before today unless said otherwise.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    pub people: Vec<SeedPerson>,
    pub relations: Vec<(usize, RelationKind, usize)>,
    /// (client, volunteer, service, days ago)
    pub services: Vec<(usize, Option<usize>, String, i64)>,
    /// (person, kind, days ago, note)
    pub contacts: Vec<(usize, ContactKind, i64, String)>,
    pub health: Vec<(usize, String)>,
    /// (person, about, days from today: negative is overdue)
    pub callbacks: Vec<(usize, String, i64)>,
    /// (person, consent purpose key, withdrawn since, days ago)
    pub consents: Vec<(usize, String, bool, i64)>,
    /// (volunteer, service role, certificate number, issued days ago)
    pub dbs: Vec<(usize, String, String, i64)>,
    /// (person referred, referrer, status, days ago)
    pub referrals: Vec<(usize, Option<usize>, String, i64)>,
    /// (person, kinds, channel, days ago, status, id status, extended)
    pub requests: Vec<(usize, String, String, i64, String, String, bool)>,
    /// (person, channel key, days ago, about, the answer if answered the same day)
    pub enquiries: Vec<(usize, String, i64, String, Option<String>)>,
    /// (name, format key, when and where it meets)
    pub groups: Vec<(String, String, String)>,
    /// (group index, person, joined days ago)
    pub members: Vec<(usize, usize, i64)>,
    /// (person, pence, days ago, platform it came through)
    pub donations: Vec<(usize, i64, i64, Option<String>)>,
}

impl Store {
    /// Loads generated data in one transaction; `progress(done, total)` is called as people
    /// are written.
    pub fn import_seed(&mut self, seed: &Seed, mut progress: impl FnMut(usize, usize)) -> Result<()> {
        let now = self.clock().now();
        let today = now.date();
        let user = self.actor().user_id;
        let total = seed.people.len();
        // A referral asks for the profile's first service.
        let referral_service = self.profile().services.first().cloned().unwrap_or_default();
        let consent_wording: Vec<(String, u32, String)> = self
            .profile()
            .consent_purposes
            .iter()
            .map(|c| (c.key.clone(), c.version, c.wording.clone()))
            .collect();
        self.write(|tx| {
            let mut ids = Vec::with_capacity(total);
            for (i, p) in seed.people.iter().enumerate() {
                let obtained = if p.indirect {
                    Obtained::Indirectly {
                        from_person: None,
                        from_text: None,
                        referral: None,
                    }
                } else {
                    Obtained::Directly
                };
                let id = people::insert_person(tx, &p.record, &obtained, p.obtained_on, now)?;
                if let Some(d) = p.last_contact_days_ago {
                    // The last contact is a call in the log (the triggers then keep last
                    // contact), never a bare date nothing on file explains.
                    let on = (today - Duration::days(d)).max(p.obtained_on);
                    tx.prepare_cached(
                        concat!("INSERT INTO contacts (id, person_id, kind, at, note, by_user) VALUES (", new_id!("contacts"), ", ?1, 'call', ?2, 'Caught up by phone', ?3)"),
                    )?
                    .execute(params![id, on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default()), user])?;
                }
                audit::append(tx, now, Some(user), audit::Action::Create, "person", Some(id), &[])?;
                ids.push(id);
                if i % 1000 == 999 || i + 1 == total {
                    progress(i + 1, total);
                }
            }
            let id = |i: usize| ids.get(i).copied();
            // Nothing happens to someone before their details came.
            let not_before = |i: usize, on: NaiveDate| seed.people.get(i).map_or(on, |p| on.max(p.obtained_on));
            for (i, p) in seed.people.iter().enumerate() {
                if !p.indirect {
                    continue;
                }
                let pid = ids[i];
                let source = p.source.and_then(id);
                tx.prepare_cached("UPDATE people SET obtained_from_person = ?1 WHERE id = ?2")?
                    .execute(params![source, pid])?;
                let first_contact = p
                    .last_contact_days_ago
                    .map(|d| today - Duration::days(d))
                    .filter(|d| *d >= p.obtained_on);
                let due = article14::notice_due(p.obtained_on, first_contact, None);
                // Older obligations were met long ago; recent ones are still pending.
                let status = if p.obtained_on < today - Duration::days(60) {
                    "given"
                } else {
                    "pending"
                };
                tx.prepare_cached(concat!("INSERT OR IGNORE INTO article14_notices (id, person_id, obtained_on, source_person_id, due_on, due_reason, status,
                                                              given_on, given_how, created_at)
                     VALUES (", new_id!("article14_notices"), ", ?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 = 'given' THEN ?4 END, CASE WHEN ?6 = 'given' THEN 'letter' END, ?7)"))?.execute(
                    params![pid, p.obtained_on, source, due.due, due.reason.key(), status, now],
                )?;
            }
            for (a, kind, b) in &seed.relations {
                if let (Some(a), Some(b)) = (id(*a), id(*b)) {
                    tx.prepare_cached(concat!("INSERT OR IGNORE INTO relationships (id, kind, person_id, other_id, created_at) VALUES (", new_id!("relationships"), ", ?1, ?2, ?3, ?4)"))?.execute(
                        params![kind.key(), a, b, now],
                    )?;
                }
            }
            // A service in the past was done; one ahead (negative days) is arranged, booked today.
            for (i, v, service, days) in &seed.services {
                if let Some(c) = id(*i) {
                    let on = not_before(*i, today - Duration::days(*days));
                    let (status, recorded) = if *days < 0 { ("arranged", today) } else { ("done", on) };
                    tx.prepare_cached(concat!("INSERT INTO services (id, person_id, volunteer_id, service, delivered_on, by_user, status, recorded_on)
                                       VALUES (", new_id!("services"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)"))?.execute(
                        params![c, v.and_then(id), service, on, user, status, recorded],
                    )?;
                }
            }
            // Each volunteer is assigned for the services they give the client.
            tx.execute(
                "UPDATE relationships SET services = (
                     SELECT replace(group_concat(DISTINCT service), ',', ', ') FROM services
                     WHERE person_id = relationships.person_id AND volunteer_id = relationships.other_id)
                 WHERE kind = 'assigned_volunteer'",
                [],
            )?;
            for (i, kind, days, note) in &seed.contacts {
                if let Some(p) = id(*i) {
                    let at = not_before(*i, today - Duration::days(*days))
                        .and_time(NaiveTime::from_hms_opt(10, 30, 0).unwrap_or_default());
                    tx.prepare_cached(
                        concat!("INSERT INTO contacts (id, person_id, kind, at, note, by_user) VALUES (", new_id!("contacts"), ", ?1, ?2, ?3, ?4, ?5)"),
                    )?
                    .execute(params![p, kind.key(), at, note, user])?;
                }
            }
            for (p, note) in &seed.health {
                if let Some(p) = id(*p) {
                    tx.prepare_cached(
                        concat!("INSERT INTO health_notes (id, person_id, note, recorded_on, by_user) VALUES (", new_id!("health_notes"), ", ?1, ?2, ?3, ?4)"),
                    )?
                    .execute(params![p, note, today, user])?;
                }
            }
            for (p, about, days) in &seed.callbacks {
                if let Some(p) = id(*p) {
                    let due =
                        (today + Duration::days(*days)).and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default());
                    tx.prepare_cached(concat!("INSERT INTO callbacks (id, person_id, about, due_at, created_by, created_at) VALUES (", new_id!("callbacks"), ", ?1, ?2, ?3, ?4, ?5)"))?.execute(
                        params![p, about, due, user, now],
                    )?;
                }
            }
            for (p, purpose, withdrawn, days) in &seed.consents {
                let (Some(p), Some((_, version, wording))) =
                    (id(*p), consent_wording.iter().find(|(k, _, _)| k == purpose))
                else {
                    continue;
                };
                let on = today - Duration::days(*days);
                tx.prepare_cached(concat!("INSERT INTO consents (id, person_id, purpose, action, wording_version, wording, how, on_date, recorded_by, evidence)
                     VALUES (", new_id!("consents"), ", ?1, ?2, 'given', ?3, ?4, 'written form', ?5, ?6, 'signed form in the portable office')"))?.execute(
                    params![p, purpose, version, wording, on, user],
                )?;
                if *withdrawn {
                    tx.prepare_cached(concat!("INSERT INTO consents (id, person_id, purpose, action, wording_version, wording, how, on_date, recorded_by)
                         VALUES (", new_id!("consents"), ", ?1, ?2, 'withdrawn', ?3, ?4, 'phone', ?5, ?6)"))?.execute(
                        params![p, purpose, version, wording, on + Duration::days(30), user],
                    )?;
                }
            }
            for (v, role, cert, days) in &seed.dbs {
                if let Some(v) = id(*v) {
                    let issued = today - Duration::days(*days);
                    tx.prepare_cached(concat!("INSERT INTO dbs_checks (id, person_id, service_role, certificate_number, issue_date, seen_by, renewal_due, recorded_on, level, outcome)
                         VALUES (", new_id!("dbs_checks"), ", ?1, ?2, ?3, ?4, ?5, ?6, ?4, 'enhanced', 'clear')"))?.execute(
                        params![v, role, cert, issued, user, issued + Duration::days(3 * 365)],
                    )?;
                }
            }
            for (p, referrer, status, days) in &seed.referrals {
                if let Some(p) = id(*p) {
                    let on = today - Duration::days(*days);
                    tx.prepare_cached(concat!("INSERT INTO referrals (id, person_id, referrer_id, referrer_kind, services, person_knows, person_agrees, status,
                                                received_on, created_by, created_at)
                         VALUES (", new_id!("referrals"), ", ?1, ?2, 'professional', ?7, 1, 1, ?3, ?4, ?5, ?6)"))?.execute(
                        params![p, referrer.and_then(id), status, on, user, now, referral_service],
                    )?;
                    let rid = tx.last_insert_rowid();
                    // Not a client until the referral is accepted.
                    if status != "accepted" {
                        tx.prepare_cached(
                            "UPDATE person_categories SET pending_referral = ?1 WHERE person_id = ?2 AND category = 'client'",
                        )?
                        .execute(params![rid, p])?;
                    }
                    tx.prepare_cached(
                        "UPDATE people SET obtained_referral = ?1 WHERE id = ?2 AND obtained_how = 'indirect'",
                    )?
                    .execute(params![rid, p])?;
                    tx.prepare_cached("UPDATE article14_notices SET referral_id = ?1 WHERE person_id = ?2")?
                        .execute(params![rid, p])?;
                }
            }
            for (p, kinds, channel, days, status, id_status, extended) in &seed.requests {
                if let Some(p) = id(*p) {
                    let on = today - Duration::days(*days);
                    let id_received = (id_status == "received").then(|| on + Duration::days(3));
                    let id_requested = (id_status != "not_needed").then_some(on);
                    tx.prepare_cached(concat!("INSERT INTO rights_requests (id, person_id, kinds, channel, received_on, words, id_status, id_requested_on,
                                                      id_received_on, extended, extension_reason, extension_told_on, status,
                                                      outcome, closed_on, created_by, created_at)
                         VALUES (", new_id!("rights_requests"), ", ?1, ?2, ?3, ?4, 'Synthetic request for the demo', ?5, ?6, ?7, ?8,
                                 CASE WHEN ?8 THEN 'complexity' END, CASE WHEN ?8 THEN ?4 END, ?9,
                                 CASE WHEN ?9 = 'closed' THEN 'complied' END, CASE WHEN ?9 = 'closed' THEN ?10 END, ?11, ?12)"))?.execute(
                        params![p, kinds, channel, on, id_status, id_requested, id_received, extended, status, today, user, now],
                    )?;
                    if status == "awaiting_clarification" {
                        let rid = tx.last_insert_rowid();
                        tx.prepare_cached(concat!("INSERT INTO request_pauses (id, request_id, asked_on) VALUES (", new_id!("request_pauses"), ", ?1, ?2)"))?
                            .execute(params![rid, on + Duration::days(2)])?;
                    }
                }
            }
            for (p, channel, days, about, answer) in &seed.enquiries {
                if let Some(p) = id(*p) {
                    let on = today - Duration::days(*days);
                    tx.prepare_cached(
                        concat!("INSERT INTO enquiries (id, person_id, received_on, channel, about, recorded_by, answered_on, answer, answered_by)
                         VALUES (", new_id!("enquiries"), ", ?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 IS NOT NULL THEN ?2 END, ?6, CASE WHEN ?6 IS NOT NULL THEN ?5 END)"),
                    )?
                    .execute(params![p, on, channel, about, user, answer])?;
                }
            }
            let mut group_ids = Vec::with_capacity(seed.groups.len());
            for (name, format, meets) in &seed.groups {
                tx.prepare_cached(concat!("INSERT INTO support_groups (id, name, format, meets, started_on) VALUES (", new_id!("support_groups"), ", ?1, ?2, ?3, ?4)"))?
                    .execute(params![name, format, meets, today - Duration::days(700)])?;
                group_ids.push(tx.last_insert_rowid());
            }
            for (g, p, days) in &seed.members {
                if let (Some(g), Some(p)) = (group_ids.get(*g), id(*p)) {
                    tx.prepare_cached(concat!("INSERT INTO group_members (id, group_id, person_id, joined_on) VALUES (", new_id!("group_members"), ", ?1, ?2, ?3)"))?
                        .execute(params![g, p, today - Duration::days(*days)])?;
                }
            }
            for (p, pence, days, platform) in &seed.donations {
                if let Some(p) = id(*p) {
                    let on = today - Duration::days(*days);
                    tx.prepare_cached(
                        concat!("INSERT INTO donations (id, person_id, received_on, amount_pence, platform, shared_with_consent_on, recorded_by)
                         VALUES (", new_id!("donations"), ", ?1, ?2, ?3, ?4, CASE WHEN ?4 IS NOT NULL THEN ?2 END, ?5)"),
                    )?
                    .execute(params![p, on, pence, platform, user])?;
                }
            }
            if total >= super::search::BULK {
                super::search::optimize_index(tx)?;
            }
            Ok(())
        })
    }
}
