//! Sections drawn only when opened (`<details>`): each group's "More settings" and the
//! assumptions. Closed, as they first are, their content is neither rendered by the server
//! nor hydrated (issue 16: more than half of the form's fields, a share of the page's one
//! long task); opening draws it from the scenario, closing drops it.

use leptos::prelude::*;

/// A `<details>` whose content is drawn only while it is open. `open` is the caller's, so
/// a section drawn again (the assumptions, when the rows change) stays as the user left it.
#[component]
pub fn Disclosure(
    class: &'static str,
    open: RwSignal<bool>,
    /// What the `<summary>` shows.
    summary: AnyView,
    /// The content, drawn each time the section is opened.
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <details class=class prop:open=move || open.get()
            on:toggle=move |ev| follow_toggle(open, &ev)>
            <summary>{summary}</summary>
            {move || open.get().then(|| children())}
        </details>
    }
}

/// Keeps `open` as a `<details>` element is after its `toggle` event: opened or closed by
/// the user, or by `prop:open` (then already the same, and nothing is redrawn).
fn follow_toggle(open: RwSignal<bool>, ev: &leptos::ev::Event) {
    let now = event_target::<leptos::web_sys::Element>(ev).has_attribute("open");
    if open.get_untracked() != now {
        open.set(now);
    }
}
