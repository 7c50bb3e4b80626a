//! [`AccountStore`] on PostgreSQL: the same tables and meaning as on SQLite
//! (`sqlite/accounts.rs`), so sessions, tokens, links, the audit log and the sign-in
//! failure counters hold across every server on the database.

use postgres::Row;

use super::{live, PostgresStore, Tx};
use crate::accounts::{
    highest_roles, AccountStore, AuditEntry, AuditEvent, AuditQuery, Email, MemberChange,
    Membership, NewShare, ProviderUser, SecretHash, Session, Share, Team, TeamName, TokenId,
    TokenInfo, User, UserId,
};
use crate::{Role, ScenarioId, StoreError, Timestamp};

/// Makes `team` if it does not exist.
pub(super) fn ensure_team(
    tx: &mut Tx<'_>,
    team: &TeamName,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO teams (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[team, &now],
    )?;
    Ok(())
}

/// The columns [`user_of`] reads, after a query's own: a user and their teams, joined as
/// `u` and `m` (a row per team; one row with no team for a user in none).
const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.created_at, u.password_hash IS NOT NULL, m.team, m.role";

/// The user whose columns ([`USER_COLUMNS`]) start at `at` in `rows`.
fn user_of(rows: &[Row], at: usize) -> Result<Option<User>, StoreError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut teams = Vec::new();
    for r in rows {
        if let (Some(team), Some(role)) = (r.try_get(at + 5)?, r.try_get(at + 6)?) {
            teams.push(Membership { team, role });
        }
    }
    Ok(Some(User {
        id: first.try_get(at)?,
        email: first.try_get(at + 1)?,
        name: first.try_get(at + 2)?,
        teams,
        created_at: first.try_get(at + 3)?,
        has_password: first.try_get(at + 4)?,
    }))
}

/// The user with this id, with their memberships, in one statement.
fn load_user(tx: &mut Tx<'_>, id: &UserId) -> Result<Option<User>, StoreError> {
    let rows = tx.query(
        &format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN memberships m ON m.user_id = u.id
             WHERE u.id = $1 ORDER BY m.team"
        ),
        &[id],
    )?;
    user_of(&rows, 0)
}

fn user_id_by_email(tx: &mut Tx<'_>, email: &Email) -> Result<Option<UserId>, StoreError> {
    tx.query_opt("SELECT id FROM users WHERE email_key = $1", &[&email.key()])?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(StoreError::from)
}

fn end_sessions(tx: &mut Tx<'_>, user: &UserId) -> Result<(), StoreError> {
    tx.execute("DELETE FROM sessions WHERE user_id = $1", &[user])?;
    Ok(())
}

fn must_exist(user: Option<User>, id: &UserId) -> Result<User, StoreError> {
    user.ok_or_else(|| StoreError::Corrupt(format!("user {id} vanished inside a transaction")))
}

fn token_info(r: &Row) -> Result<TokenInfo, StoreError> {
    Ok(TokenInfo {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        created_at: r.try_get(2)?,
        expires_at: r.try_get(3)?,
        revoked_at: r.try_get(4)?,
    })
}

const SHARE_COLUMNS: &str = "sh.token, sh.scenario_id, s.team, sh.version, sh.created_by,
     sh.created_at, sh.expires_at, sh.revoked_at";

fn share(r: &Row) -> Result<Share, StoreError> {
    Ok(Share {
        token: r.try_get(0)?,
        scenario: r.try_get(1)?,
        team: r.try_get(2)?,
        version: r.try_get(3)?,
        created_by: r.try_get(4)?,
        created_at: r.try_get(5)?,
        expires_at: r.try_get(6)?,
        revoked_at: r.try_get(7)?,
    })
}

fn one_share(tx: &mut Tx<'_>, token: &str) -> Result<Option<Share>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {SHARE_COLUMNS} FROM shares sh JOIN scenarios s ON s.id = sh.scenario_id
             WHERE sh.token = $1"
        ),
        &[&token],
    )?
    .as_ref()
    .map(share)
    .transpose()
}

