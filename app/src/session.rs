//! What the planner keeps across reloads and links: the scenario in the address bar and
//! in local storage, and the saved scenario it had open. Compiled into the wasm bundle
//! only.

use leptos::prelude::*;

use crate::browser::storage;
use crate::doc;
use crate::saved::{OpenScenario, Saved};
use crate::state::{preset_doc, preset_or_default, Planner};

const SCENARIO_KEY: &str = "lakeplan.scenario";

/// Keeps the scenario in the address bar (so the link reproduces it) and in local storage
/// (so a reload loses nothing). A page opened without a link restores the last scenario.
/// The saved scenario a link or the last session had open travels as `saved=ID` beside
/// the scenario's own fields; the edits in the link win over what the server holds, and
/// the difference shows as unsaved changes.
///
/// While a share link's scenario is shown (`share`), the address keeps the link and
/// nothing is stored: it is someone else's scenario until copied.
pub fn keep_in_url_and_storage(
    planner: Planner,
    saved: Saved,
    linked: bool,
    share: RwSignal<Option<String>>,
) {
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
    let address = PendingAddress::new();
    provide_context(address);
    let last_open = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let mut query = planner.query();
        if share.with(Option::is_some) {
            return;
        }
        let open = saved.open.with(|o| o.as_ref().map(|o| o.id.clone()));
        if let Some(id) = &open {
            query.push_str(&format!("&saved={}", doc::percent_encode(id)));
        }
        let url = format!(
            "{}?{query}",
            window().location().pathname().unwrap_or_default()
        );
        // The stored copy at once (cheap); the address once the inputs rest:
        // `history.replaceState` alone took 5.7 ms of every edit's 13 (a profile of 40
        // edits), and Chromium throttles a page that calls it too often.
        if let Some(s) = storage() {
            let _ = s.set_item(SCENARIO_KEY, &query);
        }
        address.later(url);
        // A scenario saved, opened or closed: the address names it at once (it is the
        // link people copy), not only once the inputs rest.
        if last_open.try_update_value(|last| std::mem::replace(last, open.clone())) != Some(open) {
            address.flush();
        }
    });
    // A page being left or hidden, or a link being copied, writes it at once.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| address.flush());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| address.flush());
}

/// The address waiting to be written.
#[derive(Debug, Clone, Copy)]
pub struct PendingAddress {
    url: StoredValue<Option<String>>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
}

/// How long the inputs must rest before the address is written.
const WRITE_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

impl PendingAddress {
    fn new() -> Self {
        Self {
            url: StoredValue::new(None),
            timer: StoredValue::new_local(None),
        }
    }

    fn later(self, url: String) {
        if let Some(t) = self.timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
        self.url.set_value(Some(url));
        self.timer
            .set_value(set_timeout_with_handle(move || self.flush(), WRITE_AFTER).ok());
    }

    /// Writes the address now if one is waiting.
    pub fn flush(self) {
        if let Some(url) = self.url.try_update_value(Option::take).flatten() {
            crate::browser::replace_url(&url);
        }
    }
}

/// Learns the version and saved content of the scenario a link names, leaving the
/// planner's (possibly edited) scenario as it is.
fn reopen(saved: Saved, id: String) {
    leptos::task::spawn_local(async move {
        // A scenario the link names but the server no longer has simply stays unsaved.
        let Ok(envelope) = crate::api::get(&id).await else {
            return;
        };
        let scenario = envelope.scenario;
        // Filled in by the model, as the planner's own scenario is (`crate::model`).
        let Ok(model) = crate::model::model().await else {
            return;
        };
        let filled = (model.compute)(&scenario, &crate::shelf::sync::cached().0)
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
