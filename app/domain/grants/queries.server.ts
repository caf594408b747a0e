import { sql } from "kysely";
import type { ActionTypeCode, DisbursementStatus, GrantStatus, MilestoneReportStatus, MilestoneStatus, ObjectionStatus, Place } from "../../../db/schema";
import type { Fen } from "../../lib/money";
import type { Executor } from "../../platform/db.server";
import { grantBalance, type GrantBalance } from "../ledger/ledger.server";
import { averageRating, progressPct } from "./rules";
import { evaluationStats } from "./grants.server";

/** What the grant pages read: the agreement, the public project page, the 公示 list, the review queues. */

export interface GrantDetail {
  id: string;
  callId: string;
  callTitle: string;
  bidId: string;
  organisationId: string;
  organisationName: string;
  poolId: string;
  poolName: string;
  placeName: string;
  placePath: string;
  projectName: string;
  summary: string;
  plan: string;
  actionType: ActionTypeCode;
  amountFen: Fen;
  status: GrantStatus;
  awardedAt: Date;
  publicityEndsAt: Date;
  establishedAt: Date | null;
  evaluationEndsAt: Date | null;
  closedAt: Date | null;
  endedReason: string | null;
  dualApprovalThresholdFen: Fen;
  balance: GrantBalance;
  progress: number;
  milestones: Array<{ position: number; title: string; deliverable: string; dueDate: string; tranchePct: number; trancheFen: Fen; status: MilestoneStatus; paid: boolean }>;
  issues: Array<{ id: string; title: string; placeName: string; status: string }>;
  budgetLines: Array<{ category: string; description: string; amountFen: Fen }>;
  pledges: Array<{ source: string; kind: "cash" | "in_kind"; description: string; valueFen: Fen }>;
  leveragedFen: Fen;
  events: Array<{ id: number; at: Date; kind: string; note: string; actorName: string | null }>;
  evaluation: { count: number; satisfaction: number | null; solved: number | null };
}

export async function getGrant(db: Executor, grantId: string): Promise<GrantDetail | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(grantId)) return undefined;
  const g = await db
    .selectFrom("grants as g")
    .innerJoin("calls as c", "c.id", "g.call_id")
    .innerJoin("bids as b", "b.id", "g.bid_id")
    .innerJoin("organisations as o", "o.id", "g.organisation_id")
    .innerJoin("funding_pools as f", "f.id", "g.pool_id")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select([
      "g.id",
      "g.call_id as callId",
      "c.title as callTitle",
      "g.bid_id as bidId",
      "g.organisation_id as organisationId",
      "o.name as organisationName",
      "g.pool_id as poolId",
      "f.name as poolName",
      "f.dual_approval_threshold_fen as dualApprovalThresholdFen",
      "p.name as placeName",
      "p.path as placePath",
      "g.project_name as projectName",
      "b.summary",
      "b.plan",
      "g.action_type as actionType",
      "g.amount_fen as amountFen",
      "g.status",
      "g.awarded_at as awardedAt",
      "g.publicity_ends_at as publicityEndsAt",
      "g.established_at as establishedAt",
      "g.evaluation_ends_at as evaluationEndsAt",
      "g.closed_at as closedAt",
      "g.ended_reason as endedReason",
    ])
    .where("g.id", "=", grantId)
    .executeTakeFirst();
  if (!g) return undefined;
  const [milestones, paid, issues, budgetLines, pledges, events, balance, evaluation] = await Promise.all([
    db
      .selectFrom("grant_milestones")
      .select(["position", "title", "deliverable", sql<string>`due_date::text`.as("dueDate"), "tranche_pct as tranchePct", "tranche_fen as trancheFen", "status"])
      .where("grant_id", "=", grantId)
      .orderBy("position")
      .execute(),
    db.selectFrom("disbursements").select("position").where("grant_id", "=", grantId).where("status", "=", "paid").execute(),
    db
      .selectFrom("grant_issues as gi")
      .innerJoin("issues as i", "i.id", "gi.issue_id")
      .innerJoin("places as p", "p.id", "i.place_id")
      .select(["i.id", "i.title", "p.name as placeName", "i.status"])
      .where("gi.grant_id", "=", grantId)
      .orderBy("i.title")
      .execute(),
    db.selectFrom("bid_budget_lines").select(["category", "description", "amount_fen as amountFen"]).where("bid_id", "=", g.bidId).orderBy("position").execute(),
    db.selectFrom("bid_pledges").select(["source", "kind", "description", "value_fen as valueFen"]).where("bid_id", "=", g.bidId).orderBy("position").execute(),
    db
      .selectFrom("grant_events as e")
      .leftJoin("users as u", "u.id", "e.actor_id")
      .select(["e.id", "e.at", "e.kind", "e.note", "u.display_name as actorName"])
      .where("e.grant_id", "=", grantId)
      .orderBy("e.id")
      .execute(),
    grantBalance(db, grantId),
    evaluationStats(db, grantId),
  ]);
  const paidSet = new Set(paid.map((p) => p.position));
  return {
    ...g,
    milestones: milestones.map((m) => ({ ...m, paid: paidSet.has(m.position) })),
    progress: progressPct(milestones),
    issues,
    budgetLines,
    pledges,
    leveragedFen: pledges.reduce((s, p) => s + p.valueFen, 0),
    events,
    balance,
    evaluation,
  };
}

