//! `lakeplan backup FILE` and `lakeplan restore FILE` (spec DEPLOY.md): a consistent
//! snapshot of everything kept, taken while servers run, and its load into an empty store
//! of either kind (`lakeplan_store::backup` says what is kept and why).
//!
//! The file is JSON Lines, one row per line, readable with any tool:
//!
//! ```text
//! {"lakeplan_backup":1,"schema":4,"taken_at":"2026-12-05T10:00:00.000Z"}
//! {"table":"teams","row":["default",1777593600000]}
//! …
//! {"end":{"rows":1234}}
//! ```
//!
//! The last line counts the rows, so a file cut short is refused rather than half
//! restored. A backup is written to a new private file (mode 0600: it holds password and
//! token hashes) beside its name and renamed when complete: a failed backup leaves any
//! earlier file of that name as it was. A restore is one transaction:
//! a refused or damaged file loads nothing.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use lakeplan_store::backup::{Loaded, Row, Table};
use lakeplan_store::{Clock, Store, StoreError, SystemClock};
use serde::{Deserialize, Serialize};

use super::users::{open, StoreArgs};

/// The backup format's version (the first line's `lakeplan_backup`).
pub const FORMAT: u32 = 1;

pub const BACKUP_HELP: &str = "Exit status: 0 written; 2 the store could not be read or the file \
                               not written (an earlier file of that name is left as it was).";
pub const RESTORE_HELP: &str = "Exit status: 0 restored; 1 refused: the store already holds \
                                data, or the file is not a complete backup of this schema \
                                (nothing is loaded); 2 the store could not be opened or written.";

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// The file to write (JSON Lines); replaced only once the backup is complete.
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// A file `lakeplan backup` wrote.
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Serialize, Deserialize)]
struct Header {
    lakeplan_backup: u32,
    schema: i64,
    taken_at: String,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    Row { table: String, row: Row },
    End { end: End },
}

#[derive(Serialize, Deserialize)]
struct End {
    rows: u64,
}

/// Runs `lakeplan backup`; the exit status.
pub fn backup(args: &BackupArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let result = open(&args.store)
        .map_err(|e| e.to_string())
        .and_then(|store| write_backup(store.as_ref(), &args.file));
    match result {
        Ok(loaded) => {
            let _ = writeln!(
                stdout,
                "backed up {} to {} in {:.1} s",
                summary(&loaded),
                args.file.display(),
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(stderr, "lakeplan backup: {e}");
            2
        }
    }
}

/// Runs `lakeplan restore`; the exit status.
pub fn restore(args: &RestoreArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let store = match open(&args.store) {
        Ok(store) => store,
        Err(e) => {
            let _ = writeln!(stderr, "lakeplan restore: {e}");
            return 2;
        }
    };
    match read_backup(store.as_ref(), &args.file) {
        Ok(loaded) => {
            let _ = writeln!(
                stdout,
                "restored {} from {} in {:.1} s",
                summary(&loaded),
                args.file.display(),
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(stderr, "lakeplan restore: {e}");
            match e {
                StoreError::NotEmpty { .. } | StoreError::Corrupt(_) => 1,
                _ => 2,
            }
        }
    }
}

/// Writes the backup to a new private file beside `file` (readable by its owner only: it
/// holds password and token hashes) and renames it into place once complete and on disk;
/// on failure the temporary file goes and an earlier `file` stays as it was.
fn write_backup(store: &dyn Store, file: &Path) -> Result<Loaded, String> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |e: std::io::Error| format!("cannot write the backup in {}: {e}", dir.display());
    // A unique name made with O_EXCL and mode 0600, never a file someone else prepared.
    let temp = tempfile::Builder::new()
        .prefix(".lakeplan-backup-")
        .tempfile_in(dir)
        .map_err(io)?;
    let out = RefCell::new(BufWriter::new(temp));
    let mut loaded = Loaded::new();
    let backend = |e: std::io::Error| StoreError::Backend(Box::new(e));
    store
        .export(
            &mut |schema| {
                let header = Header {
                    lakeplan_backup: FORMAT,
                    schema,
                    taken_at: SystemClock.now().to_string(),
                };
                write_line(&mut *out.borrow_mut(), &header).map_err(backend)
            },
            &mut |table: &'static Table, row| {
                lakeplan_store::backup::tally(&mut loaded, table);
                let line = Line::Row {
                    table: table.name.to_string(),
                    row,
                };
                write_line(&mut *out.borrow_mut(), &line).map_err(backend)
            },
        )
        .map_err(|e| e.to_string())?;
    let mut out = out.into_inner();
    let rows = loaded.iter().map(|(_, n)| n).sum();
    write_line(&mut out, &Line::End { end: End { rows } }).map_err(io)?;
    let temp = out.into_inner().map_err(|e| io(e.into_error()))?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(file)
        .map_err(|e| format!("cannot put the backup at {}: {}", file.display(), e.error))?;
    // The rename itself on disk too.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(loaded)
}

