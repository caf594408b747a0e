import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { GrantStatus } from "../../../db/schema";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { organisationInput } from "../../../tests/support/organisations";
import { formatMoney } from "../../lib/money";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import type { ActionType } from "../vocabulary";
import { programmeFigures } from "./figures.server";
import { DATASETS, datasetRows } from "./opendata.server";
import { createReport, getReport } from "./reports.server";
import { SELF, viewFigures } from "./rules";
import { reportWorkbook, SHEETS } from "./xlsx.server";

/**
 * The grant figures on a small known set of projects, every number worked out by hand in the
 * comments. Period: 2026-01-01 to 2026-04-30 in Asia/Shanghai (UTC+8).
 *
 * g1 甲一社区 邻里美 10 000.00 元, awarded 02-10, closed 04-28; pledges 2 000.00 cash + 500.05 in kind;
 *    milestone 1 approved 03-01 (30 served), 2 approved 04-10 (20 served); paid 6 000.00 (03-02) and
 *    4 000.00 (04-11); evaluations 5, 4, 4 on 04-20.
 * g2 甲二社区 邻里美 8 000.00 元, awarded 03-05, in progress; in kind 1 000.00; milestone 1 approved on
 *    1 May Shanghai time (15 served, outside); paid 3 000.00 on 30 April 23:00 Shanghai, 500.00 refunded 04-15.
 * g3 甲一社区 邻里和 5 000.00 元 from the district's pool, awarded 1 January 00:30 Shanghai time,
 *    terminated; cash 300.00; a report submitted but never approved (99 served, not counted).
 * g4 乙一社区 邻里亲 7 000.00 元, awarded 04-02 and withdrawn in 公示: never a project, counted nowhere.
 * g5 乙一社区 邻里亲 3 000.00 元, awarded 2025-11-15 (before), closed 01-25; pledge 100.00 (before);
 *    paid 3 000.00 in 2025; one evaluation 3 on 01-20.
 * g6 乙一社区 邻里亲 4 000.00 元, awarded 05-03 (after): counted nowhere.
 */
const PERIOD = { from: "2026-01-01", to: "2026-04-30" };

