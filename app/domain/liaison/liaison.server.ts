import { sql } from "kysely";
import type { SummaryPeriodKind } from "../../../db/schema";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { formatMoney } from "../../lib/money";
import { todayOf } from "../care/care.server";
import { listReadyForCall } from "../issues/issues.server";
import { notify } from "../notifications/notifications.server";
import { programmeFigures } from "../reports/figures.server";
import { METRIC_KEYS, METRICS, showMetric } from "../reports/rules";
import { lastEndedPeriod, summaryState, type SummaryPeriod, type SummaryState } from "./rules";
import type { PushInput, PushTarget } from "./schema";

/**
 * The liaison (联络员) of a district: issues waiting for a call, the district's organisations and
 * what they do, 需求推送 to chosen organisations, and the periodic progress summary submitted to
 * the city bureau.
 */

export interface LiaisonPlace {
  placeId: number;
  placePath: string;
  name: string;
}

/** The districts the person is liaison of. */
export async function liaisonPlaces(db: Executor, actor: Principal): Promise<LiaisonPlace[]> {
  const ids = [...new Set(actor.roles.filter((r) => r.role === "liaison" && r.placeId != null).map((r) => r.placeId!))];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("places").select(["id", "path", "name"]).where("id", "in", ids).orderBy("code").orderBy("id").execute();
  return rows.map((r) => ({ placeId: r.id, placePath: r.path, name: r.name }));
}

export interface DistrictOrganisation {
  id: string;
  name: string;
  type: string | null;
  members: number;
  pushesReceived: number;
  activeCareMatches: number;
  lastPushAt: Date | null;
}

/** Verified organisations of the district with their activity, one query (aggregates joined, not per row). */
export async function districtOrganisations(db: Executor, placePath: string): Promise<DistrictOrganisation[]> {
  const rows = await db
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .leftJoin(
      (eb) => eb.selectFrom("organisation_members").select(["organisation_id", (e) => e.fn.countAll<number>().as("n")]).groupBy("organisation_id").as("mem"),
      (j) => j.onRef("mem.organisation_id", "=", "o.id"),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("liaison_push_recipients as r")
          .innerJoin("liaison_pushes as lp", "lp.id", "r.push_id")
          .select(["r.organisation_id", (e) => e.fn.countAll<number>().as("n"), (e) => e.fn.max("lp.created_at").as("last")])
          .groupBy("r.organisation_id")
          .as("push"),
      (j) => j.onRef("push.organisation_id", "=", "o.id"),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("care_matches")
          .select(["organisation_id", (e) => e.fn.countAll<number>().as("n")])
          .where("status", "=", "active")
          .where("organisation_id", "is not", null)
          .groupBy("organisation_id")
          .as("care"),
      (j) => j.onRef("care.organisation_id", "=", "o.id"),
    )
    .select([
      "o.id",
      "o.name",
      "o.type",
      sql<number>`coalesce(mem.n, 0)`.as("members"),
      sql<number>`coalesce(push.n, 0)`.as("pushesReceived"),
      sql<number>`coalesce(care.n, 0)`.as("activeCareMatches"),
      "push.last as lastPushAt",
    ])
    .where("o.status", "=", "verified")
    .where("p.path", "like", `${placePath}%`)
    .orderBy(sql`coalesce(push.n, 0) + coalesce(care.n, 0)`, "desc")
    .orderBy("o.name")
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, members: Number(r.members), pushesReceived: Number(r.pushesReceived), activeCareMatches: Number(r.activeCareMatches) }));
}

export interface PushView {
  id: string;
  kind: "issue" | "call";
  title: string;
  message: string;
  liaisonName: string;
  createdAt: Date;
  organisations: string[];
}

export async function recentPushes(db: Executor, placePath: string, limit = 20): Promise<PushView[]> {
  const rows = await db
    .selectFrom("liaison_pushes as lp")
    .innerJoin("places as p", "p.id", "lp.place_id")
    .innerJoin("users as u", "u.id", "lp.liaison_id")
    .leftJoin("issues as i", "i.id", "lp.issue_id")
    .leftJoin("calls as c", "c.id", "lp.call_id")
    .select([
      "lp.id",
      sql<"issue" | "call">`case when lp.issue_id is null then 'call' else 'issue' end`.as("kind"),
      sql<string>`coalesce(i.title, c.title, '')`.as("title"),
      "lp.message",
      "u.display_name as liaisonName",
      "lp.created_at as createdAt",
      sql<string[]>`array(select o.name from liaison_push_recipients r join organisations o on o.id = r.organisation_id where r.push_id = lp.id order by o.name)`.as("organisations"),
    ])
    .where("p.path", "like", `${placePath}%`)
    .orderBy("lp.created_at", "desc")
    .orderBy("lp.id")
    .limit(limit)
    .execute();
  return rows;
}

