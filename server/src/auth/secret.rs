//! The random values the server hands out once (session cookies, API tokens, one-time
//! sign-in links, share links) and the hash the store keeps of them.
//!
//! 32 bytes from the operating system's generator (`getrandom`), written as URL-safe
//! base64 behind a short prefix that says what the value is (`lps_` session, `lpt_` API
//! token, `lpo_` one-time link, `lpl_` share link, `lpp_` a provider sign-in in progress), so a value pasted into the wrong place
//! or found in a leak is recognised. 256 bits cannot be guessed, so one unsalted SHA-256
//! is the right hash for them (a slow password hash is for low-entropy secrets).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lakeplan_store::SecretHash;
use sha2::{Digest, Sha256};

use crate::api::AppError;

/// What a secret is for: its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Session,
    ApiToken,
    SignInLink,
    ShareLink,
    /// Binds a sign-in at an OpenID Connect provider to the browser that started it.
    ProviderSignIn,
}

impl Kind {
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Session => "lps_",
            Kind::ApiToken => "lpt_",
            Kind::SignInLink => "lpo_",
            Kind::ShareLink => "lpl_",
            Kind::ProviderSignIn => "lpp_",
        }
    }
}

/// A secret as given out. `Debug` does not show it, so it cannot slip into a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A fresh secret of `kind`.
    pub fn new(kind: Kind) -> Result<Secret, AppError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Internal(format!("the OS random generator failed: {e}")))?;
        Ok(Secret(format!(
            "{}{}",
            kind.prefix(),
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    /// The value, to send to its holder once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> SecretHash {
        hash(&self.0)
    }
}

/// The SHA-256 of a presented value, as the store keeps it.
pub fn hash(value: &str) -> SecretHash {
    let digest = Sha256::digest(value.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    SecretHash(hex)
}

/// Whether `value` looks like a secret of `kind` (prefix and length), checked before a
/// store lookup so junk is refused without touching the database.
pub fn looks_like(value: &str, kind: Kind) -> bool {
    value.len() == kind.prefix().len() + 43
        && value.starts_with(kind.prefix())
        && value[kind.prefix().len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn secrets_are_fresh_prefixed_and_hashed_as_sha256_hex() {
        let a = Secret::new(Kind::ApiToken).unwrap();
        let b = Secret::new(Kind::ApiToken).unwrap();
        assert_ne!(a, b);
        assert!(looks_like(a.expose(), Kind::ApiToken));
        assert!(!looks_like(a.expose(), Kind::Session));
        assert!(!format!("{a:?}").contains(a.expose()));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hash("abc").0,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
