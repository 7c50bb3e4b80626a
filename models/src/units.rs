//! Quantities as types, so that a unit mix-up is a compile error rather than a wrong
//! proposal.
//!
//! Capacity is decimal (1 PB = 10^15 B) and rates are decimal bits per second
//! (1 Gbps = 10^9 bit/s), as in `docs/model.md#units`. Values are never rounded here;
//! rounding is a display concern.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Sub};

use crate::display::grouped;

/// Seconds in a day: the model's day is always 86 400 s.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// The mean month in days, used only to convert "per month" claims and inputs.
pub const MEAN_MONTH_DAYS: f64 = 30.4375;

const BYTES_PER_GB: f64 = 1e9;
const BYTES_PER_TB: f64 = 1e12;
const BYTES_PER_PB: f64 = 1e15;
const BYTES_PER_GIB: f64 = 1_073_741_824.0; // 2^30
const BYTES_PER_TIB: f64 = 1_099_511_627_776.0; // 2^40
const BYTES_PER_PIB: f64 = 1_125_899_906_842_624.0; // 2^50
const BITS_PER_BYTE: f64 = 8.0;

/// A number of bytes. Kept as f64: lake sizes reach 10^18 and the model never needs
/// byte-exact integers, only consistent arithmetic.
///
/// Decimal (PB) and binary (PiB) units are both reachable, but only through a named
/// constructor or accessor, so a figure's unit is always stated where it is produced:
///
/// ```
/// use lakeplan_models::units::Bytes;
/// let lake = Bytes::from_pb(450.0);
/// assert_eq!(lake.tb(), 450_000.0);
/// assert_eq!(lake.display_pb(1), "450.0 PB");
/// assert_eq!(lake.display_pib(2), "399.68 PiB");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Bytes(pub f64);

impl Bytes {
    pub fn from_gb(gb: f64) -> Self {
        Self(gb * BYTES_PER_GB)
    }
    pub fn from_tb(tb: f64) -> Self {
        Self(tb * BYTES_PER_TB)
    }
    pub fn from_pb(pb: f64) -> Self {
        Self(pb * BYTES_PER_PB)
    }
    pub fn from_gib(gib: f64) -> Self {
        Self(gib * BYTES_PER_GIB)
    }
    pub fn from_tib(tib: f64) -> Self {
        Self(tib * BYTES_PER_TIB)
    }
    pub fn from_pib(pib: f64) -> Self {
        Self(pib * BYTES_PER_PIB)
    }
    pub fn gb(self) -> f64 {
        self.0 / BYTES_PER_GB
    }
    pub fn tb(self) -> f64 {
        self.0 / BYTES_PER_TB
    }
    pub fn pb(self) -> f64 {
        self.0 / BYTES_PER_PB
    }
    pub fn gib(self) -> f64 {
        self.0 / BYTES_PER_GIB
    }
    pub fn tib(self) -> f64 {
        self.0 / BYTES_PER_TIB
    }
    pub fn pib(self) -> f64 {
        self.0 / BYTES_PER_PIB
    }
    pub fn bits(self) -> f64 {
        self.0 * BITS_PER_BYTE
    }
    /// The size in decimal petabytes, grouped for reading: `450.0 PB`.
    pub fn display_pb(self, decimals: usize) -> String {
        format!("{} PB", grouped(self.pb(), decimals))
    }
    /// The size in binary pebibytes, for readers who think in IEC units: `399.68 PiB`.
    pub fn display_pib(self, decimals: usize) -> String {
        format!("{} PiB", grouped(self.pib(), decimals))
    }
    /// The time to move this volume at `rate`, in seconds.
    pub fn seconds_at(self, rate: BitRate) -> f64 {
        self.bits() / rate.0
    }
}

