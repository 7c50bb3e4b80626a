//! `GET /api/openapi.json`: the API described in OpenAPI 3.1, generated from the
//! contract's types (`lakeplan-api`), the handlers' `#[utoipa::path]` descriptions and the
//! route table, so it cannot drift from what the server answers.
//!
//! [`frame`] is the document before any route: its title and the schemas no handler names
//! by type (the scenario file, the report). [`finish`] adds to every operation the answers
//! any route can give, which no handler should have to repeat: a 500, a 503 while the
//! database does not answer, a 408 when the
//! request outlasts the timeout, and for routes that read a body, 413 over the body limit.

use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use lakeplan_api::{paths, ApiError};
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{ContentBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Schema};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

use lakeplan_api::limits::{BODY_LIMIT_BYTES, REQUEST_TIMEOUT};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Lakeplan API",
        description = "Saved scenarios with their history, comparison, re-pricing and exports; \
                       a stateless compute and sweep. Every error is JSON (`Error`) naming the \
                       field at fault.",
        license(name = "UNLICENSED")
    ),
    components(schemas(ApiError, ScenarioFile, ReportFile)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "scenarios", description = "Saved scenarios, their versions and exports (a session or an API token; each scenario belongs to one team)"),
        (name = "accounts", description = "Signing in and out, who am I, API tokens"),
        (name = "shares", description = "Read-only share links of saved scenarios"),
        (name = "admin", description = "Users, teams and roles, and the audit log (admin)"),
        (name = "compute", description = "Figures for a scenario sent in the body; nothing stored"),
        (name = "meta", description = "The API itself"),
        (name = "books", description = "Price books: the list, the pricing team's uploads, diffs, impact, publishing and retiring")
    )
)]
struct Frame;

/// The two ways to prove who is calling: the browser's session cookie and an API token.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::cookie::SESSION_COOKIE,
                "Set by POST /api/session. Writes with it must carry the server's own Origin.",
            ))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token made with POST /api/tokens (`lpt_…`)."))
                    .build(),
            ),
        );
    }
}

/// The document's frame: info, tags and the shared schemas.
pub fn frame() -> OpenApi {
    let mut doc = Frame::openapi();
    doc.info.version = lakeplan_models::MODEL_VERSION.to_string();
    doc
}

/// A scenario file (format 1): its JSON schema comes from the model's input registry.
pub struct ScenarioFile;

impl PartialSchema for ScenarioFile {
    fn schema() -> RefOr<Schema> {
        serde_json::from_value::<Schema>(lakeplan_models::inputs::json_schema())
            .map(RefOr::T)
            .unwrap_or_else(|e| {
                // The registry's schema is checked by a test; reaching this is a bug.
                tracing::error!("the scenario schema does not parse: {e}");
                RefOr::T(Schema::default())
            })
    }
}

impl ToSchema for ScenarioFile {
    fn name() -> std::borrow::Cow<'static, str> {
        "Scenario".into()
    }
}

/// The report (the figures of a scenario, as `lakeplan compute` prints them).
pub struct ReportFile;

impl PartialSchema for ReportFile {
    fn schema() -> RefOr<Schema> {
        let schema = serde_json::json!({
            "type": "object",
            "description": "The report: months, years, summary, claims, expansion, topologies, \
                            assumptions, and the price-book rows used (docs/model.md).",
            "required": ["format", "model_version", "price_book", "months", "years", "summary"]
        });
        RefOr::T(serde_json::from_value(schema).unwrap_or_default())
    }
}

impl ToSchema for ReportFile {
    fn name() -> std::borrow::Cow<'static, str> {
        "Report".into()
    }
}

/// Adds the answers every route can give to each operation.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            op.operation_id = Some(operation_id(method, path));
            constrain_parameters(op);
            let reads_body = op.request_body.is_some();
            // Everything under /api/scenarios and the comparison read stored data: a
            // session or a token, written once here rather than on each handler.
            let stored = path.starts_with(paths::SCENARIOS) || path == paths::COMPARE;
            if stored && op.security.is_none() {
                op.security = Some(vec![
                    SecurityRequirement::new("session", Vec::<String>::new()),
                    SecurityRequirement::new("token", Vec::<String>::new()),
                ]);
            }
            if needs_caller(op) {
                add_error(
                    op,
                    "401",
                    "No session or API token, or a token that is unknown, expired or revoked.",
                );
                if method != "get" {
                    add_error(
                        op,
                        "403",
                        "The caller's role does not allow it, or a write with a session cookie came from another origin.",
                    );
                }
            }
            if stored {
                add_error(op, "404", "No such scenario in the caller's teams (another team's scenario is not disclosed).");
            }
            add_error(op, "500", "The server failed; the reason is in its log.");
            // Any request may carry a session or token, which is looked up in the database.
            add_error(
                op,
                "503",
                "The database does not answer; `Retry-After` says when to try again.",
            );
            add_error(
                op,
                "408",
                &format!(
                    "The request did not complete within {} s.",
                    REQUEST_TIMEOUT.as_secs()
                ),
            );
            if reads_body {
                add_error(
                    op,
                    "400",
                    "The body is not JSON (the message gives the line and column).",
                );
                add_error(op, "415", "The body is not sent as application/json.");
                add_error(
                    op,
                    "413",
                    &format!("The body is larger than {BODY_LIMIT_BYTES} bytes."),
                );
            }
        }
    }
    OpenApiBuilder::from(doc).build()
}

/// Whether an operation names a security scheme (not only the empty "no account" one).
fn needs_caller(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| {
        reqs.iter().any(|r| {
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_object().map(|o| !o.is_empty()))
                .unwrap_or(false)
        })
    })
}

/// The patterns of parameters whose text has a shape (written once, in `lakeplan_api`;
/// utoipa's attributes take only literals).
fn constrain_parameters(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        let pattern = match p.name.as_str() {
            "If-Match" => paths::IF_MATCH_PATTERN,
            "ids" => paths::COMPARE_IDS_PATTERN,
            _ => continue,
        };
        p.schema = Some(RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern))
                .build(),
        )));
    }
}

/// A unique, stable operation id from the method and the path:
/// `put /api/scenarios/{id}/versions/{v}/restore` → `put_scenarios_id_versions_v_restore`.
/// (Handlers in different modules share names such as `list` and `get`.)
fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for part in path.trim_start_matches("/api/").split('/') {
        id.push('_');
        for c in part.chars() {
            match c {
                '{' | '}' => {}
                c if c.is_ascii_alphanumeric() => id.push(c),
                _ => id.push('_'),
            }
        }
    }
    id
}

fn add_error(op: &mut Operation, status: &str, description: &str) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Error")))
                .build(),
        )
        .build();
    op.responses
        .responses
        .insert(status.to_string(), RefOr::T(response));
}

/// The document as JSON.
#[utoipa::path(
    get,
    path = paths::OPENAPI,
    tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3.1).", content_type = "application/json", body = Object))
)]
pub async fn document() -> impl IntoResponse {
    let text = serde_json::to_string(super::document()).unwrap_or_else(|_| "{}".into());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        text,
    )
}
