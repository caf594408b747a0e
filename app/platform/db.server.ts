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
    c = { url, pool, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }) };
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
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e.message);
}
