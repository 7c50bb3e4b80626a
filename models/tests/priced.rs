//! Pricing a scenario from the built-in book: the spec's figures, the rows behind them,
//! errors that name the field, and the presets.
#![allow(clippy::unwrap_used)]

mod common;

use common::{json_diffs, preset, reference_preset};
use std::collections::BTreeSet;

use lakeplan_models::egress::EgressRate;
use lakeplan_models::presets;
use lakeplan_models::price_book::{Confidence, PriceBook};
use lakeplan_models::priced::{self, EgressSource, PricedWith};
use lakeplan_models::report::{compute_priced, to_csv, Report};
use lakeplan_models::scenario::{EgressPath, Provider, Scenario};
use lakeplan_models::topology::Topology;
use serde_json::{json, Value};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The paths of the errors pricing `s` gives, with their messages.
fn errors(s: &Scenario) -> Vec<(String, String)> {
    compute_priced(s)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.path.clone(), e.to_string()))
        .collect()
}

fn error_at(s: &Scenario, path: &str) -> String {
    let all = errors(s);
    all.iter()
        .find(|(p, _)| p == path)
        .map(|(_, m)| m.clone())
        .unwrap_or_else(|| panic!("no error at {path}: {all:?}"))
}

fn used<'a>(p: &'a PricedWith, id: &str) -> &'a priced::RowRef {
    p.assumptions
        .rows_used
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} not used"))
}

// ---- the reference scenario, priced from the book

/// docs/model.md#egress-and-network-cost: flat $0.02/GiB on 45 PB/day for a 31-day month
/// is $25 983 899.83; the GCP us-central1 Interconnect row is north-america's $0.02/GiB.
#[test]
fn reference_month_zero_egress_from_the_book() {
    let r = compute_priced(&reference_preset()).unwrap();
    assert_eq!(r.price_book, "2026-11");
    let m = &r.months[0];
    assert!(close(m.egress_gib, 1_299_194_991.59, 0.005));
    assert!(close(m.egress_usd, 25_983_899.83, 0.005));
    assert!(close(m.cost_usd.egress, 25_983_899.83, 0.005));
    // 50 circuits of 100 G at $23.28 for January's 744 hours.
    assert!(close(m.cost_usd.ports, 50.0 * 23.28 * 744.0, 1e-6));
}

#[test]
fn every_figure_names_its_row() {
    let p = priced::price(&reference_preset()).unwrap();
    let egress = used(&p, "gcp.interconnect.egress.na");
    assert_eq!((egress.value, egress.used_for.as_str()), (0.02, "egress"));
    assert_eq!(egress.unit.as_str(), "usd_per_gib");
    assert_eq!(egress.read_on.to_string(), "2026-11-01");
    assert_eq!(egress.confidence, Confidence::Secondary);
    assert!(egress.source.contains("interconnect/pricing"));
    for id in [
        "gcp.storage.class-b.standard",
        "gcp.interconnect.port.100g",
        "licence.core-plus-capacity.core",
        "licence.core-plus-capacity.capacity.t1",
        "licence.core-plus-capacity.capacity.t4",
        "licence.core-plus-capacity.term.t3",
        "hardware.enclosure.ceres-v2.61tb",
        "hardware.node.cbox-gen5",
        "hardware.switch",
        "support.hardware",
        "onprem.power.electricity.us-va",
        "onprem.power.pue",
        "onprem.space.colocation.na",
    ] {
        used(&p, id);
    }
    // A 5-year term picks the 5-years-and-over bracket only.
    let ids: Vec<&str> = p
        .assumptions
        .rows_used
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert!(!ids.contains(&"licence.core-plus-capacity.term.t2"));
    assert!(!ids.iter().any(|id| id.starts_with("licence.capacity-only")));
    // Nothing is used twice, and every id is a real row.
    let book = PriceBook::builtin("2026-11").unwrap();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
    for id in &ids {
        book.row(id).unwrap();
    }
    // Placeholders and estimates in use are listed; list prices are not.
    let pending = &p.assumptions.needs_override;
    assert!(pending.contains(&"licence.core-plus-capacity.core".to_string()));
    assert!(pending.contains(&"hardware.enclosure.ceres-v2.61tb".to_string()));
    assert!(pending.contains(&"support.hardware".to_string()));
    assert!(!pending.contains(&"gcp.interconnect.egress.na".to_string()));
    for id in pending {
        assert!(book.row(id).unwrap().needs_override(), "{id}");
    }
    let unpriced: Vec<&str> = p
        .assumptions
        .unpriced
        .iter()
        .map(|u| u.field.as_str())
        .collect();
    assert!(unpriced.contains(&"links.inter_site"), "{unpriced:?}");
}

