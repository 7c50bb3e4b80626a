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
    let pending = StoredValue::new(None::<(String, String)>);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let write = move || {
        if let Some((url, query)) = pending.try_update_value(Option::take).flatten() {
            crate::browser::replace_url(&url);
            if let Some(s) = storage() {
                let _ = s.set_item(SCENARIO_KEY, &query);
            }
        }
    };
    Effect::new(move |_| {
        let mut query = planner.query();
        if share.with(Option::is_some) {
            return;
        }
        if let Some(id) = saved.open.with(|o| o.as_ref().map(|o| o.id.clone())) {
            query.push_str(&format!("&saved={}", doc::percent_encode(&id)));
        }
        let url = format!(
            "{}?{query}",
            window().location().pathname().unwrap_or_default()
        );
        // Written once the inputs rest, not on each keystroke: `history.replaceState`
        // alone took 5.7 ms of every edit's 13 (a profile of 40 edits), and Chromium
        // throttles a page that calls it too often. A page left sooner writes at once.
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        pending.set_value(Some((url, query)));
        timer.set_value(set_timeout_with_handle(write, WRITE_AFTER).ok());
    });
    let _ = window_event_listener(leptos::ev::pagehide, move |_| write());
}

/// How long the inputs must rest before the address and the stored copy are written.
const WRITE_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

/// Learns the version and saved content of the scenario a link names, leaving the
/// planner's (possibly edited) scenario as it is.
fn reopen(saved: Saved, id: String) {
    leptos::task::spawn_local(async move {
        // A scenario the link names but the server no longer has simply stays unsaved.
        let Ok(envelope) = crate::api::get(&id).await else {
            return;
        };
        let scenario = envelope.scenario;
        let filled = crate::state::compute(&scenario, &crate::shelf::sync::cached().0)
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
