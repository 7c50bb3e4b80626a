//! The embedded store: one SQLite file in the data directory.
//!
//! Durability and concurrency, and why:
//! - WAL journal: readers never block the writer nor the writer the readers, and a commit
//!   is one append to the log.
//! - `synchronous = FULL`: each commit waits for the log to reach the disk. With WAL,
//!   `NORMAL` would survive a killed process but could lose the last commits on a power
//!   cut; a save the user was told succeeded must survive both, and at one fsync per save
//!   the cost is small next to a person pressing Save.
//! - One writer connection behind a mutex, every write an `IMMEDIATE` transaction: writes
//!   are serialised in the process (SQLite allows one writer at a time anyway), and the
//!   compare-and-swap on the version is checked inside the transaction that writes.
//! - A few read-only connections ([`readers`]) serve reads in parallel.
//! - A process killed mid-write loses at most the uncommitted transaction: SQLite rolls the
//!   log back to the last commit when the file is next opened.

mod accounts;
mod backup;
mod books;
mod columns;
mod migrations;
mod readers;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};

use crate::{
    fold, Clock, Current, Deletion, Draft, ListQuery, Origin, ScenarioId, ScenarioStore,
    StoreError, Summary, SystemClock, TeamName, Timestamp, Version, VersionInfo, VersionRecord,
    RETENTION_MS,
};
use readers::Readers;

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "lakeplan.db";

/// How long a connection waits for another process's lock before failing. Only another
/// process (a backup tool, a second server started by mistake) can hold one.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How the store is opened.
#[derive(Debug, Clone)]
pub struct Options {
    /// Read-only connections: about one per core serving requests.
    pub readers: usize,
    pub clock: Arc<dyn Clock>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            readers: std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)),
            clock: Arc::new(SystemClock),
        }
    }
}

/// Scenarios in an SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    // Fields drop in this order: the readers close first, so the writer is the last
    // connection and, closing, checkpoints the log into the file and removes it. A clean
    // stop leaves one self-contained file.
    readers: Readers,
    writer: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("readers", &self.readers.len())
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating it and the directory if need be) `dir/lakeplan.db` and brings its
    /// schema up to date.
    pub fn open_dir(dir: &Path, options: Options) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Backend(
                format!("cannot create the data directory {}: {e}", dir.display()).into(),
            )
        })?;
        SqliteStore::open(&dir.join(FILE_NAME), options)
    }

    /// Opens (creating it if need be) the database file and brings its schema up to date.
    pub fn open(path: &Path, options: Options) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let mut writer = Connection::open(path)?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(
                format!("{shown}: cannot use the WAL journal (the file system gave {mode})").into(),
            ));
        }
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut writer, &shown)?;
        let readers = (0..options.readers.max(1))
            .map(|_| -> Result<Connection, StoreError> {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(BUSY_TIMEOUT)?;
                Ok(c)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            readers: Readers::new(readers),
            writer: Mutex::new(writer),
            clock: options.clock,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own check of the whole file: `["ok"]` when sound, else its findings.
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.readers.get();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Runs `f` in an IMMEDIATE transaction on the writer and commits if it succeeds; an
    /// error rolls everything back.
    fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>, Timestamp) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // A panic in another save cannot have left a transaction open: the transaction
        // object rolls back when dropped during unwinding.
        let mut conn = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, self.clock.now())?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a read transaction on a reader: one consistent snapshot.
    fn read<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>, Timestamp) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.readers.get();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx, self.clock.now())?;
        tx.finish()?;
        Ok(out)
    }
}

/// The deletion time before which a deleted scenario is gone for good.
fn cutoff(now: Timestamp) -> Timestamp {
    now.plus_ms(-RETENTION_MS)
}

/// What a scenario row says about whether it can be read or written.
enum State {
    Live(Version),
    Deleted(Timestamp),
}

fn state(tx: &Transaction<'_>, id: &ScenarioId, now: Timestamp) -> Result<State, StoreError> {
    let row: Option<(Version, Option<Timestamp>)> = tx
        .prepare_cached("SELECT version, deleted_at FROM scenarios WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Err(StoreError::NotFound { id: *id }),
        Some((v, None)) => Ok(State::Live(v)),
        Some((_, Some(at))) if at > cutoff(now) => Ok(State::Deleted(at)),
        Some(_) => Err(StoreError::NotFound { id: *id }),
    }
}

