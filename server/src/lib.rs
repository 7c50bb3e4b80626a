#![recursion_limit = "256"]
//! The Lakeplan server: serves the planner (server-rendered, then hydrated), its static
//! bundle, the JSON API over saved scenarios (`api`, stored by `lakeplan-store`) and the
//! exports; and the command-line tools (`cli`). `main.rs` only parses the command line;
//! everything else lives here so integration tests start the real server.

pub mod api;
pub mod auth;
pub mod books;
pub mod cli;
pub mod database;
pub mod date;
pub mod headers;
pub mod oidc;
pub mod settings;
pub mod startup;
pub mod sweep;
