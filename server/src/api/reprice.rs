//! Re-pricing a saved scenario with the newest price book.
//!
//! A saved scenario keeps the book it was priced with, so its figures do not move when a
//! new book ships. Moving it is explicit: `GET …/reprice` shows which key figures and
//! price rows would change (`lakeplan_models::reprice::preview`, which the browser can run
//! too), and `POST …/reprice` with `If-Match` saves a new version naming the newest book.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use lakeplan_api::paths;
use lakeplan_api::scenarios::{RepricePreview, ScenarioEnvelope};
use lakeplan_api::ApiError;
use lakeplan_models::reprice;
use lakeplan_store::Origin;

use super::error::AppError;
use super::extract::{parse_scenario, IfMatch};
use super::scenarios::authorize;
use super::scenarios::{ready_to_save, scenario_response};
use super::ApiState;
use crate::auth::{audit, Caller, ClientAddress};
use lakeplan_models::library::Library;
use lakeplan_store::Role;

/// What re-pricing with the newest book would change: key figures and price rows.
#[utoipa::path(
    get,
    path = paths::REPRICE,
    tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id.")),
    responses(
        (status = 200, description = "The preview.", body = RepricePreview),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 422, description = "The scenario cannot be priced with its book or the newest.", body = ApiError)
    )
)]
pub async fn preview(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<RepricePreview>, AppError> {
    let id = authorize(&s, &caller, &id, Role::Viewer).await?;
    let current = s.storage.call(move |st| st.get(&id)).await?;
    let scenario = parse_scenario(&current.body)?;
    let books = s.shelf(&caller).await?;
    let p = reprice::preview_in(&books.shelf, &scenario, books.shelf.newest())?;
    Ok(Json(RepricePreview {
        id: id.to_string(),
        version: current.version.0,
        up_to_date: p.from == p.to,
        from: p.from,
        to: p.to,
        figures: p.figures,
        rows: p.rows,
    }))
}

/// A new version priced with the newest book, or the current version unchanged (200,
/// same ETag) when it already is.
#[utoipa::path(
    post,
    path = paths::REPRICE,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("If-Match" = String, Header, description = "The current version, as its ETag or a bare number.")
    ),
    responses(
        (status = 200, description = "Priced with the newest book.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The version, quoted."))),
        (status = 400, description = "If-Match is not a version.", body = ApiError),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 412, description = "The scenario moved on from the If-Match version.", body = ApiError),
        (status = 422, description = "The scenario cannot be priced with the newest book.", body = ApiError),
        (status = 428, description = "If-Match is missing.", body = ApiError)
    )
)]
pub async fn apply(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let current = s.storage.call(move |st| st.get(&id)).await?;
    if current.version != expected {
        return Err(lakeplan_store::StoreError::Conflict {
            id,
            expected,
            current: current.version,
        }
        .into());
    }
    let scenario = parse_scenario(&current.body)?;
    let books = s.shelf(&caller).await?;
    let newest = reprice::to_book(&scenario, books.shelf.newest());
    if newest.pricing.price_book == scenario.pricing.price_book {
        return scenario_response(current, false);
    }
    let from_book = scenario.pricing.price_book.clone();
    // Re-pricing moves the book; the catalog stays, retired or not.
    let draft = ready_to_save(
        &books,
        newest,
        Some(&scenario.pricing),
        caller.signed()?.author(),
    )?;
    let saved = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Reprice { from_book }))
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.reprice",
        format!("scenario:{id}@{}", saved.version),
        audit::OK,
    )
    .await;
    scenario_response(saved, false)
}
