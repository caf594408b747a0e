import { sql } from "kysely";
import type { LedgerKind } from "../../../db/schema";
import { formatYuan, type Fen } from "../../lib/money";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { grantBalanceOf, poolBalanceOf, type GrantBalance, type PoolBalance } from "./rules";

export type { GrantBalance, PoolBalance };

/**
 * The money ledger: one append-only table (ledger_entries), balances derived from its rows in SQL
 * with integer sums. Any command that takes money out of a pool must call lockPool first, in the
 * same transaction, so that two officers awarding at the same moment are serialised on the pool
 * row and the second sees the first's commitment.
 */

const sums = sql<Record<LedgerKind, number>>`json_build_object(
  'topup', coalesce(sum(amount_fen) filter (where kind = 'topup'), 0),
  'commit', coalesce(sum(amount_fen) filter (where kind = 'commit'), 0),
  'release', coalesce(sum(amount_fen) filter (where kind = 'release'), 0),
  'disburse', coalesce(sum(amount_fen) filter (where kind = 'disburse'), 0),
  'refund', coalesce(sum(amount_fen) filter (where kind = 'refund'), 0))`;

export async function poolBalance(db: Executor, poolId: string): Promise<PoolBalance> {
  const row = await db.selectFrom("ledger_entries").select(sums.as("sums")).where("pool_id", "=", poolId).executeTakeFirstOrThrow();
  return poolBalanceOf(row.sums);
}

/** Balances of several pools in one query (pools without rows come back as zeros). */
export async function poolBalances(db: Executor, poolIds: readonly string[]): Promise<Map<string, PoolBalance>> {
  const out = new Map<string, PoolBalance>(poolIds.map((id) => [id, poolBalanceOf({ topup: 0, commit: 0, release: 0, disburse: 0, refund: 0 })]));
  if (poolIds.length === 0) return out;
  const rows = await db.selectFrom("ledger_entries").select(["pool_id", sums.as("sums")]).where("pool_id", "in", poolIds).groupBy("pool_id").execute();
  for (const r of rows) out.set(r.pool_id, poolBalanceOf(r.sums));
  return out;
}

export async function grantBalance(db: Executor, grantId: string): Promise<GrantBalance> {
  const row = await db.selectFrom("ledger_entries").select(sums.as("sums")).where("grant_id", "=", grantId).executeTakeFirstOrThrow();
  return grantBalanceOf(row.sums);
}

/**
 * Takes the pool's row lock (SELECT … FOR UPDATE) for the rest of the transaction. Balances read
 * after this in the same transaction include every commitment that committed before the lock was
 * granted, and nobody else can add one until this transaction ends.
 */
export async function lockPool(trx: Trx, poolId: string): Promise<{ id: string; placeId: number; name: string }> {
  const pool = await trx
    .selectFrom("funding_pools")
    .select(["id", "place_id as placeId", "name"])
    .where("id", "=", poolId)
    .forUpdate()
    .executeTakeFirst();
  if (!pool) throw new DomainError("not_found", "资金池不存在");
  return pool;
}

export interface LedgerEntryInput {
  poolId: string;
  grantId: string | null;
  kind: LedgerKind;
  amountFen: Fen;
  reason: string;
  paymentReference?: string | null;
  idempotencyKey?: string | null;
}

/**
 * Appends one row. Callers hold the pool lock (lockPool) and have checked their own rule (enough
 * available, enough committed to disburse…). A repeated idempotency key is refused as a conflict
 * rather than written twice.
 */
export async function appendLedgerEntry(trx: Trx, ctx: AuditContext, input: LedgerEntryInput): Promise<{ id: number }> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new DomainError("invalid", "金额必须是大于 0 的整数分");
  const row = await trx
    .insertInto("ledger_entries")
    .values({
      pool_id: input.poolId,
      grant_id: input.grantId,
      kind: input.kind,
      amount_fen: input.amountFen,
      actor_user_id: ctx.userId,
      reason: input.reason,
      payment_reference: input.paymentReference ?? null,
      idempotency_key: input.idempotencyKey ?? null,
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "这笔操作已经提交过了，请勿重复提交");
  await audit(trx, ctx, {
    action: `ledger.${input.kind}`,
    entityType: "funding_pool",
    entityId: input.poolId,
    summary: { entryId: row.id, grantId: input.grantId, amountFen: input.amountFen, reason: input.reason, paymentReference: input.paymentReference ?? null },
  });
  return row;
}

