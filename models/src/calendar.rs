//! The civil calendar: months, days, and day numbers counted from 1970-01-01.
//!
//! One module for every calendar question Lakeplan asks, so that leap years and month
//! lengths are written once: the plan runs in whole calendar months ([`Month`]), prices
//! and proposals are dated to the day ([`Date`]), and the store and the server turn the
//! system clock's day number into a civil date ([`civil_from_days`]). No date crate: the
//! model builds for the browser, where a calendar library would be dead weight, and none
//! of these needs time zones (everything is UTC or a plain civil date).

use std::fmt;
use std::str::FromStr;

/// A calendar month. Small and `Copy`, with the arithmetic a monthly plan needs and no
/// time zones: the model plans in whole months and real month lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1 = January … 12 = December.
    month: u8,
}

/// Why a month string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a month written YYYY-MM (e.g. 2026-01), got \"{0}\"")]
pub struct MonthError(pub String);

impl Month {
    /// A valid month for a scenario whose `start_month` could not be read, so validation
    /// can go on and report every other problem too.
    pub(crate) const PLACEHOLDER: Month = Month {
        year: 2000,
        month: 1,
    };

    /// The month, or `None` when `month` is not 1–12 or the year is outside 1–9999
    /// (a four-digit year is what the file format can write).
    pub fn new(year: i32, month: u8) -> Option<Month> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }
    pub fn year(self) -> i32 {
        self.year
    }
    /// 1 = January … 12 = December.
    pub fn month(self) -> u8 {
        self.month
    }
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
    fn from_index(i: i64) -> Option<Month> {
        let year = i32::try_from(i.div_euclid(12)).ok()?;
        let month = u8::try_from(i.rem_euclid(12) + 1).ok()?;
        Month::new(year, month)
    }
    /// The month `n` months later (`None` past year 9999).
    pub fn plus(self, n: u32) -> Option<Month> {
        Month::from_index(self.index() + i64::from(n))
    }
    /// Whole months from `earlier` to `self` (negative when `self` is before it).
    pub fn months_since(self, earlier: Month) -> i64 {
        self.index() - earlier.index()
    }
    /// Gregorian leap year.
    pub fn is_leap_year(year: i32) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
    pub fn days_in_year(year: i32) -> u32 {
        if Month::is_leap_year(year) {
            366
        } else {
            365
        }
    }
    /// The real length of the month: monthly costs use it, not the 30.4375-day mean.
    pub fn days_in_month(self) -> u32 {
        u32::from(month_length(self.year, self.month))
    }
    pub fn hours(self) -> f64 {
        f64::from(self.days_in_month()) * 24.0
    }
    /// The month's share of its calendar year, days in month / days in year: how a yearly
    /// charge is split over months.
    pub fn year_share(self) -> f64 {
        f64::from(self.days_in_month()) / f64::from(Month::days_in_year(self.year))
    }
}

