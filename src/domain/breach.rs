//! Personal data breaches (UK GDPR Articles 33 and 34). A breach must be reported to the ICO
//! without undue delay and, where feasible, not later than 72 hours after the charity became
//! aware of it, unless it is unlikely to result in a risk to people's rights and freedoms; the
//! hours run through weekends and bank holidays (the law counts hours, not working days). Every
//! breach is documented either way (Article 33(5)); where the risk is high, the people affected
//! are told without undue delay (Article 34).

use chrono::{Duration, NaiveDateTime};

/// How long after becoming aware the report to the ICO is due.
pub const REPORT_WITHIN_HOURS: i64 = 72;

/// When the report to the ICO is due: 72 hours after the charity became aware.
pub fn report_due(aware_at: NaiveDateTime) -> NaiveDateTime {
    aware_at + Duration::hours(REPORT_WITHIN_HOURS)
}

/// Hours left until the report is due at `now` (negative once late), rounded down.
pub fn hours_left(aware_at: NaiveDateTime, now: NaiveDateTime) -> i64 {
    let left = report_due(aware_at) - now;
    left.num_minutes().div_euclid(60)
}

super::kinds::vocabulary!(
    /// The risk a breach poses to the people affected, as the data protection lead judges it.
    BreachRisk, "breach risk", {
        Unlikely => "unlikely", "Unlikely to result in a risk (document it; no report)";
        Risk => "risk", "A risk to people's rights and freedoms (report to the ICO)";
        High => "high", "A high risk (report to the ICO and tell the people affected)";
    }
);

impl BreachRisk {
    /// Whether a breach of this risk must be reported to the ICO (Article 33(1)).
    pub fn must_report(self) -> bool {
        self != BreachRisk::Unlikely
    }

    /// Whether the people affected must be told (Article 34(1)).
    pub fn must_tell_people(self) -> bool {
        self == BreachRisk::High
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn seventy_two_hours_run_through_weekends_and_bank_holidays() {
        let cases = [
            ("a weekday", "2026-11-25 09:30", "2026-11-28 09:30"),
            (
                "Friday evening: due Monday evening, weekend and all",
                "2026-11-27 18:00",
                "2026-11-30 18:00",
            ),
            (
                "Christmas Eve: Christmas and Boxing Day count",
                "2026-12-24 10:00",
                "2026-12-27 10:00",
            ),
            (
                "across the clocks going back (local time as recorded)",
                "2026-10-24 12:00",
                "2026-10-27 12:00",
            ),
            ("leap day", "2028-02-28 08:00", "2028-03-02 08:00"),
        ];
        for (what, aware, due) in cases {
            assert_eq!(report_due(at(aware)), at(due), "{what}");
        }
    }

    #[test]
    fn hours_left_counts_down_and_goes_negative_once_late() {
        let aware = at("2026-11-25 09:30");
        let cases = [
            ("just aware", "2026-11-25 09:30", 72),
            ("a day on", "2026-11-26 09:30", 48),
            ("half an hour before", "2026-11-28 09:00", 0),
            ("on the hour it is due", "2026-11-28 09:30", 0),
            ("a minute late", "2026-11-28 09:31", -1),
            ("a day late", "2026-11-29 09:30", -24),
        ];
        for (what, now, left) in cases {
            assert_eq!(hours_left(aware, at(now)), left, "{what}");
        }
    }

    #[test]
    fn only_a_high_risk_is_told_to_the_people_and_only_unlikely_goes_unreported() {
        assert!(!BreachRisk::Unlikely.must_report() && !BreachRisk::Unlikely.must_tell_people());
        assert!(BreachRisk::Risk.must_report() && !BreachRisk::Risk.must_tell_people());
        assert!(BreachRisk::High.must_report() && BreachRisk::High.must_tell_people());
    }
}
