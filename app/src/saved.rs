//! Saved scenarios in the planner: save, save as, open, history, delete with undo, and the
//! exports, all through the server's JSON API (`/api/scenarios`).
//!
//! The rule this module keeps: nothing the user typed is ever dropped silently. A save
//! that loses a race (412) keeps the edits on screen and offers the two ways out; opening
//! another scenario over unsaved edits asks first; the edits also stay in the address bar
//! and local storage as before. What is saved is the scenario with every default filled
//! in (`Computed::filled`), price book included, so a saved scenario keeps its figures
//! when a default or the newest price book changes later.

use leptos::either::Either;
use leptos::prelude::*;
use serde_json::Value;

use crate::state::Planner;

/// The saved scenario the planner is editing, as last read from or written to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenScenario {
    pub id: String,
    pub version: u64,
    pub name: String,
    /// The scenario as saved (defaults filled in): the planner has unsaved changes when
    /// its own filled scenario differs.
    pub saved: Value,
}

/// A line of feedback under the scenario bar.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Done(String),
    Failed(String),
    /// Another save won the race: the user's edits are still here.
    Conflict {
        theirs: u64,
    },
    Deleted {
        id: String,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Open,
    SaveAs,
    History,
}

#[derive(Clone, Copy)]
pub struct Saved {
    pub open: RwSignal<Option<OpenScenario>>,
    pub notice: RwSignal<Option<Notice>>,
    pub panel: RwSignal<Panel>,
    pub busy: RwSignal<bool>,
}

impl Saved {
    pub fn new() -> Saved {
        Saved {
            open: RwSignal::new(None),
            notice: RwSignal::new(None),
            panel: RwSignal::new(Panel::Closed),
            busy: RwSignal::new(false),
        }
    }
}

impl Default for Saved {
    fn default() -> Self {
        Saved::new()
    }
}

/// The planner's scenario as it would be saved, or `None` while a field is invalid.
fn current_filled(planner: Planner) -> Option<Value> {
    planner
        .outcome
        .with(|o| o.as_ref().ok().map(|c| c.0.filled.clone()))
}

/// Whether the planner shows something the open saved scenario does not hold.
pub fn is_dirty(planner: Planner, saved: Saved) -> bool {
    saved.open.with(|open| match open {
        Some(o) => planner.outcome.with(|out| match out {
            Ok(c) => c.0.filled != o.saved,
            Err(_) => true,
        }),
        None => false,
    })
}

/// The scenario part of a `GET /api/scenarios/{id}` answer.
pub fn scenario_of(body: &Value) -> Value {
    body.get("scenario").cloned().unwrap_or(Value::Null)
}

/// Reads a number field of an API answer.
pub fn u64_of(body: &Value, key: &str) -> Option<u64> {
    body.get(key).and_then(Value::as_u64)
}

pub fn str_of<'a>(body: &'a Value, key: &str) -> &'a str {
    body.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A list answer: either a bare array or `{"<key>": [...]}`.
pub fn list_of<'a>(body: &'a Value, key: &str) -> &'a [Value] {
    body.as_array()
        .or_else(|| body.get(key).and_then(Value::as_array))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

