import type { Page } from "@playwright/test";
import { test, expect, openHydrated, expectConsoleError } from "./fixtures";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

test("the what-ifs answer in sentences, with tornados and plans", async ({ planner: page }) => {
  await openHydrated(page);
  await expect(page.locator(".whatif-answers")).toBeHidden();
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  // Goal-seek: the ports that keep every month feasible and the highest change rate carried.
  await expect(page.locator('[data-metric="goal_seek.ports_needed_every_month"]').first()).toContainText("ports");
  await expect(page.locator('[data-metric="goal_seek.max_change"]')).toContainText("% per day");
  await expect(page.locator('[data-chart="tornado-total_cost_usd"] svg')).toHaveCount(1);
  await expect(page.locator('[data-chart="tornado-peak_gbps"] svg')).toHaveCount(1);
  await expect(page.locator("table.plans tbody tr")).not.toHaveCount(0);
  await expect(page.locator("table.plans")).toContainText("(this plan)");
  // A wider swing moves the tornado's figures.
  const swing = page.locator("table.tornado-peak_gbps td[data-metric=swing]").first();
  const at20 = Number(await swing.getAttribute("data-value"));
  await page.locator('select[name="whatif.percent"]').selectOption("50");
  await expect.poll(async () => Number(await swing.getAttribute("data-value"))).toBeGreaterThan(at20);
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export the plan comparison (CSV)" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/licence-plans\.csv$/);
  const text = Buffer.concat(await (await csv.createReadStream()).toArray()).toString();
  expect(text).toContain("capacity-only");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator(".whatif").screenshot({ path: "test-results/whatif.png" });
});

/** One Monte Carlo run, timed in the page: from the click to the answer on screen, with
 * the longest the page's thread went without answering a message (a ping every
 * millisecond) and the progress reports seen. */
async function runInPage(page: Page) {
  return page.evaluate(async () => {
    const button = document.querySelector('button[name="mc.run"]') as HTMLButtonElement;
    const bar = document.querySelector("progress.mc-progress") as HTMLProgressElement;
    const progress: number[] = [];
    const seen = new MutationObserver(() => progress.push(Number(bar.value)));
    seen.observe(bar, { attributes: true, attributeFilter: ["value"] });
    const channel = new MessageChannel();
    let last = performance.now();
    let longest = 0;
    let pinging = true;
    channel.port1.onmessage = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (pinging) setTimeout(() => channel.port2.postMessage(0), 1);
    };
    channel.port2.postMessage(0);
    const t0 = performance.now();
    button.click();
    await new Promise<void>((resolve) => {
      const done = new MutationObserver(() => {
        if (!button.disabled) {
          done.disconnect();
          resolve();
        }
      });
      done.observe(button, { attributes: true });
    });
    const ms = performance.now() - t0;
    pinging = false;
    seen.disconnect();
    const answer = document.querySelector('[data-metric="mc_trials"]')!;
    return { ms, longest, progress, trials: answer.getAttribute("data-value"), digest: answer.getAttribute("data-digest") };
  });
}

