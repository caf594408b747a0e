import { sql } from "kysely";
import type { SignupStatus } from "../../../db/schema";
import { formatDateTime } from "../../lib/dates";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { describeDecision, transitionIssue } from "../issues/issues.server";
import { statusAfterDecision } from "../issues/rules";
import { notify } from "../notifications/notifications.server";
import { assertVerifiedResident } from "../residents/residents.server";
import type { DecisionInput, ScheduleRoundtableInput } from "./schema";

export const ROUNDTABLE_STATUS_LABELS = { draft: "草稿", published: "已发布", concluded: "已结束" } as const;

async function roundtableForUpdate(db: Executor, id: string) {
  const r = await db
    .selectFrom("roundtables as r")
    .innerJoin("places as p", "p.id", "r.place_id")
    .select(["r.id", "r.title", "r.status", "r.capacity", "r.starts_at", "r.place_id", "p.path"])
    .where("r.id", "=", id)
    .forUpdate("r")
    .executeTakeFirst();
  if (!r) throw new DomainError("not_found", "圆桌会不存在");
  return r;
}

/** The place path of a roundtable, for the permission check before a command. */
export async function roundtablePlacePath(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom("roundtables as r").innerJoin("places as p", "p.id", "r.place_id").select("p.path").where("r.id", "=", id).executeTakeFirst();
  return row?.path;
}

