//! Where the server listens, where it finds the built site and where it keeps saved
//! scenarios.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lakeplan_store::{Clock, SystemClock};

use crate::database::Database;

/// The address used when neither `--addr` nor `LAKEPLAN_ADDR` says otherwise: loopback, so a
/// laptop in a customer meeting does not expose the planner to the room's network.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// The name of the bundle's wasm, JS and CSS files (`xtask`'s `bundle::OUTPUT_NAME`).
pub const OUTPUT_NAME: &str = "lakeplan";

/// What `Application::build` needs to know.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    /// The folder holding `pkg/` (the wasm bundle, JS and CSS) as `cargo xtask build` writes it.
    pub site_root: PathBuf,
    /// Where everything stored lives: the embedded SQLite store in a folder (by default the
    /// platform's data folder) or a shared PostgreSQL database.
    pub database: Database,
    /// What the store reads the time from; tests set a clock they can move.
    pub clock: Arc<dyn Clock>,
    /// The address users reach the server at, scheme and host (and port) only, as
    /// [`parse_public_url`] checks it: `https://lakeplan.example.com`. `None` when not given
    /// (a laptop on loopback). The server may sit behind a proxy that ends TLS, so only this
    /// says whether browsers use https: cookies are then `Secure` and the answers carry
    /// `Strict-Transport-Security` (see [`Settings::is_https`]). Links are written with it,
    /// and writes with a session cookie must come from it (`Origin`).
    pub public_url: Option<String>,
    /// Sign-in through an OpenID Connect provider, when `LAKEPLAN_OIDC_*` are set.
    pub oidc: Option<OidcSettings>,
}

/// The OpenID Connect provider and how its groups map to teams and roles.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub config: crate::oidc::OidcConfig,
    pub groups: crate::oidc::GroupMapping,
}

impl Settings {
    pub fn new(addr: SocketAddr, site_root: Option<PathBuf>) -> Self {
        Self {
            addr,
            site_root: site_root.unwrap_or_else(default_site_root),
            database: Database::choose(None, None),
            clock: Arc::new(SystemClock),
            public_url: None,
            oidc: None,
        }
    }

    /// Whether users reach the server over https, as [`Settings::public_url`] says.
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The same settings keeping everything in the embedded store in `dir`.
    pub fn with_data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.database = Database::Embedded(dir.into());
        self
    }

    /// The same settings keeping everything in `database`.
    pub fn with_database(mut self, database: Database) -> Self {
        self.database = database;
        self
    }
}

/// Checks a public URL (`--public-url`, `LAKEPLAN_PUBLIC_URL`): an absolute `http` or
/// `https` URL with a host and nothing after it but an optional `/` (no path, query,
/// fragment or user). Returns it with the scheme lower-cased and without the trailing `/`,
/// so `https://Example.com/` becomes `https://Example.com`.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let expected =
        "expected an absolute http(s) URL without a path, such as https://lakeplan.example.com";
    let uri: http::Uri = text
        .parse()
        .map_err(|_| format!("`{text}` is not a URL: {expected}"))?;
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
    let (Some(scheme @ ("http" | "https")), Some(authority)) = (scheme.as_deref(), uri.authority())
    else {
        return Err(format!("`{text}` is not an http(s) URL: {expected}"));
    };
    if authority.host().is_empty() || authority.as_str().contains('@') {
        return Err(format!("`{text}` has no host or has a user: {expected}"));
    }
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() || text.contains('#') {
        return Err(format!(
            "`{text}` has a path, query or fragment: {expected}"
        ));
    }
    Ok(format!("{scheme}://{authority}"))
}

/// `target/site` next to the binary's own `target/<profile>/` folder, so `lakeplan` finds its
/// bundle whatever the working directory; `target/site` in the working directory otherwise.
pub fn default_site_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(|target| target.join("site"))
        .filter(|p| p.join("pkg").is_dir())
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

/// Whether the bundle's files are named by content: `cargo xtask build` then writes
/// `hash.txt` next to the server binary. Leptos reads that file when hashing is on and cannot start
/// without it, so hashing follows the file's presence rather than a flag that could
/// disagree with it.
pub fn hashed_assets() -> bool {
    std::env::current_exe()
        .ok()
        .as_deref()
        .and_then(Path::parent)
        .is_some_and(|dir| dir.join("hash.txt").is_file())
}

/// Whether the bundle beside this server was built with its views erased (`cargo xtask
/// build --release` records it in `hash.txt`), when it says.
pub fn bundle_erased() -> Option<bool> {
    let exe = std::env::current_exe().ok()?;
    let hashes = std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()?;
    erased_in(&hashes)
}

fn erased_in(hashes: &str) -> Option<bool> {
    hashes
        .lines()
        .find_map(|l| l.strip_prefix("erase_components: "))
        .and_then(|v| v.trim().parse().ok())
}

/// Refuses a bundle built the other way than this server: with `--cfg erase_components`
/// on one side only, the page's markers differ from those the browser hydrates and every
/// page fails. `cargo xtask build` builds both alike; a server from a plain `cargo build`
/// beside an xtask's release bundle is the case this catches.
pub fn check_bundle_matches(bundle_erased: Option<bool>) -> Result<(), String> {
    let server_erased = cfg!(erase_components);
    match bundle_erased {
        Some(bundle) if bundle != server_erased => Err(format!(
            "the browser bundle was built {} erase_components and this server {} it: build both with `cargo xtask build{}`",
            if bundle { "with" } else { "without" },
            if server_erased { "with" } else { "without" },
            if bundle { " --release" } else { "" },
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_public_url;

    #[test]
    fn a_bundle_built_the_other_way_is_refused() {
        use super::{check_bundle_matches, erased_in};
        assert_eq!(erased_in("js: a\nerase_components: true\n"), Some(true));
        assert_eq!(erased_in("js: a\nerase_components: false\n"), Some(false));
        assert_eq!(erased_in("js: a\n"), None);
        let this = cfg!(erase_components);
        assert!(check_bundle_matches(Some(this)).is_ok());
        assert!(check_bundle_matches(None).is_ok());
        let refused = check_bundle_matches(Some(!this)).unwrap_err();
        assert!(refused.contains("cargo xtask build"), "{refused}");
    }

    #[test]
    fn public_urls_are_scheme_and_host_only() {
        for (given, kept) in [
            (
                "https://lakeplan.example.com",
                "https://lakeplan.example.com",
            ),
            (
                "HTTPS://lakeplan.example.com/",
                "https://lakeplan.example.com",
            ),
            ("http://10.0.0.5:3000", "http://10.0.0.5:3000"),
            ("https://[::1]:8443/", "https://[::1]:8443"),
        ] {
            assert_eq!(parse_public_url(given).as_deref(), Ok(kept), "{given}");
        }
        for bad in [
            "",
            "lakeplan.example.com",
            "/planner",
            "ftp://lakeplan.example.com",
            "https://lakeplan.example.com/planner",
            "https://lakeplan.example.com/?a=1",
            "https://lakeplan.example.com/#top",
            "https://user@lakeplan.example.com",
            "https://",
        ] {
            let e = parse_public_url(bad).expect_err(bad);
            assert!(e.contains("absolute http(s) URL"), "{bad}: {e}");
        }
    }
}
