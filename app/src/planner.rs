//! The planner page: inputs on the left, the model's answers on the right, all recomputed
//! in the browser on every input event.

use std::sync::Arc;

use lakeplan_models::presets;
use leptos::either::Either;
use leptos::prelude::*;
use serde_json::Value;

use crate::disclosure::Disclosure;
use crate::doc;
use crate::fields::{self, FieldDef, Group, Kind};
use crate::results::Results;
use crate::state::{preset_doc, preset_or_default, Planner};

#[component]
pub fn PlannerPage() -> impl IntoView {
    // The link is the scenario: the server renders a shared link's figures on first load.
    let pairs = doc::parse_query(&crate::location::query());
    let named = pairs.iter().rev().find(|(k, _)| k == "preset");
    // `?share=TOKEN`: a share link's scenario, read-only, loaded once hydrated.
    let share = RwSignal::new(
        pairs
            .iter()
            .find(|(k, _)| k == "share")
            .map(|(_, v)| v.clone()),
    );
    // A link names a preset, a share or a saved scenario (`?saved=ID`, as the PDF links
    // back): it wins over what this browser last had open.
    let linked = named.is_some()
        || share.with_untracked(Option::is_some)
        || pairs.iter().any(|(k, _)| k == "saved");
    let preset = preset_or_default(named.map(|(_, v)| v.as_str()));
    let changes = doc::from_query(
        &preset_doc(preset),
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let planner = Planner::new(preset, &changes);
    provide_context(planner);
    // Provided here, above both the theme switch and the charts that follow it.
    provide_context(crate::state::DarkTheme(RwSignal::new(false)));
    let presenting = RwSignal::new(false);
    let saved = crate::saved::Saved::new();
    provide_context(saved);

    #[cfg(feature = "hydrate")]
    crate::session::keep_in_url_and_storage(planner, saved, linked, share);
    // The model's module, fetched when the page needs it (`crate::model`); the page is
    // live once the results are (`results::Results`).
    #[cfg(feature = "hydrate")]
    crate::model::load_when_needed(planner);
    // What the server rendered, for the browser to hydrate with until the model is in.
    // The browser writes nothing here: hydrating keeps the server's attribute.
    #[cfg(not(feature = "hydrate"))]
    let served = crate::model::served_json(&planner.outcome.get_untracked());
    #[cfg(feature = "hydrate")]
    let served = String::new();
    // After hydration (an effect), so the first render matches the server's.
    #[cfg(feature = "hydrate")]
    {
        let viewer = expect_context::<crate::account::Viewer>();
        Effect::new(move |started: Option<()>| {
            if started.is_none() {
                crate::shelf::sync::start(planner, viewer);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = linked;

    view! {
        <div class="planner" class:presenting=presenting>
            {move || if share.with(Option::is_some) {
                Either::Left(view! { <crate::saved::SharedBar share=share/> })
            } else {
                Either::Right(view! { <crate::saved::ScenarioBar/> })
            }}
            <h1 class="visually-hidden">"Replication and capacity plan"</h1>
            <Toolbar presenting=presenting/>
            <div class="planner-grid">
                <form class="inputs" aria-label="Scenario inputs" on:submit=|ev| ev.prevent_default()>
                    {fields::GROUPS.iter().map(|g| view! { <FieldGroup group=*g/> }).collect_view()}
                    <crate::cloud::CloudInputs/>
                    <BookChoices/>
                </form>
                <Results/>
            </div>
            <div id=crate::model::SERVED_ID hidden data-outcome=served></div>
            <crate::whatif::WhatIf/>
        </div>
    }
}

/// The price-book and catalog fields' choices: the built-in ones and the stored ones the
/// server lists for this user that new scenarios may pick (not retired), each with its
/// date and status.
#[component]
fn BookChoices() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let options = move || {
        let mut html = String::new();
        for id in lakeplan_models::price_book::PriceBook::ids() {
            html.push_str(&format!(
                r#"<option value="{id}">the built-in book {id}</option>"#
            ));
        }
        planner.books.with(|s| {
            for b in s
                .listed
                .iter()
                .filter(|b| !b.built_in && b.status != "retired")
            {
                html.push_str(&format!(
                    r#"<option value="{}">{}</option>"#,
                    crate::html::escape(&b.id),
                    crate::html::escape(&s.describe(&b.id))
                ));
            }
        });
        html
    };
    let catalogs = move || {
        let mut html = String::new();
        if let Ok(c) = lakeplan_models::price_book::Catalog::builtin() {
            html.push_str(&format!(
                r#"<option value="{0}">the built-in catalog {0}</option>"#,
                c.id
            ));
        }
        planner.books.with(|s| {
            for b in s
                .catalogs_listed
                .iter()
                .filter(|b| !b.built_in && b.status != "retired")
            {
                html.push_str(&format!(
                    r#"<option value="{}">{} (from {}, {})</option>"#,
                    crate::html::escape(&b.id),
                    crate::html::escape(&b.name),
                    crate::html::escape(&b.effective_from),
                    crate::html::escape(&b.status)
                ));
            }
        });
        html
    };
    view! {
        <datalist id="price-books" inner_html=options></datalist>
        <datalist id="catalogs" inner_html=catalogs></datalist>
    }
}

#[component]
fn Toolbar(presenting: RwSignal<bool>) -> impl IntoView {
    let planner = expect_context::<Planner>();
    let copied = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let address = use_context::<crate::session::PendingAddress>();
    let copy_link = move |_| {
        #[cfg(feature = "hydrate")]
        {
            // The address bar may not hold the last edit yet.
            if let Some(address) = address {
                address.flush();
            }
            crate::browser::copy_current_link();
        }
        copied.set(true);
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Scenario and display">
            <label class="preset-picker">
                <span>"Preset"</span>
                <select
                    name="preset"
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        planner.load_preset(preset_or_default(Some(&id)));
                    }
                    prop:value=move || planner.preset.get().id
                >
                    {presets::all()
                        .iter()
                        .map(|p| {
                            let id = p.id;
                            view! {
                                <option value=id selected=move || planner.preset.get().id == id title=p.description>
                                    {p.title}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="toggles">
                <label class="toggle">
                    <input
                        type="checkbox"
                        name="display.iec"
                        prop:checked=move || planner.units.get().iec
                        on:change=move |ev| planner.units.update(|u| u.iec = event_target_checked(&ev))
                    />
                    " PiB (IEC)"
                </label>
                <label class="toggle">
                    <input
                        type="checkbox"
                        name="display.tbps"
                        prop:checked=move || planner.units.get().tbps
                        on:change=move |ev| planner.units.update(|u| u.tbps = event_target_checked(&ev))
                    />
                    " Tbps"
                </label>
                <button type="button" class="button" aria-pressed=move || presenting.get().to_string()
                    on:click=move |_| presenting.update(|p| *p = !*p)>
                    {move || if presenting.get() { "Leave presentation" } else { "Present" }}
                </button>
                <ThemeSwitch/>
                <button type="button" class="button" on:click=copy_link>
                    {move || if copied.get() { "Link copied" } else { "Copy link" }}
                </button>
            </div>
        </div>
    }
}

/// Light, dark or the system's choice; remembered in the browser.
#[component]
fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(String::from("auto"));
    #[cfg(feature = "hydrate")]
    crate::browser::theme(theme, expect_context::<crate::state::DarkTheme>().0);
    view! {
        <label class="theme-picker">
            <span class="visually-hidden">"Theme"</span>
            <select name="display.theme" prop:value=move || theme.get()
                on:change=move |ev| theme.set(event_target_value(&ev))>
                <option value="auto">"Theme: system"</option>
                <option value="light">"Theme: light"</option>
                <option value="dark">"Theme: dark"</option>
            </select>
        </label>
    }
}

#[component]
fn FieldGroup(group: Group) -> impl IntoView {
    let basic: Vec<FieldDef> = group
        .fields
        .iter()
        .copied()
        .filter(|f| !f.advanced)
        .collect();
    let advanced: Vec<FieldDef> = group
        .fields
        .iter()
        .copied()
        .filter(|f| f.advanced)
        .collect();
    let has_advanced = !advanced.is_empty();
    // "More settings" is drawn when opened (`crate::disclosure`).
    let open = RwSignal::new(false);
    let heading_id = format!("group-{}", group.id);
    let labelled_by = heading_id.clone();
    view! {
        <section class="card group" aria-labelledby=labelled_by>
            <h2 id=heading_id>{group.title}</h2>
            {basic.into_iter().map(|def| view! { <FieldInput def=def/> }).collect_view()}
            {(group.id == "lake").then(|| view! { <PointsEditor/> <CurvePreview/> })}
            {(group.id == "cluster").then(|| view! { <CatalogPicker/> })}
            {(group.id == "source").then(|| view! { <SitesEditor/> })}
            {(group.id == "change").then(|| view! { <ClaimsEditor/> })}
            {has_advanced
                .then(|| {
                    view! {
                        <Disclosure class="advanced" open=open summary="More settings".into_any()>
                            {advanced.iter().map(|&def| view! { <FieldInput def=def/> }).collect_view()}
                        </Disclosure>
                    }
                })}
        </section>
    }
}

fn field_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '[', ']'], "-"))
}

/// One input bound to a scenario field by its path, with its unit and its error beside it.
/// `path` overrides `def.path()` for list items (`sites[2].name`), known only at run time.
#[component]
pub fn FieldInput(def: FieldDef, #[prop(optional, into)] path: Option<Arc<str>>) -> impl IntoView {
    let planner = expect_context::<Planner>();
    let path: Arc<str> = path.unwrap_or_else(|| def.path().into());
    let id = field_id(&path);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let error = Memo::new({
        let path = path.clone();
        move |_| planner.error_of(&path)
    });
    let text = Memo::new({
        let path = path.clone();
        move |_| planner.text_of(&path)
    });
    let is_change = &*path == "change.value";
    let unit = move || {
        if is_change {
            fields::change_unit(&planner.text_of("change.basis")).to_string()
        } else {
            def.unit().to_string()
        }
    };
    let kind = def.kind;
    let on_edit = {
        let path = path.clone();
        move |text: String| planner.edit(&path, kind, text)
    };
    let control = match kind {
        Kind::Choice(options) => Either::Left(view! {
            <select
                id=id.clone()
                name=path.to_string()
                aria-describedby=format!("{help_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || text.get()
                on:change=move |ev| on_edit(event_target_value(&ev))
            >
                {options
                    .iter()
                    .map(|(value, label)| {
                        let value = *value;
                        view! { <option value=value selected=move || text.with(|t| t == value)>{*label}</option> }
                    })
                    .collect_view()}
            </select>
        }),
        _ => Either::Right(view! {
            <input
                id=id.clone()
                name=path.to_string()
                type="text"
                inputmode=if kind == Kind::Number { "decimal" } else { "text" }
                autocomplete="off"
                spellcheck="false"
                aria-describedby=format!("{help_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                value=text.get_untracked()
                prop:value=move || text.get()
                list=match &*path { "pricing.price_book" => Some("price-books"), "pricing.catalog" => Some("catalogs"), _ => None }
                on:input=move |ev| on_edit(event_target_value(&ev))
            />
        }),
    };
    let error_path = path.clone();
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{def.label()}</label>
            <div class="input-with-unit">
                {control}
                // Server rendering writes an empty text as a space, so `:empty` never matches.
                <span class="unit" class:none=move || unit().is_empty()>{unit}</span>
            </div>
            {(!def.help().is_empty()).then(|| view! { <p class="help" id=help_id.clone()>{def.help()}</p> })}
            <p class="error" id=error_id role="alert" data-error-for=path.to_string()>
                {move || error.get().map(|m| format!("{error_path} {m}"))}
            </p>
        </div>
    }
}

/// Length of the array at `path` in the edited document.
fn list_len(planner: Planner, path: &str) -> usize {
    planner.doc.with(|d| {
        doc::get(d, path)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    })
}

/// An input for one item of a list: `def` is the list's input (`fields::SITE_NAME`),
/// `path` the item's (`sites[2].name`).
fn item_field(path: String, def: FieldDef) -> impl IntoView {
    let path: Arc<str> = path.into();
    view! { <FieldInput def=def path=path/> }
}

#[component]
fn SitesEditor() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let count = Memo::new(move |_| list_len(planner, "sites"));
    let remove = move |i: usize| {
        let mut sites = planner
            .doc
            .with(|d| doc::get(d, "sites").cloned())
            .unwrap_or(Value::Array(vec![]));
        if let Some(a) = sites.as_array_mut() {
            if i < a.len() {
                a.remove(i);
            }
        }
        planner.set("sites", sites);
    };
    let add = move |_| {
        let n = list_len(planner, "sites");
        planner.set(
            &format!("sites[{n}]"),
            serde_json::json!({"name": format!("Region {}", n + 1), "copy_fraction": 1.0}),
        );
    };
    view! {
        <fieldset class="list sites">
            <legend>"Receiving sites (in chain order)"</legend>
            {move || {
                (0..count.get())
                    .map(|i| {
                        view! {
                            <div class="list-row">
                                {item_field(format!("sites[{i}].name"), fields::SITE_NAME)}
                                {item_field(format!("sites[{i}].copy_fraction"), fields::SITE_COPY_FRACTION)}
                                <button type="button" class="button small" aria-label=format!("Remove site {}", i + 1)
                                    on:click=move |_| remove(i)>"Remove"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <p class="error" data-error-for="sites" role="alert">
                {move || planner.error_of("sites").map(|m| format!("sites {m}"))}
            </p>
            <button type="button" class="button" on:click=add>"Add site"</button>
        </fieldset>
    }
}

#[component]
fn PointsEditor() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let is_points = Memo::new(move |_| planner.text_of("lake.curve") == "points");
    let count = Memo::new(move |_| list_len(planner, "lake.points"));
    let add = move |_| {
        let n = list_len(planner, "lake.points");
        let month = planner.text_of("lake.target_month");
        planner.set(
            &format!("lake.points[{n}]"),
            serde_json::json!({"month": month, "pb": 0}),
        );
    };
    view! {
        {move || is_points.get().then(|| view! {
            <fieldset class="list points">
                <legend>"Dated lake sizes"</legend>
                {move || {
                    (0..count.get())
                        .map(|i| {
                            view! {
                                <div class="list-row">
                                    {item_field(format!("lake.points[{i}].month"), fields::POINT_MONTH)}
                                    {item_field(format!("lake.points[{i}].pb"), fields::POINT_PB)}
                                </div>
                            }
                        })
                        .collect_view()
                }}
                <p class="error" data-error-for="lake.points" role="alert">
                    {move || planner.error_of("lake.points").map(|m| format!("lake.points {m}"))}
                </p>
                <button type="button" class="button" on:click=add>"Add point"</button>
            </fieldset>
        })}
    }
}

/// The growth curve's shape beside its inputs: the lake-size chart, small.
#[component]
fn CurvePreview() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let dark = expect_context::<crate::state::DarkTheme>().0;
    let svg = move || {
        let style = lakeplan_charts::ChartStyle {
            width: 480,
            height: 220,
            title: false,
            dark: dark.get(),
            iec: planner.units.get().iec,
            ..lakeplan_charts::ChartStyle::default()
        };
        // Hydrating, or before the model is in, the server's drawing stays: an empty
        // `inner_html` hydrated, or set again to the same empty value, leaves the element
        // as it is; drawing it here would be work in the page's first, longest task.
        let model = planner.model.get();
        planner.shown.with(|c| match (model, c) {
            (Some(m), Some(c)) if !crate::hydrating() => (m.lake_size)(&c.0, &style),
            _ => String::new(),
        })
    };
    view! { <figure class="curve-preview" aria-label="Growth curve preview" inner_html=svg></figure> }.into_any()
}

/// Fills the hardware fields from a model of the scenario's catalog (`pricing.catalog`,
/// the newest in force when it names none; the built-in one until a stored one is
/// fetched); any edit afterwards makes it "custom".
#[component]
fn CatalogPicker() -> impl IntoView {
    use lakeplan_models::price_book::Catalog;
    let planner = expect_context::<Planner>();
    let Ok(builtin) = Catalog::builtin() else {
        return ().into_any();
    };
    let catalog = Memo::new(move |_| {
        let named = planner.text_of("pricing.catalog");
        planner
            .books
            .with(|s| s.catalog(s.catalog_for(&named)).cloned())
            .unwrap_or_else(|| Arc::new(builtin.clone()))
    });
    let enclosure_now = Memo::new(move |_| {
        let raw = planner.text_of("cluster.enclosure_raw_tb");
        catalog.with(|c| {
            c.enclosures
                .iter()
                .find(|e| {
                    raw.parse::<f64>()
                        .is_ok_and(|r| (r - e.raw_tb).abs() < 1e-6)
                })
                .map(|e| e.id.clone())
                .unwrap_or_default()
        })
    });
    let node_now = Memo::new(move |_| {
        let cores = planner.text_of("cluster.node_cores");
        catalog.with(|c| {
            c.nodes
                .iter()
                .find(|n| cores == n.cores.to_string())
                .map(|n| n.id.clone())
                .unwrap_or_default()
        })
    });
    let pick_enclosure = move |id: String| {
        catalog.with_untracked(|c| {
            if let Some(e) = c.enclosures.iter().find(|e| e.id == id) {
                planner.set("cluster.enclosure_raw_tb", serde_json::json!(e.raw_tb));
                planner.set("cluster.enclosure_ru", serde_json::json!(e.ru));
                planner.set("cluster.enclosure_watts", serde_json::json!(e.active_w));
            }
        })
    };
    let pick_node = move |id: String| {
        catalog.with_untracked(|c| {
            if let Some(n) = c.nodes.iter().find(|n| n.id == id) {
                planner.set("cluster.node_cores", serde_json::json!(n.cores));
                planner.set("cluster.node_ru", serde_json::json!(n.ru));
                planner.set("cluster.node_watts", serde_json::json!(n.active_w));
                planner.set(
                    "cluster.node_write_gbytes_per_s",
                    serde_json::json!(n.write_gbytes_per_s),
                );
                planner.set(
                    "cluster.node_read_gbytes_per_s",
                    serde_json::json!(n.read_gbytes_per_s),
                );
            }
        })
    };
    let enclosures = move || {
        catalog.with(|c| {
            c.enclosures.iter().map(|e| {
                let id = e.id.clone();
                let sel = id.clone();
                view! { <option value=id selected=move || enclosure_now.with(|n| *n == sel)>{format!("{} ({} TB raw, {} U)", e.model, e.raw_tb, e.ru)}</option> }
            }).collect_view()
        })
    };
    let nodes = move || {
        catalog.with(|c| {
            c.nodes.iter().map(|n| {
                let id = n.id.clone();
                let sel = id.clone();
                view! { <option value=id selected=move || node_now.with(|x| *x == sel)>{format!("{} ({} cores)", n.model, n.cores)}</option> }
            }).collect_view()
        })
    };
    view! {
        <div class="catalog">
            <label class="field">
                <span class="label">"Enclosure from the catalog"</span>
                <select name="catalog.enclosure" prop:value=move || enclosure_now.get()
                    on:change=move |ev| pick_enclosure(event_target_value(&ev))>
                    <option value="" selected=move || enclosure_now.with(String::is_empty)>"Custom (as entered)"</option>
                    {enclosures}
                </select>
            </label>
            <label class="field">
                <span class="label">"Compute node from the catalog"</span>
                <select name="catalog.node" prop:value=move || node_now.get()
                    on:change=move |ev| pick_node(event_target_value(&ev))>
                    <option value="" selected=move || node_now.with(String::is_empty)>"Custom (as entered)"</option>
                    {nodes}
                </select>
            </label>
        </div>
    }
    .into_any()
}

/// Statements heard in the meeting ("about 5 Tbps", "100 PB a month") to compare with the
/// plan's change in the claims check.
#[component]
fn ClaimsEditor() -> impl IntoView {
    let planner = expect_context::<Planner>();
    let count = Memo::new(move |_| list_len(planner, "claims"));
    let remove = move |i: usize| {
        let mut claims = planner
            .doc
            .with(|d| doc::get(d, "claims").cloned())
            .unwrap_or(Value::Array(vec![]));
        if let Some(a) = claims.as_array_mut() {
            if i < a.len() {
                a.remove(i);
            }
        }
        planner.set("claims", claims);
    };
    let add = move |_| {
        let n = list_len(planner, "claims");
        planner.set(
            &format!("claims[{n}]"),
            serde_json::json!({"label": "Claim", "basis": "pb_per_month", "value": 100}),
        );
    };
    view! {
        <fieldset class="list claims-list">
            <legend>"Claims to check"</legend>
            {move || {
                (0..count.get())
                    .map(|i| {
                        view! {
                            <div class="list-row claim-row">
                                {item_field(format!("claims[{i}].label"), fields::CLAIM_LABEL)}
                                {item_field(format!("claims[{i}].value"), fields::CLAIM_VALUE)}
                                {item_field(format!("claims[{i}].basis"), fields::CLAIM_BASIS)}
                                <button type="button" class="button small" aria-label=format!("Remove claim {}", i + 1)
                                    on:click=move |_| remove(i)>"Remove"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="button" on:click=add>"Add a claim"</button>
        </fieldset>
    }
    .into_any()
}
