//! `GET /api/price-books`: the books this build carries and which is the newest, for a
//! picker and for telling a user their scenario's book is not the newest.

use axum::Json;
use lakeplan_api::paths;
use lakeplan_api::scenarios::PriceBooks;
use lakeplan_models::price_book::PriceBook;
use lakeplan_models::reprice::newest_book;

/// The price books, oldest first, and the newest.
#[utoipa::path(
    get,
    path = paths::PRICE_BOOKS,
    tag = "meta",
    responses((status = 200, description = "The books.", body = PriceBooks))
)]
pub async fn list() -> Json<PriceBooks> {
    Json(PriceBooks {
        newest: newest_book().to_string(),
        books: PriceBook::ids().into_iter().map(str::to_string).collect(),
    })
}
