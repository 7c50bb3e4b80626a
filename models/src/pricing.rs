//! Licence plans and the other prices a report needs (`docs/model.md#pricing`).
//!
//! Plans are data, not code: a plan is a list of components, each a yearly rate on a
//! basis, with optional graduated volume tiers and term discounts. The price book (another
//! module, fed by CSV rows with sources and dates) builds a [`Prices`]; the model only
//! computes with it.
//!
//! Choices where the spec is silent:
//! - Every licence basis is a yearly subscription, charged per calendar month pro rata
//!   by days (days in month / days in that year), so a full year of constant quantities
//!   costs exactly the yearly rate.
//! - Each site is its own cluster and is licensed on its own: volume tiers and flat fees
//!   apply per site. (An aggregate contract can be modelled as one site.)
//! - Tiers are graduated, like egress tiers: each tier's rate applies to the part of the
//!   quantity inside it; past the last bound the last rate applies.
//! - A term discount applies to the whole component when the contract term is at least its
//!   `min_years`; the largest such discount wins.
//! - Hardware is bought in the month it is installed (no financing); support is a yearly
//!   percentage of the hardware bought so far, charged monthly pro rata by days.
//! - Space priced per kW-month applies to the IT load (before PUE), as colocation is sold;
//!   space is a monthly fee, charged whole for each calendar month.
//! - Port-hours are for the ports configured, not the ports needed: that is what is rented.

use crate::calendar::Month;
use crate::cluster::Footprint;
use crate::egress::EgressRate;
use crate::units::{Bytes, Usd, UsdPerHour, UsdPerRequest};

/// What a licence component counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    PerCoreYear,
    /// Per decimal TB of installed usable capacity, per year.
    PerUsableTbYear,
    /// Per decimal TB of installed usable capacity × data reduction, per year.
    PerEffectiveTbYear,
    PerEnclosureYear,
    PerNodeYear,
    /// A fixed fee per cluster per year.
    FlatPerYear,
}

/// A graduated band: `rate` per unit per year for the quantity up to `up_to`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuantityTier {
    pub up_to: Option<f64>,
    pub rate: f64,
}

/// A discount for committing to a term of at least `min_years`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TermDiscount {
    pub min_years: u32,
    /// 0.15 for 15 % off.
    pub fraction: f64,
}

/// One line of a licence plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Component {
    pub name: String,
    pub basis: Basis,
    /// Dollars per unit per year; used when `tiers` is empty.
    pub rate: f64,
    #[serde(default)]
    pub tiers: Vec<QuantityTier>,
    #[serde(default)]
    pub term_discounts: Vec<TermDiscount>,
}

/// A licence plan: the sum of its components.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub name: String,
    pub components: Vec<Component>,
}

/// What a cluster has, for licensing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Quantities {
    pub cores: u64,
    pub usable: Bytes,
    pub effective: Bytes,
    pub enclosures: u64,
    pub nodes: u64,
}

/// The quantity a component of `basis` counts in a cluster with `q`.
#[inline]
fn quantity(basis: Basis, q: &Quantities) -> f64 {
    match basis {
        Basis::PerCoreYear => q.cores as f64,
        Basis::PerUsableTbYear => q.usable.tb(),
        Basis::PerEffectiveTbYear => q.effective.tb(),
        Basis::PerEnclosureYear => q.enclosures as f64,
        Basis::PerNodeYear => q.nodes as f64,
        Basis::FlatPerYear => 1.0,
    }
}

impl Component {
    /// The discount that applies for a term of `term_years`.
    pub fn discount(&self, term_years: u32) -> f64 {
        self.term_discounts
            .iter()
            .filter(|d| term_years >= d.min_years)
            .map(|d| d.fraction)
            .fold(0.0, f64::max)
    }

    /// The yearly charge for a cluster with `q`, before the term discount.
    pub fn list_per_year(&self, q: &Quantities) -> Usd {
        let n = quantity(self.basis, q);
        if self.tiers.is_empty() {
            return Usd(n * self.rate);
        }
        let mut total = 0.0;
        let mut lower = 0.0;
        for (i, t) in self.tiers.iter().enumerate() {
            let last = i + 1 == self.tiers.len();
            let upper = match t.up_to {
                Some(u) if !last => u,
                _ => f64::INFINITY,
            };
            let part = upper.min(n) - lower;
            if part > 0.0 {
                total += part * t.rate;
            }
            if upper >= n {
                break;
            }
            lower = upper;
        }
        Usd(total)
    }

