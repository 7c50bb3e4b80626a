//! Writes the proposal of every preset to `target/pdf-preview/PRESET.pdf`, to look at
//! after changing the layout (`pdftoppm -r 80 -png FILE.pdf PREFIX` renders the pages).

use std::path::Path;
use std::time::Instant;

use lakeplan_models::calendar::Date;
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_pdf::{proposal, ProposalInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/pdf-preview");
    std::fs::create_dir_all(&dir)?;
    for preset in presets::all() {
        let scenario = preset.scenario()?;
        let report = compute_priced(&scenario)?;
        let link = format!("http://127.0.0.1:3000/?preset={}", preset.id);
        let started = Instant::now();
        let pdf = proposal(&ProposalInput {
            scenario: &scenario,
            report: &report,
            author: Some("A. Planner"),
            date: Date::parse("2026-11-24")?,
            link: Some(&link),
        })?;
        let took = started.elapsed();
        let path = dir.join(format!("{}.pdf", preset.id));
        std::fs::write(&path, &pdf)?;
        println!(
            "{}: {} bytes in {:.1} ms",
            path.display(),
            pdf.len(),
            took.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
