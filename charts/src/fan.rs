//! A fan chart: the range of a Monte Carlo figure month by month, from
//! `UncertaintyResult` fields only. The band holds 8 trials in 10 (P10 to P90), a
//! lighter band the outermost percentiles asked for when there are any, and the line is
//! the median.

use lakeplan_models::display::grouped;
use lakeplan_models::units::BitRate;
use lakeplan_models::whatif::uncertainty::{Metric, UncertaintyResult};

use crate::axis::YFormat;
use crate::frame::{render, Frame, LegendItem, Swatch};
use crate::text::{usd_short, width};
use crate::theme::{blend, Theme};
use crate::ChartStyle;

/// Gbps from which the axis reads in Tbps.
const TBPS_FROM_GBPS: f64 = 1000.0;

/// The figure `key` of `result` (`peak_gbps`, `cost_usd`, `ports_needed:<path>`,
/// `enclosures:<site>`) as a fan of its percentiles by month.
pub fn fan(result: &UncertaintyResult, key: &str, style: &ChartStyle) -> String {
    let theme = Theme::of(style.dark);
    let Some(metric) = result.metric(key) else {
        let frame = Frame {
            class: "fan",
            title: "Range of outcomes".into(),
            description: format!("The run has no figure called {key}."),
            start: None,
            months: 0,
            y_label: String::new(),
            y_max: 1.0,
            y_integer: false,
            y_format: YFormat::Plain,
            legend: Vec::new(),
            markers: Vec::new(),
        };
        return render(&frame, style, |_| Ok(()));
    };
    let p = &result.percentiles;
    let at = |q: f64| result.percentile_index(q);
    let (Some(i10), Some(i50), Some(i90)) = (at(10.0), at(50.0), at(90.0)) else {
        return String::new();
    };
    let outer = (p.len() > 1 && (i10 > 0 || i90 + 1 < p.len())).then(|| (0, p.len() - 1));
    let months = result.months.len();
    let max = metric.values.last().map_or(0.0, |top| {
        top.iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    });
    let integer = metric.integer;
    let (unit, format, show): (String, YFormat, Box<dyn Fn(f64) -> String>) =
        match metric.unit.as_str() {
            "USD" => ("US$".into(), YFormat::Usd, Box::new(usd_short)),
            "Gbps" if max >= TBPS_FROM_GBPS => (
                "Tbps".into(),
                YFormat::Scaled(TBPS_FROM_GBPS),
                Box::new(|v| BitRate::from_gbps(v).to_string()),
            ),
            "Gbps" => (
                "Gbps".into(),
                YFormat::Plain,
                Box::new(|v| BitRate::from_gbps(v).to_string()),
            ),
            _ if metric.integer => (
                "count".to_string(),
                YFormat::Plain,
                Box::new(|v| grouped(v, 0)),
            ),
            other => (
                other.to_string(),
                YFormat::Plain,
                Box::new(move |v| grouped(v, if integer { 0 } else { 2 })),
            ),
        };
    // Tints of the median's colour; the dark surface needs more of it to show.
    let (t_inner, t_outer) = if style.dark {
        (0.45, 0.24)
    } else {
        (0.38, 0.16)
    };
    let inner = blend(theme.line(0), theme.background, t_inner);
    let outer_fill = blend(theme.line(0), theme.background, t_outer);
    let share = |lo: f64, hi: f64| {
        let s = hi - lo;
        if (s - 80.0).abs() < 1e-9 {
            "8 in 10 trials".to_string()
        } else {
            format!(
                "{} % of trials",
                grouped(s, if s.fract() == 0.0 { 0 } else { 1 })
            )
        }
    };
    let mut legend = Vec::new();
    if let Some((lo, hi)) = outer {
        legend.push(LegendItem {
            label: format!("P{}–P{}: {}", p[lo], p[hi], share(p[lo], p[hi])),
            swatch: Swatch::Fill(outer_fill),
        });
    }
    legend.push(LegendItem {
        label: format!("P10–P90: {}", share(10.0, 90.0)),
        swatch: Swatch::Fill(inner),
    });
    legend.push(LegendItem {
        label: "Median (P50)".into(),
        swatch: Swatch::Line {
            color: theme.line(0),
            width: 4,
        },
    });
    let description = describe(result, metric, i10, i50, i90, &*show);
    // The longest title that fits the picture's width.
    let f = if style.font_px.is_finite() && style.font_px > 1.0 {
        style.font_px
    } else {
        ChartStyle::default().font_px
    };
    let room = f64::from(style.width.max(1)) - 2.0 * (0.6 * f).round();
    let title = [
        format!("{}: range of outcomes", metric.label),
        metric.label.clone(),
        metric.short_label.clone(),
    ]
    .into_iter()
    .find(|t| width(t, 1.2 * f, true) <= room)
    .unwrap_or_else(|| metric.short_label.clone());
    let frame = Frame {
        class: "fan",
        title,
        description,
        start: result.months.first().copied(),
        months,
        y_label: format!("{} ({unit})", metric.short_label),
        y_max: max,
        y_integer: metric.integer,
        y_format: format,
        legend,
        markers: Vec::new(),
    };
    let steps = |values: &[f64]| -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .flat_map(|(m, &v)| [(m as f64, v), (m as f64 + 1.0, v)])
            .collect()
    };
    render(&frame, style, |plot| {
        if let Some((lo, hi)) = outer {
            plot.band(
                &steps(&metric.values[lo]),
                &steps(&metric.values[hi]),
                outer_fill,
            )?;
        }
        plot.band(
            &steps(&metric.values[i10]),
            &steps(&metric.values[i90]),
            inner,
        )?;
        plot.steps(metric.values[i50].iter().copied(), plot.theme.line(0), 4)
    })
}

fn describe(
    result: &UncertaintyResult,
    metric: &Metric,
    i10: usize,
    i50: usize,
    i90: usize,
    show: &dyn Fn(f64) -> String,
) -> String {
    let mut d = format!(
        "{} by month over {} trials (seed {}), as percentiles.",
        metric.label,
        grouped(f64::from(result.trials_run), 0),
        result.seed
    );
    if let (Some(first), Some(last)) = (result.months.first(), result.months.last()) {
        let (a, z) = (0, result.months.len() - 1);
        let v = |i: usize, m: usize| metric.values[i][m];
        d.push_str(&format!(
            " In {first} the median is {}; in {last} it is {}, and 8 trials in 10 fall between \
             {} and {}.",
            show(v(i50, a)),
            show(v(i50, z)),
            show(v(i10, z)),
            show(v(i90, z))
        ));
    }
    d
}
