//! The price books a caller may price with: the built-in ones and the stored ones their
//! role lets them see (spec: PRICE-BOOKS.md), as the model's [`Shelf`].
//!
//! - Signed out: the built-in books only (stored books hold confidential rates; the
//!   planner without an account prices with what the browser carries).
//! - Signed in: also every published and retired book (a retired book still prices the
//!   scenarios pinned to it; [`Visible::may_pick`] keeps new scenarios off it).
//! - `pricing` or `admin` in any team: also the drafts.
//!
//! The newest book, what a scenario naming none is priced with and pinned to, is the
//! published book in force today with the latest `effective_from` (built-in books take
//! effect on the first of their month). Drafts and retired books are never the newest.
//!
//! A stored book's text never changes, so each is parsed once per server and kept; only
//! the list of books (and their status) is read from the database on each request, which
//! keeps several servers on one database in agreement.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use lakeplan_api::books::problems;
use lakeplan_api::paths::Sheet;
use lakeplan_models::calendar::Date;
use lakeplan_models::field::FieldError;
use lakeplan_models::library::{Builtin, Library, Shelf};
use lakeplan_models::price_book::{Catalog, PriceBook, PriceBookError};
use lakeplan_store::{BookId, BookInfo, BookKind, BookStatus, NewBook, Role, Timestamp};

use crate::api::{AppError, Storage};
use crate::auth::Caller;

/// The longest book name and note.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_NOTE_CHARS: usize = 2000;

/// The store's kind of a sheet.
pub fn kind_of(sheet: Sheet) -> BookKind {
    match sheet {
        Sheet::PriceBook => BookKind::Price,
        Sheet::Catalog => BookKind::Hardware,
    }
}

/// The scenario field that names a sheet of this kind.
pub fn field_of(sheet: Sheet) -> &'static str {
    match sheet {
        Sheet::PriceBook => "pricing.price_book",
        Sheet::Catalog => "pricing.catalog",
    }
}

/// Checks an uploaded book or catalog and what describes it, for the API and `lakeplan
/// books import` alike: the name (1 to 80 characters), the day it takes effect
/// (`YYYY-MM-DD`), the note (up to 2 000), then every problem of the file at once (`file`
/// names it): for a book also the rows the model needs that it lacks (every row of the
/// newest built-in book), for a catalog what the sizing needs (an enclosure and a node,
/// each told apart by its figures). On success, what the store keeps, by `made_by`.
#[allow(clippy::too_many_arguments)]
pub fn check_upload(
    sheet: Sheet,
    name: &str,
    effective_from: &str,
    note: &str,
    made_by: String,
    file: &str,
    text: String,
) -> Result<NewBook, AppError> {
    let mut fields = Vec::new();
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        fields.push(FieldError::new(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters, got {chars}"),
        ));
    } else if name.chars().any(char::is_control) {
        // The name goes into the audit log and tab-separated CLI lines.
        fields.push(FieldError::new(
            "name",
            "must be one line of text, without tabs or control characters",
        ));
    }
    let date = Date::parse(effective_from.trim());
    if let Err(m) = &date {
        fields.push(FieldError::new(
            "effective_from",
            format!("must be a date YYYY-MM-DD: {m}"),
        ));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        fields.push(FieldError::new(
            "note",
            format!("must be at most {MAX_NOTE_CHARS} characters"),
        ));
    } else if note.chars().any(|c| c.is_control() && c != '\n') {
        fields.push(FieldError::new(
            "note",
            "must be text without tabs or control characters (line breaks are fine)",
        ));
    }
    if !fields.is_empty() {
        return Err(AppError::Invalid { errors: fields });
    }
    let rows = match sheet {
        Sheet::PriceBook => check_book(file, &text)?,
        Sheet::Catalog => {
            let catalog = Catalog::check("upload", file, &text).map_err(invalid)?;
            (catalog.enclosures.len() + catalog.nodes.len()) as u64
        }
    };
    Ok(NewBook {
        kind: kind_of(sheet),
        name: name.to_string(),
        effective_from: date.map(|d| d.to_string()).unwrap_or_default(),
        note: note.trim().to_string(),
        made_by,
        rows,
        csv: text,
    })
}

