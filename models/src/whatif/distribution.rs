//! Distributions for inputs that are guesses, and how a trial draws from them.
//!
//! An uncertain input is a range: uniform (min, max), triangular (min, mode, max), normal
//! (mean, sd) or log-normal (median, sigma of its logarithm). Each is drawn by inverting
//! its distribution function at a uniform number, which keeps one draw per input and
//! makes correlation a matter of correlating the uniforms (the Gaussian copula in
//! [`Copula`]).
//!
//! Why the same seed gives the same bits in the browser and on the server:
//! - Uniform numbers come from 53 bits of a ChaCha8 stream, exactly representable.
//! - Uniform and triangular quantiles are [`statrs`]'s, which use only arithmetic and a
//!   square root (correctly rounded on every target).
//! - The normal quantile is Wichura's AS 241 (PPND16, relative error about 1e-16), the
//!   normal distribution function is `erfc`, and logarithms, exponentials and sines come
//!   from the [`libm`] crate: the same code natively and in wasm32. The platform's own
//!   `ln`/`exp` differ in the last bit between glibc and the wasm32 maths library, and
//!   statrs's normal quantile calls them (through num-traits, whose `std` feature other
//!   crates of the workspace turn on), so those two quantiles are computed here and
//!   tested against statrs's.
//!
//! An input's range may reach outside what its field allows (a normal data reduction has
//! some mass below 0). Normal and log-normal draws are then truncated to the field's
//! range by drawing the uniform from the part of (0, 1) whose quantiles fall inside it:
//! exact, one draw per input, and the share cut off is reported. Uniform and triangular
//! ranges are stated by the user, so they must lie inside the field's range.

use statrs::distribution::{ContinuousCDF, Triangular, Uniform};
use statrs::statistics::Distribution as _;

use crate::display::grouped;
use crate::field::FieldError;
/// The values a field allows: the registry's ranges, which the draws are cut off at.
pub use crate::inputs::FieldRange;

/// An input's range, as the user states it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    /// Every value between `min` and `max` equally likely.
    Uniform {
        min: f64,
        max: f64,
    },
    /// "Between `min` and `max`, most likely `mode`."
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// A value whose logarithm is normal: `median` is e^μ, `sigma` is σ of the logarithm
    /// (0.3 puts the 10th and 90th percentiles at about ×0.68 and ×1.47 the median).
    LogNormal {
        median: f64,
        sigma: f64,
    },
}

impl Dist {
    /// "triangular 5 / 10 / 20", for sentences.
    pub fn describe(&self) -> String {
        // As the user wrote them: 5, 0.015, 1.3.
        let g = |v: f64| format!("{v}");
        match *self {
            Dist::Uniform { min, max } => format!("uniform {} to {}", g(min), g(max)),
            Dist::Triangular { min, mode, max } => {
                format!("triangular {} / {} / {}", g(min), g(mode), g(max))
            }
            Dist::Normal { mean, sd } => format!("normal, mean {}, sd {}", g(mean), g(sd)),
            Dist::LogNormal { median, sigma } => {
                format!("log-normal, median {}, σ {}", g(median), g(sigma))
            }
        }
    }
}

/// How one input is drawn.
#[derive(Debug, Clone)]
enum Shape {
    Uniform(Uniform),
    Triangular(Triangular),
    Normal { mean: f64, sd: f64 },
    LogNormal { mu: f64, sigma: f64 },
}

/// One input's distribution, truncated to its field's range, ready to draw from.
#[derive(Debug, Clone)]
pub struct Marginal {
    shape: Shape,
    range: FieldRange,
    /// The distribution function at the range's ends: draws take uniforms from
    /// `[u_lo, u_hi]`.
    u_lo: f64,
    u_hi: f64,
    truncated: bool,
}

/// Open (0, 1) bounds for a probability handed to a quantile function: never exactly 0
/// or 1, whose quantiles may be infinite.
const P_MIN: f64 = f64::MIN_POSITIVE;
const P_MAX: f64 = 1.0 - f64::EPSILON / 2.0;

