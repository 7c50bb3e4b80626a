//! Plan comparison: "price the same cluster under a core + capacity licence and under a
//! capacity-only licence, over 3 and 5 years" (`docs/model.md#plan-comparison`).
//!
//! Every licence plan of the scenario's price book prices the scenario's own cluster: the
//! lake, the enclosures and the nodes do not depend on the licence, so only the licence
//! line of the cost changes from plan to plan, and the other lines are the report's.
//!
//! Choices:
//! - Years are contract years from the start month (year 1 is months 1–12), not calendar
//!   years: a contract's "3 years" is 36 months whenever it starts.
//! - The periods compared are 3 and 5 years and the scenario's term when it is neither.
//!   When the scenario looks less far ahead than the longest of them, the plan is priced
//!   over a horizon extended to cover it (the lake keeps following its curve), and the
//!   comparison says so: a 5-year figure is always five years of the lake.
//! - $/TB-month divides a period's cost by the effective capacity installed over it
//!   (usable × data reduction, summed over sites and months), as the report's
//!   `usd_per_effective_tb_month` does; the licence's own $/TB-month is given beside it.

use crate::calendar::Month;
use crate::display::usd_short;
use crate::report::{compute_priced, Report};
use crate::scenario::{Scenario, ScenarioErrors};
use crate::whatif::covering;

/// Every plan of the book on the same cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanComparison {
    pub price_book: String,
    /// The plan the scenario names (`pricing.plan`).
    pub scenario_plan: String,
    pub term_years: u32,
    /// The scenario's own horizon, and the months priced here (longer when a period
    /// compared runs past it).
    pub horizon_months: u32,
    pub months_priced: u32,
    /// The periods compared, in years, shortest first.
    pub periods: Vec<u32>,
    /// The book's plans in its order (sorted by id).
    pub plans: Vec<PlanCosts>,
    /// The plan that costs least over the term.
    pub cheapest_over_term: String,
    pub sentence: String,
}

/// One plan's cost on the scenario's cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanCosts {
    pub plan: String,
    pub is_scenario_plan: bool,
    /// Contract years, the first from the start month.
    pub years: Vec<PlanYear>,
    /// The periods compared, in the order of [`PlanComparison::periods`].
    pub periods: Vec<PlanPeriod>,
    pub sentence: String,
}

/// One contract year of a plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanYear {
    /// 1 for the first twelve months.
    pub year: u32,
    pub first_month: Month,
    /// Months of the year inside the months priced (12 except perhaps the last).
    pub months: u32,
    pub licence_usd: f64,
    pub total_usd: f64,
    pub cumulative_licence_usd: f64,
    pub cumulative_total_usd: f64,
}

/// A plan over the first `years` years.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlanPeriod {
    pub years: u32,
    pub months: u32,
    pub licence_usd: f64,
    pub total_usd: f64,
    /// Total cost ÷ effective TB-months installed over the period.
    pub usd_per_effective_tb_month: Option<f64>,
    /// Licence cost ÷ effective TB-months installed over the period.
    pub licence_usd_per_effective_tb_month: Option<f64>,
}

/// The periods compared for a term: 3 and 5 years, and the term itself.
fn periods(term_years: u32) -> Vec<u32> {
    let mut p = vec![3, 5];
    if !p.contains(&term_years) {
        let at = p.partition_point(|&y| y < term_years);
        p.insert(at, term_years);
    }
    p
}

/// The report of the scenario under `plan`, over `months` months.
fn report_under(s: &Scenario, plan: &str, months: u32) -> Result<Report, ScenarioErrors> {
    let mut s = covering(s, months);
    s.pricing.plan = plan.to_string();
    compute_priced(&s)
}

/// Prices every licence plan of the scenario's book on the scenario's cluster. Errors are
/// the scenario's own (an invalid scenario, or one the book cannot price).
///
/// ```
/// use lakeplan_models::presets;
/// use lakeplan_models::whatif::plans::compare_plans;
///
/// let s = presets::reference().scenario().unwrap();
/// let c = compare_plans(&s).unwrap();
/// assert_eq!(c.periods, [3, 5]);
/// assert_eq!(c.months_priced, 60); // the reference plan looks 48 months ahead
/// assert!(c.plans.iter().any(|p| p.plan == "capacity-only"));
/// assert!(!c.sentence.is_empty());
/// ```
pub fn compare_plans(s: &Scenario) -> Result<PlanComparison, ScenarioErrors> {
    // The scenario itself first, so its own problems are reported as they are.
    let own = compute_priced(s)?;
    let book = crate::priced::book_for(s, &own.price_book)?;
    let term = s.pricing.term_years;
    let periods = periods(term);
    let longest = periods.last().copied().unwrap_or(term);
    let months_priced = s
        .horizon_months
        .max((longest * 12).min(super::MAX_HORIZON_MONTHS));
    let mut plans = Vec::new();
    for plan in book.plans() {
        let report = report_under(s, plan, months_priced)?;
        plans.push(costs_of(&report, plan, plan == s.pricing.plan, &periods));
    }
    let term_index = periods.iter().position(|&y| y == term).unwrap_or(0);
    let cheapest = plans
        .iter()
        .min_by(|a, b| {
            let (x, y) = (
                a.periods[term_index].total_usd,
                b.periods[term_index].total_usd,
            );
            x.total_cmp(&y)
        })
        .map(|p| p.plan.clone())
        .unwrap_or_default();
    let sentence = overall_sentence(&plans, &cheapest, term_index, term, s, months_priced);
    Ok(PlanComparison {
        price_book: own.price_book,
        scenario_plan: s.pricing.plan.clone(),
        term_years: term,
        horizon_months: s.horizon_months,
        months_priced,
        periods,
        plans,
        cheapest_over_term: cheapest,
        sentence,
    })
}