/// Month 0's licence and hardware, by hand from the book's rows: $500 per core-year,
/// usable TB graduated at $40 / 30 / 20 / 12 (bounds 1 000, 10 000, 100 000 TB) per site,
/// 20 % off for a 5-year term, charged 31/365 of a year; enclosures $35 174, nodes
/// $25 000, switches $40 000, support 15 % a year.
#[test]
fn reference_month_zero_licence_and_hardware_by_hand() {
    let r = compute_priced(&reference_preset()).unwrap();
    let m = &r.months[0];
    let capacity = |tb: f64| {
        let bands = [(1_000.0, 40.0), (10_000.0, 30.0), (100_000.0, 20.0)];
        let mut lower = 0.0;
        let mut cost = 0.0;
        for (upper, rate) in bands {
            cost += (tb.min(upper) - lower).max(0.0) * rate;
            lower = upper;
        }
        cost + (tb - 100_000.0).max(0.0) * 12.0
    };
    let yearly: f64 = m
        .sites
        .iter()
        .map(|s| s.cores as f64 * 500.0 + capacity(s.usable_pb * 1000.0))
        .sum();
    assert!(close(m.cost_usd.licence, yearly * 0.8 * 31.0 / 365.0, 1e-6));
    let switches: u64 = m.sites.iter().map(|s| s.switches).sum();
    let hardware = 776.0 * 35_174.0 + (157.0 + 105.0) * 25_000.0 + switches as f64 * 40_000.0;
    assert!(close(m.cost_usd.hardware, hardware, 1e-6));
    assert!(close(
        m.cost_usd.support,
        hardware * 0.15 * 31.0 / 365.0,
        1e-6
    ));
}

/// The reference preset priced from the book gives the golden report's figures: every
/// rate, size, verdict and cost line except the three the book prices differently from
/// the tests' hand-made prices (licence, hardware and the support that follows from it,
/// and the totals that sum them).
#[test]
fn reference_preset_matches_the_golden_report() {
    let golden: Value =
        serde_json::from_str(include_str!("data/reference-report.golden.json")).unwrap();
    let mut r = compute_priced(&reference_preset()).unwrap();
    r.model_version = "golden".into();
    r.scenario_name = golden["scenario_name"].as_str().unwrap().into();
    let got = serde_json::to_value(&r).unwrap();
    assert!(got.get("assumptions").is_some());
    let skip = [
        "assumptions",
        "licence",
        "hardware",
        "support",
        "total",
        "cumulative_usd",
        "total_cost_usd",
        "usd_per_effective_tb_month",
        "usd_per_lake_tb_month",
    ];
    let diffs = json_diffs(&got, &golden, "", &skip);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // The skipped lines do differ: the book's licence is not the hand-made one.
    assert_ne!(
        got["months"][0]["cost_usd"]["licence"],
        golden["months"][0]["cost_usd"]["licence"]
    );
}

#[test]
fn a_priced_report_reads_back_and_its_csv_lists_the_rows() {
    let r = compute_priced(&reference_preset()).unwrap();
    // Through a JSON value: serde_json's text parser may round the last bit of a float.
    let back: Report = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
    assert!(back == r, "the report does not read back");
    let csv = to_csv(&r);
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    let start = records
        .iter()
        .position(|x| &x[0] == "price_row")
        .expect("a price_row section");
    let egress = records[start..]
        .iter()
        .find(|x| &x[0] == "gcp.interconnect.egress.na")
        .unwrap();
    assert_eq!(
        egress.iter().collect::<Vec<_>>()[..5],
        [
            "gcp.interconnect.egress.na",
            "0.02",
            "usd_per_gib",
            "secondary",
            "false"
        ]
    );
    let core = records[start..]
        .iter()
        .find(|x| &x[0] == "licence.core-plus-capacity.core")
        .unwrap();
    assert_eq!(&core[4], "true");
    assert!(records.iter().any(|x| &x[0] == "unpriced"));
}

// ---- overrides and choices

