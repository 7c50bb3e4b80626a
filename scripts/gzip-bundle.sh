#!/usr/bin/env bash
# Rewrites the gzip copies that `cargo leptos build --precompress` leaves beside the bundle
# (target/site/pkg/*.gz) with `gzip -9`. cargo-leptos writes them with libflate, whose
# output for the wasm is about 14 % larger; the server sends these files as they are to
# browsers that take gzip but not brotli. Its brotli copies are already at quality 11.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for gz in target/site/pkg/*.gz; do
  src=${gz%.gz}
  [[ -f $src ]] || continue
  gzip -9 -n -c "$src" > "$gz.tmp"
  mv "$gz.tmp" "$gz"
done
