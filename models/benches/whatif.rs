//! The what-ifs' costs: one Monte Carlo run of 10 000 trials over 60 months (aim: under
//! 100 ms natively, 300 ms in the browser), one lean trial against one full report, the
//! percentiles of a finished run on their own, and one row of a sweep (`lakeplan sweep`:
//! aim 10 µs, issue 16) with what it is made of: the varied scenario (the value set on the
//! base scenario as read, and checked again), then its priced figures; and a whole sweep,
//! plan to CSV, per row.
#![allow(clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_models::scenario::Scenario;
use lakeplan_models::whatif::lean::Lean;
use lakeplan_models::whatif::sweep::{parse_vary, to_csv, Axis, SweepPlan};
use lakeplan_models::whatif::uncertainty::{reference_spec, MonteCarlo, Samples, UncertaintySpec};
use std::hint::black_box;

/// The reference run ([`reference_spec`]: every input uncertain, two correlated) at
/// 10 000 trials over 60 months.
fn setup() -> (Scenario, UncertaintySpec) {
    let mut s = presets::get("retail-hybrid-lakehouse")
        .unwrap()
        .scenario()
        .unwrap();
    s.horizon_months = 60;
    let spec = UncertaintySpec {
        trials: 10_000,
        ..reference_spec()
    };
    (s, spec)
}

fn bench(c: &mut Criterion) {
    let (s, spec) = setup();
    let mc = MonteCarlo::new(&s, &spec).unwrap();
    let mut g = c.benchmark_group("monte carlo");
    g.sample_size(20);
    g.bench_function("10 000 trials × 60 months (run + percentiles)", |b| {
        b.iter(|| black_box(&mc).run_all())
    });
    g.bench_function("10 000 trials × 60 months, trials only", |b| {
        b.iter(|| black_box(&mc).run(0..10_000))
    });
    let mut samples = Samples::default();
    samples.add(mc.run(0..10_000)).unwrap();
    g.bench_function("percentiles of 10 000 × 60", |b| {
        b.iter(|| black_box(&samples).finish(&mc))
    });
    g.finish();

    let lean = Lean::new(&s).unwrap();
    let mut f = lean.figures();
    let x = lean.base_inputs();
    c.bench_function("lean trial 60 months × 2 sites", |b| {
        b.iter(|| lean.evaluate(black_box(&x), &mut f))
    });
    c.bench_function("full priced report 60 months × 2 sites", |b| {
        b.iter(|| compute_priced(black_box(&s)))
    });

    // The reference scenario file as `lakeplan sweep` reads it, varying the daily change.
    let base: serde_json::Value = serde_json::from_str(presets::reference().json).unwrap();
    let vary = parse_vary("change.value=1..20:0.01").unwrap();
    let plan = SweepPlan::new(&base, vec![Axis::Field(vary)], 1_000_000).unwrap();
    let mut i = 0u64;
    let mut g = c.benchmark_group("sweep");
    g.bench_function("one row (reference, change.value varied)", |b| {
        b.iter(|| {
            i = (i + 1) % plan.len();
            plan.row(black_box(i)).unwrap()
        })
    });
    g.bench_function("the row's scenario alone (set, read, check)", |b| {
        b.iter(|| {
            i = (i + 1) % plan.len();
            plan.scenario(black_box(i)).unwrap()
        })
    });
    // The model's part of `lakeplan sweep` on one thread, from the parsed file to the CSV:
    // the plan (which checks every value), every row, the CSV. Per element (row), what a
    // row costs the command.
    let vary = parse_vary("change.value=1..20:0.1").unwrap();
    g.throughput(Throughput::Elements(vary.values.len() as u64));
    g.bench_function("whole sweep of 191 rows (plan, rows, CSV)", |b| {
        b.iter(|| {
            let axes = vec![Axis::Field(vary.clone())];
            let plan = SweepPlan::new(black_box(&base), axes, 1_000_000).unwrap();
            let rows: Vec<_> = (0..plan.len()).map(|i| plan.row(i).unwrap()).collect();
            to_csv(plan.paths(), &rows)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
