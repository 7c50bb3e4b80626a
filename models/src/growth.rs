//! The lake's growth curve (`docs/model.md#timeline-and-growth`).
//!
//! Month m of a plan (m = 0 … horizon−1) is the calendar month `start + m` (see
//! [`crate::calendar::Month`]), and the lake size for that month is the curve's value at
//! t = m months. Every curve passes exactly through the points it was given, bit for bit
//! rather than to within rounding: w = 0 evaluates to L0 by construction and w = 1 returns
//! L1 itself.
//!
//! Choices where the spec is silent:
//! - **logistic**: the S-curve's midpoint (fastest growth) is at T/2, and its steepness is
//!   10/T per month, so that 99.3 % of the S lies inside [0, T]. The curve is rescaled to
//!   pass through L0 at t = 0 and L1 at t = T exactly; past T it keeps approaching its
//!   ceiling, L1 + 0.67 % of (L1 − L0), as a saturating market would.
//! - **points**: `initial_pb` is the point at t = 0, the listed points follow in month order;
//!   between points the size is linear in months, past the last point it holds.
//! - **linear** and **compound** continue their trend past T (a linear decline is floored
//!   at zero: a lake cannot hold negative bytes).

use crate::units::Bytes;

/// Steepness of the logistic curve over [0, T] (see the module doc).
pub const LOGISTIC_STEEPNESS: f64 = 10.0;

/// The lake's size as a function of months from the start.
#[derive(Debug, Clone, PartialEq)]
pub enum Curve {
    Linear {
        initial: Bytes,
        target: Bytes,
        /// Months from the start to the target (> 0).
        months: f64,
    },
    Compound {
        initial: Bytes,
        target: Bytes,
        months: f64,
    },
    Logistic {
        initial: Bytes,
        target: Bytes,
        months: f64,
    },
    /// `initial` at t = 0, then `(t, size)` points in increasing t (t > 0).
    Points {
        initial: Bytes,
        points: Vec<(f64, Bytes)>,
    },
}

/// The maths a curve's `exp` and `pow` come from. The report uses the platform's
/// ([`Platform`]), which may round differently in the last bit natively and in wasm32;
/// the Monte Carlo uses the `libm` crate ([`Portable`]), the same code on both targets,
/// because a seed must give the same bits in the browser and on the server. Everything
/// else about a curve is the same functions for both.
pub trait Maths {
    fn exp(x: f64) -> f64;
    fn pow(x: f64, y: f64) -> f64;
}

/// The platform's maths library (`f64::exp`, `f64::powf`): the report's curves.
pub struct Platform;

impl Maths for Platform {
    #[inline]
    fn exp(x: f64) -> f64 {
        x.exp()
    }
    #[inline]
    fn pow(x: f64, y: f64) -> f64 {
        x.powf(y)
    }
}

/// The `libm` crate: the same bits on every target (the Monte Carlo's curves).
pub struct Portable;

impl Maths for Portable {
    #[inline]
    fn exp(x: f64) -> f64 {
        libm::exp(x)
    }
    #[inline]
    fn pow(x: f64, y: f64) -> f64 {
        libm::pow(x, y)
    }
}

fn sigmoid<M: Maths>(x: f64) -> f64 {
    1.0 / (1.0 + M::exp(-x))
}

/// `a` at w = 0 and `b` at w = 1, both exactly; linear in w between and beyond.
pub fn mix(a: Bytes, b: Bytes, w: f64) -> Bytes {
    if w == 1.0 {
        b
    } else {
        Bytes(a.0 + (b.0 - a.0) * w)
    }
}

/// The linear curve at `w` = t / T: floored at zero, as a lake cannot hold negative bytes.
#[inline]
pub fn linear(initial: Bytes, target: Bytes, w: f64) -> Bytes {
    Bytes(mix(initial, target, w).0.max(0.0))
}

/// The compound curve at `w` = t / T: L0 · (L1/L0)^w, exactly L1 at w = 1. The ratio form
/// cannot overflow far past T, as L0^(1−w)·L1^w would.
#[inline]
pub fn compound<M: Maths>(initial: Bytes, target: Bytes, w: f64) -> Bytes {
    if w == 1.0 {
        target
    } else {
        Bytes(initial.0 * M::pow(target.0 / initial.0, w))
    }
}

/// The logistic curve's weight at `share` = t / T: the S rescaled to 0 at t = 0 and 1 at
/// t = T. It does not depend on the sizes, so a caller evaluating many targets over the
/// same months computes it once per month and mixes ([`mix`]).
pub fn logistic_weight<M: Maths>(share: f64) -> f64 {
    let s = LOGISTIC_STEEPNESS;
    let lo = sigmoid::<M>(-s / 2.0);
    let hi = sigmoid::<M>(s / 2.0);
    (sigmoid::<M>(s * (share - 0.5)) - lo) / (hi - lo)
}

impl Curve {
    /// The lake at `t` months from the start (t ≥ 0), with the platform's maths: the
    /// report's figure.
    pub fn at(&self, t: f64) -> Bytes {
        self.at_with::<Platform>(t)
    }

    /// The lake at `t` months from the start, with `M`'s `exp` and `pow`.
    pub fn at_with<M: Maths>(&self, t: f64) -> Bytes {
        match self {
            Curve::Linear {
                initial,
                target,
                months,
            } => linear(*initial, *target, t / months),
            Curve::Compound {
                initial,
                target,
                months,
            } => compound::<M>(*initial, *target, t / months),
            Curve::Logistic {
                initial,
                target,
                months,
            } => mix(*initial, *target, logistic_weight::<M>(t / months)),
            Curve::Points { initial, points } => {
                let mut prev = (0.0, *initial);
                for &(pt, size) in points {
                    if t <= pt {
                        let span = pt - prev.0;
                        if span <= 0.0 {
                            return size;
                        }
                        return mix(prev.1, size, (t - prev.0) / span);
                    }
                    prev = (pt, size);
                }
                prev.1
            }
        }
    }

