import { sql } from "kysely";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Database } from "../../../db/schema";
import { bareGrants } from "../../../tests/support/grants";
import { audit } from "../../platform/audit.server";
import { databaseUrl, getDb } from "../../platform/db.server";
import { appendLedgerEntry } from "../ledger/ledger.server";
import { createPool } from "../pools/pools.server";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { sealAuditLog, SEAL_GRACE_MINUTES, startAuditSealer, verifyChain, verifyChains } from "./chains.server";

/** As the database superuser, with triggers off: what someone with the server's keys could do. */
async function asSuperuser(statement: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query("set session_replication_role = replica");
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}

/** Copies of rows, to put them back exactly (the tests in this file share one database and its chains). */
async function saveRows(table: "audit_log" | "ledger_entries", where: string, params: unknown[]): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  const { rows } = await client.query<{ r: unknown }>(`select to_jsonb(t) as r from ${table} t where ${where}`, params);
  await client.end();
  return async () => {
    const ids = rows.map((r) => (r.r as { id: number }).id);
    await asSuperuser(`delete from ${table} where id = any($1::bigint[])`, [ids]);
    for (const r of rows) await asSuperuser(`insert into ${table} select * from jsonb_populate_record(null::${table}, $1)`, [r.r]);
  };
}

async function world() {
  const db = getDb();
  const t = await placeTree(db);
  const officer = await createUser(db, { name: "链测试官员", roles: [{ role: "officer", place: t.city }] });
  const ctx = { userId: officer.id, role: "officer" };
  const pool = await db.transaction().execute((trx) =>
    createPool(trx, ctx, { roles: [scoped("officer", t.city)] }, { placeId: t.city.id, name: `链测试资金池${Math.random()}`, source: "市福彩公益金", total: 10_000_000, periodStart: "2026-01-01", periodEnd: "2026-12-31" }),
  );
  return { db, ctx, poolId: pool.id, officer };
}

