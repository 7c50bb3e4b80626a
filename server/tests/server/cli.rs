//! The built `lakeplan` binary as a script would run it: stdout, stderr and exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use lakeplan_models::presets::REFERENCE;
use lakeplan_models::report::compute_priced;
use lakeplan_models::scenario::Scenario;
use serde_json::Value;

fn lakeplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lakeplan"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lakeplan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("the binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn preset(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data/presets")
        .join(format!("{id}.json"))
}

/// A scenario file in a temporary folder, named so messages can be checked.
fn scenario_file(contents: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scenario.json");
    std::fs::write(&path, contents).expect("written");
    let name = path.to_str().expect("UTF-8 path").to_string();
    (dir, name)
}

fn reference_text() -> String {
    std::fs::read_to_string(preset(REFERENCE)).expect("reference preset")
}

/// serde_json's default float parser may be one unit in the last place off; the CLI's
/// output itself is exact (the CSV test below compares it bit for bit).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs())
}

#[test]
fn help_lists_every_subcommand_and_the_exit_statuses() {
    let out = lakeplan(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "serve", "compute", "export", "sweep", "users", "books", "catalogs", "backup",
            "restore", "help"
        ],
        "{help}"
    );
    let out = lakeplan(&["compute", "--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("Exit status:"), "{help}");
    for code in ["  0  ", "  1  ", "  2  "] {
        assert!(help.contains(code), "{help}");
    }
}

#[test]
fn the_reference_preset_prints_the_report_as_json() {
    let path = preset(REFERENCE);
    let out = lakeplan(&["compute", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report["format"], 1);
    assert_eq!(report["price_book"], "2026-11");
    let m = &report["months"][0];
    // 45 PB a day: 4 166.666… Gbps.
    let sustained = m["sustained_gbps"].as_f64().expect("number");
    assert!(
        (sustained - 45e15 * 8.0 / 86_400.0 / 1e9).abs() < 1e-9,
        "{sustained}"
    );
    assert!((sustained - 4166.667).abs() < 5e-4, "{sustained}");
    let egress = m["egress_usd"].as_f64().expect("number");
    assert!((egress - 25_983_899.83).abs() < 0.005, "{egress}");
    assert_eq!(m["paths"][0]["ports_needed"], 53);
    assert_eq!(m["sites"][0]["enclosures"], 388);
    assert_eq!(report["summary"]["first_infeasible_month"], "2026-01");
    assert_eq!(report["summary"]["seed_days"], Value::Null);
    assert!(report["assumptions"]["needs_override"]
        .as_array()
        .expect("list")
        .iter()
        .any(|id| id == "licence.core-plus-capacity.core"));
    // Pretty-printed, one value per line.
    assert!(text(&out.stdout).starts_with("{\n  \"format\": 1,\n"));
}

#[test]
fn stdin_reads_a_scenario() {
    let out = with_stdin(&["compute", "-"], &reference_text());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["months"].as_array().map(Vec::len), Some(48));
}

/// The CSV holds the same figures: bit for bit the model's, and the JSON's.
#[test]
fn csv_parses_back_to_the_same_numbers() {
    let path = preset(REFERENCE);
    let path = path.to_str().expect("path");
    let csv_out = lakeplan(&["compute", path, "--format", "csv"]);
    assert_eq!(csv_out.status.code(), Some(0), "{}", text(&csv_out.stderr));
    let json_out = lakeplan(&["compute", path, "--format", "json"]);
    let json: Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let model =
        compute_priced(&Scenario::parse(&reference_text()).expect("valid")).expect("priced");

    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_out.stdout.as_slice());
    let headers = rd.headers().expect("header").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("record")).collect();
    let number =
        |row: &csv::StringRecord, name: &str| -> f64 { row[col(name)].parse().expect("a number") };
    assert!(rows.len() > model.months.len());
    for (i, (row, m)) in rows.iter().zip(&model.months).enumerate() {
        assert_eq!(&row[col("month")], m.month.to_string());
        let j = &json["months"][i];
        for (name, exact) in [
            ("sustained_gbps", m.sustained_gbps),
            ("egress_gib", m.egress_gib),
            ("egress_usd", m.egress_usd),
            ("cost_total_usd", m.cost_usd.total),
            ("cumulative_usd", m.cumulative_usd),
        ] {
            let from_csv = number(row, name);
            assert_eq!(from_csv, exact, "{name} in month {i}");
            let json_name = match name {
                "cost_total_usd" => j["cost_usd"]["total"].as_f64(),
                _ => j[name].as_f64(),
            }
            .expect("a JSON number");
            assert!(close(from_csv, json_name), "{name} in month {i}");
        }
        assert_eq!(
            number(row, "cloud → Region 1 utilization"),
            m.paths[0].utilization
        );
        assert_eq!(
            row[col("Region 2 enclosures")]
                .parse::<u64>()
                .expect("count"),
            m.sites[1].enclosures
        );
    }
    let total = rows
        .iter()
        .find(|r| &r[0] == "total_cost_usd")
        .expect("a total_cost_usd row");
    assert_eq!(
        total[1].parse::<f64>().expect("number"),
        model.summary.total_cost_usd
    );
    assert!(rows
        .iter()
        .any(|r| &r[0] == "gcp.interconnect.egress.na" && &r[1] == "0.02"));
}