test("the Monte Carlo runs in a worker, within its time, to the native run's bits", async ({ planner: page }) => {
  await openHydrated(page);
  await page.locator('[name="horizon_months"]').fill("60");
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator("table.ranges tbody tr")).toHaveCount(5);
  // Opened, the view warms its worker up with a run of its own, whose answer the page drops
  // (app/src/whatif.rs, WARM_UP_TRIALS), while the user reads the ranges: nothing of it
  // shows, and the first run the user asks for is as fast as the next ones.
  await page.waitForTimeout(1500);
  await expect(page.locator('[data-metric="mc_trials"]')).toHaveCount(0);
  await expect(page.locator('button[name="mc.stop"]')).toBeDisabled();
  const first = await runInPage(page);
  // The same run natively (app/src/whatif.rs, the_browsers_default_run_has_the_native_digest).
  const native = readFileSync("fixtures/monte-carlo-digest.txt", "utf8").trim();
  expect(first.trials).toBe("10000");
  expect(first.digest).toBe(native);
  expect(first.progress.length, "progress reports").toBeGreaterThan(5);
  await expect(page.locator('[data-chart="fan-peak_gbps"] svg')).toHaveCount(1);
  await expect(page.locator(".mc-result")).toContainText(/10\s?000 trials with seed 1/);
  const runs = [first];
  for (let i = 0; i < 4; i++) runs.push(await runInPage(page));
  for (const r of runs) expect(r.digest).toBe(native);
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const longest = Math.max(...runs.map((r) => r.longest));
  mkdirSync("test-results", { recursive: true });
  writeFileSync(
    "test-results/monte-carlo.json",
    JSON.stringify({ trials: 10000, months: 60, first_ms: first.ms, runs_ms: sorted, median_ms: median, main_thread_longest_gap_ms: longest }, null, 2),
  );
  console.log(`Monte Carlo 10 000 × 60 in the worker: first ${first.ms.toFixed(0)} ms, of five runs fastest ${sorted[0].toFixed(0)} ms, median ${median.toFixed(0)} ms (issue 16 aims at 100 ms); the page's thread answered within ${longest.toFixed(1)} ms throughout`);
  // Issue 16 aims at 100 ms: measured 83-93 ms fastest, 84-120 median on this 2-core
  // machine (139 and 140 before the trial's arithmetic was made lean for WebAssembly), 90
  // fastest and 93 median on the last CI machine; the first run 232-336 ms before the
  // warm-up, 97-135 after it. The machines CI draws move by a third within minutes: the
  // guards are twice the aim, on the fastest of five runs (bursts of load do not move it,
  // a slower run slows every one) and on the first (the warm-up has done its work); that
  // the page's thread is never held is asserted below.
  expect(sorted[0], "ms for 10 000 trials × 60 months, the fastest of five runs").toBeLessThan(200);
  expect(first.ms, "ms for the first run, after the warm-up").toBeLessThan(300);
  // The page's thread is never held: the worker does the trials, the page only shows them.
  expect(longest, "ms the page's thread went without answering").toBeLessThan(50);
  // Another seed, other draws.
  await page.locator('input[name="mc.seed"]').fill("7");
  await page.locator('input[name="mc.seed"]').blur();
  const other = await runInPage(page);
  expect(other.digest).not.toBe(native);
  await expect(page.locator('[data-metric="mc_trials"]')).toHaveAttribute("data-seed", "7");
  // A bad range is named, and nothing runs.
  await page.locator('input[name="mc.change.value.0"]').fill("ten");
  await page.locator('input[name="mc.change.value.0"]').blur();
  await page.locator('button[name="mc.run"]').click();
  await expect(page.locator(".mc-result")).toContainText("Daily change (min)");
});

/** Starts a run of 100 000 trials and stops it while it is under way. */
async function startAndStop(page: Page) {
  await page.locator('input[name="mc.trials"]').fill("100000");
  await page.locator('input[name="mc.trials"]').blur();
  const run = page.locator('button[name="mc.run"]');
  const stop = page.locator('button[name="mc.stop"]');
  await run.click();
  await expect(stop).toBeEnabled();
  await stop.click();
  await expect(run).toBeEnabled();
  return { run, stop };
}

test("a run can be stopped, and one whose scenario changes starts again", async ({ planner: page }) => {
  await openHydrated(page);
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator("table.ranges tbody tr")).toHaveCount(5);
  const { run, stop } = await startAndStop(page);
  await expect(page.locator('[data-metric="mc_trials"]')).toHaveCount(0);
  // Changed under a run: the run ends, starts again on the new scenario and finishes with
  // its figures (the same bits as a run made on it afresh).
  await run.click();
  await expect(stop).toBeEnabled();
  await page.locator('[name="lake.initial_pb"]').fill("300");
  const answer = page.locator('[data-metric="mc_trials"]');
  await expect(answer).toHaveAttribute("data-value", "100000", { timeout: 30_000 });
  const restarted = await answer.getAttribute("data-digest");
  await run.click();
  await expect(run).toBeDisabled();
  await expect(run).toBeEnabled({ timeout: 30_000 });
  expect(await answer.getAttribute("data-digest")).toBe(restarted);
  // And it is not the old scenario's run.
  await page.locator('[name="lake.initial_pb"]').fill("450");
  await run.click();
  await expect(run).toBeDisabled();
  await expect(run).toBeEnabled({ timeout: 30_000 });
  expect(await answer.getAttribute("data-digest")).not.toBe(restarted);
});

