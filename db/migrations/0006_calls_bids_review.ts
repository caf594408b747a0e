import { sql, type Kysely } from "kysely";

/**
 * Calls (招贤榜) funded from a pool and answering decided issues; organisations' bids with their
 * budget lines, pledged co-funding / in-kind support (撬动资源), milestones with tranche % and
 * attachments; expert review: appointed reviewers, assignments with 回避 declarations, scores.
 * A published call is changed only through call_changes rows (append-only), never edited in place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calls (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      title text not null,
      description text not null,
      action_type text not null check (action_type in ('qin','he','fu','mei')),
      pool_id uuid not null references funding_pools(id),
      cap_fen bigint not null check (cap_fen > 0),
      total_budget_fen bigint not null check (total_budget_fen > 0),
      -- Empty means no restriction.
      eligible_org_types text[] not null default '{}',
      eligible_district_ids integer[] not null default '{}',
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      project_start date not null,
      project_end date not null,
      required_attachments text[] not null default '{}',
      reviewers_per_bid integer not null default 2 check (reviewers_per_bid between 1 and 9),
      -- 公示期 of the awards (issue 5), in working days.
      publicity_working_days integer not null default 5 check (publicity_working_days between 1 and 30),
      status text not null default 'draft' check (status in ('draft','published','withdrawn')),
      withdrawn_reason text,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      published_by uuid references users(id),
      check (cap_fen <= total_budget_fen),
      check (closes_at > opens_at),
      check (project_end >= project_start),
      check (status <> 'withdrawn' or withdrawn_reason is not null),
      check (status = 'draft' or published_at is not null)
    );
    create index calls_place_idx on calls(place_id);
    create index calls_open_idx on calls(status, closes_at);
    create index calls_pool_idx on calls(pool_id);

    create table call_criteria (
      call_id uuid not null references calls(id) on delete cascade,
      position integer not null,
      name text not null,
      description text not null,
      weight integer not null check (weight between 1 and 100),
      primary key (call_id, position)
    );

    create table call_issues (
      call_id uuid not null references calls(id) on delete cascade,
      issue_id uuid not null references issues(id),
      primary key (call_id, issue_id)
    );
    create index call_issues_issue_idx on call_issues(issue_id);

    -- Publication, extensions and withdrawal of a call: who, when, what before and after. Append-only.
    create table call_changes (
      id bigserial primary key,
      call_id uuid not null references calls(id),
      kind text not null check (kind in ('publish','extend','withdraw')),
      at timestamptz not null,
      actor_id uuid references users(id),
      before jsonb not null default '{}',
      after jsonb not null default '{}',
      reason text
    );
    create index call_changes_call_idx on call_changes(call_id, id);
    create trigger call_changes_append_only before update or delete on call_changes
      for each row execute function refuse_change();
    create trigger call_changes_no_truncate before truncate on call_changes
      for each statement execute function refuse_change();

    create table bids (
      id uuid primary key default gen_random_uuid(),
      call_id uuid not null references calls(id),
      organisation_id uuid not null references organisations(id),
      status text not null default 'draft' check (status in ('draft','submitted','withdrawn')),
      project_name text not null,
      summary text not null default '',
      beneficiary_group text not null default '',
      beneficiary_count integer check (beneficiary_count >= 0),
      plan text not null default '',
      action_type text not null check (action_type in ('qin','he','fu','mei')),
      lead_name text not null default '',
      lead_phone text not null default '',
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      submitted_at timestamptz,
      withdrawn_at timestamptz,
      unique (call_id, organisation_id)
    );
    create index bids_call_idx on bids(call_id, status);
    create index bids_org_idx on bids(organisation_id);

    create table bid_issues (
      bid_id uuid not null references bids(id) on delete cascade,
      issue_id uuid not null references issues(id),
      primary key (bid_id, issue_id)
    );

    create table bid_budget_lines (
      bid_id uuid not null references bids(id) on delete cascade,
      position integer not null,
      category text not null check (category in ('人员','活动','物资','宣传','其他')),
      description text not null,
      amount_fen bigint not null check (amount_fen > 0),
      primary key (bid_id, position)
    );

    -- Co-funding and in-kind support pledged by others: the 撬动 resources of the programme.
    create table bid_pledges (
      bid_id uuid not null references bids(id) on delete cascade,
      position integer not null,
      source text not null,
      kind text not null check (kind in ('cash','in_kind')),
      description text not null,
      value_fen bigint not null check (value_fen > 0),
      primary key (bid_id, position)
    );

    -- Tranche % of the grant released when the milestone is approved (issue 5); they sum to 100.
    create table bid_milestones (
      bid_id uuid not null references bids(id) on delete cascade,
      position integer not null,
      title text not null,
      deliverable text not null,
      due_date date not null,
      tranche_pct integer not null check (tranche_pct between 1 and 100),
      primary key (bid_id, position)
    );

    create table bid_attachments (
      id uuid primary key default gen_random_uuid(),
      bid_id uuid not null references bids(id) on delete cascade,
      -- One of the call's required attachment names, or "其他".
      name text not null,
      storage_key text not null,
      content_type text not null,
      byte_size integer not null check (byte_size > 0),
      original_name text not null,
      uploaded_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      unique (bid_id, name)
    );

    create table call_reviewers (
      call_id uuid not null references calls(id),
      user_id uuid not null references users(id),
      appointed_by uuid references users(id),
      appointed_at timestamptz not null default now(),
      primary key (call_id, user_id)
    );

    -- pending: the reviewer has not yet declared 回避 or not; accepted: no conflict, may read and
    -- score; conflict: declared a conflict (the bid went to someone else); submitted: scores final.
    create table review_assignments (
      id uuid primary key default gen_random_uuid(),
      call_id uuid not null references calls(id),
      bid_id uuid not null references bids(id),
      reviewer_id uuid not null references users(id),
      status text not null default 'pending' check (status in ('pending','accepted','conflict','submitted')),
      conflict_reason text,
      assigned_at timestamptz not null,
      declared_at timestamptz,
      submitted_at timestamptz,
      unique (bid_id, reviewer_id),
      check (status <> 'conflict' or conflict_reason is not null),
      check (status <> 'submitted' or submitted_at is not null)
    );
    create index review_assignments_reviewer_idx on review_assignments(reviewer_id, status);
    create index review_assignments_call_idx on review_assignments(call_id);

    create table review_scores (
      assignment_id uuid not null references review_assignments(id),
      criterion_position integer not null,
      score integer not null check (score >= 0 and score <= 100),
      comment text not null default '',
      primary key (assignment_id, criterion_position)
    );
  `.execute(db);
}
