//! Sign-in with OpenID Connect: the authorization-code flow with PKCE, state and nonce,
//! against any provider that publishes a discovery document (`/.well-known/openid-configuration`).
//!
//! The flow, as the server will drive it:
//!
//! 1. [`Oidc::discover`] once at start (provider metadata and signing keys).
//! 2. `GET /auth/oidc/start`: [`Oidc::begin`] gives the provider's authorization URL (the
//!    browser is redirected there) and a [`Pending`] that the server keeps, server-side,
//!    until the callback. Keep it bound to *this browser* (for example under a random id
//!    in a short-lived `HttpOnly` cookie): finding it by the callback's `state` alone would
//!    let anyone who hands a victim their own callback URL sign the victim in as themselves.
//! 3. `GET /auth/oidc/callback?code=…&state=…`: take the browser's `Pending` (once: delete
//!    it as it is read) and call [`Oidc::finish`], which checks the state, exchanges the code
//!    with the PKCE verifier, verifies the ID token and returns the [`Identity`].
//! 4. [`memberships`] turns the identity's groups into `team:role` pairs.
//!
//! Users are to be keyed on (`issuer`, `subject`): the subject is the provider's stable
//! identifier, whereas an email address can change owner.
//!
//! Nothing here logs, and no error message holds the client secret, the authorization
//! code, a token or a PKCE verifier.

mod groups;

use std::fmt;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    reqwest, AccessTokenHash, AdditionalClaims, AuthType, AuthorizationCode, Client, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RequestTokenError, Scope, StandardErrorResponse, StandardTokenResponse,
    TokenResponse, UserInfoClaims, UserInfoError,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

pub use groups::{memberships, GroupMapping};

/// The path the provider sends the browser back to, under the public URL. Registered with
/// the provider as `{LAKEPLAN_PUBLIC_URL}/auth/oidc/callback`.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// How long one request to the provider may take. Sign-in waits on it, so a provider that
/// hangs should fail the sign-in with a message rather than hold the browser forever.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why signing in with OpenID Connect failed or could not be set up. Messages name what
/// went wrong and never carry the client secret, the code, a token or a verifier, so they
/// may be logged and shown.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// Some of the `LAKEPLAN_OIDC_*` variables are set but not this one.
    #[error("{0} is not set; OpenID Connect needs LAKEPLAN_OIDC_ISSUER, LAKEPLAN_OIDC_CLIENT_ID, LAKEPLAN_OIDC_CLIENT_SECRET and LAKEPLAN_PUBLIC_URL together")]
    MissingVariable(&'static str),
    /// A variable is set to something that cannot be used.
    #[error("{variable}: {reason}")]
    BadVariable {
        variable: &'static str,
        reason: String,
    },
    /// The provider's discovery document or signing keys could not be read or are invalid.
    #[error("OpenID Connect discovery at {issuer} failed: {reason}")]
    Discovery { issuer: String, reason: String },
    /// The callback's `state` is not the one this browser's sign-in started with.
    #[error("the sign-in state does not match the one this browser started with")]
    StateMismatch,
    /// The token endpoint refused the code (used already, expired, wrong verifier…) or
    /// could not be reached.
    #[error("the provider did not exchange the authorization code: {0}")]
    TokenExchange(String),
    /// The token endpoint answered without an ID token.
    #[error("the provider's token answer has no ID token")]
    NoIdToken,
    /// The ID token failed verification: signature, issuer, audience, nonce or expiry.
    #[error("the ID token was refused: {0}")]
    IdToken(String),
    /// The userinfo endpoint failed while claims were missing from the ID token.
    #[error("the provider's userinfo request failed: {0}")]
    UserInfo(String),
    /// The group mapping file cannot be read or names an unknown role.
    #[error("group mapping {path}: {reason}")]
    GroupMap { path: String, reason: String },
}

/// Where the OpenID Connect provider is and who this server is to it. Read from the
/// environment; the client secret is never printed (see the `Debug` impl).
#[derive(Clone)]
pub struct OidcConfig {
    /// `LAKEPLAN_OIDC_ISSUER`: the provider's issuer identifier, exactly as its discovery
    /// document states it (ID tokens are checked against it).
    pub issuer: String,
    /// `LAKEPLAN_OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `LAKEPLAN_OIDC_CLIENT_SECRET`: a confidential client's secret.
    pub client_secret: String,
    /// `LAKEPLAN_PUBLIC_URL`: the address browsers reach this server at, without a trailing
    /// slash; the redirect URI is built from it.
    pub public_url: String,
    /// `LAKEPLAN_OIDC_GROUPS_CLAIM` (default `groups`): the claim that lists the user's
    /// groups, mapped to teams and roles by [`memberships`].
    pub groups_claim: String,
}

