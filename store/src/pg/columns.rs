//! How the store's types sit in PostgreSQL columns, as in SQLite (`sqlite/columns.rs`): ids,
//! names and origins as TEXT, versions and timestamps as BIGINT. A value that does not read
//! back (a row written by hand, a damaged restore) is an error naming what it is, never a
//! default; read with `Row::try_get`, never `get`, which would panic.

use std::error::Error;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

use crate::{
    BookId, BookKind, BookStatus, Origin, Role, ScenarioId, SecretHash, TeamName, Timestamp,
    TokenId, UserId, Version,
};

type BoxError = Box<dyn Error + Sync + Send>;

/// Text columns holding a type that checks its text: written as its text, read back through
/// the same check.
macro_rules! text_column {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
                self.to_string().to_sql(ty, out)
            }
            fn accepts(ty: &Type) -> bool {
                <String as ToSql>::accepts(ty)
            }
            to_sql_checked!();
        }

        impl<'a> FromSql<'a> for $t {
            fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
                Ok(<&str as FromSql>::from_sql(ty, raw)?.parse()?)
            }
            fn accepts(ty: &Type) -> bool {
                <&str as FromSql>::accepts(ty)
            }
        }
    )*};
}

text_column!(ScenarioId, TeamName, Role, UserId, TokenId, BookId, BookKind, BookStatus);

impl ToSql for SecretHash {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.0.to_sql(ty, out)
    }
    fn accepts(ty: &Type) -> bool {
        <String as ToSql>::accepts(ty)
    }
    to_sql_checked!();
}

impl ToSql for Version {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        // BIGINT is signed; a version never comes near 2^63.
        i64::try_from(self.0)?.to_sql(ty, out)
    }
    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Version {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let v = i64::from_sql(ty, raw)?;
        match u64::try_from(v) {
            Ok(v) if v >= 1 => Ok(Version(v)),
            _ => Err(format!("version {v} is not 1 or more").into()),
        }
    }
    fn accepts(ty: &Type) -> bool {
        <i64 as FromSql>::accepts(ty)
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.0.to_sql(ty, out)
    }
    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Timestamp {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Timestamp(i64::from_sql(ty, raw)?))
    }
    fn accepts(ty: &Type) -> bool {
        <i64 as FromSql>::accepts(ty)
    }
}

impl ToSql for Origin {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        serde_json::to_string(self)?.to_sql(ty, out)
    }
    fn accepts(ty: &Type) -> bool {
        <String as ToSql>::accepts(ty)
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Origin {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(serde_json::from_str(<&str as FromSql>::from_sql(ty, raw)?)?)
    }
    fn accepts(ty: &Type) -> bool {
        <&str as FromSql>::accepts(ty)
    }
}
