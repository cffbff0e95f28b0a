//! UK bank holidays and working days, per bank-holiday region.
//!
//! Years covered by GOV.UK's own data (`assets/uk-bank-holidays.json`, Open Government
//! Licence, embedded at build time) come from that data alone: it holds the one-off days
//! (jubilees, the coronation, the state funeral) and the moved May days that no rule predicts.
//! Years before or after the data are computed from the standing rules of each region.
//!
//! Nothing here reads the clock: every date is a parameter.

use crate::domain::kinds::Region;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// GOV.UK's bank holiday data, as published at <https://www.gov.uk/bank-holidays.json>.
const GOV_UK_DATA: &str = include_str!("../../assets/uk-bank-holidays.json");

/// The bank holidays and working days of one UK bank-holiday region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayCalendar {
    region: Region,
    /// Holidays from GOV.UK's data, by date, with their display names.
    data: BTreeMap<NaiveDate, String>,
    /// The years the data covers; outside them the rules apply. `None` when there is no data.
    data_years: Option<RangeInclusive<i32>>,
}

#[derive(Deserialize)]
struct Division {
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    title: String,
    date: NaiveDate,
    #[serde(default)]
    notes: String,
}

impl HolidayCalendar {
    /// The calendar for `region`: GOV.UK's data where it runs, the standing rules elsewhere.
    ///
    /// The data is embedded in the binary and checked by the tests; should it ever fail to
    /// parse, the calendar falls back to the rules for every year rather than panicking.
    pub fn new(region: Region) -> Self {
        let data = Self::load(region).unwrap_or_default();
        Self::from_data(region, data)
    }

    /// A calendar that ignores GOV.UK's data and applies the standing rules to every year.
    /// Useful to check the rules against the data; the program should use [`Self::new`].
    pub fn rules_only(region: Region) -> Self {
        Self::from_data(region, BTreeMap::new())
    }

    fn from_data(region: Region, data: BTreeMap<NaiveDate, String>) -> Self {
        let data_years = match (data.keys().next(), data.keys().next_back()) {
            (Some(first), Some(last)) => Some(first.year()..=last.year()),
            _ => None,
        };
        HolidayCalendar {
            region,
            data,
            data_years,
        }
    }

    fn load(region: Region) -> Option<BTreeMap<NaiveDate, String>> {
        let key = match region {
            Region::EnglandAndWales => "england-and-wales",
            Region::Scotland => "scotland",
            Region::NorthernIreland => "northern-ireland",
        };
        let mut all: BTreeMap<String, Division> = serde_json::from_str(GOV_UK_DATA).ok()?;
        let division = all.remove(key)?;
        let map = division
            .events
            .into_iter()
            .map(|e| {
                let name = if e.notes.eq_ignore_ascii_case("substitute day") {
                    format!("{} (substitute day)", e.title)
                } else {
                    e.title
                };
                (e.date, name)
            })
            .collect::<BTreeMap<_, _>>();
        (!map.is_empty()).then_some(map)
    }

    /// The region this calendar is for.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The years GOV.UK's data covers (outside them, holidays come from the rules).
    pub fn data_years(&self) -> Option<RangeInclusive<i32>> {
        self.data_years.clone()
    }

    fn year_from_data(&self, year: i32) -> bool {
        self.data_years.as_ref().is_some_and(|r| r.contains(&year))
    }

