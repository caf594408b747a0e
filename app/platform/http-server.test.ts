import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compileTrustProxy, createAppServer, type AppServerOptions } from "./http-server.server";
import { PageCache } from "./page-cache.server";

// A stand-in for Remix: records what it was given and answers as a test asks.
type Seen = { request: Request; context: AppLoadContext; body: string | null };
let seen: Seen[] = [];
let answer: (request: Request, context: AppLoadContext) => Promise<Response> = async () => new Response("页面");
const logged: Array<{ level: string; msg: string; extra?: Record<string, unknown> }> = [];

const publicDir = mkdtempSync(path.join(tmpdir(), "linli-public-"));
mkdirSync(path.join(publicDir, "build"));
writeFileSync(path.join(publicDir, "build", "entry-ABC123.js"), "console.log(1)");
writeFileSync(path.join(publicDir, "robots.txt"), "User-agent: *");
const secretFile = path.join(publicDir, "..", `${path.basename(publicDir)}-secret.txt`);
writeFileSync(secretFile, "机密");

/** A request sent byte for byte (fetch would normalise the target); resolves with the raw answer. */
function raw(baseUrl: string, requestLine: string, headers = ""): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${headers}\r\n`));
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => (text += c));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

const servers: Server[] = [];
async function start(overrides: Partial<AppServerOptions> = {}): Promise<string> {
  const server = createAppServer({
    handleRequest: async (request, context) => {
      const body = request.method === "GET" || request.method === "HEAD" ? null : await request.clone().text();
      seen.push({ request, context, body });
      return answer(request, context);
    },
    production: true,
    pageCache: null,
    trustProxy: compileTrustProxy(undefined),
    allowedOrigins: undefined,
    publicDir,
    ready: async () => true,
    log: (level, msg, extra) => logged.push({ level, msg, extra }),
    ...overrides,
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base = "";
beforeAll(async () => {
  base = await start();
});
afterAll(async () => {
  rmSync(publicDir, { recursive: true, force: true });
  rmSync(secretFile, { force: true });
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});
beforeEach(() => {
  seen = [];
  logged.length = 0;
  answer = async () => new Response("页面");
});

describe("the HTTP layer in front of Remix", () => {
  it("hands Remix the request (address, headers, body) and its context, and sends back its answer as given", async () => {
    answer = async (_request, context) => {
      context.requestLog!.userId = "u-1";
      const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      headers.append("Set-Cookie", "a=1; Path=/; HttpOnly");
      headers.append("Set-Cookie", "b=2; Path=/");
      const body = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode("第一段，"));
          c.enqueue(new TextEncoder().encode("第二段"));
          c.close();
        },
      });
      return new Response(body, { status: 201, statusText: "Created", headers });
    };
    const res = await fetch(`${base}/issues/abc.data?index&x=1`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-request-id": "req-12345678", origin: base },
      body: "intent=support&note=%E5%A5%BD",
    });
    expect(res.status).toBe(201);
    expect(res.statusText).toBe("Created");
    expect(await res.text()).toBe("第一段，第二段");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    expect(res.headers.get("content-security-policy")).toMatch(/nonce-/);

    expect(seen).toHaveLength(1);
    const [{ request, context, body }] = seen;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${base}/issues/abc.data?index&x=1`);
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(body).toBe("intent=support&note=%E5%A5%BD");
    expect(context.requestId).toBe("req-12345678");
    expect(context.ip).toBe("127.0.0.1");
    expect(context.cspNonce && res.headers.get("content-security-policy")).toContain(context.cspNonce!);

    await new Promise((r) => setTimeout(r, 20));
    const line = logged.find((l) => l.msg === "request");
    expect(line?.extra).toMatchObject({ requestId: "req-12345678", method: "POST", route: "/issues/abc.data", status: 201, userId: "u-1" });
  });

  it("makes its own request id when the one sent is not acceptable", async () => {
    const res = await fetch(`${base}/`, { headers: { "x-request-id": "bad id!" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]!.context.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("refuses a cross-site write before Remix sees it", async () => {
    const res = await fetch(`${base}/issues/abc`, { method: "POST", headers: { origin: "https://evil.example" }, body: "intent=support" });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("跨站请求已被拒绝");
    expect(seen).toHaveLength(0);
  });

  it("answers health and readiness itself", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const down = await start({
      ready: async () => {
        throw new Error("connection refused");
      },
    });
    const res = await fetch(`${down}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "unavailable", database: "unreachable" });
    expect(seen).toHaveLength(0);
  });

  it("serves bundles as immutable, other public files for an hour, and passes everything else to Remix", async () => {
    const bundle = await fetch(`${base}/build/entry-ABC123.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toBe("console.log(1)");
    expect(bundle.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const robots = await fetch(`${base}/robots.txt`);
    expect(await robots.text()).toBe("User-agent: *");
    expect(robots.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(seen).toHaveLength(0);

    await fetch(`${base}/build/missing.js`);
    await fetch(`${base}/missing.png`);
    await fetch(`${base}/issues/abc.data`);
    await fetch(`${base}/issues`);
    expect(seen.map((s) => new URL(s.request.url).pathname)).toEqual(["/build/missing.js", "/missing.png", "/issues/abc.data", "/issues"]);
  });

  it("never serves a file from outside public/build through /build/, nor from outside public/", async () => {
    const name = path.basename(secretFile);
    for (const target of [`/build/..%2f..%2f${name}`, `/build/../../${name}`, `/../${name}`, `/build/..%2f..%2f..%2f${name}`]) {
      const answer = await raw(base, `GET ${target} HTTP/1.1`);
      expect(answer).toMatch(/^HTTP\/1\.1 \d{3}/);
      expect(answer).not.toContain("机密");
    }
    // A public file reached through /build/.. is still a public file, but not one kept for a year.
    const sideways = await raw(base, "GET /build/../robots.txt HTTP/1.1");
    expect(sideways).toMatch(/^HTTP\/1\.1 200/);
    expect(sideways).not.toMatch(/immutable/);
    const bundle = await raw(base, "GET /build/entry-ABC123.js HTTP/1.1");
    expect(bundle).toMatch(/immutable/);
    expect(bundle).toContain("console.log(1)");
  });

  it("answers 400 to a target that is not a path, and goes on serving", async () => {
    expect(await raw(base, "GET http://[zz/x.js HTTP/1.1")).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(base, "OPTIONS * HTTP/1.1")).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("answers health checks as express matched them, HEAD included", async () => {
    expect((await fetch(`${base}/HEALTHZ/`)).status).toBe(200);
    const head = await fetch(`${base}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(seen).toHaveLength(0);
  });

  it("adds a route's own header to the layer's instead of replacing it", async () => {
    answer = async () => new Response("附件", { headers: { "Content-Security-Policy": "default-src 'none'; sandbox" } });
    const res = await fetch(`${base}/uploads/1`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("sandbox");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("aborts the request's signal when the client goes away before the answer", async () => {
    let aborted!: () => void;
    const wasAborted = new Promise<void>((r) => (aborted = r));
    answer = (request) =>
      new Promise((resolve) => {
        request.signal.addEventListener("abort", () => {
          aborted();
          resolve(new Response("太晚了"));
        });
      });
    const controller = new AbortController();
    const pending = fetch(`${base}/slow`, { signal: controller.signal }).catch(() => "gone");
    await expect.poll(() => seen.length).toBe(1);
    controller.abort();
    expect(await pending).toBe("gone");
    await wasAborted;
    expect(seen[0]!.request.signal.aborted).toBe(true);
  });

  it("answers 500 in Chinese, and logs it, when Remix throws", async () => {
    answer = async () => {
      throw new Error("boom");
    };
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("服务器内部错误");
    expect(logged.some((l) => l.level === "error" && l.extra?.error === "boom")).toBe(true);
  });

  it("sends an anonymous public page again from the page cache", async () => {
    const cached = await start({ pageCache: new PageCache(10_000, 1_000_000) });
    answer = async () => new Response("<p>公开页面</p>", { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, max-age=30" } });
    const first = await fetch(`${cached}/issues?page=1`);
    const second = await fetch(`${cached}/issues?page=1`);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(seen).toHaveLength(1);
  });
});

describe("forwarded headers", () => {
  const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "linli.example.gov.cn", "x-forwarded-for": "203.0.113.7" };

  it("are ignored unless TRUST_PROXY says the proxy is trusted", async () => {
    await fetch(`${base}/p`, { headers: forwarded });
    expect(seen[0]!.request.url).toBe(`${base}/p`);
    expect(seen[0]!.context.ip).toBe("127.0.0.1");
  });

  it.each(["true", "1", "loopback", "127.0.0.1/8, 10.0.0.0/8"])("are believed with TRUST_PROXY=%s", async (trustProxy) => {
    const behind = await start({ trustProxy: compileTrustProxy(trustProxy) });
    await fetch(`${behind}/p?q=1`, { headers: forwarded });
    expect(seen[0]!.request.url).toBe("https://linli.example.gov.cn/p?q=1");
    expect(seen[0]!.context.ip).toBe("203.0.113.7");
  });

  it("accept a same-site write behind a trusted TLS proxy, and take the client from the trusted hop", async () => {
    const behind = await start({ trustProxy: compileTrustProxy("1") });
    const { host } = new URL(behind);
    const res = await fetch(`${behind}/issues/1`, {
      method: "POST",
      headers: { "x-forwarded-proto": "https", origin: `https://${host}`, "x-forwarded-for": "198.51.100.1, 203.0.113.7" },
      body: "intent=support",
    });
    expect(res.status).toBe(200);
    // One trusted hop: the address that proxy saw, not what the client claimed before it.
    expect(seen[0]!.context.ip).toBe("203.0.113.7");
    expect(seen[0]!.request.url).toBe(`https://${host}/issues/1`);
  });

  it("count hops and addresses as express did", () => {
    expect(compileTrustProxy(undefined)("127.0.0.1", 0)).toBe(false);
    expect(compileTrustProxy("false")("127.0.0.1", 0)).toBe(false);
    expect(compileTrustProxy("2")("8.8.8.8", 1)).toBe(true);
    expect(compileTrustProxy("2")("8.8.8.8", 2)).toBe(false);
    expect(compileTrustProxy("10.0.0.0/8")("10.1.2.3", 0)).toBe(true);
    expect(compileTrustProxy("10.0.0.0/8")("192.168.1.1", 0)).toBe(false);
    expect(() => compileTrustProxy("不是地址")).toThrow(/TRUST_PROXY/);
    // Express read "2" as the address 0.0.0.2 and trusted nobody; a number in a list is refused.
    expect(compileTrustProxy(" 2 ")("8.8.8.8", 1)).toBe(true);
    expect(() => compileTrustProxy("1, loopback")).toThrow(/TRUST_PROXY/);
  });
});
