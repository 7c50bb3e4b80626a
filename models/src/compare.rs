//! Scenarios side by side: which inputs differ and how the key figures move.
//!
//! The comparison is computed here, from scenario JSON and reports, so the browser (which
//! has both in memory) and the server's `GET /api/compare` give the same table. Two parts:
//!
//! - [`inputs`]: the scenario leaves whose values are not the same in every scenario, named
//!   by their JSON path (`change.value`, `sites[1].name`, `pricing.overrides["fx.usd-per-eur"]`,
//!   written as [`Scenario::parse`](crate::scenario::Scenario::parse) names fields), with
//!   each scenario's value (`null` where a scenario lacks the leaf).
//! - [`figures`]: the [`key_figures`] of each report, aligned by key, with each one's
//!   difference from the first scenario's.
//!
//! Choices where the spec is silent:
//! - The key figures are those the page shows as cards (`app/src/results.rs`) plus what a
//!   proposal compares: the rate and the lake in the first and last months, the busy-day
//!   peak, the first month a path saturates, the days to seed, the most ports each path
//!   needs in any month, enclosures and nodes per site in the last month, egress over the
//!   horizon, the total cost and the effective dollars per TB-month.
//! - Per-path and per-site figures are keyed by name (`ports_needed["cloud → Region 1"]`),
//!   so scenarios with different sites line up where the names agree and show `null`
//!   where a scenario has no such path or site.
//! - A delta is `value − first value`; for a month it is the number of months later
//!   (negative: earlier). It is `null` when either value is `null` (a path that never
//!   saturates has no month to subtract).
//! - Numbers compare as numbers (`10` equals `10.0`), everything else by JSON equality.

use serde_json::Value;

use crate::calendar::Month;
use crate::report::Report;

/// One figure of one report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyFigure {
    /// Stable across scenarios: `total_cost_usd`, `enclosures_end["Region 1"]`.
    pub key: String,
    /// For people: "Enclosures in the last month, Region 1".
    pub label: String,
    /// `Gbps`, `PB`, `USD`, `days`, `ports`, `enclosures`, `nodes`, `USD/TB-month`,
    /// `month`.
    pub unit: String,
    /// `None` when the figure does not exist for this report: no infeasible month, a seed
    /// that never finishes, no capacity to divide by.
    pub value: Option<Figure>,
}

/// A figure's value: a number in the figure's unit, or a month.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Figure {
    Number(f64),
    Month(Month),
}

impl Figure {
    /// `self − base`: a plain difference for numbers, months between for months; `None`
    /// for a number against a month, which a key never mixes.
    pub fn minus(self, base: Figure) -> Option<f64> {
        match (self, base) {
            (Figure::Number(a), Figure::Number(b)) => Some(a - b),
            (Figure::Month(a), Figure::Month(b)) => Some(a.months_since(b) as f64),
            _ => None,
        }
    }

    fn same(self, other: Figure) -> bool {
        match (self, other) {
            (Figure::Number(a), Figure::Number(b)) => a == b,
            (Figure::Month(a), Figure::Month(b)) => a == b,
            _ => false,
        }
    }
}

/// One key figure across the compared scenarios.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureRow {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// One per scenario, in the order given: a number in `unit`, or a month (YYYY-MM).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<Value>>))]
    pub values: Vec<Option<Figure>>,
    /// One per scenario: `values[i] − values[0]` (so `deltas[0]` is 0 when the first has a
    /// value), `None` when either is missing.
    pub deltas: Vec<Option<f64>>,
}

impl FigureRow {
    /// Whether any scenario's value differs from the first one's.
    pub fn differs(&self) -> bool {
        let first = self.values.first().copied().flatten();
        self.values.iter().any(|v| match (v, first) {
            (Some(a), Some(b)) => !a.same(b),
            (None, None) => false,
            _ => true,
        })
    }
}

