//! Reading the contract's answers from a parsed JSON tree, for the browser.
//!
//! The server writes these types with serde; the browser could read them back with serde
//! too, but every derived `Deserialize` compiles serde_json's decoder once more for its own
//! visitor, about 60 KB of the wasm bundle for a dozen answer types. [`FromJson`] reads the
//! same shapes from a [`Value`] the page has parsed anyway, with plain code and no generic
//! decoder. It is strict where it matters: a missing or mistyped field is an error naming
//! it, never a default. Tests hold every reader to serde's writer (`tests` below: written
//! by serde, read back here, equal).

use lakeplan_models::calendar::Month;
use lakeplan_models::compare::{Figure, FigureRow};
use lakeplan_models::field::FieldError;
use lakeplan_models::price_book::{CellChange, Problem, Unit};
use lakeplan_models::reprice::RowChange;
use serde_json::{Map, Value};

use crate::accounts::{
    AuditEntry, AuditPage, Me, ShareInfo, ShareList, ShareMade, Shared, TeamInfo, TeamList,
    TeamRole, TokenInfo, TokenList, TokenMade, UserInfo, UserList,
};
use crate::books::{
    BookDiff, BookMade, BookRow, BookRows, BookSummary, Impact, ImpactRow, LineMove, PriceBooks,
};
use crate::error::{ApiError, ErrorCode};
use crate::scenarios::{
    Deletion, History, Origin, RepricePreview, ScenarioEnvelope, ScenarioList, Summary, VersionInfo,
};

/// Why an answer could not be read: the field and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A type read from the JSON tree its serde form writes.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Result<Self, ReadError>;
}

/// Parses `text` as JSON and reads a `T` from it.
pub fn from_text<T: FromJson>(text: &str) -> Result<T, ReadError> {
    let v: Value = serde_json::from_str(text).map_err(|e| ReadError(e.to_string()))?;
    T::from_json(&v)
}

/// One JSON object being read, field by field.
struct Obj<'v>(&'v Map<String, Value>);

impl<'v> Obj<'v> {
    fn of(v: &'v Value) -> Result<Obj<'v>, ReadError> {
        v.as_object()
            .map(Obj)
            .ok_or_else(|| ReadError("expected an object".into()))
    }

    fn field(&self, key: &str) -> Result<&'v Value, ReadError> {
        self.0
            .get(key)
            .ok_or_else(|| ReadError(format!("{key} is missing")))
    }

    fn str(&self, key: &str) -> Result<String, ReadError> {
        self.field(key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ReadError(format!("{key} must be text")))
    }

    fn u64(&self, key: &str) -> Result<u64, ReadError> {
        self.field(key)?
            .as_u64()
            .ok_or_else(|| ReadError(format!("{key} must be a whole number")))
    }

    fn bool(&self, key: &str) -> Result<bool, ReadError> {
        self.field(key)?
            .as_bool()
            .ok_or_else(|| ReadError(format!("{key} must be true or false")))
    }

    /// A field serde leaves out when it is `None`; `null` reads as `None` too.
    fn opt<T>(
        &self,
        key: &str,
        read: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, ReadError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read(v)
                .map(Some)
                .ok_or_else(|| ReadError(format!("{key} has the wrong type"))),
        }
    }

    fn list<T: FromJson>(&self, key: &str) -> Result<Vec<T>, ReadError> {
        list(self.field(key)?, key, T::from_json)
    }

    /// A list serde leaves out when it is empty.
    fn list_or_empty<T: FromJson>(&self, key: &str) -> Result<Vec<T>, ReadError> {
        match self.0.get(key) {
            None => Ok(Vec::new()),
            Some(v) => list(v, key, T::from_json),
        }
    }
}

fn list<T>(
    v: &Value,
    key: &str,
    read: impl Fn(&Value) -> Result<T, ReadError>,
) -> Result<Vec<T>, ReadError> {
    v.as_array()
        .ok_or_else(|| ReadError(format!("{key} must be a list")))?
        .iter()
        .enumerate()
        .map(|(i, item)| read(item).map_err(|e| ReadError(format!("{key}[{i}]: {e}"))))
        .collect()
}

fn opt_f64(v: &Value) -> Result<Option<f64>, ReadError> {
    match v {
        Value::Null => Ok(None),
        v => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| ReadError("expected a number or null".into())),
    }
}

