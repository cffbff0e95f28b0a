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

/// A clock that stands still until moved: for tests of idle locking and deadlines.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<NaiveDateTime>);

impl ManualClock {
    pub fn new(at: NaiveDateTime) -> Self {
        ManualClock(std::sync::Mutex::new(at))
    }

    /// Moves the clock on.
    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        // A poisoned lock still holds the last time set.
        match self.0.lock() {
            Ok(t) => *t,
            Err(p) => *p.into_inner(),
        }
    }
}
