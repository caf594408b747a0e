import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase } from "../../db/embedded";
import { APP_ROLE, OWNER_ROLE, adoptDatabase, ensureRoles, withUser } from "../../db/roles";
import { withDatabase } from "./global-setup";

/** The test cluster's role password (TEST_DATABASE_URL servers are throwaway test clusters). */
const E2E_ROLE_PASSWORD = "linli-e2e-roles";

/**
 * The server Playwright drives: the real production server on a fresh database with the demo
 * data, on TEST_DATABASE_URL's server when set, otherwise on an embedded PostgreSQL in a
 * temporary folder.
 */
process.env.NODE_ENV = "production";

// Everything the server logs during the run is kept, so scripts/check-logs.js can prove that no
// password or identity number ever reaches a log line.
await mkdir("test-results", { recursive: true });
const logFile = createWriteStream("test-results/e2e-server.log", { flags: "w" });
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logFile.write(chunk);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
process.env.COOKIE_SECURE ??= "false";
// The specs change data and read it back signed out within seconds: no page cache here (ADR 0009;
// app/platform/page-cache.test.ts tests it).
process.env.PAGE_CACHE_SECONDS ??= "0";
// Production refuses care data without keys; the test server gets fixed test keys.
process.env.CARE_ENCRYPTION_KEYS ??= "e2e:ZTJlLXRlc3Qta2V5LW5vdC1zZWNyZXQtMzItYnl0ZXM=";
process.env.CARE_HMAC_KEY ??= "ZTJlLXRlc3QtaG1hYy1ub3Qtc2VjcmV0LTMyYnl0ZSE=";
if (process.env.TEST_DATABASE_URL) {
  await dropStaleE2eDatabases(process.env.TEST_DATABASE_URL);
  const name = `lsw_e2e_${Date.now().toString(36)}_${process.pid}`;
  // The app runs as the least-privileged role, as in production: the whole suite proves its
  // grants are enough. Migrations and demo data run as the owner.
  await ensureRoles(process.env.TEST_DATABASE_URL, [
    { name: OWNER_ROLE, password: E2E_ROLE_PASSWORD },
    { name: APP_ROLE, password: E2E_ROLE_PASSWORD },
  ]);
  await ensureDatabase(process.env.TEST_DATABASE_URL, name);
  await adoptDatabase(withDatabase(process.env.TEST_DATABASE_URL, name), OWNER_ROLE);
  process.env.MIGRATION_DATABASE_URL = withUser(withDatabase(process.env.TEST_DATABASE_URL, name), OWNER_ROLE, E2E_ROLE_PASSWORD);
  process.env.DATABASE_URL = withUser(withDatabase(process.env.TEST_DATABASE_URL, name), APP_ROLE, E2E_ROLE_PASSWORD);
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = await mkdtemp(path.join(os.tmpdir(), "linli-e2e-"));
  process.env.EMBEDDED_PG_PORT = String(20000 + Math.floor(Math.random() * 20000));
}
await import("../../server");
// Specs that need ids from the demo data (tests/e2e/db.ts) read the database from here; their
// few arrangements no page makes connect as the owner, not as the app.
await writeFile("test-results/.e2e-database-url", process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? "");

/** Earlier runs' databases, once they are two hours old (a concurrent run's database is left alone). */
async function dropStaleE2eDatabases(adminUrl: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'lsw\\_e2e\\_%'");
    for (const r of rows) {
      const created = parseInt(r.datname.split("_")[2] ?? "", 36);
      if (Number.isFinite(created) && Date.now() - created > 2 * 3600_000) {
        await client.query(`drop database if exists "${r.datname}"`).catch(() => {});
      }
    }
  } finally {
    await client.end();
  }
}
