//! The scenario's inputs, each stated once: its JSON path, what a person calls it, its
//! unit, what it allows, its default, whether it is required, and which what-ifs may move
//! it.
//!
//! Before this registry the same facts were restated by the parser, the validator, the
//! planner's form, the tornado, the Monte Carlo and the API document, and drifted (a
//! label here, a bound there). Now the parser and validator take defaults and bounds from
//! [`INPUTS`], the form its labels, units, help and choices, the what-ifs their ranges and
//! short labels, and [`json_schema`] writes the scenario's JSON Schema from the same table.
//!
//! The table is one `static` array with no I/O and no collection types: the browser
//! (wasm32) carries it once, about 6 KB beyond the texts the form needed anyway, and the
//! form points at its entries rather than copying them. [`get`] looks an input up at
//! compile time (a wrong path fails the build); [`input`] at run time, with list indices
//! (`sites[2].name`) or without (`sites[].name`).
//!
//! What the limits on a request are, and why, is [`limits`].

/// The only scenario format this version reads and writes (`format` in the file).
pub const FORMAT: u32 = 1;

pub mod limits;
mod schema;
mod table;

pub use schema::{json_schema, MONTH_PATTERN};
pub use table::{
    BASES, CLAIM_BASES, CLOUD_TORNADO, COMMITMENTS, CURVES, EGRESS_PATHS, EGRESS_RATE, INPUTS,
    INSTANCE_PRICE, LISTS, OPTIONAL_SECTIONS, PLANS, POWER_REGIONS, PROVIDERS, TCP_ACKS,
    TCP_TIMESTAMPS, TOPOLOGIES, TORNADO, UNCERTAIN,
};

/// One scenario leaf field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputSpec {
    /// The JSON path; list items as `sites[].copy_fraction`.
    pub path: &'static str,
    /// What the form calls it, next to the input.
    pub label: &'static str,
    /// What the what-ifs (tornado rows, fan charts, their sentences) call it, where the
    /// form's group heading is not there to give context; empty: the label.
    pub short: &'static str,
    /// The unit shown beside the value; empty for none.
    pub unit: &'static str,
    /// One sentence of help; may be empty.
    pub help: &'static str,
    pub kind: Kind,
    /// What the scenario reads when the field is missing.
    pub default: Dflt,
    pub required: Required,
}

/// What a field holds and allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A number in `range` (always finite). `note` follows the range in the error
    /// message (the reason for a bound). `when` gives another range while a sibling field
    /// has a given value (a percentage cannot pass 100).
    Number {
        range: &'static FieldRange,
        note: &'static str,
        when: Option<&'static When>,
    },
    /// A whole number from `min` to `max`; `u32::MAX` for no upper bound (the file format
    /// stores whole numbers as u32).
    Whole { min: u32, max: u32 },
    /// A month written `YYYY-MM`, years 0001 to 9999.
    Month,
    /// Any text.
    Text,
    /// A site's name: not blank, not `cloud` (which names the source in path names),
    /// unique among the sites, at most [`limits::MAX_NAME_CHARS`] characters (it is
    /// repeated in every month of the report).
    SiteName,
    /// `true` or `false` (a JSON boolean).
    Flag,
    /// One of a fixed set of (JSON value, label).
    Choice(&'static [(&'static str, &'static str)]),
    /// Text that the price book resolves (a plan, a power region): any text is read, the
    /// book refuses what it does not have; `known` are the shipped book's values.
    BookText(&'static [(&'static str, &'static str)]),
    /// An object of any values (`pricing.overrides`: price-book row id → value), which
    /// the price book checks.
    AnyObject,
}

/// Another range while a sibling field of the same object has a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    /// The sibling's key, e.g. `basis`.
    pub sibling: &'static str,
    /// The sibling's value, e.g. `percent_per_day`.
    pub is: &'static str,
    pub range: &'static FieldRange,
}