let tree: Awaited<ReturnType<typeof placeTree>>;
let officer: { id: string };
const RESIDENT_NAME = "评价居民赵某";

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  officer = await createUser(db, { name: "市局 统计科长", roles: [{ role: "officer", place: tree.city }] });
  const residents = await Promise.all([1, 2, 3].map(() => createUser(db, { name: RESIDENT_NAME })));

  const pool = async (placeId: number, source: "市福彩公益金" | "区级财政") =>
    (
      await db
        .insertInto("funding_pools")
        .values({ place_id: placeId, name: `${source}创投资金池`, source, period_start: "2025-01-01", period_end: "2026-12-31" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const cityPool = await pool(tree.city.id, "市福彩公益金");
  const districtPool = await pool(tree.districtA.id, "区级财政");
  await db
    .insertInto("ledger_entries")
    .values([cityPool, districtPool].map((p) => ({ pool_id: p, grant_id: null, kind: "topup" as const, amount_fen: 10_000_000, at: new Date("2025-10-01T02:00:00Z"), reason: "注资" })))
    .execute();

  const call = async (placeId: number, action: ActionType, poolId: string) =>
    (
      await db
        .insertInto("calls")
        .values({
          place_id: placeId,
          title: `测试招贤榜${action}`,
          description: "招募社会组织",
          action_type: action,
          pool_id: poolId,
          cap_fen: 1_000_000,
          total_budget_fen: 5_000_000,
          opens_at: "2025-10-01T00:00:00Z",
          closes_at: "2025-10-20T00:00:00Z",
          project_start: "2025-11-01",
          project_end: "2026-10-31",
          status: "published",
          created_by: officer.id,
          published_at: new Date("2025-10-01T00:00:00Z"),
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const callMei = await call(tree.districtA.id, "mei", cityPool);
  const callHe = await call(tree.districtA.id, "he", districtPool);
  const callQin = await call(tree.districtB.id, "qin", cityPool);

  let n = 0;
  const grant = async (o: {
    callId: string;
    poolId: string;
    place: { id: number };
    action: ActionType;
    fen: number;
    status: GrantStatus;
    awardedAt: string;
    closedAt?: string;
    pledges?: Array<["cash" | "in_kind", number]>;
  }) => {
    n++;
    const i = organisationInput(o.place.id);
    const org = await db
      .insertInto("organisations")
      .values({ name: `测试组织${n}`, uscc: i.uscc, type: i.type, registering_bureau: i.registeringBureau, place_id: tree.districtA.id, address: i.address, contact_person: i.contactPerson, contact_phone: i.contactPhone, service_areas: i.serviceAreas, introduction: i.introduction, status: "verified", verified_at: new Date("2025-09-01T00:00:00Z") })
      .returning("id")
      .executeTakeFirstOrThrow();
    const bid = await db
      .insertInto("bids")
      .values({ call_id: o.callId, organisation_id: org.id, status: "submitted", project_name: `项目${n}`, action_type: o.action, created_by: officer.id, submitted_at: new Date("2025-10-10T00:00:00Z") })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (o.pledges?.length)
      await db
        .insertInto("bid_pledges")
        .values(o.pledges.map(([kind, fen], k) => ({ bid_id: bid.id, position: k + 1, source: "爱心企业", kind, description: "配套", value_fen: fen })))
        .execute();
    const awardedAt = new Date(o.awardedAt);
    const g = await db
      .insertInto("grants")
      .values({
        call_id: o.callId,
        bid_id: bid.id,
        organisation_id: org.id,
        pool_id: o.poolId,
        place_id: o.place.id,
        project_name: `项目${n}`,
        action_type: o.action,
        amount_fen: o.fen,
        status: o.status,
        awarded_by: officer.id,
        awarded_at: awardedAt,
        publicity_ends_at: new Date(awardedAt.getTime() + 7 * 86_400_000),
        established_at: o.status === "publicity" || o.status === "withdrawn" ? null : new Date(awardedAt.getTime() + 7 * 86_400_000),
        evaluation_ends_at: o.closedAt ? new Date(o.closedAt) : null,
        closed_at: o.closedAt ? new Date(o.closedAt) : null,
        ended_at: ["withdrawn", "terminated"].includes(o.status) ? new Date(awardedAt.getTime() + 20 * 86_400_000) : null,
        ended_reason: ["withdrawn", "terminated"].includes(o.status) ? "测试" : null,
      })
      .returning(["id", "pool_id"])
      .executeTakeFirstOrThrow();
    await db
      .insertInto("grant_milestones")
      .values([1, 2].map((position) => ({ grant_id: g.id, position, title: `阶段${position}`, deliverable: "成果", due_date: "2026-06-30", tranche_pct: 50, tranche_fen: o.fen / 2 })))
      .execute();
    return g;
  };
  const report = (grantId: string, position: number, served: number, status: "approved" | "submitted", officerAt: string | null, narrative = "按计划开展服务。") => ({
    grant_id: grantId,
    position,
    narrative,
    beneficiary_count: served,
    beneficiary_group: "社区居民",
    activities: JSON.stringify([]),
    spending: JSON.stringify([]),
    status,
    submitted_by: officer.id,
    submitted_at: new Date("2026-02-01T00:00:00Z"),
    officer_by: officerAt ? officer.id : null,
    officer_at: officerAt ? new Date(officerAt) : null,
  });
  const money = (g: { id: string; pool_id: string }, kind: "disburse" | "refund", fen: number, at: string) => ({ pool_id: g.pool_id, grant_id: g.id, kind, amount_fen: fen, at: new Date(at), reason: kind });

  const g1 = await grant({ callId: callMei, poolId: cityPool, place: tree.communityA1, action: "mei", fen: 1_000_000, status: "closed", awardedAt: "2026-02-10T02:00:00Z", closedAt: "2026-04-28T02:00:00Z", pledges: [["cash", 200_000], ["in_kind", 50_005]] });
  const g2 = await grant({ callId: callMei, poolId: cityPool, place: tree.communityA2, action: "mei", fen: 800_000, status: "in_progress", awardedAt: "2026-03-05T02:00:00Z", pledges: [["in_kind", 100_000]] });
  const g3 = await grant({ callId: callHe, poolId: districtPool, place: tree.communityA1, action: "he", fen: 500_000, status: "terminated", awardedAt: "2025-12-31T16:30:00Z", pledges: [["cash", 30_000]] });
  const g4 = await grant({ callId: callQin, poolId: cityPool, place: tree.communityB1, action: "qin", fen: 700_000, status: "withdrawn", awardedAt: "2026-04-02T02:00:00Z", pledges: [["cash", 999_999]] });
  const g5 = await grant({ callId: callQin, poolId: cityPool, place: tree.communityB1, action: "qin", fen: 300_000, status: "closed", awardedAt: "2025-11-15T02:00:00Z", closedAt: "2026-01-25T02:00:00Z", pledges: [["cash", 10_000]] });
  const g6 = await grant({ callId: callQin, poolId: cityPool, place: tree.communityB1, action: "qin", fen: 400_000, status: "publicity", awardedAt: "2026-05-03T02:00:00Z", pledges: [["cash", 20_000]] });

  await db
    .insertInto("milestone_reports")
    .values([
      report(g1.id, 1, 30, "approved", "2026-03-01T02:00:00Z", "第一阶段：安装楼道灯。"),
      report(g1.id, 2, 20, "approved", "2026-04-10T02:00:00Z", "第二阶段：楼道灯全部点亮，居民夜间出行更安全。"),
      report(g2.id, 1, 15, "approved", "2026-04-30T17:00:00Z"),
      report(g3.id, 1, 99, "submitted", null),
      report(g4.id, 1, 40, "approved", "2026-04-05T02:00:00Z"),
    ])
    .execute();
  await db
    .insertInto("ledger_entries")
    .values([
      money(g1, "disburse", 600_000, "2026-03-02T02:00:00Z"),
      money(g1, "disburse", 400_000, "2026-04-11T02:00:00Z"),
      money(g2, "disburse", 300_000, "2026-04-30T15:00:00Z"),
      money(g2, "refund", 50_000, "2026-04-15T02:00:00Z"),
      money(g5, "disburse", 300_000, "2025-12-01T02:00:00Z"),
    ])
    .execute();
  const evaluation = (grantId: string, userId: string, satisfaction: number, at: string) => ({ grant_id: grantId, user_id: userId, satisfaction, solved: 4, comment: "", created_at: new Date(at) });
  await db
    .insertInto("grant_evaluations")
    .values([
      evaluation(g1.id, residents[0].id, 5, "2026-04-20T02:00:00Z"),
      evaluation(g1.id, residents[1].id, 4, "2026-04-20T02:00:00Z"),
      evaluation(g1.id, residents[2].id, 4, "2026-04-20T02:00:00Z"),
      evaluation(g5.id, residents[0].id, 3, "2026-01-20T02:00:00Z"),
      evaluation(g4.id, residents[1].id, 1, "2026-04-20T02:00:00Z"),
      evaluation(g6.id, residents[2].id, 1, "2026-05-20T02:00:00Z"),
    ])
    .execute();
});

describe("grant figures on a known data set (each number computed by hand)", () => {
  it("counts projects awarded by the end of the period (a stock), never the grant withdrawn in 公示, with their status now", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const m = f.metrics.projects;
    // g1, g2, g3, g5.
    expect(m.total).toBe(4);
    expect(m.byArea).toEqual({ [tree.districtA.id]: 3, [tree.districtB.id]: 1, [SELF]: 0 });
    expect(m.byAction).toEqual({ qin: 1, he: 1, fu: 0, mei: 2, none: 0 });
    // g5 before the period, g3 on 1 January, g1 in February, g2 in March.
    expect(m.byMonth).toEqual({ "2026-01": 2, "2026-02": 3, "2026-03": 4, "2026-04": 4 });
    expect(f.projectStatus.total).toEqual({ closed: 2, in_progress: 1, terminated: 1 });
    expect(f.projectStatus.byArea[tree.districtA.id]).toEqual({ closed: 1, in_progress: 1, terminated: 1 });
    expect(f.projectStatus.byArea[tree.districtB.id]).toEqual({ closed: 1 });
  });

  it("sums money awarded within the period by area, action type, month and the source of its pool", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const m = f.metrics.grantsAwarded;
    // g1 10 000 + g2 8 000 + g3 5 000 元.
    expect(m.total).toBe(2_300_000);
    expect(m.byArea).toEqual({ [tree.districtA.id]: 2_300_000, [tree.districtB.id]: 0, [SELF]: 0 });
    expect(m.byAction).toEqual({ qin: 0, he: 500_000, fu: 0, mei: 1_800_000, none: 0 });
    expect(m.byMonth).toEqual({ "2026-01": 500_000, "2026-02": 1_000_000, "2026-03": 800_000, "2026-04": 0 });
    expect(f.awardedBySource).toEqual([
      { source: "市福彩公益金", fen: 1_800_000 },
      { source: "区级财政", fen: 500_000 },
    ]);
  });

  it("sums money disbursed within the period less refunds, by the project's area", async () => {
    const m = (await programmeFigures(getDb(), tree.city.id, PERIOD)).metrics.disbursed;
    // 6 000 (March) + 4 000 + 3 000 − 500 (April); g5's payment of 2025 is outside.
    expect(m.total).toBe(1_250_000);
    expect(m.byMonth).toEqual({ "2026-01": 0, "2026-02": 0, "2026-03": 600_000, "2026-04": 650_000 });
    expect(m.byArea[tree.districtA.id]).toBe(1_250_000);
    expect(m.byAction.mei).toBe(1_250_000);
  });

  it("sums 撬动 (cash and in-kind pledges) of the projects awarded within the period", async () => {
    const m = (await programmeFigures(getDb(), tree.city.id, PERIOD)).metrics.leveraged;
    // g1 2 000 + 500.05, g2 1 000, g3 300 元.
    expect(m.total).toBe(380_005);
    expect(m.byAction).toEqual({ qin: 0, he: 30_000, fu: 0, mei: 350_005, none: 0 });
    expect(m.byMonth).toEqual({ "2026-01": 30_000, "2026-02": 250_005, "2026-03": 100_000, "2026-04": 0 });
  });

  it("sums people served in milestone reports approved within the period", async () => {
    const m = (await programmeFigures(getDb(), tree.city.id, PERIOD)).metrics.beneficiaries;
    // g1's two approved reports; g2's was approved on 1 May, g3's never, g4 was withdrawn.
    expect(m.total).toBe(50);
    expect(m.byMonth).toEqual({ "2026-01": 0, "2026-02": 0, "2026-03": 30, "2026-04": 20 });
    expect(m.byAction.mei).toBe(50);
  });

  it("averages residents' satisfaction cell by cell, in hundredths, with no evaluations shown as \"—\"", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const m = f.metrics.satisfaction;
    // g1 5, 4, 4 (April), g5 3 (January): 16 / 4 = 4.00; g4 (withdrawn) and g6 (May) are not counted.
    expect(m.total).toBe(400);
    // 甲区: 13 / 3 = 4.333…; 乙区: 3.
    expect(m.byArea).toEqual({ [tree.districtA.id]: 433, [tree.districtB.id]: 300, [SELF]: 0 });
    expect(m.byAction).toEqual({ qin: 300, he: 0, fu: 0, mei: 433, none: 0 });
    expect(m.byMonth).toEqual({ "2026-01": 300, "2026-02": 0, "2026-03": 0, "2026-04": 433 });
    const shown = viewFigures(f, { suppressCare: true, format: formatMoney }).shown.satisfaction;
    expect(shown.total).toBe("4.00");
    expect(shown.byArea[tree.districtA.id]).toBe("4.33");
    expect(shown.byAction.he).toBe("—");
  });

  it("lists the largest projects of the period and, as stories, the best rated", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    expect(f.topProjects.map((p) => [p.projectName, p.amountFen, p.leveragedFen, p.beneficiaries, p.evaluations, p.satisfaction])).toEqual([
      ["项目1", 1_000_000, 250_005, 50, 3, 433],
      ["项目2", 800_000, 100_000, 15, 0, 0],
      ["项目3", 500_000, 30_000, 0, 0, 0],
    ]);
    expect(f.stories.map((p) => [p.projectName, p.satisfaction, p.narrative])).toEqual([
      ["项目1", 433, "第二阶段：楼道灯全部点亮，居民夜间出行更安全。"],
      ["项目5", 300, ""],
    ]);
  });
});

