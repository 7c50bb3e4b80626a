//! What changes between two books: the pricing team reads it before publishing, and a
//! reviewer reads it to see what a new quarter's book moved.

use super::{PriceBook, PriceRow};

/// The differences between two books, row by row (rows are matched by id).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BookDiff {
    pub from: String,
    pub to: String,
    /// One entry per cell that differs in a row both books have, in `to`'s row order.
    pub changed: Vec<CellChange>,
    /// Rows only `to` has, in its order.
    pub added: Vec<PriceRow>,
    /// Rows only `from` has, in its order.
    pub removed: Vec<PriceRow>,
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
    /// Whether the two books price everything alike and describe it alike.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Compares two books cell by cell, as their files write them (so `85.00` and `85` are the
/// same value). Rows that did not change are not listed.
pub fn diff(from: &PriceBook, to: &PriceBook) -> BookDiff {
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for row in to.rows() {
        match from.row(&row.id) {
            Ok(old) => {
                for ((column, a), (_, b)) in old.cells().into_iter().zip(row.cells()) {
                    if a != b {
                        changed.push(CellChange {
                            id: row.id.clone(),
                            column: column.into(),
                            from: a,
                            to: b,
                        });
                    }
                }
            }
            Err(_) => added.push(row.clone()),
        }
    }
    let removed = from
        .rows()
        .iter()
        .filter(|r| to.row(&r.id).is_err())
        .cloned()
        .collect();
    BookDiff {
        from: from.id().into(),
        to: to.id().into(),
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
        let ids = |rows: &[PriceRow]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.added), vec!["new.row"]);
        assert_eq!(ids(&d.removed), vec![b.rows()[0].id.clone()]);
        assert_eq!((d.from.as_str(), d.to.as_str()), ("2026-11", "next"));
    }
}
