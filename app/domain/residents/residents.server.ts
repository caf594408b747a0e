import { sql } from "kysely";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { residentsOnly } from "../../platform/permissions";
import { notify } from "../notifications/notifications.server";
import type { VerificationDecisionInput, VerificationRequestInput } from "./schema";

const ACTIVE_ROLE_KEY = sql`user_id, role, coalesce(place_id, 0), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000')`;

/**
 * A verified resident of a place holds an active `resident` role whose place covers it (the role
 * is given at community level, so in practice: the community itself).
 */
export async function isVerifiedResident(db: Executor, userId: string, placePath: string): Promise<boolean> {
  const row = await db
    .selectFrom("role_assignments as r")
    .innerJoin("places as p", "p.id", "r.place_id")
    .select("r.id")
    .where("r.user_id", "=", userId)
    .where("r.role", "=", "resident")
    .where("r.revoked_at", "is", null)
    .where(sql<boolean>`${placePath}::text like p.path || '%'`)
    .executeTakeFirst();
  return row !== undefined;
}

export async function assertVerifiedResident(db: Executor, userId: string, placePath: string, doing: string): Promise<void> {
  if (!(await isVerifiedResident(db, userId, placePath))) {
    throw new DomainError("forbidden", residentsOnly(doing));
  }
}

export async function requestVerification(db: Executor, ctx: AuditContext, userId: string, input: VerificationRequestInput, clock: Clock): Promise<{ id: string }> {
  const place = await db.selectFrom("places").select(["id", "level", "path", "name"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || place.level !== "community") throw new DomainError("invalid", "请选择一个社区或村", { placeId: "请选择社区/村这一级" });
  if (await isVerifiedResident(db, userId, place.path)) throw new DomainError("conflict", `您已是${place.name}的认证居民`);
  const row = await db
    .insertInto("resident_verifications")
    .values({
      user_id: userId,
      place_id: place.id,
      real_name: input.realName,
      address: input.address,
      invitation_code: input.invitationCode ?? null,
      created_at: clock.now(),
    })
    .onConflict((oc) => oc.columns(["user_id", "place_id"]).where("status", "=", "pending").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw new DomainError("conflict", "您在该社区已有待审核的申请，请耐心等待社区工作者审核");
  // The real name and address are personal data: the audit row names the request, not its content.
  await audit(db, ctx, { action: "resident.verification_request", entityType: "resident_verification", entityId: row.id, placeId: place.id });
  return row;
}

export async function decideVerification(db: Executor, ctx: AuditContext, input: VerificationDecisionInput, clock: Clock): Promise<void> {
  const now = clock.now();
  const v = await db
    .selectFrom("resident_verifications as v")
    .innerJoin("places as p", "p.id", "v.place_id")
    .select(["v.id", "v.user_id", "v.place_id", "v.status", "p.name as placeName"])
    .where("v.id", "=", input.verificationId)
    .forUpdate("v")
    .executeTakeFirst();
  if (!v) throw new DomainError("not_found", "申请不存在");
  if (v.status !== "pending") throw new DomainError("conflict", "该申请已处理");
  const status = input.decision === "approve" ? "approved" : "rejected";
  await db
    .updateTable("resident_verifications")
    .set({ status, decision_reason: input.reason ?? null, decided_by: ctx.userId, decided_at: now })
    .where("id", "=", v.id)
    .execute();
  if (status === "approved") {
    await db
      .insertInto("role_assignments")
      .values({ user_id: v.user_id, role: "resident", place_id: v.place_id, granted_by: ctx.userId, granted_at: now })
      .onConflict((oc) => oc.expression(ACTIVE_ROLE_KEY).where("revoked_at", "is", null).doNothing())
      .execute();
  }
  await audit(db, ctx, {
    action: `resident.verification_${status === "approved" ? "approve" : "reject"}`,
    entityType: "resident_verification",
    entityId: v.id,
    placeId: v.place_id,
    summary: { userId: v.user_id, reason: input.reason ?? null },
  });
  await notify(
    db,
    [v.user_id],
    status === "approved"
      ? { kind: "verification", title: `您已通过${v.placeName}居民认证`, body: "现在可以为本社区议题附议、报名幸福圆桌会。", link: "/issues" }
      : { kind: "verification", title: `${v.placeName}居民认证未通过`, body: `理由：${input.reason}`, link: "/residents/verify" },
    now,
  );
}

export async function listVerificationRequests(db: Executor, placePaths: readonly string[], status: "pending" | "decided" = "pending") {
  if (placePaths.length === 0) return [];
  return db
    .selectFrom("resident_verifications as v")
    .innerJoin("places as p", "p.id", "v.place_id")
    .innerJoin("users as u", "u.id", "v.user_id")
    .select([
      "v.id",
      "v.real_name as realName",
      "v.address",
      "v.invitation_code as invitationCode",
      "v.status",
      "v.decision_reason as reason",
      "v.created_at as createdAt",
      "p.name as placeName",
      "u.phone",
      "u.display_name as displayName",
    ])
    .where((eb) => eb.or(placePaths.map((pp) => eb("p.path", "like", `${pp}%`))))
    .where("v.status", status === "pending" ? "=" : "<>", "pending")
    .orderBy("v.created_at", status === "pending" ? "asc" : "desc")
    .limit(100)
    .execute();
}

export async function myVerifications(db: Executor, userId: string) {
  return db
    .selectFrom("resident_verifications as v")
    .innerJoin("places as p", "p.id", "v.place_id")
    .select(["v.id", "v.status", "v.decision_reason as reason", "v.created_at as createdAt", "p.name as placeName"])
    .where("v.user_id", "=", userId)
    .orderBy("v.created_at", "desc")
    .execute();
}

/** The place of a request, for the permission check before deciding it. */
export async function verificationPlacePath(db: Executor, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("resident_verifications as v")
    .innerJoin("places as p", "p.id", "v.place_id")
    .select("p.path")
    .where("v.id", "=", id)
    .executeTakeFirst();
  return row?.path;
}

/** Every community (社区/村) as "西湖区 · 南站街道 · 广南社区", for choosing where one lives or where an issue is. */
export async function communityOptions(db: Executor, under?: string): Promise<Array<{ value: string; label: string }>> {
  let q = db
    .selectFrom("places as c")
    .innerJoin("places as s", "s.id", "c.parent_id")
    .innerJoin("places as d", "d.id", "s.parent_id")
    .select(["c.id", "c.name", "s.name as street", "d.name as district", "d.code"])
    .where("c.level", "=", "community");
  if (under) q = q.where("c.path", "like", `${under}%`);
  const rows = await q.orderBy("d.code").orderBy("d.id").orderBy("s.id").orderBy("c.id").execute();
  return rows.map((r) => ({ value: String(r.id), label: `${r.district} · ${r.street} · ${r.name}` }));
}
