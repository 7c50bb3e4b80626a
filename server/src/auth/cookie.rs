//! The session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on
//! cross-site form posts or sub-requests), `Path=/`, `Secure` when the server's public URL
//! is https, and a `Max-Age` equal to the session's life.

use axum::http::HeaderValue;

use crate::api::AppError;

pub const SESSION_COOKIE: &str = "lakeplan_session";

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