impl FromJson for ScenarioEnvelope<Value> {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(ScenarioEnvelope {
            id: o.str("id")?,
            team: o.str("team")?,
            version: o.u64("version")?,
            name: o.str("name")?,
            customer: o.str("customer")?,
            price_book: o.str("price_book")?,
            created_at: o.str("created_at")?,
            updated_at: o.str("updated_at")?,
            scenario: o.field("scenario")?.clone(),
        })
    }
}

impl FromJson for Summary {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        let text = |v: &Value| v.as_str().map(str::to_string);
        Ok(Summary {
            id: o.str("id")?,
            team: o.str("team")?,
            name: o.str("name")?,
            customer: o.str("customer")?,
            version: o.u64("version")?,
            price_book: o.str("price_book")?,
            created_at: o.str("created_at")?,
            updated_at: o.str("updated_at")?,
            deleted_at: o.opt("deleted_at", text)?,
            purge_after: o.opt("purge_after", text)?,
        })
    }
}

impl FromJson for ScenarioList {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        Ok(ScenarioList {
            scenarios: Obj::of(v)?.list("scenarios")?,
        })
    }
}

impl FromJson for Deletion {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(Deletion {
            id: o.str("id")?,
            version: o.u64("version")?,
            deleted_at: o.str("deleted_at")?,
            purge_after: o.str("purge_after")?,
        })
    }
}

impl FromJson for Origin {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(match o.str("kind")?.as_str() {
            "create" => Origin::Create,
            "save" => Origin::Save,
            "duplicate" => Origin::Duplicate {
                scenario: o.str("scenario")?,
                version: o.u64("version")?,
            },
            "restore" => Origin::Restore {
                version: o.u64("version")?,
            },
            "reprice" => Origin::Reprice {
                from_book: o.str("from_book")?,
            },
            other => return Err(ReadError(format!("kind {other:?} is not an origin"))),
        })
    }
}

impl FromJson for VersionInfo {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(VersionInfo {
            version: o.u64("version")?,
            saved_at: o.str("saved_at")?,
            name: o.str("name")?,
            customer: o.str("customer")?,
            price_book: o.str("price_book")?,
            origin: Origin::from_json(o.field("origin")?)?,
            saved_by: o.str("saved_by")?,
        })
    }
}

impl FromJson for History {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(History {
            id: o.str("id")?,
            current_version: o.u64("current_version")?,
            versions: o.list("versions")?,
        })
    }
}

/// A figure is a number, or a month written `YYYY-MM` (serde's untagged form).
fn figure(v: &Value) -> Result<Option<Figure>, ReadError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => s
            .parse::<Month>()
            .map(|m| Some(Figure::Month(m)))
            .map_err(|e| ReadError(e.to_string())),
        v => v
            .as_f64()
            .map(|x| Some(Figure::Number(x)))
            .ok_or_else(|| ReadError("a figure must be a number or a month".into())),
    }
}

impl FromJson for FigureRow {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(FigureRow {
            key: o.str("key")?,
            label: o.str("label")?,
            unit: o.str("unit")?,
            values: list(o.field("values")?, "values", figure)?,
            deltas: list(o.field("deltas")?, "deltas", opt_f64)?,
        })
    }
}

impl FromJson for RowChange {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        let unit = o.str("unit")?;
        Ok(RowChange {
            id: o.str("id")?,
            item: o.str("item")?,
            unit: Unit::from_word(&unit)
                .ok_or_else(|| ReadError(format!("unit {unit:?} is not a price-book unit")))?,
            before: o.opt("before", Value::as_f64)?,
            after: o.opt("after", Value::as_f64)?,
        })
    }
}

impl FromJson for RepricePreview {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(RepricePreview {
            id: o.str("id")?,
            version: o.u64("version")?,
            from: o.str("from")?,
            to: o.str("to")?,
            up_to_date: o.bool("up_to_date")?,
            figures: o.list("figures")?,
            rows: o.list("rows")?,
        })
    }
}

impl FromJson for FieldError {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(FieldError::new(o.str("path")?, o.str("message")?))
    }
}

impl FromJson for BookSummary {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(BookSummary {
            id: o.str("id")?,
            name: o.str("name")?,
            effective_from: o.str("effective_from")?,
            status: o.str("status")?,
            built_in: o.bool("built_in")?,
            rows: o.u64("rows")?,
            made_by: o.str("made_by")?,
            made_at: o.str("made_at")?,
            note: o.str("note")?,
        })
    }
}