#[component]
pub fn ScenarioBar() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    let dirty = Memo::new(move |_| is_dirty(planner, saved));
    let title = move || {
        saved.open.with(|o| match o {
            Some(o) => format!("{} (version {})", o.name, o.version),
            None => "Not saved yet".to_string(),
        })
    };
    let valid = move || planner.outcome.with(Result::is_ok);
    let toggle = move |p: Panel| {
        saved
            .panel
            .update(|cur| *cur = if *cur == p { Panel::Closed } else { p })
    };
    view! {
        <section class="scenario-bar" aria-label="Saved scenario">
            <div class="scenario-title">
                <span class="scenario-name" data-metric="saved_name">{title}</span>
                <span class="unsaved" class:shown=move || dirty.get() data-metric="unsaved">
                    {move || if dirty.get() { "Unsaved changes" } else { "" }}
                </span>
            </div>
            <div class="scenario-actions">
                <button type="button" class="button primary" name="save"
                    disabled=move || !valid() || saved.busy.get()
                    title=move || if valid() { "" } else { "Fix the fields marked in red first" }
                    on:click=move |_| actions::save(planner, saved)>
                    "Save"
                </button>
                <button type="button" class="button" name="save-as" disabled=move || !valid()
                    aria-expanded=move || (saved.panel.get() == Panel::SaveAs).to_string()
                    on:click=move |_| toggle(Panel::SaveAs)>"Save as…"</button>
                <button type="button" class="button" name="open"
                    aria-expanded=move || (saved.panel.get() == Panel::Open).to_string()
                    on:click=move |_| toggle(Panel::Open)>"Open…"</button>
                <button type="button" class="button" name="history"
                    disabled=move || saved.open.with(Option::is_none)
                    aria-expanded=move || (saved.panel.get() == Panel::History).to_string()
                    on:click=move |_| toggle(Panel::History)>"History"</button>
                <button type="button" class="button" name="export-csv" disabled=move || !valid()
                    on:click=move |_| actions::export(planner, saved, "csv")>"Export CSV"</button>
                <button type="button" class="button" name="export-pdf" disabled=move || !valid()
                    on:click=move |_| actions::export(planner, saved, "pdf")>"Export PDF"</button>
            </div>
            <NoticeLine/>
            {move || match saved.panel.get() {
                Panel::Closed => None,
                Panel::SaveAs => Some(Either::Left(view! { <SaveAsPanel/> })),
                Panel::Open => Some(Either::Right(Either::Left(view! { <OpenPanel/> }))),
                Panel::History => Some(Either::Right(Either::Right(view! { <HistoryPanel/> }))),
            }}
        </section>
    }
}

#[component]
fn NoticeLine() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    move || {
        saved.notice.get().map(|n| match n {
            Notice::Done(text) => Either::Left(view! { <p class="notice ok" role="status">{text}</p> }),
            Notice::Failed(text) => Either::Left(view! { <p class="notice bad" role="alert">{text}</p> }),
            Notice::Conflict { theirs } => Either::Right(Either::Left(view! {
                <p class="notice bad" role="alert">
                    {format!("Someone saved version {theirs} while you were editing. Your changes are still here: ")}
                    <button type="button" class="link-button" on:click=move |_| saved.panel.set(Panel::SaveAs)>"save them as a new scenario"</button>
                    " or "
                    <button type="button" class="link-button" on:click=move |_| actions::reload_open(planner, saved)>"load version " {theirs} " instead"</button>
                    "."
                </p>
            })),
            Notice::Deleted { id, name } => Either::Right(Either::Right(view! {
                <p class="notice ok" role="status">
                    {format!("Deleted “{name}”. It can be restored for 30 days. ")}
                    <button type="button" class="link-button" on:click=move |_| actions::undelete(saved, id.clone())>"Undo"</button>
                </p>
            })),
        })
    }
}

#[component]
fn SaveAsPanel() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    let name = RwSignal::new(
        current_filled(planner)
            .map(|f| {
                let n = str_of(&f, "name");
                if saved.open.with(Option::is_some) {
                    format!("{n} (copy)")
                } else {
                    n.to_string()
                }
            })
            .unwrap_or_default(),
    );
    view! {
        <form class="panel save-as" aria-label="Save as a new scenario"
            on:submit=move |ev| {
                ev.prevent_default();
                actions::save_as(planner, saved, name.get_untracked());
            }>
            <label>
                <span>"Name"</span>
                <input type="text" name="save-as.name" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="button primary" disabled=move || name.with(|n| n.trim().is_empty())>"Save as new"</button>
            <button type="button" class="button" on:click=move |_| saved.panel.set(Panel::Closed)>"Cancel"</button>
        </form>
    }
}

