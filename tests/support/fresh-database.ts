import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { closeDb } from "../../app/platform/db.server";
import { withDatabase } from "./global-setup";

// Runs before each test file: a fresh database copied from the migrated template.
const adminUrl = inject("adminUrl");
const name = `lsw_t_${inject("runId")}_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
// CREATE DATABASE … TEMPLATE fails while another session is copying the same template; retry.
for (let attempt = 0; ; attempt++) {
  try {
    await admin.query(`create database ${name} template ${inject("templateDatabase")}`);
    break;
  } catch (e) {
    if (attempt > 50 || !/being accessed by other users/.test(String(e))) throw e;
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
}
process.env.DATABASE_URL = withDatabase(adminUrl, name);

afterAll(async () => {
  await closeDb();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});
