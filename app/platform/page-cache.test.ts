import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStorable, PageCache, pageCacheFromEnv, pageCacheKey, pageCacheMiddleware } from "./page-cache.server";

describe("PageCache", () => {
  it("forgets a page when its time is up", () => {
    let now = 1_000;
    const cache = new PageCache(10_000, 1_000_000, () => now);
    cache.set("a", { status: 200, headers: {}, body: Buffer.from("A") });
    now += 9_999;
    expect(cache.get("a")?.body.toString()).toBe("A");
    now += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toEqual({ pages: 0, bytes: 0 });
  });

  it("keeps within its size, dropping the page read longest ago, and never keeps a page too big for it", () => {
    const cache = new PageCache(60_000, 800);
    const page = (n: number) => ({ status: 200, headers: {}, body: Buffer.alloc(n) });
    cache.set("a", page(100));
    cache.set("b", page(100));
    cache.set("c", page(100));
    cache.get("a"); // a is now the most recently read
    for (const k of ["d", "e", "f", "g", "h", "i"]) cache.set(k, page(100));
    expect(cache.size.bytes).toBeLessThanOrEqual(800);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    cache.set("big", page(101)); // more than an eighth of the cache
    expect(cache.get("big")).toBeUndefined();
  });
});

describe("which requests and responses", () => {
  it("serves only signed-out GETs of documents from the cache, keyed by address and 长辈模式", () => {
    expect(pageCacheKey({ method: "GET", url: "/issues?page=2", cookie: undefined })).toBe("|/issues?page=2");
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "lsw_elder=1" })).toBe("1|/issues");
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "lsw_elder=0" })).toBe("0|/issues");
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "lsw_session=abc" })).toBeNull();
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "lsw_elder=1; lsw_session=abc" })).toBeNull();
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "other=1" })).toBeNull();
    // Twice: the page would be rendered from the first, the key taken from the last.
    expect(pageCacheKey({ method: "GET", url: "/issues", cookie: "lsw_elder=0; lsw_elder=1" })).toBeNull();
    expect(pageCacheKey({ method: "POST", url: "/issues", cookie: undefined })).toBeNull();
    expect(pageCacheKey({ method: "HEAD", url: "/issues", cookie: undefined })).toBeNull();
    expect(pageCacheKey({ method: "GET", url: "/issues.data?x=1", cookie: undefined })).toBeNull();
  });

  it("stores only a 200 page that caching.ts marked as public, without a cookie", () => {
    const html = { "content-type": "text/html; charset=utf-8" };
    expect(isStorable(200, { ...html, "cache-control": "private, max-age=30" })).toBe(true);
    expect(isStorable(200, { ...html, "cache-control": "private, max-age=30", "set-cookie": ["a=1"] })).toBe(false);
    expect(isStorable(404, { ...html, "cache-control": "private, max-age=30" })).toBe(false);
    expect(isStorable(200, html)).toBe(false);
    expect(isStorable(200, { ...html, "cache-control": "private, no-store" })).toBe(false);
    expect(isStorable(200, { ...html, "cache-control": "public, max-age=300" })).toBe(false);
    // Photos and evidence files of public pages have a private max-age of their own: not pages.
    expect(isStorable(200, { "content-type": "image/webp", "cache-control": "private, max-age=30" })).toBe(false);
    expect(isStorable(200, { ...html, "cache-control": "private, max-age=86400" })).toBe(false);
  });

  it("reads its settings from the environment, refusing more than the browsers' own 30 s", () => {
    expect(pageCacheFromEnv({})?.ttlMs).toBe(10_000);
    expect(pageCacheFromEnv({ PAGE_CACHE_SECONDS: "0" })).toBeNull();
    expect(pageCacheFromEnv({ PAGE_CACHE_SECONDS: "5", PAGE_CACHE_MB: "8" })?.maxBytes).toBe(8 * 1024 * 1024);
    expect(() => pageCacheFromEnv({ PAGE_CACHE_SECONDS: "31" })).toThrow(/PAGE_CACHE_SECONDS/);
    expect(() => pageCacheFromEnv({ PAGE_CACHE_SECONDS: "abc" })).toThrow(/PAGE_CACHE_SECONDS/);
  });
});

describe("the middleware in a node:http server", () => {
  let base = "";
  let rendered = 0;
  const cache = pageCacheMiddleware(new PageCache(300, 1_000_000));
  const server = createServer((req, res) => {
    // Like http-server.server.ts: a nonce per request, in the CSP header and in the page.
    const nonce = randomBytes(8).toString("hex");
    res.setHeader("Content-Security-Policy", `script-src 'nonce-${nonce}'`);
    res.setHeader("X-Request-Id", randomBytes(4).toString("hex"));
    // Like Remix: the page in chunks, Cache-Control from caching.ts on public pages only.
    cache(req, res, () => {
      rendered++;
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/public") res.setHeader("Cache-Control", "private, max-age=30");
      if (path === "/photo") {
        res.setHeader("Cache-Control", "private, max-age=30");
        res.setHeader("Content-Type", "image/png");
        res.end(Buffer.from(`照片 ${rendered}`));
        return;
      }
      if (path === "/sets-cookie") {
        res.setHeader("Cache-Control", "private, max-age=30");
        res.setHeader("Set-Cookie", "a=1");
      }
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.write(`<p>第 ${rendered} 次渲染</p>`);
      res.end(Buffer.from(`<script nonce="${nonce}"></script>`));
    });
  }).listen(0, "127.0.0.1");
  beforeAll(async () => {
    if (!server.listening) await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("sends a public page again, with the nonce its scripts carry, until its time is up", async () => {
    const first = await fetch(`${base}/public?x=1`);
    const firstBody = await first.text();
    const before = rendered;
    const second = await fetch(`${base}/public?x=1`);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("content-security-policy")).toBe(first.headers.get("content-security-policy"));
    expect(firstBody).toContain(`nonce="${/nonce-([0-9a-f]+)/.exec(second.headers.get("content-security-policy")!)![1]}"`);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(second.headers.get("age")).toBe("0");
    expect(rendered).toBe(before);
    // Another address is another page.
    await fetch(`${base}/public?x=2`);
    expect(rendered).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 350));
    const third = await fetch(`${base}/public?x=1`);
    expect(third.headers.get("x-page-cache")).toBeNull();
    expect(await third.text()).not.toBe(firstBody);
  });

  it("always renders for a signed-in person, for pages not marked public, files, answers that set a cookie and a doubled preference", async () => {
    for (const [path, headers] of [
      ["/public?who=me", { cookie: "lsw_session=abc" }],
      ["/private", {}],
      ["/sets-cookie", {}],
      ["/photo", {}],
      ["/public?twice=1", { cookie: "lsw_elder=0; lsw_elder=1" }],
    ] as const) {
      const before = rendered;
      const a = await fetch(`${base}${path}`, { headers });
      const b = await fetch(`${base}${path}`, { headers });
      expect(a.headers.get("x-page-cache")).toBeNull();
      expect(b.headers.get("x-page-cache")).toBeNull();
      expect(await b.text()).toContain(`${before + 2}`);
      expect(rendered).toBe(before + 2);
    }
  });
});
