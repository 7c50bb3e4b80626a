//! Storage enclosures installed at each site: when the customer buys hardware.

use lakeplan_models::display::grouped;
use lakeplan_models::report::Report;

use crate::axis::YFormat;
use crate::frame::{render, same_as, Frame, LegendItem, Swatch};
use crate::ChartStyle;

/// Line width of the `i`-th site: the first widest, because sites that take the same
/// copy have the same enclosures month by month, and the narrower line then shows inside
/// the wider one instead of hiding it.
fn site_width(i: usize) -> u32 {
    match i {
        0 => 6,
        1 => 3,
        _ => 2,
    }
}

/// Enclosures installed per site by month, as steps: a purchase shows as a rise at the
/// start of the month it is made (`SiteRow::enclosures`, which never falls).
pub fn enclosures(report: &Report, style: &ChartStyle) -> String {
    let months = &report.months;
    let sites: Vec<String> = months
        .first()
        .map(|m| m.sites.iter().map(|s| s.name.to_string()).collect())
        .unwrap_or_default();
    let value = |m: &lakeplan_models::report::MonthRow, i: usize| {
        m.sites.get(i).map_or(f64::NAN, |s| s.enclosures as f64)
    };
    let max = months
        .iter()
        .flat_map(|m| m.sites.iter().map(|s| s.enclosures as f64))
        .fold(0.0, f64::max);
    let theme = crate::theme::Theme::of(style.dark);
    let series: Vec<Vec<f64>> = (0..sites.len())
        .map(|i| months.iter().map(|m| value(m, i)).collect())
        .collect();
    let twins = same_as(&series);
    let legend = sites
        .iter()
        .enumerate()
        .map(|(i, name)| LegendItem {
            label: match twins[i].and_then(|j| sites.get(j)) {
                Some(twin) => format!("{name} (same as {twin})"),
                None => name.clone(),
            },
            swatch: Swatch::Line {
                color: theme.line(i),
                width: site_width(i),
            },
        })
        .collect();

    let mut description = "Storage enclosures installed per site by month.".to_string();
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        for (i, name) in sites.iter().enumerate() {
            let purchases = report
                .expansion
                .iter()
                .filter(|e| *e.site == **name && e.month != first.month)
                .count();
            description.push_str(&format!(
                " {name}: {} in {}, {} in {}, after {purchases} expansion{}.",
                grouped(value(first, i), 0),
                first.month,
                grouped(value(last, i), 0),
                last.month,
                if purchases == 1 { "" } else { "s" }
            ));
        }
    }

    let frame = Frame {
        class: "enclosures",
        title: "Storage enclosures per site".into(),
        description,
        start: months.first().map(|m| m.month),
        months: months.len(),
        y_label: "Enclosures installed (count)".into(),
        y_max: max,
        y_integer: true,
        y_format: YFormat::Plain,
        legend,
        markers: Vec::new(),
    };
    render(&frame, style, |plot| {
        for (i, values) in series.iter().enumerate() {
            plot.steps(values.iter().copied(), plot.theme.line(i), site_width(i))?;
        }
        Ok(())
    })
}
