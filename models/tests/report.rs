//! The report of the reference scenario: spec values, golden file, CSV, invariants.
#![allow(clippy::unwrap_used)]

mod common;

use common::{json_diffs, reference_prices, REFERENCE_SCENARIO};
use lakeplan_models::report::{compute, to_csv, Report};
use lakeplan_models::scenario::Scenario;
use lakeplan_models::topology::Topology;
use proptest::prelude::*;
use serde_json::Value;

fn reference() -> Report {
    compute(
        &Scenario::parse(REFERENCE_SCENARIO).unwrap(),
        &reference_prices(),
    )
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// scenario.md's report example, month 0 of the reference scenario.
#[test]
fn month_zero_matches_the_spec_example() {
    let r = reference();
    assert_eq!(r.format, 1);
    assert_eq!(r.model_version, lakeplan_models::MODEL_VERSION);
    assert_eq!(r.price_book, "2026-11");
    assert_eq!(r.months.len(), 48);
    let m = &r.months[0];
    assert_eq!(m.month.to_string(), "2026-01");
    assert_eq!(m.lake_pb, 450.0);
    assert!(close(m.daily_change_pb, 45.0, 1e-9));
    assert!(close(m.sustained_gbps, 4166.667, 5e-4));
    assert!(close(m.peak_gbps, 4166.667, 5e-4));
    // 45 PB/day × 31 days / 2^30 = 1 299 194 991.59 GiB.
    assert!(close(m.egress_gib, 45e15 * 31.0 / 1_073_741_824.0, 1e-3));
    assert!(close(m.egress_gib, 1_299_194_991.59, 0.005));
    assert!(close(m.egress_usd, 25_983_899.83, 0.005));
    let cloud = &m.paths[0];
    assert_eq!(&*cloud.name, "cloud → Region 1");
    assert!(close(cloud.capacity_gbps, 5000.0, 1e-9));
    assert!(close(cloud.payload_capacity_gbps, 3965.48, 5e-3));
    assert!(close(cloud.utilization, 0.8406, 5e-5));
    assert!(!cloud.feasible);
    assert_eq!(cloud.ports_needed, 53);
    assert_eq!(cloud.streams_needed, 1424);
    assert_eq!(
        cloud.backlog,
        lakeplan_models::report::BacklogKind::GrowsForever
    );
    assert_eq!(&*m.paths[1].name, "Region 1 → Region 2");
    assert!(m.paths[1].feasible);
    assert_eq!(&*m.sites[0].name, "Region 1");
    assert_eq!(m.sites[0].enclosures, 388);
    assert_eq!(m.sites[1].enclosures, 388);
    assert_eq!(
        r.summary.first_infeasible_month.unwrap().to_string(),
        "2026-01"
    );
    assert_eq!(
        r.summary.first_infeasible_path.as_deref(),
        Some("cloud → Region 1")
    );
    assert_eq!(r.summary.seed_days, None);
    assert_eq!(r.summary.bdp_bytes_per_port, 375_000_000.0);
    assert!(close(r.summary.implied_cagr.unwrap(), 0.143_72, 5e-6));
}

/// The chain's first site writes what it receives and reads what it forwards; the last
/// site only writes. 4 166.7 Gbps = 520.8 GB/s → 104.2 + 52.1 → 157 nodes; 105 for the
/// second site.
#[test]
fn chain_sites_read_what_they_forward() {
    let m = &reference().months[0];
    assert!(close(m.sites[0].read_gbytes_per_s, 520.833, 1e-3));
    assert_eq!(m.sites[0].nodes, 157);
    assert_eq!(m.sites[1].read_gbytes_per_s, 0.0);
    assert_eq!(m.sites[1].nodes, 105);
    assert_eq!(m.sites[0].cores, 157 * 48);
}

/// Month 0's costs, worked by hand from the test prices (January 2026, 31 days).
#[test]
fn month_zero_costs_by_hand() {
    let r = reference();
    let m = &r.months[0];
    let c = &m.cost_usd;
    assert!(close(c.egress, 25_983_899.83, 0.005));
    // 45 PB × 31 / 64 MB objects × $0.004 per 10 000.
    assert!(close(
        c.requests,
        45e15 * 31.0 / 64e6 * 0.004 / 10_000.0,
        1e-6
    ));
    // One cloud bundle of 50 ports × 744 h × $23.28; the inter-site ports are free here.
    assert!(close(c.ports, 866_016.0, 1e-6));
    let s0 = &m.sites[0];
    let s1 = &m.sites[1];
    let switches = (s0.switches + s1.switches) as f64;
    let hw = 776.0 * 35_000.0 + (157.0 + 105.0) * 25_000.0 + switches * 40_000.0;
    assert!(close(c.hardware, hw, 1e-6));
    assert!(close(c.support, hw * 0.15 * 31.0 / 365.0, 1e-6));
    let kw = s0.power_kw + s1.power_kw;
    assert!(close(c.power, kw * 744.0 * 1.58 * 0.0892, 1e-6));
    assert!(close(c.space, kw * 184.06, 1e-6));
    let cores = (s0.cores + s1.cores) as f64;
    let usable_tb = (s0.usable_pb + s1.usable_pb) * 1000.0;
    let licence = (cores * 500.0 + usable_tb * 30.0) * 0.9 * 31.0 / 365.0;
    assert!(close(c.licence, licence, 1e-6));
    let sum =
        c.egress + c.requests + c.ports + c.licence + c.hardware + c.support + c.power + c.space;
    assert!(close(c.total, sum, 1e-6));
}

#[test]
fn years_and_cumulative_add_up() {
    let r = reference();
    let total: f64 = r.months.iter().map(|m| m.cost_usd.total).sum();
    assert!(close(r.summary.total_cost_usd, total, total * 1e-12));
    assert_eq!(
        r.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2026, 2027, 2028, 2029]
    );
    assert!(r.years.iter().all(|y| y.months == 12));
    let by_year: f64 = r.years.iter().map(|y| y.cost_usd.total).sum();
    assert!(close(by_year, total, total * 1e-12));
    assert_eq!(
        r.years.last().unwrap().cumulative_usd,
        r.months.last().unwrap().cumulative_usd
    );
    let eff = r.summary.usd_per_effective_tb_month.unwrap();
    let tb_months: f64 = r
        .months
        .iter()
        .flat_map(|m| &m.sites)
        .map(|s| s.effective_pb * 1000.0)
        .sum();
    assert!(close(eff, total / tb_months, 1e-9));
}

