//! The clock, injected: the program asks a [`Clock`] for the time and never reads it elsewhere,
//! so tests and snapshots run on a fixed date.

use chrono::{NaiveDate, NaiveDateTime};

/// A source of the current local date and time.
pub trait Clock: Send + Sync {
    fn now(&self) -> NaiveDateTime;
    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// The machine's local clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

/// A clock stopped at one moment, for tests, snapshots and benchmarks.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub NaiveDateTime);

impl FixedClock {
    /// 09:00 on the given date.
    pub fn at_nine(date: NaiveDate) -> Self {
        FixedClock(date.and_hms_opt(9, 0, 0).unwrap_or_default())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
    }
}
