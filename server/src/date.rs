//! Today's date, for the proposals the CLI and the API make: read from the system clock
//! here, at the edge, and passed to `lakeplan_pdf` as an input so the PDF crate stays pure
//! and a given date always gives the same bytes.

use std::time::{SystemTime, UNIX_EPOCH};

use lakeplan_models::calendar::Date;

/// Today's date in UTC, from the system clock. A clock before 1970 (or past the year
/// 65 535) is a broken machine: it reads as 1970-01-01 rather than failing an export.
pub fn today() -> Date {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    i64::try_from(days)
        .ok()
        .and_then(Date::from_unix_days)
        .unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
}
