//! Consent (UK GDPR Article 7): how it was given or withdrawn, and the follow-up a withdrawal
//! leaves behind. Recording it, with the exact wording, lives in the store.

use serde::{Deserialize, Serialize};

/// How a consent was given or withdrawn. Withdrawing accepts the same ways as giving, so it is
/// never harder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Said out loud on the phone, after the wording was read out.
    VerbalPhone,
    /// A signed form.
    WrittenForm,
    Email,
    InPerson,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 4] = [
        ConsentMethod::VerbalPhone,
        ConsentMethod::WrittenForm,
        ConsentMethod::Email,
        ConsentMethod::InPerson,
    ];

    /// The stable name stored in the case file.
    pub fn key(self) -> &'static str {
        match self {
            ConsentMethod::VerbalPhone => "verbal_phone",
            ConsentMethod::WrittenForm => "written_form",
            ConsentMethod::Email => "email",
            ConsentMethod::InPerson => "in_person",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            ConsentMethod::VerbalPhone => "Verbally, on the phone",
            ConsentMethod::WrittenForm => "Written form",
            ConsentMethod::Email => "Email",
            ConsentMethod::InPerson => "In person",
        }
    }

    /// Reads a stored name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
}

/// The follow-up task a withdrawal creates, from the consent purpose's label (e.g. "Photo on
/// our website or social media") and what was published under it.
pub fn withdrawal_followup(label: &str, published: &[String]) -> String {
    let mut text = format!(
        "Consent withdrawn for \"{label}\": remove it from everywhere it was used (website, social media, print) and stop using it."
    );
    if !published.is_empty() {
        text.push_str(" Published: ");
        text.push_str(&published.join("; "));
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_round_trip() {
        for m in ConsentMethod::ALL {
            assert_eq!(ConsentMethod::parse(m.key()), Some(m));
        }
        assert_eq!(ConsentMethod::parse("fax"), None);
    }

    #[test]
    fn the_followup_names_the_purpose_and_what_was_published() {
        let t = withdrawal_followup(
            "Photo on our website or social media",
            &["photo on the website (2026-11-25)".into()],
        );
        assert!(t.contains("Photo on our website or social media"), "{t}");
        assert!(t.contains("remove it"), "{t}");
        assert!(t.contains("photo on the website (2026-11-25)"), "{t}");
    }
}
