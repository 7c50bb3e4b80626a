//! The charts of the reference scenario and of scenarios built to stress them: each is
//! well-formed SVG with an accessible name, says what its axes measure, lists every
//! path, site or component, marks saturation only when it happens, and keeps its text
//! readable (≥ 14 px), inside the picture and clear of other text at any size.
//!
//! Golden files in `tests/golden/` hold the reference charts; `UPDATE_GOLDEN=1 cargo test
//! -p lakeplan-charts` rewrites them after a deliberate change (then look at the PNGs:
//! `cargo run -p lakeplan-charts --example preview`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../models/tests/common/mod.rs"]
mod common;

use std::path::Path;

use lakeplan_charts::{
    bandwidth, cost_cumulative, cost_monthly, enclosures, fan, lake_size, tornado, ChartStyle,
    CHARTS,
};
use lakeplan_models::report::{compute, Report, COST_COLUMNS};
use lakeplan_models::scenario::Scenario;
use lakeplan_models::topology::Topology;
use lakeplan_models::whatif::sensitivity::{sensitivity, Sensitivity};
use lakeplan_models::whatif::uncertainty::{reference_spec, run, UncertaintyResult};

fn reference_scenario() -> Scenario {
    Scenario::parse(common::REFERENCE_SCENARIO).unwrap()
}

fn report_of(s: &Scenario) -> Report {
    compute(s, &common::reference_prices())
}

fn reference() -> Report {
    report_of(&reference_scenario())
}

/// Enough cloud and inter-site ports that no path saturates over the horizon.
fn roomy() -> Report {
    let mut s = reference_scenario();
    s.links.cloud.ports = 100;
    s.links.inter_site.ports = 32;
    report_of(&s)
}

/// Fan-out to three sites, one of which takes half the lake: paths that carry a part of
/// the change, two with the same capacity, more legend entries.
fn fan_out() -> Report {
    let mut s = reference_scenario();
    s.network.topology = Topology::FanOut;
    s.horizon_months = 60;
    let mut third = s.sites[0].clone();
    third.name = "Region 3 (archive)".into();
    third.copy_fraction = 0.5;
    s.sites.push(third);
    report_of(&s)
}

/// A text element of a chart, with the font size it inherits.
#[derive(Debug)]
struct Text {
    content: String,
    x: f64,
    y: f64,
    size: f64,
    anchor: String,
    rotated: bool,
}

struct Parsed {
    width: f64,
    height: f64,
    title: String,
    aria_label: String,
    texts: Vec<Text>,
}

fn attr_f64(node: roxmltree::Node<'_, '_>, name: &str) -> Option<f64> {
    node.attribute(name).and_then(|v| v.parse().ok())
}

/// Parses `svg` strictly (any XML error fails the test) and collects what a reader sees.
fn parse(svg: &str) -> Parsed {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let width = attr_f64(root, "width").unwrap();
    let height = attr_f64(root, "height").unwrap();
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {width} {height}").as_str())
    );
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("a <title>")
        .to_string();
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let size = n
                .ancestors()
                .find_map(|a| attr_f64(a, "font-size"))
                .expect("a font size");
            Text {
                content: n.text().unwrap_or_default().trim().to_string(),
                x: attr_f64(n, "x").unwrap(),
                y: attr_f64(n, "y").unwrap(),
                size,
                anchor: n.attribute("text-anchor").unwrap_or("start").to_string(),
                rotated: n.attribute("transform").is_some(),
            }
        })
        .collect();
    Parsed {
        width,
        height,
        title,
        aria_label: root.attribute("aria-label").unwrap_or_default().to_string(),
        texts,
    }
}

impl Parsed {
    fn has_text(&self, s: &str) -> bool {
        self.texts.iter().any(|t| t.content == s)
    }
    fn texts_containing(&self, s: &str) -> Vec<&str> {
        self.texts
            .iter()
            .filter(|t| t.content.contains(s))
            .map(|t| t.content.as_str())
            .collect()
    }
}