fn insert_user(
    tx: &mut Tx<'_>,
    email: &Email,
    name: &str,
    now: Timestamp,
) -> Result<UserId, StoreError> {
    let id = UserId::random();
    tx.execute(
        "INSERT INTO users (id, email, email_key, name, created_at) VALUES ($1, $2, $3, $4, $5)",
        &[&id, &email.as_str(), &email.key(), &name, &now],
    )?;
    Ok(id)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl AccountStore for PostgresStore {
    fn user_count(&self) -> Result<u64, StoreError> {
        self.read(|tx, _| {
            Ok(count(
                tx.query_one("SELECT count(*) FROM users", &[])?
                    .try_get(0)?,
            ))
        })
    }

    fn put_member(&self, change: &MemberChange) -> Result<User, StoreError> {
        self.write(|tx, now| {
            ensure_team(tx, &change.team, now)?;
            let id = match user_id_by_email(tx, &change.email)? {
                Some(id) => {
                    if !change.name.is_empty() {
                        tx.execute(
                            "UPDATE users SET name = $2 WHERE id = $1",
                            &[&id, &change.name],
                        )?;
                    }
                    id
                }
                None => {
                    let name = if change.name.is_empty() {
                        change.email.as_str().split('@').next().unwrap_or_default()
                    } else {
                        change.name.as_str()
                    };
                    insert_user(tx, &change.email, name, now)?
                }
            };
            let before: Option<Role> = tx
                .query_opt(
                    "SELECT role FROM memberships WHERE user_id = $1 AND team = $2",
                    &[&id, &change.team],
                )?
                .map(|r| r.try_get(0))
                .transpose()?;
            if before != Some(change.role) {
                tx.execute(
                    "INSERT INTO memberships (user_id, team, role) VALUES ($1, $2, $3)
                     ON CONFLICT (user_id, team) DO UPDATE SET role = excluded.role",
                    &[&id, &change.team, &change.role],
                )?;
                if before.is_some() {
                    end_sessions(tx, &id)?;
                }
            }
            if let Some(hash) = &change.password_hash {
                tx.execute(
                    "UPDATE users SET password_hash = $2 WHERE id = $1",
                    &[&id, hash],
                )?;
                end_sessions(tx, &id)?;
            }
            must_exist(load_user(tx, &id)?, &id)
        })
    }

    fn remove_member(&self, user: &UserId, team: &TeamName) -> Result<Option<User>, StoreError> {
        self.write(|tx, _| {
            let n = tx.execute(
                "DELETE FROM memberships WHERE user_id = $1 AND team = $2",
                &[user, team],
            )?;
            if n == 0 {
                return Ok(None);
            }
            end_sessions(tx, user)?;
            load_user(tx, user)
        })
    }

    fn set_password(&self, user: &UserId, hash: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute(
                "UPDATE users SET password_hash = $2 WHERE id = $1",
                &[user, &hash],
            )?;
            end_sessions(tx, user)
        })
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.read(|tx, _| {
            let ids = tx
                .query("SELECT id FROM users ORDER BY email_key", &[])?
                .iter()
                .map(|r| r.try_get::<_, UserId>(0))
                .collect::<Result<Vec<_>, _>>()?;
            ids.iter()
                .map(|id| must_exist(load_user(tx, id)?, id))
                .collect()
        })
    }

    fn user(&self, id: &UserId) -> Result<Option<User>, StoreError> {
        self.read(|tx, _| load_user(tx, id))
    }

    fn user_by_email(&self, email: &Email) -> Result<Option<(User, Option<String>)>, StoreError> {
        self.read(|tx, _| {
            let row = tx.query_opt(
                "SELECT id, password_hash FROM users WHERE email_key = $1",
                &[&email.key()],
            )?;
            let Some(row) = row else {
                return Ok(None);
            };
            let id: UserId = row.try_get(0)?;
            let hash: Option<String> = row.try_get(1)?;
            Ok(Some((must_exist(load_user(tx, &id)?, &id)?, hash)))
        })
    }

    fn remove_user(&self, email: &Email) -> Result<Option<User>, StoreError> {
        self.write(|tx, _| {
            let Some(id) = user_id_by_email(tx, email)? else {
                return Ok(None);
            };
            let user = load_user(tx, &id)?;
            // Sessions, tokens, memberships and links go with the user (ON DELETE CASCADE).
            tx.execute("DELETE FROM users WHERE id = $1", &[&id])?;
            Ok(user)
        })
    }

    fn sign_in_external(
        &self,
        who: &ProviderUser,
        memberships: &[Membership],
    ) -> Result<User, StoreError> {
        let ProviderUser {
            issuer,
            subject,
            email,
            email_verified,
            name,
        } = who;
        self.write(|tx, now| {
            let by_subject: Option<UserId> = tx
                .query_opt(
                    "SELECT id FROM users WHERE issuer = $1 AND subject = $2",
                    &[issuer, subject],
                )?
                .map(|r| r.try_get(0))
                .transpose()?;
            // As on SQLite: found by (issuer, subject); the first time, an account with the
            // same verified email and no other subject is taken over.
            let id = match by_subject {
                Some(id) => id,
                None => match user_id_by_email(tx, email)? {
                    Some(id) => {
                        let held: Option<String> = tx
                            .query_one("SELECT subject FROM users WHERE id = $1", &[&id])?
                            .try_get(0)?;
                        if let Some(other) = held {
                            if other != *subject {
                                return Err(StoreError::Exists(format!(
                                    "the account {email} (bound to another identity of the provider)"
                                )));
                            }
                        }
                        if !email_verified {
                            return Err(StoreError::Exists(format!(
                                "the account {email} (the provider has not verified this address)"
                            )));
                        }
                        id
                    }
                    None => insert_user(tx, email, name, now)?,
                },
            };
            let before = load_user(tx, &id)?.map(|u| u.teams).unwrap_or_default();
            tx.execute(
                "UPDATE users SET email = $2, email_key = $3, name = $4, issuer = $5, subject = $6
                 WHERE id = $1",
                &[&id, &email.as_str(), &email.key(), name, issuer, subject],
            )?;
            tx.execute("DELETE FROM memberships WHERE user_id = $1", &[&id])?;
            for m in highest_roles(memberships) {
                ensure_team(tx, &m.team, now)?;
                tx.execute(
                    "INSERT INTO memberships (user_id, team, role) VALUES ($1, $2, $3)",
                    &[&id, &m.team, &m.role],
                )?;
            }
            let user = must_exist(load_user(tx, &id)?, &id)?;
            if user.teams != before {
                end_sessions(tx, &id)?;
            }
            Ok(user)
        })
    }

    fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.read(|tx, _| {
            tx.query(
                "SELECT t.name, t.created_at,
                        (SELECT count(*) FROM memberships m WHERE m.team = t.name)
                 FROM teams t ORDER BY t.name",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Team {
                    name: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    members: count(r.try_get(2)?),
                })
            })
            .collect()
        })
    }

    fn create_team(&self, name: &TeamName) -> Result<Team, StoreError> {
        self.write(|tx, now| {
            let n = tx.execute(
                "INSERT INTO teams (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[name, &now],
            )?;
            if n == 0 {
                return Err(StoreError::Exists(format!("team {name}")));
            }
            Ok(Team {
                name: name.clone(),
                created_at: now,
                members: 0,
            })
        })
    }

    fn create_session(
        &self,
        hash: &SecretHash,
        user: &UserId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO sessions (hash, user_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4)",
                &[hash, user, &now, &expires_at],
            )?;
            Ok(())
        })
    }

    fn session(&self, hash: &SecretHash) -> Result<Option<Session>, StoreError> {
        // One statement (one snapshot), outside a transaction: what every request reads.
        self.read_bare(|tx, now| {
            let rows = tx.query(
                &format!(
                    "SELECT s.created_at, s.expires_at, {USER_COLUMNS}
                     FROM sessions s JOIN users u ON u.id = s.user_id
                     LEFT JOIN memberships m ON m.user_id = u.id
                     WHERE s.hash = $1 AND s.expires_at > $2 ORDER BY m.team"
                ),
                &[hash, &now],
            )?;
            let Some(first) = rows.first() else {
                return Ok(None);
            };
            let (created_at, expires_at) = (first.try_get(0)?, first.try_get(1)?);
            Ok(user_of(&rows, 2)?.map(|user| Session {
                user,
                created_at,
                expires_at,
            }))
        })
    }

    fn end_session(&self, hash: &SecretHash) -> Result<bool, StoreError> {
        self.write(|tx, _| Ok(tx.execute("DELETE FROM sessions WHERE hash = $1", &[hash])? > 0))
    }

    fn create_token(
        &self,
        user: &UserId,
        name: &str,
        hash: &SecretHash,
        expires_at: Option<Timestamp>,
    ) -> Result<TokenInfo, StoreError> {
        let id = TokenId::random();
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO api_tokens (id, hash, user_id, name, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&id, hash, user, &name, &now, &expires_at],
            )?;
            Ok(TokenInfo {
                id,
                name: name.to_string(),
                created_at: now,
                expires_at,
                revoked_at: None,
            })
        })
    }

    fn token_user(&self, hash: &SecretHash) -> Result<Option<(User, TokenInfo)>, StoreError> {
        // One statement, as for sessions.
        self.read_bare(|tx, now| {
            let rows = tx.query(
                &format!(
                    "SELECT t.id, t.name, t.created_at, t.expires_at, t.revoked_at, {USER_COLUMNS}
                     FROM api_tokens t JOIN users u ON u.id = t.user_id
                     LEFT JOIN memberships m ON m.user_id = u.id
                     WHERE t.hash = $1 AND t.revoked_at IS NULL
                       AND (t.expires_at IS NULL OR t.expires_at > $2)
                     ORDER BY m.team"
                ),
                &[hash, &now],
            )?;
            let Some(first) = rows.first() else {
                return Ok(None);
            };
            let info = token_info(first)?;
            Ok(user_of(&rows, 5)?.map(|u| (u, info)))
        })
    }

    fn tokens(&self, user: &UserId) -> Result<Vec<TokenInfo>, StoreError> {
        self.read(|tx, _| {
            tx.query(
                "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens
                 WHERE user_id = $1 ORDER BY created_at DESC, id",
                &[user],
            )?
            .iter()
            .map(token_info)
            .collect()
        })
    }

    fn revoke_token(&self, user: &UserId, id: &TokenId) -> Result<Option<TokenInfo>, StoreError> {
        self.write(|tx, now| {
            let n = tx.execute(
                "UPDATE api_tokens SET revoked_at = $3
                 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
                &[id, user, &now],
            )?;
            if n == 0 {
                return Ok(None);
            }
            tx.query_opt(
                "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens
                 WHERE id = $1 AND user_id = $2",
                &[id, user],
            )?
            .as_ref()
            .map(token_info)
            .transpose()
        })
    }

    fn create_share(&self, new: &NewShare) -> Result<Share, StoreError> {
        self.write(|tx, now| {
            let version = live(tx, &new.scenario, now)?;
            tx.execute(
                "INSERT INTO shares (token, scenario_id, version, created_by, created_at,
                                     expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &new.token,
                    &new.scenario,
                    &version,
                    &new.created_by,
                    &now,
                    &new.expires_at,
                ],
            )?;
            one_share(tx, &new.token)?
                .ok_or_else(|| StoreError::Corrupt("a share link vanished as it was made".into()))
        })
    }

    fn share(&self, token: &str) -> Result<Option<Share>, StoreError> {
        self.read(|tx, now| {
            // A share of a deleted scenario is gone with it (a restored scenario brings its
            // links back).
            match one_share(tx, token)? {
                Some(s) if live(tx, &s.scenario, now).is_ok() => Ok(Some(s)),
                _ => Ok(None),
            }
        })
    }

    fn shares(&self, scenario: &ScenarioId) -> Result<Vec<Share>, StoreError> {
        self.read(|tx, _| {
            tx.query(
                &format!(
                    "SELECT {SHARE_COLUMNS} FROM shares sh JOIN scenarios s ON s.id = sh.scenario_id
                     WHERE sh.scenario_id = $1 ORDER BY sh.created_at DESC, sh.token"
                ),
                &[scenario],
            )?
            .iter()
            .map(share)
            .collect()
        })
    }

    fn revoke_share(
        &self,
        scenario: &ScenarioId,
        token: &str,
    ) -> Result<Option<Share>, StoreError> {
        self.write(|tx, now| {
            let n = tx.execute(
                "UPDATE shares SET revoked_at = $3
                 WHERE scenario_id = $1 AND token = $2 AND revoked_at IS NULL",
                &[scenario, &token, &now],
            )?;
            if n == 0 {
                return Ok(None);
            }
            one_share(tx, token)
        })
    }

    fn create_sign_in_link(
        &self,
        hash: &SecretHash,
        user: &UserId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO sign_in_links (hash, user_id, expires_at) VALUES ($1, $2, $3)",
                &[hash, user, &expires_at],
            )?;
            Ok(())
        })
    }

    fn use_sign_in_link(&self, hash: &SecretHash) -> Result<Option<User>, StoreError> {
        self.write(|tx, now| {
            // Taken and removed in one statement: of two servers using the same link at
            // once, one gets the row.
            let row = tx.query_opt(
                "DELETE FROM sign_in_links WHERE hash = $1 RETURNING user_id, expires_at",
                &[hash],
            )?;
            let Some(row) = row else {
                return Ok(None);
            };
            let (id, expires_at): (UserId, Timestamp) = (row.try_get(0)?, row.try_get(1)?);
            if expires_at > now {
                load_user(tx, &id)
            } else {
                Ok(None)
            }
        })
    }

    fn put_pending_sign_in(
        &self,
        hash: &SecretHash,
        data: &str,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute(
                "INSERT INTO pending_sign_ins (hash, data, expires_at) VALUES ($1, $2, $3)",
                &[hash, &data, &expires_at],
            )?;
            Ok(())
        })
    }

    fn take_pending_sign_in(&self, hash: &SecretHash) -> Result<Option<String>, StoreError> {
        self.write(|tx, now| {
            let row = tx.query_opt(
                "DELETE FROM pending_sign_ins WHERE hash = $1 RETURNING data, expires_at",
                &[hash],
            )?;
            let Some(row) = row else {
                return Ok(None);
            };
            let (data, expires_at): (String, Timestamp) = (row.try_get(0)?, row.try_get(1)?);
            Ok((expires_at > now).then_some(data))
        })
    }

    fn record(&self, e: &AuditEvent) -> Result<(), StoreError> {
        self.write(|tx, now| {
            tx.execute(
                "INSERT INTO audit_log (at, actor, address, action, target, outcome)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&now, &e.actor, &e.address, &e.action, &e.target, &e.outcome],
            )?;
            Ok(())
        })
    }

    fn audit_log(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|tx, _| {
            let actor = q.actor.as_deref().unwrap_or_default().to_ascii_lowercase();
            let limit = i64::from(q.limit);
            tx.query(
                "SELECT seq, at, actor, address, action, target, outcome FROM audit_log
                 WHERE ($1::BIGINT IS NULL OR at >= $1)
                   AND strpos(lower(actor), $2) > 0
                   AND ($3::TEXT IS NULL OR action = $3)
                   AND ($4::BIGINT IS NULL OR seq < $4)
                 ORDER BY seq DESC LIMIT $5",
                &[&q.since, &actor, &q.action, &q.before, &limit],
            )?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    event: AuditEvent {
                        actor: r.try_get(2)?,
                        address: r.try_get(3)?,
                        action: r.try_get(4)?,
                        target: r.try_get(5)?,
                        outcome: r.try_get(6)?,
                    },
                })
            })
            .collect()
        })
    }

    fn note_failure(&self, keys: &[String]) -> Result<(), StoreError> {
        self.write(|tx, now| {
            for key in keys {
                tx.execute(
                    "INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)",
                    &[key, &now],
                )?;
            }
            Ok(())
        })
    }

    fn failures_since(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<(u64, Option<Timestamp>), StoreError> {
        self.read(|tx, _| {
            let row = tx.query_one(
                "SELECT count(*), min(at) FROM sign_in_failures WHERE key = $1 AND at > $2",
                &[&key, &since],
            )?;
            Ok((count(row.try_get(0)?), row.try_get(1)?))
        })
    }

    fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.execute("DELETE FROM sign_in_failures WHERE key = $1", &[&key])?;
            Ok(())
        })
    }

    fn sweep_expired(&self, keep_failures_ms: i64) -> Result<(), StoreError> {
        self.write(|tx, now| {
            tx.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now])?;
            tx.execute("DELETE FROM sign_in_links WHERE expires_at <= $1", &[&now])?;
            tx.execute(
                "DELETE FROM pending_sign_ins WHERE expires_at <= $1",
                &[&now],
            )?;
            tx.execute(
                "DELETE FROM sign_in_failures WHERE at <= $1",
                &[&now.plus_ms(-keep_failures_ms)],
            )?;
            Ok(())
        })
    }
}
