//! A scenario field addressed by its JSON path (`links.cloud.ports`, `sites[1].name`,
//! `pricing.overrides.gcp.interconnect.egress.na`): the same paths the model's errors
//! name, the form's controls carry and the link form (`?change.value=15`) writes.
//!
//! The what-ifs (sweeps, sensitivity, uncertainty) vary fields by these paths, the app
//! edits its document with them: one reading of a path, so a path that works in a link
//! works in a sweep. Everything here is on `serde_json::Value`, because a varied value may
//! be one the typed scenario cannot hold; [`crate::scenario::Scenario::from_value`] then
//! names the field at fault.

use serde_json::{Map, Value};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Fields whose value is a map keyed by ids that themselves contain dots (price-book row
/// ids such as `gcp.interconnect.egress.na`): the rest of the path is one key, as in the
/// model's own error paths (`pricing.overrides.gcp.interconnect.egress.na`).
const MAPS: &[&str] = &["pricing.overrides"];

/// Splits `sites[1].name` into `sites`, `1`, `name`. `None` for a malformed path.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    for map in MAPS {
        if let Some(key) = path
            .strip_prefix(map)
            .and_then(|rest| rest.strip_prefix('.'))
        {
            if key.is_empty() {
                return None;
            }
            let mut out = steps(map)?;
            out.push(Step::Key(key));
            return Some(out);
        }
    }
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        out.push(Step::Key(key));
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            out.push(Step::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// True when `path` is written as a field path (keys separated by dots, indexes in
/// brackets); it says nothing about whether a scenario has that field.
///
/// ```
/// use lakeplan_models::path::is_well_formed;
/// assert!(is_well_formed("sites[1].name"));
/// assert!(!is_well_formed("sites[x].name"));
/// assert!(!is_well_formed(".oops"));
/// ```
pub fn is_well_formed(path: &str) -> bool {
    steps(path).is_some()
}

/// The value at `path`, if the document has one.
///
/// ```
/// use lakeplan_models::path::get;
/// let doc = serde_json::json!({"links": {"cloud": {"ports": 50}}, "sites": [{"name": "A"}]});
/// assert_eq!(get(&doc, "links.cloud.ports"), Some(&serde_json::json!(50)));
/// assert_eq!(get(&doc, "sites[0].name"), Some(&serde_json::json!("A")));
/// assert_eq!(get(&doc, "sites[1].name"), None);
/// ```
pub fn get<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    steps(path)?.iter().try_fold(doc, |v, step| match step {
        Step::Key(k) => v.get(*k),
        Step::Index(i) => v.get(*i),
    })
}

/// Sets `path` to `new`, creating the objects on the way; an index past the end of an
/// array appends (the form adds sites one at a time). Returns false when the path cannot
/// be set (it is malformed, runs through a number, or an index is further than one past
/// the end).
pub fn set(doc: &mut Value, path: &str, new: Value) -> bool {
    let Some(steps) = steps(path) else {
        return false;
    };
    let mut cur = doc;
    for (n, step) in steps.iter().enumerate() {
        let last = n + 1 == steps.len();
        cur = match step {
            Step::Key(k) => {
                if !cur.is_object() {
                    *cur = Value::Object(Map::new());
                }
                let Some(obj) = cur.as_object_mut() else {
                    return false;
                };
                if last {
                    obj.insert((*k).to_string(), new);
                    return true;
                }
                obj.entry(*k).or_insert(Value::Null)
            }
            Step::Index(i) => {
                if cur.is_null() {
                    *cur = Value::Array(Vec::new());
                }
                let Some(arr) = cur.as_array_mut() else {
                    return false;
                };
                if *i > arr.len() {
                    return false;
                }
                if *i == arr.len() {
                    arr.push(Value::Null);
                }
                if last {
                    arr[*i] = new;
                    return true;
                }
                &mut arr[*i]
            }
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_address_nested_fields_and_array_items() {
        let doc =
            json!({"links": {"cloud": {"ports": 50}}, "sites": [{"name": "A"}, {"name": "B"}]});
        assert_eq!(get(&doc, "links.cloud.ports"), Some(&json!(50)));
        assert_eq!(get(&doc, "sites[1].name"), Some(&json!("B")));
        assert_eq!(get(&doc, "sites[2].name"), None);
        assert_eq!(get(&doc, "sites[x].name"), None);
        assert_eq!(get(&doc, ".oops"), None);
        assert!(!is_well_formed("pricing.overrides."));
        assert!(!is_well_formed("a[1]b"));
    }

    #[test]
    fn override_ids_with_dots_are_one_key() {
        let mut doc = json!({"pricing": {"overrides": {}}});
        assert!(set(
            &mut doc,
            "pricing.overrides.gcp.interconnect.egress.na",
            json!(0.015)
        ));
        assert_eq!(
            doc,
            json!({"pricing": {"overrides": {"gcp.interconnect.egress.na": 0.015}}})
        );
        assert_eq!(
            get(&doc, "pricing.overrides.gcp.interconnect.egress.na"),
            Some(&json!(0.015))
        );
    }

    #[test]
    fn set_creates_objects_and_appends_one_past_the_end() {
        let mut doc = json!({"sites": [{"name": "A"}]});
        assert!(set(&mut doc, "links.cloud.ports", json!(64)));
        assert!(set(&mut doc, "sites[1].name", json!("B")));
        assert!(!set(&mut doc, "sites[5].name", json!("Z")));
        assert!(!set(&mut doc, "sites[", json!("Z")));
        assert_eq!(
            doc,
            json!({"sites": [{"name": "A"}, {"name": "B"}], "links": {"cloud": {"ports": 64}}})
        );
    }
}
