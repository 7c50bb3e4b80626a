//! Each preset's proposal read back the way a customer's viewer reads it: `pdftotext`
//! (Debian's poppler-utils) finds the verdict, the key figures, the scenario's name, the
//! price book and the page numbers in the text, and `pdftoppm` renders every page.
//!
//! These tools are required, not optional: without them the test fails and says how to
//! install them (`scripts/setup.sh --test` does it in CI).

use std::path::Path;
use std::process::Command;

use lakeplan_models::calendar::Date;
use lakeplan_models::display::{grouped, significant, usd_short};
use lakeplan_models::presets;
use lakeplan_models::report::compute_priced;
use lakeplan_models::verdict::verdict;
use lakeplan_pdf::{proposal, ProposalInput};

fn tool(name: &str) -> Command {
    let found = Command::new(name).arg("-v").output();
    if found.is_err() {
        panic!(
            "`{name}` is not on PATH: install Debian's poppler-utils \
             (`sudo apt-get install poppler-utils`, or `scripts/setup.sh --test`)"
        );
    }
    Command::new(name)
}

/// Text with every run of whitespace as one space. pdftotext writes the figures' thin
/// spaces as plain spaces and breaks lines where the PDF wraps them, so both sides are
/// compared in this form.
fn flat(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdf_text(pdf: &Path) -> String {
    let out = tool("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

#[test]
fn every_preset_reads_back_with_its_verdict_figures_and_page_numbers() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for preset in presets::all() {
        let scenario = preset.scenario().expect("presets parse");
        let report = compute_priced(&scenario).expect("presets price");
        let pdf = proposal(&ProposalInput {
            scenario: &scenario,
            report: &report,
            author: Some("A. Planner"),
            date: Date::parse("2026-11-24").expect("a date"),
            link: Some("http://127.0.0.1:3000/?preset=x"),
        })
        .expect("a PDF");
        let path = dir.path().join(format!("{}.pdf", preset.id));
        std::fs::write(&path, &pdf).expect("written");
        let pages = lakeplan_pdf::layout_pages(&ProposalInput {
            scenario: &scenario,
            report: &report,
            author: Some("A. Planner"),
            date: Date::parse("2026-11-24").expect("a date"),
            link: None,
        })
        .expect("laid out");
        assert!(pages >= 3, "{}: {pages} pages", preset.id);

        let text = flat(&pdf_text(&path));
        let v = verdict(&report);
        let first = &report.months[0];
        let last = report.months.last().expect("months");
        let expected = [
            scenario.name.clone(),
            format!("Prepared for {}", scenario.customer),
            "Prepared by A. Planner".to_string(),
            format!("Price book {}", report.price_book),
            v.headline.clone(),
            v.seeding.clone(),
            // Key figures, as the cards format them.
            format!("{} Gbps", grouped(first.sustained_gbps, 1)),
            format!("{} PB/day", grouped(first.daily_change_pb, 2)),
            format!(
                "{} → {} PB",
                significant(first.lake_pb, 4),
                significant(last.lake_pb, 4)
            ),
            format!("{} ports", grouped(report.max_ports_needed(0) as f64, 0)),
            usd_short(report.summary.total_cost_usd),
            // The cost table's last cumulative figure is the horizon's total.
            lakeplan_models::display::usd_whole(report.summary.total_cost_usd),
            format!("Page 1 of {pages}"),
            format!("Page {pages} of {pages}"),
            // Every licence plan of the book, priced on this cluster.
            "Licence plans on this cluster".to_string(),
            format!(
                "{} (this plan)",
                lakeplan_models::whatif::plans::compare_plans(&scenario)
                    .expect("plans")
                    .scenario_plan
            ),
        ];
        for e in expected {
            let e = flat(&e);
            assert!(
                text.contains(&e),
                "{}: {e:?} is not in the PDF's text",
                preset.id
            );
        }
        for d in &v.details {
            assert!(text.contains(&flat(d)), "{}: {d:?} missing", preset.id);
        }
        // Long row ids wrap at their dots, so they are looked for with the spaces out.
        let joined = text.replace(' ', "");
        for row in &report.assumptions.rows_used {
            assert!(
                joined.contains(&row.id),
                "{}: row {} missing",
                preset.id,
                row.id
            );
        }

        // Every page renders, and there are as many as the footers say.
        let prefix = dir.path().join(format!("{}-page", preset.id));
        let out = tool("pdftoppm")
            .args(["-r", "20", "-png"])
            .arg(&path)
            .arg(&prefix)
            .output()
            .expect("pdftoppm runs");
        assert!(
            out.status.success(),
            "{}: pdftoppm failed: {}",
            preset.id,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}: pdftoppm complained: {}",
            preset.id,
            String::from_utf8_lossy(&out.stderr)
        );
        let rendered: Vec<_> = std::fs::read_dir(dir.path())
            .expect("listed")
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                name.starts_with(&format!("{}-page", preset.id)) && name.ends_with(".png")
            })
            .collect();
        assert_eq!(rendered.len(), pages, "{}", preset.id);
        for page in rendered {
            let size = page.metadata().expect("metadata").len();
            assert!(size > 500, "{}: {:?} is empty", preset.id, page.path());
        }
    }
}

#[test]
fn the_document_carries_its_title_author_and_date() {
    let preset = presets::reference();
    let scenario = preset.scenario().expect("parses");
    let report = compute_priced(&scenario).expect("prices");
    let make = || {
        proposal(&ProposalInput {
            scenario: &scenario,
            report: &report,
            author: Some("A. Planner"),
            date: Date::parse("2026-11-24").expect("a date"),
            link: None,
        })
        .expect("a PDF")
    };
    let pdf = make();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("reference.pdf");
    std::fs::write(&path, &pdf).expect("written");
    let out = tool("pdfinfo").arg(&path).output().expect("pdfinfo runs");
    let info = String::from_utf8(out.stdout).expect("UTF-8");
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(field("Title"), scenario.name);
    assert_eq!(field("Author"), "A. Planner");
    assert!(field("CreationDate").contains("Nov 24") && field("CreationDate").contains("2026"));
    assert!(field("Page size").contains("(A4)"), "{info}");
    // The same input gives the same bytes: the date is an input, not the clock.
    let again = make();
    assert_eq!(pdf, again);
}
