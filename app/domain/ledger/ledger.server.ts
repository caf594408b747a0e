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
  if (input.idempotencyKey) {
    const earlier = await trx
      .selectFrom("ledger_entries")
      .select(["id", "pool_id", "grant_id", "kind", "amount_fen"])
      .where("idempotency_key", "=", input.idempotencyKey)
      .executeTakeFirst();
    if (earlier) {
      if (earlier.pool_id !== input.poolId || earlier.grant_id !== input.grantId || earlier.kind !== "commit" || earlier.amount_fen !== input.amountFen) {
        throw new DomainError("conflict", "该请求编号已用于另一笔资金操作");
      }
      return { entryId: earlier.id, balance: await poolBalance(trx, input.poolId) };
    }
  }
  const before = await poolBalance(trx, input.poolId);
  if (before.available < input.amountFen) {
    throw new DomainError("conflict", `资金池余额不足：可用 ${formatYuan(before.available)}，需 ${formatYuan(input.amountFen)}`);
  }
  const { id } = await appendLedgerEntry(trx, ctx, { ...input, kind: "commit" });
  return { entryId: id, balance: { ...before, committed: before.committed + input.amountFen, available: before.available - input.amountFen } };
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
