//! Price books (spec: PRICE-BOOKS.md): the list a picker shows, the pricing team's upload
//! (every problem of the file at once, nothing stored when any row is wrong), a book's
//! rows and its CSV, publishing and retiring, the diff between two books, and the impact of
//! a book on every saved scenario.
//!
//! Who sees what is `crate::books`: the built-in books for everyone, published and retired
//! ones for the signed-in, drafts for `pricing` and `admin`. A book the caller may not see
//! answers 404, as if it did not exist.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lakeplan_api::books::{
    book_row, cells_row, BookDiff, BookMade, BookRows, BookSummary, DiffQuery, Impact, ImpactRow,
    LineMove, PriceBooks, UploadQuery,
};
use lakeplan_api::paths::Sheet;
use lakeplan_api::{paths, ApiError};
use lakeplan_models::impact::effect;
use lakeplan_models::library::{Builtin, Library};
use lakeplan_models::price_book::{diff as book_diff, diff_catalogs, Catalog, PriceBook};
use lakeplan_models::scenario::Scenario;
use lakeplan_store::{BookId, BookInfo, BookStatus, Role};

use super::error::AppError;
use super::extract::{CsvBody, Params};
use super::ApiState;
use crate::auth::{audit, Caller, ClientAddress};
use crate::books::{check_upload, kind_of, Visible};

/// The books the caller may see, stored ones newest first, then the built-in ones.
#[utoipa::path(
    get,
    path = paths::PRICE_BOOKS,
    tag = "books",
    responses((status = 200, description = "The books.", body = PriceBooks))
)]
pub async fn list(State(s): State<ApiState>, caller: Caller) -> Result<Json<PriceBooks>, AppError> {
    list_of(&s, &caller, Sheet::PriceBook).await
}

pub(super) async fn list_of(
    s: &ApiState,
    caller: &Caller,
    sheet: Sheet,
) -> Result<Json<PriceBooks>, AppError> {
    let visible = s.shelf(caller).await?;
    let (stored, builtin, newest) = match sheet {
        Sheet::PriceBook => (&visible.stored, Builtin.ids(), visible.shelf.newest()),
        Sheet::Catalog => (
            &visible.catalogs,
            vec![Builtin.newest_catalog()],
            visible.shelf.newest_catalog(),
        ),
    };
    let mut books: Vec<BookSummary> = stored.iter().map(stored_summary).collect();
    books.extend(
        builtin
            .into_iter()
            .rev()
            .map(|id| builtin_summary(sheet, id)),
    );
    Ok(Json(PriceBooks {
        newest: newest.to_string(),
        books,
    }))
}

/// Stores a CSV file as a draft book (`pricing`). Every problem comes back at once, each
/// with its line (the header is line 1), column and value; nothing is stored then.
#[utoipa::path(
    post,
    path = paths::PRICE_BOOKS,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(UploadQuery),
    request_body(content = String, content_type = "text/csv", description = "The book in the format of data/price-books/."),
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
    upload_of(&s, &address, &caller, &params, text, Sheet::PriceBook).await
}

pub(super) async fn upload_of(
    s: &ApiState,
    address: &str,
    caller: &Caller,
    params: &Params,
    text: String,
    sheet: Sheet,
) -> Result<(StatusCode, Json<BookMade>), AppError> {
    // The query is read after the role check (a missing field is a 422 naming it), so a
    // caller without the role learns nothing else.
    caller.signed()?.must_be(Role::Pricing)?;
    let field = |name: &str| params.get(name).unwrap_or_default();
    let new = check_upload(
        sheet,
        field("name"),
        field("effective_from"),
        field("note"),
        caller.actor(),
        "the uploaded file",
        text,
    )?;
    let made = s.storage.call(move |st| st.create_book(&new)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        address,
        "book.upload",
        format!("book:{} ({})", made.id, made.name),
        audit::OK,
    )
    .await;
    Ok((
        StatusCode::CREATED,
        Json(BookMade {
            id: made.id.to_string(),
            status: made.status.to_string(),
            rows: made.rows,
        }),
    ))
}

/// One book with its rows, in file order.
#[utoipa::path(
    get,
    path = paths::PRICE_BOOK,
    tag = "books",
    params(("id" = String, Path, description = "A built-in book's YYYY-MM or a stored book's id.")),
    responses(
        (status = 200, description = "The book.", body = BookRows),
        (status = 404, description = "No book the caller may see has this id.", body = ApiError)
    )
)]
pub async fn get(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookRows>, AppError> {
    get_of(&s, &caller, &id, Sheet::PriceBook).await
}

pub(super) async fn get_of(
    s: &ApiState,
    caller: &Caller,
    id: &str,
    sheet: Sheet,
) -> Result<Json<BookRows>, AppError> {
    let visible = s.shelf(caller).await?;
    let (found, summary) = find(&visible, sheet, id)?;
    let rows = match found {
        Found::Book(book) => book.rows().iter().map(book_row).collect(),
        Found::Catalog(c) => c.rows_cells().iter().map(|r| cells_row(r)).collect(),
    };
    Ok(Json(BookRows {
        book: summary,
        rows,
    }))
}

/// One book as its CSV file: a stored book exactly as uploaded, a built-in one as the
/// model reads it.
#[utoipa::path(
    get,
    path = paths::PRICE_BOOK_CSV,
    tag = "books",
    params(("id" = String, Path, description = "A built-in book's YYYY-MM or a stored book's id.")),
    responses(
        (status = 200, description = "The CSV file.", content_type = "text/csv", body = String),
        (status = 404, description = "No book the caller may see has this id.", body = ApiError)
    )
)]
pub async fn export_csv(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    export_of(&s, &caller, &id, Sheet::PriceBook).await
}

