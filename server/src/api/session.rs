//! Signing in and out with a local account, and who the caller is.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use lakeplan_api::accounts::{Me, SignIn, TeamRole};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_store::User;

use super::extract::Body;
use super::{ApiState, AppError};
use crate::auth::{self, audit, cookie, secret, throttle, Caller, ClientAddress, Via};

/// Signs in: 204 with the session cookie. Wrong email and wrong password answer the same
/// 401 in the same time; repeated failures answer 429 with `Retry-After`.
#[utoipa::path(
    post,
    path = paths::SESSION,
    tag = "accounts",
    request_body(content = SignIn, content_type = "application/json"),
    responses(
        (status = 204, description = "Signed in.",
            headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Lax; Secure on https)."))),
        (status = 401, description = "Wrong email or password.", body = ApiError),
        (status = 403, description = "Sent from another site's page (Origin).", body = ApiError),
        (status = 415, description = "Not JSON.", body = ApiError),
        (status = 422, description = "A field is missing or not a string.", body = ApiError),
        (status = 429, description = "Too many failures for this account or address.", body = ApiError,
            headers(("Retry-After" = i64, description = "Seconds until the next attempt is counted.")))
    )
)]
pub async fn sign_in(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    Body(form): Body<SignIn>,
) -> Result<Response, AppError> {
    let now = s.auth.now();
    let (account_key, address_key) = throttle::keys(&form.email, &address);
    let target = format!("user:{}", form.email.trim());
    if let Err(e) = throttle::check(&s.storage, &account_key, &address_key, now).await {
        audit::record(
            &s.storage,
            "anonymous".into(),
            &address,
            "sign_in",
            target,
            audit::THROTTLED,
        )
        .await;
        return Err(e);
    }
    let email = form.email.parse().ok();
    let found = match email {
        Some(e) => s.storage.call(move |st| st.user_by_email(&e)).await?,
        None => None,
    };
    let (user, stored) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, None),
    };
    let ok = check_password(&s, form.password, stored).await? && user.is_some();
    let Some(user) = user.filter(|_| ok) else {
        let keys = vec![account_key, address_key];
        s.storage.call(move |st| st.note_failure(&keys)).await?;
        audit::record(
            &s.storage,
            "anonymous".into(),
            &address,
            "sign_in",
            target,
            audit::FAILED,
        )
        .await;
        return Err(AppError::Unauthorized {
            message: "wrong email or password".into(),
        });
    };
    s.storage
        .call(move |st| st.clear_failures(&account_key))
        .await?;
    let response = start_session(&s, &user).await?;
    audit::record(
        &s.storage,
        format!("user:{}", user.email),
        &address,
        "sign_in",
        target,
        audit::OK,
    )
    .await;
    Ok(response)
}

/// Runs the Argon2 check on the blocking pool, at most a few at a time.
async fn check_password(
    s: &ApiState,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    let _permit = s
        .auth
        .checks
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("the password checks are closed: {e}")))?;
    let auth = s.auth.clone();
    tokio::task::spawn_blocking(move || auth.passwords.verify(&password, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(format!("a password check did not finish: {e}")))
}

/// Makes a session for `user` and answers 204 with its cookie.
pub(crate) async fn start_session(s: &ApiState, user: &User) -> Result<Response, AppError> {
    let secret = secret::Secret::new(secret::Kind::Session)?;
    let hash = secret.hash();
    let id = user.id;
    let expires = s.auth.now().plus_ms(auth::SESSION_MS);
    s.storage
        .call(move |st| st.create_session(&hash, &id, expires))
        .await?;
    let cookie = cookie::set(secret.expose(), auth::SESSION_MS / 1000, s.auth.https())?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

pub(crate) fn me(user: &User, via: &Via) -> Me {
    Me {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        teams: user
            .teams
            .iter()
            .map(|m| TeamRole {
                team: m.team.to_string(),
                role: m.role.to_string(),
            })
            .collect(),
        via: match via {
            Via::Session(_) => "session".into(),
            Via::Token { .. } => "token".into(),
        },
    }
}

/// Who the caller is: their teams and roles.
#[utoipa::path(
    get,
    path = paths::SESSION,
    tag = "accounts",
    security(("session" = []), ("token" = [])),
    responses(
        (status = 200, description = "The signed-in user.", body = Me),
        (status = 401, description = "Signed out, or the token no longer works.", body = ApiError)
    )
)]
pub async fn who(caller: Caller) -> Result<Json<Me>, AppError> {
    let signed = caller.signed()?;
    Ok(Json(me(&signed.user, &signed.via)))
}

/// Signs out: ends the session and clears the cookie. 204 even when already signed out.
#[utoipa::path(
    delete,
    path = paths::SESSION,
    tag = "accounts",
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out.",
            headers(("Set-Cookie" = String, description = "Clears the session cookie."))),
        (status = 403, description = "Sent from another site's page (Origin).", body = ApiError)
    )
)]
pub async fn sign_out(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
) -> Result<Response, AppError> {
    if let Caller::Signed(signed) = &caller {
        if let Via::Session(hash) = &signed.via {
            let hash = hash.clone();
            s.storage.call(move |st| st.end_session(&hash)).await?;
            audit::record(
                &s.storage,
                caller.actor(),
                &address,
                "sign_out",
                caller.actor(),
                audit::OK,
            )
            .await;
        }
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie::clear(s.auth.https()))],
    )
        .into_response())
}
