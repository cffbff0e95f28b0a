//! `dutydesk demo`: a case file full of deterministic synthetic people, for trying dutydesk,
//! for the screenshots in tests and for the benchmarks.
//!
//! Names, streets and villages come from `assets/demo/`; phone numbers from Ofcom's ranges
//! reserved for drama; email addresses from the reserved example domains. The same `n` always
//! gives the same people.

use crate::domain::clock::Clock;
use crate::domain::person::PersonRecord;
use crate::domain::{Category, ContactKind, RelationKind, Role};
use crate::store::seed::{Seed, SeedPerson};
use crate::store::{DataDir, InitOptions, KdfParams, Result, Store};
use chrono::{Duration, NaiveDate};
use std::sync::Arc;

mod perinatal;

pub(crate) const GIVEN: &str = include_str!("../../assets/demo/given_names.txt");
pub(crate) const FAMILY: &str = include_str!("../../assets/demo/family_names.txt");
pub(crate) const STREETS: &str = include_str!("../../assets/demo/streets.txt");
pub(crate) const TOWNS: &str = include_str!("../../assets/demo/towns.txt");

/// A demo user and the passphrase printed for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub login: String,
    pub role: Role,
    pub passphrase: String,
}

/// The demo users, one per role.
pub fn demo_users() -> Vec<DemoUser> {
    [
        ("dpl", Role::DataProtectionLead, "demo lead passphrase"),
        ("duty", Role::DutyOfficer, "demo duty passphrase"),
        ("leader", Role::SectionLeader, "demo leader passphrase"),
        ("trustee", Role::Trustee, "demo trustee passphrase"),
        ("membership", Role::MembershipSecretary, "demo membership passphrase"),
        ("dbs", Role::DbsOfficer, "demo dbs passphrase"),
    ]
    .into_iter()
    .map(|(l, r, p)| DemoUser {
        login: l.to_string(),
        role: r,
        passphrase: p.to_string(),
    })
    .collect()
}

/// A small deterministic generator (SplitMix64), so the demo needs no randomness crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

pub(crate) fn lines(s: &str) -> Vec<&str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

pub(crate) fn phone(rng: &mut Rng) -> String {
    let n = rng.below(1000);
    match rng.below(4) {
        0 | 1 => format!("07700 900{n:03}"),
        2 => format!("01632 960{n:03}"),
        _ => format!("0161 496 0{n:03}"),
    }
}

pub(crate) fn postcode(rng: &mut Rng, district: &str) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let a = LETTERS[rng.below(LETTERS.len())] as char;
    let b = LETTERS[rng.below(LETTERS.len())] as char;
    format!("{district} {}{a}{b}", 1 + rng.below(9))
}

/// The villages of `assets/demo/towns.txt`: (village, post town, postcode district).
pub(crate) fn towns() -> Vec<(&'static str, &'static str, &'static str)> {
    lines(TOWNS)
        .into_iter()
        .filter_map(|l| {
            let mut it = l.split('|');
            Some((it.next()?, it.next()?, it.next()?))
        })
        .collect()
}

/// An email address at one of the reserved example domains, from the person's name and
/// number.
pub(crate) fn email(rng: &mut Rng, given: &str, family: &str, i: usize) -> String {
    let dom = rng.pick(&["example.org", "example.com", "example.net"]);
    let local: String = format!("{given}.{family}{}", i % 100)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect::<String>()
        .to_lowercase();
    format!("{local}@{dom}")
}

/// Up to `most - 1` contacts with `person`, each of one of `kinds` with one of `notes`, within
/// the last `days` days.
pub(crate) fn some_contacts(
    seed: &mut Seed,
    rng: &mut Rng,
    person: usize,
    (most, days): (usize, usize),
    kinds: &[ContactKind],
    notes: &[&str],
) {
    for _ in 0..rng.below(most) {
        let kind = kinds[rng.below(kinds.len())];
        let note = rng.pick(notes);
        seed.contacts
            .push((person, kind, rng.below(days) as i64, note.to_string()));
    }
}

/// A health note about `person`, one of `notes`.
pub(crate) fn health_note(seed: &mut Seed, rng: &mut Rng, person: usize, notes: &[&str]) {
    seed.health.push((person, rng.pick(notes).to_string()));
}

