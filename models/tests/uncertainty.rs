//! The Monte Carlo: the lean trial against the full report, percentiles against a closed
//! form, determinism (the same seed twice, chunked against whole), and its errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lakeplan_models::change::ChangeBasis;
use lakeplan_models::inputs::limits::MAX_TRIAL_BYTES;
use lakeplan_models::presets;
use lakeplan_models::report::{compute_priced, Report};
use lakeplan_models::scenario::{CurveKind, Scenario};
use lakeplan_models::topology::Topology;
use lakeplan_models::whatif::distribution::Dist;
use lakeplan_models::whatif::lean::{Lean, TrialInputs};
use lakeplan_models::whatif::uncertainty::{
    reference_fingerprint, reference_spec, run, trial_month_bytes, Chunk, ChunkError, MonteCarlo,
    MonteCarloRun, RankCorrelation, Samples, UncertainInput, UncertaintySpec,
};
use proptest::prelude::*;
use serde_json::json;

fn preset(id: &str) -> Scenario {
    presets::get(id).unwrap().scenario().unwrap()
}

fn input(path: &str, dist: Dist) -> UncertainInput {
    UncertainInput {
        path: path.into(),
        dist,
    }
}

/// The reference run's inputs, ranges and correlation ([`reference_spec`]: every input
/// uncertain, two of them correlated) with another number of trials and seed.
fn full_spec(trials: u32, seed: u64) -> UncertaintySpec {
    UncertaintySpec {
        trials,
        seed,
        ..reference_spec()
    }
}

