import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "../../db/schema";

// int8 (bigint: counts, sums of 分) comes back as a string by default; every figure here stays far
// below 2^53, so a JS number is exact.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type DB = Kysely<Database>;
export type Trx = Transaction<Database>;
export type Executor = DB | Trx;

interface Connection {
  url: string;
  pool: pg.Pool;
  db: DB;
}

// Kept on globalThis so that the server entry and the bundled Remix build, which each carry a
// copy of this module, share one pool per process; keyed by URL so a test file that switches
// databases gets its own.
const KEY = Symbol.for("linli.db");
const slot = globalThis as unknown as { [KEY]?: Connection };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL 未设置：请通过 npm start 启动（会自动启动内置数据库）");
  return url;
}

function connection(): Connection {
  const url = databaseUrl();
  let c = slot[KEY];
  if (!c || c.url !== url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
    });
    // A dropped connection (database restart) must not crash the process; the pool replaces it.
    pool.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "pg pool error", err: err.message })));
    // A client checked out of the pool but between queries (inside a transaction, while the app
    // awaits something else) has no pool listener: its connection being terminated would be an
    // unhandled 'error' event that kills the process. The next query on it fails instead (503).
    pool.on("connect", (client) => client.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "pg client error", err: err.message }))));
    c = { url, pool, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: outageAware(pool) }) }) };
    slot[KEY] = c;
  }
  return c;
}

export function getPool(): pg.Pool {
  return connection().pool;
}

export function getDb(): DB {
  return connection().db;
}

export async function closeDb(): Promise<void> {
  const c = slot[KEY];
  slot[KEY] = undefined;
  if (c) await c.db.destroy();
}

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"]);

/** The database is down or restarting (as opposed to a bug in a query). */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|not queryable|Client was closed|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e.message);
}

/**
 * The pool as Kysely sees it: a query that fails because the database went away (restart,
 * pg_terminate_backend, network) throws a 503 answer in Chinese instead of the driver's error, so
 * a loader or action cut off half-way answers "temporarily unavailable", not 500 — wherever the
 * query was. The transaction it was in is rolled back by PostgreSQL; nothing was acknowledged.
 */
function outageAware(pool: pg.Pool) {
  const unavailable = (e: unknown): never => {
    if (isDatabaseUnavailable(e)) throw new Response("数据库暂时无法连接，请稍后再试", { status: 503 });
    throw e;
  };
  return {
    connect: async () => {
      const client = await pool.connect().catch(unavailable);
      return new Proxy(client, {
        get(target, prop) {
          if (prop === "query") {
            return (...args: unknown[]) => {
              const r = (target.query as (...a: unknown[]) => unknown)(...args);
              return r instanceof Promise ? r.catch(unavailable) : r;
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
    end: () => pool.end(),
  };
}
