//! `lakeplan compute SCENARIO.json`: the report of a scenario file, on stdout.
//!
//! Scripts rely on this, so its contract is narrow (the ripgrep habit): the report and
//! nothing else on stdout; on stderr one line per problem, each naming the file and the
//! scenario field (`FILE: lake.initial_pb must be > 0, got -5`); and an exit status that
//! says which kind of failure it was. The figures come from
//! `lakeplan_models::report::compute_priced`, the same call the page and the API make.

use std::io::{Read, Write};
use std::path::PathBuf;

use std::sync::Arc;

use lakeplan_models::library::{Builtin, Library, Shelf};
use lakeplan_models::price_book::{Catalog, PriceBook, PriceBookError};
use lakeplan_models::report::{compute_priced_in, to_csv};
use lakeplan_models::scenario::Scenario;

/// The report was written.
pub const EXIT_OK: u8 = 0;
/// The scenario is invalid or cannot be priced; every problem is on stderr.
pub const EXIT_INVALID: u8 = 1;
/// The file could not be read or the report not written (clap uses 2 for usage errors
/// too, so every "could not even start" failure shares it).
pub const EXIT_IO: u8 = 2;

/// The text `lakeplan compute --help` ends with.
pub const EXIT_HELP: &str = "\
Exit status:
  0  the report was printed on stdout
  1  the scenario is invalid or cannot be priced; each problem is one line on stderr,
     FILE: FIELD MESSAGE (e.g. scenario.json: lake.initial_pb must be > 0, got -5)
  2  the file cannot be read, the report cannot be written, or the command line is wrong";

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The report file of spec/scenario.md, pretty-printed.
    Json,
    /// The same figures as CSV: one row per month, then the summary and the price rows.
    Csv,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ComputeArgs {
    /// The scenario file (format 1); `-` reads it from stdin.
    #[arg(value_name = "SCENARIO.json")]
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Price with this price-book file (the format of data/price-books/), whatever book
    /// the scenario names; the report names it `file:<stem>`. Checked as an upload is.
    #[arg(long, value_name = "FILE.csv")]
    pub book: Option<PathBuf>,
    /// Match the hardware in this catalog file (the format of data/catalog/hardware.csv),
    /// whatever catalog the scenario names; checked as an upload is.
    #[arg(long, value_name = "FILE.csv")]
    pub catalog: Option<PathBuf>,
}

/// Runs the command and returns its exit status. Never panics: every failure becomes a
/// line on `stderr` and a status.
pub fn run(
    args: &ComputeArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let name = super::source_name(&args.scenario);
    let text = match super::read_scenario(&args.scenario, stdin) {
        Ok(text) => text,
        Err(reason) => {
            // If stderr itself is gone there is nobody left to tell.
            let _ = writeln!(stderr, "lakeplan: cannot read {name}: {reason}");
            return EXIT_IO;
        }
    };
    let files = (|| {
        let book = args.book.as_deref().map(read_book).transpose()?;
        let catalog = args.catalog.as_deref().map(read_catalog).transpose()?;
        Ok((book, catalog))
    })();
    let (book, catalog) = match files {
        Ok(files) => files,
        Err((code, lines)) => {
            for line in lines {
                let _ = writeln!(stderr, "lakeplan: {line}");
            }
            return code;
        }
    };
    let report = Scenario::parse(&text).and_then(|mut s| {
        let mut shelf = Shelf::default();
        if let Some((b, id)) = &book {
            shelf = shelf.with(b.clone());
            s.pricing.price_book = id.clone();
        }
        if let Some((c, id)) = &catalog {
            shelf = shelf.with_catalog(c.clone());
            s.pricing.catalog = id.clone();
        }
        compute_priced_in(&shelf, &s)
    });
    let report = match report {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors.0 {
                let _ = writeln!(stderr, "{name}: {e}");
            }
            return EXIT_INVALID;
        }
    };
    let out = match args.format {
        Format::Csv => Ok(to_csv(&report)),
        Format::Json => serde_json::to_string_pretty(&report).map(|j| j + "\n"),
    };
    super::write_output(out, "the report", stdout, stderr)
}

type Refusal = (u8, Vec<String>);

/// A file's text, its name as shown and the id its contents get (`file:<stem>`).
fn read_file(path: &std::path::Path) -> Result<(String, String, String), Refusal> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| (EXIT_IO, vec![format!("cannot read {shown}: {e}")]))?;
    let stem = path
        .file_stem()
        .map_or("file".into(), |s| s.to_string_lossy());
    Ok((text, format!("file:{stem}"), shown))
}

/// Every problem of a file, one line each (exit 1).
fn refused(shown: &str, errors: Vec<PriceBookError>) -> Refusal {
    let problems = lakeplan_api::books::problems(&errors);
    (
        EXIT_INVALID,
        problems
            .iter()
            .map(|p| super::books::line(shown, p))
            .collect(),
    )
}

/// A price-book file and its id (`file:<stem>`): every problem of the file and every row
/// it lacks, one line each (exit 1), or why it cannot be read (exit 2).
fn read_book(path: &std::path::Path) -> Result<(Arc<PriceBook>, String), Refusal> {
    let (text, id, shown) = read_file(path)?;
    let book = PriceBook::check(&id, &shown, &text).map_err(|e| refused(&shown, e))?;
    let model = Builtin.book(Builtin.newest()).map_err(|e| {
        (
            EXIT_IO,
            vec![format!("the built-in book does not read: {e}")],
        )
    })?;
    let missing = book.missing(&shown, model);
    if !missing.is_empty() {
        return Err(refused(&shown, missing));
    }
    Ok((Arc::new(book), id))
}

/// A hardware-catalog file and its id (`file:<stem>`), checked as an upload is.
fn read_catalog(path: &std::path::Path) -> Result<(Arc<Catalog>, String), Refusal> {
    let (text, id, shown) = read_file(path)?;
    let catalog = Catalog::check(&id, &shown, &text).map_err(|e| refused(&shown, e))?;
    Ok((Arc::new(catalog), id))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io;

    fn run_on(input: &str, format: Format) -> (u8, String, String) {
        let args = ComputeArgs {
            scenario: "-".into(),
            format,
            book: None,
            catalog: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut input.as_bytes(), &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn stdin_is_named_in_errors() {
        let (code, out, err) = run_on("{", Format::Json);
        assert_eq!((code, out.as_str()), (EXIT_INVALID, ""));
        assert!(
            err.starts_with("<stdin>: scenario is not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn bytes_that_are_not_text_cannot_be_read() {
        let args = ComputeArgs {
            scenario: "-".into(),
            format: Format::Json,
            book: None,
            catalog: None,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut &[b'{', 0xff, b'}'][..], &mut out, &mut err);
        assert_eq!(code, EXIT_IO);
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "lakeplan: cannot read <stdin>: not UTF-8 text (invalid byte at offset 1)\n"
        );
    }

    /// A closed pipe downstream ends the command quietly, like `cat`.
    #[test]
    fn a_closed_pipe_is_not_an_error() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let args = ComputeArgs {
            scenario: "-".into(),
            format: Format::Csv,
            book: None,
            catalog: None,
        };
        let json = lakeplan_models::presets::all()[0].json;
        let mut err = Vec::new();
        let code = run(&args, &mut json.as_bytes(), &mut Closed, &mut err);
        assert_eq!((code, err.len()), (EXIT_OK, 0));
    }
}
