//! `POST /api/sweep`: the rows of `lakeplan sweep` over HTTP.
//!
//! The body is `{"scenario": {...}, "vary": {"change.value": "5..20:1",
//! "links.cloud.ports": [40, 50, 64]}}`, each field's values written as the command line
//! writes them (a range or a list, as text) or as a JSON list; `"vary_rows": {"paths":
//! [...], "rows": [[...], ...]}` adds combinations taken together, like `--vary-file`. The
//! fields are crossed in the order the body lists them (`vary_rows` first). The answer is
//! CSV, or JSON (`{"paths", "combinations", "rows"}`) when the request accepts
//! `application/json`.
//!
//! Errors are JSON, `{"error": {"status", "message", "field"}}` with every problem also in
//! `"errors"`: 400 for a body that is not JSON or lacks `scenario`, 422 for an invalid
//! scenario, path or value (naming the field and what it allows), or for more than
//! [`MAX_COMBINATIONS`] combinations (naming `vary`).
//!
//! The rows are computed off the async runtime, on the machine's cores, by the same
//! engine as the command line.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use lakeplan_models::field::FieldError;
use lakeplan_models::whatif::sweep::{to_csv, values_from_json, Axis, SweepPlan, Vary, VaryRows};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::cli::sweep::{compute_rows, rows_json};

/// The most combinations one request may ask for; the limit and its reason are the
/// model's, with the other limits on a request.
pub use lakeplan_models::inputs::limits::MAX_SWEEP_COMBINATIONS as MAX_COMBINATIONS;

/// The route, for any router state (it keeps none).
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/api/sweep", post(sweep))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepRequest {
    scenario: Value,
    #[serde(default, deserialize_with = "in_order")]
    vary: Vec<(String, Value)>,
    #[serde(default)]
    vary_rows: Option<VaryRows>,
}

/// A JSON object's entries in the order the body writes them (a map would sort them, and
/// the order decides which field changes slowest and the columns' order).
fn in_order<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, Value)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of field paths and their values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries)
}

/// An error answer: the first problem as `message` and `field`, every one in `errors`.
fn error(status: StatusCode, problems: &[FieldError]) -> Response {
    let first = problems.first();
    let body = serde_json::json!({
        "error": {
            "status": status.as_u16(),
            "message": first.map_or_else(String::new, ToString::to_string),
            "field": first.map(|e| e.path.clone()),
        },
        "errors": problems
            .iter()
            .map(|e| serde_json::json!({"field": e.path, "message": e.message}))
            .collect::<Vec<_>>(),
    });
    (status, axum::Json(body)).into_response()
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/json"))
}

async fn sweep(headers: HeaderMap, body: Bytes) -> Response {
    let request: SweepRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                &[FieldError::new(
                    "body",
                    format!("must be {{\"scenario\": {{…}}, \"vary\": {{…}}}}: {e}"),
                )],
            )
        }
    };
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
        return error(StatusCode::UNPROCESSABLE_ENTITY, &problems);
    }
    let json = wants_json(&headers);
    let scenario = request.scenario;
    let work = tokio::task::spawn_blocking(move || -> Result<String, Vec<FieldError>> {
        let plan = SweepPlan::new(&scenario, axes, MAX_COMBINATIONS).map_err(|e| e.0)?;
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        match compute_rows(&plan, threads, &|| ()) {
            Ok(rows) => Ok(if json {
                rows_json(&plan, &rows).to_string()
            } else {
                to_csv(plan.paths(), &rows)
            }),
            Err((i, errors)) => {
                let values: Vec<String> = plan
                    .pairs(i)
                    .iter()
                    .map(|(p, v)| format!("{p}={v}"))
                    .collect();
                Err(errors
                    .0
                    .into_iter()
                    .map(|e| {
                        FieldError::new(
                            e.path.clone(),
                            format!(
                                "{} (in combination {}: {})",
                                e.message,
                                i + 1,
                                values.join(", ")
                            ),
                        )
                    })
                    .collect())
            }
        }
    })
    .await;
    match work {
        Ok(Ok(text)) => {
            let kind = if json {
                "application/json"
            } else {
                "text/csv; charset=utf-8"
            };
            (
                [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
                text,
            )
                .into_response()
        }
        Ok(Err(problems)) => error(StatusCode::UNPROCESSABLE_ENTITY, &problems),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &[FieldError::new("sweep", "the rows could not be computed")],
        ),
    }
}
