//! A scenario's history: every save, each version's scenario, and restoring one.
//!
//! History is never rewritten: restoring version 2 of a scenario at version 5 saves
//! version 6 with version 2's scenario, so what was saved in between stays readable.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use lakeplan_store::{Origin, ScenarioId, Timestamp, Version, VersionInfo};
use serde::Serialize;
use serde_json::value::RawValue;

use super::error::AppError;
use super::extract::{parse_scenario, path_version, scenario_id, IfMatch};
use super::scenarios::{ready_to_save, scenario_response};
use super::ApiState;

#[derive(Serialize)]
struct History {
    id: ScenarioId,
    current_version: Version,
    /// Newest first.
    versions: Vec<VersionInfo>,
}

/// `GET /api/scenarios/{id}/versions`
pub async fn list(State(s): State<ApiState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let versions = s.storage.call(move |st| st.versions(&id)).await?;
    let current_version = versions.first().map_or(Version::FIRST, |v| v.version);
    Ok(axum::Json(History {
        id,
        current_version,
        versions,
    })
    .into_response())
}

#[derive(Serialize)]
struct OneVersion<'a> {
    id: ScenarioId,
    version: Version,
    saved_at: Timestamp,
    name: &'a str,
    customer: &'a str,
    price_book: &'a str,
    origin: &'a Origin,
    scenario: &'a RawValue,
}

/// `GET /api/scenarios/{id}/versions/{v}`
pub async fn get(
    State(s): State<ApiState>,
    Path((id, v)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let v = path_version(&v)?;
    let record = s.storage.call(move |st| st.version(&id, v)).await?;
    let scenario: &RawValue = serde_json::from_str(&record.body).map_err(|e| {
        AppError::Internal(format!(
            "scenario {id} version {v} is not stored as JSON: {e}"
        ))
    })?;
    let i = &record.info;
    Ok(axum::Json(OneVersion {
        id,
        version: i.version,
        saved_at: i.saved_at,
        name: &i.name,
        customer: &i.customer,
        price_book: &i.price_book,
        origin: &i.origin,
        scenario,
    })
    .into_response())
}

/// `POST /api/scenarios/{id}/versions/{v}/restore` with `If-Match`: saves a new version
/// whose scenario equals version `v`'s. The old scenario is checked as any save is (it
/// may not validate under a newer model: then 422 names the fields to fix).
pub async fn restore(
    State(s): State<ApiState>,
    Path((id, v)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let v = path_version(&v)?;
    let record = s.storage.call(move |st| st.version(&id, v)).await?;
    let draft = ready_to_save(parse_scenario(&record.body)?)?;
    let current = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Restore { version: v }))
        .await?;
    scenario_response(&current, false)
}
