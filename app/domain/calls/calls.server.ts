import { sql } from "kysely";
import type { ActionTypeCode, CallChangeKind, CallStatus } from "../../../db/schema";
import { formatDateTime } from "../../lib/dates";
import { formatYuan, type Fen } from "../../lib/money";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { listReadyForCall, transitionIssue } from "../issues/issues.server";
import { lockPool, poolBalance } from "../ledger/ledger.server";
import { notify } from "../notifications/notifications.server";
import { districtOptions } from "../organisations/organisations.server";
import { LEVEL_LABELS, placeOptions } from "../places/places.server";
import { ACTION_TYPE_INFO } from "../vocabulary";
import { callPhase, type CallPhase } from "./rules";
import type { CallInput } from "./schema";

/**
 * Calls (招贤榜): drafted by a bureau officer or liaison for their place, published (pool checked
 * under its row lock, answered issues moved to 招募中, eligible organisations told), then only
 * extended or withdrawn — each such change a call_changes row shown on the call's page.
 */

const PUBLISHED_IS_FIXED = "已发布的招贤榜不能直接修改，只能延长截止时间或撤回";

export interface CallCriterion {
  position: number;
  name: string;
  description: string;
  weight: number;
}

export interface CallDetail {
  id: string;
  placeId: number;
  placeName: string;
  placePath: string;
  title: string;
  description: string;
  actionType: ActionTypeCode;
  poolId: string;
  poolName: string;
  poolSource: string;
  capFen: Fen;
  totalBudgetFen: Fen;
  eligibleOrgTypes: string[];
  eligibleDistrictIds: number[];
  opensAt: Date;
  closesAt: Date;
  projectStart: string;
  projectEnd: string;
  requiredAttachments: string[];
  reviewersPerBid: number;
  publicityWorkingDays: number;
  status: CallStatus;
  withdrawnReason: string | null;
  createdBy: string;
  publishedAt: Date | null;
  criteria: CallCriterion[];
  issues: Array<{ id: string; title: string; placeName: string; status: string }>;
  eligibleDistricts: Array<{ id: number; name: string }>;
}

function callQuery(db: Executor) {
  return db
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .innerJoin("funding_pools as f", "f.id", "c.pool_id")
    .select([
      "c.id",
      "c.place_id as placeId",
      "p.name as placeName",
      "p.path as placePath",
      "c.title",
      "c.description",
      "c.action_type as actionType",
      "c.pool_id as poolId",
      "f.name as poolName",
      "f.source as poolSource",
      "c.cap_fen as capFen",
      "c.total_budget_fen as totalBudgetFen",
      "c.eligible_org_types as eligibleOrgTypes",
      "c.eligible_district_ids as eligibleDistrictIds",
      "c.opens_at as opensAt",
      "c.closes_at as closesAt",
      sql<string>`c.project_start::text`.as("projectStart"),
      sql<string>`c.project_end::text`.as("projectEnd"),
      "c.required_attachments as requiredAttachments",
      "c.reviewers_per_bid as reviewersPerBid",
      "c.publicity_working_days as publicityWorkingDays",
      "c.status",
      "c.withdrawn_reason as withdrawnReason",
      "c.created_by as createdBy",
      "c.published_at as publishedAt",
    ]);
}

export async function getCall(db: Executor, id: string): Promise<CallDetail | undefined> {
  const call = await callQuery(db).where("c.id", "=", id).executeTakeFirst();
  if (!call) return undefined;
  const [criteria, issues, districts] = await Promise.all([
    db.selectFrom("call_criteria").select(["position", "name", "description", "weight"]).where("call_id", "=", id).orderBy("position").execute(),
    db
      .selectFrom("call_issues as ci")
      .innerJoin("issues as i", "i.id", "ci.issue_id")
      .innerJoin("places as p", "p.id", "i.place_id")
      .select(["i.id", "i.title", "p.name as placeName", "i.status"])
      .where("ci.call_id", "=", id)
      .orderBy("i.title")
      .execute(),
    call.eligibleDistrictIds.length > 0
      ? db.selectFrom("places").select(["id", "name"]).where("id", "in", call.eligibleDistrictIds).orderBy("code").execute()
      : Promise.resolve([]),
  ]);
  return { ...call, criteria, issues, eligibleDistricts: districts };
}

/** Where the call is, for requirePermission before anything else is loaded. */
export async function callScope(db: Executor, id: string): Promise<{ placePath: string } | undefined> {
  const row = await db.selectFrom("calls as c").innerJoin("places as p", "p.id", "c.place_id").select("p.path").where("c.id", "=", id).executeTakeFirst();
  return row ? { placePath: row.path } : undefined;
}