impl fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("public_url", &self.public_url)
            .field("groups_claim", &self.groups_claim)
            .finish()
    }
}

impl OidcConfig {
    /// Reads the configuration from the environment. `Ok(None)` when
    /// `LAKEPLAN_OIDC_ISSUER` is unset (OpenID Connect is off); an error naming the first
    /// missing variable when only some are set, so a half-configured deployment fails at
    /// start instead of falling back to local accounts.
    pub fn from_env() -> Result<Option<OidcConfig>, OidcError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`OidcConfig::from_env`] with the variables read through `var` (tests pass a map).
    /// An empty value counts as unset.
    pub fn from_lookup(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<OidcConfig>, OidcError> {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let oidc_vars = [
            "LAKEPLAN_OIDC_ISSUER",
            "LAKEPLAN_OIDC_CLIENT_ID",
            "LAKEPLAN_OIDC_CLIENT_SECRET",
        ];
        if get("LAKEPLAN_OIDC_ISSUER").is_none() {
            // The issuer turns OpenID Connect on; client settings without it are a mistake
            // worth reporting (LAKEPLAN_PUBLIC_URL alone is not: other features use it).
            return match oidc_vars[1..].iter().find(|v| get(v).is_some()) {
                Some(_) => Err(OidcError::MissingVariable("LAKEPLAN_OIDC_ISSUER")),
                None => Ok(None),
            };
        }
        let need = |name: &'static str| get(name).ok_or(OidcError::MissingVariable(name));
        let issuer = need("LAKEPLAN_OIDC_ISSUER")?;
        let client_id = need("LAKEPLAN_OIDC_CLIENT_ID")?;
        let client_secret = need("LAKEPLAN_OIDC_CLIENT_SECRET")?;
        let public_url = need("LAKEPLAN_PUBLIC_URL")?;
        let groups_claim =
            get("LAKEPLAN_OIDC_GROUPS_CLAIM").unwrap_or_else(|| "groups".to_string());
        let config = OidcConfig {
            issuer: issuer.trim().to_string(),
            client_id,
            client_secret,
            public_url: public_url.trim().trim_end_matches('/').to_string(),
            groups_claim: groups_claim.trim().to_string(),
        };
        config.check()?;
        Ok(Some(config))
    }

    /// The redirect URI registered with the provider: `{public_url}/auth/oidc/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.public_url.trim_end_matches('/'))
    }

    fn check(&self) -> Result<(), OidcError> {
        IssuerUrl::new(self.issuer.clone()).map_err(|e| OidcError::BadVariable {
            variable: "LAKEPLAN_OIDC_ISSUER",
            reason: format!("not a URL ({e})"),
        })?;
        let public = openidconnect::url::Url::parse(&self.public_url).map_err(|e| {
            OidcError::BadVariable {
                variable: "LAKEPLAN_PUBLIC_URL",
                reason: format!("not a URL ({e})"),
            }
        })?;
        if !matches!(public.scheme(), "http" | "https") {
            return Err(OidcError::BadVariable {
                variable: "LAKEPLAN_PUBLIC_URL",
                reason: "must start with https:// (or http:// for a loopback address)".into(),
            });
        }
        Ok(())
    }
}

/// The claims outside the standard set, kept as JSON: the groups claim's name is chosen at
/// run time (`LAKEPLAN_OIDC_GROUPS_CLAIM`), so it cannot be a field of a struct.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    claims: Map<String, Value>,
}

impl AdditionalClaims for OtherClaims {}

type OidcTokenResponse = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// `CoreClient` with [`OtherClaims`], an authorization endpoint, the token endpoint in the
/// state `T` (maybe set as discovered, set once checked) and the userinfo endpoint if the
/// provider has one.
type OidcClientWith<T> = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    OidcTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    T,
    EndpointMaybeSet,
>;

/// The client [`Oidc`] keeps: the token endpoint was checked at discovery.
type OidcClient = OidcClientWith<EndpointSet>;

/// A provider, discovered, ready to start and finish sign-ins. Cheap to share behind an
/// `Arc`; every method takes `&self`.
pub struct Oidc {
    issuer: String,
    client: OidcClient,
    http: reqwest::Client,
    scopes: Vec<Scope>,
    groups_claim: String,
}

