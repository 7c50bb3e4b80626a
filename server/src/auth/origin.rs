//! Cross-site request forgery: a write made with a session cookie must come from the
//! server's own pages.
//!
//! `SameSite=Lax` already keeps the cookie off cross-site sub-requests; this check is the
//! second lock. Browsers send `Origin` on every POST, PUT, PATCH and DELETE, so an unsafe
//! method that carries the session cookie is refused (403) unless `Origin` is the server's
//! own origin: the public URL when set, else the scheme and `Host` the request came to.
//! Requests without the cookie (the stateless compute) and requests with an
//! `Authorization` header (a script's token, which is then what identifies the caller, the
//! cookie being ignored; a cross-site page cannot add that header) are not concerned. A sign-in (`POST /api/session`) with a foreign `Origin` is refused too, so a
//! foreign page cannot sign a browser into another account.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::caller::session_cookie;
use crate::api::AppError;

/// The server's own origin, if fixed by configuration.
#[derive(Debug, Clone)]
pub struct OwnOrigin(pub Option<String>);

pub async fn check(State(own): State<OwnOrigin>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    if !unsafe_method {
        return next.run(req).await;
    }
    let by_token = req.headers().contains_key(header::AUTHORIZATION);
    let has_cookie = !by_token && session_cookie(req.headers()).is_some();
    let signs_in = req.uri().path() == lakeplan_api::paths::SESSION;
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let expected = own.0.clone().or_else(|| {
        req.headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|host| format!("http://{host}"))
    });
    let refuse = match (&origin, has_cookie, signs_in) {
        (Some(o), true, _) | (Some(o), _, true) => expected.as_deref() != Some(o.as_str()),
        (None, true, _) => true,
        _ => false,
    };
    if refuse {
        return AppError::Forbidden {
            message: format!(
                "a {} with a session cookie must come from this server's own pages (Origin {}); \
                 scripts should use an API token instead",
                req.method(),
                origin.as_deref().unwrap_or("missing")
            ),
        }
        .into_response();
    }
    next.run(req).await
}
