import { sql, type Kysely } from "kysely";

/**
 * 总结报告 kept as generated (who, when, place, period, the 意见建议 text and the figures as they
 * were), liaisons' 需求推送 (an issue or a call pushed to chosen organisations, with its recipients), and the
 * liaisons' periodic progress summaries (weekly or monthly), reviewed, annotated and submitted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table summary_reports (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      period_from date not null,
      period_to date not null,
      suggestions text not null,
      -- The figures at generation time: a report downloaded again is the report that was handed in.
      figures jsonb not null,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      check (period_to >= period_from)
    );
    create index summary_reports_place_idx on summary_reports(place_id, created_at desc);

    create table liaison_pushes (
      id uuid primary key default gen_random_uuid(),
      -- The liaison's district: the push is recorded there.
      place_id integer not null references places(id),
      liaison_id uuid not null references users(id),
      -- What is pushed: an issue decided 转入创投, or a published call (招贤榜).
      issue_id uuid references issues(id),
      call_id uuid references calls(id),
      message text not null default '',
      created_at timestamptz not null default now(),
      check ((issue_id is null) <> (call_id is null))
    );
    create index liaison_pushes_place_idx on liaison_pushes(place_id, created_at desc);

    create table liaison_push_recipients (
      push_id uuid not null references liaison_pushes(id),
      organisation_id uuid not null references organisations(id),
      primary key (push_id, organisation_id)
    );
    create index liaison_push_recipients_org_idx on liaison_push_recipients(organisation_id);

    create table liaison_summaries (
      id uuid primary key default gen_random_uuid(),
      liaison_id uuid not null references users(id),
      place_id integer not null references places(id),
      period_kind text not null check (period_kind in ('weekly','monthly')),
      period_start date not null,
      period_end date not null,
      -- The figures the portal drafted for the period; the liaison's own words go in annotation.
      figures jsonb not null,
      annotation text not null default '',
      status text not null default 'draft' check (status in ('draft','submitted')),
      submitted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (liaison_id, place_id, period_kind, period_start),
      check (period_end >= period_start),
      check (status = 'draft' or submitted_at is not null)
    );
    create index liaison_summaries_period_idx on liaison_summaries(period_kind, period_start);
  `.execute(db);
}