/// The version of a scenario that can be read or written, or why not.
fn live(tx: &Transaction<'_>, id: &ScenarioId, now: Timestamp) -> Result<Version, StoreError> {
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

fn current(tx: &Transaction<'_>, id: &ScenarioId, now: Timestamp) -> Result<Current, StoreError> {
    let row = tx
        .prepare_cached(
            "SELECT s.version, s.name, s.customer, s.price_book, s.created_at, s.updated_at,
                    s.deleted_at, v.body, s.team
             FROM scenarios s
             JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version
             WHERE s.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                Current {
                    id: *id,
                    team: r.get(8)?,
                    version: r.get(0)?,
                    name: r.get(1)?,
                    customer: r.get(2)?,
                    price_book: r.get(3)?,
                    created_at: r.get(4)?,
                    updated_at: r.get(5)?,
                    body: r.get(7)?,
                },
                r.get::<_, Option<Timestamp>>(6)?,
            ))
        })
        .optional()?;
    match row {
        None => Err(StoreError::NotFound { id: *id }),
        Some((c, None)) => Ok(c),
        Some((_, Some(at))) if at > cutoff(now) => Err(deleted(id, at)),
        Some(_) => Err(StoreError::NotFound { id: *id }),
    }
}

fn insert_version(
    tx: &Transaction<'_>,
    id: &ScenarioId,
    version: Version,
    draft: &Draft,
    origin: &Origin,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO scenario_versions
             (scenario_id, version, body, name, customer, price_book, origin, saved_at,
              saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        version,
        draft.body,
        draft.name,
        draft.customer,
        draft.price_book,
        origin,
        now,
        draft.saved_by
    ])?;
    Ok(())
}