impl Marginal {
    /// Checks `dist`'s parameters (errors name `at`, the input's path in the request, e.g.
    /// `inputs[0].dist`) and truncates it to `range`, the field `field`'s values.
    pub fn new(
        dist: &Dist,
        range: FieldRange,
        at: &str,
        field: &str,
    ) -> Result<Marginal, FieldError> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(v)
            } else {
                Err(FieldError::new(
                    format!("{at}.{name}"),
                    format!("must be a number, got {v}"),
                ))
            }
        };
        let inside = |name: &str, v: f64| {
            if range.contains(v) {
                Ok(v)
            } else {
                Err(FieldError::new(
                    format!("{at}.{name}"),
                    format!(
                        "must be {} (the values {field} allows), got {v}",
                        range.describe()
                    ),
                ))
            }
        };
        let shape = match *dist {
            Dist::Uniform { min, max } => {
                let (min, max) = (finite("min", min)?, finite("max", max)?);
                inside("min", min)?;
                inside("max", max)?;
                let u = Uniform::new(min, max).map_err(|_| {
                    FieldError::new(
                        format!("{at}.max"),
                        format!("must be more than min ({min}), got {max}"),
                    )
                })?;
                Shape::Uniform(u)
            }
            Dist::Triangular { min, mode, max } => {
                let (min, mode, max) = (
                    finite("min", min)?,
                    finite("mode", mode)?,
                    finite("max", max)?,
                );
                inside("min", min)?;
                inside("max", max)?;
                if max <= min {
                    return Err(FieldError::new(
                        format!("{at}.max"),
                        format!("must be more than min ({min}), got {max}"),
                    ));
                }
                if !(min..=max).contains(&mode) {
                    return Err(FieldError::new(
                        format!("{at}.mode"),
                        format!("must be between min ({min}) and max ({max}), got {mode}"),
                    ));
                }
                let t = Triangular::new(min, max, mode).map_err(|e| {
                    FieldError::new(format!("{at}.mode"), format!("is not usable: {e}"))
                })?;
                Shape::Triangular(t)
            }
            Dist::Normal { mean, sd } => {
                let mean = finite("mean", mean)?;
                if !(sd.is_finite() && sd > 0.0) {
                    return Err(FieldError::new(
                        format!("{at}.sd"),
                        format!("must be > 0, got {sd}"),
                    ));
                }
                Shape::Normal { mean, sd }
            }
            Dist::LogNormal { median, sigma } => {
                if !(median.is_finite() && median > 0.0) {
                    return Err(FieldError::new(
                        format!("{at}.median"),
                        format!("must be > 0, got {median}"),
                    ));
                }
                if !(sigma.is_finite() && sigma > 0.0) {
                    return Err(FieldError::new(
                        format!("{at}.sigma"),
                        format!("must be > 0, got {sigma}"),
                    ));
                }
                Shape::LogNormal {
                    mu: libm::log(median),
                    sigma,
                }
            }
        };
        let mut m = Marginal {
            shape,
            range,
            u_lo: 0.0,
            u_hi: 1.0,
            truncated: false,
        };
        if matches!(m.shape, Shape::Normal { .. } | Shape::LogNormal { .. }) {
            m.u_lo = if range.lo.is_finite() {
                m.cdf(range.lo)
            } else {
                0.0
            };
            m.u_hi = if range.hi.is_finite() {
                m.cdf(range.hi)
            } else {
                1.0
            };
            m.truncated = m.u_lo > 0.0 || m.u_hi < 1.0;
            if m.u_hi - m.u_lo < 1e-6 {
                return Err(FieldError::new(
                    at.to_string(),
                    format!(
                        "lies almost entirely outside the values {field} allows ({}): \
                         {} of it is inside",
                        range.describe(),
                        grouped((m.u_hi - m.u_lo).max(0.0) * 100.0, 6)
                    ),
                ));
            }
        }
        Ok(m)
    }

    /// The distribution function (before truncation).
    pub fn cdf(&self, x: f64) -> f64 {
        match &self.shape {
            Shape::Uniform(u) => u.cdf(x),
            Shape::Triangular(t) => t.cdf(x),
            Shape::Normal { mean, sd } => std_normal_cdf((x - mean) / sd),
            Shape::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    std_normal_cdf((libm::log(x) - mu) / sigma)
                }
            }
        }
    }

    /// The quantile function (before truncation), for `p` in (0, 1).
    fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(P_MIN, P_MAX);
        match &self.shape {
            Shape::Uniform(u) => u.inverse_cdf(p),
            Shape::Triangular(t) => t.inverse_cdf(p),
            Shape::Normal { mean, sd } => mean + sd * std_normal_quantile(p),
            Shape::LogNormal { mu, sigma } => libm::exp(mu + sigma * std_normal_quantile(p)),
        }
    }

    /// The draw for a uniform number `u` in (0, 1).
    pub fn at(&self, u: f64) -> f64 {
        let p = if self.truncated {
            self.u_lo + u * (self.u_hi - self.u_lo)
        } else {
            u
        };
        self.range.clamp(self.quantile(p))
    }

    /// The draw for a standard normal score `z` (from the copula): the same as
    /// `at(Φ(z))`, taken directly for an untruncated normal or log-normal so that no
    /// precision is lost in the tails.
    pub fn at_score(&self, z: f64) -> f64 {
        match self.shape {
            Shape::Normal { mean, sd } if !self.truncated => self.range.clamp(mean + sd * z),
            Shape::LogNormal { mu, sigma } if !self.truncated => {
                self.range.clamp(libm::exp(mu + sigma * z))
            }
            _ => self.at(std_normal_cdf(z).clamp(P_MIN, P_MAX)),
        }
    }

    /// The share of the stated distribution inside the field's range (1 when nothing is
    /// cut off).
    pub fn kept(&self) -> f64 {
        self.u_hi - self.u_lo
    }

    /// The mean of the stated (untruncated) distribution.
    pub fn stated_mean(&self) -> f64 {
        match &self.shape {
            Shape::Uniform(u) => u.mean().unwrap_or(f64::NAN),
            Shape::Triangular(t) => t.mean().unwrap_or(f64::NAN),
            Shape::Normal { mean, .. } => *mean,
            Shape::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
        }
    }
}

