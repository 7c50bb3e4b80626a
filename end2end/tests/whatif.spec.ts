import { test, expect, openHydrated } from "./fixtures";
import { writeFileSync, mkdirSync } from "node:fs";

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

test("a Monte Carlo run gives the same figures for the same seed, in time", async ({ planner: page }) => {
  await openHydrated(page);
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator("table.ranges tbody tr")).toHaveCount(5);
  const button = page.locator('button[name="mc.run"]');
  const run = async (seed: string) => {
    const t0 = await page.evaluate(() => performance.now());
    await button.click();
    // Disabled while the run is under way, in slices between frames.
    await expect(button).toBeEnabled();
    const t1 = await page.evaluate(() => performance.now());
    await expect(page.locator('[data-metric="mc_trials"]')).toHaveAttribute("data-value", "10000");
    await expect(page.locator('[data-metric="mc_trials"]')).toHaveAttribute("data-seed", seed);
    const p50 = await page.locator('[data-metric="peak_gbps.p50"]').last().getAttribute("data-value");
    return { ms: t1 - t0, p50 };
  };
  const first = await run("1");
  await expect(page.locator('[data-chart="fan-peak_gbps"] svg')).toHaveCount(1);
  await expect(page.locator(".mc-result")).toContainText(/10\s?000 trials with seed 1/);
  const again = await run("1");
  expect(again.p50).toBe(first.p50);
  // Another seed, other draws.
  await page.locator('input[name="mc.seed"]').fill("7");
  await page.locator('input[name="mc.seed"]').blur();
  const other = await run("7");
  expect(other.p50).not.toBe(first.p50);
  mkdirSync("test-results", { recursive: true });
  writeFileSync(
    "test-results/monte-carlo.json",
    JSON.stringify({ trials: 10000, months: 48, ms_first: first.ms, ms_again: again.ms, ms_other_seed: other.ms }, null, 2),
  );
  // A bad range is named, and nothing runs.
  await page.locator('input[name="mc.change.value.0"]').fill("ten");
  await page.locator('input[name="mc.change.value.0"]').blur();
  await page.locator('button[name="mc.run"]').click();
  await expect(page.locator(".mc-result")).toContainText("change.value (min)");
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