/// The scenario a trial stands for: the same fields set to the trial's values.
fn scenario_at(s: &Scenario, x: &TrialInputs, egress_row: Option<&str>) -> Scenario {
    let mut t = s.clone();
    t.change.value = x.change_value;
    if t.lake.curve != CurveKind::Points {
        t.lake.target_pb = Some(x.target_pb);
    }
    t.cluster.data_reduction = x.data_reduction;
    t.change.peak_to_mean = x.peak_to_mean;
    if let Some(id) = egress_row {
        t.pricing
            .overrides
            .insert(id.to_string(), json!(x.egress_rate));
    }
    t
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

/// The lean trial's figures are the full report's: reals to 1e-9 relative, counts and
/// verdicts exactly.
fn assert_same(lean: &Lean, x: &TrialInputs, r: &Report, what: &str) {
    let mut f = lean.figures();
    lean.evaluate(x, &mut f);
    assert_eq!(f.peak_gbps.len(), r.months.len(), "{what}");
    for (m, row) in r.months.iter().enumerate() {
        assert!(close(f.peak_gbps[m], row.peak_gbps), "{what} {m}: peak");
        assert!(
            close(f.cost_usd[m], row.cost_usd.total),
            "{what} {m}: cost {} vs {}",
            f.cost_usd[m],
            row.cost_usd.total
        );
        assert!(close(f.cumulative_usd[m], row.cumulative_usd), "{what} {m}");
        let np = row.paths.len();
        for (j, p) in row.paths.iter().enumerate() {
            assert_eq!(
                f.ports_needed[m * np + j],
                p.ports_needed,
                "{what} {m} ports"
            );
            assert_eq!(f.feasible[m * np + j], p.feasible, "{what} {m} feasible");
        }
        let ns = row.sites.len();
        for (i, site) in row.sites.iter().enumerate() {
            assert_eq!(f.enclosures[m * ns + i], site.enclosures, "{what} {m} encl");
        }
    }
    for (j, fi) in f.first_infeasible.iter().enumerate() {
        let want = r.months.iter().position(|m| !m.paths[j].feasible);
        assert_eq!(fi.map(|v| v as usize), want, "{what}");
    }
}

/// Scenarios of each shape: every curve, every basis, both topologies, tiered egress.
fn shapes() -> Vec<(String, Scenario)> {
    let reference = preset("retail-hybrid-lakehouse");
    let mut out = vec![("reference".to_string(), reference.clone())];
    for curve in [CurveKind::Linear, CurveKind::Logistic] {
        let mut s = reference.clone();
        s.lake.curve = curve;
        out.push((format!("{curve:?}"), s));
    }
    let mut fan = reference.clone();
    fan.network.topology = Topology::FanOut;
    fan.change.basis = ChangeBasis::PbPerDay;
    fan.change.value = 40.0;
    out.push(("fan-out, PB a day".into(), fan));
    let mut monthly = reference.clone();
    monthly.change.basis = ChangeBasis::PbPerMonth;
    monthly.change.value = 900.0;
    monthly.horizon_months = 72;
    monthly.cluster.read_gbytes_per_s = 300.0;
    out.push(("PB a month, reads".into(), monthly));
    out.push(("pilot".into(), preset("two-cluster-pilot")));
    out.push(("internet fan-out".into(), preset("cloud-egress-fan-out")));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_lean_trial_is_the_full_report(
        shape in 0usize..7,
        change in 0.0f64..1.0,
        target in 0.5f64..2.5,
        dr in 0.5f64..3.0,
        ptm in 1.0f64..3.0,
        egress in 0.0f64..0.2,
    ) {
        let (name, s) = &shapes()[shape];
        let lean = Lean::new(s).unwrap();
        let base = lean.base_inputs();
        let row = lean.egress_row().map(|r| r.id.clone());
        let x = TrialInputs {
            change_value: match s.change.basis {
                ChangeBasis::PercentPerDay => change * 30.0,
                _ => change * base.change_value * 3.0,
            },
            target_pb: base.target_pb * target,
            data_reduction: dr,
            peak_to_mean: ptm,
            egress_rate: if row.is_some() { egress } else { base.egress_rate },
        };
        let r = compute_priced(&scenario_at(s, &x, row.as_deref())).unwrap();
        assert_same(&lean, &x, &r, name);
    }
}

/// The trials a run draws are scenarios like any other: each one's lean figures are its
/// full report's.
#[test]
fn drawn_trials_are_full_reports_too() {
    let s = preset("retail-hybrid-lakehouse");
    let mc = MonteCarlo::new(&s, &full_spec(50, 11)).unwrap();
    let lean = Lean::new(&s).unwrap();
    let (mut u, mut z, mut y) = ([0.0; 5], [0.0; 5], [0.0; 5]);
    for t in 0..50 {
        let x = mc.draw(t, &mut u, &mut z, &mut y);
        let r = compute_priced(&scenario_at(&s, &x, Some("gcp.interconnect.egress.na"))).unwrap();
        assert_same(&lean, &x, &r, &format!("trial {t}"));
    }
}

/// A uniform change of a to b %/day makes the sustained rate of every month uniform
/// between the rates of a and b: its percentiles are known exactly, and a run of 10 000
/// trials lands within four standard errors of them. The chance that the cloud path is
/// saturated by month m is the share of the range above the change it carries in m.
#[test]
fn percentiles_of_a_uniform_change_match_the_closed_form() {
    let mut s = preset("retail-hybrid-lakehouse");
    s.links.cloud.ports = 60;
    let (a, b) = (6.0, 12.0);
    let spec = UncertaintySpec {
        seed: 42,
        trials: 10_000,
        percentiles: vec![25.0, 75.0],
        inputs: vec![input("change.value", Dist::Uniform { min: a, max: b })],
        correlations: vec![],
    };
    let result = run(&s, &spec).unwrap();
    let n = f64::from(spec.trials);
    let report = compute_priced(&s).unwrap();
    let peak = result.metric("peak_gbps").unwrap();
    for (m, row) in report.months.iter().enumerate() {
        // Gbps per %/day in month m (the scenario's own value is 10 %/day).
        let per_pct = row.peak_gbps / s.change.value;
        for (k, &p) in result.percentiles.iter().enumerate() {
            let q = p / 100.0;
            let exact = (a + q * (b - a)) * per_pct;
            let se = (q * (1.0 - q) / n).sqrt() * (b - a) * per_pct;
            let got = peak.values[k][m];
            assert!(
                (got - exact).abs() <= 4.0 * se + 1e-9 * exact,
                "month {m} P{p}: {got} vs {exact} (se {se})"
            );
        }
        // Saturation of the cloud path: change above K / per-%-rate.
        let k = row.paths[0].payload_capacity_gbps;
        let limit = report.months[..=m]
            .iter()
            .map(|r| r.paths[0].payload_capacity_gbps / (r.peak_gbps / s.change.value))
            .fold(f64::INFINITY, f64::min);
        let _ = k;
        let exact = ((b - limit) / (b - a)).clamp(0.0, 1.0);
        let se = (exact * (1.0 - exact) / n).sqrt().max(1.0 / n);
        let got = result.saturation[0].probability[m];
        assert!(
            (got - exact).abs() <= 4.0 * se,
            "month {m}: saturated in {got} of trials, expected {exact}"
        );
    }
    // The input itself is drawn uniform: its mean is (a + b) / 2.
    let drawn = &result.inputs[0];
    assert!((drawn.mean - (a + b) / 2.0).abs() < 4.0 * (b - a) / (12.0 * n).sqrt());
}

#[test]
fn the_same_seed_gives_the_same_bits_and_another_seed_does_not() {
    let s = preset("retail-hybrid-lakehouse");
    let first = run(&s, &full_spec(2_000, 7)).unwrap();
    let again = run(&s, &full_spec(2_000, 7)).unwrap();
    assert_eq!(first, again);
    assert_eq!(first.digest(), again.digest());
    assert_eq!(first.fingerprint(), again.fingerprint());
    let other = run(&s, &full_spec(2_000, 8)).unwrap();
    assert_ne!(first.digest(), other.digest());
    // The stated rank correlation is what the draws have, within sampling error.
    let c = &first.correlations[0];
    assert!((c.drawn - c.stated).abs() < 0.05, "{c:?}");
}

#[test]
fn chunked_runs_equal_the_whole_run() {
    let s = preset("retail-hybrid-lakehouse");
    let mc = MonteCarlo::new(&s, &full_spec(1_000, 99)).unwrap();
    let whole = mc.run_all();
    // Uneven chunks, merged out of order.
    let mut samples = Samples::default();
    for range in [700..1_000, 0..1, 1..333, 333..700] {
        samples.add(mc.run(range)).unwrap();
    }
    assert_eq!(samples.trials(), 1_000);
    assert_eq!(samples.finish(&mc), whole);
    // Stepped as the page does it.
    let mut stepped = MonteCarloRun::new(mc.clone());
    let mut last = 0.0;
    while !stepped.is_done() {
        let p = stepped.step(128);
        assert!(p > last);
        last = p;
    }
    assert_eq!(stepped.result(), whole);
    // A chunk twice is refused, so nothing is counted twice.
    let e = samples.add(mc.run(10..20)).unwrap_err();
    assert_eq!(e, ChunkError::Overlap { start: 10, end: 20 });
    // A partial result says so.
    let mut part = Samples::default();
    part.add(mc.run(0..100)).unwrap();
    let partial = part.finish(&mc);
    assert_eq!((partial.trials_run, partial.trials), (100, 1_000));
    assert!(partial.sentences.iter().any(|l| l.contains("100 of 1")));
}

#[test]
fn a_chunk_passed_as_bytes_merges_to_the_whole_run() {
    let s = preset("retail-hybrid-lakehouse");
    let mc = MonteCarlo::new(&s, &full_spec(1_000, 5)).unwrap();
    let whole = mc.run_all();
    // Split between two threads as the browser's workers split it: one half comes back
    // as bytes, to the bit.
    let (a, b) = (mc.run(0..400), mc.run(400..1_000));
    let bytes = b.to_bytes();
    assert_eq!(Chunk::from_bytes(&bytes).unwrap(), b);
    let mut samples = Samples::default();
    samples.add(Chunk::from_bytes(&bytes).unwrap()).unwrap();
    samples.add(a).unwrap();
    assert_eq!(samples.finish(&mc).digest(), whole.digest());
    assert_eq!(samples.finish(&mc), whole);
    // Bytes cut short, or with a byte too many, or a header alone, are refused.
    for bad in [&bytes[..bytes.len() - 1], &bytes[..10], &bytes[..24]] {
        assert!(
            matches!(Chunk::from_bytes(bad), Err(ChunkError::Bytes { .. })),
            "{}",
            bad.len()
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    let e = Chunk::from_bytes(&long).unwrap_err();
    assert_eq!(
        e,
        ChunkError::Bytes {
            expected: bytes.len(),
            got: bytes.len() + 1
        }
    );
    // A header stating an impossible shape is refused by length, not by running out of
    // memory or overflowing.
    let mut huge = bytes[..24].to_vec();
    huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        Chunk::from_bytes(&huge),
        Err(ChunkError::Bytes { .. })
    ));
    // Split in parts as the workers run them: the parts' shares cover every trial once,
    // the others' bytes merge into the first's result, to the bit.
    for parts in [1u32, 2, 3, 7] {
        let mut runs: Vec<MonteCarloRun> = (0..parts)
            .map(|k| MonteCarloRun::part(mc.clone(), k, parts))
            .collect();
        for r in &mut runs {
            while !r.is_done() {
                r.step(128);
            }
            assert_eq!(r.progress(), 1.0);
        }
        let (lead, others) = runs.split_first_mut().unwrap();
        assert_eq!(lead.is_whole(), parts == 1);
        for o in others.iter() {
            lead.merge_bytes(&o.to_bytes()).unwrap();
        }
        assert!(lead.is_whole());
        assert_eq!(lead.result(), whole, "{parts} parts");
        // The same bytes again overlap what is merged: refused, and the result unchanged.
        if let Some(o) = others.first() {
            assert!(matches!(
                lead.merge_bytes(&o.to_bytes()),
                Err(ChunkError::Overlap { .. })
            ));
            assert_eq!(lead.result(), whole);
        }
    }
    // Bytes of a run that draws other inputs are refused.
    let fewer = UncertaintySpec {
        inputs: reference_spec().inputs[..2].to_vec(),
        ..full_spec(1_000, 5)
    };
    let mut foreign = MonteCarloRun::part(MonteCarlo::new(&s, &fewer).unwrap(), 1, 2);
    while !foreign.is_done() {
        foreign.step(500);
    }
    let mut lead = MonteCarloRun::part(mc.clone(), 0, 2);
    assert_eq!(
        lead.merge_bytes(&foreign.to_bytes()),
        Err(ChunkError::Shape)
    );
    // A header of no trials but an absurd shape reads as an empty chunk (no overflow), and
    // merging it changes nothing.
    let mut absurd = vec![0u8; 8];
    absurd.extend(std::iter::repeat_n(0xff, 16));
    assert_eq!(Chunk::from_bytes(&absurd).unwrap().len, 0);
    let mut lead = MonteCarloRun::part(mc.clone(), 0, 2);
    lead.merge_bytes(&absurd).unwrap();
    assert!(!lead.is_whole());
    // An empty chunk round-trips too.
    let empty = mc.run(1_000..1_000);
    assert_eq!(Chunk::from_bytes(&empty.to_bytes()).unwrap(), empty);
}

/// The fingerprint the browser's run is compared with: a fixed seed's figures, held in
/// a file, so a change to any figure of a seeded run shows here first (and the wasm32
/// test, `tests/wasm.rs`, compares the browser's run with the same file).
#[test]
fn the_seeded_fingerprint_is_stable() {
    let text = reference_fingerprint().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/uncertainty-fingerprint.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        golden == text,
        "the seeded run changed; if that is meant, UPDATE_GOLDEN=1 cargo test -p \
         lakeplan-models --test uncertainty rewrites {}",
        path.display()
    );
}