export interface ReportView {
  id: string;
  position: number;
  milestoneTitle: string;
  status: MilestoneReportStatus;
  narrative: string;
  beneficiaryCount: number;
  beneficiaryGroup: string;
  activities: Array<{ date: string; description: string }>;
  spending: Array<{ category: string; description: string; amountFen: number }>;
  inKindReceived: string;
  submittedAt: Date;
  submittedBy: string;
  liaisonComment: string | null;
  officerComment: string | null;
  evidence: Array<{ id: string; name: string }>;
}

/** The grant's reports, newest first; `approvedOnly` for the public page. */
export async function listReports(db: Executor, grantId: string, opts: { approvedOnly?: boolean } = {}): Promise<ReportView[]> {
  let q = db
    .selectFrom("milestone_reports as r")
    .innerJoin("grant_milestones as m", (j) => j.onRef("m.grant_id", "=", "r.grant_id").onRef("m.position", "=", "r.position"))
    .innerJoin("users as u", "u.id", "r.submitted_by")
    .select([
      "r.id",
      "r.position",
      "m.title as milestoneTitle",
      "r.status",
      "r.narrative",
      "r.beneficiary_count as beneficiaryCount",
      "r.beneficiary_group as beneficiaryGroup",
      "r.activities",
      "r.spending",
      "r.in_kind_received as inKindReceived",
      "r.submitted_at as submittedAt",
      "u.display_name as submittedBy",
      "r.liaison_comment as liaisonComment",
      "r.officer_comment as officerComment",
    ])
    .where("r.grant_id", "=", grantId);
  if (opts.approvedOnly) q = q.where("r.status", "=", "approved");
  const reports = await q.orderBy("r.submitted_at", "desc").execute();
  if (reports.length === 0) return [];
  const evidence = await db
    .selectFrom("report_evidence")
    .select(["id", "report_id", "original_name as name"])
    .where(
      "report_id",
      "in",
      reports.map((r) => r.id),
    )
    .orderBy("created_at")
    .execute();
  return reports.map((r) => ({ ...r, evidence: evidence.filter((e) => e.report_id === r.id).map((e) => ({ id: e.id, name: e.name })) }));
}

