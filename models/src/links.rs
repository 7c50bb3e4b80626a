//! Link bundles and whether they carry the change (`docs/model.md#links-and-feasibility`;
//! seeding: `docs/model.md#seeding-the-first-copy`).
//!
//! A path is a bundle of equal ports. Capacity is a wire rate; everything the lake asks
//! for is a payload rate, so the two meet only through the wire efficiency e.
//!
//! Choices where the spec is silent:
//! - `ports_needed` counts the ports for the change alone (R_peak); seeding rides on
//!   whatever headroom is left, as the seeding formula says. A path with no change
//!   needs 0 ports.
//! - When only the busy-day rate exceeds K, the backlog left at the end of a busy day's
//!   window is (R_peak − K)·W·3600/8 bytes, and it drains at the headroom over the daily
//!   average, K − R. The window is where the plan wants the change shipped, not a hard
//!   stop: outside it the link keeps sending.
//! - Seeding a path that carries nothing finishes at once (0 s).

use crate::units::{BitRate, Bytes, SECONDS_PER_DAY};

/// A bundle of `ports` links of one speed, planned to at most `max_utilization` of its
/// wire, carrying TCP/IPv4 at wire efficiency `efficiency`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bundle {
    pub ports: u32,
    pub port_speed: BitRate,
    /// u_max, in (0, 1].
    pub max_utilization: f64,
    /// e from [`crate::change::wire_efficiency`].
    pub efficiency: f64,
}

impl Bundle {
    /// C = ports × port speed (wire).
    pub fn capacity(&self) -> BitRate {
        self.port_speed * f64::from(self.ports)
    }

    /// K = C · u_max · e: the payload the plan lets this bundle carry.
    pub fn payload_capacity(&self) -> BitRate {
        self.capacity() * (self.max_utilization * self.efficiency)
    }

    /// The share of the wire a payload rate occupies: (R / e) / C.
    pub fn utilization(&self, payload: BitRate) -> f64 {
        (payload / self.efficiency) / self.capacity()
    }

    /// Feasible when the busy-day rate fits the planned ceiling: R_peak ≤ K.
    pub fn feasible(&self, peak: BitRate) -> bool {
        peak <= self.payload_capacity()
    }

    /// ceil(R_peak / (port speed · u_max · e)).
    pub fn ports_needed(&self, peak: BitRate) -> u64 {
        let per_port = self.port_speed * (self.max_utilization * self.efficiency);
        ceil_count(peak / per_port)
    }

    /// What the daily average leaves for other traffic (seeding): K − R, negative when the
    /// bundle falls behind every day.
    pub fn headroom(&self, sustained: BitRate) -> BitRate {
        self.payload_capacity() - sustained
    }

    /// What happens to the change that does not fit. See the module doc for the model.
    pub fn backlog(&self, sustained: BitRate, peak: BitRate, window_hours: f64) -> Backlog {
        let k = self.payload_capacity();
        if sustained > k {
            Backlog::GrowsForever {
                per_day: (sustained - k).bytes_in(SECONDS_PER_DAY),
            }
        } else if peak > k {
            let left = (peak - k).bytes_in(window_hours * 3600.0);
            Backlog::DrainsAfterPeak {
                busy_day_backlog: left,
                drain_seconds: left.seconds_at(k - sustained),
            }
        } else {
            Backlog::KeepsUp { headroom: k - peak }
        }
    }
}

/// ceil of a non-negative count; NaN or negative give 0, and a count too large for u64
/// saturates (only reachable with absurd inputs that validation refuses). Written with
/// truncating casts rather than `f64::ceil`, which is a libm call on baseline x86-64 and
/// showed in the report's profile; and through `i64` below 2^52, where a cast either way
/// is one instruction, while the `u64` casts are branchy sequences that showed too.
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub(crate) fn ceil_count(x: f64) -> u64 {
    /// From 2^52 on every f64 is a whole number: its own ceiling.
    const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    if x < WHOLE_FROM {
        // 0 < x < 2^52: `as` truncates toward zero, exactly, and `whole` fits in i64.
        let whole = x as i64;
        let ceil = if (whole as f64) < x { whole + 1 } else { whole };
        return ceil.unsigned_abs();
    }
    // `as` saturates past u64::MAX.
    x as u64
}

/// [`ceil_count`] in WebAssembly, where `f64.ceil` and the saturating conversion are one
/// instruction each: NaN and anything ≤ 0 convert to 0, past `u64::MAX` to `u64::MAX`,
/// as above (the Monte Carlo's trials count with it ten million times a run).
#[cfg(target_arch = "wasm32")]
#[inline]
pub(crate) fn ceil_count(x: f64) -> u64 {
    x.ceil() as u64
}

