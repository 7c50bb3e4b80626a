//! `GET /api/openapi.json`: the API described in OpenAPI 3.1, written by hand in
//! `server/openapi.json` and compiled in. Tests check that it parses and that it lists
//! exactly the routes the router serves.

use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;

/// The document's text.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

pub async fn document() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOCUMENT,
    )
}
