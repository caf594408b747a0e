import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase } from "../../db/embedded";
import { withDatabase } from "./global-setup";

/**
 * The server Playwright drives: the real production server on a fresh database with the demo
 * data, on TEST_DATABASE_URL's server when set, otherwise on an embedded PostgreSQL in a
 * temporary folder.
 */
process.env.NODE_ENV = "production";
process.env.COOKIE_SECURE ??= "false";
// Production refuses care data without keys; the test server gets fixed test keys.
process.env.CARE_ENCRYPTION_KEYS ??= "e2e:ZTJlLXRlc3Qta2V5LW5vdC1zZWNyZXQtMzItYnl0ZXM=";
process.env.CARE_HMAC_KEY ??= "ZTJlLXRlc3QtaG1hYy1ub3Qtc2VjcmV0LTMyYnl0ZSE=";
if (process.env.TEST_DATABASE_URL) {
  await dropStaleE2eDatabases(process.env.TEST_DATABASE_URL);
  const name = `lsw_e2e_${Date.now().toString(36)}_${process.pid}`;
  await ensureDatabase(process.env.TEST_DATABASE_URL, name);
  process.env.DATABASE_URL = withDatabase(process.env.TEST_DATABASE_URL, name);
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = await mkdtemp(path.join(os.tmpdir(), "linli-e2e-"));
  process.env.EMBEDDED_PG_PORT = String(20000 + Math.floor(Math.random() * 20000));
}
await import("../../server");
// Specs that need ids from the demo data (tests/e2e/db.ts) read the database from here.
await mkdir("test-results", { recursive: true });
await writeFile("test-results/.e2e-database-url", process.env.DATABASE_URL ?? "");

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