/// The saved scenarios as a table: open, duplicate, delete, or tick for comparison.
pub fn list_html(rows: &[Value], picked: &[String]) -> String {
    use crate::html::{button, checkbox, table, Cell};
    let head: Vec<String> = ["Scenario", "Customer", "Version", "Saved", "Compare", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            let id = str_of(row, "id");
            let name = str_of(row, "name");
            vec![
                Cell::text(name),
                Cell::text(str_of(row, "customer")),
                Cell::text(u64_of(row, "version").unwrap_or(0).to_string()),
                Cell::text(when(str_of(row, "updated_at"))),
                Cell::Markup(checkbox(
                    "pick",
                    id,
                    &format!("Compare {name}"),
                    picked.iter().any(|p| p == id),
                )),
                Cell::Markup(format!(
                    "{}{}{}",
                    button("open", id, "Open"),
                    button("duplicate", id, "Duplicate"),
                    button("delete", id, "Delete")
                )),
            ]
        })
        .collect();
    table("saved-list", &head, &body)
}

/// A scenario's saved versions as a table, each but the open one restorable.
pub fn versions_html(rows: &[Value], current: u64) -> String {
    use crate::html::{button, table, Cell};
    let head: Vec<String> = ["Version", "Saved", "Name", "Price book", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            let v = u64_of(row, "version").unwrap_or(0);
            vec![
                Cell::text(v.to_string()),
                Cell::text(when(str_of(row, "saved_at"))),
                Cell::text(str_of(row, "name")),
                Cell::text(str_of(row, "price_book")),
                Cell::Markup(if v == current {
                    "open now".to_string()
                } else {
                    button("restore", &v.to_string(), "Restore")
                }),
            ]
        })
        .collect();
    table("versions", &head, &body)
}

/// What re-pricing with the newest book would change (`GET .../reprice`), with the button
/// that does it; nothing changes until it is pressed.
pub fn reprice_html(body: &Value) -> String {
    use crate::html::{button, escape, table, Cell};
    let from = str_of(body, "from");
    let to = str_of(body, "to");
    let figures = list_of(body, "figures");
    if body.get("up_to_date").and_then(Value::as_bool) == Some(true) {
        return format!(
            r#"<p class="notice ok" data-metric="reprice" data-value="up_to_date">Priced with price book {}, the newest: nothing to re-price.</p>"#,
            escape(from)
        );
    }
    let rows: Vec<Vec<Cell>> = figures
        .iter()
        .map(|f| {
            let unit = str_of(f, "unit");
            let value = |i: usize| {
                f.get("values")
                    .and_then(|v| v.get(i))
                    .cloned()
                    .and_then(|v| serde_json::from_value(v).ok())
            };
            let delta = f
                .get("deltas")
                .and_then(|d| d.get(1))
                .and_then(Value::as_f64);
            vec![
                Cell::text(str_of(f, "label")),
                Cell::text(crate::compare::figure_text(value(0), unit)),
                Cell::text(crate::compare::figure_text(value(1), unit)),
                Cell::text(crate::compare::delta_text(delta, unit)),
            ]
        })
        .collect();
    let head = vec![
        "Figure".to_string(),
        format!("Book {from}"),
        format!("Book {to}"),
        "Change".to_string(),
    ];
    format!(
        r#"<p data-metric="reprice" data-value="changes">Price book {} would change these figures:</p>{}{}"#,
        escape(to),
        table("reprice-figures", &head, &rows),
        button("reprice", to, &format!("Re-price with {to}"))
    )
}