/// One plan's years and periods from its report.
fn costs_of(report: &Report, plan: &str, is_scenario_plan: bool, periods: &[u32]) -> PlanCosts {
    let months = &report.months;
    let mut years: Vec<PlanYear> = Vec::new();
    let (mut cum_licence, mut cum_total) = (0.0, 0.0);
    for (i, chunk) in months.chunks(12).enumerate() {
        let licence: f64 = chunk.iter().map(|m| m.cost_usd.licence).sum();
        let total: f64 = chunk.iter().map(|m| m.cost_usd.total).sum();
        cum_licence += licence;
        cum_total += total;
        if let Some(first) = chunk.first() {
            years.push(PlanYear {
                year: i as u32 + 1,
                first_month: first.month,
                months: chunk.len() as u32,
                licence_usd: licence,
                total_usd: total,
                cumulative_licence_usd: cum_licence,
                cumulative_total_usd: cum_total,
            });
        }
    }
    let periods: Vec<PlanPeriod> = periods
        .iter()
        .map(|&y| {
            let n = (y as usize * 12).min(months.len());
            let span = &months[..n];
            let licence: f64 = span.iter().map(|m| m.cost_usd.licence).sum();
            let total: f64 = span.iter().map(|m| m.cost_usd.total).sum();
            let tb_months: f64 = span
                .iter()
                .flat_map(|m| m.sites.iter().map(|s| s.effective_pb * 1000.0))
                .sum();
            let per = |usd: f64| (tb_months > 0.0).then(|| usd / tb_months);
            PlanPeriod {
                years: y,
                months: n as u32,
                licence_usd: licence,
                total_usd: total,
                usd_per_effective_tb_month: per(total),
                licence_usd_per_effective_tb_month: per(licence),
            }
        })
        .collect();
    let sentence = match periods.last() {
        Some(p) => format!(
            "Under {plan}, the cluster's licences cost {} over {} years, {} in all with \
             hardware, power, space and the network: {} per effective TB-month.",
            usd_short(p.licence_usd),
            p.years,
            usd_short(p.total_usd),
            p.usd_per_effective_tb_month.map_or(
                "no capacity to divide by".to_string(),
                |v| format!("${}", crate::display::significant(v, 3))
            ),
        ),
        None => format!("{plan} has no period to price."),
    };
    PlanCosts {
        plan: plan.to_string(),
        is_scenario_plan,
        years,
        periods,
        sentence,
    }
}

fn overall_sentence(
    plans: &[PlanCosts],
    cheapest: &str,
    term_index: usize,
    term: u32,
    s: &Scenario,
    months_priced: u32,
) -> String {
    let over_term = |p: &PlanCosts| p.periods.get(term_index).map_or(0.0, |x| x.total_usd);
    let Some(best) = plans.iter().find(|p| p.plan == cheapest) else {
        return "The price book has no licence plan to compare.".to_string();
    };
    let mut text = if plans.len() == 1 {
        format!(
            "The price book has one licence plan, {cheapest}: {} over the {term}-year term.",
            usd_short(over_term(best))
        )
    } else {
        let others: Vec<String> = plans
            .iter()
            .filter(|p| p.plan != cheapest)
            .map(|p| {
                let more = over_term(p) - over_term(best);
                format!(
                    "{} costs {} more ({})",
                    p.plan,
                    usd_short(more),
                    usd_short(over_term(p))
                )
            })
            .collect();
        format!(
            "Over the {term}-year term, {cheapest} is the cheapest licence for this cluster at {} \
             in all; {}.",
            usd_short(over_term(best)),
            others.join("; ")
        )
    };
    if months_priced > s.horizon_months {
        text.push_str(&format!(
            " The plan looks {} months ahead, so the lake was followed to month {months_priced} \
             to price the longer periods.",
            s.horizon_months
        ));
    }
    text
}

