import { sql, type Kysely } from "kysely";

/**
 * Liaisons' guidance notes on a project (指导意见): written by the liaison of the project's district,
 * read by the organisation carrying it out and the bureau, never shown on public pages. Append-only:
 * a note once given stays as it was (a correction is a new note).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table grant_guidance_notes (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants(id),
      author_id uuid not null references users(id),
      body text not null check (length(body) between 1 and 2000),
      created_at timestamptz not null
    );
    create index grant_guidance_notes_grant_idx on grant_guidance_notes(grant_id, created_at);
    create trigger grant_guidance_notes_append_only before update or delete on grant_guidance_notes
      for each row execute function refuse_change();
  `.execute(db);
}
