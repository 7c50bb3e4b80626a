//! The cluster on cloud instances beside the other placements of the lake
//! (spec CLOUD.md, `docs/model.md#the-cluster-on-cloud-instances`).
//!
//! Three placements are compared month by month: the lake staying in the provider's
//! object store, the on-prem clusters the rest of the report sizes, and the same storage
//! software on storage-optimised instances with local NVMe in the lake's region, whose
//! software is priced two ways (A: the on-prem core + capacity meters on the instances'
//! cores and usable TB; B: one $/usable TB-month cloud rate).
//!
//! Choices where the spec is silent:
//! - Instances follow the month's need up and down (they are rented, not bought), so a
//!   month's count is the spec's max(minimum, capacity, throughput) of that month alone.
//! - When two bounds give the same count, the one named is capacity, then throughput,
//!   then the minimum: the bound that would move the count first as the lake grows.
//! - The software is licensed (A and B alike) on the usable capacity of the instances
//!   running, n · NVMe TB · d/(d+p), as on-prem licenses the installed enclosures; the
//!   need `usable_tb` = lake / data reduction is reported beside it.
//! - Licence A is the scenario's own licence plan, the one its on-prem clusters pay,
//!   charged per calendar month pro rata by days as on-prem; licence B and the object
//!   store are charged whole per calendar month.
//! - Local NVMe is lost when an instance stops. With stripes across zones the protection
//!   is priced as traffic between zones: what the month writes (its change ÷ data
//!   reduction × (d+p)/d) crosses zones for the 2 strips in 3 that land outside the
//!   writer's zone (three zones). In one zone it is a copy of the lake in the object store,
//!   priced as the object-store placement.
//! - The object store holds the logical lake (no data reduction) and is written once per
//!   changed object (the month's change ÷ the mean object size, at the write-request rate).
//! - "Over the term" is the first `pricing.term_years` × 12 months of the horizon (the
//!   whole horizon when it is shorter).

use crate::calendar::Month;
use crate::egress::EgressRate;
use crate::links::ceil_count;
use crate::price_book::{Commitment, InstanceType};
use crate::pricing::{Plan, Quantities};
use crate::scenario::CloudCluster;
use crate::units::{Bytes, Usd, UsdPerHour, UsdPerRequest};

/// The plan licence A prices with: the on-prem core + capacity meters.
pub const LICENCE_A_PLAN: &str = "core-plus-capacity";

/// Zones a region's stripes are spread over.
pub const ZONES: u32 = 3;

/// Strips of a stripe that land outside the writer's zone, with stripes spread over a
/// region's three zones.
pub const CROSS_ZONE_SHARE: f64 = 2.0 / 3.0;

/// The instance type as the report echoes it: what a reader needs to check the sizing by
/// hand.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Instance {
    pub id: String,
    pub vcpu: u32,
    pub physical_cores: u32,
    /// Decimal TB of local NVMe.
    pub nvme_tb: f64,
    pub network_gbps: f64,
    pub commitment: Commitment,
    /// The price for `commitment`.
    pub usd_per_hour: f64,
    /// The price-book row it came from.
    pub price_row: String,
}

impl Instance {
    pub fn new(t: &InstanceType, commitment: Commitment, usd_per_hour: f64) -> Instance {
        Instance {
            id: t.id.clone(),
            vcpu: t.vcpu,
            physical_cores: t.physical_cores,
            nvme_tb: t.nvme_tb,
            network_gbps: t.network_gbps,
            commitment,
            usd_per_hour,
            price_row: t.price_id(commitment),
        }
    }
}

/// Every price the cloud placements need, from the price book.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CloudPrices {
    pub instance: Instance,
    /// Licence A: the book's core + capacity plan ([`LICENCE_A_PLAN`]) under the
    /// scenario's term, whatever plan the on-prem clusters use.
    pub licence_a: Plan,
    /// Licence B: $ per usable TB a month (the scenario's, else the book's row).
    pub cloud_rate: f64,
    /// The object store's standard class at rest: a stored volume's charge for a month.
    pub object_store: EgressRate,
    /// Per object written to the object store; `None` where the book has no row.
    pub object_writes: Option<UsdPerRequest>,
    /// Traffic between zones of the region, per volume crossing; `None` with stripes in
    /// one zone, where none crosses.
    pub cross_zone: Option<EgressRate>,
}

