//! The server's cookies, all `HttpOnly` (no script reads them), `SameSite=Lax` (not sent
//! on cross-site form posts or sub-requests, yet sent when a provider sends the browser
//! back with a top-level redirect) and `Secure` when the server's public URL is https.
//!
//! - The session cookie: `Path=/`, a `Max-Age` equal to the session's life.
//! - The sign-in cookie: binds a sign-in started at an OpenID Connect provider to the
//!   browser that started it, `Path=/auth/oidc`, ten minutes.

use axum::http::{header, HeaderMap, HeaderValue};

use crate::api::AppError;

pub const SESSION_COOKIE: &str = "lakeplan_session";

/// The cookie that ties a provider's callback to the browser that started the sign-in.
pub const SIGN_IN_COOKIE: &str = "lakeplan_oidc";

/// How long a browser may spend at the provider (login, consent) before the sign-in it
/// started is forgotten.
pub const SIGN_IN_SECS: i64 = 10 * 60;

/// The value of the cookie `name`, if the request carries one.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value that binds a provider sign-in to this browser.
pub fn set_sign_in(value: &str, secure: bool) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(&format!(
        "{SIGN_IN_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={SIGN_IN_SECS}{}",
        if secure { "; Secure" } else { "" }
    ))
    .map_err(|e| AppError::Internal(format!("cannot write the sign-in cookie: {e}")))
}

/// The `Set-Cookie` value that removes the sign-in cookie (its sign-in is used up).
pub fn clear_sign_in(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "lakeplan_oidc=; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static(
            "lakeplan_oidc=; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0",
        )
    }
}

/// The `Set-Cookie` value that gives a browser its session.
pub fn set(value: &str, max_age_secs: i64, secure: bool) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    ))
    .map_err(|e| AppError::Internal(format!("cannot write the session cookie: {e}")))
}

/// The `Set-Cookie` value that removes it.
pub fn clear(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "lakeplan_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("lakeplan_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}
