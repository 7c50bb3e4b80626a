//! The page's address: the request's on the server, the address bar's in the browser. The
//! app has one page and reads its scenario from the query, so it needs no router (see
//! ARCHITECTURE.md, "Browser bundle size").

/// The path, e.g. `/`.
pub fn path() -> String {
    #[cfg(feature = "ssr")]
    {
        request().map_or_else(|| "/".into(), |p| p.uri.path().to_string())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::window()
            .location()
            .pathname()
            .unwrap_or_else(|_| "/".into())
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        "/".into()
    }
}

/// The query string without its `?`; empty when there is none.
pub fn query() -> String {
    #[cfg(feature = "ssr")]
    {
        request()
            .and_then(|p| p.uri.query().map(str::to_string))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::window()
            .location()
            .search()
            .map(|s| s.trim_start_matches('?').to_string())
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

/// The request being rendered, which leptos_axum provides as context.
#[cfg(feature = "ssr")]
fn request() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>()
}
