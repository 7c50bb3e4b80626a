//! The browser bundle's files and the script that loads them (server side only).
//!
//! Why not Leptos's `HydrationScripts`: it puts `<link rel="modulepreload">` and
//! `<link rel="preload">` for the JS glue and the wasm in `<head>`, so the ~0.5 MB module is
//! fetched at once, beside the page itself. The page is complete without it (every figure
//! is rendered by the server), yet a slow link then spends its first seconds on the bundle,
//! and Lighthouse's simulated mobile load counts that download before the largest paint
//! (LCP 3.6 s, issue 16). Here the bundle is fetched once the page has loaded and the
//! browser is idle; a reader sees the figures at once and can use the inputs a moment
//! later. The script is the same as Leptos's otherwise: import the glue, instantiate the
//! wasm, call `hydrate`.

use std::sync::OnceLock;

use leptos::prelude::*;

/// The bundle's file names under the site's package folder.
#[derive(Debug, Clone)]
struct Files {
    js: String,
    wasm: String,
}

/// The names `cargo xtask build` gave the files: `<output>.<name>.js` and
/// `<output>.<name>.wasm`, the name being the build's, listed in `hash.txt` beside the
/// server's binary (lines `js: NAME`, `wasm: NAME`); plain `<output>.js` without it. Read
/// once: the files do not change while the server runs.
fn files(options: &LeptosOptions) -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| {
        let name = options.output_name.to_string();
        let hashes = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten();
        if options.hash_files && hashes.is_none() {
            leptos::logging::error!("file hashing is on but no hash file was found");
        }
        let hashes = hashes.unwrap_or_default();
        let hash_of = |kind: &str| {
            hashes.lines().find_map(|line| {
                let (file, hash) = line.split_once(':')?;
                (file.trim() == kind).then(|| format!(".{}", hash.trim()))
            })
        };
        Files {
            js: format!("{name}{}.js", hash_of("js").unwrap_or_default()),
            wasm: format!("{name}{}.wasm", hash_of("wasm").unwrap_or_default()),
        }
    })
}

/// The script that hydrates the page once it has loaded and the browser is idle (at most
/// half a second later on a page that is never idle).
#[component]
pub fn HydrateWhenIdle(options: LeptosOptions) -> impl IntoView {
    let files = files(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let nonce = leptos::nonce::use_nonce();
    let script = format!(
        r#"(() => {{
const start = () => import("{pkg}/{js}")
  .then((m) => m.default({{ module_or_path: "{pkg}/{wasm}" }}).then(() => m.hydrate()));
const idle = () => ("requestIdleCallback" in window)
  ? requestIdleCallback(start, {{ timeout: 500 }}) : setTimeout(start, 0);
if (document.readyState === "complete") idle(); else addEventListener("load", idle, {{ once: true }});
}})();"#,
        js = files.js,
        wasm = files.wasm,
    );
    // The Monte Carlo's worker loads the same glue (`crate::worker`).
    view! {
        <meta name="lakeplan-glue" content=format!("{pkg}/{}", files.js)/>
        <script type="module" nonce=nonce>{script}</script>
    }
}
