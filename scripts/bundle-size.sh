#!/usr/bin/env bash
# Prints the size of the built browser bundle (after `cargo leptos build --release`):
# raw, gzip -9 and brotli (what the server sends), for the closing notes and regressions.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css)
((${#files[@]})) || { echo "no bundle: run cargo leptos build --release first" >&2; exit 1; }
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
for f in "${files[@]}"; do
  [[ $f == *.gz || $f == *.br ]] && continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if command -v brotli >/dev/null; then br=$(brotli -c -q 11 "$f" | wc -c); else br="-"; fi
  printf '%-48s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
