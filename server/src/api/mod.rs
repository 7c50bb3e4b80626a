//! The JSON API under `/api`: saved scenarios with their history, comparison,
//! re-pricing, exports, a stateless compute and the sweep.
//!
//! The contract's types live in `lakeplan-api`, shared with the browser. Each handler
//! carries its OpenAPI description (`#[utoipa::path]`), and [`table`] is the only place a
//! route is added: utoipa-axum's router registers a handler and its description together,
//! so the document served at `/api/openapi.json` ([`document`]) cannot miss a route the
//! server answers. A test walks every documented path with every method.
//!
//! One module per concern: `scenarios` (the collection and one scenario), `versions`
//! (history and restore), `exports` (CSV, PDF), `compute`, `compare`, `reprice`, `books`
//! (price books: the list, upload, diff, impact, publish and retire), `sweep`; `session` (sign in and out, who am I),
//! `tokens` (API tokens), `shares` (read-only share links), `admin` (users, teams, the
//! audit log). Who may call what is decided with `crate::auth`. `error` holds the one error type and
//! the JSON every error is sent as; `extract` reads bodies, headers, paths and queries;
//! `wire` turns store records into the contract's types; `openapi` the document's frame.

mod admin;
mod books;
mod catalogs;
mod compare;
mod compute;
pub mod error;
pub mod exports;
mod extract;
mod openapi;
mod reprice;
mod scenarios;
mod session;
mod shares;
mod sweep;
mod tokens;
mod versions;
mod wire;

pub(crate) use admin::member_change;
pub(crate) use session::{me, start_session};

use std::sync::{Arc, OnceLock};

use axum::http::{Method, Uri};
use axum::routing::any;
use axum::Router;
use lakeplan_store::{Store, StoreError};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::AppError;

/// The store as the handlers use it.
///
/// Store calls block (SQLite waits for the disk, a save for the writer lock), so each runs
/// on tokio's blocking pool through `spawn_blocking` and the async workers stay free to
/// accept and answer other requests.
#[derive(Clone)]
pub struct Storage(Arc<dyn Store>);

impl Storage {
    pub fn new(store: Arc<dyn Store>) -> Storage {
        Storage(store)
    }

    /// Runs `f` against the store off the async workers.
    pub async fn call<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.0.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| AppError::Internal(format!("a store call did not finish: {e}")))?
            .map_err(AppError::from)
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct ApiState {
    pub storage: Storage,
    pub auth: Arc<crate::auth::Auth>,
    /// Sign-in through an OpenID Connect provider, when configured.
    pub oidc: crate::auth::provider::Shared,
    /// The stored price books, parsed once.
    pub books: Arc<crate::books::Books>,
}

impl ApiState {
    /// The price books `caller` may price with, as of now (`crate::books`).
    pub async fn shelf(
        &self,
        caller: &crate::auth::Caller,
    ) -> Result<crate::books::Visible, AppError> {
        self.books
            .for_caller(&self.storage, caller, self.auth.now())
            .await
    }
}

/// Every API route with its description. Handlers that share a path go in one
/// `routes!`.
fn table() -> OpenApiRouter<ApiState> {
    OpenApiRouter::with_openapi(openapi::frame())
        .routes(routes!(openapi::document))
        .routes(routes!(books::list, books::upload))
        .routes(routes!(books::diff))
        .routes(routes!(books::get))
        .routes(routes!(books::export_csv))
        .routes(routes!(books::publish))
        .routes(routes!(books::retire))
        .routes(routes!(books::impact))
        .routes(routes!(catalogs::list, catalogs::upload))
        .routes(routes!(catalogs::diff))
        .routes(routes!(catalogs::get))
        .routes(routes!(catalogs::export_csv))
        .routes(routes!(catalogs::publish))
        .routes(routes!(catalogs::retire))
        .routes(routes!(compute::compute))
        .routes(routes!(compare::compare))
        .routes(routes!(sweep::sweep))
        .routes(routes!(scenarios::list, scenarios::create))
        .routes(routes!(scenarios::get, scenarios::put, scenarios::delete))
        .routes(routes!(scenarios::undelete))
        .routes(routes!(scenarios::duplicate))
        .routes(routes!(versions::list))
        .routes(routes!(versions::get))
        .routes(routes!(versions::restore))
        .routes(routes!(reprice::preview, reprice::apply))
        .routes(routes!(exports::csv))
        .routes(routes!(exports::pdf_route))
        .routes(routes!(exports::csv_unsaved))
        .routes(routes!(exports::pdf_unsaved))
        .routes(routes!(session::sign_in, session::who, session::sign_out))
        .routes(routes!(tokens::create, tokens::list))
        .routes(routes!(tokens::revoke))
        .routes(routes!(shares::create, shares::list))
        .routes(routes!(shares::revoke))
        .routes(routes!(shares::open))
        .routes(routes!(shares::copy))
        .routes(routes!(admin::users, admin::put_member))
        .routes(routes!(admin::remove_user))
        .routes(routes!(admin::remove_member))
        .routes(routes!(admin::teams, admin::create_team))
        .routes(routes!(admin::audit_log))
        .routes(routes!(crate::auth::link::open))
        .routes(routes!(crate::auth::provider::login))
        .routes(routes!(crate::auth::provider::callback))
}

/// The OpenAPI document of every route in [`table`], with the answers every route can
/// give added (see `openapi::finish`). Built once.
pub fn document() -> &'static OpenApi {
    static DOC: OnceLock<OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, doc) = table().split_for_parts();
        openapi::finish(doc)
    })
}

/// Every documented (method, path), as the document lists them: the routes the router
/// serves, since both come from [`table`].
pub fn routes() -> Vec<(Method, String)> {
    let mut out = Vec::new();
    for (path, item) in &document().paths.paths {
        let ops = [
            (Method::GET, item.get.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
            (Method::HEAD, item.head.is_some()),
            (Method::OPTIONS, item.options.is_some()),
        ];
        for (method, present) in ops {
            if present {
                out.push((method, path.clone()));
            }
        }
    }
    out
}

/// The API's routes, with a JSON 404 for any other path under `/api`.
pub fn router(state: ApiState) -> Router {
    let (router, _) = table().split_for_parts();
    router
        .route("/api", any(no_route))
        .route("/api/{*rest}", any(no_route))
        .with_state(state)
}

async fn no_route(method: Method, uri: Uri) -> AppError {
    AppError::NoRoute {
        message: format!(
            "no API route {method} {}; GET /api/openapi.json lists them",
            uri.path()
        ),
    }
}
