//! `cargo xtask build [--release] [--locked] [--bundle-only]`: Lakeplan's site and server.
//!
//! Why a build step of our own rather than `cargo leptos build`: cargo-leptos is a separate
//! tool compiled from source (10–19 minutes on 2 cores, most of a fresh machine's set-up,
//! issue 16) that brings a JS minifier, a CSS bundler, a file watcher and project templates
//! this build never uses. What the site needs is five steps, done here with the libraries
//! cargo-leptos itself calls:
//!
//! 1. `cargo build` the app's hydrating library for wasm32 (`bundle::compile`);
//! 2. split it at the lazily loaded parts (`wasm_split_cli_support`, `bundle::split`; the
//!    generated loader is rewritten to start each module's fetch in a task of its own);
//! 3. generate the JS glue (`wasm-bindgen-cli-support`, `bundle::bind`);
//! 4. in release, shrink every module with `wasm-opt -Oz` (binaryen 116 from npm,
//!    `bundle::optimise`);
//! 5. copy the style sheet and `public/`, name the bundle's files by content
//!    (`names`), and write brotli and gzip copies beside them (`compress`).
//!
//! Then it builds the server (`cargo build -p lakeplan`), which finds the names in
//! `hash.txt` beside its binary, the file Leptos's `HashedStylesheet` reads.

mod bundle;
mod compress;
mod names;
mod run;
mod site;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};

/// What one invocation builds.
#[derive(Debug, Clone)]
pub struct Build {
    /// The workspace's root (the parent of `xtask/`).
    pub root: PathBuf,
    /// Release: the `wasm-release` profile for the bundle, `wasm-opt`, precompressed copies
    /// and the server in `release`. Otherwise a quick debug build of both.
    pub release: bool,
    /// Pass `--locked` to cargo: CI and the README's commands build exactly `Cargo.lock`.
    pub locked: bool,
    /// Build the site only, not the server.
    pub bundle_only: bool,
    /// When the build started, for the progress lines.
    pub started: Instant,
}

impl Build {
    /// `target/site`: what the server serves (`--site-root`'s default).
    pub fn site(&self) -> PathBuf {
        self.root.join("target/site")
    }

    /// `target/site/pkg`: the bundle's files.
    pub fn pkg(&self) -> PathBuf {
        self.site().join(site::PKG_DIR)
    }

    /// The folder the server's binary is built into, where `hash.txt` must be.
    pub fn server_dir(&self) -> PathBuf {
        self.root
            .join("target")
            .join(if self.release { "release" } else { "debug" })
    }

    /// `RUSTFLAGS` for the bundle and the server: the caller's, and in release Leptos's
    /// `erase_components`, which types every view as `AnyView`. Why: the bundle's views are
    /// otherwise instantiated type by type, and erased they take 12 % less (the whole wasm
    /// 626 → 549 KB brotli, issue 16). Both sides need it or neither: the server renders
    /// the markers the browser hydrates. Debug builds leave it out, since the server's
    /// debug build is the tests' one.
    pub fn rustflags(&self) -> String {
        let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        if self.erased() {
            flags.push_str(" --cfg erase_components");
        }
        flags.trim().to_string()
    }

    /// Whether the views are erased: in release (see [`Build::rustflags`]).
    pub fn erased(&self) -> bool {
        self.release
    }

    /// A progress line on stderr with the time since the start, so slow steps show in CI.
    pub fn say(&self, what: &str) {
        let s = self.started.elapsed().as_secs();
        eprintln!("\x1b[1m--> [{}m{:02}s] {what}\x1b[0m", s / 60, s % 60);
    }
}

const USAGE: &str = "usage: cargo xtask build [--release] [--locked] [--bundle-only]

  --release      optimised bundle (wasm-release profile, wasm-opt -Oz, brotli and gzip
                 copies) and server (release profile)
  --locked       build exactly Cargo.lock (what CI and scripts/ do)
  --bundle-only  the site (target/site) only, not the server";

fn parse(args: &[String]) -> Result<Build> {
    let Some((command, flags)) = args.split_first() else {
        bail!("{USAGE}");
    };
    if command != "build" {
        bail!("unknown command `{command}`\n{USAGE}");
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut build = Build {
        root,
        release: false,
        locked: false,
        bundle_only: false,
        started: Instant::now(),
    };
    for flag in flags {
        match flag.as_str() {
            "--release" => build.release = true,
            "--locked" => build.locked = true,
            "--bundle-only" => build.bundle_only = true,
            other => bail!("unknown option `{other}`\n{USAGE}"),
        }
    }
    Ok(build)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args).and_then(|build| build_all(&build)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn build_all(build: &Build) -> Result<()> {
    bundle::build(build)?;
    if !build.bundle_only {
        build.say("the server (cargo build -p lakeplan)");
        run::cargo(
            build,
            &server_args(build),
            &[("RUSTFLAGS", build.rustflags())],
        )?;
    }
    build.say("done");
    Ok(())
}

fn server_args(build: &Build) -> Vec<String> {
    let mut args: Vec<String> = ["build", "--package", "lakeplan", "--bin", "lakeplan"]
        .map(String::from)
        .to_vec();
    if build.release {
        args.push("--release".into());
    }
    args
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn the_flags_are_read() {
        let b = parse(&args("build --release --locked")).unwrap();
        assert!(b.release && b.locked && !b.bundle_only);
        let b = parse(&args("build --bundle-only")).unwrap();
        assert!(!b.release && b.bundle_only);
        assert!(b.server_dir().ends_with("target/debug"));
    }

    #[test]
    fn unknown_commands_and_options_are_refused_with_the_usage() {
        let e = parse(&args("serve")).unwrap_err().to_string();
        assert!(
            e.contains("unknown command `serve`") && e.contains("usage:"),
            "{e}"
        );
        let e = parse(&args("build --relase")).unwrap_err().to_string();
        assert!(e.contains("unknown option `--relase`"), "{e}");
        assert!(parse(&[]).unwrap_err().to_string().starts_with("usage:"));
    }
}