#[test]
fn expansion_plan_only_adds() {
    let r = reference();
    let first: Vec<_> = r.expansion.iter().take(2).collect();
    assert_eq!(first[0].month.to_string(), "2026-01");
    assert_eq!(first[0].enclosures_added, 388);
    assert_eq!(&*first[1].site, "Region 2");
    for site in ["Region 1", "Region 2"] {
        let steps: Vec<_> = r.expansion.iter().filter(|e| &*e.site == site).collect();
        let added: u64 = steps.iter().map(|e| e.enclosures_added).sum();
        assert_eq!(
            added,
            r.months
                .last()
                .unwrap()
                .sites
                .iter()
                .find(|s| &*s.name == site)
                .unwrap()
                .enclosures
        );
        assert!(steps.len() > 1, "a growing lake expands more than once");
    }
}

/// Chain and fan-out side by side: fan-out pays egress twice for two full copies.
#[test]
fn topologies_side_by_side() {
    let r = reference();
    let chain = &r.topologies[0];
    let fan = &r.topologies[1];
    assert_eq!(chain.topology, Topology::Chain);
    assert_eq!(fan.topology, Topology::FanOut);
    assert_eq!(fan.paths, ["cloud → Region 1", "cloud → Region 2"]);
    assert_eq!(fan.copies_leaving_cloud, 2.0);
    assert!(close(
        fan.egress_usd,
        2.0 * chain.egress_usd,
        chain.egress_usd * 1e-12
    ));
    assert!(close(fan.ports_usd, 2.0 * chain.ports_usd, 1e-6));
    assert_eq!(chain.total_cost_usd, r.summary.total_cost_usd);
}

