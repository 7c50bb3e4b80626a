//! Where the server listens, where it finds the built site and where it keeps saved
//! scenarios.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lakeplan_store::{Clock, SystemClock};

/// The address used when neither `--addr` nor `LAKEPLAN_ADDR` says otherwise: loopback, so a
/// laptop in a customer meeting does not expose the planner to the room's network.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// The data directory used when neither `--data-dir` nor `LAKEPLAN_DATA_DIR` says
/// otherwise: `lakeplan-data` in the working directory, which `scripts/run.sh` makes the
/// repository's root (the folder is git-ignored). The server logs the full path at start.
pub const DEFAULT_DATA_DIR: &str = "lakeplan-data";

/// The name cargo-leptos gives the wasm, JS and CSS files (`[[workspace.metadata.leptos]]`
/// `name` in the root Cargo.toml).
pub const OUTPUT_NAME: &str = "lakeplan";

/// What `Application::build` needs to know.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    /// The folder holding `pkg/` (the wasm bundle, JS and CSS) as cargo-leptos builds it.
    pub site_root: PathBuf,
    /// The folder holding the scenario database (`lakeplan.db`); created if missing.
    pub data_dir: PathBuf,
    /// What the store reads the time from; tests set a clock they can move.
    pub clock: Arc<dyn Clock>,
    /// The address users reach the server at (`https://lakeplan.example.com`), when it is
    /// behind a proxy or a name: links are written with it, cookies are `Secure` when it
    /// is https, and writes with a session cookie must come from it (`Origin`).
    pub public_url: Option<String>,
}

impl Settings {
    pub fn new(addr: SocketAddr, site_root: Option<PathBuf>) -> Self {
        Self {
            addr,
            site_root: site_root.unwrap_or_else(default_site_root),
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            clock: Arc::new(SystemClock),
            public_url: None,
        }
    }

    /// The same settings keeping scenarios in `dir`.
    pub fn with_data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = dir.into();
        self
    }
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

/// Whether cargo-leptos built the bundle with hashed file names: it then writes `hash.txt`
/// next to the server binary. Leptos reads that file when hashing is on and cannot start
/// without it, so hashing follows the file's presence rather than a flag that could
/// disagree with it.
pub fn hashed_assets() -> bool {
    std::env::current_exe()
        .ok()
        .as_deref()
        .and_then(Path::parent)
        .is_some_and(|dir| dir.join("hash.txt").is_file())
}
