//! Users, teams and roles (admin), and the audit log (admin).
//!
//! `POST /api/users` does what `lakeplan users add` does; both go through
//! [`put_member`], so the page and the command line cannot disagree.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use lakeplan_api::accounts::{
    AuditEntry, AuditPage, NewTeam, PutMember, TeamInfo, TeamList, TeamRole, UserInfo, UserList,
};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_store::{AuditQuery, Email, MemberChange, Role, TeamName, User};

use super::extract::{Body, Params};
use super::{ApiState, AppError};
use crate::auth::{audit, password, Caller, ClientAddress};

/// The most entries one page of the audit log holds.
pub const MAX_AUDIT_PAGE: u32 = 500;
/// Entries per page when `limit` is not given.
pub const AUDIT_PAGE: u32 = 100;

pub(crate) fn user_info(u: User) -> UserInfo {
    UserInfo {
        id: u.id.to_string(),
        email: u.email,
        name: u.name,
        teams: u
            .teams
            .into_iter()
            .map(|m| TeamRole {
                team: m.team.to_string(),
                role: m.role.to_string(),
            })
            .collect(),
        created_at: u.created_at.to_string(),
        has_password: u.has_password,
    }
}

/// Checks a member change as the API and the command line receive it: every field's
/// problem at once, then the password hashed.
pub fn member_change(
    email: &str,
    name: Option<&str>,
    team: &str,
    role: &str,
    password: Option<&str>,
    passwords: &password::Passwords,
) -> Result<MemberChange, AppError> {
    let mut errors = Vec::new();
    let email: Option<Email> = email
        .parse()
        .map_err(|e: lakeplan_store::NameError| {
            errors.push(lakeplan_models::field::FieldError::new(
                "email",
                e.to_string(),
            ))
        })
        .ok();
    let team: Option<TeamName> = team
        .parse()
        .map_err(|e: lakeplan_store::NameError| {
            errors.push(lakeplan_models::field::FieldError::new(
                "team",
                e.to_string(),
            ))
        })
        .ok();
    let role: Option<Role> = role
        .parse()
        .map_err(|e: lakeplan_store::NameError| {
            errors.push(lakeplan_models::field::FieldError::new(
                "role",
                e.to_string(),
            ))
        })
        .ok();
    let name = name.map(str::trim).unwrap_or_default().to_string();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push(lakeplan_models::field::FieldError::new(
            "name",
            "must be at most 100 characters without control characters",
        ));
    }
    if let Some(p) = password {
        if let Err(m) = password::acceptable(p) {
            errors.push(lakeplan_models::field::FieldError::new("password", m));
        }
    }
    match (email, team, role) {
        (Some(email), Some(team), Some(role)) if errors.is_empty() => Ok(MemberChange {
            email,
            name,
            team,
            role,
            password_hash: password.map(|p| passwords.hash(p)).transpose()?,
        }),
        _ => Err(AppError::Invalid { errors }),
    }
}

fn admin(caller: &Caller) -> Result<&crate::auth::Signed, AppError> {
    let signed = caller.signed()?;
    signed.must_be(Role::Admin)?;
    Ok(signed)
}

/// Every user with their teams and roles (admin).
#[utoipa::path(
    get,
    path = paths::USERS,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    responses(
        (status = 200, description = "By email.", body = UserList),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError)
    )
)]
pub async fn users(State(s): State<ApiState>, caller: Caller) -> Result<Json<UserList>, AppError> {
    admin(&caller)?;
    let users = s.storage.call(|st| st.users()).await?;
    Ok(Json(UserList {
        users: users.into_iter().map(user_info).collect(),
    }))
}

/// Adds a user, or a team to a user, or changes their role there, or sets their password
/// (admin). A changed role or password ends the user's sessions.
#[utoipa::path(
    post,
    path = paths::USERS,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    request_body(content = PutMember, content_type = "application/json"),
    responses(
        (status = 200, description = "The user as now.", body = UserInfo),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError),
        (status = 422, description = "Every field that is wrong.", body = ApiError)
    )
)]
pub async fn put_member(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Body(form): Body<PutMember>,
) -> Result<Json<UserInfo>, AppError> {
    admin(&caller)?;
    let auth = s.auth.clone();
    let change = tokio::task::spawn_blocking(move || {
        member_change(
            &form.email,
            form.name.as_deref(),
            &form.team,
            &form.role,
            form.password.as_deref(),
            &auth.passwords,
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing did not finish: {e}")))??;
    let target = format!(
        "user:{} team:{} role:{}{}",
        change.email,
        change.team,
        change.role,
        if change.password_hash.is_some() {
            " password set"
        } else {
            ""
        }
    );
    let user = s.storage.call(move |st| st.put_member(&change)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "user.put",
        target,
        audit::OK,
    )
    .await;
    Ok(Json(user_info(user)))
}

fn no_user(email: &str) -> AppError {
    AppError::NotFound {
        message: format!("no user has email {email:?}"),
        fields: Vec::new(),
        latest_version: None,
    }
}

/// Removes a user with their sessions and tokens; their scenarios stay with their teams
/// (admin).
#[utoipa::path(
    delete,
    path = paths::USER,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    params(("email" = String, Path, description = "The user's email, any case.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError),
        (status = 404, description = "No such user.", body = ApiError)
    )
)]
pub async fn remove_user(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<StatusCode, AppError> {
    admin(&caller)?;
    let parsed: Email = email.parse().map_err(|_| no_user(&email))?;
    let removed = s.storage.call(move |st| st.remove_user(&parsed)).await?;
    let user = removed.ok_or_else(|| no_user(&email))?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "user.remove",
        format!("user:{}", user.email),
        audit::OK,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a user out of a team; their sessions end (admin).
#[utoipa::path(
    delete,
    path = paths::MEMBERSHIP,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    params(
        ("email" = String, Path, description = "The user's email, any case."),
        ("team" = String, Path, description = "The team.")
    ),
    responses(
        (status = 204, description = "Taken out."),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError),
        (status = 404, description = "No such user, or not a member of that team.", body = ApiError)
    )
)]
pub async fn remove_member(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path((email, team)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    admin(&caller)?;
    let parsed: Email = email.parse().map_err(|_| no_user(&email))?;
    let found = s.storage.call(move |st| st.user_by_email(&parsed)).await?;
    let (user, _) = found.ok_or_else(|| no_user(&email))?;
    let not_member = || AppError::NotFound {
        message: format!("{} is not a member of team {team:?}", user.email),
        fields: Vec::new(),
        latest_version: None,
    };
    let team_name: TeamName = team.parse().map_err(|_| not_member())?;
    let id = user.id;
    let tn = team_name.clone();
    let out = s.storage.call(move |st| st.remove_member(&id, &tn)).await?;
    out.ok_or_else(not_member)?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "user.remove_team",
        format!("user:{} team:{team_name}", user.email),
        audit::OK,
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Every team with its member count (admin).
#[utoipa::path(
    get,
    path = paths::TEAMS,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    responses(
        (status = 200, description = "By name.", body = TeamList),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError)
    )
)]
pub async fn teams(State(s): State<ApiState>, caller: Caller) -> Result<Json<TeamList>, AppError> {
    admin(&caller)?;
    let teams = s.storage.call(|st| st.teams()).await?;
    Ok(Json(TeamList {
        teams: teams
            .into_iter()
            .map(|t| TeamInfo {
                name: t.name.to_string(),
                created_at: t.created_at.to_string(),
                members: t.members,
            })
            .collect(),
    }))
}

