#!/usr/bin/env bash
# Every test Lakeplan has, in the order that fails fastest: formatting, lints, unit and
# integration tests, the wasm build of the model, then the release bundle in headless
# Chromium. Installs what is missing first. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# A one-off build gains nothing from incremental caches, which would double target/.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Each step says how long the run has taken so far, so slow stages show in CI logs.
step() { printf '\n\033[1m==> [%dm%02ds] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (browser bundle, wasm32)"
cargo clippy -p lakeplan-app --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings

step "unit and integration tests"
cargo test --workspace --locked

step "the model and the charts build for wasm32"
cargo build -p lakeplan-models -p lakeplan-charts --target wasm32-unknown-unknown --locked

step "the Monte Carlo gives the server's figures in wasm32 (Node.js)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p lakeplan-models --target wasm32-unknown-unknown --test wasm --locked

step "release build (wasm bundle + server: cargo xtask build)"
cargo xtask build --release --locked

step "schemathesis against the generated OpenAPI document (every check)"
scripts/schemathesis.sh target/release/lakeplan

step "end-to-end tests in headless Chromium"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd end2end && LAKEPLAN_E2E_PORT=$port npx playwright test)

step "Lighthouse on the planner (scores printed; performance, median of five, against issue 16's 95 and a floor of 85; accessibility and best practices 100)"
scripts/lighthouse.sh target/release/lakeplan

step "all tests passed"
