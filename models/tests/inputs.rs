//! The inputs registry seen from outside: its JSON Schema says what the parser accepts,
//! and its limits bound the work and the report a scenario can ask for.
#![allow(clippy::unwrap_used)]

mod common;

use common::REFERENCE_SCENARIO;
use lakeplan_models::calendar::Month;
use lakeplan_models::inputs::json_schema;
use lakeplan_models::inputs::limits::{
    MAX_CLAIMS, MAX_ERRORS, MAX_HORIZON_MONTHS, MAX_NAME_CHARS, MAX_POINTS, MAX_REPORT_BYTES,
    MAX_SITES, MAX_SITE_MONTHS,
};
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_models::scenario::Scenario;
use regex::Regex;
use serde_json::{json, Value};

/// The keywords the scenario schema uses, checked as JSON Schema 2020-12 defines them.
/// An unknown keyword fails the test, so the schema cannot say more than this checks.
fn errors_of(schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        panic!("{at}: a schema must be an object")
    };
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    for (k, rule) in s {
        let ok = match k.as_str() {
            "$schema" | "title" | "description" | "default" | "examples" => true,
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("{at}: bad type"),
                };
                types.iter().any(|t| match *t {
                    "null" => v.is_null(),
                    "string" => v.is_string(),
                    "object" => v.is_object(),
                    "array" => v.is_array(),
                    "boolean" => v.is_boolean(),
                    "number" => v.is_number(),
                    "integer" => v.as_f64().is_some_and(|x| x.fract() == 0.0),
                    other => panic!("{at}: unknown type {other}"),
                })
            }
            "enum" => rule.as_array().unwrap().contains(v),
            "const" => rule == v,
            "minimum" => v.as_f64().is_none_or(|x| x >= num(k).unwrap()),
            "maximum" => v.as_f64().is_none_or(|x| x <= num(k).unwrap()),
            "exclusiveMinimum" => v.as_f64().is_none_or(|x| x > num(k).unwrap()),
            "exclusiveMaximum" => v.as_f64().is_none_or(|x| x < num(k).unwrap()),
            "pattern" => v
                .as_str()
                .is_none_or(|t| Regex::new(rule.as_str().unwrap()).unwrap().is_match(t)),
            "maxLength" => v
                .as_str()
                .is_none_or(|t| t.chars().count() as u64 <= rule.as_u64().unwrap()),
            "minItems" => v
                .as_array()
                .is_none_or(|a| a.len() as u64 >= rule.as_u64().unwrap()),
            "maxItems" => v
                .as_array()
                .is_none_or(|a| a.len() as u64 <= rule.as_u64().unwrap()),
            "required" => v.as_object().is_none_or(|o| {
                rule.as_array()
                    .unwrap()
                    .iter()
                    .all(|r| o.contains_key(r.as_str().unwrap()))
            }),
            "properties" => {
                if let Some(o) = v.as_object() {
                    for (key, sub) in rule.as_object().unwrap() {
                        if let Some(child) = o.get(key) {
                            errors_of(sub, child, &format!("{at}.{key}"), out);
                        }
                    }
                }
                true
            }
            "additionalProperties" => {
                assert_eq!(rule, &json!(false), "{at}");
                let known = s["properties"].as_object().unwrap();
                v.as_object()
                    .is_none_or(|o| o.keys().all(|key| known.contains_key(key)))
            }
            "items" => {
                if let Some(a) = v.as_array() {
                    for (i, item) in a.iter().enumerate() {
                        errors_of(rule, item, &format!("{at}[{i}]"), out);
                    }
                }
                true
            }
            "not" => !valid(rule, v),
            "allOf" => {
                for sub in rule.as_array().unwrap() {
                    errors_of(sub, v, at, out);
                }
                true
            }
            "if" => {
                let branch = if valid(rule, v) { "then" } else { "else" };
                if let Some(sub) = s.get(branch) {
                    errors_of(sub, v, at, out);
                }
                true
            }
            "then" | "else" => true,
            other => panic!("{at}: the test does not know the keyword {other}"),
        };
        if !ok {
            out.push(format!("{at}: {k} {rule}"));
        }
    }
}

