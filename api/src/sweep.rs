//! `POST /api/sweep`: the rows of `lakeplan sweep` over HTTP.
//!
//! The body is `{"scenario": {...}, "vary": {"change.value": "5..20:1",
//! "links.cloud.ports": [40, 50, 64]}}`, each field's values written as the command line
//! writes them (a range or a list, as text) or as a JSON list; `"vary_rows": {"paths":
//! [...], "rows": [[...], ...]}` adds combinations taken together, like `--vary-file`. The
//! fields are crossed in the order the body lists them (`vary_rows` first). The answer is
//! CSV, or [`SweepAnswer`] when the request accepts `application/json`.

use lakeplan_models::whatif::sweep::{SweepRow, VaryRows};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The request.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// The base scenario file.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub scenario: Value,
    /// Field path → its values: `"a..b:step"`, `"x,y,z"`, or a JSON list. The first
    /// field changes slowest.
    #[serde(default, deserialize_with = "in_order")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = std::collections::HashMap<String, Value>)
    )]
    pub vary: Vec<(String, Value)>,
    /// Combinations given row by row, crossed with `vary`.
    #[serde(default)]
    pub vary_rows: Option<VaryRows>,
}

/// A JSON object's entries in the order the body writes them (a map would sort them, and
/// the order decides which field changes slowest and the columns' order).
fn in_order<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, Value)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of field paths and their values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries)
}

/// The JSON answer: one row per combination, in combination order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SweepAnswer {
    /// The varied paths, in the order of each row's `values`.
    pub paths: Vec<String>,
    pub combinations: u64,
    pub rows: Vec<SweepRow>,
}
