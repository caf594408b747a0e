import { readFileSync } from "node:fs";
import pg from "pg";

let pool: pg.Pool | undefined;

/**
 * The e2e server's database (written by tests/support/e2e-server.ts): to look up demo ids, and for
 * the few arrangements no page makes (a deadline that has passed). What people do goes through pages.
 */
export function e2eDatabaseUrl(): string {
  return readFileSync("test-results/.e2e-database-url", "utf8").trim();
}

export function e2eDb(): pg.Pool {
  // Named, so that reliability.spec.ts cuts only the app's connections, never a spec's own.
  pool ??= new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 2, application_name: "e2e-tests" });
  return pool;
}

export async function one<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await e2eDb().query<T>(sql, params);
  if (!rows[0]) throw new Error(`no row for: ${sql}`);
  return rows[0];
}