#[test]
fn overrides_reprice_and_are_shown() {
    let mut s = reference_preset();
    s.pricing.overrides = serde_json::from_value(json!({
        "gcp.interconnect.egress.na": 0.015,
        "licence.core-plus-capacity.core": 320
    }))
    .unwrap();
    let p = priced::price(&s).unwrap();
    let egress = used(&p, "gcp.interconnect.egress.na");
    assert_eq!((egress.value, egress.overridden_from), (0.015, Some(0.02)));
    assert!(!p
        .assumptions
        .needs_override
        .contains(&"licence.core-plus-capacity.core".to_string()));
    let r = compute_priced(&s).unwrap();
    assert!(close(r.months[0].egress_usd, 25_983_899.83 * 0.75, 0.01));
}

#[test]
fn the_power_region_picks_the_state_row() {
    let mut s = reference_preset();
    s.pricing.power_region = "us-ca".into();
    let p = priced::price(&s).unwrap();
    assert_eq!(p.prices.power_usd_per_kwh, 0.1864);
    used(&p, "onprem.power.electricity.us-ca");
    assert_eq!(
        priced::price(&reference_preset())
            .unwrap()
            .prices
            .power_usd_per_kwh,
        0.0892
    );
}

#[test]
fn the_term_picks_one_discount_bracket() {
    for (term, id, off) in [
        (1, "licence.capacity-only.term.t1", 0.0),
        (4, "licence.capacity-only.term.t2", 0.1),
        (5, "licence.capacity-only.term.t3", 0.2),
    ] {
        let mut s = reference_preset();
        s.pricing.plan = "capacity-only".into();
        s.pricing.term_years = term;
        let p = priced::price(&s).unwrap();
        used(&p, id);
        let brackets = p
            .assumptions
            .rows_used
            .iter()
            .filter(|r| r.id.contains(".term."))
            .count();
        assert_eq!(brackets, 1, "term {term}");
        for c in &p.prices.licence.components {
            assert_eq!(c.discount(term), off, "term {term}");
        }
        assert!(p
            .prices
            .licence
            .components
            .iter()
            .all(|c| c.basis != lakeplan_models::pricing::Basis::PerCoreYear));
    }
}

#[test]
fn an_empty_book_means_the_newest() {
    let mut s = reference_preset();
    s.pricing.price_book = String::new();
    let r = compute_priced(&s).unwrap();
    assert_eq!(r.price_book, PriceBook::latest().unwrap().id());
}

/// Azure ExpressRoute is priced in euros: the book's exchange rate converts it, and that
/// placeholder rate is listed as needing an override.
#[test]
fn euro_prices_convert_through_the_books_rate() {
    let mut s = reference_preset();
    s.source.provider = Provider::Azure;
    s.source.region = "eastus".into();
    s.links.cloud.port_gbps = 100.0;
    let p = priced::price(&s).unwrap();
    match p.prices.egress {
        EgressRate::FlatPerGb(rate) => assert!(close(rate.0, 0.02 * 1.10, 1e-15)),
        other => panic!("expected a flat per-GB rate, got {other:?}"),
    }
    used(&p, "fx.usd-per-eur");
    assert!(p
        .assumptions
        .needs_override
        .contains(&"fx.usd-per-eur".to_string()));
    assert_eq!(p.prices.request, None);
}

#[test]
fn an_onprem_source_pays_no_egress() {
    let mut s = reference_preset();
    s.source.provider = Provider::Onprem;
    s.source.region = String::new();
    let r = compute_priced(&s).unwrap();
    assert_eq!(r.months[0].egress_usd, 0.0);
    assert_eq!(r.months[0].cost_usd.requests, 0.0);
    assert_eq!(r.months[0].cost_usd.ports, 0.0);
    assert!(r
        .assumptions
        .unpriced
        .iter()
        .any(|u| u.field == "links.cloud"));
}

// ---- errors name the field

#[test]
fn an_unknown_book_names_pricing_price_book_and_the_known_books() {
    let mut s = reference_preset();
    s.pricing.price_book = "2025-01".into();
    assert_eq!(
        error_at(&s, "pricing.price_book"),
        "pricing.price_book must be a price book you can use (2026-11, 2026-12), got \"2025-01\""
    );
}

