#!/usr/bin/env bash
# What each part of the browser bundle weighs: the release wasm (after `cargo xtask build
# --release`) through wasm-bindgen (the CLI `scripts/setup.sh --test` installs) and
# `wasm-opt -Oz -g` (the shipped flags, names kept),
# measured with twiggy (`cargo install twiggy --locked`), each function's bytes put under
# the crate (and, for Lakeplan's crates, the module) its name starts with. Generic view code
# that Leptos instantiates for a page is named after Leptos (tachys, reactive_graph), not
# the page: that line is what the pages' views cost together. Prints raw bytes; the bundle
# as sent is about 30 % of raw with brotli (scripts/bundle-size.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=${WASM:-target/front/wasm32-unknown-unknown/wasm-release/lakeplan_app.wasm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" "$wasm"
scripts/build-tools/node_modules/.bin/wasm-opt -Oz -g "$work/lakeplan_app_bg.wasm" -o "$work/named.wasm"
twiggy top -n 1000000 --format csv "$work/named.wasm" >"$work/top.csv"
python3 - "$work/top.csv" <<'PY'
import collections, csv, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if "function names" not in r["Name"]]
LEPTOS = {"tachys", "reactive_graph", "leptos", "either_of", "any_spawner", "throw_error",
          "send_wrapper", "or_poisoned", "slotmap", "leptos_meta", "leptos_dom"}
STD = {"core", "alloc", "std", "hashbrown", "dlmalloc", "compiler_builtins", "libm"}
def part(name):
    if name.startswith("data segment"):
        return "data: strings and tables"
    crates = re.findall(r"\b([a-z_][a-z_0-9]*)(?:\[[0-9a-f]+\])?::", name)
    for own in ("lakeplan_app", "lakeplan_charts", "lakeplan_models", "lakeplan_api"):
        if own in crates:
            m = re.search(own + r"::([a-z_]+)", name)
            return f"{own}::{m.group(1) if m else '?'}"
    c = crates[0] if crates else "other"
    if c in LEPTOS: return "leptos view code (tachys, reactive_graph)"
    if c in STD: return "core, alloc (formatting, float parsing, collections)"
    if c in ("serde", "serde_core", "serde_json", "itoa", "ryu", "zmij"): return "serde, serde_json"
    if c in ("wasm_bindgen", "js_sys", "web_sys"): return "wasm-bindgen, js-sys, web-sys"
    if c.startswith("plotters"): return "plotters"
    return "other"
by_part = collections.Counter()
for r in rows:
    by_part[part(r["Name"])] += int(r["ShallowSize"])
total = sum(by_part.values())
crates = collections.Counter()
for k, v in by_part.items():
    crates[k.split("::")[0]] += v
print(f"{'bytes':>9} {'share':>6}  part (raw, after wasm-opt -Oz)")
for k, v in crates.most_common():
    print(f"{v:>9} {v / total:6.1%}  {k}")
    if k.startswith("lakeplan_"):
        for m, w in sorted(((m, w) for m, w in by_part.items() if m.startswith(k + "::")), key=lambda x: -x[1])[:8]:
            print(f"{w:>18}  {m}")
print(f"{total:>9} 100.0%  total")
PY
