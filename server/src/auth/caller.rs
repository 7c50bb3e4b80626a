//! Who is calling: a user through a session cookie or an API token, or nobody.
//!
//! [`Caller`] is an extractor, so every handler that touches stored data names it and
//! cannot forget to. A `Bearer` token that is unknown, revoked or expired is refused at
//! once (401): a script must learn its token stopped working, not read as nobody. A
//! session cookie that no longer names a session (signed out, expired, ended by a role
//! change) is nobody: a browser keeps stale cookies and the planner works without one.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use lakeplan_store::{Role, ScenarioId, SecretHash, TeamName, TokenId, User};

use super::cookie::SESSION_COOKIE;
use super::secret::{self, Kind};
use crate::api::{ApiState, AppError};

/// How a signed-in caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser's session cookie (its hash, to end it on sign-out).
    Session(SecretHash),
    /// An API token.
    Token { id: TokenId, name: String },
}

/// A user and how they signed in.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user: User,
    pub via: Via,
}

/// The caller of a request.
#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    Signed(Signed),
}

impl Caller {
    /// The signed-in caller, or 401.
    pub fn signed(&self) -> Result<&Signed, AppError> {
        match self {
            Caller::Signed(s) => Ok(s),
            Caller::Anonymous => Err(AppError::Unauthorized {
                message: "sign in first: POST /api/session with your email and password, or \
                          send an API token as Authorization: Bearer <token>"
                    .into(),
            }),
        }
    }

    /// The actor the audit log names: `user:EMAIL`, `token:NAME (EMAIL)` or `anonymous`.
    pub fn actor(&self) -> String {
        match self {
            Caller::Anonymous => "anonymous".into(),
            Caller::Signed(s) => s.actor(),
        }
    }
}

impl Signed {
    /// Who a version they save is saved by, as the history shows it: the email, with the
    /// token's name when through an API token.
    pub fn author(&self) -> String {
        match &self.via {
            Via::Session(_) => self.user.email.clone(),
            Via::Token { name, .. } => format!("{} (token {name})", self.user.email),
        }
    }

    pub fn actor(&self) -> String {
        match &self.via {
            Via::Session(_) => format!("user:{}", self.user.email),
            Via::Token { name, .. } => format!("token:{name} ({})", self.user.email),
        }
    }

    /// Whether the caller may act with `role` on scenario `id` of `team`: not a member of
    /// the team answers 404 (another team's scenario is not disclosed); a member with a
    /// lesser role answers 403.
    pub fn may(&self, team: &TeamName, role: Role, id: &ScenarioId) -> Result<(), AppError> {
        match self.user.role_in(team) {
            None => Err(AppError::NotFound {
                message: format!("no scenario has id {id}"),
                fields: Vec::new(),
                latest_version: None,
            }),
            Some(r) if r < role => Err(AppError::Forbidden {
                message: format!(
                    "your role in team {team} is {r}; this needs {role} or above (ask an admin)"
                ),
            }),
            Some(_) => Ok(()),
        }
    }

    /// Whether the caller holds `role` in some team (for what is global: users, teams,
    /// the audit log, price books); 403 otherwise.
    pub fn must_be(&self, role: Role) -> Result<(), AppError> {
        if self.user.can_anywhere(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                message: format!(
                    "this needs the {role} role, which you do not have (ask an admin)"
                ),
            })
        }
    }

    /// The team a new scenario goes to: the one named, which must be one where the caller
    /// is an engineer or above, or the only such team. 422 naming `team` otherwise.
    pub fn team_for_new(&self, named: Option<&str>) -> Result<TeamName, AppError> {
        let allowed = self.user.teams_with(Role::Engineer);
        let list = || {
            allowed
                .iter()
                .map(TeamName::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match named {
            Some(name) => {
                let team: TeamName = name.parse().map_err(|e: lakeplan_store::NameError| {
                    AppError::invalid("team", e.to_string())
                })?;
                if allowed.contains(&team) {
                    Ok(team)
                } else if self.user.role_in(&team).is_some() {
                    Err(AppError::Forbidden {
                        message: format!(
                            "your role in team {team} does not allow saving; you can save to: {}",
                            list()
                        ),
                    })
                } else {
                    Err(AppError::invalid(
                        "team",
                        format!(
                            "you are not a member of team {team}; you can save to: {}",
                            list()
                        ),
                    ))
                }
            }
            None => match allowed.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(AppError::Forbidden {
                    message: "you cannot save scenarios: no team gives you the engineer role"
                        .into(),
                }),
                _ => Err(AppError::invalid(
                    "team",
                    format!("is required: you can save to several teams ({})", list()),
                )),
            },
        }
    }
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    super::cookie::read(headers, SESSION_COOKIE)
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Caller, AppError> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let refused = || AppError::Unauthorized {
                message: "the API token is unknown, expired or revoked; make a new one with \
                          POST /api/tokens"
                    .into(),
            };
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| secret::looks_like(t, Kind::ApiToken))
                .ok_or_else(refused)?;
            let hash = secret::hash(token);
            return match state.storage.call(move |st| st.token_user(&hash)).await? {
                Some((user, info)) => Ok(Caller::Signed(Signed {
                    user,
                    via: Via::Token {
                        id: info.id,
                        name: info.name,
                    },
                })),
                None => Err(refused()),
            };
        }
        let Some(value) =
            session_cookie(&parts.headers).filter(|v| secret::looks_like(v, Kind::Session))
        else {
            return Ok(Caller::Anonymous);
        };
        let hash = secret::hash(value);
        let lookup = hash.clone();
        Ok(
            match state.storage.call(move |st| st.session(&lookup)).await? {
                Some(session) => Caller::Signed(Signed {
                    user: session.user,
                    via: Via::Session(hash),
                }),
                None => Caller::Anonymous,
            },
        )
    }
}
