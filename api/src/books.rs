//! The price-book routes' request and answer types (spec: PRICE-BOOKS.md).
//!
//! A book's rows travel as the cells its CSV file writes (`{"id": "…", "value": "0.02",
//! …}`), the same text an export writes and a diff compares, so what a reviewer reads in
//! the API is what the file says.

use std::collections::BTreeMap;

use lakeplan_models::price_book::{CellChange, PriceRow, Problem};
use serde::{Deserialize, Serialize};

/// One row of a book, column → cell text.
pub type BookRow = BTreeMap<String, String>;

/// A book's row as its cells.
pub fn book_row(row: &PriceRow) -> BookRow {
    cells_row(&row.cells())
}

/// A row of a book or a catalog, as its cells.
pub fn cells_row(cells: &[(&str, String)]) -> BookRow {
    cells
        .iter()
        .map(|(column, text)| (column.to_string(), text.clone()))
        .collect()
}

/// A book as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookSummary {
    /// A built-in book's `YYYY-MM`, or a stored book's `pb-…` (a catalog's `hw-…`).
    pub id: String,
    pub name: String,
    /// `YYYY-MM-DD`: from this day the book prices new scenarios, once published.
    pub effective_from: String,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// Compiled into this build (the embedded default): never a draft, never retired.
    pub built_in: bool,
    pub rows: u64,
    /// Who uploaded it (`user:<email>`); `lakeplan` for a built-in book.
    pub made_by: String,
    /// RFC 3339; empty for a built-in book.
    pub made_at: String,
    pub note: String,
}

/// `GET /api/price-books`: every book the caller may see, newest first, and the one a
/// scenario naming none is priced with. `GET /api/hardware-catalogs` answers the same
/// shape for the catalogs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceBooks {
    pub newest: String,
    pub books: Vec<BookSummary>,
}

/// `POST /api/price-books`: the draft made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookMade {
    pub id: String,
    pub status: String,
    pub rows: u64,
}

/// `GET /api/price-books/{id}`: a book and its rows, in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookRows {
    pub book: BookSummary,
    pub rows: Vec<BookRow>,
}

/// `GET /api/price-books/diff?from=&to=`: the cells that differ and the rows only one
/// book has; rows that did not change are not listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookDiff {
    pub from: String,
    pub to: String,
    pub changed: Vec<CellChange>,
    pub added: Vec<BookRow>,
    pub removed: Vec<BookRow>,
}

impl From<lakeplan_models::price_book::BookDiff> for BookDiff {
    fn from(d: lakeplan_models::price_book::BookDiff) -> BookDiff {
        BookDiff {
            from: d.from,
            to: d.to,
            changed: d.changed,
            added: d.added.iter().map(|r| cells_row(r)).collect(),
            removed: d.removed.iter().map(|r| cells_row(r)).collect(),
        }
    }
}

/// `GET /api/price-books/diff` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DiffQuery {
    /// The book compared from.
    pub from: String,
    /// The book compared to.
    pub to: String,
}

/// `POST /api/price-books` query: what describes the uploaded file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UploadQuery {
    /// 1 to 80 characters.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// Up to 2 000 characters.
    #[serde(default)]
    pub note: String,
}

/// A cost line of a saved scenario, before and after: over the scenario's whole horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineMove {
    /// `egress`, `requests`, `ports`, `licence`, `hardware`, `support`, `power`, `space`.
    pub line: String,
    pub old_usd: f64,
    pub new_usd: f64,
}

/// What a book does to one saved scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactRow {
    pub id: String,
    pub name: String,
    pub team: String,
    pub version: u64,
    /// The book the scenario is pinned to.
    pub price_book: String,
    /// The total cost over the horizon under its own book; absent when it cannot be priced.
    pub old_total_usd: Option<f64>,
    /// The same under the book asked about.
    pub new_total_usd: Option<f64>,
    pub difference_usd: Option<f64>,
    /// `None` when the old total is 0 or either is missing.
    pub difference_percent: Option<f64>,
    /// The cost lines whose totals differ.
    pub moved: Vec<LineMove>,
    /// Why the scenario cannot be priced under one of the books (a region the book does
    /// not price); such rows come first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `GET /api/price-books/{id}/impact`: every saved scenario of every team, the largest
/// difference first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Impact {
    pub book: String,
    pub scenarios: Vec<ImpactRow>,
}

/// The problems of an uploaded file, for the API's error answer.
pub fn problems(errors: &[lakeplan_models::price_book::PriceBookError]) -> Vec<Problem> {
    let mut list: Vec<Problem> = errors.iter().map(|e| e.problem()).collect();
    // File order; rows the file lacks last.
    list.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
    list
}
