import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { createReadableStreamFromReadable, writeReadableStreamToWritable, type AppLoadContext } from "@remix-run/node";
import proxyaddr from "proxy-addr";
import serveStatic from "serve-static";
import { pageCacheMiddleware, type PageCache } from "./page-cache.server";
import { isCrossSiteWrite, securityHeaders } from "./security";

/**
 * The HTTP layer of server.ts on node:http (docs/decisions/0014-http-layer-on-node-http.md):
 * request id, security headers and the request log line; the cross-site refusal; health and
 * readiness; static files; the page cache; then Remix. It was express with
 * @remix-run/express; this is the same order of steps without express's router and request
 * prototypes (~10 % of a support's app CPU samples).
 */
export interface AppServerOptions {
  /** Remix's handler (`createRequestHandler(build, mode)` of @remix-run/node). */
  handleRequest: (request: Request, context: AppLoadContext) => Promise<Response>;
  production: boolean;
  pageCache: PageCache | null;
  /** Which proxies' forwarded headers to believe: `compileTrustProxy(TRUST_PROXY)`, checked at start. */
  trustProxy: Trust;
  /** ALLOWED_ORIGINS, split; unset: the request's own origin. */
  allowedOrigins: string[] | undefined;
  publicDir: string;
  /** Whether the database answers (GET /readyz). */
  ready: () => Promise<boolean>;
  log: (level: "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

export type Trust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY: "true", a hop count ("2"), or proxy-addr's addresses and subnets ("loopback,
 * 10.0.0.0/8"). Express read "2" as the address 0.0.0.2 and trusted no proxy without a word;
 * a number inside a list is refused here for the same reason.
 */
export function compileTrustProxy(value: string | undefined): Trust {
  const v = value?.trim() ?? "";
  if (v === "" || v === "false") return () => false;
  if (v === "true") return () => true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  const entries = v.split(",").map((e) => e.trim());
  if (entries.some((e) => /^\d+$/.test(e))) throw new Error(`TRUST_PROXY 应为 true、一个跳数，或逗号分隔的地址/网段，不能混写：${v}`);
  try {
    return proxyaddr.compile(entries);
  } catch {
    throw new Error(`TRUST_PROXY 中有无法识别的地址或网段：${v}`);
  }
}

/** Scheme, host (with port) and client address of a request, believing forwarded headers only from trusted proxies. */
export function requestOrigin(req: IncomingMessage, trust: Trust): { protocol: string; host: string; ip: string | null } {
  const socket = req.socket;
  const direct = (socket as TLSSocket).encrypted ? "https" : "http";
  const trusted = trust(socket.remoteAddress ?? "", 0);
  const first = (h: string | string[] | undefined) => (typeof h === "string" ? h.split(",")[0]!.trim() : undefined) || undefined;
  const protocol = (trusted && first(req.headers["x-forwarded-proto"])) || direct;
  const host = (trusted && first(req.headers["x-forwarded-host"])) || req.headers.host || "localhost";
  const ip = socket.remoteAddress ? proxyaddr(req, trust) : null;
  return { protocol, host, ip };
}

const FILE_LIKE = /\.[a-z0-9]+$/i;

export function createAppServer(opts: AppServerOptions): Server {
  const trust = opts.trustProxy;
  // /build/ holds fingerprinted bundles (its own root, as express's mount had); other public files may change with a release.
  const buildFiles = serveStatic(path.join(opts.publicDir, "build"), { immutable: true, maxAge: "1y", index: false, redirect: false });
  const publicFiles = serveStatic(opts.publicDir, { maxAge: "1h", index: false, redirect: false });
  const cached = opts.pageCache ? pageCacheMiddleware(opts.pageCache) : null;

  return createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      // Express caught what a step threw; so does this, instead of letting one request end the process.
      fail(res, "request failed", e);
    }
  });

  /** Logs a failure and answers 500, or cuts the connection when the answer has already begun. */
  function fail(res: ServerResponse, msg: string, e: unknown, requestId?: string) {
    opts.log("error", msg, { requestId, error: e instanceof Error ? e.message : String(e) });
    if (!res.headersSent) sendText(res, 500, "服务器内部错误，请稍后再试");
    else res.destroy();
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const started = process.hrtime.bigint();
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    const header = req.headers["x-request-id"];
    const requestId = typeof header === "string" && /^[\w-]{8,64}$/.test(header) ? header : randomUUID();
    const cspNonce = randomBytes(16).toString("base64");
    const requestLog: { userId: string | null } = { userId: null };
    res.setHeader("X-Request-Id", requestId);
    for (const [k, v] of Object.entries(securityHeaders(cspNonce, opts.production))) res.setHeader(k, v);
    res.on("finish", () => {
      opts.log("info", "request", {
        requestId,
        method: req.method,
        route: pathname,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        userId: requestLog.userId,
      });
    });

    // Only origin-form targets ("/path?query"); an absolute or "*" target is not for this server.
    if (!url.startsWith("/")) return sendText(res, 400, "请求地址无效");

    const origin = requestOrigin(req, trust);
    const allowedOrigins = opts.allowedOrigins ?? [`${origin.protocol}://${req.headers.host ?? ""}`];
    const method = req.method ?? "GET";
    const originHeader = req.headers.origin;
    const secFetchSite = req.headers["sec-fetch-site"];
    if (
      isCrossSiteWrite({
        method,
        origin: typeof originHeader === "string" ? originHeader : undefined,
        secFetchSite: typeof secFetchSite === "string" ? secFetchSite : undefined,
        allowedOrigins,
      })
    ) {
      return sendText(res, 403, "跨站请求已被拒绝");
    }

    // As express's routes matched them: any case, with or without a trailing slash.
    const route = pathname.toLowerCase().replace(/(.)\/$/, "$1");
    if ((method === "GET" || method === "HEAD") && (route === "/healthz" || route === "/readyz")) {
      if (route === "/healthz") return sendJson(res, 200, { status: "ok" });
      void opts.ready().then(
        (ok) => sendJson(res, ok ? 200 : 503, ok ? { status: "ok", database: "ok" } : { status: "unavailable", database: "unreachable" }),
        () => sendJson(res, 503, { status: "unavailable", database: "unreachable" }),
      );
      return;
    }

    const remix = () => {
      const context: AppLoadContext = { requestId, ip: origin.ip, cspNonce, requestLog };
      handleWithRemix(req, res, `${origin.protocol}://${origin.host}${url}`, context, opts).catch((e: unknown) => fail(res, "request failed", e, requestId));
    };
    const page = () => (cached ? cached(req, res, remix) : remix());
    // serve-static passes on what it does not find (and malformed or forbidden paths) by calling
    // next(); it calls next(err) only for a failure reading the disk.
    const afterFiles = (next: () => void) => (err?: unknown) => (err ? fail(res, "static file failed", err, requestId) : next());
    // Only a path that names a file (favicon.ico, robots.txt) is looked up on disk: a stat of every
    // page's path cost 2 % of a rendered page's CPU, and more of a cached one.
    const files = () => (FILE_LIKE.test(pathname) && !pathname.endsWith(".data") ? publicFiles(req, res, afterFiles(page)) : page());
    if (pathname.startsWith("/build/")) {
      // Looked up below public/build, as the mount at /build did: "/build/../x" cannot leave it.
      req.url = url.slice("/build".length);
      return buildFiles(req, res, (err?: unknown) => {
        req.url = url;
        afterFiles(files)(err);
      });
    }
    files();
  }
}

async function handleWithRemix(req: IncomingMessage, res: ServerResponse, href: string, context: AppLoadContext, opts: AppServerOptions) {
  // Loaders and actions see the request aborted when the client goes away before the answer is sent.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  const response = await opts.handleRequest(new Request(href, init), context);

  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  // Added to what the layer set, as express's res.append did: a route's own CSP (a sandbox for
  // attachments) is enforced together with the page's, not instead of it.
  for (const [k, v] of response.headers) {
    if (k === "set-cookie") continue;
    const before = res.getHeader(k);
    res.setHeader(k, before === undefined ? v : [...(Array.isArray(before) ? before : [String(before)]), v]);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

function sendText(res: ServerResponse, status: number, text: string) {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}
