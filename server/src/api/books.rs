//! `GET /api/price-books`: the books this build carries and which is the newest, for a
//! picker and for telling a user their scenario's book is not the newest.

use axum::Json;
use lakeplan_models::price_book::PriceBook;
use lakeplan_models::reprice::newest_book;
use serde::Serialize;

#[derive(Serialize)]
pub struct Books {
    newest: &'static str,
    /// Oldest first.
    books: Vec<&'static str>,
}

pub async fn list() -> Json<Books> {
    Json(Books {
        newest: newest_book(),
        books: PriceBook::ids(),
    })
}
