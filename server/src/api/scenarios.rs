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

use crate::books::Visible;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lakeplan_api::paths::{self, Sheet};
use lakeplan_api::scenarios::{Deletion, ScenarioEnvelope, ScenarioList};
use lakeplan_api::ApiError;
use lakeplan_models::report::compute_priced_in;
use lakeplan_models::reprice;
use lakeplan_models::scenario::{Pricing, Scenario};
use lakeplan_store::{Current, Draft, ListQuery, Origin, Version};

use lakeplan_store::{Role, ScenarioId};

use super::error::AppError;
use super::extract::{
    parse_scenario, scenario_id, IfMatch, MaybeIfMatch, NewScenario, Params, ScenarioJson,
};
use super::openapi::ScenarioFile;
use super::{wire, ApiState};
use crate::auth::{audit, Caller, ClientAddress};

/// The envelope of `current` with its ETag; `created` adds 201 and `Location`.
pub(super) fn scenario_response(current: Current, created: bool) -> Result<Response, AppError> {
    let id = current.id;
    let version = current.version;
    let body = serde_json::to_vec(&wire::envelope(current)?)
        .map_err(|e| AppError::Internal(format!("cannot write scenario {id}: {e}")))?;
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
            (header::ETAG, etag(version)),
            // A browser may keep it, but must ask (If-None-Match) before reusing it.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response();
    if created {
        if let Ok(location) = HeaderValue::from_str(&paths::Url::scenario(&id.to_string())) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    Ok(response)
}

pub(super) fn etag(v: Version) -> HeaderValue {
    // Digits and quotes are always a valid header value.
    HeaderValue::from_str(&format!("\"{v}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Checks that a scenario can be saved: pins its price book and hardware catalog (the
/// newest the caller may use), checks they may be picked (a retired one only by a
/// scenario already pinned to it, `was`; never a draft) and prices it. Every pricing
/// problem comes back at once as a 422.
pub(super) fn ready_to_save(
    books: &Visible,
    mut scenario: Scenario,
    was: Option<&Pricing>,
    saved_by: String,
) -> Result<Draft, AppError> {
    reprice::pin_in(&books.shelf, &mut scenario);
    let p = &scenario.pricing;
    let before = |f: fn(&Pricing) -> &str| was.map(f);
    books.may_pick(Sheet::PriceBook, &p.price_book, before(|w| &w.price_book))?;
    books.may_pick(Sheet::Catalog, &p.catalog, before(|w| &w.catalog))?;
    compute_priced_in(&books.shelf, &scenario)?;
    Draft::of(&scenario, saved_by)
        .map_err(|e| AppError::Internal(format!("cannot write the scenario as JSON: {e}")))
}

/// The scenario a path names, if the caller may act on it with `role`: 401 signed out,
/// 404 for an unknown id or another team's scenario (its existence is not disclosed), 403
/// for a member whose role is below `role`. Checked before anything else is read, so a
/// deleted scenario of another team answers 404 too, not 410.
pub(super) async fn authorize(
    s: &ApiState,
    caller: &Caller,
    id: &str,
    role: Role,
) -> Result<ScenarioId, AppError> {
    let signed = caller.signed()?;
    let id = scenario_id(id)?;
    let team = s.storage.call(move |st| st.team_of(&id)).await?;
    signed.may(&team, role, &id)?;
    Ok(id)
}

/// The saved scenarios, most recently saved first.
#[utoipa::path(
    get,
    path = paths::SCENARIOS,
    tag = "scenarios",
    params(
        ("q" = Option<String>, Query, description = "Only scenarios whose name or customer contains this text, ignoring case."),
        ("deleted" = Option<bool>, Query, description = "List the deleted scenarios still restorable instead (most recently deleted first).")
    ),
    responses(
        (status = 200, description = "The list.", body = ScenarioList),
        (status = 400, description = "`deleted` is not true or false.", body = ApiError)
    )
)]
pub async fn list(
    State(s): State<ApiState>,
    caller: Caller,
    params: Params,
) -> Result<Json<ScenarioList>, AppError> {
    let signed = caller.signed()?;
    let query = ListQuery {
        text: params.get("q").map(str::to_string),
        deleted: params.flag("deleted")?,
        teams: signed.user.teams_with(Role::Viewer),
    };
    let scenarios = s.storage.call(move |st| st.list(&query)).await?;
    Ok(Json(ScenarioList {
        scenarios: scenarios.into_iter().map(wire::summary).collect(),
    }))
}

/// Saves a new scenario as version 1 (its price book pinned: the newest when it names
/// none).
#[utoipa::path(
    post,
    path = paths::SCENARIOS,
    tag = "scenarios",
    request_body(content = ScenarioFile, content_type = "application/json"),
    responses(
        (status = 201, description = "Saved.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The version, quoted: send it back in If-Match."),
                    ("Location" = String, description = "The scenario's URL."))),
        (status = 400, description = "The body is not JSON.", body = ApiError),
        (status = 415, description = "The body is not sent as application/json.", body = ApiError),
        (status = 422, description = "The scenario is invalid or cannot be priced; every field at fault is named.", body = ApiError)
    )
)]
pub async fn create(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    params: Params,
    NewScenario { scenario, team }: NewScenario,
) -> Result<Response, AppError> {
    let signed = caller.signed()?;
    let team = signed.team_for_new(team.as_deref().or(params.get("team")))?;
    let books = s.shelf(&caller).await?;
    let draft = ready_to_save(&books, scenario, None, signed.author())?;
    let current = s
        .storage
        .call(move |st| st.create(&team, &draft, &Origin::Create))
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.create",
        format!("scenario:{}", current.id),
        audit::OK,
    )
    .await;
    scenario_response(current, true)
}

