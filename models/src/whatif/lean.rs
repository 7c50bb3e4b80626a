//! The lean evaluation of one Monte Carlo trial: the report's figures a trial needs, for
//! new values of the uncertain inputs, without building a report.
//!
//! A full report takes about 20 µs: it validates, prices, sizes both topologies and
//! builds rows, names and verdicts. 10 000 trials of that would take a fifth of a
//! second, most of it on work that no trial changes. [`Lean::new`] does that work once
//! (validation, prices, paths, hardware, the calendar, the ports' cost) and
//! [`Lean::evaluate`] runs only the report's own topology, month by month, with the
//! trial's values, writing into buffers it is given: no allocation per trial.
//!
//! The figures are the report's, computed the same way with what no trial changes folded
//! into factors ahead of the loop: the chain of divisions that sizes a site becomes one
//! multiplication by "enclosures per byte of lake", the nodes, ports and dollars likewise,
//! and a compound lake grows by its monthly factor. That rounds differently from the
//! report in the last bits, and makes a trial several times cheaper. The tests hold every
//! figure to 1e-9 relative (the plan's own inputs to 1e-12) and every count exactly; a
//! count could differ by one only where a quantity lands within a few units in the last
//! place of a whole number (about one chance in 10^13 per count), and racks, counted in
//! whole rack units, are counted as the report counts them. The curve's `pow` and the draws use
//! `libm`, never the platform's maths library, so a trial gives the same bits in the
//! browser and on the server.
//!
//! What a trial computes exactly as the report does, it computes with the report's own
//! functions: the growth curves (`growth::linear`, `compound`, `logistic_weight`, `mix`,
//! with `growth::Portable` maths where the report passes `Platform`), and a month's
//! charges for hardware bought, port-hours, support, space and the licence under the
//! term (`Prices::hardware_usd`, `ports_usd`, `support_usd`, `SpaceRate::per_month`,
//! `TermPlan::per_year`), added up by `Costs::with_total`. What stays here is what is
//! folded: the lake stepped by its monthly factor, the change and busy-day rate, ports
//! and nodes needed, enclosures, power, egress and requests. Computing those with the
//! report's functions too (measured with `callgrind` on the 10 000 × 60 benchmark: 878 M
//! instructions in trials against 625 M, the whole run 26 % more) would change every
//! seeded run's bits (not its figures to four significant figures: the fingerprint's
//! text stays, its digest does not).
//!
//! What a trial may change ([`Input`]): the change value, the growth target, the data
//! reduction, the busy-day peak-to-mean ratio, and a flat egress rate (the price-book row
//! the scenario's egress uses, as `pricing.overrides.<row>` would set it).

use crate::calendar::Month;
use crate::change::ChangeBasis;
use crate::cluster::{Footprint, Hardware};
use crate::egress::EgressRate;
use crate::field::FieldError;
use crate::growth::{self, Curve, Portable};
use crate::inputs::{self, InputSpec};
use crate::links::ceil_count;
use crate::priced::{self, PricedWith};
use crate::pricing::{Prices, Quantities, TermPlan};
use crate::report::{ports_configured, Costs};
use crate::scenario::{Scenario, ScenarioErrors};
use crate::topology::{self, PathKind};
use crate::units::{BitRate, Bytes, UsdPerGb, UsdPerGib, VolumePrice};

/// An input a trial may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// `change.value`, in the scenario's basis.
    ChangeValue,
    /// `lake.target_pb`.
    GrowthTarget,
    /// `cluster.data_reduction`.
    DataReduction,
    /// `change.peak_to_mean`.
    PeakToMean,
    /// `pricing.overrides.<row>` for the flat egress row the scenario uses, in the row's
    /// own unit (US$ or € per GB or GiB).
    EgressRate,
}

impl Input {
    pub const ALL: [Input; 5] = [
        Input::ChangeValue,
        Input::GrowthTarget,
        Input::DataReduction,
        Input::PeakToMean,
        Input::EgressRate,
    ];

