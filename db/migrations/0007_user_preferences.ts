import { sql, type Kysely } from "kysely";

/** 长辈模式 is remembered per user (this column) and per browser (a cookie). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column elder_mode boolean`.execute(db);
}
