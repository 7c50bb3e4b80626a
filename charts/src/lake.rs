//! The lake's size over the plan: the first question at the whiteboard.

use lakeplan_models::display::grouped;
use lakeplan_models::report::Report;
use lakeplan_models::units::Bytes;

use crate::axis::YFormat;
use crate::frame::{render, Anchor, Frame};
use crate::ChartStyle;

/// Lake size in PB (or PiB) by month. The size of month m is the curve at the start of
/// that month, so it is drawn at x = m, as a line: the lake grows continuously, unlike the
/// purchases.
pub fn lake_size(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let unit = CapacityUnit::of(style);
    let size = |pb: f64| unit.of_pb(pb);
    let max = months.iter().map(|m| size(m.lake_pb)).fold(0.0, f64::max);
    let description = match (months.first(), months.last()) {
        (Some(first), Some(last)) => {
            let mut d = format!(
                "Lake size in {} by month: {} {} in {}, {} {} in {}.",
                unit.words(),
                grouped(size(first.lake_pb), 1),
                unit.symbol(),
                first.month,
                grouped(size(last.lake_pb), 1),
                unit.symbol(),
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
        _ => format!(
            "Lake size in {} by month: the plan has no months.",
            unit.words()
        ),
    };
    let frame = Frame {
        class: "lake-size",
        title: "Lake size".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: format!("Lake size ({})", unit.symbol()),
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
            .map(|(m, row)| (m as f64, size(row.lake_pb)))
            .collect();
        plot.line(&points, plot.theme.line(0), 4)?;
        // The two figures the customer asks for, where the eye already is.
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            plot.value_label(first.0, first.1, &label(first.1, unit), Anchor::Start);
            if points.len() > 1 {
                plot.value_label(last.0, last.1, &label(last.1, unit), Anchor::End);
            }
        }
        Ok(())
    })
}

/// Decimal or binary petabytes, as the style asks.
#[derive(Clone, Copy)]
enum CapacityUnit {
    Pb,
    Pib,
}

impl CapacityUnit {
    fn of(style: &ChartStyle) -> CapacityUnit {
        if style.iec {
            CapacityUnit::Pib
        } else {
            CapacityUnit::Pb
        }
    }

    fn of_pb(self, pb: f64) -> f64 {
        match self {
            CapacityUnit::Pb => pb,
            CapacityUnit::Pib => Bytes::from_pb(pb).pib(),
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            CapacityUnit::Pb => "PB",
            CapacityUnit::Pib => "PiB",
        }
    }

    fn words(self) -> &'static str {
        match self {
            CapacityUnit::Pb => "petabytes",
            CapacityUnit::Pib => "pebibytes",
        }
    }
}

/// A lake size as a label: whole units from 100 up, where a decimal is noise.
fn label(v: f64, unit: CapacityUnit) -> String {
    let decimals = if v >= 100.0 {
        0
    } else if v >= 1.0 {
        1
    } else {
        2
    };
    format!("{} {}", grouped(v, decimals), unit.symbol())
}