    /// The registry's entry (`crate::inputs`): path, range, label.
    pub fn spec(self) -> &'static InputSpec {
        match self {
            Input::ChangeValue => const { inputs::get("change.value") },
            Input::GrowthTarget => const { inputs::get("lake.target_pb") },
            Input::DataReduction => const { inputs::get("cluster.data_reduction") },
            Input::PeakToMean => const { inputs::get("change.peak_to_mean") },
            Input::EgressRate => &inputs::EGRESS_RATE,
        }
    }

    /// What the input is called on the page: the registry's short label.
    pub fn label(self) -> &'static str {
        self.spec().short_label()
    }
}

/// The values of the inputs for one trial.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrialInputs {
    pub change_value: f64,
    pub target_pb: f64,
    pub data_reduction: f64,
    pub peak_to_mean: f64,
    /// The egress row's value in its unit; NaN when the scenario's egress is not one flat
    /// row (then it cannot vary).
    pub egress_rate: f64,
}

impl TrialInputs {
    pub fn get(&self, input: Input) -> f64 {
        match input {
            Input::ChangeValue => self.change_value,
            Input::GrowthTarget => self.target_pb,
            Input::DataReduction => self.data_reduction,
            Input::PeakToMean => self.peak_to_mean,
            Input::EgressRate => self.egress_rate,
        }
    }

    pub fn set(&mut self, input: Input, v: f64) {
        match input {
            Input::ChangeValue => self.change_value = v,
            Input::GrowthTarget => self.target_pb = v,
            Input::DataReduction => self.data_reduction = v,
            Input::PeakToMean => self.peak_to_mean = v,
            Input::EgressRate => self.egress_rate = v,
        }
    }
}

/// The flat egress row a scenario's egress comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct EgressRow {
    pub id: String,
    /// Its value in its own unit, after any override.
    pub value: f64,
    pub unit: String,
    /// Dollars per unit of the row's value (the exchange rate for a euro row, else 1).
    to_usd: f64,
    per_gib: bool,
}

/// How the lake follows its curve, with what does not depend on the target settled.
#[derive(Debug, Clone)]
enum LeanCurve {
    /// Points: the target is not read; every month's size is fixed.
    Fixed,
    Linear {
        initial: Bytes,
    },
    Compound {
        initial: Bytes,
    },
    Logistic {
        initial: Bytes,
    },
}

/// One month of the calendar, with what no trial changes.
#[derive(Debug, Clone)]
struct MonthConst {
    /// Days in the month × copies leaving the cloud: a day's change to the month's egress.
    volume_days: f64,
    /// Hours × PUE × $/kWh: an IT kW to the month's power bill.
    power_usd_per_kw: f64,
    year_share: f64,
    /// t / T for linear and compound curves, the logistic weight for logistic ones.
    weight: f64,
    /// The lake at the scenario's own target (and every month of a points curve).
    lake: Bytes,
    ports_usd: f64,
}

#[derive(Debug, Clone)]
struct LeanPath {
    carry: f64,
    payload_capacity: BitRate,
    /// Ports per bit/s of payload: 1 / (port speed · u_max · e).
    ports_per_bps: f64,
}

#[derive(Debug, Clone)]
struct LeanSite {
    /// Enclosures per byte of lake at a data reduction of 1: copy fraction / (fill · EC
    /// efficiency · (1 − reserve) · raw bytes per enclosure).
    enclosures_per_byte: f64,
    /// Nodes per bit/s of the whole lake's busy-day rate (writes in, reads forwarded),
    /// and the nodes the extra reads need.
    nodes_per_bps: f64,
    nodes_for_reads: f64,
}

/// Everything about a scenario that no trial changes, ready to evaluate trials.
#[derive(Debug, Clone)]
pub struct Lean {
    base: TrialInputs,
    month_labels: Vec<Month>,
    months: Vec<MonthConst>,
    curve: LeanCurve,
    /// Months to the curve's target.
    curve_months: f64,
    basis: ChangeBasis,
    /// Bits per second of busy-day rate per byte a day, before the peak-to-mean ratio:
    /// 8 / (window hours · 3 600).
    peak_per_byte_day: f64,
    paths: Vec<LeanPath>,
    path_names: Vec<String>,
    sites: Vec<LeanSite>,
    site_names: Vec<String>,
    hw: Hardware,
    /// Rack units and kW a rack holds besides its switches, as `Hardware::footprint`
    /// counts them, and one switch's kW.
    ru_per_rack: f64,
    kw_per_rack: f64,
    switch_kw: f64,
    /// Requests per byte moved (1 / mean object size), 0 with no request charge.
    requests_usd_per_byte: f64,
    prices: Prices,
    /// The licence plan under the scenario's term.
    licence: TermPlan,
    egress_row: Option<EgressRow>,
}