    /// The name of the bank holiday on `d`, if it is one (e.g. "Easter Monday",
    /// "Christmas Day (substitute day)").
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        if self.year_from_data(d.year()) {
            self.data.get(&d).map(String::as_str)
        } else {
            rule_holidays(self.region, d.year())
                .into_iter()
                .find(|(date, _)| *date == d)
                .map(|(_, name)| name)
        }
    }

    /// Every bank holiday in `year`, in date order.
    pub fn holidays_in(&self, year: i32) -> Vec<(NaiveDate, String)> {
        if self.year_from_data(year) {
            self.data
                .iter()
                .filter(|(d, _)| d.year() == year)
                .map(|(d, n)| (*d, n.clone()))
                .collect()
        } else {
            rule_holidays(self.region, year)
                .into_iter()
                .map(|(d, n)| (d, n.to_string()))
                .collect()
        }
    }

    /// Why `d` is not a working day ("Saturday", "Sunday" or the holiday's name), or `None`
    /// when it is one.
    pub fn non_working_reason(&self, d: NaiveDate) -> Option<String> {
        match d.weekday() {
            Weekday::Sat => Some("Saturday".to_string()),
            Weekday::Sun => Some("Sunday".to_string()),
            _ => self.holiday_name(d).map(str::to_string),
        }
    }

    /// Whether `d` is a working day: Monday to Friday and not a bank holiday in this region.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && self.holiday_name(d).is_none()
    }

    /// `d` itself if it is a working day, otherwise the first working day after it.
    ///
    /// Saturates at the last date chrono can represent.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        while !self.is_working_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    /// The `n`th working day after `d` (`d` itself counts for nothing, working day or not).
    /// `n == 0` gives `d` unchanged. Saturates at the last date chrono can represent.
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The number of working days after `from` up to and including `to`; when `to` is before
    /// `from`, minus the number of working days after `to` up to and including `from`.
    ///
    /// So a deadline on the next working day is 1 away, today's is 0, and yesterday's (when
    /// today is a working day) is -1.
    pub fn working_days_until(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_until(to, from);
        }
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as i64
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in `year`, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The `n`th (1-based) `weekday` of `month`, or the last when `n == 0`.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    if n == 0 {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut d = first_next.pred_opt()?;
        while d.weekday() != weekday {
            d = d.pred_opt()?;
        }
        Some(d)
    } else {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    }
}

/// The standing holiday of a region that falls on a fixed date, with its substitute name.
struct Fixed {
    month: u32,
    day: u32,
    name: &'static str,
    substitute: &'static str,
}

const NEW_YEAR: Fixed = Fixed {
    month: 1,
    day: 1,
    name: "New Year’s Day",
    substitute: "New Year’s Day (substitute day)",
};
const SECOND_JANUARY: Fixed = Fixed {
    month: 1,
    day: 2,
    name: "2nd January",
    substitute: "2nd January (substitute day)",
};
const ST_PATRICK: Fixed = Fixed {
    month: 3,
    day: 17,
    name: "St Patrick’s Day",
    substitute: "St Patrick’s Day (substitute day)",
};
const BOYNE: Fixed = Fixed {
    month: 7,
    day: 12,
    name: "Battle of the Boyne (Orangemen’s Day)",
    substitute: "Battle of the Boyne (Orangemen’s Day) (substitute day)",
};
const ST_ANDREW: Fixed = Fixed {
    month: 11,
    day: 30,
    name: "St Andrew’s Day",
    substitute: "St Andrew’s Day (substitute day)",
};
const CHRISTMAS: Fixed = Fixed {
    month: 12,
    day: 25,
    name: "Christmas Day",
    substitute: "Christmas Day (substitute day)",
};
const BOXING: Fixed = Fixed {
    month: 12,
    day: 26,
    name: "Boxing Day",
    substitute: "Boxing Day (substitute day)",
};