describe("hash chains over the audit log and the ledger", () => {
  it("seals ledger rows at commit and audit rows when the job runs: contiguous sequence, each hash = SHA-256(previous ‖ canonical content)", async () => {
    const { db, ctx, poolId } = await world();
    await sealAuditLog(db);
    for (let i = 0; i < 5; i++) {
      await db.transaction().execute(async (trx) => {
        await audit(trx, ctx, { action: "test.chain", entityType: "thing", entityId: i, summary: { n: i, 中文: "内容" } });
        await appendLedgerEntry(trx, ctx, { poolId, grantId: null, kind: "topup", amountFen: 100 + i, reason: "追加" });
      });
    }
    const ledger = await db.selectFrom("ledger_entries").select("chain_seq").where("reason", "=", "追加").execute();
    expect(ledger.every((r) => r.chain_seq !== null)).toBe(true);
    const waiting = await db.selectFrom("audit_log").select("chain_seq").where("action", "=", "test.chain").execute();
    expect(waiting.map((r) => r.chain_seq)).toEqual([null, null, null, null, null]);
    // Not sealed yet is not a break: the rows are younger than the grace period.
    const before = (await verifyChains(db)).find((r) => r.chain === "audit_log")!;
    expect(before.break).toBeNull();
    expect(before.pending).toBeGreaterThanOrEqual(5);

    expect((await sealAuditLog(db)).sealed).toBeGreaterThanOrEqual(5);
    const rows = await db.selectFrom("audit_log").select(["id", "chain_seq", "row_hash"]).orderBy("chain_seq").execute();
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.map((r) => Number(r.chain_seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.every((r) => r.row_hash?.length === 32)).toBe(true);
    const reports = await verifyChains(db);
    expect(reports.map((r) => r.break)).toEqual([null, null]);
    expect(reports.map((r) => r.pending)).toEqual([0, 0]);
    expect(reports[1].rows).toBeGreaterThanOrEqual(6);
  });

  it("does not seal what rolls back, and keeps the chain whole", async () => {
    const { db, ctx } = await world();
    await expect(
      db.transaction().execute(async (trx) => {
        await audit(trx, ctx, { action: "test.rolled_back", entityType: "thing" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await audit(db, ctx, { action: "test.after", entityType: "thing" });
    await sealAuditLog(db);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "test.rolled_back").execute()).toEqual([]);
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
  });

  it("names exactly the audit row a superuser changed behind the triggers", async () => {
    const { db, ctx } = await world();
    for (let i = 0; i < 20; i++) await audit(db, ctx, { action: "test.row", entityType: "thing", entityId: i, summary: { i } });
    await sealAuditLog(db);
    const victim = await db.selectFrom("audit_log").select("id").where("action", "=", "test.row").where("entity_id", "=", "12").executeTakeFirstOrThrow();
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
    const restore = await saveRows("audit_log", "id = $1", [victim.id]);
    await asSuperuser("update audit_log set summary = '{\"i\": 99}' where id = $1", [victim.id]);
    const report = await verifyChain(db, "audit_log");
    expect(report.break).toMatchObject({ id: String(victim.id), reason: "hash_mismatch" });
    await restore();
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
  });

  it("names exactly the ledger row whose amount was changed", async () => {
    const { db, ctx, poolId } = await world();
    for (let i = 0; i < 10; i++) await db.transaction().execute((trx) => appendLedgerEntry(trx, ctx, { poolId, grantId: null, kind: "topup", amountFen: 1000 + i, reason: `追加${i}` }));
    const rows = await db.selectFrom("ledger_entries").select(["id", "chain_seq"]).orderBy("chain_seq").execute();
    const restore = await saveRows("ledger_entries", "id = $1", [rows[7].id]);
    await asSuperuser("update ledger_entries set amount_fen = amount_fen + 1 where id = $1", [rows[7].id]);
    expect((await verifyChain(db, "ledger_entries")).break).toMatchObject({ id: String(rows[7].id), reason: "hash_mismatch" });
    await restore();
    expect((await verifyChain(db, "ledger_entries")).break).toBeNull();
  });

  it("detects a deleted row: the row after the gap is named", async () => {
    const { db, ctx } = await world();
    for (let i = 0; i < 10; i++) await audit(db, ctx, { action: "test.del", entityType: "thing", entityId: i });
    await sealAuditLog(db);
    const rows = await db.selectFrom("audit_log").select(["id"]).orderBy("chain_seq").execute();
    const restore = await saveRows("audit_log", "id = $1", [rows[4].id]);
    await asSuperuser("delete from audit_log where id = $1", [rows[4].id]);
    expect((await verifyChain(db, "audit_log")).break).toMatchObject({ id: String(rows[5].id), reason: "sequence_gap" });
    await restore();
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
  });

  it("detects rows removed from the end against a recorded anchor, and rows the seal never reached", async () => {
    const { db, ctx } = await world();
    for (let i = 0; i < 5; i++) await audit(db, ctx, { action: "test.tail", entityType: "thing", entityId: i });
    await sealAuditLog(db);
    const clean = await verifyChain(db, "audit_log");
    expect(clean.break).toBeNull();
    const anchor = { seq: clean.last!.seq, hash: clean.last!.hash };
    await audit(db, ctx, { action: "test.tail", entityType: "thing", entityId: "later" });
    await sealAuditLog(db);
    expect((await verifyChain(db, "audit_log", { anchor })).break).toBeNull();
    const restore = await saveRows("audit_log", "chain_seq >= $1", [anchor.seq]);
    await asSuperuser("delete from audit_log where chain_seq >= $1", [anchor.seq]);
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
    expect((await verifyChain(db, "audit_log", { anchor })).break).toMatchObject({ id: null, reason: "anchor_mismatch" });
    await restore();

    const w2 = await world();
    await asSuperuser("insert into ledger_entries (pool_id, kind, amount_fen, reason) values ($1, 'topup', 5, '绕过触发器')", [w2.poolId]);
    const sneaked = await db.selectFrom("ledger_entries").select("id").where("reason", "=", "绕过触发器").executeTakeFirstOrThrow();
    expect((await verifyChain(db, "ledger_entries")).break).toMatchObject({ id: String(sneaked.id), reason: "unsealed" });
    await asSuperuser("delete from ledger_entries where id = $1", [sneaked.id]);
    expect((await verifyChains(db)).map((r) => r.break)).toEqual([null, null]);

    // An audit row still unsealed after the grace period: the job has not been running.
    await asSuperuser(`insert into audit_log (action, entity_type, at) values ('test.stale', 'thing', now() - interval '${SEAL_GRACE_MINUTES + 1} minutes')`);
    const stale = await db.selectFrom("audit_log").select("id").where("action", "=", "test.stale").executeTakeFirstOrThrow();
    expect((await verifyChain(db, "audit_log")).break).toMatchObject({ id: String(stale.id), reason: "unsealed" });
    await asSuperuser("delete from audit_log where id = $1", [stale.id]);
    expect((await verifyChain(db, "audit_log")).break).toBeNull();
  });

  it("an app server's sealer seals new audit rows every interval, and what is left when it stops, then no more", async () => {
    const { db, ctx } = await world();
    const errors: unknown[] = [];
    const sealer = startAuditSealer(db, { intervalMs: 50, onError: (e) => errors.push(e) });
    try {
      await audit(db, ctx, { action: "test.sealer", entityType: "thing", entityId: 1 });
      const sealedWithin = async (ms: number) => {
        for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
          const row = await db.selectFrom("audit_log").select("chain_seq").where("action", "=", "test.sealer").executeTakeFirstOrThrow();
          if (row.chain_seq !== null) return true;
        }
        return false;
      };
      expect(await sealedWithin(5_000)).toBe(true);
    } finally {
      await sealer.stop();
    }
    await audit(db, ctx, { action: "test.after_stop", entityType: "thing" });
    await new Promise((r) => setTimeout(r, 200));
    const late = await db.selectFrom("audit_log").select("chain_seq").where("action", "=", "test.after_stop").executeTakeFirstOrThrow();
    expect(late.chain_seq).toBeNull();
    // A server shutting down between two runs seals what waits before it goes.
    const slow = startAuditSealer(db, { intervalMs: 600_000, onError: (e) => errors.push(e) });
    await slow.stop();
    const sealedAtStop = await db.selectFrom("audit_log").select("chain_seq").where("action", "=", "test.after_stop").executeTakeFirstOrThrow();
    expect(sealedAtStop.chain_seq).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it("refuses a row that arrives with its own chain values", async () => {
    const { db } = await world();
    await expect(sql`insert into audit_log (action, entity_type, chain_seq, row_hash) values ('x', 'y', 999, '\\x00')`.execute(db)).rejects.toThrow(/只追加/);
    // Either value alone is refused too (the trigger is asked only when one is there).
    await expect(sql`insert into audit_log (action, entity_type, chain_seq) values ('x', 'y', 999)`.execute(db)).rejects.toThrow(/只追加/);
    await expect(sql`insert into audit_log (action, entity_type, row_hash) values ('x', 'y', '\\x00')`.execute(db)).rejects.toThrow(/只追加/);
  });

  it("50 concurrent writers and two sealing jobs on separate connections do not fork either chain", async () => {
    const { ctx, poolId, officer } = await world();
    const grants = await bareGrants(getDb(), poolId, officer.id, 1);
    const pool = new pg.Pool({ connectionString: databaseUrl(), max: 50 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await sealAuditLog(getDb());
    const before = await getDb().selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    // Two app servers' sealers at work while the writers write. Each pass reads `writing` before it
    // starts, so the last pass of each starts after every writer has committed.
    let writing = true;
    const sealer = async (on: Kysely<Database>) => {
      let sealed = 0;
      for (;;) {
        const last = !writing;
        sealed += (await sealAuditLog(on, 7)).sealed;
        if (last) return sealed;
      }
    };
    const sealers = [sealer(getDb()), sealer(db)];
    try {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          db.transaction().execute(async (trx) => {
            // Some write the ledger first, some the audit log first: both orders must neither deadlock nor fork.
            if (i % 2) await audit(trx, ctx, { action: "test.concurrent", entityType: "thing", entityId: i });
            await appendLedgerEntry(trx, ctx, { poolId, grantId: i % 3 ? null : grants[0], kind: i % 3 ? "topup" : "commit", amountFen: 10 + i, reason: `并发${i}` });
            await sql`select pg_sleep(${Math.random() / 50})`.execute(trx);
            if (!(i % 2)) await audit(trx, ctx, { action: "test.concurrent", entityType: "thing", entityId: i });
          }),
        ),
      );
      writing = false;
      // Between them the sealers took exactly the rows written meanwhile (50, and the ledger's own audit rows), and left none.
      const sealed = (await Promise.all(sealers)).reduce((a, b) => a + b, 0);
      const written = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("id", ">", String(before.id ?? 0)).executeTakeFirstOrThrow();
      expect(Number(written.n)).toBeGreaterThanOrEqual(50);
      expect(sealed).toBe(Number(written.n));
    } finally {
      writing = false;
      await db.destroy();
    }
    const unsealed = await getDb().selectFrom("audit_log").select("id").where("chain_seq", "is", null).execute();
    expect(unsealed).toEqual([]);
    const reports = await verifyChains(getDb());
    expect(reports.map((r) => r.break)).toEqual([null, null]);
    const seqs = await getDb().selectFrom("ledger_entries").select("chain_seq").orderBy("chain_seq").execute();
    expect(seqs.map((r) => Number(r.chain_seq))).toEqual(seqs.map((_, i) => i + 1));
    const concurrent = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "test.concurrent").executeTakeFirstOrThrow();
    expect(Number(concurrent.n)).toBe(50);
  });

  it("verifies a clean chain of 100,000 rows in under 10 seconds", { timeout: 300_000 }, async () => {
    const db = getDb();
    const t0 = Date.now();
    await sql`insert into audit_log (action, entity_type, entity_id, summary)
      select 'test.bulk', 'thing', g::text, jsonb_build_object('n', g, '说明', '批量写入的审计行') from generate_series(1, 100000) g`.execute(db);
    const written = Date.now() - t0;
    const t2 = Date.now();
    expect((await sealAuditLog(db)).sealed).toBeGreaterThanOrEqual(100_000);
    const sealing = Date.now() - t2;
    const t1 = Date.now();
    const report = (await verifyChains(db)).find((r) => r.chain === "audit_log")!;
    const ms = Date.now() - t1;
    process.stdout.write(`hash chain: wrote 100000 audit rows in ${written} ms, sealed them in ${sealing} ms; verified ${report.rows} rows in ${ms} ms` + "\n");
    expect(report.break).toBeNull();
    expect(report.rows).toBeGreaterThanOrEqual(100_000);
    expect(ms).toBeLessThan(10_000);
  });
});
