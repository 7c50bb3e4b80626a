#!/usr/bin/env bash
# An outside judge: Lighthouse (npm, pinned in end2end/package.json) on the planner, its
# default mobile profile with simulated throttling, driving Debian's Chromium. Starts
# `lakeplan serve` (the binary given, or target/release/lakeplan) on a free port with a
# throw-away data folder, prints the scores, stops it.
#
# Accessibility and best practices must score 100 on every run (a finding is a bug).
# Performance is judged on the median of five runs, as Lighthouse CI does: one run's score
# moves by several points with the machine's load. Issue 16 asks 95; the log says whether
# the median meets it. It did on one quiet 2-core machine (96-98) and not on the 2-core
# machines CI drew (84-94, median 88: Total Blocking Time 280-560 ms) while the model's 32
# modules were fetched in one task after hydration; since each fetch has a task of its own
# (xtask/src/bundle.rs) and hydration no longer sets the title, 94-99 here (median 97, TBT
# 140-300 ms: the hydrating task and the first layout of the page). The speed of the
# machines CI draws moves by a third within minutes, so this fails under 85, a floor that a
# clearly slower first load crosses.
#
# The CPU slowdown follows the host, as Lighthouse's documentation asks: 4 (the default)
# on a host whose BenchmarkIndex is at least 1500, proportionally less on a slower one,
# measured in the same Chromium right before each run (end2end/machine.mjs says why). Each
# run prints the index and the multiplier used, and Lighthouse's own index of that run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/lakeplan}
runs=${LIGHTHOUSE_RUNS:-5}
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
# shellcheck source=scripts/throwaway-server.sh
source scripts/throwaway-server.sh "$bin"
for i in $(seq 1 "$runs"); do
  machine=$(cd end2end && CHROMIUM_PATH="$chromium" node machine.mjs)
  multiplier=$(node -e 'console.log(JSON.parse(process.argv[1]).cpu_slowdown_multiplier)' "$machine")
  echo "$machine" > "$data/machine-$i.json"
  CHROME_PATH="$chromium" end2end/node_modules/.bin/lighthouse "$base/" \
    --quiet --output=json --output-path="$data/report-$i.json" \
    --throttling.cpuSlowdownMultiplier="$multiplier" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run --user-data-dir=$data/chrome-$i"
done
node - "$data" "$runs" <<'JS'
const [data, runs] = process.argv.slice(2);
const reports = [];
const machines = [];
for (let i = 1; i <= Number(runs); i++) {
  reports.push(require(`${data}/report-${i}.json`));
  machines.push(require(`${data}/machine-${i}.json`));
}
const score = (r, c) => Math.round(r.categories[c].score * 100);
const audit = (r, a) => r.audits[a].displayValue ?? "";
reports.forEach((r, i) => {
  console.log(`Lighthouse run ${i + 1} (mobile, simulated throttling): performance ${score(r, "performance")}, accessibility ${score(r, "accessibility")}, best practices ${score(r, "best-practices")}`);
  const m = machines[i];
  console.log(`  host BenchmarkIndex ${m.benchmark_index} (Lighthouse's own in the run: ${r.environment.benchmarkIndex}), CPU slowdown ${r.configSettings.throttling.cpuSlowdownMultiplier}×`);
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
const aim = 95;
const floor = 85;
console.log(`Lighthouse performance, median of ${perf.length}: ${median} (issue 16 asks ${aim}: ${median >= aim ? "met" : "not met"}; fails under ${floor})`);
if (median < floor) process.exitCode = 1;
JS
