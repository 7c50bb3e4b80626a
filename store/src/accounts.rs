//! Who may use the server: users, teams and roles, and what proves who a caller is
//! (sessions, API tokens, share links, one-time sign-in links), with the audit log and the
//! sign-in failure counters.
//!
//! These live in the same database as the scenarios, so several servers on one database
//! agree on them (a session made on one server is valid on the other, a revoked token is
//! revoked everywhere, the failure counters hold across servers).
//!
//! The store never sees a secret. A session cookie, an API token or a one-time link is a
//! random value the server makes and gives once to its holder; the store keeps only its
//! SHA-256 ([`SecretHash`]), so a copy of the database lets no one sign in. Share-link
//! tokens are the exception, kept as they are: a share link is a read-only capability its
//! team is meant to copy again from the scenario's page and to see printed on the proposal
//! PDF, which a hash could not give back. Password hashes (Argon2id, made by the server)
//! are stored as their PHC strings.

use std::fmt;
use std::str::FromStr;

use crate::{ScenarioId, Timestamp, Version};

/// A team's name, also its identifier: 1 to 40 characters of lowercase ASCII letters,
/// digits, `-`, `_` and `.`, starting with a letter or digit. Plain enough to type in a
/// command line, a group claim (`lakeplan:<team>:<role>`) and a URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeamName(String);

/// The team a database made before accounts existed puts its scenarios in.
pub const DEFAULT_TEAM: &str = "default";

/// The longest team name.
pub const MAX_TEAM_CHARS: usize = 40;

/// Why a text is not a team name, or not a role, or not an email.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("\"{0}\" is not a team name: 1 to 40 characters, lowercase letters, digits, '-', '_' or '.', starting with a letter or digit")]
    Team(String),
    #[error("\"{0}\" is not a role: one of viewer, engineer, pricing, admin")]
    Role(String),
    #[error(
        "\"{0}\" is not an email address: a name, '@', a domain, at most 254 characters, no spaces"
    )]
    Email(String),
}

impl TeamName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The team of scenarios saved before accounts existed.
    pub fn default_team() -> TeamName {
        TeamName(DEFAULT_TEAM.to_string())
    }
}

impl FromStr for TeamName {
    type Err = NameError;
    fn from_str(s: &str) -> Result<TeamName, NameError> {
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
        let first_ok = s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if first_ok && s.len() <= MAX_TEAM_CHARS && s.chars().all(ok_char) {
            Ok(TeamName(s.to_string()))
        } else {
            Err(NameError::Team(s.to_string()))
        }
    }
}

