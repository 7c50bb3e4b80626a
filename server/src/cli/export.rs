//! `lakeplan export SCENARIO.json --pdf OUT.pdf [--csv OUT.csv]`: the proposal PDF (and
//! the report's CSV) of a scenario file, written to files.
//!
//! The same contract as `compute` (see `compute.rs`): on stderr one line per problem,
//! each naming the file and the scenario field; exit 1 for a scenario that is invalid or
//! cannot be priced, 2 for anything that stopped the command from reading or writing.
//! Quiet on success. A file is written whole or not at all: the bytes go to a temporary
//! file beside the target, which is renamed over it only once complete, so a full disk
//! or a killed process never leaves a half-written PDF where the old one was.

use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use lakeplan_models::calendar::Date;
use lakeplan_models::report::{compute_priced, to_csv};
use lakeplan_models::scenario::Scenario;
use lakeplan_pdf::{proposal, ProposalInput};

use super::compute::{EXIT_INVALID, EXIT_IO, EXIT_OK};
use super::{read_scenario, source_name};
use crate::date::today;

/// The text `lakeplan export --help` ends with.
pub const EXIT_HELP: &str = "\
Exit status:
  0  every file asked for was written
  1  the scenario is invalid or cannot be priced; each problem is one line on stderr,
     FILE: FIELD MESSAGE (e.g. scenario.json: lake.initial_pb must be > 0, got -5)
  2  the scenario cannot be read, a file cannot be written (an existing file is then left
     as it was), or the command line is wrong";

#[derive(Debug, Clone, clap::Args)]
#[command(group(
    clap::ArgGroup::new("outputs")
        .required(true)
        .multiple(true)
        .args(["pdf", "csv"])
))]
pub struct ExportArgs {
    /// The scenario file (format 1); `-` reads it from stdin.
    #[arg(value_name = "SCENARIO.json")]
    pub scenario: PathBuf,
    /// Write the proposal PDF to this file.
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<PathBuf>,
    /// Write the report as CSV to this file (the same as `compute --format csv`).
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
    /// Who prepared the proposal, for its title block and metadata.
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// The proposal's date; today (UTC) when not given.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::parse)]
    pub date: Option<Date>,
    /// A link back to the scenario, printed and clickable in the title block.
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
}

/// Runs the command and returns its exit status. Never panics: every failure becomes a
/// line on `stderr` and a status.
pub fn run(args: &ExportArgs, stdin: &mut dyn Read, stderr: &mut dyn Write) -> u8 {
    let name = source_name(&args.scenario);
    let text = match read_scenario(&args.scenario, stdin) {
        Ok(text) => text,
        Err(reason) => {
            let _ = writeln!(stderr, "lakeplan: cannot read {name}: {reason}");
            return EXIT_IO;
        }
    };
    let parsed = Scenario::parse(&text).and_then(|s| compute_priced(&s).map(|r| (s, r)));
    let (scenario, report) = match parsed {
        Ok(pair) => pair,
        Err(errors) => {
            for e in &errors.0 {
                let _ = writeln!(stderr, "{name}: {e}");
            }
            return EXIT_INVALID;
        }
    };
    if let Some(path) = &args.csv {
        if let Err(e) = write_whole(path, to_csv(&report).as_bytes()) {
            let _ = writeln!(stderr, "lakeplan: cannot write {}: {e}", path.display());
            return EXIT_IO;
        }
    }
    if let Some(path) = &args.pdf {
        let input = ProposalInput {
            scenario: &scenario,
            report: &report,
            author: args.author.as_deref(),
            date: args.date.unwrap_or_else(today),
            link: args.link.as_deref(),
        };
        let pdf = match proposal(&input) {
            Ok(bytes) => bytes,
            Err(e) => {
                let _ = writeln!(stderr, "lakeplan: cannot make the PDF: {e}");
                return EXIT_IO;
            }
        };
        if let Err(e) = write_whole(path, &pdf) {
            let _ = writeln!(stderr, "lakeplan: cannot write {}: {e}", path.display());
            return EXIT_IO;
        }
    }
    EXIT_OK
}

/// Writes `bytes` to `path` whole or not at all.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_with(path, |file| file.write_all(bytes))
}

/// Fills a temporary file beside `path` with `fill`, flushes it to disk and renames it
/// over `path`; on any failure the temporary file is removed and `path` is untouched.
/// Beside, not in /tmp: a rename is atomic only within one file system.
fn replace_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = dir.join(format!(
        ".{}.{}.part",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        fill(&mut file)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, b"the old proposal").unwrap();
        let e = replace_with(&path, |f| {
            f.write_all(b"%PDF-1.7 half of a new one")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), b"the old proposal");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn a_complete_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, b"old").unwrap();
        write_whole(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
