//! The model's part of the planner: the code that computes a scenario (reading, checking,
//! pricing, the report) and the views that show what it computed (the results, the
//! charts). In the browser it is a wasm module of its own, fetched after hydration when the
//! page needs it, so the first load carries the form and the page's frame but not the
//! model (issue 16, docs/bundle.md).
//!
//! The first answer needs no model in the browser: the server computed it and rendered it.
//! Until the module is in, the planner's outcome is what the server rendered ([`served`]:
//! the filled-in scenario the inputs show and the fields in error, written in the page as
//! [`SERVED_ID`]), and the results are the server's HTML, adopted as it is
//! (`results::Results`). Once it is in, [`Planner::model`](crate::state::Planner) holds the
//! [`Model`], the outcome is computed from the scenario as edited, the results are drawn by
//! their live view, and the page says it is live (`body[data-live]`). The module is fetched
//! when the page needs it ([`load_when_needed`]).

use leptos::prelude::*;
use serde_json::Value;

use lakeplan_models::field::FieldError;

use crate::shelf::Shelf;
use crate::state::{Computed, Shared};

/// The model's code, reached through its module. Function pointers, so that nothing in
/// the first module calls the model's code directly: a direct call would keep it there.
#[derive(Clone, Copy)]
pub struct Model {
    /// `state::compute`: reads, checks, prices and computes a scenario.
    pub compute: fn(&Value, &Shelf) -> Result<Computed, Vec<FieldError>>,
    /// The results as they follow the planner (`results::live`).
    pub results: fn() -> AnyView,
    /// The growth curve's small chart beside its inputs.
    pub lake_size: fn(&Computed, &lakeplan_charts::ChartStyle) -> String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Model")
    }
}

/// The model's module: fetched by the first call, then ready at once. On the server
/// (no split) it is an ordinary function, ready at the first poll.
#[leptos::wasm_split::wasm_split(model, wasm_split_path = ::leptos::wasm_split, preload(preload_model), fallible)]
pub fn model() -> Result<Model, crate::lazy::NotLoaded> {
    Ok(Model {
        compute: crate::state::compute,
        results: crate::results::live,
        lake_size: |c, style| {
            c.figures
                .as_ref()
                .map(|f| lakeplan_charts::lake_size(&f.report, style))
                .unwrap_or_default()
        },
    })
}

/// The model where it needs no fetching: on the server. In the browser `None`, until
/// [`load_when_needed`] brings it.
pub fn at_once() -> Option<Model> {
    #[cfg(feature = "hydrate")]
    return None;
    #[cfg(not(feature = "hydrate"))]
    crate::lazy::ready(model()).and_then(Result::ok)
}

