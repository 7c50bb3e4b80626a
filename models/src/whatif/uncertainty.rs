//! Uncertainty: ranges instead of points for the inputs that are guesses, run as a seeded
//! Monte Carlo, answered as percentiles month by month (a fan chart) and as the chance
//! that each path is saturated by each month.
//!
//! How a run is built:
//! - The uncertain inputs are the change value, the growth target, the data reduction,
//!   the busy-day peak-to-mean and the (flat) egress rate, each by its scenario path
//!   ([`crate::inputs::UNCERTAIN`]), each with a [`Dist`]. Draws outside the field's
//!   values (the registry's range) are cut off (see [`crate::whatif::distribution`]).
//! - Correlation: the user states Spearman rank correlations between pairs of inputs;
//!   they are imposed by a Gaussian copula (the ranks correlate as stated whatever the
//!   distributions). A Gaussian copula works trial by trial, unlike a rank-reordering
//!   scheme (Iman–Conover) that needs the whole sample at once, which would make a run's
//!   figures depend on how it was split into chunks.
//! - Trial `t` draws from its own ChaCha8 stream (seed, stream `t`): its inputs depend on
//!   the seed and `t` only, never on which chunk ran it or in what order. A run split into
//!   chunks ([`MonteCarlo::run`], [`Samples`]) gives the same figures, bit for bit, as one
//!   run, and the browser (wasm32) gives the same as the server (see the
//!   distribution module for the arithmetic that makes that hold).
//! - Each trial is evaluated by [`Lean`] (the report's figures, without a report).
//! - Percentiles are by nearest rank: the P-th percentile is the smallest trial value
//!   with at least P % of the trials at or below it, so a count stays a whole number and
//!   every figure is one a trial produced.
//! - "Cost" is the cost so far (cumulative) at each month; its last month is the total.
//!   Ports needed are for the change alone in that month (as the report counts them), per
//!   path; enclosures are those installed at each site.

use std::ops::Range;

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::calendar::Month;
use crate::change::ChangeBasis;
use crate::display::{grouped, usd_short};
use crate::field::FieldError;
use crate::inputs::{self, limits::MAX_TRIAL_BYTES};
use crate::scenario::{CurveKind, Scenario, ScenarioErrors};
use crate::units::BitRate;
use crate::whatif::distribution::{
    std_normal_quantile, unit_open, Copula, Dist, FieldRange, Marginal,
};
use crate::whatif::lean::{Input, Lean, TrialInputs, TrialSink};

/// The largest seed JavaScript keeps exact (2⁵³ − 1): the page and an API client must be
/// able to show and send it back unchanged.
pub const MAX_SEED: u64 = 9_007_199_254_740_991;

/// The percentiles always reported.
pub const STANDARD_PERCENTILES: [f64; 3] = [10.0, 50.0, 90.0];

/// What to run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertaintySpec {
    /// Shown with the result: the same seed gives the same figures.
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "default_trials")]
    pub trials: u32,
    /// Percentiles wanted besides 10, 50 and 90, each in (0, 100].
    #[serde(default)]
    pub percentiles: Vec<f64>,
    pub inputs: Vec<UncertainInput>,
    #[serde(default)]
    pub correlations: Vec<RankCorrelation>,
}

fn default_seed() -> u64 {
    1
}
fn default_trials() -> u32 {
    10_000
}

/// An input given as a range.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainInput {
    /// The scenario field, e.g. `change.value`.
    pub path: String,
    pub dist: Dist,
}

/// "These two move together": a Spearman rank correlation in (−1, 1).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankCorrelation {
    pub a: String,
    pub b: String,
    pub rank: f64,
}

/// One uncertain input, ready to draw.
#[derive(Debug, Clone)]
struct Drawn {
    input: Input,
    path: String,
    dist: Dist,
    marginal: Marginal,
}

/// A validated run: the scenario prepared for trials, and how trials draw their inputs.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    lean: Lean,
    seed: u64,
    trials: u32,
    percentiles: Vec<f64>,
    inputs: Vec<Drawn>,
    copula: Option<Copula>,
    correlations: Vec<RankCorrelation>,
    rng: ChaCha8Rng,
}

