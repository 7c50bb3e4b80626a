//! The security headers on every answer (spec: ACCESS.md, "Headers on every page and
//! answer"), written by one middleware around every route, so a page, an API answer, a
//! bundle file and an error all carry them.
//!
//! - `Content-Security-Policy`. A page may run only scripts from this origin (the `/pkg`
//!   bundle) and the inline scripts that carry this answer's nonce (the page's script that
//!   loads the bundle, `lakeplan_app::bundle`), so an injected `<script>` or event-handler attribute does not run; the wasm
//!   bundle needs `'wasm-unsafe-eval'` to be compiled. The page has no inline `style`
//!   attribute or `<style>` (the charts are SVG with presentation attributes), so styles too
//!   come only from this origin. No plug-ins, no `<base>`, forms post only here, and no
//!   other site may frame the planner (clickjacking). Every other answer (JSON, bundle
//!   files, the favicon) gets a policy that allows nothing, which matters when one is
//!   opened as a document.
//! - `X-Content-Type-Options: nosniff`: a browser takes each answer as its declared type,
//!   so no JSON or upload is run as a script or page.
//! - `Referrer-Policy: same-origin`: the address of a page, which may hold a share token,
//!   never leaves in `Referer` to another site.
//! - `Strict-Transport-Security`, only when users reach the server over https
//!   ([`Settings::is_https`]): over plain http a browser ignores it, and it must not pin a
//!   laptop's `localhost` to https.
//!
//! The nonce is 128 bits from the operating system's CSPRNG, new for each request. The
//! middleware puts it in the request's extensions; [`provide_nonce`], run by the page
//! renderers in Leptos's context, hands it to Leptos, which writes it on the hydration
//! script; the middleware then names it in the page's policy.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::settings::Settings;

/// The policy of every answer that is not a page.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The policy of the Monte Carlo's worker script ([`lakeplan_app::MONTE_CARLO_WORKER`]): a
/// worker runs under the policy its script is answered with, and this one imports the
/// bundle's glue, compiles its wasm and fetches the lazily loaded parts, all from this
/// origin.
pub const WORKER_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'";

/// The policy of a page whose inline scripts carry `nonce`.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// What the middleware needs from the settings.
#[derive(Debug, Clone)]
pub struct Policy {
    hsts: bool,
}

impl Policy {
    pub fn new(settings: &Settings) -> Self {
        Self {
            hsts: settings.is_https(),
        }
    }
}

/// This request's CSP nonce (URL-safe base64, no padding), in the request's extensions.
#[derive(Debug, Clone)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    /// 16 bytes from the operating system's CSPRNG.
    fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes).into()))
    }
}

/// Hands this request's nonce to Leptos, for the page renderers' `additional_context`.
/// Leptos has already provided the request's parts and a nonce of its own, which this
/// one replaces: the header names the middleware's.
pub fn provide_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// The middleware: a fresh nonce in, the headers out.
pub async fn security_headers(
    State(policy): State<Policy>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut response = match CspNonce::generate() {
        Ok(nonce) => {
            req.extensions_mut().insert(nonce.clone());
            let is_worker = req.uri().path() == lakeplan_app::MONTE_CARLO_WORKER;
            let mut response = next.run(req).await;
            let is_page = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            // Base64 is always a valid header value; the strict policy is the fallback.
            let csp = if is_worker && response.status().is_success() {
                HeaderValue::from_static(WORKER_CSP)
            } else {
                is_page
                    .then(|| HeaderValue::from_str(&page_csp(&nonce.0)).ok())
                    .flatten()
                    .unwrap_or(HeaderValue::from_static(API_CSP))
            };
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, csp);
            response
        }
        Err(e) => {
            tracing::error!("no random bytes for a CSP nonce: {e}");
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(API_CSP),
            );
            response
        }
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}
