//! Accounts as the API shows them: signing in, who the caller is, API tokens, share links,
//! users and teams (admin), the audit log.
//!
//! Roles are `viewer`, `engineer`, `pricing`, `admin`, each including the ones before it.
//! Secrets go one way only: a password is sent in [`SignIn`] and never answered; a token
//! or a share link is answered once, when made ([`TokenMade`], [`ShareMade`]), and a
//! share link again to its team ([`ShareInfo`]), since it is read-only and meant to be
//! passed on.

use serde::{Deserialize, Serialize};

/// `POST /api/session`: sign in with a local account. Its `Debug` leaves the password out,
/// so it cannot reach a log line.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A team the caller belongs to and their role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRole {
    pub team: String,
    /// `viewer`, `engineer`, `pricing` or `admin`.
    pub role: String,
}

/// `GET /api/session`: who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    /// Every team, by name.
    pub teams: Vec<TeamRole>,
    /// How the caller proved it: `session` (a browser's cookie) or `token`.
    pub via: String,
}

/// `POST /api/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for (`ci`, `laptop`): 1 to 64 characters.
    pub name: String,
    /// Days until it stops working, 1 to 3650; never when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// A token as made: the only time its value is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenMade {
    pub id: String,
    /// Send as `Authorization: Bearer <token>`. Shown once: the server keeps only a hash.
    pub token: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// A token as listed: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// `GET /api/tokens`: the caller's tokens, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenList {
    pub tokens: Vec<TokenInfo>,
}

/// `POST /api/scenarios/{id}/shares`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    /// Days until the link answers 410, 1 to 3650; never when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// A share link as made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareMade {
    pub token: String,
    /// The planner, read-only, on the shared version: what to send to a customer.
    pub url: String,
    /// The version the link shows (the current one when it was made).
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// A share link as its team sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareInfo {
    pub token: String,
    pub url: String,
    pub version: u64,
    pub created_by: String,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// `GET /api/scenarios/{id}/shares`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareList {
    pub shares: Vec<ShareInfo>,
}

/// `POST /api/shares/{token}/copy`: a shared scenario copied into one of the caller's
/// teams (required when they can save to more than one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CopyShare {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
}

/// `GET /api/shares/{token}`: the shared version of a scenario, read-only. It names
/// neither the scenario's id nor its team: a link's holder learns the plan, nothing else.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(bound = ""))]
pub struct Shared<S = Box<serde_json::value::RawValue>> {
    pub name: String,
    pub customer: String,
    pub version: u64,
    pub price_book: String,
    pub saved_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// The scenario file of that version.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub scenario: S,
    /// When the version is priced with a stored price book: the rows of it that price
    /// this version (whole tier groups), so the read-only planner shows its figures
    /// without an account, and the holder of the link learns no more of a confidential
    /// book than the proposal's assumptions print.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub book: Option<crate::books::BookRows>,
    /// When the version names a stored hardware catalog: that catalog, whole (hardware
    /// and its specs, no prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<crate::books::BookRows>,
}

/// A user as an admin sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub id: String,
    pub email: String,
    pub name: String,
    pub teams: Vec<TeamRole>,
    pub created_at: String,
    /// Whether a local password is set (users of the identity provider have none).
    pub has_password: bool,
}

/// `GET /api/users`: by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserList {
    pub users: Vec<UserInfo>,
}

/// `POST /api/users`: what `lakeplan users add` does. Makes the user and the team when new,
/// sets the role in that team, and the password when given (which ends the user's
/// sessions, as a role change does). Its `Debug` leaves the password out.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutMember {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub team: String,
    pub role: String,
    /// At least 12 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for PutMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PutMember")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("team", &self.team)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A team with its member count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInfo {
    pub name: String,
    pub created_at: String,
    pub members: u64,
}

/// `GET /api/teams`: by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamList {
    pub teams: Vec<TeamInfo>,
}

/// `POST /api/teams`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// The entry's place in the log: increasing, the key of its pages.
    pub seq: i64,
    pub at: String,
    /// `user:EMAIL`, `token:NAME (EMAIL)`, `cli`, `anonymous`.
    pub actor: String,
    /// The caller's IP address (`cli` for the command line).
    pub address: String,
    /// What was done: `sign_in`, `scenario.create`, `share.revoke`, …
    pub action: String,
    /// On what: a scenario id, a user's email, a token's id.
    pub target: String,
    /// `ok`, `denied`, `throttled`, `failed`.
    pub outcome: String,
}

/// `GET /api/audit`: newest first. `next_before` is the `before=` of the next page, absent
/// on the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}
