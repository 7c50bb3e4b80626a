//! Local passwords: Argon2id (RFC 9106), through the RustCrypto `argon2` crate.
//!
//! Parameters: 64 MiB of memory, 2 passes, 1 lane, chosen so one check takes about
//! 50–100 ms on the 2-core machine the project is measured on (see `benches` in the
//! README's numbers): slow enough that a stolen database costs an attacker dearly, quick
//! enough that signing in feels instant. The parameters are stored in each hash's PHC
//! string, so raising them later still verifies the old hashes.
//!
//! An unknown email is checked against a hash made at start, so a wrong email and a
//! wrong password take the same time and give the same answer: the sign-in does not tell
//! whether an account exists. At most [`CONCURRENT_CHECKS`] checks run at once, so a burst
//! of sign-ins cannot take all the memory.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::api::AppError;

/// Memory per check, KiB.
pub const MEMORY_KIB: u32 = 64 * 1024;
/// Passes over the memory.
pub const PASSES: u32 = 2;
/// Checks running at once; more wait their turn.
pub const CONCURRENT_CHECKS: usize = 4;
/// A password's length, in characters.
pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 1024;

/// The hasher, with the stand-in hash unknown emails are checked against.
pub struct Passwords {
    argon: Argon2<'static>,
    stand_in: String,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passwords")
    }
}

impl Passwords {
    pub fn new() -> Result<Passwords, AppError> {
        let params = Params::new(MEMORY_KIB, PASSES, 1, None)
            .map_err(|e| AppError::Internal(format!("Argon2 parameters: {e}")))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut p = Passwords {
            argon,
            stand_in: String::new(),
        };
        p.stand_in = p.hash("a stand-in that no account has")?;
        Ok(p)
    }

    /// A PHC string (`$argon2id$v=19$m=65536,t=2,p=1$salt$hash`) of `password`.
    pub fn hash(&self, password: &str) -> Result<String, AppError> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing a password failed: {e}")))
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown email, or an
    /// account without a password), a check against the stand-in that always fails, in
    /// the same time.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let (phc, real) = match stored {
            Some(h) => (h, true),
            None => (self.stand_in.as_str(), false),
        };
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        self.argon
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && real
    }
}

/// Checks a new password's length; the message names the limits.
pub fn acceptable(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if (MIN_CHARS..=MAX_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(format!(
            "must be {MIN_CHARS} to {MAX_CHARS} characters long (it has {n})"
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let p = Passwords::new().unwrap();
        let h = p.hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=65536,t=2,p=1$"), "{h}");
        assert!(p.verify("correct horse battery", Some(&h)));
        assert!(!p.verify("correct horse batterx", Some(&h)));
        assert!(!p.verify("a stand-in that no account has", None));
        assert!(!p.verify("x", Some("not a phc string")));
        assert_ne!(h, p.hash("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn lengths() {
        assert!(acceptable("123456789012").is_ok());
        assert!(acceptable("12345678901")
            .unwrap_err()
            .contains("12 to 1024"));
    }
}