#[test]
fn claims_compare_with_the_plan() {
    let mut s = Scenario::parse(REFERENCE_SCENARIO).unwrap();
    s.claims.push(lakeplan_models::claims::Claim {
        label: "vendor slide".into(),
        basis: lakeplan_models::claims::ClaimBasis::PbPerMonth,
        value: 100.0,
    });
    let r = compute(&s, &reference_prices());
    assert_eq!(r.claims[0].label, "scenario change");
    assert!(close(r.claims[0].tbps, 4.1667, 5e-5));
    assert!(close(r.claims[0].pb_per_month, 1369.6875, 1e-9));
    assert!(r.claims[0].agrees_with_plan);
    assert!(close(r.claims[1].tbps, 0.3042, 5e-5));
    assert!(close(r.claims[1].percent_per_day, 0.73, 5e-3));
    assert!(close(r.claims[1].factor, 13.7, 0.05));
    assert!(!r.claims[1].agrees_with_plan);
}

/// Enough ports make the plan feasible and let seeding finish: 64 cloud ports, 45.8 days
/// for the cloud path (the inter-site path's 16 × 400 G is faster).
#[test]
fn enough_ports_seed_in_weeks() {
    let mut s = Scenario::parse(REFERENCE_SCENARIO).unwrap();
    s.links.cloud.ports = 64;
    s.horizon_months = 1;
    let r = compute(&s, &reference_prices());
    assert!(r.months[0].paths.iter().all(|p| p.feasible));
    assert!(close(r.summary.seed_days.unwrap(), 45.8, 0.05));
    assert_eq!(r.summary.first_infeasible_month, None);
}