impl MonteCarlo {
    /// Checks the spec against the scenario (errors name the spec's field, e.g.
    /// `inputs[0].dist.max`, or the scenario's) and prepares the trials.
    pub fn new(s: &Scenario, spec: &UncertaintySpec) -> Result<MonteCarlo, ScenarioErrors> {
        let lean = Lean::new(s)?;
        let mut errors = Vec::new();
        let months = lean.months().len() as u64;
        let (paths, sites) = (lean.path_names().len(), lean.site_names().len());
        // What the run's figures hold grows with the sites and paths as much as with the
        // trials and months.
        let per_trial = months.max(1) * trial_month_bytes(paths, sites);
        let most = MAX_TRIAL_BYTES / per_trial;
        if spec.trials == 0 || u64::from(spec.trials) > most {
            errors.push(FieldError::new(
                "trials",
                format!(
                    "must be between 1 and {} for a {months}-month plan of {sites} sites \
                     ({} bytes a trial-month, at most {} MB in all), got {}",
                    grouped(most as f64, 0),
                    trial_month_bytes(paths, sites),
                    grouped((MAX_TRIAL_BYTES / 1_000_000) as f64, 0),
                    spec.trials
                ),
            ));
        }
        if spec.seed > MAX_SEED {
            errors.push(FieldError::new(
                "seed",
                format!(
                    "must be a whole number ≤ {MAX_SEED} (so a browser keeps it exact), got {}",
                    spec.seed
                ),
            ));
        }
        let mut percentiles: Vec<f64> = STANDARD_PERCENTILES.to_vec();
        for (i, &p) in spec.percentiles.iter().enumerate() {
            if !(p.is_finite() && p > 0.0 && p <= 100.0) {
                errors.push(FieldError::new(
                    format!("percentiles[{i}]"),
                    format!("must be > 0 and ≤ 100, got {p}"),
                ));
            } else if !percentiles.contains(&p) {
                let at = percentiles.partition_point(|&q| q < p);
                percentiles.insert(at, p);
            }
        }
        if spec.inputs.is_empty() {
            errors.push(FieldError::new(
                "inputs",
                format!(
                    "must list at least one uncertain input ({})",
                    supported(&lean).join(", ")
                ),
            ));
        }
        let mut inputs: Vec<Drawn> = Vec::new();
        let mut seen: Vec<Input> = Vec::new();
        for (i, u) in spec.inputs.iter().enumerate() {
            let at = format!("inputs[{i}]");
            let Some(input) = input_of(&lean, &u.path) else {
                errors.push(FieldError::new(
                    format!("{at}.path"),
                    format!(
                        "must be one of {}, got \"{}\"",
                        supported(&lean).join(", "),
                        u.path
                    ),
                ));
                continue;
            };
            if seen.contains(&input) {
                errors.push(FieldError::new(
                    format!("{at}.path"),
                    format!("must appear once, \"{}\" is listed twice", u.path),
                ));
                continue;
            }
            seen.push(input);
            if input == Input::GrowthTarget && !lean.reads_target() {
                errors.push(FieldError::new(
                    format!("{at}.path"),
                    "cannot vary: lake.target_pb is not read when lake.curve is points",
                ));
                continue;
            }
            match Marginal::new(&u.dist, range_of(s, input), &format!("{at}.dist"), &u.path) {
                Ok(marginal) => inputs.push(Drawn {
                    input,
                    path: u.path.clone(),
                    dist: u.dist,
                    marginal,
                }),
                Err(e) => errors.push(e),
            }
        }
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for (i, c) in spec.correlations.iter().enumerate() {
            let at = format!("correlations[{i}]");
            let find = |path: &str| inputs.iter().position(|d| d.path == path);
            let (a, b) = (find(&c.a), find(&c.b));
            for (name, path, found) in [("a", &c.a, a), ("b", &c.b, b)] {
                if found.is_none() {
                    errors.push(FieldError::new(
                        format!("{at}.{name}"),
                        format!("must be the path of one of the inputs, got \"{path}\""),
                    ));
                }
            }
            if !(c.rank.is_finite() && c.rank > -1.0 && c.rank < 1.0) {
                errors.push(FieldError::new(
                    format!("{at}.rank"),
                    format!("must be between −1 and 1 (exclusive), got {}", c.rank),
                ));
            }
            if let (Some(a), Some(b)) = (a, b) {
                if a == b {
                    errors.push(FieldError::new(
                        format!("{at}.b"),
                        "must be another input than a",
                    ));
                } else if pairs
                    .iter()
                    .any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
                {
                    errors.push(FieldError::new(
                        at.clone(),
                        format!("states the pair {} and {} twice", c.a, c.b),
                    ));
                } else if c.rank.is_finite() {
                    pairs.push((a, b, c.rank));
                }
            }
        }
        let copula = if pairs.is_empty() || !errors.is_empty() {
            None
        } else {
            match Copula::new(inputs.len(), &pairs) {
                Ok(c) => Some(c),
                Err(message) => {
                    errors.push(FieldError::new("correlations", message));
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(ScenarioErrors(errors));
        }
        Ok(MonteCarlo {
            lean,
            seed: spec.seed,
            trials: spec.trials,
            percentiles,
            inputs,
            copula,
            correlations: spec.correlations.clone(),
            rng: ChaCha8Rng::seed_from_u64(spec.seed),
        })
    }

    pub fn trials(&self) -> u32 {
        self.trials
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The months of the horizon.
    pub fn months(&self) -> &[Month] {
        self.lean.months()
    }

    /// The inputs of trial `t`: its own stream of the seed's generator, drawn in the
    /// order the inputs are listed.
    pub fn draw(&self, t: u32, u: &mut [f64], z: &mut [f64], y: &mut [f64]) -> TrialInputs {
        let mut rng = self.rng.clone();
        rng.set_stream(u64::from(t));
        let mut x = self.lean.base_inputs();
        for v in u.iter_mut() {
            *v = unit_open(rng.next_u64());
        }
        match &self.copula {
            Some(c) => {
                for (zi, &ui) in z.iter_mut().zip(u.iter()) {
                    *zi = std_normal_quantile(ui);
                }
                c.correlate(z, y);
                for (d, &yi) in self.inputs.iter().zip(y.iter()) {
                    x.set(d.input, d.marginal.at_score(yi));
                }
            }
            None => {
                for (d, &ui) in self.inputs.iter().zip(u.iter()) {
                    x.set(d.input, d.marginal.at(ui));
                }
            }
        }
        x
    }

    /// Runs trials `range` (clamped to the run's trials) and keeps their figures. Chunks
    /// of any size, run in any order, merge ([`Samples::add`]) into the same result.
    pub fn run(&self, range: Range<u32>) -> Chunk {
        let start = range.start.min(self.trials);
        let end = range.end.clamp(start, self.trials);
        let n = (end - start) as usize;
        let (months, paths, sites, k) = (
            self.lean.months().len(),
            self.lean.path_names().len(),
            self.lean.site_names().len(),
            self.inputs.len(),
        );
        let mut c = Chunk {
            start,
            len: end - start,
            months: months as u32,
            paths: paths as u32,
            sites: sites as u32,
            peak_gbps: vec![0.0; months * n],
            cumulative_usd: vec![0.0; months * n],
            ports_needed: vec![0; paths * months * n],
            enclosures: vec![0; sites * months * n],
            first_infeasible: vec![NEVER; paths * n],
            inputs: vec![0.0; k * n],
        };
        // Each trial writes its figures straight into the chunk's month-major arrays
        // (a value every `n`: for a slice of a thousand trials the lines written stay
        // in the cache until their neighbours' trials fill them), not into buffers of
        // its own to be copied there afterwards.
        let mut state = self.lean.state();
        let mut first = vec![None; paths];
        let (mut u, mut z, mut y) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
        for j in 0..n {
            let x = self.draw(start + j as u32, &mut u, &mut z, &mut y);
            for (i, d) in self.inputs.iter().enumerate() {
                c.inputs[i * n + j] = x.get(d.input);
            }
            let mut sink = ChunkSink {
                peak_gbps: &mut c.peak_gbps,
                cumulative_usd: &mut c.cumulative_usd,
                ports_needed: &mut c.ports_needed,
                enclosures: &mut c.enclosures,
                months,
                trials: n,
                trial: j,
            };
            self.lean
                .evaluate_into(&x, &mut state, &mut first, &mut sink);
            for (p, fi) in first.iter().enumerate() {
                c.first_infeasible[p * n + j] = fi.unwrap_or(NEVER);
            }
        }
        c
    }

    /// Every trial at once.
    pub fn run_all(&self) -> UncertaintyResult {
        let mut s = Samples::default();
        // A chunk of the whole run cannot overlap anything.
        let _ = s.add(self.run(0..self.trials));
        s.finish(self)
    }
}

/// The bytes one trial-month of a run's figures holds (a [`Chunk`]): the busy-day peak
/// and the cost so far (`f64`), the ports each path needs and the enclosures each site
/// has (`u32`). A run's other figures (each trial's inputs and first saturated month per
/// path, the percentiles) are smaller by a factor of the months.
pub fn trial_month_bytes(paths: usize, sites: usize) -> u64 {
    (2 * std::mem::size_of::<f64>() + (paths + sites) * std::mem::size_of::<u32>()) as u64
}

/// The bytes of a chunk's header ([`Chunk::to_bytes`]): six `u32`.
const HEADER: usize = 6 * 4;

/// "No month": a path that never saturates.
const NEVER: u32 = u32::MAX;

/// A chunk's arrays as one trial's [`TrialSink`]: its figures written month-major, at
/// `[m · trials + trial]` (per path or site `[(p · months + m) · trials + trial]`).
struct ChunkSink<'a> {
    peak_gbps: &'a mut [f64],
    cumulative_usd: &'a mut [f64],
    ports_needed: &'a mut [u32],
    enclosures: &'a mut [u32],
    months: usize,
    trials: usize,
    trial: usize,
}

impl TrialSink for ChunkSink<'_> {
    #[inline]
    fn month(&mut self, m: usize, peak_gbps: f64, _cost_usd: f64, cumulative_usd: f64) {
        let at = m * self.trials + self.trial;
        self.peak_gbps[at] = peak_gbps;
        self.cumulative_usd[at] = cumulative_usd;
    }

    #[inline]
    fn path(&mut self, m: usize, j: usize, ports_needed: u64, _feasible: bool) {
        self.ports_needed[(j * self.months + m) * self.trials + self.trial] =
            u32::try_from(ports_needed).unwrap_or(u32::MAX);
    }

    #[inline]
    fn site(&mut self, m: usize, i: usize, enclosures: u64) {
        self.enclosures[(i * self.months + m) * self.trials + self.trial] =
            u32::try_from(enclosures).unwrap_or(u32::MAX);
    }
}

/// The figures of a contiguous range of trials, month-major (`[m · len + t]`, and per
/// path or site `[(p · months + m) · len + t]`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Chunk {
    pub start: u32,
    pub len: u32,
    months: u32,
    paths: u32,
    sites: u32,
    peak_gbps: Vec<f64>,
    cumulative_usd: Vec<f64>,
    ports_needed: Vec<u32>,
    enclosures: Vec<u32>,
    first_infeasible: Vec<u32>,
    inputs: Vec<f64>,
}

/// Chunks merged so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// In trial order, never overlapping.
    chunks: Vec<Chunk>,
}

/// A chunk [`Samples::add`] refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    #[error("trials {start}..{end} overlap trials already merged")]
    Overlap { start: u32, end: u32 },
    #[error("the chunk is of another run (its shape differs)")]
    Shape,
    #[error("a chunk's bytes must be {expected} long for the shape they state, got {got}")]
    Bytes { expected: usize, got: usize },
}

