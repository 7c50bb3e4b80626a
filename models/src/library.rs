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
//! assert_eq!(Builtin.newest(), "2026-12");
//! let text = Builtin.book("2026-11").unwrap().to_csv();
//! let ours = PriceBook::parse("pb-ours", "ours.csv", &text).unwrap();
//! let shelf = Shelf::default().with(Arc::new(ours)).newest_is("pb-ours");
//! assert_eq!(shelf.newest(), "pb-ours");
//! assert!(shelf.book("2026-11").is_ok(), "the built-in books stay on every shelf");
//! let e = shelf.book("pb-theirs").unwrap_err().to_string();
//! assert!(e.ends_with("known here: 2026-11, 2026-12, pb-ours"), "{e}");
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

    /// Every book id this library answers for, sorted.
    fn ids(&self) -> Vec<&str>;

    /// The hardware catalog with this id (built-in `YYYY-MM` or stored `hw-…`);
    /// [`PriceBookError::UnknownBook`] naming the known ones otherwise.
    fn catalog(&self, id: &str) -> Result<&Catalog, PriceBookError> {
        builtin_catalog(id)
    }

    /// The catalog a scenario that names none is matched in and pinned to on saving.
    fn newest_catalog(&self) -> &str {
        Catalog::builtin().map_or("", |c| c.id.as_str())
    }
}

/// The built-in catalog when `id` is its id.
fn builtin_catalog(id: &str) -> Result<&'static Catalog, PriceBookError> {
    let builtin = Catalog::builtin()?;
    if builtin.id == id {
        Ok(builtin)
    } else {
        Err(PriceBookError::UnknownBook {
            id: id.into(),
            known: builtin.id.clone(),
        })
    }
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
    catalogs: BTreeMap<String, Arc<Catalog>>,
    newest_catalog: Option<String>,
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

    /// Adds a stored catalog; as [`Shelf::with`], never in place of the built-in one.
    pub fn with_catalog(mut self, catalog: Arc<Catalog>) -> Shelf {
        if builtin_catalog(&catalog.id).is_err() {
            self.catalogs.insert(catalog.id.clone(), catalog);
        }
        self
    }

    /// Names the catalog new scenarios are matched in; as [`Shelf::newest_is`].
    pub fn newest_catalog_is(mut self, id: &str) -> Shelf {
        if self.catalog(id).is_ok() {
            self.newest_catalog = Some(id.to_string());
        }
        self
    }

    /// Every catalog id on the shelf, sorted.
    pub fn catalog_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.catalogs.keys().map(String::as_str).collect();
        ids.extend(Catalog::builtin().map(|c| c.id.as_str()));
        ids.sort_unstable();
        ids
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

    fn catalog(&self, id: &str) -> Result<&Catalog, PriceBookError> {
        match self.catalogs.get(id) {
            Some(c) => Ok(c),
            None => builtin_catalog(id).map_err(|_| PriceBookError::UnknownBook {
                id: id.into(),
                known: self.catalog_ids().join(", "),
            }),
        }
    }

    fn newest_catalog(&self) -> &str {
        match &self.newest_catalog {
            Some(id) => id,
            None => Builtin.newest_catalog(),
        }
    }
}
