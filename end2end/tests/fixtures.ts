import { test as base, expect, Browser, Page, APIRequestContext } from "@playwright/test";
import { E2E_EMAIL, E2E_PASSWORD } from "../account";

/**
 * Pages that fail their test on any console error or uncaught exception (a broken wasm
 * bundle shows nowhere else), signed in or not, and an API client with a token.
 */
export const test = base.extend<{ planner: Page; signedOut: Page; request: APIRequestContext }, { apiToken: string }>({
  // An API token of the test engineer, made once per worker from a signed-in session, as
  // a user makes one for their scripts.
  apiToken: [
    async ({ playwright }, use, workerInfo) => {
      const baseURL = workerInfo.project.use.baseURL!;
      const ctx = await playwright.request.newContext({ baseURL });
      const signIn = await ctx.post("/api/session", { data: { email: E2E_EMAIL, password: E2E_PASSWORD } });
      expect(signIn.status(), await signIn.text()).toBe(204);
      const made = await ctx.post("/api/tokens", { data: { name: "e2e" }, headers: { origin: baseURL } });
      expect(made.status(), await made.text()).toBe(201);
      await use((await made.json()).token);
      await ctx.dispose();
    },
    { scope: "worker" },
  ],
  // Requests the tests make themselves, as a script with that token.
  request: async ({ playwright, baseURL, apiToken }, use) => {
    const ctx = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${apiToken}` } });
    await use(ctx);
    await ctx.dispose();
  },
  // The planner signed in as the test engineer (the session cookie is set in the page's
  // context), failing its test on any console error.
  planner: async ({ page }, use) => {
    const signIn = await page.request.post("/api/session", { data: { email: E2E_EMAIL, password: E2E_PASSWORD } });
    expect(signIn.status(), await signIn.text()).toBe(204);
    await watch(page, use);
  },
  // The planner with no account, as a first visitor sees it.
  signedOut: async ({ page }, use) => {
    await watch(page, use);
  },
});

/** Runs the test on `page`, then fails it if the console saw an error. */
async function watch(page: Page, use: (p: Page) => Promise<void>) {
  const problems = listen(page);
  await use(page);
  expect(problems, "the browser console must stay clean").toEqual([]);
}

/** Collects the console errors, page errors and failed requests of `page`. */
function listen(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    const expected = expectedErrors.get(page)?.some((re) => re.test(msg.text()));
    if (msg.type() === "error" && !expected) problems.push(`console.error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) => {
    // Chromium fetches the favicon after the load event, and the planner its model's
    // modules once idle after hydration (app/src/model.rs); a test that navigates right
    // after hydration aborts them. That says nothing about the page (a module that cannot
    // be fetched fails otherwise, and is said on the page).
    const aborted = req.failure()?.errorText === "net::ERR_ABORTED";
    const path = new URL(req.url()).pathname;
    if (aborted && (path === "/favicon.svg" || /^\/pkg\/(split|chunk)_[^/]*\.wasm$/.test(path))) return;
    // A request a test makes fail on purpose, named with `expectConsoleError`.
    if (expectedErrors.get(page)?.some((re) => re.test(req.url()))) return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  return problems;
}

/**
 * A page in a browser context of its own (its own cookies: another person), signed in as
 * `email` when given. `close()` closes it and fails the test if its console saw an error.
 */
export async function personPage(browser: Browser, baseURL: string, email?: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const problems = listen(page);
  if (email) {
    const signIn = await page.request.post("/api/session", { data: { email, password: E2E_PASSWORD } });
    expect(signIn.status(), await signIn.text()).toBe(204);
  }
  return {
    page,
    close: async () => {
      await context.close();
      expect(problems, `the console of ${email ?? "a signed-out visitor"} must stay clean`).toEqual([]);
    },
  };
}

export { expect };

const expectedErrors = new WeakMap<Page, RegExp[]>();

/**
 * Console errors a test provokes on purpose (the browser logs every 4xx answer to a fetch,
 * such as the 412 of a lost save race); any other error still fails the test.
 */
export function expectConsoleError(page: Page, pattern: RegExp) {
  expectedErrors.set(page, [...(expectedErrors.get(page) ?? []), pattern]);
}

/**
 * Loads a page and waits until the wasm bundle has hydrated it; on the planner, also until
 * its figures are live. The planner fetches its model when the user moves the pointer over
 * it, types or edits (app/src/model.rs): the pointer moves here as a user's would.
 */
export async function openHydrated(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await goLive(page);
}

/** On the planner: moves the pointer over the page and waits until its figures are live. */
export async function goLive(page: Page) {
  if ((await page.locator(".planner").count()) === 0) return;
  await page.mouse.move(5, 5);
  await page.mouse.move(40, 60);
  await expect(page.locator("body[data-live]")).toHaveCount(1);
}

/** The figure a `data-metric` element shows, as the number in its `data-value`. */
/** The bundle files the page fetched up to now (its script, module and style), as paths. */
export async function bundleFiles(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith("/pkg/")),
  );
}

export async function metricValue(page: Page, metric: string): Promise<number> {
  const raw = await page.locator(`[data-metric="${metric}"]`).getAttribute("data-value");
  return Number(raw);
}
