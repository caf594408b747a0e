import { sql, type Kysely } from "kysely";

/**
 * An issue's search bigrams move to their own table. Every 附议 and 评论 updates its issue's
 * counter, and an indexed counter means a new row version in every index of `issues`: the GIN
 * index took ~49 keys into its pending list per support, and the backend that found the list
 * full merged it in the middle of a request (one support in ~4,000 took 450–600 ms, every ~5 s
 * under load; docs/performance.md, sixth pass). The bigrams change only with the text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table issue_search (
    issue_id uuid primary key references issues(id),
    bigrams text[] not null default '{}'
  )`.execute(db);
  await sql`insert into issue_search (issue_id, bigrams) select id, search_bigrams from issues`.execute(db);
  await sql`create index issue_search_bigrams_idx on issue_search using gin (bigrams)`.execute(db);
  await sql`alter table issues drop column search_bigrams`.execute(db);
}
