//! The price books and the hardware catalog (`spec/MODEL.md`, "Price book and catalog").
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
//! built-in files that error stops the build itself. Every value
//! that is not public is marked `placeholder` (or `estimate`) and a scenario replaces it
//! through `pricing.overrides.<id>`, see [`PriceBook::with_overrides`].
//!
//! ```
//! use lakeplan_models::price_book::{PriceBook, Unit};
//!
//! let book = PriceBook::builtin("2026-11").unwrap();
//! let row = book.row("gcp.interconnect.egress.na").unwrap();
//! assert_eq!(row.unit, Unit::UsdPerGib);
//! assert_eq!(row.usd_per_gib().unwrap().0, 0.02);
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::calendar::Date;
use crate::field::FieldError;
use crate::units::{Bytes, UsdPerGb, UsdPerGib};

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
pub(crate) const BOOKS: &[Embedded] = &[Embedded {
    id: "2026-11",
    file: "data/price-books/2026-11.csv",
}];

// Read by `build.rs` and the tests; the crate itself uses the table built from it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CATALOG: Embedded = Embedded {
    id: "hardware",
    file: "data/catalog/hardware.csv",
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
    #[error("pricing.price_book: unknown price book \"{id}\"; this build has: {known}")]
    UnknownBook { id: String, known: String },
    /// The file is not the CSV we expect: bad quoting, a wrong number of fields, a missing
    /// or unknown column.
    #[error("{file}: {message}")]
    Malformed { file: String, message: String },
    /// One cell of one row is wrong. Names everything needed to find and fix it.
    #[error("{file} line {line}, row {row}, column {column}: {message}")]
    Cell {
        file: String,
        line: u64,
        row: String,
        column: String,
        message: String,
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

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------------------------------------------------------------------------------------
// Closed vocabularies

/// Defines an enum whose variants are spelled in the CSV exactly as in `as_str`, so that
/// parsing, display and JSON agree and an unknown word is an error listing the known ones.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the docs list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word used in the CSV files and in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Reads the CSV word; `None` for anything else (exact match, lowercase).
            pub fn from_word(word: &str) -> Option<Self> {
                match word {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            fn known() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Reads the same words as the CSV, so a saved report's price rows read back.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $name::from_word(&word).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown {} \"{word}\"; expected one of: {}",
                        // An ASCII type name: to_lowercase would bring Unicode's case
                        // tables into the browser bundle.
                        stringify!($name).to_ascii_lowercase(),
                        $name::known()
                    ))
                })
            }
        }
    };
}

vocabulary! {
    /// Who charges the price.
    Provider {
        Gcp = "gcp",
        Aws = "aws",
        Azure = "azure",
        /// The customer's own sites: hardware, licences, power, space.
        Onprem = "onprem",
        /// Not tied to a provider, e.g. an exchange rate.
        Any = "any",
    }
}

vocabulary! {
    /// What the price is for; the cost lines of a report group rows by it.
    Category {
        Egress = "egress",
        Port = "port",
        /// A VLAN attachment or similar logical link, billed by the hour like a port.
        Attachment = "attachment",
        Request = "request",
        Storage = "storage",
        Retrieval = "retrieval",
        Transfer = "transfer",
        Licence = "licence",
        Hardware = "hardware",
        Support = "support",
        Power = "power",
        Space = "space",
        Fx = "fx",
        /// A published total to compare results with; never summed into a cost.
        Benchmark = "benchmark",
    }
}

vocabulary! {
    /// The network path a transfer price applies to.
    NetworkPath {
        /// Dedicated Interconnect, Direct Connect, ExpressRoute.
        Interconnect = "interconnect",
        Internet = "internet",
    }
}

vocabulary! {
    /// The unit of a row's value. Each names its currency and its volume unit so that a
    /// per-GB price cannot be used as a per-GiB one (they differ by 7.4 %).
    Unit {
        UsdPerGib = "usd_per_gib",
        UsdPerGb = "usd_per_gb",
        EurPerGb = "eur_per_gb",
        UsdPerGibMonth = "usd_per_gib_month",
        UsdPerHour = "usd_per_hour",
        UsdPer10kRequests = "usd_per_10k_requests",
        UsdPerCoreYear = "usd_per_core_year",
        /// Usable capacity: after erasure code and reserve, before data reduction.
        UsdPerUsableTbYear = "usd_per_usable_tb_year",
        UsdPerUsableTb = "usd_per_usable_tb",
        UsdPerEnclosure = "usd_per_enclosure",
        UsdPerNode = "usd_per_node",
        UsdPerSwitch = "usd_per_switch",
        UsdPerKwh = "usd_per_kwh",
        UsdPerKwMonth = "usd_per_kw_month",
        UsdPerEur = "usd_per_eur",
        /// A share of a base (support: of the hardware price) charged each year.
        PercentPerYear = "percent_per_year",
        /// A discount off list.
        PercentOff = "percent_off",
        Ratio = "ratio",
    }
}

