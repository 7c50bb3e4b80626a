//! `lakeplan books list|import|publish|retire|diff`: the pricing team's price books from
//! the command line, on the same data directory as `lakeplan serve` (and while it runs);
//! `lakeplan catalogs …` the same for hardware catalogs.
//!
//! `import` checks a file exactly as `POST /api/price-books` (or
//! `/api/hardware-catalogs`) does (`books::check_upload`):
//! every problem on stderr, one line each (`FILE:LINE: column COLUMN ("VALUE"): why`), and
//! nothing stored when any is wrong. Whoever runs the command can write the data directory,
//! so the actor in the audit log is `cli`.

use std::io::Write;
use std::path::PathBuf;

use lakeplan_api::paths::Sheet;
use lakeplan_models::library::{Builtin, Library};
use lakeplan_models::price_book::{
    diff, diff_catalogs, BookDiff, Catalog, PriceBook, PriceBookError,
};
use lakeplan_store::{BookId, BookInfo, BookStatus, Store};

use super::users::{audit, open, StoreArgs};
use crate::api::AppError;
use crate::books::{check_upload, kind_of};

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
    /// Check a CSV file (the format of data/price-books/, or data/catalog/hardware.csv for
    /// a catalog) and store it as a draft.
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

/// Runs one `books` (or `catalogs`) command; the exit status.
pub fn run(
    sheet: Sheet,
    command: BooksCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match execute(sheet, command, stdout) {
        Ok(()) => 0,
        Err((code, lines)) => {
            let name = match sheet {
                Sheet::PriceBook => "books",
                Sheet::Catalog => "catalogs",
            };
            for line in lines {
                let _ = writeln!(stderr, "lakeplan {name}: {line}");
            }
            code
        }
    }
}

fn broken(e: impl ToString) -> Failure {
    (2, vec![e.to_string()])
}

fn execute(sheet: Sheet, command: BooksCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        BooksCommand::List { store } => {
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            for b in store.books(kind_of(sheet)).map_err(broken)? {
                let _ = writeln!(stdout, "{}", line_of(&b));
            }
            let builtin = match sheet {
                Sheet::PriceBook => Builtin.ids(),
                Sheet::Catalog => vec![Builtin.newest_catalog()],
            };
            for id in builtin.into_iter().rev() {
                let rows = Builtin.book(id).map_or(0, |b| b.rows().len());
                let rows = match sheet {
                    Sheet::PriceBook => rows,
                    Sheet::Catalog => Builtin
                        .catalog(id)
                        .map_or(0, |c| c.enclosures.len() + c.nodes.len()),
                };
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
            let new = check_upload(
                sheet,
                &name,
                &effective_from,
                &note,
                "cli".into(),
                &shown,
                text,
            )
            .map_err(|e| refused(&shown, e))?;
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            let made = store.create_book(&new).map_err(broken)?;
            audit(
                store,
                "book.upload",
                format!("book:{} ({})", made.id, made.name),
            );
            let _ = writeln!(stdout, "{}", line_of(&made));
            Ok(())
        }
        BooksCommand::Publish { id, store } => {
            advance(sheet, &id, &store, BookStatus::Draft, stdout)
        }
        BooksCommand::Retire { id, store } => {
            advance(sheet, &id, &store, BookStatus::Published, stdout)
        }
        BooksCommand::Diff { from, to, store } => {
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            let d: BookDiff = match sheet {
                Sheet::PriceBook => diff(&book(store, &from)?, &book(store, &to)?),
                Sheet::Catalog => diff_catalogs(&catalog(store, &from)?, &catalog(store, &to)?),
            };
            for c in &d.changed {
                let _ = writeln!(
                    stdout,
                    "changed\t{}\t{}\t{}\t{}",
                    c.id, c.column, c.from, c.to
                );
            }
            let id = |r: &[(&str, String)]| r.first().map(|(_, v)| v.clone()).unwrap_or_default();
            for r in &d.added {
                let _ = writeln!(stdout, "added\t{}", id(r));
            }
            for r in &d.removed {
                let _ = writeln!(stdout, "removed\t{}", id(r));
            }
            Ok(())
        }
    }
}

fn advance(
    sheet: Sheet,
    id: &str,
    store: &StoreArgs,
    from: BookStatus,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let key: BookId = id
        .parse()
        .map_err(|e: lakeplan_store::BookIdError| (1, vec![e.to_string()]))?;
    if key.kind() != kind_of(sheet) {
        return Err((1, vec![format!("{id} is not a stored {}", sheet.noun())]));
    }
    let action = match (sheet, from) {
        (Sheet::PriceBook, BookStatus::Draft) => "book.publish",
        (Sheet::PriceBook, _) => "book.retire",
        (Sheet::Catalog, BookStatus::Draft) => "catalog.publish",
        (Sheet::Catalog, _) => "catalog.retire",
    };
    let opened = open(store).map_err(broken)?;
    let store = opened.as_ref();
    match store.advance_book(&key, from) {
        Ok(b) => {
            audit(store, action, format!("book:{id}"));
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
fn book(store: &dyn Store, which: &str) -> Result<PriceBook, Failure> {
    if let Ok(b) = Builtin.book(which) {
        return Ok(b.clone());
    }
    let ids = Builtin.ids().join(", ");
    let known = format!("a book ({ids}, or a stored pb-… id)");
    sheet_of(store, which, &known, PriceBook::parse, PriceBook::check)
}

/// A catalog by built-in id, stored id or CSV file.
fn catalog(store: &dyn Store, which: &str) -> Result<Catalog, Failure> {
    if let Ok(c) = Builtin.catalog(which) {
        return Ok(c.clone());
    }
    let known = format!(
        "a catalog ({}, or a stored hw-… id)",
        Builtin.newest_catalog()
    );
    sheet_of(store, which, &known, Catalog::parse, Catalog::check)
}

/// A stored book or catalog by id, or one read from a CSV file; `known` says what else
/// `which` could have named.
fn sheet_of<T>(
    store: &dyn Store,
    which: &str,
    known: &str,
    parse: fn(&str, &str, &str) -> Result<T, PriceBookError>,
    check: fn(&str, &str, &str) -> Result<T, Vec<PriceBookError>>,
) -> Result<T, Failure> {
    if let Ok(id) = which.parse::<BookId>() {
        let (_, csv) = store.book(&id).map_err(|e| (1, vec![e.to_string()]))?;
        return parse(which, which, &csv).map_err(broken);
    }
    let path = PathBuf::from(which);
    if path.is_file() {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| broken(format!("cannot read {which}: {e}")))?;
        return check(which, which, &text).map_err(|errors| {
            (
                1,
                errors.iter().map(|e| line(which, &e.problem())).collect(),
            )
        });
    }
    Err((
        1,
        vec![format!("\"{which}\" is neither {known} nor a file")],
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
