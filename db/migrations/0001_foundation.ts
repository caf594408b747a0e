import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table places (
      id serial primary key,
      parent_id integer references places(id),
      level text not null check (level in ('province','city','district','street','community')),
      name text not null,
      code text unique,
      path text not null unique,
      created_at timestamptz not null default now()
    );
    create index places_parent_idx on places(parent_id);
    create index places_path_idx on places(path text_pattern_ops);

    create table users (
      id uuid primary key default gen_random_uuid(),
      phone text not null unique check (phone ~ '^1[3-9][0-9]{9}$'),
      display_name text not null,
      password_hash text not null,
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    );

    create table user_sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index user_sessions_user_idx on user_sessions(user_id);

    create table organisations (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      uscc text unique,
      place_id integer not null references places(id),
      created_at timestamptz not null default now()
    );

    create table role_assignments (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      role text not null check (role in ('resident','community_staff','org_member','liaison','reviewer','officer','admin')),
      place_id integer references places(id),
      organisation_id uuid references organisations(id),
      granted_by uuid references users(id),
      granted_at timestamptz not null default now(),
      revoked_by uuid references users(id),
      revoked_at timestamptz,
      check (
        (role = 'admin' and place_id is null and organisation_id is null)
        or (role = 'org_member' and organisation_id is not null and place_id is null)
        or (role = 'reviewer' and organisation_id is null)
        or (role not in ('admin','org_member','reviewer') and place_id is not null and organisation_id is null)
      )
    );
    create index role_assignments_user_idx on role_assignments(user_id) where revoked_at is null;
    create unique index role_assignments_active_uniq
      on role_assignments(user_id, role, coalesce(place_id, 0), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'))
      where revoked_at is null;

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id uuid,
      actor_role text,
      action text not null,
      entity_type text not null,
      entity_id text,
      place_id integer,
      summary jsonb not null default '{}'::jsonb,
      request_id text,
      ip text
    );
    create index audit_log_entity_idx on audit_log(entity_type, entity_id);
    create index audit_log_actor_idx on audit_log(actor_user_id, at);

    create function refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% 是只追加的记录，禁止 %', TG_TABLE_NAME, TG_OP
        using errcode = 'insufficient_privilege';
    end $$;

    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function refuse_change();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function refuse_change();

    create table rate_limits (
      key text primary key,
      window_started_at timestamptz not null,
      hits integer not null
    );
  `.execute(db);
}
