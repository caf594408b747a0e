import { sql } from "kysely";
import type { GrantStatus, IssueStatus } from "../../../db/schema";
import { formatDate } from "../../lib/dates";
import { formatYuan, type Fen } from "../../lib/money";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { DB, Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { fileStore, preparePhoto, safeFileName } from "../../platform/uploads.server";
import { throttleWrite } from "../../platform/write-limits.server";
import { canTransition } from "../issues/rules";
import { transitionIssue } from "../issues/issues.server";
import { appendLedgerEntry, commitFromPool, grantBalance, lockPool, refundFromGrant } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { isVerifiedResident } from "../residents/residents.server";
import {
  averageRating,
  evaluationEndsAt,
  evaluationSummary,
  GRANT_STATUS_LABELS,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  needsSecondApproval,
  publicityEndsAt,
  trancheAmounts,
} from "./rules";
import type { EvaluationInput, ReportInput } from "./schema";

/**
 * Grants (创投立项) from award to 办结: awards commit money from the pool (ledger), 公示 with
 * objections, establishment by the scheduled job, milestone reports reviewed by the liaison and
 * approved by an officer, disbursements (two-person rule above the pool's threshold), suspension
 * and termination releasing what is undisbursed, residents' evaluation and closing.
 */

/** The audit context of the scheduled job (no person acted). */
export const SYSTEM_AUDIT: AuditContext = { userId: null, role: "system", requestId: "job:grants", ip: null };

async function event(trx: Executor, grantId: string, at: Date, actorId: string | null, kind: string, note = ""): Promise<void> {
  await trx.insertInto("grant_events").values({ grant_id: grantId, at, actor_id: actorId, kind, note }).execute();
}

async function memberIds(db: Executor, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom("organisation_members").select("user_id").where("organisation_id", "=", organisationId).execute();
  return rows.map((r) => r.user_id);
}

async function lockGrant(trx: Trx, grantId: string) {
  const g = await trx
    .selectFrom("grants")
    .selectAll()
    .where("id", "=", grantId)
    .forUpdate()
    .executeTakeFirst();
  if (!g) throw new DomainError("not_found", "项目不存在");
  return g;
}

/** Moves each of the grant's issues to `to` where the issue lifecycle allows it from its current status. */
async function moveIssues(trx: Trx, ctx: AuditContext, grantId: string, to: IssueStatus, note: string, clock: Clock): Promise<number> {
  // Locked in id order before reading the status: two grants answering the same issue, established
  // at the same moment, then move it once (the second sees it already moved) and never deadlock.
  const issues = await trx
    .selectFrom("issues")
    .select(["id", "status"])
    .where("id", "in", (eb) => eb.selectFrom("grant_issues").select("issue_id").where("grant_id", "=", grantId))
    .orderBy("id")
    .forUpdate()
    .execute();
  let moved = 0;
  for (const i of issues) {
    if (!canTransition(i.status, to)) continue;
    await transitionIssue(trx, ctx, i.id, to, { note }, clock);
    moved++;
  }
  return moved;
}

/** Where a grant is, for requirePermission before anything else is loaded. */
export async function grantScope(db: Executor, grantId: string): Promise<{ placePath: string; organisationId: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(grantId)) return undefined;
  return db
    .selectFrom("grants as g")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select(["p.path as placePath", "g.organisation_id as organisationId"])
    .where("g.id", "=", grantId)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Awards and 公示

export interface AwardInput {
  callId: string;
  bidId: string;
  amountFen: Fen;
  idempotencyKey: string;
}

/**
 * Awards a bid: creates the grant in 公示, copies the bid's milestones with their tranches in 分
 * and the issues it answers, and commits the amount from the call's pool (commitFromPool locks the
 * pool row, so concurrent awards are serialised and never over-commit). A replayed form (same
 * idempotency key) returns the grant it already created.
 */
export async function awardBid(trx: Trx, ctx: AuditContext, input: AwardInput, clock: Clock): Promise<{ grantId: string; replayed: boolean }> {
  const now = clock.now();
  const bid = await trx
    .selectFrom("bids as b")
    .innerJoin("calls as c", "c.id", "b.call_id")
    .select([
      "b.id",
      "b.call_id as callId",
      "b.status",
      "b.organisation_id as organisationId",
      "b.project_name as projectName",
      "b.action_type as actionType",
      "c.pool_id as poolId",
      "c.place_id as placeId",
      "c.title as callTitle",
      "c.status as callStatus",
      "c.closes_at as closesAt",
      "c.publicity_working_days as publicityWorkingDays",
      (eb) => eb.selectFrom("bid_budget_lines as l").select(sql<number>`coalesce(sum(l.amount_fen), 0)`.as("s")).whereRef("l.bid_id", "=", "b.id").as("requestedFen"),
    ])
    .where("b.id", "=", input.bidId)
    .executeTakeFirst();
  if (!bid || bid.callId !== input.callId) throw new DomainError("not_found", "申报书不存在");
  if (bid.status !== "submitted") throw new DomainError("conflict", "只能资助已提交的申报书");
  if (bid.callStatus !== "published" || bid.closesAt.getTime() > now.getTime()) throw new DomainError("conflict", "招贤榜截止后才能确定资助");
  const requested = Number(bid.requestedFen ?? 0);
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new DomainError("invalid", "资助金额必须大于 0", { amount: "请输入资助金额" });
  if (input.amountFen > requested) {
    throw new DomainError("invalid", `资助金额不能超过申请金额 ${formatYuan(requested)}`, { amount: `不超过 ${formatYuan(requested)}` });
  }
  const milestones = await trx
    .selectFrom("bid_milestones")
    .select(["position", "title", "deliverable", sql<string>`due_date::text`.as("dueDate"), "tranche_pct as tranchePct"])
    .where("bid_id", "=", bid.id)
    .orderBy("position")
    .execute();
  if (milestones.length === 0 || milestones.reduce((s, m) => s + m.tranchePct, 0) !== 100) {
    throw new DomainError("invalid", "该申报书的里程碑拨付比例合计不是 100%，不能资助");
  }

  // The pool lock first: the grant row's foreign key to the pool takes a share lock on it, and
  // taking the update lock after that would deadlock two concurrent awards.
  await lockPool(trx, bid.poolId);
  const inserted = await trx
    .insertInto("grants")
    .values({
      call_id: bid.callId,
      bid_id: bid.id,
      organisation_id: bid.organisationId,
      pool_id: bid.poolId,
      place_id: bid.placeId,
      project_name: bid.projectName,
      action_type: bid.actionType,
      amount_fen: input.amountFen,
      awarded_by: ctx.userId!,
      awarded_at: now,
      publicity_ends_at: publicityEndsAt(now, bid.publicityWorkingDays),
    })
    .onConflict((oc) => oc.column("bid_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    // The same form submitted twice: the first request's commitment carries this key.
    const earlier = await trx
      .selectFrom("ledger_entries as l")
      .innerJoin("grants as g", "g.id", "l.grant_id")
      .select("g.id")
      .where("l.idempotency_key", "=", input.idempotencyKey)
      .where("g.bid_id", "=", bid.id)
      .executeTakeFirst();
    if (earlier) return { grantId: earlier.id, replayed: true };
    throw new DomainError("conflict", "该申报书已经确定过资助");
  }
  const grantId = inserted.id;
  const tranches = trancheAmounts(input.amountFen, milestones.map((m) => m.tranchePct));
  await trx
    .insertInto("grant_milestones")
    .values(
      milestones.map((m, i) => ({
        grant_id: grantId,
        position: i + 1,
        title: m.title,
        deliverable: m.deliverable,
        due_date: m.dueDate,
        tranche_pct: m.tranchePct,
        tranche_fen: tranches[i],
      })),
    )
    .execute();
  // The issues the bid names, or, when it names none, those of the call it answers.
  const named = await sql`insert into grant_issues (grant_id, issue_id) select ${grantId}, issue_id from bid_issues where bid_id = ${bid.id}`.execute(trx);
  if (Number(named.numAffectedRows ?? 0) === 0) {
    await sql`insert into grant_issues (grant_id, issue_id) select ${grantId}, issue_id from call_issues where call_id = ${bid.callId}`.execute(trx);
  }
  await commitFromPool(trx, ctx, {
    poolId: bid.poolId,
    grantId,
    amountFen: input.amountFen,
    reason: `资助「${bid.projectName}」（${bid.callTitle}）`,
    idempotencyKey: input.idempotencyKey,
  });
  await event(trx, grantId, now, ctx.userId, "award", `确定资助 ${formatYuan(input.amountFen)}，公示至 ${formatDate(new Date(publicityEndsAt(now, bid.publicityWorkingDays).getTime() - 1))}`);
  await audit(trx, ctx, {
    action: "grant.award",
    entityType: "grant",
    entityId: grantId,
    placeId: bid.placeId,
    summary: { bidId: bid.id, callId: bid.callId, amountFen: input.amountFen, requestedFen: requested },
  });
  await notify(
    trx,
    await memberIds(trx, bid.organisationId),
    { kind: "grant.awarded", title: `「${bid.projectName}」拟获资助，正在公示`, body: `拟资助 ${formatYuan(input.amountFen)}`, link: `/grants/${grantId}` },
    now,
  );
  return { grantId, replayed: false };
}

export interface ObjectionAttachment {
  name: string;
  bytes: Uint8Array;
}

/** Any signed-in person may object to an award while its 公示 runs, with a reason and optionally one image. */
export async function lodgeObjection(
  trx: Trx,
  ctx: AuditContext,
  grantId: string,
  input: { reason: string; attachment?: ObjectionAttachment | null },
  clock: Clock,
): Promise<{ id: string }> {
  const now = clock.now();
  const g = await lockGrant(trx, grantId);
  if (g.status !== "publicity" || now.getTime() >= g.publicity_ends_at.getTime()) throw new DomainError("conflict", "公示期已结束，不能再提出异议");
  await throttleWrite(trx, "objection", ctx.userId!, clock);
  let file: { key: string; type: string; name: string } | null = null;
  if (input.attachment && input.attachment.bytes.length > 0) {
    file = await storeImage(input.attachment);
  }
  const row = await trx
    .insertInto("grant_objections")
    .values({
      grant_id: grantId,
      author_id: ctx.userId!,
      reason: input.reason,
      attachment_key: file?.key ?? null,
      attachment_type: file?.type ?? null,
      attachment_name: file?.name ?? null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await event(trx, grantId, now, ctx.userId, "objection", "收到一条异议");
  await audit(trx, ctx, { action: "grant.objection", entityType: "grant", entityId: grantId, placeId: g.place_id, summary: { objectionId: row.id } });
  return row;
}


async function storeImage(f: ObjectionAttachment): Promise<{ key: string; type: string; name: string; size: number }> {
  if (f.bytes.length > MAX_EVIDENCE_BYTES) throw new DomainError("invalid", `文件「${f.name}」超过 5 MB`);
  // The same path as issue photos: checked by magic bytes, re-encoded without metadata (EXIF/GPS).
  const prepared = await preparePhoto(f.bytes);
  if (!prepared.ok) {
    throw new DomainError("invalid", prepared.reason === "not_image" ? `「${f.name}」不是 JPEG、PNG 或 WebP 图片` : prepared.reason === "too_many_pixels" ? `图片「${f.name}」像素过多` : `图片「${f.name}」已损坏，无法读取`);
  }
  return { key: await fileStore().put(prepared.photo.bytes), type: prepared.type, name: safeFileName(f.name, prepared.type), size: prepared.photo.bytes.length };
}

/**
 * The officer answers an objection. Dismissed: the reply is shown on the 公示 page. Upheld: the
 * award is withdrawn and what it still holds of the pool is released by a ledger row; the bid
 * cannot be awarded again, the next-ranked bid can.
 */
export async function answerObjection(
  trx: Trx,
  ctx: AuditContext,
  objectionId: string,
  input: { decision: "dismiss" | "uphold"; reply: string },
  clock: Clock,
): Promise<{ grantId: string }> {
  const now = clock.now();
  const o = await trx.selectFrom("grant_objections").select(["id", "grant_id", "status"]).where("id", "=", objectionId).executeTakeFirst();
  if (!o) throw new DomainError("not_found", "异议不存在");
  const g = await lockGrant(trx, o.grant_id);
  const current = await trx.selectFrom("grant_objections").select("status").where("id", "=", objectionId).forUpdate().executeTakeFirstOrThrow();
  if (current.status !== "open") throw new DomainError("conflict", "该异议已经答复");
  await trx
    .updateTable("grant_objections")
    .set({ status: input.decision === "uphold" ? "upheld" : "dismissed", reply: input.reply, answered_by: ctx.userId, answered_at: now })
    .where("id", "=", objectionId)
    .execute();
  if (input.decision === "uphold") {
    if (g.status !== "publicity") throw new DomainError("conflict", `项目当前为「${GRANT_STATUS_LABELS[g.status]}」，只有公示中的资助可以因异议撤销`);
    await releaseAndEnd(trx, ctx, g, "withdrawn", `异议成立：${input.reply}`, `release:objection:${objectionId}`, now);
  } else {
    await event(trx, g.id, now, ctx.userId, "objection_dismissed", `异议不予采纳：${input.reply}`);
  }
  await audit(trx, ctx, {
    action: `grant.objection.${input.decision}`,
    entityType: "grant",
    entityId: g.id,
    placeId: g.place_id,
    summary: { objectionId, reply: input.reply },
  });
  return { grantId: g.id };
}

type GrantRow = Awaited<ReturnType<typeof lockGrant>>;

/** Ends a grant (withdrawn, suspended, terminated): releases the undisbursed commitment and refuses pending payments. */
async function releaseAndEnd(trx: Trx, ctx: AuditContext, g: GrantRow, to: GrantStatus, reason: string, releaseKey: string, now: Date): Promise<Fen> {
  await lockPool(trx, g.pool_id);
  const balance = await grantBalance(trx, g.id);
  if (balance.remaining > 0) {
    await appendLedgerEntry(trx, ctx, { poolId: g.pool_id, grantId: g.id, kind: "release", amountFen: balance.remaining, reason, idempotencyKey: releaseKey });
  }
  await trx
    .updateTable("disbursements")
    .set({ status: "rejected", rejected_reason: `项目${GRANT_STATUS_LABELS[to]}` })
    .where("grant_id", "=", g.id)
    .where("status", "=", "pending")
    .execute();
  await trx.updateTable("grants").set({ status: to, ended_at: now, ended_reason: reason }).where("id", "=", g.id).execute();
  await event(trx, g.id, now, ctx.userId, to, `${GRANT_STATUS_LABELS[to]}：${reason}${balance.remaining > 0 ? `；释放未拨付资金 ${formatYuan(balance.remaining)}` : ""}`);
  await notify(trx, await memberIds(trx, g.organisation_id), { kind: `grant.${to}`, title: `「${g.project_name}」${GRANT_STATUS_LABELS[to]}`, body: reason, link: `/grants/${g.id}` }, now);
  return balance.remaining;
}

/** Suspends or terminates a running grant with a reason; the undisbursed commitment goes back to the pool. */
export async function endGrant(
  trx: Trx,
  ctx: AuditContext,
  grantId: string,
  input: { to: "suspended" | "terminated"; reason: string; idempotencyKey: string },
  clock: Clock,
): Promise<{ releasedFen: Fen }> {
  const g = await lockGrant(trx, grantId);
  // The same form sent again (double click, retry) after the first ended the grant: the same answer.
  if (g.status === input.to && g.ended_reason === input.reason) {
    const earlier = await trx.selectFrom("ledger_entries").select("amount_fen").where("idempotency_key", "=", input.idempotencyKey).where("grant_id", "=", g.id).executeTakeFirst();
    const released = await trx.selectFrom("ledger_entries").select("id").where("grant_id", "=", g.id).where("kind", "=", "release").executeTakeFirst();
    if (earlier || !released) return { releasedFen: earlier?.amount_fen ?? 0 };
  }
  if (g.status !== "publicity" && g.status !== "in_progress") {
    throw new DomainError("conflict", `项目当前为「${GRANT_STATUS_LABELS[g.status]}」，不能${input.to === "suspended" ? "暂停" : "终止"}`);
  }
  const releasedFen = await releaseAndEnd(trx, ctx, g, input.to, input.reason, input.idempotencyKey, clock.now());
  await audit(trx, ctx, { action: `grant.${input.to}`, entityType: "grant", entityId: g.id, placeId: g.place_id, summary: { reason: input.reason, releasedFen } });
  return { releasedFen };
}

// ---------------------------------------------------------------------------------------------
// The scheduled job: establishment (立项) after 公示, closing after the evaluation period

/**
 * Establishes every grant whose 公示 has ended with no open objection. Rows are claimed with
 * FOR UPDATE SKIP LOCKED inside one transaction per grant, so two runs at the same moment (two app
 * servers, a retried job) never establish the same grant twice: the second run skips the row the
 * first holds, and after the first commits the row is no longer in 公示.
 */
export async function establishDueGrants(db: DB, clock: Clock): Promise<string[]> {
  const established: string[] = [];
  for (;;) {
    const id = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const g = await trx
        .selectFrom("grants as g")
        .selectAll("g")
        .where("g.status", "=", "publicity")
        .where("g.publicity_ends_at", "<=", now)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("grant_objections as o").select("o.id").whereRef("o.grant_id", "=", "g.id").where("o.status", "=", "open"))),
        )
        .orderBy("g.publicity_ends_at")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!g) return null;
      await trx.updateTable("grants").set({ status: "in_progress", established_at: now }).where("id", "=", g.id).execute();
      await event(trx, g.id, now, null, "established", "公示期满无异议，正式立项");
      await moveIssues(trx, SYSTEM_AUDIT, g.id, "in_progress", `项目「${g.project_name}」正式立项，进入实施`, clock);
      await audit(trx, SYSTEM_AUDIT, { action: "grant.establish", entityType: "grant", entityId: g.id, placeId: g.place_id, summary: { amountFen: g.amount_fen } });
      await notify(
        trx,
        await memberIds(trx, g.organisation_id),
        { kind: "grant.established", title: `「${g.project_name}」正式立项`, body: "公示期满无异议。请查看资助协议并按里程碑提交报告。", link: `/grants/${g.id}` },
        now,
      );
      return g.id;
    });
    if (!id) return established;
    established.push(id);
  }
}

