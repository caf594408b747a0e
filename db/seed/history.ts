import { randomUUID } from "node:crypto";
import { sql, type Insertable, type Kysely } from "kysely";
import { ACTION_TYPES, type ActionType } from "../../app/domain/vocabulary";
import type { Database } from "../schema";

const DAY = 86_400_000;

/**
 * The programme's earlier rounds (往期), so that the city dashboard shows what the programme has
 * done so far: two rounds of 社区公益创投 in every district, funded from two city pools, whose
 * projects are all delivered — closed after two approved and paid milestones and residents'
 * evaluations, a few terminated after their first tranche with the rest released. With the live
 * stories of the other seeds the city counts PROJECTS_TARGET projects and LEVERAGED_TARGET_FEN of
 * 撬动 (pledged co-funding and in-kind support).
 *
 * Every table is written with a few multi-row INSERTs (chunked below PostgreSQL's parameter limit),
 * never row by row, so the first start stays fast. The ledger rows add up: each pool is topped up
 * with what its projects took, every project's commitment equals its tranches paid plus what was
 * released, so no balance goes below zero.
 */
export const PROJECTS_TARGET = 560;
export const LEVERAGED_TARGET_FEN = 448_000_000;

interface Round {
  label: string;
  /** Days before today the round's projects were awarded. */
  awardedDaysAgo: number;
  pool: { name: string; source: "市福彩公益金" | "慈善总会专项基金"; notes: string };
}

const ROUNDS: Round[] = [
  {
    label: "第一期",
    awardedDaysAgo: 270,
    pool: { name: "南昌市社区公益创投第一期资金", source: "市福彩公益金", notes: "第一期社区公益创投：各区县社区社会组织服务项目，已全部结项。" },
  },
  {
    label: "第二期",
    awardedDaysAgo: 170,
    pool: { name: "南昌市社区公益创投第二期资金", source: "慈善总会专项基金", notes: "第二期社区公益创投（南昌慈善总会配套），已全部结项。" },
  },
];

const PROJECT_NAMES: Record<ActionType, string[]> = {
  qin: ["邻里守望互助站", "独居老人结对探访", "困境儿童成长陪伴", "邻里节·百家宴", "隔代家庭亲子课堂"],
  he: ["楼道议事会", "小区自治公约共建", "居民说事点", "物业矛盾调解工作室", "协商议事骨干培训"],
  fu: ["残障人士康复陪伴", "失能老人喘息服务", "困难家庭就业帮扶", "社区心理健康驿站", "低保家庭学业辅导"],
  mei: ["老旧小区微更新", "楼道美化与照明改造", "社区共享花园", "垃圾分类绿色账户", "口袋公园共建共管"],
};
const PLEDGE_SOURCES = ["辖区爱心企业", "社区党组织", "物业服务企业", "居民志愿者团队", "驻区单位"];
const SATISFACTION = [5, 4, 5, 5, 4, 3, 5, 4];

/** Inserts rows in chunks that stay below PostgreSQL's 65 535 parameters per statement. */
async function insertMany<T extends keyof Database & string>(trx: Kysely<Database>, table: T, rows: Array<Insertable<Database[T]>>): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(60_000 / Object.keys(rows[0] as object).length));
  for (let i = 0; i < rows.length; i += size) await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
}

