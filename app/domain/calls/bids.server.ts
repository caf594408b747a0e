import { sql } from "kysely";
import type { ActionTypeCode, BidStatus, BudgetCategory, PledgeKind } from "../../../db/schema";
import { formatDateTime } from "../../lib/dates";
import type { Fen } from "../../lib/money";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { fileStore, sniffImageType } from "../../platform/uploads.server";
import { assertCanBid, memberRole } from "../organisations/organisations.server";
import { callPhase, ineligibility, submissionErrors } from "./rules";
import type { BidInput } from "./schema";

/**
 * Bids (项目申报书): one per organisation per call, drafted and saved by any member of a verified,
 * eligible organisation while the call is open; submitted once complete; withdrawn (not edited)
 * before the deadline. Budget lines, pledges, milestones and attachments are child rows.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const OTHER_ATTACHMENT = "其他材料";

export interface AttachmentUpload {
  /** The required attachment it fulfils, or OTHER_ATTACHMENT. */
  name: string;
  fileName: string;
  bytes: Uint8Array;
}

/** The file type by its first bytes: PDF, JPEG, PNG, or an Office document (docx/xlsx are zip). */
export function sniffAttachmentType(bytes: Uint8Array, fileName: string): string | null {
  if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === "%PDF-") return "application/pdf";
  const image = sniffImageType(bytes);
  if (image === "image/jpeg" || image === "image/png") return image;
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    if (/\.docx$/i.test(fileName)) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (/\.xlsx$/i.test(fileName)) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return null;
}

function safeName(name: string): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  const base = name.replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}_-]+/gu, "_").slice(0, 60) || "附件";
  return m ? `${base}.${m[1].toLowerCase()}` : base;
}

async function loadCallForBid(trx: Executor, callId: string) {
  const call = await trx
    .selectFrom("calls")
    .select([
      "id",
      "title",
      "status",
      "opens_at as opensAt",
      "closes_at as closesAt",
      "action_type as actionType",
      "cap_fen as capFen",
      "eligible_org_types as eligibleOrgTypes",
      "eligible_district_ids as eligibleDistrictIds",
      sql<string>`project_start::text`.as("projectStart"),
      sql<string>`project_end::text`.as("projectEnd"),
      "required_attachments as requiredAttachments",
      "place_id as placeId",
    ])
    .where("id", "=", callId)
    .executeTakeFirst();
  if (!call) throw new DomainError("not_found", "招贤榜不存在");
  return call;
}

function requireOpen(call: { status: "draft" | "published" | "withdrawn"; opensAt: Date; closesAt: Date }, now: Date, doing: string) {
  const phase = callPhase(call, now);
  if (phase === "open") return;
  const why = { draft: "招贤榜尚未发布", upcoming: "招贤榜尚未开始受理申报", closed: `申报已于 ${formatDateTime(call.closesAt)} 截止`, withdrawn: "招贤榜已撤回" }[phase];
  throw new DomainError("conflict", `${why}，不能${doing}`);
}

/** The organisation may bid on the call: the actor is its member, it is verified and eligible. */
async function requireBidder(db: Executor, call: Awaited<ReturnType<typeof loadCallForBid>>, organisationId: string, userId: string | null) {
  if (!userId || !(await memberRole(db, organisationId, userId))) throw new DomainError("forbidden", "只有本组织成员可以申报");
  await assertCanBid(db, organisationId);
  const org = await db.selectFrom("organisations").select(["type", "place_id as placeId", "status"]).where("id", "=", organisationId).executeTakeFirstOrThrow();
  const why = ineligibility(org, call);
  if (why) throw new DomainError("forbidden", `不符合申报条件：${why}`);
}

async function lockBid(trx: Trx, bidId: string) {
  const bid = await trx
    .selectFrom("bids")
    .select(["id", "call_id as callId", "organisation_id as organisationId", "status", "project_name as projectName"])
    .where("id", "=", bidId)
    .forUpdate()
    .executeTakeFirst();
  if (!bid) throw new DomainError("not_found", "申报书不存在");
  return bid;
}

