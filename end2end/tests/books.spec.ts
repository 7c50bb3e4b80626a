import { test, expect, openHydrated, personPage, expectConsoleError, metricValue } from "./fixtures";
import { readFileSync } from "node:fs";
import { E2E_EMAIL, E2E_PRICING } from "../account";

// The pricing team's price books (spec PRICE-BOOKS.md): a refused upload shows every
// problem beside its line, a draft is diffed and its impact read, then published and
// retired; an engineer has no such page.

/** The newest built-in book as the server exports it: an upload must have its rows. */
async function builtinCsv(request: import("@playwright/test").APIRequestContext): Promise<string> {
  const resp = await request.get("/api/price-books/2026-12/export.csv");
  expect(resp.status()).toBe(200);
  return await resp.text();
}

/** Each licence rate (per core-year or per usable-TB-year) doubled. */
function doubled(csv: string): { text: string; changed: number } {
  let changed = 0;
  const lines = csv.split("\n").map((line) => {
    const cells = line.split(",");
    const head = cells.slice(0, 11);
    if (!line.startsWith("licence.") || head.some((c) => c.includes('"'))) return line;
    if (cells[6] !== "usd_per_core_year" && cells[6] !== "usd_per_usable_tb_year") return line;
    cells[10] = String(Number(cells[10]) * 2);
    changed += 1;
    return cells.join(",");
  });
  return { text: lines.join("\n"), changed };
}

test("an engineer has no price-book page", async ({ planner: page }) => {
  await openHydrated(page, "/books");
  await expect(page.getByRole("alert").filter({ hasText: "pricing team" })).toBeVisible();
  await expect(page.locator("table.books")).toHaveCount(0);
  await expect(page.locator(".account-menu").getByRole("link", { name: "Price books" })).toHaveCount(0);
});