/// A site's installed state while a trial runs.
#[derive(Debug, Clone, Copy, Default)]
struct SiteState {
    enclosures: u64,
    nodes: u64,
    switches: u64,
    /// Racks for the rack units and for the power installed, and the rack units and
    /// watts those racks take before more are needed (the watts a hair under: see
    /// [`Lean::footprint`]).
    racks_ru: u64,
    ru_limit: f64,
    racks_kw: u64,
    watts_limit: f64,
    /// IT load, and what it and the racks cost a month in space.
    power_kw: f64,
    space_per_month: f64,
    licence_per_year: f64,
}

/// One trial's figures, month by month, and the state it runs with. Allocated once
/// ([`Lean::figures`]) and overwritten by every [`Lean::evaluate`].
#[derive(Debug, Clone)]
pub struct TrialFigures {
    /// The whole lake's busy-day payload rate.
    pub peak_gbps: Vec<f64>,
    /// Each month's total cost, and the total so far.
    pub cost_usd: Vec<f64>,
    pub cumulative_usd: Vec<f64>,
    /// `[m · paths + j]`.
    pub ports_needed: Vec<u64>,
    pub feasible: Vec<bool>,
    /// Installed, `[m · sites + i]`.
    pub enclosures: Vec<u64>,
    /// Per path, the first month it is infeasible.
    pub first_infeasible: Vec<Option<u32>>,
    state: TrialState,
}

/// What a trial keeps while it runs, besides its figures: each site's installed state and
/// enclosures per byte of lake at the trial's data reduction.
#[derive(Debug, Clone)]
pub(crate) struct TrialState {
    sites: Vec<SiteState>,
    enclosures_per_byte: Vec<f64>,
}

/// Where [`Lean::evaluate_into`] writes a trial's figures as it computes them: a trial's
/// own buffers ([`TrialFigures`]), or a Monte Carlo chunk's month-major arrays, written in
/// place rather than copied there afterwards.
pub(crate) trait TrialSink {
    /// Month `m`'s busy-day peak (Gbps), cost and cost so far.
    fn month(&mut self, m: usize, peak_gbps: f64, cost_usd: f64, cumulative_usd: f64);
    /// The ports path `j` needs in month `m`, and whether the path carries its change.
    fn path(&mut self, m: usize, j: usize, ports_needed: u64, feasible: bool);
    /// The enclosures site `i` has in month `m`.
    fn site(&mut self, m: usize, i: usize, enclosures: u64);
}

/// A trial's own buffers as a sink.
struct Buffers<'a> {
    peak_gbps: &'a mut [f64],
    cost_usd: &'a mut [f64],
    cumulative_usd: &'a mut [f64],
    ports_needed: &'a mut [u64],
    feasible: &'a mut [bool],
    enclosures: &'a mut [u64],
    paths: usize,
    sites: usize,
}

impl TrialSink for Buffers<'_> {
    #[inline]
    fn month(&mut self, m: usize, peak_gbps: f64, cost_usd: f64, cumulative_usd: f64) {
        self.peak_gbps[m] = peak_gbps;
        self.cost_usd[m] = cost_usd;
        self.cumulative_usd[m] = cumulative_usd;
    }

    #[inline]
    fn path(&mut self, m: usize, j: usize, ports_needed: u64, feasible: bool) {
        self.ports_needed[m * self.paths + j] = ports_needed;
        self.feasible[m * self.paths + j] = feasible;
    }

    #[inline]
    fn site(&mut self, m: usize, i: usize, enclosures: u64) {
        self.enclosures[m * self.sites + i] = enclosures;
    }
}

