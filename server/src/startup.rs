//! Builds the HTTP application once, for `main` and for the integration tests alike.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lakeplan_app::account::SignInOptions;
use lakeplan_app::{shell, App};
use lakeplan_store::Options;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::{self, ApiState, Storage};
use crate::auth::origin::{self, OwnOrigin};
use crate::auth::provider::ProviderSignIn;
use crate::auth::{owner, page, Auth};
use crate::database::OpenError;
use crate::headers::{self, security_headers, Policy};
use crate::settings::{hashed_assets, Settings, OUTPUT_NAME};
use lakeplan_api::limits::{BODY_LIMIT_BYTES, REQUEST_TIMEOUT};

/// How often deleted scenarios past their 30 days are purged while the server runs (they
/// are also purged at start). Expired ones are already invisible; purging frees the space.
pub const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] OpenError),
    #[error("cannot set up accounts: {0}")]
    Auth(String),
    #[error("{0}")]
    Bundle(String),
}

/// A server bound to its listener and ready to run.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    storage: Storage,
    greeting: owner::Greeting,
}

impl Application {
    /// Opens the scenario store (creating the data directory and applying schema steps),
    /// purges expired deletions, binds the address (port 0 picks a free one, as the tests
    /// do) and assembles the routes.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        crate::settings::check_bundle_matches(crate::settings::bundle_erased())
            .map_err(StartError::Bundle)?;
        let database = settings.database.clone();
        if let Some(note) = crate::database::old_default_note(&database) {
            tracing::warn!("{note}");
        }
        let options = Options {
            clock: settings.clock.clone(),
            ..Options::default()
        };
        // Opening may block (PostgreSQL's client, SQLite's file): on a blocking thread.
        let (opened, purged) = tokio::task::spawn_blocking(move || -> Result<_, StartError> {
            let opened = database.open(options)?;
            let failed = |source| {
                StartError::Store(OpenError {
                    place: opened.place.clone(),
                    source,
                })
            };
            let purged = opened.store.purge_expired().map_err(failed)?;
            opened
                .store
                .sweep_expired(crate::auth::throttle::WINDOW_MS)
                .map_err(failed)?;
            Ok((opened, purged))
        })
        .await
        .map_err(|e| StartError::Auth(format!("opening the store did not finish: {e}")))??;
        tracing::info!(
            "everything stored is kept in {}{}",
            opened.place,
            if purged > 0 {
                format!(" ({purged} deleted more than 30 days ago purged)")
            } else {
                String::new()
            }
        );
        let storage = Storage::new(opened.store);
        let listen = |source| StartError::Listen {
            addr: settings.addr,
            source,
        };
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .map_err(listen)?;
        let local = listener.local_addr().map_err(listen)?;
        let auth = Arc::new(
            Auth::new(settings.clock.clone(), settings.public_url.clone())
                .map_err(|e| StartError::Auth(e.to_string()))?,
        );
        let greeting = owner::greet(&storage, local, auth.now())
            .await
            .map_err(|e| StartError::Auth(e.to_string()))?;
        let oidc = settings.oidc.clone().map(|o| {
            tracing::info!(
                "signing in through the OpenID Connect provider {} ({} group(s) mapped by file)",
                o.config.issuer,
                o.groups.len()
            );
            Arc::new(ProviderSignIn::new(o.config, o.groups))
        });
        let state = ApiState {
            storage: storage.clone(),
            auth,
            oidc,
            books: Arc::default(),
        };
        let router = router(&settings, local, state);
        Ok(Self {
            listener,
            router,
            storage,
            greeting,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// What to tell the person who started the server about signing in: on a fresh
    /// loopback server, the local owner's one-time link (see `auth::owner`).
    pub fn greeting(&self) -> &owner::Greeting {
        &self.greeting
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish. Purges
    /// expired deletions every [`PURGE_EVERY`] meanwhile.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let purger = tokio::spawn(purge_periodically(self.storage));
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        purger.abort();
        served
    }
}

fn leptos_options(settings: &Settings, local: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(settings.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(local)
        .env(leptos::config::Env::PROD)
        .hash_files(hashed_assets())
        .build()
}

async fn purge_periodically(storage: Storage) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    every.tick().await; // the first tick is immediate; `build` has just purged
    loop {
        every.tick().await;
        match storage.call(|st| st.purge_expired()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("purged {n} scenario(s) deleted more than 30 days ago"),
            Err(e) => tracing::error!("purging deleted scenarios failed: {e}"),
        }
    }
}

fn router(settings: &Settings, local: SocketAddr, state: ApiState) -> Router {
    let own_origin = OwnOrigin(
        settings
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_string()),
    );
    let options = leptos_options(settings, local);
    let routes = generate_route_list(App);

    // Hashed names change whenever the content does, so browsers may keep them for a year;
    // unhashed names (a development build) must be revalidated on every load.
    let pkg_cache = if options.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            pkg_cache,
        ))
        .service(
            ServeDir::new(settings.site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );

    // Leptos's route list knows only `/` (the app picks its page by path itself, see
    // `lakeplan_app::pages`); every other page of that list is rendered here, or the
    // fallback would answer it with 404.
    // What every page render knows besides the request: the CSP nonce, and whether the
    // sign-in form offers the organisation's provider.
    let sign_in = SignInOptions {
        oidc: settings.oidc.is_some(),
    };
    let contexts = move || {
        headers::provide_nonce();
        page::provide_viewer();
        leptos::prelude::provide_context(sign_in);
    };
    let mut pages = Router::new().leptos_routes_with_context(&options, routes, contexts, {
        let options = options.clone();
        move || shell(options.clone())
    });
    for (path, _) in lakeplan_app::pages::PAGES.iter().filter(|(p, _)| *p != "/") {
        let options = options.clone();
        pages = pages.route(
            path,
            get(leptos_axum::render_app_to_stream_with_context(
                {
                    let options = options.clone();
                    move || {
                        leptos::prelude::provide_context(options.clone());
                        contexts();
                    }
                },
                move || shell(options.clone()),
            )),
        );
    }
    pages
        .fallback(leptos_axum::file_and_error_handler_with_context(
            contexts, shell,
        ))
        .with_state(options)
        // Pages only: the bundle and the health check are the same for everyone, and the
        // bundle's own Cache-Control (a year for hashed names) must stay.
        .layer(from_fn_with_state(state.clone(), page::find_viewer))
        .merge(
            Router::new()
                .route("/healthz", get(healthz))
                .route("/readyz", get(readyz).with_state(state.storage.clone()))
                .nest_service("/pkg", pkg),
        )
        .merge(api::router(state))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                // Outermost but the trace, so every answer carries them, refusals too.
                .layer(from_fn_with_state(Policy::new(settings), security_headers))
                .layer(CompressionLayer::new())
                // Outside the limit and the timeout, so their refusals become JSON too.
                .layer(axum::middleware::from_fn(api::error::json_errors))
                .layer(axum::middleware::from_fn_with_state(
                    own_origin,
                    origin::check,
                ))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                )),
        )
}

/// Liveness for load balancers and scripts: answers as soon as the server accepts requests.
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok", "model_version": lakeplan_models::MODEL_VERSION }))
}

/// How long `/readyz` waits for the database before it says not ready.
const READY_WITHIN: Duration = Duration::from_secs(3);

/// Readiness for load balancers: 200 only while the database answers a query, so a server
/// that lost its database is taken out of rotation (503, in the API's error shape) and put
/// back by itself when the database returns; `/healthz` stays the liveness check.
async fn readyz(State(storage): State<Storage>) -> Response {
    match tokio::time::timeout(READY_WITHIN, storage.call(|store| store.ping())).await {
        Ok(Ok(())) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => api::error::AppError::Unavailable(format!(
            "the database did not answer within {} s",
            READY_WITHIN.as_secs()
        ))
        .into_response(),
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM (what service managers send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
