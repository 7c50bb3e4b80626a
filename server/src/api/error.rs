//! The API's one error type and the JSON every error is sent as.
//!
//! The policy (after crates.io's `AppError`): a handler returns `Result<_, AppError>`, and
//! every failure becomes one JSON shape, the contract's [`ApiError`] (see
//! `lakeplan_api::error`), with the status that fits. `From` conversions let handlers use
//! `?` on store errors and model errors alike.
//!
//! Errors produced outside the handlers (axum's 405, tower-http's 408 and 413, the leptos
//! fallback's 404 for an unknown `/api/` path) are rewritten into the same shape by
//! [`json_errors`], so no client ever has to parse a text error.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lakeplan_api::{ApiError, ErrorCode};
use lakeplan_models::field::FieldError;
use lakeplan_models::scenario::ScenarioErrors;
use lakeplan_store::{StoreError, Timestamp, Version};

use lakeplan_api::limits::{BODY_LIMIT_BYTES, REQUEST_TIMEOUT};

/// Everything an API call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: a request the server cannot read (a bad query parameter or header).
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 400: the body is not JSON at all.
    #[error("{message}")]
    MalformedJson { message: String },
    /// 404.
    #[error("{message}")]
    NotFound {
        message: String,
        fields: Vec<FieldError>,
        latest_version: Option<Version>,
    },
    /// 404: no route has this path.
    #[error("{message}")]
    NoRoute { message: String },
    /// 409: the request does not fit the resource's state (undeleting a live scenario).
    #[error("{message}")]
    Conflict { message: String },
    /// 410: deleted, restorable until `purge_after`.
    #[error("{message}")]
    Gone {
        message: String,
        id: String,
        deleted_at: Timestamp,
        purge_after: Timestamp,
    },
    /// 412: the If-Match version is not the current one.
    #[error("{message}")]
    VersionConflict {
        message: String,
        current_version: Version,
    },
    /// 413.
    #[error("the request body is larger than the {} byte limit", BODY_LIMIT_BYTES)]
    TooLarge,
    /// 415.
    #[error("{message}")]
    UnsupportedMediaType { message: String },
    /// 422: a scenario that fails validation or cannot be priced; every problem at once.
    #[error("the scenario has {} problem(s)", errors.len())]
    Invalid { errors: Vec<FieldError> },
    /// 428: a write without If-Match.
    /// An uploaded book or catalog with problems, each with its line, column and value.
    #[error("the file has {} problem(s); nothing was stored", errors.len())]
    InvalidBook {
        errors: Vec<lakeplan_models::price_book::Problem>,
    },

    #[error("{message}")]
    PreconditionRequired { message: String },
    /// 401: no session or token, or a token that no longer works.
    #[error("{message}")]
    Unauthorized { message: String },
    /// 403: signed in, but the role does not allow it (or a write from a foreign origin).
    #[error("{message}")]
    Forbidden { message: String },
    /// 410: a share link past its expiry.
    #[error("{message}")]
    Expired { message: String },
    /// 429: too many failed sign-ins; try again after `retry_after_secs`.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    /// 500: logged in full, answered in general terms.
    #[error("{0}")]
    Internal(String),
    /// 503: the database does not answer (logged in full, answered in general terms).
    #[error("{0}")]
    Unavailable(String),
}

impl AppError {
    pub fn bad_request(field: &str, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError::BadRequest {
            fields: vec![FieldError::new(field, message.clone())],
            message: format!("{field} {message}"),
        }
    }

