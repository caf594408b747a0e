import { randomUUID } from "node:crypto";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Database, LedgerKind } from "../../../db/schema";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { bareGrants } from "../../../tests/support/grants";
import type { AuditContext } from "../../platform/audit.server";
import { databaseUrl, getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { createPool } from "../pools/pools.server";
import { appendLedgerEntry, commitFromPool, grantBalance, poolBalance } from "./ledger.server";

async function newPool(totalFen: number) {
  const db = getDb();
  const t = await placeTree(db);
  const officer = await createUser(db, { roles: [{ role: "officer", place: t.city }] });
  const ctx: AuditContext = { userId: officer.id, role: "officer", requestId: "req-test", ip: null };
  const pool = await db.transaction().execute((trx) =>
    createPool(trx, ctx, { roles: [scoped("officer", t.city)] }, {
      placeId: t.city.id,
      name: "测试资金池",
      source: "市福彩公益金",
      total: totalFen,
      periodStart: "2026-01-01",
      periodEnd: "2026-12-31",
    }),
  );
  return { pool, ctx };
}

describe("the ledger is append-only", () => {
  it("is refused UPDATE, DELETE and TRUNCATE by the database itself", async () => {
    const db = getDb();
    const { pool } = await newPool(100_000);
    await expect(sql`update ledger_entries set amount_fen = 1`.execute(db)).rejects.toThrow(/只追加/);
    await expect(sql`delete from ledger_entries`.execute(db)).rejects.toThrow(/只追加/);
    // CASCADE, because disbursements reference ledger rows: the append-only trigger must still refuse.
    await expect(sql`truncate ledger_entries cascade`.execute(db)).rejects.toThrow(/只追加/);
    expect(await db.selectFrom("ledger_entries").select(["kind", "amount_fen"]).where("pool_id", "=", pool.id).execute()).toEqual([{ kind: "topup", amount_fen: 100_000 }]);
  });

  it("has the database refuse a zero or negative amount, a top-up tied to a grant and a commitment without one", async () => {
    const db = getDb();
    const { pool } = await newPool(100_000);
    const row = { pool_id: pool.id, reason: "测试", amount_fen: 100 };
    await expect(db.insertInto("ledger_entries").values({ ...row, kind: "commit", grant_id: randomUUID(), amount_fen: 0 }).execute()).rejects.toThrow(/check/);
    await expect(db.insertInto("ledger_entries").values({ ...row, kind: "commit", grant_id: randomUUID(), amount_fen: -5 }).execute()).rejects.toThrow(/check/);
    await expect(db.insertInto("ledger_entries").values({ ...row, kind: "topup", grant_id: randomUUID() }).execute()).rejects.toThrow(/check/);
    await expect(db.insertInto("ledger_entries").values({ ...row, kind: "commit", grant_id: null }).execute()).rejects.toThrow(/check/);
  });
});

describe("committing money from a pool", () => {
  it("refuses more than is available, with both figures in the reason", async () => {
    const db = getDb();
    const { pool, ctx } = await newPool(1_000_000);
    const [g1, g2] = await bareGrants(db, pool.id, ctx.userId!, 2);
    const first = await db.transaction().execute((trx) => commitFromPool(trx, ctx, { poolId: pool.id, grantId: g1, amountFen: 700_000, reason: "立项" }));
    expect(first.balance).toEqual({ total: 1_000_000, committed: 700_000, disbursed: 0, available: 300_000 });
    const e = await db
      .transaction()
      .execute((trx) => commitFromPool(trx, ctx, { poolId: pool.id, grantId: g2, amountFen: 300_001, reason: "立项" }))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).message).toBe("资金池余额不足：可用 3,000.00 元，需 3,000.01 元");
    expect(await poolBalance(db, pool.id)).toEqual(first.balance);
  });

  it("commits once per idempotency key, and refuses the key for a different commitment", async () => {
    const db = getDb();
    const { pool, ctx } = await newPool(1_000_000);
    const [grantId] = await bareGrants(db, pool.id, ctx.userId!, 1);
    const input = { poolId: pool.id, grantId, amountFen: 100_000, reason: "立项", idempotencyKey: "award-1" };
    const a = await db.transaction().execute((trx) => commitFromPool(trx, ctx, input));
    const b = await db.transaction().execute((trx) => commitFromPool(trx, ctx, input));
    expect(b.entryId).toBe(a.entryId);
    expect((await poolBalance(db, pool.id)).committed).toBe(100_000);
    await expect(db.transaction().execute((trx) => commitFromPool(trx, ctx, { ...input, amountFen: 1 }))).rejects.toThrow("该请求编号已用于另一笔资金操作");
  });

  it("never commits more than the pool holds when 50 awards arrive at once over separate connections", async () => {
    const { pool, ctx } = await newPool(1_000_000);
    // A pool of its own, wide enough that the 50 transactions really run side by side.
    const wide = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(), max: 30 }) }) });
    const amounts = Array.from({ length: 50 }, (_, i) => [20_000, 30_000, 50_000, 70_000][i % 4]);
    const grantIds = await bareGrants(getDb(), pool.id, ctx.userId!, 50);
    let inFlight = 0;
    let maxInFlight = 0;
    try {
      const outcomes = await Promise.all(
        amounts.map((amountFen, i) =>
          wide
            .transaction()
            .execute(async (trx) => {
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              try {
                return await commitFromPool(trx, ctx, { poolId: pool.id, grantId: grantIds[i], amountFen, reason: "并发立项" });
              } finally {
                inFlight--;
              }
            })
            .then(() => ({ ok: true as const, amountFen }))
            .catch((e: unknown) => ({ ok: false as const, amountFen, error: e })),
        ),
      );
      const granted = outcomes.filter((o) => o.ok);
      const refused = outcomes.filter((o) => !o.ok);
      const committed = granted.reduce((s, o) => s + o.amountFen, 0);
      const balance = await poolBalance(getDb(), pool.id);

      expect(maxInFlight).toBeGreaterThan(1);
      expect(granted.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(committed).toBeLessThanOrEqual(1_000_000);
      expect(balance).toEqual({ total: 1_000_000, committed, disbursed: 0, available: 1_000_000 - committed });
      for (const r of refused) {
        expect(r.error).toBeInstanceOf(DomainError);
        expect((r.error as DomainError).message).toMatch(/^资金池余额不足：可用 [\d,]+\.\d{2} 元，需 [\d,]+\.\d{2} 元$/);
      }
      // Nothing was refused that the pool could still have paid at the end.
      expect(balance.available).toBeLessThan(Math.min(...refused.map((r) => r.amountFen)));
      const rows = await getDb().selectFrom("ledger_entries").select("amount_fen").where("pool_id", "=", pool.id).where("kind", "=", "commit").execute();
      expect(rows).toHaveLength(granted.length);
    } finally {
      await wide.destroy();
    }
  });
});

