// `npm test`: typecheck, lint, vitest (unit + integration on PostgreSQL), build, Playwright.
// Every step runs even when an earlier one fails, so one run shows everything that is wrong;
// the last line is "N passed, N failed" (typecheck and lint count as one check each).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);
let passed = 0;
let failed = 0;
const failures = [];

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, ok) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

mkdirSync("test-results", { recursive: true });

if (want("typecheck")) {
  console.log("\n== typecheck ==");
  check("typecheck", run("npx", ["tsc", "--noEmit"]));
}
if (want("lint")) {
  console.log("\n== lint ==");
  check("lint", run("npx", ["eslint", "--max-warnings", "0", "."]));
}
if (want("unit")) {
  console.log("\n== vitest ==");
  rmSync("test-results/vitest.json", { force: true });
  const ok = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"]);
  const r = readJson("test-results/vitest.json");
  if (r) {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numFailedTests) failures.push(`vitest: ${r.numFailedTests} failed`);
    // A file that fails to load has no tests to count, but must still fail the run.
    if (!ok && r.numFailedTests === 0) check("vitest (suite error)", false);
    if (r.numTotalTests === 0) check("vitest ran no test", false);
  } else check("vitest (no report)", false);
}
if (want("e2e")) {
  console.log("\n== build ==");
  const built = run("npx", ["remix", "build"], { NODE_ENV: "production" });
  check("build", built);
  if (built) {
    console.log("\n== home page JavaScript (gzip, budget 250 KB) ==");
    check("home page JavaScript within 250 KB gzip", run("node", ["scripts/home-js-size.js"]));
    console.log("\n== playwright ==");
    rmSync("test-results/playwright.json", { force: true });
    const ok = run("npx", ["playwright", "test"]);
    const r = readJson("test-results/playwright.json");
    if (r?.stats) {
      passed += r.stats.expected + (r.stats.flaky ?? 0);
      failed += r.stats.unexpected;
      if (r.stats.unexpected) failures.push(`playwright: ${r.stats.unexpected} failed`);
      if (!ok && r.stats.unexpected === 0) check("playwright (run error)", false);
      if (r.stats.expected + r.stats.unexpected === 0) check("playwright ran no test", false);
    } else check("playwright (no report)", !existsSync("tests/e2e") && ok);
    console.log("\n== server logs ==");
    check("no secrets in server logs", run("node", ["scripts/check-logs.js"]));
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join("; ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
