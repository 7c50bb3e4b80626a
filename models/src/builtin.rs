//! The built-in price books and hardware catalog, as tables compiled into the crate.
//!
//! `build.rs` reads the CSV files listed in [`crate::price_book`] with that module's parser
//! (so a malformed row stops the build with the parser's message naming the file, line, row
//! and column) and writes the rows it accepted as the static tables included below. At run
//! time a book is only copied out of its table: the browser bundle carries no CSV text and
//! no CSV parser. A test checks that each table equals what the parser reads from its file.

use std::sync::OnceLock;

use crate::calendar::Date;
use crate::price_book::{
    Catalog, Category, Confidence, EnclosureModel, NetworkPath, NodeModel, PriceBook,
    PriceBookError, PriceRow, Provider, Tier, Unit, BOOKS,
};

/// A [`PriceRow`] as `build.rs` writes it: borrowed text, the tier as (group, from, to).
struct Row {
    id: &'static str,
    provider: Provider,
    category: Category,
    item: &'static str,
    region: Option<&'static str>,
    path: Option<NetworkPath>,
    unit: Unit,
    tier: Option<(&'static str, f64, Option<f64>)>,
    value: f64,
    condition: &'static str,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
    line: u64,
}

/// An [`EnclosureModel`] as `build.rs` writes it.
struct Enclosure {
    id: &'static str,
    model: &'static str,
    drives: u32,
    drive_tb: f64,
    raw_tb: f64,
    ru: u32,
    idle_w: Option<f64>,
    active_w: f64,
    max_w: Option<f64>,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
}

/// A [`NodeModel`] as `build.rs` writes it.
struct Node {
    id: &'static str,
    model: &'static str,
    cpu: Option<&'static str>,
    cores: u32,
    memory_gb: Option<f64>,
    network: Option<&'static str>,
    ru: u32,
    idle_w: Option<f64>,
    active_w: f64,
    max_w: Option<f64>,
    write_gbytes_per_s: f64,
    read_gbytes_per_s: f64,
    throughput_confidence: Confidence,
    source: &'static str,
    read_on: Date,
    confidence: Confidence,
    notes: &'static str,
}

// Defines `BOOK_ROWS: &[&[Row]]` (one table per entry of `BOOKS`, in order), `ENCLOSURES`
// and `NODES`.
include!(concat!(env!("OUT_DIR"), "/builtin_tables.rs"));

impl Row {
    fn to_row(&self) -> PriceRow {
        PriceRow {
            id: self.id.into(),
            provider: self.provider,
            category: self.category,
            item: self.item.into(),
            region: self.region.map(String::from),
            path: self.path,
            unit: self.unit,
            tier: self.tier.map(|(group, from, to)| Tier {
                group: group.into(),
                from,
                to,
            }),
            value: self.value,
            condition: self.condition.into(),
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
            overridden_from: None,
            line: self.line,
        }
    }
}

impl Enclosure {
    fn to_model(&self) -> EnclosureModel {
        EnclosureModel {
            id: self.id.into(),
            model: self.model.into(),
            drives: self.drives,
            drive_tb: self.drive_tb,
            raw_tb: self.raw_tb,
            ru: self.ru,
            idle_w: self.idle_w,
            active_w: self.active_w,
            max_w: self.max_w,
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
        }
    }
}

impl Node {
    fn to_model(&self) -> NodeModel {
        NodeModel {
            id: self.id.into(),
            model: self.model.into(),
            cpu: self.cpu.map(String::from),
            cores: self.cores,
            memory_gb: self.memory_gb,
            network: self.network.map(String::from),
            ru: self.ru,
            idle_w: self.idle_w,
            active_w: self.active_w,
            max_w: self.max_w,
            write_gbytes_per_s: self.write_gbytes_per_s,
            read_gbytes_per_s: self.read_gbytes_per_s,
            throughput_confidence: self.throughput_confidence,
            source: self.source.into(),
            read_on: self.read_on,
            confidence: self.confidence,
            notes: self.notes.into(),
        }
    }
}

static BUILT_BOOKS: OnceLock<Vec<PriceBook>> = OnceLock::new();
static BUILT_CATALOG: OnceLock<Catalog> = OnceLock::new();

impl PriceBook {
    /// A built-in book by id (`"2026-11"`), copied out of its table on first use and then
    /// shared.
    pub fn builtin(id: &str) -> Result<&'static PriceBook, PriceBookError> {
        let books = BUILT_BOOKS.get_or_init(|| {
            BOOKS
                .iter()
                .zip(BOOK_ROWS)
                .map(|(b, rows)| {
                    PriceBook::from_checked_rows(b.id, rows.iter().map(Row::to_row).collect())
                })
                .collect()
        });
        books
            .iter()
            .find(|b| b.id() == id)
            .ok_or_else(|| PriceBookError::UnknownBook {
                id: id.into(),
                known: PriceBook::ids().join(", "),
            })
    }

    /// The newest built-in book: what a new scenario starts from.
    pub fn latest() -> Result<&'static PriceBook, PriceBookError> {
        let newest = PriceBook::ids().into_iter().max().unwrap_or_default();
        PriceBook::builtin(newest)
    }
}

impl Catalog {
    /// The built-in catalog, copied out of its table on first use.
    pub fn builtin() -> Result<&'static Catalog, PriceBookError> {
        Ok(BUILT_CATALOG.get_or_init(|| Catalog {
            enclosures: ENCLOSURES.iter().map(Enclosure::to_model).collect(),
            nodes: NODES.iter().map(Node::to_model).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::price_book::CATALOG;

    fn read(file: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn each_table_equals_what_the_parser_reads_from_its_file() {
        assert_eq!(BOOK_ROWS.len(), BOOKS.len());
        for b in BOOKS {
            let parsed = PriceBook::parse(b.id, b.file, &read(b.file)).unwrap();
            assert_eq!(PriceBook::builtin(b.id).unwrap(), &parsed, "{}", b.file);
        }
        let parsed = Catalog::parse(CATALOG.file, &read(CATALOG.file)).unwrap();
        assert_eq!(Catalog::builtin().unwrap(), &parsed);
    }
}
