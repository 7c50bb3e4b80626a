//! The lake's size over the plan: the first question at the whiteboard.

use lakeplan_models::display::grouped;
use lakeplan_models::report::Report;

use crate::axis::YFormat;
use crate::frame::{render, Anchor, Frame};
use crate::ChartStyle;

/// Lake size in PB by month. The size of month m is the curve at the start of that month,
/// so it is drawn at x = m, as a line: the lake grows continuously, unlike the purchases.
pub fn lake_size(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let max = months.iter().map(|m| m.lake_pb).fold(0.0, f64::max);
    let description = match (months.first(), months.last()) {
        (Some(first), Some(last)) => {
            let mut d = format!(
                "Lake size in petabytes by month: {} PB in {}, {} PB in {}.",
                grouped(first.lake_pb, 1),
                first.month,
                grouped(last.lake_pb, 1),
                last.month
            );
            if let Some(cagr) = report.summary.implied_cagr {
                d.push_str(&format!(
                    " Compound growth of {} % a year.",
                    grouped(cagr * 100.0, 1)
                ));
            }
            d
        }
        _ => "Lake size in petabytes by month: the plan has no months.".to_string(),
    };
    let frame = Frame {
        class: "lake-size",
        title: "Lake size".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: "Lake size (PB)".into(),
        y_max: max,
        y_integer: false,
        y_format: YFormat::Plain,
        legend: Vec::new(),
        markers: Vec::new(),
    };
    render(&frame, style, |plot| {
        let points: Vec<(f64, f64)> = months
            .iter()
            .enumerate()
            .map(|(m, row)| (m as f64, row.lake_pb))
            .collect();
        plot.line(&points, plot.theme.line(0), 4)?;
        // The two figures the customer asks for, where the eye already is.
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            plot.value_label(first.0, first.1, &pb(first.1), Anchor::Start);
            if points.len() > 1 {
                plot.value_label(last.0, last.1, &pb(last.1), Anchor::End);
            }
        }
        Ok(())
    })
}

/// A lake size as a label: whole petabytes from 100 PB up, where a decimal is noise.
fn pb(v: f64) -> String {
    let decimals = if v >= 100.0 {
        0
    } else if v >= 1.0 {
        1
    } else {
        2
    };
    format!("{} PB", grouped(v, decimals))
}