fn categories_for(i: usize) -> Vec<Category> {
    match i % 20 {
        0..=7 => vec![Category::Client],
        8..=10 => vec![Category::Volunteer],
        11..=13 => vec![Category::Relative],
        14 => vec![Category::Professional],
        15 => vec![Category::Friend],
        16 => vec![Category::ThirdParty],
        17 => vec![Category::Referee],
        18 => vec![Category::EmergencyContact],
        _ => vec![Category::Volunteer, Category::Friend],
    }
}

/// Generates `n` synthetic people and everything around them, relative to `today`.
pub fn generate(n: usize, today: NaiveDate) -> Seed {
    let given = lines(GIVEN);
    let family = lines(FAMILY);
    let streets = lines(STREETS);
    let towns = towns();
    let mut rng = Rng::new(0x00D0_7D35);
    let mut seed = Seed::default();
    for i in 0..n {
        let cats = categories_for(i);
        let g = rng.pick(&given);
        let f = rng.pick(&family);
        let (village, post_town, district) = towns.get(rng.below(towns.len())).copied().unwrap_or(("", "", "OX17"));
        let is_client = cats.contains(&Category::Client);
        let with_address = !matches!(
            cats[0],
            Category::Relative | Category::Professional | Category::ThirdParty | Category::EmergencyContact
        );
        // Titles are left out (the name lists carry no gender), except the odd doctor.
        let title = (is_client && rng.chance(4)).then(|| "Dr".to_string());
        let email = if rng.chance(60) {
            Some(email(&mut rng, g, f, i))
        } else {
            None
        };
        let rec = PersonRecord {
            title,
            given_name: g.to_string(),
            family_name: f.to_string(),
            aliases: if rng.chance(5) {
                vec![format!(
                    "{} {f}",
                    &g[..g.char_indices().nth(3).map(|(i, _)| i).unwrap_or(g.len())]
                )]
            } else {
                Vec::new()
            },
            address: with_address
                .then(|| format!("{} {}, {village}, {post_town}", 1 + rng.below(120), rng.pick(&streets))),
            postcode: with_address.then(|| postcode(&mut rng, district)),
            phones: (0..1 + rng.below(2)).map(|_| phone(&mut rng)).collect(),
            email,
            date_of_birth: is_client
                .then(|| today - Duration::days(365 * (65 + rng.below(30)) as i64 + rng.below(365) as i64)),
            organisation: matches!(cats[0], Category::Professional | Category::ThirdParty).then(|| {
                rng.pick(&[
                    "West Northamptonshire Council Adult Social Care",
                    "Horton General Hospital",
                    "Banbury Cross Surgery",
                    "Age UK Oxfordshire",
                ])
                .to_string()
            }),
            notes: None,
            categories: cats.clone(),
        };
        let indirect = matches!(
            cats[0],
            Category::Relative | Category::Referee | Category::EmergencyContact
        ) || (is_client && rng.chance(50));
        let obtained_days_ago = rng.below(2500) as i64;
        seed.people.push(SeedPerson {
            record: rec,
            indirect,
            obtained_on: today - Duration::days(obtained_days_ago),
            source: None,
            last_contact_days_ago: if rng.chance(80) {
                Some(rng.below(obtained_days_ago as usize + 1) as i64)
            } else {
                None
            },
        });
    }
    // Relationships, contacts, services and the rest, by index into `people`.
    let clients: Vec<usize> = (0..n)
        .filter(|i| seed.people[*i].record.categories.contains(&Category::Client))
        .collect();
    let volunteers: Vec<usize> = (0..n)
        .filter(|i| seed.people[*i].record.categories.contains(&Category::Volunteer))
        .collect();
    let of = |c: Category| -> Vec<usize> { (0..n).filter(|i| seed.people[*i].record.categories[0] == c).collect() };
    let relatives = of(Category::Relative);
    let workers = of(Category::Professional);
    let referees = of(Category::Referee);
    let contacts = of(Category::EmergencyContact);
    let services = ["driving", "befriending", "shopping", "practical help"];
    for (k, &c) in clients.iter().enumerate() {
        if let Some(&r) = relatives.get(k % relatives.len().max(1)) {
            seed.relations.push((
                c,
                if k % 3 == 0 {
                    RelationKind::NextOfKin
                } else {
                    RelationKind::Relative
                },
                r,
            ));
            if seed.people[r].indirect {
                seed.people[r].source = Some(c);
            }
        }
        // A client referred by a worker whose referral is not accepted has no volunteer yet.
        let referral_status = ["new", "contacted", "accepted", "declined", "withdrawn"][k % 5];
        let awaiting = k % 4 == 0 && !workers.is_empty() && seed.people[c].indirect && referral_status != "accepted";
        if let Some(&v) = volunteers.get(k % volunteers.len().max(1)).filter(|_| !awaiting) {
            seed.relations.push((c, RelationKind::AssignedVolunteer, v));
            for s in 0..rng.below(4) {
                seed.services.push((
                    c,
                    Some(v),
                    services[(k + s) % services.len()].to_string(),
                    rng.below(400) as i64,
                ));
            }
            // Some clients have a service booked for the coming week.
            if k % 6 == 1 {
                seed.services.push((
                    c,
                    Some(v),
                    services[k % services.len()].to_string(),
                    -1 - rng.below(7) as i64,
                ));
            }
        }
        if k % 4 == 0 {
            if let Some(&w) = workers.get(k % workers.len().max(1)) {
                seed.relations.push((c, RelationKind::Professional, w));
                if seed.people[c].indirect {
                    seed.people[c].source = Some(w);
                    let days = rng.below(40) as i64;
                    seed.referrals.push((c, Some(w), referral_status.to_string(), days));
                    // Their details came with the referral.
                    seed.people[c].obtained_on = today - Duration::days(days);
                    seed.people[c].last_contact_days_ago = seed.people[c].last_contact_days_ago.map(|d| d.min(days));
                }
            }
        }
        if k % 5 == 0 {
            if let Some(&e) = contacts.get(k % contacts.len().max(1)) {
                seed.relations.push((c, RelationKind::EmergencyContact, e));
                seed.people[e].source = Some(c);
            }
        }
        some_contacts(
            &mut seed,
            &mut rng,
            c,
            (5, 700),
            &[
                ContactKind::Call,
                ContactKind::Call,
                ContactKind::Email,
                ContactKind::Letter,
                ContactKind::Visit,
            ],
            &[
                "Asked about a lift to the surgery",
                "Shopping list taken",
                "Befriending visit went well",
                "Left a message",
                "Confirmed Tuesday's appointment",
            ],
        );
        if k % 7 == 0 {
            health_note(
                &mut seed,
                &mut rng,
                c,
                &[
                    "Uses a walking frame; needs help into the car",
                    "Hard of hearing: speak slowly on the phone",
                    "Diabetic: carries snacks",
                    "Wheelchair user; needs a car with boot space",
                ],
            );
        }
        if k % 11 == 0 {
            seed.callbacks.push((
                c,
                rng.pick(&[
                    "lift to hospital on Friday",
                    "confirm shopping day",
                    "new volunteer introduction",
                ])
                .to_string(),
                (k % 9) as i64 - 2,
            ));
        }
        if k % 13 == 0 {
            seed.consents
                .push((c, "photo_web".to_string(), k % 26 == 0, rng.below(300) as i64));
        }
    }
    // The DBS roles each volunteer's services need.
    let mut needs: std::collections::HashMap<usize, Vec<&str>> = std::collections::HashMap::new();
    for (_, given_by, service, _) in &seed.services {
        let role = match service.as_str() {
            "driving" => "Driver",
            "befriending" => "Befriender",
            "shopping" => "Shopper",
            _ => continue,
        };
        if let Some(v) = given_by {
            let roles = needs.entry(*v).or_default();
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    for (k, &v) in volunteers.iter().enumerate() {
        if let Some(&r) = referees.get(k % referees.len().max(1)) {
            seed.relations.push((v, RelationKind::Referee, r));
            seed.people[r].source = Some(v);
        }
        // A volunteer giving driving, befriending or shopping holds the check it needs (as
        // the assignment rule requires); half the others have one from an earlier role.
        let mut roles: Vec<&str> = needs.remove(&v).unwrap_or_default();
        if roles.is_empty() && k % 2 == 0 {
            roles.push(["Driver", "Befriender", "Shopper"][k % 3]);
        }
        if !roles.is_empty() {
            let cert = format!("{:012}", 1000_0000_0000u64 + (k as u64 * 7919) % 8999_9999_9999);
            let days = 200 + rng.below(1000) as i64;
            seed.dbs.push((v, roles.join(", "), cert, days));
            // A check means the volunteer was in touch then: known to us by that day, and
            // their last contact no earlier (so no volunteer with a current check comes up
            // for a six-year retention review).
            let p = &mut seed.people[v];
            p.obtained_on = p.obtained_on.min(today - Duration::days(days));
            p.last_contact_days_ago = Some(p.last_contact_days_ago.map_or(days, |d| d.min(days)));
        }
    }
    let statuses = [
        ("open", "not_needed", false, 5),
        ("awaiting_id", "requested", false, 3),
        ("open", "received", false, 20),
        ("open", "not_needed", true, 45),
        ("awaiting_clarification", "not_needed", false, 12),
        ("closed", "received", false, 90),
        ("open", "not_needed", false, 33),
    ];
    let kinds = [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "objection",
        "portability",
        "access,rectification",
    ];
    for (k, &c) in clients.iter().step_by(9).enumerate().take(40) {
        let (status, id_status, extended, days) = statuses[k % statuses.len()];
        // Only an access request can wait for clarification.
        let kind = match kinds[(k + k / statuses.len()) % kinds.len()] {
            k if status == "awaiting_clarification" && !k.contains("access") => "access",
            k => k,
        };
        seed.requests.push((
            c,
            kind.to_string(),
            ["phone", "email", "letter", "in_person"][k % 4].to_string(),
            days as i64,
            status.to_string(),
            id_status.to_string(),
            extended,
        ));
    }
    seed
}

/// The file that marks a data folder as a demo made by `dutydesk demo`.
const DEMO_MARKER: &str = "DEMO-CASE-FILE.txt";

/// Whether `dir` holds a demo case file made by `dutydesk demo` (and so may be replaced).
pub fn is_demo_folder(dir: &DataDir) -> bool {
    dir.root().join(DEMO_MARKER).is_file()
}

/// Removes a demo folder's files (only the ones a demo makes), so a fresh demo can be made.
pub fn remove_demo_folder(dir: &DataDir) -> std::io::Result<()> {
    let case = dir.case_file().display().to_string();
    for path in [
        dir.case_file(),
        format!("{case}-wal").into(),
        format!("{case}-shm").into(),
        format!("{case}-journal").into(),
        dir.key_file(),
        dir.key_file().with_extension("json.pending"),
        dir.key_file().with_extension("json.next"),
        dir.root().join(".keyslots.json.tmp"),
        dir.damaged_marker(),
        // The marker last: if removal stops half-way, the folder is still known as a demo.
        dir.root().join(DEMO_MARKER),
    ] {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Creates a demo case file in `dir` under the built-in profile `profile_id`, filled with the
/// details of the charity it was written from (marked as a demo), with `n` people and one user
/// per role the profile uses; returns the users.
pub fn create(
    dir: &DataDir,
    profile_id: &str,
    n: usize,
    clock: Arc<dyn Clock>,
    progress: impl FnMut(usize, usize),
) -> Result<Vec<DemoUser>> {
    let (Some(text), Some(mut org)) = (crate::profile::builtin(profile_id), crate::profile::example(profile_id)) else {
        return Err(crate::store::StoreError::invalid(format!(
            "There is no built-in profile \"{}\": a demo runs under one of {}.",
            profile_id.chars().take(40).collect::<String>(),
            crate::profile::builtin_ids().join(", ")
        )));
    };
    org.name = format!("{} (demo)", org.name);
    let profile = crate::profile::fill(text, &org);
    let parsed = crate::profile::parse(&profile)
        .map_err(|e| crate::store::StoreError::invalid(format!("The built-in profile is invalid: {e}")))?;
    // No user for a role the profile gives nothing to see (DBS officers where no checks are kept).
    let users: Vec<DemoUser> = demo_users()
        .into_iter()
        .filter(|u| u.role != Role::DbsOfficer || parsed.criminal_offence.is_processed())
        .collect();
    let lead = &users[0];
    // The marker goes first: a demo interrupted half-way is still known as a demo, so the next
    // `dutydesk demo` replaces it instead of refusing the folder for good.
    dir.ensure_private_root()?;
    crate::store::datadir::write_atomic(
        &dir.root().join(DEMO_MARKER),
        b"This folder holds a demo case file of synthetic people made by `dutydesk demo`.\nRunning `dutydesk demo` again replaces it.\n",
    )?;
    let (kdf, _) = KdfParams::for_new_slots(true);
    let mut store = Store::init(
        dir,
        &InitOptions {
            profile_toml: &profile,
            organisation: &org.name,
            first_user: &lead.login,
            passphrase: &lead.passphrase,
            kdf,
        },
        clock.clone(),
    )?;
    store.mark_demo()?;
    for u in users.iter().skip(1) {
        store.add_user(&u.login, u.role, &u.passphrase, kdf)?;
    }
    let seed = if profile_id == "perinatal-peer-support" {
        perinatal::generate(n, clock.today())
    } else {
        generate(n, clock.today())
    };
    store.import_seed(&seed, progress)?;
    Ok(users)
}