fn read_backup(store: &dyn Store, file: &Path) -> Result<Loaded, StoreError> {
    let shown = file.display().to_string();
    let bad = |line: usize, why: String| StoreError::Corrupt(format!("{shown} line {line}: {why}"));
    let reader =
        File::open(file).map_err(|e| StoreError::Corrupt(format!("cannot read {shown}: {e}")))?;
    let mut lines = BufReader::new(reader).lines().enumerate();
    let header: Header = match lines.next() {
        Some((_, Ok(text))) => serde_json::from_str(&text)
            .map_err(|e| bad(1, format!("not a Lakeplan backup ({e})")))?,
        Some((_, Err(e))) => return Err(bad(1, e.to_string())),
        None => return Err(bad(1, "empty file, not a Lakeplan backup".into())),
    };
    if header.lakeplan_backup != FORMAT {
        return Err(bad(
            1,
            format!(
                "backup format {} (this lakeplan reads format {FORMAT})",
                header.lakeplan_backup
            ),
        ));
    }
    let schema = store.schema_version()?;
    if header.schema != schema {
        return Err(bad(
            1,
            format!(
                "a backup of schema {} taken {}; this store is at schema {schema}: restore it \
                 with the lakeplan that took it, then start this one on that store to upgrade it",
                header.schema, header.taken_at
            ),
        ));
    }
    let mut count = 0u64;
    let mut ended = false;
    let mut last = 1;
    let mut rows = std::iter::from_fn(|| loop {
        let Some((i, text)) = lines.next() else {
            if ended {
                return None;
            }
            return Some(Err(bad(
                last + 1,
                "the file ends before its end line: the backup is incomplete".into(),
            )));
        };
        let n = i + 1;
        last = n;
        let text = match text {
            Ok(t) => t,
            Err(e) => return Some(Err(bad(n, e.to_string()))),
        };
        if ended {
            return Some(Err(bad(n, "a line after the end line".into())));
        }
        match serde_json::from_str::<Line>(&text) {
            Ok(Line::Row { table, row }) => {
                let Some(t) = Table::named(&table) else {
                    return Some(Err(bad(
                        n,
                        format!("no table {table:?} is kept in backups"),
                    )));
                };
                count += 1;
                return Some(Ok((t, row)));
            }
            Ok(Line::End { end }) if end.rows == count => ended = true,
            Ok(Line::End { end }) => {
                return Some(Err(bad(
                    n,
                    format!(
                        "the end line counts {} rows, the file holds {count}",
                        end.rows
                    ),
                )))
            }
            Err(e) => return Some(Err(bad(n, e.to_string()))),
        }
    });
    store.import(&mut rows)
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// `12 scenarios, 40 versions, 3 users, …`: what a backup or restore moved.
fn summary(loaded: &Loaded) -> String {
    let count = |table: &str| {
        loaded
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    };
    let rows: u64 = loaded.iter().map(|(_, n)| n).sum();
    format!(
        "{} scenarios, {} versions, {} users, {} books, {} audit entries ({rows} rows)",
        count("scenarios"),
        count("scenario_versions"),
        count("users"),
        count("books"),
        count("audit_log")
    )
}
