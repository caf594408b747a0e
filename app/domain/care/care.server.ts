import { sql } from "kysely";
import type { Insertable } from "kysely";
import type { CareTargetsTable, CarerKind } from "../../../db/schema";
import { ageOn, maskIdCard, validateIdCard } from "../../lib/idcard";
import { maskPhone } from "../../lib/phone";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { blindIndex, decryptField, decryptOptional, encryptField, encryptOptional } from "../../platform/crypto.server";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { grantingRole, type Action } from "../../platform/permissions";
import { ACCESS_REASON_LABELS, activeMatchOf, canSeeTarget, careScopes, organisationsOf, type AccessReason, type CareActor } from "./access.server";
import { ADULT_AGE, addDays, serviceGaps, suppressCount, suppressPartition, type ServiceGap } from "./rules";
import { pathIds } from "../places/places.server";
import { CARE_GROUPS } from "../vocabulary";
import { OTHER_SERVICE, SERVICE_KINDS, type MatchInput, type ServiceInput, type TargetInput } from "./schema";

const NOT_FOUND = "关爱对象不存在，或您无权查看";

const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in Asia/Shanghai, "YYYY-MM-DD". */
export function todayOf(clock: Clock): string {
  return dayFmt.format(clock.now());
}

/** A PostgreSQL date (read as local midnight) back to "YYYY-MM-DD". */
export function dayOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function assertCan(actor: CareActor, action: Action, placePath: string) {
  const role = grantingRole(actor, action, { placePath });
  if (!role) throw new DomainError("forbidden", "您没有权限进行此操作");
  return role;
}

function withRole(ctx: AuditContext, role: string | null | undefined): AuditContext {
  return { ...ctx, role: role ?? null };
}

export type PreparedTarget = Omit<Insertable<CareTargetsTable>, "created_by" | "import_batch_id">;
export type FieldProblem = { field: keyof TargetInput | "community"; reason: string };

/**
 * Turns valid input into the row to store: the ID number and phones encrypted, the keyed hash
 * beside the number, sex and birth year derived from it. A minor at referral needs a guardian.
 */
export function prepareTarget(input: TargetInput, placeId: number, today: string): { ok: true; row: PreparedTarget } | { ok: false; problems: FieldProblem[] } {
  const id = validateIdCard(input.idNumber);
  if (!id.ok) return { ok: false, problems: [{ field: "idNumber", reason: id.reason }] };
  const problems: FieldProblem[] = [];
  if (input.referredOn > today) problems.push({ field: "referredOn", reason: "转介日期不能晚于今天" });
  if (input.consentOn > today) problems.push({ field: "consentOn", reason: "同意日期不能晚于今天" });
  if (id.birthDate > input.referredOn) problems.push({ field: "referredOn", reason: "转介日期早于出生日期" });
  const minor = ageOn(id.birthDate, new Date(`${input.referredOn}T12:00:00+08:00`)) < ADULT_AGE;
  if (minor && !input.guardianName) problems.push({ field: "guardianName", reason: "未成年人须填写监护人" });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    row: {
      place_id: placeId,
      name: input.name,
      id_number_enc: encryptField(id.value),
      id_number_hash: blindIndex(id.value),
      sex: id.sex,
      birth_year: Number(id.birthDate.slice(0, 4)),
      phone_enc: encryptOptional(input.phone),
      address: input.address ?? "",
      groups: [...new Set(input.groups)],
      needs: input.needs ?? "",
      guardian_name: input.guardianName || null,
      guardian_relation: input.guardianRelation || null,
      guardian_phone_enc: encryptOptional(input.guardianPhone),
      source: input.source,
      consent_by: input.consentBy,
      consent_on: input.consentOn,
      consent_method: input.consentMethod,
      consent_photos: input.consentPhotos,
      minor_at_referral: minor,
      referred_on: input.referredOn,
    },
  };
}