test("the pricing team uploads, diffs, reads the impact, publishes and retires a book", async ({ browser, baseURL, request }) => {
  // A proposal saved by an engineer, for the impact table.
  const preset = JSON.parse(readFileSync("../data/presets/retail-hybrid-lakehouse.json", "utf8"));
  const saved = await request.post("/api/scenarios", { data: { ...preset, name: "E2E impact proposal" } });
  expect(saved.status(), await saved.text()).toBe(201);

  const pricing = await personPage(browser, baseURL!, E2E_PRICING);
  const page = pricing.page;
  await openHydrated(page);
  await page.locator(".account-menu").getByRole("link", { name: "Price books" }).click();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await expect(page.locator("table.books")).toContainText("2026-11");
  await expect(page.locator("table.books")).toContainText("published (in force)");

  const csv = await builtinCsv(request);
  const form = page.getByRole("form", { name: "Upload a price book" });

  // A bad file: a value that is not a number on line 2, an unknown unit on another line.
  const lines = csv.split("\n");
  const unitLine = lines.findIndex((l) => l.startsWith("aws.internet.egress.t1,")) + 1;
  expect(lines[1]).toContain(",2.328,");
  lines[1] = lines[1].replace(",2.328,", ",cheap,");
  lines[unitLine - 1] = lines[unitLine - 1].replace(",usd_per_gb,", ",usd_per_furlong,");
  expectConsoleError(page, /status of 422/);
  await form.locator('input[name="book.file"]').setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
  await form.locator('input[name="book.name"]').fill("E2E bad");
  await form.locator('input[name="book.effective_from"]').fill("2099-01-01");
  await form.getByRole("button", { name: "Upload as draft" }).click();
  const problems = page.locator("table.book-problems tbody tr");
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText("2");
  await expect(problems.nth(0)).toContainText("cheap");
  await expect(problems.nth(1)).toContainText(String(unitLine));
  await expect(problems.nth(1)).toContainText("usd_per_furlong");
  // The two built-in books, nothing stored.
  await expect(page.locator("table.books tbody tr")).toHaveCount(2);

  // A good file: every licence rate doubled, stored as a draft.
  const good = doubled(csv);
  expect(good.changed).toBeGreaterThan(0);
  await form.locator('input[name="book.file"]').setInputFiles({ name: "doubled.csv", mimeType: "text/csv", buffer: Buffer.from(good.text) });
  await form.locator('input[name="book.name"]').fill("E2E doubled licence");
  await form.locator('input[name="book.effective_from"]').fill("2099-01-01");
  await form.getByRole("button", { name: "Upload as draft" }).click();
  await expect(page.getByRole("status")).toContainText("Stored as draft pb-");
  const bookId = (await page.getByRole("status").textContent())!.match(/pb-[0-9a-f]{12}/)![0];
  await expect(page.locator("table.book-problems")).toHaveCount(0);
  const row = page.locator("table.books tr", { hasText: "E2E doubled licence" });
  await expect(row).toContainText("draft");

  // Engineers do not see a draft.
  const listed = await (await request.get("/api/price-books")).json();
  expect(listed.books.map((b: { name: string }) => b.name)).not.toContain("E2E doubled licence");

  // The diff: exactly the doubled rates.
  await row.getByRole("button", { name: "Diff with 2026-12" }).click();
  const diff = page.locator("table.book-diff tbody tr");
  await expect(diff).toHaveCount(good.changed);
  for (const text of await diff.allTextContents()) expect(text).toContain("changedvalue");

  // The impact on the engineer's proposal: only the licence moves.
  await row.getByRole("button", { name: "Impact" }).click();
  const impact = page.locator("table.impact tr", { hasText: "E2E impact proposal" });
  await expect(impact).toContainText("licence");
  await expect(impact).toContainText("2026-11");

  // Published, everyone sees it; retired, it stays listed as retired.
  await row.getByRole("button", { name: "Publish" }).click();
  await expect(row).toContainText("published");
  const after = await (await request.get("/api/price-books")).json();
  expect(after.books.map((b: { name: string }) => b.name)).toContain("E2E doubled licence");

  // An engineer picks the published book in the planner: the browser fetches it, prices
  // with it live (the licence doubles, the total rises) and names it beside the costs.
  const engineer = await personPage(browser, baseURL!, E2E_EMAIL);
  const e = engineer.page;
  await openHydrated(e);
  await expect(e.locator('[data-metric="price_book_used"]')).toHaveText("the built-in book 2026-11");
  const before = await metricValue(e, "total_cost_usd");
  const field = e.locator('input[name="pricing.price_book"]');
  // The pricing group's "More settings", drawn when opened.
  await e.locator('section[aria-labelledby="group-pricing"] details.advanced > summary').click();
  await expect(e.locator(`datalist#price-books option[value="${bookId}"]`)).toHaveCount(1);
  await field.fill(bookId);
  await expect(e.locator('[data-metric="price_book_used"]')).toContainText("E2E doubled licence");
  await expect(e.locator('[data-metric="price_book_used"]')).toContainText("published");
  await expect.poll(() => metricValue(e, "total_cost_usd")).toBeGreaterThan(before);
  const live = await metricValue(e, "total_cost_usd");
  await engineer.close();

  // Saved on that book and shared: a visitor without an account sees the same figures,
  // priced with the excerpt of the book the link carries.
  const pinned = await request.post("/api/scenarios", {
    data: { ...preset, name: "E2E on a stored book", pricing: { ...preset.pricing, price_book: bookId } },
  });
  expect(pinned.status(), await pinned.text()).toBe(201);
  const link = await request.post(`/api/scenarios/${(await pinned.json()).id}/shares`, { data: {} });
  expect(link.status(), await link.text()).toBe(201);
  const visitor = await personPage(browser, baseURL!);
  await openHydrated(visitor.page, `/?share=${(await link.json()).token}`);
  await expect(visitor.page.locator('[data-metric="shared_name"]')).toHaveText("E2E on a stored book");
  await expect(visitor.page.locator('[data-metric="price_book_used"]')).toContainText(bookId);
  await expect.poll(() => metricValue(visitor.page, "total_cost_usd")).toBe(live);
  await visitor.close();
  await row.getByRole("button", { name: "Retire" }).click();
  await expect(row).toContainText("retired");
  await page.screenshot({ path: "test-results/books.png", fullPage: true });
  await pricing.close();
});

