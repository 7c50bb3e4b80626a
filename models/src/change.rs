//! Daily change and the replication bandwidth it needs
//! (`docs/model.md#change-and-replication-bandwidth`).
//!
//! All rates here are payload rates (bytes of the lake, as bits per second). The wire
//! carries more: TCP/IPv4 and Ethernet framing cost a share given by [`wire_efficiency`],
//! and the link module divides by it where a payload meets a wire.

use crate::field::FieldError;
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
        const VALUE: &crate::inputs::InputSpec = crate::inputs::get("change.value");
        VALUE
            .check(VALUE.path, value, self == ChangeBasis::PercentPerDay)
            .map(|()| value)
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

/// The rate that replicates the daily change within a window of `window_hours` a day:
/// R_w = D·8 / (W·3600). A window of 24 h gives the sustained rate.
pub fn window_rate(change: BytesPerDay, window_hours: f64) -> BitRate {
    change.rate_over(window_hours * 3600.0)
}

/// The busy-day rate: R_peak = R_w · peak_to_mean. Links and nodes are sized for it.
pub fn peak_rate(change: BytesPerDay, window_hours: f64, peak_to_mean: f64) -> BitRate {
    window_rate(change, window_hours) * peak_to_mean
}

/// Bytes of TCP/IPv4 header in every packet (20 IP + 20 TCP, no options).
pub const TCP_IP_HEADER_BYTES: u32 = 40;
/// Bytes the TCP timestamps option adds to every segment's header (10, padded to 12;
/// RFC 7323), which Linux sends by default: 1 448 payload bytes at MTU 1500, not 1 460.
pub const TCP_TIMESTAMPS_BYTES: u32 = 12;
/// Bytes the Ethernet wire spends per frame around the IP packet: preamble 8, header 14,
/// FCS 4, inter-frame gap 12 (IEEE 802.3).
pub const ETHERNET_OVERHEAD_BYTES: u32 = 38;

/// The share of the wire that is payload for TCP/IPv4 over Ethernet at this MTU, with
/// `header_bytes` of TCP/IP header a packet (40, or 52 with timestamps):
/// e = (MTU − H)/(MTU + 38) (`docs/model.md#change-and-replication-bandwidth`). MTUs at or
/// below the header carry nothing and give 0.
pub fn wire_efficiency(mtu_bytes: u32, header_bytes: u32) -> f64 {
    let payload = f64::from(mtu_bytes.saturating_sub(header_bytes));
    payload / (f64::from(mtu_bytes) + f64::from(ETHERNET_OVERHEAD_BYTES))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md#change-and-replication-bandwidth: 450 PB at 10 %/day → D = 45 PB/day
    /// → R = 4.1667 Tbps.
    #[test]
    fn reference_lake_needs_4_1667_tbps() {
        let d = daily_change(Bytes::from_pb(450.0), ChangeBasis::PercentPerDay, 10.0);
        assert!(close(d.pb_per_day(), 45.0, 1e-9));
        assert!(close(sustained_rate(d).tbps(), 4.1667, 5e-5));
    }

    /// docs/model.md#change-and-replication-bandwidth: 770 PB at 10 %/day → 7.1296 Tbps.
    #[test]
    fn grown_lake_needs_7_1296_tbps() {
        let d = daily_change(Bytes::from_pb(770.0), ChangeBasis::PercentPerDay, 10.0);
        assert!(close(sustained_rate(d).tbps(), 7.1296, 5e-5));
    }

    /// docs/model.md#change-and-replication-bandwidth: a "100 PB/month" claim is 0.3042 Tbps.
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

    /// docs/model.md#change-and-replication-bandwidth: 1500 → 0.94928, 9000 → 0.99137.
    #[test]
    fn wire_efficiency_examples() {
        assert!(close(wire_efficiency(1500, 40), 0.94928, 5e-6));
        assert!(close(wire_efficiency(9000, 40), 0.99137, 5e-6));
        assert_eq!(wire_efficiency(40, 40), 0.0);
        // With timestamps: 1448/1538 and 8948/9038, about 0.8 % and 0.13 % less.
        assert!(close(wire_efficiency(1500, 52), 1448.0 / 1538.0, 1e-15));
        assert!(close(wire_efficiency(1500, 52), 0.941482, 5e-7));
        assert!(close(wire_efficiency(9000, 52), 0.990042, 5e-7));
        assert_eq!(wire_efficiency(52, 52), 0.0);
    }

    /// A 6-hour window needs four times the sustained rate; a busy day of 1.5× half again.
    #[test]
    fn window_and_peak_rates() {
        let d = BytesPerDay::from_pb_per_day(45.0);
        assert!(close(window_rate(d, 24.0).tbps(), 4.1667, 5e-5));
        assert!(close(window_rate(d, 6.0).tbps(), 16.6667, 5e-5));
        assert!(close(peak_rate(d, 6.0, 1.5).tbps(), 25.0, 1e-9));
        assert_eq!(window_rate(d, 24.0), sustained_rate(d));
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
