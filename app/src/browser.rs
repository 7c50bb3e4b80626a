//! What only a browser has: the address bar, local storage, the clipboard, downloads.
//! Platform glue that knows no app state (the session, `session.rs`, uses it). Compiled
//! into the wasm bundle only; the server renders without it.

use leptos::prelude::*;

const THEME_KEY: &str = "lakeplan.theme";

/// The browser's local storage, when the user allows it.
pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn copy_current_link() {
    let Ok(href) = window().location().href() else {
        return;
    };
    let _ = window().navigator().clipboard().write_text(&href);
}

/// Replaces the address bar's URL without a new history entry.
pub fn replace_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
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
        // Set only when it changes: the charts follow it, and drawing them again with the
        // same colours right after hydration was a long task for nothing.
        let is_dark = t == "dark" || (t == "auto" && system_dark);
        if dark.get_untracked() != is_dark {
            dark.set(is_dark);
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", &t);
        }
        if let Some(s) = storage() {
            let _ = s.set_item(THEME_KEY, &t);
        }
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
