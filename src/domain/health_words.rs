//! Telling when free text looks like health details: a contact-log note that mentions a
//! wheelchair or a diagnosis belongs in the health notes (special category data, Article 9),
//! which only the roles the profile names may see, not in the contact log every role reads.
//! A hint only: the user decides where the note goes.

/// Words that usually mean health details, matched at the start of a word, ignoring case.
/// The profile's `[special_category] words` add to them.
pub const HEALTH_WORDS: &[&str] = &[
    "wheelchair",
    "walking frame",
    "zimmer",
    "diagnos",
    "medication",
    "medicine",
    "prescription",
    "dementia",
    "alzheimer",
    "stroke",
    "cancer",
    "diabet",
    "disabilit",
    "epilep",
    "mental health",
    "depress",
    "anxiety",
    "hearing aid",
    "catheter",
    "oxygen",
    "chemo",
    "pregnan",
    "miscarriage",
    "postnatal",
    "post-natal",
    "perinatal",
];

/// The first health word in `text` (from [`HEALTH_WORDS`] and `extra`), as written in the
/// list, if any; a word matches only at the start of a word of the text ("diagnosis" in
/// "diagnosis", not in "undiagnosable" read as "un..."; "stroke" not in "keystroke").
pub fn health_word<'a>(text: &str, extra: &'a [String]) -> Option<&'a str>
where
    'static: 'a,
{
    let lower = text.to_lowercase();
    let starts: Vec<usize> = lower
        .char_indices()
        .filter(|(i, c)| {
            c.is_alphanumeric() && (*i == 0 || !lower[..*i].chars().next_back().is_some_and(char::is_alphanumeric))
        })
        .map(|(i, _)| i)
        .collect();
    let words = HEALTH_WORDS.iter().copied().chain(extra.iter().map(String::as_str));
    for w in words {
        let w_lower = w.to_lowercase();
        if w_lower.is_empty() {
            continue;
        }
        if starts.iter().any(|&i| lower[i..].starts_with(&w_lower)) {
            return Some(w);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_words_are_found_at_word_starts_only() {
        let none: [String; 0] = [];
        let cases: &[(&str, Option<&str>)] = &[
            ("Needs a wheelchair to get to the car", Some("wheelchair")),
            ("New DIAGNOSIS from the GP", Some("diagnos")),
            ("Diabetic: bring a snack", Some("diabet")),
            ("Uses a walking frame", Some("walking frame")),
            ("Asked about Friday's lift", None),
            ("Pressed the wrong keystroke on the phone", None),
            ("", None),
            ("Her mental health has been poor", Some("mental health")),
        ];
        for (text, want) in cases {
            assert_eq!(health_word(text, &none), *want, "{text}");
        }
    }

    #[test]
    fn the_profile_adds_words() {
        let extra = vec!["baby blues".to_string()];
        assert_eq!(health_word("Talked about the baby blues", &extra), Some("baby blues"));
    }
}
