#!/usr/bin/env bash
# Installs what is missing, builds the release bundle and server, and serves the planner
# on http://127.0.0.1:3000 (override with --addr or LAKEPLAN_ADDR). Extra arguments go to
# `lakeplan serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo xtask build --release --locked
exec target/release/lakeplan serve "$@"