export interface DisbursementView {
  id: string;
  position: number;
  amountFen: Fen;
  paymentReference: string;
  status: DisbursementStatus;
  requestedBy: string;
  requestedById: string;
  requestedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

export async function listDisbursements(db: Executor, grantId: string): Promise<DisbursementView[]> {
  return db
    .selectFrom("disbursements as d")
    .innerJoin("users as r", "r.id", "d.requested_by")
    .leftJoin("users as a", "a.id", "d.approved_by")
    .select([
      "d.id",
      "d.position",
      "d.amount_fen as amountFen",
      "d.payment_reference as paymentReference",
      "d.status",
      "r.display_name as requestedBy",
      "d.requested_by as requestedById",
      "d.requested_at as requestedAt",
      "a.display_name as approvedBy",
      "d.approved_at as approvedAt",
    ])
    .where("d.grant_id", "=", grantId)
    .orderBy("d.requested_at")
    .execute();
}

export interface ObjectionView {
  id: string;
  grantId: string;
  reason: string;
  status: ObjectionStatus;
  reply: string | null;
  createdAt: Date;
  answeredAt: Date | null;
  hasAttachment: boolean;
}

export async function listObjections(db: Executor, grantIds: readonly string[]): Promise<ObjectionView[]> {
  if (grantIds.length === 0) return [];
  return db
    .selectFrom("grant_objections")
    .select([
      "id",
      "grant_id as grantId",
      "reason",
      "status",
      "reply",
      "created_at as createdAt",
      "answered_at as answeredAt",
      sql<boolean>`attachment_key is not null`.as("hasAttachment"),
    ])
    .where("grant_id", "in", grantIds)
    .orderBy("created_at")
    .execute();
}

export interface GrantListItem {
  id: string;
  callId: string;
  projectName: string;
  organisationId: string;
  organisationName: string;
  placeName: string;
  actionType: ActionTypeCode;
  amountFen: Fen;
  status: GrantStatus;
  awardedAt: Date;
  publicityEndsAt: Date;
  bidId: string;
  issues: Array<{ id: string; title: string }>;
}

function grantListQuery(db: Executor) {
  return db
    .selectFrom("grants as g")
    .innerJoin("organisations as o", "o.id", "g.organisation_id")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select([
      "g.id",
      "g.call_id as callId",
      "g.project_name as projectName",
      "g.organisation_id as organisationId",
      "o.name as organisationName",
      "p.name as placeName",
      "g.action_type as actionType",
      "g.amount_fen as amountFen",
      "g.status",
      "g.awarded_at as awardedAt",
      "g.publicity_ends_at as publicityEndsAt",
      "g.bid_id as bidId",
      sql<Array<{ id: string; title: string }>>`coalesce((
        select json_agg(json_build_object('id', i.id, 'title', i.title) order by i.title)
        from grant_issues gi join issues i on i.id = gi.issue_id where gi.grant_id = g.id), '[]'::json)`.as("issues"),
    ]);
}

export async function listCallGrants(db: Executor, callId: string): Promise<GrantListItem[]> {
  return grantListQuery(db).where("g.call_id", "=", callId).orderBy("g.awarded_at").execute();
}

/**
 * Recent projects for a place: grants of calls in the place or above it whose issues lie in it
 * (or, for a grant without issues, whose call is in it), newest first. Withdrawn awards are left out.
 */
export async function listRecentGrants(db: Executor, opts: { place?: Pick<Place, "path" | "level">; limit?: number } = {}): Promise<GrantListItem[]> {
  // A literal, not a parameter: a prepared statement's generic plan could not use grants_recent_idx.
  let q = grantListQuery(db).where(sql<boolean>`g.status <> 'withdrawn'`);
  const place = opts.place;
  if (place && (place.level === "community" || place.level === "street")) {
    // A small place: its grants' ids first, from the two indexed ways in (the grant's place, its
    // issues' places). Walking all grants newest first would pass ~20,000 for a quiet community.
    const placesUnder = db.selectFrom("places as pu").select("pu.id").where("pu.path", "like", `${place.path}%`);
    q = q.where("g.id", "in", (eb) =>
      eb
        .selectFrom("grants as g2")
        .select("g2.id")
        .where("g2.place_id", "in", placesUnder)
        .union(
          eb
            .selectFrom("grant_issues as gi")
            .innerJoin("issues as i", "i.id", "gi.issue_id")
            .select("gi.grant_id as id")
            .where("i.place_id", "in", placesUnder),
        ),
    );
  } else if (place) {
    // A 区县 or larger: newest first along grants_recent_idx, each grant checked until enough are
    // found (listing a district's 46,000 issues to find their grants took 200 ms).
    const under = `${place.path}%`;
    q = q.where((eb) =>
      eb.or([
        eb("p.path", "like", under),
        eb.exists(
          eb
            .selectFrom("grant_issues as gi")
            .innerJoin("issues as i", "i.id", "gi.issue_id")
            .innerJoin("places as ip", "ip.id", "i.place_id")
            .select("gi.issue_id")
            .whereRef("gi.grant_id", "=", "g.id")
            .where("ip.path", "like", under),
        ),
      ]),
    );
  }
  return q.orderBy("g.awarded_at", "desc").orderBy("g.id", "desc").limit(opts.limit ?? 10).execute();
}

export interface QueueItem {
  reportId: string;
  grantId: string;
  projectName: string;
  organisationName: string;
  placeName: string;
  position: number;
  milestoneTitle: string;
  submittedAt: Date;
}

/** Reports waiting for the liaison (submitted) or the bureau (forwarded), within the reviewer's places. */
export async function reportQueue(db: Executor, placePaths: readonly string[], status: "submitted" | "forwarded"): Promise<QueueItem[]> {
  if (placePaths.length === 0) return [];
  return db
    .selectFrom("milestone_reports as r")
    .innerJoin("grants as g", "g.id", "r.grant_id")
    .innerJoin("grant_milestones as m", (j) => j.onRef("m.grant_id", "=", "r.grant_id").onRef("m.position", "=", "r.position"))
    .innerJoin("organisations as o", "o.id", "g.organisation_id")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select([
      "r.id as reportId",
      "g.id as grantId",
      "g.project_name as projectName",
      "o.name as organisationName",
      "p.name as placeName",
      "r.position",
      "m.title as milestoneTitle",
      "r.submitted_at as submittedAt",
    ])
    .where("r.status", "=", status)
    .where((eb) => eb.or(placePaths.map((pp) => eb("p.path", "like", `${pp}%`))))
    .orderBy("r.submitted_at")
    .limit(200)
    .execute();
}

/** Disbursements waiting for a second officer, and approved tranches not yet paid, within the officer's places. */
export async function paymentQueue(db: Executor, placePaths: readonly string[]) {
  if (placePaths.length === 0) return { pending: [], payable: [] };
  const [pending, payable] = await Promise.all([
    db
      .selectFrom("disbursements as d")
      .innerJoin("grants as g", "g.id", "d.grant_id")
      .innerJoin("places as p", "p.id", "g.place_id")
      .innerJoin("users as u", "u.id", "d.requested_by")
      .select(["d.id", "g.id as grantId", "g.project_name as projectName", "d.position", "d.amount_fen as amountFen", "u.display_name as requestedBy", "d.requested_at as requestedAt"])
      .where("d.status", "=", "pending")
      .where((eb) => eb.or(placePaths.map((pp) => eb("p.path", "like", `${pp}%`))))
      .orderBy("d.requested_at")
      .execute(),
    db
      .selectFrom("grant_milestones as m")
      .innerJoin("grants as g", "g.id", "m.grant_id")
      .innerJoin("places as p", "p.id", "g.place_id")
      .select(["g.id as grantId", "g.project_name as projectName", "m.position", "m.title", "m.tranche_fen as trancheFen", "m.approved_at as approvedAt"])
      .where("m.status", "=", "approved")
      .where("m.tranche_fen", ">", 0)
      .where("g.status", "in", ["in_progress", "awaiting_evaluation", "closed"])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("disbursements as d")
              .select("d.id")
              .whereRef("d.grant_id", "=", "m.grant_id")
              .whereRef("d.position", "=", "m.position")
              .where("d.status", "in", ["pending", "paid"]),
          ),
        ),
      )
      .where((eb) => eb.or(placePaths.map((pp) => eb("p.path", "like", `${pp}%`))))
      .orderBy("m.approved_at")
      .execute(),
  ]);
  return { pending, payable };
}

