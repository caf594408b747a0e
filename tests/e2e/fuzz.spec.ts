import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { e2eDb } from "./db";
import { DEMO, DEMO_PASSWORD } from "./demo-accounts";
import { signedInRequest } from "./helpers";
import { actionRoutes, fieldsOf, fuzzTarget, intentsOf, resolve, routeSource, type FuzzTarget } from "./fuzz-targets";
import type { Viewer } from "./routes";

/**
 * Throws random and malicious form posts at every route with an `action` export (the list comes
 * from app/routes, see fuzz-targets.ts), signed in as someone who may use the form, over HTTP with
 * the session cookie and a same-origin Origin header, and proves:
 *   - no answer is a 5xx;
 *   - no batch of posts that were all refused (4xx) changed any row of any table (row counts and
 *     a checksum of every row, before and after);
 *   - no stored payload comes back as live markup: pages that show stored text carry it escaped,
 *     and a browser visiting them runs none of it.
 * Runs in its own Playwright project after every other spec (playwright.config.ts): its batches
 * compare the whole database, so nothing else may write meanwhile. FUZZ_SEED reproduces a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 30);
const BATCH = 6;
const MARK = "fz9q";

type Bytes = { bytes: Buffer };
type Value = string | Bytes;
type Fields = Array<[string, Value]>;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Script-bearing strings: each sets window.__fz if it ever runs; MARK finds them in the database. */
const XSS = [
  `<script>window.__fz=1</script>${MARK}`,
  `"><img src=x onerror="window.__fz=1">${MARK}`,
  `<svg/onload=window.__fz=1>${MARK}`,
  `javascript:window.__fz=1//${MARK}`,
  `<a href="javascript:window.__fz=1">点我</a>${MARK}`,
  `</textarea><script>window.__fz=1</script>${MARK}`,
  `<iframe srcdoc="<script>parent.__fz=1</script>">${MARK}`,
  `{{constructor.constructor('window.__fz=1')()}}${MARK}`,
  `[链接](javascript:window.__fz=1) **粗体** ${MARK}`,
];
/** Live forms of the XSS payloads: none may appear in a rendered page. */
const LIVE = [/<script>window\.__fz/i, /<img src=x onerror=/i, /<svg\/onload=/i, /href="javascript:/i, /<iframe srcdoc=/i];

const SQL = ["' OR '1'='1", "1; DROP TABLE users;--", "'); DELETE FROM issues;--", "1' UNION SELECT password_hash FROM users--", "$1", "\\", "%' AND 1=1 --", "' || pg_sleep(1) --"];
const NUMBERS = ["-1", "-100000", "0", "-0", "1e309", "99999999999999999999", "9007199254740993", "NaN", "Infinity", "1.005", "0x10", " 12 ", "１２３", "1,000", "¥100", "100元", "-999999999.99"];
const ODD = [
  "",
  " ",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "../../etc/passwd",
  "2026-02-30",
  "9999-12-31T99:99",
  "1900-01-01",
  "\u202eRTL\u202c",
  "😀".repeat(50),
  "a\u0000b",
  "\r\n\r\n",
  "13900000001",
  "on",
];
const OVERSIZED = () => ["A".repeat(100_001), "长".repeat(40_000), "x".repeat(5_001)];
/** Bytes that are not UTF-8: a lone surrogate encoded (CESU), stray continuation bytes, an overlong slash. */
const INVALID_UTF8: Bytes[] = [
  { bytes: Buffer.from([0xed, 0xa0, 0x80]) },
  { bytes: Buffer.from([0xff, 0xfe, 0x41]) },
  { bytes: Buffer.from([0xc0, 0xaf]) },
  { bytes: Buffer.concat([Buffer.from("评论"), Buffer.from([0xe8, 0xaf])]) },
  { bytes: Buffer.from([0xed, 0xbf, 0xbf, 0x61]) },
];
const ODD_INTENTS = ["", "SUPPORT", "support ", "delete", "admin", "__proto__", "<script>window.__fz=1</script>", "'; DROP TABLE issues;--", "x".repeat(10_000)];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function nasty(rnd: () => number): Value {
  const r = rnd();
  if (r < 0.22) return pick(rnd, XSS);
  if (r < 0.36) return pick(rnd, SQL);
  if (r < 0.52) return pick(rnd, NUMBERS);
  if (r < 0.7) return pick(rnd, ODD);
  if (r < 0.82) return pick(rnd, OVERSIZED());
  return pick(rnd, INVALID_UTF8);
}

interface Form {
  fields: string[];
  intents: string[];
  hidden: Fields;
  files: string[];
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]] = m[2].replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return out;
}

