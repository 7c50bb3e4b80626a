//! The page's charts, embedded as vector drawings.
//!
//! `lakeplan-charts` draws each chart as an SVG string from the report; usvg parses it and
//! krilla-svg writes it into the PDF as paths and real text, so a chart prints sharp at
//! any zoom and its labels can be searched and copied. The SVG names the page's font
//! stack ending in `sans-serif`; the font database here holds only the embedded faces,
//! with Liberation Sans as `sans-serif`, so no system font is ever consulted and the
//! label widths the charts estimated (from Liberation's metrics) hold.

use std::sync::Arc;

use lakeplan_charts::{ChartStyle, CHARTS, CLOUD_CHARTS};
use lakeplan_models::report::Report;
use usvg::fontdb;

use crate::fonts::Fonts;
use crate::PdfError;

/// The charts' drawing size in SVG pixels. Scaled to the 487 pt text width, 13 px labels
/// print at 8.8 pt, just under the body size, and three charts with the section heading
/// fill one A4 page.
pub const STYLE: ChartStyle = ChartStyle {
    width: 720,
    height: 310,
    font_px: 13.0,
    dark: false,
    title: true,
    // A proposal states capacities in decimal units, as the price book and the customer do.
    iec: false,
};

/// One chart ready to place.
pub struct Chart {
    pub tree: Arc<usvg::Tree>,
    /// Height over width.
    pub aspect: f32,
}

/// Parses every chart of the report, in the page's order.
pub fn charts(report: &Report) -> Result<Vec<Chart>, PdfError> {
    let mut db = fontdb::Database::new();
    for file in Fonts::files() {
        db.load_font_source(fontdb::Source::Binary(Arc::new(file)));
    }
    db.set_sans_serif_family("Liberation Sans");
    let options = usvg::Options {
        font_family: "Liberation Sans".to_string(),
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    // The cloud charts draw nothing for a report without cloud placements.
    CHARTS
        .iter()
        .chain(&CLOUD_CHARTS)
        .map(|chart| (chart, (chart.draw)(report, &STYLE)))
        .filter(|(_, svg)| !svg.is_empty())
        .map(|(chart, svg)| {
            let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| PdfError::Chart {
                chart: chart.name,
                reason: e.to_string(),
            })?;
            let size = tree.size();
            Ok(Chart {
                aspect: size.height() / size.width(),
                tree: Arc::new(tree),
            })
        })
        .collect()
}
