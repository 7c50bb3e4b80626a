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
//! messages as the parser and the pricer give every other way in (a typed field is set on
//! the scenario already read and checked by the same rules; a field pricing does not read
//! is not priced again), so a bad path or value is reported with its field and allowed
//! range at once, not after minutes. A combination that is invalid only
//! together (two values that contradict each other) is reported by [`SweepPlan::row`].
//!
//! Rows are independent: the server runs them on threads, the browser could run them a
//! slice at a time, and either way row `i` is the same scenario.

use serde_json::Value;

use crate::calendar::Month;
use crate::field::FieldError;
use crate::library::Builtin;
use crate::path;
use crate::report::{check_priced_in, key_figures, timeline, KeyFigures, Prices, Timeline};
use crate::scenario::{Scenario, ScenarioErrors};
use crate::whatif::plans::push_csv_field;

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
    /// The base document read: a row whose every value is one a [`Typed`] field reads
    /// starts from it instead of reading the document again.
    scenario: Scenario,
    /// Per path (in the order of `paths`), how a row sets it on `scenario`, when it can.
    typed: Vec<Option<Typed>>,
    /// The axes with a field pricing reads (not [`PRICED_ALIKE`]), in axis order.
    priced_axes: Vec<usize>,
    /// Prices by combination of `priced_axes` (the first changing slowest): those of the
    /// base with only these axes set, which are a row's whatever its other axes say, since
    /// pricing reads none of their fields. `None` where that scenario cannot be read or
    /// priced: the row then prices itself, for its own errors. The base's prices alone
    /// when no axis is priced; empty when the combinations are too many to be worth it.
    prices: Vec<Option<Prices>>,
    /// The base's timeline, when its lake and storage read none of the varied fields
    /// ([`TIMELINE_ALIKE`]): every row takes them from it.
    timeline: Option<Timeline>,
}

/// A number field a row can set on the scenario already read, with what the reader would
/// have read from the edited document: the number (`as_f64`), or a whole number that
/// fits in a `u32`. Anything else (text, a fraction for a whole number, a field the base
/// document does not hold) goes through the document and the reader, for their errors.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Typed {
    /// An entry of [`TYPED`].
    Field(usize),
    /// `sites[i].copy_fraction`, for a site the base has.
    CopyFraction(usize),
}

/// Where a value goes in a scenario.
#[derive(Clone, Copy)]
enum Slot {
    Number(fn(&mut Scenario) -> &mut f64),
    Optional(fn(&mut Scenario) -> &mut Option<f64>),
    Whole(fn(&mut Scenario) -> &mut u32),
    Text(fn(&mut Scenario) -> &mut String),
    /// One of a fixed set, set by the function when `v` is one (see [`choice`]).
    Choice(fn(&mut Scenario, &Value) -> Option<()>),
}

/// A choice as the reader reads one: text that names a variant.
fn choice<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    if v.is_string() {
        serde_json::from_value(v.clone()).ok()
    } else {
        None
    }
}