/// One scenario leaf whose value is not the same everywhere.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InputDifference {
    /// The JSON path, as validation errors name fields: `sites[1].name`.
    pub path: String,
    /// One per scenario; `None` (JSON `null`) where the scenario has no such leaf.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<Value>>))]
    pub values: Vec<Option<Value>>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub inputs: Vec<InputDifference>,
    pub figures: Vec<FigureRow>,
}

/// Compares scenarios (as JSON, as saved) and their reports, given in the same order.
///
/// ```
/// use lakeplan_models::compare::{compare, Figure};
/// use lakeplan_models::presets;
/// use lakeplan_models::report::compute_priced;
///
/// let a = presets::reference().scenario().unwrap();
/// let mut b = a.clone();
/// b.change.value = 5.0;
/// let reports = [compute_priced(&a).unwrap(), compute_priced(&b).unwrap()];
/// let json = [serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap()];
/// let c = compare(&json, &reports);
/// assert_eq!(c.inputs.len(), 1);
/// assert_eq!(c.inputs[0].path, "change.value");
/// let rate = c.figures.iter().find(|f| f.key == "sustained_gbps.first").unwrap();
/// // Half the change, half the rate: 4 166.7 → 2 083.3 Gbps.
/// assert_eq!(rate.values[0], Some(Figure::Number(4166.666666666666)));
/// assert!((rate.deltas[1].unwrap() + 2083.333333333333).abs() < 1e-9);
/// ```
pub fn compare(scenarios: &[Value], reports: &[Report]) -> Comparison {
    Comparison {
        inputs: inputs(scenarios),
        figures: figures(reports),
    }
}

/// The leaves whose values differ, in the order of the scenario's own nesting (object
/// keys as the JSON objects hold them, list items by index).
pub fn inputs(scenarios: &[Value]) -> Vec<InputDifference> {
    let mut out = Vec::new();
    let roots: Vec<Option<&Value>> = scenarios.iter().map(Some).collect();
    walk("", &roots, &mut out);
    out
}

fn walk(path: &str, values: &[Option<&Value>], out: &mut Vec<InputDifference>) {
    let present = || values.iter().flatten();
    if present().next().is_none() {
        return;
    }
    if present().all(|v| v.is_object()) {
        let mut keys: Vec<&str> = Vec::new();
        for map in present().filter_map(|v| v.as_object()) {
            for k in map.keys() {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
        }
        for key in keys {
            let children: Vec<Option<&Value>> =
                values.iter().map(|v| v.and_then(|v| v.get(key))).collect();
            walk(&child_key(path, key), &children, out);
        }
    } else if present().all(|v| v.is_array()) {
        let len = present()
            .filter_map(|v| v.as_array().map(Vec::len))
            .max()
            .unwrap_or(0);
        for i in 0..len {
            let children: Vec<Option<&Value>> =
                values.iter().map(|v| v.and_then(|v| v.get(i))).collect();
            walk(&format!("{path}[{i}]"), &children, out);
        }
    } else {
        let first = values[0];
        if values.iter().any(|v| !same_leaf(*v, first)) {
            out.push(InputDifference {
                path: path.to_string(),
                values: values.iter().map(|v| v.cloned()).collect(),
            });
        }
    }
}

/// The path of `key` inside `path`, written as scenario validation writes it: a plain name
/// after a dot, anything else (the dotted ids of `pricing.overrides`) quoted in brackets.
fn child_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", quoted(key)),
    }
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn same_leaf(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (a, b) => a == b,
    }
}

/// The order families of figures are listed in; per-path and per-site families hold one
/// figure per name.
const FAMILIES: &[&str] = &[
    "lake_pb",
    "sustained_gbps",
    "peak_gbps",
    "first_infeasible_month",
    "seed_days",
    "ports_needed",
    "enclosures_end",
    "nodes_end",
    "egress_usd",
    "total_cost_usd",
    "usd_per_effective_tb_month",
];

fn family(key: &str) -> &str {
    let end = key.find(['.', '[']).unwrap_or(key.len());
    &key[..end]
}

