import { sql, type Kysely } from "kysely";

/** Idle and absolute session timeouts need to know when a session was last used. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table user_sessions add column last_seen_at timestamptz not null default now();
  `.execute(db);
}
