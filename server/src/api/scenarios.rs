//! The saved scenarios: list, create, read, save (with If-Match), delete and undelete,
//! duplicate.
//!
//! A scenario is answered as an envelope, the saved file under `scenario`:
//!
//! ```json
//! { "id": "…", "version": 3, "name": "…", "customer": "…", "price_book": "2026-11",
//!   "created_at": "2026-05-01T09:30:00.000Z", "updated_at": "…", "scenario": { … } }
//! ```
//!
//! The version is also the `ETag` (`"3"`); a save sends it back in `If-Match`. The
//! envelope keeps `id` and `version` out of the scenario file, so what a client PUTs is
//! exactly a scenario file (spec/scenario.md), which rejects unknown fields.
//!
//! Saving pins the price book: a scenario that names none is saved naming the newest, so
//! reopening it later prices it with the same book and shows the same figures. A save is
//! refused (422) unless the scenario validates and can be priced, so every saved version
//! can be exported.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lakeplan_models::report::compute_priced;
use lakeplan_models::reprice;
use lakeplan_models::scenario::Scenario;
use lakeplan_store::{Current, Draft, ListQuery, Origin, ScenarioId, Timestamp, Version};
use serde::Serialize;
use serde_json::value::RawValue;

use super::error::AppError;
use super::extract::{scenario_id, IfMatch, MaybeIfMatch, Params, ScenarioJson};
use super::ApiState;

/// A scenario as the API answers it.
#[derive(Serialize)]
struct Envelope<'a> {
    id: ScenarioId,
    version: Version,
    name: &'a str,
    customer: &'a str,
    price_book: &'a str,
    created_at: Timestamp,
    updated_at: Timestamp,
    scenario: &'a RawValue,
}

/// The envelope of `current` with its ETag; `created` adds 201 and `Location`.
pub(super) fn scenario_response(current: &Current, created: bool) -> Result<Response, AppError> {
    let scenario: &RawValue = serde_json::from_str(&current.body).map_err(|e| {
        AppError::Internal(format!(
            "scenario {} version {} is stored as text that is not JSON: {e}",
            current.id, current.version
        ))
    })?;
    let body = serde_json::to_vec(&Envelope {
        id: current.id,
        version: current.version,
        name: &current.name,
        customer: &current.customer,
        price_book: &current.price_book,
        created_at: current.created_at,
        updated_at: current.updated_at,
        scenario,
    })
    .map_err(|e| AppError::Internal(format!("cannot write scenario {}: {e}", current.id)))?;
    let mut response = (
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag(current.version)),
            // A browser may keep it, but must ask (If-None-Match) before reusing it.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response();
    if created {
        if let Ok(location) = HeaderValue::from_str(&format!("/api/scenarios/{}", current.id)) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    Ok(response)
}

pub(super) fn etag(v: Version) -> HeaderValue {
    // Digits and quotes are always a valid header value.
    HeaderValue::from_str(&format!("\"{v}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Checks that a scenario can be saved: pins its price book and prices it. Every problem
/// comes back at once as a 422.
pub(super) fn ready_to_save(mut scenario: Scenario) -> Result<Draft, AppError> {
    reprice::pin(&mut scenario);
    compute_priced(&scenario).map_err(|e| AppError::Invalid { errors: e.0 })?;
    Draft::of(&scenario)
        .map_err(|e| AppError::Internal(format!("cannot write the scenario as JSON: {e}")))
}

#[derive(Serialize)]
struct List {
    scenarios: Vec<lakeplan_store::Summary>,
}

/// `GET /api/scenarios[?q=text][&deleted=true]`
pub async fn list(State(s): State<ApiState>, params: Params) -> Result<Response, AppError> {
    let query = ListQuery {
        text: params.get("q").map(str::to_string),
        deleted: params.flag("deleted")?,
    };
    let scenarios = s.storage.call(move |st| st.list(&query)).await?;
    Ok(axum::Json(List { scenarios }).into_response())
}

/// `POST /api/scenarios`: 201 with the envelope and `Location`.
pub async fn create(
    State(s): State<ApiState>,
    ScenarioJson(scenario): ScenarioJson,
) -> Result<Response, AppError> {
    let draft = ready_to_save(scenario)?;
    let current = s
        .storage
        .call(move |st| st.create(&draft, &Origin::Create))
        .await?;
    scenario_response(&current, true)
}

/// `GET /api/scenarios/{id}`: 200, or 304 when `If-None-Match` names the current version.
pub async fn get(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let current = s.storage.call(move |st| st.get(&id)).await?;
    let tag = etag(current.version);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == tag)
        });
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    scenario_response(&current, false)
}

/// `PUT /api/scenarios/{id}` with `If-Match`: a new version, or 412 with the current one.
pub async fn put(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    ScenarioJson(scenario): ScenarioJson,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let draft = ready_to_save(scenario)?;
    let current = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Save))
        .await?;
    scenario_response(&current, false)
}

/// `DELETE /api/scenarios/{id}` (optional `If-Match`): 200 with when it can be undeleted.
pub async fn delete(
    State(s): State<ApiState>,
    Path(id): Path<String>,
    MaybeIfMatch(expected): MaybeIfMatch,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let deletion = s.storage.call(move |st| st.delete(&id, expected)).await?;
    Ok(axum::Json(deletion).into_response())
}

/// `POST /api/scenarios/{id}/undelete`: the scenario back as it was.
pub async fn undelete(
    State(s): State<ApiState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let current = s.storage.call(move |st| st.undelete(&id)).await?;
    scenario_response(&current, false)
}

/// `POST /api/scenarios/{id}/duplicate`: a new scenario (201) whose first version is the
/// current version of this one, named "… (copy)". The copy is made from the saved JSON
/// as it is, so a scenario saved under older validation rules can still be copied.
pub async fn duplicate(
    State(s): State<ApiState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = scenario_id(&id)?;
    let current = s
        .storage
        .call(move |st| {
            let source = st.get(&id)?;
            let draft = copy_of(&source);
            Ok(draft.map(|d| (d, source.version)))
        })
        .await??;
    let (draft, version) = current;
    let copy = s
        .storage
        .call(move |st| {
            st.create(
                &draft,
                &Origin::Duplicate {
                    scenario: id,
                    version,
                },
            )
        })
        .await?;
    scenario_response(&copy, true)
}

fn copy_of(source: &Current) -> Result<Draft, AppError> {
    let mut value: serde_json::Value = serde_json::from_str(&source.body).map_err(|e| {
        AppError::Internal(format!(
            "scenario {} is stored as text that is not JSON: {e}",
            source.id
        ))
    })?;
    let name = if source.name.trim().is_empty() {
        "Copy".to_string()
    } else {
        format!("{} (copy)", source.name)
    };
    if let Some(obj) = value.as_object_mut() {
        obj.insert("name".into(), serde_json::Value::String(name.clone()));
    }
    Ok(Draft {
        name,
        customer: source.customer.clone(),
        price_book: source.price_book.clone(),
        body: value.to_string(),
    })
}
