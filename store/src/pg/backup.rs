//! [`BackupStore`] on PostgreSQL: the export reads in one REPEATABLE READ, READ ONLY
//! transaction (a snapshot; servers go on writing) through a portal, a thousand rows at a
//! time, so a large store is never held in memory whole; the import is one transaction.

use std::collections::HashMap;

use postgres::types::ToSql;

use super::PostgresStore;
use crate::backup::{
    in_order, tally, BackupStore, Kind, Loaded, Row, Table, Value, HOLDS_ANYTHING, TABLES,
};
use crate::StoreError;

/// Rows fetched per round trip by the export.
const BATCH: i32 = 1000;

impl BackupStore for PostgresStore {
    fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|tx, _| {
            Ok(tx
                .query_one("SELECT version FROM lakeplan_schema", &[])?
                .try_get(0)?)
        })
    }

    fn export(
        &self,
        schema: &mut dyn FnMut(i64) -> Result<(), StoreError>,
        each: &mut dyn FnMut(&'static Table, Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // SERIALIZABLE READ ONLY DEFERRABLE: a snapshot that no serializable write order
        // contradicts, taken without ever being cancelled; no statement time limit.
        let mut conn = self.connection()?;
        let mut tx = conn
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::Serializable)
            .read_only(true)
            .deferrable(true)
            .start()?;
        tx.batch_execute("SET LOCAL statement_timeout = 0")?;
        schema(
            tx.query_one("SELECT version FROM lakeplan_schema", &[])?
                .try_get(0)?,
        )?;
        {
            for table in TABLES {
                let portal = tx.bind(table.select().as_str(), &[])?;
                loop {
                    let rows = tx.query_portal(&portal, BATCH)?;
                    for r in &rows {
                        let row = table
                            .columns
                            .iter()
                            .enumerate()
                            .map(|(i, (_, kind))| {
                                Ok(match kind {
                                    Kind::Int => r
                                        .try_get::<_, Option<i64>>(i)?
                                        .map_or(Value::Null, Value::Int),
                                    Kind::Text => r
                                        .try_get::<_, Option<String>>(i)?
                                        .map_or(Value::Null, Value::Text),
                                })
                            })
                            .collect::<Result<Row, postgres::Error>>()?;
                        each(table, row)?;
                    }
                    if rows.len() < BATCH as usize {
                        break;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn import(
        &self,
        rows: &mut dyn Iterator<Item = Result<(&'static Table, Row), StoreError>>,
    ) -> Result<Loaded, StoreError> {
        // Not `write`: the rows are read once, so the transaction is not retried. A restore
        // goes into an empty store that no one else writes yet.
        let mut conn = self.connection()?;
        let mut tx = conn
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::Serializable)
            .start()?;
        tx.batch_execute("SET LOCAL statement_timeout = 0")?;
        let holds: i64 = tx.query_one(HOLDS_ANYTHING, &[])?.try_get(0)?;
        if holds > 0 {
            return Err(StoreError::NotEmpty { holds });
        }
        // The empty store's own `default` team gives way to the backup's.
        tx.execute("DELETE FROM teams", &[])?;
        let mut statements = HashMap::new();
        let mut loaded = Loaded::new();
        let mut at = 0;
        for item in rows {
            let (table, row) = item?;
            at = in_order(table, at)?;
            table.check(&row)?;
            let statement = match statements.get(table.name) {
                Some(s) => s,
                None => {
                    let s = tx.prepare(&table.insert(|i| format!("${i}")))?;
                    statements.entry(table.name).or_insert(s)
                }
            };
            let params: Vec<Box<dyn ToSql + Sync>> = table
                .columns
                .iter()
                .zip(row)
                .map(|((_, kind), value)| -> Box<dyn ToSql + Sync> {
                    match (value, kind) {
                        (Value::Int(i), _) => Box::new(i),
                        (Value::Text(t), _) => Box::new(t),
                        (Value::Null, Kind::Int) => Box::new(None::<i64>),
                        (Value::Null, Kind::Text) => Box::new(None::<String>),
                    }
                })
                .collect();
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
            tx.execute(statement, &refs)?;
            tally(&mut loaded, table);
        }
        // The audit log's next number follows the restored ones.
        tx.execute(
            "SELECT setval(pg_get_serial_sequence('audit_log', 'seq'),
                           coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false)",
            &[],
        )?;
        tx.commit()?;
        Ok(loaded)
    }
}