/// The verdict on a path's backlog, in numbers; [`Backlog::describe`] gives the words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backlog {
    /// The busy-day rate fits, with this much payload capacity to spare.
    KeepsUp { headroom: BitRate },
    /// The daily average fits but the busy-day window does not: this much is left over at
    /// the end of a busy day, and it drains in `drain_seconds` at the spare capacity.
    DrainsAfterPeak {
        busy_day_backlog: Bytes,
        drain_seconds: f64,
    },
    /// The daily average does not fit: the backlog grows by `per_day` every day, forever.
    GrowsForever { per_day: Bytes },
}

impl Backlog {
    /// A stable machine name for the verdict (report field `backlog`).
    pub fn kind(&self) -> &'static str {
        match self {
            Backlog::KeepsUp { .. } => "keeps_up",
            Backlog::DrainsAfterPeak { .. } => "drains_after_peak",
            Backlog::GrowsForever { .. } => "grows_forever",
        }
    }

    /// The verdict as a sentence for the page and the PDF.
    pub fn describe(&self) -> String {
        match self {
            Backlog::KeepsUp { headroom } => {
                format!("keeps up on busy days with {headroom} of payload to spare")
            }
            Backlog::DrainsAfterPeak {
                busy_day_backlog,
                drain_seconds,
            } => format!(
                "falls behind by {busy_day_backlog} by the end of a busy day's window, then drains in {} hours",
                crate::display::grouped(drain_seconds / 3600.0, 1)
            ),
            Backlog::GrowsForever { per_day } => {
                format!("falls behind by {per_day} every day and never catches up")
            }
        }
    }
}

/// Seconds to seed `seed` bytes through a bundle of payload capacity `k` while it also
/// carries the daily average `sustained`: S·8 / (K − R). `None` when K ≤ R: it never
/// finishes.
pub fn seeding_seconds(seed: Bytes, k: BitRate, sustained: BitRate) -> Option<f64> {
    if seed.0 <= 0.0 {
        return Some(0.0);
    }
    let spare = k - sustained;
    (spare.0 > 0.0).then(|| seed.seconds_at(spare))
}

/// Seeding a topology takes as long as its slowest path; `None` if any path never
/// finishes.
pub fn slowest(paths: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    paths
        .into_iter()
        .try_fold(0.0f64, |worst, p| p.map(|s| worst.max(s)))
}

