//! Referrals: who referred whom, how urgent it is, and the lifecycle a referral moves through.
//!
//! New -> Contacted -> Accepted / Declined / Withdrawn; a new referral may also be declined or
//! withdrawn before anyone is contacted. Decided referrals do not move again (a new referral
//! is taken instead), so the history stays honest.

use serde::{Deserialize, Serialize};

/// Where a referral is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    New,
    Contacted,
    Accepted,
    Declined,
    Withdrawn,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 5] = [
        ReferralStatus::New,
        ReferralStatus::Contacted,
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Withdrawn,
    ];

    /// The stable name stored in the case file.
    pub fn key(self) -> &'static str {
        match self {
            ReferralStatus::New => "new",
            ReferralStatus::Contacted => "contacted",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Withdrawn => "withdrawn",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::New => "New",
            ReferralStatus::Contacted => "Contacted",
            ReferralStatus::Accepted => "Accepted",
            ReferralStatus::Declined => "Declined",
            ReferralStatus::Withdrawn => "Withdrawn",
        }
    }

    /// Reads a stored name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }

    /// Whether the referral still waits for someone to act.
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::New | ReferralStatus::Contacted)
    }

    /// The statuses a referral may move to from this one.
    pub fn next(self) -> &'static [ReferralStatus] {
        use ReferralStatus::*;
        match self {
            New => &[Contacted, Declined, Withdrawn],
            Contacted => &[Accepted, Declined, Withdrawn],
            Accepted | Declined | Withdrawn => &[],
        }
    }

    /// Whether a move from this status to `to` is allowed.
    pub fn can_move_to(self, to: ReferralStatus) -> bool {
        self.next().contains(&to)
    }

    /// Whether moving to this status needs a reason (declining and withdrawing do).
    pub fn needs_reason(self) -> bool {
        matches!(self, ReferralStatus::Declined | ReferralStatus::Withdrawn)
    }
}

/// How urgent a referral is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Routine,
    Soon,
    Urgent,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Soon, Urgency::Urgent];

    pub fn key(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Soon => "soon",
            Urgency::Urgent => "urgent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Soon => "Soon",
            Urgency::Urgent => "Urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
}

/// Who made the referral, in relation to the person referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferrerKind {
    /// A social or healthcare worker.
    Professional,
    /// A relative (or next of kin) of the person.
    Relative,
    /// A friend or neighbour of the person.
    Friend,
    /// The person referring themselves.
    SelfReferral,
}

impl ReferrerKind {
    pub const ALL: [ReferrerKind; 4] = [
        ReferrerKind::Professional,
        ReferrerKind::Relative,
        ReferrerKind::Friend,
        ReferrerKind::SelfReferral,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReferrerKind::Professional => "professional",
            ReferrerKind::Relative => "relative",
            ReferrerKind::Friend => "friend",
            ReferrerKind::SelfReferral => "self",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferrerKind::Professional => "Professional (health or social care)",
            ReferrerKind::Relative => "Relative",
            ReferrerKind::Friend => "Friend or neighbour",
            ReferrerKind::SelfReferral => "The person themselves",
        }
    }

    /// "a health or social care professional", for sentences (a profile may name them
    /// otherwise: `Profile::referrer_phrase`).
    pub fn phrase(self) -> &'static str {
        match self {
            ReferrerKind::Professional => "a health or social care professional",
            ReferrerKind::Relative => "a relative of yours",
            ReferrerKind::Friend => "a friend or neighbour of yours",
            ReferrerKind::SelfReferral => "you",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    #[test]
    fn the_lifecycle() {
        let allowed = [
            (New, Contacted),
            (New, Declined),
            (New, Withdrawn),
            (Contacted, Accepted),
            (Contacted, Declined),
            (Contacted, Withdrawn),
        ];
        for from in ReferralStatus::ALL {
            for to in ReferralStatus::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(s.key()), Some(s));
        }
        for k in ReferrerKind::ALL {
            assert_eq!(ReferrerKind::parse(k.key()), Some(k));
        }
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.key()), Some(u));
        }
    }
}
