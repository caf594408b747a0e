import { beforeAll, describe, expect, it } from "vitest";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { organisationInput } from "../../../tests/support/organisations";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { listNotifications } from "../notifications/notifications.server";
import { districtOrganisations, draftSummary, liaisonOverview, mySummaries, pushNeed, recentPushes, saveSummary } from "./liaison.server";
import { dueDate, lastEndedPeriod, periodContaining, summaryState } from "./rules";

let tree: Awaited<ReturnType<typeof placeTree>>;
let liaisonA: { id: string };
let liaisonB: { id: string };
let members: Array<{ id: string }>;
let orgIds: string[];
let pendingOrg: string;
let readyIssue: string;
let pendingIssue: string;
let issueInB: string;

const actorA = () => ({ roles: [scoped("liaison", tree.districtA)] });

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  liaisonA = await createUser(db, { name: "联络员 甲", roles: [{ role: "liaison", place: tree.districtA }] });
  liaisonB = await createUser(db, { name: "联络员 乙", roles: [{ role: "liaison", place: tree.districtB }] });
  const org = async (status: "verified" | "pending") => {
    const i = organisationInput(tree.districtA.id);
    return (
      await db
        .insertInto("organisations")
        .values({ name: i.name, uscc: i.uscc, type: i.type, place_id: tree.districtA.id, service_areas: i.serviceAreas, status, contact_phone: i.contactPhone })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  };
  orgIds = [await org("verified"), await org("verified"), await org("verified")];
  pendingOrg = await org("pending");
  members = [];
  for (const o of orgIds.slice(0, 2)) {
    const m = await createUser(db, { roles: [{ role: "org_member", organisationId: o }] });
    await db.insertInto("organisation_members").values({ organisation_id: o, user_id: m.id, org_role: "lead" }).execute();
    members.push(m);
  }
  const issue = async (placeId: number, status: "decided" | "accepted") =>
    (
      await db
        .insertInto("issues")
        .values({ place_id: placeId, author_id: liaisonA.id, title: "楼道照明不足需要改造", description: "楼道夜间无灯", category: "社区环境", status })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  readyIssue = await issue(tree.communityA1.id, "decided");
  pendingIssue = await issue(tree.communityA1.id, "accepted");
  issueInB = await issue(tree.communityB1.id, "decided");
});

