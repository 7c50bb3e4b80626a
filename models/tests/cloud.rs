//! The cluster on cloud instances through the whole model (spec CLOUD.md): each month's
//! instances as a careful engineer computes them from the specs the report echoes, their
//! cost to the cent, each placement's yearly totals, the alignment rate, and the errors.
#![allow(clippy::unwrap_used)]

mod common;

use common::reference_preset;
use lakeplan_models::cloud::{Bound, Placement};
use lakeplan_models::report::{compute_priced, to_csv, Report};
use lakeplan_models::scenario::Scenario;
use serde_json::{json, Value};

/// The reference scenario with a cloud cluster on GCP Z3, priced from book 2026-12.
fn with_cloud(section: Value) -> Scenario {
    let mut doc = serde_json::to_value(reference_preset()).unwrap();
    doc["pricing"]["price_book"] = json!("2026-12");
    doc["cloud_cluster"] = section;
    Scenario::from_value(&doc).unwrap()
}

fn z3() -> Value {
    json!({
        "instance": "gcp.z3-highmem-88-highlssd",
        "commitment": "on_demand",
        "ec_data": 8, "ec_parity": 4, "across_zones": true,
        "fill_target": 0.8, "min_instances": 8, "network_efficiency": 0.8,
        "throughput_gbps": null,
        "cloud_rate_usd_per_tb_month": null
    })
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

#[test]
fn every_month_is_what_the_echoed_specs_give_by_hand() {
    let s = with_cloud(z3());
    let r = compute_priced(&s).unwrap();
    let c = r.summary.cloud.as_ref().unwrap();
    let i = &c.instance;
    assert_eq!(i.id, "gcp.z3-highmem-88-highlssd");
    assert_eq!((i.vcpu, i.physical_cores), (88, 44));
    assert_eq!(i.usd_per_hour, 13.0);
    assert_eq!(i.nvme_tb, 38.65471);
    for m in &r.months {
        let cm = m.cloud_cluster.unwrap();
        // 450 PB and up, ÷ 1.2 data reduction; raw = usable ÷ (8/12) ÷ 0.8.
        let usable = m.lake_pb * 1000.0 / 1.2;
        let raw = usable / (8.0 / 12.0) / 0.8;
        let by_capacity = (raw / i.nvme_tb).ceil() as u64;
        let by_throughput = (m.sustained_gbps / (i.network_gbps * 0.8)).ceil() as u64;
        let n = by_capacity.max(by_throughput).max(8);
        assert_eq!(cm.instances, n, "{}", m.month);
        assert_eq!(cm.bound, Bound::Capacity, "{}", m.month);
        assert!((cm.usable_tb - usable).abs() <= 1e-9 * usable);
        assert!((cm.raw_tb - raw).abs() <= 1e-9 * raw);
        // The month's real hours: 744 in January, 672 in February 2026.
        let hours = f64::from(m.days) * 24.0;
        assert_eq!(
            cents(cm.instances_usd),
            cents(n as f64 * 13.0 * hours),
            "{}",
            m.month
        );
        // Licence B at the book's placeholder $10 per usable TB-month.
        let licensed = n as f64 * i.nvme_tb * 8.0 / 12.0;
        assert_eq!(
            cents(cm.licence_b_usd),
            cents(10.0 * licensed),
            "{}",
            m.month
        );
    }
    // docs/model.md's worked January: 450 PB is 375 000 usable TB and 703 125 raw TB,
    // ÷ 38.65471 = 18 189.89 → 18 190 instances; 4 166.67 Gbps needs 85.
    let jan = r.months[0].cloud_cluster.unwrap();
    assert_eq!((jan.instances, jan.by_throughput), (18_190, 85));
    assert_eq!(cents(jan.instances_usd), 17_593_368_000);
    assert_eq!(cents(jan.licence_b_usd), 468_752_783);
    // Licence A is book 2026-12's core + capacity plan on the instances: 18 190 × 44 =
    // 800 360 cores at $500, and 468 752.78 TB through the capacity tiers ($40 to 1 000
    // TB, $30 to 10 000, $20 to 100 000, $12 above), 20 % off for the 5-year term, for
    // 31 of 365 days.
    let tb = 18_190.0 * 38.65471 * 8.0 / 12.0;
    let capacity = 1_000.0 * 40.0 + 9_000.0 * 30.0 + 90_000.0 * 20.0 + (tb - 100_000.0) * 12.0;
    let a = (800_360.0 * 500.0 + capacity) * 0.8 * 31.0 / 365.0;
    assert_eq!(cents(jan.licence_a_usd), cents(a));
    // Between zones: 45 PB a day × 31 days ÷ 1.2 ÷ 8/12 × 2/3 = 1 162.5 PB at $0.01/GiB.
    let crossing_gib = 1_162.5e15 / 1_073_741_824.0;
    assert_eq!(cents(jan.protection_usd), cents(crossing_gib * 0.01));
    // The object store: 450 PB at $0.020/GiB-month, and 1 395 PB changed in 64 MB
    // objects, each a Class A write at $0.05 per 10 000.
    let store = 450e15 / 1_073_741_824.0 * 0.02 + 1_395e15 / 64e6 * 0.05 / 10_000.0;
    assert_eq!(cents(r.months[0].object_store_usd.unwrap()), cents(store));
}

#[test]
fn each_year_lines_up_the_placements_and_names_the_cheapest() {
    let r = compute_priced(&with_cloud(z3())).unwrap();
    let c = r.summary.cloud.as_ref().unwrap();
    assert_eq!(c.cheapest_by_year.len(), r.years.len());
    for (y, cheapest_in) in r.years.iter().zip(&c.cheapest_by_year) {
        let p = y.placements.unwrap();
        // On-prem is the report's own total, to the cent.
        assert_eq!(cents(p.on_prem), cents(y.cost_usd.total), "{}", y.year);
        let months: Vec<_> = r
            .months
            .iter()
            .filter(|m| m.month.year() == y.year)
            .collect();
        let sum = |f: &dyn Fn(&lakeplan_models::report::MonthRow) -> f64| -> f64 {
            months.iter().map(|m| f(m)).sum()
        };
        let a = sum(&|m| {
            let c = m.cloud_cluster.unwrap();
            c.instances_usd + c.protection_usd + c.licence_a_usd
        });
        assert_eq!(cents(p.cloud_a), cents(a), "{}", y.year);
        assert_eq!(
            cents(p.object_store),
            cents(sum(&|m| m.object_store_usd.unwrap()))
        );
        let cheapest = Placement::ALL
            .into_iter()
            .reduce(|best, x| if p.get(x) < p.get(best) { x } else { best })
            .unwrap();
        assert_eq!(
            (cheapest_in.year, cheapest_in.placement),
            (y.year, cheapest)
        );
    }
}

/// The alignment rate, put in as the scenario's cloud rate, makes licence B over the term
/// cost what licence A does, to 1e-6.
#[test]
fn at_the_alignment_rate_licence_b_over_the_term_equals_licence_a() {
    let r = compute_priced(&with_cloud(z3())).unwrap();
    let c = r.summary.cloud.as_ref().unwrap();
    // The reference runs 48 months on a 5-year term: the whole horizon.
    assert_eq!(c.term_months, 48);
    let rate = c.alignment_rate_usd_per_tb_month.unwrap();
    let mut section = z3();
    section["cloud_rate_usd_per_tb_month"] = json!(rate);
    let aligned = compute_priced(&with_cloud(section)).unwrap();
    let (a, b): (f64, f64) = aligned.months.iter().fold((0.0, 0.0), |(a, b), m| {
        let c = m.cloud_cluster.unwrap();
        (a + c.licence_a_usd, b + c.licence_b_usd)
    });
    // Equal to the rounding of 48 sums of about $36 M each (1e-6 of A would be $1 713).
    assert!((a - b).abs() <= 1e-12 * a, "A {a} vs B {b}");
    let t = aligned.summary.cloud.as_ref().unwrap().term_usd;
    assert!((t.cloud_a - t.cloud_b).abs() <= 1e-12 * t.cloud_a);
}

#[test]
fn one_zone_is_protected_by_a_priced_copy_in_the_object_store() {
    let mut section = z3();
    section["across_zones"] = json!(false);
    let r = compute_priced(&with_cloud(section)).unwrap();
    for m in &r.months {
        assert_eq!(
            m.cloud_cluster.unwrap().protection_usd,
            m.object_store_usd.unwrap()
        );
    }
    let c = r.summary.cloud.as_ref().unwrap();
    assert!(
        c.protection
            .contains("copy of the lake is kept in the object store"),
        "{}",
        c.protection
    );
    let spread = compute_priced(&with_cloud(z3())).unwrap();
    let c = spread.summary.cloud.as_ref().unwrap();
    assert!(
        c.protection.contains("span the region's 3 zones"),
        "{}",
        c.protection
    );
    let used = |r: &Report, id: &str| r.assumptions.rows_used.iter().any(|u| u.id == id);
    assert!(used(&spread, "gcp.network.inter-zone") && !used(&r, "gcp.network.inter-zone"));
    assert!(used(&r, "gcp.storage.standard.us-central1"));
    assert!(used(&r, "gcp.instance.z3-highmem-88-highlssd.on-demand"));
    assert!(r
        .assumptions
        .needs_override
        .iter()
        .any(|id| id == "software.cloud-rate"));
}

fn error_at(s: &Scenario, path: &str) -> String {
    let errors = compute_priced(s).unwrap_err().0;
    errors
        .iter()
        .find(|e| e.path == path)
        .map(|e| e.message.clone())
        .unwrap_or_else(|| panic!("no error at {path}: {errors:?}"))
}

#[test]
fn an_instance_that_cannot_be_priced_is_refused_naming_the_field() {
    let mut section = z3();
    section["instance"] = json!("gcp.n2-standard-8");
    let e = error_at(&with_cloud(section), "cloud_cluster.instance");
    assert!(
        e.contains("gcp.z3-highmem-88-highlssd") && e.contains("\"gcp.n2-standard-8\""),
        "{e}"
    );
    // Another provider's instance for a lake in GCP.
    let mut section = z3();
    section["instance"] = json!("aws.i7ie.48xlarge");
    let e = error_at(&with_cloud(section), "cloud_cluster.instance");
    assert!(e.contains("lake's provider, gcp"), "{e}");
    // A type with no public price for the commitment: an error, never a zero.
    let mut section = z3();
    section["instance"] = json!("gcp.z3-highmem-176-standardlssd");
    let e = error_at(&with_cloud(section), "cloud_cluster.instance");
    assert!(e.contains("no on demand price"), "{e}");
    // The reference's own book, 2026-11, has no instance prices.
    let mut s = with_cloud(z3());
    s.pricing.price_book = "2026-11".into();
    let e = error_at(&s, "cloud_cluster.instance");
    assert!(
        e.contains("price book 2026-11 has no on demand price"),
        "{e}"
    );
    // Stripes over three zones need the parity of one zone's strips: 10+4 puts 5 in one.
    let mut section = z3();
    section["ec_data"] = json!(10);
    let mut doc = serde_json::to_value(reference_preset()).unwrap();
    doc["cloud_cluster"] = section;
    let e = Scenario::from_value(&doc).unwrap_err().0;
    assert_eq!(e[0].path, "cloud_cluster.ec_parity", "{e:?}");
    assert!(e[0].message.starts_with("must be at least 5"), "{e:?}");
    // In one zone the same stripe is fine, and an absurd throughput is refused.
    doc["cloud_cluster"]["across_zones"] = json!(false);
    assert!(Scenario::from_value(&doc).is_ok());
    doc["cloud_cluster"]["throughput_gbps"] = json!(1e20);
    let e = Scenario::from_value(&doc).unwrap_err().0;
    assert_eq!(e[0].path, "cloud_cluster.throughput_gbps", "{e:?}");
    // Ranges name the field and the range.
    let mut section = z3();
    section["ec_parity"] = json!(0);
    let mut doc = serde_json::to_value(reference_preset()).unwrap();
    doc["cloud_cluster"] = section;
    let e = Scenario::from_value(&doc).unwrap_err().0;
    assert_eq!(e[0].path, "cloud_cluster.ec_parity", "{e:?}");
    doc["cloud_cluster"] = json!({ "commitment": "2y" });
    let e = Scenario::from_value(&doc).unwrap_err().0;
    let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["cloud_cluster.instance", "cloud_cluster.commitment"],
        "{e:?}"
    );
}