impl FromStr for Month {
    type Err = MonthError;
    /// Exactly `YYYY-MM`: four digits, a hyphen, two digits, a month that exists.
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let bad = || MonthError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return Err(bad());
        }
        let digits = |r: &[u8]| -> Option<u32> {
            r.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let year = digits(&b[..4]).ok_or_else(bad)?;
        let month = digits(&b[5..]).ok_or_else(bad)?;
        let year = i32::try_from(year).map_err(|_| bad())?;
        let month = u8::try_from(month).map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A calendar day, checked to exist (no 2026-02-30): the day a price was read, or the date
/// of a proposal. Its fields are public so tables built at compile time can write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Reads `YYYY-MM-DD`, the only form the data files use. A year before 2000 is
    /// refused: every date Lakeplan reads is the day a price was read or a proposal's
    /// date, so an earlier one is a typo.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("must be a date YYYY-MM-DD, got \"{text}\"");
        let b = text.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(bad());
        }
        let year: u16 = text[0..4].parse().map_err(|_| bad())?;
        let month: u8 = text[5..7].parse().map_err(|_| bad())?;
        let day: u8 = text[8..10].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!("{text} is not a real date: month {month}"));
        }
        if day == 0 || day > month_length(i32::from(year), month) {
            return Err(format!("{text} is not a real date: day {day}"));
        }
        if year < 2000 {
            return Err(format!("{text} is before 2000: a typo, not a price"));
        }
        Ok(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (the system clock's day number), or `None`
    /// when its year does not fit the `u16` a `Date` keeps.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let (year, month, day) = civil_from_days(days);
        Some(Date {
            year: u16::try_from(year).ok()?,
            month,
            day,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Gregorian month lengths: the one copy that [`Month`] and [`Date`] both use.
fn month_length(year: i32, month: u8) -> u8 {
    match month {
        2 if Month::is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The proleptic Gregorian (year, month, day) of a day number counted from 1970-01-01
/// (negative before it): Howard Hinnant's `civil_from_days`, which shifts the year to start
/// on March 1st so that the leap day falls at its end, then counts 400-year eras of
/// 146 097 days. Exact for every day up to `i64::MAX − 719 468`, which covers every
/// millisecond timestamp.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468; // days from 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365, from March 1st
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Day 1..=31 and month 1..=12 by construction.
    (year, month as u8, day as u8)
}

/// The day number (from 1970-01-01) of a proleptic Gregorian date: the inverse of
/// [`civil_from_days`], Howard Hinnant's `days_from_civil`.
pub fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // 0..=399
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // 0..=365
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // 0..=146096
    era * 146_097 + doe - 719_468
}

impl Date {
    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in [-719_468, -1, 0, 1, 59, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(Date::parse("2026-12-04").unwrap().unix_days(), 20_791);
    }

    #[test]
    fn months_parse_strictly() {
        let m: Month = "2026-01".parse().unwrap();
        assert_eq!((m.year(), m.month()), (2026, 1));
        assert_eq!(m.to_string(), "2026-01");
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-01",
            "2026/01",
            "",
            "２０２６-01",
            "0000-01",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        let e = "2026-13".parse::<Month>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "must be a month written YYYY-MM (e.g. 2026-01), got \"2026-13\""
        );
    }

    #[test]
    fn month_arithmetic_and_lengths() {
        let start: Month = "2026-01".parse().unwrap();
        let end: Month = "2030-01".parse().unwrap();
        assert_eq!(end.months_since(start), 48);
        assert_eq!(start.plus(48), Some(end));
        assert_eq!(start.plus(11).unwrap().to_string(), "2026-12");
        assert_eq!(start.plus(12).unwrap().to_string(), "2027-01");
        assert_eq!(start.days_in_month(), 31);
        assert_eq!(Month::new(2028, 2).unwrap().days_in_month(), 29);
        assert_eq!(Month::new(2100, 2).unwrap().days_in_month(), 28);
        assert_eq!(Month::new(2000, 2).unwrap().days_in_month(), 29);
        assert_eq!(Month::new(2026, 4).unwrap().days_in_month(), 30);
        assert_eq!(Month::days_in_year(2028), 366);
        assert_eq!(Month::new(9999, 12).unwrap().plus(1), None);
        let total: u32 = (0..12)
            .map(|i| start.plus(i).unwrap().days_in_month())
            .sum();
        assert_eq!(total, 365);
    }

    #[test]
    fn month_serde_is_a_string() {
        let m: Month = serde_json::from_str("\"2026-07\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-07\"");
        assert!(serde_json::from_str::<Month>("\"2026-13\"").is_err());
    }

    #[test]
    fn dates_parse_strictly_and_read_back_from_json() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2026-13-01").is_err());
        assert_eq!(Date::parse("2026-11-01").unwrap().to_string(), "2026-11-01");
        let d: Date = serde_json::from_value(serde_json::json!("2026-11-01")).unwrap();
        assert_eq!(
            d,
            Date {
                year: 2026,
                month: 11,
                day: 1
            }
        );
        assert!(serde_json::from_value::<Date>(serde_json::json!("2026-02-30")).is_err());
    }

    #[test]
    fn days_since_1970_are_civil_dates() {
        let d = |days| Date::from_unix_days(days).unwrap().to_string();
        assert_eq!(d(0), "1970-01-01");
        // 2000 was a leap year: day 11 016 is 2000-02-29, the next 2000-03-01.
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(11_017), "2000-03-01");
        // 2026-11-24: 56 years of 365 days, 14 leap days (1972 … 2024), then 327 more.
        assert_eq!(d(56 * 365 + 14 + 327), "2026-11-24");
        assert_eq!(d(56 * 365 + 14 + 364), "2026-12-31");
        assert_eq!(Date::from_unix_days(-719_529), None, "year −1");
        assert_eq!(Date::from_unix_days(30_000_000), None, "year 84 107");
    }

    /// Walks 800 years day by day against a plain month-length count.
    #[test]
    fn every_day_follows_the_calendar() {
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let mut day = civil_days_to(1600);
        for y in 1600..2400 {
            for m in 1..=12u8 {
                let len = match m {
                    2 if leap(y) => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                for d in 1..=len {
                    assert_eq!(civil_from_days(day), (y, m, d));
                    day += 1;
                }
            }
        }
    }

    /// Day number of January 1st of `year` (≤ 1970), counted back from 1970.
    fn civil_days_to(year: i64) -> i64 {
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        -(year..1970)
            .map(|y| if leap(y) { 366 } else { 365 })
            .sum::<i64>()
    }
}
