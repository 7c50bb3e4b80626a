//! The scenario file: reading the reference, defaults, and every error at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::REFERENCE_SCENARIO;
use lakeplan_models::change::ChangeBasis;
use lakeplan_models::scenario::{CurveKind, Scenario};
use lakeplan_models::topology::Topology;
use proptest::prelude::*;

fn errors(json: &str) -> Vec<String> {
    Scenario::parse(json)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| e.to_string())
        .collect()
}

/// A minimal valid scenario; tests add to it.
const MINIMAL: &str = r#"{
  "start_month": "2026-01",
  "lake": { "initial_pb": 450, "target_pb": 770, "target_month": "2030-01" },
  "change": { "value": 10 },
  "sites": [ { "name": "Region 1" } ]
}"#;

#[test]
fn reads_the_reference_scenario() {
    let s = Scenario::parse(REFERENCE_SCENARIO).unwrap();
    assert_eq!(s.horizon_months, 48);
    assert_eq!(s.start_month.to_string(), "2026-01");
    assert_eq!(s.lake.curve, CurveKind::Compound);
    assert_eq!(s.change.basis, ChangeBasis::PercentPerDay);
    assert_eq!(s.network.topology, Topology::Chain);
    assert_eq!(s.network.mtu_bytes, 9000);
    assert_eq!(s.sites.len(), 2);
    assert_eq!(s.links.inter_site.port_gbps, 400.0);
    assert_eq!(s.cluster.data_reduction, 1.2);
    assert_eq!(s.pricing.price_book, "2026-11");
    assert_eq!(s.seed().pb(), 450.0);
    // serde reads the same file to the same value, and writing it back round-trips.
    let via_serde: Scenario = serde_json::from_str(REFERENCE_SCENARIO).unwrap();
    assert_eq!(via_serde, s);
    let again = Scenario::parse(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(again, s);
}

#[test]
fn missing_fields_get_the_documented_defaults() {
    let s = Scenario::parse(MINIMAL).unwrap();
    assert_eq!(s.format, 1);
    assert_eq!(s.horizon_months, 60);
    assert_eq!(s.lake.curve, CurveKind::Compound);
    assert_eq!(s.change.window_hours, 24.0);
    assert_eq!(s.change.peak_to_mean, 1.0);
    assert_eq!(s.network.mtu_bytes, 1500);
    assert_eq!(s.network.max_utilization, 0.8);
    assert_eq!(s.network.topology, Topology::Chain);
    assert_eq!(s.network.seed_pb, None);
    assert_eq!(s.seed().pb(), 450.0, "seed_pb defaults to lake.initial_pb");
    assert_eq!(s.sites[0].copy_fraction, 1.0);
    assert_eq!(s.links.cloud.ports, 1);
    assert_eq!(s.cluster.ec_data, 146);
    assert_eq!(s.cluster.data_reduction, 1.0);
    assert_eq!(s.cluster.rack_ru, 42);
    assert_eq!(s.pricing.term_years, 5);
    assert_eq!(s.pricing.power_region, "us-va");
    // serde's defaults are the same as the parser's.
    let via_serde: Scenario = serde_json::from_str(MINIMAL).unwrap();
    assert_eq!(via_serde, s);
}

#[test]
fn power_region_is_read_and_checked_for_type() {
    let json = MINIMAL.replace(
        r#""change""#,
        r#""pricing": {"power_region": "us-or"}, "change""#,
    );
    assert_eq!(
        Scenario::parse(&json).unwrap().pricing.power_region,
        "us-or"
    );
    let json = MINIMAL.replace(
        r#""change""#,
        r#""pricing": {"power_region": 5, "colour": 1}, "change""#,
    );
    let e = errors(&json);
    assert!(
        e.contains(&"pricing.power_region must be text, got 5".to_string()),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m.starts_with("pricing.colour is not a known field")
                && m.ends_with(
                    "pricing has: price_book, catalog, plan, term_years, power_region, overrides"
                )),
        "{e:?}"
    );
}

