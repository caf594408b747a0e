import { sql } from "kysely";
import type { LedgerKind } from "../../../db/schema";
import { formatYuan } from "../../lib/money";
import type { DB, Executor } from "../../platform/db.server";
import { grantBalances, poolBalances } from "./ledger.server";
import { grantBalanceOf, poolBalanceOf, type GrantBalance, type PoolBalance } from "./rules";

/**
 * The conservation check behind `npm run ledger:check`: every pool's available balance ≥ 0,
 * disbursed ≤ committed for every grant, no negative figure, each grant's rows in its own pool,
 * every paid disbursement backed by its ledger row, and the balances the app derives in SQL
 * equal a recompute from the raw rows here (streamed in id batches). One repeatable-read
 * snapshot, so a check during business hours sees one consistent ledger.
 */

export interface LedgerViolation {
  rule: string;
  subject: string;
  detail: string;
}

export interface LedgerCheck {
  rows: number;
  pools: number;
  grants: number;
  violations: LedgerViolation[];
}

type Sums = Record<LedgerKind, number>;
const zero = (): Sums => ({ topup: 0, commit: 0, release: 0, disburse: 0, refund: 0 });
const same = (a: PoolBalance | GrantBalance, b: PoolBalance | GrantBalance) => JSON.stringify(a) === JSON.stringify(b);

async function check(db: Executor, batchSize: number): Promise<LedgerCheck> {
  const violations: LedgerViolation[] = [];
  const byPool = new Map<string, Sums>();
  const byGrant = new Map<string, Sums>();
  let rows = 0;
  for (let after = 0; ; ) {
    const page = await db
      .selectFrom("ledger_entries")
      .select(["id", "pool_id", "grant_id", "kind", "amount_fen"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(batchSize)
      .execute();
    for (const r of page) {
      rows++;
      const p = byPool.get(r.pool_id) ?? zero();
      p[r.kind] += Number(r.amount_fen);
      byPool.set(r.pool_id, p);
      if (r.grant_id) {
        const g = byGrant.get(r.grant_id) ?? zero();
        g[r.kind] += Number(r.amount_fen);
        byGrant.set(r.grant_id, g);
      }
      after = Number(r.id);
    }
    if (page.length < batchSize) break;
  }

  const pools = await db.selectFrom("funding_pools").select(["id", "name"]).execute();
  const derivedPools = await poolBalances(db, pools.map((p) => p.id));
  for (const p of pools) {
    const recomputed = poolBalanceOf(byPool.get(p.id) ?? zero());
    const derived = derivedPools.get(p.id)!;
    const subject = `资金池「${p.name}」(${p.id})`;
    if (!same(recomputed, derived)) violations.push({ rule: "pool_recompute", subject, detail: `系统计算 ${JSON.stringify(derived)}，逐行重算 ${JSON.stringify(recomputed)}` });
    if (recomputed.available < 0) violations.push({ rule: "pool_available_negative", subject, detail: `可用余额为负：${formatYuan(recomputed.available)}` });
    if (recomputed.committed < 0) violations.push({ rule: "pool_committed_negative", subject, detail: `承诺额为负：${formatYuan(recomputed.committed)}` });
    if (recomputed.disbursed < 0) violations.push({ rule: "pool_disbursed_negative", subject, detail: `拨付额为负：${formatYuan(recomputed.disbursed)}` });
    if (recomputed.disbursed > recomputed.committed) violations.push({ rule: "pool_disbursed_over_committed", subject, detail: `已拨付 ${formatYuan(recomputed.disbursed)} 超过承诺 ${formatYuan(recomputed.committed)}` });
  }

  const grants = await db.selectFrom("grants").select(["id", "project_name", "pool_id"]).execute();
  const derivedGrants = await grantBalances(db, grants.map((g) => g.id));
  for (const g of grants) {
    const recomputed = grantBalanceOf(byGrant.get(g.id) ?? zero());
    const derived = derivedGrants.get(g.id)!;
    const subject = `项目「${g.project_name}」(${g.id})`;
    if (!same(recomputed, derived)) violations.push({ rule: "grant_recompute", subject, detail: `系统计算 ${JSON.stringify(derived)}，逐行重算 ${JSON.stringify(recomputed)}` });
    if (recomputed.disbursed > recomputed.awarded) violations.push({ rule: "grant_disbursed_over_committed", subject, detail: `已拨付 ${formatYuan(recomputed.disbursed)} 超过承诺 ${formatYuan(recomputed.awarded)}` });
    if (recomputed.awarded < 0) violations.push({ rule: "grant_committed_negative", subject, detail: `承诺额为负：${formatYuan(recomputed.awarded)}` });
    if (recomputed.disbursed < 0) violations.push({ rule: "grant_disbursed_negative", subject, detail: `拨付额为负：${formatYuan(recomputed.disbursed)}` });
  }

  const strays = await sql<{ id: number; grant_id: string }>`
    select l.id, l.grant_id from ledger_entries l join grants g on g.id = l.grant_id where l.pool_id <> g.pool_id order by l.id limit 100`.execute(db);
  for (const r of strays.rows) violations.push({ rule: "grant_row_in_other_pool", subject: `流水 ${r.id}`, detail: `项目 ${r.grant_id} 的流水记在了另一个资金池` });

  const unbacked = await sql<{ id: string }>`
    select d.id from disbursements d left join ledger_entries l on l.id = d.ledger_entry_id
    where d.status = 'paid' and (l.id is null or l.kind <> 'disburse' or l.grant_id <> d.grant_id or l.amount_fen <> d.amount_fen)
    order by d.id limit 100`.execute(db);
  for (const r of unbacked.rows) violations.push({ rule: "disbursement_without_ledger_row", subject: `拨付 ${r.id}`, detail: "已拨付的记录没有对应的拨付流水" });

  return { rows, pools: pools.length, grants: grants.length, violations };
}

export async function checkLedger(db: DB, opts: { batchSize?: number } = {}): Promise<LedgerCheck> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute((trx) => check(trx, opts.batchSize ?? 10_000));
}