impl fmt::Display for Bytes {
    /// Decimal units, picked by size, three decimals: the model's own convention.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.abs();
        let (value, unit) = if b >= BYTES_PER_PB {
            (self.pb(), "PB")
        } else if b >= BYTES_PER_TB {
            (self.tb(), "TB")
        } else if b >= BYTES_PER_GB {
            (self.gb(), "GB")
        } else {
            (self.0, "B")
        };
        write!(f, "{} {unit}", grouped(value, 3))
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

impl Div<f64> for Bytes {
    type Output = Bytes;
    fn div(self, rhs: f64) -> Bytes {
        Bytes(self.0 / rhs)
    }
}

/// The ratio of two volumes is a plain number.
impl Div<Bytes> for Bytes {
    type Output = f64;
    fn div(self, rhs: Bytes) -> f64 {
        self.0 / rhs.0
    }
}

impl Sum for Bytes {
    fn sum<I: Iterator<Item = Bytes>>(iter: I) -> Bytes {
        Bytes(iter.map(|b| b.0).sum())
    }
}

/// A transfer rate in bits per second (payload or wire, as the caller states).
///
/// ```
/// use lakeplan_models::units::BitRate;
/// assert_eq!(BitRate::from_tbps(4.0).gbps(), 4000.0);
/// assert_eq!(BitRate::from_gbps(4166.6667).to_string(), "4.167 Tbps");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct BitRate(pub f64);

impl BitRate {
    pub fn from_gbps(gbps: f64) -> Self {
        Self(gbps * 1e9)
    }
    pub fn from_tbps(tbps: f64) -> Self {
        Self(tbps * 1e12)
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
    /// Decimal gigabytes per second, the unit storage throughput is quoted in.
    pub fn gbytes_per_second(self) -> f64 {
        self.0 / BITS_PER_BYTE / BYTES_PER_GB
    }
    pub fn from_gbytes_per_second(gbytes: f64) -> Self {
        Self(gbytes * BYTES_PER_GB * BITS_PER_BYTE)
    }
    /// The bytes this rate moves in `seconds`.
    pub fn bytes_in(self, seconds: f64) -> Bytes {
        Bytes(self.0 * seconds / BITS_PER_BYTE)
    }
}

impl fmt::Display for BitRate {
    /// Decimal units picked by size, three decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0.abs();
        let (value, unit) = if r >= 1e12 {
            (self.tbps(), "Tbps")
        } else if r >= 1e9 {
            (self.gbps(), "Gbps")
        } else if r >= 1e6 {
            (self.0 / 1e6, "Mbps")
        } else {
            (self.0, "bps")
        };
        write!(f, "{} {unit}", grouped(value, 3))
    }
}

impl Add for BitRate {
    type Output = BitRate;
    fn add(self, rhs: BitRate) -> BitRate {
        BitRate(self.0 + rhs.0)
    }
}

impl Sub for BitRate {
    type Output = BitRate;
    fn sub(self, rhs: BitRate) -> BitRate {
        BitRate(self.0 - rhs.0)
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

/// The ratio of two rates (a utilisation, a number of ports) is a plain number.
impl Div<BitRate> for BitRate {
    type Output = f64;
    fn div(self, rhs: BitRate) -> f64 {
        self.0 / rhs.0
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
    /// The volume moved over `days` days (a calendar month uses its real length).
    pub fn over_days(self, days: f64) -> Bytes {
        self.0 * days
    }
}

/// US dollars. Never rounded in the model: cents are a display choice.
///
/// ```
/// use lakeplan_models::units::Usd;
/// assert_eq!(Usd(1955.84).to_string(), "$1\u{2009}955.84");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Usd(pub f64);

impl Usd {
    pub const ZERO: Usd = Usd(0.0);
    pub fn dollars(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}", grouped(self.0, 2))
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}

impl Mul<f64> for Usd {
    type Output = Usd;
    fn mul(self, rhs: f64) -> Usd {
        Usd(self.0 * rhs)
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        Usd(iter.map(|u| u.0).sum())
    }
}

/// A price for moving or storing a volume, in whatever unit the seller bills.
///
/// Google bills egress per GiB, AWS and Azure per GB; the two differ by 7.4 %. Each unit
/// is its own type and only the type knows how to turn bytes into its billed quantity, so
/// a per-GB price applied to GiB is a compile error:
///
/// ```compile_fail
/// use lakeplan_models::units::{UsdPerGb, UsdPerGib};
/// let gcp: UsdPerGib = UsdPerGb(0.02); // mismatched types
/// ```
pub trait VolumePrice: Copy {
    /// The bytes in one billed unit (10^9 for GB, 2^30 for GiB).
    const UNIT_BYTES: f64;
    /// The unit's name as a price book writes it.
    const UNIT: &'static str;
    fn usd_per_unit(self) -> f64;
    /// The charge for `volume` at this price.
    fn cost(self, volume: Bytes) -> Usd {
        Usd(volume.0 / Self::UNIT_BYTES * self.usd_per_unit())
    }
}

/// Dollars per decimal gigabyte (10^9 B): AWS and Azure egress.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct UsdPerGb(pub f64);

/// Dollars per binary gibibyte (2^30 B): Google Cloud egress.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct UsdPerGib(pub f64);

/// Decimal gigabytes in one GiB: 2^30 / 10^9 (exactly 1.073741824, the division is exact
/// to the last bit).
const GB_PER_GIB: f64 = BYTES_PER_GIB / BYTES_PER_GB;

impl UsdPerGb {
    /// The same price per GiB: a GiB holds 1.073741824 GB, so it costs that much more.
    /// How a price book compares a per-GB row with a per-GiB one.
    ///
    /// ```
    /// use lakeplan_models::units::UsdPerGb;
    /// assert!((UsdPerGb(0.09).per_gib().0 - 0.096_636_764_16).abs() < 1e-15);
    /// ```
    pub fn per_gib(self) -> UsdPerGib {
        UsdPerGib(self.0 * GB_PER_GIB)
    }
}

impl UsdPerGib {
    /// The inverse of [`UsdPerGb::per_gib`].
    pub fn per_gb(self) -> UsdPerGb {
        UsdPerGb(self.0 / GB_PER_GIB)
    }
}

impl From<UsdPerGb> for UsdPerGib {
    fn from(p: UsdPerGb) -> Self {
        p.per_gib()
    }
}

impl From<UsdPerGib> for UsdPerGb {
    fn from(p: UsdPerGib) -> Self {
        p.per_gb()
    }
}

impl VolumePrice for UsdPerGb {
    const UNIT_BYTES: f64 = BYTES_PER_GB;
    const UNIT: &'static str = "GB";
    fn usd_per_unit(self) -> f64 {
        self.0
    }
}

impl VolumePrice for UsdPerGib {
    const UNIT_BYTES: f64 = BYTES_PER_GIB;
    const UNIT: &'static str = "GiB";
    fn usd_per_unit(self) -> f64 {
        self.0
    }
}

/// Dollars per hour of a rented thing (a port, a circuit).
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct UsdPerHour(pub f64);

impl UsdPerHour {
    /// The charge for `count` of them over `hours`.
    pub fn cost(self, count: f64, hours: f64) -> Usd {
        Usd(self.0 * count * hours)
    }
}

/// Dollars per request (an object GET). Clouds quote per 1 000 or 10 000 requests; the
/// constructors say which, so the divisor is never guessed.
#[derive(
    Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize,
)]
pub struct UsdPerRequest(pub f64);

impl UsdPerRequest {
    pub fn per_1k(usd: f64) -> Self {
        Self(usd / 1_000.0)
    }
    pub fn per_10k(usd: f64) -> Self {
        Self(usd / 10_000.0)
    }
    pub fn cost(self, requests: f64) -> Usd {
        Usd(self.0 * requests)
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
        assert_eq!(BitRate::from_gbytes_per_second(5.0).gbps(), 40.0);
    }

