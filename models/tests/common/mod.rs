//! What the tests and benchmarks start from: the reference scenario as the shared spec
//! writes it, the presets as users get them, and prices from `shared/price-facts.md`
//! (November 2026).
//!
//! Rows marked U there (licence, node and switch prices, support) are placeholders chosen
//! only to exercise the arithmetic; they are not quotes.
#![allow(dead_code)]

use std::collections::BTreeSet;

use lakeplan_models::egress::EgressRate;
use lakeplan_models::presets;
use lakeplan_models::pricing::{Basis, Component, Plan, Prices, SpaceRate, TermDiscount};
use lakeplan_models::scenario::Scenario;
use lakeplan_models::units::{Usd, UsdPerGib, UsdPerHour, UsdPerRequest};
use serde_json::Value;

/// The shared spec's reference scenario file (the reference preset under another name).
pub const REFERENCE_SCENARIO: &str = include_str!("../data/reference-scenario.json");

/// A preset's scenario, read as a user's file is.
pub fn preset(id: &str) -> Scenario {
    presets::get(id)
        .unwrap_or_else(|| panic!("no preset {id}"))
        .scenario()
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// The reference preset's scenario ([`presets::REFERENCE`]).
pub fn reference_preset() -> Scenario {
    preset(presets::REFERENCE)
}

pub fn reference_prices() -> Prices {
    Prices {
        book: "2026-11".into(),
        // GCP egress to on-prem over Interconnect, North America: $0.02/GiB (S).
        egress: EgressRate::FlatPerGib(UsdPerGib(0.02)),
        // GCS Class B operations (GET), Standard: $0.004 per 10 000 (T).
        request: Some(UsdPerRequest::per_10k(0.004)),
        // GCP Dedicated Interconnect 100 G circuit: $23.28/h (T).
        cloud_port: UsdPerHour(23.28),
        // Not in the price facts (a carrier circuit between the customer's regions).
        inter_site_port: UsdPerHour(0.0),
        licence: Plan {
            name: "core-plus-capacity (placeholder, U)".into(),
            components: vec![
                Component {
                    name: "cores".into(),
                    basis: Basis::PerCoreYear,
                    rate: 500.0,
                    tiers: vec![],
                    term_discounts: vec![TermDiscount {
                        min_years: 3,
                        fraction: 0.1,
                    }],
                },
                Component {
                    name: "capacity".into(),
                    basis: Basis::PerUsableTbYear,
                    rate: 30.0,
                    tiers: vec![],
                    term_discounts: vec![TermDiscount {
                        min_years: 3,
                        fraction: 0.1,
                    }],
                },
            ],
        },
        // About $29/TB usable from the Solidigm 1 EB figure (S, D); node and switch U.
        enclosure: Usd(35_000.0),
        node: Usd(25_000.0),
        switch: Usd(40_000.0),
        support_fraction_per_year: 0.15,
        // Virginia industrial 8.92 ¢/kWh (EIA), PUE 1.58 (Uptime), $184.06/kW-month (CBRE).
        power_usd_per_kwh: 0.0892,
        pue: 1.58,
        space: SpaceRate::PerKwMonth(184.06),
        cloud: None,
    }
}

/// Where a JSON tree differs from the golden one, each difference named by its path under
/// `path`: numbers to a relative 1e-12 (libm's exp/pow may differ in the last bit between
/// platforms), everything else exactly; object keys in `skip` are left out at any depth.
pub fn json_diffs(got: &Value, golden: &Value, path: &str, skip: &[&str]) -> Vec<String> {
    let mut diffs = Vec::new();
    same(got, golden, path, skip, &mut diffs);
    diffs
}

fn same(a: &Value, b: &Value, path: &str, skip: &[&str], diffs: &mut Vec<String>) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() > 1e-12 * x.abs().max(y.abs()) {
                diffs.push(format!("{path}: {x} vs golden {y}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                same(x, y, &format!("{path}[{i}]"), skip, diffs);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys.into_iter().filter(|k| !skip.contains(&k.as_str())) {
                match (x.get(k), y.get(k)) {
                    (Some(xv), Some(yv)) => same(xv, yv, &format!("{path}.{k}"), skip, diffs),
                    _ => diffs.push(format!("{path}.{k}: only on one side")),
                }
            }
        }
        _ if a == b => {}
        _ => diffs.push(format!("{path}: {a} vs golden {b}")),
    }
}