impl Samples {
    /// Merges a chunk. Order does not matter; overlapping trials are refused.
    pub fn add(&mut self, chunk: Chunk) -> Result<(), ChunkError> {
        if chunk.len == 0 {
            return Ok(());
        }
        if let Some(first) = self.chunks.first() {
            if (first.months, first.paths, first.sites) != (chunk.months, chunk.paths, chunk.sites)
                || first.inputs.len() / first.len.max(1) as usize
                    != chunk.inputs.len() / chunk.len as usize
            {
                return Err(ChunkError::Shape);
            }
        }
        let (start, end) = (chunk.start, chunk.start + chunk.len);
        let at = self.chunks.partition_point(|c| c.start < start);
        let before = at.checked_sub(1).map(|i| &self.chunks[i]);
        let after = self.chunks.get(at);
        if before.is_some_and(|b| b.start + b.len > start) || after.is_some_and(|a| a.start < end) {
            return Err(ChunkError::Overlap { start, end });
        }
        self.chunks.insert(at, chunk);
        Ok(())
    }

    /// Trials merged so far.
    pub fn trials(&self) -> u32 {
        self.chunks.iter().map(|c| c.len).sum()
    }

    /// The result of the trials merged so far (all of them once every chunk is in).
    pub fn finish(&self, mc: &MonteCarlo) -> UncertaintyResult {
        summarise(mc, &self.chunks)
    }
}

/// A run the page steps through a slice at a time, so the tab stays responsive: call
/// [`MonteCarloRun::step`] from a timer or an animation frame until it is done.
///
/// A run may also be split between threads ([`MonteCarloRun::part`]): each steps through
/// its own share of the trials, the others pass theirs as bytes
/// ([`MonteCarloRun::to_bytes`]) to one that merges them ([`MonteCarloRun::merge_bytes`])
/// and answers for the whole run, with the same figures, to the bit, as one thread.
#[derive(Debug, Clone)]
pub struct MonteCarloRun {
    mc: MonteCarlo,
    samples: Samples,
    /// This run's share of the trials: `next..end` is still to run.
    begin: u32,
    next: u32,
    end: u32,
}

impl MonteCarloRun {
    pub fn new(mc: MonteCarlo) -> MonteCarloRun {
        MonteCarloRun::part(mc, 0, 1)
    }

    /// Share `part` of `parts` (counted from 0) of the run's trials, contiguous and as
    /// even as whole trials allow; the shares of `0..parts` cover every trial once. A part
    /// past the last, or of no parts, is empty.
    pub fn part(mc: MonteCarlo, part: u32, parts: u32) -> MonteCarloRun {
        let share = |k: u32| {
            if parts == 0 {
                0
            } else {
                (u64::from(mc.trials) * u64::from(k.min(parts)) / u64::from(parts)) as u32
            }
        };
        let (begin, end) = (share(part), share(part.saturating_add(1)));
        MonteCarloRun {
            mc,
            samples: Samples::default(),
            begin,
            next: begin,
            end,
        }
    }

    /// Runs the next `trials` trials of this share; returns the share of it done (0 to 1).
    pub fn step(&mut self, trials: u32) -> f64 {
        let end = self.next.saturating_add(trials.max(1)).min(self.end);
        if end > self.next {
            // Ranges follow each other, so they never overlap.
            let _ = self.samples.add(self.mc.run(self.next..end));
            self.next = end;
        }
        self.progress()
    }

    pub fn progress(&self) -> f64 {
        if self.end == self.begin {
            return 1.0;
        }
        f64::from(self.next - self.begin) / f64::from(self.end - self.begin)
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.end
    }

    /// The trials this run has done, as bytes for another thread's
    /// [`MonteCarloRun::merge_bytes`]: each chunk's [`Chunk::to_bytes`], one after another.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.samples
            .chunks
            .iter()
            .flat_map(Chunk::to_bytes)
            .collect()
    }

    /// Merges the trials another part of the same run has done
    /// ([`MonteCarloRun::to_bytes`]). Bytes of another run, cut short or overlapping
    /// trials already merged are refused and nothing of them is kept.
    pub fn merge_bytes(&mut self, bytes: &[u8]) -> Result<(), ChunkError> {
        let mut chunks = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let len =
                Chunk::header(rest).map_or(rest.len(), |h| Chunk::byte_len(&h).min(rest.len()));
            chunks.push(Chunk::from_bytes(&rest[..len])?);
            rest = &rest[len..];
        }
        for chunk in chunks.iter().filter(|c| c.len > 0) {
            let shape = (
                self.mc.lean.months().len(),
                self.mc.lean.path_names().len(),
                self.mc.lean.site_names().len(),
                self.mc.inputs.len().saturating_mul(chunk.len as usize),
            );
            let fits = shape
                == (
                    chunk.months as usize,
                    chunk.paths as usize,
                    chunk.sites as usize,
                    chunk.inputs.len(),
                )
                && chunk.start.saturating_add(chunk.len) <= self.mc.trials;
            if !fits {
                return Err(ChunkError::Shape);
            }
        }
        // Every range, the merged ones and the new, must stand apart: checked before any
        // is merged, so refused bytes leave nothing behind.
        let mut ranges: Vec<(u32, u32)> = self
            .samples
            .chunks
            .iter()
            .chain(&chunks)
            .filter(|c| c.len > 0)
            .map(|c| (c.start, c.start + c.len))
            .collect();
        ranges.sort_unstable();
        if let Some(w) = ranges.windows(2).find(|w| w[0].1 > w[1].0) {
            let (start, end) = w[1];
            return Err(ChunkError::Overlap { start, end });
        }
        for chunk in chunks {
            self.samples.add(chunk)?;
        }
        Ok(())
    }

    /// Whether every trial of the run has been run here or merged: a part's answer is
    /// whole only then.
    pub fn is_whole(&self) -> bool {
        self.samples.trials() == self.mc.trials
    }

    /// The result of the trials run and merged so far: the full result once every part
    /// is done and merged.
    pub fn result(&self) -> UncertaintyResult {
        self.samples.finish(&self.mc)
    }
}

/// The answer: percentiles by month, the chance of saturation, and the run's identity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UncertaintyResult {
    pub seed: u64,
    /// Trials asked for, and run (fewer while a stepped run is under way).
    pub trials: u32,
    pub trials_run: u32,
    /// Ascending; always 10, 50 and 90.
    pub percentiles: Vec<f64>,
    pub months: Vec<Month>,
    pub inputs: Vec<InputSummary>,
    pub correlations: Vec<CorrelationSummary>,
    /// Peak rate, cost so far, ports needed per path, enclosures per site.
    pub metrics: Vec<Metric>,
    pub saturation: Vec<PathSaturation>,
    /// The answers in words, most important first.
    pub sentences: Vec<String>,
}

/// An uncertain input as it was drawn.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputSummary {
    pub path: String,
    pub label: String,
    pub dist: Dist,
    /// The share of the stated distribution inside the field's values (1: nothing cut).
    pub kept: f64,
    /// Of the values drawn: their mean and the result's percentiles.
    pub mean: f64,
    pub values: Vec<f64>,
    pub sentence: String,
}

/// A stated rank correlation and the one the draws have.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CorrelationSummary {
    pub a: String,
    pub b: String,
    pub stated: f64,
    /// Spearman's ρ of the trials run.
    pub drawn: f64,
}

/// One figure's percentiles, month by month: the fan chart's data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Metric {
    /// `peak_gbps`, `cost_usd`, `ports_needed:<path>`, `enclosures:<site>`.
    pub key: String,
    pub label: String,
    /// The label without the path or site it is for ("Ports needed"), for an axis.
    pub short_label: String,
    /// `Gbps`, `USD`, `ports`, `enclosures`.
    pub unit: String,
    pub integer: bool,
    /// `[percentile][month]`, in the order of [`UncertaintyResult::percentiles`].
    pub values: Vec<Vec<f64>>,
    pub sentence: String,
}

/// The chance that a path is saturated (infeasible in some month so far) by each month.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathSaturation {
    pub path: String,
    /// By month, 0 to 1.
    pub probability: Vec<f64>,
    pub sentence: String,
}

