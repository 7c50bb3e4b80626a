//! Signing in through an OpenID Connect provider: the two browser routes around
//! [`crate::oidc`].
//!
//! - `GET /auth/oidc/login[?next=/path]` starts a sign-in: a fresh state, nonce and PKCE
//!   verifier kept in the store under the hash of a random value that only this browser
//!   holds (the sign-in cookie, ten minutes), then 303 to the provider.
//! - `GET /auth/oidc/callback?code=…&state=…` takes that pending sign-in out of the store
//!   (once), lets [`Oidc::finish`] check the state and the ID token, maps the groups to
//!   teams and roles, makes or updates the user, and answers 303 to `next` with a session.
//!
//! Keying the pending sign-in on the browser's cookie rather than on `state` alone means a
//! callback URL handed to someone else (login CSRF) finds nothing in their browser.
//! The provider's store of record for teams and roles is its groups claim: each sign-in
//! replaces the user's memberships with the ones the groups give, and a user whose groups
//! give no team is told so instead of getting an empty planner.
//!
//! Failures answer a short HTML page (a person is looking at it, not a script) with the
//! reason and a link to start again; nothing on it or in the audit log is a code, token or
//! verifier.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use lakeplan_store::{Membership, ProviderUser, StoreError};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use super::{audit, cookie, secret, ClientAddress};
use crate::api::{start_session, ApiState, AppError};
use crate::oidc::{memberships, GroupMapping, Oidc, OidcConfig, OidcError, Pending};

/// OpenID Connect as configured at start. The provider is discovered on first use and
/// kept: a provider that is down when the server starts delays sign-in, not the server.
pub struct ProviderSignIn {
    config: OidcConfig,
    groups: GroupMapping,
    discovered: OnceCell<Oidc>,
}

impl ProviderSignIn {
    pub fn new(config: OidcConfig, groups: GroupMapping) -> ProviderSignIn {
        ProviderSignIn {
            config,
            groups,
            discovered: OnceCell::new(),
        }
    }

    /// The issuer, for the start-up line.
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// The discovered provider; discovers it (again, after a failure) when needed.
    pub async fn provider(&self) -> Result<&Oidc, OidcError> {
        self.discovered
            .get_or_try_init(|| Oidc::discover(self.config.clone()))
            .await
    }
}

/// What the store keeps between the redirect to the provider and the callback.
#[derive(Serialize, Deserialize)]
struct Stored {
    pending: Pending,
    /// Where to send the browser once signed in (a path on this server).
    next: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// The page to return to once signed in: a path on this server (default `/`).
    #[serde(default)]
    next: Option<String>,
}

/// The callback's query as providers send it: a code and the state, or an error.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    /// The provider's issuer (RFC 9207), checked when present.
    #[serde(default)]
    iss: Option<String>,
    /// Set instead of `code` when the provider did not sign the user in (`access_denied`…).
    #[serde(default)]
    error: Option<String>,
}

/// A path on this server, or `/`: never another site (an open redirect) or a
/// protocol-relative `//host`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

fn not_configured() -> AppError {
    AppError::NotFound {
        message: "OpenID Connect is not configured on this server (LAKEPLAN_OIDC_ISSUER); \
                  sign in with an email and password"
            .into(),
        fields: Vec::new(),
        latest_version: None,
    }
}

/// Starts a sign-in at the provider.
#[utoipa::path(
    get,
    path = lakeplan_api::paths::OIDC_LOGIN,
    tag = "accounts",
    params(LoginQuery),
    responses(
        (status = 303, description = "To the provider's sign-in page, with the sign-in cookie.",
            headers(("Location" = String, description = "The provider's authorization URL."),
                ("Set-Cookie" = String, description = "Binds the sign-in to this browser (ten minutes)."))),
        (status = 404, description = "OpenID Connect is not configured.", body = lakeplan_api::ApiError),
        (status = 503, description = "The provider cannot be reached: a page saying so.", content_type = "text/html", body = String)
    )
)]
pub async fn login(
    State(s): State<ApiState>,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let Some(oidc) = s.oidc.clone() else {
        return Err(not_configured());
    };
    let provider = match oidc.provider().await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!("OpenID Connect sign-in cannot start: {e}");
            return Ok(page(
                StatusCode::SERVICE_UNAVAILABLE,
                "The sign-in service cannot be reached",
                "Lakeplan could not reach your organisation's sign-in service. Try again in a \
                 minute; if it keeps failing, tell whoever runs this server (its log says why).",
            ));
        }
    };
    let (url, pending) = provider.begin();
    let binding = secret::Secret::new(secret::Kind::ProviderSignIn)?;
    let hash = binding.hash();
    let stored = serde_json::to_string(&Stored {
        pending,
        next: local_path(query.next.as_deref()),
    })
    .map_err(|e| AppError::Internal(format!("cannot keep the sign-in: {e}")))?;
    let expires = s.auth.now().plus_ms(cookie::SIGN_IN_SECS * 1000);
    s.storage
        .call(move |st| st.put_pending_sign_in(&hash, &stored, expires))
        .await?;
    let location = HeaderValue::from_str(&url)
        .map_err(|e| AppError::Internal(format!("the provider's URL is not a header: {e}")))?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (
                header::SET_COOKIE,
                cookie::set_sign_in(binding.expose(), s.auth.https())?,
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response())
}