impl Lean {
    /// Validates and prices the scenario (errors as the report gives them) and settles
    /// everything trials share.
    pub fn new(s: &Scenario) -> Result<Lean, ScenarioErrors> {
        let report = crate::report::compute_priced(s)?;
        let PricedWith {
            prices,
            assumptions,
        } = priced::price(s)?;
        let horizon = report.months.len();
        let curve = s.curve();
        let (lean_curve, total_months) = match &curve {
            Curve::Linear {
                initial, months, ..
            } => (LeanCurve::Linear { initial: *initial }, *months),
            Curve::Compound {
                initial, months, ..
            } => (LeanCurve::Compound { initial: *initial }, *months),
            Curve::Logistic {
                initial, months, ..
            } => (LeanCurve::Logistic { initial: *initial }, *months),
            Curve::Points { .. } => (LeanCurve::Fixed, 1.0),
        };
        let site_list: Vec<(&str, f64)> = s
            .sites
            .iter()
            .map(|x| (x.name.as_str(), x.copy_fraction))
            .collect();
        let paths = topology::paths(s.network.topology, &site_list);
        let copies = topology::copies_leaving_cloud(&paths);
        let incoming = topology::incoming(&paths, site_list.len());
        let forwarded = topology::forwarded(&paths, site_list.len());
        let (cloud_ports, inter_site_ports) = ports_configured(s, &paths);
        let base = TrialInputs {
            change_value: s.change.value,
            target_pb: s.lake.target_pb.unwrap_or(s.lake.initial_pb),
            data_reduction: s.cluster.data_reduction,
            peak_to_mean: s.change.peak_to_mean,
            egress_rate: f64::NAN,
        };
        let mut lean = Lean {
            base,
            month_labels: report.months.iter().map(|m| m.month).collect(),
            months: Vec::with_capacity(horizon),
            curve: lean_curve,
            basis: s.change.basis,
            curve_months: total_months,
            peak_per_byte_day: 8.0 / (s.change.window_hours * 3600.0),
            paths: paths
                .iter()
                .map(|p| {
                    let link = match p.kind {
                        PathKind::Cloud => &s.links.cloud,
                        PathKind::InterSite => &s.links.inter_site,
                    };
                    let b = s.bundle(link);
                    LeanPath {
                        carry: p.carry,
                        payload_capacity: b.payload_capacity(),
                        ports_per_bps: 1.0 / (b.port_speed * (b.max_utilization * b.efficiency)).0,
                    }
                })
                .collect(),
            path_names: paths.iter().map(|p| p.name.clone()).collect(),
            sites: s
                .sites
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let hw = s.hardware();
                    LeanSite {
                        enclosures_per_byte: x.copy_fraction
                            / (hw.fill_target
                                * hw.ec_efficiency()
                                * (1.0 - hw.reserve)
                                * hw.enclosure_raw.0),
                        nodes_per_bps: incoming[i] / hw.node_write.0
                            + forwarded[i] / hw.node_read.0,
                        nodes_for_reads: BitRate::from_gbytes_per_second(
                            s.cluster.read_gbytes_per_s,
                        )
                        .0 / hw.node_read.0,
                    }
                })
                .collect(),
            site_names: s.sites.iter().map(|x| x.name.clone()).collect(),
            hw: s.hardware(),
            ru_per_rack: f64::from(s.cluster.rack_ru)
                - f64::from(s.cluster.switches_per_rack) * f64::from(s.cluster.switch_ru),
            kw_per_rack: s.cluster.rack_kw
                - f64::from(s.cluster.switches_per_rack) * s.cluster.switch_watts / 1000.0,
            switch_kw: s.cluster.switch_watts / 1000.0,
            requests_usd_per_byte: match prices.request {
                Some(r) if s.source.mean_object_mb > 0.0 => {
                    r.0 / Bytes::from_gb(s.source.mean_object_mb / 1000.0).0
                }
                _ => 0.0,
            },
            licence: prices.licence.for_term(s.pricing.term_years),
            prices,
            egress_row: None,
        };
        for (m, row) in report.months.iter().enumerate() {
            let t = m as f64;
            let weight = match lean.curve {
                LeanCurve::Logistic { .. } => growth::logistic_weight::<Portable>(t / total_months),
                _ => t / total_months,
            };
            let hours = row.month.hours();
            let ports = lean.prices.ports_usd(cloud_ports, inter_site_ports, hours);
            let mut mc = MonthConst {
                volume_days: f64::from(row.days) * copies,
                power_usd_per_kw: hours * lean.prices.pue * lean.prices.power_usd_per_kwh,
                year_share: row.month.year_share(),
                weight,
                lake: Bytes(0.0),
                ports_usd: ports.0,
            };
            mc.lake = match lean.curve {
                LeanCurve::Fixed => curve.at(t),
                _ => Bytes(0.0),
            };
            lean.months.push(mc);
        }
        // The lake at the scenario's own target, by the same formula trials use.
        let target = Bytes::from_pb(base.target_pb);
        for i in 0..lean.months.len() {
            if !matches!(lean.curve, LeanCurve::Fixed) {
                let lake = lean.lake_at(i, target);
                lean.months[i].lake = lake;
            }
        }
        lean.egress_row = egress_row(s, &lean.prices, &assumptions)?;
        lean.base.egress_rate = lean.egress_row.as_ref().map_or(f64::NAN, |r| r.value);
        Ok(lean)
    }

    /// The scenario's own values of the inputs.
    pub fn base_inputs(&self) -> TrialInputs {
        self.base
    }

    /// The months of the horizon.
    pub fn months(&self) -> &[Month] {
        &self.month_labels
    }

    pub fn path_names(&self) -> &[String] {
        &self.path_names
    }

    pub fn site_names(&self) -> &[String] {
        &self.site_names
    }

    /// The flat egress row, when the scenario's egress is one.
    pub fn egress_row(&self) -> Option<&EgressRow> {
        self.egress_row.as_ref()
    }

    /// The scenario's curve type reads a growth target (every curve but points).
    pub fn reads_target(&self) -> bool {
        !matches!(self.curve, LeanCurve::Fixed)
    }

    /// Buffers for one trial's figures.
    pub fn figures(&self) -> TrialFigures {
        let (m, p, s) = (self.months.len(), self.paths.len(), self.sites.len());
        TrialFigures {
            peak_gbps: vec![0.0; m],
            cost_usd: vec![0.0; m],
            cumulative_usd: vec![0.0; m],
            ports_needed: vec![0; m * p],
            feasible: vec![true; m * p],
            enclosures: vec![0; m * s],
            first_infeasible: vec![None; p],
            state: self.state(),
        }
    }

    /// A trial's running state ([`Lean::evaluate_into`]).
    pub(crate) fn state(&self) -> TrialState {
        TrialState {
            sites: vec![SiteState::default(); self.sites.len()],
            enclosures_per_byte: vec![0.0; self.sites.len()],
        }
    }

    /// The lake in month `m` when the curve's target is `target`, as `Curve::at` computes
    /// it (with `libm`'s `pow`).
    fn lake_at(&self, m: usize, target: Bytes) -> Bytes {
        let mc = &self.months[m];
        let w = mc.weight;
        match self.curve {
            LeanCurve::Fixed => mc.lake,
            LeanCurve::Linear { initial } => growth::linear(initial, target, w),
            LeanCurve::Compound { initial } => growth::compound::<Portable>(initial, target, w),
            LeanCurve::Logistic { initial } => growth::mix(initial, target, w),
        }
    }

    /// Dollars per byte of egress at the trial's rate; `None` for tiered egress, which
    /// cannot vary and is priced by the book's tiers.
    fn egress_usd_per_byte(&self, rate: f64) -> Option<f64> {
        let unit = |per_gib: bool| {
            if per_gib {
                UsdPerGib::UNIT_BYTES
            } else {
                UsdPerGb::UNIT_BYTES
            }
        };
        match (&self.egress_row, &self.prices.egress) {
            (Some(row), _) if rate.to_bits() != row.value.to_bits() => {
                Some(rate * row.to_usd / unit(row.per_gib))
            }
            (_, EgressRate::FlatPerGib(p)) => Some(p.0 / unit(true)),
            (_, EgressRate::FlatPerGb(p)) => Some(p.0 / unit(false)),
            _ => None,
        }
    }

    /// `Hardware::footprint` for a site that only grows, without its divisions in most
    /// months. The racks needed for the rack units and for the power are recounted (as
    /// `Hardware::footprint` counts them) only when what is installed outgrows the racks
    /// counted before. Rack units are whole numbers, so "outgrows" is exact; power is
    /// checked against a limit a hair (1e-12) under what the racks take, so a value on
    /// the boundary is recounted exactly. Racks never fall, as installed equipment only
    /// grows. Power here is rounded differently in its last bit, which only costs see.
    fn footprint(&self, enclosures: u64, nodes: u64, st: &mut SiteState) -> Footprint {
        let hw = &self.hw;
        if enclosures + nodes == 0 {
            return hw.footprint(enclosures, nodes);
        }
        let (e, n) = (enclosures as f64, nodes as f64);
        let equip_ru = e * f64::from(hw.enclosure_ru) + n * f64::from(hw.node_ru);
        let watts = e * hw.enclosure_watts + n * hw.node_watts;
        if st.racks_ru == 0 || equip_ru > st.ru_limit {
            st.racks_ru = ceil_count(equip_ru / self.ru_per_rack);
            st.ru_limit = st.racks_ru as f64 * self.ru_per_rack;
        }
        if st.racks_kw == 0 || watts >= st.watts_limit {
            st.racks_kw = ceil_count((watts / 1000.0) / self.kw_per_rack);
            st.watts_limit = st.racks_kw as f64 * self.kw_per_rack * 1000.0 * (1.0 - 1e-12);
        }
        let racks = st.racks_ru.max(st.racks_kw);
        let switches = racks * u64::from(hw.switches_per_rack);
        Footprint {
            racks,
            switches,
            rack_units: equip_ru + switches as f64 * f64::from(hw.switch_ru),
            power_kw: watts * 0.001 + switches as f64 * self.switch_kw,
        }
    }

    /// One trial: the report's figures for `x`, written into `f`.
    ///
    /// The month loop is the report's main topology run with each chain of divisions
    /// folded into one factor settled before the loop (enclosures per byte, nodes per
    /// bit/s, ports per bit/s, dollars per byte), and the compound curve stepped by its
    /// monthly factor: the figures agree with the report's to about 1e-14, not to the
    /// bit, in return for a loop several times faster.
    pub fn evaluate(&self, x: &TrialInputs, f: &mut TrialFigures) {
        let TrialFigures {
            peak_gbps,
            cost_usd,
            cumulative_usd,
            ports_needed,
            feasible,
            enclosures,
            first_infeasible,
            state,
        } = f;
        let mut buffers = Buffers {
            peak_gbps,
            cost_usd,
            cumulative_usd,
            ports_needed,
            feasible,
            enclosures,
            paths: self.paths.len(),
            sites: self.sites.len(),
        };
        self.evaluate_into(x, state, first_infeasible, &mut buffers);
    }

    /// [`Lean::evaluate`], writing the figures to `sink` and each path's first infeasible
    /// month to `first_infeasible`.
    pub(crate) fn evaluate_into<S: TrialSink>(
        &self,
        x: &TrialInputs,
        state: &mut TrialState,
        first_infeasible: &mut [Option<u32>],
        sink: &mut S,
    ) {
        let hw = &self.hw;
        let p = &self.prices;
        let min_enclosures = u64::from(hw.min_enclosures);
        let min_nodes = u64::from(hw.min_nodes);
        let dr = x.data_reduction;
        let TrialState {
            sites: state,
            enclosures_per_byte,
        } = state;
        state.fill(SiteState::default());
        first_infeasible.fill(None);
        // What the trial's values settle for every month.
        let fixed_lake = x.target_pb.to_bits() == self.base.target_pb.to_bits();
        let target = Bytes::from_pb(x.target_pb);
        let (initial, monthly_growth) = match self.curve {
            LeanCurve::Compound { initial } => (
                initial.0,
                libm::pow(target.0 / initial.0, 1.0 / self.curve_months),
            ),
            LeanCurve::Linear { initial } | LeanCurve::Logistic { initial } => (initial.0, 1.0),
            LeanCurve::Fixed => (0.0, 1.0),
        };
        let mut compound = initial;
        // A day's change, per byte of lake (percent) or in bytes (PB a day or a month).
        let (change_per_byte, change_bytes) = match self.basis {
            ChangeBasis::PercentPerDay => (x.change_value / 100.0, 0.0),
            ChangeBasis::PbPerDay => (0.0, Bytes::from_pb(x.change_value).0),
            ChangeBasis::PbPerMonth => (
                0.0,
                Bytes::from_pb(x.change_value / crate::units::MEAN_MONTH_DAYS).0,
            ),
        };
        let peak_per_byte_day = self.peak_per_byte_day * x.peak_to_mean;
        let egress_per_byte = self.egress_usd_per_byte(x.egress_rate);
        for (c, site) in enclosures_per_byte.iter_mut().zip(&self.sites) {
            *c = site.enclosures_per_byte / dr;
        }
        let mut capex = 0.0;
        let mut cumulative = 0.0;
        for (m, mc) in self.months.iter().enumerate() {
            let lake = if fixed_lake {
                mc.lake.0
            } else {
                match self.curve {
                    LeanCurve::Compound { .. } => {
                        let l = if mc.weight == 1.0 { target.0 } else { compound };
                        compound *= monthly_growth;
                        l
                    }
                    _ => self.lake_at(m, target).0,
                }
            };
            let daily = match self.basis {
                ChangeBasis::PercentPerDay => lake * change_per_byte,
                _ => change_bytes,
            };
            let r_peak = daily * peak_per_byte_day;
            let peak_gbps = r_peak / 1e9;
            for (j, (path, first)) in self
                .paths
                .iter()
                .zip(first_infeasible.iter_mut())
                .enumerate()
            {
                let pp = r_peak * path.carry;
                let ok = pp <= path.payload_capacity.0;
                sink.path(m, j, ceil_count(pp * path.ports_per_bps), ok);
                if !ok && first.is_none() {
                    *first = Some(m as u32);
                }
            }
            let mut hardware = 0.0;
            let mut licence = 0.0;
            let mut power = 0.0;
            let mut space = 0.0;
            for (i, ((site, st), per_byte)) in self
                .sites
                .iter()
                .zip(state.iter_mut())
                .zip(enclosures_per_byte.iter())
                .enumerate()
            {
                let enclosures = ceil_count(lake * per_byte)
                    .max(min_enclosures)
                    .max(st.enclosures);
                let nodes = ceil_count(r_peak * site.nodes_per_bps + site.nodes_for_reads)
                    .max(min_nodes)
                    .max(st.nodes);
                if m == 0 || enclosures != st.enclosures || nodes != st.nodes {
                    let footprint = self.footprint(enclosures, nodes, st);
                    let switches = footprint.switches.max(st.switches);
                    hardware += p.hardware_usd(
                        enclosures - st.enclosures,
                        nodes - st.nodes,
                        switches - st.switches,
                    );
                    let usable = hw.usable_of(enclosures);
                    let q = Quantities {
                        cores: nodes * u64::from(hw.node_cores),
                        usable,
                        effective: usable * dr,
                        enclosures,
                        nodes,
                    };
                    st.licence_per_year = self.licence.per_year(&q).0;
                    st.space_per_month = p.space.per_month(&footprint);
                    st.enclosures = enclosures;
                    st.nodes = nodes;
                    st.switches = switches;
                    st.power_kw = footprint.power_kw;
                }
                licence += st.licence_per_year * mc.year_share;
                power += st.power_kw * mc.power_usd_per_kw;
                space += st.space_per_month;
                sink.site(m, i, enclosures);
            }
            capex += hardware;
            let volume = daily * mc.volume_days;
            let egress = match egress_per_byte {
                Some(k) => volume * k,
                None => p.egress.cost(Bytes(volume)).0,
            };
            let requests = volume * self.requests_usd_per_byte;
            // The report's cost lines, added as the report adds them.
            let total = Costs {
                egress,
                requests,
                ports: mc.ports_usd,
                licence,
                hardware,
                support: p.support_usd(capex, mc.year_share),
                power,
                space,
                total: 0.0,
            }
            .with_total()
            .total;
            cumulative += total;
            sink.month(m, peak_gbps, total, cumulative);
        }
    }
}