#[test]
fn results_name_every_series_and_read_as_sentences() {
    let s = preset("retail-hybrid-lakehouse");
    let r = run(&s, &full_spec(500, 3)).unwrap();
    assert_eq!(r.percentiles, [2.5, 10.0, 50.0, 90.0, 97.5]);
    let keys: Vec<&str> = r.metrics.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "peak_gbps",
            "cost_usd",
            "ports_needed:cloud → Region 1",
            "ports_needed:Region 1 → Region 2",
            "enclosures:Region 1",
            "enclosures:Region 2"
        ]
    );
    for m in &r.metrics {
        assert_eq!(m.values.len(), 5);
        for row in &m.values {
            assert_eq!(row.len(), 48);
        }
        // Percentiles are ordered in every month.
        for month in 0..48 {
            for k in 1..5 {
                assert!(m.values[k - 1][month] <= m.values[k][month], "{}", m.key);
            }
        }
        if m.integer {
            assert!(m.values.iter().flatten().all(|v| v.fract() == 0.0));
        }
        assert!(m.sentence.ends_with('.'), "{}", m.sentence);
    }
    // Cost so far only grows.
    let cost = r.metric("cost_usd").unwrap();
    assert!(cost.values[2].windows(2).all(|w| w[0] <= w[1]));
    assert!(r
        .saturation
        .iter()
        .all(|p| p.probability.windows(2).all(|w| w[0] <= w[1])));
    assert!(r.sentences[0].contains("seed 3"));
    assert!(
        r.inputs[2].sentence.contains("normal"),
        "{}",
        r.inputs[2].sentence
    );
    // A normal data reduction of sd 0.4 around 1.2 has a sliver below 0, cut off.
    assert!(r.inputs[2].kept < 1.0 && r.inputs[2].kept > 0.99);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"probability\""));
}

