//! Why a store call did not do what was asked.

use crate::{BookStatus, ScenarioId, Timestamp, Version};

/// Every way a [`ScenarioStore`](crate::ScenarioStore) call can fail. The first five are
/// answers about the data, which the server turns into 404, 410, 412, 404 and 409; the
/// last four are failures of the store itself.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such scenario, or one deleted longer ago than the retention period.
    #[error("no scenario has id {id}")]
    NotFound { id: ScenarioId },

    /// Deleted, and still restorable until `purge_after`.
    #[error("scenario {id} was deleted at {deleted_at}; it can be restored until {purge_after}")]
    Deleted {
        id: ScenarioId,
        deleted_at: Timestamp,
        purge_after: Timestamp,
    },

    /// Someone saved the scenario since the caller read it.
    #[error("scenario {id} is at version {current}, not {expected}: it was saved since version {expected} was read")]
    Conflict {
        id: ScenarioId,
        expected: Version,
        current: Version,
    },

    #[error("scenario {id} has no version {version}; its versions are 1 to {latest}")]
    NoSuchVersion {
        id: ScenarioId,
        version: Version,
        latest: Version,
    },

    /// Undelete of a scenario that is not deleted.
    #[error("scenario {id} is not deleted")]
    NotDeleted { id: ScenarioId },

    /// No stored book has this id.
    #[error("no stored book has id {id}")]
    NoBook { id: String },

    /// A book is not at the status a change of status started from.
    #[error("book {id} is {status}, not {wanted}")]
    BookStatus {
        id: String,
        status: BookStatus,
        wanted: BookStatus,
    },

    /// A team (or another named thing) that must be new already exists.
    #[error("{0} already exists")]
    Exists(String),

    /// A restore into a store that already holds data (it would mix two histories).
    #[error("the store already holds data ({holds} scenarios, users, books, teams or audit entries): restore only into an empty store")]
    NotEmpty { holds: i64 },

    /// The database was written by a newer build; opening it with this one could damage it.
    #[error("{path} has schema version {found}, newer than this build's {known}: run a newer lakeplan on it")]
    SchemaTooNew {
        path: String,
        found: i64,
        known: i64,
    },

    /// Stored data that cannot be read back as written (a value outside its domain).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),

    /// The database does not answer (PostgreSQL stopped, unreachable, or shutting down):
    /// the request may succeed later; nothing was changed, or the change is reported
    /// failed and was not committed.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),

    /// The database itself failed: I/O, a full disk, a locked file.
    #[error("storage failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Backend(Box::new(e))
    }
}