    /// 422 naming one field of a request body and what is wrong with it.
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            errors: vec![FieldError::new(field, message)],
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } | AppError::MalformedJson { .. } => StatusCode::BAD_REQUEST,
            AppError::NotFound { .. } | AppError::NoRoute { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Gone { .. } => StatusCode::GONE,
            AppError::VersionConflict { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid { .. } | AppError::InvalidBook { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::PreconditionRequired { .. } => StatusCode::PRECONDITION_REQUIRED,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::Expired { .. } => StatusCode::GONE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            AppError::BadRequest { .. } => ErrorCode::BadRequest,
            AppError::MalformedJson { .. } => ErrorCode::MalformedJson,
            AppError::NotFound { .. } => ErrorCode::NotFound,
            AppError::NoRoute { .. } => ErrorCode::NoRoute,
            AppError::Conflict { .. } => ErrorCode::Conflict,
            AppError::Gone { .. } => ErrorCode::Deleted,
            AppError::VersionConflict { .. } => ErrorCode::VersionConflict,
            AppError::TooLarge => ErrorCode::BodyTooLarge,
            AppError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            AppError::Invalid { .. } => ErrorCode::InvalidScenario,
            AppError::InvalidBook { .. } => ErrorCode::InvalidBook,
            AppError::PreconditionRequired { .. } => ErrorCode::IfMatchRequired,
            AppError::Unauthorized { .. } => ErrorCode::Unauthorized,
            AppError::Forbidden { .. } => ErrorCode::Forbidden,
            AppError::Expired { .. } => ErrorCode::Expired,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::Internal(_) => ErrorCode::Internal,
            AppError::Unavailable(_) => ErrorCode::Unavailable,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal(detail) => {
                tracing::error!("API request failed: {detail}");
                "the server failed to answer; the reason is in its log".to_string()
            }
            AppError::Unavailable(detail) => {
                tracing::warn!("API request failed: {detail}");
                "the database does not answer: try again shortly".to_string()
            }
            other => other.to_string(),
        };
        let code = self.code();
        let mut body = ApiError::new(status.as_u16(), code, message);
        let mut extra: Option<(header::HeaderName, HeaderValue)> = None;
        match self {
            AppError::Unavailable(_) => {
                extra = Some((header::RETRY_AFTER, HeaderValue::from_static("2")));
            }
            AppError::TooManyRequests {
                retry_after_secs, ..
            } => {
                extra = HeaderValue::from_str(&retry_after_secs.to_string())
                    .ok()
                    .map(|v| (header::RETRY_AFTER, v));
            }
            AppError::Unauthorized { .. } => {
                extra = Some((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"lakeplan\""),
                ));
            }
            AppError::BadRequest { fields, .. } => body.fields = fields,
            AppError::NotFound {
                fields,
                latest_version,
                ..
            } => {
                body.fields = fields;
                body.latest_version = latest_version.map(|v| v.0);
            }
            AppError::Invalid { errors } => body.fields = errors,
            AppError::InvalidBook { errors } => body.errors = errors,
            AppError::VersionConflict {
                current_version, ..
            } => body.current_version = Some(current_version.0),
            AppError::Gone {
                id,
                deleted_at,
                purge_after,
                ..
            } => {
                body.deleted_at = Some(deleted_at.to_string());
                body.purge_after = Some(purge_after.to_string());
                body.undelete = Some(lakeplan_api::paths::Url::undelete(&id));
            }
            _ => {}
        }
        let mut response = json_response(status, &body);
        if let Some((name, value)) = extra {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// A JSON response. Serialising the error types cannot fail (strings and numbers); if it
/// ever did, the status still goes out.
fn json_response(status: StatusCode, body: &ApiError) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A scenario that fails validation or cannot be priced: every problem at once.
impl From<ScenarioErrors> for AppError {
    fn from(e: ScenarioErrors) -> AppError {
        AppError::Invalid { errors: e.0 }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> AppError {
        AppError::Invalid { errors }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let message = e.to_string();
        match e {
            StoreError::NotFound { .. } => AppError::NotFound {
                message,
                fields: Vec::new(),
                latest_version: None,
            },
            StoreError::NoSuchVersion { latest, .. } => AppError::NotFound {
                message,
                fields: Vec::new(),
                latest_version: Some(latest),
            },
            StoreError::Deleted {
                id,
                deleted_at,
                purge_after,
            } => AppError::Gone {
                message: format!("{message}: POST /api/scenarios/{id}/undelete brings it back"),
                id: id.to_string(),
                deleted_at,
                purge_after,
            },
            StoreError::Conflict { current, .. } => AppError::VersionConflict {
                message: format!(
                    "{message}. Nothing was saved: reload version {current}, apply your change \
                     again and send If-Match: \"{current}\""
                ),
                current_version: current,
            },
            StoreError::NoBook { .. } => AppError::NotFound {
                message,
                fields: Vec::new(),
                latest_version: None,
            },
            StoreError::NotDeleted { .. }
            | StoreError::Exists(_)
            | StoreError::NotEmpty { .. }
            | StoreError::BookStatus { .. } => AppError::Conflict { message },
            StoreError::Unavailable(_) => AppError::Unavailable(message),
            StoreError::SchemaTooNew { .. } | StoreError::Corrupt(_) | StoreError::Backend(_) => {
                AppError::Internal(message)
            }
        }
    }
}

/// Rewrites an error response that is not JSON, for a path under `/api`, into the API's
/// error shape, keeping its status and headers (`Allow` on a 405). Answers from the
/// handlers are JSON already and pass through untouched.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let message = match status {
        StatusCode::NOT_FOUND => format!("no API route {path}; GET /api/openapi.json lists them"),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allow = response
                .headers()
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("other methods");
            format!("{path} does not accept {method}; it accepts {allow}")
        }
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge.to_string(),
        StatusCode::REQUEST_TIMEOUT => format!(
            "the request did not complete within {} s",
            REQUEST_TIMEOUT.as_secs()
        ),
        other => other
            .canonical_reason()
            .unwrap_or("request failed")
            .to_lowercase(),
    };
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NoRoute,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::BodyTooLarge,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::Timeout,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let body = ApiError::new(status.as_u16(), code, message);
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    Response::from_parts(parts, Body::from(bytes))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_type)
}

/// `application/json` or a `+json` type, with any parameters.
pub fn is_json_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}
