//! The price books and the hardware catalog (`docs/model.md#price-book-and-catalog`).
//!
//! Prices are data, not code: each lives in a CSV row under `data/` with its unit, source,
//! the day it was read and a confidence mark, so that every dollar in a report can be traced
//! to a row and a reviewer can see which figures are list prices and which are stand-ins.
//! The files are compiled in rather than read at run time because the browser build has no
//! file system and must price a scenario exactly as the server does. `models/build.rs` reads
//! them with the parser in this module and writes the rows as Rust tables (module
//! `builtin`), so the browser carries neither the CSV text nor a CSV parser.
//!
//! A malformed file is an error naming the file, the line, the row id and the column, never
//! a silent default: a wrong price in a proposal costs more than a failed build. For the
//! built-in files that error stops the build itself. Every value that is not public is
//! marked `placeholder` (or `estimate`) and a scenario replaces it through
//! `pricing.overrides.<id>`, see [`PriceBook::with_overrides`].
//!
//! Everything is used through this module's path (`price_book::Unit`,
//! `price_book::Catalog`); the files split it by concept:
//! - this file: the book ([`PriceBook`], its [`PriceRow`]s, licence [`Plan`]s), the errors,
//!   and the list of files compiled in;
//! - `vocabulary`: the closed word lists a row is written in ([`Unit`], [`Confidence`], …);
//! - `tier`: tiered prices and the rules that keep a tier group free of gaps and overlaps;
//! - `catalog`: the hardware the cluster sizing chooses from;
//! - `instances`: the cloud instance types a cluster on cloud instances is sized from;
//! - `table`: the CSV reader both kinds of file go through, whose errors name the file, line,
//!   row and column.
//!
//! `models/build.rs` compiles this directory with `#[path]`, so it may use only what the
//! build script also compiles (`calendar`, `display`, `field`, `units`).
//!
//! ```
//! use lakeplan_models::price_book::{PriceBook, Unit};
//!
//! let book = PriceBook::builtin("2026-11").unwrap();
//! let row = book.row("gcp.interconnect.egress.na").unwrap();
//! assert_eq!(row.unit, Unit::UsdPerGib);
//! assert_eq!(row.usd_per_gib().unwrap().0, 0.02);
//! ```

mod catalog;
mod diff;
mod instances;
mod table;
mod tier;
mod vocabulary;

use std::collections::BTreeMap;

pub use catalog::{Catalog, EnclosureModel, NodeModel};
pub use diff::{diff, diff_catalogs, BookDiff, CellChange, RowCells};
pub use instances::{Commitment, InstanceCatalog, InstanceType, INSTANCE_COLUMNS};
pub use tier::{Tier, TierReading};
pub use vocabulary::{Category, Confidence, NetworkPath, Provider, Unit};

use crate::calendar::Date;
use crate::field::FieldError;
use crate::units::{UsdPerGb, UsdPerGib};
use table::{Cells, Table};
use tier::{check_tiers, parse_tier};

/// One CSV file compiled into the crate (by `models/build.rs`, which reads this list).
pub(crate) struct Embedded {
    pub(crate) id: &'static str,
    /// Relative to the workspace root; also the name error messages give. Read by
    /// `build.rs` and the tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) file: &'static str,
}

/// The built-in price books, oldest first. A saved scenario names its book, so books are
/// only ever added, never edited: re-pricing with a newer book is the user's explicit act.
pub(crate) const BOOKS: &[Embedded] = &[
    Embedded {
        id: "2026-11",
        file: "data/price-books/2026-11.csv",
    },
    Embedded {
        id: "2026-12",
        file: "data/price-books/2026-12.csv",
    },
];

// Read by `build.rs` and the tests; the crate itself uses the table built from it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CATALOG: Embedded = Embedded {
    id: "2026-11",
    file: "data/catalog/hardware.csv",
};

/// The built-in cloud instance catalog, read like [`CATALOG`].
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const INSTANCES: Embedded = Embedded {
    id: "2026-12",
    file: "data/catalog/instances.csv",
};

/// The row that converts every `eur_per_gb` price to dollars. It is a placeholder in the
/// first book, so a proposal that uses a euro price must state its rate.
pub const FX_USD_PER_EUR: &str = "fx.usd-per-eur";

// ---------------------------------------------------------------------------------------
// Errors