    /// The yearly charge after the term discount.
    pub fn per_year(&self, q: &Quantities, term_years: u32) -> Usd {
        self.list_per_year(q) * (1.0 - self.discount(term_years))
    }

    /// A copy with every rate (flat and tiered) multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Component {
        let mut c = self.clone();
        c.rate *= k;
        for t in &mut c.tiers {
            t.rate *= k;
        }
        c
    }
}

impl Plan {
    pub fn per_year(&self, q: &Quantities, term_years: u32) -> Usd {
        self.components
            .iter()
            .map(|c| c.per_year(q, term_years))
            .sum()
    }

    /// The charge for calendar month `month`: yearly × days in month / days in year.
    pub fn for_month(&self, q: &Quantities, term_years: u32, month: Month) -> Usd {
        self.per_year(q, term_years) * month.year_share()
    }

    /// The plan under a `term_years` contract, its discounts and tiers settled once: for
    /// pricing many clusters and months under one term, as a report does every site and
    /// month and a Monte Carlo trial every site and month of ten thousand trials.
    pub fn for_term(&self, term_years: u32) -> TermPlan {
        TermPlan {
            components: self
                .components
                .iter()
                .map(|c| TermComponent {
                    basis: c.basis,
                    rate: c.rate,
                    steps: TierStep::of(&c.tiers),
                    paid: 1.0 - c.discount(term_years),
                })
                .collect(),
        }
    }

    /// The plan's cost over a series of months, each with one or more clusters.
    pub fn over(&self, months: &[(Month, Vec<Quantities>)], term_years: u32) -> Usd {
        months
            .iter()
            .flat_map(|(m, sites)| sites.iter().map(move |q| self.for_month(q, term_years, *m)))
            .sum()
    }
}

/// A [`Plan`] under one contract term ([`Plan::for_term`]). It charges exactly what the
/// plan does for that term, to the bit, without looking the term discounts up or walking
/// the tiers below the quantity on every call.
#[derive(Debug, Clone, PartialEq)]
pub struct TermPlan {
    components: Vec<TermComponent>,
}

/// A component under the term: its list price as steps, and the share of it paid after
/// the term discount.
#[derive(Debug, Clone, PartialEq)]
struct TermComponent {
    basis: Basis,
    /// The flat rate, when there are no tiers.
    rate: f64,
    steps: Vec<TierStep>,
    paid: f64,
}

/// A tier as [`Component::list_per_year`] walks it: its bounds, its rate and what every
/// tier below it charges in all when the quantity is past them.
///
/// The walk adds the tiers' parts in order and stops at the first tier whose upper bound
/// reaches the quantity; every tier before that one is whole, so what it adds does not
/// depend on the quantity. Those sums, made in the same order with the same operations,
/// are `below`: the charge is `below` plus the part inside the tier that holds the
/// quantity, the very additions the walk makes, so it has the same bits
/// (`tiered_steps_charge_what_the_walk_does`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct TierStep {
    lower: f64,
    upper: f64,
    rate: f64,
    below: f64,
}

impl TierStep {
    /// The steps of `tiers` (none for a flat rate): bounds as the walk reads them (the
    /// last tier, and a tier without a bound, open above).
    fn of(tiers: &[QuantityTier]) -> Vec<TierStep> {
        let mut steps = Vec::with_capacity(tiers.len());
        let (mut lower, mut below) = (0.0, 0.0);
        for (i, t) in tiers.iter().enumerate() {
            let upper = match t.up_to {
                Some(u) if i + 1 < tiers.len() => u,
                _ => f64::INFINITY,
            };
            steps.push(TierStep {
                lower,
                upper,
                rate: t.rate,
                below,
            });
            let part = upper - lower;
            if part > 0.0 {
                below += part * t.rate;
            }
            lower = upper;
        }
        steps
    }