/// An RFC 3339 time as "2026-11-24 23:10" (UTC, as stored).
fn when(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

#[component]
fn OpenPanel() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    let query = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Value>::new());
    let picked = RwSignal::new(Vec::<String>::new());
    let search = move || actions::list(rows, query.get_untracked());
    Effect::new(move |_| search());
    let compare_href = move || format!("/compare?ids={}", picked.get().join(","));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, id, checked)) = crate::html::action_of(&ev) {
            match action.as_str() {
                "open" => actions::open(planner, saved, id),
                "duplicate" => actions::duplicate(planner, saved, id),
                "delete" => {
                    let name = rows.with_untracked(|rs| {
                        rs.iter()
                            .find(|r| str_of(r, "id") == id)
                            .map(|r| str_of(r, "name").to_string())
                            .unwrap_or_default()
                    });
                    actions::delete(saved, rows, id, name)
                }
                "pick" => picked.update(|p| {
                    p.retain(|x| *x != id);
                    if checked {
                        p.push(id);
                    }
                }),
                _ => {}
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, planner, saved);
    };
    view! {
        <div class="panel open-list" role="dialog" aria-label="Open a saved scenario">
            <label class="search">
                <span>"Search name or customer"</span>
                <input type="search" name="q" prop:value=move || query.get()
                    on:input=move |ev| { query.set(event_target_value(&ev)); search(); }/>
            </label>
            <div on:click=on_click inner_html=move || rows.with(|r| if r.is_empty() {
                r#"<p class="muted">No saved scenario matches.</p>"#.to_string()
            } else {
                list_html(r, &picked.get_untracked())
            })></div>
            <a class="button" class:disabled=move || picked.with(|p| p.len() < 2) href=compare_href
                aria-disabled=move || picked.with(|p| p.len() < 2).to_string()>"Compare selected"</a>
        </div>
    }
}

#[component]
fn HistoryPanel() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    let rows = RwSignal::new(Vec::<Value>::new());
    Effect::new(move |_| actions::versions(saved, rows));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(("restore", v, _)) = crate::html::action_of(&ev)
            .as_ref()
            .map(|(a, id, c)| (a.as_str(), id.parse::<u64>().ok(), *c))
            .and_then(|(a, v, c)| v.map(|v| (a, v, c)))
        {
            actions::restore(planner, saved, v);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, planner, saved);
    };
    let reprice = RwSignal::new(String::new());
    let on_reprice_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, _, _)) = crate::html::action_of(&ev) {
            if action == "reprice" {
                actions::reprice(planner, saved);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <div class="panel history" role="dialog" aria-label="Saved versions">
            <div on:click=on_click inner_html=move || {
                let current = saved.open.with(|o| o.as_ref().map_or(0, |o| o.version));
                rows.with(|r| versions_html(r, current))
            }></div>
            <p>
                <button type="button" class="button" name="reprice.check"
                    on:click=move |_| actions::reprice_preview(saved, reprice)>
                    "Check the newest price book"
                </button>
            </p>
            <div class="reprice" on:click=on_reprice_click inner_html=move || reprice.get()></div>
        </div>
    }
}

/// What the buttons do. In the browser they call the API; the server renders the page
/// without them (its buttons do nothing until the page is hydrated).
#[cfg(feature = "hydrate")]
mod actions {
    use super::*;
    use crate::api::{call, Reply};
    use leptos::task::spawn_local;

    fn failed(saved: Saved, what: &str, reply: &Reply) {
        saved
            .notice
            .set(Some(Notice::Failed(format!("{what}: {}", reply.message()))));
    }

    /// Puts a saved scenario into the planner and remembers it as the open one.
    fn adopt(planner: Planner, saved: Saved, body: &Value) {
        let scenario = scenario_of(body);
        let preset = crate::state::preset_or_default(None);
        let changes = crate::doc::diff(&crate::state::preset_doc(preset), &scenario);
        planner.load(preset, &changes);
        saved.open.set(Some(OpenScenario {
            id: str_of(body, "id").to_string(),
            version: u64_of(body, "version").unwrap_or(0),
            name: str_of(&scenario, "name").to_string(),
            saved: planner
                .outcome
                .with_untracked(|o| o.as_ref().ok().map(|c| c.0.filled.clone()))
                .unwrap_or(scenario),
        }));
    }

    /// Asks before dropping unsaved edits; `true` when there are none or the user agrees.
    fn may_discard(planner: Planner, saved: Saved) -> bool {
        if !is_dirty(planner, saved) {
            return true;
        }
        window()
            .confirm_with_message("Discard the unsaved changes to this scenario?")
            .unwrap_or(false)
    }

