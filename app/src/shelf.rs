//! The stored price books the planner prices with in the browser (spec: PRICE-BOOKS.md):
//! the built-in book is compiled in; the books the pricing team published live on the
//! server, so the planner lists them (`GET /api/price-books`, for the picker beside the
//! price-book field) and fetches the one a scenario names (`GET /api/price-books/{id}`),
//! reads it with the model's own checks (`PriceBook::from_cells`) and hands it to the
//! scenario it prices (`Pricing::book`), so the figures, the what-ifs and the exports
//! agree with the server's. Hardware catalogs go the same way (`/api/hardware-catalogs`,
//! `Catalog::from_cells`, `Pricing::attached_catalog`), the newest one in force included
//! when a scenario names none. All of it is kept in local storage for offline use, and
//! dropped on sign-out: price books are confidential.

use std::sync::Arc;

use lakeplan_api::books::{BookRows, BookSummary};
use lakeplan_models::price_book::{Catalog, PriceBook};

/// What the browser knows of the stored books and catalogs.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    /// The books the server lists for this user (the picker's choices).
    pub listed: Vec<BookSummary>,
    /// The books fetched so far, read and checked.
    pub books: Vec<Shelved<PriceBook>>,
    /// The catalogs the server lists, and the one a scenario naming none is matched in.
    pub catalogs_listed: Vec<BookSummary>,
    pub newest_catalog: String,
    /// The catalogs fetched so far, read and checked.
    pub catalogs: Vec<Shelved<Catalog>>,
}

/// The part of a [`Shelf`] the figures read: the books and catalogs read so far (compared
/// by identity: one read again is another) and the newest catalog when it is one of them
/// (a scenario naming no catalog is matched in it; one not fetched yet matches nothing, as
/// no name does). The lists the pickers show are not in it, so the lists arriving after
/// sign-in do not compute the figures and draw the charts again (a long task on a slow
/// phone's first load).
#[derive(Debug, Clone)]
pub struct PricedFrom {
    books: Vec<Arc<PriceBook>>,
    catalogs: Vec<Arc<Catalog>>,
    newest_catalog: Option<Arc<Catalog>>,
}

impl PartialEq for PricedFrom {
    fn eq(&self, other: &Self) -> bool {
        fn same<T>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
        }
        same(&self.books, &other.books)
            && same(&self.catalogs, &other.catalogs)
            && match (&self.newest_catalog, &other.newest_catalog) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// A book or catalog as read, with the rows it was read from: what another thread (the
/// Monte Carlo's worker) is given to read the very same book.
#[derive(Debug, Clone)]
pub struct Shelved<T> {
    pub parsed: Arc<T>,
    pub rows: Arc<BookRows>,
}

impl Shelf {
    pub fn book(&self, id: &str) -> Option<&Arc<PriceBook>> {
        self.shelved_book(id).map(|b| &b.parsed)
    }

    pub fn catalog(&self, id: &str) -> Option<&Arc<Catalog>> {
        self.shelved_catalog(id).map(|c| &c.parsed)
    }

    pub fn shelved_book(&self, id: &str) -> Option<&Shelved<PriceBook>> {
        self.books.iter().find(|b| b.parsed.id() == id)
    }

    pub fn shelved_catalog(&self, id: &str) -> Option<&Shelved<Catalog>> {
        self.catalogs.iter().find(|c| c.parsed.id == id)
    }

    /// What of the shelf the figures are computed from ([`crate::state::compute`]).
    pub fn priced_from(&self) -> PricedFrom {
        PricedFrom {
            books: self.books.iter().map(|b| b.parsed.clone()).collect(),
            catalogs: self.catalogs.iter().map(|c| c.parsed.clone()).collect(),
            newest_catalog: self.catalog(&self.newest_catalog).cloned(),
        }
    }

    /// A shelf of the given rows only (the worker's), read with the same checks.
    pub fn of_rows(book: Option<BookRows>, catalog: Option<BookRows>) -> Shelf {
        Shelf {
            books: book.and_then(|r| read_book(&r)).into_iter().collect(),
            catalogs: catalog.and_then(|r| read_catalog(&r)).into_iter().collect(),
            ..Shelf::default()
        }
    }

    /// The catalog a scenario naming `named` is matched in: that one, or the newest in
    /// force when it names none (empty when the server listed none: the built-in one).
    pub fn catalog_for<'a>(&'a self, named: &'a str) -> &'a str {
        if named.is_empty() {
            &self.newest_catalog
        } else {
            named
        }
    }

    pub fn summary(&self, id: &str) -> Option<&BookSummary> {
        self.listed.iter().find(|b| b.id == id)
    }

