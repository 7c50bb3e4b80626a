import { test, expect, openHydrated, expectConsoleError, personPage } from "./fixtures";
import { Page } from "@playwright/test";
import { E2E_ADMIN, E2E_EMAIL, E2E_OTHER, E2E_PASSWORD } from "../account";

/** Saves what the planner shows as a new scenario named `name`. */
async function saveAs(page: Page, name: string) {
  await page.getByRole("button", { name: "Save as…" }).click();
  await page.locator('input[name="save-as.name"]').fill(name);
  await page.getByRole("button", { name: "Save as new" }).click();
  await expect(page.locator('[data-metric="saved_name"]')).toHaveText(`${name} (version 1)`);
}

/** The names of the saved scenarios the *Open…* list shows. */
async function listedNames(page: Page): Promise<string[]> {
  await page.locator('button[name="open"]').click();
  const table = page.locator("table.saved-list");
  const empty = page.getByText("No saved scenario matches.");
  await expect(table.or(empty)).toBeVisible();
  const names = await page.locator("table.saved-list tbody th").allTextContents();
  await page.locator('button[name="open"]').click();
  return names;
}

test("sign in and out from the top bar; a wrong password is refused beside the form", async ({ signedOut: page }) => {
  expectConsoleError(page, /status of 401/);
  await openHydrated(page);
  const menu = page.locator(".account-menu");
  await expect(menu.locator('button[name="sign-in"]')).toBeVisible();
  await menu.locator('button[name="sign-in"]').click();
  const form = page.getByRole("form", { name: "Sign in" });
  await form.locator('input[name="email"]').fill(E2E_EMAIL);
  await form.locator('input[name="password"]').fill("not the password at all");
  await form.locator('button[type="submit"]').click();
  await expect(menu.getByRole("alert")).toContainText("wrong email or password");
  await expect(page.locator('[data-metric="signed_in_as"]')).toHaveCount(0);

  await form.locator('input[name="password"]').fill(E2E_PASSWORD);
  await form.locator('button[type="submit"]').click();
  await expect(page.locator('[data-metric="signed_in_as"]')).toHaveText(E2E_EMAIL);
  await expect(page.locator('[data-metric="signed_in_as"]')).toHaveAttribute("title", "default (engineer)");
  // An engineer has no admin page link.
  await expect(menu.getByRole("link", { name: "Admin" })).toHaveCount(0);

  // Still signed in after a reload: the session is the server's.
  await openHydrated(page);
  await expect(page.locator('[data-metric="signed_in_as"]')).toHaveText(E2E_EMAIL);

  await menu.locator('button[name="sign-out"]').click();
  await expect(menu.locator('button[name="sign-in"]')).toBeVisible();
  expect((await page.request.get("/api/session")).status()).toBe(401);
});

test("an API token is made once on the account page, works, and stops when revoked", async ({ planner: page, playwright, baseURL }) => {
  await openHydrated(page, "/account");
  await expect(page.locator('[data-metric="account_email"]')).toContainText(E2E_EMAIL);
  await expect(page.locator('[data-metric="account_teams"]')).toHaveText("default (engineer)");
  await page.locator('input[name="token.name"]').fill("e2e laptop");
  await page.locator('input[name="token.expires_in_days"]').fill("7");
  await page.getByRole("button", { name: "Make token" }).click();
  const token = (await page.locator('[data-metric="new_token"]').textContent())!;
  expect(token).toMatch(/^lpt_[A-Za-z0-9_-]{43}$/);
  const row = page.locator("table.tokens tr", { hasText: "e2e laptop" });
  await expect(row).toContainText("live");

  const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await script.get("/api/session");
  expect(me.status()).toBe(200);
  expect((await me.json()).via).toBe("token");

  await row.getByRole("button", { name: "Revoke e2e laptop" }).click();
  await expect(page.getByRole("status")).toContainText("Token revoked");
  await expect(page.locator("table.tokens tr", { hasText: "e2e laptop" })).toContainText("revoked");
  expect((await script.get("/api/session")).status()).toBe(401);
  await script.dispose();
});

test("a share link opens read-only without an account, another team copies it, and revoking ends it", async ({ planner: page, browser, baseURL }) => {
  await openHydrated(page);
  await page.locator('input[name="change.value"]').fill("13");
  await page.locator('input[name="change.value"]').blur();
  await saveAs(page, "E2E shared lake");
  await page.locator('button[name="share"]').click();
  await page.locator('input[name="share.expires_in_days"]').fill("5");
  await page.getByRole("button", { name: "Make a share link" }).click();
  const link = page.locator('table.shares [data-metric="share_url"]').first();
  await expect(link).toHaveText(/\/\?share=lpl_/);
  const url = (await link.textContent())!;
  const path = url.replace(/^https?:\/\/[^/]+/, "");

  // A visitor with no account: the planner shows the shared version, read-only.
  const visitor = await personPage(browser, baseURL!);
  await openHydrated(visitor.page, path);
  await expect(visitor.page.locator('[data-metric="shared_name"]')).toHaveText("E2E shared lake");
  await expect(visitor.page.getByText("Changes here are not saved.")).toBeVisible();
  await expect(visitor.page.locator('input[name="change.value"]')).toHaveValue("13");
  await expect(visitor.page.locator('button[name="copy-share"]')).toHaveCount(0);
  await expect(visitor.page).toHaveURL(/share=lpl_/);
  await visitor.close();

  // An engineer of another team sees none of team default's scenarios, but can copy the
  // shared one into their own team.
  const other = await personPage(browser, baseURL!, E2E_OTHER);
  await openHydrated(other.page);
  expect(await listedNames(other.page)).not.toContain("E2E shared lake");
  await openHydrated(other.page, path);
  await other.page.locator('button[name="copy-share"]').click();
  await expect(other.page.getByRole("status")).toContainText("Copied into team apac");
  await expect(other.page.locator('[data-metric="saved_name"]')).toHaveText("E2E shared lake (version 1)");
  await expect(other.page.locator('input[name="change.value"]')).toHaveValue("13");
  expect(await listedNames(other.page)).toContain("E2E shared lake");
  await other.close();

  // Revoked: the link no longer opens.
  await page.locator("table.shares").getByRole("button", { name: "Revoke" }).first().click();
  await expect(page.getByRole("status")).toContainText("Share link revoked");
  const late = await personPage(browser, baseURL!);
  expectConsoleError(late.page, /status of 404/);
  await openHydrated(late.page, path);
  await expect(late.page.getByRole("alert").filter({ hasText: "share link" })).toContainText("This share link does not open");
  await late.close();
});