/// Finishes a sign-in: the provider sends the browser here.
#[utoipa::path(
    get,
    path = lakeplan_api::paths::OIDC_CALLBACK,
    tag = "accounts",
    params(CallbackQuery),
    responses(
        (status = 303, description = "Signed in: to the page the sign-in started from, with the session cookie.",
            headers(("Location" = String, description = "A path on this server."),
                ("Set-Cookie" = String, description = "The session cookie; the sign-in cookie removed."))),
        (status = 400, description = "No sign-in of this browser is waiting (expired, used, or started elsewhere): a page with a link to start again.", content_type = "text/html", body = String),
        (status = 401, description = "The provider did not sign the user in, or its answer failed the checks: a page saying why.", content_type = "text/html", body = String),
        (status = 403, description = "Signed in at the provider, but no group gives a Lakeplan team, or the email belongs to another account: a page saying so.", content_type = "text/html", body = String),
        (status = 404, description = "OpenID Connect is not configured.", body = lakeplan_api::ApiError),
        (status = 503, description = "The provider cannot be reached: a page saying so.", content_type = "text/html", body = String)
    )
)]
pub async fn callback(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let Some(oidc) = s.oidc.clone() else {
        return Err(not_configured());
    };
    let secure = s.auth.https();
    let refuse = |status, title: &str, text: &str| {
        let mut answer = page(status, title, text);
        answer
            .headers_mut()
            .insert(header::SET_COOKIE, cookie::clear_sign_in(secure));
        answer
    };
    let fail = |why: String| {
        let storage = s.storage.clone();
        let address = address.clone();
        let target = format!("oidc:{}", oidc.issuer());
        async move {
            audit::record(
                &storage,
                "anonymous".into(),
                &address,
                "sign_in",
                target,
                audit::FAILED,
            )
            .await;
            tracing::warn!("OpenID Connect sign-in failed: {why}");
        }
    };

    // The pending sign-in of *this* browser, taken out once whatever happens next.
    let stored = match cookie::read(&headers, cookie::SIGN_IN_COOKIE)
        .filter(|v| secret::looks_like(v, secret::Kind::ProviderSignIn))
    {
        Some(value) => {
            let hash = secret::hash(value);
            s.storage
                .call(move |st| st.take_pending_sign_in(&hash))
                .await?
        }
        None => None,
    };
    let Some(stored) = stored.and_then(|text| serde_json::from_str::<Stored>(&text).ok()) else {
        fail("no pending sign-in for this browser".into()).await;
        return Ok(refuse(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired",
            "The sign-in took longer than ten minutes, was already used, or was started in \
             another browser. Start again.",
        ));
    };
    if let Some(error) = query.error.as_deref() {
        fail(format!("the provider answered {error}")).await;
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "Not signed in",
            "Your organisation's sign-in service did not sign you in (it was cancelled or \
             refused). Start again, or ask your administrator for access.",
        ));
    }
    if query.iss.as_deref().is_some_and(|iss| iss != oidc.issuer()) {
        fail("the callback names another issuer".into()).await;
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "Not signed in",
            "The answer came from another sign-in service than the one this server uses.",
        ));
    }
    let (Some(code), Some(state)) = (query.code.as_deref(), query.state.as_deref()) else {
        fail("the callback has no code or state".into()).await;
        return Ok(refuse(
            StatusCode::UNAUTHORIZED,
            "Not signed in",
            "The sign-in service's answer is incomplete. Start again.",
        ));
    };
    let provider = match oidc.provider().await {
        Ok(p) => p,
        Err(e) => {
            fail(e.to_string()).await;
            return Ok(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The sign-in service cannot be reached",
                "Try again in a minute; if it keeps failing, tell whoever runs this server.",
            ));
        }
    };
    let identity = match provider.finish(stored.pending, state, code).await {
        Ok(identity) => identity,
        Err(e) => {
            fail(e.to_string()).await;
            return Ok(refuse(
                StatusCode::UNAUTHORIZED,
                "Not signed in",
                "The sign-in service's answer did not pass Lakeplan's checks. Start again; if \
                 it keeps failing, tell whoever runs this server (its log says why).",
            ));
        }
    };
    let Some(email) = identity.email.as_deref().and_then(|e| e.parse().ok()) else {
        fail(format!("{} has no usable email claim", identity.subject)).await;
        return Ok(refuse(
            StatusCode::FORBIDDEN,
            "No email address",
            "Your organisation's sign-in service did not give Lakeplan an email address for \
             you. Ask your administrator to release the `email` claim to Lakeplan.",
        ));
    };
    let granted: Vec<Membership> = memberships(&identity.groups, &oidc.groups)
        .into_iter()
        .filter_map(|(team, role)| {
            Some(Membership {
                team: team.parse().ok()?,
                role: role.parse().ok()?,
            })
        })
        .collect();
    let who = ProviderUser {
        issuer: identity.issuer.clone(),
        subject: identity.subject.clone(),
        name: identity.name.clone().unwrap_or_default(),
        email,
        email_verified: identity.email_verified,
    };
    let actor = format!("user:{}", who.email);
    // `Exists` is an answer here (the email is someone else's), not a failure.
    let signed_in = s
        .storage
        .call(move |st| match st.sign_in_external(&who, &granted) {
            Err(StoreError::Exists(what)) => Ok(Err(what)),
            other => other.map(Ok),
        })
        .await?;
    let user = match signed_in {
        Ok(user) => user,
        Err(what) => {
            fail(format!("{what} exists")).await;
            return Ok(refuse(
                StatusCode::FORBIDDEN,
                "This email belongs to another account",
                "A Lakeplan account with your email address exists and the sign-in service \
                 cannot vouch for it (another identity holds it, or the address is not \
                 verified). Ask your administrator.",
            ));
        }
    };
    if user.teams.is_empty() {
        audit::record(
            &s.storage,
            actor.clone(),
            &address,
            "sign_in",
            actor,
            audit::DENIED,
        )
        .await;
        return Ok(refuse(
            StatusCode::FORBIDDEN,
            "No Lakeplan team yet",
            "You are signed in at your organisation, but none of your groups gives a team in \
             Lakeplan. Ask your administrator to add you to a group such as \
             lakeplan:<team>:engineer. The planner works without an account meanwhile.",
        ));
    }
    let mut response = start_session(&s, &user).await?;
    *response.status_mut() = StatusCode::SEE_OTHER;
    let location = HeaderValue::from_str(&stored.next).unwrap_or(HeaderValue::from_static("/"));
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    headers.append(header::SET_COOKIE, cookie::clear_sign_in(secure));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    audit::record(
        &s.storage,
        actor.clone(),
        &address,
        "sign_in",
        format!("{actor} via oidc"),
        audit::OK,
    )
    .await;
    Ok(response)
}

/// A short page for a person who came back from the provider without a session.
fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Lakeplan</title></head><body><main><h1>{title}</h1><p>{text}</p>\
         <p><a href=\"{login}\">Sign in again</a> · <a href=\"/\">Open the planner</a></p>\
         </main></body></html>",
        title = escape(title),
        text = escape(text),
        login = lakeplan_api::paths::OIDC_LOGIN,
    );
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Html(body),
    )
        .into_response()
}

/// The configured sign-in, shared by the handlers (`None` when OpenID Connect is off).
pub type Shared = Option<Arc<ProviderSignIn>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_path_on_this_server() {
        assert_eq!(local_path(Some("/compare?ids=a,b")), "/compare?ids=a,b");
        for outside in [
            "https://evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "compare",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(Some(outside)), "/", "{outside:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