describe("总结报告 进展成效 in the XLSX", () => {
  it("reads back with the project sheets: Chinese headers, 元 with two decimals, hand-computed totals", async () => {
    const db = getDb();
    const actor = { roles: [scoped("officer", tree.city)] };
    const { id } = await db
      .transaction()
      .execute((trx) => createReport(trx, { userId: officer.id }, actor, fixedClock("2026-05-06T02:00:00Z"), { placeId: tree.city.id, ...PERIOD, suggestions: "建议推广项目1的做法。" }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportWorkbook((await getReport(db, id))!)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS));

    const totals = wb.getWorksheet(SHEETS.totals)!;
    const total = (label: string) => {
      for (let r = 2; r <= totals.rowCount; r++) if (totals.getRow(r).getCell(1).value === label) return totals.getRow(r).getCell(2);
      throw new Error(label);
    };
    expect(total("资助项目").value).toBe(4);
    expect(total("资助金额").value).toBe(23000);
    expect(total("资助金额").numFmt).toBe("#,##0.00");
    expect(total("已拨付资金").value).toBe(12500);
    expect(total("撬动社会资源").value).toBe(3800.05);
    expect(total("服务受益人次").value).toBe(50);
    expect(total("居民满意度").value).toBe(4);

    const top = wb.getWorksheet(SHEETS.topProjects)!;
    expect((top.getRow(1).values as unknown[]).slice(1, 7)).toEqual(["项目名称", "承接组织", "地区", "行动类型", "状态", "资助金额（元）"]);
    expect(top.getRow(2).getCell(1).value).toBe("项目1");
    expect(top.getRow(2).getCell(10).value).toBe(4.33);
    const topTotal = top.getRow(top.rowCount);
    expect(topTotal.getCell(1).value).toBe("合计");
    expect(topTotal.getCell(6).value).toBe(23000);
    expect(topTotal.getCell(7).value).toBe(3800.05);
    expect(topTotal.getCell(6).numFmt).toBe("#,##0.00");

    const stories = wb.getWorksheet(SHEETS.stories)!;
    expect(stories.rowCount).toBe(1 + 2 + 1);
    expect(stories.getRow(2).getCell(11).value).toBe("第二阶段：楼道灯全部点亮，居民夜间出行更安全。");

    const status = wb.getWorksheet(SHEETS.projectStatus)!;
    const statusHead = (status.getRow(1).values as unknown[]).slice(1);
    const statusTotal = status.getRow(status.rowCount);
    expect(statusTotal.getCell(statusHead.indexOf("已办结") + 1).value).toBe(2);
    expect(statusTotal.getCell(statusHead.indexOf("合计") + 1).value).toBe(4);
  });
});

