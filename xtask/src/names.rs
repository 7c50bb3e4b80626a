//! Content names for the bundle's files, so the server can let browsers keep them for a
//! year (`Cache-Control: immutable`) and a new build is never mixed with an old one.
//!
//! Every file of the bundle (the glue, the main module, the split parts, the shared chunks,
//! the splitter's loader and manifest) gets one name, the build's: a digest of all of them
//! together. Per-file digests, as cargo-leptos gives, cannot be consistent here: the loader
//! names the chunks and the chunks name the loader, so renaming one changes the other's
//! content after its digest was taken, and a chunk could keep its name with new content.
//! With one build name every reference is known before anything is written. The style
//! sheet refers to nothing and is named by its own content.
//!
//! The names go to `hash.txt` beside the server's binary (`js: …`, `wasm: …`, `css: …`),
//! which the server and Leptos's `HashedStylesheet` read.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::bundle::{OUTPUT_NAME, SPLIT_LINK};

/// A name's length: 16 bytes of SHA-256 in unpadded base64url, as long as the placeholder
/// in [`SPLIT_LINK`], so the loader's name is rewritten in place inside the wasm modules.
pub const BUILD_ID_LEN: usize = 22;

/// Which modules each lazily loaded part needs (written by `bundle::split`).
pub const MANIFEST: &str = "__wasm_split_manifest.json";

/// The file beside the server's binary that lists the names (Leptos's `hash_file`).
pub const HASH_FILE: &str = "hash.txt";

/// Names every file in `pkg` by content, rewrites the references between them and writes
/// [`HASH_FILE`] into `server_dir`, with whether the bundle's views are erased (the server
/// refuses a bundle built the other way: its markers would not be the ones it renders).
pub fn apply(pkg: &Path, server_dir: &Path, erased: bool) -> Result<()> {
    let css_name = format!("{OUTPUT_NAME}.css");
    let mut bundle = BTreeMap::new();
    let mut css = None;
    for entry in std::fs::read_dir(pkg).with_context(|| format!("reading {}", pkg.display()))? {
        let path = entry?.path();
        if !path.is_file() {
            continue; // wasm-bindgen's `snippets/` keep their names: the glue imports them
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("{} is not a UTF-8 name", path.display()))?
            .to_string();
        let content = std::fs::read(&path)?;
        if name == css_name {
            css = Some(content);
        } else {
            bundle.insert(name, content);
        }
    }
    let Some(css) = css else {
        bail!("no {css_name} in {}", pkg.display());
    };
    let named = name_bundle(&bundle)?;
    for (old, (new, content)) in &named {
        std::fs::write(pkg.join(new), content)?;
        std::fs::remove_file(pkg.join(old))?;
    }
    let css_id = digest([(css_name.as_str(), css.as_slice())]);
    std::fs::rename(
        pkg.join(&css_name),
        pkg.join(format!("{OUTPUT_NAME}.{css_id}.css")),
    )?;
    let build_id = named
        .get(&format!("{OUTPUT_NAME}.js"))
        .and_then(|(new, _)| new.split('.').nth(1))
        .context("the bundle has no glue to name")?;
    std::fs::create_dir_all(server_dir)?;
    std::fs::write(
        server_dir.join(HASH_FILE),
        format!("js: {build_id}\nwasm: {build_id}\ncss: {css_id}\nmanifest: {build_id}\nsplit: {build_id}\nerase_components: {erased}\n"),
    )?;
    Ok(())
}

/// The new name and content of each of the bundle's files (old name → (new name, bytes)).
pub fn name_bundle(
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, (String, Vec<u8>)>> {
    let id = digest(files.iter().map(|(n, c)| (n.as_str(), c.as_slice())));
    let renames: Vec<(String, String)> = files
        .keys()
        .map(|old| (old.clone(), named(old, &id)))
        .collect();
    let link = named(SPLIT_LINK, &id);
    let mut out = BTreeMap::new();
    for (old, content) in files {
        let new_content = if old.ends_with(".js") {
            rewrite(
                &String::from_utf8(content.clone())
                    .with_context(|| format!("{old} is not UTF-8"))?,
                &renames,
            )
            .into_bytes()
        } else if old.ends_with(".wasm") {
            replace_bytes(content, SPLIT_LINK.as_bytes(), link.as_bytes())
        } else if old == MANIFEST {
            rewrite_manifest(content, &renames)?
        } else {
            content.clone()
        };
        out.insert(old.clone(), (named(old, &id), new_content));
    }
    Ok(out)
}

/// The digest of named contents: 16 bytes of SHA-256 over each name and content, with
/// their lengths so no two sets of files run together into the same bytes.
fn digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut hash = Sha256::new();
    for (name, content) in files {
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update((content.len() as u64).to_le_bytes());
        hash.update(content);
    }
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash.finalize()[..16]);
    debug_assert_eq!(id.len(), BUILD_ID_LEN);
    id
}

