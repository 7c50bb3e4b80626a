//! Writes every chart of the reference scenario (light and dark, 800 × 400 and a narrow
//! 480 × 360) to `target/charts-preview/`, and a PNG beside each SVG when
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
    for chart in CHARTS {
        for (suffix, style) in &styles {
            let svg_path = out.join(format!("{}-{suffix}.svg", chart.name));
            std::fs::write(&svg_path, (chart.draw)(&report, style)).expect("write svg");
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
