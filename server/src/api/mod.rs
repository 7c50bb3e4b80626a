//! The JSON API under `/api`: saved scenarios with their history, comparison,
//! re-pricing, exports and a stateless compute. `openapi.json` (served at
//! `/api/openapi.json`) describes every route; a test keeps it and [`router`] in step.
//!
//! One module per concern: `scenarios` (the collection and one scenario), `versions`
//! (history and restore), `exports` (CSV, PDF), `compute`, `compare`, `reprice`, `books`
//! (the price books this build carries). `error` holds the one error type and the JSON
//! every error is sent as; `extract` reads bodies, headers, paths and queries.

mod books;
mod compare;
mod compute;
pub mod error;
pub mod exports;
mod extract;
mod openapi;
mod reprice;
mod scenarios;
mod versions;

use std::sync::Arc;

use axum::handler::Handler;
use axum::http::{Method, Uri};
use axum::routing::{any, on, MethodFilter};
use axum::Router;
use lakeplan_store::{ScenarioStore, StoreError};

pub use error::AppError;

/// The store as the handlers use it.
///
/// Store calls block (SQLite waits for the disk, a save for the writer lock), so each runs
/// on tokio's blocking pool through `spawn_blocking` and the async workers stay free to
/// accept and answer other requests.
#[derive(Clone)]
pub struct Storage(Arc<dyn ScenarioStore>);

impl Storage {
    pub fn new(store: Arc<dyn ScenarioStore>) -> Storage {
        Storage(store)
    }

    /// Runs `f` against the store off the async workers.
    pub async fn call<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn ScenarioStore) -> Result<T, StoreError> + Send + 'static,
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
}

/// The methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
            Verb::Delete => "DELETE",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
            Verb::Delete => MethodFilter::DELETE,
        }
    }
}

/// Every API route: method and path (OpenAPI's `{name}` templates, which are also axum's).
/// The router is built from this table's entries only (`RouteTable::add`), so the list
/// cannot miss a route the server answers.
pub fn routes() -> Vec<(Verb, &'static str)> {
    table().served
}

struct RouteTable {
    router: Router<ApiState>,
    served: Vec<(Verb, &'static str)>,
}

impl RouteTable {
    fn add<H, T>(mut self, verb: Verb, path: &'static str, handler: H) -> RouteTable
    where
        H: Handler<T, ApiState>,
        T: 'static,
    {
        self.router = self.router.route(path, on(verb.filter(), handler));
        self.served.push((verb, path));
        self
    }
}

fn table() -> RouteTable {
    use Verb::{Delete, Get, Post, Put};
    RouteTable {
        router: Router::new(),
        served: Vec::new(),
    }
    .add(Get, "/api/openapi.json", openapi::document)
    .add(Get, "/api/price-books", books::list)
    .add(Post, "/api/compute", compute::compute)
    .add(Get, "/api/compare", compare::compare)
    .add(Get, "/api/scenarios", scenarios::list)
    .add(Post, "/api/scenarios", scenarios::create)
    .add(Get, "/api/scenarios/{id}", scenarios::get)
    .add(Put, "/api/scenarios/{id}", scenarios::put)
    .add(Delete, "/api/scenarios/{id}", scenarios::delete)
    .add(Post, "/api/scenarios/{id}/undelete", scenarios::undelete)
    .add(Post, "/api/scenarios/{id}/duplicate", scenarios::duplicate)
    .add(Get, "/api/scenarios/{id}/versions", versions::list)
    .add(Get, "/api/scenarios/{id}/versions/{v}", versions::get)
    .add(
        Post,
        "/api/scenarios/{id}/versions/{v}/restore",
        versions::restore,
    )
    .add(Get, "/api/scenarios/{id}/reprice", reprice::preview)
    .add(Post, "/api/scenarios/{id}/reprice", reprice::apply)
    .add(Get, "/api/scenarios/{id}/export.csv", exports::csv)
    .add(Get, "/api/scenarios/{id}/export.pdf", exports::pdf_route)
    .add(Post, "/api/export.csv", exports::csv_unsaved)
    .add(Post, "/api/export.pdf", exports::pdf_unsaved)
}

/// The API's routes, with a JSON 404 for any other path under `/api`.
pub fn router(state: ApiState) -> Router {
    table()
        .router
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