/// `stem.ext` → `stem.ID.ext`; the loader's placeholder is replaced by the id itself.
fn named(file: &str, id: &str) -> String {
    if file == SPLIT_LINK {
        return file.replace(&"_".repeat(BUILD_ID_LEN), id);
    }
    match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{id}.{ext}"),
        None => format!("{file}.{id}"),
    }
}

/// Replaces each reference to an old name in JS by the new one. A reference is the whole
/// file name inside a string: after a quote or a `/` (`"./chunk_1.wasm"`) and before a
/// quote, so `chunk_1.wasm` never matches inside `chunk_11.wasm` or `xchunk_1.wasm`.
pub fn rewrite(text: &str, renames: &[(String, String)]) -> String {
    let mut text = text.to_string();
    for (old, new) in renames {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(old.as_str()) {
            let before = rest[..at].chars().last().or_else(|| out.chars().last());
            let after = rest[at + old.len()..].chars().next();
            let quoted = matches!(before, Some('"' | '\'' | '`' | '/'))
                && matches!(after, Some('"' | '\'' | '`'));
            out.push_str(&rest[..at]);
            out.push_str(if quoted { new } else { old });
            rest = &rest[at + old.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// The manifest names modules by stem (`"chunk_8"`): each becomes the new stem.
fn rewrite_manifest(content: &[u8], renames: &[(String, String)]) -> Result<Vec<u8>> {
    let stems: BTreeMap<&str, &str> = renames
        .iter()
        .filter_map(|(old, new)| Some((old.strip_suffix(".wasm")?, new.strip_suffix(".wasm")?)))
        .collect();
    let mut manifest: BTreeMap<String, Vec<String>> =
        serde_json::from_slice(content).context("reading the split manifest")?;
    for modules in manifest.values_mut() {
        for module in modules {
            match stems.get(module.as_str()) {
                Some(new) => *module = (*new).to_string(),
                None => bail!("the split manifest names {module}, which the bundle lacks"),
            }
        }
    }
    Ok(serde_json::to_vec(&manifest)?)
}

/// Every occurrence of `from` in `bytes` replaced by `to`, of the same length.
fn replace_bytes(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(
        from.len(),
        to.len(),
        "an in-place name must keep its length"
    );
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if out[i..].starts_with(from) {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A bundle shaped like the real one: the glue imports the loader, the loader imports
    /// the glue and fetches the chunks, a chunk imports the loader by name.
    fn bundle() -> BTreeMap<String, Vec<u8>> {
        let mut b = BTreeMap::new();
        b.insert(
            "lakeplan.js".into(),
            format!("import * as s from './{SPLIT_LINK}';\nnew URL('lakeplan.wasm', import.meta.url);\n").into_bytes(),
        );
        b.insert(
            SPLIT_LINK.into(),
            b"import { initSync } from \"./lakeplan.js\";\nfetch(new URL(\"./chunk_1.wasm\", import.meta.url));\nfetch(new URL(\"./chunk_11.wasm\", import.meta.url));\n// chunk_1.wasm in a comment\n".to_vec(),
        );
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend_from_slice(format!("./{SPLIT_LINK}").as_bytes());
        b.insert("lakeplan.wasm".into(), wasm.clone());
        b.insert("chunk_1.wasm".into(), wasm.clone());
        b.insert("chunk_11.wasm".into(), b"\0asm\x01\0\0\0".to_vec());
        b.insert("split_part.wasm".into(), wasm);
        b.insert(
            MANIFEST.into(),
            br#"{"part":["chunk_1","chunk_11","split_part"]}"#.to_vec(),
        );
        b
    }

    fn text(named: &BTreeMap<String, (String, Vec<u8>)>, old: &str) -> String {
        String::from_utf8_lossy(&named[old].1).into_owned()
    }

    #[test]
    fn every_file_gets_the_build_name_and_every_reference_follows() {
        let named = name_bundle(&bundle()).unwrap();
        let id = named["lakeplan.js"]
            .0
            .split('.')
            .nth(1)
            .unwrap()
            .to_string();
        assert_eq!(id.len(), BUILD_ID_LEN);
        assert_eq!(named["chunk_11.wasm"].0, format!("chunk_11.{id}.wasm"));
        assert_eq!(named[SPLIT_LINK].0, format!("__wasm_split.{id}.js"));
        assert_eq!(
            named[MANIFEST].0,
            format!("__wasm_split_manifest.{id}.json")
        );

        let glue = text(&named, "lakeplan.js");
        assert!(
            glue.contains(&format!("'./__wasm_split.{id}.js'")),
            "{glue}"
        );
        assert!(glue.contains(&format!("'lakeplan.{id}.wasm'")), "{glue}");
        let loader = text(&named, SPLIT_LINK);
        assert!(
            loader.contains(&format!("\"./lakeplan.{id}.js\"")),
            "{loader}"
        );
        assert!(
            loader.contains(&format!("\"./chunk_1.{id}.wasm\"")),
            "{loader}"
        );
        assert!(
            loader.contains(&format!("\"./chunk_11.{id}.wasm\"")),
            "{loader}"
        );
        // Not a reference: left as written.
        assert!(loader.contains("// chunk_1.wasm in a comment"), "{loader}");
        for wasm in ["lakeplan.wasm", "chunk_1.wasm", "split_part.wasm"] {
            let t = text(&named, wasm);
            assert!(
                t.ends_with(&format!("./__wasm_split.{id}.js")),
                "{wasm}: {t}"
            );
        }
        assert_eq!(
            text(&named, MANIFEST),
            format!(r#"{{"part":["chunk_1.{id}","chunk_11.{id}","split_part.{id}"]}}"#)
        );
        // No placeholder survives anywhere.
        for (_, content) in named.values() {
            assert!(!String::from_utf8_lossy(content).contains("______________________"));
        }
    }

    #[test]
    fn the_name_follows_the_content_of_any_file() {
        let a = name_bundle(&bundle()).unwrap();
        assert_eq!(
            a,
            name_bundle(&bundle()).unwrap(),
            "the same build, the same names"
        );
        let mut changed = bundle();
        changed.get_mut("chunk_11.wasm").unwrap().push(0);
        let b = name_bundle(&changed).unwrap();
        for old in a.keys() {
            assert_ne!(
                a[old].0, b[old].0,
                "{old} kept its name with a chunk changed"
            );
        }
    }

    #[test]
    fn a_manifest_naming_a_missing_module_is_an_error() {
        let mut b = bundle();
        b.insert(MANIFEST.into(), br#"{"part":["chunk_7"]}"#.to_vec());
        let e = name_bundle(&b).unwrap_err().to_string();
        assert!(e.contains("chunk_7"), "{e}");
    }

    #[test]
    fn apply_renames_the_files_and_writes_the_hash_file() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        for (name, content) in bundle() {
            std::fs::write(pkg.join(name), content).unwrap();
        }
        std::fs::write(pkg.join("lakeplan.css"), "body{}").unwrap();
        let server = dir.path().join("release");
        apply(&pkg, &server, true).unwrap();

        let hashes = std::fs::read_to_string(server.join(HASH_FILE)).unwrap();
        let id_of = |kind: &str| {
            hashes
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{kind}: ")))
                .unwrap()
                .to_string()
        };
        let (id, css) = (id_of("js"), id_of("css"));
        assert_eq!(id_of("wasm"), id);
        assert_ne!(css, id);
        assert_eq!(id_of("erase_components"), "true");
        let mut names: Vec<String> = std::fs::read_dir(&pkg)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut want: Vec<String> = [
            format!("__wasm_split.{id}.js"),
            format!("__wasm_split_manifest.{id}.json"),
            format!("chunk_1.{id}.wasm"),
            format!("chunk_11.{id}.wasm"),
            format!("lakeplan.{css}.css"),
            format!("lakeplan.{id}.js"),
            format!("lakeplan.{id}.wasm"),
            format!("split_part.{id}.wasm"),
        ]
        .into();
        want.sort();
        assert_eq!(names, want);
    }

    #[test]
    fn rewrite_matches_whole_quoted_names_only() {
        let r = [("a.js".to_string(), "a.X.js".to_string())];
        assert_eq!(
            rewrite(r#"import "./a.js"; 'a.js' `a.js`"#, &r),
            r#"import "./a.X.js"; 'a.X.js' `a.X.js`"#
        );
        assert_eq!(
            rewrite(r#""ba.js" "./a.jsx" a.js"#, &r),
            r#""ba.js" "./a.jsx" a.js"#
        );
    }
}
