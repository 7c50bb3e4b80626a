//! Quantities as types, so that a unit mix-up is a compile error rather than a wrong
//! proposal.
//!
//! Capacity is decimal (1 PB = 10^15 B) and rates are decimal bits per second
//! (1 Gbps = 10^9 bit/s), as in `spec/MODEL.md` "Units". Values are never rounded here;
//! rounding is a display concern.

use std::ops::{Add, Div, Mul, Sub};

/// Seconds in a day: the model's day is always 86 400 s.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// The mean month in days, used only to convert "per month" claims and inputs.
pub const MEAN_MONTH_DAYS: f64 = 30.4375;

const BYTES_PER_PB: f64 = 1e15;
const BITS_PER_BYTE: f64 = 8.0;

/// A number of bytes. Kept as f64: lake sizes reach 10^18 and the model never needs
/// byte-exact integers, only consistent arithmetic.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Bytes(pub f64);

impl Bytes {
    pub fn from_pb(pb: f64) -> Self {
        Self(pb * BYTES_PER_PB)
    }
    pub fn pb(self) -> f64 {
        self.0 / BYTES_PER_PB
    }
    pub fn bits(self) -> f64 {
        self.0 * BITS_PER_BYTE
    }
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, rhs: Bytes) -> Bytes {
        Bytes(self.0 + rhs.0)
    }
}

impl Sub for Bytes {
    type Output = Bytes;
    fn sub(self, rhs: Bytes) -> Bytes {
        Bytes(self.0 - rhs.0)
    }
}

impl Mul<f64> for Bytes {
    type Output = Bytes;
    fn mul(self, rhs: f64) -> Bytes {
        Bytes(self.0 * rhs)
    }
}

/// A transfer rate in bits per second (payload or wire, as the caller states).
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct BitRate(pub f64);

impl BitRate {
    pub fn from_gbps(gbps: f64) -> Self {
        Self(gbps * 1e9)
    }
    pub fn bits_per_second(self) -> f64 {
        self.0
    }
    pub fn gbps(self) -> f64 {
        self.0 / 1e9
    }
    pub fn tbps(self) -> f64 {
        self.0 / 1e12
    }
}

impl Mul<f64> for BitRate {
    type Output = BitRate;
    fn mul(self, rhs: f64) -> BitRate {
        BitRate(self.0 * rhs)
    }
}

impl Div<f64> for BitRate {
    type Output = BitRate;
    fn div(self, rhs: f64) -> BitRate {
        BitRate(self.0 / rhs)
    }
}

/// A volume moved per day. Its own type because "PB" and "PB per day" are easy to
/// confuse in a formula.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct BytesPerDay(pub Bytes);

impl BytesPerDay {
    pub fn from_pb_per_day(pb: f64) -> Self {
        Self(Bytes::from_pb(pb))
    }
    pub fn pb_per_day(self) -> f64 {
        self.0.pb()
    }
    /// The same volume per mean month (30.4375 days), the form "PB a month" claims use.
    pub fn pb_per_mean_month(self) -> f64 {
        self.0.pb() * MEAN_MONTH_DAYS
    }
    /// The average rate that moves this volume in `seconds` of each day.
    pub fn rate_over(self, seconds: f64) -> BitRate {
        BitRate(self.0.bits() / seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn petabytes_are_decimal() {
        assert_eq!(Bytes::from_pb(1.0).0, 1e15);
        assert_eq!(Bytes::from_pb(2.5).pb(), 2.5);
    }

    #[test]
    fn rates_are_decimal_bits() {
        let r = BitRate::from_gbps(100.0);
        assert_eq!(r.bits_per_second(), 1e11);
        assert_eq!(r.tbps(), 0.1);
    }
}