/** What the action takes: intents and fields from its source, hidden values and file inputs from its page. */
function readForm(file: string, html: string): Form {
  const src = routeSource(file);
  const fields = new Set(fieldsOf(src));
  const intents = new Set(intentsOf(src));
  const hidden: Fields = [];
  const files: string[] = [];
  // The page's own forms, not the layout's (log-out, 长辈模式).
  const main = html.slice(Math.max(0, html.indexOf("<main")), html.lastIndexOf("</main>") > 0 ? html.lastIndexOf("</main>") : undefined);
  for (const m of main.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (!a.name) continue;
    if (a.name === "intent") {
      if (a.value) intents.add(a.value);
      continue;
    }
    fields.add(a.name);
    if (a.type === "hidden" && a.value !== undefined) hidden.push([a.name, a.value]);
    if (a.type === "file") files.push(a.name);
  }
  return { fields: [...fields].sort(), intents: [...intents].sort(), hidden, files };
}

interface Payload {
  fields: Fields;
  multipart: boolean;
  /** An intent the action does not know: must be refused, never acted on. */
  bad: boolean;
}

function payloads(form: Form, rnd: () => number, n: number): Payload[] {
  const out: Payload[] = [];
  const withIntent = (intent: string | undefined, fields: Fields): Fields => (intent === undefined ? fields : [["intent", intent], ...fields]);
  // Likely refusals first: an odd intent, then every field hostile (and oversized) under each known intent.
  if (form.intents.length) for (const odd of ODD_INTENTS) out.push({ fields: withIntent(odd, form.hidden), multipart: rnd() < 0.3, bad: true });
  for (const intent of form.intents.length ? form.intents : [undefined]) {
    out.push({ fields: withIntent(intent, form.fields.map((f) => [f, "A".repeat(100_001)] as [string, Value])), multipart: false, bad: false });
    out.push({ fields: withIntent(intent, form.fields.map((f) => [f, pick(rnd, [...SQL, ...XSS, ...INVALID_UTF8])] as [string, Value])), multipart: rnd() < 0.3, bad: false });
  }
  while (out.length < n) {
    const fields: Fields = [];
    // Start from the page's own hidden values (real ids) most of the time, so posts reach the domain.
    for (const [k, v] of form.hidden) if (rnd() < 0.7) fields.push([k, rnd() < 0.8 ? v : nasty(rnd)]);
    for (const f of form.fields) {
      const r = rnd();
      if (r < 0.2) continue; // missing
      fields.push([f, nasty(rnd)]);
      if (r > 0.92) fields.push([f, nasty(rnd)]); // duplicated
    }
    if (rnd() < 0.2) fields.push([pick(rnd, ["role", "userId", "amountFen", "status", "__proto__[admin]", "placeId", "organisationId"]), nasty(rnd)]);
    const intent = form.intents.length ? (rnd() < 0.85 ? pick(rnd, form.intents) : pick(rnd, ODD_INTENTS)) : undefined;
    const shuffled = fields.sort(() => rnd() - 0.5);
    out.push({ fields: withIntent(intent, shuffled), multipart: form.files.length > 0 ? rnd() < 0.7 : rnd() < 0.15, bad: false });
  }
  return out;
}