export async function seedHistory(trx: Kysely<Database>, ids: { placeIds: Map<string, number>; userIds: Map<string, string> }): Promise<{ historicalProjects: number }> {
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY);
  const cityOfficer = ids.userIds.get("13900000002")!;
  const secondOfficer = ids.userIds.get("13900000003")!;
  const city = ids.placeIds.get("南昌市")!;

  // What the live stories already hold: the earlier rounds make up the rest.
  const live = await sql<{ projects: string; leveraged: string }>`
    select count(*)::bigint as projects,
           coalesce(sum((select coalesce(sum(p.value_fen), 0) from bid_pledges p where p.bid_id = g.bid_id)), 0)::bigint as leveraged
    from grants g where g.status <> 'withdrawn'`.execute(trx);
  const count = PROJECTS_TARGET - Number(live.rows[0].projects);
  const leveragedTotal = LEVERAGED_TARGET_FEN - Number(live.rows[0].leveraged);
  if (count <= 0 || leveragedTotal <= 0) return { historicalProjects: 0 };

  const districts = await trx.selectFrom("places").select(["id", "name"]).where("level", "=", "district").where("parent_id", "=", city).orderBy("code").execute();
  // The organisations of the live stories (with bids now, or with demo accounts) keep their stories as told.
  const orgs = await trx
    .selectFrom("organisations as o")
    .select(["o.id", "o.place_id"])
    .where("o.status", "=", "verified")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("bids as b").select("b.id").whereRef("b.organisation_id", "=", "o.id"))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom("organisation_members as m").select("m.user_id").whereRef("m.organisation_id", "=", "o.id"))))
    .orderBy("o.uscc")
    .execute();
  const orgsOf = new Map(districts.map((d) => [d.id, orgs.filter((o) => o.place_id === d.id).map((o) => o.id)]));
  const evaluators = (
    await trx.selectFrom("users").select("id").where("phone", "in", ["13900000009", "13900000015", "13900000016", "13900000017", "13900000018", "13900000019"]).orderBy("phone").execute()
  ).map((u) => u.id);

  // One call per round and district (each with its action type, turning through the four from
  // district to district and round to round).
  const callId = new Map<string, string>();
  const callKey = (r: number, d: number, a: ActionType) => `${r}:${d}:${a}`;
  const pools = ROUNDS.map(() => randomUUID());

  // Pledges: weights that vary from project to project, scaled to make up the leveraged total exactly.
  const weights = Array.from({ length: count }, (_, k) => 3 + ((k * 7) % 11));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pledgeFen = weights.map((w) => Math.floor((leveragedTotal * w) / weightSum));
  pledgeFen[count - 1] += leveragedTotal - pledgeFen.reduce((a, b) => a + b, 0);

  const bids: Array<Insertable<Database["bids"]>> = [];
  const budgetLines: Array<Insertable<Database["bid_budget_lines"]>> = [];
  const pledges: Array<Insertable<Database["bid_pledges"]>> = [];
  const bidMilestones: Array<Insertable<Database["bid_milestones"]>> = [];
  const grants: Array<Insertable<Database["grants"]>> = [];
  const grantMilestones: Array<Insertable<Database["grant_milestones"]>> = [];
  const reports: Array<Insertable<Database["milestone_reports"]>> = [];
  const commits: Array<Insertable<Database["ledger_entries"]>> = [];
  const releases: Array<Insertable<Database["ledger_entries"]>> = [];
  const payments: Array<Insertable<Database["ledger_entries"]> & { position: number }> = [];
  const evaluations: Array<Insertable<Database["grant_evaluations"]>> = [];
  const events: Array<Insertable<Database["grant_events"]>> = [];
  const poolCommitted = ROUNDS.map(() => 0);

  for (let k = 0; k < count; k++) {
    const dIndex = k % districts.length;
    const district = districts[dIndex];
    const list = orgsOf.get(district.id) ?? [];
    if (list.length === 0) continue;
    const j = Math.floor(k / districts.length);
    const r = j % ROUNDS.length;
    // Within a round, the district's organisations in turn: none bids twice on the same call. A
    // district with fewer organisations than projects gets a second call in the round (the next action type).
    const turn = Math.floor(j / ROUNDS.length);
    const x = turn % list.length;
    const a = ACTION_TYPES[(dIndex + 2 * r + Math.floor(turn / list.length)) % ACTION_TYPES.length];
    const round = ROUNDS[r];
    const key = callKey(r, district.id, a);
    if (!callId.has(key)) callId.set(key, randomUUID());
    const bidId = randomUUID();
    const grantId = randomUUID();
    const amount = (10 + ((k * 37) % 41)) * 100_000; // 1 万 to 5 万 元 in steps of 1 000 元
    const half = Math.floor(amount / 200) * 100;
    const tranches = [half, amount - half];
    const name = `${district.name}${PROJECT_NAMES[a][j % PROJECT_NAMES[a].length]}（${round.label}）`;
    const awarded = at(-round.awardedDaysAgo + dIndex);
    const day = (n: number) => new Date(awarded.getTime() + n * DAY);
    const terminated = k % 37 === 5;
    const served = 30 + ((k * 13) % 90);

    bids.push({
      id: bidId,
      call_id: callId.get(key)!,
      organisation_id: list[x],
      status: "submitted",
      project_name: name,
      summary: `面向${district.name}社区居民开展“${PROJECT_NAMES[a][j % PROJECT_NAMES[a].length]}”服务。`,
      beneficiary_group: "社区居民",
      beneficiary_count: served * 2,
      plan: "前期调研、组织实施、总结评估三个阶段推进。",
      action_type: a,
      created_by: cityOfficer,
      created_at: day(-35),
      updated_at: day(-30),
      submitted_at: day(-30),
    });
    budgetLines.push(
      { bid_id: bidId, position: 1, category: "活动", description: "活动物资与场地", amount_fen: Math.round(amount * 0.6) },
      { bid_id: bidId, position: 2, category: "人员", description: "社工与志愿者补贴", amount_fen: amount - Math.round(amount * 0.6) },
    );
    const cash = Math.floor(pledgeFen[k] / 2);
    pledges.push({ bid_id: bidId, position: 1, source: PLEDGE_SOURCES[k % PLEDGE_SOURCES.length], kind: "cash", description: "配套资金", value_fen: cash });
    pledges.push({ bid_id: bidId, position: 2, source: PLEDGE_SOURCES[(k + 2) % PLEDGE_SOURCES.length], kind: "in_kind", description: "场地、物资与志愿服务折价", value_fen: pledgeFen[k] - cash });
    const ms = [
      { title: "服务开展", deliverable: "活动记录与签到表", due: 60 },
      { title: "总结评估", deliverable: "结项报告与居民评价", due: 125 },
    ];
    ms.forEach((m, p) => bidMilestones.push({ bid_id: bidId, position: p + 1, title: m.title, deliverable: m.deliverable, due_date: day(m.due).toISOString().slice(0, 10), tranche_pct: 50 }));

    const approvedCount = terminated ? 1 : 2;
    grants.push({
      id: grantId,
      call_id: callId.get(key)!,
      bid_id: bidId,
      organisation_id: list[x],
      pool_id: pools[r],
      place_id: district.id,
      project_name: name,
      action_type: a,
      amount_fen: amount,
      status: terminated ? "terminated" : "closed",
      awarded_by: cityOfficer,
      awarded_at: awarded,
      publicity_ends_at: day(7),
      established_at: day(8),
      evaluation_ends_at: terminated ? null : day(140),
      closed_at: terminated ? null : day(140),
      ended_at: terminated ? day(80) : null,
      ended_reason: terminated ? "项目负责人调离，承接组织申请提前结项，经协商终止。" : null,
    });
    poolCommitted[r] += amount;
    commits.push({ pool_id: pools[r], grant_id: grantId, kind: "commit", amount_fen: amount, actor_user_id: cityOfficer, at: awarded, reason: `资助「${name}」`, idempotency_key: `seed:history:commit:${grantId}` });
    events.push({ grant_id: grantId, at: awarded, actor_id: cityOfficer, kind: "award", note: `确定资助 ${(amount / 100).toFixed(2)} 元，进入公示` });
    events.push({ grant_id: grantId, at: day(8), actor_id: null, kind: "established", note: "公示期满无异议，正式立项" });
    ms.forEach((m, p) => {
      const approved = p < approvedCount;
      const when = day(m.due + 5);
      grantMilestones.push({
        grant_id: grantId,
        position: p + 1,
        title: m.title,
        deliverable: m.deliverable,
        due_date: day(m.due).toISOString().slice(0, 10),
        tranche_pct: 50,
        tranche_fen: tranches[p],
        status: approved ? "approved" : "open",
        approved_at: approved ? when : null,
        approved_by: approved ? cityOfficer : null,
      });
      if (!approved) return;
      reports.push({
        grant_id: grantId,
        position: p + 1,
        narrative: p === 0 ? `${m.title}：按计划开展服务 ${4 + (k % 5)} 场，居民参与踊跃。` : `项目顺利结项：共服务居民 ${served * 2} 人次，形成了可持续的${PROJECT_NAMES[a][j % PROJECT_NAMES[a].length]}机制。`,
        beneficiary_count: served,
        beneficiary_group: "社区居民",
        activities: JSON.stringify([{ date: day(m.due - 10).toISOString().slice(0, 10), description: m.title }]),
        spending: JSON.stringify([{ category: "活动", description: "活动物资与场地", amountFen: Math.floor(tranches[p] * 0.8) }]),
        in_kind_received: "",
        status: "approved",
        submitted_by: cityOfficer,
        submitted_at: day(m.due),
        officer_comment: "",
        officer_by: cityOfficer,
        officer_at: when,
      });
      events.push({ grant_id: grantId, at: when, actor_id: cityOfficer, kind: "officer_approve", note: `民政局审批通过里程碑 ${p + 1}「${m.title}」` });
      payments.push({
        position: p + 1,
        pool_id: pools[r],
        grant_id: grantId,
        kind: "disburse",
        amount_fen: tranches[p],
        actor_user_id: cityOfficer,
        at: day(m.due + 6),
        reason: `第 ${p + 1} 期拨付`,
        payment_reference: `NCH-${r + 1}-${String(k).padStart(4, "0")}-${p + 1}`,
        idempotency_key: `seed:history:disburse:${grantId}:${p + 1}`,
      });
    });
    if (terminated) {
      releases.push({ pool_id: pools[r], grant_id: grantId, kind: "release", amount_fen: tranches[1], actor_user_id: cityOfficer, at: day(80), reason: "终止：释放未拨付资金", idempotency_key: `seed:history:release:${grantId}` });
      events.push({ grant_id: grantId, at: day(80), actor_id: cityOfficer, kind: "terminated", note: "已终止：项目负责人调离，承接组织申请提前结项。" });
    } else {
      const n = 2 + (k % 3);
      evaluators.slice(0, n).forEach((u, e) =>
        evaluations.push({ grant_id: grantId, user_id: u, satisfaction: SATISFACTION[(k + e) % SATISFACTION.length], solved: SATISFACTION[(k + e + 3) % SATISFACTION.length], comment: e === 0 ? "项目实实在在，希望继续开展。" : "", created_at: day(132 + e) }),
      );
      events.push({ grant_id: grantId, at: day(140), actor_id: null, kind: "closed", note: "评价期结束，项目办结。" });
    }
  }

  // Pools: topped up with what their round took, rounded up to the next 10 万元.
  await insertMany(
    trx,
    "funding_pools",
    ROUNDS.map((round, r) => ({
      id: pools[r],
      place_id: city,
      name: round.pool.name,
      source: round.pool.source,
      period_start: at(-round.awardedDaysAgo - 30).toISOString().slice(0, 10),
      period_end: at(-round.awardedDaysAgo + 180).toISOString().slice(0, 10),
      notes: round.pool.notes,
      created_by: cityOfficer,
      created_at: at(-round.awardedDaysAgo - 30),
    })),
  );
  await insertMany(
    trx,
    "ledger_entries",
    ROUNDS.map((round, r) => ({
      pool_id: pools[r],
      grant_id: null,
      kind: "topup" as const,
      amount_fen: Math.ceil(poolCommitted[r] / 10_000_000) * 10_000_000,
      actor_user_id: cityOfficer,
      at: at(-round.awardedDaysAgo - 20),
      reason: `${round.pool.source}拨入${round.label}创投资金`,
      idempotency_key: `seed:history:topup:${r}`,
    })),
  );
  const calls = [...callId].map(([key, id]) => {
    const [r, d, a] = key.split(":");
    const round = ROUNDS[Number(r)];
    const district = districts.find((x) => x.id === Number(d))!;
    const opens = at(-round.awardedDaysAgo - 45);
    return {
      id,
      place_id: district.id,
      title: `${district.name}${round.label}社区公益创投（${{ qin: "邻里亲", he: "邻里和", fu: "邻里扶", mei: "邻里美" }[a as ActionType]}）`,
      description: `${round.label}社区公益创投面向${district.name}社区社会组织征集项目，已完成评审和立项。`,
      action_type: a as ActionType,
      pool_id: pools[Number(r)],
      cap_fen: 8_000_000,
      total_budget_fen: 80_000_000,
      opens_at: opens,
      closes_at: at(-round.awardedDaysAgo - 25),
      project_start: at(-round.awardedDaysAgo + 10).toISOString().slice(0, 10),
      project_end: at(-round.awardedDaysAgo + 150).toISOString().slice(0, 10),
      status: "published" as const,
      created_by: cityOfficer,
      published_at: opens,
      published_by: cityOfficer,
      created_at: at(-round.awardedDaysAgo - 50),
      updated_at: opens,
    };
  });
  await insertMany(trx, "calls", calls);
  await insertMany(trx, "bids", bids);
  await insertMany(trx, "bid_budget_lines", budgetLines);
  await insertMany(trx, "bid_pledges", pledges);
  await insertMany(trx, "bid_milestones", bidMilestones);
  await insertMany(trx, "grants", grants);
  await insertMany(trx, "grant_milestones", grantMilestones);
  await insertMany(trx, "milestone_reports", reports);
  await insertMany(trx, "ledger_entries", [...commits, ...releases]);
  // Paid tranches: the ledger rows first (their ids go on the disbursement records), then the records.
  const positionOf = new Map(payments.map((p) => [p.idempotency_key!, p.position]));
  const paid: Array<{ id: number; grant_id: string | null; idempotency_key: string | null; amount_fen: number; at: Date; payment_reference: string | null }> = [];
  const rows = payments.map(({ position: _p, ...row }) => row);
  const size = Math.floor(60_000 / Object.keys(rows[0] ?? { a: 1 }).length);
  for (let i = 0; i < rows.length; i += size) {
    paid.push(...(await trx.insertInto("ledger_entries").values(rows.slice(i, i + size)).returning(["id", "grant_id", "idempotency_key", "amount_fen", "at", "payment_reference"]).execute()));
  }
  await insertMany(
    trx,
    "disbursements",
    paid.map((p) => ({
      grant_id: p.grant_id!,
      position: positionOf.get(p.idempotency_key!)!,
      amount_fen: p.amount_fen,
      payment_reference: p.payment_reference!,
      idempotency_key: p.idempotency_key!,
      status: "paid" as const,
      requested_by: cityOfficer,
      requested_at: p.at,
      approved_by: secondOfficer,
      approved_at: p.at,
      ledger_entry_id: p.id,
    })),
  );
  for (const p of paid) events.push({ grant_id: p.grant_id!, at: p.at, actor_id: cityOfficer, kind: "disbursed", note: `拨付第 ${positionOf.get(p.idempotency_key!)} 期 ${(p.amount_fen / 100).toFixed(2)} 元` });
  await insertMany(trx, "grant_evaluations", evaluations);
  await insertMany(trx, "grant_events", events.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime()));
  return { historicalProjects: grants.length };
}