impl fmt::Debug for Oidc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client.client_id().as_str())
            .field("scopes", &self.scopes)
            .field("groups_claim", &self.groups_claim)
            .finish_non_exhaustive()
    }
}

/// What the server keeps between sending the browser to the provider and its return:
/// the `state` to compare with the callback's, the nonce the ID token must carry, and the
/// PKCE verifier for the code exchange. Secret: store it server-side only (it serializes
/// with serde as `{"state":"…","nonce":"…","pkce_verifier":"…"}`, three URL-safe
/// strings), never in the browser, and use it once.
#[derive(Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    nonce: String,
    pkce_verifier: String,
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("state", &self.state)
            .field("nonce", &"<redacted>")
            .field("pkce_verifier", &"<redacted>")
            .finish()
    }
}

/// Who signed in, as the provider vouches in a verified ID token (and its userinfo
/// endpoint for claims the ID token lacks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The provider's issuer identifier.
    pub issuer: String,
    /// The provider's stable identifier for the user: with `issuer`, the key of the user.
    pub subject: String,
    pub email: Option<String>,
    /// Whether the provider says it verified the email address (`email_verified`); absent
    /// counts as not verified. Match an existing account by email only when true.
    pub email_verified: bool,
    pub name: Option<String>,
    /// The configured groups claim, as strings; empty when the provider sends none.
    pub groups: Vec<String>,
}

