//! Ticks: which values get a label, and how the label reads.
//!
//! Both axes choose their ticks from the space they have, with the estimated label
//! widths of [`crate::text::width`], so that labels never overlap at any chart size.

use lakeplan_models::calendar::Month;
use lakeplan_models::display::grouped;

use crate::text::{usd_scale, width};

/// How a y value becomes a tick label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum YFormat {
    /// The value as it is, grouped in thousands.
    Plain,
    /// The value divided by `divisor` (Gbps shown as Tbps).
    Scaled(f64),
    /// US dollars with a k/M/B suffix chosen from the axis' top.
    Usd,
}

/// A y axis from 0 to `top`, with a tick every `step`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YTicks {
    pub top: f64,
    pub ticks: Vec<(f64, String)>,
}

/// Steps a reader can add up in their head.
const NICE: [f64; 5] = [1.0, 2.0, 2.5, 5.0, 10.0];

/// Ticks from 0 to at least `max`, at most `max_intervals` of them. `integer` keeps
/// counts (enclosures) from getting fractional ticks.
pub(crate) fn y_ticks(max: f64, max_intervals: usize, integer: bool, format: YFormat) -> YTicks {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let divisor = match format {
        YFormat::Scaled(d) if d > 0.0 => d,
        _ => 1.0,
    };
    let shown_max = max / divisor;
    let intervals = max_intervals.max(1) as f64;
    let raw = shown_max / intervals;
    let magnitude = magnitude(raw);
    let mut step = NICE
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    if integer && step < 1.0 {
        step = 1.0;
    }
    if integer && step.fract() != 0.0 {
        // 2.5 → 5: counts step in whole numbers.
        step *= 2.0;
    }
    let count = (shown_max / step - 1e-9).ceil().max(1.0) as usize;
    let top_shown = step * count as f64;
    let (scale, suffix) = match format {
        YFormat::Usd => usd_scale(top_shown),
        _ => (1.0, ""),
    };
    let decimals = decimals_for(step / scale);
    let ticks = (0..=count)
        .map(|i| {
            let shown = step * i as f64;
            let label = match format {
                YFormat::Usd if i == 0 => "$0".to_string(),
                YFormat::Usd => format!("${}{suffix}", grouped(shown / scale, decimals)),
                _ => grouped(shown, decimals),
            };
            (shown * divisor, label)
        })
        .collect();
    YTicks {
        top: top_shown * divisor,
        ticks,
    }
}

/// An axis over `lo..hi` (not from 0): where a tornado's bars lie.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RangeTicks {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
}

/// Ticks covering `lo` to `hi` on a nice step, at most `max_intervals` of them, each label
/// as `format` writes it (in data units, like [`y_ticks`]).
pub(crate) fn range_ticks(lo: f64, hi: f64, max_intervals: usize, format: YFormat) -> RangeTicks {
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, _) => (lo - lo.abs().max(1.0) * 0.1, lo + lo.abs().max(1.0) * 0.1),
        _ => (0.0, 1.0),
    };
    let divisor = match format {
        YFormat::Scaled(d) if d > 0.0 => d,
        _ => 1.0,
    };
    let (slo, shi) = (lo / divisor, hi / divisor);
    let raw = (shi - slo) / max_intervals.max(1) as f64;
    let magnitude = magnitude(raw);
    let step = NICE
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    let first = (slo / step + 1e-9).floor();
    let last = (shi / step - 1e-9).ceil();
    let count = (last - first).max(1.0) as usize;
    let (scale, suffix) = match format {
        YFormat::Usd => usd_scale(slo.abs().max(shi.abs())),
        _ => (1.0, ""),
    };
    let decimals = decimals_for(step / scale);
    let ticks = (0..=count)
        .map(|i| {
            let shown = (first + i as f64) * step;
            let label = match format {
                YFormat::Usd => {
                    let text = grouped(shown.abs() / scale, decimals);
                    if shown < 0.0 {
                        format!("−${text}{suffix}")
                    } else {
                        format!("${text}{suffix}")
                    }
                }
                _ => grouped(shown, decimals),
            };
            (shown * divisor, label)
        })
        .collect();
    RangeTicks {
        lo: first * step * divisor,
        hi: (first + count as f64) * step * divisor,
        ticks,
    }
}

/// The power of ten at or below `v` (> 0). By repeated multiplication rather than
/// `log10`/`powf`, whose last bit differs between the native and the wasm32 maths
/// libraries: the server's chart and the browser's must be the same bytes.
fn magnitude(v: f64) -> f64 {
    let mut m = 1.0;
    while m > v && m > 1e-300 {
        m /= 10.0;
    }
    while m * 10.0 <= v && m < 1e300 {
        m *= 10.0;
    }
    m
}

/// Places needed to tell ticks `step` apart: 0.25 → 2, 5 → 0.
fn decimals_for(step: f64) -> usize {
    let mut scaled = step;
    for d in 0..6 {
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
            return d;
        }
        scaled *= 10.0;
    }
    6
}

/// Month steps a calendar reader expects; those under a year start in January.
const MONTH_STEPS: [u32; 9] = [1, 2, 3, 6, 12, 24, 60, 120, 240];

