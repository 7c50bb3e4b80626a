//! The hardware catalog (`data/catalog/hardware.csv`): the enclosure and node models the
//! cluster sizing chooses from, with their capacity, rack units, power and throughput, each
//! row sourced and dated like a price.
//!
//! Prices for these models live in the price book (`hardware.<id>` rows), so a new book can
//! re-price the same hardware; the catalog holds what does not change with the price.

use std::collections::BTreeMap;

use super::table::{Cells, Table};
use super::{Confidence, PriceBookError};
use crate::calendar::Date;
use crate::units::Bytes;

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
    /// Parses a catalog from CSV text; `file` names it in error messages. Answers the
    /// first problem; [`Catalog::check`] answers them all.
    pub fn parse(file: &str, text: &str) -> Result<Catalog, PriceBookError> {
        Catalog::check(file, text).map_err(super::first)
    }

    /// Reads a catalog and reports every problem at once, one per bad row, in file order.
    pub fn check(file: &str, text: &str) -> Result<Catalog, Vec<PriceBookError>> {
        let table = Table::read(file, text, CATALOG_COLUMNS)?;
        let mut catalog = Catalog {
            enclosures: Vec::new(),
            nodes: Vec::new(),
        };
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for c in table.records() {
            if let Err(e) = c.and_then(|c| catalog.add(&c, &mut seen)) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }

    /// Reads one row into the catalog.
    fn add(
        &mut self,
        c: &Cells<'_>,
        seen: &mut BTreeMap<String, u64>,
    ) -> Result<(), PriceBookError> {
        let id = c.id()?;
        if let Some(first) = seen.insert(id.to_string(), c.line) {
            return Err(c.error("id", format!("duplicate id, first on line {first}")));
        }
        match c.required("kind")? {
            "enclosure" => {
                c.blank(NODE_ONLY, "an enclosure")?;
                self.enclosures.push(parse_enclosure(c, id)?);
            }
            "node" => {
                c.blank(ENCLOSURE_ONLY, "a node")?;
                self.nodes.push(parse_node(c, id)?);
            }
            other => {
                return Err(c.error(
                    "kind",
                    format!("unknown kind \"{other}\"; expected enclosure, node"),
                ))
            }
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::price_book::tests::message;

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