export async function workspace(db: Executor, place: LiaisonPlace, clock: Clock) {
  const [ready, calls, organisations, pushes] = await Promise.all([
    listReadyForCall(db, place.placePath),
    openCallsFor(db, place.placePath, clock.now()),
    districtOrganisations(db, place.placePath),
    recentPushes(db, place.placePath),
  ]);
  return { ready, calls, organisations, pushes };
}

/** What a push is about, as the notification and the record show it. */
interface PushSubject {
  id: string;
  title: string;
  placePath: string;
  link: string;
  kindLabel: string;
}

async function pushSubject(trx: Trx, target: PushTarget, now: Date): Promise<PushSubject> {
  if (target.kind === "issue") {
    const issue = await trx
      .selectFrom("issues as i")
      .innerJoin("places as p", "p.id", "i.place_id")
      .select(["i.id", "i.title", "i.status", "i.hidden_at", "p.path"])
      .where("i.id", "=", target.id)
      .executeTakeFirst();
    if (!issue || issue.hidden_at) throw new DomainError("not_found", "议题不存在", { target: "议题不存在" });
    if (issue.status !== "decided") throw new DomainError("conflict", "只能推送已议定转入创投、尚未纳入招贤榜的议题", { target: "该议题当前不可推送" });
    return { id: issue.id, title: issue.title, placePath: issue.path, link: `/issues/${issue.id}`, kindLabel: "需求推送" };
  }
  const call = await trx
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .select(["c.id", "c.title", "c.status", "c.closes_at", "p.path"])
    .where("c.id", "=", target.id)
    .executeTakeFirst();
  if (!call) throw new DomainError("not_found", "招贤榜不存在", { target: "招贤榜不存在" });
  if (call.status !== "published" || call.closes_at <= now) throw new DomainError("conflict", "只能推送正在征集的招贤榜", { target: "该招贤榜当前不可推送" });
  return { id: call.id, title: call.title, placePath: call.path, link: `/calls/${call.id}`, kindLabel: "招贤榜推送" };
}

/**
 * 需求推送: the liaison sends an issue decided 转入创投 in their district, or an open call covering
 * it, to chosen verified organisations; every member of each gets a notification and the push is
 * recorded with its recipients.
 */
