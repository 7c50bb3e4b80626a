//! The report: every figure of a scenario, month by month (`spec/scenario.md`, "Report").
//!
//! [`compute`] is the one path from a scenario and prices to the numbers; the page, the
//! API, the CLI, the CSV and the PDF all show fields of the [`Report`] and compute none of
//! their own. The report carries at least scenario.md's fields with its names and units,
//! plus what a planner needs beside them (backlog verdicts, the expansion plan, chain
//! vs fan-out side by side, effective $/TB-month). Numbers are never rounded here.
//!
//! Choices where the spec is silent:
//! - `price_book` is the book that supplied the prices ([`Prices::book`]), which is what
//!   priced the report, falling back to the scenario's `pricing.price_book` when the
//!   prices carry no name.
//! - `egress_gib` and `egress_usd` are the month's volume and charge for all copies
//!   leaving the cloud; `cost_usd.egress` repeats the charge and `cost_usd.requests` holds
//!   the per-object charges.
//! - `first_infeasible_month` is the first month where any path's busy-day rate exceeds
//!   its payload capacity.
//! - Seeding (`seed_days`) is measured at month 0 over every path, each carrying its
//!   share of the seed; the slowest path sets the figure; `null` when any path never
//!   finishes.
//! - `usd_per_effective_tb_month` divides the horizon's total cost by the sum over months
//!   of the effective capacity installed at all sites (usable × data reduction);
//!   `usd_per_lake_tb_month` divides it by the sum of the lake's size, what the customer
//!   thinks of as "the data".
//! - `claims` lists the scenario's own change first, then `scenario.claims`, each at the
//!   initial lake size, with its ratio to the scenario's change.
//! - `assumptions` lists the price-book rows behind the figures, the ones still holding a
//!   placeholder or estimate, and the costs the book cannot price. [`compute_priced`] fills
//!   it; [`compute`] with hand-built prices leaves it empty, and then it is not written.

use crate::calendar::Month;
use crate::change::{daily_change, peak_rate, sustained_rate, window_rate};
use crate::claims::{self, ClaimBasis};
use crate::cloud::{CloudMonth, CloudSummary, Placements};
use crate::cluster::{CapacityNeed, Expansion, Footprint, Hardware};
use crate::egress::{monthly_volume, request_cost};
use crate::links::{seeding_seconds, slowest, Backlog};
use crate::priced::Assumptions;
use crate::pricing::{Plan, Quantities};
use crate::scenario::{Scenario, ScenarioErrors};
use crate::tcp::{bdp, per_stream_rate, streams_needed};
use crate::topology::{self, Path, PathKind, Topology};
use crate::units::{BitRate, Bytes, BytesPerDay, Usd, SECONDS_PER_DAY};
use crate::MODEL_VERSION;

pub use crate::pricing::Prices;

/// A path's or a site's name as each row of a report holds it: inline up to 23 bytes, so
/// copying it into every row (some three hundred a report) is a copy, where an
/// `Arc<str>`'s shared count, changed atomically on every copy and drop, took a fifth of a
/// native report's time. It reads and writes as a plain string.
pub type Name = smol_str::SmolStr;

/// A month's rows of paths or of sites: held in the month's row up to two (every preset
/// but the three-site fan-out), so a 60-month report allocates 120 vectors fewer. It reads
/// as a slice and reads and writes as a JSON array.
pub type Rows<T> = smallvec::SmallVec<[T; 2]>;

/// The report file's format, as scenario.md defines it.
pub const FORMAT: u32 = 1;

/// Everything computed from one scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub format: u32,
    pub model_version: String,
    pub price_book: String,
    pub scenario_name: String,
    pub topology: Topology,
    pub months: Vec<MonthRow>,
    pub years: Vec<YearRow>,
    pub summary: Summary,
    pub claims: Vec<ClaimRow>,
    /// When each site grows and by how much; the first entry per site is the initial
    /// installation.
    pub expansion: Vec<Expansion>,
    /// Chain and fan-out side by side, the scenario's own topology first.
    pub topologies: Vec<TopologyTotals>,
    /// Where the prices came from, row by row.
    #[serde(default, skip_serializing_if = "Assumptions::is_empty")]
    pub assumptions: Assumptions,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MonthRow {
    pub month: Month,
    pub days: u32,
    pub lake_pb: f64,
    pub daily_change_pb: f64,
    /// Payload rates, Gbps.
    pub sustained_gbps: f64,
    pub window_gbps: f64,
    pub peak_gbps: f64,
    pub copies_leaving_cloud: f64,
    pub egress_gib: f64,
    pub egress_usd: f64,
    /// Held in the row up to two of each ([`Rows`]).
    pub paths: Rows<PathRow>,
    pub sites: Rows<SiteRow>,
    pub cost_usd: Costs,
    pub cumulative_usd: f64,
    /// The cluster on cloud instances this month (`cloud_cluster` scenarios only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_cluster: Option<CloudMonth>,
    /// The lake left in the object store this month (`cloud_cluster` scenarios only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_store_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathRow {
    pub name: Name,
    /// Share of the lake's change the path carries.
    pub carry_fraction: f64,
    pub ports: u32,
    pub capacity_gbps: f64,
    pub payload_capacity_gbps: f64,
    pub sustained_gbps: f64,
    pub peak_gbps: f64,
    /// Of the wire, at the busy-day rate.
    pub utilization: f64,
    pub feasible: bool,
    pub ports_needed: u64,
    pub per_stream_gbps: f64,
    pub streams_needed: u64,
    pub backlog: BacklogKind,
    /// Bytes the backlog grows by each day (`grows_forever` only).
    pub backlog_bytes_per_day: Option<f64>,
    /// Bytes left at the end of a busy day's window (`drains_after_peak` only).
    pub busy_day_backlog_bytes: Option<f64>,
    pub drain_hours: Option<f64>,
}

/// The backlog verdict's name, as the report writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BacklogKind {
    KeepsUp,
    DrainsAfterPeak,
    GrowsForever,
}