fn valid(schema: &Value, v: &Value) -> bool {
    let mut out = Vec::new();
    errors_of(schema, v, "", &mut out);
    out.is_empty()
}

#[test]
fn every_preset_and_the_reference_fit_the_schema() {
    let schema = json_schema();
    let mut files: Vec<(&str, &str)> = presets::all().iter().map(|p| (p.id, p.json)).collect();
    files.push(("reference", REFERENCE_SCENARIO));
    for (name, text) in files {
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut out = Vec::new();
        errors_of(&schema, &doc, "", &mut out);
        assert!(out.is_empty(), "{name}: {out:?}");
    }
}

/// The schema and the parser agree, one way or the other, on each of these edits of a
/// valid scenario: the schema states what the parser checks field by field.
#[test]
fn the_schema_refuses_what_the_parser_refuses() {
    let schema = json_schema();
    let base: Value = serde_json::from_str(REFERENCE_SCENARIO).unwrap();
    let long_name = "x".repeat(MAX_NAME_CHARS + 1);
    let many_sites: Vec<Value> = (0..=MAX_SITES)
        .map(|i| json!({ "name": format!("S{i}") }))
        .collect();
    let edits: Vec<(&str, Value)> = vec![
        ("format", json!(2)),
        ("extra", json!(1)),
        ("lake.extra", json!(1)),
        ("start_month", json!("0000-01")),
        ("start_month", json!("2026-13")),
        ("start_month", json!("2026-1")),
        ("start_month", Value::Null),
        ("horizon_months", json!(MAX_HORIZON_MONTHS + 1)),
        ("horizon_months", json!(0)),
        ("horizon_months", json!(-1)),
        ("horizon_months", json!(1.5)),
        ("lake.initial_pb", json!(0)),
        ("lake.initial_pb", json!("450")),
        ("lake.curve", json!("cubic")),
        ("lake.target_pb", json!(0)),
        ("lake.target_pb", Value::Null),
        ("lake.target_month", Value::Null),
        ("lake.points", json!([{ "month": "2031-01", "pb": 900 }])),
        ("change.value", json!(120)),
        ("change.value", json!(-1)),
        ("change.basis", json!("pb_per_day")),
        ("change.window_hours", json!(0)),
        ("change.window_hours", json!(24)),
        ("change.peak_to_mean", json!(0.5)),
        ("network.mtu_bytes", json!(575)),
        ("network.mtu_bytes", json!(9216)),
        ("network.tcp_window_mib", json!(1025)),
        ("network.max_utilization", json!(0)),
        ("network.max_utilization", json!(1)),
        ("network.seed_pb", json!(0)),
        ("network.seed_pb", json!(-1)),
        ("network.topology", json!("ring")),
        ("source.provider", json!("oracle")),
        ("source.mean_object_mb", json!(0)),
        ("sites", json!([])),
        ("sites", Value::Array(many_sites)),
        ("sites", json!([{ "name": "cloud" }])),
        ("sites", json!([{ "name": "  " }])),
        ("sites", json!([{ "name": long_name }])),
        ("sites", json!([{ "name": "A", "copy_fraction": 0 }])),
        ("sites", json!([{ "copy_fraction": 1 }])),
        ("links.cloud.ports", json!(0)),
        ("links.cloud.loss_rate", json!(1)),
        ("links.inter_site.rtt_ms", json!(0)),
        ("links.inter_site.extra", json!(0)),
        ("cluster.ec_data", json!(1001)),
        ("cluster.reserve_pct", json!(100)),
        ("cluster.fill_target", json!(1.01)),
        ("cluster.node_cores", json!(100_001)),
        ("pricing.term_years", json!(31)),
        (
            "pricing.overrides",
            json!({ "any.row": { "anything": [1, 2] } }),
        ),
        ("pricing.overrides", json!([])),
        (
            "claims",
            json!([{ "basis": "percent_per_day", "value": 101 }]),
        ),
        ("claims", json!([{ "basis": "tbps", "value": 101 }])),
        ("claims", json!([{ "value": 1 }])),
        (
            "claims",
            json!([{ "basis": "tbps", "value": 1, "extra": 1 }]),
        ),
    ];
    for (path, value) in edits {
        let mut doc = base.clone();
        assert!(lakeplan_models::path::set(&mut doc, path, value.clone()));
        let parser = Scenario::from_value(&doc);
        let mut out = Vec::new();
        errors_of(&schema, &doc, "", &mut out);
        assert_eq!(
            parser.is_ok(),
            out.is_empty(),
            "{path} = {value}: parser {:?}, schema {out:?}",
            parser.err()
        );
    }
    // The points curve: target_* not needed, points required.
    let mut doc = base.clone();
    doc["lake"] = json!({ "initial_pb": 450, "curve": "points" });
    assert!(Scenario::from_value(&doc).is_err());
    assert!(!valid(&schema, &doc));
    doc["lake"]["points"] = json!([{ "month": "2030-01", "pb": 770 }]);
    assert!(Scenario::from_value(&doc).is_ok());
    assert!(valid(&schema, &doc));
}

