//! [`BookStore`] on SQLite: table `books` (migration step 3).

use rusqlite::{params, OptionalExtension, Transaction};

use super::SqliteStore;
use crate::{BookId, BookInfo, BookKind, BookStatus, BookStore, NewBook, StoreError};

const COLUMNS: &str = "id, kind, name, effective_from, status, note, made_by, made_at,
                       published_at, retired_at, rows";

fn info(r: &rusqlite::Row<'_>) -> rusqlite::Result<BookInfo> {
    Ok(BookInfo {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        effective_from: r.get(3)?,
        status: r.get(4)?,
        note: r.get(5)?,
        made_by: r.get(6)?,
        made_at: r.get(7)?,
        published_at: r.get(8)?,
        retired_at: r.get(9)?,
        rows: u64::try_from(r.get::<_, i64>(10)?).unwrap_or(0),
    })
}

fn get(tx: &Transaction<'_>, id: &BookId) -> Result<(BookInfo, String), StoreError> {
    tx.prepare_cached(&format!("SELECT {COLUMNS}, csv FROM books WHERE id = ?1"))?
        .query_row([id], |r| Ok((info(r)?, r.get(11)?)))
        .optional()?
        .ok_or_else(|| StoreError::NoBook { id: id.to_string() })
}

impl BookStore for SqliteStore {
    fn create_book(&self, book: &NewBook) -> Result<BookInfo, StoreError> {
        self.write(|tx, now| {
            let id = BookId::random(book.kind);
            let rows = i64::try_from(book.rows).unwrap_or(i64::MAX);
            tx.prepare_cached(
                "INSERT INTO books (id, kind, name, effective_from, status, note, made_by,
                                    made_at, rows, csv)
                 VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id,
                book.kind,
                book.name,
                book.effective_from,
                book.note,
                book.made_by,
                now,
                rows,
                book.csv
            ])?;
            Ok(get(tx, &id)?.0)
        })
    }

    fn books(&self, kind: BookKind) -> Result<Vec<BookInfo>, StoreError> {
        self.read(|tx, _| {
            let list = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM books WHERE kind = ?1 ORDER BY made_at DESC, id"
                ))?
                .query_map([kind], info)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(list)
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
                    "UPDATE books SET status = ?1, {column} = ?2 WHERE id = ?3 AND status = ?4"
                ),
                params![to, now, id, from],
            )?;
            Ok(get(tx, id)?.0)
        })
    }
}
