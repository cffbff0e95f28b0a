//! Which DBS check is current for which role. A volunteer may hold several checks, each
//! covering some of the roles the profile names (befriender, shopper, driver); a newer check
//! for one role does not renew an older one's other roles. So each role is answered by the
//! check with the latest renewal date that covers it, and a check matters (on the register,
//! for a renewal) only for the roles it still answers.

use chrono::NaiveDate;

/// One of a person's checks: its id, the roles it covers and its renewal date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckCover {
    pub id: i64,
    pub roles: Vec<String>,
    pub renewal_due: NaiveDate,
}

/// For one person's checks, each check that is still the latest for at least one role, with
/// those roles (in the order the check lists them). Roles match ignoring case; between two
/// checks renewing on the same day, the later-recorded (higher id) answers. Checks come back
/// in the order given.
pub fn current_roles(checks: &[CheckCover]) -> Vec<(i64, Vec<String>)> {
    let answers = |check: &CheckCover, role: &str| {
        !checks.iter().any(|other| {
            other.id != check.id
                && (other.renewal_due, other.id) > (check.renewal_due, check.id)
                && other.roles.iter().any(|r| r.trim().eq_ignore_ascii_case(role.trim()))
        })
    };
    checks
        .iter()
        .filter_map(|c| {
            let roles: Vec<String> = c.roles.iter().filter(|r| answers(c, r)).cloned().collect();
            (!roles.is_empty()).then_some((c.id, roles))
        })
        .collect()
}

/// The roles of a stored check ("Befriender, Driver"), split.
pub fn split_roles(roles: &str) -> Vec<String> {
    roles
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn check(id: i64, roles: &str, due: &str) -> CheckCover {
        CheckCover {
            id,
            roles: split_roles(roles),
            renewal_due: d(due),
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_role_is_answered_by_its_latest_check() {
        struct Case {
            what: &'static str,
            checks: Vec<CheckCover>,
            want: Vec<(i64, Vec<String>)>,
        }
        let cases = vec![
            Case {
                what: "no checks",
                checks: vec![],
                want: vec![],
            },
            Case {
                what: "one check answers all its roles",
                checks: vec![check(1, "Befriender, Driver", "2027-01-01")],
                want: vec![(1, names(&["Befriender", "Driver"]))],
            },
            Case {
                what: "a renewal for every role supersedes the old check",
                checks: vec![check(1, "Driver", "2026-01-01"), check(2, "Driver", "2029-01-01")],
                want: vec![(2, names(&["Driver"]))],
            },
            Case {
                what: "a newer check for one role leaves the older one answering the other",
                checks: vec![
                    check(1, "Befriender, Driver", "2026-06-01"),
                    check(2, "Driver", "2029-06-01"),
                ],
                want: vec![(1, names(&["Befriender"])), (2, names(&["Driver"]))],
            },
            Case {
                what: "roles match ignoring case and spaces",
                checks: vec![check(1, "driver", "2026-06-01"), check(2, " Driver ", "2029-06-01")],
                want: vec![(2, names(&["Driver"]))],
            },
            Case {
                what: "the same renewal day: the later-recorded check answers",
                checks: vec![check(1, "Shopper", "2028-01-01"), check(2, "Shopper", "2028-01-01")],
                want: vec![(2, names(&["Shopper"]))],
            },
            Case {
                what: "a check recorded later but renewing earlier does not supersede",
                checks: vec![check(5, "Shopper", "2024-01-01"), check(3, "Shopper", "2028-01-01")],
                want: vec![(3, names(&["Shopper"]))],
            },
        ];
        for c in cases {
            assert_eq!(current_roles(&c.checks), c.want, "{}", c.what);
        }
    }

    proptest::proptest! {
        /// Every role any check covers is answered by exactly one check.
        #[test]
        fn every_role_has_exactly_one_answer(
            raw in proptest::collection::vec((0usize..3, 0usize..3, 0i64..2000), 0..8)
        ) {
            let roles = ["Befriender", "Shopper", "Driver"];
            let checks: Vec<CheckCover> = raw
                .iter()
                .enumerate()
                .map(|(i, (a, b, days))| CheckCover {
                    id: i as i64 + 1,
                    roles: if a == b { vec![roles[*a].into()] } else { vec![roles[*a].into(), roles[*b].into()] },
                    renewal_due: d("2024-01-01") + chrono::Duration::days(*days),
                })
                .collect();
            let current = current_roles(&checks);
            for role in roles {
                let covered = checks.iter().any(|c| c.roles.iter().any(|r| r == role));
                let answers = current.iter().filter(|(_, rs)| rs.iter().any(|r| r == role)).count();
                proptest::prop_assert_eq!(answers, usize::from(covered), "{}", role);
            }
        }
    }
}
