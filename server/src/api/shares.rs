//! Read-only share links of a saved scenario: made and revoked by the team's engineers,
//! listed to the team, opened by anyone holding one (no account), copied by a signed-in
//! engineer into their own team.
//!
//! A link shows the version current when it was made. A revoked link, or one of a deleted
//! scenario, answers 404; an expired one 410. Opening a link is not audited (a read by an
//! outside reader); making, revoking and copying are.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use std::sync::Arc;

use lakeplan_api::accounts::{CopyShare, NewShare, ShareInfo, ShareList, ShareMade, Shared};
use lakeplan_api::books::{book_row, cells_row, BookRows};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_models::library::Shelf;
use lakeplan_models::price_book::Catalog;
use lakeplan_models::report::compute_priced_in;
use lakeplan_models::scenario::Scenario;
use lakeplan_store::{BookId, BookKind, BookStatus, Draft, Origin, Role, Share};

use super::extract::{expiry_in_days, scenario_id, OptionalBody};
use super::scenarios::scenario_response;
use super::{ApiState, AppError};
use crate::auth::{audit, secret, Caller, ClientAddress};

fn url(base: &str, token: &str) -> String {
    format!("{base}{}", paths::Url::shared_planner(token))
}

fn info(base: &str, s: Share) -> ShareInfo {
    ShareInfo {
        url: url(base, &s.token),
        token: s.token,
        version: s.version.0,
        created_by: s.created_by,
        created_at: s.created_at.to_string(),
        expires_at: s.expires_at.map(|t| t.to_string()),
        revoked_at: s.revoked_at.map(|t| t.to_string()),
    }
}

fn no_share() -> AppError {
    AppError::NotFound {
        message: "no share link has this token (it may have been revoked, or its scenario deleted)"
            .into(),
        fields: Vec::new(),
        latest_version: None,
    }
}

/// Makes a share link of the scenario's current version (engineer).
#[utoipa::path(
    post,
    path = paths::SHARES,
    tag = "shares",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "The scenario's id.")),
    request_body(content = Option<NewShare>, content_type = "application/json", description = "Optional: `expires_in_days`."),
    responses(
        (status = 201, description = "Made.", body = ShareMade),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "The caller's role in the scenario's team is below engineer.", body = ApiError),
        (status = 404, description = "No such scenario in the caller's teams.", body = ApiError),
        (status = 410, description = "The scenario is deleted.", body = ApiError),
        (status = 422, description = "The expiry is out of range.", body = ApiError)
    )
)]
pub async fn create(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
    OptionalBody(new): OptionalBody<NewShare>,
) -> Result<(StatusCode, Json<ShareMade>), AppError> {
    let signed = caller.signed()?;
    let id = scenario_id(&id)?;
    let team = s.storage.call(move |st| st.team_of(&id)).await?;
    signed.may(&team, Role::Engineer, &id)?;
    let expires_at = expiry_in_days("expires_in_days", new.expires_in_days, s.auth.now())?;
    let token = secret::Secret::new(secret::Kind::ShareLink)?;
    let new = lakeplan_store::NewShare {
        token: token.expose().to_string(),
        scenario: id,
        created_by: signed.user.email.clone(),
        expires_at,
    };
    let share = s.storage.call(move |st| st.create_share(&new)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "share.create",
        format!("scenario:{id}@{}", share.version),
        audit::OK,
    )
    .await;
    let base = s.auth.base_url(&headers);
    Ok((
        StatusCode::CREATED,
        Json(ShareMade {
            url: url(&base, &share.token),
            token: share.token,
            version: share.version.0,
            expires_at: share.expires_at.map(|t| t.to_string()),
        }),
    ))
}

