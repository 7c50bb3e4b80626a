//! Backups that move between the stores (spec DEPLOY.md): `lakeplan backup` reads every
//! kept table in one snapshot while servers go on writing; `lakeplan restore` loads a
//! backup into an empty store of either kind in one transaction, so a laptop's scenarios
//! move to the team's PostgreSQL, and back, without retyping anything.
//!
//! Both stores have the same tables and columns (their migrations are numbered and meant
//! alike), so a backup is the rows of [`TABLES`], column by column, as text or integers.
//! What is not kept: sessions, one-time sign-in links, pending provider sign-ins and the
//! sign-in failure counters, which are short-lived; after a restore people sign in again.
//! API tokens and share links are kept (scripts and sent links go on working).

use crate::StoreError;

/// How a column's values are written: every column is TEXT or an integer (or NULL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
}

/// A table a backup holds, its columns in backup order, and the order rows are read in
/// (so two backups of the same data are the same file).
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub order_by: &'static str,
}

use Kind::{Int, Text};

/// The tables, in an order that loads without breaking a reference (teams before the
/// memberships and scenarios that name them, scenarios before their versions).
pub const TABLES: &[Table] = &[
    Table {
        name: "teams",
        columns: &[("name", Text), ("created_at", Int)],
        order_by: "name",
    },
    Table {
        name: "users",
        columns: &[
            ("id", Text),
            ("email", Text),
            ("email_key", Text),
            ("name", Text),
            ("password_hash", Text),
            ("issuer", Text),
            ("subject", Text),
            ("created_at", Int),
        ],
        order_by: "id",
    },
    Table {
        name: "memberships",
        columns: &[("user_id", Text), ("team", Text), ("role", Text)],
        order_by: "user_id, team",
    },
    Table {
        name: "scenarios",
        columns: &[
            ("id", Text),
            ("team", Text),
            ("version", Int),
            ("name", Text),
            ("customer", Text),
            ("search", Text),
            ("price_book", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("deleted_at", Int),
        ],
        order_by: "id",
    },
    Table {
        name: "scenario_versions",
        columns: &[
            ("scenario_id", Text),
            ("version", Int),
            ("body", Text),
            ("name", Text),
            ("customer", Text),
            ("price_book", Text),
            ("origin", Text),
            ("saved_at", Int),
            ("saved_by", Text),
        ],
        order_by: "scenario_id, version",
    },
    Table {
        name: "shares",
        columns: &[
            ("token", Text),
            ("scenario_id", Text),
            ("version", Int),
            ("created_by", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", Int),
        ],
        order_by: "token",
    },
    Table {
        name: "api_tokens",
        columns: &[
            ("id", Text),
            ("hash", Text),
            ("user_id", Text),
            ("name", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", Int),
        ],
        order_by: "id",
    },
    Table {
        name: "books",
        columns: &[
            ("id", Text),
            ("kind", Text),
            ("name", Text),
            ("effective_from", Text),
            ("status", Text),
            ("note", Text),
            ("made_by", Text),
            ("made_at", Int),
            ("published_at", Int),
            ("retired_at", Int),
            ("rows", Int),
            ("csv", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "audit_log",
        columns: &[
            ("seq", Int),
            ("at", Int),
            ("actor", Text),
            ("address", Text),
            ("action", Text),
            ("target", Text),
            ("outcome", Text),
        ],
        order_by: "seq",
    },
];

/// One value of a row: text, an integer or nothing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// A row, its values in its table's column order.
pub type Row = Vec<Value>;

impl Table {
    /// The table named `name`.
    pub fn named(name: &str) -> Option<&'static Table> {
        TABLES.iter().find(|t| t.name == name)
    }

    /// `SELECT <columns> FROM <table> ORDER BY …`.
    pub fn select(&self) -> String {
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.column_list(),
            self.name,
            self.order_by
        )
    }

    /// `INSERT INTO <table> (<columns>) VALUES (<placeholders>)`, placeholders made by
    /// `placeholder(i)` for the 1-based column `i` (`?1` in SQLite, `$1` in PostgreSQL).
    pub fn insert(&self, placeholder: impl Fn(usize) -> String) -> String {
        let values: Vec<String> = (1..=self.columns.len()).map(placeholder).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.name,
            self.column_list(),
            values.join(", ")
        )
    }

    /// Checks that `row` fits this table: as many values as columns, each of its column's
    /// kind or null.
    pub fn check(&self, row: &Row) -> Result<(), StoreError> {
        if row.len() != self.columns.len() {
            return Err(StoreError::Corrupt(format!(
                "a {} row has {} values, not {}",
                self.name,
                row.len(),
                self.columns.len()
            )));
        }
        for ((column, kind), value) in self.columns.iter().zip(row) {
            let fits = matches!(
                (kind, value),
                (_, Value::Null) | (Kind::Int, Value::Int(_)) | (Kind::Text, Value::Text(_))
            );
            if !fits {
                return Err(StoreError::Corrupt(format!(
                    "{}.{column} holds {value:?}, not {}",
                    self.name,
                    match kind {
                        Kind::Int => "an integer",
                        Kind::Text => "text",
                    }
                )));
            }
        }
        Ok(())
    }

    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a restore loaded: rows per table, in [`TABLES`] order.
pub type Loaded = Vec<(&'static str, u64)>;

/// Reading and loading backups; both stores implement it.
pub trait BackupStore: Send + Sync + 'static {
    /// The schema version (migration steps applied): a backup names it, and loads only into
    /// a store at the same version.
    fn schema_version(&self) -> Result<i64, StoreError>;

    /// Hands the schema version to `schema`, then every row of every table of [`TABLES`] to
    /// `each`, in table order, all read in one snapshot: writes made meanwhile (an upgrade
    /// by a newer server included) are wholly in or wholly out.
    fn export(
        &self,
        schema: &mut dyn FnMut(i64) -> Result<(), StoreError>,
        each: &mut dyn FnMut(&'static Table, Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Loads `rows` (tables in [`TABLES`] order) in one transaction, into a store that holds
    /// nothing yet (no scenarios, users, books or audit entries; [`StoreError::NotEmpty`]
    /// otherwise). An error part-way leaves the store as empty as it was.
    fn import(
        &self,
        rows: &mut dyn Iterator<Item = Result<(&'static Table, Row), StoreError>>,
    ) -> Result<Loaded, StoreError>;
}

/// The count that says whether a store holds anything a restore could overwrite.
pub(crate) const HOLDS_ANYTHING: &str = "SELECT (SELECT count(*) FROM scenarios)
     + (SELECT count(*) FROM users) + (SELECT count(*) FROM books)
     + (SELECT count(*) FROM audit_log)
     + (SELECT count(*) FROM teams WHERE name <> 'default')";

/// Adds one row of `table` to the tally of a restore.
pub fn tally(loaded: &mut Loaded, table: &'static Table) {
    match loaded.last_mut() {
        Some((name, n)) if *name == table.name => *n += 1,
        _ => loaded.push((table.name, 1)),
    }
}

/// The index of `table` in [`TABLES`], if it does not come before the table at `at`.
pub(crate) fn in_order(table: &Table, at: usize) -> Result<usize, StoreError> {
    let index = TABLES
        .iter()
        .position(|t| t.name == table.name)
        .unwrap_or(usize::MAX);
    if index < at {
        return Err(StoreError::Corrupt(format!(
            "{} rows come after {} rows: the backup's tables are out of order",
            table.name, TABLES[at].name
        )));
    }
    Ok(index)
}
