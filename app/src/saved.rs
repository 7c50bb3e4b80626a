//! Saved scenarios in the planner: save, save as, open, history, delete with undo, and the
//! exports, all through the server's JSON API (`/api/scenarios`).
//!
//! The rule this module keeps: nothing the user typed is ever dropped silently. A save
//! that loses a race (412) keeps the edits on screen and offers the two ways out; opening
//! another scenario over unsaved edits asks first; the edits also stay in the address bar
//! and local storage as before. What is saved is the scenario with every default filled
//! in (`Computed::filled`), price book included, so a saved scenario keeps its figures
//! when a default or the newest price book changes later.

use lakeplan_api::accounts::ShareInfo;
use lakeplan_api::scenarios::{RepricePreview, Summary, VersionInfo};
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
    Share,
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

/// A scenario file's `name` (empty when it has none).
fn name_of(scenario: &Value) -> &str {
    scenario.get("name").and_then(Value::as_str).unwrap_or("")
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
    let panels_loaded = RwSignal::new(false);
    // Whatever opens a panel (a button here, a notice's link), its module comes first.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if saved.panel.get() != Panel::Closed && !panels_loaded.get_untracked() {
            leptos::task::spawn_local(async move {
                // The panels' buttons need the actions' module: both come at once.
                actions::preload();
                match preload_panel_view().await {
                    Ok(()) if !panels_loaded.get_untracked() => panels_loaded.set(true),
                    Ok(()) => {}
                    Err(_) => saved
                        .notice
                        .set(Some(Notice::Failed(crate::lazy::NotLoaded::MESSAGE.into()))),
                }
            });
        }
    });
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
                <button type="button" class="button" name="share"
                    disabled=move || saved.open.with(Option::is_none)
                    aria-expanded=move || (saved.panel.get() == Panel::Share).to_string()
                    on:click=move |_| toggle(Panel::Share)>"Share…"</button>
                <button type="button" class="button" name="export-csv" disabled=move || !valid()
                    on:click=move |_| actions::export(planner, saved, "csv")>"Export CSV"</button>
                <button type="button" class="button" name="export-pdf" disabled=move || !valid()
                    on:click=move |_| actions::export(planner, saved, "pdf")>"Export PDF"</button>
            </div>
            <NoticeLine/>
            {move || {
                let panel = saved.panel.get();
                (panel != Panel::Closed && panels_loaded.get())
                    .then(|| crate::lazy::shown(panel_view(panel)))
                    .flatten()
            }}
        </section>
    }
}

/// A panel of the bar, in its own wasm module (`crate::lazy`): the list, the history, the
/// shares and the save-as form are fetched the first time one of them opens.
#[leptos::wasm_split::wasm_split(panel_view, wasm_split_path = ::leptos::wasm_split, preload(preload_panel_view), fallible)]
fn panel_view(panel: Panel) -> Result<AnyView, crate::lazy::NotLoaded> {
    Ok(match panel {
        Panel::Closed => ().into_any(),
        Panel::SaveAs => view! { <SaveAsPanel/> }.into_any(),
        Panel::Open => view! { <OpenPanel/> }.into_any(),
        Panel::History => view! { <HistoryPanel/> }.into_any(),
        Panel::Share => view! { <SharePanel/> }.into_any(),
    })
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
                let n = name_of(&f);
                if saved.open.with(Option::is_some) {
                    format!("{n} (copy)")
                } else {
                    n.to_string()
                }
            })
            .unwrap_or_default(),
    );
    let viewer = expect_context::<crate::account::Viewer>();
    let team = RwSignal::new(String::new());
    view! {
        <form class="panel save-as" aria-label="Save as a new scenario"
            on:submit=move |ev| {
                ev.prevent_default();
                // Only asked when there is a choice: with one team the server takes it.
                let team = team.get_untracked();
                let team = (viewer.save_teams().len() > 1).then_some(team).filter(|t| !t.is_empty());
                actions::save_as(planner, saved, name.get_untracked(), team);
            }>
            <label>
                <span>"Name"</span>
                <input type="text" name="save-as.name" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            {move || team_picker(viewer.save_teams(), team, "save-as.team")}
            <button type="submit" class="button primary" disabled=move || name.with(|n| n.trim().is_empty())>"Save as new"</button>
            <button type="button" class="button" on:click=move |_| saved.panel.set(Panel::Closed)>"Cancel"</button>
        </form>
    }
}

