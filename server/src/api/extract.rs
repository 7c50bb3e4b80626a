//! Reading requests: the scenario body, the version a write is based on, ids in paths,
//! query parameters. Each refusal is an [`AppError`] naming what is at fault, never
//! axum's plain-text rejection.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use lakeplan_models::field::FieldError;
use lakeplan_models::scenario::Scenario;
use lakeplan_store::{ScenarioId, Version};

use super::error::{is_json_type, AppError};

/// A request body that is a valid scenario file (spec/scenario.md).
///
/// Refusals, in the order checked: 415 without a JSON content type, 413 over the body
/// limit, 400 when the body is not JSON (with line and column), 422 with every field
/// error when it is JSON but not a valid scenario.
pub struct ScenarioJson(pub Scenario);

impl<S: Send + Sync> FromRequest<S> for ScenarioJson {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
                AppError::TooLarge
            }
            other => AppError::BadRequest {
                message: format!("the request body could not be read: {other}"),
                fields: Vec::new(),
            },
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| AppError::MalformedJson {
            message: format!(
                "the body is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        })?;
        parse_scenario(text).map(ScenarioJson)
    }
}

/// 400 for text that is not JSON, 422 for JSON that is not a valid scenario.
pub fn parse_scenario(text: &str) -> Result<Scenario, AppError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(AppError::MalformedJson {
            message: format!(
                "the body is not valid JSON: {} at line {}, column {}",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        });
    }
    Ok(Scenario::parse(text)?)
}

fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

pub fn require_json(headers: &HeaderMap) -> Result<(), AppError> {
    match headers.get(header::CONTENT_TYPE).map(|v| v.to_str()) {
        Some(Ok(ct)) if is_json_type(ct) => Ok(()),
        Some(Ok(ct)) => Err(AppError::UnsupportedMediaType {
            message: format!(
                "the body must be JSON sent with Content-Type: application/json, got {ct}"
            ),
        }),
        _ => Err(AppError::UnsupportedMediaType {
            message: "the body must be JSON sent with Content-Type: application/json".into(),
        }),
    }
}

/// The version a write is based on, from `If-Match` (`"3"`, as the ETag was sent, or a
/// bare `3`). Missing: 428, because a write that names no version could overwrite a save
/// it never saw.
pub struct IfMatch(pub Version);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match if_match(&parts.headers)? {
            Some(v) => Ok(IfMatch(v)),
            None => Err(AppError::PreconditionRequired {
                message: "this write needs the version it is based on: send If-Match with the \
                          ETag of GET /api/scenarios/{id} (e.g. If-Match: \"3\")"
                    .into(),
            }),
        }
    }
}

/// `If-Match` where it is optional (DELETE): checked when sent.
pub struct MaybeIfMatch(pub Option<Version>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeIfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        if_match(&parts.headers).map(MaybeIfMatch)
    }
}

fn if_match(headers: &HeaderMap) -> Result<Option<Version>, AppError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let bad = |got: &str| {
        AppError::bad_request(
            "If-Match",
            format!(
                "must be one scenario version as its ETag (\"3\") or a bare number (3), got {got}"
            ),
        )
    };
    let text = value
        .to_str()
        .map_err(|_| bad("bytes that are not text"))?
        .trim();
    if text == "*" {
        return Err(AppError::bad_request(
            "If-Match",
            "must name the version the change is based on; * would overwrite whatever was saved",
        ));
    }
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    parse_version(inner)
        .map(Some)
        .ok_or_else(|| bad(&format!("{text:?}")))
}

/// A version number as written in a URL or header: a whole number ≥ 1.
pub fn parse_version(text: &str) -> Option<Version> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|v| *v >= 1).map(Version)
}

/// The scenario id of a path (`/api/scenarios/{id}`). A text that is not an id names no
/// scenario: 404, with the reason.
pub fn scenario_id(text: &str) -> Result<ScenarioId, AppError> {
    text.parse()
        .map_err(|e: lakeplan_store::IdError| AppError::NotFound {
            message: format!("no scenario has id {text:?}"),
            fields: vec![FieldError::new("id", e.to_string())],
            latest_version: None,
        })
}

/// The version of a path (`…/versions/{v}`); not a version number: 404.
pub fn path_version(text: &str) -> Result<Version, AppError> {
    parse_version(text).ok_or_else(|| AppError::NotFound {
        message: format!("no version {text:?}: versions are whole numbers from 1"),
        fields: vec![FieldError::new(
            "v",
            format!("must be a whole number ≥ 1, got {text:?}"),
        )],
        latest_version: None,
    })
}

