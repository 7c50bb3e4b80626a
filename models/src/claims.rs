//! Statements about change, converted into each other's forms (`docs/model.md#claims`).
//!
//! "10 % a day", "about 5 Tbps" and "100 PB a month" are often said in the same meeting
//! about the same lake; only at a stated lake size can they be compared.
//!
//! Choices where the spec is silent:
//! - A Tbps claim is a sustained (24-hour average) payload rate.
//! - "Per month" is the mean month of 30.4375 days, as `docs/model.md#units` says.
//! - Two claims *agree* when they are within 10 % of each other (factor ≤ 1.1): closer
//!   than the precision of a figure said aloud, far from the 2×–10× gaps that matter.

use crate::units::{BitRate, Bytes, BytesPerDay, SECONDS_PER_DAY};

/// Claims within this factor of each other agree.
pub const AGREEMENT_FACTOR: f64 = 1.1;

/// The form a claim was stated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimBasis {
    PercentPerDay,
    PbPerDay,
    PbPerMonth,
    Tbps,
}

/// A claim as stated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Who said it or where it comes from, shown beside it.
    #[serde(default)]
    pub label: String,
    pub basis: ClaimBasis,
    pub value: f64,
}

/// One claim in every form, at one lake size.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClaimForms {
    pub percent_per_day: f64,
    pub pb_per_day: f64,
    pub pb_per_month: f64,
    pub tbps: f64,
}

impl ClaimForms {
    pub fn daily(&self) -> BytesPerDay {
        BytesPerDay::from_pb_per_day(self.pb_per_day)
    }
}

/// The claim's daily volume at a lake of `lake` bytes.
pub fn daily(basis: ClaimBasis, value: f64, lake: Bytes) -> BytesPerDay {
    match basis {
        ClaimBasis::PercentPerDay => BytesPerDay(lake * (value / 100.0)),
        ClaimBasis::PbPerDay => BytesPerDay::from_pb_per_day(value),
        ClaimBasis::PbPerMonth => {
            BytesPerDay::from_pb_per_day(value / crate::units::MEAN_MONTH_DAYS)
        }
        ClaimBasis::Tbps => BytesPerDay(BitRate::from_tbps(value).bytes_in(SECONDS_PER_DAY)),
    }
}

/// The claim in all forms at a lake of `lake` bytes. The percentage is NaN for an empty
/// lake (no percentage of nothing is meaningful).
pub fn forms(basis: ClaimBasis, value: f64, lake: Bytes) -> ClaimForms {
    let d = daily(basis, value, lake);
    ClaimForms {
        percent_per_day: d.0 / lake * 100.0,
        pb_per_day: d.pb_per_day(),
        pb_per_month: d.pb_per_mean_month(),
        tbps: crate::change::sustained_rate(d).tbps(),
    }
}

/// `a` ÷ `b`: how many times `b`'s change `a` states.
pub fn ratio(a: &ClaimForms, b: &ClaimForms) -> f64 {
    a.pb_per_day / b.pb_per_day
}

/// The factor by which two claims differ, ≥ 1 whichever is larger.
pub fn factor(a: &ClaimForms, b: &ClaimForms) -> f64 {
    let r = ratio(a, b);
    if r >= 1.0 {
        r
    } else {
        1.0 / r
    }
}

/// Whether two claims say the same thing, within [`AGREEMENT_FACTOR`].
pub fn agree(a: &ClaimForms, b: &ClaimForms) -> bool {
    factor(a, b) <= AGREEMENT_FACTOR
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md#claims: 10 %/day of 450 PB = 4.17 Tbps = 1 369.7 PB/month; 100 PB/month =
    /// 0.3042 Tbps = 0.73 %/day; they differ by 13.7×.
    #[test]
    fn model_example() {
        let lake = Bytes::from_pb(450.0);
        let ten = forms(ClaimBasis::PercentPerDay, 10.0, lake);
        assert!(close(ten.tbps, 4.17, 5e-3));
        assert!(close(ten.pb_per_month, 1369.7, 0.05));
        assert!(close(ten.pb_per_day, 45.0, 1e-9));
        let hundred = forms(ClaimBasis::PbPerMonth, 100.0, lake);
        assert!(close(hundred.tbps, 0.3042, 5e-5));
        assert!(close(hundred.percent_per_day, 0.73, 5e-3));
        assert!(close(factor(&ten, &hundred), 13.7, 0.05));
        assert!(close(factor(&hundred, &ten), 13.7, 0.05));
        assert!(ratio(&hundred, &ten) < 1.0);
        assert!(!agree(&ten, &hundred));
    }

    /// "About 5 Tbps" is 54 PB/day, 12 %/day of 450 PB: within 1.2× of 10 %/day, so it
    /// does not agree at 10 %, while 4.2 Tbps does.
    #[test]
    fn tbps_round_trips() {
        let lake = Bytes::from_pb(450.0);
        let five = forms(ClaimBasis::Tbps, 5.0, lake);
        assert!(close(five.pb_per_day, 54.0, 1e-9));
        assert!(close(five.percent_per_day, 12.0, 1e-9));
        let ten = forms(ClaimBasis::PercentPerDay, 10.0, lake);
        assert!(!agree(&five, &ten));
        assert!(agree(&forms(ClaimBasis::Tbps, 4.2, lake), &ten));
        let back = forms(ClaimBasis::PbPerDay, five.pb_per_day, lake);
        assert!(close(back.tbps, 5.0, 1e-12));
    }
}
