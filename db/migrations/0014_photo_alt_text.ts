import { sql, type Kysely } from "kysely";

/**
 * The text a screen reader reads for an uploaded photo, written by its uploader. Null means the
 * default, made from the title when the page is drawn (so renaming an issue updates it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table issue_photos add column alt_text text check (alt_text is null or char_length(alt_text) between 1 and 120)`.execute(db);
}
