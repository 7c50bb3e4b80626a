//! Price-book pinning and re-pricing (`docs/model.md#price-book-and-catalog`).
//!
//! A proposal quotes figures; opening it next quarter must show the same figures, so a
//! saved scenario names the book that priced it (`pricing.price_book`) and keeps being
//! priced with that book, even after newer books ship (books are only ever added). Moving
//! a scenario to the newest book is the user's explicit act, and before they take it they
//! see what it changes: [`preview`] prices the scenario with both books and lists the key
//! figures and price rows that differ. The browser and the server call the same code, so
//! the preview a user reads is the change the save makes.

use crate::compare::{figures, FigureRow};
use crate::library::{Builtin, Library};
use crate::price_book::Unit;
use crate::priced::RowRef;
use crate::report::{compute_priced_in, Report};
use crate::scenario::{Scenario, ScenarioErrors};

/// The newest built-in book's id (ids are `YYYY-MM` dates, so the greatest is the newest):
/// what a scenario without a book is priced with, and what re-pricing moves it to, when
/// only the built-in books count ([`Library::newest`] otherwise).
pub fn newest_book() -> &'static str {
    Builtin.newest()
}

/// Names the newest book in a scenario that names none, so that saving it records the
/// book that priced it. Returns whether it changed the scenario.
///
/// ```
/// use lakeplan_models::reprice::{newest_book, pin};
/// use lakeplan_models::presets;
///
/// let mut s = presets::all()[0].scenario().unwrap();
/// s.pricing.price_book.clear();
/// assert!(pin(&mut s));
/// assert_eq!(s.pricing.price_book, newest_book());
/// assert!(!pin(&mut s), "a named book is kept");
/// ```
pub fn pin(scenario: &mut Scenario) -> bool {
    pin_in(&Builtin, scenario)
}

/// [`pin`] to the newest book of `library`, and to its newest hardware catalog when the
/// scenario names none. Whether either was pinned.
pub fn pin_in(library: &dyn Library, scenario: &mut Scenario) -> bool {
    let p = &mut scenario.pricing;
    let book = p.price_book.is_empty();
    if book {
        p.price_book = library.newest().to_string();
    }
    let catalog = p.catalog.is_empty();
    if catalog {
        p.catalog = library.newest_catalog().to_string();
    }
    book || catalog
}

/// The scenario priced with the newest book; every other input unchanged.
pub fn to_newest(scenario: &Scenario) -> Scenario {
    to_book(scenario, newest_book())
}

/// The scenario priced with `book`; every other input unchanged.
pub fn to_book(scenario: &Scenario, book: &str) -> Scenario {
    let mut s = scenario.clone();
    s.pricing.price_book = book.to_string();
    s
}

/// What moving a scenario from its book to the newest one changes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Repricing {
    /// The book the scenario is priced with now (after [`pin`]).
    pub from: String,
    /// The newest book.
    pub to: String,
    /// The key figures that differ, `values` = [with `from`, with `to`]. Empty when the
    /// scenario already uses the newest book.
    pub figures: Vec<FigureRow>,
    /// The price rows used by either report whose value differs, or that only one uses.
    pub rows: Vec<RowChange>,
}

impl Repricing {
    /// Nothing would change: the scenario is priced with the newest book already, or the
    /// newer book prices it the same.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.rows.is_empty()
    }
}

/// One price-book row whose value moves when re-pricing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowChange {
    pub id: String,
    pub item: String,
    /// The price-book unit, as the book writes it (`usd/gib`, `usd/hour`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit: Unit,
    /// `None`: the row prices nothing under this book.
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// Prices the scenario with its own book and with the newest, and lists what differs.
/// Errors are the scenario's own (an invalid input, a book this build lacks) or the newest
/// book's (a region it no longer prices), each naming its field.
pub fn preview(scenario: &Scenario) -> Result<Repricing, ScenarioErrors> {
    preview_in(&Builtin, scenario, newest_book())
}

/// [`preview`] from the scenario's book to `to`, both taken from `library`: re-pricing
/// across stored books, and the impact of a draft book on a saved proposal.
pub fn preview_in(
    library: &dyn Library,
    scenario: &Scenario,
    to: &str,
) -> Result<Repricing, ScenarioErrors> {
    let mut pinned = scenario.clone();
    pin_in(library, &mut pinned);
    let before = compute_priced_in(library, &pinned)?;
    if to == pinned.pricing.price_book {
        return Ok(changes(&before, &before));
    }
    let after = compute_priced_in(library, &to_book(&pinned, to))?;
    Ok(changes(&before, &after))
}