/// Why a price book, a catalog or a lookup in them failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceBookError {
    /// A scenario named a book this build does not carry.
    #[error("pricing.price_book: unknown price book \"{id}\"; the books known here: {known}")]
    UnknownBook { id: String, known: String },
    /// The file is not the CSV we expect: bad quoting, a wrong number of fields, a missing
    /// or unknown column (`line` 1, the header, and that `column`).
    #[error("{file}: {message}")]
    Malformed {
        file: String,
        line: u64,
        /// The column concerned, or empty when the whole line is.
        column: String,
        message: String,
    },
    /// One cell of one row is wrong. Names everything needed to find and fix it.
    #[error("{0}")]
    Cell(Box<CellError>),
    /// An uploaded book lacks a row the model reads (every row of the built-in book is one).
    #[error("{file}: no row \"{id}\"; the model needs it ({reason})")]
    MissingRow {
        file: String,
        id: String,
        reason: String,
    },
    /// Scenario overrides that cannot be applied, each naming its `pricing.overrides.<id>`.
    #[error("{}", join_fields(.0))]
    Overrides(Vec<FieldError>),
    /// The model asked for a row the book does not have.
    #[error("price book {book} has no row \"{id}\"")]
    NoRow { book: String, id: String },
    /// The model asked for a tier group the book does not have.
    #[error("price book {book} has no tier group \"{group}\"")]
    NoTierGroup { book: String, group: String },
    /// A bracket lookup (term discount) fell outside every tier of its group.
    #[error("tier group {group} has no tier containing {at}")]
    NoTier { group: String, at: f64 },
    /// `pricing.plan` names a licence plan this book does not have.
    #[error("pricing.plan: price book {book} has no licence plan \"{plan}\"; it has: {known}")]
    UnknownPlan {
        book: String,
        plan: String,
        known: String,
    },
    /// A row was read as a unit it is not in, e.g. a per-hour price as per-GiB.
    #[error("row {id} is in {unit}, not {wanted}")]
    UnitMismatch {
        id: String,
        unit: Unit,
        wanted: String,
    },
    /// The model asked the catalog for a model it does not have.
    #[error("the hardware catalog has no {kind} \"{id}\"; it has: {known}")]
    NoModel {
        kind: &'static str,
        id: String,
        known: String,
    },
}

/// What [`PriceBookError::Cell`] says (boxed: errors travel in `Result`s, which stay small).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file} line {line}, row {row}, column {column}: {message}")]
pub struct CellError {
    pub file: String,
    pub line: u64,
    pub row: String,
    pub column: String,
    /// The cell's text as the file has it.
    pub value: String,
    pub message: String,
}

impl PriceBookError {
    /// A [`PriceBookError::Cell`].
    pub(crate) fn cell(
        file: &str,
        line: u64,
        row: &str,
        column: &str,
        value: String,
        message: String,
    ) -> PriceBookError {
        PriceBookError::Cell(Box::new(CellError {
            file: file.into(),
            line,
            row: row.into(),
            column: column.into(),
            value,
            message,
        }))
    }
}

/// One problem of an uploaded file, as the API and the page show it: where it is (the
/// header is line 1; no line for a row the file lacks), the column, the value found and why
/// it is refused.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub line: Option<u64>,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl PriceBookError {
    /// This error as one problem of a file; an error that is not about a file's content
    /// (a lookup) has no line or column.
    pub fn problem(&self) -> Problem {
        match self {
            PriceBookError::Malformed {
                line,
                column,
                message,
                ..
            } => Problem {
                line: Some(*line),
                column: column.clone(),
                value: if *line == 1 {
                    column.clone()
                } else {
                    String::new()
                },
                message: message.clone(),
            },
            PriceBookError::Cell(cell) => Problem {
                line: Some(cell.line),
                column: cell.column.clone(),
                value: cell.value.clone(),
                message: if cell.row == "(no id)" {
                    cell.message.clone()
                } else {
                    format!("row {}: {}", cell.row, cell.message)
                },
            },
            PriceBookError::MissingRow { id, reason, .. } => Problem {
                line: None,
                column: "id".into(),
                value: id.clone(),
                message: format!("the model needs this row ({reason}); the file lacks it"),
            },
            other => Problem {
                line: None,
                column: String::new(),
                value: String::new(),
                message: other.to_string(),
            },
        }
    }
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------
// The book

/// One price, as read from a book and possibly replaced by a scenario override.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PriceRow {
    pub id: String,
    pub provider: Provider,
    pub category: Category,
    pub item: String,
    /// `None` when the price does not depend on a region (`-` in the file).
    pub region: Option<String>,
    /// `None` when the price is not for a network path (`-` in the file).
    pub path: Option<NetworkPath>,
    pub unit: Unit,
    pub tier: Option<Tier>,
    /// The price in `unit`; a scenario override replaces it.
    pub value: f64,
    pub condition: String,
    pub source: String,
    pub read_on: Date,
    pub confidence: Confidence,
    pub notes: String,
    /// The book's value when a scenario overrode it, so a report can show both.
    pub overridden_from: Option<f64>,
    /// The line in the book's file, for messages that send a reviewer to the row.
    pub line: u64,
}

impl PriceRow {
    /// The value, provided the row is in `unit`: the guard a cost formula uses so that a
    /// row edited to another unit fails loudly instead of pricing wrongly.
    pub fn value_in(&self, unit: Unit) -> Result<f64, PriceBookError> {
        if self.unit == unit {
            Ok(self.value)
        } else {
            Err(self.mismatch(unit.as_str()))
        }
    }

    /// The price per GiB for a row in `usd_per_gib` or `usd_per_gb` (converted). Euro rows
    /// need an exchange rate: use [`PriceBook::usd_per_gib`].
    pub fn usd_per_gib(&self) -> Result<UsdPerGib, PriceBookError> {
        match self.unit {
            Unit::UsdPerGib => Ok(UsdPerGib(self.value)),
            Unit::UsdPerGb => Ok(UsdPerGb(self.value).per_gib()),
            _ => Err(self.mismatch("usd_per_gib or usd_per_gb")),
        }
    }