/** An organisation's grants and its residents' average rating, for its profile. */
export async function organisationGrantRecord(db: Executor, organisationId: string) {
  const [grants, ratings] = await Promise.all([
    grantListQuery(db).where("g.organisation_id", "=", organisationId).where("g.status", "<>", "withdrawn").orderBy("g.awarded_at", "desc").execute(),
    db
      .selectFrom("grant_evaluations as e")
      .innerJoin("grants as g", "g.id", "e.grant_id")
      .select(["e.satisfaction", "e.solved"])
      .where("g.organisation_id", "=", organisationId)
      .execute(),
  ]);
  return {
    grants,
    evaluations: ratings.length,
    satisfaction: averageRating(ratings.map((r) => r.satisfaction)),
    solved: averageRating(ratings.map((r) => r.solved)),
  };
}

/** Evidence files of approved reports are public; others only to the people handling the grant. */
export async function getEvidence(db: Executor, evidenceId: string) {
  if (!/^[0-9a-f-]{36}$/.test(evidenceId)) return undefined;
  return db
    .selectFrom("report_evidence as e")
    .innerJoin("milestone_reports as r", "r.id", "e.report_id")
    .innerJoin("grants as g", "g.id", "r.grant_id")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select(["e.storage_key as storageKey", "e.content_type as contentType", "e.original_name as name", "r.status", "g.organisation_id as organisationId", "p.path as placePath"])
    .where("e.id", "=", evidenceId)
    .executeTakeFirst();
}

export async function getObjectionAttachment(db: Executor, objectionId: string) {
  if (!/^[0-9a-f-]{36}$/.test(objectionId)) return undefined;
  const row = await db
    .selectFrom("grant_objections as o")
    .innerJoin("grants as g", "g.id", "o.grant_id")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select(["o.attachment_key as storageKey", "o.attachment_type as contentType", "o.attachment_name as name", "p.path as placePath"])
    .where("o.id", "=", objectionId)
    .executeTakeFirst();
  if (!row?.storageKey || !row.contentType) return undefined;
  return { storageKey: row.storageKey, contentType: row.contentType, name: row.name ?? "attachment", placePath: row.placePath };
}