describe("balances are derived from rows", () => {
  it("agree with a recomputation from scratch over every raw row", async () => {
    const db = getDb();
    const { pool: p1, ctx } = await newPool(5_000_000);
    const { pool: p2 } = await newPool(2_000_000);
    const grants = [...(await bareGrants(db, p1.id, ctx.userId!, 2)), ...(await bareGrants(db, p2.id, ctx.userId!, 1))];
    const steps: Array<[string, LedgerKind, string | null, number]> = [
      [p1.id, "commit", grants[0], 1_200_000],
      [p1.id, "commit", grants[1], 800_000],
      [p1.id, "disburse", grants[0], 600_000],
      [p1.id, "topup", null, 1_000_000],
      [p1.id, "release", grants[1], 300_000],
      [p1.id, "disburse", grants[1], 250_000],
      [p1.id, "refund", grants[0], 50_000],
      [p2.id, "commit", grants[2], 1_999_999],
      [p2.id, "disburse", grants[2], 1],
    ];
    for (const [poolId, kind, grantId, amountFen] of steps) {
      await db.transaction().execute((trx) => appendLedgerEntry(trx, ctx, { poolId, grantId, kind, amountFen, reason: `测试${kind}` }));
    }

    const rows = await db.selectFrom("ledger_entries").selectAll().where("pool_id", "in", [p1.id, p2.id]).execute();
    const total = (filter: (r: (typeof rows)[number]) => boolean, kind: LedgerKind) =>
      rows.filter((r) => filter(r) && r.kind === kind).reduce((s, r) => s + r.amount_fen, 0);
    for (const p of [p1, p2]) {
      const mine = (r: (typeof rows)[number]) => r.pool_id === p.id;
      const committed = total(mine, "commit") - total(mine, "release");
      expect(await poolBalance(db, p.id)).toEqual({
        total: total(mine, "topup"),
        committed,
        disbursed: total(mine, "disburse") - total(mine, "refund"),
        available: total(mine, "topup") - committed,
      });
    }
    for (const g of grants) {
      const mine = (r: (typeof rows)[number]) => r.grant_id === g;
      const awarded = total(mine, "commit") - total(mine, "release");
      const disbursed = total(mine, "disburse") - total(mine, "refund");
      expect(await grantBalance(db, g)).toEqual({ awarded, disbursed, remaining: awarded - disbursed });
    }
    expect(await poolBalance(db, p1.id)).toEqual({ total: 6_000_000, committed: 1_700_000, disbursed: 800_000, available: 4_300_000 });
  });
});