#[test]
fn an_unknown_plan_names_pricing_plan_and_the_books_plans() {
    let mut s = reference_preset();
    s.pricing.plan = "per-socket".into();
    assert_eq!(
        error_at(&s, "pricing.plan"),
        "pricing.plan must be a licence plan of price book 2026-11 \
         (capacity-only, core-plus-capacity), got \"per-socket\""
    );
    s.pricing.plan = String::new();
    assert!(error_at(&s, "pricing.plan").ends_with("got \"\""));
}

#[test]
fn an_unmapped_region_names_source_region() {
    let mut s = reference_preset();
    s.source.region = "australia-southeast1".into();
    let e = error_at(&s, "source.region");
    assert!(
        e.starts_with(
            "source.region must be a gcp region that price book 2026-11 prices for \
             interconnect egress (us-central1, "
        ),
        "{e}"
    );
    assert!(e.ends_with("got \"australia-southeast1\""), "{e}");
    s.source.region = String::new();
    error_at(&s, "source.region");
    // AWS in a region the book has no rows for.
    s.source.provider = Provider::Aws;
    s.source.region = "eu-west-1".into();
    let e = error_at(&s, "source.region");
    assert!(e.contains("(us-east-1, us-east-2)"), "{e}");
}

#[test]
fn bad_overrides_name_pricing_overrides_id() {
    let mut s = reference_preset();
    s.pricing.overrides = serde_json::from_value(json!({
        "gcp.egress.typo": 0.01,
        "support.hardware": 150,
        "onprem.power.pue": "high"
    }))
    .unwrap();
    let all = errors(&s);
    let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        paths.contains(&"pricing.overrides.gcp.egress.typo"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"pricing.overrides.support.hardware"),
        "{paths:?}"
    );
    assert_eq!(
        error_at(&s, "pricing.overrides.onprem.power.pue"),
        "pricing.overrides.onprem.power.pue must be a number in the row's unit, got \"high\""
    );
}

#[test]
fn a_port_speed_not_sold_names_links_cloud_port_gbps() {
    let mut s = reference_preset();
    s.links.cloud.port_gbps = 25.0;
    assert_eq!(
        error_at(&s, "links.cloud.port_gbps"),
        "links.cloud.port_gbps must be a port speed gcp sells for Dedicated Interconnect in \
         price book 2026-11 (10, 100, 400 Gbps), got 25"
    );
    s.source.provider = Provider::Aws;
    s.source.region = "us-east-1".into();
    s.links.cloud.port_gbps = 1.0;
    compute_priced(&s).unwrap();
    // Over the internet no port is rented, so any speed prices.
    s.source.egress_path = EgressPath::Internet;
    s.links.cloud.port_gbps = 25.0;
    compute_priced(&s).unwrap();
}

#[test]
fn hardware_and_power_choices_outside_the_book_name_their_fields() {
    let mut s = reference_preset();
    s.cluster.enclosure_raw_tb = 1000.0;
    s.cluster.node_cores = 32;
    s.pricing.power_region = "us-xx".into();
    let e = error_at(&s, "cluster.enclosure_raw_tb");
    assert!(e.contains("1351.68 (enclosure.ceres-v2.61tb)"), "{e}");
    let e = error_at(&s, "cluster.node_cores");
    assert!(
        e.contains("48 (node.cbox-gen5), 64 (node.cbox-gen6)"),
        "{e}"
    );
    let e = error_at(&s, "pricing.power_region");
    assert!(e.contains("(us-va, us-tx, us-il, us-or, us-ca)"), "{e}");
}

/// Every problem comes back in one pass: range errors from validation and pricing errors.
#[test]
fn every_error_at_once() {
    let mut s = reference_preset();
    s.lake.initial_pb = -5.0;
    s.pricing.plan = "nope".into();
    s.source.region = "nowhere".into();
    s.links.cloud.port_gbps = 40.0;
    let paths: Vec<String> = errors(&s).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "lake.initial_pb",
            "source.region",
            "links.cloud.port_gbps",
            "pricing.plan"
        ]
    );
}

// ---- every region the table lists, every preset

/// Each provider, path and region in the region table prices, and reads the row the
/// table names.
#[test]
fn every_listed_region_resolves() {
    let mut count = 0;
    for entry in priced::egress_regions() {
        for region in entry.regions {
            let mut s = reference_preset();
            s.source.provider = entry.provider;
            s.source.egress_path = entry.path;
            s.source.region = (*region).into();
            let p = priced::price(&s)
                .unwrap_or_else(|e| panic!("{:?} {:?} {region}: {e}", entry.provider, entry.path));
            let ids: Vec<&str> = p
                .assumptions
                .rows_used
                .iter()
                .filter(|r| r.used_for == "egress")
                .map(|r| r.id.as_str())
                .collect();
            match entry.price {
                EgressSource::Row(id) => assert_eq!(ids, [id]),
                EgressSource::Tiers(group) => {
                    assert!(ids.len() > 1 && ids.iter().all(|id| id.starts_with(group)))
                }
            }
            count += 1;
        }
    }
    assert!(count > 40, "{count}");
}

