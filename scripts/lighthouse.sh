#!/usr/bin/env bash
# An outside judge: Lighthouse (npm, pinned in end2end/package.json) on the planner, its
# default mobile profile with simulated throttling, driving Debian's Chromium. Starts
# `lakeplan serve` (the binary given, or target/release/lakeplan) on a free port with a
# throw-away data folder, prints the scores, stops it.
#
# Accessibility and best practices must score 100 on every run (a finding is a bug).
# Performance must be at least 95 (issue 16), judged on the median of three runs as
# Lighthouse CI does: one run's score moves by a few points with the machine's load
# (measured 96-98 on one quiet machine).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/lakeplan}
runs=${LIGHTHOUSE_RUNS:-3}
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
# shellcheck source=scripts/throwaway-server.sh
source scripts/throwaway-server.sh "$bin"
for i in $(seq 1 "$runs"); do
  CHROME_PATH="$chromium" end2end/node_modules/.bin/lighthouse "$base/" \
    --quiet --output=json --output-path="$data/report-$i.json" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run --user-data-dir=$data/chrome-$i"
done
node - "$data"/report-*.json <<'JS'
const reports = process.argv.slice(2).map((f) => require(f));
const score = (r, c) => Math.round(r.categories[c].score * 100);
const audit = (r, a) => r.audits[a].displayValue ?? "";
reports.forEach((r, i) => {
  console.log(`Lighthouse run ${i + 1} (mobile, simulated throttling): performance ${score(r, "performance")}, accessibility ${score(r, "accessibility")}, best practices ${score(r, "best-practices")}`);
  console.log(`  FCP ${audit(r, "first-contentful-paint")}, LCP ${audit(r, "largest-contentful-paint")}, TBT ${audit(r, "total-blocking-time")}, CLS ${audit(r, "cumulative-layout-shift")}, SI ${audit(r, "speed-index")}`);
  const failing = Object.values(r.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
  for (const c of ["accessibility", "best-practices"]) {
    if (score(r, c) < 100) {
      const ids = new Set(r.categories[c].auditRefs.map((ref) => ref.id));
      for (const a of failing.filter((a) => ids.has(a.id))) console.log(`  ${c}: ${a.id}: ${a.title}`);
      process.exitCode = 1;
    }
  }
});
const perf = reports.map((r) => score(r, "performance")).sort((a, b) => a - b);
const median = perf[Math.floor(perf.length / 2)];
console.log(`Lighthouse performance, median of ${perf.length}: ${median} (budget 95)`);
if (median < 95) process.exitCode = 1;
JS
