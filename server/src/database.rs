//! Where the server keeps what it stores (spec DEPLOY.md): the embedded SQLite file in a data
//! folder (the default: nothing to install), or a PostgreSQL database shared by several
//! servers, named by `--database-url` / `LAKEPLAN_DATABASE_URL`. `serve` and every command
//! that touches the store (`users`, `books`, `catalogs`) choose the same way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lakeplan_store::sqlite::FILE_NAME;
use lakeplan_store::{Options, PostgresStore, SqliteStore, Store, StoreError};

/// Which store, and where.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// `lakeplan.db` in this folder (made if missing).
    Embedded(PathBuf),
    /// `postgres://user:password@host:port/name`: never printed as it is (it may hold a
    /// password); see [`Database::describe`].
    Postgres(String),
}

impl std::fmt::Debug for Database {
    /// Never the URL, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Embedded(dir) => f.debug_tuple("Embedded").field(dir).finish(),
            Database::Postgres(_) => f.write_str("Postgres(…)"),
        }
    }
}

/// An open store and how to name it in logs.
pub struct Opened {
    pub store: Arc<dyn Store>,
    /// The database file's full path, or `PostgreSQL host:port/name`.
    pub place: String,
}

/// Why a store did not open: which store, and the store's reason.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the store ({place}): {source}")]
pub struct OpenError {
    pub place: String,
    #[source]
    pub source: StoreError,
}

impl Database {
    /// PostgreSQL when a URL is given, else the embedded store in `data_dir` (or the
    /// platform's data folder, [`default_data_dir`]).
    pub fn choose(url: Option<String>, data_dir: Option<PathBuf>) -> Database {
        match url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Database::Postgres(url),
            None => Database::Embedded(data_dir.unwrap_or_else(default_data_dir)),
        }
    }

    /// The store as logs and errors may name it, before it is opened: the folder, or
    /// PostgreSQL without the URL (which may hold a password).
    pub fn describe(&self) -> String {
        match self {
            Database::Embedded(dir) => dir.display().to_string(),
            Database::Postgres(_) => "PostgreSQL".into(),
        }
    }

    /// Opens the store and brings its schema up to date. Blocking (PostgreSQL's client
    /// runs its own small runtime): from async code, call it on a blocking thread.
    pub fn open(&self, options: Options) -> Result<Opened, OpenError> {
        let failed = |source| OpenError {
            place: self.describe(),
            source,
        };
        match self {
            Database::Embedded(dir) => {
                let store = SqliteStore::open_dir(dir, options).map_err(failed)?;
                let place = full_path(store.path());
                Ok(Opened {
                    store: Arc::new(store),
                    place,
                })
            }
            Database::Postgres(url) => {
                let store = PostgresStore::open(url, options).map_err(failed)?;
                let place = format!("PostgreSQL {}", store.shown());
                Ok(Opened {
                    store: Arc::new(store),
                    place,
                })
            }
        }
    }
}

/// Where versions before 2026-12 kept the embedded store by default: `lakeplan-data` in
/// the working folder.
pub const OLD_DEFAULT_DIR: &str = "lakeplan-data";

/// The embedded store's folder when `--data-dir` is not given: `lakeplan` in the platform's
/// data folder (`$XDG_DATA_HOME/lakeplan`, by default `~/.local/share/lakeplan`, on Linux;
/// `~/Library/Application Support/lakeplan` on macOS), so the data does not depend on the
/// folder the server was started from.
///
/// Two exceptions, so an upgrade never opens an empty store beside the old one: a store
/// left by an older version in `lakeplan-data` in the working folder is used while the
/// platform folder has none (the server logs where, and how to move it); and where the
/// platform has no data folder (no home), `lakeplan-data` it is.
pub fn default_data_dir() -> PathBuf {
    let old = PathBuf::from(OLD_DEFAULT_DIR);
    match dirs::data_dir().map(|d| d.join("lakeplan")) {
        Some(dir) if dir.join(FILE_NAME).exists() || !old.join(FILE_NAME).exists() => dir,
        _ => old,
    }
}

/// A line for the log when the store is in the old default folder.
pub fn old_default_note(database: &Database) -> Option<String> {
    let Database::Embedded(dir) = database else {
        return None;
    };
    let platform = dirs::data_dir()?.join("lakeplan");
    (dir == Path::new(OLD_DEFAULT_DIR)).then(|| {
        format!(
            "the store is in {OLD_DEFAULT_DIR}/ in the working folder, where earlier versions kept              it; move that folder to {} (or pass --data-dir) to keep it there",
            platform.display()
        )
    })
}

fn full_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_chooses_postgresql_and_is_never_described_as_it_is() {
        let db = Database::choose(
            Some("postgres://lake:pw@db:5432/lake".into()),
            Some("x".into()),
        );
        assert!(matches!(db, Database::Postgres(_)));
        assert!(!db.describe().contains("pw"));
        assert_eq!(
            Database::choose(Some(" ".into()), Some("x".into())),
            Database::Embedded("x".into())
        );
    }

    #[test]
    fn the_default_folder_is_the_platforms_data_folder() {
        let dir = default_data_dir();
        assert!(dir.ends_with("lakeplan"), "{}", dir.display());
        if let Some(data) = dirs::data_dir() {
            assert!(dir.starts_with(data));
        }
    }
}
