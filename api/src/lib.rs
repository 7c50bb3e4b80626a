//! Lakeplan's HTTP contract, written once for both ends.
//!
//! The server (`server/src/api/`) answers with these types and generates its OpenAPI 3.1
//! document from them (feature `openapi`); the browser (`app/src/api.rs`) reads the same
//! types back and builds every URL with [`paths`]. A field renamed here is renamed for
//! both, and the document cannot describe a shape the server does not send.
//!
//! - [`paths`]: the route templates and the one URL builder.
//! - [`limits`]: the size and time one request may take.
//! - [`error`]: the one JSON shape of every error, with its stable codes.
//! - [`accounts`]: signing in, who the caller is, tokens, share links, users and teams,
//!   the audit log.
//! - [`scenarios`]: saved scenarios, their history, comparison, re-pricing, price books.
//! - [`sweep`]: the batch of what-ifs (`POST /api/sweep`).
//! - [`read`]: the browser's reader of these answers (small code, held to serde's writer).
//!
//! Plain serde types with no I/O: they compile to wasm32 without the `openapi` feature, so
//! the bundle carries no schema code.

pub mod accounts;
pub mod books;
pub mod error;
pub mod limits;
pub mod paths;
pub mod read;
pub mod scenarios;
pub mod sweep;

pub use error::{ApiError, ErrorCode};
pub use lakeplan_models::field::FieldError;