    #[test]
    fn binary_units_are_powers_of_two() {
        assert_eq!(Bytes::from_gib(1.0).0, 1_073_741_824.0);
        assert_eq!(Bytes::from_tib(1.0).gib(), 1024.0);
        assert_eq!(Bytes::from_pib(1.0).tib(), 1024.0);
        assert_eq!(Bytes::from_pb(1.0).to_string(), "1.000 PB");
        assert_eq!(Bytes::from_tb(1351.68).to_string(), "1.352 PB");
        assert_eq!(Bytes::from_tb(675.0).to_string(), "675.000 TB");
    }

    /// The same bill in both units: 1 TB at $0.02/GB is $20, at $0.02/GiB it is $18.63.
    #[test]
    fn per_gb_and_per_gib_prices_differ_by_the_unit() {
        let tb = Bytes::from_tb(1.0);
        assert!((UsdPerGb(0.02).cost(tb).0 - 20.0).abs() < 1e-12);
        assert!((UsdPerGib(0.02).cost(tb).0 - 18.626_451_492_309_57).abs() < 1e-9);
    }

    /// By hand: 0.09 $/GB × 1.073741824 GB/GiB = 0.09663676416 $/GiB.
    #[test]
    fn per_gb_and_per_gib_convert_both_ways() {
        assert_eq!(GB_PER_GIB, 1.073_741_824);
        let per_gib = UsdPerGb(0.09).per_gib();
        assert!((per_gib.0 - 0.096_636_7).abs() < 1e-7);
        assert!((per_gib.0 - 0.096_636_764_16).abs() < 1e-15);
        assert!((per_gib.per_gb().0 - 0.09).abs() < 1e-15);
        let back: UsdPerGb = UsdPerGib(1.073_741_824).into();
        assert!((back.0 - 1.0).abs() < 1e-15);
    }

    #[test]
    fn money_adds_and_shows_cents() {
        let total: Usd = [Usd(1.5), Usd(2.25)].into_iter().sum();
        assert_eq!(total, Usd(3.75));
        assert_eq!((total * 2.0).to_string(), "$7.50");
    }
}
