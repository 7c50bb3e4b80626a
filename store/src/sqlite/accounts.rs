//! [`AccountStore`] on SQLite: users, teams, memberships, sessions, tokens, share links,
//! one-time links, pending provider sign-ins, the audit log and the failure counters.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{live, SqliteStore};
use crate::accounts::{
    highest_roles, AccountStore, AuditEntry, AuditEvent, AuditQuery, Email, MemberChange,
    Membership, NewShare, ProviderUser, SecretHash, Session, Share, Team, TeamName, TokenId,
    TokenInfo, User, UserId,
};
use crate::{ScenarioId, StoreError, Timestamp};

/// Makes `team` if it does not exist.
pub(super) fn ensure_team(
    tx: &Transaction<'_>,
    team: &TeamName,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO teams (name, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?
    .execute(params![team, now])?;
    Ok(())
}

/// The user with this id, with their memberships.
fn load_user(tx: &Transaction<'_>, id: &UserId) -> Result<Option<User>, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT email, name, created_at, password_hash IS NOT NULL FROM users WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })
        .optional()?;
    let Some((email, name, created_at, has_password)) = row else {
        return Ok(None);
    };
    let teams = tx
        .prepare_cached("SELECT team, role FROM memberships WHERE user_id = ?1 ORDER BY team")?
        .query_map([id], |r| {
            Ok(Membership {
                team: r.get(0)?,
                role: r.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(User {
        id: *id,
        email,
        name,
        teams,
        created_at,
        has_password,
    }))
}

fn user_id_by_email(tx: &Transaction<'_>, email: &Email) -> Result<Option<UserId>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT id FROM users WHERE email_key = ?1")?
        .query_row([email.key()], |r| r.get(0))
        .optional()?)
}

fn end_sessions(tx: &Transaction<'_>, user: &UserId) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?
        .execute([user])?;
    Ok(())
}

fn must_exist(user: Option<User>, id: &UserId) -> Result<User, StoreError> {
    user.ok_or_else(|| StoreError::Corrupt(format!("user {id} vanished inside a transaction")))
}

fn token_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: r.get(2)?,
        expires_at: r.get(3)?,
        revoked_at: r.get(4)?,
    })
}

const SHARE_COLUMNS: &str = "sh.token, sh.scenario_id, s.team, sh.version, sh.created_by,
     sh.created_at, sh.expires_at, sh.revoked_at";

fn share(r: &rusqlite::Row<'_>) -> rusqlite::Result<Share> {
    Ok(Share {
        token: r.get(0)?,
        scenario: r.get(1)?,
        team: r.get(2)?,
        version: r.get(3)?,
        created_by: r.get(4)?,
        created_at: r.get(5)?,
        expires_at: r.get(6)?,
        revoked_at: r.get(7)?,
    })
}