impl BacklogKind {
    pub fn name(self) -> &'static str {
        match self {
            BacklogKind::KeepsUp => "keeps_up",
            BacklogKind::DrainsAfterPeak => "drains_after_peak",
            BacklogKind::GrowsForever => "grows_forever",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiteRow {
    pub name: Name,
    /// Installed (never fewer than the month before).
    pub enclosures: u64,
    pub enclosures_needed: u64,
    pub nodes: u64,
    pub nodes_needed: u64,
    pub cores: u64,
    pub stored_pb: f64,
    pub raw_needed_pb: f64,
    /// Usable capacity of the installed enclosures.
    pub usable_pb: f64,
    pub effective_pb: f64,
    pub write_gbytes_per_s: f64,
    pub read_gbytes_per_s: f64,
    pub racks: u64,
    pub switches: u64,
    pub rack_units: f64,
    /// IT load, before PUE.
    pub power_kw: f64,
}

/// Dollars by kind; `total` is their sum.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Costs {
    pub egress: f64,
    pub requests: f64,
    pub ports: f64,
    pub licence: f64,
    pub hardware: f64,
    pub support: f64,
    pub power: f64,
    pub space: f64,
    pub total: f64,
}

impl Costs {
    fn add(&mut self, o: &Costs) {
        self.egress += o.egress;
        self.requests += o.requests;
        self.ports += o.ports;
        self.licence += o.licence;
        self.hardware += o.hardware;
        self.support += o.support;
        self.power += o.power;
        self.space += o.space;
        self.total += o.total;
    }
    /// The total of the lines, added in this order (a trial adds them the same way).
    pub(crate) fn with_total(mut self) -> Costs {
        self.total = self.egress
            + self.requests
            + self.ports
            + self.licence
            + self.hardware
            + self.support
            + self.power
            + self.space;
        self
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct YearRow {
    pub year: i32,
    /// Months of the horizon in this calendar year.
    pub months: u32,
    pub cost_usd: Costs,
    pub cumulative_usd: f64,
    /// Each placement's total this year (`cloud_cluster` scenarios only); `on_prem` is
    /// `cost_usd.total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placements: Option<Placements>,
    /// Each placement ÷ the usable TB-months the lake needs this year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placements_usd_per_usable_tb_month: Option<Placements>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub first_infeasible_month: Option<Month>,
    pub first_infeasible_path: Option<String>,
    pub seed_pb: f64,
    pub seed_days: Option<f64>,
    pub bdp_bytes_per_port: f64,
    pub total_cost_usd: f64,
    pub total_egress_gib: f64,
    pub implied_cagr: Option<f64>,
    pub usd_per_effective_tb_month: Option<f64>,
    pub usd_per_lake_tb_month: Option<f64>,
    /// Each path's backlog verdict in the first and the last month.
    pub verdicts: Vec<Verdict>,
    /// The cloud placement over the horizon (`cloud_cluster` scenarios only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<CloudSummary>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    pub month: Month,
    pub path: Name,
    pub backlog: BacklogKind,
    /// The verdict in words, for the page and the PDF.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClaimRow {
    pub label: String,
    pub basis: ClaimBasis,
    pub value: f64,
    pub lake_pb: f64,
    pub percent_per_day: f64,
    pub pb_per_day: f64,
    pub pb_per_month: f64,
    pub tbps: f64,
    /// This claim ÷ the scenario's change.
    pub ratio_to_plan: f64,
    /// How many times apart the two are (≥ 1).
    pub factor: f64,
    pub agrees_with_plan: bool,
}

/// One topology's headline figures over the horizon.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopologyTotals {
    pub topology: Topology,
    pub paths: Vec<String>,
    pub copies_leaving_cloud: f64,
    pub egress_gib: f64,
    pub egress_usd: f64,
    pub ports_usd: f64,
    pub total_cost_usd: f64,
    /// The most cloud ports any cloud path needs in any month.
    pub max_cloud_ports_needed: u64,
    pub first_infeasible_month: Option<Month>,
    pub seed_days: Option<f64>,
}

/// Computes the report. Total for any scenario: an invalid one (not from
/// [`Scenario::parse`]) gives odd numbers, never a panic.
pub fn compute(scenario: &Scenario, prices: &Prices) -> Report {
    let timeline = timeline(scenario);
    let mut main = run(
        scenario,
        prices,
        &timeline,
        scenario.network.topology,
        None,
        true,
    );
    let mut other = run(
        scenario,
        prices,
        &timeline,
        scenario.network.topology.other(),
        Some(&main.sized),
        false,
    );
    let topologies = vec![main.totals(), other.totals()];
    let claims = claim_rows(scenario);
    let Run {
        mut months,
        expansion,
        mut summary,
        ..
    } = main;
    let mut years = year_rows(&months);
    if let (Some(cluster), Some(cloud)) = (&scenario.cloud_cluster, &prices.cloud) {
        summary.cloud = Some(place(scenario, cluster, cloud, &mut months, &mut years));
    }
    Report {
        format: FORMAT,
        model_version: MODEL_VERSION.to_string(),
        price_book: if prices.book.is_empty() {
            scenario.pricing.price_book.clone()
        } else {
            prices.book.clone()
        },
        scenario_name: scenario.name.clone(),
        topology: scenario.network.topology,
        months,
        years,
        summary,
        claims,
        expansion,
        topologies,
        assumptions: Assumptions::default(),
    }
}

/// The figures of a report that a sweep's row shows (`whatif::sweep`).
pub(crate) struct KeyFigures {
    /// The busiest month's busy-day rate, Gbps.
    pub peak_gbps: f64,
    pub first_infeasible_month: Option<Month>,
    /// Per path, its name and the most ports any month needs; none without months.
    pub ports_needed: Vec<(String, u64)>,
    pub seed_days: Option<f64>,
    /// Per site, its name and the enclosures installed in the last month; none without
    /// months.
    pub enclosures: Vec<(String, u64)>,
    pub total_cost_usd: f64,
    pub usd_per_effective_tb_month: Option<f64>,
}

/// What [`compute`] would give for the figures of [`KeyFigures`], computed by the same
/// code (the timeline, then the run of the scenario's own topology, its first pass only),
/// so each is the report's to the bit, at a fraction of the cost: a sweep's row shows
/// only these, and building the month rows, the other topology, the verdicts' words, the
/// years, the claims and the cloud placements took most of a row's time.
///
/// `base`: the timeline of a scenario that differs from this one only in fields the lake,
/// the calendar and the storage do not read ([`Timeline::with_change`]).
pub(crate) fn key_figures(
    scenario: &Scenario,
    prices: &Prices,
    base: Option<&Timeline>,
) -> KeyFigures {
    let timeline = match base {
        Some(b) => b.with_change(scenario),
        None => timeline(scenario),
    };
    let run = run(
        scenario,
        prices,
        &timeline,
        scenario.network.topology,
        None,
        false,
    );
    let months = timeline.months.len();
    let sites = scenario.sites.len();
    KeyFigures {
        // As `MonthRow::peak_gbps`, the most of them from 0.
        peak_gbps: timeline
            .months
            .iter()
            .map(|mf| mf.r_peak.gbps())
            .fold(0.0, f64::max),
        first_infeasible_month: run.summary.first_infeasible_month,
        ports_needed: if months == 0 {
            Vec::new()
        } else {
            run.path_names.into_iter().zip(run.ports_needed).collect()
        },
        seed_days: run.summary.seed_days,
        enclosures: match months.checked_sub(1) {
            Some(last) => scenario
                .sites
                .iter()
                .zip(&timeline.storage[last * sites..])
                .map(|(site, st)| (site.name.clone(), st.enclosures))
                .collect(),
            None => Vec::new(),
        },
        total_cost_usd: run.summary.total_cost_usd,
        usd_per_effective_tb_month: run.summary.usd_per_effective_tb_month,
    }
}

/// Validates the scenario, prices it from the book it names and computes the report, with
/// the book's id in `price_book` and the rows used in `assumptions`: what the CLI, the API
/// and the page call. Every problem, in the scenario or in pricing it, comes back at once,
/// each naming its field.
///
/// ```
/// use lakeplan_models::presets;
/// use lakeplan_models::report::compute_priced;
///
/// let s = presets::get("retail-hybrid-lakehouse").unwrap().scenario().unwrap();
/// let r = compute_priced(&s).unwrap();
/// assert_eq!(r.price_book, "2026-11");
/// // Flat $0.02/GiB on 45 PB/day for January's 31 days.
/// assert!((r.months[0].egress_usd - 25_983_899.83).abs() < 0.005);
/// assert!(r.assumptions.needs_override.iter().any(|id| id.starts_with("licence.")));
/// ```
pub fn compute_priced(scenario: &Scenario) -> Result<Report, ScenarioErrors> {
    compute_priced_in(&crate::library::Builtin, scenario)
}

/// [`compute_priced`] with the books of `library`: what the server calls with the books
/// the caller may use.
pub fn compute_priced_in(
    library: &dyn crate::library::Library,
    scenario: &Scenario,
) -> Result<Report, ScenarioErrors> {
    let p = check_priced_in(library, scenario)?;
    let mut report = compute(scenario, &p.prices);
    report.assumptions = p.assumptions;
    Ok(report)
}

/// Every reason [`compute_priced_in`] would refuse `scenario` (its validation and its
/// pricing, all at once), without computing the report: what a check of many variants
/// needs (`whatif::sweep`), at a fraction of a report's cost. `Ok` holds the prices.
pub fn check_priced_in(
    library: &dyn crate::library::Library,
    scenario: &Scenario,
) -> Result<crate::priced::PricedWith, ScenarioErrors> {
    let mut errors = scenario.validate();
    let priced = match crate::priced::price_in(library, scenario) {
        Ok(p) => Some(p),
        Err(ScenarioErrors(list)) => {
            for e in list {
                if !errors.iter().any(|seen| seen.path == e.path) {
                    errors.push(e);
                }
            }
            None
        }
    };
    match priced {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(ScenarioErrors(errors)),
    }
}

/// One topology computed over the horizon. The comparison run builds no month rows: only
/// its totals are wanted, and the page recomputes on every keystroke.
struct Run {
    topology: Topology,
    /// Every site in every month, sized (`[m · sites + i]`).
    sized: Vec<SiteMonth>,
    path_names: Vec<String>,
    copies: f64,
    months: Vec<MonthRow>,
    expansion: Vec<Expansion>,
    summary: Summary,
    egress_gib: f64,
    egress_usd: f64,
    ports_usd: f64,
    max_cloud_ports: u64,
    /// Per path, the most ports any month needs.
    ports_needed: Vec<u64>,
}

impl Run {
    /// The run's totals; the path names move into them.
    fn totals(&mut self) -> TopologyTotals {
        TopologyTotals {
            topology: self.topology,
            paths: std::mem::take(&mut self.path_names),
            copies_leaving_cloud: self.copies,
            egress_gib: self.egress_gib,
            egress_usd: self.egress_usd,
            ports_usd: self.ports_usd,
            total_cost_usd: self.summary.total_cost_usd,
            max_cloud_ports_needed: self.max_cloud_ports,
            first_infeasible_month: self.summary.first_infeasible_month,
            seed_days: self.summary.seed_days,
        }
    }
}

/// What does not depend on the topology, computed once for both runs: each month's
/// figures and each site's storage (`storage[m · sites + i]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timeline {
    months: Vec<MonthFixed>,
    storage: Vec<Storage>,
    implied_cagr: Option<f64>,
    /// Sums over the horizon: the lake's size, and the effective capacity installed at
    /// all sites, in TB-months.
    lake_tb_months: f64,
    effective_tb_months: f64,
}

/// A site's storage in one month. The lake alone decides it (the topology changes only
/// what a site writes and reads, so its nodes), so both runs share it.
#[derive(Debug, Clone, PartialEq)]
struct Storage {
    need: CapacityNeed,
    /// Installed: the most needed so far, as [`crate::cluster`] installs them.
    enclosures: u64,
    /// Usable capacity of the installed enclosures, and that × data reduction.
    usable: Bytes,
    effective: Bytes,
    effective_tb: f64,
}

/// One month of the timeline.
#[derive(Debug, Clone, PartialEq)]
struct MonthFixed {
    month: Month,
    days: u32,
    hours: f64,
    /// Days in month / days in year, for yearly charges.
    year_share: f64,
    lake: Bytes,
    change: BytesPerDay,
    /// The whole lake's change as sustained, window and busy-day rates.
    r: BitRate,
    r_window: BitRate,
    r_peak: BitRate,
}

/// A month's change and its sustained, window and busy-day rates, from its lake and the
/// scenario's `change`.
fn change_rates(
    lake: Bytes,
    c: &crate::scenario::Change,
) -> (BytesPerDay, BitRate, BitRate, BitRate) {
    let change = daily_change(lake, c.basis, c.value);
    (
        change,
        sustained_rate(change),
        window_rate(change, c.window_hours),
        peak_rate(change, c.window_hours, c.peak_to_mean),
    )
}

/// The timeline of `s`. A field it comes to read for the lake or the storage must leave
/// `whatif::sweep::TIMELINE_ALIKE` (whose test fails otherwise): a sweep varying only
/// those fields takes every row's lake and storage from its base.
pub(crate) fn timeline(s: &Scenario) -> Timeline {
    let curve = s.curve();
    let hw = s.hardware();
    // Sized up front: collecting through `map_while`, which cannot tell its length, grew
    // the vector step by step.
    let horizon = s.horizon_months as usize;
    let mut months = Vec::with_capacity(horizon);
    months.extend((0..s.horizon_months).map_while(|m| {
        let month = s.month(m)?;
        let lake = curve.at(f64::from(m));
        let (change, r, r_window, r_peak) = change_rates(lake, &s.change);
        Some(MonthFixed {
            month,
            days: month.days_in_month(),
            hours: month.hours(),
            year_share: month.year_share(),
            lake,
            change,
            r,
            r_window,
            r_peak,
        })
    }));
    let sites = s.sites.len();
    let mut storage: Vec<Storage> = Vec::with_capacity(months.len() * sites);
    for mf in &months {
        for site in &s.sites {
            let need = hw.capacity_need(mf.lake * site.copy_fraction);
            // The same site a month earlier, `sites` entries back.
            let before = storage
                .len()
                .checked_sub(sites)
                .and_then(|k| storage.get(k));
            let enclosures = need
                .enclosures_needed
                .max(before.map_or(0, |b| b.enclosures));
            let usable = hw.usable_of(enclosures);
            let effective = usable * hw.data_reduction;
            storage.push(Storage {
                need,
                enclosures,
                usable,
                effective,
                effective_tb: effective.tb(),
            });
        }
    }
    // Added up from 0.0 in month (then site) order, one term at a time.
    Timeline {
        lake_tb_months: months.iter().map(|mf| mf.lake.tb()).fold(0.0, |a, b| a + b),
        effective_tb_months: storage
            .iter()
            .map(|st| st.effective_tb)
            .fold(0.0, |a, b| a + b),
        months,
        storage,
        implied_cagr: curve.implied_cagr(),
    }
}

impl Timeline {
    /// This timeline with `s`'s change and rates: the timeline of `s` when it differs from
    /// the scenario this one was computed for only in fields the lake, the calendar and
    /// the storage do not read (`whatif::sweep::TIMELINE_ALIKE`), computed by the same
    /// functions from the same lake, so to the bit. A sweep of the change (or the links,
    /// the network, the prices) reuses its base's lake and storage, a sixth of a row.
    pub(crate) fn with_change(&self, s: &Scenario) -> Timeline {
        let mut t = self.clone();
        for mf in &mut t.months {
            (mf.change, mf.r, mf.r_window, mf.r_peak) = change_rates(mf.lake, &s.change);
        }
        t
    }
}

/// Per path, what does not change month to month, the row's constant figures included.
struct PathFixed {
    bundle: crate::links::Bundle,
    payload_capacity: BitRate,
    per_stream: BitRate,
    capacity_gbps: f64,
    payload_capacity_gbps: f64,
    per_stream_gbps: f64,
}

/// One site in one month, sized for its topology: what the site writes and reads and the
/// nodes and racks that take. Its storage is the timeline's.
#[derive(Clone, Copy)]
struct SiteMonth {
    write: BitRate,
    read: BitRate,
    nodes_needed: u64,
    /// Installed: never fewer than the month before.
    nodes: u64,
    cores: u64,
    footprint: Footprint,
    /// Switches installed: never fewer than the month before.
    switches: u64,
    /// What the site added over the month before (enclosures, nodes, switches): what the
    /// month's hardware is charged for and the expansion plan lists. Worked out once,
    /// where the sizing has the month before at hand.
    added: (u64, u64, u64),
}

/// Sizes every site in every month of the timeline (`[m · sites + i]`, like its storage)
/// for a topology whose sites receive `incoming` and forward `forwarded` shares of the
/// change. `other` is the other topology's sizing, when there is one.
///
/// This is a pass of its own, before pricing, and in two loops, nodes then footprints,
/// for speed: sizing is long chains of divisions and conversions, a footprint's the
/// longest, and in a loop that does nothing else the CPU works on several at once. For
/// the same reason a footprint is computed only for enclosures and nodes it has not been
/// computed for: the month before's (nothing added) or the other topology's (a site that
/// reads and writes the same in both, such as the last of a chain) is taken instead.
fn size_sites(
    hw: &Hardware,
    timeline: &Timeline,
    incoming: &[f64],
    forwarded: &[f64],
    extra_read: BitRate,
    other: Option<&[SiteMonth]>,
) -> Vec<SiteMonth> {
    let sites = incoming.len();
    let storage = &timeline.storage;
    let mut sized: Vec<SiteMonth> = Vec::with_capacity(storage.len());
    for mf in &timeline.months {
        for i in 0..sites {
            let write = mf.r_peak * incoming[i];
            let read = extra_read + mf.r_peak * forwarded[i];
            let nodes_needed = hw.nodes_needed(write, read);
            // The same site a month earlier is `sites` entries back.
            let before = sized.len().checked_sub(sites).map_or(0, |p| sized[p].nodes);
            let nodes = nodes_needed.max(before);
            sized.push(SiteMonth {
                write,
                read,
                nodes_needed,
                nodes,
                cores: nodes * u64::from(hw.node_cores),
                // Filled in by the second loop.
                footprint: Footprint::default(),
                switches: 0,
                added: (0, 0, 0),
            });
        }
    }
    for k in 0..sized.len() {
        let (enclosures, nodes) = (storage[k].enclosures, sized[k].nodes);
        let before = k
            .checked_sub(sites)
            .map(|p| (&sized[p], storage[p].enclosures));
        let footprint = match (before, other.and_then(|o| o.get(k))) {
            (Some((b, e)), _) if (e, b.nodes) == (enclosures, nodes) => b.footprint,
            (_, Some(o)) if o.nodes == nodes => o.footprint,
            _ => hw.footprint(enclosures, nodes),
        };
        let switches = footprint
            .switches
            .max(before.map_or(0, |(b, _)| b.switches));
        let (e0, n0, s0) = before.map_or((0, 0, 0), |(b, e)| (e, b.nodes, b.switches));
        let z = &mut sized[k];
        z.footprint = footprint;
        z.switches = switches;
        z.added = (enclosures - e0, nodes - n0, switches - s0);
    }
    sized
}

/// A backlog's verdict and the numbers its row shows: bytes a day (`grows_forever`), bytes
/// left after a busy day and hours to drain them (`drains_after_peak`).
fn backlog_fields(backlog: &Backlog) -> (BacklogKind, Option<f64>, Option<f64>, Option<f64>) {
    match *backlog {
        Backlog::GrowsForever { per_day } => {
            (BacklogKind::GrowsForever, Some(per_day.0), None, None)
        }
        Backlog::DrainsAfterPeak {
            busy_day_backlog,
            drain_seconds,
        } => (
            BacklogKind::DrainsAfterPeak,
            None,
            Some(busy_day_backlog.0),
            Some(drain_seconds / 3600.0),
        ),
        Backlog::KeepsUp { .. } => (BacklogKind::KeepsUp, None, None, None),
    }
}

/// A path's row for a month whose lake changes at `r` (sustained) and `r_peak` (busy day).
/// Inlined so that the rows collected from it are written in place.
#[inline]
fn path_row(
    p: &Path,
    f: &PathFixed,
    name: &Name,
    r: BitRate,
    r_peak: BitRate,
    window_hours: f64,
) -> PathRow {
    let (ps, pp) = (p.rate(r), p.rate(r_peak));
    let b = &f.bundle;
    let (backlog, backlog_bytes_per_day, busy_day_backlog_bytes, drain_hours) =
        backlog_fields(&b.backlog(ps, pp, window_hours));
    PathRow {
        name: name.clone(),
        carry_fraction: p.carry,
        ports: b.ports,
        capacity_gbps: f.capacity_gbps,
        payload_capacity_gbps: f.payload_capacity_gbps,
        sustained_gbps: ps.gbps(),
        peak_gbps: pp.gbps(),
        utilization: b.utilization(pp),
        feasible: b.feasible(pp),
        ports_needed: b.ports_needed(pp),
        per_stream_gbps: f.per_stream_gbps,
        streams_needed: streams_needed(pp, f.per_stream),
        backlog,
        backlog_bytes_per_day,
        busy_day_backlog_bytes,
        drain_hours,
    }
}

/// A site's row for a month.
fn site_row(name: &Name, st: &Storage, z: &SiteMonth) -> SiteRow {
    let fp = &z.footprint;
    SiteRow {
        name: name.clone(),
        enclosures: st.enclosures,
        enclosures_needed: st.need.enclosures_needed,
        nodes: z.nodes,
        nodes_needed: z.nodes_needed,
        cores: z.cores,
        stored_pb: st.need.stored.pb(),
        raw_needed_pb: st.need.raw_needed.pb(),
        usable_pb: st.usable.pb(),
        effective_pb: st.effective.pb(),
        write_gbytes_per_s: z.write.gbytes_per_second(),
        read_gbytes_per_s: z.read.gbytes_per_second(),
        racks: fp.racks,
        switches: z.switches,
        rack_units: fp.rack_units,
        power_kw: fp.power_kw,
    }
}

/// The ports configured on all cloud paths and on all inter-site paths: what a month's
/// port-hours are charged for ([`Prices::ports_usd`]).
pub(crate) fn ports_configured(s: &Scenario, paths: &[Path]) -> (f64, f64) {
    let cloud_paths = paths.iter().filter(|p| p.kind == PathKind::Cloud).count() as f64;
    let inter_paths = paths.len() as f64 - cloud_paths;
    (
        cloud_paths * f64::from(s.links.cloud.ports),
        inter_paths * f64::from(s.links.inter_site.ports),
    )
}

/// A month's money, from the pass both runs make.
struct MonthCosts {
    volume: Bytes,
    egress_usd: Usd,
    cost: Costs,
    cumulative: f64,
}

/// Computes one topology over the timeline: sizes the sites, then makes two passes. The
/// first, which every run makes, goes month by month through the money (and, without
/// `detail`, feasibility and ports); the second, only with `detail` (the report's own
/// topology), builds the month rows, the verdicts and the expansion plan from what the
/// first left. `main` is the other run's sizing, when there is one (the comparison run
/// gets the report's own), to take footprints from.
fn run(
    s: &Scenario,
    prices: &Prices,
    timeline: &Timeline,
    topology: Topology,
    main: Option<&[SiteMonth]>,
    detail: bool,
) -> Run {
    let site_list: Vec<(&str, f64)> = s
        .sites
        .iter()
        .map(|x| (x.name.as_str(), x.copy_fraction))
        .collect();
    let sites = site_list.len();
    let paths = topology::paths(topology, &site_list);
    let copies = topology::copies_leaving_cloud(&paths);
    let incoming = topology::incoming(&paths, sites);
    let forwarded = topology::forwarded(&paths, sites);
    let hw = s.hardware();
    let window = Bytes(s.network.tcp_window_mib * 1_048_576.0);
    let mean_object = Bytes::from_gb(s.source.mean_object_mb / 1000.0);
    let extra_read = BitRate::from_gbytes_per_second(s.cluster.read_gbytes_per_s);
    let licence_plan = prices.licence.for_term(s.pricing.term_years);

    let fixed: Vec<PathFixed> = paths
        .iter()
        .map(|p| {
            let link = match p.kind {
                PathKind::Cloud => &s.links.cloud,
                PathKind::InterSite => &s.links.inter_site,
            };
            let bundle = s.bundle(link);
            let per_stream = per_stream_rate(
                window,
                s.network.mss_bytes(),
                s.network.mathis_c(),
                link.rtt_ms / 1000.0,
                link.loss_rate,
            );
            PathFixed {
                bundle,
                payload_capacity: bundle.payload_capacity(),
                per_stream,
                capacity_gbps: bundle.capacity().gbps(),
                payload_capacity_gbps: bundle.payload_capacity().gbps(),
                per_stream_gbps: per_stream.gbps(),
            }
        })
        .collect();
    let (cloud_ports, inter_site_ports) = ports_configured(s, &paths);
    let sized = size_sites(&hw, timeline, &incoming, &forwarded, extra_read, main);
    let storage = &timeline.storage;

    let horizon = timeline.months.len();
    // The month rows' money; the comparison run builds no rows.
    let mut priced = Vec::with_capacity(if detail { horizon } else { 0 });
    let mut capex = 0.0;
    let mut cumulative = 0.0;
    // The first month a path is infeasible (and the path's index, named once at the end)
    // and the most ports any month needs on each path: a run without `detail` finds them
    // in its first pass, the report's own topology reads them off its path rows.
    let mut first_infeasible: Option<(Month, usize)> = None;
    let mut ports_needed = vec![0u64; paths.len()];
    // Seeding is measured at month 0.
    let seed_days = timeline.months.first().and_then(|mf| {
        let seeds = paths
            .iter()
            .zip(&fixed)
            .map(|(p, f)| seeding_seconds(s.seed() * p.carry, f.payload_capacity, p.rate(mf.r)));
        slowest(seeds).map(|sec| sec / SECONDS_PER_DAY)
    });
    let mut egress_gib = 0.0;
    let mut egress_total = 0.0;
    let mut ports_total = 0.0;

    for (m, mf) in timeline.months.iter().enumerate() {
        let (r_peak, hours, year_share) = (mf.r_peak, mf.hours, mf.year_share);
        let volume = monthly_volume(mf.change, mf.days, copies);
        let egress_usd = prices.egress.cost(volume);
        let requests = prices
            .request
            .map_or(Usd::ZERO, |p| request_cost(volume, mean_object, p));

        if !detail {
            for (j, (p, f)) in paths.iter().zip(&fixed).enumerate() {
                let pp = p.rate(r_peak);
                if !f.bundle.feasible(pp) && first_infeasible.is_none() {
                    first_infeasible = Some((mf.month, j));
                }
                ports_needed[j] = ports_needed[j].max(f.bundle.ports_needed(pp));
            }
        }

        let mut hardware = 0.0;
        let mut licence = Usd::ZERO;
        let mut power = 0.0;
        let mut space = 0.0;
        for k in m * sites..(m + 1) * sites {
            let (z, st) = (&sized[k], &storage[k]);
            let (add_e, add_n, add_s) = z.added;
            let fp = &z.footprint;
            hardware += prices.hardware_usd(add_e, add_n, add_s);
            licence += licence_plan.per_year(&Quantities {
                cores: z.cores,
                usable: st.usable,
                effective: st.effective,
                enclosures: st.enclosures,
                nodes: z.nodes,
            }) * year_share;
            power += fp.power_kw * hours * prices.pue * prices.power_usd_per_kwh;
            space += prices.space.per_month(fp);
        }
        capex += hardware;
        let ports = prices.ports_usd(cloud_ports, inter_site_ports, hours);
        let cost = Costs {
            egress: egress_usd.0,
            requests: requests.0,
            ports: ports.0,
            licence: licence.0,
            hardware,
            support: prices.support_usd(capex, year_share),
            power,
            space,
            total: 0.0,
        }
        .with_total();
        cumulative += cost.total;
        egress_gib += volume.gib();
        egress_total += egress_usd.0;
        ports_total += ports.0;
        if !detail {
            continue;
        }
        priced.push(MonthCosts {
            volume,
            egress_usd,
            cost,
            cumulative,
        });
    }

    // The second pass: what only the report's own topology shows.
    let mut months = Vec::new();
    let mut expansion = Vec::new();
    let mut verdicts = Vec::new();
    if detail {
        let path_names: Vec<Name> = paths.iter().map(|p| Name::new(&p.name)).collect();
        let site_names: Vec<Name> = site_list.iter().map(|(n, _)| Name::new(n)).collect();
        let window_hours = s.change.window_hours;
        // Collected, not pushed, down to the rows: each is written in place instead of
        // being built aside and copied in, which showed in the profile.
        months = timeline
            .months
            .iter()
            .zip(&priced)
            .map(|(mf, mc)| MonthRow {
                month: mf.month,
                days: mf.days,
                lake_pb: mf.lake.pb(),
                daily_change_pb: mf.change.pb_per_day(),
                sustained_gbps: mf.r.gbps(),
                window_gbps: mf.r_window.gbps(),
                peak_gbps: mf.r_peak.gbps(),
                copies_leaving_cloud: copies,
                egress_gib: mc.volume.gib(),
                egress_usd: mc.egress_usd.0,
                // Filled below, in place.
                paths: Rows::new(),
                sites: Rows::new(),
                cost_usd: mc.cost,
                cloud_cluster: None,
                object_store_usd: None,
                cumulative_usd: mc.cumulative,
            })
            .collect();
        // Each path's and site's row written into its month's row where it stays: built
        // aside and moved in, the rows were copied twice over (a tenth of a report's time).
        for (m, (row, mf)) in months.iter_mut().zip(&timeline.months).enumerate() {
            row.paths.extend(
                paths
                    .iter()
                    .zip(fixed.iter().zip(&path_names))
                    .map(|(p, (f, name))| path_row(p, f, name, mf.r, mf.r_peak, window_hours)),
            );
            row.sites.extend(
                sized[m * sites..(m + 1) * sites]
                    .iter()
                    .zip(&storage[m * sites..(m + 1) * sites])
                    .zip(&site_names)
                    .map(|((z, st), name)| site_row(name, st, z)),
            );
        }
        first_infeasible = months.iter().find_map(|row| {
            let j = row.paths.iter().position(|p| !p.feasible)?;
            Some((row.month, j))
        });
        for row in &months {
            for (most, p) in ports_needed.iter_mut().zip(&row.paths) {
                *most = (*most).max(p.ports_needed);
            }
        }
        // At most one step per site and month.
        expansion.reserve(sites * horizon);
        for (m, mf) in timeline.months.iter().enumerate() {
            for (i, site) in site_names.iter().enumerate() {
                let k = m * sites + i;
                let (add_e, add_n, _) = sized[k].added;
                if add_e > 0 || add_n > 0 {
                    expansion.push(Expansion {
                        month: mf.month,
                        site: site.clone(),
                        enclosures_added: add_e,
                        nodes_added: add_n,
                        enclosures_total: storage[k].enclosures,
                        nodes_total: sized[k].nodes,
                    });
                }
            }
        }
        // Each path's backlog in words, in the first and the last month.
        let ends = [0, horizon.saturating_sub(1)];
        let ends = if horizon > 1 {
            &ends[..]
        } else {
            &ends[..horizon]
        };
        verdicts.reserve(ends.len() * paths.len());
        for mf in ends.iter().map(|&m| &timeline.months[m]) {
            for (p, (f, name)) in paths.iter().zip(fixed.iter().zip(&path_names)) {
                let backlog = f
                    .bundle
                    .backlog(p.rate(mf.r), p.rate(mf.r_peak), window_hours);
                verdicts.push(Verdict {
                    month: mf.month,
                    path: name.clone(),
                    backlog: backlog_fields(&backlog).0,
                    text: backlog.describe(),
                });
            }
        }
    }

    let max_cloud_ports = paths
        .iter()
        .zip(&ports_needed)
        .filter(|(p, _)| p.kind == PathKind::Cloud)
        .map(|(_, &n)| n)
        .max()
        .unwrap_or(0);
    let cloud_link = &s.links.cloud;
    let summary = Summary {
        first_infeasible_month: first_infeasible.as_ref().map(|(m, _)| *m),
        first_infeasible_path: first_infeasible.map(|(_, j)| paths[j].name.clone()),
        seed_pb: s.seed().pb(),
        seed_days,
        bdp_bytes_per_port: bdp(
            BitRate::from_gbps(cloud_link.port_gbps),
            cloud_link.rtt_ms / 1000.0,
        )
        .0,
        total_cost_usd: cumulative,
        total_egress_gib: egress_gib,
        implied_cagr: timeline.implied_cagr,
        usd_per_effective_tb_month: (timeline.effective_tb_months > 0.0)
            .then(|| cumulative / timeline.effective_tb_months),
        usd_per_lake_tb_month: (timeline.lake_tb_months > 0.0)
            .then(|| cumulative / timeline.lake_tb_months),
        verdicts,
        cloud: None,
    };
    Run {
        topology,
        sized,
        path_names: paths.into_iter().map(|p| p.name).collect(),
        copies,
        months,
        expansion,
        summary,
        egress_gib,
        egress_usd: egress_total,
        ports_usd: ports_total,
        max_cloud_ports,
        ports_needed,
    }
}

/// The cloud placements beside the report's own (`crate::cloud`), written into its
/// month and year rows.
fn place(
    s: &Scenario,
    cluster: &crate::scenario::CloudCluster,
    cloud: &crate::cloud::CloudPrices,
    months: &mut [MonthRow],
    years: &mut [YearRow],
) -> CloudSummary {
    let input: Vec<crate::cloud::MonthIn> = months
        .iter()
        .map(|m| crate::cloud::MonthIn {
            month: m.month,
            days: m.days,
            lake: Bytes::from_pb(m.lake_pb),
            changed: Bytes::from_pb(m.daily_change_pb * f64::from(m.days)),
            sustained_gbps: m.sustained_gbps,
            on_prem_usd: m.cost_usd.total,
        })
        .collect();
    let out = crate::cloud::compute(
        &crate::cloud::Inputs {
            cluster,
            prices: cloud,
            term_years: s.pricing.term_years,
            reduction: s.cluster.data_reduction,
            mean_object: Bytes::from_gb(s.source.mean_object_mb / 1000.0),
        },
        &input,
    );
    for ((m, row), store) in months.iter_mut().zip(out.months).zip(out.object_store) {
        m.cloud_cluster = Some(row);
        m.object_store_usd = Some(store);
    }
    for (y, p) in years.iter_mut().zip(out.years) {
        y.placements = Some(p.total);
        y.placements_usd_per_usable_tb_month = p.usd_per_usable_tb_month;
    }
    out.summary
}

fn year_rows(months: &[MonthRow]) -> Vec<YearRow> {
    let mut years: Vec<YearRow> = Vec::new();
    let mut cumulative = 0.0;
    for m in months {
        cumulative += m.cost_usd.total;
        match years.last_mut() {
            Some(y) if y.year == m.month.year() => {
                y.months += 1;
                y.cost_usd.add(&m.cost_usd);
                y.cumulative_usd = cumulative;
            }
            _ => years.push(YearRow {
                year: m.month.year(),
                months: 1,
                cost_usd: m.cost_usd,
                cumulative_usd: cumulative,
                placements: None,
                placements_usd_per_usable_tb_month: None,
            }),
        }
    }
    years
}

fn claim_rows(s: &Scenario) -> Vec<ClaimRow> {
    let lake = Bytes::from_pb(s.lake.initial_pb);
    let plan_basis = match s.change.basis {
        crate::change::ChangeBasis::PercentPerDay => ClaimBasis::PercentPerDay,
        crate::change::ChangeBasis::PbPerDay => ClaimBasis::PbPerDay,
        crate::change::ChangeBasis::PbPerMonth => ClaimBasis::PbPerMonth,
    };
    let plan = claims::forms(plan_basis, s.change.value, lake);
    std::iter::once(("scenario change", plan_basis, s.change.value))
        .chain(
            s.claims
                .iter()
                .map(|c| (c.label.as_str(), c.basis, c.value)),
        )
        .map(|(label, basis, value)| {
            let f = claims::forms(basis, value, lake);
            ClaimRow {
                label: label.to_string(),
                basis,
                value,
                lake_pb: lake.pb(),
                percent_per_day: f.percent_per_day,
                pb_per_day: f.pb_per_day,
                pb_per_month: f.pb_per_month,
                tbps: f.tbps,
                ratio_to_plan: claims::ratio(&f, &plan),
                factor: claims::factor(&f, &plan),
                agrees_with_plan: claims::agree(&f, &plan),
            }
        })
        .collect()
}

/// What each site has, month by month, over the first `months` months of a report: the
/// input for re-pricing the same cluster under another licence plan.
pub fn licence_quantities(report: &Report, months: usize) -> Vec<(Month, Vec<Quantities>)> {
    report
        .months
        .iter()
        .take(months)
        .map(|m| {
            let sites = m
                .sites
                .iter()
                .map(|s| Quantities {
                    cores: s.cores,
                    usable: Bytes::from_pb(s.usable_pb),
                    effective: Bytes::from_pb(s.effective_pb),
                    enclosures: s.enclosures,
                    nodes: s.nodes,
                })
                .collect();
            (m.month, sites)
        })
        .collect()
}

/// The licence cost of `plan` for the report's cluster over its first `months` months,
/// under a `term_years` contract: "price the same cluster under another plan".
pub fn licence_cost(report: &Report, plan: &Plan, term_years: u32, months: usize) -> Usd {
    plan.over(&licence_quantities(report, months), term_years)
}

/// The rate of `plan_a`'s component `component` at which `plan_a` costs what `plan_b`
/// does for the report's cluster over its first `months` months ("at what $/core do
/// they break even?"); see [`crate::pricing::break_even_rate`].
pub fn licence_break_even(
    report: &Report,
    plan_a: &Plan,
    component: usize,
    plan_b: &Plan,
    term_years: u32,
    months: usize,
) -> Option<f64> {
    crate::pricing::break_even_rate(
        plan_a,
        component,
        plan_b,
        &licence_quantities(report, months),
        term_years,
    )
}

impl Report {
    /// The most ports path number `path` needs in any month of the horizon: the count that
    /// keeps every month feasible, which is what a plan must order (growth makes the last
    /// month's need the usual maximum, but a points curve can peak earlier).
    pub fn max_ports_needed(&self, path: usize) -> u64 {
        self.months
            .iter()
            .filter_map(|m| m.paths.get(path))
            .map(|p| p.ports_needed)
            .max()
            .unwrap_or(0)
    }

