//! Who may do what (spec: ACCESS.md).
//!
//! - [`caller`]: the [`Caller`] extractor (session cookie or API token) and the permission
//!   checks every handler of stored data makes: another team's scenario answers 404, a
//!   lesser role 403, nobody 401.
//! - [`password`]: Argon2id hashes and checks of local passwords.
//! - [`secret`]: the random values handed out once (cookies, tokens, links) and the
//!   SHA-256 the store keeps of them.
//! - [`throttle`]: 429 after repeated sign-in failures, per account and per address.
//! - [`origin`]: the `Origin` check of writes made with a session cookie.
//! - [`cookie`]: the session cookie's attributes.
//! - [`audit`]: writing the audit log.
//! - [`owner`]: the local owner's one-time sign-in link on a fresh loopback server.
//! - [`provider`]: the browser routes of sign-in through an OpenID Connect provider.
//! - [`page`]: who a page is rendered for (the session of the browser asking).

pub mod audit;
pub mod caller;
pub mod cookie;
pub mod link;
pub mod origin;
pub mod owner;
pub mod page;
pub mod password;
pub mod provider;
pub mod secret;
pub mod throttle;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use lakeplan_store::{Clock, Timestamp, DAY_MS};
use tokio::sync::Semaphore;

pub use caller::{Caller, Signed, Via};

/// How long a browser session lasts from sign-in: a working week. Sign-out, a new password
/// or a changed role end it sooner.
pub const SESSION_MS: i64 = 7 * DAY_MS;

/// What signing in needs, shared by the handlers.
pub struct Auth {
    pub passwords: password::Passwords,
    /// Bounds the password checks running at once (each takes 64 MiB).
    pub checks: Semaphore,
    pub clock: Arc<dyn Clock>,
    /// The address users reach the server at (`https://…`), when configured: cookies are
    /// `Secure` and the `Origin` check expects it.
    pub public_url: Option<String>,
}

impl Auth {
    pub fn new(
        clock: Arc<dyn Clock>,
        public_url: Option<String>,
    ) -> Result<Auth, crate::api::AppError> {
        Ok(Auth {
            passwords: password::Passwords::new()?,
            checks: Semaphore::new(password::CONCURRENT_CHECKS),
            clock,
            public_url,
        })
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The origin links are written with (share links, a proposal's link): the public
    /// URL when configured, else the scheme and `Host` the client addressed (the scheme
    /// from `X-Forwarded-Proto` behind a proxy). Only the caller reads the link answered.
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(u) = &self.public_url {
            return u.trim_end_matches('/').to_string();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .filter(|p| *p == "https" || *p == "http")
            .unwrap_or("http");
        format!("{scheme}://{host}")
    }

    /// Whether cookies must be `Secure`.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// The caller's IP address as the audit log and the throttle see it: the TCP peer. (Behind
/// a proxy that is the proxy; a trusted `X-Forwarded-For` belongs with the several-servers
/// set-up.)
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}
