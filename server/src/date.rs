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

/// Reads an instant the API's query parameters accept: `YYYY-MM-DD` (midnight UTC) or
/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, the form the API writes. `None` for anything else.
pub fn parse_instant(text: &str) -> Option<lakeplan_store::Timestamp> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let day = Date::parse(date).ok()?.unix_days();
    let mut ms = 0i64;
    if let Some(t) = time {
        let t = t.strip_suffix('Z')?;
        let (hms, frac) = match t.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let parts: Vec<&str> = hms.split(':').collect();
        let [h, m, s] = parts.as_slice() else {
            return None;
        };
        let num = |x: &str, max: i64| -> Option<i64> {
            (x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()))
                .then(|| x.parse::<i64>().ok())
                .flatten()
                .filter(|v| *v <= max)
        };
        ms = (num(h, 23)? * 3600 + num(m, 59)? * 60 + num(s, 59)?) * 1000;
        if let Some(f) = frac {
            if f.is_empty() || f.len() > 3 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            ms += f.parse::<i64>().ok()? * 10i64.pow(3 - f.len() as u32);
        }
    }
    Some(lakeplan_store::Timestamp(day * lakeplan_store::DAY_MS + ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_as_the_api_writes_them() {
        let t = lakeplan_store::Timestamp(1_777_593_600_123);
        assert_eq!(parse_instant(&t.to_string()), Some(t));
        assert_eq!(
            parse_instant("2026-05-01"),
            Some(lakeplan_store::Timestamp(1_777_593_600_000))
        );
        for bad in [
            "",
            "2026-05-01T",
            "2026-05-01T25:00:00Z",
            "2026-05-01T10:00:00",
            "yesterday",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }
}
