//! Goal-seek: the input that makes a plan work, each found exactly and stated to the unit
//! that matters.
//!
//! Every answer is computed with the report's own functions in the report's own order
//! (the same lake curve, change, rates, bundles, seeding and sizing calls), so "feasible
//! at the answer" here is feasible in the report, to the bit. Each search starts from the
//! closed form (a ceiling, or a ratio of capacity to demand) and then steps with the
//! model's own predicate until the answer holds and one step short of it does not: the
//! closed form is only where the search starts, the predicate is what decides.
//!
//! | question | answer | stated to |
//! |---|---|---|
//! | ports that keep every month feasible | per link field (`links.cloud.ports`) | 1 port |
//! | the highest change rate the planned links carry | `change.value` in the scenario's basis, with %/day and PB/month at the initial lake | 3 significant figures, rounded down |
//! | the month each path saturates | a month, or none within the horizon | 1 month |
//! | ports that seed within N days | per link field | 1 port |
//! | $/core at which two plans cost the same over the term | the core component's rate | 1 cent, rounded down |
//! | lake size at which a site needs its next enclosure | whole-lake PB | 1 TB, rounded up |
//!
//! Ports are per link field because a field sets every path of its kind (every cloud path
//! of a fan-out has `links.cloud.ports` ports): the answer is what the busiest of them
//! needs, and the sentence names it.

use crate::calendar::Month;
use crate::change::{daily_change, peak_rate, sustained_rate, ChangeBasis};
use crate::claims::{forms, ClaimBasis};
use crate::cloud::Placement;
use crate::display::{grouped, usd};
use crate::field::FieldError;
use crate::links::{seeding_seconds, Bundle};
use crate::pricing::{Basis, Plan};
use crate::report::{compute_priced, licence_quantities, Report};
use crate::scenario::{Link, Scenario, ScenarioErrors};
use crate::topology::{self, Path, PathKind};
use crate::units::{BitRate, Bytes, SECONDS_PER_DAY};
use crate::whatif::{covering, plural, stated, steps_value, three_figure_step};

/// What the goal-seek needs beyond the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GoalSeekOptions {
    /// Answer "how many ports seed the lake within this many days?" too.
    #[serde(default)]
    pub seed_within_days: Option<f64>,
}

/// Every goal-seek answer for a scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoalSeek {
    /// One per link field with paths (cloud, and inter-site in a chain of two or more).
    pub ports: Vec<PortsAnswer>,
    pub max_change: MaxChangeAnswer,
    /// One per path, in the report's order.
    pub saturation: Vec<SaturationAnswer>,
    /// When [`GoalSeekOptions::seed_within_days`] is given.
    pub seed_ports: Option<SeedPortsAnswer>,
    /// One per ordered pair of plans whose first has a per-core component.
    pub break_even: Vec<BreakEvenAnswer>,
    /// One per site.
    pub next_enclosure: Vec<NextEnclosureAnswer>,
    /// Where the cheapest placement changes (`cloud_cluster` scenarios only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<PlacementAnswer>,
}

/// The lake size at which the cheapest placement over the term changes: the whole growth
/// curve scaled (initial, target and points alike), searched up and down from the plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlacementAnswer {
    /// The cheapest placement over the term as planned.
    pub cheapest: Placement,
    pub initial_pb: f64,
    /// The smallest larger initial lake (to 1 TB) where another placement is cheapest,
    /// and which; `None` up to 100 × the plan.
    pub above: Option<PlacementChange>,
    /// The largest smaller initial lake (to 1 TB) where another placement is cheapest;
    /// `None` down to 1/100 of the plan.
    pub below: Option<PlacementChange>,
    pub sentence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlacementChange {
    pub initial_pb: f64,
    pub placement: Placement,
}

/// The ports a link field needs so that every path it sets is feasible in every month.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PortsAnswer {
    /// `links.cloud.ports` or `links.inter_site.ports`.
    pub field: String,
    pub paths: Vec<String>,
    pub port_gbps: f64,
    pub planned: u32,
    /// The fewest ports that keep every month feasible; `None` when more than a port
    /// count can hold (4 294 967 295).
    pub needed: Option<u32>,
    /// Where the need is greatest.
    pub busiest_month: Option<Month>,
    pub busiest_path: Option<String>,
    pub busiest_peak_gbps: f64,
    pub sentence: String,
}