/// Advance widths of ASCII 32–126 in DejaVu Sans, the widest common sans-serif, in
/// thousandths of an em (read with fontTools): the oracle, independent of the crate's
/// own estimate.
const DEJAVU_MILLI_EM: [u16; 95] = [
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, //
    637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531, //
    1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788, //
    604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500, //
    500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, //
    635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
];

/// Width of a text in DejaVu Sans, plus 2 % for kerning and hinting.
fn est_width(t: &Text) -> f64 {
    let milli: u32 = t
        .content
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(DEJAVU_MILLI_EM[c as usize - 32]),
            '→' => 838,
            '\u{2009}' => 200,
            _ => 1000,
        })
        .sum();
    f64::from(milli) / 1000.0 * t.size * 1.02
}

/// Left, top, right, bottom of a (not rotated) text's box.
fn bbox(t: &Text) -> (f64, f64, f64, f64) {
    let w = est_width(t);
    let left = match t.anchor.as_str() {
        "middle" => t.x - w / 2.0,
        "end" => t.x - w,
        _ => t.x,
    };
    (left, t.y - 0.8 * t.size, left + w, t.y + 0.22 * t.size)
}

/// Every label is inside the picture, at least 14 px at the default size, and no two
/// labels overlap.
fn assert_readable(p: &Parsed, min_px: f64, what: &str) {
    for t in &p.texts {
        assert!(t.size >= min_px, "{what}: {:?} is {} px", t.content, t.size);
        if t.rotated {
            let half = est_width(t) / 2.0;
            assert!(
                t.y - half >= 0.0 && t.y + half <= p.height,
                "{what}: {t:?} clipped"
            );
            continue;
        }
        let (l, top, r, b) = bbox(t);
        assert!(
            l >= 0.0 && r <= p.width && top >= 0.0 && b <= p.height,
            "{what}: {:?} at ({l:.0}, {top:.0})–({r:.0}, {b:.0}) leaves the {}×{} picture",
            t.content,
            p.width,
            p.height
        );
    }
    let boxes: Vec<_> = p.texts.iter().filter(|t| !t.rotated).collect();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let (al, at, ar, ab) = bbox(a);
            let (bl, bt, br, bb) = bbox(b);
            let overlap = al < br && bl < ar && at < bb && bt < ab;
            assert!(!overlap, "{what}: {:?} overlaps {:?}", a.content, b.content);
        }
    }
}

#[test]
fn every_reference_chart_is_accessible_svg_with_units() {
    let report = reference();
    let style = ChartStyle::default();
    let expect = [
        ("lake-size", "Lake size", "Lake size (PB)"),
        (
            "bandwidth",
            "Replication rate and path capacity",
            "Payload rate (Tbps)",
        ),
        (
            "enclosures",
            "Storage enclosures per site",
            "Enclosures installed (count)",
        ),
        (
            "cost-monthly",
            "Monthly cost by component",
            "Cost per month (US$)",
        ),
        (
            "cost-cumulative",
            "Cumulative cost by component",
            "Cumulative cost (US$)",
        ),
    ];
    for (chart, (name, title, y_label)) in CHARTS.iter().zip(expect) {
        assert_eq!(chart.name, name);
        let svg = (chart.draw)(&report, &style);
        let p = parse(&svg);
        assert_eq!((p.width, p.height), (800.0, 400.0));
        assert_eq!(p.title, title, "{name}");
        assert!(p.has_text(title), "{name}: visible title");
        assert!(p.has_text(y_label), "{name}: y axis label {y_label}");
        assert!(
            p.aria_label.starts_with(title) && p.aria_label.len() > title.len() + 20,
            "{name}: {}",
            p.aria_label
        );
        assert!(p.has_text("2026-01") && p.has_text("2029-01"), "{name}");
        assert!(
            svg.contains(&format!("class=\"lakeplan-chart lakeplan-chart-{name}\"")),
            "{name}"
        );
        assert_readable(&p, 14.0, name);
    }
}

