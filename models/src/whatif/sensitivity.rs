//! Sensitivity: which inputs move the answer most. Each input moves by ±x % (20 % by
//! default) on its own, the others staying as planned, and the whole report is
//! recomputed at each end; the inputs are then ordered by how far they swing the total
//! cost and the peak bandwidth (largest first), which is what a tornado chart draws.
//!
//! Choices:
//! - "Peak bandwidth" is the busiest month's busy-day payload rate (the most any month
//!   asks of the links); "total cost" is the report's total over the horizon.
//! - A whole-number input (ports, the erasure code, the term) moves to the nearest whole
//!   number, and by one when ±x % rounds back to where it started.
//! - An input that would leave its allowed range stops at the range's end (a peak-to-mean
//!   of 1 cannot go lower; a fill target of 0.9 goes up to 1, not 1.08); the row says so.
//! - Some moved values have no price in the book (a 120 Gbps port, a 1 622 TB enclosure):
//!   those are priced with the plan's own prices (the 100 Gbps port's hourly rate, the
//!   planned enclosure's price), so the row shows what the capacity does, and says that
//!   the price did not move with it.

use crate::display::{grouped, usd_short};
use crate::field::FieldError;
use crate::inputs::{self, FieldRange, EGRESS_RATE};
use crate::pricing::Prices;
use crate::report::{compute, compute_priced, Report};
use crate::scenario::{CurveKind, Scenario, ScenarioErrors};
use crate::topology::Topology;
use crate::units::BitRate;
use crate::whatif::{doc_of, lean};
use serde_json::Value;

/// How far each input moves, and which inputs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SensitivityOptions {
    /// Percent each way, in (0, 100).
    #[serde(default = "default_percent")]
    pub percent: f64,
    /// Paths of the inputs to move; empty: every input listed by [`inputs_of`].
    #[serde(default)]
    pub inputs: Vec<String>,
}

fn default_percent() -> f64 {
    20.0
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            percent: default_percent(),
            inputs: Vec::new(),
        }
    }
}

/// The two tornados.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sensitivity {
    pub percent: f64,
    pub total_cost: Tornado,
    pub peak_bandwidth: Tornado,
    /// The cluster on cloud instances under licence B, all in, over the horizon, moved by
    /// the cloud inputs (`cloud_cluster` scenarios only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<Tornado>,
}

/// One output's tornado: every input's swing, largest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tornado {
    /// `total_cost_usd` or `peak_gbps`.
    pub output: String,
    pub label: String,
    /// `USD` or `Gbps`.
    pub unit: String,
    /// The output as planned.
    pub base: f64,
    pub percent: f64,
    pub rows: Vec<TornadoRow>,
    pub sentence: String,
}

/// One input's bar.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TornadoRow {
    pub path: String,
    pub label: String,
    pub base_value: f64,
    pub low_value: f64,
    pub high_value: f64,
    /// The output with the input at its low and its high value.
    pub output_low: f64,
    pub output_high: f64,
    /// |output_high − output_low|.
    pub swing: f64,
    /// Why the input moved less than asked, or how it was priced; empty when it moved
    /// as asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TornadoRow {
    /// Input `k` moved to `values` (low, high) gave `outputs`.
    fn new(k: &Knob, values: (f64, f64), outputs: (f64, f64), notes: Vec<String>) -> Self {
        TornadoRow {
            path: k.path.clone(),
            label: k.label.to_string(),
            base_value: k.base,
            low_value: values.0,
            high_value: values.1,
            output_low: outputs.0,
            output_high: outputs.1,
            swing: (outputs.1 - outputs.0).abs(),
            notes,
        }
    }
}