/// The key figures of one report, in a fixed order. Empty for a report without months
/// (a horizon of 0 cannot be saved, but a hand-built report may have one).
pub fn key_figures(report: &Report) -> Vec<KeyFigure> {
    let (Some(first), Some(last)) = (report.months.first(), report.months.last()) else {
        return Vec::new();
    };
    let s = &report.summary;
    let n = |v: f64| Some(Figure::Number(v));
    let mut out = Vec::new();
    let mut push = |key: String, label: String, unit: &str, value: Option<Figure>| {
        out.push(KeyFigure {
            key,
            label,
            unit: unit.to_string(),
            value,
        });
    };
    push(
        "lake_pb.first".into(),
        format!("Lake in {}", first.month),
        "PB",
        n(first.lake_pb),
    );
    push(
        "lake_pb.last".into(),
        "Lake in the last month".into(),
        "PB",
        n(last.lake_pb),
    );
    push(
        "sustained_gbps.first".into(),
        "Sustained replication rate, first month".into(),
        "Gbps",
        n(first.sustained_gbps),
    );
    push(
        "sustained_gbps.last".into(),
        "Sustained replication rate, last month".into(),
        "Gbps",
        n(last.sustained_gbps),
    );
    push(
        "peak_gbps.first".into(),
        "Busy-day peak, first month".into(),
        "Gbps",
        n(first.peak_gbps),
    );
    push(
        "peak_gbps.last".into(),
        "Busy-day peak, last month".into(),
        "Gbps",
        n(last.peak_gbps),
    );
    push(
        "first_infeasible_month".into(),
        "First month a path saturates (— when none does)".into(),
        "month",
        s.first_infeasible_month.map(Figure::Month),
    );
    push(
        "seed_days".into(),
        "Days to seed the first copy (— when it never finishes)".into(),
        "days",
        s.seed_days.and_then(n),
    );
    for (i, p) in first.paths.iter().enumerate() {
        push(
            format!("ports_needed[{}]", quoted(&p.name)),
            format!("Ports needed, {}", p.name),
            "ports",
            n(report.max_ports_needed(i) as f64),
        );
    }
    for site in &last.sites {
        push(
            format!("enclosures_end[{}]", quoted(&site.name)),
            format!("Enclosures in the last month, {}", site.name),
            "enclosures",
            n(site.enclosures as f64),
        );
    }
    for site in &last.sites {
        push(
            format!("nodes_end[{}]", quoted(&site.name)),
            format!("Nodes in the last month, {}", site.name),
            "nodes",
            n(site.nodes as f64),
        );
    }
    let egress = report.own_topology().map_or_else(
        || report.months.iter().map(|m| m.egress_usd).sum(),
        |t| t.egress_usd,
    );
    push(
        "egress_usd".into(),
        "Cloud egress, whole horizon".into(),
        "USD",
        n(egress),
    );
    push(
        "total_cost_usd".into(),
        "Total cost, whole horizon".into(),
        "USD",
        n(s.total_cost_usd),
    );
    push(
        "usd_per_effective_tb_month".into(),
        "Cost per effective TB-month".into(),
        "USD/TB-month",
        s.usd_per_effective_tb_month.and_then(n),
    );
    out
}