#[test]
fn lake_size_states_its_endpoints() {
    let p = parse(&lake_size(&reference(), &ChartStyle::default()));
    assert!(p.has_text("450 PB"), "{:?}", p.texts);
    assert!(
        p.aria_label.contains("450.0 PB in 2026-01"),
        "{}",
        p.aria_label
    );
    assert!(p.aria_label.contains("14.4 % a year"), "{}", p.aria_label);
    // Yearly ticks, no month in between.
    assert!(!p.has_text("2026-07"));
}

#[test]
fn lake_size_follows_the_iec_switch() {
    let style = ChartStyle {
        iec: true,
        ..ChartStyle::default()
    };
    let p = parse(&lake_size(&reference(), &style));
    // 450 × 10^15 B / 2^50 B = 399.68 PiB.
    assert!(p.has_text("400 PiB"), "{:?}", p.texts);
    assert!(p.has_text("Lake size (PiB)"), "{:?}", p.texts);
    assert!(
        p.aria_label.contains("399.7 PiB in 2026-01"),
        "{}",
        p.aria_label
    );
    assert!(!p.has_text("450 PB"));
}

#[test]
fn bandwidth_marks_each_path_where_it_saturates() {
    let report = reference();
    let p = parse(&bandwidth(&report, &ChartStyle::default()));
    assert!(
        p.has_text("cloud → Region 1 saturates 2026-01"),
        "{:?}",
        p.texts
    );
    // The inter-site path saturates later, in the month the model says.
    let inter = report
        .months
        .iter()
        .find(|m| !m.paths[1].feasible)
        .unwrap()
        .month;
    assert!(
        p.has_text(&format!("Region 1 → Region 2 saturates {inter}")),
        "{:?}",
        p.texts_containing("saturates")
    );
    for name in ["cloud → Region 1", "Region 1 → Region 2"] {
        assert!(p.has_text(&format!("{name} capacity")), "{name}");
    }
    assert!(p.has_text("Required (peak = daily mean)"));
    assert!(p.aria_label.contains("saturates in 2026-01"));
}

#[test]
fn nothing_saturates_no_marker() {
    let report = roomy();
    assert!(report.summary.first_infeasible_month.is_none());
    let p = parse(&bandwidth(&report, &ChartStyle::default()));
    assert!(p.texts_containing("saturate").is_empty(), "{:?}", p.texts);
    assert!(
        p.aria_label.contains("No path saturates"),
        "{}",
        p.aria_label
    );
    assert_readable(&p, 14.0, "roomy bandwidth");
}

#[test]
fn small_rates_read_in_gbps() {
    let mut s = reference_scenario();
    s.change.value = 0.1;
    s.links.cloud.ports = 4;
    s.links.inter_site.ports = 1;
    let p = parse(&bandwidth(&report_of(&s), &ChartStyle::default()));
    assert!(p.has_text("Payload rate (Gbps)"));
}

#[test]
fn enclosures_name_every_site_and_say_when_lines_coincide() {
    let p = parse(&enclosures(&reference(), &ChartStyle::default()));
    assert!(p.has_text("Region 1"));
    assert!(p.has_text("Region 2 (same as Region 1)"), "{:?}", p.texts);
    let p = parse(&enclosures(&fan_out(), &ChartStyle::default()));
    assert!(p.has_text("Region 3 (archive)"), "{:?}", p.texts);
}

#[test]
fn cost_charts_list_every_component() {
    let report = reference();
    for svg in [
        cost_monthly(&report, &ChartStyle::default()),
        cost_cumulative(&report, &ChartStyle::default()),
    ] {
        let p = parse(&svg);
        for column in COST_COLUMNS.iter().filter(|c| **c != "total") {
            let mut name = column.to_string();
            name[..1].make_ascii_uppercase();
            assert!(p.has_text(&name), "{name} missing from {}", p.title);
        }
        assert!(p.has_text("$0"));
        assert!(
            p.texts.iter().any(|t| t.content.starts_with('$')
                && ["k", "M", "B"].iter().any(|s| t.content.ends_with(s))),
            "{:?}",
            p.texts
        );
    }
}