pub(super) async fn export_of(
    s: &ApiState,
    caller: &Caller,
    id: &str,
    sheet: Sheet,
) -> Result<Response, AppError> {
    let visible = s.shelf(caller).await?;
    let (found, _) = find(&visible, sheet, id)?;
    let text = match visible.stored_sheet(sheet, id) {
        Some(info) => {
            let key = info.id.clone();
            s.storage.call(move |st| st.book(&key)).await?.1
        }
        None => match found {
            Found::Book(book) => book.to_csv(),
            Found::Catalog(c) => c.to_csv(),
        },
    };
    let stem = sheet.noun().replace(' ', "-");
    let disposition = format!("attachment; filename=\"{stem}-{id}.csv\"");
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        text,
    )
        .into_response())
}

/// Publishes a draft (`pricing`): from now on everyone sees it, and from its
/// `effective_from` it prices new scenarios if it is the latest in force.
#[utoipa::path(
    post,
    path = paths::PRICE_BOOK_PUBLISH,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "A stored book's id.")),
    responses(
        (status = 200, description = "Published.", body = BookSummary),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 404, description = "No stored book has this id.", body = ApiError),
        (status = 409, description = "The book is not a draft.", body = ApiError)
    )
)]
pub async fn publish(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookSummary>, AppError> {
    advance(
        &s,
        &address,
        &caller,
        (Sheet::PriceBook, &id),
        BookStatus::Draft,
        "book.publish",
    )
    .await
}

/// Retires a published book (`pricing`): it keeps pricing the scenarios pinned to it, but
/// new scenarios cannot pick it.
#[utoipa::path(
    post,
    path = paths::PRICE_BOOK_RETIRE,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "A stored book's id.")),
    responses(
        (status = 200, description = "Retired.", body = BookSummary),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 404, description = "No stored book has this id.", body = ApiError),
        (status = 409, description = "The book is not published.", body = ApiError)
    )
)]
pub async fn retire(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<BookSummary>, AppError> {
    advance(
        &s,
        &address,
        &caller,
        (Sheet::PriceBook, &id),
        BookStatus::Published,
        "book.retire",
    )
    .await
}

/// Moves a stored book or catalog `(sheet, id)` on from status `from` (`pricing`).
pub(super) async fn advance(
    s: &ApiState,
    address: &str,
    caller: &Caller,
    (sheet, id): (Sheet, &str),
    from: BookStatus,
    action: &str,
) -> Result<Json<BookSummary>, AppError> {
    caller.signed()?.must_be(Role::Pricing)?;
    let key = stored_id(sheet, id)?;
    let outcome = s.storage.call(move |st| st.advance_book(&key, from)).await;
    let ok = if outcome.is_ok() {
        audit::OK
    } else {
        audit::FAILED
    };
    audit::record(
        &s.storage,
        caller.actor(),
        address,
        action,
        format!("book:{id}"),
        ok,
    )
    .await;
    Ok(Json(stored_summary(&outcome?)))
}

/// What differs between two books the caller may see: the cells of rows both have, and
/// the rows only one has.
#[utoipa::path(
    get,
    path = paths::PRICE_BOOK_DIFF,
    tag = "books",
    params(DiffQuery),
    responses(
        (status = 200, description = "The differences.", body = BookDiff),
        (status = 400, description = "`from` or `to` is missing.", body = ApiError),
        (status = 404, description = "No book the caller may see has one of the ids.", body = ApiError)
    )
)]
pub async fn diff(
    State(s): State<ApiState>,
    caller: Caller,
    Query(q): Query<DiffQuery>,
) -> Result<Json<BookDiff>, AppError> {
    diff_of(&s, &caller, &q, Sheet::PriceBook).await
}

pub(super) async fn diff_of(
    s: &ApiState,
    caller: &Caller,
    q: &DiffQuery,
    sheet: Sheet,
) -> Result<Json<BookDiff>, AppError> {
    let visible = s.shelf(caller).await?;
    let (from, _) = find(&visible, sheet, &q.from)?;
    let (to, _) = find(&visible, sheet, &q.to)?;
    let d = match (from, to) {
        (Found::Book(a), Found::Book(b)) => book_diff(a, b),
        (Found::Catalog(a), Found::Catalog(b)) => diff_catalogs(a, b),
        _ => return Err(AppError::Internal("a diff across kinds".into())),
    };
    Ok(Json(d.into()))
}

