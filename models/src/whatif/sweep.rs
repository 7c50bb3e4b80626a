//! Batch sweeps: one scenario per combination of varied fields, with the key figures of
//! each, as CSV rows (`lakeplan sweep`, `POST /api/sweep`).
//!
//! A field is varied by its JSON path (`change.value`, `links.cloud.ports`,
//! `sites[1].copy_fraction`, `pricing.overrides.<row>`), with values written as
//! - a range `a..b:step` (inclusive; step 1 when left out), in as many decimals as the
//!   widest of a, b and step, so `0.5..1:0.1` gives 0.5, 0.6 … 1.0 and not
//!   0.6000000000000001, and whole numbers stay whole (ports must be);
//! - a comma list `40,50,64` or `chain,fan_out`, each item read as JSON when it is JSON
//!   (numbers, `true`, `"text"`) and as text otherwise;
//! - or, from a file, a table whose header names the paths and whose rows are
//!   combinations taken together (not crossed with each other).
//!
//! Every field's axes are crossed: `--vary a=1..3 --vary b=x,y` makes 6 scenarios, the
//! first axis changing slowest (and a file's rows slowest of all). Before anything runs,
//! [`SweepPlan::new`] checks each value alone against the base scenario, with the same
//! parser and pricer as every other way in, so a bad path or value is reported with its
//! field and allowed range at once, not after minutes. A combination that is invalid only
//! together (two values that contradict each other) is reported by [`SweepPlan::row`].
//!
//! Rows are independent: the server runs them on threads, the browser could run them a
//! slice at a time, and either way row `i` is the same scenario.

use serde_json::Value;

use crate::calendar::Month;
use crate::field::FieldError;
use crate::path;
use crate::report::{check_priced_in, compute_priced, Report};
use crate::scenario::{Scenario, ScenarioErrors};
use crate::whatif::plans::csv_field;

/// The most values one field may take: a typo such as `1..1e9` is refused before it
/// fills the memory.
pub const MAX_VALUES_PER_FIELD: u64 = 1_000_000;

/// One varied field and its values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Vary {
    pub path: String,
    pub values: Vec<Value>,
}

/// Combinations given row by row: each row sets every path at once.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VaryRows {
    pub paths: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<Value>>))]
    pub rows: Vec<Vec<Value>>,
}

/// One axis of the sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    Field(Vary),
    Rows(VaryRows),
}

impl Axis {
    fn len(&self) -> u64 {
        match self {
            Axis::Field(v) => v.values.len() as u64,
            Axis::Rows(r) => r.rows.len() as u64,
        }
    }

    fn paths(&self) -> Vec<&str> {
        match self {
            Axis::Field(v) => vec![v.path.as_str()],
            Axis::Rows(r) => r.paths.iter().map(String::as_str).collect(),
        }
    }

    /// The (path, value) pairs of value `k` of the axis.
    fn pairs(&self, k: usize) -> Vec<(&str, &Value)> {
        match self {
            Axis::Field(v) => vec![(v.path.as_str(), &v.values[k])],
            Axis::Rows(r) => r
                .paths
                .iter()
                .map(String::as_str)
                .zip(r.rows[k].iter())
                .collect(),
        }
    }
}

/// Reads `PATH=VALUES` as the command line writes it.
///
/// ```
/// use lakeplan_models::whatif::sweep::parse_vary;
/// let v = parse_vary("change.value=5..7:0.5").unwrap();
/// assert_eq!(v.path, "change.value");
/// assert_eq!(v.values, [5.0, 5.5, 6.0, 6.5, 7.0].map(serde_json::Value::from));
/// let v = parse_vary("links.cloud.ports=40,50,64").unwrap();
/// assert_eq!(v.values, [40, 50, 64].map(serde_json::Value::from));
/// assert!(parse_vary("change.value").is_err());
/// ```
pub fn parse_vary(arg: &str) -> Result<Vary, FieldError> {
    let Some((path, spec)) = arg.split_once('=') else {
        return Err(FieldError::new(
            arg.to_string(),
            "must be written PATH=VALUES, e.g. change.value=5..20:1 or links.cloud.ports=40,50,64",
        ));
    };
    let path = path.trim();
    check_path(path)?;
    Ok(Vary {
        path: path.to_string(),
        values: parse_values(path, spec)?,
    })
}