/// One saved scenario's current version; 304 when `If-None-Match` names it.
#[utoipa::path(
    get,
    path = paths::SCENARIO,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("If-None-Match" = Option<String>, Header, description = "An ETag held: 304 while it is still the current version.")
    ),
    responses(
        (status = 200, description = "The scenario.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The version, quoted."))),
        (status = 304, description = "Unchanged since the ETag sent."),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted; restorable until `purge_after`.", body = ApiError)
    )
)]
pub async fn get(
    State(s): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Viewer).await?;
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
    scenario_response(current, false)
}

/// Saves a new version, if the scenario is still at the version `If-Match` names.
#[utoipa::path(
    put,
    path = paths::SCENARIO,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("If-Match" = String, Header, description = "The version the edit is based on: its ETag (\"3\") or a bare number (3).")
    ),
    request_body(content = ScenarioFile, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved as a new version.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The new version, quoted."))),
        (status = 400, description = "The body is not JSON, or If-Match is not a version.", body = ApiError),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError),
        (status = 412, description = "Another save came first: nothing saved; `current_version` says which to reload.", body = ApiError),
        (status = 415, description = "The body is not sent as application/json.", body = ApiError),
        (status = 422, description = "The scenario is invalid or cannot be priced.", body = ApiError),
        (status = 428, description = "If-Match is missing.", body = ApiError)
    )
)]
pub async fn put(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
    IfMatch(expected): IfMatch,
    ScenarioJson(scenario): ScenarioJson,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let books = s.shelf(&caller).await?;
    // A scenario pinned to a book or catalog that was retired since keeps it.
    let retired = |sheet: Sheet, id: &str| {
        books
            .stored_sheet(sheet, id)
            .is_some_and(|b| b.status == lakeplan_store::BookStatus::Retired)
    };
    let was = if retired(Sheet::PriceBook, &scenario.pricing.price_book)
        || retired(Sheet::Catalog, &scenario.pricing.catalog)
    {
        let current = s.storage.call(move |st| st.get(&id)).await?;
        Some(parse_scenario(&current.body)?.pricing)
    } else {
        None
    };
    let draft = ready_to_save(&books, scenario, was.as_ref(), caller.signed()?.author())?;
    let current = s
        .storage
        .call(move |st| st.save(&id, expected, &draft, &Origin::Save))
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.save",
        format!("scenario:{id}@{}", current.version),
        audit::OK,
    )
    .await;
    scenario_response(current, false)
}

/// Deletes a scenario: restorable for 30 days, then purged. With `If-Match`, only if it
/// is still at that version.
#[utoipa::path(
    delete,
    path = paths::SCENARIO,
    tag = "scenarios",
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("If-Match" = Option<String>, Header, description = "Delete only if the scenario is still at this version.")
    ),
    responses(
        (status = 200, description = "Deleted; `purge_after` says until when it can be undeleted.", body = Deletion),
        (status = 400, description = "If-Match is not a version.", body = ApiError),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Already deleted.", body = ApiError),
        (status = 412, description = "The scenario moved on from the If-Match version.", body = ApiError)
    )
)]
pub async fn delete(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
    MaybeIfMatch(expected): MaybeIfMatch,
) -> Result<Json<Deletion>, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let deletion = s.storage.call(move |st| st.delete(&id, expected)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.delete",
        format!("scenario:{id}@{}", deletion.version),
        audit::OK,
    )
    .await;
    Ok(Json(wire::deletion(deletion)))
}

/// Brings a deleted scenario back as it was, within its 30 days.
#[utoipa::path(
    post,
    path = paths::UNDELETE,
    tag = "scenarios",
    params(("id" = String, Path, description = "The scenario's id.")),
    responses(
        (status = 200, description = "Back, at the version it had.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The version, quoted."))),
        (status = 404, description = "No such scenario (or purged).", body = ApiError),
        (status = 409, description = "The scenario is not deleted.", body = ApiError)
    )
)]
pub async fn undelete(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let current = s.storage.call(move |st| st.undelete(&id)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.undelete",
        format!("scenario:{id}"),
        audit::OK,
    )
    .await;
    scenario_response(current, false)
}

/// A new scenario (201) whose first version is the current version of this one, named
/// "… (copy)". The copy is made from the saved JSON as it is, so a scenario saved under
/// older validation rules can still be copied.
#[utoipa::path(
    post,
    path = paths::DUPLICATE,
    tag = "scenarios",
    params(("id" = String, Path, description = "The scenario to copy.")),
    responses(
        (status = 201, description = "The copy.", body = ScenarioEnvelope,
            headers(("ETag" = String, description = "The copy's version, quoted."),
                    ("Location" = String, description = "The copy's URL."))),
        (status = 404, description = "No such scenario.", body = ApiError),
        (status = 410, description = "Deleted.", body = ApiError)
    )
)]
pub async fn duplicate(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = authorize(&s, &caller, &id, Role::Engineer).await?;
    let author = caller.signed()?.author();
    let current = s
        .storage
        .call(move |st| {
            let source = st.get(&id)?;
            let draft = copy_of(&source, author);
            Ok(draft.map(|d| (d, source.version)))
        })
        .await??;
    let (draft, version) = current;
    // The copy stays in the source's team.
    let copy = s
        .storage
        .call(move |st| {
            let team = st.team_of(&id)?;
            st.create(
                &team,
                &draft,
                &Origin::Duplicate {
                    scenario: id,
                    version,
                },
            )
        })
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "scenario.duplicate",
        format!("scenario:{} from:{id}@{version}", copy.id),
        audit::OK,
    )
    .await;
    scenario_response(copy, true)
}

fn copy_of(source: &Current, saved_by: String) -> Result<Draft, AppError> {
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
        saved_by,
    })
}
