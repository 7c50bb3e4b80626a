//! The shared store: PostgreSQL, for several servers behind a load balancer (spec
//! DEPLOY.md). Same interface and meaning as the SQLite store; what differs, and why:
//!
//! - Writes are SERIALIZABLE transactions, retried when PostgreSQL reports a serialization
//!   failure or a deadlock. Two servers may run the same write at once; serializable
//!   isolation makes every read-then-write (a role change, a publish, a delete that checks
//!   the version) behave as SQLite's one writer makes it behave, and the compare-and-swap of
//!   a save (`UPDATE … WHERE version = $expected`) still lets exactly one of two racing
//!   saves through: the other is retried, sees the new version and is told so.
//! - Reads are REPEATABLE READ, READ ONLY: one snapshot per call, as SQLite's read
//!   transactions give.
//! - A pool of connections (r2d2) that keep their prepared statements (`conn`), replaces
//!   broken ones and waits at most [`CHECKOUT_TIMEOUT`] for one. A database that stops
//!   answering is [`StoreError::Unavailable`] within that time (the server answers 503),
//!   and the pool reconnects by itself when the database is back: a connection that fails
//!   at `BEGIN` (dropped while the database was away) is set aside and another taken.
//! - Time still comes from the injected [`Clock`], not from `now()`: every server stamps
//!   with its own clock, as with SQLite, so tests can drive it.

mod accounts;
mod backup;
mod books;
mod columns;
mod conn;
mod migrations;

use std::sync::Arc;
use std::time::Duration;

use postgres::{IsolationLevel, Row};

use conn::{Conn, Manager, Tx};

use crate::{
    fold, Clock, Current, Deletion, Draft, ListQuery, Options, Origin, ScenarioId, ScenarioStore,
    StoreError, Summary, TeamName, Timestamp, Version, VersionInfo, VersionRecord, RETENTION_MS,
};

/// How long a call waits for a connection (and a new connection for the database) before
/// it answers [`StoreError::Unavailable`].
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// How many times a write is tried when PostgreSQL cannot serialize it with another.
const WRITE_ATTEMPTS: usize = 20;

type Pool = r2d2::Pool<Manager>;

/// Where a call failed: at `BEGIN` (nothing done, another connection may be tried) or after.
enum Failed {
    Begin(StoreError),
    After(StoreError),
}

/// Scenarios, accounts and books in a PostgreSQL database.
pub struct PostgresStore {
    pool: Closing,
    /// The database as errors and logs name it: host, port and name, never a password.
    shown: String,
    clock: Arc<dyn Clock>,
}

/// The pool, closed on a thread of its own when the store goes: closing a connection of the
/// blocking client runs a small runtime, which panics on an async runtime's thread, and a
/// server drops its store wherever its last task ends.
struct Closing(Option<Pool>);

impl std::ops::Deref for Closing {
    type Target = Pool;
    fn deref(&self) -> &Pool {
        // Set from construction until `drop`.
        self.0
            .as_ref()
            .unwrap_or_else(|| unreachable!("the pool is there until drop"))
    }
}

