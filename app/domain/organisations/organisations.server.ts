import { sql } from "kysely";
import type { OrganisationStatus, OrgRole } from "../../../db/schema";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { escapeLike } from "../../lib/like";
import { changedIdentityFields, IDENTITY_LABELS, nextStatus, ORG_ROLE_LABELS } from "./rules";
import type { InviteMemberInput, OrganisationInput } from "./schema";

const DUPLICATE_USCC = "该统一社会信用代码已登记";

async function requireDistrict(db: Executor, placeId: number) {
  const place = await db.selectFrom("places").select(["id", "level", "name"]).where("id", "=", placeId).executeTakeFirst();
  if (!place || place.level !== "district") throw new DomainError("invalid", "请选择组织所在的区县", { placeId: "请选择区县一级的地区" });
  return place;
}

function profileColumns(input: OrganisationInput) {
  return {
    name: input.name,
    uscc: input.uscc,
    type: input.type,
    registering_bureau: input.registeringBureau,
    place_id: input.placeId,
    address: input.address,
    contact_person: input.contactPerson,
    contact_phone: input.contactPhone,
    service_areas: input.serviceAreas,
    introduction: input.introduction,
  };
}

function isUniqueViolation(e: unknown, constraint: string): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "23505" && (e as { constraint?: string }).constraint === constraint;
}

/**
 * Registers an organisation (status 待查验). The person registering becomes its 负责人 and gets
 * the org_member role assignment the permission table works with.
 */
export async function registerOrganisation(trx: Trx, ctx: AuditContext, input: OrganisationInput): Promise<{ id: string }> {
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  await requireDistrict(trx, input.placeId);
  const org = await trx
    .insertInto("organisations")
    .values({ ...profileColumns(input), registered_by: ctx.userId })
    .onConflict((oc) => oc.column("uscc").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!org) throw new DomainError("conflict", DUPLICATE_USCC, { uscc: DUPLICATE_USCC });
  await addMember(trx, ctx, org.id, ctx.userId, "lead");
  await audit(trx, ctx, {
    action: "organisation.register",
    entityType: "organisation",
    entityId: org.id,
    placeId: input.placeId,
    summary: { after: { name: input.name, uscc: input.uscc, type: input.type } },
  });
  return org;
}

/** A member row plus the org_member role assignment, kept together. */
async function addMember(trx: Trx, ctx: AuditContext, organisationId: string, userId: string, orgRole: OrgRole) {
  await trx.insertInto("organisation_members").values({ organisation_id: organisationId, user_id: userId, org_role: orgRole, invited_by: ctx.userId }).execute();
  await trx
    .insertInto("role_assignments")
    .values({ user_id: userId, role: "org_member", organisation_id: organisationId, granted_by: ctx.userId })
    .onConflict((oc) => oc.expression(sql`user_id, role, coalesce(place_id, 0), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000')`).where("revoked_at", "is", null).doNothing())
    .execute();
}

/** Locks the organisation row for the rest of the transaction and returns what commands need. */
async function lockOrganisation(trx: Trx, id: string) {
  const org = await trx
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select([
      "o.id",
      "o.name",
      "o.uscc",
      "o.type",
      "o.registering_bureau as registeringBureau",
      "o.place_id as placeId",
      "o.status",
      "p.path as placePath",
    ])
    .where("o.id", "=", id)
    .forUpdate("o")
    .executeTakeFirst();
  if (!org) throw new DomainError("not_found", "组织不存在");
  return org;
}

async function requireLead(trx: Trx, organisationId: string, userId: string | null) {
  const role = userId ? await memberRole(trx, organisationId, userId) : undefined;
  if (role !== "lead") throw new DomainError("forbidden", "只有组织负责人可以管理成员");
}

/**
 * Edits the profile. Identity fields (name, code, type, bureau, district) are fixed once verified;
 * a returned organisation's edit submits it for 查验 again.
 */