describe("需求推送", () => {
  it("records the push to the chosen organisations and notifies each of their members", async () => {
    const db = getDb();
    const clock = fixedClock("2026-11-20T02:00:00Z");
    const r = await db.transaction().execute((trx) => pushNeed(trx, { userId: liaisonA.id }, actorA(), clock, { target: { kind: "issue", id: readyIssue }, organisationIds: orgIds.slice(0, 2), message: "欢迎申报" }));
    expect(r.notified).toBe(2);
    for (const m of members) {
      const [n] = await listNotifications(db, m.id);
      expect(n).toMatchObject({ kind: "liaison.push", title: "需求推送：楼道照明不足需要改造", link: `/issues/${readyIssue}` });
    }
    const pushes = await recentPushes(db, tree.districtA.path);
    expect(pushes).toHaveLength(1);
    expect(pushes[0].organisations).toHaveLength(2);
    const orgs = await districtOrganisations(db, tree.districtA.path);
    expect(orgs.filter((o) => o.pushesReceived === 1).map((o) => o.id).sort()).toEqual(orgIds.slice(0, 2).sort());
    expect(orgs.map((o) => o.id)).not.toContain(pendingOrg);
    const logged = await db.selectFrom("audit_log").select(["action", "entity_id"]).where("action", "=", "liaison.push").execute();
    expect(logged).toEqual([{ action: "liaison.push", entity_id: readyIssue }]);
  });

  it("refuses an issue of another district, an issue not decided 转入创投, and an organisation not verified", async () => {
    const db = getDb();
    const clock = fixedClock("2026-11-20T02:00:00Z");
    const push = (issueId: string, organisationIds: string[]) =>
      db.transaction().execute((trx) => pushNeed(trx, { userId: liaisonA.id }, actorA(), clock, { target: { kind: "issue", id: issueId }, organisationIds }));
    await expect(push(issueInB, [orgIds[0]])).rejects.toMatchObject({ code: "forbidden" });
    await expect(push(pendingIssue, [orgIds[0]])).rejects.toMatchObject({ code: "conflict" });
    await expect(push(readyIssue, [pendingOrg])).rejects.toMatchObject({ code: "invalid" });
    expect(await recentPushes(db, tree.districtA.path)).toHaveLength(1);
  });

  it("pushes an open call of the city to the district's organisations, and refuses a call that has closed", async () => {
    const db = getDb();
    const pool = await db
      .insertInto("funding_pools")
      .values({ place_id: tree.city.id, name: "测试资金池", source: "市福彩公益金", period_start: "2026-01-01", period_end: "2026-12-31" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const call = async (title: string, closesAt: string) =>
      (
        await db
          .insertInto("calls")
          .values({
            place_id: tree.city.id,
            title,
            description: "招募社会组织",
            action_type: "mei",
            pool_id: pool.id,
            cap_fen: 1_000_000,
            total_budget_fen: 5_000_000,
            opens_at: "2026-11-01T00:00:00Z",
            closes_at: closesAt,
            project_start: "2026-12-01",
            project_end: "2027-05-31",
            status: "published",
            created_by: liaisonA.id,
            published_at: new Date("2026-11-01T00:00:00Z"),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const open = await call("楼道照明改造招贤榜", "2026-12-20T00:00:00Z");
    const closed = await call("已截止的招贤榜", "2026-11-10T00:00:00Z");
    const clock = fixedClock("2026-11-24T02:00:00Z"); // after the week the summary test reports on

    const push = (id: string) => db.transaction().execute((trx) => pushNeed(trx, { userId: liaisonA.id }, actorA(), clock, { target: { kind: "call", id }, organisationIds: [orgIds[0]] }));
    await push(open);
    const [n] = await listNotifications(db, members[0].id);
    expect(n).toMatchObject({ title: "招贤榜推送：楼道照明改造招贤榜", link: `/calls/${open}` });
    expect((await recentPushes(db, tree.districtA.path))[0]).toMatchObject({ kind: "call", title: "楼道照明改造招贤榜" });
    await expect(push(closed)).rejects.toMatchObject({ code: "conflict" });
  });
});

describe("periodic progress summaries", () => {
  it("finds the last ended week (Monday–Sunday) and month, and when each is due", () => {
    expect(periodContaining("weekly", "2026-11-25")).toEqual({ kind: "weekly", start: "2026-11-23", end: "2026-11-29" });
    expect(lastEndedPeriod("weekly", "2026-11-23")).toEqual({ kind: "weekly", start: "2026-11-16", end: "2026-11-22" });
    expect(lastEndedPeriod("monthly", "2026-03-01")).toEqual({ kind: "monthly", start: "2026-02-01", end: "2026-02-28" });
    expect(dueDate({ kind: "weekly", start: "2026-11-16", end: "2026-11-22" })).toBe("2026-11-24");
    const week = { kind: "weekly" as const, start: "2026-11-16", end: "2026-11-22" };
    expect(summaryState(week, undefined, "2026-11-24")).toBe("not_started");
    expect(summaryState(week, undefined, "2026-11-25")).toBe("late");
    expect(summaryState(week, { status: "draft", submittedOn: null }, "2026-11-25")).toBe("late");
    expect(summaryState(week, { status: "submitted", submittedOn: "2026-11-24" }, "2026-11-30")).toBe("submitted");
    expect(summaryState(week, { status: "submitted", submittedOn: "2026-11-26" }, "2026-11-30")).toBe("submitted_late");
  });

  it("drafts the summary with the district's figures, takes the liaison's annotation, submits once, and the city sees who is late", async () => {
    const db = getDb();
    const clock = fixedClock("2026-11-23T02:00:00Z"); // Monday: the week of 16–22 November has just ended
    const { id } = await db.transaction().execute((trx) => draftSummary(trx, { userId: liaisonA.id }, actorA(), clock, { placeId: tree.districtA.id, kind: "weekly" }));
    const [draft] = await mySummaries(db, liaisonA.id);
    expect(draft).toMatchObject({ id, start: "2026-11-16", end: "2026-11-22", status: "draft" });
    expect(draft.lines.find((l) => l.label === "需求推送")?.value).toBe("1");
    await db.transaction().execute((trx) => saveSummary(trx, { userId: liaisonA.id }, clock, { summaryId: id, annotation: "本周推送照明议题两家组织。", submit: true }));
    await expect(db.transaction().execute((trx) => saveSummary(trx, { userId: liaisonA.id }, clock, { summaryId: id, annotation: "改动已提交的内容", submit: false }))).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(db.transaction().execute((trx) => saveSummary(trx, { userId: liaisonB.id }, clock, { summaryId: id, annotation: "别人的小结", submit: true }))).rejects.toMatchObject({ code: "not_found" });

    const later = fixedClock("2026-11-25T02:00:00Z");
    const rows = await liaisonOverview(db, [tree.city.path], lastEndedPeriod("weekly", "2026-11-23"), later);
    expect(rows.map((r) => [r.liaisonName, r.state])).toEqual([
      ["联络员 甲", "submitted"],
      ["联络员 乙", "late"],
    ]);
    expect(rows[0].summary?.annotation).toBe("本周推送照明议题两家组织。");
    expect(await liaisonOverview(db, [tree.districtB.path], lastEndedPeriod("weekly", "2026-11-23"), later)).toHaveLength(1);
  });

  it("refuses a summary for a district the liaison does not cover", async () => {
    await expect(
      getDb()
        .transaction()
        .execute((trx) => draftSummary(trx, { userId: liaisonA.id }, actorA(), fixedClock("2026-11-23T02:00:00Z"), { placeId: tree.districtB.id, kind: "monthly" })),
    ).rejects.toMatchObject({ code: "forbidden" });
  });
});