export async function pushNeed(trx: Trx, ctx: AuditContext, actor: Principal, clock: Clock, input: PushInput): Promise<{ id: string; notified: number }> {
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  const now = clock.now();
  const subject = await pushSubject(trx, input.target, now);
  // An issue must lie in the liaison's district; a call may also be the city's, covering the district.
  const district = actor.roles.find(
    (r) => r.role === "liaison" && r.placePath != null && (subject.placePath.startsWith(r.placePath) || (input.target.kind === "call" && r.placePath.startsWith(subject.placePath))),
  );
  if (!district || !can(actor, "liaison.work", { placePath: district.placePath })) throw new DomainError("forbidden", "只能推送本辖区的议题或招贤榜", { target: "不在您的辖区内" });
  const orgs = await trx.selectFrom("organisations").select(["id", "name"]).where("id", "in", input.organisationIds).where("status", "=", "verified").execute();
  if (orgs.length !== new Set(input.organisationIds).size) throw new DomainError("invalid", "所选组织不存在或尚未通过查验", { organisationIds: "请选择已通过查验的组织" });
  const push = await trx
    .insertInto("liaison_pushes")
    .values({
      place_id: district.placeId!,
      liaison_id: ctx.userId,
      issue_id: input.target.kind === "issue" ? subject.id : null,
      call_id: input.target.kind === "call" ? subject.id : null,
      message: input.message ?? "",
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("liaison_push_recipients")
    .values(orgs.map((o) => ({ push_id: push.id, organisation_id: o.id })))
    .execute();
  const members = await trx.selectFrom("organisation_members").select("user_id").where("organisation_id", "in", orgs.map((o) => o.id)).execute();
  await notify(
    trx,
    members.map((m) => m.user_id),
    { kind: "liaison.push", title: `${subject.kindLabel}：${subject.title}`, body: input.message || "联络员向贵组织推送了一项居民需求，欢迎关注并准备申报。", link: subject.link },
    now,
  );
  await audit(trx, ctx, {
    action: "liaison.push",
    entityType: input.target.kind,
    entityId: subject.id,
    placeId: district.placeId,
    summary: { pushId: push.id, organisations: orgs.map((o) => o.id) },
  });
  return { id: push.id, notified: new Set(members.map((m) => m.user_id)).size };
}

/** Calls open for bids that cover the district: its own, its places', and the city's above it. */
export async function openCallsFor(db: Executor, placePath: string, now: Date) {
  return db
    .selectFrom("calls as c")
    .innerJoin("places as p", "p.id", "c.place_id")
    .select(["c.id", "c.title", "c.action_type as actionType", "c.closes_at as closesAt", "p.name as placeName"])
    .where("c.status", "=", "published")
    .where("c.closes_at", ">", now)
    .where(sql<boolean>`(p.path like ${`${placePath}%`} or ${placePath} like p.path || '%')`)
    .orderBy("c.closes_at")
    .limit(100)
    .execute();
}

export interface SummaryLine {
  label: string;
  value: string;
}

/** What a summary reports for its period: the district's figures (care counts suppressed) and the pushes made. */
export async function summaryLines(db: Executor, placeId: number, placePath: string, period: SummaryPeriod): Promise<SummaryLine[]> {
  const figures = await programmeFigures(db, placeId, { from: period.start, to: period.end });
  const pushes = await db
    .selectFrom("liaison_pushes as lp")
    .innerJoin("places as p", "p.id", "lp.place_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("p.path", "like", `${placePath}%`)
    .where(sql<boolean>`lp.created_at >= (${period.start}::date::timestamp at time zone 'Asia/Shanghai')`)
    .where(sql<boolean>`lp.created_at < ((${period.end}::date + 1)::timestamp at time zone 'Asia/Shanghai')`)
    .executeTakeFirstOrThrow();
  return [
    ...METRIC_KEYS.map((k) => ({ label: METRICS[k].label, value: showMetric(k, figures.metrics[k], { suppressCare: true, format: formatMoney }).total })),
    { label: "需求推送", value: String(Number(pushes.n)) },
  ];
}

export interface SummaryView {
  id: string;
  placeName: string;
  kind: SummaryPeriodKind;
  start: string;
  end: string;
  lines: SummaryLine[];
  annotation: string;
  status: "draft" | "submitted";
  submittedAt: Date | null;
  /** The day of submission in Asia/Shanghai, "YYYY-MM-DD": what lateness is judged on. */
  submittedOn: string | null;
}

function summaryQuery(db: Executor) {
  return db
    .selectFrom("liaison_summaries as s")
    .innerJoin("places as p", "p.id", "s.place_id")
    .select([
      "s.id",
      "p.name as placeName",
      "s.period_kind as kind",
      sql<string>`to_char(s.period_start, 'YYYY-MM-DD')`.as("start"),
      sql<string>`to_char(s.period_end, 'YYYY-MM-DD')`.as("end"),
      "s.figures",
      "s.annotation",
      "s.status",
      "s.submitted_at as submittedAt",
      sql<string | null>`to_char(s.submitted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`.as("submittedOn"),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>["execute"]>>[number];
const toView = (r: SummaryRow): SummaryView => ({
  id: r.id,
  placeName: r.placeName,
  kind: r.kind,
  start: r.start,
  end: r.end,
  lines: r.figures as SummaryLine[],
  annotation: r.annotation,
  status: r.status,
  submittedAt: r.submittedAt,
  submittedOn: r.submittedOn,
});

export async function mySummaries(db: Executor, liaisonId: string, limit = 30): Promise<SummaryView[]> {
  const rows = await summaryQuery(db).where("s.liaison_id", "=", liaisonId).orderBy("s.period_start", "desc").orderBy("s.period_kind").limit(limit).execute();
  return rows.map(toView);
}

/**
 * Drafts the summary of the last ended week or month for one of the liaison's districts, with the
 * figures of that period; a draft already there is refreshed, a submitted one is left alone.
 */
export async function draftSummary(trx: Trx, ctx: AuditContext, actor: Principal, clock: Clock, input: { placeId: number; kind: SummaryPeriodKind }): Promise<{ id: string }> {
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  const place = await trx.selectFrom("places").select(["id", "path"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || !can(actor, "liaison.work", { placePath: place.path })) throw new DomainError("forbidden", "只能为本辖区撰写进展小结");
  const period = lastEndedPeriod(input.kind, todayOf(clock));
  const lines = await summaryLines(trx, place.id, place.path, period);
  const row = await trx
    .insertInto("liaison_summaries")
    .values({ liaison_id: ctx.userId, place_id: place.id, period_kind: input.kind, period_start: period.start, period_end: period.end, figures: JSON.stringify(lines), updated_at: clock.now(), created_at: clock.now() })
    .onConflict((oc) =>
      oc
        .columns(["liaison_id", "place_id", "period_kind", "period_start"])
        .doUpdateSet({ figures: JSON.stringify(lines), updated_at: clock.now() })
        .where("liaison_summaries.status", "=", "draft"),
    )
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "该期进展小结已提交，不能再修改");
  await audit(trx, ctx, { action: "liaison.summary.draft", entityType: "liaison_summary", entityId: row.id, placeId: place.id, summary: { kind: input.kind, start: period.start } });
  return row;
}

/** Saves the liaison's annotation; with submit, sends the summary to the city bureau (then it is final). */
export async function saveSummary(trx: Trx, ctx: AuditContext, clock: Clock, input: { summaryId: string; annotation: string; submit: boolean }): Promise<void> {
  const s = await trx.selectFrom("liaison_summaries").select(["id", "liaison_id", "status", "place_id"]).where("id", "=", input.summaryId).forUpdate().executeTakeFirst();
  if (!s || s.liaison_id !== ctx.userId) throw new DomainError("not_found", "进展小结不存在");
  if (s.status === "submitted") throw new DomainError("conflict", "该期进展小结已提交，不能再修改");
  const now = clock.now();
  await trx
    .updateTable("liaison_summaries")
    .set({ annotation: input.annotation, updated_at: now, ...(input.submit ? { status: "submitted" as const, submitted_at: now } : {}) })
    .where("id", "=", s.id)
    .execute();
  await audit(trx, ctx, { action: input.submit ? "liaison.summary.submit" : "liaison.summary.annotate", entityType: "liaison_summary", entityId: s.id, placeId: s.place_id });
}

export interface LiaisonStatusRow {
  liaisonId: string;
  liaisonName: string;
  placeName: string;
  state: SummaryState;
  summary: SummaryView | null;
}

/**
 * The city's view: every liaison within the officer's places and where their summary of the
 * period stands (submitted, late…), latest-first submitted text included.
 */
export async function liaisonOverview(db: Executor, placePaths: readonly string[], period: SummaryPeriod, clock: Clock): Promise<LiaisonStatusRow[]> {
  if (placePaths.length === 0) return [];
  const liaisons = await db
    .selectFrom("role_assignments as ra")
    .innerJoin("users as u", "u.id", "ra.user_id")
    .innerJoin("places as p", "p.id", "ra.place_id")
    .select(["u.id as liaisonId", "u.display_name as liaisonName", "p.id as placeId", "p.name as placeName", "p.code"])
    .where("ra.role", "=", "liaison")
    .where("ra.revoked_at", "is", null)
    .where("u.disabled_at", "is", null)
    .where((eb) => eb.or(placePaths.map((path) => eb("p.path", "like", `${path}%`))))
    .orderBy("p.code")
    .orderBy("p.id")
    .orderBy("u.display_name")
    .execute();
  const summaries = await summaryQuery(db)
    .select(["s.liaison_id", "s.place_id"])
    .where("s.period_kind", "=", period.kind)
    .where(sql<boolean>`s.period_start = ${period.start}::date`)
    .execute();
  const today = todayOf(clock);
  return liaisons.map((l) => {
    const s = summaries.find((x) => x.liaison_id === l.liaisonId && x.place_id === l.placeId);
    const state = summaryState(period, s ? { status: s.status, submittedOn: s.submittedOn } : undefined, today);
    return { liaisonId: l.liaisonId, liaisonName: l.liaisonName, placeName: l.placeName, state, summary: s && s.status === "submitted" ? toView(s) : null };
  });
}
