//! What changes between two books: the pricing team reads it before publishing, and a
//! reviewer reads it to see what a new quarter's book moved.

use super::{Catalog, PriceBook};

/// A row as its file writes it: (column, cell text) in file column order; the first cell
/// is the row's `id`.
pub type RowCells = Vec<(&'static str, String)>;

/// The differences between two books (or two catalogs), row by row (rows are matched by
/// id).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BookDiff {
    pub from: String,
    pub to: String,
    /// One entry per cell that differs in a row both have, in `to`'s row order.
    pub changed: Vec<CellChange>,
    /// Rows only `to` has, in its order.
    pub added: Vec<RowCells>,
    /// Rows only `from` has, in its order.
    pub removed: Vec<RowCells>,
}

/// One cell that differs, as the file writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellChange {
    pub id: String,
    pub column: String,
    pub from: String,
    pub to: String,
}

impl BookDiff {
    /// Whether the two price everything alike and describe it alike.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares two books cell by cell, as their files write them (so `85.00` and `85` are the
/// same value). Rows that did not change are not listed.
pub fn diff(from: &PriceBook, to: &PriceBook) -> BookDiff {
    let cells = |b: &PriceBook| b.rows().iter().map(|r| r.cells().to_vec()).collect();
    diff_rows(from.id(), cells(from), to.id(), cells(to))
}

/// [`diff`] for two hardware catalogs.
pub fn diff_catalogs(from: &Catalog, to: &Catalog) -> BookDiff {
    diff_rows(&from.id, from.rows_cells(), &to.id, to.rows_cells())
}

fn row_id(row: &RowCells) -> &str {
    row.first().map_or("", |(_, id)| id.as_str())
}

fn diff_rows(from_id: &str, from: Vec<RowCells>, to_id: &str, to: Vec<RowCells>) -> BookDiff {
    let find = |rows: &[RowCells], id: &str| rows.iter().position(|r| row_id(r) == id);
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for row in &to {
        match find(&from, row_id(row)) {
            Some(i) => {
                for ((column, a), (_, b)) in from[i].iter().zip(row) {
                    if a != b {
                        changed.push(CellChange {
                            id: row_id(row).into(),
                            column: (*column).into(),
                            from: a.clone(),
                            to: b.clone(),
                        });
                    }
                }
            }
            None => added.push(row.clone()),
        }
    }
    let removed = from
        .iter()
        .filter(|r| find(&to, row_id(r)).is_none())
        .cloned()
        .collect();
    BookDiff {
        from: from_id.into(),
        to: to_id.into(),
        changed,
        added,
        removed,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::price_book::tests::builtin;

    #[test]
    fn a_book_against_itself_differs_in_nothing() {
        assert!(diff(builtin(), builtin()).is_empty());
    }

    #[test]
    fn changed_cells_added_and_removed_rows_are_listed_and_nothing_else() {
        let b = builtin();
        let mut text = String::new();
        for (i, line) in b.to_csv().lines().enumerate() {
            // Drop the first row, change the egress rate and a note of another.
            match i {
                1 => continue,
                _ if line.starts_with("gcp.interconnect.egress.na,") => {
                    text.push_str(&line.replace(",0.02,only", ",0.025,only"))
                }
                _ => text.push_str(line),
            }
            text.push('\n');
        }
        text.push_str(
            "new.row,gcp,egress,A new row,-,internet,usd_per_gib,,,,0.5,,a page,2026-11-01,list,\n",
        );
        let next = PriceBook::parse("next", "next.csv", &text).unwrap();
        let d = diff(b, &next);
        assert_eq!(
            d.changed,
            vec![CellChange {
                id: "gcp.interconnect.egress.na".into(),
                column: "value".into(),
                from: "0.02".into(),
                to: "0.025".into(),
            }]
        );
        let ids = |rows: &[RowCells]| {
            rows.iter()
                .map(|r| row_id(r).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&d.added), vec!["new.row"]);
        assert_eq!(ids(&d.removed), vec![b.rows()[0].id.clone()]);
        assert_eq!((d.from.as_str(), d.to.as_str()), ("2026-11", "next"));
    }

    #[test]
    fn two_catalogs_differ_in_exactly_the_cells_that_changed() {
        let b = Catalog::builtin().unwrap();
        assert!(diff_catalogs(b, b).is_empty());
        let text = b.to_csv().replace(",500,700,", ",520,700,");
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("enclosure.ceres-v2.61tb,"))
            .map(|l| format!("{l}\n"))
            .collect();
        let next = Catalog::parse("hw-next", "next.csv", &text).unwrap();
        let d = diff_catalogs(b, &next);
        assert_eq!(
            d.changed,
            vec![CellChange {
                id: "node.cbox-gen5".into(),
                column: "active_w".into(),
                from: "500".into(),
                to: "520".into(),
            }]
        );
        assert!(d.added.is_empty());
        assert_eq!(d.removed.len(), 1);
        assert_eq!(row_id(&d.removed[0]), "enclosure.ceres-v2.61tb");
    }
}