/// A scenario's share links, newest first (viewer).
#[utoipa::path(
    get,
    path = paths::SHARES,
    tag = "shares",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "The scenario's id.")),
    responses(
        (status = 200, description = "The links, revoked and expired ones included.", body = ShareList),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 404, description = "No such scenario in the caller's teams.", body = ApiError)
    )
)]
pub async fn list(
    State(s): State<ApiState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ShareList>, AppError> {
    let signed = caller.signed()?;
    let id = scenario_id(&id)?;
    let team = s.storage.call(move |st| st.team_of(&id)).await?;
    signed.may(&team, Role::Viewer, &id)?;
    let shares = s.storage.call(move |st| st.shares(&id)).await?;
    let base = s.auth.base_url(&headers);
    Ok(Json(ShareList {
        shares: shares.into_iter().map(|sh| info(&base, sh)).collect(),
    }))
}

/// Revokes a share link (engineer): it answers 404 from then on.
#[utoipa::path(
    delete,
    path = paths::SHARE_REVOKE,
    tag = "shares",
    security(("session" = []), ("token" = [])),
    params(
        ("id" = String, Path, description = "The scenario's id."),
        ("token" = String, Path, description = "The share link's token.")
    ),
    responses(
        (status = 204, description = "Revoked."),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "The caller's role is below engineer.", body = ApiError),
        (status = 404, description = "No such scenario in the caller's teams, or no live link with this token.", body = ApiError)
    )
)]
pub async fn revoke(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path((id, token)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let signed = caller.signed()?;
    let id = scenario_id(&id)?;
    let team = s.storage.call(move |st| st.team_of(&id)).await?;
    signed.may(&team, Role::Engineer, &id)?;
    let revoked = s
        .storage
        .call(move |st| st.revoke_share(&id, &token))
        .await?;
    let share = revoked.ok_or_else(no_share)?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "share.revoke",
        format!("scenario:{id}@{}", share.version),
        audit::OK,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// The live share link with this token, or why not: 404 unknown or revoked, 410 expired.
async fn open_share(s: &ApiState, token: String) -> Result<Share, AppError> {
    if !secret::looks_like(&token, secret::Kind::ShareLink) {
        return Err(no_share());
    }
    let share = s
        .storage
        .call(move |st| st.share(&token))
        .await?
        .ok_or_else(no_share)?;
    if share.revoked_at.is_some() {
        return Err(no_share());
    }
    if share.expires_at.is_some_and(|t| t <= s.auth.now()) {
        return Err(AppError::Expired {
            message: "this share link has expired; ask its sender for a new one".into(),
        });
    }
    Ok(share)
}

/// The shared version, read-only; no account needed.
#[utoipa::path(
    get,
    path = paths::SHARE,
    tag = "shares",
    security(()),
    params(("token" = String, Path, description = "The share link's token.")),
    responses(
        (status = 200, description = "The scenario as saved at the shared version.", body = Shared),
        (status = 404, description = "No such link, or revoked, or its scenario deleted.", body = ApiError),
        (status = 410, description = "The link has expired.", body = ApiError)
    )
)]
pub async fn open(
    State(s): State<ApiState>,
    Path(token): Path<String>,
) -> Result<Json<Shared>, AppError> {
    let share = open_share(&s, token).await?;
    let (id, version) = (share.scenario, share.version);
    let record = s.storage.call(move |st| st.version(&id, version)).await?;
    let catalog = shared_catalog(&s, &record.body).await?;
    let book = shared_book(&s, &record.info.price_book, &record.body, &catalog).await?;
    let scenario = serde_json::value::RawValue::from_string(record.body).map_err(|e| {
        AppError::Internal(format!("scenario {id} version {version} is not JSON: {e}"))
    })?;
    Ok(Json(Shared {
        name: record.info.name,
        customer: record.info.customer,
        version: version.0,
        price_book: record.info.price_book,
        saved_at: record.info.saved_at.to_string(),
        expires_at: share.expires_at.map(|t| t.to_string()),
        scenario,
        book,
        catalog: catalog.map(|(_, rows)| rows),
    }))
}