async function storeAttachments(trx: Trx, bidId: string, userId: string, requiredNames: readonly string[], uploads: readonly AttachmentUpload[], now: Date) {
  const allowed = new Set([...requiredNames, OTHER_ATTACHMENT]);
  for (const u of uploads) {
    if (!allowed.has(u.name)) throw new DomainError("invalid", `附件类别「${u.name}」不在本榜要求之列`);
    if (u.bytes.length > MAX_ATTACHMENT_BYTES) throw new DomainError("invalid", `附件「${u.fileName}」超过 10 MB`, { attachments: "单个附件不能超过 10 MB" });
    const type = sniffAttachmentType(u.bytes, u.fileName);
    if (!type) throw new DomainError("invalid", `附件「${u.fileName}」不是 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件`, { attachments: "文件类型不支持" });
  }
  for (const u of uploads) {
    const key = await fileStore().put(u.bytes);
    await trx
      .insertInto("bid_attachments")
      .values({
        bid_id: bidId,
        name: u.name,
        storage_key: key,
        content_type: sniffAttachmentType(u.bytes, u.fileName)!,
        byte_size: u.bytes.length,
        original_name: safeName(u.fileName),
        uploaded_by: userId,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["bid_id", "name"]).doUpdateSet((eb) => ({
          storage_key: eb.ref("excluded.storage_key"),
          content_type: eb.ref("excluded.content_type"),
          byte_size: eb.ref("excluded.byte_size"),
          original_name: eb.ref("excluded.original_name"),
          uploaded_by: eb.ref("excluded.uploaded_by"),
        })),
      )
      .execute();
  }
}

/**
 * Saves the organisation's bid on the call as a draft (creating it the first time). A submitted
 * bid is refused (withdraw it first); a withdrawn one becomes a draft again. Child rows are
 * replaced as a whole; attachments are added or replaced by name.
 */
