import { sql, type Kysely } from "kysely";

/**
 * 数字民政 care targets (重点关爱对象): records with the ID number and phones encrypted
 * (AES-256-GCM envelopes "keyId:iv:tag:ciphertext", see app/platform/crypto.server.ts) and a keyed
 * hash of the ID number for duplicates; matches (精准对接), 一社连一村 links, service logs,
 * outcomes and import batches. Adds the privacy officer role.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table role_assignments drop constraint role_assignments_role_check;
    alter table role_assignments add constraint role_assignments_role_check
      check (role in ('resident','community_staff','org_member','liaison','reviewer','officer','admin','privacy_officer'));

    create table care_import_batches (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      status text not null default 'preview' check (status in ('preview','confirmed','discarded')),
      file_name text not null,
      total_rows integer not null,
      good_rows integer not null,
      errors jsonb not null default '[]'::jsonb,
      -- prepared rows, already encrypted; emptied once the batch is confirmed or discarded
      rows jsonb not null default '[]'::jsonb,
      decided_at timestamptz
    );

    create table care_targets (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      name text not null check (length(name) between 1 and 40),
      id_number_enc text not null,
      id_number_hash text not null unique,
      sex text not null check (sex in ('male','female')),
      birth_year integer not null,
      phone_enc text,
      address text not null default '',
      groups text[] not null check (cardinality(groups) > 0),
      needs text not null default '',
      guardian_name text,
      guardian_relation text,
      guardian_phone_enc text,
      source text not null check (source in ('referral','community_visit','self_referral')),
      consent_by text not null,
      consent_on date not null,
      consent_method text not null check (consent_method in ('written','verbal','electronic')),
      consent_photos boolean not null default false,
      minor_at_referral boolean not null,
      referred_on date not null,
      import_batch_id uuid references care_import_batches(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (not minor_at_referral or guardian_name is not null)
    );
    create index care_targets_place_idx on care_targets(place_id);

    create table care_matches (
      id uuid primary key default gen_random_uuid(),
      target_id uuid not null references care_targets(id),
      carer_kind text not null check (carer_kind in ('organisation','party_member','volunteer','social_worker')),
      organisation_id uuid references organisations(id),
      user_id uuid references users(id),
      status text not null default 'active' check (status in ('active','ended')),
      started_on date not null,
      ended_on date,
      end_reason text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      ended_by uuid references users(id),
      check ((carer_kind = 'organisation') = (organisation_id is not null and user_id is null)),
      check (carer_kind = 'organisation' or (user_id is not null and organisation_id is null)),
      check ((status = 'ended') = (ended_on is not null))
    );
    create index care_matches_target_idx on care_matches(target_id);
    create index care_matches_user_idx on care_matches(user_id) where status = 'active';
    create index care_matches_org_idx on care_matches(organisation_id) where status = 'active';
    create unique index care_matches_active_uniq
      on care_matches(target_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'))
      where status = 'active';

    create table care_community_links (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      place_id integer not null references places(id),
      started_on date not null,
      ended_on date,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create unique index care_links_active_uniq on care_community_links(organisation_id, place_id) where ended_on is null;

    create table care_services (
      id uuid primary key default gen_random_uuid(),
      target_id uuid not null references care_targets(id),
      match_id uuid not null references care_matches(id),
      logged_by uuid not null references users(id),
      served_on date not null,
      kind text not null,
      duration_minutes integer not null check (duration_minutes between 1 and 1440),
      notes text not null default '',
      follow_up boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index care_services_target_idx on care_services(target_id, served_on);

    create table care_outcomes (
      id uuid primary key default gen_random_uuid(),
      target_id uuid not null references care_targets(id),
      achieved_on date not null,
      description text not null,
      recorded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index care_outcomes_target_idx on care_outcomes(target_id);

    create index audit_log_care_idx on audit_log(action, at) where action like 'care.%';
  `.execute(db);
}