fn search_text(draft: &Draft) -> String {
    // A line break cannot be typed into a one-line field, so a query never spans both.
    format!("{}\n{}", fold(&draft.name), fold(&draft.customer))
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<Summary> {
    let deleted_at: Option<Timestamp> = r.get(7)?;
    Ok(Summary {
        id: r.get(0)?,
        name: r.get(1)?,
        customer: r.get(2)?,
        version: r.get(3)?,
        price_book: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        deleted_at,
        purge_after: deleted_at.map(|t| t.plus_ms(RETENTION_MS)),
        team: r.get(8)?,
    })
}

fn version_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionInfo> {
    Ok(VersionInfo {
        version: r.get(0)?,
        saved_at: r.get(1)?,
        name: r.get(2)?,
        customer: r.get(3)?,
        price_book: r.get(4)?,
        origin: r.get(5)?,
        saved_by: r.get(6)?,
    })
}

impl ScenarioStore for SqliteStore {
    fn list(&self, query: &ListQuery) -> Result<Vec<Summary>, StoreError> {
        self.read(|tx, now| {
            let text = query.text.as_deref().map(fold).unwrap_or_default();
            let teams = serde_json::to_string(&query.teams)
                .map_err(|e| StoreError::Backend(Box::new(e)))?;
            let found = if query.deleted {
                tx.prepare_cached(
                    "SELECT id, name, customer, version, price_book, created_at, updated_at,
                            deleted_at, team
                     FROM scenarios
                     WHERE deleted_at > ?1 AND instr(search, ?2) > 0
                       AND team IN (SELECT value FROM json_each(?3))
                     ORDER BY deleted_at DESC, id",
                )?
                .query_map(params![cutoff(now), text, teams], summary)?
                .collect::<Result<Vec<_>, _>>()
            } else {
                tx.prepare_cached(
                    "SELECT id, name, customer, version, price_book, created_at, updated_at,
                            deleted_at, team
                     FROM scenarios
                     WHERE deleted_at IS NULL AND instr(search, ?1) > 0
                       AND team IN (SELECT value FROM json_each(?2))
                     ORDER BY updated_at DESC, id",
                )?
                .query_map(params![text, teams], summary)?
                .collect::<Result<Vec<_>, _>>()
            };
            Ok(found?)
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
            tx.prepare_cached(
                "INSERT INTO scenarios
                     (id, version, name, customer, search, price_book, created_at, updated_at,
                      team)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            )?
            .execute(params![
                id,
                Version::FIRST,
                draft.name,
                draft.customer,
                search_text(draft),
                draft.price_book,
                now,
                team
            ])?;
            insert_version(tx, &id, Version::FIRST, draft, origin, now)?;
            current(tx, &id, now)
        })
    }

    fn get(&self, id: &ScenarioId) -> Result<Current, StoreError> {
        self.read(|tx, now| current(tx, id, now))
    }

    fn team_of(&self, id: &ScenarioId) -> Result<TeamName, StoreError> {
        self.read(|tx, now| {
            state(tx, id, now)?;
            Ok(tx
                .prepare_cached("SELECT team FROM scenarios WHERE id = ?1")?
                .query_row([id], |r| r.get(0))?)
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
            let changed = tx
                .prepare_cached(
                    "UPDATE scenarios
                     SET version = version + 1, name = ?3, customer = ?4, search = ?5,
                         price_book = ?6, updated_at = ?7
                     WHERE id = ?1 AND version = ?2 AND deleted_at IS NULL",
                )?
                .execute(params![
                    id,
                    expected,
                    draft.name,
                    draft.customer,
                    search_text(draft),
                    draft.price_book,
                    now
                ])?;
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
            tx.prepare_cached("UPDATE scenarios SET deleted_at = ?2 WHERE id = ?1")?
                .execute(params![id, now])?;
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
            tx.prepare_cached("UPDATE scenarios SET deleted_at = NULL WHERE id = ?1")?
                .execute([id])?;
            current(tx, id, now)
        })
    }

    fn versions(&self, id: &ScenarioId) -> Result<Vec<VersionInfo>, StoreError> {
        self.read(|tx, now| {
            live(tx, id, now)?;
            let found = tx
                .prepare_cached(
                    "SELECT version, saved_at, name, customer, price_book, origin, saved_by
                     FROM scenario_versions WHERE scenario_id = ?1 ORDER BY version DESC",
                )?
                .query_map([id], version_info)?
                .collect::<Result<Vec<_>, _>>();
            Ok(found?)
        })
    }

    fn version(&self, id: &ScenarioId, version: Version) -> Result<VersionRecord, StoreError> {
        self.read(|tx, now| {
            let latest = live(tx, id, now)?;
            let row = tx
                .prepare_cached(
                    "SELECT version, saved_at, name, customer, price_book, origin, saved_by,
                            body
                     FROM scenario_versions WHERE scenario_id = ?1 AND version = ?2",
                )?
                .query_row(params![id, version], |r| Ok((version_info(r)?, r.get(7)?)))
                .optional()?;
            match row {
                Some((info, body)) => Ok(VersionRecord {
                    id: *id,
                    info,
                    body,
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
            let list = tx
                .prepare_cached(
                    "SELECT s.id, s.team, s.version, s.name, s.customer, s.price_book,
                            s.created_at, s.updated_at, v.body
                     FROM scenarios s
                     JOIN scenario_versions v ON v.scenario_id = s.id AND v.version = s.version
                     WHERE s.deleted_at IS NULL
                     ORDER BY s.updated_at DESC, s.id",
                )?
                .query_map([], |r| {
                    Ok(Current {
                        id: r.get(0)?,
                        team: r.get(1)?,
                        version: r.get(2)?,
                        name: r.get(3)?,
                        customer: r.get(4)?,
                        price_book: r.get(5)?,
                        created_at: r.get(6)?,
                        updated_at: r.get(7)?,
                        body: r.get(8)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(list)
        })
    }

    fn purge_expired(&self) -> Result<usize, StoreError> {
        self.write(|tx, now| {
            let cut = cutoff(now);
            tx.prepare_cached(
                "DELETE FROM shares WHERE scenario_id IN
                     (SELECT id FROM scenarios WHERE deleted_at <= ?1)",
            )?
            .execute([cut])?;
            tx.prepare_cached(
                "DELETE FROM scenario_versions WHERE scenario_id IN
                     (SELECT id FROM scenarios WHERE deleted_at <= ?1)",
            )?
            .execute([cut])?;
            let n = tx
                .prepare_cached("DELETE FROM scenarios WHERE deleted_at <= ?1")?
                .execute([cut])?;
            Ok(n)
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.read(|tx, _| Ok(tx.query_row("SELECT 1", [], |_| Ok(()))?))
    }
}

#[cfg(test)]
mod tests;