    /// The price per GB for a row in `usd_per_gb` or `usd_per_gib` (converted).
    pub fn usd_per_gb(&self) -> Result<UsdPerGb, PriceBookError> {
        match self.unit {
            Unit::UsdPerGb => Ok(UsdPerGb(self.value)),
            Unit::UsdPerGib => Ok(UsdPerGib(self.value).per_gb()),
            _ => Err(self.mismatch("usd_per_gb or usd_per_gib")),
        }
    }

    /// Still a stand-in: a placeholder or estimate that no scenario override replaced.
    pub fn needs_override(&self) -> bool {
        self.confidence.needs_override() && self.overridden_from.is_none()
    }

    fn mismatch(&self, wanted: &str) -> PriceBookError {
        PriceBookError::UnitMismatch {
            id: self.id.clone(),
            unit: self.unit,
            wanted: wanted.into(),
        }
    }
}

impl PriceRow {
    /// The row as the file writes it, column by column ([`PRICE_COLUMNS`] order): what an
    /// export writes and what a diff compares. Numbers are written in their shortest form
    /// that reads back to the same value, so `85.00` comes back as `85`; a book exported and
    /// read again is the same book.
    pub fn cells(&self) -> [(&'static str, String); 16] {
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let tier = self.tier.as_ref();
        [
            ("id", self.id.clone()),
            ("provider", self.provider.as_str().into()),
            ("category", self.category.as_str().into()),
            ("item", self.item.clone()),
            ("region", self.region.clone().unwrap_or_else(|| "-".into())),
            ("path", self.path.map_or("-", NetworkPath::as_str).into()),
            ("unit", self.unit.as_str().into()),
            ("tier_from", number(tier.map(|t| t.from))),
            ("tier_to", number(tier.and_then(|t| t.to))),
            (
                "tier_group",
                tier.map(|t| t.group.clone()).unwrap_or_default(),
            ),
            ("value", self.value.to_string()),
            ("condition", self.condition.clone()),
            ("source", self.source.clone()),
            ("read_on", self.read_on.to_string()),
            ("confidence", self.confidence.as_str().into()),
            ("notes", self.notes.clone()),
        ]
    }
}

/// A licence plan: the rows whose ids start `licence.<plan>.`.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan<'a> {
    pub id: &'a str,
    /// In file order; tiered components appear as their tier rows.
    pub rows: Vec<&'a PriceRow>,
}

/// A dated set of prices. Immutable once built; overrides make a new book.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PriceBook {
    id: String,
    rows: Vec<PriceRow>,
}

