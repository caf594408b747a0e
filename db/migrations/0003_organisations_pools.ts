import { sql, type Kysely } from "kysely";

/**
 * Organisations get their full profile, their members and the 查验 state; funding pools and the
 * append-only money ledger that every commitment and disbursement (issue 5) is written to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organisations
      add column type text,
      add column registering_bureau text,
      add column address text,
      add column contact_person text,
      add column contact_phone text,
      add column service_areas text[] not null default '{}',
      add column introduction text,
      add column status text not null default 'pending' check (status in ('pending','verified','returned')),
      add column verified_at timestamptz,
      add column verified_by uuid references users(id),
      add column returned_at timestamptz,
      add column return_reason text,
      add column registered_by uuid references users(id),
      add column updated_at timestamptz not null default now();

    -- Rows from before this migration may lack a code; every new or edited row must carry a
    -- well-formed one (the check character is verified in app/lib/uscc.ts before it gets here).
    alter table organisations add constraint organisations_uscc_required
      check (uscc is not null and uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$') not valid;
    alter table organisations add constraint organisations_returned_has_reason
      check (status <> 'returned' or return_reason is not null);
    create index organisations_place_idx on organisations(place_id);
    create index organisations_status_idx on organisations(status, place_id);
    create index organisations_name_idx on organisations(name, id);

    create table organisation_members (
      organisation_id uuid not null references organisations(id),
      user_id uuid not null references users(id),
      org_role text not null check (org_role in ('lead','member')),
      invited_by uuid references users(id),
      joined_at timestamptz not null default now(),
      primary key (organisation_id, user_id)
    );
    create index organisation_members_user_idx on organisation_members(user_id);

    create table funding_pools (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      name text not null,
      source text not null check (source in ('市福彩公益金','慈善总会专项基金','党建小微创投','区级财政','社会捐赠','其他')),
      period_start date not null,
      period_end date not null,
      notes text,
      -- Disbursements above this need a second officer's approval (issue 5's two-person rule).
      dual_approval_threshold_fen bigint not null default 5000000 check (dual_approval_threshold_fen > 0),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (period_end >= period_start)
    );
    create index funding_pools_place_idx on funding_pools(place_id);

    -- The money ledger: balances are sums over these rows, never stored. Append-only.
    create table ledger_entries (
      id bigserial primary key,
      pool_id uuid not null references funding_pools(id),
      -- The grant a commitment, release, disbursement or refund belongs to. No foreign key yet:
      -- the grants table arrives with issue 5, whose migration adds the constraint.
      grant_id uuid,
      kind text not null check (kind in ('topup','commit','release','disburse','refund')),
      amount_fen bigint not null check (amount_fen > 0),
      actor_user_id uuid references users(id),
      at timestamptz not null default now(),
      reason text not null check (length(reason) > 0),
      payment_reference text,
      idempotency_key text unique,
      check ((kind = 'topup') = (grant_id is null))
    );
    create index ledger_entries_pool_idx on ledger_entries(pool_id, id);
    create index ledger_entries_grant_idx on ledger_entries(grant_id) where grant_id is not null;

    create trigger ledger_entries_append_only before update or delete on ledger_entries
      for each row execute function refuse_change();
    create trigger ledger_entries_no_truncate before truncate on ledger_entries
      for each statement execute function refuse_change();
  `.execute(db);
}