    /// The charge for `n` when this is the tier the walk stops at.
    #[inline]
    fn charge(&self, n: f64) -> f64 {
        // `self.upper.min(n)` as a comparison (the bound is never NaN; a NaN `n` gives the
        // bound, as `min` does): in WebAssembly `f64::min` is a call to `fmin`, as
        // `f64.min` treats NaN otherwise.
        let inside = if n < self.upper { n } else { self.upper };
        let part = inside - self.lower;
        if part > 0.0 {
            self.below + part * self.rate
        } else {
            self.below
        }
    }
}

impl TermComponent {
    /// [`Component::list_per_year`], from the steps.
    #[inline]
    fn list_per_year(&self, q: &Quantities) -> f64 {
        let n = quantity(self.basis, q);
        let Some(last) = self.steps.last() else {
            return n * self.rate;
        };
        self.steps
            .iter()
            .find(|s| s.upper >= n)
            .unwrap_or(last)
            .charge(n)
    }
}

impl TermPlan {
    /// [`Plan::per_year`] for this term.
    #[inline]
    pub fn per_year(&self, q: &Quantities) -> Usd {
        self.components
            .iter()
            .map(|c| Usd(c.list_per_year(q)) * c.paid)
            .sum()
    }

    /// [`Plan::for_month`] for this term.
    pub fn for_month(&self, q: &Quantities, month: Month) -> Usd {
        self.per_year(q) * month.year_share()
    }
}

/// The rate of `plan_a`'s component `component` at which `plan_a` costs the same as
/// `plan_b` over `months`: "at what $/core do they break even?". The component's prices
/// (flat rate and tiers) are scaled together; the answer is the flat rate (or the first
/// tier's rate) at break-even. `None` when the component does not change the cost (no
/// such component, or zero quantity) or when break-even needs a negative price.
pub fn break_even_rate(
    plan_a: &Plan,
    component: usize,
    plan_b: &Plan,
    months: &[(Month, Vec<Quantities>)],
    term_years: u32,
) -> Option<f64> {
    let base = plan_a.components.get(component)?;
    let base_rate = base.tiers.first().map_or(base.rate, |t| t.rate);
    let with = |k: f64| {
        let mut p = plan_a.clone();
        p.components[component] = base.scaled(k);
        p.over(months, term_years).0
    };
    // Cost is linear in the scale: a(k) = a0 + k·slope.
    let a0 = with(0.0);
    let slope = with(1.0) - a0;
    let target = plan_b.over(months, term_years).0;
    if slope <= 0.0 || base_rate <= 0.0 {
        return None;
    }
    let k = (target - a0) / slope;
    (k >= 0.0).then_some(k * base_rate)
}

/// How space is charged.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "usd")]
pub enum SpaceRate {
    /// Dollars per kW of IT load per month (wholesale colocation).
    PerKwMonth(f64),
    /// Dollars per rack per month (retail colocation).
    PerRackMonth(f64),
}

impl SpaceRate {
    /// A month's space for a site standing in `footprint`: its IT load or its racks.
    #[inline]
    pub fn per_month(self, footprint: &Footprint) -> f64 {
        match self {
            SpaceRate::PerKwMonth(rate) => footprint.power_kw * rate,
            SpaceRate::PerRackMonth(rate) => footprint.racks as f64 * rate,
        }
    }
}

/// Every price a report needs, in model units. The price book builds it from its rows
/// (and the scenario's overrides); tests build it from `shared/price-facts.md`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prices {
    /// The price-book version that supplied these prices, written into the report.
    pub book: String,
    /// Egress from the cloud to the sites.
    pub egress: EgressRate,
    /// Per-object read charges at the source; `None` when the source charges none.
    pub request: Option<UsdPerRequest>,
    /// One port of `links.cloud` at its speed, per hour.
    pub cloud_port: UsdPerHour,
    /// One port of `links.inter_site` at its speed, per hour (a carrier circuit).
    pub inter_site_port: UsdPerHour,
    pub licence: Plan,
    pub enclosure: Usd,
    pub node: Usd,
    pub switch: Usd,
    /// Yearly support as a fraction of hardware bought (0.15 for 15 %).
    pub support_fraction_per_year: f64,
    pub power_usd_per_kwh: f64,
    pub pue: f64,
    pub space: SpaceRate,
    /// The cloud placements' prices, when the scenario has a `cloud_cluster` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<crate::cloud::CloudPrices>,
}

