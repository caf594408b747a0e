import type { RoleCode } from "../../../db/schema";
import type { Executor } from "../../platform/db.server";
import { grantingRole, PERMISSIONS, type Action, type ScopedRole } from "../../platform/permissions";

/**
 * Who may see a care target. Bureau officers of the target's place or a parent place may (the
 * permission table, "care.read"); so may the carers matched to the target right now: a user
 * matched in person, or any member of a matched organisation. Nobody else learns the target
 * exists: every refusal on a target's page is a 404. Ending a match ends the access at once,
 * because this is asked afresh on every request.
 */

export interface CareActor {
  userId: string;
  roles: readonly ScopedRole[];
}

export type AccessReason = "officer" | "matched_user" | "matched_organisation";

export const ACCESS_REASON_LABELS: Record<AccessReason, string> = {
  officer: "民政局工作人员（辖区）",
  matched_user: "对接服务人员",
  matched_organisation: "对接社会组织成员",
};

export interface TargetAccess {
  targetId: string;
  placeId: number;
  placePath: string;
  reason: AccessReason;
  /** The role that gave access, for the audit row (null for a matched volunteer without a role). */
  role: RoleCode | null;
  /** The active match through which a carer has access (undefined for officers). */
  matchId?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function organisationsOf(actor: CareActor): string[] {
  return actor.roles.filter((r) => r.role === "org_member" && r.organisationId).map((r) => r.organisationId!);
}

/** The role assignments through which the actor may take a place-scoped care action, and where. */
export function careScopes(actor: CareActor, action: Action): ScopedRole[] {
  const allowed: readonly RoleCode[] = PERMISSIONS[action].roles;
  return actor.roles.filter((r) => allowed.includes(r.role) && r.placePath != null);
}

/** The active match that makes the actor a carer of the target, preferring a personal one. */
export async function activeMatchOf(db: Executor, actor: CareActor, targetId: string): Promise<{ id: string; startedOn: Date; reason: AccessReason; role: RoleCode | null } | undefined> {
  if (!UUID_RE.test(targetId)) return undefined;
  const orgs = organisationsOf(actor);
  const rows = await db
    .selectFrom("care_matches")
    .select(["id", "started_on", "user_id", "organisation_id"])
    .where("target_id", "=", targetId)
    .where("status", "=", "active")
    .where((eb) => eb.or([eb("user_id", "=", actor.userId), ...(orgs.length ? [eb("organisation_id", "in", orgs)] : [])]))
    .orderBy("user_id")
    .execute();
  const personal = rows.find((r) => r.user_id === actor.userId);
  const m = personal ?? rows[0];
  if (!m) return undefined;
  const orgRole = actor.roles.find((r) => r.role === "org_member" && r.organisationId === m.organisation_id);
  if (personal) return { id: m.id, startedOn: m.started_on, reason: "matched_user", role: actor.roles[0]?.role ?? null };
  return { id: m.id, startedOn: m.started_on, reason: "matched_organisation", role: orgRole?.role ?? "org_member" };
}

/** Why the actor may see the target, or null (then the target does not exist for them). */
export async function canSeeTarget(db: Executor, actor: CareActor, targetId: string): Promise<TargetAccess | null> {
  if (!UUID_RE.test(targetId)) return null;
  const target = await db
    .selectFrom("care_targets as t")
    .innerJoin("places as p", "p.id", "t.place_id")
    .select(["t.id", "t.place_id", "p.path"])
    .where("t.id", "=", targetId)
    .executeTakeFirst();
  if (!target) return null;
  const base = { targetId: target.id, placeId: target.place_id, placePath: target.path };
  const officer = grantingRole(actor, "care.read", { placePath: target.path });
  if (officer) return { ...base, reason: "officer", role: officer.role };
  const match = await activeMatchOf(db, actor, targetId);
  if (match) return { ...base, reason: match.reason, role: match.role, matchId: match.id };
  return null;
}

/** The care view of a signed-in request's actor. */
export function careActor(actor: { user: { id: string }; roles: readonly ScopedRole[] }): CareActor {
  return { userId: actor.user.id, roles: actor.roles };
}
