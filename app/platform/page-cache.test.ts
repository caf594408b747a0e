import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
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
    expect(pageCacheKey({ method: "POST", url: "/issues", cookie: undefined })).toBeNull();
    expect(pageCacheKey({ method: "HEAD", url: "/issues", cookie: undefined })).toBeNull();
    expect(pageCacheKey({ method: "GET", url: "/issues.data?x=1", cookie: undefined })).toBeNull();
  });

  it("stores only a 200 that caching.ts marked as a public page, without a cookie", () => {
    expect(isStorable(200, { "cache-control": "private, max-age=30" })).toBe(true);
    expect(isStorable(200, { "cache-control": "private, max-age=30", "set-cookie": ["a=1"] })).toBe(false);
    expect(isStorable(404, { "cache-control": "private, max-age=30" })).toBe(false);
    expect(isStorable(200, {})).toBe(false);
    expect(isStorable(200, { "cache-control": "private, no-store" })).toBe(false);
    expect(isStorable(200, { "cache-control": "public, max-age=300" })).toBe(false);
  });

  it("reads its settings from the environment, refusing more than the browsers' own 30 s", () => {
    expect(pageCacheFromEnv({})?.ttlMs).toBe(10_000);
    expect(pageCacheFromEnv({ PAGE_CACHE_SECONDS: "0" })).toBeNull();
    expect(pageCacheFromEnv({ PAGE_CACHE_SECONDS: "5", PAGE_CACHE_MB: "8" })?.maxBytes).toBe(8 * 1024 * 1024);
    expect(() => pageCacheFromEnv({ PAGE_CACHE_SECONDS: "31" })).toThrow(/PAGE_CACHE_SECONDS/);
    expect(() => pageCacheFromEnv({ PAGE_CACHE_SECONDS: "abc" })).toThrow(/PAGE_CACHE_SECONDS/);
  });
});

describe("the middleware in an express server", () => {
  let base = "";
  let rendered = 0;
  const server = (() => {
    const app = express();
    // Like server.ts: a nonce per request, in the CSP header and in the page.
    app.use((_req, res, next) => {
      res.locals.nonce = randomBytes(8).toString("hex");
      res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.nonce}'`);
      res.setHeader("X-Request-Id", randomBytes(4).toString("hex"));
      next();
    });
    app.use(pageCacheMiddleware(new PageCache(300, 1_000_000)));
    // Like Remix: the page in chunks, Cache-Control from caching.ts on public pages only.
    app.get("*", (req, res) => {
      rendered++;
      if (req.path === "/public") res.setHeader("Cache-Control", "private, max-age=30");
      if (req.path === "/sets-cookie") {
        res.setHeader("Cache-Control", "private, max-age=30");
        res.setHeader("Set-Cookie", "a=1");
      }
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.write(`<p>第 ${rendered} 次渲染</p>`);
      res.end(Buffer.from(`<script nonce="${res.locals.nonce}"></script>`));
    });
    return app.listen(0, "127.0.0.1");
  })();
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

  it("always renders for a signed-in person, for pages not marked public, and for answers that set a cookie", async () => {
    for (const [path, headers] of [
      ["/public?who=me", { cookie: "lsw_session=abc" }],
      ["/private", {}],
      ["/sets-cookie", {}],
    ] as const) {
      const before = rendered;
      const a = await fetch(`${base}${path}`, { headers });
      const b = await fetch(`${base}${path}`, { headers });
      expect(a.headers.get("x-page-cache")).toBeNull();
      expect(b.headers.get("x-page-cache")).toBeNull();
      expect(await b.text()).toContain(`第 ${before + 2} 次渲染`);
      expect(rendered).toBe(before + 2);
    }
  });
});
