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
