//! The deadline for a rights request, worked out the way the ICO says.
//!
//! - Day one is the day the request arrives, or the day the ID or fee asked for arrives,
//!   whichever is latest, working day or not.
//! - The deadline is the corresponding date next month; when that month has no such date, its
//!   last day; when that is a weekend or bank holiday (in the organisation's region), the next
//!   working day.
//! - An extension runs three months from the same day one, computed in one step (never "due
//!   date plus two months", never three chained one-month steps, which clamp), and the person
//!   must be told within the first month, so the notice is due by the unextended deadline.
//! - While the organisation waits for clarification of an access request the clock stops:
//!   the days from asking to receiving, both inclusive, do not count.
//!
//! Nothing here reads the clock: every date is a parameter.

use crate::domain::calendar::HolidayCalendar;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A pause for clarification: the day it was asked for and the day it arrived, both of which
/// do not count. `received: None` means the organisation is still waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub asked: NaiveDate,
    pub received: Option<NaiveDate>,
}

/// The dates that set a rights request's clock.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequestClock {
    /// The day the request arrived.
    pub received: NaiveDate,
    /// The day proof of identity arrived, if it was asked for.
    pub id_received: Option<NaiveDate>,
    /// The day the fee arrived, if one was asked for.
    pub fee_received: Option<NaiveDate>,
    /// Pauses for clarification, in any order.
    pub pauses: Vec<Pause>,
}

/// What made day one the day it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartEvent {
    Request,
    Id,
    Fee,
}

impl StartEvent {
    fn phrase(self) -> &'static str {
        match self {
            StartEvent::Request => "the request",
            StartEvent::Id => "the proof of identity",
            StartEvent::Fee => "the fee",
        }
    }
}

/// Dates that make no sense together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error(
        "Clarification was asked for on {asked}, before the request arrived on {received}; \
         check both dates."
    )]
    PauseBeforeRequest { asked: NaiveDate, received: NaiveDate },
    #[error(
        "Clarification asked for on {asked} cannot have arrived earlier, on {received}; \
         check both dates."
    )]
    PauseEndsBeforeAsked { asked: NaiveDate, received: NaiveDate },
    #[error("The dates are too far in the future to work out a deadline.")]
    OutOfRange,
}

/// A worked-out deadline, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Day one.
    pub start: NaiveDate,
    /// The events that fell on day one (the latest of request, ID and fee).
    pub started_by: Vec<StartEvent>,
    /// One month (three when extended) from day one, clamped to the month's end.
    pub calendar_due: NaiveDate,
    /// Whether `calendar_due` was clamped because the month has no corresponding date.
    pub clamped: bool,
    /// `calendar_due` plus the paused days, before moving off weekends and holidays.
    /// `None` while the clock is paused.
    pub unrolled_due: Option<NaiveDate>,
    /// The deadline: a working day. `None` while the clock is paused.
    pub due: Option<NaiveDate>,
    /// The days that did not count because clarification was awaited.
    pub paused_days: u32,
    /// Set while clarification asked for on this day is still awaited.
    pub paused_since: Option<NaiveDate>,
    /// Pauses asked for after the deadline had already passed, which do not stop the clock.
    pub ignored_pauses: Vec<Pause>,
    /// The non-working days the deadline moved past, with why ("Saturday", "Sunday" or the
    /// holiday's name).
    pub rolled_over: Vec<(NaiveDate, String)>,
    /// The day by which the person must be told of an extension: the unextended deadline.
    pub extension_notice_by: Option<NaiveDate>,
    /// Whether this is the extended (three-month) deadline.
    pub extended: bool,
}

