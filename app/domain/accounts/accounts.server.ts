import { sql, type Expression } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { RoleCode } from "../../../db/schema";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { prepared, type Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { decoyHash, hashPassword, verifyPassword } from "../../platform/password.server";
import { violatesSeparationOfDuties, type ScopedRole } from "../../platform/permissions";
import { hit, peek, reset } from "../../platform/rate-limit.server";
import { ROLE_LABELS, ROLE_PLACE_LEVELS, ROLE_SCOPE } from "./roles";
import type { AssignRoleInput, ChangePasswordInput, RegisterInput } from "./schema";

export const LOGIN_LIMITS = {
  perAccount: { limit: 5, windowSeconds: 15 * 60 },
  perIp: { limit: 30, windowSeconds: 15 * 60 },
} as const;

export const REGISTER_LIMIT = { limit: 10, windowSeconds: 60 * 60 } as const;

export const GENERIC_LOGIN_ERROR = "手机号码或密码不正确";

export async function registerUser(db: Executor, input: RegisterInput, ctx: AuditContext, clock: Clock): Promise<{ id: string }> {
  const ipState = await hit(db, `register:ip:${ctx.ip ?? "unknown"}`, REGISTER_LIMIT, clock.now());
  if (!ipState.allowed) {
    throw new DomainError("rate_limited", `注册过于频繁，请 ${Math.ceil(ipState.retryAfterSeconds / 60)} 分钟后再试`);
  }
  const passwordHash = await hashPassword(input.password);
  const user = await db
    .insertInto("users")
    .values({ phone: input.phone, display_name: input.displayName, password_hash: passwordHash })
    .onConflict((oc) => oc.column("phone").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!user) throw new DomainError("conflict", "该手机号码已注册，请直接登录", { phone: "该手机号码已注册" });
  await audit(db, { ...ctx, userId: user.id }, { action: "user.register", entityType: "user", entityId: user.id, summary: { phone: input.phone } });
  return user;
}

/**
 * Checks a phone and password. Failures count against the account and the address, in the
 * database, so the slow-down holds across app servers; every outcome is audit-logged.
 */
export async function authenticate(
  db: Executor,
  input: { phone: string; password: string },
  ctx: AuditContext,
  clock: Clock,
): Promise<{ id: string; displayName: string }> {
  const now = clock.now();
  const accountKey = `login:phone:${input.phone}`;
  const ipKey = `login:ip:${ctx.ip ?? "unknown"}`;
  const [acc, ip] = await Promise.all([
    peek(db, accountKey, LOGIN_LIMITS.perAccount, now),
    peek(db, ipKey, LOGIN_LIMITS.perIp, now),
  ]);
  if (acc.hits >= LOGIN_LIMITS.perAccount.limit || ip.hits >= LOGIN_LIMITS.perIp.limit) {
    const wait = Math.max(acc.hits >= LOGIN_LIMITS.perAccount.limit ? acc.retryAfterSeconds : 0, ip.hits >= LOGIN_LIMITS.perIp.limit ? ip.retryAfterSeconds : 0);
    await audit(db, { ...ctx, userId: null }, { action: "user.login_throttled", entityType: "user", summary: { phone: input.phone } });
    throw new DomainError("rate_limited", `登录失败次数过多，请 ${Math.max(1, Math.ceil(wait / 60))} 分钟后再试`);
  }

  const user = await db
    .selectFrom("users")
    .select(["id", "display_name", "password_hash", "disabled_at"])
    .where("phone", "=", input.phone)
    .executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  if (!user || !ok || user.disabled_at) {
    await hit(db, accountKey, LOGIN_LIMITS.perAccount, now);
    await hit(db, ipKey, LOGIN_LIMITS.perIp, now);
    await audit(db, { ...ctx, userId: user?.id ?? null }, { action: "user.login_failed", entityType: "user", entityId: user?.id, summary: { phone: input.phone } });
    throw new DomainError("unauthenticated", GENERIC_LOGIN_ERROR);
  }
  await reset(db, accountKey);
  await audit(db, { ...ctx, userId: user.id }, { action: "user.login", entityType: "user", entityId: user.id });
  return { id: user.id, displayName: user.display_name };
}

export interface RoleRow {
  id: string;
  role: RoleCode;
  placeId: number | null;
  placeName: string | null;
  organisationId: string | null;
  organisationName: string | null;
  grantedAt: Date;
}

/** The one query of a user's active role assignments (oldest first), with their place and organisation. */
function activeRolesOf(db: Executor, userId: string | Expression<string>) {
  return db
    .selectFrom("role_assignments as r")
    .leftJoin("places as p", "p.id", "r.place_id")
    .leftJoin("organisations as o", "o.id", "r.organisation_id")
    .select([
      "r.id",
      "r.role",
      "r.place_id as placeId",
      "p.path as placePath",
      "p.name as placeName",
      "r.organisation_id as organisationId",
      "o.name as organisationName",
      "r.granted_at as grantedAt",
    ])
    .where("r.user_id", "=", userId)
    .where("r.revoked_at", "is", null)
    // Tie-break: roles granted in one transaction share granted_at, and the first is the default scope of care pages.
    .orderBy("r.granted_at")
    .orderBy("r.id");
}

function activeRoles(db: Executor, userId: string) {
  return prepared("active_roles", activeRolesOf(db, userId)).execute();
}

/**
 * The roles of `loadRoles` as one JSON array, for the session lookup to read with the session (one
 * statement per signed-in request instead of two); `rolesFromJson` turns it into ScopedRoles.
 */
export function activeRolesJson(db: Executor, userId: Expression<string>) {
  return jsonArrayFrom(activeRolesOf(db, userId));
}

export function rolesFromJson(rows: ReadonlyArray<Omit<ScopedRole, "placeId"> & { placeId: number | null }>): ScopedRole[] {
  return rows.map(({ role, placeId, placePath, placeName, organisationId, organisationName }) => ({ role, placeId, placePath, placeName, organisationId, organisationName }));
}

/** The roles permissions are decided on (each with its place's materialised path), and the names the header shows. */
export async function loadRoles(db: Executor, userId: string): Promise<ScopedRole[]> {
  return rolesFromJson(await activeRoles(db, userId));
}

/** The assignments as the account pages list them. */
export async function listRoleAssignments(db: Executor, userId: string): Promise<RoleRow[]> {
  return (await activeRoles(db, userId)).map(({ placePath: _path, ...row }) => row);
}

export async function assignRole(db: Executor, ctx: AuditContext, input: AssignRoleInput): Promise<{ id: string }> {
  const scope = ROLE_SCOPE[input.role];
  const label = ROLE_LABELS[input.role];
  let placeId: number | null = null;
  let organisationId: string | null = null;
  if (scope === "place" || (scope === "optional-place" && input.placeId)) {
    if (!input.placeId) throw new DomainError("invalid", `${label}需要指定所属地区`, { placeId: "请选择地区" });
    const place = await db.selectFrom("places").select(["id", "level", "name"]).where("id", "=", input.placeId).executeTakeFirst();
    if (!place) throw new DomainError("invalid", "地区不存在", { placeId: "地区不存在" });
    const levels = ROLE_PLACE_LEVELS[input.role];
    if (levels && !levels.includes(place.level)) {
      throw new DomainError("invalid", `${label}不能设在「${place.name}」这一级`, { placeId: "地区层级不符合该角色" });
    }
    placeId = place.id;
  }
  if (scope === "organisation") {
    if (!input.organisationId) throw new DomainError("invalid", "社会组织成员需要指定所属组织", { organisationId: "请选择组织" });
    const org = await db.selectFrom("organisations").select("id").where("id", "=", input.organisationId).executeTakeFirst();
    if (!org) throw new DomainError("invalid", "组织不存在", { organisationId: "组织不存在" });
    organisationId = org.id;
  }
  const user = await db.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst();
  if (!user) throw new DomainError("not_found", "用户不存在");
  // Separation of duties: nobody may both change data and decide what is erased.
  const held = await db.selectFrom("role_assignments").select("role").where("user_id", "=", input.userId).where("revoked_at", "is", null).execute();
  if (violatesSeparationOfDuties([...held.map((r) => r.role), input.role])) {
    throw new DomainError("conflict", `职责分离：该用户已有的角色能修改数据，不能再担任${label}（可决定删除记录），反之亦然`, { role: "与已有角色职责冲突" });
  }

  const row = await db
    .insertInto("role_assignments")
    .values({ user_id: input.userId, role: input.role, place_id: placeId, organisation_id: organisationId, granted_by: ctx.userId })
    .onConflict((oc) => oc.expression(sql`user_id, role, coalesce(place_id, 0), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000')`).where("revoked_at", "is", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "该用户已拥有此角色");
  await audit(db, ctx, {
    action: "role.assign",
    entityType: "user",
    entityId: input.userId,
    placeId,
    summary: { after: { role: input.role, placeId, organisationId }, assignmentId: row.id },
  });
  return row;
}

export async function revokeRole(db: Executor, ctx: AuditContext, assignmentId: string): Promise<void> {
  const row = await db
    .updateTable("role_assignments")
    .set({ revoked_at: new Date(), revoked_by: ctx.userId })
    .where("id", "=", assignmentId)
    .where("revoked_at", "is", null)
    .returning(["user_id", "role", "place_id", "organisation_id"])
    .executeTakeFirst();
  if (!row) throw new DomainError("not_found", "角色记录不存在或已撤销");
  await audit(db, ctx, {
    action: "role.revoke",
    entityType: "user",
    entityId: row.user_id,
    placeId: row.place_id,
    summary: { before: { role: row.role, placeId: row.place_id, organisationId: row.organisation_id }, assignmentId },
  });
}

export interface UserListItem {
  id: string;
  phone: string;
  displayName: string;
  createdAt: Date;
}

/** Users for the administrator's page, newest first, keyset-paginated on (created_at, id). */
export async function searchUsers(db: Executor, opts: { q?: string; after?: { createdAt: Date; id: string }; limit?: number }): Promise<UserListItem[]> {
  let q = db.selectFrom("users").select(["id", "phone", "display_name as displayName", "created_at as createdAt"]);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb("phone", "like", like), eb("display_name", "like", like)]));
  }
  if (opts.after) {
    const a = opts.after;
    q = q.where((eb) => eb.or([eb("created_at", "<", a.createdAt), eb.and([eb("created_at", "=", a.createdAt), eb("id", "<", a.id)])]));
  }
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(opts.limit ?? 20).execute();
}

/** Checks the current password, stores the new hash and logs the change (never the passwords). */
export async function changePassword(db: Executor, ctx: AuditContext, userId: string, input: ChangePasswordInput): Promise<void> {
  const user = await db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new DomainError("invalid", "当前密码不正确", { currentPassword: "当前密码不正确" });
  }
  await db.updateTable("users").set({ password_hash: await hashPassword(input.password) }).where("id", "=", userId).execute();
  await audit(db, ctx, { action: "user.password_change", entityType: "user", entityId: userId });
}