/// The key figures of several reports, one row per key (the union of every report's
/// keys, grouped by family in [`FAMILIES`] order and by first appearance within one).
pub fn figures(reports: &[Report]) -> Vec<FigureRow> {
    let each: Vec<Vec<KeyFigure>> = reports.iter().map(key_figures).collect();
    let mut rows: Vec<FigureRow> = Vec::new();
    for fam in FAMILIES {
        for figures in &each {
            for f in figures.iter().filter(|f| family(&f.key) == *fam) {
                if rows.iter().any(|r| r.key == f.key) {
                    continue;
                }
                let values: Vec<Option<Figure>> = each
                    .iter()
                    .map(|fs| fs.iter().find(|g| g.key == f.key).and_then(|g| g.value))
                    .collect();
                let base = values.first().copied().flatten();
                let deltas = values
                    .iter()
                    .map(|v| v.zip(base).and_then(|(v, b)| v.minus(b)))
                    .collect();
                rows.push(FigureRow {
                    key: f.key.clone(),
                    label: f.label.clone(),
                    unit: f.unit.clone(),
                    values,
                    deltas,
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::presets::reference_scenario;
    use crate::report::compute_priced;
    use serde_json::json;

    #[test]
    fn identical_scenarios_differ_nowhere() {
        let s = serde_json::to_value(reference_scenario()).unwrap();
        assert!(inputs(&[s.clone(), s.clone(), s]).is_empty());
    }

    #[test]
    fn leaves_are_named_by_path_with_each_value() {
        let a = json!({"change": {"value": 10}, "sites": [{"name": "A"}], "name": "x"});
        let b =
            json!({"change": {"value": 15}, "sites": [{"name": "A"}, {"name": "B"}], "name": "x"});
        let d = inputs(&[a, b]);
        assert_eq!(
            d,
            vec![
                InputDifference {
                    path: "change.value".into(),
                    values: vec![Some(json!(10)), Some(json!(15))],
                },
                InputDifference {
                    path: "sites[1].name".into(),
                    values: vec![None, Some(json!("B"))],
                },
            ]
        );
    }

    #[test]
    fn numbers_compare_by_value_and_odd_keys_are_quoted() {
        let a = json!({"x": 10, "pricing": {"overrides": {"fx.usd-per-eur": 1.1}}});
        let b = json!({"x": 10.0, "pricing": {"overrides": {"fx.usd-per-eur": 1.2}}});
        let d = inputs(&[a, b]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, r#"pricing.overrides["fx.usd-per-eur"]"#);
    }

    #[test]
    fn a_leaf_against_an_object_is_one_difference() {
        let a = json!({"network": {"seed_pb": 3}});
        let b = json!({"network": 7});
        let d = inputs(&[a.clone(), b]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "network");
        assert_eq!(d[0].values[0], Some(a["network"].clone()));
    }

    #[test]
    fn the_reference_case_has_its_spec_figures() {
        let r = compute_priced(&reference_scenario()).unwrap();
        let f = key_figures(&r);
        let get = |k: &str| f.iter().find(|x| x.key == k).unwrap().value;
        // 450 PB at 10 %/day = 4 166.667 Gbps (docs/model.md); 50 × 100 G saturates at once.
        assert_eq!(
            get("sustained_gbps.first"),
            Some(Figure::Number(4166.666666666666))
        );
        assert_eq!(
            get("first_infeasible_month"),
            Some(Figure::Month("2026-01".parse().unwrap()))
        );
        assert_eq!(get("seed_days"), None);
        assert_eq!(
            get("ports_needed[\"cloud → Region 1\"]"),
            Some(Figure::Number(r.max_ports_needed(0) as f64))
        );
        let last = r.months.last().unwrap();
        assert_eq!(
            get("enclosures_end[\"Region 2\"]"),
            Some(Figure::Number(last.sites[1].enclosures as f64))
        );
        assert_eq!(
            get("total_cost_usd"),
            Some(Figure::Number(r.summary.total_cost_usd))
        );
    }

    #[test]
    fn deltas_are_against_the_first_and_months_count_months() {
        let a = reference_scenario();
        let mut b = a.clone();
        b.change.value = 5.0; // half the rate
        b.links.cloud.ports = 60;
        let ra = compute_priced(&a).unwrap();
        let rb = compute_priced(&b).unwrap();
        let rows = figures(&[ra.clone(), rb.clone()]);
        let rate = rows
            .iter()
            .find(|r| r.key == "sustained_gbps.first")
            .unwrap();
        assert_eq!(rate.deltas[0], Some(0.0));
        let half = ra.months[0].sustained_gbps / 2.0;
        assert!((rate.deltas[1].unwrap() + half).abs() < 1e-9);
        let month = rows
            .iter()
            .find(|r| r.key == "first_infeasible_month")
            .unwrap();
        match (
            ra.summary.first_infeasible_month,
            rb.summary.first_infeasible_month,
        ) {
            (Some(x), Some(y)) => {
                assert_eq!(month.deltas[1], Some(y.months_since(x) as f64));
                assert!(y > x, "60 ports at half the rate saturate later");
            }
            (x, y) => assert_eq!(month.deltas[1], x.zip(y).map(|_| 0.0)),
        }
    }

    #[test]
    fn sites_line_up_by_name_and_missing_ones_are_null() {
        let a = reference_scenario();
        let mut b = a.clone();
        b.sites.push(crate::scenario::Site {
            name: "Region 3".into(),
            copy_fraction: 1.0,
        });
        let rows = figures(&[compute_priced(&a).unwrap(), compute_priced(&b).unwrap()]);
        let r3 = rows
            .iter()
            .find(|r| r.key == "enclosures_end[\"Region 3\"]")
            .unwrap();
        assert_eq!(r3.values[0], None);
        assert!(r3.values[1].is_some());
        assert_eq!(r3.deltas, vec![None, None]);
        // Grouped by family: Region 3's enclosures come before any node count.
        let pos = |k: &str| rows.iter().position(|r| r.key == k).unwrap();
        assert!(pos("enclosures_end[\"Region 3\"]") < pos("nodes_end[\"Region 1\"]"));
        assert!(r3.differs());
    }

    #[test]
    fn figures_round_trip_through_json() {
        let rows = figures(&[compute_priced(&reference_scenario()).unwrap()]);
        let text = serde_json::to_string(&rows).unwrap();
        let back: Vec<FigureRow> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rows);
        assert!(text.contains(r#""values":["2026-01"]"#), "{text}");
    }

    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-1000i32..1000).prop_map(|n| json!(n)),
            "[a-c.]{0,2}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-c.]{1,2}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// A scenario never differs from itself, and which leaves differ does not depend
        /// on which scenario comes first.
        #[test]
        fn differences_are_symmetric_and_empty_against_itself(a in json(), b in json()) {
            proptest::prop_assert!(inputs(&[a.clone(), a.clone()]).is_empty());
            let ab: Vec<String> = inputs(&[a.clone(), b.clone()]).into_iter().map(|d| d.path).collect();
            let ba: Vec<String> = inputs(&[b.clone(), a.clone()]).into_iter().map(|d| d.path).collect();
            let mut sorted_ab = ab.clone();
            sorted_ab.sort();
            let mut sorted_ba = ba;
            sorted_ba.sort();
            proptest::prop_assert_eq!(sorted_ab, sorted_ba);
            // Each reported path is unique.
            let mut dedup = ab.clone();
            dedup.sort();
            dedup.dedup();
            proptest::prop_assert_eq!(dedup.len(), ab.len());
        }

        /// Changing one number of the reference scenario is reported as exactly that
        /// path, with both values.
        #[test]
        fn one_changed_number_is_one_difference(pick in 0usize..1000, delta in 1.0f64..50.0) {
            let base = serde_json::to_value(reference_scenario()).unwrap();
            let mut paths = Vec::new();
            numbers("", &base, &mut paths);
            let (path, pointer) = &paths[pick % paths.len()];
            let mut changed = base.clone();
            let slot = changed.pointer_mut(pointer).unwrap();
            let was = slot.as_f64().unwrap();
            *slot = json!(was + delta);
            let d = inputs(&[base, changed]);
            proptest::prop_assert_eq!(d.len(), 1);
            proptest::prop_assert_eq!(&d[0].path, path);
            proptest::prop_assert_eq!(d[0].values[1].as_ref().and_then(Value::as_f64), Some(was + delta));
        }
    }

    /// Every number leaf of `v`: (scenario path, JSON pointer).
    fn numbers(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
        fn walk(path: String, pointer: String, v: &Value, out: &mut Vec<(String, String)>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        walk(child_key(&path, k), format!("{pointer}/{k}"), x, out);
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(format!("{path}[{i}]"), format!("{pointer}/{i}"), x, out);
                    }
                }
                Value::Number(_) => out.push((path, pointer)),
                _ => {}
            }
        }
        walk(path.to_string(), String::new(), v, out);
    }
}
