#!/usr/bin/env bash
# An outside judge: schemathesis (PyPI, pinned) against the OpenAPI document the server
# generates, every check on (settings and their reasons in scripts/schemathesis.toml).
# Starts `lakeplan serve` (the binary given, or target/release/lakeplan) on a free port with
# a throw-away data folder, runs, stops it. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
bin=${1:-target/release/lakeplan}
venv=${SCHEMATHESIS_VENV:-target/schemathesis-venv}
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
# shellcheck source=scripts/throwaway-server.sh
source scripts/throwaway-server.sh "$bin"
# An admin of team default, signed in once, with an API token: the routes behind an
# account are exercised as a member sees them (and, without the token, refused).
password=$(head -c 24 /dev/urandom | base64)
printf '%s\n' "$password" | "$bin" users add schemathesis@example.com --team default \
  --role admin --password-stdin --data-dir "$data" >/dev/null
curl -fs -c "$data/cookies" -H 'content-type: application/json' \
  -d "{\"email\":\"schemathesis@example.com\",\"password\":\"$password\"}" "$base/api/session"
LAKEPLAN_SCHEMATHESIS_TOKEN=$(curl -fs -b "$data/cookies" -H "origin: $base" -H 'content-type: application/json' \
  -d '{"name":"schemathesis"}' "$base/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export LAKEPLAN_SCHEMATHESIS_TOKEN
# One worker: with two, the worker threads' calls into Python 3.11's `ast` (Hypothesis
# describing its strategies) now and then race ("AST constructor recursion depth
# mismatch", a CPython 3.11 bug), a crash of the judge that says nothing of the API.
"$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run \
  "$base/api/openapi.json" --checks all --workers 1 \
  --generation-deterministic --no-color
