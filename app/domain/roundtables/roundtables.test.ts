import { beforeAll, describe, expect, it } from "vitest";
import { createUser, placeTree } from "../../../tests/support/factories";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { getIssue, listReadyForCall, raiseIssue, transitionIssue } from "../issues/issues.server";
import { unreadCount } from "../notifications/notifications.server";
import { decisionSchema } from "./schema";
import { cancelSignup, getRoundtable, publishMinutes, publishRoundtable, recordAttendance, recordDecision, scheduleRoundtable, signUp } from "./roundtables.server";

const clock = fixedClock("2026-12-01T02:00:00Z");
const ctx = (userId: string) => ({ userId, role: "community_staff" });
let tree: Awaited<ReturnType<typeof placeTree>>;
let staff: { id: string };

async function acceptedIssue(title = "楼道照明不足需要改善") {
  const db = getDb();
  const author = await createUser(db);
  const issue = await raiseIssue(db, ctx(author.id), author.id, { title, description: "晚上楼道太黑，老人上下楼不安全。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, clock);
  await transitionIssue(db, ctx(staff.id), issue.id, "accepted", {}, clock);
  return { ...issue, authorId: author.id };
}

async function published(capacity: number, agenda: string[]) {
  const db = getDb();
  const rt = await scheduleRoundtable(
    db,
    ctx(staff.id),
    { placeId: tree.communityA1.id, title: "十二月幸福圆桌会", startsAt: new Date("2026-12-10T11:00:00Z"), venue: "社区党群服务中心", capacity, agenda },
    clock,
  );
  await publishRoundtable(db, ctx(staff.id), rt.id, clock);
  return rt;
}

const residentOf = () => createUser(getDb(), { roles: [{ role: "resident", place: tree.communityA1 }] });

beforeAll(async () => {
  tree = await placeTree(getDb());
  staff = await createUser(getDb(), { name: "社区李主任", roles: [{ role: "community_staff", place: tree.communityA1 }] });
});

describe("scheduling", () => {
  it("puts only accepted issues of the community on the agenda, and publishing marks them 已上会 on their timelines", async () => {
    const db = getDb();
    const a = await acceptedIssue();
    const author = await createUser(db);
    const pending = await raiseIssue(db, ctx(author.id), author.id, { title: "还没受理的议题", description: "这是一个尚未受理的议题描述。", category: "其他", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, clock);
    await expect(
      scheduleRoundtable(db, ctx(staff.id), { placeId: tree.communityA1.id, title: "不合规的圆桌会", startsAt: new Date("2026-12-10T11:00:00Z"), venue: "会议室", capacity: 5, agenda: [pending.id] }, clock),
    ).rejects.toThrow(/已受理/);
    const rt = await published(5, [a.id]);
    const issue = await getIssue(db, a.id, { userId: null, isStaff: false });
    expect(issue!.status).toBe("scheduled");
    expect(issue!.events.at(-1)).toMatchObject({ to: "scheduled", roundtableId: rt.id, roundtableTitle: "十二月幸福圆桌会" });
    await expect(publishRoundtable(db, ctx(staff.id), rt.id, clock)).rejects.toThrow(/已发布/);
  });
});

describe("sign-up, capacity and waiting list", () => {
  it("confirms up to capacity, then waitlists; a cancellation moves the first waiting person up and tells them", async () => {
    const db = getDb();
    const rt = await published(2, [(await acceptedIssue()).id]);
    const [p1, p2, p3, p4] = await Promise.all([residentOf(), residentOf(), residentOf(), residentOf()]);
    expect(await signUp(db, ctx(p1.id), p1.id, rt.id, clock)).toEqual({ status: "confirmed" });
    expect(await signUp(db, ctx(p2.id), p2.id, rt.id, clock)).toEqual({ status: "confirmed" });
    expect(await signUp(db, ctx(p3.id), p3.id, rt.id, clock)).toEqual({ status: "waitlisted" });
    expect(await signUp(db, ctx(p4.id), p4.id, rt.id, clock)).toEqual({ status: "waitlisted" });
    await expect(signUp(db, ctx(p1.id), p1.id, rt.id, clock)).rejects.toThrow(/已报名/);
    expect((await getRoundtable(db, rt.id, p4.id))!.viewerSignup).toEqual({ status: "waitlisted", waitlistPosition: 2 });

    expect(await cancelSignup(db, ctx(p1.id), p1.id, rt.id, clock)).toEqual({ promotedUserId: p3.id });
    const detail = await getRoundtable(db, rt.id, p3.id);
    expect(detail).toMatchObject({ confirmedCount: 2, waitlistCount: 1, viewerSignup: { status: "confirmed", waitlistPosition: null } });
    expect(await unreadCount(db, p3.id)).toBe(1);
    // A waiting person who cancels frees no place: nobody is promoted.
    expect(await cancelSignup(db, ctx(p4.id), p4.id, rt.id, clock)).toEqual({ promotedUserId: null });
  });

  it("never confirms more than capacity when many sign up at once", async () => {
    const db = getDb();
    const rt = await published(3, [(await acceptedIssue()).id]);
    const people = await Promise.all(Array.from({ length: 10 }, residentOf));
    const results = await Promise.all(people.map((p) => db.transaction().execute((trx) => signUp(trx, ctx(p.id), p.id, rt.id, clock))));
    expect(results.filter((r) => r.status === "confirmed")).toHaveLength(3);
    expect((await getRoundtable(db, rt.id, null))!.confirmedCount).toBe(3);
  });

  it("only verified residents of the community may sign up", async () => {
    const db = getDb();
    const rt = await published(5, [(await acceptedIssue()).id]);
    const stranger = await createUser(db);
    const neighbour = await createUser(db, { roles: [{ role: "resident", place: tree.communityA2 }] });
    for (const p of [stranger, neighbour]) {
      const e = await signUp(db, ctx(p.id), p.id, rt.id, clock).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe("forbidden");
    }
  });
});

describe("attendance, minutes and decisions", () => {
  it("records attendance from sign-ups plus walk-ins, and publishes minutes", async () => {
    const db = getDb();
    const rt = await published(5, [(await acceptedIssue()).id]);
    const p = await residentOf();
    await signUp(db, ctx(p.id), p.id, rt.id, clock);
    const { count } = await recordAttendance(db, ctx(staff.id), rt.id, { attended: [p.id], walkIns: ["王大爷", "刘阿姨"] });
    expect(count).toBe(3);
    await publishMinutes(db, ctx(staff.id), rt.id, "会议议定：\n- **路灯**由照明协会捐赠", clock);
    const detail = await getRoundtable(db, rt.id, null);
    expect(detail).toMatchObject({ status: "concluded", minutes: "会议议定：\n- **路灯**由照明协会捐赠" });
    expect(detail!.attendance.map((a) => [a.name, a.walkIn]).sort()).toEqual([
      ["刘阿姨", true],
      ["测试用户", false],
      ["王大爷", true],
    ]);
  });

  it("a 转入创投 decision stores the budget in 分, puts it on the issue's timeline and in the ready-for-call list", async () => {
    const db = getDb();
    const issue = await acceptedIssue("广场路灯太暗希望加装");
    const rt = await published(5, [issue.id]);
    const parsed = decisionSchema.parse({ issueId: issue.id, kind: "to_call", actionType: "mei", budgetEstimate: "12,000.50", votesFor: "18", votesAgainst: "0", votesAbstain: "2" });
    await recordDecision(db, ctx(staff.id), rt.id, parsed, clock);
    const row = await db.selectFrom("roundtable_decisions").select(["budget_estimate_fen", "action_type", "votes_for"]).where("issue_id", "=", issue.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ budget_estimate_fen: 1_200_050, action_type: "mei", votes_for: 18 });
    const detail = await getIssue(db, issue.id, { userId: null, isStaff: false });
    expect(detail!.status).toBe("decided");
    expect(detail!.actionType).toBe("mei");
    expect(detail!.events.at(-1)!.note).toContain("转入创投/招募：邻里美，预算估算 12,000.50 元");
    expect(await unreadCount(db, issue.authorId)).toBeGreaterThanOrEqual(3);
    expect((await listReadyForCall(db, tree.city.path)).map((r) => r.issueId)).toContain(issue.id);
    await expect(recordDecision(db, ctx(staff.id), rt.id, parsed, clock)).rejects.toThrow(/已有议定结果/);
  });

  it("a deferred item goes back to 已受理; an issue not on the agenda cannot be decided", async () => {
    const db = getDb();
    const issue = await acceptedIssue();
    const other = await acceptedIssue();
    const rt = await published(5, [issue.id]);
    await recordDecision(db, ctx(staff.id), rt.id, decisionSchema.parse({ issueId: issue.id, kind: "deferred", reason: "需先征求业委会意见" }), clock);
    expect((await getIssue(db, issue.id, { userId: null, isStaff: false }))!.status).toBe("accepted");
    await expect(recordDecision(db, ctx(staff.id), rt.id, decisionSchema.parse({ issueId: other.id, kind: "referral", referredTo: "区城管局" }), clock)).rejects.toThrow(/不在本次圆桌会议程/);
  });

  it("each decision kind requires its own fields", () => {
    const id = "00000000-0000-4000-8000-000000000001";
    const errors = (v: Record<string, string>) => decisionSchema.safeParse({ issueId: id, ...v }).error?.issues.map((i) => i.path.join("."));
    expect(errors({ kind: "community" })).toEqual(["responsible"]);
    expect(errors({ kind: "to_call" })).toEqual(["actionType", "budgetEstimate"]);
    expect(errors({ kind: "to_call", actionType: "mei", budgetEstimate: "12.345" })).toEqual(["budgetEstimate"]);
    expect(errors({ kind: "referral" })).toEqual(["referredTo"]);
    expect(errors({ kind: "deferred" })).toEqual(["reason"]);
  });
});
