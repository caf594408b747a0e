import { randomBytes, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { runDueGrantTransitions } from "./app/domain/grants/grants.server";
import { systemClock } from "./app/platform/clock";
import { closeDb, getDb, getPool } from "./app/platform/db.server";
import { startJobRunner } from "./app/platform/jobs.server";
import { runRetention } from "./app/domain/retention/retention.server";
import { isCrossSiteWrite, securityHeaders } from "./app/platform/security";
import { bootDatabase } from "./db/boot";

/**
 * The production server: boots the database (embedded PostgreSQL when DATABASE_URL is not set),
 * then serves the Remix build with express. Stateless apart from the database, so any number
 * can run behind a load balancer.
 */
const log = (level: "info" | "warn" | "error", msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`);

const booted = await bootDatabase((msg) => log("info", msg));
// Scheduled jobs live in PostgreSQL (pg-boss): they survive restarts and each tick runs on one server.
// pg-boss connects as the owner: it creates a table per queue (DDL), which the app role may not.
const jobs = await startJobRunner(
  booted.ownerUrl,
  [
    { name: "grants-due", cron: "* * * * *", run: () => runDueGrantTransitions(getDb(), systemClock) },
    // Retention (docs/security.md): daily at 03:30 Beijing time, purges or anonymises what is past its period.
    { name: "retention-daily", cron: "30 3 * * *", run: () => runRetention(systemClock) },
  ],
  log,
);
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;

const production = process.env.NODE_ENV === "production";
const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY === "true" ? true : process.env.TRUST_PROXY);

app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  const header = req.get("x-request-id");
  const requestId = header && /^[\w-]{8,64}$/.test(header) ? header : randomUUID();
  res.locals.requestId = requestId;
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.locals.requestLog = { userId: null };
  res.setHeader("X-Request-Id", requestId);
  for (const [k, v] of Object.entries(securityHeaders(res.locals.cspNonce, production))) res.setHeader(k, v);
  res.on("finish", () => {
    log("info", "request", {
      requestId,
      method: req.method,
      route: req.path,
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      userId: (res.locals.requestLog as { userId: string | null } | undefined)?.userId ?? null,
    });
  });
  next();
});

app.use((req, res, next) => {
  const allowedOrigins = process.env.ALLOWED_ORIGINS?.split(",").map((o) => o.trim()) ?? [`${req.protocol}://${req.get("host")}`];
  if (isCrossSiteWrite({ method: req.method, origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site"), allowedOrigins })) {
    res.status(403).type("text/plain; charset=utf-8").send("跨站请求已被拒绝");
    return;
  }
  next();
});

app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.get("/readyz", async (_req, res) => {
  try {
    await getPool().query("select 1");
    res.json({ status: "ok", database: "ok" });
  } catch {
    res.status(503).json({ status: "unavailable", database: "unreachable" });
  }
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      requestId: res.locals.requestId as string,
      ip: req.ip ?? null,
      cspNonce: res.locals.cspNonce as string,
      requestLog: res.locals.requestLog as { userId: string | null },
    }),
  }),
);

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const server: Server = app.listen(port, host, () => {
  log("info", `邻里守望已启动：http://localhost:${port}`, { port, database: booted.embedded ? "embedded" : "external" });
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal });
  // Stop accepting, let in-flight requests finish, then close the pool and the embedded server.
  const force = setTimeout(() => process.exit(1), Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000));
  force.unref();
  server.close(async () => {
    await jobs.stop().catch(() => {});
    await closeDb().catch(() => {});
    await booted.embedded?.stop().catch(() => {});
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