/// The value a missing field takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dflt {
    /// None: the field is required, or missing means something the help states
    /// (`network.seed_pb`: the whole initial lake).
    None,
    Number(f64),
    Whole(u32),
    /// Text, or the JSON value of a choice.
    Text(&'static str),
    Flag(bool),
    /// `{}`.
    EmptyObject,
}

impl Dflt {
    /// The number; a compile-time error in a `const` when the default is not one.
    pub const fn number(self) -> f64 {
        match self {
            Dflt::Number(x) => x,
            _ => panic!("the default is not a number"),
        }
    }
    /// The whole number; a compile-time error in a `const` when it is not one.
    pub const fn whole(self) -> u32 {
        match self {
            Dflt::Whole(x) => x,
            _ => panic!("the default is not a whole number"),
        }
    }
    /// The text; a compile-time error in a `const` when it is not text.
    pub const fn text(self) -> &'static str {
        match self {
            Dflt::Text(x) => x,
            _ => panic!("the default is not text"),
        }
    }
    /// The flag; a compile-time error in a `const` when it is not one.
    pub const fn flag(self) -> bool {
        match self {
            Dflt::Flag(x) => x,
            _ => panic!("the default is not a flag"),
        }
    }
    /// The default as the scenario file writes it; `None` when there is none.
    pub fn to_json(self) -> Option<serde_json::Value> {
        use serde_json::Value;
        match self {
            Dflt::None => None,
            Dflt::Number(x) => Some(Value::from(x)),
            Dflt::Whole(x) => Some(Value::from(x)),
            Dflt::Text(t) => Some(Value::from(t)),
            Dflt::Flag(b) => Some(Value::Bool(b)),
            Dflt::EmptyObject => Some(Value::Object(serde_json::Map::new())),
        }
    }
}

/// Whether a file must give the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    No,
    Yes,
    /// Required unless the sibling field has this value (`lake.target_pb` unless
    /// `curve` is `points`).
    Unless {
        sibling: &'static str,
        is: &'static str,
    },
}

/// A list of objects in the scenario, and how many items it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSpec {
    pub path: &'static str,
    /// The items' name in messages: "site", "claim", "point".
    pub item: &'static str,
    pub required: bool,
    /// At least this many items (while `only_when` holds, when it is given).
    pub min: usize,
    /// At most this many: see [`limits`].
    pub max: usize,
    /// The list is read only while a sibling field has this value, and must be empty
    /// otherwise (`lake.points` only with the `points` curve): (sibling, value).
    pub only_when: Option<(&'static str, &'static str)>,
}

impl ListSpec {
    /// "must list at most 32 sites, got 1000", or `None` within the limit.
    pub fn check_max(&self, len: usize) -> Option<String> {
        (len > self.max)
            .then(|| format!("must list at most {} {}s, got {len}", self.max, self.item))
    }
}