impl UncertaintyResult {
    /// The metric with this key.
    pub fn metric(&self, key: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.key == key)
    }

    /// The index of percentile `p` in [`Self::percentiles`].
    pub fn percentile_index(&self, p: f64) -> Option<usize> {
        self.percentiles.iter().position(|&q| q == p)
    }

    /// Every figure as the page shows it (four significant figures; probabilities to
    /// 0.1 %), one line per series: what an end-to-end test compares between the
    /// browser's run and the server's.
    pub fn fingerprint(&self) -> String {
        let mut out = format!(
            "seed {} trials {}/{} percentiles {:?}\n",
            self.seed, self.trials_run, self.trials, self.percentiles
        );
        for m in &self.metrics {
            for (p, row) in self.percentiles.iter().zip(&m.values) {
                out.push_str(&format!("{} P{p}:", m.key));
                for v in row {
                    out.push_str(&format!(" {v:.3e}"));
                }
                out.push('\n');
            }
        }
        for s in &self.saturation {
            out.push_str(&format!("saturation {}:", s.path));
            for v in &s.probability {
                out.push_str(&format!(" {v:.3}"));
            }
            out.push('\n');
        }
        out
    }

    /// A digest of every figure's exact bits (FNV-1a, 64 bits, hex): equal when the two
    /// runs agree to the last bit.
    pub fn digest(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |v: f64| {
            for b in v.to_bits().to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for m in &self.metrics {
            m.values.iter().flatten().for_each(|&v| eat(v));
        }
        for s in &self.saturation {
            s.probability.iter().for_each(|&v| eat(v));
        }
        for i in &self.inputs {
            eat(i.mean);
            i.values.iter().for_each(|&v| eat(v));
        }
        format!("{h:016x}")
    }
}

/// Runs `spec` on `s` in one go.
///
/// ```
/// use lakeplan_models::presets;
/// use lakeplan_models::whatif::distribution::Dist;
/// use lakeplan_models::whatif::uncertainty::{run, UncertainInput, UncertaintySpec};
///
/// let s = presets::get("retail-hybrid-lakehouse").unwrap().scenario().unwrap();
/// let spec = UncertaintySpec {
///     seed: 7,
///     trials: 500,
///     percentiles: vec![],
///     inputs: vec![UncertainInput {
///         path: "change.value".into(),
///         dist: Dist::Triangular { min: 5.0, mode: 10.0, max: 20.0 },
///     }],
///     correlations: vec![],
/// };
/// let r = run(&s, &spec).unwrap();
/// assert_eq!(r.percentiles, [10.0, 50.0, 90.0]);
/// let peak = r.metric("peak_gbps").unwrap();
/// assert!(peak.values[0][0] < peak.values[2][0]); // P10 < P90 in the first month
/// assert_eq!(run(&s, &spec).unwrap().digest(), r.digest()); // same seed, same bits
/// ```
pub fn run(s: &Scenario, spec: &UncertaintySpec) -> Result<UncertaintyResult, ScenarioErrors> {
    Ok(MonteCarlo::new(s, spec)?.run_all())
}

/// The run whose figures the browser and the server must agree on: the reference preset
/// over 48 months, every input uncertain (one of each distribution), two correlated,
/// 1 000 trials, seed 2026.
pub fn reference_spec() -> UncertaintySpec {
    let input = |path: &str, dist| UncertainInput {
        path: path.into(),
        dist,
    };
    UncertaintySpec {
        seed: 2026,
        trials: 1_000,
        percentiles: vec![2.5, 97.5],
        inputs: vec![
            input(
                "change.value",
                Dist::Triangular {
                    min: 5.0,
                    mode: 10.0,
                    max: 20.0,
                },
            ),
            input(
                "lake.target_pb",
                Dist::Uniform {
                    min: 650.0,
                    max: 900.0,
                },
            ),
            input(
                "cluster.data_reduction",
                Dist::Normal { mean: 1.2, sd: 0.4 },
            ),
            input(
                "change.peak_to_mean",
                Dist::LogNormal {
                    median: 1.3,
                    sigma: 0.3,
                },
            ),
            input(
                "pricing.overrides.gcp.interconnect.egress.na",
                Dist::Uniform {
                    min: 0.015,
                    max: 0.025,
                },
            ),
        ],
        correlations: vec![RankCorrelation {
            a: "change.value".into(),
            b: "lake.target_pb".into(),
            rank: 0.6,
        }],
    }
}

/// The digest and fingerprint of [`reference_spec`] on the reference preset, as one
/// text: the browser (wasm32) and the server (native) must produce the same text, which
/// `models/tests/data/uncertainty-fingerprint.txt` holds. An end-to-end test can call
/// this on both sides and compare.
pub fn reference_fingerprint() -> Result<String, ScenarioErrors> {
    let s = crate::presets::get("retail-hybrid-lakehouse")
        .ok_or_else(|| {
            ScenarioErrors(vec![FieldError::new(
                "preset",
                "retail-hybrid-lakehouse is missing from this build",
            )])
        })?
        .scenario()?;
    let r = run(&s, &reference_spec())?;
    Ok(format!("digest {}\n{}", r.digest(), r.fingerprint()))
}

/// A first range for each input a scenario can make uncertain, around its planned value:
/// what the page offers before the user states their own. The change rate from half to
/// twice the plan (most likely as planned); the growth target ±15 %; data reduction normal
/// with a 15 % spread; the busy-day peak triangular from the plan (or 1) up to 1.5×; the egress
/// rate ±25 % (a negotiated rate is rarely known in the first meeting). Correlations none,
/// seed 1, 10 000 trials.
pub fn default_spec(s: &Scenario) -> Result<UncertaintySpec, ScenarioErrors> {
    let lean = Lean::new(s)?;
    let mut inputs = vec![UncertainInput {
        path: "change.value".into(),
        dist: Dist::Triangular {
            min: s.change.value * 0.5,
            mode: s.change.value,
            max: s.change.value * 2.0,
        },
    }];
    if let Some(t) = s.lake.target_pb {
        inputs.push(UncertainInput {
            path: "lake.target_pb".into(),
            dist: Dist::Uniform {
                min: t * 0.85,
                max: t * 1.15,
            },
        });
    }
    inputs.push(UncertainInput {
        path: "cluster.data_reduction".into(),
        dist: Dist::Normal {
            mean: s.cluster.data_reduction,
            sd: s.cluster.data_reduction * 0.15,
        },
    });
    // The busy day is never quieter than the mean (peak-to-mean ≥ 1), so a range centred on
    // a plan of 1.0 would lose half its draws at the floor: most likely as planned, up to
    // half as busy again.
    let peak = s.change.peak_to_mean;
    inputs.push(UncertainInput {
        path: "change.peak_to_mean".into(),
        dist: Dist::Triangular {
            min: (peak * 0.8).max(1.0).min(peak),
            mode: peak,
            max: peak * 1.5,
        },
    });
    if let Some(row) = lean.egress_row() {
        if row.value > 0.0 {
            inputs.push(UncertainInput {
                path: format!("pricing.overrides.{}", row.id),
                dist: Dist::Uniform {
                    min: row.value * 0.75,
                    max: row.value * 1.25,
                },
            });
        }
    }
    Ok(UncertaintySpec {
        seed: default_seed(),
        trials: default_trials(),
        percentiles: Vec::new(),
        inputs,
        correlations: Vec::new(),
    })
}

/// The paths the registry lets carry a range, the egress rate's as the scenario's row.
fn supported(lean: &Lean) -> Vec<String> {
    let mut out = Vec::new();
    for &path in inputs::UNCERTAIN {
        if path != inputs::EGRESS_RATE.path {
            out.push(path.to_string());
        } else if let Some(row) = lean.egress_row() {
            out.push(format!("pricing.overrides.{}", row.id));
        }
    }
    out
}

