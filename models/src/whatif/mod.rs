//! What-ifs: the questions asked after the first report, each answered from the same model.
//!
//! - [`plans`]: every licence plan of the price book priced on the same cluster, year by
//!   year and over 3 and 5 years (and the term), with each one's $/TB-month.
//! - [`goal_seek`]: the figures that make a plan work, each exact to the unit it is stated
//!   in (ports, the highest change rate, the month a path saturates, ports to seed within
//!   N days, the break-even $/core, the lake size at which a site needs its next enclosure).
//! - [`sensitivity`]: a tornado of total cost and of peak bandwidth when each input moves
//!   by ±x %.
//! - [`uncertainty`]: ranges instead of points for the inputs that are guesses, as a
//!   seeded Monte Carlo run (per-trial evaluation in [`lean`], distributions in
//!   [`distribution`]) that gives the same figures in the browser and on the server.
//! - [`sweep`]: a batch of scenarios, one per combination of varied fields, with the key
//!   figures of each.
//!
//! Every answer is a serde type with its figures and a `sentence` a customer can read
//! aloud: the UI shows the sentence and charts the figures, and never computes either.
//! Like the rest of the crate, nothing here does I/O or starts a thread, so it runs as is
//! in the browser; the server parallelises a sweep by running its rows on threads.

pub mod distribution;
pub mod goal_seek;
pub mod lean;
pub mod plans;
pub mod sensitivity;
pub mod sweep;
pub mod uncertainty;

use crate::display::grouped;
use crate::field::FieldError;
use crate::scenario::{Scenario, ScenarioErrors};

/// The longest horizon a scenario may have (`horizon_months`' upper bound), which caps how
/// far a what-if may extend a plan to price a term.
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// The scenario with its horizon extended to at least `months` (never shortened, never past
/// the longest horizon allowed): a plan must be priced over the whole of a term even when
/// the scenario looks less far ahead.
pub(crate) fn covering(s: &Scenario, months: u32) -> Scenario {
    let mut out = s.clone();
    out.horizon_months = s.horizon_months.max(months.min(MAX_HORIZON_MONTHS));
    out
}

/// The scenario as a JSON document, for changes by field path. The typed scenario always
/// serialises (it holds only numbers, text and maps with text keys); should serde ever say
/// otherwise, the error names the scenario instead of panicking.
pub(crate) fn doc_of(s: &Scenario) -> Result<serde_json::Value, ScenarioErrors> {
    serde_json::to_value(s).map_err(|e| {
        ScenarioErrors(vec![FieldError::new(
            "scenario",
            format!("cannot be written as JSON: {e}"),
        )])
    })
}

/// The step an answer is stated to when it has no natural unit: three significant
/// figures, as a power of ten (9.513 → 0.01, 285.3 → 1). Found by repeated
/// multiplication rather than `log10`, whose last bit differs between the native and the
/// wasm32 maths libraries, so both state the same answer.
pub(crate) fn three_figure_step(v: f64) -> f64 {
    let v = v.abs();
    if !v.is_finite() || v == 0.0 {
        return 1.0;
    }
    // The power of ten at or below v, then two places finer.
    let mut m = 1.0;
    while m > v && m > 1e-300 {
        m /= 10.0;
    }
    while m * 10.0 <= v && m < 1e300 {
        m *= 10.0;
    }
    m / 100.0
}

/// `n` steps of `step` (a power of ten) as the decimal number a person would write:
/// 951 × 0.01 is 9.51, not 9.510000000000002.
pub(crate) fn steps_value(n: f64, step: f64) -> f64 {
    if step < 1.0 {
        n / (1.0 / step).round()
    } else {
        n * step
    }
}

/// Decimals that show a value stated to `step` (a power of ten) exactly.
pub(crate) fn decimals_of(step: f64) -> usize {
    let mut d = 0;
    let mut s = step;
    while s < 0.999_999 && d < 12 {
        s *= 10.0;
        d += 1;
    }
    d
}

/// A value stated to `step`, grouped for reading.
pub(crate) fn stated(v: f64, step: f64) -> String {
    grouped(v, decimals_of(step))
}

/// "1 month", "3 months".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        grouped(n as f64, 0),
        if n == 1 { one } else { many }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_figures() {
        assert_eq!(three_figure_step(9.513), 0.01);
        assert_eq!(three_figure_step(285.3), 1.0);
        assert_eq!(three_figure_step(1000.0), 10.0);
        assert_eq!(three_figure_step(0.731), 0.001);
        assert_eq!(three_figure_step(0.0), 1.0);
        assert_eq!(steps_value(951.0, 0.01), 9.51);
        assert_eq!(steps_value(731.0, 0.001), 0.731);
        assert_eq!(steps_value(28.0, 10.0), 280.0);
        assert_eq!(decimals_of(0.01), 2);
        assert_eq!(decimals_of(1.0), 0);
        assert_eq!(decimals_of(10.0), 0);
        assert_eq!(stated(9.51, 0.01), "9.51");
    }

    /// A scenario written as a document and read back is the same scenario: the what-ifs
    /// that change fields by path start from this document.
    #[test]
    fn a_scenario_round_trips_through_its_document() {
        for p in crate::presets::all() {
            let s = p.scenario().expect("preset");
            let doc = doc_of(&s).expect("doc");
            assert_eq!(Scenario::from_value(&doc).expect(p.id), s, "{}", p.id);
        }
    }

    #[test]
    fn covering_extends_but_never_shortens() {
        let s = crate::presets::all()[0].scenario().expect("preset");
        assert_eq!(covering(&s, 60).horizon_months, 60);
        assert_eq!(covering(&s, 12).horizon_months, s.horizon_months);
        assert_eq!(covering(&s, 10_000).horizon_months, MAX_HORIZON_MONTHS);
    }
}
