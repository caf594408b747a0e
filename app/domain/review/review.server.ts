import { sql } from "kysely";
import type { AssignmentStatus } from "../../../db/schema";
import type { Fen } from "../../lib/money";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { getBid, type BidDetail } from "../calls/bids.server";
import { callPhase } from "../calls/rules";
import { notify } from "../notifications/notifications.server";
import { ACTIVE_STATUSES, planAssignments, rankBids, reviewTotal, type RankRow } from "./rules";

/**
 * Expert review of a call's bids. The officer appoints reviewers and has the bids assigned
 * automatically once the deadline has passed; each reviewer declares 回避 (or not) per bid before
 * reading it, scores every criterion with a comment and submits. Scores stay private to their
 * reviewer until submitted; the ranking is built from submitted reviews only.
 */

async function lockCallForReview(trx: Trx, callId: string) {
  const call = await trx
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .select(["c.id", "c.title", "c.status", "c.place_id as placeId", "p.path as placePath", "c.opens_at as opensAt", "c.closes_at as closesAt", "c.reviewers_per_bid as reviewersPerBid"])
    .where("c.id", "=", callId)
    .forUpdate("c")
    .executeTakeFirst();
  if (!call) throw new DomainError("not_found", "招贤榜不存在");
  return call;
}

function requireManager(actor: Principal, placePath: string) {
  if (!can(actor, "review.manage", { placePath })) throw new DomainError("forbidden", "只有招贤榜所在地区（或其上级）的民政局工作人员可以组织评审");
}