export async function createTarget(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, input: TargetInput): Promise<{ id: string }> {
  const place = await db.selectFrom("places").select(["id", "path", "level"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || place.level !== "community") throw new DomainError("invalid", "请选择关爱对象所在的社区或村", { placeId: "请选择社区或村" });
  const role = assertCan(actor, "care.manage", place.path);
  const prepared = prepareTarget(input, place.id, todayOf(clock));
  if (!prepared.ok) throw new DomainError("invalid", "请修改以下内容后再提交", Object.fromEntries(prepared.problems.map((p) => [p.field, p.reason])));
  const row = await db
    .insertInto("care_targets")
    .values({ ...prepared.row, created_by: actor.userId })
    .onConflict((oc) => oc.column("id_number_hash").doNothing())
    .returning("id")
    .executeTakeFirst();
  // Saying that a record exists elsewhere is the price of finding duplicates; where, and whose, is not said.
  if (!row) throw new DomainError("conflict", "该身份证号码已有关爱对象记录", { idNumber: "与已有记录重复" });
  await audit(db, withRole(ctx, role.role), { action: "care.create", entityType: "care_target", entityId: row.id, placeId: place.id, summary: { groups: prepared.row.groups, source: input.source } });
  return row;
}

export interface MatchView {
  id: string;
  kind: CarerKind;
  carerName: string;
  organisationName: string | null;
  status: "active" | "ended";
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
}

export interface ServiceView {
  id: string;
  servedOn: string;
  kind: string;
  durationMinutes: number;
  notes: string;
  followUp: boolean;
  loggedBy: string;
}

export interface TargetView {
  access: { reason: AccessReason; reasonLabel: string; isOfficer: boolean; matchId: string | null };
  id: string;
  name: string;
  idMasked: string;
  sex: "male" | "female";
  age: number;
  phoneMasked: string | null;
  address: string;
  placeTrail: string;
  groups: string[];
  needs: string;
  guardian: { name: string; relation: string | null; phoneMasked: string | null } | null;
  minorAtReferral: boolean;
  source: string;
  consent: { by: string; on: string; method: string; photos: boolean };
  referredOn: string;
  matches: MatchView[];
  services: ServiceView[];
  outcomes: Array<{ id: string; achievedOn: string; description: string }>;
  caseView: { monthly: Array<{ month: string; count: number; minutes: number }>; gaps: ServiceGap[]; overdue: boolean; daysSinceLast: number } | null;
  /** For staff only: who read this record, when and why (from the audit log). */
  accessHistory: Array<{ at: Date; action: string; actorName: string | null; reason: string | null }> | null;
}

async function placeTrail(db: Executor, placeId: number): Promise<string> {
  const row = await db.selectFrom("places").select("path").where("id", "=", placeId).executeTakeFirstOrThrow();
  const ids = row.path.split("/").filter(Boolean).map(Number);
  const rows = await db.selectFrom("places").select(["id", "name", "level"]).where("id", "in", ids).execute();
  return ids
    .map((id) => rows.find((r) => r.id === id))
    .filter((r) => r && r.level !== "province")
    .map((r) => r!.name)
    .join(" · ");
}

/**
 * The one way to read a care target's record: decides access, writes the "care.read" audit row
 * with the reader and the reason, and returns everything the record's page shows, with the ID
 * number and phones masked.
 */
export async function readTarget(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, targetId: string): Promise<TargetView> {
  const access = await canSeeTarget(db, actor, targetId);
  if (!access) throw new DomainError("not_found", NOT_FOUND);
  const t = await db.selectFrom("care_targets").selectAll().where("id", "=", targetId).executeTakeFirstOrThrow();
  const today = todayOf(clock);
  const idNumber = decryptField(t.id_number_enc);
  const id = validateIdCard(idNumber);
  const guardianPhone = decryptOptional(t.guardian_phone_enc);
  const phone = decryptOptional(t.phone_enc);

  const [trail, matches, services, outcomes] = await Promise.all([
    placeTrail(db, t.place_id),
    db
      .selectFrom("care_matches as m")
      .leftJoin("users as u", "u.id", "m.user_id")
      .leftJoin("organisations as o", "o.id", "m.organisation_id")
      .select(["m.id", "m.carer_kind", "u.display_name", "o.name as org_name", "m.status", "m.started_on", "m.ended_on", "m.end_reason"])
      .where("m.target_id", "=", targetId)
      .orderBy("m.status")
      .orderBy("m.started_on", "desc")
      .execute(),
    db
      .selectFrom("care_services as s")
      .innerJoin("users as u", "u.id", "s.logged_by")
      .select(["s.id", "s.served_on", "s.kind", "s.duration_minutes", "s.notes", "s.follow_up", "u.display_name"])
      .where("s.target_id", "=", targetId)
      .orderBy("s.served_on", "desc")
      .orderBy("s.created_at", "desc")
      .limit(500)
      .execute(),
    db.selectFrom("care_outcomes").select(["id", "achieved_on", "description"]).where("target_id", "=", targetId).orderBy("achieved_on", "desc").execute(),
  ]);

  await audit(db, withRole(ctx, access.role), {
    action: "care.read",
    entityType: "care_target",
    entityId: targetId,
    placeId: t.place_id,
    summary: { reason: ACCESS_REASON_LABELS[access.reason] },
  });

  const isOfficer = access.reason === "officer";
  const accessHistory = isOfficer
    ? (
        await db
          .selectFrom("audit_log as a")
          .leftJoin("users as u", "u.id", "a.actor_user_id")
          .select(["a.at", "a.action", "u.display_name", "a.summary"])
          .where("a.entity_type", "=", "care_target")
          .where("a.entity_id", "=", targetId)
          .orderBy("a.id", "desc")
          .limit(100)
          .execute()
      ).map((a) => ({ at: a.at, action: a.action, actorName: a.display_name, reason: typeof a.summary.reason === "string" ? a.summary.reason : null }))
    : null;

  const matchViews: MatchView[] = matches.map((m) => ({
    id: m.id,
    kind: m.carer_kind,
    carerName: m.display_name ?? m.org_name ?? "—",
    organisationName: m.org_name,
    status: m.status,
    startedOn: dayOf(m.started_on),
    endedOn: m.ended_on ? dayOf(m.ended_on) : null,
    endReason: m.end_reason,
  }));
  const serviceDays = services.map((s) => dayOf(s.served_on));
  const active = matchViews.filter((m) => m.status === "active");
  const careStart = matchViews.length ? matchViews.map((m) => m.startedOn).sort()[0] : null;
  const monthly = new Map<string, { count: number; minutes: number }>();
  for (const s of services) {
    const month = dayOf(s.served_on).slice(0, 7);
    const m = monthly.get(month) ?? { count: 0, minutes: 0 };
    monthly.set(month, { count: m.count + 1, minutes: m.minutes + s.duration_minutes });
  }

  return {
    access: { reason: access.reason, reasonLabel: ACCESS_REASON_LABELS[access.reason], isOfficer, matchId: access.matchId ?? null },
    id: t.id,
    name: t.name,
    idMasked: maskIdCard(idNumber),
    sex: t.sex,
    age: id.ok ? ageOn(id.birthDate, clock.now()) : clock.now().getFullYear() - t.birth_year,
    phoneMasked: phone ? maskPhone(phone) : null,
    address: t.address,
    placeTrail: trail,
    groups: t.groups,
    needs: t.needs,
    guardian: t.guardian_name ? { name: t.guardian_name, relation: t.guardian_relation, phoneMasked: guardianPhone ? maskPhone(guardianPhone) : null } : null,
    minorAtReferral: t.minor_at_referral,
    source: t.source,
    consent: { by: t.consent_by, on: dayOf(t.consent_on), method: t.consent_method, photos: t.consent_photos },
    referredOn: dayOf(t.referred_on),
    matches: matchViews,
    services: services.map((s) => ({
      id: s.id,
      servedOn: dayOf(s.served_on),
      kind: s.kind,
      durationMinutes: s.duration_minutes,
      notes: s.notes,
      followUp: s.follow_up,
      loggedBy: s.display_name,
    })),
    outcomes: outcomes.map((o) => ({ id: o.id, achievedOn: dayOf(o.achieved_on), description: o.description })),
    caseView:
      careStart && (active.length > 0 || services.length > 0)
        ? {
            monthly: [...monthly].map(([month, v]) => ({ month, ...v })).sort((a, b) => a.month.localeCompare(b.month)),
            ...serviceGaps(careStart, serviceDays, active.length > 0 ? today : (serviceDays[0] ?? today)),
          }
        : null,
    accessHistory,
  };
}

export interface TargetListItem {
  id: string;
  name: string;
  community: string;
  groups: string[];
  idMasked: string;
  phoneMasked: string | null;
  activeMatches: number;
  lastServiceOn: string | null;
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Targets in the places where the actor is bureau staff, masked; each listing is audit-logged. */
export async function listTargets(
  db: Executor,
  actor: CareActor,
  ctx: AuditContext,
  opts: { q?: string; placeId?: number; limit?: number } = {},
): Promise<TargetListItem[]> {
  const scopes = careScopes(actor, "care.read");
  if (scopes.length === 0) throw new DomainError("forbidden", "您没有权限查看关爱对象名单");
  let paths = scopes.map((s) => s.placePath!);
  if (opts.placeId) {
    const place = await db.selectFrom("places").select("path").where("id", "=", opts.placeId).executeTakeFirst();
    if (!place || !paths.some((p) => place.path.startsWith(p))) throw new DomainError("forbidden", "您没有权限查看该地区的关爱对象");
    paths = [place.path];
  }
  let q = db
    .selectFrom("care_targets as t")
    .innerJoin("places as p", "p.id", "t.place_id")
    .select((eb) => [
      "t.id",
      "t.name",
      "p.name as community",
      "t.groups",
      "t.id_number_enc",
      "t.phone_enc",
      eb.selectFrom("care_matches as m").select((e) => e.fn.countAll<number>().as("n")).whereRef("m.target_id", "=", "t.id").where("m.status", "=", "active").as("active_matches"),
      eb.selectFrom("care_services as s").select((e) => e.fn.max("s.served_on").as("d")).whereRef("s.target_id", "=", "t.id").as("last_service"),
    ])
    .where((eb) => eb.or(paths.map((p) => eb("p.path", "like", `${p}%`))));
  const search = opts.q?.trim();
  if (search) {
    const asId = validateIdCard(search);
    q = asId.ok ? q.where("t.id_number_hash", "=", blindIndex(asId.value)) : q.where("t.name", "like", likePattern(search));
  }
  const rows = await q.orderBy("t.created_at", "desc").orderBy("t.id").limit(opts.limit ?? 50).execute();
  await audit(db, withRole(ctx, scopes[0].role), { action: "care.list", entityType: "care_target", summary: { count: rows.length, placeId: opts.placeId ?? null, searched: Boolean(search) } });
  return rows.map((r) => {
    const phone = decryptOptional(r.phone_enc);
    return {
      id: r.id,
      name: r.name,
      community: r.community,
      groups: r.groups,
      idMasked: maskIdCard(decryptField(r.id_number_enc)),
      phoneMasked: phone ? maskPhone(phone) : null,
      activeMatches: Number(r.active_matches ?? 0),
      lastServiceOn: r.last_service ? dayOf(new Date(r.last_service as unknown as string | Date)) : null,
    };
  });
}

/** The full ID number and phones, once, for a stated reason that goes to the audit log. */
export async function unmaskTarget(
  db: Executor,
  actor: CareActor,
  ctx: AuditContext,
  targetId: string,
  reason: string,
): Promise<{ idNumber: string; phone: string | null; guardianPhone: string | null }> {
  const access = await canSeeTarget(db, actor, targetId);
  if (!access) throw new DomainError("not_found", NOT_FOUND);
  const role = assertCan(actor, "care.unmask", access.placePath);
  const t = await db.selectFrom("care_targets").select(["id_number_enc", "phone_enc", "guardian_phone_enc"]).where("id", "=", targetId).executeTakeFirstOrThrow();
  await audit(db, withRole(ctx, role.role), { action: "care.unmask", entityType: "care_target", entityId: targetId, placeId: access.placeId, summary: { reason } });
  return { idNumber: decryptField(t.id_number_enc), phone: decryptOptional(t.phone_enc), guardianPhone: decryptOptional(t.guardian_phone_enc) };
}

/** The targets under a place as CSV rows (ID numbers and phones masked); audit-logged with every target exported. */
export async function exportTargets(db: Executor, actor: CareActor, ctx: AuditContext, placeId: number): Promise<{ rows: string[][]; count: number }> {
  const place = await db.selectFrom("places").select(["id", "path"]).where("id", "=", placeId).executeTakeFirst();
  if (!place) throw new DomainError("not_found", "地区不存在");
  const role = assertCan(actor, "care.export", place.path);
  const targets = await db
    .selectFrom("care_targets as t")
    .innerJoin("places as p", "p.id", "t.place_id")
    .select(["t.id", "t.name", "p.name as community", "t.sex", "t.birth_year", "t.groups", "t.id_number_enc", "t.phone_enc", "t.address", "t.source"])
    .where("p.path", "like", `${place.path}%`)
    .orderBy("p.name")
    .orderBy("t.name")
    .limit(10_000)
    .execute();
  await audit(db, withRole(ctx, role.role), { action: "care.export", entityType: "care_target", placeId: place.id, summary: { count: targets.length, targetIds: targets.map((t) => t.id) } });
  const rows = [
    ["姓名", "身份证号码（脱敏）", "性别", "出生年份", "联系电话（脱敏）", "社区", "地址", "群体"],
    ...targets.map((t) => {
      const phone = decryptOptional(t.phone_enc);
      return [t.name, maskIdCard(decryptField(t.id_number_enc)), t.sex === "male" ? "男" : "女", String(t.birth_year), phone ? maskPhone(phone) : "", t.community, t.address, t.groups.join("、")];
    }),
  ];
  return { rows, count: targets.length };
}

export async function matchTarget(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, targetId: string, input: MatchInput): Promise<{ id: string }> {
  const access = await canSeeTarget(db, actor, targetId);
  if (!access) throw new DomainError("not_found", NOT_FOUND);
  const role = assertCan(actor, "care.match", access.placePath);
  if (input.startedOn > todayOf(clock)) throw new DomainError("invalid", "开始日期不能晚于今天", { startedOn: "开始日期不能晚于今天" });
  let userId: string | null = null;
  let organisationId: string | null = null;
  if (input.kind === "organisation") {
    const org = await db.selectFrom("organisations").select("id").where("id", "=", input.organisationId!).executeTakeFirst();
    if (!org) throw new DomainError("invalid", "社会组织不存在", { organisationId: "社会组织不存在" });
    organisationId = org.id;
  } else {
    const user = await db.selectFrom("users").select("id").where("phone", "=", input.carerPhone!).where("disabled_at", "is", null).executeTakeFirst();
    if (!user) throw new DomainError("invalid", "该手机号码尚未注册，请服务人员先注册账户", { carerPhone: "该手机号码尚未注册" });
    userId = user.id;
  }
  const row = await db
    .insertInto("care_matches")
    .values({ target_id: targetId, carer_kind: input.kind, user_id: userId, organisation_id: organisationId, started_on: input.startedOn, created_by: actor.userId })
    .onConflict((oc) =>
      oc
        .expression(sql`target_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000')`)
        .where("status", "=", "active")
        .doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "该服务方已与此对象对接");
  await audit(db, withRole(ctx, role.role), { action: "care.match", entityType: "care_target", entityId: targetId, placeId: access.placeId, summary: { matchId: row.id, kind: input.kind, userId, organisationId } });
  return row;
}

/** Ends a match (history kept); the carer loses access to the record at once. */
export async function endMatch(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, targetId: string, input: { matchId: string; endReason?: string }): Promise<void> {
  const access = await canSeeTarget(db, actor, targetId);
  if (!access) throw new DomainError("not_found", NOT_FOUND);
  const role = assertCan(actor, "care.match", access.placePath);
  const row = await db
    .updateTable("care_matches")
    .set({ status: "ended", ended_on: todayOf(clock), end_reason: input.endReason || null, ended_by: actor.userId })
    .where("id", "=", input.matchId)
    .where("target_id", "=", targetId)
    .where("status", "=", "active")
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("not_found", "对接记录不存在或已结束");
  await audit(db, withRole(ctx, role.role), { action: "care.match_end", entityType: "care_target", entityId: targetId, placeId: access.placeId, summary: { matchId: row.id, reason: input.endReason ?? null } });
}

/** A service given by a carer matched to the target right now. */
export async function logService(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, input: ServiceInput): Promise<{ id: string }> {
  const match = await activeMatchOf(db, actor, input.targetId);
  if (!match) {
    const access = await canSeeTarget(db, actor, input.targetId);
    if (!access) throw new DomainError("not_found", NOT_FOUND);
    throw new DomainError("forbidden", "只有当前对接的服务人员可以记录服务");
  }
  const today = todayOf(clock);
  if (input.servedOn > today) throw new DomainError("invalid", "服务日期不能晚于今天", { servedOn: "服务日期不能晚于今天" });
  if (input.servedOn < dayOf(match.startedOn)) throw new DomainError("invalid", "服务日期早于对接开始日期", { servedOn: `对接自 ${dayOf(match.startedOn)} 开始` });
  const target = await db.selectFrom("care_targets").select("place_id").where("id", "=", input.targetId).executeTakeFirstOrThrow();
  const kind = input.kind === OTHER_SERVICE ? `${OTHER_SERVICE}：${input.otherKind}` : input.kind;
  const row = await db
    .insertInto("care_services")
    .values({
      target_id: input.targetId,
      match_id: match.id,
      logged_by: actor.userId,
      served_on: input.servedOn,
      kind,
      duration_minutes: input.durationMinutes,
      notes: input.notes ?? "",
      follow_up: input.followUp,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(db, withRole(ctx, match.role), { action: "care.service_log", entityType: "care_target", entityId: input.targetId, placeId: target.place_id, summary: { serviceId: row.id, kind, minutes: input.durationMinutes } });
  return row;
}

export async function recordOutcome(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, targetId: string, input: { achievedOn: string; description: string }): Promise<{ id: string }> {
  const access = await canSeeTarget(db, actor, targetId);
  if (!access) throw new DomainError("not_found", NOT_FOUND);
  const role = assertCan(actor, "care.manage", access.placePath);
  if (input.achievedOn > todayOf(clock)) throw new DomainError("invalid", "日期不能晚于今天", { achievedOn: "日期不能晚于今天" });
  const row = await db.insertInto("care_outcomes").values({ target_id: targetId, achieved_on: input.achievedOn, description: input.description, recorded_by: actor.userId }).returning("id").executeTakeFirstOrThrow();
  await audit(db, withRole(ctx, role.role), { action: "care.outcome", entityType: "care_target", entityId: targetId, placeId: access.placeId, summary: { outcomeId: row.id } });
  return row;
}

export interface MyTarget {
  id: string;
  name: string;
  community: string;
  kind: CarerKind;
  organisationName: string | null;
  startedOn: string;
  lastServiceOn: string | null;
  overdue: boolean;
}

/** The targets the actor (or their organisation) is matched to now: the carer's own list. */
export async function myTargets(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock): Promise<MyTarget[]> {
  const orgs = organisationsOf(actor);
  const rows = await db
    .selectFrom("care_matches as m")
    .innerJoin("care_targets as t", "t.id", "m.target_id")
    .innerJoin("places as p", "p.id", "t.place_id")
    .leftJoin("organisations as o", "o.id", "m.organisation_id")
    .select((eb) => [
      "t.id",
      "t.name",
      "p.name as community",
      "m.carer_kind",
      "o.name as org_name",
      "m.started_on",
      eb.selectFrom("care_services as s").select((e) => e.fn.max("s.served_on").as("d")).whereRef("s.target_id", "=", "t.id").as("last_service"),
    ])
    .where("m.status", "=", "active")
    .where((eb) => eb.or([eb("m.user_id", "=", actor.userId), ...(orgs.length ? [eb("m.organisation_id", "in", orgs)] : [])]))
    .orderBy("t.name")
    .execute();
  const today = todayOf(clock);
  const seen = new Set<string>();
  const out: MyTarget[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const last = r.last_service ? dayOf(new Date(r.last_service as unknown as string | Date)) : null;
    const startedOn = dayOf(r.started_on);
    out.push({
      id: r.id,
      name: r.name,
      community: r.community,
      kind: r.carer_kind,
      organisationName: r.org_name,
      startedOn,
      lastServiceOn: last,
      overdue: serviceGaps(startedOn, last ? [last] : [], today).overdue,
    });
  }
  if (out.length) await audit(db, ctx, { action: "care.list", entityType: "care_target", summary: { count: out.length, reason: "对接服务人员" } });
  return out;
}

export async function linkOrganisation(db: Executor, actor: CareActor, ctx: AuditContext, clock: Clock, input: { organisationId: string; placeId: number }): Promise<{ id: string }> {
  const place = await db.selectFrom("places").select(["id", "path", "level"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || place.level !== "community") throw new DomainError("invalid", "请选择社区或村", { placeId: "请选择社区或村" });
  const role = assertCan(actor, "care.manage", place.path);
  const org = await db.selectFrom("organisations").select("id").where("id", "=", input.organisationId).executeTakeFirst();
  if (!org) throw new DomainError("invalid", "社会组织不存在", { organisationId: "社会组织不存在" });
  const row = await db
    .insertInto("care_community_links")
    .values({ organisation_id: org.id, place_id: place.id, started_on: todayOf(clock), created_by: actor.userId })
    .onConflict((oc) => oc.columns(["organisation_id", "place_id"]).where("ended_on", "is", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "该组织已与此社区（村）结对");
  await audit(db, withRole(ctx, role.role), { action: "care.link", entityType: "organisation", entityId: org.id, placeId: place.id });
  return row;
}

export async function listLinks(db: Executor, actor: CareActor): Promise<Array<{ id: string; organisation: string; community: string; startedOn: string }>> {
  const paths = careScopes(actor, "care.read").map((s) => s.placePath!);
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom("care_community_links as l")
    .innerJoin("organisations as o", "o.id", "l.organisation_id")
    .innerJoin("places as p", "p.id", "l.place_id")
    .select(["l.id", "o.name as organisation", "p.name as community", "l.started_on"])
    .where("l.ended_on", "is", null)
    .where((eb) => eb.or(paths.map((p) => eb("p.path", "like", `${p}%`))))
    .orderBy("p.name")
    .execute();
  return rows.map((r) => ({ id: r.id, organisation: r.organisation, community: r.community, startedOn: dayOf(r.started_on) }));
}

/** Exact figures for bureau staff within their places. */
export async function officerDashboard(db: Executor, actor: CareActor, clock: Clock, placePath: string) {
  assertCan(actor, "care.read", placePath);
  const cutoff = addDays(todayOf(clock), -30);
  // A part of the install aggregates the matches and services of its own targets only (at
  // province scale a district 180 → 6–11 ms, a city 143 → 95 ms); the root (a path of one id) holds every target,
  // and aggregating all of them at once is then the quicker plan (285 ms against 350).
  const narrow = pathIds(placePath).length > 1;
  const targetsInScope = db.selectFrom("care_targets as st").innerJoin("places as sp", "sp.id", "st.place_id").select("st.id").where("sp.path", "like", `${placePath}%`);
  const row = await db
    .selectFrom("care_targets as t")
    .innerJoin("places as p", "p.id", "t.place_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("care_matches")
          .select(["target_id", (e) => e.fn.min("started_on").as("first_start")])
          .where("status", "=", "active")
          .$if(narrow, (q) => q.where("target_id", "in", targetsInScope))
          .groupBy("target_id")
          .as("m"),
      (join) => join.onRef("m.target_id", "=", "t.id"),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("care_services")
          .select(["target_id", (e) => e.fn.max("served_on").as("last"), (e) => e.fn.countAll<number>().as("n")])
          .$if(narrow, (q) => q.where("target_id", "in", targetsInScope))
          .groupBy("target_id")
          .as("s"),
      (join) => join.onRef("s.target_id", "=", "t.id"),
    )
    .select([
      sql<number>`count(*)`.as("total"),
      sql<number>`count(*) filter (where m.target_id is not null)`.as("matched"),
      sql<number>`count(*) filter (where m.target_id is not null and coalesce(s.last, m.first_start) < ${cutoff}::date)`.as("overdue"),
      sql<number>`coalesce(sum(s.n), 0)`.as("services"),
    ])
    .where("p.path", "like", `${placePath}%`)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), matched: Number(row.matched), unmatched: Number(row.total) - Number(row.matched), overdue: Number(row.overdue), services: Number(row.services) };
}

/**
 * What everyone may see: counts by place below the given one, by group and by service, with
 * every count from 1 to 4 shown as "<5" (rules.ts).
 */
export async function publicStats(db: Executor, clock: Clock, placeId: number) {
  const place = await db.selectFrom("places").select(["id", "name", "path"]).where("id", "=", placeId).executeTakeFirst();
  if (!place) throw new DomainError("not_found", "地区不存在");
  const since = addDays(todayOf(clock), -365);
  const [byPlace, byGroup, byService] = await Promise.all([
    db
      .selectFrom("places as c")
      .leftJoin("places as tp", (j) => j.on(sql<boolean>`tp.path like c.path || '%'`))
      .leftJoin("care_targets as t", "t.place_id", "tp.id")
      .select(["c.id", "c.name", (eb) => eb.fn.count<number>("t.id").as("n")])
      .where("c.parent_id", "=", place.id)
      .groupBy(["c.id", "c.name", "c.code"])
      .orderBy("c.code")
      .orderBy("c.id")
      .execute(),
    db
      .selectFrom(sql<{ grp: string; id: string }>`(select unnest(t.groups) as grp, t.id from care_targets t join places p on p.id = t.place_id where p.path like ${`${place.path}%`})`.as("g"))
      .select(["g.grp", (eb) => eb.fn.count<number>("g.id").distinct().as("n")])
      .groupBy("g.grp")
      .execute(),
    db
      .selectFrom("care_services as s")
      .innerJoin("care_targets as t", "t.id", "s.target_id")
      .innerJoin("places as p", "p.id", "t.place_id")
      .select([sql<string>`split_part(s.kind, '：', 1)`.as("kind"), (eb) => eb.fn.count<number>("s.target_id").distinct().as("n")])
      .where("p.path", "like", `${place.path}%`)
      .where(sql<boolean>`s.served_on >= ${since}::date`)
      .groupBy(sql`split_part(s.kind, '：', 1)`)
      .execute(),
  ]);
  const partition = suppressPartition(byPlace.map((r) => ({ key: { id: r.id, name: r.name }, count: Number(r.n) })));
  const groups = new Map(byGroup.map((g) => [g.grp, Number(g.n)]));
  const services = new Map(byService.map((s) => [s.kind, Number(s.n)]));
  return {
    place: { id: place.id, name: place.name },
    total: partition.total,
    byPlace: partition.cells.map((c) => ({ id: c.key.id, name: c.key.name, shown: c.shown })),
    byGroup: CARE_GROUPS.map((g) => ({ name: g, shown: suppressCount(groups.get(g) ?? 0) })),
    byService: SERVICE_KINDS.map((k) => ({ name: k, shown: suppressCount(services.get(k) ?? 0) })),
  };
}