/// The rows of an uploaded book, when it reads and has every row the model needs.
fn check_book(file: &str, text: &str) -> Result<u64, AppError> {
    let book = PriceBook::check("upload", file, text).map_err(invalid)?;
    let model = Builtin
        .book(Builtin.newest())
        .map_err(|e| AppError::Internal(format!("the built-in book does not read: {e}")))?;
    let missing = book.missing(file, model);
    if !missing.is_empty() {
        return Err(invalid(missing));
    }
    Ok(book.rows().len() as u64)
}

fn invalid(errors: Vec<PriceBookError>) -> AppError {
    AppError::InvalidBook {
        errors: problems(&errors),
    }
}

/// The parsed stored books and catalogs, by id.
#[derive(Default)]
pub struct Books {
    books: Mutex<HashMap<BookId, Arc<PriceBook>>>,
    catalogs: Mutex<HashMap<BookId, Arc<Catalog>>>,
}

/// The books and catalogs one caller may use.
pub struct Visible {
    pub shelf: Shelf,
    /// The stored books on the shelf, newest first.
    pub stored: Vec<BookInfo>,
    /// The stored catalogs on the shelf, newest first.
    pub catalogs: Vec<BookInfo>,
}

impl Books {
    /// The books and catalogs `caller` may use, as of `now`.
    pub async fn for_caller(
        &self,
        storage: &Storage,
        caller: &Caller,
        now: Timestamp,
    ) -> Result<Visible, AppError> {
        let Caller::Signed(signed) = caller else {
            return Ok(Visible {
                shelf: Shelf::default(),
                stored: Vec::new(),
                catalogs: Vec::new(),
            });
        };
        let drafts = signed.user.can_anywhere(Role::Pricing);
        let seen = |list: Vec<BookInfo>| -> Vec<BookInfo> {
            list.into_iter()
                .filter(|b| drafts || b.status != BookStatus::Draft)
                .collect()
        };
        let (books, catalogs) = storage
            .call(|st| Ok((st.books(BookKind::Price)?, st.books(BookKind::Hardware)?)))
            .await?;
        let mut shelf = Shelf::default();
        let mut stored = Vec::new();
        for info in seen(books) {
            if let Some(book) = skip_unreadable(self.book(storage, &info.id).await)? {
                shelf = shelf.with(book);
                stored.push(info);
            }
        }
        let mut readable = Vec::new();
        for info in seen(catalogs) {
            if let Some(catalog) = skip_unreadable(self.catalog(storage, &info.id).await)? {
                shelf = shelf.with_catalog(catalog);
                readable.push(info);
            }
        }
        if let Some(id) = newest_in_force(&stored, Builtin.newest(), now) {
            shelf = shelf.newest_is(id.as_str());
        }
        if let Some(id) = newest_in_force(&readable, Builtin.newest_catalog(), now) {
            shelf = shelf.newest_catalog_is(id.as_str());
        }
        Ok(Visible {
            shelf,
            stored,
            catalogs: readable,
        })
    }

    /// A stored book, parsed (once per server: its text never changes).
    pub async fn book(&self, storage: &Storage, id: &BookId) -> Result<Arc<PriceBook>, AppError> {
        parsed(&self.books, storage, id, "price book", |id, file, csv| {
            PriceBook::parse(id, file, csv)
        })
        .await
    }

    /// A stored catalog, parsed (once per server).
    pub async fn catalog(&self, storage: &Storage, id: &BookId) -> Result<Arc<Catalog>, AppError> {
        parsed(
            &self.catalogs,
            storage,
            id,
            "hardware catalog",
            Catalog::parse,
        )
        .await
    }
}