/** People holding the reviewer role now: whom an officer can appoint. */
export async function reviewerOptions(db: Executor) {
  return db
    .selectFrom("role_assignments as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["u.id", "u.display_name as displayName"])
    .where("r.role", "=", "reviewer")
    .where("r.revoked_at", "is", null)
    .where("u.disabled_at", "is", null)
    .distinct()
    .orderBy("u.display_name")
    .execute();
}

export async function appointReviewers(trx: Trx, ctx: AuditContext, actor: Principal, callId: string, userIds: readonly string[], clock: Clock): Promise<{ appointed: number }> {
  const call = await lockCallForReview(trx, callId);
  requireManager(actor, call.placePath);
  if (call.status !== "published") throw new DomainError("conflict", "只有已发布的招贤榜可以聘请评审专家");
  const ids = [...new Set(userIds)];
  if (ids.length === 0) throw new DomainError("invalid", "请选择评审专家", { reviewerIds: "请至少选择一位" });
  const valid = new Set((await reviewerOptions(trx)).map((r) => r.id));
  if (ids.some((id) => !valid.has(id))) throw new DomainError("invalid", "只能聘请具有评审专家角色的用户", { reviewerIds: "所选用户不是评审专家" });
  const rows = await trx
    .insertInto("call_reviewers")
    .values(ids.map((user_id) => ({ call_id: callId, user_id, appointed_by: ctx.userId, appointed_at: clock.now() })))
    .onConflict((oc) => oc.columns(["call_id", "user_id"]).doNothing())
    .returning("user_id")
    .execute();
  await audit(trx, ctx, { action: "review.appoint", entityType: "call", entityId: callId, placeId: call.placeId, summary: { reviewerIds: rows.map((r) => r.user_id) } });
  return { appointed: rows.length };
}

/** Loads, memberships and exclusions of the call's reviewers, as planAssignments wants them. */
async function planningState(trx: Trx, callId: string) {
  const reviewers = await trx
    .selectFrom("call_reviewers as cr")
    .select([
      "cr.user_id as id",
      (eb) =>
        eb
          .selectFrom("review_assignments as a")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("a.reviewer_id", "=", "cr.user_id")
          .where("a.call_id", "=", callId)
          .where("a.status", "in", ACTIVE_STATUSES)
          .as("load"),
      sql<string[]>`coalesce((select array_agg(m.organisation_id) from organisation_members m where m.user_id = cr.user_id), '{}')`.as("organisationIds"),
    ])
    .where("cr.call_id", "=", callId)
    .execute();
  const assignments = await trx.selectFrom("review_assignments").select(["bid_id", "reviewer_id", "status"]).where("call_id", "=", callId).execute();
  return { reviewers: reviewers.map((r) => ({ id: r.id, load: Number(r.load ?? 0), organisationIds: r.organisationIds })), assignments };
}

async function insertAssignments(trx: Trx, callId: string, callTitle: string, plan: Array<{ bidId: string; reviewerId: string }>, now: Date) {
  if (plan.length === 0) return;
  await trx
    .insertInto("review_assignments")
    .values(plan.map((a) => ({ call_id: callId, bid_id: a.bidId, reviewer_id: a.reviewerId, assigned_at: now })))
    .execute();
  await notify(trx, [...new Set(plan.map((a) => a.reviewerId))], { kind: "review.assigned", title: `请评审：${callTitle}`, body: "请先声明是否需要回避，再阅读申报书并评分", link: "/review" }, now);
}

/**
 * Assigns every submitted bid its N reviewers (topping up bids that have fewer), balanced and
 * never to a member of the bidding organisation. Only after the deadline, when bids are final.
 */
export async function assignReviewers(trx: Trx, ctx: AuditContext, actor: Principal, callId: string, clock: Clock): Promise<{ assigned: number; shortfalls: Array<{ bidId: string; missing: number }> }> {
  const call = await lockCallForReview(trx, callId);
  requireManager(actor, call.placePath);
  const now = clock.now();
  if (callPhase(call, now) !== "closed") throw new DomainError("conflict", "申报截止后才能分配评审");
  const { reviewers, assignments } = await planningState(trx, callId);
  if (reviewers.length === 0) throw new DomainError("invalid", "请先聘请评审专家");
  const bids = await trx.selectFrom("bids").select(["id", "organisation_id"]).where("call_id", "=", callId).where("status", "=", "submitted").orderBy("submitted_at").orderBy("id").execute();
  const plan = planAssignments(
    bids.map((b) => {
      const mine = assignments.filter((a) => a.bid_id === b.id);
      return {
        id: b.id,
        organisationId: b.organisation_id,
        excluded: mine.map((a) => a.reviewer_id),
        needed: call.reviewersPerBid - mine.filter((a) => ACTIVE_STATUSES.includes(a.status)).length,
      };
    }),
    reviewers,
  );
  await insertAssignments(trx, callId, call.title, plan.assignments, now);
  await audit(trx, ctx, {
    action: "review.assign",
    entityType: "call",
    entityId: callId,
    placeId: call.placeId,
    summary: { assigned: plan.assignments.length, shortfalls: plan.shortfalls },
  });
  return { assigned: plan.assignments.length, shortfalls: plan.shortfalls };
}

async function lockAssignment(trx: Trx, assignmentId: string, reviewerId: string | null) {
  const a = await trx
    .selectFrom("review_assignments")
    .select(["id", "call_id as callId", "bid_id as bidId", "reviewer_id as reviewerId", "status"])
    .where("id", "=", assignmentId)
    .forUpdate()
    .executeTakeFirst();
  // Someone else's assignment is as good as absent: nothing about it is revealed.
  if (!a || a.reviewerId !== reviewerId) throw new DomainError("not_found", "评审任务不存在");
  return a;
}

/**
 * The reviewer's 回避 declaration, before seeing the bid. No conflict: the bid opens for scoring.
 * A conflict (with its reason): the assignment is set aside and the bid goes to another eligible
 * reviewer of the call, the least loaded; returns who, or null when nobody is left.
 */
export async function declareConflict(
  trx: Trx,
  ctx: AuditContext,
  assignmentId: string,
  input: { conflict: boolean; reason?: string },
  clock: Clock,
): Promise<{ reassignedTo: string | null }> {
  const a = await lockAssignment(trx, assignmentId, ctx.userId);
  const call = await lockCallForReview(trx, a.callId);
  if (a.status !== "pending") throw new DomainError("conflict", "已经声明过了");
  const now = clock.now();
  if (!input.conflict) {
    await trx.updateTable("review_assignments").set({ status: "accepted", declared_at: now }).where("id", "=", a.id).execute();
    await audit(trx, ctx, { action: "review.no_conflict", entityType: "review_assignment", entityId: a.id, placeId: call.placeId, summary: { bidId: a.bidId } });
    return { reassignedTo: null };
  }
  const reason = input.reason?.trim();
  if (!reason) throw new DomainError("invalid", "请说明回避原因", { reason: "请说明回避原因" });
  await trx.updateTable("review_assignments").set({ status: "conflict", conflict_reason: reason, declared_at: now }).where("id", "=", a.id).execute();
  const { reviewers, assignments } = await planningState(trx, a.callId);
  const bid = await trx.selectFrom("bids").select(["id", "organisation_id"]).where("id", "=", a.bidId).executeTakeFirstOrThrow();
  const plan = planAssignments(
    [{ id: bid.id, organisationId: bid.organisation_id, excluded: assignments.filter((x) => x.bid_id === bid.id).map((x) => x.reviewer_id), needed: 1 }],
    reviewers,
  );
  await insertAssignments(trx, a.callId, call.title, plan.assignments, now);
  const reassignedTo = plan.assignments[0]?.reviewerId ?? null;
  await audit(trx, ctx, { action: "review.conflict", entityType: "review_assignment", entityId: a.id, placeId: call.placeId, summary: { bidId: a.bidId, reason, reassignedTo } });
  return { reassignedTo };
}

export interface ScoreInput {
  position: number;
  score: number;
  comment: string;
}

/**
 * Saves the reviewer's scores (0 to the criterion's weight, with a comment); with `submit`, every
 * criterion must be scored and commented, and the review becomes final and visible to the officer.
 */
export async function saveReview(trx: Trx, ctx: AuditContext, assignmentId: string, scores: readonly ScoreInput[], submit: boolean, clock: Clock): Promise<void> {
  const a = await lockAssignment(trx, assignmentId, ctx.userId);
  if (a.status === "pending") throw new DomainError("conflict", "请先声明是否需要回避");
  if (a.status === "conflict") throw new DomainError("conflict", "您已声明回避，不能评审这份申报书");
  if (a.status === "submitted") throw new DomainError("conflict", "评分已提交，不能修改");
  const criteria = await trx.selectFrom("call_criteria").select(["position", "name", "weight"]).where("call_id", "=", a.callId).orderBy("position").execute();
  const errors: Record<string, string> = {};
  for (const s of scores) {
    const c = criteria.find((x) => x.position === s.position);
    if (!c) throw new DomainError("invalid", "评分项不存在");
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > c.weight) errors[`score.${s.position}`] = `「${c.name}」的得分应为 0 到 ${c.weight} 的整数`;
  }
  if (submit) {
    for (const c of criteria) {
      const s = scores.find((x) => x.position === c.position);
      if (!s) errors[`score.${c.position}`] ??= `请为「${c.name}」打分`;
      else if (!s.comment.trim()) errors[`comment.${c.position}`] = `请填写「${c.name}」的评语`;
    }
  }
  if (Object.keys(errors).length > 0) throw new DomainError("invalid", submit ? "评分还不能提交，请修改以下内容" : "评分有误，请修改", errors);
  if (scores.length > 0) {
    await trx
      .insertInto("review_scores")
      .values(scores.map((s) => ({ assignment_id: a.id, criterion_position: s.position, score: s.score, comment: s.comment.trim() })))
      .onConflict((oc) => oc.columns(["assignment_id", "criterion_position"]).doUpdateSet((eb) => ({ score: eb.ref("excluded.score"), comment: eb.ref("excluded.comment") })))
      .execute();
  }
  const now = clock.now();
  if (submit) await trx.updateTable("review_assignments").set({ status: "submitted", submitted_at: now }).where("id", "=", a.id).execute();
  await audit(trx, ctx, {
    action: submit ? "review.submit" : "review.save",
    entityType: "review_assignment",
    entityId: a.id,
    summary: { bidId: a.bidId, total: submit ? reviewTotal(scores) : undefined, scored: scores.length },
  });
}

