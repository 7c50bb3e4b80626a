//! The PostgreSQL schema, as numbered steps applied at start: the same steps, by number and
//! meaning, as SQLite's (`sqlite/migrations.rs`), written in PostgreSQL's dialect, so a
//! backup of either store restores into the other.
//!
//! Every text column compares by bytes (`COLLATE "C"`), as SQLite's do, so lists sort the
//! same on both stores whatever the database's default collation.
//!
//! The table `lakeplan_schema` holds the number of steps applied. Several servers may start
//! at once on one database: each step runs in one transaction that first takes a
//! transaction-level advisory lock, so one server applies it and the others, waiting, then
//! see it done. A database at a higher number than this build knows is refused and never
//! altered. Steps are only ever appended.

use postgres::Client;

use crate::StoreError;

/// The advisory lock key of schema changes ("lakeplan" in ASCII, as a number).
const LOCK: i64 = 0x6c61_6b65_706c_616e;

/// Step `i` brings the schema from version `i` to `i + 1`.
pub(crate) const STEPS: &[&str] = &[
    // 1: scenarios and their versions (see SQLite's step 1 for why two tables).
    "
    CREATE TABLE scenarios (
        id          TEXT COLLATE \"C\"    PRIMARY KEY,
        version     BIGINT  NOT NULL CHECK (version >= 1),
        name        TEXT COLLATE \"C\"    NOT NULL,
        customer    TEXT COLLATE \"C\"    NOT NULL,
        search      TEXT COLLATE \"C\"    NOT NULL,
        price_book  TEXT COLLATE \"C\"    NOT NULL,
        created_at  BIGINT  NOT NULL,
        updated_at  BIGINT  NOT NULL,
        deleted_at  BIGINT
    );
    CREATE INDEX scenarios_by_deleted_updated ON scenarios (deleted_at, updated_at);
    CREATE TABLE scenario_versions (
        scenario_id TEXT COLLATE \"C\"    NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
        version     BIGINT  NOT NULL CHECK (version >= 1),
        body        TEXT COLLATE \"C\"    NOT NULL,
        name        TEXT COLLATE \"C\"    NOT NULL,
        customer    TEXT COLLATE \"C\"    NOT NULL,
        price_book  TEXT COLLATE \"C\"    NOT NULL,
        origin      TEXT COLLATE \"C\"    NOT NULL,
        saved_at    BIGINT  NOT NULL,
        PRIMARY KEY (scenario_id, version)
    );
    ",
    // 2: accounts (see SQLite's step 2). The audit log refuses UPDATE and DELETE by
    // trigger; its `seq` is an identity that a restore may set (BY DEFAULT).
    "
    CREATE TABLE teams (
        name        TEXT COLLATE \"C\"    PRIMARY KEY,
        created_at  BIGINT  NOT NULL
    );
    INSERT INTO teams (name, created_at)
        VALUES ('default', (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
    ALTER TABLE scenarios ADD COLUMN team TEXT COLLATE \"C\" NOT NULL DEFAULT 'default' REFERENCES teams (name);
    CREATE INDEX scenarios_by_team ON scenarios (team, deleted_at, updated_at);
    CREATE TABLE users (
        id            TEXT COLLATE \"C\"    PRIMARY KEY,
        email         TEXT COLLATE \"C\"    NOT NULL,
        email_key     TEXT COLLATE \"C\"    NOT NULL UNIQUE,
        name          TEXT COLLATE \"C\"    NOT NULL,
        password_hash TEXT COLLATE \"C\",
        issuer        TEXT COLLATE \"C\",
        subject       TEXT COLLATE \"C\",
        created_at    BIGINT  NOT NULL,
        UNIQUE (issuer, subject)
    );
    CREATE TABLE memberships (
        user_id     TEXT COLLATE \"C\"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        team        TEXT COLLATE \"C\"    NOT NULL REFERENCES teams (name),
        role        TEXT COLLATE \"C\"    NOT NULL CHECK (role IN ('viewer', 'engineer', 'pricing', 'admin')),
        PRIMARY KEY (user_id, team)
    );
    CREATE TABLE sessions (
        hash        TEXT COLLATE \"C\"    PRIMARY KEY,
        user_id     TEXT COLLATE \"C\"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at  BIGINT  NOT NULL,
        expires_at  BIGINT  NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE TABLE api_tokens (
        id          TEXT COLLATE \"C\"    PRIMARY KEY,
        hash        TEXT COLLATE \"C\"    NOT NULL UNIQUE,
        user_id     TEXT COLLATE \"C\"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name        TEXT COLLATE \"C\"    NOT NULL,
        created_at  BIGINT  NOT NULL,
        expires_at  BIGINT,
        revoked_at  BIGINT
    );
    CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
    CREATE TABLE shares (
        token       TEXT COLLATE \"C\"    PRIMARY KEY,
        scenario_id TEXT COLLATE \"C\"    NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
        version     BIGINT  NOT NULL CHECK (version >= 1),
        created_by  TEXT COLLATE \"C\"    NOT NULL,
        created_at  BIGINT  NOT NULL,
        expires_at  BIGINT,
        revoked_at  BIGINT
    );
    CREATE INDEX shares_by_scenario ON shares (scenario_id, created_at);
    CREATE TABLE sign_in_links (
        hash        TEXT COLLATE \"C\"    PRIMARY KEY,
        user_id     TEXT COLLATE \"C\"    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at  BIGINT  NOT NULL
    );
    CREATE TABLE pending_sign_ins (
        hash        TEXT COLLATE \"C\"    PRIMARY KEY,
        data        TEXT COLLATE \"C\"    NOT NULL,
        expires_at  BIGINT  NOT NULL
    );
    CREATE TABLE sign_in_failures (
        key         TEXT COLLATE \"C\"    NOT NULL,
        at          BIGINT  NOT NULL
    );
    CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);
    CREATE TABLE audit_log (
        seq         BIGINT  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at          BIGINT  NOT NULL,
        actor       TEXT COLLATE \"C\"    NOT NULL,
        address     TEXT COLLATE \"C\"    NOT NULL,
        action      TEXT COLLATE \"C\"    NOT NULL,
        target      TEXT COLLATE \"C\"    NOT NULL,
        outcome     TEXT COLLATE \"C\"    NOT NULL
    );
    CREATE INDEX audit_log_by_action ON audit_log (action, seq);
    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
    ",
    // 3: price books and hardware catalogs (see SQLite's step 3).
    "
    CREATE TABLE books (
        id              TEXT COLLATE \"C\"    PRIMARY KEY,
        kind            TEXT COLLATE \"C\"    NOT NULL CHECK (kind IN ('price', 'hardware')),
        name            TEXT COLLATE \"C\"    NOT NULL,
        effective_from  TEXT COLLATE \"C\"    NOT NULL,
        status          TEXT COLLATE \"C\"    NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
        note            TEXT COLLATE \"C\"    NOT NULL,
        made_by         TEXT COLLATE \"C\"    NOT NULL,
        made_at         BIGINT  NOT NULL,
        published_at    BIGINT,
        retired_at      BIGINT,
        rows            BIGINT  NOT NULL,
        csv             TEXT COLLATE \"C\"    NOT NULL
    );
    CREATE INDEX books_by_kind ON books (kind, made_at);
    CREATE FUNCTION books_text_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'a stored book is immutable: upload a new one'; END $$;
    CREATE TRIGGER books_text_is_immutable BEFORE UPDATE OF id, kind, name, effective_from,
        note, made_by, made_at, rows, csv ON books
        FOR EACH ROW EXECUTE FUNCTION books_text_is_immutable();
    ",
    // 4: SQLite's step 4 pins the versions saved before catalogs were versioned to the
    // built-in catalog. The PostgreSQL store came after them: no version here predates
    // catalogs (a restore brings versions already pinned), so the step has nothing to do.
    "SELECT 1;",
    // 5: who saved each version (see SQLite's step 5).
    "ALTER TABLE scenario_versions ADD COLUMN saved_by TEXT COLLATE \"C\" NOT NULL DEFAULT '';",
];

/// Applies the steps the database lacks; answers the schema version. `shown` names the
/// database in errors (never with a password).
pub(crate) fn migrate(client: &mut Client, shown: &str) -> Result<i64, StoreError> {
    apply(client, shown, STEPS)
}

pub(crate) fn apply(client: &mut Client, shown: &str, steps: &[&str]) -> Result<i64, StoreError> {
    let known = i64::try_from(steps.len()).unwrap_or(i64::MAX);
    loop {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS lakeplan_schema (
                 one     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
                 version BIGINT  NOT NULL
             );
             INSERT INTO lakeplan_schema (version) VALUES (0) ON CONFLICT DO NOTHING;",
        )?;
        let found: i64 = tx
            .query_one("SELECT version FROM lakeplan_schema", &[])?
            .try_get(0)?;
        if found > known {
            return Err(StoreError::SchemaTooNew {
                path: shown.to_string(),
                found,
                known,
            });
        }
        let Some(step) = usize::try_from(found).ok().and_then(|i| steps.get(i)) else {
            tx.commit()?;
            return Ok(found);
        };
        tx.batch_execute(step)?;
        tx.execute("UPDATE lakeplan_schema SET version = $1", &[&(found + 1)])?;
        tx.commit()?;
    }
}