/// Φ(z) = erfc(−z/√2)/2, by `libm`'s erfc.
pub fn std_normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / core::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) for p in (0, 1): Wichura's algorithm AS 241 (PPND16), Applied Statistics 37
/// (1988), relative accuracy about 1e-16, with `libm`'s logarithm.
pub fn std_normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    if r <= 0.0 {
        return if q < 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let r = libm::sqrt(-libm::log(r));
    let val = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// c[0] + c[1]·x + … + c[7]·x⁷, by Horner's rule from the top.
fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

// AS 241's coefficients as the paper prints them (more digits than an f64 holds, so they
// can be checked against it; the compiler rounds each to the nearest f64). The
// denominators' constant terms are 1.
#[allow(clippy::excessive_precision)]
const A: [f64; 8] = [
    3.387_132_872_796_366_608,
    133.141_667_891_784_377_45,
    1_971.590_950_306_551_442_7,
    13_731.693_765_509_461_125,
    45_921.953_931_549_871_457,
    67_265.770_927_008_700_853,
    33_430.575_583_588_128_105,
    2_509.080_928_730_122_672_7,
];
#[allow(clippy::excessive_precision)]
const B: [f64; 8] = [
    1.0,
    42.313_330_701_600_911_252,
    687.187_007_492_057_908_3,
    5_394.196_021_424_751_107_7,
    21_213.794_301_586_595_867,
    39_307.895_800_092_710_61,
    28_729.085_735_721_942_674,
    5_226.495_278_852_854_561,
];
#[allow(clippy::excessive_precision)]
const C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    0.241_780_725_177_450_611_77,
    0.022_723_844_989_269_184_583_3,
    7.745_450_142_783_414_076_4e-4,
];
#[allow(clippy::excessive_precision)]
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    0.689_767_334_985_100_004_55,
    0.148_103_976_427_480_074_59,
    0.015_198_666_563_616_457_196_6,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
