import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./account";

// The test command (scripts/test.sh) picks a free port and builds the release bundle first.
const port = Number(process.env.LAKEPLAN_E2E_PORT ?? "3107");
const baseURL = `http://127.0.0.1:${port}`;
// Every run saves into an empty store of its own.
const dataDir = mkdtempSync(join(tmpdir(), "lakeplan-e2e-"));

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      // Debian's Chromium: Playwright must not download a browser (nothing can be fetched here).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    // The test users are made first, as the README makes the first admin: with
    // `lakeplan users add … --password-stdin`.
    command:
      E2E_ACCOUNTS.map(
        ([email, team, role]) =>
          `printf '%s\n' '${E2E_PASSWORD}' | ../target/release/lakeplan users add ${email} ` +
          `--team ${team} --role ${role} --password-stdin --data-dir ${dataDir} >/dev/null && `,
      ).join("") + `exec ../target/release/lakeplan serve --addr 127.0.0.1:${port} --data-dir ${dataDir}`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
