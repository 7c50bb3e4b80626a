import { test, expect, openHydrated } from "./fixtures";
import * as fs from "fs";

// Not a pass/fail timing test: it measures, in the browser, the time from an input event to
// the updated figures and charts, and writes the figures for the closing notes and for
// spotting regressions (test-results/latency.json).
test("measure input-to-figures latency for the reference scenario", async ({ planner: page }) => {
  await openHydrated(page);
  const samples: number[] = await page.evaluate(async () => {
    const input = document.querySelector('[name="change.value"]') as HTMLInputElement;
    const results = document.querySelector(".results")!;
    const out: number[] = [];
    for (let i = 0; i < 40; i++) {
      const before = document.querySelector('[data-metric="sustained_gbps"]')!.getAttribute("data-value");
      const chartBefore = document.querySelector('[data-chart="bandwidth"]')?.innerHTML;
      const done = new Promise<void>((resolve) => {
        const obs = new MutationObserver(() => {
          const now = document.querySelector('[data-metric="sustained_gbps"]')?.getAttribute("data-value");
          const chart = document.querySelector('[data-chart="bandwidth"]')?.innerHTML;
          if (now !== before && chart !== chartBefore) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(results, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      const t0 = performance.now();
      input.value = (8 + (i % 8) * 0.5).toFixed(1);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await done;
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  });
  const sorted = [...samples].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const summary = { samples: samples.length, median_ms: pct(50), p90_ms: pct(90), max_ms: sorted[sorted.length - 1] };
  console.log(`input → figures and charts: ${JSON.stringify(summary)}`);
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync("test-results/latency.json", JSON.stringify(summary, null, 2));
  expect(samples.length).toBe(40);
});
