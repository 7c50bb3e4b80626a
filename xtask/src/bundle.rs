//! The browser bundle: the app's hydrating library compiled for wasm32, split at its lazily
//! loaded parts, bound to JS, and in release shrunk with `wasm-opt`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{anyhow, bail, Context, Result};

use crate::{compress, names, run, site, Build};

/// The name of the bundle's files (`lakeplan.js`, `lakeplan.wasm`, `lakeplan.css`), as the
/// server's `LeptosOptions::output_name` says (`lakeplan_server::settings::OUTPUT_NAME`, which
/// must stay equal to it).
pub const OUTPUT_NAME: &str = "lakeplan";

/// The module the split parts import their loaders from. wasm-bindgen keeps the name in the
/// main module's import section, so the final name must be the same length to be written
/// in place: 22 characters, the length of a content name (`names::BUILD_ID_LEN`).
pub const SPLIT_LINK: &str = "__wasm_split.______________________.js";

/// `wasm-opt`'s flags: the smallest code, and the two features Rust's wasm32 target emits.
const WASM_OPT_FLAGS: [&str; 3] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
];

/// Builds `target/site` whole: the bundle, the style sheet, `public/`, content names and,
/// in release, the precompressed copies.
pub fn build(build: &Build) -> Result<()> {
    // Checked first: a missing tool must not cost the minutes of compiling before it.
    let tools = if build.release {
        Some((
            tool(build, "wasm-opt", "version 116")?,
            tool(build, "terser", "terser 5")?,
        ))
    } else {
        None
    };
    let wasm = compile(build)?;
    let site = build.site();
    if site.exists() {
        std::fs::remove_dir_all(&site).with_context(|| format!("clearing {}", site.display()))?;
    }
    std::fs::create_dir_all(build.pkg())?;
    let main = split(build, &wasm)?;
    bind(build, &main)?;
    if let Some((wasm_opt, terser)) = tools {
        optimise(build, &wasm_opt)?;
        minify(build, &terser)?;
    }
    site::copy(build)?;
    build.say("naming the bundle's files by their content");
    names::apply(&build.pkg(), &build.server_dir(), build.erased())?;
    if build.release {
        build.say("brotli and gzip copies of the site's files");
        compress::site(&site)?;
    }
    Ok(())
}

/// Step 1: `cargo build` the app's library with `hydrate` for wasm32, into its own target
/// folder (`target/front`) so its flags never invalidate the native builds' caches.
fn compile(build: &Build) -> Result<PathBuf> {
    let (profile, folder) = if build.release {
        ("wasm-release", "wasm-release")
    } else {
        ("dev", "debug")
    };
    build.say(&format!(
        "the browser bundle (cargo build -p lakeplan-app, wasm32, profile {profile})"
    ));
    let args = [
        "build",
        "--package",
        "lakeplan-app",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--target-dir",
        "target/front",
        "--no-default-features",
        "--features",
        "hydrate",
        "--profile",
        profile,
    ]
    .map(String::from);
    // The splitter reads the linker's relocations.
    let mut flags = build.rustflags();
    flags.push_str(" -Clink-args=--emit-relocs");
    run::cargo(build, &args, &[("RUSTFLAGS", flags.trim().to_string())])?;
    Ok(build
        .root
        .join("target/front/wasm32-unknown-unknown")
        .join(folder)
        .join("lakeplan_app.wasm"))
}

