//! The planner's state: the scenario being edited, what the model made of it, and the
//! display choices. One `Planner` is provided as context; every input and every figure
//! reads it, so there is one source of truth and nothing to keep in sync by hand.

use std::sync::Arc;

use lakeplan_models::field::{self, FieldError};
use lakeplan_models::presets::{self, Preset};
use lakeplan_models::report::{self, Report};
use lakeplan_models::scenario::{AttachedBook, AttachedCatalog, Scenario};
use leptos::prelude::*;
use serde_json::Value;

use crate::doc;
use crate::fields::Kind;
use crate::shelf::Shelf;

/// A scenario the model accepted and the report it computed, shared without copying.
#[derive(Debug, Clone)]
pub struct Computed {
    /// What the model made of the scenario; `None` in the browser until the model's module
    /// is in (`crate::model`): the page shows the figures the server rendered meanwhile.
    pub figures: Option<Arc<Figures>>,
    /// The scenario with every default filled in: what the inputs show.
    pub filled: Value,
}

/// The parsed scenario and its report: what the results, the charts and the what-ifs read.
#[derive(Debug)]
pub struct Figures {
    pub scenario: Scenario,
    pub report: Report,
}

/// Compared by identity: a new computation is a new value, and comparing two 60-month
/// reports field by field on every keystroke would cost more than it saves.
#[derive(Debug, Clone)]
pub struct Shared(pub Arc<Computed>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// How figures are shown; never how they are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisplayUnits {
    /// PiB instead of PB.
    pub iec: bool,
    /// Tbps instead of Gbps.
    pub tbps: bool,
}

/// Whether the page is dark now (chosen, or the system's choice): charts carry their own
/// colours so that a PDF or a downloaded SVG looks the same as the page.
#[derive(Clone, Copy)]
pub struct DarkTheme(pub RwSignal<bool>);

#[derive(Clone, Copy)]
pub struct Planner {
    pub preset: RwSignal<&'static Preset>,
    /// The scenario as edited (sparse: fields left to their default stay absent).
    pub doc: RwSignal<Value>,
    /// Text as the user typed it, by path, so "4." or "-" survive while typing.
    pub raw: RwSignal<ByPath>,
    /// Typed text that is not a value at all ("12abc"): the number reader's message, by
    /// path.
    pub typos: RwSignal<ByPath>,
    pub outcome: Memo<Result<Shared, Vec<FieldError>>>,
    /// The model's code: on the server from the start; in the browser once its module is
    /// fetched, after hydration (`crate::model`). Until then `outcome` is what the server
    /// rendered.
    pub model: RwSignal<Option<crate::model::Model>>,
    /// The last computation that succeeded: kept on screen while an input is invalid.
    pub shown: Memo<Option<Shared>>,
    pub units: RwSignal<DisplayUnits>,
    /// The stored price books the browser has (`shelf`).
    pub books: RwSignal<Shelf>,
}

/// Texts by field path, for the few fields a user is typing in or got wrong. A list, not
/// a `BTreeMap`: the browser bundle would carry a copy of the map code for this one type,
/// and a list of a few entries is searched as fast. Iterates in insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByPath(Vec<(String, String)>);

impl ByPath {
    pub fn get(&self, path: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| k == path).map(|(_, v)| v)
    }

    /// Sets the text at `path`, replacing what was there.
    pub fn insert(&mut self, path: &str, text: String) {
        match self.0.iter_mut().find(|(k, _)| k == path) {
            Some((_, v)) => *v = text,
            None => self.0.push((path.to_string(), text)),
        }
    }

    pub fn remove(&mut self, path: &str) {
        self.0.retain(|(k, _)| k != path);
    }

    /// Keeps the entries whose path passes `keep`.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.0.retain(|(k, _)| keep(k));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// The preset a link names, or the reference case.
pub fn preset_or_default(id: Option<&str>) -> &'static Preset {
    let all = presets::all();
    id.and_then(presets::get).unwrap_or(&all[0])
}

/// A preset's file as a document. Presets are tested to parse, so a failure here is a
/// broken build; it degrades to an empty document, which the model reports field by field.
pub fn preset_doc(preset: &Preset) -> Value {
    serde_json::from_str(preset.json).unwrap_or(Value::Object(Default::default()))
}

/// Runs the model on a document: the same parser and pricing as a file or an API body,
/// with the stored book and catalog the scenario names when the shelf has them (a scenario
/// naming no catalog is matched in the newest one in force, as the server does).
pub fn compute(doc: &Value, shelf: &Shelf) -> Result<Computed, Vec<FieldError>> {
    let (figures, filled) = figures(doc, shelf)?;
    Ok(Computed {
        figures: Some(Arc::new(figures)),
        filled,
    })
}

