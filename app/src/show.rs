//! Figures as the page shows them, in the units the user picked. Rounding only: every
//! number comes from the report.

use lakeplan_models::compare::Figure;
use lakeplan_models::display::{grouped, significant, usd_short};
use lakeplan_models::units::Bytes;

use crate::state::DisplayUnits;

/// A payload rate given in Gbps, in Gbps or Tbps: (value text, unit).
pub fn rate(gbps: f64, units: DisplayUnits) -> (String, &'static str) {
    if units.tbps {
        (grouped(gbps / 1000.0, 3), "Tbps")
    } else {
        (grouped(gbps, 1), "Gbps")
    }
}

/// A size given in PB, in PB or PiB: (value text, unit).
pub fn capacity(pb: f64, units: DisplayUnits) -> (String, &'static str) {
    if units.iec {
        (significant(Bytes::from_pb(pb).pib(), 4), "PiB")
    } else {
        (significant(pb, 4), "PB")
    }
}

/// A daily volume given in PB/day, in PB/day or PiB/day: (value text, unit).
pub fn per_day(pb: f64, units: DisplayUnits) -> (String, &'static str) {
    if units.iec {
        (grouped(Bytes::from_pb(pb).pib(), 2), "PiB/day")
    } else {
        (grouped(pb, 2), "PB/day")
    }
}

/// A figure as a person reads it, in its unit.
pub fn figure_text(value: Option<Figure>, unit: &str) -> String {
    match value {
        None => "—".to_string(),
        Some(Figure::Month(m)) => m.to_string(),
        Some(Figure::Number(v)) => match unit {
            "USD" => usd_short(v),
            "USD/TB-month" => format!("${}", grouped(v, 2)),
            "Gbps" | "PB" => significant(v, 4),
            "days" => grouped(v, 1),
            _ => grouped(v, 0),
        },
    }
}

/// A difference from the first scenario, signed; months as "+3 months".
pub fn delta_text(delta: Option<f64>, unit: &str) -> String {
    let Some(d) = delta else {
        return "—".to_string();
    };
    if d == 0.0 {
        return "same".to_string();
    }
    let sign = if d > 0.0 { "+" } else { "−" };
    let magnitude = figure_text(Some(Figure::Number(d.abs())), unit);
    match unit {
        "month" => format!("{sign}{} months", d.abs()),
        _ => format!("{sign}{magnitude}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_switches() {
        let dec = DisplayUnits::default();
        let both = DisplayUnits {
            iec: true,
            tbps: true,
        };
        assert_eq!(rate(4166.667, dec), ("4\u{2009}166.7".to_string(), "Gbps"));
        assert_eq!(rate(4166.667, both), ("4.167".to_string(), "Tbps"));
        assert_eq!(capacity(450.0, dec), ("450.0".to_string(), "PB"));
        // 450 × 10^15 / 2^50 = 399.68 PiB.
        assert_eq!(capacity(450.0, both), ("399.7".to_string(), "PiB"));
        assert_eq!(per_day(45.0, dec), ("45.00".to_string(), "PB/day"));
        // 45 × 10^15 / 2^50 = 39.968 PiB.
        assert_eq!(per_day(45.0, both), ("39.97".to_string(), "PiB/day"));
    }
}