/// The number of calendar days from `today` to `due`: 0 on the day, negative when overdue.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// Works out the deadline for `clock` in `cal`'s region, extended to three months or not.
pub fn compute(clock: &RequestClock, cal: &HolidayCalendar, extended: bool) -> Result<Deadline, DeadlineError> {
    for p in &clock.pauses {
        if p.asked < clock.received {
            return Err(DeadlineError::PauseBeforeRequest {
                asked: p.asked,
                received: clock.received,
            });
        }
        if let Some(r) = p.received {
            if r < p.asked {
                return Err(DeadlineError::PauseEndsBeforeAsked {
                    asked: p.asked,
                    received: r,
                });
            }
        }
    }

    let start = [Some(clock.received), clock.id_received, clock.fee_received]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(clock.received);
    let mut started_by = Vec::new();
    for (event, date) in [
        (StartEvent::Request, Some(clock.received)),
        (StartEvent::Id, clock.id_received),
        (StartEvent::Fee, clock.fee_received),
    ] {
        if date == Some(start) {
            started_by.push(event);
        }
    }

    let one_month = run_clock(clock, cal, start, 1)?;
    let this = if extended {
        run_clock(clock, cal, start, 3)?
    } else {
        one_month.clone()
    };

    Ok(Deadline {
        start,
        started_by,
        calendar_due: this.calendar_due,
        clamped: this.calendar_due.day() != start.day(),
        unrolled_due: this.unrolled_due,
        due: this.due,
        paused_days: this.paused_days,
        paused_since: this.paused_since,
        ignored_pauses: this.ignored_pauses,
        rolled_over: this.rolled_over,
        extension_notice_by: one_month.due,
        extended,
    })
}

#[derive(Clone)]
struct Run {
    calendar_due: NaiveDate,
    unrolled_due: Option<NaiveDate>,
    due: Option<NaiveDate>,
    paused_days: u32,
    paused_since: Option<NaiveDate>,
    ignored_pauses: Vec<Pause>,
    rolled_over: Vec<(NaiveDate, String)>,
}

/// Moves `d` forward past weekends and holidays, noting each day passed and why.
fn roll(cal: &HolidayCalendar, d: NaiveDate) -> Result<(NaiveDate, Vec<(NaiveDate, String)>), DeadlineError> {
    let mut day = d;
    let mut passed = Vec::new();
    while let Some(why) = cal.non_working_reason(day) {
        passed.push((day, why));
        day = day.succ_opt().ok_or(DeadlineError::OutOfRange)?;
    }
    Ok((day, passed))
}

fn run_clock(clock: &RequestClock, cal: &HolidayCalendar, start: NaiveDate, months: u32) -> Result<Run, DeadlineError> {
    let calendar_due = start
        .checked_add_months(Months::new(months))
        .ok_or(DeadlineError::OutOfRange)?;

    let mut pauses = clock.pauses.clone();
    pauses.sort_by_key(|p| (p.asked, p.received));

    let mut unrolled = calendar_due;
    let mut paused_days: u32 = 0;
    let mut ignored_pauses = Vec::new();
    // The last day already counted as paused, so overlapping pauses count once.
    let mut counted_until: Option<NaiveDate> = None;
    for p in pauses {
        let (running_due, _) = roll(cal, unrolled)?;
        if p.asked > running_due {
            // The deadline had already passed: asking now cannot stop a clock that ran out.
            ignored_pauses.push(p);
            continue;
        }
        let Some(received) = p.received else {
            return Ok(Run {
                calendar_due,
                unrolled_due: None,
                due: None,
                paused_days,
                paused_since: Some(p.asked),
                ignored_pauses,
                rolled_over: Vec::new(),
            });
        };
        // Only days from day one on can be paused: before it the clock was not running.
        let mut from = p.asked.max(start);
        if let Some(c) = counted_until {
            if let Some(after) = c.succ_opt() {
                from = from.max(after);
            }
        }
        if received >= from {
            let days = (received - from).num_days() + 1;
            let days = u32::try_from(days).map_err(|_| DeadlineError::OutOfRange)?;
            paused_days = paused_days.checked_add(days).ok_or(DeadlineError::OutOfRange)?;
            unrolled = unrolled
                .checked_add_days(Days::new(u64::from(days)))
                .ok_or(DeadlineError::OutOfRange)?;
        }
        counted_until = Some(counted_until.map_or(received, |c| c.max(received)));
    }

    let (due, rolled_over) = roll(cal, unrolled)?;
    Ok(Run {
        calendar_due,
        unrolled_due: Some(unrolled),
        due: Some(due),
        paused_days,
        paused_since: None,
        ignored_pauses,
        rolled_over,
    })
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}, and {}", init.join(", "), last),
    }
}

