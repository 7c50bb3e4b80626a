//! A pooled PostgreSQL connection that keeps its prepared statements, and the transaction
//! the store's queries run in.
//!
//! Each query text is prepared once per connection and reused: a query then costs one
//! round trip instead of two (parse and describe, then bind and execute), which is most of
//! a read's time on a local database. The pool does not test a connection before lending
//! it (another round trip per call): a connection the database dropped fails at `BEGIN`,
//! before anything was done, and the store then takes another one (`PostgresStore::run`).

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, Config, GenericClient, IsolationLevel, NoTls, Row, Statement, Transaction};

/// What the pool holds.
pub(crate) struct Conn {
    pub client: Client,
    statements: HashMap<String, Statement>,
}

/// Makes connections for the pool, and tells it which are broken.
pub(crate) struct Manager {
    pub config: Config,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    /// Readable: the pool's "timed out waiting for connection" quotes the last one (a wrong
    /// password or database name is told as such).
    type Error = super::PgError;

    fn connect(&self) -> Result<Conn, super::PgError> {
        Ok(Conn {
            client: self
                .config
                .connect(NoTls)
                .map_err(|e| super::PgError::from(&e))?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), super::PgError> {
        conn.client
            .simple_query("")
            .map(|_| ())
            .map_err(|e| super::PgError::from(&e))
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.is_closed()
    }
}

impl Conn {
    /// Starts a transaction at `level`, read-only or not.
    pub fn begin(
        &mut self,
        level: IsolationLevel,
        read_only: bool,
    ) -> Result<Tx<'_>, postgres::Error> {
        let tx = self
            .client
            .build_transaction()
            .isolation_level(level)
            .read_only(read_only)
            .start()?;
        Ok(Tx {
            on: On::Transaction(tx),
            statements: &mut self.statements,
        })
    }

    /// Each query on its own, outside a transaction: for reads of one statement (or of
    /// statements that do not need one snapshot), which saves `BEGIN` and `COMMIT`.
    pub fn bare(&mut self) -> Tx<'_> {
        Tx {
            on: On::Bare(&mut self.client),
            statements: &mut self.statements,
        }
    }
}

/// Queries prepared once per connection, in a transaction or each on its own.
pub(crate) struct Tx<'c> {
    on: On<'c>,
    statements: &'c mut HashMap<String, Statement>,
}

enum On<'c> {
    Transaction(Transaction<'c>),
    Bare(&'c mut Client),
}

impl On<'_> {
    fn client(&mut self) -> &mut dyn Queries {
        match self {
            On::Transaction(tx) => tx,
            On::Bare(client) => *client,
        }
    }
}

/// What `Tx` needs of a client or a transaction (`GenericClient`'s methods are generic,
/// so it cannot be a trait object itself).
trait Queries {
    fn prepare_(&mut self, sql: &str) -> Result<Statement, postgres::Error>;
    fn query_(&mut self, s: &Statement, p: Params<'_>) -> Result<Vec<Row>, postgres::Error>;
    fn query_opt_(&mut self, s: &Statement, p: Params<'_>) -> Result<Option<Row>, postgres::Error>;
    fn query_one_(&mut self, s: &Statement, p: Params<'_>) -> Result<Row, postgres::Error>;
    fn execute_(&mut self, s: &Statement, p: Params<'_>) -> Result<u64, postgres::Error>;
}

impl<C: GenericClient> Queries for C {
    fn prepare_(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        self.prepare(sql)
    }
    fn query_(&mut self, s: &Statement, p: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        self.query(s, p)
    }
    fn query_opt_(&mut self, s: &Statement, p: Params<'_>) -> Result<Option<Row>, postgres::Error> {
        self.query_opt(s, p)
    }
    fn query_one_(&mut self, s: &Statement, p: Params<'_>) -> Result<Row, postgres::Error> {
        self.query_one(s, p)
    }
    fn execute_(&mut self, s: &Statement, p: Params<'_>) -> Result<u64, postgres::Error> {
        self.execute(s, p)
    }
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl<'c> Tx<'c> {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.on.client().prepare_(sql)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    pub fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.on.client().query_(&s, params)
    }

    pub fn query_opt(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.on.client().query_opt_(&s, params)
    }

    pub fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.on.client().query_one_(&s, params)
    }

    pub fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let s = self.statement(sql)?;
        self.on.client().execute_(&s, params)
    }

    /// Commits the transaction (nothing to do when bare).
    pub fn commit(self) -> Result<(), postgres::Error> {
        match self.on {
            On::Transaction(tx) => tx.commit(),
            On::Bare(_) => Ok(()),
        }
    }
}