export async function updateOrganisation(trx: Trx, ctx: AuditContext, id: string, input: OrganisationInput): Promise<{ status: OrganisationStatus }> {
  const org = await lockOrganisation(trx, id);
  if (!ctx.userId || !(await memberRole(trx, id, ctx.userId))) throw new DomainError("forbidden", "只有本组织成员可以修改资料");
  if (org.status === "verified") {
    const changed = changedIdentityFields(org as Parameters<typeof changedIdentityFields>[0], input);
    if (changed.length > 0) {
      throw new DomainError(
        "invalid",
        `组织已通过查验，${changed.map((f) => IDENTITY_LABELS[f]).join("、")}不能修改；如需变更请联系民政局`,
        Object.fromEntries(changed.map((f) => [f, "已查验，不能修改"])),
      );
    }
  }
  await requireDistrict(trx, input.placeId);
  const status = nextStatus(org.status, "resubmit") ?? org.status;
  try {
    await trx
      .updateTable("organisations")
      .set({ ...profileColumns(input), status, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
  } catch (e) {
    if (isUniqueViolation(e, "organisations_uscc_key")) throw new DomainError("conflict", DUPLICATE_USCC, { uscc: DUPLICATE_USCC });
    throw e;
  }
  await audit(trx, ctx, {
    action: status !== org.status ? "organisation.resubmit" : "organisation.update",
    entityType: "organisation",
    entityId: id,
    placeId: input.placeId,
    summary: { before: { name: org.name, uscc: org.uscc, status: org.status }, after: { name: input.name, uscc: input.uscc, status } },
  });
  return { status };
}

async function decide(trx: Trx, ctx: AuditContext, actor: Principal, id: string, step: "verify" | "return", clock: Clock, reason?: string) {
  const org = await lockOrganisation(trx, id);
  if (!can(actor, "organisation.verify", { placePath: org.placePath })) {
    throw new DomainError("forbidden", "只有组织所在区县（或其上级）的民政局工作人员可以查验");
  }
  const to = nextStatus(org.status, step);
  if (!to) {
    throw new DomainError("conflict", org.status === "verified" ? "该组织已通过查验" : "该组织已被退回，待其修改资料后重新提交");
  }
  const now = clock.now();
  await trx
    .updateTable("organisations")
    .set(
      step === "verify"
        ? { status: to, verified_at: now, verified_by: ctx.userId, updated_at: now }
        : { status: to, returned_at: now, return_reason: reason ?? null, updated_at: now },
    )
    .where("id", "=", id)
    .execute();
  await audit(trx, ctx, {
    action: step === "verify" ? "organisation.verify" : "organisation.return",
    entityType: "organisation",
    entityId: id,
    placeId: org.placeId,
    summary: { before: { status: org.status }, after: { status: to }, ...(reason ? { reason } : {}) },
  });
}

/** 查验通过. The actor must be an officer whose place covers the organisation's district. */
export function verifyOrganisation(trx: Trx, ctx: AuditContext, actor: Principal, id: string, clock: Clock): Promise<void> {
  return decide(trx, ctx, actor, id, "verify", clock);
}

/** 退回, with the reason the organisation will read. */
export function returnOrganisation(trx: Trx, ctx: AuditContext, actor: Principal, id: string, reason: string, clock: Clock): Promise<void> {
  return decide(trx, ctx, actor, id, "return", clock, reason);
}

/**
 * Adds an existing account as a member. A number without an account is refused ("请对方先注册")
 * rather than kept as a pending invitation: nothing about an unregistered person is stored.
 */
export async function inviteMember(trx: Trx, ctx: AuditContext, organisationId: string, input: InviteMemberInput): Promise<{ userId: string }> {
  await lockOrganisation(trx, organisationId);
  await requireLead(trx, organisationId, ctx.userId);
  const user = await trx.selectFrom("users").select(["id", "disabled_at"]).where("phone", "=", input.phone).executeTakeFirst();
  if (!user || user.disabled_at) throw new DomainError("invalid", "该手机号码尚未注册，请对方先注册", { phone: "该手机号码尚未注册，请对方先注册" });
  if (await memberRole(trx, organisationId, user.id)) throw new DomainError("conflict", "该用户已是本组织成员", { phone: "该用户已是本组织成员" });
  await addMember(trx, ctx, organisationId, user.id, input.orgRole);
  await audit(trx, ctx, {
    action: "organisation.member_add",
    entityType: "organisation",
    entityId: organisationId,
    summary: { after: { userId: user.id, orgRole: input.orgRole } },
  });
  return { userId: user.id };
}

async function leadCount(trx: Trx, organisationId: string): Promise<number> {
  const { n } = await trx
    .selectFrom("organisation_members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organisation_id", "=", organisationId)
    .where("org_role", "=", "lead")
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function currentMember(trx: Trx, organisationId: string, userId: string) {
  const role = await memberRole(trx, organisationId, userId);
  if (!role) throw new DomainError("not_found", "该用户不是本组织成员");
  return role;
}

export async function changeMemberRole(trx: Trx, ctx: AuditContext, organisationId: string, userId: string, orgRole: OrgRole): Promise<void> {
  await lockOrganisation(trx, organisationId);
  await requireLead(trx, organisationId, ctx.userId);
  const before = await currentMember(trx, organisationId, userId);
  if (before === orgRole) return;
  if (before === "lead" && (await leadCount(trx, organisationId)) <= 1) throw new DomainError("conflict", "组织至少需要一名负责人");
  await trx.updateTable("organisation_members").set({ org_role: orgRole }).where("organisation_id", "=", organisationId).where("user_id", "=", userId).execute();
  await audit(trx, ctx, {
    action: "organisation.member_role",
    entityType: "organisation",
    entityId: organisationId,
    summary: { userId, before: { orgRole: before }, after: { orgRole }, label: ORG_ROLE_LABELS[orgRole] },
  });
}

/** Removes a member and revokes the org_member role assignment with it. */
export async function removeMember(trx: Trx, ctx: AuditContext, organisationId: string, userId: string): Promise<void> {
  await lockOrganisation(trx, organisationId);
  await requireLead(trx, organisationId, ctx.userId);
  const before = await currentMember(trx, organisationId, userId);
  if (before === "lead" && (await leadCount(trx, organisationId)) <= 1) throw new DomainError("conflict", "组织至少需要一名负责人");
  await trx.deleteFrom("organisation_members").where("organisation_id", "=", organisationId).where("user_id", "=", userId).execute();
  await trx
    .updateTable("role_assignments")
    .set({ revoked_at: new Date(), revoked_by: ctx.userId })
    .where("user_id", "=", userId)
    .where("role", "=", "org_member")
    .where("organisation_id", "=", organisationId)
    .where("revoked_at", "is", null)
    .execute();
  await audit(trx, ctx, { action: "organisation.member_remove", entityType: "organisation", entityId: organisationId, summary: { userId, before: { orgRole: before } } });
}

export async function memberRole(db: Executor, organisationId: string, userId: string): Promise<OrgRole | undefined> {
  const row = await db
    .selectFrom("organisation_members")
    .select("org_role")
    .where("organisation_id", "=", organisationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.org_role;
}

export async function isVerified(db: Executor, organisationId: string): Promise<boolean> {
  const row = await db.selectFrom("organisations").select("status").where("id", "=", organisationId).executeTakeFirst();
  return row?.status === "verified";
}

/** For the calls/bids feature: only a verified organisation may bid. */
export async function assertCanBid(db: Executor, organisationId: string): Promise<void> {
  const row = await db.selectFrom("organisations").select(["status", "name"]).where("id", "=", organisationId).executeTakeFirst();
  if (!row) throw new DomainError("not_found", "组织不存在");
  if (row.status !== "verified") throw new DomainError("forbidden", `「${row.name}」尚未通过民政局查验，暂不能申报项目`);
}

export interface OrganisationProfile {
  id: string;
  name: string;
  uscc: string | null;
  type: string | null;
  registeringBureau: string | null;
  placeId: number;
  placeName: string;
  placePath: string;
  address: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  serviceAreas: string[];
  introduction: string | null;
  status: OrganisationStatus;
  verifiedAt: Date | null;
  returnReason: string | null;
  createdAt: Date;
}

export async function getOrganisation(db: Executor, id: string): Promise<OrganisationProfile | undefined> {
  return db
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select([
      "o.id",
      "o.name",
      "o.uscc",
      "o.type",
      "o.registering_bureau as registeringBureau",
      "o.place_id as placeId",
      "p.name as placeName",
      "p.path as placePath",
      "o.address",
      "o.contact_person as contactPerson",
      "o.contact_phone as contactPhone",
      "o.service_areas as serviceAreas",
      "o.introduction",
      "o.status",
      "o.verified_at as verifiedAt",
      "o.return_reason as returnReason",
      "o.created_at as createdAt",
    ])
    .where("o.id", "=", id)
    .executeTakeFirst();
}

/** Where the organisation is, for requirePermission before anything is loaded in full. */
export async function organisationScope(db: Executor, id: string): Promise<{ placePath: string; organisationId: string } | undefined> {
  const row = await db
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select(["o.id", "p.path"])
    .where("o.id", "=", id)
    .executeTakeFirst();
  return row ? { placePath: row.path, organisationId: row.id } : undefined;
}

export interface OrganisationListItem {
  id: string;
  name: string;
  type: string | null;
  placeName: string;
  status: OrganisationStatus;
  serviceAreas: string[];
}

/** Organisations a staff form's select offers at once; more are found by name (a province has 30,000). */
export const ORGANISATION_CHOICES = 50;

/**
 * A staff form's organisation select: the first ORGANISATION_CHOICES whose name holds `name` (all when
 * it is empty), `more` when others were left out, and the hint to show under the select.
 */
export async function organisationChoices(db: Executor, name: string | undefined) {
  const rows = await listOrganisations(db, { name, limit: ORGANISATION_CHOICES + 1 });
  const options = rows.slice(0, ORGANISATION_CHOICES).map((o) => ({ value: o.id, label: `${o.name}（${o.placeName}）` }));
  const more = rows.length > ORGANISATION_CHOICES;
  const hint = more ? `只列出前 ${options.length} 个，可在上方“组织名称”中查找` : name && options.length === 0 ? "没有找到该名称的组织" : undefined;
  return { options, more, hint };
}

export interface OrganisationFilter {
  placeId?: number;
  /** Words of the name. */
  name?: string;
  type?: string;
  verified?: "yes" | "no";
  /** Keyset cursor: the id of the last row of the previous page (ordered by name, id). */
  after?: string;
  limit?: number;
}

export async function listOrganisations(db: Executor, f: OrganisationFilter): Promise<OrganisationListItem[]> {
  let q = db
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select(["o.id", "o.name", "o.type", "p.name as placeName", "o.status", "o.service_areas as serviceAreas"]);
  if (f.placeId) q = q.where("o.place_id", "=", f.placeId);
  if (f.name) q = q.where("o.name", "ilike", `%${escapeLike(f.name)}%`);
  if (f.type) q = q.where("o.type", "=", f.type);
  if (f.verified === "yes") q = q.where("o.status", "=", "verified");
  if (f.verified === "no") q = q.where("o.status", "!=", "verified");
  if (f.after) {
    q = q.where(sql<boolean>`(o.name, o.id) > (select name, id from organisations where id = ${f.after})`);
  }
  return q.orderBy("o.name").orderBy("o.id").limit(f.limit ?? 30).execute();
}

export async function listMembers(db: Executor, organisationId: string) {
  return db
    .selectFrom("organisation_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.user_id as userId", "u.display_name as displayName", "u.phone", "m.org_role as orgRole", "m.joined_at as joinedAt"])
    .where("m.organisation_id", "=", organisationId)
    .orderBy(sql`m.org_role = 'lead'`, "desc")
    .orderBy("m.joined_at")
    .execute();
}

export async function myOrganisations(db: Executor, userId: string) {
  return db
    .selectFrom("organisation_members as m")
    .innerJoin("organisations as o", "o.id", "m.organisation_id")
    .select(["o.id", "o.name", "o.status", "m.org_role as orgRole"])
    .where("m.user_id", "=", userId)
    .orderBy("o.name")
    .execute();
}

/** Registrations waiting for 查验 within the officer's places, oldest first. */
export async function verificationQueue(db: Executor, placePaths: readonly string[], limit = 100) {
  if (placePaths.length === 0) return [];
  return db
    .selectFrom("organisations as o")
    .innerJoin("places as p", "p.id", "o.place_id")
    .select([
      "o.id",
      "o.name",
      "o.uscc",
      "o.type",
      "o.registering_bureau as registeringBureau",
      "p.name as placeName",
      "o.address",
      "o.contact_person as contactPerson",
      "o.contact_phone as contactPhone",
      "o.introduction",
      "o.updated_at as submittedAt",
    ])
    .where("o.status", "=", "pending")
    .where((eb) => eb.or(placePaths.map((path) => eb("p.path", "like", `${path}%`))))
    .orderBy("o.updated_at")
    .orderBy("o.id")
    .limit(limit)
    .execute();
}

/** Districts for the registration form and the list filter, "南昌市 · 青云谱区". */
export async function districtOptions(db: Executor): Promise<Array<{ value: string; label: string }>> {
  const rows = await db
    .selectFrom("places as d")
    .leftJoin("places as c", "c.id", "d.parent_id")
    .select(["d.id", "d.name", "d.code", "c.name as parentName"])
    .where("d.level", "=", "district")
    .orderBy("d.path")
    .execute();
  return rows
    .sort((a, b) => (a.code ?? "~").localeCompare(b.code ?? "~") || a.id - b.id)
    .map((r) => ({ value: String(r.id), label: r.parentName ? `${r.parentName} · ${r.name}` : r.name }));
}
