import { test, expect, openHydrated, metricValue, expectConsoleError } from "./fixtures";
import { APIRequestContext, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

/** Saves what the planner shows as a new scenario named `name`. */
async function saveAs(page: Page, name: string) {
  await page.getByRole("button", { name: "Save as…" }).click();
  await page.locator('input[name="save-as.name"]').fill(name);
  await page.getByRole("button", { name: "Save as new" }).click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText(`${name} (version 1)`);
}

async function edit(page: Page, path: string, value: string) {
  const input = page.locator(`input[name="${path}"]`);
  await input.fill(value);
  await input.blur();
}

/** The reference preset's scenario file, renamed and with another change rate. */
async function presetScenario(_request: APIRequestContext, name: string, change: number) {
  const file = JSON.parse(readFileSync("../data/presets/retail-hybrid-lakehouse.json", "utf8"));
  return { ...file, name, change: { ...file.change, value: change } };
}

test("save, edit, save again, and come back by the link", async ({ planner: page }) => {
  await openHydrated(page);
  await saveAs(page, "E2E lakehouse");
  await expect(page).toHaveURL(/saved=[0-9a-f-]{36}/);
  await expect(page.locator('[data-metric="unsaved"]')).toHaveText("");

  await edit(page, "change.value", "12");
  await expect(page.locator('[data-metric="unsaved"]')).toHaveText("Unsaved changes");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText("E2E lakehouse (version 2)");
  await expect(page.locator('[data-metric="unsaved"]')).toHaveText("");

  // The link opens the same saved scenario, at its version, with nothing unsaved. (The
  // address follows an edit once the inputs rest.)
  await expect(page).toHaveURL(/change\.value=12/);
  const link = page.url();
  const again = await page.context().newPage();
  await openHydrated(again, link.replace(/^https?:\/\/[^/]+/, ""));
  await expect(again.locator('[data-metric="saved_name"]')).toHaveText("E2E lakehouse (version 2)");
  await expect(again.locator('input[name="change.value"]')).toHaveValue("12");
  await expect(again.locator('[data-metric="unsaved"]')).toHaveText("");
  await again.close();
});

test("a save that lost a race keeps the edits and says what to do", async ({ planner: page, request }) => {
  expectConsoleError(page, /status of 412/);
  await openHydrated(page);
  await saveAs(page, "E2E race");
  const id = new URL(page.url()).searchParams.get("saved")!;
  // Someone else saves version 2 meanwhile.
  const theirs = await request.get(`/api/scenarios/${id}`);
  const body = (await theirs.json()).scenario;
  body.change.value = 7;
  const put = await request.put(`/api/scenarios/${id}`, { data: body, headers: { "If-Match": '"1"' } });
  expect(put.status()).toBe(200);
  // Twice: the page must read the version the server names, not guess one more than its own.
  body.change.value = 7;
  const put2 = await request.put(`/api/scenarios/${id}`, { data: body, headers: { "If-Match": '"2"' } });
  expect(put2.status()).toBe(200);

  await edit(page, "change.value", "14");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator(".notice")).toContainText("Someone saved version 3");
  // Nothing was lost: the edit is still on screen and theirs is still saved.
  await expect(page.locator('input[name="change.value"]')).toHaveValue("14");
  expect((await (await request.get(`/api/scenarios/${id}`)).json()).scenario.change.value).toBe(7);
  // Saving it as a new scenario keeps both.
  await page.getByRole("button", { name: "save them as a new scenario" }).click();
  await page.locator('input[name="save-as.name"]').fill("E2E race, mine");
  await page.getByRole("button", { name: "Save as new" }).click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText("E2E race, mine (version 1)");
});