impl FromJson for PriceBooks {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(PriceBooks {
            newest: o.str("newest")?,
            books: o.list("books")?,
        })
    }
}

impl FromJson for BookRows {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(BookRows {
            book: BookSummary::from_json(o.field("book")?)?,
            rows: o.list("rows")?,
        })
    }
}

impl FromJson for BookMade {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(BookMade {
            id: o.str("id")?,
            status: o.str("status")?,
            rows: o.u64("rows")?,
        })
    }
}

impl FromJson for BookRow {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        o.0.iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|t| (k.clone(), t.to_string()))
                    .ok_or_else(|| ReadError(format!("{k} must be text")))
            })
            .collect()
    }
}

impl FromJson for CellChange {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(CellChange {
            id: o.str("id")?,
            column: o.str("column")?,
            from: o.str("from")?,
            to: o.str("to")?,
        })
    }
}

impl FromJson for BookDiff {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(BookDiff {
            from: o.str("from")?,
            to: o.str("to")?,
            changed: o.list("changed")?,
            added: o.list("added")?,
            removed: o.list("removed")?,
        })
    }
}

impl FromJson for LineMove {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        let number = |key: &str| {
            o.field(key)?
                .as_f64()
                .ok_or_else(|| ReadError(format!("{key} must be a number")))
        };
        Ok(LineMove {
            line: o.str("line")?,
            old_usd: number("old_usd")?,
            new_usd: number("new_usd")?,
        })
    }
}

impl FromJson for ImpactRow {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(ImpactRow {
            id: o.str("id")?,
            name: o.str("name")?,
            team: o.str("team")?,
            version: o.u64("version")?,
            price_book: o.str("price_book")?,
            old_total_usd: o.opt("old_total_usd", Value::as_f64)?,
            new_total_usd: o.opt("new_total_usd", Value::as_f64)?,
            difference_usd: o.opt("difference_usd", Value::as_f64)?,
            difference_percent: o.opt("difference_percent", Value::as_f64)?,
            moved: o.list("moved")?,
            error: o.opt("error", text)?,
        })
    }
}

impl FromJson for Impact {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(Impact {
            book: o.str("book")?,
            scenarios: o.list("scenarios")?,
        })
    }
}

impl FromJson for Problem {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(Problem {
            line: o.opt("line", Value::as_u64)?,
            column: o.str("column")?,
            value: o.str("value")?,
            message: o.str("message")?,
        })
    }
}

impl FromJson for ErrorCode {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let code = v
            .as_str()
            .ok_or_else(|| ReadError("error must be a code".into()))?;
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| ReadError(format!("error {code:?} is not a known code")))
    }
}

impl FromJson for ApiError {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        let text = |v: &Value| v.as_str().map(str::to_string);
        let status = o.u64("status")?;
        Ok(ApiError {
            status: u16::try_from(status)
                .map_err(|_| ReadError(format!("status {status} is not an HTTP status")))?,
            error: ErrorCode::from_json(o.field("error")?)?,
            message: o.str("message")?,
            fields: o.list_or_empty("fields")?,
            errors: o.list_or_empty("errors")?,
            current_version: o.opt("current_version", Value::as_u64)?,
            latest_version: o.opt("latest_version", Value::as_u64)?,
            deleted_at: o.opt("deleted_at", text)?,
            purge_after: o.opt("purge_after", text)?,
            undelete: o.opt("undelete", text)?,
        })
    }
}

/// An optional text field (left out when `None`).
fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

impl FromJson for TeamRole {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(TeamRole {
            team: o.str("team")?,
            role: o.str("role")?,
        })
    }
}

impl FromJson for Me {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(Me {
            id: o.str("id")?,
            email: o.str("email")?,
            name: o.str("name")?,
            teams: o.list("teams")?,
            via: o.str("via")?,
        })
    }
}

impl FromJson for TokenMade {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(TokenMade {
            id: o.str("id")?,
            token: o.str("token")?,
            name: o.str("name")?,
            expires_at: o.opt("expires_at", text)?,
        })
    }
}

impl FromJson for TokenInfo {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(TokenInfo {
            id: o.str("id")?,
            name: o.str("name")?,
            created_at: o.str("created_at")?,
            expires_at: o.opt("expires_at", text)?,
            revoked_at: o.opt("revoked_at", text)?,
        })
    }
}

