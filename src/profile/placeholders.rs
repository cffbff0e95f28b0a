//! A profile written for any scheme of its kind leaves the charity's own details as
//! placeholders (`{organisation}`, `{address}`, `{phone}`, `{email}`); `init` asks for them,
//! checks them with the same rules as the forms, and writes them into the profile before it
//! is stored, so every notice and letter carries the charity's own name.

use crate::domain::validate::{self, InvalidInput};

/// The placeholders a profile may hold, as written in it.
pub const PLACEHOLDERS: [&str; 4] = ["{organisation}", "{address}", "{phone}", "{email}"];

/// The charity's own details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

impl Organisation {
    /// Checks each detail as its form field would (a phone number, an email address, one line
    /// of address) and tidies it; the error names the field and says what to type.
    pub fn new(name: &str, address: &str, phone: &str, email: &str) -> Result<Organisation, InvalidInput> {
        Ok(Organisation {
            name: validate::text("organisation", name, 120)?,
            address: validate::text("address", address, validate::MAX_LINE)?,
            phone: validate::phone(phone)?,
            email: validate::email(email)?,
        })
    }

    fn value(&self, placeholder: &str) -> &str {
        match placeholder {
            "{organisation}" => &self.name,
            "{address}" => &self.address,
            "{phone}" => &self.phone,
            _ => &self.email,
        }
    }
}

/// The charity a built-in profile was written from, with its details as an example: the
/// demo, the tests and the README's example `init` use it. The Good Neighbours profile filled
/// with these is the Middleton Cheney scheme's own notice. The perinatal charity's notice
/// gives only an email address, so its example's address and phone are made up (the phone in
/// Ofcom's range kept for drama, 01632 960xxx).
pub fn example(profile_id: &str) -> Option<Organisation> {
    let (name, address, phone, email) = match profile_id {
        "good-neighbours" => (
            "Middleton Cheney Good Neighbours Scheme",
            "41 Stanwell Lea, Middleton Cheney, Banbury, OX17 2RF",
            "07818 475982",
            "dpo@mcgns.org.uk",
        ),
        "perinatal-peer-support" => (
            "Juno Perinatal Mental Health Support",
            "1 Example Street, Banbury, OX16 5AA",
            "01632 960123",
            "juno.enquiries@gmail.com",
        ),
        _ => return None,
    };
    Organisation::new(name, address, phone, email).ok()
}

/// The placeholders `text` still holds, in [`PLACEHOLDERS`] order.
pub fn placeholders_in(text: &str) -> Vec<&'static str> {
    PLACEHOLDERS.into_iter().filter(|p| text.contains(p)).collect()
}

/// `text` (a profile) with every placeholder replaced by the organisation's detail. The
/// placeholders sit inside TOML strings, so each value is escaped as a TOML basic string's
/// content: the result parses to the same profile with the details in place.
pub fn fill(text: &str, org: &Organisation) -> String {
    // One pass, so a detail that itself holds "{email}" is never filled again.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match PLACEHOLDERS.into_iter().find(|p| tail.starts_with(p)) {
            Some(p) => {
                for c in org.value(p).chars() {
                    if c == '\\' || c == '"' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                rest = &tail[p.len()..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Organisation {
        Organisation::new(
            "Kings \"Sutton\" \\ Good Neighbours",
            "1 High Street, Kings Sutton, OX17 3RQ",
            "01295 000000",
            "help@example.org",
        )
        .unwrap()
    }

    #[test]
    fn filling_leaves_no_placeholder_and_keeps_quotes_and_backslashes() {
        let text = "[controller]\nname = \"{organisation}\"\nsays = \"\"\"Write to {address}.\"\"\"\n";
        let filled = fill(text, &org());
        assert!(placeholders_in(&filled).is_empty());
        let v: toml::Value = toml::from_str(&filled).unwrap();
        assert_eq!(
            v["controller"]["name"].as_str(),
            Some("Kings \"Sutton\" \\ Good Neighbours")
        );
        assert_eq!(
            v["controller"]["says"].as_str(),
            Some("Write to 1 High Street, Kings Sutton, OX17 3RQ.")
        );
    }

    #[test]
    fn a_detail_holding_a_placeholder_is_not_filled_again() {
        let mut o = org();
        o.name = "The {email} Group".into();
        let filled = fill("a = \"{organisation} / {email}\"", &o);
        assert_eq!(filled, "a = \"The {email} Group / help@example.org\"");
    }

    #[test]
    fn details_are_checked_like_the_forms() {
        let bad = [
            ("", "1 High St", "01295 000000", "a@example.org", "organisation"),
            ("X", "", "01295 000000", "a@example.org", "address"),
            ("X", "1 High St", "phone me", "a@example.org", "phone"),
            ("X", "1 High St", "01295 000000", "not an email", "email"),
        ];
        for (name, address, phone, email, field) in bad {
            let err = Organisation::new(name, address, phone, email).unwrap_err();
            assert_eq!(err.field, field, "{err}");
        }
        assert_eq!(org().phone, "01295 000000");
    }

    #[test]
    fn every_built_in_profile_has_a_valid_example_that_fills_it() {
        for id in crate::profile::builtin_ids() {
            let org = example(id).unwrap_or_else(|| panic!("{id} has no example"));
            let text = crate::profile::builtin(id).unwrap();
            assert!(!placeholders_in(text).is_empty(), "{id} is a template");
            let filled = fill(text, &org);
            assert!(placeholders_in(&filled).is_empty());
            let p = crate::profile::parse(&filled).unwrap();
            assert_eq!(p.controller.name, org.name);
            assert_eq!(p.controller.email, org.email);
        }
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(
            placeholders_in("{email} then {organisation}"),
            vec!["{organisation}", "{email}"]
        );
        assert!(placeholders_in("no braces here").is_empty());
    }
}