/// The fields a row sets on the typed scenario: each is read by the reader as a plain
/// number (`num`, `opt_num`, `whole`), text (`string`) or choice (`choice`) with no check
/// of its own beyond the validator's, so setting it and validating gives what reading
/// the edited document gives (`tests::typed_rows_read_as_the_document_does` holds each to
/// that).
const TYPED: &[(&str, Slot)] = &[
    (
        "change.basis",
        Slot::Choice(|s, v| {
            s.change.basis = choice(v)?;
            Some(())
        }),
    ),
    (
        "lake.curve",
        Slot::Choice(|s, v| {
            s.lake.curve = choice(v)?;
            Some(())
        }),
    ),
    (
        "network.topology",
        Slot::Choice(|s, v| {
            s.network.topology = choice(v)?;
            Some(())
        }),
    ),
    (
        "source.provider",
        Slot::Choice(|s, v| {
            s.source.provider = choice(v)?;
            Some(())
        }),
    ),
    (
        "source.egress_path",
        Slot::Choice(|s, v| {
            s.source.egress_path = choice(v)?;
            Some(())
        }),
    ),
    ("source.region", Slot::Text(|s| &mut s.source.region)),
    (
        "pricing.price_book",
        Slot::Text(|s| &mut s.pricing.price_book),
    ),
    ("pricing.plan", Slot::Text(|s| &mut s.pricing.plan)),
    (
        "pricing.power_region",
        Slot::Text(|s| &mut s.pricing.power_region),
    ),
    (
        "pricing.term_years",
        Slot::Whole(|s| &mut s.pricing.term_years),
    ),
    ("horizon_months", Slot::Whole(|s| &mut s.horizon_months)),
    ("lake.initial_pb", Slot::Number(|s| &mut s.lake.initial_pb)),
    ("lake.target_pb", Slot::Optional(|s| &mut s.lake.target_pb)),
    ("change.value", Slot::Number(|s| &mut s.change.value)),
    (
        "change.window_hours",
        Slot::Number(|s| &mut s.change.window_hours),
    ),
    (
        "change.peak_to_mean",
        Slot::Number(|s| &mut s.change.peak_to_mean),
    ),
    (
        "network.tcp_window_mib",
        Slot::Number(|s| &mut s.network.tcp_window_mib),
    ),
    (
        "network.max_utilization",
        Slot::Number(|s| &mut s.network.max_utilization),
    ),
    (
        "network.seed_pb",
        Slot::Optional(|s| &mut s.network.seed_pb),
    ),
    (
        "source.mean_object_mb",
        Slot::Number(|s| &mut s.source.mean_object_mb),
    ),
    (
        "links.cloud.ports",
        Slot::Whole(|s| &mut s.links.cloud.ports),
    ),
    (
        "links.cloud.port_gbps",
        Slot::Number(|s| &mut s.links.cloud.port_gbps),
    ),
    (
        "links.cloud.rtt_ms",
        Slot::Number(|s| &mut s.links.cloud.rtt_ms),
    ),
    (
        "links.cloud.loss_rate",
        Slot::Number(|s| &mut s.links.cloud.loss_rate),
    ),
    (
        "links.inter_site.ports",
        Slot::Whole(|s| &mut s.links.inter_site.ports),
    ),
    (
        "links.inter_site.port_gbps",
        Slot::Number(|s| &mut s.links.inter_site.port_gbps),
    ),
    (
        "links.inter_site.rtt_ms",
        Slot::Number(|s| &mut s.links.inter_site.rtt_ms),
    ),
    (
        "links.inter_site.loss_rate",
        Slot::Number(|s| &mut s.links.inter_site.loss_rate),
    ),
    (
        "cluster.enclosure_raw_tb",
        Slot::Number(|s| &mut s.cluster.enclosure_raw_tb),
    ),
    (
        "cluster.min_enclosures",
        Slot::Whole(|s| &mut s.cluster.min_enclosures),
    ),
    ("cluster.ec_data", Slot::Whole(|s| &mut s.cluster.ec_data)),
    (
        "cluster.ec_parity",
        Slot::Whole(|s| &mut s.cluster.ec_parity),
    ),
    (
        "cluster.reserve_pct",
        Slot::Number(|s| &mut s.cluster.reserve_pct),
    ),
    (
        "cluster.data_reduction",
        Slot::Number(|s| &mut s.cluster.data_reduction),
    ),
    (
        "cluster.fill_target",
        Slot::Number(|s| &mut s.cluster.fill_target),
    ),
    (
        "cluster.node_cores",
        Slot::Whole(|s| &mut s.cluster.node_cores),
    ),
    (
        "cluster.min_nodes",
        Slot::Whole(|s| &mut s.cluster.min_nodes),
    ),
    (
        "cluster.read_gbytes_per_s",
        Slot::Number(|s| &mut s.cluster.read_gbytes_per_s),
    ),
];

/// Fields the pricer (`crate::priced`) does not read: a sweep that varies only these
/// prices every row as its base (`tests::priced_alike_fields_leave_the_prices`). Pricing
/// reads `pricing`, `source`, `cloud_cluster`, `links.cloud.port_gbps`, the number of
/// sites and the hardware profile (`cluster.enclosure_raw_tb`, `node_cores`,
/// `switches_per_rack`). Also `sites[i].copy_fraction` of a site the base has.
pub(crate) const PRICED_ALIKE: &[&str] = &[
    "horizon_months",
    "lake.initial_pb",
    "lake.target_pb",
    "lake.curve",
    "lake.target_month",
    "change.basis",
    "change.value",
    "change.window_hours",
    "change.peak_to_mean",
    "network.topology",
    "network.mtu_bytes",
    "network.tcp_window_mib",
    "network.max_utilization",
    "network.seed_pb",
    "links.cloud.ports",
    "links.cloud.rtt_ms",
    "links.cloud.loss_rate",
    "links.inter_site.ports",
    "links.inter_site.port_gbps",
    "links.inter_site.rtt_ms",
    "links.inter_site.loss_rate",
    "cluster.min_enclosures",
    "cluster.ec_data",
    "cluster.ec_parity",
    "cluster.reserve_pct",
    "cluster.data_reduction",
    "cluster.fill_target",
    "cluster.min_nodes",
    "cluster.read_gbytes_per_s",
];

