//! Hardware catalogs: the same life as price books (spec: PRICE-BOOKS.md, "the hardware
//! catalog follows the same life"), under routes of the same shape. A catalog lists the
//! enclosure and node models a scenario's hardware is matched in (`pricing.catalog`); the
//! book prices them. It prices nothing by itself, so it has no impact route: publishing
//! one changes only the scenarios that name none, and a save pins the one in force.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use lakeplan_api::books::{
    BookDiff, BookMade, BookRows, BookSummary, DiffQuery, PriceBooks, UploadQuery,
};
use lakeplan_api::paths::Sheet;
use lakeplan_api::{paths, ApiError};
use lakeplan_store::BookStatus;

use super::books::{advance, diff_of, export_of, get_of, list_of, upload_of};
use super::error::AppError;
use super::extract::{CsvBody, Params};
use super::ApiState;
use crate::auth::{Caller, ClientAddress};

const SHEET: Sheet = Sheet::Catalog;

/// The catalogs the caller may see, stored ones newest first, then the built-in one, and
/// the one a scenario naming none is matched in (`newest`).
#[utoipa::path(
    get,
    path = paths::CATALOGS,
    tag = "books",
    responses((status = 200, description = "The catalogs, in the shape of the price-book list.", body = PriceBooks))
)]
pub async fn list(State(s): State<ApiState>, caller: Caller) -> Result<Json<PriceBooks>, AppError> {
    list_of(&s, &caller, SHEET).await
}

/// Stores a CSV file as a draft catalog (`pricing`). Every problem comes back at once, each
/// with its line, column and value; nothing is stored then.
#[utoipa::path(
    post,
    path = paths::CATALOGS,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(UploadQuery),
    request_body(content = String, content_type = "text/csv", description = "The catalog in the format of data/catalog/hardware.csv."),
    responses(
        (status = 201, description = "Stored as a draft.", body = BookMade),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 415, description = "The body is not sent as text/csv.", body = ApiError),
        (status = 400, description = "The body is not UTF-8 text.", body = ApiError),
        (status = 422, description = "The file has problems (`errors`), or a field is missing or out of range (`fields`).", body = ApiError)
    )
)]
pub async fn upload(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    params: Params,
    CsvBody(text): CsvBody,
) -> Result<(StatusCode, Json<BookMade>), AppError> {
    upload_of(&s, &address, &caller, &params, text, SHEET).await
}

/// One catalog with its rows (enclosures, then nodes).
#[utoipa::path(
    get,
    path = paths::CATALOG,
    tag = "books",
    params(("id" = String, Path, description = "The built-in catalog's YYYY-MM or a stored catalog's id.")),
    responses(
        (status = 200, description = "The catalog.", body = BookRows),
        (status = 404, description = "No catalog the caller may see has this id.", body = ApiError)
    )
)]
pub async fn get(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookRows>, AppError> {
    get_of(&s, &caller, &id, SHEET).await
}

/// One catalog as its CSV file: a stored one exactly as uploaded.
#[utoipa::path(
    get,
    path = paths::CATALOG_CSV,
    tag = "books",
    params(("id" = String, Path, description = "The built-in catalog's YYYY-MM or a stored catalog's id.")),
    responses(
        (status = 200, description = "The CSV file.", content_type = "text/csv", body = String),
        (status = 404, description = "No catalog the caller may see has this id.", body = ApiError)
    )
)]
pub async fn export_csv(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    export_of(&s, &caller, &id, SHEET).await
}

/// Publishes a draft catalog (`pricing`).
#[utoipa::path(
    post,
    path = paths::CATALOG_PUBLISH,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "A stored catalog's id.")),
    responses(
        (status = 200, description = "Published.", body = BookSummary),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 404, description = "No stored catalog has this id.", body = ApiError),
        (status = 409, description = "The catalog is not a draft.", body = ApiError)
    )
)]
pub async fn publish(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookSummary>, AppError> {
    let at = (SHEET, id.as_str());
    advance(
        &s,
        &address,
        &caller,
        at,
        BookStatus::Draft,
        "catalog.publish",
    )
    .await
}

/// Retires a published catalog (`pricing`): the scenarios pinned to it keep it.
#[utoipa::path(
    post,
    path = paths::CATALOG_RETIRE,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "A stored catalog's id.")),
    responses(
        (status = 200, description = "Retired.", body = BookSummary),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 404, description = "No stored catalog has this id.", body = ApiError),
        (status = 409, description = "The catalog is not published.", body = ApiError)
    )
)]
pub async fn retire(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookSummary>, AppError> {
    let at = (SHEET, id.as_str());
    advance(
        &s,
        &address,
        &caller,
        at,
        BookStatus::Published,
        "catalog.retire",
    )
    .await
}

/// What differs between two catalogs the caller may see.
#[utoipa::path(
    get,
    path = paths::CATALOG_DIFF,
    tag = "books",
    params(DiffQuery),
    responses(
        (status = 200, description = "The differences.", body = BookDiff),
        (status = 400, description = "`from` or `to` is missing.", body = ApiError),
        (status = 404, description = "No catalog the caller may see has one of the ids.", body = ApiError)
    )
)]
pub async fn diff(
    State(s): State<ApiState>,
    caller: Caller,
    Query(q): Query<DiffQuery>,
) -> Result<Json<BookDiff>, AppError> {
    diff_of(&s, &caller, &q, SHEET).await
}