#[test]
fn csv_parses_back() {
    let r = reference();
    let text = to_csv(&r);
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for h in [
        "month",
        "sustained_gbps",
        "egress_gib",
        "egress_usd",
        "cloud → Region 1 utilization",
        "Region 1 enclosures",
        "cost_total_usd",
        "cumulative_usd",
    ] {
        assert!(headers.iter().any(|x| x == h), "missing column {h}");
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let (month_rows, summary) = rows.split_at(r.months.len());
    for (m, row) in r.months.iter().zip(month_rows) {
        assert_eq!(row.len(), headers.len());
        assert_eq!(&row[col("month")], m.month.to_string());
        assert_eq!(
            row[col("sustained_gbps")].parse::<f64>().unwrap(),
            m.sustained_gbps
        );
        assert_eq!(row[col("egress_usd")].parse::<f64>().unwrap(), m.egress_usd);
        assert_eq!(
            row[col("cloud → Region 1 utilization")]
                .parse::<f64>()
                .unwrap(),
            m.paths[0].utilization
        );
        assert_eq!(
            row[col("Region 2 enclosures")].parse::<u64>().unwrap(),
            m.sites[1].enclosures
        );
        assert_eq!(
            row[col("cost_total_usd")].parse::<f64>().unwrap(),
            m.cost_usd.total
        );
    }
    assert_eq!(&summary[0][0], "summary");
    let get = |k: &str| {
        summary
            .iter()
            .find(|r| &r[0] == k)
            .map(|r| r[1].to_string())
            .unwrap()
    };
    assert_eq!(get("first_infeasible_month"), "2026-01");
    assert_eq!(get("seed_days"), "");
    assert_eq!(
        get("bdp_bytes_per_port").parse::<f64>().unwrap(),
        375_000_000.0
    );
    assert_eq!(
        get("total_cost_usd").parse::<f64>().unwrap(),
        r.summary.total_cost_usd
    );
}

/// The report's JSON has scenario.md's field names, and reads back to the same report.
#[test]
fn json_has_the_contract_fields_and_round_trips() {
    let r = reference();
    let v = serde_json::to_value(&r).unwrap();
    for k in [
        "format",
        "model_version",
        "price_book",
        "months",
        "years",
        "summary",
        "claims",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let m = &v["months"][0];
    for k in [
        "month",
        "lake_pb",
        "daily_change_pb",
        "sustained_gbps",
        "peak_gbps",
        "egress_gib",
        "egress_usd",
        "paths",
        "sites",
        "cost_usd",
    ] {
        assert!(m.get(k).is_some(), "missing months[].{k}");
    }
    for k in [
        "name",
        "capacity_gbps",
        "payload_capacity_gbps",
        "utilization",
        "feasible",
        "ports_needed",
        "streams_needed",
    ] {
        assert!(m["paths"][0].get(k).is_some(), "missing paths[].{k}");
    }
    for k in [
        "name",
        "enclosures",
        "nodes",
        "cores",
        "usable_pb",
        "power_kw",
    ] {
        assert!(m["sites"][0].get(k).is_some(), "missing sites[].{k}");
    }
    for k in [
        "egress", "ports", "licence", "hardware", "power", "space", "total",
    ] {
        assert!(m["cost_usd"].get(k).is_some(), "missing cost_usd.{k}");
    }
    assert!(v["years"][0]["cost_usd"].get("total").is_some());
    for k in [
        "first_infeasible_month",
        "seed_days",
        "bdp_bytes_per_port",
        "total_cost_usd",
    ] {
        assert!(v["summary"].get(k).is_some(), "missing summary.{k}");
    }
    assert_eq!(v["summary"]["seed_days"], Value::Null);
    assert_eq!(v["months"][0]["month"], "2026-01");
    let back: Report = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

/// The whole reference report against the checked-in golden file. After an intended
/// change, regenerate with `UPDATE_GOLDEN=1 cargo test -p lakeplan-models --test report`
/// and review the diff.
#[test]
fn reference_report_matches_golden() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference-report.golden.json"
    );
    let mut r = reference();
    // The version changes with every release; the numbers must not.
    r.model_version = "golden".into();
    let got = serde_json::to_value(&r).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let diffs = json_diffs(&got, &want, "report", &[]);
    assert!(
        diffs.is_empty(),
        "{} differences, first: {:#?}",
        diffs.len(),
        &diffs[..diffs.len().min(20)]
    );
}

fn scenario_with(
    topology: Topology,
    sites: usize,
    fraction: f64,
    pct: f64,
    ports: u32,
    lake: f64,
) -> Scenario {
    let mut s = Scenario::parse(REFERENCE_SCENARIO).unwrap();
    s.horizon_months = 6;
    s.network.topology = topology;
    s.change.value = pct;
    s.links.cloud.ports = ports;
    s.lake.initial_pb = lake;
    s.lake.target_pb = Some(lake * 1.5);
    s.sites = (0..sites)
        .map(|i| lakeplan_models::scenario::Site {
            name: format!("S{i}"),
            copy_fraction: fraction,
        })
        .collect();
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Fan-out sends every site its copy: its egress is `sites` × the chain's, month by
    /// month.
    #[test]
    fn fan_out_egress_is_sites_times_chain(n in 1usize..6, f in 0.05f64..=1.0, pct in 0.1f64..30.0) {
        let prices = reference_prices();
        let chain = compute(&scenario_with(Topology::Chain, n, f, pct, 50, 450.0), &prices);
        let fan = compute(&scenario_with(Topology::FanOut, n, f, pct, 50, 450.0), &prices);
        for (c, o) in chain.months.iter().zip(&fan.months) {
            prop_assert!((o.egress_gib - n as f64 * c.egress_gib).abs() <= 1e-9 * o.egress_gib);
            prop_assert!((o.egress_usd - n as f64 * c.egress_usd).abs() <= 1e-9 * o.egress_usd.max(1.0));
        }
    }

    /// More cloud ports never make a month less feasible.
    #[test]
    fn more_ports_never_less_feasible(ports in 1u32..80, extra in 0u32..80, pct in 0.1f64..20.0) {
        let prices = reference_prices();
        let few = compute(&scenario_with(Topology::Chain, 2, 1.0, pct, ports, 450.0), &prices);
        let many = compute(&scenario_with(Topology::Chain, 2, 1.0, pct, ports + extra, 450.0), &prices);
        for (a, b) in few.months.iter().zip(&many.months) {
            prop_assert!(!a.paths[0].feasible || b.paths[0].feasible);
        }
        prop_assert!(many.summary.first_infeasible_month.is_none() || few.summary.first_infeasible_month.is_some());
    }

    /// A larger lake never needs fewer enclosures; a higher change never less bandwidth.
    #[test]
    fn bigger_inputs_never_need_less(lake in 1.0f64..2000.0, more in 0.0f64..2000.0, pct in 0.1f64..20.0, dp in 0.0f64..20.0) {
        let prices = reference_prices();
        let small = compute(&scenario_with(Topology::Chain, 2, 1.0, pct, 50, lake), &prices);
        let large = compute(&scenario_with(Topology::Chain, 2, 1.0, pct, 50, lake + more), &prices);
        let busier = compute(&scenario_with(Topology::Chain, 2, 1.0, (pct + dp).min(100.0), 50, lake), &prices);
        for ((a, b), c) in small.months.iter().zip(&large.months).zip(&busier.months) {
            prop_assert!(b.sites[0].enclosures >= a.sites[0].enclosures);
            prop_assert!(c.peak_gbps >= a.peak_gbps);
            prop_assert!(c.paths[0].ports_needed >= a.paths[0].ports_needed);
        }
    }
}

/// The pricing analyst's question: the same cluster under a core + capacity plan and a
/// capacity-only plan over 3 and 4 years, and the $/core at which they break even.
#[test]
fn licence_plans_compare_on_the_same_cluster() {
    use lakeplan_models::pricing::{Basis, Component, Plan};
    use lakeplan_models::report::{licence_break_even, licence_cost};
    let r = reference();
    let comp = |name: &str, basis, rate| Component {
        name: name.into(),
        basis,
        rate,
        tiers: vec![],
        term_discounts: vec![],
    };
    let core_plus = Plan {
        name: "core-plus-capacity".into(),
        components: vec![
            comp("cores", Basis::PerCoreYear, 500.0),
            comp("capacity", Basis::PerUsableTbYear, 30.0),
        ],
    };
    let capacity_only = Plan {
        name: "capacity-only".into(),
        components: vec![comp("capacity", Basis::PerEffectiveTbYear, 40.0)],
    };
    for months in [36, 48] {
        let b = licence_cost(&r, &capacity_only, 3, months).0;
        let rate = licence_break_even(&r, &core_plus, 0, &capacity_only, 3, months).unwrap();
        let mut at_break_even = core_plus.clone();
        at_break_even.components[0].rate = rate;
        let a = licence_cost(&r, &at_break_even, 3, months).0;
        assert!(close(a, b, b * 1e-9), "{months} months: {a} vs {b}");
        assert!(rate > 0.0);
    }
    // The report's own licence line is the plan in its prices over the whole horizon.
    let prices = reference_prices();
    let own = licence_cost(&r, &prices.licence, 5, r.months.len()).0;
    let reported: f64 = r.months.iter().map(|m| m.cost_usd.licence).sum();
    assert!(close(own, reported, reported * 1e-12));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any scenario that parses computes without a panic, and every month's figures are
    /// finite.
    #[test]
    fn every_valid_scenario_computes(
        lake in 0.001f64..5000.0, target in 0.001f64..5000.0, pct in 0.0f64..100.0,
        curve in prop::sample::select(vec!["linear", "compound", "logistic"]),
        topology in prop::sample::select(vec!["chain", "fan_out"]),
        window in 0.5f64..24.0, peak in 1.0f64..5.0, mtu in 576u32..9216, ports in 1u32..200,
        loss in 0.0f64..0.01, sites in 1usize..5, horizon in 1u32..121,
    ) {
        let site_list: Vec<String> = (0..sites).map(|i| format!(r#"{{"name": "S{i}", "copy_fraction": {}}}"#, 1.0 / (i as f64 + 1.0))).collect();
        let json = format!(r#"{{
          "start_month": "2026-03", "horizon_months": {horizon},
          "lake": {{"initial_pb": {lake}, "curve": "{curve}", "target_pb": {target}, "target_month": "2029-03"}},
          "change": {{"value": {pct}, "window_hours": {window}, "peak_to_mean": {peak}}},
          "network": {{"mtu_bytes": {mtu}, "topology": "{topology}"}},
          "links": {{"cloud": {{"ports": {ports}, "loss_rate": {loss}}}}},
          "sites": [{}]
        }}"#, site_list.join(","));
        let s = Scenario::parse(&json).unwrap();
        let r = compute(&s, &reference_prices());
        prop_assert_eq!(r.months.len(), horizon as usize);
        for m in &r.months {
            prop_assert!(m.lake_pb.is_finite() && m.egress_usd.is_finite() && m.cost_usd.total.is_finite());
            for p in &m.paths {
                prop_assert!(p.utilization.is_finite());
            }
        }
        prop_assert!(r.summary.total_cost_usd.is_finite());
    }
}

/// The ports a plan must order keep every month feasible: the maximum over the horizon,
/// and with that many ports no month of that path is infeasible.
#[test]
fn max_ports_needed_keeps_every_month_feasible() {
    let report = reference();
    let needed = report.max_ports_needed(0);
    assert!(report
        .months
        .iter()
        .all(|m| m.paths[0].ports_needed <= needed));
    assert!(report
        .months
        .iter()
        .any(|m| m.paths[0].ports_needed == needed));
    assert_eq!(report.max_ports_needed(99), 0);
    let own = report.own_topology().expect("own topology");
    let egress: f64 = report.months.iter().map(|m| m.egress_usd).sum();
    assert!((own.egress_usd - egress).abs() <= 1e-6 * egress);
}

/// A scenario with `sites` sites keeping decreasing shares, a lake that grows or shrinks,
/// and a busy-day window: every branch of sizing (growth, nothing added, partial copies).
fn varied_scenario(topology: &str, sites: usize, lake: f64, target: f64, pct: f64) -> Scenario {
    let site_list: Vec<String> = (0..sites)
        .map(|i| {
            format!(
                r#"{{"name": "S{i}", "copy_fraction": {}}}"#,
                1.0 / (i as f64 + 1.0)
            )
        })
        .collect();
    let json = format!(
        r#"{{
          "start_month": "2026-03", "horizon_months": 40,
          "lake": {{"initial_pb": {lake}, "target_pb": {target}, "target_month": "2028-03"}},
          "change": {{"value": {pct}, "window_hours": 8, "peak_to_mean": 1.3}},
          "network": {{"topology": "{topology}"}},
          "cluster": {{"read_gbytes_per_s": 40}},
          "sites": [{}]
        }}"#,
        site_list.join(",")
    );
    Scenario::parse(&json).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The comparison run's totals are, to the bit, what the other topology's own report
    /// gives: the comparison takes shortcuts (no rows, footprints reused from the main
    /// run) that must not change a figure.
    #[test]
    fn comparison_totals_are_the_other_topologys_own(
        sites in 1usize..5, lake in 1.0f64..900.0, target in 1.0f64..900.0, pct in 0.1f64..20.0,
    ) {
        let prices = reference_prices();
        let chain = compute(&varied_scenario("chain", sites, lake, target, pct), &prices);
        let fan = compute(&varied_scenario("fan_out", sites, lake, target, pct), &prices);
        let bits = |t: &lakeplan_models::report::TopologyTotals| serde_json::to_string(t).unwrap();
        prop_assert_eq!(bits(&chain.topologies[1]), bits(&fan.topologies[0]));
        prop_assert_eq!(bits(&fan.topologies[1]), bits(&chain.topologies[0]));
    }

    /// Every site row is what `cluster::size_site` gives, month after month, for what the
    /// site writes and reads.
    #[test]
    fn site_rows_follow_size_site(
        chain in any::<bool>(), sites in 1usize..5, lake in 1.0f64..900.0,
        target in 1.0f64..900.0, pct in 0.1f64..20.0,
    ) {
        use lakeplan_models::change::{daily_change, peak_rate};
        use lakeplan_models::cluster::size_site;
        use lakeplan_models::topology;
        use lakeplan_models::units::BitRate;
        let s = varied_scenario(if chain { "chain" } else { "fan_out" }, sites, lake, target, pct);
        let r = compute(&s, &reference_prices());
        let hw = s.hardware();
        let list: Vec<(&str, f64)> = s.sites.iter().map(|x| (x.name.as_str(), x.copy_fraction)).collect();
        let paths = topology::paths(s.network.topology, &list);
        let incoming = topology::incoming(&paths, list.len());
        let forwarded = topology::forwarded(&paths, list.len());
        let extra = BitRate::from_gbytes_per_second(s.cluster.read_gbytes_per_s);
        let curve = s.curve();
        let mut before = vec![None; list.len()];
        for (m, row) in r.months.iter().enumerate() {
            let lake = curve.at(m as f64);
            let peak = peak_rate(daily_change(lake, s.change.basis, s.change.value), s.change.window_hours, s.change.peak_to_mean);
            for (i, site) in row.sites.iter().enumerate() {
                let need = hw.capacity_need(lake * list[i].1);
                let z = size_site(&hw, &need, peak * incoming[i], extra + peak * forwarded[i], before[i].as_ref());
                prop_assert_eq!((site.enclosures, site.nodes, site.cores, site.racks), (z.enclosures, z.nodes, z.cores, z.footprint.racks));
                prop_assert_eq!(site.nodes_needed, z.nodes_needed);
                prop_assert_eq!(site.usable_pb.to_bits(), z.usable.pb().to_bits());
                prop_assert_eq!(site.effective_pb.to_bits(), z.effective.pb().to_bits());
                prop_assert_eq!(site.rack_units.to_bits(), z.footprint.rack_units.to_bits());
                prop_assert_eq!(site.power_kw.to_bits(), z.footprint.power_kw.to_bits());
                before[i] = Some(z);
            }
        }
    }
}