/// What the page calls the input a range's `path` names: the registry's short label, as the
/// result's fan charts and sentences call it. A price-book row (`pricing.overrides.<row>`)
/// can carry a range only as the scenario's flat egress row, so it is "Egress rate"; a
/// field that cannot carry one keeps its path, which a run refuses by name.
pub fn range_label(path: &str) -> &str {
    if path.starts_with("pricing.overrides.") {
        return inputs::EGRESS_RATE.short_label();
    }
    match inputs::input(path).filter(|s| s.uncertain()) {
        Some(spec) => spec.short_label(),
        None => path,
    }
}

fn input_of(lean: &Lean, path: &str) -> Option<Input> {
    if let Some(id) = path.strip_prefix("pricing.overrides.") {
        return (lean.egress_row()?.id == id).then_some(Input::EgressRate);
    }
    let spec = inputs::input(path).filter(|s| s.uncertain())?;
    Input::ALL.into_iter().find(|i| i.spec().path == spec.path)
}

/// The values a field allows, as the scenario's validation states them.
fn range_of(s: &Scenario, input: Input) -> FieldRange {
    let holds = match input {
        Input::ChangeValue => s.change.basis == ChangeBasis::PercentPerDay,
        Input::GrowthTarget => s.lake.curve == CurveKind::Compound,
        _ => false,
    };
    input
        .spec()
        .range_when(holds)
        .unwrap_or(FieldRange::NON_NEGATIVE)
}

// ---------------------------------------------------------------------------------------
// From chunks to percentiles

/// The nearest-rank indices (0-based) of `percentiles` among `n` sorted values.
fn ranks(percentiles: &[f64], n: usize) -> Vec<usize> {
    percentiles
        .iter()
        .map(|&p| {
            let k = (p * n as f64 / 100.0).ceil() as usize;
            k.clamp(1, n.max(1)) - 1
        })
        .collect()
}

/// The values at ascending `ranks` of `values`, reordering `values`.
///
/// The values are first spread over buckets by where they fall between the smallest and
/// the largest (a monotone map, so a bucket holds a contiguous run of the sorted values),
/// counted, and only the bucket holding each rank is searched: two passes over the
/// values instead of a partition per rank. Exact: the answer is always a value of the
/// sample, the one a full sort would put at that rank.
fn select_f64(values: &mut [f64], ranks: &[usize], out: &mut [f64], scratch: &mut Scratch) {
    let n = values.len();
    if n == 0 {
        out.iter_mut().for_each(|o| *o = f64::NAN);
        return;
    }
    let (mut lo, mut hi) = (values[0], values[0]);
    for &v in values.iter() {
        if v < lo {
            lo = v;
        }
        if v > hi {
            hi = v;
        }
    }
    let nb = (n / 4).clamp(1, u16::MAX as usize);
    let scale = nb as f64 / (hi - lo);
    if n < 256 || !(scale.is_finite() && scale > 0.0) {
        // Small, all equal or not finite: a plain selection.
        let mut from = 0;
        for (o, &r) in out.iter_mut().zip(ranks) {
            if r >= from {
                let (_, v, _) = values[from..].select_nth_unstable_by(r - from, f64::total_cmp);
                *o = *v;
                from = r + 1;
            } else {
                *o = values[r];
            }
        }
        return;
    }
    let Scratch {
        index,
        counts,
        members,
    } = scratch;
    index.clear();
    index.extend(
        values
            .iter()
            .map(|&v| (((v - lo) * scale) as usize).min(nb - 1) as u16),
    );
    counts.clear();
    counts.resize(nb, 0);
    for &b in index.iter() {
        counts[usize::from(b)] += 1;
    }
    // The bucket of each rank and the rank's place inside it.
    let mut wanted: [(u16, usize); 8] = [(0, 0); 8];
    let mut seen = 0usize;
    let mut b = 0usize;
    for (w, &r) in wanted.iter_mut().zip(ranks) {
        while seen + counts[b] as usize <= r {
            seen += counts[b] as usize;
            b += 1;
        }
        *w = (b as u16, r - seen);
    }
    let k = ranks.len().min(wanted.len());
    // One pass gathers every bucket asked for (at most eight percentiles take this way),
    // each value looking its bucket's slot up in a table rather than comparing its bucket
    // with each one wanted. The table is the counts' buffer, spent: 0 for a bucket not
    // wanted, else the slot + 1 (the first slot of a bucket wanted twice).
    members.iter_mut().for_each(Vec::clear);
    members.resize_with(k, Vec::new);
    counts.fill(0);
    for (i, &(want, _)) in wanted[..k].iter().enumerate().rev() {
        counts[usize::from(want)] = i as u32 + 1;
    }
    for (&v, &bi) in values.iter().zip(index.iter()) {
        let slot = counts[usize::from(bi)] as usize;
        if slot != 0 {
            members[slot - 1].push(v);
        }
    }
    for (i, o) in out.iter_mut().enumerate() {
        let (want, at) = if i < k { wanted[i] } else { (u16::MAX, 0) };
        // Ranks in the same bucket share the first slot gathered for it.
        let Some(first) = wanted[..k].iter().position(|&(w, _)| w == want) else {
            // More than eight percentiles: the rest by plain selection.
            let r = ranks[i];
            let (_, v, _) = values.select_nth_unstable_by(r, f64::total_cmp);
            *o = *v;
            continue;
        };
        let slot = &mut members[first];
        let (_, v, _) = slot.select_nth_unstable_by(at, f64::total_cmp);
        *o = *v;
    }
}

/// Reusable buffers for [`select_f64`].
#[derive(Debug, Default)]
struct Scratch {
    index: Vec<u16>,
    counts: Vec<u32>,
    members: Vec<Vec<f64>>,
}

/// [`select_f64`] for counts. Counts of one month usually span a narrow range (ports 53
/// to 70), so they are counted rather than selected: the values within a window above the
/// smallest, as wide as the sample, are counted in one pass, and the few above it (a long
/// tail: a trial with a tenfold change needs tenfold ports) are selected among themselves
/// when a rank falls there. A sample whose values spread wider than that is selected.
fn select_u32(parts: &[&[u32]], ranks: &[usize], out: &mut [f64], counts: &mut Vec<u32>) {
    // Read where they are (each chunk's slice of the month): copied together only when
    // they must be selected.
    let values = || parts.iter().flat_map(|p| p.iter().copied());
    let Some(first) = values().next() else {
        out.iter_mut().for_each(|o| *o = f64::NAN);
        return;
    };
    let (lo, hi) = values().fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let n: usize = parts.iter().map(|p| p.len()).sum();
    // No wider than the values spread: the counts are cleared for every month.
    let width = n.max(64).min(((hi - lo) as usize).saturating_add(1));
    counts.clear();
    counts.resize(width, 0);
    let mut above = 0usize;
    for part in parts {
        for &v in part.iter() {
            match counts.get_mut((v - lo) as usize) {
                Some(c) => *c += 1,
                None => above += 1,
            }
        }
    }
    if above <= n / 8 {
        let inside = n - above;
        // Every value above the window is larger than every value in it.
        let mut tail: Vec<u32> = Vec::new();
        if ranks.iter().any(|&r| r >= inside) {
            tail.extend(values().filter(|&v| (v - lo) as usize >= width));
        }
        // Walk the counts once, in rank order.
        let mut seen = 0usize;
        let mut bucket = 0usize;
        for (o, &r) in out.iter_mut().zip(ranks) {
            if r >= inside {
                let (_, v, _) = tail.select_nth_unstable(r - inside);
                *o = f64::from(*v);
                continue;
            }
            while seen + counts[bucket] as usize <= r {
                seen += counts[bucket] as usize;
                bucket += 1;
            }
            *o = f64::from(lo + bucket as u32);
        }
        return;
    }
    let mut values: Vec<u32> = values().collect();
    let mut from = 0;
    for (o, &r) in out.iter_mut().zip(ranks) {
        if r >= from {
            let (_, v, _) = values[from..].select_nth_unstable(r - from);
            *o = f64::from(*v);
            from = r + 1;
        } else {
            *o = f64::from(values[r]);
        }
    }
}

/// A series of a chunk: one value per trial and month.
#[derive(Debug, Clone, Copy)]
enum Series {
    Peak,
    Cost,
    Ports(usize),
    Enclosures(usize),
}