/// The notes in order, each once.
fn distinct(notes: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in notes {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// An input a tornado can move.
#[derive(Debug, Clone, PartialEq)]
pub struct Knob {
    pub path: String,
    pub label: &'static str,
    pub base: f64,
    pub range: FieldRange,
    pub integer: bool,
}

/// The inputs that apply to the scenario, in the registry's tornado order
/// ([`crate::inputs::TORNADO`]: the lake and its change, then the links, the cluster and
/// the contract), with the registry's short labels and ranges. Left out where they do
/// not apply: the growth target with a `points` curve, the egress rate unless the
/// scenario's egress row is a flat rate, the inter-site ports unless a chain has two
/// sites or more.
pub fn inputs_of(s: &Scenario) -> Result<Vec<Knob>, ScenarioErrors> {
    let egress = lean::flat_egress_row(s)?;
    let mut out = Vec::new();
    for &path in inputs::TORNADO {
        let (spec, path, base) = if path == EGRESS_RATE.path {
            let Some(row) = &egress else { continue };
            (
                &EGRESS_RATE,
                format!("pricing.overrides.{}", row.id),
                row.value,
            )
        } else {
            let Some(spec) = inputs::input(path) else {
                continue;
            };
            let Some(base) = base_of(s, path) else {
                continue;
            };
            (spec, path.to_string(), base)
        };
        out.extend(knob(s, spec, path, base));
    }
    Ok(out)
}

/// The knob for input `spec` at `path`, planned at `base`, with the range it has in `s`
/// (a percentage change cannot pass 100, a compound target not 0); `None` for an input
/// with no range.
fn knob(s: &Scenario, spec: &'static inputs::InputSpec, path: String, base: f64) -> Option<Knob> {
    let holds = match path.as_str() {
        "change.value" => s.change.basis == crate::change::ChangeBasis::PercentPerDay,
        "lake.target_pb" => s.lake.curve == CurveKind::Compound,
        _ => false,
    };
    Some(Knob {
        range: spec.range_when(holds)?,
        path,
        label: spec.short_label(),
        base,
        integer: spec.is_whole(),
    })
}

/// The planned value of a tornado input, or `None` where it does not apply to `s`.
fn base_of(s: &Scenario, path: &str) -> Option<f64> {
    let (c, l, k) = (&s.change, &s.links, &s.cluster);
    Some(match path {
        "change.value" => c.value,
        "lake.target_pb" if s.lake.curve != CurveKind::Points => s.lake.target_pb?,
        "lake.initial_pb" => s.lake.initial_pb,
        "cluster.data_reduction" => k.data_reduction,
        "change.peak_to_mean" => c.peak_to_mean,
        "change.window_hours" => c.window_hours,
        "links.cloud.ports" => f64::from(l.cloud.ports),
        "links.cloud.port_gbps" => l.cloud.port_gbps,
        "links.cloud.rtt_ms" => l.cloud.rtt_ms,
        "links.inter_site.ports" if s.network.topology == Topology::Chain && s.sites.len() > 1 => {
            f64::from(l.inter_site.ports)
        }
        "network.max_utilization" => s.network.max_utilization,
        "cluster.enclosure_raw_tb" => k.enclosure_raw_tb,
        "cluster.ec_data" => f64::from(k.ec_data),
        "cluster.ec_parity" => f64::from(k.ec_parity),
        "cluster.fill_target" => k.fill_target,
        "cluster.reserve_pct" => k.reserve_pct,
        "pricing.term_years" => f64::from(s.pricing.term_years),
        _ => return None,
    })
}

/// The value `k` takes `percent` % up (`up`) or down, kept inside its range, and why it
/// moved otherwise than asked.
fn moved(k: &Knob, percent: f64, up: bool) -> (f64, Option<String>) {
    let factor = if up {
        1.0 + percent / 100.0
    } else {
        1.0 - percent / 100.0
    };
    // Twelve significant figures: 0.8 × 0.8 reads 0.64, not 0.6400000000000001.
    let mut v = format!("{:.11e}", k.base * factor)
        .parse::<f64>()
        .unwrap_or(k.base * factor);
    let mut note = None;
    if k.integer {
        let r = v.round();
        v = if r == k.base {
            let nudged = if up { k.base + 1.0 } else { k.base - 1.0 };
            note = Some(format!("{} moves by one, the nearest whole number", k.path));
            nudged
        } else {
            r
        };
    }
    if !k.range.contains(v) {
        let edge = if v < k.range.lo {
            if k.range.lo_open {
                None
            } else {
                Some(k.range.lo)
            }
        } else if k.range.hi_open {
            None
        } else {
            Some(k.range.hi)
        };
        let to = edge.unwrap_or(k.base);
        note = Some(format!(
            "{} must be {}: it {} {}",
            k.path,
            k.range.describe(),
            if to == k.base { "stays at" } else { "stops at" },
            trim(to)
        ));
        v = to;
    }
    (v, note)
}

/// A number as its shortest text.
fn trim(v: f64) -> String {
    format!("{v}")
}

/// The peak bandwidth of a report: the busiest month's busy-day rate.
fn peak_of(r: &Report) -> f64 {
    r.months.iter().map(|m| m.peak_gbps).fold(0.0, f64::max)
}

/// The report with `path` at `value`, and a note when the book could not price it and
/// the plan's prices were used.
fn report_with(
    doc: &Value,
    k: &Knob,
    value: f64,
    base_prices: &Prices,
) -> Result<(Report, Option<String>), ScenarioErrors> {
    let mut d = doc.clone();
    let v = if k.integer {
        Value::from(value as u64)
    } else {
        Value::from(value)
    };
    if !crate::path::set(&mut d, &k.path, v) {
        return Err(ScenarioErrors(vec![FieldError::new(
            k.path.clone(),
            "cannot be set in this scenario",
        )]));
    }
    let s = Scenario::from_value(&d)?;
    match compute_priced(&s) {
        Ok(r) => Ok((r, None)),
        Err(e) => Ok((
            compute(&s, base_prices),
            Some(e.0.first().map_or_else(String::new, |f| f.to_string())),
        )),
    }
}

/// The tornados of total cost and peak bandwidth for `s`. Errors: the scenario's own,
/// `percent` outside (0, 100), or an input path the scenario has no knob for.
///
/// ```
/// use lakeplan_models::presets;
/// use lakeplan_models::whatif::sensitivity::{sensitivity, SensitivityOptions};
///
/// let s = presets::reference().scenario().unwrap();
/// let t = sensitivity(&s, &SensitivityOptions::default()).unwrap();
/// // The change moves the bandwidth most; the ports do not move it at all.
/// assert_eq!(t.peak_bandwidth.rows[0].path, "change.value");
/// let ports = t.peak_bandwidth.rows.iter().find(|r| r.path == "links.cloud.ports").unwrap();
/// assert_eq!(ports.swing, 0.0);
/// ```
pub fn sensitivity(s: &Scenario, opts: &SensitivityOptions) -> Result<Sensitivity, ScenarioErrors> {
    let p = opts.percent;
    if !(p.is_finite() && p > 0.0 && p < 100.0) {
        return Err(ScenarioErrors(vec![FieldError::new(
            "percent",
            format!("must be > 0 and < 100, got {p}"),
        )]));
    }
    let base = compute_priced(s)?;
    let base_prices = crate::priced::price(s)?.prices;
    let doc = doc_of(s)?;
    let all = inputs_of(s)?;
    let knobs: Vec<Knob> = if opts.inputs.is_empty() {
        all
    } else {
        let mut chosen = Vec::new();
        let mut errors = Vec::new();
        for (i, path) in opts.inputs.iter().enumerate() {
            match all.iter().find(|k| &k.path == path) {
                Some(k) => chosen.push(k.clone()),
                None => errors.push(FieldError::new(
                    format!("inputs[{i}]"),
                    format!(
                        "must be one of {}, got \"{path}\"",
                        all.iter()
                            .map(|k| k.path.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(ScenarioErrors(errors));
        }
        chosen
    };
    let mut cost_rows = Vec::new();
    let mut peak_rows = Vec::new();
    for k in &knobs {
        let (lo, lo_note) = moved(k, p, false);
        let (hi, hi_note) = moved(k, p, true);
        let (r_lo, price_lo) = report_with(&doc, k, lo, &base_prices)?;
        let (r_hi, price_hi) = report_with(&doc, k, hi, &base_prices)?;
        let mut notes = distinct([lo_note, hi_note].into_iter().flatten());
        let unpriced: Vec<(f64, String)> = [(lo, price_lo), (hi, price_hi)]
            .into_iter()
            .filter_map(|(v, why)| why.map(|w| (v, w)))
            .collect();
        if let Some((_, why)) = unpriced.first() {
            let at: Vec<String> = unpriced.iter().map(|(v, _)| trim(*v)).collect();
            notes.push(format!(
                "The price book has no price at {} ({why}), so the plan's own prices were \
                 kept: the bar shows what the capacity changes, not the price",
                at.join(" or ")
            ));
        }
        let row = |out_lo: f64, out_hi: f64| {
            TornadoRow::new(k, (lo, hi), (out_lo, out_hi), notes.clone())
        };
        cost_rows.push(row(
            r_lo.summary.total_cost_usd,
            r_hi.summary.total_cost_usd,
        ));
        peak_rows.push(row(peak_of(&r_lo), peak_of(&r_hi)));
    }
    let cloud = match &base.summary.cloud {
        Some(_) => {
            let mut rows = Vec::new();
            for k in &cloud_knobs(s, &base_prices) {
                let (lo, lo_note) = moved(k, p, false);
                let (hi, hi_note) = moved(k, p, true);
                // A move the other cloud inputs refuse (a wider stripe than the parity
                // can spread over three zones) keeps the plan's figure and says why.
                let mut refused = Vec::new();
                let mut out = |v: f64| match report_with(&doc, k, v, &base_prices) {
                    Ok((r, _)) => cloud_b_of(&r),
                    Err(e) => {
                        refused.push(format!(
                            "{} cannot be {}: {}",
                            k.path,
                            trim(v),
                            e.0.first().map_or_else(String::new, |f| f.to_string())
                        ));
                        cloud_b_of(&base)
                    }
                };
                let outputs = (out(lo), out(hi));
                let notes = distinct([lo_note, hi_note].into_iter().flatten().chain(refused));
                rows.push(TornadoRow::new(k, (lo, hi), outputs, notes));
            }
            rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
            Some(tornado(
                "cloud_b_usd",
                "The cloud cluster under licence B",
                "USD",
                cloud_b_of(&base),
                p,
                rows,
                &|v: f64| usd_short(v),
            ))
        }
        None => None,
    };
    // Largest swing first; equal swings keep the planner's order.
    cost_rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    peak_rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    let money = |v: f64| usd_short(v);
    let rate = |v: f64| BitRate::from_gbps(v).to_string();
    Ok(Sensitivity {
        percent: p,
        total_cost: tornado(
            "total_cost_usd",
            "Total cost",
            "USD",
            base.summary.total_cost_usd,
            p,
            cost_rows,
            &money,
        ),
        peak_bandwidth: tornado(
            "peak_gbps",
            "Peak bandwidth",
            "Gbps",
            peak_of(&base),
            p,
            peak_rows,
            &rate,
        ),
        cloud,
    })
}

/// The cloud placement under licence B over the horizon: instances, protection and the
/// cloud rate, all in.
fn cloud_b_of(r: &Report) -> f64 {
    r.years
        .iter()
        .filter_map(|y| y.placements)
        .map(|p| p.cloud_b)
        .sum()
}

/// The inputs of the cloud tornado ([`crate::inputs::CLOUD_TORNADO`]), with the
/// instance's hourly price (`pricing.overrides.<its row>`) and the cloud rate as priced.
fn cloud_knobs(s: &Scenario, prices: &Prices) -> Vec<Knob> {
    let (Some(c), Some(cp)) = (&s.cloud_cluster, &prices.cloud) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &path in inputs::CLOUD_TORNADO {
        let (spec, path, base) = if path == inputs::INSTANCE_PRICE.path {
            (
                &inputs::INSTANCE_PRICE,
                format!("pricing.overrides.{}", cp.instance.price_row),
                cp.instance.usd_per_hour,
            )
        } else {
            let Some(spec) = inputs::input(path) else {
                continue;
            };
            let base = match path {
                "cloud_cluster.cloud_rate_usd_per_tb_month" => cp.cloud_rate,
                "cloud_cluster.fill_target" => c.fill_target,
                "cloud_cluster.min_instances" => f64::from(c.min_instances),
                "cloud_cluster.ec_data" => f64::from(c.ec_data),
                "cloud_cluster.ec_parity" => f64::from(c.ec_parity),
                "cloud_cluster.network_efficiency" => c.network_efficiency,
                other => match base_of(s, other) {
                    Some(b) => b,
                    None => continue,
                },
            };
            (spec, path.to_string(), base)
        };
        out.extend(knob(s, spec, path, base));
    }
    out
}

fn tornado(
    output: &str,
    label: &str,
    unit: &str,
    base: f64,
    percent: f64,
    rows: Vec<TornadoRow>,
    show: &dyn Fn(f64) -> String,
) -> Tornado {
    let moving: Vec<&TornadoRow> = rows.iter().filter(|r| r.swing > 0.0).collect();
    let still: Vec<&str> = rows
        .iter()
        .filter(|r| r.swing == 0.0)
        .map(|r| r.label.as_str())
        .collect();
    let mut sentence = match moving.first() {
        Some(top) => {
            let (a, b) = if top.output_low <= top.output_high {
                (top.output_low, top.output_high)
            } else {
                (top.output_high, top.output_low)
            };
            let mut t = format!(
                "{label} ({} as planned) moves most with {}: ±{} % of it gives {} to {}.",
                show(base),
                top.label.to_ascii_lowercase(),
                grouped(percent, 0),
                show(a),
                show(b)
            );
            let next: Vec<String> = moving
                .iter()
                .skip(1)
                .take(2)
                .map(|r| format!("{} ({} swing)", r.label.to_ascii_lowercase(), show(r.swing)))
                .collect();
            if !next.is_empty() {
                t.push_str(&format!(" Next come {}.", next.join(" and ")));
            }
            t
        }
        None => format!(
            "{label} ({}) does not move with any of these inputs.",
            show(base)
        ),
    };
    if !still.is_empty() && !moving.is_empty() {
        // ASCII case only: the labels are English, and Unicode's case tables would cost
        // the browser bundle 8 KB (ARCHITECTURE.md, "Browser bundle size").
        let lower: Vec<String> = still.iter().map(|l| l.to_ascii_lowercase()).collect();
        let names: Vec<&str> = lower.iter().map(String::as_str).collect();
        let mut list = join_names(&names);
        if let Some(first) = list.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        sentence.push_str(&format!(
            " {list} {} not move it.",
            if still.len() == 1 { "does" } else { "do" }
        ));
    }
    Tornado {
        output: output.into(),
        label: label.into(),
        unit: unit.into(),
        base,
        percent,
        rows,
        sentence,
    }
}

/// "a", "a and b", "a, b and c".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knob(base: f64, range: FieldRange, integer: bool) -> Knob {
        Knob {
            path: "x".into(),
            label: "X",
            base,
            range,
            integer,
        }
    }

    /// A two-site chain with a flat egress rate reads every tornado input of the
    /// registry, in its order, with the registry's short labels.
    #[test]
    fn the_registry_names_every_knob() {
        let s = crate::presets::reference_scenario();
        let knobs = inputs_of(&s).expect("inputs");
        let paths: Vec<&str> = knobs
            .iter()
            .map(|k| {
                if k.path.starts_with("pricing.overrides.") {
                    EGRESS_RATE.path
                } else {
                    k.path.as_str()
                }
            })
            .collect();
        assert_eq!(paths, inputs::TORNADO);
        let ports = knobs.iter().find(|k| k.path == "links.cloud.ports");
        assert_eq!(
            ports.map(|k| (k.label, k.integer)),
            Some(("Cloud ports", true))
        );
    }

    #[test]
    fn moves_stay_in_range_and_whole() {
        let k = knob(50.0, FieldRange::closed(1.0, 1e9), true);
        assert_eq!(moved(&k, 20.0, false), (40.0, None));
        assert_eq!(moved(&k, 20.0, true), (60.0, None));
        let k = knob(4.0, FieldRange::closed(0.0, 1000.0), true);
        assert_eq!(moved(&k, 10.0, false).0, 3.0);
        assert!(moved(&k, 10.0, false).1.unwrap().contains("by one"));
        let k = knob(1.0, FieldRange::closed(1.0, 1000.0), false);
        let (v, note) = moved(&k, 20.0, false);
        assert_eq!(v, 1.0);
        assert!(note.unwrap().contains("stays at 1"));
        let k = knob(
            0.9,
            FieldRange {
                lo: 0.0,
                lo_open: true,
                hi: 1.0,
                hi_open: false,
            },
            false,
        );
        let (v, note) = moved(&k, 20.0, true);
        assert_eq!(v, 1.0);
        assert!(note.unwrap().contains("stops at 1"));
        let k = knob(1.0, FieldRange::closed(1.0, 1e9), true);
        assert_eq!(moved(&k, 20.0, false).0, 1.0);
        assert_eq!(join_names(&["a", "b", "c"]), "a, b and c");
    }
}
