//! Required replication rate against what each path can carry: the chart that shows
//! whether the links are enough, and from which month they are not.

use lakeplan_models::display::grouped;
use lakeplan_models::growth::Month;
use lakeplan_models::report::{MonthRow, Report};

use crate::axis::YFormat;
use crate::frame::{render, same_as, Frame, LegendItem, Swatch};
use crate::ChartStyle;

/// Payload Gbps from which the axis reads in Tbps.
const TBPS_FROM_GBPS: f64 = 1000.0;

/// Rates closer than this (relative) are the same line.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Line width of the `i`-th path: the first widest, so paths with the same capacity
/// (every cloud path of a fan-out) show as one colour inside another, not one hiding the
/// other.
fn path_width(i: usize) -> u32 {
    match i {
        0 => 6,
        1 => 3,
        _ => 2,
    }
}

/// Required payload rate (busy-day peak and daily mean) and each path's payload capacity
/// by month, as steps; a vertical marker at the first month each path saturates
/// (`feasible` turns false). When a path carries only part of the change (a site that
/// takes a fraction of the lake), its own required rate is drawn too, in its colour.
pub fn bandwidth(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let path_names: Vec<String> = months
        .first()
        .map(|m| m.paths.iter().map(|p| p.name.to_string()).collect())
        .unwrap_or_default();
    let path_value = |row: &MonthRow, i: usize, f: fn(&lakeplan_models::report::PathRow) -> f64| {
        row.paths.get(i).map_or(f64::NAN, f)
    };
    let peak_equals_sustained = months.iter().all(|m| same(m.peak_gbps, m.sustained_gbps));
    let own_required: Vec<bool> = (0..path_names.len())
        .map(|i| {
            months
                .iter()
                .any(|m| !same(path_value(m, i, |p| p.peak_gbps), m.peak_gbps))
        })
        .collect();
    let max = months
        .iter()
        .flat_map(|m| {
            [m.peak_gbps, m.sustained_gbps].into_iter().chain(
                m.paths
                    .iter()
                    .flat_map(|p| [p.payload_capacity_gbps, p.peak_gbps]),
            )
        })
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let tbps = max >= TBPS_FROM_GBPS;
    let (unit, divisor) = if tbps {
        ("Tbps", TBPS_FROM_GBPS)
    } else {
        ("Gbps", 1.0)
    };

    // The first month each path saturates, grouped by month: paths that saturate
    // together share one marker and one label.
    let mut markers: Vec<(usize, Month, Vec<usize>)> = Vec::new();
    for i in 0..path_names.len() {
        let first = months
            .iter()
            .enumerate()
            .find(|(_, m)| m.paths.get(i).is_some_and(|p| !p.feasible));
        if let Some((m, row)) = first {
            match markers.iter_mut().find(|(x, _, _)| *x == m) {
                Some((_, _, paths)) => paths.push(i),
                None => markers.push((m, row.month, vec![i])),
            }
        }
    }
    markers.sort_by_key(|(m, _, _)| *m);

    let theme = crate::theme::Theme::of(style.dark);
    let mut legend = Vec::new();
    if peak_equals_sustained {
        legend.push(LegendItem {
            label: "Required (peak = daily mean)".into(),
            swatch: Swatch::Line {
                color: theme.text,
                width: 3,
            },
        });
    } else {
        legend.push(LegendItem {
            label: "Required, busy-day peak".into(),
            swatch: Swatch::Line {
                color: theme.text,
                width: 3,
            },
        });
        legend.push(LegendItem {
            label: "Required, daily mean".into(),
            swatch: Swatch::Line {
                color: theme.muted,
                width: 2,
            },
        });
    }
    let capacities: Vec<Vec<f64>> = (0..path_names.len())
        .map(|i| {
            months
                .iter()
                .map(|m| path_value(m, i, |p| p.payload_capacity_gbps))
                .collect()
        })
        .collect();
    let twins = same_as(&capacities);
    for (i, name) in path_names.iter().enumerate() {
        legend.push(LegendItem {
            label: match twins[i].and_then(|j| path_names.get(j)) {
                Some(twin) => format!("{name} capacity (same as {twin})"),
                None => format!("{name} capacity"),
            },
            swatch: Swatch::Line {
                color: theme.line(i),
                width: path_width(i),
            },
        });
        if own_required[i] {
            legend.push(LegendItem {
                label: format!("{name} required"),
                swatch: Swatch::Line {
                    color: theme.line(i),
                    width: 1,
                },
            });
        }
    }

    let rate = |gbps: f64| {
        format!(
            "{} {unit}",
            grouped(gbps / divisor, if tbps { 2 } else { 1 })
        )
    };
    let mut description = match (months.first(), months.last()) {
        (Some(first), Some(last)) => format!(
            "Required payload rate by month against each path's payload capacity, in {unit}. \
             The busy-day peak goes from {} in {} to {} in {}.",
            rate(first.peak_gbps),
            first.month,
            rate(last.peak_gbps),
            last.month
        ),
        _ => format!(
            "Required payload rate against path capacity, in {unit}: the plan has no months."
        ),
    };
    if let Some(first) = months.first() {
        for (i, p) in first.paths.iter().enumerate() {
            let saturates = markers
                .iter()
                .find(|(_, _, paths)| paths.contains(&i))
                .map_or_else(
                    || "never saturates".to_string(),
                    |(_, month, _)| format!("saturates in {month}"),
                );
            description.push_str(&format!(
                " {} carries {} and {saturates}.",
                p.name,
                rate(p.payload_capacity_gbps)
            ));
        }
    }
    if markers.is_empty() && !months.is_empty() {
        description.push_str(" No path saturates within the plan.");
    }

    let frame = Frame {
        class: "bandwidth",
        title: "Replication rate and path capacity",
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: format!("Payload rate ({unit})"),
        y_max: max,
        y_integer: false,
        y_format: YFormat::Scaled(divisor),
        legend,
        top_rows: markers.len(),
    };
    render(&frame, style, |plot| {
        let theme = plot.theme;
        for (i, values) in capacities.iter().enumerate() {
            plot.steps(values.iter().copied(), theme.line(i), path_width(i))?;
        }
        if !peak_equals_sustained {
            plot.steps(months.iter().map(|m| m.sustained_gbps), theme.muted, 2)?;
        }
        plot.steps(months.iter().map(|m| m.peak_gbps), theme.text, 3)?;
        for (i, _) in path_names.iter().enumerate() {
            if own_required[i] {
                plot.steps(
                    months.iter().map(|m| path_value(m, i, |p| p.peak_gbps)),
                    theme.line(i),
                    1,
                )?;
            }
        }
        for (row, (m, month, paths)) in markers.iter().enumerate() {
            let names: Vec<&str> = paths
                .iter()
                .filter_map(|&i| path_names.get(i).map(String::as_str))
                .collect();
            let verb = if names.len() > 1 {
                "saturate"
            } else {
                "saturates"
            };
            let color = paths.first().map_or(theme.text, |&i| theme.line(i));
            plot.marker(
                *m as f64,
                row,
                &format!("{} {verb} {month}", names.join(", ")),
                color,
            )?;
        }
        Ok(())
    })
}