/// Without the section the report is what it was: no cloud field in the JSON or the CSV.
#[test]
fn a_scenario_without_the_section_reports_no_cloud_figures() {
    let r = compute_priced(&reference_preset()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert!(v["summary"].get("cloud").is_none());
    assert!(v["months"][0].get("cloud_cluster").is_none());
    assert!(v["months"][0].get("object_store_usd").is_none());
    assert!(v["years"][0].get("placements").is_none());
    let csv = to_csv(&r);
    assert!(!csv.contains("cloud_instances") && !csv.contains("alignment_rate"));
    let with = to_csv(&compute_priced(&with_cloud(z3())).unwrap());
    let header = with.lines().next().unwrap();
    assert!(header.ends_with("cumulative_usd,cloud_instances,cloud_bound,cloud_usable_tb,cloud_raw_tb,cloud_licensed_tb,cloud_instances_usd,cloud_licence_a_usd,cloud_licence_b_usd,cloud_protection_usd,object_store_usd"), "{header}");
    assert!(with.contains("\nyear,object_store_usd,on_prem_usd,cloud_a_usd,cloud_b_usd,cheapest,object_store_usd_per_usable_tb_month,"));
}

fn placement_preset() -> Scenario {
    lakeplan_models::presets::get("lake-placement")
        .unwrap()
        .scenario()
        .unwrap()
}

/// The tornado over the cloud inputs: the instance's price moves licence B's placement
/// up with it, and a scenario without the section has no cloud tornado.
#[test]
fn the_cloud_tornado_moves_the_cloud_inputs() {
    use lakeplan_models::whatif::sensitivity::{sensitivity, SensitivityOptions};
    let t = sensitivity(&placement_preset(), &SensitivityOptions::default()).unwrap();
    let cloud = t.cloud.unwrap();
    let price = cloud
        .rows
        .iter()
        .find(|r| r.path == "pricing.overrides.gcp.instance.z3-highmem-88-highlssd.3y")
        .unwrap();
    assert_eq!(price.base_value, 5.85);
    assert!(price.output_high > cloud.base && cloud.base > price.output_low);
    // Instances are a cost proportional to the price: ±20 % of it is ±20 % of their part.
    let r = compute_priced(&placement_preset()).unwrap();
    let instances: f64 = r
        .months
        .iter()
        .map(|m| m.cloud_cluster.unwrap().instances_usd)
        .sum();
    assert!(((price.output_high - cloud.base) - 0.2 * instances).abs() <= 1e-6 * instances);
    assert!(cloud.rows.windows(2).all(|w| w[0].swing >= w[1].swing));
    assert!(
        cloud
            .sentence
            .starts_with("The cloud cluster under licence B"),
        "{}",
        cloud.sentence
    );
    let plain = sensitivity(&reference_preset(), &SensitivityOptions::default()).unwrap();
    assert!(plain.cloud.is_none());
}

/// The lake size where the cheapest placement over the term changes, to 1 TB: another
/// placement at the answer, the planned one a terabyte short of it.
#[test]
fn goal_seek_finds_the_lake_size_where_the_cheapest_placement_changes() {
    use lakeplan_models::whatif::goal_seek::{goal_seek, GoalSeekOptions};
    let s = placement_preset();
    let g = goal_seek(&s, &GoalSeekOptions::default()).unwrap();
    let p = g.placement.unwrap();
    let cheapest = |initial: f64| {
        let k = initial / s.lake.initial_pb;
        let mut t = s.clone();
        t.lake.initial_pb *= k;
        t.lake.target_pb = t.lake.target_pb.map(|x| x * k);
        t.network.seed_pb = t.network.seed_pb.map(|x| x * k);
        compute_priced(&t)
            .unwrap()
            .summary
            .cloud
            .unwrap()
            .term_usd
            .cheapest()
    };
    assert_eq!(cheapest(s.lake.initial_pb), p.cheapest);
    assert!(p.above.is_some() || p.below.is_some(), "{p:?}");
    if let Some(a) = p.above {
        assert_eq!(cheapest(a.initial_pb), a.placement);
        assert_eq!(cheapest(a.initial_pb - 0.001), p.cheapest);
    }
    if let Some(b) = p.below {
        assert_eq!(cheapest(b.initial_pb), b.placement);
        assert_eq!(cheapest(b.initial_pb + 0.001), p.cheapest);
    }
    assert!(p.sentence.starts_with("Over the term, "), "{}", p.sentence);
    let plain = goal_seek(&reference_preset(), &GoalSeekOptions::default()).unwrap();
    assert!(plain.placement.is_none());
}

/// The preset tells its story: the cheapest placement changes within the horizon, and
/// the sentences say where.
#[test]
fn the_placement_preset_reads_as_a_comparison() {
    let r = compute_priced(&placement_preset()).unwrap();
    let c = r.summary.cloud.as_ref().unwrap();
    assert!(!c.ranking_changes.is_empty());
    let change = c.ranking_changes[0];
    let last = c.sentences().pop().unwrap();
    assert!(
        last.contains(&format!(
            "from {}: {}",
            change.year,
            change.to.label().to_ascii_lowercase()
        )),
        "{last}"
    );
}