#[allow(clippy::excessive_precision)]
const E: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    0.296_560_571_828_504_891_23,
    0.026_532_189_526_576_123_093,
    0.001_242_660_947_388_078_438_6,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
#[allow(clippy::excessive_precision)]
const F: [f64; 8] = [
    1.0,
    0.599_832_206_555_887_937_69,
    0.136_929_880_922_735_805_31,
    0.014_875_361_290_850_614_852_5,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

/// A uniform number in (0, 1) from 64 random bits: the top 52 bits, offset by half a step
/// so that neither 0 nor 1 can come out (with 53 bits the top value would round to 1).
/// Exact, hence the same on every target.
pub fn unit_open(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * (1.0 / 4_503_599_627_370_496.0)
}

/// Correlated standard normal scores from independent ones (a Gaussian copula): the
/// inputs' ranks correlate as stated, whatever their distributions.
///
/// The user states Spearman rank correlations ρₛ between pairs of inputs. For normal
/// scores, the Pearson correlation that gives rank correlation ρₛ is 2·sin(π·ρₛ/6)
/// (Pearson, 1907), so the copula uses those, and the draws' ranks then correlate by
/// ρₛ for any marginal distributions. Pairs not stated are uncorrelated.
#[derive(Debug, Clone, PartialEq)]
pub struct Copula {
    n: usize,
    /// The lower-triangular Cholesky factor, row-major `n × n`.
    l: Vec<f64>,
}

impl Copula {
    /// From rank correlations `(i, j, ρₛ)` between inputs `i` and `j` of `n`. `Err` with
    /// a message when the matrix they make is not a correlation matrix (not positive
    /// definite: the stated correlations contradict each other).
    pub fn new(n: usize, pairs: &[(usize, usize, f64)]) -> Result<Copula, String> {
        let mut r = vec![0.0; n * n];
        for i in 0..n {
            r[i * n + i] = 1.0;
        }
        for &(i, j, rank) in pairs {
            let pearson = 2.0 * libm::sin(core::f64::consts::PI * rank / 6.0);
            r[i * n + j] = pearson;
            r[j * n + i] = pearson;
        }
        // Cholesky–Banachiewicz.
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let mut sum = r[i * n + j];
                for k in 0..j {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if i == j {
                    if sum <= 1e-12 {
                        return Err(
                            "the correlations stated contradict each other (their matrix is \
                             not positive definite): weaken one of them"
                                .to_string(),
                        );
                    }
                    l[i * n + i] = libm::sqrt(sum);
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        Ok(Copula { n, l })
    }

    /// `out = L · z`: correlated scores from independent standard normal ones.
    pub fn correlate(&self, z: &[f64], out: &mut [f64]) {
        for (i, (o, row)) in out.iter_mut().zip(self.l.chunks(self.n)).enumerate() {
            *o = row[..=i].iter().zip(z).map(|(l, z)| l * z).sum();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use statrs::distribution::{LogNormal, Normal};

    #[test]
    fn normal_quantile_known_values() {
        assert_eq!(std_normal_quantile(0.5), 0.0);
        assert!((std_normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
        assert!((std_normal_quantile(0.1) + 1.281_551_565_544_600_5).abs() < 1e-15);
        assert!((std_normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-13);
        let far = Normal::new(0.0, 1.0).unwrap().inverse_cdf(1e-300);
        assert!((std_normal_quantile(1e-300) - far).abs() < 1e-12 * far.abs());
        assert_eq!(std_normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(std_normal_quantile(1.0), f64::INFINITY);
    }

    #[test]
    fn unit_numbers_stay_inside_zero_and_one() {
        assert!(unit_open(0) > 0.0);
        assert!(unit_open(u64::MAX) < 1.0);
        assert_eq!(unit_open(1u64 << 63), 0.5 + 0.5 / 4_503_599_627_370_496.0);
        assert_eq!(unit_open(u64::MAX), 1.0 - 0.5 / 4_503_599_627_370_496.0);
    }

    #[test]
    fn ranges_describe_themselves() {
        assert_eq!(FieldRange::POSITIVE.describe(), "> 0");
        assert_eq!(
            FieldRange::closed(1.0, 1000.0).describe(),
            "between 1 and 1000"
        );
        assert!(FieldRange::POSITIVE.contains(1e-300));
        assert!(!FieldRange::POSITIVE.contains(0.0));
        assert_eq!(FieldRange::POSITIVE.clamp(-1.0), 0.0f64.next_up());
        assert_eq!(FieldRange::closed(1.0, 2.0).clamp(3.0), 2.0);
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let r = FieldRange::closed(0.0, 100.0);
        let e = Marginal::new(
            &Dist::Uniform { min: 5.0, max: 5.0 },
            r,
            "inputs[0].dist",
            "x",
        )
        .unwrap_err();
        assert_eq!(e.path, "inputs[0].dist.max");
        let e = Marginal::new(
            &Dist::Triangular {
                min: 5.0,
                mode: 30.0,
                max: 20.0,
            },
            r,
            "inputs[0].dist",
            "x",
        )
        .unwrap_err();
        assert_eq!(e.path, "inputs[0].dist.mode");
        let e = Marginal::new(
            &Dist::Uniform {
                min: 50.0,
                max: 150.0,
            },
            r,
            "inputs[0].dist",
            "change.value",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "inputs[0].dist.max must be between 0 and 100 (the values change.value allows), got 150"
        );
        let e = Marginal::new(&Dist::Normal { mean: 1.0, sd: 0.0 }, r, "in", "x").unwrap_err();
        assert_eq!(e.path, "in.sd");
        let e = Marginal::new(
            &Dist::Normal {
                mean: -50.0,
                sd: 1.0,
            },
            FieldRange::POSITIVE,
            "in",
            "x",
        )
        .unwrap_err();
        assert_eq!(e.path, "in");
        let e = Marginal::new(
            &Dist::LogNormal {
                median: -1.0,
                sigma: 0.3,
            },
            r,
            "in",
            "x",
        )
        .unwrap_err();
        assert_eq!(e.path, "in.median");
    }

    /// A normal data reduction of mean 1.2 and sd 1 is cut at 0: every draw is positive,
    /// and the share kept is Φ(1.2).
    #[test]
    fn truncation_keeps_draws_inside_the_field() {
        let m = Marginal::new(
            &Dist::Normal { mean: 1.2, sd: 1.0 },
            FieldRange::POSITIVE,
            "in",
            "cluster.data_reduction",
        )
        .unwrap();
        // Φ(1.2) = 0.884 930 329 778 291 723 (mpmath, 30 digits), to the f64 nearest it.
        assert!(
            (m.kept() - 0.884_930_329_778_291_7).abs() < 2e-16,
            "{}",
            m.kept()
        );
        let n = Normal::new(1.2, 1.0).unwrap();
        for k in 1..1000 {
            let u = k as f64 / 1000.0;
            let x = m.at(u);
            assert!(x > 0.0, "{u} → {x}");
            // The truncated distribution's own CDF at x is u.
            let back = (std_normal_cdf(x - 1.2) - std_normal_cdf(-1.2)) / m.kept();
            assert!((back - u).abs() < 1e-14, "{u}: {back}");
            assert!((n.inverse_cdf(n.cdf(0.0) + u * m.kept()) - x).abs() < 1e-8 * x);
        }
    }

    // The hand-written quantiles agree with statrs's, and the copula route with the
    // direct one.
    proptest! {
        #[test]
        fn quantiles_agree_with_statrs(p in 1e-12f64..(1.0 - 1e-12), mean in -100.0f64..100.0, sd in 0.01f64..50.0) {
            let n = Normal::new(mean, sd).unwrap();
            let ours = mean + sd * std_normal_quantile(p);
            let theirs = n.inverse_cdf(p);
            prop_assert!((ours - theirs).abs() <= 1e-12 * (1.0 + theirs.abs()), "{ours} vs {theirs}");
            // statrs 0.19.1's normal CDF is off by up to about 5e-12 (Φ(1.2) is
            // 0.884930329778292, it says 0.884930329772834), so it checks ours loosely;
            // the round trip through our own pair checks it tightly.
            let (a, b) = (std_normal_cdf((ours - mean) / sd), n.cdf(ours));
            prop_assert!((a - b).abs() <= 1e-10, "{a} vs {b}");
            let z = std_normal_quantile(p);
            prop_assert!((std_normal_cdf(z) - p).abs() <= 4.0 * f64::EPSILON * p.max(1.0 - p), "{p}");
            let ln = LogNormal::new(mean / 50.0, sd / 25.0).unwrap();
            let m = Marginal::new(&Dist::LogNormal { median: libm::exp(mean / 50.0), sigma: sd / 25.0 },
                FieldRange::NON_NEGATIVE, "in", "x").unwrap();
            let (ours, theirs) = (m.at(p), ln.inverse_cdf(p));
            prop_assert!((ours - theirs).abs() <= 1e-11 * theirs, "{ours} vs {theirs}");
        }

        #[test]
        fn triangular_and_uniform_are_statrs(p in 1e-9f64..(1.0 - 1e-9), a in 0.0f64..50.0, w in 0.1f64..50.0, c in 0.0f64..1.0) {
            let (lo, hi) = (a, a + w);
            let mode = lo + c * w;
            let t = Marginal::new(&Dist::Triangular { min: lo, mode, max: hi },
                FieldRange::closed(0.0, 100.0), "in", "x").unwrap();
            prop_assert_eq!(t.at(p), Triangular::new(lo, hi, mode).unwrap().inverse_cdf(p));
            let u = Marginal::new(&Dist::Uniform { min: lo, max: hi }, FieldRange::closed(0.0, 100.0), "in", "x").unwrap();
            prop_assert_eq!(u.at(p), Uniform::new(lo, hi).unwrap().inverse_cdf(p));
            // Through the copula's score: the same draw to a few ulps.
            let z = std_normal_quantile(p);
            prop_assert!((t.at_score(z) - t.at(p)).abs() <= 1e-9 * (1.0 + hi));
        }
    }

    #[test]
    fn copula_factor_reproduces_the_correlation() {
        let c = Copula::new(3, &[(0, 1, 0.5), (1, 2, -0.3)]).unwrap();
        // L·Lᵀ is the Pearson matrix of the scores.
        let n = 3;
        let pearson = |rank: f64| 2.0 * (std::f64::consts::PI * rank / 6.0).sin();
        let expect = [
            [1.0, pearson(0.5), 0.0],
            [pearson(0.5), 1.0, pearson(-0.3)],
            [0.0, pearson(-0.3), 1.0],
        ];
        for (i, row) in expect.iter().enumerate() {
            for (j, &want) in row.iter().enumerate() {
                let got: f64 = (0..n).map(|k| c.l[i * n + k] * c.l[j * n + k]).sum();
                assert!((got - want).abs() < 1e-12, "({i},{j}) {got} vs {want}");
            }
        }
        assert!(Copula::new(3, &[(0, 1, 0.99), (1, 2, 0.99), (0, 2, -0.99)]).is_err());
        let mut out = [0.0; 3];
        c.correlate(&[1.0, 0.0, 0.0], &mut out);
        assert!((out[1] - pearson(0.5)).abs() < 1e-12);
    }
}