/// What [`compute`] computes, owned: the figures and the filled-in scenario.
pub fn figures(doc: &Value, shelf: &Shelf) -> Result<(Figures, Value), Vec<FieldError>> {
    let mut scenario = Scenario::parse(&doc.to_string()).map_err(|e| e.0)?;
    scenario.pricing.book = shelf
        .book(&scenario.pricing.price_book)
        .map(|b| AttachedBook(b.clone()));
    if let Some(c) = shelf.catalog(shelf.catalog_for(&scenario.pricing.catalog)) {
        scenario.pricing.catalog = c.id.clone();
        scenario.pricing.attached_catalog = Some(AttachedCatalog(c.clone()));
    }
    let report = report::compute_priced(&scenario).map_err(|e| e.0)?;
    let filled = serde_json::to_value(&scenario).unwrap_or(Value::Null);
    Ok((Figures { scenario, report }, filled))
}

impl Planner {
    pub fn new(preset: &'static Preset, changes: &[(String, Value)]) -> Self {
        let preset_signal = RwSignal::new(preset);
        let doc = RwSignal::new(doc::apply(&preset_doc(preset), changes));
        let raw = RwSignal::new(ByPath::default());
        let typos = RwSignal::new(ByPath::default());
        let books = RwSignal::new(Shelf::default());
        let model = RwSignal::new(crate::model::at_once());
        // What the server rendered: the outcome until the model is in.
        let served = StoredValue::new(crate::model::served());
        // Only what the figures read of the shelf: a memo notifies only when it changes.
        let priced_from = Memo::new(move |_| books.with(Shelf::priced_from));
        let outcome = Memo::new(move |_| {
            // Read, not only tracked: a memo nobody reads never runs, so it would never
            // subscribe to the shelf, and a book fetched later would not price the figures.
            priced_from.with(|_| ());
            let result = match model.get() {
                Some(m) => books
                    .with_untracked(|shelf| doc.with(|d| (m.compute)(d, shelf)))
                    .map(|c| Shared(Arc::new(c))),
                None => served.get_value(),
            };
            typos.with(|t| {
                if t.is_empty() {
                    return result;
                }
                let mut errors: Vec<FieldError> = t
                    .iter()
                    .map(|(path, message)| FieldError::new(path.clone(), message.clone()))
                    .collect();
                if let Err(model) = result {
                    errors.extend(model.into_iter().filter(|e| t.get(&e.path).is_none()));
                }
                Err(errors)
            })
        });
        let shown = Memo::new(move |prev: Option<&Option<Shared>>| match outcome.get() {
            Ok(c) => Some(c),
            Err(_) => prev.cloned().flatten(),
        });
        Planner {
            preset: preset_signal,
            doc,
            raw,
            typos,
            outcome,
            model,
            shown,
            units: RwSignal::new(DisplayUnits::default()),
            books,
        }
    }

    /// Starts over from a preset, as a user picking one from the menu expects.
    pub fn load_preset(&self, preset: &'static Preset) {
        self.raw.set(ByPath::default());
        self.typos.set(ByPath::default());
        self.preset.set(preset);
        self.doc.set(preset_doc(preset));
    }

    /// Replaces the scenario with a link's or a saved state's (preset + changes).
    pub fn load(&self, preset: &'static Preset, changes: &[(String, Value)]) {
        self.raw.set(ByPath::default());
        self.typos.set(ByPath::default());
        self.preset.set(preset);
        self.doc.set(doc::apply(&preset_doc(preset), changes));
    }

    /// The link form of the current scenario.
    pub fn query(&self) -> String {
        let preset = self.preset.get();
        let base = preset_doc(preset);
        self.doc
            .with(|d| doc::to_query(preset.id, &doc::diff(&base, d)))
    }

    /// Takes what the user typed into the field at `path`.
    pub fn edit(&self, path: &str, kind: Kind, text: String) {
        let parsed = read_value(path, kind, &text);
        self.raw.update(|r| {
            r.insert(path, text);
        });
        match parsed {
            Ok(value) => {
                self.typos.update(|t| {
                    t.remove(path);
                });
                self.doc.update(|d| {
                    doc::set(d, path, value);
                });
            }
            Err(e) => self.typos.update(|t| {
                t.insert(path, e.message);
            }),
        }
    }

    /// Sets a value directly (lists, menus), dropping any typed text at that path.
    pub fn set(&self, path: &str, value: Value) {
        self.raw.update(|r| {
            r.retain(|k| !k.starts_with(path));
        });
        self.typos.update(|t| {
            t.retain(|k| !k.starts_with(path));
        });
        self.doc.update(|d| {
            doc::set(d, path, value);
        });
    }

