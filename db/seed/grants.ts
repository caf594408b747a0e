import { sql, type Insertable, type Kysely } from "kysely";
import { publicityEndsAt, trancheAmounts } from "../../app/domain/grants/rules";
import type { Database, GrantEvaluationsTable, GrantMilestonesTable, GrantStatus, MilestoneReportsTable } from "../schema";

const DAY = 86_400_000;

/**
 * Grants of the demo programme, after seedCalls: the first 点亮桔灯 batch awarded six weeks ago at
 * every stage of delivery (closed and evaluated, in 待评价, paid tranches, reports waiting for the
 * liaison, one terminated), and part of the second batch in 公示 with one open objection, so the
 * 点亮桔灯 pool shows realistic committed and disbursed figures. The 广南社区 lighting call is left
 * for the officer to award: it is the live story (tests/e2e/grants.spec.ts walks it to 已办结).
 * Rows are written in bulk; the ledger rows keep the pool's invariant (checked before committing).
 */
export const ORANGE_MEMBER_PHONE = "13900000026";

export async function seedGrants(trx: Kysely<Database>, ids: { userIds: Map<string, string>; passwordHash?: string }): Promise<{ grants: number }> {
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY);
  const officer = ids.userIds.get("13900000003")!;
  const secondOfficer = ids.userIds.get("13900000002")!;
  const liaison = ids.userIds.get("13900000005")!;
  // The demo residents of 上坊路, 桔园, 墩子塘, 沙井 and 洪都新村 (青云谱区), created by seedIssues.
  const residents = (
    await trx.selectFrom("users").select("id").where("phone", "in", ["13900000015", "13900000016", "13900000017", "13900000018", "13900000019"]).orderBy("phone").execute()
  ).map((u) => u.id);

  const batch = async (title: string) =>
    trx
      .selectFrom("bids as b")
      .innerJoin("calls as c", "c.id", "b.call_id")
      .select(["b.id", "b.call_id", "b.organisation_id", "b.project_name", "b.action_type", "c.pool_id", "c.place_id", "c.publicity_working_days"])
      .where("c.title", "like", title)
      .where("b.status", "=", "submitted")
      .orderBy("b.project_name")
      .execute();
  const first = await batch("“点亮桔灯”%第一批%");
  const second = (await batch("“点亮桔灯”%第二批%")).slice(0, 6);
  const bids = [...first, ...second];
  if (bids.length === 0) return { grants: 0 };

  const requested = await trx
    .selectFrom("bid_budget_lines")
    .select(["bid_id", sql<number>`sum(amount_fen)`.as("fen")])
    .where(
      "bid_id",
      "in",
      bids.map((b) => b.id),
    )
    .groupBy("bid_id")
    .execute();
  const requestedOf = new Map(requested.map((r) => [r.bid_id, Number(r.fen)]));
  const milestones = await trx
    .selectFrom("bid_milestones")
    .select(["bid_id", "position", "title", "deliverable", sql<string>`due_date::text`.as("dueDate"), "tranche_pct"])
    .where(
      "bid_id",
      "in",
      bids.map((b) => b.id),
    )
    .orderBy("bid_id")
    .orderBy("position")
    .execute();

  // Stage of each grant by its index: first batch i = 0..15, second batch after it.
  const stageOf = (i: number): GrantStatus | "reported" | "paid1" =>
    i >= first.length ? "publicity" : i < 4 ? "closed" : i < 7 ? "awaiting_evaluation" : i < 11 ? "paid1" : i < 13 ? "reported" : i < 15 ? "in_progress" : "terminated";

  const pool = bids[0].pool_id;
  const balance = await trx
    .selectFrom("ledger_entries")
    .select(sql<number>`coalesce(sum(case kind when 'topup' then amount_fen when 'commit' then -amount_fen when 'release' then amount_fen else 0 end), 0)`.as("available"))
    .where("pool_id", "=", pool)
    .executeTakeFirstOrThrow();
  let available = Number(balance.available);

  const grantRows = [];
  for (const [i, b] of bids.entries()) {
    const amount = Math.floor((requestedOf.get(b.id) ?? 0) * 0.9 / 100) * 100;
    if (amount <= 0 || amount > available) continue;
    available -= amount;
    const stage = stageOf(i);
    const awardedAt = i >= first.length ? at(-2) : at(-40);
    const status: GrantStatus = stage === "reported" || stage === "paid1" ? "in_progress" : stage;
    grantRows.push({
      i,
      stage,
      bid: b,
      row: {
        call_id: b.call_id,
        bid_id: b.id,
        organisation_id: b.organisation_id,
        pool_id: b.pool_id,
        place_id: b.place_id,
        project_name: b.project_name,
        action_type: b.action_type,
        amount_fen: amount,
        status,
        awarded_by: officer,
        awarded_at: awardedAt,
        publicity_ends_at: publicityEndsAt(awardedAt, b.publicity_working_days),
        established_at: status === "publicity" ? null : at(-32),
        evaluation_ends_at: status === "closed" ? at(-1) : status === "awaiting_evaluation" ? at(7) : null,
        closed_at: status === "closed" ? at(-1) : null,
        ended_at: status === "terminated" ? at(-10) : null,
        ended_reason: status === "terminated" ? "承接组织负责人离职，项目无法继续实施，经协商终止。" : null,
      },
    });
  }
  if (grantRows.length === 0) return { grants: 0 };
  const inserted = await trx.insertInto("grants").values(grantRows.map((g) => g.row)).returning(["id", "bid_id"]).execute();
  const grantOf = new Map(inserted.map((g) => [g.bid_id, g.id]));
  const members = await trx
    .selectFrom("organisation_members")
    .select(["organisation_id", "user_id"])
    .where(
      "organisation_id",
      "in",
      grantRows.map((g) => g.row.organisation_id),
    )
    .execute();
  const reporterOf = (orgId: string) => members.find((m) => m.organisation_id === orgId)?.user_id ?? officer;

  const milestoneRows: Array<Insertable<GrantMilestonesTable>> = [];
  const reportRows: Array<Insertable<MilestoneReportsTable>> = [];
  const disbursementRows: Array<{ grantId: string; position: number; amount: number; at: Date }> = [];
  const ledgerRows = [];
  const events = [];
  const evaluations: Array<Insertable<GrantEvaluationsTable>> = [];
  for (const g of grantRows) {
    const grantId = grantOf.get(g.bid.id)!;
    const ms = milestones.filter((m) => m.bid_id === g.bid.id);
    const tranches = trancheAmounts(g.row.amount_fen, ms.map((m) => m.tranche_pct));
    ledgerRows.push({ pool_id: pool, grant_id: grantId, kind: "commit" as const, amount_fen: g.row.amount_fen, actor_user_id: officer, at: g.row.awarded_at, reason: `资助「${g.row.project_name}」`, idempotency_key: `seed:commit:${grantId}` });
    events.push({ grant_id: grantId, at: g.row.awarded_at, actor_id: officer, kind: "award", note: `确定资助 ${(g.row.amount_fen / 100).toFixed(2)} 元，进入公示` });
    if (g.row.established_at) events.push({ grant_id: grantId, at: g.row.established_at, actor_id: null, kind: "established", note: "公示期满无异议，正式立项" });
    const approvedCount = g.stage === "closed" || g.stage === "awaiting_evaluation" ? ms.length : g.stage === "paid1" ? 1 : 0;
    ms.forEach((m, k) => {
      const approved = k < approvedCount;
      const reported = g.stage === "reported" && k === 0;
      const when = at(-25 + k * 10);
      milestoneRows.push({
        grant_id: grantId,
        position: k + 1,
        title: m.title,
        deliverable: m.deliverable,
        due_date: m.dueDate,
        tranche_pct: m.tranche_pct,
        tranche_fen: tranches[k],
        status: approved ? ("approved" as const) : reported ? ("submitted" as const) : ("open" as const),
        approved_at: approved ? when : null,
        approved_by: approved ? officer : null,
      });
      if (approved || reported) {
        reportRows.push({
          grant_id: grantId,
          position: k + 1,
          narrative: `${m.title}已完成：按计划开展服务，居民参与积极，交付成果“${m.deliverable}”已上传。`,
          beneficiary_count: 40 + ((g.i * 7 + k * 13) % 60),
          beneficiary_group: "社区居民",
          activities: JSON.stringify([{ date: new Date(when.getTime() - 5 * DAY).toISOString().slice(0, 10), description: m.title }]),
          spending: JSON.stringify([{ category: "活动", description: "活动物资与场地", amountFen: Math.floor(tranches[k] * 0.8) }]),
          in_kind_received: g.i % 3 === 1 ? "社区志愿者服务 60 小时" : "",
          status: approved ? ("approved" as const) : ("submitted" as const),
          submitted_by: reporterOf(g.row.organisation_id),
          submitted_at: new Date(when.getTime() - 3 * DAY),
          liaison_comment: approved ? "材料齐全，同意报批。" : null,
          liaison_by: approved ? liaison : null,
          liaison_at: approved ? new Date(when.getTime() - 2 * DAY) : null,
          officer_comment: approved ? "" : null,
          officer_by: approved ? officer : null,
          officer_at: approved ? when : null,
        });
        if (approved) {
          events.push({ grant_id: grantId, at: when, actor_id: officer, kind: "officer_approve", note: `民政局审批通过里程碑 ${k + 1}「${m.title}」` });
          disbursementRows.push({ grantId, position: k + 1, amount: tranches[k], at: new Date(when.getTime() + DAY) });
        }
      }
    });
    if (g.stage === "terminated") {
      ledgerRows.push({ pool_id: pool, grant_id: grantId, kind: "release" as const, amount_fen: g.row.amount_fen, actor_user_id: officer, at: g.row.ended_at!, reason: `终止：${g.row.ended_reason}`, idempotency_key: `seed:release:${grantId}` });
      events.push({ grant_id: grantId, at: g.row.ended_at!, actor_id: officer, kind: "terminated", note: `已终止：${g.row.ended_reason}` });
    }
    if (g.stage === "closed" || g.stage === "awaiting_evaluation") {
      residents.slice(0, g.stage === "closed" ? 5 : 2).forEach((u, r) =>
        evaluations.push({ grant_id: grantId, user_id: u, satisfaction: [5, 4, 5, 4, 3][(r + g.i) % 5], solved: [4, 4, 5, 3, 4][(r + g.i) % 5], comment: r === 0 ? "服务很贴心，希望继续开展。" : "", created_at: at(-5 + r) }),
      );
    }
    if (g.stage === "closed") events.push({ grant_id: grantId, at: at(-1), actor_id: null, kind: "closed", note: "评价期结束，项目办结。" });
  }
  await trx.insertInto("grant_milestones").values(milestoneRows).execute();
  await sql`insert into grant_issues (grant_id, issue_id)
    select g.id, bi.issue_id from grants g join bid_issues bi on bi.bid_id = g.bid_id where g.id in (${sql.join(inserted.map((g) => g.id))})
    union
    select g.id, ci.issue_id from grants g join call_issues ci on ci.call_id = g.call_id
    where g.id in (${sql.join(inserted.map((g) => g.id))}) and not exists (select 1 from bid_issues bi where bi.bid_id = g.bid_id)`.execute(trx);
  if (reportRows.length) await trx.insertInto("milestone_reports").values(reportRows).execute();
  await trx.insertInto("ledger_entries").values(ledgerRows).execute();
  if (disbursementRows.length) {
    // Tranches above the pool's threshold were approved by a second officer (two-person rule).
    const paid = await trx
      .insertInto("ledger_entries")
      .values(
        disbursementRows.map((d) => ({
          pool_id: pool,
          grant_id: d.grantId,
          kind: "disburse" as const,
          amount_fen: d.amount,
          actor_user_id: officer,
          at: d.at,
          reason: `第 ${d.position} 期拨付`,
          payment_reference: `QYP-2026-${String(d.position).padStart(2, "0")}-${d.grantId.slice(0, 6).toUpperCase()}`,
          idempotency_key: `seed:disburse:${d.grantId}:${d.position}`,
        })),
      )
      .returning(["id", "grant_id", "payment_reference", "idempotency_key", "amount_fen", "at"])
      .execute();
    const positionOf = new Map(disbursementRows.map((d) => [`seed:disburse:${d.grantId}:${d.position}`, d.position]));
    await trx
      .insertInto("disbursements")
      .values(
        paid.map((p) => ({
          grant_id: p.grant_id!,
          position: positionOf.get(p.idempotency_key!)!,
          amount_fen: p.amount_fen,
          payment_reference: p.payment_reference!,
          idempotency_key: p.idempotency_key!,
          status: "paid" as const,
          requested_by: officer,
          requested_at: p.at,
          approved_by: secondOfficer,
          approved_at: p.at,
          ledger_entry_id: p.id,
        })),
      )
      .execute();
    events.push(...paid.map((p) => ({ grant_id: p.grant_id!, at: p.at, actor_id: officer, kind: "disbursed", note: `拨付第 ${positionOf.get(p.idempotency_key!)} 期 ${(p.amount_fen / 100).toFixed(2)} 元` })));
  }
  if (evaluations.length) await trx.insertInto("grant_evaluations").values(evaluations).execute();
  // A demo account for the organisation side of 点亮桔灯: a member of an organisation whose project is under way.
  const running = grantRows.find((g) => g.stage === "paid1");
  if (running && ids.passwordHash) {
    const user = await trx.insertInto("users").values({ phone: ORANGE_MEMBER_PHONE, display_name: "桔灯项目社工 王敏", password_hash: ids.passwordHash }).returning("id").executeTakeFirstOrThrow();
    await trx.insertInto("role_assignments").values({ user_id: user.id, role: "org_member", organisation_id: running.row.organisation_id }).execute();
    await trx.insertInto("organisation_members").values({ organisation_id: running.row.organisation_id, user_id: user.id, org_role: "member" }).execute();
  }
  const objected = grantRows.find((g) => g.stage === "publicity");
  if (objected && residents[0]) {
    await trx
      .insertInto("grant_objections")
      .values({ grant_id: grantOf.get(objected.bid.id)!, author_id: residents[0], reason: "该项目计划在小区广场开展活动，但广场正在施工，请核实场地是否可用。", created_at: at(-1) })
      .execute();
  }
  await trx.insertInto("grant_events").values(events.sort((a, b) => a.at.getTime() - b.at.getTime())).execute();
  return { grants: inserted.length };
}
