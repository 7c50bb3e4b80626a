//! The scenario file's JSON Schema, written from the registry so the API document states
//! exactly the fields, types, ranges and defaults the parser uses.

use serde_json::{json, Map, Value};

use super::limits::MAX_NAME_CHARS;
use super::{input, list, Dflt, FieldRange, InputSpec, Kind, Required, INPUTS};

/// `YYYY-MM` as `Month` parses it: four digits but not year 0000, months 01 to 12.
pub const MONTH_PATTERN: &str =
    "^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])$";

/// The scenario file (format 1) as a JSON Schema (draft 2020-12, which OpenAPI 3.1
/// uses): nested objects that refuse unknown fields, as the parser does; every leaf with
/// its type, range (`minimum`/`exclusiveMinimum`/…), `default`, `enum`, `title` (the
/// label) and `description` (the help and the unit); the lists with their item counts;
/// and the rules that depend on a sibling (`change.value` ≤ 100 while `change.basis` is
/// `percent_per_day`; `lake.target_*` required unless `lake.curve` is `points`) as
/// `if`/`then`/`else`.
///
/// The parser checks a few more rules that JSON Schema cannot state, listed in the root
/// `description`: names unique among the sites, points in month order after the start,
/// the plan ending by year 9999, sites × months, and racks with room for a device.
/// Whole numbers must be written without a fraction (`5`, not `5.0`), which JSON Schema's
/// `integer` allows.
///
/// ```
/// let s = lakeplan_models::inputs::json_schema();
/// assert_eq!(s["properties"]["horizon_months"]["maximum"], 600);
/// assert_eq!(s["properties"]["lake"]["additionalProperties"], false);
/// ```
pub fn json_schema() -> Value {
    let mut root = object("");
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("title".into(), json!("Lakeplan scenario, format 1"));
    root.insert(
        "description".into(),
        json!(format!(
            "A scenario file (spec/scenario.md). Unknown fields are refused; missing ones take \
             the defaults given. Also checked, beyond this schema: site names are unique; \
             lake.points are in month order, each after start_month; the plan ends by year \
             9999; sites × horizon_months ≤ {}; a rack leaves room and power for the largest \
             device after its switches.",
            super::limits::MAX_SITE_MONTHS
        )),
    );
    Value::Object(root)
}

/// The schema of the object at `prefix` ("" for the root, `lake`, `sites[]`).
fn object(prefix: &str) -> Map<String, Value> {
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut all_of: Vec<Value> = Vec::new();
    let at = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    for seg in children(prefix) {
        let path = at(seg);
        if let Some(spec) = INPUTS.iter().find(|i| i.path == path) {
            properties.insert(seg.into(), Value::Object(leaf(spec)));
            match spec.required {
                Required::Yes => required.push(json!(seg)),
                Required::Unless { sibling, is } => all_of.push(json!({
                    "if": condition(prefix, sibling, is),
                    "else": {
                        "required": [seg],
                        "properties": { seg: { "not": { "type": "null" } } },
                    },
                })),
                Required::No => {}
            }
            if let Kind::Number { when: Some(w), .. } = spec.kind {
                all_of.push(json!({
                    "if": condition(prefix, w.sibling, w.is),
                    "then": { "properties": { seg: Value::Object(bounds(*w.range)) } },
                }));
            }
        } else if let Some(name) = seg.strip_suffix("[]") {
            let l = list(&at(name)).unwrap_or_else(|| unreachable!("every list is in LISTS"));
            let mut s = Map::new();
            s.insert("type".into(), json!("array"));
            s.insert("items".into(), Value::Object(object(&path)));
            if l.only_when.is_none() && l.min > 0 {
                s.insert("minItems".into(), json!(l.min));
            }
            s.insert("maxItems".into(), json!(l.max));
            properties.insert(name.into(), Value::Object(s));
            if l.required {
                required.push(json!(name));
            }
            if let Some((sibling, is)) = l.only_when {
                // Read only then, so required then when it may not be empty.
                let mut then = json!({ "properties": { name: { "minItems": l.min } } });
                if l.min > 0 {
                    then["required"] = json!([name]);
                }
                all_of.push(json!({
                    "if": condition(prefix, sibling, is),
                    "then": then,
                    "else": { "properties": { name: { "maxItems": 0 } } },
                }));
            }
        } else {
            properties.insert(seg.into(), Value::Object(object(&path)));
            if holds_required(&path) {
                required.push(json!(seg));
            }
        }
    }
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    s.insert("properties".into(), Value::Object(properties));
    s.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        s.insert("required".into(), Value::Array(required));
    }
    if !all_of.is_empty() {
        s.insert("allOf".into(), Value::Array(all_of));
    }
    s
}