function urlencoded(fields: Fields): Buffer {
  const enc = (v: Value) => {
    const b = typeof v === "string" ? Buffer.from(v, "utf8") : v.bytes;
    let s = "";
    for (const byte of b) s += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    return s;
  };
  return Buffer.from(fields.map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&"), "latin1");
}

function multipart(fields: Fields, fileFields: string[], rnd: () => number): { body: Buffer; type: string } {
  const boundary = `----fuzz${Math.floor(rnd() * 1e12)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, "%22")}"\r\n\r\n`), typeof v === "string" ? Buffer.from(v) : v.bytes, Buffer.from("\r\n"));
  }
  for (const f of fileFields) {
    const kind = pick(rnd, ["junk", "fakepng", "html", "empty"]);
    const bytes =
      kind === "fakepng"
        ? Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("not really a png")])
        : kind === "html"
          ? Buffer.from(`<html><script>window.__fz=1</script>${MARK}</html>`)
          : kind === "empty"
            ? Buffer.alloc(0)
            : Buffer.from(Array.from({ length: 200 }, () => Math.floor(rnd() * 256)));
    const name = pick(rnd, ["photo.jpg", "../../../etc/passwd", `<img src=x onerror=alert(1)>${MARK}.png`, "图片.webp", ""]);
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f}"; filename="${name.replace(/"/g, "%22")}"\r\nContent-Type: ${pick(rnd, ["image/png", "text/html", "application/octet-stream"])}\r\n\r\n`), bytes, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** Row count and a checksum of every row of every table, except what refused posts legitimately touch. */
async function snapshot(): Promise<Map<string, string>> {
  const db = e2eDb();
  const { rows: tables } = await db.query<{ t: string }>(
    "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  // Refused log-ins and writes count in rate_limits by design; sessions move last_seen_at.
  const skip = new Set(["rate_limits", "user_sessions"]);
  const parts = tables
    .filter(({ t }) => !skip.has(t) && !t.startsWith("kysely_"))
    .map(({ t }) => {
      // Reads of care records are audited by design (care.read, care.list), refused or not. The
      // server seals audit rows into the hash chain every few seconds: the seal is not a change.
      const where = t === "audit_log" ? " where x.action not in ('user.login_failed', 'user.login_throttled', 'care.read', 'care.list')" : "";
      const row = t === "audit_log" ? "(to_jsonb(x) - 'chain_seq' - 'row_hash')" : "x";
      return `select '${t}' as t, count(*)::text || ':' || coalesce(sum(hashtext(${row}::text)::bigint), 0)::text as v from "${t}" x${where}`;
    });
  const { rows } = await db.query<{ t: string; v: string }>(parts.join(" union all "));
  return new Map(rows.map((r) => [r.t, r.v]));
}

function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t));
}

/** Routes whose posts may end the session they are sent with: they get a session of their own, not the run's shared one. */
const ENDS_SESSION = new Set(["logout"]);

async function signedIn(baseURL: string, viewer: Viewer, opts: { fresh?: boolean } = {}): Promise<APIRequestContext> {
  if (viewer === "anonymous") return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  return signedInRequest(baseURL, DEMO[viewer], undefined, opts);
}

function describePayload(p: Payload): string {
  return p.fields
    .map(([k, v]) => `${k}=${typeof v === "string" ? (v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v) : `<bytes ${v.bytes.toString("hex")}>`}`)
    .join("&")
    .slice(0, 300);
}

const stats = { requests: 0, checkedRefusals: 0, closed: 0, byStatus: {} as Record<number, number> };

// FUZZ_ROUTES=a,b narrows a run to some routes while fixing them (the ≥ 1,000 check then fails).
const ROUTES_TO_FUZZ = actionRoutes().filter((f) => !process.env.FUZZ_ROUTES || process.env.FUZZ_ROUTES.split(",").includes(f));

/**
 * One post. A server may refuse an oversized body without reading it and close the connection
 * (ECONNRESET on the client): that is a refusal too, counted as status 0.
 */
async function post(ctx: APIRequestContext, url: string, body: Buffer, type: string): Promise<{ status: number; text: () => Promise<string> }> {
  try {
    // A fresh connection per post: one left unread by a refused oversized body is not reused.
    const r = await ctx.post(url, { data: body, headers: { "Content-Type": type, Connection: "close" }, maxRedirects: 0, failOnStatusCode: false });
    const status = r.status();
    return { status, text: () => r.text() };
  } catch (e) {
    if (body.length > 50_000 && /ECONNRESET|EPIPE|socket hang up/.test(String(e))) {
      stats.closed++;
      return { status: 0, text: async () => "" };
    }
    throw e;
  }
}

/** The address a form with JavaScript posts to (Remix single fetch: `<path>.data`, `?index` for index routes). */
function singleFetchUrl(postUrl: string, file: string): string {
  const [path, query = ""] = postUrl.split("?");
  const params = new URLSearchParams(query);
  if (file.endsWith("_index")) params.set("index", "");
  const q = params.toString();
  return `${path === "/" ? "/_root" : path}.data${q ? `?${q.replace(/index=(&|$)/, "index$1")}` : ""}`;
}

const refused = (s: number) => s === 0 || (s >= 400 && s < 500);

/** Fuzzes one route; returns the pages that show its form, to look for stored payloads afterwards. */
async function fuzzRoute(baseURL: string, file: string) {
  const target = fuzzTarget(file) as FuzzTarget;
  expect(target, `${file} has a fuzz target`).toBeDefined();
  const ctx = await signedIn(baseURL, target.as, { fresh: ENDS_SESSION.has(file) });
  const pageUrl = await resolve(target.page);
  const postUrl = await resolve(target.post);
  const html = await (await ctx.get(pageUrl, { maxRedirects: 0 })).text();
  const form = readForm(file, html);
  const rnd = mulberry32(SEED ^ [...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
  const all = payloads(form, rnd, PER_ROUTE);
  const errors: string[] = [];
  const unrefused: string[] = [];
  const changed: string[] = [];

  for (let i = 0; i < all.length; i += BATCH) {
    const batch = all.slice(i, i + BATCH);
    const before = await snapshot();
    const statuses: number[] = [];
    for (const p of batch) {
      const { body, type } = p.multipart ? multipart(p.fields, form.files, rnd) : { body: urlencoded(p.fields), type: "application/x-www-form-urlencoded" };
      // Three in four as the fetch a form with JavaScript makes (the action's data only), one in four
      // as a plain form post (the action, then the page rendered with its answer).
      const url = rnd() < 0.75 ? singleFetchUrl(postUrl, file) : postUrl;
      const r = await post(ctx, url, body, type);
      statuses.push(r.status);
      stats.requests++;
      stats.byStatus[r.status] = (stats.byStatus[r.status] ?? 0) + 1;
      if (r.status >= 500) errors.push(`${r.status} ${describePayload(p)} → ${(await r.text()).slice(0, 200)}`);
      // A redirect is judged by the snapshot, not here: 302 for a plain form post, 202 for the same
      // redirect answered to a .data post (Remix single fetch).
      const redirected = r.status === 302 || r.status === 202;
      if (p.bad && !refused(r.status) && !redirected) unrefused.push(`${r.status} ${describePayload(p)}`);
    }
    // Every post of the batch refused: no row of any table may have changed.
    if (statuses.every(refused)) {
      const diff = changedTables(before, await snapshot());
      if (diff.length) changed.push(`${diff.join(", ")} after ${batch.map(describePayload).join(" | ").slice(0, 400)}`);
      stats.checkedRefusals += batch.length;
    }
  }
  expect.soft(errors, `${file}: server errors`).toEqual([]);
  // Posts with an intent the action does not know must be refused, never acted on.
  expect.soft(unrefused, `${file}: posts with an unknown intent accepted`).toEqual([]);
  expect.soft(changed, `${file}: refused posts changed rows`).toEqual([]);
  await ctx.dispose();
  return { url: pageUrl, as: target.as };
}

// One test, one worker: the snapshots compare the whole database, so the routes go one at a time.
test("fuzzing every form action: no 5xx, refused posts change nothing, no stored payload runs", async ({ baseURL, browser }) => {
  // About a minute on a quiet machine (1,100+ posts); generous for a loaded CI box.
  test.setTimeout(480_000);
  const started = Date.now();
  const pages: Array<{ url: string; as: Viewer }> = [];
  // The log-in form goes last: its failed log-ins from this address throttle further log-ins.
  for (const file of ROUTES_TO_FUZZ.filter((f) => f !== "login")) {
    pages.push(await test.step(file, () => fuzzRoute(baseURL!, file)));
  }
  const fuzzMs = Date.now() - started;

  await test.step("stored payloads are shown escaped and never run", async () => {
    // Where the payloads were stored (text, varchar and jsonb columns).
    const db = e2eDb();
    const { rows: cols } = await db.query<{ t: string; c: string }>(
      `select table_name as t, column_name as c from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb')`,
    );
    const stored: string[] = [];
    for (const { t, c } of cols) {
      const { rows } = await db.query<{ n: string }>(`select count(*)::text as n from "${t}" where "${c}"::text like '%${MARK}%'`);
      if (Number(rows[0].n) > 0) stored.push(`${t}.${c}: ${rows[0].n}`);
    }
    console.log(
      `fuzz: ${stats.requests} posts to ${ROUTES_TO_FUZZ.length} form actions in ${Math.round(fuzzMs / 1000)} s (by status ${JSON.stringify(stats.byStatus)}; 0 = oversized body refused unread), ` +
        `${stats.checkedRefusals} refused posts checked against a whole-database snapshot; payloads stored in ${stored.join(", ") || "no column"}`,
    );

    const issuePages = (await db.query<{ id: string }>(`select distinct issue_id as id from issue_comments where body like '%${MARK}%' limit 5`)).rows.map((r) => ({
      url: `/issues/${r.id}`,
      as: "resident" as Viewer,
    }));
    const live: string[] = [];
    let marked = 0;
    const contexts = new Map<Viewer, APIRequestContext>();
    for (const p of [...pages, ...issuePages]) {
      if (!contexts.has(p.as)) contexts.set(p.as, await signedIn(baseURL!, p.as));
      const html = await (await contexts.get(p.as)!.get(p.url, { failOnStatusCode: false })).text();
      if (html.includes(MARK)) marked++;
      for (const re of LIVE) if (re.test(html)) live.push(`${p.url}: ${re}`);
    }
    for (const c of contexts.values()) await c.dispose();
    expect(live).toEqual([]);

    // A browser on the pages that show stored payloads: none of them runs.
    const page = await browser.newPage({ baseURL });
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto("/login");
    await page.getByLabel("手机号码").fill(DEMO.resident);
    await page.getByRole("textbox", { name: "密码", exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).last().click();
    await expect(page.getByRole("button", { name: "退出", exact: true })).toBeVisible();
    for (const p of issuePages) {
      await page.goto(p.url);
      await expect(page.getByText(MARK).first()).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __fz?: number }).__fz)).toBeUndefined();
    }
    expect(dialogs).toEqual([]);
    console.log(`fuzz: ${pages.length + issuePages.length} pages re-read, ${marked} show stored payloads, all escaped; ${issuePages.length} issue pages run in a browser`);
    await page.close();
  });

  if (ROUTES_TO_FUZZ.includes("login")) await test.step("login", () => fuzzRoute(baseURL!, "login"));
  console.log(`fuzz: ${stats.requests} posts in all, ${stats.closed} oversized bodies refused unread`);
  expect(stats.requests).toBeGreaterThanOrEqual(1000);
});
