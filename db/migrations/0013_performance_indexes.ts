import { sql, type Kysely } from "kysely";

/**
 * Indexes for province-scale reads (issue 9, docs/performance.md): the issue list of a place
 * filtered by category in support order walks a per-category index instead of the global one;
 * a community's own issues in support order (home page) come from a per-place index; the
 * dashboard's "decided" and "closed" counts find their timeline rows by status and time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index if not exists issues_category_supported_idx on issues (category, support_count desc, created_at desc, id desc) where hidden_at is null;
    create index if not exists issues_place_supported_idx on issues (place_id, support_count desc, created_at desc, id desc) where hidden_at is null;
    create index if not exists issue_events_status_at_idx on issue_events (to_status, at);
  `.execute(db);
}