/** A draft session with its ordered agenda of accepted issues of the community. */
export async function scheduleRoundtable(db: Executor, ctx: AuditContext, input: ScheduleRoundtableInput, clock: Clock): Promise<{ id: string }> {
  const now = clock.now();
  const place = await db.selectFrom("places").select(["id", "level", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || place.level !== "community") throw new DomainError("invalid", "请选择召开圆桌会的社区", { placeId: "请选择社区/村" });
  if (input.startsAt.getTime() <= now.getTime()) throw new DomainError("invalid", "会议时间须在今后", { startsAt: "会议时间须在今后" });
  const agenda = [...new Set(input.agenda)];
  const issues = await db.selectFrom("issues").select(["id", "status", "place_id", "hidden_at"]).where("id", "in", agenda).execute();
  for (const id of agenda) {
    const i = issues.find((x) => x.id === id);
    if (!i || i.place_id !== place.id || i.hidden_at) throw new DomainError("invalid", "议程中有不属于本社区的议题", { agenda: "请只选择本社区的议题" });
    if (i.status !== "accepted") throw new DomainError("conflict", "只有“已受理”的议题可以列入议程", { agenda: "请只选择已受理的议题" });
  }
  const row = await db
    .insertInto("roundtables")
    .values({
      place_id: place.id,
      title: input.title,
      starts_at: input.startsAt,
      venue: input.venue,
      capacity: input.capacity,
      description: input.description ?? "",
      invited: input.invited ?? "",
      created_by: ctx.userId!,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("roundtable_agenda")
    .values(agenda.map((issue_id, position) => ({ roundtable_id: row.id, issue_id, position })))
    .execute();
  await audit(db, ctx, { action: "roundtable.schedule", entityType: "roundtable", entityId: row.id, placeId: place.id, summary: { after: { title: input.title, startsAt: input.startsAt, capacity: input.capacity, agenda } } });
  return row;
}

/** Publishing opens sign-up and puts every agenda issue 已上会 on its timeline. */
export async function publishRoundtable(db: Executor, ctx: AuditContext, id: string, clock: Clock): Promise<void> {
  const now = clock.now();
  const r = await roundtableForUpdate(db, id);
  if (r.status !== "draft") throw new DomainError("conflict", "该圆桌会已发布");
  await db.updateTable("roundtables").set({ status: "published", published_at: now }).where("id", "=", r.id).execute();
  const agenda = await db.selectFrom("roundtable_agenda").select("issue_id").where("roundtable_id", "=", r.id).orderBy("position").execute();
  for (const a of agenda) {
    await transitionIssue(db, ctx, a.issue_id, "scheduled", { note: `列入幸福圆桌会「${r.title}」议程（${formatDateTime(r.starts_at)}）`, roundtableId: r.id }, clock);
  }
  await audit(db, ctx, { action: "roundtable.publish", entityType: "roundtable", entityId: r.id, placeId: r.place_id });
}

// ---------------------------------------------------------------------------------------------
// Sign-up and waiting list

/**
 * Signs a verified resident up: confirmed while places are free, otherwise on the waiting list.
 * The roundtable row is locked, so two people cannot both take the last place.
 */
export async function signUp(db: Executor, ctx: AuditContext, userId: string, roundtableId: string, clock: Clock): Promise<{ status: SignupStatus }> {
  const now = clock.now();
  const r = await roundtableForUpdate(db, roundtableId);
  if (r.status !== "published") throw new DomainError("conflict", "该圆桌会不在报名中");
  if (r.starts_at.getTime() <= now.getTime()) throw new DomainError("conflict", "圆桌会已开始，报名已截止");
  await assertVerifiedResident(db, userId, r.path, "报名圆桌会");
  const existing = await db.selectFrom("roundtable_signups").select("status").where("roundtable_id", "=", r.id).where("user_id", "=", userId).where("status", "<>", "cancelled").executeTakeFirst();
  if (existing) throw new DomainError("conflict", existing.status === "confirmed" ? "您已报名" : "您已在候补名单中");
  const { confirmed } = await db
    .selectFrom("roundtable_signups")
    .select((eb) => eb.fn.countAll<number>().as("confirmed"))
    .where("roundtable_id", "=", r.id)
    .where("status", "=", "confirmed")
    .executeTakeFirstOrThrow();
  const status: SignupStatus = Number(confirmed) < r.capacity ? "confirmed" : "waitlisted";
  await db.insertInto("roundtable_signups").values({ roundtable_id: r.id, user_id: userId, status, created_at: now }).execute();
  await audit(db, ctx, { action: "roundtable.signup", entityType: "roundtable", entityId: r.id, placeId: r.place_id, summary: { status } });
  return { status };
}

/** Cancels a sign-up; a freed place goes to the first on the waiting list, who is told. */
export async function cancelSignup(db: Executor, ctx: AuditContext, userId: string, roundtableId: string, clock: Clock): Promise<{ promotedUserId: string | null }> {
  const now = clock.now();
  const r = await roundtableForUpdate(db, roundtableId);
  const s = await db
    .updateTable("roundtable_signups")
    .set({ status: "cancelled", cancelled_at: now })
    .where("roundtable_id", "=", r.id)
    .where("user_id", "=", userId)
    .where("status", "<>", "cancelled")
    .returning("id")
    .executeTakeFirst();
  if (!s) throw new DomainError("not_found", "您没有报名这次圆桌会");
  await audit(db, ctx, { action: "roundtable.signup_cancel", entityType: "roundtable", entityId: r.id, placeId: r.place_id });
  return { promotedUserId: await fillFreePlaces(db, ctx, r, now) };
}

async function fillFreePlaces(db: Executor, ctx: AuditContext, r: { id: string; title: string; capacity: number; place_id: number }, now: Date): Promise<string | null> {
  const { confirmed } = await db
    .selectFrom("roundtable_signups")
    .select((eb) => eb.fn.countAll<number>().as("confirmed"))
    .where("roundtable_id", "=", r.id)
    .where("status", "=", "confirmed")
    .executeTakeFirstOrThrow();
  if (Number(confirmed) >= r.capacity) return null;
  const next = await db
    .selectFrom("roundtable_signups")
    .select(["id", "user_id"])
    .where("roundtable_id", "=", r.id)
    .where("status", "=", "waitlisted")
    .orderBy("created_at")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  if (!next) return null;
  await db.updateTable("roundtable_signups").set({ status: "confirmed" }).where("id", "=", next.id).execute();
  await audit(db, ctx, { action: "roundtable.waitlist_promote", entityType: "roundtable", entityId: r.id, placeId: r.place_id, summary: { userId: next.user_id } });
  await notify(db, [next.user_id], { kind: "roundtable.promoted", title: `您已从候补转为正式报名：${r.title}`, link: `/roundtables/${r.id}` }, now);
  return next.user_id;
}

// ---------------------------------------------------------------------------------------------
// During and after the session

export async function recordAttendance(db: Executor, ctx: AuditContext, roundtableId: string, input: { attended: string[]; walkIns: string[] }): Promise<{ count: number }> {
  const r = await roundtableForUpdate(db, roundtableId);
  if (r.status === "draft") throw new DomainError("conflict", "圆桌会尚未发布");
  const signed = input.attended.length
    ? await db
        .selectFrom("roundtable_signups as s")
        .innerJoin("users as u", "u.id", "s.user_id")
        .select(["s.user_id", "u.display_name"])
        .where("s.roundtable_id", "=", r.id)
        .where("s.status", "<>", "cancelled")
        .where("s.user_id", "in", input.attended)
        .execute()
    : [];
  await db.deleteFrom("roundtable_attendance").where("roundtable_id", "=", r.id).execute();
  const rows = [
    ...signed.map((s) => ({ roundtable_id: r.id, user_id: s.user_id, name: s.display_name, walk_in: false })),
    ...input.walkIns.map((name) => ({ roundtable_id: r.id, user_id: null, name, walk_in: true })),
  ];
  if (rows.length) await db.insertInto("roundtable_attendance").values(rows).execute();
  await audit(db, ctx, { action: "roundtable.attendance", entityType: "roundtable", entityId: r.id, placeId: r.place_id, summary: { signedUp: signed.length, walkIns: input.walkIns.length } });
  return { count: rows.length };
}

/** Saves and publishes the minutes (markdown-lite, rendered safely by RichText); the session is over. */
export async function publishMinutes(db: Executor, ctx: AuditContext, roundtableId: string, minutes: string, clock: Clock): Promise<void> {
  const r = await roundtableForUpdate(db, roundtableId);
  if (r.status === "draft") throw new DomainError("conflict", "圆桌会尚未发布");
  await db.updateTable("roundtables").set({ minutes, minutes_published_at: clock.now(), status: "concluded" }).where("id", "=", r.id).execute();
  await audit(db, ctx, { action: "roundtable.minutes", entityType: "roundtable", entityId: r.id, placeId: r.place_id, summary: { length: minutes.length } });
}

/**
 * Records the roundtable's decision on one agenda issue and moves the issue on (已议定, or back
 * to 已受理 when deferred), with the decision on its timeline.
 */
export async function recordDecision(db: Executor, ctx: AuditContext, roundtableId: string, input: DecisionInput, clock: Clock): Promise<{ id: string }> {
  const r = await roundtableForUpdate(db, roundtableId);
  if (r.status === "draft") throw new DomainError("conflict", "圆桌会尚未发布");
  const onAgenda = await db.selectFrom("roundtable_agenda").select("issue_id").where("roundtable_id", "=", r.id).where("issue_id", "=", input.issueId).executeTakeFirst();
  if (!onAgenda) throw new DomainError("invalid", "该议题不在本次圆桌会议程中");
  const d = {
    kind: input.kind,
    responsible: input.kind === "community" ? (input.responsible ?? null) : null,
    dueDate: input.kind === "community" ? (input.dueDate ?? null) : null,
    actionType: input.kind === "to_call" ? (input.actionType ?? null) : null,
    budgetEstimateFen: input.kind === "to_call" ? (input.budgetEstimate ?? null) : null,
    referredTo: input.kind === "referral" ? (input.referredTo ?? null) : null,
    reason: input.reason ?? null,
  };
  const row = await db
    .insertInto("roundtable_decisions")
    .values({
      roundtable_id: r.id,
      issue_id: input.issueId,
      kind: d.kind,
      responsible: d.responsible,
      due_date: d.dueDate,
      action_type: d.actionType,
      budget_estimate_fen: d.budgetEstimateFen,
      referred_to: d.referredTo,
      reason: d.reason,
      votes_for: input.votesFor ?? null,
      votes_against: input.votesAgainst ?? null,
      votes_abstain: input.votesAbstain ?? null,
      decided_by: ctx.userId!,
      created_at: clock.now(),
    })
    .onConflict((oc) => oc.columns(["roundtable_id", "issue_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "该议题在本次圆桌会上已有议定结果");
  const votes = input.votesFor !== undefined || input.votesAgainst !== undefined || input.votesAbstain !== undefined ? `（举手表决：赞成 ${input.votesFor ?? 0}，反对 ${input.votesAgainst ?? 0}，弃权 ${input.votesAbstain ?? 0}）` : "";
  await transitionIssue(db, ctx, input.issueId, statusAfterDecision(d.kind), { note: `幸福圆桌会「${r.title}」议定 — ${describeDecision(d)}${votes}`, roundtableId: r.id, actionType: d.actionType }, clock);
  await audit(db, ctx, { action: "roundtable.decision", entityType: "roundtable", entityId: r.id, placeId: r.place_id, summary: { issueId: input.issueId, ...d } });
  return row;
}

// ---------------------------------------------------------------------------------------------
// Queries

export async function listRoundtables(db: Executor, opts: { placePath?: string; staffPaths?: readonly string[]; limit?: number }) {
  let q = db
    .selectFrom("roundtables as r")
    .innerJoin("places as p", "p.id", "r.place_id")
    .select([
      "r.id",
      "r.title",
      "r.starts_at as startsAt",
      "r.venue",
      "r.capacity",
      "r.status",
      "p.name as placeName",
      (eb) =>
        eb
          .selectFrom("roundtable_signups as s")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("s.roundtable_id", "=", "r.id")
          .where("s.status", "=", "confirmed")
          .as("confirmed"),
    ]);
  if (opts.placePath) q = q.where("p.path", "like", `${opts.placePath}%`);
  const staff = opts.staffPaths ?? [];
  // Drafts are shown only to the staff of their place.
  q = q.where((eb) => eb.or([eb("r.status", "<>", "draft"), ...staff.map((sp) => eb("p.path", "like", `${sp}%`))]));
  return q.orderBy("r.starts_at", "desc").limit(opts.limit ?? 50).execute();
}

export async function getRoundtable(db: Executor, id: string, viewerId: string | null) {
  const r = await db
    .selectFrom("roundtables as r")
    .innerJoin("places as p", "p.id", "r.place_id")
    .select([
      "r.id",
      "r.title",
      "r.starts_at as startsAt",
      "r.venue",
      "r.capacity",
      "r.description",
      "r.invited",
      "r.status",
      "r.minutes",
      "r.minutes_published_at as minutesPublishedAt",
      "p.id as placeId",
      "p.name as placeName",
      "p.path as placePath",
    ])
    .where("r.id", "=", id)
    .executeTakeFirst();
  if (!r) return undefined;
  const [agenda, signups, attendance, decisions] = await Promise.all([
    db
      .selectFrom("roundtable_agenda as a")
      .innerJoin("issues as i", "i.id", "a.issue_id")
      .select(["i.id", "i.title", "i.status", "i.support_count as supportCount", "a.position"])
      .where("a.roundtable_id", "=", r.id)
      .orderBy("a.position")
      .execute(),
    db
      .selectFrom("roundtable_signups as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .select(["s.user_id as userId", "u.display_name as name", "s.status", "s.created_at as createdAt"])
      .where("s.roundtable_id", "=", r.id)
      .where("s.status", "<>", "cancelled")
      .orderBy("s.created_at")
      .orderBy("s.id")
      .execute(),
    db.selectFrom("roundtable_attendance").select(["user_id as userId", "name", "walk_in as walkIn"]).where("roundtable_id", "=", r.id).orderBy("walk_in").orderBy("name").execute(),
    db
      .selectFrom("roundtable_decisions")
      .select([
        "issue_id as issueId",
        "kind",
        "responsible",
        sql<string | null>`to_char(due_date, 'YYYY-MM-DD')`.as("dueDate"),
        "action_type as actionType",
        "budget_estimate_fen as budgetEstimateFen",
        "referred_to as referredTo",
        "reason",
        "votes_for as votesFor",
        "votes_against as votesAgainst",
        "votes_abstain as votesAbstain",
      ])
      .where("roundtable_id", "=", r.id)
      .execute(),
  ]);
  const confirmed = signups.filter((s) => s.status === "confirmed");
  const waitlist = signups.filter((s) => s.status === "waitlisted");
  const mine = viewerId ? signups.find((s) => s.userId === viewerId) : undefined;
  return {
    ...r,
    agenda,
    decisions,
    attendance,
    confirmedCount: confirmed.length,
    waitlistCount: waitlist.length,
    viewerSignup: mine ? { status: mine.status, waitlistPosition: mine.status === "waitlisted" ? waitlist.findIndex((w) => w.userId === viewerId) + 1 : null } : null,
    /** Names of those signed up, for the staff's attendance form only. */
    signups,
  };
}
export type RoundtableDetail = NonNullable<Awaited<ReturnType<typeof getRoundtable>>>;
