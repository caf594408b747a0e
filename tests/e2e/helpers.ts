import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { totp, totpStep } from "../../app/platform/totp";
import { demoTotpSecret } from "../../db/seed/demo-totp";
import { DEMO, DEMO_PASSWORD } from "./demo-accounts";

export { DEMO, DEMO_PASSWORD } from "./demo-accounts";
export { demoTotpSecret };

/**
 * Signs the page in as `phone`. Staff sign in with a second factor, and a code is good once per
 * 30-second step, so a demo account (default password) signs in through the real UI once per run
 * and its session cookie is cached in test-results/.auth/<phone>.json (Playwright's storageState
 * pattern; a lock file keeps the two workers from signing the same account in at once). Later calls
 * load that cookie and check the page shows 退出. Specs that log out, change passwords or end
 * sessions must use their own fresh accounts, never a shared demo session.
 */
export async function login(page: Page, phone: string, password = DEMO_PASSWORD) {
  const shared = password === DEMO_PASSWORD && DEMO_PHONES.has(phone);
  if (shared) {
    const cached = readCache(phone);
    if (cached && (await tryCookies(page, cached.cookies))) return;
    await withLock(phone, async () => {
      // The other worker may have signed in while this one waited.
      const again = readCache(phone);
      if (again && again !== cached && (await tryCookies(page, again.cookies))) return;
      await page.context().clearCookies();
      await uiLogin(page, phone, password);
      const cookies = (await page.context().cookies()).filter((c) => c.name === "lsw_session");
      writeCache(phone, { database: databaseId(), cookies });
    });
    return;
  }
  await uiLogin(page, phone, password);
}

/**
 * Logs out and waits until the page shows it: the log-out is a form post followed by a redirect,
 * and a goto started before that lands is overtaken by it (the next page would be the home page).
 */
export async function logout(page: Page) {
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();
}

/**
 * A signed-in HTTP client (no browser) for specs that post straight to actions: a demo account's
 * cached session while it is still valid, else the password step, then, for staff, the second step
 * with a fresh code (a code is good once per 30-second step).
 * Every request carries a same-origin Origin header, as a browser's form post does.
 */
export async function signedInRequest(baseURL: string, phone: string, password = DEMO_PASSWORD, opts: { fresh?: boolean } = {}): Promise<APIRequestContext> {
  // A demo account's session from earlier in the run (login() or an earlier call) is used again
  // while it is valid: signing staff in anew waits for an unused 30-second code step. A caller that
  // may end its session (log-out) asks for a fresh one, which it alone holds.
  const shared = password === DEMO_PASSWORD && DEMO_PHONES.has(phone) && !opts.fresh;
  const cached = shared ? readCache(phone) : null;
  if (cached) {
    const reused = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL }, storageState: { cookies: cached.cookies, origins: [] } });
    if ((await reused.get("/me", { maxRedirects: 0 })).status() === 200) return reused;
    await reused.dispose();
  }
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const r = await ctx.post("/login", { form: { phone, password, redirectTo: "/" }, maxRedirects: 0 });
  expect(r.status(), `log-in ${phone}`).toBe(302);
  if ((r.headers()["location"] ?? "").startsWith("/login/mfa")) {
    const code = await freshCode(phone, secrets.get(phone) ?? demoTotpSecret(phone));
    const second = await ctx.post("/login/mfa", { form: { intent: "verify", code }, maxRedirects: 0 });
    expect(second.status(), `second step ${phone}`).toBe(302);
  }
  const session = (await ctx.storageState()).cookies.filter((c) => c.name === "lsw_session");
  expect(session.length, `session of ${phone}`).toBe(1);
  if (shared) writeCache(phone, { database: databaseId(), cookies: session });
  return ctx;
}