test("the pricing team publishes a hardware catalog and the planner matches hardware in it", async ({ browser, baseURL, request }) => {
  const pricing = await personPage(browser, baseURL!, E2E_PRICING);
  const page = pricing.page;
  await openHydrated(page, "/books");
  await page.getByRole("button", { name: "Hardware catalogs" }).click();
  await expect(page.getByRole("button", { name: "Hardware catalogs" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("table.books")).toContainText("Built-in 2026-11");
  await expect(page.locator("table.books")).toContainText("published (in force)");
  const form = page.getByRole("form", { name: "Upload a hardware catalog" });

  // The built-in catalog with a 122.88 TB-drive enclosure added.
  const resp = await request.get("/api/hardware-catalogs/2026-11/export.csv");
  expect(resp.status()).toBe(200);
  const csv = await resp.text();
  const old = csv.split("\n").find((l) => l.startsWith("enclosure.ceres-v2.61tb,"))!;
  const added = old
    .replaceAll("enclosure.ceres-v2.61tb", "enclosure.ceres-v2.122tb")
    .replace("61.44 TB", "122.88 TB")
    .replace(",61.44,1351.68,", ",122.88,2703.36,");
  await form.locator('input[name="book.file"]').setInputFiles({ name: "ceres-122.csv", mimeType: "text/csv", buffer: Buffer.from(csv + added + "\n") });
  await form.locator('input[name="book.name"]').fill("E2E Ceres 122");
  await form.locator('input[name="book.effective_from"]').fill("2099-01-01");
  await form.getByRole("button", { name: "Upload as draft" }).click();
  await expect(page.getByRole("status")).toContainText("Stored as draft hw-");
  const id = (await page.getByRole("status").textContent())!.match(/hw-[0-9a-f]{12}/)![0];
  const row = page.locator("table.books tr", { hasText: "E2E Ceres 122" });
  await expect(row).toContainText("draft");
  await expect(row.getByRole("button", { name: "Impact" })).toHaveCount(0);

  // The diff: the one added model.
  await row.getByRole("button", { name: "Diff with 2026-11" }).click();
  const diff = page.locator("table.book-diff tbody tr");
  await expect(diff).toHaveCount(1);
  await expect(diff).toContainText("enclosure.ceres-v2.122tb");
  await expect(diff).toContainText("added");
  await row.getByRole("button", { name: "Publish" }).click();
  await expect(row).toContainText("published");

  // An engineer names it: the catalog picker offers its new enclosure; picking it, the
  // built-in book has no price for it, and the field says so.
  const engineer = await personPage(browser, baseURL!, E2E_EMAIL);
  const e = engineer.page;
  await openHydrated(e);
  const field = e.locator('input[name="pricing.catalog"]');
  await e.locator('section[aria-labelledby="group-pricing"] details.advanced > summary').click();
  await expect(e.locator(`datalist#catalogs option[value="${id}"]`)).toHaveCount(1);
  const picker = e.locator('select[name="catalog.enclosure"]');
  await expect(picker.locator('option[value="enclosure.ceres-v2.122tb"]')).toHaveCount(0);
  await field.fill(id);
  await expect(picker.locator('option[value="enclosure.ceres-v2.122tb"]')).toHaveCount(1);
  await picker.selectOption("enclosure.ceres-v2.122tb");
  const raw = e.locator('[name="cluster.enclosure_raw_tb"]');
  await expect(raw).toHaveValue(/^2703\.36/);
  await expect(raw).toHaveAttribute("aria-invalid", "true");
  await engineer.close();

  await row.getByRole("button", { name: "Retire" }).click();
  await expect(row).toContainText("retired");
  await pricing.close();
});
