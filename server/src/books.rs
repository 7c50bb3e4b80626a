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
use lakeplan_models::calendar::Date;
use lakeplan_models::field::FieldError;
use lakeplan_models::library::{Builtin, Library, Shelf};
use lakeplan_models::price_book::PriceBook;
use lakeplan_store::{BookId, BookInfo, BookKind, BookStatus, NewBook, Role, Timestamp};

use crate::api::{AppError, Storage};
use crate::auth::Caller;

/// The longest book name and note.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_NOTE_CHARS: usize = 2000;

/// Checks an uploaded book and what describes it, for the API and `lakeplan books import`
/// alike: the name (1 to 80 characters), the day it takes effect (`YYYY-MM-DD`), the note
/// (up to 2 000), then every problem of the file at once (`file` names it) and the rows
/// the model needs that it lacks (every row of the newest built-in book). On success, the
/// book as the store keeps it, by `made_by`.
pub fn check_upload(
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
    let book = PriceBook::check("upload", file, &text).map_err(|errors| AppError::InvalidBook {
        errors: problems(&errors),
    })?;
    let model = Builtin
        .book(Builtin.newest())
        .map_err(|e| AppError::Internal(format!("the built-in book does not read: {e}")))?;
    let missing = book.missing(file, model);
    if !missing.is_empty() {
        return Err(AppError::InvalidBook {
            errors: problems(&missing),
        });
    }
    Ok(NewBook {
        kind: BookKind::Price,
        name: name.to_string(),
        effective_from: date.map(|d| d.to_string()).unwrap_or_default(),
        note: note.trim().to_string(),
        made_by,
        rows: book.rows().len() as u64,
        csv: text,
    })
}

/// The parsed stored books, by id.
#[derive(Default)]
pub struct Books {
    parsed: Mutex<HashMap<BookId, Arc<PriceBook>>>,
}

/// The books one caller may use.
pub struct Visible {
    pub shelf: Shelf,
    /// The stored books on the shelf, newest first.
    pub stored: Vec<BookInfo>,
}

impl Books {
    /// The books `caller` may use, as of `now`.
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
            });
        };
        let drafts = signed.user.can_anywhere(Role::Pricing);
        let stored: Vec<BookInfo> = storage
            .call(|st| st.books(BookKind::Price))
            .await?
            .into_iter()
            .filter(|b| drafts || b.status != BookStatus::Draft)
            .collect();
        let mut shelf = Shelf::default();
        let mut readable = Vec::with_capacity(stored.len());
        for info in stored {
            // A stored book that no longer reads (a later build checks more) is left off
            // the shelf and logged, so it fails only the scenarios that name it.
            match self.parsed(storage, &info.id).await {
                Ok(book) => {
                    shelf = shelf.with(book);
                    readable.push(info);
                }
                Err(AppError::Internal(reason)) => tracing::error!("{reason}"),
                Err(other) => return Err(other),
            }
        }
        let stored = readable;
        if let Some(id) = newest_in_force(&stored, now) {
            shelf = shelf.newest_is(id.as_str());
        }
        Ok(Visible { shelf, stored })
    }

    /// A stored book, parsed (once per server: its text never changes).
    pub async fn parsed(&self, storage: &Storage, id: &BookId) -> Result<Arc<PriceBook>, AppError> {
        if let Some(book) = self.lock().get(id) {
            return Ok(book.clone());
        }
        let key = id.clone();
        let (_, csv) = storage.call(move |st| st.book(&key)).await?;
        let book =
            PriceBook::parse(id.as_str(), &format!("price book {id}"), &csv).map_err(|e| {
                AppError::Internal(format!("stored price book {id} does not read: {e}"))
            })?;
        let book = Arc::new(book);
        self.lock().insert(id.clone(), book.clone());
        Ok(book)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BookId, Arc<PriceBook>>> {
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Visible {
    /// The stored book `id`, when the caller may see it.
    pub fn stored(&self, id: &str) -> Option<&BookInfo> {
        self.stored.iter().find(|b| b.id.as_str() == id)
    }

    /// Whether a scenario may be saved naming `book`: never a draft (a team's engineers
    /// could not price it), a retired book only by a scenario already pinned to it (`was`),
    /// so new scenarios cannot pick it. 422 naming `pricing.price_book` otherwise.
    pub fn may_pick(&self, book: &str, was: Option<&str>) -> Result<(), AppError> {
        match self.stored(book) {
            Some(b) if b.status == BookStatus::Draft => Err(AppError::invalid(
                "pricing.price_book",
                format!(
                    "price book {book} ({}) is a draft: preview with it, but publish it before \
                     saving scenarios priced with it",
                    b.name
                ),
            )),
            Some(b) if b.status == BookStatus::Retired && was != Some(book) => {
                Err(AppError::invalid(
                    "pricing.price_book",
                    format!(
                        "price book {book} ({}) is retired: it prices the scenarios pinned to \
                         it, but new ones must use a book in force (the newest is {})",
                        b.name,
                        self.shelf.newest()
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// The published book in force on `now`'s day with the latest `effective_from`, if it is
/// later than the newest built-in book's month.
fn newest_in_force(stored: &[BookInfo], now: Timestamp) -> Option<&BookId> {
    let today = now.to_string();
    let today = today.get(..10).unwrap_or_default();
    let builtin = format!("{}-01", Builtin.newest());
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
        assert_eq!(newest_in_force(&list, NOW), Some(&later_same_day.id));
        assert_eq!(newest_in_force(&list[..1], NOW), Some(&old.id));
        // A book older than the built-in one never replaces it.
        let stale = book("2025-01-01", BookStatus::Published, 1);
        assert_eq!(newest_in_force(&[stale], NOW), None);
        assert_eq!(newest_in_force(&[], NOW), None);
    }
}