impl FromJson for TokenList {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        Ok(TokenList {
            tokens: Obj::of(v)?.list("tokens")?,
        })
    }
}

impl FromJson for ShareMade {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(ShareMade {
            token: o.str("token")?,
            url: o.str("url")?,
            version: o.u64("version")?,
            expires_at: o.opt("expires_at", text)?,
        })
    }
}

impl FromJson for ShareInfo {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(ShareInfo {
            token: o.str("token")?,
            url: o.str("url")?,
            version: o.u64("version")?,
            created_by: o.str("created_by")?,
            created_at: o.str("created_at")?,
            expires_at: o.opt("expires_at", text)?,
            revoked_at: o.opt("revoked_at", text)?,
        })
    }
}

impl FromJson for ShareList {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        Ok(ShareList {
            shares: Obj::of(v)?.list("shares")?,
        })
    }
}

impl FromJson for Shared<Value> {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(Shared {
            name: o.str("name")?,
            customer: o.str("customer")?,
            version: o.u64("version")?,
            price_book: o.str("price_book")?,
            saved_at: o.str("saved_at")?,
            expires_at: o.opt("expires_at", text)?,
            scenario: o.field("scenario")?.clone(),
            book: match o.0.get("book") {
                None | Some(Value::Null) => None,
                Some(b) => Some(BookRows::from_json(b)?),
            },
            catalog: match o.0.get("catalog") {
                None | Some(Value::Null) => None,
                Some(b) => Some(BookRows::from_json(b)?),
            },
        })
    }
}

impl FromJson for UserInfo {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(UserInfo {
            id: o.str("id")?,
            email: o.str("email")?,
            name: o.str("name")?,
            teams: o.list("teams")?,
            created_at: o.str("created_at")?,
            has_password: o.bool("has_password")?,
        })
    }
}

impl FromJson for UserList {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        Ok(UserList {
            users: Obj::of(v)?.list("users")?,
        })
    }
}

impl FromJson for TeamInfo {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(TeamInfo {
            name: o.str("name")?,
            created_at: o.str("created_at")?,
            members: o.u64("members")?,
        })
    }
}

impl FromJson for TeamList {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        Ok(TeamList {
            teams: Obj::of(v)?.list("teams")?,
        })
    }
}

impl FromJson for AuditEntry {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        let seq = o
            .field("seq")?
            .as_i64()
            .ok_or_else(|| ReadError("seq must be a whole number".into()))?;
        Ok(AuditEntry {
            seq,
            at: o.str("at")?,
            actor: o.str("actor")?,
            address: o.str("address")?,
            action: o.str("action")?,
            target: o.str("target")?,
            outcome: o.str("outcome")?,
        })
    }
}

