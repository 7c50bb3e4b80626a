//! Ready-made scenarios (`data/presets/`), so a user starts from a worked case instead of a
//! blank form, and so every surface demonstrates the same situations.
//!
//! The files are ordinary format-1 scenario files, embedded with `include_str!` for the
//! same reason as the price books: the browser has no file system. Their tests (parse,
//! price, compute; the reference preset against the spec's numbers) keep them valid as
//! the model and the book change. Names describe situations, never real companies.

use crate::scenario::{Scenario, ScenarioErrors};

/// One preset scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The file's stem in `data/presets/`, stable for links and the CLI.
    pub id: &'static str,
    /// The scenario's `name`, for menus.
    pub title: &'static str,
    /// One sentence for a menu: what situation the preset shows.
    pub description: &'static str,
    /// The scenario file, as shipped.
    pub json: &'static str,
}

impl Preset {
    /// The preset read through [`Scenario::parse`], like any user's file.
    pub fn scenario(&self) -> Result<Scenario, ScenarioErrors> {
        Scenario::parse(self.json)
    }
}

/// The reference preset's id: the shared spec's reference scenario
/// (`models/tests/data/reference-scenario.json`) under a situation's name, the case the
/// docs work by hand and the tests and benchmarks start from.
pub const REFERENCE: &str = "retail-hybrid-lakehouse";

const PRESETS: &[Preset] = &[
    Preset {
        id: REFERENCE,
        title: "Retail hybrid lakehouse, 450→770 PB",
        description: "The reference case: 10 % a day of a 450 PB lake from Google Cloud to two \
                      on-prem regions; 50 × 100 G links are not enough.",
        json: include_str!("../../data/presets/retail-hybrid-lakehouse.json"),
    },
    Preset {
        id: "two-cluster-pilot",
        title: "Two-cluster pilot, 2→5 PB",
        description: "A small first step: 3 % a day over a pair of 10 G circuits to two \
                      minimum-size clusters.",
        json: include_str!("../../data/presets/two-cluster-pilot.json"),
    },
    Preset {
        id: "cloud-egress-fan-out",
        title: "Cloud egress fan-out, AWS internet to three sites",
        description: "Three sites each fetch their own copy over the internet: fan-out pays \
                      egress three times where a chain pays once.",
        json: include_str!("../../data/presets/cloud-egress-fan-out.json"),
    },
    Preset {
        id: "lake-placement",
        title: "Where the lake lives, 20→45 PB",
        description: "Object store, on-prem or the same software on cloud instances: a 20 PB \
                      lake in Google Cloud, the cloud cluster priced both ways.",
        json: include_str!("../../data/presets/lake-placement.json"),
    },
];

/// Every preset, the reference case first.
pub fn all() -> &'static [Preset] {
    PRESETS
}

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The reference preset ([`REFERENCE`]), first of [`all`].
pub fn reference() -> &'static Preset {
    &PRESETS[0]
}

/// The reference preset's scenario, for this crate's tests.
#[cfg(test)]
pub(crate) fn reference_scenario() -> Scenario {
    reference().scenario().expect("the reference preset reads")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_preset_is_a_valid_scenario_titled_by_its_name() {
        let mut ids = std::collections::BTreeSet::new();
        for p in all() {
            assert!(ids.insert(p.id), "{} twice", p.id);
            let path = format!(
                "{}/../data/presets/{}.json",
                env!("CARGO_MANIFEST_DIR"),
                p.id
            );
            assert_eq!(std::fs::read_to_string(&path).unwrap(), p.json, "{path}");
            let s = p.scenario().unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert_eq!(s.name, p.title, "{}", p.id);
            // Situations, not companies.
            assert!(
                s.customer.starts_with("Example "),
                "{}: {}",
                p.id,
                s.customer
            );
            assert!(!s.pricing.price_book.is_empty() && !s.pricing.plan.is_empty());
        }
        assert_eq!(
            all().iter().map(|p| p.id).collect::<Vec<_>>(),
            [
                "retail-hybrid-lakehouse",
                "two-cluster-pilot",
                "cloud-egress-fan-out",
                "lake-placement"
            ]
        );
        assert_eq!(get("two-cluster-pilot").unwrap().id, "two-cluster-pilot");
        assert_eq!(reference().id, REFERENCE);
        assert_eq!(get(REFERENCE), Some(reference()));
        assert!(get("nope").is_none());
    }

    /// The reference preset is `models/tests/data/reference-scenario.json` (a copy of the
    /// shared spec's) under a situation's name.
    #[test]
    fn the_reference_preset_is_the_reference_scenario() {
        let reference =
            Scenario::parse(include_str!("../tests/data/reference-scenario.json")).unwrap();
        let mut preset = reference_scenario();
        assert_eq!(preset.name, "Retail hybrid lakehouse, 450→770 PB");
        preset.name = reference.name.clone();
        preset.notes = reference.notes.clone();
        assert_eq!(preset, reference);
    }
}