/// The comparison as CSV: one row per plan and contract year, then one per plan and
/// period, with raw numbers (units in the headers), so the server can export it beside
/// the report's CSV. Numbers are in Rust's shortest round-trip form.
pub fn plans_to_csv(c: &PlanComparison) -> String {
    let mut out = String::from(
        "plan,scenario_plan,row,first_month,months,licence_usd,total_usd,\
         cumulative_licence_usd,cumulative_total_usd,usd_per_effective_tb_month,\
         licence_usd_per_effective_tb_month\n",
    );
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for p in &c.plans {
        for y in &p.years {
            out.push_str(&format!(
                "{},{},year {},{},{},{},{},{},{},,\n",
                csv_field(&p.plan),
                p.is_scenario_plan,
                y.year,
                y.first_month,
                y.months,
                y.licence_usd,
                y.total_usd,
                y.cumulative_licence_usd,
                y.cumulative_total_usd
            ));
        }
    }
    for p in &c.plans {
        let first = p
            .years
            .first()
            .map_or(String::new(), |y| y.first_month.to_string());
        for q in &p.periods {
            out.push_str(&format!(
                "{},{},{} years,{},{},{},{},{},{},{},{}\n",
                csv_field(&p.plan),
                p.is_scenario_plan,
                q.years,
                first,
                q.months,
                q.licence_usd,
                q.total_usd,
                q.licence_usd,
                q.total_usd,
                opt(q.usd_per_effective_tb_month),
                opt(q.licence_usd_per_effective_tb_month)
            ));
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub(crate) fn csv_field(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_csv_field(&mut out, text);
    out
}

/// [`csv_field`] written onto `out`, without a string of its own (a sweep writes every
/// row's cells this way).
pub(crate) fn push_csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::reference_scenario;

    #[test]
    fn periods_include_the_term() {
        assert_eq!(periods(5), [3, 5]);
        assert_eq!(periods(3), [3, 5]);
        assert_eq!(periods(4), [3, 4, 5]);
        assert_eq!(periods(7), [3, 5, 7]);
        assert_eq!(periods(1), [1, 3, 5]);
    }

    /// Each plan's figures are its own report's: the licence over five years is what the
    /// report under that plan charges in its first 60 months, and the other lines are the
    /// same for every plan.
    #[test]
    fn every_plan_prices_the_same_cluster() {
        let s = reference_scenario();
        let c = compare_plans(&s).expect("compares");
        assert_eq!(c.plans.len(), 2);
        assert_eq!(c.months_priced, 60);
        let mut non_licence = Vec::new();
        for p in &c.plans {
            let r = report_under(&s, &p.plan, 60).expect("report");
            let licence: f64 = r.months.iter().map(|m| m.cost_usd.licence).sum();
            let total: f64 = r.months.iter().map(|m| m.cost_usd.total).sum();
            let five = &p.periods[1];
            assert_eq!((five.years, five.months), (5, 60));
            assert!((five.licence_usd - licence).abs() <= 1e-6 * licence);
            assert!((five.total_usd - total).abs() <= 1e-6 * total);
            assert_eq!(p.years.len(), 5);
            assert!((p.years[4].cumulative_total_usd - total).abs() <= 1e-6 * total);
            non_licence.push(total - licence);
            // Three years are the first three contract years.
            let three: f64 = p.years[..3].iter().map(|y| y.total_usd).sum();
            assert!((p.periods[0].total_usd - three).abs() <= 1e-6 * three);
            assert!(p.sentence.contains(&p.plan));
        }
        assert!((non_licence[0] - non_licence[1]).abs() <= 1e-6 * non_licence[0]);
        // Both placeholder plans charge a licence, and they differ.
        assert_ne!(
            c.plans[0].periods[1].licence_usd,
            c.plans[1].periods[1].licence_usd
        );
        let cheapest = c
            .plans
            .iter()
            .min_by(|a, b| a.periods[1].total_usd.total_cmp(&b.periods[1].total_usd))
            .expect("a plan");
        assert_eq!(c.cheapest_over_term, cheapest.plan);
        assert!(c.sentence.contains(&c.cheapest_over_term), "{}", c.sentence);
        assert!(c.sentence.contains("month 60"), "{}", c.sentence);
    }

    #[test]
    fn dollars_per_tb_month_divide_by_effective_capacity() {
        let s = reference_scenario();
        let c = compare_plans(&s).expect("compares");
        let r = report_under(&s, &c.plans[0].plan, 60).expect("report");
        let tb_months: f64 = r.months[..36]
            .iter()
            .flat_map(|m| m.sites.iter().map(|x| x.effective_pb * 1000.0))
            .sum();
        let three = &c.plans[0].periods[0];
        let expect = three.total_usd / tb_months;
        let got = three.usd_per_effective_tb_month.expect("capacity");
        assert!((got - expect).abs() <= 1e-12 * expect);
    }

    #[test]
    fn the_csv_has_a_row_per_year_and_period() {
        let c = compare_plans(&reference_scenario()).expect("compares");
        let csv = plans_to_csv(&c);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 2 * 5 + 2 * 2);
        assert!(lines[0].starts_with("plan,scenario_plan,row"));
        let cols = lines[0].split(',').count();
        assert!(lines.iter().all(|l| l.split(',').count() == cols), "{csv}");
        assert!(csv.contains(",year 1,2026-01,12,"));
        assert!(csv.contains(",5 years,2026-01,60,"));
        assert_eq!(csv_field("a,b"), "\"a,b\"");
    }

    #[test]
    fn an_invalid_scenario_is_reported_by_field() {
        let mut s = reference_scenario();
        s.pricing.plan = "gold".into();
        let e = compare_plans(&s).unwrap_err();
        assert_eq!(e.0[0].path, "pricing.plan");
    }
}