impl Chunk {
    /// The chunk as bytes, for another thread to merge ([`Chunk::from_bytes`]): what a
    /// browser's workers pass each other when a run is split between them, where JSON of
    /// some ten million floats would cost more than the trials. Little-endian: six `u32`
    /// (start, len, months, paths, sites, inputs per trial), then each series in the
    /// order of the fields, every float by its bits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let k = self.inputs.len() / (self.len as usize).max(1);
        let header = [
            self.start,
            self.len,
            self.months,
            self.paths,
            self.sites,
            k as u32,
        ];
        let mut out = Vec::with_capacity(Self::byte_len(&header));
        for v in header {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for series in [&self.peak_gbps, &self.cumulative_usd] {
            for v in series {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for series in [&self.ports_needed, &self.enclosures, &self.first_infeasible] {
            for v in series {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for v in &self.inputs {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads [`Chunk::to_bytes`]; bytes whose length does not match the shape they state
    /// are refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Chunk, ChunkError> {
        let header = Self::header(bytes).ok_or(ChunkError::Bytes {
            expected: HEADER,
            got: bytes.len(),
        })?;
        let expected = Self::byte_len(&header);
        if bytes.len() != expected {
            return Err(ChunkError::Bytes {
                expected,
                got: bytes.len(),
            });
        }
        let [start, len, months, paths, sites, k] = header.map(|v| v as usize);
        let mut at = HEADER;
        let mut f64s = |n: usize| -> Vec<f64> {
            let v = bytes[at..at + 8 * n]
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect();
            at += 8 * n;
            v
        };
        let trial_months = months.saturating_mul(len);
        let peak_gbps = f64s(trial_months);
        let cumulative_usd = f64s(trial_months);
        let mut u32s = |n: usize| -> Vec<u32> {
            let v = bytes[at..at + 4 * n]
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            at += 4 * n;
            v
        };
        let ports_needed = u32s(paths.saturating_mul(trial_months));
        let enclosures = u32s(sites.saturating_mul(trial_months));
        let first_infeasible = u32s(paths.saturating_mul(len));
        let inputs = bytes[at..]
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect::<Vec<f64>>();
        debug_assert_eq!(inputs.len(), k.saturating_mul(len));
        Ok(Chunk {
            start: start as u32,
            len: len as u32,
            months: months as u32,
            paths: paths as u32,
            sites: sites as u32,
            peak_gbps,
            cumulative_usd,
            ports_needed,
            enclosures,
            first_infeasible,
            inputs,
        })
    }

    /// The six header words [`Chunk::to_bytes`] begins with, if `bytes` hold them.
    fn header(bytes: &[u8]) -> Option<[u32; 6]> {
        let mut header = [0u32; 6];
        for (h, b) in header.iter_mut().zip(bytes.get(..HEADER)?.chunks_exact(4)) {
            *h = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Some(header)
    }

    /// The length of [`Chunk::to_bytes`] for a header; saturating, so a stated shape too
    /// large for memory is refused by length rather than overflowing.
    fn byte_len(header: &[u32; 6]) -> usize {
        let [_, len, months, paths, sites, k] = header.map(|v| v as usize);
        let trial_months = months.saturating_mul(len);
        [
            HEADER,
            16usize.saturating_mul(trial_months),
            4usize.saturating_mul(paths.saturating_add(sites).saturating_mul(trial_months)),
            4usize.saturating_mul(paths.saturating_mul(len)),
            8usize.saturating_mul(k.saturating_mul(len)),
        ]
        .into_iter()
        .fold(0usize, usize::saturating_add)
    }

    /// Month `m` of a series, one value per trial of the chunk.
    fn f64s(&self, s: Series, m: usize) -> &[f64] {
        let len = self.len as usize;
        match s {
            Series::Peak => &self.peak_gbps[m * len..(m + 1) * len],
            _ => &self.cumulative_usd[m * len..(m + 1) * len],
        }
    }

    fn u32s(&self, s: Series, m: usize) -> &[u32] {
        let len = self.len as usize;
        let (k, data) = match s {
            Series::Ports(p) => (p, &self.ports_needed),
            Series::Enclosures(i) => (i, &self.enclosures),
            _ => (0, &self.enclosures),
        };
        let base = (k * self.months as usize + m) * len;
        &data[base..base + len]
    }
}

/// `[percentile][month]` of a series over every chunk's trials.
fn f64_series(
    chunks: &[Chunk],
    months: usize,
    rk: &[usize],
    scratch: &mut [f64],
    s: Series,
) -> Vec<Vec<f64>> {
    let mut values = vec![vec![0.0; months]; rk.len()];
    let mut picked = vec![0.0; rk.len()];
    let mut buckets = Scratch::default();
    for m in 0..months {
        let mut at = 0;
        for c in chunks {
            let part = c.f64s(s, m);
            scratch[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        select_f64(&mut scratch[..at], rk, &mut picked, &mut buckets);
        for (row, &v) in values.iter_mut().zip(&picked) {
            row[m] = v;
        }
    }
    values
}

fn u32_series(chunks: &[Chunk], months: usize, rk: &[usize], s: Series) -> Vec<Vec<f64>> {
    let mut values = vec![vec![0.0; months]; rk.len()];
    let mut picked = vec![0.0; rk.len()];
    let mut counts = Vec::new();
    let mut parts: Vec<&[u32]> = Vec::with_capacity(chunks.len());
    for m in 0..months {
        parts.clear();
        parts.extend(chunks.iter().map(|c| c.u32s(s, m)));
        select_u32(&parts, rk, &mut picked, &mut counts);
        for (row, &v) in values.iter_mut().zip(&picked) {
            row[m] = v;
        }
    }
    values
}

fn summarise(mc: &MonteCarlo, chunks: &[Chunk]) -> UncertaintyResult {
    let lean = &mc.lean;
    let months = lean.months().len();
    let n: usize = chunks.iter().map(|c| c.len as usize).sum();
    let pct = &mc.percentiles;
    let rk = ranks(pct, n);
    let mut scratch_f = vec![0.0; n];
    let peak = f64_series(chunks, months, &rk, &mut scratch_f, Series::Peak);
    let cost = f64_series(chunks, months, &rk, &mut scratch_f, Series::Cost);
    let ports: Vec<Vec<Vec<f64>>> = (0..lean.path_names().len())
        .map(|p| u32_series(chunks, months, &rk, Series::Ports(p)))
        .collect();
    let enclosures: Vec<Vec<Vec<f64>>> = (0..lean.site_names().len())
        .map(|s| u32_series(chunks, months, &rk, Series::Enclosures(s)))
        .collect();

    let month_labels = lean.months().to_vec();
    let last = month_labels.last().copied();
    // Sentences speak of the middle 8 trials in 10, whatever other percentiles were asked.
    let at = |q: f64| pct.iter().position(|&p| p == q).unwrap_or(0);
    let (lo, mid, hi) = (at(10.0), at(50.0), at(90.0));
    let band = |values: &[Vec<f64>], m: usize, show: &dyn Fn(f64) -> String, unit: &str| {
        format!(
            "{}{unit} in half the trials, and between {} and {}{unit} in {}",
            show(values[mid][m]),
            show(values[lo][m]),
            show(values[hi][m]),
            share_between(pct[lo], pct[hi])
        )
    };
    let rate = |g: f64| BitRate::from_gbps(g).to_string();
    let count = |v: f64| grouped(v, 0);
    let mut metrics = Vec::new();
    if n > 0 && months > 0 {
        let m = months - 1;
        let last_s = last.map_or(String::new(), |x| x.to_string());
        metrics.push(Metric {
            key: "peak_gbps".into(),
            label: "Busy-day peak".into(),
            short_label: "Busy-day peak".into(),
            unit: "Gbps".into(),
            integer: false,
            sentence: format!(
                "In {last_s} the busy-day peak is {}.",
                band(&peak, m, &rate, "")
            ),
            values: peak,
        });
        metrics.push(Metric {
            key: "cost_usd".into(),
            label: "Cost so far".into(),
            short_label: "Cost so far".into(),
            unit: "USD".into(),
            integer: false,
            sentence: format!(
                "Over the {} months the plan costs {}.",
                months,
                band(&cost, m, &|v| usd_short(v), "")
            ),
            values: cost,
        });
        for (name, values) in lean.path_names().iter().zip(ports) {
            metrics.push(Metric {
                key: format!("ports_needed:{name}"),
                label: format!("Ports needed on {name}"),
                short_label: "Ports needed".into(),
                unit: "ports".into(),
                integer: true,
                sentence: format!(
                    "In {last_s} {name} needs {}.",
                    band(&values, m, &count, " ports")
                ),
                values,
            });
        }
        for (name, values) in lean.site_names().iter().zip(enclosures) {
            metrics.push(Metric {
                key: format!("enclosures:{name}"),
                label: format!("Enclosures at {name}"),
                short_label: "Enclosures".into(),
                unit: "enclosures".into(),
                integer: true,
                sentence: format!(
                    "By {last_s} {name} has {}.",
                    band(&values, m, &count, " enclosures")
                ),
                values,
            });
        }
    }

    // The chance of saturation by each month.
    let saturation: Vec<PathSaturation> = lean
        .path_names()
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let mut by_month = vec![0u64; months];
            for c in chunks {
                let len = c.len as usize;
                for &fi in &c.first_infeasible[p * len..(p + 1) * len] {
                    if let Some(slot) = by_month.get_mut(fi as usize) {
                        *slot += 1;
                    }
                }
            }
            let mut so_far = 0;
            let probability: Vec<f64> = by_month
                .iter()
                .map(|&k| {
                    so_far += k;
                    if n == 0 {
                        0.0
                    } else {
                        so_far as f64 / n as f64
                    }
                })
                .collect();
            let sentence = saturation_sentence(name, &probability, &month_labels, n);
            PathSaturation {
                path: name.clone(),
                probability,
                sentence,
            }
        })
        .collect();

    // The inputs as drawn.
    let k = mc.inputs.len();
    let mut drawn: Vec<Vec<f64>> = vec![Vec::with_capacity(n); k];
    for c in chunks {
        let len = c.len as usize;
        for (i, col) in drawn.iter_mut().enumerate() {
            col.extend_from_slice(&c.inputs[i * len..(i + 1) * len]);
        }
    }
    let inputs: Vec<InputSummary> = mc
        .inputs
        .iter()
        .zip(&drawn)
        .map(|(d, col)| {
            let mean = if col.is_empty() {
                f64::NAN
            } else {
                col.iter().sum::<f64>() / col.len() as f64
            };
            let mut sorted = col.clone();
            let mut values = vec![0.0; pct.len()];
            select_f64(&mut sorted, &rk, &mut values, &mut Scratch::default());
            let cut = if d.marginal.kept() < 1.0 {
                format!(
                    "; {} % of it lies outside the values the field allows and is not drawn",
                    grouped((1.0 - d.marginal.kept()) * 100.0, 2)
                )
            } else {
                String::new()
            };
            InputSummary {
                path: d.path.clone(),
                label: d.input.label().into(),
                dist: d.dist,
                kept: d.marginal.kept(),
                mean,
                sentence: format!(
                    "{} ({}) is drawn {} (mean of the stated range {}){cut}.",
                    d.input.label(),
                    d.path,
                    d.dist.describe(),
                    crate::display::significant(d.marginal.stated_mean(), 4)
                ),
                values,
            }
        })
        .collect();
    let correlations = mc
        .correlations
        .iter()
        .map(|c| {
            let col = |path: &str| {
                mc.inputs
                    .iter()
                    .position(|d| d.path == path)
                    .map_or(&[][..], |i| &drawn[i][..])
            };
            CorrelationSummary {
                a: c.a.clone(),
                b: c.b.clone(),
                stated: c.rank,
                drawn: spearman(col(&c.a), col(&c.b)),
            }
        })
        .collect();

    let mut sentences = Vec::new();
    sentences.push(format!(
        "{} trials with seed {}: the same seed gives the same figures.",
        grouped(f64::from(mc.trials), 0),
        mc.seed
    ));
    if (n as u32) < mc.trials {
        sentences.push(format!(
            "So far {} of {} trials have run.",
            grouped(n as f64, 0),
            grouped(f64::from(mc.trials), 0)
        ));
    }
    sentences.extend(saturation.iter().map(|s| s.sentence.clone()));
    sentences.extend(metrics.iter().map(|m| m.sentence.clone()));
    UncertaintyResult {
        seed: mc.seed,
        trials: mc.trials,
        trials_run: n as u32,
        percentiles: pct.clone(),
        months: month_labels,
        inputs,
        correlations,
        metrics,
        saturation,
        sentences,
    }
}

/// "8 trials out of 10" for P10–P90, else the share of trials.
fn share_between(lo: f64, hi: f64) -> String {
    let share = hi - lo;
    if (share - 80.0).abs() < 1e-9 {
        "8 trials out of 10".to_string()
    } else {
        format!("{} % of the trials", grouped(share, 1))
    }
}

/// A share of trials as a percentage that never rounds to 0 % or 100 % when it is not.
fn percent_of_trials(v: f64) -> String {
    let p = v * 100.0;
    let decimals = if (p > 0.0 && p < 0.5) || (p > 99.5 && p < 100.0) {
        1
    } else {
        0
    };
    format!("{} %", grouped(p, decimals))
}

fn saturation_sentence(name: &str, p: &[f64], months: &[Month], n: usize) -> String {
    let pc = percent_of_trials;
    let Some(&last) = p.last() else {
        return format!("{name}: the plan has no months.");
    };
    let last_month = months.last().map_or(String::new(), |m| m.to_string());
    if n == 0 {
        return format!("{name}: no trial has run yet.");
    }
    if last == 0.0 {
        return format!("{name} never saturates within the plan in any trial.");
    }
    let by_last = if last == 1.0 {
        format!("by {last_month} in every trial")
    } else {
        format!("by {last_month} in {} of them", pc(last))
    };
    if p[0] == 1.0 {
        return format!("{name} is saturated from the first month in every trial.");
    }
    if p[0] > 0.0 {
        return format!(
            "{name} is saturated from the first month in {} of the trials, and {by_last}.",
            pc(p[0])
        );
    }
    match p.iter().position(|&v| v >= 0.5) {
        Some(i) => format!(
            "{name} is saturated by {} in half the trials, and {by_last}.",
            months[i]
        ),
        None => format!(
            "{name} is saturated by {last_month} in {} of the trials.",
            pc(last)
        ),
    }
}

/// Spearman's rank correlation (ties ranked by order, which continuous draws do not
/// have).
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return f64::NAN;
    }
    let rank = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; n];
        for (k, &i) in idx.iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let (ra, rb) = (rank(a), rank(b));
    let mean = (n as f64 - 1.0) / 2.0;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (x, y) = (ra[i] - mean, rb[i] - mean);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    sab / libm::sqrt(saa * sbb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The selections give what a full sort puts at each rank: for samples small
        /// (selected plainly) and large (bucketed, counted), narrow and spread, with
        /// ties, and for up to ten percentiles (past eight, the bucketed path selects).
        #[test]
        fn selections_are_the_sorted_values_at_the_ranks(
            floats in prop_oneof![
                proptest::collection::vec(-1e6f64..1e6, 1..400),
                proptest::collection::vec((0u32..40).prop_map(f64::from), 200..3000),
                proptest::collection::vec(
                    prop_oneof![9 => 1.0f64..2.0, 1 => 1e3f64..1e9],
                    256..3000,
                ),
            ],
            counts in prop_oneof![
                proptest::collection::vec(50u32..70, 1..3000),
                proptest::collection::vec(prop_oneof![19 => 50u32..70, 1 => 0u32..u32::MAX], 64..3000),
                proptest::collection::vec(0u32..1_000_000, 1..3000),
            ],
            mut percentiles in proptest::collection::vec(0.01f64..=100.0, 1..10),
        ) {
            percentiles.sort_by(f64::total_cmp);
            let mut sorted = floats.clone();
            sorted.sort_by(f64::total_cmp);
            let rk = ranks(&percentiles, floats.len());
            let mut out = vec![0.0; rk.len()];
            select_f64(&mut floats.clone(), &rk, &mut out, &mut Scratch::default());
            let want: Vec<f64> = rk.iter().map(|&r| sorted[r]).collect();
            prop_assert_eq!(&out, &want);
            let mut sorted = counts.clone();
            sorted.sort_unstable();
            let rk = ranks(&percentiles, counts.len());
            let mut out = vec![0.0; rk.len()];
            select_u32(&[&counts[..counts.len() / 3], &counts[counts.len() / 3..]], &rk, &mut out, &mut Vec::new());
            let want: Vec<f64> = rk.iter().map(|&r| f64::from(sorted[r])).collect();
            prop_assert_eq!(out, want);
        }
    }

    /// The page's first ranges sit around the plan and run as they are.
    #[test]
    fn default_ranges_surround_the_plan_and_run() {
        let s = crate::presets::get("retail-hybrid-lakehouse")
            .unwrap()
            .scenario()
            .unwrap();
        let mut spec = default_spec(&s).unwrap();
        let paths: Vec<&str> = spec.inputs.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "change.value",
                "lake.target_pb",
                "cluster.data_reduction",
                "change.peak_to_mean",
                "pricing.overrides.gcp.interconnect.egress.na"
            ]
        );
        // 10 %/day planned: triangular 5 / 10 / 20.
        assert_eq!(
            spec.inputs[0].dist,
            Dist::Triangular {
                min: 5.0,
                mode: 10.0,
                max: 20.0
            }
        );
        // Peak-to-mean 1.0 planned: nothing drawn below the floor of 1.
        assert_eq!(
            spec.inputs[3].dist,
            Dist::Triangular {
                min: 1.0,
                mode: 1.0,
                max: 1.5
            }
        );
        spec.trials = 200;
        let r = run(&s, &spec).unwrap();
        assert_eq!(r.trials_run, 200);
        assert!(!r.sentences.is_empty());
    }

    /// A range is labelled on the page as its input is in the result: for every path a
    /// scenario lets carry a range, the label of the input a run draws for it.
    #[test]
    fn a_range_is_labelled_as_its_input_in_the_result() {
        let s = crate::presets::get("retail-hybrid-lakehouse")
            .unwrap()
            .scenario()
            .unwrap();
        let lean = Lean::new(&s).unwrap();
        let paths = supported(&lean);
        assert_eq!(paths.len(), Input::ALL.len());
        for path in &paths {
            let input = input_of(&lean, path).unwrap();
            assert_eq!(range_label(path), input.label(), "{path}");
            assert_ne!(range_label(path), path.as_str(), "{path}");
        }
        assert_eq!(
            range_label("pricing.overrides.gcp.interconnect.egress.na"),
            "Egress rate"
        );
        // A field no range can be given is named as typed (the run refuses it by name).
        assert_eq!(range_label("links.cloud.ports"), "links.cloud.ports");
        assert_eq!(range_label("no.such.field"), "no.such.field");
    }

    /// [`trial_month_bytes`], which the limit on a run counts, is what a chunk holds per
    /// trial-month; the rest of a chunk is per trial.
    #[test]
    fn a_trial_month_holds_what_the_limit_counts() {
        let s = crate::presets::get("retail-hybrid-lakehouse")
            .unwrap()
            .scenario()
            .unwrap();
        let mc = MonteCarlo::new(&s, &reference_spec()).unwrap();
        let c = mc.run(0..10);
        let bytes = |v: usize, size: usize| (v * size) as u64;
        let (f, u) = (std::mem::size_of::<f64>(), std::mem::size_of::<u32>());
        let held = bytes(c.peak_gbps.len(), f)
            + bytes(c.cumulative_usd.len(), f)
            + bytes(c.ports_needed.len(), u)
            + bytes(c.enclosures.len(), u)
            + bytes(c.first_infeasible.len(), u)
            + bytes(c.inputs.len(), f);
        let months = mc.months().len() as u64;
        let per_trial = bytes(2, u) + bytes(mc.inputs.len(), f);
        assert_eq!(held, 10 * (months * trial_month_bytes(2, 2) + per_trial));
    }

    #[test]
    fn nearest_rank() {
        assert_eq!(ranks(&[10.0, 50.0, 90.0], 10_000), [999, 4_999, 8_999]);
        assert_eq!(ranks(&[10.0, 50.0, 90.0, 100.0], 1), [0, 0, 0, 0]);
        assert_eq!(ranks(&[0.01, 100.0], 10), [0, 9]);
        let mut v: Vec<f64> = (0..100).rev().map(f64::from).collect();
        let mut out = [0.0; 3];
        select_f64(
            &mut v,
            &ranks(&[10.0, 50.0, 90.0], 100),
            &mut out,
            &mut Scratch::default(),
        );
        assert_eq!(out, [9.0, 49.0, 89.0]);
        // Bucketed selection agrees with a sort, ties and clusters included.
        let mut bucket_scratch = Scratch::default();
        for n in [300usize, 1000, 10_000] {
            let data: Vec<f64> = (0..n)
                .map(|i| {
                    let x = ((i * 7919) % 1009) as f64;
                    if i % 3 == 0 {
                        5.0
                    } else {
                        x * x * 1e-3 + 1e9
                    }
                })
                .collect();
            let mut sorted = data.clone();
            sorted.sort_by(f64::total_cmp);
            let p = [
                0.1, 10.0, 20.0, 30.0, 33.3, 50.0, 70.0, 80.0, 90.0, 99.9, 100.0,
            ];
            let rk = ranks(&p, n);
            let mut got = [0.0; 11];
            select_f64(&mut data.clone(), &rk, &mut got, &mut bucket_scratch);
            let want: Vec<f64> = rk.iter().map(|&r| sorted[r]).collect();
            assert_eq!(got.to_vec(), want, "{n}");
        }
        let mut counts = Vec::new();
        let w: Vec<u32> = (0..100).rev().collect();
        select_u32(&[&w], &[0, 0, 99], &mut out, &mut counts);
        assert_eq!(out, [0.0, 0.0, 99.0]);
        // Counted (narrow) and selected (wide) agree with a sort.
        let narrow: Vec<u32> = (0..1000u32).map(|i| 50 + (i * 7919) % 23).collect();
        let wide: Vec<u32> = (0..1000u32)
            .map(|i| (i * 7919) % 1_000_003 * 4000)
            .collect();
        // Mostly narrow with a long tail: a twentieth far above the window, the top ranks
        // among them; and a tenth, whose upper ranks sit in the tail too.
        let tailed = |every: u32| -> Vec<u32> {
            (0..1000u32)
                .map(|i| {
                    if i % every == 0 {
                        1_000_000 + (i * 7919) % 50_000
                    } else {
                        50 + (i * 7919) % 23
                    }
                })
                .collect()
        };
        for data in [narrow, wide, tailed(20), tailed(10), tailed(9)] {
            let mut sorted = data.clone();
            sorted.sort_unstable();
            let rk = ranks(&[0.1, 10.0, 50.0, 90.0, 95.0, 97.5, 100.0], data.len());
            let mut got = [0.0; 7];
            // In two parts, as a month comes from two chunks.
            select_u32(&[&data[..300], &data[300..]], &rk, &mut got, &mut counts);
            let want: Vec<f64> = rk.iter().map(|&r| f64::from(sorted[r])).collect();
            assert_eq!(got.to_vec(), want);
        }
    }

    #[test]
    fn spearman_of_monotone_pairs() {
        let a: Vec<f64> = (0..50).map(f64::from).collect();
        let b: Vec<f64> = a.iter().map(|x| x * x).collect();
        let c: Vec<f64> = a.iter().map(|x| -x).collect();
        assert!((spearman(&a, &b) - 1.0).abs() < 1e-12);
        assert!((spearman(&a, &c) + 1.0).abs() < 1e-12);
    }
}