/// A month's charges, each from what the month has: the report's month rows and the
/// Monte Carlo's trials both price a month with these.
impl Prices {
    /// Hardware bought in a month: the enclosures, nodes and switches a site added.
    #[inline]
    pub fn hardware_usd(&self, enclosures: u64, nodes: u64, switches: u64) -> f64 {
        enclosures as f64 * self.enclosure.0
            + nodes as f64 * self.node.0
            + switches as f64 * self.switch.0
    }

    /// Port-hours of a month of `hours`: `cloud_ports` and `inter_site_ports` configured
    /// (rented, whether needed or not) over all paths.
    #[inline]
    pub fn ports_usd(&self, cloud_ports: f64, inter_site_ports: f64, hours: f64) -> Usd {
        self.cloud_port.cost(cloud_ports, hours)
            + self.inter_site_port.cost(inter_site_ports, hours)
    }

    /// A month's support on `capex`, the hardware bought so far, for a month that is
    /// `year_share` of its year.
    #[inline]
    pub fn support_usd(&self, capex: f64, year_share: f64) -> f64 {
        capex * self.support_fraction_per_year * year_share
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn cores(n: u64) -> Quantities {
        Quantities {
            cores: n,
            ..Quantities::default()
        }
    }

    #[test]
    fn graduated_tiers_and_term_discount() {
        let c = Component {
            name: "capacity".into(),
            basis: Basis::PerUsableTbYear,
            rate: 0.0,
            tiers: vec![
                QuantityTier {
                    up_to: Some(1000.0),
                    rate: 100.0,
                },
                QuantityTier {
                    up_to: None,
                    rate: 50.0,
                },
            ],
            term_discounts: vec![
                TermDiscount {
                    min_years: 3,
                    fraction: 0.1,
                },
                TermDiscount {
                    min_years: 5,
                    fraction: 0.2,
                },
            ],
        };
        let q = Quantities {
            usable: Bytes::from_tb(3000.0),
            ..Quantities::default()
        };
        assert_eq!(c.list_per_year(&q), Usd(100_000.0 + 100_000.0));
        assert_eq!(c.discount(1), 0.0);
        assert_eq!(c.discount(4), 0.1);
        assert_eq!(c.discount(5), 0.2);
        assert!(close(c.per_year(&q, 5).0, 160_000.0, 1e-9));
    }

    #[test]
    fn monthly_charges_use_real_days() {
        let plan = Plan {
            name: "cores".into(),
            components: vec![Component {
                name: "core".into(),
                basis: Basis::PerCoreYear,
                rate: 365.0,
                tiers: vec![],
                term_discounts: vec![],
            }],
        };
        let jan = Month::new(2026, 1).unwrap();
        let feb = Month::new(2026, 2).unwrap();
        assert!(close(plan.for_month(&cores(10), 1, jan).0, 310.0, 1e-9));
        assert!(close(plan.for_month(&cores(10), 1, feb).0, 280.0, 1e-9));
        let year: Vec<_> = (0..12)
            .map(|i| (jan.plus(i).unwrap(), vec![cores(10)]))
            .collect();
        assert!(close(plan.over(&year, 1).0, 3650.0, 1e-9));
    }

    /// A plan settled for a term charges what the plan charges for that term, to the bit.
    #[test]
    fn term_plan_charges_what_the_plan_does() {
        let tiers = vec![
            QuantityTier {
                up_to: Some(1000.0),
                rate: 100.0,
            },
            QuantityTier {
                up_to: None,
                rate: 50.0,
            },
        ];
        let discounts = vec![
            TermDiscount {
                min_years: 3,
                fraction: 0.1,
            },
            TermDiscount {
                min_years: 5,
                fraction: 0.2,
            },
        ];
        let plan = Plan {
            name: "mixed".into(),
            components: vec![
                Component {
                    name: "core".into(),
                    basis: Basis::PerCoreYear,
                    rate: 437.0,
                    tiers: vec![],
                    term_discounts: discounts.clone(),
                },
                Component {
                    name: "capacity".into(),
                    basis: Basis::PerUsableTbYear,
                    rate: 0.0,
                    tiers,
                    term_discounts: discounts,
                },
                Component {
                    name: "fee".into(),
                    basis: Basis::FlatPerYear,
                    rate: 12_345.67,
                    tiers: vec![],
                    term_discounts: vec![],
                },
            ],
        };
        let q = Quantities {
            cores: 7_537,
            usable: Bytes::from_tb(3_141.592_653),
            ..Quantities::default()
        };
        let feb = Month::new(2028, 2).unwrap();
        for term in [1, 3, 4, 5, 7] {
            let t = plan.for_term(term);
            assert_eq!(
                t.per_year(&q).0.to_bits(),
                plan.per_year(&q, term).0.to_bits()
            );
            assert_eq!(
                t.for_month(&q, feb).0.to_bits(),
                plan.for_month(&q, term, feb).0.to_bits()
            );
        }
    }

    /// A core + capacity plan against a capacity-only plan: with 1 000 cores and 10 PB
    /// usable, core+capacity at $c/core + $20/TB equals capacity-only at $50/TB when
    /// 1 000·c = 10 000·30, i.e. c = $300.
    #[test]
    fn break_even_core_price() {
        let comp = |name: &str, basis, rate| Component {
            name: name.into(),
            basis,
            rate,
            tiers: vec![],
            term_discounts: vec![],
        };
        let a = Plan {
            name: "core-plus-capacity".into(),
            components: vec![
                comp("core", Basis::PerCoreYear, 123.0),
                comp("capacity", Basis::PerUsableTbYear, 20.0),
            ],
        };
        let b = Plan {
            name: "capacity-only".into(),
            components: vec![comp("capacity", Basis::PerUsableTbYear, 50.0)],
        };
        let q = Quantities {
            cores: 1000,
            usable: Bytes::from_pb(10.0),
            ..Quantities::default()
        };
        let jan = Month::new(2026, 1).unwrap();
        let months: Vec<_> = (0..36).map(|i| (jan.plus(i).unwrap(), vec![q])).collect();
        let c = break_even_rate(&a, 0, &b, &months, 3).unwrap();
        assert!(close(c, 300.0, 1e-6));
        assert_eq!(break_even_rate(&a, 5, &b, &months, 3), None);
        // A capacity-only plan cheaper than the capacity part alone: no core price ≥ 0
        // breaks even.
        let cheap_b = Plan {
            name: "cheap".into(),
            components: vec![comp("capacity", Basis::PerUsableTbYear, 10.0)],
        };
        assert_eq!(break_even_rate(&a, 0, &cheap_b, &months, 3), None);
    }

    use proptest::prelude::*;

    proptest! {
        /// The term's steps charge what the plan's walk through the tiers charges, to the
        /// bit, for any tiers (overlapping, empty, unbounded in the middle, negative) and
        /// any quantity in or past them, whole numbers and the edges included.
        #[test]
        fn tiered_steps_charge_what_the_walk_does(
            tiers in proptest::collection::vec(
                (proptest::option::of(-10.0f64..2e6), -5.0f64..500.0),
                0..6,
            ),
            n in prop_oneof![
                -10.0f64..3e6,
                (0u32..3_000_000).prop_map(f64::from),
                proptest::sample::select(vec![0.0, -0.0, 1000.0, 10_000.0, 100_000.0, f64::INFINITY, f64::NAN]),
            ],
            rate in 0.0f64..100.0,
            term in 0u32..8,
        ) {
            let tiers: Vec<QuantityTier> = tiers
                .into_iter()
                .map(|(up_to, rate)| QuantityTier { up_to, rate })
                .collect();
            let plan = Plan {
                name: "p".into(),
                components: vec![Component {
                    name: "c".into(),
                    basis: Basis::PerEnclosureYear,
                    rate,
                    tiers,
                    term_discounts: vec![TermDiscount { min_years: 3, fraction: 0.2 }],
                }],
            };
            // A fractional count, as usable TB are.
            let q = Quantities { usable: Bytes::from_tb(n), ..Quantities::default() };
            let mut plan_tb = plan.clone();
            plan_tb.components[0].basis = Basis::PerUsableTbYear;
            for (plan, q) in [(&plan_tb, q), (&plan, Quantities { enclosures: n.max(0.0) as u64, ..q })] {
                let walked = plan.per_year(&q, term).0;
                let stepped = plan.for_term(term).per_year(&q).0;
                prop_assert_eq!(walked.to_bits(), stepped.to_bits(), "{} vs {}", walked, stepped);
            }
        }
    }
}
