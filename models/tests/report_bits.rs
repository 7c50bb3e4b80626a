//! Every figure of the report, to the bit, for every preset and a few variants of each:
//! what holds a change meant only to make the report faster (issue 16) to the numbers it
//! computed before. `reference_report_matches_golden` (tests/report.rs) compares numbers
//! to 1e-12 and shows where they differ; this one tolerates no difference at all.
//!
//! Each case's report is reduced to two digests (FNV-1a, 64 bits): of its `Debug` text,
//! which writes every f64 in the shortest form that reads back to the same bits (NaN, the
//! infinities and -0.0 included), and of its JSON, which is what every surface reads.
//! After an intended change of figures, regenerate with
//! `UPDATE_GOLDEN=1 cargo test -p lakeplan-models --test report_bits` and say why in the
//! commit.
#![allow(clippy::unwrap_used)]

mod common;

use lakeplan_models::library::Builtin;
use lakeplan_models::presets;
use lakeplan_models::report::{check_priced_in, compute, Report};
use lakeplan_models::scenario::Scenario;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/preset-report-digests.txt"
);

fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The variants of a preset: its own topology and the other one, each over its own
/// horizon, one month (the verdicts' first and last month are the same) and 13 months,
/// with the preset's links, a single port on every link (backlogs that grow for ever),
/// and a busy day twice the mean in a 12-hour window on the ports that carry month 0's
/// sustained rate but not its busy day's (backlogs that drain after the peak).
fn variants(id: &str, s: &Scenario) -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    for topology in [s.network.topology, s.network.topology.other()] {
        for horizon in [s.horizon_months, 1, 13] {
            let mut v = s.clone();
            v.network.topology = topology;
            v.horizon_months = horizon;
            let name = format!("{id} {topology:?} {horizon}m");
            let mut one_port = v.clone();
            one_port.links.cloud.ports = 1;
            one_port.links.inter_site.ports = 1;
            let mut drains = v.clone();
            drains.change.window_hours = 12.0;
            drains.change.peak_to_mean = 2.0;
            let ports = sustained_ports(&drains);
            drains.links.cloud.ports = ports;
            drains.links.inter_site.ports = ports;
            out.push((name.clone(), v));
            out.push((format!("{name} 1 port"), one_port));
            out.push((format!("{name} drains"), drains));
        }
    }
    out
}

/// Enough ports for the first path's sustained rate in month 0, by 1 %.
fn sustained_ports(s: &Scenario) -> u32 {
    let r = priced_report(s);
    let p = &r.months[0].paths[0];
    let per_port = p.payload_capacity_gbps / f64::from(p.ports);
    (p.sustained_gbps / per_port * 1.01).ceil().max(1.0) as u32
}

/// The report as `compute_priced` gives it, its version left out (it changes with every
/// release; the numbers must not).
fn priced_report(s: &Scenario) -> Report {
    let p = check_priced_in(&Builtin, s).unwrap();
    let mut r = compute(s, &p.prices);
    r.assumptions = p.assumptions;
    r.model_version = "golden".into();
    r
}

fn line(name: &str, r: &Report) -> String {
    let debug = fnv1a(&format!("{r:?}"));
    let json = fnv1a(&serde_json::to_string(r).unwrap());
    format!("{name}: debug {debug:016x} json {json:016x}\n")
}

fn digest_lines() -> String {
    // The benchmark's reports (benches/report.rs): the reference scenario over 60 months,
    // with the tests' hand-built prices and priced from its book.
    let mut s = Scenario::parse(common::REFERENCE_SCENARIO).unwrap();
    s.horizon_months = 60;
    let mut bench = compute(&s, &common::reference_prices());
    bench.model_version = "golden".into();
    let mut out = line("benchmark, hand-built prices", &bench);
    out.push_str(&line("benchmark, priced", &priced_report(&s)));
    for preset in presets::all() {
        let s = preset.scenario().unwrap();
        for (name, v) in variants(preset.id, &s) {
            out.push_str(&line(&name, &priced_report(&v)));
        }
    }
    out
}

#[test]
fn every_preset_report_is_unchanged_to_the_bit() {
    let got = digest_lines();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &got).unwrap();
    }
    let want = std::fs::read_to_string(GOLDEN).unwrap();
    let differ: Vec<&str> = got
        .lines()
        .zip(want.lines())
        .filter(|(g, w)| g != w)
        .map(|(g, _)| g)
        .collect();
    assert!(
        differ.is_empty() && got.lines().count() == want.lines().count(),
        "{} of {} reports differ: {differ:#?}",
        differ.len(),
        got.lines().count()
    );
}