/// The month pattern accepts exactly what `Month` parses.
#[test]
fn the_month_pattern_is_the_parsers() {
    let schema = json_schema();
    let pattern = Regex::new(
        schema["properties"]["start_month"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for year in 0..=9999 {
        for month in 0..=13 {
            let text = format!("{year:04}-{month:02}");
            assert_eq!(
                pattern.is_match(&text),
                text.parse::<Month>().is_ok(),
                "{text}"
            );
        }
    }
    for text in [
        "2026-1",
        "202-01",
        "2026/01",
        "12026-01",
        "2026-011",
        " 2026-01",
        "２０２６-01",
    ] {
        assert!(!pattern.is_match(text), "{text}");
        assert!(text.parse::<Month>().is_err(), "{text}");
    }
}

/// A scenario at every limit at once: `sites` sites named with the longest names,
/// `months` months, the most claims and the most points.
fn at_the_limits(sites: usize, months: u32) -> Value {
    let names: Vec<Value> = (0..sites)
        .map(|i| {
            let tag = format!("{i:02}");
            json!({ "name": format!("{tag}{}", "é".repeat(MAX_NAME_CHARS - tag.len())) })
        })
        .collect();
    let start = Month::new(2026, 1).unwrap();
    let points: Vec<Value> = (1..=MAX_POINTS as u32)
        .map(|m| json!({ "month": start.plus(m).unwrap().to_string(), "pb": 450.0 + f64::from(m) }))
        .collect();
    let claims: Vec<Value> = (0..MAX_CLAIMS)
        .map(|i| json!({ "label": format!("Claim {i}"), "basis": "pb_per_day", "value": 40 + i }))
        .collect();
    json!({
        "start_month": "2026-01",
        "horizon_months": months,
        "lake": { "initial_pb": 450, "curve": "points", "points": points },
        "change": { "value": 10 },
        "network": { "topology": "chain" },
        "source": { "region": "us-central1" },
        "pricing": { "plan": "core-plus-capacity" },
        "sites": names,
        "claims": claims
    })
}

/// The largest report within the limits stays under [`MAX_REPORT_BYTES`] (16 MiB) of
/// JSON, whichever way the site-months are spent.
#[test]
fn the_largest_report_within_the_limits_is_bounded() {
    let longest = (MAX_SITE_MONTHS / u64::from(MAX_HORIZON_MONTHS)) as usize;
    let widest = (MAX_SITE_MONTHS / MAX_SITES as u64) as u32;
    for (sites, months) in [(MAX_SITES, widest), (longest, MAX_HORIZON_MONTHS)] {
        let s = Scenario::from_value(&at_the_limits(sites, months)).unwrap();
        let report = compute_priced(&s).unwrap();
        let bytes = serde_json::to_vec(&report).unwrap().len();
        assert!(
            bytes <= MAX_REPORT_BYTES,
            "{sites} sites × {months} months: {bytes} bytes"
        );
    }
}

/// One past each limit is refused with an error naming the field and the limit.
#[test]
fn one_past_each_limit_is_refused_naming_the_field() {
    let message = |doc: &Value, path: &str| -> String {
        let errors = Scenario::from_value(doc).unwrap_err().0;
        errors
            .iter()
            .find(|e| e.path == path)
            .unwrap_or_else(|| panic!("no error for {path}: {errors:?}"))
            .to_string()
    };
    let ok = at_the_limits(MAX_SITES, (MAX_SITE_MONTHS / MAX_SITES as u64) as u32);
    assert!(Scenario::from_value(&ok).is_ok());

    let one_more: [(&str, Value, usize, &str); 3] = [
        ("sites", json!({ "name": "One more" }), MAX_SITES, "sites"),
        (
            "claims",
            json!({ "basis": "tbps", "value": 1 }),
            MAX_CLAIMS,
            "claims",
        ),
        (
            "lake.points",
            json!({ "month": "2090-01", "pb": 2000 }),
            MAX_POINTS,
            "points",
        ),
    ];
    for (path, item, max, items) in one_more {
        let mut doc = ok.clone();
        let pointer = format!("/{}", path.replace('.', "/"));
        doc.pointer_mut(&pointer)
            .and_then(Value::as_array_mut)
            .unwrap()
            .push(item);
        assert_eq!(
            message(&doc, path),
            format!("{path} must list at most {max} {items}, got {}", max + 1)
        );
    }

    let mut doc = at_the_limits(1, MAX_HORIZON_MONTHS);
    doc["horizon_months"] = json!(MAX_HORIZON_MONTHS + 1);
    assert_eq!(
        message(&doc, "horizon_months"),
        format!("horizon_months must be between 1 and {MAX_HORIZON_MONTHS}, got 601")
    );

    let mut doc = ok.clone();
    doc["horizon_months"] = json!(MAX_SITE_MONTHS / MAX_SITES as u64 + 1);
    assert_eq!(
        message(&doc, "horizon_months"),
        format!(
            "horizon_months must be ≤ 150 for 32 sites (sites × months ≤ 4\u{2009}800), got {}",
            MAX_SITE_MONTHS / MAX_SITES as u64 + 1
        )
    );

    let mut doc = ok.clone();
    doc["sites"][0]["name"] = json!("n".repeat(MAX_NAME_CHARS + 1));
    assert_eq!(
        message(&doc, "sites[0].name"),
        format!(
            "sites[0].name must be at most {MAX_NAME_CHARS} characters, got {}",
            MAX_NAME_CHARS + 1
        )
    );

    // The 41 KB request that built a 561 MB answer: refused before any month is computed.
    let mut doc = at_the_limits(1, MAX_HORIZON_MONTHS);
    doc["sites"] = Value::Array(
        (0..1000)
            .map(|i| json!({ "name": format!("Site {i}") }))
            .collect(),
    );
    assert_eq!(
        message(&doc, "sites"),
        format!("sites must list at most {MAX_SITES} sites, got 1000")
    );
}

/// A file of thousands of problems lists the first [`MAX_ERRORS`] and counts the rest:
/// describing each (an unknown key's line is a search of the whole text) took 38 s for a
/// 1 MB file before.
#[test]
fn a_file_of_many_problems_lists_the_first_and_counts_the_rest() {
    let mut doc = at_the_limits(1, 12);
    doc["sites"] = Value::Array(
        (0..5000)
            .map(|i| json!({ "name": format!("Site {i}"), format!("x{i}"): 1 }))
            .collect(),
    );
    let text = serde_json::to_string(&doc).unwrap();
    let errors = Scenario::parse(&text).unwrap_err().0;
    assert_eq!(errors[0].path, "sites[0].x0");
    assert!(
        errors[0].message.contains("(line 1)"),
        "{}",
        errors[0].message
    );
    assert!(errors.iter().any(|e| e.path == "sites"));
    let last = errors.last().unwrap();
    assert_eq!(
        last.to_string(),
        format!(
            "scenario has {} more problems, not listed (the first {MAX_ERRORS} are)",
            5000 - MAX_ERRORS
        )
    );
    assert_eq!(errors.len(), MAX_ERRORS + 2);
}
