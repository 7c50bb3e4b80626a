//! Daily change and the replication bandwidth it needs (`spec/MODEL.md`, "Change and
//! replication bandwidth").

use crate::field::{self, FieldError};
use crate::units::{BitRate, Bytes, BytesPerDay, MEAN_MONTH_DAYS, SECONDS_PER_DAY};

/// How a scenario states its daily change. Sales conversations use all three forms, so
/// the model accepts each and converts, rather than asking the user to do arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeBasis {
    /// Percent of the lake changed per day.
    PercentPerDay,
    /// Petabytes changed per day.
    PbPerDay,
    /// Petabytes changed per (mean) month of 30.4375 days.
    PbPerMonth,
}

impl ChangeBasis {
    /// The unit shown beside `change.value` for this basis.
    pub fn unit(self) -> &'static str {
        match self {
            ChangeBasis::PercentPerDay => "% per day",
            ChangeBasis::PbPerDay => "PB per day",
            ChangeBasis::PbPerMonth => "PB per month",
        }
    }

    /// Checks `change.value` for this basis. A percentage above 100 %/day is rejected:
    /// rewriting more than the whole lake every day is a typo, not a plan.
    pub fn check_value(self, value: f64) -> Result<f64, FieldError> {
        match self {
            ChangeBasis::PercentPerDay => field::within("change.value", value, 0.0, 100.0),
            ChangeBasis::PbPerDay | ChangeBasis::PbPerMonth => {
                field::within("change.value", value, 0.0, f64::MAX).map_err(|_| {
                    FieldError::new("change.value", format!("must be ≥ 0, got {value}"))
                })
            }
        }
    }
}

/// The volume that changes per day in a lake of `lake` bytes.
pub fn daily_change(lake: Bytes, basis: ChangeBasis, value: f64) -> BytesPerDay {
    match basis {
        ChangeBasis::PercentPerDay => BytesPerDay(lake * (value / 100.0)),
        ChangeBasis::PbPerDay => BytesPerDay::from_pb_per_day(value),
        ChangeBasis::PbPerMonth => BytesPerDay::from_pb_per_day(value / MEAN_MONTH_DAYS),
    }
}

/// The payload rate that replicates the daily change if spread over the whole day:
/// R = D·8 / 86 400.
pub fn sustained_rate(change: BytesPerDay) -> BitRate {
    change.rate_over(SECONDS_PER_DAY)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// MODEL.md: 450 PB at 10 %/day → D = 45 PB/day → R = 4.1667 Tbps.
    #[test]
    fn reference_lake_needs_4_1667_tbps() {
        let d = daily_change(Bytes::from_pb(450.0), ChangeBasis::PercentPerDay, 10.0);
        assert!(close(d.pb_per_day(), 45.0, 1e-9));
        assert!(close(sustained_rate(d).tbps(), 4.1667, 5e-5));
    }

    /// MODEL.md: 770 PB at 10 %/day → 7.1296 Tbps.
    #[test]
    fn grown_lake_needs_7_1296_tbps() {
        let d = daily_change(Bytes::from_pb(770.0), ChangeBasis::PercentPerDay, 10.0);
        assert!(close(sustained_rate(d).tbps(), 7.1296, 5e-5));
    }

    /// MODEL.md: a "100 PB/month" claim is 0.3042 Tbps.
    #[test]
    fn hundred_pb_per_month_is_0_3042_tbps() {
        let d = daily_change(Bytes::from_pb(450.0), ChangeBasis::PbPerMonth, 100.0);
        assert!(close(sustained_rate(d).tbps(), 0.3042, 5e-5));
    }

    #[test]
    fn change_value_ranges_name_the_field() {
        assert!(ChangeBasis::PercentPerDay.check_value(100.0).is_ok());
        let e = ChangeBasis::PercentPerDay.check_value(101.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "change.value must be between 0 and 100, got 101"
        );
        let e = ChangeBasis::PbPerDay.check_value(-1.0).unwrap_err();
        assert_eq!(e.to_string(), "change.value must be ≥ 0, got -1");
        assert!(ChangeBasis::PbPerMonth.check_value(1e6).is_ok());
    }

    #[test]
    fn pb_per_day_ignores_lake_size() {
        let a = daily_change(Bytes::from_pb(1.0), ChangeBasis::PbPerDay, 3.0);
        let b = daily_change(Bytes::from_pb(900.0), ChangeBasis::PbPerDay, 3.0);
        assert_eq!(a, b);
        assert!(close(a.pb_per_day(), 3.0, 1e-12));
    }

    proptest! {
        /// A higher change rate never needs less bandwidth.
        #[test]
        fn more_change_never_less_bandwidth(lake in 0.001f64..10_000.0, a in 0.0f64..100.0, b in 0.0f64..100.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let r_lo = sustained_rate(daily_change(Bytes::from_pb(lake), ChangeBasis::PercentPerDay, lo));
            let r_hi = sustained_rate(daily_change(Bytes::from_pb(lake), ChangeBasis::PercentPerDay, hi));
            prop_assert!(r_hi >= r_lo);
        }
    }
}
