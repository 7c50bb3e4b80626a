//! `GET /auth/once/{token}`: a one-time sign-in link (the local owner's, printed at start).
//! Used once, it gives the browser a session and sends it to the planner; a used, expired
//! or unknown link answers a short page saying how to get a new one.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::{audit, secret, ClientAddress};
use crate::api::{start_session, ApiState, AppError};

/// Signs the browser in with a one-time link, then sends it to the planner.
#[utoipa::path(
    get,
    path = lakeplan_api::paths::SIGN_IN_LINK,
    tag = "accounts",
    params(("token" = String, Path, description = "The one-time link's token, as printed by `lakeplan serve`.")),
    responses(
        (status = 303, description = "Signed in: to the planner, with the session cookie.",
            headers(("Location" = String, description = "/"), ("Set-Cookie" = String, description = "The session cookie."))),
        (status = 410, description = "Used, expired or unknown: a page saying how to get a new link.", content_type = "text/html", body = String)
    )
)]
pub async fn open(
    State(s): State<ApiState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let user = if secret::looks_like(&token, secret::Kind::SignInLink) {
        let hash = secret::hash(&token);
        s.storage.call(move |st| st.use_sign_in_link(&hash)).await?
    } else {
        None
    };
    let Some(user) = user else {
        audit::record(
            &s.storage,
            "anonymous".into(),
            &address,
            "sign_in",
            "one-time link".into(),
            audit::FAILED,
        )
        .await;
        return Ok((
            StatusCode::GONE,
            Html(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link used \
                 or expired · Lakeplan</title></head><body><main><h1>This sign-in link was used \
                 or has expired</h1><p>Each link signs in once. Restart <code>lakeplan serve</code> \
                 for a new one, or <a href=\"/\">open the planner</a> and sign in.</p></main>\
                 </body></html>",
            ),
        )
            .into_response());
    };
    let mut response = start_session(&s, &user).await?;
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/"));
    audit::record(
        &s.storage,
        format!("user:{}", user.email),
        &address,
        "sign_in",
        "one-time link".into(),
        audit::OK,
    )
    .await;
    Ok(response)
}