/// Which bound sets a month's instance count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    Capacity,
    Throughput,
    Minimum,
}

impl Bound {
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Capacity => "capacity",
            Bound::Throughput => "throughput",
            Bound::Minimum => "minimum",
        }
    }
}

/// One month of the cluster on cloud instances.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CloudMonth {
    pub instances: u64,
    pub bound: Bound,
    pub by_capacity: u64,
    pub by_throughput: u64,
    /// Usable TB needed: the logical lake ÷ data reduction.
    pub usable_tb: f64,
    /// Raw TB needed: usable ÷ (d/(d+p)) ÷ fill target.
    pub raw_tb: f64,
    /// The usable TB of the instances running, which both licences count.
    pub licensed_tb: f64,
    /// The rate the cluster must serve, Gbps.
    pub required_gbps: f64,
    pub instances_usd: f64,
    pub licence_a_usd: f64,
    pub licence_b_usd: f64,
    /// Traffic between zones, or the copy in the object store (see the module's notes).
    pub protection_usd: f64,
}

impl CloudMonth {
    /// Placement A's month: instances, protection and the on-prem meters.
    pub fn total_a(&self) -> f64 {
        self.instances_usd + self.protection_usd + self.licence_a_usd
    }
    /// Placement B's month: instances, protection and the cloud rate.
    pub fn total_b(&self) -> f64 {
        self.instances_usd + self.protection_usd + self.licence_b_usd
    }
}

/// What a month brings to the cloud sizing, from the report's month row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthIn {
    pub month: Month,
    pub days: u32,
    pub lake: Bytes,
    /// What changes in the month, logical.
    pub changed: Bytes,
    pub sustained_gbps: f64,
    /// The on-prem placement's month: the report's total.
    pub on_prem_usd: f64,
}

/// The four placements, USD.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Placements {
    pub object_store: f64,
    pub on_prem: f64,
    pub cloud_a: f64,
    pub cloud_b: f64,
}

/// A placement's name, as the report writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    ObjectStore,
    OnPrem,
    CloudA,
    CloudB,
}

impl Placement {
    pub const ALL: [Placement; 4] = [
        Placement::ObjectStore,
        Placement::OnPrem,
        Placement::CloudA,
        Placement::CloudB,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Placement::ObjectStore => "object_store",
            Placement::OnPrem => "on_prem",
            Placement::CloudA => "cloud_a",
            Placement::CloudB => "cloud_b",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Placement::ObjectStore => "Object store only",
            Placement::OnPrem => "On-prem clusters",
            Placement::CloudA => "Cloud instances, licence A (on-prem meters)",
            Placement::CloudB => "Cloud instances, licence B (cloud rate)",
        }
    }
}

impl Placements {
    pub fn get(&self, p: Placement) -> f64 {
        match p {
            Placement::ObjectStore => self.object_store,
            Placement::OnPrem => self.on_prem,
            Placement::CloudA => self.cloud_a,
            Placement::CloudB => self.cloud_b,
        }
    }

    /// The cheapest placement; on a tie, the first in [`Placement::ALL`].
    pub fn cheapest(&self) -> Placement {
        let mut best = Placement::ObjectStore;
        for p in Placement::ALL {
            if self.get(p) < self.get(best) {
                best = p;
            }
        }
        best
    }

    /// Each placement ÷ `tb_months`; `None` when there is nothing to divide by.
    fn per(&self, tb_months: f64) -> Option<Placements> {
        (tb_months > 0.0).then(|| Placements {
            object_store: self.object_store / tb_months,
            on_prem: self.on_prem / tb_months,
            cloud_a: self.cloud_a / tb_months,
            cloud_b: self.cloud_b / tb_months,
        })
    }

    fn add(&mut self, o: &Placements) {
        self.object_store += o.object_store;
        self.on_prem += o.on_prem;
        self.cloud_a += o.cloud_a;
        self.cloud_b += o.cloud_b;
    }
}

/// The cheapest placement of one calendar year.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cheapest {
    pub year: i32,
    pub placement: Placement,
}

/// Where the cheapest placement changes from one year to the next, and the lake's size
/// when it does (at the first month of that year).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RankingChange {
    pub year: i32,
    pub from: Placement,
    pub to: Placement,
    pub lake_pb: f64,
}

