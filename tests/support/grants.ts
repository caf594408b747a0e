import { randomInt } from "node:crypto";
import { createPool } from "../../app/domain/pools/pools.server";
import type { AuditContext } from "../../app/platform/audit.server";
import type { DB } from "../../app/platform/db.server";
import { createUser, placeTree, scoped } from "./factories";
import { uscc } from "./organisations";

export const ctxOf = (userId: string, role = "officer"): AuditContext => ({ userId, role, requestId: "req-test", ip: null });

/**
 * A call that closed on 2026-03-01 with `bids` submitted bids, each asking `requestedFen` with
 * milestones of the given tranche percentages and answering one issue of 甲一社区 (招募中). Two city
 * officers, a liaison of 甲区, an organisation member per bid and a verified resident of 甲一社区.
 */
export async function grantWorld(
  db: DB,
  opts: { poolFen: number; bids?: number; requestedFen?: number; tranches?: number[]; thresholdFen?: number; publicityWorkingDays?: number } = { poolFen: 10_000_000 },
) {
  const t = await placeTree(db);
  const officer = await createUser(db, { name: "甲官员", roles: [{ role: "officer", place: t.city }] });
  const officer2 = await createUser(db, { name: "乙官员", roles: [{ role: "officer", place: t.city }] });
  const liaison = await createUser(db, { name: "联络员", roles: [{ role: "liaison", place: t.districtA }] });
  const resident = await createUser(db, { name: "居民", roles: [{ role: "resident", place: t.communityA1 }] });
  const outsider = await createUser(db, { name: "外社区居民", roles: [{ role: "resident", place: t.communityB1 }] });
  const ctx = ctxOf(officer.id);
  const pool = await db.transaction().execute((trx) =>
    createPool(trx, ctx, { roles: [scoped("officer", t.city)] }, {
      placeId: t.city.id,
      name: `测试资金池${randomInt(0, 1_000_000)}`,
      source: "市福彩公益金",
      total: opts.poolFen,
      periodStart: "2026-01-01",
      periodEnd: "2026-12-31",
    }),
  );
  if (opts.thresholdFen !== undefined) await db.updateTable("funding_pools").set({ dual_approval_threshold_fen: opts.thresholdFen }).where("id", "=", pool.id).execute();
  const issue = await db
    .insertInto("issues")
    .values({ place_id: t.communityA1.id, author_id: resident.id, title: "楼道照明太差", description: "晚上楼道没有灯，老人出行不便。", category: "社区环境", status: "in_call", action_type: "mei" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const call = await db
    .insertInto("calls")
    .values({
      place_id: t.districtA.id,
      title: "点亮楼道微创投",
      description: "征集改善社区照明的服务项目。",
      action_type: "mei",
      pool_id: pool.id,
      cap_fen: opts.requestedFen ?? 1_000_000,
      total_budget_fen: Math.max(opts.poolFen, opts.requestedFen ?? 1_000_000),
      opens_at: new Date("2026-02-01T09:00:00+08:00"),
      closes_at: new Date("2026-03-01T17:00:00+08:00"),
      project_start: "2026-04-01",
      project_end: "2026-12-31",
      publicity_working_days: opts.publicityWorkingDays ?? 5,
      status: "published",
      created_by: officer.id,
      published_at: new Date("2026-02-01T09:00:00+08:00"),
      published_by: officer.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("call_issues").values({ call_id: call.id, issue_id: issue.id }).execute();

  const n = opts.bids ?? 1;
  const orgs = await db
    .insertInto("organisations")
    .values(Array.from({ length: n }, (_, i) => ({ name: `测试照明服务社${i + 1}-${randomInt(0, 1_000_000)}`, uscc: uscc(), place_id: t.districtA.id, status: "verified" as const, type: "生活服务类" })))
    .returning("id")
    .execute();
  const members: Array<Awaited<ReturnType<typeof createUser>>> = [];
  for (const o of orgs) members.push(await createUser(db, { name: "组织成员", roles: [{ role: "org_member", organisationId: o.id }] }));
  await db
    .insertInto("organisation_members")
    .values(orgs.map((o, i) => ({ organisation_id: o.id, user_id: members[i].id, org_role: "lead" as const })))
    .execute();
  const bids = await db
    .insertInto("bids")
    .values(
      orgs.map((o, i) => ({
        call_id: call.id,
        organisation_id: o.id,
        status: "submitted" as const,
        project_name: `楼道微光 ${i + 1} 号`,
        summary: "安装太阳能楼道灯。",
        action_type: "mei" as const,
        created_by: members[i].id,
        submitted_at: new Date("2026-02-20T10:00:00+08:00"),
      })),
    )
    .returning(["id", "organisation_id"])
    .execute();
  const tranches = opts.tranches ?? [30, 70];
  await db.insertInto("bid_budget_lines").values(bids.map((b) => ({ bid_id: b.id, position: 1, category: "物资" as const, description: "太阳能楼道灯", amount_fen: opts.requestedFen ?? 1_000_000 }))).execute();
  await db
    .insertInto("bid_milestones")
    .values(bids.flatMap((b) => tranches.map((p, i) => ({ bid_id: b.id, position: i + 1, title: `第${i + 1}阶段`, deliverable: "验收单", due_date: "2026-06-30", tranche_pct: p }))))
    .execute();
  await db.insertInto("bid_issues").values(bids.map((b) => ({ bid_id: b.id, issue_id: issue.id }))).execute();
  return {
    t,
    officer,
    officer2,
    liaison,
    resident,
    outsider,
    ctx,
    ctx2: ctxOf(officer2.id),
    liaisonCtx: ctxOf(liaison.id, "liaison"),
    poolId: pool.id,
    callId: call.id,
    issueId: issue.id,
    bids: bids.map((b, i) => ({ id: b.id, organisationId: b.organisation_id, member: members[i], memberCtx: ctxOf(members[i].id, "org_member") })),
  };
}

/**
 * `n` grant rows on a pool, with the call, organisations and bids they need, for tests of the
 * ledger itself (ledger_entries.grant_id references grants). No money moves: the caller commits.
 */
export async function bareGrants(db: DB, poolId: string, userId: string, n: number): Promise<string[]> {
  const pool = await db.selectFrom("funding_pools").select("place_id").where("id", "=", poolId).executeTakeFirstOrThrow();
  const call = await db
    .insertInto("calls")
    .values({
      place_id: pool.place_id,
      title: "账本测试招贤榜",
      description: "测试",
      action_type: "mei",
      pool_id: poolId,
      cap_fen: 1,
      total_budget_fen: 1,
      opens_at: new Date("2026-01-01T00:00:00Z"),
      closes_at: new Date("2026-01-02T00:00:00Z"),
      project_start: "2026-01-03",
      project_end: "2026-12-31",
      status: "published",
      created_by: userId,
      published_at: new Date("2026-01-01T00:00:00Z"),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const orgs = await db
    .insertInto("organisations")
    .values(Array.from({ length: n }, (_, i) => ({ name: `账本测试组织${i}-${randomInt(0, 1_000_000)}`, uscc: uscc(), place_id: pool.place_id, status: "verified" as const })))
    .returning("id")
    .execute();
  const bids = await db
    .insertInto("bids")
    .values(orgs.map((o) => ({ call_id: call.id, organisation_id: o.id, status: "submitted" as const, project_name: "账本测试项目", action_type: "mei" as const, created_by: userId })))
    .returning(["id", "organisation_id"])
    .execute();
  const at = new Date("2026-01-05T00:00:00Z");
  const grants = await db
    .insertInto("grants")
    .values(
      bids.map((b) => ({
        call_id: call.id,
        bid_id: b.id,
        organisation_id: b.organisation_id,
        pool_id: poolId,
        place_id: pool.place_id,
        project_name: "账本测试项目",
        action_type: "mei" as const,
        amount_fen: 1,
        status: "in_progress" as const,
        awarded_by: userId,
        awarded_at: at,
        publicity_ends_at: at,
      })),
    )
    .returning("id")
    .execute();
  return grants.map((g) => g.id);
}