impl FromJson for AuditPage {
    fn from_json(v: &Value) -> Result<Self, ReadError> {
        let o = Obj::of(v)?;
        Ok(AuditPage {
            entries: o.list("entries")?,
            next_before: o.opt("next_before", Value::as_i64)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;

    /// Written by serde (what the server sends), read back by the reader: equal.
    fn round_trip<T: Serialize + FromJson + PartialEq + std::fmt::Debug>(x: T) {
        let v = serde_json::to_value(&x).expect("serialisable");
        assert_eq!(T::from_json(&v).expect("readable"), x, "{v}");
    }

    fn summary(deleted: bool) -> Summary {
        Summary {
            id: "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c".into(),
            team: "emea".into(),
            name: "Retail".into(),
            customer: "Acme".into(),
            version: 3,
            price_book: "2026-11".into(),
            created_at: "2026-11-24T23:10:05.000Z".into(),
            updated_at: "2026-11-25T08:00:00.000Z".into(),
            deleted_at: deleted.then(|| "2026-11-26T00:00:00.000Z".into()),
            purge_after: deleted.then(|| "2026-12-26T00:00:00.000Z".into()),
        }
    }

    #[test]
    fn every_account_answer_reads_back_as_serde_wrote_it() {
        let roles = vec![TeamRole {
            team: "emea".into(),
            role: "engineer".into(),
        }];
        round_trip(Me {
            id: "u1".into(),
            email: "ana@example.com".into(),
            name: "Ana".into(),
            teams: roles.clone(),
            via: "session".into(),
        });
        for expires in [None, Some("2027-01-01T00:00:00.000Z".to_string())] {
            round_trip(TokenMade {
                id: "t1".into(),
                token: "lpt_x".into(),
                name: "ci".into(),
                expires_at: expires.clone(),
            });
            round_trip(TokenList {
                tokens: vec![TokenInfo {
                    id: "t1".into(),
                    name: "ci".into(),
                    created_at: "c".into(),
                    expires_at: expires.clone(),
                    revoked_at: expires.clone(),
                }],
            });
            round_trip(ShareMade {
                token: "lpl_x".into(),
                url: "http://h/?share=lpl_x".into(),
                version: 2,
                expires_at: expires.clone(),
            });
            round_trip(ShareList {
                shares: vec![ShareInfo {
                    token: "lpl_x".into(),
                    url: "u".into(),
                    version: 2,
                    created_by: "ana@example.com".into(),
                    created_at: "c".into(),
                    expires_at: expires.clone(),
                    revoked_at: expires.clone(),
                }],
            });
            round_trip(AuditPage {
                entries: vec![AuditEntry {
                    seq: 7,
                    at: "a".into(),
                    actor: "user:ana@example.com".into(),
                    address: "127.0.0.1".into(),
                    action: "sign_in".into(),
                    target: "user:ana@example.com".into(),
                    outcome: "ok".into(),
                }],
                next_before: expires.as_ref().map(|_| 7),
            });
        }
        round_trip(UserList {
            users: vec![UserInfo {
                id: "u1".into(),
                email: "ana@example.com".into(),
                name: "Ana".into(),
                teams: roles,
                created_at: "c".into(),
                has_password: true,
            }],
        });
        round_trip(TeamList {
            teams: vec![TeamInfo {
                name: "emea".into(),
                created_at: "c".into(),
                members: 3,
            }],
        });
        let shared: Shared<Value> = Shared::from_json(&json!({
            "name": "N", "customer": "C", "version": 1, "price_book": "2026-11",
            "saved_at": "s", "scenario": {"horizon_months": 12}
        }))
        .expect("shared");
        assert_eq!(shared.scenario["horizon_months"], 12);
        assert!(shared.expires_at.is_none());
        assert!(shared.book.is_none());
        assert!(Me::from_json(&json!({"id": "u"})).is_err());
    }

    #[test]
    fn every_answer_reads_back_as_serde_wrote_it() {
        round_trip(ScenarioList {
            scenarios: vec![summary(false), summary(true)],
        });
        round_trip(Deletion {
            id: "a".into(),
            version: 2,
            deleted_at: "t".into(),
            purge_after: "u".into(),
        });
        let origins = [
            Origin::Create,
            Origin::Save,
            Origin::Duplicate {
                scenario: "b".into(),
                version: 4,
            },
            Origin::Restore { version: 1 },
            Origin::Reprice {
                from_book: "2026-05".into(),
            },
        ];
        round_trip(History {
            id: "a".into(),
            current_version: 5,
            versions: origins
                .iter()
                .enumerate()
                .map(|(i, o)| VersionInfo {
                    version: 5 - i as u64,
                    saved_at: "t".into(),
                    name: "n".into(),
                    customer: "c".into(),
                    price_book: "2026-11".into(),
                    origin: o.clone(),
                    saved_by: "ana@example.com (token ci)".into(),
                })
                .collect(),
        });
        round_trip(RepricePreview {
            id: "a".into(),
            version: 2,
            from: "2026-05".into(),
            to: "2026-11".into(),
            up_to_date: false,
            figures: vec![FigureRow {
                key: "first_infeasible_month".into(),
                label: "First month the links fall short".into(),
                unit: "month".into(),
                values: vec![
                    Some(Figure::Month("2027-03".parse().expect("month"))),
                    None,
                    Some(Figure::Number(1.5)),
                ],
                deltas: vec![Some(0.0), None, Some(-2.0)],
            }],
            rows: vec![RowChange {
                id: "gcp.interconnect.egress.na".into(),
                item: "Egress".into(),
                unit: Unit::UsdPerGib,
                before: Some(0.02),
                after: None,
            }],
        });
        let book = BookSummary {
            id: "pb-3f9a0c41d2e7".into(),
            name: "Q1 2027".into(),
            effective_from: "2027-01-01".into(),
            status: "draft".into(),
            built_in: false,
            rows: 66,
            made_by: "user:p@example.com".into(),
            made_at: "2026-12-05T08:00:00.000Z".into(),
            note: "what if".into(),
        };
        round_trip(PriceBooks {
            newest: "2026-11".into(),
            books: vec![book],
        });
        round_trip(BookRows {
            book: BookSummary {
                id: "2026-11".into(),
                name: "Built-in 2026-11".into(),
                effective_from: "2026-11-01".into(),
                status: "published".into(),
                built_in: true,
                rows: 1,
                made_by: "lakeplan".into(),
                made_at: String::new(),
                note: String::new(),
            },
            rows: vec![[("id".to_string(), "a.b".to_string())]
                .into_iter()
                .collect()],
        });
        round_trip(BookMade {
            id: "pb-3f9a0c41d2e7".into(),
            status: "draft".into(),
            rows: 66,
        });
        let row: BookRow = [
            ("id".to_string(), "a.b".to_string()),
            ("value".into(), "0.02".into()),
        ]
        .into_iter()
        .collect();
        round_trip(BookDiff {
            from: "2026-11".into(),
            to: "pb-3f9a0c41d2e7".into(),
            changed: vec![CellChange {
                id: "a.b".into(),
                column: "value".into(),
                from: "0.02".into(),
                to: "0.04".into(),
            }],
            added: vec![row.clone()],
            removed: vec![row],
        });
        round_trip(Impact {
            book: "pb-3f9a0c41d2e7".into(),
            scenarios: vec![
                ImpactRow {
                    id: "0b7a3c1e-5d2f-4e8a-9c61-2f4d8e9a1b3c".into(),
                    name: "Retail".into(),
                    team: "emea".into(),
                    version: 3,
                    price_book: "2026-11".into(),
                    old_total_usd: Some(100.0),
                    new_total_usd: Some(150.5),
                    difference_usd: Some(50.5),
                    difference_percent: Some(50.5),
                    moved: vec![LineMove {
                        line: "licence".into(),
                        old_usd: 10.0,
                        new_usd: 60.5,
                    }],
                    error: None,
                },
                ImpactRow {
                    id: "x".into(),
                    name: "Broken".into(),
                    team: "apac".into(),
                    version: 1,
                    price_book: "2026-11".into(),
                    old_total_usd: None,
                    new_total_usd: None,
                    difference_usd: None,
                    difference_percent: None,
                    moved: Vec::new(),
                    error: Some("source.region: not priced".into()),
                },
            ],
        });
        for code in ErrorCode::ALL {
            round_trip(ApiError::new(400, *code, "m"));
        }
        round_trip(ApiError {
            errors: vec![
                Problem {
                    line: Some(5),
                    column: "value".into(),
                    value: "twelve".into(),
                    message: "row a.4: must be a number, got \"twelve\"".into(),
                },
                Problem {
                    line: None,
                    column: "id".into(),
                    value: "fx.usd-per-eur".into(),
                    message: "the model needs this row".into(),
                },
            ],
            fields: vec![FieldError::new("lake.initial_pb", "must be > 0, got -5")],
            current_version: Some(7),
            latest_version: Some(6),
            deleted_at: Some("t".into()),
            purge_after: Some("u".into()),
            undelete: Some("/api/scenarios/a/undelete".into()),
            ..ApiError::new(412, ErrorCode::VersionConflict, "m")
        });
    }

    #[test]
    fn an_envelope_keeps_its_scenario_as_a_tree() {
        let v = json!({"id": "a", "team": "default", "version": 3, "name": "N", "customer": "", "price_book": "2026-11",
            "created_at": "t", "updated_at": "u", "scenario": {"name": "N", "horizon_months": 12}});
        let e = ScenarioEnvelope::<Value>::from_json(&v).expect("an envelope");
        assert_eq!(e.version, 3);
        assert_eq!(e.scenario["horizon_months"], 12);
    }

    #[test]
    fn a_malformed_answer_names_the_field_never_reads_as_zero() {
        let mut v = serde_json::to_value(summary(false)).expect("value");
        v["version"] = json!("three");
        assert_eq!(
            Summary::from_json(&v),
            Err(ReadError("version must be a whole number".into()))
        );
        let list =
            json!({"scenarios": [serde_json::to_value(summary(false)).expect("v"), {"id": 1}]});
        let e = ScenarioList::from_json(&list).expect_err("refused");
        assert!(e.0.starts_with("scenarios[1]: id must be text"), "{e}");
        assert!(
            ApiError::from_json(&json!({"status": 400, "error": "nope", "message": ""})).is_err()
        );
    }
}
