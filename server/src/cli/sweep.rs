//! `lakeplan sweep SCENARIO.json --vary PATH=VALUES …`: one CSV row per combination of
//! the varied fields, with each combination's key figures, on stdout.
//!
//! The contract is `compute`'s: the rows and nothing else on stdout; on stderr one line
//! per problem, each naming the varied field and what it allows; the same exit statuses.
//! Every value is checked before the first row runs (`SweepPlan::new`), so a typo in the
//! tenth `--vary` fails at once, not after the first nine thousand rows. The rows come from
//! `lakeplan_models::whatif::sweep` (each combination's figures as its priced report
//! would give them, to the bit, computing only what a row shows), run on
//! every core the machine offers, and are printed in combination order once all are done
//! (a combination that fails prints nothing at all). A progress bar shows on stderr when
//! stderr is a terminal.

use std::io::{Read, Write};
use std::path::PathBuf;

use lakeplan_models::whatif::sweep::{parse_vary, parse_vary_csv, to_csv, Axis, SweepPlan};

use crate::cli::compute::{EXIT_INVALID, EXIT_IO};
use crate::sweep::{answer, combination, compute_rows};

/// The most combinations one command runs (10 000 take a few seconds on two cores).
pub const MAX_COMBINATIONS: u64 = 1_000_000;

/// The text `lakeplan sweep --help` ends with.
pub const SWEEP_HELP: &str = "\
Values:
  a..b:step   every step from a to b, both included (step 1 if left out): 5..20:1, 0.5..1:0.1
  a,b,c       a list; items are JSON when they read as JSON, else text: 40,50,64 or chain,fan_out
A --vary-file is CSV with one column per field path and one row per combination taken
together; its rows are crossed with the --vary fields, the file's rows changing slowest,
then each --vary in order.

Output: the varied values, peak_gbps, first_infeasible_month, ports_needed per path,
seed_days, enclosures per site at the end, total_cost_usd, usd_per_effective_tb_month.

Exit status:
  0  every row was printed on stdout
  1  the scenario, a field path or a value is invalid (each problem one line on stderr,
     naming the field and what it allows), or a combination is invalid as a whole
  2  a file cannot be read, the rows cannot be written, or the command line is wrong";

/// How the rows are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per combination.
    Csv,
    /// `{"paths": [...], "rows": [...]}`, the figures of each row by name.
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// The base scenario file (format 1); `-` reads it from stdin.
    #[arg(value_name = "SCENARIO.json")]
    pub scenario: PathBuf,
    /// A field to vary and its values, e.g. change.value=5..20:1 (repeat for more fields).
    #[arg(long = "vary", value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// A CSV file of combinations: a header of field paths, a row per combination.
    #[arg(long = "vary-file", value_name = "FILE.csv")]
    pub vary_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Threads to run rows on (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs the command and returns its exit status. Never panics: every failure becomes a
/// line on `stderr` and a status. `progress`: draw a progress bar on stderr (the caller
/// knows whether stderr is a terminal).
pub fn run(
    args: &SweepArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    progress: bool,
) -> u8 {
    let name = super::source_name(&args.scenario);
    let text = match super::read_scenario(&args.scenario, stdin) {
        Ok(text) => text,
        Err(reason) => {
            let _ = writeln!(stderr, "lakeplan: cannot read {name}: {reason}");
            return EXIT_IO;
        }
    };
    let base: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        // The model's parser words the error (with its line and column).
        Err(_) => {
            let e = lakeplan_models::scenario::Scenario::parse(&text)
                .err()
                .map_or_else(
                    || "scenario is not valid JSON".to_string(),
                    |e| e.to_string(),
                );
            let _ = writeln!(stderr, "{name}: {e}");
            return EXIT_INVALID;
        }
    };
    let mut axes = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    if let Some(file) = &args.vary_file {
        let file_name = file.display().to_string();
        match super::read_scenario(file, stdin) {
            Ok(text) => match parse_vary_csv(&text) {
                Ok(rows) => axes.push(Axis::Rows(rows)),
                Err(e) => problems.push(format!("{file_name}: {e}")),
            },
            Err(reason) => {
                let _ = writeln!(stderr, "lakeplan: cannot read {file_name}: {reason}");
                return EXIT_IO;
            }
        }
    }
    for arg in &args.vary {
        match parse_vary(arg) {
            Ok(v) => axes.push(Axis::Field(v)),
            Err(e) => problems.push(format!("--vary {e}")),
        }
    }
    // Every problem at once: those of the arguments that could not be read, then those
    // of the values that could.
    let planned = if axes.is_empty() && !problems.is_empty() {
        None
    } else {
        Some(SweepPlan::new(&base, axes, MAX_COMBINATIONS))
    };
    let plan = match planned {
        Some(Ok(plan)) if problems.is_empty() => plan,
        Some(Ok(_)) | None => {
            for p in problems {
                let _ = writeln!(stderr, "{p}");
            }
            return EXIT_INVALID;
        }
        Some(Err(errors)) => {
            for p in problems {
                let _ = writeln!(stderr, "{p}");
            }
            for e in &errors.0 {
                let _ = writeln!(stderr, "{name}: {e}");
            }
            return EXIT_INVALID;
        }
    };
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let bar = if progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(plan.len()),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} combinations, {eta} left")
        {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let rows = compute_rows(&plan, threads, &|| bar.inc(1));
    bar.finish_and_clear();
    let rows = match rows {
        Ok(rows) => rows,
        Err((i, errors)) => {
            let values = combination(&plan, i);
            for e in &errors.0 {
                let _ = writeln!(stderr, "{name}: combination {} ({}): {e}", i + 1, values);
            }
            return EXIT_INVALID;
        }
    };
    let out = match args.format {
        Format::Csv => Ok(to_csv(plan.paths(), &rows)),
        Format::Json => serde_json::to_string_pretty(&answer(&plan, rows)).map(|j| j + "\n"),
    };
    super::write_output(out, "the rows", stdout, stderr)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::cli::compute::EXIT_OK;

    fn run_on(input: &str, vary: &[&str]) -> (u8, String, String) {
        let args = SweepArgs {
            scenario: "-".into(),
            vary: vary.iter().map(|s| s.to_string()).collect(),
            vary_file: None,
            format: Format::Csv,
            threads: Some(2),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut input.as_bytes(), &mut out, &mut err, false);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn rows_come_in_combination_order_whatever_thread_ran_them() {
        let json = lakeplan_models::presets::all()[0].json;
        let (code, out, err) = run_on(json, &["change.value=1..40", "links.cloud.ports=40,64"]);
        assert_eq!((code, err.as_str()), (EXIT_OK, ""));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 81);
        for (i, line) in lines[1..].iter().enumerate() {
            let value = (i / 2 + 1).to_string();
            let ports = if i % 2 == 0 { "40" } else { "64" };
            assert!(
                line.starts_with(&format!("{value},{ports},")),
                "{i}: {line}"
            );
        }
    }

    #[test]
    fn a_combination_wrong_as_a_whole_prints_nothing() {
        let json = lakeplan_models::presets::all()[0].json;
        let (code, out, err) = run_on(json, &["sites[0].name=A,B", "sites[1].name=B,C"]);
        assert_eq!(code, EXIT_INVALID);
        assert_eq!(out, "");
        assert!(
            err.starts_with(
                "<stdin>: combination 3 (sites[0].name=\"B\", sites[1].name=\"B\"): sites[1].name"
            ),
            "{err}"
        );
    }
}
