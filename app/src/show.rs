//! Figures as the page shows them, in the units the user picked. Rounding only: every
//! number comes from the report.

use lakeplan_models::display::{grouped, significant};
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
