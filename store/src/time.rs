//! Moments, and where the store reads the time.
//!
//! Timestamps are UTC milliseconds since the Unix epoch: an integer column in any
//! database, ordered, and exact to compare. They are shown as RFC 3339 text
//! (`2026-05-01T09:30:00.000Z`), which browsers and spreadsheets read. The day number
//! becomes a date by the model's calendar arithmetic
//! (`lakeplan_models::calendar::civil_from_days`), so no date crate is needed for it.
//!
//! The clock is injected so that tests can move time (a deleted scenario is purged after
//! 30 days) without waiting.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use lakeplan_models::calendar::civil_from_days;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// A moment in UTC, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// `self + ms`, saturating rather than wrapping at the ends of time.
    pub fn plus_ms(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with milliseconds.
    ///
    /// ```
    /// use lakeplan_store::Timestamp;
    /// assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000Z");
    /// assert_eq!(Timestamp(1_700_000_000_123).to_string(), "2023-11-14T22:13:20.123Z");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(DAY_MS);
        let ms_of_day = self.0.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where the store reads the time.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    fn now(&self) -> Timestamp;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        // A clock before 1970 is a broken machine; read it as the epoch rather than fail
        // a save over it.
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Timestamp(ms)
    }
}

/// A clock that shows what it is set to, for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn at(t: Timestamp) -> ManualClock {
        ManualClock(AtomicI64::new(t.0))
    }
    pub fn set(&self, t: Timestamp) {
        self.0.store(t.0, Ordering::SeqCst);
    }
    pub fn advance_ms(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        // 2000-02-29 is day 11 016 (a leap day of a century leap year).
        assert_eq!(
            Timestamp(11_016 * DAY_MS).to_string(),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp(11_017 * DAY_MS - 1).to_string(),
            "2000-02-29T23:59:59.999Z"
        );
        // 1900 was not a leap year: day -25 508 is 1900-03-01, the day before is Feb 28.
        assert_eq!(
            Timestamp(-25_509 * DAY_MS).to_string(),
            "1900-02-28T00:00:00.000Z"
        );
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn manual_clock_moves_when_told() {
        let c = ManualClock::at(Timestamp(5));
        c.advance_ms(DAY_MS);
        assert_eq!(c.now(), Timestamp(5 + DAY_MS));
        c.set(Timestamp(1));
        assert_eq!(c.now(), Timestamp(1));
    }
}
