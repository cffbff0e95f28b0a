//! When an Article 14 notice is due: the privacy information owed to someone whose data was
//! obtained from somebody else (a relative, a referrer, a professional).
//!
//! UK GDPR Article 14(3): within one month of obtaining the data, or at the first
//! communication with the person, or before the data is first disclosed to someone else,
//! whichever is earliest. The month is a calendar month (the corresponding date next month,
//! or the last day of that month when it has no such date); there is no working-day roll.
//!
//! Nothing here reads the clock: every date is a parameter.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which limb of Article 14(3) sets the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trigger {
    /// One month after the data was obtained.
    OneMonth,
    /// The first communication with the person.
    FirstCommunication,
    /// The first disclosure to another recipient.
    FirstDisclosure,
}

impl Trigger {
    /// The stable name stored in the case file.
    pub fn key(self) -> &'static str {
        match self {
            Trigger::OneMonth => "one_month",
            Trigger::FirstCommunication => "first_communication",
            Trigger::FirstDisclosure => "first_disclosure",
        }
    }

    /// Reads a stored name back.
    pub fn parse(s: &str) -> Option<Self> {
        [Trigger::OneMonth, Trigger::FirstCommunication, Trigger::FirstDisclosure]
            .into_iter()
            .find(|t| t.key() == s)
    }

    /// A human phrase for screens: "one month after the data was obtained", ...
    pub fn describe(self) -> &'static str {
        match self {
            Trigger::OneMonth => "one month after the data was obtained",
            Trigger::FirstCommunication => "the first communication with them",
            Trigger::FirstDisclosure => "the first disclosure to someone else",
        }
    }
}

/// When the notice is due, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article14Due {
    pub due: NaiveDate,
    pub reason: Trigger,
}

/// The day an Article 14 notice is due: the earliest of one month after `obtained`, the first
/// contact with the person and the first disclosure to someone else.
///
/// A contact or disclosure dated before `obtained` is read as happening on `obtained` (the
/// notice cannot be due before the data was held). On a tie the event wins over the month,
/// and the first communication over the first disclosure, since that is the moment the
/// person should be told. Saturates at the last representable date.
pub fn notice_due(
    obtained: NaiveDate,
    first_contact: Option<NaiveDate>,
    first_disclosure: Option<NaiveDate>,
) -> Article14Due {
    let one_month = obtained.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    // In order of preference on a tie; `min_by_key` keeps the first of equal minima.
    [
        Some((first_contact, Trigger::FirstCommunication)),
        Some((first_disclosure, Trigger::FirstDisclosure)),
        Some((Some(one_month), Trigger::OneMonth)),
    ]
    .into_iter()
    .flatten()
    .filter_map(|(date, reason)| date.map(|d| (d.max(obtained), reason)))
    .min_by_key(|(d, _)| *d)
    .map_or(
        Article14Due {
            due: one_month,
            reason: Trigger::OneMonth,
        },
        |(due, reason)| Article14Due { due, reason },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn od(s: &str) -> Option<NaiveDate> {
        (!s.is_empty()).then(|| d(s))
    }

    #[test]
    fn table() {
        use Trigger::*;
        #[rustfmt::skip]
        let rows: &[(&str, &str, &str, &str, &str, Trigger)] = &[
            // (what, obtained, contact, disclosure, due, reason)
            ("nothing else happens", "2026-03-05", "", "", "2026-04-05", OneMonth),
            ("month end clamps", "2026-01-31", "", "", "2026-02-28", OneMonth),
            ("leap year", "2024-01-30", "", "", "2024-02-29", OneMonth),
            ("leap year from 31st", "2024-01-31", "", "", "2024-02-29", OneMonth),
            ("no working-day roll (5 Apr 2026 is Easter Sunday)", "2026-03-05", "", "", "2026-04-05", OneMonth),
            ("December to January", "2026-12-31", "", "", "2027-01-31", OneMonth),
            ("contact first", "2026-03-05", "2026-03-10", "", "2026-03-10", FirstCommunication),
            ("contact after the month", "2026-03-05", "2026-04-20", "", "2026-04-05", OneMonth),
            ("disclosure first", "2026-03-05", "", "2026-03-08", "2026-03-08", FirstDisclosure),
            ("disclosure after the month", "2026-03-05", "", "2026-05-01", "2026-04-05", OneMonth),
            ("disclosure before contact", "2026-03-05", "2026-03-20", "2026-03-12", "2026-03-12", FirstDisclosure),
            ("contact before disclosure", "2026-03-05", "2026-03-12", "2026-03-20", "2026-03-12", FirstCommunication),
            ("tie contact and disclosure", "2026-03-05", "2026-03-12", "2026-03-12", "2026-03-12", FirstCommunication),
            ("tie contact and month", "2026-03-05", "2026-04-05", "", "2026-04-05", FirstCommunication),
            ("tie disclosure and month", "2026-03-05", "", "2026-04-05", "2026-04-05", FirstDisclosure),
            ("three-way tie", "2026-03-05", "2026-04-05", "2026-04-05", "2026-04-05", FirstCommunication),
            ("contact on the day obtained", "2026-03-05", "2026-03-05", "", "2026-03-05", FirstCommunication),
            ("contact before obtained reads as obtained", "2026-03-05", "2026-03-01", "", "2026-03-05", FirstCommunication),
            ("disclosure before obtained reads as obtained", "2026-03-05", "", "2026-02-01", "2026-03-05", FirstDisclosure),
        ];
        for (what, obtained, contact, disclosure, due, reason) in rows {
            let got = notice_due(d(obtained), od(contact), od(disclosure));
            assert_eq!(
                got,
                Article14Due {
                    due: d(due),
                    reason: *reason
                },
                "{what}"
            );
        }
    }

    #[test]
    fn saturates_rather_than_panicking() {
        let got = notice_due(NaiveDate::MAX, None, None);
        assert_eq!(got.due, NaiveDate::MAX);
        assert_eq!(got.reason, Trigger::OneMonth);
    }

    #[test]
    fn describe() {
        assert_eq!(
            Trigger::FirstDisclosure.describe(),
            "the first disclosure to someone else"
        );
    }

    proptest::proptest! {
        #[test]
        fn due_is_never_before_obtained_nor_after_a_month(
            o in 0i64..20_000, c in proptest::option::of(-40i64..80), x in proptest::option::of(-40i64..80),
        ) {
            let obtained = d("2010-01-01") + chrono::Duration::days(o);
            let contact = c.map(|n| obtained + chrono::Duration::days(n));
            let disclosure = x.map(|n| obtained + chrono::Duration::days(n));
            let got = notice_due(obtained, contact, disclosure);
            proptest::prop_assert!(got.due >= obtained);
            proptest::prop_assert!(got.due <= obtained.checked_add_months(Months::new(1)).unwrap());
            for e in [contact, disclosure].into_iter().flatten() {
                proptest::prop_assert!(got.due <= e.max(obtained));
            }
        }
    }
}
