//! The scenario being edited, as a JSON document addressed by the same field paths the
//! model's errors use (`links.cloud.ports`, `sites[1].name`).
//!
//! The form edits a `serde_json::Value` rather than the typed `Scenario` because a user
//! may type a value the typed scenario cannot hold (a negative port count, a half-typed
//! month); the model then parses the document and names the field at fault, exactly as it
//! does for a file or an API body. One parser, one set of messages, everywhere.

use serde_json::Value;

// Field paths are read by the model (`lakeplan_models::path`), so a path the form writes
// is one a sweep, a link and an error message all read the same way.
pub use lakeplan_models::path::{get, set};

/// Every leaf of the document with its path, in document order. Arrays of objects are
/// walked element by element; arrays of plain values count as one leaf.
pub fn leaves(doc: &Value) -> Vec<(String, Value)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(map) => {
                if map.is_empty() && !prefix.is_empty() {
                    out.push((prefix.to_string(), v.clone()));
                }
                for (k, child) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, child, out);
                }
            }
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
                for (i, child) in items.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), child, out);
                }
            }
            _ => out.push((prefix.to_string(), v.clone())),
        }
    }
    let mut out = Vec::new();
    walk("", doc, &mut out);
    out
}

/// What `doc` changes relative to `base`, as (path, value) pairs that [`apply`] turns
/// back into `doc`. An array whose length differs is given whole, so removing a site
/// survives the round trip.
pub fn diff(base: &Value, doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut whole_arrays: Vec<String> = Vec::new();
    for (path, value) in leaves(doc) {
        if whole_arrays
            .iter()
            .any(|a| path.starts_with(&format!("{a}[")))
        {
            continue;
        }
        if let Some(array_path) = resized_array(base, doc, &path) {
            if let Some(arr) = get(doc, &array_path) {
                out.push((array_path.clone(), arr.clone()));
            }
            whole_arrays.push(array_path);
            continue;
        }
        if get(base, &path) != Some(&value) {
            out.push((path, value));
        }
    }
    // An array that shrank to nothing has no leaves in `doc`.
    for (path, _) in leaves(base) {
        if let Some(array_path) = resized_array(base, doc, &path) {
            if !whole_arrays.contains(&array_path) {
                if let Some(arr) = get(doc, &array_path) {
                    out.push((array_path.clone(), arr.clone()));
                }
                whole_arrays.push(array_path);
            }
        }
    }
    out
}

/// The outermost array on `path` whose length differs between `base` and `doc`.
fn resized_array(base: &Value, doc: &Value, path: &str) -> Option<String> {
    let mut prefix = String::new();
    for (i, part) in path.split('.').enumerate() {
        if i > 0 {
            prefix.push('.');
        }
        for (j, piece) in part.split('[').enumerate() {
            if j > 0 {
                let here = prefix.clone();
                let (a, b) = (get(base, &here), get(doc, &here));
                if let (Some(Value::Array(a)), Some(Value::Array(b))) = (a, b) {
                    if a.len() != b.len() {
                        return Some(here);
                    }
                }
                prefix.push('[');
            }
            prefix.push_str(piece);
        }
    }
    None
}

