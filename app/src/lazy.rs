//! Parts of the page whose code is a separate wasm module (Leptos's `#[lazy]`, split out
//! by `cargo leptos build --split`), fetched the first time they are shown, so the first
//! load carries only what the planner's first answer needs (issue 16, docs/bundle.md).
//!
//! The pattern: the part's view is a `#[lazy]` function; the component that shows it
//! preloads the module when the user asks for the part (its generated `__preload_*`
//! function, in the browser only), sets a signal once it is in, and then calls the function
//! through [`ready`]. The server renders the part only when it is asked for in the request
//! (never, for the parts split so far), so hydration finds no difference.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// The value of a `#[lazy]` function whose module is already loaded, `None` while it is not.
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
