import { CompiledQuery, Kysely, PostgresDialect, type Compilable, type QueryResult, type RawBuilder, type Transaction } from "kysely";
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

/** `DATABASE_PREPARED_STATEMENTS=off` sends every query unnamed (for a pooler that cannot keep them). */
export function preparedStatementsOn(): boolean {
  return process.env.DATABASE_PREPARED_STATEMENTS !== "off";
}

/**
 * Runs `work` in a transaction: the caller's, when `db` already is one, or a new one. For a command
 * that is usually one statement and needs a transaction only on some paths.
 */
export function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
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
 * SQL text → statement name, for the few fixed-shape queries every request runs (see `prepared`).
 * On globalThis like the pool: the pool's wrapper may come from the server entry's copy of this
 * module while the queries are marked by the Remix build's copy.
 */
const PREPARED_KEY = Symbol.for("linli.db.prepared");
const preparedSlot = globalThis as unknown as { [PREPARED_KEY]?: { texts: Map<string, string>; names: Set<string> } };
const { texts: PREPARED, names: PREPARED_NAMES } = (preparedSlot[PREPARED_KEY] ??= { texts: new Map(), names: new Set() });

/**
 * Marks a fixed-shape query (same SQL text every time, only the values change) to run as a named
 * prepared statement: each connection parses and plans it once, then reuses the plan. Planning was
 * most of PostgreSQL's time for the per-request lookups (session, roles, the issue of a command:
 * 0.13–0.20 ms to plan, 0.04 ms to run). Only for queries whose plan does not depend on the values
 * (lookups by key); a query whose text varies (IN lists, optional filters) is left unnamed, because
 * the text is registered once per name.
 *
 * Named statements are state on the server connection: behind PgBouncer in transaction mode they
 * need PgBouncer ≥ 1.21 with `max_prepared_statements` > 0, or `DATABASE_PREPARED_STATEMENTS=off`.
 * A migration that changes the columns a prepared query returns needs the app servers restarted
 * (they are, to deploy it); the queries name their columns, so an added column changes nothing.
 */
export function prepared<Q extends { compile(): CompiledQuery }>(name: string, query: Q): Q;
/** A raw statement (sql`…`) compiles against the executor it will run on. */
export function prepared<R>(name: string, query: RawBuilder<R>, db: Executor): RawBuilder<R>;
export function prepared(name: string, query: { compile(): CompiledQuery } | RawBuilder<unknown>, db?: Executor): unknown {
  if (!preparedStatementsOn()) return query;
  if (!PREPARED_NAMES.has(name)) {
    PREPARED_NAMES.add(name);
    PREPARED.set((db ? (query as RawBuilder<unknown>).compile(db) : (query as { compile(): CompiledQuery }).compile()).sql, name);
  }
  return query;
}

const PLACEHOLDER = "\u0000linli-arg-";

/**
 * A fixed-shape query built and compiled once; each later call only binds its values. `build` runs
 * on the first call with a placeholder in place of each argument, and every parameter equal to a
 * placeholder is the argument at each call. Building and compiling with Kysely was ~9 % of a
 * write's CPU for the per-request lookups (docs/performance.md). Runs as the named prepared
 * statement `name` (see `prepared`). An argument must be a value of the query (not shape its text)
 * and every argument must be used: the first call checks both and throws otherwise. A value the
 * builder puts in itself (a constant, a date) is kept from the first call: everything that varies
 * must come in as an argument.
 */
export function fixedQuery<A extends unknown[], R>(name: string, build: (db: DB, ...args: A) => Compilable<R>): (db: Executor, ...args: A) => Promise<QueryResult<R>> {
  let compiled: { sql: string; slots: Array<{ arg: number } | { value: unknown }> } | undefined;
  return (db, ...args) => {
    if (!compiled) {
      const placeholders = args.map((_, i) => `${PLACEHOLDER}${i}`);
      const query = build(db as DB, ...(placeholders as A)).compile();
      const slots = query.parameters.map((p) => (typeof p === "string" && placeholders.includes(p) ? { arg: placeholders.indexOf(p) } : { value: p }));
      const used = new Set(slots.flatMap((s) => ("arg" in s ? [s.arg] : [])));
      // A placeholder changed on its way in (`${arg}%`, trimmed, lower-cased) would bind the raw value later.
      const altered = slots.some((s) => "value" in s && typeof s.value === "string" && s.value.includes(PLACEHOLDER));
      if (query.sql.includes(PLACEHOLDER) || altered || used.size !== args.length) throw new Error(`fixedQuery ${name}: every argument must be a parameter of the query`);
      if (preparedStatementsOn() && !PREPARED_NAMES.has(name)) {
        PREPARED_NAMES.add(name);
        PREPARED.set(query.sql, name);
      }
      compiled = { sql: query.sql, slots };
    }
    const { sql: text, slots } = compiled;
    return db.executeQuery<R>(CompiledQuery.raw(text, slots.map((s) => ("arg" in s ? args[s.arg] : s.value))) as CompiledQuery<R>);
  };
}

/**
 * The pool as Kysely sees it: a query that fails because the database went away (restart,
 * pg_terminate_backend, network) throws a 503 answer in Chinese instead of the driver's error, so
 * a loader or action cut off half-way answers "temporarily unavailable", not 500 — wherever the
 * query was. The transaction it was in is rolled back by PostgreSQL; nothing was acknowledged.
 * A query marked `prepared` goes to the driver with its statement name.
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
              const name = typeof args[0] === "string" && preparedStatementsOn() ? PREPARED.get(args[0]) : undefined;
              if (name) args = [{ name, text: args[0], values: args[1] }];
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