test("on a machine with more cores a run is split between workers, to the same bits", async ({ planner: page }) => {
  // A machine of five cores: four workers, one core left to the page (app/src/worker.rs).
  await page.addInitScript(() => Object.defineProperty(navigator, "hardwareConcurrency", { get: () => 5 }));
  await openHydrated(page);
  await page.locator('[name="horizon_months"]').fill("60");
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator("table.ranges tbody tr")).toHaveCount(5);
  await expect.poll(() => page.workers().length).toBe(4);
  // The run the single worker makes elsewhere, and its native digest, whichever way it is
  // split; then again, so a run after a split one is not mixed with its leftovers.
  const native = readFileSync("fixtures/monte-carlo-digest.txt", "utf8").trim();
  for (let i = 0; i < 2; i++) {
    const r = await runInPage(page);
    expect(r.trials).toBe("10000");
    expect(r.digest).toBe(native);
    // Progress is the share of every part together, never going back (the bar empties
    // once the answer is in).
    const shares = r.progress.filter((v) => v > 0);
    expect(shares.length).toBeGreaterThan(3);
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
  }
  // Stopped while the parts run, and run again: the same answer.
  await startAndStop(page);
  // Nothing of the stopped run shows, also after the time it would have taken (100 000
  // trials: about 2 s here): the last answer is the finished one before it.
  await page.waitForTimeout(2500);
  expect(await page.locator('[data-metric="mc_trials"]').getAttribute("data-value")).toBe("10000");
  await page.locator('input[name="mc.trials"]').fill("10000");
  await page.locator('input[name="mc.trials"]').blur();
  expect((await runInPage(page)).digest).toBe(native);
});

test("ranges can move together and ask for more percentiles", async ({ planner: page }) => {
  await openHydrated(page);
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator("table.ranges tbody tr")).toHaveCount(5);
  await page.locator('input[name="mc.trials"]').fill("2000");
  await page.locator('input[name="mc.corr.rank"]').fill("0.6");
  await page.locator('input[name="mc.percentiles"]').fill("5, 95");
  await page.locator('input[name="mc.percentiles"]').blur();
  await page.locator('button[name="mc.run"]').click();
  await expect(page.locator('[data-metric="mc_trials"]')).toHaveAttribute("data-value", "2000");
  await expect(page.locator('[data-metric="peak_gbps.p95"]').first()).toBeVisible();
  await expect(page.locator(".mc-result")).toContainText("rank correlation");
  // The chance each path is saturated, by year.
  await expect(page.locator("table.saturation tbody tr")).toHaveCount(2);
  const last = page.locator('table.saturation [data-metric="saturation_probability"]').last();
  expect(Number(await last.getAttribute("data-value"))).toBeGreaterThan(0.5);
  await page.locator(".mc-result").screenshot({ path: "test-results/monte-carlo.png" });
});

test("a part whose module cannot be fetched says so, and the page goes on working", async ({ planner: page }) => {
  // As after a new version is deployed while the page is open: its files are gone.
  expectConsoleError(page, /split_whatif_body|failed to fetch|404|could not be loaded|TypeError/i);
  await page.route(/split_whatif_body.*\.wasm$/, (route) => route.fulfill({ status: 404, body: "" }));
  await openHydrated(page);
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator(".whatif [role=alert]")).toContainText("could not be loaded");
  // The planner still answers.
  await page.locator('[name="change.value"]').fill("15");
  await expect(page.locator('[data-metric="sustained_gbps"]')).toHaveText("6\u2009250.0");
});
