import { readFileSync } from "node:fs";
import { test, expect, openHydrated, metricValue } from "./fixtures";

// The preset that compares the placements (data/presets/lake-placement.json), as the API
// is sent it.
const placementPreset = JSON.parse(readFileSync(`${__dirname}/../../data/presets/lake-placement.json`, "utf8"));

test("the cloud section sizes a cluster on instances and the page agrees with the API to the digit", async ({
  planner: page,
  request,
}) => {
  await openHydrated(page, "/?preset=lake-placement");
  const instance = page.locator('select[name="cloud_cluster.instance"]');
  await expect(instance).toHaveValue("gcp.z3-highmem-88-highlssd");
  // Only the lake's provider's types are offered, each with its figures shown.
  const offered = await instance.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered.length).toBeGreaterThan(1);
  expect(offered.every((v) => v.startsWith("gcp."))).toBe(true);
  await expect(page.locator('[data-metric="cloud_instance_specs"]')).toContainText("88 vCPU (44 cores)");

  const card = page.locator("section.placements");
  await expect(card).toBeVisible();
  await expect(card.locator('figure[data-chart="placements"] svg')).toBeVisible();
  await expect(card.locator('figure[data-chart="cloud-instances"] svg')).toBeVisible();
  await expect(card.locator('[data-metric="alignment_rate_usd_per_tb_month"]')).toContainText("per usable TB-month makes licence B cost what licence A");

  const api = await request.post("/api/compute", { data: placementPreset });
  expect(api.status(), await api.text()).toBe(200);
  const report = await api.json();
  expect(await metricValue(page, "alignment_rate_usd_per_tb_month")).toBe(report.summary.cloud.alignment_rate_usd_per_tb_month);
  const years = await card.locator('[data-metric="placement_cloud_a"]').evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute("data-value"))),
  );
  expect(years).toEqual(report.years.map((y: any) => y.placements.cloud_a));
  const onPrem = await card.locator('[data-metric="placement_on_prem"]').evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute("data-value"))),
  );
  expect(onPrem).toEqual(report.years.map((y: any) => y.cost_usd.total));
  await card.screenshot({ path: "test-results/cloud-placements.png" });
  await page.locator('section:has(#group-cloud)').screenshot({ path: "test-results/cloud-inputs.png" });

  // Another type of the provider that no book prices: refused beside the field, never $0.
  await instance.selectOption("gcp.z3-highmem-176-standardlssd");
  await expect(page.locator('[data-error-for="cloud_cluster.instance"]')).toContainText("has no 3-year commitment price");
  await expect(page.locator(".results")).toHaveClass(/stale/);
  await instance.selectOption("gcp.z3-highmem-88-highlssd");
  await expect(page.locator(".results")).not.toHaveClass(/stale/);

  // Licence B at the alignment rate costs what licence A does, year by year in total.
  const rate = String(report.summary.cloud.alignment_rate_usd_per_tb_month);
  await page.locator('[name="cloud_cluster.cloud_rate_usd_per_tb_month"]').fill(rate);
  await expect(card.locator('[data-metric="alignment_rate_usd_per_tb_month"]')).toContainText("the rate used");
});

test("the cloud section is off until asked for, and off again leaves the report as it was", async ({ planner: page }) => {
  await openHydrated(page);
  const before = await metricValue(page, "total_cost_usd");
  const toggle = page.locator('input[name="cloud_cluster"]');
  await expect(toggle).not.toBeChecked();
  await expect(page.locator("section.placements")).toHaveCount(0);
  await toggle.check();
  // The reference names book 2026-11, which has no instance prices: the field says which does.
  await expect(page.locator('[data-error-for="cloud_cluster.instance"]')).toContainText("price book 2026-12 has one");
  const book = page.locator('[name="pricing.price_book"]');
  // The pricing group's "More settings", drawn when opened.
  if (!(await book.isVisible())) await page.locator('section[aria-labelledby="group-pricing"] details.advanced > summary').click();
  await book.fill("2026-12");
  await expect(page.locator("section.placements")).toBeVisible();
  await expect(page).toHaveURL(/cloud_cluster\.instance=gcp\.z3-highmem-88-highlssd/);
  await toggle.uncheck();
  await book.fill("2026-11");
  await expect(page.locator("section.placements")).toHaveCount(0);
  await expect(page).not.toHaveURL(/cloud_cluster/);
  expect(await metricValue(page, "total_cost_usd")).toBe(before);
});
