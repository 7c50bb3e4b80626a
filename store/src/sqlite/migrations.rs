//! The schema, as numbered steps applied at start.
//!
//! `PRAGMA user_version` holds the number of steps applied. Opening a database applies
//! the missing steps in order, each in its own transaction together with the new version
//! number, so a crash mid-step leaves the database at the previous step, never between
//! two. Steps are only ever appended: a released step is never edited, because databases
//! already past it would not run it again.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// Step `i` brings the schema from version `i` to `i + 1`.
pub(crate) const STEPS: &[&str] = &[
    // 1: scenarios and their versions.
    //
    // `scenarios` is one row per scenario with the current version's listing fields, so
    // the list and the compare-and-swap touch one small row; `scenario_versions` holds
    // every saved body, immutable once written. `search` is the lowercased name and
    // customer (see `fold`). Times are UTC milliseconds.
    "
    CREATE TABLE scenarios (
        id          TEXT    PRIMARY KEY,
        version     INTEGER NOT NULL CHECK (version >= 1),
        name        TEXT    NOT NULL,
        customer    TEXT    NOT NULL,
        search      TEXT    NOT NULL,
        price_book  TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        deleted_at  INTEGER
    ) STRICT;
    CREATE INDEX scenarios_by_deleted_updated ON scenarios (deleted_at, updated_at);
    CREATE TABLE scenario_versions (
        scenario_id TEXT    NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        body        TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        customer    TEXT    NOT NULL,
        price_book  TEXT    NOT NULL,
        origin      TEXT    NOT NULL,
        saved_at    INTEGER NOT NULL,
        PRIMARY KEY (scenario_id, version)
    ) STRICT;
    ",
];

/// Applies the steps `conn` lacks. `path` names the database in errors.
pub(crate) fn migrate(conn: &mut Connection, path: &str) -> Result<i64, StoreError> {
    apply(conn, path, STEPS)
}

pub(crate) fn apply(conn: &mut Connection, path: &str, steps: &[&str]) -> Result<i64, StoreError> {
    let known = i64::try_from(steps.len()).unwrap_or(i64::MAX);
    loop {
        // Read the version inside the write transaction: another process opening the
        // same file at the same moment waits for ours and then sees the step done.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > known {
            return Err(StoreError::SchemaTooNew {
                path: path.to_string(),
                found,
                known,
            });
        }
        let Some(step) = usize::try_from(found).ok().and_then(|i| steps.get(i)) else {
            return Ok(found);
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn version(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn steps_apply_once_and_again_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, "mem").unwrap(), STEPS.len() as i64);
        conn.execute(
            "INSERT INTO scenarios VALUES ('a', 1, 'n', 'c', 'n c', 'b', 0, 0, NULL)",
            [],
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, "mem").unwrap(), STEPS.len() as i64);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM scenarios", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1, "a second start keeps the data");
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE a (x INTEGER);",
            "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);",
        ];
        assert!(apply(&mut conn, "mem", &steps).is_err());
        assert_eq!(version(&conn), 1);
        let b: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'b'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(b, 0, "the failed step's table was rolled back");
        // Fixed, the step applies.
        let fixed = ["CREATE TABLE a (x INTEGER);", "CREATE TABLE b (x INTEGER);"];
        assert_eq!(apply(&mut conn, "mem", &fixed).unwrap(), 2);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        match migrate(&mut conn, "x.db") {
            Err(StoreError::SchemaTooNew { found, known, .. }) => {
                assert_eq!((found, known), (99, STEPS.len() as i64));
            }
            other => panic!("{other:?}"),
        }
    }
}
