//! When a person's record comes up for retention review: a number of whole months after the
//! last contact (a period of years is that many twelves), unless a legal hold stands.
//!
//! Months are calendar months: the same date that many months on, except that a day the
//! month lacks (29 February in a common year, 31 April) becomes its last day. Nothing here reads the clock: every date
//! is a parameter.

use chrono::{Months, NaiveDate};

/// What counts as contact with a person for the retention clock: each of these, on its date,
/// makes that date the person's last contact if it is later. The store keeps
/// `people.last_contact` to this list (triggers from schema version 5, one per source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactSource {
    /// A call, email, letter or visit in the contact log.
    ContactLog,
    /// A service delivered (a lift, a shop, a befriending visit).
    Service,
    /// A referral received for them.
    Referral,
    /// A step on their referral (contacted, accepted, declined, withdrawn).
    ReferralStep,
    /// A rights request they made.
    RightsRequest,
    /// Consent given or withdrawn.
    Consent,
    /// Their Article 14 notice given.
    NoticeGiven,
    /// An enquiry they made.
    Enquiry,
    /// Joining or leaving a support group.
    GroupMembership,
    /// A donation they made.
    Donation,
}

impl ContactSource {
    pub const ALL: [ContactSource; 10] = [
        ContactSource::ContactLog,
        ContactSource::Service,
        ContactSource::Referral,
        ContactSource::ReferralStep,
        ContactSource::RightsRequest,
        ContactSource::Consent,
        ContactSource::NoticeGiven,
        ContactSource::Enquiry,
        ContactSource::GroupMembership,
        ContactSource::Donation,
    ];
}

/// The last contact: the latest of the dates of every [`ContactSource`] event (and the last
/// contact already known), if any.
pub fn last_contact(dates: impl IntoIterator<Item = NaiveDate>) -> Option<NaiveDate> {
    dates.into_iter().max()
}

/// The day the record is due for review: `months` after `last_contact` (29 February becomes
/// 28 February in a common year). `None` while a legal hold stands, and when the date would
/// lie beyond the last date chrono can represent (so, in practice, never).
pub fn review_due(last_contact: NaiveDate, months: u32, legal_hold: bool) -> Option<NaiveDate> {
    if legal_hold {
        return None;
    }
    last_contact.checked_add_months(Months::new(months))
}

/// Whether the record is due for review on `today` (on or after the review date).
pub fn is_due(last_contact: NaiveDate, months: u32, legal_hold: bool, today: NaiveDate) -> bool {
    review_due(last_contact, months, legal_hold).is_some_and(|due| today >= due)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_contact_is_the_latest_of_any_contact() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        #[rustfmt::skip]
        let rows: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["2020-01-01"], Some("2020-01-01")),
            (&["2020-01-01", "2026-11-01", "2023-05-05"], Some("2026-11-01")),
            (&["2026-11-01", "2026-11-01"], Some("2026-11-01")),
        ];
        for (dates, want) in rows {
            assert_eq!(last_contact(dates.iter().map(|s| d(s))), want.map(d), "{dates:?}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn review_dates() {
        #[rustfmt::skip]
        let rows: &[(&str, u32, bool, Option<&str>)] = &[
            ("2020-06-15", 72, false, Some("2026-06-15")),
            ("2020-06-15", 0, false, Some("2020-06-15")),
            ("2020-06-15", 12, false, Some("2021-06-15")),
            ("2024-02-29", 12, false, Some("2025-02-28")),
            ("2024-02-29", 48, false, Some("2028-02-29")),
            ("2024-02-29", 72, false, Some("2030-02-28")),
            ("2019-12-31", 84, false, Some("2026-12-31")),
            ("2026-01-31", 3, false, Some("2026-04-30")),
            ("2026-03-31", 11, false, Some("2027-02-28")),
            ("2020-06-15", 72, true, None),
            ("2024-02-29", 12, true, None),
        ];
        for (last, months, hold, want) in rows {
            assert_eq!(
                review_due(d(last), *months, *hold),
                want.map(d),
                "{last} +{months} months hold={hold}"
            );
        }
    }

    #[test]
    fn huge_periods_are_never_due_rather_than_panicking() {
        assert_eq!(review_due(d("2020-01-01"), u32::MAX, false), None);
        assert_eq!(review_due(d("2020-01-01"), 12_000_000, false), None);
        assert!(!is_due(d("2020-01-01"), u32::MAX, false, NaiveDate::MAX));
    }

    #[test]
    fn is_due_on_and_after_the_day() {
        let last = d("2020-06-15");
        assert!(!is_due(last, 72, false, d("2026-06-14")));
        assert!(is_due(last, 72, false, d("2026-06-15")));
        assert!(is_due(last, 72, false, d("2030-01-01")));
        assert!(!is_due(last, 72, true, d("2030-01-01")));
        assert!(is_due(d("2024-02-29"), 12, false, d("2025-02-28")));
        assert!(!is_due(d("2024-02-29"), 12, false, d("2025-02-27")));
    }
}
