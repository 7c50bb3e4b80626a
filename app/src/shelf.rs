//! The stored price books the planner prices with in the browser (spec: PRICE-BOOKS.md):
//! the built-in book is compiled in; the books the pricing team published live on the
//! server, so the planner lists them (`GET /api/price-books`, for the picker beside the
//! price-book field) and fetches the one a scenario names (`GET /api/price-books/{id}`),
//! reads it with the model's own checks (`PriceBook::from_cells`) and hands it to the
//! scenario it prices (`Pricing::book`), so the figures, the what-ifs and the exports
//! agree with the server's. Both are kept in local storage for offline use, and dropped on
//! sign-out: price books are confidential.

use std::sync::Arc;

use lakeplan_api::books::BookSummary;
use lakeplan_models::price_book::PriceBook;

/// What the browser knows of the stored books.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    /// The books the server lists for this user (the picker's choices).
    pub listed: Vec<BookSummary>,
    /// The books fetched so far, read and checked.
    pub books: Vec<Arc<PriceBook>>,
}

impl Shelf {
    pub fn book(&self, id: &str) -> Option<&Arc<PriceBook>> {
        self.books.iter().find(|b| b.id() == id)
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

/// The key of the offline copy in local storage.
#[cfg(feature = "hydrate")]
const CACHE_KEY: &str = "lakeplan.price-books";

#[cfg(feature = "hydrate")]
pub mod sync {
    //! Filling the shelf: from the offline copy at start, from the server when signed in.

    use std::sync::Arc;

    use lakeplan_api::books::{BookRows, PriceBooks};
    use lakeplan_api::read::FromJson;
    use lakeplan_models::price_book::PriceBook;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use serde_json::{json, Value};

    use super::{Shelf, CACHE_KEY};
    use crate::account::Viewer;
    use crate::browser::storage;
    use crate::state::Planner;

    /// A book's rows as the API sends them, read and checked by the model.
    pub fn read(rows: &BookRows) -> Option<Arc<PriceBook>> {
        PriceBook::from_cells(&rows.book.id, &rows.book.id, &rows.rows)
            .ok()
            .map(Arc::new)
    }

    /// The offline copy: the shelf, and the rows it was read from (to write it again).
    pub fn cached() -> (Shelf, Vec<BookRows>) {
        let text = storage().and_then(|s| s.get_item(CACHE_KEY).ok().flatten());
        let Some(v) = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) else {
            return (Shelf::default(), Vec::new());
        };
        let listed = v.get("listed").and_then(|l| PriceBooks::from_json(l).ok());
        let rows: Vec<BookRows> = v
            .get("books")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|b| BookRows::from_json(b).ok())
                    .collect()
            })
            .unwrap_or_default();
        let shelf = Shelf {
            listed: listed.map(|l| l.books).unwrap_or_default(),
            books: rows.iter().filter_map(read).collect(),
        };
        (shelf, rows)
    }

    /// Loads the offline copy, then keeps the shelf in step with the server: the list
    /// while signed in, and the book the scenario names when the shelf lacks it.
    pub fn start(planner: Planner, viewer: Viewer) {
        let shelf = planner.books;
        let (cached, cached_rows) = cached();
        // Merged, not replaced: a share link's book may be on the shelf already.
        shelf.update(|s| {
            s.listed = cached.listed;
            for book in cached.books {
                if s.book(book.id()).is_none() {
                    s.books.push(book);
                }
            }
        });
        let rows = RwSignal::new(cached_rows);
        Effect::new(move |_| {
            if viewer.me.with(Option::is_some) {
                spawn_local(async move {
                    if let Ok(list) = crate::api::price_books().await {
                        shelf.update(|s| s.listed = list.books);
                        save(shelf, rows);
                    }
                });
            }
        });
        // The book the scenario names, fetched once when the shelf lacks it.
        let asked = RwSignal::new(Vec::<String>::new());
        Effect::new(move |_| {
            let id = planner.text_of("pricing.price_book");
            let wanted = !id.is_empty()
                && PriceBook::builtin(&id).is_err()
                && shelf.with(|s| s.book(&id).is_none())
                && viewer.me.with(Option::is_some)
                && !asked.with_untracked(|a| a.contains(&id));
            if !wanted {
                return;
            }
            asked.update(|a| a.push(id.clone()));
            spawn_local(async move {
                if let Ok(found) = crate::api::price_book(&id).await {
                    if let Some(book) = read(&found) {
                        shelf.update(|s| s.books.push(book));
                        rows.update(|r| r.push(found));
                        save(shelf, rows);
                    }
                }
            });
        });
    }

    /// Writes the offline copy.
    fn save(shelf: RwSignal<Shelf>, rows: RwSignal<Vec<BookRows>>) {
        let listed =
            shelf.with_untracked(|s| serde_json::to_value(&s.listed).unwrap_or(Value::Null));
        let books = rows.with_untracked(|r| serde_json::to_value(r).unwrap_or(Value::Null));
        let text = json!({ "listed": { "newest": "", "books": listed }, "books": books });
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