fn plural_days(n: u32) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

impl Deadline {
    /// A short status: "due 2026-04-07" or "paused awaiting clarification since 2026-03-10".
    pub fn status(&self) -> String {
        match (self.due, self.paused_since) {
            (Some(due), _) => format!("due {due}"),
            (None, Some(since)) => format!("paused awaiting clarification since {since}"),
            (None, None) => "no deadline".to_string(),
        }
    }

    /// One to three plain sentences saying how the deadline was worked out.
    pub fn explain(&self) -> Vec<String> {
        let mut lines = Vec::new();

        let events: Vec<String> = self.started_by.iter().map(|e| e.phrase().to_string()).collect();
        let what = if events.is_empty() {
            "the request".to_string()
        } else {
            join_and(&events).replace(", and", " and")
        };
        lines.push(format!("Day one is {} ({what} arrived).", self.start));

        let mut second = if self.extended {
            format!("Extended, the deadline is three months on: {}", self.calendar_due)
        } else {
            format!("One month on is {}", self.calendar_due)
        };
        if self.clamped {
            second.push_str(&format!(
                ", the last day of {}, which has no {}",
                self.calendar_due.format("%B"),
                ordinal(self.start.day())
            ));
        }
        second.push('.');
        if self.paused_days > 0 {
            match self.unrolled_due {
                Some(u) => second.push_str(&format!(
                    " Waiting for clarification stopped the clock for {}, which makes it {u}.",
                    plural_days(self.paused_days)
                )),
                None => second.push_str(&format!(
                    " Waiting for clarification has already stopped the clock for {}.",
                    plural_days(self.paused_days)
                )),
            }
        }
        for p in &self.ignored_pauses {
            second.push_str(&format!(
                " Clarification asked for on {} came after the deadline, so it does not stop \
                 the clock.",
                p.asked
            ));
        }
        lines.push(second);

        let mut third = match (self.due, self.paused_since) {
            (None, Some(since)) => format!(
                "The clock is paused awaiting the clarification asked for on {since}: there is \
                 no deadline until it arrives."
            ),
            (Some(due), _) if !self.rolled_over.is_empty() => {
                let passed: Vec<String> = self
                    .rolled_over
                    .iter()
                    .map(|(d, why)| match why.as_str() {
                        "Saturday" | "Sunday" => format!("{d} is a {why}"),
                        _ => format!("{d} is {why}"),
                    })
                    .collect();
                format!("{}, so the deadline moves to {due}.", join_and(&passed))
            }
            (Some(due), _) => format!("The deadline is {due}, a working day."),
            (None, None) => "There is no deadline.".to_string(),
        };
        if self.extended {
            if let Some(by) = self.extension_notice_by {
                third.push_str(&format!(
                    " The person must be told of the extension, with reasons, by {by}."
                ));
            }
        }
        lines.push(third);
        lines
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::Region;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn od(s: &str) -> Option<NaiveDate> {
        if s.is_empty() {
            None
        } else {
            Some(d(s))
        }
    }

    struct Row {
        what: &'static str,
        region: Region,
        received: &'static str,
        id: &'static str,
        fee: &'static str,
        pauses: &'static [(&'static str, &'static str)],
        extended: bool,
        start: &'static str,
        due: &'static str,
        paused_days: u32,
    }

    const EW: Region = Region::EnglandAndWales;
    const SC: Region = Region::Scotland;
    const NI: Region = Region::NorthernIreland;

    #[rustfmt::skip]
    const TABLE: &[Row] = &[
        Row { what: "plain, Sunday then Easter Monday", region: EW, received: "2026-03-05", id: "", fee: "", pauses: &[], extended: false, start: "2026-03-05", due: "2026-04-07", paused_days: 0 },
        Row { what: "same in Scotland: no Easter Monday", region: SC, received: "2026-03-05", id: "", fee: "", pauses: &[], extended: false, start: "2026-03-05", due: "2026-04-06", paused_days: 0 },
        Row { what: "31 Jan clamps to 28 Feb, a Saturday", region: EW, received: "2026-01-31", id: "", fee: "", pauses: &[], extended: false, start: "2026-01-31", due: "2026-03-02", paused_days: 0 },
        Row { what: "leap year: 30 Jan to 29 Feb", region: EW, received: "2024-01-30", id: "", fee: "", pauses: &[], extended: false, start: "2024-01-30", due: "2024-02-29", paused_days: 0 },
        Row { what: "leap year: 31 Jan to 29 Feb", region: EW, received: "2024-01-31", id: "", fee: "", pauses: &[], extended: false, start: "2024-01-31", due: "2024-02-29", paused_days: 0 },
        Row { what: "non-leap: 29 Jan to 28 Feb (Tue)", region: EW, received: "2023-01-29", id: "", fee: "", pauses: &[], extended: false, start: "2023-01-29", due: "2023-02-28", paused_days: 0 },
        Row { what: "31 Mar to 30 Apr", region: EW, received: "2026-03-31", id: "", fee: "", pauses: &[], extended: false, start: "2026-03-31", due: "2026-04-30", paused_days: 0 },
        Row { what: "31 May to 30 Jun", region: EW, received: "2026-05-31", id: "", fee: "", pauses: &[], extended: false, start: "2026-05-31", due: "2026-06-30", paused_days: 0 },
        Row { what: "day one on Christmas Day counts", region: EW, received: "2026-12-25", id: "", fee: "", pauses: &[], extended: false, start: "2026-12-25", due: "2027-01-25", paused_days: 0 },
        Row { what: "day one on a Saturday counts", region: EW, received: "2026-03-07", id: "", fee: "", pauses: &[], extended: false, start: "2026-03-07", due: "2026-04-07", paused_days: 0 },
        Row { what: "Christmas Friday: past Sat, Sun, Boxing substitute", region: EW, received: "2026-11-25", id: "", fee: "", pauses: &[], extended: false, start: "2026-11-25", due: "2026-12-29", paused_days: 0 },
        Row { what: "Boxing Day substitute Monday", region: EW, received: "2026-11-28", id: "", fee: "", pauses: &[], extended: false, start: "2026-11-28", due: "2026-12-29", paused_days: 0 },
        Row { what: "New Year Friday, E&W", region: EW, received: "2026-12-01", id: "", fee: "", pauses: &[], extended: false, start: "2026-12-01", due: "2027-01-04", paused_days: 0 },
        Row { what: "New Year Friday, Scotland adds 2nd January substitute", region: SC, received: "2026-12-01", id: "", fee: "", pauses: &[], extended: false, start: "2026-12-01", due: "2027-01-05", paused_days: 0 },
        Row { what: "3 Aug 2026 is a holiday in Scotland only (E&W)", region: EW, received: "2026-07-03", id: "", fee: "", pauses: &[], extended: false, start: "2026-07-03", due: "2026-08-03", paused_days: 0 },
        Row { what: "3 Aug 2026 is a holiday in Scotland only (Scotland)", region: SC, received: "2026-07-03", id: "", fee: "", pauses: &[], extended: false, start: "2026-07-03", due: "2026-08-04", paused_days: 0 },
        Row { what: "31 Aug 2026 is a holiday outside Scotland (E&W)", region: EW, received: "2026-07-31", id: "", fee: "", pauses: &[], extended: false, start: "2026-07-31", due: "2026-09-01", paused_days: 0 },
        Row { what: "31 Aug 2026 is a holiday outside Scotland (Scotland)", region: SC, received: "2026-07-31", id: "", fee: "", pauses: &[], extended: false, start: "2026-07-31", due: "2026-08-31", paused_days: 0 },
        Row { what: "Boyne substitute in Northern Ireland", region: NI, received: "2026-06-12", id: "", fee: "", pauses: &[], extended: false, start: "2026-06-12", due: "2026-07-14", paused_days: 0 },
        Row { what: "no Boyne holiday in E&W", region: EW, received: "2026-06-12", id: "", fee: "", pauses: &[], extended: false, start: "2026-06-12", due: "2026-07-13", paused_days: 0 },
        Row { what: "Easter 2027: Easter Sunday then Monday", region: EW, received: "2027-02-28", id: "", fee: "", pauses: &[], extended: false, start: "2027-02-28", due: "2027-03-30", paused_days: 0 },
        Row { what: "coronation day 2023", region: EW, received: "2023-04-08", id: "", fee: "", pauses: &[], extended: false, start: "2023-04-08", due: "2023-05-09", paused_days: 0 },
        Row { what: "rule year 2032: Christmas Saturday, both substitutes", region: EW, received: "2032-11-25", id: "", fee: "", pauses: &[], extended: false, start: "2032-11-25", due: "2032-12-29", paused_days: 0 },
        Row { what: "ID later than the request starts the clock", region: EW, received: "2026-03-01", id: "2026-03-05", fee: "", pauses: &[], extended: false, start: "2026-03-05", due: "2026-04-07", paused_days: 0 },
        Row { what: "ID before the request: the request starts it", region: EW, received: "2026-03-05", id: "2026-03-01", fee: "", pauses: &[], extended: false, start: "2026-03-05", due: "2026-04-07", paused_days: 0 },
        Row { what: "fee latest of the three", region: EW, received: "2026-03-01", id: "2026-03-03", fee: "2026-03-10", pauses: &[], extended: false, start: "2026-03-10", due: "2026-04-10", paused_days: 0 },
        Row { what: "pause of 3 days, both inclusive, into Easter", region: EW, received: "2026-03-02", id: "", fee: "", pauses: &[("2026-03-10", "2026-03-12")], extended: false, start: "2026-03-02", due: "2026-04-07", paused_days: 3 },
        Row { what: "pause asked and answered the same day is 1 day", region: EW, received: "2026-03-02", id: "", fee: "", pauses: &[("2026-03-10", "2026-03-10")], extended: false, start: "2026-03-02", due: "2026-04-07", paused_days: 1 },
        Row { what: "two pauses add up", region: EW, received: "2026-04-01", id: "", fee: "", pauses: &[("2026-04-06", "2026-04-08"), ("2026-04-13", "2026-04-14")], extended: false, start: "2026-04-01", due: "2026-05-06", paused_days: 5 },
        Row { what: "overlapping pauses count each day once", region: EW, received: "2026-04-01", id: "", fee: "", pauses: &[("2026-04-06", "2026-04-10"), ("2026-04-08", "2026-04-13")], extended: false, start: "2026-04-01", due: "2026-05-11", paused_days: 8 },
        Row { what: "pause wholly before day one does not count", region: EW, received: "2026-03-01", id: "2026-03-05", fee: "", pauses: &[("2026-03-02", "2026-03-04")], extended: false, start: "2026-03-05", due: "2026-04-07", paused_days: 0 },
        Row { what: "pause straddling day one counts from day one", region: EW, received: "2026-03-01", id: "2026-03-05", fee: "", pauses: &[("2026-03-03", "2026-03-08")], extended: false, start: "2026-03-05", due: "2026-04-09", paused_days: 4 },
        Row { what: "pause asked on the deadline itself still counts", region: EW, received: "2026-03-02", id: "", fee: "", pauses: &[("2026-04-02", "2026-04-02")], extended: false, start: "2026-03-02", due: "2026-04-07", paused_days: 1 },
        Row { what: "pause asked after the deadline is ignored", region: EW, received: "2026-03-02", id: "", fee: "", pauses: &[("2026-04-10", "2026-04-12")], extended: false, start: "2026-03-02", due: "2026-04-02", paused_days: 0 },
        Row { what: "extension from 31 Jan is 30 Apr", region: EW, received: "2026-01-31", id: "", fee: "", pauses: &[], extended: true, start: "2026-01-31", due: "2026-04-30", paused_days: 0 },
        Row { what: "extension from 5 Mar", region: EW, received: "2026-03-05", id: "", fee: "", pauses: &[], extended: true, start: "2026-03-05", due: "2026-06-05", paused_days: 0 },
        Row { what: "extension from 30 Nov clamps to 28 Feb, a Saturday", region: EW, received: "2025-11-30", id: "", fee: "", pauses: &[], extended: true, start: "2025-11-30", due: "2026-03-02", paused_days: 0 },
        Row { what: "extension into a leap February", region: EW, received: "2023-11-30", id: "", fee: "", pauses: &[], extended: true, start: "2023-11-30", due: "2024-02-29", paused_days: 0 },
        Row { what: "extension landing on the spring bank holiday", region: EW, received: "2026-02-25", id: "", fee: "", pauses: &[], extended: true, start: "2026-02-25", due: "2026-05-26", paused_days: 0 },
        Row { what: "extension plus a pause", region: EW, received: "2026-03-05", id: "", fee: "", pauses: &[("2026-03-10", "2026-03-12")], extended: true, start: "2026-03-05", due: "2026-06-08", paused_days: 3 },
    ];

    #[test]
    fn table() {
        assert!(TABLE.len() >= 25);
        for row in TABLE {
            let cal = HolidayCalendar::new(row.region);
            let clock = RequestClock {
                received: d(row.received),
                id_received: od(row.id),
                fee_received: od(row.fee),
                pauses: row
                    .pauses
                    .iter()
                    .map(|(a, r)| Pause {
                        asked: d(a),
                        received: od(r),
                    })
                    .collect(),
            };
            let got = compute(&clock, &cal, row.extended).unwrap();
            assert_eq!(got.start, d(row.start), "{}", row.what);
            assert_eq!(got.due, Some(d(row.due)), "{}", row.what);
            assert_eq!(got.paused_days, row.paused_days, "{}", row.what);
            assert_eq!(got.extended, row.extended, "{}", row.what);
            let due = d(row.due);
            assert!(cal.is_working_day(due), "{}", row.what);
            let lines = got.explain();
            assert!((1..=3).contains(&lines.len()), "{}", row.what);
            assert!(
                lines.iter().any(|l| l.contains(&row.due.to_string())),
                "{}: {lines:?}",
                row.what
            );
        }
    }

    #[test]
    fn the_extension_is_three_months_in_one_step_not_chained() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let clock = RequestClock {
            received: d("2026-01-31"),
            ..Default::default()
        };
        let ext = compute(&clock, &cal, true).unwrap();
        // Chained +1 months would give 28 Feb -> 28 Mar -> 28 Apr.
        assert_eq!(ext.calendar_due, d("2026-04-30"));
        assert_eq!(ext.due, Some(d("2026-04-30")));
        // The notice of extension is due within the first month.
        assert_eq!(ext.extension_notice_by, Some(d("2026-03-02")));
        let plain = compute(&clock, &cal, false).unwrap();
        assert_eq!(plain.extension_notice_by, plain.due);
    }

