import { sql } from "kysely";
import type { PoolSource } from "../../../db/schema";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { appendLedgerEntry, earlierEntry, lockPool, poolBalance, poolBalances, type PoolBalance } from "../ledger/ledger.server";
import type { CreatePoolInput, TopUpInput } from "./schema";

/** Pools belong to a place down to street level (a community has no bureau of its own). */
const POOL_LEVELS = ["province", "city", "district", "street"] as const;

export interface PoolSummary {
  id: string;
  name: string;
  source: PoolSource;
  placeId: number;
  placeName: string;
  placePath: string;
  periodStart: string;
  periodEnd: string;
  notes: string | null;
  createdAt: Date;
}

function poolQuery(db: Executor) {
  return db
    .selectFrom("funding_pools as f")
    .innerJoin("places as p", "p.id", "f.place_id")
    .select([
      "f.id",
      "f.name",
      "f.source",
      "f.place_id as placeId",
      "p.name as placeName",
      "p.path as placePath",
      sql<string>`f.period_start::text`.as("periodStart"),
      sql<string>`f.period_end::text`.as("periodEnd"),
      "f.notes",
      "f.created_at as createdAt",
    ]);
}

/**
 * Creates a pool for a place the officer covers and puts its total in as the first ledger row
 * (a top-up), so that the pool's figures come from the ledger from the first day.
 */
export async function createPool(trx: Trx, ctx: AuditContext, actor: Principal, input: CreatePoolInput): Promise<{ id: string }> {
  const place = await trx.selectFrom("places").select(["id", "name", "level", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place) throw new DomainError("invalid", "地区不存在", { placeId: "地区不存在" });
  if (!(POOL_LEVELS as readonly string[]).includes(place.level)) {
    throw new DomainError("invalid", "资金池只能设在省、市、区县或街道一级", { placeId: "请选择省、市、区县或街道" });
  }
  if (!can(actor, "pool.manage", { placePath: place.path })) throw new DomainError("forbidden", `您不能为「${place.name}」设立资金池`);
  const pool = await trx
    .insertInto("funding_pools")
    .values({
      place_id: place.id,
      name: input.name,
      source: input.source,
      period_start: input.periodStart,
      period_end: input.periodEnd,
      notes: input.notes ?? null,
      created_by: ctx.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(trx, ctx, {
    action: "pool.create",
    entityType: "funding_pool",
    entityId: pool.id,
    placeId: place.id,
    summary: { after: { name: input.name, source: input.source, totalFen: input.total, periodStart: input.periodStart, periodEnd: input.periodEnd } },
  });
  await appendLedgerEntry(trx, ctx, {
    poolId: pool.id,
    grantId: null,
    kind: "topup",
    amountFen: input.total,
    reason: `设立资金池：${input.source}`,
    idempotencyKey: input.idempotencyKey ? `pool-create:${input.idempotencyKey}` : null,
  });
  return pool;
}

/** Adds money to a pool: one more top-up row, with the reason. */
export async function topUpPool(trx: Trx, ctx: AuditContext, poolId: string, input: TopUpInput): Promise<PoolBalance> {
  await lockPool(trx, poolId);
  const idempotencyKey = input.idempotencyKey ? `pool-topup:${input.idempotencyKey}` : null;
  // The same form sent again (double click, retry): the first top-up stands, the answer is the same.
  if (await earlierEntry(trx, idempotencyKey, { poolId, grantId: null, kind: "topup", amountFen: input.amount })) return poolBalance(trx, poolId);
  await appendLedgerEntry(trx, ctx, { poolId, grantId: null, kind: "topup", amountFen: input.amount, reason: input.reason, idempotencyKey });
  return poolBalance(trx, poolId);
}

export async function getPool(db: Executor, poolId: string): Promise<PoolSummary | undefined> {
  return poolQuery(db).where("f.id", "=", poolId).executeTakeFirst();
}

/** Pools of the places under any of the given paths, newest first, with their balances. */
export async function listPools(db: Executor, placePaths: readonly string[]): Promise<Array<PoolSummary & { balance: PoolBalance }>> {
  if (placePaths.length === 0) return [];
  const pools = await poolQuery(db)
    .where((eb) => eb.or(placePaths.map((p) => eb("p.path", "like", `${p}%`))))
    .orderBy("f.created_at", "desc")
    .orderBy("f.id")
    .limit(200)
    .execute();
  const balances = await poolBalances(
    db,
    pools.map((p) => p.id),
  );
  return pools.map((p) => ({ ...p, balance: balances.get(p.id)! }));
}

/** Places an officer may set a pool up for, for the form's select. */
export async function poolPlaceOptions(db: Executor, placePaths: readonly string[]) {
  if (placePaths.length === 0) return [];
  return db
    .selectFrom("places")
    .select(["id", "name", "level", "path"])
    .where("level", "in", POOL_LEVELS)
    .where((eb) => eb.or(placePaths.map((p) => eb("path", "like", `${p}%`))))
    .orderBy("path")
    .execute();
}