#[test]
fn fan_out_shows_each_paths_own_requirement() {
    let report = fan_out();
    let p = parse(&bandwidth(&report, &ChartStyle::default()));
    assert!(
        p.has_text("cloud → Region 3 (archive) required"),
        "{:?}",
        p.texts
    );
    // Every cloud path of a fan-out has the same capacity: one line, one entry.
    assert!(
        p.has_text("cloud → Region 1, cloud → Region 2, cloud → Region 3 (archive) capacity"),
        "{:?}",
        p.texts
    );
    assert_readable(&p, 14.0, "fan-out bandwidth");
}

#[test]
fn text_stays_clear_at_every_size_and_horizon() {
    let sizes = [(800, 400), (480, 360), (1200, 600), (360, 260), (640, 480)];
    for horizon in [1, 12, 30, 60, 120] {
        let mut s = reference_scenario();
        s.horizon_months = horizon;
        s.start_month = "2026-03".parse().unwrap();
        let report = report_of(&s);
        for (w, h) in sizes {
            for dark in [false, true] {
                let style = ChartStyle {
                    width: w,
                    height: h,
                    dark,
                    ..ChartStyle::default()
                };
                for chart in CHARTS {
                    let p = parse(&(chart.draw)(&report, &style));
                    assert_readable(
                        &p,
                        14.0,
                        &format!("{} {horizon} months at {w}×{h}", chart.name),
                    );
                }
            }
        }
    }
}

/// Site names as long as a customer might type them wrap in the legend and the markers
/// instead of running off the picture.
#[test]
fn long_names_wrap_inside_the_picture() {
    let mut s = reference_scenario();
    s.network.topology = Topology::FanOut;
    s.sites[0].name = "Frankfurt primary data centre (Equinix FR5, hall 3)".into();
    s.sites[1].name = "Amsterdam disaster-recovery site (Digital Realty AMS17)".into();
    let long = report_of(&s);
    for report in [&long, &fan_out()] {
        for (w, h) in [(800, 400), (480, 360), (360, 260)] {
            let style = ChartStyle {
                width: w,
                height: h,
                ..ChartStyle::default()
            };
            for chart in CHARTS {
                let p = parse(&(chart.draw)(report, &style));
                assert_readable(&p, 14.0, &format!("{} at {w}×{h}", chart.name));
            }
        }
    }
}

#[test]
fn an_empty_plan_still_draws() {
    let mut report = reference();
    report.months.clear();
    report.years.clear();
    for chart in CHARTS {
        let p = parse(&(chart.draw)(&report, &ChartStyle::default()));
        assert!(p.has_text("No months to show"), "{}", chart.name);
    }
}

#[test]
fn odd_styles_do_not_panic() {
    let report = reference();
    for style in [
        ChartStyle {
            width: 0,
            height: 0,
            ..ChartStyle::default()
        },
        ChartStyle {
            font_px: f64::NAN,
            ..ChartStyle::default()
        },
        ChartStyle {
            width: 100,
            height: 60,
            font_px: 40.0,
            ..ChartStyle::default()
        },
    ] {
        for chart in CHARTS {
            parse(&(chart.draw)(&report, &style));
        }
    }
}