/// The cloud placement's figures over the horizon.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CloudSummary {
    pub instance: Instance,
    pub across_zones: bool,
    /// The cloud rate licence B was priced with.
    pub cloud_rate_usd_per_tb_month: f64,
    /// Months "over the term" counts.
    pub term_months: u32,
    /// The cloud rate at which licence B costs what licence A does over the term.
    pub alignment_rate_usd_per_tb_month: Option<f64>,
    /// The cloud rate at which placement B costs what on-prem does over the term;
    /// `None` when the instances alone cost more.
    pub on_prem_equivalent_rate_usd_per_tb_month: Option<f64>,
    /// Over the term: each placement's total.
    pub term_usd: Placements,
    /// Over the term: the instances and their protection, what both licences add to.
    pub term_instances_and_protection: f64,
    /// Each placement's total over the horizon ÷ the usable TB-months needed.
    pub usd_per_usable_tb_month: Option<Placements>,
    pub cheapest_by_year: Vec<Cheapest>,
    pub ranking_changes: Vec<RankingChange>,
    /// The protection assumption, in words, for the report's assumptions.
    pub protection: String,
}

impl CloudSummary {
    /// "Cheapest in 2027: object store only; from 2028: on-prem clusters (the lake at 24
    /// PB)." The page, the PDF and the chart's description say it alike.
    pub fn cheapest_sentence(&self) -> Option<String> {
        use crate::display::grouped;
        let first = self.cheapest_by_year.first()?;
        let mut s = format!(
            "Cheapest in {}: {}",
            first.year,
            first.placement.label().to_ascii_lowercase()
        );
        for c in &self.ranking_changes {
            s.push_str(&format!(
                "; from {}: {} (the lake at {} PB)",
                c.year,
                c.to.label().to_ascii_lowercase(),
                grouped(c.lake_pb, 0)
            ));
        }
        s.push('.');
        Some(s)
    }

    /// The answers in words, for the page and the PDF alike: the alignment rate, the
    /// rate that matches on-prem, and the cheapest placement and where it changes.
    pub fn sentences(&self) -> Vec<String> {
        use crate::display::{grouped, usd_short};
        let term = format!("the {}-month term", self.term_months);
        let mut out = Vec::new();
        match self.alignment_rate_usd_per_tb_month {
            Some(rate) => {
                let now = self.cloud_rate_usd_per_tb_month;
                let compare = if (now - rate).abs() <= 1e-9 * rate.max(1.0) {
                    "the rate used".to_string()
                } else {
                    format!(
                        "licence B at ${} costs {} % {} than A",
                        grouped(now, 2),
                        grouped((now - rate).abs() / rate * 100.0, 1),
                        if now > rate { "more" } else { "less" }
                    )
                };
                out.push(format!(
                    "A cloud rate of ${} per usable TB-month makes licence B cost what licence A (the on-prem meters on the {} instances' cores and usable TB) costs over {term}; {compare}.",
                    grouped(rate, 2),
                    self.instance.id,
                ));
            }
            None => out.push(format!(
                "No usable TB is licensed over {term}, so no cloud rate aligns the licences."
            )),
        }
        out.push(match self.on_prem_equivalent_rate_usd_per_tb_month {
            Some(rate) => format!(
                "At ${} per usable TB-month, the cluster on cloud instances (licence B) costs what on-prem does over {term} ({}).",
                grouped(rate, 2),
                usd_short(self.term_usd.on_prem)
            ),
            None => format!(
                "The instances alone cost more than on-prem over {term} ({} against {}): no cloud rate makes the cloud cluster cheaper.",
                usd_short(self.term_instances_and_protection),
                usd_short(self.term_usd.on_prem)
            ),
        });
        out.extend(self.cheapest_sentence());
        out
    }
}

