import cluster from "node:cluster";
import type { Server } from "node:http";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { runDueGrantTransitions } from "./app/domain/grants/grants.server";
import { startAuditSealer } from "./app/domain/integrity/chains.server";
import { systemClock } from "./app/platform/clock";
import { closeDb, getDb, getPool } from "./app/platform/db.server";
import { startJobRunner } from "./app/platform/jobs.server";
import { runRetention } from "./app/domain/retention/retention.server";
import { compileTrustProxy, createAppServer } from "./app/platform/http-server.server";
import { pageCacheFromEnv } from "./app/platform/page-cache.server";
import { installSharedSignalRequest } from "./app/platform/request-signal.server";
import { bootDatabase } from "./db/boot";
import { dropTunedEnv, tunedEnv, tunedExecArgv } from "./scripts/runtime-tuning.js";

/**
 * The production server: boots the database (embedded PostgreSQL when DATABASE_URL is not set),
 * then serves the Remix build over node:http (app/platform/http-server.server.ts). Stateless
 * apart from the database, so any number can run behind a load balancer, and several processes
 * on one machine: with WEB_CONCURRENCY=N (or "auto", one per core) this process boots the
 * database and runs the scheduled jobs, and N node:cluster workers share the port
 * (docs/performance.md). One process by default.
 */
const log = (level: "info" | "warn" | "error", msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`);

// Before any request: Remix's derived requests share the adapter's signal (ADR 0013).
installSharedSignalRequest();

const workerCount = webConcurrency(process.env.WEB_CONCURRENCY);
// Settings are checked before the database starts, not in each worker after it.
const pageCache = settingOrExit(() => pageCacheFromEnv(process.env));
const trustProxy = settingOrExit(() => compileTrustProxy(process.env.TRUST_PROXY));

if (cluster.isPrimary) {
  // This process read its malloc setting at start; the embedded PostgreSQL it starts need not get it (workers get it back at fork).
  dropTunedEnv(process.env);
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
  // The audit log's new rows join its hash chain here, every few seconds, not at each commit (docs/decisions/0011-audit-sealed-by-job.md).
  const sealer = startAuditSealer(getDb(), {
    // A database outage arrives as the 503 Response of db.server's pool wrapper.
    onError: (e) => log("error", "audit seal failed", { error: e instanceof Response ? `HTTP ${e.status}` : String(e) }),
  });
  const stopDatabase = async () => {
    await sealer.stop().catch(() => {});
    await jobs.stop().catch(() => {});
    await closeDb().catch(() => {});
    await booted.embedded?.stop().catch(() => {});
  };
  // Workers inherit the environment, where bootDatabase left the addresses (DATABASE_URL, DATA_DIR's server).
  process.env.LINLI_DATABASE_KIND = booted.embedded ? "embedded" : "external";
  if (workerCount > 1) superviseWorkers(workerCount, stopDatabase);
  else await serve(booted.embedded ? "embedded" : "external", stopDatabase);
} else {
  // A worker: the primary booted the database and put its address in the environment it forked with.
  await serve(process.env.LINLI_DATABASE_KIND === "embedded" ? "embedded" : "external", async () => {
    await closeDb().catch(() => {});
  });
}

function settingOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    log("error", e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
}

/**
 * Worker processes. Each has its own pool of DATABASE_POOL_SIZE connections, and the primary one
 * more plus pg-boss's: at most 16 workers, so a machine's "auto" stays within what PostgreSQL allows.
 */
function webConcurrency(value: string | undefined): number {
  if (!value) return 1;
  if (value === "auto") return Math.min(availableParallelism(), 16);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) {
    log("error", "WEB_CONCURRENCY 应为 1–16 的整数或 auto", { value });
    process.exit(2);
  }
  return n;
}

/** The primary of a cluster: forks the workers, replaces one that dies, and stops them all on a signal. */
function superviseWorkers(count: number, stopDatabase: () => Promise<void>) {
  let stopping = false;
  const deaths: number[] = [];
  // Workers get the memory settings `npm start` gives a single process, whatever started this one.
  cluster.setupPrimary({ execArgv: tunedExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  const fork = () => cluster.fork(tunedEnv(process.env));
  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    log("error", "worker exited", { pid: worker.process.pid, code, signal });
    // A worker that dies at start-up again and again (a bad build, say) is not restarted forever.
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length > count * 5) {
      log("error", "workers keep exiting; stopping");
      void stop("crash-loop", 1);
      return;
    }
    fork();
  });
  async function stop(signal: string, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    log("info", "shutting down", { signal, workers: count });
    // The workers get their own drain time; the database is stopped whatever they do, then.
    const drain = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000) + 2_000;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.race([
      Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once("exit", () => resolve());
              // Checked after listening: one that died just now would never say so again.
              if (w.isDead()) return resolve();
              w.process.kill("SIGTERM");
            }),
        ),
      ),
      new Promise((resolve) => setTimeout(resolve, drain).unref()),
    ]);
    for (const w of workers) if (!w.isDead()) w.process.kill("SIGKILL");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await stopDatabase();
    process.exit(exitCode);
  }
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

async function serve(database: "embedded" | "external", onStopped: () => Promise<void>): Promise<Server> {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;

  const server = createAppServer({
    handleRequest: createRequestHandler(build, process.env.NODE_ENV),
    production: process.env.NODE_ENV === "production",
    pageCache,
    trustProxy,
    allowedOrigins: process.env.ALLOWED_ORIGINS?.split(",").map((o) => o.trim()),
    publicDir: "public",
    ready: async () => {
      await getPool().query("select 1");
      return true;
    },
    log,
  });

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  server.listen(port, host, () => {
    log("info", `邻里守望已启动：http://localhost:${port}`, { port, database, pid: process.pid, worker: cluster.isWorker ? cluster.worker?.id : undefined });
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log("info", "shutting down", { signal });
    // Stop accepting, let in-flight requests finish, then close the pool (and, alone, the embedded server).
    const force = setTimeout(() => process.exit(1), Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000));
    force.unref();
    server.close(async () => {
      await onStopped();
      process.exit(0);
    });
    server.closeIdleConnections?.();
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return server;
}
