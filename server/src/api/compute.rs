//! `POST /api/compute`: a scenario in, its report out; nothing is stored.
//!
//! The same call as `lakeplan compute` and the page (`report::compute_priced`), for
//! scripts and tools that have a scenario file and want the figures.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_models::report::compute_priced_in;
use lakeplan_models::reprice;

use super::error::AppError;
use super::extract::ScenarioJson;
use super::openapi::{ReportFile, ScenarioFile};
use super::ApiState;
use crate::auth::Caller;

/// The report of the scenario in the body, priced with its book (the newest when it
/// names none).
#[utoipa::path(
    post,
    path = paths::COMPUTE,
    tag = "compute",
    request_body(content = ScenarioFile, content_type = "application/json"),
    responses(
        (status = 200, description = "The report.", body = ReportFile),
        (status = 400, description = "The body is not JSON.", body = ApiError),
        (status = 415, description = "The body is not sent as application/json.", body = ApiError),
        (status = 422, description = "The scenario is invalid, over a limit, or cannot be priced.", body = ApiError)
    )
)]
pub async fn compute(
    State(s): State<ApiState>,
    caller: Caller,
    ScenarioJson(mut scenario): ScenarioJson,
) -> Result<Response, AppError> {
    // Any book the caller may see; an unnamed book is the newest, as a save would pin it.
    let books = s.shelf(&caller).await?;
    reprice::pin_in(&books.shelf, &mut scenario);
    let report = compute_priced_in(&books.shelf, &scenario)?;
    let body = serde_json::to_vec(&report)
        .map_err(|e| AppError::Internal(format!("cannot write the report as JSON: {e}")))?;
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}
