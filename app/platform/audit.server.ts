import { sql, type RawBuilder } from "kysely";
import type { Executor } from "./db.server";

/** Who did it and from where: the part of the audit row that comes from the request. */
export interface AuditContext {
  userId: string | null;
  role?: string | null;
  requestId?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  placeId?: number | null;
  /** Before/after summary; never a password, a full identity number or other secret. */
  summary?: Record<string, unknown>;
}

/**
 * Appends one row to the audit log. Call it with the same transaction as the change it records,
 * so that a change and its trace commit or roll back together.
 */
export async function audit(db: Executor, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: ctx.userId,
      actor_role: ctx.role ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      place_id: entry.placeId ?? null,
      summary: JSON.stringify(entry.summary ?? {}),
      request_id: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
    })
    .execute();
}

/**
 * The same row as an INSERT … SELECT over `from` (a CTE of the command's statement): one audit row
 * per row of `from`, in the statement that makes the change, for commands that are one statement.
 * `entityId`, `placeId` and the actor's role may be columns of `from` (e.g. sql`added.id`).
 */
export function auditInsertSelect(
  ctx: Omit<AuditContext, "role"> & { role?: string | null | RawBuilder<unknown> },
  entry: Omit<AuditEntry, "entityId" | "placeId"> & { entityId?: string | number | RawBuilder<unknown> | null; placeId?: number | RawBuilder<unknown> | null },
  from: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const entityId = entry.entityId == null ? sql`null` : typeof entry.entityId === "object" ? sql`${entry.entityId}::text` : sql`${String(entry.entityId)}::text`;
  return sql`
    insert into audit_log (actor_user_id, actor_role, action, entity_type, entity_id, place_id, summary, request_id, ip)
    select ${ctx.userId}::uuid, ${ctx.role ?? null}::text, ${entry.action}::text, ${entry.entityType}::text, ${entityId},
           ${entry.placeId ?? null}::integer, ${JSON.stringify(entry.summary ?? {})}::jsonb, ${ctx.requestId ?? null}::text, ${ctx.ip ?? null}::text
    from ${from}`;
}
