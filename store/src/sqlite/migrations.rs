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
    // 2: accounts. Teams own scenarios; the scenarios saved before accounts existed go to
    // the team `default`, made here. Secrets are kept as SHA-256 hex (`*_hash`), except
    // share tokens (see `accounts`). The audit log refuses UPDATE and DELETE by trigger:
    // it is append-only for anything that goes through SQLite, this program included.
    // (SQLite cannot add a column with both a foreign key and a non-NULL default, so
    // `scenarios.team` is checked by the store's code, which makes a scenario only in a
    // team that exists.)
    "
    CREATE TABLE teams (
        name        TEXT    PRIMARY KEY,
        created_at  INTEGER NOT NULL
    ) STRICT;
    INSERT INTO teams (name, created_at)
        VALUES ('default', CAST(unixepoch('subsec') * 1000 AS INTEGER));
    ALTER TABLE scenarios ADD COLUMN team TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX scenarios_by_team ON scenarios (team, deleted_at, updated_at);
    CREATE TABLE users (
        id            TEXT    PRIMARY KEY,
        email         TEXT    NOT NULL,
        email_key     TEXT    NOT NULL UNIQUE,
        name          TEXT    NOT NULL,
        password_hash TEXT,
        issuer        TEXT,
        subject       TEXT,
        created_at    INTEGER NOT NULL,
        UNIQUE (issuer, subject)
    ) STRICT;
    CREATE TABLE memberships (
        user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        team        TEXT    NOT NULL REFERENCES teams (name),
        role        TEXT    NOT NULL CHECK (role IN ('viewer', 'engineer', 'pricing', 'admin')),
        PRIMARY KEY (user_id, team)
    ) STRICT;
    CREATE TABLE sessions (
        hash        TEXT    PRIMARY KEY,
        user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE TABLE api_tokens (
        id          TEXT    PRIMARY KEY,
        hash        TEXT    NOT NULL UNIQUE,
        user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name        TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER,
        revoked_at  INTEGER
    ) STRICT;
    CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
    CREATE TABLE shares (
        token       TEXT    PRIMARY KEY,
        scenario_id TEXT    NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        created_by  TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER,
        revoked_at  INTEGER
    ) STRICT;
    CREATE INDEX shares_by_scenario ON shares (scenario_id, created_at);
    CREATE TABLE sign_in_links (
        hash        TEXT    PRIMARY KEY,
        user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE pending_sign_ins (
        hash        TEXT    PRIMARY KEY,
        data        TEXT    NOT NULL,
        expires_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE sign_in_failures (
        key         TEXT    NOT NULL,
        at          INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
    CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        at          INTEGER NOT NULL,
        actor       TEXT    NOT NULL,
        address     TEXT    NOT NULL,
        action      TEXT    NOT NULL,
        target      TEXT    NOT NULL,
        outcome     TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_by_action ON audit_log (action, seq);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    ",
    // 3: price books and hardware catalogs (`books`). The CSV text never changes after
    // the insert (a trigger refuses it); only the status moves, one way.
    "
    CREATE TABLE books (
        id              TEXT    PRIMARY KEY,
        kind            TEXT    NOT NULL CHECK (kind IN ('price', 'hardware')),
        name            TEXT    NOT NULL,
        effective_from  TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
        note            TEXT    NOT NULL,
        made_by         TEXT    NOT NULL,
        made_at         INTEGER NOT NULL,
        published_at    INTEGER,
        retired_at      INTEGER,
        rows            INTEGER NOT NULL,
        csv             TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX books_by_kind ON books (kind, made_at);
    CREATE TRIGGER books_text_is_immutable BEFORE UPDATE OF id, kind, name, effective_from,
        note, made_by, made_at, rows, csv ON books
        BEGIN SELECT RAISE(ABORT, 'a stored book is immutable: upload a new one'); END;
    ",
    // 4: hardware catalogs are versioned, and a saved scenario names its own
    // (`pricing.catalog`). Every version saved before then was matched in the one
    // catalog there was, the built-in 2026-11: it is pinned to it, so publishing a
    // catalog never moves a saved proposal.
    "
    UPDATE scenario_versions
        SET body = json_set(body, '$.pricing.catalog', '2026-11')
        WHERE json_valid(body)
          AND json_type(body, '$.pricing') = 'object'
          AND coalesce(json_extract(body, '$.pricing.catalog'), '') = '';
    ",
    // 5: who saved each version. Versions saved before then say nobody (empty): the
    // audit log of that time names who saved, but not which version a save made.
    "
    ALTER TABLE scenario_versions ADD COLUMN saved_by TEXT NOT NULL DEFAULT '';
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
            "INSERT INTO scenarios (id, version, name, customer, search, price_book, created_at,
                                    updated_at)
             VALUES ('a', 1, 'n', 'c', 'n c', 'b', 0, 0)",
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
    fn a_database_from_before_accounts_keeps_its_scenarios_in_team_default() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, "mem", &STEPS[..1]).unwrap();
        conn.execute_batch(
            "INSERT INTO scenarios VALUES ('a', 2, 'n', 'c', 'n c', 'b', 0, 5, NULL);
             INSERT INTO scenario_versions VALUES ('a', 1, '{}', 'n', 'c', 'b', '{}', 0);
             INSERT INTO scenario_versions VALUES ('a', 2, '{}', 'n', 'c', 'b', '{}', 5);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, "mem").unwrap(), STEPS.len() as i64);
        let (team, versions): (String, i64) = conn
            .query_row(
                "SELECT s.team, (SELECT count(*) FROM scenario_versions) FROM scenarios s",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((team.as_str(), versions), ("default", 2));
        let teams: i64 = conn
            .query_row(
                "SELECT count(*) FROM teams WHERE name = 'default'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(teams, 1);
    }

    #[test]
    fn versions_saved_before_catalogs_were_versioned_are_pinned_to_the_builtin_one() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, "mem", &STEPS[..3]).unwrap();
        conn.execute_batch(
            r#"INSERT INTO scenarios VALUES ('a', 3, 'n', 'c', 'n c', 'b', 0, 5, NULL, 'default');
             INSERT INTO scenario_versions VALUES
                ('a', 1, '{"pricing": {"price_book": "2026-11"}}', 'n', 'c', 'b', '{}', 0),
                ('a', 2, '{"pricing": {"price_book": "2026-11", "catalog": "hw-0123456789ab"}}',
                 'n', 'c', 'b', '{}', 5),
                ('a', 3, '{"name": "no pricing"}', 'n', 'c', 'b', '{}', 6);"#,
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, "mem").unwrap(), STEPS.len() as i64);
        let catalog = |v: i64| -> Option<String> {
            conn.query_row(
                "SELECT json_extract(body, '$.pricing.catalog') FROM scenario_versions
                 WHERE version = ?1",
                [v],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(catalog(1).as_deref(), Some("2026-11"));
        assert_eq!(
            catalog(2).as_deref(),
            Some("hw-0123456789ab"),
            "a named one stays"
        );
        assert_eq!(catalog(3), None, "a body without pricing is left as it is");
    }

    #[test]
    fn versions_saved_before_authors_were_kept_say_nobody() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, "mem", &STEPS[..4]).unwrap();
        conn.execute_batch(
            "INSERT INTO scenarios VALUES ('a', 1, 'n', 'c', 'n c', 'b', 0, 5, NULL, 'default');
             INSERT INTO scenario_versions VALUES ('a', 1, '{}', 'n', 'c', 'b', '{}', 0);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn, "mem").unwrap(), STEPS.len() as i64);
        let by: String = conn
            .query_row("SELECT saved_by FROM scenario_versions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(by, "");
    }

    #[test]
    fn the_audit_log_cannot_be_changed_or_emptied() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, "mem").unwrap();
        conn.execute(
            "INSERT INTO audit_log (at, actor, address, action, target, outcome)
             VALUES (0, 'a', '', 'x', '', 'ok')",
            [],
        )
        .unwrap();
        assert!(conn
            .execute("UPDATE audit_log SET actor = 'b'", [])
            .is_err());
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
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
