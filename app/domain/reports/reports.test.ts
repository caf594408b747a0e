import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { IssueStatus } from "../../../db/schema";
import { insertTarget } from "../../../tests/support/care-factories";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { organisationInput } from "../../../tests/support/organisations";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { formatMoney } from "../../lib/money";
import { programmeFigures } from "./figures.server";
import { DATASETS, datasetRows } from "./opendata.server";
import { createReport, getReport, listReports } from "./reports.server";
import { SELF, viewFigures } from "./rules";
import { reportWorkbook, SHEETS } from "./xlsx.server";

/**
 * A small known programme, every figure worked out by hand below. Period: 2026-01-01 to
 * 2026-04-30 in Asia/Shanghai (UTC+8), so 2025-12-31T16:30Z is in January and 2026-04-30T17:00Z
 * is already May.
 */
const PERIOD = { from: "2026-01-01", to: "2026-04-30" };

let tree: Awaited<ReturnType<typeof placeTree>>;
let cityOfficer: { id: string };
const TARGET_NAME = "保密测试对象";
const AUTHOR_NAME = "议题作者王某";
const CONTACT_PHONE = "13912345678";

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  cityOfficer = await createUser(db, { name: "市局 测试科长", roles: [{ role: "officer", place: tree.city }] });
  const author = await createUser(db, { name: AUTHOR_NAME });

  const org = async (placeId: number, status: "verified" | "pending", verifiedAt: string | null, over: Record<string, string> = {}) => {
    const i = organisationInput(placeId, over);
    return db
      .insertInto("organisations")
      .values({
        name: i.name,
        uscc: i.uscc,
        type: i.type,
        registering_bureau: i.registeringBureau,
        place_id: placeId,
        address: i.address,
        contact_person: i.contactPerson,
        contact_phone: over.contactPhone ?? i.contactPhone,
        service_areas: i.serviceAreas,
        introduction: i.introduction,
        status,
        verified_at: verifiedAt ? new Date(verifiedAt) : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  };
  // Organisations (a stock): A has one from before the period, two within, one pending, one verified after; B one.
  await org(tree.districtA.id, "verified", "2025-12-10T02:00:00Z");
  const orgA = await org(tree.districtA.id, "verified", "2026-02-10T02:00:00Z", { contactPhone: CONTACT_PHONE });
  await org(tree.districtA.id, "verified", "2026-03-05T02:00:00Z");
  await org(tree.districtA.id, "pending", null);
  await org(tree.districtA.id, "verified", "2026-05-10T02:00:00Z");
  await org(tree.districtB.id, "verified", "2026-03-20T02:00:00Z");

  const issue = async (placeId: number, createdAt: string, action: "qin" | "he" | "fu" | "mei" | null, opts: { hidden?: boolean; status?: IssueStatus } = {}) =>
    (
      await db
        .insertInto("issues")
        .values({
          place_id: placeId,
          author_id: author.id,
          title: "测试议题标题",
          description: "测试议题",
          category: "社区环境",
          visible_name: AUTHOR_NAME,
          status: opts.status ?? "pending",
          action_type: action,
          created_at: new Date(createdAt),
          status_changed_at: new Date(createdAt),
          hidden_at: opts.hidden ? new Date(createdAt) : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  await issue(tree.communityA1.id, "2025-12-31T16:30:00Z", null); // 1 January in Shanghai
  const i2 = await issue(tree.communityA1.id, "2026-02-03T03:00:00Z", "mei", { status: "decided" });
  await issue(tree.communityA2.id, "2026-02-20T03:00:00Z", null);
  await issue(tree.communityA1.id, "2026-03-01T03:00:00Z", null, { hidden: true });
  const i5 = await issue(tree.communityA1.id, "2025-12-20T03:00:00Z", "he", { status: "closed" });
  const i6 = await issue(tree.communityB1.id, "2026-03-15T03:00:00Z", "qin", { status: "decided" });
  await issue(tree.communityA1.id, "2026-04-30T17:00:00Z", null); // 1 May in Shanghai
  const event = (issueId: string, to: IssueStatus, at: string) => ({ issue_id: issueId, at: new Date(at), to_status: to, from_status: null, actor_id: null, note: null, roundtable_id: null });
  await db
    .insertInto("issue_events")
    .values([event(i2, "decided", "2026-03-10T03:00:00Z"), event(i6, "decided", "2026-04-02T03:00:00Z"), event(i5, "decided", "2026-01-15T03:00:00Z"), event(i5, "closed", "2026-04-20T03:00:00Z")])
    .execute();

  const pool = async (placeId: number, source: "市福彩公益金" | "区级财政", topups: Array<[number, string]>) => {
    const p = await db
      .insertInto("funding_pools")
      .values({ place_id: placeId, name: `${source}测试资金池`, source, period_start: "2026-01-01", period_end: "2026-12-31" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("ledger_entries")
      .values(topups.map(([fen, at]) => ({ pool_id: p.id, grant_id: null, kind: "topup" as const, amount_fen: fen, at: new Date(at), reason: "注资" })))
      .execute();
  };
  await pool(tree.city.id, "市福彩公益金", [[10_000_000, "2026-02-01T02:00:00Z"]]);
  await pool(tree.districtA.id, "区级财政", [
    [5_000_005, "2026-03-01T02:00:00Z"],
    [1_000_000, "2026-06-01T02:00:00Z"],
  ]);

  // Calls: one published in A (邻里美), one published in B then withdrawn (邻里亲), one draft, one published after the period.
  const callPool = await db
    .insertInto("funding_pools")
    .values({ place_id: tree.city.id, name: "招贤榜测试资金池", source: "社会捐赠", period_start: "2026-01-01", period_end: "2026-12-31" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const call = (placeId: number, title: string, action: "qin" | "mei", status: "draft" | "published" | "withdrawn", publishedAt: string | null) => ({
    place_id: placeId,
    title,
    description: "招募社会组织",
    action_type: action,
    pool_id: callPool.id,
    cap_fen: 1_000_000,
    total_budget_fen: 3_000_050,
    opens_at: "2026-02-01T00:00:00Z",
    closes_at: "2026-03-01T00:00:00Z",
    project_start: "2026-03-15",
    project_end: "2026-09-30",
    status,
    withdrawn_reason: status === "withdrawn" ? "资金调整" : null,
    created_by: cityOfficer.id,
    published_at: publishedAt ? new Date(publishedAt) : null,
  });
  await db
    .insertInto("calls")
    .values([
      call(tree.districtA.id, "甲区照明招贤榜", "mei", "published", "2026-03-02T02:00:00Z"),
      call(tree.districtB.id, "乙区帮扶招贤榜", "qin", "withdrawn", "2026-04-10T02:00:00Z"),
      call(tree.districtA.id, "甲区草稿招贤榜", "mei", "draft", null),
      call(tree.districtA.id, "甲区五月招贤榜", "mei", "published", "2026-05-03T02:00:00Z"),
    ])
    .execute();

  // Care: 2 targets of A matched within the period, 6 of B, 1 of B before it; 3 services in A, 1 after.
  const match = async (place: typeof tree.communityA1, startedOn: string, name = "对象") => {
    const t = await insertTarget(db, place, { name });
    const m = await db
      .insertInto("care_matches")
      .values({ target_id: t.id, carer_kind: "organisation", organisation_id: orgA.id, started_on: startedOn })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { targetId: t.id, matchId: m.id };
  };
  const a = await match(tree.communityA1, "2026-02-01", TARGET_NAME);
  await match(tree.communityA1, "2026-02-01");
  for (let k = 0; k < 6; k++) await match(tree.communityB1, "2026-03-01");
  await match(tree.communityB1, "2025-11-01");
  const service = (servedOn: string) => ({ target_id: a.targetId, match_id: a.matchId, logged_by: cityOfficer.id, served_on: servedOn, kind: "亲情陪伴", duration_minutes: 60, notes: "上门探访", follow_up: false });
  await db.insertInto("care_services").values([service("2026-03-02"), service("2026-03-09"), service("2026-03-16"), service("2026-05-02")]).execute();
});

describe("programme figures on a known data set (each number computed by hand)", () => {
  it("counts organisations taking part as verified by the end of the period, months as a running total", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const m = f.metrics.organisations;
    expect(m.total).toBe(4);
    expect(m.byArea).toEqual({ [tree.districtA.id]: 3, [tree.districtB.id]: 1, [SELF]: 0 });
    expect(m.byMonth).toEqual({ "2026-01": 1, "2026-02": 2, "2026-03": 4, "2026-04": 4 });
  });

  it("counts issues raised within the period in Shanghai time, without hidden ones, by area, action type and month", async () => {
    const m = (await programmeFigures(getDb(), tree.city.id, PERIOD)).metrics.issuesRaised;
    expect(m.total).toBe(4);
    expect(m.byArea[tree.districtA.id]).toBe(3);
    expect(m.byArea[tree.districtB.id]).toBe(1);
    expect(m.byAction).toEqual({ qin: 1, he: 0, fu: 0, mei: 1, none: 2 });
    expect(m.byMonth).toEqual({ "2026-01": 1, "2026-02": 2, "2026-03": 1, "2026-04": 0 });
  });

  it("counts issues decided and closed by the date of the decision, whenever they were raised", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    expect(f.metrics.issuesDecided.total).toBe(3);
    expect(f.metrics.issuesDecided.byAction).toEqual({ qin: 1, he: 1, fu: 0, mei: 1, none: 0 });
    expect(f.metrics.issuesDecided.byAreaAction[tree.districtA.id]).toEqual({ qin: 0, he: 1, fu: 0, mei: 1, none: 0 });
    expect(f.metrics.issuesDecided.byMonth).toEqual({ "2026-01": 1, "2026-02": 0, "2026-03": 1, "2026-04": 1 });
    expect(f.metrics.issuesClosed.total).toBe(1);
    expect(f.metrics.issuesClosed.byMonth["2026-04"]).toBe(1);
  });

  it("counts calls published within the period, withdrawn ones included, and lists them for 工作部署", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    expect(f.metrics.callsPublished.total).toBe(2);
    expect(f.metrics.callsPublished.byAction).toEqual({ qin: 1, he: 0, fu: 0, mei: 1, none: 0 });
    expect(f.metrics.callsPublished.byMonth).toEqual({ "2026-01": 0, "2026-02": 0, "2026-03": 1, "2026-04": 1 });
    expect(f.calls.map((c) => [c.title, c.withdrawn, c.totalBudgetFen])).toEqual([
      ["甲区照明招贤榜", false, 3_000_050],
      ["乙区帮扶招贤榜", true, 3_000_050],
    ]);
  });

  it("sums money put into pools within the period, the city's own pool under the city itself, and by source", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    expect(f.metrics.poolFunds.total).toBe(15_000_005);
    expect(f.metrics.poolFunds.byArea).toEqual({ [tree.districtA.id]: 5_000_005, [tree.districtB.id]: 0, [SELF]: 10_000_000 });
    expect(f.poolsBySource).toEqual([
      { source: "市福彩公益金", fen: 10_000_000 },
      { source: "区级财政", fen: 5_000_005 },
    ]);
    expect(f.areas.map((a) => a.name)).toEqual(["甲区", "乙区", "测试市（本级）"]);
  });

  it("counts care targets matched and services logged within the period", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    expect(f.metrics.careMatched.total).toBe(8);
    expect(f.metrics.careMatched.byArea).toMatchObject({ [tree.districtA.id]: 2, [tree.districtB.id]: 6 });
    expect(f.metrics.careServices.total).toBe(3);
  });

  it("drills down: a district's figures are split by its streets, its organisations counted under the district itself", async () => {
    const f = await programmeFigures(getDb(), tree.districtA.id, PERIOD);
    expect(f.metrics.organisations.byArea).toEqual({ [tree.streetA.id]: 0, [SELF]: 3 });
    expect(f.metrics.issuesRaised.byArea[tree.streetA.id]).toBe(3);
    expect(f.metrics.poolFunds.total).toBe(5_000_005);
    const street = await programmeFigures(getDb(), tree.streetA.id, PERIOD);
    expect(street.metrics.issuesRaised.byArea).toEqual({ [tree.communityA1.id]: 2, [tree.communityA2.id]: 1, [SELF]: 0 });
  });

  it("shows care counts under 5 as \"<5\" (and a second cell of the partition) to the public, exact to care officers", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const pub = viewFigures(f, { suppressCare: true, format: formatMoney });
    expect(pub.shown.careMatched.byArea[tree.districtA.id]).toBe("<5");
    // One small cell alone would be total − others: the next smallest (the city itself, 0) is hidden too.
    expect(pub.shown.careMatched.byArea[SELF]).toBe("<5");
    expect(pub.shown.careMatched.byArea[tree.districtB.id]).toBe("6");
    expect(pub.shown.careMatched.total).toBe("8");
    expect(pub.shown.careServices.total).toBe("<5");
    // Raw care numbers never reach a page that suppresses them (only chart series are sent raw).
    expect(JSON.stringify(pub.charts)).not.toMatch(/care/);
    expect(pub).not.toHaveProperty("metrics");
    expect(pub.shown.issuesRaised.total).toBe("4");
    const officer = viewFigures(f, { suppressCare: false, format: formatMoney });
    expect(officer.shown.careMatched.byArea[tree.districtA.id]).toBe("2");
  });

  it("sends nothing personal to the public page: no names, phones or ids of people", async () => {
    const f = await programmeFigures(getDb(), tree.city.id, PERIOD);
    const text = JSON.stringify(viewFigures(f, { suppressCare: true, format: formatMoney }));
    for (const secret of [TARGET_NAME, AUTHOR_NAME, CONTACT_PHONE, cityOfficer.id, "测试科长"]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe("总结报告", () => {
  it("keeps the report with who, when, the period, the 意见建议 and the figures as generated", async () => {
    const db = getDb();
    const clock = fixedClock("2026-05-06T02:00:00Z");
    const actor = { roles: [scoped("officer", tree.city)] };
    const { id } = await db.transaction().execute((trx) => createReport(trx, { userId: cityOfficer.id }, actor, clock, { placeId: tree.city.id, ...PERIOD, suggestions: "建议加大对乙区社会组织的培育力度。" }));
    const report = (await getReport(db, id))!;
    expect(report).toMatchObject({ placeName: "测试市", from: "2026-01-01", to: "2026-04-30", createdByName: "市局 测试科长", suggestions: "建议加大对乙区社会组织的培育力度。" });
    expect(report.createdAt.toISOString()).toBe("2026-05-06T02:00:00.000Z");
    expect(report.figures.metrics.issuesRaised.total).toBe(4);
    expect((await listReports(db, [tree.districtB.path])).map((r) => r.id)).not.toContain(id);
    expect((await listReports(db, [tree.city.path])).map((r) => r.id)).toContain(id);
    const logged = await db.selectFrom("audit_log").select("action").where("entity_id", "=", id).execute();
    expect(logged.map((l) => l.action)).toEqual(["report.create"]);
  });

  it("refuses a report for a place outside the officer's district", async () => {
    const actor = { roles: [scoped("officer", tree.districtB)] };
    await expect(
      getDb()
        .transaction()
        .execute((trx) => createReport(trx, { userId: cityOfficer.id }, actor, fixedClock("2026-05-06T02:00:00Z"), { placeId: tree.districtA.id, ...PERIOD, suggestions: "这是一段足够长的意见建议。" })),
    ).rejects.toBeInstanceOf(DomainError);
  });

  it("exports an XLSX that reads back with one sheet per table, Chinese headers, 元 with two decimals and the right totals", async () => {
    const db = getDb();
    const actor = { roles: [scoped("officer", tree.city)] };
    const { id } = await db.transaction().execute((trx) => createReport(trx, { userId: cityOfficer.id }, actor, fixedClock("2026-05-06T02:00:00Z"), { placeId: tree.city.id, ...PERIOD, suggestions: "意见建议：继续推进一社连一村。" }));
    const buffer = await reportWorkbook((await getReport(db, id))!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(SHEETS));

    const pools = wb.getWorksheet(SHEETS.pools)!;
    expect(pools.getRow(1).values).toEqual([undefined, "资金池", "资金来源", "所属地区", "期间注入金额（元）"]);
    const poolTotal = pools.getRow(pools.rowCount);
    expect(poolTotal.getCell(1).value).toBe("合计");
    expect(poolTotal.getCell(4).value).toBe(150000.05);
    expect(poolTotal.getCell(4).numFmt).toBe("#,##0.00");

    const areas = wb.getWorksheet(SHEETS.areas)!;
    const headers = (areas.getRow(1).values as unknown[]).slice(1);
    expect(headers[0]).toBe("地区");
    const col = (label: string) => headers.indexOf(label) + 1;
    const rowOf = (name: string) => {
      for (let r = 2; r <= areas.rowCount; r++) if (areas.getRow(r).getCell(1).value === name) return areas.getRow(r);
      throw new Error(name);
    };
    expect(rowOf("合计").getCell(col("居民提出议题")).value).toBe(4);
    expect(rowOf("甲区").getCell(col("居民提出议题")).value).toBe(3);
    expect(rowOf("甲区").getCell(col("资金池注入资金（元）")).value).toBe(50000.05);
    expect(rowOf("甲区").getCell(col("关爱对象精准对接")).value).toBe("<5");
    expect(rowOf("合计").getCell(col("关爱对象精准对接")).value).toBe(8);

    const actions = wb.getWorksheet(SHEETS.actions)!;
    const actionTotals = actions.getRow(actions.rowCount);
    expect(actionTotals.getCell(1).value).toBe("合计");
    expect(actionTotals.getCell(3).value).toBe(3);
    const calls = wb.getWorksheet(SHEETS.calls)!;
    expect(calls.getRow(calls.rowCount).getCell(8).value).toBe(60001);
    expect(wb.getWorksheet(SHEETS.suggestions)!.getRow(2).getCell(1).value).toBe("意见建议：继续推进一社连一村。");
  });
});

describe("open data", () => {
  it("writes the figures CSV in its documented columns, with hand-computed values and care counts under 5 as \"<5\"", async () => {
    const rows = await datasetRows(getDb(), "figures", { placeId: tree.city.id, period: PERIOD });
    expect(rows[0]).toEqual(DATASETS.figures.columns.map((c) => c.key));
    const find = (place: string, metric: string, action: string) => rows.find((r) => r[1] === place && r[4] === metric && r[6] === action)?.[7];
    expect(find("合计", "issuesRaised", "all")).toBe("4");
    expect(find("甲区", "issuesDecided", "mei")).toBe("1");
    expect(find("合计", "poolFunds", "all")).toBe("150000.05");
    expect(find("甲区", "careMatched", "all")).toBe("<5");
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
  });

  it("puts nothing personal in any dataset", async () => {
    for (const name of Object.keys(DATASETS) as Array<keyof typeof DATASETS>) {
      const text = JSON.stringify(await datasetRows(getDb(), name, { placeId: tree.city.id, period: PERIOD }));
      for (const secret of [TARGET_NAME, AUTHOR_NAME, CONTACT_PHONE, "测试科长"]) expect(text).not.toContain(secret);
    }
  });
});
