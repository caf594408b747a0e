import type { Kysely } from "kysely";
import type { Database, PoolSource } from "../schema";

interface PoolSeed {
  name: string;
  source: PoolSource;
  place: string;
  totalFen: number;
  notes: string;
}

/** The pools the seeds name, with their totals in 分. */
export const DEMO_POOLS: PoolSeed[] = [
  {
    name: "2026年市福彩公益金社区社会组织服务项目",
    source: "市福彩公益金",
    place: "南昌市",
    totalFen: 163_000_000,
    notes: "市福彩公益金 163 万元，用于购买社区社会组织服务项目。",
  },
  {
    name: "南昌慈善总会“为民爱民”专项基金",
    source: "慈善总会专项基金",
    place: "南昌市",
    totalFen: 60_000_000,
    notes: "南昌慈善总会“为民爱民”专项基金划出 60 万元，专项用于社区治理。",
  },
  {
    name: "党建引领小微创投",
    source: "党建小微创投",
    place: "南昌市",
    totalFen: 6_000_000,
    notes: "党建小微创投资金 6 万元，支持党员志愿服务小项目。",
  },
  {
    name: "青云谱区“点亮桔灯”社区微创投",
    source: "区级财政",
    place: "青云谱区",
    totalFen: 87_300_000,
    notes: "青云谱区“点亮桔灯”行动：16 家社会组织、36 个项目。",
  },
];

/** Creates the demo pools, each with its total as the first ledger row, put in by the given officer. */
export async function seedPools(trx: Kysely<Database>, ids: { placeIds: Map<string, number>; officerId: string }): Promise<Map<string, string>> {
  const pools = await trx
    .insertInto("funding_pools")
    .values(
      DEMO_POOLS.map((p) => ({
        place_id: ids.placeIds.get(p.place)!,
        name: p.name,
        source: p.source,
        period_start: "2026-01-01",
        period_end: "2026-12-31",
        notes: p.notes,
        created_by: ids.officerId,
      })),
    )
    .returning(["id", "name"])
    .execute();
  const byName = new Map(pools.map((p) => [p.name, p.id]));
  await trx
    .insertInto("ledger_entries")
    .values(
      DEMO_POOLS.map((p) => ({
        pool_id: byName.get(p.name)!,
        grant_id: null,
        kind: "topup" as const,
        amount_fen: p.totalFen,
        actor_user_id: ids.officerId,
        reason: `设立资金池：${p.source}`,
      })),
    )
    .execute();
  return byName;
}
