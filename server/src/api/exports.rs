//! Files made from a saved scenario: the report as CSV, the proposal as PDF.
//!
//! Both price the scenario with the book it was saved with, so a file exported today and
//! one exported next year from the same version hold the same figures. `?version=N`
//! exports an earlier version.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_models::report::{compute_priced_in, to_csv, Report};
use lakeplan_models::scenario::Scenario;
use lakeplan_store::Version;

use super::error::AppError;
use super::extract::{parse_scenario, parse_version, scenario_id, Params, ScenarioJson};
use super::openapi::ScenarioFile;
use super::scenarios::authorize;
use super::ApiState;
use crate::auth::{audit, Caller, ClientAddress};
use lakeplan_store::Role;

/// A saved scenario (the current version, or `?version=N`), its report, and the version
/// that was read.
async fn load(
    s: &ApiState,
    caller: &Caller,
    id: &str,
    params: &Params,
) -> Result<(Scenario, Report, Version), AppError> {
    let id = authorize(s, caller, id, Role::Viewer).await?;
    let version = match params.get("version") {
        None => None,
        Some(v) => Some(parse_version(v).ok_or_else(|| {
            AppError::bad_request("version", format!("must be a whole number ≥ 1, got {v:?}"))
        })?),
    };
    let (body, version) = s
        .storage
        .call(move |st| match version {
            None => st.get(&id).map(|c| (c.body, c.version)),
            Some(v) => st.version(&id, v).map(|r| (r.body, r.info.version)),
        })
        .await?;
    let scenario = parse_scenario(&body)?;
    let books = s.shelf(caller).await?;
    let report = compute_priced_in(&books.shelf, &scenario)?;
    Ok((scenario, report, version))
}

/// The link a proposal prints: the scenario's newest live share link when it has one (a
/// reader without an account can open it), else the saved scenario in the planner (for
/// the team).
async fn link(s: &ApiState, id: &str, headers: &HeaderMap) -> Result<String, AppError> {
    let sid = scenario_id(id)?;
    let now = s.auth.now();
    let shares = s.storage.call(move |st| st.shares(&sid)).await?;
    let base = s.auth.base_url(headers);
    Ok(shares
        .into_iter()
        .find(|sh| sh.revoked_at.is_none() && sh.expires_at.is_none_or(|t| t > now))
        .map(|sh| format!("{base}{}", paths::Url::shared_planner(&sh.token)))
        .unwrap_or_else(|| format!("{base}/?saved={id}")))
}

/// The CSV of `lakeplan compute --format csv`, as an attachment named after the scenario.
#[utoipa::path(
    get,
    path = paths::SCENARIO_CSV,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("version" = Option<u64>, Query, minimum = 1, description = "An earlier version (default: the current one).")
    ),
    responses(
        (status = 200, description = "The report as CSV.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment; the file name."))),
        (status = 400, description = "`version` is not a whole number ≥ 1.", body = ApiError),
        (status = 404, description = "No such scenario or version.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 422, description = "The saved scenario cannot be priced under this model.", body = ApiError)
    )
)]
pub async fn csv(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let (scenario, report, version) = load(&s, &caller, &id, &params).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.export",
        format!("scenario:{id}@{version} csv"),
        audit::OK,
    )
    .await;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &lakeplan_models::export::file_name(&scenario.name, Some(version.0), "csv"),
        to_csv(&report).into_bytes(),
    ))
}