/// Fields the report's timeline does not read for the lake's size and the sites'
/// storage (`report::timeline`: the lake, the start month, the horizon, the sites' shares
/// and the cluster's profile do, and the change sets the rates): a sweep that varies only
/// these takes every row's lake and storage from its base
/// (`tests::timeline_alike_fields_leave_the_lake_and_storage`).
pub(crate) const TIMELINE_ALIKE: &[&str] = &[
    "change.basis",
    "change.value",
    "change.window_hours",
    "change.peak_to_mean",
    "network.topology",
    "network.mtu_bytes",
    "network.tcp_window_mib",
    "network.max_utilization",
    "network.seed_pb",
    "source.mean_object_mb",
    "links.cloud.ports",
    "links.cloud.port_gbps",
    "links.cloud.rtt_ms",
    "links.cloud.loss_rate",
    "links.inter_site.ports",
    "links.inter_site.port_gbps",
    "links.inter_site.rtt_ms",
    "links.inter_site.loss_rate",
    "source.provider",
    "source.region",
    "source.egress_path",
    "pricing.price_book",
    "pricing.plan",
    "pricing.term_years",
    "pricing.power_region",
];

/// `sites[i].copy_fraction` for a site of `s`: its index.
fn site_copy_fraction(path: &str, s: &Scenario) -> Option<usize> {
    let i = path
        .strip_prefix("sites[")?
        .strip_suffix("].copy_fraction")?
        .parse::<usize>()
        .ok()?;
    (i < s.sites.len()).then_some(i)
}

impl Typed {
    /// How a row sets `path` on `s`, read from `base`: only for a field the document
    /// holds as a number or text (so setting it replaces a leaf and nothing around it).
    fn of(path: &str, base: &Value, s: &Scenario) -> Option<Typed> {
        if !path::get(base, path).is_some_and(|v| v.is_number() || v.is_string()) {
            return None;
        }
        match TYPED.iter().position(|(p, _)| *p == path) {
            Some(k) => Some(Typed::Field(k)),
            None => site_copy_fraction(path, s).map(Typed::CopyFraction),
        }
    }

