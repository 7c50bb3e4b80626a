//! The cloud placements (`models::cloud`), for `cloud_cluster` scenarios: what each
//! placement costs over time, and how many instances the cloud cluster runs and why.

use lakeplan_models::cloud::{Bound, Placement};
use lakeplan_models::display::grouped;
use lakeplan_models::report::{MonthRow, Report};

use crate::axis::YFormat;
use crate::frame::{render, Frame, LegendItem, Swatch};
use crate::text::usd_short;
use crate::theme::Theme;
use crate::ChartStyle;

/// A placement's dollars in one month of the report.
fn month_usd(m: &MonthRow, p: Placement) -> Option<f64> {
    let c = m.cloud_cluster.as_ref();
    match p {
        Placement::ObjectStore => m.object_store_usd,
        Placement::OnPrem => Some(m.cost_usd.total),
        Placement::CloudA => c.map(|c| c.total_a()),
        Placement::CloudB => c.map(|c| c.total_b()),
    }
}

/// Line width of the `i`-th placement: wider first, so two placements that cost the same
/// show one inside the other.
fn width(i: usize) -> u32 {
    match i {
        0 => 5,
        1 => 4,
        2 => 3,
        _ => 2,
    }
}

/// Cumulative cost of each placement by month: where the lines cross, the cheaper
/// placement changes. Empty (no SVG) for a report without cloud placements.
pub fn placements(report: &Report, style: &ChartStyle) -> String {
    let Some(cloud) = report.summary.cloud.as_ref() else {
        return String::new();
    };
    let months = &report.months;
    let theme = Theme::of(style.dark);
    let series: Vec<Vec<(f64, f64)>> = Placement::ALL
        .iter()
        .map(|p| {
            let mut running = 0.0;
            std::iter::once((0.0, 0.0))
                .chain(months.iter().enumerate().map(|(i, m)| {
                    running += month_usd(m, *p).unwrap_or(0.0);
                    ((i + 1) as f64, running)
                }))
                .collect()
        })
        .collect();
    let max = series
        .iter()
        .filter_map(|s| s.last().map(|p| p.1))
        .fold(0.0, f64::max);
    let totals: Vec<String> = Placement::ALL
        .iter()
        .zip(&series)
        .map(|(p, s)| {
            format!(
                "{} {}",
                p.label().to_ascii_lowercase(),
                usd_short(s.last().map_or(0.0, |x| x.1))
            )
        })
        .collect();
    let mut description = format!(
        "Cumulative cost of each placement of the lake in US dollars, by month: {}.",
        totals.join("; ")
    );
    if let Some(sentence) = cloud.cheapest_sentence() {
        description.push(' ');
        description.push_str(&sentence);
    }
    let legend = Placement::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| LegendItem {
            label: p.label().into(),
            swatch: Swatch::Line {
                color: theme.line(i),
                width: width(i),
            },
        })
        .collect();
    let frame = Frame {
        class: "placements",
        title: "Cumulative cost by placement".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: "Cumulative cost (US$)".into(),
        y_max: max,
        y_integer: false,
        y_format: YFormat::Usd,
        legend,
        markers: Vec::new(),
    };
    render(&frame, style, |plot| {
        for (i, s) in series.iter().enumerate() {
            plot.line(s, plot.theme.line(i), width(i))?;
        }
        Ok(())
    })
}

/// Instances of the cloud cluster by month, with what capacity and throughput each need
/// and the minimum: the highest of the three is the count, and the description says which
/// bound sets it when. Empty for a report without cloud placements.
pub fn cloud_instances(report: &Report, style: &ChartStyle) -> String {
    let Some(cloud) = report.summary.cloud.as_ref() else {
        return String::new();
    };
    let months = &report.months;
    let rows: Vec<_> = months.iter().filter_map(|m| m.cloud_cluster).collect();
    let theme = Theme::of(style.dark);
    let max = rows.iter().map(|r| r.instances as f64).fold(0.0, f64::max);
    let named = [
        ("Instances", 0usize, 4u32),
        ("Needed for capacity", 1, 2),
        ("Needed for throughput", 2, 2),
    ];
    let series: [Vec<f64>; 3] = [
        rows.iter().map(|r| r.instances as f64).collect(),
        rows.iter().map(|r| r.by_capacity as f64).collect(),
        rows.iter().map(|r| r.by_throughput as f64).collect(),
    ];
    let mut description = format!(
        "Instances of {} in the cloud cluster by month, and what capacity and throughput each need.",
        cloud.instance.id
    );
    // Runs of the same binding bound, in words.
    let mut start = 0;
    for i in 1..=rows.len() {
        if i == rows.len() || rows[i].bound != rows[start].bound {
            let (from, to) = (&months[start], &months[i - 1]);
            let bound = match rows[start].bound {
                Bound::Capacity => "capacity",
                Bound::Throughput => "throughput",
                Bound::Minimum => "the minimum",
            };
            description.push_str(&format!(
                " {} to {}: {} binds ({} to {} instances).",
                from.month,
                to.month,
                bound,
                grouped(rows[start].instances as f64, 0),
                grouped(rows[i - 1].instances as f64, 0)
            ));
            start = i;
        }
    }
    let legend = named
        .iter()
        .map(|(label, i, w)| LegendItem {
            label: (*label).into(),
            swatch: Swatch::Line {
                color: theme.line(*i),
                width: *w,
            },
        })
        .collect();
    let frame = Frame {
        class: "cloud-instances",
        title: "Cloud instances and the binding bound".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: "Instances (count)".into(),
        y_max: max,
        y_integer: true,
        y_format: YFormat::Plain,
        legend,
        markers: Vec::new(),
    };
    render(&frame, style, |plot| {
        for ((_, i, w), values) in named.iter().zip(&series) {
            plot.steps(values.iter().copied(), plot.theme.line(*i), *w)?;
        }
        Ok(())
    })
}
