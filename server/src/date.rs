//! Today's date, for the proposals the CLI and the API make: read from the system clock
//! here, at the edge, and passed to `lakeplan_pdf` as an input so the PDF crate stays pure
//! and a given date always gives the same bytes.

use std::time::{SystemTime, UNIX_EPOCH};

use lakeplan_models::price_book::Date;

/// Today's date in UTC, from the system clock (a clock before 1970 reads as 1970-01-01).
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_from_days(secs / 86_400)
}

/// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`, for the
/// years a u16 holds).
pub fn date_from_days(days: u64) -> Date {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: year.clamp(0, i64::from(u16::MAX)) as u16,
        month: month as u8,
        day: day as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_1970_are_civil_dates() {
        let d = |days| date_from_days(days).to_string();
        assert_eq!(d(0), "1970-01-01");
        // 2000 was a leap year: day 11 016 is 2000-02-29, the next 2000-03-01.
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(11_017), "2000-03-01");
        // 2026-11-24: 56 years of 365 days, 14 leap days (1972 … 2024), then 327 more.
        assert_eq!(d(56 * 365 + 14 + 327), "2026-11-24");
        assert_eq!(d(56 * 365 + 14 + 364), "2026-12-31");
    }
}
