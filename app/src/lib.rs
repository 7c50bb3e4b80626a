#![recursion_limit = "256"]
//! Lakeplan's user interface: Leptos components rendered on the server for the first load
//! and hydrated in the browser, where every figure is recomputed by `lakeplan-models` on
//! each keystroke without a request to the server.
//!
//! Contract kept by every page: form controls carry `name` = the scenario field's JSON
//! path (`lake.initial_pb`) and every figure carries `data-metric` = the report field
//! (`sustained_gbps`), with the unrounded value in `data-value`. Tests and users' scripts
//! rely on both.

pub mod account;
#[cfg(feature = "hydrate")]
mod api;
pub mod books;
#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "ssr")]
mod bundle;
pub mod cloud;
pub mod compare;
mod disclosure;
pub mod doc;
pub mod fields;
pub mod html;
mod lazy;
pub mod location;
pub mod model;
pub mod pages;
pub mod planner;
pub mod results;
pub mod saved;
#[cfg(feature = "hydrate")]
mod session;
pub mod shelf;
pub mod show;
pub mod state;
pub mod whatif;
#[cfg(feature = "hydrate")]
mod worker;

/// Where the server serves the Monte Carlo's worker script (`public/mc-worker.js`), which it
/// answers with the policy a worker needs (`lakeplan::headers`).
pub const MONTE_CARLO_WORKER: &str = "/mc-worker.js";

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;

/// The HTML document around the app. Only the server renders it: the browser hydrates
/// `<body>`.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // Every page's, so written here, where only the server renders: as
                // `leptos_meta` components in the app they were set again by hydration (the
                // title's setter cost 4 ms of the hydrating task).
                <title>"Lakeplan: replication and capacity planner"</title>
                <meta
                    name="description"
                    content="Plan the replication bandwidth, links, storage and cost of a hybrid data lake."
                />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="lakeplan"/>
                <bundle::HydrateWhenIdle options/>
                <MetaTags/>
                {use_context::<account::SignInOptions>()
                    .is_some_and(|o| o.oidc)
                    .then(|| view! { <meta name="lakeplan-sign-in" content="oidc"/> })}
                {use_context::<account::SignedInAs>()
                    .and_then(|s| s.0)
                    .and_then(|me| serde_json::to_string(&me).ok())
                    .map(|me| view! { <meta name="lakeplan-viewer" content=me/> })}
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The page of the path (`pages::PAGES`, which the server routes too). No client-side
    // router: it would cost more of the bundle than the pages it serves (ARCHITECTURE.md).
    let viewer = account::Viewer::new();
    provide_context(viewer);
    let at = pages::at(&location::path());
    // Effects run only in the browser, after hydration: the attribute tells tests (and
    // users' scripts) that the page responds. The planner's figures follow the inputs once
    // its model is in too (`body[data-live]`, `crate::model`).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    // The planner is in the first module; every other page is a module of its own
    // (`crate::lazy`), which `hydrate` loads before it hydrates that page.
    let page = match at {
        Some(pages::Page::Planner) => Either::Left(view! { <planner::PlannerPage/> }),
        Some(pages::Page::Compare) => Either::Right(lazy::shown(compare_page())),
        Some(pages::Page::Account) => Either::Right(lazy::shown(account_page())),
        Some(pages::Page::Admin) => Either::Right(lazy::shown(admin_page())),
        Some(pages::Page::Books) => Either::Right(lazy::shown(books_page())),
        None => Either::Right(Some(view! { <NotFound/> }.into_any())),
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Lakeplan"</a>
            <span class="tagline">"capacity and network feasibility for hybrid data lakes"</span>
            <account::AccountMenu/>
        </header>
        <main>{page}</main>
    }
}

/// Tells tests (and users' scripts) that the planner is live: its model is in and its
/// figures follow the inputs (`crate::model`).
pub fn mark_live() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-live", "");
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section class="card not-found">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the planner"</a></p>
        </section>
    }
}

#[leptos::wasm_split::wasm_split(compare_page, wasm_split_path = ::leptos::wasm_split, preload(preload_compare_page), fallible)]
fn compare_page() -> Result<AnyView, lazy::NotLoaded> {
    Ok(view! { <compare::ComparePage/> }.into_any())
}

#[leptos::wasm_split::wasm_split(account_page, wasm_split_path = ::leptos::wasm_split, preload(preload_account_page), fallible)]
fn account_page() -> Result<AnyView, lazy::NotLoaded> {
    Ok(view! { <account::AccountPage/> }.into_any())
}

#[leptos::wasm_split::wasm_split(admin_page, wasm_split_path = ::leptos::wasm_split, preload(preload_admin_page), fallible)]
fn admin_page() -> Result<AnyView, lazy::NotLoaded> {
    Ok(view! { <account::AdminPage/> }.into_any())
}

#[leptos::wasm_split::wasm_split(books_page, wasm_split_path = ::leptos::wasm_split, preload(preload_books_page), fallible)]
fn books_page() -> Result<AnyView, lazy::NotLoaded> {
    Ok(view! { <books::BooksPage/> }.into_any())
}

/// The browser's entry point, called by the page's script (`bundle::HydrateWhenIdle`): loads
/// the module of the page's own code when it has one, then hydrates.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let loaded = match pages::at(&location::path()) {
            Some(pages::Page::Compare) => preload_compare_page().await,
            Some(pages::Page::Account) => preload_account_page().await,
            Some(pages::Page::Admin) => preload_admin_page().await,
            Some(pages::Page::Books) => preload_books_page().await,
            Some(pages::Page::Planner) | None => Ok(()),
        };
        // The page stays as the server rendered it, readable, with a word on why it does
        // not respond.
        if loaded.is_err() {
            lazy::not_loaded_notice();
            return;
        }
        HYDRATING.set(true);
        leptos::mount::hydrate_body(App);
        HYDRATING.set(false);
    });
}

#[cfg(feature = "hydrate")]
thread_local! {
    static HYDRATING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the page is being hydrated now: what the server rendered is on the page and is
/// being adopted, not drawn. Always false on the server.
pub fn hydrating() -> bool {
    #[cfg(feature = "hydrate")]
    return HYDRATING.get();
    #[cfg(not(feature = "hydrate"))]
    false
}