#[test]
fn seed_zero_means_shipped_appliances() {
    let json = MINIMAL.replace(r#""change""#, r#""network": {"seed_pb": 0}, "change""#);
    assert_eq!(Scenario::parse(&json).unwrap().seed().0, 0.0);
}

#[test]
fn reports_every_range_error_at_once() {
    let json = r#"{
      "start_month": "2026-13",
      "horizon_months": 0,
      "lake": { "initial_pb": -5, "curve": "compound", "target_pb": 770, "target_month": "2030-01" },
      "change": { "basis": "percent_per_day", "value": 120, "window_hours": 0, "peak_to_mean": 0.5 },
      "network": { "mtu_bytes": 100000, "max_utilization": 1.5, "seed_pb": -1 },
      "sites": [ { "name": "A", "copy_fraction": 1.5 }, { "name": "A" } ],
      "links": { "cloud": { "ports": 0, "port_gbps": -100, "loss_rate": 1 } },
      "cluster": { "ec_data": 0, "reserve_pct": 100, "fill_target": 2, "data_reduction": 0 },
      "pricing": { "term_years": 0 }
    }"#;
    let e = errors(json);
    let expect = [
        "start_month must be a month written YYYY-MM (e.g. 2026-01), got \"2026-13\"",
        "horizon_months must be between 1 and 600, got 0",
        "lake.initial_pb must be > 0, got -5",
        "change.value must be between 0 and 100, got 120",
        "change.window_hours must be > 0 and ≤ 24, got 0",
        "change.peak_to_mean must be between 1 and 1000, got 0.5",
        "network.mtu_bytes must be between 576 and 9216, got 100000",
        "network.max_utilization must be > 0 and ≤ 1, got 1.5",
        "network.seed_pb must be ≥ 0, got -1",
        "sites[0].copy_fraction must be > 0 and ≤ 1, got 1.5",
        "sites[1].name must be unique, \"A\" is used twice",
        "links.cloud.ports must be ≥ 1, got 0",
        "links.cloud.port_gbps must be > 0, got -100",
        "links.cloud.loss_rate must be ≥ 0 and < 1, got 1",
        "cluster.ec_data must be between 1 and 1000, got 0",
        "cluster.reserve_pct must be ≥ 0 and < 100, got 100",
        "cluster.data_reduction must be > 0, got 0",
        "cluster.fill_target must be > 0 and ≤ 1, got 2",
        "pricing.term_years must be between 1 and 30, got 0",
    ];
    for want in expect {
        assert!(
            e.iter().any(|got| got == want),
            "missing {want:?} in {e:#?}"
        );
    }
}

#[test]
fn ports_below_one_name_the_range() {
    let json = MINIMAL.replace(
        r#""sites""#,
        r#""links": {"cloud": {"ports": -2}, "inter_site": {"ports": 1.5}}, "sites""#,
    );
    let e = errors(&json);
    assert!(
        e.contains(&"links.cloud.ports must be a whole number ≥ 1, got -2".to_string()),
        "{e:?}"
    );
    assert!(
        e.contains(&"links.inter_site.ports must be a whole number ≥ 1, got 1.5".to_string()),
        "{e:?}"
    );
}

#[test]
fn structure_errors_name_path_and_line() {
    let json = "{\n  \"start_month\": \"2026-01\",\n  \"lake\": { \"initial_pb\": 450, \"target_pb\": 770,\n    \"target_month\": \"2030-01\", \"inital_growth\": 3 },\n  \"change\": { \"value\": \"ten\" },\n  \"sites\": [ { \"name\": \"R1\", \"colour\": \"red\" } ],\n  \"network\": { \"topology\": \"ring\" },\n  \"extra\": true\n}";
    let e = errors(json);
    assert!(
        e.iter().any(|s| s.starts_with(
            "lake.inital_growth is not a known field (line 4); lake has: initial_pb, curve"
        )),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|s| s.starts_with("sites[0].colour is not a known field (line 6)")),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|s| s.starts_with("extra is not a known field (line 8); the scenario has:")),
        "{e:#?}"
    );
    assert!(
        e.contains(&"change.value must be a number, got \"ten\"".to_string()),
        "{e:#?}"
    );
    assert!(
        e.contains(&"network.topology must be one of chain, fan_out, got \"ring\"".to_string()),
        "{e:#?}"
    );
    // The derived serde reader refuses unknown fields as well.
    assert!(serde_json::from_str::<Scenario>(json).is_err());
}

#[test]
fn malformed_json_gives_line_and_column() {
    let e = errors("{\n  \"start_month\": \"2026-01\",\n  \"lake\": { \"initial_pb\": 450, }\n}");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("scenario is not valid JSON: "), "{e:?}");
    assert!(e[0].contains("(line 3, column"), "{e:?}");
    let e = errors("[1, 2]");
    assert_eq!(e, ["scenario must be a JSON object, got a list"]);
    let e = errors("");
    assert!(e[0].contains("line 1"), "{e:?}");
}

