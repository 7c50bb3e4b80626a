//! [`BookStore`] on PostgreSQL: table `books` (migration step 3).

use postgres::Row;

use super::{PostgresStore, Tx};
use crate::{BookId, BookInfo, BookKind, BookStatus, BookStore, NewBook, StoreError};

const COLUMNS: &str = "id, kind, name, effective_from, status, note, made_by, made_at,
                       published_at, retired_at, rows";

fn info(r: &Row) -> Result<BookInfo, StoreError> {
    Ok(BookInfo {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        name: r.try_get(2)?,
        effective_from: r.try_get(3)?,
        status: r.try_get(4)?,
        note: r.try_get(5)?,
        made_by: r.try_get(6)?,
        made_at: r.try_get(7)?,
        published_at: r.try_get(8)?,
        retired_at: r.try_get(9)?,
        rows: u64::try_from(r.try_get::<_, i64>(10)?).unwrap_or(0),
    })
}

fn get(tx: &mut Tx<'_>, id: &BookId) -> Result<(BookInfo, String), StoreError> {
    let row = tx
        .query_opt(
            &format!("SELECT {COLUMNS}, csv FROM books WHERE id = $1"),
            &[id],
        )?
        .ok_or_else(|| StoreError::NoBook { id: id.to_string() })?;
    Ok((info(&row)?, row.try_get(11)?))
}

impl BookStore for PostgresStore {
    fn create_book(&self, book: &NewBook) -> Result<BookInfo, StoreError> {
        let id = BookId::random(book.kind);
        self.write(|tx, now| {
            let rows = i64::try_from(book.rows).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO books (id, kind, name, effective_from, status, note, made_by,
                                    made_at, rows, csv)
                 VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9)",
                &[
                    &id,
                    &book.kind,
                    &book.name,
                    &book.effective_from,
                    &book.note,
                    &book.made_by,
                    &now,
                    &rows,
                    &book.csv,
                ],
            )?;
            Ok(get(tx, &id)?.0)
        })
    }

    fn books(&self, kind: BookKind) -> Result<Vec<BookInfo>, StoreError> {
        self.read(|tx, _| {
            tx.query(
                &format!("SELECT {COLUMNS} FROM books WHERE kind = $1 ORDER BY made_at DESC, id"),
                &[&kind],
            )?
            .iter()
            .map(info)
            .collect()
        })
    }

    fn book(&self, id: &BookId) -> Result<(BookInfo, String), StoreError> {
        self.read(|tx, _| get(tx, id))
    }

    fn advance_book(&self, id: &BookId, from: BookStatus) -> Result<BookInfo, StoreError> {
        self.write(|tx, now| {
            let (current, _) = get(tx, id)?;
            let (to, column) = current.step_from(from)?;
            tx.execute(
                &format!(
                    "UPDATE books SET status = $1, {column} = $2 WHERE id = $3 AND status = $4"
                ),
                &[&to, &now, id, &from],
            )?;
            Ok(get(tx, id)?.0)
        })
    }
}
