//! `POST /api/compute`: a scenario in, its report out; nothing is stored.
//!
//! The same call as `lakeplan compute` and the page (`report::compute_priced`), for
//! scripts and tools that have a scenario file and want the figures.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lakeplan_models::report::compute_priced;
use lakeplan_models::reprice;

use super::error::AppError;
use super::extract::ScenarioJson;

pub async fn compute(ScenarioJson(mut scenario): ScenarioJson) -> Result<Response, AppError> {
    // An unnamed book is priced with the newest, as a save would pin it.
    reprice::pin(&mut scenario);
    let report = compute_priced(&scenario).map_err(|e| AppError::Invalid { errors: e.0 })?;
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
