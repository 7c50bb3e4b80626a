//! [`BackupStore`] on SQLite: the export reads in one read transaction (a WAL snapshot,
//! so a running server's writes go on meanwhile); the import is one write transaction.

use rusqlite::types::Value as Sql;

use super::SqliteStore;
use crate::backup::{
    in_order, tally, BackupStore, Kind, Loaded, Row, Table, Value, HOLDS_ANYTHING, TABLES,
};
use crate::StoreError;

impl BackupStore for SqliteStore {
    fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|tx, _| Ok(tx.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }

    fn export(
        &self,
        schema: &mut dyn FnMut(i64) -> Result<(), StoreError>,
        each: &mut dyn FnMut(&'static Table, Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.read(|tx, _| {
            schema(tx.query_row("PRAGMA user_version", [], |r| r.get(0))?)?;
            for table in TABLES {
                let mut stmt = tx.prepare(&table.select())?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let row = table
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(i, (_, kind))| {
                            Ok(match kind {
                                Kind::Int => {
                                    r.get::<_, Option<i64>>(i)?.map_or(Value::Null, Value::Int)
                                }
                                Kind::Text => r
                                    .get::<_, Option<String>>(i)?
                                    .map_or(Value::Null, Value::Text),
                            })
                        })
                        .collect::<Result<Row, rusqlite::Error>>()?;
                    each(table, row)?;
                }
            }
            Ok(())
        })
    }

    fn import(
        &self,
        rows: &mut dyn Iterator<Item = Result<(&'static Table, Row), StoreError>>,
    ) -> Result<Loaded, StoreError> {
        self.write(|tx, _| {
            let holds: i64 = tx.query_row(HOLDS_ANYTHING, [], |r| r.get(0))?;
            if holds > 0 {
                return Err(StoreError::NotEmpty { holds });
            }
            // The empty store's own `default` team gives way to the backup's.
            tx.execute("DELETE FROM teams", [])?;
            let mut loaded = Loaded::new();
            let mut at = 0;
            for item in rows {
                let (table, row) = item?;
                at = in_order(table, at)?;
                table.check(&row)?;
                tx.prepare_cached(&table.insert(|i| format!("?{i}")))?
                    .execute(rusqlite::params_from_iter(row.into_iter().map(
                        |v| match v {
                            Value::Null => Sql::Null,
                            Value::Int(i) => Sql::Integer(i),
                            Value::Text(t) => Sql::Text(t),
                        },
                    )))?;
                tally(&mut loaded, table);
            }
            Ok(loaded)
        })
    }
}
