import type { Executor } from "../../platform/db.server";

export interface NotificationInput {
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
}

/** One portal notification (the bell) for each distinct user, in one statement. */
export async function notify(db: Executor, userIds: ReadonlyArray<string | null | undefined>, n: NotificationInput, at: Date): Promise<void> {
  const ids = [...new Set(userIds.filter((u): u is string => !!u))];
  if (ids.length === 0) return;
  await db
    .insertInto("notifications")
    .values(ids.map((user_id) => ({ user_id, kind: n.kind, title: n.title, body: n.body ?? "", link: n.link ?? null, created_at: at })))
    .execute();
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNotifications(db: Executor, userId: string, limit = 50) {
  return db
    .selectFrom("notifications")
    .select(["id", "kind", "title", "body", "link", "read_at as readAt", "created_at as createdAt"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Marks the person's notifications read (all, or the given ones); returns how many changed. */
export async function markRead(db: Executor, userId: string, at: Date, ids?: readonly string[]): Promise<number> {
  let q = db.updateTable("notifications").set({ read_at: at }).where("user_id", "=", userId).where("read_at", "is", null);
  if (ids) {
    if (ids.length === 0) return 0;
    q = q.where("id", "in", ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