/** Closes (办结) every project whose evaluation period has ended, and its issues, with the results on their timelines. */
export async function closeDueEvaluations(db: DB, clock: Clock): Promise<string[]> {
  const closed: string[] = [];
  for (;;) {
    const id = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const g = await trx
        .selectFrom("grants")
        .selectAll()
        .where("status", "=", "awaiting_evaluation")
        .where("evaluation_ends_at", "<=", now)
        .orderBy("evaluation_ends_at")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!g) return null;
      const stats = await evaluationStats(trx, g.id);
      const summary = evaluationSummary(stats);
      await trx.updateTable("grants").set({ status: "closed", closed_at: now }).where("id", "=", g.id).execute();
      await event(trx, g.id, now, null, "closed", `评价期结束，项目办结。${summary}`);
      await moveIssues(trx, SYSTEM_AUDIT, g.id, "closed", `项目「${g.project_name}」已办结。${summary}`, clock);
      await audit(trx, SYSTEM_AUDIT, { action: "grant.close", entityType: "grant", entityId: g.id, placeId: g.place_id, summary: { ...stats } });
      await notify(trx, await memberIds(trx, g.organisation_id), { kind: "grant.closed", title: `「${g.project_name}」已办结`, body: summary, link: `/projects/${g.id}` }, now);
      return g.id;
    });
    if (!id) return closed;
    closed.push(id);
  }
}