/// The flat price-book row the scenario's egress is priced by, if it is one (not tiers,
/// not an on-premises source): the egress rate a what-if may move, by
/// `pricing.overrides.<id>`.
pub fn flat_egress_row(s: &Scenario) -> Result<Option<EgressRow>, ScenarioErrors> {
    let PricedWith {
        prices,
        assumptions,
    } = priced::price(s)?;
    egress_row(s, &prices, &assumptions)
}

/// The one flat price-book row behind the scenario's egress, if its egress is one.
fn egress_row(
    s: &Scenario,
    prices: &Prices,
    assumptions: &crate::priced::Assumptions,
) -> Result<Option<EgressRow>, ScenarioErrors> {
    let rows: Vec<&crate::priced::RowRef> = assumptions
        .rows_used
        .iter()
        .filter(|r| r.used_for.split(", ").any(|u| u == "egress"))
        .collect();
    let [row] = rows.as_slice() else {
        return Ok(None);
    };
    let per_gib = match prices.egress {
        EgressRate::FlatPerGib(_) => true,
        EgressRate::FlatPerGb(_) => false,
        _ => return Ok(None),
    };
    // What one unit of the row's value costs in dollars: price the scenario with the row
    // at 1 (a euro row is then the exchange rate, as the pricer multiplies it).
    let mut probe = s.clone();
    probe
        .pricing
        .overrides
        .insert(row.id.clone(), serde_json::json!(1.0));
    let to_usd = match priced::price(&probe)?.prices.egress {
        EgressRate::FlatPerGib(p) => p.0,
        EgressRate::FlatPerGb(p) => p.0,
        _ => {
            return Err(ScenarioErrors(vec![FieldError::new(
                format!("pricing.overrides.{}", row.id),
                "changes the egress from a flat rate to tiers when set",
            )]))
        }
    };
    Ok(Some(EgressRow {
        id: row.id.clone(),
        value: row.value,
        unit: row.unit.to_string(),
        to_usd,
        per_gib,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;
    use crate::report::compute_priced;

    /// The reference scenario at its own inputs: the lean trial is the report.
    #[test]
    fn the_base_trial_is_the_report() {
        for p in presets::all() {
            let s = p.scenario().expect("preset");
            let lean = Lean::new(&s).expect("lean");
            let mut f = lean.figures();
            lean.evaluate(&lean.base_inputs(), &mut f);
            let r = compute_priced(&s).expect("report");
            for (m, row) in r.months.iter().enumerate() {
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
                assert!(close(f.peak_gbps[m], row.peak_gbps), "{}: {m}", p.id);
                assert!(close(f.cost_usd[m], row.cost_usd.total), "{}: {m}", p.id);
                assert!(close(f.cumulative_usd[m], row.cumulative_usd), "{}", p.id);
                for (j, path) in row.paths.iter().enumerate() {
                    let np = row.paths.len();
                    assert_eq!(f.ports_needed[m * np + j], path.ports_needed);
                    assert_eq!(f.feasible[m * np + j], path.feasible);
                }
                for (i, site) in row.sites.iter().enumerate() {
                    assert_eq!(f.enclosures[m * row.sites.len() + i], site.enclosures);
                }
            }
        }
    }

    #[test]
    fn egress_rows_are_found_for_flat_rates_only() {
        let reference = presets::get("retail-hybrid-lakehouse")
            .expect("preset")
            .scenario()
            .expect("valid");
        let lean = Lean::new(&reference).expect("lean");
        let row = lean.egress_row().expect("a flat row");
        assert_eq!(row.id, "gcp.interconnect.egress.na");
        assert_eq!(row.to_usd, 1.0);
        // The internet path is priced in tiers: no single row to vary.
        let tiered = presets::get("cloud-egress-fan-out")
            .expect("preset")
            .scenario()
            .expect("valid");
        assert!(Lean::new(&tiered).expect("lean").egress_row().is_none());
        // A euro row costs the exchange rate per euro.
        let mut azure = reference.clone();
        azure.source.provider = crate::scenario::Provider::Azure;
        azure.source.region = "eastus".into();
        azure.links.cloud.port_gbps = 100.0;
        let lean = Lean::new(&azure).expect("lean");
        let row = lean.egress_row().expect("a flat row");
        assert_eq!(row.id, "azure.expressroute.egress.lowest");
        assert_eq!(row.to_usd, 1.10);
    }
}