#[test]
fn an_invalid_scenario_lists_every_error_with_the_file_and_exits_1() {
    let bad = reference_text()
        .replace("\"initial_pb\": 450", "\"initial_pb\": -5")
        .replace("\"value\": 10", "\"value\": 150");
    let (_dir, path) = scenario_file(&bad);
    let out = lakeplan(&["compute", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.contains(&format!("{path}: lake.initial_pb must be > 0, got -5").as_str()),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{path}: change.value must be"))),
        "{err}"
    );
    assert!(lines.iter().all(|l| l.starts_with(&format!("{path}: "))));
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_scenario_the_book_cannot_price_names_the_field() {
    let bad = reference_text()
        .replace("\"core-plus-capacity\"", "\"per-socket\"")
        .replace("\"us-central1\"", "\"mars-1\"");
    let (_dir, path) = scenario_file(&bad);
    let out = lakeplan(&["compute", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("{path}: source.region must be a gcp region")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{path}: pricing.plan must be a licence plan of price book 2026-11 \
             (capacity-only, core-plus-capacity), got \"per-socket\"\n"
        )),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nope.json");
    let path = path.to_str().expect("path");
    let out = lakeplan(&["compute", path]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("lakeplan: cannot read {path}: ")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // A folder cannot be read as a file either.
    let out = lakeplan(&["compute", dir.path().to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_json_gives_its_line() {
    let (_dir, path) = scenario_file("{\n  \"format\": 1,\n  \"name\": \"x\",,\n}\n");
    let out = lakeplan(&["compute", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("{path}: scenario is not valid JSON: ")),
        "{err}"
    );
    assert!(err.contains("(line 3, column"), "{err}");
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let bad = reference_text().replace("\"curve\"", "\"colour\": 1,\n    \"curve\"");
    let line = bad
        .lines()
        .position(|l| l.contains("colour"))
        .expect("inserted")
        + 1;
    let (_dir, path) = scenario_file(&bad);
    let out = lakeplan(&["compute", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "{path}: lake.colour is not a known field (line {line}); lake has: "
        )),
        "{err}"
    );
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let path = preset(REFERENCE);
    let out = lakeplan(&["compute", path.to_str().expect("path"), "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("'xml'") && err.contains("json, csv"), "{err}");
    // No file at all is a usage error too.
    assert_eq!(lakeplan(&["compute"]).status.code(), Some(2));
}

/// Whatever the input, the binary answers with a status and a message, never a panic.
#[test]
fn odd_inputs_never_panic() {
    for input in ["", "null", "[]", "42", "{}", "\u{feff}{}", "{\"sites\": 5}"] {
        let out = with_stdin(&["compute", "-"], input);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{input:?}: {err}");
        assert!(err.starts_with("<stdin>: "), "{input:?}: {err}");
        assert!(!err.contains("panicked"), "{input:?}: {err}");
    }
}

#[test]
fn every_preset_computes() {
    for p in lakeplan_models::presets::all() {
        let path = preset(p.id);
        let out = lakeplan(&["compute", path.to_str().expect("path"), "--format", "csv"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            p.id,
            text(&out.stderr)
        );
    }
}

// `lakeplan export`

/// The files in `dir`, by name, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn export_writes_the_pdf_and_the_same_csv_as_compute() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("proposal.pdf");
    let csv = dir.path().join("report.csv");
    // An old proposal is replaced.
    std::fs::write(&pdf, b"old").expect("written");
    let path = preset(REFERENCE);
    let out = lakeplan(&[
        "export",
        path.to_str().expect("path"),
        "--pdf",
        pdf.to_str().expect("path"),
        "--csv",
        csv.to_str().expect("path"),
        "--author",
        "A. Planner",
        "--date",
        "2026-11-24",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(text(&out.stdout), "");
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() > 20_000, "{} bytes", bytes.len());
    let tail = String::from_utf8_lossy(&bytes[bytes.len() - 16..]).to_string();
    assert!(tail.contains("%%EOF"), "{tail:?}");
    let computed = lakeplan(&["compute", path.to_str().expect("path"), "--format", "csv"]);
    assert_eq!(std::fs::read(&csv).expect("the CSV"), computed.stdout);
    // No temporary file is left behind.
    assert_eq!(files_in(dir.path()), ["proposal.pdf", "report.csv"]);
    // The same input and date give the same bytes.
    let again = dir.path().join("again.pdf");
    let out = lakeplan(&[
        "export",
        path.to_str().expect("path"),
        "--pdf",
        again.to_str().expect("path"),
        "--author",
        "A. Planner",
        "--date",
        "2026-11-24",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&again).expect("again"), bytes);
}

#[test]
fn export_reads_stdin_and_dates_the_proposal_today() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("p.pdf");
    let out = with_stdin(
        &["export", "-", "--pdf", pdf.to_str().expect("path")],
        &reference_text(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(&pdf).expect("the PDF").starts_with(b"%PDF-"));
}

#[test]
fn export_of_an_invalid_scenario_names_the_fields_exits_1_and_writes_nothing() {
    let bad = reference_text().replace("\"initial_pb\": 450", "\"initial_pb\": -5");
    let (dir, path) = scenario_file(&bad);
    let pdf = dir.path().join("out.pdf");
    let out = lakeplan(&["export", &path, "--pdf", pdf.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    // The same lines as `compute`.
    let computed = lakeplan(&["compute", &path]);
    assert_eq!(err, text(&computed.stderr));
    assert!(
        err.contains(&format!("{path}: lake.initial_pb must be > 0, got -5")),
        "{err}"
    );
    assert_eq!(files_in(dir.path()), ["scenario.json"]);
}

#[test]
fn export_needs_an_output_and_a_real_date() {
    let path = preset(REFERENCE);
    let path = path.to_str().expect("path");
    let out = lakeplan(&["export", path]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--pdf") && err.contains("--csv"), "{err}");
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("p.pdf");
    let out = lakeplan(&[
        "export",
        path,
        "--pdf",
        pdf.to_str().expect("path"),
        "--date",
        "2026-02-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("2026-02-30 is not a real date"), "{err}");
    assert!(!pdf.exists());
    let help = text(&lakeplan(&["export", "--help"]).stdout);
    assert!(help.contains("Exit status:"), "{help}");
}

#[test]
fn export_that_cannot_write_says_so_in_one_line_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = preset(REFERENCE);
    let path = path.to_str().expect("path");
    // A folder that does not exist.
    let missing = dir.path().join("no-such-folder").join("p.pdf");
    let out = lakeplan(&["export", path, "--pdf", missing.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("lakeplan: cannot write {}: ", missing.display())),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // A target that is a folder: it stays a folder, and nothing is left beside it.
    let folder = dir.path().join("taken.pdf");
    std::fs::create_dir(&folder).expect("created");
    let out = lakeplan(&["export", path, "--pdf", folder.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(folder.is_dir());
    assert_eq!(files_in(dir.path()), ["taken.pdf"]);
    // A missing scenario file is exit 2 as for `compute`.
    let out = lakeplan(&[
        "export",
        dir.path().join("nope.json").to_str().expect("path"),
        "--pdf",
        dir.path().join("p.pdf").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------
// lakeplan sweep

fn sweep(args: &[&str]) -> Output {
    let path = preset(REFERENCE);
    let mut all = vec!["sweep", path.to_str().expect("path")];
    all.extend_from_slice(args);
    lakeplan(&all)
}

#[test]
fn sweep_prints_a_csv_row_per_combination() {
    let out = sweep(&[
        "--vary",
        "change.value=5..20:1",
        "--vary",
        "links.cloud.ports=40,50,64",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Not a terminal: no progress bar, nothing on stderr.
    assert_eq!(text(&out.stderr), "");
    let mut rd = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = rd
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        &header[..3],
        ["change.value", "links.cloud.ports", "peak_gbps"]
    );
    assert!(header.contains(&"ports_needed cloud → Region 1".to_string()));
    assert!(header.contains(&"enclosures Region 2".to_string()));
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 16 * 3);
    assert_eq!((&rows[0][0], &rows[0][1]), ("5", "40"));
    assert_eq!((&rows[47][0], &rows[47][1]), ("20", "64"));
    // Each row is the model's report of its scenario.
    let mut s = Scenario::parse(&reference_text()).expect("valid");
    s.change.value = 12.0;
    s.links.cloud.ports = 50;
    let r = compute_priced(&s).expect("priced");
    let row = &rows[(12 - 5) * 3 + 1];
    let total = header
        .iter()
        .position(|h| h == "total_cost_usd")
        .expect("column");
    assert_eq!(
        row[total].parse::<f64>().expect("number"),
        r.summary.total_cost_usd
    );
}

#[test]
fn sweep_names_every_bad_path_and_value_and_runs_nothing() {
    let out = sweep(&[
        "--vary",
        "change.value=90..110:10",
        "--vary",
        "links.cloud.portz=1,2",
        "--vary",
        "network.topology=ring",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("change.value must be between 0 and 100, got 110")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("links.cloud.portz is not a known field; links.cloud has: ports")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("network.topology must be one of chain, fan_out, got \"ring\"")),
        "{err}"
    );
    let out = sweep(&["--vary", "change.value"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("must be written PATH=VALUES"));
    let out = sweep(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("vary must name at least one field"));
}

#[test]
fn sweep_reads_combinations_from_a_file_and_prints_json() {
    let (dir, _) = scenario_file("{}");
    let file = dir.path().join("variations.csv");
    std::fs::write(
        &file,
        "change.value,links.cloud.ports\n5,40\n10,64\n20,100\n",
    )
    .expect("written");
    let out = sweep(&[
        "--vary-file",
        file.to_str().expect("path"),
        "--vary",
        "network.topology=chain,fan_out",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["combinations"], 6);
    assert_eq!(
        v["paths"],
        serde_json::json!(["change.value", "links.cloud.ports", "network.topology"])
    );
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows[5]["values"], serde_json::json!([20, 100, "fan_out"]));
    assert!(rows[5]["total_cost_usd"].as_f64().expect("number") > 0.0);
    let missing = dir.path().join("nowhere.csv");
    let out = sweep(&["--vary-file", missing.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("lakeplan: cannot read"));
}

#[test]
fn users_add_list_change_and_remove_with_the_password_from_stdin() {
    let dir = tempfile::tempdir().expect("data dir");
    let data = dir.path().to_str().expect("utf-8 path");
    let add = |email: &str, team: &str, role: &str, password: &str| {
        with_stdin(
            &[
                "users",
                "add",
                email,
                "--team",
                team,
                "--role",
                role,
                "--password-stdin",
                "--data-dir",
                data,
            ],
            &format!("{password}\n"),
        )
    };
    let out = add(
        "Ana@Example.com",
        "emea",
        "engineer",
        "a long enough password",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Ana@Example.com\temea:engineer\tpassword"),
        "{}",
        text(&out.stdout)
    );
    // The same email in another case: the same user, a second team.
    let out = add("ana@example.com", "apac", "viewer", "another long password");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = lakeplan(&["users", "list", "--data-dir", data]);
    let listed = text(&list.stdout);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("apac:viewer,emea:engineer"), "{listed}");
    // Every bad field at once, exit 1, nothing stored.
    let out = add("not-an-email", "Bad Team", "boss", "short");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for field in ["email:", "team:", "role:", "password:"] {
        assert!(err.contains(field), "{err}");
    }
    assert_eq!(
        text(&lakeplan(&["users", "list", "--data-dir", data]).stdout)
            .lines()
            .count(),
        1
    );
    // The password never reaches the output.
    assert!(
        !err.contains("short") || err.contains("characters"),
        "{err}"
    );
    let out = lakeplan(&["users", "remove", "ANA@example.com", "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&lakeplan(&["users", "list", "--data-dir", data]).stdout),
        ""
    );
    let out = lakeplan(&["users", "remove", "ana@example.com", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no user"),
        "{}",
        text(&out.stderr)
    );
}

/// The built-in book as CSV with every value of the rows `pick` chooses replaced by
/// `value(row)`.
fn edited_book(pick: impl Fn(&lakeplan_models::price_book::PriceRow) -> Option<String>) -> String {
    use lakeplan_models::library::{Builtin, Library};
    let book = Builtin.book(Builtin.newest()).expect("built-in book");
    let mut out = String::new();
    for (i, line) in book.to_csv().lines().enumerate() {
        let edited = i
            .checked_sub(1)
            .and_then(|r| pick(&book.rows()[r]).map(|v| (r, v)))
            .map(|(r, v)| {
                let row = &book.rows()[r];
                row.cells()
                    .iter()
                    .map(|(column, text)| {
                        let t = if *column == "value" {
                            v.clone()
                        } else {
                            text.clone()
                        };
                        if t.contains([',', '"']) {
                            format!("\"{}\"", t.replace('"', "\"\""))
                        } else {
                            t
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            });
        out.push_str(edited.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

fn doubled_licence(r: &lakeplan_models::price_book::PriceRow) -> Option<String> {
    use lakeplan_models::price_book::{Category, Unit};
    (r.category == Category::Licence
        && matches!(r.unit, Unit::UsdPerCoreYear | Unit::UsdPerUsableTbYear))
    .then(|| (r.value * 2.0).to_string())
}

#[test]
fn books_import_list_publish_and_diff_on_the_data_directory() {
    let dir = tempfile::tempdir().expect("data dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let file = dir.path().join("doubled.csv");
    std::fs::write(&file, edited_book(doubled_licence)).expect("written");
    let file = file.to_str().expect("utf-8 path");

    // A bad file: every problem on stderr with file, line, column and value; nothing stored.
    let bad = dir.path().join("bad.csv");
    let mut lines: Vec<String> = edited_book(|_| None).lines().map(str::to_string).collect();
    assert!(lines[1].contains(",2.328,"), "{}", lines[1]);
    lines[1] = lines[1].replacen(",2.328,", ",lots,", 1);
    std::fs::write(&bad, lines.join("\n") + "\n").expect("written");
    let bad = bad.to_str().expect("utf-8 path");
    let out = lakeplan(&[
        "books",
        "import",
        bad,
        "--name",
        "Bad",
        "--effective-from",
        "2027-01-01",
        "--data-dir",
        data,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{bad}:")), "{err}");
    assert!(
        err.contains(&format!("{bad}:2: column value (\"lots\"): row ")),
        "{err}"
    );
    let out = lakeplan(&["books", "list", "--data-dir", data]);
    assert_eq!(
        text(&out.stdout).lines().count(),
        2,
        "only the built-in books"
    );

    // Fields are checked, each named as the option it came from.
    let out = lakeplan(&[
        "books",
        "import",
        file,
        "--name",
        "",
        "--effective-from",
        "soon",
        "--data-dir",
        data,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("--name:") && err.contains("--effective-from:"),
        "{err}"
    );

    let out = lakeplan(&[
        "books",
        "import",
        file,
        "--name",
        "Doubled",
        "--effective-from",
        "2027-01-01",
        "--data-dir",
        data,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let made = text(&out.stdout);
    let id = made.split('\t').next().expect("id").to_string();
    assert!(
        id.starts_with("pb-") && made.contains("\tdraft\t2027-01-01\t"),
        "{made}"
    );

    let out = lakeplan(&["books", "diff", "2026-12", &id, "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(!diff.is_empty());
    for l in diff.lines() {
        assert!(
            l.starts_with("changed\tlicence.") && l.contains("\tvalue\t"),
            "{l}"
        );
    }

    let out = lakeplan(&["books", "publish", &id, "--data-dir", data]);
    assert!(
        text(&out.stdout).contains("\tpublished\t"),
        "{}",
        text(&out.stderr)
    );
    let out = lakeplan(&["books", "publish", &id, "--data-dir", data]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is published, not draft"),
        "{}",
        text(&out.stderr)
    );
    let out = lakeplan(&["books", "publish", "2026-11", "--data-dir", data]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn catalogs_import_diff_publish_and_compute_with_a_catalog_file() {
    use lakeplan_models::price_book::Catalog;
    let dir = tempfile::tempdir().expect("data dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let builtin = Catalog::builtin().expect("catalog").to_csv();
    // The node's power changed, the 61 TB enclosure dropped.
    let next: String = builtin
        .replace(",500,700,", ",520,700,")
        .lines()
        .filter(|l| !l.starts_with("enclosure.ceres-v2.61tb,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("next.csv");
    std::fs::write(&file, &next).expect("written");
    let file = file.to_str().expect("utf-8 path");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, next.replace(",520,700,", ",lots,700,")).expect("written");
    let bad = bad.to_str().expect("utf-8 path");

    let import = |path: &str| {
        lakeplan(&[
            "catalogs",
            "import",
            path,
            "--name",
            "Next",
            "--effective-from",
            "2027-01-01",
            "--data-dir",
            data,
        ])
    };
    let out = import(bad);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "lakeplan catalogs: {bad}:4: column active_w (\"lots\"): "
        )),
        "{err}"
    );
    let out = import(file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let made = text(&out.stdout);
    let id = made.split('\t').next().expect("id").to_string();
    assert!(
        id.starts_with("hw-") && made.contains("\tdraft\t2027-01-01\t4 rows\t"),
        "{made}"
    );
    let list = text(&lakeplan(&["catalogs", "list", "--data-dir", data]).stdout);
    assert!(
        list.starts_with(&id) && list.contains("\n2026-11\tpublished\t"),
        "{list}"
    );
    // A catalog's id is not a book's.
    let out = lakeplan(&["books", "publish", &id, "--data-dir", data]);
    assert_eq!(out.status.code(), Some(1));

    let out = lakeplan(&["catalogs", "diff", "2026-11", &id, "--data-dir", data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "changed\tnode.cbox-gen5\tactive_w\t500\t520\nremoved\tenclosure.ceres-v2.61tb\n"
    );
    let out = lakeplan(&["catalogs", "publish", &id, "--data-dir", data]);
    assert!(
        text(&out.stdout).contains("\tpublished\t"),
        "{}",
        text(&out.stderr)
    );

    // The reference scenario is on the dropped enclosure: with the file it cannot be
    // priced, and says which field to change. The pilot's enclosure is in both catalogs:
    // matched alike, priced alike.
    let compute = |preset_id: &str, catalog: Option<&str>| {
        let path = preset(preset_id);
        let mut args = vec!["compute", path.to_str().expect("path")];
        args.extend(catalog.map(|c| ["--catalog", c]).into_iter().flatten());
        lakeplan(&args)
    };
    let out = compute(REFERENCE, Some(file));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("cluster.enclosure_raw_tb must be the raw TB of a catalog enclosure"),
        "{}",
        text(&out.stderr)
    );
    let pilot = "two-cluster-pilot";
    let with = compute(pilot, Some(file));
    assert_eq!(with.status.code(), Some(0), "{}", text(&with.stderr));
    assert_eq!(with.stdout, compute(pilot, None).stdout);
    let out = compute(pilot, Some(bad));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn compute_with_a_book_file_prices_with_it_and_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doubled.csv");
    std::fs::write(&file, edited_book(doubled_licence)).expect("written");
    let path = preset(REFERENCE);
    let out = lakeplan(&[
        "compute",
        path.to_str().expect("path"),
        "--book",
        file.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let with: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(with["price_book"], "file:doubled");
    let plain: Value =
        serde_json::from_slice(&lakeplan(&["compute", path.to_str().expect("path")]).stdout)
            .expect("JSON");
    for (a, b) in with["years"]
        .as_array()
        .expect("years")
        .iter()
        .zip(plain["years"].as_array().expect("years"))
    {
        assert_eq!(
            a["cost_usd"]["licence"].as_f64(),
            b["cost_usd"]["licence"].as_f64().map(|v| v * 2.0)
        );
        assert_eq!(a["cost_usd"]["egress"], b["cost_usd"]["egress"]);
    }
    // A book lacking rows is refused, each missing row named.
    let short = dir.path().join("short.csv");
    std::fs::write(&short, "id,provider,category,item,region,path,unit,tier_from,tier_to,tier_group,value,condition,source,read_on,confidence,notes\n").expect("written");
    let out = lakeplan(&[
        "compute",
        path.to_str().expect("path"),
        "--book",
        short.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("fx.usd-per-eur"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}

/// `lakeplan compute` writes the cloud placements the model computes, field for field.
#[test]
fn compute_reports_the_cloud_placements_of_a_cloud_cluster_scenario() {
    let path = preset("lake-placement");
    let out = lakeplan(&["compute", path.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let s = lakeplan_models::presets::get("lake-placement")
        .expect("preset")
        .scenario()
        .expect("valid");
    let model = lakeplan_models::report::compute_priced(&s).expect("priced");
    let cloud = serde_json::to_value(model.summary.cloud.expect("cloud")).expect("JSON");
    let rate = |v: &Value| v["alignment_rate_usd_per_tb_month"].as_f64().expect("rate");
    assert!(close(rate(&printed["summary"]["cloud"]), rate(&cloud)));
    assert_eq!(
        printed["summary"]["cloud"]["cheapest_by_year"],
        cloud["cheapest_by_year"]
    );
    assert_eq!(
        printed["months"][0]["cloud_cluster"]["instances"],
        model.months[0].cloud_cluster.expect("month").instances
    );
    // An unknown instance type is refused naming the field, exit 1.
    let bad = std::fs::read_to_string(&path)
        .expect("preset")
        .replace("gcp.z3-highmem-88-highlssd", "gcp.z9-imaginary");
    let (_dir, file) = scenario_file(&bad);
    let out = lakeplan(&["compute", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!(
            "{file}: cloud_cluster.instance must be an instance type"
        )),
        "{}",
        text(&out.stderr)
    );
}