#[test]
fn a_bad_spec_names_its_fields() {
    let s = preset("retail-hybrid-lakehouse");
    let mut spec = full_spec(0, u64::MAX);
    spec.percentiles = vec![0.0, 150.0];
    spec.inputs.push(input(
        "links.cloud.ports",
        Dist::Uniform {
            min: 40.0,
            max: 60.0,
        },
    ));
    spec.inputs
        .push(input("change.value", Dist::Uniform { min: 1.0, max: 2.0 }));
    spec.inputs[0].dist = Dist::Uniform {
        min: 50.0,
        max: 150.0,
    };
    spec.correlations.push(RankCorrelation {
        a: "change.value".into(),
        b: "nowhere".into(),
        rank: 1.5,
    });
    let e = MonteCarlo::new(&s, &spec).unwrap_err();
    let paths: Vec<&str> = e.0.iter().map(|f| f.path.as_str()).collect();
    for want in [
        "trials",
        "seed",
        "percentiles[0]",
        "percentiles[1]",
        "inputs[0].dist.max",
        "inputs[5].path",
        "inputs[6].path",
        "correlations[1].b",
        "correlations[1].rank",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    let text = e.to_string();
    assert!(
        text.contains("pricing.overrides.gcp.interconnect.egress.na"),
        "the supported paths are listed: {text}"
    );
    // Rank correlations that contradict each other.
    let mut spec = full_spec(10, 1);
    spec.correlations = vec![
        RankCorrelation {
            a: "change.value".into(),
            b: "lake.target_pb".into(),
            rank: 0.95,
        },
        RankCorrelation {
            a: "lake.target_pb".into(),
            b: "cluster.data_reduction".into(),
            rank: 0.95,
        },
        RankCorrelation {
            a: "change.value".into(),
            b: "cluster.data_reduction".into(),
            rank: -0.95,
        },
    ];
    let e = MonteCarlo::new(&s, &spec).unwrap_err();
    assert_eq!(e.0[0].path, "correlations");
    // Tiered egress has no single rate to vary; a points curve no target.
    let internet = preset("cloud-egress-fan-out");
    let e = MonteCarlo::new(&internet, &full_spec(10, 1)).unwrap_err();
    assert_eq!(e.0[0].path, "inputs[4].path");
    let mut points = s.clone();
    points.lake.curve = CurveKind::Points;
    points.lake.points = vec![lakeplan_models::scenario::Point {
        month: "2027-01".parse().unwrap(),
        pb: 600.0,
    }];
    let e = MonteCarlo::new(&points, &full_spec(10, 1)).unwrap_err();
    assert_eq!(e.0[0].path, "inputs[1].path");
    // The spec reads from JSON with its defaults.
    let spec: UncertaintySpec = serde_json::from_value(json!({
        "inputs": [{"path": "change.value",
                    "dist": {"kind": "triangular", "min": 5, "mode": 10, "max": 20}}]
    }))
    .unwrap();
    assert_eq!((spec.seed, spec.trials), (1, 10_000));
    assert!(serde_json::from_value::<UncertaintySpec>(json!({"inputs": [], "trails": 5})).is_err());
}

/// The limit on a run counts what its figures hold, which grows with the sites: the
/// reference plan's two sites may run ten times the trials 32 sites may over the same
/// months, and each is refused one trial past its own limit, the error naming `trials`
/// and that limit.
#[test]
fn the_trial_limit_counts_the_sites() {
    let two = preset("retail-hybrid-lakehouse");
    let mut many = two.clone();
    many.sites = (0..32)
        .map(|i| lakeplan_models::scenario::Site {
            name: format!("Site {i}"),
            copy_fraction: 1.0,
        })
        .collect();
    let months = u64::from(two.horizon_months);
    let most = |sites: u64| {
        // A chain has a path per site: two f64 and a u32 per path and per site.
        MAX_TRIAL_BYTES / (months * (16 + 8 * sites))
    };
    assert_eq!(trial_month_bytes(2, 2), 32);
    assert_eq!(trial_month_bytes(32, 32), 272);
    for (s, sites) in [(&two, 2), (&many, 32)] {
        let limit = u32::try_from(most(sites)).unwrap();
        let spec = |trials| UncertaintySpec {
            trials,
            ..reference_spec()
        };
        assert!(MonteCarlo::new(s, &spec(limit)).is_ok(), "{sites} sites");
        let e = MonteCarlo::new(s, &spec(limit + 1)).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        assert_eq!(e.0[0].path, "trials");
        let shown = lakeplan_models::display::grouped(f64::from(limit), 0);
        assert!(
            e.0[0].message.contains(&format!("between 1 and {shown} ")),
            "{}",
            e.0[0].message
        );
    }
    assert!(most(2) > 8 * most(32));
}