/// Applies (path, value) pairs to a copy of `base`.
pub fn apply(base: &Value, changes: &[(String, Value)]) -> Value {
    let mut doc = base.clone();
    for (path, value) in changes {
        set(&mut doc, path, value.clone());
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Override ids contain dots; a changed override survives the round trip as one key.
    #[test]
    fn override_changes_round_trip() {
        let base = json!({"pricing": {"overrides": {}}});
        let mut doc = base.clone();
        assert!(set(
            &mut doc,
            "pricing.overrides.gcp.interconnect.egress.na",
            json!(0.015)
        ));
        assert_eq!(apply(&base, &diff(&base, &doc)), doc);
    }

    #[test]
    fn diff_then_apply_reproduces_the_document() {
        let base = json!({"name": "x", "change": {"value": 10}, "sites": [{"name": "A"}, {"name": "B"}], "lake": {"points": []}});
        let cases = [
            json!({"name": "x", "change": {"value": 15}, "sites": [{"name": "A"}, {"name": "B"}], "lake": {"points": []}}),
            json!({"name": "x", "change": {"value": 10}, "sites": [{"name": "A"}], "lake": {"points": []}}),
            json!({"name": "x", "change": {"value": 10}, "sites": [], "lake": {"points": []}}),
            json!({"name": "y", "change": {"value": 10}, "sites": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
                   "lake": {"points": [{"month": "2027-01", "pb": 5}]}}),
        ];
        for doc in cases {
            let changes = diff(&base, &doc);
            assert_eq!(apply(&base, &changes), doc, "{changes:?}");
        }
        assert!(diff(&base, &base).is_empty());
        // A field the base leaves to its default.
        let sparse = json!({"name": "x"});
        let doc = json!({"name": "x", "lake": {"points": [{"month": "2027-01", "pb": 5}]}, "sites": [{"name": "A"}]});
        assert_eq!(apply(&sparse, &diff(&sparse, &doc)), doc);
        assert_eq!(
            diff(
                &base,
                &json!({"name": "x", "change": {"value": 12}, "sites": [{"name": "A"}, {"name": "B"}], "lake": {"points": []}})
            ),
            vec![("change.value".to_string(), json!(12))]
        );
    }
}

/// The query-string form of a scenario: the preset it starts from and each changed field
/// by its path, so a shared link reads like the form (`?preset=…&change.value=15`) and
/// reproduces the scenario exactly. Strings travel as themselves, everything else as JSON.
pub fn to_query(preset: &str, changes: &[(String, Value)]) -> String {
    let mut q = format!("preset={}", percent_encode(preset));
    for (path, value) in changes {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        q.push('&');
        q.push_str(&percent_encode(path));
        q.push('=');
        q.push_str(&percent_encode(&text));
    }
    q
}

/// Reads the changes of [`to_query`] back, given decoded (key, value) pairs. A value is a
/// string when the base holds a string at that path; otherwise JSON, falling back to the
/// text itself so a bad value still reaches the model and is reported against its field.
/// Query keys that are not scenario fields: the preset a link starts from and the saved
/// scenario it continues.
pub const NOT_FIELDS: [&str; 2] = ["preset", "saved"];

pub fn from_query<'a>(
    base: &Value,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, Value)> {
    pairs
        .into_iter()
        .filter(|(k, _)| !NOT_FIELDS.contains(k) && lakeplan_models::path::is_well_formed(k))
        .map(|(k, v)| {
            let value = match get(base, k) {
                Some(Value::String(_)) => Value::String(v.to_string()),
                _ => serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string())),
            };
            (k.to_string(), value)
        })
        .collect()
}

/// Splits and decodes a query string (`a=1&b=x%20y`, with or without the leading `?`)
/// into (key, value) pairs in their order. `+` reads as a space, as in a form; a `%` not
/// followed by two hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |i: usize| {
        bytes
            .get(i)
            .and_then(|&b| char::from(b).to_digit(16))
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986's unreserved characters and the path
/// punctuation `[ ]`, which keeps links readable.
pub fn percent_encode(text: &str) -> String {
    lakeplan_api::paths::encode_keeping(text, b"[]")
}

#[cfg(test)]
mod query_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_link_round_trips_the_scenario() {
        let base = json!({"name": "Pilot", "change": {"value": 10}, "sites": [{"name": "A"}, {"name": "B"}]});
        let doc = json!({"name": "Pilot → 2 sites & more", "change": {"value": 15.5}, "sites": [{"name": "A"}]});
        let q = to_query("two-cluster-pilot", &diff(&base, &doc));
        assert!(q.starts_with("preset=two-cluster-pilot&"), "{q}");
        assert!(q.contains("change.value=15.5"), "{q}");
        let pairs = parse_query(&q);
        assert_eq!(
            pairs[0],
            ("preset".to_string(), "two-cluster-pilot".to_string())
        );
        let changes = from_query(&base, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(apply(&base, &changes), doc);
    }

    #[test]
    fn queries_decode_like_a_browser() {
        assert_eq!(
            parse_query("?preset=a&name=A%20%E2%86%92+B&bad=50%&odd=%zz&novalue&e="),
            vec![
                ("preset".to_string(), "a".to_string()),
                ("name".to_string(), "A → B".to_string()),
                ("bad".to_string(), "50%".to_string()),
                ("odd".to_string(), "%zz".to_string()),
                ("e".to_string(), String::new()),
            ]
        );
        assert_eq!(parse_query(""), vec![]);
    }

    #[test]
    fn a_name_that_looks_like_a_number_stays_a_string() {
        let base = json!({"name": "x", "change": {"value": 10}});
        let changes = from_query(&base, [("name", "2027"), ("change.value", "oops")]);
        assert_eq!(changes[0].1, json!("2027"));
        // Not a number: passed on as text, so the model names change.value.
        assert_eq!(changes[1].1, json!("oops"));
    }
}