/** What the scheduled job runs every minute. */
export async function runDueGrantTransitions(db: DB, clock: Clock): Promise<{ established: number; closed: number }> {
  const established = await establishDueGrants(db, clock);
  const closed = await closeDueEvaluations(db, clock);
  return { established: established.length, closed: closed.length };
}

// ---------------------------------------------------------------------------------------------
// Delivery: milestone reports, liaison review, officer approval

export interface EvidenceFile {
  name: string;
  bytes: Uint8Array;
}

/** The organisation reports on a milestone (first time, or again after it was returned). */
export async function submitReport(
  trx: Trx,
  ctx: AuditContext,
  grantId: string,
  position: number,
  input: ReportInput,
  evidence: readonly EvidenceFile[],
  clock: Clock,
): Promise<{ id: string }> {
  const now = clock.now();
  const g = await lockGrant(trx, grantId);
  if (g.status !== "in_progress") throw new DomainError("conflict", `项目当前为「${GRANT_STATUS_LABELS[g.status]}」，不能提交里程碑报告`);
  const m = await trx.selectFrom("grant_milestones").select(["status", "title"]).where("grant_id", "=", grantId).where("position", "=", position).executeTakeFirst();
  if (!m) throw new DomainError("not_found", "里程碑不存在");
  if (m.status !== "open" && m.status !== "returned") throw new DomainError("conflict", "该里程碑的报告正在审核或已通过");
  const files = evidence.filter((f) => f.bytes.length > 0);
  if (files.length > MAX_EVIDENCE_FILES) throw new DomainError("invalid", `每份报告最多 ${MAX_EVIDENCE_FILES} 个佐证文件`, { evidence: "文件过多" });
  const stored = [];
  for (const f of files) stored.push(await storeImage(f));
  const report = await trx
    .insertInto("milestone_reports")
    .values({
      grant_id: grantId,
      position,
      narrative: input.narrative,
      beneficiary_count: input.beneficiaryCount,
      beneficiary_group: input.beneficiaryGroup,
      activities: JSON.stringify(input.activities),
      spending: JSON.stringify(input.spending),
      in_kind_received: input.inKindReceived,
      submitted_by: ctx.userId!,
      submitted_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (stored.length > 0) {
    await trx
      .insertInto("report_evidence")
      .values(stored.map((s) => ({ report_id: report.id, storage_key: s.key, content_type: s.type, byte_size: s.size, original_name: s.name })))
      .execute();
  }
  await trx.updateTable("grant_milestones").set({ status: "submitted" }).where("grant_id", "=", grantId).where("position", "=", position).execute();
  await event(trx, grantId, now, ctx.userId, "report", `提交里程碑 ${position}「${m.title}」报告：服务 ${input.beneficiaryCount} 人`);
  await audit(trx, ctx, { action: "grant.report", entityType: "grant", entityId: grantId, placeId: g.place_id, summary: { position, reportId: report.id, evidence: stored.length } });
  return report;
}

async function lockReport(trx: Trx, reportId: string) {
  const r = await trx
    .selectFrom("milestone_reports as r")
    .innerJoin("grant_milestones as m", (j) => j.onRef("m.grant_id", "=", "r.grant_id").onRef("m.position", "=", "r.position"))
    .select(["r.id", "r.grant_id as grantId", "r.position", "r.status", "m.title", "m.tranche_fen as trancheFen"])
    .where("r.id", "=", reportId)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw new DomainError("not_found", "报告不存在");
  return r;
}

/** The district liaison reviews first: forwards the report to the bureau, or returns it for changes with a comment. */
export async function liaisonReview(
  trx: Trx,
  ctx: AuditContext,
  reportId: string,
  input: { decision: "forward" | "return"; comment: string },
  clock: Clock,
): Promise<{ grantId: string }> {
  const now = clock.now();
  const r = await lockReport(trx, reportId);
  if (r.status !== "submitted") throw new DomainError("conflict", "该报告不在联络员审核阶段");
  const g = await lockGrant(trx, r.grantId);
  const to = input.decision === "forward" ? "forwarded" : "returned";
  await trx.updateTable("milestone_reports").set({ status: to, liaison_comment: input.comment, liaison_by: ctx.userId, liaison_at: now }).where("id", "=", r.id).execute();
  await trx.updateTable("grant_milestones").set({ status: to }).where("grant_id", "=", r.grantId).where("position", "=", r.position).execute();
  await event(trx, r.grantId, now, ctx.userId, `liaison_${input.decision}`, `联络员${input.decision === "forward" ? "审核通过，报民政局审批" : "退回修改"}里程碑 ${r.position}「${r.title}」${input.comment ? `：${input.comment}` : ""}`);
  await audit(trx, ctx, { action: `grant.report.liaison_${input.decision}`, entityType: "grant", entityId: r.grantId, placeId: g.place_id, summary: { reportId, comment: input.comment } });
  if (input.decision === "return") {
    await notify(trx, await memberIds(trx, g.organisation_id), { kind: "grant.report_returned", title: `里程碑「${r.title}」报告被退回修改`, body: input.comment, link: `/grants/${g.id}` }, now);
  }
  return { grantId: r.grantId };
}

/**
 * A bureau officer approves a forwarded report (its tranche becomes payable) or returns it. When the
 * last milestone is approved the project enters 待评价 for the evaluation period, and so do its issues.
 */
export async function officerDecideReport(
  trx: Trx,
  ctx: AuditContext,
  reportId: string,
  input: { decision: "approve" | "return"; comment: string },
  clock: Clock,
): Promise<{ grantId: string; awaitingEvaluation: boolean }> {
  const now = clock.now();
  const r = await lockReport(trx, reportId);
  if (r.status !== "forwarded") throw new DomainError("conflict", "该报告尚未经联络员审核，或已处理");
  const g = await lockGrant(trx, r.grantId);
  if (g.status !== "in_progress") throw new DomainError("conflict", `项目当前为「${GRANT_STATUS_LABELS[g.status]}」，不能审批报告`);
  const to = input.decision === "approve" ? "approved" : "returned";
  await trx.updateTable("milestone_reports").set({ status: to, officer_comment: input.comment, officer_by: ctx.userId, officer_at: now }).where("id", "=", r.id).execute();
  await trx
    .updateTable("grant_milestones")
    .set(input.decision === "approve" ? { status: "approved", approved_at: now, approved_by: ctx.userId } : { status: "returned" })
    .where("grant_id", "=", r.grantId)
    .where("position", "=", r.position)
    .execute();
  await event(
    trx,
    r.grantId,
    now,
    ctx.userId,
    `officer_${input.decision}`,
    input.decision === "approve"
      ? `民政局审批通过里程碑 ${r.position}「${r.title}」，第 ${r.position} 期款 ${formatYuan(r.trancheFen)} 可拨付`
      : `民政局退回里程碑 ${r.position}「${r.title}」报告${input.comment ? `：${input.comment}` : ""}`,
  );
  let awaitingEvaluation = false;
  if (input.decision === "approve") {
    const left = await trx.selectFrom("grant_milestones").select("position").where("grant_id", "=", r.grantId).where("status", "<>", "approved").execute();
    if (left.length === 0) {
      awaitingEvaluation = true;
      const ends = evaluationEndsAt(now);
      await trx.updateTable("grants").set({ status: "awaiting_evaluation", evaluation_ends_at: ends }).where("id", "=", g.id).execute();
      await event(trx, g.id, now, ctx.userId, "awaiting_evaluation", `全部里程碑已通过，进入群众评价（至 ${formatDate(new Date(ends.getTime() - 1))}）`);
      await moveIssues(trx, ctx, g.id, "awaiting_evaluation", `项目「${g.project_name}」已完成，请居民评价`, clock);
    }
  }
  await audit(trx, ctx, { action: `grant.report.${input.decision}`, entityType: "grant", entityId: r.grantId, placeId: g.place_id, summary: { reportId, comment: input.comment } });
  await notify(
    trx,
    await memberIds(trx, g.organisation_id),
    {
      kind: `grant.report_${to}`,
      title: input.decision === "approve" ? `里程碑「${r.title}」已通过审批` : `里程碑「${r.title}」报告被退回修改`,
      body: input.comment,
      link: `/grants/${g.id}`,
    },
    now,
  );
  return { grantId: r.grantId, awaitingEvaluation };
}

// ---------------------------------------------------------------------------------------------
// Disbursements

/**
 * Records the payment of an approved milestone's tranche. At or below the pool's threshold it is
 * paid at once (a ledger row with the payment reference); above it, it waits as a request until a
 * different officer approves it (two-person rule). The hidden form key makes a double-clicked
 * 发放 pay once: the second submission finds the first and returns it.
 */
export async function requestDisbursement(
  trx: Trx,
  ctx: AuditContext,
  input: { grantId: string; position: number; paymentReference: string; idempotencyKey: string },
  clock: Clock,
): Promise<{ id: string; status: "pending" | "paid"; replayed: boolean }> {
  const now = clock.now();
  const g = await lockGrant(trx, input.grantId);
  const pool = await lockPool(trx, g.pool_id);
  const earlier = await trx.selectFrom("disbursements").select(["id", "status", "grant_id", "position"]).where("idempotency_key", "=", input.idempotencyKey).executeTakeFirst();
  if (earlier) {
    if (earlier.grant_id !== input.grantId || earlier.position !== input.position || earlier.status === "rejected") {
      throw new DomainError("conflict", "该请求编号已用于另一笔资金操作");
    }
    return { id: earlier.id, status: earlier.status, replayed: true };
  }
  if (!["in_progress", "awaiting_evaluation", "closed"].includes(g.status)) {
    throw new DomainError("conflict", `项目当前为「${GRANT_STATUS_LABELS[g.status]}」，不能拨付`);
  }
  const m = await trx
    .selectFrom("grant_milestones")
    .select(["status", "title", "tranche_fen as trancheFen"])
    .where("grant_id", "=", input.grantId)
    .where("position", "=", input.position)
    .executeTakeFirst();
  if (!m) throw new DomainError("not_found", "里程碑不存在");
  if (m.status !== "approved") throw new DomainError("conflict", "里程碑报告审批通过后才能拨付该期款项");
  const already = await trx
    .selectFrom("disbursements")
    .select("status")
    .where("grant_id", "=", input.grantId)
    .where("position", "=", input.position)
    .where("status", "in", ["pending", "paid"])
    .executeTakeFirst();
  if (already) throw new DomainError("conflict", already.status === "paid" ? "该期款项已经拨付" : "该期款项的拨付正在等待第二位工作人员审批");
  const balance = await grantBalance(trx, input.grantId);
  if (balance.remaining < m.trancheFen) throw new DomainError("conflict", `项目未拨付余额 ${formatYuan(balance.remaining)} 不足本期 ${formatYuan(m.trancheFen)}`);
  if (m.trancheFen <= 0) throw new DomainError("conflict", "本期款项为 0，无需拨付");
  const threshold = await trx.selectFrom("funding_pools").select("dual_approval_threshold_fen as t").where("id", "=", pool.id).executeTakeFirstOrThrow();
  const dual = needsSecondApproval(m.trancheFen, threshold.t);
  let ledgerEntryId: number | null = null;
  if (!dual) {
    ledgerEntryId = (
      await appendLedgerEntry(trx, ctx, {
        poolId: g.pool_id,
        grantId: g.id,
        kind: "disburse",
        amountFen: m.trancheFen,
        reason: `第 ${input.position} 期「${m.title}」拨付`,
        paymentReference: input.paymentReference,
        idempotencyKey: input.idempotencyKey,
      })
    ).id;
  }
  const row = await trx
    .insertInto("disbursements")
    .values({
      grant_id: g.id,
      position: input.position,
      amount_fen: m.trancheFen,
      payment_reference: input.paymentReference,
      idempotency_key: input.idempotencyKey,
      status: dual ? "pending" : "paid",
      requested_by: ctx.userId!,
      requested_at: now,
      ledger_entry_id: ledgerEntryId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await event(
    trx,
    g.id,
    now,
    ctx.userId,
    dual ? "disbursement_requested" : "disbursed",
    dual ? `第 ${input.position} 期 ${formatYuan(m.trancheFen)} 超过 ${formatYuan(threshold.t)}，待第二位工作人员审批` : `拨付第 ${input.position} 期 ${formatYuan(m.trancheFen)}`,
  );
  await audit(trx, ctx, {
    action: dual ? "grant.disbursement.request" : "grant.disburse",
    entityType: "grant",
    entityId: g.id,
    placeId: g.place_id,
    summary: { disbursementId: row.id, position: input.position, amountFen: m.trancheFen, paymentReference: input.paymentReference },
  });
  return { id: row.id, status: dual ? "pending" : "paid", replayed: false };
}

/** The second officer approves a pending disbursement; only then is the ledger row written. */
export async function approveDisbursement(trx: Trx, ctx: AuditContext, disbursementId: string, clock: Clock): Promise<void> {
  const now = clock.now();
  const d = await trx.selectFrom("disbursements").selectAll().where("id", "=", disbursementId).executeTakeFirst();
  if (!d) throw new DomainError("not_found", "拨付申请不存在");
  const g = await lockGrant(trx, d.grant_id);
  await lockPool(trx, g.pool_id);
  const current = await trx.selectFrom("disbursements").select(["status", "approved_by"]).where("id", "=", d.id).forUpdate().executeTakeFirstOrThrow();
  // The same approval sent again (double click): it was paid by this officer, nothing more to do.
  if (current.status === "paid" && current.approved_by === ctx.userId) return;
  if (current.status !== "pending") throw new DomainError("conflict", "该拨付申请已经处理");
  if (d.requested_by === ctx.userId) throw new DomainError("forbidden", "两人审批：拨付申请须由另一位工作人员审批");
  const balance = await grantBalance(trx, g.id);
  if (balance.remaining < d.amount_fen) throw new DomainError("conflict", `项目未拨付余额 ${formatYuan(balance.remaining)} 不足本期 ${formatYuan(d.amount_fen)}`);
  const entry = await appendLedgerEntry(trx, ctx, {
    poolId: g.pool_id,
    grantId: g.id,
    kind: "disburse",
    amountFen: d.amount_fen,
    reason: `第 ${d.position} 期拨付（两人审批）`,
    paymentReference: d.payment_reference,
    idempotencyKey: d.idempotency_key,
  });
  await trx.updateTable("disbursements").set({ status: "paid", approved_by: ctx.userId, approved_at: now, ledger_entry_id: entry.id }).where("id", "=", d.id).execute();
  await event(trx, g.id, now, ctx.userId, "disbursed", `拨付第 ${d.position} 期 ${formatYuan(d.amount_fen)}（第二位工作人员已审批）`);
  await audit(trx, ctx, { action: "grant.disbursement.approve", entityType: "grant", entityId: g.id, placeId: g.place_id, summary: { disbursementId: d.id, amountFen: d.amount_fen } });
}

/**
 * Money the organisation pays back (退回: unspent funds, a cancelled activity): a refund row and a
 * release of the same amount, so it is available in the pool again. Not more than was disbursed.
 * The hidden form key makes a repeated submission record it once and answer the same.
 */
export async function refundGrant(
  trx: Trx,
  ctx: AuditContext,
  grantId: string,
  input: { amountFen: Fen; paymentReference: string; reason: string; idempotencyKey: string },
  clock: Clock,
): Promise<{ entryId: number; replayed: boolean }> {
  const now = clock.now();
  const g = await lockGrant(trx, grantId);
  const r = await refundFromGrant(trx, ctx, { grantId, amountFen: input.amountFen, reason: `退回：${input.reason}`, paymentReference: input.paymentReference, idempotencyKey: input.idempotencyKey });
  if (r.replayed) return r;
  await event(trx, g.id, now, ctx.userId, "refund", `收到退回资金 ${formatYuan(input.amountFen)}（${input.reason}），已释放回资金池`);
  await audit(trx, ctx, { action: "grant.refund", entityType: "grant", entityId: g.id, placeId: g.place_id, summary: { amountFen: input.amountFen, paymentReference: input.paymentReference, reason: input.reason } });
  return r;
}

// ---------------------------------------------------------------------------------------------
// Evaluation (群众评价)

/** Verified residents of the places of the project's issues rate it once, during the evaluation period. */
export async function evaluateGrant(trx: Trx, ctx: AuditContext, grantId: string, input: EvaluationInput, clock: Clock): Promise<void> {
  const now = clock.now();
  const g = await trx.selectFrom("grants").select(["id", "status", "evaluation_ends_at", "place_id"]).where("id", "=", grantId).executeTakeFirst();
  if (!g) throw new DomainError("not_found", "项目不存在");
  if (g.status !== "awaiting_evaluation" || !g.evaluation_ends_at || now.getTime() >= g.evaluation_ends_at.getTime()) {
    throw new DomainError("conflict", "该项目不在评价期内");
  }
  if (!(await mayEvaluate(trx, ctx.userId!, grantId))) {
    throw new DomainError("forbidden", "只有项目所涉社区的认证居民才能评价");
  }
  const row = await trx
    .insertInto("grant_evaluations")
    .values({ grant_id: grantId, user_id: ctx.userId!, satisfaction: input.satisfaction, solved: input.solved, comment: input.comment, created_at: now })
    .onConflict((oc) => oc.columns(["grant_id", "user_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "您已经评价过这个项目，每位居民只能评价一次");
  await audit(trx, ctx, { action: "grant.evaluate", entityType: "grant", entityId: grantId, placeId: g.place_id, summary: { satisfaction: input.satisfaction, solved: input.solved } });
}

export async function mayEvaluate(db: Executor, userId: string, grantId: string): Promise<boolean> {
  const places = await db
    .selectFrom("grant_issues as gi")
    .innerJoin("issues as i", "i.id", "gi.issue_id")
    .innerJoin("places as p", "p.id", "i.place_id")
    .select("p.path")
    .distinct()
    .where("gi.grant_id", "=", grantId)
    .execute();
  for (const p of places) if (await isVerifiedResident(db, userId, p.path)) return true;
  return false;
}

export async function evaluationStats(db: Executor, grantId: string): Promise<{ count: number; satisfaction: number | null; solved: number | null }> {
  const rows = await db.selectFrom("grant_evaluations").select(["satisfaction", "solved"]).where("grant_id", "=", grantId).execute();
  return { count: rows.length, satisfaction: averageRating(rows.map((r) => r.satisfaction)), solved: averageRating(rows.map((r) => r.solved)) };
}
