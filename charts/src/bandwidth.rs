//! Required replication rate against what each path can carry: the chart that shows
//! whether the links are enough, and from which month they are not.

use lakeplan_models::calendar::Month;
use lakeplan_models::display::grouped;
use lakeplan_models::report::{MonthRow, PathRow, Report};

use crate::axis::YFormat;
use crate::frame::{render, Frame, LegendItem, Marker, Swatch};
use crate::theme::Theme;
use crate::ChartStyle;

/// Payload Gbps from which the axis reads in Tbps.
const TBPS_FROM_GBPS: f64 = 1000.0;

/// Rates closer than this (relative) are the same line.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Line width of the `i`-th capacity line: the first widest, so that a line crossing
/// it stays visible on both sides.
fn capacity_width(i: usize) -> u32 {
    match i {
        0 => 6,
        1 => 4,
        _ => 3,
    }
}

/// A path's figure in month `row`, NaN where the month lacks the path.
fn path_value(row: &MonthRow, i: usize, f: fn(&PathRow) -> f64) -> f64 {
    row.paths.get(i).map_or(f64::NAN, f)
}

/// Required payload rate (busy-day peak and daily mean) and each path's payload capacity
/// by month, as steps; a vertical marker at the first month each path saturates
/// (`feasible` turns false). Paths with the same capacity month by month (every cloud
/// path of a fan-out) share one line and one legend entry. When a path carries only part
/// of the change (a site that takes a fraction of the lake), its own required rate is
/// drawn too, in its colour.
pub fn bandwidth(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let theme = Theme::of(style.dark);
    let names: Vec<String> = months
        .first()
        .map(|m| m.paths.iter().map(|p| p.name.to_string()).collect())
        .unwrap_or_default();
    let capacity: Vec<Vec<f64>> = (0..names.len())
        .map(|i| {
            months
                .iter()
                .map(|m| path_value(m, i, |p| p.payload_capacity_gbps))
                .collect()
        })
        .collect();
    // Groups of paths with the same capacity, in path order.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..names.len() {
        match groups.iter_mut().find(|g| capacity[g[0]] == capacity[i]) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    let peak_is_mean = months.iter().all(|m| same(m.peak_gbps, m.sustained_gbps));
    let own_required: Vec<bool> = (0..names.len())
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

    // The first month each path saturates; paths that saturate in the same month share
    // one marker.
    let first_saturated: Vec<Option<(usize, Month)>> = (0..names.len())
        .map(|i| {
            months
                .iter()
                .enumerate()
                .find(|(_, m)| m.paths.get(i).is_some_and(|p| !p.feasible))
                .map(|(m, row)| (m, row.month))
        })
        .collect();
    // In month order: each new month is put in place as found (a sort would add its own
    // code to the browser bundle).
    let mut saturations: Vec<(usize, Month, Vec<usize>)> = Vec::new();
    for (i, first) in first_saturated.iter().enumerate() {
        if let Some((m, month)) = *first {
            match saturations.iter_mut().find(|(x, _, _)| *x == m) {
                Some((_, _, paths)) => paths.push(i),
                None => {
                    let at = saturations.partition_point(|(x, _, _)| *x < m);
                    saturations.insert(at, (m, month, vec![i]));
                }
            }
        }
    }
    // A path's colour: its own, unless it shares a capacity line.
    let colour = |i: usize| {
        let lead = groups.iter().find(|g| g.contains(&i)).map_or(i, |g| g[0]);
        if own_required[i] {
            theme.line(i)
        } else {
            theme.line(lead)
        }
    };
    let markers = saturations
        .iter()
        .map(|(m, month, paths)| {
            let list: Vec<&str> = paths
                .iter()
                .filter_map(|&i| names.get(i).map(String::as_str))
                .collect();
            let verb = if list.len() > 1 {
                "saturate"
            } else {
                "saturates"
            };
            let mut texts = vec![format!("{} {verb} {month}", list.join(", "))];
            if list.len() > 1 {
                texts.push(format!("{} paths saturate {month}", list.len()));
            }
            texts.push(format!("Saturates {month}"));
            Marker {
                x: *m as f64,
                color: paths.first().map_or(theme.text, |&i| colour(i)),
                texts,
            }
        })
        .collect();

    let mut legend = Vec::new();
    if peak_is_mean {
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
    for (k, group) in groups.iter().enumerate() {
        let list: Vec<&str> = group.iter().map(|&i| names[i].as_str()).collect();
        legend.push(LegendItem {
            label: format!("{} capacity", list.join(", ")),
            swatch: Swatch::Line {
                color: theme.line(group[0]),
                width: capacity_width(k),
            },
        });
    }
    for (i, name) in names.iter().enumerate() {
        if own_required[i] {
            legend.push(LegendItem {
                label: format!("{name} required"),
                swatch: Swatch::Line {
                    color: theme.line(i),
                    width: 2,
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
        for (p, saturated) in first.paths.iter().zip(&first_saturated) {
            let verdict = match saturated {
                Some((_, month)) => format!("saturates in {month}"),
                None => "never saturates".to_string(),
            };
            description.push_str(&format!(
                " {} carries {} and {verdict}.",
                p.name,
                rate(p.payload_capacity_gbps)
            ));
        }
        if saturations.is_empty() {
            description.push_str(" No path saturates within the plan.");
        }
    }

    let frame = Frame {
        class: "bandwidth",
        title: "Replication rate and path capacity".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: format!("Payload rate ({unit})"),
        y_max: max,
        y_integer: false,
        y_format: YFormat::Scaled(divisor),
        legend,
        markers,
    };
    render(&frame, style, |plot| {
        let theme = plot.theme;
        for (k, group) in groups.iter().enumerate() {
            plot.steps(
                capacity[group[0]].iter().copied(),
                theme.line(group[0]),
                capacity_width(k),
            )?;
        }
        if !peak_is_mean {
            plot.steps(months.iter().map(|m| m.sustained_gbps), theme.muted, 2)?;
        }
        plot.steps(months.iter().map(|m| m.peak_gbps), theme.text, 3)?;
        for (i, own) in own_required.iter().enumerate() {
            if *own {
                plot.steps(
                    months.iter().map(|m| path_value(m, i, |p| p.peak_gbps)),
                    theme.line(i),
                    2,
                )?;
            }
        }
        Ok(())
    })
}