impl InputSpec {
    /// The JSON key: the last segment of the path.
    pub fn key(&self) -> &'static str {
        let p = self.path;
        p.rfind('.').map_or(p, |i| &p[i + 1..])
    }

    /// The label the what-ifs use.
    pub fn short_label(&self) -> &'static str {
        if self.short.is_empty() {
            self.label
        } else {
            self.short
        }
    }

    /// The values allowed while the field's `when` condition holds (`holds`) or not;
    /// `None` for a field that is not a number.
    pub fn range_when(&self, holds: bool) -> Option<FieldRange> {
        match self.kind {
            Kind::Number { range, when, .. } => Some(match when {
                Some(w) if holds => *w.range,
                _ => *range,
            }),
            Kind::Whole { min, max } => Some(FieldRange::closed(f64::from(min), f64::from(max))),
            _ => None,
        }
    }

    /// The values allowed when the sibling named by `when` has the JSON value `sibling`
    /// (`change.value` given `change.basis` = `percent_per_day`: 0 to 100).
    pub fn range_given(&self, sibling: &str) -> Option<FieldRange> {
        let holds = matches!(self.kind, Kind::Number { when: Some(w), .. } if w.is == sibling);
        self.range_when(holds)
    }

    /// The values allowed when no `when` condition holds.
    pub fn range(&self) -> Option<FieldRange> {
        self.range_when(false)
    }

    /// A whole number's kind.
    pub fn is_whole(&self) -> bool {
        matches!(self.kind, Kind::Whole { .. })
    }

    /// The choices of a choice or book-text field, empty for other kinds.
    pub fn options(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            Kind::Choice(o) | Kind::BookText(o) => o,
            _ => &[],
        }
    }

    /// Moved by the sensitivity tornado ([`TORNADO`]).
    pub fn tornado(&self) -> bool {
        TORNADO.contains(&self.path)
    }

    /// May be given as a range in a Monte Carlo run ([`UNCERTAIN`]).
    pub fn uncertain(&self) -> bool {
        UNCERTAIN.contains(&self.path)
    }

    /// The field is an `Option` in the scenario: no default and not always required, so
    /// a file may also write it as `null`.
    pub fn nullable(&self) -> bool {
        self.default == Dflt::None && self.required != Required::Yes
    }

    /// Checks a number at path `at` against the field's range (`holds`: whether its
    /// `when` condition holds), in the validator's wording: `must be > 0, got -5`,
    /// `must be between 1 and 600, got 700`, `must be ≥ 1, got 0`.
    pub fn check(&self, at: &str, x: f64, holds: bool) -> Result<(), crate::field::FieldError> {
        let Some(range) = self.range_when(holds) else {
            return Ok(());
        };
        if x.is_finite() && range.contains(x) {
            return Ok(());
        }
        let allowed = match self.kind {
            Kind::Whole { min, max } if min == max => format!("{min}"),
            Kind::Whole { min, max: u32::MAX } => format!("≥ {min}"),
            Kind::Number { note, .. } => format!("{}{}", range.describe(), note),
            _ => range.describe(),
        };
        let got = if x.is_nan() {
            "NaN".to_string()
        } else {
            format!("{x}")
        };
        Err(crate::field::FieldError::new(
            at,
            format!("must be {allowed}, got {got}"),
        ))
    }
}

/// Whether a registry path (`sites[].name`) names a concrete path (`sites[3].name`, or
/// `sites[].name` itself).
fn same_path(pattern: &str, path: &str) -> bool {
    let (p, q) = (pattern.as_bytes(), path.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < p.len() && j < q.len() {
        if p[i] == b'[' && q[j] == b'[' && p.get(i + 1) == Some(&b']') {
            let mut k = j + 1;
            while k < q.len() && q[k].is_ascii_digit() {
                k += 1;
            }
            if q.get(k) != Some(&b']') {
                return false;
            }
            i += 2;
            j = k + 1;
        } else if p[i] == q[j] {
            i += 1;
            j += 1;
        } else {
            return false;
        }
    }
    i == p.len() && j == q.len()
}

/// The input at `path` (`lake.initial_pb`, `sites[2].copy_fraction` or
/// `sites[].copy_fraction`).
///
/// ```
/// use lakeplan_models::inputs::input;
/// assert_eq!(input("sites[2].copy_fraction").unwrap().path, "sites[].copy_fraction");
/// assert_eq!(input("lake.initial_pb").unwrap().unit, "PB");
/// assert!(input("lake.nothing").is_none());
/// ```
pub fn input(path: &str) -> Option<&'static InputSpec> {
    INPUTS.iter().find(|i| same_path(i.path, path))
}

/// The list at `path` (`sites`, `claims`, `lake.points`).
pub fn list(path: &str) -> Option<&'static ListSpec> {
    LISTS.iter().find(|l| l.path == path)
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The entry of `$table` whose `path` is `$path`, in a `const fn`, where neither
/// iterators nor closures run; panics (a build error in a `const`) when there is none.
macro_rules! find {
    ($table:expr, $path:expr, $missing:literal) => {{
        let mut i = 0;
        while i < $table.len() {
            if str_eq($table[i].path, $path) {
                return &$table[i];
            }
            i += 1;
        }
        panic!($missing)
    }};
}

