//! The proposal PDF of a scenario, drawn in Rust without a browser.
//!
//! [`proposal`] lays the report out on A4 pages (title block, verdict, key figures,
//! charts, tables by year, the price-book rows behind the figures) and returns the PDF's
//! bytes; the caller writes them (the CLI to a file, the server to a response). Every
//! figure is a report field rounded by `lakeplan_models::display`, the verdict's words
//! come from `lakeplan_models::verdict` and the charts from `lakeplan-charts`, so the PDF
//! says what the page says.
//!
//! Built on krilla (PDF writing, font subsetting) and krilla-svg (the charts' SVG as
//! vector paths and real text), with the fonts compiled in: no browser, no system fonts,
//! no files read.
//!
//! ```
//! use lakeplan_models::{presets, calendar::Date, report::compute_priced};
//! use lakeplan_pdf::{proposal, ProposalInput};
//!
//! let scenario = presets::get("two-cluster-pilot").unwrap().scenario().unwrap();
//! let report = compute_priced(&scenario).unwrap();
//! let pdf = proposal(&ProposalInput {
//!     scenario: &scenario,
//!     report: &report,
//!     author: Some("A. Planner"),
//!     date: Date::parse("2026-11-24").unwrap(),
//!     link: Some("https://lakeplan.example/?preset=two-cluster-pilot"),
//! })
//! .unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```

mod charts;
mod figures;
mod fonts;
mod furniture;
mod layout;
mod render;
mod sections;
mod style;
mod table;
mod text;

use lakeplan_models::calendar::Date;
use lakeplan_models::report::Report;
use lakeplan_models::scenario::Scenario;

pub use layout::Geometry;

/// What a proposal is made from.
#[derive(Debug, Clone, Copy)]
pub struct ProposalInput<'a> {
    pub scenario: &'a Scenario,
    /// The scenario's report (`report::compute_priced`); never recomputed here.
    pub report: &'a Report,
    /// Who prepared it; omitted from the title block when `None`.
    pub author: Option<&'a str>,
    /// The proposal's date, also its creation date in the PDF's metadata. Passed in, not
    /// read from the clock, so the same input gives the same bytes.
    pub date: Date,
    /// Where the scenario opens in Lakeplan, printed and clickable in the title block.
    pub link: Option<&'a str>,
}

/// Why a PDF could not be made. None of these depend on the scenario: each is a bug or a
/// broken build, reported instead of a panic.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    #[error("the {chart} chart cannot be read as SVG: {reason}")]
    Chart { chart: &'static str, reason: String },
    #[error("layout failed: {0}")]
    Layout(&'static str),
    #[error("the PDF cannot be written: {0}")]
    Write(krilla::error::KrillaError),
}

/// The proposal's pages, laid out but not yet drawn: for the tests and for counting pages.
#[doc(hidden)]
pub fn layout_pages(input: &ProposalInput) -> Result<usize, PdfError> {
    let fonts = fonts::Fonts::load()?;
    let charts = charts::charts(input.report)?;
    Ok(lay_out(&fonts, &charts, input).pages.len())
}

fn lay_out<'f>(
    fonts: &'f fonts::Fonts,
    charts: &[charts::Chart],
    input: &ProposalInput,
) -> layout::Flow<'f> {
    let r = input.report;
    let mut flow = layout::Flow::new(fonts, Geometry::A4);
    sections::title_block(&mut flow, input);
    sections::verdict_box(&mut flow, r);
    sections::key_figure_cards(&mut flow, r);
    sections::chart_pages(&mut flow, charts);
    sections::cost_by_year(&mut flow, r);
    sections::cloud_placements(&mut flow, r);
    sections::licence_plans(&mut flow, input.scenario);
    sections::topology_comparison(&mut flow, r);
    sections::claims_check(&mut flow, r);
    sections::network_by_year(&mut flow, r);
    sections::sites_by_year(&mut flow, r);
    sections::expansion(&mut flow, r);
    sections::assumptions(&mut flow, r);
    sections::colophon(&mut flow, input);
    let footer = format!("Lakeplan · {}", sections::document_title(input));
    furniture::footers(&mut flow, &footer);
    flow
}