    #[test]
    fn explain_easter_example() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let clock = RequestClock {
            received: d("2026-03-05"),
            ..Default::default()
        };
        let got = compute(&clock, &cal, false).unwrap();
        assert_eq!(got.unrolled_due, Some(d("2026-04-05")));
        assert_eq!(
            got.rolled_over,
            vec![
                (d("2026-04-05"), "Sunday".to_string()),
                (d("2026-04-06"), "Easter Monday".to_string())
            ]
        );
        assert_eq!(
            got.explain(),
            vec![
                "Day one is 2026-03-05 (the request arrived).".to_string(),
                "One month on is 2026-04-05.".to_string(),
                "2026-04-05 is a Sunday, and 2026-04-06 is Easter Monday, so the deadline moves \
                 to 2026-04-07."
                    .to_string(),
            ]
        );
        assert_eq!(got.status(), "due 2026-04-07");
    }

    #[test]
    fn explain_clamping_pauses_and_extension() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let clock = RequestClock {
            received: d("2026-01-20"),
            id_received: Some(d("2026-01-31")),
            fee_received: Some(d("2026-01-31")),
            pauses: vec![Pause {
                asked: d("2026-02-02"),
                received: Some(d("2026-02-03")),
            }],
        };
        let got = compute(&clock, &cal, false).unwrap();
        let lines = got.explain();
        assert_eq!(
            lines[0],
            "Day one is 2026-01-31 (the proof of identity and the fee arrived)."
        );
        assert_eq!(
            lines[1],
            "One month on is 2026-02-28, the last day of February, which has no 31st. Waiting \
             for clarification stopped the clock for 2 days, which makes it 2026-03-02."
        );
        assert_eq!(lines[2], "The deadline is 2026-03-02, a working day.");

        let ext = compute(&clock, &cal, true).unwrap();
        let lines = ext.explain();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with(
            "Extended, the deadline is three months on: 2026-04-30, the last day of April, which has no 31st."
        ));
        assert!(lines[2].ends_with("The person must be told of the extension, with reasons, by 2026-03-02."));
        assert_eq!(ext.due, Some(d("2026-05-05"))); // 30 Apr + 2 = 2 May (Sat), 4 May holiday
    }

    #[test]
    fn open_pause_stops_the_clock() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let clock = RequestClock {
            received: d("2026-03-02"),
            id_received: None,
            fee_received: None,
            pauses: vec![
                Pause {
                    asked: d("2026-03-04"),
                    received: Some(d("2026-03-05")),
                },
                Pause {
                    asked: d("2026-03-10"),
                    received: None,
                },
            ],
        };
        let got = compute(&clock, &cal, false).unwrap();
        assert_eq!(got.due, None);
        assert_eq!(got.unrolled_due, None);
        assert_eq!(got.paused_since, Some(d("2026-03-10")));
        assert_eq!(got.paused_days, 2);
        assert_eq!(got.extension_notice_by, None);
        assert_eq!(got.status(), "paused awaiting clarification since 2026-03-10");
        let lines = got.explain();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].contains("paused"), "{lines:?}");
    }

    #[test]
    fn ignored_pause_is_explained() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let clock = RequestClock {
            received: d("2026-03-02"),
            pauses: vec![Pause {
                asked: d("2026-04-10"),
                received: None,
            }],
            ..Default::default()
        };
        let got = compute(&clock, &cal, false).unwrap();
        assert_eq!(got.due, Some(d("2026-04-02")));
        assert_eq!(got.ignored_pauses.len(), 1);
        assert!(got.explain()[1].contains("does not stop the clock"));
    }

    #[test]
    fn errors_are_sentences() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let before = RequestClock {
            received: d("2026-03-05"),
            pauses: vec![Pause {
                asked: d("2026-03-04"),
                received: Some(d("2026-03-06")),
            }],
            ..Default::default()
        };
        let err = compute(&before, &cal, false).unwrap_err();
        assert_eq!(
            err,
            DeadlineError::PauseBeforeRequest {
                asked: d("2026-03-04"),
                received: d("2026-03-05")
            }
        );
        assert_eq!(
            err.to_string(),
            "Clarification was asked for on 2026-03-04, before the request arrived on \
             2026-03-05; check both dates."
        );
        let backwards = RequestClock {
            received: d("2026-03-05"),
            pauses: vec![Pause {
                asked: d("2026-03-08"),
                received: Some(d("2026-03-07")),
            }],
            ..Default::default()
        };
        let err = compute(&backwards, &cal, false).unwrap_err();
        assert!(matches!(err, DeadlineError::PauseEndsBeforeAsked { .. }));
        assert!(err.to_string().ends_with("check both dates."));
        let far = RequestClock {
            received: NaiveDate::MAX,
            ..Default::default()
        };
        assert_eq!(compute(&far, &cal, false).unwrap_err(), DeadlineError::OutOfRange);
    }

    #[test]
    fn days_left_counts_calendar_days() {
        assert_eq!(days_left(d("2026-04-07"), d("2026-04-07")), 0);
        assert_eq!(days_left(d("2026-04-07"), d("2026-04-01")), 6);
        assert_eq!(days_left(d("2026-04-07"), d("2026-04-10")), -3);
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 29, 30, 31]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "29th", "30th", "31st"]
        );
    }

    fn arb_date() -> impl Strategy<Value = NaiveDate> {
        // 2010-01-01 .. about 2045: spans data years and rule years either side.
        (0i64..13_000).prop_map(|n| d("2010-01-01") + chrono::Duration::days(n))
    }

    fn arb_clock() -> impl Strategy<Value = RequestClock> {
        (
            arb_date(),
            proptest::option::of(-20i64..40),
            proptest::option::of(-20i64..40),
            proptest::collection::vec((0i64..120, 0i64..30), 0..4),
        )
            .prop_map(|(received, id, fee, pauses)| RequestClock {
                received,
                id_received: id.map(|n| received + chrono::Duration::days(n)),
                fee_received: fee.map(|n| received + chrono::Duration::days(n)),
                pauses: pauses
                    .into_iter()
                    .map(|(a, len)| {
                        let asked = received + chrono::Duration::days(a);
                        Pause {
                            asked,
                            received: Some(asked + chrono::Duration::days(len)),
                        }
                    })
                    .collect(),
            })
    }

    fn arb_region() -> impl Strategy<Value = Region> {
        prop_oneof![
            Just(Region::EnglandAndWales),
            Just(Region::Scotland),
            Just(Region::NorthernIreland)
        ]
    }

    proptest! {
        #[test]
        fn due_is_a_working_day_after_day_one(clock in arb_clock(), region in arb_region()) {
            let cal = HolidayCalendar::new(region);
            for extended in [false, true] {
                let got = compute(&clock, &cal, extended).unwrap();
                let due = got.due.unwrap();
                prop_assert!(cal.is_working_day(due));
                prop_assert!(due > got.start);
                prop_assert!(got.start >= clock.received);
                prop_assert!(due >= got.unrolled_due.unwrap());
                prop_assert!((due - got.unrolled_due.unwrap()).num_days() <= 6);
                prop_assert!((1..=3).contains(&got.explain().len()));
            }
        }

        #[test]
        fn extended_due_is_never_earlier(clock in arb_clock(), region in arb_region()) {
            let cal = HolidayCalendar::new(region);
            let plain = compute(&clock, &cal, false).unwrap();
            let ext = compute(&clock, &cal, true).unwrap();
            prop_assert!(ext.due.unwrap() >= plain.due.unwrap());
            prop_assert_eq!(ext.extension_notice_by, plain.due);
        }

        #[test]
        fn adding_a_pause_never_makes_due_earlier(
            clock in arb_clock(),
            region in arb_region(),
            extra in (0i64..120, 0i64..30),
            extended in proptest::bool::ANY,
        ) {
            let cal = HolidayCalendar::new(region);
            let before = compute(&clock, &cal, extended).unwrap();
            let mut more = clock.clone();
            let asked = clock.received + chrono::Duration::days(extra.0);
            more.pauses.push(Pause { asked, received: Some(asked + chrono::Duration::days(extra.1)) });
            let after = compute(&more, &cal, extended).unwrap();
            prop_assert!(after.due.unwrap() >= before.due.unwrap());
            prop_assert!(after.paused_days >= before.paused_days);
        }

        #[test]
        fn pause_order_does_not_matter(clock in arb_clock(), region in arb_region()) {
            let cal = HolidayCalendar::new(region);
            let mut reversed = clock.clone();
            reversed.pauses.reverse();
            prop_assert_eq!(
                compute(&clock, &cal, false).unwrap().due,
                compute(&reversed, &cal, false).unwrap().due
            );
        }
    }
}
