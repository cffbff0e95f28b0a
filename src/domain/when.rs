//! Reading "when" as a duty officer types it for a callback: "today 15:00", "tomorrow",
//! "tomorrow 9:30", "fri", "25/12/2026 10:00", "2026-12-25", or just "15:00" (today).
//! Pure: `now` is a parameter.

use super::validate::{self, InvalidInput};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// When no time is typed: 10:00 on a future day, or an hour from now today.
fn default_time(date: NaiveDate, now: NaiveDateTime) -> NaiveDateTime {
    if date == now.date() {
        now + Duration::hours(1)
    } else {
        date.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default())
    }
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.trim().to_ascii_lowercase();
    let (body, pm, am) = if let Some(b) = s.strip_suffix("pm") {
        (b.trim().to_string(), true, false)
    } else if let Some(b) = s.strip_suffix("am") {
        (b.trim().to_string(), false, true)
    } else {
        (s.clone(), false, false)
    };
    let (h, m) = match body.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None if am || pm => (body.parse::<u32>().ok()?, 0),
        None => return None,
    };
    let h = match (pm, am, h) {
        (true, _, 1..=11) => h + 12,
        (_, true, 12) => 0,
        _ => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

fn parse_day(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim().to_ascii_lowercase();
    match s.as_str() {
        "today" => return Some(today),
        "tomorrow" | "tmrw" => return today.succ_opt(),
        _ => {}
    }
    let weekday = match s.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    };
    let ahead = (7 + weekday.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    Some(today + Duration::days(ahead))
}

/// Reads a callback time. Refuses times in the past.
pub fn parse_when(input: &str, now: NaiveDateTime) -> Result<NaiveDateTime, InvalidInput> {
    let bad = || {
        InvalidInput::new(
            "when",
            "The time is not one dutydesk understands: type, for example, \"today 15:00\", \"tomorrow\", \"fri 10:30\" or \"25/12/2026 09:00\".".to_string(),
        )
    };
    let words: Vec<&str> = input.split_whitespace().collect();
    let at = match words.as_slice() {
        [] => return Err(bad()),
        [one] => {
            if let Some(t) = parse_time(one) {
                now.date().and_time(t)
            } else if let Some(d) = parse_day(one, now.date()) {
                default_time(d, now)
            } else {
                let d = validate::date(one).map_err(|_| bad())?;
                default_time(d, now)
            }
        }
        [day, time] => {
            let t = parse_time(time).ok_or_else(bad)?;
            let d = match parse_day(day, now.date()) {
                Some(d) => d,
                None => validate::date(day).map_err(|_| bad())?,
            };
            d.and_time(t)
        }
        _ => return Err(bad()),
    };
    if at < now {
        return Err(InvalidInput::new(
            "when",
            "That time has already passed: give a time later than now.".to_string(),
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        // Wednesday 25 November 2026, 09:00.
        NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn the_ways_people_say_when() {
        let cases = [
            ("today 15:00", at(25, 15, 0)),
            ("15:00", at(25, 15, 0)),
            ("3pm", at(25, 15, 0)),
            ("3.30pm", at(25, 15, 30)),
            ("today", at(25, 10, 0)),
            ("tomorrow", at(26, 10, 0)),
            ("Tomorrow 9:30", at(26, 9, 30)),
            ("fri", at(27, 10, 0)),
            (
                "wed 11:00",
                NaiveDate::from_ymd_opt(2026, 12, 2)
                    .unwrap()
                    .and_hms_opt(11, 0, 0)
                    .unwrap(),
            ),
            ("28/11/2026 14:15", at(28, 14, 15)),
            ("2026-11-30", at(30, 10, 0)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_when(input, now()).unwrap(), want, "{input}");
        }
    }

    #[test]
    fn nonsense_and_the_past_are_refused_with_a_sentence() {
        for input in [
            "",
            "soon",
            "25:00",
            "today 9:61",
            "yesterday",
            "8:00",
            "24/11/2026",
            "a b c",
        ] {
            let e = parse_when(input, now()).unwrap_err();
            assert!(e.message.ends_with('.'), "{input}: {}", e.message);
        }
    }
}