/// The bank holidays of `region` in `year` by the standing rules alone, in date order.
///
/// Ignores one-off and moved holidays, which only GOV.UK's data knows. Fixed-date holidays
/// that fall at a weekend are replaced by the next weekday not already a holiday, taken in
/// date order after every weekday holiday is placed, which is how GOV.UK names them (when
/// Christmas is a Sunday, Monday 26th is Boxing Day and Tuesday 27th the Christmas substitute).
pub fn rule_holidays(region: Region, year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut out: Vec<(NaiveDate, &'static str)> = Vec::new();

    if let Some(easter) = easter_sunday(year) {
        if let Some(gf) = easter.checked_sub_days(Days::new(2)) {
            out.push((gf, "Good Friday"));
        }
        if region != Region::Scotland {
            if let Some(em) = easter.checked_add_days(Days::new(1)) {
                out.push((em, "Easter Monday"));
            }
        }
    }
    if let Some(d) = nth_weekday(year, 5, Weekday::Mon, 1) {
        out.push((d, "Early May bank holiday"));
    }
    if let Some(d) = nth_weekday(year, 5, Weekday::Mon, 0) {
        out.push((d, "Spring bank holiday"));
    }
    let summer = match region {
        Region::Scotland => nth_weekday(year, 8, Weekday::Mon, 1),
        _ => nth_weekday(year, 8, Weekday::Mon, 0),
    };
    if let Some(d) = summer {
        out.push((d, "Summer bank holiday"));
    }

    let fixed: &[Fixed] = match region {
        Region::EnglandAndWales => &[NEW_YEAR, CHRISTMAS, BOXING],
        Region::Scotland => &[NEW_YEAR, SECOND_JANUARY, ST_ANDREW, CHRISTMAS, BOXING],
        Region::NorthernIreland => &[NEW_YEAR, ST_PATRICK, BOYNE, CHRISTMAS, BOXING],
    };
    let dated: Vec<(NaiveDate, &Fixed)> = fixed
        .iter()
        .filter_map(|f| NaiveDate::from_ymd_opt(year, f.month, f.day).map(|d| (d, f)))
        .collect();
    // Weekday ones stand on their own date.
    for (d, f) in &dated {
        if !is_weekend(*d) {
            out.push((*d, f.name));
        }
    }
    // Weekend ones move to the next weekday not already taken, in date order.
    for (d, f) in &dated {
        if is_weekend(*d) {
            let mut sub = *d;
            while is_weekend(sub) || out.iter().any(|(taken, _)| *taken == sub) {
                match sub.succ_opt() {
                    Some(next) => sub = next,
                    None => break,
                }
            }
            out.push((sub, f.substitute));
        }
    }

    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const ALL_REGIONS: [Region; 3] = [Region::EnglandAndWales, Region::Scotland, Region::NorthernIreland];

    #[test]
    fn data_loads_for_every_region_and_runs_2012_to_2028() {
        for r in ALL_REGIONS {
            let cal = HolidayCalendar::new(r);
            assert_eq!(cal.region(), r);
            assert_eq!(cal.data_years(), Some(2012..=2028), "{r:?}");
            assert!(cal.data.len() > 130, "{r:?}");
        }
        assert_eq!(HolidayCalendar::rules_only(Region::Scotland).data_years(), None);
    }

    #[test]
    fn known_dates_per_region() {
        use Region::*;
        // (region, date, expected holiday name or None for a plain working/weekend day)
        #[rustfmt::skip]
        let table: &[(Region, &str, Option<&str>)] = &[
            (EnglandAndWales, "2020-05-08", Some("Early May bank holiday (VE day)")),
            (EnglandAndWales, "2020-05-04", None),
            (Scotland, "2020-05-08", Some("Early May bank holiday (VE day)")),
            (EnglandAndWales, "2022-06-02", Some("Spring bank holiday")),
            (EnglandAndWales, "2022-06-03", Some("Platinum Jubilee bank holiday")),
            (EnglandAndWales, "2022-05-30", None),
            (NorthernIreland, "2022-06-03", Some("Platinum Jubilee bank holiday")),
            (EnglandAndWales, "2022-09-19", Some("Bank Holiday for the State Funeral of Queen Elizabeth II")),
            (Scotland, "2022-09-19", Some("Bank Holiday for the State Funeral of Queen Elizabeth II")),
            (EnglandAndWales, "2023-05-08", Some("Bank holiday for the coronation of King Charles III")),
            (NorthernIreland, "2023-05-08", Some("Bank holiday for the coronation of King Charles III")),
            (EnglandAndWales, "2012-06-04", Some("Spring bank holiday (substitute day)")),
            (EnglandAndWales, "2012-06-05", Some("Queen’s Diamond Jubilee")),
            (EnglandAndWales, "2012-05-28", None),
            (EnglandAndWales, "2026-04-03", Some("Good Friday")),
            (EnglandAndWales, "2026-04-06", Some("Easter Monday")),
            (Scotland, "2026-04-06", None),
            (EnglandAndWales, "2026-08-31", Some("Summer bank holiday")),
            (Scotland, "2026-08-31", None),
            (Scotland, "2026-08-03", Some("Summer bank holiday")),
            (EnglandAndWales, "2026-08-03", None),
            (Scotland, "2026-01-02", Some("2nd January")),
            (EnglandAndWales, "2026-01-02", None),
            (Scotland, "2026-11-30", Some("St Andrew’s Day")),
            (NorthernIreland, "2026-03-17", Some("St Patrick’s Day")),
            (NorthernIreland, "2026-07-13", Some("Battle of the Boyne (Orangemen’s Day) (substitute day)")),
            (NorthernIreland, "2026-07-12", None),
            (EnglandAndWales, "2026-12-28", Some("Boxing Day (substitute day)")),
            (EnglandAndWales, "2027-03-26", Some("Good Friday")),
            (EnglandAndWales, "2027-03-29", Some("Easter Monday")),
            (EnglandAndWales, "2027-12-27", Some("Christmas Day (substitute day)")),
            (EnglandAndWales, "2027-12-28", Some("Boxing Day (substitute day)")),
            (Scotland, "2027-11-30", Some("St Andrew’s Day")),
            (EnglandAndWales, "2028-01-03", Some("New Year’s Day (substitute day)")),
            (Scotland, "2028-01-04", Some("2nd January (substitute day)")),
            (EnglandAndWales, "2028-04-14", Some("Good Friday")),
            (EnglandAndWales, "2028-04-17", Some("Easter Monday")),
            (EnglandAndWales, "2028-05-01", Some("Early May bank holiday")),
            (EnglandAndWales, "2028-05-29", Some("Spring bank holiday")),
            (EnglandAndWales, "2028-08-28", Some("Summer bank holiday")),
            (Scotland, "2028-08-07", Some("Summer bank holiday")),
            (EnglandAndWales, "2028-12-25", Some("Christmas Day")),
            (EnglandAndWales, "2028-12-26", Some("Boxing Day")),
        ];
        for (region, date, want) in table {
            let cal = HolidayCalendar::new(*region);
            assert_eq!(cal.holiday_name(d(date)), *want, "{region:?} {date}");
        }
    }

    /// Days in GOV.UK's data that no standing rule predicts, and the rule days they displaced.
    /// Each applies in all three regions.
    const ONE_OFF_OR_MOVED: &[&str] = &[
        // 2012: Spring bank holiday moved from 28 May to 4 June; Diamond Jubilee on 5 June.
        "2012-05-28",
        "2012-06-04",
        "2012-06-05",
        // 2020: Early May bank holiday moved from Monday 4 May to Friday 8 May (VE day).
        "2020-05-04",
        "2020-05-08",
        // 2022: Spring bank holiday moved from 30 May to 2 June; Platinum Jubilee 3 June;
        // the State Funeral of Queen Elizabeth II on 19 September.
        "2022-05-30",
        "2022-06-02",
        "2022-06-03",
        "2022-09-19",
        // 2023: the coronation of King Charles III.
        "2023-05-08",
    ];

    /// Scottish days whose names GOV.UK gives the other way round from its own earlier years:
    /// when 1 January is a Sunday, 2012 and 2017 call Monday "2nd January" and Tuesday the New
    /// Year substitute (as the rules do), but 2023 calls Monday the New Year substitute and
    /// Tuesday the 2nd January substitute. The dates agree; only the labels differ.
    const NAMED_THE_OTHER_WAY: &[&str] = &["2023-01-02", "2023-01-03"];

    #[test]
    fn rules_match_gov_uk_data_for_every_year_2012_to_2028_except_one_offs() {
        let skip: BTreeSet<NaiveDate> = ONE_OFF_OR_MOVED.iter().map(|s| d(s)).collect();
        for r in ALL_REGIONS {
            let data = HolidayCalendar::new(r);
            for year in 2012..=2028 {
                let from_data: Vec<(NaiveDate, String)> = data
                    .holidays_in(year)
                    .into_iter()
                    .filter(|(d, _)| !skip.contains(d))
                    .collect();
                let from_rules: Vec<(NaiveDate, String)> = rule_holidays(r, year)
                    .into_iter()
                    .filter(|(d, _)| !skip.contains(d))
                    .map(|(d, n)| (d, n.to_string()))
                    .collect();
                let dates = |v: &[(NaiveDate, String)]| v.iter().map(|(d, _)| *d).collect::<Vec<_>>();
                assert_eq!(dates(&from_rules), dates(&from_data), "{r:?} {year}");
                for ((day, rule_name), (_, data_name)) in from_rules.iter().zip(&from_data) {
                    if r == Region::Scotland && NAMED_THE_OTHER_WAY.contains(&day.to_string().as_str()) {
                        continue;
                    }
                    assert_eq!(rule_name, data_name, "{r:?} {day}");
                }
            }
        }
    }

    #[test]
    fn every_one_off_day_really_differs_between_rules_and_data() {
        // Guards the exclusion list above from growing stale entries.
        for r in ALL_REGIONS {
            let data = HolidayCalendar::new(r);
            let rules = HolidayCalendar::rules_only(r);
            for s in ONE_OFF_OR_MOVED {
                let day = d(s);
                assert_ne!(
                    data.holiday_name(day).is_some(),
                    rules.holiday_name(day).is_some(),
                    "{r:?} {s}"
                );
            }
        }
    }

    #[test]
    fn easter_matches_known_dates() {
        for (year, want) in [
            (2012, "2012-04-08"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2030, "2030-04-21"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
            (2000, "2000-04-23"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(want)), "{year}");
        }
    }

    #[test]
    fn rule_years_after_the_data() {
        use Region::*;
        #[rustfmt::skip]
        let table: &[(Region, &str, Option<&str>)] = &[
            (EnglandAndWales, "2029-01-01", Some("New Year’s Day")),
            (EnglandAndWales, "2029-03-30", Some("Good Friday")),
            (EnglandAndWales, "2029-04-02", Some("Easter Monday")),
            (EnglandAndWales, "2030-04-19", Some("Good Friday")),
            (EnglandAndWales, "2030-04-22", Some("Easter Monday")),
            (Scotland, "2030-04-19", Some("Good Friday")),
            (Scotland, "2030-04-22", None),
            (EnglandAndWales, "2030-05-06", Some("Early May bank holiday")),
            (EnglandAndWales, "2030-05-27", Some("Spring bank holiday")),
            (EnglandAndWales, "2030-08-26", Some("Summer bank holiday")),
            (Scotland, "2030-08-05", Some("Summer bank holiday")),
            (Scotland, "2030-12-02", Some("St Andrew’s Day (substitute day)")),
            // 2032: Christmas is a Saturday, Boxing Day a Sunday.
            (EnglandAndWales, "2032-12-27", Some("Christmas Day (substitute day)")),
            (EnglandAndWales, "2032-12-28", Some("Boxing Day (substitute day)")),
            (EnglandAndWales, "2032-12-29", None),
            // 2033: Christmas is a Sunday: Monday is Boxing Day, Tuesday the substitute.
            (EnglandAndWales, "2033-12-26", Some("Boxing Day")),
            (EnglandAndWales, "2033-12-27", Some("Christmas Day (substitute day)")),
            // 2033: 1 January is a Saturday, 2 January a Sunday.
            (EnglandAndWales, "2033-01-03", Some("New Year’s Day (substitute day)")),
            (EnglandAndWales, "2033-01-04", None),
            (Scotland, "2033-01-03", Some("New Year’s Day (substitute day)")),
            (Scotland, "2033-01-04", Some("2nd January (substitute day)")),
            // 2034: 1 January is a Sunday: Monday is 2nd January, Tuesday the substitute.
            (Scotland, "2034-01-02", Some("2nd January")),
            (Scotland, "2034-01-03", Some("New Year’s Day (substitute day)")),
            (EnglandAndWales, "2034-01-02", Some("New Year’s Day (substitute day)")),
            (NorthernIreland, "2029-03-19", Some("St Patrick’s Day (substitute day)")),
            (NorthernIreland, "2031-07-14", Some("Battle of the Boyne (Orangemen’s Day) (substitute day)")),
            (NorthernIreland, "2035-03-17", None),
            (NorthernIreland, "2035-03-19", Some("St Patrick’s Day (substitute day)")),
            (NorthernIreland, "2035-07-12", Some("Battle of the Boyne (Orangemen’s Day)")),
            (EnglandAndWales, "2035-03-23", Some("Good Friday")),
            (EnglandAndWales, "2035-03-26", Some("Easter Monday")),
            (EnglandAndWales, "2035-03-17", None),
            // Before the data: 2011 (the royal wedding, 29 April, is a one-off no rule knows).
            (EnglandAndWales, "2011-04-22", Some("Good Friday")),
            (EnglandAndWales, "2011-04-25", Some("Easter Monday")),
            (EnglandAndWales, "2011-12-27", Some("Christmas Day (substitute day)")),
        ];
        for (region, date, want) in table {
            let cal = HolidayCalendar::new(*region);
            assert_eq!(cal.holiday_name(d(date)), *want, "{region:?} {date}");
        }
    }

    #[test]
    fn rule_years_have_the_right_number_of_holidays() {
        for year in 2029..=2035 {
            assert_eq!(HolidayCalendar::new(Region::EnglandAndWales).holidays_in(year).len(), 8);
            assert_eq!(HolidayCalendar::new(Region::Scotland).holidays_in(year).len(), 9);
            assert_eq!(
                HolidayCalendar::new(Region::NorthernIreland).holidays_in(year).len(),
                10
            );
            for r in ALL_REGIONS {
                for (day, _) in HolidayCalendar::new(r).holidays_in(year) {
                    assert!(!is_weekend(day), "{r:?} {day}");
                }
            }
        }
    }

    #[test]
    fn working_days() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        assert!(cal.is_working_day(d("2026-04-02")));
        assert!(!cal.is_working_day(d("2026-04-03"))); // Good Friday
        assert!(!cal.is_working_day(d("2026-04-04"))); // Saturday
        assert_eq!(cal.next_working_day_on_or_after(d("2026-04-03")), d("2026-04-07"));
        assert_eq!(cal.next_working_day_on_or_after(d("2026-04-02")), d("2026-04-02"));
        assert_eq!(cal.add_working_days(d("2026-04-02"), 0), d("2026-04-02"));
        assert_eq!(cal.add_working_days(d("2026-04-02"), 1), d("2026-04-07"));
        assert_eq!(cal.add_working_days(d("2026-04-04"), 1), d("2026-04-07"));
        assert_eq!(cal.add_working_days(d("2026-12-24"), 2), d("2026-12-30"));
        assert_eq!(cal.non_working_reason(d("2026-04-04")).as_deref(), Some("Saturday"));
        assert_eq!(cal.non_working_reason(d("2026-04-05")).as_deref(), Some("Sunday"));
        assert_eq!(
            cal.non_working_reason(d("2026-04-06")).as_deref(),
            Some("Easter Monday")
        );
        assert_eq!(cal.non_working_reason(d("2026-04-07")), None);
    }

    #[test]
    fn working_days_until_is_signed() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let thu = d("2026-04-02");
        assert_eq!(cal.working_days_until(thu, thu), 0);
        assert_eq!(cal.working_days_until(thu, d("2026-04-07")), 1);
        assert_eq!(cal.working_days_until(thu, d("2026-04-06")), 0);
        assert_eq!(cal.working_days_until(thu, d("2026-04-09")), 3);
        assert_eq!(cal.working_days_until(d("2026-04-09"), thu), -3);
        assert_eq!(cal.working_days_until(d("2026-04-07"), thu), -1);
        // A whole ordinary week.
        assert_eq!(cal.working_days_until(d("2026-03-02"), d("2026-03-09")), 5);
    }

    #[test]
    fn saturates_at_the_end_of_time() {
        let cal = HolidayCalendar::new(Region::EnglandAndWales);
        let max = NaiveDate::MAX;
        let _ = cal.next_working_day_on_or_after(max);
        assert!(cal.add_working_days(max, 3) <= max);
        assert!(rule_holidays(Region::Scotland, max.year()).len() <= 9);
    }

    proptest::proptest! {
        #[test]
        fn add_then_count_round_trips(days in 0i64..20_000, n in 0u32..40, r in 0usize..3) {
            let cal = HolidayCalendar::new(ALL_REGIONS[r]);
            let start = d("2000-01-01") + chrono::Duration::days(days);
            let end = cal.add_working_days(start, n);
            proptest::prop_assert_eq!(cal.working_days_until(start, end), i64::from(n));
            proptest::prop_assert_eq!(cal.working_days_until(end, start), -i64::from(n));
            if n > 0 {
                proptest::prop_assert!(cal.is_working_day(end));
            }
            let next = cal.next_working_day_on_or_after(start);
            proptest::prop_assert!(cal.is_working_day(next));
            proptest::prop_assert!(next >= start && (next - start).num_days() <= 5);
        }
    }
}