/// What pricing every saved scenario of every team with this book would change (`pricing`):
/// the total under the scenario's own book and under this one, and the cost lines that
/// moved, the largest difference first (scenarios the book cannot price come first).
#[utoipa::path(
    get,
    path = paths::PRICE_BOOK_IMPACT,
    tag = "books",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "A built-in book's YYYY-MM or a stored book's id.")),
    responses(
        (status = 200, description = "The impact.", body = Impact),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Below the pricing role.", body = ApiError),
        (status = 404, description = "No book has this id.", body = ApiError)
    )
)]
pub async fn impact(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Impact>, AppError> {
    caller.signed()?.must_be(Role::Pricing)?;
    let visible = s.shelf(&caller).await?;
    find(&visible, Sheet::PriceBook, &id)?;
    let scenarios = s.storage.call(|st| st.currents()).await?;
    let book = id.clone();
    let rows = tokio::task::spawn_blocking(move || {
        let mut rows: Vec<ImpactRow> = scenarios
            .iter()
            .map(|c| {
                let mut row = ImpactRow {
                    id: c.id.to_string(),
                    name: c.name.clone(),
                    team: c.team.to_string(),
                    version: c.version.0,
                    price_book: c.price_book.clone(),
                    old_total_usd: None,
                    new_total_usd: None,
                    difference_usd: None,
                    difference_percent: None,
                    moved: Vec::new(),
                    error: None,
                };
                let scenario = Scenario::parse(&c.body).map_err(|e| e.to_string());
                match scenario
                    .and_then(|sc| effect(&visible.shelf, &sc, &book).map_err(|e| e.to_string()))
                {
                    Ok(e) => {
                        row.old_total_usd = Some(e.old_total);
                        row.new_total_usd = Some(e.new_total);
                        row.difference_usd = Some(e.difference());
                        row.difference_percent = e.percent();
                        row.moved = e
                            .moved
                            .iter()
                            .map(|(line, old, new)| LineMove {
                                line: (*line).to_string(),
                                old_usd: *old,
                                new_usd: *new,
                            })
                            .collect();
                    }
                    Err(message) => row.error = Some(message),
                }
                row
            })
            .collect();
        let size = |r: &ImpactRow| r.difference_usd.map_or(f64::INFINITY, f64::abs);
        rows.sort_by(|a, b| size(b).total_cmp(&size(a)));
        rows
    })
    .await
    .map_err(|e| AppError::Internal(format!("the impact run did not finish: {e}")))?;
    Ok(Json(Impact {
        book: id,
        scenarios: rows,
    }))
}

/// A book or catalog found on the caller's shelf.
enum Found<'v> {
    Book(&'v PriceBook),
    Catalog(&'v Catalog),
}

/// A book (or catalog) the caller may see, with its summary; 404 otherwise.
fn find<'v>(
    visible: &'v Visible,
    sheet: Sheet,
    id: &str,
) -> Result<(Found<'v>, BookSummary), AppError> {
    let not_found = || AppError::NotFound {
        message: format!("no {} you can see has id {id}", sheet.noun()),
        fields: Vec::new(),
        latest_version: None,
    };
    let found = match sheet {
        Sheet::PriceBook => Found::Book(visible.shelf.book(id).map_err(|_| not_found())?),
        Sheet::Catalog => Found::Catalog(visible.shelf.catalog(id).map_err(|_| not_found())?),
    };
    let summary = match visible.stored_sheet(sheet, id) {
        Some(info) => stored_summary(info),
        None => builtin_summary(sheet, id),
    };
    Ok((found, summary))
}

/// A stored book's (or catalog's) id from a path; 404 for text that cannot be one, or
/// the id of the other kind.
fn stored_id(sheet: Sheet, id: &str) -> Result<BookId, AppError> {
    id.parse()
        .ok()
        .filter(|b: &BookId| b.kind() == kind_of(sheet))
        .ok_or_else(|| AppError::NotFound {
            message: format!("no stored {} has id {id}", sheet.noun()),
            fields: Vec::new(),
            latest_version: None,
        })
}

pub(super) fn stored_summary(b: &BookInfo) -> BookSummary {
    BookSummary {
        id: b.id.to_string(),
        name: b.name.clone(),
        effective_from: b.effective_from.clone(),
        status: b.status.to_string(),
        built_in: false,
        rows: b.rows,
        made_by: b.made_by.clone(),
        made_at: b.made_at.to_string(),
        note: b.note.clone(),
    }
}

fn builtin_summary(sheet: Sheet, id: &str) -> BookSummary {
    let (rows, note) = match sheet {
        Sheet::PriceBook => (
            Builtin.book(id).map_or(0, |b| b.rows().len()),
            "Compiled into this build; its licence rows are placeholders.",
        ),
        Sheet::Catalog => (
            Builtin
                .catalog(id)
                .map_or(0, |c| c.enclosures.len() + c.nodes.len()),
            "Compiled into this build (data/catalog/hardware.csv).",
        ),
    };
    BookSummary {
        id: id.to_string(),
        name: format!("Built-in {id}"),
        effective_from: format!("{id}-01"),
        status: BookStatus::Published.to_string(),
        built_in: true,
        rows: rows as u64,
        made_by: "lakeplan".into(),
        made_at: String::new(),
        note: note.into(),
    }
}