/**
 * Commits money from a pool to a grant (an award). Locks the pool row, computes what is available
 * from the ledger in the same transaction, and refuses with the figures when it is not enough.
 * Replaying the same idempotency key returns the earlier entry instead of committing twice.
 */
export async function commitFromPool(
  trx: Trx,
  ctx: AuditContext,
  input: { poolId: string; grantId: string; amountFen: Fen; reason: string; idempotencyKey?: string | null },
): Promise<{ entryId: number; balance: PoolBalance }> {
  await lockPool(trx, input.poolId);
  const earlier = await earlierEntry(trx, input.idempotencyKey, { ...input, kind: "commit" });
  if (earlier) return { entryId: earlier.id, balance: await poolBalance(trx, input.poolId) };
  const before = await poolBalance(trx, input.poolId);
  if (before.available < input.amountFen) {
    throw new DomainError("conflict", `资金池余额不足：可用 ${formatYuan(before.available)}，需 ${formatYuan(input.amountFen)}`);
  }
  const { id } = await appendLedgerEntry(trx, ctx, { ...input, kind: "commit" });
  return { entryId: id, balance: { ...before, committed: before.committed + input.amountFen, available: before.available - input.amountFen } };
}

/**
 * The row an earlier submission of the same form wrote (same idempotency key), when it was the
 * same operation; a key reused for a different operation is refused. Call it after lockPool: the
 * lock makes a concurrent duplicate wait until the first has committed, and then see its row.
 */
export async function earlierEntry(
  trx: Trx,
  idempotencyKey: string | null | undefined,
  expected: { poolId: string; grantId: string | null; kind: LedgerKind; amountFen: Fen },
): Promise<{ id: number } | undefined> {
  if (!idempotencyKey) return undefined;
  const earlier = await trx
    .selectFrom("ledger_entries")
    .select(["id", "pool_id", "grant_id", "kind", "amount_fen"])
    .where("idempotency_key", "=", idempotencyKey)
    .executeTakeFirst();
  if (!earlier) return undefined;
  if (earlier.pool_id !== expected.poolId || earlier.grant_id !== expected.grantId || earlier.kind !== expected.kind || earlier.amount_fen !== expected.amountFen) {
    throw new DomainError("conflict", "该请求编号已用于另一笔资金操作");
  }
  return { id: earlier.id };
}

async function grantPool(trx: Trx, grantId: string): Promise<string> {
  const g = await trx.selectFrom("grants").select("pool_id").where("id", "=", grantId).executeTakeFirst();
  if (!g) throw new DomainError("not_found", "项目不存在");
  return g.pool_id;
}

export interface GrantMoneyInput {
  grantId: string;
  amountFen: Fen;
  reason: string;
  paymentReference?: string | null;
  idempotencyKey?: string | null;
}

/**
 * Gives part of a grant's commitment back to its pool (release). Refused beyond what the grant
 * still holds undisbursed. Replaying the key returns the earlier row.
 */
export async function releaseFromGrant(trx: Trx, ctx: AuditContext, input: GrantMoneyInput): Promise<{ entryId: number; replayed: boolean }> {
  const poolId = await grantPool(trx, input.grantId);
  await lockPool(trx, poolId);
  const earlier = await earlierEntry(trx, input.idempotencyKey, { poolId, grantId: input.grantId, kind: "release", amountFen: input.amountFen });
  if (earlier) return { entryId: earlier.id, replayed: true };
  const balance = await grantBalance(trx, input.grantId);
  if (balance.remaining < input.amountFen) throw new DomainError("conflict", `项目未拨付的承诺只有 ${formatYuan(balance.remaining)}，不能释放 ${formatYuan(input.amountFen)}`);
  const { id } = await appendLedgerEntry(trx, ctx, { poolId, grantId: input.grantId, kind: "release", amountFen: input.amountFen, reason: input.reason, idempotencyKey: input.idempotencyKey });
  return { entryId: id, replayed: false };
}