impl Oidc {
    /// Reads the provider's discovery document and signing keys (JWKS), and checks that it
    /// offers the authorization-code flow this server uses. The issuer in the document must
    /// equal `config.issuer`. Keys are read once: a restart (or a new `discover`) picks up
    /// a provider's rotated keys.
    pub async fn discover(config: OidcConfig) -> Result<Oidc, OidcError> {
        config.check()?;
        let discovery_error = |reason: String| OidcError::Discovery {
            issuer: config.issuer.clone(),
            reason,
        };
        let http = reqwest::Client::builder()
            // Following redirects from provider-named URLs opens the door to SSRF; the
            // protocol needs none.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .user_agent(concat!("lakeplan/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| discovery_error(format!("no HTTP client: {e}")))?;
        let issuer = IssuerUrl::new(config.issuer.clone())
            .map_err(|e| discovery_error(format!("bad issuer URL: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| discovery_error(describe_discovery_error(&e)))?;

        let offers_code = metadata
            .response_types_supported()
            .iter()
            .any(|types| types.as_slice() == [CoreResponseType::Code]);
        if !offers_code {
            return Err(discovery_error(
                "the provider does not offer the authorization-code flow (response type `code`)"
                    .into(),
            ));
        }
        let token_url = metadata
            .token_endpoint()
            .cloned()
            .ok_or_else(|| discovery_error("the provider has no token endpoint".into()))?;
        if metadata.jwks().keys().is_empty() {
            return Err(discovery_error(
                "the provider publishes no signing keys".into(),
            ));
        }
        // client_secret_basic is the protocol's default; use client_secret_post only for a
        // provider that lists it and not basic.
        let auth_type = match metadata.token_endpoint_auth_methods_supported() {
            Some(methods)
                if !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
                    && methods.contains(&CoreClientAuthMethod::ClientSecretPost) =>
            {
                AuthType::RequestBody
            }
            _ => AuthType::BasicAuth,
        };
        // openid is always sent; ask for email and profile (name), and for a scope named
        // like the groups claim when the provider lists one (oidc-provider, Keycloak with a
        // `groups` client scope…). Unknown scopes are not sent: some providers refuse them.
        let supported = metadata.scopes_supported().cloned().unwrap_or_default();
        let mut scopes = vec![
            Scope::new("email".to_string()),
            Scope::new("profile".to_string()),
        ];
        if supported.iter().any(|s| {
            s.as_str() == config.groups_claim && !["email", "profile"].contains(&s.as_str())
        }) {
            scopes.push(Scope::new(config.groups_claim.clone()));
        }

        let redirect = RedirectUrl::new(config.redirect_uri())
            .map_err(|e| discovery_error(format!("bad redirect URI: {e}")))?;
        let client = OidcClientWith::<EndpointMaybeSet>::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(config.client_secret.clone())),
        )
        .set_token_uri(token_url)
        .set_redirect_uri(redirect)
        .set_auth_type(auth_type);
        Ok(Oidc {
            issuer: config.issuer.clone(),
            client,
            http,
            scopes,
            groups_claim: config.groups_claim,
        })
    }

    /// Starts a sign-in: the URL to send the browser to, and what to keep until it comes
    /// back. Fresh random state, nonce and PKCE verifier (S256) each time.
    pub fn begin(&self) -> (String, Pending) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.scopes.iter().cloned())
            .set_pkce_challenge(challenge)
            .url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        };
        (url.to_string(), pending)
    }

    /// Finishes a sign-in from the callback's `state` and `code`, with the [`Pending`] this
    /// browser's [`begin`](Oidc::begin) made. Checks the state (in constant time),
    /// exchanges the code with the PKCE verifier, verifies the ID token's signature against
    /// the provider's keys, its issuer, audience, expiry and nonce (and the access token's
    /// hash when the ID token carries one), then reads the identity.
    pub async fn finish(
        &self,
        pending: Pending,
        state: &str,
        code: &str,
    ) -> Result<Identity, OidcError> {
        let same_state: bool = pending.state.as_bytes().ct_eq(state.as_bytes()).into();
        if !same_state {
            return Err(OidcError::StateMismatch);
        }
        let token = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::TokenExchange(describe_token_error(&e)))?;

        let id_token = token.id_token().ok_or(OidcError::NoIdToken)?;
        let verifier = self.client.id_token_verifier();
        let nonce = Nonce::new(pending.nonce);
        let claims = id_token
            .claims(&verifier, &nonce)
            .map_err(|e| OidcError::IdToken(e.to_string()))?;
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token
                .signing_alg()
                .map_err(|e| OidcError::IdToken(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| OidcError::IdToken(e.to_string()))?;
            let actual = AccessTokenHash::from_token(token.access_token(), alg, key)
                .map_err(|e| OidcError::IdToken(format!("access token hash: {e}")))?;
            if actual != *expected {
                return Err(OidcError::IdToken(
                    "the access token does not match the ID token's at_hash".into(),
                ));
            }
        }

        let mut identity = Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            groups: Vec::new(),
        };
        let groups = claims.additional_claims().claims.get(&self.groups_claim);
        let have_groups = groups.is_some();
        identity.groups = groups.map(group_names).unwrap_or_default();

        // Providers that follow the spec's reading put scope-requested claims only at the
        // userinfo endpoint when an access token is issued: ask there for what is missing.
        let missing = identity.email.is_none() || identity.name.is_none() || !have_groups;
        if missing && self.client.user_info_url().is_some() {
            let request = self
                .client
                .user_info(token.access_token().clone(), Some(claims.subject().clone()))
                .map_err(|e| OidcError::UserInfo(e.to_string()))?;
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> = request
                .request_async(&self.http)
                .await
                .map_err(|e| OidcError::UserInfo(describe_userinfo_error(&e)))?;
            if identity.email.is_none() {
                identity.email = info.email().map(|e| e.to_string());
                identity.email_verified = info.email_verified().unwrap_or(false);
            }
            if identity.name.is_none() {
                identity.name = info.name().and_then(|n| n.get(None)).map(|n| n.to_string());
            }
            if !have_groups {
                identity.groups = info
                    .additional_claims()
                    .claims
                    .get(&self.groups_claim)
                    .map(group_names)
                    .unwrap_or_default();
            }
        }
        Ok(identity)
    }
}