/// The proposal as PDF bytes.
pub fn proposal(input: &ProposalInput) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::load()?;
    let charts = charts::charts(input.report)?;
    let flow = lay_out(&fonts, &charts, input);
    let customer = input.scenario.customer.trim();
    let title = sections::document_title(input);
    let info = render::Info {
        title: title.clone(),
        subject: if customer.is_empty() {
            "Replication and capacity plan".to_string()
        } else {
            format!("Replication and capacity plan for {customer}")
        },
        author: input.author.map(str::to_string),
        date: input.date,
    };
    render::render(&flow.pages, &flow.bookmarks, &flow.geometry, &fonts, info)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use lakeplan_models::presets;
    use lakeplan_models::report::compute_priced;
    use layout::tests::assert_inside_margins;
    use layout::Item;

    fn laid_out(scenario: &Scenario, link: Option<&str>) -> Vec<Vec<Item>> {
        let report = compute_priced(scenario).unwrap();
        let input = ProposalInput {
            scenario,
            report: &report,
            author: Some("A. Planner"),
            date: Date::parse("2026-11-24").unwrap(),
            link,
        };
        let fonts = fonts::Fonts::load().unwrap();
        let charts = charts::charts(&report).unwrap();
        lay_out(&fonts, &charts, &input).pages
    }

    /// The content only: each page without its footer (a rule and two texts, last).
    fn content(pages: &[Vec<Item>]) -> Vec<Vec<Item>> {
        pages
            .iter()
            .map(|p| p[..p.len().saturating_sub(3)].to_vec())
            .collect()
    }

    #[test]
    fn no_preset_has_text_outside_its_margins_or_an_empty_page() {
        for preset in presets::all() {
            let pages = laid_out(
                &preset.scenario().unwrap(),
                Some("http://127.0.0.1:3000/?preset=x"),
            );
            let body = content(&pages);
            assert_inside_margins(&body, &Geometry::A4);
            for (i, page) in body.iter().enumerate() {
                assert!(!page.is_empty(), "{}: page {} is empty", preset.id, i + 1);
            }
        }
    }

    /// A heading is followed on its page by what it introduces: the last text of a page
    /// is never a section heading.
    #[test]
    fn no_page_ends_with_a_heading() {
        for preset in presets::all() {
            let pages = laid_out(&preset.scenario().unwrap(), None);
            for (i, page) in content(&pages).iter().enumerate() {
                if let Some(Item::Text { style, text, .. }) = page.last() {
                    assert!(
                        style.size != style::H2.size,
                        "{}: page {} ends with {text:?}",
                        preset.id,
                        i + 1
                    );
                }
            }
        }
    }

    #[test]
    fn long_names_links_and_notes_wrap_inside_the_page() {
        let mut doc: serde_json::Value =
            serde_json::from_str(presets::get("cloud-egress-fan-out").unwrap().json).unwrap();
        let long = "Transcontinental replication of the analytics lakehouse between \
                    three colocation regions with a deliberately long name";
        doc["name"] = long.into();
        doc["customer"] = "An Example Customer With A Very Long Legal Name, Incorporated".into();
        doc["sites"][0]["name"] = "A site name long enough to wrap in every table".into();
        let scenario = Scenario::parse(&doc.to_string()).unwrap();
        let link = format!(
            "http://127.0.0.1:3000/?preset=cloud-egress-fan-out&name={}",
            "x".repeat(300)
        );
        let pages = laid_out(&scenario, Some(&link));
        assert_inside_margins(&content(&pages), &Geometry::A4);
        // The footer's copy of the name is shortened, never run into the page number.
        for page in &pages {
            let texts: Vec<&Item> = page[page.len() - 2..].iter().collect();
            if let [Item::Text { x: nx, .. }, Item::Text { x, width, text, .. }] = texts[..] {
                assert!(text.ends_with('…'), "{text}");
                assert!(x + width < *nx, "{text}");
            } else {
                panic!("no footer");
            }
        }
    }
}