impl PriceBook {
    /// The ids of the built-in books, oldest first.
    pub fn ids() -> Vec<&'static str> {
        BOOKS.iter().map(|b| b.id).collect()
    }

    /// Parses a book from CSV text. `file` names it in error messages. The built-in books
    /// go through here too (in `build.rs`), so the tests of malformed input test the real
    /// parser. Answers the first problem; [`PriceBook::check`] answers them all.
    pub fn parse(id: &str, file: &str, text: &str) -> Result<PriceBook, PriceBookError> {
        PriceBook::check(id, file, text).map_err(first)
    }

    /// Reads a book and reports every problem at once, in file order: the header's, then
    /// one per bad row (its first bad cell), then duplicate ids, then the tier groups' (one
    /// per group, checked only when every row reads). What an upload answers, so the
    /// author fixes a file in one pass.
    pub fn check(id: &str, file: &str, text: &str) -> Result<PriceBook, Vec<PriceBookError>> {
        let table = Table::read(file, text, PRICE_COLUMNS)?;
        PriceBook::from_records(id, file, table.records())
    }

    /// A book from its rows as the API sends them (column → cell text, file order; the
    /// row at index `i` stood on line `i + 2` of its file), checked exactly as a file is:
    /// how the browser reads a stored book without a CSV parser.
    pub fn from_cells(
        id: &str,
        file: &str,
        rows: &[BTreeMap<String, String>],
    ) -> Result<PriceBook, Vec<PriceBookError>> {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, row)| Ok(Cells::of_map(file, i as u64 + 2, row)));
        PriceBook::from_records(id, file, records)
    }

    fn from_records<'r>(
        id: &str,
        file: &str,
        records: impl Iterator<Item = Result<Cells<'r>, PriceBookError>>,
    ) -> Result<PriceBook, Vec<PriceBookError>> {
        let mut rows: Vec<PriceRow> = Vec::new();
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for cells in records {
            let row = match cells.and_then(|c| parse_price_row(&c)) {
                Ok(row) => row,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if let Some(first) = seen.insert(row.id.clone(), row.line) {
                errors.push(PriceBookError::cell(
                    file,
                    row.line,
                    &row.id,
                    "id",
                    row.id.clone(),
                    format!("duplicate id, first on line {first}"),
                ));
                continue;
            }
            rows.push(row);
        }
        if errors.is_empty() {
            errors = check_tiers(file, &rows);
        }
        if errors.is_empty() {
            Ok(PriceBook {
                id: id.into(),
                rows,
            })
        } else {
            Err(errors)
        }
    }

    /// The book as a CSV file in the format it is read from (every row, file order), so a
    /// stored or built-in book exports back to a file that uploads again unchanged.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        write_line(&mut out, PRICE_COLUMNS.iter().copied());
        for row in &self.rows {
            write_line(&mut out, row.cells().iter().map(|(_, v)| v.as_str()));
        }
        out
    }

    /// The rows whose id `keep` accepts, with every row of each tier group one of them
    /// belongs to (a tier group is one price), under the same id: what a read-only viewer
    /// of one proposal needs to price it, and no more of a confidential book.
    pub fn excerpt(&self, keep: impl Fn(&str) -> bool) -> PriceBook {
        let groups: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| keep(&r.id))
            .filter_map(|r| r.tier.as_ref().map(|t| t.group.as_str()))
            .collect();
        let rows = self
            .rows
            .iter()
            .filter(|r| {
                keep(&r.id)
                    || r.tier
                        .as_ref()
                        .is_some_and(|t| groups.contains(&t.group.as_str()))
            })
            .cloned()
            .collect();
        PriceBook {
            id: self.id.clone(),
            rows,
        }
    }

    /// The rows of `model` that this book lacks: an uploaded book must price everything
    /// the built-in one does (the model reads those rows by id), and may add rows.
    pub fn missing(&self, file: &str, model: &PriceBook) -> Vec<PriceBookError> {
        model
            .rows
            .iter()
            .filter(|r| self.row(&r.id).is_err())
            .map(|r| PriceBookError::MissingRow {
                file: file.into(),
                id: r.id.clone(),
                reason: format!("price book {} has it on line {}", model.id, r.line),
            })
            .collect()
    }

    /// A book of rows that were already checked: the built-in tables, which `build.rs`
    /// wrote from books that [`PriceBook::parse`] accepted.
    pub(crate) fn from_checked_rows(id: &str, rows: Vec<PriceRow>) -> PriceBook {
        PriceBook {
            id: id.into(),
            rows,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Every row, in file order.
    pub fn rows(&self) -> &[PriceRow] {
        &self.rows
    }

    pub fn row(&self, id: &str) -> Result<&PriceRow, PriceBookError> {
        self.rows
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| PriceBookError::NoRow {
                book: self.id.clone(),
                id: id.into(),
            })
    }

    pub fn rows_in(&self, category: Category) -> impl Iterator<Item = &PriceRow> {
        self.rows.iter().filter(move |r| r.category == category)
    }

    /// The rows of a tiered price, lowest tier first (the parser checked they are
    /// contiguous from 0 with only the last open).
    pub fn tiers(&self, group: &str) -> Result<Vec<&PriceRow>, PriceBookError> {
        let rows: Vec<&PriceRow> = self
            .rows
            .iter()
            .filter(|r| r.tier.as_ref().is_some_and(|t| t.group == group))
            .collect();
        if rows.is_empty() {
            Err(PriceBookError::NoTierGroup {
                book: self.id.clone(),
                group: group.into(),
            })
        } else {
            Ok(rows)
        }
    }

    /// The tier of `group` that contains `at`: the lookup for bracket tiers such as a
    /// term discount (a 4-year term falls in the 3–5 year row).
    pub fn tier_containing(&self, group: &str, at: f64) -> Result<&PriceRow, PriceBookError> {
        self.tiers(group)?
            .into_iter()
            .find(|r| r.tier.as_ref().is_some_and(|t| t.contains(at)))
            .ok_or_else(|| PriceBookError::NoTier {
                group: group.into(),
                at,
            })
    }

    /// A row's price per GiB in dollars, converting per-GB rows and, through
    /// [`FX_USD_PER_EUR`], euro rows.
    pub fn usd_per_gib(&self, id: &str) -> Result<UsdPerGib, PriceBookError> {
        let row = self.row(id)?;
        if row.unit == Unit::EurPerGb {
            let fx = self.row(FX_USD_PER_EUR)?.value_in(Unit::UsdPerEur)?;
            Ok(UsdPerGb(row.value * fx).per_gib())
        } else {
            row.usd_per_gib()
        }
    }

    /// The licence plans in this book, sorted.
    pub fn plans(&self) -> Vec<&str> {
        // A handful of plans: kept sorted as they are found, which is less code in the
        // browser bundle than collecting into a BTreeSet (a sort and a tree).
        let mut plans: Vec<&str> = Vec::new();
        for plan in self.rows.iter().filter_map(licence_plan) {
            if let Err(at) = plans.binary_search(&plan) {
                plans.insert(at, plan);
            }
        }
        plans
    }

    /// One licence plan's rows; an unknown plan names `pricing.plan` and the known ones.
    pub fn plan(&self, plan: &str) -> Result<Plan<'_>, PriceBookError> {
        let rows: Vec<&PriceRow> = self
            .rows
            .iter()
            .filter(|r| licence_plan(r) == Some(plan))
            .collect();
        match rows.first().and_then(|r| licence_plan(r)) {
            Some(id) => Ok(Plan { id, rows }),
            None => Err(PriceBookError::UnknownPlan {
                book: self.id.clone(),
                plan: plan.into(),
                known: self.plans().join(", "),
            }),
        }
    }

    /// Rows still holding a stand-in value: what a report lists under "confirm before
    /// quoting".
    pub fn needing_override(&self) -> impl Iterator<Item = &PriceRow> {
        self.rows.iter().filter(|r| r.needs_override())
    }

    /// A copy of the book with a scenario's `pricing.overrides` applied (a negotiated
    /// egress rate, a licence discount). Each override replaces one row's value and keeps
    /// the book's value in `overridden_from`. Every bad entry is reported, each named
    /// `pricing.overrides.<id>`, so a user fixes them in one pass, in the order given
    /// (a `&BTreeMap<String, f64>` gives them sorted by id).
    pub fn with_overrides<'o>(
        &self,
        overrides: impl IntoIterator<Item = (&'o String, &'o f64)>,
    ) -> Result<PriceBook, PriceBookError> {
        let mut book = self.clone();
        let mut errors = Vec::new();
        for (id, &value) in overrides {
            let path = format!("pricing.overrides.{id}");
            match book.rows.iter_mut().find(|r| &r.id == id) {
                None => errors.push(FieldError::new(
                    path,
                    format!("no row with this id in price book {}", self.id),
                )),
                Some(row) => match row.unit.check(value) {
                    Err(message) => errors.push(FieldError::new(
                        path,
                        format!("{message} (row is in {})", row.unit),
                    )),
                    Ok(()) => {
                        row.overridden_from.get_or_insert(row.value);
                        row.value = value;
                    }
                },
            }
        }
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(PriceBookError::Overrides(errors))
        }
    }
}

