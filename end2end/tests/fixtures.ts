import { test as base, expect, Page } from "@playwright/test";

/**
 * A page that fails its test on any console error or uncaught exception: a broken wasm
 * bundle shows nowhere else.
 */
export const test = base.extend<{ planner: Page }>({
  planner: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("console", (msg) => {
      const expected = expectedErrors.get(page)?.some((re) => re.test(msg.text()));
      if (msg.type() === "error" && !expected) problems.push(`console.error: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("requestfailed", (req) => {
      // Chromium fetches the favicon after the load event; a test that navigates right
      // after hydration aborts it. That says nothing about the page.
      const aborted = req.failure()?.errorText === "net::ERR_ABORTED";
      if (aborted && new URL(req.url()).pathname === "/favicon.svg") return;
      problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    await use(page);
    expect(problems, "the browser console must stay clean").toEqual([]);
  },
});

export { expect };

const expectedErrors = new WeakMap<Page, RegExp[]>();

/**
 * Console errors a test provokes on purpose (the browser logs every 4xx answer to a fetch,
 * such as the 412 of a lost save race); any other error still fails the test.
 */
export function expectConsoleError(page: Page, pattern: RegExp) {
  expectedErrors.set(page, [...(expectedErrors.get(page) ?? []), pattern]);
}

/** Loads a page and waits until the wasm bundle has hydrated it. */
export async function openHydrated(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
}

/** The figure a `data-metric` element shows, as the number in its `data-value`. */
export async function metricValue(page: Page, metric: string): Promise<number> {
  const raw = await page.locator(`[data-metric="${metric}"]`).getAttribute("data-value");
  return Number(raw);
}
