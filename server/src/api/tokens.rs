//! API tokens for the command line and scripts: made by a signed-in user in the browser,
//! shown once, kept as a hash, revocable, with an optional expiry. A token acts with its
//! user's roles as they are at each request, so a demoted user's tokens are demoted too.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use lakeplan_api::accounts::{NewToken, TokenInfo, TokenList, TokenMade};
use lakeplan_api::paths;
use lakeplan_api::ApiError;
use lakeplan_store::TokenId;

use super::extract::{expiry_in_days, Body};
use super::{ApiState, AppError};
use crate::auth::{audit, secret, Caller, ClientAddress, Via};

/// The longest token name.
pub const MAX_NAME_CHARS: usize = 64;

pub(crate) fn info(t: lakeplan_store::TokenInfo) -> TokenInfo {
    TokenInfo {
        id: t.id.to_string(),
        name: t.name,
        created_at: t.created_at.to_string(),
        expires_at: t.expires_at.map(|t| t.to_string()),
        revoked_at: t.revoked_at.map(|t| t.to_string()),
    }
}

/// Makes a token for the signed-in user; its value is in this answer only. Only a browser
/// session can make one, so a leaked token cannot make itself a longer-lived successor.
#[utoipa::path(
    post,
    path = paths::TOKENS,
    tag = "accounts",
    security(("session" = [])),
    request_body(content = NewToken, content_type = "application/json"),
    responses(
        (status = 201, description = "Made; `token` is shown this once.", body = TokenMade),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "Made with a token rather than a session, or a foreign Origin.", body = ApiError),
        (status = 415, description = "Not JSON.", body = ApiError),
        (status = 422, description = "The name is empty or too long, or the expiry is out of range.", body = ApiError)
    )
)]
pub async fn create(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<TokenMade>), AppError> {
    let signed = caller.signed()?;
    if !matches!(signed.via, Via::Session(_)) {
        return Err(AppError::Forbidden {
            message: "tokens are made from a signed-in browser session, not with another token"
                .into(),
        });
    }
    let name = new.name.trim().to_string();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "name",
            format!("must be 1 to {MAX_NAME_CHARS} characters without control characters"),
        ));
    }
    let expires = expiry_in_days("expires_in_days", new.expires_in_days, s.auth.now())?;
    let secret = secret::Secret::new(secret::Kind::ApiToken)?;
    let hash = secret.hash();
    let user = signed.user.id;
    let stored_name = name.clone();
    let made = s
        .storage
        .call(move |st| st.create_token(&user, &stored_name, &hash, expires))
        .await?;
    audit::record(
        &s.storage,
        caller.actor(),
        &address,
        "token.create",
        format!("token:{} ({name})", made.id),
        audit::OK,
    )
    .await;
    Ok((
        StatusCode::CREATED,
        Json(TokenMade {
            id: made.id.to_string(),
            token: secret.expose().to_string(),
            name: made.name,
            expires_at: made.expires_at.map(|t| t.to_string()),
        }),
    ))
}

/// The caller's tokens, newest first, without their values.
#[utoipa::path(
    get,
    path = paths::TOKENS,
    tag = "accounts",
    security(("session" = []), ("token" = [])),
    responses(
        (status = 200, description = "The tokens.", body = TokenList),
        (status = 401, description = "Signed out.", body = ApiError)
    )
)]
pub async fn list(State(s): State<ApiState>, caller: Caller) -> Result<Json<TokenList>, AppError> {
    let user = caller.signed()?.user.id;
    let tokens = s.storage.call(move |st| st.tokens(&user)).await?;
    Ok(Json(TokenList {
        tokens: tokens.into_iter().map(info).collect(),
    }))
}

/// Revokes one of the caller's tokens: it answers 401 from then on.
#[utoipa::path(
    delete,
    path = paths::TOKEN,
    tag = "accounts",
    security(("session" = []), ("token" = [])),
    params(("id" = String, Path, description = "The token's id (from the list), not its value.")),
    responses(
        (status = 204, description = "Revoked."),
        (status = 401, description = "Signed out.", body = ApiError),
        (status = 403, description = "A foreign Origin.", body = ApiError),
        (status = 404, description = "The caller has no token with this id.", body = ApiError)
    )
)]
pub async fn revoke(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let user = caller.signed()?.user.id;
    let not_found = || AppError::NotFound {
        message: format!("you have no token with id {id:?}"),
        fields: Vec::new(),
        latest_version: None,
    };
    let token: TokenId = id.parse().map_err(|_| not_found())?;
    let revoked = s
        .storage
        .call(move |st| st.revoke_token(&user, &token))
        .await?;
    match revoked {
        Some(t) => {
            audit::record(
                &s.storage,
                caller.actor(),
                &address,
                "token.revoke",
                format!("token:{} ({})", t.id, t.name),
                audit::OK,
            )
            .await;
            Ok(StatusCode::NO_CONTENT)
        }
        None => Err(not_found()),
    }
}
