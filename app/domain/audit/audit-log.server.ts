import type { Executor } from "../../platform/db.server";

export interface AuditListItem {
  id: string;
  at: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  summary: Record<string, unknown>;
}

/** Newest first, keyset-paginated by id. */
export async function listAuditLog(db: Executor, opts: { before?: string; action?: string; limit?: number }): Promise<AuditListItem[]> {
  let q = db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    .select([
      "a.id",
      "a.at",
      "a.action",
      "a.entity_type as entityType",
      "a.entity_id as entityId",
      "u.display_name as actorName",
      "a.actor_role as actorRole",
      "a.ip",
      "a.summary",
    ]);
  if (opts.before) q = q.where("a.id", "<", opts.before);
  if (opts.action) q = q.where("a.action", "=", opts.action);
  return q.orderBy("a.id", "desc").limit(opts.limit ?? 50).execute();
}