/// Makes a team (admin).
#[utoipa::path(
    post,
    path = paths::TEAMS,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    request_body(content = NewTeam, content_type = "application/json"),
    responses(
        (status = 201, description = "Made.", body = TeamInfo),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError),
        (status = 409, description = "The team exists.", body = ApiError),
        (status = 422, description = "Not a team name.", body = ApiError)
    )
)]
pub async fn create_team(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Body(form): Body<NewTeam>,
) -> Result<(StatusCode, Json<TeamInfo>), AppError> {
    admin(&caller)?;
    let name: TeamName = form
        .name
        .parse()
        .map_err(|e: lakeplan_store::NameError| AppError::invalid("name", e.to_string()))?;
    let team = s.storage.call(move |st| st.create_team(&name)).await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "team.create",
        format!("team:{}", team.name),
        audit::OK,
    )
    .await;
    Ok((
        StatusCode::CREATED,
        Json(TeamInfo {
            name: team.name.to_string(),
            created_at: team.created_at.to_string(),
            members: team.members,
        }),
    ))
}

/// The audit log, newest first, filtered and paged (admin).
#[utoipa::path(
    get,
    path = paths::AUDIT,
    tag = "admin",
    security(("session" = []), ("token" = [])),
    params(
        ("since" = Option<String>, Query, description = "Only entries at or after this time (RFC 3339, UTC, e.g. 2026-12-01T00:00:00Z)."),
        ("actor" = Option<String>, Query, description = "Only entries whose actor contains this text, ignoring case."),
        ("action" = Option<String>, Query, description = "Only entries with exactly this action (sign_in, scenario.create, …)."),
        ("before" = Option<i64>, Query, minimum = 1, description = "Only entries older than this `seq` (the `next_before` of the previous page)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Entries per page, 1 to 500 (default 100).")
    ),
    responses(
        (status = 200, description = "One page.", body = AuditPage),
        (status = 400, description = "A parameter is not of its type or out of range.", body = ApiError),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Not an admin.", body = ApiError)
    )
)]
pub async fn audit_log(
    State(s): State<ApiState>,
    caller: Caller,
    params: Params,
) -> Result<Json<AuditPage>, AppError> {
    admin(&caller)?;
    let since = match params.get("since") {
        Some(t) => Some(crate::date::parse_instant(t).ok_or_else(|| {
            AppError::bad_request(
                "since",
                format!("must be a time like 2026-12-01T00:00:00Z, got {t:?}"),
            )
        })?),
        None => None,
    };
    let before = match params.get("before") {
        Some(b) => Some(b.parse::<i64>().ok().filter(|b| *b >= 1).ok_or_else(|| {
            AppError::bad_request(
                "before",
                format!("must be a whole number ≥ 1 (a seq), got {b:?}"),
            )
        })?),
        None => None,
    };
    let limit = match params.get("limit") {
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=MAX_AUDIT_PAGE).contains(l))
            .ok_or_else(|| {
                AppError::bad_request("limit", format!("must be 1 to {MAX_AUDIT_PAGE}, got {l:?}"))
            })?,
        None => AUDIT_PAGE,
    };
    let query = AuditQuery {
        since,
        actor: params.get("actor").map(str::to_string),
        action: params.get("action").map(str::to_string),
        before,
        limit,
    };
    let entries = s.storage.call(move |st| st.audit_log(&query)).await?;
    let next_before = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries
            .into_iter()
            .map(|e| AuditEntry {
                seq: e.seq,
                at: e.at.to_string(),
                actor: e.event.actor,
                address: e.event.address,
                action: e.event.action,
                target: e.event.target,
                outcome: e.event.outcome,
            })
            .collect(),
        next_before,
    }))
}
