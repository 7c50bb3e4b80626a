//! `POST /api/sweep`: the rows of `lakeplan sweep` over HTTP (the request and answer are
//! `lakeplan_api::sweep`).
//!
//! Refusals are the API's one error shape: 400 for a body that is not JSON or not a sweep
//! request (the body is read as JSON whatever its content type says), 422 for an invalid scenario, path or value
//! (naming the field as `vary.<path>` and what it allows), or for more than
//! [`MAX_SWEEP_COMBINATIONS`] combinations (naming `vary`). The rows are computed off the async
//! runtime, on the machine's cores, by the same engine as the command line.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use lakeplan_api::paths;
use lakeplan_api::sweep::{SweepAnswer, SweepRequest};
use lakeplan_api::ApiError;
use lakeplan_models::field::FieldError;
use lakeplan_models::inputs::limits::MAX_SWEEP_COMBINATIONS;
use lakeplan_models::whatif::sweep::{to_csv, values_from_json, Axis, SweepPlan, Vary};

use super::error::AppError;
use crate::sweep::{answer, combination, compute_rows};

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/json"))
}

/// One CSV row (or JSON object) per combination of the varied fields, in combination
/// order, the first field changing slowest.
#[utoipa::path(
    post,
    path = paths::SWEEP,
    tag = "compute",
    request_body(content = SweepRequest, content_type = "application/json"),
    params(("Accept" = Option<String>, Header, description = "`application/json` for JSON rows; CSV otherwise.")),
    responses(
        (status = 200, description = "The rows.",
            content(
                (String = "text/csv"),
                (SweepAnswer = "application/json")
            )),
        (status = 400, description = "The body is not JSON, or not a sweep request.", body = ApiError),
        (status = 422, description = "The scenario, a path or a value is invalid, a combination is invalid as a whole, or there are more than 100 000 combinations.", body = ApiError)
    )
)]
pub async fn sweep(headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let request: SweepRequest = serde_json::from_slice(&body).map_err(|e| {
        AppError::bad_request(
            "body",
            format!("must be {{\"scenario\": {{…}}, \"vary\": {{…}}}}: {e}"),
        )
    })?;
    let mut axes = Vec::new();
    let mut problems = Vec::new();
    if let Some(rows) = request.vary_rows {
        axes.push(Axis::Rows(rows));
    }
    for (path, v) in &request.vary {
        match values_from_json(path, v) {
            Ok(values) => axes.push(Axis::Field(Vary {
                path: path.clone(),
                values,
            })),
            Err(e) => problems.push(FieldError::new(format!("vary.{}", e.path), e.message)),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let json = wants_json(&headers);
    let scenario = request.scenario;
    let text = tokio::task::spawn_blocking(move || -> Result<String, AppError> {
        let plan = SweepPlan::new(&scenario, axes, MAX_SWEEP_COMBINATIONS)?;
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        match compute_rows(&plan, threads, &|| ()) {
            Ok(rows) => Ok(if json {
                serde_json::to_string(&answer(&plan, rows))
                    .map_err(|e| AppError::Internal(format!("cannot write the rows: {e}")))?
            } else {
                to_csv(plan.paths(), &rows)
            }),
            Err((i, errors)) => {
                let values = combination(&plan, i);
                Err(errors
                    .0
                    .into_iter()
                    .map(|e| {
                        FieldError::new(
                            e.path.clone(),
                            format!("{} (in combination {}: {})", e.message, i + 1, values),
                        )
                    })
                    .collect::<Vec<_>>()
                    .into())
            }
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("the sweep task failed: {e}")))??;
    let kind = if json {
        "application/json"
    } else {
        "text/csv; charset=utf-8"
    };
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        text,
    )
        .into_response())
}
