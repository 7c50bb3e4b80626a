//! Cost by component: per month (where purchases show as spikes) and cumulative (what
//! the plan costs by a given month, and what it is mostly spent on).

use lakeplan_models::report::{Costs, Report};

use crate::axis::YFormat;
use crate::frame::{render, Frame, LegendItem, Swatch};
use crate::text::usd_short;
use crate::theme::Theme;
use crate::ChartStyle;

/// Reads one component's dollars from a [`Costs`].
type Amount = fn(&Costs) -> f64;

/// The components of [`Costs`] in the order of its fields (the CSV's order), with the
/// name the legend shows. `total` is not one: it is their sum.
const COMPONENTS: [(&str, Amount); 8] = [
    ("Egress", |c| c.egress),
    ("Requests", |c| c.requests),
    ("Ports", |c| c.ports),
    ("Licence", |c| c.licence),
    ("Hardware", |c| c.hardware),
    ("Support", |c| c.support),
    ("Power", |c| c.power),
    ("Space", |c| c.space),
];

/// A cost that can be stacked: negative or missing amounts draw nothing rather than
/// folding the stack over.
fn positive(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

fn component_legend(theme: &Theme) -> Vec<LegendItem> {
    COMPONENTS
        .iter()
        .zip(theme.components)
        .map(|((name, _), color)| LegendItem {
            label: (*name).to_string(),
            swatch: Swatch::Fill(color),
        })
        .collect()
}

/// The component that costs most over the plan, for the description.
fn largest_component(report: &Report) -> Option<(&'static str, f64)> {
    COMPONENTS
        .iter()
        .map(|(name, get)| {
            let sum: f64 = report.years.iter().map(|y| get(&y.cost_usd)).sum();
            (*name, sum)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Monthly cost as bars stacked by component, in `Costs`' field order from the bottom.
pub fn cost_monthly(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let theme = Theme::of(style.dark);
    let max = months
        .iter()
        .map(|m| positive(m.cost_usd.total))
        .fold(0.0, f64::max);
    let description = match months
        .iter()
        .max_by(|a, b| a.cost_usd.total.total_cmp(&b.cost_usd.total))
    {
        Some(top) => format!(
            "Cost per month in US dollars, stacked by component: egress, requests, ports, \
             licence, hardware, support, power and space. The costliest month is {} at {}; \
             the plan costs {} in all.",
            top.month,
            usd_short(top.cost_usd.total),
            usd_short(report.summary.total_cost_usd)
        ),
        None => "Cost per month in US dollars by component: the plan has no months.".into(),
    };
    let frame = Frame {
        class: "cost-monthly",
        title: "Monthly cost by component".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: "Cost per month (US$)".into(),
        y_max: max,
        y_integer: false,
        y_format: YFormat::Usd,
        legend: component_legend(theme),
        markers: Vec::new(),
    };
    render(&frame, style, |plot| {
        // A gap keeps neighbouring months apart while there is room for one; below four
        // pixels a month, bars touch instead, since a gap rounded to whole pixels would
        // come and go from bar to bar.
        let inset = if plot.px_per_month() >= 4.0 {
            0.12
        } else {
            0.0
        };
        let (inset_left, inset_right) = (inset, 1.0 - inset);
        for (m, row) in months.iter().enumerate() {
            let x = m as f64;
            let mut base = 0.0;
            for ((_, get), color) in COMPONENTS.iter().zip(theme.components) {
                let v = positive(get(&row.cost_usd));
                if v > 0.0 {
                    plot.rect((x + inset_left, base), (x + inset_right, base + v), color);
                    base += v;
                }
            }
        }
        Ok(())
    })
}

/// Cumulative cost as areas stacked by component, each the running sum of the report's
/// monthly amounts (plain addition of report fields; the model's own running total,
/// `cumulative_usd`, is drawn on top as the outline). A month's cost is spent by its
/// end, so month m's cumulative is drawn at x = m + 1 and the plan starts at $0.
pub fn cost_cumulative(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let theme = Theme::of(style.dark);
    let max = months
        .iter()
        .map(|m| positive(m.cumulative_usd))
        .fold(0.0, f64::max);
    let description = match months.last() {
        Some(last) => {
            let mut d = format!(
                "Cumulative cost in US dollars, stacked by component, reaching {} by the end \
                 of {}.",
                usd_short(last.cumulative_usd),
                last.month
            );
            if let Some((name, sum)) = largest_component(report) {
                d.push_str(&format!(
                    " The largest component is {} at {}.",
                    // The names are ASCII; str::to_lowercase would bring Unicode's case
                    // tables into the browser bundle for them.
                    name.to_ascii_lowercase(),
                    usd_short(sum)
                ));
            }
            d
        }
        None => "Cumulative cost in US dollars by component: the plan has no months.".into(),
    };
    let mut legend = component_legend(theme);
    legend.push(LegendItem {
        label: "Total".into(),
        swatch: Swatch::Line {
            color: theme.text,
            width: 2,
        },
    });
    let frame = Frame {
        class: "cost-cumulative",
        title: "Cumulative cost by component".into(),
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
        let n = months.len();
        let mut lower: Vec<(f64, f64)> = (0..=n).map(|x| (x as f64, 0.0)).collect();
        for ((_, get), color) in COMPONENTS.iter().zip(theme.components) {
            let mut running = 0.0;
            let mut upper = Vec::with_capacity(n + 1);
            upper.push(lower.first().copied().unwrap_or((0.0, 0.0)));
            for (m, row) in months.iter().enumerate() {
                running += positive(get(&row.cost_usd));
                let base = lower.get(m + 1).map_or(0.0, |p| p.1);
                upper.push(((m + 1) as f64, base + running));
            }
            if running > 0.0 {
                plot.band(&lower, &upper, color)?;
                // A hairline in the background colour between layers.
                plot.line(&upper, plot.theme.background, 1)?;
                lower = upper;
            }
        }
        let total: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
            .chain(
                months
                    .iter()
                    .enumerate()
                    .map(|(m, row)| ((m + 1) as f64, row.cumulative_usd)),
            )
            .collect();
        plot.line(&total, plot.theme.text, 2)
    })
}