/// Step 2: splits the module at each `#[wasm_split]` function into `split_<name>.wasm`
/// (with `chunk_<n>.wasm` for code several parts share) in `pkg/`, with the loader that
/// fetches them ([`fetches_in_tasks_of_their_own`]), and returns the main module, which
/// still needs wasm-bindgen.
fn split(build: &Build, wasm: &Path) -> Result<PathBuf> {
    build.say("splitting out the lazily loaded parts");
    let input = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let main = wasm.with_file_name("lakeplan_app_split.wasm");
    let pkg = build.pkg();
    let main_module = format!("./{OUTPUT_NAME}.js");
    let link = format!("./{SPLIT_LINK}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &pkg;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = &link;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow!("splitting {}: {e}", wasm.display()))?;
    // Which modules each part needs, for a server that preloads them.
    std::fs::write(
        pkg.join(names::MANIFEST),
        serde_json::to_string(&split.prefetch_map)?,
    )?;
    let loader = pkg.join(SPLIT_LINK);
    let text = std::fs::read_to_string(&loader)
        .with_context(|| format!("reading {}", loader.display()))?;
    std::fs::write(&loader, fetches_in_tasks_of_their_own(&text)?)?;
    Ok(main)
}

/// The splitter's loader starts every module a part needs with `fetch` at once, in one
/// task. A `fetch` call costs the page's thread 0.3-0.6 ms in Chromium, and the model's part
/// is 32 modules: loading it, in the idle time after hydration, was one task of 20 ms (80 ms
/// under Lighthouse's 4× CPU slowdown, counted in its Total Blocking Time). Each fetch is
/// started in a task of its own instead (a `MessageChannel` message: no timer clamping),
/// in the same order; `WebAssembly.instantiateStreaming` takes the promise of a response as
/// it took the response's.
fn fetches_in_tasks_of_their_own(loader: &str) -> Result<String> {
    const FETCH: &str = "const src = fetch(new URL(";
    const FETCH_END: &str = ", import.meta.url));";
    const HELPER: &str = "\
// xtask/src/bundle.rs: each module's fetch starts in a task of its own.
const __lakeplanTasks = new MessageChannel();
const __lakeplanQueued = [];
__lakeplanTasks.port1.onmessage = () => __lakeplanQueued.shift()();
function __lakeplanInATask(start) {
    return new Promise((resolve, reject) => {
        __lakeplanQueued.push(() => { try { resolve(start()); } catch (e) { reject(e); } });
        __lakeplanTasks.port2.postMessage(null);
    });
}
";
    let fetches = loader.matches(FETCH).count();
    if fetches == 0 || loader.matches("fetch(").count() != fetches {
        bail!(
            "the split loader fetches its modules in a way this build does not know \
             (wasm_split_cli_support changed?)"
        );
    }
    let mut out = String::with_capacity(loader.len() + HELPER.len() + 40 * fetches);
    out.push_str(HELPER);
    let mut rest = loader;
    while let Some(at) = rest.find(FETCH) {
        let (before, from) = rest.split_at(at);
        let url = &from[FETCH.len()..];
        let end = url
            .find(FETCH_END)
            .ok_or_else(|| anyhow!("the split loader's fetch is not `{FETCH}…{FETCH_END}`"))?;
        out.push_str(before);
        out.push_str("const src = __lakeplanInATask(() => fetch(new URL(");
        out.push_str(&url[..end]);
        out.push_str(", import.meta.url)));");
        rest = &url[end + FETCH_END.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Step 3: the JS glue for the main module (`lakeplan.js`), for ES modules in the browser.
/// The linker's exports are kept and names left mangled: the split parts import the main
/// module's functions by those names.
fn bind(build: &Build, main: &Path) -> Result<()> {
    build.say("the JS glue (wasm-bindgen)");
    let pkg = build.pkg();
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(main)
        .out_name(OUTPUT_NAME)
        .web(true)?
        .keep_lld_exports(true)
        .demangle(false)
        .typescript(false)
        .generate(&pkg)
        .map_err(|e| anyhow!("wasm-bindgen on {}: {e}", main.display()))?;
    // `lakeplan_bg.wasm` is wasm-bindgen's name; the page asks for `lakeplan.wasm`.
    let bound = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    std::fs::rename(&bound, pkg.join(format!("{OUTPUT_NAME}.wasm")))
        .with_context(|| format!("renaming {}", bound.display()))?;
    let glue = pkg.join(format!("{OUTPUT_NAME}.js"));
    let text = std::fs::read_to_string(&glue)?;
    std::fs::write(
        &glue,
        text.replace(
            &format!("'{OUTPUT_NAME}_bg.wasm'"),
            &format!("'{OUTPUT_NAME}.wasm'"),
        ),
    )?;
    Ok(())
}

/// Finds a build tool that `scripts/setup.sh` installs from npm into `scripts/build-tools`
/// (`wasm-opt` of binaryen 116, `terser` 5), or `$WASM_OPT` / `$TERSER`, or one on the
/// `PATH`, whose `--version` says `version`. The version matters: Debian's binaryen 108
/// breaks hydration; npm's 116 gives the same bytes as the one built from source.
fn tool(build: &Build, name: &str, version: &str) -> Result<PathBuf> {
    let var = name.replace('-', "_").to_uppercase();
    let candidates = std::env::var_os(&var)
        .map(PathBuf::from)
        .into_iter()
        .chain([
            build
                .root
                .join("scripts/build-tools/node_modules/.bin")
                .join(name),
            PathBuf::from(name),
        ]);
    for candidate in candidates {
        let Ok(out) = Command::new(&candidate).arg("--version").output() else {
            continue;
        };
        if String::from_utf8_lossy(&out.stdout).contains(version) {
            return Ok(candidate);
        }
    }
    bail!(
        "no {name} ({version}) in ${var}, scripts/build-tools/node_modules/.bin or the PATH: \
         run scripts/setup.sh"
    )
}

/// Step 4: `wasm-opt -Oz` on every module, as many at a time as there are cores.
fn optimise(build: &Build, wasm_opt: &Path) -> Result<()> {
    let mut modules: Vec<PathBuf> = std::fs::read_dir(build.pkg())?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    modules.retain(|p| p.extension().is_some_and(|e| e == "wasm"));
    // The largest first, so the main module's minute overlaps the small ones.
    modules.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).ok()));
    build.say(&format!("wasm-opt -Oz on {} modules", modules.len()));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut running: Vec<(PathBuf, Child)> = Vec::new();
    for module in modules {
        if running.len() >= cores {
            wait(running.remove(0))?;
        }
        // Its warnings (name sections it does not know) are noise on every module; they are
        // shown only when it fails.
        let child = Command::new(wasm_opt)
            .args(WASM_OPT_FLAGS)
            .arg(&module)
            .arg("-o")
            .arg(&module)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", wasm_opt.display()))?;
        running.push((module, child));
    }
    for job in running {
        wait(job)?;
    }
    Ok(())
}

/// Step 4b: the JS glue and the split parts' loader, minified (half the glue's size; 2 KB
/// less to fetch before hydration).
fn minify(build: &Build, terser: &Path) -> Result<()> {
    build.say("minifying the JS (terser)");
    let pkg = build.pkg();
    for js in [format!("{OUTPUT_NAME}.js"), SPLIT_LINK.to_string()] {
        let js = pkg.join(js);
        run::status(
            Command::new(terser)
                .arg(&js)
                .args(["--module", "--compress", "--mangle", "-o"])
                .arg(&js),
        )?;
    }
    Ok(())
}

fn wait((module, child): (PathBuf, Child)) -> Result<()> {
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "wasm-opt failed on {} ({}):\n{}{}",
            module.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fetches_in_tasks_of_their_own;

    /// What `wasm_split_cli_support` 0.2 writes for a chunk (its `fetcher`, web target).
    const CHUNK: &str = r#"const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
"#;

    #[test]
    fn each_fetch_is_started_in_a_task_of_its_own() {
        let loader = format!(
            "import {{ initSync }} from './lakeplan.js';\n{CHUNK}{}",
            CHUNK.replace("chunk_1", "chunk_2")
        );
        let out = fetches_in_tasks_of_their_own(&loader).unwrap();
        for chunk in ["chunk_1", "chunk_2"] {
            let wanted = format!(
                r#"const src = __lakeplanInATask(() => fetch(new URL("./{chunk}.wasm", import.meta.url)));"#
            );
            assert!(out.contains(&wanted), "{out}");
        }
        assert_eq!(out.matches("fetch(").count(), 2);
        assert!(out.contains("function __lakeplanInATask(start)"));
        assert!(out.contains(
            "return async (imports) => (WebAssembly.instantiateStreaming(src, imports));"
        ));
    }

    #[test]
    fn a_loader_of_another_shape_is_refused() {
        assert!(fetches_in_tasks_of_their_own("const a = 1;").is_err());
        let other = CHUNK.replace("const src = fetch(new URL(", "const src = fetch(URL(");
        assert!(fetches_in_tasks_of_their_own(&other).is_err());
        let unclosed = CHUNK.replace(", import.meta.url));", ", base));");
        assert!(fetches_in_tasks_of_their_own(&unclosed).is_err());
    }
}