    /// Sets `v` as the reader would read it; `None` when the reader would refuse it (a
    /// fraction for a whole number, text for a number, an unknown choice), for the
    /// document and the reader to word the error.
    fn set(self, s: &mut Scenario, v: &Value) -> Option<()> {
        let slot = match self {
            Typed::Field(k) => TYPED[k].1,
            Typed::CopyFraction(i) => {
                s.sites[i].copy_fraction = v.as_f64()?;
                return Some(());
            }
        };
        match slot {
            Slot::Number(f) => *f(s) = v.as_f64()?,
            Slot::Optional(f) => *f(s) = Some(v.as_f64()?),
            Slot::Whole(f) => *f(s) = u32::try_from(v.as_u64()?).ok()?,
            Slot::Text(f) => *f(s) = v.as_str()?.to_string(),
            Slot::Choice(f) => f(s, v)?,
        }
        Some(())
    }
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
        let scenario = Scenario::from_value(base)?;
        let priced = check_priced_in(&Builtin, &scenario)?;
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
                if let Err(e) = check_alone(base, &scenario, &pairs) {
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
        let typed = paths
            .iter()
            .map(|p| Typed::of(p, base, &scenario))
            .collect();
        let priced_axes: Vec<usize> = (0..axes.len())
            .filter(|&k| !axes[k].paths().iter().all(|p| priced_alike(p, &scenario)))
            .collect();
        let combinations = priced_axes
            .iter()
            .try_fold(1u64, |acc, &k| acc.checked_mul(axes[k].len()));
        let prices = match combinations {
            _ if priced_axes.is_empty() => vec![Some(priced.prices)],
            // Worth it when each combination's prices serve several rows.
            Some(c) if c <= PRICED_COMBINATIONS && c.saturating_mul(4) <= len => (0..c)
                .map(|j| price_combination(base, &axes, &priced_axes, j))
                .collect(),
            _ => Vec::new(),
        };
        let same_lake = paths.iter().all(|p| TIMELINE_ALIKE.contains(&p.as_str()));
        Ok(SweepPlan {
            timeline: same_lake.then(|| timeline(&scenario)),
            priced_axes,
            base: base.clone(),
            axes,
            len,
            paths,
            scenario,
            typed,
            prices,
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
        self.pairs_at(&self.digits(i))
    }

    /// Combination `i`'s value on each axis.
    fn digits(&self, i: u64) -> Vec<usize> {
        let mut digits = vec![0usize; self.axes.len()];
        let mut rest = i;
        for (d, axis) in digits.iter_mut().zip(&self.axes).rev() {
            let n = axis.len().max(1);
            *d = (rest % n) as usize;
            rest /= n;
        }
        digits
    }

    fn pairs_at(&self, digits: &[usize]) -> Vec<(&str, &Value)> {
        self.axes
            .iter()
            .zip(digits)
            .flat_map(|(a, &k)| a.pairs(k))
            .collect()
    }

    /// Combination `i` as a scenario.
    pub fn scenario(&self, i: u64) -> Result<Scenario, ScenarioErrors> {
        self.scenario_of(&self.pairs(i))
    }

    /// The scenario with `pairs` set: on the scenario already read when every value is a
    /// number for a [`Typed`] field (reading the document again was most of a row's
    /// scenario), else on the document, read again.
    fn scenario_of(&self, pairs: &[(&str, &Value)]) -> Result<Scenario, ScenarioErrors> {
        if let Some(read) = set_typed(&self.scenario, pairs, &self.typed) {
            return read;
        }
        let mut doc = self.base.clone();
        for (p, v) in pairs {
            if !path::set(&mut doc, p, (*v).clone()) {
                return Err(ScenarioErrors(vec![FieldError::new(
                    *p,
                    "cannot be set in this scenario",
                )]));
            }
        }
        Scenario::from_value(&doc)
    }

    /// Combination `i`'s figures; the errors of a combination whose values contradict
    /// each other. The figures are the priced report's (`compute_priced`), computed
    /// without the parts of the report a row does not show (`report::key_figures`).
    pub fn row(&self, i: u64) -> Result<SweepRow, ScenarioErrors> {
        let digits = self.digits(i);
        let pairs = self.pairs_at(&digits);
        let s = self.scenario_of(&pairs)?;
        let base = self.timeline.as_ref();
        let combination =
            (self.priced_axes.iter()).fold(0, |j, &k| j * self.axes[k].len() as usize + digits[k]);
        let figures = match self.prices.get(combination) {
            Some(Some(prices)) => key_figures(&s, prices, base),
            _ => key_figures(&s, &check_priced_in(&Builtin, &s)?.prices, base),
        };
        Ok(row_of(
            i,
            pairs.into_iter().map(|(_, v)| v.clone()).collect(),
            figures,
        ))
    }
}

/// `pairs` set on the scenario already read, when each is a number for a [`Typed`] field
/// (`typed`, in the order of `pairs`), and checked as the reader checks after reading:
/// `None` when one is not, for the document and the reader to answer.
fn set_typed(
    scenario: &Scenario,
    pairs: &[(&str, &Value)],
    typed: &[Option<Typed>],
) -> Option<Result<Scenario, ScenarioErrors>> {
    if typed.len() != pairs.len() || typed.iter().any(Option::is_none) {
        return None;
    }
    let mut s = scenario.clone();
    for ((_, v), t) in pairs.iter().zip(typed) {
        t.and_then(|t| t.set(&mut s, v))?;
    }
    let mut errors = Vec::new();
    s.validate_into(&mut errors);
    Some(if errors.is_empty() {
        Ok(s)
    } else {
        Err(ScenarioErrors(errors))
    })
}

/// The most combinations of priced axes a plan prices ahead of its rows.
const PRICED_COMBINATIONS: u64 = 4096;

/// The prices of combination `j` of the `priced` axes (the first changing slowest) set
/// alone on the base document; `None` when that scenario cannot be read or priced.
fn price_combination(base: &Value, axes: &[Axis], priced: &[usize], j: u64) -> Option<Prices> {
    let mut digits = vec![0usize; priced.len()];
    let mut rest = j;
    for (d, &k) in digits.iter_mut().zip(priced).rev() {
        let n = axes[k].len().max(1);
        *d = (rest % n) as usize;
        rest /= n;
    }
    let mut doc = base.clone();
    for (&k, &d) in priced.iter().zip(&digits) {
        for (p, v) in axes[k].pairs(d) {
            if !path::set(&mut doc, p, v.clone()) {
                return None;
            }
        }
    }
    let s = Scenario::from_value(&doc).ok()?;
    crate::priced::price_in(&Builtin, &s).ok().map(|p| p.prices)
}

/// A field pricing does not read, in `s` ([`PRICED_ALIKE`]).
fn priced_alike(path: &str, s: &Scenario) -> bool {
    PRICED_ALIKE.contains(&path) || site_copy_fraction(path, s).is_some()
}

/// One value (or a file's row) applied alone to the base scenario (`base` as the
/// document, `scenario` as read): fine, or the first problem it causes, named by the
/// varied field. Like a row, it sets numbers on the scenario already read and does not
/// price again for fields pricing does not read (the base priced): a plan checks every
/// value, which for a sweep of one field was a row's cost again.
fn check_alone(
    base: &Value,
    scenario: &Scenario,
    pairs: &[(&str, &Value)],
) -> Result<(), FieldError> {
    let typed: Vec<Option<Typed>> = pairs
        .iter()
        .map(|(p, _)| Typed::of(p, base, scenario))
        .collect();
    let read = match set_typed(scenario, pairs, &typed) {
        Some(read) => read,
        None => {
            let mut doc = base.clone();
            for (p, v) in pairs {
                if !path::set(&mut doc, p, (*v).clone()) {
                    return Err(FieldError::new(
                        p.to_string(),
                        "cannot be set in this scenario (a list index past the end, or a path \
                         through a value that is not an object)",
                    ));
                }
            }
            Scenario::from_value(&doc)
        }
    };
    let alike = pairs.iter().all(|(p, _)| priced_alike(p, scenario));
    // The checks of a report without the report: each combination is computed later.
    let checked = read.and_then(|s| {
        if alike {
            Ok(())
        } else {
            check_priced_in(&Builtin, &s).map(drop)
        }
    });
    match checked {
        Ok(()) => Ok(()),
        Err(ScenarioErrors(list)) => {
            let field = pairs.first().map_or(String::new(), |(p, _)| p.to_string());
            // The problem about a varied field first: that is the one to show.
            let e = list
                .iter()
                .find(|e| pairs.iter().any(|(p, _)| e.path == *p))
                .or(list.first());
            match e {
                Some(e) if pairs.len() == 1 && e.path == field => {
                    Err(FieldError::new(field, e.message.clone()))
                }
                Some(e) => {
                    let shown: Vec<String> =
                        pairs.iter().map(|(p, v)| format!("{p}={v}")).collect();
                    Err(FieldError::new(
                        field,
                        format!("cannot be {}: {e}", shown.join(", ")),
                    ))
                }
                None => Ok(()),
            }
        }
    }
}

fn row_of(index: u64, values: Vec<Value>, f: KeyFigures) -> SweepRow {
    let named = |list: Vec<(String, u64)>| {
        list.into_iter()
            .map(|(name, value)| Named { name, value })
            .collect()
    };
    SweepRow {
        index,
        values,
        peak_gbps: f.peak_gbps,
        first_infeasible_month: f.first_infeasible_month,
        ports_needed: named(f.ports_needed),
        seed_days: f.seed_days,
        enclosures: named(f.enclosures),
        total_cost_usd: f.total_cost_usd,
        usd_per_effective_tb_month: f.usd_per_effective_tb_month,
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
    // Each row written straight into the text: a String per cell, then its quoted copy,
    // made the CSV a tenth of a sweep's instructions (12.8 k a row, 6.4 k now). Numbers,
    // months and empty cells never need quoting; a value does when it holds a comma, a
    // quote or a line break.
    for r in rows {
        let mut line = Line::new(&mut out);
        for v in &r.values {
            match v {
                Value::String(s) => line.text(s),
                other => line.text(&other.to_string()),
            }
        }
        line.plain(r.peak_gbps);
        line.plain(Opt(r.first_infeasible_month));
        for p in &path_names {
            line.plain(Opt(r
                .ports_needed
                .iter()
                .find(|x| x.name == *p)
                .map(|x| x.value)));
        }
        line.plain(Opt(r.seed_days));
        for s in &site_names {
            line.plain(Opt(r
                .enclosures
                .iter()
                .find(|x| x.name == *s)
                .map(|x| x.value)));
        }
        line.plain(r.total_cost_usd);
        line.plain(Opt(r.usd_per_effective_tb_month));
        out.push('\n');
    }
    out
}

/// A value written as itself, or an empty cell for `None`.
struct Opt<T>(Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for Opt<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(x) => x.fmt(f),
            None => Ok(()),
        }
    }
}

/// One CSV line being written: cells separated by commas.
struct Line<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Line<'a> {
    fn new(out: &'a mut String) -> Self {
        Line { out, first: true }
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// Text, quoted as [`crate::whatif::plans::csv_field`] quotes it.
    fn text(&mut self, text: &str) {
        self.comma();
        push_csv_field(self.out, text);
    }

    /// A number or a month in its `Display` form, which holds no character to quote.
    fn plain(&mut self, x: impl std::fmt::Display) {
        use std::fmt::Write;
        self.comma();
        // Writing into a String cannot fail.
        let _ = write!(self.out, "{x}");
    }
}

fn push_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let mut line = Line::new(out);
    for c in cells {
        line.text(c);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::plans::csv_field;
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

    fn preset_docs() -> Vec<(&'static str, Value)> {
        crate::presets::all()
            .iter()
            .map(|p| (p.id, serde_json::from_str(p.json).unwrap()))
            .collect()
    }

    /// The row as it was computed before [`key_figures`]: from the whole priced report.
    fn row_of_report(index: u64, values: Vec<Value>, r: &crate::report::Report) -> SweepRow {
        let (first, last) = (r.months.first(), r.months.last());
        let named = |name: &str, value| Named {
            name: name.to_string(),
            value,
        };
        SweepRow {
            index,
            values,
            peak_gbps: r.months.iter().map(|m| m.peak_gbps).fold(0.0, f64::max),
            first_infeasible_month: r.summary.first_infeasible_month,
            ports_needed: first.map_or_else(Vec::new, |m| {
                (m.paths.iter().enumerate())
                    .map(|(j, p)| named(&p.name, r.max_ports_needed(j)))
                    .collect()
            }),
            seed_days: r.summary.seed_days,
            enclosures: last.map_or_else(Vec::new, |m| {
                m.sites
                    .iter()
                    .map(|s| named(&s.name, s.enclosures))
                    .collect()
            }),
            total_cost_usd: r.summary.total_cost_usd,
            usd_per_effective_tb_month: r.summary.usd_per_effective_tb_month,
        }
    }

    /// Every row, typed or read from the document, priced once or per row, is the priced
    /// report's figures to the bit (compared in their `Debug` form, which writes every
    /// f64 in full), on every preset.
    #[test]
    fn rows_are_their_priced_reports_figures() {
        let sweeps: &[&[&str]] = &[
            &["change.value=2..30:7", "links.cloud.ports=10,64"],
            &[
                "sites[0].copy_fraction=0.5,1",
                "network.topology=chain,fan_out",
            ],
            &["cluster.data_reduction=1,1.5", "horizon_months=1,7,60"],
            &["pricing.term_years=1,3", "change.peak_to_mean=1,2.5"],
            &["links.cloud.port_gbps=100,400", "lake.initial_pb=5,450"],
            &["pricing.term_years=1,3", "change.value=2..30:7"],
            &[
                "change.value=2..30:7",
                "pricing.plan=capacity-only,core-plus-capacity",
            ],
            &[
                "links.cloud.port_gbps=10,100,400",
                "links.cloud.ports=10,64",
                "source.egress_path=internet,interconnect",
                "change.value=5,50",
            ],
        ];
        let (mut rows, mut priced_once, mut by_combination) = (0, 0, 0);
        for (id, base) in preset_docs() {
            for vary in sweeps {
                let axes = vary
                    .iter()
                    .map(|a| Axis::Field(parse_vary(a).unwrap()))
                    .collect();
                let Ok(plan) = SweepPlan::new(&base, axes, 1000) else {
                    continue;
                };
                rows += plan.len();
                priced_once += u64::from(!plan.prices.is_empty()) * plan.len();
                by_combination +=
                    u64::from(!plan.priced_axes.is_empty() && !plan.prices.is_empty());
                for i in 0..plan.len() {
                    let pairs = plan.pairs(i);
                    let mut doc = base.clone();
                    for (p, v) in &pairs {
                        assert!(path::set(&mut doc, p, (*v).clone()));
                    }
                    let values = pairs.iter().map(|(_, v)| (*v).clone()).collect();
                    let want = Scenario::from_value(&doc)
                        .and_then(|s| crate::report::compute_priced(&s))
                        .map(|r| row_of_report(i, values, &r));
                    let got = plan.row(i);
                    assert_eq!(format!("{got:?}"), format!("{want:?}"), "{id} {vary:?} {i}");
                }
            }
        }
        eprintln!("{rows} rows, {priced_once} priced ahead, {by_combination} plans by combination");
        assert!(rows > 80 && priced_once > 40 && rows > priced_once + 20 && by_combination > 4);
    }

    /// A number set on the scenario already read gives what reading the edited document
    /// gives, errors included, for every [`TYPED`] field and `sites[i].copy_fraction` on
    /// every preset, with values in and out of range, fractions and huge numbers.
    #[test]
    fn typed_rows_read_as_the_document_does() {
        let values = [
            json!(0),
            json!(-1),
            json!(0.5),
            json!(1),
            json!(3),
            json!(7.25),
            json!(64),
            json!(100),
            json!(1e6),
            json!(1e300),
            json!(-1e-300),
            json!(u64::from(u32::MAX) + 1),
            json!(u64::MAX),
            json!(""),
            json!("nonsense"),
            json!("fan_out"),
            json!("chain"),
            json!("pb_per_month"),
            json!("logistic"),
            json!("points"),
            json!("aws"),
            json!("onprem"),
            json!("internet"),
            json!("us-east-1"),
            json!("capacity-only"),
            json!("2026-12"),
            json!("us-va"),
            json!(true),
            json!(null),
            json!([1]),
        ];
        let mut typed = 0;
        for (id, base) in preset_docs() {
            let paths = TYPED
                .iter()
                .map(|(p, _)| p.to_string())
                .chain((0..3).map(|i| format!("sites[{i}].copy_fraction")));
            for p in paths {
                let Some(own) = path::get(&base, &p).cloned() else {
                    continue;
                };
                let axes = vec![Axis::Field(Vary {
                    path: p.clone(),
                    values: vec![own],
                })];
                let plan = SweepPlan::new(&base, axes, 10).unwrap();
                assert!(plan.typed[0].is_some(), "{id} {p}");
                typed += 1;
                for v in &values {
                    let mut doc = base.clone();
                    path::set(&mut doc, &p, v.clone());
                    let want = Scenario::from_value(&doc);
                    let got = plan.scenario_of(&[(p.as_str(), v)]);
                    assert_eq!(got, want, "{id} {p}={v}");
                }
            }
        }
        assert!(typed > 4 * 30, "{typed}");
    }

    /// [`check_alone`] as it was: the document edited, read and priced.
    fn check_alone_by_document(base: &Value, pairs: &[(&str, &Value)]) -> Result<(), FieldError> {
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
        match Scenario::from_value(&doc).and_then(|s| check_priced_in(&Builtin, &s)) {
            Ok(_) => Ok(()),
            Err(ScenarioErrors(list)) => {
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

    /// A plan's check of each value answers what editing, reading and pricing the document
    /// answered, alone and in pairs, for typed, priced-alike and other fields, good values
    /// and bad.
    #[test]
    fn values_are_checked_as_the_document_is() {
        let paths = [
            "change.value",
            "links.cloud.ports",
            "links.cloud.port_gbps",
            "lake.target_pb",
            "horizon_months",
            "cluster.node_cores",
            "cluster.ec_parity",
            "network.topology",
            "change.basis",
            "sites[1].copy_fraction",
            "sites[5].copy_fraction",
            "pricing.term_years",
            "source.region",
            "pricing.overrides.gcp.interconnect.egress.na",
        ];
        let values = [
            json!(-1),
            json!(0),
            json!(0.5),
            json!(1),
            json!(3.5),
            json!(10),
            json!(48),
            json!(100),
            json!(1e9),
            json!("fan_out"),
            json!("pb_per_day"),
            json!("mars-1"),
            json!(null),
        ];
        let mut checked = 0;
        for (id, base) in preset_docs() {
            let s = Scenario::from_value(&base).unwrap();
            for (k, p) in paths.iter().enumerate() {
                for v in &values {
                    let alone = [(*p, v)];
                    assert_eq!(
                        check_alone(&base, &s, &alone),
                        check_alone_by_document(&base, &alone),
                        "{id} {p}={v}"
                    );
                    let q = paths[(k + 1) % paths.len()];
                    let two = [(*p, v), (q, &values[(k + 3) % values.len()])];
                    assert_eq!(
                        check_alone(&base, &s, &two),
                        check_alone_by_document(&base, &two),
                        "{id} {two:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 400, "{checked}");
    }

    /// [`to_csv`]'s rows as they were written: a String per cell, each through
    /// [`crate::whatif::plans::csv_field`].
    fn csv_rows_by_cells(path_names: &[&str], site_names: &[&str], rows: &[SweepRow]) -> String {
        let mut out = String::new();
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
            for p in path_names {
                cells.push(
                    r.ports_needed
                        .iter()
                        .find(|x| x.name == *p)
                        .map_or(String::new(), |x| x.value.to_string()),
                );
            }
            cells.push(opt(r.seed_days));
            for s in site_names {
                cells.push(
                    r.enclosures
                        .iter()
                        .find(|x| x.name == *s)
                        .map_or(String::new(), |x| x.value.to_string()),
                );
            }
            cells.push(r.total_cost_usd.to_string());
            cells.push(opt(r.usd_per_effective_tb_month));
            let quoted: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&quoted.join(","));
            out.push('\n');
        }
        out
    }

    /// The CSV is the text it was, to the byte: values that need quoting (commas, quotes,
    /// line breaks, JSON lists and objects), missing figures, paths and sites some rows
    /// lack, numbers of every size.
    #[test]
    fn the_csv_is_written_as_before() {
        let named = |name: &str, value| Named {
            name: name.into(),
            value,
        };
        let row = |index, values: Vec<Value>, x: f64, some: bool| SweepRow {
            index,
            values,
            peak_gbps: x,
            first_infeasible_month: some.then(|| "2027-03".parse().unwrap()),
            ports_needed: if some {
                vec![named("cloud → A", 53), named("A → B, east", 7)]
            } else {
                vec![named("cloud → B", 1)]
            },
            seed_days: some.then_some(x / 3.0),
            enclosures: vec![named("A", 400), named("B \"2\"", u64::MAX)],
            total_cost_usd: x * 1e9,
            usd_per_effective_tb_month: (!some).then_some(-0.0),
        };
        let rows = vec![
            row(0, vec![json!(5), json!("chain")], 0.1, true),
            row(1, vec![json!(5.25), json!("a,b")], 1e21, false),
            row(
                2,
                vec![json!([1, 2]), json!("say \"hi\"\nthere")],
                1e-7,
                true,
            ),
            row(
                3,
                vec![json!({"a": 1, "b": 2}), json!(null)],
                f64::MAX,
                false,
            ),
            row(4, vec![json!(true), json!("")], 123_456.789, true),
        ];
        let paths = ["change.value".to_string(), "network.topology".to_string()];
        let text = to_csv(&paths, &rows);
        let (header, body) = text.split_once('\n').unwrap();
        assert_eq!(
            header,
            "change.value,network.topology,peak_gbps,first_infeasible_month,\
             ports_needed cloud → A,\"ports_needed A → B, east\",ports_needed cloud → B,\
             seed_days,enclosures A,\"enclosures B \"\"2\"\"\",total_cost_usd,\
             usd_per_effective_tb_month"
        );
        let by_cells = csv_rows_by_cells(
            &["cloud → A", "A → B, east", "cloud → B"],
            &["A", "B \"2\""],
            &rows,
        );
        assert_eq!(body, by_cells);
    }

    /// Varying a [`TIMELINE_ALIKE`] field leaves the timeline's lake and storage as they
    /// are, to the bit, on every preset, for values the scenario accepts, and the base's
    /// timeline with the varied change is the varied scenario's.
    #[test]
    fn timeline_alike_fields_leave_the_lake_and_storage() {
        let numbers = [0.5, 1.0, 2.0, 3.0, 24.0, 64.0, 400.0, 1e-5];
        let mut checked = 0;
        for (id, base) in preset_docs() {
            let s = Scenario::from_value(&base).unwrap();
            let own = timeline(&s);
            for p in TIMELINE_ALIKE {
                let mut tried: Vec<Value> = numbers.iter().map(|&x| json!(x)).collect();
                tried.extend(numbers.iter().map(|&x| json!(x as u64)));
                tried.extend(
                    [
                        "percent_per_day",
                        "pb_per_day",
                        "pb_per_month",
                        "chain",
                        "fan_out",
                        "aws",
                        "azure",
                        "onprem",
                        "internet",
                        "us-east-1",
                        "europe-west1",
                        "2026-12",
                        "capacity-only",
                        "us-va",
                    ]
                    .map(|t| json!(t)),
                );
                for v in tried {
                    let mut doc = base.clone();
                    path::set(&mut doc, p, v.clone());
                    let Ok(varied) = Scenario::from_value(&doc) else {
                        continue;
                    };
                    // `Debug` writes every f64 in full: equal text, equal bits.
                    let want = format!("{:?}", timeline(&varied));
                    assert_eq!(
                        format!("{:?}", own.with_change(&varied)),
                        want,
                        "{id} {p}={v}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 4 * TIMELINE_ALIKE.len(), "{checked}");
    }

    /// Varying a [`PRICED_ALIKE`] field leaves the prices as they are, on every preset,
    /// for values the scenario accepts.
    #[test]
    fn priced_alike_fields_leave_the_prices() {
        let numbers = [0.5, 1.0, 2.0, 3.0, 24.0, 64.0, 500.0];
        let mut checked = 0;
        for (id, base) in preset_docs() {
            let s = Scenario::from_value(&base).unwrap();
            let prices = crate::priced::price(&s).unwrap().prices;
            let paths = PRICED_ALIKE
                .iter()
                .map(|p| p.to_string())
                .chain((0..s.sites.len()).map(|i| format!("sites[{i}].copy_fraction")));
            for p in paths {
                let mut tried: Vec<Value> = numbers.iter().map(|&x| json!(x)).collect();
                tried.extend(numbers.iter().map(|&x| json!(x as u64)));
                tried.extend(
                    [
                        "linear",
                        "compound",
                        "logistic",
                        "points",
                        "percent_per_day",
                        "pb_per_day",
                        "pb_per_month",
                        "chain",
                        "fan_out",
                        "2031-06",
                        "2027-02",
                    ]
                    .map(|t| json!(t)),
                );
                for v in tried {
                    let mut doc = base.clone();
                    path::set(&mut doc, &p, v.clone());
                    let Ok(varied) = Scenario::from_value(&doc) else {
                        continue;
                    };
                    let got = crate::priced::price(&varied).map(|p| p.prices);
                    assert_eq!(got.as_ref(), Ok(&prices), "{id} {p}={v}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 4 * PRICED_ALIKE.len(), "{checked}");
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