/// A groups claim as names: an array of strings (non-strings skipped), or one string.
fn group_names(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::String(one) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// A discovery failure in words, without response bodies.
fn describe_discovery_error<E: std::error::Error>(e: &openidconnect::DiscoveryError<E>) -> String {
    use openidconnect::DiscoveryError as D;
    match e {
        D::Request(inner) => format!("request failed: {}", chain(inner)),
        D::Response(status, _body, why) => format!("HTTP {status}: {why}"),
        D::Parse(p) => format!("unreadable document at `{}`: {}", p.path(), p.inner()),
        other => other.to_string(),
    }
}

/// A token-endpoint failure in words. The provider's own error (`invalid_grant: …`) is
/// kept; a parse failure names only the JSON path, since the body may hold tokens.
fn describe_token_error<E: std::error::Error>(
    e: &RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
) -> String {
    match e {
        RequestTokenError::ServerResponse(answer) => answer.to_string(),
        RequestTokenError::Request(inner) => format!("request failed: {}", chain(inner)),
        RequestTokenError::Parse(p, _body) => {
            format!("unreadable token answer at `{}`", p.path())
        }
        RequestTokenError::Other(why) => why.clone(),
    }
}

/// A userinfo failure in words, without the body (it holds personal data).
fn describe_userinfo_error<E: std::error::Error>(e: &UserInfoError<E>) -> String {
    match e {
        UserInfoError::ClaimsVerification(inner) => inner.to_string(),
        UserInfoError::Parse(p) => format!("unreadable answer at `{}`", p.path()),
        UserInfoError::Request(inner) => format!("request failed: {}", chain(inner)),
        UserInfoError::Response(status, _body, why) => format!("HTTP {status}: {why}"),
        other => other.to_string(),
    }
}

/// An error and its sources, joined: the HTTP client's own message is at the bottom
/// ("connection refused"), under generic wrappers ("client error").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const FULL: [(&str, &str); 4] = [
        ("LAKEPLAN_OIDC_ISSUER", "https://id.example.com"),
        ("LAKEPLAN_OIDC_CLIENT_ID", "lakeplan"),
        ("LAKEPLAN_OIDC_CLIENT_SECRET", "s3cret-never-shown"),
        ("LAKEPLAN_PUBLIC_URL", "https://plan.example.com/"),
    ];

    #[test]
    fn unset_issuer_means_off() {
        assert!(OidcConfig::from_lookup(lookup(&[]))
            .expect("no error")
            .is_none());
        // The public URL alone does not turn OpenID Connect on.
        let only_url = lookup(&[("LAKEPLAN_PUBLIC_URL", "https://plan.example.com")]);
        assert!(OidcConfig::from_lookup(only_url).expect("ok").is_none());
    }

    #[test]
    fn full_config_reads_with_default_claim_and_redirect() {
        let config = OidcConfig::from_lookup(lookup(&FULL))
            .expect("ok")
            .expect("on");
        assert_eq!(config.groups_claim, "groups");
        assert_eq!(config.public_url, "https://plan.example.com");
        assert_eq!(
            config.redirect_uri(),
            "https://plan.example.com/auth/oidc/callback"
        );
        let mut vars = FULL.to_vec();
        vars.push(("LAKEPLAN_OIDC_GROUPS_CLAIM", "roles"));
        let config = OidcConfig::from_lookup(lookup(&vars))
            .expect("ok")
            .expect("on");
        assert_eq!(config.groups_claim, "roles");
    }

    #[test]
    fn a_partial_config_names_the_missing_variable() {
        for missing in FULL.map(|(k, _)| k) {
            let vars: Vec<_> = FULL
                .iter()
                .copied()
                .filter(|(k, _)| *k != missing)
                .collect();
            let err = OidcConfig::from_lookup(lookup(&vars)).expect_err(missing);
            assert!(err.to_string().contains(missing), "{missing}: {err}");
            assert!(!err.to_string().contains("s3cret"), "{err}");
        }
    }

    #[test]
    fn bad_urls_are_refused_at_start() {
        let mut vars = FULL.to_vec();
        vars[3] = ("LAKEPLAN_PUBLIC_URL", "plan.example.com");
        let err = OidcConfig::from_lookup(lookup(&vars)).expect_err("bad url");
        assert!(err.to_string().contains("LAKEPLAN_PUBLIC_URL"), "{err}");
    }

    #[test]
    fn the_secret_is_never_printed() {
        let config = OidcConfig::from_lookup(lookup(&FULL))
            .expect("ok")
            .expect("on");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn pending_serializes_as_three_strings_and_hides_its_secrets_in_debug() {
        let pending = Pending {
            state: "st".into(),
            nonce: "no".into(),
            pkce_verifier: "ve".into(),
        };
        let json = serde_json::to_string(&pending).expect("serialize");
        assert_eq!(json, r#"{"state":"st","nonce":"no","pkce_verifier":"ve"}"#);
        let back: Pending = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back.pkce_verifier, "ve");
        let shown = format!("{pending:?}");
        assert!(
            !shown.contains("\"no\"") && !shown.contains("\"ve\""),
            "{shown}"
        );
    }

    #[test]
    fn groups_claim_shapes() {
        assert_eq!(
            group_names(&serde_json::json!(["a", 3, "b"])),
            vec!["a".to_string(), "b".to_string()]
        );
        assert_eq!(
            group_names(&serde_json::json!("one")),
            vec!["one".to_string()]
        );
        assert!(group_names(&Value::Null).is_empty());
    }
}