/// Sizes one month: max(minimum, capacity, throughput), and which binds.
pub fn size(
    c: &CloudCluster,
    inst: &Instance,
    lake: Bytes,
    reduction: f64,
    required_gbps: f64,
) -> CloudMonth {
    let usable_tb = lake.tb() / reduction;
    let ec = c.ec_efficiency();
    let raw_tb = usable_tb / ec / c.fill_target;
    let by_capacity = ceil_count(raw_tb / inst.nvme_tb);
    let by_throughput = ceil_count(required_gbps / (inst.network_gbps * c.network_efficiency));
    let minimum = u64::from(c.min_instances);
    let (instances, bound) = if by_capacity >= by_throughput && by_capacity >= minimum {
        (by_capacity, Bound::Capacity)
    } else if by_throughput >= minimum {
        (by_throughput, Bound::Throughput)
    } else {
        (minimum, Bound::Minimum)
    };
    CloudMonth {
        instances,
        bound,
        by_capacity,
        by_throughput,
        usable_tb,
        raw_tb,
        licensed_tb: instances as f64 * inst.nvme_tb * ec,
        required_gbps,
        instances_usd: 0.0,
        licence_a_usd: 0.0,
        licence_b_usd: 0.0,
        protection_usd: 0.0,
    }
}

/// The object store's month for a lake of `lake` that changes by `changed`.
pub fn object_store_usd(p: &CloudPrices, lake: Bytes, changed: Bytes, mean_object: Bytes) -> f64 {
    let writes = p.object_writes.map_or(Usd::ZERO, |w| {
        w.cost(crate::egress::objects(changed, mean_object))
    });
    (p.object_store.cost(lake) + writes).0
}

/// What [`compute`] needs of the scenario.
pub struct Inputs<'a> {
    pub cluster: &'a CloudCluster,
    pub prices: &'a CloudPrices,
    pub term_years: u32,
    pub reduction: f64,
    pub mean_object: Bytes,
}

/// One calendar year's placements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearPlacements {
    pub year: i32,
    pub total: Placements,
    /// Each placement ÷ the usable TB-months the lake needs that year.
    pub usd_per_usable_tb_month: Option<Placements>,
}

/// What [`compute`] answers.
pub struct Outcome {
    /// Each month of the cluster on cloud instances.
    pub months: Vec<CloudMonth>,
    /// Each month of the object-store placement.
    pub object_store: Vec<f64>,
    /// Each calendar year's placements.
    pub years: Vec<YearPlacements>,
    pub summary: CloudSummary,
}

