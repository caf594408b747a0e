import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { bareGrants } from "../../../tests/support/grants";
import { databaseUrl, getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { createPool, topUpPool } from "../pools/pools.server";
import { checkLedger } from "./check.server";
import { commitFromPool, disburseToGrant, refundFromGrant, releaseFromGrant } from "./ledger.server";


/** A small deterministic generator, so a failing run can be repeated with its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("ledger:check — money is conserved", () => {
  it("after 10,000 random awards, releases, disbursements, refunds, top-ups and replays, 8 at a time: 0 violations", { timeout: 600_000 }, async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db, { name: "守恒测试官员", roles: [{ role: "officer", place: t.city }] });
    const ctx = { userId: officer.id, role: "officer" };
    const pools: string[] = [];
    const grants: Array<{ id: string; poolId: string }> = [];
    for (let i = 0; i < 8; i++) {
      const p = await db.transaction().execute((trx) =>
        createPool(trx, ctx, { roles: [scoped("officer", t.city)] }, { placeId: t.city.id, name: `守恒测试资金池${i}`, source: "市福彩公益金", total: 2_000_000, periodStart: "2026-01-01", periodEnd: "2026-12-31" }),
      );
      pools.push(p.id);
      for (const g of await bareGrants(db, p.id, officer.id, 12)) grants.push({ id: g, poolId: p.id });
    }

    const seed = Number(process.env.LEDGER_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const amount = (max: number) => 1 + Math.floor(random() * max);
    const sent: Array<() => Promise<unknown>> = [];
    const outcome = { done: 0, refused: 0, replays: 0, byKind: {} as Record<string, number> };
    const N = 10_000;
    let next = 0;

    function operation(): () => Promise<unknown> {
      const r = random();
      const g = pick(grants);
      const key = randomUUID();
      let op: () => Promise<unknown>;
      let kind: string;
      if (r < 0.3) {
        kind = "commit";
        const a = amount(120_000);
        op = () => db.transaction().execute((trx) => commitFromPool(trx, ctx, { poolId: g.poolId, grantId: g.id, amountFen: a, reason: "随机立项", idempotencyKey: key }));
      } else if (r < 0.55) {
        kind = "disburse";
        const a = amount(80_000);
        op = () => db.transaction().execute((trx) => disburseToGrant(trx, ctx, { grantId: g.id, amountFen: a, reason: "随机拨付", paymentReference: "PAY", idempotencyKey: key }));
      } else if (r < 0.7) {
        kind = "release";
        const a = amount(60_000);
        op = () => db.transaction().execute((trx) => releaseFromGrant(trx, ctx, { grantId: g.id, amountFen: a, reason: "随机释放", idempotencyKey: key }));
      } else if (r < 0.85) {
        kind = "refund";
        const a = amount(40_000);
        op = () => db.transaction().execute((trx) => refundFromGrant(trx, ctx, { grantId: g.id, amountFen: a, reason: "随机退回", paymentReference: "BACK", idempotencyKey: key }));
      } else if (r < 0.9) {
        kind = "topup";
        const a = amount(300_000);
        const poolId = pick(pools);
        op = () => db.transaction().execute((trx) => topUpPool(trx, ctx, poolId, { amount: a, reason: "随机注资", idempotencyKey: key }));
      } else if (sent.length > 0) {
        kind = "replay";
        op = pick(sent);
      } else {
        return operation();
      }
      outcome.byKind[kind] = (outcome.byKind[kind] ?? 0) + 1;
      if (kind !== "replay") sent.push(op);
      else outcome.replays++;
      return op;
    }

    async function worker() {
      while (next < N) {
        next++;
        const op = operation();
        try {
          await op();
          outcome.done++;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          outcome.refused++;
        }
      }
    }
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    const ms = Date.now() - started;

    const checked = Date.now();
    const r = await checkLedger(db);
    process.stdout.write(`ledger check (seed ${seed}): ${N} operations in ${ms} ms (${outcome.done} done, ${outcome.refused} refused, ${outcome.replays} replays, ${JSON.stringify(outcome.byKind)}); checked ${r.rows} rows in ${Date.now() - checked} ms: ${r.violations.length} violations` + "\n");
    expect(r.violations).toEqual([]);
    expect(outcome.done + outcome.refused).toBe(N);
    expect(r.rows).toBeGreaterThan(3000);
    const kinds = await db.selectFrom("ledger_entries").select(["kind", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("kind").execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(["commit", "disburse", "refund", "release", "topup"]);
  });

  it("lists what breaks conservation: a disbursement beyond the commitment written behind the app's back", async () => {
    const db = getDb();
    const grant = await db.selectFrom("grants").select(["id", "pool_id"]).executeTakeFirstOrThrow();
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      await client.query("insert into ledger_entries (pool_id, grant_id, kind, amount_fen, reason) values ($1, $2, 'disburse', 999999999, '越权拨付')", [grant.pool_id, grant.id]);
    } finally {
      await client.end();
    }
    const r = await checkLedger(db);
    expect(r.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(["grant_disbursed_over_committed", "pool_disbursed_over_committed"]));
    expect(r.violations.find((v) => v.rule === "grant_disbursed_over_committed")?.subject).toContain(grant.id);
  });
});
