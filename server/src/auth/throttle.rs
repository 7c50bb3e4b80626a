//! Repeated sign-in failures slow an attacker down: per account and per address.
//!
//! Failures are counted in the database ([`AccountStore::note_failure`]), so the limits
//! hold across servers sharing it. Within [`WINDOW_MS`], an account that has failed
//! [`ACCOUNT_LIMIT`] times, or an address that has failed [`ADDRESS_LIMIT`] times, is
//! answered 429 with `Retry-After` (seconds until its oldest counted failure leaves the
//! window) without checking the password, so guessing costs time and a throttled attempt
//! learns nothing. A successful sign-in clears its account's count (not its address's:
//! one good account must not reset an address guessing others).
//!
//! [`AccountStore::note_failure`]: lakeplan_store::AccountStore::note_failure

use lakeplan_store::{Email, Timestamp};

use crate::api::{AppError, Storage};

/// The window failures are counted in: 15 minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures of one account within the window before it is throttled.
pub const ACCOUNT_LIMIT: u64 = 10;
/// Failures from one address within the window before it is throttled: higher, since an
/// office's engineers may share an address.
pub const ADDRESS_LIMIT: u64 = 30;

/// The counter keys of an attempt.
pub fn keys(email: &str, address: &str) -> (String, String) {
    let account = match email.parse::<Email>() {
        Ok(e) => e.key(),
        Err(_) => email.trim().to_lowercase(),
    };
    (format!("account:{account}"), format!("address:{address}"))
}

/// 429 when either key is over its limit.
pub async fn check(
    storage: &Storage,
    account: &str,
    address: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let since = now.plus_ms(-WINDOW_MS);
    for (key, limit) in [(account, ACCOUNT_LIMIT), (address, ADDRESS_LIMIT)] {
        let k = key.to_string();
        let (count, oldest) = storage.call(move |st| st.failures_since(&k, since)).await?;
        if count >= limit {
            let free_at = oldest.unwrap_or(now).plus_ms(WINDOW_MS);
            let secs = ((free_at.millis() - now.millis()) + 999) / 1000;
            return Err(AppError::TooManyRequests {
                message: format!(
                    "too many failed sign-ins {}; try again in {} s",
                    if limit == ACCOUNT_LIMIT {
                        "for this account"
                    } else {
                        "from this address"
                    },
                    secs.max(1)
                ),
                retry_after_secs: secs.max(1),
            });
        }
    }
    Ok(())
}
