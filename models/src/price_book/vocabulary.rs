//! The closed word lists a price row is written in: who charges ([`Provider`]), for what
//! ([`Category`]), over which path ([`NetworkPath`]), in which [`Unit`], and how far to
//! trust it ([`Confidence`]).
//!
//! Each word is spelt the same in the CSV files, in JSON and on screen, and an unknown word
//! is an error listing the known ones, so a typo in a data file never reads as a default.

use std::fmt;

use super::tier::TierReading;

/// Defines an enum whose variants are spelled in the CSV exactly as in `as_str`, so that
/// parsing, display and JSON agree and an unknown word is an error listing the known ones.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the docs list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word used in the CSV files and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Reads the CSV word; `None` for anything else (exact match, lowercase).
            pub fn from_word(word: &str) -> Option<Self> {
                match word {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub(super) fn known() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Reads the same words as the CSV, so a saved report's price rows read back.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $name::from_word(&word).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown {} \"{word}\"; expected one of: {}",
                        // An ASCII type name: to_lowercase would bring Unicode's case
                        // tables into the browser bundle.
                        stringify!($name).to_ascii_lowercase(),
                        $name::known()
                    ))
                })
            }
        }
    };
}

vocabulary! {
    /// Who charges the price.
    Provider {
        Gcp = "gcp",
        Aws = "aws",
        Azure = "azure",
        /// The customer's own sites: hardware, licences, power, space.
        Onprem = "onprem",
        /// Not tied to a provider, e.g. an exchange rate.
        Any = "any",
    }
}

vocabulary! {
    /// What the price is for; the cost lines of a report group rows by it.
    Category {
        Egress = "egress",
        Port = "port",
        /// A VLAN attachment or similar logical link, billed by the hour like a port.
        Attachment = "attachment",
        Request = "request",
        Storage = "storage",
        Retrieval = "retrieval",
        Transfer = "transfer",
        Licence = "licence",
        /// The software on cloud instances at one rate (licence B of the cloud
        /// placement), outside the on-prem licence plans.
        Software = "software",
        Hardware = "hardware",
        /// A cloud instance by the hour (the cluster on cloud instances).
        Instance = "instance",
        Support = "support",
        Power = "power",
        Space = "space",
        Fx = "fx",
        /// A published total to compare results with; never summed into a cost.
        Benchmark = "benchmark",
    }
}

vocabulary! {
    /// The network path a transfer price applies to.
    NetworkPath {
        /// Dedicated Interconnect, Direct Connect, ExpressRoute.
        Interconnect = "interconnect",
        Internet = "internet",
    }
}

vocabulary! {
    /// The unit of a row's value. Each names its currency and its volume unit so that a
    /// per-GB price cannot be used as a per-GiB one (they differ by 7.4 %).
    Unit {
        UsdPerGib = "usd_per_gib",
        UsdPerGb = "usd_per_gb",
        EurPerGb = "eur_per_gb",
        UsdPerGibMonth = "usd_per_gib_month",
        UsdPerHour = "usd_per_hour",
        UsdPer10kRequests = "usd_per_10k_requests",
        UsdPerCoreYear = "usd_per_core_year",
        /// Usable capacity: after erasure code and reserve, before data reduction.
        UsdPerUsableTbYear = "usd_per_usable_tb_year",
        UsdPerUsableTb = "usd_per_usable_tb",
        /// A software rate per usable TB a month (the cloud rate of licence B).
        UsdPerUsableTbMonth = "usd_per_usable_tb_month",
        UsdPerEnclosure = "usd_per_enclosure",
        UsdPerNode = "usd_per_node",
        UsdPerSwitch = "usd_per_switch",
        UsdPerKwh = "usd_per_kwh",
        UsdPerKwMonth = "usd_per_kw_month",
        UsdPerEur = "usd_per_eur",
        /// A share of a base (support: of the hardware price) charged each year.
        PercentPerYear = "percent_per_year",
        /// A discount off list.
        PercentOff = "percent_off",
        Ratio = "ratio",
    }
}

vocabulary! {
    /// How far to trust a figure. The report carries it next to each cost so a reader sees
    /// which totals rest on stand-ins.
    Confidence {
        /// Read on the provider's own page (P in the facts file).
        List = "list",
        /// A transcription of the provider's page (T).
        Transcription = "transcription",
        /// A secondary source or a market average (S).
        Secondary = "secondary",
        /// Arithmetic on other figures (D).
        Derived = "derived",
        /// Lakeplan's own estimate from published figures; a quote should replace it.
        Estimate = "estimate",
        /// Not public or not known (U): a stand-in that a proposal must override.
        Placeholder = "placeholder",
    }
}

impl Confidence {
    /// True for figures nobody published: a proposal should replace them before quoting.
    pub fn needs_override(self) -> bool {
        matches!(self, Confidence::Estimate | Confidence::Placeholder)
    }
}

impl Unit {
    /// What tier bounds count for this unit, or `None` when the unit cannot be tiered.
    pub fn tier_measure(self) -> Option<&'static str> {
        match self {
            Unit::UsdPerGib => Some("GiB per calendar month"),
            Unit::UsdPerGb | Unit::EurPerGb => Some("GB per calendar month"),
            Unit::UsdPerGibMonth => Some("GiB stored in the month"),
            Unit::UsdPerUsableTbYear => Some("usable TB licensed"),
            Unit::PercentOff => Some("term years"),
            _ => None,
        }
    }

    /// How tiers of this unit apply, or `None` when it cannot be tiered.
    pub fn tier_reading(self) -> Option<TierReading> {
        match self {
            Unit::PercentOff => Some(TierReading::Bracket),
            u if u.tier_measure().is_some() => Some(TierReading::Graduated),
            _ => None,
        }
    }

    /// The range a value may take beyond "finite and ≥ 0".
    pub(super) fn check(self, value: f64) -> Result<(), String> {
        if !value.is_finite() || value < 0.0 {
            return Err(format!("must be a number ≥ 0, got {value}"));
        }
        match self {
            Unit::PercentOff | Unit::PercentPerYear if value > 100.0 => {
                Err(format!("a percentage must be ≤ 100, got {value}"))
            }
            Unit::Ratio | Unit::UsdPerEur if value == 0.0 => {
                Err("a ratio or exchange rate must be > 0, got 0".into())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A saved report's price rows read back: the words serialize as the CSV writes them
    /// and deserialize through the same checks.
    #[test]
    fn vocabulary_reads_back_from_json() {
        let v = serde_json::to_value((Unit::UsdPerGib, Confidence::Placeholder)).unwrap();
        assert_eq!(v, serde_json::json!(["usd_per_gib", "placeholder"]));
        let back: (Unit, Confidence) = serde_json::from_value(v).unwrap();
        assert_eq!(back, (Unit::UsdPerGib, Confidence::Placeholder));
        let e = serde_json::from_value::<Unit>(serde_json::json!("usd_per_parsec")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unknown unit \"usd_per_parsec\"; expected one of: usd_per_gib"),
            "{e}"
        );
    }
}