/// Every month of the cloud placement and the object store, each year's placements and
/// the summary.
pub fn compute(input: &Inputs<'_>, months: &[MonthIn]) -> Outcome {
    let (c, p) = (input.cluster, input.prices);
    let inst = &p.instance;
    let term = p.licence_a.for_term(input.term_years);
    let ec = c.ec_efficiency();
    let mut cloud = Vec::with_capacity(months.len());
    let mut object = Vec::with_capacity(months.len());
    for m in months {
        let required = c.throughput_gbps.unwrap_or(m.sustained_gbps);
        let mut row = size(c, inst, m.lake, input.reduction, required);
        row.instances_usd = UsdPerHour(inst.usd_per_hour)
            .cost(row.instances as f64, m.month.hours())
            .0;
        let q = Quantities {
            cores: row.instances.saturating_mul(u64::from(inst.physical_cores)),
            usable: Bytes::from_tb(row.licensed_tb),
            effective: Bytes::from_tb(row.licensed_tb * input.reduction),
            enclosures: 0,
            nodes: row.instances,
        };
        row.licence_a_usd = term.for_month(&q, m.month).0;
        row.licence_b_usd = p.cloud_rate * row.licensed_tb;
        let store = object_store_usd(p, m.lake, m.changed, input.mean_object);
        row.protection_usd = match &p.cross_zone {
            Some(rate) if c.across_zones => {
                let crossing = m.changed / input.reduction / ec * CROSS_ZONE_SHARE;
                rate.cost(crossing).0
            }
            _ => store,
        };
        cloud.push(row);
        object.push(store);
    }

    // Each year's totals, and the usable TB-months needed in it (for $/usable TB-month).
    let mut years: Vec<(i32, Placements, f64)> = Vec::new();
    for ((m, row), store) in months.iter().zip(&cloud).zip(&object) {
        let month = Placements {
            object_store: *store,
            on_prem: m.on_prem_usd,
            cloud_a: row.total_a(),
            cloud_b: row.total_b(),
        };
        match years.last_mut() {
            Some((y, total, tb)) if *y == m.month.year() => {
                total.add(&month);
                *tb += row.usable_tb;
            }
            _ => years.push((m.month.year(), month, row.usable_tb)),
        }
    }

    let term_months = (input.term_years.saturating_mul(12) as usize).min(months.len());
    let mut term_usd = Placements::default();
    let (mut a, mut tb_months, mut cloud_fixed) = (0.0, 0.0, 0.0);
    for ((m, row), store) in months.iter().zip(&cloud).zip(&object).take(term_months) {
        term_usd.add(&Placements {
            object_store: *store,
            on_prem: m.on_prem_usd,
            cloud_a: row.total_a(),
            cloud_b: row.total_b(),
        });
        a += row.licence_a_usd;
        tb_months += row.licensed_tb;
        cloud_fixed += row.instances_usd + row.protection_usd;
    }
    let alignment = (tb_months > 0.0).then(|| a / tb_months);
    let on_prem_equivalent = (tb_months > 0.0)
        .then(|| (term_usd.on_prem - cloud_fixed) / tb_months)
        .filter(|r| *r >= 0.0);

    let usable_tb_months: f64 = cloud.iter().map(|r| r.usable_tb).sum();
    let mut all = Placements::default();
    for (_, y, _) in &years {
        all.add(y);
    }
    let usd_per_usable_tb_month = all.per(usable_tb_months);
    let cheapest_by_year: Vec<Cheapest> = years
        .iter()
        .map(|(year, y, _)| Cheapest {
            year: *year,
            placement: y.cheapest(),
        })
        .collect();
    let ranking_changes = cheapest_by_year
        .windows(2)
        .filter(|w| w[0].placement != w[1].placement)
        .map(|w| RankingChange {
            year: w[1].year,
            from: w[0].placement,
            to: w[1].placement,
            lake_pb: months
                .iter()
                .find(|m| m.month.year() == w[1].year)
                .map_or(0.0, |m| m.lake.pb()),
        })
        .collect();
    let protection = if c.across_zones {
        format!(
            "Local NVMe is lost when an instance stops: stripes of {}+{} span the region's {ZONES} zones, at most {} strips in one, so a stripe survives any {} lost strips and a whole zone; the traffic between zones is priced (2 strips in 3 of what each month writes).",
            c.ec_data,
            c.ec_parity,
            (c.ec_data + c.ec_parity).div_ceil(ZONES),
            c.ec_parity
        )
    } else {
        format!(
            "Local NVMe is lost when an instance stops: stripes of {}+{} stay in one zone, so a copy of the lake is kept in the object store and priced.",
            c.ec_data, c.ec_parity
        )
    };
    let summary = CloudSummary {
        instance: inst.clone(),
        across_zones: c.across_zones,
        cloud_rate_usd_per_tb_month: p.cloud_rate,
        term_months: term_months as u32,
        alignment_rate_usd_per_tb_month: alignment,
        on_prem_equivalent_rate_usd_per_tb_month: on_prem_equivalent,
        term_usd,
        term_instances_and_protection: cloud_fixed,
        usd_per_usable_tb_month,
        cheapest_by_year,
        ranking_changes,
        protection,
    };
    Outcome {
        months: cloud,
        object_store: object,
        years: years
            .into_iter()
            .map(|(year, total, tb)| YearPlacements {
                year,
                usd_per_usable_tb_month: total.per(tb),
                total,
            })
            .collect(),
        summary,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::egress::Tier;
    use crate::units::{UsdPerGb, UsdPerGib};

    fn cluster() -> CloudCluster {
        CloudCluster {
            instance: "gcp.z3-highmem-88-highlssd".into(),
            commitment: Commitment::OnDemand,
            ec_data: 8,
            ec_parity: 4,
            across_zones: true,
            fill_target: 0.8,
            min_instances: 8,
            network_efficiency: 0.8,
            throughput_gbps: None,
            cloud_rate_usd_per_tb_month: None,
        }
    }

    /// The Z3 row as the facts give it: 36 000 GiB = 38.654705664 TB, 62 Gbps, $13/h.
    fn z3() -> Instance {
        Instance {
            id: "gcp.z3-highmem-88-highlssd".into(),
            vcpu: 88,
            physical_cores: 44,
            nvme_tb: 36_000.0 * 1.073741824 / 1000.0,
            network_gbps: 62.0,
            commitment: Commitment::OnDemand,
            usd_per_hour: 13.0,
            price_row: "gcp.instance.z3-highmem-88-highlssd.on-demand".into(),
        }
    }

    /// Worked by hand: 10 PB logical at 1.2 reduction is 8 333.33 usable TB; ÷ 8/12 ÷ 0.8
    /// = 15 625 raw TB; ÷ 38.654705664 = 404.21 → 405 instances by capacity. 1 000 Gbps
    /// ÷ (62 × 0.8) = 20.16 → 21 by throughput. Capacity binds.
    #[test]
    fn capacity_binds_a_large_lake() {
        let m = size(&cluster(), &z3(), Bytes::from_pb(10.0), 1.2, 1000.0);
        assert!((m.usable_tb - 8_333.333_333).abs() < 1e-3);
        assert!((m.raw_tb - 15_625.0).abs() < 1e-6);
        assert_eq!((m.by_capacity, m.by_throughput), (405, 21));
        assert_eq!((m.instances, m.bound), (405, Bound::Capacity));
        // 405 × 38.654705664 × 8/12 = 10 436.77 TB licensed.
        assert!((m.licensed_tb - 10_436.770_529_28).abs() < 1e-6);
    }

    /// 100 TB: 83.33 usable, 156.25 raw, 4.04 → 5 by capacity; 3 000 Gbps ÷ 49.6 = 60.48
    /// → 61 by throughput; then the minimum of 8 for a small quiet lake.
    #[test]
    fn throughput_and_minimum_bind_when_they_are_larger() {
        let c = cluster();
        let m = size(&c, &z3(), Bytes::from_tb(100.0), 1.2, 3000.0);
        assert_eq!((m.by_capacity, m.by_throughput), (5, 61));
        assert_eq!((m.instances, m.bound), (61, Bound::Throughput));
        let m = size(&c, &z3(), Bytes::from_tb(100.0), 1.2, 10.0);
        assert_eq!((m.instances, m.bound), (8, Bound::Minimum));
        // Equal bounds name capacity first.
        let m = size(&c, &z3(), Bytes::from_tb(100.0), 1.2, 5.0 * 49.6);
        assert_eq!((m.by_capacity, m.by_throughput), (5, 5));
        let c8 = CloudCluster {
            min_instances: 5,
            ..c
        };
        assert_eq!(
            size(&c8, &z3(), Bytes::from_tb(100.0), 1.2, 5.0 * 49.6).bound,
            Bound::Capacity
        );
    }

    fn prices() -> CloudPrices {
        CloudPrices {
            instance: z3(),
            cloud_rate: 10.0,
            object_store: EgressRate::FlatPerGib(UsdPerGib(0.02)),
            object_writes: Some(UsdPerRequest::per_10k(0.05)),
            cross_zone: Some(EgressRate::FlatPerGib(UsdPerGib(0.01))),
            licence_a: plan(),
        }
    }

    fn plan() -> Plan {
        use crate::pricing::{Basis, Component};
        Plan {
            name: "core-plus-capacity".into(),
            components: vec![
                Component {
                    name: "core".into(),
                    basis: Basis::PerCoreYear,
                    rate: 500.0,
                    tiers: vec![],
                    term_discounts: vec![],
                },
                Component {
                    name: "capacity".into(),
                    basis: Basis::PerUsableTbYear,
                    rate: 40.0,
                    tiers: vec![],
                    term_discounts: vec![],
                },
            ],
        }
    }

    fn months(n: u32) -> Vec<MonthIn> {
        let start: Month = "2026-01".parse().unwrap();
        (0..n)
            .map(|i| {
                let month = start.plus(i).unwrap();
                MonthIn {
                    month,
                    days: month.days_in_month(),
                    lake: Bytes::from_pb(10.0 + f64::from(i)),
                    changed: Bytes::from_pb(3.0),
                    sustained_gbps: 100.0,
                    on_prem_usd: 1_000_000.0,
                }
            })
            .collect()
    }

    /// January 2026, 31 days, 405 instances at $13: 405 × 13 × 744 = $3 917 160. Licence
    /// A: 405 × 44 cores × $500 + 10 436.77 TB × $40 a year, × 31/365. Licence B: $10 ×
    /// 10 436.77. Between zones: 3 PB ÷ 1.2 ÷ 8/12 × 2/3 = 2.5 PB = 2 328 306.44 GiB × $0.01.
    /// The object store: 10 PB = 9 313 225.75 GiB × $0.02 + 3 PB ÷ 64 MB = 46 875 000
    /// writes × $0.05/10k.
    #[test]
    fn a_month_priced_by_hand() {
        let input = Inputs {
            cluster: &cluster(),
            prices: &prices(),
            term_years: 5,
            reduction: 1.2,
            mean_object: Bytes::from_gb(0.064),
        };
        let out = compute(&input, &months(1));
        let (m, object) = (out.months[0], out.object_store);
        assert_eq!(m.instances, 405);
        assert!((m.instances_usd - 3_917_160.0).abs() < 1e-6);
        let a = (405.0 * 44.0 * 500.0 + m.licensed_tb * 40.0) * 31.0 / 365.0;
        assert!(
            (m.licence_a_usd - a).abs() < 1e-6,
            "{} vs {a}",
            m.licence_a_usd
        );
        assert!((m.licence_b_usd - 104_367.705_292_8).abs() < 1e-6);
        let gib = 2.5e15 / 1_073_741_824.0;
        assert!((m.protection_usd - gib * 0.01).abs() < 1e-6);
        let store = 1e16 / 1_073_741_824.0 * 0.02 + 46_875_000.0 * 0.05 / 10_000.0;
        assert!((object[0] - store).abs() < 1e-6, "{} vs {store}", object[0]);
    }

    fn run(p: &CloudPrices, months: &[MonthIn]) -> (Vec<CloudMonth>, CloudSummary) {
        let out = compute(
            &Inputs {
                cluster: &cluster(),
                prices: p,
                term_years: 2,
                reduction: 1.2,
                mean_object: Bytes::from_gb(0.064),
            },
            months,
        );
        (out.months, out.summary)
    }

    /// The alignment rate makes licence B over the term equal licence A over the term;
    /// the on-prem-equivalent rate makes placement B equal on-prem.
    #[test]
    fn the_two_rates_balance_the_term() {
        let mut months = months(36);
        for m in &mut months {
            m.on_prem_usd = 9_000_000.0;
        }
        let (_, s) = run(&prices(), &months);
        assert_eq!(s.term_months, 24);
        let mut p = prices();
        p.cloud_rate = s.alignment_rate_usd_per_tb_month.unwrap();
        let (cloud, aligned) = run(&p, &months);
        let a: f64 = cloud.iter().take(24).map(|m| m.licence_a_usd).sum();
        let b: f64 = cloud.iter().take(24).map(|m| m.licence_b_usd).sum();
        assert!(a > 0.0 && (a - b).abs() <= 1e-6, "{a} vs {b}");
        assert!((aligned.term_usd.cloud_a - aligned.term_usd.cloud_b).abs() <= 1e-6);
        p.cloud_rate = s.on_prem_equivalent_rate_usd_per_tb_month.unwrap();
        let (_, even) = run(&p, &months);
        let t = even.term_usd;
        assert!(
            (t.cloud_b - t.on_prem).abs() <= 1e-6,
            "{} vs {}",
            t.cloud_b,
            t.on_prem
        );
        // When the instances alone cost more than on-prem, no rate evens them.
        for m in &mut months {
            m.on_prem_usd = 1.0;
        }
        assert_eq!(
            run(&prices(), &months)
                .1
                .on_prem_equivalent_rate_usd_per_tb_month,
            None
        );
    }

    #[test]
    fn the_cheapest_placement_each_year_and_where_it_changes() {
        let y = Placements {
            object_store: 3.0,
            on_prem: 2.0,
            cloud_a: 2.0,
            cloud_b: 4.0,
        };
        assert_eq!(y.cheapest(), Placement::OnPrem);
        let tiered = EgressRate::TieredPerGb(vec![
            Tier {
                up_to: Some(Bytes::from_gb(50_000.0)),
                price: UsdPerGb(0.023),
            },
            Tier {
                up_to: None,
                price: UsdPerGb(0.022),
            },
        ]);
        // 60 TB: 50 000 GB × 0.023 + 10 000 GB × 0.022.
        assert!((tiered.cost(Bytes::from_tb(60.0)).0 - 1370.0).abs() < 1e-9);
    }
}
