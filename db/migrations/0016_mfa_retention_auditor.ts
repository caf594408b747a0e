import { sql, type Kysely } from "kysely";

/**
 * Staff sign-in with a second factor (TOTP, RFC 6238), retention periods with a daily purge, and
 * the auditor role (issue 11, part 2).
 *
 * - user_mfa: one authenticator per user; the secret is an AES-256-GCM envelope
 *   (app/platform/crypto.server.ts), enabled_at is null while enrolment is pending, and
 *   last_used_step is the highest 30-second step accepted, so a code is good once.
 * - mfa_recovery_codes: SHA-256 of each one-time recovery code, used_at once spent.
 * - login_challenges: the half-finished sign-in between the password and the code (the cookie
 *   holds a random token, the row its SHA-256); no session exists until the code is given.
 * - user_sessions.reauth_at: when the person last re-entered password (+ code) in this session.
 * - retention_policies: how long each kind of record is kept (docs/security.md).
 * - care_targets.anonymised_at: set when retention anonymises a target after its matches ended.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table role_assignments drop constraint role_assignments_role_check;
    alter table role_assignments add constraint role_assignments_role_check
      check (role in ('resident','community_staff','org_member','liaison','reviewer','officer','admin','privacy_officer','auditor'));

    create table user_mfa (
      user_id uuid primary key references users(id) on delete cascade,
      secret_enc text not null,
      enabled_at timestamptz,
      last_used_step bigint,
      created_at timestamptz not null default now()
    );

    create table mfa_recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index mfa_recovery_codes_user_idx on mfa_recovery_codes(user_id) where used_at is null;

    create table login_challenges (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      redirect_to text not null default '/',
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index login_challenges_expires_idx on login_challenges(expires_at);

    alter table user_sessions add column reauth_at timestamptz;
    alter table care_targets add column anonymised_at timestamptz;

    create table retention_policies (
      kind text primary key,
      label text not null,
      days integer check (days is null or days >= 0),
      action text not null check (action in ('delete','anonymise','keep','external')),
      basis text not null,
      -- network and access logs are kept at least six months (网络安全法 第二十一条)
      check (kind <> 'access_logs' or days >= 180),
      check ((action = 'keep') = (days is null))
    );

    insert into retention_policies (kind, label, days, action, basis) values
      ('care_targets_after_match', '关爱对象档案（全部对接结束后）', 1095, 'anonymise',
       '对接结束三年后匿名化：姓名、证件号码、电话、住址、监护人和服务记录内容清除，统计数字保留'),
      ('grant_evidence', '项目佐证材料（项目办结后）', 3650, 'delete',
       '财政资金项目档案保存十年后删除上传的佐证文件；报告文字和台账保留'),
      ('draft_photos', '未提交的议题照片草稿', 2, 'delete', '上传后未随议题提交的照片两天后删除'),
      ('sessions', '登录会话（过期后）', 7, 'delete', '会话过期七天后删除记录（IP、浏览器）'),
      ('login_throttle', '登录限速计数', 1, 'delete', '计数窗口结束一天后删除'),
      ('login_challenges', '未完成的两步验证登录', 1, 'delete', '过期一天后删除'),
      ('access_logs', '网络访问日志（请求日志）', 180, 'external',
       '由日志平台保存不少于六个月（网络安全法第二十一条），应用本身不保存'),
      ('audit_log', '审计日志', null, 'keep', '只可追加，永久保存，不清除'),
      ('ledger', '资金台账', null, 'keep', '只可追加，永久保存，不清除');
  `.execute(db);
}
