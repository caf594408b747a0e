import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { callInput, callWorld, ctxOf, organisationWithMember, PDF } from "../../../tests/support/calls";
import { createUser } from "../../../tests/support/factories";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import type { DomainError } from "../../platform/errors";
import { saveBidDraft, submitBid } from "../calls/bids.server";
import { publishCall, saveCallDraft } from "../calls/calls.server";
import { appointReviewers, assignReviewers, callRanking, declareConflict, getReviewerView, myAssignments, reviewProgress, saveReview } from "./review.server";

process.env.UPLOAD_DIR = path.join(os.tmpdir(), `lsw-review-uploads-${process.pid}`);

const OPEN = "2026-03-10T10:00:00+08:00";
const AFTER = "2026-04-01T09:00:00+08:00";

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error("expected a refusal");
}

/** A published call with `bids` submitted bids from distinct organisations and `reviewers` reviewer accounts. */
async function reviewWorld(nBids: number, nReviewers: number, reviewersPerBid = 2) {
  const db = getDb();
  const w = await callWorld(db);
  const clock = fixedClock("2026-02-20T10:00:00+08:00");
  const { id: callId } = await db.transaction().execute((trx) => saveCallDraft(trx, w.ctx, w.actor, callInput(w.t.districtA.id, w.poolId, { reviewersPerBid }), clock));
  await db.transaction().execute((trx) => publishCall(trx, w.ctx, w.actor, callId, clock));
  clock.set(OPEN);
  const orgs = [];
  for (let i = 0; i < nBids; i++) {
    const org = await organisationWithMember(db, w.t.districtA, { name: `第${i + 1}家组织` });
    const ctx = ctxOf(org.memberId, "org_member");
    const { id } = await db.transaction().execute((trx) =>
      saveBidDraft(
        trx,
        ctx,
        { callId, organisationId: org.id },
        {
          projectName: `项目${i + 1}`,
          summary: "概述",
          beneficiaryGroup: "老人",
          beneficiaryCount: 100,
          plan: "计划",
          leadName: "负责人",
          leadPhone: "",
          issueIds: [],
          lines: [{ category: "活动", description: "活动费", amountFen: 1_000_000 * ((i % 4) + 1) }],
          pledges: [],
          milestones: [{ title: "完成", deliverable: "报告", dueDate: "2026-10-01", tranchePct: 100 }],
        },
        [{ name: "登记证书", fileName: "证书.pdf", bytes: PDF }],
        clock,
      ),
    );
    await db.transaction().execute((trx) => submitBid(trx, ctx, id, clock));
    orgs.push({ ...org, bidId: id });
  }
  const reviewers: Array<{ id: string }> = [];
  for (let i = 0; i < nReviewers; i++) reviewers.push(await createUser(db, { name: `评审专家${i + 1}`, roles: [{ role: "reviewer" }] }));
  await db.transaction().execute((trx) => appointReviewers(trx, w.ctx, w.actor, callId, reviewers.map((r) => r.id), clock));
  clock.set(AFTER);
  return { ...w, callId, orgs, reviewers, clock };
}