/** Signs in through the forms: password, then the code (or enrolment, reading the secret from the page). */
export async function uiLogin(page: Page, phone: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).last().click();
  const signedIn = page.getByRole("button", { name: "退出", exact: true });
  const verify = page.getByRole("heading", { name: "两步验证", exact: true });
  const enrol = page.getByRole("heading", { name: "启用两步验证" });
  await expect(signedIn.or(verify).or(enrol)).toBeVisible();
  if (await verify.isVisible()) {
    const secret = secrets.get(phone) ?? demoTotpSecret(phone);
    await page.getByRole("textbox", { name: "验证码" }).fill(await freshCode(phone, secret));
    await page.getByRole("button", { name: "验证并登录" }).click();
  } else if (await enrol.isVisible()) {
    const secret = (await page.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
    secrets.set(phone, secret);
    recordSecret(secret);
    await page.getByRole("textbox", { name: "验证码" }).fill(await freshCode(phone, secret));
    // The codes stay on the screen after the revalidation that follows the form: nothing navigates
    // away from them before the person has written them down (it once went on to the home page).
    const revalidated = page.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).pathname.endsWith(".data"));
    await page.getByRole("button", { name: "启用并登录" }).click();
    const next = page.getByRole("link", { name: "我已保存恢复码，继续" });
    await expect(next).toBeVisible();
    await revalidated;
    await page.waitForTimeout(500);
    await expect(next).toBeVisible();
    await expect(page).toHaveURL(/\/login\/mfa/);
    await next.click();
  }
  await expect(signedIn).toBeVisible();
}

/** Secrets of accounts this worker enrolled during the run (new staff made inside a test). */
const secrets = new Map<string, string>();

/** Every secret seen on an enrolment page, for scripts/check-logs.js to prove none reached a log. */
export function recordSecret(secret: string) {
  mkdirSync(AUTH_DIR, { recursive: true });
  appendFileSync(path.join(AUTH_DIR, "seen-secrets.txt"), `${secret}\n`);
}

/**
 * A code for a step this account has not used yet in this run (a used step is refused): waits
 * for the next 30-second step when needed. The last step per phone is shared between workers.
 */
export async function freshCode(phone: string, secret: string): Promise<string> {
  const file = path.join(AUTH_DIR, `${phone}.step`);
  let last = -1;
  try {
    last = Number(readFileSync(file, "utf8"));
  } catch {
    /* first code of this account */
  }
  let step = totpStep(new Date());
  while (step <= last) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 200));
    step = totpStep(new Date());
  }
  mkdirSync(AUTH_DIR, { recursive: true });
  writeFileSync(file, String(step));
  return totp(secret, new Date(step * 30_000 + 1000));
}

const AUTH_DIR = "test-results/.auth";
const DEMO_PHONES = new Set<string>(Object.values(DEMO));

interface CachedSession {
  database: string;
  cookies: Awaited<ReturnType<ReturnType<Page["context"]>["cookies"]>>;
}

/** The run's database (written by tests/support/e2e-server.ts): a cache from an earlier run is stale. */
function databaseId(): string {
  try {
    return readFileSync("test-results/.e2e-database-url", "utf8");
  } catch {
    return "";
  }
}

function readCache(phone: string): CachedSession | null {
  try {
    const c = JSON.parse(readFileSync(path.join(AUTH_DIR, `${phone}.json`), "utf8")) as CachedSession;
    return c.database === databaseId() ? c : null;
  } catch {
    return null;
  }
}

function writeCache(phone: string, c: CachedSession) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const file = path.join(AUTH_DIR, `${phone}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(c));
  // rename is atomic: the other worker reads the old file or the new one, never half of one
  renameSync(tmp, file);
}

async function tryCookies(page: Page, cookies: CachedSession["cookies"]): Promise<boolean> {
  await page.context().clearCookies({ name: "lsw_session" });
  await page.context().addCookies(cookies);
  await page.goto("/");
  const out = page.getByRole("button", { name: "退出", exact: true });
  try {
    await expect(out).toBeVisible({ timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function withLock(phone: string, fn: () => Promise<void>) {
  mkdirSync(AUTH_DIR, { recursive: true });
  const lock = path.join(AUTH_DIR, `${phone}.lock`);
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch {
      // a lock older than a minute belongs to a crashed worker
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { force: true });
      } catch {
        /* gone already */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

let counter = 0;
/** A mobile number no other test in this run uses. */
export function uniquePhone(): string {
  counter++;
  const n = (Date.now() % 10_000_000) * 10 + (counter % 10) + process.pid;
  return `15${String(n % 1_000_000_000).padStart(9, "0")}`;
}