/// The input at the exact registry `path`, for code that names a field: used in a
/// `const` (`const { get("lake.initial_pb") }`) a path that is not in the registry fails
/// the build rather than a request.
pub const fn get(path: &str) -> &'static InputSpec {
    find!(INPUTS, path, "no scenario input has this path")
}

/// The list at the exact `path`, for code that names a list: in a `const`, a path that
/// is not in the registry fails the build.
pub const fn get_list(path: &str) -> &'static ListSpec {
    find!(LISTS, path, "no scenario list has this path")
}

/// The values a field allows: `lo` to `hi`, each end open or closed; infinite ends are
/// open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldRange {
    pub lo: f64,
    pub lo_open: bool,
    pub hi: f64,
    pub hi_open: bool,
}

impl FieldRange {
    /// `> 0`.
    pub const POSITIVE: FieldRange = FieldRange {
        lo: 0.0,
        lo_open: true,
        hi: f64::INFINITY,
        hi_open: true,
    };
    /// `≥ 0`.
    pub const NON_NEGATIVE: FieldRange = FieldRange {
        lo: 0.0,
        lo_open: false,
        hi: f64::INFINITY,
        hi_open: true,
    };

    /// `lo ≤ x ≤ hi`.
    pub const fn closed(lo: f64, hi: f64) -> FieldRange {
        FieldRange {
            lo,
            lo_open: false,
            hi,
            hi_open: false,
        }
    }

    /// `lo < x ≤ hi`: a share that cannot be nothing, a window of up to 24 hours.
    pub const fn open_closed(lo: f64, hi: f64) -> FieldRange {
        FieldRange {
            lo,
            lo_open: true,
            hi,
            hi_open: false,
        }
    }

    /// `lo ≤ x < hi`: a loss rate, a reserve percentage.
    pub const fn closed_open(lo: f64, hi: f64) -> FieldRange {
        FieldRange {
            lo,
            lo_open: false,
            hi,
            hi_open: true,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = if self.lo_open {
            x > self.lo
        } else {
            x >= self.lo
        };
        let below = if self.hi_open {
            x < self.hi
        } else {
            x <= self.hi
        };
        above && below
    }

    /// "> 0", "between 1 and 1000", "≥ 0".
    pub fn describe(&self) -> String {
        let lo = if self.lo_open { ">" } else { "≥" };
        let hi = if self.hi_open { "<" } else { "≤" };
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (true, true) if !self.lo_open && !self.hi_open => {
                format!("between {} and {}", self.lo, self.hi)
            }
            (true, true) => format!("{lo} {} and {hi} {}", self.lo, self.hi),
            (true, false) => format!("{lo} {}", self.lo),
            (false, true) => format!("{hi} {}", self.hi),
            (false, false) => "any number".to_string(),
        }
    }

