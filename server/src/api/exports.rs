//! Files made from a saved scenario: the report as CSV, the proposal as PDF.
//!
//! Both price the scenario with the book it was saved with, so a file exported today and
//! one exported next year from the same version hold the same figures. `?version=N`
//! exports an earlier version.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lakeplan_models::report::{compute_priced, to_csv, Report};
use lakeplan_models::scenario::Scenario;
use lakeplan_store::Version;

use super::error::AppError;
use super::extract::{parse_scenario, parse_version, scenario_id, Params};
use super::ApiState;

/// A saved scenario (the current version, or `?version=N`), its report, and the version
/// that was read.
async fn load(
    s: &ApiState,
    id: &str,
    params: &Params,
) -> Result<(Scenario, Report, Version), AppError> {
    let id = scenario_id(id)?;
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
    let report = compute_priced(&scenario).map_err(|e| AppError::Invalid { errors: e.0 })?;
    Ok((scenario, report, version))
}

/// `GET /api/scenarios/{id}/export.csv[?version=N]`: the CSV of `lakeplan compute
/// --format csv`, as an attachment named after the scenario.
pub async fn csv(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let (scenario, report, version) = load(&s, &id, &params).await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        &file_name(&scenario.name, version, "csv"),
        to_csv(&report).into_bytes(),
    ))
}

/// `GET /api/scenarios/{id}/export.pdf[?version=N]`: the proposal as PDF.
pub async fn pdf_route(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let (scenario, report, version) = load(&s, &id, &params).await?;
    let bytes = pdf(&scenario, &report)?;
    Ok(attachment(
        "application/pdf",
        &file_name(&scenario.name, version, "pdf"),
        bytes,
    ))
}

/// The proposal PDF of a scenario and its report.
///
/// The PDF generator is the `lakeplan-pdf` crate (`pdf/`), built beside this API; this
/// function is where it plugs in, taking the loaded scenario and its priced report and
/// returning the document's bytes. Until it is part of the build the route answers 501
/// Not Implemented, after the scenario has been found and priced, so every other status
/// of the route (404, 410, 422) is already what it will be.
pub fn pdf(scenario: &Scenario, report: &Report) -> Result<Vec<u8>, AppError> {
    let _ = (scenario, report);
    Err(AppError::NotImplemented {
        message: "PDF proposals are not part of this build yet; the CSV export \
                  (export.csv) holds the same figures"
            .into(),
    })
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

/// `Retail lakehouse — 2026` version 3 → `retail-lakehouse-2026-v3.csv`: letters, digits
/// and dashes only, so every browser and file system takes it as it is.
pub fn file_name(scenario_name: &str, version: Version, ext: &str) -> String {
    let mut slug = String::new();
    for c in scenario_name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let stem = if slug.is_empty() { "scenario" } else { slug };
    format!("{stem}-v{version}.{ext}")
}

/// RFC 6266: the plain name, which [`file_name`] keeps to safe ASCII.
fn content_disposition(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_slugs() {
        assert_eq!(
            file_name("Retail lakehouse — 2026", Version(3), "csv"),
            "retail-lakehouse-2026-v3.csv"
        );
        assert_eq!(file_name("", Version(1), "pdf"), "scenario-v1.pdf");
        assert_eq!(file_name("Ünïcödé", Version(1), "csv"), "n-c-d-v1.csv");
        assert_eq!(file_name("«»", Version(2), "csv"), "scenario-v2.csv");
        assert_eq!(
            file_name(&"a".repeat(200), Version(1), "csv").len(),
            "-v1.csv".len() + 60
        );
    }
}