vocabulary! {
    /// How far to trust a figure. The report carries it next to each cost so a reader sees
    /// which totals rest on stand-ins.
    Confidence {
        /// Read on the provider's own page (P in the facts file).
        List = "list",
        /// A transcription of the provider's page (T).
        Transcription = "transcription",
        /// A secondary source or a market average (S).
        Secondary = "secondary",
        /// Arithmetic on other figures (D).
        Derived = "derived",
        /// Lakeplan's own estimate from published figures; a quote should replace it.
        Estimate = "estimate",
        /// Not public or not known (U): a stand-in that a proposal must override.
        Placeholder = "placeholder",
    }
}

impl Confidence {
    /// True for figures nobody published: a proposal should replace them before quoting.
    pub fn needs_override(self) -> bool {
        matches!(self, Confidence::Estimate | Confidence::Placeholder)
    }
}

/// How the tiers of a group are read, fixed by the unit so that data cannot mix the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierReading {
    /// Each tier's rate applies to the part of the volume inside it (egress, licensed TB).
    Graduated,
    /// The quantity picks one tier, whose value applies to the whole (term discounts).
    Bracket,
}

impl Unit {
    /// What tier bounds count for this unit, or `None` when the unit cannot be tiered.
    pub fn tier_measure(self) -> Option<&'static str> {
        match self {
            Unit::UsdPerGib => Some("GiB per calendar month"),
            Unit::UsdPerGb | Unit::EurPerGb => Some("GB per calendar month"),
            Unit::UsdPerUsableTbYear => Some("usable TB licensed"),
            Unit::PercentOff => Some("term years"),
            _ => None,
        }
    }

    /// How tiers of this unit apply, or `None` when it cannot be tiered.
    pub fn tier_reading(self) -> Option<TierReading> {
        match self {
            Unit::PercentOff => Some(TierReading::Bracket),
            u if u.tier_measure().is_some() => Some(TierReading::Graduated),
            _ => None,
        }
    }

    /// The range a value may take beyond "finite and ≥ 0".
    fn check(self, value: f64) -> Result<(), String> {
        if !value.is_finite() || value < 0.0 {
            return Err(format!("must be a number ≥ 0, got {value}"));
        }
        match self {
            Unit::PercentOff | Unit::PercentPerYear if value > 100.0 => {
                Err(format!("a percentage must be ≤ 100, got {value}"))
            }
            Unit::Ratio | Unit::UsdPerEur if value == 0.0 => {
                Err("a ratio or exchange rate must be > 0, got 0".into())
            }
            _ => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Price rows and books

/// Where a row sits in a tiered price.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tier {
    /// The rows sharing this name form one price.
    pub group: String,
    /// Lower bound, in the unit's [`Unit::tier_measure`].
    pub from: f64,
    /// Upper bound; `None` for the last, open tier.
    pub to: Option<f64>,
}

impl Tier {
    /// Whether `at` falls in `[from, to)`.
    pub fn contains(&self, at: f64) -> bool {
        at >= self.from && self.to.is_none_or(|to| at < to)
    }
}

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
    /// parser.
    pub fn parse(id: &str, file: &str, text: &str) -> Result<PriceBook, PriceBookError> {
        let table = Table::read(file, text, PRICE_COLUMNS)?;
        let mut rows: Vec<PriceRow> = Vec::with_capacity(table.records.len());
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for record in &table.records {
            let cells = table.cells(record);
            let row = parse_price_row(&cells)?;
            if let Some(first) = seen.insert(row.id.clone(), row.line) {
                return Err(cells.error("id", format!("duplicate id, first on line {first}")));
            }
            rows.push(row);
        }
        check_tiers(file, &rows)?;
        Ok(PriceBook {
            id: id.into(),
            rows,
        })
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

/// Reads the three tier cells: all blank (a flat price) or a group with a lower bound.
fn parse_tier(c: &Cells<'_>, unit: Unit) -> Result<Option<Tier>, PriceBookError> {
    let group = c.text("tier_group");
    let from = c.optional_number("tier_from")?;
    let to = c.optional_number("tier_to")?;
    if group.is_empty() {
        return if from.is_none() && to.is_none() {
            Ok(None)
        } else {
            Err(c.error("tier_group", "tier bounds given without a tier_group"))
        };
    }
    if unit.tier_measure().is_none() {
        return Err(c.error("tier_group", format!("prices in {unit} cannot be tiered")));
    }
    let from = from.ok_or_else(|| c.error("tier_from", "a tier needs a lower bound"))?;
    if let Some(to) = to {
        if to <= from {
            return Err(c.error(
                "tier_to",
                format!("must be above tier_from ({from}), got {to}"),
            ));
        }
    }
    Ok(Some(Tier {
        group: group.to_string(),
        from,
        to,
    }))
}

/// Checks each tier group, in file order: one unit and scope, starting at 0, each tier
/// starting where the last ended, only the last open. A gap would leave volume unpriced
/// and an overlap would price it twice.
fn check_tiers(file: &str, rows: &[PriceRow]) -> Result<(), PriceBookError> {
    let mut groups: BTreeMap<&str, Vec<&PriceRow>> = BTreeMap::new();
    for row in rows {
        if let Some(t) = &row.tier {
            groups.entry(t.group.as_str()).or_default().push(row);
        }
    }
    let err = |row: &PriceRow, column: &str, message: String| PriceBookError::Cell {
        file: file.into(),
        line: row.line,
        row: row.id.clone(),
        column: column.into(),
        message,
    };
    for (group, members) in groups {
        let mut previous: Option<(&PriceRow, &Tier)> = None;
        for &row in &members {
            let Some(tier) = &row.tier else { continue };
            match previous {
                None if tier.from != 0.0 => {
                    return Err(err(
                        row,
                        "tier_from",
                        format!(
                            "the first tier of {group} must start at 0, got {}",
                            tier.from
                        ),
                    ))
                }
                None => {}
                Some((prev, prev_tier)) => {
                    let first = members[0];
                    if (row.unit, row.provider, row.category, &row.region, row.path)
                        != (
                            first.unit,
                            first.provider,
                            first.category,
                            &first.region,
                            first.path,
                        )
                    {
                        return Err(err(
                            row,
                            "tier_group",
                            format!(
                                "rows of {group} must share unit, provider, category, region \
                                 and path with row {}",
                                first.id
                            ),
                        ));
                    }
                    let Some(prev_to) = prev_tier.to else {
                        return Err(err(
                            row,
                            "tier_from",
                            format!("follows the open-ended tier of row {} in {group}", prev.id),
                        ));
                    };
                    if tier.from < prev_to {
                        return Err(err(
                            row,
                            "tier_from",
                            format!(
                                "{} overlaps row {}, which runs to {prev_to}",
                                tier.from, prev.id
                            ),
                        ));
                    }
                    if tier.from > prev_to {
                        return Err(err(
                            row,
                            "tier_from",
                            format!(
                                "{} leaves a gap after row {}, which ends at {prev_to}",
                                tier.from, prev.id
                            ),
                        ));
                    }
                }
            }
            previous = Some((row, tier));
        }
        if let Some((last, tier)) = previous {
            if tier.to.is_some() {
                return Err(err(
                    last,
                    "tier_to",
                    format!(
                        "the last tier of {group} must be open (blank) so every volume has a price"
                    ),
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Hardware catalog

/// A storage enclosure model: the unit the cluster sizing counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EnclosureModel {
    pub id: String,
    pub model: String,
    pub drives: u32,
    /// Decimal TB per drive.
    pub drive_tb: f64,
    /// Decimal TB per enclosure, checked to be drives × drive_tb.
    pub raw_tb: f64,
    pub ru: u32,
    pub idle_w: Option<f64>,
    /// The planning figure for power.
    pub active_w: f64,
    pub max_w: Option<f64>,
    pub source: String,
    pub read_on: Date,
    pub confidence: Confidence,
    pub notes: String,
}

impl EnclosureModel {
    pub fn raw(&self) -> Bytes {
        Bytes(self.raw_tb * 1e12)
    }
}

/// A compute node model: what serves reads and writes, and what a core licence counts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NodeModel {
    pub id: String,
    pub model: String,
    pub cpu: Option<String>,
    pub cores: u32,
    pub memory_gb: Option<f64>,
    pub network: Option<String>,
    pub ru: u32,
    pub idle_w: Option<f64>,
    pub active_w: f64,
    pub max_w: Option<f64>,
    /// Sustained write rate per node, decimal GB/s.
    pub write_gbytes_per_s: f64,
    /// Sustained read rate per node, decimal GB/s.
    pub read_gbytes_per_s: f64,
    /// Not public for any model so far, hence separate from the row's `confidence`.
    pub throughput_confidence: Confidence,
    pub source: String,
    pub read_on: Date,
    pub confidence: Confidence,
    pub notes: String,
}

/// The hardware the cluster sizing can choose from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Catalog {
    pub enclosures: Vec<EnclosureModel>,
    pub nodes: Vec<NodeModel>,
}

const CATALOG_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "model",
    "drives",
    "drive_tb",
    "raw_tb",
    "cpu",
    "cores",
    "memory_gb",
    "network",
    "ru",
    "idle_w",
    "active_w",
    "max_w",
    "write_gbytes_per_s",
    "read_gbytes_per_s",
    "throughput_confidence",
    "source",
    "read_on",
    "confidence",
    "notes",
];
const ENCLOSURE_ONLY: &[&str] = &["drives", "drive_tb", "raw_tb"];
const NODE_ONLY: &[&str] = &[
    "cpu",
    "cores",
    "memory_gb",
    "network",
    "write_gbytes_per_s",
    "read_gbytes_per_s",
    "throughput_confidence",
];

impl Catalog {
    /// Parses a catalog from CSV text; `file` names it in error messages.
    pub fn parse(file: &str, text: &str) -> Result<Catalog, PriceBookError> {
        let table = Table::read(file, text, CATALOG_COLUMNS)?;
        let mut catalog = Catalog {
            enclosures: Vec::new(),
            nodes: Vec::new(),
        };
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for record in &table.records {
            let c = table.cells(record);
            let id = c.id()?;
            if let Some(first) = seen.insert(id.to_string(), c.line) {
                return Err(c.error("id", format!("duplicate id, first on line {first}")));
            }
            match c.required("kind")? {
                "enclosure" => {
                    c.blank(NODE_ONLY, "an enclosure")?;
                    catalog.enclosures.push(parse_enclosure(&c, id)?);
                }
                "node" => {
                    c.blank(ENCLOSURE_ONLY, "a node")?;
                    catalog.nodes.push(parse_node(&c, id)?);
                }
                other => {
                    return Err(c.error(
                        "kind",
                        format!("unknown kind \"{other}\"; expected enclosure, node"),
                    ))
                }
            }
        }
        Ok(catalog)
    }

    pub fn enclosure(&self, id: &str) -> Result<&EnclosureModel, PriceBookError> {
        self.enclosures
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| PriceBookError::NoModel {
                kind: "enclosure",
                id: id.into(),
                known: self
                    .enclosures
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    pub fn node(&self, id: &str) -> Result<&NodeModel, PriceBookError> {
        self.nodes
            .iter()
            .find(|n| n.id == id)
            .ok_or_else(|| PriceBookError::NoModel {
                kind: "node",
                id: id.into(),
                known: self
                    .nodes
                    .iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

fn parse_enclosure(c: &Cells<'_>, id: &str) -> Result<EnclosureModel, PriceBookError> {
    let drives = c.count("drives")?;
    let drive_tb = c.positive("drive_tb")?;
    let raw_tb = c.positive("raw_tb")?;
    let expected = f64::from(drives) * drive_tb;
    if (raw_tb - expected).abs() > 1e-9 * expected {
        return Err(c.error(
            "raw_tb",
            format!("must equal drives × drive_tb = {expected}, got {raw_tb}"),
        ));
    }
    Ok(EnclosureModel {
        id: id.into(),
        model: c.required("model")?.into(),
        drives,
        drive_tb,
        raw_tb,
        ru: c.count("ru")?,
        idle_w: c.optional_number("idle_w")?,
        active_w: c.positive("active_w")?,
        max_w: c.optional_number("max_w")?,
        source: c.required("source")?.into(),
        read_on: c.date("read_on")?,
        confidence: c.word("confidence", Confidence::from_word, Confidence::known)?,
        notes: c.text("notes").into(),
    })
}

fn parse_node(c: &Cells<'_>, id: &str) -> Result<NodeModel, PriceBookError> {
    let optional = |col: &str| {
        Some(c.text(col))
            .filter(|t| !t.is_empty())
            .map(String::from)
    };
    Ok(NodeModel {
        id: id.into(),
        model: c.required("model")?.into(),
        cpu: optional("cpu"),
        cores: c.count("cores")?,
        memory_gb: c.optional_number("memory_gb")?,
        network: optional("network"),
        ru: c.count("ru")?,
        idle_w: c.optional_number("idle_w")?,
        active_w: c.positive("active_w")?,
        max_w: c.optional_number("max_w")?,
        write_gbytes_per_s: c.positive("write_gbytes_per_s")?,
        read_gbytes_per_s: c.positive("read_gbytes_per_s")?,
        throughput_confidence: c.word(
            "throughput_confidence",
            Confidence::from_word,
            Confidence::known,
        )?,
        source: c.required("source")?.into(),
        read_on: c.date("read_on")?,
        confidence: c.word("confidence", Confidence::from_word, Confidence::known)?,
        notes: c.text("notes").into(),
    })
}

// ---------------------------------------------------------------------------------------
// CSV plumbing shared by books and catalog

/// A CSV file read into records, with its columns checked against the expected set: a
/// misspelt column would otherwise read as blank everywhere.
struct Table<'a> {
    file: &'a str,
    columns: BTreeMap<&'static str, usize>,
    records: Vec<csv::StringRecord>,
}

impl<'a> Table<'a> {
    fn read(
        file: &'a str,
        text: &str,
        expected: &[&'static str],
    ) -> Result<Table<'a>, PriceBookError> {
        let malformed = |message: String| PriceBookError::Malformed {
            file: file.into(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| malformed(format!("cannot read the header: {e}")))?
            .clone();
        let mut columns = BTreeMap::new();
        for (i, name) in header.iter().enumerate() {
            let Some(&known) = expected.iter().find(|&&c| c == name) else {
                return Err(malformed(format!(
                    "unknown column \"{name}\"; expected: {}",
                    expected.join(", ")
                )));
            };
            if columns.insert(known, i).is_some() {
                return Err(malformed(format!("column \"{name}\" appears twice")));
            }
        }
        if let Some(missing) = expected.iter().find(|c| !columns.contains_key(*c)) {
            return Err(malformed(format!("missing column \"{missing}\"")));
        }
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => malformed(format!(
                        "line {line}: {len} fields, but the header has {expected_len}"
                    )),
                    _ => malformed(format!("line {line}: {e}")),
                }
            })?;
        Ok(Table {
            file,
            columns,
            records,
        })
    }

    fn cells<'r>(&'r self, record: &'r csv::StringRecord) -> Cells<'r> {
        Cells {
            file: self.file,
            columns: &self.columns,
            record,
            line: record.position().map_or(0, |p| p.line()),
        }
    }
}

/// One record's cells, with readers that turn a bad cell into an error naming the file,
/// line, row id and column.
struct Cells<'r> {
    file: &'r str,
    columns: &'r BTreeMap<&'static str, usize>,
    record: &'r csv::StringRecord,
    line: u64,
}

impl<'r> Cells<'r> {
    fn text(&self, column: &str) -> &'r str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    fn error(&self, column: &str, message: impl Into<String>) -> PriceBookError {
        let id = self.text("id");
        PriceBookError::Cell {
            file: self.file.into(),
            line: self.line,
            row: if id.is_empty() {
                "(no id)".into()
            } else {
                id.into()
            },
            column: column.into(),
            message: message.into(),
        }
    }

    /// The row id: lowercase letters, digits, `.` and `-`, so it reads the same in a CSV,
    /// a JSON key (`pricing.overrides.<id>`) and a URL.
    fn id(&self) -> Result<&'r str, PriceBookError> {
        let id = self.required("id")?;
        let ok = id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '.' || ch == '-')
            && !id.starts_with('.')
            && !id.ends_with('.')
            && !id.contains("..");
        if ok {
            Ok(id)
        } else {
            Err(self.error(
                "id",
                format!("\"{id}\" must be lowercase a-z, 0-9, '.' and '-', dot-separated"),
            ))
        }
    }

    fn required(&self, column: &str) -> Result<&'r str, PriceBookError> {
        let text = self.text(column);
        if text.is_empty() {
            Err(self.error(column, "is required"))
        } else {
            Ok(text)
        }
    }

    /// A required cell where `-` states "not applicable", so a blank is never ambiguous.
    fn dash_or(&self, column: &str) -> Result<Option<&'r str>, PriceBookError> {
        match self.required(column)? {
            "-" => Ok(None),
            text => Ok(Some(text)),
        }
    }

    fn word<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        known: fn() -> String,
    ) -> Result<T, PriceBookError> {
        let text = self.required(column)?;
        parse(text).ok_or_else(|| {
            self.error(
                column,
                format!("unknown {column} \"{text}\"; expected one of: {}", known()),
            )
        })
    }

    fn number(&self, column: &str) -> Result<f64, PriceBookError> {
        let text = self.required(column)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error(column, format!("must be a number, got \"{text}\""))),
        }
    }

    fn optional_number(&self, column: &str) -> Result<Option<f64>, PriceBookError> {
        if self.text(column).is_empty() {
            return Ok(None);
        }
        let v = self.number(column)?;
        if v < 0.0 {
            return Err(self.error(column, format!("must be ≥ 0, got {v}")));
        }
        Ok(Some(v))
    }

    fn positive(&self, column: &str) -> Result<f64, PriceBookError> {
        let v = self.number(column)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(self.error(column, format!("must be > 0, got {v}")))
        }
    }

    fn count(&self, column: &str) -> Result<u32, PriceBookError> {
        let text = self.required(column)?;
        match text.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(self.error(
                column,
                format!("must be a whole number > 0, got \"{text}\""),
            )),
        }
    }

    fn date(&self, column: &str) -> Result<Date, PriceBookError> {
        Date::parse(self.required(column)?).map_err(|m| self.error(column, m))
    }

    /// Rejects values in columns that do not apply to this row's kind: a figure there was
    /// meant for something and would otherwise be silently ignored.
    fn blank(&self, columns: &[&str], kind: &str) -> Result<(), PriceBookError> {
        match columns.iter().find(|c| !self.text(c).is_empty()) {
            Some(c) => Err(self.error(c, format!("does not apply to {kind}; leave it blank"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use super::*;

    const HEADER: &str = "id,provider,category,item,region,path,unit,tier_from,tier_to,tier_group,value,condition,source,read_on,confidence,notes\n";

    fn book(rows: &str) -> Result<PriceBook, PriceBookError> {
        PriceBook::parse("test", "inline.csv", &format!("{HEADER}{rows}"))
    }

    fn flat(id: &str, unit: &str, value: &str, read_on: &str) -> String {
        format!(
            "{id},gcp,egress,An item,-,interconnect,{unit},,,,{value},,a page,{read_on},list,\n"
        )
    }

    fn tier(id: &str, from: &str, to: &str, value: &str) -> String {
        format!("{id},aws,egress,Tier,us-east-1,internet,usd_per_gb,{from},{to},g,{value},,a page,2026-11-01,secondary,\n")
    }

    fn message(e: PriceBookError) -> String {
        e.to_string()
    }

    fn builtin() -> &'static PriceBook {
        PriceBook::builtin("2026-11").unwrap()
    }

    // ---- the embedded data

    #[test]
    fn every_builtin_book_and_the_catalog_parse() {
        assert_eq!(PriceBook::ids(), vec!["2026-11"]);
        for id in PriceBook::ids() {
            let book = PriceBook::builtin(id).unwrap();
            assert_eq!(book.id(), id);
            assert!(
                book.rows().len() > 50,
                "{id} has {} rows",
                book.rows().len()
            );
        }
        assert_eq!(PriceBook::latest().unwrap().id(), "2026-11");
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.enclosures.len(), 3);
        assert_eq!(catalog.nodes.len(), 2);
    }

    #[test]
    fn an_unknown_book_names_the_field_and_the_known_books() {
        let e = message(PriceBook::builtin("2025-01").unwrap_err());
        assert_eq!(
            e,
            "pricing.price_book: unknown price book \"2025-01\"; this build has: 2026-11"
        );
    }

    #[test]
    fn ids_are_unique_within_each_file() {
        let ids: BTreeSet<&str> = builtin().rows().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), builtin().rows().len());
        let c = Catalog::builtin().unwrap();
        let ids: BTreeSet<&str> = c
            .enclosures
            .iter()
            .map(|e| e.id.as_str())
            .chain(c.nodes.iter().map(|n| n.id.as_str()))
            .collect();
        assert_eq!(ids.len(), c.enclosures.len() + c.nodes.len());
    }

    #[test]
    fn every_row_has_source_date_and_confidence() {
        // Source, read_on and confidence are required by the parser; what is left to check
        // is that no row claims to have been read after its book was assembled.
        for id in PriceBook::ids() {
            let (year, month) = id.split_once('-').unwrap();
            let book_month = (year.parse::<u16>().unwrap(), month.parse::<u8>().unwrap());
            for r in PriceBook::builtin(id).unwrap().rows() {
                assert!(!r.source.is_empty() && !r.item.is_empty(), "{}", r.id);
                assert!((r.read_on.year, r.read_on.month) <= book_month, "{}", r.id);
            }
        }
        let c = Catalog::builtin().unwrap();
        let dated = c
            .enclosures
            .iter()
            .map(|e| (&e.id, &e.source, e.read_on))
            .chain(c.nodes.iter().map(|n| (&n.id, &n.source, n.read_on)));
        for (id, source, read_on) in dated {
            assert!(!source.is_empty() && read_on.year >= 2026, "{id}");
        }
    }

    /// The facts file marks these U (not public or not known): each must ship marked, so a
    /// report can say which totals rest on stand-ins.
    #[test]
    fn every_value_not_public_is_marked_and_says_how_to_override_it() {
        let b = builtin();
        let must_be_placeholders = [
            "gcp.internet.egress.t2",
            "azure.internet.egress.microsoft.t2",
            "azure.internet.egress.transit.t2",
            "azure.expressroute.port.10g",
            "azure.expressroute.port.100g",
            "fx.usd-per-eur",
            "hardware.node.cbox-gen5",
            "hardware.node.cbox-gen6",
            "hardware.switch",
            "support.hardware",
        ];
        for id in must_be_placeholders {
            assert_eq!(
                b.row(id).unwrap().confidence,
                Confidence::Placeholder,
                "{id}"
            );
        }
        for r in b.rows_in(Category::Licence) {
            assert_eq!(r.confidence, Confidence::Placeholder, "{}", r.id);
        }
        for r in b.rows_in(Category::Hardware) {
            assert!(r.confidence.needs_override(), "{}", r.id);
        }
        for r in b.rows() {
            let says_placeholder = r.notes.contains("PLACEHOLDER");
            assert_eq!(
                says_placeholder,
                r.confidence == Confidence::Placeholder,
                "{}: notes and confidence disagree",
                r.id
            );
            assert_eq!(
                r.source.contains("placeholder"),
                r.confidence == Confidence::Placeholder,
                "{}: source and confidence disagree",
                r.id
            );
            if r.confidence.needs_override() {
                assert!(r.notes.contains("Must be overridden"), "{}", r.id);
            }
        }
        // The ten above, three enclosure estimates, fifteen licence rows.
        assert_eq!(b.needing_override().count(), 10 + 3 + 15);
        for n in &Catalog::builtin().unwrap().nodes {
            assert_eq!(n.throughput_confidence, Confidence::Placeholder, "{}", n.id);
            assert!(n.notes.contains("Must be overridden"), "{}", n.id);
        }
    }

    #[test]
    fn spot_checks_against_the_facts_file() {
        let b = builtin();
        let v = |id: &str| b.row(id).unwrap().value;
        assert_eq!(v("gcp.interconnect.egress.na"), 0.02);
        assert_eq!(v("gcp.interconnect.egress.eu"), 0.02);
        assert_eq!(v("gcp.interconnect.egress.asia"), 0.042);
        assert_eq!(v("gcp.interconnect.port.100g"), 23.28);
        assert_eq!(v("aws.directconnect.port.400g"), 85.0);
        assert_eq!(v("onprem.space.colocation.na"), 184.06);
        assert_eq!(v("onprem.power.electricity.us-ca"), 0.1864);
        assert_eq!(v("onprem.power.pue"), 1.58);
        assert_eq!(
            b.row("gcp.internet.egress.t1").unwrap().unit,
            Unit::UsdPerGib
        );
        assert_eq!(
            b.row("aws.internet.egress.t1").unwrap().unit,
            Unit::UsdPerGb
        );
        let aws: Vec<f64> = b
            .tiers("aws.internet.egress")
            .unwrap()
            .iter()
            .map(|r| r.value)
            .collect();
        assert_eq!(aws, vec![0.09, 0.085, 0.07, 0.05]);
        let t = b
            .row("aws.internet.egress.t4")
            .unwrap()
            .tier
            .clone()
            .unwrap();
        assert_eq!((t.from, t.to), (150_000.0, None));
    }

    /// The enclosure estimates are $29.06 per usable TB times usable TB at the model's
    /// defaults (146+4, 8 % reserve), rounded to the dollar.
    #[test]
    fn enclosure_estimates_follow_from_the_benchmark_and_the_catalog() {
        let b = builtin();
        let per_tb = b
            .row("benchmark.solidigm.hardware")
            .unwrap()
            .value_in(Unit::UsdPerUsableTb)
            .unwrap();
        for e in &Catalog::builtin().unwrap().enclosures {
            let row = b.row(&format!("hardware.{}", e.id)).unwrap();
            let usable = e.raw_tb * 146.0 / 150.0 * 0.92;
            assert_eq!(
                row.value_in(Unit::UsdPerEnclosure).unwrap(),
                (usable * per_tb).round()
            );
            assert_eq!(row.confidence, Confidence::Estimate);
        }
        assert_eq!(
            b.row("hardware.enclosure.ceres-v2.61tb").unwrap().value,
            35_174.0
        );
    }

    #[test]
    fn every_catalog_model_has_a_price_and_every_priced_model_is_in_the_catalog() {
        let b = builtin();
        let c = Catalog::builtin().unwrap();
        for e in &c.enclosures {
            b.row(&format!("hardware.{}", e.id)).unwrap();
        }
        for n in &c.nodes {
            b.row(&format!("hardware.{}", n.id)).unwrap();
        }
        for r in b.rows_in(Category::Hardware) {
            let model = r.id.strip_prefix("hardware.").unwrap();
            match r.unit {
                Unit::UsdPerEnclosure => drop(c.enclosure(model).unwrap()),
                Unit::UsdPerNode => drop(c.node(model).unwrap()),
                Unit::UsdPerSwitch => {}
                other => panic!("{} has unit {other}", r.id),
            }
        }
    }

    #[test]
    fn catalog_matches_the_facts_file() {
        let c = Catalog::builtin().unwrap();
        let big = c.enclosure("enclosure.ceres-v2.61tb").unwrap();
        assert_eq!((big.drives, big.raw_tb, big.ru), (22, 1351.68, 1));
        assert_eq!(
            (big.idle_w, big.active_w, big.max_w),
            (Some(368.0), 728.0, Some(850.0))
        );
        assert_eq!(big.raw().0, 1.35168e15);
        let gen5 = c.node("node.cbox-gen5").unwrap();
        assert_eq!(
            (gen5.cores, gen5.active_w, gen5.max_w),
            (48, 500.0, Some(700.0))
        );
        assert_eq!(c.node("node.cbox-gen6").unwrap().cores, 64);
        let e = message(c.node("node.gen7").unwrap_err());
        assert!(
            e.contains("no node \"node.gen7\"") && e.contains("node.cbox-gen5"),
            "{e}"
        );
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

    #[test]
    fn a_term_picks_one_discount_bracket() {
        let b = builtin();
        let g = "licence.core-plus-capacity.term";
        assert!(b.row(g).is_err(), "a tier group is not a row id");
        assert_eq!(Unit::PercentOff.tier_reading(), Some(TierReading::Bracket));
        assert_eq!(b.tier_containing(g, 1.0).unwrap().value, 0.0);
        assert_eq!(b.tier_containing(g, 3.0).unwrap().value, 10.0);
        assert_eq!(b.tier_containing(g, 4.0).unwrap().value, 10.0);
        assert_eq!(b.tier_containing(g, 5.0).unwrap().value, 20.0);
        assert_eq!(b.tier_containing(g, 10.0).unwrap().value, 20.0);
        assert!(b.tiers("nope").is_err());
    }

    /// A saved report's price rows read back: the words serialize as the CSV writes them
    /// and deserialize through the same checks (dates: `calendar`'s tests).
    #[test]
    fn vocabulary_and_dates_read_back_from_json() {
        let v = serde_json::to_value((Unit::UsdPerGib, Confidence::Placeholder)).unwrap();
        assert_eq!(v, serde_json::json!(["usd_per_gib", "placeholder"]));
        let back: (Unit, Confidence) = serde_json::from_value(v).unwrap();
        assert_eq!(back, (Unit::UsdPerGib, Confidence::Placeholder));
        let e = serde_json::from_value::<Unit>(serde_json::json!("usd_per_parsec")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unknown unit \"usd_per_parsec\"; expected one of: usd_per_gib"),
            "{e}"
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
    fn overlapping_tiers_are_refused() {
        let rows = tier("t.1", "0", "10000", "0.09") + &tier("t.2", "5000", "", "0.05");
        assert_eq!(
            message(book(&rows).unwrap_err()),
            "inline.csv line 3, row t.2, column tier_from: 5000 overlaps row t.1, which runs to 10000"
        );
    }

    #[test]
    fn gaps_unordered_or_closed_tiers_are_refused() {
        let gap = tier("t.1", "0", "10", "0.09") + &tier("t.2", "20", "", "0.05");
        assert!(message(book(&gap).unwrap_err()).contains("leaves a gap after row t.1"));
        let late_start = tier("t.1", "5", "", "0.09");
        assert!(message(book(&late_start).unwrap_err()).contains("must start at 0"));
        let closed = tier("t.1", "0", "10", "0.09");
        assert!(message(book(&closed).unwrap_err())
            .contains("column tier_to: the last tier of g must be open"));
        let after_open = tier("t.1", "0", "", "0.09") + &tier("t.2", "10", "", "0.05");
        assert!(message(book(&after_open).unwrap_err()).contains("follows the open-ended tier"));
        let inverted = tier("t.1", "10", "5", "0.09");
        assert!(message(book(&inverted).unwrap_err())
            .contains("column tier_to: must be above tier_from"));
        let no_group = "x.y,gcp,egress,I,-,internet,usd_per_gib,0,10,,0.1,,p,2026-11-01,list,\n";
        assert!(message(book(no_group).unwrap_err()).contains("without a tier_group"));
        let hourly = "x.y,gcp,port,I,-,internet,usd_per_hour,0,,g,0.1,,p,2026-11-01,list,\n";
        assert!(message(book(hourly).unwrap_err()).contains("usd_per_hour cannot be tiered"));
        let mixed = tier("t.1", "0", "10", "0.09")
            + "t.2,aws,egress,Tier,us-east-1,internet,usd_per_gib,10,,g,0.05,,p,2026-11-01,list,\n";
        assert!(message(book(&mixed).unwrap_err()).contains("must share unit"));
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

    #[test]
    fn malformed_catalog_rows_are_named() {
        let header = CATALOG_COLUMNS.join(",");
        let parse = |row: &str| Catalog::parse("cat.csv", &format!("{header}\n{row}\n"));
        let good =
            "enclosure.x,enclosure,X,22,61.44,1351.68,,,,,1,,728,,,,,src,2026-11-01,secondary,";
        assert_eq!(parse(good).unwrap().enclosures[0].raw_tb, 1351.68);
        let e = message(parse(&good.replace("1351.68", "1351")).unwrap_err());
        assert!(
            e.contains("line 2, row enclosure.x, column raw_tb: must equal drives × drive_tb"),
            "{e}"
        );
        let e = message(parse(&good.replace(",1,,728", ",1,,lots")).unwrap_err());
        assert!(
            e.contains("column active_w: must be a number, got \"lots\""),
            "{e}"
        );
        let e = message(
            parse(&good.replace("22,61.44,1351.68,,,", "22,61.44,1351.68,,48,")).unwrap_err(),
        );
        assert!(
            e.contains("column cores: does not apply to an enclosure"),
            "{e}"
        );
        let e = message(parse(&good.replace(",enclosure,", ",rack,")).unwrap_err());
        assert!(e.contains("column kind: unknown kind \"rack\""), "{e}");
    }
}