/// The proposal as PDF, linking back to the saved scenario.
#[utoipa::path(
    get,
    path = paths::SCENARIO_PDF,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("version" = Option<u64>, Query, minimum = 1, description = "An earlier version (default: the current one)."),
        ("author" = Option<String>, Query, description = "The name printed as the proposal's author.")
    ),
    responses(
        (status = 200, description = "The proposal.", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; the file name."))),
        (status = 400, description = "`version` is not a whole number ≥ 1.", body = ApiError),
        (status = 404, description = "No such scenario or version.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 422, description = "The saved scenario cannot be priced under this model.", body = ApiError)
    )
)]
pub async fn pdf_route(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (scenario, report, version) = load(&s, &caller, &id, &params).await?;
    let link = Some(link(&s, &id, &headers).await?);
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.export",
        format!("scenario:{id}@{version} pdf"),
        audit::OK,
    )
    .await;
    let author = params.get("author").map(str::to_string);
    let name = lakeplan_models::export::file_name(&scenario.name, Some(version.0), "pdf");
    let bytes = pdf(scenario, report, author, link).await?;
    Ok(attachment("application/pdf", &name, bytes))
}

/// The proposal of the scenario in the body, nothing stored, so the planner can export
/// what is on screen before (or without) saving it.
#[utoipa::path(
    post,
    path = paths::EXPORT_PDF,
    tag = "compute",
    params(("author" = Option<String>, Query, description = "The name printed as the proposal's author.")),
    request_body(content = ScenarioFile, content_type = "application/json"),
    responses(
        (status = 200, description = "The proposal.", content_type = "application/pdf", body = Vec<u8>,
            headers(("Content-Disposition" = String, description = "attachment; the file name."))),
        (status = 400, description = "The body is not JSON.", body = ApiError),
        (status = 415, description = "The body is not sent as application/json.", body = ApiError),
        (status = 422, description = "The scenario is invalid, over a limit, or cannot be priced.", body = ApiError)
    )
)]
pub async fn pdf_unsaved(
    State(s): State<ApiState>,
    caller: Caller,
    params: Params,
    ScenarioJson(scenario): ScenarioJson,
) -> Result<Response, AppError> {
    let books = s.shelf(&caller).await?;
    let report = compute_priced_in(&books.shelf, &scenario)?;
    let author = params.get("author").map(str::to_string);
    let name = lakeplan_models::export::file_name(&scenario.name, None, "pdf");
    let bytes = pdf(scenario, report, author, None).await?;
    Ok(attachment("application/pdf", &name, bytes))
}

/// The CSV of the scenario in the body, nothing stored.
#[utoipa::path(
    post,
    path = paths::EXPORT_CSV,
    tag = "compute",
    request_body(content = ScenarioFile, content_type = "application/json"),
    responses(
        (status = 200, description = "The report as CSV.", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment; the file name."))),
        (status = 400, description = "The body is not JSON.", body = ApiError),
        (status = 415, description = "The body is not sent as application/json.", body = ApiError),
        (status = 422, description = "The scenario is invalid, over a limit, or cannot be priced.", body = ApiError)
    )
)]
pub async fn csv_unsaved(
    State(s): State<ApiState>,
    caller: Caller,
    ScenarioJson(scenario): ScenarioJson,
) -> Result<Response, AppError> {
    let books = s.shelf(&caller).await?;
    let report = compute_priced_in(&books.shelf, &scenario)?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &lakeplan_models::export::file_name(&scenario.name, None, "csv"),
        to_csv(&report).into_bytes(),
    ))
}

/// The proposal PDF (`lakeplan-pdf`), dated today. About 45 ms of CPU for the reference
/// scenario, so it runs on the blocking pool rather than stalling the request workers.
async fn pdf(
    scenario: Scenario,
    report: Report,
    author: Option<String>,
    link: Option<String>,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || {
        lakeplan_pdf::proposal(&lakeplan_pdf::ProposalInput {
            scenario: &scenario,
            report: &report,
            author: author.as_deref(),
            date: crate::date::today(),
            link: link.as_deref(),
        })
    })
    .await
    .map_err(|e| AppError::Internal(format!("the PDF task failed: {e}")))?
    .map_err(|e| AppError::Internal(format!("cannot make the PDF: {e}")))
}

fn attachment(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// RFC 6266: the plain name, which [`lakeplan_models::export::file_name`] keeps to safe
/// ASCII, by the same rules as the browser's own downloads.
fn content_disposition(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}
