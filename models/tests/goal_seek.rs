//! Each goal-seek answer checked against the full report: recomputed at the answer it
//! holds, and one step short of the answer it does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{preset, reference_preset};
use lakeplan_models::presets;
use lakeplan_models::report::{compute_priced, Report};
use lakeplan_models::scenario::{CurveKind, Scenario};
use lakeplan_models::topology::Topology;
use lakeplan_models::whatif::goal_seek::{
    break_evens, goal_seek, max_change, next_enclosures, ports_for_every_month,
    ports_to_seed_within, GoalSeekOptions,
};
use serde_json::json;

fn report(s: &Scenario) -> Report {
    compute_priced(s).unwrap()
}

/// Every path of the link's kind is feasible in every month.
fn link_feasible(r: &Report, field: &str) -> bool {
    let cloud = field == "links.cloud.ports";
    r.months.iter().all(|m| {
        m.paths
            .iter()
            .filter(|p| p.name.starts_with("cloud →") == cloud)
            .all(|p| p.feasible)
    })
}

fn set_ports(s: &mut Scenario, field: &str, n: u32) {
    match field {
        "links.cloud.ports" => s.links.cloud.ports = n,
        "links.inter_site.ports" => s.links.inter_site.ports = n,
        other => panic!("unexpected field {other}"),
    }
}

/// Scenarios that exercise the answers differently: the reference chain (saturated from
/// the start), a fan-out to three sites, a small pilot, a busy-day surge in a short
/// window, and a PB-per-month change.
fn cases() -> Vec<(String, Scenario)> {
    let mut out = Vec::new();
    for p in presets::all() {
        out.push((p.id.to_string(), p.scenario().unwrap()));
    }
    let mut fan = reference_preset();
    fan.network.topology = Topology::FanOut;
    let mut third = fan.sites[0].clone();
    third.name = "Region 3".into();
    third.copy_fraction = 0.5;
    fan.sites.push(third);
    out.push(("fan-out of three".into(), fan));
    let mut surge = reference_preset();
    surge.change.window_hours = 8.0;
    surge.change.peak_to_mean = 1.7;
    surge.horizon_months = 60;
    out.push(("busy-day surge".into(), surge));
    let mut monthly = reference_preset();
    monthly.change.basis = lakeplan_models::change::ChangeBasis::PbPerMonth;
    monthly.change.value = 600.0;
    out.push(("PB per month".into(), monthly));
    out
}

#[test]
fn ports_answers_are_the_fewest_that_keep_every_month_feasible() {
    for (name, s) in cases() {
        let answers = ports_for_every_month(&s);
        assert!(!answers.is_empty(), "{name}");
        for a in answers {
            let n = a.needed.unwrap();
            let mut at = s.clone();
            set_ports(&mut at, &a.field, n);
            assert!(link_feasible(&report(&at), &a.field), "{name}: {}", a.field);
            if n > 1 {
                set_ports(&mut at, &a.field, n - 1);
                assert!(
                    !link_feasible(&report(&at), &a.field),
                    "{name}: {} with {} ports is still feasible",
                    a.field,
                    n - 1
                );
            }
            // The answer is what the report itself says each path needs at most.
            let r = report(&s);
            let most = (0..r.months[0].paths.len())
                .filter(|&j| {
                    r.months[0].paths[j].name.starts_with("cloud →")
                        == (a.field == "links.cloud.ports")
                })
                .map(|j| r.max_ports_needed(j))
                .max()
                .unwrap();
            assert_eq!(u64::from(n), most.max(1), "{name}: {}", a.field);
            assert!(a.sentence.contains(&a.field), "{}", a.sentence);
        }
    }
}

#[test]
fn the_highest_change_fits_and_one_step_more_does_not() {
    for (name, s) in cases() {
        let a = max_change(&s);
        assert!(!a.capped, "{name}");
        let mut at = s.clone();
        at.change.value = a.value;
        let r = report(&at);
        assert_eq!(
            r.summary.first_infeasible_month, None,
            "{name} at {}",
            a.value
        );
        at.change.value = a.value + a.step;
        let r = report(&at);
        assert!(
            r.summary.first_infeasible_month.is_some(),
            "{name}: {} + {} still fits",
            a.value,
            a.step
        );
        // Three significant figures.
        assert!(
            a.value / a.step >= 100.0 && a.value / a.step < 1000.0,
            "{name}: {a:?}"
        );
        assert!(a.sentence.contains("at most"), "{}", a.sentence);
    }
}

#[test]
fn a_link_that_carries_everything_is_capped_at_100_percent() {
    let mut s = preset("two-cluster-pilot");
    s.links.cloud.ports = 10_000;
    s.links.inter_site.ports = 10_000;
    let a = max_change(&s);
    assert!(a.capped);
    assert_eq!(a.value, 100.0);
    assert!(a.sentence.contains("100 %"), "{}", a.sentence);
}

#[test]
fn saturation_months_are_where_the_report_turns_infeasible() {
    for (name, s) in cases() {
        let r = report(&s);
        let g = goal_seek(&s, &GoalSeekOptions::default()).unwrap();
        assert_eq!(g.saturation.len(), r.months[0].paths.len());
        for (j, a) in g.saturation.iter().enumerate() {
            match a.month_index {
                Some(i) => {
                    let i = i as usize;
                    assert!(!r.months[i].paths[j].feasible, "{name}");
                    if i > 0 {
                        assert!(r.months[i - 1].paths[j].feasible, "{name}");
                    }
                    assert_eq!(a.month, Some(r.months[i].month));
                    assert!(a.peak_gbps > a.payload_capacity_gbps);
                }
                None => assert!(r.months.iter().all(|m| m.paths[j].feasible), "{name}"),
            }
        }
    }
}

