import { test, expect, openHydrated, metricValue } from "./fixtures";

// 1 PB = 1e15 B; R = D·8/86 400 s (spec/MODEL.md, "Change and replication bandwidth").
const sustainedGbps = (lakePb: number, pctPerDay: number) => (lakePb * 1e15 * (pctPerDay / 100) * 8) / 86_400 / 1e9;

test("the first load is server-rendered with the reference figure", async ({ planner: page }) => {
  await openHydrated(page);
  await expect(page.locator('[name="lake.initial_pb"]')).toHaveValue("450");
  await expect(page.locator('[name="change.value"]')).toHaveValue("10");
  await expect(page.locator('[data-metric="sustained_gbps"]')).toHaveText("4\u2009166.667");
  await page.screenshot({ path: "test-results/planner-1280.png", fullPage: true });
});

test("typing a lake size updates the bandwidth in the browser, without a request", async ({ planner: page }) => {
  await openHydrated(page);
  // A reload or navigation would clear this marker; requests to the server are counted.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  const lake = page.locator('[name="lake.initial_pb"]');
  await lake.fill("");
  await lake.pressSequentially("770");
  await expect(page.locator('[data-metric="sustained_gbps"]')).toHaveText("7\u2009129.630");
  expect(await metricValue(page, "sustained_gbps")).toBeCloseTo(sustainedGbps(770, 10), 6);

  const change = page.locator('[name="change.value"]');
  await change.fill("15");
  await expect(page.locator('[data-metric="sustained_gbps"]')).toHaveText("10\u2009694.444");
  await expect(page.locator('[data-metric="daily_change_pb"]')).toHaveText("115.50");

  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(requests).toEqual([]);
});

test("a bad value is named beside its field and the last figures stay, marked stale", async ({ planner: page }) => {
  await openHydrated(page);
  const lake = page.locator('[name="lake.initial_pb"]');
  await lake.fill("-5");
  const error = page.locator('[data-error-for="lake.initial_pb"]');
  await expect(error).toHaveText("lake.initial_pb must be > 0, got -5");
  await expect(lake).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".results")).toHaveClass(/stale/);
  await expect(page.locator('[data-metric="sustained_gbps"]')).toHaveText("4\u2009166.667");
  await page.screenshot({ path: "test-results/planner-invalid.png", fullPage: true });

  await lake.fill("600");
  await expect(error).toBeEmpty();
  await expect(page.locator(".results")).not.toHaveClass(/stale/);
  expect(await metricValue(page, "sustained_gbps")).toBeCloseTo(sustainedGbps(600, 10), 6);
});

test("the bundle is hashed, compressed and cached for a year", async ({ planner: page, request }) => {
  await openHydrated(page);
  const wasmHref = await page.locator('link[rel="preload"][href$=".wasm"]').getAttribute("href");
  expect(wasmHref).toMatch(/^\/pkg\/lakeplan\.[A-Za-z0-9_-]+\.wasm$/);
  const resp = await request.get(wasmHref!, { headers: { "accept-encoding": "br, gzip" } });
  expect(resp.status()).toBe(200);
  expect(resp.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(["br", "gzip"]).toContain(resp.headers()["content-encoding"]);
});
