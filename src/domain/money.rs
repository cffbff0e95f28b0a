//! Money as the charity's records keep it: an amount typed in pounds read into pence, and
//! pence written back as "£1,250.50". Nothing here reads the clock or a file.

/// Reads an amount of money typed as pounds ("25", "£25", "12.50", "1,000") into pence.
/// Refuses anything else, zero, negative amounts and more than a million pounds, with a
/// sentence saying what to type.
pub fn pence(typed: &str) -> Result<i64, String> {
    let t: String = typed
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    if t.is_empty() {
        return Err("Type the amount given, in pounds: like 25 or 12.50.".into());
    }
    let bad = || {
        format!(
            "\"{}\" is not an amount: type pounds, like 25 or 12.50.",
            typed.trim().chars().take(20).collect::<String>()
        )
    };
    let (pounds, pennies) = match t.split_once('.') {
        Some((p, d)) if d.len() == 2 && d.chars().all(|c| c.is_ascii_digit()) => {
            (p, d.parse::<i64>().map_err(|_| bad())?)
        }
        Some((p, d)) if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) => {
            (p, d.parse::<i64>().map_err(|_| bad())? * 10)
        }
        Some(_) => return Err(bad()),
        None => (t.as_str(), 0),
    };
    if pounds.is_empty() || !pounds.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if pounds.trim_start_matches('0').len() > 7 {
        return Err("That is more than a million pounds: check the amount.".into());
    }
    let total = pounds.parse::<i64>().map_err(|_| bad())? * 100 + pennies;
    match total {
        0 => Err("A donation of nothing is not recorded: type the amount given.".into()),
        t if t > 100_000_000 => Err("That is more than a million pounds: check the amount.".into()),
        t => Ok(t),
    }
}

/// Pence as the charity writes money: "£25.00", "£1,250.50".
pub fn pounds(pence: i64) -> String {
    let whole = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("£{grouped}.{:02}", pence % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_pounds() {
        #[rustfmt::skip]
        let rows: &[(&str, Result<i64, &str>)] = &[
            ("25", Ok(2500)),
            ("£25", Ok(2500)),
            (" 12.50 ", Ok(1250)),
            ("12.5", Ok(1250)),
            ("1,000", Ok(100_000)),
            ("0.01", Ok(1)),
            ("0", Err("nothing")),
            ("0.00", Err("nothing")),
            ("-5", Err("not an amount")),
            ("12.345", Err("not an amount")),
            ("twelve", Err("not an amount")),
            ("", Err("Type the amount given")),
            ("1.", Err("not an amount")),
            (".50", Err("not an amount")),
            ("1000001", Err("more than a million")),
            ("99999999999999999999", Err("more than a million")),
            ("£", Err("Type the amount given")),
        ];
        for (typed, want) in rows {
            match (pence(typed), want) {
                (Ok(got), Ok(w)) => assert_eq!(got, *w, "{typed:?}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{typed:?}: {e}"),
                (got, want) => panic!("{typed:?}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn pounds_are_written_with_pence_and_thousands() {
        assert_eq!(pounds(2500), "£25.00");
        assert_eq!(pounds(1), "£0.01");
        assert_eq!(pounds(125_050), "£1,250.50");
        assert_eq!(pounds(100_000_000), "£1,000,000.00");
    }

    proptest::proptest! {
        #[test]
        fn what_is_written_reads_back(p in 1i64..=100_000_000) {
            proptest::prop_assert_eq!(pence(&pounds(p)), Ok(p));
        }
    }
}
