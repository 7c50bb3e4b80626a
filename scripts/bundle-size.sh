#!/usr/bin/env bash
# Prints the size of the built browser bundle (after `cargo xtask build --release`):
# raw, gzip -9 and brotli -q 11, and the sizes of the precompressed copies the server
# sends (`.gz`, `.br`, written by the build), for the closing notes and regressions.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css)
((${#files[@]})) || { echo "no bundle: run cargo xtask build --release first" >&2; exit 1; }
printf '%-48s %10s %10s %10s %10s %10s\n' file raw gzip brotli sent.gz sent.br
for f in "${files[@]}"; do
  [[ $f == *.gz || $f == *.br ]] && continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if command -v brotli >/dev/null; then br=$(brotli -c -q 11 "$f" | wc -c); else br="-"; fi
  sent_gz=-; [[ -f $f.gz ]] && sent_gz=$(stat -c %s "$f.gz")
  sent_br=-; [[ -f $f.br ]] && sent_br=$(stat -c %s "$f.br")
  printf '%-48s %10s %10s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br" "$sent_gz" "$sent_br"
done