    /// The nearest value inside the range: the draws' guard against rounding at an edge.
    pub(crate) fn clamp(&self, x: f64) -> f64 {
        let mut x = x;
        if x < self.lo || (self.lo_open && x == self.lo) {
            x = if self.lo_open {
                self.lo.next_up()
            } else {
                self.lo
            };
        }
        if x > self.hi || (self.hi_open && x == self.hi) {
            x = if self.hi_open {
                self.hi.next_down()
            } else {
                self.hi
            };
        }
        x
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::scenario::Scenario;
    use serde_json::{json, Value};

    /// Every required field given once, and one item in each list, so every leaf with a
    /// default is missing.
    fn minimal() -> Value {
        json!({
            "start_month": "2026-01",
            "lake": { "initial_pb": 450, "target_pb": 770, "target_month": "2030-01" },
            "change": { "value": 10 },
            "sites": [ { "name": "A" } ],
            "cloud_cluster": { "instance": "gcp.z3-highmem-88-highlssd" },
            "claims": [ { "basis": "tbps", "value": 1 } ]
        })
    }

    fn first_item(path: &str) -> String {
        path.replace("[]", "[0]")
    }

    /// The registry's defaults are what serde reads for a missing field, and what the
    /// parser reads: the one home of each default is honoured by both ways in.
    #[test]
    fn defaults_are_what_the_scenario_reads() {
        let doc = minimal();
        let by_serde: Scenario = serde_json::from_value(doc.clone()).unwrap();
        let by_parser = Scenario::from_value(&doc).unwrap();
        assert_eq!(by_serde, by_parser);
        let written = serde_json::to_value(&by_serde).unwrap();
        let mut checked = 0;
        for spec in INPUTS {
            let at = first_item(spec.path);
            match spec.default.to_json() {
                Some(d) => {
                    assert_eq!(crate::path::get(&written, &at), Some(&d), "{}", spec.path);
                    checked += 1;
                }
                // Required (or required with some curves), so `minimal` gives it.
                None if spec.required != Required::No => {}
                // An `Option` field: missing reads as none, so it is not written back.
                None => assert_eq!(crate::path::get(&written, &at), None, "{}", spec.path),
            }
        }
        assert!(checked > 50, "only {checked} defaults checked");
    }

    /// A required field left out is refused by serde and by the parser, naming it.
    #[test]
    fn required_fields_are_refused_when_missing() {
        let full = json!({
            "start_month": "2026-01",
            "lake": { "initial_pb": 450, "curve": "points",
                      "points": [ { "month": "2027-01", "pb": 500 } ] },
            "change": { "value": 10 },
            "sites": [ { "name": "A" } ],
            "cloud_cluster": { "instance": "gcp.z3-highmem-88-highlssd" },
            "claims": [ { "basis": "tbps", "value": 1 } ]
        });
        assert!(Scenario::from_value(&full).is_ok());
        for spec in INPUTS.iter().filter(|s| s.required == Required::Yes) {
            let at = first_item(spec.path);
            let mut doc = full.clone();
            let (parent, key) = at
                .rsplit_once('.')
                .map_or(("", at.as_str()), |(p, k)| (p, k));
            let holder = if parent.is_empty() {
                &mut doc
            } else {
                doc.pointer_mut(&format!(
                    "/{}",
                    parent.replace('.', "/").replace("[0]", "/0")
                ))
                .unwrap()
            };
            holder.as_object_mut().unwrap().remove(key);
            assert!(
                serde_json::from_value::<Scenario>(doc.clone()).is_err(),
                "{at}"
            );
            let errors = Scenario::from_value(&doc).unwrap_err().0;
            assert!(errors.iter().any(|e| e.path == at), "{at}: {errors:?}");
        }
    }

    /// Every leaf of a scenario with every optional part written is in the registry, and
    /// every registry path is such a leaf.
    #[test]
    fn the_registry_lists_every_leaf() {
        let mut doc = minimal();
        doc["network"] = json!({ "seed_pb": 100 });
        doc["cloud_cluster"]["throughput_gbps"] = json!(400);
        doc["cloud_cluster"]["cloud_rate_usd_per_tb_month"] = json!(12);
        let s = Scenario::from_value(&doc).unwrap();
        let mut written = serde_json::to_value(&s).unwrap();
        written["lake"]["points"] = json!([{ "month": "2027-01", "pb": 1 }]);
        let mut leaves = Vec::new();
        fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) if prefix != "pricing.overrides" => {
                    for (k, c) in m {
                        let p = if prefix.is_empty() {
                            k.clone()
                        } else {
                            format!("{prefix}.{k}")
                        };
                        walk(&p, c, out);
                    }
                }
                Value::Array(items) => {
                    for c in items {
                        walk(&format!("{prefix}[]"), c, out);
                    }
                }
                _ => out.push(prefix.to_string()),
            }
        }
        walk("", &written, &mut leaves);
        for leaf in &leaves {
            assert!(input(leaf).is_some(), "{leaf} is not in the registry");
        }
        for spec in INPUTS {
            assert!(
                leaves.iter().any(|l| l == spec.path),
                "{} is not a leaf",
                spec.path
            );
        }
        for l in LISTS {
            assert!(INPUTS
                .iter()
                .any(|i| i.path.starts_with(&format!("{}[].", l.path))));
        }
    }

    /// The parser reads one set of defaults for both links.
    #[test]
    fn both_links_share_their_defaults() {
        for key in ["ports", "port_gbps", "rtt_ms", "loss_rate"] {
            let cloud = input(&format!("links.cloud.{key}")).unwrap();
            let inter = input(&format!("links.inter_site.{key}")).unwrap();
            assert_eq!(cloud.default, inter.default, "{key}");
            assert_eq!(cloud.kind, inter.kind, "{key}");
        }
    }

    /// The what-ifs' lists name numbers of the registry, and the Monte Carlo's inputs are
    /// the ones the trials know how to set, in the same order.
    #[test]
    fn what_if_inputs_are_numbers_of_the_registry() {
        for &path in TORNADO.iter().chain(UNCERTAIN) {
            let spec = if path == EGRESS_RATE.path {
                &EGRESS_RATE
            } else {
                input(path).unwrap()
            };
            assert!(spec.range().is_some(), "{path}");
        }
        let trials: Vec<&str> = crate::whatif::lean::Input::ALL
            .iter()
            .map(|i| i.spec().path)
            .collect();
        assert_eq!(trials, UNCERTAIN);
        assert!(input("change.value").unwrap().uncertain());
        assert!(input("links.cloud.ports").unwrap().tornado());
        assert!(!input("links.cloud.ports").unwrap().uncertain());
    }

    #[test]
    fn checks_word_the_range() {
        let e = get("network.tcp_window_mib").check("network.tcp_window_mib", 0.0, false);
        assert_eq!(
            e.unwrap_err().message,
            "must be > 0 and ≤ 1024 (1 GiB, RFC 7323), got 0"
        );
        let ports = get("links.cloud.ports");
        assert_eq!(
            ports
                .check("links.cloud.ports", 0.0, false)
                .unwrap_err()
                .message,
            "must be ≥ 1, got 0"
        );
        let format = get("format");
        assert_eq!(
            format.check("format", 2.0, false).unwrap_err().message,
            "must be 1, got 2"
        );
        let value = get("change.value");
        assert!(value.check("change.value", 150.0, false).is_ok());
        assert_eq!(
            value
                .check("change.value", 150.0, true)
                .unwrap_err()
                .message,
            "must be between 0 and 100, got 150"
        );
        assert_eq!(
            value.range_given("percent_per_day"),
            Some(FieldRange::closed(0.0, 100.0))
        );
        assert_eq!(
            value.range_given("pb_per_day"),
            Some(FieldRange::NON_NEGATIVE)
        );
        assert!(get("lake.initial_pb").check("x", f64::NAN, false).is_err());
        assert!(get("lake.initial_pb")
            .check("x", f64::INFINITY, false)
            .is_err());
    }

    /// The form offers the plans of the shipped book.
    #[test]
    fn the_plan_choices_are_the_shipped_books_plans() {
        let book = crate::price_book::PriceBook::latest().unwrap();
        let mut in_book: Vec<&str> = book.plans();
        in_book.sort_unstable();
        let mut listed: Vec<&str> = PLANS.iter().map(|(id, _)| *id).collect();
        listed.sort_unstable();
        assert_eq!(listed, in_book);
    }

    #[test]
    fn paths_match_with_or_without_indices() {
        assert!(same_path("sites[].name", "sites[12].name"));
        assert!(same_path("sites[].name", "sites[].name"));
        assert!(!same_path("sites[].name", "sites[x].name"));
        assert!(!same_path("sites[].name", "sites[1].names"));
        assert!(!same_path("lake.initial_pb", "lake.initial"));
        assert_eq!(input("claims[3].value").unwrap().path, "claims[].value");
        assert_eq!(list("sites").unwrap().max, limits::MAX_SITES);
        assert_eq!(get("sites[].name").key(), "name");
    }
}
