//! The tornados: each bar is the full report recomputed with one input moved, the bars
//! are ordered by swing, and what cannot move an output does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::reference_preset;
use lakeplan_models::report::compute_priced;
use lakeplan_models::scenario::Scenario;
use lakeplan_models::whatif::sensitivity::{inputs_of, sensitivity, SensitivityOptions};
use serde_json::Value;

fn peak(s: &Scenario) -> f64 {
    compute_priced(s)
        .unwrap()
        .months
        .iter()
        .map(|m| m.peak_gbps)
        .fold(0.0, f64::max)
}

/// The scenario with `path` at `v`, through its JSON document as a user would set it.
fn with(s: &Scenario, path: &str, v: f64, integer: bool) -> Scenario {
    let mut doc = serde_json::to_value(s).unwrap();
    let value = if integer {
        Value::from(v as u64)
    } else {
        Value::from(v)
    };
    assert!(lakeplan_models::path::set(&mut doc, path, value));
    Scenario::from_value(&doc).unwrap()
}

#[test]
fn every_bar_is_the_report_at_its_ends() {
    let s = reference_preset();
    let t = sensitivity(&s, &SensitivityOptions::default()).unwrap();
    let knobs = inputs_of(&s).unwrap();
    assert_eq!(t.total_cost.rows.len(), knobs.len());
    for row in &t.total_cost.rows {
        if row.notes.iter().any(|n| n.contains("no price")) {
            continue;
        }
        let k = knobs.iter().find(|k| k.path == row.path).unwrap();
        for (v, out) in [
            (row.low_value, row.output_low),
            (row.high_value, row.output_high),
        ] {
            let r = compute_priced(&with(&s, &row.path, v, k.integer)).unwrap();
            assert_eq!(r.summary.total_cost_usd, out, "{} at {v}", row.path);
        }
    }
    for row in &t.peak_bandwidth.rows {
        let k = knobs.iter().find(|k| k.path == row.path).unwrap();
        if row.notes.iter().any(|n| n.contains("no price")) {
            continue;
        }
        assert_eq!(
            peak(&with(&s, &row.path, row.low_value, k.integer)),
            row.output_low,
            "{}",
            row.path
        );
    }
}

#[test]
fn bars_are_ordered_by_swing() {
    let t = sensitivity(&reference_preset(), &SensitivityOptions::default()).unwrap();
    for tornado in [&t.total_cost, &t.peak_bandwidth] {
        assert!(tornado.rows.windows(2).all(|w| w[0].swing >= w[1].swing));
        for r in &tornado.rows {
            assert_eq!(r.swing, (r.output_high - r.output_low).abs());
        }
    }
}

/// The peak rate is linear in the change, the peak-to-mean ratio and the lake's size, and
/// no link, cluster or price input moves it.
#[test]
fn the_peak_moves_with_the_change_only() {
    let s = reference_preset();
    let t = sensitivity(&s, &SensitivityOptions::default()).unwrap();
    let base = t.peak_bandwidth.base;
    let row = |path: &str| {
        t.peak_bandwidth
            .rows
            .iter()
            .find(|r| r.path == path)
            .unwrap()
    };
    let change = row("change.value");
    assert!((change.output_low - 0.8 * base).abs() < 1e-9 * base);
    assert!((change.output_high - 1.2 * base).abs() < 1e-9 * base);
    // A peak-to-mean of 1 cannot go lower: only the high side moves.
    let ptm = row("change.peak_to_mean");
    assert_eq!((ptm.low_value, ptm.output_low), (1.0, base));
    assert!(ptm.notes[0].contains("stays at 1"), "{:?}", ptm.notes);
    for still in [
        "links.cloud.ports",
        "links.cloud.port_gbps",
        "links.cloud.rtt_ms",
        "cluster.data_reduction",
        "pricing.term_years",
        "pricing.overrides.gcp.interconnect.egress.na",
    ] {
        assert_eq!(row(still).swing, 0.0, "{still}");
    }
    assert!(
        t.peak_bandwidth.sentence.contains("daily change"),
        "{}",
        t.peak_bandwidth.sentence
    );
    assert!(t.peak_bandwidth.sentence.contains("not move it"));
}

/// An 80 or 120 Gbps port is not sold: the row is priced with the 100 Gbps port's rate
/// and says so.
#[test]
fn unpriced_moves_keep_the_plans_prices_and_say_so() {
    let t = sensitivity(&reference_preset(), &SensitivityOptions::default()).unwrap();
    let speed = t
        .total_cost
        .rows
        .iter()
        .find(|r| r.path == "links.cloud.port_gbps")
        .unwrap();
    assert_eq!((speed.low_value, speed.high_value), (80.0, 120.0));
    assert!(
        speed
            .notes
            .iter()
            .any(|n| n.contains("the plan's own prices were kept")),
        "{:?}",
        speed.notes
    );
    // More ports cost more port-hours.
    let ports = t
        .total_cost
        .rows
        .iter()
        .find(|r| r.path == "links.cloud.ports")
        .unwrap();
    assert_eq!((ports.low_value, ports.high_value), (40.0, 60.0));
    assert!(ports.output_high > ports.output_low);
}

#[test]
fn a_chosen_percent_and_inputs() {
    let s = reference_preset();
    let t = sensitivity(
        &s,
        &SensitivityOptions {
            percent: 50.0,
            inputs: vec!["change.value".into(), "cluster.fill_target".into()],
        },
    )
    .unwrap();
    assert_eq!(t.total_cost.rows.len(), 2);
    let fill = t
        .total_cost
        .rows
        .iter()
        .find(|r| r.path == "cluster.fill_target")
        .unwrap();
    // 0.8 × 1.5 = 1.2 is past 1: the fill target stops at 1.
    assert_eq!((fill.low_value, fill.high_value), (0.4, 1.0));
    assert!(fill.notes.iter().any(|n| n.contains("stops at 1")));
    // Filling the enclosures less buys more of them.
    assert!(fill.output_low > fill.output_high);
    for bad in [0.0, 100.0, -5.0, f64::NAN] {
        let e = sensitivity(
            &s,
            &SensitivityOptions {
                percent: bad,
                inputs: vec![],
            },
        )
        .unwrap_err();
        assert_eq!(e.0[0].path, "percent");
    }
    let e = sensitivity(
        &s,
        &SensitivityOptions {
            percent: 20.0,
            inputs: vec!["links.cloud.colour".into()],
        },
    )
    .unwrap_err();
    assert_eq!(e.0[0].path, "inputs[0]");
    assert!(e.0[0].message.contains("links.cloud.ports"));
}

#[test]
fn sentences_name_the_largest_swing() {
    let t = sensitivity(&reference_preset(), &SensitivityOptions::default()).unwrap();
    let top = &t.total_cost.rows[0];
    assert!(
        t.total_cost.sentence.contains(&top.label.to_lowercase()),
        "{}",
        t.total_cost.sentence
    );
    if std::env::var_os("SHOW").is_some() {
        println!("{}\n{}", t.total_cost.sentence, t.peak_bandwidth.sentence);
        for r in &t.total_cost.rows {
            println!(
                "{:30} {:>12} {:>12} {:>16.0} {:?}",
                r.path, r.low_value, r.high_value, r.swing, r.notes
            );
        }
    }
}