fn check_path(path: &str) -> Result<(), FieldError> {
    if path::is_well_formed(path) {
        Ok(())
    } else {
        Err(FieldError::new(
            path.to_string(),
            "is not a field path (keys separated by dots, list items in brackets, e.g. \
             links.cloud.ports or sites[1].name)",
        ))
    }
}

/// Values written as a range `a..b:step` or a comma list.
pub fn parse_values(path: &str, spec: &str) -> Result<Vec<Value>, FieldError> {
    let spec = spec.trim();
    if let Some(range) = parse_range(path, spec)? {
        return Ok(range);
    }
    let mut out = Vec::new();
    for item in spec.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(FieldError::new(
                path.to_string(),
                format!("has an empty value in \"{spec}\""),
            ));
        }
        out.push(item_value(item));
    }
    Ok(out)
}

/// A list item or a table cell: JSON when it reads as JSON, else the text itself.
fn item_value(item: &str) -> Value {
    serde_json::from_str(item).unwrap_or_else(|_| Value::String(item.to_string()))
}

/// `a..b` or `a..b:step` when both ends are numbers; `None` when `spec` is not a range.
fn parse_range(path: &str, spec: &str) -> Result<Option<Vec<Value>>, FieldError> {
    let Some((a, rest)) = spec.split_once("..") else {
        return Ok(None);
    };
    let (b, step) = match rest.split_once(':') {
        Some((b, s)) => (b, Some(s)),
        None => (rest, None),
    };
    let (Ok(lo), Ok(hi)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) else {
        return Ok(None);
    };
    let bad = |msg: String| Err(FieldError::new(path.to_string(), msg));
    let step_text = step.map_or("1", str::trim);
    let Ok(step) = step_text.parse::<f64>() else {
        return bad(format!(
            "has a range step that is not a number: \"{step_text}\" in \"{spec}\""
        ));
    };
    if !(lo.is_finite() && hi.is_finite()) {
        return bad(format!(
            "has a range with an end that is not a number: \"{spec}\""
        ));
    }
    if !(step.is_finite() && step > 0.0) {
        return bad(format!(
            "must have a range step > 0, got {step} in \"{spec}\""
        ));
    }
    if hi < lo {
        return bad(format!(
            "must have a range from the smaller to the larger value, got {lo}..{hi}"
        ));
    }
    let count = ((hi - lo) / step * (1.0 + 1e-12)).floor() + 1.0;
    if count > MAX_VALUES_PER_FIELD as f64 {
        return bad(format!(
            "has {count} values in \"{spec}\", more than the {MAX_VALUES_PER_FIELD} one field may take"
        ));
    }
    let decimals = [a.trim(), b.trim(), step_text]
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0);
    let whole = decimals == 0;
    let values = (0..count as u64)
        .map(|i| {
            let v = lo + i as f64 * step;
            if whole && v.abs() < 9e15 {
                Value::from(v.round() as i64)
            } else {
                let rounded = format!("{v:.decimals$}").parse::<f64>().unwrap_or(v);
                Value::from(rounded)
            }
        })
        .collect();
    Ok(Some(values))
}

/// Values as JSON gives them (the API): a range or list written as text, a list, or one
/// value.
pub fn values_from_json(path: &str, v: &Value) -> Result<Vec<Value>, FieldError> {
    check_path(path)?;
    match v {
        Value::String(spec) => parse_values(path, spec),
        Value::Array(list) if list.is_empty() => Err(FieldError::new(
            path.to_string(),
            "must list at least one value",
        )),
        Value::Array(list) => Ok(list.clone()),
        other => Ok(vec![other.clone()]),
    }
}

