//! The Lakeplan planning model.
//!
//! Every figure Lakeplan shows is computed here, once, so the browser (wasm32), the server
//! and the CLI agree to the last digit. The crate does no I/O and knows no framework: it
//! takes typed inputs and returns typed outputs. Each section of `spec/MODEL.md` has one
//! module that owns it.

pub mod change;
pub mod claims;
pub mod cluster;
pub mod display;
pub mod egress;
pub mod field;
pub mod growth;
pub mod links;
pub mod pricing;
pub mod report;
pub mod scenario;
pub mod tcp;
pub mod topology;
pub mod units;

/// The version of the model, written into every report so a figure can be traced to the
/// code that produced it.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");
