//! The JSON body of every API error, whichever route or layer refused the request.
//!
//! ```json
//! { "status": 422, "error": "invalid_scenario",
//!   "message": "the scenario has 2 problem(s)",
//!   "fields": [ { "path": "lake.initial_pb", "message": "must be > 0, got -5" } ] }
//! ```
//!
//! `error` is a stable code for programs, `message` a sentence for people, `fields` (when
//! an input is at fault) names each one: a scenario field by its JSON path, a query
//! parameter, a path segment or a header by its name. Some errors add what the client
//! needs next (`current_version` with 412, `purge_after` and `undelete` with 410).

use lakeplan_models::field::FieldError;
use lakeplan_models::price_book::Problem;
use serde::{Deserialize, Serialize};

/// What went wrong, for programs: one code per kind of refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: a query parameter, header or body the server cannot read.
    BadRequest,
    /// 400: the body is not JSON.
    MalformedJson,
    /// 404: no such scenario or version.
    NotFound,
    /// 404: no route has this path.
    NoRoute,
    /// 405.
    MethodNotAllowed,
    /// 408: the request took longer than the server allows.
    Timeout,
    /// 409: the request does not fit the resource's state.
    Conflict,
    /// 410: deleted, restorable until `purge_after`.
    Deleted,
    /// 412: `If-Match` names a version that is no longer the current one.
    VersionConflict,
    /// 413.
    BodyTooLarge,
    /// 415.
    UnsupportedMediaType,
    /// 422: the input is well-formed but out of range, or over a limit; `fields` says
    /// which and what is allowed.
    InvalidScenario,
    /// 422: an uploaded price book or catalog has problems; `errors` lists each with its
    /// line, column and value. Nothing was stored.
    InvalidBook,
    /// 428: a write without `If-Match`.
    IfMatchRequired,
    /// 401: no session or API token, or a token that no longer works.
    Unauthorized,
    /// 403: the caller's role does not allow it, or a write came from a foreign origin.
    Forbidden,
    /// 410: a share link past its expiry.
    Expired,
    /// 429: too many failed sign-ins; `Retry-After` says when to try again.
    TooManyRequests,
    /// 500: the reason is in the server's log, not in the answer.
    Internal,
    /// 503: the database does not answer. `Retry-After` says when to try again.
    Unavailable,
}

impl ErrorCode {
    /// Every code, in the order above.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::BadRequest,
        ErrorCode::MalformedJson,
        ErrorCode::NotFound,
        ErrorCode::NoRoute,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::Conflict,
        ErrorCode::Deleted,
        ErrorCode::VersionConflict,
        ErrorCode::BodyTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::InvalidScenario,
        ErrorCode::InvalidBook,
        ErrorCode::IfMatchRequired,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::Expired,
        ErrorCode::TooManyRequests,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    /// The code as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NoRoute => "no_route",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Deleted => "deleted",
            ErrorCode::VersionConflict => "version_conflict",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::InvalidScenario => "invalid_scenario",
            ErrorCode::InvalidBook => "invalid_book",
            ErrorCode::IfMatchRequired => "if_match_required",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Expired => "expired",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Error))]
pub struct ApiError {
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    pub error: ErrorCode,
    pub message: String,
    /// Each input at fault (empty when the request as a whole is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The problems of an uploaded file (`invalid_book`), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Problem>,
    /// With 412: the version saved meanwhile, to reload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
    /// With a 404 for a version: the newest version the scenario has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<u64>,
    /// With 410: when the scenario was deleted (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// With 410: the moment it is purged for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_after: Option<String>,
    /// With 410: where to `POST` to bring it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undelete: Option<String>,
}

impl ApiError {
    /// An error with no extra fields.
    pub fn new(status: u16, error: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error,
            message: message.into(),
            fields: Vec::new(),
            errors: Vec::new(),
            current_version: None,
            latest_version: None,
            deleted_at: None,
            purge_after: None,
            undelete: None,
        }
    }

    /// The message with the first field at fault, as a person reads it beside a form.
    pub fn sentence(&self) -> String {
        match self.fields.first() {
            Some(f) => format!("{} ({}: {})", self.message, f.path, f.message),
            None => self.message.clone(),
        }
    }
}