export async function saveBidDraft(
  trx: Trx,
  ctx: AuditContext,
  target: { callId: string; organisationId: string },
  input: BidInput,
  uploads: readonly AttachmentUpload[],
  clock: Clock,
): Promise<{ id: string }> {
  const call = await loadCallForBid(trx, target.callId);
  const now = clock.now();
  requireOpen(call, now, "保存申报书");
  await requireBidder(trx, call, target.organisationId, ctx.userId);
  const callIssues = new Set((await trx.selectFrom("call_issues").select("issue_id").where("call_id", "=", call.id).execute()).map((r) => r.issue_id));
  if (input.issueIds.some((id) => !callIssues.has(id))) throw new DomainError("invalid", "只能选择本榜回应的议题", { issueIds: "只能选择本榜回应的议题" });

  const columns = {
    project_name: input.projectName,
    summary: input.summary,
    beneficiary_group: input.beneficiaryGroup,
    beneficiary_count: input.beneficiaryCount ?? null,
    plan: input.plan,
    action_type: call.actionType,
    lead_name: input.leadName,
    lead_phone: input.leadPhone,
    updated_at: now,
  };
  const existing = await trx.selectFrom("bids").select("id").where("call_id", "=", call.id).where("organisation_id", "=", target.organisationId).forUpdate().executeTakeFirst();
  let id: string;
  let created = false;
  if (existing) {
    const bid = await lockBid(trx, existing.id);
    if (bid.status === "submitted") throw new DomainError("conflict", "申报书已提交，不能修改；如需修改，请在截止前撤回后重新提交");
    await trx.updateTable("bids").set({ ...columns, status: "draft", withdrawn_at: null }).where("id", "=", bid.id).execute();
    id = bid.id;
  } else {
    const row = await trx
      .insertInto("bids")
      .values({ ...columns, call_id: call.id, organisation_id: target.organisationId, created_by: ctx.userId!, created_at: now })
      .onConflict((oc) => oc.columns(["call_id", "organisation_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) throw new DomainError("conflict", "本组织已有一份申报书，每个组织每个招贤榜只能申报一份");
    id = row.id;
    created = true;
  }
  await Promise.all([
    trx.deleteFrom("bid_issues").where("bid_id", "=", id).execute(),
    trx.deleteFrom("bid_budget_lines").where("bid_id", "=", id).execute(),
    trx.deleteFrom("bid_pledges").where("bid_id", "=", id).execute(),
    trx.deleteFrom("bid_milestones").where("bid_id", "=", id).execute(),
  ]);
  const issueIds = [...new Set(input.issueIds)];
  if (issueIds.length) await trx.insertInto("bid_issues").values(issueIds.map((issue_id) => ({ bid_id: id, issue_id }))).execute();
  if (input.lines.length) {
    await trx
      .insertInto("bid_budget_lines")
      .values(input.lines.map((l, position) => ({ bid_id: id, position, category: l.category, description: l.description, amount_fen: l.amountFen })))
      .execute();
  }
  if (input.pledges.length) {
    await trx
      .insertInto("bid_pledges")
      .values(input.pledges.map((p, position) => ({ bid_id: id, position, source: p.source, kind: p.kind, description: p.description, value_fen: p.valueFen })))
      .execute();
  }
  if (input.milestones.length) {
    await trx
      .insertInto("bid_milestones")
      .values(input.milestones.map((m, position) => ({ bid_id: id, position, title: m.title, deliverable: m.deliverable, due_date: m.dueDate, tranche_pct: m.tranchePct })))
      .execute();
  }
  await storeAttachments(trx, id, ctx.userId!, call.requiredAttachments, uploads, now);
  await audit(trx, ctx, {
    action: created ? "bid.create" : "bid.save",
    entityType: "bid",
    entityId: id,
    placeId: call.placeId,
    summary: {
      callId: call.id,
      organisationId: target.organisationId,
      after: { projectName: input.projectName, lines: input.lines.length, pledges: input.pledges.length, milestones: input.milestones.length, attachments: uploads.map((u) => u.name) },
    },
  });
  return { id };
}

/**
 * Submits a saved draft: only while the call is open (server time), and only when it passes every
 * rule of submissionErrors (total within the cap, milestones in the project period, tranches
 * making 100%, required attachments present); otherwise refused with the reasons per field.
 */
export async function submitBid(trx: Trx, ctx: AuditContext, bidId: string, clock: Clock): Promise<void> {
  const bid = await lockBid(trx, bidId);
  const call = await loadCallForBid(trx, bid.callId);
  const now = clock.now();
  requireOpen(call, now, "提交申报书");
  await requireBidder(trx, call, bid.organisationId, ctx.userId);
  if (bid.status === "submitted") throw new DomainError("conflict", "申报书已经提交");
  const detail = (await getBid(trx, bidId))!;
  const errors = submissionErrors(
    { ...detail, lines: detail.lines, milestones: detail.milestones, attachmentNames: detail.attachments.map((a) => a.name) },
    call,
  );
  if (Object.keys(errors).length > 0) throw new DomainError("invalid", "申报书还不能提交，请修改以下内容", errors);
  await trx.updateTable("bids").set({ status: "submitted", submitted_at: now, withdrawn_at: null, updated_at: now }).where("id", "=", bidId).execute();
  await audit(trx, ctx, {
    action: "bid.submit",
    entityType: "bid",
    entityId: bidId,
    placeId: call.placeId,
    summary: { callId: call.id, organisationId: bid.organisationId, before: { status: bid.status }, after: { status: "submitted", requestedFen: detail.requestedFen } },
  });
}

/** Withdraws a submitted bid before the deadline; it may be edited and submitted again while the call is open. */
export async function withdrawBid(trx: Trx, ctx: AuditContext, bidId: string, clock: Clock): Promise<void> {
  const bid = await lockBid(trx, bidId);
  const call = await loadCallForBid(trx, bid.callId);
  requireOpen(call, clock.now(), "撤回申报书");
  if (!ctx.userId || !(await memberRole(trx, bid.organisationId, ctx.userId))) throw new DomainError("forbidden", "只有本组织成员可以撤回申报书");
  if (bid.status !== "submitted") throw new DomainError("conflict", "只有已提交的申报书可以撤回");
  const now = clock.now();
  await trx.updateTable("bids").set({ status: "withdrawn", withdrawn_at: now, updated_at: now }).where("id", "=", bidId).execute();
  await audit(trx, ctx, { action: "bid.withdraw", entityType: "bid", entityId: bidId, placeId: call.placeId, summary: { callId: call.id, before: { status: "submitted" }, after: { status: "withdrawn" } } });
}

export interface BidDetail {
  id: string;
  callId: string;
  callTitle: string;
  organisationId: string;
  organisationName: string;
  status: BidStatus;
  projectName: string;
  summary: string;
  beneficiaryGroup: string;
  beneficiaryCount: number | null;
  plan: string;
  actionType: ActionTypeCode;
  leadName: string;
  leadPhone: string;
  submittedAt: Date | null;
  requestedFen: Fen;
  leveragedFen: Fen;
  issues: Array<{ id: string; title: string }>;
  lines: Array<{ category: BudgetCategory; description: string; amountFen: Fen }>;
  pledges: Array<{ source: string; kind: PledgeKind; description: string; valueFen: Fen }>;
  milestones: Array<{ title: string; deliverable: string; dueDate: string; tranchePct: number }>;
  attachments: Array<{ id: string; name: string; originalName: string; byteSize: number }>;
}

export async function getBid(db: Executor, bidId: string): Promise<BidDetail | undefined> {
  const bid = await db
    .selectFrom("bids as b")
    .innerJoin("calls as c", "c.id", "b.call_id")
    .innerJoin("organisations as o", "o.id", "b.organisation_id")
    .select([
      "b.id",
      "b.call_id as callId",
      "c.title as callTitle",
      "b.organisation_id as organisationId",
      "o.name as organisationName",
      "b.status",
      "b.project_name as projectName",
      "b.summary",
      "b.beneficiary_group as beneficiaryGroup",
      "b.beneficiary_count as beneficiaryCount",
      "b.plan",
      "b.action_type as actionType",
      "b.lead_name as leadName",
      "b.lead_phone as leadPhone",
      "b.submitted_at as submittedAt",
    ])
    .where("b.id", "=", bidId)
    .executeTakeFirst();
  if (!bid) return undefined;
  const [issues, lines, pledges, milestones, attachments] = await Promise.all([
    db.selectFrom("bid_issues as bi").innerJoin("issues as i", "i.id", "bi.issue_id").select(["i.id", "i.title"]).where("bi.bid_id", "=", bidId).orderBy("i.title").execute(),
    db.selectFrom("bid_budget_lines").select(["category", "description", "amount_fen as amountFen"]).where("bid_id", "=", bidId).orderBy("position").execute(),
    db.selectFrom("bid_pledges").select(["source", "kind", "description", "value_fen as valueFen"]).where("bid_id", "=", bidId).orderBy("position").execute(),
    db
      .selectFrom("bid_milestones")
      .select(["title", "deliverable", sql<string>`due_date::text`.as("dueDate"), "tranche_pct as tranchePct"])
      .where("bid_id", "=", bidId)
      .orderBy("position")
      .execute(),
    db.selectFrom("bid_attachments").select(["id", "name", "original_name as originalName", "byte_size as byteSize"]).where("bid_id", "=", bidId).orderBy("name").execute(),
  ]);
  return {
    ...bid,
    issues,
    lines,
    pledges,
    milestones,
    attachments,
    requestedFen: lines.reduce((s, l) => s + l.amountFen, 0),
    leveragedFen: pledges.reduce((s, p) => s + p.valueFen, 0),
  };
}

export async function findBid(db: Executor, callId: string, organisationId: string): Promise<string | undefined> {
  const row = await db.selectFrom("bids").select("id").where("call_id", "=", callId).where("organisation_id", "=", organisationId).executeTakeFirst();
  return row?.id;
}

export interface BidListItem {
  id: string;
  projectName: string;
  organisationId: string;
  organisationName: string;
  status: BidStatus;
  submittedAt: Date | null;
  requestedFen: Fen;
  leveragedFen: Fen;
}

/** The call's bids for the officer: submitted ones (and, with `all`, drafts and withdrawn ones). */
export async function listBidsForCall(db: Executor, callId: string, opts: { all?: boolean } = {}): Promise<BidListItem[]> {
  let q = db
    .selectFrom("bids as b")
    .innerJoin("organisations as o", "o.id", "b.organisation_id")
    .select([
      "b.id",
      "b.project_name as projectName",
      "b.organisation_id as organisationId",
      "o.name as organisationName",
      "b.status",
      "b.submitted_at as submittedAt",
      (eb) => eb.selectFrom("bid_budget_lines as l").select(sql<number>`coalesce(sum(l.amount_fen), 0)`.as("s")).whereRef("l.bid_id", "=", "b.id").as("requestedFen"),
      (eb) => eb.selectFrom("bid_pledges as p").select(sql<number>`coalesce(sum(p.value_fen), 0)`.as("s")).whereRef("p.bid_id", "=", "b.id").as("leveragedFen"),
    ])
    .where("b.call_id", "=", callId);
  if (!opts.all) q = q.where("b.status", "=", "submitted");
  const rows = await q.orderBy("b.submitted_at").orderBy("b.id").execute();
  return rows.map((r) => ({ ...r, requestedFen: Number(r.requestedFen ?? 0), leveragedFen: Number(r.leveragedFen ?? 0) }));
}

/** The organisations of which the person is a member, with whether each may bid on the call and why not. */
export async function bidderOrganisations(db: Executor, callId: string, userId: string) {
  const call = await loadCallForBid(db, callId);
  const orgs = await db
    .selectFrom("organisation_members as m")
    .innerJoin("organisations as o", "o.id", "m.organisation_id")
    .leftJoin("bids as b", (j) => j.onRef("b.organisation_id", "=", "o.id").on("b.call_id", "=", callId))
    .select(["o.id", "o.name", "o.type", "o.place_id as placeId", "o.status", "b.id as bidId", "b.status as bidStatus"])
    .where("m.user_id", "=", userId)
    .orderBy("o.name")
    .execute();
  return orgs.map((o) => ({ id: o.id, name: o.name, bidId: o.bidId, bidStatus: o.bidStatus, ineligible: ineligibility(o, call) }));
}

/** An attachment for download, if the viewer may see the bid (checked by the caller). */
export async function getAttachment(db: Executor, attachmentId: string) {
  return db
    .selectFrom("bid_attachments as a")
    .innerJoin("bids as b", "b.id", "a.bid_id")
    .select(["a.id", "a.bid_id as bidId", "b.organisation_id as organisationId", "b.call_id as callId", "a.storage_key as key", "a.content_type as contentType", "a.original_name as name"])
    .where("a.id", "=", attachmentId)
    .executeTakeFirst();
}
