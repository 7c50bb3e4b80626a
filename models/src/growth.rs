//! Calendar months and the lake's growth curve (`spec/MODEL.md`, "Timeline and growth").
//!
//! Month m of a plan (m = 0 … horizon−1) is the calendar month `start + m`, and the lake
//! size for that month is the curve's value at t = m months. Every curve passes exactly
//! through the points it was given, bit for bit rather than to within rounding: w = 0
//! evaluates to L0 by construction and w = 1 returns L1 itself.
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

use std::fmt;
use std::str::FromStr;

use crate::units::Bytes;

/// A calendar month. Small and `Copy`, with the arithmetic a monthly plan needs and no
/// time zones: the model plans in whole months and real month lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1 = January … 12 = December.
    month: u8,
}

/// Why a month string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a month written YYYY-MM (e.g. 2026-01), got \"{0}\"")]
pub struct MonthError(pub String);

impl Month {
    /// A valid month for a scenario whose `start_month` could not be read, so validation
    /// can go on and report every other problem too.
    pub(crate) const PLACEHOLDER: Month = Month {
        year: 2000,
        month: 1,
    };

    /// The month, or `None` when `month` is not 1–12 or the year is outside 1–9999
    /// (a four-digit year is what the file format can write).
    pub fn new(year: i32, month: u8) -> Option<Month> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }
    pub fn year(self) -> i32 {
        self.year
    }
    /// 1 = January … 12 = December.
    pub fn month(self) -> u8 {
        self.month
    }
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
    fn from_index(i: i64) -> Option<Month> {
        let year = i32::try_from(i.div_euclid(12)).ok()?;
        let month = u8::try_from(i.rem_euclid(12) + 1).ok()?;
        Month::new(year, month)
    }
    /// The month `n` months later (`None` past year 9999).
    pub fn plus(self, n: u32) -> Option<Month> {
        Month::from_index(self.index() + i64::from(n))
    }
    /// Whole months from `earlier` to `self` (negative when `self` is before it).
    pub fn months_since(self, earlier: Month) -> i64 {
        self.index() - earlier.index()
    }
    /// Gregorian leap year.
    pub fn is_leap_year(year: i32) -> bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
    pub fn days_in_year(year: i32) -> u32 {
        if Month::is_leap_year(year) {
            366
        } else {
            365
        }
    }
    /// The real length of the month: monthly costs use it, not the 30.4375-day mean.
    pub fn days_in_month(self) -> u32 {
        match self.month {
            2 if Month::is_leap_year(self.year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
    pub fn hours(self) -> f64 {
        f64::from(self.days_in_month()) * 24.0
    }
    /// The month's share of its calendar year, days in month / days in year: how a yearly
    /// charge is split over months.
    pub fn year_share(self) -> f64 {
        f64::from(self.days_in_month()) / f64::from(Month::days_in_year(self.year))
    }
}

impl FromStr for Month {
    type Err = MonthError;
    /// Exactly `YYYY-MM`: four digits, a hyphen, two digits, a month that exists.
    fn from_str(s: &str) -> Result<Month, MonthError> {
        let bad = || MonthError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return Err(bad());
        }
        let digits = |r: &[u8]| -> Option<u32> {
            r.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let year = digits(&b[..4]).ok_or_else(bad)?;
        let month = digits(&b[5..]).ok_or_else(bad)?;
        let year = i32::try_from(year).map_err(|_| bad())?;
        let month = u8::try_from(month).map_err(|_| bad())?;
        Month::new(year, month).ok_or_else(bad)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

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

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `a` at w = 0 and `b` at w = 1, both exactly; linear in w between and beyond.
fn mix(a: Bytes, b: Bytes, w: f64) -> Bytes {
    if w == 1.0 {
        b
    } else {
        Bytes(a.0 + (b.0 - a.0) * w)
    }
}

impl Curve {
    /// The lake at `t` months from the start (t ≥ 0).
    pub fn at(&self, t: f64) -> Bytes {
        match self {
            Curve::Linear {
                initial,
                target,
                months,
            } => {
                let v = mix(*initial, *target, t / months);
                Bytes(v.0.max(0.0))
            }
            Curve::Compound {
                initial,
                target,
                months,
            } => {
                // The ratio form cannot overflow far past T, as L0^(1−w)·L1^w would.
                let w = t / months;
                if w == 1.0 {
                    *target
                } else {
                    Bytes(initial.0 * (target.0 / initial.0).powf(w))
                }
            }
            Curve::Logistic {
                initial,
                target,
                months,
            } => {
                let s = LOGISTIC_STEEPNESS;
                let lo = sigmoid(-s / 2.0);
                let hi = sigmoid(s / 2.0);
                let w = (sigmoid(s * (t / months - 0.5)) - lo) / (hi - lo);
                mix(*initial, *target, w)
            }
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

    #[test]
    fn months_parse_strictly() {
        let m: Month = "2026-01".parse().unwrap();
        assert_eq!((m.year(), m.month()), (2026, 1));
        assert_eq!(m.to_string(), "2026-01");
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-01",
            "2026/01",
            "",
            "２０２６-01",
            "0000-01",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        let e = "2026-13".parse::<Month>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "must be a month written YYYY-MM (e.g. 2026-01), got \"2026-13\""
        );
    }

    #[test]
    fn month_arithmetic_and_lengths() {
        let start: Month = "2026-01".parse().unwrap();
        let end: Month = "2030-01".parse().unwrap();
        assert_eq!(end.months_since(start), 48);
        assert_eq!(start.plus(48), Some(end));
        assert_eq!(start.plus(11).unwrap().to_string(), "2026-12");
        assert_eq!(start.plus(12).unwrap().to_string(), "2027-01");
        assert_eq!(start.days_in_month(), 31);
        assert_eq!(Month::new(2028, 2).unwrap().days_in_month(), 29);
        assert_eq!(Month::new(2100, 2).unwrap().days_in_month(), 28);
        assert_eq!(Month::new(2000, 2).unwrap().days_in_month(), 29);
        assert_eq!(Month::new(2026, 4).unwrap().days_in_month(), 30);
        assert_eq!(Month::days_in_year(2028), 366);
        assert_eq!(Month::new(9999, 12).unwrap().plus(1), None);
        let total: u32 = (0..12)
            .map(|i| start.plus(i).unwrap().days_in_month())
            .sum();
        assert_eq!(total, 365);
    }

    #[test]
    fn month_serde_is_a_string() {
        let m: Month = serde_json::from_str("\"2026-07\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2026-07\"");
        assert!(serde_json::from_str::<Month>("\"2026-13\"").is_err());
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
        let ceiling = 770.0 + 320.0 * sigmoid(-5.0) / (sigmoid(5.0) - sigmoid(-5.0));
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