impl fmt::Display for TeamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for TeamName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// What a member may do in a team. Each role includes the ones before it, so the derived
/// order is the order of power: `Viewer < Engineer < Pricing < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads the team's scenarios, compares, exports.
    Viewer,
    /// Also creates, edits, duplicates, restores and deletes them, and makes share links.
    Engineer,
    /// Also drafts, publishes and retires price books and the hardware catalog.
    Pricing,
    /// Also manages users, teams and roles, and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Engineer, Role::Pricing, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Engineer => "engineer",
            Role::Pricing => "pricing",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Role, NameError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| NameError::Role(s.to_string()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An email address as a user typed it (kept for display), compared without case: the
/// key is the address lowercased, so `Ana@Example.com` and `ana@example.com` are one user.
/// Checked loosely (something, `@`, something with no spaces): the address is an account
/// name here, not a mailbox the server writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive key the store looks a user up by.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl FromStr for Email {
    type Err = NameError;
    fn from_str(s: &str) -> Result<Email, NameError> {
        let t = s.trim();
        let ok = t.len() <= 254
            && !t.chars().any(|c| c.is_whitespace() || c.is_control())
            && t.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && !domain.is_empty() && !domain.contains('@')
            });
        if ok {
            Ok(Email(t.to_string()))
        } else {
            Err(NameError::Email(s.to_string()))
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn random() -> $name {
                $name(uuid::Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = crate::IdError;
            fn from_str(s: &str) -> Result<$name, crate::IdError> {
                if s.len() != 36 {
                    return Err(crate::IdError(s.to_string()));
                }
                uuid::Uuid::try_parse(s)
                    .map($name)
                    .map_err(|_| crate::IdError(s.to_string()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

random_id!(
    /// A user's id: random, so it says nothing about how many users exist.
    UserId
);
random_id!(
    /// An API token's id: what lists and revocations name, never the token itself.
    TokenId
);

/// The SHA-256 of a secret the server made (session cookie, API token, one-time link), as
/// 64 lowercase hex digits. The server hashes; the store keeps and compares hashes only.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SecretHash(pub String);

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the secret, but no reason to print it either.
        f.write_str("SecretHash(…)")
    }
}

/// One team a user belongs to, with the role there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Membership {
    pub team: TeamName,
    pub role: Role,
}

/// A user as the server sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// Every team, in name order.
    pub teams: Vec<Membership>,
    pub created_at: Timestamp,
    /// Whether a local password is set (a user signing in only through OpenID Connect has
    /// none).
    pub has_password: bool,
}

impl User {
    /// The user's role in `team`, if a member.
    pub fn role_in(&self, team: &TeamName) -> Option<Role> {
        self.teams.iter().find(|m| &m.team == team).map(|m| m.role)
    }

    /// Whether the user holds at least `role` in `team`.
    pub fn can(&self, team: &TeamName, role: Role) -> bool {
        self.role_in(team).is_some_and(|r| r >= role)
    }

    /// Whether the user holds at least `role` in some team: for what is global (price
    /// books, users, the audit log).
    pub fn can_anywhere(&self, role: Role) -> bool {
        self.teams.iter().any(|m| m.role >= role)
    }

    /// The teams where the user holds at least `role`, in name order.
    pub fn teams_with(&self, role: Role) -> Vec<TeamName> {
        self.teams
            .iter()
            .filter(|m| m.role >= role)
            .map(|m| m.team.clone())
            .collect()
    }
}

/// What `lakeplan users add` (and the admin page) asks for: a user made if new, the team
/// made if new, the role in that team set, the password set when given.
#[derive(Debug, Clone)]
pub struct MemberChange {
    pub email: Email,
    /// Kept as it is when empty and the user exists; the email's local part for a new user.
    pub name: String,
    pub team: TeamName,
    pub role: Role,
    /// An Argon2id PHC string, when a password is set.
    pub password_hash: Option<String>,
}

/// A team and how many members it has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Team {
    pub name: TeamName,
    pub created_at: Timestamp,
    pub members: u64,
}

/// A signed-in browser's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An API token as it is listed: never the token itself, which only its maker saw once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenInfo {
    pub id: TokenId,
    pub name: String,
    pub created_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

/// A read-only share link of one version of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub token: String,
    pub scenario: ScenarioId,
    pub team: TeamName,
    /// The version the link shows: the one current when it was made.
    pub version: Version,
    /// The email of the user who made it.
    pub created_by: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// A share link to make.
#[derive(Debug, Clone)]
pub struct NewShare {
    pub token: String,
    pub scenario: ScenarioId,
    pub created_by: String,
    pub expires_at: Option<Timestamp>,
}

/// One thing the audit log records. Texts only: who (`user:ana@example.com`,
/// `token:ci (ana@example.com)`, `share`, `cli`, `anonymous`), from where, what, on what,
/// and how it ended. Never a password, token or cookie value: the callers write names and
/// ids, and the server's tests read the whole log for secrets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    pub actor: String,
    pub address: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
}

/// An audit event as recorded, with its place in the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Increases with each entry: the key of the log's order and of its pages.
    pub seq: i64,
    pub at: Timestamp,
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Which audit entries to read: newest first, at most `limit`, older than `before` (the
/// `seq` of the last entry of the previous page) when paging.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditQuery {
    pub since: Option<Timestamp>,
    /// Entries whose actor contains this text, ignoring ASCII case.
    pub actor: Option<String>,
    /// Entries with exactly this action.
    pub action: Option<String>,
    pub before: Option<i64>,
    pub limit: u32,
}

/// A user as an OpenID Connect provider vouches for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderUser {
    /// The provider's issuer identifier.
    pub issuer: String,
    /// The provider's stable id of the user: with `issuer`, what the user is found by.
    pub subject: String,
    pub email: Email,
    /// Whether the provider says it verified `email`.
    pub email_verified: bool,
    pub name: String,
}

