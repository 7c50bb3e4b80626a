//! Saved scenarios: what the server keeps, behind a small interface.
//!
//! A scenario is saved as a sequence of immutable versions. Each save adds a version and
//! never changes an earlier one, so history can be read, compared and restored (restoring
//! adds a new version equal to an old one). Saves are compare-and-swap on the version the
//! editor started from: two people saving the same scenario cannot silently overwrite each
//! other, the second is told the version moved on ([`StoreError::Conflict`]). Deleting
//! only marks a scenario; it can be brought back for [`RETENTION_DAYS`] days and is purged
//! after that.
//!
//! [`ScenarioStore`] is the interface the server uses; [`SqliteStore`] implements it with
//! an embedded SQLite file, which needs no service to run. The interface is shaped so that
//! a PostgreSQL store serving several server instances can implement it with the same
//! meaning: every method is one transaction, the compare-and-swap is an
//! `UPDATE … WHERE version = $expected` whose row count decides, ids are random UUIDs that
//! need no coordination, and time comes from an injected [`Clock`].
//!
//! The store knows the scenario only as validated JSON text and the few fields it lists and
//! searches by ([`Draft`]); the server validates and prices a scenario before it saves it.

pub mod accounts;
pub mod backup;
pub mod books;
#[cfg(test)]
mod contract;
mod error;
mod id;
pub mod pg;
pub mod sqlite;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod time;

pub use accounts::{
    AccountStore, AuditEntry, AuditEvent, AuditQuery, Email, MemberChange, Membership, NameError,
    NewShare, ProviderUser, Role, SecretHash, Session, Share, Team, TeamName, TokenId, TokenInfo,
    User, UserId,
};
pub use backup::BackupStore;
pub use books::{BookId, BookIdError, BookInfo, BookKind, BookStatus, BookStore, NewBook};
pub use error::StoreError;
pub use id::{IdError, ScenarioId, Version};
pub use pg::PostgresStore;
pub use sqlite::{Options, SqliteStore};
pub use time::{Clock, ManualClock, SystemClock, Timestamp, DAY_MS};

use lakeplan_models::scenario::Scenario;

/// Days a deleted scenario can still be restored; after that it is purged and its id
/// answers "not found".
pub const RETENTION_DAYS: i64 = 30;

/// [`RETENTION_DAYS`] in milliseconds, the unit of [`Timestamp`].
pub const RETENTION_MS: i64 = RETENTION_DAYS * DAY_MS;

/// Everything the server keeps: scenarios, accounts and price books in one database, so
/// one transaction can check a scenario's team and act on it, and several servers share
/// all of it.
pub trait Store: ScenarioStore + AccountStore + BookStore + BackupStore {}

impl<T: ScenarioStore + AccountStore + BookStore + BackupStore> Store for T {}

/// The storage interface the server calls.
///
/// Synchronous on purpose: SQLite's API is blocking, and an `async` trait would only move
/// the blocking call out of sight. The server calls each method inside
/// `tokio::task::spawn_blocking`, which keeps the async workers free while a call waits
/// for the disk or for the writer lock. A PostgreSQL implementation can be written against
/// a blocking client with a connection pool and called the same way; if an async driver is
/// wanted later, the calls are few and all go through the server's `api::Storage` handle.
///
/// Every method is atomic: it completes as one transaction or changes nothing. A method
/// that writes returns only after the write is durable.
pub trait ScenarioStore: Send + Sync + 'static {
    /// Live scenarios (or, with [`ListQuery::deleted`], deleted ones still restorable),
    /// most recently saved first (deleted ones: most recently deleted first).
    fn list(&self, query: &ListQuery) -> Result<Vec<Summary>, StoreError>;

    /// Saves a new scenario as version 1 under a new random id, in `team`.
    fn create(
        &self,
        team: &TeamName,
        draft: &Draft,
        origin: &Origin,
    ) -> Result<Current, StoreError>;

    /// The team a scenario belongs to (live or deleted and still restorable). A
    /// scenario's team never changes, so a caller may check it and then act.
    fn team_of(&self, id: &ScenarioId) -> Result<TeamName, StoreError>;

    /// The current version of a live scenario.
    fn get(&self, id: &ScenarioId) -> Result<Current, StoreError>;

    /// Saves a new version if the scenario is still at `expected`; otherwise changes
    /// nothing and answers [`StoreError::Conflict`] with the current version.
    fn save(
        &self,
        id: &ScenarioId,
        expected: Version,
        draft: &Draft,
        origin: &Origin,
    ) -> Result<Current, StoreError>;

    /// Marks a live scenario deleted (restorable for [`RETENTION_DAYS`] days). With
    /// `expected`, only if it is still at that version.
    fn delete(&self, id: &ScenarioId, expected: Option<Version>) -> Result<Deletion, StoreError>;

    /// Brings a deleted scenario back, as it was, within the retention period.
    fn undelete(&self, id: &ScenarioId) -> Result<Current, StoreError>;

    /// Every version of a live scenario, newest first.
    fn versions(&self, id: &ScenarioId) -> Result<Vec<VersionInfo>, StoreError>;

    /// One version of a live scenario, with its body.
    fn version(&self, id: &ScenarioId, version: Version) -> Result<VersionRecord, StoreError>;

    /// Every live scenario of every team at its current version, most recently saved
    /// first: what the impact of a price book is computed over.
    fn currents(&self) -> Result<Vec<Current>, StoreError>;

    /// Removes for good every scenario deleted more than [`RETENTION_DAYS`] days ago, with
    /// its versions; returns how many scenarios went.
    fn purge_expired(&self) -> Result<usize, StoreError>;

    /// Whether the database answers a query now: the server's readiness (`/readyz`).
    fn ping(&self) -> Result<(), StoreError>;
}