/// A stored sheet that no longer reads (a later build checks more) is left off the shelf
/// and logged, so it fails only the scenarios that name it.
fn skip_unreadable<T>(parsed: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match parsed {
        Ok(t) => Ok(Some(t)),
        Err(AppError::Internal(reason)) => {
            tracing::error!("{reason}");
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

async fn parsed<T>(
    cache: &Mutex<HashMap<BookId, Arc<T>>>,
    storage: &Storage,
    id: &BookId,
    noun: &str,
    parse: fn(&str, &str, &str) -> Result<T, PriceBookError>,
) -> Result<Arc<T>, AppError> {
    let lock = || cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(t) = lock().get(id) {
        return Ok(t.clone());
    }
    let key = id.clone();
    let (_, csv) = storage.call(move |st| st.book(&key)).await?;
    let t = parse(id.as_str(), &format!("{noun} {id}"), &csv)
        .map_err(|e| AppError::Internal(format!("stored {noun} {id} does not read: {e}")))?;
    let t = Arc::new(t);
    lock().insert(id.clone(), t.clone());
    Ok(t)
}

impl Visible {
    /// The stored book `id`, when the caller may see it.
    pub fn stored(&self, id: &str) -> Option<&BookInfo> {
        self.stored.iter().find(|b| b.id.as_str() == id)
    }

    /// The stored book or catalog `id`, when the caller may see it.
    pub fn stored_sheet(&self, sheet: Sheet, id: &str) -> Option<&BookInfo> {
        let list = match sheet {
            Sheet::PriceBook => &self.stored,
            Sheet::Catalog => &self.catalogs,
        };
        list.iter().find(|b| b.id.as_str() == id)
    }

    /// Whether a scenario may be saved naming book or catalog `id`: never a draft (a team's
    /// engineers could not price it), a retired one only by a scenario already pinned to
    /// it (`was`), so new scenarios cannot pick it. 422 naming the field otherwise.
    pub fn may_pick(&self, sheet: Sheet, id: &str, was: Option<&str>) -> Result<(), AppError> {
        let (field, noun) = (field_of(sheet), sheet.noun());
        match self.stored_sheet(sheet, id) {
            Some(b) if b.status == BookStatus::Draft => Err(AppError::invalid(
                field,
                format!(
                    "{noun} {id} ({}) is a draft: preview with it, but publish it before \
                     saving scenarios priced with it",
                    b.name
                ),
            )),
            Some(b) if b.status == BookStatus::Retired && was != Some(id) => {
                let newest = match sheet {
                    Sheet::PriceBook => self.shelf.newest(),
                    Sheet::Catalog => self.shelf.newest_catalog(),
                };
                Err(AppError::invalid(
                    field,
                    format!(
                        "{noun} {id} ({}) is retired: it prices the scenarios pinned to it, \
                         but new ones must use one in force (the newest is {newest})",
                        b.name
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The published book (or catalog) in force on `now`'s day with the latest
/// `effective_from`, if it is later than the month of the newest built-in one, `builtin`.
fn newest_in_force<'b>(
    stored: &'b [BookInfo],
    builtin: &str,
    now: Timestamp,
) -> Option<&'b BookId> {
    let today = now.to_string();
    let today = today.get(..10).unwrap_or_default();
    let builtin = format!("{builtin}-01");
    stored
        .iter()
        .filter(|b| b.status == BookStatus::Published)
        .filter(|b| b.effective_from.as_str() <= today && b.effective_from >= builtin)
        .max_by(|a, b| (&a.effective_from, a.made_at).cmp(&(&b.effective_from, b.made_at)))
        .map(|b| &b.id)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn book(effective_from: &str, status: BookStatus, made_at: i64) -> BookInfo {
        BookInfo {
            id: BookId::random(BookKind::Price),
            kind: BookKind::Price,
            name: effective_from.into(),
            effective_from: effective_from.into(),
            status,
            note: String::new(),
            made_by: "user:p@example.com".into(),
            made_at: Timestamp(made_at),
            published_at: None,
            retired_at: None,
            rows: 1,
        }
    }

    /// 2027-02-15T00:00:00Z.
    const NOW: Timestamp = Timestamp(1_802_649_600_000);

    #[test]
    fn the_newest_is_the_latest_published_book_in_force() {
        let old = book("2027-01-01", BookStatus::Published, 1);
        let later_same_day = book("2027-01-01", BookStatus::Published, 2);
        let future = book("2027-03-01", BookStatus::Published, 3);
        let draft = book("2027-02-01", BookStatus::Draft, 4);
        let retired = book("2027-02-10", BookStatus::Retired, 5);
        let list = vec![old.clone(), later_same_day.clone(), future, draft, retired];
        assert_eq!(
            newest_in_force(&list, "2026-11", NOW),
            Some(&later_same_day.id)
        );
        assert_eq!(newest_in_force(&list[..1], "2026-11", NOW), Some(&old.id));
        // A book older than the built-in one never replaces it.
        let stale = book("2025-01-01", BookStatus::Published, 1);
        assert_eq!(newest_in_force(&[stale], "2026-11", NOW), None);
        assert_eq!(newest_in_force(&[], "2026-11", NOW), None);
    }
}
