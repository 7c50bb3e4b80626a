//! One full report (60 months, 2 sites, both topologies) from a parsed scenario: the page
//! recomputes on every keystroke, so this must stay far below a frame (issue 16 aims at
//! 5 µs; 24.5 µs before the rows' names were held inline and each month's path and site
//! rows written in the row, 14 µs after).
//!
//! Where it goes (2026-12-07, 24 µs on a 2-core EPYC, parts timed apart with a probe of the
//! private steps): the timeline (the lake, its change and rates, each site's storage, month
//! by month) 4.3 µs; sizing and pricing the report's own topology 7 µs; its month rows,
//! verdicts and expansion plan 9.7 µs (60 rows of 880 bytes: 53 KB of figures written and
//! freed); the other topology 2 µs; claims, years and the report's names the rest. No step
//! is a hotspot left (perf: no instruction over 6 % of `run`); the arithmetic is chains of
//! divisions and conversions, each a figure the report shows, so 5 µs would take computing
//! fewer figures, not computing them faster.
//!
//! Beside it, what else a keystroke can cost, each measured on its own:
//! - the same report through `compute_priced`, which is what the page, the API and the
//!   CLI call: validation, pricing from the built-in book (already parsed) and the
//!   assumptions, then the report;
//! - parsing the scenario's JSON;
//! - parsing the built-in price book, which happens once per process (or page load), on
//!   first use.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use lakeplan_models::price_book::PriceBook;
use lakeplan_models::report::{compute, compute_priced};
use lakeplan_models::scenario::Scenario;
use std::hint::black_box;

const BOOK: &str = include_str!("../../data/price-books/2026-11.csv");

fn bench(c: &mut Criterion) {
    let mut scenario = Scenario::parse(common::REFERENCE_SCENARIO).unwrap();
    scenario.horizon_months = 60;
    let prices = common::reference_prices();
    c.bench_function("report 60 months × 2 sites", |b| {
        b.iter(|| compute(black_box(&scenario), black_box(&prices)))
    });
    // Fails here, not inside the timing loop, if the book cannot price the scenario.
    compute_priced(&scenario).unwrap();
    c.bench_function("priced report 60 months × 2 sites (built-in book)", |b| {
        b.iter(|| compute_priced(black_box(&scenario)))
    });
    c.bench_function("parse reference scenario", |b| {
        b.iter(|| Scenario::parse(black_box(common::REFERENCE_SCENARIO)))
    });
    c.bench_function("parse built-in price book (once per process)", |b| {
        b.iter(|| PriceBook::parse("2026-11", "2026-11.csv", black_box(BOOK)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