async function lockCall(trx: Trx, id: string) {
  const call = await trx
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .select([
      "c.id",
      "c.title",
      "c.status",
      "c.place_id as placeId",
      "p.path as placePath",
      "c.pool_id as poolId",
      "c.total_budget_fen as totalBudgetFen",
      "c.opens_at as opensAt",
      "c.closes_at as closesAt",
      "c.action_type as actionType",
      "c.eligible_org_types as eligibleOrgTypes",
      "c.eligible_district_ids as eligibleDistrictIds",
    ])
    .where("c.id", "=", id)
    .forUpdate("c")
    .executeTakeFirst();
  if (!call) throw new DomainError("not_found", "招贤榜不存在");
  return call;
}

function requireCallPermission(actor: Principal, placePath: string, placeName = "该地区") {
  if (!can(actor, "call.publish", { placePath })) throw new DomainError("forbidden", `您不能为${placeName}发布招贤榜`);
}

async function recordChange(trx: Trx, callId: string, kind: CallChangeKind, at: Date, actorId: string | null, change: { before?: object; after?: object; reason?: string | null }) {
  await trx
    .insertInto("call_changes")
    .values({
      call_id: callId,
      kind,
      at,
      actor_id: actorId,
      before: JSON.stringify(change.before ?? {}),
      after: JSON.stringify(change.after ?? {}),
      reason: change.reason ?? null,
    })
    .execute();
}

/**
 * Checks the parts of a draft that depend on data: the place may be acted on, the pool belongs to
 * the place or one of its ancestors, the answered issues are ready for a call under the place,
 * the districts are districts.
 */
