//! The perinatal peer-support charity's demo: mums (some referred by a health visitor,
//! midwife or GP), their partners, enquirers, donors who came through a giving platform,
//! volunteers and group facilitators, with the groups mums attend, calls and emails, health
//! notes, story consents for the blog, callbacks and rights requests.

use super::{email, health_note, lines, phone, postcode, some_contacts, towns, Rng, FAMILY, GIVEN, STREETS};
use crate::domain::person::PersonRecord;
use crate::domain::{Category, ContactKind, RelationKind};
use crate::store::seed::{Seed, SeedPerson};
use chrono::{Duration, NaiveDate};

fn categories_for(i: usize) -> Vec<Category> {
    match i % 20 {
        0..=7 => vec![Category::Client],
        8..=10 => vec![Category::Enquirer],
        11 | 12 => vec![Category::Relative],
        13 => vec![Category::Professional],
        14 | 15 => vec![Category::Friend],
        16 | 17 => vec![Category::Volunteer],
        18 => vec![Category::GroupLeader],
        _ => vec![Category::ThirdParty],
    }
}

/// The groups and support a mum is given, as the profile names its services.
const SUPPORT: [&str; 3] = [
    "face-to-face peer support groups",
    "online peer support groups",
    "peer support and counselling",
];

/// Given names for the mums (the shared name list carries no gender).
const MUMS: [&str; 40] = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Sophie",
    "Emily",
    "Lily",
    "Chloe",
    "Freya",
    "Ella",
    "Ruby",
    "Evie",
    "Poppy",
    "Hannah",
    "Jessica",
    "Charlotte",
    "Zara",
    "Aisha",
    "Priya",
    "Fatima",
    "Niamh",
    "Siobhan",
    "Megan",
    "Rhiannon",
    "Bethan",
    "Laura",
    "Rachel",
    "Sarah",
    "Kirsty",
    "Leah",
    "Holly",
    "Katie",
    "Gemma",
    "Jade",
    "Amy",
    "Zoe",
    "Nadia",
    "Yasmin",
];

