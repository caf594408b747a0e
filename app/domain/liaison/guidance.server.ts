import { z } from "zod";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import type { Executor, Trx } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can, type Principal } from "../../platform/permissions";
import { notify } from "../notifications/notifications.server";
import type { GuidanceNoteInput } from "./schema";

/**
 * Guidance notes (指导意见) a liaison gives on a project of their district: kept append-only,
 * audited, sent to the organisation's members as a notification, and readable by the organisation
 * and the bureau only — public pages never load them.
 */

export interface GuidanceNote {
  id: string;
  body: string;
  authorName: string;
  createdAt: Date;
}

/** Who may read a project's notes: its organisation's members, and the bureau's officers and liaisons of its place. */
export function mayReadGuidance(actor: Principal, scope: { placePath: string; organisationId: string }): boolean {
  return (
    can(actor, "grant.report", { organisationId: scope.organisationId }) ||
    can(actor, "grant.manage", { placePath: scope.placePath }) ||
    can(actor, "grant.liaison_review", { placePath: scope.placePath })
  );
}

export async function addGuidanceNote(trx: Trx, ctx: AuditContext, actor: Principal, clock: Clock, grantId: string, input: GuidanceNoteInput): Promise<{ id: string; notified: number }> {
  if (!ctx.userId) throw new DomainError("unauthenticated", "请先登录");
  if (!z.uuid().safeParse(grantId).success) throw new DomainError("not_found", "项目不存在");
  const grant = await trx
    .selectFrom("grants as g")
    .innerJoin("places as p", "p.id", "g.place_id")
    .select(["g.id", "g.project_name", "g.organisation_id", "g.status", "g.place_id", "p.path"])
    .where("g.id", "=", grantId)
    .executeTakeFirst();
  if (!grant) throw new DomainError("not_found", "项目不存在");
  if (!can(actor, "liaison.guide", { placePath: grant.path })) throw new DomainError("forbidden", "只能对本辖区的项目提出指导意见");
  if (grant.status === "withdrawn") throw new DomainError("conflict", "资助已撤销，不能再提出指导意见");
  const now = clock.now();
  const note = await trx
    .insertInto("grant_guidance_notes")
    .values({ grant_id: grant.id, author_id: ctx.userId, body: input.body, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const members = await trx.selectFrom("organisation_members").select("user_id").where("organisation_id", "=", grant.organisation_id).execute();
  await notify(
    trx,
    members.map((m) => m.user_id),
    { kind: "grant.guidance", title: `联络员指导意见：${grant.project_name}`, body: input.body.slice(0, 200), link: `/grants/${grant.id}#guidance` },
    now,
  );
  await audit(trx, ctx, {
    action: "grant.guidance_note",
    entityType: "grant",
    entityId: grant.id,
    placeId: grant.place_id,
    summary: { noteId: note.id, length: input.body.length },
  });
  return { id: note.id, notified: members.length };
}

/** A project's notes, oldest first. Callers check mayReadGuidance first. */
export async function listGuidanceNotes(db: Executor, grantId: string): Promise<GuidanceNote[]> {
  if (!z.uuid().safeParse(grantId).success) return [];
  return db
    .selectFrom("grant_guidance_notes as n")
    .innerJoin("users as u", "u.id", "n.author_id")
    .select(["n.id", "n.body", "u.display_name as authorName", "n.created_at as createdAt"])
    .where("n.grant_id", "=", grantId)
    .orderBy("n.created_at")
    .orderBy("n.id")
    .execute();
}
