//! Who a page is rendered for. Pages are rendered on the server and hydrated in the
//! browser; both must start from the same viewer, or hydration would not match. So the
//! server finds the browser's session before rendering (this middleware), the app renders
//! the top bar for that user and writes them into the page's head
//! (`<meta name="lakeplan-viewer">`), and the browser reads them from there: no request
//! after load, and no 401 in a signed-out visitor's console.
//!
//! Only a session cookie counts here (a page is a browser's); an unknown or ended session
//! renders the page signed out. A page rendered for someone must not be kept by a shared
//! cache, so every page answer says `Cache-Control: private, no-cache`.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use lakeplan_app::account::SignedInAs;

use super::caller::session_cookie;
use super::Caller;
use crate::api::ApiState;

/// Puts the page's viewer ([`SignedInAs`]) in the request's extensions, for the renderers'
/// `additional_context` ([`provide_viewer`]).
pub async fn find_viewer(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let mut viewer = SignedInAs(None);
    if session_cookie(&parts.headers).is_some() {
        // Without an Authorization header the extractor reads the cookie only, and a store
        // failure renders the page signed out rather than failing it: the planner works
        // without an account.
        parts.headers.remove(header::AUTHORIZATION);
        if let Ok(Caller::Signed(signed)) = Caller::from_request_parts(&mut parts, &state).await {
            viewer = SignedInAs(Some(crate::api::me(&signed.user, &signed.via)));
        }
    }
    parts.extensions.insert(viewer);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// Hands the viewer [`find_viewer`] found to Leptos (none when the middleware did not
/// run: the page renders signed out).
pub fn provide_viewer() {
    let viewer = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedInAs>().cloned())
        .unwrap_or_default();
    leptos::prelude::provide_context(viewer);
}
