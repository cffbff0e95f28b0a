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

/// How a notice was given to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeMethod {
    Letter,
    Email,
    Phone,
    InPerson,
}

impl NoticeMethod {
    pub const ALL: [NoticeMethod; 4] = [
        NoticeMethod::Letter,
        NoticeMethod::Email,
        NoticeMethod::Phone,
        NoticeMethod::InPerson,
    ];

    /// The stable name stored in the case file.
    pub fn key(self) -> &'static str {
        match self {
            NoticeMethod::Letter => "letter",
            NoticeMethod::Email => "email",
            NoticeMethod::Phone => "phone",
            NoticeMethod::InPerson => "in_person",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            NoticeMethod::Letter => "By letter",
            NoticeMethod::Email => "By email",
            NoticeMethod::Phone => "By phone",
            NoticeMethod::InPerson => "In person",
        }
    }

    /// Reads a stored name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
}

/// The Article 14(5) exemptions: when the notice need not be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// 14(5)(a): the person already has the information (say how we know).
    AlreadyHas,
    /// 14(5)(b): impossible or disproportionate effort (a written assessment is required;
    /// the information must be published and a DPIA considered).
    DisproportionateEffort,
    /// 14(5)(b): giving it would render impossible or seriously impair the purpose (for
    /// example, prejudice safeguarding).
    SeriouslyImpair,
    /// 14(5)(c): obtaining or disclosing the data is required by law.
    RequiredByLaw,
    /// 14(5)(d): the data must stay confidential under professional secrecy.
    ProfessionalSecrecy,
}

/// The fewest characters a disproportionate-effort assessment may have: a sentence, not a tick.
pub const MIN_ASSESSMENT_CHARS: usize = 20;

/// What the user is told when they rely on disproportionate effort.
pub const DISPROPORTIONATE_EFFORT_REMINDER: &str = "Because the notice is not being given, the \
information must be made publicly available (for example on the website) and a data \
protection impact assessment (DPIA) considered.";

/// How long an exemption stands before it must be reviewed.
pub const EXEMPTION_REVIEW_MONTHS: u32 = 12;

impl Exemption {
    pub const ALL: [Exemption; 5] = [
        Exemption::AlreadyHas,
        Exemption::DisproportionateEffort,
        Exemption::SeriouslyImpair,
        Exemption::RequiredByLaw,
        Exemption::ProfessionalSecrecy,
    ];

    /// The stable name stored in the case file.
    pub fn key(self) -> &'static str {
        match self {
            Exemption::AlreadyHas => "already_has",
            Exemption::DisproportionateEffort => "disproportionate_effort",
            Exemption::SeriouslyImpair => "seriously_impair",
            Exemption::RequiredByLaw => "required_by_law",
            Exemption::ProfessionalSecrecy => "professional_secrecy",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Exemption::AlreadyHas => "They already have the information",
            Exemption::DisproportionateEffort => "Impossible or disproportionate effort",
            Exemption::SeriouslyImpair => "Would seriously impair the purpose or prejudice safeguarding",
            Exemption::RequiredByLaw => "Obtaining it is required by law",
            Exemption::ProfessionalSecrecy => "Professional secrecy",
        }
    }

    /// What the reason must explain, as a prompt for the form.
    pub fn asks_for(self) -> &'static str {
        match self {
            Exemption::AlreadyHas => "How do we know they already have the information?",
            Exemption::DisproportionateEffort => {
                "Write the assessment: why is giving the notice impossible or disproportionate?"
            }
            Exemption::SeriouslyImpair => "What purpose would telling them impair, and how?",
            Exemption::RequiredByLaw => "Which law requires us to obtain the data?",
            Exemption::ProfessionalSecrecy => "Which duty of professional secrecy applies?",
        }
    }

    /// Reads a stored name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == s)
    }

    /// Checks the reason given for this exemption; returns the trimmed reason or a sentence
    /// saying what is missing.
    pub fn check_reason(self, reason: &str) -> Result<String, String> {
        let reason = reason.trim();
        let min = match self {
            Exemption::DisproportionateEffort => MIN_ASSESSMENT_CHARS,
            _ => 3,
        };
        if reason.chars().count() >= min {
            return Ok(reason.to_string());
        }
        Err(match self {
            Exemption::DisproportionateEffort => format!(
                "Disproportionate effort needs a written assessment of at least {MIN_ASSESSMENT_CHARS} characters: explain why giving the notice is impossible or disproportionate."
            ),
            _ => format!("Give the reason for this exemption: {}", self.asks_for().to_lowercase()),
        })
    }

    /// The reminder shown when the exemption is recorded, if any.
    pub fn reminder(self) -> Option<&'static str> {
        (self == Exemption::DisproportionateEffort).then_some(DISPROPORTIONATE_EFFORT_REMINDER)
    }
}

/// When an exemption decided on `on` must be reviewed.
pub fn exemption_review_due(on: NaiveDate) -> NaiveDate {
    on.checked_add_months(Months::new(EXEMPTION_REVIEW_MONTHS))
        .unwrap_or(NaiveDate::MAX)
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
    fn exemption_reasons_are_checked() {
        assert!(Exemption::DisproportionateEffort.check_reason("too hard").is_err());
        assert!(Exemption::DisproportionateEffort
            .check_reason("No address or phone number is known for them at all.")
            .is_ok());
        assert!(Exemption::AlreadyHas.check_reason("  ").is_err());
        assert!(Exemption::AlreadyHas.check_reason("She was given our leaflet").is_ok());
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.key()), Some(e));
        }
        for m in NoticeMethod::ALL {
            assert_eq!(NoticeMethod::parse(m.key()), Some(m));
        }
        assert_eq!(exemption_review_due(d("2026-02-28")), d("2027-02-28"));
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