/// TCP timestamps take 12 bytes of every segment: at the reference's MTU 9000 every path's
/// payload capacity and loss-limited stream rate fall by 8948/8960, and nothing else
/// changes what it is computed from. Delayed ACKs take the Mathis constant from √(3/2)
/// to √(3/4): stream rates (Mathis-bound here) fall by √(1/2), capacities stay.
#[test]
fn timestamps_and_delayed_acks_move_only_what_they_touch() {
    let base: Value = serde_json::from_str(REFERENCE_SCENARIO).unwrap();
    let with = |field: &str, value: &str| {
        let mut v = base.clone();
        v["network"][field] = Value::String(value.into());
        compute(&Scenario::from_value(&v).unwrap(), &reference_prices())
    };
    let r = reference();
    let ts = with("tcp_timestamps", "on");
    let acks = with("tcp_acks", "delayed");
    // Absent and "off" / "per_packet" are the same scenario.
    assert_eq!(with("tcp_timestamps", "off"), r);
    assert_eq!(with("tcp_acks", "per_packet"), r);
    for ((m, t), a) in r.months.iter().zip(&ts.months).zip(&acks.months) {
        assert_eq!(t.sustained_gbps, m.sustained_gbps);
        for ((p, q), d) in m.paths.iter().zip(&t.paths).zip(&a.paths) {
            assert!(close(
                q.payload_capacity_gbps / p.payload_capacity_gbps,
                8948.0 / 8960.0,
                1e-12
            ));
            assert!(close(
                q.per_stream_gbps / p.per_stream_gbps,
                8948.0 / 8960.0,
                1e-12
            ));
            assert!(q.streams_needed >= p.streams_needed);
            assert_eq!(d.payload_capacity_gbps, p.payload_capacity_gbps);
            assert!(close(
                d.per_stream_gbps / p.per_stream_gbps,
                0.5f64.sqrt(),
                1e-12
            ));
        }
    }
    let mut bad = base.clone();
    bad["network"]["tcp_timestamps"] = Value::String("sometimes".into());
    let e = Scenario::from_value(&bad).unwrap_err();
    assert_eq!(e.0[0].path, "network.tcp_timestamps", "{e:?}");
    assert!(e.0[0].message.contains("off, on"), "{e:?}");
}

/// The rows' names are held inline up to 23 bytes and a month's paths and sites in the row
/// up to two (`report::Name`, `report::Rows`): in JSON they stay a string and an array,
/// and a report reads back equal past either limit (three sites, a 37-byte name).
#[test]
fn rows_and_names_read_back_past_what_is_held_inline() {
    let mut s = lakeplan_models::presets::get("cloud-egress-fan-out")
        .unwrap()
        .scenario()
        .unwrap();
    s.sites[2].name = "Region three, the long way round (DR)".into();
    assert!(s.sites[2].name.len() > 23);
    let r = lakeplan_models::report::compute_priced(&s).unwrap();
    assert_eq!(r.months[0].sites.len(), 3);
    assert_eq!(r.months[0].paths.len(), 3);
    let json: Value = serde_json::to_value(&r).unwrap();
    let month = &json["months"][0];
    assert!(month["paths"].is_array() && month["sites"].is_array());
    assert_eq!(
        month["sites"][2]["name"],
        "Region three, the long way round (DR)"
    );
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
    // And within both limits (two sites, short names).
    let r = reference();
    let back: Report = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}