describe("review (评审)", () => {
  it("assigns only after the deadline, N per bid, balanced across reviewers (max − min ≤ 1), and only reviewers may be appointed", async () => {
    const db = getDb();
    const w = await reviewWorld(7, 4, 2);
    const early = await refusal(db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, fixedClock(OPEN))));
    expect(early.message).toBe("申报截止后才能分配评审");
    const notReviewer = await createUser(db, { name: "普通用户" });
    expect((await refusal(db.transaction().execute((trx) => appointReviewers(trx, w.ctx, w.actor, w.callId, [notReviewer.id], w.clock)))).message).toBe(
      "只能聘请具有评审专家角色的用户",
    );

    const r = await db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, w.clock));
    expect(r).toEqual({ assigned: 14, shortfalls: [] });
    const progress = await reviewProgress(db, w.callId);
    const loads = progress.reviewers.map((x) => x.load);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(14);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(progress.bids.every((b) => b.assignments.length === 2)).toBe(true);
    // Running it again assigns nothing more.
    expect((await db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, w.clock))).assigned).toBe(0);
  });

  it("never assigns a reviewer to a bid of an organisation they are a member of", async () => {
    const db = getDb();
    const w = await reviewWorld(4, 3, 2);
    const insider = w.reviewers[0];
    await db.insertInto("organisation_members").values({ organisation_id: w.orgs[0].id, user_id: insider.id, org_role: "member" }).execute();
    await db.insertInto("organisation_members").values({ organisation_id: w.orgs[1].id, user_id: insider.id, org_role: "member" }).execute();
    await db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, w.clock));
    const own = await db
      .selectFrom("review_assignments")
      .select("bid_id")
      .where("reviewer_id", "=", insider.id)
      .where("bid_id", "in", [w.orgs[0].bidId, w.orgs[1].bidId])
      .execute();
    expect(own).toEqual([]);
    expect((await reviewProgress(db, w.callId)).bids.every((b) => b.assignments.length === 2)).toBe(true);
  });

  it("回避: the bid stays hidden until the reviewer declares; a declared conflict reassigns it to another eligible reviewer", async () => {
    const db = getDb();
    const w = await reviewWorld(2, 3, 2);
    await db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, w.clock));
    const [first] = await myAssignments(db, w.reviewers[0].id);
    const hidden = await getReviewerView(db, w.reviewers[0].id, first.id);
    expect(hidden?.status).toBe("pending");
    expect(hidden?.bid).toBeNull();
    expect(await getReviewerView(db, w.reviewers[1].id, first.id)).toBeUndefined();
    expect((await refusal(db.transaction().execute((trx) => saveReview(trx, ctxOf(w.reviewers[0].id, "reviewer"), first.id, [], false, w.clock)))).message).toBe("请先声明是否需要回避");

    const bidId = (await db.selectFrom("review_assignments").select("bid_id").where("id", "=", first.id).executeTakeFirstOrThrow()).bid_id;
    const onBid = (await db.selectFrom("review_assignments").select("reviewer_id").where("bid_id", "=", bidId).execute()).map((r) => r.reviewer_id);
    const expected = w.reviewers.map((r) => r.id).find((id) => !onBid.includes(id));
    const { reassignedTo } = await db.transaction().execute((trx) => declareConflict(trx, ctxOf(w.reviewers[0].id, "reviewer"), first.id, { conflict: true, reason: "曾担任该组织顾问" }, w.clock));
    expect(reassignedTo).toBe(expected);
    const rows = await db.selectFrom("review_assignments").select(["reviewer_id", "status"]).where("bid_id", "=", bidId).execute();
    expect(rows.filter((r) => r.status !== "conflict")).toHaveLength(2);
    expect(rows.find((r) => r.reviewer_id === w.reviewers[0].id)?.status).toBe("conflict");
    const told = await db.selectFrom("notifications").select("user_id").where("kind", "=", "review.assigned").where("user_id", "=", expected!).execute();
    expect(told.length).toBeGreaterThan(0);
    expect((await db.selectFrom("audit_log").select("summary").where("action", "=", "review.conflict").executeTakeFirstOrThrow()).summary).toMatchObject({ reason: "曾担任该组织顾问", reassignedTo: expected });
  });

  it("scores 0..weight with comments; saved scores stay hidden from the officer and other reviewers until submitted; ranking from submitted reviews", async () => {
    const db = getDb();
    const w = await reviewWorld(2, 2, 2);
    await db.transaction().execute((trx) => assignReviewers(trx, w.ctx, w.actor, w.callId, w.clock));
    const [r1, r2] = w.reviewers;
    const as1 = await myAssignments(db, r1.id);
    const as2 = await myAssignments(db, r2.id);
    for (const a of [...as1.map((x) => [r1.id, x.id]), ...as2.map((x) => [r2.id, x.id])]) {
      await db.transaction().execute((trx) => declareConflict(trx, ctxOf(a[0], "reviewer"), a[1], { conflict: false }, w.clock));
    }
    const open = await getReviewerView(db, r1.id, as1[0].id);
    expect(open?.bid?.projectName).toMatch(/^项目/);
    const ctx1 = ctxOf(r1.id, "reviewer");
    const tooHigh = await refusal(db.transaction().execute((trx) => saveReview(trx, ctx1, as1[0].id, [{ position: 0, score: 41, comment: "" }], false, w.clock)));
    expect(tooHigh.fieldErrors).toEqual({ "score.0": "「需求回应」的得分应为 0 到 40 的整数" });
    const incomplete = await refusal(db.transaction().execute((trx) => saveReview(trx, ctx1, as1[0].id, [{ position: 0, score: 40, comment: "回应充分" }], true, w.clock)));
    expect(incomplete.fieldErrors).toEqual({ "score.1": "请为「可行性」打分", "score.2": "请为「撬动资源」打分" });

    // r1 saves a draft for the bid: nobody else sees it, and the ranking does not count it.
    const bidOf = async (assignmentId: string) => (await db.selectFrom("review_assignments").select("bid_id").where("id", "=", assignmentId).executeTakeFirstOrThrow()).bid_id;
    const bidA = await bidOf(as1[0].id);
    await db.transaction().execute((trx) => saveReview(trx, ctx1, as1[0].id, [{ position: 0, score: 40, comment: "回应充分" }], false, w.clock));
    // With two reviewers and N = 2 both review both bids.
    const other = (await Promise.all(as2.map(async (x) => ((await bidOf(x.id)) === bidA ? x : null)))).find((x) => x !== null)!;
    expect((await getReviewerView(db, r2.id, other.id))?.scores).toEqual([]);
    expect((await getReviewerView(db, r1.id, as1[0].id))?.scores).toEqual([{ position: 0, score: 40, comment: "回应充分" }]);
    let ranking = await callRanking(db, w.callId);
    expect(ranking.rows.every((r) => r.totals.length === 0 && r.average === null)).toBe(true);
    expect(ranking.rows.map((r) => r.missing)).toEqual([2, 2]);

    const full = (a: number, b: number, c: number) => [
      { position: 0, score: a, comment: "需求明确" },
      { position: 1, score: b, comment: "计划可行" },
      { position: 2, score: c, comment: "有配套" },
    ];
    const score = async (reviewer: string, assignmentId: string, s: ReturnType<typeof full>) =>
      db.transaction().execute((trx) => saveReview(trx, ctxOf(reviewer, "reviewer"), assignmentId, s, true, w.clock));
    const bidB = w.orgs.map((o) => o.bidId).find((id) => id !== bidA)!;
    for (const [reviewer, list] of [[r1.id, as1], [r2.id, as2]] as const) {
      for (const a of list) {
        const isA = (await bidOf(a.id)) === bidA;
        await score(reviewer, a.id, isA ? (reviewer === r1.id ? full(38, 30, 20) : full(30, 20, 10)) : full(35, 30, 20));
      }
    }
    expect((await refusal(score(r1.id, as1[0].id, full(1, 1, 1)))).message).toBe("评分已提交，不能修改");
    ranking = await callRanking(db, w.callId);
    expect(ranking.rows.map((r) => [r.bidId, r.rank, r.totals, r.average, r.spread, r.disagreement, r.missing])).toEqual([
      [bidB, 1, [85, 85], 85, 0, false, 0],
      [bidA, 2, [60, 88], 74, 28, true, 0],
    ]);
    const requested = (bidId: string) => (w.orgs.findIndex((o) => o.bidId === bidId) + 1) * 1_000_000;
    expect(ranking.rows.map((r) => r.cumulativeFen)).toEqual([requested(bidB), 3_000_000]);
    expect(ranking.rows.every((r) => r.withinBudget)).toBe(true);
  });
});