/// The differences between a report and the same scenario's report under another book.
///
/// ```
/// use lakeplan_models::reprice::changes;
/// use lakeplan_models::presets;
/// use lakeplan_models::report::compute_priced;
///
/// let r = compute_priced(&presets::all()[0].scenario().unwrap()).unwrap();
/// let same = changes(&r, &r);
/// assert!(same.is_empty());
/// assert_eq!((same.from.as_str(), same.to.as_str()), ("2026-11", "2026-11"));
/// ```
pub fn changes(before: &Report, after: &Report) -> Repricing {
    let figures = figures(&[before.clone(), after.clone()])
        .into_iter()
        .filter(FigureRow::differs)
        .collect();
    let used = |r: &Report| -> Vec<RowRef> { r.assumptions.rows_used.clone() };
    let (b, a) = (used(before), used(after));
    let mut rows: Vec<RowChange> = Vec::new();
    for row in b.iter().chain(&a) {
        if rows.iter().any(|c| c.id == row.id) {
            continue;
        }
        let value = |list: &[RowRef]| list.iter().find(|r| r.id == row.id).map(|r| r.value);
        let (x, y) = (value(&b), value(&a));
        if x != y {
            rows.push(RowChange {
                id: row.id.clone(),
                item: row.item.clone(),
                unit: row.unit,
                before: x,
                after: y,
            });
        }
    }
    Repricing {
        from: before.price_book.clone(),
        to: after.price_book.clone(),
        figures,
        rows,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::compare::Figure;
    use crate::presets::reference_scenario;
    use crate::price_book::PriceBook;
    use crate::report::compute_priced;

    #[test]
    fn the_newest_book_is_the_greatest_date() {
        let ids = PriceBook::ids();
        assert!(ids.contains(&newest_book()));
        assert!(ids.iter().all(|id| *id <= newest_book()));
        assert_eq!(PriceBook::latest().unwrap().id(), newest_book());
    }

    #[test]
    fn a_scenario_on_the_newest_book_has_nothing_to_reprice() {
        let mut s = reference_scenario();
        s.pricing.price_book = newest_book().into();
        let p = preview(&s).unwrap();
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(p.from, newest_book());
        assert_eq!(p.to, newest_book());
        // An unnamed book is read as the newest, so it too has nothing to change.
        s.pricing.price_book.clear();
        assert!(preview(&s).unwrap().is_empty());
    }

    #[test]
    fn an_unknown_book_is_an_error_naming_the_field() {
        let mut s = reference_scenario();
        s.pricing.price_book = "1999-01".into();
        let e = preview(&s).unwrap_err();
        assert_eq!(e.0[0].path, "pricing.price_book");
    }

    /// Another book is stood in for by an override of the egress row: the same scenario
    /// priced two ways, as re-pricing does.
    #[test]
    fn a_different_price_shows_in_rows_and_figures() {
        let s = reference_scenario();
        let before = compute_priced(&s).unwrap();
        let mut t = s.clone();
        t.pricing
            .overrides
            .insert("gcp.interconnect.egress.na".into(), serde_json::json!(0.01));
        let after = compute_priced(&t).unwrap();
        let c = changes(&before, &after);
        assert_eq!(c.rows.len(), 1, "{:?}", c.rows);
        assert_eq!(c.rows[0].id, "gcp.interconnect.egress.na");
        assert_eq!(
            (c.rows[0].before, c.rows[0].after),
            (Some(0.02), Some(0.01))
        );
        let egress = c.figures.iter().find(|f| f.key == "egress_usd").unwrap();
        // Half the rate on every byte: the horizon's egress halves.
        let Some(Figure::Number(was)) = egress.values[0] else {
            panic!("{egress:?}")
        };
        assert!((egress.deltas[1].unwrap() + was / 2.0).abs() < 1e-6 * was);
        assert!(c.figures.iter().any(|f| f.key == "total_cost_usd"));
        // The network does not depend on prices.
        assert!(c.figures.iter().all(|f| !f.key.starts_with("sustained")));
    }
}