export interface MyAssignment {
  id: string;
  status: AssignmentStatus;
  callId: string;
  callTitle: string;
  organisationName: string;
  projectName: string;
  assignedAt: Date;
}

export async function myAssignments(db: Executor, reviewerId: string): Promise<MyAssignment[]> {
  return db
    .selectFrom("review_assignments as a")
    .innerJoin("calls as c", "c.id", "a.call_id")
    .innerJoin("bids as b", "b.id", "a.bid_id")
    .innerJoin("organisations as o", "o.id", "b.organisation_id")
    .select(["a.id", "a.status", "c.id as callId", "c.title as callTitle", "o.name as organisationName", "b.project_name as projectName", "a.assigned_at as assignedAt"])
    .where("a.reviewer_id", "=", reviewerId)
    .orderBy(sql`case a.status when 'pending' then 0 when 'accepted' then 1 when 'submitted' then 2 else 3 end`)
    .orderBy("a.assigned_at")
    .execute();
}

export interface ReviewerView {
  id: string;
  status: AssignmentStatus;
  callId: string;
  callTitle: string;
  organisationName: string;
  projectName: string;
  conflictReason: string | null;
  criteria: Array<{ position: number; name: string; description: string; weight: number }>;
  /** The reviewer's own scores; nobody else's are ever part of this view. */
  scores: Array<{ position: number; score: number; comment: string }>;
  /** Only after the reviewer declared no conflict. */
  bid: BidDetail | null;
}