    /// How the page names a report's book beside its costs: "Q1 2027 (pb-…, from
    /// 2027-01-01, published)" for a stored book the server listed, "the built-in book
    /// 2026-11" for a compiled-in one, the id otherwise.
    pub fn describe(&self, id: &str) -> String {
        match self.summary(id) {
            Some(b) if !b.built_in => {
                format!("{} ({id}, from {}, {})", b.name, b.effective_from, b.status)
            }
            _ if PriceBook::builtin(id).is_ok() => format!("the built-in book {id}"),
            _ => id.to_string(),
        }
    }
}

/// A book's rows as the API sends them, read and checked by the model.
pub fn read_book(rows: &BookRows) -> Option<Shelved<PriceBook>> {
    PriceBook::from_cells(&rows.book.id, &rows.book.id, &rows.rows)
        .ok()
        .map(|b| Shelved {
            parsed: Arc::new(b),
            rows: Arc::new(rows.clone()),
        })
}

/// A catalog's rows as the API sends them, read and checked by the model.
pub fn read_catalog(rows: &BookRows) -> Option<Shelved<Catalog>> {
    Catalog::from_cells(&rows.book.id, &rows.book.id, &rows.rows)
        .ok()
        .map(|c| Shelved {
            parsed: Arc::new(c),
            rows: Arc::new(rows.clone()),
        })
}

/// The key of the offline copy in local storage.
#[cfg(feature = "hydrate")]
const CACHE_KEY: &str = "lakeplan.price-books";

#[cfg(feature = "hydrate")]
pub mod sync {
    //! Filling the shelf: from the offline copy at start, from the server when signed in.

    use lakeplan_api::books::{BookRows, PriceBooks};
    use lakeplan_api::paths::Sheet;
    use lakeplan_api::read::FromJson;
    use lakeplan_models::price_book::{Catalog, PriceBook};
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use serde_json::{json, Value};

    use super::{Shelf, CACHE_KEY};
    use crate::account::Viewer;
    use crate::browser::storage;
    use crate::state::Planner;

    use super::{read_book, read_catalog};

    /// The rows the offline copy was read from (to write it again).
    #[derive(Default)]
    pub struct Rows {
        books: Vec<BookRows>,
        catalogs: Vec<BookRows>,
    }

    fn rows_of(v: &Value, key: &str) -> Vec<BookRows> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|b| BookRows::from_json(b).ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The offline copy: the shelf, and the rows it was read from.
    pub fn cached() -> (Shelf, Rows) {
        let text = storage().and_then(|s| s.get_item(CACHE_KEY).ok().flatten());
        let Some(v) = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) else {
            return (Shelf::default(), Rows::default());
        };
        let list = |key: &str| v.get(key).and_then(|l| PriceBooks::from_json(l).ok());
        let listed = list("listed");
        let catalogs_listed = list("catalogs_listed");
        let rows = Rows {
            books: rows_of(&v, "books"),
            catalogs: rows_of(&v, "catalogs"),
        };
        let shelf = Shelf {
            listed: listed.map(|l| l.books).unwrap_or_default(),
            books: rows.books.iter().filter_map(read_book).collect(),
            newest_catalog: catalogs_listed
                .as_ref()
                .map(|l| l.newest.clone())
                .unwrap_or_default(),
            catalogs_listed: catalogs_listed.map(|l| l.books).unwrap_or_default(),
            catalogs: rows.catalogs.iter().filter_map(read_catalog).collect(),
        };
        (shelf, rows)
    }

