import { sql, type Kysely } from "kysely";

/**
 * Grants (创投立项) awarded from a call's ranking: 公示 and objections, milestones copied from the bid
 * with their tranche in 分, milestone reports with evidence, disbursement requests (two-person rule),
 * residents' evaluations, and a public timeline. Money itself stays in ledger_entries, whose
 * grant_id now gets its foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table grants (
      id uuid primary key default gen_random_uuid(),
      call_id uuid not null references calls(id),
      bid_id uuid not null unique references bids(id),
      organisation_id uuid not null references organisations(id),
      pool_id uuid not null references funding_pools(id),
      place_id integer not null references places(id),
      project_name text not null,
      action_type text not null check (action_type in ('qin','he','fu','mei')),
      amount_fen bigint not null check (amount_fen > 0),
      status text not null default 'publicity'
        check (status in ('publicity','withdrawn','in_progress','awaiting_evaluation','closed','suspended','terminated')),
      awarded_by uuid not null references users(id),
      awarded_at timestamptz not null,
      publicity_ends_at timestamptz not null,
      established_at timestamptz,
      evaluation_ends_at timestamptz,
      closed_at timestamptz,
      ended_at timestamptz,
      ended_reason text,
      check (status not in ('withdrawn','suspended','terminated') or ended_reason is not null),
      check (status <> 'awaiting_evaluation' or evaluation_ends_at is not null)
    );
    create index grants_call_idx on grants(call_id);
    create index grants_org_idx on grants(organisation_id);
    create index grants_place_idx on grants(place_id);
    create index grants_due_publicity_idx on grants(publicity_ends_at) where status = 'publicity';
    create index grants_due_evaluation_idx on grants(evaluation_ends_at) where status = 'awaiting_evaluation';

    alter table ledger_entries add constraint ledger_entries_grant_fk foreign key (grant_id) references grants(id);

    create table grant_issues (
      grant_id uuid not null references grants(id),
      issue_id uuid not null references issues(id),
      primary key (grant_id, issue_id)
    );
    create index grant_issues_issue_idx on grant_issues(issue_id);

    create table grant_milestones (
      grant_id uuid not null references grants(id),
      position integer not null,
      title text not null,
      deliverable text not null,
      due_date date not null,
      tranche_pct integer not null check (tranche_pct between 1 and 100),
      tranche_fen bigint not null check (tranche_fen >= 0),
      status text not null default 'open' check (status in ('open','submitted','returned','forwarded','approved')),
      approved_at timestamptz,
      approved_by uuid references users(id),
      primary key (grant_id, position),
      check (status <> 'approved' or approved_at is not null)
    );

    create table grant_objections (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants(id),
      author_id uuid not null references users(id),
      reason text not null,
      attachment_key text,
      attachment_type text,
      attachment_name text,
      status text not null default 'open' check (status in ('open','dismissed','upheld')),
      reply text,
      answered_by uuid references users(id),
      answered_at timestamptz,
      created_at timestamptz not null,
      check (status = 'open' or (reply is not null and answered_at is not null))
    );
    create index grant_objections_grant_idx on grant_objections(grant_id, status);

    -- One row per submission: a returned report stays as it was and the organisation submits a new one.
    create table milestone_reports (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null,
      position integer not null,
      narrative text not null,
      beneficiary_count integer not null check (beneficiary_count >= 0),
      beneficiary_group text not null,
      activities jsonb not null default '[]',
      spending jsonb not null default '[]',
      in_kind_received text not null default '',
      status text not null default 'submitted' check (status in ('submitted','returned','forwarded','approved')),
      submitted_by uuid not null references users(id),
      submitted_at timestamptz not null,
      liaison_comment text,
      liaison_by uuid references users(id),
      liaison_at timestamptz,
      officer_comment text,
      officer_by uuid references users(id),
      officer_at timestamptz,
      foreign key (grant_id, position) references grant_milestones(grant_id, position)
    );
    create index milestone_reports_grant_idx on milestone_reports(grant_id, position, submitted_at);

    create table report_evidence (
      id uuid primary key default gen_random_uuid(),
      report_id uuid not null references milestone_reports(id),
      storage_key text not null,
      content_type text not null,
      byte_size integer not null check (byte_size > 0),
      original_name text not null,
      created_at timestamptz not null default now()
    );
    create index report_evidence_report_idx on report_evidence(report_id);

    -- A payment of a milestone's tranche. Above the pool's threshold it waits for a second officer;
    -- the ledger row is written only on approval (ledger_entry_id).
    create table disbursements (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants(id),
      position integer not null,
      amount_fen bigint not null check (amount_fen > 0),
      payment_reference text not null,
      idempotency_key text not null unique,
      status text not null check (status in ('pending','paid','rejected')),
      requested_by uuid not null references users(id),
      requested_at timestamptz not null,
      approved_by uuid references users(id),
      approved_at timestamptz,
      rejected_reason text,
      ledger_entry_id bigint references ledger_entries(id),
      foreign key (grant_id, position) references grant_milestones(grant_id, position),
      check (approved_by is null or approved_by <> requested_by),
      check (status <> 'paid' or ledger_entry_id is not null)
    );
    -- A tranche is paid at most once, and cannot have two requests in flight.
    create unique index disbursements_one_per_tranche on disbursements(grant_id, position) where status in ('pending','paid');

    create table grant_evaluations (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants(id),
      user_id uuid not null references users(id),
      satisfaction integer not null check (satisfaction between 1 and 5),
      solved integer not null check (solved between 1 and 5),
      comment text not null default '',
      created_at timestamptz not null,
      unique (grant_id, user_id)
    );

    -- The project's public timeline (accountability tracker). Append-only.
    create table grant_events (
      id bigserial primary key,
      grant_id uuid not null references grants(id),
      at timestamptz not null,
      actor_id uuid references users(id),
      kind text not null,
      note text not null default ''
    );
    create index grant_events_grant_idx on grant_events(grant_id, id);
    create trigger grant_events_append_only before update or delete on grant_events
      for each row execute function refuse_change();
  `.execute(db);
}
