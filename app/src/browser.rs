//! What only a browser has: the address bar, local storage, the clipboard. Compiled into
//! the wasm bundle only; the server renders without it.

use leptos::prelude::*;

use crate::doc;
use crate::state::{preset_doc, preset_or_default, Planner};

const SCENARIO_KEY: &str = "lakeplan.scenario";
const THEME_KEY: &str = "lakeplan.theme";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Keeps the scenario in the address bar (so the link reproduces it) and in local storage
/// (so a reload loses nothing). A page opened without a link restores the last scenario.
pub fn keep_in_url_and_storage(planner: Planner, linked: bool) {
    Effect::new(move |_| {
        if linked {
            return;
        }
        let Some(saved) = storage().and_then(|s| s.get_item(SCENARIO_KEY).ok().flatten()) else {
            return;
        };
        let pairs = doc::parse_query(&saved);
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
        let query = planner.query();
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