#[test]
fn every_preset_prices_and_computes() {
    for p in presets::all() {
        let s = p.scenario().unwrap();
        let r = compute_priced(&s).unwrap_or_else(|e| panic!("{}: {e}", p.id));
        assert_eq!(r.price_book, s.pricing.price_book, "{}", p.id);
        assert_eq!(r.months.len(), s.horizon_months as usize, "{}", p.id);
        assert!(r.summary.total_cost_usd > 0.0, "{}", p.id);
        assert!(!r.assumptions.rows_used.is_empty(), "{}", p.id);
    }
}

/// The pilot: 3 % of 2 PB is 60 TB a day, 5.556 Gbps; a pair of 10 G circuits at MTU
/// 1500 with TCP timestamps (1 448 payload bytes a segment) carries 15.06 Gbps of
/// payload, so it keeps up and seeds 2 PB in 19.4 days.
#[test]
fn the_pilot_fits_its_pair_of_circuits() {
    let r = compute_priced(&preset("two-cluster-pilot")).unwrap();
    let m = &r.months[0];
    assert!(close(m.sustained_gbps, 60e12 * 8.0 / 86_400.0 / 1e9, 1e-9));
    assert!(close(
        m.paths[0].payload_capacity_gbps,
        20.0 * 0.8 * 1448.0 / 1538.0,
        1e-9
    ));
    assert_eq!(r.summary.first_infeasible_month, None);
    let seed =
        2e15 * 8.0 / ((m.paths[0].payload_capacity_gbps - m.sustained_gbps) * 1e9) / 86_400.0;
    assert!(close(r.summary.seed_days.unwrap(), seed, 1e-6));
    // The vendor minimum sets the first size of both clusters.
    assert!(m.sites.iter().all(|s| s.enclosures == 11));
    assert!(r.expansion.len() > 2, "a pilot that grows 2.5× expands");
    assert_eq!(r.months[0].cost_usd.ports, 2.0 * 2.328 * 744.0);
}

/// The fan-out preset: 2 % of 20 PB is 12.4 PB in January. AWS's graduated internet tiers
/// ($0.09 / 0.085 / 0.07 / 0.05 per GB at 10, 50 and 150 TB) charge one copy $623 800 and
/// the three fan-out copies together $1 863 800.
#[test]
fn fan_out_pays_egress_three_times() {
    let r = compute_priced(&preset("cloud-egress-fan-out")).unwrap();
    assert_eq!(r.topology, Topology::FanOut);
    let m = &r.months[0];
    assert_eq!(m.copies_leaving_cloud, 3.0);
    let tiers = |gb: f64| 900.0 + 3_400.0 + 7_000.0 + (gb - 150_000.0) * 0.05;
    assert!(close(m.egress_usd, tiers(3.0 * 12.4e6), 1e-6));
    assert!(close(m.egress_usd, 1_863_800.0, 1e-6));
    assert!(close(tiers(12.4e6), 623_800.0, 1e-6));
    let (fan, chain) = (&r.topologies[0], &r.topologies[1]);
    assert_eq!(
        (fan.topology, chain.topology),
        (Topology::FanOut, Topology::Chain)
    );
    assert_eq!(chain.copies_leaving_cloud, 1.0);
    let ratio = fan.egress_usd / chain.egress_usd;
    assert!(ratio > 2.95 && ratio < 3.0, "{ratio}");
    assert!(fan.total_cost_usd > chain.total_cost_usd);
    // Internet egress rents no port from AWS, and AWS requests are not in the book.
    assert_eq!(m.cost_usd.ports, 0.0);
    assert_eq!(m.cost_usd.requests, 0.0);
    let fields: Vec<&str> = r
        .assumptions
        .unpriced
        .iter()
        .map(|u| u.field.as_str())
        .collect();
    assert!(fields.contains(&"links.cloud") && fields.contains(&"source.mean_object_mb"));
}
