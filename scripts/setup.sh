#!/usr/bin/env bash
# Installs what building and testing Lakeplan needs and is missing, from crates.io, rustup,
# Debian and npm only (nothing else is reachable on the build machines), at pinned versions.
# Idempotent: a second run checks versions and installs nothing.
#
#   scripts/setup.sh          tools to build and run the app
#   scripts/setup.sh --test   also Chromium, ChromeDriver, poppler, the e2e packages and the
#                             OpenID Connect test provider's packages
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests' wasm runner (wasm-bindgen-test-runner, in wasm-bindgen-cli) must equal the
# wasm-bindgen library in Cargo.lock. The build itself needs no CLI: `cargo xtask build`
# links wasm-bindgen's library at the locked version.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"
apt_install() {
  say "installing $* from Debian"
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# Node.js runs wasm-opt (below), the end-to-end tests and the OIDC test provider (machines
# have it already; Debian's if not: oidc-provider 8 supports Node.js 18 and later).
command -v npm >/dev/null || apt_install nodejs npm

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The build's npm tools (scripts/build-tools): wasm-opt from binaryen 116 (npm's build of it
# gives the same bytes as one compiled from source, in seconds instead of minutes; Debian's
# binaryen 108 breaks hydration) and terser. `npm ci` reinstalls from scratch, so it runs
# only when a pinned version is missing.
if ! node -e '
  const dir = "./scripts/build-tools";
  for (const [name, version] of Object.entries(require(dir + "/package.json").dependencies))
    if (require(dir + "/node_modules/" + name + "/package.json").version !== version) process.exit(1);
' 2>/dev/null; then
  say "installing the build's npm tools (binaryen's wasm-opt, terser: npm ci)"
  npm ci --prefix scripts/build-tools --no-audit --no-fund
fi

if [[ "${1:-}" == "--test" ]]; then
  # The wasm32 tests run under wasm-bindgen-test-runner (Node.js).
  if ! wasm-bindgen-test-runner --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION for its test runner (about 2 minutes)"
    # Not --locked: the CLI's own lock file pins crates that no longer build on this toolchain.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  # The PDF tests read proposals back with pdftotext, pdfinfo and pdftoppm.
  { command -v pdftoppm && command -v pdftotext && command -v pdfinfo; } >/dev/null \
    || missing+=(poppler-utils)
  # The store's contract tests and the server's several-servers tests start throw-away
  # PostgreSQL clusters (initdb, pg_ctl) from Debian's package (spec DEPLOY.md).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
  if [[ ! -d end2end/node_modules/@playwright/test || ! -d end2end/node_modules/@axe-core/playwright || ! -d end2end/node_modules/lighthouse ]]; then
    say "installing the end-to-end test packages (npm ci)"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  # The server's OIDC tests sign in against oidc-provider (scripts/oidc-provider/) in Node.js.
  # npm ci reinstalls from scratch, so it runs only when the pinned version is not there.
  oidc_wanted=$(node -p "require('./scripts/oidc-provider/package.json').dependencies['oidc-provider']")
  oidc_have=$(node -p "require('./scripts/oidc-provider/node_modules/oidc-provider/package.json').version" 2>/dev/null || true)
  if [[ "$oidc_have" != "$oidc_wanted" ]]; then
    say "installing the OpenID Connect test provider (oidc-provider $oidc_wanted, npm ci)"
    npm ci --prefix scripts/oidc-provider --no-audit --no-fund
  fi
fi