/// A table of combinations: a header of paths, then one row per combination, each cell
/// read like a list item.
pub fn parse_vary_csv(text: &str) -> Result<VaryRows, FieldError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let err = |line: u64, msg: String| FieldError::new(format!("line {line}"), msg);
    let paths: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, format!("cannot be read as CSV: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if paths.is_empty() || paths.iter().any(String::is_empty) {
        return Err(err(1, "must name a field path in every column".into()));
    }
    for p in &paths {
        check_path(p)?;
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| err(line, format!("cannot be read as CSV: {e}")))?;
        if record.len() != paths.len() {
            return Err(err(
                line,
                format!(
                    "has {} values for {} columns ({})",
                    record.len(),
                    paths.len(),
                    paths.join(", ")
                ),
            ));
        }
        let mut row = Vec::with_capacity(paths.len());
        for (cell, p) in record.iter().zip(&paths) {
            if cell.is_empty() {
                return Err(err(line, format!("has no value for {p}")));
            }
            row.push(item_value(cell));
        }
        rows.push(row);
        if rows.len() as u64 > MAX_VALUES_PER_FIELD {
            return Err(err(
                line,
                format!("is past the {MAX_VALUES_PER_FIELD} rows a file may have"),
            ));
        }
    }
    if rows.is_empty() {
        return Err(err(2, "must hold at least one row of values".into()));
    }
    Ok(VaryRows { paths, rows })
}

/// The combinations of a sweep over a base scenario, checked and ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPlan {
    base: Value,
    axes: Vec<Axis>,
    len: u64,
    paths: Vec<String>,
}

/// What one combination gives.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SweepRow {
    pub index: u64,
    /// The varied values, in the order of [`SweepPlan::paths`].
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Value>))]
    pub values: Vec<Value>,
    /// The busiest month's busy-day payload rate.
    pub peak_gbps: f64,
    /// YYYY-MM; `null` when every month is feasible.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub first_infeasible_month: Option<Month>,
    /// Per path: the most ports any month needs (what keeps every month feasible).
    pub ports_needed: Vec<Named>,
    pub seed_days: Option<f64>,
    /// Per site: enclosures installed in the last month.
    pub enclosures: Vec<Named>,
    pub total_cost_usd: f64,
    pub usd_per_effective_tb_month: Option<f64>,
}

/// A count for a named path or site.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named {
    pub name: String,
    pub value: u64,
}

