//! Writing the audit log.
//!
//! Callers pass names and ids only (an email, a scenario id, a token's id and name), never
//! a password, token or cookie value. A failed audit write is logged as an error but does
//! not undo or fail the action it records, which has already happened.

use lakeplan_store::AuditEvent;

use crate::api::Storage;

/// Outcomes the log uses.
pub const OK: &str = "ok";
pub const FAILED: &str = "failed";
pub const DENIED: &str = "denied";
pub const THROTTLED: &str = "throttled";

/// Appends one entry.
pub async fn record(
    storage: &Storage,
    actor: String,
    address: &str,
    action: &str,
    target: String,
    outcome: &str,
) {
    let event = AuditEvent {
        actor,
        address: address.to_string(),
        action: action.to_string(),
        target,
        outcome: outcome.to_string(),
    };
    tracing::info!(
        actor = %event.actor,
        action = %event.action,
        target = %event.target,
        outcome = %event.outcome,
        "audit"
    );
    if let Err(e) = storage.call(move |st| st.record(&event)).await {
        tracing::error!("the audit log could not be written: {e}");
    }
}
