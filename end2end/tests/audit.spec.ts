import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";
import { E2E_ADMIN, E2E_PASSWORD, E2E_PRICING } from "../account";
import { readFileSync } from "node:fs";
import { test, expect, openHydrated } from "./fixtures";

const pilot = JSON.parse(readFileSync(`${__dirname}/../../data/presets/two-cluster-pilot.json`, "utf8"));

/**
 * axe-core (WCAG 2.0/2.1/2.2 A and AA, and axe's best practices) on every page and state a
 * user meets: zero violations. Each state is reached as a user reaches it, then audited
 * whole; a violation is listed with its rule, its impact and the elements at fault.
 */
async function audit(page: Page, state: string) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join("\n    ")}`,
  );
  expect(found, `axe-core on ${state}`).toEqual([]);
}

async function signIn(page: Page, email: string) {
  // A cookie write from outside the server's pages needs its Origin, as a browser sends it.
  const origin = new URL(page.url()).origin;
  const r = await page.request.post("/api/session", { data: { email, password: E2E_PASSWORD }, headers: { origin } });
  expect(r.status(), await r.text()).toBe(204);
}

test("the planner in each of its states has no axe violations", async ({ planner: page }) => {
  await openHydrated(page);
  await audit(page, "the planner");
  await page.locator("details.advanced > summary").first().click();
  await audit(page, "the planner with more settings open");
  await page.getByRole("button", { name: "Show the what-ifs" }).click();
  await expect(page.locator(".whatif-answers")).toBeVisible();
  await audit(page, "the what-ifs open");
  await page.getByRole("button", { name: "Open…" }).click();
  await audit(page, "the saved scenarios list");
  await openHydrated(page);
  await page.getByRole("button", { name: "Present" }).click();
  await audit(page, "presentation mode");

  await openHydrated(page, "/?preset=lake-placement");
  await expect(page.locator("section.placements")).toBeVisible();
  await audit(page, "the cloud placements");
  await page.locator('[name="lake.initial_pb"]').fill("-5");
  await expect(page.locator(".results")).toHaveClass(/stale/);
  await audit(page, "an input in error");
});

test("saved scenarios: history and the comparison have no axe violations", async ({ planner: page, request }) => {
  const ids: string[] = [];
  for (const name of ["Audit A", "Audit B"]) {
    const body = { ...pilot, name };
    const r = await request.post("/api/scenarios", { data: body });
    expect(r.status(), await r.text()).toBe(201);
    ids.push((await r.json()).id);
  }
  await openHydrated(page, `/?saved=${ids[0]}`);
  await expect(page.locator('[data-metric="saved_name"]')).toContainText("Audit A");
  await page.getByRole("button", { name: "History" }).click();
  await page.locator("table.versions").waitFor();
  await audit(page, "a saved scenario's history");
  await openHydrated(page, `/compare?ids=${ids.join(",")}`);
  await expect(page.locator("table.compare-figures")).toBeVisible();
  await audit(page, "the comparison");
});

test("sign-in, account, admin and price-book pages have no axe violations", async ({ signedOut: page }) => {
  await openHydrated(page);
  await page.locator('.account-menu button[name="sign-in"]').click();
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  await audit(page, "the sign-in form");

  await signIn(page, E2E_ADMIN);
  await openHydrated(page, "/account");
  await audit(page, "the account page");
  await openHydrated(page, "/admin");
  await expect(page.locator("main")).toContainText("Audit log");
  await audit(page, "the admin page");

  await signIn(page, E2E_PRICING);
  await openHydrated(page, "/books");
  await expect(page.locator("table.books")).toBeVisible();
  await audit(page, "the price books");
});