/// The highest daily change the planned links carry in every month.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MaxChangeAnswer {
    /// `change.value`, in the scenario's basis.
    pub field: String,
    pub basis: ChangeBasis,
    pub planned: f64,
    /// The highest value, rounded down to `step`, at which every path is feasible in every
    /// month; `value + step` is not.
    pub value: f64,
    pub step: f64,
    /// The basis is a percentage and even 100 %/day fits.
    pub capped: bool,
    /// The same change in each form, at the initial lake size.
    pub percent_per_day: f64,
    pub pb_per_day: f64,
    pub pb_per_month: f64,
    /// The month and path that set the limit.
    pub binding_month: Option<Month>,
    pub binding_path: Option<String>,
    pub sentence: String,
}

/// The first month a path cannot carry the busy-day rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SaturationAnswer {
    pub path: String,
    /// `None`: the path carries the change in every month of the horizon.
    pub month: Option<Month>,
    /// Months from the start.
    pub month_index: Option<u32>,
    /// The busy-day rate and the payload capacity in that month (in the last month when
    /// the path never saturates).
    pub peak_gbps: f64,
    pub payload_capacity_gbps: f64,
    pub sentence: String,
}

/// The ports that seed the lake within a number of days.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeedPortsAnswer {
    pub within_days: f64,
    pub links: Vec<SeedLink>,
    /// Seeding time as planned, and with every link at its answer.
    pub seed_days_planned: Option<f64>,
    pub seed_days_at_answer: Option<f64>,
    pub sentence: String,
}

/// One link field's share of a [`SeedPortsAnswer`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeedLink {
    pub field: String,
    pub paths: Vec<String>,
    pub planned: u32,
    /// The fewest ports with which every path of the field seeds its share in time;
    /// `None` when more than a port count can hold.
    pub needed: Option<u32>,
}

/// The per-core rate at which two plans cost the same over the term.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BreakEvenAnswer {
    /// The plan whose per-core component moves, and the plan it is compared with.
    pub plan: String,
    pub component: String,
    pub against: String,
    /// The override that sets the rate, for a flat (untiered) component.
    pub field: Option<String>,
    /// The book's rate (after any override), $ per core-year.
    pub book_usd_per_core_year: f64,
    /// The highest rate, to the cent, at which `plan` costs no more than `against` over
    /// the term (one cent more and it costs more); `None` when no rate ≥ 0 does.
    pub usd_per_core_year: Option<f64>,
    pub term_years: u32,
    pub months: u32,
    pub sentence: String,
}

/// The lake size at which a site needs one enclosure more than it starts with.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NextEnclosureAnswer {
    pub site: String,
    /// Enclosures installed in the first month.
    pub installed: u64,
    pub next: u64,
    /// The smallest whole-lake size, to the TB (shown in PB), at which the site needs
    /// `next` enclosures; one TB less and `installed` still do.
    pub lake_pb: f64,
    /// The first month of the plan in which the lake is that large, if any.
    pub month: Option<Month>,
    pub sentence: String,
}

/// Every goal-seek answer. Errors are the scenario's own (invalid, or not priceable), and
/// `seed_within_days` when it is not a positive number of days.
///
/// ```
/// use lakeplan_models::presets;
/// use lakeplan_models::whatif::goal_seek::{goal_seek, GoalSeekOptions};
///
/// let s = presets::reference().scenario().unwrap();
/// let g = goal_seek(&s, &GoalSeekOptions { seed_within_days: Some(30.0) }).unwrap();
/// // docs/model.md#goal-seek: 53 ports carry 450 PB at 10 %/day; the lake grows to 770 PB.
/// assert!(g.ports[0].needed.unwrap() > 53);
/// assert_eq!(g.saturation[0].month.unwrap().to_string(), "2026-01");
/// assert!(g.max_change.value < 10.0);
/// ```
pub fn goal_seek(s: &Scenario, opts: &GoalSeekOptions) -> Result<GoalSeek, ScenarioErrors> {
    let report = compute_priced(s)?;
    let seed_ports = match opts.seed_within_days {
        Some(days) => Some(ports_to_seed_within(s, days)?),
        None => None,
    };
    Ok(GoalSeek {
        ports: ports_for_every_month(s),
        max_change: max_change(s),
        saturation: saturation(&report),
        seed_ports,
        break_even: break_evens(s)?,
        next_enclosure: next_enclosures(s, &report),
        placement: placement_change(s, &report),
    })
}

// ---------------------------------------------------------------------------------------
// Where the cheapest placement changes