/// What a save writes: the scenario JSON and the fields the store lists and searches by,
/// taken from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub name: String,
    pub customer: String,
    /// The price book that prices this version (`pricing.price_book`).
    pub price_book: String,
    /// The scenario file as JSON text.
    pub body: String,
    /// Who saves this version, as the history shows it (`ana@example.com`,
    /// `ana@example.com (token ci)`).
    pub saved_by: String,
}

impl Draft {
    /// A draft of a scenario that passed validation, written out in full (defaults
    /// included), so a later change of a default cannot change a saved scenario's figures;
    /// `saved_by` saves it.
    pub fn of(scenario: &Scenario, saved_by: String) -> Result<Draft, serde_json::Error> {
        Ok(Draft {
            name: scenario.name.clone(),
            customer: scenario.customer.clone(),
            price_book: scenario.pricing.price_book.clone(),
            body: serde_json::to_string(scenario)?,
            saved_by,
        })
    }
}

/// Why a version exists: shown in the history so a user can tell a save from a restore.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The first version of a new scenario.
    Create,
    /// A copy of another scenario's version.
    Duplicate {
        scenario: ScenarioId,
        version: Version,
    },
    /// An edit saved by a user.
    Save,
    /// A copy of an earlier version of the same scenario.
    Restore { version: Version },
    /// The same inputs, priced with a newer book.
    Reprice { from_book: String },
}

/// A live scenario as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub id: ScenarioId,
    pub team: TeamName,
    pub version: Version,
    pub name: String,
    pub customer: String,
    pub price_book: String,
    pub created_at: Timestamp,
    /// When the current version was saved.
    pub updated_at: Timestamp,
    /// The current version's scenario JSON.
    pub body: String,
}

/// A line of the scenario list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub id: ScenarioId,
    pub team: TeamName,
    pub name: String,
    pub customer: String,
    pub version: Version,
    pub price_book: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set for a deleted scenario (listed only when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
    /// The moment a deleted scenario is purged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_after: Option<Timestamp>,
}

/// Which scenarios [`ScenarioStore::list`] answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Only scenarios whose name or customer contains this text, ignoring case.
    pub text: Option<String>,
    /// Deleted scenarios still restorable, instead of live ones.
    pub deleted: bool,
    /// Only these teams' scenarios: a caller lists what their teams own. Empty lists
    /// nothing.
    pub teams: Vec<TeamName>,
}

/// A line of a scenario's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VersionInfo {
    pub version: Version,
    pub saved_at: Timestamp,
    pub name: String,
    pub customer: String,
    pub price_book: String,
    pub origin: Origin,
    /// Who saved it ([`Draft::saved_by`]); empty for versions saved before authors were
    /// kept (schema step 5).
    pub saved_by: String,
}

/// One version with its scenario JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionRecord {
    pub id: ScenarioId,
    pub info: VersionInfo,
    pub body: String,
}

/// What a delete did, and until when it can be undone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Deletion {
    pub id: ScenarioId,
    pub version: Version,
    pub deleted_at: Timestamp,
    pub purge_after: Timestamp,
}

/// Lowercases for case-insensitive search. Full Unicode (`to_lowercase`), because names
/// and customers are not all ASCII and SQLite's own `lower()`/`LIKE` fold ASCII only.
pub(crate) fn fold(text: &str) -> String {
    text.to_lowercase()
}