/** What a reviewer sees of their own assignment; undefined for anyone else's. */
export async function getReviewerView(db: Executor, reviewerId: string, assignmentId: string): Promise<ReviewerView | undefined> {
  const a = await db
    .selectFrom("review_assignments as a")
    .innerJoin("calls as c", "c.id", "a.call_id")
    .innerJoin("bids as b", "b.id", "a.bid_id")
    .innerJoin("organisations as o", "o.id", "b.organisation_id")
    .select(["a.id", "a.status", "a.bid_id as bidId", "c.id as callId", "c.title as callTitle", "o.name as organisationName", "b.project_name as projectName", "a.conflict_reason as conflictReason"])
    .where("a.id", "=", assignmentId)
    .where("a.reviewer_id", "=", reviewerId)
    .executeTakeFirst();
  if (!a) return undefined;
  const open = a.status === "accepted" || a.status === "submitted";
  const [criteria, scores, bid] = await Promise.all([
    db.selectFrom("call_criteria").select(["position", "name", "description", "weight"]).where("call_id", "=", a.callId).orderBy("position").execute(),
    db.selectFrom("review_scores").select(["criterion_position as position", "score", "comment"]).where("assignment_id", "=", a.id).orderBy("criterion_position").execute(),
    open ? getBid(db, a.bidId) : Promise.resolve(undefined),
  ]);
  const { bidId: _bidId, ...rest } = a;
  return { ...rest, criteria, scores, bid: bid ?? null };
}

/** Whether the person is an assigned reviewer who has opened the bid (for attachment downloads). */
export async function canReviewerReadBid(db: Executor, reviewerId: string, bidId: string): Promise<boolean> {
  const row = await db
    .selectFrom("review_assignments")
    .select("id")
    .where("reviewer_id", "=", reviewerId)
    .where("bid_id", "=", bidId)
    .where("status", "in", ["accepted", "submitted"])
    .executeTakeFirst();
  return !!row;
}

export interface ReviewProgress {
  reviewers: Array<{ id: string; displayName: string; load: number; submitted: number }>;
  bids: Array<{ bidId: string; projectName: string; organisationName: string; assignments: Array<{ reviewerName: string; status: AssignmentStatus }> }>;
}

