import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
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
  const name = `lsw_e2e_${Date.now().toString(36)}`;
  await ensureDatabase(process.env.TEST_DATABASE_URL, name);
  process.env.DATABASE_URL = withDatabase(process.env.TEST_DATABASE_URL, name);
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = await mkdtemp(path.join(os.tmpdir(), "linli-e2e-"));
  process.env.EMBEDDED_PG_PORT = String(20000 + Math.floor(Math.random() * 20000));
}
await import("../../server");
