import type { IncomingMessage, ServerResponse } from "node:http";
import { PUBLIC_PAGE_MAX_AGE_SECONDS } from "./caching";

/**
 * A short-lived cache of the public pages as anonymous visitors see them (ADR 0009,
 * docs/performance.md). A page of a public route is the same for every signed-out visitor (the
 * routes and the rule are in caching.ts: such a response carries `Cache-Control: private,
 * max-age=…`), so for a few seconds it is sent again instead of being rendered again. Signed-in
 * people always get a fresh page. Each app process keeps its own copy: nothing here is needed by
 * another process, and a page is at most `ttlSeconds` older than the data.
 */
export interface CachedPage {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  storedAt: number;
}

/** Headers that belong to the stored page; the others are set afresh for each response (request id…). */
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "content-security-policy"];

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (this.now() - page.storedAt >= this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Map order is the eviction order: a page read again moves to the end.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: Omit<CachedPage, "storedAt">): void {
    if (page.body.length > this.maxBytes / 8) return;
    this.delete(key);
    this.pages.set(key, { ...page, storedAt: this.now() });
    this.bytes += page.body.length;
    for (const [k] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  private delete(key: string) {
    const page = this.pages.get(key);
    if (!page) return;
    this.bytes -= page.body.length;
    this.pages.delete(key);
  }
}

/**
 * The key of a request whose answer may come from the cache, or null: only GETs of documents
 * (not single-fetch `.data`, which revalidation after a person's own write must see fresh),
 * without cookies other than the 长辈模式 preference, which is part of the key.
 */
export function pageCacheKey(req: { method: string; url: string; cookie: string | undefined }): string | null {
  if (req.method !== "GET") return null;
  const path = req.url.split("?")[0]!;
  if (path.endsWith(".data")) return null;
  let elder: string | null = null;
  for (const part of (req.cookie ?? "").split(";")) {
    const c = part.trim();
    if (!c) continue;
    const m = /^lsw_elder=([01])$/.exec(c);
    // Another cookie, or the preference twice (the page uses the first, a key the last: never mix them).
    if (!m || elder !== null) return null;
    elder = m[1]!;
  }
  return `${elder ?? ""}|${req.url}`;
}

/** May this response be stored: a page of a public route (caching.ts gave it its max-age) for a signed-out visitor, setting no cookie. */
export function isStorable(status: number, headers: Record<string, unknown>): boolean {
  if (status !== 200 || headers["set-cookie"] !== undefined) return false;
  const type = headers["content-type"];
  // Pages only: photos and evidence files have their own private max-age, and are not pages.
  if (typeof type !== "string" || !type.startsWith("text/html")) return false;
  return headers["cache-control"] === `private, max-age=${PUBLIC_PAGE_MAX_AGE_SECONDS}`;
}

/** PAGE_CACHE_SECONDS (default 10, at most the browsers' own max-age) and PAGE_CACHE_MB (default 64); 0 seconds turns it off. */
export function pageCacheFromEnv(env: Record<string, string | undefined>): PageCache | null {
  const seconds = Number(env.PAGE_CACHE_SECONDS ?? 10);
  const mb = Number(env.PAGE_CACHE_MB ?? 64);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > PUBLIC_PAGE_MAX_AGE_SECONDS) {
    throw new Error(`PAGE_CACHE_SECONDS 应为 0–${PUBLIC_PAGE_MAX_AGE_SECONDS} 之间的秒数`);
  }
  if (!Number.isFinite(mb) || mb <= 0) throw new Error("PAGE_CACHE_MB 应为正数");
  return seconds === 0 ? null : new PageCache(seconds * 1000, mb * 1024 * 1024);
}

/** Answers from the cache, or records the page as it is sent; `next` renders it (http-server.server.ts). */
export function pageCacheMiddleware(cache: PageCache) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const key = pageCacheKey({ method: req.method ?? "GET", url: req.url ?? "/", cookie: req.headers.cookie });
    if (!key) return next();
    const hit = cache.get(key);
    if (hit) {
      res.statusCode = hit.status;
      // The page's own CSP goes with it: its scripts carry the nonce of the render that made it.
      for (const [k, v] of Object.entries(hit.headers)) res.setHeader(k, v);
      res.setHeader("Age", String(Math.floor((Date.now() - hit.storedAt) / 1000)));
      res.setHeader("X-Page-Cache", "hit");
      res.end(hit.body);
      return;
    }
    const chunks: Buffer[] = [];
    // Decided when the first bytes go out (the status and headers are final then): downloads and
    // private pages are passed through without being copied.
    let storable: boolean | undefined;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding?: unknown) => {
      storable ??= isStorable(res.statusCode, res.getHeaders());
      if (!storable) return;
      if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk)); // a copy: the writer may reuse its buffer
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== "function") keep(chunk, rest[0]);
      if (storable ?? isStorable(res.statusCode, res.getHeaders())) {
        const headers = res.getHeaders();
        const kept: Record<string, string> = {};
        for (const h of KEPT_HEADERS) if (headers[h] !== undefined) kept[h] = String(headers[h]);
        cache.set(key, { status: res.statusCode, headers: kept, body: Buffer.concat(chunks) });
      }
      return end(chunk, ...rest);
    }) as ServerResponse["end"];
    next();
  };
}
