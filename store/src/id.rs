//! Scenario ids and version numbers.

use std::fmt;
use std::str::FromStr;

/// A saved scenario's id: a random (v4) UUID, written in lowercase hyphenated form.
/// Random because a sequence would need a shared counter between server instances and
/// would tell anyone how many scenarios exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScenarioId(uuid::Uuid);

/// A text that is not a scenario id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a scenario id (ids look like 0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c)")]
pub struct IdError(pub String);

impl ScenarioId {
    /// A fresh random id.
    pub fn random() -> ScenarioId {
        ScenarioId(uuid::Uuid::new_v4())
    }
}

impl fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for ScenarioId {
    type Err = IdError;
    /// The hyphenated form, in either case: one spelling per id, so the id in a URL is
    /// the id in the database.
    ///
    /// ```
    /// use lakeplan_store::ScenarioId;
    /// let id: ScenarioId = "0B7A3C1E-5D2F-4E8A-9C61-2F4D8E9A1B3C".parse().unwrap();
    /// assert_eq!(id.to_string(), "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c");
    /// assert!("0b7a3c1e5d2f4e8a9c612f4d8e9a1b3c".parse::<ScenarioId>().is_err());
    /// assert!("42".parse::<ScenarioId>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<ScenarioId, IdError> {
        if s.len() != 36 {
            return Err(IdError(s.to_string()));
        }
        uuid::Uuid::try_parse(s)
            .map(ScenarioId)
            .map_err(|_| IdError(s.to_string()))
    }
}

impl serde::Serialize for ScenarioId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ScenarioId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ScenarioId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A scenario's version: 1 for the first save, one more for each save after it. It is
/// the HTTP ETag of the scenario, and what a save must name to be accepted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Version(pub u64);

impl Version {
    pub const FIRST: Version = Version(1);

    pub fn next(self) -> Version {
        Version(self.0.saturating_add(1))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_round_trip_and_are_random() {
        let a = ScenarioId::random();
        let b = ScenarioId::random();
        assert_ne!(a, b);
        assert_eq!(a.to_string().parse::<ScenarioId>().unwrap(), a);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<ScenarioId>(&json).unwrap(), a);
    }

    #[test]
    fn other_spellings_are_refused() {
        for bad in [
            "",
            "{0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c}",
            "urn:uuid:0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c",
            "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3g",
        ] {
            assert!(bad.parse::<ScenarioId>().is_err(), "{bad}");
        }
    }
}
