//! Complaints about how the charity uses personal data (Data Protection Act 2018 s.164A, in
//! force since 19 June 2026): the charity must make it easy to complain, acknowledge a
//! complaint within the period of 30 days beginning with the day it is received, investigate
//! it without undue delay, and tell the complainant the outcome (with their right to complain
//! to the ICO).

use chrono::{Duration, NaiveDate};

/// The days, counting the day of receipt as the first, within which a complaint must be
/// acknowledged.
pub const ACKNOWLEDGE_WITHIN_DAYS: i64 = 30;

/// The last day to acknowledge a complaint received on `received`: the 30th day of a period
/// that begins with the day of receipt (calendar days; weekends and bank holidays count).
pub fn acknowledge_by(received: NaiveDate) -> NaiveDate {
    received + Duration::days(ACKNOWLEDGE_WITHIN_DAYS - 1)
}

super::kinds::vocabulary!(
    /// How a complaint reached the charity, or how the acknowledgement or outcome went out.
    ComplaintChannel, "complaint channel", {
        Phone => "phone", "On the phone";
        Email => "email", "By email";
        Letter => "letter", "By letter";
        InPerson => "in_person", "In person";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn thirty_days_beginning_with_the_day_received() {
        let cases = [
            ("an ordinary day", "2026-11-25", "2026-12-24"),
            ("over Christmas: bank holidays count", "2026-12-01", "2026-12-30"),
            ("a Saturday: the day of receipt is day one", "2026-11-28", "2026-12-27"),
            ("end of January into February", "2027-01-31", "2027-03-01"),
            ("a leap year", "2028-02-01", "2028-03-01"),
        ];
        for (what, received, due) in cases {
            assert_eq!(acknowledge_by(d(received)), d(due), "{what}");
        }
    }
}
