//! Writes every chart of the reference scenario and its what-if charts (tornados, fans)
//! (light and dark, 800 × 400 and a narrow 480 × 360) to `target/charts-preview/`, and a
//! PNG beside each SVG when
//! `rsvg-convert` (Debian: librsvg2-bin) is installed: look at them before a customer does.
//!
//!     cargo run -p lakeplan-charts --example preview
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../models/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use lakeplan_charts::{ChartStyle, CHARTS};
use lakeplan_models::report::compute;
use lakeplan_models::scenario::Scenario;

/// A chart of the preview, drawn at a style.
type Draw = Box<dyn Fn(&ChartStyle) -> String>;

fn main() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/charts-preview");
    std::fs::create_dir_all(&out).expect("create target/charts-preview");
    let scenario = Scenario::parse(common::REFERENCE_SCENARIO).expect("reference scenario");

    let report = compute(&scenario, &common::reference_prices());
    let styles = [
        ("light", ChartStyle::default()),
        ("dark", ChartStyle::dark()),
        (
            "narrow",
            ChartStyle {
                width: 480,
                height: 360,
                ..ChartStyle::default()
            },
        ),
    ];
    let rsvg = Command::new("rsvg-convert")
        .arg("--version")
        .output()
        .is_ok();
    // The what-if charts, from the sensitivity and the reference Monte Carlo run.
    let tornados =
        lakeplan_models::whatif::sensitivity::sensitivity(&scenario, &Default::default())
            .expect("sensitivity");
    let run = lakeplan_models::whatif::uncertainty::run(
        &scenario,
        &lakeplan_models::whatif::uncertainty::reference_spec(),
    )
    .expect("monte carlo");
    let mut charts: Vec<(String, Draw)> = CHARTS
        .iter()
        .map(|c| {
            let draw = c.draw;
            let report = report.clone();
            (
                c.name.to_string(),
                Box::new(move |st: &ChartStyle| draw(&report, st))
                    as Box<dyn Fn(&ChartStyle) -> String>,
            )
        })
        .collect();
    for (name, t) in [
        ("tornado-cost", tornados.total_cost.clone()),
        ("tornado-peak", tornados.peak_bandwidth.clone()),
    ] {
        charts.push((
            name.to_string(),
            Box::new(move |st: &ChartStyle| lakeplan_charts::tornado(&t, st)),
        ));
    }
    for m in &run.metrics {
        let (r, key) = (run.clone(), m.key.clone());
        let name = format!("fan-{}", key.split(':').next().unwrap_or("x"));
        if charts.iter().any(|(n, _)| *n == name) {
            continue;
        }
        charts.push((
            name,
            Box::new(move |st: &ChartStyle| lakeplan_charts::fan(&r, &key, st)),
        ));
    }
    for (name, draw) in &charts {
        for (suffix, style) in &styles {
            let svg_path = out.join(format!("{name}-{suffix}.svg"));
            std::fs::write(&svg_path, draw(style)).expect("write svg");
            if rsvg {
                let png_path = svg_path.with_extension("png");
                let status = Command::new("rsvg-convert")
                    .arg("-o")
                    .arg(&png_path)
                    .arg(&svg_path)
                    .status()
                    .expect("run rsvg-convert");
                assert!(status.success(), "rsvg-convert {}", svg_path.display());
            }
            println!("{}", svg_path.display());
        }
    }
}