/// Fetches the model's module once, then hands the planner its code; says so on the page if
/// it cannot be fetched (the page stays as the server rendered it).
#[cfg(feature = "hydrate")]
pub fn load(planner: crate::state::Planner) {
    thread_local! {
        static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if ASKED.replace(true) {
        return;
    }
    leptos::task::spawn_local(async move {
        match model().await {
            Ok(m) => planner.model.set(Some(m)),
            Err(_) => crate::lazy::not_loaded_notice(),
        }
    });
}

/// Runs the model when the page needs it, not before: when the scenario on the page
/// changes (an edit; the scenario this browser last had open, restored; a share link's),
/// when the page turns dark (the charts are drawn again in its colours), or when the user
/// shows they are about to use the page (moves the pointer over it, touches it, presses a
/// key, focuses a field), whichever comes first. Its files are
/// fetched and instantiated before, once the browser is idle after hydrating (no main-thread
/// work worth the name: compiling is V8's, off the page's thread, and none of the model's
/// code runs), so that then only computing and drawing are left. A visitor who only reads
/// the first answer pays for neither; one who edits has the figures live by the time a key
/// lands, most often, as the pointer moves first.
#[cfg(feature = "hydrate")]
pub fn load_when_needed(planner: crate::state::Planner) {
    use leptos::ev;
    let intent = StoredValue::new_local(Vec::new());
    let start = move || {
        load(planner);
        for handle in intent.try_update_value(std::mem::take).unwrap_or_default() {
            leptos::prelude::WindowListenerHandle::remove(handle);
        }
    };
    // Fetched and instantiated (compiled off the page's thread, none of its code run) as
    // soon as the browser is idle after hydrating, so that the page needing it later only
    // runs it.
    request_idle_callback(|| {
        leptos::task::spawn_local(async {
            // A failure is said when the page needs the model (`load`).
            let _ = preload_model().await;
        })
    });
    intent.set_value(vec![
        window_event_listener(ev::pointermove, move |_| start()),
        window_event_listener(ev::pointerdown, move |_| start()),
        window_event_listener(ev::touchstart, move |_| start()),
        window_event_listener(ev::keydown, move |_| start()),
        window_event_listener(ev::focusin, move |_| start()),
    ]);
    Effect::new(move |before: Option<()>| {
        planner.doc.track();
        planner.typos.track();
        if before.is_some() {
            start();
        }
    });
    // The server draws the charts in the light theme; a page that turns dark (the user's
    // choice kept in this browser, or the system's) draws them again in its colours.
    if let Some(dark) = use_context::<crate::state::DarkTheme>() {
        Effect::new(move |_| {
            if dark.0.get() {
                start();
            }
        });
    }
}

/// The id of the element whose `data-outcome` holds what the server rendered.
pub const SERVED_ID: &str = "served-outcome";

/// What the server rendered, for the browser to hydrate with: the filled-in scenario and
/// the fields in error, as JSON (`{"filled": {…}, "errors": [{"path", "message"}]}`).
pub fn served_json(outcome: &Result<Shared, Vec<FieldError>>) -> String {
    let body = match outcome {
        Ok(c) => serde_json::json!({ "filled": c.0.filled, "errors": [] }),
        Err(errors) => serde_json::json!({ "filled": Value::Null, "errors": errors }),
    };
    body.to_string()
}

/// Reads [`served_json`] back: an outcome without figures, or the fields in error.
pub fn served_from(json: &str) -> Result<Shared, Vec<FieldError>> {
    let body: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    let errors: Vec<FieldError> = body
        .get("errors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let text = |k| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    FieldError::new(text("path"), text("message"))
                })
                .collect()
        })
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Shared(std::sync::Arc::new(Computed {
        figures: None,
        filled: body.get("filled").cloned().unwrap_or(Value::Null),
    })))
}

/// The outcome the server rendered, read from the page (in the browser, before the model
/// is in). On the server, and where the page has none, an outcome with no defaults
/// filled in: the inputs then show the scenario as written.
pub fn served() -> Result<Shared, Vec<FieldError>> {
    #[cfg(feature = "hydrate")]
    {
        let json = document()
            .get_element_by_id(SERVED_ID)
            .and_then(|e| e.get_attribute("data-outcome"));
        if let Some(json) = json {
            return served_from(&json);
        }
    }
    served_from("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{compute, preset_doc, preset_or_default};

    #[test]
    fn what_the_server_rendered_reads_back_as_the_inputs_and_errors() {
        let doc = preset_doc(preset_or_default(None));
        let ok = compute(&doc, &Shelf::default()).map(|c| Shared(std::sync::Arc::new(c)));
        let back = served_from(&served_json(&ok)).expect("no errors");
        assert_eq!(back.0.filled, ok.unwrap().0.filled);
        assert!(back.0.figures.is_none());

        let mut bad = doc.clone();
        crate::doc::set(&mut bad, "links.cloud.ports", Value::from(-3));
        let errors = compute(&bad, &Shelf::default()).map(|c| Shared(std::sync::Arc::new(c)));
        let expected = errors.clone().expect_err("an error");
        assert_eq!(served_from(&served_json(&errors)).err(), Some(expected));
    }

    #[test]
    fn the_server_has_the_model_at_once() {
        assert!(at_once().is_some());
    }
}