    /// The size at t = 0.
    pub fn initial(&self) -> Bytes {
        match self {
            Curve::Linear { initial, .. }
            | Curve::Compound { initial, .. }
            | Curve::Logistic { initial, .. }
            | Curve::Points { initial, .. } => *initial,
        }
    }

    /// The growth rate per year that takes the start size to the last given size in the
    /// same time: (L1/L0)^(12/T) − 1. For the compound curve this is its exact CAGR; for
    /// the others it is the equivalent headline figure. `None` for a flat points curve
    /// (no later point) or a zero start.
    pub fn implied_cagr(&self) -> Option<f64> {
        let (l0, l1, months) = match self {
            Curve::Linear {
                initial,
                target,
                months,
            }
            | Curve::Compound {
                initial,
                target,
                months,
            }
            | Curve::Logistic {
                initial,
                target,
                months,
            } => (*initial, *target, *months),
            Curve::Points { initial, points } => {
                let &(t, last) = points.last()?;
                (*initial, last, t)
            }
        };
        (l0.0 > 0.0 && months > 0.0).then(|| (l1 / l0).powf(12.0 / months) - 1.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn pb(v: f64) -> Bytes {
        Bytes::from_pb(v)
    }
    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md#timeline-and-growth: 450 → 770 PB over 48 months, compound: CAGR 14.372 %,
    /// L(12) = 514.674 PB, L(24) = 588.643 PB.
    #[test]
    fn compound_example() {
        let c = Curve::Compound {
            initial: pb(450.0),
            target: pb(770.0),
            months: 48.0,
        };
        assert!(close(c.implied_cagr().unwrap() * 100.0, 14.372, 5e-4));
        assert!(close(c.at(12.0).pb(), 514.674, 5e-4));
        assert!(close(c.at(24.0).pb(), 588.643, 5e-4));
        assert_eq!(c.at(0.0), pb(450.0));
        assert_eq!(c.at(48.0), pb(770.0));
        // Past T the trend continues: one more year of 14.372 %.
        assert!(close(c.at(60.0).pb(), 770.0 * 1.143_72, 0.01));
    }

    /// docs/model.md#timeline-and-growth: linear gives L(12) = 530 PB.
    #[test]
    fn linear_example() {
        let c = Curve::Linear {
            initial: pb(450.0),
            target: pb(770.0),
            months: 48.0,
        };
        assert!(close(c.at(12.0).pb(), 530.0, 1e-9));
        assert_eq!(c.at(48.0), pb(770.0));
        assert!(close(c.at(60.0).pb(), 850.0, 1e-9));
        let shrinking = Curve::Linear {
            initial: pb(100.0),
            target: pb(50.0),
            months: 12.0,
        };
        assert_eq!(shrinking.at(100.0), Bytes(0.0));
    }

    #[test]
    fn logistic_passes_through_its_ends_and_is_steepest_mid_way() {
        let c = Curve::Logistic {
            initial: pb(450.0),
            target: pb(770.0),
            months: 48.0,
        };
        assert_eq!(c.at(0.0), pb(450.0));
        assert_eq!(c.at(48.0), pb(770.0));
        assert!(close(c.at(24.0).pb(), 610.0, 1e-9));
        let step = |t: f64| c.at(t + 1.0).pb() - c.at(t).pb();
        assert!(step(23.5) > step(10.0) && step(23.5) > step(37.0));
        // Past T it approaches the ceiling but never passes L1 + 0.67 % of the rise.
        let ceiling = 770.0
            + 320.0 * sigmoid::<Platform>(-5.0)
                / (sigmoid::<Platform>(5.0) - sigmoid::<Platform>(-5.0));
        assert!(c.at(120.0).pb() > 770.0 && c.at(120.0).pb() < ceiling);
    }

    #[test]
    fn points_interpolate_and_hold() {
        let c = Curve::Points {
            initial: pb(100.0),
            points: vec![(12.0, pb(200.0)), (24.0, pb(180.0))],
        };
        assert_eq!(c.at(0.0), pb(100.0));
        assert!(close(c.at(6.0).pb(), 150.0, 1e-9));
        assert_eq!(c.at(12.0), pb(200.0));
        assert!(close(c.at(18.0).pb(), 190.0, 1e-9));
        assert_eq!(c.at(24.0), pb(180.0));
        assert_eq!(c.at(40.0), pb(180.0));
        assert!(close(c.implied_cagr().unwrap(), 1.8f64.sqrt() - 1.0, 1e-12));
    }

    proptest! {
        /// A growing curve never shrinks month to month (beyond the last bit of a flat
        /// curve's rounding).
        #[test]
        fn growing_curves_are_monotone(l0 in 1.0f64..1000.0, grow in 0.0f64..1000.0, months in 1u32..120, t in 0u32..200) {
            let (initial, target, months) = (pb(l0), pb(l0 + grow), f64::from(months));
            for c in [
                Curve::Linear { initial, target, months },
                Curve::Compound { initial, target, months },
                Curve::Logistic { initial, target, months },
            ] {
                prop_assert!(c.at(f64::from(t) + 1.0).0 >= c.at(f64::from(t)).0 * (1.0 - 1e-12));
                prop_assert_eq!(c.at(months), target);
                prop_assert_eq!(c.at(0.0), initial);
            }
        }
    }
}
