import { sql, type Kysely } from "kysely";

/** Resident verification, issues (居民议题) with supports, comments, reports and a timeline, 幸福圆桌会, notifications. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table resident_verifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      place_id integer not null references places(id),
      real_name text not null,
      address text not null,
      invitation_code text,
      status text not null default 'pending' check (status in ('pending','approved','rejected')),
      decision_reason text,
      decided_by uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index resident_verifications_one_pending on resident_verifications(user_id, place_id) where status = 'pending';
    create index resident_verifications_place_idx on resident_verifications(place_id, status);

    create table issues (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      author_id uuid not null references users(id),
      title text not null check (char_length(title) between 5 and 60),
      description text not null check (char_length(description) <= 2000),
      category text not null,
      location_text text,
      visible_name text,
      anonymous boolean not null default false,
      status text not null default 'pending' check (status in
        ('pending','accepted','declined','merged','scheduled','decided','in_call','in_progress','awaiting_evaluation','closed')),
      action_type text check (action_type in ('qin','he','fu','mei')),
      merged_into_id uuid references issues(id),
      support_count integer not null default 0 check (support_count >= 0),
      comment_count integer not null default 0 check (comment_count >= 0),
      search_bigrams text[] not null default '{}',
      hidden_at timestamptz,
      hidden_reason text,
      hidden_by uuid references users(id),
      created_at timestamptz not null default now(),
      status_changed_at timestamptz not null default now()
    );
    create index issues_place_idx on issues(place_id);
    create index issues_newest_idx on issues(created_at desc, id desc);
    create index issues_supported_idx on issues(support_count desc, created_at desc, id desc);
    create index issues_discussed_idx on issues(comment_count desc, created_at desc, id desc);
    create index issues_status_idx on issues(status);
    create index issues_search_idx on issues using gin (search_bigrams);

    create table issue_photos (
      id uuid primary key default gen_random_uuid(),
      issue_id uuid references issues(id),
      uploader_id uuid not null references users(id),
      storage_key text not null unique,
      content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
      byte_size integer not null,
      original_name text not null,
      position integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index issue_photos_issue_idx on issue_photos(issue_id, position);
    create index issue_photos_draft_idx on issue_photos(uploader_id) where issue_id is null;

    -- One support per person per issue: the primary key, not a read-then-write, makes it exact.
    create table issue_supports (
      issue_id uuid not null references issues(id),
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      primary key (issue_id, user_id)
    );
    create index issue_supports_user_idx on issue_supports(user_id);

    create table issue_comments (
      id uuid primary key default gen_random_uuid(),
      issue_id uuid not null references issues(id),
      parent_id uuid references issue_comments(id),
      author_id uuid not null references users(id),
      body text not null check (char_length(body) between 1 and 1000),
      created_at timestamptz not null default now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      hidden_at timestamptz,
      hidden_reason text,
      hidden_by uuid references users(id)
    );
    create index issue_comments_issue_idx on issue_comments(issue_id, created_at);

    -- The counters move in the same statement as the row that changes them (row lock on the issue),
    -- so they stay exact under concurrent clicks.
    create function issue_support_count() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        update issues set support_count = support_count + 1 where id = NEW.issue_id;
      else
        update issues set support_count = support_count - 1 where id = OLD.issue_id;
      end if;
      return null;
    end $$;
    create trigger issue_supports_count after insert or delete on issue_supports
      for each row execute function issue_support_count();

    create function issue_comment_count() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        update issues set comment_count = comment_count + 1 where id = NEW.issue_id;
      elsif OLD.deleted_at is null and NEW.deleted_at is not null then
        update issues set comment_count = comment_count - 1 where id = NEW.issue_id;
      end if;
      return null;
    end $$;
    create trigger issue_comments_count after insert or update of deleted_at on issue_comments
      for each row execute function issue_comment_count();

    create table content_reports (
      id uuid primary key default gen_random_uuid(),
      issue_id uuid not null references issues(id),
      comment_id uuid references issue_comments(id),
      reporter_id uuid not null references users(id),
      reason text not null,
      status text not null default 'open' check (status in ('open','hidden','dismissed')),
      resolved_by uuid references users(id),
      resolved_at timestamptz,
      resolution_note text,
      created_at timestamptz not null default now()
    );
    create index content_reports_open_idx on content_reports(status, created_at);

    create table roundtables (
      id uuid primary key default gen_random_uuid(),
      place_id integer not null references places(id),
      title text not null,
      starts_at timestamptz not null,
      venue text not null,
      capacity integer not null check (capacity between 1 and 1000),
      description text not null default '',
      invited text not null default '',
      status text not null default 'draft' check (status in ('draft','published','concluded')),
      minutes text,
      minutes_published_at timestamptz,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      published_at timestamptz
    );
    create index roundtables_place_idx on roundtables(place_id, starts_at);

    create table roundtable_agenda (
      roundtable_id uuid not null references roundtables(id),
      issue_id uuid not null references issues(id),
      position integer not null,
      primary key (roundtable_id, issue_id)
    );
    create index roundtable_agenda_issue_idx on roundtable_agenda(issue_id);

    create table roundtable_signups (
      id uuid primary key default gen_random_uuid(),
      roundtable_id uuid not null references roundtables(id),
      user_id uuid not null references users(id),
      status text not null check (status in ('confirmed','waitlisted','cancelled')),
      created_at timestamptz not null default now(),
      cancelled_at timestamptz
    );
    create unique index roundtable_signups_active on roundtable_signups(roundtable_id, user_id) where status <> 'cancelled';
    create index roundtable_signups_queue on roundtable_signups(roundtable_id, status, created_at);

    create table roundtable_attendance (
      id uuid primary key default gen_random_uuid(),
      roundtable_id uuid not null references roundtables(id),
      user_id uuid references users(id),
      name text not null,
      walk_in boolean not null default false
    );
    create index roundtable_attendance_idx on roundtable_attendance(roundtable_id);

    create table roundtable_decisions (
      id uuid primary key default gen_random_uuid(),
      roundtable_id uuid not null references roundtables(id),
      issue_id uuid not null references issues(id),
      kind text not null check (kind in ('community','to_call','referral','deferred')),
      responsible text,
      due_date date,
      action_type text check (action_type in ('qin','he','fu','mei')),
      budget_estimate_fen bigint check (budget_estimate_fen >= 0),
      referred_to text,
      reason text,
      votes_for integer check (votes_for >= 0),
      votes_against integer check (votes_against >= 0),
      votes_abstain integer check (votes_abstain >= 0),
      decided_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      unique (roundtable_id, issue_id),
      check (kind <> 'to_call' or (action_type is not null and budget_estimate_fen is not null)),
      check (kind <> 'referral' or referred_to is not null),
      check (kind <> 'community' or responsible is not null),
      check (kind <> 'deferred' or reason is not null)
    );
    create index roundtable_decisions_issue_idx on roundtable_decisions(issue_id, created_at desc);

    create table issue_events (
      id bigserial primary key,
      issue_id uuid not null references issues(id),
      at timestamptz not null,
      actor_id uuid references users(id),
      from_status text,
      to_status text not null,
      note text,
      roundtable_id uuid references roundtables(id)
    );
    create index issue_events_issue_idx on issue_events(issue_id, at, id);
    create trigger issue_events_append_only before update or delete on issue_events
      for each row execute function refuse_change();

    create table notifications (
      id bigserial primary key,
      user_id uuid not null references users(id),
      kind text not null,
      title text not null,
      body text not null default '',
      link text,
      read_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index notifications_user_idx on notifications(user_id, created_at desc);
    create index notifications_unread_idx on notifications(user_id) where read_at is null;
  `.execute(db);
}
