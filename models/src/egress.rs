//! Egress volume and what the cloud charges for it
//! (`docs/model.md#egress-and-network-cost`).
//!
//! These are the model-side price inputs: the price book maps its CSV rows (with their
//! unit, tier bounds, source and date) onto [`EgressRate`] and the unit types of
//! [`crate::units`]. The billed unit is part of the type, so a per-GB row cannot be
//! applied to a GiB volume by mistake.
//!
//! Choices where the spec is silent:
//! - Tiers are graduated: each tier's price applies to the part of the month's volume
//!   inside it. Tiers reset every calendar month and apply to the month's total volume
//!   (all copies leaving the cloud), as cloud bills do.
//! - A tier list whose last tier has an upper bound is read as "and above": volume past
//!   the last bound pays the last tier's price, rather than travelling for free.
//! - Requests: each object leaving the cloud is one GET per copy; objects = volume / mean
//!   object size (decimal MB).

use crate::units::{Bytes, BytesPerDay, Usd, UsdPerGb, UsdPerGib, UsdPerRequest, VolumePrice};

/// One price band of a tiered rate: `price` for the volume from the previous tier's bound
/// up to `up_to` (`None`: no upper bound).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tier<P> {
    pub up_to: Option<Bytes>,
    pub price: P,
}

/// How a cloud prices egress: flat or tiered, per GB or per GiB.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "rate")]
pub enum EgressRate {
    FlatPerGb(UsdPerGb),
    FlatPerGib(UsdPerGib),
    /// Tiers in increasing bound order.
    TieredPerGb(Vec<Tier<UsdPerGb>>),
    TieredPerGib(Vec<Tier<UsdPerGib>>),
}

impl EgressRate {
    /// The charge for one calendar month's `volume`.
    pub fn cost(&self, volume: Bytes) -> Usd {
        match self {
            EgressRate::FlatPerGb(p) => p.cost(volume),
            EgressRate::FlatPerGib(p) => p.cost(volume),
            EgressRate::TieredPerGb(t) => tiered_cost(t, volume),
            EgressRate::TieredPerGib(t) => tiered_cost(t, volume),
        }
    }
}

fn tiered_cost<P: VolumePrice>(tiers: &[Tier<P>], volume: Bytes) -> Usd {
    let mut total = Usd::ZERO;
    let mut lower = Bytes(0.0);
    for (i, tier) in tiers.iter().enumerate() {
        let last = i + 1 == tiers.len();
        let upper = match tier.up_to {
            Some(b) if !last => b,
            _ => volume,
        };
        let part = Bytes(upper.0.min(volume.0) - lower.0);
        if part.0 > 0.0 {
            total += tier.price.cost(part);
        }
        if upper >= volume {
            break;
        }
        lower = upper;
    }
    total
}

/// V = D(m) · days in the month · copies leaving the cloud.
pub fn monthly_volume(daily: BytesPerDay, days: u32, copies: f64) -> Bytes {
    daily.over_days(f64::from(days)) * copies
}

/// Objects fetched to move `volume`: volume / mean object size.
pub fn objects(volume: Bytes, mean_object: Bytes) -> f64 {
    if mean_object.0 > 0.0 {
        volume / mean_object
    } else {
        0.0
    }
}

/// Per-request charges for moving `volume` in objects of `mean_object`.
pub fn request_cost(volume: Bytes, mean_object: Bytes, price: UsdPerRequest) -> Usd {
    price.cost(objects(volume, mean_object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Month;
    use crate::units::UsdPerHour;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn example_tiers() -> EgressRate {
        EgressRate::TieredPerGib(vec![
            Tier {
                up_to: Some(Bytes::from_tib(1.0)),
                price: UsdPerGib(0.12),
            },
            Tier {
                up_to: Some(Bytes::from_tib(10.0)),
                price: UsdPerGib(0.11),
            },
            Tier {
                up_to: None,
                price: UsdPerGib(0.08),
            },
        ])
    }

    /// docs/model.md#egress-and-network-cost: tiers 0–1 TiB $0.12, 1–10 TiB $0.11, above $0.08
    /// per GiB: 20 TiB costs $1 955.84.
    #[test]
    fn tiered_example() {
        let cost = example_tiers().cost(Bytes::from_tib(20.0));
        assert!(close(cost.0, 1955.84, 1e-9));
        // Inside the first tier only the first price applies.
        assert!(close(
            example_tiers().cost(Bytes::from_gib(100.0)).0,
            12.0,
            1e-9
        ));
        assert_eq!(example_tiers().cost(Bytes(0.0)), Usd::ZERO);
    }

    /// docs/model.md#egress-and-network-cost: flat $0.02/GiB on 45 PB/day for a 31-day month:
    /// $25 983 899.83.
    #[test]
    fn flat_example() {
        let v = monthly_volume(BytesPerDay::from_pb_per_day(45.0), 31, 1.0);
        assert!(close(v.gib(), 1_299_194_991.59, 0.005));
        let cost = EgressRate::FlatPerGib(UsdPerGib(0.02)).cost(v);
        assert!(close(cost.0, 25_983_899.83, 0.005));
        // The same volume at $0.02 per GB is 7.4 % dearer: the unit matters.
        let per_gb = EgressRate::FlatPerGb(UsdPerGb(0.02)).cost(v);
        assert!(close(per_gb.0, 27_900_000.0, 1e-6));
    }

    /// A bounded last tier prices the rest at its own rate.
    #[test]
    fn last_tier_extends() {
        let t = EgressRate::TieredPerGb(vec![
            Tier {
                up_to: Some(Bytes::from_tb(10.0)),
                price: UsdPerGb(0.09),
            },
            Tier {
                up_to: Some(Bytes::from_tb(50.0)),
                price: UsdPerGb(0.085),
            },
        ]);
        let cost = t.cost(Bytes::from_tb(60.0));
        assert!(close(cost.0, 10_000.0 * 0.09 + 50_000.0 * 0.085, 1e-6));
    }

    #[test]
    fn requests_and_port_hours() {
        let v = Bytes::from_pb(1.0);
        let mb64 = Bytes::from_gb(0.064);
        assert!(close(objects(v, mb64), 15_625_000.0, 1e-6));
        assert!(close(
            request_cost(v, mb64, UsdPerRequest::per_10k(0.004)).0,
            6.25,
            1e-9
        ));
        // 50 × 100 G ports at $23.28/h for January's 744 hours.
        let jan = Month::new(2026, 1).map_or(0.0, Month::hours);
        assert_eq!(jan, 744.0);
        assert!(close(UsdPerHour(23.28).cost(50.0, jan).0, 866_016.0, 1e-6));
    }

    proptest! {
        /// More volume never costs less, and tiered cost is never above the first tier's
        /// price applied to everything when prices fall with volume.
        #[test]
        fn tiered_cost_is_monotone(a in 0.0f64..100.0, b in 0.0f64..100.0) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let t = example_tiers();
            prop_assert!(t.cost(Bytes::from_tib(hi)) >= t.cost(Bytes::from_tib(lo)));
            prop_assert!(t.cost(Bytes::from_tib(hi)).0 <= UsdPerGib(0.12).cost(Bytes::from_tib(hi)).0 + 1e-9);
        }
    }
}
