//! Lakeplan's charts, as standalone SVG strings.
//!
//! Besides the report's charts ([`CHARTS`]), the what-ifs have two: [`tornado`] (a
//! sensitivity tornado, from `whatif::sensitivity::Tornado`) and [`fan`] (a Monte Carlo
//! figure's percentiles by month, from `whatif::uncertainty::UncertaintyResult`).
//!
//! A chart is drawn from fields of a [`Report`] and computes no figure of its own, so the
//! page (which inlines the SVG and redraws on every keystroke), the PDF (which embeds the
//! same SVG) and the CSV agree. The crate does no I/O and needs no font file: it builds
//! natively and for `wasm32-unknown-unknown`, and the same report and style give the same
//! bytes on both, so a chart rendered by the server hydrates unchanged in the browser.
//!
//! Colours are explicit, chosen by [`ChartStyle::dark`], rather than `currentColor` or CSS
//! classes: the PDF, a downloaded SVG and a pasted PNG have no page stylesheet to resolve
//! them, and a chart must read the same there as on the page. The page redraws a chart
//! when its theme changes, which costs less than a millisecond. Each `<svg>` still carries
//! `class="lakeplan-chart lakeplan-chart-NAME"` for sizing it with CSS.
//!
//! What they cost (measured 2026-11 on the 2-core build machine, 60-month report): the
//! five charts take about 0.5–0.7 ms natively (`cargo bench -p lakeplan-charts`) and
//! 1.3–1.7 ms as wasm (`opt-level = "z"`, in Node); they add about 86 KB to a wasm
//! bundle after `wasm-opt -Oz` (38 KB gzip, 30 KB brotli), of which plotters itself is
//! a few KB, and import nothing from the DOM. An embedded font for exact text widths
//! was not an option: plotters compiles its `ab_glyph` support out on wasm32, and even
//! a subset font would cost more than the estimate's 3 % slack.
//!
//! ```
//! use lakeplan_charts::{lake_size, ChartStyle};
//! # use lakeplan_models::{egress::EgressRate, pricing::{Plan, Prices, SpaceRate}};
//! # use lakeplan_models::units::{Usd, UsdPerGib, UsdPerHour};
//! # let prices = Prices { book: "example".into(),
//! #     egress: EgressRate::FlatPerGib(UsdPerGib(0.02)), request: None,
//! #     cloud_port: UsdPerHour(23.28), inter_site_port: UsdPerHour(0.0),
//! #     licence: Plan::default(), enclosure: Usd(0.0), node: Usd(0.0), switch: Usd(0.0),
//! #     support_fraction_per_year: 0.0, power_usd_per_kwh: 0.09, pue: 1.58,
//! #     space: SpaceRate::PerKwMonth(184.06), cloud: None };
//! let scenario = lakeplan_models::scenario::Scenario::parse(r#"{
//!     "start_month": "2026-01", "horizon_months": 48,
//!     "lake": {"initial_pb": 450, "target_pb": 770, "target_month": "2030-01"},
//!     "change": {"value": 10}, "sites": [{"name": "Region 1"}]
//! }"#).expect("a valid scenario");
//! let report = lakeplan_models::report::compute(&scenario, &prices);
//! let svg = lake_size(&report, &ChartStyle::default());
//! assert!(svg.starts_with("<svg") && svg.contains(r#"role="img""#));
//! assert!(svg.contains("Lake size (PB)"));
//! ```

mod axis;
mod bandwidth;
mod cost;
mod enclosures;
mod fan;
mod frame;
mod lake;
mod placements;
mod text;
mod theme;
mod tornado;

pub use bandwidth::bandwidth;
pub use cost::{cost_cumulative, cost_monthly};
pub use enclosures::enclosures;
pub use fan::fan;
pub use lake::lake_size;
pub use placements::{cloud_instances, placements};
pub use tornado::tornado;

use lakeplan_models::report::Report;

/// How big a chart is and which theme it reads in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Pixels; also the `viewBox`, so the chart scales with CSS like an image.
    pub width: u32,
    pub height: u32,
    /// Size of every label. 14 px at 800 × 400 still reads on a projector.
    pub font_px: f64,
    /// Light text on the page's dark surface, and line colours chosen for it.
    pub dark: bool,
    /// Draw the chart's title above it. Off where the page already shows it as a heading.
    pub title: bool,
    /// Capacities in binary units (PiB) instead of decimal (PB), as the page's switch says.
    /// The report stays in PB; only the drawing converts.
    pub iec: bool,
}

impl Default for ChartStyle {
    fn default() -> ChartStyle {
        ChartStyle {
            width: 800,
            height: 400,
            font_px: 14.0,
            dark: false,
            title: true,
            iec: false,
        }
    }
}

impl ChartStyle {
    /// The default size in the dark theme.
    pub fn dark() -> ChartStyle {
        ChartStyle {
            dark: true,
            ..ChartStyle::default()
        }
    }
}

/// A chart with the name its file and its CSS class use.
#[derive(Debug, Clone, Copy)]
pub struct NamedChart {
    /// `lake-size`, `bandwidth`, `enclosures`, `cost-monthly`, `cost-cumulative`.
    pub name: &'static str,
    pub draw: fn(&Report, &ChartStyle) -> String,
}

/// Every chart, in the order a report shows them: the PDF and the previews iterate this
/// rather than listing the charts again.
pub const CHARTS: [NamedChart; 5] = [
    NamedChart {
        name: "lake-size",
        draw: lake_size,
    },
    NamedChart {
        name: "bandwidth",
        draw: bandwidth,
    },
    NamedChart {
        name: "enclosures",
        draw: enclosures,
    },
    NamedChart {
        name: "cost-monthly",
        draw: cost_monthly,
    },
    NamedChart {
        name: "cost-cumulative",
        draw: cost_cumulative,
    },
];

/// The charts of a `cloud_cluster` scenario, after [`CHARTS`]; each draws nothing (an
/// empty string) for a report without cloud placements.
pub const CLOUD_CHARTS: [NamedChart; 2] = [
    NamedChart {
        name: "placements",
        draw: placements,
    },
    NamedChart {
        name: "cloud-instances",
        draw: cloud_instances,
    },
];