/// The first month (index) at which any of the per-month feasibility flags is false.
pub fn first_infeasible(feasible_by_month: impl IntoIterator<Item = bool>) -> Option<usize> {
    feasible_by_month.into_iter().position(|ok| !ok)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::change::{sustained_rate, wire_efficiency};
    use crate::units::BytesPerDay;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn hundred_g(ports: u32) -> Bundle {
        Bundle {
            ports,
            port_speed: BitRate::from_gbps(100.0),
            max_utilization: 0.8,
            efficiency: wire_efficiency(9000, 40),
        }
    }

    fn reference_rate() -> BitRate {
        sustained_rate(BytesPerDay::from_pb_per_day(45.0))
    }

    /// docs/model.md#links-and-feasibility: 50 × 100 G carries 3.9655 Tbps of payload →
    /// infeasible, 84.06 % wire utilisation; 53 ports are needed.
    #[test]
    fn fifty_ports_are_not_enough() {
        let b = hundred_g(50);
        let r = reference_rate();
        assert!(close(b.capacity().gbps(), 5000.0, 1e-9));
        assert!(close(b.payload_capacity().tbps(), 3.9655, 5e-5));
        assert!(close(b.payload_capacity().gbps(), 3965.48, 5e-3));
        assert!(!b.feasible(r));
        assert!(close(b.utilization(r) * 100.0, 84.06, 5e-3));
        assert_eq!(b.ports_needed(r), 53);
        assert!(matches!(
            b.backlog(r, r, 24.0),
            Backlog::GrowsForever { .. }
        ));
        assert_eq!(
            seeding_seconds(Bytes::from_pb(450.0), b.payload_capacity(), r),
            None
        );
    }

    /// docs/model.md#seeding-the-first-copy: with 53 ports the headroom is 0.0367 Tbps and
    /// seeding 450 PB takes 1 134 days; with 64 ports, 45.8 days.
    #[test]
    fn seeding_needs_headroom() {
        let r = reference_rate();
        let b53 = hundred_g(53);
        assert!(b53.feasible(r));
        assert!(close(b53.headroom(r).tbps(), 0.0367, 5e-5));
        let days = seeding_seconds(Bytes::from_pb(450.0), b53.payload_capacity(), r).unwrap()
            / SECONDS_PER_DAY;
        assert_eq!(days.round(), 1134.0);
        let b64 = hundred_g(64);
        let days = seeding_seconds(Bytes::from_pb(450.0), b64.payload_capacity(), r).unwrap()
            / SECONDS_PER_DAY;
        assert!(close(days, 45.8, 0.05));
        assert_eq!(
            seeding_seconds(Bytes(0.0), b64.payload_capacity(), r),
            Some(0.0)
        );
    }

    /// The daily average fits 53 ports but a 1.5× busy day does not: the backlog of a busy
    /// day is (R_peak − K)·86 400/8 and drains at K − R.
    #[test]
    fn busy_day_backlog_drains() {
        let r = reference_rate();
        let b = hundred_g(53);
        let peak = r * 1.5;
        match b.backlog(r, peak, 24.0) {
            Backlog::DrainsAfterPeak {
                busy_day_backlog,
                drain_seconds,
            } => {
                let k = b.payload_capacity();
                let expect = (peak.0 - k.0) * 86_400.0 / 8.0;
                assert!(close(busy_day_backlog.0, expect, 1.0));
                assert!(close(drain_seconds, expect * 8.0 / (k.0 - r.0), 1e-6));
                assert!(b
                    .backlog(r, peak, 24.0)
                    .describe()
                    .starts_with("falls behind by"));
            }
            other => panic!("expected a draining backlog, got {other:?}"),
        }
        assert_eq!(b.backlog(r, r, 24.0).kind(), "keeps_up");
        assert!(hundred_g(50)
            .backlog(r, r, 24.0)
            .describe()
            .contains("never catches up"));
    }

    #[test]
    fn counts_round_up() {
        assert_eq!(ceil_count(0.0), 0);
        assert_eq!(ceil_count(-3.0), 0);
        assert_eq!(ceil_count(f64::NAN), 0);
        assert_eq!(ceil_count(1e-300), 1);
        assert_eq!(ceil_count(52.0), 52);
        assert_eq!(ceil_count(52.000_000_1), 53);
        assert_eq!(ceil_count(4_503_599_627_370_495.5), 4_503_599_627_370_496);
        assert_eq!(ceil_count(4_503_599_627_370_496.0), 4_503_599_627_370_496);
        assert_eq!(ceil_count(4_503_599_627_370_497.0), 4_503_599_627_370_497);
        assert_eq!(ceil_count(0.5), 1);
        assert_eq!(ceil_count(1.0), 1);
        assert_eq!(ceil_count(18_446_744_073_709_551_616.0), u64::MAX);
        assert_eq!(ceil_count(1e300), u64::MAX);
        assert_eq!(ceil_count(f64::INFINITY), u64::MAX);
    }

    #[test]
    fn slowest_path_and_first_infeasible_month() {
        assert_eq!(slowest([Some(3.0), Some(7.0)]), Some(7.0));
        assert_eq!(slowest([Some(3.0), None]), None);
        assert_eq!(slowest(std::iter::empty()), Some(0.0));
        assert_eq!(first_infeasible([true, true, false, true]), Some(2));
        assert_eq!(first_infeasible([true, true]), None);
    }

    proptest! {
        /// More ports are never less feasible and never lower the payload capacity.
        #[test]
        fn more_ports_never_less_feasible(ports in 1u32..500, extra in 0u32..500, tbps in 0.0f64..50.0, mtu in 576u32..9216) {
            let rate = BitRate::from_tbps(tbps);
            let mk = |p| Bundle { ports: p, port_speed: BitRate::from_gbps(100.0), max_utilization: 0.8, efficiency: wire_efficiency(mtu, 40) };
            let (few, many) = (mk(ports), mk(ports + extra));
            prop_assert!(many.payload_capacity() >= few.payload_capacity());
            prop_assert!(!few.feasible(rate) || many.feasible(rate));
            prop_assert_eq!(few.ports_needed(rate), many.ports_needed(rate));
        }

        /// A higher rate never needs fewer ports.
        #[test]
        fn ceil_count_is_ceil(x in 0.0f64..1e15) {
            prop_assert_eq!(ceil_count(x), x.ceil() as u64);
        }

        /// The i64 fast path gives what the plain u64 form did, for every f64 (any bit
        /// pattern: NaNs, infinities, negatives, huge) and around 2^52, where it hands over.
        #[test]
        fn ceil_count_matches_the_u64_form(bits in any::<u64>(), near in 4.5e15f64..4.51e15) {
            let plain = |x: f64| -> u64 {
                if x.is_nan() || x <= 0.0 {
                    return 0;
                }
                let whole = x as u64;
                if (whole as f64) < x { whole.saturating_add(1) } else { whole }
            };
            let x = f64::from_bits(bits);
            prop_assert_eq!(ceil_count(x), plain(x));
            prop_assert_eq!(ceil_count(near), plain(near));
        }

        #[test]
        fn higher_rate_never_fewer_ports(a in 0.0f64..50.0, b in 0.0f64..50.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let bundle = hundred_g(10);
            prop_assert!(bundle.ports_needed(BitRate::from_tbps(hi)) >= bundle.ports_needed(BitRate::from_tbps(lo)));
        }
    }
}