/// For a version matched in a stored hardware catalog: that catalog, whole (it lists
/// hardware and its published specs, no prices), so the read-only planner can price it.
async fn shared_catalog(
    s: &ApiState,
    body: &str,
) -> Result<Option<(Arc<Catalog>, BookRows)>, AppError> {
    let Ok(scenario) = Scenario::parse(body) else {
        return Ok(None);
    };
    let Ok(id) = scenario.pricing.catalog.parse::<BookId>() else {
        return Ok(None);
    };
    let key = id.clone();
    let (info, _) = s.storage.call(move |st| st.book(&key)).await?;
    if info.status == BookStatus::Draft || info.kind != BookKind::Hardware {
        return Ok(None);
    }
    let catalog = s.books.catalog(&s.storage, &id).await?;
    let rows = catalog.rows_cells().iter().map(|r| cells_row(r)).collect();
    Ok(Some((
        catalog,
        BookRows {
            book: super::books::stored_summary(&info),
            rows,
        },
    )))
}

/// For a version priced with a stored book (published or retired: a draft never prices a
/// saved scenario): the excerpt of that book that prices it (`PriceBook::excerpt` of the
/// rows its report used), sent only when it gives the very same report.
async fn shared_book(
    s: &ApiState,
    price_book: &str,
    body: &str,
    catalog: &Option<(Arc<Catalog>, BookRows)>,
) -> Result<Option<BookRows>, AppError> {
    let Ok(id) = price_book.parse::<BookId>() else {
        return Ok(None);
    };
    let key = id.clone();
    let (info, _) = s.storage.call(move |st| st.book(&key)).await?;
    if info.status == BookStatus::Draft {
        return Ok(None);
    }
    let book = s.books.book(&s.storage, &id).await?;
    let Ok(scenario) = Scenario::parse(body) else {
        return Ok(None);
    };
    let mut shelf = Shelf::default();
    if let Some((c, _)) = catalog {
        shelf = shelf.with_catalog(c.clone());
    }
    let full = compute_priced_in(&shelf.clone().with(book.clone()), &scenario);
    let Ok(full) = full else { return Ok(None) };
    let used: Vec<&str> = full
        .assumptions
        .rows_used
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let excerpt = Arc::new(book.excerpt(|row| used.contains(&row)));
    let again = compute_priced_in(&shelf.with(excerpt.clone()), &scenario);
    let same =
        again.is_ok_and(|r| serde_json::to_value(&r).ok() == serde_json::to_value(&full).ok());
    Ok(same.then(|| BookRows {
        book: super::books::stored_summary(&info),
        rows: excerpt.rows().iter().map(book_row).collect(),
    }))
}

/// Copies the shared version into one of the caller's teams as a new scenario (engineer
/// there); `team` is needed when the caller can save to several.
#[utoipa::path(
    post,
    path = paths::SHARE_COPY,
    tag = "shares",
    security(("session" = []), ("token" = [])),
    params(("token" = String, Path, description = "The share link's token.")),
    request_body(content = Option<CopyShare>, content_type = "application/json", description = "Optional: the `team` to copy into."),
    responses(
        (status = 201, description = "The copy, version 1.", body = lakeplan_api::scenarios::ScenarioEnvelope),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "No team gives the caller the engineer role.", body = ApiError),
        (status = 404, description = "No such link, or revoked.", body = ApiError),
        (status = 410, description = "The link has expired.", body = ApiError),
        (status = 422, description = "`team` is missing (several teams) or not one of the caller's.", body = ApiError)
    )
)]
pub async fn copy(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(token): Path<String>,
    OptionalBody(body): OptionalBody<CopyShare>,
) -> Result<Response, AppError> {
    let signed = caller.signed()?;
    let team = signed.team_for_new(body.team.as_deref())?;
    let share = open_share(&s, token).await?;
    let (id, version) = (share.scenario, share.version);
    let record = s.storage.call(move |st| st.version(&id, version)).await?;
    let draft = Draft {
        name: record.info.name,
        customer: record.info.customer,
        price_book: record.info.price_book,
        body: record.body,
        saved_by: signed.author(),
    };
    let into = team.clone();
    let copied = s
        .storage
        .call(move |st| {
            st.create(
                &into,
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
        "share.copy",
        format!("scenario:{}", copied.id),
        audit::OK,
    )
    .await;
    scenario_response(copied, true)
}