#[test]
fn seeding_ports_finish_in_time_and_one_fewer_does_not() {
    for (name, s) in cases() {
        for days in [30.0, 90.0, 365.0] {
            let a = ports_to_seed_within(&s, days).unwrap();
            let mut at = s.clone();
            for l in &a.links {
                set_ports(&mut at, &l.field, l.needed.unwrap());
            }
            let seeded = report(&at).summary.seed_days.unwrap();
            assert!(seeded <= days, "{name}: {seeded} days > {days}");
            assert_eq!(a.seed_days_at_answer, Some(seeded));
            for l in &a.links {
                let n = l.needed.unwrap();
                if n > 1 {
                    let mut fewer = at.clone();
                    set_ports(&mut fewer, &l.field, n - 1);
                    let slower = report(&fewer).summary.seed_days;
                    assert!(
                        slower.is_none_or(|d| d > days),
                        "{name}: {} with {} ports still seeds in {slower:?} days",
                        l.field,
                        n - 1
                    );
                }
            }
        }
    }
}

#[test]
fn seeding_needs_a_positive_number_of_days() {
    let s = reference_preset();
    for bad in [0.0, -3.0, f64::NAN, f64::INFINITY] {
        let e = ports_to_seed_within(&s, bad).unwrap_err();
        assert_eq!(e.0[0].path, "seed_within_days");
    }
}

/// The example of docs/model.md#seeding-the-first-copy: with 53 ports (one month, 450 PB
/// at 10 %/day), seeding takes 1 134 days, and 64 ports take 45.8: asking for 46 days
/// gives 64 ports.
#[test]
fn seeding_matches_the_model_example() {
    let mut s = reference_preset();
    s.horizon_months = 1;
    s.sites.truncate(1);
    let a = ports_to_seed_within(&s, 46.0).unwrap();
    assert_eq!(a.links.len(), 1);
    assert_eq!(a.links[0].needed, Some(64));
}

#[test]
fn break_even_core_price_is_where_the_plans_cross() {
    for (name, s) in cases() {
        let answers = break_evens(&s).unwrap();
        assert!(!answers.is_empty(), "{name}");
        for a in answers {
            let rate = a.usd_per_core_year.expect("a break-even");
            let field = a.field.clone().expect("a flat per-core rate");
            let override_id = field.strip_prefix("pricing.overrides.").unwrap();
            let total = |plan: &str, rate: Option<f64>| {
                let mut t = s.clone();
                t.horizon_months = a.months;
                t.pricing.plan = plan.to_string();
                if let Some(r) = rate {
                    t.pricing
                        .overrides
                        .insert(override_id.to_string(), json!(r));
                }
                report(&t).summary.total_cost_usd
            };
            let against = total(&a.against, None);
            assert!(
                total(&a.plan, Some(rate)) <= against,
                "{name}: {} at {rate} costs more than {}",
                a.plan,
                a.against
            );
            assert!(
                total(&a.plan, Some(rate + 0.01)) > against,
                "{name}: {} at {rate} + 1 cent still costs no more",
                a.plan
            );
            assert!(a.sentence.contains("per core-year"), "{}", a.sentence);
        }
    }
}

#[test]
fn next_enclosure_lake_size_is_exact_to_the_terabyte() {
    for (name, s) in cases() {
        let r = report(&s);
        for (i, a) in next_enclosures(&s, &r).iter().enumerate() {
            // A lake that stays at the answer's size, and one a terabyte smaller.
            let flat = |pb: f64| {
                let mut t = s.clone();
                t.lake.curve = CurveKind::Linear;
                t.lake.initial_pb = pb;
                t.lake.target_pb = Some(pb);
                t.network.seed_pb = Some(0.0);
                t.horizon_months = 1;
                report(&t).months[0].sites[i].enclosures_needed
            };
            assert_eq!(flat(a.lake_pb), a.next, "{name}: {}", a.site);
            assert_eq!(flat(a.lake_pb - 0.001), a.installed, "{name}: {}", a.site);
            assert_eq!(a.installed, r.months[0].sites[i].enclosures);
            // The plan's first expansion of the site is the month the lake gets there.
            let grows = r
                .expansion
                .iter()
                .filter(|e| *e.site == *a.site && e.enclosures_added > 0)
                .nth(1)
                .map(|e| e.month);
            assert_eq!(a.month, grows, "{name}: {}", a.site);
            assert!(a.sentence.contains(&a.site), "{}", a.sentence);
        }
    }
}

#[test]
fn the_sentences_read_for_the_reference_case() {
    let s = reference_preset();
    let g = goal_seek(
        &s,
        &GoalSeekOptions {
            seed_within_days: Some(30.0),
        },
    )
    .unwrap();
    let all: Vec<&str> = g
        .ports
        .iter()
        .map(|a| a.sentence.as_str())
        .chain([g.max_change.sentence.as_str()])
        .chain(g.saturation.iter().map(|a| a.sentence.as_str()))
        .chain(g.seed_ports.iter().map(|a| a.sentence.as_str()))
        .chain(g.break_even.iter().map(|a| a.sentence.as_str()))
        .chain(g.next_enclosure.iter().map(|a| a.sentence.as_str()))
        .collect();
    for line in &all {
        assert!(line.ends_with('.'), "{line}");
        assert!(!line.contains("NaN") && !line.contains("inf"), "{line}");
    }
    assert!(g.saturation[0]
        .sentence
        .starts_with("cloud → Region 1 is saturated from the first month (2026-01)"));
    // The whole answer serialises for the UI.
    let json = serde_json::to_string(&g).unwrap();
    assert!(json.contains("\"sentence\""));
    if std::env::var_os("SHOW").is_some() {
        for line in all {
            println!("{line}");
        }
    }
}
