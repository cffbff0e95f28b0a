//! The profile's smaller tables that set the charity's own words and times: how quickly a
//! referral is answered (`[referrals]`) and how letters are signed (`[letters]`).

use serde::{Deserialize, Serialize};

/// The optional `[referrals]` table: working days to make first contact after a referral
/// arrives (sooner when it is urgent), and to accept or decline it after first contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralRule {
    pub first_contact_working_days: u32,
    pub urgent_first_contact_working_days: u32,
    pub decide_working_days: u32,
}

impl Default for ReferralRule {
    fn default() -> Self {
        ReferralRule {
            first_contact_working_days: 2,
            urgent_first_contact_working_days: 1,
            decide_working_days: 10,
        }
    }
}

impl ReferralRule {
    /// Working days from `status` ("new" or "contacted") to the next step's deadline.
    pub fn working_days(&self, status: &str, urgent: bool) -> u32 {
        match (status, urgent) {
            ("new", true) => self.urgent_first_contact_working_days,
            ("new", false) => self.first_contact_working_days,
            _ => self.decide_working_days,
        }
    }

    /// Why the rule cannot be used, if it cannot.
    pub(super) fn problem(&self) -> Option<String> {
        let r = self;
        let ok = (1..=30).contains(&r.first_contact_working_days)
            && (1..=r.first_contact_working_days).contains(&r.urgent_first_contact_working_days)
            && (1..=60).contains(&r.decide_working_days);
        (!ok).then(|| {
            format!(
                "referrals: urgent_first_contact_working_days ({}) must be 1 to first_contact_working_days ({}), which is 1 to 30; decide_working_days ({}) must be 1 to 60",
                r.urgent_first_contact_working_days, r.first_contact_working_days, r.decide_working_days
            )
        })
    }
}

/// The optional `[letters]` table: the line letters are signed with ("Data protection
/// lead"); without it, the data protection lead's label on screens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LetterRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}
