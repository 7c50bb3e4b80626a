//! What only a browser has: the address bar, local storage, the clipboard. Compiled into
//! the wasm bundle only; the server renders without it.

use leptos::prelude::*;

use crate::doc;
use crate::saved::{OpenScenario, Saved};
use crate::state::{preset_doc, preset_or_default, Planner};

const SCENARIO_KEY: &str = "lakeplan.scenario";
const THEME_KEY: &str = "lakeplan.theme";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Keeps the scenario in the address bar (so the link reproduces it) and in local storage
/// (so a reload loses nothing). A page opened without a link restores the last scenario.
/// The saved scenario a link or the last session had open travels as `saved=ID` beside
/// the scenario's own fields; the edits in the link win over what the server holds, and
/// the difference shows as unsaved changes.
pub fn keep_in_url_and_storage(planner: Planner, saved: Saved, linked: bool) {
    Effect::new(move |_| {
        let stored = storage().and_then(|s| s.get_item(SCENARIO_KEY).ok().flatten());
        let query = if linked {
            crate::location::query()
        } else {
            stored.clone().unwrap_or_default()
        };
        if let Some(id) = doc::parse_query(&query)
            .into_iter()
            .find(|(k, _)| k == "saved")
            .map(|(_, v)| v)
        {
            reopen(saved, id);
        }
        if linked {
            return;
        }
        let Some(stored) = stored else {
            return;
        };
        let pairs = doc::parse_query(&stored);
        let preset = preset_or_default(
            pairs
                .iter()
                .find(|(k, _)| k == "preset")
                .map(|(_, v)| v.as_str()),
        );
        let changes = doc::from_query(
            &preset_doc(preset),
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        planner.load(preset, &changes);
    });
    Effect::new(move |_| {
        let mut query = planner.query();
        if let Some(id) = saved.open.with(|o| o.as_ref().map(|o| o.id.clone())) {
            query.push_str(&format!("&saved={}", doc::percent_encode(&id)));
        }
        let url = format!(
            "{}?{query}",
            window().location().pathname().unwrap_or_default()
        );
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        if let Some(s) = storage() {
            let _ = s.set_item(SCENARIO_KEY, &query);
        }
    });
}

pub fn copy_current_link() {
    let Ok(href) = window().location().href() else {
        return;
    };
    let _ = window().navigator().clipboard().write_text(&href);
}

/// Applies the theme to the document and remembers it.
pub fn theme(theme: RwSignal<String>, dark: RwSignal<bool>) {
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            if let Some(saved) = storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()) {
                theme.set(saved);
                return;
            }
        }
        let t = theme.get();
        let system_dark = window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        dark.set(t == "dark" || (t == "auto" && system_dark));
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", &t);
        }
        if let Some(s) = storage() {
            let _ = s.set_item(THEME_KEY, &t);
        }
    });
}

/// Learns the version and saved content of the scenario a link names, leaving the
/// planner's (possibly edited) scenario as it is.
fn reopen(saved: Saved, id: String) {
    leptos::task::spawn_local(async move {
        // A scenario the link names but the server no longer has simply stays unsaved.
        let Ok(envelope) = crate::api::get(&id).await else {
            return;
        };
        let scenario = crate::saved::scenario_of(&envelope);
        let filled = crate::state::compute(&scenario)
            .map(|c| c.filled)
            .unwrap_or(scenario.clone());
        saved.open.set(Some(OpenScenario {
            id,
            version: envelope.version,
            name: envelope.name,
            saved: filled,
        }));
    });
}

/// Offers `blob` as a download named `file`.
pub fn download_blob(blob: &web_sys::Blob, file: &str) {
    use wasm_bindgen::JsCast;
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub fn download_text(file: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        download_blob(&blob, file);
    }
}
