//! The site's other files: the style sheet into `pkg/` and `public/` into the site's root.

use std::path::Path;

use anyhow::{Context, Result};

use crate::bundle::OUTPUT_NAME;
use crate::Build;

/// The bundle's folder under the site's root (`LeptosOptions::site_pkg_dir`).
pub const PKG_DIR: &str = "pkg";

/// Copies `style/main.css` to `pkg/lakeplan.css` and every file of `public/` (the favicon,
/// the Monte Carlo's worker script) to the site's root.
pub fn copy(build: &Build) -> Result<()> {
    let style = build.root.join("style/main.css");
    std::fs::copy(&style, build.pkg().join(format!("{OUTPUT_NAME}.css")))
        .with_context(|| format!("copying {}", style.display()))?;
    copy_dir(&build.root.join("public"), &build.site())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