/// Generates `n` synthetic people of a perinatal peer-support charity, relative to `today`.
pub fn generate(n: usize, today: NaiveDate) -> Seed {
    let given = lines(GIVEN);
    let family = lines(FAMILY);
    let streets = lines(STREETS);
    let towns = towns();
    let mut rng = Rng::new(0x0BAB_1E55);
    let mut seed = Seed::default();
    for i in 0..n {
        let cats = categories_for(i);
        let g = if cats[0] == Category::Client {
            rng.pick(&MUMS)
        } else {
            rng.pick(&given)
        };
        let f = rng.pick(&family);
        let (village, post_town, district) = towns.get(rng.below(towns.len())).copied().unwrap_or(("", "", "RG1"));
        let with_address =
            matches!(cats[0], Category::Client | Category::Volunteer | Category::GroupLeader) && rng.chance(70);
        let email = (cats[0] != Category::Relative || rng.chance(30)).then(|| email(&mut rng, g, f, i));
        let rec = PersonRecord {
            title: None,
            given_name: g.to_string(),
            family_name: f.to_string(),
            aliases: Vec::new(),
            address: with_address
                .then(|| format!("{} {}, {village}, {post_town}", 1 + rng.below(120), rng.pick(&streets))),
            postcode: with_address.then(|| postcode(&mut rng, district)),
            // Donors come through a giving platform with an email address only.
            phones: if cats[0] == Category::Friend {
                Vec::new()
            } else {
                vec![phone(&mut rng)]
            },
            email,
            date_of_birth: None,
            organisation: matches!(cats[0], Category::Professional | Category::ThirdParty).then(|| {
                let orgs: &[&str] = if cats[0] == Category::Professional {
                    &[
                        "Health visiting team, Banbury",
                        "Horton General Hospital maternity unit",
                        "Perinatal Mental Health Team",
                        "Banbury Cross Surgery",
                    ]
                } else {
                    &["Community hall bookings", "Print and Post Ltd", "Banbury Baby Bank"]
                };
                rng.pick(orgs).to_string()
            }),
            notes: None,
            categories: cats.clone(),
        };
        let indirect =
            matches!(cats[0], Category::Relative | Category::Friend) || (cats[0] == Category::Client && rng.chance(30));
        let obtained_days_ago = rng.below(900) as i64;
        seed.people.push(SeedPerson {
            record: rec,
            indirect,
            obtained_on: today - Duration::days(obtained_days_ago),
            source: None,
            last_contact_days_ago: Some(rng.below(obtained_days_ago as usize + 1) as i64),
        });
    }
    let of = |c: Category| -> Vec<usize> { (0..n).filter(|i| seed.people[*i].record.categories[0] == c).collect() };
    let mums = of(Category::Client);
    let partners = of(Category::Relative);
    let workers = of(Category::Professional);
    let volunteers = of(Category::Volunteer);
    let enquirers = of(Category::Enquirer);
    let donors = of(Category::Friend);
    let leaders = of(Category::GroupLeader);
    for (name, format, meets) in [
        (
            "Tuesday mornings",
            "face_to_face",
            "Tuesdays 10am, the library meeting room",
        ),
        ("Thursday drop-in", "face_to_face", "Thursdays 1pm, the family centre"),
        ("Evening online group", "online", "Wednesdays 8pm, on video"),
        ("Bumps and beyond (online)", "online", "Sundays 7pm, on video"),
    ] {
        seed.groups.push((name.into(), format.into(), meets.into()));
    }
    for (k, &l) in leaders.iter().enumerate() {
        seed.members
            .push((k % seed.groups.len(), l, 300 + rng.below(300) as i64));
    }
    for (k, &m) in mums.iter().enumerate() {
        if k % 3 == 0 {
            if let Some(&p) = partners.get(k / 3 % partners.len().max(1)) {
                seed.relations.push((m, RelationKind::Relative, p));
                if seed.people[p].indirect {
                    seed.people[p].source = Some(m);
                }
            }
        }
        // Some mums are referred by a health visitor, midwife or GP.
        if seed.people[m].indirect && !workers.is_empty() {
            let w = workers[k % workers.len()];
            let status = ["new", "contacted", "accepted", "accepted", "declined"][k % 5];
            let days = rng.below(30) as i64;
            seed.relations.push((m, RelationKind::Professional, w));
            seed.people[m].source = Some(w);
            seed.referrals.push((m, Some(w), status.to_string(), days));
            seed.people[m].obtained_on = today - Duration::days(days);
            seed.people[m].last_contact_days_ago = seed.people[m].last_contact_days_ago.map(|d| d.min(days));
        }
        // Most mums come to a group, some to two; joining after we first heard of them, and
        // not while a referral is still being decided.
        let waiting = seed
            .referrals
            .last()
            .is_some_and(|(p, _, status, _)| *p == m && status != "accepted");
        let known_for = (today - seed.people[m].obtained_on).num_days().max(0) as usize;
        if k % 4 != 3 && !waiting {
            seed.members.push((k % 4, m, rng.below(known_for + 1) as i64));
            if k % 7 == 0 {
                seed.members.push(((k + 2) % 4, m, rng.below(known_for + 1) as i64));
            }
        }
        if let Some(&v) = volunteers.get(k % volunteers.len().max(1)) {
            for s in 0..1 + rng.below(3) {
                seed.services.push((
                    m,
                    Some(v),
                    SUPPORT[(k + s) % SUPPORT.len()].to_string(),
                    rng.below(300) as i64,
                ));
            }
            if k % 5 == 1 {
                // Next week's group.
                seed.services
                    .push((m, Some(v), SUPPORT[k % 2].to_string(), -1 - rng.below(7) as i64));
            }
        }
        some_contacts(
            &mut seed,
            &mut rng,
            m,
            (4, 400),
            &[
                ContactKind::Call,
                ContactKind::Email,
                ContactKind::Email,
                ContactKind::Visit,
            ],
            &[
                "Asked about the Tuesday group",
                "Feeling a little better this week",
                "Left a message",
                "Sent the link to the online group",
                "Came to the group with her baby",
            ],
        );
        if k % 4 == 0 {
            health_note(
                &mut seed,
                &mut rng,
                m,
                &[
                    "Low mood since the birth; her GP knows",
                    "Anxiety in the evenings; finds groups hard to walk into",
                    "Birth trauma: hospital visits are difficult",
                    "Started antidepressants in week 30",
                ],
            );
        }
        if k % 9 == 0 {
            seed.callbacks.push((
                m,
                rng.pick(&[
                    "how the first group went",
                    "a lift to the Thursday group",
                    "the online group link",
                ])
                .to_string(),
                (k % 7) as i64 - 2,
            ));
        }
        if k % 6 == 0 {
            seed.consents
                .push((m, "story_media".to_string(), k % 24 == 0, rng.below(200) as i64));
        }
    }
    for (k, &e) in enquirers.iter().enumerate() {
        let about = rng.pick(&[
            "Is there a group near Banbury?",
            "How can I volunteer?",
            "Support for a friend after a difficult birth",
            "When does the online group meet?",
        ]);
        let channel = ["phone", "email", "social_media", "in_person"][k % 4];
        // The older ones were answered on the day; the last few days' wait on the handover.
        let days = rng.below(60) as i64;
        let answer = (days > 3).then(|| "Sent details of the nearest group and how to join".to_string());
        seed.enquiries.push((e, channel.into(), days, about.into(), answer));
    }
    for (k, &d) in donors.iter().enumerate() {
        for _ in 0..1 + rng.below(3) {
            let platform = [Some("JustGiving"), Some("PayPal"), None][k % 3].map(String::from);
            let pence = [500, 1000, 2000, 2500, 5000][rng.below(5)];
            seed.donations.push((d, pence, rng.below(700) as i64, platform));
        }
    }
    for (k, &c) in mums.iter().step_by(11).enumerate().take(12) {
        seed.requests.push((
            c,
            ["access", "erasure", "rectification", "objection"][k % 4].to_string(),
            ["email", "phone", "letter", "in_person"][k % 4].to_string(),
            [4, 12, 25, 40][k % 4],
            "open".to_string(),
            "not_needed".to_string(),
            false,
        ));
    }
    seed
}
