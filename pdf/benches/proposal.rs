//! The proposal PDF of the reference preset, as `GET /api/scenarios/{id}/export.pdf` and
//! `lakeplan export` make it: the aim is well under 300 ms, so a download feels
//! immediate. Measured 2026-11 on the 2-core build machine (shared with other builds):
//! 45 ms (44.4–46.4 ms) for the 7-page, 90 KB proposal.
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use lakeplan_models::calendar::Date;
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_pdf::{proposal, ProposalInput};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let scenario = presets::reference().scenario().unwrap();
    let report = compute_priced(&scenario).unwrap();
    let link = format!("http://127.0.0.1:3000/?preset={}", presets::REFERENCE);
    let input = ProposalInput {
        scenario: &scenario,
        report: &report,
        author: Some("A. Planner"),
        date: Date::parse("2026-11-24").unwrap(),
        link: Some(&link),
    };
    let mut group = c.benchmark_group("proposal");
    group.sample_size(30);
    group.bench_function("reference preset, 48 months", |b| {
        b.iter(|| proposal(black_box(&input)).unwrap().len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
