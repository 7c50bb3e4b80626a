//! What one HTTP request may be: part of the contract, so the document states it, the
//! server enforces it, and clients can keep within it. (The limits on a scenario's
//! contents live with its fields, in `lakeplan_models::inputs::limits`.)

use std::time::Duration;

/// Scenario files are a few kilobytes; a megabyte leaves room for large point lists while
/// refusing accidental uploads (413).
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// No request should take long: the model computes in microseconds, the largest sweep
/// allowed in seconds. A stuck request is cut off (408) rather than holding a connection.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