impl SweepPlan {
    /// Checks the base scenario, every path and every value alone (with the scenario's own
    /// parser and pricer), and the number of combinations (at most `max`). Every problem
    /// comes back at once, each naming the varied field.
    pub fn new(base: &Value, axes: Vec<Axis>, max: u64) -> Result<SweepPlan, ScenarioErrors> {
        Scenario::from_value(base).and_then(|s| compute_priced(&s))?;
        let mut errors = Vec::new();
        if axes.is_empty() {
            errors.push(FieldError::new(
                "vary",
                "must name at least one field to vary (e.g. change.value=5..20:1)",
            ));
        }
        let mut paths: Vec<String> = Vec::new();
        for axis in &axes {
            for p in axis.paths() {
                if paths.iter().any(|q| q == p) {
                    errors.push(FieldError::new(p, "is varied twice: give it one list"));
                } else {
                    paths.push(p.to_string());
                }
            }
            if axis.len() == 0 {
                errors.push(FieldError::new(
                    axis.paths().join(", "),
                    "must have at least one value",
                ));
            }
            for k in 0..axis.len() as usize {
                let pairs = axis.pairs(k);
                if let Err(e) = check_alone(base, &pairs) {
                    // One line per field and problem, not one per value that has it.
                    if !errors
                        .iter()
                        .any(|x| x.path == e.path && x.message == e.message)
                    {
                        errors.push(e);
                    }
                }
            }
        }
        let len = axes
            .iter()
            .try_fold(1u64, |acc, a| acc.checked_mul(a.len()))
            .unwrap_or(u64::MAX);
        if len > max {
            errors.push(FieldError::new(
                "vary",
                format!(
                    "makes {} combinations, more than the {max} allowed: vary fewer fields or \
                     fewer values",
                    if len == u64::MAX {
                        "too many".to_string()
                    } else {
                        len.to_string()
                    }
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(ScenarioErrors(errors));
        }
        Ok(SweepPlan {
            base: base.clone(),
            axes,
            len,
            paths,
        })
    }

    /// The number of combinations.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The varied paths, in the order of every row's values.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Combination `i`'s (path, value) pairs: the first axis changes slowest.
    pub fn pairs(&self, i: u64) -> Vec<(&str, &Value)> {
        let mut digits = vec![0usize; self.axes.len()];
        let mut rest = i;
        for (d, axis) in digits.iter_mut().zip(&self.axes).rev() {
            let n = axis.len().max(1);
            *d = (rest % n) as usize;
            rest /= n;
        }
        self.axes
            .iter()
            .zip(digits)
            .flat_map(|(a, k)| a.pairs(k))
            .collect()
    }

    /// Combination `i` as a scenario.
    pub fn scenario(&self, i: u64) -> Result<Scenario, ScenarioErrors> {
        let mut doc = self.base.clone();
        for (p, v) in self.pairs(i) {
            if !path::set(&mut doc, p, v.clone()) {
                return Err(ScenarioErrors(vec![FieldError::new(
                    p,
                    "cannot be set in this scenario",
                )]));
            }
        }
        Scenario::from_value(&doc)
    }

    /// Combination `i`'s figures; the errors of a combination whose values contradict
    /// each other.
    pub fn row(&self, i: u64) -> Result<SweepRow, ScenarioErrors> {
        let s = self.scenario(i)?;
        let report = compute_priced(&s)?;
        Ok(row_of(
            i,
            self.pairs(i).into_iter().map(|(_, v)| v.clone()).collect(),
            &report,
        ))
    }
}

/// One value (or a file's row) applied alone to the base scenario: fine, or the first
/// problem it causes, named by the varied field.
fn check_alone(base: &Value, pairs: &[(&str, &Value)]) -> Result<(), FieldError> {
    let mut doc = base.clone();
    let shown: Vec<String> = pairs.iter().map(|(p, v)| format!("{p}={v}")).collect();
    let field = pairs.first().map_or(String::new(), |(p, _)| p.to_string());
    for (p, v) in pairs {
        if !path::set(&mut doc, p, (*v).clone()) {
            return Err(FieldError::new(
                p.to_string(),
                "cannot be set in this scenario (a list index past the end, or a path \
                 through a value that is not an object)",
            ));
        }
    }
    // The checks of a report without the report: each combination is computed later.
    match Scenario::from_value(&doc).and_then(|s| check_priced_in(&crate::library::Builtin, &s)) {
        Ok(_) => Ok(()),
        Err(ScenarioErrors(list)) => {
            // The problem about a varied field first: that is the one to show.
            let e = list
                .iter()
                .find(|e| pairs.iter().any(|(p, _)| e.path == *p))
                .or(list.first());
            match e {
                Some(e) if pairs.len() == 1 && e.path == field => {
                    Err(FieldError::new(field, e.message.clone()))
                }
                Some(e) => Err(FieldError::new(
                    field,
                    format!("cannot be {}: {e}", shown.join(", ")),
                )),
                None => Ok(()),
            }
        }
    }
}

fn row_of(index: u64, values: Vec<Value>, r: &Report) -> SweepRow {
    let first = r.months.first();
    let last = r.months.last();
    SweepRow {
        index,
        values,
        peak_gbps: r.months.iter().map(|m| m.peak_gbps).fold(0.0, f64::max),
        first_infeasible_month: r.summary.first_infeasible_month,
        ports_needed: first
            .map(|m| {
                m.paths
                    .iter()
                    .enumerate()
                    .map(|(j, p)| Named {
                        name: p.name.to_string(),
                        value: r.max_ports_needed(j),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        seed_days: r.summary.seed_days,
        enclosures: last
            .map(|m| {
                m.sites
                    .iter()
                    .map(|s| Named {
                        name: s.name.to_string(),
                        value: s.enclosures,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        total_cost_usd: r.summary.total_cost_usd,
        usd_per_effective_tb_month: r.summary.usd_per_effective_tb_month,
    }
}

/// The rows as CSV: the varied paths, then `peak_gbps`, `first_infeasible_month`,
/// `ports_needed <path>` for every path any row has, `seed_days`, `enclosures <site>` for
/// every site any row has, `total_cost_usd`, `usd_per_effective_tb_month`. A path or
/// site a row lacks (another topology) is left empty, as is a figure that does not exist
/// (seeding that never finishes). Numbers in Rust's shortest round-trip form.
pub fn to_csv(paths: &[String], rows: &[SweepRow]) -> String {
    let mut path_names: Vec<&str> = Vec::new();
    let mut site_names: Vec<&str> = Vec::new();
    for r in rows {
        for p in &r.ports_needed {
            if !path_names.contains(&p.name.as_str()) {
                path_names.push(&p.name);
            }
        }
        for s in &r.enclosures {
            if !site_names.contains(&s.name.as_str()) {
                site_names.push(&s.name);
            }
        }
    }
    let mut header: Vec<String> = paths.to_vec();
    header.push("peak_gbps".into());
    header.push("first_infeasible_month".into());
    header.extend(path_names.iter().map(|p| format!("ports_needed {p}")));
    header.push("seed_days".into());
    header.extend(site_names.iter().map(|s| format!("enclosures {s}")));
    header.push("total_cost_usd".into());
    header.push("usd_per_effective_tb_month".into());
    let mut out = String::new();
    push_line(&mut out, header.iter().map(String::as_str));
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for r in rows {
        let mut cells: Vec<String> = r
            .values
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        cells.push(r.peak_gbps.to_string());
        cells.push(
            r.first_infeasible_month
                .map_or(String::new(), |m| m.to_string()),
        );
        for p in &path_names {
            cells.push(
                r.ports_needed
                    .iter()
                    .find(|x| x.name == *p)
                    .map_or(String::new(), |x| x.value.to_string()),
            );
        }
        cells.push(opt(r.seed_days));
        for s in &site_names {
            cells.push(
                r.enclosures
                    .iter()
                    .find(|x| x.name == *s)
                    .map_or(String::new(), |x| x.value.to_string()),
            );
        }
        cells.push(r.total_cost_usd.to_string());
        cells.push(opt(r.usd_per_effective_tb_month));
        push_line(&mut out, cells.iter().map(String::as_str));
    }
    out
}

fn push_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let mut first = true;
    for c in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&csv_field(c));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_are_inclusive_and_keep_their_decimals() {
        let v = parse_values("x", "5..20:1").unwrap();
        assert_eq!(v.len(), 16);
        assert_eq!(v[0], json!(5));
        assert_eq!(v[15], json!(20));
        let v = parse_values("x", "0.5..1:0.1").unwrap();
        assert_eq!(v, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0].map(Value::from).to_vec());
        let v = parse_values("x", "-2..2").unwrap();
        assert_eq!(v, [-2, -1, 0, 1, 2].map(Value::from).to_vec());
        assert_eq!(parse_values("x", "3..3").unwrap(), vec![json!(3)]);
        // Not numbers on both sides: a list item that happens to hold "..".
        assert_eq!(parse_values("x", "A..B").unwrap(), vec![json!("A..B")]);
        for bad in ["5..1", "1..5:0", "1..5:-1", "1..5:x", "0..1e9:1e-3"] {
            let e = parse_values("change.value", bad).unwrap_err();
            assert_eq!(e.path, "change.value", "{bad}");
        }
    }

    #[test]
    fn lists_read_json_or_text() {
        let v = parse_values("x", "chain, fan_out ").unwrap();
        assert_eq!(v, vec![json!("chain"), json!("fan_out")]);
        let v = parse_values("x", "40,50.5,true").unwrap();
        assert_eq!(v, vec![json!(40), json!(50.5), json!(true)]);
        assert!(parse_values("x", "1,,2").is_err());
        assert_eq!(
            values_from_json("x", &json!([1, 2])).unwrap(),
            vec![json!(1), json!(2)]
        );
        assert_eq!(values_from_json("x", &json!(7)).unwrap(), vec![json!(7)]);
        assert!(values_from_json("x", &json!([])).is_err());
        assert!(values_from_json("x[", &json!(1)).is_err());
    }

    #[test]
    fn files_give_rows_taken_together() {
        let t = parse_vary_csv("change.value,links.cloud.ports\n5,40\n10, 64\n").unwrap();
        assert_eq!(t.paths, ["change.value", "links.cloud.ports"]);
        assert_eq!(
            t.rows,
            vec![vec![json!(5), json!(40)], vec![json!(10), json!(64)]]
        );
        let e = parse_vary_csv("change.value,links.cloud.ports\n5\n").unwrap_err();
        assert_eq!(e.path, "line 2");
        assert!(parse_vary_csv("change.value\n").is_err());
        assert!(parse_vary_csv("a[\n1\n").is_err());
    }
}