/// A choice of team when the viewer can save to more than one (`None` otherwise). The first
/// team is chosen until the user picks another.
pub fn team_picker(
    teams: Vec<String>,
    team: RwSignal<String>,
    name: &'static str,
) -> Option<impl IntoView> {
    if teams.len() < 2 {
        return None;
    }
    if !teams.contains(&team.get_untracked()) {
        team.set(teams[0].clone());
    }
    Some(view! {
        <label>
            <span>"Team"</span>
            <select name=name prop:value=move || team.get()
                on:change=move |ev| team.set(event_target_value(&ev))>
                {teams.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
            </select>
        </label>
    })
}

/// A scenario's share links: the link, its version, who made it, expiry, state, and a
/// revoke button on the live ones.
pub fn shares_html(rows: &[ShareInfo]) -> String {
    use crate::html::{button, escape, table, Cell};
    let head: Vec<String> = ["Link", "Version", "Made by", "Expires", "State", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            let live = row.revoked_at.is_none();
            vec![
                Cell::Markup(format!(
                    r#"<a href="{url}" data-metric="share_url">{url}</a>"#,
                    url = escape(&row.url)
                )),
                Cell::text(row.version.to_string()),
                Cell::text(&row.created_by),
                Cell::text(row.expires_at.as_deref().map_or("never".into(), when)),
                Cell::text(if live { "live" } else { "revoked" }),
                Cell::Markup(if live {
                    button("revoke-share", &row.token, "Revoke")
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    table("shares", &head, &body)
}

#[component]
fn SharePanel() -> impl IntoView {
    let saved = expect_context::<Saved>();
    let rows = RwSignal::new(Vec::<ShareInfo>::new());
    // Again whenever another scenario (or version) is open: the action reads it later, in
    // its own module, where the effect cannot see it.
    Effect::new(move |_| {
        saved.open.track();
        actions::shares(saved, rows)
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if let Some((action, token, _)) = crate::html::action_of(&ev) {
            if action == "revoke-share" {
                actions::revoke_share(saved, rows, token);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        if let Some(sent) = crate::html::submitted(&ev) {
            actions::make_share(saved, rows, sent.get("share.expires_in_days"));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let form = crate::html::form(
        "share",
        "Make a share link",
        &[crate::html::Field::Input {
            name: "share.expires_in_days",
            label: "Expires in days (empty: never)",
            kind: "number",
            attrs: r#"min="1" max="3650" value="30""#,
        }],
        "Make a share link",
    );
    let version = move || saved.open.with(|o| o.as_ref().map_or(0, |o| o.version));
    view! {
        <div class="panel shares" role="dialog" aria-label="Share links">
            <p class="muted">
                {move || format!("A share link opens version {} of this scenario read-only, for anyone who has it, without an account. Revoke it to end it.", version())}
            </p>
            <div on:submit=on_submit inner_html=form></div>
            <div on:click=on_click inner_html=move || rows.with(|r| if r.is_empty() {
                r#"<p class="muted">No share links yet.</p>"#.to_string()
            } else {
                shares_html(r)
            })></div>
        </div>
    }
}

/// What a share link shows: its scenario's name, version and save time, or why it cannot.
#[derive(Debug, Clone, PartialEq)]
pub enum SharedState {
    Opening,
    Open {
        name: String,
        version: u64,
        saved_at: String,
    },
    Failed(String),
}

/// The bar above a scenario opened from a share link (`/?share=TOKEN`): read-only, with
/// *Copy into my team* for a signed-in engineer.
#[component]
pub fn SharedBar(share: RwSignal<Option<String>>) -> impl IntoView {
    let planner = expect_context::<Planner>();
    let saved = expect_context::<Saved>();
    let viewer = expect_context::<crate::account::Viewer>();
    let state = RwSignal::new(SharedState::Opening);
    let team = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(token) = share.get_untracked() {
            actions::open_share(planner, token, state);
        }
    });
    let copy = move |_| {
        let teams = viewer.save_teams();
        let team = (teams.len() > 1).then(|| team.get_untracked());
        if let Some(token) = share.get_untracked() {
            actions::copy_share(planner, saved, share, token, team);
        }
    };
    view! {
        <section class="scenario-bar shared" aria-label="Shared scenario">
            {move || match state.get() {
                SharedState::Opening => Either::Left(view! { <p class="scenario-title">"Opening the shared scenario…"</p> }),
                SharedState::Open { name, version, saved_at } => Either::Right(Either::Left(view! {
                    <p class="scenario-title">
                        <strong>"Read-only: "</strong>
                        <span class="scenario-name" data-metric="shared_name">{name}</span>
                        {format!(" (version {version}, saved {}). Changes here are not saved.", when(&saved_at))}
                    </p>
                })),
                SharedState::Failed(why) => Either::Right(Either::Right(view! {
                    <p class="notice bad" role="alert">{why}</p>
                })),
            }}
            {move || (matches!(state.get(), SharedState::Open { .. }) && !viewer.save_teams().is_empty()).then(|| view! {
                <div class="scenario-actions">
                    {team_picker(viewer.save_teams(), team, "copy-share.team")}
                    <button type="button" class="button primary" name="copy-share" on:click=copy>"Copy into my team"</button>
                </div>
            })}
            <NoticeLine/>
        </section>
    }
}

/// The saved scenarios as a table: open, duplicate, delete, or tick for comparison.
pub fn list_html(rows: &[Summary], picked: &[String]) -> String {
    use crate::html::{button, checkbox, table, Cell};
    let head: Vec<String> = ["Scenario", "Customer", "Version", "Saved", "Compare", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            let id = row.id.as_str();
            let name = row.name.as_str();
            vec![
                Cell::text(name),
                Cell::text(&row.customer),
                Cell::text(row.version.to_string()),
                Cell::text(when(&row.updated_at)),
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
pub fn versions_html(rows: &[VersionInfo], current: u64) -> String {
    use crate::html::{button, table, Cell};
    let head: Vec<String> = ["Version", "Saved", "By", "Name", "Price book", ""]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let body: Vec<Vec<Cell>> = rows
        .iter()
        .map(|row| {
            let v = row.version;
            vec![
                Cell::text(v.to_string()),
                Cell::text(when(&row.saved_at)),
                Cell::text(&row.saved_by),
                Cell::text(&row.name),
                Cell::text(&row.price_book),
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
pub fn reprice_html(preview: &RepricePreview) -> String {
    use crate::html::{button, escape, table, Cell};
    let from = preview.from.as_str();
    let to = preview.to.as_str();
    if preview.up_to_date {
        return format!(
            r#"<p class="notice ok" data-metric="reprice" data-value="up_to_date">Priced with price book {}, the newest: nothing to re-price.</p>"#,
            escape(from)
        );
    }
    if preview.figures.is_empty() {
        return format!(
            r#"<p data-metric="reprice" data-value="no_change">Price book {} is newer than {} and changes none of the key figures.</p>{}"#,
            escape(to),
            escape(from),
            button("reprice", to, &format!("Re-price with {to}"))
        );
    }
    let rows: Vec<Vec<Cell>> = preview
        .figures
        .iter()
        .map(|f| {
            let unit = f.unit.as_str();
            let value = |i: usize| f.values.get(i).copied().flatten();
            let delta = f.deltas.get(1).copied().flatten();
            vec![
                Cell::text(&f.label),
                Cell::text(crate::show::figure_text(value(0), unit)),
                Cell::text(crate::show::figure_text(value(1), unit)),
                Cell::text(crate::show::delta_text(delta, unit)),
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
    let rows = RwSignal::new(Vec::<Summary>::new());
    let picked = RwSignal::new(Vec::<String>::new());
    let search = move || actions::list(saved, rows, query.get_untracked());
    Effect::new(move |_| search());
    // Until the first answer the list is not empty, only not there yet ("nothing matches"
    // would be a wrong answer while the list or its module is on its way).
    let answered = RwSignal::new(false);
    Effect::new(move |first: Option<()>| {
        rows.track();
        if first.is_some() {
            answered.set(true);
        }
    });
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
                            .find(|r| r.id == id)
                            .map(|r| r.name.clone())
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
            <div on:click=on_click inner_html=move || rows.with(|r| if !answered.get() {
                r#"<p class="muted" role="status">Listing the saved scenarios…</p>"#.to_string()
            } else if r.is_empty() {
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
    let rows = RwSignal::new(Vec::<VersionInfo>::new());
    // Again whenever another scenario (or version) is open, as the shares above.
    Effect::new(move |_| {
        saved.open.track();
        actions::versions(saved, rows)
    });
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

/// What the buttons do. In the browser they call the API, from a wasm module of their own
/// (`scenario_actions`, fetched the first time a button or a panel asks for one: the
/// planner's first load does not need them, issue 16); the server renders the page without
/// them (its buttons do nothing until the page is hydrated).
#[cfg(feature = "hydrate")]
mod actions {
    use super::*;
    use crate::lazy::NotLoaded;

    /// A button's request, carried into the module that carries it out ([`perform`]).
    enum Action {
        Save(Planner, Saved),
        SaveAs(Planner, Saved, String, Option<String>),
        List(Saved, RwSignal<Vec<Summary>>, String),
        Open(Planner, Saved, String),
        ReloadOpen(Planner, Saved),
        Duplicate(Planner, Saved, String),
        Delete(Saved, RwSignal<Vec<Summary>>, String, String),
        Undelete(Saved, String),
        Versions(Saved, RwSignal<Vec<VersionInfo>>),
        Restore(Planner, Saved, u64),
        Reprice(Planner, Saved),
        Shares(Saved, RwSignal<Vec<ShareInfo>>),
        MakeShare(Saved, RwSignal<Vec<ShareInfo>>, String),
        RevokeShare(Saved, RwSignal<Vec<ShareInfo>>, String),
        OpenShare(Planner, String, RwSignal<SharedState>),
        CopyShare(
            Planner,
            Saved,
            RwSignal<Option<String>>,
            String,
            Option<String>,
        ),
        RepricePreview(Saved, RwSignal<String>),
        Export(Planner, Saved, &'static str),
    }

    #[leptos::wasm_split::wasm_split(scenario_actions, wasm_split_path = ::leptos::wasm_split, preload(preload_scenario_actions), fallible)]
    fn perform(action: Action) -> Result<(), NotLoaded> {
        match action {
            Action::Save(p, s) => act::save(p, s),
            Action::SaveAs(p, s, name, team) => act::save_as(p, s, name, team),
            Action::List(s, rows, query) => act::list(s, rows, query),
            Action::Open(p, s, id) => act::open(p, s, id),
            Action::ReloadOpen(p, s) => act::reload_open(p, s),
            Action::Duplicate(p, s, id) => act::duplicate(p, s, id),
            Action::Delete(s, rows, id, name) => act::delete(s, rows, id, name),
            Action::Undelete(s, id) => act::undelete(s, id),
            Action::Versions(s, rows) => act::versions(s, rows),
            Action::Restore(p, s, v) => act::restore(p, s, v),
            Action::Reprice(p, s) => act::reprice(p, s),
            Action::Shares(s, rows) => act::shares(s, rows),
            Action::MakeShare(s, rows, days) => act::make_share(s, rows, days),
            Action::RevokeShare(s, rows, token) => act::revoke_share(s, rows, token),
            Action::OpenShare(p, token, state) => act::open_share(p, token, state),
            Action::CopyShare(p, s, share, token, team) => {
                act::copy_share(p, s, share, token, team)
            }
            Action::RepricePreview(s, out) => act::reprice_preview(s, out),
            Action::Export(p, s, format) => act::export(p, s, format),
        }
        Ok(())
    }

    /// Carries out `action` once its module is in; a module that cannot be fetched is said
    /// where the action would have answered.
    fn run(action: Action) {
        let failed: Box<dyn Fn()> = match &action {
            Action::OpenShare(_, _, state) => {
                let state = *state;
                Box::new(move || state.set(SharedState::Failed(NotLoaded::MESSAGE.into())))
            }
            Action::Save(_, s)
            | Action::SaveAs(_, s, ..)
            | Action::List(s, ..)
            | Action::Open(_, s, _)
            | Action::ReloadOpen(_, s)
            | Action::Duplicate(_, s, _)
            | Action::Delete(s, ..)
            | Action::Undelete(s, _)
            | Action::Versions(s, _)
            | Action::Restore(_, s, _)
            | Action::Reprice(_, s)
            | Action::Shares(s, _)
            | Action::MakeShare(s, ..)
            | Action::RevokeShare(s, ..)
            | Action::CopyShare(_, s, ..)
            | Action::RepricePreview(s, _)
            | Action::Export(_, s, _) => {
                let s = *s;
                Box::new(move || {
                    s.notice
                        .set(Some(Notice::Failed(NotLoaded::MESSAGE.into())))
                })
            }
        };
        leptos::task::spawn_local(async move {
            if perform(action).await.is_err() {
                failed();
            }
        });
    }

    /// Starts fetching the actions' module (a panel that opens will need it); a failure is
    /// said when an action runs.
    pub fn preload() {
        leptos::task::spawn_local(async {
            let _ = preload_scenario_actions().await;
        });
    }
    pub fn save(p: Planner, s: Saved) {
        run(Action::Save(p, s))
    }
    pub fn save_as(p: Planner, s: Saved, name: String, team: Option<String>) {
        run(Action::SaveAs(p, s, name, team))
    }
    pub fn list(s: Saved, rows: RwSignal<Vec<Summary>>, query: String) {
        run(Action::List(s, rows, query))
    }
    pub fn open(p: Planner, s: Saved, id: String) {
        run(Action::Open(p, s, id))
    }
    pub fn reload_open(p: Planner, s: Saved) {
        run(Action::ReloadOpen(p, s))
    }
    pub fn duplicate(p: Planner, s: Saved, id: String) {
        run(Action::Duplicate(p, s, id))
    }
    pub fn delete(s: Saved, rows: RwSignal<Vec<Summary>>, id: String, name: String) {
        run(Action::Delete(s, rows, id, name))
    }
    pub fn undelete(s: Saved, id: String) {
        run(Action::Undelete(s, id))
    }
    pub fn versions(s: Saved, rows: RwSignal<Vec<VersionInfo>>) {
        run(Action::Versions(s, rows))
    }
    pub fn restore(p: Planner, s: Saved, version: u64) {
        run(Action::Restore(p, s, version))
    }
    pub fn reprice(p: Planner, s: Saved) {
        run(Action::Reprice(p, s))
    }
    pub fn shares(s: Saved, rows: RwSignal<Vec<ShareInfo>>) {
        run(Action::Shares(s, rows))
    }
    pub fn make_share(s: Saved, rows: RwSignal<Vec<ShareInfo>>, days: String) {
        run(Action::MakeShare(s, rows, days))
    }
    pub fn revoke_share(s: Saved, rows: RwSignal<Vec<ShareInfo>>, token: String) {
        run(Action::RevokeShare(s, rows, token))
    }
    pub fn open_share(p: Planner, token: String, state: RwSignal<SharedState>) {
        run(Action::OpenShare(p, token, state))
    }
    pub fn copy_share(
        p: Planner,
        s: Saved,
        share: RwSignal<Option<String>>,
        token: String,
        team: Option<String>,
    ) {
        run(Action::CopyShare(p, s, share, token, team))
    }
    pub fn reprice_preview(s: Saved, out: RwSignal<String>) {
        run(Action::RepricePreview(s, out))
    }
    pub fn export(p: Planner, s: Saved, format: &'static str) {
        run(Action::Export(p, s, format))
    }
}

/// The actions themselves, reached only through [`actions`]' module of their own.
#[cfg(feature = "hydrate")]
mod act {
    use super::*;
    use crate::api::{self, Failure};
    use lakeplan_api::scenarios::ScenarioEnvelope;
    use leptos::task::spawn_local;

    fn failed(saved: Saved, what: &str, failure: &Failure) {
        saved.notice.set(Some(Notice::Failed(format!(
            "{what}: {}",
            failure.sentence()
        ))));
    }

    /// Puts a saved scenario into the planner and remembers it as the open one.
    fn adopt(planner: Planner, saved: Saved, envelope: &ScenarioEnvelope<Value>) {
        let scenario = envelope.scenario.clone();
        let preset = crate::state::preset_or_default(None);
        let changes = crate::doc::diff(&crate::state::preset_doc(preset), &scenario);
        planner.load(preset, &changes);
        saved.open.set(Some(OpenScenario {
            id: envelope.id.clone(),
            version: envelope.version,
            name: name_of(&scenario).to_string(),
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
            match api::save(&open.id, open.version, &body).await {
                Ok(envelope) => {
                    let v = envelope.version;
                    let name = name_of(&body).to_string();
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
                Err(f) => match f.lost_race() {
                    Some(theirs) => saved.notice.set(Some(Notice::Conflict { theirs })),
                    None => failed(saved, "Not saved", &f),
                },
            }
            saved.busy.set(false);
        });
    }

    pub fn save_as(planner: Planner, saved: Saved, name: String, team: Option<String>) {
        let Some(mut body) = current_filled(planner) else {
            return;
        };
        if let Some(obj) = body.as_object_mut() {
            obj.insert("name".into(), Value::String(name.trim().to_string()));
            // Beside the scenario's own fields, as the API takes it (a scenario has no team).
            if let Some(team) = team {
                obj.insert("team".into(), Value::String(team));
            }
        }
        saved.busy.set(true);
        spawn_local(async move {
            match api::create(&body).await {
                Ok(envelope) => {
                    adopt(planner, saved, &envelope);
                    saved.panel.set(Panel::Closed);
                    saved.notice.set(Some(Notice::Done(format!(
                        "Saved “{}” as a new scenario.",
                        name.trim()
                    ))));
                }
                Err(f) => failed(saved, "Not saved", &f),
            }
            saved.busy.set(false);
        });
    }

    pub fn list(saved: Saved, rows: RwSignal<Vec<Summary>>, query: String) {
        spawn_local(async move {
            match api::list(&query).await {
                Ok(list) => rows.set(list.scenarios),
                Err(f) => failed(saved, "Cannot list the saved scenarios", &f),
            }
        });
    }

    pub fn open(planner: Planner, saved: Saved, id: String) {
        if !may_discard(planner, saved) {
            return;
        }
        spawn_local(async move {
            match api::get(&id).await {
                Ok(envelope) => {
                    adopt(planner, saved, &envelope);
                    saved.panel.set(Panel::Closed);
                    saved.notice.set(None);
                }
                Err(f) => failed(saved, "Not opened", &f),
            }
        });
    }

    /// After a lost race: the newest saved version replaces the edits (the user chose so).
    pub fn reload_open(planner: Planner, saved: Saved) {
        if let Some(o) = saved.open.get_untracked() {
            saved.notice.set(None);
            spawn_local(async move {
                match api::get(&o.id).await {
                    Ok(envelope) => adopt(planner, saved, &envelope),
                    Err(f) => failed(saved, "Not opened", &f),
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
            match api::duplicate(&id).await {
                Ok(envelope) => {
                    adopt(planner, saved, &envelope);
                    saved.panel.set(Panel::Closed);
                    saved
                        .notice
                        .set(Some(Notice::Done("Duplicated: this is the copy.".into())));
                }
                Err(f) => failed(saved, "Not duplicated", &f),
            }
        });
    }

    pub fn delete(saved: Saved, rows: RwSignal<Vec<Summary>>, id: String, name: String) {
        spawn_local(async move {
            match api::delete(&id).await {
                Ok(_) => {
                    rows.update(|rs| rs.retain(|row| row.id != id));
                    if saved
                        .open
                        .with_untracked(|o| o.as_ref().is_some_and(|o| o.id == id))
                    {
                        saved.open.set(None);
                    }
                    saved.notice.set(Some(Notice::Deleted { id, name }));
                }
                Err(f) => failed(saved, "Not deleted", &f),
            }
        });
    }

    pub fn undelete(saved: Saved, id: String) {
        spawn_local(async move {
            match api::undelete(&id).await {
                Ok(_) => saved.notice.set(Some(Notice::Done(
                    "Restored: it is back in the list.".into(),
                ))),
                Err(f) => failed(saved, "Not restored", &f),
            }
        });
    }

    pub fn versions(saved: Saved, rows: RwSignal<Vec<VersionInfo>>) {
        let Some(id) = saved.open.with(|o| o.as_ref().map(|o| o.id.clone())) else {
            return;
        };
        spawn_local(async move {
            match api::history(&id).await {
                Ok(history) => rows.set(history.versions),
                Err(f) => failed(saved, "No history", &f),
            }
        });
    }

    /// Saves version `version` again as the newest; the answer is the new version's
    /// envelope, which the planner then shows.
    pub fn restore(planner: Planner, saved: Saved, version: u64) {
        new_version_of_open(planner, saved, Change::Restore(version));
    }

    pub fn reprice(planner: Planner, saved: Saved) {
        new_version_of_open(planner, saved, Change::Reprice);
    }

    /// A POST on the open scenario that saves a new version of it.
    #[derive(Clone, Copy)]
    enum Change {
        Restore(u64),
        Reprice,
    }

    /// Asks before dropping unsaved edits, sends the open version as `If-Match`, shows the
    /// answer's envelope, and reports a lost race as one.
    fn new_version_of_open(planner: Planner, saved: Saved, change: Change) {
        if !may_discard(planner, saved) {
            return;
        }
        let Some(open) = saved.open.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let answer = match change {
                Change::Restore(v) => api::restore(&open.id, v, open.version).await,
                Change::Reprice => api::reprice(&open.id, open.version).await,
            };
            match answer {
                Ok(envelope) => {
                    adopt(planner, saved, &envelope);
                    saved.panel.set(Panel::Closed);
                    let done = match change {
                        Change::Restore(v) => {
                            format!("Restored version {v} as version {}.", envelope.version)
                        }
                        Change::Reprice => format!(
                            "Re-priced with price book {} as version {}.",
                            envelope.price_book, envelope.version
                        ),
                    };
                    saved.notice.set(Some(Notice::Done(done)));
                }
                Err(f) => match f.lost_race() {
                    Some(theirs) => saved.notice.set(Some(Notice::Conflict { theirs })),
                    None => failed(saved, "Not saved", &f),
                },
            }
        });
    }

    pub fn shares(saved: Saved, rows: RwSignal<Vec<ShareInfo>>) {
        let Some(id) = saved.open.with(|o| o.as_ref().map(|o| o.id.clone())) else {
            return;
        };
        spawn_local(async move {
            match api::shares(&id).await {
                Ok(list) => rows.set(list.shares),
                Err(f) => failed(saved, "Cannot list the share links", &f),
            }
        });
    }

    pub fn make_share(saved: Saved, rows: RwSignal<Vec<ShareInfo>>, days: String) {
        let Some(id) = saved
            .open
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
        else {
            return;
        };
        let days = days.trim().to_string();
        let expires = if days.is_empty() {
            None
        } else {
            match days.parse::<u32>() {
                Ok(d) => Some(d),
                Err(_) => {
                    saved.notice.set(Some(Notice::Failed(format!(
                        "Expires in days must be a whole number from 1 to 3650, got {days}"
                    ))));
                    return;
                }
            }
        };
        spawn_local(async move {
            match api::make_share(&id, expires).await {
                Ok(made) => {
                    saved.notice.set(Some(Notice::Done(format!(
                        "Share link made (version {}): {}",
                        made.version, made.url
                    ))));
                    shares(saved, rows);
                }
                Err(f) => failed(saved, "No share link made", &f),
            }
        });
    }

    pub fn revoke_share(saved: Saved, rows: RwSignal<Vec<ShareInfo>>, token: String) {
        let Some(id) = saved
            .open
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
        else {
            return;
        };
        spawn_local(async move {
            match api::revoke_share(&id, &token).await {
                Ok(()) => {
                    saved.notice.set(Some(Notice::Done(
                        "Share link revoked: it no longer opens.".into(),
                    )));
                    shares(saved, rows);
                }
                Err(f) => failed(saved, "Not revoked", &f),
            }
        });
    }

    /// Shows a share link's scenario in the planner; nothing is open for saving.
    pub fn open_share(planner: Planner, token: String, state: RwSignal<SharedState>) {
        spawn_local(async move {
            match api::shared(&token).await {
                Ok(shared) => {
                    // The excerpt of a stored book the link carries prices this view only:
                    // on the shelf, not in the offline copy.
                    if let Some(book) = shared.book.as_ref().and_then(crate::shelf::read_book) {
                        planner.books.update(|s| {
                            if s.book(book.parsed.id()).is_none() {
                                s.books.push(book);
                            }
                        });
                    }
                    let catalog = shared.catalog.as_ref();
                    if let Some(c) = catalog.and_then(crate::shelf::read_catalog) {
                        planner.books.update(|s| {
                            if s.catalog(&c.parsed.id).is_none() {
                                s.catalogs.push(c);
                            }
                        });
                    }
                    let preset = crate::state::preset_or_default(None);
                    let changes =
                        crate::doc::diff(&crate::state::preset_doc(preset), &shared.scenario);
                    planner.load(preset, &changes);
                    state.set(SharedState::Open {
                        name: shared.name,
                        version: shared.version,
                        saved_at: shared.saved_at,
                    });
                }
                Err(f) => state.set(SharedState::Failed(format!(
                    "This share link does not open: {}",
                    f.sentence()
                ))),
            }
        });
    }

    /// Copies the shared scenario into the viewer's team and opens the copy for editing.
    pub fn copy_share(
        planner: Planner,
        saved: Saved,
        share: RwSignal<Option<String>>,
        token: String,
        team: Option<String>,
    ) {
        spawn_local(async move {
            match api::copy_share(&token, team.as_deref()).await {
                Ok(envelope) => {
                    adopt(planner, saved, &envelope);
                    share.set(None);
                    saved.notice.set(Some(Notice::Done(format!(
                        "Copied into team {}: this copy is yours to edit and save.",
                        envelope.team
                    ))));
                }
                Err(f) => failed(saved, "Not copied", &f),
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
            match api::reprice_preview(&id).await {
                Ok(preview) => out.set(reprice_html(&preview)),
                Err(f) => failed(saved, "Cannot check the price book", &f),
            }
        });
    }

    /// Downloads the current scenario's CSV (computed here, as the page's figures are) or
    /// PDF (made by the server from the scenario sent, nothing stored).
    pub fn export(planner: Planner, saved: Saved, format: &'static str) {
        let Some(body) = current_filled(planner) else {
            return;
        };
        // No version: what is on screen may be edited since it was saved.
        let file = lakeplan_models::export::file_name(name_of(&body), None, format);
        if format == "csv" {
            let csv = planner.outcome.with_untracked(|o| {
                o.as_ref()
                    .ok()
                    .and_then(|c| c.0.figures.as_ref())
                    .map(|f| lakeplan_models::report::to_csv(&f.report))
            });
            if let Some(csv) = csv {
                crate::browser::download_text(&file, "text/csv", &csv);
            }
            return;
        }
        spawn_local(async move {
            match api::export_pdf(&body).await {
                Ok(blob) => crate::browser::download_blob(&blob, &file),
                Err(f) => failed(saved, "Not exported", &f),
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod actions {
    use super::*;

    pub fn save(_: Planner, _: Saved) {}
    pub fn save_as(_: Planner, _: Saved, _: String, _: Option<String>) {}
    pub fn shares(_: Saved, _: RwSignal<Vec<ShareInfo>>) {}
    pub fn open_share(_: Planner, _: String, _: RwSignal<SharedState>) {}
    pub fn copy_share(
        _: Planner,
        _: Saved,
        _: RwSignal<Option<String>>,
        _: String,
        _: Option<String>,
    ) {
    }
    pub fn list(_: Saved, _: RwSignal<Vec<Summary>>, _: String) {}
    pub fn reload_open(_: Planner, _: Saved) {}
    pub fn undelete(_: Saved, _: String) {}
    pub fn versions(_: Saved, _: RwSignal<Vec<VersionInfo>>) {}
    pub fn reprice_preview(_: Saved, _: RwSignal<String>) {}
    pub fn export(_: Planner, _: Saved, _: &'static str) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use lakeplan_api::scenarios::{Origin, ScenarioEnvelope};
    use lakeplan_models::compare::{Figure, FigureRow};

    fn summary(id: &str, name: &str, version: u64, updated_at: &str) -> Summary {
        Summary {
            id: id.into(),
            team: "default".into(),
            name: name.into(),
            customer: "C".into(),
            version,
            price_book: "2026-11".into(),
            created_at: updated_at.into(),
            updated_at: updated_at.into(),
            deleted_at: None,
            purge_after: None,
        }
    }

    fn version(v: u64) -> VersionInfo {
        VersionInfo {
            version: v,
            saved_at: "2026-11-24T23:10:05.000Z".into(),
            name: "A".into(),
            customer: "C".into(),
            price_book: "2026-11".into(),
            origin: Origin::Save,
            saved_by: "ana@example.com".into(),
        }
    }

    #[test]
    fn lists_offer_their_actions_by_id() {
        let rows = vec![summary("k1", "A & B", 2, "2026-11-24T23:10:05Z")];
        let html = list_html(&rows, &["k1".to_string()]);
        assert!(
            html.contains(r#"data-action="open" data-id="k1""#),
            "{html}"
        );
        assert!(html.contains("A &amp; B"), "{html}");
        assert!(html.contains("2026-11-24 23:10"), "{html}");
        assert!(html.contains(" checked>"), "{html}");
        let versions = vec![version(1), version(2)];
        let html = versions_html(&versions, 2);
        assert!(
            html.contains(r#"data-action="restore" data-id="1""#),
            "{html}"
        );
        assert!(!html.contains(r#"data-id="2""#), "{html}");
    }

    #[test]
    fn repricing_says_nothing_changes_or_shows_what_does() {
        let same = RepricePreview {
            id: "a".into(),
            version: 1,
            from: "2026-11".into(),
            to: "2026-11".into(),
            up_to_date: true,
            figures: Vec::new(),
            rows: Vec::new(),
        };
        assert!(reprice_html(&same).contains("nothing to re-price"));
        let moved = RepricePreview {
            to: "2027-05".into(),
            up_to_date: false,
            figures: vec![FigureRow {
                key: "total_cost_usd".into(),
                label: "Total cost".into(),
                unit: "USD".into(),
                values: vec![Some(Figure::Number(1.85e9)), Some(Figure::Number(1.80e9))],
                deltas: vec![Some(0.0), Some(-5.0e7)],
            }],
            ..same
        };
        let html = reprice_html(&moved);
        assert!(
            html.contains("$1.85 B") && html.contains("$1.80 B"),
            "{html}"
        );
        assert!(html.contains("−$50.0 M"), "{html}");
        assert!(html.contains(r#"data-action="reprice""#), "{html}");
    }

    #[test]
    fn an_envelope_holds_the_scenario_file_as_a_tree() {
        let envelope: ScenarioEnvelope<Value> = serde_json::from_str(
            r#"{"id": "a", "team": "default", "version": 3, "name": "N", "customer": "", "price_book": "2026-11",
                "created_at": "", "updated_at": "", "scenario": {"name": "N", "horizon_months": 12}}"#,
        )
        .expect("an envelope");
        let scenario = &envelope.scenario;
        assert_eq!(name_of(scenario), "N");
        assert_eq!(scenario["horizon_months"], 12);
    }
}