    /// Loads the offline copy, then keeps the shelf in step with the server: the lists
    /// while signed in, and the book and catalog the scenario names when the shelf lacks
    /// them.
    pub fn start(planner: Planner, viewer: Viewer) {
        let shelf = planner.books;
        let (cached, cached_rows) = cached();
        // Merged, not replaced: a share link's book may be on the shelf already. Only a
        // change notifies: the figures are computed again from a changed shelf, and on
        // first load (nothing cached) that would draw every chart again right after
        // hydrating them, a long task on a slow phone.
        shelf.maybe_update(|s| {
            let mut changed = false;
            if s.listed != cached.listed {
                s.listed = cached.listed;
                changed = true;
            }
            if s.catalogs_listed != cached.catalogs_listed {
                s.catalogs_listed = cached.catalogs_listed;
                changed = true;
            }
            if s.newest_catalog != cached.newest_catalog {
                s.newest_catalog = cached.newest_catalog;
                changed = true;
            }
            for book in cached.books {
                if s.book(book.parsed.id()).is_none() {
                    s.books.push(book);
                    changed = true;
                }
            }
            for catalog in cached.catalogs {
                if s.catalog(&catalog.parsed.id).is_none() {
                    s.catalogs.push(catalog);
                    changed = true;
                }
            }
            changed
        });
        let rows = StoredValue::new(cached_rows);
        Effect::new(move |_| {
            if viewer.me.with(Option::is_some) {
                spawn_local(async move {
                    if let Ok(list) = crate::api::sheets(Sheet::PriceBook).await {
                        shelf.update(|s| s.listed = list.books);
                    }
                    if let Ok(list) = crate::api::sheets(Sheet::Catalog).await {
                        shelf.update(|s| {
                            s.newest_catalog = list.newest;
                            s.catalogs_listed = list.books;
                        });
                    }
                    save(shelf, rows);
                });
            }
        });
        // The book and the catalog the scenario names, each fetched once when missing.
        let asked = StoredValue::new(Vec::<String>::new());
        Effect::new(move |_| {
            let book = planner.text_of("pricing.price_book");
            let named = planner.text_of("pricing.catalog");
            let catalog = shelf.with(|s| s.catalog_for(&named).to_string());
            let signed_in = viewer.me.with(Option::is_some);
            let missing_book =
                PriceBook::builtin(&book).is_err() && shelf.with(|s| s.book(&book).is_none());
            let missing_catalog = Catalog::builtin().is_ok_and(|c| c.id != catalog)
                && shelf.with(|s| s.catalog(&catalog).is_none());
            for (sheet, id, missing) in [
                (Sheet::PriceBook, book, missing_book),
                (Sheet::Catalog, catalog, missing_catalog),
            ] {
                let wanted = missing
                    && signed_in
                    && !id.is_empty()
                    && !asked.with_value(|a| a.contains(&id));
                if wanted {
                    asked.update_value(|a| a.push(id.clone()));
                    fetch(shelf, rows, sheet, id);
                }
            }
        });
    }

    /// Fetches one book or catalog onto the shelf and into the offline copy.
    fn fetch(shelf: RwSignal<Shelf>, rows: StoredValue<Rows>, sheet: Sheet, id: String) {
        spawn_local(async move {
            let Ok(found) = crate::api::sheet(sheet, &id).await else {
                return;
            };
            match sheet {
                Sheet::PriceBook => {
                    if let Some(book) = read_book(&found) {
                        shelf.update(|s| s.books.push(book));
                        rows.update_value(|r| r.books.push(found));
                    }
                }
                Sheet::Catalog => {
                    if let Some(catalog) = read_catalog(&found) {
                        shelf.update(|s| s.catalogs.push(catalog));
                        rows.update_value(|r| r.catalogs.push(found));
                    }
                }
            }
            save(shelf, rows);
        });
    }

    /// The offline shelf with every stored book and catalog `docs` name fetched onto it
    /// (for this view only): what the compare page prices several saved scenarios with.
    pub async fn for_docs(docs: &[Value]) -> Shelf {
        let mut shelf = cached().0;
        for doc in docs {
            let named = |key: &str| {
                doc.get("pricing")
                    .and_then(|p| p.get(key))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let (book, catalog) = (named("price_book"), named("catalog"));
            if book.starts_with("pb-") && shelf.book(&book).is_none() {
                let found = crate::api::sheet(Sheet::PriceBook, &book).await;
                if let Some(b) = found.ok().as_ref().and_then(read_book) {
                    shelf.books.push(b);
                }
            }
            if catalog.starts_with("hw-") && shelf.catalog(&catalog).is_none() {
                let found = crate::api::sheet(Sheet::Catalog, &catalog).await;
                if let Some(c) = found.ok().as_ref().and_then(read_catalog) {
                    shelf.catalogs.push(c);
                }
            }
        }
        shelf
    }

    /// Writes the offline copy.
    fn save(shelf: RwSignal<Shelf>, rows: StoredValue<Rows>) {
        let (listed, catalogs_listed, newest_catalog) = shelf.with_untracked(|s| {
            (
                serde_json::to_value(&s.listed).unwrap_or(Value::Null),
                serde_json::to_value(&s.catalogs_listed).unwrap_or(Value::Null),
                s.newest_catalog.clone(),
            )
        });
        let (books, catalogs) = rows.with_value(|r| {
            (
                serde_json::to_value(&r.books).unwrap_or(Value::Null),
                serde_json::to_value(&r.catalogs).unwrap_or(Value::Null),
            )
        });
        let text = json!({
            "listed": { "newest": "", "books": listed },
            "catalogs_listed": { "newest": newest_catalog, "books": catalogs_listed },
            "books": books,
            "catalogs": catalogs,
        });
        if let Some(s) = storage() {
            let _ = s.set_item(CACHE_KEY, &text.to_string());
        }
    }

    /// Drops the offline copy (on sign-out: the books are confidential).
    pub fn forget() {
        if let Some(s) = storage() {
            let _ = s.remove_item(CACHE_KEY);
        }
    }
}
