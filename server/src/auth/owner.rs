//! The local owner: how a newcomer on a laptop signs in without creating an account first.
//!
//! When the server listens on a loopback address and has no users, it makes one account,
//! `owner@localhost`, admin of team `default`, with no password. At each start on loopback
//! while that account exists, it prints a one-time sign-in link for it (valid
//! [`LINK_MS`], usable once), as notebook servers do. Only someone at the machine can
//! open a loopback address, and the link is printed on the terminal that started the
//! server, not written to its log. On any other address nothing is made: the first admin
//! is created with `lakeplan users add … --role admin --password-stdin`.

use std::net::SocketAddr;

use lakeplan_store::{Email, MemberChange, Role, TeamName};

use super::secret::{Kind, Secret};
use crate::api::{AppError, Storage};

pub const OWNER_EMAIL: &str = "owner@localhost";

/// How long a printed link works: a day.
pub const LINK_MS: i64 = lakeplan_store::DAY_MS;

/// What the server should tell the person who started it about signing in.
#[derive(Debug)]
pub enum Greeting {
    /// Open this URL to sign in as the local owner.
    Link(String),
    /// No users and not on loopback: how to create the first admin.
    NoUsers,
    Nothing,
}

pub async fn greet(
    storage: &Storage,
    local: SocketAddr,
    now: lakeplan_store::Timestamp,
) -> Result<Greeting, AppError> {
    let owner: Email = OWNER_EMAIL
        .parse()
        .map_err(|e| AppError::Internal(format!("{e}")))?;
    let users = storage.call(|st| st.user_count()).await?;
    if !local.ip().is_loopback() {
        return Ok(if users == 0 {
            Greeting::NoUsers
        } else {
            Greeting::Nothing
        });
    }
    if users == 0 {
        let change = MemberChange {
            email: owner.clone(),
            name: "Local owner".into(),
            team: TeamName::default_team(),
            role: Role::Admin,
            password_hash: None,
        };
        storage.call(move |st| st.put_member(&change)).await?;
    }
    let lookup = owner.clone();
    let Some((user, _)) = storage.call(move |st| st.user_by_email(&lookup)).await? else {
        return Ok(Greeting::Nothing);
    };
    let secret = Secret::new(Kind::SignInLink)?;
    let hash = secret.hash();
    let expires = now.plus_ms(LINK_MS);
    storage
        .call(move |st| st.create_sign_in_link(&hash, &user.id, expires))
        .await?;
    Ok(Greeting::Link(format!(
        "http://{local}{}",
        lakeplan_api::paths::SIGN_IN_LINK.replace("{token}", secret.expose())
    )))
}
