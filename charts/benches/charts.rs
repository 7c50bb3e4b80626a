//! The five charts of a 60-month, two-site report. The page redraws them on every
//! keystroke, after the report itself (about 20 µs): together they must stay well under
//! 5 ms, natively and in the browser. Measured 2026-11 on the 2-core build machine:
//! about 0.5–0.7 ms for all five natively, 1.3–1.7 ms as wasm in Node.
#![allow(clippy::unwrap_used)]

#[path = "../../models/tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use lakeplan_charts::{ChartStyle, CHARTS};
use lakeplan_models::report::compute;
use lakeplan_models::scenario::Scenario;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut scenario = Scenario::parse(common::REFERENCE_SCENARIO).unwrap();
    scenario.horizon_months = 60;
    let report = compute(&scenario, &common::reference_prices());
    let style = ChartStyle::default();
    for chart in CHARTS {
        c.bench_function(&format!("{} (60 months)", chart.name), |b| {
            b.iter(|| (chart.draw)(black_box(&report), black_box(&style)))
        });
    }
    c.bench_function("all 5 charts (60 months)", |b| {
        b.iter(|| {
            CHARTS
                .iter()
                .map(|chart| (chart.draw)(black_box(&report), black_box(&style)).len())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