describe("open data of grants and delivered projects", () => {
  it("lists grants awarded within the period in the documented columns, the withdrawn one left out", async () => {
    const rows = await datasetRows(getDb(), "grants", { placeId: tree.city.id, period: PERIOD });
    expect(rows[0]).toEqual(DATASETS.grants.columns.map((c) => c.key));
    const col = (k: string) => rows[0].indexOf(k);
    expect(rows.slice(1).map((r) => [r[col("project_name")], r[col("amount_yuan")], r[col("leveraged_yuan")], r[col("awarded_on")], r[col("status")]])).toEqual([
      ["项目3", "5000.00", "300.00", "2026-01-01", "terminated"],
      ["项目1", "10000.00", "2500.05", "2026-02-10", "closed"],
      ["项目2", "8000.00", "1000.00", "2026-03-05", "in_progress"],
    ]);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
  });

  it("lists projects closed within the period with what they delivered", async () => {
    const rows = await datasetRows(getDb(), "projects", { placeId: tree.city.id, period: PERIOD });
    expect(rows[0]).toEqual(DATASETS.projects.columns.map((c) => c.key));
    const col = (k: string) => rows[0].indexOf(k);
    expect(rows.slice(1).map((r) => [r[col("project_name")], r[col("disbursed_yuan")], r[col("beneficiaries")], r[col("evaluations")], r[col("satisfaction")], r[col("closed_on")]])).toEqual([
      ["项目5", "3000.00", "0", "1", "3.00", "2026-01-25"],
      ["项目1", "10000.00", "50", "3", "4.33", "2026-04-28"],
    ]);
  });

  it("lists calls published within the period with their bids and awards, by place", async () => {
    const autumn = { from: "2025-09-01", to: "2026-04-30" };
    const rows = await datasetRows(getDb(), "calls", { placeId: tree.city.id, period: autumn });
    expect(rows[0]).toEqual(DATASETS.calls.columns.map((c) => c.key));
    const col = (k: string) => rows[0].indexOf(k);
    const pick = (r: string[]) => [r[col("title")], r[col("action_type")], r[col("total_budget_yuan")], r[col("cap_yuan")], r[col("published_on")], r[col("status")], r[col("bids")], r[col("awarded")]];
    // he: one bid awarded (terminated later still counts); mei: two awarded; qin: three bids, the withdrawn award left out.
    expect(rows.slice(1).map(pick)).toEqual([
      ["测试招贤榜he", "he", "50000.00", "10000.00", "2025-10-01", "published", "1", "1"],
      ["测试招贤榜mei", "mei", "50000.00", "10000.00", "2025-10-01", "published", "2", "2"],
      ["测试招贤榜qin", "qin", "50000.00", "10000.00", "2025-10-01", "published", "3", "2"],
    ]);
    const districtB = await datasetRows(getDb(), "calls", { placeId: tree.districtB.id, period: autumn });
    expect(districtB.slice(1).map((r) => r[col("title")])).toEqual(["测试招贤榜qin"]);
    // Published before the period: not listed.
    expect(await datasetRows(getDb(), "calls", { placeId: tree.city.id, period: PERIOD })).toHaveLength(1);
  });

  it("puts no resident, officer or phone in the grant datasets", async () => {
    for (const name of ["calls", "grants", "projects"] as const) {
      const text = JSON.stringify(await datasetRows(getDb(), name, { placeId: tree.city.id, period: PERIOD }));
      expect(text).not.toContain(RESIDENT_NAME);
      expect(text).not.toContain("统计科长");
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });
});