/// The scenario with its lake scaled by `k` (initial size, target and points), priced:
/// the cheapest placement over the term, or `None` when it cannot be computed.
fn cheapest_at(s: &Scenario, k: f64) -> Option<Placement> {
    let mut t = s.clone();
    t.lake.initial_pb *= k;
    t.lake.target_pb = t.lake.target_pb.map(|x| x * k);
    for p in &mut t.lake.points {
        p.pb *= k;
    }
    if let Some(seed) = &mut t.network.seed_pb {
        *seed *= k;
    }
    // A change stated in PB scales with the lake too; a percentage already does.
    if t.change.basis != ChangeBasis::PercentPerDay {
        t.change.value *= k;
    }
    let r = compute_priced(&t).ok()?;
    r.summary.cloud.map(|c| c.term_usd.cheapest())
}

/// How far up and down the lake may scale before the cheapest placement over the term
/// changes, each to 1 TB of the initial lake. The search steps by doubling (or halving)
/// up to 100× (1/100) and bisects the first step where another placement is cheapest: a
/// change that reverts within one step is not seen. A size that cannot be priced ends
/// the search in that direction.
pub fn placement_change(s: &Scenario, report: &Report) -> Option<PlacementAnswer> {
    use crate::display::grouped;
    let here = report.summary.cloud.as_ref()?.term_usd.cheapest();
    let initial = s.lake.initial_pb;
    // The first factor in the direction `up` (×2 or ÷2 a step, at most 100×) where the
    // cheapest differs, then bisected to 1 TB of the initial lake.
    let search = |up: bool| -> Option<PlacementChange> {
        let mut inside = 1.0_f64;
        let mut k = 1.0_f64;
        let outside = loop {
            k = if up {
                (k * 2.0).min(100.0)
            } else {
                (k / 2.0).max(0.01)
            };
            match cheapest_at(s, k) {
                Some(p) if p != here => break (k, p),
                Some(_) if k != 100.0 && k != 0.01 => inside = k,
                _ => return None,
            }
        };
        let (mut a, mut b) = (inside, outside.0);
        let mut placement = outside.1;
        while (a - b).abs() * initial > 0.001 {
            let mid = (a + b) / 2.0;
            match cheapest_at(s, mid)? {
                p if p != here => {
                    b = mid;
                    placement = p;
                }
                _ => a = mid,
            }
        }
        // To whole TB, on the side where the other placement is cheapest.
        let tb = b * initial * 1000.0;
        let tb = if up { tb.ceil() } else { tb.floor() };
        Some(PlacementChange {
            initial_pb: tb / 1000.0,
            placement,
        })
    };
    let above = search(true);
    let below = search(false);
    let mut sentence = format!(
        "Over the term, the cheapest placement of this lake ({} PB to start) is {}",
        grouped(initial, 1),
        here.label().to_ascii_lowercase()
    );
    match (above, below) {
        (None, None) => sentence.push_str(", from 1/100 to 100 times its size."),
        _ => {
            let mut parts = Vec::new();
            if let Some(a) = above {
                parts.push(format!(
                    "from {} PB it is {}",
                    grouped(a.initial_pb, 3),
                    a.placement.label().to_ascii_lowercase()
                ));
            }
            if let Some(b) = below {
                parts.push(format!(
                    "at {} PB and below, {}",
                    grouped(b.initial_pb, 3),
                    b.placement.label().to_ascii_lowercase()
                ));
            }
            sentence.push_str(&format!(
                "; {} (the growth kept in proportion).",
                parts.join("; ")
            ));
        }
    }
    Some(PlacementAnswer {
        cheapest: here,
        initial_pb: initial,
        above,
        below,
        sentence,
    })
}

// ---------------------------------------------------------------------------------------
// What the links must carry, month by month, computed as the report computes it.

/// The scenario's paths and lake, month by month.
struct Demand {
    months: Vec<Month>,
    lakes: Vec<Bytes>,
    paths: Vec<Path>,
}

impl Demand {
    fn new(s: &Scenario) -> Demand {
        let curve = s.curve();
        let mut months = Vec::new();
        let mut lakes = Vec::new();
        for m in 0..s.horizon_months {
            let Some(month) = s.month(m) else { break };
            months.push(month);
            lakes.push(curve.at(f64::from(m)));
        }
        let sites: Vec<(&str, f64)> = s
            .sites
            .iter()
            .map(|x| (x.name.as_str(), x.copy_fraction))
            .collect();
        Demand {
            months,
            lakes,
            paths: topology::paths(s.network.topology, &sites),
        }
    }