#[test]
fn required_fields_are_named() {
    let e = errors("{}");
    for want in [
        "start_month is required",
        "lake is required",
        "change is required",
        "sites must list at least one site",
    ] {
        assert!(
            e.iter().any(|s| s.starts_with(want)),
            "missing {want:?} in {e:#?}"
        );
    }
    let e = errors(&MINIMAL.replace(r#", "target_pb": 770, "target_month": "2030-01""#, ""));
    assert!(
        e.contains(&"lake.target_pb is required when lake.curve is compound".to_string()),
        "{e:#?}"
    );
    assert!(
        e.contains(&"lake.target_month is required when lake.curve is compound".to_string()),
        "{e:#?}"
    );
}

#[test]
fn points_curves_are_checked() {
    let json = MINIMAL.replace(
        r#""target_pb": 770, "target_month": "2030-01""#,
        r#""curve": "points", "points": [{"month": "2027-01", "pb": 500}, {"month": "2026-06", "pb": 520}, {"month": "2026-02"}]"#,
    );
    let e = errors(&json);
    assert!(
        e.contains(
            &"lake.points[1].month must be after the previous point (2027-01), got 2026-06"
                .to_string()
        ),
        "{e:#?}"
    );
    assert!(
        e.contains(&"lake.points[2].pb is required".to_string()),
        "{e:#?}"
    );
    let ok = MINIMAL.replace(
        r#""target_pb": 770, "target_month": "2030-01""#,
        r#""curve": "points", "points": [{"month": "2027-01", "pb": 500}]"#,
    );
    let s = Scenario::parse(&ok).unwrap();
    assert_eq!(s.curve().at(12.0).pb(), 500.0);
    let e = errors(&MINIMAL.replace(
        r#""target_month": "2030-01""#,
        r#""target_month": "2030-01", "points": [{"month": "2027-01", "pb": 1}]"#,
    ));
    assert_eq!(
        e,
        ["lake.points is only read when lake.curve is points, but the curve is compound"]
    );
}

#[test]
fn target_month_must_follow_the_start() {
    let e = errors(&MINIMAL.replace("2030-01", "2025-12"));
    assert_eq!(
        e,
        ["lake.target_month must be after start_month (2026-01), got 2025-12"]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random text never panics the parser.
    #[test]
    fn random_text_never_panics(s in ".{0,200}") {
        let _ = Scenario::parse(&s);
    }

    /// The reference with a slice cut out, or a character replaced, never panics and an
    /// error always names a path.
    #[test]
    fn garbled_reference_never_panics(cut in 0usize..1700, len in 0usize..40, ch in any::<char>()) {
        let mut s: Vec<char> = REFERENCE_SCENARIO.chars().collect();
        let at = cut.min(s.len());
        let end = (at + len).min(s.len());
        s.drain(at..end);
        if at < s.len() { s[at] = ch; }
        let text: String = s.into_iter().collect();
        if let Err(e) = Scenario::parse(&text) {
            prop_assert!(!e.0.is_empty());
            prop_assert!(e.0.iter().all(|f| !f.path.is_empty()));
        }
    }

    /// Any JSON value in any field never panics.
    #[test]
    fn wrong_types_never_panic(field in prop::sample::select(vec!["initial_pb", "value", "ports", "mtu_bytes", "name", "sites", "lake", "points", "curve", "seed_pb"]),
                               value in prop::sample::select(vec!["null", "true", "-1", "1e308", "-1e308", "0", "\"x\"", "[]", "{}", "[{}]", "18446744073709551616", "4294967296"])) {
        let needle = format!("\"{field}\":");
        let text = REFERENCE_SCENARIO.replacen(&needle, &format!("\"{field}\": {value}, \"_{field}\":"), 1);
        let _ = Scenario::parse(&text);
    }
}

#[test]
fn odd_keys_are_quoted_in_paths() {
    let e = errors(&MINIMAL.replacen('{', r#"{ "": 1, "a.b": 2, "lake.x": 3,"#, 1));
    assert!(
        e.iter()
            .any(|s| s.starts_with(r#"[""] is not a known field"#)),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|s| s.starts_with(r#"["a.b"] is not a known field"#)),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|s| s.starts_with(r#"["lake.x"] is not a known field"#)),
        "{e:#?}"
    );
}

#[test]
fn format_bases_and_rack_fit_are_checked() {
    let e = errors(&MINIMAL.replacen('{', r#"{ "format": 2,"#, 1));
    assert_eq!(e, ["format must be 1, got 2"]);
    let s = Scenario::parse(
        &MINIMAL.replace(r#""value": 10"#, r#""basis": "pb_per_month", "value": 100"#),
    )
    .unwrap();
    assert_eq!(s.change.basis, ChangeBasis::PbPerMonth);
    let e = errors(&MINIMAL.replace(r#""value": 10"#, r#""basis": "tb_per_day", "value": 1"#));
    assert_eq!(e, ["change.basis must be one of percent_per_day, pb_per_day, pb_per_month, got \"tb_per_day\""]);
    let e = errors(&MINIMAL.replace(
        r#""sites""#,
        r#""cluster": {"rack_ru": 2, "rack_kw": 1.2}, "sites""#,
    ));
    assert_eq!(
        e,
        [
            "cluster.rack_ru must leave room for a 1 U device after 2 U of switches, got 2",
            "cluster.rack_kw must leave power for a 728 W device after the switches' 1000 W, got 1.2",
        ]
    );
    let e = errors(&MINIMAL.replace(
        r#"{ "name": "Region 1" }"#,
        r#"{ "name": "cloud" }, { "name": " " }"#,
    ));
    assert_eq!(
        e,
        [
            "sites[0].name must not be \"cloud\", which names the source in path names",
            "sites[1].name must not be empty",
        ]
    );
}
