import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Two database roles (issue 11, docs/security.md "Least privilege"):
 * - the OWNER owns the schema: migrations, demo data and the job scheduler's own tables (pg-boss
 *   creates a table per queue, which is DDL) connect as it;
 * - the APP role is what the web server's pool connects as: it reads and writes the tables, but it
 *   may not UPDATE, DELETE or TRUNCATE the audit log and the ledger, nor touch the migration
 *   bookkeeping. The row and statement triggers refuse those changes too;
 *   the missing privilege is the second, independent wall.
 */
export const OWNER_ROLE = "linli_owner";
export const APP_ROLE = "linli_app";

/** Tables whose rows the app may add but never change or remove. */
export const APPEND_ONLY_TABLES = ["audit_log", "ledger_entries", "issue_events", "grant_events", "call_changes"] as const;

export interface RoleSpec {
  name: string;
  password: string;
}

/** Connection string `url` with another user and password. */
export function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username || process.env.PGUSER || "postgres");
}

/**
 * Creates the roles if missing and sets their passwords. Roles belong to the whole cluster, and
 * several processes (parallel test files, two app servers) may get here at once: a session
 * advisory lock in the maintenance database serialises them, and a duplicate that slips through
 * anyway (another tool creating the role) is taken as success.
 */
export async function ensureRoles(adminUrl: string, roles: readonly RoleSpec[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('linli.roles'))");
    for (const role of roles) {
      const { rowCount } = await client.query("select 1 from pg_roles where rolname = $1", [role.name]);
      if (!rowCount) {
        const { rows } = await client.query<{ q: string }>("select format('create role %I login password %L', $1::text, $2::text) as q", [role.name, role.password]);
        try {
          await client.query(rows[0].q);
        } catch (e) {
          const code = (e as { code?: string }).code;
          // duplicate_object, or the catalogue's unique index when two CREATE ROLEs race.
          if (code !== "42710" && code !== "23505") throw e;
        }
      } else {
        const { rows } = await client.query<{ q: string }>("select format('alter role %I login password %L', $1::text, $2::text) as q", [role.name, role.password]);
        await client.query(rows[0].q);
      }
    }
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('linli.roles'))").catch(() => {});
    await client.end();
  }
}

/**
 * As a superuser connected to the database: makes `owner` its owner and the owner of everything
 * in it that an earlier version created as the superuser (an embedded install from before the
 * roles existed), so migrations can run as the owner from now on.
 */
export async function adoptDatabase(superuserUrl: string, owner: string): Promise<void> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query(`
      do $$
      declare
        r record;
        o text := ${pg.escapeLiteral(owner)};
      begin
        execute format('alter database %I owner to %I', current_database(), o);
        for r in select nspname from pg_namespace where nspname in ('public', 'pgboss') and pg_get_userbyid(nspowner) <> o loop
          execute format('alter schema %I owner to %I', r.nspname, o);
        end loop;
        -- Tables first (their owned sequences follow them), then what is left.
        for r in select c.oid::regclass as rel from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname in ('public', 'pgboss') and c.relkind in ('r', 'p', 'v', 'm', 'f') and pg_get_userbyid(c.relowner) <> o loop
          execute format('alter table %s owner to %I', r.rel, o);
        end loop;
        for r in select c.oid::regclass as rel from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname in ('public', 'pgboss') and c.relkind = 'S' and pg_get_userbyid(c.relowner) <> o loop
          execute format('alter sequence %s owner to %I', r.rel, o);
        end loop;
        for r in select p.oid::regprocedure as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname in ('public', 'pgboss') and pg_get_userbyid(p.proowner) <> o loop
          execute format('alter routine %s owner to %I', r.fn, o);
        end loop;
        for r in select t.oid::regtype as typ from pg_type t join pg_namespace n on n.oid = t.typnamespace
                 where n.nspname in ('public', 'pgboss') and t.typtype in ('e', 'd') and pg_get_userbyid(t.typowner) <> o loop
          execute format('alter type %s owner to %I', r.typ, o);
        end loop;
      end $$;
    `);
  } finally {
    await client.end();
  }
}

/**
 * Grants the app role what it needs and nothing more, connected as the owner (or a superuser).
 * Run after every migration: it re-applies to tables new migrations created, and the default
 * privileges cover tables and sequences the owner creates later.
 */
export async function grantAppPrivileges(ownerUrl: string, app: string, owner: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const a = pg.escapeIdentifier(app);
  const o = pg.escapeIdentifier(owner);
  try {
    await client.query("begin");
    // Two servers booting at once grant at once; the catalogue does not like concurrent GRANTs.
    await client.query("select pg_advisory_xact_lock(hashtext('linli.grants'))");
    const { rows } = await client.query<{ db: string }>("select current_database() as db");
    await client.query(`grant connect, temporary on database ${pg.escapeIdentifier(rows[0].db)} to ${a}`);
    await client.query(`grant usage on schema public to ${a}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${a}`);
    await client.query(`grant usage, select on all sequences in schema public to ${a}`);
    await client.query(`alter default privileges for role ${o} in schema public grant select, insert, update, delete on tables to ${a}`);
    await client.query(`alter default privileges for role ${o} in schema public grant usage, select on sequences to ${a}`);
    await client.query(`revoke truncate, references, trigger on all tables in schema public from ${a}`);
    await client.query(`revoke update, delete on ${APPEND_ONLY_TABLES.map((t) => pg.escapeIdentifier(t)).join(", ")} from ${a}`);
    await client.query(`revoke insert, update, delete on kysely_migration, kysely_migration_lock from ${a}`);
    await client.query("commit");
  } catch (e) {
    await client.query("rollback").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}

interface LocalRoleState {
  owner: string;
  app: string;
}

/** Passwords of the embedded server's two roles, generated on first start and kept beside its data. */
export async function localRolePasswords(dir: string): Promise<LocalRoleState> {
  const file = path.join(dir, "db-roles.json");
  try {
    const s = JSON.parse(await fs.readFile(file, "utf8")) as LocalRoleState;
    if (s.owner && s.app) return s;
  } catch {
    // first start
  }
  const s = { owner: randomBytes(18).toString("base64url"), app: randomBytes(18).toString("base64url") };
  await fs.writeFile(file, JSON.stringify(s), { mode: 0o600 });
  return s;
}