    /// The busy-day rate of the whole lake in month `m` when the change is `value`.
    fn peak(&self, s: &Scenario, m: usize, value: f64) -> BitRate {
        let c = &s.change;
        let change = daily_change(self.lakes[m], c.basis, value);
        peak_rate(change, c.window_hours, c.peak_to_mean)
    }

    /// The daily average of the whole lake in month `m`.
    fn sustained(&self, s: &Scenario, m: usize) -> BitRate {
        let c = &s.change;
        sustained_rate(daily_change(self.lakes[m], c.basis, c.value))
    }

    /// Each link field with its paths (in path order), for the kinds the topology uses.
    fn kinds(&self) -> Vec<(PathKind, Vec<&Path>)> {
        let mut out: Vec<(PathKind, Vec<&Path>)> = Vec::new();
        for p in &self.paths {
            match out.iter_mut().find(|(k, _)| *k == p.kind) {
                Some((_, list)) => list.push(p),
                None => out.push((p.kind, vec![p])),
            }
        }
        out
    }
}

fn link(s: &Scenario, kind: PathKind) -> &Link {
    match kind {
        PathKind::Cloud => &s.links.cloud,
        PathKind::InterSite => &s.links.inter_site,
    }
}

fn field_of(kind: PathKind) -> &'static str {
    match kind {
        PathKind::Cloud => "links.cloud.ports",
        PathKind::InterSite => "links.inter_site.ports",
    }
}

/// The planned bundle of a link with `ports` ports instead.
fn with_ports(s: &Scenario, kind: PathKind, ports: u32) -> Bundle {
    Bundle {
        ports,
        ..s.bundle(link(s, kind))
    }
}

/// The smallest `n` in `[1, u32::MAX]` for which `ok(n)` holds, searched from `start` with
/// a predicate that is false below the answer and true from it on; `None` when even
/// `u32::MAX` does not do.
fn smallest_from(start: u64, ok: impl Fn(u32) -> bool) -> Option<u32> {
    let mut n = u32::try_from(start.max(1)).ok()?;
    // Up from the closed form while it falls short (rounding can leave it one short)...
    let mut tries = 0;
    while !ok(n) {
        n = n.checked_add(1)?;
        tries += 1;
        if tries > 64 {
            // The closed form is never this far off; bisect the rest of the range.
            return bisect_up(n, ok);
        }
    }
    // ...and down while one fewer still does.
    while n > 1 && ok(n - 1) {
        n -= 1;
    }
    Some(n)
}

