//! Where a scenario's price book and the hardware catalog come from.
//!
//! The compiled-in books are the embedded default: a fresh install and the browser offline
//! always have one ([`Builtin`]). A server also prices with the books its pricing team
//! published (and, for the pricing team, their drafts), which live in its database; the
//! browser with the published books it fetched. Both are a [`Shelf`]: the built-in books
//! plus the stored ones a caller may use. The model never asks where a book came from, so
//! a figure priced by the server, the CLI or the browser with the same book is the same
//! figure.
//!
//! ```
//! use std::sync::Arc;
//! use lakeplan_models::library::{Builtin, Library, Shelf};
//! use lakeplan_models::price_book::PriceBook;
//!
//! assert_eq!(Builtin.newest(), "2026-11");
//! let text = Builtin.book("2026-11").unwrap().to_csv();
//! let ours = PriceBook::parse("pb-ours", "ours.csv", &text).unwrap();
//! let shelf = Shelf::default().with(Arc::new(ours)).newest_is("pb-ours");
//! assert_eq!(shelf.newest(), "pb-ours");
//! assert!(shelf.book("2026-11").is_ok(), "the built-in books stay on every shelf");
//! let e = shelf.book("pb-theirs").unwrap_err().to_string();
//! assert!(e.ends_with("known here: 2026-11, pb-ours"), "{e}");
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::price_book::{Catalog, PriceBook, PriceBookError};

/// The books (and the catalog) a scenario may be priced with.
pub trait Library {
    /// The book with this id; [`PriceBookError::UnknownBook`] naming the known ones
    /// otherwise.
    fn book(&self, id: &str) -> Result<&PriceBook, PriceBookError>;

    /// The book a scenario that names none is priced with and pinned to on saving, and
    /// what re-pricing moves a scenario to.
    fn newest(&self) -> &str;

    /// The hardware the cluster sizing chooses from.
    fn catalog(&self) -> Result<&Catalog, PriceBookError> {
        Catalog::builtin()
    }

    /// Every book id this library answers for, sorted.
    fn ids(&self) -> Vec<&str>;
}

/// The books compiled into this build, and nothing else.
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin;

impl Library for Builtin {
    fn book(&self, id: &str) -> Result<&PriceBook, PriceBookError> {
        PriceBook::builtin(id)
    }

    /// The greatest id: built-in ids are `YYYY-MM` dates.
    fn newest(&self) -> &str {
        PriceBook::ids().into_iter().max().unwrap_or_default()
    }

    fn ids(&self) -> Vec<&str> {
        let mut ids = PriceBook::ids();
        ids.sort_unstable();
        ids
    }
}

/// The built-in books plus stored ones, with the newest chosen by whoever filled the
/// shelf (a server: the newest published book in force; see `server::books`).
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    stored: BTreeMap<String, Arc<PriceBook>>,
    newest: Option<String>,
}

impl Shelf {
    /// Adds a stored book. Its id must not be a built-in one: a stored book never
    /// replaces the embedded default (the store gives stored books ids of their own).
    pub fn with(mut self, book: Arc<PriceBook>) -> Shelf {
        if PriceBook::builtin(book.id()).is_err() {
            self.stored.insert(book.id().to_string(), book);
        }
        self
    }

    /// Names the book new scenarios are priced with. An id the shelf does not hold is
    /// ignored (the built-in newest stays), so a shelf never points at a missing book.
    pub fn newest_is(mut self, id: &str) -> Shelf {
        if self.book(id).is_ok() {
            self.newest = Some(id.to_string());
        }
        self
    }

    /// The stored books on the shelf.
    pub fn stored(&self) -> impl Iterator<Item = &PriceBook> {
        self.stored.values().map(Arc::as_ref)
    }
}

impl Library for Shelf {
    fn book(&self, id: &str) -> Result<&PriceBook, PriceBookError> {
        match self.stored.get(id) {
            Some(book) => Ok(book),
            None => PriceBook::builtin(id).map_err(|_| PriceBookError::UnknownBook {
                id: id.into(),
                known: self.ids().join(", "),
            }),
        }
    }

    fn newest(&self) -> &str {
        self.newest.as_deref().unwrap_or_else(|| Builtin.newest())
    }

    fn ids(&self) -> Vec<&str> {
        let mut ids = Builtin.ids();
        ids.extend(self.stored.keys().map(String::as_str));
        ids.sort_unstable();
        ids
    }
}
