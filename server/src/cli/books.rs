//! `lakeplan books list|import|publish|retire|diff`: the pricing team's price books from
//! the command line, on the same data directory as `lakeplan serve` (and while it runs).
//!
//! `import` checks a file exactly as `POST /api/price-books` does (`books::check_upload`):
//! every problem on stderr, one line each (`FILE:LINE: column COLUMN ("VALUE"): why`), and
//! nothing stored when any is wrong. Whoever runs the command can write the data directory,
//! so the actor in the audit log is `cli`.

use std::io::Write;
use std::path::PathBuf;

use lakeplan_models::library::{Builtin, Library};
use lakeplan_models::price_book::{diff, PriceBook};
use lakeplan_store::{BookId, BookInfo, BookKind, BookStatus, BookStore, SqliteStore};

use super::users::{audit, open, StoreArgs};
use crate::api::AppError;
use crate::books::check_upload;

/// The text `lakeplan books … --help` ends with.
pub const EXIT_HELP: &str = "Exit status: 0 done; 1 refused (a problem in the file or a field, \
                             a book that is not there or not in the right status), each reason \
                             a line on stderr; 2 a file or the store could not be read or written.";

#[derive(clap::Subcommand, Debug)]
pub enum BooksCommand {
    /// List the stored books (newest first) and the built-in ones.
    #[command(after_help = EXIT_HELP)]
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Check a CSV file (the format of data/price-books/) and store it as a draft.
    #[command(after_help = EXIT_HELP)]
    Import {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// The book's name, 1 to 80 characters.
        #[arg(long)]
        name: String,
        /// The day it takes effect once published, YYYY-MM-DD.
        #[arg(long)]
        effective_from: String,
        /// A note for reviewers, up to 2000 characters.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Publish a draft: everyone sees it, and from its day it prices new scenarios.
    #[command(after_help = EXIT_HELP)]
    Publish {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Retire a published book: it still prices the scenarios pinned to it.
    #[command(after_help = EXIT_HELP)]
    Retire {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// What differs between two books (built-in or stored ids, or CSV files): one line per
    /// changed cell, added row and removed row.
    #[command(after_help = EXIT_HELP)]
    Diff {
        from: String,
        to: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

type Failure = (u8, Vec<String>);

/// Runs one `books` command; the exit status.
pub fn run(command: BooksCommand, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match execute(command, stdout) {
        Ok(()) => 0,
        Err((code, lines)) => {
            for line in lines {
                let _ = writeln!(stderr, "lakeplan books: {line}");
            }
            code
        }
    }
}

fn broken(e: impl ToString) -> Failure {
    (2, vec![e.to_string()])
}

fn execute(command: BooksCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        BooksCommand::List { store } => {
            let store = open(&store).map_err(broken)?;
            for b in store.books(BookKind::Price).map_err(broken)? {
                let _ = writeln!(stdout, "{}", line_of(&b));
            }
            for id in Builtin.ids().into_iter().rev() {
                let rows = Builtin.book(id).map_or(0, |b| b.rows().len());
                let _ = writeln!(
                    stdout,
                    "{id}\tpublished\t{id}-01\t{rows} rows\tBuilt-in {id}\tlakeplan"
                );
            }
            Ok(())
        }
        BooksCommand::Import {
            file,
            name,
            effective_from,
            note,
            store,
        } => {
            let shown = file.display().to_string();
            let text = super::read_scenario(&file, &mut std::io::empty())
                .map_err(|e| broken(format!("cannot read {shown}: {e}")))?;
            let new = check_upload(&name, &effective_from, &note, "cli".into(), &shown, text)
                .map_err(|e| refused(&shown, e))?;
            let store = open(&store).map_err(broken)?;
            let made = store.create_book(&new).map_err(broken)?;
            audit(
                &store,
                "book.upload",
                format!("book:{} ({})", made.id, made.name),
            );
            let _ = writeln!(stdout, "{}", line_of(&made));
            Ok(())
        }
        BooksCommand::Publish { id, store } => {
            advance(&id, &store, BookStatus::Draft, "book.publish", stdout)
        }
        BooksCommand::Retire { id, store } => {
            advance(&id, &store, BookStatus::Published, "book.retire", stdout)
        }
        BooksCommand::Diff { from, to, store } => {
            let store = open(&store).map_err(broken)?;
            let (a, b) = (book(&store, &from)?, book(&store, &to)?);
            let d = diff(&a, &b);
            for c in &d.changed {
                let _ = writeln!(
                    stdout,
                    "changed\t{}\t{}\t{}\t{}",
                    c.id, c.column, c.from, c.to
                );
            }
            for r in &d.added {
                let _ = writeln!(stdout, "added\t{}", r.id);
            }
            for r in &d.removed {
                let _ = writeln!(stdout, "removed\t{}", r.id);
            }
            Ok(())
        }
    }
}

fn advance(
    id: &str,
    store: &StoreArgs,
    from: BookStatus,
    action: &str,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let key: BookId = id
        .parse()
        .map_err(|e: lakeplan_store::BookIdError| (1, vec![e.to_string()]))?;
    let store = open(store).map_err(broken)?;
    match store.advance_book(&key, from) {
        Ok(b) => {
            audit(&store, action, format!("book:{id}"));
            let _ = writeln!(stdout, "{}", line_of(&b));
            Ok(())
        }
        Err(
            e @ (lakeplan_store::StoreError::NoBook { .. }
            | lakeplan_store::StoreError::BookStatus { .. }),
        ) => Err((1, vec![e.to_string()])),
        Err(e) => Err(broken(e)),
    }
}

/// A book by built-in id, stored id or CSV file.
fn book(store: &SqliteStore, which: &str) -> Result<PriceBook, Failure> {
    if let Ok(b) = Builtin.book(which) {
        return Ok(b.clone());
    }
    if let Ok(id) = which.parse::<BookId>() {
        let (_, csv) = store.book(&id).map_err(|e| (1, vec![e.to_string()]))?;
        return PriceBook::parse(which, which, &csv).map_err(broken);
    }
    let path = PathBuf::from(which);
    if path.is_file() {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| broken(format!("cannot read {which}: {e}")))?;
        return PriceBook::check(which, which, &text).map_err(|errors| {
            (
                1,
                errors.iter().map(|e| line(which, &e.problem())).collect(),
            )
        });
    }
    Err((
        1,
        vec![format!(
            "\"{which}\" is neither a book ({}, or a stored pb-… id) nor a file",
            Builtin.ids().join(", ")
        )],
    ))
}

/// The problems of a refused import, one line each.
fn refused(file: &str, e: AppError) -> Failure {
    match e {
        AppError::InvalidBook { errors } => (1, errors.iter().map(|p| line(file, p)).collect()),
        AppError::Invalid { errors } => (
            1,
            errors
                .iter()
                .map(|f| format!("--{}: {}", f.path.replace('_', "-"), f.message))
                .collect(),
        ),
        other => broken(other),
    }
}

/// `FILE:LINE: column COLUMN ("VALUE"): why`.
pub(crate) fn line(file: &str, p: &lakeplan_models::price_book::Problem) -> String {
    let at = p.line.map_or(String::new(), |l| format!(":{l}"));
    let column = if p.column.is_empty() {
        String::new()
    } else if p.value.is_empty() {
        format!(" column {}:", p.column)
    } else {
        format!(" column {} (\"{}\"):", p.column, p.value)
    };
    format!("{file}{at}:{column} {}", p.message)
}

/// `id  status  effective_from  N rows  name  made_by`.
fn line_of(b: &BookInfo) -> String {
    format!(
        "{}\t{}\t{}\t{} rows\t{}\t{}",
        b.id, b.status, b.effective_from, b.rows, b.name, b.made_by
    )
}