/// A provider's memberships with one per team: several groups may name one team, and the
/// highest role wins. In the order the teams first appear.
pub(crate) fn highest_roles(memberships: &[Membership]) -> Vec<&Membership> {
    let mut highest: Vec<&Membership> = Vec::new();
    for m in memberships {
        match highest.iter_mut().find(|h| h.team == m.team) {
            Some(h) if h.role < m.role => *h = m,
            Some(_) => {}
            None => highest.push(m),
        }
    }
    highest
}

/// Users, teams, sessions, tokens, share links, the audit log and the sign-in failure
/// counters. Every method is one transaction, like [`crate::ScenarioStore`]'s.
pub trait AccountStore: Send + Sync + 'static {
    /// How many users exist (0 on a fresh database: the server then offers the local
    /// owner's one-time sign-in link).
    fn user_count(&self) -> Result<u64, crate::StoreError>;

    /// Makes the user (if new) and the team (if new) and sets the user's role in that
    /// team, and the password when given. A changed role or password ends the user's
    /// sessions: a demoted user keeps no session made under the old role.
    fn put_member(&self, change: &MemberChange) -> Result<User, crate::StoreError>;

    /// Takes the user out of `team`; their sessions end. `None` when not a member.
    fn remove_member(
        &self,
        user: &UserId,
        team: &TeamName,
    ) -> Result<Option<User>, crate::StoreError>;

    /// Sets a password; the user's sessions end.
    fn set_password(&self, user: &UserId, hash: &str) -> Result<(), crate::StoreError>;

    /// Every user, by email.
    fn users(&self) -> Result<Vec<User>, crate::StoreError>;

    fn user(&self, id: &UserId) -> Result<Option<User>, crate::StoreError>;

    /// The user with this email (any case) and their password hash, if any.
    fn user_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<(User, Option<String>)>, crate::StoreError>;

    /// Removes a user with their sessions and tokens (their scenarios stay with their
    /// teams). `None` when there is no such user.
    fn remove_user(&self, email: &Email) -> Result<Option<User>, crate::StoreError>;

    /// The user an OpenID Connect provider vouches for, made or updated at each sign-in:
    /// the email and name follow the provider, and the memberships are replaced by the
    /// ones its groups claim maps to (the provider is the source of truth for them).
    ///
    /// The first time, an account made beforehand with the same email is taken over only
    /// when the provider verified the address ([`crate::StoreError::Exists`] otherwise):
    /// anyone may claim an unverified address at some providers. A change of memberships
    /// ends the user's other sessions, as a role change by an admin does.
    fn sign_in_external(
        &self,
        who: &ProviderUser,
        memberships: &[Membership],
    ) -> Result<User, crate::StoreError>;

    /// Every team, by name.
    fn teams(&self) -> Result<Vec<Team>, crate::StoreError>;

    /// Makes a team; [`crate::StoreError::Exists`] when it exists.
    fn create_team(&self, name: &TeamName) -> Result<Team, crate::StoreError>;

    fn create_session(
        &self,
        hash: &SecretHash,
        user: &UserId,
        expires_at: Timestamp,
    ) -> Result<(), crate::StoreError>;

    /// The live session with this hash (`None` if unknown, ended or expired).
    fn session(&self, hash: &SecretHash) -> Result<Option<Session>, crate::StoreError>;

    /// Ends a session; whether there was one.
    fn end_session(&self, hash: &SecretHash) -> Result<bool, crate::StoreError>;

    fn create_token(
        &self,
        user: &UserId,
        name: &str,
        hash: &SecretHash,
        expires_at: Option<Timestamp>,
    ) -> Result<TokenInfo, crate::StoreError>;

    /// The user of a live token (`None` if unknown, revoked or expired).
    fn token_user(&self, hash: &SecretHash)
        -> Result<Option<(User, TokenInfo)>, crate::StoreError>;

    /// A user's tokens, newest first, revoked and expired ones included.
    fn tokens(&self, user: &UserId) -> Result<Vec<TokenInfo>, crate::StoreError>;

    /// Revokes one of the user's tokens (`None` if the user has no live token with this
    /// id).
    fn revoke_token(
        &self,
        user: &UserId,
        id: &TokenId,
    ) -> Result<Option<TokenInfo>, crate::StoreError>;

    /// A share link of the live scenario's current version.
    fn create_share(&self, share: &NewShare) -> Result<Share, crate::StoreError>;

    /// The share link with this token, whatever its state (the caller tells expired from
    /// revoked); `None` if unknown or its scenario is gone.
    fn share(&self, token: &str) -> Result<Option<Share>, crate::StoreError>;

    /// A scenario's share links, newest first.
    fn shares(&self, scenario: &ScenarioId) -> Result<Vec<Share>, crate::StoreError>;

    /// Revokes a scenario's share link; `None` if the scenario has no live link with this
    /// token.
    fn revoke_share(
        &self,
        scenario: &ScenarioId,
        token: &str,
    ) -> Result<Option<Share>, crate::StoreError>;

    /// A one-time sign-in link for `user`, usable once before `expires_at`.
    fn create_sign_in_link(
        &self,
        hash: &SecretHash,
        user: &UserId,
        expires_at: Timestamp,
    ) -> Result<(), crate::StoreError>;

    /// Uses a one-time sign-in link up: its user, or `None` if unknown, used or expired.
    fn use_sign_in_link(&self, hash: &SecretHash) -> Result<Option<User>, crate::StoreError>;

    /// Keeps what a sign-in through a provider needs back at its callback (state, nonce,
    /// PKCE verifier), under the hash of its state, until `expires_at`.
    fn put_pending_sign_in(
        &self,
        hash: &SecretHash,
        data: &str,
        expires_at: Timestamp,
    ) -> Result<(), crate::StoreError>;

    /// Takes a pending sign-in out (once): `None` if unknown, taken or expired.
    fn take_pending_sign_in(&self, hash: &SecretHash) -> Result<Option<String>, crate::StoreError>;

    /// Appends to the audit log.
    fn record(&self, event: &AuditEvent) -> Result<(), crate::StoreError>;

    /// Reads the audit log (see [`AuditQuery`]).
    fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, crate::StoreError>;

    /// Counts one failed sign-in under each key (`account:<email>`, `address:<ip>`).
    fn note_failure(&self, keys: &[String]) -> Result<(), crate::StoreError>;

    /// Failures under `key` since `since`: how many, and when the oldest of them was.
    fn failures_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<(u64, Option<Timestamp>), crate::StoreError>;

    /// Forgets the failures under `key` (after a successful sign-in of that account).
    fn clear_failures(&self, key: &str) -> Result<(), crate::StoreError>;

    /// Removes what has expired: sessions, one-time links, pending sign-ins and failure
    /// counts older than `keep_failures_ms`.
    fn sweep_expired(&self, keep_failures_ms: i64) -> Result<(), crate::StoreError>;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn team_names() {
        for ok in ["default", "emea-sales", "a", "team_2.b", &"x".repeat(40)] {
            assert!(ok.parse::<TeamName>().is_ok(), "{ok}");
        }
        for bad in ["", "Default", "-x", "a b", "é", &"x".repeat(41), "a/b"] {
            assert!(bad.parse::<TeamName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Viewer < Role::Engineer);
        assert!(Role::Engineer < Role::Pricing);
        assert!(Role::Pricing < Role::Admin);
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("Admin".parse::<Role>().is_err());
    }

    #[test]
    fn emails_compare_without_case() {
        let a: Email = " Ana@Example.com ".parse().unwrap();
        assert_eq!(a.as_str(), "Ana@Example.com");
        assert_eq!(a.key(), "ana@example.com");
        for bad in ["", "ana", "@x", "ana@", "a b@x", "a@b@c"] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_user_can_what_their_role_allows() {
        let team = |s: &str| s.parse::<TeamName>().unwrap();
        let u = User {
            id: UserId::random(),
            email: "a@x".into(),
            name: "A".into(),
            teams: vec![
                Membership {
                    team: team("a"),
                    role: Role::Viewer,
                },
                Membership {
                    team: team("b"),
                    role: Role::Pricing,
                },
            ],
            created_at: Timestamp(0),
            has_password: true,
        };
        assert!(u.can(&team("a"), Role::Viewer));
        assert!(!u.can(&team("a"), Role::Engineer));
        assert!(u.can(&team("b"), Role::Engineer));
        assert!(!u.can(&team("c"), Role::Viewer));
        assert!(u.can_anywhere(Role::Pricing));
        assert!(!u.can_anywhere(Role::Admin));
        assert_eq!(u.teams_with(Role::Engineer), vec![team("b")]);
    }
}
