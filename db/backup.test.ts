import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { awardBid } from "../app/domain/grants/grants.server";
import { poolBalance } from "../app/domain/ledger/ledger.server";
import { fixedClock } from "../app/platform/clock";
import { getDb } from "../app/platform/db.server";
import { grantWorld } from "../tests/support/grants";
import { backupDatabase, backupEmbedded, restoreDatabase, restoreEmbedded } from "./backup";
import type { Database } from "./schema";

async function rowCounts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1");
    const out: Record<string, number> = {};
    for (const { t } of tables) out[t] = Number((await c.query<{ n: string }>(`select count(*) as n from "${t}"`)).rows[0].n);
    return out;
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

describe("npm run db:backup / db:restore on a PostgreSQL server", () => {
  it("restores a backup into a new database with the same rows in every table and the same ledger balances", async () => {
    const db = getDb();
    const url = process.env.DATABASE_URL!;
    // Data: places, people, an organisation, a call with bids, a pool with money, an award (a ledger commit).
    const w = await grantWorld(db, { poolFen: 10_000_000, bids: 2 });
    await db.transaction().execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: w.bids[0].id, amountFen: 1_000_000, idempotencyKey: randomUUID() }, fixedClock("2026-03-06T15:00:00+08:00")));
    const before = await rowCounts(url);
    const balanceBefore = await poolBalance(db, w.poolId);
    expect(before.ledger_entries).toBeGreaterThanOrEqual(2);
    expect(balanceBefore.committed).toBe(1_000_000);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "linli-backup-"));
    const file = path.join(dir, "backup.dump");
    await backupDatabase(url, file);
    expect((await fs.stat(file)).size).toBeGreaterThan(1000);

    const name = `lsw_restore_${Date.now().toString(36)}_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const restoredUrl = withDatabase(url, name);
    let restored: Kysely<Database> | undefined;
    try {
      await restoreDatabase(file, restoredUrl);
      expect(await rowCounts(restoredUrl)).toEqual(before);
      const pool = new pg.Pool({ connectionString: restoredUrl, max: 2 });
      pool.on("error", () => {}); // the database is dropped (with force) at the end
      restored = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      expect(await poolBalance(restored, w.poolId)).toEqual(balanceBefore);
      // The audit log's append-only trigger came back with the data.
      await expect(restored.deleteFrom("audit_log").execute()).rejects.toThrow();
      // Restoring again over the now-filled database is refused.
      await expect(restoreDatabase(file, restoredUrl)).rejects.toThrow(/只恢复到新建的空数据库/);
    } finally {
      await restored?.destroy();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the embedded database's backup (a copy of DATA_DIR)", () => {
  async function fakeDataDir(pid: number | null) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "linli-data-"));
    await fs.mkdir(path.join(dir, "pg", "base"), { recursive: true });
    await fs.writeFile(path.join(dir, "pg", "PG_VERSION"), "18\n");
    await fs.writeFile(path.join(dir, "pg", "base", "16384"), "table bytes");
    await fs.writeFile(path.join(dir, "care-keys.json"), "{}");
    if (pid !== null) await fs.writeFile(path.join(dir, "pg", "postmaster.pid"), `${pid}\n/data\n`);
    return dir;
  }

  it("is refused while the server runs (its postmaster.pid names a live process)", async () => {
    const dir = await fakeDataDir(process.pid);
    await expect(backupEmbedded(dir, `${dir}-copy`)).rejects.toThrow(/正在运行/);
    await expect(fs.access(`${dir}-copy`)).rejects.toThrow();
  });

  it("copies the stopped folder (database, keys) and restores it only into a folder without a database", async () => {
    const dir = await fakeDataDir(2 ** 22 + 12345); // a pid that is not running: a stale file
    const copy = `${dir}-copy`;
    await backupEmbedded(dir, copy);
    expect(await fs.readFile(path.join(copy, "pg", "base", "16384"), "utf8")).toBe("table bytes");
    expect(await fs.readFile(path.join(copy, "care-keys.json"), "utf8")).toBe("{}");
    await expect(fs.access(path.join(copy, "pg", "postmaster.pid"))).rejects.toThrow();

    await expect(restoreEmbedded(copy, dir)).rejects.toThrow(/已有数据库/);
    const fresh = `${dir}-restored`;
    await restoreEmbedded(copy, fresh);
    expect(await fs.readFile(path.join(fresh, "pg", "PG_VERSION"), "utf8")).toBe("18\n");
  });
});