/// The labelled months of an x axis that spans `months` months from `start` (x = 0 is the
/// start of the first month, x = `months` the end of the last), given `px_per_month`
/// pixels per month. Labels are `YYYY-MM`, at least one label-width-and-a-gap apart;
/// plans of two years or more get yearly ticks (every January) or sparser.
pub(crate) fn month_ticks(
    start: Month,
    months: usize,
    px_per_month: f64,
    font_px: f64,
) -> Vec<(f64, String)> {
    let label_w = width("0000-00", font_px, false);
    let room = label_w + font_px * 1.2;
    let min_step = match months {
        0..=6 => 1,
        7..=23 => 3,
        _ => 12,
    };
    let step = MONTH_STEPS
        .iter()
        .copied()
        .find(|&s| s >= min_step && f64::from(s) * px_per_month >= room)
        .unwrap_or(240);
    let calendar_index = |m: Month| i64::from(m.year()) * 12 + i64::from(m.month()) - 1;
    let mut ticks: Vec<(f64, String)> = (0..=months)
        .filter_map(|k| {
            let month = start.plus(u32::try_from(k).ok()?)?;
            (calendar_index(month) % i64::from(step) == 0).then(|| (k as f64, month.to_string()))
        })
        .collect();
    // A plan that starts mid-year still shows its first month, when it fits.
    let first_fits = ticks.first().is_none_or(|(x, _)| *x * px_per_month >= room);
    if first_fits && ticks.first().is_none_or(|(x, _)| *x > 0.0) {
        ticks.insert(0, (0.0, start.to_string()));
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &YTicks) -> Vec<&str> {
        t.ticks.iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn nice_plain_ticks() {
        let t = y_ticks(770.0, 7, false, YFormat::Plain);
        assert_eq!(t.top, 800.0);
        assert_eq!(labels(&t), ["0", "200", "400", "600", "800"]);
        let t = y_ticks(1.3, 6, false, YFormat::Plain);
        assert_eq!(
            labels(&t),
            ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25", "1.50"]
        );
    }

    #[test]
    fn thousands_are_grouped() {
        let t = y_ticks(12_345.0, 5, true, YFormat::Plain);
        assert_eq!(labels(&t).last(), Some(&"12\u{2009}500"));
    }

    #[test]
    fn counts_have_whole_ticks() {
        let t = y_ticks(3.0, 7, true, YFormat::Plain);
        assert!(t.ticks.iter().all(|(v, _)| v.fract() == 0.0), "{t:?}");
        let t = y_ticks(22.0, 8, true, YFormat::Plain);
        assert!(t.ticks.iter().all(|(v, _)| v.fract() == 0.0), "{t:?}");
    }

    #[test]
    fn scaled_ticks_keep_data_units() {
        let t = y_ticks(7_130.0, 7, false, YFormat::Scaled(1000.0));
        assert_eq!(t.top, 8000.0);
        assert_eq!(t.ticks[1], (2000.0, "2".to_string()));
    }

    #[test]
    fn dollars_get_suffixes() {
        let t = y_ticks(42_000_000.0, 5, false, YFormat::Usd);
        assert_eq!(labels(&t), ["$0", "$10M", "$20M", "$30M", "$40M", "$50M"]);
        let t = y_ticks(1_900_000_000.0, 4, false, YFormat::Usd);
        assert_eq!(labels(&t), ["$0", "$0.5B", "$1.0B", "$1.5B", "$2.0B"]);
    }

    #[test]
    fn range_ticks_cover_the_bars_only() {
        let t = range_ticks(1.51e9, 2.18e9, 5, YFormat::Usd);
        assert!(t.lo <= 1.51e9 && t.hi >= 2.18e9 && t.lo > 1e9, "{t:?}");
        let labels: Vec<&str> = t.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["$1.4B", "$1.6B", "$1.8B", "$2.0B", "$2.2B"]);
        let t = range_ticks(5_640.0, 8_460.0, 4, YFormat::Scaled(1000.0));
        assert_eq!(t.ticks.first().map(|(_, l)| l.as_str()), Some("5"));
        assert_eq!(t.ticks.last().map(|(_, l)| l.as_str()), Some("9"));
        let t = range_ticks(3.0, 3.0, 4, YFormat::Plain);
        assert!(t.lo < 3.0 && t.hi > 3.0);
    }

    #[test]
    fn magnitudes() {
        assert_eq!(magnitude(7.13), 1.0);
        assert_eq!(magnitude(1000.0), 1000.0);
        assert_eq!(magnitude(999.9), 100.0);
        assert_eq!(magnitude(0.042), 0.01);
    }

    #[test]
    fn empty_or_odd_maxima_still_give_an_axis() {
        for max in [0.0, -3.0, f64::NAN, f64::INFINITY] {
            let t = y_ticks(max, 5, false, YFormat::Plain);
            assert!(t.top > 0.0 && t.ticks.len() >= 2, "{max}: {t:?}");
        }
    }

    #[test]
    fn yearly_month_ticks_that_fit() {
        let start: Month = "2026-01".parse().unwrap();
        let t = month_ticks(start, 48, 14.0, 14.0);
        let l: Vec<_> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(l, ["2026-01", "2027-01", "2028-01", "2029-01", "2030-01"]);
        // Squeezed: every other year.
        let t = month_ticks(start, 48, 5.0, 14.0);
        assert_eq!(t.len(), 3, "{t:?}");
        // A short plan gets quarters, from a mid-year start.
        let t = month_ticks("2026-02".parse().unwrap(), 12, 50.0, 14.0);
        let l: Vec<_> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(l, ["2026-02", "2026-04", "2026-07", "2026-10", "2027-01"]);
    }
}