impl AccountStore for SqliteStore {
    fn user_count(&self) -> Result<u64, StoreError> {
        self.read(|tx, _| {
            let n: i64 = tx
                .prepare_cached("SELECT count(*) FROM users")?
                .query_row([], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    fn put_member(&self, change: &MemberChange) -> Result<User, StoreError> {
        self.write(|tx, now| {
            ensure_team(tx, &change.team, now)?;
            let id = match user_id_by_email(tx, &change.email)? {
                Some(id) => {
                    if !change.name.is_empty() {
                        tx.prepare_cached("UPDATE users SET name = ?2 WHERE id = ?1")?
                            .execute(params![id, change.name])?;
                    }
                    id
                }
                None => {
                    let id = UserId::random();
                    let name = if change.name.is_empty() {
                        change.email.as_str().split('@').next().unwrap_or_default()
                    } else {
                        change.name.as_str()
                    };
                    tx.prepare_cached(
                        "INSERT INTO users (id, email, email_key, name, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        id,
                        change.email.as_str(),
                        change.email.key(),
                        name,
                        now
                    ])?;
                    id
                }
            };
            let before: Option<crate::Role> = tx
                .prepare_cached("SELECT role FROM memberships WHERE user_id = ?1 AND team = ?2")?
                .query_row(params![id, change.team], |r| r.get(0))
                .optional()?;
            if before != Some(change.role) {
                tx.prepare_cached(
                    "INSERT INTO memberships (user_id, team, role) VALUES (?1, ?2, ?3)
                     ON CONFLICT (user_id, team) DO UPDATE SET role = excluded.role",
                )?
                .execute(params![id, change.team, change.role])?;
                if before.is_some() {
                    end_sessions(tx, &id)?;
                }
            }
            if let Some(hash) = &change.password_hash {
                tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
                    .execute(params![id, hash])?;
                end_sessions(tx, &id)?;
            }
            must_exist(load_user(tx, &id)?, &id)
        })
    }

    fn remove_member(&self, user: &UserId, team: &TeamName) -> Result<Option<User>, StoreError> {
        self.write(|tx, _| {
            let n = tx
                .prepare_cached("DELETE FROM memberships WHERE user_id = ?1 AND team = ?2")?
                .execute(params![user, team])?;
            if n == 0 {
                return Ok(None);
            }
            end_sessions(tx, user)?;
            load_user(tx, user)
        })
    }

    fn set_password(&self, user: &UserId, hash: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
                .execute(params![user, hash])?;
            end_sessions(tx, user)
        })
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.read(|tx, _| {
            let ids = tx
                .prepare_cached("SELECT id FROM users ORDER BY email_key")?
                .query_map([], |r| r.get::<_, UserId>(0))?
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
            let row: Option<(UserId, Option<String>)> = tx
                .prepare_cached("SELECT id, password_hash FROM users WHERE email_key = ?1")?
                .query_row([email.key()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match row {
                None => Ok(None),
                Some((id, hash)) => Ok(Some((must_exist(load_user(tx, &id)?, &id)?, hash))),
            }
        })
    }

    fn remove_user(&self, email: &Email) -> Result<Option<User>, StoreError> {
        self.write(|tx, _| {
            let Some(id) = user_id_by_email(tx, email)? else {
                return Ok(None);
            };
            let user = load_user(tx, &id)?;
            // Sessions, tokens, memberships and links go with the user (ON DELETE CASCADE).
            tx.prepare_cached("DELETE FROM users WHERE id = ?1")?
                .execute([id])?;
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
                .prepare_cached("SELECT id FROM users WHERE issuer = ?1 AND subject = ?2")?
                .query_row(params![issuer, subject], |r| r.get(0))
                .optional()?;
            // A provider's user is found by (issuer, subject), which never changes; the
            // first time, an account with the same email is taken over (an admin made it
            // beforehand) if the provider verified the address and no other subject of
            // the same issuer holds it.
            let id = match by_subject {
                Some(id) => id,
                None => match user_id_by_email(tx, email)? {
                    Some(id) => {
                        let held: Option<Option<String>> = tx
                            .prepare_cached("SELECT subject FROM users WHERE id = ?1")?
                            .query_row([id], |r| r.get(0))
                            .optional()?;
                        if let Some(Some(other)) = held {
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
                    None => {
                        let id = UserId::random();
                        tx.prepare_cached(
                            "INSERT INTO users (id, email, email_key, name, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                        )?
                        .execute(params![id, email.as_str(), email.key(), name, now])?;
                        id
                    }
                },
            };
            let before = load_user(tx, &id)?.map(|u| u.teams).unwrap_or_default();
            tx.prepare_cached(
                "UPDATE users SET email = ?2, email_key = ?3, name = ?4, issuer = ?5, subject = ?6
                 WHERE id = ?1",
            )?
            .execute(params![id, email.as_str(), email.key(), name, issuer, subject])?;
            tx.prepare_cached("DELETE FROM memberships WHERE user_id = ?1")?
                .execute([id])?;
            for m in highest_roles(memberships) {
                ensure_team(tx, &m.team, now)?;
                tx.prepare_cached(
                    "INSERT INTO memberships (user_id, team, role) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, m.team, m.role])?;
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
            let teams = tx
                .prepare_cached(
                    "SELECT t.name, t.created_at,
                            (SELECT count(*) FROM memberships m WHERE m.team = t.name)
                     FROM teams t ORDER BY t.name",
                )?
                .query_map([], |r| {
                    Ok(Team {
                        name: r.get(0)?,
                        created_at: r.get(1)?,
                        members: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(teams)
        })
    }

    fn create_team(&self, name: &TeamName) -> Result<Team, StoreError> {
        self.write(|tx, now| {
            let n = tx
                .prepare_cached(
                    "INSERT INTO teams (name, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                )?
                .execute(params![name, now])?;
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
            tx.prepare_cached(
                "INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![hash, user, now, expires_at])?;
            Ok(())
        })
    }

    fn session(&self, hash: &SecretHash) -> Result<Option<Session>, StoreError> {
        self.read(|tx, now| {
            let row: Option<(UserId, Timestamp, Timestamp)> = tx
                .prepare_cached(
                    "SELECT user_id, created_at, expires_at FROM sessions
                     WHERE hash = ?1 AND expires_at > ?2",
                )?
                .query_row(params![hash, now], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((user, created_at, expires_at)) = row else {
                return Ok(None);
            };
            Ok(load_user(tx, &user)?.map(|user| Session {
                user,
                created_at,
                expires_at,
            }))
        })
    }

    fn end_session(&self, hash: &SecretHash) -> Result<bool, StoreError> {
        self.write(|tx, _| {
            Ok(tx
                .prepare_cached("DELETE FROM sessions WHERE hash = ?1")?
                .execute([hash])?
                > 0)
        })
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
            tx.prepare_cached(
                "INSERT INTO api_tokens (id, hash, user_id, name, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![id, hash, user, name, now, expires_at])?;
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
        self.read(|tx, now| {
            let row: Option<(UserId, TokenInfo)> = tx
                .prepare_cached(
                    "SELECT id, name, created_at, expires_at, revoked_at, user_id
                     FROM api_tokens
                     WHERE hash = ?1 AND revoked_at IS NULL
                       AND (expires_at IS NULL OR expires_at > ?2)",
                )?
                .query_row(params![hash, now], |r| Ok((r.get(5)?, token_info(r)?)))
                .optional()?;
            let Some((user, info)) = row else {
                return Ok(None);
            };
            Ok(load_user(tx, &user)?.map(|u| (u, info)))
        })
    }

    fn tokens(&self, user: &UserId) -> Result<Vec<TokenInfo>, StoreError> {
        self.read(|tx, _| {
            Ok(tx
                .prepare_cached(
                    "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens
                     WHERE user_id = ?1 ORDER BY created_at DESC, id",
                )?
                .query_map([user], token_info)?
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn revoke_token(&self, user: &UserId, id: &TokenId) -> Result<Option<TokenInfo>, StoreError> {
        self.write(|tx, now| {
            let n = tx
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = ?3
                     WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL",
                )?
                .execute(params![id, user, now])?;
            if n == 0 {
                return Ok(None);
            }
            Ok(tx
                .prepare_cached(
                    "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens
                     WHERE id = ?1 AND user_id = ?2",
                )?
                .query_row(params![id, user], token_info)
                .optional()?)
        })
    }

    fn create_share(&self, new: &NewShare) -> Result<Share, StoreError> {
        self.write(|tx, now| {
            let version = live(tx, &new.scenario, now)?;
            tx.prepare_cached(
                "INSERT INTO shares (token, scenario_id, version, created_by, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                new.token,
                new.scenario,
                version,
                new.created_by,
                now,
                new.expires_at
            ])?;
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
            Ok(tx
                .prepare_cached(&format!(
                    "SELECT {SHARE_COLUMNS} FROM shares sh JOIN scenarios s ON s.id = sh.scenario_id
                     WHERE sh.scenario_id = ?1 ORDER BY sh.created_at DESC, sh.token"
                ))?
                .query_map([scenario], share)?
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn revoke_share(
        &self,
        scenario: &ScenarioId,
        token: &str,
    ) -> Result<Option<Share>, StoreError> {
        self.write(|tx, now| {
            let n = tx
                .prepare_cached(
                    "UPDATE shares SET revoked_at = ?3
                     WHERE scenario_id = ?1 AND token = ?2 AND revoked_at IS NULL",
                )?
                .execute(params![scenario, token, now])?;
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
            tx.prepare_cached(
                "INSERT INTO sign_in_links (hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![hash, user, expires_at])?;
            Ok(())
        })
    }

    fn use_sign_in_link(&self, hash: &SecretHash) -> Result<Option<User>, StoreError> {
        self.write(|tx, now| {
            let user: Option<(UserId, Timestamp)> = tx
                .prepare_cached("SELECT user_id, expires_at FROM sign_in_links WHERE hash = ?1")?
                .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            tx.prepare_cached("DELETE FROM sign_in_links WHERE hash = ?1")?
                .execute([hash])?;
            match user {
                Some((id, expires_at)) if expires_at > now => load_user(tx, &id),
                _ => Ok(None),
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
            tx.prepare_cached(
                "INSERT INTO pending_sign_ins (hash, data, expires_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![hash, data, expires_at])?;
            Ok(())
        })
    }

    fn take_pending_sign_in(&self, hash: &SecretHash) -> Result<Option<String>, StoreError> {
        self.write(|tx, now| {
            let row: Option<(String, Timestamp)> = tx
                .prepare_cached("SELECT data, expires_at FROM pending_sign_ins WHERE hash = ?1")?
                .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            tx.prepare_cached("DELETE FROM pending_sign_ins WHERE hash = ?1")?
                .execute([hash])?;
            Ok(row.filter(|(_, exp)| *exp > now).map(|(d, _)| d))
        })
    }

    fn record(&self, e: &AuditEvent) -> Result<(), StoreError> {
        self.write(|tx, now| {
            tx.prepare_cached(
                "INSERT INTO audit_log (at, actor, address, action, target, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                now, e.actor, e.address, e.action, e.target, e.outcome
            ])?;
            Ok(())
        })
    }

    fn audit_log(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|tx, _| {
            let actor = q.actor.as_deref().unwrap_or_default().to_ascii_lowercase();
            Ok(tx
                .prepare_cached(
                    "SELECT seq, at, actor, address, action, target, outcome FROM audit_log
                     WHERE (?1 IS NULL OR at >= ?1)
                       AND instr(lower(actor), ?2) > 0
                       AND (?3 IS NULL OR action = ?3)
                       AND (?4 IS NULL OR seq < ?4)
                     ORDER BY seq DESC LIMIT ?5",
                )?
                .query_map(params![q.since, actor, q.action, q.before, q.limit], |r| {
                    Ok(AuditEntry {
                        seq: r.get(0)?,
                        at: r.get(1)?,
                        event: AuditEvent {
                            actor: r.get(2)?,
                            address: r.get(3)?,
                            action: r.get(4)?,
                            target: r.get(5)?,
                            outcome: r.get(6)?,
                        },
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    fn note_failure(&self, keys: &[String]) -> Result<(), StoreError> {
        self.write(|tx, now| {
            for key in keys {
                tx.prepare_cached("INSERT INTO sign_in_failures (key, at) VALUES (?1, ?2)")?
                    .execute(params![key, now])?;
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
            let (n, oldest): (i64, Option<Timestamp>) = tx
                .prepare_cached(
                    "SELECT count(*), min(at) FROM sign_in_failures WHERE key = ?1 AND at > ?2",
                )?
                .query_row(params![key, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok((u64::try_from(n).unwrap_or(0), oldest))
        })
    }

    fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        self.write(|tx, _| {
            tx.prepare_cached("DELETE FROM sign_in_failures WHERE key = ?1")?
                .execute([key])?;
            Ok(())
        })
    }

    fn sweep_expired(&self, keep_failures_ms: i64) -> Result<(), StoreError> {
        self.write(|tx, now| {
            tx.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                .execute([now])?;
            tx.prepare_cached("DELETE FROM sign_in_links WHERE expires_at <= ?1")?
                .execute([now])?;
            tx.prepare_cached("DELETE FROM pending_sign_ins WHERE expires_at <= ?1")?
                .execute([now])?;
            tx.prepare_cached("DELETE FROM sign_in_failures WHERE at <= ?1")?
                .execute([now.plus_ms(-keep_failures_ms)])?;
            Ok(())
        })
    }
}

fn one_share(tx: &Transaction<'_>, token: &str) -> Result<Option<Share>, StoreError> {
    Ok(tx
        .prepare_cached(&format!(
            "SELECT {SHARE_COLUMNS} FROM shares sh JOIN scenarios s ON s.id = sh.scenario_id
             WHERE sh.token = ?1"
        ))?
        .query_row([token], share)
        .optional()?)
}
