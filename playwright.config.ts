import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const ISOLATED = /(fuzz|reliability)\.spec\.ts/;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: ISOLATED },
    // Specs that need the server to themselves run after all others, one after the other: the
    // reliability spec terminates the app's database connections, the fuzz spec compares the whole
    // database before and after each batch of refused posts.
    { name: "reliability", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /reliability\.spec\.ts/, dependencies: ["desktop"] },
    { name: "fuzz", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: /fuzz\.spec\.ts/, dependencies: ["reliability"] },
  ],
  webServer: {
    command: "node --import tsx tests/support/e2e-server.ts",
    url: `http://localhost:${PORT}/readyz`,
    env: { PORT: String(PORT) },
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
