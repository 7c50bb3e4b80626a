//! One full report (60 months, 2 sites, both topologies) from a parsed scenario: the page
//! recomputes on every keystroke, so this must stay far below a frame (target < 20 µs).
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use lakeplan_models::report::compute;
use lakeplan_models::scenario::Scenario;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut scenario = Scenario::parse(common::REFERENCE_SCENARIO).unwrap();
    scenario.horizon_months = 60;
    let prices = common::reference_prices();
    c.bench_function("report 60 months × 2 sites", |b| {
        b.iter(|| compute(black_box(&scenario), black_box(&prices)))
    });
    c.bench_function("parse reference scenario", |b| {
        b.iter(|| Scenario::parse(black_box(common::REFERENCE_SCENARIO)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