/// Bisection over `[lo, u32::MAX]` for the first `n` where `ok` holds.
fn bisect_up(lo: u32, ok: impl Fn(u32) -> bool) -> Option<u32> {
    if !ok(u32::MAX) {
        return None;
    }
    let (mut lo, mut hi) = (lo, u32::MAX);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

// ---------------------------------------------------------------------------------------
// Ports for every month

/// The ports each link field needs for every path it sets to be feasible in every month
/// of the horizon.
pub fn ports_for_every_month(s: &Scenario) -> Vec<PortsAnswer> {
    let d = Demand::new(s);
    let value = s.change.value;
    let peaks: Vec<BitRate> = (0..d.months.len()).map(|m| d.peak(s, m, value)).collect();
    d.kinds()
        .into_iter()
        .map(|(kind, paths)| {
            let planned_bundle = s.bundle(link(s, kind));
            let mut busiest: Option<(usize, &Path, u64)> = None;
            for (m, &r_peak) in peaks.iter().enumerate() {
                for p in &paths {
                    let need = planned_bundle.ports_needed(p.rate(r_peak));
                    if busiest.is_none_or(|(_, _, b)| need > b) {
                        busiest = Some((m, p, need));
                    }
                }
            }
            let all_feasible = |n: u32| {
                let b = with_ports(s, kind, n);
                peaks
                    .iter()
                    .all(|&r| paths.iter().all(|p| b.feasible(p.rate(r))))
            };
            let needed = smallest_from(busiest.map_or(1, |(_, _, n)| n), all_feasible);
            let field = field_of(kind).to_string();
            let names: Vec<String> = paths.iter().map(|p| p.name.clone()).collect();
            let l = link(s, kind);
            let (busiest_month, busiest_path, busiest_peak) = match busiest {
                Some((m, p, _)) => (
                    Some(d.months[m]),
                    Some(p.name.clone()),
                    p.rate(peaks[m]).gbps(),
                ),
                None => (None, None, 0.0),
            };
            let sentence = ports_sentence(
                &field,
                &names,
                l,
                needed,
                busiest_month,
                busiest_path.as_deref(),
                busiest_peak,
                d.months.last().copied(),
            );
            PortsAnswer {
                field,
                paths: names,
                port_gbps: l.port_gbps,
                planned: l.ports,
                needed,
                busiest_month,
                busiest_path,
                busiest_peak_gbps: busiest_peak,
                sentence,
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn ports_sentence(
    field: &str,
    names: &[String],
    l: &Link,
    needed: Option<u32>,
    month: Option<Month>,
    path: Option<&str>,
    peak_gbps: f64,
    last: Option<Month>,
) -> String {
    let Some(n) = needed else {
        return format!(
            "{field}: no port count can carry the change on {} at {} Gbps a port.",
            names.join(", "),
            grouped(l.port_gbps, 0)
        );
    };
    let mut text = format!(
        "{} of {} Gbps keep {} feasible in every month{} ({field}).",
        plural(u64::from(n), "port", "ports"),
        grouped(l.port_gbps, 0),
        names.join(", "),
        last.map_or(String::new(), |m| format!(" to {m}"))
    );
    if let (Some(m), Some(p)) = (month, path) {
        text.push_str(&format!(
            " The busiest is {p} in {m}, at {} on a busy day.",
            BitRate::from_gbps(peak_gbps)
        ));
    }
    text.push_str(&if n <= l.ports {
        format!(" The plan's {} are enough.", grouped(f64::from(l.ports), 0))
    } else {
        format!(
            " The plan has {}: {} short.",
            grouped(f64::from(l.ports), 0),
            grouped(f64::from(n - l.ports), 0)
        )
    });
    text
}

// ---------------------------------------------------------------------------------------
// The highest change rate

/// The highest `change.value` (in the scenario's basis) at which every path is feasible in
/// every month with the planned links.
pub fn max_change(s: &Scenario) -> MaxChangeAnswer {
    let d = Demand::new(s);
    let basis = s.change.basis;
    let feasible = |v: f64| {
        (0..d.months.len()).all(|m| {
            let r = d.peak(s, m, v);
            d.paths
                .iter()
                .all(|p| s.bundle(link(s, p.kind)).feasible(p.rate(r)))
        })
    };
    // Closed form: rates are proportional to the value, so the limit is the smallest
    // capacity-to-demand ratio over months and paths.
    let mut limit = f64::INFINITY;
    let mut binding: Option<(usize, &Path)> = None;
    for m in 0..d.months.len() {
        let unit = d.peak(s, m, 1.0);
        for p in &d.paths {
            let demand = p.rate(unit);
            if demand.0 > 0.0 {
                let ratio = s.bundle(link(s, p.kind)).payload_capacity() / demand;
                if ratio < limit {
                    limit = ratio;
                    binding = Some((m, p));
                }
            }
        }
    }
    let cap = match basis {
        ChangeBasis::PercentPerDay => Some(100.0),
        _ => None,
    };
    let (value, step, capped) = match cap {
        Some(c) if limit >= c && feasible(c) => (c, three_figure_step(c), true),
        _ if !limit.is_finite() => (f64::INFINITY, 1.0, false),
        _ => {
            let step = three_figure_step(limit);
            let mut n = (limit / step).floor();
            let over_cap = |n: f64| cap.is_some_and(|c| steps_value(n, step) > c);
            while n > 0.0 && (!feasible(steps_value(n, step)) || over_cap(n)) {
                n -= 1.0;
            }
            while feasible(steps_value(n + 1.0, step)) && !over_cap(n + 1.0) {
                n += 1.0;
            }
            (steps_value(n, step), step, false)
        }
    };
    let initial = Bytes::from_pb(s.lake.initial_pb);
    let claim_basis = match basis {
        ChangeBasis::PercentPerDay => ClaimBasis::PercentPerDay,
        ChangeBasis::PbPerDay => ClaimBasis::PbPerDay,
        ChangeBasis::PbPerMonth => ClaimBasis::PbPerMonth,
    };
    let f = forms(claim_basis, value, initial);
    let binding_month = binding.map(|(m, _)| d.months[m]);
    let binding_path = binding.map(|(_, p)| p.name.clone());
    let sentence = if !value.is_finite() {
        "No path carries any change: the links carry whatever the lake changes.".to_string()
    } else if capped {
        "The planned links carry even 100 % of the lake a day in every month.".to_string()
    } else {
        let planned = s.change.value;
        let verdict = if planned <= value {
            format!("the plan's {planned} {} fits", basis.unit())
        } else {
            format!("the plan's {planned} {} does not", basis.unit())
        };
        let other_forms = match basis {
            ChangeBasis::PercentPerDay => format!("{} PB/month", grouped(f.pb_per_month, 1)),
            _ => format!(
                "{} %/day, {} PB/month",
                grouped(f.percent_per_day, 2),
                grouped(f.pb_per_month, 1)
            ),
        };
        format!(
            "The planned links carry at most {} {} in every month ({other_forms} of the \
             initial {} PB lake); {verdict}.{}",
            stated(value, step),
            basis.unit(),
            grouped(s.lake.initial_pb, 0),
            match (binding_month, &binding_path) {
                (Some(m), Some(p)) => format!(" {p} in {m} sets the limit."),
                _ => String::new(),
            }
        )
    };
    MaxChangeAnswer {
        field: "change.value".into(),
        basis,
        planned: s.change.value,
        value,
        step,
        capped,
        percent_per_day: f.percent_per_day,
        pb_per_day: f.pb_per_day,
        pb_per_month: f.pb_per_month,
        binding_month,
        binding_path,
        sentence,
    }
}

// ---------------------------------------------------------------------------------------
// The month each path saturates

/// For each path of the report, the first month it cannot carry the busy-day rate.
pub fn saturation(report: &Report) -> Vec<SaturationAnswer> {
    let Some(first) = report.months.first() else {
        return Vec::new();
    };
    let horizon = report.months.len();
    first
        .paths
        .iter()
        .enumerate()
        .map(|(j, p0)| {
            let hit = report
                .months
                .iter()
                .enumerate()
                .find(|(_, m)| m.paths.get(j).is_some_and(|p| !p.feasible));
            let (index, row) = match hit {
                Some((i, row)) => (Some(i), row),
                None => (None, &report.months[horizon - 1]),
            };
            let (peak, cap) = row
                .paths
                .get(j)
                .map_or((0.0, 0.0), |p| (p.peak_gbps, p.payload_capacity_gbps));
            let name = p0.name.to_string();
            let rate = |g: f64| BitRate::from_gbps(g).to_string();
            let sentence = match index {
                Some(0) => format!(
                    "{name} is saturated from the first month ({}): the busy-day rate of {} \
                     is more than the {} it carries.",
                    row.month,
                    rate(peak),
                    rate(cap)
                ),
                Some(_) => format!(
                    "{name} saturates in {}, when the busy-day rate reaches {} against the {} \
                     it carries.",
                    row.month,
                    rate(peak),
                    rate(cap)
                ),
                None => format!(
                    "{name} never saturates within the plan's {}: in {} it carries {} of the {} \
                     it can.",
                    plural(horizon as u64, "month", "months"),
                    row.month,
                    rate(peak),
                    rate(cap)
                ),
            };
            SaturationAnswer {
                path: name,
                month: index.map(|_| row.month),
                month_index: index.map(|i| i as u32),
                peak_gbps: peak,
                payload_capacity_gbps: cap,
                sentence,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Ports to seed within N days

/// The ports each link field needs for seeding (at month 0, alongside the change, as the
/// report measures it) to finish within `days` days on every path.
pub fn ports_to_seed_within(s: &Scenario, days: f64) -> Result<SeedPortsAnswer, ScenarioErrors> {
    if !(days.is_finite() && days > 0.0) {
        return Err(ScenarioErrors(vec![FieldError::new(
            "seed_within_days",
            format!("must be a number of days > 0, got {days}"),
        )]));
    }
    let report = compute_priced(s)?;
    let d = Demand::new(s);
    let seed = s.seed();
    let r0 = if d.months.is_empty() {
        BitRate(0.0)
    } else {
        d.sustained(s, 0)
    };
    let in_time = |b: &Bundle, p: &Path| {
        seeding_seconds(seed * p.carry, b.payload_capacity(), p.rate(r0))
            .is_some_and(|sec| sec / SECONDS_PER_DAY <= days)
    };
    let mut links = Vec::new();
    let mut at_answer = s.clone();
    for (kind, paths) in d.kinds() {
        let planned = s.bundle(link(s, kind));
        let per_port = planned.port_speed * (planned.max_utilization * planned.efficiency);
        // Closed form: K ≥ R + S·8 / (N·86 400) on the path that needs most.
        let start = paths
            .iter()
            .map(|p| {
                let need = p.rate(r0).0 + (seed * p.carry).bits() / (days * SECONDS_PER_DAY);
                crate::links::ceil_count(need / per_port.0)
            })
            .max()
            .unwrap_or(1);
        let needed = smallest_from(start, |n| {
            let b = with_ports(s, kind, n);
            paths.iter().all(|p| in_time(&b, p))
        });
        if let Some(n) = needed {
            match kind {
                PathKind::Cloud => at_answer.links.cloud.ports = n,
                PathKind::InterSite => at_answer.links.inter_site.ports = n,
            }
        }
        links.push(SeedLink {
            field: field_of(kind).to_string(),
            paths: paths.iter().map(|p| p.name.clone()).collect(),
            planned: link(s, kind).ports,
            needed,
        });
    }
    let seed_days_at_answer = if links.iter().all(|l| l.needed.is_some()) {
        compute_priced(&at_answer)
            .ok()
            .and_then(|r| r.summary.seed_days)
    } else {
        None
    };
    let planned_days = report.summary.seed_days;
    let sentence = if seed.0 <= 0.0 {
        "Nothing is seeded over the links (network.seed_pb is 0).".to_string()
    } else {
        let parts: Vec<String> = links
            .iter()
            .map(|l| match l.needed {
                Some(n) => format!(
                    "{} on {} (the plan has {})",
                    plural(u64::from(n), "port", "ports"),
                    l.field,
                    grouped(f64::from(l.planned), 0)
                ),
                None => format!("more ports than a link can have on {}", l.field),
            })
            .collect();
        format!(
            "Seeding {} PB within {} needs {}. As planned it takes {}.",
            grouped(seed.pb(), 0),
            plural_days(days),
            parts.join(" and "),
            planned_days.map_or("forever (the links have no headroom)".to_string(), |d| {
                plural_days(d)
            })
        )
    };
    Ok(SeedPortsAnswer {
        within_days: days,
        links,
        seed_days_planned: planned_days,
        seed_days_at_answer,
        sentence,
    })
}

fn plural_days(d: f64) -> String {
    if d == 1.0 {
        "1 day".to_string()
    } else {
        format!("{} days", grouped(d, if d < 10.0 { 1 } else { 0 }))
    }
}

// ---------------------------------------------------------------------------------------
// Break-even $/core

/// For each plan with a per-core component and each other plan of the book: the per-core
/// rate at which the first costs what the second does for the scenario's cluster over the
/// term.
pub fn break_evens(s: &Scenario) -> Result<Vec<BreakEvenAnswer>, ScenarioErrors> {
    let term = s.pricing.term_years;
    let months = (term * 12).min(super::MAX_HORIZON_MONTHS);
    let base = covering(s, months);
    let report = compute_priced(&base)?;
    let book = crate::priced::book_for(&base, &report.price_book)?;
    // Each plan as the book (with the scenario's overrides) prices it.
    let mut plans: Vec<Plan> = Vec::new();
    for id in book.plans() {
        let mut with = base.clone();
        with.pricing.plan = id.to_string();
        plans.push(crate::priced::price(&with)?.prices.licence);
    }
    let quantities = licence_quantities(&report, months as usize);
    let mut out = Vec::new();
    for a in &plans {
        let Some(ci) = a
            .components
            .iter()
            .position(|c| c.basis == Basis::PerCoreYear)
        else {
            continue;
        };
        let comp = &a.components[ci];
        let book_rate = comp.tiers.first().map_or(comp.rate, |t| t.rate);
        // The plan with its per-core rate at `rate`: a flat rate is set exactly (as the
        // override would), a tiered one has every tier scaled with its first.
        let at = |rate: f64| {
            let mut p = a.clone();
            p.components[ci] = if comp.tiers.is_empty() {
                let mut c = comp.clone();
                c.rate = rate;
                c
            } else {
                comp.scaled(rate / book_rate)
            };
            p.over(&quantities, term).0
        };
        for b in plans.iter().filter(|b| b.name != a.name) {
            let target = b.over(&quantities, term).0;
            let exact = crate::pricing::break_even_rate(a, ci, b, &quantities, term);
            let answer = exact.and_then(|r| {
                let fits = |cents: f64| at(cents / 100.0) <= target;
                let mut cents = (r * 100.0).floor();
                while cents >= 0.0 && !fits(cents) {
                    cents -= 1.0;
                }
                while fits(cents + 1.0) {
                    cents += 1.0;
                }
                (cents >= 0.0).then_some(cents / 100.0)
            });
            let field = comp
                .tiers
                .is_empty()
                .then(|| format!("pricing.overrides.licence.{}.{}", a.name, comp.name));
            let sentence = match answer {
                Some(r) => format!(
                    "Over the {term}-year term, {} costs the same as {} at {} per core-year \
                     (the book says {}): below it {} is cheaper, above it {} is.{}",
                    a.name,
                    b.name,
                    usd(r),
                    usd(book_rate),
                    a.name,
                    b.name,
                    if comp.tiers.is_empty() {
                        String::new()
                    } else {
                        " The rate is the first tier's; the other tiers move with it.".to_string()
                    }
                ),
                None if at(0.0) > target => format!(
                    "Over the {term}-year term, {} costs more than {} even at $0 per core: \
                     no per-core rate makes them even.",
                    a.name, b.name
                ),
                None => format!(
                    "Over the {term}-year term, {}'s per-core rate does not change what it \
                     costs (the cluster licenses no cores), so no rate makes it cost what {} \
                     does.",
                    a.name, b.name
                ),
            };
            out.push(BreakEvenAnswer {
                plan: a.name.clone(),
                component: comp.name.clone(),
                against: b.name.clone(),
                field,
                book_usd_per_core_year: book_rate,
                usd_per_core_year: answer,
                term_years: term,
                months,
                sentence,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The next enclosure

/// For each site: the whole-lake size at which it needs one enclosure more than it
/// installs in the first month.
pub fn next_enclosures(s: &Scenario, report: &Report) -> Vec<NextEnclosureAnswer> {
    let hw = s.hardware();
    let Some(first) = report.months.first() else {
        return Vec::new();
    };
    s.sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let installed = first.sites.get(i).map_or(0, |x| x.enclosures);
            let needs_more = |tb: f64| {
                hw.capacity_need(Bytes::from_pb(tb / 1000.0) * site.copy_fraction)
                    .enclosures_needed
                    > installed
            };
            // Closed form: the lake whose share fills `installed` enclosures exactly.
            let fill_tb = installed as f64
                * hw.enclosure_raw.tb()
                * (1.0 - hw.reserve)
                * hw.ec_efficiency()
                * hw.fill_target
                * hw.data_reduction
                / site.copy_fraction;
            let mut tb = fill_tb.ceil().max(0.0);
            let mut tries = 0;
            while !needs_more(tb) && tries < 1_000_000 {
                tb += 1.0;
                tries += 1;
            }
            while tb >= 1.0 && needs_more(tb - 1.0) {
                tb -= 1.0;
            }
            let lake_pb = tb / 1000.0;
            let month = report
                .months
                .iter()
                .find(|m| {
                    m.sites
                        .get(i)
                        .is_some_and(|x| x.enclosures_needed > installed)
                })
                .map(|m| m.month);
            let sentence = format!(
                "{} starts with {} enclosures and needs its {} when the lake passes {} PB{}.",
                site.name,
                grouped(installed as f64, 0),
                ordinal(installed + 1),
                grouped(lake_pb, 3),
                match month {
                    Some(m) if m == first.month =>
                        ", which it already is in the first month".to_string(),
                    Some(m) => format!(", which the plan reaches in {m}"),
                    None => format!(
                        ", which the plan does not reach within its {}",
                        plural(report.months.len() as u64, "month", "months")
                    ),
                }
            );
            NextEnclosureAnswer {
                site: site.name.clone(),
                installed,
                next: installed + 1,
                lake_pb,
                month,
                sentence,
            }
        })
        .collect()
}

/// 1st, 2nd, 3rd, 4th, 11th, 389th.
fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{suffix}", grouped(n as f64, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(3), "3rd");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(112), "112th");
        assert_eq!(ordinal(389), "389th");
        assert_eq!(ordinal(1001), "1\u{2009}001st");
    }

    #[test]
    fn searches_find_the_first_true() {
        assert_eq!(smallest_from(10, |n| n >= 13), Some(13));
        assert_eq!(smallest_from(20, |n| n >= 13), Some(13));
        assert_eq!(smallest_from(0, |_| true), Some(1));
        assert_eq!(smallest_from(1, |n| n >= 1_000_000), Some(1_000_000));
        assert_eq!(smallest_from(1, |_| false), None);
        assert_eq!(smallest_from(u64::MAX, |_| true), None);
    }
}