test("an admin manages users, teams and roles and reads the audit log; an engineer cannot", async ({ planner: page, browser, baseURL }) => {
  await openHydrated(page, "/admin");
  await expect(page.getByRole("alert")).toContainText("Only admins");
  await expect(page.locator("table.users")).toHaveCount(0);

  const admin = await personPage(browser, baseURL!, E2E_ADMIN);
  const a = admin.page;
  await openHydrated(a);
  await a.locator(".account-menu").getByRole("link", { name: "Admin" }).click();
  await expect(a.locator("body[data-hydrated]")).toHaveCount(1);
  await expect(a.locator("table.users")).toContainText(E2E_OTHER);
  await expect(a.locator("table.users")).toContainText("apac (engineer)");

  // A new user with two teams, then a role changed and a membership removed.
  const form = a.getByRole("form", { name: "Add a user or change a role" });
  await form.locator('input[name="member.email"]').fill("e2e-multi@example.com");
  await form.locator('input[name="member.team"]').fill("emea");
  await form.locator('select[name="member.role"]').selectOption("engineer");
  await form.locator('input[name="member.password"]').fill(E2E_PASSWORD);
  await form.getByRole("button", { name: "Add or change" }).click();
  await expect(a.getByRole("status")).toContainText("e2e-multi@example.com is engineer in emea");
  // The form starts empty after each change (the password must not linger).
  await expect(form.locator('input[name="member.email"]')).toHaveValue("");
  await form.locator('input[name="member.email"]').fill("e2e-multi@example.com");
  await form.locator('input[name="member.team"]').fill("default");
  await form.locator('select[name="member.role"]').selectOption("viewer");
  await form.getByRole("button", { name: "Add or change" }).click();
  await expect(a.getByRole("status")).toContainText("e2e-multi@example.com is viewer in default");
  const row = a.locator("table.users tr", { hasText: "e2e-multi@example.com" });
  await expect(row).toContainText("default (viewer), emea (engineer)");
  await expect(a.locator("table.teams")).toContainText("emea");

  await a.getByRole("form", { name: "Make a team" }).locator('input[name="team.name"]').fill("latam");
  await a.getByRole("button", { name: "Make team" }).click();
  await expect(a.locator("table.teams")).toContainText("latam");

  // The audit log names the actors and what they did, filtered by action.
  await a.locator('input[name="audit.action"]').fill("sign_in");
  await a.getByRole("button", { name: "Filter" }).click();
  const audit = a.locator("table.audit tbody tr");
  await expect(audit.first()).toContainText("sign_in");
  const actions = await a.locator("table.audit tbody td:nth-child(4)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["sign_in"]));
  await expect(a.locator("table.audit")).toContainText(`user:${E2E_ADMIN}`);
  await expect(a.locator("table.audit")).not.toContainText(E2E_PASSWORD);

  await row.getByRole("button", { name: "Remove from default" }).click();
  await expect(row).not.toContainText("default (viewer)");
  await admin.close();
});

test("saving with two teams asks which one", async ({ browser, baseURL, request }) => {
  // An engineer in two teams, made through the API by an admin.
  const admin = await personPage(browser, baseURL!, E2E_ADMIN);
  for (const team of ["default", "apac"]) {
    const put = await admin.page.request.post("/api/users", {
      data: { email: "e2e-two@example.com", team, role: "engineer", password: E2E_PASSWORD },
      headers: { origin: baseURL! },
    });
    expect(put.status(), await put.text()).toBeLessThan(300);
  }
  await admin.close();

  const two = await personPage(browser, baseURL!, "e2e-two@example.com");
  await openHydrated(two.page);
  await two.page.getByRole("button", { name: "Save as…" }).click();
  const picker = two.page.locator('select[name="save-as.team"]');
  await expect(picker.locator("option")).toHaveText(["apac", "default"]);
  await picker.selectOption("apac");
  await two.page.locator('input[name="save-as.name"]').fill("E2E in apac");
  await two.page.getByRole("button", { name: "Save as new" }).click();
  await expect(two.page.locator('[data-metric="saved_name"]')).toHaveText("E2E in apac (version 1)");
  await two.close();

  // Team default's engineer does not see it; apac's does.
  const listed = await (await request.get("/api/scenarios")).json();
  expect(listed.scenarios.map((s: { name: string }) => s.name)).not.toContain("E2E in apac");
  const other = await personPage(browser, baseURL!, E2E_OTHER);
  const theirs = await (await other.page.request.get("/api/scenarios")).json();
  const mine = theirs.scenarios.find((s: { name: string }) => s.name === "E2E in apac");
  expect(mine?.team).toBe("apac");
  await other.close();
});
