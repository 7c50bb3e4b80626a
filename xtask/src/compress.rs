//! Brotli and gzip copies beside every file of the site, which the server sends as they
//! are (`tower-http`'s `precompressed_br`/`precompressed_gzip`) instead of compressing
//! each response: brotli at its best quality (11, a 4 MiB window) is too slow to run per
//! request, and it is what a browser that takes brotli downloads.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `F.br` and `F.gz` beside each file `F` under `root`.
pub fn site(root: &Path) -> Result<()> {
    for entry in std::fs::read_dir(root).with_context(|| format!("reading {}", root.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            site(&path)?;
            continue;
        }
        let raw = std::fs::read(&path)?;
        std::fs::write(suffixed(&path, "br"), brotli(&raw)?)?;
        std::fs::write(suffixed(&path, "gz"), gzip(&raw)?)?;
    }
    Ok(())
}

fn suffixed(path: &Path, ext: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    name.into()
}

/// Brotli at quality 11 with a 4 MiB window (`lgwin` 22), what `brotli -q 11` gives.
pub fn brotli(raw: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

/// gzip at its best level, for browsers that do not take brotli.
pub fn gzip(raw: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw)?;
    Ok(encoder.finish()?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_copies_give_the_file_back() {
        let raw: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(&raw).unwrap()[..], &mut back).unwrap();
        assert_eq!(back, raw);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gzip(&raw).unwrap()[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, raw);
    }

    #[test]
    fn every_file_gets_both_copies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        std::fs::write(dir.path().join("pkg/a.js"), "let a = 1;").unwrap();
        site(dir.path()).unwrap();
        for f in ["favicon.svg", "pkg/a.js"] {
            assert!(dir.path().join(format!("{f}.br")).is_file(), "{f}.br");
            assert!(dir.path().join(format!("{f}.gz")).is_file(), "{f}.gz");
        }
    }
}
