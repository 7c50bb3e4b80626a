//! Parts of the page whose code is a separate wasm module, fetched the first time they are
//! shown, so the first load carries only what the planner's first answer needs (issue 16,
//! docs/bundle.md). `cargo xtask build` splits the module at each function marked
//! `#[leptos::wasm_split::wasm_split(<part>, wasm_split_path = ::leptos::wasm_split,
//! preload(preload_<part>), fallible)]` (what Leptos's `#[lazy]` expands to, with
//! `fallible`: a module that does not load is an error to show, where `#[lazy]` would stop
//! the whole page).
//!
//! The pattern: the part's view is such a function returning `Result<AnyView, NotLoaded>`;
//! the component that shows it calls `preload_<part>()` when the user asks for the part (in
//! the browser; on the server it is ready at once), sets a signal once it is in (or shows
//! [`NotLoaded::MESSAGE`]), and then calls the function through [`shown`]. The server
//! renders a part only when the request asks for it, so hydration finds no difference.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// A part's module did not load: the server no longer has it (a newer version was deployed
/// since the page was opened; its files are named by their content) or the network is
/// down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLoaded;

impl NotLoaded {
    pub const MESSAGE: &'static str = "This part of the page could not be loaded: Lakeplan \
        may have been updated since the page was opened, or the network is down. Reload the \
        page.";
}

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// The view of a part whose module is loaded.
pub fn shown<T>(call: impl Future<Output = Result<T, NotLoaded>>) -> Option<T> {
    ready(call).and_then(Result::ok)
}

/// Says so at the top of a page that cannot hydrate because its module did not load.
#[cfg(feature = "hydrate")]
pub fn not_loaded_notice() {
    leptos::logging::error!("{}", NotLoaded::MESSAGE);
    if let Ok(Some(main)) = leptos::prelude::document().query_selector("main") {
        let notice = format!(
            r#"<p class="notice bad" role="alert">{}</p>"#,
            NotLoaded::MESSAGE
        );
        let _ = main.insert_adjacent_html("afterbegin", &notice);
    }
}

/// The value of a split function whose module is already loaded, `None` while it is not.
///
/// Such a call is `async` (it would wait for the module), but once the module is in, its
/// future is ready at the first poll: the module loader's once-cell is set. On the server
/// the function is an ordinary `async fn` and is ready at once too. A caller shows the part
/// only after its preload, so `None` is not expected; it shows nothing rather than stop the
/// page.
pub fn ready<T>(call: impl Future<Output = T>) -> Option<T> {
    let mut call = pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}