test("open from the list, restore an old version, delete and undo", async ({ planner: page, request }) => {
  const made = await request.post("/api/scenarios", { data: await presetScenario(request, "E2E history", 10) });
  expect(made.status()).toBe(201);
  const id = (await made.json()).id;
  const v2 = await presetScenario(request, "E2E history", 20);
  expect((await request.put(`/api/scenarios/${id}`, { data: v2, headers: { "If-Match": "1" } })).status()).toBe(200);

  await openHydrated(page);
  await page.getByRole("button", { name: "Open…" }).click();
  await page.locator('input[name="q"]').fill("e2e hist");
  const row = page.locator("table.saved-list tr", { hasText: "E2E history" });
  await row.getByRole("button", { name: "Open" }).click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText("E2E history (version 2)");
  await expect(page.locator('input[name="change.value"]')).toHaveValue(/^20/);
  const rateAt20 = await metricValue(page, "sustained_gbps");

  await page.getByRole("button", { name: "History" }).click();
  await page.locator("table.versions tr", { hasText: "open now" }).waitFor();
  // Each version says who saved it: both were saved here through the tests' API token.
  await expect(page.locator("table.versions th", { hasText: "By" })).toBeVisible();
  await expect(page.locator("table.versions tr", { hasText: "open now" })).toContainText("(token ");
  await page.locator("table.versions").screenshot({ path: "test-results/history.png" });
  // Saved on book 2026-11; the newest, 2026-12, prices this scenario the same.
  await page.getByRole("button", { name: "Check the newest price book" }).click();
  await expect(page.locator('[data-metric="reprice"]')).toContainText("changes none of the key figures");
  await page.locator('table.versions button[data-id="1"]').click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText("E2E history (version 3)");
  await expect(page.locator('input[name="change.value"]')).toHaveValue(/^10/);
  expect(await metricValue(page, "sustained_gbps")).toBeCloseTo(rateAt20 / 2, 6);

  await page.getByRole("button", { name: "Open…" }).click();
  await page.locator('input[name="q"]').fill("E2E history");
  await page.locator("table.saved-list tr", { hasText: "E2E history" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.locator(".notice")).toContainText("Deleted “E2E history”");
  expect((await request.get(`/api/scenarios/${id}`)).status()).toBe(410);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(".notice")).toContainText("Restored");
  expect((await request.get(`/api/scenarios/${id}`)).status()).toBe(200);
});

test("two saved scenarios side by side", async ({ planner: page, request }) => {
  const ids: string[] = [];
  for (const [name, change] of [["E2E compare A", 10], ["E2E compare B", 5]] as const) {
    const r = await request.post("/api/scenarios", { data: await presetScenario(request, name, change) });
    ids.push((await r.json()).id);
  }
  await openHydrated(page, `/compare?ids=${ids.join(",")}`);
  await expect(page.locator("table.compare-inputs")).toContainText("change.value");
  const first = page.locator('table.compare-figures [data-metric="sustained_gbps.first"]');
  await expect(first).toHaveCount(2);
  const a = Number(await first.nth(0).getAttribute("data-value"));
  const b = Number(await first.nth(1).getAttribute("data-value"));
  // Half the change, half the rate.
  expect(b).toBeCloseTo(a / 2, 6);
  await expect(first.nth(1)).toContainText("−");
});

test("exports: CSV made in the browser, PDF made by the server", async ({ planner: page }) => {
  await openHydrated(page);
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await (await csv.createReadStream()).toArray();
  expect(Buffer.concat(text).toString()).toContain("sustained_gbps");
  const [pdf] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export PDF" }).click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = Buffer.concat(await (await pdf.createReadStream()).toArray());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
});

test("the bar's actions come in a module of their own; one that cannot be fetched is said, and nothing is lost", async ({ planner: page, request }) => {
  // As after a new version is deployed while the page is open: its files are gone.
  expectConsoleError(page, /split_scenario_actions|failed to fetch|404|could not be loaded|TypeError/i);
  const fetched: string[] = [];
  page.on("request", (r) => {
    if (/split_scenario_actions/.test(r.url())) fetched.push(r.url());
  });
  await page.route(/split_scenario_actions.*\.wasm$/, (route) => route.fulfill({ status: 404, body: "" }));
  await openHydrated(page);
  // Not part of the first load.
  expect(fetched, "fetched before any action").toHaveLength(0);
  const before = (await (await request.get("/api/scenarios")).json()).scenarios.length;
  await page.locator('[name="change.value"]').fill("12");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator(".scenario-bar [role=alert]")).toContainText("could not be loaded");
  expect(fetched.length, "fetched when asked for").toBeGreaterThan(0);
  // Nothing was saved, and the edit is still on screen.
  expect((await (await request.get("/api/scenarios")).json()).scenarios.length).toBe(before);
  await expect(page.locator('[name="change.value"]')).toHaveValue("12");
});
