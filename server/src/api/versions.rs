//! A scenario's history: every save, each version's scenario, and restoring one.
//!
//! History is never rewritten: restoring version 2 of a scenario at version 5 saves
//! version 6 with version 2's scenario, so what was saved in between stays readable.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use lakeplan_api::paths;
use lakeplan_api::scenarios::{History, ScenarioEnvelope, VersionEnvelope};
use lakeplan_api::ApiError;
use lakeplan_store::{Origin, Version};

use super::error::AppError;
use super::extract::{parse_scenario, path_version, IfMatch};
use super::scenarios::authorize;
use super::scenarios::{ready_to_save, scenario_response};
use super::{wire, ApiState};
use crate::auth::{audit, Caller, ClientAddress};
use lakeplan_store::Role;

/// Every save of a scenario, newest first.
#[utoipa::path(
    get,
    path = paths::VERSIONS,
    tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id.")),
    responses(
        (status = 200, description = "The history.", body = History),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError)
    )
)]
pub async fn list(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<History>, AppError> {
    let id = authorize(&s, &caller, &id, Role::Viewer).await?;
    let versions = s.storage.call(move |st| st.versions(&id)).await?;
    let current_version = versions.first().map_or(Version::FIRST, |v| v.version);
    Ok(Json(History {
        id: id.to_string(),
        current_version: current_version.0,
        versions: versions.into_iter().map(wire::version_info).collect(),
    }))
}

/// One version with its scenario file.
#[utoipa::path(
    get,
    path = paths::VERSION,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("v" = u64, Path, minimum = 1, description = "The version.")
    ),
    responses(
        (status = 200, description = "The version.", body = VersionEnvelope),
        (status = 404, description = "No such scenario or version (`latest_version` names the newest).", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError)
    )
)]
pub async fn get(
    State(s): State<ApiState>,
    caller: Caller,
    Path((id, v)): Path<(String, String)>,
) -> Result<Json<VersionEnvelope>, AppError> {
    let id = authorize(&s, &caller, &id, Role::Viewer).await?;
    let v = path_version(&v)?;
    let record = s.storage.call(move |st| st.version(&id, v)).await?;
    Ok(Json(wire::version_envelope(record)?))
}

/// Saves a new version whose scenario equals version `v`'s. The old scenario is checked
/// as any save is (it may not validate under a newer model: then 422 names the fields).
#[utoipa::path(
    post,
    path = paths::RESTORE,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("v" = u64, Path, minimum = 1, description = "The version to restore."),
        ("If-Match" = String, Header, description = "The current version, as its ETag or a bare number.")
    ),
    responses(
        (status = 200, description = "Restored as a new version.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The new version, quoted."))),
        (status = 400, description = "If-Match is not a version.", body = ApiError),
        (status = 404, description = "No such scenario or version.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 412, description = "The scenario moved on from the If-Match version.", body = ApiError),
        (status = 422, description = "The old scenario does not validate under this model.", body = ApiError),
        (status = 428, description = "If-Match is missing.", body = ApiError)
    )
)]
pub async fn restore(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path((id, v)): Path<(String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let v = path_version(&v)?;
    let record = s.storage.call(move |st| st.version(&id, v)).await?;
    let books = s.shelf(&caller).await?;
    // An earlier version keeps the book and catalog it was saved with, retired or not.
    let earlier = parse_scenario(&record.body)?;
    let pins = earlier.pricing.clone();
    let draft = ready_to_save(&books, earlier, Some(&pins), caller.signed()?.author())?;
    let current = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Restore { version: v }))
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.restore",
        format!("scenario:{id}@{} from:{v}", current.version),
        audit::OK,
    )
    .await;
    scenario_response(current, false)
}
