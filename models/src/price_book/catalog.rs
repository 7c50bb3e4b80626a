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

/// The hardware the cluster sizing can choose from: one version of the catalog, built in
/// (`YYYY-MM`) or stored by the pricing team (`hw-…`), never changed once published.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Catalog {
    pub id: String,
    pub enclosures: Vec<EnclosureModel>,
    pub nodes: Vec<NodeModel>,
}

/// The columns of a catalog file, in file order.
pub const CATALOG_COLUMNS: &[&str] = &[
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
    pub fn parse(id: &str, file: &str, text: &str) -> Result<Catalog, PriceBookError> {
        Catalog::check(id, file, text).map_err(super::first)
    }

    /// Reads a catalog and reports every problem at once, in file order: one per bad row,
    /// then what the sizing needs and the file lacks (an enclosure, a node) or cannot tell
    /// apart (two enclosures of the same raw TB, two nodes of the same cores: a scenario
    /// names its hardware by those figures).
    pub fn check(id: &str, file: &str, text: &str) -> Result<Catalog, Vec<PriceBookError>> {
        let table = Table::read(file, text, CATALOG_COLUMNS)?;
        Catalog::from_records(id, file, table.records())
    }

    /// A catalog from its rows as the API sends them (column → cell text, file order; the
    /// row at index `i` stood on line `i + 2`), checked exactly as a file is: how the
    /// browser reads a stored catalog without a CSV parser.
    pub fn from_cells(
        id: &str,
        file: &str,
        rows: &[BTreeMap<String, String>],
    ) -> Result<Catalog, Vec<PriceBookError>> {
        let records = rows
            .iter()
            .enumerate()
            .map(|(i, row)| Ok(Cells::of_map(file, i as u64 + 2, row)));
        Catalog::from_records(id, file, records)
    }

    fn from_records<'r>(
        id: &str,
        file: &str,
        records: impl Iterator<Item = Result<Cells<'r>, PriceBookError>>,
    ) -> Result<Catalog, Vec<PriceBookError>> {
        let mut catalog = Catalog {
            id: id.into(),
            enclosures: Vec::new(),
            nodes: Vec::new(),
        };
        let mut errors = Vec::new();
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        let mut raw: BTreeMap<u64, String> = BTreeMap::new();
        let mut cores: BTreeMap<u32, String> = BTreeMap::new();
        for c in records {
            if let Err(e) = c.and_then(|c| catalog.add(&c, &mut seen, &mut raw, &mut cores)) {
                errors.push(e);
            }
        }
        for (kind, none) in [
            ("enclosure", catalog.enclosures.is_empty()),
            ("node", catalog.nodes.is_empty()),
        ] {
            if none && errors.is_empty() {
                errors.push(PriceBookError::MissingRow {
                    file: file.into(),
                    id: format!("{kind}.*"),
                    reason: format!("the cluster sizing needs at least one {kind} row"),
                });
            }
        }
        if errors.is_empty() {
            Ok(catalog)
        } else {
            Err(errors)
        }
    }

    /// Every row as the file writes its cells, enclosures first, in file order within
    /// each kind: what an export writes and a diff compares.
    pub fn rows_cells(&self) -> Vec<Vec<(&'static str, String)>> {
        let enclosures = self.enclosures.iter().map(EnclosureModel::cells);
        enclosures
            .chain(self.nodes.iter().map(NodeModel::cells))
            .collect()
    }

    /// The catalog as a CSV file [`Catalog::parse`] reads back to the same catalog.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        super::write_line(&mut out, CATALOG_COLUMNS.iter().copied());
        for row in self.rows_cells() {
            super::write_line(&mut out, row.iter().map(|(_, v)| v.as_str()));
        }
        out
    }

    /// Reads one row into the catalog.
    fn add(
        &mut self,
        c: &Cells<'_>,
        seen: &mut BTreeMap<String, u64>,
        raw: &mut BTreeMap<u64, String>,
        cores: &mut BTreeMap<u32, String>,
    ) -> Result<(), PriceBookError> {
        let id = c.id()?;
        if let Some(first) = seen.insert(id.to_string(), c.line) {
            return Err(c.error("id", format!("duplicate id, first on line {first}")));
        }
        match c.required("kind")? {
            "enclosure" => {
                c.blank(NODE_ONLY, "an enclosure")?;
                let e = parse_enclosure(c, id)?;
                // Equal to the sizing's tolerance (1e-9 relative) at these magnitudes.
                let key = (e.raw_tb * 1e6).round() as u64;
                if let Some(other) = raw.insert(key, id.into()) {
                    return Err(c.error(
                        "raw_tb",
                        format!(
                            "{} TB is also enclosure {other}'s: a scenario names its enclosure \
                             by raw TB, so each must differ",
                            e.raw_tb
                        ),
                    ));
                }
                self.enclosures.push(e);
            }
            "node" => {
                c.blank(ENCLOSURE_ONLY, "a node")?;
                let n = parse_node(c, id)?;
                if let Some(other) = cores.insert(n.cores, id.into()) {
                    return Err(c.error(
                        "cores",
                        format!(
                            "{} cores is also node {other}'s: a scenario names its node by \
                             cores, so each must differ",
                            n.cores
                        ),
                    ));
                }
                self.nodes.push(n);
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

/// A number as a file writes it (the shortest text that reads back to it); blank for none.
fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl EnclosureModel {
    /// The row's cells, in [`CATALOG_COLUMNS`] order.
    pub fn cells(&self) -> Vec<(&'static str, String)> {
        row_cells(
            &self.id,
            "enclosure",
            &self.model,
            [
                ("drives", self.drives.to_string()),
                ("drive_tb", self.drive_tb.to_string()),
                ("raw_tb", self.raw_tb.to_string()),
            ],
            [
                self.ru.to_string(),
                number(self.idle_w),
                self.active_w.to_string(),
                number(self.max_w),
            ],
            &self.source,
            self.read_on,
            self.confidence,
            &self.notes,
        )
    }
}

impl NodeModel {
    /// The row's cells, in [`CATALOG_COLUMNS`] order.
    pub fn cells(&self) -> Vec<(&'static str, String)> {
        row_cells(
            &self.id,
            "node",
            &self.model,
            [
                ("cpu", self.cpu.clone().unwrap_or_default()),
                ("cores", self.cores.to_string()),
                ("memory_gb", number(self.memory_gb)),
                ("network", self.network.clone().unwrap_or_default()),
                ("write_gbytes_per_s", self.write_gbytes_per_s.to_string()),
                ("read_gbytes_per_s", self.read_gbytes_per_s.to_string()),
                (
                    "throughput_confidence",
                    self.throughput_confidence.as_str().into(),
                ),
            ],
            [
                self.ru.to_string(),
                number(self.idle_w),
                self.active_w.to_string(),
                number(self.max_w),
            ],
            &self.source,
            self.read_on,
            self.confidence,
            &self.notes,
        )
    }
}

/// A row's cells in [`CATALOG_COLUMNS`] order: the columns every row has, the ones of its
/// kind (`own`), the other kind's left blank.
#[allow(clippy::too_many_arguments)]
fn row_cells<const N: usize>(
    id: &str,
    kind: &str,
    model: &str,
    own: [(&'static str, String); N],
    [ru, idle_w, active_w, max_w]: [String; 4],
    source: &str,
    read_on: Date,
    confidence: Confidence,
    notes: &str,
) -> Vec<(&'static str, String)> {
    let mut own: BTreeMap<&str, String> = own.into_iter().collect();
    let mut common: BTreeMap<&str, String> = [
        ("id", id.to_string()),
        ("kind", kind.to_string()),
        ("model", model.to_string()),
        ("ru", ru),
        ("idle_w", idle_w),
        ("active_w", active_w),
        ("max_w", max_w),
        ("source", source.to_string()),
        ("read_on", read_on.to_string()),
        ("confidence", confidence.as_str().to_string()),
        ("notes", notes.to_string()),
    ]
    .into_iter()
    .collect();
    CATALOG_COLUMNS
        .iter()
        .map(|&column| {
            let text = common
                .remove(column)
                .or_else(|| own.remove(column))
                .unwrap_or_default();
            (column, text)
        })
        .collect()
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
        let node = "node.n,node,N,,,,C,48,,,1,,500,,5,10,placeholder,src,2026-11-01,secondary,";
        let parse =
            |row: &str| Catalog::parse("hw-test", "cat.csv", &format!("{header}\n{row}\n{node}\n"));
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

    fn checked(text: &str) -> Vec<String> {
        Catalog::check("hw-test", "cat.csv", text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_catalog_names_every_problem_and_what_the_sizing_cannot_tell_apart() {
        let text = Catalog::builtin().unwrap().to_csv();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        // Line 3 gets the raw TB of line 2, line 5 the cores of line 6, line 7 a bad cell.
        lines[2] = lines[2]
            .replace("675.84", "337.92")
            .replace(",30.72,", ",15.36,");
        lines[4] = lines[4].replace(",48,", ",64,").replace(",384,", ",,");
        lines.push(
            lines[1]
                .replace("enclosure.ceres-v2.15tb", "enclosure.y")
                .replace(",1,368,", ",one,368,"),
        );
        let errors = checked(&(lines.join("\n") + "\n"));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("line 3, row enclosure.ceres-v2.30tb, column raw_tb: 337.92 TB is also enclosure enclosure.ceres-v2.15tb's"), "{}", errors[0]);
        assert!(
            errors[1].contains(
                "line 6, row node.cbox-gen6, column cores: 64 cores is also node node.cbox-gen5's"
            ),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].contains("line 7, row enclosure.y, column ru"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn a_catalog_without_nodes_is_refused_and_the_builtin_one_reads_back_from_its_csv() {
        let builtin = Catalog::builtin().unwrap();
        let text = builtin.to_csv();
        let back = Catalog::parse(&builtin.id, "back.csv", &text).unwrap();
        assert_eq!(&back, builtin);
        let enclosures_only: String = text
            .lines()
            .filter(|l| !l.starts_with("node."))
            .map(|l| format!("{l}\n"))
            .collect();
        let errors = checked(&enclosures_only);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("at least one node"), "{}", errors[0]);
        // The browser's path: the same rows as cells read to the same catalog.
        let rows: Vec<BTreeMap<String, String>> = builtin
            .rows_cells()
            .into_iter()
            .map(|r| r.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
            .collect();
        assert_eq!(
            &Catalog::from_cells(&builtin.id, "api", &rows).unwrap(),
            builtin
        );
    }
}
