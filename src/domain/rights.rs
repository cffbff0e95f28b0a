//! The vocabulary of rights requests (UK GDPR Articles 15 to 21): the kinds of request, how a
//! request arrived, where it stands, how it ended, why a deadline was extended, what was
//! decided on an objection and how an Article 19 notification ended.
//!
//! Each value has a stable snake_case key used in the database, the command line and JSON, and
//! a label for screens and letters. Pure types: no I/O, no SQL, no clock.

/// A key that is not one of a vocabulary's values.
pub type UnknownKey = super::kinds::UnknownName;

use super::kinds::vocabulary;

vocabulary!(
    /// The right a request exercises (one request may exercise several).
    RequestKind, "kind of request", {
        Access => "access", "Access (Article 15)";
        Rectification => "rectification", "Rectification (Article 16)";
        Erasure => "erasure", "Erasure (Article 17)";
        Restriction => "restriction", "Restriction (Article 18)";
        Objection => "objection", "Objection (Article 21)";
        Portability => "portability", "Portability (Article 20)";
    }
);

impl RequestKind {
    /// A short word for lists ("access", "erasure").
    pub fn short(self) -> &'static str {
        self.key()
    }

    /// Kinds stored as a comma-separated list of keys.
    pub fn join(kinds: &[RequestKind]) -> String {
        kinds.iter().map(|k| k.key()).collect::<Vec<_>>().join(",")
    }

    /// Reads a stored comma-separated list, skipping anything unknown.
    pub fn split(stored: &str) -> Vec<RequestKind> {
        stored.split(',').filter_map(|k| RequestKind::parse(k).ok()).collect()
    }
}

vocabulary!(
    /// How a request reached the charity.
    Channel, "channel", {
        Phone => "phone", "Phone";
        Email => "email", "Email";
        Letter => "letter", "Letter";
        InPerson => "in_person", "In person";
    }
);

vocabulary!(
    /// Where a request stands. The clock runs only while `Open`.
    RequestStatus, "request status", {
        Open => "open", "Open";
        AwaitingId => "awaiting_id", "Awaiting proof of identity";
        AwaitingClarification => "awaiting_clarification", "Awaiting clarification";
        AwaitingFee => "awaiting_fee", "Awaiting the fee";
        Closed => "closed", "Closed";
    }
);

vocabulary!(
    /// How a closed request ended.
    Outcome, "outcome", {
        Complied => "complied", "Complied";
        Partly => "partly", "Partly complied";
        Refused => "refused", "Refused";
    }
);

vocabulary!(
    /// Why the deadline was extended by two months (Article 12(3)).
    ExtensionReason, "extension reason", {
        Complexity => "complexity", "the request is complex";
        NumberOfRequests => "number_of_requests", "we have received a number of requests from you";
    }
);

vocabulary!(
    /// The decision on an objection to one purpose (Article 21).
    ObjectionDecision, "objection decision", {
        Stop => "stop", "Stop processing for this purpose";
        Continue => "continue", "Continue: compelling legitimate grounds";
    }
);