impl Drop for Closing {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.shown)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/name`) and
    /// brings its schema up to date. `options.readers` sizes the pool (twice that, plus
    /// two for writes).
    pub fn open(url: &str, options: Options) -> Result<PostgresStore, StoreError> {
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            // The parser's message names the bad part, not the URL (which may hold a
            // password).
            StoreError::Backend(format!("the database URL is not valid: {e}").into())
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CHECKOUT_TIMEOUT);
        }
        // A database host that vanishes without closing its sockets (a crash, a failover, a
        // middlebox dropping the flow) must fail a call within seconds, not after the
        // kernel's quarter of an hour: unacknowledged data fails after 5 s, an idle
        // connection is probed after 10 s. No statement runs longer than 15 s (a backup or
        // restore lifts this for its own transaction), and a transaction left idle by a
        // server that died holds its locks for at most 30 s.
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(10));
        config.keepalives_interval(Duration::from_secs(2));
        config.keepalives_retries(3);
        config.tcp_user_timeout(Duration::from_secs(5));
        if config.get_options().is_none() {
            config
                .options("-c statement_timeout=15000 -c idle_in_transaction_session_timeout=30000");
        }
        config.application_name("lakeplan");
        let shown = shown(&config);
        let size = u32::try_from(options.readers.max(1) * 2 + 2).unwrap_or(16);
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(false)
            // The pool logs nothing itself: failures reach the caller as errors.
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(Manager { config });
        let store = PostgresStore {
            pool: Closing(Some(pool)),
            shown,
            clock: options.clock,
        };
        let mut conn = store.connection()?;
        migrations::migrate(&mut conn.client, &store.shown)?;
        Ok(store)
    }

    /// The database as logs may name it (`host:port/name`).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<Manager>, StoreError> {
        self.pool.get().map_err(|e| {
            StoreError::Unavailable(format!("the database {} does not answer: {e}", self.shown))
        })
    }

    /// Runs `attempt` on a pooled connection; when it fails at `BEGIN` because the
    /// connection is dead (the database went away since it was last used), on another,
    /// up to the pool's size (every idle connection may be dead after an outage).
    fn run<T>(
        &self,
        mut attempt: impl FnMut(&mut Conn) -> Result<T, Failed>,
    ) -> Result<T, StoreError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let mut conn = self.connection()?;
            match attempt(&mut conn) {
                Ok(out) => return Ok(out),
                Err(Failed::Begin(StoreError::Unavailable(_))) if tries <= self.pool.max_size() => {
                }
                Err(Failed::Begin(e) | Failed::After(e)) => return Err(e),
            }
        }
    }

    /// Runs `f` in a SERIALIZABLE transaction and commits; an error rolls back. Tried again
    /// when PostgreSQL could not serialize it with a concurrent one (so `f` may run more
    /// than once, each time in a new transaction with a new time).
    fn write<T>(
        &self,
        f: impl Fn(&mut Tx<'_>, Timestamp) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut serialization_failures = 0;
        loop {
            let result = self.run(|conn| {
                let mut tx = conn
                    .begin(IsolationLevel::Serializable, false)
                    .map_err(|e| Failed::Begin(e.into()))?;
                let out = f(&mut tx, self.clock.now()).map_err(Failed::After)?;
                tx.commit().map_err(|e| Failed::After(e.into()))?;
                Ok(out)
            });
            match result {
                Err(e) if serialization_failures + 1 < WRITE_ATTEMPTS && must_retry(&e) => {
                    serialization_failures += 1;
                    // A short growing pause, so two writers stop meeting at once.
                    std::thread::sleep(Duration::from_millis(serialization_failures as u64));
                }
                other => return other,
            }
        }
    }

    /// Runs `f` outside a transaction: for reads of one statement (a snapshot by itself),
    /// where a transaction would only add `BEGIN` and `COMMIT` round trips to the reads
    /// every request makes (its session or token with the user, the scenario's team, the
    /// scenario). `f` only reads, so on a connection found dead it runs again on another.
    fn read_bare<T>(
        &self,
        f: impl Fn(&mut Tx<'_>, Timestamp) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run(|conn| {
            f(&mut conn.bare(), self.clock.now()).map_err(|e| match e {
                StoreError::Unavailable(_) => Failed::Begin(e),
                e => Failed::After(e),
            })
        })
    }

    /// Runs `f` in a read-only transaction: one snapshot.
    fn read<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>, Timestamp) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut f = Some(f);
        self.run(|conn| {
            let mut tx = conn
                .begin(IsolationLevel::RepeatableRead, true)
                .map_err(|e| Failed::Begin(e.into()))?;
            // `BEGIN` went through: `f` runs now, once.
            let f = f
                .take()
                .ok_or_else(|| Failed::After(StoreError::Corrupt("a read ran twice".into())))?;
            let out = f(&mut tx, self.clock.now()).map_err(Failed::After)?;
            tx.commit().map_err(|e| Failed::After(e.into()))?;
            Ok(out)
        })
    }
}

/// `host:port/name` of a connection configuration.
fn shown(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{host}:{port}/{}",
        config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or("postgres")
    )
}

/// SQLSTATEs after which the same transaction, run again, may succeed.
fn must_retry(e: &StoreError) -> bool {
    let StoreError::Backend(source) = e else {
        return false;
    };
    source
        .downcast_ref::<PgError>()
        .and_then(|e| e.code.as_ref())
        .is_some_and(|c| {
            *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
        })
}

/// A PostgreSQL error as logs show it: the driver's text, the server's message and its
/// SQLSTATE (the driver's own text says only "db error"). Never the server's detail, which
/// can quote a row's values.
#[derive(Debug)]
pub(crate) struct PgError {
    message: String,
    code: Option<postgres::error::SqlState>,
}

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PgError {}

impl From<&postgres::Error> for PgError {
    fn from(e: &postgres::Error) -> PgError {
        let message = match e.as_db_error() {
            Some(db) => format!("{} ({})", db.message(), db.code().code()),
            None => match std::error::Error::source(e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            },
        };
        PgError {
            message,
            code: e.code().cloned(),
        }
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        // A closed connection, a refused or cut socket, or the server shutting down
        // (SQLSTATE classes 08 and 57) is the database being away, not a fault of the
        // request: the caller may try again later.
        let away = e.is_closed()
            || e.code().is_some_and(|c| {
                let c = c.code();
                c.starts_with("08") || c.starts_with("57")
            })
            || (e.code().is_none()
                && std::error::Error::source(&e)
                    .is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some()));
        let e = PgError::from(&e);
        if away {
            StoreError::Unavailable(format!("the database connection failed: {e}"))
        } else {
            StoreError::Backend(Box::new(e))
        }
    }
}

/// The deletion time before which a deleted scenario is gone for good.
fn cutoff(now: Timestamp) -> Timestamp {
    now.plus_ms(-RETENTION_MS)
}

enum State {
    Live(Version),
    Deleted(Timestamp),
}

fn state(tx: &mut Tx<'_>, id: &ScenarioId, now: Timestamp) -> Result<State, StoreError> {
    let row = tx.query_opt(
        "SELECT version, deleted_at FROM scenarios WHERE id = $1",
        &[id],
    )?;
    let Some(row) = row else {
        return Err(StoreError::NotFound { id: *id });
    };
    match (row.try_get(0)?, row.try_get::<_, Option<Timestamp>>(1)?) {
        (v, None) => Ok(State::Live(v)),
        (_, Some(at)) if at > cutoff(now) => Ok(State::Deleted(at)),
        _ => Err(StoreError::NotFound { id: *id }),
    }
}

/// The version of a scenario that can be read or written, or why not.
fn live(tx: &mut Tx<'_>, id: &ScenarioId, now: Timestamp) -> Result<Version, StoreError> {
    match state(tx, id, now)? {
        State::Live(v) => Ok(v),
        State::Deleted(at) => Err(deleted(id, at)),
    }
}

fn deleted(id: &ScenarioId, at: Timestamp) -> StoreError {
    StoreError::Deleted {
        id: *id,
        deleted_at: at,
        purge_after: at.plus_ms(RETENTION_MS),
    }
}

fn current(tx: &mut Tx<'_>, id: &ScenarioId, now: Timestamp) -> Result<Current, StoreError> {
    let row = tx.query_opt(
        "SELECT s.version, s.name, s.customer, s.price_book, s.created_at, s.updated_at,
                s.deleted_at, v.body, s.team
         FROM scenarios s
         JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version
         WHERE s.id = $1",
        &[id],
    )?;
    let Some(r) = row else {
        return Err(StoreError::NotFound { id: *id });
    };
    match r.try_get::<_, Option<Timestamp>>(6)? {
        None => Ok(Current {
            id: *id,
            team: r.try_get(8)?,
            version: r.try_get(0)?,
            name: r.try_get(1)?,
            customer: r.try_get(2)?,
            price_book: r.try_get(3)?,
            created_at: r.try_get(4)?,
            updated_at: r.try_get(5)?,
            body: r.try_get(7)?,
        }),
        Some(at) if at > cutoff(now) => Err(deleted(id, at)),
        Some(_) => Err(StoreError::NotFound { id: *id }),
    }
}

fn insert_version(
    tx: &mut Tx<'_>,
    id: &ScenarioId,
    version: Version,
    draft: &Draft,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO scenario_versions
             (scenario_id, version, body, name, customer, price_book, origin, saved_at,
              saved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            id,
            &version,
            &draft.body,
            &draft.name,
            &draft.customer,
            &draft.price_book,
            origin,
            &now,
            &draft.saved_by,
        ],
    )?;
    Ok(())
}

fn search_text(draft: &Draft) -> String {
    format!("{}\n{}", fold(&draft.name), fold(&draft.customer))
}

fn summary(r: &Row) -> Result<Summary, StoreError> {
    let deleted_at: Option<Timestamp> = r.try_get(7)?;
    Ok(Summary {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        customer: r.try_get(2)?,
        version: r.try_get(3)?,
        price_book: r.try_get(4)?,
        created_at: r.try_get(5)?,
        updated_at: r.try_get(6)?,
        deleted_at,
        purge_after: deleted_at.map(|t| t.plus_ms(RETENTION_MS)),
        team: r.try_get(8)?,
    })
}

fn version_info(r: &Row) -> Result<VersionInfo, StoreError> {
    Ok(VersionInfo {
        version: r.try_get(0)?,
        saved_at: r.try_get(1)?,
        name: r.try_get(2)?,
        customer: r.try_get(3)?,
        price_book: r.try_get(4)?,
        origin: r.try_get(5)?,
        saved_by: r.try_get(6)?,
    })
}

impl ScenarioStore for PostgresStore {
    fn list(&self, query: &ListQuery) -> Result<Vec<Summary>, StoreError> {
        self.read(|tx, now| {
            let text = query.text.as_deref().map(fold).unwrap_or_default();
            let teams: Vec<&str> = query.teams.iter().map(TeamName::as_str).collect();
            let rows = if query.deleted {
                tx.query(
                    "SELECT id, name, customer, version, price_book, created_at, updated_at,
                            deleted_at, team
                     FROM scenarios
                     WHERE deleted_at > $1 AND strpos(search, $2) > 0 AND team = ANY($3)
                     ORDER BY deleted_at DESC, id",
                    &[&cutoff(now), &text, &teams],
                )?
            } else {
                tx.query(
                    "SELECT id, name, customer, version, price_book, created_at, updated_at,
                            deleted_at, team
                     FROM scenarios
                     WHERE deleted_at IS NULL AND strpos(search, $1) > 0 AND team = ANY($2)
                     ORDER BY updated_at DESC, id",
                    &[&text, &teams],
                )?
            };
            rows.iter().map(summary).collect()
        })
    }

    fn create(
        &self,
        team: &TeamName,
        draft: &Draft,
        origin: &Origin,
    ) -> Result<Current, StoreError> {
        let id = ScenarioId::random();
        self.write(|tx, now| {
            accounts::ensure_team(tx, team, now)?;
            tx.execute(
                "INSERT INTO scenarios
                     (id, version, name, customer, search, price_book, created_at, updated_at,
                      team)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
                &[
                    &id,
                    &Version::FIRST,
                    &draft.name,
                    &draft.customer,
                    &search_text(draft),
                    &draft.price_book,
                    &now,
                    team,
                ],
            )?;
            insert_version(tx, &id, Version::FIRST, draft, origin, now)?;
            current(tx, &id, now)
        })
    }

    fn get(&self, id: &ScenarioId) -> Result<Current, StoreError> {
        // One statement.
        self.read_bare(|tx, now| current(tx, id, now))
    }

    fn team_of(&self, id: &ScenarioId) -> Result<TeamName, StoreError> {
        self.read_bare(|tx, now| {
            let row = tx.query_opt(
                "SELECT team, deleted_at FROM scenarios WHERE id = $1",
                &[id],
            )?;
            let Some(row) = row else {
                return Err(StoreError::NotFound { id: *id });
            };
            // A deleted scenario keeps its team while it can be restored.
            match row.try_get::<_, Option<Timestamp>>(1)? {
                Some(at) if at <= cutoff(now) => Err(StoreError::NotFound { id: *id }),
                _ => Ok(row.try_get(0)?),
            }
        })
    }

    fn save(
        &self,
        id: &ScenarioId,
        expected: Version,
        draft: &Draft,
        origin: &Origin,
    ) -> Result<Current, StoreError> {
        self.write(|tx, now| {
            // The compare-and-swap: the row changes only if it is still at `expected`.
            let changed = tx.execute(
                "UPDATE scenarios
                 SET version = version + 1, name = $3, customer = $4, search = $5,
                     price_book = $6, updated_at = $7
                 WHERE id = $1 AND version = $2 AND deleted_at IS NULL",
                &[
                    id,
                    &expected,
                    &draft.name,
                    &draft.customer,
                    &search_text(draft),
                    &draft.price_book,
                    &now,
                ],
            )?;
            if changed == 0 {
                let current = live(tx, id, now)?;
                return Err(StoreError::Conflict {
                    id: *id,
                    expected,
                    current,
                });
            }
            insert_version(tx, id, expected.next(), draft, origin, now)?;
            current(tx, id, now)
        })
    }

    fn delete(&self, id: &ScenarioId, expected: Option<Version>) -> Result<Deletion, StoreError> {
        self.write(|tx, now| {
            let version = live(tx, id, now)?;
            if let Some(expected) = expected.filter(|e| *e != version) {
                return Err(StoreError::Conflict {
                    id: *id,
                    expected,
                    current: version,
                });
            }
            tx.execute(
                "UPDATE scenarios SET deleted_at = $2 WHERE id = $1",
                &[id, &now],
            )?;
            Ok(Deletion {
                id: *id,
                version,
                deleted_at: now,
                purge_after: now.plus_ms(RETENTION_MS),
            })
        })
    }

    fn undelete(&self, id: &ScenarioId) -> Result<Current, StoreError> {
        self.write(|tx, now| {
            if let State::Live(_) = state(tx, id, now)? {
                return Err(StoreError::NotDeleted { id: *id });
            }
            tx.execute(
                "UPDATE scenarios SET deleted_at = NULL WHERE id = $1",
                &[id],
            )?;
            current(tx, id, now)
        })
    }

    fn versions(&self, id: &ScenarioId) -> Result<Vec<VersionInfo>, StoreError> {
        self.read(|tx, now| {
            live(tx, id, now)?;
            tx.query(
                "SELECT version, saved_at, name, customer, price_book, origin, saved_by
                 FROM scenario_versions WHERE scenario_id = $1 ORDER BY version DESC",
                &[id],
            )?
            .iter()
            .map(version_info)
            .collect()
        })
    }

    fn version(&self, id: &ScenarioId, version: Version) -> Result<VersionRecord, StoreError> {
        self.read(|tx, now| {
            let latest = live(tx, id, now)?;
            let row = tx.query_opt(
                "SELECT version, saved_at, name, customer, price_book, origin, saved_by, body
                 FROM scenario_versions WHERE scenario_id = $1 AND version = $2",
                &[id, &version],
            )?;
            match row {
                Some(r) => Ok(VersionRecord {
                    id: *id,
                    info: version_info(&r)?,
                    body: r.try_get(7)?,
                }),
                None => Err(StoreError::NoSuchVersion {
                    id: *id,
                    version,
                    latest,
                }),
            }
        })
    }

    fn currents(&self) -> Result<Vec<Current>, StoreError> {
        self.read(|tx, _| {
            tx.query(
                "SELECT s.id, s.team, s.version, s.name, s.customer, s.price_book,
                        s.created_at, s.updated_at, v.body
                 FROM scenarios s
                 JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version
                 WHERE s.deleted_at IS NULL
                 ORDER BY s.updated_at DESC, s.id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Current {
                    id: r.try_get(0)?,
                    team: r.try_get(1)?,
                    version: r.try_get(2)?,
                    name: r.try_get(3)?,
                    customer: r.try_get(4)?,
                    price_book: r.try_get(5)?,
                    created_at: r.try_get(6)?,
                    updated_at: r.try_get(7)?,
                    body: r.try_get(8)?,
                })
            })
            .collect()
        })
    }

    fn purge_expired(&self) -> Result<usize, StoreError> {
        self.write(|tx, now| {
            let cut = cutoff(now);
            // Shares and versions go with their scenario (ON DELETE CASCADE).
            let n = tx.execute("DELETE FROM scenarios WHERE deleted_at <= $1", &[&cut])?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.read_bare(|tx, _| {
            tx.query_one("SELECT 1", &[])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
