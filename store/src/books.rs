//! Price books and hardware catalogs the pricing team publishes (spec: PRICE-BOOKS.md).
//!
//! A book is kept as the CSV text it was uploaded as, checked by the server with the
//! model's parser before it is stored, with its name, the day it takes effect, its status,
//! who made it and a note. The text never changes once stored: a correction is a new book.
//! Only the status moves, one way: `draft` → `published` → `retired`, each step a
//! compare-and-set on the status the caller saw, so two people publishing and retiring at
//! once cannot undo each other. Books live in the same database as the scenarios they
//! price, so every server on that database prices with the same books.

use std::fmt;
use std::str::FromStr;

use crate::{StoreError, Timestamp};

/// What a stored book holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BookKind {
    /// Prices (`data/price-books/` format): what a scenario's `pricing.price_book` names.
    Price,
    /// The hardware catalog (`data/catalog/hardware.csv` format).
    Hardware,
}

impl BookKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BookKind::Price => "price",
            BookKind::Hardware => "hardware",
        }
    }

    /// The prefix of this kind's ids, so an id says what it is (`pb-…`, `hw-…`) and never
    /// looks like a built-in book's `YYYY-MM`.
    pub fn prefix(self) -> &'static str {
        match self {
            BookKind::Price => "pb",
            BookKind::Hardware => "hw",
        }
    }
}

impl fmt::Display for BookKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BookKind {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<BookKind, StoreError> {
        match s {
            "price" => Ok(BookKind::Price),
            "hardware" => Ok(BookKind::Hardware),
            other => Err(StoreError::Corrupt(format!("book kind \"{other}\""))),
        }
    }
}

/// Where a book is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BookStatus {
    /// Seen and used only by the pricing team (and admins), to preview.
    Draft,
    /// Seen and used by everyone; immutable.
    Published,
    /// Still prices the scenarios pinned to it; new scenarios cannot pick it.
    Retired,
}

impl BookStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookStatus::Draft => "draft",
            BookStatus::Published => "published",
            BookStatus::Retired => "retired",
        }
    }

    /// The one status this one may move to.
    pub fn next(self) -> Option<BookStatus> {
        match self {
            BookStatus::Draft => Some(BookStatus::Published),
            BookStatus::Published => Some(BookStatus::Retired),
            BookStatus::Retired => None,
        }
    }
}

impl fmt::Display for BookStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BookStatus {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<BookStatus, StoreError> {
        match s {
            "draft" => Ok(BookStatus::Draft),
            "published" => Ok(BookStatus::Published),
            "retired" => Ok(BookStatus::Retired),
            other => Err(StoreError::Corrupt(format!("book status \"{other}\""))),
        }
    }
}

/// A stored book's id: its kind's prefix and 12 random hex digits (`pb-3f9a0c41d2e7`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BookId(String);

impl BookId {
    /// A new random id of `kind`.
    pub fn random(kind: BookKind) -> BookId {
        let hex = uuid::Uuid::new_v4().simple().to_string();
        BookId(format!("{}-{}", kind.prefix(), &hex[..12]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> BookKind {
        if self.0.starts_with("hw-") {
            BookKind::Hardware
        } else {
            BookKind::Price
        }
    }
}

impl fmt::Display for BookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a text is not a stored book's id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a stored book's id (pb- or hw- and 12 hex digits)")]
pub struct BookIdError(pub String);

impl FromStr for BookId {
    type Err = BookIdError;
    fn from_str(s: &str) -> Result<BookId, BookIdError> {
        let ok = match s.split_once('-') {
            Some(("pb" | "hw", hex)) => {
                hex.len() == 12
                    && hex
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            }
            _ => false,
        };
        if ok {
            Ok(BookId(s.to_string()))
        } else {
            Err(BookIdError(s.to_string()))
        }
    }
}

/// What an upload stores: the checked CSV and what describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBook {
    pub kind: BookKind,
    pub name: String,
    /// `YYYY-MM-DD`, checked by the caller.
    pub effective_from: String,
    pub note: String,
    /// The actor who uploaded it (`user:<email>`), as the audit log names them.
    pub made_by: String,
    /// How many rows the CSV holds.
    pub rows: u64,
    pub csv: String,
}

/// A stored book without its text: what a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BookInfo {
    pub id: BookId,
    pub kind: BookKind,
    pub name: String,
    pub effective_from: String,
    pub status: BookStatus,
    pub note: String,
    pub made_by: String,
    pub made_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub retired_at: Option<Timestamp>,
    pub rows: u64,
}

impl BookInfo {
    /// The one step a change of status may take from `from`, if the book is still at
    /// `from`: the status it moves to and the column that dates it. Both stores apply it.
    pub(crate) fn step_from(
        &self,
        from: BookStatus,
    ) -> Result<(BookStatus, &'static str), StoreError> {
        match from.next() {
            Some(to) if self.status == from => Ok((
                to,
                match to {
                    BookStatus::Published => "published_at",
                    _ => "retired_at",
                },
            )),
            _ => Err(StoreError::BookStatus {
                id: self.id.to_string(),
                status: self.status,
                wanted: from,
            }),
        }
    }
}

/// The stored books.
pub trait BookStore: Send + Sync + 'static {
    /// Stores a new book as a draft under a new id.
    fn create_book(&self, book: &NewBook) -> Result<BookInfo, StoreError>;

    /// Every book of `kind`, whatever its status, newest first (by `made_at`).
    fn books(&self, kind: BookKind) -> Result<Vec<BookInfo>, StoreError>;

    /// One book with its CSV text; [`StoreError::NoBook`] when there is none.
    fn book(&self, id: &BookId) -> Result<(BookInfo, String), StoreError>;

    /// Moves a book from `from` to `from.next()`, if it is still at `from`; otherwise
    /// changes nothing and answers [`StoreError::BookStatus`] with the status it has.
    fn advance_book(&self, id: &BookId, from: BookStatus) -> Result<BookInfo, StoreError>;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_say_their_kind_and_are_checked() {
        let id = BookId::random(BookKind::Price);
        assert!(
            id.as_str().starts_with("pb-") && id.as_str().len() == 15,
            "{id}"
        );
        assert_eq!(id.as_str().parse::<BookId>().unwrap(), id);
        assert_eq!(
            BookId::random(BookKind::Hardware).kind(),
            BookKind::Hardware
        );
        for bad in [
            "2026-11",
            "pb-xyz",
            "pb-3F9A0C41D2E7",
            "xx-3f9a0c41d2e7",
            "pb-3f9a0c41d2e7a",
        ] {
            assert!(bad.parse::<BookId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_status_moves_one_way() {
        assert_eq!(BookStatus::Draft.next(), Some(BookStatus::Published));
        assert_eq!(BookStatus::Published.next(), Some(BookStatus::Retired));
        assert_eq!(BookStatus::Retired.next(), None);
        for s in [
            BookStatus::Draft,
            BookStatus::Published,
            BookStatus::Retired,
        ] {
            assert_eq!(s.as_str().parse::<BookStatus>().unwrap(), s);
        }
    }
}