    /// The totals of the scenario's own topology (the first of `topologies`).
    pub fn own_topology(&self) -> Option<&TopologyTotals> {
        self.topologies.iter().find(|t| t.topology == self.topology)
    }
}

/// The report as CSV: one row per month with raw numbers (units in the headers), then
/// the summary as `summary,value` and `field,value` rows, then (for a priced report) the
/// price-book rows used under a [`PRICE_ROW_COLUMNS`] header and the unpriced costs under
/// `unpriced,reason`. Path and site columns are prefixed with the path's or site's name.
/// Numbers are written in Rust's shortest round-trip form, so reading them back gives the
/// same f64.
pub fn to_csv(report: &Report) -> String {
    match write_csv(report) {
        Ok(text) => text,
        // Writing into memory cannot fail; should the csv crate ever report an error, it
        // shows in the output instead of vanishing.
        Err(e) => format!("error,{e}\n"),
    }
}

/// The month columns a `cloud_cluster` scenario adds, after `cumulative_usd`.
pub const CLOUD_COLUMNS: &[&str] = &[
    "cloud_instances",
    "cloud_bound",
    "cloud_usable_tb",
    "cloud_raw_tb",
    "cloud_licensed_tb",
    "cloud_instances_usd",
    "cloud_licence_a_usd",
    "cloud_licence_b_usd",
    "cloud_protection_usd",
    "object_store_usd",
];

/// The table of placements by year a `cloud_cluster` scenario adds after the summary.
pub const PLACEMENT_COLUMNS: &[&str] = &[
    "year",
    "object_store_usd",
    "on_prem_usd",
    "cloud_a_usd",
    "cloud_b_usd",
    "cheapest",
    "object_store_usd_per_usable_tb_month",
    "on_prem_usd_per_usable_tb_month",
    "cloud_a_usd_per_usable_tb_month",
    "cloud_b_usd_per_usable_tb_month",
];

fn write_csv(report: &Report) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut header: Vec<String> = [
        "month",
        "days",
        "lake_pb",
        "daily_change_pb",
        "sustained_gbps",
        "window_gbps",
        "peak_gbps",
        "copies_leaving_cloud",
        "egress_gib",
        "egress_usd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(first) = report.months.first() {
        for p in &first.paths {
            for f in PATH_COLUMNS {
                header.push(format!("{} {f}", p.name));
            }
        }
        for site in &first.sites {
            for f in SITE_COLUMNS {
                header.push(format!("{} {f}", site.name));
            }
        }
    }
    for f in COST_COLUMNS {
        header.push(format!("cost_{f}_usd"));
    }
    header.push("cumulative_usd".into());
    let cloud = report.summary.cloud.as_ref();
    if cloud.is_some() {
        header.extend(CLOUD_COLUMNS.iter().map(|c| c.to_string()));
    }
    w.write_record(&header)?;
    for m in &report.months {
        let mut row: Vec<String> = vec![
            m.month.to_string(),
            m.days.to_string(),
            m.lake_pb.to_string(),
            m.daily_change_pb.to_string(),
            m.sustained_gbps.to_string(),
            m.window_gbps.to_string(),
            m.peak_gbps.to_string(),
            m.copies_leaving_cloud.to_string(),
            m.egress_gib.to_string(),
            m.egress_usd.to_string(),
        ];
        for p in &m.paths {
            row.extend([
                p.capacity_gbps.to_string(),
                p.payload_capacity_gbps.to_string(),
                p.utilization.to_string(),
                p.feasible.to_string(),
                p.ports_needed.to_string(),
                p.streams_needed.to_string(),
                p.backlog.name().to_string(),
            ]);
        }
        for s in &m.sites {
            row.extend([
                s.enclosures.to_string(),
                s.nodes.to_string(),
                s.cores.to_string(),
                s.usable_pb.to_string(),
                s.racks.to_string(),
                s.power_kw.to_string(),
            ]);
        }
        let c = &m.cost_usd;
        for v in [
            c.egress, c.requests, c.ports, c.licence, c.hardware, c.support, c.power, c.space,
            c.total,
        ] {
            row.push(v.to_string());
        }
        row.push(m.cumulative_usd.to_string());
        if let (Some(_), Some(c)) = (cloud, &m.cloud_cluster) {
            row.extend([
                c.instances.to_string(),
                c.bound.as_str().to_string(),
                c.usable_tb.to_string(),
                c.raw_tb.to_string(),
                c.licensed_tb.to_string(),
                c.instances_usd.to_string(),
                c.licence_a_usd.to_string(),
                c.licence_b_usd.to_string(),
                c.protection_usd.to_string(),
                m.object_store_usd.map_or(String::new(), |v| v.to_string()),
            ]);
        }
        w.write_record(&row)?;
    }
    let s = &report.summary;
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    w.write_record(["summary", "value"])?;
    for (k, v) in [
        (
            "first_infeasible_month",
            s.first_infeasible_month
                .map_or(String::new(), |m| m.to_string()),
        ),
        (
            "first_infeasible_path",
            s.first_infeasible_path.clone().unwrap_or_default(),
        ),
        ("seed_pb", s.seed_pb.to_string()),
        ("seed_days", opt(s.seed_days)),
        ("bdp_bytes_per_port", s.bdp_bytes_per_port.to_string()),
        ("total_cost_usd", s.total_cost_usd.to_string()),
        ("total_egress_gib", s.total_egress_gib.to_string()),
        ("implied_cagr", opt(s.implied_cagr)),
        (
            "usd_per_effective_tb_month",
            opt(s.usd_per_effective_tb_month),
        ),
        ("usd_per_lake_tb_month", opt(s.usd_per_lake_tb_month)),
        ("price_book", report.price_book.clone()),
        ("model_version", report.model_version.clone()),
    ] {
        w.write_record([k, v.as_str()])?;
    }
    if let Some(c) = cloud {
        for (k, v) in [
            ("cloud_instance", c.instance.id.clone()),
            (
                "cloud_commitment",
                c.instance.commitment.as_str().to_string(),
            ),
            ("cloud_usd_per_hour", c.instance.usd_per_hour.to_string()),
            (
                "cloud_rate_usd_per_tb_month",
                c.cloud_rate_usd_per_tb_month.to_string(),
            ),
            ("cloud_term_months", c.term_months.to_string()),
            (
                "alignment_rate_usd_per_tb_month",
                opt(c.alignment_rate_usd_per_tb_month),
            ),
            (
                "on_prem_equivalent_rate_usd_per_tb_month",
                opt(c.on_prem_equivalent_rate_usd_per_tb_month),
            ),
        ] {
            w.write_record([k, v.as_str()])?;
        }
        w.write_record(PLACEMENT_COLUMNS)?;
        for (y, cheapest) in report.years.iter().zip(&c.cheapest_by_year) {
            let (Some(p), per) = (y.placements, y.placements_usd_per_usable_tb_month) else {
                continue;
            };
            let per = |f: fn(&Placements) -> f64| opt(per.as_ref().map(f));
            w.write_record([
                y.year.to_string(),
                p.object_store.to_string(),
                p.on_prem.to_string(),
                p.cloud_a.to_string(),
                p.cloud_b.to_string(),
                cheapest.placement.as_str().to_string(),
                per(|p| p.object_store),
                per(|p| p.on_prem),
                per(|p| p.cloud_a),
                per(|p| p.cloud_b),
            ])?;
        }
    }
    let a = &report.assumptions;
    if !a.rows_used.is_empty() {
        w.write_record(PRICE_ROW_COLUMNS)?;
        for r in &a.rows_used {
            w.write_record([
                r.id.clone(),
                r.value.to_string(),
                r.unit.to_string(),
                r.confidence.to_string(),
                r.needs_override().to_string(),
                r.read_on.to_string(),
                r.source.clone(),
                r.used_for.clone(),
            ])?;
        }
    }
    if !a.unpriced.is_empty() {
        w.write_record(["unpriced", "reason"])?;
        for u in &a.unpriced {
            w.write_record([u.field.as_str(), u.reason.as_str()])?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes)
        .map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

/// Per-path CSV columns, after the path's name.
pub const PATH_COLUMNS: [&str; 7] = [
    "capacity_gbps",
    "payload_capacity_gbps",
    "utilization",
    "feasible",
    "ports_needed",
    "streams_needed",
    "backlog",
];
/// Per-site CSV columns, after the site's name.
pub const SITE_COLUMNS: [&str; 6] = [
    "enclosures",
    "nodes",
    "cores",
    "usable_pb",
    "racks",
    "power_kw",
];
/// The price-row section of the CSV, after the summary: one row per price-book row used.
pub const PRICE_ROW_COLUMNS: [&str; 8] = [
    "price_row",
    "value",
    "unit",
    "confidence",
    "needs_override",
    "read_on",
    "source",
    "used_for",
];
/// Cost columns, as `cost_{kind}_usd`.
pub const COST_COLUMNS: [&str; 9] = [
    "egress", "requests", "ports", "licence", "hardware", "support", "power", "space", "total",
];