vocabulary!(
    /// How an Article 19 notification to a recipient ended.
    Article19Outcome, "Article 19 outcome", {
        Done => "done", "Recipient told";
        Impossible => "impossible", "Impossible to tell the recipient";
        Disproportionate => "disproportionate", "Telling the recipient would take disproportionate effort";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_storage() {
        let kinds = [RequestKind::Access, RequestKind::Erasure];
        assert_eq!(RequestKind::join(&kinds), "access,erasure");
        assert_eq!(RequestKind::split("access,erasure,nonsense"), kinds.to_vec());
        assert_eq!(Channel::parse("In person"), Ok(Channel::InPerson));
        assert!(Outcome::parse("maybe").is_err());
    }
}

vocabulary!(
    /// Why a request is refused, in whole or in part: the grounds the law allows for each
    /// right (see [`RefusalGround::applies_to`]). An objection to direct marketing can never
    /// be refused.
    RefusalGround, "refusal ground", {
        ManifestlyUnfounded => "manifestly_unfounded", "Manifestly unfounded (Article 12(5))";
        Excessive => "excessive", "Excessive, for example repetitive (Article 12(5))";
        LegalObligation => "legal_obligation", "We must keep it by law (Article 17(3)(b))";
        LegalClaims => "legal_claims", "Needed for legal claims (Article 17(3)(e), 21(1))";
        FreedomOfExpression => "freedom_of_expression", "Freedom of expression and information (Article 17(3)(a))";
        PublicInterest => "public_interest", "Public health, archiving or research in the public interest (Article 17(3)(c), (d))";
        DataAccurate => "data_accurate", "The data is accurate: investigated, with the evidence considered (Article 16)";
        CompellingGrounds => "compelling_grounds", "Compelling legitimate grounds that override their interests (Article 21(1))";
        ThirdPartyData => "third_party_data", "It would reveal another person, who has not agreed (DPA 2018 Sch 2 para 16)";
        Exemption => "exemption", "An exemption in DPA 2018 Schedules 2 to 4 (name it)";
    }
);

impl RefusalGround {
    /// Whether this ground can refuse a request exercising `kind`.
    pub fn applies_to(self, kind: RequestKind) -> bool {
        use RefusalGround::*;
        match self {
            ManifestlyUnfounded | Excessive => true,
            LegalObligation | FreedomOfExpression | PublicInterest => kind == RequestKind::Erasure,
            LegalClaims => matches!(kind, RequestKind::Erasure | RequestKind::Objection),
            DataAccurate => kind == RequestKind::Rectification,
            CompellingGrounds => kind == RequestKind::Objection,
            ThirdPartyData | Exemption => kind == RequestKind::Access,
        }
    }

    /// The grounds that can refuse a request exercising any of `kinds`.
    pub fn for_kinds(kinds: &[RequestKind]) -> Vec<RefusalGround> {
        Self::ALL
            .iter()
            .copied()
            .filter(|g| kinds.iter().any(|k| g.applies_to(*k)))
            .collect()
    }

    /// What the reasons must say, for the form and the refusal.
    pub fn asks_for(self) -> &'static str {
        use RefusalGround::*;
        match self {
            ManifestlyUnfounded => {
                "why the request is manifestly unfounded (for example, made only to cause disruption)"
            }
            Excessive => "why it is excessive (for example, repeating a request we have answered)",
            LegalObligation => "the law that obliges us to keep it",
            LegalClaims => "the claim, and why the data is needed for it",
            FreedomOfExpression => "what is published and why it outweighs erasure",
            PublicInterest => "the public-interest purpose and why erasure would seriously impair it",
            DataAccurate => "what was investigated, the evidence considered, and why we believe the data is accurate",
            CompellingGrounds => "the compelling legitimate grounds, and why they override the person's interests",
            ThirdPartyData => "whose data would be revealed (not by name in the letter) and that they have not agreed",
            Exemption => "which exemption (schedule and paragraph) and why it applies",
        }
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;

    #[test]
    fn each_right_has_its_own_grounds() {
        use RefusalGround::*;
        let cases: &[(RequestKind, &[RefusalGround])] = &[
            (
                RequestKind::Access,
                &[ManifestlyUnfounded, Excessive, ThirdPartyData, Exemption],
            ),
            (
                RequestKind::Rectification,
                &[ManifestlyUnfounded, Excessive, DataAccurate],
            ),
            (
                RequestKind::Erasure,
                &[
                    ManifestlyUnfounded,
                    Excessive,
                    LegalObligation,
                    LegalClaims,
                    FreedomOfExpression,
                    PublicInterest,
                ],
            ),
            (RequestKind::Restriction, &[ManifestlyUnfounded, Excessive]),
            (
                RequestKind::Objection,
                &[ManifestlyUnfounded, Excessive, LegalClaims, CompellingGrounds],
            ),
            (RequestKind::Portability, &[ManifestlyUnfounded, Excessive]),
        ];
        for (kind, want) in cases {
            assert_eq!(RefusalGround::for_kinds(&[*kind]), want.to_vec(), "{kind:?}");
        }
        // A request exercising two rights offers the grounds of either.
        let both = RefusalGround::for_kinds(&[RequestKind::Access, RequestKind::Rectification]);
        assert!(both.contains(&DataAccurate) && both.contains(&ThirdPartyData));
    }
}