    pub fn save(planner: Planner, saved: Saved) {
        let Some(body) = current_filled(planner) else {
            return;
        };
        let Some(open) = saved.open.get_untracked() else {
            saved.panel.set(Panel::SaveAs);
            return;
        };
        saved.busy.set(true);
        spawn_local(async move {
            let url = format!("/api/scenarios/{}", open.id);
            let version = open.version.to_string();
            match call("PUT", &url, Some(&body), Some(&version)).await {
                Ok(r) if r.ok() => {
                    let v = r.version().unwrap_or(open.version + 1);
                    let name = str_of(&body, "name").to_string();
                    saved.open.set(Some(OpenScenario {
                        version: v,
                        name: name.clone(),
                        saved: body,
                        ..open
                    }));
                    saved.notice.set(Some(Notice::Done(format!(
                        "Saved “{name}” as version {v}."
                    ))));
                }
                Ok(r) if r.status == 412 => {
                    let theirs = r.current_version().unwrap_or(open.version + 1);
                    saved.notice.set(Some(Notice::Conflict { theirs }));
                }
                Ok(r) => failed(saved, "Not saved", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
            saved.busy.set(false);
        });
    }

    pub fn save_as(planner: Planner, saved: Saved, name: String) {
        let Some(mut body) = current_filled(planner) else {
            return;
        };
        if let Some(obj) = body.as_object_mut() {
            obj.insert("name".into(), Value::String(name.trim().to_string()));
        }
        saved.busy.set(true);
        spawn_local(async move {
            match call("POST", "/api/scenarios", Some(&body), None).await {
                Ok(r) if r.ok() => {
                    let mut got = r.body.clone();
                    if let (Some(obj), Some(v)) = (got.as_object_mut(), r.version()) {
                        obj.insert("version".into(), Value::from(v));
                    }
                    if let Some(obj) = got.as_object_mut() {
                        obj.insert("scenario".into(), body);
                    }
                    adopt(planner, saved, &got);
                    saved.panel.set(Panel::Closed);
                    saved.notice.set(Some(Notice::Done(format!(
                        "Saved “{}” as a new scenario.",
                        name.trim()
                    ))));
                }
                Ok(r) => failed(saved, "Not saved", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
            saved.busy.set(false);
        });
    }

    pub fn list(rows: RwSignal<Vec<Value>>, query: String) {
        spawn_local(async move {
            let url = format!(
                "/api/scenarios?q={}",
                crate::doc::percent_encode(query.trim())
            );
            if let Ok(r) = call("GET", &url, None, None).await {
                if r.ok() {
                    rows.set(list_of(&r.body, "scenarios").to_vec());
                }
            }
        });
    }

    pub fn open(planner: Planner, saved: Saved, id: String) {
        if !may_discard(planner, saved) {
            return;
        }
        spawn_local(async move {
            match call("GET", &format!("/api/scenarios/{id}"), None, None).await {
                Ok(r) if r.ok() => {
                    adopt(planner, saved, &r.body);
                    saved.panel.set(Panel::Closed);
                    saved.notice.set(None);
                }
                Ok(r) => failed(saved, "Not opened", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    /// After a lost race: the newest saved version replaces the edits (the user chose so).
    pub fn reload_open(planner: Planner, saved: Saved) {
        if let Some(o) = saved.open.get_untracked() {
            saved.notice.set(None);
            spawn_local(async move {
                match call("GET", &format!("/api/scenarios/{}", o.id), None, None).await {
                    Ok(r) if r.ok() => adopt(planner, saved, &r.body),
                    Ok(r) => failed(saved, "Not opened", &r),
                    Err(e) => saved.notice.set(Some(Notice::Failed(e))),
                }
            });
        }
    }

    /// The copy's envelope comes back with the 201 (scenario included), so it opens as is.
    pub fn duplicate(planner: Planner, saved: Saved, id: String) {
        if !may_discard(planner, saved) {
            return;
        }
        spawn_local(async move {
            match call(
                "POST",
                &format!("/api/scenarios/{id}/duplicate"),
                None,
                None,
            )
            .await
            {
                Ok(r) if r.ok() => {
                    adopt(planner, saved, &r.body);
                    saved.panel.set(Panel::Closed);
                    saved
                        .notice
                        .set(Some(Notice::Done("Duplicated: this is the copy.".into())));
                }
                Ok(r) => failed(saved, "Not duplicated", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    pub fn delete(saved: Saved, rows: RwSignal<Vec<Value>>, id: String, name: String) {
        spawn_local(async move {
            match call("DELETE", &format!("/api/scenarios/{id}"), None, None).await {
                Ok(r) if r.ok() => {
                    rows.update(|rs| rs.retain(|row| str_of(row, "id") != id));
                    if saved
                        .open
                        .with_untracked(|o| o.as_ref().is_some_and(|o| o.id == id))
                    {
                        saved.open.set(None);
                    }
                    saved.notice.set(Some(Notice::Deleted { id, name }));
                }
                Ok(r) => failed(saved, "Not deleted", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    pub fn undelete(saved: Saved, id: String) {
        spawn_local(async move {
            match call("POST", &format!("/api/scenarios/{id}/undelete"), None, None).await {
                Ok(r) if r.ok() => saved.notice.set(Some(Notice::Done(
                    "Restored: it is back in the list.".into(),
                ))),
                Ok(r) => failed(saved, "Not restored", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    pub fn versions(saved: Saved, rows: RwSignal<Vec<Value>>) {
        let Some(id) = saved.open.with(|o| o.as_ref().map(|o| o.id.clone())) else {
            return;
        };
        spawn_local(async move {
            match call("GET", &format!("/api/scenarios/{id}/versions"), None, None).await {
                Ok(r) if r.ok() => rows.set(list_of(&r.body, "versions").to_vec()),
                Ok(r) => failed(saved, "No history", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    /// Saves version `version` again as the newest; the answer is the new version's
    /// envelope, which the planner then shows.
    pub fn restore(planner: Planner, saved: Saved, version: u64) {
        new_version_of_open(
            planner,
            saved,
            &format!("versions/{version}/restore"),
            move |r| {
                format!(
                    "Restored version {version} as version {}.",
                    r.version().unwrap_or(0)
                )
            },
        );
    }

    /// A POST on the open scenario that saves a new version of it (restore, re-price):
    /// asks before dropping unsaved edits, sends the open version as `If-Match`, shows
    /// the answer's envelope, and reports a lost race as one.
    fn new_version_of_open(
        planner: Planner,
        saved: Saved,
        action: &str,
        done: impl Fn(&Reply) -> String + 'static,
    ) {
        if !may_discard(planner, saved) {
            return;
        }
        let Some(open) = saved.open.get_untracked() else {
            return;
        };
        let url = format!("/api/scenarios/{}/{action}", open.id);
        spawn_local(async move {
            let current = open.version.to_string();
            match call("POST", &url, None, Some(&current)).await {
                Ok(r) if r.ok() => {
                    adopt(planner, saved, &r.body);
                    saved.panel.set(Panel::Closed);
                    saved.notice.set(Some(Notice::Done(done(&r))));
                }
                Ok(r) if r.status == 412 => saved.notice.set(Some(Notice::Conflict {
                    theirs: r.current_version().unwrap_or(open.version + 1),
                })),
                Ok(r) => failed(saved, "Not saved", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    pub fn reprice_preview(saved: Saved, out: RwSignal<String>) {
        let Some(id) = saved
            .open
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
        else {
            return;
        };
        spawn_local(async move {
            match call("GET", &format!("/api/scenarios/{id}/reprice"), None, None).await {
                Ok(r) if r.ok() => out.set(reprice_html(&r.body)),
                Ok(r) => failed(saved, "Cannot check the price book", &r),
                Err(e) => saved.notice.set(Some(Notice::Failed(e))),
            }
        });
    }

    pub fn reprice(planner: Planner, saved: Saved) {
        new_version_of_open(planner, saved, "reprice", |r| {
            format!(
                "Re-priced with price book {} as version {}.",
                str_of(&r.body, "price_book"),
                r.version().unwrap_or(0)
            )
        });
    }

    /// Downloads the current scenario's CSV (computed here, as the page's figures are) or
    /// PDF (made by the server from the scenario sent, nothing stored).
    pub fn export(planner: Planner, saved: Saved, format: &'static str) {
        let Some(body) = current_filled(planner) else {
            return;
        };
        // No version: what is on screen may be edited since it was saved.
        let file = lakeplan_models::export::file_name(str_of(&body, "name"), None, format);
        if format == "csv" {
            let csv = planner.outcome.with_untracked(|o| {
                o.as_ref()
                    .ok()
                    .map(|c| lakeplan_models::report::to_csv(&c.0.report))
            });
            if let Some(csv) = csv {
                crate::browser::download_text(&file, "text/csv", &csv);
            }
            return;
        }
        spawn_local(async move {
            if let Err(e) = crate::browser::download_post("/api/export.pdf", &body, &file).await {
                saved.notice.set(Some(Notice::Failed(e)));
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod actions {
    use super::*;

    pub fn save(_: Planner, _: Saved) {}
    pub fn save_as(_: Planner, _: Saved, _: String) {}
    pub fn list(_: RwSignal<Vec<Value>>, _: String) {}
    pub fn reload_open(_: Planner, _: Saved) {}
    pub fn undelete(_: Saved, _: String) {}
    pub fn versions(_: Saved, _: RwSignal<Vec<Value>>) {}
    pub fn reprice_preview(_: Saved, _: RwSignal<String>) {}
    pub fn export(_: Planner, _: Saved, _: &'static str) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_offer_their_actions_by_id() {
        let rows = vec![
            json!({"id": "k1", "name": "A & B", "customer": "C", "version": 2,
            "updated_at": "2026-11-24T23:10:05Z"}),
        ];
        let html = list_html(&rows, &["k1".to_string()]);
        assert!(
            html.contains(r#"data-action="open" data-id="k1""#),
            "{html}"
        );
        assert!(html.contains("A &amp; B"), "{html}");
        assert!(html.contains("2026-11-24 23:10"), "{html}");
        assert!(html.contains(" checked>"), "{html}");
        let versions = vec![json!({"version": 1}), json!({"version": 2})];
        let html = versions_html(&versions, 2);
        assert!(
            html.contains(r#"data-action="restore" data-id="1""#),
            "{html}"
        );
        assert!(!html.contains(r#"data-id="2""#), "{html}");
    }

    #[test]
    fn repricing_says_nothing_changes_or_shows_what_does() {
        let same = json!({"from": "2026-11", "to": "2026-11", "up_to_date": true, "figures": []});
        assert!(reprice_html(&same).contains("nothing to re-price"));
        let moved = json!({"from": "2026-11", "to": "2027-05", "up_to_date": false,
            "figures": [{"key": "total_cost_usd", "label": "Total cost", "unit": "USD",
                "values": [1.85e9, 1.80e9], "deltas": [0.0, -5.0e7]}]});
        let html = reprice_html(&moved);
        assert!(
            html.contains("$1.85 B") && html.contains("$1.80 B"),
            "{html}"
        );
        assert!(html.contains("−$50.0 M"), "{html}");
        assert!(html.contains(r#"data-action="reprice""#), "{html}");
    }

    #[test]
    fn answers_are_read_in_either_list_shape() {
        let bare = json!([{"id": "a"}, {"id": "b"}]);
        let wrapped = json!({"scenarios": [{"id": "a"}]});
        assert_eq!(list_of(&bare, "scenarios").len(), 2);
        assert_eq!(list_of(&wrapped, "scenarios").len(), 1);
        assert!(list_of(&json!({"other": 1}), "scenarios").is_empty());
        assert_eq!(str_of(&bare[0], "id"), "a");
        assert_eq!(u64_of(&json!({"version": 3}), "version"), Some(3));
    }
}