/** Pays part of a grant's commitment (disburse). Refused beyond what is committed and not yet paid. */
export async function disburseToGrant(trx: Trx, ctx: AuditContext, input: GrantMoneyInput): Promise<{ entryId: number; replayed: boolean }> {
  const poolId = await grantPool(trx, input.grantId);
  await lockPool(trx, poolId);
  const earlier = await earlierEntry(trx, input.idempotencyKey, { poolId, grantId: input.grantId, kind: "disburse", amountFen: input.amountFen });
  if (earlier) return { entryId: earlier.id, replayed: true };
  const balance = await grantBalance(trx, input.grantId);
  if (balance.remaining < input.amountFen) throw new DomainError("conflict", `项目未拨付余额 ${formatYuan(balance.remaining)} 不足 ${formatYuan(input.amountFen)}`);
  const { id } = await appendLedgerEntry(trx, ctx, { ...input, poolId, kind: "disburse" });
  return { entryId: id, replayed: false };
}

/**
 * Money an organisation pays back (退回): a refund row, and a release of the same amount so the
 * money is available in the pool again (the grant's award shrinks by it). Refused beyond what
 * was disbursed. Replaying the key returns the earlier rows.
 */
export async function refundFromGrant(trx: Trx, ctx: AuditContext, input: GrantMoneyInput): Promise<{ entryId: number; replayed: boolean }> {
  const poolId = await grantPool(trx, input.grantId);
  await lockPool(trx, poolId);
  const earlier = await earlierEntry(trx, input.idempotencyKey, { poolId, grantId: input.grantId, kind: "refund", amountFen: input.amountFen });
  if (earlier) return { entryId: earlier.id, replayed: true };
  const balance = await grantBalance(trx, input.grantId);
  if (balance.disbursed < input.amountFen) throw new DomainError("conflict", `项目已拨付 ${formatYuan(balance.disbursed)}，退回金额不能超过它`);
  const { id } = await appendLedgerEntry(trx, ctx, { ...input, poolId, kind: "refund" });
  await appendLedgerEntry(trx, ctx, {
    poolId,
    grantId: input.grantId,
    kind: "release",
    amountFen: input.amountFen,
    reason: `退回后释放：${input.reason}`,
    idempotencyKey: input.idempotencyKey ? `${input.idempotencyKey}:release` : null,
  });
  return { entryId: id, replayed: false };
}

/** Balances of several grants in one query (grants without rows come back as zeros). */
export async function grantBalances(db: Executor, grantIds: readonly string[]): Promise<Map<string, GrantBalance>> {
  const out = new Map<string, GrantBalance>(grantIds.map((id) => [id, grantBalanceOf({ topup: 0, commit: 0, release: 0, disburse: 0, refund: 0 })]));
  if (grantIds.length === 0) return out;
  const rows = await db.selectFrom("ledger_entries").select(["grant_id", sums.as("sums")]).where("grant_id", "in", grantIds).groupBy("grant_id").execute();
  for (const r of rows) if (r.grant_id) out.set(r.grant_id, grantBalanceOf(r.sums));
  return out;
}

export interface LedgerRow {
  id: number;
  kind: LedgerKind;
  amountFen: Fen;
  grantId: string | null;
  actorName: string | null;
  at: Date;
  reason: string;
  paymentReference: string | null;
}

/** A pool's rows, newest first, keyset-paginated by id. */
export async function listLedgerEntries(db: Executor, poolId: string, opts: { before?: number; limit?: number } = {}): Promise<LedgerRow[]> {
  let q = db
    .selectFrom("ledger_entries as l")
    .leftJoin("users as u", "u.id", "l.actor_user_id")
    .select([
      "l.id",
      "l.kind",
      "l.amount_fen as amountFen",
      "l.grant_id as grantId",
      "u.display_name as actorName",
      "l.at",
      "l.reason",
      "l.payment_reference as paymentReference",
    ])
    .where("l.pool_id", "=", poolId);
  if (opts.before) q = q.where("l.id", "<", opts.before);
  return q.orderBy("l.id", "desc").limit(opts.limit ?? 50).execute();
}
