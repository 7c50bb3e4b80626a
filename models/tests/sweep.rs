//! Sweeps: combinations in order, each row the report of its scenario, bad paths and
//! values named before anything runs, and CSV that reads back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_models::whatif::sweep::{
    parse_vary, parse_vary_csv, to_csv, Axis, SweepPlan, SweepRow,
};
use serde_json::{json, Value};

fn base() -> Value {
    serde_json::from_str(presets::reference().json).unwrap()
}

fn axis(arg: &str) -> Axis {
    Axis::Field(parse_vary(arg).unwrap())
}

fn rows(plan: &SweepPlan) -> Vec<SweepRow> {
    (0..plan.len()).map(|i| plan.row(i).unwrap()).collect()
}

#[test]
fn combinations_cross_the_axes_first_axis_slowest() {
    let plan = SweepPlan::new(
        &base(),
        vec![axis("change.value=5..7"), axis("links.cloud.ports=40,64")],
        100,
    )
    .unwrap();
    assert_eq!(plan.len(), 6);
    assert_eq!(plan.paths(), ["change.value", "links.cloud.ports"]);
    let got: Vec<(Value, Value)> = (0..6)
        .map(|i| {
            let p = plan.pairs(i);
            (p[0].1.clone(), p[1].1.clone())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (json!(5), json!(40)),
            (json!(5), json!(64)),
            (json!(6), json!(40)),
            (json!(6), json!(64)),
            (json!(7), json!(40)),
            (json!(7), json!(64)),
        ]
    );
}

/// Each row's figures are its scenario's report.
#[test]
fn every_row_is_its_scenarios_report() {
    let plan = SweepPlan::new(
        &base(),
        vec![
            axis("change.value=5..20:5"),
            axis("network.topology=chain,fan_out"),
        ],
        100,
    )
    .unwrap();
    for row in rows(&plan) {
        let s = plan.scenario(row.index).unwrap();
        let r = compute_priced(&s).unwrap();
        assert_eq!(s.change.value, row.values[0].as_f64().unwrap());
        assert_eq!(row.total_cost_usd, r.summary.total_cost_usd);
        assert_eq!(row.seed_days, r.summary.seed_days);
        assert_eq!(row.first_infeasible_month, r.summary.first_infeasible_month);
        let peak = r.months.iter().map(|m| m.peak_gbps).fold(0.0, f64::max);
        assert_eq!(row.peak_gbps, peak);
        for (j, p) in row.ports_needed.iter().enumerate() {
            assert_eq!(p.value, r.max_ports_needed(j));
        }
        let last = r.months.last().unwrap();
        for (e, site) in row.enclosures.iter().zip(&last.sites) {
            assert_eq!((e.name.as_str(), e.value), (&*site.name, site.enclosures));
        }
    }
}

#[test]
fn the_csv_reads_back_with_a_column_per_path_and_site() {
    let plan = SweepPlan::new(
        &base(),
        vec![
            axis("network.topology=chain,fan_out"),
            axis("links.cloud.ports=50,64"),
        ],
        100,
    )
    .unwrap();
    let rows = rows(&plan);
    let text = to_csv(plan.paths(), &rows);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "network.topology",
            "links.cloud.ports",
            "peak_gbps",
            "first_infeasible_month",
            "ports_needed cloud → Region 1",
            "ports_needed Region 1 → Region 2",
            "ports_needed cloud → Region 2",
            "seed_days",
            "enclosures Region 1",
            "enclosures Region 2",
            "total_cost_usd",
            "usd_per_effective_tb_month",
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 4);
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(rec.len(), header.len());
        assert_eq!(rec[2].parse::<f64>().unwrap(), row.peak_gbps);
        assert_eq!(rec[10].parse::<f64>().unwrap(), row.total_cost_usd);
    }
    // A chain has no second cloud path, a fan-out no inter-site path.
    assert_eq!(&records[0][0], "chain");
    assert_eq!(&records[0][6], "");
    assert_eq!(&records[2][0], "fan_out");
    assert_eq!(&records[2][5], "");
}

#[test]
fn bad_paths_and_values_are_named_before_anything_runs() {
    let e = SweepPlan::new(
        &base(),
        vec![
            axis("change.value=50..120:10"),
            axis("links.cloud.portz=1,2"),
            axis("links.cloud.port_gbps=100,120"),
            axis("sites[7].name=x"),
        ],
        1_000,
    )
    .unwrap_err();
    let lines: Vec<String> = e.0.iter().map(|f| f.to_string()).collect();
    let text = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l == "change.value must be between 0 and 100, got 110"),
        "{text}"
    );
    assert!(
        text.contains("links.cloud.portz") && text.contains("links.cloud has: ports"),
        "{text}"
    );
    assert!(
        text.contains("links.cloud.port_gbps must be a port speed gcp sells"),
        "{text}"
    );
    assert!(text.contains("sites[7].name cannot be set"), "{text}");
    // 110 and 120 are both out of range, with their own message each.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("change.value"))
            .count(),
        2,
        "{text}"
    );
}

#[test]
fn too_many_combinations_are_refused() {
    let e = SweepPlan::new(
        &base(),
        vec![
            axis("change.value=1..100:0.01"),
            axis("links.cloud.ports=1..100"),
        ],
        100_000,
    )
    .unwrap_err();
    assert_eq!(e.0[0].path, "vary");
    assert!(e.0[0].message.contains("990100 combinations"), "{}", e.0[0]);
    let e = SweepPlan::new(&base(), vec![], 10).unwrap_err();
    assert_eq!(e.0[0].path, "vary");
    let e = SweepPlan::new(
        &base(),
        vec![axis("change.value=1,2"), axis("change.value=3")],
        10,
    )
    .unwrap_err();
    assert!(e.0[0].message.contains("varied twice"));
}

/// A file's rows set their fields together, crossed with the other axes; a row that is
/// wrong only as a whole is named by its first field and shows all its values.
#[test]
fn file_rows_go_together() {
    let file =
        parse_vary_csv("lake.target_pb,lake.target_month\n600,2029-01\n800,\"2031-06\"\n").unwrap();
    let plan = SweepPlan::new(
        &base(),
        vec![Axis::Rows(file), axis("change.value=5,10")],
        100,
    )
    .unwrap();
    assert_eq!(plan.len(), 4);
    assert_eq!(
        plan.paths(),
        ["lake.target_pb", "lake.target_month", "change.value"]
    );
    let s = plan.scenario(3).unwrap();
    assert_eq!(s.lake.target_pb, Some(800.0));
    assert_eq!(s.lake.target_month.unwrap().to_string(), "2031-06");
    assert_eq!(s.change.value, 10.0);
    let bad = parse_vary_csv("lake.target_pb,lake.target_month\n600,2020-01\n").unwrap();
    let e = SweepPlan::new(&base(), vec![Axis::Rows(bad)], 100).unwrap_err();
    assert_eq!(e.0[0].path, "lake.target_pb");
    assert!(
        e.0[0].message.contains("lake.target_month=\"2020-01\"")
            && e.0[0].message.contains("must be after start_month"),
        "{}",
        e.0[0]
    );
}

/// Values that are fine alone but contradict each other are the row's error.
#[test]
fn a_combination_can_still_be_wrong() {
    let plan = SweepPlan::new(
        &base(),
        vec![axis("sites[0].name=A,B"), axis("sites[1].name=B,C")],
        10,
    )
    .unwrap();
    // A/B, A/C, B/B, B/C: the third names two sites alike.
    assert!(plan.row(0).is_ok());
    let e = plan.row(2).unwrap_err();
    assert_eq!(e.0[0].path, "sites[1].name");
}