#[test]
fn reference_charts_match_golden_files() {
    let report = reference();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for chart in CHARTS {
        let svg = (chart.draw)(&report, &ChartStyle::default());
        let path = dir.join(format!("{}.svg", chart.name));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(chart.name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from tests/golden: if the change is meant, run \
         UPDATE_GOLDEN=1 cargo test -p lakeplan-charts and look at the previews"
    );
}

// ---------------------------------------------------------------------------------------
// The what-if charts: tornado and fan.

fn tornados() -> Sensitivity {
    sensitivity(&reference_scenario(), &Default::default()).unwrap()
}

fn monte_carlo() -> UncertaintyResult {
    run(&reference_scenario(), &reference_spec()).unwrap()
}

const SIZES: [(u32, u32); 5] = [(800, 400), (480, 360), (1200, 600), (360, 260), (640, 480)];

#[test]
fn tornados_name_their_inputs_largest_swing_first() {
    let t = tornados();
    let svg = tornado(&t.total_cost, &ChartStyle::default());
    let p = parse(&svg);
    assert_eq!(p.title, "Total cost: what moves it most");
    assert!(p.has_text("Total cost (US$)"));
    assert!(p.has_text("Input lowered 20 %") && p.has_text("Input raised 20 %"));
    assert!(
        p.has_text("As planned: $1.85B"),
        "{:?}",
        p.texts_containing("planned")
    );
    // Every input that moves the cost has a row, in the order of its swing.
    let moving: Vec<&str> = t
        .total_cost
        .rows
        .iter()
        .filter(|r| r.swing > 0.0)
        .map(|r| r.label.as_str())
        .collect();
    let rows: Vec<(&str, f64)> = p
        .texts
        .iter()
        .filter(|x| moving.contains(&x.content.as_str()))
        .map(|x| (x.content.as_str(), x.y))
        .collect();
    // The largest swings, top down; those that do not fit are counted in the description.
    assert!(rows.len() >= 8, "{rows:?}");
    for (row, want) in rows.iter().zip(&moving) {
        assert_eq!(row.0, *want);
    }
    assert!(rows.windows(2).all(|w| w[0].1 < w[1].1), "{rows:?}");
    if rows.len() < moving.len() {
        assert!(p.aria_label.contains(&format!(
            "{} more inputs move it less",
            moving.len() - rows.len()
        )));
    }
    // Inputs that move nothing are named in the description, not drawn.
    assert!(!p.has_text("Cloud round trip"));
    assert!(
        p.aria_label.contains("cloud round trip"),
        "{}",
        p.aria_label
    );
    assert!(svg.contains("class=\"lakeplan-chart lakeplan-chart-tornado\""));
    let p = parse(&tornado(&t.peak_bandwidth, &ChartStyle::default()));
    assert!(p.has_text("Peak bandwidth (Tbps)"));
    assert!(p.has_text("Daily change"));
}

#[test]
fn fans_show_the_band_and_the_median() {
    let r = monte_carlo();
    let p = parse(&fan(&r, "peak_gbps", &ChartStyle::default()));
    assert_eq!(p.title, "Busy-day peak: range of outcomes");
    assert!(p.has_text("Busy-day peak (Tbps)"));
    assert!(p.has_text("P10–P90: 8 in 10 trials"));
    assert!(p.has_text("P2.5–P97.5: 95 % of trials"));
    assert!(p.has_text("Median (P50)"));
    assert!(p.aria_label.contains("seed 2026"), "{}", p.aria_label);
    let p = parse(&fan(&r, "cost_usd", &ChartStyle::default()));
    assert!(p.has_text("Cost so far (US$)"));
    assert!(
        p.texts.iter().any(|t| t.content.ends_with('B')),
        "{:?}",
        p.texts
    );
    let p = parse(&fan(&r, "enclosures:Region 2", &ChartStyle::default()));
    assert!(p.has_text("Enclosures at Region 2: range of outcomes"));
    assert!(p.has_text("Enclosures (count)"));
    // A figure the run does not have still draws, and says so.
    let p = parse(&fan(&r, "nothing", &ChartStyle::default()));
    assert!(p.aria_label.contains("no figure called nothing"));
}

#[test]
fn what_if_text_stays_clear_at_every_size() {
    let t = tornados();
    let r = monte_carlo();
    for (w, h) in SIZES {
        for dark in [false, true] {
            let style = ChartStyle {
                width: w,
                height: h,
                dark,
                ..ChartStyle::default()
            };
            for (name, svg) in [
                ("tornado cost", tornado(&t.total_cost, &style)),
                ("tornado peak", tornado(&t.peak_bandwidth, &style)),
                ("fan peak", fan(&r, "peak_gbps", &style)),
                ("fan cost", fan(&r, "cost_usd", &style)),
                (
                    "fan ports",
                    fan(&r, "ports_needed:cloud → Region 1", &style),
                ),
            ] {
                let p = parse(&svg);
                assert_readable(&p, 14.0, &format!("{name} at {w}×{h}"));
            }
        }
    }
    // Odd styles do not panic.
    for style in [
        ChartStyle {
            width: 0,
            height: 0,
            ..ChartStyle::default()
        },
        ChartStyle {
            width: 100,
            height: 60,
            font_px: 40.0,
            ..ChartStyle::default()
        },
    ] {
        parse(&tornado(&t.total_cost, &style));
        parse(&fan(&r, "peak_gbps", &style));
    }
}

/// Small pictures drop the inputs that swing least and say how many.
#[test]
fn a_small_tornado_keeps_the_largest_swings() {
    let t = tornados();
    let p = parse(&tornado(
        &t.total_cost,
        &ChartStyle {
            width: 360,
            height: 260,
            ..ChartStyle::default()
        },
    ));
    assert!(p.has_text(&t.total_cost.rows[0].label));
    assert!(
        p.aria_label.contains("more inputs move it less"),
        "{}",
        p.aria_label
    );
}

#[test]
fn what_if_charts_match_golden_files() {
    let t = tornados();
    let r = monte_carlo();
    let style = ChartStyle::default();
    let charts = [
        ("tornado", tornado(&t.total_cost, &style)),
        ("fan", fan(&r, "peak_gbps", &style)),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (name, svg) in charts {
        let path = dir.join(format!("{name}.svg"));
        if update {
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from tests/golden: if the change is meant, run \
         UPDATE_GOLDEN=1 cargo test -p lakeplan-charts and look at the previews"
    );
}

// ---------------------------------------------------------------------------------------
// The cloud placements' charts.

fn placement_report() -> Report {
    let s = lakeplan_models::presets::get("lake-placement")
        .unwrap()
        .scenario()
        .unwrap();
    lakeplan_models::report::compute_priced(&s).unwrap()
}

#[test]
fn cloud_charts_are_accessible_match_golden_files_and_are_absent_without_the_section() {
    use lakeplan_charts::CLOUD_CHARTS;
    let report = placement_report();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let expect = [
        (
            "placements",
            "Cumulative cost by placement",
            "Cumulative cost (US$)",
        ),
        (
            "cloud-instances",
            "Cloud instances and the binding bound",
            "Instances (count)",
        ),
    ];
    let mut stale = Vec::new();
    for (chart, (name, title, y_label)) in CLOUD_CHARTS.iter().zip(expect) {
        assert_eq!(chart.name, name);
        let svg = (chart.draw)(&report, &ChartStyle::default());
        let p = parse(&svg);
        assert_eq!(p.title, title, "{name}");
        assert!(p.has_text(y_label), "{name}: y axis label {y_label}");
        assert!(
            p.aria_label.len() > title.len() + 20,
            "{name}: {}",
            p.aria_label
        );
        assert_readable(&p, 14.0, name);
        // Nothing to draw without the section.
        assert_eq!((chart.draw)(&reference(), &ChartStyle::default()), "");
        let path = dir.join(format!("{name}.svg"));
        if update {
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from tests/golden (UPDATE_GOLDEN=1)"
    );
    // The placements chart names the change of the cheapest placement in its description.
    let svg = (CLOUD_CHARTS[0].draw)(&report, &ChartStyle::default());
    let change = report.summary.cloud.as_ref().unwrap().ranking_changes[0];
    assert!(parse(&svg)
        .aria_label
        .contains(&format!("from {}:", change.year)));
    // The instances chart says which bound binds.
    let svg = (CLOUD_CHARTS[1].draw)(&report, &ChartStyle::default());
    assert!(parse(&svg).aria_label.contains("capacity binds"));
}