/// Appends one CSV line, quoting a field that holds a comma, a quote, a line break or
/// space at either end (the reader trims unquoted fields), as RFC 4180 writes it.
pub(super) fn write_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quote = field.contains([',', '"', '\n', '\r']) || field.trim() != field;
        if quote {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

/// The first of a file's problems: the one error of [`PriceBook::parse`] and
/// [`Catalog::parse`]. A file with problems has at least one.
pub(crate) fn first(errors: Vec<PriceBookError>) -> PriceBookError {
    errors
        .into_iter()
        .next()
        .unwrap_or_else(|| PriceBookError::Malformed {
            file: String::new(),
            line: 0,
            column: String::new(),
            message: "the file was refused without a reason (a bug: please report it)".into(),
        })
}

/// The plan a licence row belongs to, from its id `licence.<plan>.<component>`.
fn licence_plan(row: &PriceRow) -> Option<&str> {
    if row.category != Category::Licence {
        return None;
    }
    row.id.strip_prefix("licence.")?.split('.').next()
}

const PRICE_COLUMNS: &[&str] = &[
    "id",
    "provider",
    "category",
    "item",
    "region",
    "path",
    "unit",
    "tier_from",
    "tier_to",
    "tier_group",
    "value",
    "condition",
    "source",
    "read_on",
    "confidence",
    "notes",
];

fn parse_price_row(c: &Cells<'_>) -> Result<PriceRow, PriceBookError> {
    let id = c.id()?;
    let category = c.word("category", Category::from_word, Category::known)?;
    if category == Category::Licence {
        let parts: Vec<&str> = id.split('.').collect();
        if parts.len() < 3 || parts[0] != "licence" {
            return Err(c.error(
                "id",
                "a licence row's id must be licence.<plan>.<component>: plans are read from it",
            ));
        }
    }
    let unit = c.word("unit", Unit::from_word, Unit::known)?;
    let value = c.number("value")?;
    unit.check(value).map_err(|m| c.error("value", m))?;
    let confidence = c.word("confidence", Confidence::from_word, Confidence::known)?;
    let notes = c.text("notes").to_string();
    if confidence.needs_override() && !notes.contains(&format!("pricing.overrides.{id}")) {
        return Err(c.error(
            "notes",
            format!(
                "a {confidence} row must say it needs overriding and name pricing.overrides.{id}"
            ),
        ));
    }
    Ok(PriceRow {
        provider: c.word("provider", Provider::from_word, Provider::known)?,
        category,
        item: c.required("item")?.to_string(),
        region: c.dash_or("region")?.map(str::to_string),
        path: match c.dash_or("path")? {
            None => None,
            Some(p) => Some(NetworkPath::from_word(p).ok_or_else(|| {
                c.error(
                    "path",
                    format!("unknown path \"{p}\"; expected -, {}", NetworkPath::known()),
                )
            })?),
        },
        unit,
        tier: parse_tier(c, unit)?,
        value,
        condition: c.text("condition").to_string(),
        source: c.required("source")?.to_string(),
        read_on: c.date("read_on")?,
        confidence,
        notes,
        overridden_from: None,
        line: c.line,
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HEADER: &str = "id,provider,category,item,region,path,unit,tier_from,tier_to,tier_group,value,condition,source,read_on,confidence,notes\n";

    pub(super) fn book(rows: &str) -> Result<PriceBook, PriceBookError> {
        PriceBook::parse("test", "inline.csv", &format!("{HEADER}{rows}"))
    }

    fn flat(id: &str, unit: &str, value: &str, read_on: &str) -> String {
        format!(
            "{id},gcp,egress,An item,-,interconnect,{unit},,,,{value},,a page,{read_on},list,\n"
        )
    }

    pub(super) fn tier(id: &str, from: &str, to: &str, value: &str) -> String {
        format!("{id},aws,egress,Tier,us-east-1,internet,usd_per_gb,{from},{to},g,{value},,a page,2026-11-01,secondary,\n")
    }

    pub(super) fn message(e: PriceBookError) -> String {
        e.to_string()
    }

    pub(super) fn builtin() -> &'static PriceBook {
        PriceBook::builtin("2026-11").unwrap()
    }

    #[test]
    fn both_licence_plans_are_present() {
        let b = builtin();
        assert_eq!(b.plans(), vec!["capacity-only", "core-plus-capacity"]);
        let core = b.plan("core-plus-capacity").unwrap();
        assert!(core.rows.iter().any(|r| r.unit == Unit::UsdPerCoreYear));
        assert!(core.rows.iter().any(|r| r.unit == Unit::UsdPerUsableTbYear));
        assert!(core.rows.iter().any(|r| r.unit == Unit::PercentOff));
        let cap = b.plan("capacity-only").unwrap();
        assert!(cap.rows.iter().all(|r| r.unit != Unit::UsdPerCoreYear));
        let e = message(b.plan("per-socket").unwrap_err());
        assert_eq!(
            e,
            "pricing.plan: price book 2026-11 has no licence plan \"per-socket\"; it has: \
             capacity-only, core-plus-capacity"
        );
    }

    // ---- conversions

    #[test]
    fn rows_convert_by_their_unit_and_refuse_other_units() {
        let b = builtin();
        let aws = b.row("aws.internet.egress.t1").unwrap();
        assert!((aws.usd_per_gib().unwrap().0 - 0.096_636_764_16).abs() < 1e-15);
        assert_eq!(aws.usd_per_gb().unwrap().0, 0.09);
        let gcp = b.row("gcp.interconnect.egress.na").unwrap();
        assert_eq!(gcp.usd_per_gib().unwrap().0, 0.02);
        let port = b.row("gcp.interconnect.port.10g").unwrap();
        assert_eq!(
            message(port.usd_per_gib().unwrap_err()),
            "row gcp.interconnect.port.10g is in usd_per_hour, not usd_per_gib or usd_per_gb"
        );
        assert!(port.value_in(Unit::UsdPerGib).is_err());
        assert_eq!(port.value_in(Unit::UsdPerHour).unwrap(), 2.328);
        // A euro row needs the book's exchange rate.
        let eur = b.row("azure.expressroute.egress.lowest").unwrap();
        assert!(eur.usd_per_gib().is_err());
        let via_fx = b.usd_per_gib("azure.expressroute.egress.lowest").unwrap();
        assert!((via_fx.0 - 0.02 * 1.10 * 1.073_741_824).abs() < 1e-15);
        let fx = BTreeMap::from([(FX_USD_PER_EUR.to_string(), 1.25)]);
        let repriced = b.with_overrides(&fx).unwrap();
        let via_fx = repriced
            .usd_per_gib("azure.expressroute.egress.lowest")
            .unwrap();
        assert!((via_fx.0 - 0.02 * 1.25 * 1.073_741_824).abs() < 1e-15);
    }

    // ---- overrides

    #[test]
    fn overrides_replace_values_and_remember_the_book_value() {
        let b = builtin();
        let o = BTreeMap::from([
            ("gcp.interconnect.egress.na".to_string(), 0.015),
            ("licence.core-plus-capacity.core".to_string(), 320.0),
        ]);
        let priced = b.with_overrides(&o).unwrap();
        let egress = priced.row("gcp.interconnect.egress.na").unwrap();
        assert_eq!((egress.value, egress.overridden_from), (0.015, Some(0.02)));
        let core = priced.row("licence.core-plus-capacity.core").unwrap();
        assert_eq!((core.value, core.overridden_from), (320.0, Some(500.0)));
        assert!(!core.needs_override());
        assert_eq!(
            priced.needing_override().count(),
            b.needing_override().count() - 1
        );
        // The shared book is untouched.
        assert_eq!(b.row("gcp.interconnect.egress.na").unwrap().value, 0.02);
        // Overriding twice keeps the book's original value.
        let again = priced
            .with_overrides(&BTreeMap::from([(
                "gcp.interconnect.egress.na".to_string(),
                0.01,
            )]))
            .unwrap();
        let egress = again.row("gcp.interconnect.egress.na").unwrap();
        assert_eq!((egress.value, egress.overridden_from), (0.01, Some(0.02)));
    }

    #[test]
    fn overrides_of_unknown_ids_or_bad_values_are_all_named() {
        let o = BTreeMap::from([
            ("gcp.egress.typo".to_string(), 0.01),
            ("support.hardware".to_string(), 150.0),
            ("gcp.interconnect.egress.na".to_string(), -1.0),
        ]);
        let PriceBookError::Overrides(errors) = builtin().with_overrides(&o).unwrap_err() else {
            panic!("expected override errors")
        };
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "pricing.overrides.gcp.egress.typo",
                "pricing.overrides.gcp.interconnect.egress.na",
                "pricing.overrides.support.hardware",
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            "pricing.overrides.gcp.egress.typo no row with this id in price book 2026-11"
        );
        assert!(errors[2].message.contains("≤ 100"), "{}", errors[2]);
        let nan = BTreeMap::from([("onprem.power.pue".to_string(), f64::NAN)]);
        assert!(builtin().with_overrides(&nan).is_err());
    }

    // ---- malformed input, through the same parser

    #[test]
    fn a_well_formed_inline_book_parses() {
        let b = book(
            &(flat("a.b", "usd_per_gib", "0.02", "2026-11-01")
                + &tier("t.1", "0", "10", "0.09")
                + &tier("t.2", "10", "", "0.05")),
        )
        .unwrap();
        assert_eq!(b.rows().len(), 3);
        assert_eq!(b.rows()[0].line, 2);
        assert_eq!(b.tiers("g").unwrap().len(), 2);
    }

    #[test]
    fn a_book_exports_to_a_csv_that_reads_back_as_the_same_book() {
        let b = builtin();
        let text = b.to_csv();
        assert!(text.starts_with("id,provider,category,item,region,path,unit,"));
        assert_eq!(text.lines().count(), b.rows().len() + 1);
        let again = PriceBook::parse(b.id(), "export.csv", &text).unwrap();
        let cells =
            |book: &PriceBook| -> Vec<_> { book.rows().iter().map(PriceRow::cells).collect() };
        assert_eq!(cells(&again), cells(b));
        // Lines are those of the export, so compare everything but the line.
        for (x, y) in again.rows().iter().zip(b.rows()) {
            assert_eq!(
                PriceRow {
                    line: y.line,
                    ..x.clone()
                },
                *y
            );
        }
    }

    #[test]
    fn a_book_read_from_its_cells_is_the_book_read_from_its_file() {
        let b = builtin();
        let cells: Vec<BTreeMap<String, String>> = b
            .rows()
            .iter()
            .map(|r| {
                r.cells()
                    .into_iter()
                    .map(|(c, t)| (c.to_string(), t))
                    .collect()
            })
            .collect();
        let again = PriceBook::from_cells(b.id(), "api", &cells).unwrap();
        let from_file = PriceBook::parse(b.id(), "export.csv", &b.to_csv()).unwrap();
        assert_eq!(again, from_file);
        let mut bad = cells.clone();
        bad[3].insert("value".into(), "cheap".into());
        let e = PriceBook::from_cells("x", "api", &bad).unwrap_err();
        assert_eq!(e.len(), 1);
        let p = e[0].problem();
        assert_eq!(
            (p.line, p.column.as_str(), p.value.as_str()),
            (Some(5), "value", "cheap")
        );
    }

    /// An upload is answered with every problem at once: here a non-number on line 5 and
    /// an unknown unit on line 8, each with its line, column and value, and nothing else.
    #[test]
    fn check_reports_every_bad_row_at_once_with_line_column_and_value() {
        let good = |id: &str| flat(id, "usd_per_gib", "0.02", "2026-11-01");
        let rows = good("a.1")
            + &good("a.2")
            + &good("a.3")
            + &flat("a.4", "usd_per_gib", "twelve", "2026-11-01")
            + &good("a.5")
            + &good("a.6")
            + &flat("a.7", "usd_per_furlong", "0.02", "2026-11-01")
            + &good("a.1");
        let problems: Vec<Problem> = PriceBook::check("t", "up.csv", &format!("{HEADER}{rows}"))
            .unwrap_err()
            .iter()
            .map(PriceBookError::problem)
            .collect();
        assert_eq!(
            problems,
            vec![
                Problem {
                    line: Some(5),
                    column: "value".into(),
                    value: "twelve".into(),
                    message: "row a.4: must be a number, got \"twelve\"".into(),
                },
                Problem {
                    line: Some(8),
                    column: "unit".into(),
                    value: "usd_per_furlong".into(),
                    message: format!(
                        "row a.7: unknown unit \"usd_per_furlong\"; expected one of: {}",
                        Unit::known()
                    ),
                },
                Problem {
                    line: Some(9),
                    column: "id".into(),
                    value: "a.1".into(),
                    message: "row a.1: duplicate id, first on line 2".into(),
                },
            ]
        );
        // The first of them is what `parse` answers.
        let e = message(book(&rows).unwrap_err());
        assert!(
            e.starts_with("inline.csv line 5, row a.4, column value"),
            "{e}"
        );
    }

    #[test]
    fn check_reports_every_header_problem_and_each_short_row() {
        let header = HEADER.replace(",notes", ",colour");
        let problems: Vec<Problem> = PriceBook::check("t", "x.csv", &header)
            .unwrap_err()
            .iter()
            .map(PriceBookError::problem)
            .collect();
        let named: Vec<(Option<u64>, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(named, vec![(Some(1), "colour"), (Some(1), "notes")]);
        let rows =
            "a.b,gcp\n".to_string() + &flat("a.c", "usd_per_gib", "x", "2026-11-01") + "a.d\n";
        let lines: Vec<Option<u64>> = PriceBook::check("t", "x.csv", &format!("{HEADER}{rows}"))
            .unwrap_err()
            .iter()
            .map(|e| e.problem().line)
            .collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn two_broken_tier_groups_are_both_reported() {
        let rows = tier("t.1", "0", "10", "0.09")
            + &tier("t.2", "20", "", "0.05")
            + "u.1,aws,egress,Tier,us-east-1,internet,usd_per_gb,5,,h,0.09,,a page,2026-11-01,secondary,\n";
        let problems: Vec<Problem> = PriceBook::check("t", "x.csv", &format!("{HEADER}{rows}"))
            .unwrap_err()
            .iter()
            .map(PriceBookError::problem)
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            (problems[0].line, problems[0].value.as_str()),
            (Some(3), "20")
        );
        assert_eq!(
            (problems[1].line, problems[1].value.as_str()),
            (Some(4), "5")
        );
    }

    #[test]
    fn a_book_lacking_rows_the_model_reads_names_each() {
        let b = builtin();
        assert!(b.missing("same.csv", b).is_empty());
        let partial = book(&flat(
            "gcp.interconnect.egress.na",
            "usd_per_gib",
            "0.02",
            "2026-11-01",
        ))
        .unwrap();
        let missing = partial.missing("up.csv", b);
        assert_eq!(missing.len(), b.rows().len() - 1);
        let p = missing[0].problem();
        assert_eq!(p.line, None);
        assert_eq!(
            (p.column.as_str(), p.value.as_str()),
            ("id", "gcp.interconnect.port.10g")
        );
        assert_eq!(
            p.message,
            "the model needs this row (price book 2026-11 has it on line 2); the file lacks it"
        );
    }

    #[test]
    fn an_unknown_unit_names_line_row_and_column() {
        let e = message(book(&flat("a.b", "usd_per_gigabyte", "0.02", "2026-11-01")).unwrap_err());
        assert!(
            e.starts_with(
                "inline.csv line 2, row a.b, column unit: unknown unit \"usd_per_gigabyte\"; \
                 expected one of: usd_per_gib, usd_per_gb"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_date_that_does_not_exist_is_refused() {
        let rows = flat("a.ok", "usd_per_gib", "0.02", "2026-11-01")
            + &flat("a.bad", "usd_per_gib", "0.02", "2026-02-30");
        assert_eq!(
            message(book(&rows).unwrap_err()),
            "inline.csv line 3, row a.bad, column read_on: 2026-02-30 is not a real date: day 30"
        );
        let e = message(book(&flat("a.b", "usd_per_gib", "0.02", "30/11/2026")).unwrap_err());
        assert!(
            e.contains("column read_on: must be a date YYYY-MM-DD"),
            "{e}"
        );
    }

    #[test]
    fn a_non_numeric_or_negative_value_is_refused() {
        let e = message(book(&flat("a.b", "usd_per_gib", "$0.02", "2026-11-01")).unwrap_err());
        assert_eq!(
            e,
            "inline.csv line 2, row a.b, column value: must be a number, got \"$0.02\""
        );
        let e = message(book(&flat("a.b", "usd_per_gib", "-1", "2026-11-01")).unwrap_err());
        assert!(
            e.contains("column value: must be a number ≥ 0, got -1"),
            "{e}"
        );
        let e = message(book(&flat("a.b", "usd_per_gib", "", "2026-11-01")).unwrap_err());
        assert!(e.contains("column value: is required"), "{e}");
    }

    #[test]
    fn structural_mistakes_are_named() {
        let dup = flat("a.b", "usd_per_gib", "1", "2026-11-01")
            + &flat("a.b", "usd_per_gib", "2", "2026-11-01");
        assert_eq!(
            message(book(&dup).unwrap_err()),
            "inline.csv line 3, row a.b, column id: duplicate id, first on line 2"
        );
        let e = message(book(&flat("A B", "usd_per_gib", "1", "2026-11-01")).unwrap_err());
        assert!(
            e.contains("row A B, column id: \"A B\" must be lowercase"),
            "{e}"
        );
        let e = message(book("a.b,gcp,egress\n").unwrap_err());
        assert_eq!(e, "inline.csv: line 2: 3 fields, but the header has 16");
        let e = message(PriceBook::parse("t", "x.csv", "id,provider,colour\n").unwrap_err());
        assert!(e.contains("unknown column \"colour\""), "{e}");
        let e = message(PriceBook::parse("t", "x.csv", &HEADER.replace(",notes", "")).unwrap_err());
        assert_eq!(e, "x.csv: missing column \"notes\"");
        let e = message(
            book("a.b,gcp,egress,I,-,wifi,usd_per_gib,,,,1,,p,2026-11-01,list,\n").unwrap_err(),
        );
        assert!(e.contains("column path: unknown path \"wifi\""), "{e}");
        let e = message(
            book("a.b,gcp,egress,I,,internet,usd_per_gib,,,,1,,p,2026-11-01,list,\n").unwrap_err(),
        );
        assert!(e.contains("column region: is required"), "{e}");
        let e = message(
            book("a.b,gcp,egress,I,-,-,usd_per_gib,,,,1,,,2026-11-01,list,\n").unwrap_err(),
        );
        assert!(e.contains("column source: is required"), "{e}");
        let e = message(
            book("a.b,gcp,egress,I,-,-,usd_per_gib,,,,1,,p,2026-11-01,rumour,\n").unwrap_err(),
        );
        assert!(
            e.contains("column confidence: unknown confidence \"rumour\""),
            "{e}"
        );
    }

    #[test]
    fn placeholders_must_say_how_to_override_them() {
        let silent =
            "a.b,onprem,hardware,I,-,-,usd_per_node,,,,1,,none,2026-11-24,placeholder,a guess\n";
        let e = message(book(silent).unwrap_err());
        assert!(
            e.contains("column notes: a placeholder row must say"),
            "{e}"
        );
        let said = "a.b,onprem,hardware,I,-,-,usd_per_node,,,,1,,none,2026-11-24,placeholder,Override with pricing.overrides.a.b\n";
        assert!(book(said).unwrap().row("a.b").unwrap().needs_override());
        let bad_licence =
            "licence.x,onprem,licence,I,-,-,usd_per_core_year,,,,1,,p,2026-11-24,list,\n";
        assert!(message(book(bad_licence).unwrap_err()).contains("licence.<plan>.<component>"));
    }
}
