import { sql, type Kysely } from "kysely";

/**
 * Photos are re-encoded at upload (metadata gone, long side capped) and get a WebP thumbnail
 * stored beside them. Photos uploaded before this have no thumbnail and no recorded size: the
 * columns stay null for them and the original is served in place of the thumbnail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table issue_photos
      add column width integer,
      add column height integer,
      add column thumb_key text unique,
      add column thumb_width integer,
      add column thumb_height integer,
      add column thumb_byte_size integer
  `.execute(db);
}
