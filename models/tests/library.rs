//! Pricing with a book that is not compiled in: the pricing team's draft with every licence
//! rate doubled, read from CSV the way an upload is, on a shelf beside the built-in books.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use lakeplan_models::library::{Builtin, Library, Shelf};
use lakeplan_models::price_book::{Catalog, Category, PriceBook, Unit};
use lakeplan_models::report::{compute_priced, compute_priced_in};
use lakeplan_models::reprice::preview_in;

/// The built-in book exported, with every licence rate (dollars per core-year or per
/// usable-TB-year; the term discounts are percentages and stay) doubled.
fn doubled_licence_book(id: &str) -> PriceBook {
    let builtin = Builtin.book("2026-11").unwrap();
    let export = builtin.to_csv();
    let mut text = format!("{}\n", export.lines().next().unwrap());
    for r in builtin.rows() {
        let rate = r.category == Category::Licence
            && matches!(r.unit, Unit::UsdPerCoreYear | Unit::UsdPerUsableTbYear);
        let cells: Vec<String> = r
            .cells()
            .iter()
            .map(|(column, v)| match *column {
                "value" if rate => quote(&(r.value * 2.0).to_string()),
                _ => quote(v),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let book = PriceBook::check(id, "doubled.csv", &text).unwrap();
    assert!(book.missing("doubled.csv", builtin).is_empty());
    book
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[test]
fn a_draft_with_doubled_licence_rates_doubles_every_years_licence_and_moves_nothing_else() {
    let shelf = Shelf::default().with(Arc::new(doubled_licence_book("pb-doubled")));
    let mut s = common::reference_preset();
    s.pricing.price_book = "2026-11".into();
    let before = compute_priced(&s).unwrap();
    s.pricing.price_book = "pb-doubled".into();
    let after = compute_priced_in(&shelf, &s).unwrap();
    assert_eq!(after.price_book, "pb-doubled");
    assert_eq!(before.years.len(), after.years.len());
    let mut licence_total = 0.0;
    for (b, a) in before.years.iter().zip(&after.years) {
        let (b, a) = (&b.cost_usd, &a.cost_usd);
        assert_eq!(a.licence, 2.0 * b.licence, "{}", b.licence);
        licence_total += b.licence;
        assert_eq!(
            (a.egress, a.requests, a.ports, a.hardware, a.support, a.power, a.space),
            (b.egress, b.requests, b.ports, b.hardware, b.support, b.power, b.space)
        );
        assert!((a.total - (b.total + b.licence)).abs() <= 1e-6 * a.total.max(1.0));
    }
    assert!(licence_total > 0.0, "the reference scenario pays a licence");
    // Everything that is not a cost is the same report.
    assert_eq!(before.months.len(), after.months.len());
    for (b, a) in before.months.iter().zip(&after.months) {
        assert_eq!((b.lake_pb, b.sustained_gbps), (a.lake_pb, a.sustained_gbps));
    }
    assert_eq!(before.summary.verdicts, after.summary.verdicts);
}

#[test]
fn re_pricing_across_stored_books_lists_the_licence_rows_that_moved() {
    let shelf = Shelf::default().with(Arc::new(doubled_licence_book("pb-doubled")));
    let mut s = common::reference_preset();
    s.pricing.price_book = "2026-11".into();
    let p = preview_in(&shelf, &s, "pb-doubled").unwrap();
    assert_eq!((p.from.as_str(), p.to.as_str()), ("2026-11", "pb-doubled"));
    assert!(!p.rows.is_empty());
    for row in &p.rows {
        assert!(row.id.starts_with("licence."), "{}", row.id);
        assert_eq!(row.after, row.before.map(|v| v * 2.0));
    }
    assert!(p.figures.iter().any(|f| f.key == "total_cost_usd"));
    // A book the shelf does not hold is named.
    let e = preview_in(&shelf, &s, "pb-gone").unwrap_err();
    assert_eq!(e.0[0].path, "pricing.price_book");
    assert!(
        e.0[0].message.contains("2026-11, 2026-12, pb-doubled"),
        "{}",
        e.0[0].message
    );
}

#[test]
fn a_scenario_carrying_its_stored_book_prices_with_it_in_the_what_ifs_too() {
    use lakeplan_models::scenario::AttachedBook;
    let book = Arc::new(doubled_licence_book("pb-doubled"));
    let mut s = common::reference_preset();
    s.pricing.price_book = "pb-doubled".into();
    // Without the book, the built-in library does not know the id.
    let e = compute_priced(&s).unwrap_err();
    assert_eq!(e.0[0].path, "pricing.price_book");
    s.pricing.book = Some(AttachedBook(book.clone()));
    let carried = compute_priced(&s).unwrap();
    let shelved = compute_priced_in(&Shelf::default().with(book), &s).unwrap();
    assert_eq!(
        carried.summary.total_cost_usd,
        shelved.summary.total_cost_usd
    );
    // A what-if copies the scenario, and the book goes with every copy.
    let plans = lakeplan_models::whatif::plans::compare_plans(&s).unwrap();
    let mut builtin = s.clone();
    builtin.pricing.price_book = "2026-11".into();
    let base = lakeplan_models::whatif::plans::compare_plans(&builtin).unwrap();
    assert_ne!(format!("{plans:?}"), format!("{base:?}"));
    // The file never holds the book.
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["pricing"].get("book").is_none());
}

#[test]
fn an_excerpt_of_the_rows_a_report_used_prices_it_the_same() {
    let book = Builtin.book("2026-11").unwrap();
    let s = common::reference_preset();
    let full = compute_priced(&s).unwrap();
    let used: Vec<&str> = full
        .assumptions
        .rows_used
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let excerpt = book.excerpt(|id| used.contains(&id));
    assert!(excerpt.rows().len() < book.rows().len());
    // Tier groups come whole, so the excerpt reads back as a book.
    let cells: Vec<_> = excerpt
        .rows()
        .iter()
        .map(|r| {
            r.cells()
                .into_iter()
                .map(|(c, t)| (c.to_string(), t))
                .collect()
        })
        .collect();
    let again = PriceBook::from_cells("pb-excerpt", "excerpt", &cells).unwrap();
    let mut pinned = s.clone();
    pinned.pricing.price_book = "pb-excerpt".into();
    let priced = compute_priced_in(&Shelf::default().with(Arc::new(again)), &pinned).unwrap();
    assert_eq!(priced.summary.total_cost_usd, full.summary.total_cost_usd);
    assert_eq!(priced.years.len(), full.years.len());
    for (a, b) in priced.years.iter().zip(&full.years) {
        assert_eq!(a.cost_usd, b.cost_usd);
    }
}

/// The built-in catalog with the 61 TB enclosure under a new id, and a book that prices
/// that id at twice the old enclosure's price: what a new catalog and its book look like
/// when the pricing team renames a model.
fn renamed_catalog_and_its_book() -> (Catalog, PriceBook) {
    let old = "enclosure.ceres-v2.61tb";
    let new = "enclosure.ceres-v2b.61tb";
    let text = Catalog::builtin().unwrap().to_csv().replace(old, new);
    let catalog = Catalog::check("hw-renamed", "renamed.csv", &text).unwrap();
    let builtin = Builtin.book("2026-11").unwrap();
    let price = builtin.row(&format!("hardware.{old}")).unwrap().value;
    let mut book = builtin.to_csv();
    let line = book
        .lines()
        .find(|l| l.starts_with(&format!("hardware.{old},")))
        .unwrap()
        .to_string();
    let doubled =
        line.replace(old, new)
            .replacen(&format!(",{price},"), &format!(",{},", price * 2.0), 1);
    book.push_str(&doubled);
    book.push('\n');
    (
        catalog,
        PriceBook::check("pb-renamed", "book.csv", &book).unwrap(),
    )
}

#[test]
fn a_scenario_is_matched_in_the_catalog_it_names_and_an_unknown_one_is_refused() {
    let (catalog, book) = renamed_catalog_and_its_book();
    let shelf = Shelf::default()
        .with(Arc::new(book))
        .with_catalog(Arc::new(catalog))
        .newest_catalog_is("hw-renamed");
    assert_eq!(shelf.newest_catalog(), "hw-renamed");
    assert_eq!(Builtin.newest_catalog(), "2026-11");
    let mut s = common::reference_preset();
    s.cluster.enclosure_raw_tb = 1351.68;
    s.pricing.price_book = "pb-renamed".into();
    s.pricing.catalog = "2026-11".into();
    let before = compute_priced_in(&shelf, &s).unwrap();
    s.pricing.catalog = "hw-renamed".into();
    let after = compute_priced_in(&shelf, &s).unwrap();
    // The renamed model is priced at twice the old one: hardware (and the support priced
    // on it) costs more in every year that adds enclosures, and nothing else moves.
    let mut dearer = 0;
    for (b, a) in before.years.iter().zip(&after.years) {
        let (b, a) = (&b.cost_usd, &a.cost_usd);
        assert!(a.hardware >= b.hardware, "{} < {}", a.hardware, b.hardware);
        assert!(a.support >= b.support, "{} < {}", a.support, b.support);
        dearer += usize::from(a.hardware > b.hardware);
        assert_eq!(
            (a.egress, a.licence, a.power, a.space),
            (b.egress, b.licence, b.power, b.space)
        );
    }
    assert!(dearer > 0, "the reference scenario buys enclosures");
    // Naming none: the shelf's newest, which a save pins.
    s.pricing.catalog.clear();
    let newest = compute_priced_in(&shelf, &s).unwrap();
    assert_eq!(newest.summary.total_cost_usd, after.summary.total_cost_usd);
    lakeplan_models::reprice::pin_in(&shelf, &mut s);
    assert_eq!(s.pricing.catalog, "hw-renamed");
    // A catalog the library does not hold is named, with the ones it does.
    s.pricing.catalog = "hw-gone".into();
    let e = compute_priced_in(&shelf, &s).unwrap_err();
    assert_eq!(e.0[0].path, "pricing.catalog");
    assert!(
        e.0[0]
            .message
            .contains("(2026-11, hw-renamed), got \"hw-gone\""),
        "{}",
        e.0[0].message
    );
    // Every problem at once: the built-in library knows neither the book nor the catalog.
    let e = compute_priced(&s).unwrap_err();
    let paths: Vec<&str> = e.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["pricing.price_book", "pricing.catalog"]);
}