async function checkDraft(trx: Trx, actor: Principal, input: CallInput & { existingCallId?: string }) {
  const place = await trx.selectFrom("places").select(["id", "name", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place) throw new DomainError("invalid", "地区不存在", { placeId: "地区不存在" });
  requireCallPermission(actor, place.path, `「${place.name}」`);
  const pool = await trx
    .selectFrom("funding_pools as f")
    .innerJoin("places as p", "p.id", "f.place_id")
    .select(["f.id", "f.name", "p.path"])
    .where("f.id", "=", input.poolId)
    .executeTakeFirst();
  if (!pool) throw new DomainError("invalid", "资金池不存在", { poolId: "资金池不存在" });
  if (!place.path.startsWith(pool.path)) {
    throw new DomainError("invalid", `资金池「${pool.name}」不属于「${place.name}」或其上级地区`, { poolId: "请选择本地区或上级地区的资金池" });
  }
  if (input.issueIds.length > 0) {
    const ready = new Set((await listReadyForCall(trx, place.path)).map((i) => i.issueId));
    const own = new Set(
      input.existingCallId
        ? (await trx.selectFrom("call_issues").select("issue_id").where("call_id", "=", input.existingCallId).execute()).map((r) => r.issue_id)
        : [],
    );
    if (input.issueIds.some((id) => !ready.has(id) && !own.has(id))) {
      throw new DomainError("invalid", "所选议题不在本地区“待转入创投”的清单中", { issueIds: "请从待转入创投的议题中选择" });
    }
  }
  if (input.eligibleDistrictIds.length > 0) {
    const n = await trx.selectFrom("places").select((eb) => eb.fn.countAll<number>().as("n")).where("id", "in", input.eligibleDistrictIds).where("level", "=", "district").executeTakeFirstOrThrow();
    if (Number(n.n) !== new Set(input.eligibleDistrictIds).size) throw new DomainError("invalid", "可申报区县中有不是区县的地区", { eligibleDistrictIds: "请选择区县" });
  }
  return place;
}

function callColumns(input: CallInput) {
  return {
    place_id: input.placeId,
    title: input.title,
    description: input.description,
    action_type: input.actionType,
    pool_id: input.poolId,
    cap_fen: input.cap,
    total_budget_fen: input.totalBudget,
    eligible_org_types: input.eligibleOrgTypes,
    eligible_district_ids: [...new Set(input.eligibleDistrictIds)],
    opens_at: input.opensAt,
    closes_at: input.closesAt,
    project_start: input.projectStart,
    project_end: input.projectEnd,
    required_attachments: input.requiredAttachments,
    reviewers_per_bid: input.reviewersPerBid,
    publicity_working_days: input.publicityWorkingDays,
  };
}

async function writeChildren(trx: Trx, callId: string, input: CallInput) {
  await trx.deleteFrom("call_criteria").where("call_id", "=", callId).execute();
  await trx.deleteFrom("call_issues").where("call_id", "=", callId).execute();
  await trx
    .insertInto("call_criteria")
    .values(input.criteria.map((c, position) => ({ call_id: callId, position, name: c.name, description: c.description, weight: c.weight })))
    .execute();
  const issueIds = [...new Set(input.issueIds)];
  if (issueIds.length > 0) await trx.insertInto("call_issues").values(issueIds.map((issue_id) => ({ call_id: callId, issue_id }))).execute();
}

/** Saves a new draft call, or changes a draft; a published or withdrawn call is refused. */
export async function saveCallDraft(trx: Trx, ctx: AuditContext, actor: Principal, input: CallInput & { existingCallId?: string }, clock: Clock): Promise<{ id: string }> {
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  let before: { status: CallStatus; placePath: string } | undefined;
  if (input.existingCallId) {
    before = await lockCall(trx, input.existingCallId);
    requireCallPermission(actor, before.placePath);
    if (before.status !== "draft") throw new DomainError("conflict", PUBLISHED_IS_FIXED);
  }
  const place = await checkDraft(trx, actor, input);
  const now = clock.now();
  const id = input.existingCallId
    ? (await trx.updateTable("calls").set({ ...callColumns(input), updated_at: now }).where("id", "=", input.existingCallId).returning("id").executeTakeFirstOrThrow()).id
    : (await trx.insertInto("calls").values({ ...callColumns(input), created_by: ctx.userId, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  await writeChildren(trx, id, input);
  await audit(trx, ctx, {
    action: input.existingCallId ? "call.update_draft" : "call.create_draft",
    entityType: "call",
    entityId: id,
    placeId: place.id,
    summary: { after: { title: input.title, poolId: input.poolId, capFen: input.cap, totalBudgetFen: input.totalBudget, issueIds: input.issueIds } },
  });
  return { id };
}

/** Members of verified organisations the call's eligibility admits: who is told about a new call. */
async function eligibleMemberIds(db: Executor, call: { placePath: string; eligibleOrgTypes: string[]; eligibleDistrictIds: number[] }): Promise<string[]> {
  let q = db
    .selectFrom("organisation_members as m")
    .innerJoin("organisations as o", "o.id", "m.organisation_id")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select("m.user_id")
    .where("o.status", "=", "verified");
  if (call.eligibleOrgTypes.length > 0) q = q.where("o.type", "in", call.eligibleOrgTypes);
  if (call.eligibleDistrictIds.length > 0) q = q.where("o.place_id", "in", call.eligibleDistrictIds);
  return (await q.distinct().execute()).map((r) => r.user_id);
}

/**
 * Publishes a draft. Under the pool's row lock, the call's total budget must not exceed what the
 * pool has available; the closing time must still be ahead. The answered issues move to 招募中
 * (they must still be 已议定), and members of eligible verified organisations are notified.
 */
export async function publishCall(trx: Trx, ctx: AuditContext, actor: Principal, callId: string, clock: Clock): Promise<void> {
  const call = await lockCall(trx, callId);
  requireCallPermission(actor, call.placePath);
  if (call.status !== "draft") throw new DomainError("conflict", call.status === "published" ? "该招贤榜已经发布" : "该招贤榜已撤回");
  const now = clock.now();
  if (call.closesAt.getTime() <= now.getTime()) throw new DomainError("invalid", "截止时间已过，请先修改截止时间再发布", { closesAt: "截止时间应晚于现在" });
  await lockPool(trx, call.poolId);
  const balance = await poolBalance(trx, call.poolId);
  if (call.totalBudgetFen > balance.available) {
    throw new DomainError("conflict", `总预算 ${formatYuan(call.totalBudgetFen)} 超过资金池当前可用余额 ${formatYuan(balance.available)}`, { totalBudget: "超过资金池可用余额" });
  }
  await trx.updateTable("calls").set({ status: "published", published_at: now, published_by: ctx.userId, updated_at: now }).where("id", "=", callId).execute();
  const issues = await trx.selectFrom("call_issues").select("issue_id").where("call_id", "=", callId).execute();
  for (const { issue_id } of issues) {
    await transitionIssue(trx, ctx, issue_id, "in_call", { note: `招贤榜「${call.title}」已发布，招募社会组织承接` }, clock);
  }
  await recordChange(trx, callId, "publish", now, ctx.userId, {
    after: { closesAt: call.closesAt.toISOString(), totalBudgetFen: call.totalBudgetFen, poolAvailableFen: balance.available },
  });
  const recipients = await eligibleMemberIds(trx, call);
  await notify(
    trx,
    recipients,
    {
      kind: "call.published",
      title: `新的招贤榜：${call.title}`,
      body: `${ACTION_TYPE_INFO[call.actionType].name} · 截止 ${formatDateTime(call.closesAt)}`,
      link: `/calls/${callId}`,
    },
    now,
  );
  await audit(trx, ctx, {
    action: "call.publish",
    entityType: "call",
    entityId: callId,
    placeId: call.placeId,
    summary: { after: { status: "published" }, issues: issues.length, notified: recipients.length, poolAvailableFen: balance.available },
  });
}

async function bidderIds(trx: Trx, callId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("bids as b")
    .innerJoin("organisation_members as m", "m.organisation_id", "b.organisation_id")
    .select("m.user_id")
    .where("b.call_id", "=", callId)
    .where("b.status", "in", ["draft", "submitted"])
    .distinct()
    .execute();
  return rows.map((r) => r.user_id);
}

/** Moves the deadline later (never earlier), with a reason kept in the call's change history. */
export async function extendCall(trx: Trx, ctx: AuditContext, actor: Principal, callId: string, input: { closesAt: Date; reason: string }, clock: Clock): Promise<void> {
  const call = await lockCall(trx, callId);
  requireCallPermission(actor, call.placePath);
  if (call.status !== "published") throw new DomainError("conflict", "只有已发布的招贤榜可以延期");
  const now = clock.now();
  if (input.closesAt.getTime() <= call.closesAt.getTime() || input.closesAt.getTime() <= now.getTime()) {
    throw new DomainError("invalid", "新的截止时间应晚于原截止时间和现在", { closesAt: `请选择 ${formatDateTime(call.closesAt)} 之后的时间` });
  }
  await trx.updateTable("calls").set({ closes_at: input.closesAt, updated_at: now }).where("id", "=", callId).execute();
  await recordChange(trx, callId, "extend", now, ctx.userId, {
    before: { closesAt: call.closesAt.toISOString() },
    after: { closesAt: input.closesAt.toISOString() },
    reason: input.reason,
  });
  await notify(trx, await bidderIds(trx, callId), { kind: "call.extended", title: `招贤榜「${call.title}」截止时间延长至 ${formatDateTime(input.closesAt)}`, body: input.reason, link: `/calls/${callId}` }, now);
  await audit(trx, ctx, {
    action: "call.extend",
    entityType: "call",
    entityId: callId,
    placeId: call.placeId,
    summary: { before: { closesAt: call.closesAt.toISOString() }, after: { closesAt: input.closesAt.toISOString() }, reason: input.reason },
  });
}

/**
 * Withdraws a published call with a reason: its issues go back to 已议定 to wait for another call,
 * and every organisation with a bid on it is told. Bids stay as they were, for the record.
 */
export async function withdrawCall(trx: Trx, ctx: AuditContext, actor: Principal, callId: string, reason: string, clock: Clock): Promise<void> {
  const call = await lockCall(trx, callId);
  requireCallPermission(actor, call.placePath);
  if (call.status !== "published") throw new DomainError("conflict", call.status === "draft" ? "草稿无需撤回" : "该招贤榜已撤回");
  const now = clock.now();
  await trx.updateTable("calls").set({ status: "withdrawn", withdrawn_reason: reason, updated_at: now }).where("id", "=", callId).execute();
  const issues = await trx
    .selectFrom("call_issues as ci")
    .innerJoin("issues as i", "i.id", "ci.issue_id")
    .select("i.id")
    .where("ci.call_id", "=", callId)
    .where("i.status", "=", "in_call")
    .execute();
  for (const { id } of issues) await transitionIssue(trx, ctx, id, "decided", { note: `招贤榜「${call.title}」已撤回：${reason}` }, clock);
  await recordChange(trx, callId, "withdraw", now, ctx.userId, { before: { status: "published" }, after: { status: "withdrawn" }, reason });
  await notify(trx, await bidderIds(trx, callId), { kind: "call.withdrawn", title: `招贤榜「${call.title}」已撤回`, body: reason, link: `/calls/${callId}` }, now);
  await audit(trx, ctx, { action: "call.withdraw", entityType: "call", entityId: callId, placeId: call.placeId, summary: { before: { status: "published" }, after: { status: "withdrawn" }, reason } });
}

export interface CallChange {
  id: number;
  kind: CallChangeKind;
  at: Date;
  actorName: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  reason: string | null;
}

export async function listCallChanges(db: Executor, callId: string): Promise<CallChange[]> {
  return db
    .selectFrom("call_changes as c")
    .leftJoin("users as u", "u.id", "c.actor_id")
    .select(["c.id", "c.kind", "c.at", "u.display_name as actorName", "c.before", "c.after", "c.reason"])
    .where("c.call_id", "=", callId)
    .orderBy("c.id")
    .execute();
}

export interface CallListItem {
  id: string;
  title: string;
  placeName: string;
  actionType: ActionTypeCode;
  capFen: Fen;
  totalBudgetFen: Fen;
  opensAt: Date;
  closesAt: Date;
  status: CallStatus;
  phase: CallPhase;
  bidCount: number;
}

/**
 * Published calls (and withdrawn ones, marked) around a place, open ones first by deadline; with
 * `openOnly` only those taking bids now. Staff also get their drafts via `draftsFor`.
 */
export async function listCalls(
  db: Executor,
  opts: { placePath?: string; openOnly?: boolean; draftsFor?: readonly string[]; limit?: number },
  clock: Clock,
): Promise<CallListItem[]> {
  const now = clock.now();
  let q = db
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .select([
      "c.id",
      "c.title",
      "p.name as placeName",
      "c.action_type as actionType",
      "c.cap_fen as capFen",
      "c.total_budget_fen as totalBudgetFen",
      "c.opens_at as opensAt",
      "c.closes_at as closesAt",
      "c.status",
      (eb) =>
        eb
          .selectFrom("bids as b")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("b.call_id", "=", "c.id")
          .where("b.status", "=", "submitted")
          .as("bidCount"),
    ]);
  // A place's calls are those for it, for the places above it (a city's call reaches every
  // community) and for the places below it.
  if (opts.placePath) {
    const path = opts.placePath;
    q = q.where((eb) => eb.or([eb("p.path", "like", `${path}%`), eb(sql<string>`${path}`, "like", sql<string>`p.path || '%'`)]));
  }
  const drafts = opts.draftsFor ?? [];
  q = q.where((eb) =>
    eb.or([eb("c.status", "!=", "draft"), ...(drafts.length > 0 ? [eb.and([eb("c.status", "=", "draft"), eb.or(drafts.map((d) => eb("p.path", "like", `${d}%`)))])] : [])]),
  );
  if (opts.openOnly) q = q.where("c.status", "=", "published").where("c.opens_at", "<=", now).where("c.closes_at", ">", now);
  const rows = await q
    .orderBy(sql`case when c.status = 'published' and c.closes_at > ${now} then 0 when c.status = 'draft' then 1 else 2 end`)
    .orderBy("c.closes_at", "desc")
    .limit(opts.limit ?? 100)
    .execute();
  return rows.map((r) => ({ ...r, bidCount: Number(r.bidCount ?? 0), phase: callPhase(r, now) }));
}

/** Pools a call for the place may draw on: the place's own and its ancestors', with what is available. */
export async function poolOptionsFor(db: Executor, placePaths: readonly string[]) {
  if (placePaths.length === 0) return [];
  const rows = await db
    .selectFrom("funding_pools as f")
    .innerJoin("places as p", "p.id", "f.place_id")
    .select(["f.id", "f.name", "p.name as placeName", "p.path"])
    .orderBy("p.path")
    .orderBy("f.name")
    .execute();
  // A pool serves its place and everything below it; keep the pools whose place covers one of the caller's places.
  return rows.filter((r) => placePaths.some((pp) => pp.startsWith(r.path) || r.path.startsWith(pp)));
}

/** What the call form offers an officer or liaison acting within the given places. */
export async function callFormOptions(db: Executor, placePaths: readonly string[]) {
  const [places, pools, districts, ready] = await Promise.all([
    Promise.all(placePaths.map((under) => placeOptions(db, { under, maxLevel: "street" }))).then((l) => l.flat()),
    poolOptionsFor(db, placePaths),
    districtOptions(db),
    Promise.all(placePaths.map((p) => listReadyForCall(db, p))).then((l) => l.flat()),
  ]);
  const seen = new Set<string>();
  return {
    places: places.map((p) => ({ value: String(p.id), label: `${"　".repeat(p.depth)}${p.name}（${LEVEL_LABELS[p.level]}）` })),
    pools: pools.map((p) => ({ value: p.id, label: `${p.name}（${p.placeName}）` })),
    districts,
    readyIssues: ready
      .filter((i) => !seen.has(i.issueId) && seen.add(i.issueId))
      .map((i) => ({ id: i.issueId, label: `${i.title}（${i.placeName} · ${ACTION_TYPE_INFO[i.actionType].name} · 预算估算 ${formatYuan(i.budgetEstimateFen)}）` })),
  };
}