/// Query parameters as name–value pairs, which cannot fail to extract; each handler
/// reads what it knows and names the parameter when a value is wrong. Unknown
/// parameters are ignored, as caches and proxies add their own.
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `true` or `false` (absent: `false`), as OpenAPI writes a boolean query parameter.
    pub fn flag(&self, name: &str) -> Result<bool, AppError> {
        match self.get(name) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(AppError::bad_request(
                name,
                format!("must be true or false, got {other:?}"),
            )),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|Query(pairs)| Params(pairs))
            .map_err(|e| AppError::BadRequest {
                message: format!("the query string cannot be read: {e}"),
                fields: Vec::new(),
            })
    }
}

/// A small JSON request body of type `T` (sign-in, token, share, user): 415 without a
/// JSON content type, 400 when not JSON, 422 naming the field when the shape is wrong
/// (a missing or unknown field, a wrong type).
pub struct Body<T>(pub T);

/// The same, where an empty body means `T::default()` (optional settings).
pub struct OptionalBody<T>(pub T);

async fn body_text<S: Send + Sync>(req: Request, state: &S) -> Result<String, AppError> {
    let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
            AppError::TooLarge
        }
        other => AppError::BadRequest {
            message: format!("the request body could not be read: {other}"),
            fields: Vec::new(),
        },
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|e| AppError::MalformedJson {
        message: format!(
            "the body is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

fn parse_body<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Err(AppError::MalformedJson {
            message: format!(
                "the body is not valid JSON: {} at line {}, column {}",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        });
    }
    serde_json::from_str(text).map_err(|e| {
        let message = strip_position(&e.to_string()).to_string();
        // serde names the field between backticks: "missing field `email`".
        let field = message
            .split('`')
            .nth(1)
            .filter(|f| !f.contains(' '))
            .unwrap_or("body")
            .to_string();
        AppError::invalid(&field, message)
    })
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        require_json(req.headers())?;
        let text = body_text(req, state).await?;
        parse_body(&text).map(Body)
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Default> FromRequest<S> for OptionalBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if has_type {
            require_json(req.headers())?;
        }
        let text = body_text(req, state).await?;
        if text.trim().is_empty() {
            return Ok(OptionalBody(T::default()));
        }
        if !has_type {
            return Err(AppError::UnsupportedMediaType {
                message: "a body must be JSON sent with Content-Type: application/json".into(),
            });
        }
        parse_body(&text).map(OptionalBody)
    }
}

/// A CSV file sent as the body (`text/csv`, UTF-8): 415 for another content type.
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or_default().trim();
        if essence != "text/csv" {
            return Err(AppError::UnsupportedMediaType {
                message: format!(
                    "the body must be a CSV file sent with Content-Type: text/csv, got {}",
                    if ct.is_empty() { "none" } else { &ct }
                ),
            });
        }
        body_text(req, state).await.map(CsvBody)
    }
}

/// Days from now as an expiry: `None` stays `None`; 1 to 3650 days, else 422 naming
/// `field`.
pub fn expiry_in_days(
    field: &str,
    days: Option<u32>,
    now: lakeplan_store::Timestamp,
) -> Result<Option<lakeplan_store::Timestamp>, AppError> {
    match days {
        None => Ok(None),
        Some(d @ 1..=3650) => Ok(Some(now.plus_ms(i64::from(d) * lakeplan_store::DAY_MS))),
        Some(d) => Err(AppError::invalid(
            field,
            format!("must be 1 to 3650 days, got {d}"),
        )),
    }
}

/// The body of `POST /api/scenarios`: a scenario file, and optionally the `team` to save it
/// in, as a top-level field beside the scenario's own (a scenario file has no `team`
/// field, so the two cannot be confused). Refusals as for [`ScenarioJson`]; a `team` that
/// is not a string is a 422 naming it.
pub struct NewScenario {
    pub scenario: Scenario,
    pub team: Option<String>,
}

impl<S: Send + Sync> FromRequest<S> for NewScenario {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        require_json(req.headers())?;
        let text = body_text(req, state).await?;
        // Cheap test first: only a body that mentions "team" is parsed twice.
        if text.contains("\"team\"") {
            if let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str(&text) {
                if let Some(team) = map.remove("team") {
                    let team = match team {
                        serde_json::Value::String(t) => t,
                        other => {
                            return Err(AppError::invalid(
                                "team",
                                format!("must be a team name (a string), got {other}"),
                            ))
                        }
                    };
                    let rest = serde_json::Value::Object(map).to_string();
                    return Ok(NewScenario {
                        scenario: parse_scenario(&rest)?,
                        team: Some(team),
                    });
                }
            }
        }
        Ok(NewScenario {
            scenario: parse_scenario(&text)?,
            team: None,
        })
    }
}