/** The officer's overview: who reviews how many bids, and where each bid stands (no scores). */
export async function reviewProgress(db: Executor, callId: string): Promise<ReviewProgress> {
  const [reviewers, rows] = await Promise.all([
    db
      .selectFrom("call_reviewers as cr")
      .innerJoin("users as u", "u.id", "cr.user_id")
      .leftJoin("review_assignments as a", (j) => j.onRef("a.reviewer_id", "=", "cr.user_id").onRef("a.call_id", "=", "cr.call_id"))
      .select([
        "u.id",
        "u.display_name as displayName",
        sql<number>`count(a.id) filter (where a.status in ('pending','accepted','submitted'))`.as("load"),
        sql<number>`count(a.id) filter (where a.status = 'submitted')`.as("submitted"),
      ])
      .where("cr.call_id", "=", callId)
      .groupBy(["u.id", "u.display_name"])
      .orderBy("u.display_name")
      .execute(),
    db
      .selectFrom("bids as b")
      .innerJoin("organisations as o", "o.id", "b.organisation_id")
      .leftJoin("review_assignments as a", "a.bid_id", "b.id")
      .leftJoin("users as u", "u.id", "a.reviewer_id")
      .select(["b.id as bidId", "b.project_name as projectName", "o.name as organisationName", "u.display_name as reviewerName", "a.status"])
      .where("b.call_id", "=", callId)
      .where("b.status", "=", "submitted")
      .orderBy("b.submitted_at")
      .orderBy("b.id")
      .orderBy("a.assigned_at")
      .execute(),
  ]);
  const bids: ReviewProgress["bids"] = [];
  for (const r of rows) {
    let bid = bids.find((b) => b.bidId === r.bidId);
    if (!bid) bids.push((bid = { bidId: r.bidId, projectName: r.projectName, organisationName: r.organisationName, assignments: [] }));
    if (r.status && r.reviewerName) bid.assignments.push({ reviewerName: r.reviewerName, status: r.status });
  }
  return { reviewers: reviewers.map((r) => ({ ...r, load: Number(r.load), submitted: Number(r.submitted) })), bids };
}

export interface Ranking {
  totalBudgetFen: Fen;
  reviewersPerBid: number;
  rows: RankRow[];
}

/**
 * The ranking from submitted reviews only (a saved but unsubmitted score never counts and is never
 * shown): per bid the reviewers' totals, average, spread, missing reviews and the running total of
 * requested budgets against the call's total. Issue 5 awards from this.
 */
export async function callRanking(db: Executor, callId: string): Promise<Ranking> {
  const call = await db.selectFrom("calls").select(["total_budget_fen as totalBudgetFen", "reviewers_per_bid as reviewersPerBid"]).where("id", "=", callId).executeTakeFirst();
  if (!call) throw new DomainError("not_found", "招贤榜不存在");
  const bids = await db
    .selectFrom("bids as b")
    .innerJoin("organisations as o", "o.id", "b.organisation_id")
    .select([
      "b.id as bidId",
      "b.project_name as projectName",
      "o.name as organisationName",
      (eb) => eb.selectFrom("bid_budget_lines as l").select(sql<number>`coalesce(sum(l.amount_fen), 0)`.as("s")).whereRef("l.bid_id", "=", "b.id").as("requestedFen"),
      sql<number[]>`coalesce((
        select array_agg(t.total order by t.total) from (
          select sum(s.score)::int as total from review_assignments a join review_scores s on s.assignment_id = a.id
          where a.bid_id = b.id and a.status = 'submitted' group by a.id) t), '{}')`.as("totals"),
      sql<number>`(select count(*) from review_assignments a where a.bid_id = b.id and a.status in ('pending','accepted'))`.as("missing"),
    ])
    .where("b.call_id", "=", callId)
    .where("b.status", "=", "submitted")
    .execute();
  return {
    ...call,
    rows: rankBids(
      bids.map((b) => ({ ...b, requestedFen: Number(b.requestedFen ?? 0), totals: b.totals.map(Number), missing: Number(b.missing) })),
      call.totalBudgetFen,
    ),
  };
}
