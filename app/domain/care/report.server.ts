import { sql } from "kysely";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { grantingRole } from "../../platform/permissions";
import type { CareActor } from "./access.server";
import { addDays, flagReaderDays, UNUSUAL_ACCESS, type AccessFlag } from "./rules";

export interface ReaderReport {
  userId: string;
  name: string;
  reads: number;
  distinctTargets: number;
  unmasks: number;
  exports: number;
  exportedRows: number;
  busiestDay: { day: string; distinct: number } | null;
  flaggedDays: Array<{ day: string; distinct: number; baseline: number; flags: AccessFlag[] }>;
}

/**
 * For the privacy officer: who read how many care records in the period, within the officer's
 * place, from the audit log; days with unusual volumes are flagged (rules.ts).
 */
export async function accessReport(db: Executor, actor: CareActor, input: { placeId: number; from: string; to: string }): Promise<ReaderReport[]> {
  const place = await db.selectFrom("places").select(["id", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || !grantingRole(actor, "care.access_report", { placePath: place.path })) throw new DomainError("forbidden", "您没有权限查看该地区的访问报告");
  const day = sql<string>`to_char(a.at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom("audit_log as a")
    .innerJoin("places as p", "p.id", "a.place_id")
    .select([
      "a.actor_user_id",
      day.as("day"),
      sql<number>`count(*) filter (where a.action = 'care.read')`.as("reads"),
      sql<number>`count(distinct a.entity_id) filter (where a.action in ('care.read', 'care.unmask'))`.as("distinct_targets"),
      sql<number>`count(*) filter (where a.action = 'care.unmask')`.as("unmasks"),
      sql<number>`count(*) filter (where a.action = 'care.export')`.as("exports"),
      sql<number>`coalesce(sum((a.summary->>'count')::int) filter (where a.action = 'care.export'), 0)`.as("exported_rows"),
    ])
    .where("a.action", "in", ["care.read", "care.unmask", "care.export"])
    .where("p.path", "like", `${place.path}%`)
    .where("a.actor_user_id", "is not", null)
    .where(sql<boolean>`a.at >= (${addDays(input.from, -UNUSUAL_ACCESS.baselineDays)}::date::timestamp at time zone 'Asia/Shanghai')`)
    .where(sql<boolean>`a.at < (${addDays(input.to, 1)}::date::timestamp at time zone 'Asia/Shanghai')`)
    .groupBy(["a.actor_user_id", day])
    .execute();
  // Distinct targets over the whole period (not the sum of daily figures).
  const periodDistinct = await db
    .selectFrom("audit_log as a")
    .innerJoin("places as p", "p.id", "a.place_id")
    .select(["a.actor_user_id", sql<number>`count(distinct a.entity_id)`.as("n")])
    .where("a.action", "in", ["care.read", "care.unmask"])
    .where("p.path", "like", `${place.path}%`)
    .where(sql<boolean>`a.at >= (${input.from}::date::timestamp at time zone 'Asia/Shanghai')`)
    .where(sql<boolean>`a.at < (${addDays(input.to, 1)}::date::timestamp at time zone 'Asia/Shanghai')`)
    .groupBy("a.actor_user_id")
    .execute();
  const userIds = [...new Set(rows.map((r) => r.actor_user_id!))];
  const names = userIds.length ? await db.selectFrom("users").select(["id", "display_name"]).where("id", "in", userIds).execute() : [];

  const reports: ReaderReport[] = [];
  for (const userId of userIds) {
    const mine = rows.filter((r) => r.actor_user_id === userId);
    const inPeriod = mine.filter((r) => r.day >= input.from && r.day <= input.to);
    if (inPeriod.length === 0) continue;
    const days = flagReaderDays(
      mine.map((r) => ({ day: r.day, distinct: Number(r.distinct_targets) })),
      input.from,
      input.to,
    );
    const busiest = days.reduce<{ day: string; distinct: number } | null>((b, d) => (!b || d.distinct > b.distinct ? { day: d.day, distinct: d.distinct } : b), null);
    const sum = (k: "reads" | "unmasks" | "exports" | "exported_rows") => inPeriod.reduce((s, r) => s + Number(r[k]), 0);
    reports.push({
      userId,
      name: names.find((n) => n.id === userId)?.display_name ?? "（已删除用户）",
      reads: sum("reads"),
      distinctTargets: Number(periodDistinct.find((p) => p.actor_user_id === userId)?.n ?? 0),
      unmasks: sum("unmasks"),
      exports: sum("exports"),
      exportedRows: sum("exported_rows"),
      busiestDay: busiest,
      flaggedDays: days.filter((d) => d.flags.length > 0),
    });
  }
  return reports.sort((a, b) => b.flaggedDays.length - a.flaggedDays.length || b.distinctTargets - a.distinctTargets || b.reads - a.reads);
}