/// The keys directly inside the object at `prefix`, in file order (`points[]` for a
/// list).
fn children(prefix: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for spec in INPUTS {
        let rest = if prefix.is_empty() {
            Some(spec.path)
        } else {
            spec.path
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('.'))
        };
        if let Some(rest) = rest {
            let seg = rest.split('.').next().unwrap_or(rest);
            if !out.contains(&seg) {
                out.push(seg);
            }
        }
    }
    out
}

/// Whether the object at `path` holds a required field (not inside a list), which makes
/// the object itself required (`lake` for `lake.initial_pb`).
fn holds_required(path: &str) -> bool {
    !super::OPTIONAL_SECTIONS.contains(&path)
        && INPUTS.iter().any(|i| {
            i.required == Required::Yes
                && i.path
                    .strip_prefix(path)
                    .and_then(|r| r.strip_prefix('.'))
                    .is_some_and(|r| !r.contains("[]"))
        })
}

/// "The sibling has this value": a missing sibling counts when its default is the value.
fn condition(prefix: &str, sibling: &str, is: &'static str) -> Value {
    let path = if prefix.is_empty() {
        sibling.to_string()
    } else {
        format!("{prefix}.{sibling}")
    };
    let defaults_to = input(&path).is_some_and(|s| s.default == Dflt::Text(is));
    let mut c = json!({ "properties": { sibling: { "const": is } } });
    if !defaults_to {
        c["required"] = json!([sibling]);
    }
    c
}

fn bounds(r: FieldRange) -> Map<String, Value> {
    let mut s = Map::new();
    if r.lo.is_finite() {
        let key = if r.lo_open {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        s.insert(key.into(), json!(r.lo));
    }
    if r.hi.is_finite() {
        let key = if r.hi_open {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        s.insert(key.into(), json!(r.hi));
    }
    s
}

impl InputSpec {
    /// This field's schema as [`json_schema`] writes it (type, range, `enum`, `title`,
    /// `description`, `default`), for a document that describes fields one by one. A
    /// range that depends on a sibling is the parent object's `allOf`, not here.
    pub fn schema(&self) -> Value {
        Value::Object(leaf(self))
    }
}

fn leaf(spec: &InputSpec) -> Map<String, Value> {
    let mut s = Map::new();
    let ty = |t: &str| {
        if spec.nullable() {
            json!([t, "null"])
        } else {
            json!(t)
        }
    };
    match spec.kind {
        Kind::Number { range, .. } => {
            s.insert("type".into(), ty("number"));
            s.extend(bounds(*range));
        }
        Kind::Whole { min, max } => {
            s.insert("type".into(), ty("integer"));
            if min == max {
                s.insert("const".into(), json!(min));
            } else {
                s.insert("minimum".into(), json!(min));
                s.insert("maximum".into(), json!(max));
            }
        }
        Kind::Month => {
            s.insert("type".into(), ty("string"));
            s.insert("pattern".into(), json!(MONTH_PATTERN));
        }
        Kind::Text => {
            s.insert("type".into(), ty("string"));
        }
        Kind::SiteName => {
            s.insert("type".into(), ty("string"));
            s.insert("maxLength".into(), json!(MAX_NAME_CHARS));
            s.insert("pattern".into(), json!("\\S"));
            s.insert("not".into(), json!({ "pattern": "^\\s*cloud\\s*$" }));
        }
        Kind::Flag => {
            s.insert("type".into(), ty("boolean"));
        }
        Kind::Choice(options) => {
            s.insert("type".into(), ty("string"));
            let values: Vec<Value> = options.iter().map(|(v, _)| json!(v)).collect();
            s.insert("enum".into(), Value::Array(values));
        }
        Kind::BookText(known) => {
            s.insert("type".into(), ty("string"));
            let values: Vec<Value> = known.iter().map(|(v, _)| json!(v)).collect();
            s.insert("examples".into(), Value::Array(values));
        }
        Kind::AnyObject => {
            s.insert("type".into(), json!("object"));
        }
    }
    s.insert("title".into(), json!(spec.label));
    let mut description = spec.help.to_string();
    // A month's "unit" is its format, which the pattern states.
    if !spec.unit.is_empty() && spec.kind != Kind::Month {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&format!("Unit: {}.", spec.unit));
    }
    if !description.is_empty() {
        s.insert("description".into(), json!(description));
    }
    if let Some(d) = spec.default.to_json() {
        s.insert("default".into(), d);
    }
    s
}