    /// Removes a top-level section (`cloud_cluster`) with what was typed in it.
    pub fn remove(&self, section: &str) {
        let inside = format!("{section}.");
        self.raw.update(|r| r.retain(|k| !k.starts_with(&inside)));
        self.typos.update(|t| t.retain(|k| !k.starts_with(&inside)));
        self.doc.update(|d| {
            if let Some(o) = d.as_object_mut() {
                o.remove(section);
            }
        });
    }

    /// What an input at `path` shows: the text being typed, else the document's value,
    /// else the default the model filled in.
    pub fn text_of(&self, path: &str) -> String {
        if let Some(t) = self.raw.with(|r| r.get(path).cloned()) {
            return t;
        }
        let from_doc = self.doc.with(|d| doc::get(d, path).map(value_text));
        from_doc.unwrap_or_else(|| {
            self.shown.with(|s| {
                s.as_ref()
                    .and_then(|c| doc::get(&c.0.filled, path).map(value_text))
                    .unwrap_or_default()
            })
        })
    }

    /// The error the model (or the number reader) reports for `path`.
    pub fn error_of(&self, path: &str) -> Option<String> {
        self.outcome.with(|o| match o {
            Err(errors) => errors
                .iter()
                .find(|e| e.path == path)
                .map(|e| e.message.clone()),
            Ok(_) => None,
        })
    }
}

/// The text an input shows for a document value. A whole number reads as typed (`13`),
/// also when the server wrote it back as a float (`13.0`, how a saved scenario's numbers
/// come back).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Reads typed text as the JSON value the field holds. Whole numbers become JSON integers
/// because counts (ports, strips, months) are integers in the scenario file.
pub fn read_value(path: &str, kind: Kind, text: &str) -> Result<Value, FieldError> {
    match kind {
        Kind::Number => {
            let v = field::parse_number(path, text)?;
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                Ok(Value::from(v as i64))
            } else {
                Ok(Value::from(v))
            }
        }
        // A yes/no choice is a JSON boolean in the file.
        Kind::Choice(_)
            if lakeplan_models::inputs::input(path)
                .is_some_and(|i| i.kind == lakeplan_models::inputs::Kind::Flag) =>
        {
            Ok(Value::Bool(text.trim() == "true"))
        }
        Kind::Month | Kind::Text | Kind::Choice(_) => Ok(Value::String(text.trim().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_computes() {
        for p in presets::all() {
            assert!(
                compute(&preset_doc(p), &Shelf::default()).is_ok(),
                "{}",
                p.id
            );
        }
    }

    #[test]
    fn texts_by_path_replace_remove_and_retain() {
        let mut t = ByPath::default();
        assert!(t.is_empty());
        t.insert("sites[0].name", "A".into());
        t.insert("lake.initial_pb", "4.".into());
        t.insert("sites[0].name", "B".into());
        assert_eq!(t.get("sites[0].name").map(String::as_str), Some("B"));
        assert_eq!(t.iter().count(), 2);
        t.retain(|k| !k.starts_with("sites"));
        assert_eq!(t.get("sites[0].name"), None);
        t.remove("lake.initial_pb");
        assert!(t.is_empty());
    }

    #[test]
    fn typed_numbers_become_integers_when_whole() {
        assert_eq!(
            read_value("links.cloud.ports", Kind::Number, "64").unwrap(),
            Value::from(64)
        );
        assert_eq!(
            read_value("change.value", Kind::Number, "12.5").unwrap(),
            Value::from(12.5)
        );
        assert_eq!(
            read_value("lake.initial_pb", Kind::Number, "1 351.68").unwrap(),
            Value::from(1351.68)
        );
        assert!(read_value("change.value", Kind::Number, "12abc").is_err());
    }

    #[test]
    fn a_whole_number_reads_as_typed_whichever_way_the_json_wrote_it() {
        assert_eq!(value_text(&Value::from(13.0)), "13");
        assert_eq!(value_text(&Value::from(13)), "13");
        assert_eq!(value_text(&Value::from(12.5)), "12.5");
        assert_eq!(value_text(&Value::from(-2.0)), "-2");
        assert_eq!(value_text(&Value::from(1e300)), "1e+300");
        assert_eq!(value_text(&Value::from("2030-01")), "2030-01");
        assert_eq!(value_text(&Value::Null), "");
    }

    #[test]
    fn the_model_names_the_field_of_a_bad_document() {
        let mut d = preset_doc(preset_or_default(None));
        doc::set(&mut d, "links.cloud.ports", Value::from(-3));
        let errors = compute(&d, &Shelf::default()).unwrap_err();
        assert!(
            errors.iter().any(|e| e.path == "links.cloud.ports"),
            "{errors:?}"
        );
    }
}
